//! Requests: query parameters, headers and bodies as sent.

use serde::Deserialize;
use wiremock::matchers::{any, body_json, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{get, received, request, transport, NO_AUTH};
use crate::runtime::*;

#[tokio::test]
async fn query_params_are_form_encoded_and_default_headers_set() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let mut req = get("/search");
    req.query("q", "a b&c=d");
    req.query("limit", 10);
    req.query("tag", "x");
    req.query("tag", "ü");
    transport(&server).send(req).await.unwrap();

    let mut req = get("/custom");
    req.header("Accept", "text/plain");
    req.header("X-Trace", 7);
    transport(&server).send(req).await.unwrap();

    let reqs = received(&server).await;
    assert_eq!(reqs[0].url.query(), Some("q=a+b%26c%3Dd&limit=10&tag=x&tag=%C3%BC"));
    assert_eq!(reqs[0].headers["accept"], "application/json");
    assert!(reqs[0].headers["user-agent"].to_str().unwrap().contains('/'));
    assert_eq!(reqs[1].url.query(), None);
    assert_eq!(reqs[1].headers["accept"], "text/plain");
    assert_eq!(reqs[1].headers["x-trace"], "7");
}

#[tokio::test]
async fn json_body_sets_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({"name": "Rex", "tags": ["a"]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 7})))
        .expect(1)
        .mount(&server)
        .await;
    let mut req = request(Method::POST, "/pets", NO_AUTH);
    req.json(&serde_json::json!({"name": "Rex", "tags": ["a"]})).unwrap();
    #[derive(Deserialize)]
    struct Created {
        id: u64,
    }
    let created: Created = transport(&server).send(req).await.unwrap().json().unwrap();
    assert_eq!(created.id, 7);
}

/// A request whose values broke a constraint while it was built.
fn invalid(server_path: &str) -> Request {
    let mut req = request(Method::POST, server_path, NO_AUTH);
    req.json(&serde_json::json!({"name": ""})).unwrap();
    req.check(|violations| violations.length("body.name", "", Some(1), None));
    req
}

#[tokio::test]
async fn a_request_with_violations_fails_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let err = transport(&server).send(invalid("/items")).await.expect_err("invalid");
    match &err {
        Error::Validation { operation, violations } => {
            assert_eq!(*operation, "testOp");
            assert_eq!(violations.at("body.name").map(|v| v.rule.as_str()), Some("length 0 is below minLength 1"));
        }
        other => panic!("expected Error::Validation, got {other:?}"),
    }
    assert_eq!(err.to_string(), "invalid request to `testOp`: body.name: length 0 is below minLength 1");
    assert!(format!("{err:?}").starts_with("Validation { operation: \"testOp\", violations: "), "{err:?}");
    assert!(received(&server).await.is_empty(), "nothing may be sent");

    // Off for the client, on again for one call; off for one call.
    let lenient = super::builder(&server).validate_requests(false).build().unwrap();
    let on = RequestOptions::new().validate(true);
    assert!(matches!(lenient.send_with(invalid("/a"), &on).await, Err(Error::Validation { .. })));
    assert!(received(&server).await.is_empty());
    assert_eq!(lenient.send(invalid("/b")).await.unwrap().status, 204);
    let off = RequestOptions::new().validate(false);
    assert_eq!(transport(&server).send_with(invalid("/c"), &off).await.unwrap().status, 204);
    let paths: Vec<String> = received(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/b", "/c"]);
}

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

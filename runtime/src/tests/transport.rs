//! The transport: base URLs, invalid requests, connection failures, redirects.

use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{builder, closed_port_url, get, quick_retries, received, request, transport, API_KEY, ORG};
use crate::runtime::*;

#[tokio::test]
async fn joins_base_url_with_and_without_trailing_slash_and_prefix() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/pets/a%2Fb")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(method("GET")).and(path("/api/pets/1")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let root = server.uri();
    for base in [root.clone(), format!("{root}/")] {
        let t = TransportBuilder::new(&base).build().unwrap();
        assert_eq!(t.base_url(), root);
        let path = format!("/pets/{}", path_segment("a/b").unwrap());
        assert_eq!(t.send(get(&path)).await.unwrap().status, StatusCode::OK, "{base}");
    }
    for base in [format!("{root}/api"), format!("{root}/api/")] {
        let t = TransportBuilder::new("http://unused.invalid").base_url(base.clone()).build().unwrap();
        assert_eq!(t.send(get("/pets/1")).await.unwrap().status, StatusCode::CREATED, "{base}");
    }
}

#[test]
fn build_rejects_bad_base_urls() {
    for base in ["not a url", "ftp://example.com", "mailto:a@b.c", "http://h/x?y=1"] {
        assert!(matches!(TransportBuilder::new(base).build(), Err(Error::InvalidRequest(_))), "{base}");
    }
}

#[tokio::test]
async fn invalid_header_value_is_invalid_request() {
    let server = MockServer::start().await;
    let mut req = get("/x");
    req.header("x-bad", "line\nbreak");
    assert!(matches!(transport(&server).send(req).await, Err(Error::InvalidRequest(_))));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn connect_error_hides_query_credentials() {
    let t = TransportBuilder::new(&closed_port_url())
        .retry_policy(quick_retries(2))
        .credential("orgId", Secret::new("sekrit-org"))
        .build()
        .unwrap();
    let mut req = request(Method::GET, "/op", &[&[&ORG]]);
    req.query("visible", "yes");
    let err = t.send(req).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.is_connect()), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("cannot connect") && shown.contains("visible=yes"), "{shown}");
    assert!(!shown.contains("sekrit"), "{shown}");
}

#[tokio::test]
async fn cross_origin_redirect_is_not_followed() {
    let other = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).expect(0).mount(&other).await;
    let server = MockServer::start().await;
    let location = format!("{}/stolen", other.uri());
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&server)
        .await;
    Mock::given(path("/here"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/there"))
        .mount(&server)
        .await;
    Mock::given(path("/there")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let t = builder(&server).credential("apiKey", Secret::new("k1")).build().unwrap();
    let response = t.send(request(Method::GET, "/moved", &[&[&API_KEY]])).await.unwrap();
    assert_eq!(response.status, StatusCode::FOUND);
    let response = t.send(request(Method::GET, "/here", &[&[&API_KEY]])).await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
}

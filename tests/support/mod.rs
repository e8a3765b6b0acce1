//! Helpers shared by the wire tests: a local server's answers and what it received.

// Each test crate includes this module and uses only some of it.
#![allow(dead_code)]

use api_clients::runtime::{ApiError, Error};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Answers every request with `status` and the JSON `body`.
pub async fn respond_json(server: &MockServer, status: u16, body: Value) {
    Mock::given(any()).respond_with(ResponseTemplate::new(status).set_body_json(body)).mount(server).await;
}

/// Answers every request with `status` and exactly these body bytes.
pub async fn respond_raw(server: &MockServer, status: u16, body: &str) {
    let template = ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json");
    Mock::given(any()).respond_with(template).mount(server).await;
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
    requests.remove(0)
}

/// A request header as text.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|value| value.to_str().expect("header value is ASCII"))
}

/// The API error a call ended in; any other outcome fails the test.
pub fn expect_api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> Box<ApiError> {
    match result {
        Err(Error::Api(api)) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

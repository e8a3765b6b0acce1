//! Wire tests for response kinds and auth placements, through the client generated from
//! `tests/fixtures/responses.yaml` (in the `fixture-clients` crate).

mod support;

use fixture_clients::responses::{Client, RetryPolicy};
use serde_json::json;
use support::{header, only_request, respond_json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic("ada", "s3cret")
        .key("query-key")
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_documented_204_is_none_and_a_200_body_is_some() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).up_to_n_times(1).with_priority(1).mount(&server).await;
    respond_json(&server, 200, json!({"id": 7})).await;
    let client = client(&server);
    assert_eq!(client.get_item(7).await.unwrap(), None);
    assert_eq!(client.get_item(7).await.unwrap().and_then(|item| item.id), Some(7));
}

#[tokio::test]
async fn security_none_sends_no_credentials() {
    let server = MockServer::start().await;
    respond_json(&server, 200, json!({})).await;
    client(&server).get_item(1).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn basic_auth_is_sent_and_an_empty_success_is_unit() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    client(&server).delete_item(3).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/items/3");
    // base64("ada:s3cret")
    assert_eq!(header(&request, "authorization"), Some("Basic YWRhOnMzY3JldA=="));
}

#[tokio::test]
async fn an_api_key_in_the_query_and_a_text_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("line one\nline two", "text/plain"))
        .mount(&server)
        .await;
    assert_eq!(client(&server).get_report().await.unwrap(), "line one\nline two");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("api_key=query-key"));
}

#[tokio::test]
async fn binary_bodies_go_out_and_come_back_as_bytes() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "application/octet-stream"))
        .mount(&server)
        .await;
    let bytes = client(&server).upload(vec![1u8, 2, 3]).await.unwrap();
    assert_eq!(bytes.as_ref(), &[0u8, 159, 146, 150]);
    let request = only_request(&server).await;
    assert_eq!(request.body, vec![1u8, 2, 3]);
    assert_eq!(header(&request, "content-type"), Some("application/octet-stream"));
}

//! The README's usage example, compiled and run against a local server, so it stays true.

mod support;

use api_clients::thena::{types, Client, Error};
use serde_json::json;
use support::{only_request, respond_json};
use wiremock::MockServer;

// Same body as the README, with the base URL and key passed in so it can run against a mock.
async fn rename_status(base_url: &str, key: &str, id: &str) -> Result<(), Error> {
    let client = Client::builder().base_url(base_url).api_key(key).build()?;
    let body = types::UpdateAccountAttributeValueDto { value: Some("PROSPECT".into()), ..Default::default() };
    match client.update_account_attribute_value(id, &body).await {
        Ok(value) => println!("{} is now {}", value.id, value.value),
        Err(Error::Api(e)) if e.status.as_u16() == 404 => println!("no such attribute value"),
        Err(e) => return Err(e),
    }
    Ok(())
}

#[tokio::test]
async fn readme_example_updates_an_attribute_value() {
    let server = MockServer::start().await;
    let value = json!({"id": "v1", "attribute": "account_status", "value": "PROSPECT", "isDefault": false,
        "createdAt": "2024-01-01", "updatedAt": "2024-01-02"});
    respond_json(&server, 200, value).await;
    rename_status(&server.uri(), "key-1", "v1").await.expect("succeeds");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/accounts/attributes/v1");
    assert_eq!(request.headers.get("x-api-key").unwrap(), "key-1");
    assert_eq!(request.body_json::<serde_json::Value>().unwrap(), json!({"value": "PROSPECT"}));
}

#[tokio::test]
async fn readme_example_treats_404_as_handled() {
    let server = MockServer::start().await;
    respond_json(&server, 404, json!({"message": "not found"})).await;
    rename_status(&server.uri(), "key-1", "missing").await.expect("404 is handled by the example");
}

// The README's raw-response and hook examples, against a local server.
mod raw_response_and_hooks {
    use api_clients::runtime::{reqwest, HeaderMap, StatusCode};
    use api_clients::thena::{types, CallInfo, Client, Error, Hook, ResponseExt};
    use serde_json::json;
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    struct Tagging;

    impl Hook for Tagging {
        fn before_send(&self, request: &mut reqwest::Request, call: &CallInfo) {
            request.headers_mut().insert("x-client-attempt", call.attempt.into());
        }
        fn after_receive(&self, status: StatusCode, _headers: &HeaderMap, call: &CallInfo) {
            let span = tracing::info_span!("attempt", number = call.attempt, status = tracing::field::Empty);
            span.record("status", status.as_u16());
        }
    }

    async fn update(base_url: &str, key: &str, id: &str) -> Result<String, Error> {
        let client = Client::builder().base_url(base_url).api_key(key).hook(Tagging).build()?;
        let body = types::UpdateAccountAttributeValueDto { value: Some("PROSPECT".into()), ..Default::default() };
        let reply = client.update_account_attribute_value(id, &body).with_response().await?;
        println!("HTTP {} (request id {:?})", reply.status(), reply.request_id());
        assert_eq!((reply.status().as_u16(), reply.request_id()), (200, Some("req-7")));
        let value = reply.into_inner();
        Ok(value.value)
    }

    #[tokio::test]
    async fn readme_examples_read_the_response_and_tag_each_attempt() {
        let server = MockServer::start().await;
        let value = json!({"id": "v1", "attribute": "account_status", "value": "PROSPECT", "isDefault": false,
            "createdAt": "2024-01-01", "updatedAt": "2024-01-02"});
        let reply = ResponseTemplate::new(200).set_body_json(value).insert_header("x-request-id", "req-7");
        Mock::given(any()).respond_with(reply).mount(&server).await;
        assert_eq!(update(&server.uri(), "key-1", "v1").await.expect("succeeds"), "PROSPECT");
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[0].headers["x-client-attempt"], "1");
    }
}

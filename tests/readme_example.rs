//! The README's usage example, compiled and run against a local server, so it stays true.

mod support;

use api_clients::thena::{types, Client, Error};
use serde_json::json;
use support::{only_request, respond_json};
use wiremock::MockServer;

// Same body as the README, with the base URL and key passed in so it can run against a mock.
async fn rename_status(base_url: &str, key: &str, id: &str) -> Result<(), Error> {
    let client = Client::builder().base_url(base_url).api_key(key).build()?;
    let body = types::UpdateAccountAttributeValueDto { value: Some("PROSPECT".into()), is_default: None };
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

//! Wire tests for the generated Architect client (`api_clients::architect`).
//!
//! Every test drives the real client against a local wiremock server and checks what crosses the
//! wire: method, path, headers and body going out, and how the response coming back is decoded.

mod support;

use support::{expect_api_error, header, only_request, received, respond_json, respond_raw};

use api_clients::architect::types::PatchV0AccountsByAccountIdBody;
use api_clients::architect::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "architect-key-s3cr3t";

/// Matches the spec's `^account_[a-z0-9]{26}$`.
const ACCOUNT_ID: &str = "account_01hzy3k9m2n4p6q8r0s2t4v6w8";
const ACCOUNT_PATH: &str = "/v0/accounts/account_01hzy3k9m2n4p6q8r0s2t4v6w8";

/// An id that needs percent-encoding: a `/` and a space.
const AWKWARD_ID: &str = "a/b c";
const ACCOUNT_PATH_ENCODED: &str = "/v0/accounts/a%2Fb%20c";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A client for `server` with the API key configured and retries off.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key_auth(API_KEY)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

// --- Fixtures --------------------------------------------------------------------------------

fn rename_body() -> PatchV0AccountsByAccountIdBody {
    PatchV0AccountsByAccountIdBody { name: "Acme Corp".to_owned() }
}

/// The documented response shape: `name` and `latestActivityAt` are required but nullable.
fn account_response_json() -> Value {
    json!({
        "accountId": ACCOUNT_ID,
        "tenantId": "tenant_123",
        "domain": "acme.com",
        "name": null,
        "createdAt": "2023-11-07T05:31:56Z",
        "updatedAt": "2023-11-08T06:00:00Z",
        "latestActivityAt": null,
        "linkedProspects": [
            {
                "prospectId": "prospect_1",
                "tenantId": "tenant_123",
                "name": "Jane Doe",
                "email": "jane@acme.com",
                "domain": "acme.com",
                "slug": "jane-doe",
                "phoneNumber": "+15555550100",
                "linkedinProfileUrl": "https://www.linkedin.com/in/jane-doe",
                "createdAt": "2023-11-07T05:31:56Z",
                "updatedAt": "2023-11-07T05:31:56Z"
            }
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// PATCH /v0/accounts/{account_id}  (patch_v0_accounts_by_account_id)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn account_patch_sends_patch_to_account_path() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(ACCOUNT_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(account_response_json()))
        .mount(&server)
        .await;

    client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), ACCOUNT_PATH);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn account_patch_percent_encodes_the_account_id() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(ACCOUNT_PATH_ENCODED))
        .respond_with(ResponseTemplate::new(200).set_body_json(account_response_json()))
        .mount(&server)
        .await;

    client(&server).patch_v0_accounts_by_account_id(AWKWARD_ID, &rename_body()).await.unwrap();

    assert_eq!(only_request(&server).await.url.path(), ACCOUNT_PATH_ENCODED);
}

#[tokio::test]
async fn account_patch_with_dot_dot_id_is_invalid_request_and_sends_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;

    let result = client(&server).patch_v0_accounts_by_account_id("..", &rename_body()).await;

    assert!(matches!(result, Err(Error::InvalidRequest(_))), "got {result:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn account_patch_sends_x_api_key_and_no_authorization() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;

    client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), Some(API_KEY));
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn account_patch_without_api_key_is_missing_credentials_and_sends_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();

    let result = client.patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await;

    match result {
        Err(Error::MissingCredentials { operation, schemes }) => {
            assert_eq!(operation, "patch_v0_accounts_by_account_id");
            assert_eq!(schemes, "ApiKeyAuth");
        }
        other => panic!("expected Error::MissingCredentials, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn account_patch_sends_json_body() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;

    client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(request.body_json::<Value>().unwrap(), json!({"name": "Acme Corp"}));
}

#[tokio::test]
async fn account_patch_decodes_documented_response_with_null_name_and_latest_activity() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;

    let account = client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await.unwrap();

    assert_eq!(account.account_id, ACCOUNT_ID);
    assert_eq!(account.tenant_id, "tenant_123");
    assert_eq!(account.domain, "acme.com");
    assert_eq!(account.name, None);
    assert_eq!(account.created_at.to_rfc3339(), "2023-11-07T05:31:56+00:00");
    assert_eq!(account.updated_at.to_rfc3339(), "2023-11-08T06:00:00+00:00");
    assert_eq!(account.latest_activity_at, None);
    assert_eq!(account.linked_prospects.len(), 1);
}

#[tokio::test]
async fn account_patch_decodes_linked_prospects() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;

    let account = client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await.unwrap();

    let prospect = &account.linked_prospects[0];
    assert_eq!(prospect.prospect_id.as_deref(), Some("prospect_1"));
    assert_eq!(prospect.tenant_id.as_deref(), Some("tenant_123"));
    assert_eq!(prospect.name.as_deref(), Some("Jane Doe"));
    assert_eq!(prospect.email.as_deref(), Some("jane@acme.com"));
    assert_eq!(prospect.domain.as_deref(), Some("acme.com"));
    assert_eq!(prospect.slug.as_deref(), Some("jane-doe"));
    assert_eq!(prospect.phone_number.as_deref(), Some("+15555550100"));
    assert_eq!(prospect.linkedin_profile_url.as_deref(), Some("https://www.linkedin.com/in/jane-doe"));
    assert_eq!(prospect.created_at.map(|t| t.to_rfc3339()).as_deref(), Some("2023-11-07T05:31:56+00:00"));
    assert_eq!(prospect.updated_at.map(|t| t.to_rfc3339()).as_deref(), Some("2023-11-07T05:31:56+00:00"));
}

#[tokio::test]
async fn account_patch_decodes_non_null_name_and_latest_activity() {
    let server = MockServer::start().await;
    let mut response = account_response_json();
    response["name"] = json!("Acme Corp");
    response["latestActivityAt"] = json!("2024-02-29T23:59:59.123Z");
    response["linkedProspects"] = json!([]);
    respond_json(&server, 200, response).await;

    let account = client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await.unwrap();

    assert_eq!(account.name.as_deref(), Some("Acme Corp"));
    assert_eq!(account.latest_activity_at.map(|t| t.to_rfc3339()).as_deref(), Some("2024-02-29T23:59:59.123+00:00"));
    assert!(account.linked_prospects.is_empty());
}

#[tokio::test]
async fn account_patch_404_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"error":"account not found"}"#;
    respond_raw(&server, 404, body).await;

    let api = expect_api_error(client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await);

    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.body.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn account_patch_429_without_retries_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"error":"rate limited"}"#;
    respond_raw(&server, 429, body).await;

    let api = expect_api_error(client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await);

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.body.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn account_patch_429_is_not_retried_because_patch_is_not_idempotent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    respond_json(&server, 200, account_response_json()).await;
    let client = Client::builder().base_url(server.uri()).api_key_auth(API_KEY).build().unwrap();

    let api = expect_api_error(client.patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await);

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn account_patch_200_with_invalid_date_time_is_decode_error_carrying_body() {
    let server = MockServer::start().await;
    let mut response = account_response_json();
    response["createdAt"] = json!("last tuesday");
    let body = response.to_string();
    respond_raw(&server, 200, &body).await;

    let result = client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await;

    match result {
        Err(Error::Decode(decode)) => {
            assert_eq!(decode.status.as_u16(), 200);
            assert_eq!(decode.body().as_ref(), body.as_bytes());
            assert_eq!((decode.operation, decode.path.as_str()), ("patch_v0_accounts_by_account_id", "createdAt"));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn account_patch_200_without_required_linked_prospects_is_decode_error() {
    let server = MockServer::start().await;
    let mut response = account_response_json();
    response.as_object_mut().unwrap().remove("linkedProspects");
    respond_json(&server, 200, response).await;

    let result = client(&server).patch_v0_accounts_by_account_id(ACCOUNT_ID, &rename_body()).await;

    assert!(matches!(result, Err(Error::Decode { .. })), "got {result:?}");
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

#[test]
fn client_and_builder_debug_output_hides_api_key() {
    let builder = Client::builder().api_key_auth(API_KEY);
    let builder_debug = format!("{builder:?} {builder:#?}");
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?} {client:#?}");

    for debug in [builder_debug, client_debug] {
        assert!(!debug.contains(API_KEY), "Debug output leaks the API key: {debug}");
    }
}

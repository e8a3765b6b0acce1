//! Wire tests for the generated Thena Platform client (`api_clients::thena`).
//!
//! Every test drives the real client against a local wiremock server and checks what crosses the
//! wire: method, path, headers and body going out, and how the response coming back is decoded.

mod support;

use support::{expect_api_error, header, only_request, received, respond_json, respond_raw};

use api_clients::thena::types::{
    AccountAttributeValueResponseDto, AccountAttributeValueResponseDtoAttribute, AccountResponseDto,
    CreateCustomerContactDto, CustomerContactResponseDto, UpdateAccountAttributeValueDto, UpdateAccountDto,
};
use api_clients::thena::{Client, Error, RetryPolicy};
use serde_json::{json, Map, Value};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BEARER: &str = "bearer-token-s3cr3t";
const API_KEY: &str = "api-key-s3cr3t";
const ORG_ID: &str = "org-id-s3cr3t";

/// An id that needs percent-encoding: a `/` and a space.
const AWKWARD_ID: &str = "a/b c";

const ATTRIBUTE_PATH_ENCODED: &str = "/v1/accounts/attributes/a%2Fb%20c";
const ACCOUNT_PATH: &str = "/v1/accounts/ACC123";
const ACCOUNT_PATH_ENCODED: &str = "/v1/accounts/a%2Fb%20c";
const CONTACTS_PATH: &str = "/v1/accounts/contacts";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A client for `server` with every credential configured and retries off.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth(BEARER)
        .api_key(API_KEY)
        .org_id(ORG_ID)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// Answers the first request with 429 and `Retry-After: 0`, and later ones with 200 and `body`.
async fn respond_429_then_200(server: &MockServer, body: Value) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    respond_json(server, 200, body).await;
}

// --- Fixtures --------------------------------------------------------------------------------

fn attribute_value_body() -> UpdateAccountAttributeValueDto {
    UpdateAccountAttributeValueDto { value: Some("PROSPECT".to_owned()), is_default: Some(false), ..Default::default() }
}

/// The response example of "Updates an account attribute value", with concrete strings.
fn attribute_value_response_json() -> Value {
    json!({
        "id": "AV123",
        "attribute": "account_status",
        "value": "PROSPECT",
        "isDefault": true,
        "createdAt": "2024-05-01T10:00:00.000Z",
        "updatedAt": "2024-05-02T11:30:00.000Z"
    })
}

fn account_body() -> UpdateAccountDto {
    UpdateAccountDto {
        name: Some("Example".to_owned()),
        primary_domain: Some("example.com".to_owned()),
        account_owner_id: Some("USER123".to_owned()),
        annual_revenue: Some(1_000_000.0),
        employees: Some(100.0),
        custom_field_values: Some(vec![Map::from_iter([("fieldId".to_owned(), json!("CF1"))])]),
        add_existing_users_to_account_contacts: Some(true),
        metadata: Some(Map::new()),
        ..UpdateAccountDto::default()
    }
}

/// The response example of "Update an account", with concrete values.
fn account_response_json() -> Value {
    json!({
        "id": "ACC123",
        "name": "Example",
        "description": "An example account",
        "source": "hubspot",
        "logo": "https://example.com/logo.png",
        "statusId": "ST1",
        "status": "Active",
        "statusConfiguration": {"color": "green"},
        "classificationId": "CL1",
        "classification": "Enterprise",
        "classificationConfiguration": {},
        "healthId": "H1",
        "health": "Good",
        "healthConfiguration": {},
        "industryId": "I1",
        "industry": "Software",
        "industryConfiguration": {},
        "primaryDomain": "example.com",
        "secondaryDomain": "example.org",
        "accountOwner": "Jane Doe",
        "accountOwnerId": "USER123",
        "accountOwnerEmail": "jane@example.com",
        "accountOwnerAvatarUrl": "https://example.com/jane.png",
        "annualRevenue": 123,
        "employees": 123,
        "website": "https://example.com",
        "billingAddress": "123 Main St, Town, State, USA 12345",
        "shippingAddress": "456 Side St, Town, State, USA 12345",
        "customFieldValues": ["CFV1"],
        "metadata": {},
        "createdAt": "2024-05-01T10:00:00.000Z",
        "updatedAt": "2024-05-02T11:30:00.000Z"
    })
}

fn contact_body() -> CreateCustomerContactDto {
    CreateCustomerContactDto {
        first_name: "John".to_owned(),
        email: "john.doe@example.com".to_owned(),
        last_name: Some("Doe".to_owned()),
        phone_number: Some("+1234567890".to_owned()),
        contact_type: None,
        avatar_url: None,
        account_ids: Some(vec!["A123".to_owned(), "A456".to_owned()]),
        custom_field_values: None,
        presence: Default::default(),
    }
}

/// The response example of "Create an account contact", with concrete values.
fn contact_response_json() -> Value {
    json!({
        "id": "C123",
        "firstName": "John",
        "lastName": "Doe",
        "email": "john.doe@example.com",
        "phoneNumber": "+1234567890",
        "avatarUrl": "https://example.com/avatar.png",
        "accounts": ["Acme"],
        "contactTypeId": "CT123",
        "contactType": "PRIMARY",
        "customFieldValues": ["CFV1"],
        "metadata": {"source": "import"},
        "createdAt": "2024-05-01T10:00:00.000Z",
        "updatedAt": "2024-05-02T11:30:00.000Z"
    })
}

// ---------------------------------------------------------------------------------------------
// PUT /v1/accounts/attributes/{id}  (update_account_attribute_value)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn attribute_value_update_sends_put_to_percent_encoded_path() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(ATTRIBUTE_PATH_ENCODED))
        .respond_with(ResponseTemplate::new(200).set_body_json(attribute_value_response_json()))
        .mount(&server)
        .await;

    client(&server).update_account_attribute_value(AWKWARD_ID, &attribute_value_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), ATTRIBUTE_PATH_ENCODED);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn attribute_value_update_with_only_api_key_sends_x_api_key_and_no_authorization() {
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;
    let client = Client::builder().base_url(server.uri()).api_key(API_KEY).build().unwrap();

    client.update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), Some(API_KEY));
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn attribute_value_update_with_only_bearer_sends_authorization_bearer_and_no_api_key() {
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;
    let client = Client::builder().base_url(server.uri()).bearer_auth(BEARER).build().unwrap();

    client.update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {BEARER}").as_str()));
    assert_eq!(header(&request, "x-api-key"), None);
}

#[tokio::test]
async fn attribute_value_update_with_both_credentials_uses_the_first_alternative_bearer_only() {
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;

    client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {BEARER}").as_str()));
    assert_eq!(header(&request, "x-api-key"), None);
}

#[tokio::test]
async fn attribute_value_update_without_credentials_is_missing_credentials_and_sends_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;
    let client = Client::builder().base_url(server.uri()).org_id(ORG_ID).build().unwrap();

    let result = client.update_account_attribute_value("AV123", &attribute_value_body()).await;

    match result {
        Err(Error::MissingCredentials { operation, schemes }) => {
            assert_eq!(operation, "AccountAttributeValueActionController_updateAccountAttributeValue");
            assert_eq!(schemes, "bearerAuth, or apiKey");
        }
        other => panic!("expected Error::MissingCredentials, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn attribute_value_update_sends_camel_case_json_body() {
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;

    client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(request.body_json::<Value>().unwrap(), json!({"value": "PROSPECT", "isDefault": false}));
}

#[tokio::test]
async fn attribute_value_update_omits_unset_optional_fields_from_body() {
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;
    let body = UpdateAccountAttributeValueDto { value: Some("CHURNED".to_owned()), ..Default::default() };

    client(&server).update_account_attribute_value("AV123", &body).await.unwrap();

    assert_eq!(only_request(&server).await.body_json::<Value>().unwrap(), json!({"value": "CHURNED"}));
}

#[tokio::test]
async fn attribute_value_update_decodes_documented_response() {
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;

    let value = client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    assert_eq!(
        value,
        AccountAttributeValueResponseDto {
            id: "AV123".to_owned(),
            attribute: AccountAttributeValueResponseDtoAttribute::AccountStatus,
            value: "PROSPECT".to_owned(),
            is_default: true,
            created_at: "2024-05-01T10:00:00.000Z".to_owned(),
            updated_at: "2024-05-02T11:30:00.000Z".to_owned(),
            configuration: None,
            metadata: None,
            presence: Default::default(),
        }
    );
}

#[tokio::test]
async fn attribute_value_update_decodes_unknown_attribute_into_unknown_variant() {
    let server = MockServer::start().await;
    let mut response = attribute_value_response_json();
    response["attribute"] = json!("brand_new_type");
    respond_json(&server, 200, response).await;

    let value = client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    assert_eq!(value.attribute, AccountAttributeValueResponseDtoAttribute::Unknown("brand_new_type".to_owned()));
    assert_eq!(value.attribute.as_str(), "brand_new_type");
}

#[tokio::test]
async fn attribute_value_update_sends_the_fields_the_overlay_adds() {
    // specs/thena-platform.overlay.yaml adds what the vendor's rendered page sends.
    let server = MockServer::start().await;
    respond_json(&server, 200, attribute_value_response_json()).await;
    let body = UpdateAccountAttributeValueDto {
        icon: Some("camera".to_owned()),
        color: Some("#000000".to_owned()),
        is_closed: Some(false),
        metadata: Some(Map::from_iter([("tier".to_owned(), json!("gold"))])),
        ..attribute_value_body()
    };

    client(&server).update_account_attribute_value("AV123", &body).await.unwrap();

    assert_eq!(
        only_request(&server).await.body_json::<Value>().unwrap(),
        json!({"icon": "camera", "color": "#000000", "isClosed": false, "metadata": {"tier": "gold"},
               "value": "PROSPECT", "isDefault": false})
    );
}

#[tokio::test]
async fn attribute_value_update_decodes_the_fields_the_overlay_adds() {
    // The rendered reference page also returns `configuration` and `metadata`.
    let server = MockServer::start().await;
    let mut response = attribute_value_response_json();
    response["configuration"] = json!({"color": "#000000"});
    response["metadata"] = json!({});
    respond_json(&server, 200, response).await;

    let value = client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    assert_eq!(value.configuration, Some(Map::from_iter([("color".to_owned(), json!("#000000"))])));
    assert_eq!(value.metadata, Some(Map::new()));
}

#[tokio::test]
async fn attribute_value_update_404_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"statusCode":404,"message":"Resource not found!"}"#;
    respond_raw(&server, 404, body).await;

    let api = expect_api_error(client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await);

    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.body.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn attribute_value_update_429_without_retries_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"statusCode":429,"message":"Too many requests!"}"#;
    respond_raw(&server, 429, body).await;

    let api = expect_api_error(client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await);

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.body.as_ref(), body.as_bytes());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn attribute_value_update_retries_429_with_retry_after_and_succeeds_on_second_request() {
    let server = MockServer::start().await;
    respond_429_then_200(&server, attribute_value_response_json()).await;
    let client = Client::builder().base_url(server.uri()).api_key(API_KEY).build().unwrap();

    let value = client.update_account_attribute_value("AV123", &attribute_value_body()).await.unwrap();

    assert_eq!(value.id, "AV123");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the retry re-sends the same body");
}

#[tokio::test]
async fn attribute_value_update_gives_up_after_max_attempts_of_429() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0").set_body_string("slow down"))
        .mount(&server)
        .await;
    let policy = RetryPolicy { max_attempts: 3, ..RetryPolicy::default() };
    let client = Client::builder().base_url(server.uri()).api_key(API_KEY).retry_policy(policy).build().unwrap();

    let api = expect_api_error(client.update_account_attribute_value("AV123", &attribute_value_body()).await);

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.body_text(), "slow down");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn attribute_value_update_200_with_mismatched_body_is_decode_error_carrying_body() {
    let server = MockServer::start().await;
    let body = r#"{"id":"AV123","attribute":"account_status"}"#;
    respond_raw(&server, 200, body).await;

    let result = client(&server).update_account_attribute_value("AV123", &attribute_value_body()).await;

    match result {
        Err(Error::Decode(decode)) => {
            assert_eq!(decode.status.as_u16(), 200);
            assert_eq!(decode.body().as_ref(), body.as_bytes());
            assert_eq!(decode.operation, "AccountAttributeValueActionController_updateAccountAttributeValue");
            assert!(decode.message.starts_with("missing field"), "{}", decode.message);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// PUT /v1/accounts/{id}  (put_v1_accounts_by_id)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn account_update_sends_put_to_percent_encoded_path() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(ACCOUNT_PATH_ENCODED))
        .respond_with(ResponseTemplate::new(200).set_body_json(account_response_json()))
        .mount(&server)
        .await;

    client(&server).put_v1_accounts_by_id(AWKWARD_ID, &account_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), ACCOUNT_PATH_ENCODED);
}

#[tokio::test]
async fn account_update_sends_x_api_key_and_no_authorization() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(ACCOUNT_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(account_response_json()))
        .mount(&server)
        .await;

    client(&server).put_v1_accounts_by_id("ACC123", &account_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-api-key"), Some(API_KEY));
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "x-org-id"), None);
}

#[tokio::test]
async fn account_update_with_only_bearer_is_missing_credentials_and_sends_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;
    let client = Client::builder().base_url(server.uri()).bearer_auth(BEARER).org_id(ORG_ID).build().unwrap();

    let result = client.put_v1_accounts_by_id("ACC123", &account_body()).await;

    match result {
        Err(Error::MissingCredentials { operation, schemes }) => {
            assert_eq!(operation, "put_v1_accounts_by_id");
            assert_eq!(schemes, "apiKey");
        }
        other => panic!("expected Error::MissingCredentials, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn account_update_sends_camel_case_json_body_without_unset_fields() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;

    client(&server).put_v1_accounts_by_id("ACC123", &account_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    // `annualRevenue` and `employees` are `type: number` (f64), so they go out as 1000000.0 and 100.0.
    assert_eq!(
        request.body_json::<Value>().unwrap(),
        json!({
            "name": "Example",
            "primaryDomain": "example.com",
            "accountOwnerId": "USER123",
            "annualRevenue": 1_000_000.0,
            "employees": 100.0,
            "customFieldValues": [{"fieldId": "CF1"}],
            "addExistingUsersToAccountContacts": true,
            "metadata": {}
        })
    );
}

#[tokio::test]
async fn account_update_decodes_documented_response() {
    let server = MockServer::start().await;
    respond_json(&server, 200, account_response_json()).await;

    let account = client(&server).put_v1_accounts_by_id("ACC123", &account_body()).await.unwrap();

    let object = |value: Value| value.as_object().cloned();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        account,
        AccountResponseDto {
            id: some("ACC123"),
            name: some("Example"),
            description: some("An example account"),
            source: some("hubspot"),
            logo: some("https://example.com/logo.png"),
            status_id: some("ST1"),
            status: some("Active"),
            status_configuration: object(json!({"color": "green"})),
            classification_id: some("CL1"),
            classification: some("Enterprise"),
            classification_configuration: object(json!({})),
            health_id: some("H1"),
            health: some("Good"),
            health_configuration: object(json!({})),
            industry_id: some("I1"),
            industry: some("Software"),
            industry_configuration: object(json!({})),
            primary_domain: some("example.com"),
            secondary_domain: some("example.org"),
            account_owner: some("Jane Doe"),
            account_owner_id: some("USER123"),
            account_owner_email: some("jane@example.com"),
            account_owner_avatar_url: some("https://example.com/jane.png"),
            annual_revenue: Some(123.0),
            employees: Some(123.0),
            website: some("https://example.com"),
            billing_address: some("123 Main St, Town, State, USA 12345"),
            shipping_address: some("456 Side St, Town, State, USA 12345"),
            custom_field_values: Some(vec!["CFV1".to_owned()]),
            metadata: object(json!({})),
            created_at: some("2024-05-01T10:00:00.000Z"),
            updated_at: some("2024-05-02T11:30:00.000Z"),
            presence: Default::default(),
        }
    );
}

#[tokio::test]
async fn account_update_404_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"statusCode":404,"message":"Resource not found!"}"#;
    respond_raw(&server, 404, body).await;

    let api = expect_api_error(client(&server).put_v1_accounts_by_id("ACC123", &account_body()).await);

    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.body.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn account_update_429_without_retries_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"statusCode":429,"message":"Too many requests!"}"#;
    respond_raw(&server, 429, body).await;

    let api = expect_api_error(client(&server).put_v1_accounts_by_id("ACC123", &account_body()).await);

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.body.as_ref(), body.as_bytes());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn account_update_retries_429_with_retry_after_and_succeeds_on_second_request() {
    let server = MockServer::start().await;
    respond_429_then_200(&server, account_response_json()).await;
    let client = Client::builder().base_url(server.uri()).api_key(API_KEY).build().unwrap();

    let account = client.put_v1_accounts_by_id("ACC123", &account_body()).await.unwrap();

    assert_eq!(account.id.as_deref(), Some("ACC123"));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn account_update_200_with_mismatched_body_is_decode_error_carrying_body() {
    let server = MockServer::start().await;
    // Every field is optional, so only a wrong type can fail: `employees` must be a number.
    let body = r#"{"id":"ACC123","employees":"lots"}"#;
    respond_raw(&server, 200, body).await;

    let result = client(&server).put_v1_accounts_by_id("ACC123", &account_body()).await;

    match result {
        Err(Error::Decode(decode)) => {
            assert_eq!(decode.status.as_u16(), 200);
            assert_eq!(decode.body().as_ref(), body.as_bytes());
            assert_eq!((decode.operation, decode.path.as_str()), ("put_v1_accounts_by_id", "employees"));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// POST /v1/accounts/contacts  (post_v1_accounts_contacts)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn contact_create_sends_post_to_contacts_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CONTACTS_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(contact_response_json()))
        .mount(&server)
        .await;

    client(&server).post_v1_accounts_contacts(&contact_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), CONTACTS_PATH);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn contact_create_sends_bearer_and_x_org_id_together() {
    let server = MockServer::start().await;
    respond_json(&server, 201, contact_response_json()).await;

    client(&server).post_v1_accounts_contacts(&contact_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some(format!("Bearer {BEARER}").as_str()));
    assert_eq!(header(&request, "x-org-id"), Some(ORG_ID));
    assert_eq!(header(&request, "x-api-key"), None);
}

#[tokio::test]
async fn contact_create_with_bearer_but_no_org_id_is_missing_credentials_and_sends_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 201, contact_response_json()).await;
    let client = Client::builder().base_url(server.uri()).bearer_auth(BEARER).api_key(API_KEY).build().unwrap();

    let result = client.post_v1_accounts_contacts(&contact_body()).await;

    match result {
        Err(Error::MissingCredentials { operation, schemes }) => {
            assert_eq!(operation, "post_v1_accounts_contacts");
            assert_eq!(schemes, "bearerAuth + orgId");
        }
        other => panic!("expected Error::MissingCredentials, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn contact_create_with_org_id_but_no_bearer_is_missing_credentials_and_sends_nothing() {
    let server = MockServer::start().await;
    respond_json(&server, 201, contact_response_json()).await;
    let client = Client::builder().base_url(server.uri()).org_id(ORG_ID).build().unwrap();

    let result = client.post_v1_accounts_contacts(&contact_body()).await;

    assert!(matches!(result, Err(Error::MissingCredentials { .. })), "got {result:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn contact_create_sends_camel_case_json_body_without_unset_fields() {
    let server = MockServer::start().await;
    respond_json(&server, 201, contact_response_json()).await;

    client(&server).post_v1_accounts_contacts(&contact_body()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        request.body_json::<Value>().unwrap(),
        json!({
            "firstName": "John",
            "email": "john.doe@example.com",
            "lastName": "Doe",
            "phoneNumber": "+1234567890",
            "accountIds": ["A123", "A456"]
        })
    );
}

#[tokio::test]
async fn contact_create_decodes_documented_201_response() {
    let server = MockServer::start().await;
    respond_json(&server, 201, contact_response_json()).await;

    let contact = client(&server).post_v1_accounts_contacts(&contact_body()).await.unwrap();

    assert_eq!(
        contact,
        CustomerContactResponseDto {
            id: "C123".to_owned(),
            first_name: "John".to_owned(),
            last_name: "Doe".to_owned(),
            email: "john.doe@example.com".to_owned(),
            phone_number: "+1234567890".to_owned(),
            avatar_url: "https://example.com/avatar.png".to_owned(),
            accounts: vec!["Acme".to_owned()],
            contact_type_id: "CT123".to_owned(),
            contact_type: "PRIMARY".to_owned(),
            custom_field_values: vec!["CFV1".to_owned()],
            metadata: Map::from_iter([("source".to_owned(), json!("import"))]),
            created_at: "2024-05-01T10:00:00.000Z".to_owned(),
            updated_at: "2024-05-02T11:30:00.000Z".to_owned(),
        }
    );
}

#[tokio::test]
async fn contact_create_404_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"statusCode":404,"message":"Resource not found!"}"#;
    respond_raw(&server, 404, body).await;

    let api = expect_api_error(client(&server).post_v1_accounts_contacts(&contact_body()).await);

    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.body.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn contact_create_429_without_retries_is_api_error_with_status_and_body() {
    let server = MockServer::start().await;
    let body = r#"{"statusCode":429,"message":"Too many requests!"}"#;
    respond_raw(&server, 429, body).await;

    let api = expect_api_error(client(&server).post_v1_accounts_contacts(&contact_body()).await);

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.body.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn contact_create_429_is_not_retried_because_post_is_not_idempotent() {
    let server = MockServer::start().await;
    respond_429_then_200(&server, contact_response_json()).await;
    let client = Client::builder().base_url(server.uri()).bearer_auth(BEARER).org_id(ORG_ID).build().unwrap();

    let api = expect_api_error(client.post_v1_accounts_contacts(&contact_body()).await);

    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn contact_create_201_with_mismatched_body_is_decode_error_carrying_body() {
    let server = MockServer::start().await;
    let body = "<html>Created</html>";
    respond_raw(&server, 201, body).await;

    let result = client(&server).post_v1_accounts_contacts(&contact_body()).await;

    match result {
        Err(Error::Decode(decode)) => {
            assert_eq!(decode.status.as_u16(), 201);
            assert_eq!(decode.body().as_ref(), body.as_bytes());
            assert_eq!(decode.operation, "post_v1_accounts_contacts");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

#[test]
fn client_and_builder_debug_output_hides_credentials() {
    let builder = Client::builder().bearer_auth(BEARER).api_key(API_KEY).org_id(ORG_ID);
    let builder_debug = format!("{builder:?} {builder:#?}");
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?} {client:#?}");

    for debug in [&builder_debug, &client_debug] {
        for secret in [BEARER, API_KEY, ORG_ID] {
            assert!(!debug.contains(secret), "Debug output leaks `{secret}`: {debug}");
        }
    }
}

//! The `mock` feature of a generated crate: a typed fake of the API for the crates that use it.

use api_clients::thena::mock;
use api_clients::thena::types::{
    AccountAttributeValueResponseDto, AccountAttributeValueResponseDtoAttribute, UpdateAccountAttributeValueDto,
};

#[tokio::test]
async fn a_typed_response_from_the_fake_server_reaches_the_client() {
    let server = mock::Server::start().await;
    let value = AccountAttributeValueResponseDto {
        id: "v1".into(),
        attribute: AccountAttributeValueResponseDtoAttribute::AccountStatus,
        value: "PROSPECT".into(),
        is_default: false,
        created_at: "2024-01-01".into(),
        updated_at: "2024-01-02".into(),
        configuration: None,
        metadata: None,
        presence: Default::default(),
    };
    server.update_account_attribute_value().respond(200, &value).await;

    let client = server.client_builder().api_key("k").build().expect("client builds");
    let body = UpdateAccountAttributeValueDto { value: Some("PROSPECT".into()), ..Default::default() };
    let got = client.update_account_attribute_value("v1", &body).await.expect("the fake answers");
    assert_eq!(got, value);
    assert_eq!(server.received().await.len(), 1);
}

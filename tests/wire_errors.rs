//! Wire tests of errors a person can act on and of the response size limit (issue 17), through
//! the generated clients against local servers: a decode error names the operation, status,
//! content type and JSON path and quotes the start of the body; a body over the limit fails,
//! declared or counted, while the `_download` form still streams it.

use api_clients::thena::types::UpdateAccountAttributeValueDto;
use fixture_clients::client_shapes::{Client as ShapesClient, Error as ShapesError, RequestOptions};
use futures_util::StreamExt;
use serde_json::json;
use std::io::{Read, Write};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const MIB: u64 = 1 << 20;

async fn respond(server: &MockServer, status: u16, content_type: &str, body: impl Into<Vec<u8>>) {
    let template = ResponseTemplate::new(status).set_body_raw(body.into(), content_type);
    Mock::given(any()).respond_with(template).mount(server).await;
}

fn thena(server: &MockServer) -> api_clients::thena::Client {
    api_clients::thena::Client::builder()
        .base_url(server.uri())
        .bearer_auth("token")
        .retry_policy(api_clients::thena::RetryPolicy::none())
        .build()
        .expect("client builds")
}

fn architect(server: &MockServer) -> api_clients::architect::Client {
    api_clients::architect::Client::builder()
        .base_url(server.uri())
        .api_key_auth("key")
        .retry_policy(api_clients::architect::RetryPolicy::none())
        .build()
        .expect("client builds")
}

fn attribute_value() -> UpdateAccountAttributeValueDto {
    UpdateAccountAttributeValueDto { value: Some("PROSPECT".to_owned()), ..Default::default() }
}

const UPDATE_ATTRIBUTE: &str = "AccountAttributeValueActionController_updateAccountAttributeValue";

#[tokio::test]
async fn an_html_200_names_its_content_type_and_quotes_the_page() {
    let server = MockServer::start().await;
    let page = format!("<!doctype html>\n<html><head><title>Sign in</title></head>{}</html>", "<p>x</p>".repeat(200));
    respond(&server, 200, "text/html", page.clone()).await;

    let error = thena(&server).update_account_attribute_value("AV1", &attribute_value()).await.unwrap_err();

    let shown = error.to_string();
    assert!(
        shown.starts_with(&format!(
            "decoding the 200 response of `{UPDATE_ATTRIBUTE}` (text/html, 1.6 KiB) failed: expected value at line 1 \
             column 1; body starts: `<!doctype html>\\n<html><head><title>Sign in</title></head><p>x</p>"
        )),
        "{shown}"
    );
    assert!(shown.ends_with("...`") && shown.len() < 1024, "{shown}");
    let decode = error.decode().expect("a decode error");
    assert_eq!(decode.content_type(), Some("text/html"));
    assert_eq!(decode.body_text(), page, "the whole body stays reachable");
}

#[tokio::test]
async fn a_type_mismatch_names_the_field() {
    let server = MockServer::start().await;
    let body = json!({
        "id": "AV1", "attribute": "account_status", "value": "PROSPECT", "isDefault": "yes",
        "createdAt": "2024-05-01T10:00:00.000Z", "updatedAt": "2024-05-01T10:00:00.000Z"
    });
    respond(&server, 200, "application/json", body.to_string()).await;

    let error = thena(&server).update_account_attribute_value("AV1", &attribute_value()).await.unwrap_err();

    assert_eq!(error.decode().map(|d| d.path.as_str()), Some("isDefault"));
    let shown = error.to_string();
    assert!(
        shown.contains("failed at `isDefault`: invalid type: string \"yes\", expected a boolean at line 1 column"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_bad_nested_date_names_its_path() {
    let server = MockServer::start().await;
    let prospect = |created: &str| {
        json!({
            "prospectId": "prospect_1", "tenantId": "t", "name": "Jane", "email": "jane@acme.com",
            "domain": "acme.com", "slug": "jane", "phoneNumber": "+1555", "linkedinProfileUrl": "https://l.test/j",
            "createdAt": created, "updatedAt": "2023-11-07T05:31:56Z"
        })
    };
    let body = json!({
        "accountId": "account_1", "tenantId": "t", "domain": "acme.com", "name": null,
        "createdAt": "2023-11-07T05:31:56Z", "updatedAt": "2023-11-07T05:31:56Z", "latestActivityAt": null,
        "linkedProspects": [prospect("2023-11-07T05:31:56Z"), prospect("last tuesday")]
    });
    respond(&server, 200, "application/json", body.to_string()).await;

    let body = api_clients::architect::types::PatchV0AccountsByAccountIdBody { name: "Acme".to_owned() };
    let error = architect(&server).patch_v0_accounts_by_account_id("account_1", &body).await.unwrap_err();

    let decode = error.decode().expect("a decode error");
    assert_eq!(decode.path, "linkedProspects[1].createdAt");
    assert_eq!(decode.operation, "patch_v0_accounts_by_account_id");
    assert!(error.to_string().contains("failed at `linkedProspects[1].createdAt`: input contains invalid characters"));
}

/// How [`blob_server`] frames its body.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Framing {
    ContentLength,
    Chunked,
}

/// A server on a raw socket answering every request with a 200 `application/octet-stream` body
/// of `size` bytes, framed as asked (wiremock always sends a `Content-Length`).
fn blob_server(size: usize, framing: Framing) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for socket in listener.incoming() {
            let Ok(mut socket) = socket else { return };
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let framing_header = match framing {
                    Framing::ContentLength => format!("content-length: {size}"),
                    Framing::Chunked => "transfer-encoding: chunked".to_owned(),
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\
                     {framing_header}\r\n\r\n"
                );
                let block = [b'b'; 16 * 1024];
                let mut written = socket.write_all(head.as_bytes());
                let mut sent = 0;
                while sent < size && written.is_ok() {
                    let n = block.len().min(size - sent);
                    written = match framing {
                        Framing::ContentLength => socket.write_all(&block[..n]),
                        Framing::Chunked => socket
                            .write_all(format!("{n:x}\r\n").as_bytes())
                            .and_then(|()| socket.write_all(&block[..n]))
                            .and_then(|()| socket.write_all(b"\r\n")),
                    };
                    sent += n;
                }
                if framing == Framing::Chunked && written.is_ok() {
                    let _ = socket.write_all(b"0\r\n\r\n");
                }
            });
        }
    });
    url
}

fn shapes(url: &str, limit: u64) -> ShapesClient {
    ShapesClient::builder().base_url(url).max_response_size(limit).build().expect("client builds")
}

#[tokio::test]
async fn a_body_over_the_limit_fails_with_or_without_content_length() {
    let declared = blob_server(8 << 20, Framing::ContentLength);
    let error = shapes(&declared, MIB).get_blob("b1").await.unwrap_err();
    match &error {
        ShapesError::ResponseTooLarge { operation, limit, received_at_least, content_length, .. } => {
            assert_eq!((*operation, *limit, *received_at_least, *content_length), ("getBlob", MIB, 0, Some(8 << 20)));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "the 200 response of `getBlob` is larger than the 1 MiB response size limit (its Content-Length is 8 MiB); \
         raise the limit with `max_response_size`, or use the operation's streaming form"
    );

    let chunked = blob_server(8 << 20, Framing::Chunked);
    let error = shapes(&chunked, MIB).get_blob("b1").await.unwrap_err();
    match &error {
        ShapesError::ResponseTooLarge { received_at_least, content_length: None, .. } => {
            assert!(*received_at_least > MIB && *received_at_least < 2 * MIB, "{received_at_least}");
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }

    // Under the limit, both read whole; the call's limit overrides the client's.
    for url in [&declared, &chunked] {
        let client = shapes(url, MIB).with_options(RequestOptions::new().max_response_size(16 * MIB));
        assert_eq!(client.get_blob("b1").await.expect("under the call's limit").len(), 8 << 20);
    }
}

#[tokio::test]
async fn a_download_over_the_limit_still_streams() {
    let url = blob_server(8 << 20, Framing::Chunked);
    let mut chunks = shapes(&url, MIB).get_blob_download("b1").await.expect("the head arrives");
    let mut received = 0;
    while let Some(chunk) = chunks.next().await {
        received += chunk.expect("a chunk").len();
    }
    assert_eq!(received, 8 << 20);
}

// The README's examples ("Errors you can match", "Response size limit"), against a local server.
async fn readme_errors(base_url: &str) -> Result<(), api_clients::thena::Error> {
    use api_clients::thena::{Client, Error, RequestOptions};
    let (id, body) = ("AV1", attribute_value());
    let client = Client::builder().base_url(base_url).bearer_auth("token").build()?;
    match client.update_account_attribute_value(id, &body).await {
        Ok(value) => println!("{} is now {}", value.id, value.value),
        Err(Error::Decode(e)) => eprintln!("{}: `{}` {} ({:?})", e.operation, e.path, e.message, e.content_type()),
        Err(e) => return Err(e), // `{e}` and `{e:?}` are short; e.body() has the whole body
    }
    let client = Client::builder().base_url(base_url).bearer_auth("token").max_response_size(8 << 20).build()?;
    let big = client.with_options(RequestOptions::new().max_response_size(512 << 20));
    big.update_account_attribute_value(id, &body).await.map(drop)
}

#[tokio::test]
async fn the_readme_examples_run() {
    let server = MockServer::start().await;
    respond(&server, 200, "text/html", "<html></html>").await;
    let error = readme_errors(&server.uri()).await.expect_err("the second call fails to decode too");
    assert!(error.decode().is_some(), "{error}");
}

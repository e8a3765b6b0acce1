//! Wire tests of the retry policy through a generated client (`api_clients::thena`): which
//! statuses and connection failures are retried, for which methods, and the waits the server asks
//! for. Faults are injected on a raw TCP socket; the policy's own table is in the README and in
//! `runtime/src/runtime/retry.rs`, its unit tests in `runtime/src/tests/retry.rs`.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{expect_api_error, received};

use api_clients::thena::types::{CreateCustomerContactDto, UpdateAccountAttributeValueDto};
use api_clients::thena::{Client, RequestOptions, RetryPolicy};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Retries with waits of at most 10 ms of backoff, so that a server's wait is easy to tell apart.
fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(5),
        deadline: Some(Duration::from_secs(20)),
    }
}

fn client(url: &str) -> Client {
    Client::builder().base_url(url).api_key("k").bearer_auth("b").org_id("o").retry_policy(quick()).build().unwrap()
}

fn attribute_value_body() -> UpdateAccountAttributeValueDto {
    UpdateAccountAttributeValueDto { value: Some("PROSPECT".to_owned()), ..Default::default() }
}

const ATTRIBUTE_VALUE_JSON: &str = r#"{"id":"AV1","attribute":"account_status","value":"PROSPECT","isDefault":false,"createdAt":"2024-05-01T10:00:00.000Z","updatedAt":"2024-05-02T11:30:00.000Z"}"#;

fn contact_body() -> CreateCustomerContactDto {
    serde_json::from_value(json!({"firstName": "Ada", "email": "ada@example.com"})).unwrap()
}

/// The response example of "Create an account contact".
fn contact_json() -> Value {
    json!({
        "id": "C1",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": "ada@example.com",
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

/// Answers the first request with `status` (and `header`), later ones with 2xx and `body`.
async fn status_then(server: &MockServer, status: u16, header: Option<(&str, &str)>, ok: u16, body: Value) {
    let mut first = ResponseTemplate::new(status).set_body_string("no");
    if let Some((name, value)) = header {
        first = first.insert_header(name, value);
    }
    Mock::given(any()).respond_with(first).up_to_n_times(1).with_priority(1).mount(server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(ok).set_body_json(body)).mount(server).await;
}

#[tokio::test]
async fn a_put_is_retried_on_each_status_of_the_table_and_not_on_others() {
    for status in [408, 409, 429, 500, 502, 503, 504] {
        let server = MockServer::start().await;
        status_then(&server, status, None, 200, serde_json::from_str(ATTRIBUTE_VALUE_JSON).unwrap()).await;
        let value = client(&server.uri()).update_account_attribute_value("AV1", &attribute_value_body()).await;
        assert_eq!(value.unwrap_or_else(|e| panic!("{status}: {e}")).id, "AV1");
        assert_eq!(received(&server).await.len(), 2, "{status}");
    }
    for status in [400, 501] {
        let server = MockServer::start().await;
        status_then(&server, status, None, 200, serde_json::from_str(ATTRIBUTE_VALUE_JSON).unwrap()).await;
        let result = client(&server.uri()).update_account_attribute_value("AV1", &attribute_value_body()).await;
        assert_eq!(expect_api_error(result).status.as_u16(), status);
        assert_eq!(received(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn x_should_retry_false_stops_a_503_put() {
    let server = MockServer::start().await;
    let header = Some(("x-should-retry", "false"));
    status_then(&server, 503, header, 200, serde_json::from_str(ATTRIBUTE_VALUE_JSON).unwrap()).await;
    let result = client(&server.uri()).update_account_attribute_value("AV1", &attribute_value_body()).await;
    assert_eq!(expect_api_error(result).status.as_u16(), 503);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_post_is_retried_only_with_an_idempotency_key_or_x_should_retry_true() {
    // No key: the 500 is the answer.
    let server = MockServer::start().await;
    status_then(&server, 500, None, 201, contact_json()).await;
    let result = client(&server.uri()).post_v1_accounts_contacts(&contact_body()).await;
    assert_eq!(expect_api_error(result).status.as_u16(), 500);
    assert_eq!(received(&server).await.len(), 1);

    // A key given per call: retried, with the same key.
    let server = MockServer::start().await;
    status_then(&server, 500, None, 201, contact_json()).await;
    let keyed = client(&server.uri()).with_options(RequestOptions::new().idempotency_key("contact-ada"));
    assert_eq!(keyed.post_v1_accounts_contacts(&contact_body()).await.unwrap().id, "C1");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.headers["idempotency-key"] == "contact-ada"));

    // No key, but the server says the retry is safe.
    let server = MockServer::start().await;
    status_then(&server, 500, Some(("x-should-retry", "true")), 201, contact_json()).await;
    assert_eq!(client(&server.uri()).post_v1_accounts_contacts(&contact_body()).await.unwrap().id, "C1");
    assert_eq!(received(&server).await.len(), 2);
}

// --- Raw sockets ------------------------------------------------------------------------------

/// What the raw server does with one connection.
#[derive(Debug, Clone, Copy)]
enum Act {
    /// Reads the request, answers with this status, extra header lines (`"name: value\r\n"`) and
    /// JSON body, and closes the connection.
    Reply(u16, &'static str, &'static str),
    /// Reads the request, then closes the connection without a byte of response.
    Close,
    /// Reads the request, then resets the connection (`SO_LINGER` 0: an RST instead of a FIN).
    Reset,
}

/// When each request's head was read, and the request as text.
type Hits = Arc<Mutex<Vec<(Instant, String)>>>;

/// A server on a raw TCP socket whose `n`th connection gets `acts[n]` (the last one repeats).
async fn raw_server(acts: Vec<Act>) -> (String, Hits) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Hits::default();
    let seen = hits.clone();
    tokio::spawn(async move {
        for n in 0.. {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let Some(request) = read_request(&mut stream).await else { continue };
            seen.lock().unwrap().push((Instant::now(), request));
            match acts[n.min(acts.len() - 1)] {
                Act::Reply(status, extra, body) => {
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                         connection: close\r\n{extra}\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
                Act::Close => drop(stream),
                Act::Reset => {
                    stream.set_zero_linger().unwrap();
                    drop(stream);
                }
            }
        }
    });
    (url, hits)
}

/// Reads one request, its head and a `content-length` body, as text.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buffer).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
                .and_then(|(_, value)| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return Some(text);
            }
        }
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    }
}

#[tokio::test]
async fn a_put_is_retried_after_a_reset_or_a_close_before_the_response() {
    for fault in [Act::Reset, Act::Close] {
        let (url, hits) = raw_server(vec![fault, Act::Reply(200, "", ATTRIBUTE_VALUE_JSON)]).await;
        let value = client(&url).update_account_attribute_value("AV1", &attribute_value_body()).await;
        assert_eq!(value.unwrap_or_else(|e| panic!("{fault:?}: {e}")).id, "AV1");
        let hits = hits.lock().unwrap();
        assert_eq!(hits.len(), 2, "{fault:?}");
        assert!(hits[0].1.starts_with("PUT /v1/accounts/attributes/AV1 "), "{}", hits[0].1);
        assert_eq!(hits[0].1, hits[1].1, "{fault:?}: the retry sends the same request");
    }
}

#[tokio::test]
async fn a_post_closed_before_the_response_is_not_retried_without_a_key() {
    let (url, hits) = raw_server(vec![Act::Close, Act::Reply(201, "", r#"{"id":"C1"}"#)]).await;
    let err = client(&url).post_v1_accounts_contacts(&contact_body()).await.unwrap_err();
    assert!(matches!(err, api_clients::thena::Error::Transport(_)), "{err:?}");
    assert_eq!(hits.lock().unwrap().len(), 1, "the server may have created the contact");
}

#[tokio::test]
async fn retry_after_ms_is_the_wait_before_the_next_attempt() {
    let acts = vec![Act::Reply(429, "retry-after-ms: 1500\r\n", "{}"), Act::Reply(200, "", ATTRIBUTE_VALUE_JSON)];
    let (url, hits) = raw_server(acts).await;
    let value = client(&url).update_account_attribute_value("AV1", &attribute_value_body()).await.unwrap();
    assert_eq!(value.id, "AV1");
    let hits = hits.lock().unwrap();
    assert_eq!(hits.len(), 2);
    // The policy's own backoff is at most 10 ms: the server's 1.5 s is what was waited.
    let gap = hits[1].0 - hits[0].0;
    assert!(gap >= Duration::from_millis(1500) && gap < Duration::from_millis(4000), "{gap:?}");
}

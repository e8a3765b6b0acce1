//! OAuth2 client credentials (issue 17) through a client generated from
//! `tests/fixtures/oauth2.yaml` (module `fixture_clients::oauth2`): the client fetches its token from
//! the flow's `tokenUrl` (relative, so the test server serves it), caches it, refreshes it when it
//! expires or the API answers 401, fetches one at a time, and never shows the secret or the token.

use fixture_clients::oauth2::{types, Client, ClientBuilder, Error};
use fixture_clients::runtime::{ClientAuth, ClientCredentials};
use futures_util::future::join_all;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{basic_auth, bearer_token, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "my client";
const SECRET: &str = "s3cr3t:/+";
/// `CLIENT_ID` and `SECRET` form-urlencoded, as RFC 6749 section 2.3.1 wants them inside HTTP Basic.
const ENCODED_ID: &str = "my+client";
/// See [`ENCODED_ID`].
const ENCODED_SECRET: &str = "s3cr3t%3A%2F%2B";

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri())
}

fn token(access_token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in, "scope": "items:read"}),
    )
}

/// Answers the token request with `access_token`, for the first `times` requests only.
async fn issue(server: &MockServer, access_token: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token(access_token, 3600))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

/// `GET /items` answered 200 for `access_token`.
async fn items_for(server: &MockServer, access_token: &str) {
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(bearer_token(access_token))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "1"}])))
        .mount(server)
        .await;
}

async fn requests_to(server: &MockServer, to: &str) -> Vec<Request> {
    let received = server.received_requests().await.unwrap_or_default();
    received.into_iter().filter(|r| r.url.path() == to).collect()
}

fn bearer(request: &Request) -> String {
    request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The form fields of a token request, in order, still encoded.
fn form(request: &Request) -> Vec<String> {
    String::from_utf8_lossy(&request.body).split('&').map(str::to_owned).collect()
}

#[tokio::test]
async fn one_token_serves_many_calls_as_a_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(basic_auth(ENCODED_ID, ENCODED_SECRET))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(token("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    items_for(&server, "tok-1").await;
    let client = builder(&server).machine_client_credentials(CLIENT_ID, SECRET).build().unwrap();
    for _ in 0..3 {
        assert_eq!(client.list_items().await.expect("listed")[0].id, "1");
    }
    // A clone, and a client with other options, share the token.
    client.clone().list_items().await.expect("listed");
    let quick = client.with_options(fixture_clients::oauth2::RequestOptions::new().timeout(Duration::from_secs(5)));
    quick.list_items().await.expect("listed");

    let token_requests = requests_to(&server, "/oauth/token").await;
    assert_eq!(token_requests.len(), 1);
    // No scope unless configured: the server grants the client's default ones.
    assert_eq!(form(&token_requests[0]), ["grant_type=client_credentials"]);
    let calls = requests_to(&server, "/items").await;
    assert_eq!(calls.len(), 5);
    assert!(calls.iter().all(|r| bearer(r) == "Bearer tok-1"));
    // An operation without security sends no token.
    Mock::given(path("/health")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    client.health().await.expect("up");
    assert!(requests_to(&server, "/health").await[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn scopes_extra_fields_and_form_body_client_auth_go_to_the_configured_token_url() {
    let server = MockServer::start().await;
    let auth_server = MockServer::start().await;
    Mock::given(path("/issue")).respond_with(token("tok-1", 3600)).expect(1).mount(&auth_server).await;
    items_for(&server, "tok-1").await;
    let credentials = ClientCredentials::new(CLIENT_ID, SECRET)
        .scopes(["items:read", "items:write"])
        .param("audience", "https://api.example.com")
        .client_auth(ClientAuth::RequestBody)
        .token_url(format!("{}/issue", auth_server.uri()));
    let client = builder(&server).machine_client_credentials_with(credentials).build().unwrap();
    client.list_items().await.expect("listed");

    let token_request = &requests_to(&auth_server, "/issue").await[0];
    assert!(token_request.headers.get("authorization").is_none());
    assert_eq!(
        form(token_request),
        [
            "grant_type=client_credentials",
            "scope=items%3Aread+items%3Awrite",
            "audience=https%3A%2F%2Fapi.example.com",
            "client_id=my+client",
            "client_secret=s3cr3t%3A%2F%2B",
        ]
    );
    assert!(requests_to(&server, "/oauth/token").await.is_empty());
}

#[tokio::test]
async fn an_expired_token_is_refreshed() {
    let server = MockServer::start().await;
    // Lives 1 s; the refresh margin is cut to at most half of that, then set to none here.
    Mock::given(path("/oauth/token"))
        .respond_with(token("tok-1", 1))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/oauth/token")).respond_with(token("tok-2", 1)).with_priority(2).mount(&server).await;
    items_for(&server, "tok-1").await;
    items_for(&server, "tok-2").await;
    let credentials = ClientCredentials::new(CLIENT_ID, SECRET).refresh_before(Duration::ZERO);
    let client = builder(&server).machine_client_credentials_with(credentials).build().unwrap();
    client.list_items().await.expect("listed");
    client.list_items().await.expect("listed");
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.list_items().await.expect("listed");
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    let sent: Vec<String> = requests_to(&server, "/items").await.iter().map(bearer).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_401_to_a_cached_token_fetches_a_new_one_and_sends_again() {
    let server = MockServer::start().await;
    issue(&server, "tok-1", 1).await;
    Mock::given(path("/oauth/token")).respond_with(token("tok-2", 3600)).with_priority(2).mount(&server).await;
    // tok-1 works once, then the server revokes it.
    Mock::given(path("/items"))
        .and(bearer_token("tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(bearer_token("tok-1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    items_for(&server, "tok-2").await;
    let client = builder(&server).machine_client_credentials(CLIENT_ID, SECRET).build().unwrap();
    assert!(client.list_items().await.expect("listed").is_empty());
    assert_eq!(client.list_items().await.expect("renewed")[0].id, "1");
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    let sent: Vec<String> = requests_to(&server, "/items").await.iter().map(bearer).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_401_is_renewed_at_most_once_per_call_and_never_for_a_fresh_token() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(token("tok", 3600)).mount(&server).await;
    Mock::given(path("/items")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = builder(&server).machine_client_credentials(CLIENT_ID, SECRET).build().unwrap();
    // A token fetched for this very call: the 401 is the answer.
    let error = client.list_items().await.expect_err("unauthorized");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert_eq!(requests_to(&server, "/items").await.len(), 1);
    // A cached one: one new token, one more send, then the 401.
    let error = client.list_items().await.expect_err("unauthorized");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 2);
    assert_eq!(requests_to(&server, "/items").await.len(), 3);
}

#[tokio::test]
async fn a_refused_token_request_is_a_clear_error_without_the_secret() {
    let server = MockServer::start().await;
    let refusal = json!({"error": "invalid_client", "error_description": format!("unknown secret {SECRET}")});
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(refusal))
        .mount(&server)
        .await;
    let client = builder(&server).machine_client_credentials(CLIENT_ID, SECRET).build().unwrap();
    let error = client.list_items().await.expect_err("refused");
    let Error::Token(token_error) = &error else { panic!("expected a token error, got {error:?}") };
    assert_eq!(token_error.status.map(|s| s.as_u16()), Some(400));
    assert_eq!(token_error.scheme, "machine");
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(display.contains("HTTP 400") && display.contains("invalid_client: unknown secret ***"), "{display}");
    assert!(display.contains("/oauth/token"), "{display}");
    for shown in [&display, &debug] {
        assert!(!shown.contains(SECRET) && !shown.contains(ENCODED_SECRET), "{shown}");
    }
    // The API itself was never called.
    assert!(requests_to(&server, "/items").await.is_empty());
}

#[tokio::test]
async fn concurrent_calls_wait_for_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(token("tok-1", 3600).set_delay(Duration::from_millis(300)))
        .expect(1)
        .mount(&server)
        .await;
    items_for(&server, "tok-1").await;
    let client = builder(&server).machine_client_credentials(CLIENT_ID, SECRET).build().unwrap();
    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_items().await })
    });
    for outcome in join_all(calls).await {
        assert_eq!(outcome.expect("joined").expect("listed")[0].id, "1");
    }
    assert_eq!(requests_to(&server, "/oauth/token").await.len(), 1);
    assert_eq!(requests_to(&server, "/items").await.len(), 8);
}

#[tokio::test]
async fn a_token_from_elsewhere_still_works_and_the_other_schemes_are_untouched() {
    let server = MockServer::start().await;
    items_for(&server, "mine").await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .and(bearer_token("user-token"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "2"})))
        .mount(&server)
        .await;
    let client = builder(&server).machine("mine").build().unwrap();
    client.list_items().await.expect("listed");
    // `user` is an authorization-code flow: its token comes from the caller.
    let client = builder(&server).user("user-token").build().unwrap();
    let item = types::Item { id: "2".into(), name: None, presence: Default::default() };
    assert_eq!(client.create_item(&item).await.expect("created").id, "2");
    assert!(requests_to(&server, "/oauth/token").await.is_empty());
}

/// Every span and event field recorded, as text.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Fields<'a>(&'a mut Vec<String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = self.0.lock().unwrap();
        span.record(&mut Fields(&mut fields));
        Id::from_u64(fields.len() as u64 + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn neither_debug_nor_tracing_shows_the_secret_or_the_token() {
    let server = MockServer::start().await;
    issue(&server, "tok-secret-value", 1).await;
    Mock::given(path("/items"))
        .and(bearer_token("tok-secret-value"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    items_for(&server, "tok-secret-value").await;
    let builder = builder(&server).machine_client_credentials(CLIENT_ID, SECRET);
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let recorder = Recorder::default();
    // The test runtime is single-threaded, so a thread-local subscriber sees the whole call.
    let guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()));
    let _ = client.list_items().await;
    let _ = client.list_items().await;
    drop(guard);
    let fields = recorder.0.lock().unwrap().join("\n");
    assert!(fields.contains("OAuth2 token"), "the token request is logged without secrets: {fields}");
    for shown in [builder_debug, format!("{client:?}"), fields] {
        assert!(!shown.contains(SECRET) && !shown.contains(ENCODED_SECRET), "{shown}");
        assert!(!shown.contains("tok-secret-value"), "{shown}");
    }
}

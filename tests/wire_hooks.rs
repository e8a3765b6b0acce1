//! Hooks (issue 17): user code around every attempt of every call, through generated clients
//! against a local server: a header a hook adds arrives, each attempt of a retried call is seen,
//! credentials are applied (and marked sensitive) before a hook runs, and a hook's span is a child
//! of the call's `http_request` span.

use fixture_clients::client_shapes::{mock, CallInfo, Hook, RetryPolicy};
use fixture_clients::runtime::{reqwest, HeaderMap, StatusCode};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::{Mock, ResponseTemplate};

/// Adds `x-attempt: <operation>/<attempt>` to each attempt and records what each attempt got.
#[derive(Clone, Default)]
struct Tagging {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hook for Tagging {
    fn before_send(&self, request: &mut reqwest::Request, call: &CallInfo) {
        let value = format!("{}/{}", call.operation_id, call.attempt);
        request.headers_mut().insert("x-attempt", value.parse().expect("a header value"));
    }

    fn after_receive(&self, status: StatusCode, _headers: &HeaderMap, call: &CallInfo) {
        let seen =
            format!("{} {} {} #{}: {}", call.method, call.path_template, call.operation_id, call.attempt, status);
        self.seen.lock().unwrap().push(seen);
    }
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_secs(1),
        deadline: Some(Duration::from_secs(10)),
    }
}

#[tokio::test]
async fn a_hook_header_arrives_and_every_attempt_of_a_retry_is_seen() {
    let server = mock::Server::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server.inner())
        .await;
    server.list_items().respond_json(200, json!({"data": [{"id": "1"}]})).await;
    let hook = Tagging::default();
    let client = server.client_builder().retry_policy(quick_retries()).hook(hook.clone()).build().unwrap();

    let page = client.list_items(&Default::default()).await.expect("the retry succeeds");
    assert_eq!(page.data.unwrap()[0].id, "1");
    let sent: Vec<_> =
        server.received().await.iter().map(|r| r.headers["x-attempt"].to_str().unwrap().to_owned()).collect();
    assert_eq!(sent, ["listItems/1", "listItems/2"]);
    assert_eq!(
        *hook.seen.lock().unwrap(),
        ["GET /items listItems #1: 503 Service Unavailable", "GET /items listItems #2: 200 OK"]
    );
    assert!(format!("{client:?}").contains("hooks: 1"), "{client:?}");
}

/// Appends its name to `x-order`, and checks that the credentials are already there (a hook for
/// the Thena client: each generated crate has its own runtime, so its own `Hook` trait).
struct Append(&'static str);

impl api_clients::thena::Hook for Append {
    fn before_send(&self, request: &mut reqwest::Request, _call: &api_clients::thena::CallInfo) {
        let key = request.headers().get("x-api-key").expect("the API key is applied before hooks run");
        assert!(key.is_sensitive());
        assert!(!format!("{request:?}").contains("s3cr3t-key"));
        let order = match request.headers().get("x-order") {
            Some(before) => format!("{},{}", before.to_str().unwrap(), self.0),
            None => self.0.to_owned(),
        };
        request.headers_mut().insert("x-order", order.parse().unwrap());
    }
}

#[tokio::test]
async fn hooks_run_in_order_after_credentials_are_applied() {
    let server = wiremock::MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = api_clients::thena::Client::builder()
        .base_url(server.uri())
        .api_key("s3cr3t-key")
        .hook(Append("first"))
        .hook(Append("second"))
        .build()
        .unwrap();
    let body = api_clients::thena::types::UpdateAccountAttributeValueDto::default();
    let _ = client.update_account_attribute_value("a", &body).await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["x-order"], "first,second");
    assert_eq!(requests[0].headers["x-api-key"], "s3cr3t-key");
}

/// Opens a span per attempt, recording the response's status on it.
struct Spans;

impl Hook for Spans {
    fn after_receive(&self, status: StatusCode, _headers: &HeaderMap, call: &CallInfo) {
        let span = tracing::info_span!("attempt", number = call.attempt, status = tracing::field::Empty);
        span.record("status", status.as_u16());
    }
}

/// Records each span's name, parent and fields, as text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    /// The names of the spans entered, innermost last.
    stack: Arc<Mutex<Vec<String>>>,
    names: Arc<Mutex<Vec<String>>>,
}

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
        let name = span.metadata().name().to_owned();
        let parent = self.stack.lock().unwrap().last().cloned().unwrap_or_default();
        let mut lines = self.lines.lock().unwrap();
        lines.push(format!("span {name} in {parent}"));
        span.record(&mut Fields(&mut lines));
        let mut names = self.names.lock().unwrap();
        names.push(name);
        Id::from_u64(names.len() as u64)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.lines.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Fields(&mut self.lines.lock().unwrap()));
    }
    fn enter(&self, id: &Id) {
        let name = self.names.lock().unwrap()[id.into_u64() as usize - 1].clone();
        self.stack.lock().unwrap().push(name);
    }
    fn exit(&self, _: &Id) {
        self.stack.lock().unwrap().pop();
    }
}

#[tokio::test]
async fn a_hook_span_is_a_child_of_the_request_span_and_records_its_field() {
    let server = mock::Server::start().await;
    server.list_items().respond_json(200, json!({})).await;
    let client = server.client_builder().hook(Spans).build().unwrap();
    let recorder = Recorder::default();
    // The test runtime is single-threaded, so a thread-local subscriber sees the whole call.
    let guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()));
    client.list_items(&Default::default()).await.expect("succeeds");
    drop(guard);
    let lines = recorder.lines.lock().unwrap().join("\n");
    assert!(lines.contains("span attempt in http_request\nnumber=1\nstatus=200"), "{lines}");
}

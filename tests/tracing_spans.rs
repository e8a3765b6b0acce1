//! Each request is a `tracing` span with the operation, method, path template, status and
//! attempts, and never the credentials.

mod support;

use api_clients::thena::{Client, RetryPolicy};
use serde_json::json;
use std::sync::{Arc, Mutex};
use support::respond_json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::MockServer;

/// Records every span field (name = value) and every event field, as text.
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
        fields.push(format!("span {}", span.metadata().name()));
        span.record(&mut Fields(&mut fields));
        Id::from_u64(fields.len() as u64)
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
async fn a_request_span_names_the_operation_and_status_but_not_the_secret() {
    let server = MockServer::start().await;
    respond_json(&server, 404, json!({"message": "no"})).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("s3cr3t-api-key")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let recorder = Recorder::default();
    let body = api_clients::thena::types::UpdateAccountAttributeValueDto::default();
    // The test runtime is single-threaded, so a thread-local subscriber sees the whole call.
    let guard = tracing::dispatcher::set_default(&tracing::Dispatch::new(recorder.clone()));
    let _ = client.update_account_attribute_value("a/b", &body).await;
    drop(guard);
    let fields = recorder.0.lock().unwrap().join("\n");
    assert!(fields.contains("span http_request"), "{fields}");
    assert!(
        fields.contains("operation=\"AccountAttributeValueActionController_updateAccountAttributeValue\""),
        "{fields}"
    );
    assert!(fields.contains("method=PUT"), "{fields}");
    assert!(fields.contains("path=\"/v1/accounts/attributes/{id}\""), "{fields}");
    assert!(fields.contains("status=404"), "{fields}");
    assert!(!fields.contains("s3cr3t-api-key"), "{fields}");
}

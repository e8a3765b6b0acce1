//! Hooks: run per attempt, in order, after credentials; kept out of `Debug` but for their count.

use std::sync::{Arc, Mutex};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{builder, get, received, request, BEARER};
use crate::runtime::*;

/// Adds `x-hook: <name>` and records what it sees as `<name> <attempt> <status or "send">`.
struct Recording(&'static str, Arc<Mutex<Vec<String>>>);

impl Hook for Recording {
    fn before_send(&self, request: &mut reqwest::Request, call: &CallInfo) {
        request.headers_mut().append("x-hook", self.0.parse().unwrap());
        self.1.lock().unwrap().push(format!("{} {} send {}", self.0, call.attempt, call.operation_id));
    }

    fn after_receive(&self, status: StatusCode, _headers: &HeaderMap, call: &CallInfo) {
        self.1.lock().unwrap().push(format!("{} {} {}", self.0, call.attempt, status.as_u16()));
    }
}

#[tokio::test]
async fn hooks_run_in_order_on_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let b = builder(&server).hook(Recording("a", seen.clone())).hook(Recording("b", seen.clone()));
    assert!(format!("{b:?}").contains("hooks: 2"), "{b:?}");
    let t = b.build().unwrap();
    assert_eq!(t.send(get("/x")).await.unwrap().status, StatusCode::OK);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "a 1 send testOp",
            "b 1 send testOp",
            "a 1 503",
            "b 1 503",
            "a 2 send testOp",
            "b 2 send testOp",
            "a 2 200",
            "b 2 200"
        ]
    );
    for request in received(&server).await {
        let values: Vec<_> = request.headers.get_all("x-hook").iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(values, ["a", "b"]);
    }
}

/// Checks that the bearer token is set, and sensitive, before it runs.
struct SeesCredentials;

impl Hook for SeesCredentials {
    fn before_send(&self, request: &mut reqwest::Request, _call: &CallInfo) {
        let token = request.headers().get("authorization").expect("credentials come first");
        assert!(token.is_sensitive());
        request.headers_mut().insert("x-checked", "1".parse().unwrap());
    }
}

#[tokio::test]
async fn hooks_see_the_request_with_its_credentials() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let t = builder(&server).credential("bearerAuth", Secret::new("tok")).hook(SeesCredentials).build().unwrap();
    t.send(request(Method::GET, "/x", &[&[&BEARER]])).await.unwrap();
    assert_eq!(received(&server).await[0].headers["x-checked"], "1");
}

//! Unit tests of the runtime (`runtime/runtime.rs`) against a local wiremock server.

use std::time::{Duration, Instant};

use serde::Deserialize;
use wiremock::matchers::{any, basic_auth, bearer_token, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::*;

const BEARER: SecurityScheme = SecurityScheme { name: "bearerAuth", kind: SchemeKind::Bearer };
const API_KEY: SecurityScheme = SecurityScheme { name: "apiKey", kind: SchemeKind::ApiKeyHeader("X-API-Key") };
const ORG: SecurityScheme = SecurityScheme { name: "orgId", kind: SchemeKind::ApiKeyQuery("org") };
const SESSION: SecurityScheme = SecurityScheme { name: "session", kind: SchemeKind::ApiKeyCookie("session") };
const CSRF: SecurityScheme = SecurityScheme { name: "csrf", kind: SchemeKind::ApiKeyCookie("csrf") };
const BASIC: SecurityScheme = SecurityScheme { name: "basicAuth", kind: SchemeKind::Basic };

const NO_AUTH: Security = &[];
const BEARER_OR_KEY_AND_ORG: Security = &[&[&BEARER], &[&API_KEY, &ORG]];

fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(5),
        deadline: Some(Duration::from_secs(20)),
    }
}

fn builder(server: &MockServer) -> TransportBuilder {
    TransportBuilder::new(&server.uri()).retry_policy(quick_retries(3))
}

fn transport(server: &MockServer) -> Transport {
    builder(server).build().expect("transport builds")
}

fn request(method: Method, path: &str, security: Security) -> Request {
    Request::new("testOp", method, path.to_owned(), security)
}

fn get(path: &str) -> Request {
    request(Method::GET, path, NO_AUTH)
}

async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

/// A base URL on which nothing listens.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn path_segment_encodes_everything_but_unreserved() {
    assert_eq!(path_segment("a/b c").unwrap(), "a%2Fb%20c");
    assert_eq!(path_segment("AZaz09-._~").unwrap(), "AZaz09-._~");
    assert_eq!(path_segment("?#%&+=;:@").unwrap(), "%3F%23%25%26%2B%3D%3B%3A%40");
    assert_eq!(path_segment("café ☕").unwrap(), "caf%C3%A9%20%E2%98%95");
    assert_eq!(path_segment("...").unwrap(), "...");
}

#[test]
fn path_segment_rejects_dot_segments_and_empty() {
    for value in ["", ".", ".."] {
        assert!(matches!(path_segment(value), Err(Error::InvalidRequest(_))), "{value:?}");
    }
}

#[tokio::test]
async fn joins_base_url_with_and_without_trailing_slash_and_prefix() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/pets/a%2Fb")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    Mock::given(method("GET")).and(path("/api/pets/1")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let root = server.uri();
    for base in [root.clone(), format!("{root}/")] {
        let t = TransportBuilder::new(&base).build().unwrap();
        assert_eq!(t.base_url(), root);
        let path = format!("/pets/{}", path_segment("a/b").unwrap());
        assert_eq!(t.send(get(&path)).await.unwrap().status, StatusCode::OK, "{base}");
    }
    for base in [format!("{root}/api"), format!("{root}/api/")] {
        let t = TransportBuilder::new("http://unused.invalid").base_url(base.clone()).build().unwrap();
        assert_eq!(t.send(get("/pets/1")).await.unwrap().status, StatusCode::CREATED, "{base}");
    }
}

#[test]
fn build_rejects_bad_base_urls() {
    for base in ["not a url", "ftp://example.com", "mailto:a@b.c", "http://h/x?y=1"] {
        assert!(matches!(TransportBuilder::new(base).build(), Err(Error::InvalidRequest(_))), "{base}");
    }
}

#[tokio::test]
async fn query_params_are_form_encoded_and_default_headers_set() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let mut req = get("/search");
    req.query("q", "a b&c=d");
    req.query("limit", 10);
    req.query("tag", "x");
    req.query("tag", "ü");
    transport(&server).send(req).await.unwrap();

    let mut req = get("/custom");
    req.header("Accept", "text/plain");
    req.header("X-Trace", 7);
    transport(&server).send(req).await.unwrap();

    let reqs = received(&server).await;
    assert_eq!(reqs[0].url.query(), Some("q=a+b%26c%3Dd&limit=10&tag=x&tag=%C3%BC"));
    assert_eq!(reqs[0].headers["accept"], "application/json");
    assert!(reqs[0].headers["user-agent"].to_str().unwrap().contains('/'));
    assert_eq!(reqs[1].url.query(), None);
    assert_eq!(reqs[1].headers["accept"], "text/plain");
    assert_eq!(reqs[1].headers["x-trace"], "7");
}

#[tokio::test]
async fn json_body_sets_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({"name": "Rex", "tags": ["a"]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 7})))
        .expect(1)
        .mount(&server)
        .await;
    let mut req = request(Method::POST, "/pets", NO_AUTH);
    req.json(&serde_json::json!({"name": "Rex", "tags": ["a"]})).unwrap();
    #[derive(Deserialize)]
    struct Created {
        id: u64,
    }
    let created: Created = transport(&server).send(req).await.unwrap().json().unwrap();
    assert_eq!(created.id, 7);
}

#[tokio::test]
async fn invalid_header_value_is_invalid_request() {
    let server = MockServer::start().await;
    let mut req = get("/x");
    req.header("x-bad", "line\nbreak");
    assert!(matches!(transport(&server).send(req).await, Err(Error::InvalidRequest(_))));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn applies_bearer_basic_and_api_keys() {
    let server = MockServer::start().await;
    Mock::given(path("/bearer"))
        .and(bearer_token("tok"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/basic"))
        .and(basic_auth("ann", "pw"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/key"))
        .and(header("x-api-key", "k1"))
        .and(query_param("org", "o 1"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/cookie")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let t = builder(&server)
        .credential("bearerAuth", Secret::new("tok"))
        .basic_credential("basicAuth", "ann", Secret::new("pw"))
        .credential("apiKey", Secret::new("k1"))
        .credential("orgId", Secret::new("o 1"))
        .credential("session", Secret::new("s3"))
        .credential("csrf", Secret::new("c4"))
        .build()
        .unwrap();

    assert_eq!(t.send(request(Method::GET, "/bearer", &[&[&BEARER]])).await.unwrap().status, 200);
    assert_eq!(t.send(request(Method::GET, "/basic", &[&[&BASIC]])).await.unwrap().status, 200);
    let mut req = request(Method::GET, "/key", &[&[&API_KEY, &ORG]]);
    req.query("page", 2);
    assert_eq!(t.send(req).await.unwrap().status, 200);
    let mut req = request(Method::GET, "/cookie", &[&[&SESSION, &CSRF]]);
    req.header("cookie", "theme=dark");
    assert_eq!(t.send(req).await.unwrap().status, 200);

    let reqs = received(&server).await;
    let cookie = reqs.iter().find(|r| r.url.path() == "/cookie").unwrap();
    assert_eq!(cookie.headers["cookie"], "theme=dark; session=s3; csrf=c4");
    assert!(!cookie.headers.contains_key("authorization"));
}

#[tokio::test]
async fn picks_first_satisfiable_alternative() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let key_only = builder(&server)
        .credential("apiKey", Secret::new("k1"))
        .credential("orgId", Secret::new("o1"))
        .build()
        .unwrap();
    let both = builder(&server)
        .credential("apiKey", Secret::new("k1"))
        .credential("orgId", Secret::new("o1"))
        .credential("bearerAuth", Secret::new("tok"))
        .build()
        .unwrap();
    // A basic credential does not satisfy a bearer scheme.
    let wrong_kind = builder(&server)
        .basic_credential("bearerAuth", "u", Secret::new("p"))
        .credential("apiKey", Secret::new("k1"))
        .credential("orgId", Secret::new("o1"))
        .build()
        .unwrap();
    for t in [&key_only, &both, &wrong_kind] {
        t.send(request(Method::GET, "/op", BEARER_OR_KEY_AND_ORG)).await.unwrap();
    }
    // "auth optional": the empty alternative is satisfied without credentials.
    let anonymous = transport(&server);
    anonymous.send(request(Method::GET, "/opt", &[&[&BEARER], &[]])).await.unwrap();
    both.send(request(Method::GET, "/opt", &[&[&BEARER], &[]])).await.unwrap();

    let reqs = received(&server).await;
    let auth = |i: usize| reqs[i].headers.get("authorization").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!((auth(0), reqs[0].headers["x-api-key"].to_str().unwrap()), (None, "k1"));
    assert_eq!(reqs[0].url.query(), Some("org=o1"));
    assert_eq!(auth(1).as_deref(), Some("Bearer tok"));
    assert!(!reqs[1].headers.contains_key("x-api-key") && reqs[1].url.query().is_none());
    assert_eq!(auth(2), None);
    assert_eq!(auth(3), None);
    assert_eq!(auth(4).as_deref(), Some("Bearer tok"));
}

#[tokio::test]
async fn missing_credentials_lists_alternatives_and_sends_nothing() {
    let server = MockServer::start().await;
    let t = builder(&server).credential("apiKey", Secret::new("k1")).build().unwrap();
    let err = t.send(request(Method::GET, "/op", BEARER_OR_KEY_AND_ORG)).await.unwrap_err();
    match &err {
        Error::MissingCredentials { operation, schemes } => {
            assert_eq!(*operation, "testOp");
            assert_eq!(schemes, "bearerAuth, or apiKey + orgId");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("bearerAuth, or apiKey + orgId"));
    assert!(received(&server).await.is_empty());
}

#[test]
fn debug_output_redacts_secrets() {
    let secret = Secret::new("hunter2-token");
    assert_eq!(format!("{secret:?}"), "Secret(***)");
    assert_eq!(secret.clone().expose(), "hunter2-token");
    let b = TransportBuilder::new("http://localhost:1").credential("bearerAuth", secret).basic_credential(
        "basicAuth",
        "ann",
        Secret::new("pw-hunter3"),
    );
    let builder_debug = format!("{b:?}");
    let t = b.build().unwrap();
    let transport_debug = format!("{t:?}");
    for debug in [builder_debug, transport_debug] {
        assert!(!debug.contains("hunter"), "{debug}");
        assert!(debug.contains("bearerAuth") && debug.contains("basicAuth"), "{debug}");
        assert!(debug.contains("http://localhost:1"), "{debug}");
    }
}

#[tokio::test]
async fn retries_429_after_retry_after_seconds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("[]")).mount(&server).await;
    let start = Instant::now();
    let response = transport(&server).send(get("/pets")).await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert!(start.elapsed() >= Duration::from_millis(950), "{:?}", start.elapsed());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", when.as_str()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let start = Instant::now();
    let response = transport(&server).send(get("/pets")).await.unwrap();
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    // The date has one-second resolution, so the wait is between one and two seconds.
    assert!(start.elapsed() >= Duration::from_millis(900), "{:?}", start.elapsed());
    response.empty().unwrap();
}

#[tokio::test]
async fn service_unavailable_exhausts_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503).set_body_string("down")).expect(4).mount(&server).await;
    let t = builder(&server).retry_policy(quick_retries(4)).build().unwrap();
    let response = t.send(get("/pets")).await.unwrap();
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    let err = response.into_error();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.api().unwrap().body_text(), "down");
}

#[tokio::test]
async fn other_errors_and_retry_policy_none_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/500")).respond_with(ResponseTemplate::new(500)).expect(1).mount(&server).await;
    Mock::given(path("/503")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    assert_eq!(transport(&server).send(get("/500")).await.unwrap().status, 500);
    let t = builder(&server).retry_policy(RetryPolicy::none()).build().unwrap();
    assert_eq!(t.send(get("/503")).await.unwrap().status, 503);
}

#[tokio::test]
async fn post_is_retried_only_with_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(path("/plain")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    Mock::given(path("/keyed")).respond_with(ResponseTemplate::new(429)).expect(3).mount(&server).await;
    let t = transport(&server);
    assert_eq!(t.send(request(Method::POST, "/plain", NO_AUTH)).await.unwrap().status, 503);
    let mut req = request(Method::POST, "/keyed", NO_AUTH);
    req.header("Idempotency-Key", "abc");
    req.json(&[1, 2]).unwrap();
    assert_eq!(t.send(req).await.unwrap().status, 429);
    let reqs = received(&server).await;
    assert!(reqs.iter().filter(|r| r.url.path() == "/keyed").all(|r| r.body == b"[1,2]"));
}

#[tokio::test]
async fn retry_after_beyond_deadline_or_max_backoff_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(path("/deadline"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/backoff"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "60"))
        .expect(1)
        .mount(&server)
        .await;
    let policy = RetryPolicy { deadline: Some(Duration::from_secs(2)), ..quick_retries(3) };
    let t = builder(&server).retry_policy(policy).build().unwrap();
    let start = Instant::now();
    let response = t.send(get("/deadline")).await.unwrap();
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    let policy = RetryPolicy { deadline: None, ..quick_retries(3) };
    let t = builder(&server).retry_policy(policy).build().unwrap();
    assert_eq!(t.send(get("/backoff")).await.unwrap().status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
}

#[tokio::test]
async fn timeout_is_transport_error_and_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .expect(3)
        .mount(&server)
        .await;
    let t = builder(&server).timeout(Duration::from_millis(200)).build().unwrap();
    let start = Instant::now();
    let err = t.send(get("/slow")).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    match &err {
        Error::Transport(e) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn connect_error_hides_query_credentials() {
    let t = TransportBuilder::new(&closed_port_url())
        .retry_policy(quick_retries(2))
        .credential("orgId", Secret::new("sekrit-org"))
        .build()
        .unwrap();
    let mut req = request(Method::GET, "/op", &[&[&ORG]]);
    req.query("visible", "yes");
    let err = t.send(req).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.is_connect()), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("cannot connect") && shown.contains("visible=yes"), "{shown}");
    assert!(!shown.contains("sekrit"), "{shown}");
}

#[tokio::test]
async fn cross_origin_redirect_is_not_followed() {
    let other = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).expect(0).mount(&other).await;
    let server = MockServer::start().await;
    let location = format!("{}/stolen", other.uri());
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&server)
        .await;
    Mock::given(path("/here"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/there"))
        .mount(&server)
        .await;
    Mock::given(path("/there")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let t = builder(&server).credential("apiKey", Secret::new("k1")).build().unwrap();
    let response = t.send(request(Method::GET, "/moved", &[&[&API_KEY]])).await.unwrap();
    assert_eq!(response.status, StatusCode::FOUND);
    let response = t.send(request(Method::GET, "/here", &[&[&API_KEY]])).await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
}

#[tokio::test]
async fn decode_failure_carries_status_and_body() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": \"x\"")).mount(&server).await;
    #[derive(Debug, Deserialize)]
    struct Pet {
        #[allow(dead_code)]
        id: u64,
    }
    let err = transport(&server).send(get("/pet")).await.unwrap().json::<Pet>().unwrap_err();
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(&body[..], b"{\"id\": \"x\"");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn api_error_display_and_request_id() {
    let mut headers = HeaderMap::new();
    headers.insert("x-amz-request-id", "amz-1".parse().unwrap());
    let err =
        ApiError { status: StatusCode::NOT_FOUND, headers, body: Bytes::from_static(b" no such pet \n"), detail: None };
    assert_eq!(err.request_id(), Some("amz-1"));
    assert_eq!(err.to_string(), "HTTP 404 Not Found: no such pet (request id amz-1)");

    let mut headers = HeaderMap::new();
    headers.insert("request-id", "second".parse().unwrap());
    headers.insert("x-request-id", "first".parse().unwrap());
    let long = "é".repeat(300);
    let err = Error::Api(Box::new(ApiError {
        status: StatusCode::BAD_REQUEST,
        headers,
        body: Bytes::from(long),
        detail: None,
    }));
    let api = err.api().unwrap();
    assert_eq!(api.request_id(), Some("first"));
    assert_eq!(err.to_string(), format!("HTTP 400 Bad Request: {}... (request id first)", "é".repeat(200)));

    let err = ApiError {
        status: StatusCode::BAD_GATEWAY,
        headers: HeaderMap::new(),
        body: Bytes::from_static(b"\xff"),
        detail: None,
    };
    assert_eq!(err.request_id(), None);
    assert_eq!(err.body_text(), "\u{fffd}");
    let err = ApiError { body: Bytes::new(), ..err };
    assert_eq!(err.to_string(), "HTTP 502 Bad Gateway");
}

#[test]
fn retry_policy_defaults() {
    let p = RetryPolicy::default();
    assert_eq!((p.max_attempts, p.initial_backoff), (3, Duration::from_millis(500)));
    assert_eq!((p.max_backoff, p.deadline), (Duration::from_secs(30), Some(Duration::from_secs(120))));
    assert_eq!(RetryPolicy::none().max_attempts, 1);
}

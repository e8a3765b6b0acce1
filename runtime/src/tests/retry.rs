//! Retries: which statuses and failures are retried, `Retry-After`, deadlines, idempotency.

use std::time::{Duration, Instant};

use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{builder, get, quick_retries, received, request, transport, NO_AUTH};
use crate::runtime::*;

#[test]
fn retry_policy_defaults() {
    let p = RetryPolicy::default();
    assert_eq!((p.max_attempts, p.initial_backoff), (3, Duration::from_millis(500)));
    assert_eq!((p.max_backoff, p.deadline), (Duration::from_secs(30), Some(Duration::from_secs(120))));
    assert_eq!(RetryPolicy::none().max_attempts, 1);
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
    Mock::given(path("/501")).respond_with(ResponseTemplate::new(501)).expect(1).mount(&server).await;
    Mock::given(path("/503")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    assert_eq!(transport(&server).send(get("/501")).await.unwrap().status, 501);
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

// --- The rule: `RetryPolicy::decide` ---------------------------------------------------------

const TABLE_STATUSES: [u16; 7] = [408, 409, 429, 500, 502, 503, 504];

fn first(method: &Method) -> Attempt<'_> {
    Attempt { method, keyed: false, replayable: true, number: 1, elapsed: Duration::ZERO }
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, value.parse().unwrap());
    }
    map
}

fn status(code: u16, headers: &HeaderMap) -> AttemptOutcome<'_> {
    AttemptOutcome::Response(StatusCode::from_u16(code).unwrap(), headers)
}

fn retries(decision: Retry) -> bool {
    matches!(decision, Retry::After(_))
}

#[test]
fn decide_retries_the_table_statuses_for_idempotent_methods_and_keyed_requests() {
    let policy = quick_retries(3);
    let none = HeaderMap::new();
    for code in TABLE_STATUSES {
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE] {
            assert!(retries(policy.decide(&first(&method), status(code, &none))), "{method} {code}");
        }
        for method in [Method::POST, Method::PATCH] {
            assert_eq!(policy.decide(&first(&method), status(code, &none)), Retry::No, "{method} {code}");
            let keyed = Attempt { keyed: true, ..first(&method) };
            assert!(retries(policy.decide(&keyed, status(code, &none))), "keyed {method} {code}");
        }
    }
}

#[test]
fn decide_does_not_retry_other_statuses() {
    let policy = quick_retries(3);
    let none = HeaderMap::new();
    for code in [200, 201, 204, 301, 304, 400, 401, 403, 404, 422, 501, 505, 511] {
        let keyed = Attempt { keyed: true, ..first(&Method::GET) };
        assert_eq!(policy.decide(&keyed, status(code, &none)), Retry::No, "{code}");
    }
}

#[test]
fn decide_follows_x_should_retry() {
    let policy = quick_retries(3);
    let yes = headers(&[("x-should-retry", "true")]);
    let no = headers(&[("x-should-retry", "false")]);
    // `true`: any error status, any method, no key needed.
    for code in [400, 409, 500, 501] {
        assert!(retries(policy.decide(&first(&Method::POST), status(code, &yes))), "{code}");
    }
    // But never a success.
    assert_eq!(policy.decide(&first(&Method::GET), status(200, &yes)), Retry::No);
    // `false`: not even a retried status on an idempotent, keyed request.
    let keyed = Attempt { keyed: true, ..first(&Method::GET) };
    for code in TABLE_STATUSES {
        assert_eq!(policy.decide(&keyed, status(code, &no)), Retry::No, "{code}");
    }
    // Anything else is no opinion.
    let odd = headers(&[("x-should-retry", "maybe")]);
    assert!(retries(policy.decide(&first(&Method::GET), status(503, &odd))));
    assert_eq!(policy.decide(&first(&Method::POST), status(503, &odd)), Retry::No);
}

#[test]
fn decide_retries_connection_failures_by_what_may_have_been_sent() {
    let policy = quick_retries(3);
    // Nothing was sent: any method.
    for method in [Method::GET, Method::POST, Method::PATCH] {
        assert!(retries(policy.decide(&first(&method), AttemptOutcome::NotConnected)), "{method}");
    }
    // Reset, closed or timed out: the server may have acted, so idempotent or keyed only.
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        assert!(retries(policy.decide(&first(&method), AttemptOutcome::Interrupted)), "{method}");
    }
    assert_eq!(policy.decide(&first(&Method::POST), AttemptOutcome::Interrupted), Retry::No);
    let keyed = Attempt { keyed: true, ..first(&Method::POST) };
    assert!(retries(policy.decide(&keyed, AttemptOutcome::Interrupted)));
    assert_eq!(policy.decide(&keyed, AttemptOutcome::Failed), Retry::No);
    assert!(matches!(AttemptOutcome::of_error(&Error::InvalidRequest("bad".into())), AttemptOutcome::Failed));
}

#[test]
fn decide_never_replays_a_sent_stream() {
    let policy = quick_retries(3);
    let streamed = Attempt { replayable: false, ..first(&Method::PUT) };
    assert_eq!(policy.decide(&streamed, AttemptOutcome::NotConnected), Retry::No);
    assert_eq!(policy.decide(&streamed, status(503, &HeaderMap::new())), Retry::No);
}

#[test]
fn decide_waits_retry_after_ms_first_then_retry_after() {
    let policy = quick_retries(3);
    let get = first(&Method::GET);
    let wait = |pairs: &[(&'static str, &str)]| policy.decide(&get, status(503, &headers(pairs)));
    assert_eq!(wait(&[("retry-after-ms", "1500")]), Retry::After(Duration::from_millis(1500)));
    assert_eq!(wait(&[("retry-after-ms", "2.5")]), Retry::After(Duration::from_micros(2500)));
    assert_eq!(wait(&[("retry-after-ms", "200"), ("retry-after", "3")]), Retry::After(Duration::from_millis(200)));
    assert_eq!(wait(&[("retry-after", "3")]), Retry::After(Duration::from_secs(3)));
    assert_eq!(wait(&[("retry-after-ms", "soon"), ("retry-after", "2")]), Retry::After(Duration::from_secs(2)));
    assert_eq!(wait(&[("retry-after-ms", "-5"), ("retry-after", "1")]), Retry::After(Duration::from_secs(1)));
    assert_eq!(wait(&[("retry-after", "0")]), Retry::After(Duration::ZERO));
    let past = httpdate::fmt_http_date(std::time::SystemTime::now() - Duration::from_secs(60));
    assert_eq!(wait(&[("retry-after", past.as_str())]), Retry::After(Duration::ZERO));
    let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3));
    assert!(matches!(wait(&[("retry-after", soon.as_str())]), Retry::After(d) if d <= Duration::from_secs(3)));
    // Unparseable: the policy's own backoff (at most `initial_backoff` on the first retry).
    assert!(matches!(wait(&[("retry-after", "later")]), Retry::After(d) if d <= Duration::from_millis(10)));
}

#[test]
fn decide_stops_when_the_server_wait_is_over_the_cap() {
    let policy = quick_retries(3); // max_backoff 5 s
    let get = first(&Method::GET);
    let wait = |pairs: &[(&'static str, &str)]| policy.decide(&get, status(429, &headers(pairs)));
    assert_eq!(wait(&[("retry-after-ms", "5000")]), Retry::After(Duration::from_secs(5)));
    assert_eq!(wait(&[("retry-after-ms", "5001")]), Retry::No);
    assert_eq!(wait(&[("retry-after", "60")]), Retry::No);
    // The milliseconds win even when `Retry-After` alone would stop.
    assert_eq!(wait(&[("retry-after-ms", "100"), ("retry-after", "60")]), Retry::After(Duration::from_millis(100)));
}

#[test]
fn decide_is_bounded_by_max_attempts_and_the_deadline() {
    let policy = RetryPolicy { deadline: Some(Duration::from_secs(10)), ..quick_retries(3) };
    let none = HeaderMap::new();
    let nth = |number, elapsed| Attempt { number, elapsed, ..first(&Method::GET) };
    assert!(retries(policy.decide(&nth(2, Duration::ZERO), status(503, &none))));
    assert_eq!(policy.decide(&nth(3, Duration::ZERO), status(503, &none)), Retry::No);
    let wait_4s = headers(&[("retry-after", "4")]);
    assert!(retries(policy.decide(&nth(1, Duration::from_secs(6)), status(503, &wait_4s))));
    assert_eq!(policy.decide(&nth(1, Duration::from_millis(6001)), status(503, &wait_4s)), Retry::No);
    let unbounded = RetryPolicy { deadline: None, ..policy.clone() };
    assert!(retries(unbounded.decide(&nth(1, Duration::from_secs(3600)), status(503, &wait_4s))));
    for max_attempts in [0, 1] {
        let once = RetryPolicy { max_attempts, ..policy.clone() };
        assert_eq!(once.decide(&nth(1, Duration::ZERO), AttemptOutcome::NotConnected), Retry::No);
    }
}

#[test]
fn backoff_doubles_with_equal_jitter_up_to_the_cap() {
    let policy = RetryPolicy {
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(500),
        ..RetryPolicy::default()
    };
    for (attempt, base_ms) in [(1, 100), (2, 200), (3, 400), (4, 500), (40, 500), (u32::MAX, 500)] {
        let base = Duration::from_millis(base_ms);
        let waits: Vec<Duration> = (0..50).map(|_| policy.backoff(attempt)).collect();
        assert!(waits.iter().all(|w| *w >= base / 2 && *w <= base), "attempt {attempt}: {waits:?}");
        assert!(waits.iter().any(|w| *w != waits[0]), "attempt {attempt}: no jitter in {waits:?}");
    }
}

// --- On the wire: statuses, methods, headers ---------------------------------------------------

/// Mounts `code` once on `at`, then 200: whether a call to `at` is retried shows in the count.
async fn status_then_ok(server: &MockServer, at: &str, code: u16, header: Option<(&str, &str)>) {
    let mut template = ResponseTemplate::new(code);
    if let Some((name, value)) = header {
        template = template.insert_header(name, value);
    }
    Mock::given(path(at)).respond_with(template).up_to_n_times(1).with_priority(1).mount(server).await;
    Mock::given(path(at)).respond_with(ResponseTemplate::new(200)).mount(server).await;
}

fn count(requests: &[wiremock::Request], at: &str) -> usize {
    requests.iter().filter(|r| r.url.path() == at).count()
}

#[tokio::test]
async fn every_status_in_the_table_is_retried_and_others_are_not() {
    let server = MockServer::start().await;
    for code in TABLE_STATUSES.into_iter().chain([400, 404, 501]) {
        status_then_ok(&server, &format!("/{code}"), code, None).await;
    }
    let t = transport(&server);
    for code in TABLE_STATUSES {
        assert_eq!(t.send(get(&format!("/{code}"))).await.unwrap().status, 200, "{code}");
    }
    for code in [400, 404, 501] {
        assert_eq!(t.send(get(&format!("/{code}"))).await.unwrap().status, code, "{code}");
    }
    let requests = received(&server).await;
    for code in TABLE_STATUSES {
        assert_eq!(count(&requests, &format!("/{code}")), 2, "{code}");
    }
    for code in [400, 404, 501] {
        assert_eq!(count(&requests, &format!("/{code}")), 1, "{code}");
    }
}

#[tokio::test]
async fn a_500_is_retried_for_idempotent_methods_and_for_post_or_patch_only_with_a_key() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let t = builder(&server).retry_policy(quick_retries(2)).build().unwrap();
    let methods =
        [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::POST, Method::PATCH];
    for method in methods.clone() {
        t.send(request(method.clone(), &format!("/plain/{method}"), NO_AUTH)).await.unwrap();
        let mut keyed = request(method.clone(), &format!("/keyed/{method}"), NO_AUTH);
        keyed.header("Idempotency-Key", "k-1");
        t.send(keyed).await.unwrap();
    }
    let requests = received(&server).await;
    for method in methods {
        let plain = if matches!(method, Method::POST | Method::PATCH) { 1 } else { 2 };
        assert_eq!(count(&requests, &format!("/plain/{method}")), plain, "{method}");
        assert_eq!(count(&requests, &format!("/keyed/{method}")), 2, "keyed {method}");
    }
}

#[tokio::test]
async fn x_should_retry_true_retries_a_post_and_false_stops_a_503_get() {
    let server = MockServer::start().await;
    status_then_ok(&server, "/told-yes", 400, Some(("x-should-retry", "true"))).await;
    status_then_ok(&server, "/told-no", 503, Some(("x-should-retry", "false"))).await;
    let t = transport(&server);
    let mut post = request(Method::POST, "/told-yes", NO_AUTH);
    post.json(&[1]).unwrap();
    assert_eq!(t.send(post).await.unwrap().status, 200);
    assert_eq!(t.send(get("/told-no")).await.unwrap().status, 503);
    let requests = received(&server).await;
    assert_eq!(count(&requests, "/told-yes"), 2);
    assert_eq!(count(&requests, "/told-no"), 1);
}

// --- On the wire: faults on a raw socket, and the waits the server sees --------------------------

/// What the raw server does with one connection.
#[derive(Debug, Clone, Copy)]
enum Act {
    /// Reads the request and answers with this status and these extra header lines
    /// (`"name: value\r\n"`), a `{}` body, and closes the connection.
    Reply(u16, &'static str),
    /// Reads the request, then closes the connection without a byte of response.
    Close,
    /// Reads the request, then resets the connection (`SO_LINGER` 0, so an RST, not a FIN).
    Reset,
}

/// A request as the raw server read it, and when its head was read.
#[derive(Debug)]
struct Hit {
    at: Instant,
    head: String,
    body: Vec<u8>,
}

type Hits = std::sync::Arc<std::sync::Mutex<Vec<Hit>>>;

/// A server on a raw TCP socket whose `n`th connection gets `acts[n]` (the last one repeats). The
/// port is bound at once but only listened on after `refuse_for`: until then a connection is
/// refused.
async fn raw_server(refuse_for: Duration, acts: Vec<Act>) -> (String, Hits) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let url = format!("http://{}", socket.local_addr().unwrap());
    let hits = Hits::default();
    let seen = hits.clone();
    let listening = if refuse_for.is_zero() { Ok(socket.listen(16).unwrap()) } else { Err(socket) };
    tokio::spawn(async move {
        let listener = match listening {
            Ok(listener) => listener,
            Err(socket) => {
                tokio::time::sleep(refuse_for).await;
                socket.listen(16).unwrap()
            }
        };
        for n in 0.. {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let act = acts[n.min(acts.len() - 1)];
            let Some(hit) = read_request(&mut stream).await else { continue };
            seen.lock().unwrap().push(hit);
            match act {
                Act::Reply(code, extra) => {
                    let response = format!(
                        "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\
                         connection: close\r\n{extra}\r\n{{}}"
                    );
                    let _ = tokio::io::AsyncWriteExt::write_all(&mut stream, response.as_bytes()).await;
                    let _ = tokio::io::AsyncWriteExt::shutdown(&mut stream).await;
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

/// Reads one request: the head, then a `content-length` body.
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Hit> {
    use tokio::io::AsyncReadExt;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buffer.extend_from_slice(&chunk[..n]);
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let length = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buffer[end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Hit { at, head, body })
}

fn raw_transport(url: &str, policy: RetryPolicy) -> Transport {
    TransportBuilder::new(url).retry_policy(policy).build().unwrap()
}

fn put_json(path: &str) -> Request {
    let mut req = request(Method::PUT, path, NO_AUTH);
    req.json(&serde_json::json!({"value": 1})).unwrap();
    req
}

#[tokio::test]
async fn retry_after_ms_is_the_wait_between_attempts() {
    let (url, hits) =
        raw_server(Duration::ZERO, vec![Act::Reply(503, "retry-after-ms: 1500\r\n"), Act::Reply(200, "")]).await;
    // Without the header the wait would be this policy's backoff: at most 10 ms.
    let response = raw_transport(&url, quick_retries(3)).send(get("/wait")).await.unwrap();
    assert_eq!(response.status, StatusCode::OK);
    let hits = hits.lock().unwrap();
    assert_eq!(hits.len(), 2);
    let gap = hits[1].at - hits[0].at;
    assert!(gap >= Duration::from_millis(1500) && gap < Duration::from_millis(4000), "{gap:?}");
}

#[tokio::test]
async fn connection_refused_is_retried_on_a_put_and_on_a_post() {
    // The first attempt is refused; the next, 0.5 s to 1 s later, finds the server listening.
    let policy = RetryPolicy { initial_backoff: Duration::from_secs(1), ..quick_retries(3) };
    for method in [Method::PUT, Method::POST] {
        let (url, hits) = raw_server(Duration::from_millis(200), vec![Act::Reply(200, "")]).await;
        let mut req = request(method.clone(), "/refused", NO_AUTH);
        req.json(&[1]).unwrap();
        let start = Instant::now();
        let response = raw_transport(&url, policy.clone()).send(req).await.unwrap();
        assert_eq!(response.status, StatusCode::OK, "{method}");
        let hits = hits.lock().unwrap();
        assert_eq!(hits.len(), 1, "{method}");
        // Served after a backoff (at least 0.5 s), not by a first attempt made once listening.
        assert!(hits[0].at - start >= Duration::from_millis(500), "{method}: {:?}", hits[0].at - start);
    }
}

#[tokio::test]
async fn connection_reset_or_closed_before_the_response_is_retried_on_a_put() {
    for fault in [Act::Reset, Act::Close] {
        let (url, hits) = raw_server(Duration::ZERO, vec![fault, Act::Reply(200, "")]).await;
        let response = raw_transport(&url, quick_retries(3)).send(put_json("/items/1")).await;
        let response = response.unwrap_or_else(|e| panic!("{fault:?}: {e:?}"));
        assert_eq!(response.status, StatusCode::OK, "{fault:?}");
        let hits = hits.lock().unwrap();
        assert_eq!(hits.len(), 2, "{fault:?}");
        assert!(hits[0].head.starts_with("PUT /items/1 "), "{}", hits[0].head);
        assert_eq!(hits[0].body, hits[1].body, "{fault:?}: the retry re-sends the body");
        assert_eq!(hits[1].body, br#"{"value":1}"#);
    }
}

#[tokio::test]
async fn connection_reset_or_closed_on_a_post_is_retried_only_with_a_key() {
    for fault in [Act::Reset, Act::Close] {
        let (url, hits) = raw_server(Duration::ZERO, vec![fault, Act::Reply(201, "")]).await;
        let t = raw_transport(&url, quick_retries(3));
        let mut post = request(Method::POST, "/orders", NO_AUTH);
        post.json(&[1]).unwrap();
        let err = t.send(post).await.unwrap_err();
        assert!(matches!(&err, Error::Transport(e) if e.is_request()), "{fault:?}: {err:?}");
        assert_eq!(hits.lock().unwrap().len(), 1, "{fault:?}: the server may have acted on it");

        let (url, hits) = raw_server(Duration::ZERO, vec![fault, Act::Reply(201, "")]).await;
        let t = raw_transport(&url, quick_retries(3));
        let mut post = request(Method::POST, "/orders", NO_AUTH);
        post.header("Idempotency-Key", "order-1");
        post.json(&[1]).unwrap();
        assert_eq!(t.send(post).await.unwrap().status, StatusCode::CREATED, "{fault:?}");
        let hits = hits.lock().unwrap();
        assert_eq!(hits.len(), 2, "{fault:?}");
        assert!(hits.iter().all(|h| h.head.to_ascii_lowercase().contains("idempotency-key: order-1")));
    }
}

#[tokio::test]
async fn a_streamed_body_closed_before_the_response_is_not_sent_again() {
    let (url, hits) = raw_server(Duration::ZERO, vec![Act::Close, Act::Reply(200, "")]).await;
    let chunks = futures_util::stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(b"abc"))]);
    let mut req = request(Method::PUT, "/blob", NO_AUTH);
    req.binary("application/octet-stream", BinaryBody::stream(chunks));
    let err = raw_transport(&url, quick_retries(3)).send(req).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(hits.lock().unwrap().len(), 1, "{err:?}");
}

//! OAuth2 client credentials: the token URL resolved against the base URL, what the token request
//! carries, which token answers are accepted, and that neither the secret nor a token shows.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{bearer_token, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{received, request};
use crate::runtime::*;

const OAUTH: SecurityScheme = SecurityScheme { name: "oauth", kind: SchemeKind::Bearer };
const API_KEY_ONLY: SecurityScheme = SecurityScheme { name: "oauth", kind: SchemeKind::ApiKeyHeader("X-Key") };
const SECRET: &str = "s3cr3t-value";

fn token_answer(token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600}))
}

fn oauth_transport(base_url: &str, token_url: &'static str, credentials: ClientCredentials) -> Transport {
    TransportBuilder::new(base_url)
        .retry_policy(RetryPolicy::none())
        .client_credentials("oauth", token_url, credentials)
        .build()
        .expect("transport builds")
}

async fn call(transport: &Transport, path: &str) -> Result<Response, Error> {
    transport.send(request(Method::GET, path, &[&[&OAUTH]])).await
}

/// The token error of a call, or a panic naming what came instead.
fn token_error(outcome: Result<Response, Error>) -> TokenError {
    match outcome {
        Err(Error::Token(e)) => *e,
        Err(other) => panic!("expected a token error, got {other:?}"),
        Ok(response) => panic!("expected a token error, got HTTP {}", response.status),
    }
}

#[tokio::test]
async fn token_urls_resolve_against_the_base_url_as_a_folder() {
    let server = MockServer::start().await;
    for token_path in ["/v1/oauth/token", "/root-token"] {
        Mock::given(method("POST")).and(path(token_path)).respond_with(token_answer("t")).mount(&server).await;
    }
    Mock::given(path("/v1/items")).and(bearer_token("t")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let base = format!("{}/v1", server.uri());
    let absolute: &'static str = Box::leak(format!("{}/v1/oauth/token", server.uri()).into_boxed_str());
    for token_url in ["oauth/token", "/root-token", absolute] {
        let transport = oauth_transport(&base, token_url, ClientCredentials::new("id", SECRET));
        assert_eq!(call(&transport, "/items").await.expect("sent").status, 200, "{token_url}");
    }
    let token_requests: Vec<String> = received(&server)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(token_requests, ["/v1/oauth/token", "/root-token", "/v1/oauth/token"]);
}

#[test]
fn a_token_url_that_is_not_http_fails_the_build() {
    let build = |token_url: &'static str| {
        TransportBuilder::new("https://api.example.com")
            .client_credentials("oauth", token_url, ClientCredentials::new("id", SECRET))
            .build()
    };
    match build("ftp://auth.example.com/token") {
        Err(Error::InvalidRequest(why)) => assert!(why.contains("token URL"), "{why}"),
        other => panic!("expected an invalid token URL, got {other:?}"),
    }
    // The credentials' own token URL replaces the spec's.
    let fixed = TransportBuilder::new("https://api.example.com")
        .client_credentials("oauth", "ftp://x", ClientCredentials::new("id", SECRET).token_url("/token"))
        .build();
    assert!(fixed.is_ok());
}

#[tokio::test]
async fn the_client_credentials_go_only_where_the_scheme_is_bearer() {
    let server = MockServer::start().await;
    Mock::given(path("/items")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = oauth_transport(&server.uri(), "/token", ClientCredentials::new("id", SECRET));
    let outcome = transport.send(request(Method::GET, "/items", &[&[&API_KEY_ONLY]])).await;
    assert!(matches!(outcome, Err(Error::MissingCredentials { .. })), "{outcome:?}");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn expires_in_may_be_a_string_and_token_type_any_case_of_bearer() {
    let server = MockServer::start().await;
    let answer = json!({"access_token": "t", "token_type": "bearer", "expires_in": "3600"});
    Mock::given(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/items")).and(bearer_token("t")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = oauth_transport(&server.uri(), "/token", ClientCredentials::new("id", SECRET));
    for _ in 0..2 {
        assert_eq!(call(&transport, "/items").await.expect("sent").status, 200);
    }
}

#[tokio::test]
async fn answers_that_are_not_bearer_tokens_fail_without_quoting_them() {
    let server = MockServer::start().await;
    let answers = [
        (ResponseTemplate::new(200).set_body_json(json!({"access_token": "tok-mac", "token_type": "mac"})), "mac"),
        (ResponseTemplate::new(200).set_body_string("<html>tok-html</html>"), "not an OAuth2 token"),
        (ResponseTemplate::new(200).set_body_json(json!({"access_token": ""})), "empty"),
    ];
    for (answer, expected) in answers {
        server.reset().await;
        Mock::given(path("/token")).respond_with(answer).mount(&server).await;
        let transport = oauth_transport(&server.uri(), "/token", ClientCredentials::new("id", SECRET));
        let error = token_error(call(&transport, "/items").await);
        let shown = format!("{error} {error:?}");
        assert!(shown.contains(expected), "{shown}");
        assert!(!shown.contains("tok-"), "{shown}");
        assert_eq!(error.status, Some(StatusCode::OK));
    }
}

#[tokio::test]
async fn a_refusal_is_bounded_and_never_shows_the_secret() {
    let server = MockServer::start().await;
    let echo = format!("{SECRET} {}", "x".repeat(10_000));
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(401).set_body_string(echo)).mount(&server).await;
    let transport = oauth_transport(&server.uri(), "/token", ClientCredentials::new("id", SECRET));
    let error = call(&transport, "/items").await.expect_err("refused");
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(display.contains("HTTP 401") && display.contains("`oauth`"), "{display}");
    assert!(display.len() < 1024 && debug.len() < 1024, "{display}");
    assert!(!display.contains(SECRET) && !debug.contains(SECRET), "{display}");
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_token_error() {
    let base = super::closed_port_url();
    let transport = oauth_transport(&base, "/token", ClientCredentials::new("id", SECRET));
    let error = token_error(call(&transport, "/items").await);
    assert_eq!(error.status, None);
    assert!(error.message.contains("cannot reach"), "{}", error.message);
}

#[tokio::test]
async fn an_oversized_token_answer_is_refused() {
    let server = MockServer::start().await;
    let huge = json!({"access_token": "t", "padding": "x".repeat(200_000)});
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(200).set_body_json(huge)).mount(&server).await;
    let transport = oauth_transport(&server.uri(), "/token", ClientCredentials::new("id", SECRET));
    let error = token_error(call(&transport, "/items").await);
    assert!(error.message.contains("larger than"), "{}", error.message);
}

#[tokio::test]
async fn without_expires_in_the_token_lasts_until_a_401() {
    let server = MockServer::start().await;
    Mock::given(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "t"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/items")).and(bearer_token("t")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let transport = oauth_transport(&server.uri(), "/token", ClientCredentials::new("id", SECRET));
    for _ in 0..3 {
        assert_eq!(call(&transport, "/items").await.expect("sent").status, 200);
    }
}

#[tokio::test]
async fn the_refresh_margin_is_at_most_half_the_lifetime() {
    let server = MockServer::start().await;
    let answer = json!({"access_token": "t", "expires_in": 2});
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(200).set_body_json(answer)).mount(&server).await;
    Mock::given(path("/items")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    // A 30 s margin on a 2 s token would refetch on every call; it is cut to 1 s.
    let transport = oauth_transport(&server.uri(), "/token", ClientCredentials::new("id", SECRET));
    call(&transport, "/items").await.expect("sent");
    call(&transport, "/items").await.expect("sent");
    let token_requests = |reqs: &[wiremock::Request]| reqs.iter().filter(|r| r.url.path() == "/token").count();
    assert_eq!(token_requests(&received(&server).await), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    call(&transport, "/items").await.expect("sent");
    assert_eq!(token_requests(&received(&server).await), 2);
}

#[test]
fn debug_shows_the_client_id_but_never_the_secret() {
    let credentials =
        ClientCredentials::new("my-client", SECRET).scopes(["read"]).param("audience", "aud-value-hidden");
    let shown = format!("{credentials:?}");
    assert!(shown.contains("my-client") && shown.contains("read") && shown.contains("audience"), "{shown}");
    assert!(!shown.contains(SECRET) && !shown.contains("aud-value-hidden"), "{shown}");
    let transport = oauth_transport("https://api.example.com", "/token", credentials);
    let builder = TransportBuilder::new("https://api.example.com").client_credentials(
        "oauth",
        "/token",
        ClientCredentials::new("my-client", SECRET),
    );
    for shown in [format!("{transport:?}"), format!("{builder:?}")] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test]
async fn a_request_that_fails_validation_fetches_no_token_either() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(token_answer("t")).mount(&server).await;
    let transport = oauth_transport(&server.uri(), "/oauth/token", ClientCredentials::new("id", SECRET));
    let mut invalid = request(Method::GET, "/items", &[&[&OAUTH]]);
    invalid.check(|violations| violations.number("query.limit", 0.0, Some((1.0, false)), None, None));
    assert!(matches!(transport.send(invalid).await, Err(Error::Validation { .. })));
    assert!(received(&server).await.is_empty(), "not even a token request");
}

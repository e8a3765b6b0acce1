//! Credentials: which alternative of an operation's security is used, how each kind is sent, and that
//! secrets never show.

use wiremock::matchers::{any, basic_auth, bearer_token, header, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{builder, received, request, transport, API_KEY, BASIC, BEARER, BEARER_OR_KEY_AND_ORG, CSRF, ORG, SESSION};
use crate::runtime::*;

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

//! Tests of the runtime, one file per module of `src/runtime/`, most against a local wiremock
//! server; the shared fixtures (security schemes, quick retries, request builders) are here.

use std::time::Duration;

use wiremock::MockServer;

use crate::runtime::*;

mod auth;
mod decode;
mod error;
mod hook;
mod oauth;
mod pagination;
mod params;
mod raw_response;
mod request;
mod response;
mod retry;
mod serde_impls;
mod sse;
mod transport;
mod validation;
mod webhook;

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

/// A plain call of `request` decoding a JSON success as `T`, with untyped errors.
async fn untyped_call<T: serde::de::DeserializeOwned>(
    transport: &Transport,
    request: Request,
    options: &RequestOptions,
) -> Result<T, Error> {
    transport.call(Ok(request), options, Response::json, untyped).await
}

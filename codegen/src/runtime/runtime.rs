//! Runtime support for the generated client: transport, authentication, retries and errors.
//!
//! This file is emitted verbatim by the generator into every client crate; do not edit it there.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, RETRY_AFTER};
use reqwest::Url;
use tokio::time::Instant;

pub use bytes::Bytes;
pub use reqwest::{header::HeaderMap, Method, StatusCode};

/// A credential (token, API key or password). `Debug` prints `Secret(***)`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How one security scheme from the spec is applied to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic authentication with a username and password.
    Basic,
    /// An API key sent in the named header.
    ApiKeyHeader(&'static str),
    /// An API key sent as the named query parameter.
    ApiKeyQuery(&'static str),
    /// An API key sent as the named cookie.
    ApiKeyCookie(&'static str),
}

/// One security scheme declared by the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec; credentials are configured under this name.
    pub name: &'static str,
    /// How the credential is applied.
    pub kind: SchemeKind,
}

/// Alternatives (OR) of requirements (AND). Empty slice = no auth needed. An inner empty slice =
/// "auth optional".
pub type Security = &'static [&'static [&'static SecurityScheme]];

/// When and how often a request is retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first included (0 behaves as 1).
    pub max_attempts: u32,
    /// Backoff before the second attempt; it doubles for each attempt after that.
    pub initial_backoff: Duration,
    /// Upper bound on one backoff. A `Retry-After` longer than this stops retrying.
    pub max_backoff: Duration,
    /// No sleep ends later than this, measured from the start of the first attempt.
    pub deadline: Option<Duration>,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    /// The backoff before attempt `attempt + 1`, with equal jitter: half fixed, half random.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        let base = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let half = base / 2;
        let span = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if span == 0 { 0 } else { random_u64() % span };
        half.saturating_add(Duration::from_nanos(jitter))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            deadline: Some(Duration::from_secs(120)),
        }
    }
}

/// A random number from std's randomly keyed hasher (good enough for jitter).
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    hasher.finish()
}

#[derive(Clone)]
enum Credential {
    Token(Secret),
    Basic { username: String, password: Secret },
}

/// Configures and builds a [`Transport`].
pub struct TransportBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    client: Option<reqwest::Client>,
    credentials: Vec<(&'static str, Credential)>,
}

impl TransportBuilder {
    /// Starts from the spec's default server URL.
    pub fn new(default_base_url: &str) -> Self {
        TransportBuilder {
            base_url: default_base_url.to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            client: None,
            credentials: Vec::new(),
        }
    }

    /// Sends requests to this base URL instead of the default one.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Total time allowed for one attempt, reading the body included (default 30 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Time allowed to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = p;
        self
    }

    /// Sets the `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// Uses this client as is; timeouts and user agent set on this builder are then ignored.
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.client = Some(c);
        self
    }

    /// Sets the bearer token or API key for the named security scheme.
    pub fn credential(self, scheme: &'static str, secret: Secret) -> Self {
        self.with_credential(scheme, Credential::Token(secret))
    }

    /// Sets the username and password for the named HTTP basic security scheme.
    pub fn basic_credential(self, scheme: &'static str, username: impl Into<String>, password: Secret) -> Self {
        self.with_credential(scheme, Credential::Basic { username: username.into(), password })
    }

    fn with_credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.retain(|(name, _)| *name != scheme);
        self.credentials.push((scheme, credential));
        self
    }

    /// Checks the base URL (absolute, http or https) and builds the HTTP client.
    pub fn build(self) -> Result<Transport, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let invalid = |why: &str| Error::InvalidRequest(format!("invalid base URL `{base_url}`: {why}"));
        let url = Url::parse(&base_url).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(invalid("expected an http or https URL"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("a query or fragment is not allowed"));
        }
        let client = match self.client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                .redirect(same_origin_redirects())
                .build()
                .map_err(Error::Transport)?,
        };
        let inner = Inner { base_url, client, retry: self.retry, credentials: self.credentials };
        Ok(Transport { inner: Arc::new(inner) })
    }
}

impl fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("custom_client", &self.client.is_some())
            .field("credentials", &credential_names(&self.credentials))
            .finish()
    }
}

/// Follows up to 10 redirects, but never to another origin (credentials could leak there).
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().map(Url::origin) == Some(attempt.url().origin());
        if attempt.previous().len() > 10 || !same_origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

fn credential_names(credentials: &[(&'static str, Credential)]) -> Vec<&'static str> {
    credentials.iter().map(|(name, _)| *name).collect()
}

struct Inner {
    base_url: String,
    client: reqwest::Client,
    retry: RetryPolicy,
    credentials: Vec<(&'static str, Credential)>,
}

/// Sends [`Request`]s: applies credentials, retries, reads responses. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &credential_names(&self.inner.credentials))
            .finish()
    }
}

/// The parts of a request computed once and reused by every attempt.
struct Prepared {
    request: reqwest::Request,
    /// Query parameters holding credentials, redacted from error messages.
    secret_query: Vec<&'static str>,
}

impl Transport {
    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends the request, retrying as the [`RetryPolicy`] allows, and reads the whole response.
    ///
    /// Every HTTP status gives `Ok`; `Err` is for transport failures, missing credentials and
    /// invalid requests.
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let policy = &self.inner.retry;
        let max_attempts = if is_retryable(&request) { policy.max_attempts.max(1) } else { 1 };
        let prepared = self.prepare(request)?;
        let start = Instant::now();
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(&prepared).await;
            let delay = match &outcome {
                Ok(r) if matches!(r.status.as_u16(), 429 | 503) => match retry_after(&r.headers) {
                    Some(d) if d > policy.max_backoff => return outcome,
                    Some(d) => d,
                    None => policy.backoff(attempt),
                },
                Err(Error::Transport(e)) if e.is_connect() || e.is_timeout() => policy.backoff(attempt),
                _ => return outcome,
            };
            let past_deadline = policy.deadline.is_some_and(|d| delay > d.saturating_sub(start.elapsed()));
            if attempt >= max_attempts || past_deadline {
                return outcome;
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, prepared: &Prepared) -> Result<Response, Error> {
        let redact = |e: reqwest::Error| Error::Transport(redact_url(e, &prepared.secret_query));
        let request = prepared
            .request
            .try_clone()
            .ok_or_else(|| Error::InvalidRequest("request body cannot be re-sent".to_owned()))?;
        let mut response = self.inner.client.execute(request).await.map_err(redact)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(redact)?;
        Ok(Response { status, headers, body })
    }

    fn credential(&self, scheme: &SecurityScheme) -> Option<&Credential> {
        let (_, credential) = self.inner.credentials.iter().find(|(name, _)| *name == scheme.name)?;
        match (scheme.kind, credential) {
            (SchemeKind::Basic, Credential::Basic { .. }) => Some(credential),
            (SchemeKind::Basic, _) | (_, Credential::Basic { .. }) => None,
            _ => Some(credential),
        }
    }

    fn prepare(&self, request: Request) -> Result<Prepared, Error> {
        let separator = if request.path.starts_with('/') { "" } else { "/" };
        let joined = format!("{}{separator}{}", self.inner.base_url, request.path);
        let mut url = Url::parse(&joined).map_err(|e| Error::InvalidRequest(format!("invalid URL `{joined}`: {e}")))?;

        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            headers.append(header_name(name)?, header_value(value, || format!("header `{name}`"))?);
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        let body = match request.body {
            Some(Body::Json(bytes)) => {
                if !headers.contains_key(CONTENT_TYPE) {
                    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                }
                Some(bytes)
            }
            Some(Body::Raw { content_type, bytes }) => {
                if !headers.contains_key(CONTENT_TYPE) {
                    headers.insert(CONTENT_TYPE, header_value(content_type, || "content type".to_owned())?);
                }
                Some(bytes)
            }
            None => None,
        };

        let mut query = request.query;
        let mut secret_query = Vec::new();
        let mut cookies = Vec::new();
        let mut basic = None;
        for scheme in self.select(request.operation_id, request.security)? {
            let credential = self.credential(scheme);
            let what = || format!("credential `{}`", scheme.name);
            match (scheme.kind, credential) {
                (SchemeKind::Basic, Some(Credential::Basic { username, password })) => {
                    basic = Some((username, password.expose()));
                }
                (SchemeKind::Bearer, Some(Credential::Token(token))) => {
                    let value = format!("Bearer {}", token.expose());
                    headers.insert(AUTHORIZATION, sensitive(&value, what)?);
                }
                (SchemeKind::ApiKeyHeader(name), Some(Credential::Token(key))) => {
                    headers.insert(header_name(name)?, sensitive(key.expose(), what)?);
                }
                (SchemeKind::ApiKeyQuery(name), Some(Credential::Token(key))) => {
                    query.push((name, key.expose().to_owned()));
                    secret_query.push(name);
                }
                (SchemeKind::ApiKeyCookie(name), Some(Credential::Token(key))) => {
                    cookies.push(format!("{name}={}", key.expose()));
                }
                _ => {}
            }
        }
        if !cookies.is_empty() {
            let existing = headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok());
            let all: Vec<&str> = existing.chain(cookies.iter().map(String::as_str)).collect();
            headers.insert(COOKIE, sensitive(&all.join("; "), || "cookie credentials".to_owned())?);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(&query);
        }

        let mut builder = self.inner.client.request(request.method, url).headers(headers);
        if let Some((username, password)) = basic {
            builder = builder.basic_auth(username, Some(password));
        }
        if let Some(body) = body {
            builder = builder.body(body);
        }
        let request = builder.build().map_err(|e| Error::Transport(redact_url(e, &secret_query)))?;
        Ok(Prepared { request, secret_query })
    }

    /// The first alternative whose schemes all have a configured credential.
    fn select(&self, operation: &'static str, security: Security) -> Result<&'static [&'static SecurityScheme], Error> {
        if security.is_empty() {
            return Ok(&[]);
        }
        let usable = |alternative: &&[&SecurityScheme]| alternative.iter().all(|s| self.credential(s).is_some());
        security.iter().copied().find(usable).ok_or_else(|| {
            let names = |alt: &&[&SecurityScheme]| alt.iter().map(|s| s.name).collect::<Vec<_>>().join(" + ");
            let schemes = security.iter().map(names).collect::<Vec<_>>().join(", or ");
            Error::MissingCredentials { operation, schemes }
        })
    }
}

/// Idempotent methods, and any request carrying an `Idempotency-Key` header, may be retried.
fn is_retryable(request: &Request) -> bool {
    let idempotent = [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE];
    idempotent.contains(&request.method)
        || request.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("idempotency-key"))
}

fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidRequest(format!("invalid header name `{name}`")))
}

fn header_value(value: &str, what: impl FnOnce() -> String) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::InvalidRequest(format!("{} is not a valid header value", what())))
}

/// A header value marked sensitive; the error never contains the value.
fn sensitive(value: &str, what: impl FnOnce() -> String) -> Result<HeaderValue, Error> {
    let mut value = header_value(value, what)?;
    value.set_sensitive(true);
    Ok(value)
}

/// Replaces credential query parameters in the error's URL with `REDACTED`.
fn redact_url(mut error: reqwest::Error, secret_query: &[&str]) -> reqwest::Error {
    if let (Some(url), false) = (error.url_mut(), secret_query.is_empty()) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if secret_query.contains(&&*k) { "REDACTED".into() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    error
}

/// `Retry-After` as delta-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

/// One HTTP request as the generated code describes it.
#[derive(Debug, Clone)]
pub struct Request {
    /// The spec's operation id, used in error messages.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path, already percent-encoded, starting with `/`.
    pub path: String,
    /// Query parameters, form-urlencoded when sent.
    pub query: Vec<(&'static str, String)>,
    /// Headers set by the operation's parameters.
    pub headers: Vec<(&'static str, String)>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The operation's security requirements.
    pub security: Security,
}

impl Request {
    /// A request without query parameters, headers or body.
    pub fn new(operation_id: &'static str, method: Method, path: String, security: Security) -> Self {
        Request { operation_id, method, path, query: Vec::new(), headers: Vec::new(), body: None, security }
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((name, value.to_string()));
    }

    /// Adds a header.
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((name, value.to_string()));
    }

    /// Serializes `body` as the JSON request body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("cannot serialize the request body: {e}")))?;
        self.body = Some(Body::Json(Bytes::from(bytes)));
        Ok(())
    }

    /// Sets an already encoded body of the given media type.
    pub fn raw(&mut self, content_type: &'static str, bytes: impl Into<Bytes>) {
        self.body = Some(Body::Raw { content_type, bytes: bytes.into() });
    }
}

/// Formats a path, query or header parameter value the way it appears in a URL: strings as they
/// are, numbers and booleans as written in JSON, other values as compact JSON.
pub fn param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A request body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Body {
    /// Serialized JSON, sent as `application/json`.
    Json(Bytes),
    /// An already encoded body, sent with its media type.
    Raw {
        /// The `Content-Type`.
        content_type: &'static str,
        /// The bytes.
        bytes: Bytes,
    },
}

/// A fully read response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl Response {
    /// Decodes the body as JSON.
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            status: self.status,
            body: self.body,
            source,
        })
    }

    /// The body as text (invalid UTF-8 is replaced, never an error).
    pub fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// Discards the body.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// Turns an unexpected response into [`Error::Api`].
    pub fn into_error(self) -> Error {
        Error::Api(Box::new(ApiError { status: self.status, headers: self.headers, body: self.body }))
    }
}

/// What can go wrong when calling the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response not read (connection, timeout, ...).
    #[error("transport error ({reason}): {0}", reason = transport_reason(.0))]
    Transport(#[source] reqwest::Error),
    /// The server answered with a status the operation does not expect to succeed (boxed to keep
    /// `Error` small).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The response body did not match the expected type.
    #[error("cannot decode the HTTP {status} response body: {source}")]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The body that could not be decoded.
        body: Bytes,
        /// What serde_json reported.
        source: serde_json::Error,
    },
    /// No alternative of the operation's security requirements has all its credentials configured.
    #[error("operation `{operation}` needs credentials: configure {schemes}")]
    MissingCredentials {
        /// The operation id.
        operation: &'static str,
        /// The alternatives that would do, e.g. `bearerAuth, or apiKey + orgId`.
        schemes: String,
    },
    /// The request cannot be built (bad base URL, path parameter, header value, ...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

fn transport_reason(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_redirect() {
        "redirect failed"
    } else if error.is_body() || error.is_decode() {
        "cannot read the body"
    } else if error.is_builder() {
        "cannot build the request"
    } else {
        "request failed"
    }
}

impl Error {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The API error, when the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

/// A response with an unexpected (usually non-2xx) status.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl ApiError {
    /// The server's request id, from the first of the usual headers present.
    pub fn request_id(&self) -> Option<&str> {
        ["x-request-id", "request-id", "x-amz-request-id", "x-github-request-id"]
            .iter()
            .filter_map(|name| self.headers.get(*name)?.to_str().ok())
            .find(|id| !id.is_empty())
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        let text = self.body_text();
        let text = text.trim();
        if !text.is_empty() {
            let short: String = text.chars().take(200).collect();
            let more = if short.len() < text.len() { "..." } else { "" };
            write!(f, ": {short}{more}")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path parameter value as a single path segment: everything except RFC 3986
/// unreserved characters is encoded, so `a/b c` becomes `a%2Fb%20c`. `""`, `.` and `..` are
/// rejected with [`Error::InvalidRequest`] because URL parsers would collapse them.
pub fn path_segment(value: &str) -> Result<String, Error> {
    if matches!(value, "" | "." | "..") {
        return Err(Error::InvalidRequest(format!("path parameter `{value}` is not allowed")));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

//! Runtime support for the generated client: transport, authentication, retries and errors.
//!
//! This file is emitted verbatim by the generator into every client crate; do not edit it there.

use std::borrow::Cow;
use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, RETRY_AFTER};
use reqwest::Url;
use tokio::time::Instant;

pub use bytes::Bytes;
pub use futures_util::stream::BoxStream;
pub use futures_util::Stream;
pub use reqwest::{header::HeaderMap, Method, StatusCode};
use tracing::Instrument;

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
    /// The request; taken by the first attempt when its body cannot be cloned (a stream).
    request: Option<reqwest::Request>,
    /// Query parameters holding credentials, redacted from error messages.
    secret_query: Vec<&'static str>,
}

/// What one attempt received: the whole response, or its head with the body still to read.
enum Received {
    Full(Response),
    Head(reqwest::Response),
}

impl Received {
    fn status(&self) -> StatusCode {
        match self {
            Received::Full(r) => r.status,
            Received::Head(r) => r.status(),
        }
    }

    fn headers(&self) -> &HeaderMap {
        match self {
            Received::Full(r) => &r.headers,
            Received::Head(r) => r.headers(),
        }
    }
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
        self.send_with(request, &RequestOptions::default()).await
    }

    /// [`Transport::send`] with per-call options (timeout, retry policy, extra headers).
    pub async fn send_with(&self, request: Request, options: &RequestOptions) -> Result<Response, Error> {
        match self.execute(request, options, false).await? {
            Received::Full(response) => Ok(response),
            Received::Head(head) => read_full(head).await,
        }
    }

    /// Sends `request` (or fails with its error) with `options`; decodes a success with `decode`,
    /// and any other status into [`Error::Api`] with its body decoded by `errors` (the
    /// operation's typed error, or [`untyped`]).
    ///
    /// Every generated operation method is a plain function returning this future, with plain
    /// functions (not closures) for both decoders: one async function per success and error type
    /// rather than a state machine per operation, which is most of what the compiler spends on a
    /// large client.
    pub async fn call<T, E: Detail>(
        &self,
        request: Result<Request, Error>,
        options: &RequestOptions,
        decode: fn(Response) -> Result<T, Error>,
        errors: fn(u16, &[u8]) -> Option<E>,
    ) -> Result<T, Error> {
        let response = self.send_with(request?, options).await?;
        if response.status.is_success() {
            decode(response)
        } else {
            Err(response.into_typed_error(errors))
        }
    }

    /// Sends the request like [`Transport::send_with`] but returns once the response head has
    /// arrived, so the body can be read as a stream. Retries happen only before that point.
    ///
    /// A success gives `Ok(Ok(streaming))`; any other status `Ok(Err(response))`, read in full.
    pub async fn send_streaming(
        &self,
        request: Request,
        options: &RequestOptions,
    ) -> Result<Result<Streaming, Response>, Error> {
        Ok(match self.execute(request, options, true).await? {
            Received::Head(head) => {
                Ok(Streaming { status: head.status(), headers: head.headers().clone(), response: head })
            }
            Received::Full(response) => Err(response),
        })
    }

    async fn execute(&self, request: Request, options: &RequestOptions, stream: bool) -> Result<Received, Error> {
        let span = tracing::info_span!(
            "http_request",
            operation = request.operation_id,
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let outcome = self.execute_in_span(request, options, stream, &span).instrument(span.clone()).await;
        if let Ok(received) = &outcome {
            span.record("status", received.status().as_u16());
        }
        outcome
    }

    async fn execute_in_span(
        &self,
        mut request: Request,
        options: &RequestOptions,
        stream: bool,
        span: &tracing::Span,
    ) -> Result<Received, Error> {
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        for (name, value) in &options.headers {
            request.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            request.headers.push((Cow::Owned(name.clone()), value.clone()));
        }
        if let Some(key) = &options.idempotency_key {
            request.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("idempotency-key"));
            request.headers.push((Cow::Borrowed("Idempotency-Key"), key.clone()));
        }
        let max_attempts = if is_retryable(&request) { policy.max_attempts.max(1) } else { 1 };
        let mut prepared = self.prepare(request)?;
        if let (Some(timeout), Some(request)) = (options.timeout, prepared.request.as_mut()) {
            *request.timeout_mut() = Some(timeout);
        }
        let start = Instant::now();
        let mut attempt = 1;
        loop {
            span.record("attempts", attempt);
            let outcome = self.attempt(&mut prepared, stream).await;
            let delay = match &outcome {
                Ok(r) if matches!(r.status().as_u16(), 429 | 503) => match retry_after(r.headers()) {
                    Some(d) if d > policy.max_backoff => return outcome,
                    Some(d) => d,
                    None => policy.backoff(attempt),
                },
                Err(Error::Transport(e)) if e.is_connect() || e.is_timeout() => policy.backoff(attempt),
                _ => return outcome,
            };
            let past_deadline = policy.deadline.is_some_and(|d| delay > d.saturating_sub(start.elapsed()));
            // A streamed body was consumed by the first attempt and is never replayed.
            if attempt >= max_attempts || past_deadline || prepared.request.is_none() {
                return outcome;
            }
            tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, prepared: &mut Prepared, stream: bool) -> Result<Received, Error> {
        let secret_query = &prepared.secret_query;
        let redact = |e: reqwest::Error| Error::Transport(redact_url(e, secret_query));
        let request = match prepared.request.as_ref().and_then(reqwest::Request::try_clone) {
            Some(copy) => copy,
            None => prepared
                .request
                .take()
                .ok_or_else(|| Error::InvalidRequest("a streamed request body cannot be re-sent".to_owned()))?,
        };
        let response = self.inner.client.execute(request).await.map_err(redact)?;
        if stream && response.status().is_success() {
            return Ok(Received::Head(response));
        }
        read_full(response).await.map(Received::Full).map_err(|e| match e {
            Error::Transport(e) => Error::Transport(redact_url(e, secret_query)),
            other => other,
        })
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
        let (content_type, body): (Option<Cow<'static, str>>, Option<reqwest::Body>) = match request.body {
            Some(Body::Json(bytes)) => (Some(Cow::Borrowed("application/json")), Some(bytes.into())),
            Some(Body::Raw { content_type, bytes }) => (Some(Cow::Borrowed(content_type)), Some(bytes.into())),
            Some(Body::Encoded { content_type, bytes }) => (Some(Cow::Owned(content_type)), Some(bytes.into())),
            Some(Body::Stream { content_type, body }) => {
                let body =
                    body.take().ok_or_else(|| Error::InvalidRequest("the streamed body was already sent".into()))?;
                (Some(Cow::Borrowed(content_type)), Some(body))
            }
            None => (None, None),
        };
        if let Some(content_type) = content_type.filter(|_| !headers.contains_key(CONTENT_TYPE)) {
            headers.insert(CONTENT_TYPE, header_value(&content_type, || "content type".to_owned())?);
        }

        let mut query = request.query;
        let mut secret_query = Vec::new();
        let mut cookies: Vec<String> = request.cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
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
                    query.push((Cow::Borrowed(name), key.expose().to_owned()));
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
        Ok(Prepared { request: Some(request), secret_query })
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
    /// The spec's path template (e.g. `/v1/items/{id}`), for tracing: never holds parameter values.
    pub template: &'static str,
    /// Query parameters, form-urlencoded when sent.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// Headers set by the operation's parameters.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Cookie parameters, sent together in one `Cookie` header.
    pub cookies: Vec<(&'static str, String)>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The operation's security requirements.
    pub security: Security,
}

/// How a query parameter's value is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: `a=1&a=2` exploded, `a=1,2` not; objects `k=v` exploded, `o=k,v` not.
    Form,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `o[k]=v`.
    DeepObject,
}

impl Request {
    /// A request without query parameters, headers or body.
    pub fn new(operation_id: &'static str, method: Method, path: String, security: Security) -> Self {
        Request {
            operation_id,
            method,
            path,
            template: "",
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security,
        }
    }

    /// The request of a generated operation: `method` on the spec's path `template`, whose
    /// `{placeholders}` take `segments` in order, each percent-encoded as one path segment (see
    /// [`path_segment`]); the template itself is what tracing reports.
    pub fn operation(
        operation_id: &'static str,
        method: Method,
        template: &'static str,
        segments: &[&str],
        security: Security,
    ) -> Result<Self, Error> {
        let mut path = String::with_capacity(template.len() + 16);
        let mut rest = template;
        let mut segments = segments.iter();
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else { break };
            let Some(segment) = segments.next() else {
                return Err(Error::InvalidRequest(format!("{operation_id}: no value for a parameter of `{template}`")));
            };
            path.push_str(&rest[..start]);
            path.push_str(&path_segment(segment)?);
            rest = &rest[start + end + 1..];
        }
        path.push_str(rest);
        let mut request = Request::new(operation_id, method, path, security);
        request.template = template;
        Ok(request)
    }

    /// Adds a query parameter when it has a value.
    pub fn query_if<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        if let Some(value) = value {
            self.query(name, param(value));
        }
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl ToString) {
        self.query.push((Cow::Borrowed(name), value.to_string()));
    }

    /// Replaces every value of query parameter `name` with `value` (used by pagination).
    pub fn set_query(&mut self, name: &'static str, value: impl ToString) {
        self.query.retain(|(n, _)| n != name);
        self.query(name, value);
    }

    /// The first value of query parameter `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Adds a query parameter of any serializable type, serialized per `style` and `explode`:
    /// arrays and objects included; `null` (and `None`) adds nothing.
    pub fn query_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        style: Style,
        explode: bool,
        value: &T,
    ) {
        let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        let delimiter = match style {
            Style::Form | Style::DeepObject => ",",
            Style::SpaceDelimited => " ",
            Style::PipeDelimited => "|",
        };
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                let items: Vec<String> = items.iter().filter(|v| !v.is_null()).map(scalar).collect();
                if explode && matches!(style, Style::Form | Style::DeepObject) {
                    self.query.extend(items.into_iter().map(|v| (Cow::Borrowed(name), v)));
                } else {
                    self.query(name, items.join(delimiter));
                }
            }
            serde_json::Value::Object(map) => {
                let entries = map.iter().filter(|(_, v)| !v.is_null());
                match (style, explode) {
                    (Style::DeepObject, _) => {
                        let mut pairs = Vec::new();
                        for (key, value) in entries {
                            deep_pairs(&format!("{name}[{key}]"), value, &mut pairs);
                        }
                        self.query.extend(pairs.into_iter().map(|(k, v)| (Cow::Owned(k), v)));
                    }
                    (Style::Form, true) => {
                        self.query.extend(entries.map(|(k, v)| (Cow::Owned(k.clone()), scalar(v))));
                    }
                    _ => {
                        let flat: Vec<String> = entries.flat_map(|(k, v)| [k.clone(), scalar(v)]).collect();
                        self.query(name, flat.join(delimiter));
                    }
                }
            }
            other => self.query(name, scalar(&other)),
        }
    }

    /// Adds a header.
    pub fn header(&mut self, name: &'static str, value: impl ToString) {
        self.headers.push((Cow::Borrowed(name), value.to_string()));
    }

    /// Adds a cookie parameter; all cookies travel in one `Cookie` header.
    pub fn cookie(&mut self, name: &'static str, value: impl ToString) {
        self.cookies.push((name, value.to_string()));
    }

    /// Serializes `body` as the JSON request body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidRequest(format!("cannot serialize the request body: {e}")))?;
        self.body = Some(Body::Json(Bytes::from(bytes)));
        Ok(())
    }

    /// Serializes `body` as an `application/x-www-form-urlencoded` body: object properties as
    /// `key=value`, arrays repeated (`tag=a&tag=b`), nested objects as `key[sub]=value`.
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::InvalidRequest(format!("cannot serialize the request body: {e}")))?;
        let encoded = form_urlencoded(&value)?;
        self.body =
            Some(Body::Encoded { content_type: "application/x-www-form-urlencoded".to_owned(), bytes: encoded.into() });
        Ok(())
    }

    /// Encodes `form` as a `multipart/form-data` body.
    pub fn multipart(&mut self, form: Multipart) {
        let (content_type, bytes) = form.encode();
        self.body = Some(Body::Encoded { content_type, bytes });
    }

    /// Sets an already encoded body of the given media type.
    pub fn raw(&mut self, content_type: &'static str, bytes: impl Into<Bytes>) {
        self.body = Some(Body::Raw { content_type, bytes: bytes.into() });
    }

    /// Sets a binary body: bytes in memory (retried like any body), or a stream (sent once, never
    /// replayed, so a request with a streamed body is not retried).
    pub fn binary(&mut self, content_type: &'static str, body: impl Into<BinaryBody>) {
        self.body = Some(match body.into() {
            BinaryBody::Bytes(bytes) => Body::Raw { content_type, bytes },
            BinaryBody::Stream(body) => Body::Stream { content_type, body },
        });
    }
}

/// A value as it appears in a query string or header: strings as they are, numbers and booleans as
/// in JSON, anything else as compact JSON.
fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `prefix[key]=value` pairs of a nested value; arrays repeat the name.
fn deep_pairs(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                deep_pairs(&format!("{prefix}[{key}]"), value, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                match item {
                    serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                        deep_pairs(&format!("{prefix}[]"), item, out)
                    }
                    _ => deep_pairs(prefix, item, out),
                }
            }
        }
        other => out.push((prefix.to_owned(), scalar(other))),
    }
}

/// Encodes an object as `application/x-www-form-urlencoded`, see [`Request::form`].
pub fn form_urlencoded(value: &serde_json::Value) -> Result<String, Error> {
    let serde_json::Value::Object(map) = value else {
        return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
    };
    let mut pairs = Vec::new();
    for (key, value) in map {
        deep_pairs(key, value, &mut pairs);
    }
    let mut url = Url::parse("http://form.invalid/").map_err(|e| Error::InvalidRequest(e.to_string()))?;
    url.query_pairs_mut().extend_pairs(&pairs);
    Ok(url.query().unwrap_or_default().to_owned())
}

/// A header parameter value in `simple` style: arrays `a,b`, objects `k,v,k,v` (exploded `k=v,k=v`).
pub fn simple<T: serde::Serialize + ?Sized>(value: &T, explode: bool) -> String {
    match serde_json::to_value(value).unwrap_or(serde_json::Value::Null) {
        serde_json::Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        serde_json::Value::Object(map) if explode => {
            map.iter().map(|(k, v)| format!("{k}={}", scalar(v))).collect::<Vec<_>>().join(",")
        }
        serde_json::Value::Object(map) => {
            map.iter().flat_map(|(k, v)| [k.clone(), scalar(v)]).collect::<Vec<_>>().join(",")
        }
        other => scalar(&other),
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

/// A fresh random idempotency key (a UUID version 4 in its usual text form), generated once per
/// call and reused by every retry of it.
pub fn idempotency_key() -> String {
    let (a, b) = (random_u64(), random_u64() ^ 0x5851_f42d_4c95_7f2d);
    let bytes: Vec<u8> = a.to_be_bytes().into_iter().chain(b.to_be_bytes()).collect();
    let hex: String = bytes
        .iter()
        .enumerate()
        .map(|(i, b)| match i {
            6 => format!("{:02x}", (b & 0x0f) | 0x40),
            8 => format!("{:02x}", (b & 0x3f) | 0x80),
            _ => format!("{b:02x}"),
        })
        .collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
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
    /// A body the runtime encoded, with a computed media type (a multipart boundary, ...).
    Encoded {
        /// The `Content-Type`.
        content_type: String,
        /// The bytes.
        bytes: Bytes,
    },
    /// A streamed body: sent once, never replayed.
    Stream {
        /// The `Content-Type`.
        content_type: &'static str,
        /// The stream, taken when the request is sent.
        body: StreamBody,
    },
}

/// A streamed request body, taken by the one attempt that sends it.
#[derive(Clone, Default)]
pub struct StreamBody(Arc<std::sync::Mutex<Option<reqwest::Body>>>);

impl StreamBody {
    fn take(&self) -> Option<reqwest::Body> {
        self.0.lock().ok()?.take()
    }
}

impl fmt::Debug for StreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StreamBody(..)")
    }
}

/// A binary request body: bytes in memory, or a stream (see [`BinaryBody::stream`]).
#[derive(Debug)]
pub enum BinaryBody {
    /// In memory: sent again if the request is retried.
    Bytes(Bytes),
    /// Streamed: sent once; the request is then never retried.
    Stream(StreamBody),
}

impl BinaryBody {
    /// A body read from a stream of byte chunks, e.g. a file being read.
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_util::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        BinaryBody::Stream(StreamBody(Arc::new(std::sync::Mutex::new(Some(reqwest::Body::wrap_stream(stream))))))
    }
}

impl From<Bytes> for BinaryBody {
    fn from(bytes: Bytes) -> Self {
        BinaryBody::Bytes(bytes)
    }
}

impl From<Vec<u8>> for BinaryBody {
    fn from(bytes: Vec<u8>) -> Self {
        BinaryBody::Bytes(bytes.into())
    }
}

impl From<String> for BinaryBody {
    fn from(text: String) -> Self {
        BinaryBody::Bytes(text.into())
    }
}

impl From<&'static [u8]> for BinaryBody {
    fn from(bytes: &'static [u8]) -> Self {
        BinaryBody::Bytes(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for BinaryBody {
    fn from(text: &'static str) -> Self {
        BinaryBody::Bytes(Bytes::from_static(text.as_bytes()))
    }
}

/// A `multipart/form-data` body: text fields and files, in order.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

/// One part of a [`Multipart`] body.
#[derive(Debug, Clone)]
pub struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let value: String = value.into();
        self.parts.push(Part { name: name.into(), file_name: None, content_type: None, data: value.into() });
        self
    }

    /// Adds a field holding JSON (sent with `Content-Type: application/json`).
    pub fn json<T: serde::Serialize + ?Sized>(mut self, name: impl Into<String>, value: &T) -> Result<Self, Error> {
        let data = serde_json::to_vec(value)
            .map_err(|e| Error::InvalidRequest(format!("cannot serialize a form field: {e}")))?;
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: Some("application/json".into()),
            data: data.into(),
        });
        Ok(self)
    }

    /// Adds a file: its field name, file name, media type and contents.
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// The `Content-Type` (with its boundary) and the encoded body.
    pub fn encode(&self) -> (String, Bytes) {
        let boundary = format!("----boundary{:016x}{:016x}", random_u64(), random_u64());
        let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        let mut out: Vec<u8> = Vec::new();
        for part in &self.parts {
            out.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quote(&part.name)).as_bytes(),
            );
            if let Some(file_name) = &part.file_name {
                out.extend_from_slice(format!("; filename=\"{}\"", quote(file_name)).as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.extend_from_slice(format!("Content-Type: {}\r\n", quote(content_type)).as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), out.into())
    }
}

/// Per-call settings, overriding the client's: `client.with_options(options).some_call(..)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Timeout of each attempt (default: the client's).
    pub timeout: Option<Duration>,
    /// Retry policy (default: the client's).
    pub retry: Option<RetryPolicy>,
    /// Extra headers, replacing any header of the same name the call would send.
    pub headers: Vec<(String, String)>,
    /// An `Idempotency-Key` to send (which makes a non-idempotent request retryable).
    pub idempotency_key: Option<String>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy; [`RetryPolicy::none`] turns retries off for these calls.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends this `Idempotency-Key`.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// A decoded value with the typed response headers the spec declares (and all raw headers).
#[derive(Debug, Clone)]
pub struct WithHeaders<T, H> {
    /// The decoded body.
    pub value: T,
    /// The declared headers, typed.
    pub headers: H,
    /// Every response header.
    pub raw_headers: HeaderMap,
}

/// The decoding of an operation that declares no typed error bodies: [`Error::Api`] carries the
/// raw body only.
pub fn untyped(_status: u16, _body: &[u8]) -> Option<std::convert::Infallible> {
    None
}

/// A success decoded by `decode`, with its headers: those the spec declares parsed by `parse`.
pub fn with_headers<T, H>(
    response: Response,
    decode: fn(Response) -> Result<T, Error>,
    parse: fn(&HeaderMap) -> H,
) -> Result<WithHeaders<T, H>, Error> {
    let raw_headers = response.headers.clone();
    let headers = parse(&raw_headers);
    Ok(WithHeaders { value: decode(response)?, headers, raw_headers })
}

/// A response header parsed as `T` (`None` when absent or unparsable).
pub fn header_as<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// A response whose body has not been read yet (see [`Transport::send_streaming`]).
#[derive(Debug)]
pub struct Streaming {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    response: reqwest::Response,
}

/// A stream of body chunks.
pub type ByteStream = BoxStream<'static, Result<Bytes, Error>>;

/// A stream of server-sent events.
pub type EventStream<T> = BoxStream<'static, Result<Event<T>, Error>>;

/// One server-sent event with its `data` decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// `event:` (the event type), when given.
    pub event: Option<String>,
    /// `id:`, when given.
    pub id: Option<String>,
    /// `retry:` in milliseconds, when given.
    pub retry: Option<u64>,
    /// `data:` (lines joined by `\n`), decoded: JSON for typed events, as is for `String`.
    pub data: T,
}

impl Streaming {
    /// Reads the whole body.
    pub async fn into_response(self) -> Result<Response, Error> {
        read_full(self.response).await
    }

    /// The body as a stream of chunks, for large downloads.
    pub fn bytes(self) -> ByteStream {
        Box::pin(futures_util::stream::unfold(Some(self.response), |response| async move {
            let mut response = response?;
            match response.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(e) => Some((Err(Error::Transport(e)), None)),
            }
        }))
    }

    /// The body as server-sent events; `data` decodes as JSON into `T` (a `String` takes it as
    /// is when it is not JSON). Comments and events without data are skipped.
    pub fn events<T: serde::de::DeserializeOwned + Send + 'static>(self) -> EventStream<T> {
        let status = self.status;
        let state = (self.bytes(), SseParser::default(), VecDeque::<Result<Event<T>, Error>>::new(), false);
        Box::pin(futures_util::stream::unfold(state, move |(mut chunks, mut parser, mut ready, mut done)| async move {
            loop {
                if let Some(event) = ready.pop_front() {
                    return Some((event, (chunks, parser, ready, done)));
                }
                if done {
                    return None;
                }
                match futures_util::StreamExt::next(&mut chunks).await {
                    Some(Ok(chunk)) => {
                        ready.extend(parser.push(&chunk).into_iter().map(|raw| raw.decode(status)));
                    }
                    Some(Err(e)) => {
                        ready.push_back(Err(e));
                        done = true;
                    }
                    None => {
                        ready.extend(parser.push(b"\n\n").into_iter().map(|raw| raw.decode(status)));
                        done = true;
                    }
                }
            }
        }))
    }
}

#[derive(Default)]
struct SseParser {
    buffer: Vec<u8>,
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: Vec<String>,
}

struct RawEvent {
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: String,
}

impl RawEvent {
    fn decode<T: serde::de::DeserializeOwned>(self, status: StatusCode) -> Result<Event<T>, Error> {
        let data = serde_json::from_str(&self.data)
            .or_else(|e| serde_json::from_value(serde_json::Value::String(self.data.clone())).map_err(|_| e))
            .map_err(|source| Error::Decode { status, body: Bytes::from(self.data.clone()), source })?;
        Ok(Event { event: self.event, id: self.id, retry: self.retry, data })
    }
}

impl SseParser {
    /// Feeds bytes; returns the events completed by them.
    fn push(&mut self, bytes: &[u8]) -> Vec<RawEvent> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() {
                    events.push(RawEvent {
                        event: self.event.take(),
                        id: self.id.clone(),
                        retry: self.retry.take(),
                        data: std::mem::take(&mut self.data).join("\n"),
                    });
                }
                self.event = None;
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "data" => self.data.push(value.to_owned()),
                "event" => self.event = Some(value.to_owned()),
                "id" => self.id = Some(value.to_owned()),
                "retry" => self.retry = value.parse().ok(),
                _ => {}
            }
        }
        events
    }
}

/// How a paginated operation finds its next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// The response property `next` (a JSON pointer) holds the next value of the query parameter.
    Cursor {
        /// JSON pointer of the next cursor in the response body, e.g. `/next_cursor`.
        next: &'static str,
    },
    /// The `Link` header's `rel="next"` URL holds the next value of the query parameter.
    Link,
    /// The query parameter is a page number (from 1): the next is one more, until a page is empty.
    Page,
    /// The query parameter is an item offset (from 0): it grows by each page's items, until one is empty.
    Offset,
}

/// Where a paginated operation's items are and how its next page is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// The query parameter that selects the page.
    pub param: &'static str,
    /// JSON pointer of the items array in the response body (`""`: the body is the array).
    pub items: &'static str,
    /// How the next page is found.
    pub paging: Paging,
}

/// Every item of every page, requesting pages one after the other as the stream is polled.
/// `request` builds a page's request; the query parameter of the pagination is then set to the
/// next value. A page that fails ends the stream with its error.
pub fn paginate<T, F>(
    transport: Transport,
    options: RequestOptions,
    pagination: Pagination,
    request: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: serde::de::DeserializeOwned + Send + 'static,
    F: Fn() -> Result<Request, Error> + Send + Sync + 'static,
{
    struct State<T, F> {
        transport: Transport,
        options: RequestOptions,
        pagination: Pagination,
        request: F,
        next: Option<Option<String>>,
        ready: VecDeque<T>,
    }
    let state = State { transport, options, pagination, request, next: Some(None), ready: VecDeque::new() };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.ready.pop_front() {
                return Some((Ok(item), state));
            }
            let cursor = state.next.take()?;
            match fetch_page::<T, F>(&state.transport, &state.options, &state.pagination, &state.request, cursor).await
            {
                Ok((items, next)) => {
                    state.next = if items.is_empty() { None } else { next.map(Some) };
                    state.ready.extend(items);
                }
                Err(e) => return Some((Err(e), state)),
            }
        }
    })
}

async fn fetch_page<T: serde::de::DeserializeOwned, F: Fn() -> Result<Request, Error>>(
    transport: &Transport,
    options: &RequestOptions,
    pagination: &Pagination,
    request: &F,
    cursor: Option<String>,
) -> Result<(Vec<T>, Option<String>), Error> {
    let mut request = request()?;
    if let Some(cursor) = &cursor {
        request.set_query(pagination.param, cursor);
    }
    let current = request.query_value(pagination.param).map(str::to_owned);
    let response = transport.send_with(request, options).await?;
    if !response.status.is_success() {
        return Err(response.into_error());
    }
    let status = response.status;
    let decode_error = |source| Error::Decode { status, body: response.body.clone(), source };
    let body: serde_json::Value = serde_json::from_slice(&response.body).map_err(decode_error)?;
    let items = match body.pointer(pagination.items) {
        Some(serde_json::Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let count = items.len();
    let items: Vec<T> =
        items.into_iter().map(serde_json::from_value).collect::<Result<_, _>>().map_err(decode_error)?;
    let next = match pagination.paging {
        Paging::Cursor { next } => match body.pointer(next) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        },
        Paging::Link => next_link(&response.headers).and_then(|url| {
            let url = Url::parse(&url).ok()?;
            let value = url.query_pairs().find(|(k, _)| k == pagination.param).map(|(_, v)| v.into_owned());
            value
        }),
        Paging::Page => Some((current.and_then(|c| c.parse::<u64>().ok()).unwrap_or(1) + 1).to_string()),
        Paging::Offset => Some((current.and_then(|c| c.parse::<u64>().ok()).unwrap_or(0) + count as u64).to_string()),
    };
    // A cursor that does not move would loop forever.
    let next = next.filter(|n| Some(n) != cursor.as_ref());
    Ok((items, next))
}

/// The `rel="next"` URL of a `Link` header (RFC 8288).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).find_map(
        |link| {
            let (target, params) = link.trim().split_once(';')?;
            let is_next = params.split(';').any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            });
            is_next.then(|| target.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
        },
    )
}

/// Reads a whole response.
async fn read_full(mut response: reqwest::Response) -> Result<Response, Error> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::Transport)?;
    Ok(Response { status, headers, body })
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

    /// The body as bytes.
    pub fn bytes(self) -> Result<Bytes, Error> {
        Ok(self.body)
    }

    /// Discards the body.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// Turns an unexpected response into [`Error::Api`].
    pub fn into_error(self) -> Error {
        Error::Api(Box::new(ApiError { status: self.status, headers: self.headers, body: self.body, detail: None }))
    }

    /// Turns an error response into [`Error::Api`], with the body decoded by `decode` as the
    /// operation's typed error when the spec documents one for this status (see [`ApiError::detail`]).
    pub fn into_typed_error<E: Detail>(self, decode: impl FnOnce(u16, &[u8]) -> Option<E>) -> Error {
        let detail = decode(self.status.as_u16(), &self.body).map(|e| Arc::new(e) as Arc<dyn Detail>);
        Error::Api(Box::new(ApiError { status: self.status, headers: self.headers, body: self.body, detail }))
    }
}

/// A typed error body (any `Debug + Send + Sync` type); see [`ApiError::detail`].
pub trait Detail: std::any::Any + fmt::Debug + Send + Sync {
    /// Itself, for downcasting.
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: std::any::Any + fmt::Debug + Send + Sync> Detail for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
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
    /// The body decoded as the operation's typed error, when the spec documents one for this
    /// status and the body matches it; read it with [`ApiError::detail`].
    pub detail: Option<Arc<dyn Detail>>,
}

impl ApiError {
    /// The typed error body, e.g. `api.detail::<CreateItemError>()`: `None` when the status is
    /// undocumented, the body did not match, or `E` is not this operation's error type.
    pub fn detail<E: std::any::Any>(&self) -> Option<&E> {
        let detail: &dyn Detail = self.detail.as_deref()?;
        detail.as_any().downcast_ref()
    }

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

// ---- schema support (issue 4) ----
// What the generated model types use: absent-vs-null fields, and `oneOf` decoding that names the
// variants it tried. Everything above this line is the client's; this section is the models'.

/// An optional property that may also be `null`, with the difference kept: a `PATCH` body can send
/// `"name": null` to clear a field ([`Nullable::Null`]) and omit it to leave it alone
/// ([`Nullable::Absent`], the default).
///
/// Generated structs use it for properties that are neither `required` nor non-nullable, with
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`, so an absent property
/// decodes as `Absent` and is not sent, `null` round-trips as `Null`, and a value as `Value`.
/// Required nullable properties are plain `Option<T>` (always sent, `None` as `null`), and
/// optional non-nullable ones `Option<T>` (omitted when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not present in the JSON object.
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

// Written out: the derive would require `T: Default`.
#[allow(clippy::derivable_impls)]
impl<T> Default for Nullable<T> {
    fn default() -> Self {
        Self::Absent
    }
}

impl<T> Nullable<T> {
    /// Whether the property is absent (used by `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the property is present as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

/// `Some(v)` is `Value(v)`; `None` is `Null` (an explicit `null`, not an absent property).
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Self::from)
    }
}

/// Decodes JSON, naming the path of the value that failed (`pets[2].kind: unknown variant ...`).
pub fn decode_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| path_error(&e))?;
    deserializer.end().map_err(|e| e.to_string())?;
    Ok(value)
}

fn path_error<E: fmt::Display>(error: &serde_path_to_error::Error<E>) -> String {
    let path = error.path().to_string();
    if path == "." {
        error.inner().to_string()
    } else {
        format!("{path}: {}", error.inner())
    }
}

/// An object's property name as read, borrowed from the input when it can be: the generated
/// `Deserialize` impls of object types match on it.
pub struct FieldName<'de>(std::borrow::Cow<'de, str>);

impl FieldName<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned (for properties the spec does not declare).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FieldName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Reads the value of the property just named into its slot. The generated `visit_map` calls this for every property
/// and checks one result per property read: a `?` per field would give the function an early
/// return per field, each dropping every other field, which is most of what rustc spends on
/// checking large object types.
pub fn set<'de, T: serde::Deserialize<'de>, A: serde::de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps an undeclared property's decoded value, as [`set`] does a declared one's.
pub fn keep<T, E>(
    extra: &mut std::collections::BTreeMap<String, T>,
    name: FieldName<'_>,
    value: Result<T, E>,
) -> Result<(), E> {
    extra.insert(name.into_string(), value?);
    Ok(())
}

/// The first of `required` (name, present) whose property is absent, for serde's "missing
/// field" error; `""` when all are present.
pub fn first_missing(required: &[(&'static str, bool)]) -> &'static str {
    required.iter().find(|(_, present)| !present).map_or("", |(name, _)| name)
}

/// `Serialize` and `Deserialize` for an object type, from one list of its properties grouped by
/// how they are absent: `required`; `nullable` (required, may be `null`: an `Option` always
/// sent); `optional` (`Option` or [`Nullable`], left out when absent); `defaulted` (`Option`, the
/// spec's default when absent, with the function giving it); `extra` (the map of undeclared
/// properties). Then the impls wanted: `serialize;` or `serialize(cfg);`, and `deserialize;`.
///
/// Does what the derives would: properties by wire name, unknown ones ignored (or kept in the
/// extras), an absent required one serde's "missing field" error. A macro so the generated types
/// stay short to read and to generate; what it expands to is smaller for rustc than the derives:
/// no field-name enum, visitors or sequence form, and one early return for all required
/// properties (see [`set`]).
#[allow(unused_macros)] // in a crate without object types
macro_rules! object_serde {
    ($name:ident $fields:tt $($impl:ident $(($($cfg:tt)*))?;)*) => {
        $($crate::runtime::object_serde!(@$impl [$($($cfg)*)?] $name $fields);)*
    };
    (@cfg [] $item:item) => {
        $item
    };
    (@cfg [$($cfg:tt)+] $item:item) => {
        #[cfg($($cfg)+)]
        $item
    };
    (@unknown $map:ident $key:ident) => {
        $map.next_value::<serde::de::IgnoredAny>().map(|_| ())
    };
    (@unknown $map:ident $key:ident $extra:ident) => {
        $crate::runtime::keep(&mut $extra, $key, $map.next_value())
    };
    (
        @serialize [$($cfg:tt)*] $name:ident {
            $(required { $($required:ident: $required_wire:literal),* $(,)? })?
            $(nullable { $($nullable:ident: $nullable_wire:literal),* $(,)? })?
            $(optional { $($optional:ident: $optional_wire:literal),* $(,)? })?
            $(defaulted { $($defaulted:ident: $defaulted_wire:literal = $default:path),* $(,)? })?
            $(extra { $extra:ident })?
        }
    ) => {
        $crate::runtime::object_serde!(@cfg [$($cfg)*] impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $($(map.serialize_entry($required_wire, &self.$required)?;)*)?
                $($(map.serialize_entry($nullable_wire, &self.$nullable)?;)*)?
                $($(
                    if !$crate::runtime::Absent::is_absent(&self.$optional) {
                        map.serialize_entry($optional_wire, &self.$optional)?;
                    }
                )*)?
                $($(
                    if !$crate::runtime::Absent::is_absent(&self.$defaulted) {
                        map.serialize_entry($defaulted_wire, &self.$defaulted)?;
                    }
                )*)?
                $(
                    for (key, value) in &self.$extra {
                        map.serialize_entry(key, value)?;
                    }
                )?
                map.end()
            }
        });
    };
    (
        @deserialize [] $name:ident {
            $(required { $($required:ident: $required_wire:literal),* $(,)? })?
            $(nullable { $($nullable:ident: $nullable_wire:literal),* $(,)? })?
            $(optional { $($optional:ident: $optional_wire:literal),* $(,)? })?
            $(defaulted { $($defaulted:ident: $defaulted_wire:literal = $default:path),* $(,)? })?
            $(extra { $extra:ident })?
        }
    ) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        $($(let mut $required = None;)*)?
                        $($(let mut $nullable = None;)*)?
                        $($(let mut $optional = None;)*)?
                        $($(let mut $defaulted = None;)*)?
                        $(let mut $extra = std::collections::BTreeMap::new();)?
                        while let Some(key) = map.next_key::<$crate::runtime::FieldName<'de>>()? {
                            let read = match key.as_str() {
                                $($($required_wire => $crate::runtime::set(&mut $required, &mut map),)*)?
                                $($($nullable_wire => $crate::runtime::set(&mut $nullable, &mut map),)*)?
                                $($($optional_wire => $crate::runtime::set(&mut $optional, &mut map),)*)?
                                $($($defaulted_wire => $crate::runtime::set(&mut $defaulted, &mut map),)*)?
                                _ => $crate::runtime::object_serde!(@unknown map key $($extra)?),
                            };
                            read?;
                        }
                        $(
                            let missing = $crate::runtime::first_missing(&[$(($required_wire, $required.is_some())),*]);
                            let ($(Some($required),)*) = ($($required,)*) else {
                                return Err(serde::de::Error::missing_field(missing));
                            };
                        )?
                        Ok($name {
                            $($($required,)*)?
                            $($($nullable: $nullable.unwrap_or_default(),)*)?
                            $($($optional: $optional.unwrap_or_default(),)*)?
                            $($($defaulted: $defaulted.unwrap_or_else($default),)*)?
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use object_serde;

/// The impls of a string enum: `as_str` and `Display` with each variant's wire value, then the
/// serde impls wanted (`serialize;` or `serialize(cfg);`, and `deserialize;`); a value the spec
/// does not list decodes as the enum's `Unknown(String)`.
#[allow(unused_macros)] // in a crate without string enums
macro_rules! string_enum {
    ($name:ident $variants:tt $($impl:ident $(($($cfg:tt)*))?;)*) => {
        $crate::runtime::string_enum!(@str $name $variants);
        $($crate::runtime::string_enum!(@$impl [$($($cfg)*)?] $name $variants);)*
    };
    (@str $name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@serialize [$($cfg:tt)*] $name:ident $variants:tt) => {
        $crate::runtime::object_serde!(@cfg [$($cfg)*] impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        });
    };
    (@deserialize [] $name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Unknown(value),
                })
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// Whether an optional property is left out when serialized: `None`, or [`Nullable::Absent`].
pub trait Absent {
    /// Whether the value is absent.
    fn is_absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Nullable<T> {
    fn is_absent(&self) -> bool {
        Nullable::is_absent(self)
    }
}

/// Buffers one JSON value, for `oneOf` types that inspect it before choosing a variant.
pub fn buffer<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<serde_json::Value, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

/// The string value of a discriminator property, if the value is an object that has one.
pub fn tag_of<'v>(value: &'v serde_json::Value, property: &str) -> Option<&'v str> {
    value.get(property)?.as_str()
}

/// The decoding of a `oneOf`/`anyOf` value: each variant is tried in order and every failure is
/// kept, so a value that matches none fails with an error naming each variant and why (with the
/// path inside the value), not serde's bare "data did not match any variant".
#[derive(Debug)]
pub struct Variants<'v> {
    type_name: &'static str,
    value: &'v serde_json::Value,
    failures: Vec<(&'static str, String)>,
}

impl<'v> Variants<'v> {
    /// Starts decoding `value` as the type `type_name`.
    pub fn new(type_name: &'static str, value: &'v serde_json::Value) -> Self {
        Self { type_name, value, failures: Vec::new() }
    }

    /// Tries the variant `variant`; on failure, records why and returns `None`.
    pub fn attempt<T: serde::de::DeserializeOwned>(&mut self, variant: &'static str) -> Option<T> {
        match serde_path_to_error::deserialize(self.value) {
            Ok(decoded) => Some(decoded),
            Err(error) => {
                self.failures.push((variant, path_error(&error)));
                None
            }
        }
    }

    /// The error for a value no variant matched.
    pub fn no_match<E: serde::de::Error>(&self) -> E {
        let tried: Vec<String> = self.failures.iter().map(|(variant, why)| format!("{variant}: {why}")).collect();
        E::custom(format_args!("no variant of `{}` matched (tried {})", self.type_name, tried.join("; ")))
    }

    /// Decodes the variant a discriminator `property` = `tag` selected; its failure names both.
    pub fn dispatched<T: serde::de::DeserializeOwned, E: serde::de::Error>(
        &self,
        variant: &'static str,
        property: &str,
        tag: &str,
    ) -> Result<T, E> {
        serde_path_to_error::deserialize(self.value).map_err(|error| {
            E::custom(format_args!(
                "`{}` with {property} = {tag:?} is a `{variant}`, which does not match: {}",
                self.type_name,
                path_error(&error)
            ))
        })
    }
}

/// Serializes a variant of a discriminated `oneOf`, adding the discriminator `property` = `tag`
/// when the variant's own fields do not already carry it.
pub fn serialize_tagged<S: serde::Serializer, T: serde::Serialize>(
    serializer: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        if !map.contains_key(property) {
            map.insert(property.to_owned(), serde_json::Value::String(tag.to_owned()));
        }
    }
    serde::Serialize::serialize(&json, serializer)
}

// ---- validation (issue 4) ----
// What the generated `validate()` methods use: the spec's constraints (`minLength`, `maxLength`,
// `minimum`, `maximum`, `exclusiveMinimum`/`exclusiveMaximum`, `multipleOf`, `minItems`,
// `maxItems`, `uniqueItems`) checked on a value before it is sent. `pattern` is not checked (that
// would need a regex engine in every generated crate). Decoding never validates.

/// One constraint a value breaks: where (`items[2].name`) and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The path of the value, with wire names: `address.city`, `tags[1]`.
    pub path: String,
    /// The rule it breaks, e.g. `length 0 is below minLength 1`.
    pub rule: String,
}

/// Every constraint a value breaks, in field order; the error of a generated `validate()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// `Ok` when nothing was recorded.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// Whether some violation is at `path`.
    pub fn at(&self, path: &str) -> Option<&Violation> {
        self.0.iter().find(|v| v.path == path)
    }

    fn push(&mut self, path: &str, rule: String) {
        self.0.push(Violation { path: path.to_owned(), rule });
    }

    /// `minLength`/`maxLength`, counted in characters (Unicode scalar values).
    pub fn length(&mut self, path: &str, value: &str, min: Option<usize>, max: Option<usize>) {
        let length = value.chars().count();
        if let Some(min) = min.filter(|min| length < *min) {
            self.push(path, format!("length {length} is below minLength {min}"));
        }
        if let Some(max) = max.filter(|max| length > *max) {
            self.push(path, format!("length {length} is above maxLength {max}"));
        }
    }

    /// `minimum`/`maximum` (each with whether it is exclusive) and `multipleOf`.
    pub fn number(
        &mut self,
        path: &str,
        value: f64,
        minimum: Option<(f64, bool)>,
        maximum: Option<(f64, bool)>,
        multiple_of: Option<f64>,
    ) {
        match minimum {
            Some((min, true)) if value <= min => {
                self.push(path, format!("{value} is not above exclusiveMinimum {min}"))
            }
            Some((min, false)) if value < min => self.push(path, format!("{value} is below minimum {min}")),
            _ => {}
        }
        match maximum {
            Some((max, true)) if value >= max => {
                self.push(path, format!("{value} is not below exclusiveMaximum {max}"))
            }
            Some((max, false)) if value > max => self.push(path, format!("{value} is above maximum {max}")),
            _ => {}
        }
        if let Some(step) = multiple_of.filter(|step| *step > 0.0) {
            // Within rounding error: 0.3 is a multiple of 0.1.
            let quotient = value / step;
            if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
                self.push(path, format!("{value} is not a multiple of {step}"));
            }
        }
    }

    /// `minItems`/`maxItems` (also `minProperties`-style counts).
    pub fn items(&mut self, path: &str, count: usize, min: Option<usize>, max: Option<usize>) {
        if let Some(min) = min.filter(|min| count < *min) {
            self.push(path, format!("{count} items is below minItems {min}"));
        }
        if let Some(max) = max.filter(|max| count > *max) {
            self.push(path, format!("{count} items is above maxItems {max}"));
        }
    }

    /// `uniqueItems`: names the first item equal to an earlier one.
    pub fn unique<T: PartialEq>(&mut self, path: &str, items: &[T]) {
        let duplicate = (1..items.len()).find(|&i| items[..i].contains(&items[i]));
        if let Some(i) = duplicate {
            self.push(path, format!("item {i} repeats an earlier item (uniqueItems)"));
        }
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", violation.path, violation.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// The path of property `name` inside the value at `parent` (`""` at the top).
pub fn field_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// The path of item `index` inside the array at `parent`.
pub fn index_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

//! Sending: the HTTP client, credentials applied to each request, the retry loop, and responses
//! read in full or as a stream.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use reqwest::{StatusCode, Url};
use tokio::time::Instant;
use tracing::Instrument;

use super::auth::{Credential, Credentials, SchemeKind, Secret};
use super::body::Body;
use super::error::{Detail, Error};
use super::hook::{CallInfo, Hook, Hooks};
use super::oauth::{CallToken, ClientCredentials, TokenSource};
use super::raw_response;
use super::request::{Request, RequestOptions};
use super::response::{read_full, Response, Streaming, DEFAULT_MAX_RESPONSE_SIZE};
use super::retry::{Attempt, AttemptOutcome, Retry, RetryPolicy};

/// Configures and builds a [`Transport`].
pub struct TransportBuilder {
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    client: Option<reqwest::Client>,
    credentials: Credentials,
    hooks: Hooks,
    max_response_size: u64,
    validate: bool,
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
            credentials: Credentials::default(),
            hooks: Hooks::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            validate: true,
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

    /// Adds a [`Hook`], run around every attempt of every call after the hooks added before it.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(hook);
        self
    }

    /// Sets the largest response body read into memory, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`], 64 MiB). A larger body fails with
    /// [`Error::ResponseTooLarge`]: at once when its `Content-Length` says so, else as soon as it
    /// passes the limit, so reading it costs no more memory than the limit. Streamed downloads and
    /// event streams are not limited.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Whether a request that breaks the spec's constraints ([`Request::violations`]) fails with
    /// [`Error::Validation`] before anything is sent (default `true`); per call,
    /// [`RequestOptions::validate`].
    pub fn validate_requests(mut self, on: bool) -> Self {
        self.validate = on;
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

    /// Sets the OAuth2 client-credentials flow of the named security scheme: tokens are fetched
    /// from `token_url` (the spec's, unless `credentials` names another; relative to the base URL),
    /// cached and refreshed, and sent as `Authorization: Bearer`.
    pub fn client_credentials(
        self,
        scheme: &'static str,
        token_url: &'static str,
        credentials: ClientCredentials,
    ) -> Self {
        self.with_credential(scheme, Credential::ClientCredentials { token_url, config: Box::new(credentials) })
    }

    fn with_credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.set(scheme, credential);
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
        let mut credentials = self.credentials;
        credentials.start_token_sources(&base_url)?;
        let inner = Inner {
            base_url,
            client,
            retry: self.retry,
            credentials,
            hooks: self.hooks,
            max_response_size: self.max_response_size,
            validate: self.validate,
        };
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
            .field("max_response_size", &self.max_response_size)
            .field("validate", &self.validate)
            .field("credentials", &self.credentials.names())
            .field("hooks", &self.hooks.len())
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

struct Inner {
    base_url: String,
    client: reqwest::Client,
    retry: RetryPolicy,
    credentials: Credentials,
    hooks: Hooks,
    max_response_size: u64,
    validate: bool,
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
            .field("credentials", &self.inner.credentials.names())
            .field("hooks", &self.inner.hooks.len())
            .finish()
    }
}

/// The parts of a request computed once and reused by every attempt.
struct Prepared {
    /// The request; taken by the first attempt when its body cannot be cloned (a stream).
    request: Option<reqwest::Request>,
    /// Query parameters holding credentials, redacted from error messages.
    secret_query: Vec<&'static str>,
    /// The OAuth2 client-credentials flow whose token the request needs, if any.
    oauth: Option<Arc<TokenSource>>,
    /// The operation id, for error messages.
    operation: &'static str,
    /// The path template, for hooks.
    template: &'static str,
    /// Attempts made so far.
    attempts: u32,
    /// The largest body read into memory (the call's, else the client's).
    max_response_size: u64,
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
        let operation = request.operation_id;
        match self.execute(request, options, false).await? {
            Received::Full(response) => Ok(response),
            Received::Head(head) => read_full(head, operation, self.max_response_size(options)).await,
        }
    }

    /// The largest body read into memory for a call with `options`.
    fn max_response_size(&self, options: &RequestOptions) -> u64 {
        options.max_response_size.unwrap_or(self.inner.max_response_size)
    }

    /// Sends `request` (or fails with its error) with `options`; decodes a success with `decode`,
    /// and any other status into [`Error::Api`] with its body decoded by `errors` (the
    /// operation's typed error, or [`untyped`](super::untyped)).
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
        let operation = request.operation_id;
        Ok(match self.execute(request, options, true).await? {
            Received::Head(head) => Ok(Streaming::new(head, operation, self.max_response_size(options))),
            Received::Full(response) => Err(response),
        })
    }

    async fn execute(&self, mut request: Request, options: &RequestOptions, stream: bool) -> Result<Received, Error> {
        // Before anything is sent, a token request included.
        if !request.violations.is_empty() && options.validate.unwrap_or(self.inner.validate) {
            let violations = std::mem::take(&mut request.violations);
            return Err(Error::Validation { operation: request.operation_id, violations });
        }
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
            raw_response::record(received.status(), received.headers());
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
        let method = request.method.clone();
        let keyed = request.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("idempotency-key"));
        let mut prepared = self.prepare(request)?;
        let mut token = match (prepared.oauth.take(), prepared.request.as_mut()) {
            (Some(source), Some(request)) => Some(CallToken::apply(source, &self.inner.client, request).await?),
            _ => None,
        };
        if let (Some(timeout), Some(request)) = (options.timeout, prepared.request.as_mut()) {
            *request.timeout_mut() = Some(timeout);
        }
        prepared.max_response_size = self.max_response_size(options);
        let start = Instant::now();
        let mut attempt = 1;
        loop {
            span.record("attempts", attempt);
            let outcome = self.attempt(&mut prepared, stream).await;
            // A 401 for a cached OAuth2 token: sent once more with a new token.
            if let (Some(token), Ok(received)) = (token.as_mut(), &outcome) {
                if received.status() == StatusCode::UNAUTHORIZED
                    && token.renew(&self.inner.client, prepared.request.as_mut()).await?
                {
                    attempt += 1;
                    continue;
                }
            }
            let ended = match &outcome {
                Ok(r) => AttemptOutcome::Response(r.status(), r.headers()),
                Err(e) => AttemptOutcome::of_error(e),
            };
            // A streamed body was consumed by the first attempt and is never replayed.
            let replayable = prepared.request.is_some();
            let tried = Attempt { method: &method, keyed, replayable, number: attempt, elapsed: start.elapsed() };
            let Retry::After(delay) = policy.decide(&tried, ended) else { return outcome };
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
        prepared.attempts += 1;
        let hooks = &self.inner.hooks;
        let call = (!hooks.is_empty()).then(|| CallInfo {
            operation_id: prepared.operation,
            method: request.method().clone(),
            path_template: prepared.template,
            attempt: prepared.attempts,
        });
        let mut request = request;
        if let Some(call) = &call {
            hooks.before_send(&mut request, call);
        }
        let response = self.inner.client.execute(request).await.map_err(redact)?;
        if let Some(call) = &call {
            hooks.after_receive(response.status(), response.headers(), call);
        }
        if stream && response.status().is_success() {
            return Ok(Received::Head(response));
        }
        let read = read_full(response, prepared.operation, prepared.max_response_size).await;
        read.map(Received::Full).map_err(|e| match e {
            Error::Transport(e) => Error::Transport(redact_url(e, secret_query)),
            other => other,
        })
    }

    fn prepare(&self, request: Request) -> Result<Prepared, Error> {
        let (operation, template) = (request.operation_id, request.template);
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
        let mut oauth = None;
        let credentials = &self.inner.credentials;
        for scheme in credentials.select(request.operation_id, request.security)? {
            let credential = credentials.for_scheme(scheme);
            let what = || format!("credential `{}`", scheme.name);
            match (scheme.kind, credential) {
                (SchemeKind::Basic, Some(Credential::Basic { username, password })) => {
                    basic = Some((username, password.expose()));
                }
                (SchemeKind::Bearer, Some(Credential::Token(token))) => {
                    let value = format!("Bearer {}", token.expose());
                    headers.insert(AUTHORIZATION, sensitive(&value, what)?);
                }
                // The token is fetched (or taken from the cache) just before sending.
                (SchemeKind::Bearer, Some(Credential::OAuth(source))) => oauth = Some(source.clone()),
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
        Ok(Prepared {
            request: Some(request),
            secret_query,
            oauth,
            operation,
            template,
            attempts: 0,
            max_response_size: self.inner.max_response_size,
        })
    }
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

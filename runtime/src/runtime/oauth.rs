//! OAuth2 client credentials (RFC 6749 section 4.4): the client trades its id and secret for an
//! access token at the flow's token URL, caches it until shortly before it expires, and sends it
//! as `Authorization: Bearer`.
//!
//! - **One token request at a time.** The cache is behind an async mutex held while fetching, so
//!   concurrent calls wait for the one request in flight and then share its token.
//! - **Refreshed before it expires.** A token is used until `expires_in` minus
//!   [`ClientCredentials::refresh_before`] (default 30 s, at most half the lifetime); one without
//!   `expires_in` until the API answers 401.
//! - **Renewed once after a 401.** When the API rejects a token that came from the cache, the call
//!   drops it, fetches a new one and sends once more; a token fetched for the call itself is not
//!   fetched again.
//! - **Never logged.** The token request goes straight to the HTTP client: it is not retried, not
//!   a traced operation, and the secret and the token appear in no `Debug`, error or log line.
//!
//! Scopes: none are requested unless configured with [`ClientCredentials::scopes`]; the
//! authorization server then grants the client's default scopes (RFC 6749 section 3.3).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{StatusCode, Url};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::auth::Secret;
use super::error::Error;

/// How long before `expires_in` runs out a token is refreshed, unless configured otherwise.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(30);

/// The most of a token endpoint's answer read into memory; a token response is a few KB at most.
const MAX_TOKEN_RESPONSE: usize = 64 * 1024;

/// The most of an error answer quoted in [`TokenError::message`].
const EXCERPT_BYTES: usize = 512;

/// How the client authenticates at the token endpoint (RFC 6749 section 2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret, each form-urlencoded first: the default, which
    /// every authorization server must accept.
    #[default]
    Basic,
    /// `client_id` and `client_secret` as fields of the form body, for servers that want them there.
    RequestBody,
}

/// The client id and secret of an OAuth2 client-credentials flow, and how the token is requested.
///
/// `Debug` shows the client id, scopes, parameter names and token URL; never the secret.
///
/// ```ignore
/// let credentials = ClientCredentials::new("my-client", secret)
///     .scopes(["board:read"])
///     .param("audience", "https://api.example.com")
///     .client_auth(ClientAuth::RequestBody);
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    token_url: Option<String>,
    auth: ClientAuth,
    refresh_before: Duration,
}

impl ClientCredentials {
    /// The client's id and secret, as the authorization server issued them.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ClientCredentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            scopes: Vec::new(),
            params: Vec::new(),
            token_url: None,
            auth: ClientAuth::default(),
            refresh_before: DEFAULT_REFRESH_BEFORE,
        }
    }

    /// Requests these scopes (sent space-separated as `scope`); by default none is sent and the
    /// server grants the client's default scopes.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a field to the token request's form, e.g. `audience` or `resource` that some servers
    /// require.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Requests tokens from this URL instead of the spec's `tokenUrl`; a relative URL is resolved
    /// against the client's base URL.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Sets how the client authenticates at the token endpoint (default [`ClientAuth::Basic`]).
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// Refreshes a token this long before its `expires_in` runs out (default
    /// [`DEFAULT_REFRESH_BEFORE`]; at most half of the token's lifetime is taken off).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = margin;
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<&str> = self.params.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("params", &params)
            .field("token_url", &self.token_url)
            .field("auth", &self.auth)
            .field("refresh_before", &self.refresh_before)
            .finish()
    }
}

/// The token endpoint did not give a token.
///
/// Shows the scheme, the token URL, the status and what the server said (its `error` and
/// `error_description`, or the start of its body, at most 512 bytes); never the client secret or
/// a token.
#[derive(Clone)]
#[non_exhaustive]
pub struct TokenError {
    /// The security scheme whose token was requested.
    pub scheme: &'static str,
    /// Where the token was requested.
    pub token_url: String,
    /// The token endpoint's status, when it answered.
    pub status: Option<StatusCode>,
    /// What went wrong (bounded).
    pub message: String,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OAuth2 token request for `{}` to {} failed", self.scheme, self.token_url)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenError")
            .field("scheme", &self.scheme)
            .field("token_url", &self.token_url)
            .field("status", &self.status)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for TokenError {}

/// A token and when it should no longer be used.
struct Token {
    value: Secret,
    stale_at: Option<Instant>,
}

/// A configured client-credentials flow with its token cache, shared by every clone of a client.
pub(super) struct TokenSource {
    scheme: &'static str,
    url: Url,
    config: ClientCredentials,
    cache: Mutex<Option<Token>>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource").field("scheme", &self.scheme).field("url", &self.url.as_str()).finish()
    }
}

impl TokenSource {
    /// The flow of `scheme`, its token URL (`config`'s, else the spec's) resolved against the
    /// base URL taken as a folder: `oauth/token` below it, `/oauth/token` at its root.
    pub(super) fn new(
        scheme: &'static str,
        spec_token_url: &str,
        config: ClientCredentials,
        base_url: &str,
    ) -> Result<Self, Error> {
        let token_url = config.token_url.as_deref().unwrap_or(spec_token_url);
        let invalid =
            |why: &str| Error::InvalidRequest(format!("invalid token URL `{token_url}` of `{scheme}`: {why}"));
        let base = Url::parse(&format!("{}/", base_url.trim_end_matches('/'))).map_err(|e| invalid(&e.to_string()))?;
        let url = base.join(token_url).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("expected an http or https URL"));
        }
        Ok(TokenSource { scheme, url, config, cache: Mutex::new(None) })
    }

    /// The cached token while it is fresh, else a new one; `fetched` says which.
    async fn token(&self, client: &reqwest::Client) -> Result<(Secret, bool), Error> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| t.stale_at.is_none_or(|at| Instant::now() < at)) {
            return Ok((token.value.clone(), false));
        }
        let token = self.fetch(client).await?;
        let value = token.value.clone();
        *cache = Some(token);
        Ok((value, true))
    }

    /// Forgets `used` if it is still the cached token (a concurrent call may have replaced it).
    async fn reject(&self, used: &Secret) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|t| t.value.expose() == used.expose()) {
            *cache = None;
        }
    }

    async fn fetch(&self, client: &reqwest::Client) -> Result<Token, Error> {
        let config = &self.config;
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        let scope = config.scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        form.extend(config.params.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        let mut request = client
            .post(self.url.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        match config.auth {
            ClientAuth::Basic => {
                let secret = form_value(config.client_secret.expose());
                request = request.basic_auth(form_value(&config.client_id), Some(secret));
            }
            ClientAuth::RequestBody => {
                form.push(("client_id", &config.client_id));
                form.push(("client_secret", config.client_secret.expose()));
            }
        }
        let requested_at = Instant::now();
        tracing::debug!(scheme = self.scheme, token_url = %self.url, "requesting an OAuth2 token");
        let response = request.body(form_urlencode(&form)).send().await.map_err(|e| {
            let why = if e.is_timeout() { "timed out" } else { "cannot reach the token endpoint" };
            self.failed(None, format!("{why}: {}", reason(e)))
        })?;
        let status = response.status();
        let body = read_bounded(response).await.map_err(|why| self.failed(Some(status), why))?;
        if !status.is_success() {
            return Err(self.failed(Some(status), self.refusal(&body)));
        }
        // The body may hold a token: no part of it goes into an error.
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|_| {
            self.failed(Some(status), "the response is not an OAuth2 token (JSON with `access_token`)".to_owned())
        })?;
        if let Some(kind) = parsed.token_type.as_deref().filter(|t| !t.eq_ignore_ascii_case("bearer")) {
            let kind = excerpt(kind.as_bytes(), 64);
            return Err(self.failed(Some(status), format!("token type `{kind}` is not supported (only Bearer)")));
        }
        if parsed.access_token.is_empty() {
            return Err(self.failed(Some(status), "the `access_token` is empty".to_owned()));
        }
        let lifetime = parsed.expires_in.and_then(ExpiresIn::seconds).map(Duration::from_secs);
        let stale_at = lifetime.map(|lifetime| requested_at + lifetime - config.refresh_before.min(lifetime / 2));
        Ok(Token { value: Secret::new(parsed.access_token), stale_at })
    }

    /// What an error answer says: RFC 6749's `error` and `error_description`, else the start of
    /// the body; the client secret, should the server echo it, replaced with `***`.
    fn refusal(&self, body: &[u8]) -> String {
        let text = match serde_json::from_slice::<ErrorResponse>(body) {
            Ok(ErrorResponse { error, error_description: Some(description) }) => format!("{error}: {description}"),
            Ok(ErrorResponse { error, error_description: None }) => error,
            Err(_) if body.iter().all(u8::is_ascii_whitespace) => "empty body".to_owned(),
            Err(_) => String::from_utf8_lossy(body).into_owned(),
        };
        let secret = self.config.client_secret.expose();
        let text = if secret.is_empty() { text } else { text.replace(secret, "***") };
        excerpt(text.as_bytes(), EXCERPT_BYTES)
    }

    fn failed(&self, status: Option<StatusCode>, message: String) -> Error {
        Error::Token(Box::new(TokenError { scheme: self.scheme, token_url: self.url.to_string(), status, message }))
    }
}

/// The OAuth2 token one call sends, and whether it may still be replaced after a 401.
pub(super) struct CallToken {
    source: Arc<TokenSource>,
    token: Secret,
    renewable: bool,
}

impl CallToken {
    /// Takes the cached token (or fetches one) and sets it as the request's `Authorization`.
    pub(super) async fn apply(
        source: Arc<TokenSource>,
        client: &reqwest::Client,
        request: &mut reqwest::Request,
    ) -> Result<Self, Error> {
        let (token, fetched) = source.token(client).await?;
        authorize(request, &token)?;
        Ok(CallToken { source, token, renewable: !fetched })
    }

    /// After a 401: when the token came from the cache and was not renewed yet in this call,
    /// drops it, puts a new one on `request` and says to send it again. At most once per call.
    pub(super) async fn renew(
        &mut self,
        client: &reqwest::Client,
        request: Option<&mut reqwest::Request>,
    ) -> Result<bool, Error> {
        let Some(request) = request.filter(|_| self.renewable) else { return Ok(false) };
        self.renewable = false;
        self.source.reject(&self.token).await;
        let (token, _) = self.source.token(client).await?;
        authorize(request, &token)?;
        self.token = token;
        tracing::debug!(
            scheme = self.source.scheme,
            "the API rejected the cached OAuth2 token: sending with a new one"
        );
        Ok(true)
    }
}

fn authorize(request: &mut reqwest::Request, token: &Secret) -> Result<(), Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Error::InvalidRequest("the OAuth2 access token is not a valid header value".to_owned()))?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}

/// A successful token response (RFC 6749 section 5.1); no `Debug`, it holds the token.
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<ExpiresIn>,
}

/// `expires_in`: seconds, as a number or (from some servers) a string.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ExpiresIn {
    Number(f64),
    Text(String),
}

impl ExpiresIn {
    fn seconds(self) -> Option<u64> {
        let seconds = match self {
            ExpiresIn::Number(n) => n,
            ExpiresIn::Text(text) => text.trim().parse().ok()?,
        };
        // A year at most: a bogus huge value must not overflow the deadline arithmetic.
        (seconds.is_finite() && seconds >= 0.0).then(|| (seconds as u64).min(365 * 24 * 3600))
    }
}

/// An error response (RFC 6749 section 5.2).
#[derive(serde::Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// `application/x-www-form-urlencoded` pairs (`+` for spaces, everything else but `*-._`
/// percent-encoded).
fn form_urlencode(pairs: &[(&str, &str)]) -> String {
    let Ok(mut url) = Url::parse("http://form.invalid/") else { return String::new() };
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_owned()
}

/// One form-urlencoded value, as RFC 6749 section 2.3.1 wants the client id and secret before
/// they go into HTTP Basic.
fn form_value(value: &str) -> String {
    let pair = form_urlencode(&[("", value)]);
    pair.strip_prefix('=').unwrap_or_default().to_owned()
}

/// Reads at most [`MAX_TOKEN_RESPONSE`] bytes of the body.
async fn read_bounded(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| format!("cannot read the answer: {}", reason(e)))? {
        if body.len() + chunk.len() > MAX_TOKEN_RESPONSE {
            return Err(format!("the answer is larger than {} KiB", MAX_TOKEN_RESPONSE / 1024));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A transport error's reasons, without its URL (the error reports the token URL once).
fn reason(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    excerpt(text.as_bytes(), EXCERPT_BYTES)
}

/// At most `limit` bytes of `text` (cut at a character boundary), control characters escaped.
fn excerpt(text: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(text);
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out: String = text[..end].chars().flat_map(char::escape_debug).collect();
    if end < text.len() {
        out.push_str("...");
    }
    out
}

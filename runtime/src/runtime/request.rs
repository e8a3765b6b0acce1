//! The request the generated code describes, and the per-call options that adjust how it is sent.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;

use super::auth::Security;
use super::body::{BinaryBody, Body, Multipart};
use super::error::Error;
use super::params::{form_urlencoded, param, path_segment, styled_pairs, Style};
use super::retry::RetryPolicy;
use super::validation::Violations;

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
    /// The constraints the request's values break (`body.name`, `query.limit`), found while it
    /// was built: when validation is on (the default), a request with any fails with
    /// [`Error::Validation`] before anything is sent.
    pub violations: Violations,
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
            violations: Violations::default(),
        }
    }

    /// Runs the checks of the request's values (a generated `validate_at`), which add what they
    /// find to [`Request::violations`].
    pub fn check(&mut self, check: impl FnOnce(&mut Violations)) {
        check(&mut self.violations);
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
        self.query.extend(styled_pairs(name, style, explode, value));
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
    /// The largest response body read into memory, in bytes (default: the client's).
    pub max_response_size: Option<u64>,
    /// Whether a request that breaks the spec's constraints fails before it is sent (default:
    /// the client's, which is on).
    pub validate: Option<bool>,
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

    /// Sets the largest response body read into memory, in bytes; a larger one fails with
    /// [`Error::ResponseTooLarge`]. Streamed downloads and event streams are not limited.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Turns checking the request against the spec's constraints (`maxLength`, `pattern`,
    /// `minimum`, ...) on or off for these calls; when on, a request that breaks one fails with
    /// [`Error::Validation`] and nothing is sent.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = Some(on);
        self
    }
}

//! Errors: what a call can fail with, and the API's own error responses with their typed bodies.
//! Their `Display` and `Debug` quote bounded excerpts of what the server sent, never a whole body.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

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
///
/// `Display` and `Debug` are bounded (a few KB, whatever the size of the body); the whole body
/// stays reachable with [`Error::body`] (or [`ApiError::body`], [`DecodeError::body`]).
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response not read (connection, timeout, ...).
    #[error("transport error ({reason}): {0}", reason = transport_reason(.0))]
    Transport(#[source] reqwest::Error),
    /// The server answered with a status the operation does not expect to succeed (boxed to keep
    /// `Error` small).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A success body did not match the expected type: the operation, status, content type, JSON
    /// path and serde's message, with the body (boxed to keep `Error` small).
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The response body is larger than the limit read into memory (see
    /// [`TransportBuilder::max_response_size`](super::TransportBuilder::max_response_size) and
    /// [`RequestOptions::max_response_size`](super::RequestOptions::max_response_size)); nothing
    /// more than the limit was kept. Streamed downloads and event streams have no limit.
    #[error("{}", too_large_message(operation, *status, *limit, *received_at_least, *content_length))]
    ResponseTooLarge {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
        /// How many bytes had arrived when reading stopped: more than `limit`, or 0 when the
        /// `Content-Length` alone was over it (the body was then not read at all).
        received_at_least: u64,
        /// The `Content-Length` the server declared, if any.
        content_length: Option<u64>,
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
    #[error("invalid request: {}", Text(.0, TEXT_BYTES))]
    InvalidRequest(String),
    /// The request breaks constraints the spec sets on its values (`maxLength`, `pattern`,
    /// `minimum`, ...), found before anything was sent: each violation's path (`body.items[2].name`,
    /// `query.limit`, `path.id`) and rule. `Display` lists the first ten. Turned off with
    /// `validate_requests(false)` on the client builder, or per call with
    /// [`RequestOptions::validate`](super::RequestOptions::validate).
    #[error("invalid request to `{operation}`: {violations}")]
    Validation {
        /// The operation id.
        operation: &'static str,
        /// Every violation, in the order of the request's values.
        violations: super::validation::Violations,
    },
    /// The OAuth2 token endpoint did not give a token: its status and what it said, bounded, never
    /// the client secret (boxed to keep `Error` small).
    #[error("{0}")]
    Token(Box<super::oauth::TokenError>),
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) => f.debug_tuple("Transport").field(&Limited(e, DEBUG_BYTES)).finish(),
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Decode(e) => f.debug_tuple("Decode").field(e).finish(),
            Error::ResponseTooLarge { operation, status, limit, received_at_least, content_length } => f
                .debug_struct("ResponseTooLarge")
                .field("operation", operation)
                .field("status", status)
                .field("limit", limit)
                .field("received_at_least", received_at_least)
                .field("content_length", content_length)
                .finish(),
            Error::MissingCredentials { operation, schemes } => f
                .debug_struct("MissingCredentials")
                .field("operation", operation)
                .field("schemes", &Limited(schemes, TEXT_BYTES))
                .finish(),
            Error::InvalidRequest(why) => f.debug_tuple("InvalidRequest").field(&Limited(why, TEXT_BYTES)).finish(),
            Error::Validation { operation, violations } => f
                .debug_struct("Validation")
                .field("operation", operation)
                .field("violations", &Limited(violations, DEBUG_BYTES))
                .finish(),
            Error::Token(e) => f.debug_tuple("Token").field(e).finish(),
        }
    }
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
            Error::Decode(decode) => Some(decode.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
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

    /// The decoding failure, when a success body did not match its type.
    pub fn decode(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(decode) => Some(decode),
            _ => None,
        }
    }

    /// The whole response body, when the error carries one ([`Error::Api`], [`Error::Decode`]).
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::Api(api) => Some(&api.body),
            Error::Decode(decode) => Some(&decode.body),
            _ => None,
        }
    }
}

/// A response with an unexpected (usually non-2xx) status.
///
/// `Display` shows the status, operation, content type and the start of the body; `Debug` the
/// same fields and a bounded excerpt: neither prints the whole body, which [`ApiError::body`]
/// returns.
#[derive(Clone)]
pub struct ApiError {
    /// The spec's operation id (empty for a request sent without one).
    pub operation: &'static str,
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
        request_id(&self.headers)
    }

    /// The response's `Content-Type`, when it has one.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.headers)
    }

    /// The whole body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The whole body as text, invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if !self.operation.is_empty() {
            write!(f, " from `{}`", self.operation)?;
        }
        if let Some(content_type) = self.content_type() {
            write!(f, " ({})", Text(content_type, HEADER_BYTES))?;
        }
        let text = trim_ascii(&self.body);
        if !text.is_empty() {
            write!(f, ": {}", Excerpt(text, EXCERPT_BYTES))?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {})", Text(id, HEADER_BYTES))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("content_type", &self.content_type().map(|c| Limited(c, HEADER_BYTES)))
            .field("request_id", &self.request_id().map(|c| Limited(c, HEADER_BYTES)))
            .field("body", &BodyDebug(&self.body))
            .field("detail", &self.detail.as_ref().map(|d| Limited(d, DEBUG_BYTES)))
            .finish_non_exhaustive()
    }
}

impl std::error::Error for ApiError {}

/// A success body that did not match the operation's type, with where and why.
///
/// `Display` reads like ``decoding the 200 response of `updateThing` (text/html, 48 KiB) failed
/// at `data[3].isDefault`: invalid type: string "yes", expected a boolean at line 1 column 40;
/// body starts: `<!doctype html>...` ``. It and `Debug` quote at most 512 bytes of the body;
/// [`DecodeError::body`] returns all of it.
#[derive(Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The spec's operation id (empty for a body decoded outside an operation).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// Where in the body decoding failed, e.g. `data[3].isDefault`; empty when the body itself
    /// failed (not JSON, or the wrong kind of value).
    pub path: String,
    /// What serde reported, with its line and column (at most 1 KB).
    pub message: String,
    /// The whole body (for an event stream, the event's `data`).
    pub body: Bytes,
}

impl DecodeError {
    /// The failure to decode `body` as JSON at `path` (see [`super::decode`]), kept bounded.
    pub(super) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        path: &str,
        error: &serde_json::Error,
    ) -> Self {
        DecodeError {
            operation,
            status,
            headers,
            path: truncate(path, TEXT_BYTES / 2),
            message: truncate(&error.to_string(), TEXT_BYTES),
            body,
        }
    }

    /// The response's `Content-Type`, when it has one.
    pub fn content_type(&self) -> Option<&str> {
        content_type(&self.headers)
    }

    /// The server's request id, from the first of the usual headers present.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The whole body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The whole body as text, invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "decoding the {} response", self.status.as_u16())?;
        if !self.operation.is_empty() {
            write!(f, " of `{}`", self.operation)?;
        }
        let content_type = self.content_type().unwrap_or("no content type");
        write!(f, " ({}, {}) failed", Text(content_type, HEADER_BYTES), size(self.body.len() as u64))?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", Text(&self.path, TEXT_BYTES))?;
        }
        write!(f, ": {}", Text(&self.message, TEXT_BYTES))?;
        match self.body.len() {
            0 => f.write_str("; the body is empty")?,
            n if n <= EXCERPT_BYTES => write!(f, "; body: `{}`", Excerpt(&self.body, EXCERPT_BYTES))?,
            _ => write!(f, "; body starts: `{}`", Excerpt(&self.body, EXCERPT_BYTES))?,
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {})", Text(id, HEADER_BYTES))?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("content_type", &self.content_type().map(|c| Limited(c, HEADER_BYTES)))
            .field("path", &Limited(&self.path, TEXT_BYTES))
            .field("message", &Limited(&self.message, TEXT_BYTES))
            .field("request_id", &self.request_id().map(|c| Limited(c, HEADER_BYTES)))
            .field("body", &BodyDebug(&self.body))
            .finish_non_exhaustive()
    }
}

impl std::error::Error for DecodeError {}

/// The message of [`Error::ResponseTooLarge`].
fn too_large_message(
    operation: &str,
    status: StatusCode,
    limit: u64,
    received_at_least: u64,
    content_length: Option<u64>,
) -> String {
    let of = if operation.is_empty() { String::new() } else { format!(" of `{operation}`") };
    let why = match content_length {
        Some(length) if received_at_least == 0 => format!("its Content-Length is {}", size(length)),
        Some(length) => format!("{} read, Content-Length {}", size(received_at_least), size(length)),
        None => format!("at least {received_at_least} bytes, no Content-Length"),
    };
    format!(
        "the {} response{of} is larger than the {} response size limit ({why}); raise the limit with \
         `max_response_size`, or use the operation's streaming form",
        status.as_u16(),
        size(limit),
    )
}

/// How much of a body `Display` and `Debug` quote.
const EXCERPT_BYTES: usize = 512;
/// How much of other text that can come from the server (serde's message, a JSON path).
const TEXT_BYTES: usize = 1024;
/// How much of a header value.
const HEADER_BYTES: usize = 128;
/// How much of another value's `Debug` (a typed error body, a transport error).
const DEBUG_BYTES: usize = 2048;

/// The server's request id, from the first of the usual headers present (also what
/// [`WithResponse::request_id`](super::WithResponse::request_id) reports).
pub(super) fn request_id(headers: &HeaderMap) -> Option<&str> {
    ["x-request-id", "request-id", "x-amz-request-id", "x-github-request-id"]
        .iter()
        .filter_map(|name| headers.get(*name)?.to_str().ok())
        .find(|id| !id.is_empty())
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()
}

/// `bytes` without ASCII whitespace at either end.
fn trim_ascii(mut bytes: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = bytes {
        if !first.is_ascii_whitespace() {
            break;
        }
        bytes = rest;
    }
    while let [rest @ .., last] = bytes {
        if !last.is_ascii_whitespace() {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// A size for people: `512 bytes`, `48.2 KiB`, `50 MiB`.
pub(super) fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    let Some((scale, unit)) = UNITS.iter().find(|(scale, _)| bytes >= *scale) else {
        return format!("{bytes} bytes");
    };
    let value = format!("{:.1}", bytes as f64 / *scale as f64);
    format!("{} {unit}", value.strip_suffix(".0").unwrap_or(&value))
}

/// At most `max` bytes of `bytes`, cut on a character boundary, as text (invalid UTF-8
/// replaced), and whether anything was cut.
fn prefix(bytes: &[u8], max: usize) -> (std::borrow::Cow<'_, str>, bool) {
    if bytes.len() <= max {
        return (String::from_utf8_lossy(bytes), false);
    }
    let mut end = max;
    // A continuation byte (10xxxxxx) at the cut belongs to a character that started before it.
    while end > 0 && max - end < 3 && bytes[end] & 0xC0 == 0x80 {
        end -= 1;
    }
    (String::from_utf8_lossy(&bytes[..end]), true)
}

/// At most `max` bytes of `text` (with `...` when cut), cut on a character boundary.
pub(super) fn truncate(text: &str, max: usize) -> String {
    match prefix(text.as_bytes(), max) {
        (kept, true) => format!("{kept}..."),
        (kept, false) => kept.into_owned(),
    }
}

/// Displays at most `.1` bytes of a body: invalid UTF-8 replaced, control characters escaped
/// (`\n`, `\u{1b}`), `...` when cut.
struct Excerpt<'a>(&'a [u8], usize);

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kept, cut) = prefix(self.0, self.1);
        for c in kept.chars() {
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        if cut {
            f.write_str("...")?;
        }
        Ok(())
    }
}

/// [`Excerpt`] of a text.
struct Text<'a>(&'a str, usize);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Excerpt(self.0.as_bytes(), self.1).fmt(f)
    }
}

/// A body in `Debug`: its start, quoted, and its size.
struct BodyDebug<'a>(&'a [u8]);

impl fmt::Debug for BodyDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kept, cut) = prefix(self.0, EXCERPT_BYTES);
        write!(f, "{kept:?}{} ({})", if cut { "..." } else { "" }, size(self.0.len() as u64))
    }
}

/// The `Debug` of `.0`, at most `.1` bytes of it (then `...`): written through [`Bounded`], so a
/// huge value is never formatted in full.
struct Limited<'a, T: ?Sized>(&'a T, usize);

impl<T: fmt::Debug + ?Sized> fmt::Debug for Limited<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let alternate = f.alternate();
        let mut out = Bounded { f, left: self.1, cut: false };
        let written = if alternate { write!(out, "{:#?}", self.0) } else { write!(out, "{:?}", self.0) };
        match written {
            Err(_) if out.cut => out.f.write_str("..."),
            other => other,
        }
    }
}

/// Writes into a formatter until `left` bytes are spent, then fails, which stops the formatting.
struct Bounded<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: bool,
}

impl fmt::Write for Bounded<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.len() <= self.left {
            self.left -= s.len();
            return self.f.write_str(s);
        }
        let mut end = self.left;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.left = 0;
        self.cut = true;
        self.f.write_str(&s[..end])?;
        Err(fmt::Error)
    }
}

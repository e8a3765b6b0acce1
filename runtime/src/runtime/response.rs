//! Responses: read in full or streamed, decoded, with typed headers.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::decode::decode_body;
use super::error::{ApiError, DecodeError, Detail, Error};

/// The largest body read into memory by default: 64 MiB. Far above any JSON a list or detail
/// endpoint sends (a decoded value takes several times its text again), well below what would
/// take a process down; a larger body fails with [`Error::ResponseTooLarge`] after reading at
/// most this much. Large downloads and event streams are streamed, and not limited.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// Reads a whole response, at most `limit` bytes of it: a `Content-Length` over the limit fails
/// before reading, and a body without one fails as soon as it passes the limit, having kept no
/// more than the limit (see [`Collect`]).
pub(super) async fn read_full(
    mut response: reqwest::Response,
    operation: &'static str,
    limit: u64,
) -> Result<Response, Error> {
    let status = response.status();
    let content_length = response.content_length();
    let too_large =
        |received_at_least| Error::ResponseTooLarge { operation, status, limit, received_at_least, content_length };
    if content_length.is_some_and(|length| length > limit) {
        return Err(too_large(0));
    }
    let headers = std::mem::take(response.headers_mut());
    // A declared length is allocated at once, unless the limit was raised so far that a false
    // one could ask for more memory than there is.
    let preallocate = content_length.filter(|length| *length <= Collect::MAX_PREALLOCATION);
    let mut body = Collect::new(preallocate.unwrap_or(limit), preallocate.is_some());
    while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
        let received = body.len + chunk.len() as u64;
        if received > limit {
            return Err(too_large(received));
        }
        body.push(chunk);
    }
    Ok(Response { status, headers, body: body.finish(), operation })
}

/// A body being read. The first chunk is kept as it is (most bodies arrive in one); from the
/// second on, chunks are copied into buffers allocated here, which are never reallocated and
/// whose total capacity never passes `ceiling` (the declared length, allocated at once, or the
/// limit): a body cut at the limit has cost at most the limit. Several buffers are joined at the
/// end, so a body without a `Content-Length` costs twice its size for a moment (as reqwest's own
/// `bytes()` does); one with a `Content-Length` costs its size.
struct Collect {
    first: Option<Bytes>,
    parts: Vec<Vec<u8>>,
    /// Bytes received.
    len: u64,
    /// Total capacity of `parts`.
    capacity: u64,
    ceiling: u64,
    known_length: bool,
}

impl Collect {
    /// The size of the first buffer when the length is unknown; each next one doubles the total,
    /// up to [`Collect::MAX_PART`], which bounds the capacity left unused at the end.
    const FIRST_PART: u64 = 64 * 1024;
    const MAX_PART: u64 = 4 * 1024 * 1024;
    /// The largest declared length allocated at once.
    const MAX_PREALLOCATION: u64 = 256 * 1024 * 1024;

    fn new(ceiling: u64, known_length: bool) -> Self {
        Collect { first: None, parts: Vec::new(), len: 0, capacity: 0, ceiling, known_length }
    }

    fn push(&mut self, chunk: Bytes) {
        self.len += chunk.len() as u64;
        if self.first.is_none() && self.parts.is_empty() {
            self.first = Some(chunk);
            return;
        }
        if let Some(first) = self.first.take() {
            self.copy(&first);
        }
        self.copy(&chunk);
    }

    fn copy(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.parts.last().is_none_or(|part| part.len() == part.capacity()) {
                // Every part is full here, so `capacity` is what is stored.
                let wanted = if self.known_length {
                    self.ceiling
                } else {
                    self.capacity.clamp(Self::FIRST_PART, Self::MAX_PART)
                };
                let size = wanted.min(self.ceiling.saturating_sub(self.capacity)).max(data.len() as u64);
                self.capacity += size;
                self.parts.push(Vec::with_capacity(size as usize));
            }
            let Some(part) = self.parts.last_mut() else { return };
            let n = (part.capacity() - part.len()).min(data.len());
            part.extend_from_slice(&data[..n]);
            data = &data[n..];
        }
    }

    fn finish(mut self) -> Bytes {
        if let Some(first) = self.first {
            return first;
        }
        if self.parts.len() <= 1 {
            return self.parts.pop().map(Bytes::from).unwrap_or_default();
        }
        let mut all = Vec::with_capacity(self.len as usize);
        for part in self.parts {
            all.extend_from_slice(&part);
        }
        Bytes::from(all)
    }
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
    /// The spec's operation id of the request, for error messages.
    pub operation: &'static str,
}

impl Response {
    /// Decodes the body as JSON; a failure is [`Error::Decode`] naming the path, the status, the
    /// content type and the operation.
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        decode_body(&self.body).map_err(|(path, error)| {
            let Response { status, headers, body, operation } = self;
            Error::Decode(Box::new(DecodeError::new(operation, status, headers, body, &path, &error)))
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
        self.into_typed_error(untyped)
    }

    /// Turns an error response into [`Error::Api`], with the body decoded by `decode` as the
    /// operation's typed error when the spec documents one for this status (see [`ApiError::detail`]).
    pub fn into_typed_error<E: Detail>(self, decode: impl FnOnce(u16, &[u8]) -> Option<E>) -> Error {
        let detail = decode(self.status.as_u16(), &self.body).map(|e| Arc::new(e) as Arc<dyn Detail>);
        let Response { status, headers, body, operation } = self;
        Error::Api(Box::new(ApiError { operation, status, headers, body, detail }))
    }
}

/// A response whose body has not been read yet (see
/// [`Transport::send_streaming`](super::Transport::send_streaming)).
#[derive(Debug)]
pub struct Streaming {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    response: reqwest::Response,
    operation: &'static str,
    max_response_size: u64,
}

/// A stream of body chunks.
pub type ByteStream = BoxStream<'static, Result<Bytes, Error>>;

impl Streaming {
    /// A response whose head has arrived, its body still to read: `max_response_size` applies
    /// only if it is read whole ([`Streaming::into_response`]).
    pub(super) fn new(response: reqwest::Response, operation: &'static str, max_response_size: u64) -> Self {
        Streaming {
            status: response.status(),
            headers: response.headers().clone(),
            response,
            operation,
            max_response_size,
        }
    }

    /// The spec's operation id of the request.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Reads the whole body, within the client's response size limit.
    pub async fn into_response(self) -> Result<Response, Error> {
        read_full(self.response, self.operation, self.max_response_size).await
    }

    /// The body as a stream of chunks, for large downloads: no size limit applies.
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

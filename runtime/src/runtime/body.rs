//! Request bodies: JSON or encoded bytes, binary bodies in memory or streamed, multipart forms.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

use super::error::Error;
use super::random::random_u64;

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
    pub(super) fn take(&self) -> Option<reqwest::Body> {
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

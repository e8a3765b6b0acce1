//! Runtime support for the generated client: transport, authentication, retries and errors.
//!
//! This folder is emitted verbatim by the generator into every client crate; do not edit it there.
//! Its source is the generator's `client-runtime` crate, where it is compiled and tested.
//!
//! Every public item is re-exported here: generated code names it `crate::runtime::Item`,
//! whichever file holds it.

mod auth;
mod body;
mod decode;
mod error;
mod hook;
mod nullable;
mod oauth;
mod pagination;
mod params;
mod random;
mod raw_response;
mod request;
mod response;
mod retry;
mod serde_impls;
mod sse;
mod transport;
mod validation;
mod webhook;

pub use bytes::Bytes;
pub use futures_util::stream::BoxStream;
pub use futures_util::Stream;
/// The HTTP client the runtime is built on, for [`Hook`]s and `http_client` (the same version).
pub use reqwest;
pub use reqwest::{header::HeaderMap, Method, StatusCode};

// The client's: sending requests and reading responses.
pub use self::auth::{SchemeKind, Secret, Security, SecurityScheme};
pub use self::body::{BinaryBody, Body, Multipart, Part, StreamBody};
pub use self::error::{ApiError, DecodeError, Detail, Error};
pub use self::hook::{CallInfo, Hook};
pub use self::oauth::{ClientAuth, ClientCredentials, TokenError, DEFAULT_REFRESH_BEFORE};
pub use self::pagination::{next_link, paginate, Pagination, Paging};
pub use self::params::{form_urlencoded, param, path_segment, simple, Style};
pub use self::random::idempotency_key;
pub use self::raw_response::{ResponseExt, WithResponse};
pub use self::request::{Request, RequestOptions};
pub use self::response::{
    header_as, untyped, with_headers, ByteStream, Response, Streaming, WithHeaders, DEFAULT_MAX_RESPONSE_SIZE,
};
pub use self::retry::{Attempt, AttemptOutcome, Retry, RetryPolicy};
pub use self::sse::{Event, EventStream};
pub use self::transport::{Transport, TransportBuilder};

// The `webhooks` modules': received bodies parsed into typed events.
pub use self::webhook::{event_bytes, event_json, event_text, WebhookError};

// The models': absent-vs-null properties, serde impls, `oneOf` decoding, validation.
pub use self::decode::{buffer, decode_json, serialize_tagged, tag_of, Shape, Variants};
pub use self::nullable::{default_if_absent, Absent, Nullable, Presence, SpecDefault};
pub use self::serde_impls::{first_missing, keep, set, FieldName, MapWriter};
#[allow(unused_imports)] // in a crate without object types or string enums
pub(crate) use self::serde_impls::{object_serde, string_enum};
pub use self::validation::{field_path, index_path, Violation, Violations};

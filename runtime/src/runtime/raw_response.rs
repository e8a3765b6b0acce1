//! The raw response of a successful call: `call.with_response().await?` gives the typed value
//! with the status, headers and request id of the response it came from.
//!
//! Every operation method returns a future of `Result<T, Error>`; [`ResponseExt`] wraps any such
//! future instead of the generator emitting a second method per operation. The wrapper runs the
//! future inside its own task-local slot, which [`Transport`](super::Transport) fills with the
//! head of each final response (after retries); a call made outside any wrapper finds no slot and
//! records nothing.

use std::cell::RefCell;
use std::future::Future;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::{request_id, Error};

tokio::task_local! {
    /// The status and headers of the last final response received inside a `with_response` scope.
    static LAST_RESPONSE: RefCell<Option<(StatusCode, HeaderMap)>>;
}

/// Stores the final response's head in the slot of the innermost `with_response` around this
/// call, if there is one; otherwise does nothing (and copies nothing).
pub(super) fn record(status: StatusCode, headers: &HeaderMap) {
    let _ = LAST_RESPONSE.try_with(|slot| *slot.borrow_mut() = Some((status, headers.clone())));
}

/// Raw response access for any call: `client.get_pet(id).with_response().await?` is a
/// [`WithResponse`] holding the typed value with the response's status and headers.
///
/// Implemented for every future whose output is `Result<T, Error>`: each operation method, its
/// `_with_headers`, `_download` and event-stream forms. The status and headers are those of the
/// final response (after retries) of the last call the future made; the future runs in its own
/// scope, so concurrent and nested wrapped calls each see their own response.
pub trait ResponseExt<T>: Future<Output = Result<T, Error>> + Sized {
    /// Runs the call and returns its value with the response's status and headers.
    ///
    /// # Errors
    /// The call's own error; [`Error::InvalidRequest`] when the future succeeded without
    /// receiving any HTTP response (it was not a call).
    fn with_response(self) -> impl Future<Output = Result<WithResponse<T>, Error>>;
}

impl<T, F: Future<Output = Result<T, Error>>> ResponseExt<T> for F {
    fn with_response(self) -> impl Future<Output = Result<WithResponse<T>, Error>> {
        LAST_RESPONSE.scope(RefCell::new(None), async move {
            let value = self.await?;
            match LAST_RESPONSE.with(|slot| slot.borrow_mut().take()) {
                Some((status, headers)) => Ok(WithResponse { value, status, headers }),
                None => Err(Error::InvalidRequest("`with_response` wraps a future that received no response".into())),
            }
        })
    }
}

/// A call's typed value with the status and headers of the response it was decoded from; see
/// [`ResponseExt::with_response`].
#[derive(Debug, Clone)]
pub struct WithResponse<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> WithResponse<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's request id, by the same rule as [`ApiError::request_id`](super::ApiError::request_id).
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The typed value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The typed value, dropping the response's status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The typed value, status and headers.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.value, self.status, self.headers)
    }
}

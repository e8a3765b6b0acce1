//! Hooks: user code run around every attempt of every call (request signing, extra headers,
//! metrics, logging, OpenTelemetry attributes).

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Code run around each attempt of each call, registered with
/// [`TransportBuilder::hook`](super::TransportBuilder::hook) (a generated `ClientBuilder::hook`).
///
/// Both methods default to doing nothing, and several hooks run in the order they were added.
/// They run once per attempt, so a retried call shows each try (see [`CallInfo::attempt`]), and
/// inside the call's `http_request` tracing span: `tracing::Span::current()` is that span, and a
/// span a hook opens is its child.
///
/// The request a hook sees is the one about to be sent: its credentials are already applied.
/// Credential headers are marked sensitive (`HeaderValue::is_sensitive`), so they never appear in
/// `Debug` output; a hook that logs headers should skip sensitive ones, and query parameters may
/// hold an API key too.
///
/// ```ignore
/// struct Tag;
///
/// impl runtime::Hook for Tag {
///     fn before_send(&self, request: &mut reqwest::Request, _call: &runtime::CallInfo) {
///         request.headers_mut().insert("x-client-tag", reqwest::header::HeaderValue::from_static("docs"));
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt is sent; may change the request (add a header, sign it).
    fn before_send(&self, request: &mut reqwest::Request, call: &CallInfo) {
        let _ = (request, call);
    }

    /// Called when an attempt's response head has arrived, before its body is read; not called
    /// when an attempt gets no response (connection failure, timeout: the call's error says why).
    fn after_receive(&self, status: StatusCode, headers: &HeaderMap, call: &CallInfo) {
        let _ = (status, headers, call);
    }
}

/// Which call and which attempt a [`Hook`] is run for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallInfo {
    /// The spec's operation id.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The spec's path template (e.g. `/v1/items/{id}`): never holds parameter values.
    pub path_template: &'static str,
    /// The attempt, from 1; retries count up.
    pub attempt: u32,
}

/// The hooks of a transport, run in order.
#[derive(Default)]
pub(super) struct Hooks(Vec<Box<dyn Hook>>);

impl Hooks {
    pub(super) fn push(&mut self, hook: impl Hook) {
        self.0.push(Box::new(hook));
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn before_send(&self, request: &mut reqwest::Request, call: &CallInfo) {
        for hook in &self.0 {
            hook.before_send(request, call);
        }
    }

    pub(super) fn after_receive(&self, status: StatusCode, headers: &HeaderMap, call: &CallInfo) {
        for hook in &self.0 {
            hook.after_receive(status, headers, call);
        }
    }
}

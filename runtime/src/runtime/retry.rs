//! Retries: the policy, and the one rule ([`RetryPolicy::decide`]) that says after each attempt
//! whether to try again and after how long. The table is on [`RetryPolicy`].

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use super::error::Error;
use super::random::random_u64;

/// When and how often a request is retried; [`RetryPolicy::decide`] applies it after each attempt:
///
/// | An attempt ended with                                     | Retried for                                  |
/// |-----------------------------------------------------------|----------------------------------------------|
/// | status 408, 409, 429, 500, 502, 503 or 504                | idempotent methods, or any with a key (1)    |
/// | any other status (400, 404, 501, ...)                     | never                                        |
/// | a 4xx or 5xx with `x-should-retry: true`                  | any method (the server says it is safe)      |
/// | any status with `x-should-retry: false`                   | never                                        |
/// | no connection (refused, DNS, TLS, connect timeout)        | any method (nothing was sent)                |
/// | connection reset or closed before the response; timeout   | idempotent methods, or any with a key (1)    |
/// | anything else (redirect loop, body failing to read, ...)  | never                                        |
///
/// (1) GET, HEAD, PUT, DELETE, OPTIONS and TRACE, or any request carrying an `Idempotency-Key`.
/// A request whose streamed body was already sent is never retried. The wait is the server's
/// (`retry-after-ms`, else `Retry-After` in seconds or as an HTTP date) when it gives one; one
/// longer than [`RetryPolicy::max_backoff`] ends the retries (the caller gets the response, whose
/// headers say when to come back). Otherwise it is the policy's exponential backoff with jitter.
/// No wait ends after the [`RetryPolicy::deadline`], and there are at most
/// [`RetryPolicy::max_attempts`] attempts. The default: 3 attempts, backoff from 0.5 s, 30 s per
/// wait at most, a 120 s deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first included (0 behaves as 1).
    pub max_attempts: u32,
    /// Backoff before the second attempt; it doubles for each attempt after that.
    pub initial_backoff: Duration,
    /// Upper bound on one wait: caps the backoff, and a server's `retry-after-ms` or `Retry-After`
    /// longer than this stops retrying.
    pub max_backoff: Duration,
    /// No wait ends later than this, measured from the start of the first attempt.
    pub deadline: Option<Duration>,
}

/// Statuses retried for idempotent (or keyed) requests: request timeout, conflict (often a lock),
/// rate limit, and the server errors that are usually transient.
const RETRIED_STATUSES: [u16; 7] = [408, 409, 429, 500, 502, 503, 504];

/// Methods that may be sent twice with the effect of once.
const IDEMPOTENT: [Method; 6] =
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE];

/// What [`RetryPolicy::decide`] says after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Stop: the outcome of this attempt is the outcome of the call.
    No,
    /// Send the request again after this wait.
    After(Duration),
}

/// The attempt that just ended, as the retry rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The request's method.
    pub method: &'a Method,
    /// Whether the request carries an `Idempotency-Key` header.
    pub keyed: bool,
    /// Whether the request can be sent again (false once a streamed body was sent).
    pub replayable: bool,
    /// Which attempt it was: 1 for the first.
    pub number: u32,
    /// Time since the first attempt started.
    pub elapsed: Duration,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub enum AttemptOutcome<'a> {
    /// A response arrived, with this status and these headers.
    Response(StatusCode, &'a HeaderMap),
    /// No connection was made (refused, unresolvable, TLS or connect failure or timeout), so
    /// nothing of the request was sent.
    NotConnected,
    /// The connection was reset or closed before the response started, or the attempt timed out:
    /// the server may have acted on the request.
    Interrupted,
    /// Anything else: an invalid request, a redirect refused, a body that failed to read.
    Failed,
}

impl AttemptOutcome<'_> {
    /// How an attempt that failed with `error` ended.
    pub fn of_error(error: &Error) -> AttemptOutcome<'static> {
        match error {
            Error::Transport(e) if e.is_connect() => AttemptOutcome::NotConnected,
            // `is_request`: the request failed before a response head arrived (reset, closed).
            Error::Transport(e) if e.is_timeout() || e.is_request() => AttemptOutcome::Interrupted,
            _ => AttemptOutcome::Failed,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    /// The retry rule (see the table in this module's documentation): whether the request of
    /// `attempt`, which ended with `outcome`, is sent again, and after how long.
    pub fn decide(&self, attempt: &Attempt<'_>, outcome: AttemptOutcome<'_>) -> Retry {
        let safe = attempt.keyed || IDEMPOTENT.contains(attempt.method);
        let (eligible, server_wait) = match outcome {
            AttemptOutcome::Response(status, headers) => {
                let eligible = match should_retry(headers) {
                    Some(says) => says && (status.is_client_error() || status.is_server_error()),
                    None => safe && RETRIED_STATUSES.contains(&status.as_u16()),
                };
                (eligible, server_wait(headers))
            }
            AttemptOutcome::NotConnected => (true, None),
            AttemptOutcome::Interrupted => (safe, None),
            AttemptOutcome::Failed => (false, None),
        };
        if !eligible || !attempt.replayable || attempt.number >= self.max_attempts.max(1) {
            return Retry::No;
        }
        let wait = match server_wait {
            Some(wait) if wait > self.max_backoff => return Retry::No,
            Some(wait) => wait,
            None => self.backoff(attempt.number),
        };
        if self.deadline.is_some_and(|deadline| attempt.elapsed.saturating_add(wait) > deadline) {
            return Retry::No;
        }
        Retry::After(wait)
    }

    /// The backoff after attempt `attempt`: `initial_backoff` doubled per attempt, capped at
    /// `max_backoff`, with equal jitter (half fixed, half random).
    pub fn backoff(&self, attempt: u32) -> Duration {
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

/// `x-should-retry: true` or `false`, the server's word on whether retrying is safe and useful.
fn should_retry(headers: &HeaderMap) -> Option<bool> {
    let value = headers.get("x-should-retry")?.to_str().ok()?.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The wait the server asks for: `retry-after-ms` (milliseconds), else `Retry-After` (seconds, or
/// an HTTP date, a past one meaning now). Values that do not parse are ignored.
fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let millis = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok());
    if let Some(wait) = millis.and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok()) {
        return Some(wait);
    }
    let value = text(RETRY_AFTER.as_str())?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or_default())
}

//! Parsing the bodies of webhooks and callbacks: what the generated `webhooks` modules call.
//!
//! A received body is parsed by the event's name into its typed payload; verifying the sender's
//! signature is the receiver's job, before parsing (see the README: "Webhooks").

use std::fmt;

use bytes::Bytes;

/// The most bytes of a name or message an error's `Display` and `Debug` quote.
const QUOTED_BYTES: usize = 1024;

/// The most event names an unknown-event error lists.
const LISTED_NAMES: usize = 20;

/// Why a received webhook or callback body could not be parsed into its event. `Display` and
/// `Debug` are bounded (a few KB) whatever was received.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// No event of the API has this name.
    UnknownEvent {
        /// The name given.
        name: String,
        /// Every name the API's `parse` takes.
        known: &'static [&'static str],
    },
    /// The body does not match the event's schema: the JSON path and serde's message, as
    /// [`decode_json`](super::decode_json) gives them (`pet.tag: invalid type: ...`).
    Decode {
        /// The event's name.
        event: &'static str,
        /// What is wrong, and where.
        message: String,
    },
    /// The body of an event with a text payload is not UTF-8.
    NotText {
        /// The event's name.
        event: &'static str,
    },
}

impl WebhookError {
    /// An unknown event named `name`, among `known`.
    pub fn unknown_event(name: &str, known: &'static [&'static str]) -> Self {
        WebhookError::UnknownEvent { name: name.to_owned(), known }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::UnknownEvent { name, known } => {
                write!(f, "no webhook or callback is named {:?}: ", bounded(name))?;
                if known.is_empty() {
                    return write!(f, "this API has none");
                }
                let listed: Vec<String> = known.iter().take(LISTED_NAMES).map(|n| format!("`{n}`")).collect();
                write!(f, "the names are {}", listed.join(", "))?;
                if known.len() > LISTED_NAMES {
                    write!(f, " and {} more", known.len() - LISTED_NAMES)?;
                }
                Ok(())
            }
            WebhookError::Decode { event, message } => {
                write!(f, "the body of `{event}` does not match its schema: {}", bounded(message))
            }
            WebhookError::NotText { event } => write!(f, "the body of `{event}` is not UTF-8 text"),
        }
    }
}

impl fmt::Debug for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::UnknownEvent { name, known } => {
                f.debug_struct("UnknownEvent").field("name", &bounded(name)).field("known", &known.len()).finish()
            }
            WebhookError::Decode { event, message } => {
                f.debug_struct("Decode").field("event", event).field("message", &bounded(message)).finish()
            }
            WebhookError::NotText { event } => f.debug_struct("NotText").field("event", event).finish(),
        }
    }
}

impl std::error::Error for WebhookError {}

/// At most [`QUOTED_BYTES`] of `text`, cut at a character boundary, with `...` when cut.
fn bounded(text: &str) -> String {
    super::error::truncate(text, QUOTED_BYTES)
}

/// The JSON payload of event `event`.
pub fn event_json<T: serde::de::DeserializeOwned>(event: &'static str, body: &[u8]) -> Result<T, WebhookError> {
    super::decode_json(body).map_err(|message| WebhookError::Decode { event, message })
}

/// The text payload of event `event`.
pub fn event_text(event: &'static str, body: &[u8]) -> Result<String, WebhookError> {
    String::from_utf8(body.to_vec()).map_err(|_| WebhookError::NotText { event })
}

/// The binary payload of an event.
pub fn event_bytes(body: &[u8]) -> Bytes {
    Bytes::copy_from_slice(body)
}

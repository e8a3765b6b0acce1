//! Server-sent events (`text/event-stream`): a streamed response body parsed into typed events.

use std::collections::VecDeque;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::decode::decode_body;
use super::error::{DecodeError, Error};
use super::response::Streaming;

/// A stream of server-sent events.
pub type EventStream<T> = BoxStream<'static, Result<Event<T>, Error>>;

/// One server-sent event with its `data` decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// `event:` (the event type), when given.
    pub event: Option<String>,
    /// `id:`, when given.
    pub id: Option<String>,
    /// `retry:` in milliseconds, when given.
    pub retry: Option<u64>,
    /// `data:` (lines joined by `\n`), decoded: JSON for typed events, as is for `String`.
    pub data: T,
}

impl Streaming {
    /// The body as server-sent events; `data` decodes as JSON into `T` (a `String` takes it as
    /// is when it is not JSON). Comments and events without data are skipped.
    pub fn events<T: serde::de::DeserializeOwned + Send + 'static>(self) -> EventStream<T> {
        // What a decoding error reports besides the event's data.
        let head = (self.operation(), self.status, self.headers.clone());
        let state = (self.bytes(), SseParser::default(), VecDeque::<Result<Event<T>, Error>>::new(), false, head);
        Box::pin(futures_util::stream::unfold(
            state,
            |(mut chunks, mut parser, mut ready, mut done, head)| async move {
                loop {
                    if let Some(event) = ready.pop_front() {
                        return Some((event, (chunks, parser, ready, done, head)));
                    }
                    if done {
                        return None;
                    }
                    match futures_util::StreamExt::next(&mut chunks).await {
                        Some(Ok(chunk)) => {
                            ready.extend(parser.push(&chunk).into_iter().map(|raw| raw.decode(&head)));
                        }
                        Some(Err(e)) => {
                            ready.push_back(Err(e));
                            done = true;
                        }
                        None => {
                            ready.extend(parser.push(b"\n\n").into_iter().map(|raw| raw.decode(&head)));
                            done = true;
                        }
                    }
                }
            },
        ))
    }
}

/// Splits the body into events as they complete; a chunk may end anywhere, even inside a line.
#[derive(Default)]
struct SseParser {
    buffer: Vec<u8>,
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: Vec<String>,
}

/// One event as read, its `data` not yet decoded.
struct RawEvent {
    event: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
    data: String,
}

impl RawEvent {
    /// Decodes `data`; a failure is [`Error::Decode`] with the event's data as the body.
    fn decode<T: serde::de::DeserializeOwned>(
        self,
        (operation, status, headers): &(&'static str, StatusCode, HeaderMap),
    ) -> Result<Event<T>, Error> {
        let data = decode_body(self.data.as_bytes())
            .or_else(|e| serde_json::from_value(serde_json::Value::String(self.data.clone())).map_err(|_| e))
            .map_err(|(path, error)| {
                let body = Bytes::from(self.data.clone());
                Error::Decode(Box::new(DecodeError::new(operation, *status, headers.clone(), body, &path, &error)))
            })?;
        Ok(Event { event: self.event, id: self.id, retry: self.retry, data })
    }
}

impl SseParser {
    /// Feeds bytes; returns the events completed by them.
    fn push(&mut self, bytes: &[u8]) -> Vec<RawEvent> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() {
                    events.push(RawEvent {
                        event: self.event.take(),
                        id: self.id.clone(),
                        retry: self.retry.take(),
                        data: std::mem::take(&mut self.data).join("\n"),
                    });
                }
                self.event = None;
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "data" => self.data.push(value.to_owned()),
                "event" => self.event = Some(value.to_owned()),
                "id" => self.id = Some(value.to_owned()),
                "retry" => self.retry = value.parse().ok(),
                _ => {}
            }
        }
        events
    }
}

//! Pagination: every item of every page as one stream, the next page found by cursor, `Link`
//! header, page number or offset.

use std::collections::VecDeque;

use futures_util::Stream;
use reqwest::header::HeaderMap;
use reqwest::Url;

use super::decode::{decode_body, decode_value};
use super::error::{DecodeError, Error};
use super::request::{Request, RequestOptions};
use super::response::Response;
use super::transport::Transport;

/// How a paginated operation finds its next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// The response property `next` (a JSON pointer) holds the next value of the query parameter.
    Cursor {
        /// JSON pointer of the next cursor in the response body, e.g. `/next_cursor`.
        next: &'static str,
    },
    /// The `Link` header's `rel="next"` URL holds the next value of the query parameter.
    Link,
    /// The query parameter is a page number (from 1): the next is one more, until a page is empty.
    Page,
    /// The query parameter is an item offset (from 0): it grows by each page's items, until one is empty.
    Offset,
}

/// Where a paginated operation's items are and how its next page is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// The query parameter that selects the page.
    pub param: &'static str,
    /// JSON pointer of the items array in the response body (`""`: the body is the array).
    pub items: &'static str,
    /// How the next page is found.
    pub paging: Paging,
}

/// Every item of every page, requesting pages one after the other as the stream is polled.
/// `request` builds a page's request; the query parameter of the pagination is then set to the
/// next value. A page that fails ends the stream with its error.
pub fn paginate<T, F>(
    transport: Transport,
    options: RequestOptions,
    pagination: Pagination,
    request: F,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    T: serde::de::DeserializeOwned + Send + 'static,
    F: Fn() -> Result<Request, Error> + Send + Sync + 'static,
{
    struct State<T, F> {
        transport: Transport,
        options: RequestOptions,
        pagination: Pagination,
        request: F,
        next: Option<Option<String>>,
        ready: VecDeque<T>,
    }
    let state = State { transport, options, pagination, request, next: Some(None), ready: VecDeque::new() };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.ready.pop_front() {
                return Some((Ok(item), state));
            }
            let cursor = state.next.take()?;
            match fetch_page::<T, F>(&state.transport, &state.options, &state.pagination, &state.request, cursor).await
            {
                Ok((items, next)) => {
                    state.next = if items.is_empty() { None } else { next.map(Some) };
                    state.ready.extend(items);
                }
                Err(e) => return Some((Err(e), state)),
            }
        }
    })
}

async fn fetch_page<T: serde::de::DeserializeOwned, F: Fn() -> Result<Request, Error>>(
    transport: &Transport,
    options: &RequestOptions,
    pagination: &Pagination,
    request: &F,
    cursor: Option<String>,
) -> Result<(Vec<T>, Option<String>), Error> {
    let mut request = request()?;
    if let Some(cursor) = &cursor {
        request.set_query(pagination.param, cursor);
    }
    let current = request.query_value(pagination.param).map(str::to_owned);
    let response = transport.send_with(request, options).await?;
    if !response.status.is_success() {
        return Err(response.into_error());
    }
    let decode_error = |(path, error): (String, serde_json::Error)| {
        let Response { status, headers, body, operation } = response.clone();
        Error::Decode(Box::new(DecodeError::new(operation, status, headers, body, &path, &error)))
    };
    let body: serde_json::Value = decode_body(&response.body).map_err(decode_error)?;
    let items: &[serde_json::Value] = match body.pointer(pagination.items) {
        Some(serde_json::Value::Array(items)) => items,
        _ => &[],
    };
    let count = items.len();
    // The path of a failing item from the body's root: `data[3].isDefault`.
    let items_path = pagination.items.trim_start_matches('/').replace('/', ".");
    let items: Vec<T> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            decode_value(item).map_err(|(path, error)| {
                let inner = if path.is_empty() || path.starts_with('[') { path } else { format!(".{path}") };
                (format!("{items_path}[{i}]{inner}"), error)
            })
        })
        .collect::<Result<_, _>>()
        .map_err(decode_error)?;
    let next = match pagination.paging {
        Paging::Cursor { next } => match body.pointer(next) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        },
        Paging::Link => next_link(&response.headers).and_then(|url| {
            let url = Url::parse(&url).ok()?;
            let value = url.query_pairs().find(|(k, _)| k == pagination.param).map(|(_, v)| v.into_owned());
            value
        }),
        Paging::Page => Some((current.and_then(|c| c.parse::<u64>().ok()).unwrap_or(1) + 1).to_string()),
        Paging::Offset => Some((current.and_then(|c| c.parse::<u64>().ok()).unwrap_or(0) + count as u64).to_string()),
    };
    // A cursor that does not move would loop forever.
    let next = next.filter(|n| Some(n) != cursor.as_ref());
    Ok((items, next))
}

/// The `rel="next"` URL of a `Link` header (RFC 8288).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::LINK).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).find_map(
        |link| {
            let (target, params) = link.trim().split_once(';')?;
            let is_next = params.split(';').any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            });
            is_next.then(|| target.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
        },
    )
}

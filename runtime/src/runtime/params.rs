//! Parameters as they appear on the wire: query styles, form bodies, header values, path segments.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Url;

use super::error::Error;

/// How a query parameter's value is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `form`: `a=1&a=2` exploded, `a=1,2` not; objects `k=v` exploded, `o=k,v` not.
    Form,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `o[k]=v`.
    DeepObject,
}

/// The query pairs of parameter `name` holding `value`, serialized per `style` and `explode` (see
/// [`Request::query_styled`](super::Request::query_styled)).
pub(super) fn styled_pairs(
    name: &'static str,
    style: Style,
    explode: bool,
    value: serde_json::Value,
) -> Vec<(Cow<'static, str>, String)> {
    let delimiter = match style {
        Style::Form | Style::DeepObject => ",",
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
    };
    match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().filter(|v| !v.is_null()).map(scalar).collect();
            if explode && matches!(style, Style::Form | Style::DeepObject) {
                items.into_iter().map(|v| (Cow::Borrowed(name), v)).collect()
            } else {
                vec![(Cow::Borrowed(name), items.join(delimiter))]
            }
        }
        serde_json::Value::Object(map) => {
            let entries = map.iter().filter(|(_, v)| !v.is_null());
            match (style, explode) {
                (Style::DeepObject, _) => {
                    let mut pairs = Vec::new();
                    for (key, value) in entries {
                        deep_pairs(&format!("{name}[{key}]"), value, &mut pairs);
                    }
                    pairs.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect()
                }
                (Style::Form, true) => entries.map(|(k, v)| (Cow::Owned(k.clone()), scalar(v))).collect(),
                _ => {
                    let flat: Vec<String> = entries.flat_map(|(k, v)| [k.clone(), scalar(v)]).collect();
                    vec![(Cow::Borrowed(name), flat.join(delimiter))]
                }
            }
        }
        other => vec![(Cow::Borrowed(name), scalar(&other))],
    }
}

/// A value as it appears in a query string or header: strings as they are, numbers and booleans as
/// in JSON, anything else as compact JSON.
fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `prefix[key]=value` pairs of a nested value; arrays repeat the name.
fn deep_pairs(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                deep_pairs(&format!("{prefix}[{key}]"), value, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                match item {
                    serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                        deep_pairs(&format!("{prefix}[]"), item, out)
                    }
                    _ => deep_pairs(prefix, item, out),
                }
            }
        }
        other => out.push((prefix.to_owned(), scalar(other))),
    }
}

/// Encodes an object as `application/x-www-form-urlencoded`, see [`Request::form`](super::Request::form).
pub fn form_urlencoded(value: &serde_json::Value) -> Result<String, Error> {
    let serde_json::Value::Object(map) = value else {
        return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
    };
    let mut pairs = Vec::new();
    for (key, value) in map {
        deep_pairs(key, value, &mut pairs);
    }
    let mut url = Url::parse("http://form.invalid/").map_err(|e| Error::InvalidRequest(e.to_string()))?;
    url.query_pairs_mut().extend_pairs(&pairs);
    Ok(url.query().unwrap_or_default().to_owned())
}

/// A header parameter value in `simple` style: arrays `a,b`, objects `k,v,k,v` (exploded `k=v,k=v`).
pub fn simple<T: serde::Serialize + ?Sized>(value: &T, explode: bool) -> String {
    match serde_json::to_value(value).unwrap_or(serde_json::Value::Null) {
        serde_json::Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        serde_json::Value::Object(map) if explode => {
            map.iter().map(|(k, v)| format!("{k}={}", scalar(v))).collect::<Vec<_>>().join(",")
        }
        serde_json::Value::Object(map) => {
            map.iter().flat_map(|(k, v)| [k.clone(), scalar(v)]).collect::<Vec<_>>().join(",")
        }
        other => scalar(&other),
    }
}

/// Formats a path, query or header parameter value the way it appears in a URL: strings as they
/// are, numbers and booleans as written in JSON, other values as compact JSON.
pub fn param<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path parameter value as a single path segment: everything except RFC 3986
/// unreserved characters is encoded, so `a/b c` becomes `a%2Fb%20c`. `""`, `.` and `..` are
/// rejected with [`Error::InvalidRequest`] because URL parsers would collapse them.
pub fn path_segment(value: &str) -> Result<String, Error> {
    if matches!(value, "" | "." | "..") {
        return Err(Error::InvalidRequest(format!("path parameter `{value}` is not allowed")));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

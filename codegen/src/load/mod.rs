//! Stage 1: read a spec file (YAML or JSON) into one JSON document, with the `$ref`s into other
//! files bundled in (see [`bundle`]).
//!
//! A spec is untrusted input. What reading one may do, and the codes for what it may not:
//! - The spec given is read if it is a regular file (symbolic links followed) of at most
//!   [`MAX_FILE_BYTES`]; a FIFO, a device or a folder is refused (E0003) before it is opened.
//! - A `$ref` reads another file only if that is a regular file of at most [`MAX_FILE_BYTES`] inside
//!   the folder of the spec given (or below it; [`load_within`] names a wider folder), after `..`,
//!   percent-decoding and symbolic links are resolved (E0009 outside, E0003 not a regular file or
//!   too large); all files of one spec together at most [`MAX_TOTAL_BYTES`]. Nothing else is read,
//!   and URLs are never fetched (W0001).
//! - Nesting: one file at most 128 levels (the parsers' limit), the bundled document at most
//!   [`MAX_DEPTH`] (E0014); bundling copies at most [`copy_budget`] values (E0015) through chains of
//!   at most [`MAX_INLINE_CHAIN`] inlined references (E0016).
//! - Duplicate keys are a warning (W0005): the last value is used.

mod bundle;
mod limits;
mod pointer;

pub use limits::{check_depth, copy_budget, MAX_DEPTH, MAX_FILE_BYTES, MAX_INLINE_CHAIN, MAX_TOTAL_BYTES};
pub(crate) use pointer::{index, lookup, lookup_mut, percent_decode, tokens_of};

use crate::diagnostics::{child, Diagnostic};
use serde::de::DeserializeSeed;
use serde_json::{Map, Number, Value};
use std::cell::{Cell, RefCell};
use std::path::Path;

/// A spec read from disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The path as given, for diagnostics.
    pub file: String,
    /// The whole document; every `$ref` in it is local (`#/...`), except remote ones (W0001).
    pub document: Value,
    /// Duplicate keys, and what bundling the other files left out.
    pub warnings: Vec<Diagnostic>,
    /// The root file's text, for finding the lines of diagnostics.
    pub text: String,
}

/// Reads and parses `path`, then bundles the files its `$ref`s name into it (only files in the
/// folder of `path` or below it). JSON is tried first when a file looks like JSON; YAML otherwise.
pub fn load(path: &Path) -> Result<Loaded, Diagnostic> {
    load_from(path, None)
}

/// [`load`], with `$ref`s allowed to read files anywhere under `folder` instead of only under the
/// spec's own folder: for a spec split over sibling folders (`spec/swagger.yaml` referring to
/// `../common/Error.yaml`, read with `folder` the one above both).
pub fn load_within(path: &Path, folder: &Path) -> Result<Loaded, Diagnostic> {
    load_from(path, Some(folder))
}

fn load_from(path: &Path, folder: Option<&Path>) -> Result<Loaded, Diagnostic> {
    let file = path.display().to_string();
    let located = |mut d: Diagnostic| {
        d.file.clone_from(&file);
        d
    };
    let text = limits::read_text(path, MAX_FILE_BYTES).map_err(|e| {
        located(match e.code {
            "E0003" => Diagnostic::error("E0003", "#", format!("the spec is not read: {}", e.reason)),
            code => Diagnostic::error(code, "#", format!("cannot read the spec: {}", e.reason)),
        })
    })?;
    let (mut document, warnings) = parse_document(&text).map_err(located)?;
    let mut warnings: Vec<Diagnostic> = warnings.into_iter().map(located).collect();
    warnings.extend(bundle::bundle(path, &file, folder, text.len() as u64, &mut document)?);
    Ok(Loaded { file, document, warnings, text })
}

/// Parses spec text, JSON or YAML, into a JSON value (duplicate keys: the last value is used; see
/// [`parse_document`] for the warnings).
pub fn parse_text(text: &str) -> Result<Value, Diagnostic> {
    parse_document(text).map(|(value, _)| value)
}

/// Parses spec text, JSON or YAML, into a JSON value, with a warning (W0005) for each duplicate
/// key. A leading byte order mark is skipped. Text that starts with `{` or `[` is JSON; it is read
/// as YAML (flow style, a superset) only when the JSON error is one YAML could explain, and the
/// JSON error is reported if that fails too. Nesting deeper than 128 levels is an error (E0014),
/// found before the YAML parser (whose flow scanner is quadratic in nesting) runs.
pub fn parse_document(text: &str) -> Result<(Value, Vec<Diagnostic>), Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let context =
        Context { duplicates: RefCell::new(Vec::new()), values: Cell::new(0), budget: copy_budget(text.len()) };
    let value = if text.trim_start().starts_with(['{', '[']) {
        parse_json(text, &context)?
    } else {
        parse_yaml(text, &context)?
    };
    let warnings = context
        .duplicates
        .into_inner()
        .into_iter()
        .map(|(pointer, key)| {
            let key = crate::sanitise::comment_text(&key);
            Diagnostic::warning("W0005", pointer, format!("duplicate key `{key}`: the last value is used"))
        })
        .collect();
    Ok((value, warnings))
}

/// What reading one text collects and counts.
struct Context {
    /// (pointer of the duplicate, key).
    duplicates: RefCell<Vec<(String, String)>>,
    /// Values read so far.
    values: Cell<usize>,
    /// At most this many values: YAML aliases (`*a`) repeat what they name, so 30 KB of them make
    /// 36 million values.
    budget: usize,
}

/// The start of the error for a text whose aliases expand past [`Context::budget`].
const TOO_MANY_VALUES: &str = "too many values";

fn parse_json(text: &str, context: &Context) -> Result<Value, Diagnostic> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Seed { place: None, context }.deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    let e = match parsed {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let mut json = if e.to_string().starts_with("recursion limit exceeded") {
        Diagnostic::error("E0014", "#", format!("nested deeper than 128 levels: {e}"))
    } else {
        Diagnostic::error("E0002", "#", format!("not valid JSON: {e}"))
    };
    json.line = Some(e.line());
    // Flow-style YAML (`{openapi: 3.0.0, ...}`: unquoted strings, comments) is not JSON; an
    // unterminated document or one nested too deep is not YAML either.
    if json.code == "E0014" || e.is_eof() {
        return Err(json);
    }
    context.duplicates.borrow_mut().clear();
    context.values.set(0);
    parse_yaml(text, context).map_err(|yaml| if yaml.code == "E0002" { json } else { yaml })
}

fn parse_yaml(text: &str, context: &Context) -> Result<Value, Diagnostic> {
    if let Some(line) = limits::yaml_flow_too_deep(text, 128) {
        let mut d = Diagnostic::error("E0014", "#", "nested deeper than 128 levels (flow collections `[`, `{`)");
        d.line = Some(line);
        return Err(d);
    }
    let deserializer = serde_yaml::Deserializer::from_str(text);
    Seed { place: None, context }.deserialize(deserializer).map_err(|e| {
        let message = e.to_string();
        let (code, what) = if message.starts_with("recursion limit exceeded") {
            ("E0014", "nested deeper than 128 levels")
        } else if message.starts_with("repetition limit exceeded") || message.contains(TOO_MANY_VALUES) {
            ("E0015", "YAML aliases (`*a`) expand to too many values")
        } else {
            ("E0002", "not valid YAML or JSON")
        };
        let mut d = Diagnostic::error(code, "#", format!("{what}: {e}"));
        d.line = e.location().map(|l| l.line());
        d
    })
}

/// Where a value is: a chain of tokens up to the root, on the stack, to name duplicate keys.
struct Place<'a> {
    up: Option<&'a Place<'a>>,
    token: Token<'a>,
}

enum Token<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer_of(place: Option<&Place<'_>>) -> String {
    let mut tokens = Vec::new();
    let mut at = place;
    while let Some(p) = at {
        tokens.push(match p.token {
            Token::Key(key) => key.to_owned(),
            Token::Index(i) => i.to_string(),
        });
        at = p.up;
    }
    tokens.iter().rev().fold("#".to_owned(), |pointer, token| child(&pointer, token))
}

/// Reads any JSON or YAML value into a JSON value, noting duplicate keys. YAML scalar keys
/// (`200:`) become strings, integers beyond 64 bits become floats (vendor specs write
/// `minimum: -9223372036854776000`), tags are dropped.
#[derive(Clone, Copy)]
struct Seed<'a> {
    place: Option<&'a Place<'a>>,
    context: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        let values = self.context.values.get() + 1;
        if values > self.context.budget {
            let message = format!(
                "{TOO_MANY_VALUES}: more than {} (four times the bytes of the text, and 250,000); YAML aliases repeat what they name",
                self.context.budget
            );
            return Err(serde::de::Error::custom(message));
        }
        self.context.values.set(values);
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), |i| Value::Number(i.into())))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), |u| Value::Number(u.into())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let place = Place { up: self.place, token: Token::Index(items.len()) };
            let Some(item) = seq.next_element_seed(Seed { place: Some(&place), context: self.context })? else {
                break;
            };
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key_seed(Seed { place: self.place, context: self.context })? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                Value::Bool(_) | Value::Number(_) => key.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(serde::de::Error::custom("a mapping key must be a scalar"));
                }
            };
            let value = {
                let place = Place { up: self.place, token: Token::Key(&key) };
                map.next_value_seed(Seed { place: Some(&place), context: self.context })?
            };
            match out.entry(key) {
                serde_json::map::Entry::Vacant(entry) => {
                    entry.insert(value);
                }
                serde_json::map::Entry::Occupied(mut entry) => {
                    let place = Place { up: self.place, token: Token::Key(entry.key()) };
                    self.context.duplicates.borrow_mut().push((pointer_of(Some(&place)), entry.key().clone()));
                    entry.insert(value);
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML `!tag value`: keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let value = parse_text("responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(value, json!({"responses": {"200": {"description": "ok"}}}));
    }

    #[test]
    fn json_is_read_as_json() {
        assert_eq!(parse_text(r#"{"a": [1, 2.5]}"#).unwrap(), json!({"a": [1, 2.5]}));
    }

    #[test]
    fn integers_beyond_64_bits_become_floats() {
        let value = parse_text("minimum: -9223372036854776000\nmaximum: 3\n").unwrap();
        assert_eq!(value["minimum"].as_f64(), Some(-9223372036854776000.0));
        assert_eq!(value["maximum"], json!(3));
    }

    #[test]
    fn bad_yaml_reports_a_line() {
        let err = parse_text("a: [1,\nb: }").unwrap_err();
        assert_eq!(err.code, "E0002");
        assert!(err.line.is_some());
    }
}

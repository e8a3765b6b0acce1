//! Stage 1: read a spec file (YAML or JSON) into one JSON document, with the `$ref`s into other
//! files bundled in (see [`bundle`]).

mod bundle;

pub(crate) use bundle::{index, percent_decode};

use crate::diagnostics::Diagnostic;
use serde_json::{Map, Number, Value};
use std::path::Path;

/// A spec read from disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The path as given, for diagnostics.
    pub file: String,
    /// The whole document; every `$ref` in it is local (`#/...`), except remote ones (W0001).
    pub document: Value,
    /// What bundling the other files left out.
    pub warnings: Vec<Diagnostic>,
    /// The root file's text, for finding the lines of diagnostics.
    pub text: String,
}

/// Reads and parses `path`, then bundles the files its `$ref`s name into it. JSON is tried first
/// when a file looks like JSON; YAML otherwise.
pub fn load(path: &Path) -> Result<Loaded, Diagnostic> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let mut d = Diagnostic::error("E0001", "#", format!("cannot read the spec: {e}"));
        d.file.clone_from(&file);
        d
    })?;
    let mut document = parse_text(&text).map_err(|mut d| {
        d.file.clone_from(&file);
        d
    })?;
    let warnings = bundle::bundle(path, &file, &mut document)?;
    Ok(Loaded { file, document, warnings, text })
}

/// Parses spec text, JSON or YAML, into a JSON value.
pub fn parse_text(text: &str) -> Result<Value, Diagnostic> {
    if text.trim_start().starts_with('{') {
        if let Ok(value) = serde_json::from_str(text) {
            return Ok(value);
        }
    }
    serde_yaml::from_str::<YamlAsJson>(text).map(|v| v.0).map_err(|e| {
        let mut d = Diagnostic::error("E0002", "#", format!("not valid YAML or JSON: {e}"));
        d.line = e.location().map(|l| l.line());
        d
    })
}

/// YAML read straight into a JSON value: scalar keys (`200:`) become strings, integers beyond
/// 64 bits become floats (vendor specs write `minimum: -9223372036854776000`), tags are dropped.
struct YamlAsJson(Value);

impl<'de> serde::Deserialize<'de> for YamlAsJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(YamlAsJson)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
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
        d.deserialize_any(JsonVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(YamlAsJson(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(YamlAsJson(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                Value::Bool(_) | Value::Number(_) => key.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(serde::de::Error::custom("a mapping key must be a scalar"));
                }
            };
            let YamlAsJson(value) = map.next_value()?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A YAML `!tag value`: keep the value, drop the tag.
        use serde::de::VariantAccess;
        let (_tag, variant): (String, _) = data.variant()?;
        variant.newtype_variant::<YamlAsJson>().map(|v| v.0)
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

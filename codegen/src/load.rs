//! Stage 1: read a spec file (YAML or JSON) into one JSON document.

use crate::diagnostics::Diagnostic;
use serde_json::{Map, Number, Value};
use std::path::Path;

/// A spec read from disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The path as given, for diagnostics.
    pub file: String,
    /// The whole document.
    pub document: Value,
}

/// Reads and parses `path`. JSON is tried first when the file looks like JSON; YAML otherwise.
pub fn load(path: &Path) -> Result<Loaded, Diagnostic> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let mut d = Diagnostic::error("E0001", "#", format!("cannot read the spec: {e}"));
        d.file.clone_from(&file);
        d
    })?;
    let document = parse_text(&text).map_err(|mut d| {
        d.file.clone_from(&file);
        d
    })?;
    Ok(Loaded { file, document })
}

/// Parses spec text, JSON or YAML, into a JSON value.
pub fn parse_text(text: &str) -> Result<Value, Diagnostic> {
    if text.trim_start().starts_with('{') {
        if let Ok(value) = serde_json::from_str(text) {
            return Ok(value);
        }
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error("E0002", "#", format!("not valid YAML or JSON: {e}"));
        d.line = e.location().map(|l| l.line());
        d
    })?;
    yaml_to_json(yaml, "#")
}

/// Converts YAML to JSON: non-string keys (`200:`) become strings, tags are dropped.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                n.as_f64().and_then(Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut map = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        return Err(Diagnostic::error(
                            "E0003",
                            pointer,
                            format!("a mapping key must be a scalar, found {other:?}"),
                        ))
                    }
                };
                let child = crate::diagnostics::child(pointer, &key);
                map.insert(key, yaml_to_json(value, &child)?);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
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
    fn bad_yaml_reports_a_line() {
        let err = parse_text("a: [1,\nb: }").unwrap_err();
        assert_eq!(err.code, "E0002");
        assert!(err.line.is_some());
    }
}

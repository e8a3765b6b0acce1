//! Property `default`s that do not fit their schema's type are dropped, with a warning.

use super::Lowerer;
use crate::diagnostics::child;
use openapiv3::{IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};
use serde_json::Value;

impl Lowerer<'_> {
    /// The property's `default`, unless its value does not fit the schema's `type` (warning W0034).
    pub(super) fn checked_default(&mut self, schema: &Schema, pointer: &str) -> Option<Value> {
        let value = schema.schema_data.default.as_ref()?;
        match misfit(schema, value) {
            None => Some(value.clone()),
            Some(expected) => {
                let mut shown = value.to_string();
                if shown.chars().count() > 60 {
                    shown = format!("{}...", shown.chars().take(60).collect::<String>());
                }
                self.warn(
                    "W0034",
                    child(pointer, "default"),
                    format!("`default: {shown}` is not {expected}: the default is dropped"),
                );
                None
            }
        }
    }
}

/// What `value` should have been (`an integer`), when it does not fit `schema`. `null` always
/// fits: it is never applied.
fn misfit(schema: &Schema, value: &Value) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let fits = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => value.is_string(),
        SchemaKind::Type(Type::Boolean(_)) => value.is_boolean(),
        SchemaKind::Type(Type::Object(_)) => value.is_object(),
        SchemaKind::Type(Type::Integer(i)) => match (integral(value), &i.format) {
            (Some(n), VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)) => {
                (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&n)
            }
            (n, _) => n.is_some(),
        },
        SchemaKind::Type(Type::Number(n)) => match (value.as_f64(), &n.format) {
            (Some(v), VariantOrUnknownOrEmpty::Item(NumberFormat::Float)) => v.abs() <= f64::from(f32::MAX),
            (v, _) => v.is_some(),
        },
        SchemaKind::Type(Type::Array(a)) => {
            let Some(items) = value.as_array() else { return Some(expected(schema)) };
            return match &a.items {
                Some(ReferenceOr::Item(item)) => {
                    items.iter().find_map(|v| misfit(item, v)).map(|e| format!("a list whose every item is {e}"))
                }
                _ => None,
            };
        }
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("string") => value.is_string(),
            Some("boolean") => value.is_boolean(),
            Some("object") => value.is_object(),
            Some("integer") => integral(value).is_some(),
            Some("number") => value.is_number(),
            Some("array") => value.is_array(),
            _ => true,
        },
        _ => true,
    };
    (!fits).then(|| expected(schema))
}

/// A number with no fractional part (JSON Schema's integer: `1.0` is one, and so is a value past
/// `i64`, which is then documented but not applied).
fn integral(value: &Value) -> Option<f64> {
    value.as_f64().filter(|n| n.fract() == 0.0)
}

fn expected(schema: &Schema) -> String {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "a string".to_owned(),
        SchemaKind::Type(Type::Boolean(_)) => "a boolean".to_owned(),
        SchemaKind::Type(Type::Object(_)) => "an object".to_owned(),
        SchemaKind::Type(Type::Integer(i)) if i.format == VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => {
            "a 32-bit integer (`format: int32`)".to_owned()
        }
        SchemaKind::Type(Type::Integer(_)) => "an integer".to_owned(),
        SchemaKind::Type(Type::Number(n)) if n.format == VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => {
            "a 32-bit float (`format: float`)".to_owned()
        }
        SchemaKind::Type(Type::Number(_)) => "a number".to_owned(),
        SchemaKind::Type(Type::Array(_)) => "a list".to_owned(),
        SchemaKind::Any(any) => format!("of `type: {}`", any.typ.as_deref().unwrap_or_default()),
        _ => "of the schema's type".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::misfit;
    use openapiv3::Schema;
    use serde_json::json;

    fn check(schema: serde_json::Value, value: serde_json::Value) -> Option<String> {
        let schema: Schema = serde_json::from_value(schema).expect("schema");
        misfit(&schema, &value)
    }

    #[test]
    fn defaults_of_the_wrong_type_are_named() {
        assert_eq!(check(json!({"type": "integer"}), json!("x")).as_deref(), Some("an integer"));
        assert_eq!(check(json!({"type": "integer"}), json!(1.5)).as_deref(), Some("an integer"));
        assert!(check(json!({"type": "integer", "format": "int32"}), json!(3_000_000_000u64)).is_some());
        assert!(check(json!({"type": "number", "format": "float"}), json!(1e300)).is_some());
        assert!(check(json!({"type": "boolean"}), json!("true")).is_some());
        assert!(check(json!({"type": "string", "enum": ["a"]}), json!(5)).is_some());
        assert_eq!(
            check(json!({"type": "array", "items": {"type": "integer"}}), json!([1, "a"])).as_deref(),
            Some("a list whose every item is an integer")
        );
    }

    #[test]
    fn defaults_that_fit_are_kept() {
        assert_eq!(check(json!({"type": "integer"}), json!(5)), None);
        assert_eq!(check(json!({"type": "integer"}), json!(9.223372036854776e18)), None, "DigitalOcean's i64::MAX");
        assert_eq!(check(json!({"type": "number", "format": "float"}), json!(1.5)), None);
        assert_eq!(check(json!({"type": "string", "enum": ["a"]}), json!("b")), None, "unlisted: kept as Unknown");
        assert_eq!(check(json!({"type": "array", "items": {"type": "integer"}}), json!([1, 2])), None);
        assert_eq!(check(json!({"type": "integer"}), json!(null)), None);
        assert_eq!(check(json!({"oneOf": [{"type": "integer"}]}), json!("x")), None);
    }
}

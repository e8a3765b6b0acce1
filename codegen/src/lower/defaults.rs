//! Property `default`s that do not fit their schema's type are dropped, with a warning.

use super::{formats, Lowerer};
use crate::diagnostics::child;
use crate::ir::Primitive;
use crate::options::ApiOptions;
use openapiv3::{NumberFormat, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};
use serde_json::Value;

impl Lowerer<'_> {
    /// The property's `default`, unless its value does not fit the schema's `type` (warning W0034).
    pub(super) fn checked_default(&mut self, schema: &Schema, pointer: &str) -> Option<Value> {
        let value = schema.schema_data.default.as_ref()?;
        match misfit(schema, value, self.options) {
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

/// What `value` should have been (`an integer`), when it does not fit `schema` (as `options` type
/// it). `null` always fits: it is never applied.
fn misfit(schema: &Schema, value: &Value, options: &ApiOptions) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let fits = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => value.is_string(),
        SchemaKind::Type(Type::Boolean(_)) => value.is_boolean(),
        SchemaKind::Type(Type::Object(_)) => value.is_object(),
        SchemaKind::Type(Type::Integer(i)) => match (integral(value), sized(&i.format, options)) {
            (Some(n), Some((primitive, _))) => fits(n, primitive),
            (n, _) => n.is_some(),
        },
        SchemaKind::Type(Type::Number(n)) => match (value.as_f64(), &n.format) {
            (Some(v), VariantOrUnknownOrEmpty::Item(NumberFormat::Float)) => v.abs() <= f64::from(f32::MAX),
            (v, _) => v.is_some(),
        },
        SchemaKind::Type(Type::Array(a)) => {
            let Some(items) = value.as_array() else { return Some(expected(schema, options)) };
            return match &a.items {
                Some(ReferenceOr::Item(item)) => items
                    .iter()
                    .find_map(|v| misfit(item, v, options))
                    .map(|e| format!("a list whose every item is {e}")),
                _ => None,
            };
        }
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("string") => value.is_string(),
            Some("boolean") => value.is_boolean(),
            Some("object") => value.is_object(),
            Some("integer") => {
                integral(value).is_some_and(|n| fits(n, formats::integer(any.format.as_deref(), options)))
            }
            Some("number") => value.is_number(),
            Some("array") => value.is_array(),
            _ => true,
        },
        _ => true,
    };
    (!fits).then(|| expected(schema, options))
}

/// For an integer format other than `int64`: its type and the format as written.
fn sized<'s>(
    format: &'s VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>,
    options: &ApiOptions,
) -> Option<(Primitive, &'s str)> {
    let written = formats::integer_format(format)?;
    let primitive = formats::integer(Some(written), options);
    (primitive != Primitive::I64).then_some((primitive, written))
}

/// Whether the integral `n` is in the range of the integer type `primitive`. `n` is an `f64`,
/// exact for the bounds of every type but the 64-bit ones, where rounding can only let through a
/// value within 1,024 of the bound: the emitter checks that exactly and only documents it.
fn fits(n: f64, primitive: Primitive) -> bool {
    primitive.integer_range().is_none_or(|(min, max)| (min as f64..=max as f64).contains(&n))
}

/// A number with no fractional part (JSON Schema's integer: `1.0` is one, and so is a value past
/// `i64`, which is then documented but not applied).
fn integral(value: &Value) -> Option<f64> {
    value.as_f64().filter(|n| n.fract() == 0.0)
}

fn expected(schema: &Schema, options: &ApiOptions) -> String {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "a string".to_owned(),
        SchemaKind::Type(Type::Boolean(_)) => "a boolean".to_owned(),
        SchemaKind::Type(Type::Object(_)) => "an object".to_owned(),
        SchemaKind::Type(Type::Integer(i)) => match sized(&i.format, options) {
            Some((primitive, written)) => {
                let (min, max) = primitive.integer_range().unwrap_or_default();
                format!("an integer from {min} to {max} (`format: {written}`)")
            }
            None => "an integer".to_owned(),
        },
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
        misfit(&schema, &value, &Default::default())
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
    fn defaults_outside_a_sized_integer_format_are_named_with_its_range() {
        let uint32 = json!({"type": "integer", "format": "uint32"});
        assert_eq!(
            check(uint32.clone(), json!(-1)).as_deref(),
            Some("an integer from 0 to 4294967295 (`format: uint32`)")
        );
        assert_eq!(check(uint32, json!(4_294_967_295u64)), None);
        assert!(check(json!({"type": "integer", "format": "uint8"}), json!(256)).is_some());
        assert!(check(json!({"type": "integer", "format": "int8"}), json!(-129)).is_some());
        assert_eq!(check(json!({"type": "integer", "format": "int8"}), json!(-128)), None);
        assert_eq!(check(json!({"type": "integer", "format": "uint64"}), json!(u64::MAX)), None);
        assert!(check(json!({"type": "integer", "format": "uint"}), json!(-5)).is_some());
        let plain = crate::options::ApiOptions { plain_integers: true, ..Default::default() };
        let schema: Schema = serde_json::from_value(json!({"type": "integer", "format": "uint32"})).expect("schema");
        assert_eq!(misfit(&schema, &json!(-1), &plain), None, "plain_integers: an i64");
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

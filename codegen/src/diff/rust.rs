//! The Rust types the emitter gives fields, parameters, bodies and return values, as text, so
//! changes are compared (and explained) in the terms users of the crate see.

use crate::ir::{BodyKind, Field, Param, ParamLocation, Primitive, Success, TypeRef};

/// The Rust type of a type reference, as written inside the `types` module.
pub(super) fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Primitive(primitive) => primitive_text(*primitive).to_owned(),
        TypeRef::Array(item) => format!("Vec<{}>", type_text(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_text(value)),
        TypeRef::Any => "serde_json::Value".to_owned(),
        TypeRef::Object => "serde_json::Map<String, serde_json::Value>".to_owned(),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_text(inner)),
    }
}

fn primitive_text(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::String => "String",
        Primitive::Bool => "bool",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        Primitive::DateTime => "chrono::DateTime<chrono::Utc>",
        Primitive::Date => "chrono::NaiveDate",
    }
}

/// A struct field's type: `Option` when not required or nullable, `Box` where a cycle needs it.
pub(super) fn field_text(field: &Field) -> String {
    wrapped(&field.ty, field.required, field.boxed)
}

/// A parameter's type: the argument type for path parameters, the params struct field otherwise.
pub(super) fn param_text(param: &Param) -> String {
    if param.location != ParamLocation::Path {
        return wrapped(&param.ty, param.required, false);
    }
    match &param.ty {
        TypeRef::Primitive(Primitive::String) => "&str".to_owned(),
        TypeRef::Primitive(p) if !matches!(p, Primitive::DateTime | Primitive::Date) => primitive_text(*p).to_owned(),
        other => format!("&{}", type_text(other)),
    }
}

fn wrapped(ty: &TypeRef, required: bool, boxed: bool) -> String {
    let (inner, nullable) = match ty {
        TypeRef::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let mut text = type_text(inner);
    if boxed {
        text = format!("Box<{text}>");
    }
    if nullable || !required {
        text = format!("Option<{text}>");
    }
    text
}

/// The `body` argument's type.
pub(super) fn body_text(kind: &BodyKind, required: bool) -> String {
    let arg = match kind {
        BodyKind::Json(TypeRef::Primitive(Primitive::String)) => "&str".to_owned(),
        BodyKind::Json(TypeRef::Array(item)) => format!("&[{}]", type_text(item)),
        BodyKind::Json(other) => format!("&{}", type_text(other)),
        BodyKind::Text => "impl Into<String>".to_owned(),
        BodyKind::Binary => "impl Into<Bytes>".to_owned(),
    };
    if required {
        arg
    } else {
        format!("Option<{arg}>")
    }
}

/// What a successful call returns.
pub(super) fn return_text(success: &Success) -> String {
    let Success::Body { kind, empty_statuses, .. } = success else { return "()".to_owned() };
    let body = match kind {
        BodyKind::Json(ty) => type_text(ty),
        BodyKind::Text => "String".to_owned(),
        BodyKind::Binary => "Bytes".to_owned(),
    };
    if empty_statuses.is_empty() {
        body
    } else {
        format!("Option<{body}>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, StatusMatch};

    fn field(ty: TypeRef, required: bool, boxed: bool) -> Field {
        Field {
            name: "f".into(),
            wire_name: "f".into(),
            ty,
            required,
            boxed,
            docs: Docs::default(),
            constraints: Default::default(),
        }
    }

    #[test]
    fn field_types_follow_the_emitter() {
        let string = TypeRef::Primitive(Primitive::String);
        assert_eq!(field_text(&field(string.clone(), true, false)), "String");
        assert_eq!(field_text(&field(string.clone(), false, false)), "Option<String>");
        assert_eq!(field_text(&field(TypeRef::Nullable(Box::new(string.clone())), true, false)), "Option<String>");
        assert_eq!(field_text(&field(TypeRef::Named("Node".into()), false, true)), "Option<Box<Node>>");
        let map = TypeRef::Map(Box::new(TypeRef::Array(Box::new(string))));
        assert_eq!(field_text(&field(map, true, false)), "BTreeMap<String, Vec<String>>");
    }

    #[test]
    fn return_types_follow_the_emitter() {
        assert_eq!(return_text(&Success::Empty), "()");
        let body = Success::Body {
            statuses: vec![StatusMatch::Code(200)],
            empty_statuses: vec![StatusMatch::Code(204)],
            kind: BodyKind::Json(TypeRef::Named("Pet".into())),
        };
        assert_eq!(return_text(&body), "Option<Pet>");
        assert_eq!(body_text(&BodyKind::Json(TypeRef::Named("Pet".into())), false), "Option<&Pet>");
    }
}

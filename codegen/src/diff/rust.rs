//! The Rust types the emitter gives fields and parameters, as text, so
//! changes are compared (and explained) in the terms users of the crate see.

use crate::ir::{Field, Param, ParamLocation, Primitive, TypeRef};

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
        Primitive::I8 => "i8",
        Primitive::I16 => "i16",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::U8 => "u8",
        Primitive::U16 => "u16",
        Primitive::U32 => "u32",
        Primitive::U64 => "u64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        Primitive::DateTime => "chrono::DateTime<chrono::Utc>",
        Primitive::Date => "chrono::NaiveDate",
        Primitive::Uuid => "uuid::Uuid",
        Primitive::Ipv4 => "std::net::Ipv4Addr",
        Primitive::Ipv6 => "std::net::Ipv6Addr",
        Primitive::Ip => "std::net::IpAddr",
    }
}

/// A struct field's type: `Option` when not required or nullable, `Nullable` when both (absent
/// and `null` differ), `Box` where a cycle needs it.
pub(super) fn field_text(field: &Field) -> String {
    wrapped(&field.ty, field.required, field.boxed, true)
}

/// A parameter's type: the argument type for path parameters, the params struct field otherwise.
pub(super) fn param_text(param: &Param) -> String {
    if param.location != ParamLocation::Path {
        return wrapped(&param.ty, param.required, false, false);
    }
    match &param.ty {
        TypeRef::Primitive(Primitive::String) => "&str".to_owned(),
        TypeRef::Primitive(p) if !matches!(p, Primitive::DateTime | Primitive::Date) => primitive_text(*p).to_owned(),
        other => format!("&{}", type_text(other)),
    }
}

fn wrapped(ty: &TypeRef, required: bool, boxed: bool, absent_vs_null: bool) -> String {
    let (inner, nullable) = match ty {
        TypeRef::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let mut text = type_text(inner);
    if boxed {
        text = format!("Box<{text}>");
    }
    if nullable && !required && absent_vs_null {
        text = format!("Nullable<{text}>");
    } else if nullable || !required {
        text = format!("Option<{text}>");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Docs;

    fn field(ty: TypeRef, required: bool, boxed: bool) -> Field {
        Field {
            name: "f".into(),
            wire_name: "f".into(),
            ty,
            required,
            boxed,
            docs: Docs::default(),
            constraints: Default::default(),
            default: None,
        }
    }

    #[test]
    fn field_types_follow_the_emitter() {
        let string = TypeRef::Primitive(Primitive::String);
        assert_eq!(field_text(&field(string.clone(), true, false)), "String");
        assert_eq!(field_text(&field(string.clone(), false, false)), "Option<String>");
        let nullable = TypeRef::Nullable(Box::new(string.clone()));
        assert_eq!(field_text(&field(nullable.clone(), true, false)), "Option<String>");
        assert_eq!(field_text(&field(nullable, false, false)), "Nullable<String>");
        assert_eq!(field_text(&field(TypeRef::Named("Node".into()), false, true)), "Option<Box<Node>>");
        let map = TypeRef::Map(Box::new(TypeRef::Array(Box::new(string))));
        assert_eq!(field_text(&field(map, true, false)), "BTreeMap<String, Vec<String>>");
    }
}

//! Type references into Rust types.

use crate::ir::{Primitive, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// Where a type is named from: the `types` module itself, or a sibling module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Inside `types`: generated types by bare name.
    Types,
    /// Outside: generated types as `types::Name`.
    Client,
}

/// An identifier, raw (`r#type`) where the name needs it.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of `ty`.
pub fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Client => quote!(types::#name),
            }
        }
        TypeRef::Primitive(p) => primitive(*p),
        TypeRef::Array(item) => {
            let item = rust_type(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Object => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, scope);
            quote!(Option<#inner>)
        }
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(String),
        Primitive::Bool => quote!(bool),
        Primitive::I8 => quote!(i8),
        Primitive::I16 => quote!(i16),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::U8 => quote!(u8),
        Primitive::U16 => quote!(u16),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Primitive::Date => quote!(chrono::NaiveDate),
        Primitive::Uuid => quote!(uuid::Uuid),
        Primitive::Ipv4 => quote!(std::net::Ipv4Addr),
        Primitive::Ipv6 => quote!(std::net::Ipv6Addr),
        Primitive::Ip => quote!(std::net::IpAddr),
    }
}

/// Whether `ty` needs the chrono crate.
pub fn uses_chrono(ty: &TypeRef) -> bool {
    uses_primitive(ty, &|p| matches!(p, Primitive::DateTime | Primitive::Date))
}

/// Whether `ty` needs the uuid crate.
pub fn uses_uuid(ty: &TypeRef) -> bool {
    uses_primitive(ty, &|p| p == Primitive::Uuid)
}

fn uses_primitive(ty: &TypeRef, wanted: &dyn Fn(Primitive) -> bool) -> bool {
    match ty {
        TypeRef::Primitive(p) => wanted(*p),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => uses_primitive(inner, wanted),
        TypeRef::Named(_) | TypeRef::Any | TypeRef::Object => false,
    }
}

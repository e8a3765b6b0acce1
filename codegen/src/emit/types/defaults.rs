//! The spec's `default` values of fields: noted in the field's docs and, when written as Rust,
//! given by a `<field>_or_default()` accessor. Never filled into a decoded value.

use super::{Context, MAX_ALIAS_DEPTH};
use crate::emit::docs;
use crate::emit::rust_type::{ident, rust_type, Scope};
use crate::ir::{Field, Primitive, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

impl Context<'_> {
    /// The Rust expression for `value` as a `ty`, when it is a literal the emitter can write.
    pub(super) fn default_value(&self, ty: &TypeRef, value: &serde_json::Value, depth: usize) -> Option<TokenStream> {
        use serde_json::Value;
        if depth > MAX_ALIAS_DEPTH {
            return None;
        }
        Some(match (ty, value) {
            (TypeRef::Primitive(Primitive::String), Value::String(s)) => quote!(#s.to_owned()),
            (TypeRef::Primitive(Primitive::Bool), Value::Bool(b)) => quote!(#b),
            (TypeRef::Primitive(p), Value::Number(n)) if p.integer_range().is_some() => {
                // Lowering drops (W0034) a default outside the type's range; this is the guard.
                let (min, max) = p.integer_range()?;
                let n = n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))?;
                if !(min..=max).contains(&n) {
                    return None;
                }
                let n = Literal::i128_unsuffixed(n);
                quote!(#n)
            }
            (TypeRef::Primitive(Primitive::F32), Value::Number(n)) => {
                // Past `f32::MAX` the value would be infinite, which no literal can write.
                let n = Literal::f32_unsuffixed(Some(n.as_f64()? as f32).filter(|n| n.is_finite())?);
                quote!(#n)
            }
            (TypeRef::Primitive(Primitive::F64), Value::Number(n)) => {
                let n = Literal::f64_unsuffixed(n.as_f64()?);
                quote!(#n)
            }
            (TypeRef::Array(_), Value::Array(items)) if items.is_empty() => quote!(Vec::new()),
            (TypeRef::Array(item), Value::Array(items)) => {
                let items: Option<Vec<TokenStream>> =
                    items.iter().map(|v| self.default_value(item, v, depth + 1)).collect();
                let items = items?;
                quote!(vec![#(#items),*])
            }
            (TypeRef::Map(_), Value::Object(map)) if map.is_empty() => quote!(std::collections::BTreeMap::new()),
            (TypeRef::Object, Value::Object(map)) if map.is_empty() => quote!(serde_json::Map::new()),
            (TypeRef::Named(name), _) => {
                let def = self.by_name.get(name.as_str())?;
                let type_ident = ident(name);
                match (&def.kind, value) {
                    (TypeKind::Alias { target }, _) => self.default_value(target, value, depth + 1)?,
                    (TypeKind::StringEnum { variants }, Value::String(s)) => {
                        match variants.iter().find(|v| v.wire_value == *s) {
                            Some(v) => {
                                let variant = ident(&v.name);
                                quote!(#type_ident::#variant)
                            }
                            None => quote!(#type_ident::Unknown(#s.to_owned())),
                        }
                    }
                    (TypeKind::IntegerEnum { variants }, Value::Number(n)) => {
                        let n = n.as_i64()?;
                        match variants.iter().find(|v| v.value == n) {
                            Some(v) => {
                                let variant = ident(&v.name);
                                quote!(#type_ident::#variant)
                            }
                            None => quote!(#type_ident::Unknown(#n)),
                        }
                    }
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}

/// A field's spec `default` as its doc note, naming the accessor that gives it when there is one.
pub(super) fn default_note(field: &Field, ctx: &Context<'_>) -> Option<String> {
    let value = field.default.as_ref()?;
    let accessor = applied_default(field, ctx).map(|_| accessor_name(field));
    Some(docs::default_text(value, accessor.as_deref()))
}

/// The `<field>_or_default()` accessors of a struct's optional fields whose spec `default` is a
/// literal the emitter can write: the field's value, or the default when the property is absent
/// (for a nullable field, `None` when it is `null`). Decoding never fills a default in, and a
/// derived `Default` leaves the field absent, so neither changes what is sent.
pub(super) fn default_accessors(
    name: &proc_macro2::Ident,
    fields: &[Field],
    cfg: &TokenStream,
    ctx: &Context<'_>,
) -> TokenStream {
    let accessors: Vec<TokenStream> = fields
        .iter()
        .filter_map(|field| {
            let mut expr = applied_default(field, ctx)?;
            let (inner, nullable) = match &field.ty {
                TypeRef::Nullable(inner) => (inner.as_ref(), true),
                other => (other, false),
            };
            let mut ty = rust_type(inner, Scope::Types);
            if field.boxed {
                expr = quote!(Box::new(#expr));
                ty = quote!(Box<#ty>);
            }
            let field_name = ident(&field.name);
            let accessor = ident(&accessor_name(field));
            let shown = field.name.trim_start_matches("r#");
            let (doc, ty) = if nullable {
                (format!(" `{shown}`, or the spec's default when absent (`None` when `null`)."), quote!(Option<#ty>))
            } else {
                (format!(" `{shown}`, or the spec's default when absent."), ty)
            };
            Some(quote! {
                #[doc = #doc]
                pub fn #accessor(&self) -> #ty {
                    crate::runtime::default_if_absent(&self.#field_name, #expr)
                }
            })
        })
        .collect();
    if accessors.is_empty() {
        return quote!();
    }
    quote! {
        #cfg
        impl #name {
            #(#accessors)*
        }
    }
}

/// The name of a field's default accessor: `<field>_or_default` (unique: field names are).
fn accessor_name(field: &Field) -> String {
    format!("{}_or_default", field.name.trim_start_matches("r#"))
}

/// The value of a field's spec `default` as Rust, when it gets an accessor: an optional field
/// whose default is a literal the emitter can write.
fn applied_default(field: &Field, ctx: &Context<'_>) -> Option<TokenStream> {
    let value = field.default.as_ref()?;
    let inner = match &field.ty {
        TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    (!field.required && !value.is_null()).then(|| ctx.default_value(inner, value, 0)).flatten()
}

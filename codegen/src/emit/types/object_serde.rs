//! The serde side of object types: the `runtime::object_serde!` listing of a struct with
//! properties, and the `Deserialize` of one with only extra properties.

use super::field_type;
use crate::emit::docs;
use crate::emit::rust_type::ident;
use crate::ir::{Field, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// A struct field with its docs (and default note); its serde impls come from the listing.
pub(super) fn struct_field(field: &Field, default_note: Option<&str>) -> TokenStream {
    let mut docs = field.docs.clone();
    docs.notes.extend(default_note.map(str::to_owned));
    let doc = docs::attrs_with_constraints(&docs, &field.constraints);
    let name = ident(&field.name);
    let ty = field_type(field, true);
    quote! { #doc pub #name: #ty, }
}

/// Whether a struct needs a [`Presence`] field: it has an `Option` whose `None` could be either
/// absent or `null` on the wire (an optional non-nullable field, a required nullable one).
///
/// [`Presence`]: crate::runtime::Presence
pub(super) fn needs_presence(fields: &[Field]) -> bool {
    fields.iter().any(|f| f.required == matches!(f.ty, TypeRef::Nullable(_)))
}

/// The serde impls of an object type with properties: the runtime's `object_serde!` with them
/// grouped by what an absent one is (see the macro), the extras and the presence field.
pub(super) fn object_serde(
    name: &proc_macro2::Ident,
    fields: &[Field],
    extra: Option<&proc_macro2::Ident>,
    presence: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let (mut required, mut nullable, mut optional) = (Vec::new(), Vec::new(), Vec::new());
    for field in fields {
        let (rust, wire) = (ident(&field.name), &field.wire_name);
        let null = matches!(field.ty, TypeRef::Nullable(_));
        match (field.required, null) {
            (true, true) => nullable.push(quote!(#rust: #wire)),
            (true, false) => required.push(quote!(#rust: #wire)),
            (false, _) => optional.push(quote!(#rust: #wire)),
        }
    }
    let group = |label: &str, entries: Vec<TokenStream>| {
        let label = proc_macro2::Ident::new(label, proc_macro2::Span::call_site());
        (!entries.is_empty()).then(|| quote!(#label { #(#entries,)* }))
    };
    let groups = [group("required", required), group("nullable", nullable), group("optional", optional)];
    let extra = extra.map(|extra| quote!(extra { #extra }));
    let presence = presence.map(|presence| quote!(presence { #presence }));
    quote! {
        crate::runtime::object_serde! {
            #name { #(#groups)* #extra #presence }
            serialize;
            deserialize;
        }
    }
}

/// `Deserialize` for an object type that declares no properties: an empty struct, or only its
/// map of extras.
pub(super) fn extras_only_deserialize(name: &proc_macro2::Ident, extra: Option<&proc_macro2::Ident>) -> TokenStream {
    let (local, read, field) = match extra {
        Some(extra) => (
            quote!(let mut extra = std::collections::BTreeMap::new();),
            quote! {
                while let Some(key) = map.next_key::<crate::runtime::FieldName<'de>>()? {
                    extra.insert(key.into_string(), map.next_value()?);
                }
            },
            quote!(#extra: extra),
        ),
        None => (
            quote!(),
            quote! {
                while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            },
            quote!(),
        ),
    };
    let expecting = format!("struct {name}");
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<#name, __A::Error> {
                        #local
                        #read
                        Ok(#name { #field })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    }
}

//! Named types into the `types` module.

use super::docs;
use super::features::TagFeatures;
use super::rust_type::{ident, rust_type, Scope};
use crate::ir::{
    reachable_types, Api, BodyKind, EnumVariant, Field, IntegerVariant, Primitive, Success, TaggedVariant, TypeDef,
    TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{HashMap, HashSet};

/// The `types` module of one API.
pub fn module(api: &Api, features: &TagFeatures) -> TokenStream {
    let no_eq = types_without_eq(&api.types);
    let directions = SerdeDirections::of(api);
    let items = api.types.iter().map(|def| {
        let serde = directions.of_type(&def.name);
        type_def(def, &no_eq, &features.type_cfg(&def.name), serde)
    });
    quote! {
        //! Request, response and parameter types.

        #(#items)*
    }
}

fn type_def(def: &TypeDef, no_eq: &HashSet<&str>, cfg: &TokenStream, directions: Serde) -> TokenStream {
    let serde = &directions.derives();
    let mock = directions.mock_serialize();
    let doc = docs::attrs(&def.docs);
    let doc = quote!(#cfg #doc);
    let derived_doc = quote!(#doc #mock);
    let name = ident(&def.name);
    let eq = if no_eq.contains(def.name.as_str()) { quote!() } else { quote!(Eq,) };
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let default = if fields.iter().all(|f| !f.required) { quote!(Default,) } else { quote!() };
            let mut field_tokens: Vec<TokenStream> = fields.iter().map(serde_field).collect();
            if let Some(extra) = additional {
                let value = rust_type(extra, Scope::Types);
                let extra_name = ident(&extra_field_name(fields));
                field_tokens.push(quote! {
                    /// Properties not declared in the spec.
                    #[serde(flatten)]
                    pub #extra_name: std::collections::BTreeMap<String, #value>,
                });
            }
            quote! {
                #derived_doc
                #[derive(Debug, Clone, PartialEq, #eq #default #serde)]
                pub struct #name {
                    #(#field_tokens)*
                }
            }
        }
        TypeKind::Params { fields } => {
            let default = if fields.iter().all(|f| !f.required) { quote!(Default,) } else { quote!() };
            let field_tokens = fields.iter().map(|f| {
                let doc = docs::attrs(&f.docs);
                let name = ident(&f.name);
                let ty = field_type(f, false);
                quote! { #doc pub #name: #ty, }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #eq #default)]
                pub struct #name {
                    #(#field_tokens)*
                }
            }
        }
        TypeKind::StringEnum { variants } => string_enum(&name, &derived_doc, variants, cfg, serde),
        TypeKind::Untagged { variants } => untagged(&def.name, &doc, &eq, variants, cfg, directions),
        TypeKind::IntegerEnum { variants } => integer_enum(&name, &derived_doc, variants, cfg, serde),
        TypeKind::Tagged { property, variants } => tagged(&def.name, &doc, &eq, property, variants, cfg, directions),
        TypeKind::Alias { target } => {
            let target = rust_type(target, Scope::Types);
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn string_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[EnumVariant],
    cfg: &TokenStream,
    serde: &TokenStream,
) -> TokenStream {
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        let rename = if v.name == v.wire_value { quote!() } else { quote!(#[serde(rename = #wire)]) };
        quote! { #rename #variant, }
    });
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote! { Self::#variant => #wire, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #serde)]
        pub enum #name {
            #(#declared)*
            /// A value this version of the spec does not list; kept as sent.
            #[serde(untagged)]
            Unknown(String),
        }

        #cfg
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::Unknown(value) => value,
                }
            }
        }

        #cfg
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// `oneOf`/`anyOf` without a discriminator: serialized untagged; decoded by trying each variant
/// in order, and a value that matches none fails naming every variant and why.
fn untagged(
    type_name: &str,
    doc: &TokenStream,
    eq: &TokenStream,
    variants: &[(String, TypeRef)],
    cfg: &TokenStream,
    directions: Serde,
) -> TokenStream {
    let name = ident(type_name);
    let variant_tokens = variants.iter().map(|(variant, ty)| {
        let variant = ident(variant);
        let ty = rust_type(ty, Scope::Types);
        quote! { #variant(#ty), }
    });
    let (derive, untagged) = if directions.ser {
        (quote!(serde::Serialize), quote!(#[serde(untagged)]))
    } else {
        (quote!(), quote!(#[cfg_attr(feature = "mock", derive(serde::Serialize), serde(untagged))]))
    };
    let deserialize = directions.de.then(|| {
        let attempts = variants.iter().map(|(variant, _)| {
            let shown = variant.trim_start_matches("r#");
            let variant = ident(variant);
            quote! {
                if let Some(value) = tried.attempt(#shown) {
                    return Ok(Self::#variant(value));
                }
            }
        });
        quote! {
            #cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = crate::runtime::buffer(deserializer)?;
                    let mut tried = crate::runtime::Variants::new(#type_name, &value);
                    #(#attempts)*
                    Err(tried.no_match())
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq #derive)]
        #untagged
        pub enum #name {
            #(#variant_tokens)*
        }

        #deserialize
    }
}

/// An integer enum: one variant per value (`V1`, `Minus1`) and `Unknown(i64)` for the rest,
/// converted through `i64` so every value round-trips.
fn integer_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[IntegerVariant],
    cfg: &TokenStream,
    serde: &TokenStream,
) -> TokenStream {
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let text = format!(" `{}`", v.value);
        quote! { #[doc = #text] #variant, }
    });
    let to_value = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote! { #name::#variant => #value, }
    });
    let from_value = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote! { #value => Self::#variant, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, #serde)]
        #[serde(from = "i64", into = "i64")]
        pub enum #name {
            #(#declared)*
            /// A value this version of the spec does not list; kept as sent.
            Unknown(i64),
        }

        #cfg
        impl #name {
            /// The value on the wire.
            pub fn value(self) -> i64 {
                self.into()
            }
        }

        #cfg
        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_value)*
                    other => Self::Unknown(other),
                }
            }
        }

        #cfg
        impl From<#name> for i64 {
            fn from(value: #name) -> Self {
                match value {
                    #(#to_value)*
                    #name::Unknown(other) => other,
                }
            }
        }
    }
}

/// `oneOf` with a discriminator: the property's value picks the variant, whose failure to decode
/// is reported as such; unlisted (or missing) discriminator values are kept in `Unknown`.
/// Serialization writes the variant as is, adding the discriminator if its fields lack it.
fn tagged(
    type_name: &str,
    doc: &TokenStream,
    eq: &TokenStream,
    property: &str,
    variants: &[TaggedVariant],
    cfg: &TokenStream,
    directions: Serde,
) -> TokenStream {
    let name = ident(type_name);
    let variant_tokens = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = rust_type(&v.ty, Scope::Types);
        let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
        let text = format!(" `{property}`: {}.", tags.join(", "));
        quote! { #[doc = #text] #variant(#ty), }
    });
    let unknown_doc = format!(" A `{property}` this version of the spec does not list (or none); kept as received.");
    // Response-only: serialized only under `mock`, for fake servers.
    let serialize_cfg = if directions.ser { quote!() } else { quote!(#[cfg(feature = "mock")]) };
    let serialize = {
        let arms = variants.iter().map(|v| {
            let variant = ident(&v.name);
            let tag = v.tags.first().cloned().unwrap_or_default();
            quote! { Self::#variant(value) => crate::runtime::serialize_tagged(serializer, #property, #tag, value), }
        });
        quote! {
            #cfg
            #serialize_cfg
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#arms)*
                        Self::Unknown(value) => serde::Serialize::serialize(value, serializer),
                    }
                }
            }
        }
    };
    let deserialize = directions.de.then(|| {
        let arms = variants.iter().map(|v| {
            let variant = ident(&v.name);
            let shown = v.name.trim_start_matches("r#");
            let tags = &v.tags;
            let pattern = if tags.len() == 1 { quote!(#(#tags)*) } else { quote!((#(#tags)|*)) };
            quote! {
                Some(tag @ #pattern) => Self::#variant(tried.dispatched::<_, D::Error>(#shown, #property, tag)?),
            }
        });
        quote! {
            #cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = crate::runtime::buffer(deserializer)?;
                    let tried = crate::runtime::Variants::new(#type_name, &value);
                    Ok(match crate::runtime::tag_of(&value, #property) {
                        #(#arms)*
                        _ => Self::Unknown(value),
                    })
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq)]
        pub enum #name {
            #(#variant_tokens)*
            #[doc = #unknown_doc]
            Unknown(serde_json::Value),
        }

        #serialize
        #deserialize
    }
}

fn serde_field(field: &Field) -> TokenStream {
    let doc = docs::attrs_with_constraints(&field.docs, &field.constraints);
    let name = ident(&field.name);
    let ty = field_type(field, true);
    let mut serde_args = Vec::new();
    if field.name.trim_start_matches("r#") != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    if !field.required || nullable {
        serde_args.push(quote!(default));
    }
    if !field.required && nullable {
        serde_args.push(quote!(skip_serializing_if = "crate::runtime::Nullable::is_absent"));
    } else if !field.required {
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde = if serde_args.is_empty() { quote!() } else { quote!(#[serde(#(#serde_args),*)]) };
    quote! { #doc #serde pub #name: #ty, }
}

/// A field's Rust type: `Option` when not required or nullable, [`Nullable`] when both (for model
/// fields, `absent_vs_null`), `Box` where a cycle needs it.
///
/// [`Nullable`]: crate::runtime::Nullable
fn field_type(field: &Field, absent_vs_null: bool) -> TokenStream {
    let (inner, nullable) = match &field.ty {
        TypeRef::Nullable(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let mut ty = rust_type(inner, Scope::Types);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if nullable && !field.required && absent_vs_null {
        ty = quote!(crate::runtime::Nullable<#ty>);
    } else if nullable || !field.required {
        ty = quote!(Option<#ty>);
    }
    ty
}

fn extra_field_name(fields: &[Field]) -> String {
    let taken: HashSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    (1..)
        .map(|n| if n == 1 { "additional_properties".to_owned() } else { format!("additional_properties_{n}") })
        .find(|name| !taken.contains(name.as_str()))
        .unwrap_or_default()
}

/// Types that cannot derive `Eq`: those holding a float, directly or through other types.
fn types_without_eq(types: &[TypeDef]) -> HashSet<&str> {
    let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut pending: Vec<&str> = Vec::new();
    for def in types {
        let refs = def.kind.type_refs();
        let mut has_float = false;
        for ty in refs {
            walk(ty, &mut |leaf| match leaf {
                TypeRef::Primitive(Primitive::F32 | Primitive::F64) => has_float = true,
                TypeRef::Named(name) => users.entry(name.as_str()).or_default().push(def.name.as_str()),
                _ => {}
            });
        }
        if has_float {
            pending.push(def.name.as_str());
        }
    }
    let mut no_eq = HashSet::new();
    while let Some(name) = pending.pop() {
        if no_eq.insert(name) {
            pending.extend(users.get(name).into_iter().flatten().copied());
        }
    }
    no_eq
}

fn walk<'t>(ty: &'t TypeRef, visit: &mut impl FnMut(&'t TypeRef)) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => walk(inner, visit),
        leaf => visit(leaf),
    }
}

/// Which serde derives each type needs: `Serialize` for what requests send (bodies and parameter
/// values), `Deserialize` for what responses return. Serde derives dominate the compile time of a
/// generated crate, so a type gets only the ones it uses; types no operation reaches get both.
struct SerdeDirections {
    sent: HashSet<String>,
    received: HashSet<String>,
}

impl SerdeDirections {
    fn of(api: &Api) -> Self {
        let (mut sent, mut received) = (Vec::new(), Vec::new());
        for op in &api.operations {
            for param in &op.params {
                param.ty.collect_named(&mut sent);
            }
            if let Some(crate::ir::RequestBody { kind: BodyKind::Json(ty), .. }) = &op.body {
                ty.collect_named(&mut sent);
            }
            for response in &op.responses {
                if let Some(BodyKind::Json(ty)) = &response.body {
                    ty.collect_named(&mut received);
                }
            }
            if let Success::Body { kind: BodyKind::Json(ty), .. } = &op.success {
                ty.collect_named(&mut received);
            }
        }
        // Types no operation reaches keep both derives, and so must everything they contain.
        let reached = reachable_types(&api.types, sent.iter().chain(&received).cloned().collect());
        let unreached: Vec<String> =
            api.types.iter().filter(|t| !reached.contains(&t.name)).map(|t| t.name.clone()).collect();
        sent.extend(unreached.iter().cloned());
        received.extend(unreached);
        Self { sent: reachable_types(&api.types, sent), received: reachable_types(&api.types, received) }
    }

    fn of_type(&self, name: &str) -> Serde {
        match (self.sent.contains(name), self.received.contains(name)) {
            (true, false) => Serde { ser: true, de: false },
            (false, true) => Serde { ser: false, de: true },
            _ => Serde { ser: true, de: true },
        }
    }
}

/// The serde impls one type gets.
#[derive(Debug, Clone, Copy)]
struct Serde {
    ser: bool,
    de: bool,
}

impl Serde {
    /// Response-only types still serialize under the `mock` feature, so tests can return them
    /// from a fake server.
    fn mock_serialize(self) -> TokenStream {
        if self.ser {
            quote!()
        } else {
            quote!(#[cfg_attr(feature = "mock", derive(serde::Serialize))])
        }
    }

    fn derives(self) -> TokenStream {
        match (self.ser, self.de) {
            (true, false) => quote!(serde::Serialize),
            (false, true) => quote!(serde::Deserialize),
            _ => quote!(serde::Serialize, serde::Deserialize),
        }
    }
}

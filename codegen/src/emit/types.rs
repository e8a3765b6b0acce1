//! Named types into the `types` module.

use super::docs;
use super::features::TagFeatures;
use super::rust_type::{ident, rust_type, Scope};
use super::Part;
use crate::ir::{
    reachable_types, Api, BodyKind, EnumVariant, Field, IntegerVariant, Primitive, Success, TaggedVariant, TypeDef,
    TypeKind, TypeRef,
};
use crate::naming::{value_name, Namespace};
use proc_macro2::Literal;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The `types` module of one API.
pub fn module(api: &Api, features: &TagFeatures) -> TokenStream {
    parts(api, features).iter().map(|part| (part.build)()).collect()
}

/// Types per part: small enough to spread over threads, large enough that a part is not all
/// overhead.
const TYPES_PER_PART: usize = 64;

/// The `types` module in parts that are built and formatted apart (on any thread): the module doc,
/// then the types in order, [`TYPES_PER_PART`] at a time.
pub fn parts<'a>(api: &'a Api, features: &'a TagFeatures) -> Vec<Part<'a>> {
    let plan = Arc::new(Plan::new(api));
    let mut parts: Vec<Part<'a>> = vec![Part::new(1, || {
        quote! {
            //! Request, response and parameter types.
        }
    })];
    for chunk in api.types.chunks(TYPES_PER_PART) {
        let plan = Arc::clone(&plan);
        parts.push(Part::new(chunk.len(), move || chunk.iter().map(|def| type_items(def, features, &plan)).collect()));
    }
    parts
}

/// What every type's emission reads: computed once per module, shared by the parts.
struct Plan<'a> {
    no_eq: HashSet<&'a str>,
    directions: SerdeDirections,
    ctx: Context<'a>,
}

impl<'a> Plan<'a> {
    fn new(api: &'a Api) -> Self {
        let directions = SerdeDirections::of(api);
        let mut ctx = Context::new(&api.types);
        // Named here, in type order, so that any part can use them.
        let mut names = Namespace::default();
        for def in &api.types {
            let TypeKind::Struct { fields, .. } = &def.kind else { continue };
            let decoded = directions.of_type(&def.name).de;
            let applied: Vec<&Field> = fields.iter().filter(|f| applied_default(f, decoded, &ctx).is_some()).collect();
            for field in applied {
                let raw = format!(
                    "default_{}_{}",
                    value_name(&def.name).trim_start_matches("r#"),
                    field.name.trim_start_matches("r#")
                );
                ctx.default_fns.insert((def.name.as_str(), field.name.as_str()), names.claim(raw, "_"));
            }
        }
        Self { no_eq: types_without_eq(&api.types), directions, ctx }
    }
}

/// A type's definition and, for types that requests send, its `validate()`.
fn type_items(def: &TypeDef, features: &TagFeatures, plan: &Plan<'_>) -> TokenStream {
    let serde = plan.directions.of_type(&def.name);
    let cfg = features.type_cfg(&def.name);
    let item = type_def(def, &plan.no_eq, &cfg, serde, &plan.ctx);
    // Only what requests send: responses are decoded leniently and never checked.
    let validate = if serde.ser { validate_impl(def, &cfg, &plan.ctx) } else { quote!() };
    quote!(#item #validate)
}

fn type_def(
    def: &TypeDef,
    no_eq: &HashSet<&str>,
    cfg: &TokenStream,
    directions: Serde,
    ctx: &Context<'_>,
) -> TokenStream {
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
            // An object with properties gets its serde impls from the runtime's `object_serde!`;
            // one with none, derived `Serialize` (and field attributes for it).
            let listed = !fields.is_empty();
            let ser_attr = |args: TokenStream| {
                if listed {
                    quote!()
                } else if directions.ser {
                    quote!(#[serde(#args)])
                } else {
                    quote!(#[cfg_attr(feature = "mock", serde(#args))])
                }
            };
            let mut default_fns = Vec::new();
            let mut applied_defaults = Vec::new();
            let mut field_tokens: Vec<TokenStream> = fields
                .iter()
                .map(|field| {
                    let default = field_default(&def.name, field, directions.de, ctx);
                    let applied = default.as_ref().map(|(name, _, _)| name.as_str()).filter(|name| !name.is_empty());
                    if let (Some(name), Some((_, _, body))) = (applied, default.as_ref()) {
                        let fn_name = ident(name);
                        let ty = field_type(field, true);
                        default_fns.push(quote! {
                            #cfg
                            fn #fn_name() -> #ty {
                                #body
                            }
                        });
                    }
                    applied_defaults.push(applied.map(ident));
                    serde_field(field, default.as_ref().map(|(_, note, _)| note.as_str()), &ser_attr)
                })
                .collect();
            let extra =
                additional.as_ref().map(|extra| (ident(&extra_field_name(fields)), rust_type(extra, Scope::Types)));
            if let Some((extra_name, value)) = &extra {
                let flatten = ser_attr(quote!(flatten));
                field_tokens.push(quote! {
                    /// Properties not declared in the spec.
                    #flatten
                    pub #extra_name: std::collections::BTreeMap<String, #value>,
                });
            }
            let extra = extra.as_ref().map(|(n, _)| n);
            let (derived_doc, serialize, serde_impls) = if listed {
                (doc, quote!(), object_serde(&name, fields, &applied_defaults, extra, directions))
            } else {
                let serialize = if directions.ser { quote!(serde::Serialize) } else { quote!() };
                let deserialize = directions.de.then(|| extras_only_deserialize(&name, extra));
                (derived_doc, serialize, quote!(#deserialize))
            };
            let serde_impls = (!serde_impls.is_empty()).then(|| quote!(#cfg #serde_impls));
            quote! {
                #derived_doc
                #[derive(Debug, Clone, PartialEq, #eq #default #serialize)]
                pub struct #name {
                    #(#field_tokens)*
                }

                #serde_impls

                #(#default_fns)*
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
        TypeKind::StringEnum { variants } => string_enum(&name, &doc, variants, cfg, directions),
        TypeKind::Untagged { variants, boxed } => untagged(&def.name, &doc, &eq, variants, boxed, cfg, directions),
        TypeKind::IntegerEnum { variants } => integer_enum(&name, &derived_doc, variants, cfg, serde),
        TypeKind::Tagged { property, variants } => tagged(&def.name, &doc, &eq, property, variants, cfg, directions),
        TypeKind::Alias { target } => {
            let target = rust_type(target, Scope::Types);
            quote! { #doc pub type #name = #target; }
        }
        TypeKind::Newtype { target } => {
            let target = rust_type(target, Scope::Types);
            quote! {
                #derived_doc
                #[derive(Debug, Clone, PartialEq, #eq #serde)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
    }
}

/// The Rust type of a union variant, boxed inside any `Option` when it breaks a cycle (as
/// [`field_type`] boxes fields).
fn variant_type(ty: &TypeRef, boxed: bool) -> TokenStream {
    match ty {
        TypeRef::Nullable(inner) if boxed => {
            let inner = rust_type(inner, Scope::Types);
            quote!(Option<Box<#inner>>)
        }
        _ if boxed => {
            let ty = rust_type(ty, Scope::Types);
            quote!(Box<#ty>)
        }
        _ => rust_type(ty, Scope::Types),
    }
}

/// A string enum, with `Unknown` for values the spec does not list. Its serde impls are written
/// out rather than derived: a derive with an untagged fallback variant expands to several times
/// the code (content buffering, a field visitor), and string enums are a fifth of a large spec's
/// types.
fn string_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[EnumVariant],
    cfg: &TokenStream,
    directions: Serde,
) -> TokenStream {
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote! { #variant, }
    });
    let values = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote! { #variant = #wire, }
    });
    let serialize = if directions.ser { quote!(serialize;) } else { quote!(serialize(feature = "mock");) };
    let deserialize = directions.de.then(|| quote!(deserialize;));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#declared)*
            /// A value this version of the spec does not list; kept as sent.
            Unknown(String),
        }

        #cfg
        crate::runtime::string_enum! {
            #name { #(#values)* }
            #serialize
            #deserialize
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
    boxed: &[usize],
    cfg: &TokenStream,
    directions: Serde,
) -> TokenStream {
    let name = ident(type_name);
    let variant_tokens = variants.iter().enumerate().map(|(i, (variant, ty))| {
        let variant = ident(variant);
        let ty = variant_type(ty, boxed.contains(&i));
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
        let ty = variant_type(&v.ty, v.boxed);
        let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
        let text = docs::line(&format!("`{property}`: {}.", tags.join(", ")));
        quote! { #[doc = #text] #variant(#ty), }
    });
    let unknown_doc =
        docs::line(&format!("A `{property}` this version of the spec does not list (or none); kept as received."));
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

/// A struct field; `default` is the name of the function giving its spec default, and the note
/// saying so (or that the default is not applied).
/// A struct field with its docs (and default note) and the attributes its `Serialize` needs.
fn serde_field(
    field: &Field,
    default_note: Option<&str>,
    ser_attr: &dyn Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let mut docs = field.docs.clone();
    docs.notes.extend(default_note.map(str::to_owned));
    let doc = docs::attrs_with_constraints(&docs, &field.constraints);
    let name = ident(&field.name);
    let ty = field_type(field, true);
    let mut serde_args = Vec::new();
    if field.name.trim_start_matches("r#") != field.wire_name {
        let wire = &field.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    if !field.required && nullable {
        serde_args.push(quote!(skip_serializing_if = "crate::runtime::Nullable::is_absent"));
    } else if !field.required {
        serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde = if serde_args.is_empty() { quote!() } else { ser_attr(quote!(#(#serde_args),*)) };
    quote! { #doc #serde pub #name: #ty, }
}

/// The serde impls of an object type with properties: the runtime's `object_serde!` with them
/// grouped by what an absent one is (see the macro), then the impls `directions` needs.
/// `Serialize` is only under the `mock` feature for types no request sends.
fn object_serde(
    name: &proc_macro2::Ident,
    fields: &[Field],
    applied_defaults: &[Option<proc_macro2::Ident>],
    extra: Option<&proc_macro2::Ident>,
    directions: Serde,
) -> TokenStream {
    let (mut required, mut nullable, mut optional, mut defaulted) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (field, applied) in fields.iter().zip(applied_defaults) {
        let (rust, wire) = (ident(&field.name), &field.wire_name);
        let null = matches!(field.ty, TypeRef::Nullable(_));
        match applied {
            Some(function) => defaulted.push(quote!(#rust: #wire = #function)),
            None if field.required && null => nullable.push(quote!(#rust: #wire)),
            None if field.required => required.push(quote!(#rust: #wire)),
            None => optional.push(quote!(#rust: #wire)),
        }
    }
    let group = |label: &str, entries: Vec<TokenStream>| {
        let label = proc_macro2::Ident::new(label, proc_macro2::Span::call_site());
        (!entries.is_empty()).then(|| quote!(#label { #(#entries,)* }))
    };
    let groups = [
        group("required", required),
        group("nullable", nullable),
        group("optional", optional),
        group("defaulted", defaulted),
    ];
    let extra = extra.map(|extra| quote!(extra { #extra }));
    let serialize = if directions.ser { quote!(serialize;) } else { quote!(serialize(feature = "mock");) };
    let deserialize = directions.de.then(|| quote!(deserialize;));
    quote! {
        crate::runtime::object_serde! {
            #name { #(#groups)* #extra }
            #serialize
            #deserialize
        }
    }
}

/// `Deserialize` for an object type that declares no properties: an empty struct, or only its
/// map of extras.
fn extras_only_deserialize(name: &proc_macro2::Ident, extra: Option<&proc_macro2::Ident>) -> TokenStream {
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

/// What the emitter needs to know about other types: defaults name enum variants and follow
/// aliases; `validate()` recurses into the types that have one.
struct Context<'a> {
    by_name: HashMap<&'a str, &'a TypeDef>,
    /// Types that get a `validate()`: constrained fields, or values inside that have one.
    validated: HashSet<&'a str>,
    /// Names of the `default_*` functions by type and field, unique in the module.
    default_fns: HashMap<(&'a str, &'a str), String>,
}

/// Alias chains longer than this are not followed (they would not compile anyway).
const MAX_ALIAS_DEPTH: usize = 16;

impl<'a> Context<'a> {
    fn new(types: &'a [TypeDef]) -> Self {
        let by_name: HashMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut ctx = Self { by_name, validated: HashSet::new(), default_fns: HashMap::new() };
        // A type is validated when it has constrained fields or holds one that is: from the
        // constrained ones, up the "is held by" edges (aliases followed), once each.
        let mut held_by: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        let mut pending: Vec<&'a str> = Vec::new();
        for def in types {
            let refs: Vec<&TypeRef> = match &def.kind {
                TypeKind::Struct { fields, additional } => {
                    if fields.iter().any(|f| ctx.own_checks(f).is_some()) {
                        pending.push(def.name.as_str());
                    }
                    fields.iter().map(|f| &f.ty).chain(additional.as_ref()).collect()
                }
                TypeKind::Untagged { .. } | TypeKind::Tagged { .. } | TypeKind::Newtype { .. } => def.kind.type_refs(),
                _ => Vec::new(),
            };
            for ty in refs {
                for held in ctx.named_inside(ty) {
                    held_by.entry(held).or_default().push(def.name.as_str());
                }
            }
        }
        while let Some(name) = pending.pop() {
            if ctx.validated.insert(name) {
                pending.extend(held_by.get(name).into_iter().flatten().copied());
            }
        }
        ctx
    }

    /// The named types a value of `ty` holds (inside arrays, maps and `null`), aliases followed.
    fn named_inside(&self, ty: &'a TypeRef) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut pending = vec![(ty, 0)];
        while let Some((ty, depth)) = pending.pop() {
            match ty {
                TypeRef::Named(name) if depth <= MAX_ALIAS_DEPTH => match self.by_name.get(name.as_str()) {
                    Some(TypeDef { kind: TypeKind::Alias { target }, .. }) => pending.push((target, depth + 1)),
                    _ => out.push(name.as_str()),
                },
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) if depth <= MAX_ALIAS_DEPTH => {
                    pending.push((inner, depth + 1))
                }
                _ => {}
            }
        }
        out
    }

    /// `ty` with aliases followed.
    fn resolve<'t>(&'t self, ty: &'t TypeRef, depth: usize) -> &'t TypeRef {
        match ty {
            TypeRef::Named(name) if depth < MAX_ALIAS_DEPTH => match self.by_name.get(name.as_str()) {
                Some(TypeDef { kind: TypeKind::Alias { target }, .. }) => self.resolve(target, depth + 1),
                _ => ty,
            },
            _ => ty,
        }
    }

    /// The checks of a field's own constraints on its value (bound as `value`, path `here`).
    fn own_checks(&self, field: &Field) -> Option<TokenStream> {
        let c = &field.constraints;
        let inner = match &field.ty {
            TypeRef::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let mut checks = Vec::new();
        match self.resolve(inner, 0) {
            TypeRef::Primitive(Primitive::String) if c.min_length.is_some() || c.max_length.is_some() => {
                let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                checks.push(quote!(violations.length(&here, value, #min, #max);));
            }
            TypeRef::Primitive(p @ (Primitive::I32 | Primitive::I64 | Primitive::F32 | Primitive::F64))
                if c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some() =>
            {
                let number = match p {
                    Primitive::I64 => quote!(*value as f64),
                    Primitive::F64 => quote!(*value),
                    _ => quote!(f64::from(*value)),
                };
                let bound = |b: Option<(f64, bool)>| match b {
                    Some((limit, exclusive)) => {
                        let limit = Literal::f64_unsuffixed(limit);
                        quote!(Some((#limit, #exclusive)))
                    }
                    None => quote!(None),
                };
                let (min, max) = (bound(c.minimum), bound(c.maximum));
                let multiple = match c.multiple_of {
                    Some(m) => {
                        let m = Literal::f64_unsuffixed(m);
                        quote!(Some(#m))
                    }
                    None => quote!(None),
                };
                checks.push(quote!(violations.number(&here, #number, #min, #max, #multiple);));
            }
            TypeRef::Array(_) => {
                if c.min_items.is_some() || c.max_items.is_some() {
                    let (min, max) = (opt_usize(c.min_items), opt_usize(c.max_items));
                    checks.push(quote!(violations.items(&here, value.len(), #min, #max);));
                }
                if c.unique_items {
                    checks.push(quote!(violations.unique(&here, value);));
                }
            }
            _ => {}
        }
        (!checks.is_empty()).then(|| quote!(#(#checks)*))
    }

    /// Checks of the values inside `value` (an expression of type `&T` for `ty`) at `here` (a
    /// `&str` expression) that have a `validate()`.
    fn nested_checks(&self, ty: &TypeRef, value: TokenStream, here: TokenStream, depth: usize) -> Option<TokenStream> {
        if depth > MAX_ALIAS_DEPTH {
            return None;
        }
        match self.resolve(ty, 0) {
            TypeRef::Named(name) if self.validated.contains(name.as_str()) => {
                Some(quote!(#value.validate_at(#here, violations);))
            }
            TypeRef::Array(inner) => {
                let check = self.nested_checks(inner, quote!(item), quote!(&here), depth + 1)?;
                Some(quote! {
                    for (i, item) in #value.iter().enumerate() {
                        let here = crate::runtime::index_path(#here, i);
                        #check
                    }
                })
            }
            TypeRef::Map(inner) => {
                let check = self.nested_checks(inner, quote!(item), quote!(&here), depth + 1)?;
                Some(quote! {
                    for (key, item) in #value {
                        let here = crate::runtime::field_path(#here, key);
                        #check
                    }
                })
            }
            TypeRef::Nullable(inner) => {
                let check = self.nested_checks(inner, quote!(item), here, depth + 1)?;
                Some(quote! {
                    if let Some(item) = #value {
                        #check
                    }
                })
            }
            _ => None,
        }
    }

    /// The Rust expression for `value` as a `ty`, when it is a literal the emitter can write.
    fn default_value(&self, ty: &TypeRef, value: &serde_json::Value, depth: usize) -> Option<TokenStream> {
        use serde_json::Value;
        if depth > MAX_ALIAS_DEPTH {
            return None;
        }
        Some(match (ty, value) {
            (TypeRef::Primitive(Primitive::String), Value::String(s)) => quote!(#s.to_owned()),
            (TypeRef::Primitive(Primitive::Bool), Value::Bool(b)) => quote!(#b),
            (TypeRef::Primitive(Primitive::I32), Value::Number(n)) => {
                let n = Literal::i32_unsuffixed(i32::try_from(n.as_i64()?).ok()?);
                quote!(#n)
            }
            (TypeRef::Primitive(Primitive::I64), Value::Number(n)) => {
                let n = Literal::i64_unsuffixed(n.as_i64()?);
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

fn opt_usize(value: Option<usize>) -> TokenStream {
    match value {
        Some(n) => {
            let n = Literal::usize_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

/// A field's spec `default`: the function name (empty when not applied), its doc note, and the
/// function body. Applied to optional fields of types that are decoded, when the value is a
/// literal the emitter can write; the others only get the note.
fn field_default(
    owner: &str,
    field: &Field,
    decoded: bool,
    ctx: &Context<'_>,
) -> Option<(String, String, TokenStream)> {
    let value = field.default.as_ref()?;
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    let Some(mut expr) = applied_default(field, decoded, ctx) else {
        return Some((String::new(), docs::default_text(value, false), quote!()));
    };
    if field.boxed {
        expr = quote!(Box::new(#expr));
    }
    let body = if nullable { quote!(crate::runtime::Nullable::Value(#expr)) } else { quote!(Some(#expr)) };
    let name = ctx.default_fns.get(&(owner, field.name.as_str())).cloned().unwrap_or_default();
    Some((name, docs::default_text(value, true), body))
}

/// The value of a field's spec `default` as Rust, when it is applied: an optional field of a
/// decoded type whose default is a literal the emitter can write.
fn applied_default(field: &Field, decoded: bool, ctx: &Context<'_>) -> Option<TokenStream> {
    let value = field.default.as_ref()?;
    let inner = match &field.ty {
        TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    (decoded && !field.required && !value.is_null()).then(|| ctx.default_value(inner, value, 0)).flatten()
}

/// `validate()` for a struct or `oneOf` type that has constrained values.
fn validate_impl(def: &TypeDef, cfg: &TokenStream, ctx: &Context<'_>) -> TokenStream {
    if !ctx.validated.contains(def.name.as_str()) {
        return quote!();
    }
    let body = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let mut checks: Vec<TokenStream> = fields.iter().filter_map(|f| field_checks(f, ctx)).collect();
            if let Some(extra) = additional {
                let map = TypeRef::Map(Box::new(extra.clone()));
                let extra_name = ident(&extra_field_name(fields));
                checks.extend(ctx.nested_checks(&map, quote!(&self.#extra_name), quote!(path), 0));
            }
            quote!(#(#checks)*)
        }
        TypeKind::Untagged { .. } | TypeKind::Tagged { .. } => {
            let variants: Vec<(&String, &TypeRef)> = match &def.kind {
                TypeKind::Untagged { variants, .. } => variants.iter().map(|(n, t)| (n, t)).collect(),
                TypeKind::Tagged { variants, .. } => variants.iter().map(|v| (&v.name, &v.ty)).collect(),
                _ => Vec::new(),
            };
            let checked: Vec<(proc_macro2::Ident, TokenStream)> = variants
                .iter()
                .filter_map(|(name, ty)| Some((ident(name), ctx.nested_checks(ty, quote!(value), quote!(path), 0)?)))
                .collect();
            // Untagged enums have no catch-all variant: when every variant is checked, a
            // wildcard arm would be unreachable.
            let exhaustive = matches!(def.kind, TypeKind::Untagged { .. }) && checked.len() == variants.len();
            let arms = checked.iter().map(|(variant, check)| quote!(Self::#variant(value) => { #check }));
            match checked.as_slice() {
                _ if exhaustive => quote! {
                    match self {
                        #(#arms)*
                    }
                },
                [(variant, check)] => quote! {
                    if let Self::#variant(value) = self {
                        #check
                    }
                },
                _ => quote! {
                    match self {
                        #(#arms)*
                        _ => {}
                    }
                },
            }
        }
        TypeKind::Newtype { target } => match ctx.nested_checks(target, quote!(value), quote!(path), 0) {
            Some(check) => quote! {
                let value = &self.0;
                #check
            },
            None => quote!(let _ = (path, violations);),
        },
        _ => return quote!(),
    };
    let name = ident(&def.name);
    quote! {
        #cfg
        impl #name {
            /// Checks the constraints the spec sets on this value and the values inside it
            /// (`minLength`/`maxLength` in characters, `minimum`/`maximum`, exclusive bounds,
            /// `multipleOf`, `minItems`/`maxItems`, `uniqueItems`; not `pattern`), so a request
            /// can be checked before it is sent. Decoding never calls it.
            pub fn validate(&self) -> Result<(), crate::runtime::Violations> {
                let mut violations = crate::runtime::Violations::default();
                self.validate_at("", &mut violations);
                violations.into_result()
            }

            /// Adds the constraints this value (at `path`) breaks to `violations`.
            #[doc(hidden)]
            pub fn validate_at(&self, path: &str, violations: &mut crate::runtime::Violations) {
                #body
            }
        }
    }
}

/// The checks of one struct field: its own constraints and those of the values inside it.
fn field_checks(field: &Field, ctx: &Context<'_>) -> Option<TokenStream> {
    let inner = match &field.ty {
        TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    let own = ctx.own_checks(field);
    let nested = ctx.nested_checks(inner, quote!(value), quote!(&here), 0);
    if own.is_none() && nested.is_none() {
        return None;
    }
    let name = ident(&field.name);
    let wire = &field.wire_name;
    let body = quote! {
        let here = crate::runtime::field_path(path, #wire);
        #own
        #nested
    };
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    Some(if nullable && !field.required {
        quote! {
            if let crate::runtime::Nullable::Value(value) = &self.#name {
                #body
            }
        }
    } else if nullable || !field.required {
        quote! {
            if let Some(value) = &self.#name {
                #body
            }
        }
    } else {
        quote! {
            {
                let value = &self.#name;
                #body
            }
        }
    })
}

//! Named types into the `types` module.
//!
//! [`enums`] and [`object_serde`] print the kinds of type, [`defaults`] the spec's default values,
//! [`validate`] the `validate()` of what requests send. Which derives and serde impls each type
//! gets is decided in [`crate::plan`].

mod defaults;
mod enums;
mod object_serde;
mod validate;

use super::docs;
use super::features::TagFeatures;
use super::rust_type::{ident, rust_type, Scope};
use crate::ir::{Api, Field, TypeDef, TypeKind, TypeRef};
use crate::part::Part;
use crate::plan::derives::types_without_eq;
use crate::plan::sent::SentTypes;
use defaults::{default_accessors, default_note};
use enums::{integer_enum, string_enum, tagged, untagged};
use object_serde::{extras_only_deserialize, needs_presence, object_serde, struct_field};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use validate::validate_impl;
pub(crate) use validate::RequestChecks;

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
    sent: SentTypes,
    ctx: Context<'a>,
}

impl<'a> Plan<'a> {
    fn new(api: &'a Api) -> Self {
        Self { no_eq: types_without_eq(&api.types), sent: SentTypes::of(api), ctx: Context::new(&api.types) }
    }
}

/// A type's definition and, for types that requests send, its `validate()`.
fn type_items(def: &TypeDef, features: &TagFeatures, plan: &Plan<'_>) -> TokenStream {
    let cfg = features.type_cfg(&def.name);
    let item = type_def(def, &plan.no_eq, &cfg, &plan.ctx);
    // Only what requests send: responses are decoded leniently and never checked.
    let validate = if plan.sent.contains(&def.name) { validate_impl(def, &cfg, &plan.ctx) } else { quote!() };
    quote!(#item #validate)
}

/// Every type implements `Serialize` and `Deserialize`: through the runtime's listing macros, a
/// hand-written impl, or serde's derives where they are small (integer enums, newtypes).
fn type_def(def: &TypeDef, no_eq: &HashSet<&str>, cfg: &TokenStream, ctx: &Context<'_>) -> TokenStream {
    let doc = docs::attrs(&def.docs);
    let doc = quote!(#cfg #doc);
    let name = ident(&def.name);
    let eq = if no_eq.contains(def.name.as_str()) { quote!() } else { quote!(Eq,) };
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let default = if fields.iter().all(|f| !f.required) { quote!(Default,) } else { quote!() };
            // An object with properties gets its serde impls from the runtime's `object_serde!`;
            // one with none, derived `Serialize` (with `flatten` for its extras).
            let listed = !fields.is_empty();
            let mut field_tokens: Vec<TokenStream> =
                fields.iter().map(|field| struct_field(field, default_note(field, ctx).as_deref())).collect();
            let extra_name = additional.as_ref().map(|_| extra_field_name(fields));
            if let (Some(extra_name), Some(value)) = (&extra_name, additional) {
                let (extra_name, value) = (ident(extra_name), rust_type(value, Scope::Types));
                let flatten = if listed { quote!() } else { quote!(#[serde(flatten)]) };
                field_tokens.push(quote! {
                    /// Properties not declared in the spec.
                    #flatten
                    pub #extra_name: std::collections::BTreeMap<String, #value>,
                });
            }
            let presence = needs_presence(fields).then(|| ident(&presence_field_name(fields, extra_name.as_deref())));
            if let Some(presence) = &presence {
                field_tokens.push(quote! {
                    /// Which `None` fields were received `null` or absent, to encode them back
                    /// the same ([`Presence`](crate::runtime::Presence)); ignored by `==`.
                    pub #presence: crate::runtime::Presence,
                });
            }
            let extra = extra_name.as_deref().map(ident);
            let (serialize, serde_impls) = if listed {
                (quote!(), object_serde(&name, fields, extra.as_ref(), presence.as_ref()))
            } else {
                (quote!(serde::Serialize), extras_only_deserialize(&name, extra.as_ref()))
            };
            let accessors = default_accessors(&name, fields, cfg, ctx);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #eq #default #serialize)]
                pub struct #name {
                    #(#field_tokens)*
                }

                #cfg
                #serde_impls

                #accessors
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
        TypeKind::StringEnum { variants } => string_enum(&name, &doc, variants, cfg),
        TypeKind::Untagged { variants, boxed } => untagged(&def.name, &doc, &eq, variants, boxed, cfg, ctx),
        TypeKind::IntegerEnum { variants } => integer_enum(&name, &doc, variants, cfg),
        TypeKind::Tagged { property, variants } => tagged(&def.name, &doc, &eq, property, variants, cfg),
        TypeKind::Alias { target } => {
            let target = rust_type(target, Scope::Types);
            quote! { #doc pub type #name = #target; }
        }
        TypeKind::Newtype { target } => {
            let target = rust_type(target, Scope::Types);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #eq serde::Serialize, serde::Deserialize)]
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

/// The name of a struct's [`Presence`](crate::runtime::Presence) field: `presence`, or with a
/// suffix when a property or the extras field has the name.
fn presence_field_name(fields: &[Field], extra: Option<&str>) -> String {
    let taken: HashSet<&str> = fields.iter().map(|f| f.name.as_str()).chain(extra).collect();
    (1..)
        .map(|n| if n == 1 { "presence".to_owned() } else { format!("presence_{n}") })
        .find(|name| !taken.contains(name.as_str()))
        .unwrap_or_default()
}

/// What the emitter needs to know about other types: defaults name enum variants and follow
/// aliases; `validate()` recurses into the types that have one.
struct Context<'a> {
    by_name: HashMap<&'a str, &'a TypeDef>,
    /// Types that get a `validate()`: constrained fields, or values inside that have one.
    validated: HashSet<&'a str>,
}

/// Alias chains longer than this are not followed (they would not compile anyway).
const MAX_ALIAS_DEPTH: usize = 16;

impl<'a> Context<'a> {
    pub(super) fn new(types: &'a [TypeDef]) -> Self {
        let by_name: HashMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut ctx = Self { by_name, validated: HashSet::new() };
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
}

//! Operations into the `Client` and its builder.
//!
//! One file per concern: [`prelude`] (imports, `Client`, its builder), [`operation`] (each
//! operation's methods and signatures), [`request`] (arguments into a `Request`), [`response`]
//! (success and error types), [`pagination`] (the `…_stream` methods), [`mock`] (the `mock`
//! module). What needs the whole API is decided in [`crate::plan`].

mod mock;
mod operation;
mod pagination;
mod prelude;
mod request;
mod response;

use super::docs;
use super::features::TagFeatures;
use super::types::RequestChecks;
use crate::ir::{Api, BodyKind, Operation, ParamLocation, Success, TypeRef};
use crate::part::Part;
use crate::plan::errors::ErrorGroups;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::HashMap;
use std::sync::Arc;

/// The `client` module of one API.
pub fn module(api: &Api, features: &TagFeatures) -> TokenStream {
    parts(api, features).iter().map(|part| (part.build)()).collect()
}

/// The `client` module in parts that are built and formatted apart (on any thread): the client and
/// its builder, one section per tag (its operations' types and an `impl Client` with their
/// methods), and the mock module.
pub fn parts<'a>(api: &'a Api, features: &'a TagFeatures) -> Vec<Part<'a>> {
    // An operation emits about five types' worth of code (GitHub: 3.4 MB for 771 operations,
    // 1.3 MB for 1,432 types); its mock method, half a type's.
    let shared = Arc::new(SharedErrors::of(api, features));
    let checks = Arc::new(RequestChecks::new(&api.types));
    let mut parts: Vec<Part<'a>> = vec![Part::new(1, move || prelude::prelude(api, features))];
    for (tag, operations) in tag_groups(api) {
        let (shared, checks) = (Arc::clone(&shared), Arc::clone(&checks));
        parts.push(Part::new(5 * operations.len(), move || {
            tag_section(api, features, &shared, &checks, tag, &operations)
        }));
    }
    parts.push(Part::new(api.operations.len() / 2, move || mock::mock_module(api, features)));
    parts
}

/// Operations grouped by their first tag, tags in order of first use, operations in spec order.
fn tag_groups(api: &Api) -> Vec<(Option<&str>, Vec<&Operation>)> {
    let mut groups: Vec<(Option<&str>, Vec<&Operation>)> = Vec::new();
    let mut index: HashMap<Option<&str>, usize> = HashMap::new();
    for op in &api.operations {
        let tag = op.tags.first().map(String::as_str);
        let i = *index.entry(tag).or_insert_with(|| {
            groups.push((tag, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(op);
    }
    groups
}

/// The error enums operations share ([`ErrorGroups`]), and the tag features that compile each.
struct SharedErrors<'a> {
    /// Operation name to the error enum it shares, when another operation owns that one.
    alias_of: HashMap<&'a str, &'a str>,
    /// Owning operation name to the number of operations that alias it, and the tag features
    /// that compile it (empty: always compiled).
    owners: HashMap<&'a str, (usize, Vec<String>)>,
}

impl<'a> SharedErrors<'a> {
    fn of(api: &'a Api, features: &TagFeatures) -> Self {
        let ErrorGroups { alias_of, members } = ErrorGroups::of(api);
        let owners = members
            .into_iter()
            .map(|(owner, ops)| {
                let always = ops.iter().any(|op| features.operation_features(op).is_empty());
                let mut needed: Vec<String> = Vec::new();
                if !always {
                    for feature in &features.features {
                        if ops.iter().any(|op| features.operation_features(op).contains(feature)) {
                            needed.push(feature.clone());
                        }
                    }
                }
                (owner, (ops.len() - 1, needed))
            })
            .collect();
        Self { alias_of, owners }
    }
}

/// What one operation adds to the client module.
struct Emitted {
    /// Methods of `Client`.
    methods: TokenStream,
    /// Types beside `Client`: success, error, header and body-choice enums.
    items: TokenStream,
    /// An error enum other operations share, and the tag features that compile it.
    shared_error: Option<(TokenStream, Vec<String>)>,
}

/// The operations of one tag: their response, error and header types, then their methods.
fn tag_section(
    api: &Api,
    features: &TagFeatures,
    shared: &SharedErrors<'_>,
    checks: &RequestChecks<'_>,
    tag: Option<&str>,
    operations: &[&Operation],
) -> TokenStream {
    let mut items = Vec::new();
    // Methods compiled by this tag's feature alone share one `#[cfg]` on their `impl` block;
    // those of operations with several tags carry their own, in a second block.
    let mut own_feature: Option<&[String]> = None;
    let (mut own, mut others) = (Vec::new(), Vec::new());
    for op in operations {
        let op_features = features.operation_features(&op.name);
        let cfg = TagFeatures::cfg_of(op_features);
        let emitted = operation::operation(op, api, shared, checks);
        if let Some((shared_error, features)) = &emitted.shared_error {
            items.push(gate_items(&TagFeatures::cfg_of(features), shared_error));
        }
        items.push(gate_items(&cfg, &emitted.items));
        // (Without tag features every method is ungated: all are the block's own.)
        if op_features.len() <= 1 && own_feature.is_none_or(|own| own == op_features) {
            own_feature = Some(op_features);
            own.push(emitted.methods);
        } else {
            others.push(gate_items(&cfg, &emitted.methods));
        }
    }
    let doc = match tag {
        Some(tag) => docs::line(&format!("Operations tagged `{tag}`.")),
        None => " Operations without a tag.".to_owned(),
    };
    let own_block = (!own.is_empty()).then(|| {
        let cfg = TagFeatures::cfg_of(own_feature.unwrap_or_default());
        quote! {
            #[doc = #doc]
            #cfg
            impl Client {
                #(#own)*
            }
        }
    });
    // Only tagged operations have several features.
    let others_block = (!others.is_empty()).then(|| {
        let doc = docs::line(&format!("Operations tagged `{}` and others.", tag.unwrap_or_default()));
        quote! {
            #[doc = #doc]
            impl Client {
                #(#others)*
            }
        }
    });
    quote! {
        #(#items)*

        #own_block
        #others_block
    }
}

/// Puts the `#[cfg]` of an operation on each item it emitted.
fn gate_items(cfg: &TokenStream, items: &TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items.clone();
    }
    split_items(items.clone()).into_iter().flat_map(|item| cfg.clone().into_iter().chain(item)).collect()
}

/// Splits generated items at their ends, a top-level `;` or `{ ... }` not followed by `;`, without
/// parsing them: attributes, `struct A;`, `impl X { }`, `const C: T = T { .. };` and `use a::{b};`
/// each stay whole.
fn split_items(items: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        current.push(token);
        if ends {
            out.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        out.push(current.into_iter().collect());
    }
    out
}

/// Whether the operation's signature names a generated type.
fn uses_types(op: &Operation) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named(inner),
            _ => false,
        }
    }
    let body = op.body.as_ref().is_some_and(|b| matches!(&b.kind, BodyKind::Json(ty) if named(ty)));
    let success = matches!(&op.success, Success::Body { kind: BodyKind::Json(ty), .. } if named(ty));
    let path = op.params.iter().any(|p| p.location == ParamLocation::Path && named(&p.ty));
    let responses = op.responses.iter().any(|r| matches!(&r.body, Some(BodyKind::Json(ty)) if named(ty)));
    let alternatives = op
        .body
        .as_ref()
        .is_some_and(|b| b.alternatives.iter().any(|(_, k)| matches!(k, BodyKind::Json(ty) if named(ty))));
    op.params_type.is_some() || body || success || path || responses || alternatives
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(tokens: TokenStream) -> Vec<String> {
        split_items(tokens).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn split_items_keeps_each_item_whole() {
        let items = split(quote! {
            #[doc = " A."] pub struct A;
            pub struct B { x: u8 }
            impl B { fn f(&self) -> [u8; 2] { [0; 2] } }
            const C: B = B { x: 1 };
            use a::{b, c};
            pub enum E { V { x: u8 } }
        });
        assert_eq!(
            items,
            [
                "# [doc = \" A.\"] pub struct A ;",
                "pub struct B { x : u8 }",
                "impl B { fn f (& self) -> [u8 ; 2] { [0 ; 2] } }",
                "const C : B = B { x : 1 } ;",
                "use a :: { b , c } ;",
                "pub enum E { V { x : u8 } }",
            ]
        );
    }

    #[test]
    fn gate_items_puts_the_cfg_on_every_item() {
        let cfg = quote!(#[cfg(feature = "t")]);
        let gated = gate_items(&cfg, &quote!(struct A; impl A {}));
        assert_eq!(
            gated.to_string(),
            quote!(
                #[cfg(feature = "t")]
                struct A;
                #[cfg(feature = "t")]
                impl A {}
            )
            .to_string()
        );
        assert_eq!(
            gate_items(
                &quote!(),
                &quote!(
                    struct A;
                )
            )
            .to_string(),
            "struct A ;"
        );
    }
}

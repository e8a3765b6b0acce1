//! Stage 5: the model into Rust tokens (and the crate's manifest).

mod client;
mod docs;
mod features;
mod guide;
mod rust_type;
mod types;
mod webhooks;

use crate::ir::Api;
use crate::options::CrateSpec;
use crate::part::Part;
use proc_macro2::TokenStream;
use quote::quote;
use rust_type::ident;

pub use crate::options::Layout;
pub use features::TagFeatures;
pub use rust_type::uses_chrono;

/// One API ready to emit: its model, module name and where it came from.
#[derive(Debug, Clone)]
pub struct EmitApi<'a> {
    /// The lowered model.
    pub api: &'a Api,
    /// The Rust module (and cargo feature) name.
    pub module: &'a str,
    /// The spec file, for docs.
    pub file: &'a str,
    /// Its tag features (none in the multi-API layout).
    pub features: &'a TagFeatures,
}

/// The `types` module of an API, every type always compiled.
pub fn types_module(api: &Api) -> TokenStream {
    types::module(api, &TagFeatures::none())
}

/// The `client` module of an API, every operation always compiled.
pub fn client_module(api: &Api) -> TokenStream {
    client::module(api, &TagFeatures::none())
}

/// The `types` module of an API, items gated by tag features.
pub fn types_module_gated(api: &Api, features: &TagFeatures) -> TokenStream {
    types::module(api, features)
}

/// The `client` module of an API, operations gated by tag features.
pub fn client_module_gated(api: &Api, features: &TagFeatures) -> TokenStream {
    client::module(api, features)
}

/// The `types` module of an API in parts, items gated by tag features.
pub fn types_parts<'a>(api: &'a Api, features: &'a TagFeatures) -> Vec<Part<'a>> {
    types::parts(api, features)
}

/// The `client` module of an API in parts, operations gated by tag features.
pub fn client_parts<'a>(api: &'a Api, features: &'a TagFeatures) -> Vec<Part<'a>> {
    client::parts(api, features)
}

/// The `webhooks` module of an API (its events gated by tag features); empty tokens when it has
/// no webhooks or callbacks, and then no file is written.
pub fn webhooks_module(api: &Api, features: &TagFeatures) -> TokenStream {
    webhooks::module(api, features)
}

/// Lints that vendor prose can trip and that say nothing about the generated code.
fn prose_lint_allows() -> TokenStream {
    quote! {
        #![allow(
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags,
            rustdoc::invalid_rust_codeblocks,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::too_long_first_doc_paragraph
        )]
    }
}

/// Lints about the generated types' layout. A `oneOf`, a set of success or error bodies or of
/// request media types holds its variants inline, so one with a large struct next to a string
/// trips `large_enum_variant`. Boxing variants by their size would make the Rust type of a variant
/// depend on how many fields its struct has (adding a property could box it: a breaking change),
/// and boxing every struct variant would cost every user an allocation and a `Box::new`; the enum
/// being larger than it could be is the lesser cost. Likewise an inline schema nested a few levels
/// (an array of maps of maps) is spelled out as the std types it is, which trips
/// `type_complexity` in a field or a method's `impl Future<Output = Result<..>>`; naming each
/// level would invent names that come and go as the spec's nesting changes.
fn layout_lint_allows() -> TokenStream {
    quote! {
        #![allow(clippy::large_enum_variant, clippy::type_complexity)]
    }
}

fn api_docs(item: &EmitApi<'_>) -> TokenStream {
    let mut paragraphs = vec![format!("# {} (version {})", item.api.title, item.api.version)];
    paragraphs.extend(item.api.description.clone());
    paragraphs.push(format!("Generated from `{}`.", crate::sanitise::comment_text(item.file)));
    docs::inner_paragraphs(&paragraphs)
}

/// The `mod.rs` of one API module (Modules layout).
pub fn api_mod_rs(item: &EmitApi<'_>) -> TokenStream {
    let docs = api_docs(item);
    let webhooks = (!item.api.events.is_empty()).then(|| quote! { pub mod webhooks; });
    quote! {
        #docs

        pub mod types;
        mod client;
        #webhooks

        pub use client::*;
        pub use crate::runtime::{ApiError, CallInfo, Error, Hook, RequestOptions, ResponseExt, RetryPolicy, WithResponse};
    }
}

/// The crate's `lib.rs`.
pub fn lib_rs(layout: Layout, apis: &[EmitApi<'_>], package: &str, description: &str) -> TokenStream {
    let allows = prose_lint_allows();
    let layout_allows = layout_lint_allows();
    let crate_name = package.replace('-', "_");
    match layout {
        Layout::Modules => {
            let crate_doc = docs::line(description);
            let list = apis.iter().map(|a| {
                let line = docs::line(&format!("- [`{}`], the {} API (feature `{}`)", a.module, a.api.title, a.module));
                quote!(#![doc = #line])
            });
            let modules = apis.iter().map(|a| {
                let module = ident(a.module);
                let feature = a.module;
                quote! {
                    #[cfg(feature = #feature)]
                    #[rustfmt::skip]
                    pub mod #module;
                }
            });
            let guide = apis
                .first()
                .map(|a| docs::inner_paragraphs(&guide::paragraphs(a.api, &format!("{crate_name}::{}", a.module))))
                .unwrap_or_default();
            quote! {
                #![doc = #crate_doc]
                #![doc = ""]
                #![doc = " One module per API, each behind a cargo feature of the same name (all on by default):"]
                #(#list)*
                #![doc = ""]
                #guide
                #allows
                #layout_allows

                pub mod runtime;
                #(#modules)*
            }
        }
        Layout::Standalone => {
            let docs = apis.first().map(api_docs).unwrap_or_default();
            let webhooks = apis.first().filter(|a| !a.api.events.is_empty()).map(|_| {
                quote! {
                    #[rustfmt::skip]
                    pub mod webhooks;
                }
            });
            let guide = apis
                .first()
                .map(|a| docs::inner_paragraphs(&guide::paragraphs(a.api, &crate_name)))
                .unwrap_or_default();
            quote! {
                #docs
                #![doc = ""]
                #guide
                #allows
                #layout_allows

                pub mod runtime;
                #[rustfmt::skip]
                pub mod types;
                #[rustfmt::skip]
                mod client;
                #webhooks

                pub use client::*;
                pub use runtime::{ApiError, CallInfo, Error, Hook, RequestOptions, ResponseExt, RetryPolicy, WithResponse};
            }
        }
    }
}

/// The crate's `examples/usage.rs` (the usage guide's example), and the features it needs.
pub fn usage_example(layout: Layout, apis: &[EmitApi<'_>], package: &str) -> Option<(String, Vec<String>)> {
    let item = apis.first()?;
    let crate_name = package.replace('-', "_");
    let (path, mut features) = match layout {
        Layout::Modules => (format!("{crate_name}::{}", item.module), vec![item.module.to_owned()]),
        Layout::Standalone => (crate_name, Vec::new()),
    };
    if let Some((op, _)) = guide::example_operation(item.api) {
        features.extend(item.features.operation_features(&op.name).first().cloned());
    }
    Some((guide::example_source(item.api, &path), features))
}

/// The `mock` feature: typed wiremock fakes of each API for the crates that depend on this one.
const MOCK_FEATURE: &str =
    "# Test helpers: `mock::Server` with a typed fake per operation (on wiremock).\nmock = [\"dep:wiremock\"]\n";

/// The crate's `Cargo.toml`.
pub fn cargo_toml(header: &str, spec: &CrateSpec, apis: &[EmitApi<'_>]) -> String {
    // Quoted as TOML, like every string here: the name and version come from the command line or
    // a config (the name is also checked before generation, E0080).
    let (package, version, layout) = (toml_string(&spec.package), toml_string(&spec.version), spec.layout);
    // One line of prose (a spec title may hold any character), as a TOML string.
    let description = toml_string(docs::line(&spec.description).trim_start());
    let needs_chrono: Vec<bool> = apis.iter().map(|a| api_uses(a.api, uses_chrono)).collect();
    let needs_uuid: Vec<bool> = apis.iter().map(|a| api_uses(a.api, rust_type::uses_uuid)).collect();
    let mut out = format!(
        "{header}\n[package]\nname = {package}\nversion = {version}\nedition = \"2021\"\n\
         description = {description}\npublish = false\n\n\
         [lib]\n# Spec descriptions are prose, not Rust examples.\ndoctest = false\n"
    );
    if layout == Layout::Standalone {
        if let Some(api) = apis.first().filter(|a| !a.features.features.is_empty()) {
            let quoted: Vec<String> = api.features.features.iter().map(|f| format!("{f:?}")).collect();
            out.push_str("\n# One feature per OpenAPI tag: turn off the defaults and pick the tags you call.\n");
            out.push_str(&format!("[features]\ndefault = [{}]\n", quoted.join(", ")));
            for feature in &api.features.features {
                out.push_str(&format!("{feature} = []\n"));
            }
        } else {
            out.push_str("\n[features]\n");
        }
        out.push_str(MOCK_FEATURE);
    }
    if layout == Layout::Modules {
        let defaults: Vec<String> = apis.iter().map(|a| format!("{:?}", a.module)).collect();
        out.push_str(&format!("\n[features]\ndefault = [{}]\n", defaults.join(", ")));
        for ((a, chrono), uuid) in apis.iter().zip(&needs_chrono).zip(&needs_uuid) {
            let deps: Vec<&str> = [(*chrono, "\"dep:chrono\""), (*uuid, "\"dep:uuid\"")]
                .into_iter()
                .filter_map(|(needed, dep)| needed.then_some(dep))
                .collect();
            out.push_str(&format!("{} = [{}]\n", a.module, deps.join(", ")));
        }
        out.push_str(MOCK_FEATURE);
    }
    // Versions and features are the runtime crate's (runtime/Cargo.toml); this decides only which
    // of its optional dependencies the crate takes: a type's crate behind its API's feature in the
    // multi-API crate, wiremock behind `mock`.
    use crate::runtime::Take;
    let take = |needed: bool| match (needed, layout) {
        (false, _) => Take::Not,
        (true, Layout::Modules) => Take::Optional,
        (true, Layout::Standalone) => Take::Required,
    };
    out.push_str("\n[dependencies]\n");
    out.push_str(&crate::runtime::dependency_lines(|name| match name {
        "chrono" => take(needs_chrono.iter().any(|c| *c)),
        "uuid" => take(needs_uuid.iter().any(|u| *u)),
        "wiremock" => Take::Optional,
        _ => Take::Not,
    }));
    if let Some((_, features)) = usage_example(layout, apis, &spec.package).filter(|_| spec.usage_example) {
        let quoted: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        // The example's `#[tokio::main]`: the runtime crate's own tokio dev-dependency.
        let tokio = crate::runtime::dev_dependency_line("tokio").unwrap_or_default();
        out.push_str(&format!(
            "\n[dev-dependencies]\n{tokio}\n\n\
             # The usage guide's example: `cargo run --example usage`.\n[[example]]\nname = \"usage\"\nrequired-features = [{}]\n",
            quoted.join(", ")
        ));
    }
    if layout == Layout::Standalone {
        out.push_str("\n# A crate of its own, even when generated inside another workspace.\n[workspace]\n");
    }
    out
}

/// `text` as a TOML basic string: quotes, backslashes and control characters escaped (Rust's
/// `{:?}` is not TOML: it writes `\u{7f}` and `\0`). See [`crate::sanitise::toml_string`].
fn toml_string(text: &str) -> String {
    crate::sanitise::toml_string(text)
}

/// Whether any type or operation of `api` has a type for which `uses` holds (chrono, uuid).
fn api_uses(api: &Api, uses: fn(&crate::ir::TypeRef) -> bool) -> bool {
    let in_types = api.types.iter().any(|t| t.kind.type_refs().into_iter().any(uses));
    let in_ops = api.operations.iter().any(|op| {
        op.params.iter().any(|p| uses(&p.ty))
            || matches!(&op.body, Some(crate::ir::RequestBody { kind: crate::ir::BodyKind::Json(t), .. }) if uses(t))
            || matches!(&op.success, crate::ir::Success::Body { kind: crate::ir::BodyKind::Json(t), .. } if uses(t))
            || op.responses.iter().any(|r| {
                matches!(&r.body, Some(crate::ir::BodyKind::Json(t)) if uses(t))
                    || r.headers.iter().any(|h| uses(&h.ty))
            })
    });
    let in_events = api.events.iter().any(|e| matches!(&e.payload, Some((_, crate::ir::BodyKind::Json(t))) if uses(t)));
    in_types || in_ops || in_events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_what_toml_needs() {
        assert_eq!(toml_string("Typed client"), "\"Typed client\"");
        assert_eq!(toml_string("a \"b\" \\ c\td\ne\r"), "\"a \\\"b\\\" \\\\ c\\td\\ne\\r\"");
        // Rust's `{:?}` would write `\u{7f}` and `\0`, which TOML rejects.
        assert_eq!(toml_string("del\u{7f} nul\u{0} \u{202e}é"), "\"del\\u007F nul\\u0000 \u{202e}é\"");
    }
}

//! Stage 4: `openapiv3::OpenAPI` into the resolved model of [`crate::ir`].
//!
//! All naming and all `$ref` resolution happen here, once.

mod defaults;
mod events;
mod formats;
mod operations;
mod reachable;
mod recursion;
mod schemas;
mod security;

use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Operation, Server};
use crate::naming::{value_name, Namespace, CARGO_FEATURES};
use crate::options::ApiOptions;
use openapiv3::OpenAPI;
use std::collections::{HashMap, HashSet};

/// The lowered API and the warnings found on the way.
#[derive(Debug)]
pub struct Lowered {
    /// The model to emit.
    pub api: Api,
    /// Warnings (and errors, if any: the pipeline stops on those).
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers a parsed spec.
pub fn lower(spec: &OpenAPI, options: &ApiOptions) -> Lowered {
    let mut read_warnings = Vec::new();
    let webhooks = events::read_webhooks(spec, &mut read_warnings);
    let mut lowerer = Lowerer::new(spec, options);
    lowerer.diagnostics = read_warnings;
    lowerer.declare_components();
    let security_schemes = security::schemes(spec, &mut lowerer.diagnostics);
    let operations = operations::lower_all(&mut lowerer, &security_schemes);
    let events = events::lower_all(&mut lowerer, &webhooks, &operations);
    lowerer.define_components();
    if !options.tags.is_empty() || !options.operations.is_empty() {
        lowerer.keep_reachable(&operations, &events);
    }
    lowerer.finish_types();
    let tag_features = tag_features(&operations, &mut lowerer.diagnostics);
    let api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        servers: spec.servers.iter().map(server).collect(),
        types: lowerer.types,
        operations,
        events,
        security_schemes,
        tag_features,
    };
    Lowered { api, diagnostics: lowerer.diagnostics }
}

/// The cargo feature of each tag the operations use, in order of first use; none for fewer than
/// two tags (nothing to choose between).
fn tag_features(operations: &[Operation], diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    let mut tags: Vec<(&str, &str)> = Vec::new();
    for op in operations {
        for tag in &op.tags {
            if !tags.iter().any(|(t, _)| t == tag) {
                tags.push((tag, &op.pointer));
            }
        }
    }
    if tags.len() < 2 {
        return Vec::new();
    }
    let mut names = Namespace::with_reserved(CARGO_FEATURES);
    tags.into_iter()
        .map(|(tag, pointer)| {
            let wanted = value_name(tag).trim_start_matches("r#").to_owned();
            let feature = names.claim(wanted.clone(), "_");
            if names.is_reserved(&wanted) {
                diagnostics.push(Diagnostic::warning(
                    "W0059",
                    format!("{pointer}/tags"),
                    format!(
                        "tag `{tag}` would be the cargo feature `{wanted}`, which every crate has: in a standalone \
                         crate its feature is `{feature}`"
                    ),
                ));
            }
            (tag.to_owned(), feature)
        })
        .collect()
}

fn server(server: &openapiv3::Server) -> Server {
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    Server { url, description: server.description.clone() }
}

/// State shared by the lowering passes.
pub(crate) struct Lowerer<'a> {
    spec: &'a OpenAPI,
    options: &'a ApiOptions,
    types: Vec<crate::ir::TypeDef>,
    type_names: Namespace,
    /// Component schema key -> Rust type name.
    components: HashMap<String, String>,
    /// Component schemas that allow `null`: references to them become nullable.
    nullable_components: HashSet<String>,
    /// Pointer of an inline schema already lowered -> its type, so shared schemas lower once.
    inline_cache: HashMap<String, crate::ir::TypeRef>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI, options: &'a ApiOptions) -> Self {
        Self {
            spec,
            options,
            types: Vec::new(),
            type_names: Namespace::default(),
            components: HashMap::new(),
            nullable_components: HashSet::new(),
            inline_cache: HashMap::new(),
            diagnostics: Vec::new(),
        }
    }

    fn warn(&mut self, code: &'static str, pointer: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::warning(code, pointer, message));
    }

    fn error(&mut self, code: &'static str, pointer: impl Into<String>, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(code, pointer, message));
    }
}

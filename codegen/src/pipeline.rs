//! The stages after `load`, chained: normalise -> parse -> lower -> emit -> format.
//!
//! Pure functions of in-memory documents; the caller loads and writes.

use crate::diagnostics::Diagnostic;
use crate::emit::{self, EmitApi};
use crate::format;
use std::time::Instant;

pub use crate::frontend::lower_document;
pub use crate::options::{ApiOptions, ApiSource, CrateSpec, Layout, Options};
pub use crate::output::{ApiReport, CrateFile, GeneratedCrate};

/// The crate and source for `--spec FILE --out DIR [--name NAME]`: one API at the crate root,
/// named after the spec's title unless `name` is given.
pub fn standalone(
    file: &str,
    document: serde_json::Value,
    name: Option<&str>,
    options: ApiOptions,
) -> (CrateSpec, ApiSource) {
    let title = document.pointer("/info/title").and_then(|t| t.as_str()).unwrap_or("api").to_owned();
    let module = crate::naming::value_name(&title).trim_start_matches("r#").to_owned();
    // Lower case, so the library's crate name is snake case and compiles without warnings. A name
    // from the title is made valid (`type` -> `type-api`); an invalid `--name` (`123`) is refused
    // by `generate_crate` (E0080).
    let package = name.map_or_else(
        || crate::sanitise::package_name_from_title(&module.replace('_', "-")),
        crate::sanitise::package_name,
    );
    let spec = CrateSpec {
        package,
        version: "0.1.0".to_owned(),
        description: format!("Typed async client for the {title} API, generated from its OpenAPI spec."),
        command: format!("cargo xtask codegen --spec {file}"),
        layout: Layout::Standalone,
        usage_example: true,
    };
    (spec, ApiSource { module, file: file.to_owned(), document, text: None, options, load_warnings: Vec::new() })
}

/// Generates the whole crate from its specs. Errors from every spec are returned together.
pub fn generate_crate(
    spec: &CrateSpec,
    sources: Vec<ApiSource>,
    options: &Options,
) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    if let Some(problem) = crate::sanitise::package_name_problem(&spec.package) {
        let name = crate::sanitise::comment_text(&spec.package);
        let mut d =
            Diagnostic::error("E0080", "#/package/name", format!("`{name}` is not a valid package name: {problem}"));
        d.file = "Cargo.toml".to_owned();
        return Err(vec![d]);
    }
    let mut lowered = Vec::new();
    let mut errors = Vec::new();
    for source in sources {
        let started = Instant::now();
        let located = |diagnostics: Vec<Diagnostic>| with_lines(diagnostics, source.text.as_deref());
        let load_warnings = source.load_warnings;
        let lowered_document = lower_document(&source.file, source.document, &source.options)
            .map(|(api, warnings)| (api, load_warnings.into_iter().chain(warnings).collect::<Vec<_>>()));
        match lowered_document.map_err(located) {
            Ok((_, warnings)) if options.strict && !warnings.is_empty() => {
                errors.extend(located(warnings).into_iter().map(|mut d| {
                    d.severity = crate::Severity::Error;
                    d
                }))
            }
            Ok((api, warnings)) => {
                lowered.push((source.module, source.file, api, located(warnings), started.elapsed()))
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut files = Vec::new();
    let mut reports = Vec::new();
    let sources: Vec<&str> = lowered.iter().map(|(_, file, ..)| file.as_str()).collect();
    // Tag features split a standalone crate; in the multi-API crate each API is one feature.
    let features: Vec<emit::TagFeatures> = lowered
        .iter()
        .map(|(_, _, api, ..)| match spec.layout {
            Layout::Standalone => emit::TagFeatures::of(api),
            Layout::Modules => emit::TagFeatures::none(),
        })
        .collect();
    for ((module, file, api, warnings, lowering), features) in lowered.iter().zip(&features) {
        let emitting = Instant::now();
        let header = format::header("//", &spec.command, &[file]);
        let item = EmitApi { api, module, file, features };
        let dir = match spec.layout {
            Layout::Modules => format!("src/{module}/"),
            Layout::Standalone => "src/".to_owned(),
        };
        let located = |r: Result<String, Diagnostic>| {
            r.map_err(|mut d| {
                d.file.clone_from(file);
                vec![d]
            })
        };
        let parted = [
            format::PartedFile { header: header.clone(), parts: emit::types_parts(api, features), what: "types" },
            format::PartedFile { header: header.clone(), parts: emit::client_parts(api, features), what: "client" },
        ];
        let mut formatted = format::rust_files(&parted)
            .map_err(|mut d| {
                d.file.clone_from(file);
                vec![d]
            })?
            .into_iter();
        let (types, client) = (formatted.next().unwrap_or_default(), formatted.next().unwrap_or_default());
        files.push(CrateFile { path: format!("{dir}types.rs"), contents: types });
        files.push(CrateFile { path: format!("{dir}client.rs"), contents: client });
        if !api.events.is_empty() {
            files.push(CrateFile {
                path: format!("{dir}webhooks.rs"),
                contents: located(format::rust_file(&header, emit::webhooks_module(api, features), "webhooks.rs"))?,
            });
        }
        if spec.layout == Layout::Modules {
            files.push(CrateFile {
                path: format!("{dir}mod.rs"),
                contents: located(format::rust_file(&header, emit::api_mod_rs(&item), "mod.rs"))?,
            });
        }
        reports.push(ApiReport {
            module: module.clone(),
            file: file.clone(),
            operations: api.operations.len(),
            types: api.types.len(),
            warnings: warnings.clone(),
            fallbacks: warnings.iter().filter(|w| VALUE_FALLBACKS.contains(&w.code)).count(),
            elapsed: *lowering + emitting.elapsed(),
        });
    }

    let items: Vec<EmitApi<'_>> = lowered
        .iter()
        .zip(&features)
        .map(|((module, file, api, ..), features)| EmitApi { api, module, file, features })
        .collect();
    let header = format::header("//", &spec.command, &sources);
    let lib = format::rust_file(&header, emit::lib_rs(spec.layout, &items, &spec.package, &spec.description), "lib.rs")
        .map_err(|d| vec![d])?;
    files.push(CrateFile { path: "src/lib.rs".into(), contents: lib });
    if let Some((example, _)) = emit::usage_example(spec.layout, &items, &spec.package).filter(|_| spec.usage_example) {
        files.push(CrateFile { path: "examples/usage.rs".into(), contents: format!("{header}\n{example}") });
    }
    for (name, source) in crate::runtime::FILES {
        files.push(CrateFile { path: format!("src/runtime/{name}"), contents: format!("{header}\n{source}") });
    }
    let toml_header = format::header("#", &spec.command, &sources);
    files.push(CrateFile { path: "Cargo.toml".into(), contents: emit::cargo_toml(&toml_header, spec, &items) });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(GeneratedCrate { files, reports })
}

/// Warning codes that mean "this schema became `serde_json::Value`".
const VALUE_FALLBACKS: &[&str] = &["W0012", "W0030", "W0032", "W0033"];

/// Fills in the line of each diagnostic from the spec's source text.
fn with_lines(mut diagnostics: Vec<Diagnostic>, text: Option<&str>) -> Vec<Diagnostic> {
    if let Some(text) = text.filter(|_| diagnostics.iter().any(|d| d.line.is_none())) {
        let mut index = crate::lines::LineIndex::new(text);
        for d in diagnostics.iter_mut().filter(|d| d.line.is_none()) {
            d.line = index.line_of(&d.pointer);
        }
    }
    diagnostics
}

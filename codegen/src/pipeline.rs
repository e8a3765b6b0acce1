//! The stages after `load`, chained: normalise -> parse -> lower -> emit -> format.
//!
//! Pure functions of in-memory documents; the caller loads and writes.

use crate::diagnostics::Diagnostic;
use crate::emit::{self, EmitApi, Layout};
use crate::format;
use crate::ir::Api;
use std::time::{Duration, Instant};

/// One spec to generate, already loaded.
#[derive(Debug, Clone)]
pub struct ApiSource {
    /// The module (and cargo feature) name, e.g. `thena`.
    pub module: String,
    /// The spec file, as it should appear in diagnostics and headers.
    pub file: String,
    /// The loaded document.
    pub document: serde_json::Value,
    /// The spec's source text, so diagnostics can give YAML lines.
    pub text: Option<String>,
    /// What to generate from it.
    pub options: ApiOptions,
    /// Warnings from loading it (bundling other files, overlays).
    pub load_warnings: Vec<Diagnostic>,
}

/// Per-spec generation options (from `specs/codegen.toml` or the command line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiOptions {
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Only these operations, by operationId or generated method name (all when empty).
    pub operations: Vec<String>,
    /// Keep `date-time` and `date` strings as `String` instead of chrono types.
    pub formats_as_strings: bool,
}

/// What crate to generate.
#[derive(Debug, Clone)]
pub struct CrateSpec {
    /// Package name, e.g. `api-clients`.
    pub package: String,
    /// Package version.
    pub version: String,
    /// One-line crate description.
    pub description: String,
    /// The command named in every file's header.
    pub command: String,
    /// Modules per API, or one API at the root.
    pub layout: Layout,
    /// Whether to write `examples/usage.rs` (the usage guide's example).
    pub usage_example: bool,
}

/// Generator options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Turn warnings into errors.
    pub strict: bool,
}

/// One generated file, by path relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateFile {
    /// e.g. `src/thena/types.rs`.
    pub path: String,
    /// The whole file.
    pub contents: String,
}

/// What happened to one spec.
#[derive(Debug, Clone)]
pub struct ApiReport {
    /// Module name.
    pub module: String,
    /// Spec file.
    pub file: String,
    /// Operations generated.
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Schemas that could not be expressed and became `serde_json::Value` (each also a warning).
    pub fallbacks: usize,
    /// Time from document to formatted files.
    pub elapsed: Duration,
}

/// A generated crate in memory.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    /// Every file, sorted by path.
    pub files: Vec<CrateFile>,
    /// One report per API.
    pub reports: Vec<ApiReport>,
}

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

/// normalise -> parse -> lower for one document. Diagnostics carry `file`.
pub fn lower_document(
    file: &str,
    mut document: serde_json::Value,
    options: &ApiOptions,
) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let located = |mut d: Diagnostic| {
        d.file = file.to_owned();
        d
    };
    let mut origins = std::collections::HashMap::new();
    let mut warnings = crate::normalise::normalise_traced(&mut document, &mut origins).map_err(|d| vec![located(d)])?;
    // Diagnostics inside components hoisted from `$ref` targets name the place they came from.
    let located = |d: Diagnostic| located(crate::normalise::relocate(d, &origins));
    let spec = crate::parse::parse(&document).map_err(|d| vec![located(d)])?;
    drop_aside(document);
    let lowered = crate::lower::lower(&spec, options);
    drop_aside(spec);
    warnings.extend(lowered.diagnostics);
    let warnings: Vec<Diagnostic> = warnings.into_iter().map(located).collect();
    if warnings.iter().any(Diagnostic::is_error) {
        return Err(warnings.into_iter().filter(Diagnostic::is_error).collect());
    }
    Ok((lowered.api, warnings))
}

/// Drops `value` on another thread: freeing a large spec's tree (GitHub's: a few hundred
/// thousand allocations) need not delay the stages after it.
fn drop_aside<T: Send + 'static>(value: T) {
    // When no thread can be spawned, the value is dropped here, with the closure.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
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
    files.push(CrateFile { path: "src/runtime.rs".into(), contents: format!("{header}\n{}", crate::RUNTIME_SOURCE) });
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

//! What to generate: the loaded specs with their options, the crate to make, the generator's
//! options. A leaf module: every stage may read these types, none needs the orchestrator
//! ([`crate::pipeline`]) for them.

use crate::diagnostics::Diagnostic;

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
    /// Keep strings of every format (`date-time`, `date`, `uuid`, `ipv4`, `ipv6`, `ip`) as `String`
    /// instead of chrono, uuid and `std::net` types.
    pub formats_as_strings: bool,
    /// Read no integer `format` but `int32`: `int8`, `uint32`, `uint64`, ... are `i64`, as
    /// integers without a format are, instead of the sized types (`i8`, `u32`, `u64`, ...).
    pub plain_integers: bool,
    /// Keep the properties a struct does not declare in a map of extras
    /// (`additional_properties: BTreeMap<String, serde_json::Value>`), so values pass through
    /// losslessly; off by default (a field and a map per struct).
    pub keep_unknown: bool,
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

/// How the generated crate is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One module per API, each behind a cargo feature.
    Modules,
    /// One API at the crate root.
    Standalone,
}

/// Generator options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Turn warnings into errors.
    pub strict: bool,
}

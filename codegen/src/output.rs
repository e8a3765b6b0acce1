//! What generation returns: the crate's files in memory and a report per spec. A leaf module,
//! read by [`crate::write`] (which writes or compares the files) and the release planning in
//! [`crate::changelog`].

use crate::diagnostics::Diagnostic;
use std::time::Duration;

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

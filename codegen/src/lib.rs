//! OpenAPI to Rust client generator.
//!
//! The pipeline runs in one direction, one stage per module:
//! [`load`] (files -> JSON document) -> [`normalise`] (3.1 -> 3.0 shape) -> [`parse`] (openapiv3)
//! -> [`lower`] (the resolved model in [`ir`]) -> [`emit`] (tokens) -> [`format`] (prettyplease)
//! -> [`write`] (files, or a drift check). Only `load` and `write` touch the file system.

pub mod changelog;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod ir;
pub mod lines;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalise;
pub mod overlay;
pub mod parse;
pub mod pipeline;
pub mod sanitise;
pub mod workspace;
pub mod write;

pub use diagnostics::{Diagnostic, Severity};
pub use emit::Layout;
pub use pipeline::{
    generate_crate, lower_document, ApiOptions, ApiReport, ApiSource, CrateFile, CrateSpec, GeneratedCrate, Options,
};

/// Source of the runtime module, emitted verbatim into every generated crate.
pub const RUNTIME_SOURCE: &str = include_str!("runtime/runtime.rs");

#[cfg(test)]
#[allow(dead_code)]
#[path = "runtime/runtime.rs"]
mod runtime;
#[cfg(test)]
mod runtime_tests;

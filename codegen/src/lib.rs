//! OpenAPI to Rust client generator.
//!
//! The pipeline runs in one direction, one stage per module:
//! [`load`] (files -> JSON document) -> [`normalise`] (3.1 -> 3.0 shape) -> [`parse`] (openapiv3)
//! -> [`lower`] (the resolved model in [`ir`]) -> [`plan`] (decisions about the whole API) ->
//! [`emit`] (tokens) -> [`format`] (prettyplease) -> [`write`] (files, or a drift check).
//! [`pipeline`] chains them and [`workspace`] runs the project's specs; no stage imports either.
//! Only the loaders (`load`, `overlay`, `workspace`) and `write` touch the file system. The map,
//! the invariants and recipes: `ARCHITECTURE.md` at the repository root.

pub mod changelog;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod frontend;
pub mod ir;
pub mod lines;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalise;
pub mod options;
pub mod output;
pub mod overlay;
pub mod parse;
pub mod part;
pub mod pipeline;
pub mod plan;
pub mod runtime;
pub mod sanitise;
pub mod workspace;
pub mod write;

pub use diagnostics::{Diagnostic, Severity};
pub use emit::Layout;
pub use pipeline::{
    generate_crate, lower_document, ApiOptions, ApiReport, ApiSource, CrateFile, CrateSpec, GeneratedCrate, Options,
};

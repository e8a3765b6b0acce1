//! The runtime every generated client crate receives as its `runtime` module.
//!
//! [`runtime`] (`src/runtime/`) is that module: codegen embeds its files at build time and writes
//! them, unchanged apart from the generated-file header, as `src/runtime/` of each generated crate,
//! and writes this crate's `[dependencies]` into the generated `Cargo.toml`. This root only
//! declares the module under the same name, so every path is the same here as there:
//! `$crate::runtime::...` in the macros, `super::...` between its files.
//!
//! The tests are in `src/tests/`, one file per runtime module, outside the folder that is copied:
//! nothing has to be cut out of a file before it is emitted.

pub mod runtime;

#[cfg(test)]
mod tests;

//! The front of the pipeline for one loaded document: normalise -> parse -> lower, with every
//! diagnostic located in the spec file. Shared by [`crate::pipeline`] (generation) and
//! [`crate::diff`] (comparing two versions of a spec).

use crate::diagnostics::Diagnostic;
use crate::ir::Api;
use crate::options::ApiOptions;

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

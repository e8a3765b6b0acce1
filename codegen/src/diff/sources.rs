//! The project's specs before and after, matched by module: each pair lowered and compared.

use super::{compare, Change, ChangeKind, Context, Impact, Item, Location, Subject};
use crate::diagnostics::Diagnostic;
use crate::frontend::lower_document;
use crate::ir::Api;
use crate::options::ApiSource;

/// Lowers one loaded spec with its options; warnings are for the generator's report, not here.
fn lower(source: &ApiSource) -> Result<Api, Vec<Diagnostic>> {
    lower_document(&source.file, source.document.clone(), &source.options).map(|(api, _warnings)| api)
}

/// Every change between two sets of specs generated as modules of one crate (no tag features):
/// modules added and removed, then each module's changes. Errors of every spec that does not
/// lower are returned together.
pub fn compare_sources(old: &[ApiSource], new: &[ApiSource]) -> Result<Vec<Change>, Vec<Diagnostic>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for after in new {
        let Some(before) = old.iter().find(|s| s.module == after.module) else {
            found.push(module_change(after, true));
            continue;
        };
        match (lower(before), lower(after)) {
            (Ok(old_api), Ok(new_api)) => {
                let context = Context {
                    old_file: before.file.clone(),
                    new_file: after.file.clone(),
                    module: Some(after.module.clone()),
                    tag_features: false,
                };
                found.extend(compare(&old_api, &new_api, &context));
            }
            (old_result, new_result) => {
                errors.extend(old_result.err().into_iter().flatten());
                errors.extend(new_result.err().into_iter().flatten());
            }
        }
    }
    for before in old.iter().filter(|s| !new.iter().any(|n| n.module == s.module)) {
        found.push(module_change(before, false));
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// A module (and the cargo feature of the same name) added or removed.
fn module_change(source: &ApiSource, added: bool) -> Change {
    let subject = Subject { module: None, item: Item::Module, name: source.module.clone(), member: None };
    let location = Some(Location { file: source.file.clone(), pointer: "#".to_owned() });
    if added {
        let reason = format!("new module `{}` (and cargo feature) from {}", source.module, source.file);
        Change { kind: ChangeKind::ModuleAdded, impact: Impact::Compatible, subject, reason, old: None, new: location }
    } else {
        let reason = format!("removed: module `{}` and its cargo feature are gone", source.module);
        Change { kind: ChangeKind::ModuleRemoved, impact: Impact::Breaking, subject, reason, old: location, new: None }
    }
}

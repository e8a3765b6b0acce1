//! Operations that share one error enum.

use crate::ir::{Api, BodyKind, Operation, Response};
use std::collections::HashMap;

/// Operations whose error enums would be the same (statuses, bodies, docs) share one: the first
/// such operation's. The others' `…Error` names are aliases of it, so every operation keeps its
/// own error type name while the crate compiles one enum per distinct shape (Oxide's 317
/// operations have a handful).
#[derive(Debug, Default)]
pub struct ErrorGroups<'a> {
    /// Operation name to the error enum it shares, when another operation owns that one.
    pub alias_of: HashMap<&'a str, &'a str>,
    /// Owning operation name to the operations whose error enum it is, itself first.
    pub members: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> ErrorGroups<'a> {
    /// The groups of `api`'s operations that have an error enum.
    pub fn of(api: &'a Api) -> Self {
        let mut owner_of_shape: HashMap<String, &'a Operation> = HashMap::new();
        let mut alias_of = HashMap::new();
        let mut members: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for op in &api.operations {
            let Some(shape) = error_shape(op) else { continue };
            let owner = *owner_of_shape.entry(shape).or_insert(op);
            if owner.name != op.name {
                alias_of.insert(op.name.as_str(), owner.names.error.as_str());
            }
            members.entry(owner.name.as_str()).or_default().push(op.name.as_str());
        }
        Self { alias_of, members }
    }
}

/// What makes two operations' error enums the same: each error response's status, first line of
/// description and body type, in the order the emitted error enum reads them. `None` when it has
/// none.
fn error_shape(op: &Operation) -> Option<String> {
    let errors: Vec<&Response> = op.responses.iter().filter(|r| !r.status.is_success()).collect();
    if !errors.iter().any(|r| matches!(r.body, Some(BodyKind::Json(_)))) {
        return None;
    }
    let mut shape = String::new();
    for r in errors {
        let body = match &r.body {
            Some(BodyKind::Json(ty)) => format!("{ty:?}"),
            _ => String::new(),
        };
        let description = r.description.lines().next().unwrap_or("").trim();
        shape.push_str(&format!("{}\u{1f}{description}\u{1f}{body}\u{1e}", r.status.text()));
    }
    Some(shape)
}

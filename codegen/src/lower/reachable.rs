//! Dropping the types no kept operation uses, when only some operations are generated.

use super::Lowerer;
use crate::ir::{BodyKind, Operation, Success, TypeKind, TypeRef};
use std::collections::{HashMap, HashSet};

impl Lowerer<'_> {
    /// Keeps only the types reachable from `operations`' parameters, bodies and responses.
    pub(super) fn keep_reachable(&mut self, operations: &[Operation]) {
        let mut pending: Vec<String> = Vec::new();
        for op in operations {
            let body = op.body.iter().map(|b| &b.kind);
            let responses = op.responses.iter().filter_map(|r| r.body.as_ref());
            let success = match &op.success {
                Success::Body { kind, .. } => Some(kind),
                Success::Empty => None,
            };
            for kind in body.chain(responses).chain(success) {
                if let BodyKind::Json(ty) = kind {
                    named_in(ty, &mut pending);
                }
            }
            for param in &op.params {
                named_in(&param.ty, &mut pending);
            }
            pending.extend(op.params_type.iter().cloned());
        }
        let by_name: HashMap<&str, &TypeKind> = self.types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
        let mut reachable: HashSet<String> = HashSet::new();
        while let Some(name) = pending.pop() {
            if !reachable.insert(name.clone()) {
                continue;
            }
            let Some(kind) = by_name.get(name.as_str()) else { continue };
            match kind {
                TypeKind::Struct { fields, additional } => {
                    fields.iter().for_each(|f| named_in(&f.ty, &mut pending));
                    additional.iter().for_each(|t| named_in(t, &mut pending));
                }
                TypeKind::Params { fields } => fields.iter().for_each(|f| named_in(&f.ty, &mut pending)),
                TypeKind::Untagged { variants } => variants.iter().for_each(|(_, t)| named_in(t, &mut pending)),
                TypeKind::Alias { target } => named_in(target, &mut pending),
                TypeKind::StringEnum { .. } => {}
            }
        }
        self.types.retain(|t| reachable.contains(&t.name));
    }
}

fn named_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named_in(inner, out),
        TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Object => {}
    }
}

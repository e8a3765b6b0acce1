//! Which derives the model's types can have.

use crate::ir::{Primitive, TypeDef, TypeRef};
use std::collections::{HashMap, HashSet};

/// Types that cannot derive `Eq`: those holding a float, directly or through other types.
pub fn types_without_eq(types: &[TypeDef]) -> HashSet<&str> {
    let mut users: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut pending: Vec<&str> = Vec::new();
    for def in types {
        let refs = def.kind.type_refs();
        let mut has_float = false;
        for ty in refs {
            walk(ty, &mut |leaf| match leaf {
                TypeRef::Primitive(Primitive::F32 | Primitive::F64) => has_float = true,
                TypeRef::Named(name) => users.entry(name.as_str()).or_default().push(def.name.as_str()),
                _ => {}
            });
        }
        if has_float {
            pending.push(def.name.as_str());
        }
    }
    let mut no_eq = HashSet::new();
    while let Some(name) = pending.pop() {
        if no_eq.insert(name) {
            pending.extend(users.get(name).into_iter().flatten().copied());
        }
    }
    no_eq
}

fn walk<'t>(ty: &'t TypeRef, visit: &mut impl FnMut(&'t TypeRef)) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => walk(inner, visit),
        leaf => visit(leaf),
    }
}

//! Pass 2: fields and union variants stored inline on a cycle are boxed.

use super::{name_index, strongly_connected};
use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Pass 2: marks the fields and union variants that must be boxed.
pub(super) fn box_inline_cycles(types: &mut [TypeDef]) {
    let index = name_index(types);
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| inline_targets(&t.kind).iter().filter_map(|name| index.get(name).copied()).collect())
        .collect();
    let component = strongly_connected(&edges);
    let on_cycle = |i: usize, ty: &TypeRef| {
        inline_name(ty).and_then(|n| index.get(n)).is_some_and(|&t| component[t] == component[i])
    };
    for (i, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                for field in fields {
                    field.boxed = on_cycle(i, &field.ty);
                }
            }
            TypeKind::Untagged { variants, boxed } => {
                *boxed = variants.iter().enumerate().filter(|(_, (_, ty))| on_cycle(i, ty)).map(|(k, _)| k).collect();
            }
            TypeKind::Tagged { variants, .. } => {
                for variant in variants {
                    variant.boxed = on_cycle(i, &variant.ty);
                }
            }
            _ => {}
        }
    }
}

/// The named type stored inline by a value of `ty`, if any.
pub(super) fn inline_name(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) => inline_name(inner),
        _ => None,
    }
}

fn inline_targets(kind: &TypeKind) -> Vec<String> {
    kind.type_refs().into_iter().filter_map(inline_name).map(str::to_owned).collect()
}

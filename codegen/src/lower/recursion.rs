//! Breaking cycles of directly contained types with `Box`.
//!
//! A field whose type is stored inline (not behind `Vec` or a map) and that lies on a cycle
//! of such fields would make an infinitely sized type. Cycles are the strongly connected
//! components of the "contains inline" graph (Tarjan's algorithm, linear in types + fields).

use super::Lowerer;
use crate::ir::{TypeKind, TypeRef};
use std::collections::HashMap;

impl Lowerer<'_> {
    /// Marks the fields that must be boxed.
    pub(super) fn finish_types(&mut self) {
        let index: HashMap<String, usize> = self.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        let edges: Vec<Vec<usize>> = self
            .types
            .iter()
            .map(|t| inline_targets(&t.kind).iter().filter_map(|name| index.get(name).copied()).collect())
            .collect();
        let component = strongly_connected(&edges);
        for (i, def) in self.types.iter_mut().enumerate() {
            let TypeKind::Struct { fields, .. } = &mut def.kind else { continue };
            for field in fields {
                if let Some(target) = inline_name(&field.ty).and_then(|n| index.get(n)) {
                    field.boxed = component[*target] == component[i];
                }
            }
        }
    }
}

/// The named type stored inline by a value of `ty`, if any.
fn inline_name(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Nullable(inner) => inline_name(inner),
        _ => None,
    }
}

fn inline_targets(kind: &TypeKind) -> Vec<String> {
    kind.type_refs().into_iter().filter_map(inline_name).map(str::to_owned).collect()
}

/// Component id of every node (iterative Tarjan, so deep specs cannot overflow the stack).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut index, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut on_stack, mut stack, mut next_index, mut next_component) = (vec![false; n], Vec::new(), 0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNSEEN {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&target) = edges[node].get(*edge) {
                *edge += 1;
                if index[target] == UNSEEN {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 is not on it; 4 -> 4 is a self-loop.
        let c = strongly_connected(&[vec![1], vec![2], vec![0], vec![0], vec![4]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }
}

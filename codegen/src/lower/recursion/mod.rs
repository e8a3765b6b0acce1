//! Making recursive and deeply nested types compile.
//!
//! Three passes over the named types, after every schema is lowered:
//!
//! 1. **Aliases that mention themselves.** A Rust type alias cannot refer to itself, even through
//!    `Vec`. An alias on a cycle of aliases through an array, map or `Option` (`A: {type: array,
//!    items: {$ref: A}}`) becomes a newtype struct. A cycle of bare references (`A: {$ref: B}`,
//!    `B: {$ref: A}`) holds no value at all: error E0032, at each cycle's first alias.
//! 2. **Infinitely sized types.** A field or union variant stored inline (not behind `Vec` or a
//!    map) on a cycle of such types is boxed. Cycles are the strongly connected components of
//!    the "contains inline" graph (Tarjan's algorithm, linear in types + fields).
//! 3. **Nesting the compiler cannot follow.** rustc stops at 128 levels when it follows a type
//!    into the types it contains: drop check, auto traits (`Send`, `Sync`), layout. A long cycle
//!    (200 structs, each requiring the next) or a deep chain of nested objects passes that limit,
//!    however boxed. Each reference gets a cost close to the levels it takes (see [`Cost`]); where
//!    the deepest walk the compiler may take passes [`BUDGET`], references are read as
//!    `serde_json::Value` (warning W0033), chosen so that no walk is longer than the budget.
//!
//! One file per pass: [`aliases`], [`boxing`], [`depth`].

mod aliases;
mod boxing;
mod depth;
#[cfg(test)]
mod tests;

use super::Lowerer;
use crate::diagnostics::Diagnostic;
use crate::ir::TypeDef;
use aliases::self_referring_aliases;
use boxing::box_inline_cycles;
use depth::cut_deep_references;
use std::collections::HashMap;

impl Lowerer<'_> {
    /// Newtypes for self-referring aliases, boxes for infinitely sized types, and `Value` where
    /// nesting is deeper than the compiler follows.
    pub(super) fn finish_types(&mut self) {
        finish(&mut self.types, &mut self.diagnostics);
    }
}

fn finish(types: &mut [TypeDef], diagnostics: &mut Vec<Diagnostic>) {
    if !self_referring_aliases(types, diagnostics) {
        return;
    }
    box_inline_cycles(types);
    cut_deep_references(types, diagnostics);
}

fn name_index(types: &[TypeDef]) -> HashMap<String, usize> {
    types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect()
}

/// Component id of every node (iterative Tarjan, so deep specs cannot overflow the stack).
/// Components are numbered in the order they complete: every edge out of a component leads to
/// one with a lower number.
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

//! Pass 1: aliases that mention themselves become newtypes; a cycle of bare references is E0032.

use super::boxing::inline_name;
use super::{name_index, strongly_connected};
use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeKind};

/// Pass 1. Returns false when a cycle of bare references was reported.
pub(super) fn self_referring_aliases(types: &mut [TypeDef], diagnostics: &mut Vec<Diagnostic>) -> bool {
    let index = name_index(types);
    let target_of = |types: &[TypeDef], i: usize| match &types[i].kind {
        TypeKind::Alias { target } => Some(target.clone()),
        _ => None,
    };
    // Bare references: each alias names at most one type inline, so walks are chains.
    let (unseen, walking, done) = (0u8, 1u8, 2u8);
    let mut state = vec![unseen; types.len()];
    let mut ok = true;
    for start in 0..types.len() {
        let mut walk = Vec::new();
        let mut at = start;
        let mut cyclic = false;
        loop {
            if state[at] != unseen {
                cyclic = state[at] == walking;
                break;
            }
            let Some(target) = target_of(types, at) else { break };
            state[at] = walking;
            walk.push(at);
            match inline_name(&target).and_then(|name| index.get(name)) {
                Some(&next) => at = next,
                None => break,
            }
        }
        if cyclic {
            let from = walk.iter().position(|&w| w == at).unwrap_or(0);
            diagnostics.push(bare_cycle(types, &walk[from..]));
            ok = false;
        }
        for w in walk {
            state[w] = done;
        }
    }
    if !ok {
        return false;
    }
    // Cycles through arrays, maps and `Option`: alias -> alias edges anywhere in the target.
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Alias { target } => {
                let mut named = Vec::new();
                target.collect_named(&mut named);
                named
                    .iter()
                    .filter_map(|n| index.get(n).copied())
                    .filter(|&j| matches!(types[j].kind, TypeKind::Alias { .. }))
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut sizes = vec![0usize; types.len()];
    for &c in &component {
        sizes[c] += 1;
    }
    for (i, def) in types.iter_mut().enumerate() {
        let cyclic = sizes[component[i]] > 1 || edges[i].contains(&i);
        if let (true, TypeKind::Alias { target }) = (cyclic, &def.kind) {
            def.kind = TypeKind::Newtype { target: target.clone() };
        }
    }
    true
}

/// E0032 for a cycle of aliases that name each other directly, at its first alias in spec order.
fn bare_cycle(types: &[TypeDef], cycle: &[usize]) -> Diagnostic {
    let first = cycle.iter().enumerate().min_by_key(|(_, &i)| i).map_or(0, |(k, _)| k);
    let ordered: Vec<usize> = cycle[first..].iter().chain(&cycle[..first]).copied().collect();
    const SHOWN: usize = 8;
    let mut steps: Vec<String> = ordered.iter().take(SHOWN).map(|&i| format!("`{}`", types[i].pointer)).collect();
    if ordered.len() > SHOWN {
        steps.push(format!("... ({} more)", ordered.len() - SHOWN));
    }
    steps.push(format!("`{}`", types[ordered[0]].pointer));
    Diagnostic::error(
        "E0032",
        types[ordered[0]].pointer.clone(),
        format!("a `$ref` chain is cyclic: {}; no value has this type", steps.join(" -> ")),
    )
}

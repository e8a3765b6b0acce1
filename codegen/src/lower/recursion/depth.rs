//! Pass 3: references read as `serde_json::Value` (W0033) where the deepest walk rustc may take
//! into a type would pass [`BUDGET`].

use super::{name_index, strongly_connected};
use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::HashMap;

/// The deepest walk, in [`Cost`] units (about one compiler level each), a type may need. rustc's
/// limit is 128; the rest is left for the user's own wrappers (`Result<Vec<T>, _>`, futures).
pub(super) const BUDGET: u32 = 100;
/// The levels of a band when references are cut (see [`cut_deep_references`]).
const BAND: u32 = 64;
/// Cycles whose longest path costs at most this are kept whole when cutting: they are the
/// ordinary recursive types (a tree node and its children, two types that refer to each other).
const SMALL_CYCLE: u32 = 24;

/// What a reference costs each of the compiler's walks through types, in its levels (rustc
/// stops at 128), measured with chains of structs each holding the next:
///
/// - trait selection (`T: Send`, `Sync`): a required field takes 1 level, an `Option` 2, a
///   `Box` 3, a `Vec` or map 4 (overflows at 128, 64, 43 and 32 types);
/// - drop check: each generic wrapper (`Option`, `Box`, `Vec`) 1 level, a map 2, a type held
///   inline none (overflows at 128 `Box`es or 64 maps);
/// - layout: a type held inline 1, in an `Option` 2 (overflows between 100 and 200, and at 70);
///   behind a pointer (`Box`, `Vec`, map) none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cost {
    send: u32,
    drop: u32,
    /// `None` when the reference is behind a pointer.
    layout: Option<u32>,
}

impl Cost {
    /// A reference to a type held inline.
    const INLINE: Cost = Cost { send: 1, drop: 0, layout: Some(1) };

    fn option(self) -> Self {
        Cost { send: self.send + 1, drop: self.drop + 1, layout: self.layout.map(|l| l + 1) }
    }

    fn boxed(self) -> Self {
        Cost { send: self.send + 2, drop: self.drop + 1, layout: None }
    }

    fn collection(self, drop: u32) -> Self {
        Cost { send: self.send + 3, drop: self.drop + drop, layout: None }
    }
}

/// Where a reference sits in its type, so that it can be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Field(usize),
    Additional,
    Variant(usize),
    Newtype,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    slot: Slot,
    to: usize,
    cost: Cost,
}

/// The references from each type to the types (other than aliases, which are followed, and
/// enums of values, which hold none) that a value of it holds, with their cost.
fn costed_edges(types: &[TypeDef]) -> Vec<Vec<Edge>> {
    let index = name_index(types);
    // Aliases no longer form cycles (pass 1), so a walk ends within `types.len()` aliases.
    let reach = |ty: &TypeRef, mut cost: Cost| -> Option<(usize, Cost)> {
        let mut ty = ty;
        let mut aliases = 0;
        loop {
            match ty {
                TypeRef::Named(name) => {
                    let &i = index.get(name.as_str())?;
                    match &types[i].kind {
                        TypeKind::Alias { target } if aliases <= types.len() => {
                            aliases += 1;
                            ty = target;
                        }
                        TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } | TypeKind::Alias { .. } => {
                            return None
                        }
                        _ => return Some((i, cost)),
                    }
                }
                TypeRef::Array(inner) => {
                    cost = cost.collection(1);
                    ty = inner;
                }
                TypeRef::Map(inner) => {
                    cost = cost.collection(2);
                    ty = inner;
                }
                TypeRef::Nullable(inner) => {
                    cost = cost.option();
                    ty = inner;
                }
                TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Object => return None,
            }
        }
    };
    let boxed = |cost: Cost, boxed: bool| if boxed { cost.boxed() } else { cost };
    types
        .iter()
        .map(|def| {
            let mut out = Vec::new();
            let mut push = |slot: Slot, ty: &TypeRef, cost: Cost| {
                if let Some((to, cost)) = reach(ty, cost) {
                    out.push(Edge { slot, to, cost });
                }
            };
            match &def.kind {
                TypeKind::Struct { fields, additional } => {
                    for (k, field) in fields.iter().enumerate() {
                        // An optional field is an `Option` (a nullable one's `Option` is its type's).
                        let optional = !field.required && !matches!(field.ty, TypeRef::Nullable(_));
                        let cost = if optional { Cost::INLINE.option() } else { Cost::INLINE };
                        push(Slot::Field(k), &field.ty, boxed(cost, field.boxed));
                    }
                    if let Some(extra) = additional {
                        push(Slot::Additional, extra, Cost::INLINE.collection(2));
                    }
                }
                TypeKind::Params { fields } => {
                    for (k, field) in fields.iter().enumerate() {
                        push(Slot::Field(k), &field.ty, Cost::INLINE.option());
                    }
                }
                TypeKind::Untagged { variants, boxed: indexes } => {
                    for (k, (_, ty)) in variants.iter().enumerate() {
                        push(Slot::Variant(k), ty, boxed(Cost::INLINE, indexes.contains(&k)));
                    }
                }
                TypeKind::Tagged { variants, .. } => {
                    for (k, variant) in variants.iter().enumerate() {
                        push(Slot::Variant(k), &variant.ty, boxed(Cost::INLINE, variant.boxed));
                    }
                }
                TypeKind::Newtype { target } => push(Slot::Newtype, target, Cost::INLINE),
                TypeKind::Alias { .. } | TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } => {}
            }
            out
        })
        .collect()
}

/// Edge visits the simulated walks may take in all (about a second's work at worst); past it,
/// references are cut as if a walk were too deep.
const WALK_WORK: usize = 50_000_000;

/// Pass 3: where one of the compiler's walks through the types could pass [`BUDGET`], cuts
/// references (reads them as `serde_json::Value`, warning W0033) so that none can.
///
/// Layout follows every type held inline (a graph without cycles, once boxed): its deepest walk
/// is the longest path, computed exactly. Trait selection registers each type once, at the
/// fewest levels from the start (a shortest path); drop check marks each type it meets and
/// expands the last one first (a depth-first order): both are bounded by the longest path, and
/// when that bound passes the budget (in a large cycle, like Stripe's 239 mutually recursive
/// types) both walks are simulated from every type it could start from.
///
/// Only when a walk passes the budget are references cut, by trait selection's costs (the
/// highest): in each cycle that is not small, the back edges of a depth-first search; then,
/// with the types ordered by the cost of the longest path that reaches them, every reference
/// that crosses from one band of [`BAND`] levels into another. A path that cuts nothing stays
/// within one band and one small cycle: under `BAND + SMALL_CYCLE` levels.
pub(super) fn cut_deep_references(types: &mut [TypeDef], diagnostics: &mut Vec<Diagnostic>) {
    let edges = costed_edges(types);
    let component = strongly_connected(&edges.iter().map(|e| e.iter().map(|e| e.to).collect()).collect::<Vec<_>>());
    let components = component.iter().max().map_or(0, |&c| c + 1);
    // The longest path inside a cycle is at most (members - 1) x its costliest reference.
    let mut members = vec![0u32; components];
    let mut costliest = vec![(0u32, 0u32); components];
    for (from, out) in edges.iter().enumerate() {
        let c = component[from];
        members[c] += 1;
        for edge in out.iter().filter(|e| component[e.to] == c) {
            costliest[c] = (costliest[c].0.max(edge.cost.send), costliest[c].1.max(edge.cost.drop));
        }
    }
    let inside = |c: usize, cost: u32| members[c].saturating_sub(1).saturating_mul(cost);
    // Tarjan numbers components sinks first: every reference out of one leads to a lower number.
    let mut by_component: Vec<Vec<usize>> = vec![Vec::new(); components];
    for (i, &c) in component.iter().enumerate() {
        by_component[c].push(i);
    }
    let mut longest = vec![(0u32, 0u32); components];
    for c in 0..components {
        let mut after = (0u32, 0u32);
        for edge in by_component[c].iter().flat_map(|&i| &edges[i]).filter(|e| component[e.to] != c) {
            let (send, drop) = longest[component[edge.to]];
            after =
                (after.0.max(send.saturating_add(edge.cost.send)), after.1.max(drop.saturating_add(edge.cost.drop)));
        }
        longest[c] =
            (inside(c, costliest[c].0).saturating_add(after.0), inside(c, costliest[c].1).saturating_add(after.1));
    }
    let too_deep = deepest_layout(&edges) > BUDGET || {
        let mut suspects =
            (0..types.len()).filter(|&i| longest[component[i]].0 > BUDGET || longest[component[i]].1 > BUDGET);
        let mut walks = Walks::new(edges.len());
        suspects.any(|root| walks.too_deep(&edges, root))
    };
    if too_deep {
        let send_inside: Vec<u32> = (0..components).map(|c| inside(c, costliest[c].0)).collect();
        for (from, slot) in bands(&edges, &component, &send_inside) {
            cut(&mut types[from], slot, diagnostics);
        }
    }
}

/// The longest path through references held inline (layout's walk).
fn deepest_layout(edges: &[Vec<Edge>]) -> u32 {
    const UNKNOWN: u32 = u32::MAX;
    let mut depth = vec![UNKNOWN; edges.len()];
    let mut open = vec![false; edges.len()];
    for root in 0..edges.len() {
        if depth[root] != UNKNOWN {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        open[root] = true;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(edge) = edges[node].get(*next) {
                *next += 1;
                // A cycle held inline cannot remain (pass 2 boxes it); skip one if it did.
                if edge.cost.layout.is_some() && depth[edge.to] == UNKNOWN && !open[edge.to] {
                    open[edge.to] = true;
                    stack.push((edge.to, 0));
                }
                continue;
            }
            let deepest = edges[node]
                .iter()
                .filter_map(|e| Some(e.cost.layout?.saturating_add(depth[e.to].min(UNKNOWN - 1))))
                .filter(|&d| d < UNKNOWN - 1)
                .max()
                .unwrap_or(0);
            depth[node] = deepest;
            open[node] = false;
            stack.pop();
        }
    }
    depth.into_iter().max().unwrap_or(0)
}

/// The simulated walks of trait selection and drop check, sharing their work budget and the
/// memory they mark types in.
struct Walks {
    /// The walk that last marked each type.
    marked: Vec<usize>,
    walk: usize,
    work: usize,
    depth: Vec<u32>,
    /// The types to visit at each level (trait selection).
    queues: Vec<Vec<usize>>,
}

impl Walks {
    fn new(n: usize) -> Self {
        Self { marked: vec![usize::MAX; n], walk: 0, work: 0, depth: vec![0; n], queues: Vec::new() }
    }

    /// Whether either walk from `root` passes the budget (or the work budget is spent).
    fn too_deep(&mut self, edges: &[Vec<Edge>], root: usize) -> bool {
        self.deepest_drop(edges, root, BUDGET) > BUDGET
            || self.deepest_send(edges, root, BUDGET) > BUDGET
            || self.work > WALK_WORK
    }

    fn start(&mut self, root: usize) {
        self.walk += 1;
        self.marked[root] = self.walk;
        self.depth[root] = 0;
    }

    /// Drop check: expanding a type marks every type it holds, at its depth plus the cost; the
    /// last one marked is expanded first. Stops past `limit`.
    fn deepest_drop(&mut self, edges: &[Vec<Edge>], root: usize, limit: u32) -> u32 {
        self.start(root);
        let mut deepest = 0;
        let mut stack = vec![(root, 0u32)];
        while let Some((node, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            if deepest > limit {
                break;
            }
            self.work += edges[node].len();
            for edge in &edges[node] {
                if self.marked[edge.to] != self.walk {
                    self.marked[edge.to] = self.walk;
                    stack.push((edge.to, depth + edge.cost.drop));
                }
            }
        }
        deepest
    }

    /// Trait selection: each type at the fewest levels from the start (Dijkstra's algorithm, with
    /// a queue per level: levels are small integers). Stops past `limit`.
    fn deepest_send(&mut self, edges: &[Vec<Edge>], root: usize, limit: u32) -> u32 {
        self.start(root);
        let levels = limit.min(4 * BUDGET) as usize + 1;
        if self.queues.len() < levels {
            self.queues.resize_with(levels, Vec::new);
        }
        self.queues[0].push(root);
        let mut deepest = 0;
        let mut beyond = Vec::new();
        for level in 0..levels {
            while let Some(node) = self.queues[level].pop() {
                if self.depth[node] as usize != level {
                    continue;
                }
                deepest = level as u32;
                self.work += edges[node].len();
                for edge in &edges[node] {
                    let reached = deepest + edge.cost.send;
                    if self.marked[edge.to] != self.walk || reached < self.depth[edge.to] {
                        self.marked[edge.to] = self.walk;
                        self.depth[edge.to] = reached;
                        match self.queues.get_mut(reached as usize).filter(|_| (reached as usize) < levels) {
                            Some(queue) => queue.push(edge.to),
                            None => beyond.push(edge.to),
                        }
                    }
                }
            }
        }
        // A type first reached past the last level may have been reached again within it.
        if beyond.iter().any(|&i| self.depth[i] as usize >= levels) {
            levels as u32
        } else {
            deepest
        }
    }
}

/// The references to cut (type, slot): see [`cut_deep_references`].
fn bands(edges: &[Vec<Edge>], component: &[usize], inside: &[u32]) -> Vec<(usize, Slot)> {
    let n = edges.len();
    let large = |i: usize| inside[component[i]] > SMALL_CYCLE;
    let mut cuts = Vec::new();
    // Back edges of a depth-first search inside each large cycle (self-references are harmless:
    // a walk never enters a type twice).
    let mut kept: Vec<Vec<Edge>> = edges.to_vec();
    let (unseen, open, closed) = (0u8, 1u8, 2u8);
    let mut state = vec![unseen; n];
    for root in (0..n).filter(|&i| large(i)) {
        if state[root] != unseen {
            continue;
        }
        state[root] = open;
        let mut stack = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&edge) = edges[node].get(*next) else {
                state[node] = closed;
                stack.pop();
                continue;
            };
            *next += 1;
            if component[edge.to] != component[node] || edge.to == node {
                continue;
            }
            if state[edge.to] == open {
                cuts.push((node, edge.slot));
            } else if state[edge.to] == unseen {
                state[edge.to] = open;
                stack.push((edge.to, 0));
            }
        }
    }
    for &(from, slot) in &cuts {
        kept[from].retain(|e| e.slot != slot);
    }
    // What is left: small cycles and single types, in a graph without other cycles. A type's
    // level is the cost of the longest path reaching it (a small cycle counts as long as its
    // longest path inside); a reference whose ends are in different bands of levels is cut.
    let group: Vec<usize> = (0..n).map(|i| if large(i) { n + i } else { component[i] }).collect();
    let dense = {
        let mut ids: HashMap<usize, usize> = HashMap::new();
        group
            .iter()
            .map(|g| {
                let next = ids.len();
                *ids.entry(*g).or_insert(next)
            })
            .collect::<Vec<usize>>()
    };
    let groups = dense.iter().max().map_or(0, |&g| g + 1);
    let mut weight = vec![0u32; groups];
    for i in 0..n {
        if !large(i) {
            weight[dense[i]] = inside[component[i]];
        }
    }
    // Topological order of the groups (Kahn's algorithm on the group graph).
    let mut indegree = vec![0usize; groups];
    let mut out: Vec<Vec<(usize, u32)>> = vec![Vec::new(); groups];
    for (from, list) in kept.iter().enumerate() {
        for edge in list.iter().filter(|e| dense[e.to] != dense[from]) {
            out[dense[from]].push((dense[edge.to], edge.cost.send));
            indegree[dense[edge.to]] += 1;
        }
    }
    let mut level = vec![0u32; groups];
    let mut ready: Vec<usize> = (0..groups).filter(|&g| indegree[g] == 0).collect();
    while let Some(g) = ready.pop() {
        let leaving = level[g].saturating_add(weight[g]);
        for &(to, cost) in &out[g] {
            level[to] = level[to].max(leaving.saturating_add(cost));
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push(to);
            }
        }
    }
    for (from, list) in kept.iter().enumerate() {
        for edge in list.iter().filter(|e| dense[e.to] != dense[from]) {
            if level[dense[from]] / BAND != level[dense[edge.to]] / BAND {
                cuts.push((from, edge.slot));
            }
        }
    }
    cuts.sort_by_key(|&(from, slot)| (from, slot_order(slot)));
    cuts.dedup();
    cuts
}

fn slot_order(slot: Slot) -> (u8, usize) {
    match slot {
        Slot::Field(k) => (0, k),
        Slot::Additional => (1, 0),
        Slot::Variant(k) => (2, k),
        Slot::Newtype => (3, 0),
    }
}

/// Reads one reference as any JSON value.
fn cut(def: &mut TypeDef, slot: Slot, diagnostics: &mut Vec<Diagnostic>) {
    let what = match (&mut def.kind, slot) {
        // Parameters are never cut: nothing refers to them, so they only start walks.
        (TypeKind::Struct { fields, .. }, Slot::Field(k)) => {
            let Some(field) = fields.get_mut(k) else { return };
            field.ty = TypeRef::Any;
            field.boxed = false;
            field.default = None;
            format!("property `{}`", field.wire_name)
        }
        (TypeKind::Struct { additional: Some(extra), .. }, Slot::Additional) => {
            *extra = TypeRef::Any;
            "`additionalProperties`".to_owned()
        }
        (TypeKind::Untagged { variants, boxed }, Slot::Variant(k)) => {
            let Some((name, ty)) = variants.get_mut(k) else { return };
            *ty = TypeRef::Any;
            boxed.retain(|&b| b != k);
            format!("variant `{name}`")
        }
        (TypeKind::Tagged { variants, .. }, Slot::Variant(k)) => {
            let Some(variant) = variants.get_mut(k) else { return };
            variant.ty = TypeRef::Any;
            variant.boxed = false;
            format!("variant `{}`", variant.name)
        }
        (TypeKind::Newtype { target }, Slot::Newtype) => {
            *target = TypeRef::Any;
            "its items".to_owned()
        }
        _ => return,
    };
    diagnostics.push(Diagnostic::warning(
        "W0033",
        def.pointer.clone(),
        format!(
            "types nest deeper than the Rust compiler follows (a long cycle or chain of references): {what} of `{}` \
             is read as any JSON value",
            def.name
        ),
    ));
}

/// The deepest walk of any kind from any type.
#[cfg(test)]
pub(super) fn deepest(types: &[TypeDef]) -> u32 {
    let edges = costed_edges(types);
    let mut walks = Walks::new(types.len());
    let walked = (0..types.len())
        .map(|root| walks.deepest_drop(&edges, root, u32::MAX).max(walks.deepest_send(&edges, root, u32::MAX)));
    walked.chain([deepest_layout(&edges)]).max().unwrap_or(0)
}

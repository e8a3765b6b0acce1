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

use super::Lowerer;
use crate::diagnostics::Diagnostic;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::HashMap;

/// The deepest walk, in [`Cost`] units (about one compiler level each), a type may need. rustc's
/// limit is 128; the rest is left for the user's own wrappers (`Result<Vec<T>, _>`, futures).
const BUDGET: u32 = 100;
/// The levels of a band when references are cut (see [`cut_deep_references`]).
const BAND: u32 = 64;
/// Cycles whose longest path costs at most this are kept whole when cutting: they are the
/// ordinary recursive types (a tree node and its children, two types that refer to each other).
const SMALL_CYCLE: u32 = 24;

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

/// Pass 1. Returns false when a cycle of bare references was reported.
fn self_referring_aliases(types: &mut [TypeDef], diagnostics: &mut Vec<Diagnostic>) -> bool {
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

/// Pass 2: marks the fields and union variants that must be boxed.
fn box_inline_cycles(types: &mut [TypeDef]) {
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
fn cut_deep_references(types: &mut [TypeDef], diagnostics: &mut Vec<Diagnostic>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, Field, TaggedVariant};

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 is not on it; 4 -> 4 is a self-loop.
        let c = strongly_connected(&[vec![1], vec![2], vec![0], vec![0], vec![4]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.to_owned())
    }

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef { name: name.to_owned(), pointer: format!("#/components/schemas/{name}"), docs: Docs::default(), kind }
    }

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            name: name.to_owned(),
            wire_name: name.to_owned(),
            ty,
            required,
            boxed: false,
            docs: Docs::default(),
            constraints: Default::default(),
            default: None,
        }
    }

    fn object(name: &str, fields: Vec<Field>) -> TypeDef {
        def(name, TypeKind::Struct { fields, additional: None })
    }

    fn alias(name: &str, target: TypeRef) -> TypeDef {
        def(name, TypeKind::Alias { target })
    }

    fn run(mut types: Vec<TypeDef>) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        finish(&mut types, &mut diagnostics);
        (types, diagnostics)
    }

    /// A ring of `n` structs, each requiring the next.
    fn ring(n: usize) -> Vec<TypeDef> {
        (0..n)
            .map(|i| {
                object(
                    &format!("A{i}"),
                    vec![field(&format!("a{}", (i + 1) % n), named(&format!("A{}", (i + 1) % n)), true)],
                )
            })
            .collect()
    }

    /// The deepest walk of any kind from any type.
    fn deepest(types: &[TypeDef]) -> u32 {
        let edges = costed_edges(types);
        let mut walks = Walks::new(types.len());
        let walked = (0..types.len())
            .map(|root| walks.deepest_drop(&edges, root, u32::MAX).max(walks.deepest_send(&edges, root, u32::MAX)));
        walked.chain([deepest_layout(&edges)]).max().unwrap_or(0)
    }

    #[test]
    fn aliases_naming_each_other_are_a_cycle_at_the_first() {
        let (_, diagnostics) = run(vec![alias("A", named("B")), alias("B", TypeRef::Nullable(Box::new(named("A"))))]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        let d = &diagnostics[0];
        assert_eq!((d.code, d.pointer.as_str()), ("E0032", "#/components/schemas/A"));
        assert!(
            d.message.contains("`#/components/schemas/A` -> `#/components/schemas/B` -> `#/components/schemas/A`"),
            "{}",
            d.message
        );
        let (_, diagnostics) = run(vec![alias("S", named("S"))]);
        assert_eq!(diagnostics[0].code, "E0032");
    }

    #[test]
    fn aliases_through_arrays_and_maps_become_newtypes() {
        let list = alias("List", TypeRef::Array(Box::new(named("List"))));
        let a = alias("A", TypeRef::Map(Box::new(named("B"))));
        let b = alias("B", TypeRef::Nullable(Box::new(named("A"))));
        let plain = alias("Plain", TypeRef::Array(Box::new(named("List"))));
        let (types, diagnostics) = run(vec![list, a, b, plain]);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert!(matches!(types[0].kind, TypeKind::Newtype { .. }));
        assert!(matches!(types[1].kind, TypeKind::Newtype { .. }));
        assert!(matches!(types[2].kind, TypeKind::Newtype { .. }));
        assert!(matches!(types[3].kind, TypeKind::Alias { .. }), "not on a cycle");
    }

    #[test]
    fn union_variants_on_a_cycle_are_boxed() {
        let u = def(
            "U",
            TypeKind::Untagged {
                variants: vec![
                    ("S".into(), TypeRef::Primitive(crate::ir::Primitive::String)),
                    ("U".into(), named("U")),
                ],
                boxed: Vec::new(),
            },
        );
        let m1 = def("M1", TypeKind::Untagged { variants: vec![("M2".into(), named("M2"))], boxed: Vec::new() });
        let m2 = def(
            "M2",
            TypeKind::Tagged {
                property: "kind".into(),
                variants: vec![TaggedVariant {
                    name: "M1".into(),
                    tags: vec!["m1".into()],
                    ty: named("V"),
                    boxed: false,
                }],
            },
        );
        let v = alias("V", named("M1"));
        let (types, diagnostics) = run(vec![u, m1, m2, v]);
        assert!(diagnostics.is_empty());
        assert!(matches!(&types[0].kind, TypeKind::Untagged { boxed, .. } if boxed == &[1]));
        assert!(matches!(&types[1].kind, TypeKind::Untagged { boxed, .. } if boxed == &[0]));
        assert!(matches!(&types[2].kind, TypeKind::Tagged { variants, .. } if variants[0].boxed));
    }

    #[test]
    fn short_cycles_and_chains_are_left_alone() {
        let (types, diagnostics) = run(ring(30));
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert!(types.iter().all(|t| matches!(&t.kind, TypeKind::Struct { fields, .. } if fields[0].boxed)));
        // A large cycle of short paths (as Stripe's 187 types that expand into each other): a
        // hub holding 150 types, each holding the hub.
        let hub = object(
            "Hub",
            (0..150)
                .map(|i| field(&format!("d{i}"), TypeRef::Array(Box::new(named(&format!("D{i}")))), false))
                .collect(),
        );
        let mut dense: Vec<TypeDef> =
            (0..150).map(|i| object(&format!("D{i}"), vec![field("hub", named("Hub"), false)])).collect();
        dense.push(hub);
        let (types, diagnostics) = run(dense);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert!(deepest(&types) <= 10);
    }

    #[test]
    fn random_graphs_fit_after_cutting() {
        // A small linear congruential generator: the same graphs on every run.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |bound: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % bound
        };
        let mut rounds_with_cuts = 0;
        for round in 0..40 {
            let n = 50 + next(500);
            let types: Vec<TypeDef> = (0..n)
                .map(|i| {
                    let fields = (0..next(4))
                        .map(|k| {
                            // Mostly to a near type (long chains and cycles), sometimes anywhere.
                            let to = if next(4) == 0 { next(n) } else { (i + 1 + next(3)) % n };
                            let mut ty = named(&format!("T{to}"));
                            for _ in 0..next(3) {
                                ty = match next(3) {
                                    0 => TypeRef::Array(Box::new(ty)),
                                    1 => TypeRef::Map(Box::new(ty)),
                                    _ => TypeRef::Nullable(Box::new(ty)),
                                };
                            }
                            field(&format!("f{k}"), ty, next(2) == 0)
                        })
                        .collect();
                    object(&format!("T{i}"), fields)
                })
                .collect();
            let (types, diagnostics) = run(types);
            assert!(deepest(&types) <= BUDGET, "round {round}: {}", deepest(&types));
            rounds_with_cuts += usize::from(!diagnostics.is_empty());
        }
        assert!(rounds_with_cuts > 10, "{rounds_with_cuts}");
    }

    #[test]
    fn long_cycles_are_cut_until_every_walk_fits() {
        let (types, diagnostics) = run(ring(200));
        assert!(!diagnostics.is_empty());
        assert!(diagnostics.iter().all(|d| d.code == "W0033" && d.severity == crate::Severity::Warning));
        assert!(deepest(&types) <= BUDGET, "{}", deepest(&types));
        // Far fewer cuts than types: one per band.
        assert!(diagnostics.len() < 20, "{}", diagnostics.len());
        assert!(diagnostics[0].message.contains("property `a"), "{}", diagnostics[0].message);
    }

    #[test]
    fn deep_chains_of_optional_objects_are_cut() {
        let chain: Vec<TypeDef> = (0..300)
            .map(|i| {
                let fields =
                    if i == 299 { Vec::new() } else { vec![field("next", named(&format!("C{}", i + 1)), false)] };
                object(&format!("C{i}"), fields)
            })
            .collect();
        let (types, diagnostics) = run(chain);
        assert!(!diagnostics.is_empty());
        assert!(deepest(&types) <= BUDGET, "{}", deepest(&types));
    }

    #[test]
    fn mixed_long_cycles_with_arrays_maps_and_unions_fit() {
        // A ring of 120 where the references alternate between an array, a map, a union and a
        // required field, with a shortcut back every 7 types.
        let n: usize = 120;
        let types: Vec<TypeDef> = (0..n)
            .map(|i| {
                let next = named(&format!("R{}", (i + 1) % n));
                let back = named(&format!("R{}", i.saturating_sub(7)));
                match i % 4 {
                    0 => object(
                        &format!("R{i}"),
                        vec![field("a", TypeRef::Array(Box::new(next)), true), field("b", back, false)],
                    ),
                    1 => def(
                        &format!("R{i}"),
                        TypeKind::Struct { fields: vec![field("b", back, false)], additional: Some(next) },
                    ),
                    2 => def(
                        &format!("R{i}"),
                        TypeKind::Untagged {
                            variants: vec![("N".into(), next), ("B".into(), back)],
                            boxed: Vec::new(),
                        },
                    ),
                    _ => object(&format!("R{i}"), vec![field("n", next, true)]),
                }
            })
            .collect();
        let (types, diagnostics) = run(types);
        assert!(!diagnostics.is_empty());
        assert!(deepest(&types) <= BUDGET, "{}", deepest(&types));
    }
}

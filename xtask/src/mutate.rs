//! Mutations of OpenAPI documents, for `cargo xtask fuzz` and `tests/no_panic.rs` (which includes
//! this file with `#[path]`, so both fuzz with the same operators). A mutant is its seed with one
//! change at a node reached by a random walk from the root: the node replaced by an arbitrary value
//! made of the words specs are made of, deleted, duplicated (beside itself under a near-identical
//! name, or over another node), or a `type` below it swapped for another. Everything is drawn from
//! a seeded [`Random`], so a seed and a case number name one mutant on any machine.

use serde_json::{Map, Value};

/// Words OpenAPI documents are made of, so mutations reach deep into the generator.
pub const WORDS: &[&str] = &[
    "$ref",
    "#/components/schemas/A",
    "#/components/schemas/",
    "#/components/parameters/p",
    "#/x/y",
    "type",
    "object",
    "array",
    "string",
    "integer",
    "number",
    "boolean",
    "null",
    "properties",
    "items",
    "required",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "enum",
    "nullable",
    "format",
    "date-time",
    "int32",
    "additionalProperties",
    "in",
    "path",
    "query",
    "header",
    "cookie",
    "name",
    "schema",
    "content",
    "application/json",
    "text/plain",
    "{id}",
    "/a/{id}",
    "responses",
    "200",
    "2XX",
    "default",
    "security",
    "openapi",
    "3.1.0",
    "3.0.3",
    "discriminator",
    "",
    "self",
    "type",
    "1x",
    "a-b",
    "String",
    "const",
    "examples",
    "exclusiveMinimum",
];

/// The values a `type` swap picks from.
const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array", "null"];

/// Characters of the made-up words (besides [`WORDS`]).
const WORD_CHARACTERS: &[u8] = b"abcxyzABCXYZ0189_{}/ .-";

/// How deep arbitrary values nest.
const MAX_VALUE_DEPTH: usize = 4;

/// How many steps a walk to the mutated node takes at most (it stops earlier at a leaf).
const MAX_WALK: usize = 12;

/// Nodes a `type` swap looks at below the walked-to node before it gives up.
const TYPE_SEARCH_BUDGET: usize = 4_000;

/// SplitMix64 as a generator: no dependency, the same sequence on every platform and Rust version.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Random(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        let out = splitmix64(self.0);
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        out
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// One SplitMix64 step: a well-mixed 64-bit hash of `x`.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Applies one random mutation to `document`; returns what it did, with JSON pointers.
pub fn mutate(document: &mut Value, random: &mut Random) -> String {
    let path = walk(document, random);
    match random.below(10) {
        0..=3 => replace(document, &path, random),
        4 | 5 => delete(document, &path, random),
        6 | 7 => duplicate(document, &path, random),
        _ => retype(document, &path, random),
    }
}

/// A walk from the root of 1 to [`MAX_WALK`] steps, each to a child picked uniformly (among the
/// containers, while more steps are to come, so shallow scalars like `openapi` are not a sink);
/// stops at a leaf or an empty container.
fn walk(document: &Value, random: &mut Random) -> Vec<Step> {
    let steps = 1 + random.below(MAX_WALK);
    let mut path = Vec::new();
    let mut node = document;
    for step in 1..=steps {
        let mut children: Vec<(Step, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(key, child)| (Step::Key(key.clone()), child)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(index, child)| (Step::Index(index), child)).collect(),
            _ => Vec::new(),
        };
        let containers: Vec<usize> =
            (0..children.len()).filter(|&i| matches!(children[i].1, Value::Object(_) | Value::Array(_))).collect();
        let pick = if step < steps && !containers.is_empty() {
            containers[random.below(containers.len())]
        } else if !children.is_empty() {
            random.below(children.len())
        } else {
            break;
        };
        let (chosen, child) = children.swap_remove(pick);
        path.push(chosen);
        node = child;
    }
    path
}

fn node_at<'a>(document: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(document, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Index(index) => node.get_mut(*index),
    })
}

/// `path` as a JSON pointer in a URI fragment, the way diagnostics print them.
fn pointer(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

fn replace(document: &mut Value, path: &[Step], random: &mut Random) -> String {
    let replacement = arbitrary_value(random, 0);
    let shown = short_json(&replacement);
    if let Some(node) = node_at(document, path) {
        *node = replacement;
    }
    format!("replace {} with {shown}", pointer(path))
}

fn delete(document: &mut Value, path: &[Step], random: &mut Random) -> String {
    let Some((last, parent_path)) = path.split_last() else { return replace(document, path, random) };
    match (node_at(document, parent_path), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.shift_remove(key);
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
    format!("delete {}", pointer(path))
}

/// Copies the node beside itself (an object member under a near-identical name, so names collide
/// once cased; an array item after itself) or, one time in three, over another node.
fn duplicate(document: &mut Value, path: &[Step], random: &mut Random) -> String {
    let Some(copy) = node_at(document, path).map(|node| node.clone()) else { return replace(document, path, random) };
    let Some((last, parent_path)) = path.split_last().filter(|_| !random.one_in(3)) else {
        let target = walk(document, random);
        if let Some(node) = node_at(document, &target) {
            *node = copy;
        }
        return format!("copy {} over {}", pointer(path), pointer(&target));
    };
    let mut copy_path = parent_path.to_vec();
    match (node_at(document, parent_path), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            let name = sibling_name(key, random);
            map.insert(name.clone(), copy);
            copy_path.push(Step::Key(name));
        }
        (Some(Value::Array(items)), Step::Index(index)) => {
            let at = (*index + 1).min(items.len());
            items.insert(at, copy);
            copy_path.push(Step::Index(at));
        }
        _ => {}
    }
    format!("duplicate {} as {}", pointer(path), pointer(&copy_path))
}

/// A name that differs from `key` in a way naming rules may erase: case, separators, a suffix.
fn sibling_name(key: &str, random: &mut Random) -> String {
    let name = match random.below(5) {
        0 => format!("{key}2"),
        1 => key.to_uppercase(),
        2 => {
            let mut chars = key.chars();
            chars.next().map_or_else(String::new, |first| {
                let flipped: String =
                    if first.is_uppercase() { first.to_lowercase().collect() } else { first.to_uppercase().collect() };
                flipped + chars.as_str()
            })
        }
        3 => recase(key),
        _ => format!("{key}_{}", word(random)),
    };
    if name == key {
        format!("{key}_")
    } else {
        name
    }
}

/// `snake_case` or `kebab-case` to `camelCase`, anything else to `snake_case`.
fn recase(key: &str) -> String {
    let mut out = String::new();
    if key.contains(['_', '-']) {
        let mut upper = false;
        for c in key.chars() {
            if c == '_' || c == '-' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
    } else {
        for c in key.chars() {
            if c.is_uppercase() && !out.is_empty() {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Sets a `type` found below the walked-to node (or anywhere, when there is none) to another one.
fn retype(document: &mut Value, path: &[Step], random: &mut Random) -> String {
    let mut found = Vec::new();
    if let Some(node) = node_at(document, path) {
        typed_objects(node, &mut path.to_vec(), &mut found, &mut { TYPE_SEARCH_BUDGET });
    }
    if found.is_empty() {
        typed_objects(document, &mut Vec::new(), &mut found, &mut { TYPE_SEARCH_BUDGET });
    }
    if found.is_empty() {
        return replace(document, path, random);
    }
    let target = found.swap_remove(random.below(found.len()));
    let old = node_at(document, &target).and_then(|node| node["type"].as_str().map(str::to_owned));
    let mut new = TYPES[random.below(TYPES.len())];
    if old.as_deref() == Some(new) {
        new = TYPES[(TYPES.iter().position(|t| *t == new).unwrap_or(0) + 1) % TYPES.len()];
    }
    // One time in four a 3.1 type list with `null`, which normalisation turns into `nullable`.
    let new = if random.one_in(4) { serde_json::json!([new, "null"]) } else { Value::from(new) };
    let shown = short_json(&new);
    let old = node_at(document, &target)
        .and_then(Value::as_object_mut)
        .and_then(|object| object.insert("type".to_owned(), new))
        .map(|old| short_json(&old))
        .unwrap_or_default();
    format!("retype {}/type: {old} -> {shown}", pointer(&target))
}

/// Paths of the objects with a `type` key at or below `node`, visiting at most `budget` nodes.
fn typed_objects(node: &Value, path: &mut Vec<Step>, found: &mut Vec<Vec<Step>>, budget: &mut usize) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    match node {
        Value::Object(map) => {
            if map.get("type").is_some_and(|t| t.is_string() || t.is_array()) {
                found.push(path.clone());
            }
            for (key, child) in map {
                path.push(Step::Key(key.clone()));
                typed_objects(child, path, found, budget);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(Step::Index(index));
                typed_objects(child, path, found, budget);
                path.pop();
            }
        }
        _ => {}
    }
}

/// An arbitrary JSON value: scalars, [`WORDS`] and made-up words, and up to [`MAX_VALUE_DEPTH`]
/// levels of arrays (up to 3 items) and objects (up to 4 members).
fn arbitrary_value(random: &mut Random, depth: usize) -> Value {
    let kinds = if depth >= MAX_VALUE_DEPTH { 5 } else { 7 };
    match random.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(random.one_in(2)),
        2 => match random.below(3) {
            0 => Value::from(random.below(300) as i64 - 10),
            1 => Value::from([i64::MIN, i64::MAX, u32::MAX as i64 + 1, -1][random.below(4)]),
            _ => Value::from(random.next_u64() as i64),
        },
        3 => {
            let float =
                if random.one_in(2) { f64::from_bits(random.next_u64()) } else { [0.5, 1e300, -0.0][random.below(3)] };
            serde_json::Number::from_f64(float).map_or(Value::Null, Value::Number)
        }
        4 => Value::String(word(random)),
        5 => Value::Array((0..random.below(4)).map(|_| arbitrary_value(random, depth + 1)).collect()),
        _ => {
            let mut map = Map::new();
            for _ in 0..random.below(5) {
                let key = word(random);
                map.insert(key, arbitrary_value(random, depth + 1));
            }
            Value::Object(map)
        }
    }
}

/// One of [`WORDS`], or up to 12 characters of [`WORD_CHARACTERS`].
fn word(random: &mut Random) -> String {
    if random.one_in(2) {
        return WORDS[random.below(WORDS.len())].to_owned();
    }
    (0..random.below(13)).map(|_| WORD_CHARACTERS[random.below(WORD_CHARACTERS.len())] as char).collect()
}

/// JSON of at most 80 characters, for the description of a mutation.
fn short_json(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 80 {
        text
    } else {
        format!("{}…", text.chars().take(80).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
               "components": {"schemas": {"A": {"type": "object", "properties": {"b_c": {"type": "string"}}}}}})
    }

    #[test]
    fn the_mutant_depends_on_the_seed_only() {
        let mutants = |seed: u64| {
            (0..50)
                .map(|case| {
                    let mut document = spec();
                    let what = mutate(&mut document, &mut Random::new(seed ^ case));
                    (what, document)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(mutants(1), mutants(1));
        assert_ne!(mutants(1), mutants(2));
        assert!(mutants(1).iter().any(|(_, document)| *document != spec()));
    }

    #[test]
    fn every_operator_is_used() {
        let mut seen = std::collections::BTreeSet::new();
        for case in 0..200 {
            let what = mutate(&mut spec(), &mut Random::new(case));
            seen.insert(what.split(' ').next().unwrap_or_default().to_owned());
        }
        let seen: Vec<&str> = seen.iter().map(String::as_str).collect();
        assert_eq!(seen, ["copy", "delete", "duplicate", "replace", "retype"]);
    }

    #[test]
    fn siblings_differ_in_ways_naming_may_erase() {
        assert_eq!(recase("b_c"), "bC");
        assert_eq!(recase("getThing"), "get_thing");
        let mut random = Random::new(7);
        for key in ["b_c", "A", "200", ""] {
            for _ in 0..20 {
                assert_ne!(sibling_name(key, &mut random), key);
            }
        }
    }

    #[test]
    fn pointers_escape_like_json_pointer() {
        let path = [Step::Key("paths".into()), Step::Key("/a/{id}".into()), Step::Key("x~y".into()), Step::Index(3)];
        assert_eq!(pointer(&path), "#/paths/~1a~1{id}/x~0y/3");
    }
}

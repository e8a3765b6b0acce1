//! Local `$ref`s to any JSON pointer, rewritten into references to components.
//!
//! Real specs point into other schemas (`#/components/schemas/Foo/properties/bar`, `.../allOf/0`,
//! `.../items`), into operations (`#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema`,
//! `.../parameters/0`), into other components (`#/components/responses/X/content/.../schema`) or
//! into sections 3.0 does not read (`#/definitions/X`). The rest of the generator only follows
//! references to components, so before anything else:
//!
//! - Every local `$ref` in a place that holds a schema, parameter, response, request body, header
//!   or path item is resolved: the fragment is percent-decoded, then split into RFC 6901
//!   tokens (`~1`, `~0`). A pointer that walks through a `$ref` (`A/properties/b/items` where `b` is
//!   a reference) continues at that reference's target; a target that is itself only a `$ref` is
//!   followed to the final one.
//! - A target that is already a component of the kind the place needs is kept (its reference is
//!   only spelled canonically). Any other target is *hoisted*: moved once into the component map of
//!   its kind under a name derived from its pointer (`Foo/properties/bar` -> `FooBar`, a response of
//!   operation `getCompany` -> `GetCompanyResponse200`), unique and deterministic, and every
//!   reference to it points there. Where the target's old place holds the same kind (the property
//!   `bar` of `Foo`), it becomes a reference too, so every use shares one type. Targets inside other
//!   targets are moved first, so nesting and self-references need no special case.
//! - A path item (3.0 has no component map for it, nor Swagger 2.0 for headers) is copied into each
//!   place that refers to it. Webhooks and callbacks are maps of path items, walked like `paths`.
//! - A pointer that does not resolve, lands on something that is not an object, or lands on another
//!   kind of object (a schema reference to a parameter) is error E0030 at the reference.
//!
//! The work is one walk of the document, plus one of each target found outside the walked parts;
//! each distinct reference is resolved once.
//!
//! [`places`] says what each place of a document holds, [`resolve`] follows a reference to its
//! final target; the walk and the hoisting are here.

mod places;
mod resolve;
#[cfg(test)]
mod tests;

use crate::diagnostics::{pointer, Diagnostic};
use crate::load::{lookup, lookup_mut};
use crate::naming::type_name;
use places::{child_ctx, ctx_of, Ctx, Kind};
use resolve::Resolver;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::HTTP_METHODS;

/// Longest chain of references (through pointers or to pure references) followed.
const MAX_HOPS: usize = 32;

/// A `$ref` found in the document.
struct Site {
    /// Tokens of the object that holds the `$ref`.
    path: Vec<String>,
    reference: String,
    kind: Kind,
}

/// Where a reference ends up.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Final {
    /// A component of the right kind: the reference, spelled canonically.
    Component(String),
    /// The object at these tokens (of the original document), to hoist or copy.
    Target(Vec<String>),
}

/// A target to hoist or copy, with what the references to it become.
struct Hoisted {
    tokens: Vec<String>,
    kind: Kind,
    /// The component name, for kinds with a component map.
    name: Option<String>,
    /// Whether the old place becomes a reference to the component.
    moves: bool,
    value: Value,
}

/// Resolves and hoists every local `$ref` that does not point at a component (see the module docs).
/// Returns, for each hoisted component, its pointer (in the OpenAPI 3.0 document) and the pointer
/// of the place it came from, so that diagnostics can name the place the spec's author wrote.
pub(super) fn hoist(document: &mut Value, swagger2: bool) -> Result<HashMap<String, String>, Diagnostic> {
    if !document.is_object() {
        return Ok(HashMap::new());
    }
    let mut sites = Vec::new();
    let mut seen = HashSet::new();
    walk(document, Ctx::Top, &[], &mut Vec::new(), swagger2, &mut sites, &mut seen);
    if sites.is_empty() {
        return Ok(HashMap::new());
    }
    let mut targets: Vec<(Vec<String>, Kind)> = Vec::new();
    let mut target_ids: HashMap<(Vec<String>, Kind), usize> = HashMap::new();
    // Site index -> where its reference ends up.
    let mut finals: Vec<Final> = Vec::new();
    {
        let mut resolver = Resolver::new(document, swagger2);
        let mut next = 0;
        while next < sites.len() {
            let (reference, kind) = (&sites[next].reference, sites[next].kind);
            let resolved = resolver.resolve(reference, kind, 0).map_err(|why| {
                Diagnostic::error("E0030", pointer(&sites[next].path), format!("`$ref: {reference}` {why}"))
            })?;
            next += 1;
            if let Final::Target(tokens) = &resolved {
                let key = (tokens.clone(), kind);
                if !target_ids.contains_key(&key) {
                    target_ids.insert(key.clone(), targets.len());
                    targets.push(key);
                    // A target outside the walked parts (`#/definitions/X` in a 3.0 document) may
                    // hold references of its own.
                    if ctx_of(tokens, Ctx::Top, swagger2) == Ctx::Other {
                        if let Some(value) = lookup(document, tokens) {
                            walk(value, kind.ctx(), tokens, &mut Vec::new(), swagger2, &mut sites, &mut seen);
                        }
                    }
                }
            }
            finals.push(resolved);
        }
    }

    // Names, in the order the targets were first referenced.
    let mut taken: HashMap<Kind, HashSet<String>> = HashMap::new();
    let mut hoisted: Vec<Hoisted> = Vec::with_capacity(targets.len());
    let target_set: HashSet<&Vec<String>> = targets.iter().map(|(t, _)| t).collect();
    let kinds_at: HashMap<&Vec<String>, Kind> = targets.iter().map(|(t, k)| (t, *k)).rev().collect();
    for (tokens, kind) in &targets {
        let name = kind.container(swagger2).map(|container| {
            let used = taken.entry(*kind).or_insert_with(|| {
                lookup_strs(document, container)
                    .and_then(Value::as_object)
                    .map(|map| map.keys().map(|k| normalised_name(k)).collect())
                    .unwrap_or_default()
            });
            let base = base_name(document, tokens);
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(normalised_name(&name)) {
                name = format!("{base}{n}");
                n += 1;
            }
            name
        });
        // The old place holds the same kind when the document says so, or when it is inside another
        // target that does (a property of a `#/definitions/X` leftover).
        let moves = name.is_some() && {
            let in_document = ctx_of(tokens, Ctx::Top, swagger2) == kind.ctx();
            in_document
                || (1..tokens.len()).any(|cut| {
                    let prefix = tokens[..cut].to_vec();
                    target_set.contains(&prefix)
                        && ctx_of(&tokens[cut..], kinds_at[&prefix].ctx(), swagger2) == kind.ctx()
                })
        };
        hoisted.push(Hoisted { tokens: tokens.clone(), kind: *kind, name, moves, value: Value::Null });
    }
    let component_ref = |h: &Hoisted| {
        let container = h.kind.container(swagger2).unwrap_or_default();
        pointer(container.iter().copied().chain(h.name.as_deref()))
    };

    // Every reference now says where its target goes (the old places are still where they were).
    let mut copies = Vec::new();
    for (site, resolved) in sites.iter().zip(finals) {
        let new = match resolved {
            Final::Component(reference) => reference,
            Final::Target(tokens) => {
                let id = target_ids[&(tokens, site.kind)];
                if hoisted[id].name.is_none() {
                    copies.push((site.path.clone(), id));
                    continue;
                }
                component_ref(&hoisted[id])
            }
        };
        if new != site.reference {
            if let Some(Value::Object(map)) = lookup_mut(document, &site.path) {
                map.insert("$ref".to_owned(), Value::String(new));
            }
        }
    }

    // Deepest first: a target inside another is a reference by the time the outer one moves.
    let mut order: Vec<usize> = (0..hoisted.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(hoisted[i].tokens.len()));
    for i in order {
        let h = &hoisted[i];
        let reference = if h.moves { Some(component_ref(h)) } else { None };
        let Some(node) = lookup_mut(document, &h.tokens) else { continue };
        let value = match reference {
            Some(reference) => std::mem::replace(node, json!({ "$ref": reference })),
            None => node.clone(),
        };
        hoisted[i].value = value;
    }
    for (path, id) in copies {
        let Some(Value::Object(site)) = lookup_mut(document, &path) else { continue };
        let mut value = hoisted[id].value.clone();
        site.remove("$ref");
        if let Value::Object(target) = &mut value {
            // Siblings of the reference (3.1 `summary`, `description`) override the target's.
            for (key, sibling) in std::mem::take(site) {
                target.insert(key, sibling);
            }
            *site = std::mem::take(target);
        }
    }
    let mut origins = HashMap::new();
    for h in hoisted {
        let (Some(name), Some(container)) = (h.name, h.kind.container(swagger2)) else { continue };
        // Swagger 2.0 sections become components when the document is converted.
        let section = if swagger2 { h.kind.container(false) } else { Some(container) };
        if let Some(section) = section {
            origins.insert(pointer(section.iter().copied().chain([name.as_str()])), pointer(&h.tokens));
        }
        let Some(map) = container_mut(document, container) else {
            return Err(Diagnostic::error(
                "E0030",
                pointer(container),
                "not an object: the targets of `$ref`s cannot be stored here",
            ));
        };
        map.insert(name, h.value);
    }
    Ok(origins)
}

/// Collects the `$ref`s below `value` (at `base` + `path`, of context `ctx`) that may need work.
fn walk<'v>(
    value: &'v Value,
    ctx: Ctx,
    base: &[String],
    path: &mut Vec<Cow<'v, str>>,
    swagger2: bool,
    sites: &mut Vec<Site>,
    seen: &mut HashSet<Vec<String>>,
) {
    match value {
        Value::Object(map) => {
            if let (Some(kind), Some(reference)) = (Kind::of(ctx), map.get("$ref").and_then(Value::as_str)) {
                if reference.starts_with('#') && !is_plain_component(reference, kind, swagger2) {
                    let full: Vec<String> = base.iter().cloned().chain(path.iter().map(|t| t.to_string())).collect();
                    // Only the walks of targets (`base` not empty) can meet a place twice.
                    if base.is_empty() || seen.insert(full.clone()) {
                        sites.push(Site { path: full, reference: reference.to_owned(), kind });
                    }
                }
            }
            for (key, item) in map {
                if key == "$ref" || !(item.is_object() || item.is_array()) {
                    continue;
                }
                let child = child_ctx(ctx, key, swagger2);
                if child != Ctx::Other {
                    path.push(Cow::Borrowed(key));
                    walk(item, child, base, path, swagger2, sites, seen);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate().filter(|(_, item)| item.is_object()) {
                let key = i.to_string();
                let child = child_ctx(ctx, &key, swagger2);
                if child != Ctx::Other {
                    path.push(Cow::Owned(key));
                    walk(item, child, base, path, swagger2, sites, seen);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// `#/components/schemas/Name` (for a schema), spelled as the lowering reads it: nothing to do.
fn is_plain_component(reference: &str, kind: Kind, swagger2: bool) -> bool {
    let prefix = match (kind, swagger2) {
        (Kind::Schema, false) => "#/components/schemas/",
        (Kind::Schema, true) => "#/definitions/",
        (Kind::Parameter, false) => "#/components/parameters/",
        (Kind::Parameter, true) => "#/parameters/",
        (Kind::Response, false) => "#/components/responses/",
        (Kind::Response, true) => "#/responses/",
        (Kind::RequestBody, false) => "#/components/requestBodies/",
        (Kind::Header, false) => "#/components/headers/",
        _ => return false,
    };
    reference.strip_prefix(prefix).is_some_and(|name| !name.is_empty() && !name.contains(['/', '%']))
}

/// A readable component name for the target at `tokens`: `Foo/properties/bar` -> `FooBar`,
/// `#/paths/~1a/get/responses/200/content/application~1json/schema` -> `{operationId}Response200`.
fn base_name(doc: &Value, tokens: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let rest: &[String] = match tokens {
        [components, _, name, rest @ ..] if components == "components" => {
            parts.push(name.clone());
            rest
        }
        [paths, path, method, rest @ ..] if paths == "paths" && HTTP_METHODS.contains(&method.as_str()) => {
            let operation_id = doc.get("paths").and_then(|p| p.get(path)).and_then(|i| i.get(method));
            match operation_id.and_then(|o| o.get("operationId")).and_then(Value::as_str) {
                Some(id) => parts.push(id.to_owned()),
                None => parts.push(format!("{method} {path}")),
            }
            rest
        }
        [paths, path, rest @ ..] if paths == "paths" => {
            parts.push(path.clone());
            rest
        }
        [section, name, rest @ ..] if matches!(section.as_str(), "definitions" | "parameters" | "responses") => {
            parts.push(name.clone());
            rest
        }
        _ => tokens,
    };
    let offset = tokens.len() - rest.len();
    let mut i = 0;
    while i < rest.len() {
        let token = rest[i].as_str();
        let next = rest.get(i + 1);
        match (token, next) {
            (
                "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" | "headers"
                | "encoding",
                Some(name),
            ) => {
                parts.push(name.clone());
                i += 1;
            }
            // The media type says nothing about the value.
            ("content", Some(_)) => i += 1,
            // The members of an `allOf` are one object: `A/allOf/0/properties/b` is `AB`.
            ("allOf", Some(_)) if i + 2 < rest.len() => i += 1,
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Some(n)) => {
                parts.push(format!("{token}_{n}"));
                i += 1;
            }
            ("responses", Some(status)) => {
                parts.push(format!("response_{status}"));
                i += 1;
            }
            ("parameters", Some(n)) => {
                let parameter = lookup(doc, &tokens[..offset + i + 2]);
                match parameter.and_then(|p| p.get("name")).and_then(Value::as_str) {
                    Some(name) => parts.push(name.to_owned()),
                    None => parts.push(format!("parameter_{n}")),
                }
                i += 1;
            }
            ("schema", _) => {}
            ("items", _) => parts.push("item".to_owned()),
            ("additionalProperties", _) => parts.push("value".to_owned()),
            ("requestBody", _) => parts.push("request".to_owned()),
            _ => parts.push(token.to_owned()),
        }
        i += 1;
    }
    if parts.is_empty() {
        parts.push("schema".to_owned());
    }
    type_name(&parts.join("_"))
}

/// Names that would make the same Rust name are the same name: lowercase ASCII letters and digits.
fn normalised_name(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

fn lookup_strs<'a>(value: &'a Value, tokens: &[&str]) -> Option<&'a Value> {
    tokens.iter().try_fold(value, |value, token| value.get(token))
}

/// The component map at `tokens`, created if absent; `None` if something else is in the way.
fn container_mut<'a>(document: &'a mut Value, tokens: &[&str]) -> Option<&'a mut Map<String, Value>> {
    let mut node = document;
    for token in tokens {
        node = node.as_object_mut()?.entry(*token).or_insert_with(|| Value::Object(Map::new()));
    }
    node.as_object_mut()
}

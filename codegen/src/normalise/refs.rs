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
//!   place that refers to it. Callbacks are not generated, and not looked into.
//! - A pointer that does not resolve, lands on something that is not an object, or lands on another
//!   kind of object (a schema reference to a parameter) is error E0030 at the reference.
//!
//! The work is one walk of the document, plus one of each target found outside the walked parts;
//! each distinct reference is resolved once.

use crate::diagnostics::{pointer, Diagnostic};
use crate::load::{index, percent_decode, tokens_of};
use crate::naming::type_name;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::HTTP_METHODS;

/// Longest chain of references (through pointers or to pure references) followed.
const MAX_HOPS: usize = 32;

/// What a place in the document holds, as far as references are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Top,
    Paths,
    PathItem,
    Operation,
    ParamList,
    ParamMap,
    Parameter,
    RequestBodyMap,
    RequestBody,
    Responses,
    Response,
    Content,
    MediaType,
    Encodings,
    Encoding,
    Headers,
    Header,
    Components,
    SchemaMap,
    SchemaList,
    Schema,
    /// Anything else: documentation, examples, extensions. Not walked.
    Other,
}

impl Ctx {
    fn noun(self) -> &'static str {
        match self {
            Ctx::Top => "the document root",
            Ctx::Paths => "a map of path items",
            Ctx::PathItem => "a path item",
            Ctx::Operation => "an operation",
            Ctx::ParamList => "a list of parameters",
            Ctx::ParamMap => "a map of parameters",
            Ctx::Parameter => "a parameter",
            Ctx::RequestBodyMap => "a map of request bodies",
            Ctx::RequestBody => "a request body",
            Ctx::Responses => "a map of responses",
            Ctx::Response => "a response",
            Ctx::Content => "a content map",
            Ctx::MediaType => "a media type object",
            Ctx::Encodings | Ctx::Encoding => "an encoding",
            Ctx::Headers => "a map of headers",
            Ctx::Header => "a header",
            Ctx::Components => "the components",
            Ctx::SchemaMap => "a map of schemas",
            Ctx::SchemaList => "a list of schemas",
            Ctx::Schema => "a schema",
            Ctx::Other => "an unknown object",
        }
    }
}

/// The kinds of object a `$ref` may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    PathItem,
}

impl Kind {
    fn of(ctx: Ctx) -> Option<Kind> {
        Some(match ctx {
            Ctx::Schema => Kind::Schema,
            Ctx::Parameter => Kind::Parameter,
            Ctx::Response => Kind::Response,
            Ctx::RequestBody => Kind::RequestBody,
            Ctx::Header => Kind::Header,
            Ctx::PathItem => Kind::PathItem,
            _ => return None,
        })
    }

    fn ctx(self) -> Ctx {
        match self {
            Kind::Schema => Ctx::Schema,
            Kind::Parameter => Ctx::Parameter,
            Kind::Response => Ctx::Response,
            Kind::RequestBody => Ctx::RequestBody,
            Kind::Header => Ctx::Header,
            Kind::PathItem => Ctx::PathItem,
        }
    }

    /// The component map this kind is named in; `None` when targets are copied instead.
    fn container(self, swagger2: bool) -> Option<&'static [&'static str]> {
        Some(match (self, swagger2) {
            (Kind::Schema, false) => &["components", "schemas"],
            (Kind::Schema, true) => &["definitions"],
            (Kind::Parameter, false) => &["components", "parameters"],
            (Kind::Parameter, true) => &["parameters"],
            (Kind::Response, false) => &["components", "responses"],
            (Kind::Response, true) => &["responses"],
            (Kind::RequestBody, false) => &["components", "requestBodies"],
            (Kind::Header, false) => &["components", "headers"],
            _ => return None,
        })
    }
}

/// The context of the value at `key` below a value of context `ctx`.
fn child_ctx(ctx: Ctx, key: &str, swagger2: bool) -> Ctx {
    // Extensions are documentation, except where keys are names (of properties, headers, ...).
    let names = matches!(
        ctx,
        Ctx::SchemaMap
            | Ctx::ParamMap
            | Ctx::RequestBodyMap
            | Ctx::Headers
            | Ctx::Content
            | Ctx::Encodings
            | Ctx::ParamList
            | Ctx::SchemaList
    );
    if !names && key.starts_with("x-") {
        return Ctx::Other;
    }
    match (ctx, key) {
        (Ctx::Top, "paths") => Ctx::Paths,
        (Ctx::Top, "components") => Ctx::Components,
        (Ctx::Top, "definitions") if swagger2 => Ctx::SchemaMap,
        (Ctx::Top, "parameters") if swagger2 => Ctx::ParamMap,
        (Ctx::Top, "responses") if swagger2 => Ctx::Responses,
        (Ctx::Paths, _) => Ctx::PathItem,
        (Ctx::PathItem, "parameters") | (Ctx::Operation, "parameters") => Ctx::ParamList,
        (Ctx::PathItem, method) if HTTP_METHODS.contains(&method) => Ctx::Operation,
        (Ctx::Operation, "requestBody") => Ctx::RequestBody,
        (Ctx::Operation, "responses") => Ctx::Responses,
        (Ctx::ParamList, _) | (Ctx::ParamMap, _) => Ctx::Parameter,
        (Ctx::Parameter | Ctx::Header, "schema" | "items") => Ctx::Schema,
        (Ctx::Parameter | Ctx::Header | Ctx::RequestBody | Ctx::Response, "content") => Ctx::Content,
        (Ctx::RequestBodyMap, _) => Ctx::RequestBody,
        (Ctx::Responses, _) => Ctx::Response,
        (Ctx::Response, "headers") | (Ctx::Encoding, "headers") => Ctx::Headers,
        (Ctx::Response, "schema") => Ctx::Schema,
        (Ctx::Content, _) => Ctx::MediaType,
        (Ctx::MediaType, "schema") => Ctx::Schema,
        (Ctx::MediaType, "encoding") => Ctx::Encodings,
        (Ctx::Encodings, _) => Ctx::Encoding,
        (Ctx::Headers, _) => Ctx::Header,
        (Ctx::Components, "schemas") => Ctx::SchemaMap,
        (Ctx::Components, "parameters") => Ctx::ParamMap,
        (Ctx::Components, "responses") => Ctx::Responses,
        (Ctx::Components, "requestBodies") => Ctx::RequestBodyMap,
        (Ctx::Components, "headers") => Ctx::Headers,
        (Ctx::Components, "pathItems") => Ctx::Paths,
        (Ctx::SchemaMap, _) | (Ctx::SchemaList, _) => Ctx::Schema,
        (Ctx::Schema, "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas") => {
            Ctx::SchemaMap
        }
        (Ctx::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => Ctx::SchemaList,
        (
            Ctx::Schema,
            "items"
            | "additionalProperties"
            | "additionalItems"
            | "not"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
        ) => Ctx::Schema,
        // The members of a tuple `items: [...]`.
        (Ctx::Schema, key) if index(key).is_some() => Ctx::Schema,
        _ => Ctx::Other,
    }
}

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
        let mut resolver = Resolver { doc: document, swagger2, memo: HashMap::new() };
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

/// The context of the value at `tokens` below a value of context `from`.
fn ctx_of(tokens: &[String], from: Ctx, swagger2: bool) -> Ctx {
    tokens.iter().fold(from, |ctx, token| if ctx == Ctx::Other { ctx } else { child_ctx(ctx, token, swagger2) })
}

struct Resolver<'a> {
    doc: &'a Value,
    swagger2: bool,
    /// Reference -> (kind of place, result) for each kind it was met in.
    memo: HashMap<String, Vec<(Kind, Resolved)>>,
}

/// Where a reference ends up, or why it does not resolve.
type Resolved = Result<Final, String>;

impl Resolver<'_> {
    /// Where `reference`, in a place of kind `kind`, ends up; `Err` says why it does not resolve.
    fn resolve(&mut self, reference: &str, kind: Kind, hops: usize) -> Result<Final, String> {
        let done = self.memo.get(reference).and_then(|kinds| kinds.iter().find(|(k, _)| *k == kind));
        if let Some((_, done)) = done {
            return done.clone();
        }
        let result = self.resolve_uncached(reference, kind, hops);
        self.memo.entry(reference.to_owned()).or_default().push((kind, result.clone()));
        result
    }

    fn resolve_uncached(&mut self, reference: &str, kind: Kind, hops: usize) -> Result<Final, String> {
        if hops > MAX_HOPS {
            return Err("is part of a cycle of references".to_owned());
        }
        let fragment = reference.strip_prefix('#').unwrap_or(reference);
        let decoded = percent_decode(fragment);
        let tokens =
            tokens_of(&decoded).ok_or_else(|| format!("does not resolve: `#{decoded}` is not a JSON pointer"))?;
        if let Some(container) = kind.container(self.swagger2) {
            let component = tokens.len() == container.len() + 1 && tokens.iter().zip(container).all(|(t, c)| t == c);
            if component {
                // A missing component is reported where it is used, by the lowering.
                let canonical = pointer(&tokens);
                let exists = lookup(self.doc, &tokens).is_some();
                return Ok(Final::Component(if exists { canonical } else { reference.to_owned() }));
            }
        }
        // `%` taken literally, when the decoded pointer finds nothing.
        let located = match self.locate(&tokens, hops) {
            Err(why) if decoded != fragment => {
                tokens_of(fragment).and_then(|raw| self.locate(&raw, hops).ok()).ok_or(why)
            }
            other => other,
        }
        .map_err(|why| format!("does not resolve: {why}"))?;
        let value = lookup(self.doc, &located).unwrap_or(&Value::Null);
        let Value::Object(map) = value else {
            return Err(format!("points to {}, not an object", crate::overlay::kind(value)));
        };
        if map.len() == 1 {
            if let Some(next) = map.get("$ref").and_then(Value::as_str).filter(|r| r.starts_with('#')) {
                return self.resolve(next, kind, hops + 1);
            }
        }
        if let Some(ty) = map.get("type").filter(|t| kind == Kind::Schema && !t.is_string() && !t.is_array()) {
            // `X/definitions/y: {type: {...}}`: a map of schemas, not one.
            return Err(format!(
                "points to an object that is not a schema (at {}: its `type` is {})",
                pointer(&located),
                crate::overlay::kind(ty)
            ));
        }
        let ctx = ctx_of(&located, Ctx::Top, self.swagger2);
        if ctx != Ctx::Other && ctx != kind.ctx() {
            return Err(format!("points to {} (at {}), not {}", ctx.noun(), pointer(&located), kind.ctx().noun()));
        }
        Ok(Final::Target(located))
    }

    /// The tokens of the value at `tokens`, following a `$ref` met on the way.
    fn locate(&self, tokens: &[String], hops: usize) -> Result<Vec<String>, String> {
        let mut tokens = tokens.to_vec();
        let mut hops = hops;
        'restart: loop {
            let mut node = self.doc;
            for (i, token) in tokens.iter().enumerate() {
                let next = match node {
                    Value::Object(map) => map.get(token),
                    Value::Array(items) => index(token).and_then(|n| items.get(n)),
                    _ => None,
                };
                if let Some(next) = next {
                    node = next;
                    continue;
                }
                // `A/properties/b/items` where `b` is `$ref: B`: B's tokens, then `items`.
                let through = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'));
                if let Some(through) = through.filter(|_| hops < MAX_HOPS) {
                    hops += 1;
                    let mut rerouted = tokens_of(&percent_decode(through)).unwrap_or_default();
                    rerouted.extend(tokens[i..].iter().cloned());
                    tokens = rerouted;
                    continue 'restart;
                }
                return Err(format!("nothing at `{}`", pointer(&tokens[..=i])));
            }
            return Ok(tokens);
        }
    }
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

fn lookup<'a>(value: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(value, |value, token| match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => index(token).and_then(|i| items.get(i)),
        _ => None,
    })
}

fn lookup_strs<'a>(value: &'a Value, tokens: &[&str]) -> Option<&'a Value> {
    tokens.iter().try_fold(value, |value, token| value.get(token))
}

fn lookup_mut<'a>(value: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(value, |value, token| match value {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => index(token).and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// The component map at `tokens`, created if absent; `None` if something else is in the way.
fn container_mut<'a>(document: &'a mut Value, tokens: &[&str]) -> Option<&'a mut Map<String, Value>> {
    let mut node = document;
    for token in tokens {
        node = node.as_object_mut()?.entry(*token).or_insert_with(|| Value::Object(Map::new()));
    }
    node.as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::super::{normalise, normalise_traced, relocate};
    use serde_json::{json, Value};
    use std::collections::HashMap;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}})
    }

    fn ok(json_body: &str) -> Value {
        json!({"description": "ok", "content": {"application/json": {"schema": serde_json::from_str::<Value>(json_body).unwrap()}}})
    }

    fn schema_at<'a>(document: &'a Value, name: &str) -> &'a Value {
        &document["components"]["schemas"][name]
    }

    fn names(document: &Value) -> Vec<String> {
        document["components"]["schemas"].as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn a_property_is_hoisted_once_and_shared_with_its_old_place() {
        let mut d = doc(
            json!({}),
            json!({
                "Address": {"type": "object", "properties": {"country": {"type": "object", "properties": {"code": {"type": "string"}}}}},
                "Person": {"type": "object", "properties": {
                    "home": {"$ref": "#/components/schemas/Address/properties/country"},
                    "work": {"$ref": "#/components/schemas/Address/properties/country"}}}
            }),
        );
        normalise(&mut d).unwrap();
        assert_eq!(names(&d), ["Address", "Person", "AddressCountry"]);
        let reference = json!({"$ref": "#/components/schemas/AddressCountry"});
        assert_eq!(schema_at(&d, "Address")["properties"]["country"], reference);
        assert_eq!(schema_at(&d, "Person")["properties"]["home"], reference);
        assert_eq!(schema_at(&d, "Person")["properties"]["work"], reference);
        assert_eq!(schema_at(&d, "AddressCountry")["properties"]["code"], json!({"type": "string"}));
    }

    #[test]
    fn all_of_members_items_and_percent_encoded_path_responses() {
        let mut d = doc(
            json!({
                "/companies/{companyId}": {"get": {"operationId": "getCompany",
                    "responses": {"200": ok(r#"{"type": "object", "properties": {"id": {"type": "string"}}}"#)}}},
                "/copy": {"post": {"responses": {
                    "200": ok(r##"{"$ref": "#/paths/~1companies~1%7BcompanyId%7D/get/responses/200/content/application~1json/schema"}"##),
                    "201": ok(r##"{"type": "array", "items": {"$ref": "#/components/schemas/Team/items"}}"##)}}}
            }),
            json!({
                "Entity": {"allOf": [{"type": "object"}, {"type": "object"}]},
                "Team": {"type": "array", "items": {"type": "object", "properties": {"login": {"type": "string"}}}},
                "Person": {"allOf": [{"$ref": "#/components/schemas/Entity/allOf/0"}]}
            }),
        );
        normalise(&mut d).unwrap();
        assert_eq!(names(&d), ["Entity", "Team", "Person", "GetCompanyResponse200", "TeamItem", "EntityAllOf0"]);
        let schema = |d: &Value, path: &str, status: &str| {
            d["paths"][path]["post"]["responses"][status]["content"]["application/json"]["schema"].clone()
        };
        assert_eq!(schema(&d, "/copy", "200"), json!({"$ref": "#/components/schemas/GetCompanyResponse200"}));
        assert_eq!(schema(&d, "/copy", "201")["items"], json!({"$ref": "#/components/schemas/TeamItem"}));
        let get = &d["paths"]["/companies/{companyId}"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(get["schema"], json!({"$ref": "#/components/schemas/GetCompanyResponse200"}));
        assert_eq!(schema_at(&d, "Entity")["allOf"][0], json!({"$ref": "#/components/schemas/EntityAllOf0"}));
        assert_eq!(schema_at(&d, "Team")["items"], json!({"$ref": "#/components/schemas/TeamItem"}));
    }

    #[test]
    fn refs_to_refs_and_through_refs_reach_the_final_target() {
        let mut d = doc(
            json!({}),
            json!({
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"},
                    "c": {"$ref": "#/components/schemas/A/properties/d"},
                    "d": {"$ref": "#/components/schemas/B/properties/e"}}},
                "B": {"type": "object", "properties": {"e": {"type": "integer"}}},
                "C": {"$ref": "#/components/schemas/A/properties/b/properties/e"},
                "D": {"$ref": "#/components/schemas/A/properties/b"}
            }),
        );
        normalise(&mut d).unwrap();
        let be = json!({"$ref": "#/components/schemas/BE"});
        assert_eq!(schema_at(&d, "A")["properties"]["c"], be);
        assert_eq!(schema_at(&d, "A")["properties"]["d"], be);
        assert_eq!(schema_at(&d, "C"), &be);
        assert_eq!(schema_at(&d, "D"), &json!({"$ref": "#/components/schemas/B"}));
        assert_eq!(names(&d), ["A", "B", "C", "D", "BE"]);
    }

    #[test]
    fn nested_and_self_referencing_targets() {
        let mut d = doc(
            json!({}),
            json!({
                "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {
                    "c": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/A/properties/b"}}}}}},
                "X": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/A/properties/b/properties/c"}}}
            }),
        );
        normalise(&mut d).unwrap();
        assert_eq!(names(&d), ["A", "X", "AB", "ABC"]);
        assert_eq!(schema_at(&d, "A")["properties"]["b"], json!({"$ref": "#/components/schemas/AB"}));
        let ab = schema_at(&d, "AB");
        assert_eq!(ab["properties"]["c"], json!({"$ref": "#/components/schemas/ABC"}));
        assert_eq!(ab["properties"]["children"]["items"], json!({"$ref": "#/components/schemas/AB"}));
        assert_eq!(schema_at(&d, "ABC"), &json!({"type": "string"}));
    }

    #[test]
    fn names_do_not_collide_with_components() {
        let mut d = doc(
            json!({}),
            json!({
                "Foo": {"type": "object", "properties": {"bar": {"type": "string"}}},
                "foo_bar": {"type": "integer"},
                "X": {"type": "object", "properties": {"y": {"$ref": "#/components/schemas/Foo/properties/bar"}}}
            }),
        );
        normalise(&mut d).unwrap();
        assert_eq!(names(&d), ["Foo", "foo_bar", "X", "FooBar2"]);
    }

    #[test]
    fn leftover_definitions_and_their_own_refs_are_hoisted() {
        let mut d =
            doc(json!({"/a": {"get": {"responses": {"200": ok(r##"{"$ref": "#/definitions/Pet"}"##)}}}}), json!({}));
        d["definitions"] = json!({"Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Owner"}}},
            "Owner": {"type": "object"}});
        normalise(&mut d).unwrap();
        assert_eq!(names(&d), ["Pet", "Owner"]);
        assert_eq!(schema_at(&d, "Pet")["properties"]["owner"], json!({"$ref": "#/components/schemas/Owner"}));
    }

    #[test]
    fn parameters_responses_and_path_items_into_paths() {
        let mut d = doc(
            json!({
                "/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "get": {"operationId": "getA", "responses": {"404": {"description": "gone"}}}},
                "/b/{id}": {"parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/parameters/0"}],
                    "get": {"responses": {"404": {"$ref": "#/paths/~1a~1{id}/get/responses/404"}}}},
                "/c/{id}": {"$ref": "#/paths/~1b~1%7Bid%7D"}
            }),
            json!({}),
        );
        normalise(&mut d).unwrap();
        let parameter = json!({"$ref": "#/components/parameters/AIdId"});
        let response = json!({"$ref": "#/components/responses/GetAResponse404"});
        assert_eq!(d["paths"]["/a/{id}"]["parameters"][0], parameter);
        assert_eq!(d["paths"]["/b/{id}"]["parameters"][0], parameter);
        assert_eq!(d["paths"]["/b/{id}"]["get"]["responses"]["404"], response);
        assert_eq!(d["paths"]["/c/{id}"], d["paths"]["/b/{id}"]);
        assert_eq!(d["components"]["parameters"]["AIdId"]["name"], "id");
        assert_eq!(d["components"]["responses"]["GetAResponse404"], json!({"description": "gone"}));
    }

    #[test]
    fn swagger2_refs_into_definitions_are_hoisted_before_conversion() {
        let mut d = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                "schema": {"$ref": "#/definitions/A/properties/b"}}}}}},
            "definitions": {"A": {"type": "object", "properties": {"b": {"type": "object"}}}}});
        normalise(&mut d).unwrap();
        assert_eq!(names(&d), ["A", "AB"]);
        assert_eq!(schema_at(&d, "A")["properties"]["b"], json!({"$ref": "#/components/schemas/AB"}));
    }

    #[test]
    fn a_pointer_to_nothing_or_to_the_wrong_kind_is_e0030_at_the_ref() {
        let cases = [
            (
                "#/components/schemas/A/properties/nope",
                "does not resolve: nothing at `#/components/schemas/A/properties/nope`",
            ),
            ("#/components/schemas/A/required", "points to an array, not an object"),
            ("#/paths/~1a/get", "points to an operation (at #/paths/~1a/get), not a schema"),
            ("#/components/schemas/A/properties/loop", "is part of a cycle of references"),
            ("#/components/schemas/A/definitions/map", "points to an object that is not a schema"),
            ("#nope", "is not a JSON pointer"),
        ];
        for (reference, message) in cases {
            let mut d = doc(
                json!({"/a": {"get": {"responses": {"200": ok(&format!(r#"{{"$ref": "{reference}"}}"#))}}}}),
                json!({"A": {"type": "object", "required": ["x"],
                    "properties": {"loop": {"$ref": "#/components/schemas/A/properties/loop"}},
                    "definitions": {"map": {"type": {"type": "string"}}}}}),
            );
            let e = normalise(&mut d).unwrap_err();
            assert_eq!(e.code, "E0030");
            assert_eq!(e.pointer, "#/paths/~1a/get/responses/200/content/application~1json/schema", "{reference}");
            assert!(e.message.contains(reference), "{}", e.message);
            assert!(e.message.contains(message), "{reference}: {}", e.message);
        }
    }

    #[test]
    fn missing_components_are_left_to_the_lowering_and_extensions_alone() {
        let mut d = doc(
            json!({"/a": {"get": {"responses": {"200": ok(r##"{"$ref": "#/components/schemas/Missing"}"##)}},
                "x-doc": {"$ref": "#/nowhere"}}}),
            json!({"A": {"type": "object", "example": {"$ref": "#/nowhere"}}}),
        );
        let before = d.clone();
        normalise(&mut d).unwrap();
        assert_eq!(d, before);
    }

    #[test]
    fn diagnostics_in_hoisted_components_name_the_original_place() {
        let mut d = doc(
            json!({}),
            json!({"Foo": {"type": "object", "properties": {"bar": {"type": "object"}}},
                "X": {"$ref": "#/components/schemas/Foo/properties/bar"}}),
        );
        let mut origins = HashMap::new();
        normalise_traced(&mut d, &mut origins).unwrap();
        let at = |pointer: &str| relocate(crate::Diagnostic::warning("W0031", pointer, "m"), &origins).pointer;
        assert_eq!(
            at("#/components/schemas/FooBar/properties/x"),
            "#/components/schemas/Foo/properties/bar/properties/x"
        );
        assert_eq!(at("#/components/schemas/FooBar"), "#/components/schemas/Foo/properties/bar");
        assert_eq!(at("#/components/schemas/FooBarBaz"), "#/components/schemas/FooBarBaz");
    }
}

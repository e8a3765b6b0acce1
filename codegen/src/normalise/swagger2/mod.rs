//! Swagger 2.0 into OpenAPI 3.0.3, as a rewrite of the JSON document.
//!
//! Everything 3.0 can say the same way is kept; what it cannot is dropped with a warning whose
//! pointer names the place in the Swagger 2.0 input (the file the person wrote), not in the result.
//!
//! `operations` converts paths, parameters, bodies and responses, `schemas` the schema
//! keywords, `security` the security definitions; `$ref`s are rewritten here, last.

mod operations;
mod schemas;
mod security;
#[cfg(test)]
mod tests;

use crate::diagnostics::{pointer, Diagnostic};
use operations::media_types;
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// Swagger 2.0 has no `trace`.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];
const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
/// Keys of a 2.0 non-body parameter, header or items object that belong in the 3.0 `schema`.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];
/// Objects whose keys are names (so a key `default` or `example` there is not data).
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "paths",
    "content",
    "encoding",
];
/// Keys whose values are instance data, not spec: a `$ref` inside them is left alone.
const DATA_KEYS: &[&str] = &["example", "examples", "x-example", "default", "enum"];

/// Converts a Swagger 2.0 document in place into OpenAPI 3.0.3; returns warnings for what cannot be kept.
pub fn convert(document: &mut Value) -> Result<Vec<Diagnostic>, Diagnostic> {
    let Some(root) = document.as_object_mut() else {
        return Err(Diagnostic::error("E0010", "#", "the document is not an object"));
    };
    for key in ["paths", "definitions", "parameters", "responses", "securityDefinitions"] {
        if root.get(key).is_some_and(|v| !v.is_object()) {
            return Err(Diagnostic::error("E0013", pointer([key]), format!("Swagger 2.0 `{key}` is not an object")));
        }
    }
    let old = std::mem::take(root);
    let mut sections = Map::new();
    let mut rest = Map::new();
    for (key, value) in old {
        match key.as_str() {
            "swagger" => {}
            "host"
            | "basePath"
            | "schemes"
            | "consumes"
            | "produces"
            | "definitions"
            | "parameters"
            | "responses"
            | "securityDefinitions" => {
                sections.insert(key, value);
            }
            _ => {
                rest.insert(key, value);
            }
        }
    }
    let take = |sections: &mut Map<String, Value>, key: &str| sections.remove(key).unwrap_or(Value::Null);
    let section_map = |sections: &mut Map<String, Value>, key: &str| match sections.remove(key) {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };

    let host = take(&mut sections, "host");
    let host = host.as_str().filter(|h| !h.is_empty());
    let scheme = take(&mut sections, "schemes")
        .as_array()
        .and_then(|s| s.first())
        .and_then(Value::as_str)
        .unwrap_or("https")
        .to_owned();
    let base_path = take(&mut sections, "basePath");
    let base_path = base_path.as_str().filter(|b| !b.is_empty()).unwrap_or("/");
    let base_path = if base_path.starts_with('/') { base_path.to_owned() } else { format!("/{base_path}") };
    let url = match host {
        Some(host) => format!("{scheme}://{host}{base_path}"),
        None => base_path,
    };

    let mut definitions = section_map(&mut sections, "definitions");
    let parameters = section_map(&mut sections, "parameters");
    let responses = section_map(&mut sections, "responses");
    let security_definitions = section_map(&mut sections, "securityDefinitions");
    let mut cx = Converter {
        consumes: media_types(sections.remove("consumes")),
        produces: media_types(sections.remove("produces")),
        scheme: host.map(|_| scheme),
        bodies: parameters
            .iter()
            .filter(|(_, p)| matches!(p.get("in").and_then(Value::as_str), Some("body" | "formData")))
            .map(|(name, _)| name.clone())
            .collect(),
        parameters,
        responses,
        warnings: Vec::new(),
    };

    for (name, schema) in definitions.iter_mut() {
        cx.schema(schema, &pointer(["definitions", name]));
    }
    let mut component_parameters = Map::new();
    let mut request_bodies = Map::new();
    for (name, parameter) in cx.parameters.clone() {
        let here = pointer(["parameters", &name]);
        let Value::Object(parameter) = parameter else {
            cx.warn_parameter(&here, "the parameter is not an object: skipped");
            continue;
        };
        let param = Param { value: parameter, pointer: here.clone(), reference: None };
        match param.location() {
            "body" => {
                let consumes = cx.consumes.clone();
                request_bodies.insert(name, cx.body(&param, &consumes));
            }
            "formData" => {
                let consumes = cx.consumes.clone();
                request_bodies.insert(name, cx.form(&[&param], &consumes));
            }
            "query" | "header" | "path" => {
                component_parameters.insert(name, cx.parameter(&param.value, &here));
            }
            other => cx.warn_parameter(&here, &format!("parameter location `in: {other}` is not supported: skipped")),
        }
    }
    let mut component_responses = Map::new();
    for (name, mut response) in cx.responses.clone() {
        let produces = cx.produces.clone();
        cx.response(&mut response, &produces, &pointer(["responses", &name]));
        component_responses.insert(name, response);
    }
    let mut security_schemes = Map::new();
    for (name, definition) in &security_definitions {
        if let Some(scheme) = cx.security_scheme(definition, &pointer(["securityDefinitions", name])) {
            security_schemes.insert(name.clone(), scheme);
        }
    }
    match rest.get_mut("paths").and_then(Value::as_object_mut) {
        Some(paths) => {
            for (path, item) in paths.iter_mut() {
                if let Some(item) = item.as_object_mut().filter(|_| !path.starts_with("x-")) {
                    cx.path_item(item, &pointer(["paths", path]));
                }
            }
        }
        None => {
            rest.insert("paths".into(), json!({}));
        }
    }

    let mut components = Map::new();
    for (key, map) in [
        ("schemas", definitions),
        ("responses", component_responses),
        ("parameters", component_parameters),
        ("requestBodies", request_bodies),
        ("securitySchemes", security_schemes),
    ] {
        if !map.is_empty() {
            components.insert(key.into(), Value::Object(map));
        }
    }
    root.insert("openapi".into(), json!("3.0.3"));
    if let Some(info) = rest.shift_remove("info") {
        root.insert("info".into(), info);
    }
    root.insert("servers".into(), json!([{ "url": url }]));
    root.extend(rest);
    if !components.is_empty() {
        root.insert("components".into(), Value::Object(components));
    }
    rewrite_refs(document, &cx.bodies, false);
    Ok(cx.warnings)
}

/// Document-wide state for the conversion.
struct Converter {
    /// Global `consumes`, defaulted.
    consumes: Vec<String>,
    /// Global `produces`, defaulted.
    produces: Vec<String>,
    /// The server's scheme, when the document names a host.
    scheme: Option<String>,
    /// The 2.0 top-level `parameters`, to resolve `#/parameters/X` in operations.
    parameters: Map<String, Value>,
    /// The 2.0 top-level `responses`, to inline them where an operation's `produces` differs.
    responses: Map<String, Value>,
    /// Names of top-level body and formData parameters: they become `components.requestBodies`.
    bodies: HashSet<String>,
    warnings: Vec<Diagnostic>,
}

/// A body or formData parameter, resolved, with where it was written.
struct Param {
    value: Map<String, Value>,
    pointer: String,
    /// The top-level parameter name, when the operation used `$ref: '#/parameters/X'`.
    reference: Option<String>,
}

impl Param {
    fn location(&self) -> &str {
        self.value.get("in").and_then(Value::as_str).unwrap_or_default()
    }

    fn name(&self) -> Option<&str> {
        self.value.get("name").and_then(Value::as_str)
    }

    fn is_file(&self) -> bool {
        self.value.get("type").is_some_and(|t| t == "file")
    }
}

/// Copies the `x-` keys of `from` into `to`.
fn extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from.iter().filter(|(k, _)| k.starts_with("x-")) {
        to.insert(key.clone(), value.clone());
    }
}

/// `X` from `#/{section}/X` (unescaped), for a reference into this document.
fn local_name(reference: &str, section: &str) -> Option<String> {
    let name = reference.strip_prefix('#')?.strip_prefix('/')?.strip_prefix(section)?.strip_prefix('/')?;
    (!name.contains('/')).then(|| unescape(name))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Rewrites every `$ref` into a 2.0 section to the 3.0 component; `names` says that the keys of
/// this object are names (of properties, responses, ...), so none of them is data.
fn rewrite_refs(value: &mut Value, bodies: &HashSet<String>, names: bool) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if names {
                    rewrite_refs(item, bodies, false);
                } else if key == "$ref" {
                    if let Some(new) = item.as_str().and_then(|r| rewrite_ref(r, bodies)) {
                        *item = Value::String(new);
                    }
                } else if !DATA_KEYS.contains(&key.as_str()) {
                    rewrite_refs(item, bodies, NAME_MAPS.contains(&key.as_str()));
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, bodies, false);
            }
        }
        _ => {}
    }
}

/// `file#/definitions/X/...` -> `file#/components/schemas/X/...`; `None` if it needs no change.
fn rewrite_ref(reference: &str, bodies: &HashSet<String>) -> Option<String> {
    let (file, fragment) = reference.split_once('#')?;
    let path = fragment.strip_prefix('/')?;
    let (section, tail) = path.split_once('/').unwrap_or((path, ""));
    let component = match section {
        "definitions" => "schemas",
        "responses" => "responses",
        "parameters" => {
            let name = tail.split('/').next().unwrap_or_default();
            if file.is_empty() && bodies.contains(&unescape(name)) {
                "requestBodies"
            } else {
                "parameters"
            }
        }
        _ => return None,
    };
    let tail = if tail.is_empty() { String::new() } else { format!("/{tail}") };
    Some(format!("{file}#/components/{component}{tail}"))
}

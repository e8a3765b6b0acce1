//! Stage 2: value-level rewrites into the OpenAPI 3.0 shape that `openapiv3` reads.
//!
//! OpenAPI 3.1 schemas are JSON Schema 2020-12; the rewrites here keep their meaning where 3.0 can
//! say the same thing, and warn (naming the pointer) where it cannot.

mod lenient;
mod refs;
mod statuses;
pub mod swagger2;

use crate::diagnostics::{child, Diagnostic};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const HTTP_METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Where the 3.1 `webhooks` wait for lowering. The OpenAPI 3.0 model has no `webhooks` and keeps
/// only `x-` keys at the root, so they move under this extension, which no spec uses (one that
/// does is overwritten); `lower` reads it back, and its pointers say `#/webhooks`.
pub const WEBHOOKS: &str = "x-codegen-webhooks";

/// Rewrites `document` in place; returns warnings for what could not be kept.
pub fn normalise(document: &mut Value) -> Result<Vec<Diagnostic>, Diagnostic> {
    normalise_traced(document, &mut HashMap::new())
}

/// [`normalise`], also filling `origins` with (pointer of a component hoisted from a `$ref` target,
/// pointer of the place it came from): see [`relocate`].
pub fn normalise_traced(
    document: &mut Value,
    origins: &mut HashMap<String, String>,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    // Every stage from here recurses over the document: a deeper one (built by overlays, or handed
    // in) is an error, not a stack overflow.
    crate::load::check_depth(document)?;
    // First, so that its pointers name the document as written.
    let mut warnings = lenient::repair(document);
    warnings.extend(statuses::drop_unknown_statuses(document));
    let Some(root) = document.as_object_mut() else {
        return Err(Diagnostic::error("E0010", "#", "the document is not an object"));
    };
    if let Some(swagger) = root.get("swagger") {
        // YAML reads an unquoted `swagger: 2.0` as a number.
        if swagger != "2.0" && swagger.as_f64() != Some(2.0) {
            return Err(Diagnostic::error(
                "E0011",
                "#/swagger",
                format!("unsupported Swagger version {swagger}: expected 2.0"),
            ));
        }
        // Pointers name places of the 2.0 document, so its references are hoisted before converting.
        *origins = refs::hoist(document, true)?;
        // The result is an OpenAPI 3.0 document, which needs no further rewriting.
        return swagger2::convert(document).map(|converted| [warnings, converted].concat());
    }
    let version = root.get("openapi").and_then(Value::as_str).unwrap_or_default().to_owned();
    if !version.starts_with("3.0") && !version.starts_with("3.1") {
        return Err(Diagnostic::error(
            "E0012",
            "#/openapi",
            format!("unsupported OpenAPI version {version:?}: expected 3.0.x or 3.1.x"),
        ));
    }
    // Before the 3.1 rewrites, which move what the pointers name.
    *origins = refs::hoist(document, false)?;
    if version.starts_with("3.0") {
        set_webhooks_aside(document);
        return Ok(warnings);
    }
    let Some(root) = document.as_object_mut() else { return Ok(warnings) };
    root.insert("openapi".into(), json!("3.0.3"));
    root.remove("jsonSchemaDialect");
    root.entry("paths").or_insert_with(|| json!({}));
    // 3.1 lets an operation leave out `responses`; 3.0 requires the (possibly empty) map.
    for key in ["paths", "webhooks"] {
        if let Some(paths) = root.get_mut(key) {
            default_responses(paths, 0);
        }
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        if components.remove("pathItems").is_some() {
            warnings.push(Diagnostic::warning(
                "W0011",
                "#/components/pathItems",
                "components.pathItems is not supported: skipped",
            ));
        }
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            for (name, schema) in schemas.iter_mut() {
                schema_31(
                    schema,
                    &format!("#/components/schemas/{}", crate::diagnostics::escape_token(name)),
                    &mut warnings,
                );
            }
        }
    }
    if let Some(license) = root.get_mut("info").and_then(|i| i.get_mut("license")).and_then(Value::as_object_mut) {
        license.remove("identifier");
    }
    for key in ["paths", "webhooks", "components"] {
        if let Some(value) = root.get_mut(key) {
            find_schemas(value, &format!("#/{key}"), &mut warnings);
        }
    }
    set_webhooks_aside(document);
    Ok(warnings)
}

/// Gives each operation of a map of path items, and of its callbacks, an empty `responses` map
/// when it has none. `depth` counts callbacks inside callbacks, which stop somewhere.
fn default_responses(paths: &mut Value, depth: usize) {
    let Some(paths) = paths.as_object_mut() else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (method, operation) in item.iter_mut() {
            let Some(operation) = operation.as_object_mut().filter(|_| HTTP_METHODS.contains(&method.as_str())) else {
                continue;
            };
            operation.entry("responses").or_insert_with(|| json!({}));
            if depth < 8 {
                let callbacks = operation.get_mut("callbacks").and_then(Value::as_object_mut);
                for callback in callbacks.into_iter().flat_map(|c| c.values_mut()) {
                    default_responses(callback, depth + 1);
                }
            }
        }
    }
}

/// Moves `webhooks` (3.1; in a 3.0 document, not valid but meant the same) under [`WEBHOOKS`].
fn set_webhooks_aside(document: &mut Value) {
    let Some(root) = document.as_object_mut() else { return };
    root.remove(WEBHOOKS);
    if let Some(webhooks) = root.remove("webhooks") {
        root.insert(WEBHOOKS.to_owned(), webhooks);
    }
}

/// Points a diagnostic inside a component hoisted from a `$ref` target (see [`normalise_traced`]) at
/// the place in the spec that the component came from.
pub fn relocate(mut diagnostic: Diagnostic, origins: &HashMap<String, String>) -> Diagnostic {
    if origins.is_empty() {
        return diagnostic;
    }
    let pointer = &diagnostic.pointer;
    let ends = pointer.match_indices('/').map(|(i, _)| i).chain([pointer.len()]);
    for end in ends {
        if let Some(origin) = origins.get(&pointer[..end]) {
            diagnostic.pointer = format!("{origin}{}", &pointer[end..]);
            break;
        }
    }
    diagnostic
}

/// Walks non-schema parts of the document and rewrites every `schema` found.
fn find_schemas(value: &mut Value, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let here = child(pointer, key);
                match key.as_str() {
                    "schema" => schema_31(item, &here, warnings),
                    // Component schemas are rewritten by the caller; examples are data, not spec.
                    "schemas" if pointer == "#/components" => {}
                    "example" | "examples" => {}
                    _ => find_schemas(item, &here, warnings),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                find_schemas(item, &format!("{pointer}/{i}"), warnings);
            }
        }
        _ => {}
    }
}

/// Rewrites one 3.1 schema, and its subschemas, into the 3.0 shape.
fn schema_31(schema: &mut Value, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    // Boolean schemas: `true` allows anything, `false` nothing (kept as "anything", with a note).
    if let Value::Bool(allowed) = schema {
        if !*allowed {
            warnings.push(Diagnostic::warning("W0012", pointer, "the `false` schema is read as any value"));
        }
        *schema = json!({});
        return;
    }
    let Some(map) = schema.as_object_mut() else { return };
    recurse_subschemas(map, pointer, warnings);

    type_list(map, "nullable");
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), json!([value]));
    }
    if let Some(Value::Array(mut examples)) = map.remove("examples") {
        if !map.contains_key("example") && !examples.is_empty() {
            map.insert("example".into(), examples.swap_remove(0));
        }
    }
    for (bound, exclusive) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
        if let Some(limit) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(bound.into(), limit);
            map.insert(exclusive.into(), json!(true));
        }
    }
    nullable_union(map);
    ref_with_siblings(map);
}

/// `type: [X, "null"]` and `type: "null"`: `null` becomes `nullable_key: true` (`nullable`, or
/// Swagger 2.0's `x-nullable`), one other type is the `type`, several become a `oneOf` (see
/// [`split_types`]). Returns whether there was such a `type`.
fn type_list(map: &mut Map<String, Value>, nullable_key: &str) -> bool {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let mut non_null: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        let had_null = map.get("type").and_then(Value::as_array).map_or(0, Vec::len) != non_null.len();
        if had_null {
            map.insert(nullable_key.into(), json!(true));
        }
        match non_null.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), non_null.remove(0));
            }
            _ => {
                map.remove("type");
                split_types(map, non_null);
            }
        }
        true
    } else if map.get("type").is_some_and(|t| t == "null") {
        map.remove("type");
        map.insert(nullable_key.into(), json!(true));
        true
    } else {
        false
    }
}

fn recurse_subschemas(map: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) =
            map.get_mut(key).filter(|v| v.is_object() || (key != "additionalProperties" && v.is_boolean()))
        {
            schema_31(sub, &child(pointer, key), warnings);
        }
    }
    for key in ["properties", "patternProperties", "$defs"] {
        if let Some(Value::Object(subs)) = map.get_mut(key) {
            let here = child(pointer, key);
            for (name, sub) in subs.iter_mut() {
                schema_31(sub, &child(&here, name), warnings);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
        if let Some(Value::Array(subs)) = map.get_mut(key) {
            let here = child(pointer, key);
            for (i, sub) in subs.iter_mut().enumerate() {
                schema_31(sub, &format!("{here}/{i}"), warnings);
            }
        }
    }
}

/// Keywords that belong to one JSON type, so a multi-type schema can give each branch its own.
fn keyword_type(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" | "prefixItems" => "array",
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "patternProperties" => "object",
        _ => return None,
    })
}

/// `type: [string, integer]` becomes `oneOf` with one branch per type, each keeping the keywords
/// that apply to it (and `format`/`enum` values of its type); docs stay on the parent.
fn split_types(map: &mut Map<String, Value>, types: Vec<Value>) {
    let mut branches = Vec::new();
    for ty in &types {
        let name = ty.as_str().unwrap_or_default();
        let family = if name == "integer" { "number" } else { name };
        let mut branch = Map::new();
        branch.insert("type".into(), ty.clone());
        for (key, value) in map.iter() {
            if keyword_type(key) == Some(family) {
                branch.insert(key.clone(), value.clone());
            }
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            let kept: Vec<Value> = values.iter().filter(|v| json_type_matches(v, name)).cloned().collect();
            if !kept.is_empty() {
                branch.insert("enum".into(), Value::Array(kept));
            }
        }
        if let Some(format) = map.get("format").filter(|_| matches!(name, "string" | "integer" | "number")) {
            branch.insert("format".into(), format.clone());
        }
        branches.push(Value::Object(branch));
    }
    map.retain(|key, _| keyword_type(key).is_none() && key != "enum" && key != "format");
    map.insert("oneOf".into(), Value::Array(branches));
}

fn json_type_matches(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// `anyOf`/`oneOf: [X, {type: null}]` becomes X with `nullable: true`.
fn nullable_union(map: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(options)) = map.get(key) else { continue };
        let is_null =
            |v: &Value| v.as_object().is_some_and(|o| o.len() == 1 && o.get("nullable") == Some(&json!(true)));
        if options.len() < 2 || !options.iter().any(is_null) {
            continue;
        }
        let rest: Vec<Value> = options.iter().filter(|v| !is_null(v)).cloned().collect();
        map.insert("nullable".into(), json!(true));
        if rest.len() == 1 {
            map.remove(key);
            map.insert("allOf".into(), Value::Array(rest));
        } else {
            map.insert(key.into(), Value::Array(rest));
        }
    }
}

/// In 3.1 a `$ref` may have siblings; 3.0 ignores them, so wrap the reference in `allOf`.
fn ref_with_siblings(map: &mut Map<String, Value>) {
    if map.len() > 1 {
        if let Some(reference) = map.remove("$ref") {
            map.insert("allOf".into(), json!([{ "$ref": reference }]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(schema: Value) -> Value {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": schema}}});
        normalise(&mut doc).unwrap();
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_arrays_with_null_become_nullable() {
        assert_eq!(
            normalised(json!({"type": ["string", "null"], "minLength": 1})),
            json!({"type": "string", "nullable": true, "minLength": 1})
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds_are_rewritten() {
        assert_eq!(normalised(json!({"const": "a"})), json!({"enum": ["a"]}));
        assert_eq!(
            normalised(json!({"type": "string", "examples": ["x", "y"]})),
            json!({"type": "string", "example": "x"})
        );
        assert_eq!(
            normalised(json!({"type": "number", "exclusiveMinimum": 0})),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn nullable_refs_become_allof_wrappers() {
        assert_eq!(
            normalised(json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(
            normalised(json!({"$ref": "#/components/schemas/A", "description": "d"})),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
    }

    #[test]
    fn nested_schemas_in_operations_are_rewritten() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
                {"schema": {"type": "object", "properties": {"x": {"type": ["integer", "null"]}}}}}}}}}},
            "webhooks": {"w": {"post": {"requestBody": {"content": {"application/json": {"schema":
                {"type": ["string", "null"]}}}}}}}});
        let warnings = normalise(&mut doc).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        // Webhooks wait under an extension the 3.0 model keeps, rewritten like the paths.
        let hook = &doc[WEBHOOKS]["w"]["post"];
        assert_eq!(
            hook["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(hook["responses"], json!({}));
        assert!(doc.get("webhooks").is_none());
        let x =
            &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["x"];
        assert_eq!(x, &json!({"type": "integer", "nullable": true}));
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn several_types_become_one_of_with_their_own_keywords() {
        assert_eq!(
            normalised(
                json!({"type": ["string", "integer", "null"], "minLength": 1, "minimum": 0, "description": "d"})
            ),
            json!({"nullable": true, "description": "d",
                "oneOf": [{"type": "string", "minLength": 1}, {"type": "integer", "minimum": 0}]})
        );
    }

    #[test]
    fn operations_without_responses_get_an_empty_map() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a"}, "summary": "s"}}});
        normalise(&mut doc).unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(doc["paths"]["/a"]["summary"], "s");
    }

    #[test]
    fn swagger_and_unknown_versions_are_errors() {
        let mut swagger = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        assert!(normalise(&mut swagger).unwrap().is_empty());
        assert_eq!(swagger["openapi"], "3.0.3");
        assert_eq!(normalise(&mut json!({"swagger": "1.2"})).unwrap_err().code, "E0011");
        assert_eq!(normalise(&mut json!({"openapi": "4.0"})).unwrap_err().code, "E0012");
    }
}

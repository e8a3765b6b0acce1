//! Details the OpenAPI 3.0 model (`openapiv3`) rejects but whose meaning is plain, repaired in
//! place with a warning each, so that one of them does not stop the whole spec (E0020):
//!
//! - a number or boolean where the model wants a string (`openapi: 3.0` and `info.version: 1` in
//!   YAML, `description: 123`, `pattern: 0`, items of a string schema's `enum`, of `required` or an
//!   operation's `tags`, a server variable's `default`): read as its text (W0019);
//! - a `type` list (`type: [string, "null"]`) or `type: "null"` in a Swagger 2.0 or OpenAPI 3.0
//!   document: read the way the 3.1 rewrite reads it, `null` as `nullable` (W0013);
//! - a callback the model cannot read: an operation's `$ref` to a component callback is replaced
//!   by a copy of it (the model reads a `$ref` only in `components.callbacks`); any other `$ref`
//!   there, or a shape it rejects, is left out (W0055), so the rest of the spec still generates.
//!
//! It runs first, on the document as written, so its pointers name what the author wrote (in a
//! Swagger 2.0 document, before conversion).

use super::type_list;
use crate::diagnostics::{escape_token, Diagnostic};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt::Write;

/// What a key of a keyword object holds, for the repairs.
enum Key {
    /// Instance data (`example`, `default`...), a name-to-reference table (`mapping`), an
    /// extension, or a part that is dropped later (`pathItems`): left alone.
    Skip,
    /// A keyword the model reads only as a string, wherever it appears outside instance data
    /// (every place these keys appear in OpenAPI 2.0/3.x is a string there).
    String,
    /// An object keyed by names (property names, status codes, media types...): a child named
    /// `default` or `example` is not instance data.
    Names,
    /// Anything else: walked.
    Other,
}

fn key_kind(key: &str) -> Key {
    match key {
        "example" | "x-example" | "default" | "const" | "value" | "mapping" | "pathItems" => Key::Skip,
        "openapi" | "title" | "summary" | "description" | "version" | "termsOfService" | "name" | "email" | "url"
        | "operationId" | "operationRef" | "pattern" | "format" | "propertyName" | "scheme" | "bearerFormat"
        | "openIdConnectUrl" | "authorizationUrl" | "tokenUrl" | "refreshUrl" | "contentType" | "externalValue" => {
            Key::String
        }
        "properties"
        | "patternProperties"
        | "definitions"
        | "$defs"
        | "dependentSchemas"
        | "schemas"
        | "parameters"
        | "responses"
        | "headers"
        | "requestBodies"
        | "securitySchemes"
        | "securityDefinitions"
        | "paths"
        | "webhooks"
        | "content"
        | "encoding"
        | "links"
        | "examples" => Key::Names,
        key if key.starts_with("x-") => Key::Skip,
        _ => Key::Other,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// Repairs `document` in place (see the module docs); returns a warning per repair.
pub fn repair(document: &mut Value) -> Vec<Diagnostic> {
    let Some(root) = document.as_object_mut() else { return Vec::new() };
    let dialect = if root.contains_key("swagger") {
        Dialect::Swagger2
    } else {
        match root.get("openapi") {
            Some(Value::String(v)) if v.starts_with("3.1") => Dialect::OpenApi31,
            Some(Value::Number(v)) if v.to_string().starts_with("3.1") => Dialect::OpenApi31,
            _ => Dialect::OpenApi30,
        }
    };
    // What an operation's `$ref` to a component callback is replaced with.
    let component_callbacks =
        root.get("components").and_then(|c| c.get("callbacks")).and_then(Value::as_object).cloned().unwrap_or_default();
    let mut repair = Repair { dialect, warnings: Vec::new(), pointer: String::from("#"), component_callbacks };
    repair.object(root);
    repair.warnings
}

/// The walk. It visits every node of the document, so it allocates nothing until it repairs
/// something: the pointer of the node visited is one buffer, extended and cut back.
struct Repair {
    dialect: Dialect,
    warnings: Vec<Diagnostic>,
    pointer: String,
    /// `components.callbacks` as written.
    component_callbacks: Map<String, Value>,
}

impl Repair {
    /// Extends the pointer by `token`; returns its length before, for [`Self::leave`].
    fn enter(&mut self, token: &str) -> usize {
        let before = self.pointer.len();
        self.pointer.push('/');
        if token.contains(['~', '/']) {
            self.pointer.push_str(&escape_token(token));
        } else {
            self.pointer.push_str(token);
        }
        before
    }

    fn enter_index(&mut self, index: usize) -> usize {
        let before = self.pointer.len();
        let _ = write!(self.pointer, "/{index}");
        before
    }

    fn leave(&mut self, before: usize) {
        self.pointer.truncate(before);
    }

    /// An object of keywords (a schema, an operation, a parameter, the root...).
    fn object(&mut self, map: &mut Map<String, Value>) {
        let (mut string_schema, listed) = match map.get("type") {
            Some(Value::String(ty)) => (ty == "string", ty == "null"),
            Some(Value::Array(_)) => (false, true),
            _ => (false, false),
        };
        // 3.1 documents get these rewrites, without a warning, from the 3.1 normalisation.
        if listed && self.dialect != Dialect::OpenApi31 {
            self.type_list(map);
            string_schema = map.get("type").is_some_and(|t| t == "string");
        }
        for (key, value) in map.iter_mut() {
            match (key_kind(key), key.as_str()) {
                (Key::Skip, _) => {}
                (Key::String, _) => {
                    if !value.is_string() {
                        let at = self.enter(key);
                        self.scalar(value, &format!("`{key}`"));
                        self.leave(at);
                    }
                }
                // 3.1 schema examples: instance data; 3.0 examples: a map of Example objects.
                (Key::Names, "examples") if value.is_array() => {}
                (Key::Names, _) if value.is_object() => {
                    let at = self.enter(key);
                    for (name, item) in value.as_object_mut().into_iter().flatten() {
                        let here = self.enter(name);
                        self.value(item);
                        self.leave(here);
                    }
                    self.leave(at);
                }
                // An operation's callbacks and the components'.
                (_, "callbacks") => {
                    let components = self.pointer == "#/components";
                    let at = self.enter(key);
                    self.callbacks(value, components);
                    self.leave(at);
                }
                (_, "enum") if string_schema => {
                    let at = self.enter(key);
                    self.string_items(value, "an item of a string `enum`");
                    self.leave(at);
                }
                (_, "enum") => {}
                (_, "required" | "tags") if value.is_array() => {
                    let at = self.enter(key);
                    self.string_items(value, &format!("an item of `{key}`"));
                    self.value(value);
                    self.leave(at);
                }
                (_, "variables") => {
                    let at = self.enter(key);
                    for (name, variable) in value.as_object_mut().into_iter().flatten() {
                        let here = self.enter(name);
                        self.server_variable(variable);
                        self.leave(here);
                    }
                    self.leave(at);
                }
                (_, "scopes") => {
                    let at = self.enter(key);
                    for (name, description) in value.as_object_mut().into_iter().flatten() {
                        let here = self.enter(name);
                        self.scalar(description, "a scope's description");
                        self.leave(here);
                    }
                    self.leave(at);
                }
                _ => {
                    if value.is_object() || value.is_array() {
                        let at = self.enter(key);
                        self.value(value);
                        self.leave(at);
                    }
                }
            }
        }
    }

    fn value(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => self.object(map),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if item.is_object() || item.is_array() {
                        let at = self.enter_index(i);
                        self.value(item);
                        self.leave(at);
                    }
                }
            }
            _ => {}
        }
    }

    /// A `type` list in a Swagger 2.0 or OpenAPI 3.0 document, read as the 3.1 rewrite reads it.
    fn type_list(&mut self, map: &mut Map<String, Value>) {
        let written = map.get("type").cloned().unwrap_or_default();
        let (nullable, version) = match self.dialect {
            Dialect::Swagger2 => ("x-nullable", "Swagger 2.0"),
            _ => ("nullable", "OpenAPI 3.0"),
        };
        type_list(map, nullable);
        let types: Vec<&Value> = written.as_array().map_or_else(|| vec![&written], |t| t.iter().collect());
        let mut read = Vec::new();
        if types.iter().any(|t| *t == "null") {
            read.push(format!("`{nullable}: true`"));
        }
        match types.iter().filter(|t| **t != "null").count() {
            0 => read.push("any type".to_owned()),
            1 => {}
            _ => read.push("a `oneOf` with one branch per type".to_owned()),
        }
        let read = if read.is_empty() { "its one type".to_owned() } else { read.join(" and ") };
        let at = self.enter("type");
        self.warnings.push(Diagnostic::warning(
            "W0013",
            self.pointer.clone(),
            format!("`type: {written}` is OpenAPI 3.1, not {version}: read as 3.1 reads it, {read}"),
        ));
        self.leave(at);
    }

    /// A number or boolean where a string is wanted (at the pointer) becomes its text.
    fn scalar(&mut self, value: &mut Value, what: &str) {
        let kind = match value {
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            _ => return,
        };
        let text = value.to_string();
        self.warnings.push(Diagnostic::warning(
            "W0019",
            self.pointer.clone(),
            format!("{what} is {kind} where a string is expected: read as the string {text:?}"),
        ));
        *value = Value::String(text);
    }

    /// The numbers and booleans of a list of strings become their text (one warning per item).
    fn string_items(&mut self, value: &mut Value, what: &str) {
        for (i, item) in value.as_array_mut().into_iter().flatten().enumerate() {
            if item.is_number() || item.is_boolean() {
                let at = self.enter_index(i);
                self.scalar(item, what);
                self.leave(at);
            }
        }
    }

    /// A server variable: its `default` and `enum` are strings (unlike a schema's).
    fn server_variable(&mut self, variable: &mut Value) {
        let Some(map) = variable.as_object_mut() else { return };
        for (key, value) in map.iter_mut() {
            let at = self.enter(key);
            match key.as_str() {
                "default" | "description" => self.scalar(value, &format!("a server variable's `{key}`")),
                "enum" => self.string_items(value, "an item of a server variable's `enum`"),
                _ => {}
            }
            self.leave(at);
        }
    }

    /// Callbacks become events (the `webhooks` module); one the model cannot read is left out
    /// rather than failing the spec. `openapiv3` reads an operation's callback only inline (a `$ref`
    /// there is valid OpenAPI 3.0 that it rejects), a component callback inline or as a `$ref`: an
    /// operation's `$ref` to a component callback is replaced by a copy of the component.
    fn callbacks(&mut self, value: &mut Value, components: bool) {
        let Some(callbacks) = value.as_object_mut() else { return };
        let mut dropped = Vec::new();
        for (name, callback) in callbacks.iter_mut() {
            let is_ref = callback.get("$ref").is_some_and(Value::is_string);
            if is_ref && !components {
                if let Some(target) = self.component_callback(callback) {
                    *callback = target;
                }
            }
            let at = self.enter(name);
            self.value(callback);
            self.leave(at);
        }
        let dialect = self.dialect;
        callbacks.retain(|name, callback| {
            let readable = (components && callback.get("$ref").is_some_and(Value::is_string))
                || readable_callback(callback, dialect);
            if !readable {
                dropped.push(name.clone());
            }
            readable
        });
        for name in dropped {
            let at = self.enter(&name);
            self.warnings.push(Diagnostic::warning(
                "W0055",
                self.pointer.clone(),
                "a callback that cannot be read (a `$ref` that is not to a callback of `components.callbacks`, \
                 or not a map of path items): it is skipped",
            ));
            self.leave(at);
        }
    }

    /// The component callback a `{$ref: '#/components/callbacks/Name'}` names, following a few
    /// references between component callbacks; `None` when it names none.
    fn component_callback(&self, callback: &Value) -> Option<Value> {
        let mut current = callback;
        for _ in 0..8 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Some(current.clone());
            };
            let name = reference.strip_prefix("#/components/callbacks/")?;
            current = self.component_callbacks.get(&name.replace("~1", "/").replace("~0", "~"))?;
        }
        None
    }
}

/// Whether the model reads `callback`: in a 3.1 document, once its schemas and operations are
/// rewritten into the 3.0 shape (on a copy: the rewrite itself comes later).
fn readable_callback(callback: &Value, dialect: Dialect) -> bool {
    if dialect != Dialect::OpenApi31 {
        return openapiv3::Callback::deserialize(callback).is_ok();
    }
    let mut copy = callback.clone();
    super::find_schemas(&mut copy, "#", &mut Vec::new());
    super::default_responses(&mut copy, 0);
    openapiv3::Callback::deserialize(&copy).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(warnings: &[Diagnostic]) -> Vec<(&str, &str)> {
        warnings.iter().map(|w| (w.code, w.pointer.as_str())).collect()
    }

    #[test]
    fn scalars_where_strings_are_wanted_become_their_text() {
        let mut doc = json!({"openapi": 3.0, "info": {"title": 2024, "version": 1, "description": true},
            "paths": {"/a": {"get": {"tags": [2021, "b"], "summary": 5, "responses": {"default": {"description": 404}}}}},
            "components": {"schemas": {"S": {"type": "object", "required": [1], "properties": {
                "default": {"type": "string", "pattern": 0, "enum": [1, 2.5, "x", null], "default": 3, "example": 4},
                "n": {"type": "integer", "enum": [1, 2]}}}}}});
        let warnings = repair(&mut doc);
        assert_eq!(doc["openapi"], "3.0");
        assert_eq!(doc["info"], json!({"title": "2024", "version": "1", "description": "true"}));
        assert_eq!(doc["paths"]["/a"]["get"]["tags"], json!(["2021", "b"]));
        assert_eq!(doc["paths"]["/a"]["get"]["summary"], "5");
        assert_eq!(doc["paths"]["/a"]["get"]["responses"]["default"]["description"], "404");
        let s = &doc["components"]["schemas"]["S"];
        assert_eq!(s["required"], json!(["1"]));
        // Data (`default`, `example`) and the enums of other types stay as they are.
        assert_eq!(
            s["properties"]["default"],
            json!({"type": "string", "pattern": "0", "enum": ["1", "2.5", "x", null], "default": 3, "example": 4})
        );
        assert_eq!(s["properties"]["n"]["enum"], json!([1, 2]));
        assert!(warnings.iter().all(|w| w.code == "W0019"), "{warnings:?}");
        assert!(codes(&warnings).contains(&("W0019", "#/info/version")));
        assert!(codes(&warnings).contains(&("W0019", "#/components/schemas/S/properties/default/enum/1")));
        assert_eq!(warnings.len(), 11);
    }

    #[test]
    fn examples_and_extensions_are_left_alone() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "x-logo": {"title": 1},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "examples": {"one": {"summary": 1, "value": {"description": 2}}}}}}}}}}});
        let warnings = repair(&mut doc);
        assert_eq!(doc["x-logo"]["title"], 1);
        let example = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["examples"]["one"];
        assert_eq!(example, &json!({"summary": "1", "value": {"description": 2}}));
        assert_eq!(
            codes(&warnings),
            [("W0019", "#/paths/~1a/get/responses/200/content/application~1json/examples/one/summary")]
        );
    }

    #[test]
    fn server_variables_are_strings() {
        let mut doc = json!({"openapi": "3.0.3", "servers": [{"url": "https://{host}:{port}",
            "variables": {"port": {"default": 8443, "enum": [8443, 443]}, "host": {"default": "a"}}}]});
        let warnings = repair(&mut doc);
        assert_eq!(doc["servers"][0]["variables"]["port"], json!({"default": "8443", "enum": ["8443", "443"]}));
        assert_eq!(warnings.len(), 3);
    }

    #[test]
    fn type_lists_in_30_become_nullable_with_a_warning() {
        let mut doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "A": {"type": ["string", "null"], "maxLength": 3},
            "B": {"type": "object", "properties": {"b": {"type": ["integer", "string"], "minimum": 1}}},
            "C": {"type": "null"}}}});
        let warnings = repair(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["A"], json!({"type": "string", "maxLength": 3, "nullable": true}));
        assert_eq!(
            schemas["B"]["properties"]["b"],
            json!({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string"}]})
        );
        assert_eq!(schemas["C"], json!({"nullable": true}));
        assert_eq!(
            codes(&warnings),
            [
                ("W0013", "#/components/schemas/A/type"),
                ("W0013", "#/components/schemas/B/properties/b/type"),
                ("W0013", "#/components/schemas/C/type")
            ]
        );
    }

    #[test]
    fn type_lists_in_swagger_2_use_x_nullable_and_31_is_left_to_its_rewrite() {
        let mut doc = json!({"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "query", "type": ["string", "null"]}]}}}});
        let warnings = repair(&mut doc);
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0],
            json!({"name": "q", "in": "query", "type": "string", "x-nullable": true})
        );
        assert_eq!(codes(&warnings), [("W0013", "#/paths/~1a/get/parameters/0/type")]);

        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"A": {"type": ["string", "null"]}}}});
        assert!(repair(&mut doc).is_empty());
        assert_eq!(doc["components"]["schemas"]["A"]["type"], json!(["string", "null"]));
    }

    #[test]
    fn callback_refs_are_copied_and_unreadable_callbacks_are_skipped() {
        let path_item = json!({"post": {"responses": {"200": {"description": "ok"}}}});
        let mut doc = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"callbacks": {
                "byRef": {"$ref": "#/components/callbacks/C"},
                "twoHops": {"$ref": "#/components/callbacks/R"},
                "missing": {"$ref": "#/components/callbacks/Missing"},
                "broken": {"{$request.body#/url}": "not a path item"},
                "inline": {"{$request.body#/url}": path_item.clone()}}}}},
            "components": {"callbacks": {"C": {"{$request.body#/url}": path_item.clone()},
                "R": {"$ref": "#/components/callbacks/C"}}}});
        let warnings = repair(&mut doc);
        let callbacks = doc["paths"]["/a"]["get"]["callbacks"].as_object().unwrap();
        assert_eq!(callbacks.keys().collect::<Vec<_>>(), ["byRef", "twoHops", "inline"]);
        assert_eq!(callbacks["byRef"], doc["components"]["callbacks"]["C"]);
        assert_eq!(callbacks["twoHops"], doc["components"]["callbacks"]["C"]);
        assert_eq!(doc["components"]["callbacks"].as_object().unwrap().len(), 2);
        assert_eq!(
            codes(&warnings),
            [("W0055", "#/paths/~1a/get/callbacks/missing"), ("W0055", "#/paths/~1a/get/callbacks/broken")]
        );
    }

    #[test]
    fn webhooks_and_callbacks_are_repaired_like_paths() {
        let mut doc = json!({"openapi": "3.1.0", "webhooks": {"hook": {"post": {"description": 1,
            "callbacks": {"cb": {"{$request.body#/url}": {"post": {"summary": true, "responses": {}}}}}}}}});
        let warnings = repair(&mut doc);
        assert_eq!(
            codes(&warnings),
            [
                ("W0019", "#/webhooks/hook/post/description"),
                ("W0019", "#/webhooks/hook/post/callbacks/cb/{$request.body#~1url}/post/summary")
            ]
        );
    }
}

//! Schema keywords 3.0 says differently: `type: file`, `x-nullable`, a `discriminator` that is a
//! bare property name; non-body parameters and headers get their type keys moved into `schema`.

use super::{Converter, SCHEMA_KEYS};
use crate::diagnostics::{child, Diagnostic};
use serde_json::{json, Map, Value};

impl Converter {
    /// Takes the type keys of a parameter, header or items object out into a converted schema.
    pub(super) fn moved_schema(&mut self, object: &mut Map<String, Value>, here: &str) -> Value {
        let mut moved = Map::new();
        for key in SCHEMA_KEYS {
            if let Some(value) = object.shift_remove(*key) {
                moved.insert((*key).into(), value);
            }
        }
        let existing = object.shift_remove("schema");
        if let Some(items) = moved.get_mut("items") {
            self.items(items, &child(here, "items"));
        }
        let mut schema = match existing {
            Some(existing) if moved.is_empty() => existing,
            _ => Value::Object(moved),
        };
        self.schema(&mut schema, here);
        schema
    }

    /// A 2.0 items object (of a non-body parameter or header) into a schema.
    fn items(&mut self, items: &mut Value, here: &str) {
        let Some(map) = items.as_object_mut() else { return };
        if map.shift_remove("collectionFormat").is_some() {
            self.warnings.push(Diagnostic::warning(
                "W0015",
                child(here, "collectionFormat"),
                "a nested `collectionFormat` has no OpenAPI 3.0 equivalent: the default style is used",
            ));
        }
        if let Some(inner) = map.get_mut("items") {
            self.items(inner, &child(here, "items"));
        }
    }

    /// Rewrites one 2.0 schema, and its subschemas, into the 3.0 shape.
    pub(super) fn schema(&mut self, schema: &mut Value, here: &str) {
        let Some(map) = schema.as_object_mut() else { return };
        if let Some(Value::Array(items)) = map.get_mut("items") {
            let (item, message) = if items.len() == 1 {
                (items.remove(0), "a one-element `items` list is read as that element's schema")
            } else {
                (json!({}), "a tuple `items` list has no OpenAPI 3.0 equivalent: items are read as any value")
            };
            self.warnings.push(Diagnostic::warning("W0018", child(here, "items"), message));
            map.insert("items".into(), item);
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub) = map.get_mut(key) {
                self.schema(sub, &child(here, key));
            }
        }
        let mut required_properties = Vec::new();
        if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
            let at = child(here, "properties");
            for (name, sub) in properties.iter_mut() {
                let sub_pointer = child(&at, name);
                // `required: true` on a property is a common 2.0 mistake; it means the parent's list.
                if let Some(sub) = sub.as_object_mut() {
                    if let Some(flag) = sub.get("required").and_then(Value::as_bool) {
                        sub.shift_remove("required");
                        if flag {
                            required_properties.push(name.clone());
                        }
                        self.warnings.push(Diagnostic::warning(
                            "W0018",
                            child(&sub_pointer, "required"),
                            "a boolean `required` on a property is read as an entry in the object's `required` list",
                        ));
                    }
                }
                self.schema(sub, &sub_pointer);
            }
        }
        if !required_properties.is_empty() {
            if let Value::Array(list) = map.entry("required").or_insert_with(|| json!([])) {
                for name in required_properties {
                    if !list.iter().any(|n| n == name.as_str()) {
                        list.push(json!(name));
                    }
                }
            }
        }
        if map.get("required").is_some_and(Value::is_boolean) {
            map.shift_remove("required");
            self.warnings.push(Diagnostic::warning(
                "W0018",
                child(here, "required"),
                "a boolean `required` on a schema has no meaning: dropped",
            ));
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(subs)) = map.get_mut(key) {
                let at = child(here, key);
                for (i, sub) in subs.iter_mut().enumerate() {
                    self.schema(sub, &format!("{at}/{i}"));
                }
            }
        }
        if map.get("type").is_some_and(|t| t == "file") {
            map.insert("type".into(), json!("string"));
            map.insert("format".into(), json!("binary"));
        }
        if let Some(nullable) = map.shift_remove("x-nullable") {
            if nullable == true {
                map.insert("nullable".into(), json!(true));
            }
        }
        if let Some(property) = map.get("discriminator").and_then(Value::as_str) {
            let discriminator = json!({ "propertyName": property });
            map.insert("discriminator".into(), discriminator);
        }
        // 3.0 ignores the siblings of a `$ref`, so a nullable reference is wrapped in `allOf`.
        if map.len() > 1 && map.contains_key("nullable") {
            if let Some(reference) = map.shift_remove("$ref") {
                map.insert("allOf".into(), json!([{ "$ref": reference }]));
            }
        }
    }
}

//! Swagger 2.0 into OpenAPI 3.0.3, as a rewrite of the JSON document.
//!
//! Everything 3.0 can say the same way is kept; what it cannot is dropped with a warning whose
//! pointer names the place in the Swagger 2.0 input (the file the person wrote), not in the result.

use crate::diagnostics::{child, escape_token, pointer, Diagnostic};
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

impl Converter {
    fn warn_parameter(&mut self, at: &str, message: &str) {
        self.warnings.push(Diagnostic::warning("W0014", at, message));
    }

    fn path_item(&mut self, item: &mut Map<String, Value>, here: &str) {
        let mut inherited = Vec::new();
        if let Some(parameters) = item.get_mut("parameters") {
            let (plain, bodies) = self.split_parameters(parameters.take(), &child(here, "parameters"));
            inherited = bodies;
            if plain.is_empty() {
                item.shift_remove("parameters");
            } else {
                item.insert("parameters".into(), Value::Array(plain));
            }
        }
        for method in METHODS {
            if let Some(operation) = item.get_mut(*method).and_then(Value::as_object_mut) {
                self.operation(operation, &inherited, &child(here, method));
            }
        }
    }

    /// Converts the non-body parameters of a list and returns the body and formData ones resolved.
    fn split_parameters(&mut self, parameters: Value, here: &str) -> (Vec<Value>, Vec<Param>) {
        let mut plain = Vec::new();
        let mut bodies = Vec::new();
        let Value::Array(parameters) = parameters else {
            self.warn_parameter(here, "`parameters` is not a list: skipped");
            return (plain, bodies);
        };
        for (i, parameter) in parameters.into_iter().enumerate() {
            let at = format!("{here}/{i}");
            let Value::Object(parameter) = parameter else {
                self.warn_parameter(&at, "the parameter is not an object: skipped");
                continue;
            };
            if let Some(reference) = parameter.get("$ref") {
                let Some(reference) = reference.as_str() else {
                    self.warn_parameter(&at, "the parameter's `$ref` is not a string: skipped");
                    continue;
                };
                let target = local_name(reference, "parameters")
                    .and_then(|name| Some((self.parameters.get(&name)?.as_object()?.clone(), name)));
                match target {
                    Some((value, name)) if matches!(location(&value), "body" | "formData") => {
                        let pointer = pointer(["parameters", &name]);
                        bodies.push(Param { value, pointer, reference: Some(name) });
                    }
                    // Other parameters stay references; one that does not resolve is reported later.
                    _ => plain.push(Value::Object(parameter)),
                }
                continue;
            }
            match location(&parameter) {
                "body" | "formData" => bodies.push(Param { value: parameter, pointer: at, reference: None }),
                "query" | "header" | "path" => plain.push(self.parameter(&parameter, &at)),
                other => {
                    self.warn_parameter(&at, &format!("parameter location `in: {other}` is not supported: skipped"))
                }
            }
        }
        (plain, bodies)
    }

    fn operation(&mut self, operation: &mut Map<String, Value>, inherited: &[Param], here: &str) {
        let consumes = operation_media_types(operation.shift_remove("consumes"), &self.consumes);
        let produces = operation_media_types(operation.shift_remove("produces"), &self.produces);
        if let Some(schemes) = operation.shift_remove("schemes") {
            if let Some(scheme) = &self.scheme {
                if !schemes.as_array().is_some_and(|s| s.iter().any(|x| x == scheme.as_str())) {
                    self.warnings.push(Diagnostic::warning(
                        "W0017",
                        child(here, "schemes"),
                        format!("operation-level `schemes` are not kept: the server's `{scheme}` is used"),
                    ));
                }
            }
        }

        let (plain, own) = match operation.get_mut("parameters") {
            Some(parameters) => self.split_parameters(parameters.take(), &child(here, "parameters")),
            None => (Vec::new(), Vec::new()),
        };
        if plain.is_empty() {
            operation.shift_remove("parameters");
        } else {
            operation.insert("parameters".into(), Value::Array(plain));
        }
        let is_body = |p: &&Param| p.location() == "body";
        let own_bodies: Vec<&Param> = own.iter().filter(is_body).collect();
        let own_forms: Vec<&Param> = own.iter().filter(|p| !is_body(p)).collect();
        let mut bodies = if own_bodies.is_empty() { inherited.iter().filter(is_body).collect() } else { own_bodies };
        let mut forms = own_forms.clone();
        for form in inherited.iter().filter(|p| !is_body(p)) {
            if !own_forms.iter().any(|own| own.name() == form.name()) {
                forms.push(form);
            }
        }
        if !bodies.is_empty() && !forms.is_empty() {
            // One of the two must go; the kind the operation itself declares wins.
            let dropped = if own_forms.is_empty() || own.iter().any(|p| is_body(&p)) {
                std::mem::take(&mut forms)
            } else {
                std::mem::take(&mut bodies)
            };
            for param in dropped {
                self.warn_parameter(
                    &param.pointer,
                    "body and formData parameters cannot be used together: this parameter is skipped",
                );
            }
        }
        for extra in bodies.iter().skip(1) {
            self.warn_parameter(
                &extra.pointer,
                "an operation has only one body: this second body parameter is skipped",
            );
        }
        let body = if let Some(body) = bodies.first() {
            match &body.reference {
                Some(name) if consumes == self.consumes => {
                    Some(json!({ "$ref": format!("#/components/requestBodies/{}", escape_token(name)) }))
                }
                _ => Some(self.body(body, &consumes)),
            }
        } else if !forms.is_empty() {
            Some(self.form(&forms, &consumes))
        } else {
            None
        };
        if let Some(body) = body {
            operation.insert("requestBody".into(), body);
        }

        match operation.get_mut("responses").and_then(Value::as_object_mut) {
            Some(responses) => {
                let at = child(here, "responses");
                for (code, response) in responses.iter_mut().filter(|(code, _)| !code.starts_with("x-")) {
                    self.response(response, &produces, &child(&at, code));
                }
            }
            None => {
                operation.insert("responses".into(), json!({}));
            }
        }
    }

    /// A query, header or path parameter: its type keys move into `schema`, `collectionFormat`
    /// becomes `style`/`explode`.
    fn parameter(&mut self, parameter: &Map<String, Value>, here: &str) -> Value {
        let mut parameter = parameter.clone();
        let location = location(&parameter).to_owned();
        let format = parameter.shift_remove("collectionFormat");
        let schema = self.moved_schema(&mut parameter, here);
        let is_array = schema.get("type").is_some_and(|t| t == "array");
        parameter.insert("schema".into(), schema);
        if location == "path" {
            parameter.insert("required".into(), json!(true));
        }
        if location != "query" {
            parameter.shift_remove("allowEmptyValue");
        }
        if is_array {
            let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
            match (location.as_str(), style(format)) {
                ("query", Some((style, explode))) => {
                    parameter.insert("style".into(), json!(style));
                    parameter.insert("explode".into(), json!(explode));
                }
                ("path" | "header", _) if format == "csv" => {}
                _ => self.warnings.push(Diagnostic::warning(
                    "W0015",
                    child(here, "collectionFormat"),
                    format!(
                        "`collectionFormat: {format}` has no OpenAPI 3.0 equivalent for `in: {location}`: \
                         the default style is used"
                    ),
                )),
            }
        }
        Value::Object(parameter)
    }

    /// An `in: body` parameter as a request body, one media type per `consumes` entry.
    fn body(&mut self, param: &Param, consumes: &[String]) -> Value {
        let mut schema = param.value.get("schema").cloned().unwrap_or_else(|| json!({}));
        self.schema(&mut schema, &child(&param.pointer, "schema"));
        let content: Map<String, Value> =
            consumes.iter().map(|media| (media.clone(), json!({ "schema": schema.clone() }))).collect();
        let mut body = Map::new();
        if let Some(description) = param.value.get("description") {
            body.insert("description".into(), description.clone());
        }
        body.insert("content".into(), Value::Object(content));
        if param.value.get("required").is_some_and(|r| r == true) {
            body.insert("required".into(), json!(true));
        }
        extensions(&param.value, &mut body);
        Value::Object(body)
    }

    /// `in: formData` parameters as one form body whose schema has a property per parameter.
    fn form(&mut self, params: &[&Param], consumes: &[String]) -> Value {
        let multipart = consumes.iter().any(|m| m == MULTIPART) || params.iter().any(|p| p.is_file());
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for param in params {
            let Some(name) = param.name().map(str::to_owned) else {
                self.warn_parameter(&param.pointer, "a formData parameter without a `name`: skipped");
                continue;
            };
            let mut value = param.value.clone();
            let format = value.shift_remove("collectionFormat");
            let mut schema = self.moved_schema(&mut value, &param.pointer);
            let is_array = schema.get("type").is_some_and(|t| t == "array");
            if let (Some(description), Some(schema)) = (value.get("description"), schema.as_object_mut()) {
                schema.insert("description".into(), description.clone());
            }
            if value.get("required").is_some_and(|r| r == true) {
                required.push(json!(name));
            }
            if is_array && !multipart {
                let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
                match style(format) {
                    Some((style, explode)) => {
                        encoding.insert(name.clone(), json!({ "style": style, "explode": explode }));
                    }
                    None => self.warnings.push(Diagnostic::warning(
                        "W0015",
                        child(&param.pointer, "collectionFormat"),
                        format!(
                            "`collectionFormat: {format}` has no OpenAPI 3.0 equivalent: the default style is used"
                        ),
                    )),
                }
            }
            properties.insert(name, schema);
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let mut media = json!({ "schema": schema });
        if !encoding.is_empty() {
            media["encoding"] = Value::Object(encoding);
        }
        let mut body = json!({ "content": { (if multipart { MULTIPART } else { FORM }): media } });
        if !required.is_empty() {
            body["required"] = json!(true);
        }
        body
    }

    fn response(&mut self, response: &mut Value, produces: &[String], here: &str) {
        let Some(map) = response.as_object_mut() else { return };
        if let Some(reference) = map.get("$ref") {
            // A shared response names the global media types; inline it where the operation's differ.
            let target = reference
                .as_str()
                .and_then(|r| local_name(r, "responses"))
                .and_then(|name| Some((self.responses.get(&name)?.clone(), name)))
                .filter(|(target, _)| target.get("schema").is_some());
            if let Some((target, name)) = target.filter(|_| produces != self.produces) {
                *response = target;
                // Its warnings were given once, at the shared response.
                let reported = self.warnings.len();
                self.response(response, produces, &pointer(["responses", &name]));
                self.warnings.truncate(reported);
            }
            return;
        }
        if let Some(mut schema) = map.shift_remove("schema") {
            self.schema(&mut schema, &child(here, "schema"));
            let content: Map<String, Value> =
                produces.iter().map(|media| (media.clone(), json!({ "schema": schema.clone() }))).collect();
            map.insert("content".into(), Value::Object(content));
        }
        map.shift_remove("examples");
        if let Some(headers) = map.get_mut("headers").and_then(Value::as_object_mut) {
            let at = child(here, "headers");
            for (name, header) in headers.iter_mut() {
                self.header(header, &child(&at, name));
            }
        }
    }

    fn header(&mut self, header: &mut Value, here: &str) {
        let Some(map) = header.as_object_mut().filter(|m| !m.contains_key("$ref")) else { return };
        let format = map.shift_remove("collectionFormat");
        let schema = self.moved_schema(map, here);
        let is_array = schema.get("type").is_some_and(|t| t == "array");
        map.insert("schema".into(), schema);
        if let Some(format) = format.as_ref().and_then(Value::as_str).filter(|f| is_array && *f != "csv") {
            self.warnings.push(Diagnostic::warning(
                "W0015",
                child(here, "collectionFormat"),
                format!("`collectionFormat: {format}` has no OpenAPI 3.0 equivalent for a header: the default style is used"),
            ));
        }
    }

    /// Takes the type keys of a parameter, header or items object out into a converted schema.
    fn moved_schema(&mut self, object: &mut Map<String, Value>, here: &str) -> Value {
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
    fn schema(&mut self, schema: &mut Value, here: &str) {
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

    fn security_scheme(&mut self, definition: &Value, here: &str) -> Option<Value> {
        let Some(definition) = definition.as_object() else {
            self.warn_scheme(here, "the security definition is not an object: skipped");
            return None;
        };
        let kind = definition.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut scheme = Map::new();
        match kind {
            "basic" => {
                scheme.insert("type".into(), json!("http"));
                scheme.insert("scheme".into(), json!("basic"));
            }
            "apiKey" => {
                scheme.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    scheme.insert(key.into(), definition.get(key).cloned().unwrap_or_default());
                }
            }
            "oauth2" => {
                let flow = definition.get("flow").and_then(Value::as_str).unwrap_or_default();
                let (name, urls): (_, &[&str]) = match flow {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => {
                        self.warn_scheme(here, &format!("oauth2 `flow: {flow}` is not a Swagger 2.0 flow: skipped"));
                        return None;
                    }
                };
                let mut flow_object = Map::new();
                for url in urls {
                    let Some(value) = definition.get(*url).filter(|v| v.is_string()) else {
                        self.warn_scheme(here, &format!("oauth2 `flow: {flow}` needs `{url}`: skipped"));
                        return None;
                    };
                    flow_object.insert((*url).into(), value.clone());
                }
                let scopes = definition.get("scopes").filter(|s| s.is_object()).cloned().unwrap_or_else(|| json!({}));
                flow_object.insert("scopes".into(), scopes);
                scheme.insert("type".into(), json!("oauth2"));
                scheme.insert("flows".into(), json!({ name: flow_object }));
            }
            _ => {
                self.warn_scheme(here, &format!("security definition `type: {kind}` is not supported: skipped"));
                return None;
            }
        }
        if let Some(description) = definition.get("description") {
            scheme.insert("description".into(), description.clone());
        }
        extensions(definition, &mut scheme);
        Some(Value::Object(scheme))
    }

    fn warn_scheme(&mut self, at: &str, message: &str) {
        self.warnings.push(Diagnostic::warning("W0016", at, message));
    }
}

fn location(parameter: &Map<String, Value>) -> &str {
    parameter.get("in").and_then(Value::as_str).unwrap_or_default()
}

/// `collectionFormat` as a query (or form field) `style` and `explode`.
fn style(format: &str) -> Option<(&'static str, bool)> {
    match format {
        "csv" => Some(("form", false)),
        "multi" => Some(("form", true)),
        "ssv" => Some(("spaceDelimited", false)),
        "pipes" => Some(("pipeDelimited", false)),
        _ => None,
    }
}

/// The strings of a `consumes`/`produces` list; `application/json` when there are none.
fn media_types(list: Option<Value>) -> Vec<String> {
    operation_media_types(list, &[JSON.to_owned()])
}

/// An operation's own `consumes`/`produces`, or the document's when it gives none.
fn operation_media_types(list: Option<Value>, global: &[String]) -> Vec<String> {
    let own: Vec<String> = list
        .as_ref()
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    if own.is_empty() {
        global.to_vec()
    } else {
        own
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

#[cfg(test)]
mod tests {
    use super::*;

    fn swagger(extra: Value) -> Value {
        let mut doc = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        if let (Some(doc), Value::Object(extra)) = (doc.as_object_mut(), extra) {
            doc.extend(extra);
        }
        doc
    }

    fn converted(extra: Value) -> (Value, Vec<Diagnostic>) {
        let mut doc = swagger(extra);
        let warnings = convert(&mut doc).unwrap();
        (doc, warnings)
    }

    fn codes(warnings: &[Diagnostic]) -> Vec<(&str, &str)> {
        warnings.iter().map(|w| (w.code, w.pointer.as_str())).collect()
    }

    #[test]
    fn version_and_servers() {
        let (doc, warnings) =
            converted(json!({"host": "api.example.com", "basePath": "/v1", "schemes": ["http", "https"]}));
        assert!(warnings.is_empty());
        assert_eq!(doc["openapi"], "3.0.3");
        assert!(doc.get("swagger").is_none() && doc.get("host").is_none() && doc.get("basePath").is_none());
        assert_eq!(doc["servers"], json!([{"url": "http://api.example.com/v1"}]));
        assert_eq!(doc.as_object().unwrap().keys().next().unwrap(), "openapi");

        let (doc, _) = converted(json!({"host": "api.example.com"}));
        assert_eq!(doc["servers"], json!([{"url": "https://api.example.com/"}]));
        let (doc, _) = converted(json!({"basePath": "/api"}));
        assert_eq!(doc["servers"], json!([{"url": "/api"}]));
        let (doc, _) = converted(json!({}));
        assert_eq!(doc["servers"], json!([{"url": "/"}]));
    }

    #[test]
    fn definitions_become_component_schemas_and_refs_follow() {
        let (doc, _) = converted(json!({"definitions": {
            "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Person"}}},
            "Person": {"type": "object"},
            "Pets": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}}));
        assert!(doc.get("definitions").is_none());
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Pet"]["properties"]["owner"], json!({"$ref": "#/components/schemas/Person"}));
        assert_eq!(schemas["Pets"]["items"], json!({"$ref": "#/components/schemas/Pet"}));
    }

    #[test]
    fn refs_are_rewritten_everywhere_including_external_fragments() {
        let bodies: HashSet<String> = ["Body".to_owned()].into();
        let cases = [
            ("#/definitions/A", Some("#/components/schemas/A")),
            ("#/definitions/A/properties/b", Some("#/components/schemas/A/properties/b")),
            ("#/parameters/P", Some("#/components/parameters/P")),
            ("#/parameters/Body", Some("#/components/requestBodies/Body")),
            ("#/responses/R", Some("#/components/responses/R")),
            ("other.yaml#/definitions/X", Some("other.yaml#/components/schemas/X")),
            ("other.yaml#/parameters/Body", Some("other.yaml#/components/parameters/Body")),
            ("other.yaml", None),
            ("#/components/schemas/A", None),
        ];
        for (reference, expected) in cases {
            assert_eq!(rewrite_ref(reference, &bodies).as_deref(), expected, "{reference}");
        }
        // A `$ref` in example data is data; a property named `example` is a schema.
        let (doc, _) = converted(json!({"definitions": {"A": {"type": "object",
            "example": {"$ref": "#/definitions/A"},
            "properties": {"example": {"$ref": "#/definitions/B"}},
            "x-vendor": {"$ref": "#/definitions/C"}}}}));
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(a["example"]["$ref"], "#/definitions/A");
        assert_eq!(a["properties"]["example"]["$ref"], "#/components/schemas/B");
        assert_eq!(a["x-vendor"]["$ref"], "#/components/schemas/C");
    }

    #[test]
    fn top_level_parameters_split_into_parameters_and_request_bodies() {
        let (doc, warnings) = converted(json!({"consumes": ["application/xml"], "parameters": {
            "limit": {"name": "limit", "in": "query", "type": "integer", "format": "int32"},
            "pet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
            "file": {"name": "file", "in": "formData", "type": "file"},
            "odd": {"name": "odd", "in": "cookie", "type": "string"}}}));
        let components = &doc["components"];
        assert_eq!(
            components["parameters"]["limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}})
        );
        assert_eq!(
            components["requestBodies"]["pet"],
            json!({"content": {"application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true})
        );
        assert_eq!(
            components["requestBodies"]["file"]["content"]["multipart/form-data"]["schema"]["properties"]["file"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(codes(&warnings), [("W0014", "#/parameters/odd")]);
    }

    #[test]
    fn top_level_responses_and_security_definitions_become_components() {
        let (doc, warnings) = converted(json!({
            "responses": {"NotFound": {"description": "gone", "schema": {"$ref": "#/definitions/Error"}}},
            "securityDefinitions": {
                "basic": {"type": "basic", "description": "d"},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {"r": "read"}},
                "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t"},
                "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
                "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t"},
                "broken": {"type": "oauth2", "flow": "accessCode", "tokenUrl": "https://t"},
                "weird": {"type": "mutualTLS"}}}));
        assert_eq!(
            doc["components"]["responses"]["NotFound"],
            json!({"description": "gone", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        );
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic", "description": "d"}));
        assert_eq!(schemes["key"], json!({"type": "apiKey", "name": "X-Key", "in": "header"}));
        assert_eq!(
            schemes["implicit"],
            json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {"r": "read"}}}})
        );
        assert_eq!(schemes["password"]["flows"], json!({"password": {"tokenUrl": "https://t", "scopes": {}}}));
        assert_eq!(schemes["app"]["flows"], json!({"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}));
        assert_eq!(
            schemes["code"]["flows"],
            json!({"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}})
        );
        assert!(schemes.get("broken").is_none() && schemes.get("weird").is_none());
        assert_eq!(
            codes(&warnings),
            [("W0016", "#/securityDefinitions/broken"), ("W0016", "#/securityDefinitions/weird")]
        );
    }

    #[test]
    fn body_parameters_become_request_bodies_for_each_consumed_type() {
        let (doc, _) = converted(json!({"paths": {"/pets": {"post": {
            "consumes": ["application/json", "application/xml"],
            "parameters": [{"name": "pet", "in": "body", "description": "the pet", "required": true,
                "schema": {"$ref": "#/definitions/Pet"}}],
            "responses": {"204": {"description": "ok"}}}}}}));
        let operation = &doc["paths"]["/pets"]["post"];
        let schema = json!({"schema": {"$ref": "#/components/schemas/Pet"}});
        assert_eq!(
            operation["requestBody"],
            json!({"description": "the pet", "content": {"application/json": schema, "application/xml": schema},
                "required": true})
        );
        assert!(operation.get("parameters").is_none() && operation.get("consumes").is_none());
    }

    #[test]
    fn body_parameter_refs_become_request_body_refs_unless_consumes_differ() {
        let (doc, _) = converted(json!({
            "parameters": {"pet": {"name": "pet", "in": "body", "schema": {"type": "string"}},
                "limit": {"name": "limit", "in": "query", "type": "integer"}},
            "paths": {"/pets": {
                "post": {"parameters": [{"$ref": "#/parameters/pet"}, {"$ref": "#/parameters/limit"}],
                    "responses": {}},
                "put": {"consumes": ["text/plain"], "parameters": [{"$ref": "#/parameters/pet"}], "responses": {}}}}}));
        let item = &doc["paths"]["/pets"];
        assert_eq!(item["post"]["requestBody"], json!({"$ref": "#/components/requestBodies/pet"}));
        assert_eq!(item["post"]["parameters"], json!([{"$ref": "#/components/parameters/limit"}]));
        assert_eq!(item["put"]["requestBody"], json!({"content": {"text/plain": {"schema": {"type": "string"}}}}));
    }

    #[test]
    fn form_data_parameters_become_one_form_body() {
        let (doc, _) = converted(json!({"paths": {"/pets": {"post": {"parameters": [
            {"name": "name", "in": "formData", "type": "string", "required": true, "description": "n"},
            {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}],
            "responses": {}}}}}));
        assert_eq!(
            doc["paths"]["/pets"]["post"]["requestBody"],
            json!({"content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": {
                    "name": {"type": "string", "description": "n"},
                    "tags": {"type": "array", "items": {"type": "string"}}},
                    "required": ["name"]},
                "encoding": {"tags": {"style": "form", "explode": true}}}},
                "required": true})
        );
    }

    #[test]
    fn form_data_with_a_file_or_multipart_consumes_is_multipart() {
        let (doc, _) = converted(json!({"paths": {"/upload": {
            "post": {"parameters": [{"name": "f", "in": "formData", "type": "file"}], "responses": {}},
            "put": {"consumes": ["multipart/form-data"],
                "parameters": [{"name": "s", "in": "formData", "type": "string"}], "responses": {}}}}}));
        let item = &doc["paths"]["/upload"];
        assert_eq!(
            item["post"]["requestBody"]["content"]["multipart/form-data"]["schema"],
            json!({"type": "object", "properties": {"f": {"type": "string", "format": "binary"}}})
        );
        assert!(item["put"]["requestBody"]["content"]["multipart/form-data"].is_object());
    }

    #[test]
    fn path_level_parameters_stay_and_bodies_move_into_operations() {
        let (doc, _) = converted(json!({"paths": {"/pets/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"},
                {"name": "note", "in": "formData", "type": "string"}],
            "post": {"responses": {}},
            "put": {"parameters": [{"name": "note", "in": "formData", "type": "integer"}], "responses": {}}}}}));
        let item = &doc["paths"]["/pets/{id}"];
        assert_eq!(
            item["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}])
        );
        let note = |method: &str| {
            item[method]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]["note"]
                .clone()
        };
        assert_eq!(note("post"), json!({"type": "string"}));
        assert_eq!(note("put"), json!({"type": "integer"}));
    }

    #[test]
    fn invalid_parameter_combinations_warn() {
        let (doc, warnings) = converted(json!({"paths": {"/a": {"post": {"parameters": [
            {"name": "a", "in": "body", "schema": {}},
            {"name": "b", "in": "body", "schema": {}},
            {"name": "c", "in": "formData", "type": "string"},
            {"name": "d", "in": "nowhere"},
            "not an object"],
            "responses": {}}}}}));
        assert_eq!(doc["paths"]["/a"]["post"]["requestBody"], json!({"content": {"application/json": {"schema": {}}}}));
        assert_eq!(
            codes(&warnings),
            [
                ("W0014", "#/paths/~1a/post/parameters/3"),
                ("W0014", "#/paths/~1a/post/parameters/4"),
                ("W0014", "#/paths/~1a/post/parameters/2"),
                ("W0014", "#/paths/~1a/post/parameters/1"),
            ]
        );
    }

    #[test]
    fn non_body_parameters_move_type_keys_into_schema() {
        let (doc, _) = converted(json!({"paths": {"/a/{id}": {"get": {"parameters": [
            {"name": "id", "in": "path", "type": "string", "format": "uuid", "x-example": "e"},
            {"name": "n", "in": "query", "type": "integer", "minimum": 1, "maximum": 9, "default": 3,
                "enum": [1, 3, 9], "allowEmptyValue": true, "x-nullable": true},
            {"name": "h", "in": "header", "type": "string", "pattern": "^a", "allowEmptyValue": true}],
            "responses": {}}}}}));
        assert_eq!(
            doc["paths"]["/a/{id}"]["get"]["parameters"],
            json!([
                {"name": "id", "in": "path", "x-example": "e", "schema": {"type": "string", "format": "uuid"},
                    "required": true},
                {"name": "n", "in": "query", "allowEmptyValue": true, "schema": {"type": "integer", "minimum": 1,
                    "maximum": 9, "default": 3, "enum": [1, 3, 9], "nullable": true}},
                {"name": "h", "in": "header", "schema": {"type": "string", "pattern": "^a"}}
            ])
        );
    }

    #[test]
    fn collection_formats_become_style_and_explode() {
        let param = |format: Option<&str>, location: &str| {
            let mut p = json!({"name": "p", "in": location, "type": "array", "items": {"type": "string"}});
            if let Some(format) = format {
                p["collectionFormat"] = json!(format);
            }
            let (doc, warnings) = converted(json!({"paths": {"/{p}": {"get": {"parameters": [p], "responses": {}}}}}));
            let p = &doc["paths"]["/{p}"]["get"]["parameters"][0];
            (p.get("style").cloned(), p.get("explode").cloned(), codes(&warnings).len())
        };
        let some = |style: &str, explode: bool| (Some(json!(style)), Some(json!(explode)), 0);
        assert_eq!(param(None, "query"), some("form", false));
        assert_eq!(param(Some("csv"), "query"), some("form", false));
        assert_eq!(param(Some("multi"), "query"), some("form", true));
        assert_eq!(param(Some("ssv"), "query"), some("spaceDelimited", false));
        assert_eq!(param(Some("pipes"), "query"), some("pipeDelimited", false));
        assert_eq!(param(Some("tsv"), "query"), (None, None, 1));
        assert_eq!(param(Some("csv"), "path"), (None, None, 0));
        assert_eq!(param(Some("pipes"), "header"), (None, None, 1));

        let (_, warnings) = converted(json!({"paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query",
            "type": "array", "items": {"type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"}}],
            "responses": {}}}}}));
        assert_eq!(codes(&warnings), [("W0015", "#/paths/~1a/get/parameters/0/items/collectionFormat")]);
    }

    #[test]
    fn responses_get_content_per_produced_type_and_header_schemas() {
        let (doc, _) = converted(json!({"produces": ["application/json", "application/xml"],
            "paths": {"/a": {
                "get": {"responses": {
                    "200": {"description": "ok", "schema": {"type": "string"}, "examples": {"application/json": "x"},
                        "headers": {"X-Rate": {"type": "integer", "format": "int32", "description": "r"}}},
                    "204": {"description": "none"}}},
                "put": {"produces": ["text/plain"], "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}}}}}));
        let item = &doc["paths"]["/a"];
        let string = json!({"schema": {"type": "string"}});
        assert_eq!(
            item["get"]["responses"]["200"],
            json!({"description": "ok", "headers": {"X-Rate": {"description": "r",
                "schema": {"type": "integer", "format": "int32"}}},
                "content": {"application/json": string, "application/xml": string}})
        );
        assert_eq!(item["get"]["responses"]["204"], json!({"description": "none"}));
        assert_eq!(item["put"]["responses"]["200"]["content"], json!({"text/plain": string}));
        assert!(item["put"].get("produces").is_none());
    }

    #[test]
    fn response_refs_are_inlined_only_where_produces_differ() {
        let (doc, warnings) = converted(json!({
            "responses": {"Err": {"description": "e", "schema": {"type": "file"}}},
            "paths": {"/a": {
                "get": {"responses": {"default": {"$ref": "#/responses/Err"}}},
                "put": {"produces": ["text/plain"], "responses": {"default": {"$ref": "#/responses/Err"}}}}}}));
        let item = &doc["paths"]["/a"];
        assert_eq!(item["get"]["responses"]["default"], json!({"$ref": "#/components/responses/Err"}));
        assert_eq!(
            item["put"]["responses"]["default"],
            json!({"description": "e", "content": {"text/plain": {"schema": {"type": "string", "format": "binary"}}}})
        );
        assert!(warnings.is_empty());
    }

    #[test]
    fn schema_rewrites_file_nullable_and_discriminator() {
        let (doc, _) = converted(json!({"definitions": {
            "Upload": {"type": "file"},
            "Pet": {"type": "object", "discriminator": "kind", "properties": {
                "kind": {"type": "string"},
                "name": {"type": "string", "x-nullable": true},
                "owner": {"$ref": "#/definitions/Person", "x-nullable": true},
                "age": {"type": "integer", "x-nullable": false}}}}}));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Upload"], json!({"type": "string", "format": "binary"}));
        let pet = &schemas["Pet"];
        assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
        assert_eq!(pet["properties"]["name"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            pet["properties"]["owner"],
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Person"}]})
        );
        assert_eq!(pet["properties"]["age"], json!({"type": "integer"}));
    }

    #[test]
    fn malformed_schema_keywords_warn() {
        let (doc, warnings) = converted(json!({"definitions": {"A": {"type": "object",
            "properties": {"x": {"type": "string", "required": true}, "t": {"type": "array", "items": [{}, {}]}}}}}));
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(a["required"], json!(["x"]));
        assert_eq!(a["properties"]["t"]["items"], json!({}));
        assert_eq!(
            codes(&warnings),
            [("W0018", "#/definitions/A/properties/x/required"), ("W0018", "#/definitions/A/properties/t/items")]
        );
    }

    #[test]
    fn operation_schemes_that_differ_warn() {
        let (doc, warnings) = converted(json!({"host": "h", "schemes": ["https"], "paths": {"/a": {
            "get": {"schemes": ["http"], "responses": {}},
            "put": {"schemes": ["http", "https"]}}}}));
        assert_eq!(codes(&warnings), [("W0017", "#/paths/~1a/get/schemes")]);
        assert!(doc["paths"]["/a"]["get"].get("schemes").is_none());
        assert_eq!(doc["paths"]["/a"]["put"]["responses"], json!({}));
    }

    #[test]
    fn sections_of_the_wrong_shape_are_errors() {
        let mut doc = swagger(json!({"definitions": []}));
        let error = convert(&mut doc).unwrap_err();
        assert_eq!((error.code, error.pointer.as_str()), ("E0013", "#/definitions"));
        assert_eq!(convert(&mut json!([])).unwrap_err().code, "E0010");
    }

    #[test]
    fn corpus_swagger_specs_convert_parse_and_lower() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/swagger2");
        if !dir.is_dir() {
            eprintln!("skipped: {} is absent", dir.display());
            return;
        }
        for file in ["petstore.json", "uber.yaml"] {
            let loaded = crate::load::load(&dir.join(file)).unwrap();
            let mut document = loaded.document;
            let warnings = crate::normalise::normalise(&mut document).unwrap();
            assert!(warnings.is_empty(), "{file}: {warnings:?}");
            let spec = crate::parse::parse(&document).unwrap_or_else(|e| panic!("{file}: {e}"));
            let lowered = crate::lower::lower(&spec, &Default::default());
            assert!(!lowered.api.operations.is_empty(), "{file}");
            assert!(!lowered.diagnostics.iter().any(Diagnostic::is_error), "{file}: {:?}", lowered.diagnostics);
            assert!(lowered.api.servers[0].url.starts_with("http"), "{file}");
        }
    }
}

//! Paths and operations: parameters (body and formData ones become request bodies, the others get
//! a `schema` and a `style`), `consumes` and `produces` into media types, responses and headers.

use super::{extensions, local_name, Converter, Param, FORM, JSON, METHODS, MULTIPART};
use crate::diagnostics::{child, escape_token, pointer, Diagnostic};
use serde_json::{json, Map, Value};

impl Converter {
    pub(super) fn warn_parameter(&mut self, at: &str, message: &str) {
        self.warnings.push(Diagnostic::warning("W0014", at, message));
    }

    pub(super) fn path_item(&mut self, item: &mut Map<String, Value>, here: &str) {
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
    pub(super) fn parameter(&mut self, parameter: &Map<String, Value>, here: &str) -> Value {
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
    pub(super) fn body(&mut self, param: &Param, consumes: &[String]) -> Value {
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
    pub(super) fn form(&mut self, params: &[&Param], consumes: &[String]) -> Value {
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

    pub(super) fn response(&mut self, response: &mut Value, produces: &[String], here: &str) {
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
pub(super) fn media_types(list: Option<Value>) -> Vec<String> {
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

//! Stage 3: the normalised JSON document into `openapiv3::OpenAPI`.

use crate::diagnostics::{child, escape_token, Diagnostic};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use serde_path_to_error::Segment;

/// Stack for deserializing: the serde model recurses through several frames per schema level
/// (untagged enums buffer their content), about 32 KB a level in a debug build, so a document as
/// deep as the loader allows ([`crate::load::MAX_DEPTH`]) would overflow a 2 MiB thread. Reserved
/// address space, used only as deep as the document goes.
const PARSE_STACK: usize = 64 << 20;

/// Deserializes the document; a failure names the deepest JSON pointer that explains it. Runs on a
/// thread of its own with a stack for the deepest document the loader and `normalise` let through.
pub fn parse(document: &Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    std::thread::scope(|scope| {
        match std::thread::Builder::new().stack_size(PARSE_STACK).spawn_scoped(scope, || parse_here(document)) {
            Ok(thread) => thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: on this one.
            Err(_) => parse_here(document),
        }
    })
}

fn parse_here(document: &Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    // Valid documents take the fast path; tracking the path only pays when there is an error.
    if let Ok(spec) = openapiv3::OpenAPI::deserialize(document) {
        return Ok(spec);
    }
    try_parse::<openapiv3::OpenAPI>(document, "#").map_err(|(pointer, message)| {
        // openapiv3 buffers untagged and flattened parts, which hides where serde failed;
        // parsing the parts one by one finds the precise place.
        let (pointer, message) = locate(document).unwrap_or((pointer, message));
        Diagnostic::error("E0020", pointer, format!("not a valid OpenAPI 3.0 document: {message}"))
    })
}

/// Parses one component kind, failing with `(pointer, message)`.
type PartCheck = fn(&Value, &str) -> Result<(), (String, String)>;

fn try_parse<T: DeserializeOwned>(value: &Value, base: &str) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut pointer = base.to_owned();
        for segment in e.path().iter() {
            match segment {
                Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                Segment::Map { key } => pointer.push_str(&format!("/{}", escape_token(key))),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        (pointer, e.into_inner().to_string())
    })
}

/// Parses the document's parts separately and returns the first part that fails.
fn locate(document: &Value) -> Option<(String, String)> {
    let entries = |value: Option<&Value>, base: &str| -> Vec<(String, Value)> {
        value
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (child(base, k), v.clone())).collect())
            .unwrap_or_default()
    };
    for (pointer, item) in entries(document.get("paths"), "#/paths") {
        if item.get("$ref").is_some() {
            continue;
        }
        for (op_pointer, op) in entries(Some(&item), &pointer) {
            if !matches!(
                op_pointer.rsplit('/').next(),
                Some("get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
            ) {
                continue;
            }
            if let Some(found) = locate_operation(&op, &op_pointer) {
                return Some(found);
            }
        }
        if let Err(e) = try_parse::<openapiv3::PathItem>(&item, &pointer) {
            return Some(e);
        }
    }
    let components = document.get("components");
    let parts: [(&str, PartCheck); 5] = [
        ("schemas", |v, p| try_parse::<openapiv3::Schema>(v, p).map(drop)),
        ("parameters", |v, p| try_parse::<openapiv3::Parameter>(v, p).map(drop)),
        ("responses", |v, p| try_parse::<openapiv3::Response>(v, p).map(drop)),
        ("requestBodies", |v, p| try_parse::<openapiv3::RequestBody>(v, p).map(drop)),
        ("securitySchemes", |v, p| try_parse::<openapiv3::SecurityScheme>(v, p).map(drop)),
    ];
    for (key, check) in parts {
        for (pointer, value) in entries(components.and_then(|c| c.get(key)), &format!("#/components/{key}")) {
            if value.get("$ref").is_none() {
                if let Err(e) = check(&value, &pointer) {
                    return Some(e);
                }
            }
        }
    }
    None
}

fn locate_operation(op: &Value, pointer: &str) -> Option<(String, String)> {
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        for (status, response) in responses {
            if response.get("$ref").is_none() {
                let here = child(&child(pointer, "responses"), status);
                if let Err(e) = try_parse::<openapiv3::Response>(response, &here) {
                    return Some(e);
                }
            }
        }
    }
    if let Some(parameters) = op.get("parameters").and_then(Value::as_array) {
        for (i, parameter) in parameters.iter().enumerate() {
            if parameter.get("$ref").is_none() {
                if let Err(e) = try_parse::<openapiv3::Parameter>(parameter, &format!("{pointer}/parameters/{i}")) {
                    return Some(e);
                }
            }
        }
    }
    if let Some(body) = op.get("requestBody").filter(|b| b.get("$ref").is_none()) {
        if let Err(e) = try_parse::<openapiv3::RequestBody>(body, &child(pointer, "requestBody")) {
            return Some(e);
        }
    }
    try_parse::<openapiv3::Operation>(op, pointer).err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_response_that_is_wrong() {
        let doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        let err = parse(&doc).unwrap_err();
        assert_eq!(err.code, "E0020");
        assert_eq!(err.pointer, "#/paths/~1a/get/responses/200/description");
    }

    #[test]
    fn errors_name_the_parameter_that_is_wrong() {
        let doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "nowhere"}], "responses": {}}}}});
        let err = parse(&doc).unwrap_err();
        assert!(err.pointer.starts_with("#/paths/~1a/get/parameters/0"), "{}", err.pointer);
    }

    #[test]
    fn missing_info_is_reported_at_the_root() {
        let err = parse(&json!({"openapi": "3.0.0", "paths": {}})).unwrap_err();
        assert!(err.message.contains("info"), "{}", err.message);
    }
}

//! Stage 3: the normalised JSON document into `openapiv3::OpenAPI`.

use crate::diagnostics::{escape_token, Diagnostic};
use serde_path_to_error::Segment;

/// Deserializes the document; a failure names the JSON pointer where serde gave up.
pub fn parse(document: &serde_json::Value) -> Result<openapiv3::OpenAPI, Diagnostic> {
    serde_path_to_error::deserialize(document).map_err(|e| {
        let mut pointer = String::from("#");
        for segment in e.path().iter() {
            match segment {
                Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                Segment::Map { key } => pointer.push_str(&format!("/{}", escape_token(key))),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        Diagnostic::error("E0020", pointer, format!("not a valid OpenAPI 3.0 document: {}", e.inner()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_pointer() {
        let doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        let err = parse(&doc).unwrap_err();
        assert_eq!(err.code, "E0020");
        assert!(err.pointer.starts_with("#/paths/~1a/get"), "{}", err.pointer);
    }
}

//! Response keys that are not HTTP status codes (`abc`, `20`, `6XX`): `openapiv3` drops the ones
//! it cannot read without a word and keeps `6XX`, which no response has. Each is removed here,
//! with warning W0056 at its pointer.

use super::HTTP_METHODS;
use crate::diagnostics::{child, Diagnostic};
use serde_json::Value;

/// Removes the response keys of every operation that are not status codes, `default` or an
/// extension (`x-...`); returns a warning for each.
pub(super) fn drop_unknown_statuses(document: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return warnings };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        let item_pointer = child("#/paths", path);
        for (method, operation) in item.iter_mut().filter(|(m, _)| HTTP_METHODS.contains(&m.as_str())) {
            let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { continue };
            let here = child(&child(&item_pointer, method), "responses");
            responses.retain(|key, _| {
                let keep = is_status_key(key);
                if !keep {
                    warnings.push(Diagnostic::warning(
                        "W0056",
                        child(&here, key),
                        format!(
                            "response key `{}` is not an HTTP status code (100 to 599, `1XX` to `5XX`, or \
                             `default`): this response is skipped",
                            crate::sanitise::comment_text(key)
                        ),
                    ));
                }
                keep
            });
        }
    }
    warnings
}

/// `200`, `4XX` (or `4xx`), `default`, or an extension.
fn is_status_key(key: &str) -> bool {
    if key == "default" || key.starts_with("x-") {
        return true;
    }
    matches!(key.as_bytes(), [b'1'..=b'5', b'X' | b'x', b'X' | b'x'] | [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_that_are_not_statuses_are_dropped_with_a_warning() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {
            "200": {}, "4xx": {}, "default": {}, "x-note": {}, "abc": {}, "20": {}, "6XX": {}, "600": {}, "099": {}
        }}, "parameters": []}}});
        let warnings = drop_unknown_statuses(&mut doc);
        let keys: Vec<&String> = doc["paths"]["/a"]["get"]["responses"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["200", "4xx", "default", "x-note"]);
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/paths/~1a/get/responses/abc",
                "#/paths/~1a/get/responses/20",
                "#/paths/~1a/get/responses/6XX",
                "#/paths/~1a/get/responses/600",
                "#/paths/~1a/get/responses/099"
            ]
        );
        assert!(warnings.iter().all(|w| w.code == "W0056"));
    }
}

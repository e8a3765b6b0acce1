//! Overlay 1.0 documents (<https://spec.openapis.org/overlay/v1.0.0>): fixes to a vendor spec kept
//! beside it, applied to the loaded document before anything else reads it.
//!
//! An overlay is a list of actions, applied in order. Each action selects nodes with a JSONPath
//! `target` (RFC 9535) and either removes them (`remove: true`) or merges `update` into them:
//! objects merge key by key, arrays in the update are appended to the arrays they land on, anything
//! else replaces what was there. An `update` aimed at an array appends its value as one entry (an
//! array value appends each of its entries). A target that matches nothing is an error: the fix no
//! longer applies, most likely because upstream fixed the spec, and the overlay should say so.

use crate::diagnostics::Diagnostic;
use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};
use std::collections::HashSet;

/// Applies `overlay` (an Overlay 1.0 document, already parsed) to `document`, in action order.
/// Every action whose `target` matches nothing is an error: the fix no longer applies, so a fixed
/// upstream spec is never patched twice.
///
/// A malformed overlay (E0060) is rejected before `document` is touched. Otherwise every action
/// that can be applied is, and the actions that cannot (E0061, E0062) are all reported; the
/// document is then only partly patched and must not be used.
pub fn apply(document: &mut Value, overlay: &Value, overlay_file: &str) -> Result<(), Vec<Diagnostic>> {
    let in_file = |mut diagnostics: Vec<Diagnostic>| {
        for d in &mut diagnostics {
            d.file = overlay_file.to_owned();
        }
        diagnostics
    };
    let actions = read_overlay(overlay).map_err(in_file)?;
    let errors: Vec<Diagnostic> = actions.iter().filter_map(|action| apply_action(document, action).err()).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(in_file(errors))
    }
}

/// One validated action.
struct Action<'o> {
    /// `#/actions/<i>`.
    pointer: String,
    target: &'o str,
    description: Option<&'o str>,
    path: JsonPath,
    change: Change<'o>,
}

enum Change<'o> {
    Update(&'o Value),
    Remove,
}

/// One step from a node to a child: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

const INFO_FIELDS: &[&str] = &["title", "version"];
const ACTION_FIELDS: &[&str] = &["target", "description", "update", "remove"];

/// Checks the overlay document's shape and parses every target, reporting every problem found.
/// Reads the overlay at `path` (YAML or JSON) and applies it to `document`; `shown` names the
/// overlay file in diagnostics. Part of the load stage: the only I/O here is reading that file.
pub fn apply_file(document: &mut Value, path: &std::path::Path, shown: &str) -> Result<(), Vec<Diagnostic>> {
    let located = |mut d: Diagnostic| {
        d.file = shown.to_owned();
        d
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![located(Diagnostic::error("E0060", "#", format!("cannot read the overlay: {e}")))])?;
    let overlay = crate::load::parse_text(&text).map_err(|d| vec![located(d)])?;
    apply(document, &overlay, shown).map_err(|diagnostics| {
        diagnostics
            .into_iter()
            .map(|mut d| {
                d.line = d.line.or_else(|| crate::lines::line_of(&text, &d.pointer));
                d
            })
            .collect()
    })
}

fn read_overlay(overlay: &Value) -> Result<Vec<Action<'_>>, Vec<Diagnostic>> {
    let invalid = |pointer: &str, message: String| Diagnostic::error("E0060", pointer, message);
    let Some(root) = overlay.as_object() else {
        return Err(vec![invalid("#", "an overlay document must be an object".into())]);
    };
    let mut errors = Vec::new();
    match root.get("overlay") {
        Some(Value::String(version)) if is_overlay_1_0(version) => {}
        Some(other) => errors.push(invalid("#/overlay", format!("`overlay` must be a 1.0.x version, not {other}"))),
        None => errors.push(invalid("#", "not an overlay document: the `overlay: 1.0.x` field is missing".into())),
    }
    match root.get("info") {
        Some(Value::Object(info)) => {
            for field in INFO_FIELDS {
                if !matches!(info.get(*field), Some(Value::String(_))) {
                    errors.push(invalid("#/info", format!("`info.{field}` is required and must be a string")));
                }
            }
        }
        _ => errors.push(invalid("#/info", "`info` (with `title` and `version`) is required".into())),
    }
    if matches!(root.get("extends"), Some(extends) if !extends.is_string()) {
        errors.push(invalid("#/extends", "`extends` must be a string".into()));
    }
    let mut actions = Vec::new();
    match root.get("actions") {
        Some(Value::Array(items)) if !items.is_empty() => {
            for (index, item) in items.iter().enumerate() {
                match read_action(index, item) {
                    Ok(action) => actions.push(action),
                    Err(d) => errors.push(d),
                }
            }
        }
        Some(Value::Array(_)) => errors.push(invalid("#/actions", "`actions` must not be empty".into())),
        _ => errors.push(invalid("#/actions", "`actions` is required and must be an array of actions".into())),
    }
    if errors.is_empty() {
        Ok(actions)
    } else {
        Err(errors)
    }
}

/// `1.0.<digits>`.
fn is_overlay_1_0(version: &str) -> bool {
    version.strip_prefix("1.0.").is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// The first action field outside `ACTION_FIELDS` that is not `x-` extensions: most likely typos (`remvoe: true`).
/// (The overlay and its `info` are not checked: later versions add fields such as `info.description`.)
fn unknown_field(action: &Map<String, Value>, pointer: &str) -> Option<Diagnostic> {
    let key = action.keys().find(|key| !ACTION_FIELDS.contains(&key.as_str()) && !key.starts_with("x-"))?;
    Some(Diagnostic::error("E0060", pointer, format!("the action has an unknown field `{key}`")))
}

fn read_action(index: usize, item: &Value) -> Result<Action<'_>, Diagnostic> {
    let pointer = format!("#/actions/{index}");
    let invalid = |message: String| Diagnostic::error("E0060", pointer.as_str(), message);
    let Some(fields) = item.as_object() else {
        return Err(invalid("an action must be an object".into()));
    };
    if let Some(d) = unknown_field(fields, &pointer) {
        return Err(d);
    }
    let Some(target) = fields.get("target").and_then(Value::as_str) else {
        return Err(invalid("an action needs a `target` string (a JSONPath expression)".into()));
    };
    let path = JsonPath::parse(target)
        .map_err(|e| invalid(format!("the target `{target}` is not a valid JSONPath expression: {e}")))?;
    let description = match fields.get("description") {
        None => None,
        Some(Value::String(text)) => Some(text.as_str()),
        Some(_) => return Err(invalid("`description` must be a string".into())),
    };
    let remove = match fields.get("remove") {
        None => false,
        Some(Value::Bool(remove)) => *remove,
        Some(_) => return Err(invalid("`remove` must be `true` or `false`".into())),
    };
    // Per the spec, `update` has no effect when `remove` is true.
    let change = match (remove, fields.get("update")) {
        (true, _) => Change::Remove,
        (false, Some(update)) => Change::Update(update),
        (false, None) => return Err(invalid("an action needs an `update` or `remove: true`".into())),
    };
    Ok(Action { pointer: pointer.clone(), target, description, path, change })
}

fn apply_action(document: &mut Value, action: &Action<'_>) -> Result<(), Diagnostic> {
    let mut matched: Vec<Vec<Step>> = Vec::new();
    let mut seen: HashSet<Vec<Step>> = HashSet::new();
    let mut non_container = None;
    for located in action.path.query_located(document) {
        let steps: Vec<Step> = located
            .location()
            .iter()
            .map(|element| match element {
                PathElement::Name(name) => Step::Key((*name).to_owned()),
                PathElement::Index(index) => Step::Index(*index),
            })
            .collect();
        let node = located.node();
        if non_container.is_none() {
            if let Change::Update(update) = action.change {
                if !(node.is_array() || node.is_object() && update.is_object()) {
                    non_container = Some((located.location().to_json_pointer(), kind(node)));
                }
            }
        }
        if seen.insert(steps.clone()) {
            matched.push(steps);
        }
    }
    if matched.is_empty() {
        let what = match action.description {
            Some(description) => format!("{description} (target `{}` matches nothing)", action.target),
            None => format!("target `{}` matches nothing", action.target),
        };
        return Err(Diagnostic::error("E0061", action.pointer.as_str(), format!("this fix no longer applies: {what}")));
    }
    match action.change {
        Change::Update(update) => {
            if let Some((at, found)) = non_container {
                let message = if found == "an object" {
                    format!("the update must be an object to merge into the object at `#{at}`, not {}", kind(update))
                } else {
                    format!(
                        "the target `{}` matches {found} at `#{at}`; an update needs an object or array",
                        action.target
                    )
                };
                return Err(Diagnostic::error("E0062", action.pointer.as_str(), message));
            }
            // Merging never removes a key nor shifts an array entry, so every matched path stays valid.
            for steps in &matched {
                if let Some(node) = walk_mut(document, steps) {
                    merge_top(node, update);
                }
            }
        }
        Change::Remove => {
            if matched.iter().any(Vec::is_empty) {
                return Err(Diagnostic::error(
                    "E0060",
                    action.pointer.as_str(),
                    format!("the target `{}` matches the whole document, which cannot be removed", action.target),
                ));
            }
            // Descending order: a later index of an array goes before an earlier one, and a node
            // inside another matched node goes before it, so every path is still valid when reached.
            matched.sort_unstable_by(|a, b| b.cmp(a));
            for steps in &matched {
                if let Some((last, parent)) = steps.split_last() {
                    match (walk_mut(document, parent), last) {
                        (Some(Value::Object(map)), Step::Key(key)) => {
                            map.shift_remove(key);
                        }
                        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                            items.remove(*index);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    Ok(())
}

/// What kind of JSON value `value` is, with its article, for messages ("an object").
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn walk_mut<'v>(mut node: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    for step in steps {
        node = match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key)?,
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The update of one matched node: an array gets the update appended (its entries, if it is an
/// array itself); an object gets it merged.
fn merge_top(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (Value::Array(items), entry) => items.push(entry.clone()),
        (node, update) => merge(node, update),
    }
}

/// Objects merge key by key, arrays append, anything else replaces.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(map), Value::Object(more)) => {
            for (key, value) in more {
                match map.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        map.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (node, update) => *node = update.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "fixes", "version": "1"}, "actions": actions})
    }

    fn errors(document: &mut Value, actions: Value) -> Vec<Diagnostic> {
        apply(document, &overlay(actions), "fixes.yaml").expect_err("the overlay should fail")
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<(&str, &str)> {
        diagnostics.iter().map(|d| (d.code, d.pointer.as_str())).collect()
    }

    #[test]
    fn update_merges_objects_appends_arrays_and_replaces_primitives() {
        let mut doc = json!({
            "info": {"title": "Old", "version": "1", "contact": {"name": "a"}},
            "tags": [{"name": "one"}],
            "servers": [{"url": "https://a"}],
        });
        let fix = overlay(json!([
            {"target": "$.info", "update": {
                "title": "New", "x-logo": {"url": "l"}, "contact": {"email": "e"}, "tags": ["t"]
            }},
            {"target": "$", "update": {"tags": [{"name": "two"}]}},
            {"target": "$.servers", "update": {"url": "https://b"}},
            {"target": "$.servers", "update": [{"url": "https://c"}, {"url": "https://d"}]},
        ]));
        apply(&mut doc, &fix, "fixes.yaml").unwrap();
        assert_eq!(
            doc,
            json!({
                "info": {
                    "title": "New", "version": "1", "contact": {"name": "a", "email": "e"},
                    "x-logo": {"url": "l"}, "tags": ["t"],
                },
                "tags": [{"name": "one"}, {"name": "two"}],
                "servers": [{"url": "https://a"}, {"url": "https://b"}, {"url": "https://c"}, {"url": "https://d"}],
            })
        );
        // Key order is kept: merged keys stay in place, new ones go last.
        let keys: Vec<&String> = doc["info"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["title", "version", "contact", "x-logo", "tags"]);
    }

    #[test]
    fn remove_deletes_object_members_keeping_order() {
        let mut doc = json!({"a": 1, "x-internal": true, "b": {"c": 2, "d": 3}, "e": 4});
        let fix = overlay(json!([
            {"target": "$['x-internal']", "remove": true},
            {"target": "$.b.c", "remove": true, "update": {"ignored": true}},
        ]));
        apply(&mut doc, &fix, "fixes.yaml").unwrap();
        assert_eq!(doc, json!({"a": 1, "b": {"d": 3}, "e": 4}));
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "b", "e"]);
    }

    #[test]
    fn remove_deletes_several_array_elements_at_once() {
        let mut doc = json!({"parameters": [
            {"name": "a", "in": "query"}, {"name": "b", "in": "header"}, {"name": "c", "in": "query"},
            {"name": "d", "in": "header"}, {"name": "e", "in": "header"},
        ]});
        let fix = overlay(json!([{"target": "$.parameters[?@.in=='header']", "remove": true}]));
        apply(&mut doc, &fix, "fixes.yaml").unwrap();
        assert_eq!(doc, json!({"parameters": [{"name": "a", "in": "query"}, {"name": "c", "in": "query"}]}));

        let mut doc = json!({"list": [0, 1, 2, 3, 4, 5]});
        let fix = overlay(json!([{"target": "$.list[0, 2, 4, 2]", "remove": true}]));
        apply(&mut doc, &fix, "fixes.yaml").unwrap();
        assert_eq!(doc, json!({"list": [1, 3, 5]}));
    }

    #[test]
    fn remove_handles_nested_matches() {
        // `$..x` matches an `x` and the `x` inside it; removing the inner one first keeps the
        // outer path valid.
        let mut doc = json!({"x": {"x": 1, "y": 2}, "z": [{"x": 3}]});
        let fix = overlay(json!([{"target": "$..x", "remove": true}]));
        apply(&mut doc, &fix, "fixes.yaml").unwrap();
        assert_eq!(doc, json!({"z": [{}]}));
    }

    #[test]
    fn wildcard_and_filter_targets() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"parameters": [{"name": "x", "in": "query"}, {"name": "y", "in": "query"}]}},
            "/b": {"get": {"operationId": "b"}, "post": {"operationId": "c"}},
        }});
        let fix = overlay(json!([
            {"target": "$.paths.*.get", "update": {"deprecated": true}},
            {"target": "$.paths['/a'].get.parameters[?@.name=='x']", "update": {"required": true}},
            {"target": "$.paths['/a'].get.parameters[?(@.name=='y')]", "remove": true},
        ]));
        apply(&mut doc, &fix, "fixes.yaml").unwrap();
        assert_eq!(
            doc,
            json!({"paths": {
                "/a": {"get": {"parameters": [{"name": "x", "in": "query", "required": true}], "deprecated": true}},
                "/b": {"get": {"operationId": "b", "deprecated": true}, "post": {"operationId": "c"}},
            }})
        );
    }

    #[test]
    fn a_target_matching_nothing_no_longer_applies() {
        let mut doc = json!({"paths": {"/a": {"get": {}}}});
        let found = errors(
            &mut doc,
            json!([
                {"target": "$.paths['/a'].get", "update": {"deprecated": true}},
                {"target": "$.paths['/gone'].get", "description": "Fix the gone operation.", "remove": true},
                {"target": "$.paths.*.get.parameters[?@.name=='x']", "update": {"required": true}},
            ]),
        );
        assert_eq!(codes(&found), [("E0061", "#/actions/1"), ("E0061", "#/actions/2")]);
        assert!(found.iter().all(|d| d.severity == Severity::Error && d.file == "fixes.yaml"));
        assert!(found[0].message.starts_with("this fix no longer applies: Fix the gone operation."), "{}", found[0]);
        assert!(found[1].message.starts_with("this fix no longer applies: target `$.paths.*"), "{}", found[1]);
        // The actions that still apply were applied.
        assert_eq!(doc, json!({"paths": {"/a": {"get": {"deprecated": true}}}}));
    }

    #[test]
    fn invalid_jsonpath_is_rejected_before_anything_is_applied() {
        let mut doc = json!({"a": {}});
        let found = errors(
            &mut doc,
            json!([
                {"target": "$.a", "update": {"b": 1}},
                {"target": "$.a[?@.b ==]", "remove": true},
                {"target": "paths", "remove": true},
            ]),
        );
        assert_eq!(codes(&found), [("E0060", "#/actions/1"), ("E0060", "#/actions/2")]);
        assert!(found[0].message.contains("not a valid JSONPath"), "{}", found[0]);
        assert_eq!(doc, json!({"a": {}}));
    }

    #[test]
    fn non_overlay_documents_are_rejected() {
        let mut doc = json!({"a": 1});
        let invalid = |overlay: Value| {
            let found = apply(&mut doc.clone(), &overlay, "o.yaml").expect_err("invalid overlay");
            assert!(found.iter().all(|d| d.code == "E0060" && d.file == "o.yaml"), "{found:?}");
            found.into_iter().map(|d| d.pointer).collect::<Vec<_>>()
        };
        assert_eq!(
            invalid(json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}})),
            ["#", "#/actions"]
        );
        assert_eq!(invalid(json!([1])), ["#"]);
        let info = json!({"title": "t", "version": "1"});
        let remove = json!([{"target": "$.a", "remove": true}]);
        assert_eq!(invalid(json!({"overlay": "1.1.0", "info": info, "actions": remove})), ["#/overlay"]);
        assert_eq!(invalid(json!({"overlay": "1.0.0", "actions": remove})), ["#/info"]);
        assert_eq!(invalid(json!({"overlay": "1.0.0", "info": {"title": "t"}, "actions": remove})), ["#/info"]);
        assert_eq!(invalid(json!({"overlay": "1.0.0", "info": info, "actions": []})), ["#/actions"]);
        assert_eq!(invalid(json!({"overlay": "1.0.0", "info": info, "actions": [{"target": "$.a"}]})), ["#/actions/0"]);
        let typo = json!([{"target": "$.a", "remvoe": true}]);
        assert_eq!(invalid(json!({"overlay": "1.0.0", "info": info, "actions": typo})), ["#/actions/0"]);
        let root = json!([{"target": "$", "remove": true}]);
        let found = apply(&mut doc, &json!({"overlay": "1.0.1", "info": info, "actions": root}), "o.yaml");
        assert_eq!(codes(&found.expect_err("the root cannot be removed")), [("E0060", "#/actions/0")]);
        assert_eq!(doc, json!({"a": 1}));
        let extended = json!({"overlay": "1.0.0", "info": info, "extends": "api.yaml", "x-note": 1, "actions": remove});
        assert_eq!(apply(&mut doc, &extended, "o.yaml"), Ok(()));
        assert_eq!(doc, json!({}));
    }

    #[test]
    fn update_on_a_primitive_is_an_error() {
        let mut doc = json!({"info": {"title": "t"}, "paths": {}});
        let found = errors(
            &mut doc,
            json!([
                {"target": "$.info.title", "update": "New"},
                {"target": "$.info", "update": "New"},
                {"target": "$.paths", "update": {"/a": {}}},
            ]),
        );
        assert_eq!(codes(&found), [("E0062", "#/actions/0"), ("E0062", "#/actions/1")]);
        assert!(found[0].message.contains("a string at `#/info/title`"), "{}", found[0]);
        assert!(found[1].message.contains("must be an object"), "{}", found[1]);
        assert_eq!(doc, json!({"info": {"title": "t"}, "paths": {"/a": {}}}));
    }

    /// The Train Travel API's Microcks overlay: it swaps each `example` for named `examples`.
    #[test]
    fn train_travel_overlay() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/train-travel");
        let (Ok(overlay_text), Ok(spec_text)) =
            (std::fs::read_to_string(dir.join("overlays.yaml")), std::fs::read_to_string(dir.join("openapi.yaml")))
        else {
            eprintln!("skipping: {} is absent", dir.display());
            return;
        };
        let overlay = crate::load::parse_text(&overlay_text).unwrap();
        let mut spec = crate::load::parse_text(&spec_text).unwrap();
        assert!(spec.get("x-topics").is_some());

        let found = apply(&mut spec, &overlay, "overlays.yaml").expect_err("one fix is stale");
        // The `search` parameter of GET /stations has `examples`, not `example`: nothing to remove.
        assert_eq!(codes(&found), [("E0061", "#/actions/3")]);
        assert_eq!(
            found[0].message,
            "this fix no longer applies: Remove the example from get /stations - search parameter. (target \
             `$.paths[\"/stations\"].get.parameters[?(@.name==\"search\")].example` matches nothing)"
        );

        // Every other action applied.
        assert!(spec.get("x-topics").is_none());
        let stations = &spec["paths"]["/stations"]["get"]["responses"]["200"]["content"]["application/json"];
        assert!(stations.get("example").is_none());
        assert_eq!(stations["examples"]["berlin_station"]["value"]["data"][0]["name"], "Berlin Hauptbahnhof");
        assert_eq!(stations["examples"]["stations"]["value"]["data"][1]["country_code"], "FR");
        let trips = &spec["paths"]["/trips"]["get"]["parameters"];
        let origin = trips.as_array().unwrap().iter().find(|p| p["name"] == "origin").unwrap();
        assert!(origin.get("example").is_none());
        assert_eq!(origin["examples"]["trips"]["value"], "efdbb9d1-02c2-4bc3-afb7-6788d8782b1e");
        let payment = &spec["paths"]["/bookings/{bookingId}/payment"]["post"]["requestBody"]["content"];
        let examples = payment["application/json"]["examples"].as_object().unwrap();
        let names: Vec<&String> = examples.keys().collect();
        assert_eq!(
            names,
            ["booking_1725ff48-ab45-4bb5-9d02-88745177dedb", "booking_bfc5af2c-f477-43c4-8bdf-a00bdb939d65"]
        );
        let hook = &spec["webhooks"]["newBooking"]["post"]["requestBody"]["content"]["application/json"];
        assert!(hook.get("example").is_none());
        assert_eq!(hook["examples"]["new_booking"]["value"]["passenger_name"], "John Doe");
    }
}

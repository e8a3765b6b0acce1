//! Decoding errors that say where: the path inside a body, and every `oneOf` variant tried.

use serde::de::value::Error as PlainError;

use crate::runtime::*;

#[derive(Debug, serde::Deserialize)]
struct Pet {
    #[allow(dead_code)] // only decoded
    kind: u8,
}

#[test]
fn decode_json_names_the_failing_path() {
    let error = decode_json::<Vec<Pet>>(br#"[{"kind": 1}, {"kind": "cat"}]"#).unwrap_err();
    assert!(error.starts_with("[1].kind: invalid type: string \"cat\""), "{error}");
    assert!(decode_json::<Vec<Pet>>(b"[] trailing").is_err());
}

#[test]
fn variants_name_each_variant_tried() {
    let value = serde_json::json!({"kind": "cat", "petType": "dog"});
    let mut variants = Variants::new("Animal", &value);
    assert!(variants.attempt::<Pet>("Pet").is_none());
    assert!(variants.attempt::<u8>("Code").is_none());
    let error: PlainError = variants.no_match();
    let shown = error.to_string();
    assert!(shown.starts_with("no variant of `Animal` matched (tried Pet: kind: invalid type"), "{shown}");
    assert!(shown.contains("; Code: invalid type: map"), "{shown}");
    assert_eq!(tag_of(&value, "petType"), Some("dog"));
    let error = variants.dispatched::<Pet, PlainError>("Pet", "petType", "dog").unwrap_err();
    assert!(error.to_string().starts_with("`Animal` with petType = \"dog\" is a `Pet`, which does not match: kind:"));
}

const LOCKED: Shape = Shape {
    properties: &["id", "event", "lock_reason", "commit_id"],
    required: &["id", "event", "lock_reason", "commit_id"],
    values: &[],
    open: false,
};
const COMMENTED: Shape = Shape {
    properties: &["id", "event", "body", "user", "html_url"],
    required: &["id", "event", "user", "html_url"],
    values: &[],
    open: false,
};
const LABELED: Shape = Shape {
    properties: &["id", "event", "label"],
    required: &["id", "event"],
    values: &[("event", &["labeled"])],
    open: false,
};
const OPEN: Shape = Shape { properties: &["id"], required: &["id"], values: &[], open: true };

#[test]
fn variants_are_ranked_by_fit_then_spec_order() {
    let rank = |value: serde_json::Value, shapes: &[Option<Shape>]| Variants::new("Event", &value).ranked(shapes);
    // A required nullable property must be present: `locked` misses two, `commented` none.
    let commented = serde_json::json!({"id": 1, "event": "commented", "body": "hi", "user": {}, "html_url": "u"});
    assert_eq!(rank(commented.clone(), &[Some(LOCKED), Some(COMMENTED)]), [1, 0]);
    let locked = serde_json::json!({"id": 1, "event": "locked", "lock_reason": null, "commit_id": null});
    assert_eq!(rank(locked, &[Some(LOCKED), Some(COMMENTED)]), [0, 1]);
    // A listed value that disagrees ranks last, whatever else fits.
    let labeled = serde_json::json!({"id": 1, "event": "labeled", "label": {}});
    assert_eq!(rank(labeled, &[Some(LOCKED), Some(LABELED)]), [1, 0]);
    assert_eq!(rank(serde_json::json!({"id": 1, "event": "unlabeled"}), &[Some(LABELED), Some(LOCKED)]), [1, 0]);
    // More declared properties matched, then fewer unknown ones (none where extras are kept).
    assert_eq!(rank(serde_json::json!({"id": 1, "x": 2}), &[Some(LOCKED), Some(OPEN)]), [1, 0]);
    // Not an object type, or not an object value: spec order among equals.
    assert_eq!(rank(commented, &[None, Some(COMMENTED)]), [1, 0]);
    assert_eq!(rank(serde_json::json!("text"), &[Some(COMMENTED), None, Some(LOCKED)]), [0, 1, 2]);
}

#[test]
fn a_tagged_variant_gets_its_tag_unless_it_has_one() {
    let tagged = serialize_tagged(serde_json::value::Serializer, "petType", "dog", &serde_json::json!({"a": 1}));
    assert_eq!(tagged.unwrap(), serde_json::json!({"a": 1, "petType": "dog"}));
    let own = serialize_tagged(serde_json::value::Serializer, "petType", "dog", &serde_json::json!({"petType": "x"}));
    assert_eq!(own.unwrap(), serde_json::json!({"petType": "x"}));
}

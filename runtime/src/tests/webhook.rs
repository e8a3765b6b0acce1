//! Webhook bodies: typed payloads, and errors that name the event, the path and the known names.

use crate::runtime::*;

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Pet {
    id: i64,
    tags: Vec<String>,
}

#[test]
fn a_json_payload_decodes_and_a_bad_one_names_the_event_and_the_path() {
    let pet: Pet = event_json("newPet", br#"{"id": 1, "tags": ["a"]}"#).expect("decodes");
    assert_eq!(pet, Pet { id: 1, tags: vec!["a".into()] });
    let error = event_json::<Pet>("newPet", br#"{"id": 1, "tags": ["a", 2]}"#).unwrap_err();
    assert!(matches!(&error, WebhookError::Decode { event: "newPet", .. }), "{error:?}");
    let shown = error.to_string();
    assert!(shown.starts_with("the body of `newPet` does not match its schema: tags[1]: invalid type"), "{shown}");
}

#[test]
fn text_and_bytes_payloads_are_kept_as_received() {
    assert_eq!(event_text("note", b"hello").expect("text"), "hello");
    assert_eq!(event_text("note", &[0xff, 0xfe]).unwrap_err(), WebhookError::NotText { event: "note" });
    assert_eq!(event_bytes(&[0, 1, 2]), Bytes::from_static(&[0, 1, 2]));
}

#[test]
fn an_unknown_event_lists_the_names_and_errors_stay_bounded() {
    const KNOWN: &[&str] = &["newPet", "subscribe.onData"];
    let error = WebhookError::unknown_event("oldPet", KNOWN);
    assert_eq!(
        error.to_string(),
        "no webhook or callback is named \"oldPet\": the names are `newPet`, `subscribe.onData`"
    );
    assert_eq!(
        WebhookError::unknown_event("x", &[]).to_string(),
        "no webhook or callback is named \"x\": this API has none"
    );
    // A name or message from outside is quoted in part only.
    let huge = "é".repeat(100_000);
    let error = WebhookError::unknown_event(&huge, KNOWN);
    assert!(error.to_string().len() < 2_000 && format!("{error:?}").len() < 2_000);
    let error = event_json::<Pet>("newPet", format!(r#"{{"id": "{huge}"}}"#).as_bytes()).unwrap_err();
    assert!(error.to_string().len() < 2_000 && format!("{error:?}").len() < 2_000, "{error}");
}

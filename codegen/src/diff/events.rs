//! Events (webhooks and callbacks: the `webhooks` module), matched by the name `parse` takes:
//! each is a variant of `webhooks::Event` (`#[non_exhaustive]`, so adding one breaks nobody), a
//! name `parse` accepts and a `parse_<event>` function.

use super::operations::{compare_gates, gate};
use super::rust::type_text;
use super::{docs_difference, At, ChangeKind, Changes, Impact, Item};
use crate::emit::TagFeatures;
use crate::ir::{Api, BodyKind, Event};
use std::collections::{HashMap, HashSet};

/// Every event, matched by name.
pub(super) fn compare_events(changes: &mut Changes<'_>, old: &Api, new: &Api) {
    let old_by_name: HashMap<&str, &Event> = old.events.iter().map(|e| (e.name.as_str(), e)).collect();
    for event in &new.events {
        match old_by_name.get(event.name.as_str()) {
            Some(before) => compare_event(changes, before, event),
            None => {
                let subject = changes.context.subject(Item::Event, &event.name, None);
                let module = if old.events.is_empty() { " (and the `webhooks` module)" } else { "" };
                let reason = format!(
                    "new event: `webhooks::Event::{}`{module}, parsed by `parse(\"{}\", ..)` and `webhooks::{}` \
                     (`Event` is `#[non_exhaustive]`: matches already have a `_` arm)",
                    event.variant, event.name, event.function
                );
                changes.push(ChangeKind::EventAdded, Impact::Compatible, subject, reason, At::new(&event.pointer));
            }
        }
    }
    let new_names: HashSet<&str> = new.events.iter().map(|e| e.name.as_str()).collect();
    for event in old.events.iter().filter(|e| !new_names.contains(e.name.as_str())) {
        let subject = changes.context.subject(Item::Event, &event.name, None);
        let reason = format!(
            "removed: `webhooks::Event::{}` and `webhooks::{}` are gone, `parse(\"{}\", ..)` fails{}",
            event.variant,
            event.function,
            event.name,
            if new.events.is_empty() { " (the `webhooks` module is gone)" } else { "" }
        );
        changes.push(ChangeKind::EventRemoved, Impact::Breaking, subject, reason, At::old(&event.pointer));
    }
}

fn compare_event(changes: &mut Changes<'_>, before: &Event, after: &Event) {
    let subject = changes.context.subject(Item::Event, &after.name, None);
    let at = || At::both(&before.pointer, &after.pointer);
    if (&before.variant, &before.function) != (&after.variant, &after.function) {
        let reason = format!(
            "`webhooks::Event::{}` and `webhooks::{}` are now `Event::{}` and `webhooks::{}`",
            before.variant, before.function, after.variant, after.function
        );
        changes.push(ChangeKind::EventRenamed, Impact::Breaking, subject.clone(), reason, at());
    }
    let (old_payload, new_payload) = (payload_text(before), payload_text(after));
    if old_payload != new_payload {
        let reason = format!("`Event::{}` now holds {new_payload} (was: {old_payload})", after.variant);
        changes.push(ChangeKind::EventPayloadChanged, Impact::Breaking, subject.clone(), reason, at());
    } else if before.payload != after.payload {
        let reason = "the body's media type changed, its Rust type did not".to_owned();
        changes.push(ChangeKind::EventPayloadChanged, Impact::NoApiChange, subject.clone(), reason, at());
    }
    let mut parts = docs_difference(&before.docs, &after.docs);
    if before.responses != after.responses {
        parts.push("expected responses");
    }
    if before.source != after.source {
        parts.push("where it is declared");
    }
    if !parts.is_empty() {
        let reason = format!("{} changed: only docs change", parts.join(", "));
        changes.push(ChangeKind::DocsChanged, Impact::NoApiChange, subject, reason, at());
    }
}

/// What the event's variant holds, in words.
fn payload_text(event: &Event) -> String {
    match &event.payload {
        None => "nothing".to_owned(),
        Some((_, BodyKind::Json(ty))) => format!("`{}`", type_text(ty)),
        Some((_, BodyKind::Text)) => "`String`".to_owned(),
        Some((_, BodyKind::Binary)) => "`Bytes`".to_owned(),
    }
}

/// With tag features: the features that compile each event kept.
pub(super) fn compare_gates_of_events(
    changes: &mut Changes<'_>,
    old: &Api,
    new: &Api,
    (old_features, new_features): (&TagFeatures, &TagFeatures),
) {
    let old_by_name: HashMap<&str, &Event> = old.events.iter().map(|e| (e.name.as_str(), e)).collect();
    for event in &new.events {
        if let Some(before) = old_by_name.get(event.name.as_str()) {
            let gates = (gate(old_features.event_cfg(&before.variant)), gate(new_features.event_cfg(&event.variant)));
            let subject = changes.context.subject(Item::Event, &event.name, None);
            compare_gates(changes, gates, subject, At::both(&before.pointer, &event.pointer));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::{compare, ChangeKind, Context, Impact};

    fn api(webhooks: &str) -> crate::ir::Api {
        let text = format!(
            "openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\n\
             components: {{schemas: {{Pet: {{type: object, properties: {{id: {{type: integer}}}}}}}}}}\nwebhooks:\n{webhooks}"
        );
        let document = crate::load::parse_text(&text).expect("valid YAML");
        crate::frontend::lower_document("t.yaml", document, &Default::default()).expect("lowers").0
    }

    const PET: &str = "{content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}";

    fn kinds(old: &str, new: &str) -> Vec<(ChangeKind, Impact)> {
        let (old, new) = (api(old), api(new));
        compare(&old, &new, &Context::files("old.yaml", "new.yaml"))
            .into_iter()
            .filter(|c| c.subject.item == crate::diff::Item::Event)
            .map(|c| (c.kind, c.impact))
            .collect()
    }

    #[test]
    fn events_added_removed_and_changed() {
        let one = format!("  a: {{post: {{requestBody: {PET}}}}}\n");
        let two = format!("{one}  b: {{post: {{summary: B}}}}\n");
        assert_eq!(kinds(&one, &two), [(ChangeKind::EventAdded, Impact::Compatible)]);
        assert_eq!(kinds(&two, &one), [(ChangeKind::EventRemoved, Impact::Breaking)]);
        let text = "  a: {post: {requestBody: {content: {text/plain: {}}}}}\n";
        assert_eq!(kinds(&one, text), [(ChangeKind::EventPayloadChanged, Impact::Breaking)]);
        let described = format!("  a: {{post: {{description: Sent when, requestBody: {PET}}}}}\n");
        assert_eq!(kinds(&one, &described), [(ChangeKind::DocsChanged, Impact::NoApiChange)]);
        assert_eq!(kinds(&one, &one), []);
    }
}

//! Lossless round trips of recorded-style payloads (issue 16) against the types generated from
//! `tests/fixtures/schemas/round-trip.yaml`, compiled in the `fixture-clients` crate: untagged
//! unions decode into the variant that fits best, spec defaults are never filled in, and absent
//! vs `null` survives for every kind of field. Every model implements both serde traits, so the
//! response-only and request-only types here round-trip too.

use fixture_clients::runtime::{Nullable, Presence};
use fixture_clients::schemas_round_trip::types::{
    AuthorAssociation, Colour, IdOrName, Kinds, Label, Plan, Repository, RepositoryCreate, Target, TimelineEvent,
};
use serde_json::{json, Value};

/// Decodes `value` as `T`, encodes it again, and checks the JSON is unchanged.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded, value, "the round trip changed the JSON");
    decoded
}

fn user(login: &str) -> Value {
    json!({"login": login, "id": 1, "name": null, "email": null})
}

/// A GitHub timeline `commented` event: `LockedIssueEvent`, listed before it, decodes it too
/// (its missing required properties are all nullable), but does not declare `body`, `html_url`,
/// `user` or `author_association`.
#[test]
fn a_timeline_comment_is_not_taken_for_the_locked_event_listed_before_it() {
    let commented = json!({
        "event": "commented",
        "actor": user("octocat"),
        "id": 6430295,
        "node_id": "MDEyOklzc3VlQ29tbWVudDY0MzAyOTU=",
        "url": "https://api.github.com/repos/o/r/issues/comments/6430295",
        "body": "Great stuff",
        "html_url": "https://github.com/o/r/issues/1347#issuecomment-6430295",
        "user": user("octocat"),
        "created_at": "2011-04-14T16:00:49Z",
        "updated_at": "2011-04-14T16:00:49Z",
        "issue_url": "https://api.github.com/repos/o/r/issues/1347",
        "author_association": "COLLABORATOR"
    });
    let TimelineEvent::TimelineCommentEvent(event) = round_trip(commented) else {
        panic!("not decoded as a comment");
    };
    assert_eq!(event.body.as_deref(), Some("Great stuff"));
    assert_eq!(event.author_association, AuthorAssociation::Collaborator);

    // The events the earlier variants do fit still decode as them.
    let locked = json!({
        "id": 1, "node_id": "n", "url": "u", "actor": user("a"), "event": "locked", "commit_id": null,
        "commit_url": null, "created_at": "2011-04-14T16:00:49Z", "performed_via_github_app": null,
        "lock_reason": "off-topic"
    });
    let TimelineEvent::LockedIssueEvent(event) = round_trip(locked) else { panic!("not decoded as locked") };
    assert_eq!(event.lock_reason.as_deref(), Some("off-topic"));
    let labeled = json!({
        "id": 2, "node_id": "n", "url": "u", "actor": user("a"), "event": "labeled", "commit_id": null,
        "commit_url": null, "created_at": "2011-04-14T16:00:49Z", "label": {"name": "bug", "color": "f00"}
    });
    assert!(matches!(round_trip(labeled), TimelineEvent::LabeledIssueEvent(_)));
    let committed = json!({"sha": "abc", "node_id": "n", "url": "u", "html_url": "h", "message": "m"});
    assert!(matches!(round_trip(committed), TimelineEvent::TimelineCommittedEvent(_)));
}

/// A locked event as GitHub sometimes records it, without `performed_via_github_app`: still a
/// `LockedIssueEvent` (nothing fits better), and the absent property stays absent.
#[test]
fn a_missing_required_nullable_property_stays_missing() {
    let locked = json!({
        "id": 1, "node_id": "n", "url": "u", "actor": user("a"), "event": "locked", "commit_id": null,
        "commit_url": null, "created_at": "2011-04-14T16:00:49Z", "lock_reason": null
    });
    let TimelineEvent::LockedIssueEvent(event) = round_trip(locked) else { panic!("not decoded as locked") };
    assert_eq!(event.performed_via_github_app, None);
    assert_eq!(event.presence.iter().collect::<Vec<_>>(), ["performed_via_github_app"]);
}

#[test]
fn the_variant_declaring_more_of_the_properties_wins() {
    // `BasicPlan` (first) decodes this too, dropping `seats` and `support`.
    let Plan::ProPlan(pro) = round_trip(json!({"name": "pro", "price": 10.0, "seats": 5, "support": "24/7"})) else {
        panic!("not decoded as a pro plan");
    };
    assert_eq!(pro.seats, Some(5));
    // A tie goes to the variant listed first.
    assert!(matches!(round_trip(json!({"name": "basic", "price": 1.0})), Plan::BasicPlan(_)));
}

#[test]
fn the_variant_whose_enum_lists_the_value_wins() {
    // `EmailTarget` (first) decodes this too: its `kind` keeps unknown values.
    assert!(matches!(round_trip(json!({"kind": "sms", "address": "+4712345678"})), Target::SmsTarget(_)));
    assert!(matches!(round_trip(json!({"kind": "email", "address": "a@b.c"})), Target::EmailTarget(_)));
    // Unions inside a response body, as decoded from the wire.
    let body: fixture_clients::schemas_round_trip::types::GetPlanResponse =
        round_trip(json!({"plan": {"name": "p", "seats": 2}, "notify": {"kind": "sms", "address": "+1"}}));
    assert!(matches!(body.plan, Some(Plan::ProPlan(_))));
    assert!(matches!(body.notify, Some(Target::SmsTarget(_))));
}

#[test]
fn decoding_a_response_never_fills_in_spec_defaults() {
    let repository: Repository = round_trip(json!({"id": 1, "name": "hello"}));
    assert_eq!(repository.visibility, None);
    assert_eq!(repository.private, None);
    assert_eq!(repository.archived_reason, Nullable::Absent);
    // The defaults are offered by accessors.
    assert_eq!(repository.visibility_or_default(), "public");
    assert!(!repository.private_or_default());
    assert_eq!(repository.forks_or_default(), 0);
    assert_eq!(repository.topics_or_default(), Vec::<String>::new());
    assert_eq!(repository.merge_method_or_default().as_str(), "merge");
    assert_eq!(repository.archived_reason_or_default().as_deref(), Some("none"));
    // A present value (and `null` for a nullable field) is what the accessor gives.
    let given: Repository = round_trip(json!({
        "id": 1, "name": "hello", "visibility": "private", "private": true, "forks": 3, "topics": ["x"],
        "merge_method": "squash", "archived_reason": null
    }));
    assert_eq!(given.visibility_or_default(), "private");
    assert_eq!(given.forks_or_default(), 3);
    assert_eq!(given.archived_reason_or_default(), None);
}

#[test]
fn request_bodies_send_no_default_the_caller_did_not_set() {
    let body =
        RepositoryCreate { name: "new".into(), visibility: None, auto_init: None, presence: Presence::default() };
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({"name": "new"}));
    assert_eq!(body.visibility_or_default(), "public");
    // A request-only type decodes too, and a recorded body round-trips.
    let recorded: RepositoryCreate = round_trip(json!({"name": "new", "auto_init": true}));
    assert_eq!(recorded.auto_init, Some(true));
    // `Default` leaves every defaulted field absent.
    let settings = fixture_clients::schemas_defaults::types::SettingsLimits::default();
    assert_eq!(serde_json::to_value(settings).unwrap(), json!({}));
}

/// The twenty fields of `Kinds`: scalar, object, array, enum and union, each required, optional,
/// nullable (optional) and required nullable.
fn kinds(values: [(&str, Value); 5]) -> Value {
    let mut object = serde_json::Map::new();
    for (kind, value) in values {
        for suffix in ["Required", "Optional", "Nullable", "RequiredNullable"] {
            object.insert(format!("{kind}{suffix}"), value.clone());
        }
    }
    Value::Object(object)
}

fn some_values() -> [(&'static str, Value); 5] {
    [
        ("scalar", json!("s")),
        ("object", json!({"name": "n"})),
        ("array", json!([1, 2])),
        ("enum", json!("red")),
        ("union", json!(7)),
    ]
}

#[test]
fn every_kind_of_field_keeps_its_value_absence_and_null() {
    // Every field with a value.
    let all: Kinds = round_trip(kinds(some_values()));
    assert_eq!(all.enum_required_nullable, Some(Colour::Red));
    assert_eq!(all.union_nullable, Nullable::Value(IdOrName::Integer(7)));
    assert!(all.presence.is_empty());

    // Every field that may be `null` is `null`: the optional non-nullable ones too, as servers
    // send them.
    let mut nulls = kinds(some_values());
    for (key, value) in nulls.as_object_mut().unwrap() {
        if !key.ends_with("Required") {
            *value = Value::Null;
        }
    }
    let decoded: Kinds = round_trip(nulls);
    assert_eq!((&decoded.scalar_optional, &decoded.scalar_nullable), (&None, &Nullable::Null));
    assert_eq!(decoded.object_required_nullable, None);
    assert!(decoded.presence.contains("unionOptional"));

    // Every field that may be absent is absent: the required nullable ones too, as servers
    // leave them out.
    let mut absent = kinds(some_values());
    absent.as_object_mut().unwrap().retain(|key, _| key.ends_with("Required"));
    let decoded: Kinds = round_trip(absent);
    assert_eq!((&decoded.array_optional, &decoded.array_nullable), (&None, &Nullable::Absent));
    assert_eq!(decoded.enum_required_nullable, None);
    assert!(decoded.presence.contains("enumRequiredNullable"));
    assert!(!decoded.presence.contains("enumOptional"));

    // Built in code, `None` is written the usual way: optional fields left out, required
    // nullable ones `null`. Equal to the decoded value: the record is not part of `==`.
    // A property named `presence` keeps its name; the record takes a suffix.
    let label: Label = round_trip(json!({"name": "n", "description": null, "presence": "online"}));
    assert_eq!(label.presence.as_deref(), Some("online"));
    assert!(label.presence_2.contains("description"));

    let built = Kinds { presence: Presence::default(), ..decoded.clone() };
    assert_eq!(built, decoded);
    let encoded = serde_json::to_value(&built).unwrap();
    assert_eq!(encoded["enumRequiredNullable"], Value::Null);
    assert!(encoded.get("enumOptional").is_none());
}

/// With `keep_unknown = true` (`--keep-unknown-properties`), properties the spec does not declare
/// are kept in each struct's `additional_properties` and written back, nested ones included.
#[test]
fn kept_unknown_properties_round_trip_too() {
    use fixture_clients::schemas_round_trip_kept::types as kept;
    let mut actor = user("octocat");
    actor["site_admin"] = json!(false);
    let commented = json!({
        "event": "commented", "actor": actor, "id": 1, "node_id": "n", "url": "u", "html_url": "h",
        "user": user("octocat"), "created_at": "c", "updated_at": "u", "issue_url": "i",
        "author_association": "NONE", "reactions": {"+1": 2, "total_count": 2}, "body_html": "<p>hi</p>"
    });
    let kept::TimelineEvent::TimelineCommentEvent(event) = round_trip(commented.clone()) else {
        panic!("not decoded as a comment");
    };
    assert_eq!(event.additional_properties["reactions"], json!({"+1": 2, "total_count": 2}));
    assert_eq!(event.actor.additional_properties["site_admin"], json!(false));

    // Off by default: the undeclared properties are dropped.
    let plain: TimelineEvent = serde_json::from_value(commented).unwrap();
    let encoded = serde_json::to_value(plain).unwrap();
    assert!(encoded.get("reactions").is_none() && encoded["actor"].get("site_admin").is_none());
}

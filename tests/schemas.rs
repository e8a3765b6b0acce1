//! Serde round trips against the types generated from `tests/fixtures/schemas/*.yaml`, compiled
//! in the `fixture-clients` crate (see `tests/fixtures/clients/codegen.toml`): absent vs `null`,
//! enums with unknown values, discriminated and untagged `oneOf`, and the errors of values that
//! match no variant.

use fixture_clients::runtime::{decode_json, Nullable};
use fixture_clients::{schemas_discriminator as disc, schemas_enums as enums, schemas_nullable as nullable};
use serde_json::{json, Value};

/// Decodes `value` as `T`, encodes it again, and checks the JSON is unchanged.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded, value, "the round trip changed the JSON");
    decoded
}

/// The error of decoding `value` as `T`, with its path.
fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    let bytes = serde_json::to_vec(&value).expect("encodes");
    decode_json::<T>(&bytes).expect_err("must not decode")
}

#[test]
fn nullable_optional_fields_keep_absent_null_and_value_apart() {
    let absent: nullable::types::AccountPatch = round_trip(json!({"id": "a", "owner": null}));
    assert_eq!(absent.name, Nullable::Absent);
    assert_eq!(absent.owner, None);
    let null: nullable::types::AccountPatch = round_trip(json!({"id": "a", "owner": "o", "name": null}));
    assert_eq!(null.name, Nullable::Null);
    let value: nullable::types::AccountPatch =
        round_trip(json!({"id": "a", "owner": null, "name": "n", "limit": 3, "tags": ["x"]}));
    assert_eq!(value.name, Nullable::Value("n".to_owned()));
    assert_eq!(value.limit.value(), Some(&3));
    let address: nullable::types::AccountPatch =
        round_trip(json!({"id": "a", "owner": null, "address": {"city": "Oslo", "zip": null}}));
    assert_eq!(address.address.value().map(|a| a.zip.is_null()), Some(true));
}

#[test]
fn nullable_patch_body_sends_null_to_clear_and_omits_to_keep() {
    let patch = nullable::types::AccountPatch {
        id: "a".into(),
        owner: None,
        name: Nullable::Null,
        nickname: None,
        limit: Nullable::Absent,
        address: Nullable::Absent,
        tags: Some(vec!["t".to_owned()]).into(),
    };
    assert_eq!(serde_json::to_value(&patch).unwrap(), json!({"id": "a", "owner": null, "name": null, "tags": ["t"]}));
}

#[test]
fn string_enums_with_awkward_values_round_trip_and_keep_unknown_values() {
    use enums::types::Awkward;
    for (wire, expected) in [
        ("a-b", Awkward::AB),
        ("", Awkward::Empty),
        ("1x", Awkward::V1x),
        ("Foo", Awkward::Foo),
        ("foo", Awkward::Foo2),
        ("FOO", Awkward::Foo3),
        ("unknown", Awkward::Unknown2),
        ("Unknown", Awkward::Unknown3),
    ] {
        assert_eq!(round_trip::<Awkward>(json!(wire)), expected);
        assert_eq!(expected.as_str(), wire);
    }
    assert_eq!(round_trip::<Awkward>(json!("brand-new")), Awkward::Unknown("brand-new".to_owned()));
}

#[test]
fn integer_enums_and_consts_round_trip_and_keep_unknown_values() {
    use enums::types::{Priority, TaskLevel, Version};
    assert_eq!(round_trip::<Priority>(json!(1)), Priority::V1);
    assert_eq!(round_trip::<Priority>(json!(-1)), Priority::Minus1);
    assert_eq!(round_trip::<Priority>(json!(99)), Priority::Unknown(99));
    assert_eq!(Priority::V3.value(), 3);
    assert_eq!(round_trip::<Version>(json!(2)), Version::V2);
    assert_eq!(round_trip::<Version>(json!(3)), Version::Unknown(3));
    assert_eq!(round_trip::<TaskLevel>(json!(20)), TaskLevel::V20);
    assert_eq!(round_trip::<enums::types::Kind>(json!("fixed")), enums::types::Kind::Fixed);
}

#[test]
fn enums_that_allow_null_are_nullable_fields() {
    use enums::types::{Colour, Task, TaskShade};
    let task: Task = round_trip(json!({"priority": 2, "colour": null, "shade": "dark", "kind": "fixed", "version": 2}));
    assert_eq!(task.colour, Nullable::Null);
    assert_eq!(task.shade, Nullable::Value(TaskShade::Dark));
    let task: Task = round_trip(json!({"priority": 7, "colour": "blue", "level": 30, "awkward": "a-b"}));
    assert_eq!(task.colour, Nullable::Value(Colour::Unknown("blue".to_owned())));
    assert_eq!(task.shade, Nullable::Absent);
}

#[test]
fn discriminator_with_mapping_dispatches_on_the_property() {
    use disc::types::{Dog, Pet};
    let dog: Pet = round_trip(json!({"petType": "dog", "barks": true}));
    assert_eq!(dog, Pet::Dog(Dog { pet_type: "dog".into(), barks: true }));
    assert!(matches!(round_trip::<Pet>(json!({"petType": "cat", "lives": 9})), Pet::Cat(_)));
    // Lizard has no `petType` field: decoding ignores it, encoding adds it back.
    assert!(matches!(round_trip::<Pet>(json!({"petType": "lizard", "scales": 3})), Pet::Lizard(_)));
}

#[test]
fn discriminator_keeps_unknown_and_missing_tags_as_json() {
    use disc::types::Pet;
    let fish = json!({"petType": "fish", "fins": 2});
    assert_eq!(round_trip::<Pet>(fish.clone()), Pet::Unknown(fish));
    assert!(matches!(round_trip::<Pet>(json!({"barks": true})), Pet::Unknown(_)));
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    use disc::types::Animal;
    assert!(matches!(round_trip::<Animal>(json!({"petType": "Dog", "barks": false})), Animal::Dog(_)));
    assert!(matches!(round_trip::<Animal>(json!({"petType": "dog", "barks": false})), Animal::Unknown(_)));
}

#[test]
fn dispatched_variant_that_does_not_match_names_it_and_the_path() {
    let error = decode_error::<disc::types::Owner>(json!({"pet": {"petType": "dog", "barks": "loud"}}));
    assert!(error.starts_with("pet: "), "{error}");
    assert!(error.contains("petType = \"dog\" is a `Dog`"), "{error}");
    assert!(error.contains("barks: invalid type: string \"loud\", expected a boolean"), "{error}");
}

#[test]
fn untagged_one_of_tries_variants_in_order_and_names_each_failure() {
    use disc::types::{IdOrName, Owner, Shape};
    assert!(matches!(round_trip::<Shape>(json!({"radius": 1.5})), Shape::Circle(_)));
    assert!(matches!(round_trip::<Shape>(json!({"side": 2.0})), Shape::Square(_)));
    assert_eq!(round_trip::<IdOrName>(json!(5)), IdOrName::Integer(5));
    assert_eq!(round_trip::<IdOrName>(json!("x")), IdOrName::String("x".into()));
    let owner: Owner = round_trip(json!({"pet": {"petType": "cat"}, "shapes": [{"radius": 1.0}], "id": "o"}));
    assert_eq!(owner.shapes.map(|s| s.len()), Some(1));

    let error = decode_error::<Owner>(json!({"pet": {"petType": "cat"}, "shapes": [{"radius": 1.0}, {"sides": 2}]}));
    assert!(error.starts_with("shapes[1]: no variant of `Shape` matched (tried Circle: "), "{error}");
    assert!(error.contains("Square: missing field `side`"), "{error}");
    let error = decode_error::<IdOrName>(json!(true));
    assert!(error.contains("Integer: invalid type: boolean `true`, expected i64"), "{error}");
}

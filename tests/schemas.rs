//! Serde round trips against the types generated from `tests/fixtures/schemas/*.yaml`, compiled
//! in the `fixture-clients` crate (see `tests/fixtures/clients/codegen.toml`): absent vs `null`,
//! enums with unknown values, discriminated and untagged `oneOf`, and the errors of values that
//! match no variant; formats, defaults, generated `validate()` methods, and the warnings of
//! `serde_json::Value` fallbacks.

use fixture_clients::runtime::{decode_json, Nullable};
use fixture_clients::{
    schemas_defaults as defaults, schemas_discriminator as disc, schemas_enums as enums, schemas_formats as formats,
    schemas_nullable as nullable, schemas_validation as validation,
};
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
        presence: Default::default(),
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

#[test]
fn formats_map_to_uuid_chrono_and_strings_and_round_trip() {
    use formats::types::Upload;
    let upload: Upload = round_trip(json!({
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8",
        "parent": null,
        "owners": ["00000000-0000-0000-0000-000000000001"],
        "created": "2024-05-01T12:30:00Z",
        "day": "2024-05-01",
        "checksum": "aGVsbG8=",
        "content": "raw",
        "homepage": "https://example.com/x",
        "contact": "a@example.com",
        "password": "secret",
        "size": 9_000_000_000_i64,
        "parts": 3,
        "ratio": 0.5,
        "score": 0.25,
        "tags": ["a", "a"]
    }));
    // `uuid::Uuid`, `chrono` types: typed values, compared through their text.
    assert_eq!(upload.id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
    assert_eq!(upload.parent, Nullable::Null);
    assert_eq!(upload.day.map(|d| d.to_string()).as_deref(), Some("2024-05-01"));
    assert_eq!(upload.created.map(|t| t.timestamp()), Some(1_714_566_600));
    // `byte`, `binary`, `uri`, `email`: kept as text, unchanged.
    assert_eq!(upload.checksum.as_deref(), Some("aGVsbG8="));
    assert_eq!(upload.homepage.as_deref(), Some("https://example.com/x"));
    // A value that is not a UUID does not decode.
    let error = decode_error::<Upload>(json!({"id": "not-a-uuid"}));
    assert!(error.starts_with("id: "), "{error}");
}

fn generate_types(spec: &str, options: codegen::pipeline::ApiOptions) -> (String, String, Vec<codegen::Diagnostic>) {
    let document = codegen::load::parse_text(spec).expect("parses");
    let (crate_spec, source) = codegen::pipeline::standalone("spec.yaml", document, None, options);
    let generated = codegen::generate_crate(&crate_spec, vec![source], &Default::default())
        .unwrap_or_else(|e| panic!("does not generate: {e:#?}"));
    let file = |path: &str| generated.files.iter().find(|f| f.path == path).expect(path).contents.clone();
    (file("src/types.rs"), file("Cargo.toml"), generated.reports[0].warnings.clone())
}

#[test]
fn formats_as_strings_keeps_uuid_and_dates_as_string() {
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schemas/formats.yaml"))
        .expect("fixture");
    let (typed, manifest, _) = generate_types(&spec, Default::default());
    assert!(typed.contains("pub id: uuid::Uuid,"), "{typed}");
    assert!(manifest.contains("uuid = { version = \"1\", features = [\"serde\"] }"), "{manifest}");
    let options = codegen::pipeline::ApiOptions { formats_as_strings: true, ..Default::default() };
    let (strings, manifest, _) = generate_types(&spec, options);
    assert!(strings.contains("pub id: String,"), "{strings}");
    assert!(strings.contains("pub created: Option<String>,"), "{strings}");
    assert!(!strings.contains("uuid::") && !strings.contains("chrono::"), "{strings}");
    assert!(!manifest.contains("uuid") && !manifest.contains("chrono"), "{manifest}");
}

#[test]
fn defaults_are_offered_by_accessors_and_never_filled_in() {
    use defaults::types::{Level, Settings, SettingsMode};
    // Absent stays absent: decoding does not invent values, and encoding gives the JSON back.
    let settings: Settings = round_trip(json!({"id": "s"}));
    assert_eq!((settings.name.as_deref(), settings.retries, settings.note.clone()), (None, None, Nullable::Absent));
    assert_eq!(settings.name_or_default(), "untitled");
    assert_eq!(settings.retries_or_default(), 3);
    assert_eq!(settings.timeout_or_default(), 1.5);
    assert!(!settings.verbose_or_default());
    assert_eq!(settings.mode_or_default(), SettingsMode::Safe);
    assert_eq!(settings.level_or_default(), Level::High);
    assert_eq!(settings.labels_or_default(), ["a".to_owned(), "b".to_owned()]);
    assert_eq!(settings.empty_or_default(), Vec::<i64>::new());
    assert_eq!(settings.note_or_default().as_deref(), Some("n/a"));
    // Present values (including `null` for a nullable field) win over the default.
    let given: Settings = round_trip(json!({
        "id": "s", "name": "n", "retries": 0, "timeout": 2.5, "verbose": true, "mode": "fast", "level": "low",
        "labels": [], "empty": [1], "note": null
    }));
    assert_eq!((given.retries_or_default(), given.note_or_default(), given.level_or_default()), (0, None, Level::Low));
    assert_eq!(given.labels_or_default(), Vec::<String>::new());
}

#[test]
fn validate_reports_each_broken_constraint_with_its_path() {
    use validation::types::{Address, Signup, SignupContact};
    let valid: Signup = round_trip(json!({
        "username": "ééé", "age": 18, "score": 0.5, "step": 0.3, "even": 4, "nickname": null,
        "tags": ["a"], "address": {"zip": "12345"}, "contact": {"email": "a@b.c"}
    }));
    assert_eq!(valid.validate(), Ok(()), "three characters (six bytes) is long enough");

    // Decoding stays lenient: every broken value decodes.
    let invalid: Signup = round_trip(json!({
        "username": "ab", "age": 131, "score": 0.0, "step": 0.25, "even": 3, "nickname": "toolong",
        "tags": ["a", "a", "b", "c"], "address": {"zip": "1"}, "previous": [{"zip": "12345"}, {"zip": "123456"}],
        "byName": {"home": {"zip": ""}}, "contact": {"email": "much-too-long@example.com"}
    }));
    let violations = invalid.validate().expect_err("must not validate");
    let found: Vec<(&str, &str)> = violations.iter().map(|v| (v.path.as_str(), v.rule.as_str())).collect();
    assert_eq!(
        found,
        [
            ("username", "length 2 is below minLength 3"),
            ("age", "131 is above maximum 130"),
            ("score", "0 is not above exclusiveMinimum 0"),
            ("step", "0.25 is not a multiple of 0.1"),
            ("even", "3 is not a multiple of 2"),
            ("nickname", "length 7 is above maxLength 4"),
            ("tags", "4 items is above maxItems 3"),
            ("tags", "item 1 repeats an earlier item (uniqueItems)"),
            ("address.zip", "length 1 is below minLength 5"),
            ("previous[1].zip", "length 6 is above maxLength 5"),
            ("byName.home.zip", "length 0 is below minLength 5"),
            ("contact.email", "length 25 is above maxLength 10"),
        ]
    );
    assert!(violations.to_string().starts_with("username: length 2 is below minLength 3; age: "), "{violations}");
    // `pattern` is searched in characters; nested types validate on their own too.
    let shouting = Signup { username: "ÉÉÉ".into(), ..valid.clone() };
    assert_eq!(
        shouting.validate().map_err(|v| v.to_string()),
        Err("username: does not match pattern `^[a-zé]+$`".into())
    );
    assert!(Address { zip: "abcde".into() }.validate().is_ok());
    assert!(SignupContact::Phone(validation::types::Phone { phone: String::new() }).validate().is_ok());
}

const FALLBACKS: &str = r#"openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        mixed: {enum: [1, "a"]}
        floats: {enum: [0.5, 1.5]}
        untypedStrings: {enum: [a, b]}
        anything: {}
        described: {description: any value}
        map: {type: object}
        items: {type: array}
        open: {type: object, additionalProperties: true}
"#;

#[test]
fn value_fallbacks_warn_with_their_pointer_and_free_form_schemas_do_not() {
    let (types, _, warnings) = generate_types(FALLBACKS, Default::default());
    let found: Vec<(&str, &str)> = warnings.iter().map(|w| (w.code, w.pointer.as_str())).collect();
    assert_eq!(
        found,
        [
            ("W0032", "#/components/schemas/Thing/properties/mixed"),
            ("W0032", "#/components/schemas/Thing/properties/floats"),
        ],
        "{warnings:#?}"
    );
    assert!(warnings[0].message.contains("`enum` of 1, \"a\""), "{}", warnings[0].message);
    // An untyped enum of strings is a string enum, not a fallback.
    assert!(types.contains("pub untyped_strings: Option<ThingUntypedStrings>,"), "{types}");
    assert!(types.contains("pub anything: Option<serde_json::Value>,"), "{types}");
}

#[test]
fn a_type_list_is_an_untagged_enum_with_one_variant_per_type() {
    use fixture_clients::schemas_multi_type::types::{Setting, SettingValue};
    let text: Setting = round_trip(json!({"value": "dark"}));
    assert_eq!(text.value, Some(SettingValue::String("dark".into())));
    let number: Setting = round_trip(json!({"value": 3}));
    assert_eq!(number.value, Some(SettingValue::Integer(3)));
    let null: Setting = round_trip(json!({"value": null}));
    assert_eq!(null.value, None);
    assert!(decode_error::<Setting>(json!({"value": true})).contains("no variant of `SettingValue` matched"));
}

#[test]
fn objects_decode_by_property_name_keep_typed_extras_and_report_what_is_wrong() {
    use nullable::types::{AccountPatch, Empty, Labels};
    // Undeclared properties land in the typed map, and are written back beside the declared ones.
    let labels: Labels = round_trip(json!({"name": "n", "a": 1, "b": 2}));
    assert_eq!(labels.name, "n");
    assert_eq!(labels.additional_properties.into_iter().collect::<Vec<_>>(), [("a".into(), 1), ("b".into(), 2)]);
    let error = decode_error::<Labels>(json!({"name": "n", "a": "one"}));
    assert!(error.starts_with("a: invalid type: string \"one\", expected i64"), "{error}");
    // Without additionalProperties, unknown properties are ignored; order does not matter.
    let patch: AccountPatch = serde_json::from_value(json!({"zzz": [1], "owner": null, "id": "a"})).unwrap();
    assert_eq!((patch.id.as_str(), patch.owner, patch.name), ("a", None, Nullable::Absent));
    let _: Empty = serde_json::from_value(json!({"anything": {"at": "all"}})).unwrap();
    // A missing required property, a wrong type inside, and a value that is not an object at all.
    let missing = decode_error::<AccountPatch>(json!({"owner": null}));
    assert!(missing.starts_with("missing field `id`"), "{missing}");
    let wrong = decode_error::<AccountPatch>(json!({"id": 5, "owner": null}));
    assert!(wrong.starts_with("id: invalid type: integer `5`, expected a string"), "{wrong}");
    assert!(decode_error::<AccountPatch>(json!(["a", null])).contains("expected struct AccountPatch"));
}

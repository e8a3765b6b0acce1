//! `object_serde!` and `string_enum!` expanded here as generated types expand them.

use std::collections::BTreeMap;

use crate::runtime::{Nullable, Presence};

#[derive(Debug, PartialEq)]
struct Pet {
    id: u64,
    owner: Option<String>,
    name: Option<String>,
    nickname: Nullable<String>,
    size: Option<i64>,
    extra: BTreeMap<String, serde_json::Value>,
    presence: Presence,
}

crate::runtime::object_serde! {
    Pet {
        required { id: "id" }
        nullable { owner: "owner" }
        optional { name: "name", nickname: "nickName", size: "size" }
        extra { extra }
        presence { presence }
    }
    serialize;
    deserialize;
}

/// Without a `presence` field: `None` is written the usual way.
#[derive(Debug, PartialEq)]
struct Plain {
    owner: Option<String>,
    name: Option<String>,
}

crate::runtime::object_serde! {
    Plain {
        nullable { owner: "owner" }
        optional { name: "name" }
    }
    serialize;
    deserialize;
}

#[derive(Debug, Clone, PartialEq)]
enum Colour {
    Red,
    LightBlue,
    Unknown(String),
}

crate::runtime::string_enum! {
    Colour {
        Red = "red",
        LightBlue = "light-blue",
    }
    serialize;
    deserialize;
}

#[test]
fn objects_keep_absent_null_and_extras_apart() {
    let pet: Pet = serde_json::from_str(r#"{"id": 1, "owner": null, "nickName": null, "x": true}"#).unwrap();
    let expected = Pet {
        id: 1,
        owner: None,
        name: None,
        nickname: Nullable::Null,
        size: None,
        extra: BTreeMap::from([("x".to_owned(), serde_json::json!(true))]),
        presence: Presence::default(),
    };
    assert_eq!(pet, expected);
    assert!(pet.presence.is_empty());
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        serde_json::json!({"id": 1, "owner": null, "nickName": null, "x": true})
    );
    let missing = serde_json::from_str::<Pet>(r#"{"owner": "ann"}"#).unwrap_err();
    assert!(missing.to_string().contains("missing field `id`"), "{missing}");
}

#[test]
fn objects_remember_null_optional_and_absent_required_nullable_properties() {
    // `owner` (required, nullable) absent; `name` and `size` (optional) `null`.
    let json = serde_json::json!({"id": 1, "name": null, "size": null});
    let pet: Pet = serde_json::from_value(json.clone()).unwrap();
    assert_eq!((&pet.owner, &pet.name, pet.size), (&None, &None, None));
    assert_eq!(pet.presence.iter().collect::<Vec<_>>(), ["owner", "name", "size"]);
    assert_eq!(serde_json::to_value(&pet).unwrap(), json);
    // Equal to the same data built in code, which encodes the usual way.
    let built = Pet { presence: Presence::default(), ..pet };
    assert_eq!(serde_json::to_value(&built).unwrap(), serde_json::json!({"id": 1, "owner": null}));
    // A value set later wins over what was remembered.
    let mut pet: Pet = serde_json::from_value(json).unwrap();
    pet.owner = Some("ann".to_owned());
    pet.name = Some("rex".to_owned());
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        serde_json::json!({"id": 1, "owner": "ann", "name": "rex", "size": null})
    );
    // Without a `presence` field, `None` is written as its type says.
    let plain: Plain = serde_json::from_str(r#"{"name": null}"#).unwrap();
    assert_eq!(serde_json::to_value(&plain).unwrap(), serde_json::json!({"owner": null}));
}

#[test]
fn spec_defaults_are_given_only_for_absent_properties() {
    use crate::runtime::default_if_absent;
    assert_eq!(default_if_absent(&Nullable::Absent, 3), Some(3));
    assert_eq!(default_if_absent(&Nullable::Null, 3), None);
    assert_eq!(default_if_absent(&Nullable::Value(1), 3), Some(1));
    assert_eq!(default_if_absent(&None, "a".to_owned()), "a");
    assert_eq!(default_if_absent(&Some("b".to_owned()), "a".to_owned()), "b");
}

#[test]
fn string_enums_use_wire_values_and_keep_unknown_ones() {
    let colours: Vec<Colour> = serde_json::from_str(r#"["light-blue", "red", "mauve"]"#).unwrap();
    assert_eq!(colours, [Colour::LightBlue, Colour::Red, Colour::Unknown("mauve".to_owned())]);
    assert_eq!(serde_json::to_string(&colours).unwrap(), r#"["light-blue","red","mauve"]"#);
    assert_eq!(Colour::LightBlue.to_string(), "light-blue");
}

/// A value that cannot be serialized.
#[derive(Debug, PartialEq)]
struct Unwritable;

impl serde::Serialize for Unwritable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("unwritable"))
    }
}

#[derive(Debug, PartialEq)]
struct Broken {
    first: Unwritable,
    second: Option<String>,
}

crate::runtime::object_serde! {
    Broken {
        required { first: "first" }
        optional { second: "second" }
    }
    serialize;
}

#[test]
fn the_first_failed_property_is_the_error() {
    let error = serde_json::to_value(Broken { first: Unwritable, second: Some("x".into()) }).unwrap_err();
    assert_eq!(error.to_string(), "unwritable");
}

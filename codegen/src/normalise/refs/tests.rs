use super::super::{normalise, normalise_traced, relocate};
use serde_json::{json, Value};
use std::collections::HashMap;

fn doc(paths: Value, schemas: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
        "components": {"schemas": schemas}})
}

fn ok(json_body: &str) -> Value {
    json!({"description": "ok", "content": {"application/json": {"schema": serde_json::from_str::<Value>(json_body).unwrap()}}})
}

fn schema_at<'a>(document: &'a Value, name: &str) -> &'a Value {
    &document["components"]["schemas"][name]
}

fn names(document: &Value) -> Vec<String> {
    document["components"]["schemas"].as_object().unwrap().keys().cloned().collect()
}

#[test]
fn a_property_is_hoisted_once_and_shared_with_its_old_place() {
    let mut d = doc(
        json!({}),
        json!({
            "Address": {"type": "object", "properties": {"country": {"type": "object", "properties": {"code": {"type": "string"}}}}},
            "Person": {"type": "object", "properties": {
                "home": {"$ref": "#/components/schemas/Address/properties/country"},
                "work": {"$ref": "#/components/schemas/Address/properties/country"}}}
        }),
    );
    normalise(&mut d).unwrap();
    assert_eq!(names(&d), ["Address", "Person", "AddressCountry"]);
    let reference = json!({"$ref": "#/components/schemas/AddressCountry"});
    assert_eq!(schema_at(&d, "Address")["properties"]["country"], reference);
    assert_eq!(schema_at(&d, "Person")["properties"]["home"], reference);
    assert_eq!(schema_at(&d, "Person")["properties"]["work"], reference);
    assert_eq!(schema_at(&d, "AddressCountry")["properties"]["code"], json!({"type": "string"}));
}

#[test]
fn all_of_members_items_and_percent_encoded_path_responses() {
    let mut d = doc(
        json!({
            "/companies/{companyId}": {"get": {"operationId": "getCompany",
                "responses": {"200": ok(r#"{"type": "object", "properties": {"id": {"type": "string"}}}"#)}}},
            "/copy": {"post": {"responses": {
                "200": ok(r##"{"$ref": "#/paths/~1companies~1%7BcompanyId%7D/get/responses/200/content/application~1json/schema"}"##),
                "201": ok(r##"{"type": "array", "items": {"$ref": "#/components/schemas/Team/items"}}"##)}}}
        }),
        json!({
            "Entity": {"allOf": [{"type": "object"}, {"type": "object"}]},
            "Team": {"type": "array", "items": {"type": "object", "properties": {"login": {"type": "string"}}}},
            "Person": {"allOf": [{"$ref": "#/components/schemas/Entity/allOf/0"}]}
        }),
    );
    normalise(&mut d).unwrap();
    assert_eq!(names(&d), ["Entity", "Team", "Person", "GetCompanyResponse200", "TeamItem", "EntityAllOf0"]);
    let schema = |d: &Value, path: &str, status: &str| {
        d["paths"][path]["post"]["responses"][status]["content"]["application/json"]["schema"].clone()
    };
    assert_eq!(schema(&d, "/copy", "200"), json!({"$ref": "#/components/schemas/GetCompanyResponse200"}));
    assert_eq!(schema(&d, "/copy", "201")["items"], json!({"$ref": "#/components/schemas/TeamItem"}));
    let get = &d["paths"]["/companies/{companyId}"]["get"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(get["schema"], json!({"$ref": "#/components/schemas/GetCompanyResponse200"}));
    assert_eq!(schema_at(&d, "Entity")["allOf"][0], json!({"$ref": "#/components/schemas/EntityAllOf0"}));
    assert_eq!(schema_at(&d, "Team")["items"], json!({"$ref": "#/components/schemas/TeamItem"}));
}

#[test]
fn refs_to_refs_and_through_refs_reach_the_final_target() {
    let mut d = doc(
        json!({}),
        json!({
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"},
                "c": {"$ref": "#/components/schemas/A/properties/d"},
                "d": {"$ref": "#/components/schemas/B/properties/e"}}},
            "B": {"type": "object", "properties": {"e": {"type": "integer"}}},
            "C": {"$ref": "#/components/schemas/A/properties/b/properties/e"},
            "D": {"$ref": "#/components/schemas/A/properties/b"}
        }),
    );
    normalise(&mut d).unwrap();
    let be = json!({"$ref": "#/components/schemas/BE"});
    assert_eq!(schema_at(&d, "A")["properties"]["c"], be);
    assert_eq!(schema_at(&d, "A")["properties"]["d"], be);
    assert_eq!(schema_at(&d, "C"), &be);
    assert_eq!(schema_at(&d, "D"), &json!({"$ref": "#/components/schemas/B"}));
    assert_eq!(names(&d), ["A", "B", "C", "D", "BE"]);
}

#[test]
fn nested_and_self_referencing_targets() {
    let mut d = doc(
        json!({}),
        json!({
            "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {
                "c": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/A/properties/b"}}}}}},
            "X": {"type": "object", "properties": {"c": {"$ref": "#/components/schemas/A/properties/b/properties/c"}}}
        }),
    );
    normalise(&mut d).unwrap();
    assert_eq!(names(&d), ["A", "X", "AB", "ABC"]);
    assert_eq!(schema_at(&d, "A")["properties"]["b"], json!({"$ref": "#/components/schemas/AB"}));
    let ab = schema_at(&d, "AB");
    assert_eq!(ab["properties"]["c"], json!({"$ref": "#/components/schemas/ABC"}));
    assert_eq!(ab["properties"]["children"]["items"], json!({"$ref": "#/components/schemas/AB"}));
    assert_eq!(schema_at(&d, "ABC"), &json!({"type": "string"}));
}

#[test]
fn names_do_not_collide_with_components() {
    let mut d = doc(
        json!({}),
        json!({
            "Foo": {"type": "object", "properties": {"bar": {"type": "string"}}},
            "foo_bar": {"type": "integer"},
            "X": {"type": "object", "properties": {"y": {"$ref": "#/components/schemas/Foo/properties/bar"}}}
        }),
    );
    normalise(&mut d).unwrap();
    assert_eq!(names(&d), ["Foo", "foo_bar", "X", "FooBar2"]);
}

#[test]
fn leftover_definitions_and_their_own_refs_are_hoisted() {
    let mut d =
        doc(json!({"/a": {"get": {"responses": {"200": ok(r##"{"$ref": "#/definitions/Pet"}"##)}}}}), json!({}));
    d["definitions"] = json!({"Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Owner"}}},
        "Owner": {"type": "object"}});
    normalise(&mut d).unwrap();
    assert_eq!(names(&d), ["Pet", "Owner"]);
    assert_eq!(schema_at(&d, "Pet")["properties"]["owner"], json!({"$ref": "#/components/schemas/Owner"}));
}

#[test]
fn parameters_responses_and_path_items_into_paths() {
    let mut d = doc(
        json!({
            "/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"operationId": "getA", "responses": {"404": {"description": "gone"}}}},
            "/b/{id}": {"parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/parameters/0"}],
                "get": {"responses": {"404": {"$ref": "#/paths/~1a~1{id}/get/responses/404"}}}},
            "/c/{id}": {"$ref": "#/paths/~1b~1%7Bid%7D"}
        }),
        json!({}),
    );
    normalise(&mut d).unwrap();
    let parameter = json!({"$ref": "#/components/parameters/AIdId"});
    let response = json!({"$ref": "#/components/responses/GetAResponse404"});
    assert_eq!(d["paths"]["/a/{id}"]["parameters"][0], parameter);
    assert_eq!(d["paths"]["/b/{id}"]["parameters"][0], parameter);
    assert_eq!(d["paths"]["/b/{id}"]["get"]["responses"]["404"], response);
    assert_eq!(d["paths"]["/c/{id}"], d["paths"]["/b/{id}"]);
    assert_eq!(d["components"]["parameters"]["AIdId"]["name"], "id");
    assert_eq!(d["components"]["responses"]["GetAResponse404"], json!({"description": "gone"}));
}

#[test]
fn swagger2_refs_into_definitions_are_hoisted_before_conversion() {
    let mut d = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
            "schema": {"$ref": "#/definitions/A/properties/b"}}}}}},
        "definitions": {"A": {"type": "object", "properties": {"b": {"type": "object"}}}}});
    normalise(&mut d).unwrap();
    assert_eq!(names(&d), ["A", "AB"]);
    assert_eq!(schema_at(&d, "A")["properties"]["b"], json!({"$ref": "#/components/schemas/AB"}));
}

#[test]
fn a_pointer_to_nothing_or_to_the_wrong_kind_is_e0030_at_the_ref() {
    let cases = [
        (
            "#/components/schemas/A/properties/nope",
            "does not resolve: nothing at `#/components/schemas/A/properties/nope`",
        ),
        ("#/components/schemas/A/required", "points to an array, not an object"),
        ("#/paths/~1a/get", "points to an operation (at #/paths/~1a/get), not a schema"),
        ("#/components/schemas/A/properties/loop", "is part of a cycle of references"),
        ("#/components/schemas/A/definitions/map", "points to an object that is not a schema"),
        ("#nope", "is not a JSON pointer"),
    ];
    for (reference, message) in cases {
        let mut d = doc(
            json!({"/a": {"get": {"responses": {"200": ok(&format!(r#"{{"$ref": "{reference}"}}"#))}}}}),
            json!({"A": {"type": "object", "required": ["x"],
                "properties": {"loop": {"$ref": "#/components/schemas/A/properties/loop"}},
                "definitions": {"map": {"type": {"type": "string"}}}}}),
        );
        let e = normalise(&mut d).unwrap_err();
        assert_eq!(e.code, "E0030");
        assert_eq!(e.pointer, "#/paths/~1a/get/responses/200/content/application~1json/schema", "{reference}");
        assert!(e.message.contains(reference), "{}", e.message);
        assert!(e.message.contains(message), "{reference}: {}", e.message);
    }
}

#[test]
fn missing_components_are_left_to_the_lowering_and_extensions_alone() {
    let mut d = doc(
        json!({"/a": {"get": {"responses": {"200": ok(r##"{"$ref": "#/components/schemas/Missing"}"##)}},
            "x-doc": {"$ref": "#/nowhere"}}}),
        json!({"A": {"type": "object", "example": {"$ref": "#/nowhere"}}}),
    );
    let before = d.clone();
    normalise(&mut d).unwrap();
    assert_eq!(d, before);
}

#[test]
fn diagnostics_in_hoisted_components_name_the_original_place() {
    let mut d = doc(
        json!({}),
        json!({"Foo": {"type": "object", "properties": {"bar": {"type": "object"}}},
            "X": {"$ref": "#/components/schemas/Foo/properties/bar"}}),
    );
    let mut origins = HashMap::new();
    normalise_traced(&mut d, &mut origins).unwrap();
    let at = |pointer: &str| relocate(crate::Diagnostic::warning("W0031", pointer, "m"), &origins).pointer;
    assert_eq!(at("#/components/schemas/FooBar/properties/x"), "#/components/schemas/Foo/properties/bar/properties/x");
    assert_eq!(at("#/components/schemas/FooBar"), "#/components/schemas/Foo/properties/bar");
    assert_eq!(at("#/components/schemas/FooBarBaz"), "#/components/schemas/FooBarBaz");
}

use super::*;

fn swagger(extra: Value) -> Value {
    let mut doc = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
    if let (Some(doc), Value::Object(extra)) = (doc.as_object_mut(), extra) {
        doc.extend(extra);
    }
    doc
}

fn converted(extra: Value) -> (Value, Vec<Diagnostic>) {
    let mut doc = swagger(extra);
    let warnings = convert(&mut doc).unwrap();
    (doc, warnings)
}

fn codes(warnings: &[Diagnostic]) -> Vec<(&str, &str)> {
    warnings.iter().map(|w| (w.code, w.pointer.as_str())).collect()
}

#[test]
fn version_and_servers() {
    let (doc, warnings) =
        converted(json!({"host": "api.example.com", "basePath": "/v1", "schemes": ["http", "https"]}));
    assert!(warnings.is_empty());
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc.get("swagger").is_none() && doc.get("host").is_none() && doc.get("basePath").is_none());
    assert_eq!(doc["servers"], json!([{"url": "http://api.example.com/v1"}]));
    assert_eq!(doc.as_object().unwrap().keys().next().unwrap(), "openapi");

    let (doc, _) = converted(json!({"host": "api.example.com"}));
    assert_eq!(doc["servers"], json!([{"url": "https://api.example.com/"}]));
    let (doc, _) = converted(json!({"basePath": "/api"}));
    assert_eq!(doc["servers"], json!([{"url": "/api"}]));
    let (doc, _) = converted(json!({}));
    assert_eq!(doc["servers"], json!([{"url": "/"}]));
}

#[test]
fn definitions_become_component_schemas_and_refs_follow() {
    let (doc, _) = converted(json!({"definitions": {
        "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/definitions/Person"}}},
        "Person": {"type": "object"},
        "Pets": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}}));
    assert!(doc.get("definitions").is_none());
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Pet"]["properties"]["owner"], json!({"$ref": "#/components/schemas/Person"}));
    assert_eq!(schemas["Pets"]["items"], json!({"$ref": "#/components/schemas/Pet"}));
}

#[test]
fn refs_are_rewritten_everywhere_including_external_fragments() {
    let bodies: HashSet<String> = ["Body".to_owned()].into();
    let cases = [
        ("#/definitions/A", Some("#/components/schemas/A")),
        ("#/definitions/A/properties/b", Some("#/components/schemas/A/properties/b")),
        ("#/parameters/P", Some("#/components/parameters/P")),
        ("#/parameters/Body", Some("#/components/requestBodies/Body")),
        ("#/responses/R", Some("#/components/responses/R")),
        ("other.yaml#/definitions/X", Some("other.yaml#/components/schemas/X")),
        ("other.yaml#/parameters/Body", Some("other.yaml#/components/parameters/Body")),
        ("other.yaml", None),
        ("#/components/schemas/A", None),
    ];
    for (reference, expected) in cases {
        assert_eq!(rewrite_ref(reference, &bodies).as_deref(), expected, "{reference}");
    }
    // A `$ref` in example data is data; a property named `example` is a schema.
    let (doc, _) = converted(json!({"definitions": {"A": {"type": "object",
        "example": {"$ref": "#/definitions/A"},
        "properties": {"example": {"$ref": "#/definitions/B"}},
        "x-vendor": {"$ref": "#/definitions/C"}}}}));
    let a = &doc["components"]["schemas"]["A"];
    assert_eq!(a["example"]["$ref"], "#/definitions/A");
    assert_eq!(a["properties"]["example"]["$ref"], "#/components/schemas/B");
    assert_eq!(a["x-vendor"]["$ref"], "#/components/schemas/C");
}

#[test]
fn top_level_parameters_split_into_parameters_and_request_bodies() {
    let (doc, warnings) = converted(json!({"consumes": ["application/xml"], "parameters": {
        "limit": {"name": "limit", "in": "query", "type": "integer", "format": "int32"},
        "pet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
        "file": {"name": "file", "in": "formData", "type": "file"},
        "odd": {"name": "odd", "in": "cookie", "type": "string"}}}));
    let components = &doc["components"];
    assert_eq!(
        components["parameters"]["limit"],
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}})
    );
    assert_eq!(
        components["requestBodies"]["pet"],
        json!({"content": {"application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true})
    );
    assert_eq!(
        components["requestBodies"]["file"]["content"]["multipart/form-data"]["schema"]["properties"]["file"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(codes(&warnings), [("W0014", "#/parameters/odd")]);
}

#[test]
fn top_level_responses_and_security_definitions_become_components() {
    let (doc, warnings) = converted(json!({
        "responses": {"NotFound": {"description": "gone", "schema": {"$ref": "#/definitions/Error"}}},
        "securityDefinitions": {
            "basic": {"type": "basic", "description": "d"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {"r": "read"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t"},
            "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t"},
            "broken": {"type": "oauth2", "flow": "accessCode", "tokenUrl": "https://t"},
            "weird": {"type": "mutualTLS"}}}));
    assert_eq!(
        doc["components"]["responses"]["NotFound"],
        json!({"description": "gone", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    );
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic", "description": "d"}));
    assert_eq!(schemes["key"], json!({"type": "apiKey", "name": "X-Key", "in": "header"}));
    assert_eq!(
        schemes["implicit"],
        json!({"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {"r": "read"}}}})
    );
    assert_eq!(schemes["password"]["flows"], json!({"password": {"tokenUrl": "https://t", "scopes": {}}}));
    assert_eq!(schemes["app"]["flows"], json!({"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}));
    assert_eq!(
        schemes["code"]["flows"],
        json!({"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}})
    );
    assert!(schemes.get("broken").is_none() && schemes.get("weird").is_none());
    assert_eq!(codes(&warnings), [("W0016", "#/securityDefinitions/broken"), ("W0016", "#/securityDefinitions/weird")]);
}

#[test]
fn body_parameters_become_request_bodies_for_each_consumed_type() {
    let (doc, _) = converted(json!({"paths": {"/pets": {"post": {
        "consumes": ["application/json", "application/xml"],
        "parameters": [{"name": "pet", "in": "body", "description": "the pet", "required": true,
            "schema": {"$ref": "#/definitions/Pet"}}],
        "responses": {"204": {"description": "ok"}}}}}}));
    let operation = &doc["paths"]["/pets"]["post"];
    let schema = json!({"schema": {"$ref": "#/components/schemas/Pet"}});
    assert_eq!(
        operation["requestBody"],
        json!({"description": "the pet", "content": {"application/json": schema, "application/xml": schema},
            "required": true})
    );
    assert!(operation.get("parameters").is_none() && operation.get("consumes").is_none());
}

#[test]
fn body_parameter_refs_become_request_body_refs_unless_consumes_differ() {
    let (doc, _) = converted(json!({
        "parameters": {"pet": {"name": "pet", "in": "body", "schema": {"type": "string"}},
            "limit": {"name": "limit", "in": "query", "type": "integer"}},
        "paths": {"/pets": {
            "post": {"parameters": [{"$ref": "#/parameters/pet"}, {"$ref": "#/parameters/limit"}],
                "responses": {}},
            "put": {"consumes": ["text/plain"], "parameters": [{"$ref": "#/parameters/pet"}], "responses": {}}}}}));
    let item = &doc["paths"]["/pets"];
    assert_eq!(item["post"]["requestBody"], json!({"$ref": "#/components/requestBodies/pet"}));
    assert_eq!(item["post"]["parameters"], json!([{"$ref": "#/components/parameters/limit"}]));
    assert_eq!(item["put"]["requestBody"], json!({"content": {"text/plain": {"schema": {"type": "string"}}}}));
}

#[test]
fn form_data_parameters_become_one_form_body() {
    let (doc, _) = converted(json!({"paths": {"/pets": {"post": {"parameters": [
        {"name": "name", "in": "formData", "type": "string", "required": true, "description": "n"},
        {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"}],
        "responses": {}}}}}));
    assert_eq!(
        doc["paths"]["/pets"]["post"]["requestBody"],
        json!({"content": {"application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {
                "name": {"type": "string", "description": "n"},
                "tags": {"type": "array", "items": {"type": "string"}}},
                "required": ["name"]},
            "encoding": {"tags": {"style": "form", "explode": true}}}},
            "required": true})
    );
}

#[test]
fn form_data_with_a_file_or_multipart_consumes_is_multipart() {
    let (doc, _) = converted(json!({"paths": {"/upload": {
        "post": {"parameters": [{"name": "f", "in": "formData", "type": "file"}], "responses": {}},
        "put": {"consumes": ["multipart/form-data"],
            "parameters": [{"name": "s", "in": "formData", "type": "string"}], "responses": {}}}}}));
    let item = &doc["paths"]["/upload"];
    assert_eq!(
        item["post"]["requestBody"]["content"]["multipart/form-data"]["schema"],
        json!({"type": "object", "properties": {"f": {"type": "string", "format": "binary"}}})
    );
    assert!(item["put"]["requestBody"]["content"]["multipart/form-data"].is_object());
}

#[test]
fn path_level_parameters_stay_and_bodies_move_into_operations() {
    let (doc, _) = converted(json!({"paths": {"/pets/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": true, "type": "integer"},
            {"name": "note", "in": "formData", "type": "string"}],
        "post": {"responses": {}},
        "put": {"parameters": [{"name": "note", "in": "formData", "type": "integer"}], "responses": {}}}}}));
    let item = &doc["paths"]["/pets/{id}"];
    assert_eq!(
        item["parameters"],
        json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}])
    );
    let note = |method: &str| {
        item[method]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]["note"]
            .clone()
    };
    assert_eq!(note("post"), json!({"type": "string"}));
    assert_eq!(note("put"), json!({"type": "integer"}));
}

#[test]
fn invalid_parameter_combinations_warn() {
    let (doc, warnings) = converted(json!({"paths": {"/a": {"post": {"parameters": [
        {"name": "a", "in": "body", "schema": {}},
        {"name": "b", "in": "body", "schema": {}},
        {"name": "c", "in": "formData", "type": "string"},
        {"name": "d", "in": "nowhere"},
        "not an object"],
        "responses": {}}}}}));
    assert_eq!(doc["paths"]["/a"]["post"]["requestBody"], json!({"content": {"application/json": {"schema": {}}}}));
    assert_eq!(
        codes(&warnings),
        [
            ("W0014", "#/paths/~1a/post/parameters/3"),
            ("W0014", "#/paths/~1a/post/parameters/4"),
            ("W0014", "#/paths/~1a/post/parameters/2"),
            ("W0014", "#/paths/~1a/post/parameters/1"),
        ]
    );
}

#[test]
fn non_body_parameters_move_type_keys_into_schema() {
    let (doc, _) = converted(json!({"paths": {"/a/{id}": {"get": {"parameters": [
        {"name": "id", "in": "path", "type": "string", "format": "uuid", "x-example": "e"},
        {"name": "n", "in": "query", "type": "integer", "minimum": 1, "maximum": 9, "default": 3,
            "enum": [1, 3, 9], "allowEmptyValue": true, "x-nullable": true},
        {"name": "h", "in": "header", "type": "string", "pattern": "^a", "allowEmptyValue": true}],
        "responses": {}}}}}));
    assert_eq!(
        doc["paths"]["/a/{id}"]["get"]["parameters"],
        json!([
            {"name": "id", "in": "path", "x-example": "e", "schema": {"type": "string", "format": "uuid"},
                "required": true},
            {"name": "n", "in": "query", "allowEmptyValue": true, "schema": {"type": "integer", "minimum": 1,
                "maximum": 9, "default": 3, "enum": [1, 3, 9], "nullable": true}},
            {"name": "h", "in": "header", "schema": {"type": "string", "pattern": "^a"}}
        ])
    );
}

#[test]
fn collection_formats_become_style_and_explode() {
    let param = |format: Option<&str>, location: &str| {
        let mut p = json!({"name": "p", "in": location, "type": "array", "items": {"type": "string"}});
        if let Some(format) = format {
            p["collectionFormat"] = json!(format);
        }
        let (doc, warnings) = converted(json!({"paths": {"/{p}": {"get": {"parameters": [p], "responses": {}}}}}));
        let p = &doc["paths"]["/{p}"]["get"]["parameters"][0];
        (p.get("style").cloned(), p.get("explode").cloned(), codes(&warnings).len())
    };
    let some = |style: &str, explode: bool| (Some(json!(style)), Some(json!(explode)), 0);
    assert_eq!(param(None, "query"), some("form", false));
    assert_eq!(param(Some("csv"), "query"), some("form", false));
    assert_eq!(param(Some("multi"), "query"), some("form", true));
    assert_eq!(param(Some("ssv"), "query"), some("spaceDelimited", false));
    assert_eq!(param(Some("pipes"), "query"), some("pipeDelimited", false));
    assert_eq!(param(Some("tsv"), "query"), (None, None, 1));
    assert_eq!(param(Some("csv"), "path"), (None, None, 0));
    assert_eq!(param(Some("pipes"), "header"), (None, None, 1));

    let (_, warnings) = converted(json!({"paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query",
        "type": "array", "items": {"type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"}}],
        "responses": {}}}}}));
    assert_eq!(codes(&warnings), [("W0015", "#/paths/~1a/get/parameters/0/items/collectionFormat")]);
}

#[test]
fn responses_get_content_per_produced_type_and_header_schemas() {
    let (doc, _) = converted(json!({"produces": ["application/json", "application/xml"],
        "paths": {"/a": {
            "get": {"responses": {
                "200": {"description": "ok", "schema": {"type": "string"}, "examples": {"application/json": "x"},
                    "headers": {"X-Rate": {"type": "integer", "format": "int32", "description": "r"}}},
                "204": {"description": "none"}}},
            "put": {"produces": ["text/plain"], "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}}}}}));
    let item = &doc["paths"]["/a"];
    let string = json!({"schema": {"type": "string"}});
    assert_eq!(
        item["get"]["responses"]["200"],
        json!({"description": "ok", "headers": {"X-Rate": {"description": "r",
            "schema": {"type": "integer", "format": "int32"}}},
            "content": {"application/json": string, "application/xml": string}})
    );
    assert_eq!(item["get"]["responses"]["204"], json!({"description": "none"}));
    assert_eq!(item["put"]["responses"]["200"]["content"], json!({"text/plain": string}));
    assert!(item["put"].get("produces").is_none());
}

#[test]
fn response_refs_are_inlined_only_where_produces_differ() {
    let (doc, warnings) = converted(json!({
        "responses": {"Err": {"description": "e", "schema": {"type": "file"}}},
        "paths": {"/a": {
            "get": {"responses": {"default": {"$ref": "#/responses/Err"}}},
            "put": {"produces": ["text/plain"], "responses": {"default": {"$ref": "#/responses/Err"}}}}}}));
    let item = &doc["paths"]["/a"];
    assert_eq!(item["get"]["responses"]["default"], json!({"$ref": "#/components/responses/Err"}));
    assert_eq!(
        item["put"]["responses"]["default"],
        json!({"description": "e", "content": {"text/plain": {"schema": {"type": "string", "format": "binary"}}}})
    );
    assert!(warnings.is_empty());
}

#[test]
fn schema_rewrites_file_nullable_and_discriminator() {
    let (doc, _) = converted(json!({"definitions": {
        "Upload": {"type": "file"},
        "Pet": {"type": "object", "discriminator": "kind", "properties": {
            "kind": {"type": "string"},
            "name": {"type": "string", "x-nullable": true},
            "owner": {"$ref": "#/definitions/Person", "x-nullable": true},
            "age": {"type": "integer", "x-nullable": false}}}}}));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Upload"], json!({"type": "string", "format": "binary"}));
    let pet = &schemas["Pet"];
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(pet["properties"]["name"], json!({"type": "string", "nullable": true}));
    assert_eq!(
        pet["properties"]["owner"],
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Person"}]})
    );
    assert_eq!(pet["properties"]["age"], json!({"type": "integer"}));
}

#[test]
fn malformed_schema_keywords_warn() {
    let (doc, warnings) = converted(json!({"definitions": {"A": {"type": "object",
        "properties": {"x": {"type": "string", "required": true}, "t": {"type": "array", "items": [{}, {}]}}}}}));
    let a = &doc["components"]["schemas"]["A"];
    assert_eq!(a["required"], json!(["x"]));
    assert_eq!(a["properties"]["t"]["items"], json!({}));
    assert_eq!(
        codes(&warnings),
        [("W0018", "#/definitions/A/properties/x/required"), ("W0018", "#/definitions/A/properties/t/items")]
    );
}

#[test]
fn operation_schemes_that_differ_warn() {
    let (doc, warnings) = converted(json!({"host": "h", "schemes": ["https"], "paths": {"/a": {
        "get": {"schemes": ["http"], "responses": {}},
        "put": {"schemes": ["http", "https"]}}}}));
    assert_eq!(codes(&warnings), [("W0017", "#/paths/~1a/get/schemes")]);
    assert!(doc["paths"]["/a"]["get"].get("schemes").is_none());
    assert_eq!(doc["paths"]["/a"]["put"]["responses"], json!({}));
}

#[test]
fn sections_of_the_wrong_shape_are_errors() {
    let mut doc = swagger(json!({"definitions": []}));
    let error = convert(&mut doc).unwrap_err();
    assert_eq!((error.code, error.pointer.as_str()), ("E0013", "#/definitions"));
    assert_eq!(convert(&mut json!([])).unwrap_err().code, "E0010");
}

#[test]
fn corpus_swagger_specs_convert_parse_and_lower() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/swagger2");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    for file in ["petstore.json", "uber.yaml"] {
        let loaded = crate::load::load(&dir.join(file)).unwrap();
        let mut document = loaded.document;
        let warnings = crate::normalise::normalise(&mut document).unwrap();
        assert!(warnings.is_empty(), "{file}: {warnings:?}");
        let spec = crate::parse::parse(&document).unwrap_or_else(|e| panic!("{file}: {e}"));
        let lowered = crate::lower::lower(&spec, &Default::default());
        assert!(!lowered.api.operations.is_empty(), "{file}");
        assert!(!lowered.diagnostics.iter().any(Diagnostic::is_error), "{file}: {:?}", lowered.diagnostics);
        assert!(lowered.api.servers[0].url.starts_with("http"), "{file}");
    }
}

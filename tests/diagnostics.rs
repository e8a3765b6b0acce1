//! Every diagnostic a person may meet names the code, the JSON pointer (and, for YAML, the line),
//! and says what is wrong; vendor mistakes get a warning and a deterministic fix, or an error
//! under `--strict`.

use codegen::pipeline::{self, GeneratedCrate, Options};
use codegen::{Diagnostic, Severity};

const FILE: &str = "spec.yaml";

fn generate(text: &str, strict: bool) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    let document = codegen::load::parse_text(text).map_err(|d| vec![d])?;
    let (spec, mut source) = pipeline::standalone(FILE, document, None, Default::default());
    source.text = Some(text.to_owned());
    codegen::generate_crate(&spec, vec![source], &Options { strict })
}

fn errors(text: &str) -> Vec<Diagnostic> {
    generate(text, false).expect_err("expected errors")
}

fn warnings(text: &str) -> (Vec<Diagnostic>, GeneratedCrate) {
    let generated = generate(text, false).unwrap_or_else(|e| panic!("expected success: {e:#?}"));
    (generated.reports[0].warnings.clone(), generated)
}

fn client_source(generated: &GeneratedCrate) -> &str {
    &generated.files.iter().find(|f| f.path == "src/client.rs").expect("client.rs").contents
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

#[test]
fn text_that_is_not_yaml_names_the_line() {
    let e = codegen::load::parse_text("openapi: 3.0.3\ninfo: [1,\npaths: }\n").unwrap_err();
    assert_eq!(e.code, "E0002");
    assert!(e.message.starts_with("not valid YAML or JSON"), "{}", e.message);
    assert!(e.line.is_some());
}

#[test]
fn a_document_that_is_not_openapi_names_the_part() {
    let e = &errors("openapi: 3.0.3\ninfo:\n  title: 5\n  version: [1]\npaths: {}\n")[0];
    assert_eq!(e.code, "E0020");
    assert!(e.message.starts_with("not a valid OpenAPI 3.0 document"), "{}", e.message);
    assert_eq!(e.file, FILE);
}

#[test]
fn an_unknown_version_is_refused() {
    let e = &errors("openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n")[0];
    assert_eq!((e.code, e.pointer.as_str()), ("E0012", "#/openapi"));
    assert!(e.message.contains("\"4.0.0\""), "{}", e.message);
}

#[test]
fn a_dangling_ref_names_where_it_is_used() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n"
    );
    let e = &errors(&spec)[0];
    assert_eq!(e.code, "E0030");
    assert_eq!(e.pointer, "#/paths/~1a/get/responses/200/content/application~1json/schema");
    assert!(e.message.contains("#/components/schemas/Missing"), "{}", e.message);
    assert_eq!(e.line, Some(14));
}

#[test]
fn a_path_parameter_missing_from_the_template_is_an_error() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {{type: string}}\n      responses: {{}}\n"
    );
    let e = &errors(&spec)[0];
    assert_eq!((e.code, e.pointer.as_str()), ("E0050", "#/paths/~1a/get/parameters/0"));
    assert!(e.message.contains("`id` does not appear in the path template `/a`"), "{}", e.message);
    assert_eq!(e.line, Some(10));
}

const DUPLICATE_IDS: &str = "paths:\n  /a:\n    get:\n      operationId: list\n      responses: {}\n  /b:\n    get:\n      operationId: list\n      responses: {}\n";

#[test]
fn a_duplicate_operation_id_warns_and_gets_a_suffix() {
    let (warnings, generated) = warnings(&format!("{HEAD}{DUPLICATE_IDS}"));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let w = &warnings[0];
    assert_eq!((w.code, w.pointer.as_str()), ("W0052", "#/paths/~1b/get"));
    assert_eq!(w.message, "operationId `list` is also used at #/paths/~1a/get: this one is named `list_2`");
    assert_eq!(w.line, Some(11));
    assert!(client_source(&generated).contains("pub fn list_2<'a>(\n        &'a self,\n    ) -> impl"));
}

#[test]
fn strict_turns_vendor_mistakes_into_errors() {
    let errors = generate(&format!("{HEAD}{DUPLICATE_IDS}"), true).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].code, errors[0].severity), ("W0052", Severity::Error));
}

#[test]
fn a_missing_operation_id_is_named_from_method_and_path() {
    let (warnings, generated) = warnings(&format!("{HEAD}paths:\n  /things/{{id}}:\n    delete:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses: {{}}\n"));
    let w = &warnings[0];
    assert_eq!((w.code, w.pointer.as_str()), ("W0051", "#/paths/~1things~1{id}/delete"));
    assert_eq!(w.message, "no operationId: named `delete_things_by_id` from method and path");
    assert!(
        client_source(&generated).contains("pub fn delete_things_by_id<'a>(\n        &'a self,\n        id: &str,\n")
    );
}

#[test]
fn an_undeclared_path_parameter_becomes_a_string_argument() {
    let (warnings, generated) = warnings(&format!(
        "{HEAD}paths:\n  /things/{{thing}}:\n    get:\n      operationId: getThing\n      responses: {{}}\n"
    ));
    let w = &warnings[0];
    assert_eq!((w.code, w.pointer.as_str()), ("W0053", "#/paths/~1things~1{thing}/get"));
    assert_eq!(w.message, "path parameter `thing` is not declared: taken as a required string");
    assert!(client_source(&generated).contains("pub fn get_thing<'a>(\n        &'a self,\n        thing: &str,\n"));
}

#[test]
fn an_unsupported_construct_warns_with_its_pointer_and_falls_back() {
    let (warnings, generated) = warnings(&format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    NotAString:\n      not: {{type: string}}\n"
    ));
    let w = &warnings[0];
    assert_eq!((w.code, w.pointer.as_str()), ("W0030", "#/components/schemas/NotAString"));
    let types = &generated.files.iter().find(|f| f.path == "src/types.rs").unwrap().contents;
    assert!(types.contains("pub type NotAString = serde_json::Value;"), "{types}");
}

#[test]
fn scalars_where_the_model_wants_strings_are_read_as_text_with_their_line() {
    let (warnings, generated) = warnings(
        "openapi: 3.0\ninfo:\n  title: t\n  version: 1\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
         responses:\n        '200':\n          description: 200\n",
    );
    let found: Vec<(&str, &str, Option<usize>)> =
        warnings.iter().map(|w| (w.code, w.pointer.as_str(), w.line)).collect();
    assert_eq!(
        found,
        [
            ("W0019", "#/openapi", Some(1)),
            ("W0019", "#/info/version", Some(4)),
            ("W0019", "#/paths/~1a/get/responses/200/description", Some(11)),
        ]
    );
    assert_eq!(warnings[1].message, "`version` is a number where a string is expected: read as the string \"1\"");
    assert!(client_source(&generated).contains("pub fn get_a<'a>("));
    // --strict: each is an error.
    let strict = generate("openapi: 3.0\ninfo: {title: t, version: '1'}\npaths: {}\n", true).unwrap_err();
    assert_eq!(strict[0].code, "W0019");
}

#[test]
fn a_type_list_in_a_30_document_and_a_callback_ref_are_warnings() {
    // A `$ref` to a component callback is copied; one to nothing is skipped (W0055).
    let (warnings, generated) = warnings(&format!(
        "{HEAD}paths:\n  /a:\n    post:\n      operationId: postA\n      callbacks:\n        done: {{$ref: '#/components/callbacks/Gone'}}\n      \
         responses: {{}}\ncomponents:\n  callbacks:\n    Done: {{}}\n  schemas:\n    S:\n      type: object\n      properties:\n        \
         x: {{type: [string, 'null']}}\n"
    ));
    let found: Vec<(&str, &str)> = warnings.iter().map(|w| (w.code, w.pointer.as_str())).collect();
    assert_eq!(
        found,
        [("W0055", "#/paths/~1a/post/callbacks/done"), ("W0013", "#/components/schemas/S/properties/x/type")]
    );
    let types = &generated.files.iter().find(|f| f.path == "src/types.rs").unwrap().contents;
    assert!(types.contains("pub x: crate::runtime::Nullable<String>,"), "{types}");
}

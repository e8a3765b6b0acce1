use super::*;
use crate::load::load;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A directory of spec files under the system temp dir, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(files: &[(&str, &str)]) -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("codegen-bundle-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Self(dir)
    }

    fn load(&self, root: &str) -> Result<(Value, Vec<Diagnostic>), Diagnostic> {
        load(&self.0.join(root)).map(|l| (l.document, l.warnings))
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every `$ref` in `value` that does not start with `#`.
fn external_refs(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    if !r.starts_with('#') {
                        out.push(r.to_owned());
                    }
                }
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    out
}

#[test]
fn path_item_from_another_file_is_inlined() {
    let dir = Dir::new(&[
        ("root.yaml", "openapi: 3.0.3\npaths:\n  /pets:\n    $ref: paths/pets.yaml\n"),
        ("paths/pets.yaml", "get:\n  responses:\n    '200':\n      description: ok\n"),
    ]);
    let (doc, warnings) = dir.load("root.yaml").unwrap();
    assert_eq!(doc["paths"]["/pets"], json!({"get": {"responses": {"200": {"description": "ok"}}}}));
    assert!(warnings.is_empty());
}

#[test]
fn schema_is_hoisted_with_nested_refs_relative_to_its_file() {
    let dir = Dir::new(&[
        (
            "root.yaml",
            "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: models/pet.yaml\n",
        ),
        ("models/pet.yaml", "type: object\nproperties:\n  owner:\n    $ref: 'people/owner.yaml#/Owner'\n"),
        ("models/people/owner.yaml", "Owner:\n  type: object\n  properties:\n    name: {type: string}\n"),
    ]);
    let (doc, _) = dir.load("root.yaml").unwrap();
    let schema = &doc["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(schema, &json!({"$ref": "#/components/schemas/pet"}));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["pet"]["properties"]["owner"], json!({"$ref": "#/components/schemas/Owner"}));
    assert_eq!(schemas["Owner"]["properties"]["name"], json!({"type": "string"}));
    assert!(external_refs(&doc).is_empty());
}

#[test]
fn local_ref_in_another_file_means_that_file() {
    let dir = Dir::new(&[
        (
            "root.yaml",
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'params.yaml#/limit'\n      responses: {}\ncomponents:\n  schemas:\n    Limit: {type: string}\n",
        ),
        (
            "params.yaml",
            "limit:\n  name: limit\n  in: query\n  schema:\n    $ref: '#/Limit'\n  description:\n    $ref: '#/text'\nLimit:\n  type: integer\ntext: How many.\n",
        ),
    ]);
    let (doc, _) = dir.load("root.yaml").unwrap();
    let param = &doc["paths"]["/a"]["get"]["parameters"][0];
    assert_eq!(param["description"], json!("How many."));
    // The root's own `Limit` is left alone; the file's `Limit` gets the next free name.
    assert_eq!(param["schema"], json!({"$ref": "#/components/schemas/Limit2"}));
    assert_eq!(doc["components"]["schemas"]["Limit"], json!({"type": "string"}));
    assert_eq!(doc["components"]["schemas"]["Limit2"], json!({"type": "integer"}));
}

#[test]
fn refs_to_refs_are_followed() {
    let dir = Dir::new(&[
        (
            "root.yaml",
            "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'a.yaml#/p'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: 'a.yaml#/S'\n",
        ),
        ("a.yaml", "p:\n  $ref: 'sub/b.yaml#/q'\nS:\n  $ref: 'sub/b.yaml#/T'\n"),
        ("sub/b.yaml", "q:\n  $ref: '#/r'\nr:\n  name: id\n  in: query\nT:\n  type: string\n"),
    ]);
    let (doc, _) = dir.load("root.yaml").unwrap();
    assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0], json!({"name": "id", "in": "query"}));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["S"], json!({"$ref": "#/components/schemas/T"}));
    assert_eq!(schemas["T"], json!({"type": "string"}));
}

#[test]
fn recursive_schema_across_two_files() {
    let dir = Dir::new(&[
        ("root.yaml", "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    Tree:\n      $ref: 'node.yaml#/Node'\n"),
        ("node.yaml", "Node:\n  type: object\n  properties:\n    children:\n      $ref: 'list.yaml'\n"),
        ("list.yaml", "type: array\nitems:\n  $ref: 'node.yaml#/Node'\n"),
    ]);
    let (doc, _) = dir.load("root.yaml").unwrap();
    let schemas = &doc["components"]["schemas"];
    // The root entry that only pointed at another file takes the target under its own name.
    assert_eq!(schemas["Tree"]["properties"]["children"], json!({"$ref": "#/components/schemas/list"}));
    assert_eq!(schemas["list"]["items"], json!({"$ref": "#/components/schemas/Tree"}));
    assert_eq!(schemas.as_object().unwrap().len(), 2);
}

#[test]
fn cycle_of_inlined_refs_is_an_error() {
    let dir = Dir::new(&[
        ("root.yaml", "openapi: 3.0.3\npaths:\n  /a:\n    $ref: a.yaml\n"),
        ("a.yaml", "$ref: b.yaml\n"),
        ("b.yaml", "$ref: a.yaml\n"),
    ]);
    let err = dir.load("root.yaml").unwrap_err();
    let (a, b) = (dir.0.join("a.yaml").display().to_string(), dir.0.join("b.yaml").display().to_string());
    assert_eq!(err.code, "E0007");
    assert_eq!(err.message, format!("cyclic $ref through files: {a} -> {b} -> {a}"));
    assert_eq!((err.file.as_str(), err.pointer.as_str()), (b.as_str(), "#"));
}

#[test]
fn missing_file_names_the_referring_file_and_pointer() {
    let dir = Dir::new(&[
        ("root.yaml", "openapi: 3.0.3\npaths:\n  /a:\n    $ref: paths/a.yaml\n"),
        ("paths/a.yaml", "get:\n  parameters:\n    - $ref: '../missing.yaml#/x'\n"),
    ]);
    let err = dir.load("root.yaml").unwrap_err();
    assert_eq!(err.code, "E0008");
    assert!(err.file.ends_with("paths/a.yaml"), "{err}");
    assert_eq!(err.pointer, "#/get/parameters/0");
    assert!(err.message.contains("missing.yaml"), "{err}");
}

#[test]
fn pointer_that_does_not_resolve_is_an_error() {
    let dir = Dir::new(&[
        ("root.yaml", "openapi: 3.0.3\npaths:\n  /a:\n    $ref: 'a.yaml#/nope'\n"),
        ("a.yaml", "get: {}\n"),
    ]);
    let err = dir.load("root.yaml").unwrap_err();
    assert_eq!(err.code, "E0008");
    assert!(err.file.ends_with("root.yaml"), "{err}");
    assert_eq!(err.pointer, "#/paths/~1a");
    assert!(err.message.contains("#/nope"), "{err}");
}

#[test]
fn swagger2_hoists_into_definitions() {
    let dir = Dir::new(&[
        (
            "root.yaml",
            "swagger: '2.0'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          schema:\n            $ref: 'Pet.yaml'\ndefinitions:\n  Pet: {type: string}\n",
        ),
        ("Pet.yaml", "type: object\n"),
    ]);
    let (doc, _) = dir.load("root.yaml").unwrap();
    assert_eq!(doc["paths"]["/a"]["get"]["responses"]["200"]["schema"], json!({"$ref": "#/definitions/Pet2"}));
    assert_eq!(doc["definitions"]["Pet2"], json!({"type": "object"}));
    assert!(doc.get("components").is_none());
}

#[test]
fn siblings_override_and_remote_refs_warn() {
    let dir = Dir::new(&[
        (
            "root.yaml",
            "openapi: 3.0.3\npaths:\n  /a:\n    $ref: a.yaml\n    summary: mine\n  /b:\n    $ref: 'https://example.com/b.yaml'\n",
        ),
        ("a.yaml", "summary: theirs\ndescription: kept\n"),
    ]);
    let (doc, warnings) = dir.load("root.yaml").unwrap();
    assert_eq!(doc["paths"]["/a"], json!({"summary": "mine", "description": "kept"}));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "W0001");
    assert_eq!(warnings[0].pointer, "#/paths/~1b");
}

#[test]
fn discriminator_mapping_to_files_is_rewritten() {
    let dir = Dir::new(&[
        (
            "root.yaml",
            "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'pet.yaml'\n",
        ),
        (
            "pet.yaml",
            "oneOf:\n  - $ref: 'dog.yaml'\ndiscriminator:\n  propertyName: kind\n  mapping:\n    dog: 'dog.yaml'\n    cat: 'cat.yaml'\n",
        ),
        ("dog.yaml", "type: object\n"),
    ]);
    let (doc, warnings) = dir.load("root.yaml").unwrap();
    let mapping = &doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"];
    assert_eq!(mapping["dog"], json!("#/components/schemas/dog"));
    assert_eq!(mapping["cat"], json!("cat.yaml"));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, "W0002");
}

#[test]
fn generic_last_tokens_are_joined_to_the_ones_before() {
    let dir = Dir::new(&[
        (
            "root.yaml",
            "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: 'p.yaml#/limit/schema'}\n        c: {$ref: 'p.yaml#/Pet/allOf/0'}\n        d: {$ref: 'p.yaml#/0'}\n",
        ),
        ("p.yaml", "limit:\n  schema: {type: integer}\nPet:\n  allOf:\n    - type: object\n0: {type: string}\n"),
    ]);
    let (doc, _) = dir.load("root.yaml").unwrap();
    let names: Vec<&String> = doc["components"]["schemas"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["A", "limit_schema", "Pet_allOf_0", "p"]);
}

#[test]
fn helpers() {
    assert!(is_remote("https://x/y.yaml") && is_remote("//x/y") && !is_remote("C:/x.yaml"));
    assert!(!is_remote("a/b.yaml#/x:y"));
}

fn corpus(path: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(path);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

#[test]
fn digitalocean_bundles_parses_and_has_only_local_refs() {
    let Some(path) = corpus("digitalocean/specification/DigitalOcean-public.v2.yaml") else { return };
    let start = std::time::Instant::now();
    let loaded = load(&path).unwrap_or_else(|d| panic!("{d}"));
    let elapsed = start.elapsed();
    let mut doc = loaded.document;
    let schemas = doc["components"]["schemas"].as_object().map_or(0, Map::len);
    eprintln!("DigitalOcean: loaded and bundled in {elapsed:?}, {schemas} component schemas");
    assert_eq!(external_refs(&doc), Vec::<String>::new());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    crate::normalise::normalise(&mut doc).unwrap_or_else(|d| panic!("{d}"));
    crate::parse::parse(&doc).unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn swagger2_petstore_separate_bundles() {
    let Some(path) = corpus("swagger2/petstore-separate/spec/swagger.yaml") else { return };
    // `../common/Error.yaml` is outside the spec's folder: refused unless a wider one is named.
    assert_eq!(load(&path).unwrap_err().code, "E0009");
    let folder = path.parent().and_then(Path::parent).unwrap();
    let loaded = crate::load::load_within(&path, folder).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(external_refs(&loaded.document), Vec::<String>::new());
    let definitions = loaded.document["definitions"].as_object().unwrap();
    assert!(definitions.contains_key("Pet") && definitions.contains_key("Error"), "{definitions:?}");
    assert_eq!(loaded.document["paths"]["/pets"]["get"]["parameters"][1]["name"], json!("limit"));
}

//! Crafted specs whose types would make a crate that does not compile: the generator either
//! stops with a coded error at the pointer, or writes code that compiles (a newtype, a box, or a
//! reference read as `serde_json::Value` with a warning). It never succeeds silently with a
//! broken crate.
//!
//! The shapes that must compile are also fixtures (`tests/fixtures/recursive-types.yaml`,
//! `tests/fixtures/deep-types.yaml`), which `.ci/run` generates and checks with clippy. The
//! 200-type cycle below was checked by hand the same way (generated, then `cargo clippy
//! --all-targets --all-features -D warnings` with `T: Send + Sync` asserted for every type and
//! a value dropped): clean; before, it stopped at "overflow while adding drop-check rules".

use codegen::pipeline::{self, ApiOptions, GeneratedCrate, Options};
use codegen::Diagnostic;
use std::path::PathBuf;

/// Writes `text` to a file of its own under the temp folder and generates it the way
/// `cargo xtask codegen --spec FILE` does.
fn generate_with(name: &str, text: &str, options: ApiOptions) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    let dir: PathBuf = std::env::temp_dir().join(format!("hostile-types-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("spec.yaml");
    std::fs::write(&path, text).expect("spec written");
    let result = codegen::load::load(&path).map_err(|d| vec![d]).and_then(|loaded| {
        let (spec, mut source) = pipeline::standalone(&loaded.file, loaded.document, None, options);
        source.text = Some(text.to_owned());
        source.load_warnings = loaded.warnings;
        codegen::generate_crate(&spec, vec![source], &Options::default())
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn generate(name: &str, text: &str) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    generate_with(name, text, ApiOptions::default())
}

fn errors(name: &str, text: &str) -> Vec<Diagnostic> {
    generate(name, text).err().unwrap_or_else(|| panic!("{name}: expected errors"))
}

fn generated(name: &str, text: &str) -> (Vec<Diagnostic>, String) {
    let generated = generate(name, text).unwrap_or_else(|e| panic!("{name}: expected success: {e:#?}"));
    let types = generated.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents.clone();
    (generated.reports[0].warnings.clone(), types)
}

fn codes_at(diagnostics: &[Diagnostic]) -> Vec<(&str, &str)> {
    diagnostics.iter().map(|d| (d.code, d.pointer.as_str())).collect()
}

/// A spec with one operation returning `#/components/schemas/{root}`, and `schemas` (YAML lines
/// indented for `components.schemas`).
fn spec(root: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
         schema: {{$ref: '#/components/schemas/{root}'}}\ncomponents:\n  schemas:\n{schemas}"
    )
}

#[test]
fn a_cycle_of_bare_refs_is_an_error_at_the_ref() {
    let e = errors(
        "bare",
        &spec("A", "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"),
    );
    assert_eq!(codes_at(&e), [("E0032", "#/components/schemas/A")]);
    assert!(e[0].message.contains("`#/components/schemas/A` -> `#/components/schemas/B` -> `#/components/schemas/A`"));
    assert_eq!(e[0].line, Some(15));

    let e = errors("self", &spec("S", "    S: {$ref: '#/components/schemas/S'}\n"));
    assert_eq!(codes_at(&e), [("E0032", "#/components/schemas/S")]);

    // Through `allOf` wrappers: a cycle of `allOf`s, with the error at each `$ref` that closes it.
    let e = errors(
        "wrapped",
        &spec(
            "A",
            "    A: {allOf: [{$ref: '#/components/schemas/B'}]}\n    B: {allOf: [{$ref: '#/components/schemas/C'}]}\n    \
             C: {nullable: true, allOf: [{$ref: '#/components/schemas/A'}]}\n",
        ),
    );
    assert!(e.iter().all(|d| d.code == "E0031"), "{e:#?}");
    let at_c = e.iter().find(|d| d.pointer == "#/components/schemas/C/allOf/0").expect("at C's $ref");
    assert!(at_c.message.contains("`A` -> `B` -> `C` -> `A`"), "{}", at_c.message);
}

#[test]
fn aliases_of_themselves_through_arrays_and_maps_become_newtypes() {
    let (warnings, types) = generated(
        "aliases",
        &spec(
            "Top",
            "    Top:\n      type: object\n      properties:\n        l: {$ref: '#/components/schemas/List'}\n        \
             m: {$ref: '#/components/schemas/Map'}\n        n: {$ref: '#/components/schemas/MaybeList'}\n        \
             f: {$ref: '#/components/schemas/Forest'}\n        p: {$ref: '#/components/schemas/Plain'}\n    \
             List: {type: array, items: {$ref: '#/components/schemas/List'}}\n    \
             Map: {type: object, additionalProperties: {$ref: '#/components/schemas/Map'}}\n    \
             MaybeList: {type: array, nullable: true, items: {$ref: '#/components/schemas/MaybeList'}}\n    \
             Forest: {type: array, items: {$ref: '#/components/schemas/Grove'}}\n    \
             Grove: {type: object, additionalProperties: {$ref: '#/components/schemas/Forest'}}\n    \
             Plain: {type: array, items: {$ref: '#/components/schemas/List'}}\n",
        ),
    );
    assert!(warnings.is_empty(), "{warnings:#?}");
    for newtype in [
        "pub struct List(pub Vec<List>);",
        "pub struct Map(pub std::collections::BTreeMap<String, Map>);",
        "pub struct MaybeList(pub Vec<Option<MaybeList>>);",
        "pub struct Forest(pub Vec<Grove>);",
        "pub struct Grove(pub std::collections::BTreeMap<String, Forest>);",
    ] {
        assert!(types.contains(newtype), "{newtype} missing:\n{types}");
    }
    assert!(types.contains("#[serde(transparent)]"));
    assert!(types.contains("pub type Plain = Vec<List>;"), "an alias not on a cycle stays an alias");
}

#[test]
fn unions_that_contain_themselves_box_the_variants() {
    let (warnings, types) = generated(
        "unions",
        &spec(
            "Top",
            "    Top:\n      type: object\n      properties:\n        u: {$ref: '#/components/schemas/U'}\n        \
             e: {$ref: '#/components/schemas/Expression'}\n        p: {$ref: '#/components/schemas/Ping'}\n    \
             U: {oneOf: [{type: string}, {$ref: '#/components/schemas/U'}]}\n    \
             Expression: {anyOf: [{type: integer}, {$ref: '#/components/schemas/Negation'}]}\n    \
             Negation: {oneOf: [{type: string}, {$ref: '#/components/schemas/Alias'}]}\n    \
             Alias: {$ref: '#/components/schemas/Expression'}\n    \
             Ping:\n      oneOf: [{$ref: '#/components/schemas/Ping'}, {$ref: '#/components/schemas/Pong'}]\n      \
             discriminator: {propertyName: kind}\n    \
             Pong: {type: object, properties: {kind: {type: string}}}\n",
        ),
    );
    assert!(warnings.is_empty(), "{warnings:#?}");
    for boxed in ["U(Box<U>),", "Negation(Box<Negation>),", "Alias(Box<Alias>),", "Ping(Box<Ping>),", "Pong(Pong),"] {
        assert!(types.contains(boxed), "{boxed} missing:\n{types}");
    }
}

/// `A0` requires `a1: A1`, ..., `A{n-1}` requires `a0: A0`.
fn ring(n: usize) -> String {
    let mut schemas = String::new();
    for i in 0..n {
        let next = (i + 1) % n;
        schemas.push_str(&format!(
            "    A{i}: {{type: object, required: [a{next}], properties: {{a{next}: {{$ref: '#/components/schemas/A{next}'}}}}}}\n"
        ));
    }
    spec("A0", &schemas)
}

#[test]
fn a_cycle_of_200_required_properties_is_cut_with_a_warning_each() {
    let (warnings, types) = generated("ring200", &ring(200));
    assert!(!warnings.is_empty() && warnings.len() <= 20, "{}", warnings.len());
    for w in &warnings {
        assert_eq!(w.code, "W0033");
        assert!(w.pointer.starts_with("#/components/schemas/A"), "{}", w.pointer);
        assert!(w.message.contains("is read as any JSON value"), "{}", w.message);
        assert!(w.line.is_some());
    }
    // The cut fields hold any JSON value; the others stay boxed.
    assert_eq!(types.matches(": serde_json::Value,").count(), warnings.len(), "{types}");
    assert_eq!(types.matches(": Box<A").count(), 200 - warnings.len());
    // Short cycles are left whole: every field boxed, no warning.
    let (warnings, types) = generated("ring30", &ring(30));
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(types.matches(": Box<A").count(), 30);
}

#[test]
fn a_chain_of_300_nested_optional_objects_is_cut() {
    let mut schemas = String::new();
    for i in 0..299 {
        schemas.push_str(&format!(
            "    B{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/B{}'}}}}}}\n",
            i + 1
        ));
    }
    schemas.push_str("    B299: {type: object, properties: {end: {type: string}}}\n");
    let (warnings, _) = generated("chain300", &spec("B0", &schemas));
    assert!(!warnings.is_empty());
    assert!(warnings.iter().all(|w| w.code == "W0033"), "{warnings:#?}");
}

#[test]
fn long_acyclic_all_of_chains_are_merged_not_called_cycles() {
    // 50 levels (the old guard stopped at 32): `A{i}` is `A{i+1}` and one property more.
    let mut schemas = String::new();
    for i in 0..50 {
        schemas.push_str(&format!(
            "    A{i}:\n      allOf:\n        - $ref: '#/components/schemas/A{}'\n        - {{type: object, properties: {{p{i}: {{type: string}}}}}}\n",
            i + 1
        ));
    }
    schemas.push_str("    A50: {type: object, properties: {p50: {type: string}}}\n");
    let (warnings, types) = generated("allof50", &spec("A0", &schemas));
    assert!(warnings.is_empty(), "{warnings:#?}");
    let a0 = &types[types.find("pub struct A0 {").expect("A0")..];
    let a0 = &a0[..a0.find("\n}").unwrap()];
    assert_eq!(a0.matches(": Option<String>,").count(), 51, "{a0}");
    // A diamond (two members reaching the same schema) is not a cycle either.
    let diamond = "    A: {allOf: [{$ref: '#/components/schemas/B'}, {$ref: '#/components/schemas/C'}]}\n    \
                   B: {allOf: [{$ref: '#/components/schemas/D'}, {type: object, properties: {b: {type: string}}}]}\n    \
                   C: {allOf: [{$ref: '#/components/schemas/D'}, {type: object, properties: {c: {type: string}}}]}\n    \
                   D: {type: object, properties: {d: {type: string}}}\n";
    let (warnings, _) = generated("diamond", &spec("A", diamond));
    assert!(warnings.is_empty(), "{warnings:#?}");
}

#[test]
fn all_of_cycles_are_errors_at_the_ref_that_closes_them() {
    let schemas = "    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - {type: object, properties: {a: {type: string}}}\n    \
                   B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - {type: object, properties: {b: {type: string}}}\n";
    let e = errors("allof-cycle", &spec("A", schemas));
    assert!(e.iter().all(|d| d.code == "E0031"), "{e:#?}");
    let at_b = e.iter().find(|d| d.pointer == "#/components/schemas/B/allOf/0").expect("at B's $ref");
    assert!(at_b.message.contains("`A` -> `B` -> `A`"), "{}", at_b.message);
}

#[test]
fn absurdly_deep_all_of_chains_stop_at_the_guard() {
    let mut schemas = String::new();
    for i in 0..1_100 {
        schemas.push_str(&format!(
            "    A{i}: {{allOf: [{{$ref: '#/components/schemas/A{}'}}, {{type: object}}]}}\n",
            i + 1
        ));
    }
    schemas.push_str("    A1100: {type: object}\n");
    let e = errors("allof-deep", &spec("A0", &schemas));
    assert!(!e.is_empty() && e.iter().all(|d| d.code == "E0033"), "{:#?}", &e[..e.len().min(3)]);
    assert!(e[0].message.contains("deeper than 1000"), "{}", e[0].message);
}

#[test]
fn response_keys_that_are_not_status_codes_are_skipped_with_a_warning() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
                responses:\n        abc: {description: x}\n        '20': {description: x}\n        6XX: {description: x}\n        \
                '200': {description: ok}\n";
    let (warnings, _) = generated("statuses", text);
    assert_eq!(
        codes_at(&warnings),
        [
            ("W0056", "#/paths/~1a/get/responses/abc"),
            ("W0056", "#/paths/~1a/get/responses/20"),
            ("W0056", "#/paths/~1a/get/responses/6XX")
        ]
    );
    assert_eq!(warnings[0].line, Some(8));
    assert!(warnings[2].message.contains("`6XX` is not an HTTP status code"), "{}", warnings[2].message);
}

#[test]
fn defaults_of_the_wrong_type_are_dropped_with_a_warning() {
    let schemas = "    Top:\n      type: object\n      properties:\n        n: {type: integer, default: x}\n        \
                   f: {type: number, format: float, default: 1.0e300}\n        i: {type: integer, format: int32, default: 3000000000}\n        \
                   b: {type: boolean, default: 'yes'}\n        l: {type: array, items: {type: integer}, default: [1, a]}\n        \
                   ok: {type: integer, default: 5}\n        \
                   r: {type: array, items: {$ref: '#/components/schemas/F'}, default: [1.0e300]}\n    \
                   F: {type: number, format: float}\n";
    let (warnings, types) = generated("defaults", &spec("Top", schemas));
    assert_eq!(
        codes_at(&warnings),
        [
            ("W0034", "#/components/schemas/Top/properties/n/default"),
            ("W0034", "#/components/schemas/Top/properties/f/default"),
            ("W0034", "#/components/schemas/Top/properties/i/default"),
            ("W0034", "#/components/schemas/Top/properties/b/default"),
            ("W0034", "#/components/schemas/Top/properties/l/default")
        ]
    );
    assert!(warnings[0].message.contains("`default: \"x\"` is not an integer"), "{}", warnings[0].message);
    assert!(types.contains("pub fn ok_or_default(&self) -> i64"), "{types}");
    assert_eq!(types.matches("_or_default(&self)").count(), 1, "{types}");
    // Through a reference the value is not checked, but never written as an infinite literal
    // (that panicked): documented, no accessor.
    assert!(types.contains("Default: `[1e+300]` (an absent value stays absent)"), "{types}");
}

#[test]
fn an_unknown_tag_or_operation_is_an_error_naming_the_known_ones() {
    let text =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      \
                tags: [pets]\n      responses: {'204': {description: ok}}\n    post:\n      operationId: postA\n      \
                tags: [stores]\n      responses: {'204': {description: ok}}\n";
    let tagged = ApiOptions { tags: vec!["pets".into(), "nope".into()], ..Default::default() };
    let e = generate_with("tag", text, tagged).expect_err("an error");
    assert_eq!(codes_at(&e), [("E0051", "#/paths")]);
    assert!(e[0].message.contains("`nope`") && e[0].message.contains("`pets`, `stores`"), "{}", e[0].message);
    let listed = ApiOptions { operations: vec!["getA".into(), "get_a".into(), "nope".into()], ..Default::default() };
    let e = generate_with("operation", text, listed).expect_err("an error");
    assert_eq!(codes_at(&e), [("E0051", "#/paths")]);
    assert!(e[0].message.contains("`nope`") && e[0].message.contains("`getA`, `postA`"), "{}", e[0].message);
    // Known ones select as before.
    let known = ApiOptions { tags: vec!["stores".into()], ..Default::default() };
    let generated = generate_with("known", text, known).expect("generates");
    assert_eq!(generated.reports[0].operations, 1);
}

/// Found by `cargo xtask fuzz`: crates that generated but failed clippy `-D warnings`. Both
/// fixtures are also generated and checked with clippy by `.ci/run`; here, the shapes that make
/// them clean.
#[test]
fn fuzz_found_shapes_stay_lint_clean() {
    let fixture = |name: &str| {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/{name}.yaml", env!("CARGO_MANIFEST_DIR")))
            .expect("fixture readable");
        generate(name, &text).unwrap_or_else(|e| panic!("{name}: expected success: {e:#?}"))
    };
    let file = |generated: &GeneratedCrate, path: &str| {
        generated.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path}")).contents.clone()
    };
    // An array of maps of maps, spelled out in `impl Future<Output = Result<..>>`: over clippy's
    // `type_complexity` threshold, allowed crate-wide like `large_enum_variant`.
    let nested = fixture("nested-containers");
    assert!(file(&nested, "src/lib.rs").contains("clippy::type_complexity"));
    // A nullable `oneOf` variant with constraints: its `Some` is in the arm's pattern, not an
    // `if let` inside it (`collapsible_match`), and a wildcard arm takes its `None`.
    let types = file(&fixture("nullable-variants"), "src/types.rs");
    assert!(types.contains("if let Self::MaybeEmail(Some(item)) = self {"), "{types}");
    assert_eq!(types.matches("Self::MaybeEmail(Some(item)) => {").count(), 2, "{types}");
}

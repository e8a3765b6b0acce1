//! Property tests: whatever the input, the loader and generator return values or diagnostics and
//! never panic. Seeds are the project's specs and fixtures, and the small real specs of
//! ../shared/corpus when it is beside the project; each case applies one mutation of
//! `cargo xtask fuzz` to a seed (a node replaced by an arbitrary value built from the words specs
//! are made of, deleted, duplicated, or a `type` swapped), or feeds arbitrary text to the loader.
//! `PROPTEST_CASES=100000 cargo test --release --test no_panic` runs a long session; `cargo xtask
//! fuzz` also mutates the large corpus specs, with a timeout per case, and compiles the crates.

use codegen::pipeline::{self, Options};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::path::Path;
use std::sync::OnceLock;

// The mutations of `cargo xtask fuzz`, so the two fuzz alike.
#[path = "../xtask/src/mutate.rs"]
mod mutate;

fn seeds() -> &'static [Value] {
    static SEEDS: OnceLock<Vec<Value>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = ["specs", "tests/fixtures"]
            .iter()
            .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("readable").map(|e| e.expect("entry").path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        let mut seeds: Vec<Value> =
            files.iter().map(|f| codegen::load::load(f).expect("seed loads").document).collect();
        seeds.extend(corpus_seeds(&root.join("../shared/corpus")));
        seeds
    })
}

/// The real specs of `../shared/corpus` up to 100 KB that stand alone (when the corpus is beside the
/// project): their shapes are the ones vendors write. The large ones are left to `cargo xtask
/// fuzz`: in this debug build, loading them takes seconds and each of their cases seconds more.
fn corpus_seeds(corpus: &Path) -> Vec<Value> {
    let mut files = Vec::new();
    let mut pending = vec![corpus.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for path in std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "json")
                && std::fs::metadata(&path).is_ok_and(|m| m.len() <= 100 * 1024)
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .iter()
        .filter_map(|f| codegen::load::load(f).ok())
        .map(|loaded| loaded.document)
        .filter(|d| d.get("openapi").or(d.get("swagger")).is_some() && d.get("paths").is_some())
        .collect()
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(mutate::WORDS).prop_map(str::to_owned), "[a-zA-Z0-9_{}/ .-]{0,12}"]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((word(), inner), 0..5)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn generate(document: Value) {
    let (spec, source) = pipeline::standalone("fuzz.yaml", document, None, Default::default());
    let _ = codegen::generate_crate(&spec, vec![source], &Options::default());
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_specs_never_panic(seed in any::<prop::sample::Index>(), mutation in any::<u64>()) {
        let mut document = seed.get(seeds()).clone();
        mutate::mutate(&mut document, &mut mutate::Random::new(mutation));
        generate(document);
    }

    #[test]
    fn arbitrary_documents_never_panic(document in value()) {
        generate(document);
    }

    #[test]
    fn arbitrary_text_never_panics_the_loader(text in "\\PC{0,200}") {
        if let Ok(document) = codegen::load::parse_text(&text) {
            generate(document);
        }
    }

    /// YAML and JSON punctuation, enough brackets for the nesting scan to run (load/limits.rs).
    #[test]
    fn structural_text_never_panics_the_loader(text in "[\\[\\]{}:,'\"#\\- \n\t|>!&*?a1\\\\]{0,2000}") {
        if let Ok(document) = codegen::load::parse_text(&text) {
            generate(document);
        }
    }
}

//! OpenAPI 3.1 is normalised, not rejected: a 3.1 spec and its 3.0 equivalent lower to the same
//! model, with the same warnings at the same places.

use std::path::Path;

fn lowered(file: &str) -> (codegen::ir::Api, Vec<(&'static str, String)>) {
    let loaded = codegen::load::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect("loads");
    let (api, warnings) = codegen::lower_document(file, loaded.document, &Default::default()).expect("lowers");
    (api, warnings.into_iter().map(|w| (w.code, w.pointer)).collect())
}

#[test]
fn nullable_fixture_31_and_30_give_the_same_model() {
    let (from_31, warnings) = lowered("tests/fixtures/nullable-3.1.yaml");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(from_31, lowered("tests/fixtures/nullable-3.0.yaml").0);
}

#[test]
fn architect_spec_31_and_its_30_translation_give_the_same_model() {
    assert_eq!(lowered("specs/architect.yaml"), lowered("tests/fixtures/architect-3.0.yaml"));
}

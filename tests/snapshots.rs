//! Snapshots of the generated source: every generator change shows up as a reviewable diff.
//!
//! Review changes with `cargo insta review`; CI fails on any unreviewed change.

use codegen::pipeline::{self, GeneratedCrate, Options};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Generates a fixture the way `cargo xtask codegen --spec tests/fixtures/NAME.yaml` does
/// (`NAME` may name a subdirectory: `schemas/enums`).
fn fixture(name: &str) -> GeneratedCrate {
    let file = format!("tests/fixtures/{name}.yaml");
    let loaded = codegen::load::load(&root().join(&file)).expect("fixture loads");
    let (spec, source) = pipeline::standalone(&file, loaded.document, None, Default::default());
    codegen::generate_crate(&spec, vec![source], &Options::default())
        .unwrap_or_else(|errors| panic!("{name} does not generate: {errors:#?}"))
}

/// One snapshot per generated file, except the runtime's, which are copied verbatim.
fn assert_files(prefix: &str, generated: &GeneratedCrate) {
    for file in generated.files.iter().filter(|f| !f.path.starts_with("src/runtime/")) {
        let name = format!("{prefix}__{}", file.path.trim_start_matches("src/").replace('/', "__"));
        insta::assert_snapshot!(name, &file.contents);
    }
}

#[test]
fn project_specs() {
    let generated = codegen::workspace::generate(root(), &Options::default()).expect("specs generate");
    assert_files("specs", &generated);
}

#[test]
fn fixture_naming() {
    assert_files("naming", &fixture("naming"));
}

/// Names that clash with the generated code's own or with each other: see `codegen::naming`.
#[test]
fn fixture_collisions() {
    assert_files("collisions", &fixture("collisions"));
}

#[test]
fn fixture_composition() {
    assert_files("composition", &fixture("composition"));
}

#[test]
fn fixture_responses() {
    assert_files("responses", &fixture("responses"));
}

#[test]
fn fixture_nullable_31() {
    assert_files("nullable_31", &fixture("nullable-3.1"));
}

#[test]
fn fixture_thena_002_literal() {
    assert_files("thena_002_literal", &fixture("thena-002-literal"));
}

#[test]
fn fixture_tags() {
    assert_files("tags", &fixture("tags"));
}

#[test]
fn fixture_schemas_nullable() {
    assert_files("schemas_nullable", &fixture("schemas/nullable"));
}

#[test]
fn fixture_schemas_enums() {
    assert_files("schemas_enums", &fixture("schemas/enums"));
}

#[test]
fn fixture_schemas_discriminator() {
    assert_files("schemas_discriminator", &fixture("schemas/discriminator"));
}

#[test]
fn fixture_schemas_formats() {
    assert_files("schemas_formats", &fixture("schemas/formats"));
}

#[test]
fn fixture_schemas_sized_formats() {
    assert_files("schemas_sized_formats", &fixture("schemas/sized-formats"));
}

#[test]
fn fixture_schemas_defaults() {
    assert_files("schemas_defaults", &fixture("schemas/defaults"));
}

#[test]
fn fixture_schemas_round_trip() {
    assert_files("schemas_round_trip", &fixture("schemas/round-trip"));
}

#[test]
fn fixture_schemas_validation() {
    assert_files("schemas_validation", &fixture("schemas/validation"));
}

/// OAuth2: the client-credentials setters beside each scheme's token setter.
#[test]
fn fixture_oauth2() {
    assert_files("oauth2", &fixture("oauth2"));
}

/// Webhooks (3.1) and a callback: the `webhooks` module, events gated by their tags' features.
#[test]
fn fixture_webhooks() {
    assert_files("webhooks", &fixture("webhooks"));
}

/// OpenAPI 3.0 callbacks, inline and by `$ref`, with a text body and none.
#[test]
fn fixture_callbacks_30() {
    assert_files("callbacks_30", &fixture("callbacks-3.0"));
}

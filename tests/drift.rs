//! The drift check: the checked-in `generated/` must equal what `specs/` produce now.

use codegen::pipeline::Options;
use codegen::write::{check_crate, DriftKind};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn generated_crates_match_their_specs() {
    for target in codegen::workspace::TARGETS {
        let generated =
            codegen::workspace::generate_target(root(), &target, &Options::default()).expect("specs generate");
        let drifts = check_crate(&root().join(target.out_dir), &generated, 40).expect("output is readable");
        let report: Vec<String> = drifts.iter().map(ToString::to_string).collect();
        assert!(
            drifts.is_empty(),
            "{} is stale; run `cargo xtask codegen` and commit:\n{}",
            target.out_dir,
            report.join("\n")
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let first = codegen::workspace::generate(root(), &Options::default()).expect("specs generate");
    let second = codegen::workspace::generate(root(), &Options::default()).expect("specs generate");
    assert_eq!(first.files, second.files);
}

/// A copy of the project's specs, in a temporary directory, to edit.
fn specs_copy(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("drift-{test}-{}", std::process::id()));
    let specs = dir.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    for entry in std::fs::read_dir(root().join("specs")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, specs.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn an_edited_description_is_reported_as_drift_with_a_readable_diff() {
    let dir = specs_copy("description");
    let spec = dir.join("specs/thena-platform.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(text.contains("description: Attribute value\n"));
    std::fs::write(&spec, text.replacen("description: Attribute value\n", "description: The new value\n", 1)).unwrap();

    let generated = codegen::workspace::generate(&dir, &Options::default()).expect("edited specs generate");
    let drifts = check_crate(&root().join("generated"), &generated, 40).unwrap();
    std::fs::remove_dir_all(&dir).ok();

    assert_eq!(drifts.len(), 1, "{drifts:#?}");
    assert_eq!(drifts[0].path, "src/thena/types.rs");
    let DriftKind::Changed(diff) = &drifts[0].kind else { panic!("expected a change: {drifts:#?}") };
    assert!(diff.contains("-    /// Attribute value"), "{diff}");
    assert!(diff.contains("+    /// The new value"), "{diff}");
}

#[test]
fn a_spec_not_listed_in_the_config_is_an_error_not_skipped() {
    let dir = specs_copy("unlisted");
    std::fs::write(dir.join("specs/extra.yaml"), "openapi: 3.0.0\n").unwrap();
    let errors = codegen::workspace::generate(&dir, &Options::default()).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "E0006");
    assert!(errors[0].message.contains("specs/extra.yaml"), "{}", errors[0].message);
}

//! The spec-change report: one fixture pair per rule (`tests/fixtures/diff/<rule>/{old,new}.yaml`)
//! with a snapshot of its text report and the bump it implies; the real GitHub pair; the release
//! step of `cargo xtask codegen` on a copy of the project.

use codegen::diff::{compare, Bump, ChangeKind, Context, Impact, Report};
use codegen::pipeline::Options;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lowered(file: &str) -> codegen::ir::Api {
    let loaded = codegen::load::load(&root().join(file)).unwrap_or_else(|e| panic!("{file} loads: {e}"));
    let (api, _) = codegen::lower_document(file, loaded.document, &Default::default())
        .unwrap_or_else(|e| panic!("{file} lowers: {e:#?}"));
    api
}

fn report(rule: &str, version: &str) -> Report {
    let (old, new) = (format!("tests/fixtures/diff/{rule}/old.yaml"), format!("tests/fixtures/diff/{rule}/new.yaml"));
    let changes = compare(&lowered(&old), &lowered(&new), &Context::files(&old, &new));
    Report::new(changes, version).expect("valid version")
}

/// Snapshots the report of `rule` and checks its change kinds, its impact and its bumps before
/// and after 1.0.
fn check(rule: &str, kinds: &[ChangeKind], impact: Option<Impact>, bumps: (Bump, Bump)) {
    let pre_1 = report(rule, "0.3.1");
    insta::assert_snapshot!(rule, pre_1.to_string());
    let found: Vec<ChangeKind> = pre_1.changes.iter().map(|c| c.kind).collect();
    assert_eq!(found, kinds, "{pre_1}");
    assert_eq!(pre_1.impact, impact, "{pre_1}");
    assert_eq!((pre_1.bump, report(rule, "1.2.3").bump), bumps, "{pre_1}");
}

macro_rules! rules {
    ($($test:ident: $rule:literal => [$($kind:ident),*], $impact:expr, $bumps:expr;)*) => {$(
        #[test]
        fn $test() {
            check($rule, &[$(ChangeKind::$kind),*], $impact, $bumps);
        }
    )*};
}

const BREAKING: Option<Impact> = Some(Impact::Breaking);
const COMPATIBLE: Option<Impact> = Some(Impact::Compatible);
const NO_API_CHANGE: Option<Impact> = Some(Impact::NoApiChange);
/// 0.x: breaking is a minor bump; from 1.0: major.
const BREAKING_BUMPS: (Bump, Bump) = (Bump::Minor, Bump::Major);
/// 0.x: a patch; from 1.0: minor.
const COMPATIBLE_BUMPS: (Bump, Bump) = (Bump::Patch, Bump::Minor);

rules! {
    operation_removed: "operation-removed" => [OperationRemoved, SerdeImplAdded], BREAKING, BREAKING_BUMPS;
    type_removed: "type-removed" => [ErrorVariantRemoved, TypeRemoved], BREAKING, BREAKING_BUMPS;
    path_or_method_changed: "path-or-method-changed" => [OperationMoved, OperationMoved], BREAKING, BREAKING_BUMPS;
    parameter_became_required: "parameter-became-required" => [ParameterBecameRequired], BREAKING, BREAKING_BUMPS;
    required_parameter_added: "required-parameter-added" => [ParameterAdded], BREAKING, BREAKING_BUMPS;
    request_field_became_required: "request-field-became-required" => [FieldBecameRequired], BREAKING, BREAKING_BUMPS;
    required_request_field_added: "required-request-field-added" => [FieldAdded], BREAKING, BREAKING_BUMPS;
    response_field_removed: "response-field-removed" => [FieldRemoved, SerdeImplAdded], BREAKING, BREAKING_BUMPS;
    response_field_became_optional: "response-field-became-optional" => [FieldBecameOptional], BREAKING, BREAKING_BUMPS;
    type_changed: "type-changed" => [FieldTypeChanged], BREAKING, BREAKING_BUMPS;
    // A new `format` is a new Rust type (`i64` -> `u32`, `String` -> `Ipv4Addr`).
    format_changed: "format-changed"
        => [ParameterTypeChanged, ParameterTypeChanged, FieldTypeChanged], BREAKING, BREAKING_BUMPS;
    request_enum_value_removed: "request-enum-value-removed" => [EnumValueRemoved], BREAKING, BREAKING_BUMPS;
    auth_requirement_added: "auth-requirement-added" => [AuthRequirementAdded], BREAKING, BREAKING_BUMPS;
    operation_added: "operation-added" => [OperationAdded], COMPATIBLE, COMPATIBLE_BUMPS;
    optional_parameter_added: "optional-parameter-added" => [ParameterAdded], COMPATIBLE, COMPATIBLE_BUMPS;
    optional_request_field_added: "optional-request-field-added" => [FieldAdded], COMPATIBLE, COMPATIBLE_BUMPS;
    response_field_added: "response-field-added" => [FieldAdded, FieldAdded], COMPATIBLE, COMPATIBLE_BUMPS;
    docs_changed: "docs-changed" => [DocsChanged, DocsChanged, DocsChanged], NO_API_CHANGE, (Bump::Patch, Bump::Patch);
    enum_value_added: "enum-value-added" => [EnumValueAdded, EnumValueAdded], COMPATIBLE, COMPATIBLE_BUMPS;
    // OAuth2: `ClientBuilder::<scheme>_client_credentials` and `_with` appear.
    client_credentials_flow_added: "client-credentials-flow-added"
        => [SecuritySchemeChanged], COMPATIBLE, COMPATIBLE_BUMPS;
    // Beyond the list: where the Rust API makes the call.
    response_enum_value_removed: "response-enum-value-removed" => [EnumValueRemoved], BREAKING, BREAKING_BUMPS;
    first_optional_parameter_added: "first-optional-parameter-added"
        => [ParamsArgumentAdded, ParameterAdded], BREAKING, BREAKING_BUMPS;
    request_field_became_optional: "request-field-became-optional" => [FieldBecameOptional], BREAKING, BREAKING_BUMPS;
    // Webhooks: `webhooks::Event` is `#[non_exhaustive]`, so a new event breaks no `match`.
    webhook_added: "webhook-added" => [EventAdded], COMPATIBLE, COMPATIBLE_BUMPS;
    webhook_payload_changed: "webhook-payload-changed" => [EventPayloadChanged], BREAKING, BREAKING_BUMPS;
    no_change: "no-change" => [], None, (Bump::None, Bump::None);
}

#[test]
fn every_fixture_pair_has_a_test() {
    let source = include_str!("diff.rs");
    let dir = root().join("tests/fixtures/diff");
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures/diff exists") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        assert!(source.contains(&format!("\"{name}\"")), "tests/fixtures/diff/{name} has no test");
    }
}

#[test]
fn the_report_serializes_as_json_for_tools() {
    let report = report("type-removed", "0.3.1");
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).expect("valid JSON");
    assert_eq!(json["bump"], "minor");
    assert_eq!(json["next_version"], "0.4.0");
    let changes = json["changes"].as_array().expect("a list of changes");
    let change = changes.iter().find(|c| c["kind"] == "type_removed").expect("the type removal");
    assert_eq!(change["impact"], "breaking");
    assert_eq!(change["subject"], serde_json::json!({"item": "type", "name": "Error"}));
    assert_eq!(change["old"]["pointer"], "#/components/schemas/Error");
    assert_eq!(change["new"], serde_json::Value::Null);
}

/// The two published versions of GitHub's REST spec in the shared corpus, three weeks apart.
fn github_pair() -> Option<Report> {
    let corpus = root().join("../shared/corpus/github");
    let (old, new) = ("api.github.com-2021-09-22.json", "api.github.com-2021-10-10.json");
    if !corpus.join(old).exists() || !corpus.join(new).exists() {
        eprintln!("../shared/corpus/github is absent: skipped");
        return None;
    }
    let lower = |name: &str| {
        let loaded = codegen::load::load(&corpus.join(name)).expect("loads");
        codegen::lower_document(name, loaded.document, &Default::default()).expect("lowers").0
    };
    let changes = compare(&lower(old), &lower(new), &Context::files(old, new));
    Some(Report::new(changes, "0.1.0").expect("valid version"))
}

/// Whether the report has a change of `kind` and `impact` about `subject` (as the text shows it).
fn claims(report: &Report, (kind, impact, subject): (ChangeKind, Impact, &str)) -> bool {
    report.changes.iter().any(|c| c.kind == kind && c.impact == impact && c.subject.to_string() == subject)
}

#[test]
fn github_2021_09_22_to_2021_10_10() {
    let Some(report) = github_pair() else { return };
    let (breaking, compatible) = (report.count(Impact::Breaking), report.count(Impact::Compatible));
    assert!(breaking > 0 && compatible > 0, "{breaking} breaking, {compatible} compatible");
    assert_eq!(report.bump, Bump::Minor);
    assert_eq!(report.next_version, "0.2.0");
    for claim in GITHUB_CLAIMS {
        assert!(claims(&report, *claim), "missing: {claim:?}\n{report}");
    }
}

/// Claims about the GitHub pair, each checked by hand in the two crates
/// `cargo xtask codegen --spec ../shared/corpus/github/api.github.com-<date>.json` generates.
const GITHUB_CLAIMS: &[(ChangeKind, Impact, &str)] = &[
    // `actions_get_workflow_run(owner, repo, run_id)` gains `params: &types::ActionsGetWorkflowRunParams`.
    (ChangeKind::ParamsArgumentAdded, Impact::Breaking, "operation `actions/get-workflow-run`"),
    // `issues_list_for_repo` returns `Vec<types::Issue>`, was `Vec<types::IssueSimple>`.
    (ChangeKind::ReturnTypeChanged, Impact::Breaking, "operation `issues/list-for-repo`, response"),
    // `apps_delete_authorization(client_id, body: Option<&..Body>)` -> `body: &..Body`.
    (ChangeKind::RequestBodyBecameRequired, Impact::Breaking, "operation `apps/delete-authorization`, request body"),
    // `CodeScanningAlert.instances: Option<serde_json::Value>` is gone.
    (ChangeKind::FieldRemoved, Impact::Breaking, "type `CodeScanningAlert`, field `instances`"),
    // `ActionsCreateOrUpdateEnvironmentSecretBody.encrypted_value: Option<String>` -> `String`.
    (
        ChangeKind::FieldBecameRequired,
        Impact::Breaking,
        "type `ActionsCreateOrUpdateEnvironmentSecretBody`, field `encrypted_value`",
    ),
    // `OrgsUpdateError::Status415(types::OrgsUpdateResponse415)` exists only in the old crate.
    (ChangeKind::ErrorVariantRemoved, Impact::Breaking, "operation `orgs/update`, error `Status415`"),
    // `types::IssueSimple` exists only in the old crate.
    (ChangeKind::TypeRemoved, Impact::Breaking, "type `IssueSimple`"),
    // `Label`: `#[cfg(any(feature = "activity", feature = "issues"))]` -> `#[cfg(feature = "issues")]`.
    (ChangeKind::FeatureGateChanged, Impact::Breaking, "type `Label`"),
    // `users_list_blocked_by_authenticated` is gone; `users_list_blocked_by_authenticated_user`
    // calls the same `GET /user/blocks`.
    (ChangeKind::OperationRemoved, Impact::Breaking, "operation `users/list-blocked-by-authenticated`"),
    (ChangeKind::OperationAdded, Impact::Compatible, "operation `users/list-blocked-by-authenticated-user`"),
    // `Job` gains `pub labels: Vec<String>` (required, in a response type).
    (ChangeKind::FieldAdded, Impact::Compatible, "type `Job`, field `labels`"),
    // `repos_generate_release_notes` exists only in the new crate.
    (ChangeKind::OperationAdded, Impact::Compatible, "operation `repos/generate-release-notes`"),
];

/// A copy of the project's specs and its last generated state, to edit.
fn project_copy(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("diff-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["specs", "generated/specs"] {
        std::fs::create_dir_all(dir.join(sub)).expect("temp dir");
        for entry in std::fs::read_dir(root().join(sub)).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                std::fs::copy(&path, dir.join(sub).join(path.file_name().expect("a file name"))).expect("copied");
            }
        }
    }
    std::fs::copy(root().join("generated/CHANGELOG.md"), dir.join("generated/CHANGELOG.md")).expect("copied");
    dir
}

#[test]
fn the_project_changelog_and_snapshots_are_current() {
    let (generated, release) =
        codegen::workspace::generate_release(root(), &Options::default()).expect("specs generate");
    assert!(!release.first, "generated/specs/ holds no snapshots: run `cargo xtask codegen`");
    assert!(
        release.report.changes.is_empty(),
        "specs changed since the last `cargo xtask codegen`:\n{}",
        release.report
    );
    // The rest of generated/ is the drift check's (tests/drift.rs).
    for file in generated.files.iter().filter(|f| release.files.contains(f)) {
        let on_disk = std::fs::read_to_string(root().join("generated").join(&file.path)).unwrap_or_default();
        assert!(on_disk == file.contents, "generated/{} is stale: run `cargo xtask codegen`", file.path);
    }
}

#[test]
fn a_spec_change_bumps_the_version_and_prepends_a_changelog_entry() {
    let dir = project_copy("release");
    let spec = dir.join("specs/thena-platform.yaml");
    let text = std::fs::read_to_string(&spec).expect("readable");
    let config = std::fs::read_to_string(dir.join("specs/codegen.toml")).expect("readable");
    let version = config.lines().find_map(|l| l.strip_prefix("version = \"")).and_then(|l| l.strip_suffix('"'));
    let version = version.expect("a crate version").to_owned();
    std::fs::write(&spec, text.replacen("description: Attribute value\n", "description: The new value\n", 1))
        .expect("writable");

    let result = codegen::workspace::generate_release(&dir, &Options::default());
    std::fs::remove_dir_all(&dir).ok();
    let (generated, release) = result.expect("specs generate");

    let expected = codegen::diff::next_version(&version, Bump::Patch).expect("valid");
    assert_eq!(release.report.next_version, expected, "{}", release.report);
    assert_eq!(release.report.impact, Some(Impact::NoApiChange), "{}", release.report);
    let file = |path: &str| generated.files.iter().find(|f| f.path == path).map(|f| f.contents.clone());
    let manifest = file("Cargo.toml").expect("a manifest");
    assert!(manifest.contains(&format!("version = \"{expected}\"")), "{manifest}");
    let changelog = file("CHANGELOG.md").expect("a changelog");
    let entry = changelog.find(&format!("## {expected}\n")).expect("a new entry");
    assert!(changelog.find(&format!("## {version}\n")).is_some_and(|old| entry < old), "{changelog}");
    assert!(changelog.contains("description changed: only docs change"), "{changelog}");
    assert!(changelog.contains(&format!("semver: patch ({version} -> {expected})")), "{changelog}");
}

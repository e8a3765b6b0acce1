//! The client runtime as codegen embeds it at build time, from the `client-runtime` crate at the
//! workspace root (`runtime/`), where it is compiled and tested:
//!
//! - [`FILES`]: its `src/runtime/` folder, written verbatim (after the generated-file header) as
//!   `src/runtime/` of every generated crate;
//! - [`dependency_lines`], [`dev_dependency_line`]: its `Cargo.toml` dependencies, the single
//!   source of the versions and features written into generated manifests.

use std::sync::OnceLock;

/// The runtime module's files by name, emitted as `src/runtime/NAME`. A test checks that this
/// is every file of `runtime/src/runtime/`.
pub const FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../runtime/src/runtime/auth.rs")),
    ("body.rs", include_str!("../../runtime/src/runtime/body.rs")),
    ("decode.rs", include_str!("../../runtime/src/runtime/decode.rs")),
    ("error.rs", include_str!("../../runtime/src/runtime/error.rs")),
    ("hook.rs", include_str!("../../runtime/src/runtime/hook.rs")),
    ("mod.rs", include_str!("../../runtime/src/runtime/mod.rs")),
    ("nullable.rs", include_str!("../../runtime/src/runtime/nullable.rs")),
    ("oauth.rs", include_str!("../../runtime/src/runtime/oauth.rs")),
    ("pagination.rs", include_str!("../../runtime/src/runtime/pagination.rs")),
    ("params.rs", include_str!("../../runtime/src/runtime/params.rs")),
    ("random.rs", include_str!("../../runtime/src/runtime/random.rs")),
    ("raw_response.rs", include_str!("../../runtime/src/runtime/raw_response.rs")),
    ("request.rs", include_str!("../../runtime/src/runtime/request.rs")),
    ("response.rs", include_str!("../../runtime/src/runtime/response.rs")),
    ("retry.rs", include_str!("../../runtime/src/runtime/retry.rs")),
    ("serde_impls.rs", include_str!("../../runtime/src/runtime/serde_impls.rs")),
    ("sse.rs", include_str!("../../runtime/src/runtime/sse.rs")),
    ("transport.rs", include_str!("../../runtime/src/runtime/transport.rs")),
    ("validation.rs", include_str!("../../runtime/src/runtime/validation.rs")),
    ("webhook.rs", include_str!("../../runtime/src/runtime/webhook.rs")),
];

/// The runtime crate's manifest.
const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// How a generated crate takes one of the runtime manifest's optional dependencies (those the
/// generated code around the runtime uses: chrono, uuid, wiremock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Not at all.
    Not,
    /// As a plain dependency.
    Required,
    /// As an optional dependency, for a cargo feature to turn on.
    Optional,
}

/// The `[dependencies]` lines of a generated manifest, in name order: every dependency of the
/// runtime crate as it is written there, the optional ones as `optional` says.
pub fn dependency_lines(optional: impl Fn(&str) -> Take) -> String {
    let mut out = String::new();
    for (name, spec) in table("dependencies") {
        let declared_optional = spec.get("optional").and_then(toml::Value::as_bool).unwrap_or(false);
        let take = if declared_optional { optional(name) } else { Take::Required };
        if take != Take::Not {
            out.push_str(&dependency_line(name, spec, take == Take::Optional));
            out.push('\n');
        }
    }
    out
}

/// The `[dev-dependencies]` line of `name` as the runtime crate has it (tokio for the usage
/// example), if it has one.
pub fn dev_dependency_line(name: &str) -> Option<String> {
    table("dev-dependencies")
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(name, spec)| dependency_line(name, spec, false))
}

/// The entries of a table of the runtime manifest, in name order.
fn table(name: &str) -> Vec<(&'static str, &'static toml::Value)> {
    static PARSED: OnceLock<toml::Table> = OnceLock::new();
    // The manifest is part of this crate's source, and the tests below parse it.
    let manifest = PARSED.get_or_init(|| toml::from_str(MANIFEST).expect("runtime/Cargo.toml is valid TOML"));
    let mut entries: Vec<_> = match manifest.get(name) {
        Some(toml::Value::Table(table)) => table.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        _ => Vec::new(),
    };
    // Sorted here: the table's own order depends on toml's `preserve_order` feature.
    entries.sort_by_key(|(name, _)| *name);
    entries
}

/// `name = spec` with `optional` as given: a bare version string when that is all there is,
/// otherwise an inline table with `version` first and `optional` last.
fn dependency_line(name: &str, spec: &toml::Value, optional: bool) -> String {
    let mut fields: Vec<(&str, &toml::Value)> = match spec {
        toml::Value::Table(table) => {
            table.iter().map(|(k, v)| (k.as_str(), v)).filter(|(k, _)| *k != "optional").collect()
        }
        version => vec![("version", version)],
    };
    fields.sort_by_key(|(key, _)| (*key != "version", *key));
    let key = toml_key(name);
    match fields.as_slice() {
        [("version", version)] if !optional => format!("{key} = {}", toml_value(version)),
        _ => {
            let mut parts: Vec<String> =
                fields.iter().map(|(k, v)| format!("{} = {}", toml_key(k), toml_value(v))).collect();
            if optional {
                parts.push("optional = true".to_owned());
            }
            format!("{key} = {{ {} }}", parts.join(", "))
        }
    }
}

/// A TOML value written inline (the manifest's values: strings, booleans, arrays, tables).
fn toml_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => crate::sanitise::toml_string(text),
        toml::Value::Array(items) => format!("[{}]", items.iter().map(toml_value).collect::<Vec<_>>().join(", ")),
        toml::Value::Table(table) => {
            let fields: Vec<String> =
                table.iter().map(|(k, v)| format!("{} = {}", toml_key(k), toml_value(v))).collect();
            format!("{{ {} }}", fields.join(", "))
        }
        toml::Value::Boolean(flag) => flag.to_string(),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Datetime(when) => when.to_string(),
    }
}

/// A key bare when TOML allows it, quoted otherwise.
fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        key.to_owned()
    } else {
        crate::sanitise::toml_string(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn runtime_dir() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime"))
    }

    fn parse(text: &str) -> toml::Table {
        toml::from_str(text).expect("valid TOML")
    }

    /// A dependency without `optional`, a bare version as `{ version }`: how two manifests can
    /// say the same thing.
    fn normalised(spec: &toml::Value) -> toml::Value {
        let mut table = match spec {
            toml::Value::Table(table) => table.clone(),
            version => toml::Table::from_iter([("version".to_owned(), version.clone())]),
        };
        table.remove("optional");
        toml::Value::Table(table)
    }

    #[test]
    fn files_are_the_runtime_folder() {
        let mut on_disk: Vec<String> = std::fs::read_dir(runtime_dir().join("src/runtime"))
            .expect("runtime/src/runtime")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(embedded, on_disk, "add the new runtime file to `FILES`");
    }

    /// Generated crates have no dev-dependency for the runtime's tests: no emitted file may hold any.
    #[test]
    fn emitted_files_hold_no_tests() {
        for (name, source) in FILES {
            assert!(!source.contains("#[cfg(test)]"), "{name}: runtime tests belong in runtime/src/tests/");
        }
    }

    #[test]
    fn every_line_says_what_the_runtime_manifest_says() {
        let runtime = parse(MANIFEST);
        let lines = dependency_lines(|_| Take::Optional);
        let emitted = parse(&lines);
        let dependencies = runtime["dependencies"].as_table().expect("[dependencies]");
        assert_eq!(emitted.len(), dependencies.len(), "{lines}");
        for (name, spec) in dependencies {
            assert_eq!(normalised(&emitted[name]), normalised(spec), "{name}");
            assert_eq!(emitted[name].get("optional"), spec.get("optional"), "{name}");
        }
        let dev = &runtime["dev-dependencies"]["tokio"];
        let line = dev_dependency_line("tokio").expect("tokio");
        assert_eq!(&parse(&line)["tokio"], dev);
        assert_eq!(dev_dependency_line("absent"), None);
    }

    #[test]
    fn optional_dependencies_are_taken_as_asked() {
        let lines = dependency_lines(|name| if name == "chrono" { Take::Required } else { Take::Not });
        assert!(lines
            .contains("\nchrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n"));
        assert!(
            lines.starts_with("bytes = \"1\"\n") && !lines.contains("uuid") && !lines.contains("wiremock"),
            "{lines}"
        );
        let lines = dependency_lines(|_| Take::Optional);
        assert!(lines.contains("\nwiremock = { version = \"0.6\", optional = true }\n"), "{lines}");
    }

    /// The runtime's tests use wiremock as a dev-dependency; generated crates get the optional
    /// dependency's version, which must be the one the tests ran with.
    #[test]
    fn dev_dependencies_agree_with_dependencies() {
        let runtime = parse(MANIFEST);
        for (name, dev) in runtime["dev-dependencies"].as_table().expect("[dev-dependencies]") {
            if let Some(spec) = runtime["dependencies"].get(name) {
                assert_eq!(normalised(dev)["version"], normalised(spec)["version"], "{name}");
            }
        }
    }

    /// The checked-in crates' manifests list exactly the runtime's dependencies: the multi-API
    /// crate of fixtures needs every optional one (chrono, uuid, wiremock).
    #[test]
    fn checked_in_manifests_match_the_runtime() {
        let runtime = parse(MANIFEST);
        let dependencies = runtime["dependencies"].as_table().expect("[dependencies]");
        let root = runtime_dir().join("..");
        let fixtures = parse(&std::fs::read_to_string(root.join("fixture-clients/Cargo.toml")).expect("manifest"));
        let emitted = fixtures["dependencies"].as_table().expect("[dependencies]");
        let names = |table: &toml::Table| table.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(emitted), names(dependencies));
        let generated = parse(&std::fs::read_to_string(root.join("generated/Cargo.toml")).expect("manifest"));
        for manifest in [&fixtures, &generated] {
            for (name, spec) in manifest["dependencies"].as_table().expect("[dependencies]") {
                assert_eq!(normalised(spec), normalised(&dependencies[name]), "{name}");
            }
        }
    }
}

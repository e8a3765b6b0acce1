//! The project's own specs: each target's `codegen.toml` and the files it lists, generated through
//! [`crate::pipeline`], with the release [`crate::changelog`] plans. Like `pipeline`, an
//! orchestrator: no stage imports it. The product is `specs/` -> `generated/`; the test fixtures
//! that need compiling (to run serde and wire tests against generated code) are
//! `tests/fixtures/clients/` -> `fixture-clients/`.

use crate::diagnostics::Diagnostic;
use crate::options::{ApiOptions, ApiSource, CrateSpec, Layout, Options};
use crate::output::GeneratedCrate;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The command every file generated from `specs/` names in its header.
pub const COMMAND: &str = "cargo xtask codegen";

/// Where the specs live, relative to the workspace root.
pub const SPECS_DIR: &str = "specs";
/// Where the generated crate lives, relative to the workspace root.
pub const GENERATED_DIR: &str = "generated";

/// A generated crate of this workspace: a folder of specs with a `codegen.toml`, and an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// Folder of the specs and their `codegen.toml`, relative to the workspace root.
    pub specs_dir: &'static str,
    /// Folder of the generated crate, relative to the workspace root.
    pub out_dir: &'static str,
    /// Whether the crate gets the usage guide's `examples/usage.rs` (the product does; the
    /// fixtures crate would only collide with it in one target directory).
    pub usage_example: bool,
}

/// The product: the clients other crates depend on.
pub const PRODUCT: Target = Target { specs_dir: SPECS_DIR, out_dir: GENERATED_DIR, usage_example: true };
/// Fixture specs compiled into a crate so tests can run generated code.
pub const FIXTURES: Target =
    Target { specs_dir: "tests/fixtures/clients", out_dir: "fixture-clients", usage_example: false };
/// Every target `cargo xtask codegen` writes and `--check` compares.
pub const TARGETS: [Target; 2] = [PRODUCT, FIXTURES];

/// Names an API module of the multi-API crate cannot have: its `runtime` module, and the
/// `default` and `mock` cargo features.
const MODULES_RESERVED: &[&str] = &["runtime", "default", "mock"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(rename = "crate")]
    krate: CrateConfig,
    #[serde(default)]
    api: Vec<ApiConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateConfig {
    name: String,
    version: String,
    description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiConfig {
    spec: String,
    module: String,
    /// Only operations with one of these tags.
    #[serde(default)]
    tags: Vec<String>,
    /// Only these operations (operationId or method name).
    #[serde(default)]
    operations: Vec<String>,
    /// Strings of every format (`date-time`, `uuid`, `ipv4`, ...) as `String`.
    #[serde(default)]
    formats_as_strings: bool,
    /// No integer format but `int32` read: `uint32`, `int8`, ... as `i64`.
    #[serde(default)]
    plain_integers: bool,
    /// Undeclared properties kept in a map of extras on every struct.
    #[serde(default)]
    keep_unknown: bool,
    /// Overlay files (in `specs/`) with fixes for the vendor's spec, applied in order at load.
    #[serde(default)]
    overlays: Vec<String>,
}

/// Reads `specs/codegen.toml` and every spec it lists.
pub fn load(root: &Path) -> Result<(CrateSpec, Vec<ApiSource>), Vec<Diagnostic>> {
    load_target(root, &PRODUCT)
}

/// Reads a target's `codegen.toml` and every spec it lists. A spec file in the target's folder
/// that the config does not list is an error, so no spec is silently left out.
pub fn load_target(root: &Path, target: &Target) -> Result<(CrateSpec, Vec<ApiSource>), Vec<Diagnostic>> {
    let specs_dir = target.specs_dir;
    let specs = root.join(specs_dir);
    let config_path = specs.join("codegen.toml");
    let config_file = format!("{specs_dir}/codegen.toml");
    let fail = |code, message: String| {
        let mut d = Diagnostic::error(code, "#", message);
        d.file.clone_from(&config_file);
        vec![d]
    };
    let text = std::fs::read_to_string(&config_path).map_err(|e| fail("E0004", format!("cannot read: {e}")))?;
    let config: Config = toml::from_str(&text).map_err(|e| fail("E0005", format!("invalid config: {e}")))?;

    let mut errors = Vec::new();
    // Each module is a `pub mod` beside `runtime` and a cargo feature beside `default` and `mock`.
    let mut modules = crate::naming::Namespace::with_reserved(MODULES_RESERVED);
    for api in &config.api {
        let module = api.module.as_str();
        let problem = if crate::naming::value_name(module) != module {
            Some("is not a snake_case Rust identifier")
        } else if modules.is_reserved(module) {
            Some("is a name the generated crate already uses (`runtime`, `default`, `mock`)")
        } else if modules.contains(module) {
            Some("is listed twice")
        } else {
            None
        };
        match problem {
            Some(problem) => errors.extend(fail("E0005", format!("module `{module}` {problem}: pick another name"))),
            None => {
                modules.claim(module.to_owned(), "_");
            }
        }
    }
    let listed: Vec<&str> = config
        .api
        .iter()
        .flat_map(|a| std::iter::once(a.spec.as_str()).chain(a.overlays.iter().map(String::as_str)))
        .collect();
    for file in spec_files(&specs).map_err(|e| fail("E0004", format!("cannot list {specs_dir}/: {e}")))? {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !listed.contains(&name.as_str()) {
            errors.extend(fail(
                "E0006",
                format!("`{specs_dir}/{name}` is not listed in codegen.toml: add an [[api]] entry for it"),
            ));
        }
    }
    let mut sources = Vec::new();
    for api in &config.api {
        // Diagnostics name files relative to the workspace root, as the headers do.
        let root_prefix = format!("{}/", root.display());
        let relative = |mut d: crate::Diagnostic| {
            d.file = d.file.strip_prefix(&root_prefix).map(str::to_owned).unwrap_or(d.file);
            d
        };
        let loaded = crate::load::load(&specs.join(&api.spec)).map_err(|d| vec![relative(d)]);
        let patched = loaded.and_then(|mut loaded| {
            for overlay in &api.overlays {
                let shown = format!("{specs_dir}/{overlay}");
                crate::overlay::apply_file(&mut loaded.document, &specs.join(overlay), &shown)?;
            }
            Ok(loaded)
        });
        match patched {
            Ok(loaded) => sources.push(ApiSource {
                module: api.module.clone(),
                file: format!("{specs_dir}/{}", api.spec),
                document: loaded.document,
                text: Some(loaded.text),
                load_warnings: loaded.warnings,
                options: ApiOptions {
                    tags: api.tags.clone(),
                    operations: api.operations.clone(),
                    formats_as_strings: api.formats_as_strings,
                    plain_integers: api.plain_integers,
                    keep_unknown: api.keep_unknown,
                },
            }),
            Err(diagnostics) => errors.extend(diagnostics),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let spec = CrateSpec {
        package: config.krate.name,
        version: config.krate.version,
        description: config.krate.description,
        command: COMMAND.to_owned(),
        layout: Layout::Modules,
        usage_example: target.usage_example,
    };
    Ok((spec, sources))
}

/// Loads and generates the project's crate in memory.
pub fn generate(root: &Path, options: &Options) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    generate_target(root, &PRODUCT, options)
}

/// Loads and generates a target's crate in memory.
pub fn generate_target(root: &Path, target: &Target, options: &Options) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    let (spec, sources) = load_target(root, target)?;
    crate::pipeline::generate_crate(&spec, sources, options)
}

fn spec_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads what the last `cargo xtask codegen` left in `generated/`: the spec snapshots and the
/// changelog (see [`crate::changelog`]). Missing ones are simply absent.
pub fn load_previous(root: &Path) -> Result<crate::changelog::Previous, Vec<Diagnostic>> {
    use crate::changelog::{Previous, Snapshot, CHANGELOG_FILE, SNAPSHOT_DIR};
    let generated = root.join(GENERATED_DIR);
    let unreadable = |shown: String, e: std::io::Error| {
        let mut d = Diagnostic::error("E0070", "#", format!("cannot read: {e}"));
        d.file = shown;
        vec![d]
    };
    let changelog = match std::fs::read_to_string(generated.join(CHANGELOG_FILE)) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(unreadable(format!("{GENERATED_DIR}/{CHANGELOG_FILE}"), e)),
    };
    let dir = generated.join(SNAPSHOT_DIR);
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(unreadable(format!("{GENERATED_DIR}/{SNAPSHOT_DIR}"), e)),
    };
    paths.sort();
    let mut snapshots = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let shown = format!("{GENERATED_DIR}/{SNAPSHOT_DIR}/{name}");
        match std::fs::read_to_string(&path) {
            Ok(text) => match Snapshot::parse(&text, &shown) {
                Ok(snapshot) => snapshots.push(snapshot),
                Err(d) => errors.push(d),
            },
            Err(e) => errors.extend(unreadable(shown, e)),
        }
    }
    if errors.is_empty() {
        Ok(Previous { snapshots, changelog })
    } else {
        Err(errors)
    }
}

/// Loads the project's specs, compares them with the last generated state, and generates the
/// crate at the version the changes imply, with its changelog and the new snapshots among the
/// files. Nothing is written: `specs/codegen.toml` takes the new version from
/// [`set_crate_version`], by the caller.
pub fn generate_release(
    root: &Path,
    options: &Options,
) -> Result<(GeneratedCrate, crate::changelog::Release), Vec<Diagnostic>> {
    let (mut spec, sources) = load(root)?;
    let previous = load_previous(root)?;
    let release =
        crate::changelog::plan(&spec, &sources, previous, &format!("{SPECS_DIR}/codegen.toml"), GENERATED_DIR)?;
    spec.version.clone_from(&release.report.next_version);
    let mut generated = crate::pipeline::generate_crate(&spec, sources, options)?;
    generated.files.extend(release.files.iter().cloned());
    generated.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((generated, release))
}

/// `specs/codegen.toml`'s text with the `version` of its `[crate]` table set to `version`,
/// everything else (comments, order) kept; `None` when the table has no `version` line.
pub fn set_crate_version(config: &str, version: &str) -> Option<String> {
    let mut in_crate_table = false;
    let mut replaced = false;
    let mut out = String::with_capacity(config.len());
    for line in config.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_crate_table = trimmed == "[crate]";
        }
        let is_version = trimmed.strip_prefix("version").is_some_and(|rest| rest.trim_start().starts_with('='));
        if in_crate_table && is_version && !replaced {
            let indent = &line[..line.len() - line.trim_start().len()];
            let newline = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("{indent}version = \"{version}\"{newline}"));
            replaced = true;
        } else {
            out.push_str(line);
        }
    }
    replaced.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_version_is_set_in_place() {
        let config = "# c\n[crate]\nname = \"a\"\nversion = \"0.1.0\" # x\n\n[[api]]\nversion = \"9\"\n";
        let updated = set_crate_version(config, "0.2.0").expect("has a version");
        assert_eq!(updated, config.replace("version = \"0.1.0\" # x", "version = \"0.2.0\""));
        assert_eq!(set_crate_version("[crate]\nname = \"a\"\n[x]\nversion = \"1\"\n", "2.0.0"), None);
    }

    #[test]
    fn module_names_must_be_identifiers_not_reserved_and_unique() {
        let root = std::env::temp_dir().join(format!("codegen-modules-{}", std::process::id()));
        let specs = root.join(SPECS_DIR);
        std::fs::create_dir_all(&specs).expect("temp dir");
        std::fs::write(specs.join("a.yaml"), "openapi: 3.0.3\ninfo: {title: A, version: '1'}\npaths: {}\n")
            .expect("spec");
        let apis: String = ["runtime", "mock", "my-api", "type", "a", "a"]
            .iter()
            .map(|m| format!("[[api]]\nspec = \"a.yaml\"\nmodule = \"{m}\"\n"))
            .collect();
        let config = format!("[crate]\nname = \"c\"\nversion = \"0.1.0\"\ndescription = \"d\"\n{apis}");
        std::fs::write(specs.join("codegen.toml"), config).expect("config");
        let errors = load(&root).expect_err("invalid module names");
        std::fs::remove_dir_all(&root).ok();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(errors.iter().all(|e| e.code == "E0005"), "{messages:?}");
        assert_eq!(messages.len(), 5, "{messages:?}");
        for (module, problem) in [
            ("runtime", "already uses"),
            ("mock", "already uses"),
            ("my-api", "snake_case"),
            ("type", "snake_case"),
            ("a", "twice"),
        ] {
            assert!(messages.iter().any(|m| m.contains(&format!("`{module}`")) && m.contains(problem)), "{messages:?}");
        }
    }
}

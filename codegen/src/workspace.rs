//! The project's own specs: `specs/codegen.toml` and the files it lists (part of the load stage).

use crate::diagnostics::Diagnostic;
use crate::emit::Layout;
use crate::pipeline::{ApiOptions, ApiSource, CrateSpec, GeneratedCrate, Options};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The command every file generated from `specs/` names in its header.
pub const COMMAND: &str = "cargo xtask codegen";

/// Where the specs live, relative to the workspace root.
pub const SPECS_DIR: &str = "specs";
/// Where the generated crate lives, relative to the workspace root.
pub const GENERATED_DIR: &str = "generated";

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
    /// `date-time`/`date` as `String`.
    #[serde(default)]
    formats_as_strings: bool,
    /// Overlay files (in `specs/`) with fixes for the vendor's spec, applied in order at load.
    #[serde(default)]
    overlays: Vec<String>,
}

/// Reads `specs/codegen.toml` and every spec it lists. A spec file in `specs/` that the config
/// does not list is an error, so no spec is silently left out.
pub fn load(root: &Path) -> Result<(CrateSpec, Vec<ApiSource>), Vec<Diagnostic>> {
    let specs = root.join(SPECS_DIR);
    let config_path = specs.join("codegen.toml");
    let config_file = format!("{SPECS_DIR}/codegen.toml");
    let fail = |code, message: String| {
        let mut d = Diagnostic::error(code, "#", message);
        d.file.clone_from(&config_file);
        vec![d]
    };
    let text = std::fs::read_to_string(&config_path).map_err(|e| fail("E0004", format!("cannot read: {e}")))?;
    let config: Config = toml::from_str(&text).map_err(|e| fail("E0005", format!("invalid config: {e}")))?;

    let mut errors = Vec::new();
    let listed: Vec<&str> = config
        .api
        .iter()
        .flat_map(|a| std::iter::once(a.spec.as_str()).chain(a.overlays.iter().map(String::as_str)))
        .collect();
    for file in spec_files(&specs).map_err(|e| fail("E0004", format!("cannot list {SPECS_DIR}/: {e}")))? {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !listed.contains(&name.as_str()) {
            errors.extend(fail(
                "E0006",
                format!("`{SPECS_DIR}/{name}` is not listed in codegen.toml: add an [[api]] entry for it"),
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
                let shown = format!("{SPECS_DIR}/{overlay}");
                crate::overlay::apply_file(&mut loaded.document, &specs.join(overlay), &shown)?;
            }
            Ok(loaded)
        });
        match patched {
            Ok(loaded) => sources.push(ApiSource {
                module: api.module.clone(),
                file: format!("{SPECS_DIR}/{}", api.spec),
                document: loaded.document,
                text: Some(loaded.text),
                load_warnings: loaded.warnings,
                options: ApiOptions {
                    tags: api.tags.clone(),
                    operations: api.operations.clone(),
                    formats_as_strings: api.formats_as_strings,
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
    };
    Ok((spec, sources))
}

/// Loads and generates the project's crate in memory.
pub fn generate(root: &Path, options: &Options) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    let (spec, sources) = load(root)?;
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

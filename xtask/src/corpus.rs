//! `cargo xtask corpus`: the generator over every spec in `../shared/corpus/`, each generated crate
//! checked by cargo in one shared target directory, and a table of the results.

use anyhow::{Context, Result};
use codegen::pipeline::{self, Options};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One corpus spec's results.
struct Row {
    spec: String,
    operations: usize,
    types: usize,
    warnings: usize,
    fallbacks: usize,
    generate_ms: f64,
    check: String,
    compiler_warnings: String,
}

/// Loads a spec, letting its `$ref`s read files anywhere in its vendor's folder of the corpus (the
/// folder below the one holding `MANIFEST.md`), not only in its own:
/// `swagger2/petstore-separate/spec/swagger.yaml` refers to `../common/Error.yaml`. A spec outside
/// the corpus is loaded as `--spec` loads it.
pub(crate) fn load_spec(path: &Path) -> Result<codegen::load::Loaded, codegen::Diagnostic> {
    let vendor = path.ancestors().skip(1).find(|a| a.parent().is_some_and(|p| p.join("MANIFEST.md").is_file()));
    match vendor {
        Some(folder) => codegen::load::load_within(path, folder),
        None => codegen::load::load(path),
    }
}

/// Spec entry points listed in the corpus manifest, in its order.
pub(crate) fn manifest_specs(corpus: &Path) -> Result<Vec<String>> {
    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.md")).context("reading the corpus MANIFEST.md")?;
    Ok(manifest
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let path = cells.get(1)?.split_whitespace().next()?;
            let version = cells.get(3)?;
            let is_spec = (path.ends_with(".yaml") || path.ends_with(".json")) && !version.starts_with("overlay");
            is_spec.then(|| path.to_owned())
        })
        .collect())
}

/// Runs the corpus; returns whether every spec generated and (unless `no_check`) checked cleanly.
pub fn run(root: &Path, filter: Option<&str>, max_kb: Option<u64>, no_check: bool) -> Result<bool> {
    let corpus = root.join("../shared/corpus");
    let out_root = root.join("target/corpus");
    let target_dir = root.join("target");
    let mut rows = Vec::new();
    let small_enough = |spec: &String| {
        let kb = std::fs::metadata(corpus.join(spec)).map(|m| m.len() / 1024).unwrap_or(u64::MAX);
        max_kb.is_none_or(|max| kb <= max)
    };
    let specs = manifest_specs(&corpus)?;
    for spec in specs.into_iter().filter(|s| filter.is_none_or(|f| s.contains(f))).filter(small_enough) {
        let slug: String = spec.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let out = out_root.join(&slug);
        eprintln!("corpus: {spec}");
        rows.push(generate_and_check(&corpus.join(&spec), &spec, &slug, &out, &target_dir, no_check));
    }
    println!(
        "| spec | operations | types | warnings | Value fallbacks | generate ms | cargo check | compiler warnings |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.1} | {} | {} |",
            r.spec, r.operations, r.types, r.warnings, r.fallbacks, r.generate_ms, r.check, r.compiler_warnings
        );
    }
    Ok(rows.iter().all(|r| r.check == "ok" || (no_check && r.check == "skipped"))
        && rows.iter().all(|r| r.compiler_warnings == "0" || no_check))
}

fn generate_and_check(path: &Path, spec: &str, slug: &str, out: &Path, target_dir: &PathBuf, no_check: bool) -> Row {
    let mut row = Row {
        spec: spec.to_owned(),
        operations: 0,
        types: 0,
        warnings: 0,
        fallbacks: 0,
        generate_ms: 0.0,
        check: "skipped".into(),
        compiler_warnings: "-".into(),
    };
    let started = Instant::now();
    let generated = load_spec(path).map_err(|d| vec![d]).and_then(|loaded| {
        let (crate_spec, source) =
            pipeline::standalone(spec, loaded.document, Some(&format!("corpus-{slug}")), Default::default());
        codegen::generate_crate(&crate_spec, vec![source], &Options::default())
    });
    row.generate_ms = started.elapsed().as_secs_f64() * 1000.0;
    let generated = match generated {
        Ok(generated) => generated,
        Err(errors) => {
            let first = errors.first().map(|e| format!("{}: {}", e.code, e.message)).unwrap_or_default();
            row.check = format!("generation failed: {}", first.chars().take(90).collect::<String>().replace('|', "/"));
            return row;
        }
    };
    if let Some(report) = generated.reports.first() {
        row.operations = report.operations;
        row.types = report.types;
        row.warnings = report.warnings.len();
    }
    // The generator's own count: schemas it could not express (free-form JSON is not a fallback).
    row.fallbacks = generated.reports.iter().map(|r| r.fallbacks).sum();
    if let Err(e) = codegen::write::write_crate(out, &generated) {
        row.check = format!("write failed: {e}");
        return row;
    }
    if no_check {
        return row;
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--message-format", "short"])
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target_dir)
        .output();
    match output {
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let warnings = stderr
                .lines()
                .filter(|l| l.contains(": warning:") || l.starts_with("warning:"))
                .filter(|l| !l.contains("generated"))
                .count();
            let errors = stderr.lines().filter(|l| l.contains(": error") || l.starts_with("error")).count();
            row.check = if output.status.success() { "ok".into() } else { format!("failed ({errors} errors)") };
            row.compiler_warnings = warnings.to_string();
        }
        Err(e) => row.check = format!("cargo did not run: {e}"),
    }
    row
}

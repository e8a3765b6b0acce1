//! `cargo xtask examples`: every component schema with an `example` in the corpus specs must
//! decode into its generated type and encode back to an equal JSON value.
//!
//! Per spec: the spec is generated without its paths (so every type gets both serde derives and
//! the names of component schemas, claimed first, are unchanged) into `target/examples/<spec>/`,
//! a test file embedding each (type, example) pair is written beside it, and `cargo test` runs it
//! in the shared target directory. The table gives, per spec, the examples checked, those that
//! decode, and those that also round-trip to an equal value.

use anyhow::Result;
use codegen::pipeline::{self, Options};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const SCHEMAS: &str = "#/components/schemas/";

struct Row {
    spec: String,
    checked: usize,
    decoded: usize,
    passed: usize,
    note: String,
    failures: Vec<String>,
}

/// Runs the check; returns whether every example of every spec round-tripped.
pub fn run(root: &Path, filter: Option<&str>, max_kb: Option<u64>, verbose: bool) -> Result<bool> {
    let corpus = root.join("../shared/corpus");
    let small_enough = |spec: &String| {
        let kb = std::fs::metadata(corpus.join(spec)).map(|m| m.len() / 1024).unwrap_or(u64::MAX);
        max_kb.is_none_or(|max| kb <= max)
    };
    let mut rows = Vec::new();
    for spec in crate::corpus::manifest_specs(&corpus)?.into_iter().filter(|s| filter.is_none_or(|f| s.contains(f))) {
        if !small_enough(&spec) {
            continue;
        }
        eprintln!("examples: {spec}");
        rows.push(check_spec(root, &corpus.join(&spec), &spec));
    }
    println!("| spec | examples | decode | round-trip | note |");
    println!("|---|---|---|---|---|");
    for r in &rows {
        println!("| {} | {} | {} | {} | {} |", r.spec, r.checked, r.decoded, r.passed, r.note);
    }
    let (checked, passed): (usize, usize) = rows.iter().fold((0, 0), |(c, p), r| (c + r.checked, p + r.passed));
    println!("\n{passed} of {checked} examples round-trip.");
    if verbose {
        for r in rows.iter().filter(|r| !r.failures.is_empty()) {
            println!("\n{}:", r.spec);
            for failure in &r.failures {
                println!("- {failure}");
            }
        }
    }
    Ok(rows.iter().all(|r| r.passed == r.checked && r.note.is_empty()))
}

fn check_spec(root: &Path, path: &Path, spec: &str) -> Row {
    let mut row =
        Row { spec: spec.to_owned(), checked: 0, decoded: 0, passed: 0, note: String::new(), failures: vec![] };
    let slug: String = spec.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let package = format!("examples-{slug}");
    let loaded = match crate::corpus::load_spec(path) {
        Ok(loaded) => loaded,
        Err(e) => {
            row.note = format!("load failed: {}", e.code);
            return row;
        }
    };
    let mut document = loaded.document;
    if let Some(object) = document.as_object_mut() {
        object.insert("paths".into(), serde_json::json!({}));
        object.remove("webhooks");
    }
    // The examples, from the same model the types are emitted from.
    let examples: Vec<(String, serde_json::Value)> =
        match pipeline::lower_document(spec, document.clone(), &Default::default()) {
            Ok((api, _)) => api
                .types
                .iter()
                .filter(|t| t.pointer.strip_prefix(SCHEMAS).is_some_and(|key| !key.contains('/')))
                .filter_map(|t| Some((t.name.clone(), t.docs.example.clone()?)))
                .collect(),
            Err(e) => {
                row.note = format!("generation failed: {}", e.first().map(|d| d.code).unwrap_or_default());
                return row;
            }
        };
    row.checked = examples.len();
    if examples.is_empty() {
        return row;
    }
    let (crate_spec, source) = pipeline::standalone(spec, document, Some(&package), Default::default());
    let generated = match codegen::generate_crate(&crate_spec, vec![source], &Options::default()) {
        Ok(generated) => generated,
        Err(e) => {
            row.note = format!("generation failed: {}", e.first().map(|d| d.code).unwrap_or_default());
            return row;
        }
    };
    let out = root.join("target/examples").join(&slug);
    let lib = crate_spec.package.replace('-', "_");
    let written = codegen::write::write_crate(&out, &generated).map_err(|d| d.to_string()).and_then(|_| {
        std::fs::create_dir_all(out.join("tests"))
            .and_then(|()| std::fs::write(out.join("tests/examples.rs"), test_file(&lib, &examples)))
            .map_err(|e| e.to_string())
    });
    if let Err(e) = written {
        row.note = format!("write failed: {e}");
        return row;
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--quiet", "--test", "examples", "--", "--nocapture"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            row.note = format!("cargo failed to start: {e}");
            return row;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        if let Some(counts) = line.strip_prefix("EXAMPLES ") {
            let mut numbers = counts.split(' ').filter_map(|n| n.split('=').nth(1)?.parse::<usize>().ok());
            row.decoded = numbers.next().unwrap_or_default();
            row.passed = numbers.next().unwrap_or_default();
        } else if let Some(failure) = line.strip_prefix("FAILED ") {
            row.failures.push(failure.to_owned());
        }
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| l.starts_with("error")).unwrap_or("cargo test failed");
        row.note = first.chars().take(100).collect::<String>().replace('|', "/");
    }
    row
}

/// The test file: one check per example, counted rather than asserted, so one run gives all.
fn test_file(lib: &str, examples: &[(String, serde_json::Value)]) -> String {
    let mut out = String::from(
        "// Written by `cargo xtask examples`: each component schema's example decodes into its type\n\
         // and encodes back to an equal JSON value.\n\n\
         #![allow(clippy::all)]\n\n\
         enum Outcome { DecodeFailed(String), Decoded(serde_json::Value), NoSerialize }\n\n\
         struct Encoder<'a, T>(&'a T);\n\
         trait Encode { fn encode(&self) -> Outcome; }\n\
         impl<T: serde::Serialize> Encode for &Encoder<'_, T> {\n    \
             fn encode(&self) -> Outcome {\n        \
                 match serde_json::to_value(self.0) {\n            \
                     Ok(v) => Outcome::Decoded(v),\n            \
                     Err(e) => Outcome::DecodeFailed(format!(\"encode: {e}\")),\n        \
                 }\n    \
             }\n\
         }\n\
         trait NoEncode { fn encode(&self) -> Outcome; }\n\
         impl<T> NoEncode for Encoder<'_, T> { fn encode(&self) -> Outcome { Outcome::NoSerialize } }\n\n\
         macro_rules! check {\n    \
             ($ty:ty, $name:expr, $json:expr, $results:expr) => {{\n        \
                 let original: serde_json::Value = serde_json::from_str($json).unwrap();\n        \
                 let outcome = match serde_json::from_value::<$ty>(original.clone()) {\n            \
                     Err(e) => Outcome::DecodeFailed(e.to_string()),\n            \
                     Ok(decoded) => (&&Encoder(&decoded)).encode(),\n        \
                 };\n        \
                 $results.push(($name, original, outcome));\n    \
             }};\n\
         }\n\n\
         #[test]\n\
         fn examples_round_trip() {\n    \
             let mut results = Vec::new();\n",
    );
    for (name, example) in examples {
        let json = serde_json::to_string(example).unwrap_or_default();
        let _ = writeln!(out, "    check!({lib}::types::{name}, {name:?}, {json:?}, results);");
    }
    out.push_str(
        "    let (mut decoded, mut passed) = (0, 0);\n    \
             for (name, original, outcome) in &results {\n        \
                 match outcome {\n            \
                     Outcome::DecodeFailed(e) => println!(\"FAILED {name}: does not decode: {e}\"),\n            \
                     Outcome::NoSerialize => { decoded += 1; println!(\"FAILED {name}: decodes, but has no Serialize\") }\n            \
                     Outcome::Decoded(v) if v == original => { decoded += 1; passed += 1 }\n            \
                     Outcome::Decoded(v) => { decoded += 1; println!(\"FAILED {name}: round trip differs: {original} -> {v}\") }\n        \
                 }\n    \
             }\n    \
             println!(\"EXAMPLES decoded={decoded} passed={passed}\");\n\
         }\n",
    );
    out
}

//! `--compile`: `cargo check` of generated crates, cold with dependencies, the crate on its own
//! (incremental and not), one tag feature on its own; `cargo progenitor`'s crate beside them.

use super::{cargo, generate, num_cpus, slug, BenchArgs};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Specs `--compile` checks when none is named.
const DEFAULT_COMPILE_SPECS: &[&str] = &["oxide/nexus.json", "github/api.github.com-2021-10-10.json"];

/// One `cargo check` measurement.
struct CheckRow {
    spec: String,
    what: String,
    result: Result<(f64, Option<f64>), String>,
}

/// `cargo xtask bench --compile`.
pub(super) fn compile(root: &Path, args: &BenchArgs) -> Result<ExitCode> {
    let corpus = root.join("../shared/corpus");
    let specs: Vec<String> = if args.specs.is_empty() {
        DEFAULT_COMPILE_SPECS.iter().map(|s| (*s).to_owned()).collect()
    } else {
        args.specs.clone()
    };
    let time_bin = Path::new("/usr/bin/time");
    let time_bin = time_bin.exists().then_some(time_bin);
    if time_bin.is_none() {
        eprintln!("bench: /usr/bin/time is absent: no peak RSS");
    }
    let mut rows = Vec::new();
    let mut sizes = Vec::new();
    let mut ok = true;
    for spec in &specs {
        let path = if Path::new(spec).is_file() { PathBuf::from(spec) } else { corpus.join(spec) };
        let spec_slug = slug(spec);
        let dir = root.join("target/bench").join(&spec_slug);
        let target = root.join("target/bench-cold").join(&spec_slug);
        eprintln!("bench: generating {spec} into {}", dir.display());
        let generated = match generate(&path, spec) {
            Ok(generated) => generated,
            Err(errors) => {
                let code = errors.first().map_or("?", |d| d.code);
                rows.push(CheckRow {
                    spec: spec.clone(),
                    what: "generate".into(),
                    result: Err(format!("failed ({code})")),
                });
                ok = false;
                continue;
            }
        };
        let lines: usize = generated.files.iter().map(|f| f.contents.lines().count()).sum();
        codegen::write::write_crate(&dir, &generated).with_context(|| format!("writing {}", dir.display()))?;
        let features = tag_features(&dir.join("Cargo.toml"))?;
        sizes.push(format!("{spec}: {lines} lines generated, {} tag features", features.len()));

        let mut check = |key: &str, what: String, extra: &[&str], touch: bool| -> Result<bool> {
            let result =
                crate_check(&CrateCheck { root, spec, dir: &dir, target: &target, time_bin }, key, extra, touch)?;
            let good = result.is_ok();
            rows.push(CheckRow { spec: spec.clone(), what, result });
            Ok(good)
        };
        fetch(&dir, &target, spec);
        ok &= check("cold", "cold, with dependencies".into(), &[], false)?;
        ok &= check("alone", "crate on its own".into(), &[], true)?;
        ok &= check("alone-incremental", "crate on its own, incremental (touched)".into(), &[], true)?;
        let one = args.feature.clone().or_else(|| features.first().cloned());
        match one {
            Some(feature) if features.contains(&feature) => {
                ok &= check(
                    "one-tag",
                    format!("crate on its own, one tag (`{feature}`)"),
                    &["--no-default-features", "--features", &feature],
                    true,
                )?;
            }
            Some(feature) => bail!("{spec}: the generated Cargo.toml has no feature `{feature}`"),
            None => rows.push(CheckRow {
                spec: spec.clone(),
                what: "one tag".into(),
                result: Err("no per-tag features in the generated Cargo.toml".into()),
            }),
        }
        if !args.no_progenitor {
            progenitor_checks(root, spec, &path, time_bin, &mut rows)?;
        }
    }

    println!("`cargo check` of generated crates (debug, {} cores):\n", num_cpus());
    println!("| spec | what | seconds | peak RSS MB |");
    println!("|---|---|---|---|");
    for r in &rows {
        match &r.result {
            Ok((secs, rss)) => {
                let rss = rss.map_or("-".to_owned(), |mb| format!("{mb:.0}"));
                println!("| {} | {} | {secs:.1} | {rss} |", r.spec, r.what);
            }
            Err(e) => println!("| {} | {} | {e} | - |", r.spec, r.what),
        }
    }
    println!();
    for size in sizes {
        println!("- {size}");
    }
    if time_bin.is_some() {
        println!("- peak RSS is that of the largest single process of the cargo tree (`/usr/bin/time -f %M`)");
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Where one generated crate is checked.
struct CrateCheck<'a> {
    root: &'a Path,
    spec: &'a str,
    dir: &'a Path,
    target: &'a Path,
    time_bin: Option<&'a Path>,
}

/// One timed `cargo check` of a crate: `key` names its log and says how (`cold`: as it is;
/// `alone`: the crate's file touched, not incremental; `alone-incremental`: touched, after an
/// untimed incremental check so the cache is warm, as when editing next to it).
fn crate_check(
    c: &CrateCheck<'_>,
    key: &str,
    extra: &[&str],
    touch: bool,
) -> Result<Result<(f64, Option<f64>), String>> {
    let incremental = key.ends_with("incremental");
    let log = c.root.join("target/bench").join(format!("{}-{key}.log", slug(c.spec)));
    if incremental {
        let _ = timed_check(c.dir, c.target, extra, true, None, &log);
    }
    if touch {
        touch_file(&c.dir.join("src/lib.rs"))?;
    }
    eprintln!("bench: {}: {key}", c.spec);
    Ok(timed_check(c.dir, c.target, extra, incremental, c.time_bin, &log))
}

/// Resolves and downloads a crate's dependencies, untimed: cold means compiling, not the network.
fn fetch(dir: &Path, target: &Path, spec: &str) {
    let _ = std::fs::remove_dir_all(target);
    let fetched = Command::new(cargo())
        .arg("fetch")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .is_ok_and(|s| s.success());
    if !fetched {
        eprintln!("bench: `cargo fetch` failed for {spec}; timing anyway");
    }
}

/// The same checks of `cargo progenitor`'s crate for `spec`, when it is installed and can
/// generate one.
fn progenitor_checks(
    root: &Path,
    spec: &str,
    path: &Path,
    time_bin: Option<&Path>,
    rows: &mut Vec<CheckRow>,
) -> Result<()> {
    let what = |w: &str| format!("progenitor's crate: {w}");
    let installed =
        Command::new(cargo()).args(["progenitor", "--help"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !installed.is_ok_and(|s| s.success()) {
        return Ok(());
    }
    let slug = format!("{}-progenitor", slug(spec));
    let dir = root.join("target/bench").join(&slug);
    let target = root.join("target/bench-cold").join(&slug);
    let _ = std::fs::remove_dir_all(&dir);
    let generated = Command::new(cargo())
        .arg("progenitor")
        .arg("-i")
        .arg(path)
        .arg("-o")
        .arg(&dir)
        .args(["-n", "progenitor-bench", "-v", "0.1.0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !generated {
        rows.push(CheckRow { spec: spec.to_owned(), what: what("generate"), result: Err("panicked".into()) });
        return Ok(());
    }
    // Its crate is a package of its own; keep it out of any enclosing workspace, as ours is.
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text).with_context(|| format!("writing {}", manifest.display()))?;
    }
    fetch(&dir, &target, spec);
    let c = CrateCheck { root, spec: &slug, dir: &dir, target: &target, time_bin };
    for (key, label, touch) in [
        ("cold", "cold, with dependencies", false),
        ("alone", "crate on its own", true),
        ("alone-incremental", "crate on its own, incremental (touched)", true),
    ] {
        let result = crate_check(&c, key, &[], touch)?;
        rows.push(CheckRow { spec: spec.to_owned(), what: what(label), result });
    }
    Ok(())
}

/// Sets a file's modification time to now, so cargo rebuilds the crate.
fn touch_file(path: &Path) -> Result<()> {
    let file =
        std::fs::File::options().append(true).open(path).with_context(|| format!("opening {}", path.display()))?;
    file.set_modified(std::time::SystemTime::now()).with_context(|| format!("touching {}", path.display()))
}

/// Feature names of the generated crate other than `default`, in the order of its `[features]` table.
fn tag_features(cargo_toml: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(cargo_toml).with_context(|| format!("reading {}", cargo_toml.display()))?;
    let mut in_features = false;
    let mut features = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features {
            continue;
        }
        if let Some((name, _)) = line.split_once('=') {
            let name = name.trim().trim_matches('"');
            if !name.is_empty() && name != "default" && !name.starts_with('#') {
                features.push(name.to_owned());
            }
        }
    }
    Ok(features)
}

/// Times `cargo check EXTRA` in `dir`; returns seconds and, with `/usr/bin/time`, peak RSS in MB.
fn timed_check(
    dir: &Path,
    target: &Path,
    extra: &[&str],
    incremental: bool,
    time_bin: Option<&Path>,
    log: &Path,
) -> Result<(f64, Option<f64>), String> {
    let rss_file = log.with_extension("rss");
    let mut command = match time_bin {
        Some(time) => {
            let mut c = Command::new(time);
            c.args(["-f", "%M", "-o"]).arg(&rss_file).arg(cargo());
            c
        }
        None => Command::new(cargo()),
    };
    command.args(["check", "--message-format", "short"]).args(extra);
    // Incremental (cargo's default for a path crate) reuses the last check's work for a touched
    // but unchanged file; not incremental redoes it all.
    let incremental = if incremental { "1" } else { "0" };
    command.current_dir(dir).env("CARGO_TARGET_DIR", target).env("CARGO_INCREMENTAL", incremental).stdin(Stdio::null());
    let started = Instant::now();
    let output = command.output().map_err(|e| format!("cargo did not run: {e}"))?;
    let secs = started.elapsed().as_secs_f64();
    let _ = std::fs::write(log, &output.stderr);
    if !output.status.success() {
        return Err(format!("failed (see {})", log.display()));
    }
    let rss = time_bin
        .and_then(|_| std::fs::read_to_string(&rss_file).ok())
        .and_then(|s| s.lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    Ok((secs, rss))
}

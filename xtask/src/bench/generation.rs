//! Generation time per corpus spec against its parse floor, stage by stage, peak memory in a child
//! process, and `cargo progenitor` on the same specs when it is installed.

use super::scaling::write_synthetic;
use super::{cargo, generate, ms, slug, stats, time_runs, BenchArgs, Stats};
use crate::corpus::manifest_specs;
use anyhow::{bail, Context, Result};
use codegen::format::PartedFile;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Runs of each command line, ours and `cargo progenitor`, per spec: ours takes a few milliseconds on
/// the small specs, where process start and disk dominate, so a median of three swings by 2x.
const PROGENITOR_RUNS: usize = 9;

/// The parse floor: the spec text deserialized into `openapiv3::OpenAPI`. Documents it cannot
/// read as such (Swagger 2.0, some 3.1) fall back to an untyped value; the flag says so.
fn floor(text: &str) -> (bool, Result<(), String>) {
    if text.trim_start().starts_with('{') {
        if serde_json::from_str::<openapiv3::OpenAPI>(text).is_ok() {
            return (true, Ok(()));
        }
        (false, serde_json::from_str::<serde_json::Value>(text).map(drop).map_err(|e| e.to_string()))
    } else {
        if serde_yaml::from_str::<openapiv3::OpenAPI>(text).is_ok() {
            return (true, Ok(()));
        }
        (false, serde_yaml::from_str::<serde_yaml::Value>(text).map(drop).map_err(|e| e.to_string()))
    }
}

/// One spec's generation figures.
struct GenRow {
    spec: String,
    path: PathBuf,
    kb: f64,
    version: String,
    operations: usize,
    schemas: usize,
    types: usize,
    generate: Result<Stats, String>,
    floor: Stats,
    floor_typed: bool,
    peak_mb: Option<f64>,
    stages: Option<StageTimes>,
}

/// Medians per stage, in milliseconds.
#[derive(Default)]
struct StageTimes {
    load: f64,
    normalise: f64,
    parse: f64,
    lower: f64,
    features: f64,
    emit: f64,
    format: f64,
    /// Emit and format as the pipeline does them: parts spread over the cores.
    parallel: f64,
}

pub(super) fn generation(root: &Path, args: &BenchArgs) -> Result<ExitCode> {
    let (dir, specs) = if args.scaling {
        let dir = root.join("target/bench/scaling");
        (dir.clone(), write_synthetic(&dir)?)
    } else if !args.specs.is_empty() {
        // Absolute, or relative to the corpus when it holds the file, else to the working folder.
        let corpus = root.join("../shared/corpus");
        let resolve = |s: &String| {
            let path = if corpus.join(s).is_file() { corpus.join(s) } else { PathBuf::from(s) };
            std::path::absolute(&path).unwrap_or(path).display().to_string()
        };
        (PathBuf::from("/"), args.specs.iter().map(resolve).collect())
    } else {
        let corpus = root.join("../shared/corpus");
        let specs = manifest_specs(&corpus)?;
        (corpus, specs)
    };
    let specs: Vec<String> =
        specs.into_iter().filter(|s| args.filter.as_deref().is_none_or(|f| s.contains(f))).collect();
    if specs.is_empty() {
        bail!("no spec matches");
    }
    let mut rows = Vec::new();
    for spec in &specs {
        eprintln!("bench: {spec}");
        rows.push(bench_spec(&dir.join(spec), spec, args)?);
    }

    println!("Generation ({} runs after a warm-up; release build; ms):\n", args.runs);
    println!(
        "| spec | KB | operations | schemas | types | generate ms (median) | min | max | floor ms | ratio | peak MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let floor = format!("{:.1}{}", r.floor.median, if r.floor_typed { "" } else { "*" });
        let peak = r.peak_mb.map_or("-".to_owned(), |mb| format!("{mb:.0}"));
        match &r.generate {
            Ok(g) => println!(
                "| {} | {:.0} | {} | {} | {} | {:.1} | {:.1} | {:.1} | {floor} | {:.1} | {peak} |",
                r.spec,
                r.kb,
                r.operations,
                r.schemas,
                r.types,
                g.median,
                g.min,
                g.max,
                g.median / r.floor.median.max(0.001),
            ),
            Err(e) => {
                println!("| {} | {:.0} | - | {} | - | {e} | - | - | {floor} | - | {peak} |", r.spec, r.kb, r.schemas)
            }
        }
    }
    if rows.iter().any(|r| !r.floor_typed) {
        println!("\n\\* not readable as `openapiv3::OpenAPI` (Swagger 2.0 or 3.1): the floor is an untyped parse.");
    }

    if args.stages {
        println!(
            "\nStages (median ms; load = read + parse text + bundle; tag features = which types each tag gates; emit = types + client \
             and format on one thread, to profile; emit + format = both as generation does them, over {} threads; other = \
             generation minus the stages that it runs):\n",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
        println!(
            "| spec | load | normalise | parse | lower | tag features | emit | format | emit + format | other | µs per KB | \
             µs per operation + type |"
        );
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for r in &rows {
            let (Some(s), Ok(g)) = (&r.stages, &r.generate) else { continue };
            let sum = s.load + s.normalise + s.parse + s.lower + s.features + s.parallel;
            println!(
                "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} |",
                r.spec,
                s.load,
                s.normalise,
                s.parse,
                s.lower,
                s.features,
                s.emit,
                s.format,
                s.parallel,
                (g.median - sum).max(0.0),
                g.median * 1000.0 / r.kb.max(1.0),
                g.median * 1000.0 / (r.operations + r.types).max(1) as f64,
            );
        }
    }

    if !args.no_progenitor && !args.scaling {
        progenitor(root, &rows)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_spec(path: &Path, spec: &str, args: &BenchArgs) -> Result<GenRow> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (floor_stats, (floor_typed, parsed)) = time_runs(args.runs, || floor(&text));
    if let Err(e) = parsed {
        eprintln!("bench: {spec}: the floor parse failed: {e}");
    }
    let document = codegen::load::parse_text(&text).ok();
    let version = document
        .as_ref()
        .and_then(|d| d.get("openapi").or_else(|| d.get("swagger")))
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        .unwrap_or_default();
    let schemas = document
        .as_ref()
        .and_then(|d| d.pointer("/components/schemas").or_else(|| d.get("definitions")))
        .and_then(|s| s.as_object())
        .map_or(0, |s| s.len());
    let (generate_stats, generated) = time_runs(args.runs, || generate(path, spec));
    let mut row = GenRow {
        spec: spec.to_owned(),
        path: path.to_owned(),
        kb: text.len() as f64 / 1024.0,
        version,
        operations: 0,
        schemas,
        types: 0,
        generate: Ok(generate_stats),
        floor: floor_stats,
        floor_typed,
        peak_mb: peak_in_child(path, spec),
        stages: None,
    };
    match generated {
        Ok(generated) => {
            if let Some(report) = generated.reports.first() {
                row.operations = report.operations;
                row.types = report.types;
            }
            if args.stages {
                row.stages = stage_times(path, args.runs);
            }
        }
        Err(errors) => {
            let code = errors.first().map_or("?", |d| d.code);
            row.generate = Err(format!("failed ({code})"));
        }
    }
    Ok(row)
}

/// Medians of each stage, run one after the other as the pipeline does.
fn stage_times(path: &Path, runs: usize) -> Option<StageTimes> {
    let mut samples: [Vec<f64>; 8] = Default::default();
    for run in 0..=runs {
        let mut lap = Instant::now();
        let mut next = |i: usize| {
            if run > 0 {
                samples[i].push(ms(lap.elapsed()));
            }
            lap = Instant::now();
        };
        let loaded = crate::corpus::load_spec(path).ok()?;
        next(0);
        let mut document = loaded.document;
        codegen::normalise::normalise(&mut document).ok()?;
        next(1);
        let spec = codegen::parse::parse(&document).ok()?;
        next(2);
        let lowered = codegen::lower::lower(&spec, &Default::default());
        next(3);
        let features = codegen::emit::TagFeatures::of(&lowered.api);
        next(4);
        let types = codegen::emit::types_module_gated(&lowered.api, &features);
        let client = codegen::emit::client_module_gated(&lowered.api, &features);
        next(5);
        let formatted =
            codegen::format::rust_file("//", types, "types").and(codegen::format::rust_file("//", client, "client"));
        next(6);
        formatted.ok()?;
        let parted = [
            PartedFile {
                header: "//".into(),
                parts: codegen::emit::types_parts(&lowered.api, &features),
                what: "types",
            },
            PartedFile {
                header: "//".into(),
                parts: codegen::emit::client_parts(&lowered.api, &features),
                what: "client",
            },
        ];
        let formatted = codegen::format::rust_files(&parted);
        next(7);
        formatted.ok()?;
    }
    let [load, normalise, parse, lower, features, emit, format, parallel] = samples.map(|s| stats(s).median);
    Some(StageTimes { load, normalise, parse, lower, features, emit, format, parallel })
}

/// Peak RSS of generating `path` once, in a fresh process so that specs do not share a high-water mark.
fn peak_in_child(path: &Path, spec: &str) -> Option<f64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe).arg("bench-peak").arg(path).arg(spec).stderr(Stdio::null()).output().ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let kb: f64 = stdout.trim().strip_suffix(" kB")?.trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// The hidden `bench-peak` subcommand: generates one spec and prints the process's peak RSS.
pub fn peak(path: &Path, display: &str) -> Result<ExitCode> {
    let generated = generate(path, display);
    let status = std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .context("no VmHWM in /proc/self/status")?
        .trim()
        .to_owned();
    println!("{hwm}");
    Ok(if generated.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `cargo progenitor`, when installed, on the 3.0 JSON specs, against our own command line.
fn progenitor(root: &Path, rows: &[GenRow]) -> Result<()> {
    let installed = Command::new(cargo())
        .args(["progenitor", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        println!("\n`cargo progenitor` is not installed (`cargo install cargo-progenitor`): no comparison.");
        return Ok(());
    }
    let exe = std::env::current_exe()?;
    let out = root.join("target/bench/progenitor");
    let mut lines = Vec::new();
    for r in rows.iter().filter(|r| r.spec.ends_with(".json") && r.version.starts_with("3.0")) {
        let Ok(ours) = &r.generate else { continue };
        eprintln!("bench: progenitor {}", r.spec);
        let name = format!("bench-{}", slug(&r.spec));
        let their_dir = out.join(format!("theirs-{}", slug(&r.spec)));
        let our_dir = out.join(format!("ours-{}", slug(&r.spec)));
        let theirs = time_process(|| {
            let mut c = Command::new(cargo());
            c.arg("progenitor").arg("-i").arg(&r.path).arg("-o").arg(&their_dir);
            c.args(["-n", &name, "-v", "0.1.0"]);
            (c, their_dir.clone())
        });
        let our_cli = time_process(|| {
            let mut c = Command::new(&exe);
            c.arg("codegen").arg("--spec").arg(&r.path).arg("--out").arg(&our_dir).args(["--name", &name]);
            (c, our_dir.clone())
        });
        let (theirs_cell, ratio) = match (&theirs, &our_cli) {
            (Ok(t), Ok(o)) => (format!("{t:.1}"), format!("{:.1}x", t / o)),
            (Err(e), _) => (e.clone(), "-".to_owned()),
            (Ok(t), Err(e)) => (format!("{t:.1}"), format!("ours {e}")),
        };
        let our_cell = our_cli.as_ref().map_or_else(Clone::clone, |o| format!("{o:.1}"));
        lines.push(format!("| {} | {:.1} | {our_cell} | {theirs_cell} | {ratio} |", r.spec, ours.median));
    }
    println!(
        "\nAgainst progenitor (median of {PROGENITOR_RUNS} runs of each command line, writing a crate; \
         ratio = progenitor / ours):\n"
    );
    println!("| spec | ours in memory ms | ours command line ms | cargo progenitor ms | ratio |");
    println!("|---|---|---|---|---|");
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// Median wall-clock of a command run [`PROGENITOR_RUNS`] times, each into an emptied directory;
/// `Err` says how it failed ("panicked" or "failed (exit N)").
fn time_process(make: impl Fn() -> (Command, PathBuf)) -> Result<f64, String> {
    let mut samples = Vec::new();
    for _ in 0..PROGENITOR_RUNS {
        let (mut command, out) = make();
        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        let output = command.stdin(Stdio::null()).output().map_err(|e| format!("did not run: {e}"))?;
        let elapsed = ms(started.elapsed());
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(if stderr.contains("panicked") {
                "panicked".to_owned()
            } else {
                format!("failed (exit {})", output.status.code().unwrap_or(-1))
            });
        }
        samples.push(elapsed);
    }
    Ok(stats(samples).median)
}

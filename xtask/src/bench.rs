//! `cargo xtask bench`: how fast the generator is on the corpus, and how fast its crates compile.
//!
//! The default mode times the whole in-memory generation (load, normalise, parse, lower, emit,
//! format; nothing written) of every corpus spec against the spec's parse floor (deserializing its
//! text into `openapiv3::OpenAPI`), measures peak memory in a child process per spec, and, when
//! `cargo progenitor` is on PATH, runs it on the same specs. `--compile` measures `cargo check` of
//! generated crates: cold with dependencies, the crate on its own, and one tag on its own.
//!
//! Figures are wall-clock on whatever else the machine is doing: run it on a quiet machine, and
//! read differences under about 10% as noise.

use crate::corpus::manifest_specs;
use anyhow::{bail, Context, Result};
use codegen::format::PartedFile;
use codegen::pipeline::{self, GeneratedCrate, Options};
use codegen::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Specs `--compile` checks when none is named.
const DEFAULT_COMPILE_SPECS: &[&str] = &["oxide/nexus.json", "github/api.github.com-2021-10-10.json"];

/// Runs of each command line, ours and `cargo progenitor`, per spec: ours takes a few milliseconds on
/// the small specs, where process start and disk dominate, so a median of three swings by 2x.
const PROGENITOR_RUNS: usize = 9;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Timed runs per spec, after one warm-up run.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Only specs whose path contains this.
    #[arg(long)]
    filter: Option<String>,
    /// Also print the median time of each stage per spec.
    #[arg(long)]
    stages: bool,
    /// Skip `cargo progenitor` even when it is installed.
    #[arg(long)]
    no_progenitor: bool,
    /// Instead of the corpus, synthetic specs of 250 to 4,000 schemas (and as many operations),
    /// to show how the cost grows with size.
    #[arg(long, conflicts_with = "compile")]
    scaling: bool,
    /// Measure `cargo check` of generated crates instead of generation.
    #[arg(long)]
    compile: bool,
    /// A corpus spec (path under ../shared/corpus) or any spec file (repeatable). Generation:
    /// instead of the corpus. `--compile`: default oxide/nexus.json and GitHub 2021-10-10.
    #[arg(long = "spec")]
    specs: Vec<String>,
    /// With `--compile`: the tag feature checked on its own (default: the first in Cargo.toml).
    #[arg(long, requires = "compile")]
    feature: Option<String>,
    /// Measure even in a debug build (normally the command re-runs itself as a release build).
    #[arg(long, hide = true)]
    allow_debug: bool,
}

/// `cargo xtask bench`.
pub fn run(root: &Path, args: &BenchArgs) -> Result<ExitCode> {
    if cfg!(debug_assertions) && !args.allow_debug {
        // Timing an unoptimised generator measures the wrong thing.
        return crate::rerun_as_release(root, "--allow-debug");
    }
    if args.compile {
        compile(root, args)
    } else {
        generation(root, args)
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn slug(spec: &str) -> String {
    spec.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, min and max in milliseconds.
#[derive(Clone, Copy, Default)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

fn stats(mut samples: Vec<f64>) -> Stats {
    if samples.is_empty() {
        return Stats::default();
    }
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    let median = if n % 2 == 1 { samples[n / 2] } else { (samples[n / 2 - 1] + samples[n / 2]) / 2.0 };
    Stats { median, min: samples[0], max: samples[n - 1] }
}

/// Times `f` once for warm-up, then `runs` times.
fn time_runs<T>(runs: usize, mut f: impl FnMut() -> T) -> (Stats, T) {
    let mut last = f();
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        last = f();
        samples.push(ms(started.elapsed()));
    }
    (stats(samples), last)
}

/// The whole generation of `path` in memory, as `cargo xtask codegen --spec` does it.
fn generate(path: &Path, display: &str) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    let loaded = crate::corpus::load_spec(path).map_err(|d| vec![d])?;
    let (crate_spec, mut source) =
        pipeline::standalone(display, loaded.document, Some(&format!("bench-{}", slug(display))), Default::default());
    source.text = Some(loaded.text);
    source.load_warnings = loaded.warnings;
    codegen::generate_crate(&crate_spec, vec![source], &Options::default())
}

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

fn generation(root: &Path, args: &BenchArgs) -> Result<ExitCode> {
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

/// The `--scaling` specs: reference shape and schema counts. Tree-shaped references (each schema
/// reaches its subtree) are what most specs look like; dense ones (every schema reaches nearly
/// every other, as in specs of expandable objects) stop at 1,000 because their cost is quadratic.
const SCALING: &[(Shape, &[usize])] =
    &[(Shape::Tree, &[250, 500, 1000, 2000, 4000]), (Shape::Dense, &[250, 500, 1000])];

#[derive(Clone, Copy)]
enum Shape {
    Tree,
    Dense,
}

/// Writes the `--scaling` specs into `dir`; returns their file names.
fn write_synthetic(dir: &Path) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut names = Vec::new();
    for &(shape, sizes) in SCALING {
        for &n in sizes {
            let kind = match shape {
                Shape::Tree => "tree",
                Shape::Dense => "dense",
            };
            let name = format!("synthetic-{kind}-{n:04}.json");
            let text = serde_json::to_string_pretty(&synthetic(n, shape))?;
            std::fs::write(dir.join(&name), text).with_context(|| format!("writing {name}"))?;
            names.push(name);
        }
    }
    Ok(names)
}

/// A 3.0 spec with `n` schemas that refer to each other (fields, arrays, an inline object that
/// becomes a named type, an enum) and `n` operations over 20 tags; every fourth path has no
/// operationId, so there are warnings with pointers and lines to find, as in vendor specs.
fn synthetic(n: usize, shape: Shape) -> serde_json::Value {
    use serde_json::json;
    let model = |i: usize| json!({ "$ref": format!("#/components/schemas/Model{}", i % n) });
    // Tree: schema i refers to 2i+1, 2i+2 and 4i+3 when they exist. Dense: to pseudo-random others.
    let link = |tree: usize, dense: usize| match shape {
        Shape::Tree if tree < n => model(tree),
        Shape::Tree => json!({ "type": "string" }),
        Shape::Dense => model(dense),
    };
    let schemas: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            let schema = json!({
                "type": "object",
                "description": format!("Model number {i}."),
                "required": ["id", "name"],
                "properties": {
                    "id": { "type": "integer", "format": "int64" },
                    "name": { "type": "string" },
                    "created_at": { "type": "string", "format": "date-time" },
                    "status": { "type": "string", "enum": ["active", "inactive", "deleted"] },
                    "first": link(2 * i + 1, 7 * i + 1),
                    "others": { "type": "array", "items": link(2 * i + 2, 13 * i + 5) },
                    "meta": {
                        "type": "object",
                        "properties": { "note": { "type": "string" }, "owner": link(4 * i + 3, i + 3) },
                    },
                    "labels": { "type": "array", "items": { "type": "string" } },
                },
            });
            (format!("Model{i}"), schema)
        })
        .collect();
    let mut paths = serde_json::Map::new();
    for j in 0..n / 2 {
        let tag = format!("tag{}", j % 20);
        let mut get = json!({
            "tags": [tag],
            "summary": format!("Get thing {j}."),
            "parameters": [
                { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "limit", "in": "query", "schema": { "type": "integer" } },
            ],
            "responses": {
                "200": { "description": "ok", "content": { "application/json": { "schema": model(j * 2) } } },
                "404": { "description": "not found" },
            },
        });
        if j % 4 != 0 {
            get["operationId"] = json!(format!("getThing{j}"));
        }
        let post = json!({
            "operationId": format!("createThing{j}"),
            "tags": [tag],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": model(j * 2 + 1) } } },
            "responses": { "201": { "description": "created", "content": { "application/json": { "schema": model(j * 2 + 1) } } } },
        });
        paths.insert(format!("/things{j}/{{id}}"), json!({ "get": get, "post": post }));
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": format!("Synthetic {n}"), "version": "1.0.0" },
        "servers": [{ "url": "https://example.com" }],
        "paths": paths,
        "components": { "schemas": schemas },
    })
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

/// One `cargo check` measurement.
struct CheckRow {
    spec: String,
    what: String,
    result: Result<(f64, Option<f64>), String>,
}

/// `cargo xtask bench --compile`.
fn compile(root: &Path, args: &BenchArgs) -> Result<ExitCode> {
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

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
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

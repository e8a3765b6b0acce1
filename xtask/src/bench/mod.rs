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
//!
//! [`generation`] times generation (and, with `--scaling`, the synthetic specs of [`scaling`]);
//! [`compile`] times `cargo check` of generated crates.

mod compile;
mod generation;
mod scaling;

use anyhow::Result;
use codegen::pipeline::{self, GeneratedCrate, Options};
use codegen::Diagnostic;
use compile::compile;
use generation::generation;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub use generation::peak;

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

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

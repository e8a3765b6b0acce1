//! `cargo xtask`: the project's maintenance commands.

mod bench;
mod corpus;
mod diff;
mod directory;
mod examples;
mod fuzz;
mod mutate;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use codegen::pipeline::{ApiOptions, GeneratedCrate, Options};
use codegen::{workspace, Diagnostic};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintenance commands for the OpenAPI client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/` from `specs/`, or one crate from any spec with `--spec` and `--out`.
    Codegen(CodegenArgs),
    /// Generate every spec in ../shared/corpus/, `cargo check` each crate, and print a table.
    Corpus {
        /// Only specs whose path contains this.
        #[arg(long)]
        filter: Option<String>,
        /// Only specs whose entry file is at most this many KB.
        #[arg(long, conflicts_with = "directory")]
        max_kb: Option<u64>,
        /// Generate only; skip `cargo check`.
        #[arg(long)]
        no_check: bool,
        #[command(flatten)]
        directory: directory::DirectoryArgs,
    },
    /// Check that every component schema's `example` in ../shared/corpus/ decodes into its generated
    /// type and encodes back to an equal value; print per-spec counts.
    Examples {
        /// Only specs whose path contains this.
        #[arg(long)]
        filter: Option<String>,
        /// Only specs whose entry file is at most this many KB.
        #[arg(long)]
        max_kb: Option<u64>,
        /// List every example that fails.
        #[arg(long)]
        verbose: bool,
    },
    /// Mutate the project's and the corpus's specs, generate each mutant in a child process with a
    /// timeout, check a sample of the crates with clippy, and print a table (`target/fuzz/report.md`).
    Fuzz(fuzz::FuzzArgs),
    /// Time generation over the corpus against its parse floor (and progenitor, when installed);
    /// with `--compile`, time `cargo check` of generated crates.
    Bench(bench::BenchArgs),
    /// Generate one spec in memory and print one JSON line (used by `corpus --directory`).
    #[command(hide = true)]
    DirectoryOne {
        #[arg(long)]
        spec: PathBuf,
    },
    /// Generate specs into one crate, a module each (used by `corpus --directory`).
    #[command(hide = true)]
    DirectoryBatch {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        name: String,
        /// `MODULE=SPEC`
        members: Vec<String>,
    },
    /// Generate one spec and print the process's peak RSS (used by `bench`).
    #[command(hide = true)]
    BenchPeak { spec: PathBuf, display: String },
    /// What a spec change means for users of the generated crate: breaking / compatible changes
    /// and the semver bump, for two spec files or for `specs/` against a git revision.
    Diff(diff::DiffArgs),
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// Write nothing; fail, naming each stale file with a diff, when the output would change.
    #[arg(long)]
    check: bool,
    /// Generate a standalone crate from this spec instead of the project's specs.
    #[arg(long, requires = "out")]
    spec: Option<PathBuf>,
    /// Directory of the standalone crate (with `--spec`).
    #[arg(long, requires = "spec")]
    out: Option<PathBuf>,
    /// Package name of the standalone crate (default: from the spec's title).
    #[arg(long, requires = "spec")]
    name: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// With `--spec`: only operations with this tag (repeatable).
    #[arg(long = "tag", requires = "spec")]
    tags: Vec<String>,
    /// With `--spec`: only this operation, by operationId or method name (repeatable).
    #[arg(long = "operation", requires = "spec")]
    operations: Vec<String>,
    /// With `--spec`: an OpenAPI Overlay with fixes, applied at load (repeatable, in order).
    #[arg(long = "overlay", requires = "spec")]
    overlays: Vec<PathBuf>,
    /// With `--spec`: keep strings of every format (`date-time`, `date`, `uuid`, `ipv4`, `ipv6`,
    /// `ip`) as `String`.
    #[arg(long, requires = "spec")]
    formats_as_strings: bool,
    /// With `--spec`: read no integer format but `int32`: `uint32`, `uint64`, `int8`, ... stay
    /// `i64` instead of `u32`, `u64`, `i8`, ...
    #[arg(long, requires = "spec")]
    plain_integers: bool,
    /// With `--spec`: keep the properties a struct does not declare in a map of extras
    /// (`additional_properties`), so decoded values encode back losslessly.
    #[arg(long = "keep-unknown-properties", requires = "spec")]
    keep_unknown: bool,
    /// With `--spec`: `$ref`s may read files anywhere under this folder (default: only the spec's
    /// own folder and below), e.g. `..` for a spec that refers to `../common/*.yaml`.
    #[arg(long, requires = "spec")]
    ref_root: Option<PathBuf>,
    /// With `--out`: also overwrite files in the folder that this generator did not write (no
    /// `@generated` header of its own, or another command's). Symbolic links and protected folders
    /// are still refused, and such files are never deleted.
    #[arg(long, requires = "out")]
    force: bool,
    /// Diff lines shown per stale file with `--check`.
    #[arg(long, default_value_t = 40)]
    diff_lines: usize,
}

// The generator allocates millions of small token trees; glibc's malloc spent a third of
// GitHub's generation time in allocation and freeing (perf), mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (the sys crate does not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // A generation frees and reallocates its token trees part after part; by default mimalloc
    // hands freed pages back to the OS after 10 ms and faults them in again (zeroed) moments
    // later, a tenth of GitHub's generation time. This process is short-lived: keep them.
    // SAFETY: sets one of mimalloc's options; any value is valid, -1 means "never purge".
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen_command(&args),
        Command::Corpus { filter, no_check, mut directory, .. } if directory.directory => {
            directory.filter = filter;
            directory.no_check = no_check;
            directory::run(&workspace_root(), &directory)
        }
        Command::DirectoryOne { spec } => Ok(directory::generate_one(&spec)),
        Command::DirectoryBatch { out, name, members } => directory::generate_batch(&out, &name, &members),
        Command::Corpus { filter, max_kb, no_check, .. } => {
            corpus::run(&workspace_root(), filter.as_deref(), max_kb, no_check).map(|ok| {
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            })
        }
        Command::Examples { filter, max_kb, verbose } => {
            examples::run(&workspace_root(), filter.as_deref(), max_kb, verbose).map(|ok| {
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            })
        }
        Command::Fuzz(args) => fuzz::run(&workspace_root(), &args),
        Command::Bench(args) => bench::run(&workspace_root(), &args),
        Command::BenchPeak { spec, display } => bench::peak(&spec, &display),
        Command::Diff(args) => diff::run(&workspace_root(), &args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs this same command line again as a release build (commands that time the generator, or
/// run it thousands of times), with `flag` added so the release build does not recurse.
fn rerun_as_release(root: &Path, flag: &str) -> Result<ExitCode> {
    eprintln!("debug build; re-running with `cargo run --release -p xtask`");
    let forwarded: Vec<String> = std::env::args().skip(1).collect();
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--release", "--quiet", "-p", "xtask", "--"])
        .args(&forwarded)
        .arg(flag)
        .current_dir(root)
        .status()
        .context("running the release build of xtask")?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn codegen_command(args: &CodegenArgs) -> Result<ExitCode> {
    let options = Options { strict: args.strict };
    if let (Some(spec), Some(out)) = (&args.spec, &args.out) {
        let shown = out.display().to_string();
        return codegen_one(args, standalone(spec, args, &options), out, &shown, || Ok(()));
    }
    let root = workspace_root();
    let mut code = ExitCode::SUCCESS;
    for target in workspace::TARGETS {
        if !root.join(target.specs_dir).join("codegen.toml").exists() {
            continue;
        }
        let target_code = if target == workspace::PRODUCT {
            diff::codegen_product(args, &root, &options)?
        } else {
            let generated = workspace::generate_target(&root, &target, &options);
            codegen_one(args, generated, &root.join(target.out_dir), target.out_dir, || Ok(()))?
        };
        if target_code != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

/// Reports, then writes or checks, one generated crate; `shown` names its folder in messages.
/// When writing, `before_write` runs once every refusal of the writer is checked and before the
/// first file is written (the project's version bump).
fn codegen_one(
    args: &CodegenArgs,
    generated: Result<GeneratedCrate, Vec<Diagnostic>>,
    out_dir: &Path,
    shown: &str,
    before_write: impl FnOnce() -> Result<()>,
) -> Result<ExitCode> {
    let started = Instant::now();
    let generated = match generated {
        Ok(generated) => generated,
        Err(errors) => {
            print_diagnostics(&errors);
            bail!("generation failed with {} error(s)", errors.len());
        }
    };
    for report in &generated.reports {
        print_diagnostics(&report.warnings);
        eprintln!(
            "{}: {} operations, {} types, {} warnings, {} fallbacks to serde_json::Value, {:.1} ms ({})",
            report.module,
            report.operations,
            report.types,
            report.warnings.len(),
            report.fallbacks,
            report.elapsed.as_secs_f64() * 1000.0,
            report.file,
        );
    }
    if args.check {
        let drifts = codegen::write::check_crate(out_dir, &generated, args.diff_lines)
            .with_context(|| format!("reading {}", out_dir.display()))?;
        if drifts.is_empty() {
            eprintln!(
                "{shown} is up to date ({} files, {:.0} ms)",
                generated.files.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
            return Ok(ExitCode::SUCCESS);
        }
        for drift in &drifts {
            eprintln!("stale: {shown}/{drift}");
        }
        eprintln!(
            "{} of {} files in {shown} are stale: run `cargo xtask codegen` and commit the result",
            drifts.len(),
            generated.files.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    // Never `/`, the home folder or this workspace's root (nor, for `--spec`, the project's own
    // generated crates); only files of our own are replaced.
    let root = workspace_root();
    let mut protected = vec![root.clone()];
    if args.spec.is_some() {
        protected.extend(workspace::TARGETS.iter().map(|target| root.join(target.out_dir)));
    }
    let write_options = codegen::write::WriteOptions { force: args.force, protected };
    let plan = match codegen::write::plan(out_dir, &generated, &write_options) {
        Ok(plan) => plan,
        Err(refused) => {
            print_diagnostics(&[refused]);
            bail!("nothing written to {shown}");
        }
    };
    before_write()?;
    let written = match plan.apply() {
        Ok(written) => written,
        Err(failed) => {
            print_diagnostics(&[failed]);
            bail!("writing {shown} failed part way: the files written are complete, the others unchanged");
        }
    };
    eprintln!(
        "{shown}: {} files, {} changed, {:.0} ms",
        generated.files.len(),
        written.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}

fn standalone(spec: &Path, args: &CodegenArgs, options: &Options) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    let loaded = match &args.ref_root {
        Some(folder) => codegen::load::load_within(spec, folder),
        None => codegen::load::load(spec),
    };
    let mut loaded = loaded.map_err(|d| vec![d])?;
    for overlay in &args.overlays {
        codegen::overlay::apply_file(&mut loaded.document, overlay, &overlay.display().to_string())?;
    }
    let api_options = ApiOptions {
        tags: args.tags.clone(),
        operations: args.operations.clone(),
        formats_as_strings: args.formats_as_strings,
        plain_integers: args.plain_integers,
        keep_unknown: args.keep_unknown,
    };
    let (crate_spec, mut source) =
        codegen::pipeline::standalone(&loaded.file, loaded.document, args.name.as_deref(), api_options);
    source.text = Some(loaded.text);
    source.load_warnings = loaded.warnings;
    codegen::generate_crate(&crate_spec, vec![source], options)
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

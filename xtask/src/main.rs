//! `cargo xtask`: the project's maintenance commands.

mod corpus;

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
        #[arg(long)]
        max_kb: Option<u64>,
        /// Generate only; skip `cargo check`.
        #[arg(long)]
        no_check: bool,
    },
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
    /// With `--spec`: keep `date-time` and `date` as `String`.
    #[arg(long, requires = "spec")]
    formats_as_strings: bool,
    /// Diff lines shown per stale file with `--check`.
    #[arg(long, default_value_t = 40)]
    diff_lines: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen_command(&args),
        Command::Corpus { filter, max_kb, no_check } => {
            corpus::run(&workspace_root(), filter.as_deref(), max_kb, no_check).map(|ok| {
                if ok {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn codegen_command(args: &CodegenArgs) -> Result<ExitCode> {
    let options = Options { strict: args.strict };
    let started = Instant::now();
    let (generated, out_dir) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => (standalone(spec, args, &options), out.clone()),
        _ => {
            let root = workspace_root();
            (workspace::generate(&root, &options), root.join(workspace::GENERATED_DIR))
        }
    };
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
            "{}: {} operations, {} types, {} warnings, {:.1} ms ({})",
            report.module,
            report.operations,
            report.types,
            report.warnings.len(),
            report.elapsed.as_secs_f64() * 1000.0,
            report.file,
        );
    }
    if args.check {
        let drifts = codegen::write::check_crate(&out_dir, &generated, args.diff_lines)
            .with_context(|| format!("reading {}", out_dir.display()))?;
        if drifts.is_empty() {
            eprintln!(
                "{} is up to date ({} files, {:.0} ms)",
                out_dir.display(),
                generated.files.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
            return Ok(ExitCode::SUCCESS);
        }
        let shown_dir =
            if args.spec.is_some() { out_dir.display().to_string() } else { workspace::GENERATED_DIR.to_owned() };
        for drift in &drifts {
            eprintln!("stale: {shown_dir}/{drift}");
        }
        eprintln!(
            "{} of {} generated files are stale: run `cargo xtask codegen` and commit the result",
            drifts.len(),
            generated.files.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    let written =
        codegen::write::write_crate(&out_dir, &generated).with_context(|| format!("writing {}", out_dir.display()))?;
    eprintln!(
        "{}: {} files, {} changed, {:.0} ms",
        out_dir.display(),
        generated.files.len(),
        written.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}

fn standalone(spec: &Path, args: &CodegenArgs, options: &Options) -> Result<GeneratedCrate, Vec<Diagnostic>> {
    let mut loaded = codegen::load::load(spec).map_err(|d| vec![d])?;
    for overlay in &args.overlays {
        codegen::overlay::apply_file(&mut loaded.document, overlay, &overlay.display().to_string())?;
    }
    let api_options = ApiOptions {
        tags: args.tags.clone(),
        operations: args.operations.clone(),
        formats_as_strings: args.formats_as_strings,
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

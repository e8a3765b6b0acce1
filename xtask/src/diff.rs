//! `cargo xtask diff`: what a spec change means for users of the generated crate; and the release
//! step of `cargo xtask codegen` (version bump, changelog, the report under `--check` failures).

use anyhow::{bail, Context, Result};
use codegen::changelog::Release;
use codegen::diff::{self, Report};
use codegen::pipeline::{ApiOptions, Options};
use codegen::{workspace, Diagnostic};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The version a standalone crate starts at (`cargo xtask codegen --spec`).
const STANDALONE_VERSION: &str = "0.1.0";

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old spec file.
    #[arg(required_unless_present = "base", requires = "new")]
    old: Option<PathBuf>,
    /// The new spec file.
    new: Option<PathBuf>,
    /// Compare every spec of `specs/codegen.toml` at this git revision with the working tree.
    #[arg(long, conflicts_with_all = ["old", "new"])]
    base: Option<String>,
    /// Print the report as JSON, for tools.
    #[arg(long)]
    json: bool,
    /// The crate version the bump applies to (default: 0.1.0 for two files; with `--base`, the
    /// version in `specs/codegen.toml` at that revision).
    #[arg(long)]
    crate_version: Option<String>,
}

/// Prints the report on stdout. Fails only when a spec cannot be loaded or lowered.
pub fn run(root: &Path, args: &DiffArgs) -> Result<ExitCode> {
    let version = args.crate_version.as_deref();
    let report = match (&args.base, &args.old, &args.new) {
        (Some(base), _, _) => base_report(root, base, version)?,
        (None, Some(old), Some(new)) => files_report(old, new, version.unwrap_or(STANDALONE_VERSION))?,
        _ => bail!("give two spec files, or `--base <git revision>`"),
    };
    let Some(report) = report else { return Ok(ExitCode::FAILURE) };
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Two spec files, each generated as a standalone crate (so with tag features).
fn files_report(old: &Path, new: &Path, version: &str) -> Result<Option<Report>> {
    let (Some((old_file, old_api)), Some((new_file, new_api))) = (lowered(old), lowered(new)) else {
        return Ok(None);
    };
    let changes = diff::compare(&old_api, &new_api, &diff::Context::files(&old_file, &new_file));
    Ok(Some(Report::new(changes, version)?))
}

/// Loads (bundling other files; no overlays) and lowers one spec; prints its errors.
fn lowered(path: &Path) -> Option<(String, codegen::ir::Api)> {
    let result = codegen::load::load(path)
        .map_err(|d| vec![d])
        .and_then(|loaded| codegen::lower_document(&loaded.file, loaded.document, &ApiOptions::default()));
    match result {
        Ok((api, _warnings)) => Some((path.display().to_string(), api)),
        Err(errors) => {
            crate::print_diagnostics(&errors);
            None
        }
    }
}

/// The project's specs at `base` against the working tree.
fn base_report(root: &Path, base: &str, version: Option<&str>) -> Result<Option<Report>> {
    let checkout = SpecsAtRevision::create(root, base)?;
    let (old_spec, mut old_sources) = match workspace::load(&checkout.dir) {
        Ok(loaded) => loaded,
        Err(errors) => return Ok(print_errors(&errors)),
    };
    for source in &mut old_sources {
        source.file = format!("{base}:{}", source.file);
    }
    let new_sources = match workspace::load(root) {
        Ok((_, sources)) => sources,
        Err(errors) => return Ok(print_errors(&errors)),
    };
    match diff::compare_sources(&old_sources, &new_sources) {
        Ok(changes) => Ok(Some(Report::new(changes, version.unwrap_or(&old_spec.version))?)),
        Err(errors) => Ok(print_errors(&errors)),
    }
}

fn print_errors(errors: &[Diagnostic]) -> Option<Report> {
    crate::print_diagnostics(errors);
    None
}

/// `specs/` as it was at a git revision, in a temporary directory removed on drop.
struct SpecsAtRevision {
    dir: PathBuf,
}

impl SpecsAtRevision {
    fn create(root: &Path, revision: &str) -> Result<Self> {
        if revision.starts_with('-') || revision.contains(':') {
            bail!("`{revision}` is not a git revision");
        }
        let dir = std::env::temp_dir().join(format!("xtask-diff-{}", std::process::id()));
        // A leftover of an earlier run with the same process id would add files to `specs/`.
        let _ = std::fs::remove_dir_all(&dir);
        let checkout = Self { dir };
        let listing = git(root, &["ls-tree", "-r", "-z", "--name-only", revision, "--", workspace::SPECS_DIR])?;
        let files: Vec<&[u8]> = listing.split(|&b| b == 0).filter(|name| !name.is_empty()).collect();
        if files.is_empty() {
            bail!("no `{}/` at git revision `{revision}`", workspace::SPECS_DIR);
        }
        for name in files {
            let name = String::from_utf8_lossy(name);
            let contents = git(root, &["show", &format!("{revision}:./{name}")])?;
            let path = checkout.dir.join(name.as_ref());
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(checkout)
    }
}

impl Drop for SpecsAtRevision {
    fn drop(&mut self) {
        // Best effort: a leftover directory in the system's temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs git in `root`, returning its stdout.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git").arg("-C").arg(root).args(args).output().context("running git")?;
    if !output.status.success() {
        bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout)
}

/// `cargo xtask codegen` for the project's crate: generates it at the version its spec changes
/// imply; writes (or, with `--check`, compares) it with its changelog and spec snapshots.
///
/// The order of the writes is what makes a version bump impossible to lose. The snapshots in
/// `generated/specs/` record "these specs are released"; a run compares the specs with them and
/// bumps `specs/codegen.toml`'s version by what changed. So:
///
/// 1. every refusal of the writer is checked first (nothing written yet);
/// 2. the bumped version is written into `specs/codegen.toml`;
/// 3. then `generated/` (code, changelog, new snapshots), each file atomically;
/// 4. last, the snapshots of removed modules are deleted.
///
/// Stopped after 2 or 3, `generated/` still holds the old snapshots (or some of the new files):
/// `--check` fails (the output differs at the version now in the config), and the next run sees the
/// same spec changes again and bumps once more from the already bumped version: at worst one bump
/// too many, never one missing. Written the other way round (as before), a stop between 3 and 2 left
/// new snapshots beside the old version: the next run saw no change and generated the old version,
/// shipping the API change without a bump.
pub fn codegen_product(args: &crate::CodegenArgs, root: &Path, options: &Options) -> Result<ExitCode> {
    let (generated, release) = match workspace::generate_release(root, options) {
        Ok((generated, release)) => (Ok(generated), Some(release)),
        Err(errors) => (Err(errors), None),
    };
    let out_dir = root.join(workspace::GENERATED_DIR);
    let bump = || release.as_ref().map_or(Ok(()), |release| bump_version(root, release));
    let code = crate::codegen_one(args, generated, &out_dir, workspace::GENERATED_DIR, bump)?;
    let Some(release) = release else { return Ok(code) };
    if args.check {
        if code != ExitCode::SUCCESS {
            print_check_report(&release);
        }
    } else {
        finish_release(root, &release)?;
    }
    Ok(code)
}

/// Under a failed `--check`: what the spec changes mean, so CI shows more than bytes.
fn print_check_report(release: &Release) {
    if release.report.changes.is_empty() {
        eprintln!("\nThe specs did not change since the last `cargo xtask codegen`: the generator or a hand edit did.");
        return;
    }
    eprintln!("\nWhat the spec changes mean for users of the generated crate:\n\n{}", release.report);
}

/// Before writing `generated/`: the report, and the new version into `specs/codegen.toml`.
fn bump_version(root: &Path, release: &Release) -> Result<()> {
    let report = &release.report;
    if report.changes.is_empty() {
        return Ok(());
    }
    eprintln!("\n{report}");
    if report.next_version != report.version {
        let config = root.join(workspace::SPECS_DIR).join("codegen.toml");
        let text = std::fs::read_to_string(&config).with_context(|| format!("reading {}", config.display()))?;
        let Some(updated) = workspace::set_crate_version(&text, &report.next_version) else {
            bail!("{} has no `version` in its [crate] table", config.display());
        };
        codegen::write::replace_file(&config, &updated)?;
        eprintln!(
            "{}: version {} -> {}; {}/{} has the entry",
            config.display(),
            report.version,
            report.next_version,
            workspace::GENERATED_DIR,
            codegen::changelog::CHANGELOG_FILE
        );
    }
    Ok(())
}

/// After writing `generated/`: gone modules' snapshots deleted.
fn finish_release(root: &Path, release: &Release) -> Result<()> {
    let generated = root.join(workspace::GENERATED_DIR);
    for stale in &release.stale_snapshots {
        codegen::write::remove_generated(&generated, stale)?;
    }
    if release.first {
        eprintln!("recorded the specs' state in {}/: later spec changes are reported", workspace::GENERATED_DIR);
    }
    Ok(())
}

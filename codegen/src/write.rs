//! Stage 7: the generated crate onto disk, or compared with what is there (`--check`).
//!
//! The folder written to may hold anything (`--out` is any folder), so writing keeps to these
//! rules; each refusal is a coded error, found before anything is written ([`plan`]):
//!
//! - never into the root of the file system, the home folder, or a folder the caller protects
//!   (xtask: the workspace root) (E0081);
//! - never over, and never deleting, a file that does not start with this generator's own header
//!   for the same kind of generation ([`crate::format::header_kind`]: other tools' `@generated`
//!   files are not ours, and a standalone `--spec` crate never replaces the project's crate), nor
//!   over a folder; [`WriteOptions::force`] allows overwriting such a file, never deleting one
//!   (E0082);
//! - never through a symbolic link: a link at a file to write, at a folder on the way to it, or
//!   anywhere in `src/` and `examples/` (where stale generated files are looked for) is refused,
//!   so nothing outside the folder is written or deleted (E0083); a generated path is always
//!   relative, without `..` (E0084);
//! - each file is written to a new temporary file beside it (`.NAME.PID.N.tmp`) and renamed over
//!   the old one, so a kill at any moment leaves the old file or the new one, never a truncated
//!   one; a hard link to the old file keeps the old text (I/O errors: E0085).

use crate::diagnostics::Diagnostic;
use crate::output::{CrateFile, GeneratedCrate};
use similar::TextDiff;
use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How one file differs from what the specs produce now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Path relative to the crate root.
    pub path: String,
    /// What is wrong.
    pub kind: DriftKind,
}

/// The kind of a [`Drift`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftKind {
    /// The file should exist and does not.
    Missing,
    /// The file differs; a unified diff, trimmed to a readable length.
    Changed(String),
    /// A generated file that the specs no longer produce.
    Stale,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            DriftKind::Missing => write!(f, "{}: missing", self.path),
            DriftKind::Stale => write!(f, "{}: generated earlier but no longer produced", self.path),
            DriftKind::Changed(diff) => write!(f, "{}: differs\n{diff}", self.path),
        }
    }
}

/// How [`write_crate_with`] may treat the folder.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Overwrite files that exist without this generator's header, or with the header of another
    /// kind of generation (`--force`). Links, protected folders and folders in the way are
    /// refused all the same, and only generated files of the same kind are ever deleted.
    pub force: bool,
    /// Folders that must not be the crate's folder, besides the file system's root and the home
    /// folder (xtask: the workspace root).
    pub protected: Vec<PathBuf>,
}

/// What [`write_crate_with`] will do, every refusal already checked: [`WritePlan::apply`] does it.
#[derive(Debug)]
pub struct WritePlan<'a> {
    /// The crate's folder, links resolved.
    dir: PathBuf,
    /// Files that are missing or differ.
    writes: Vec<&'a CrateFile>,
    /// Generated files the output no longer holds, relative to `dir`.
    stale: Vec<String>,
}

/// Writes every file under `dir` (only where the bytes change) and deletes stale generated files,
/// by the rules in the module docs, without `--force`. Returns the paths written and deleted.
pub fn write_crate(dir: &Path, generated: &GeneratedCrate) -> Result<Vec<String>, Diagnostic> {
    write_crate_with(dir, generated, &WriteOptions::default())
}

/// [`write_crate`] with options.
pub fn write_crate_with(
    dir: &Path,
    generated: &GeneratedCrate,
    options: &WriteOptions,
) -> Result<Vec<String>, Diagnostic> {
    plan(dir, generated, options)?.apply()
}

/// Checks everything [`write_crate_with`] would refuse, writing nothing.
pub fn plan<'a>(
    dir: &Path,
    generated: &'a GeneratedCrate,
    options: &WriteOptions,
) -> Result<WritePlan<'a>, Diagnostic> {
    let resolved = resolve(dir)?;
    guard(dir, &resolved, &options.protected)?;
    match fs::symlink_metadata(&resolved) {
        Ok(meta) if !meta.is_dir() => return Err(error("E0082", dir, "is not a folder")),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_error(dir, "cannot inspect", &e)),
    }
    // The kind of generation writing now, from its files' headers: only files of the same kind
    // are replaced or deleted.
    let kind = generated.files.iter().find_map(|f| kind_of(f.contents.as_bytes()));
    let kind = kind.as_deref();
    let mut writes = Vec::new();
    for file in &generated.files {
        let relative = relative(dir, &file.path)?;
        let path = resolved.join(relative);
        match inspect(&resolved, relative)? {
            None => writes.push(file),
            Some(meta) if !meta.is_file() => {
                return Err(error("E0082", &path, "is in the way of a generated file and is not a file"))
            }
            Some(_) => {
                let current = fs::read(&path).map_err(|e| io_error(&path, "cannot read", &e))?;
                if current == file.contents.as_bytes() {
                    continue;
                }
                let found = kind_of(&current);
                if !options.force && (found.is_none() || found.as_deref() != kind) {
                    let by = match found {
                        Some(other) => format!("was generated by `{other}`, not by this command"),
                        None => "was not written by this generator (its first line is not our `@generated` \
                                 header)"
                            .to_owned(),
                    };
                    return Err(error(
                        "E0082",
                        &path,
                        format!("{by}: it would be overwritten. Move it away, pick another folder, or pass `--force`"),
                    ));
                }
                writes.push(file);
            }
        }
    }
    let found = walk(&resolved, generated, kind).map_err(|e| io_error(dir, "cannot list", &e))?;
    if let Some(link) = found.links.first() {
        return Err(error("E0083", &resolved.join(link), "is a symbolic link: refusing to write through it"));
    }
    Ok(WritePlan { dir: resolved, writes, stale: found.stale })
}

impl WritePlan<'_> {
    /// Writes and deletes; returns the paths written and deleted, relative to the crate.
    pub fn apply(self) -> Result<Vec<String>, Diagnostic> {
        let mut written = Vec::new();
        for file in self.writes {
            let relative = Path::new(&file.path);
            // Again just before writing: a link made since the plan is refused all the same.
            inspect(&self.dir, relative)?;
            let path = self.dir.join(relative);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| io_error(parent, "cannot create", &e))?;
            }
            write_atomic(&path, file.contents.as_bytes()).map_err(|e| io_error(&path, "cannot write", &e))?;
            written.push(file.path.clone());
        }
        for stale in self.stale {
            remove_generated(&self.dir, &stale)?;
            written.push(stale);
        }
        Ok(written)
    }
}

/// Deletes the generated file `relative` under `dir`: only a file with this generator's header,
/// never through a link. A missing file is no error.
pub fn remove_generated(dir: &Path, relative: &str) -> Result<(), Diagnostic> {
    let relative_path = self::relative(dir, relative)?;
    let path = dir.join(relative_path);
    let Some(meta) = inspect(dir, relative_path)? else { return Ok(()) };
    let current =
        if meta.is_file() { fs::read(&path).map_err(|e| io_error(&path, "cannot read", &e))? } else { Vec::new() };
    if !is_ours(&current) {
        return Err(error("E0082", &path, "was not written by this generator: refusing to delete it"));
    }
    fs::remove_file(&path).map_err(|e| io_error(&path, "cannot delete", &e))
}

/// Replaces the file at `path` with `contents` through a temporary file and a rename (for
/// `specs/codegen.toml`'s version bump). A link at `path` is refused (E0083).
pub fn replace_file(path: &Path, contents: &str) -> Result<(), Diagnostic> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(error("E0083", path, "is a symbolic link: refusing to write through it"))
        }
        _ => write_atomic(path, contents.as_bytes()).map_err(|e| io_error(path, "cannot write", &e)),
    }
}

/// Compares `dir` with `generated` without writing anything.
pub fn check_crate(dir: &Path, generated: &GeneratedCrate, max_diff_lines: usize) -> io::Result<Vec<Drift>> {
    let mut drifts = Vec::new();
    for file in &generated.files {
        match std::fs::read_to_string(dir.join(&file.path)) {
            Ok(current) if current == file.contents => {}
            Ok(current) => drifts.push(Drift {
                path: file.path.clone(),
                kind: DriftKind::Changed(diff(&current, &file.contents, max_diff_lines)),
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                drifts.push(Drift { path: file.path.clone(), kind: DriftKind::Missing })
            }
            Err(e) => return Err(e),
        }
    }
    // Links are not followed, so a link in `src/` points at nothing this compares.
    let kind = generated.files.iter().find_map(|f| kind_of(f.contents.as_bytes()));
    drifts.extend(
        walk(dir, generated, kind.as_deref())?.stale.into_iter().map(|path| Drift { path, kind: DriftKind::Stale }),
    );
    Ok(drifts)
}

/// A unified diff from `old` (on disk) to `new` (what the specs produce), at most `max_lines` long.
pub fn diff(old: &str, new: &str, max_lines: usize) -> String {
    let text =
        TextDiff::from_lines(old, new).unified_diff().context_radius(2).header("on disk", "from specs").to_string();
    let total = text.lines().count();
    if total <= max_lines {
        return text;
    }
    let mut out: String = text.lines().take(max_lines).flat_map(|l| [l, "\n"]).collect();
    out.push_str(&format!("... {} more diff lines\n", total - max_lines));
    out
}

/// What the walk of `src/` and `examples/` found.
struct Found {
    /// Generated files (by their header) that the current output does not contain.
    stale: Vec<String>,
    /// Symbolic links, never followed.
    links: Vec<String>,
}

/// Walks `dir/src` and `dir/examples` without following links; files of our own of `kind`
/// ([`kind_of`]) that `generated` does not hold are stale.
fn walk(dir: &Path, generated: &GeneratedCrate, kind: Option<&str>) -> io::Result<Found> {
    let produced: BTreeSet<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    let mut found = Found { stale: Vec::new(), links: Vec::new() };
    let shown = |path: &Path| path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let mut pending = Vec::new();
    for root in ["src", "examples"].map(|r| dir.join(r)) {
        match fs::symlink_metadata(&root) {
            Ok(meta) if meta.file_type().is_symlink() => found.links.push(shown(&root)),
            Ok(meta) if meta.is_dir() => pending.push(root),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current)? {
            let entry = entry?;
            let path: PathBuf = entry.path();
            let file_type = entry.file_type()?;
            if file_type.is_symlink() {
                found.links.push(shown(&path));
            } else if file_type.is_dir() {
                pending.push(path);
            } else if file_type.is_file() {
                let relative = shown(&path);
                let same_kind =
                    || fs::read(&path).is_ok_and(|text| kind.is_some() && kind_of(&text).as_deref() == kind);
                if !produced.contains(relative.as_str()) && same_kind() {
                    found.stale.push(relative);
                }
            }
        }
    }
    found.stale.sort();
    found.links.sort();
    Ok(found)
}

/// The kind of generation ([`crate::format::header_kind`]) that wrote a file, from its header
/// (a spec snapshot's on its second line, after `{`); `None` for a file that is not ours.
fn kind_of(contents: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(contents).ok()?;
    let mut lines = text.lines();
    let line = match lines.next()? {
        "{" => lines.next()?,
        first => first,
    };
    crate::format::header_kind(line).map(str::to_owned)
}

fn is_ours(contents: &[u8]) -> bool {
    kind_of(contents).is_some()
}

/// `dir` made absolute, links in the part that exists resolved, `..` in the rest taken lexically.
fn resolve(dir: &Path) -> Result<PathBuf, Diagnostic> {
    let absolute = std::path::absolute(dir).map_err(|e| io_error(dir, "cannot resolve", &e))?;
    let components: Vec<Component<'_>> = absolute.components().collect();
    for split in (1..=components.len()).rev() {
        let head: PathBuf = components[..split].iter().collect();
        if let Ok(mut resolved) = head.canonicalize() {
            for component in &components[split..] {
                match component {
                    Component::ParentDir => {
                        resolved.pop();
                    }
                    Component::Normal(name) => resolved.push(name),
                    _ => {}
                }
            }
            return Ok(resolved);
        }
    }
    Ok(absolute)
}

/// Refuses the root of the file system, the home folder and `protected` as the crate's folder.
fn guard(dir: &Path, resolved: &Path, protected: &[PathBuf]) -> Result<(), Diagnostic> {
    let refuse = |what: String| {
        Err(error("E0081", dir, format!("is {what}: refusing to write a crate into it; give it a folder of its own")))
    };
    if resolved.parent().is_none() {
        return refuse("the root of the file system".to_owned());
    }
    let same = |other: &Path| resolve(other).is_ok_and(|other| other == resolved);
    let home = ["HOME", "USERPROFILE"].into_iter().filter_map(std::env::var_os).filter(|h| !h.is_empty());
    if home.map(PathBuf::from).any(|h| same(&h)) {
        return refuse("the home folder".to_owned());
    }
    if let Some(folder) = protected.iter().find(|p| same(p)) {
        return refuse(format!(
            "a protected folder ({})",
            crate::sanitise::comment_text(&folder.display().to_string())
        ));
    }
    Ok(())
}

/// A generated file's path as a plain relative path: no root, no `..` (E0084).
fn relative<'a>(dir: &Path, file: &'a str) -> Result<&'a Path, Diagnostic> {
    let path = Path::new(file);
    if !file.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path)
    } else {
        Err(error("E0084", &dir.join(path), format!("internal: the generated path `{file}` leaves the crate's folder")))
    }
}

/// What is at `relative` under `dir`, or `None`; a link at it or at a folder on the way is
/// refused (E0083), and so is a file where a folder should be (E0082).
fn inspect(dir: &Path, relative: &Path) -> Result<Option<fs::Metadata>, Diagnostic> {
    let mut path = dir.to_path_buf();
    let mut components = relative.components().peekable();
    while let Some(component) = components.next() {
        path.push(component);
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(&path, "cannot inspect", &e)),
        };
        if meta.file_type().is_symlink() {
            return Err(error("E0083", &path, "is a symbolic link: refusing to write through it"));
        }
        if components.peek().is_none() {
            return Ok(Some(meta));
        }
        if !meta.is_dir() {
            return Err(error("E0082", &path, "is in the way of a generated file and is not a folder"));
        }
    }
    Ok(None)
}

/// Writes `contents` to a new temporary file beside `path` and renames it over `path`.
fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // The old file's permissions carry over (a new file gets the default ones).
    let permissions = fs::symlink_metadata(path).ok().filter(fs::Metadata::is_file).map(|m| m.permissions());
    let (temp, mut file) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        // `create_new` never opens what is there, a link included.
        match fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1_000_000 => continue,
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(contents)
        .and_then(|()| permissions.map_or(Ok(()), |p| file.set_permissions(p)))
        .and_then(|()| file.sync_all());
    drop(file);
    let renamed = written.and_then(|()| fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = fs::remove_file(&temp);
    }
    renamed
}

/// A write error at `path`.
fn error(code: &'static str, path: &Path, message: impl Into<String>) -> Diagnostic {
    let mut d = Diagnostic::error(code, "#", message);
    d.file = crate::sanitise::comment_text(&path.display().to_string()).into_owned();
    d
}

fn io_error(path: &Path, what: &str, e: &io::Error) -> Diagnostic {
    error("E0085", path, format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_are_trimmed() {
        let old: String = (0..100).map(|i| format!("{i}\n")).collect();
        let new = old.replace('5', "x");
        let d = diff(&old, &new, 10);
        assert_eq!(d.lines().count(), 11);
        assert!(d.ends_with("more diff lines\n"));
    }
}

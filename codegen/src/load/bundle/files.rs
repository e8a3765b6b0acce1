//! The files references name: resolved against the referring file, read and parsed once each, and
//! only when they are regular files under the root folder, within the size budgets.

use super::{Bundler, File, Target, Unresolved};
use crate::diagnostics::pointer;
use crate::load::limits::{self, MAX_FILE_BYTES, MAX_TOTAL_BYTES};
use crate::load::parse_document;
use crate::load::pointer::{lookup, percent_decode, tokens_of};
use std::path::{Component, Path, PathBuf};

impl Bundler {
    /// Resolves `reference`, found in file `from`, reading its file if needed.
    pub(super) fn target(&mut self, from: usize, reference: &str) -> Result<Target, Unresolved> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if path.is_empty() { from } else { self.file(from, &percent_decode(path))? };
        let fragment = percent_decode(fragment);
        let Some(mut tokens) = tokens_of(&fragment) else {
            return Err(Unresolved::Missing(format!("`#{fragment}` is not a JSON pointer")));
        };
        let value = &self.files[file].value;
        // `file.yaml#/` for the whole file.
        if tokens.len() == 1 && tokens[0].is_empty() && value.get("").is_none() {
            tokens.clear();
        }
        if lookup(value, &tokens).is_none() {
            return Err(Unresolved::Missing(format!(
                "`{}` has nothing at `{}`",
                self.files[file].display,
                pointer(&tokens)
            )));
        }
        Ok(Target { file, tokens })
    }

    /// The index of the file at `relative` to file `from`, read and parsed on first use: only a
    /// regular file under the root file's folder, `..` and symbolic links resolved.
    fn file(&mut self, from: usize, relative: &str) -> Result<usize, Unresolved> {
        let base = &self.files[from];
        let joined = base.canonical.parent().map_or_else(|| PathBuf::from(relative), |dir| dir.join(relative));
        let display_dir = Path::new(&base.display).parent().unwrap_or(Path::new(""));
        let display = lexical(&display_dir.join(relative));
        let outside = |path: &Path, root_dir: &Path| {
            Unresolved::Refused(
                "E0009",
                format!(
                    "`{display}` ({}) is outside the folder of the spec ({}): only files in it or below it are read",
                    path.display(),
                    root_dir.display()
                ),
            )
        };
        // Before the file system is asked, so a spec cannot even probe for files elsewhere.
        let plain = PathBuf::from(lexical(&joined));
        if !plain.starts_with(&self.root_dir) {
            return Err(outside(&plain, &self.root_dir));
        }
        let canonical =
            std::fs::canonicalize(&joined).map_err(|e| Unresolved::Missing(format!("cannot read `{display}`: {e}")))?;
        // A symbolic link out of the folder.
        if !canonical.starts_with(&self.root_dir) {
            return Err(outside(&canonical, &self.root_dir));
        }
        if let Some(&index) = self.by_path.get(&canonical) {
            return Ok(index);
        }
        let text = limits::read_text(&canonical, MAX_FILE_BYTES).map_err(|e| match e.code {
            "E0003" => Unresolved::Refused("E0003", format!("`{display}` is not read: {}", e.reason)),
            _ => Unresolved::Missing(format!("cannot read `{display}`: {}", e.reason)),
        })?;
        self.read_bytes += text.len() as u64;
        if self.read_bytes > MAX_TOTAL_BYTES {
            let why = format!(
                "`{display}` is not read: the files of this spec would have more than {MAX_TOTAL_BYTES} bytes together"
            );
            return Err(Unresolved::Refused("E0003", why));
        }
        let (value, duplicates) = parse_document(&text).map_err(|mut d| {
            d.file.clone_from(&display);
            Unresolved::Syntax(d)
        })?;
        self.warnings.extend(duplicates.into_iter().map(|mut d| {
            d.file.clone_from(&display);
            d
        }));
        self.input_nodes = self.input_nodes.saturating_add(limits::measure(&value, usize::MAX).0);
        let index = self.files.len();
        self.files.push(File { canonical: canonical.clone(), display, value });
        self.by_path.insert(canonical, index);
        Ok(index)
    }
}

/// `a/b/../c/./d` as `a/c/d`, without touching the file system.
fn lexical(path: &Path) -> String {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(component),
            },
            _ => parts.push(component),
        }
    }
    parts.iter().collect::<PathBuf>().display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(lexical(Path::new("a/b/../../../c/./d.yaml")), "../c/d.yaml");
    }
}

//! Problems found in a spec, collected as values and returned, never printed from inside a stage.

use std::fmt;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on with a documented, safe fallback.
    Warning,
    /// Generation of this spec cannot go on.
    Error,
}

/// One problem, located by file, JSON pointer and (for YAML input) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// A stable code, catalogued in `docs/diagnostics.md`.
    pub code: &'static str,
    /// The spec file the problem is in.
    pub file: String,
    /// A JSON pointer into that file, e.g. `#/paths/~1v1~1accounts/put`.
    pub pointer: String,
    /// 1-based line of the pointer's target, when the loader could tell.
    pub line: Option<usize>,
    /// What is wrong and, for warnings, what was done instead.
    pub message: String,
}

impl Diagnostic {
    /// An error at `pointer`; the file is filled in by the pipeline.
    pub fn error(code: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, pointer, message)
    }

    /// A warning at `pointer`; the file is filled in by the pipeline.
    pub fn warning(code: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, pointer, message)
    }

    fn new(severity: Severity, code: &'static str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self { severity, code, file: String::new(), pointer: pointer.into(), line: None, message: message.into() }
    }

    /// Whether this diagnostic stops generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}[{}]: {}\n  --> {}", self.code, self.message, self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, " at {}", self.pointer)
    }
}

/// So a write error (E0081 to E0085) can travel as any error (`anyhow` in xtask).
impl std::error::Error for Diagnostic {}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds `#/a/b~1c` from tokens.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::from("#");
    for token in tokens {
        out.push('/');
        out.push_str(&escape_token(token.as_ref()));
    }
    out
}

/// Appends one token to a pointer.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(pointer(["paths", "/v1/accounts", "put"]), "#/paths/~1v1~1accounts/put");
        assert_eq!(child("#/a", "x~y"), "#/a/x~0y");
    }

    #[test]
    fn display_names_file_line_and_pointer() {
        let mut d = Diagnostic::error("E0101", "#/paths", "bad");
        d.file = "specs/a.yaml".into();
        d.line = Some(3);
        assert_eq!(d.to_string(), "error[E0101]: bad\n  --> specs/a.yaml:3 at #/paths");
    }
}

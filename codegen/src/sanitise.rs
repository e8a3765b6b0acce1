//! Text from a spec, a config or the command line, made safe for the places the writers put it
//! outside Rust tokens: comments (every file's `@generated` header), TOML strings (`Cargo.toml`)
//! and the package name. Every writer goes through these functions; doc comments go through
//! `emit::docs::clean`.
//!
//! A spec path or title may hold any character: a newline in `--spec` would end the header's
//! comment and put the rest of the path into the file as Rust or TOML (a `[dependencies]` table
//! with a path dependency runs its build script on `cargo check`).

use std::borrow::Cow;

/// `text` for a line comment (`//`, `#`, `<!-- -->`): every character that could end the line or
/// hide what follows (control characters, including CR, LF, tab, NEL; the Unicode line and
/// paragraph separators; the bidi controls and marks rustc denies in comments) is written as a
/// visible escape (`\n`, `\r`, `\t`, `\u{202e}`). Anything else is kept, so ordinary paths read
/// as they are.
pub fn comment_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_in_comment) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_in_comment(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Characters [`comment_text`] escapes.
fn unsafe_in_comment(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` as a TOML basic string (`"..."`): `"` and `\` escaped, control characters as TOML
/// escapes (`\n`, `\t`, `\r`, else `\uXXXX`; Rust's `{:?}` writes `\u{7f}` and `\0`, which TOML
/// rejects). Other characters are valid in a TOML string as they are.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `--name` as a package name: lower case (so the library's crate name is snake case), every
/// character other than an ASCII letter, digit or `_` as `-`. The result may still be invalid
/// (`123`, `-x`, `fn`): [`package_name_problem`] says why.
pub fn package_name(raw: &str) -> String {
    raw.to_ascii_lowercase().replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "-")
}

/// A package name made from a spec's title (already an identifier in snake case, `-` for `_`):
/// valid as it is, or with `-api` appended when it is a keyword or a reserved name (`type`,
/// `test`).
pub fn package_name_from_title(name: &str) -> String {
    if package_name_problem(name).is_none() {
        return name.to_owned();
    }
    let suffixed = format!("{}-api", name.trim_end_matches('-'));
    if package_name_problem(&suffixed).is_none() {
        suffixed
    } else {
        "api".to_owned()
    }
}

/// Why `name` cannot be the package (and, `-` as `_`, library) name of a generated crate, or
/// `None` when it can: cargo's rules (ASCII letters, digits, `-` and `_`, starting with a letter
/// or `_`), and not a Rust keyword or a name cargo or rustc reserve.
pub fn package_name_problem(name: &str) -> Option<&'static str> {
    let lib = name.replace('-', "_");
    if name.is_empty() {
        Some("it is empty")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Some("only ASCII letters, digits, `-` and `_` are allowed")
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        Some("it must start with a letter or `_`")
    } else if lib == "_" || KEYWORDS.contains(&lib.as_str()) {
        Some("it is a Rust keyword")
    } else if RESERVED.contains(&lib.as_str()) {
        Some("the name is reserved by Rust or cargo")
    } else {
        None
    }
}

/// Rust keywords, as cargo refuses them for package names (and `gen`, reserved in edition 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Library names that clash with the standard crates, cargo's own targets, or Windows devices.
const RESERVED: &[&str] = &[
    "alloc",
    "core",
    "std",
    "proc_macro",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
    "con",
    "prn",
    "aux",
    "nul",
    "com1",
    "com2",
    "com3",
    "com4",
    "com5",
    "com6",
    "com7",
    "com8",
    "com9",
    "lpt1",
    "lpt2",
    "lpt3",
    "lpt4",
    "lpt5",
    "lpt6",
    "lpt7",
    "lpt8",
    "lpt9",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_cannot_be_ended_or_hidden() {
        assert!(matches!(comment_text("specs/a b/é.yaml"), Cow::Borrowed(_)));
        assert_eq!(comment_text("a\nb\r\nc\td"), "a\\nb\\r\\nc\\td");
        assert_eq!(comment_text("x\u{85}y\u{2028}z\u{202e}w\u{0}\u{1b}"), "x\\u{85}y\\u{2028}z\\u{202e}w\\u{0}\\u{1b}");
        assert!(!comment_text("\u{7f}\u{9b}\u{2066}").chars().any(unsafe_in_comment));
    }

    #[test]
    fn toml_strings_are_toml() {
        assert_eq!(toml_string("a \"b\" \\ c\td\ne\r"), "\"a \\\"b\\\" \\\\ c\\td\\ne\\r\"");
        assert_eq!(toml_string("del\u{7f} nul\u{0}"), "\"del\\u007F nul\\u0000\"");
    }

    #[test]
    fn package_names_follow_cargo() {
        assert_eq!(package_name("My API\n2"), "my-api-2");
        for ok in ["a", "api-clients", "_x", "n123", "self-", "union"] {
            assert_eq!(package_name_problem(ok), None, "{ok}");
        }
        for bad in ["", "123", "-a", "fn", "type", "self", "test", "proc-macro", "a.b", "é", "con"] {
            assert!(package_name_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(package_name_from_title("type"), "type-api");
        assert_eq!(package_name_from_title("pets"), "pets");
    }
}

//! Spec prose into `#[doc]` attributes.

use crate::ir::{Constraints, Docs};
use proc_macro2::TokenStream;
use quote::quote;
use std::borrow::Cow;

/// Spec text made safe for a doc comment; every spec string written into docs goes through here
/// (paragraphs through [`join_paragraphs`], one-line docs through [`line`]).
///
/// - CR LF, a bare CR (a bare one is not allowed in a doc comment), NEL, and the Unicode line and
///   paragraph separators become line breaks.
/// - A tab becomes four spaces (`clippy::tabs_in_doc_comments`).
/// - Other control characters (C0, DEL, C1) are dropped: they display as nothing or garbage.
/// - The Unicode bidi controls (embeddings, overrides, isolates: rustc denies them in comments;
///   and the directional marks) and invisible characters (zero-width space, word joiner,
///   byte-order mark, soft hyphen) are dropped. Zero-width joiners and non-joiners are kept: they
///   shape scripts and emoji, and nothing flags them.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\t' || c == '\r' || line_break(c) || dropped(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\t' => out.push_str("    "),
            c if line_break(c) => out.push('\n'),
            c if dropped(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line of doc text (a leading space added): [`clean`], with line breaks as spaces.
pub fn line(text: &str) -> String {
    let cleaned = clean(text);
    let mut out = String::with_capacity(cleaned.len() + 1);
    out.push(' ');
    out.extend(cleaned.trim().chars().map(|c| if c == '\n' { ' ' } else { c }));
    out
}

/// Characters other than `\n` that end a line.
fn line_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Characters left out of doc text (see [`clean`]).
fn dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r' && !line_break(c))
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
        || matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}' | '\u{2060}' | '\u{feff}')
}

/// Doc attributes for `docs`, one per line, so prettyplease prints them as `///` comments.
pub fn attrs(docs: &Docs) -> TokenStream {
    lines_to_attrs(&lines(docs, None))
}

/// Doc attributes for `docs` followed by its constraints.
pub fn attrs_with_constraints(docs: &Docs, constraints: &Constraints) -> TokenStream {
    lines_to_attrs(&lines(docs, Some(constraints)))
}

/// The text of a `default:` note: the value, inline when it is short, and the accessor giving it.
pub fn default_text(value: &serde_json::Value, accessor: Option<&str>) -> String {
    let shown = match value {
        serde_json::Value::String(s) if !s.contains(['`', '\n', '\r']) => format!("`{s:?}`"),
        other => {
            let compact = other.to_string();
            if compact.contains('`') || compact.len() > 80 {
                "(see the spec)".to_owned()
            } else {
                format!("`{compact}`")
            }
        }
    };
    match accessor {
        Some(accessor) => format!("Default: {shown}; an absent value stays absent, `{accessor}()` gives the default."),
        None => format!("Default: {shown} (an absent value stays absent)."),
    }
}

/// Doc attributes for free-form paragraphs.
pub fn paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    lines_to_attrs(&join_paragraphs(paragraphs))
}

/// Inner doc attributes (`//!`) for free-form paragraphs: module docs.
pub fn inner_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    join_paragraphs(paragraphs)
        .iter()
        .map(|line| {
            let text = doc_text(line);
            quote! { #![doc = #text] }
        })
        .collect()
}

fn join_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in paragraphs.iter().map(|p| clean(p.as_ref())).filter(|p| !p.trim().is_empty()) {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(paragraph.trim().lines().map(str::to_owned));
    }
    out
}

fn doc_text(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!(" {}", line.trim_end())
    }
}

fn lines(docs: &Docs, constraints: Option<&Constraints>) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    if let Some(title) = &docs.title {
        parts.push(title.clone());
    }
    if let Some(description) = &docs.description {
        if docs.title.as_deref().map(str::trim) != Some(description.trim()) {
            parts.push(description.clone());
        }
    }
    if let Some(constraints) = constraints.filter(|c| !c.is_empty()) {
        parts.push(constraint_text(constraints));
    }
    parts.extend(docs.notes.iter().cloned());
    if let Some(example) = &docs.example {
        parts.push(example_text(example));
    }
    if docs.deprecated {
        parts.push("**Deprecated** in the spec.".to_owned());
    }
    join_paragraphs(&parts)
}

fn lines_to_attrs(lines: &[String]) -> TokenStream {
    lines
        .iter()
        .map(|line| {
            let text = doc_text(line);
            quote! { #[doc = #text] }
        })
        .collect()
}

fn example_text(example: &serde_json::Value) -> String {
    match example {
        serde_json::Value::String(s) if !s.contains(['`', '\n', '\r']) => format!("Example: `{s}`"),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) | serde_json::Value::Null => {
            format!("Example: `{example}`")
        }
        other => {
            let pretty = serde_json::to_string_pretty(other).unwrap_or_default();
            format!("Example:\n```json\n{pretty}\n```")
        }
    }
}

fn constraint_text(c: &Constraints) -> String {
    let mut rules = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => rules.push(format!("length {min}..={max}")),
        (Some(min), None) => rules.push(format!("length at least {min}")),
        (None, Some(max)) => rules.push(format!("length at most {max}")),
        (None, None) => {}
    }
    if let Some((min, exclusive)) = c.minimum {
        rules.push(format!("{} {min}", if exclusive { ">" } else { ">=" }));
    }
    if let Some((max, exclusive)) = c.maximum {
        rules.push(format!("{} {max}", if exclusive { "<" } else { "<=" }));
    }
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => rules.push(format!("{min}..={max} items")),
        (Some(min), None) => rules.push(format!("at least {min} items")),
        (None, Some(max)) => rules.push(format!("at most {max} items")),
        (None, None) => {}
    }
    if let Some(multiple) = c.multiple_of {
        rules.push(format!("a multiple of {multiple}"));
    }
    if c.unique_items {
        rules.push("unique items (a `Vec`: duplicates are not removed on decode)".to_owned());
    }
    if let Some(pattern) = &c.pattern {
        let ticks = if pattern.contains('`') { "``" } else { "`" };
        rules.push(format!("pattern {ticks}{pattern}{ticks}"));
    }
    format!("Constraints: {}.", rules.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_join_title_description_constraints_and_example() {
        let docs = Docs {
            title: None,
            description: Some("New account name".into()),
            example: Some(serde_json::json!("Acme")),
            deprecated: false,
            notes: Vec::new(),
        };
        let constraints = Constraints { min_length: Some(1), max_length: Some(255), ..Default::default() };
        assert_eq!(
            lines(&docs, Some(&constraints)),
            ["New account name", "", "Constraints: length 1..=255.", "", "Example: `Acme`"]
        );
    }

    #[test]
    fn clean_makes_spec_text_safe_for_doc_comments() {
        assert!(matches!(clean("Plain text, café, 😀."), Cow::Borrowed(_)));
        assert_eq!(clean("a\tb"), "a    b");
        assert_eq!(
            clean("one\r\ntwo\rthree\nfour\u{85}five\u{2028}six\u{2029}seven"),
            "one\ntwo\nthree\nfour\nfive\nsix\nseven"
        );
        assert_eq!(clean("bell\u{7}, nul\u{0}, esc\u{1b}, del\u{7f}, csi\u{9b}."), "bell, nul, esc, del, csi.");
        let bidi = "\u{202a}a\u{202b}b\u{202c}c\u{202d}d\u{202e}e\u{2066}f\u{2067}g\u{2068}h\u{2069}i\u{200e}j\u{200f}k\u{61c}";
        assert_eq!(clean(bidi), "abcdefghijk");
        assert_eq!(clean("zero\u{200b}width\u{2060}joiner\u{feff}bom\u{ad}shy"), "zerowidthjoinerbomshy");
        // Joiners shape scripts and emoji: kept.
        assert_eq!(clean("\u{1f469}\u{200d}\u{1f4bb} \u{200c}"), "\u{1f469}\u{200d}\u{1f4bb} \u{200c}");
    }

    #[test]
    fn every_doc_path_is_cleaned() {
        assert_eq!(line("\tThe\tfirst\r\nline\u{202e} "), " The    first line");
        let docs = Docs {
            title: Some("A\ttitle".into()),
            description: Some("Line one\rline two\u{202e}".into()),
            example: Some(serde_json::json!("a\u{200b}b")),
            deprecated: false,
            notes: Vec::new(),
        };
        assert_eq!(lines(&docs, None), ["A    title", "", "Line one", "line two", "", "Example: `ab`"]);
        let text = paragraphs(&["x\ty"]).to_string();
        assert!(text.contains("\" x    y\""), "{text}");
    }
}

//! Spec prose into `#[doc]` attributes.

use crate::ir::{Constraints, Docs};
use proc_macro2::TokenStream;
use quote::quote;

/// Doc attributes for `docs`, one per line, so prettyplease prints them as `///` comments.
pub fn attrs(docs: &Docs) -> TokenStream {
    lines_to_attrs(&lines(docs, None))
}

/// Doc attributes for `docs` followed by its constraints.
pub fn attrs_with_constraints(docs: &Docs, constraints: &Constraints) -> TokenStream {
    lines_to_attrs(&lines(docs, Some(constraints)))
}

/// The text of a `default:` note: the value, inline when it is short.
pub fn default_text(value: &serde_json::Value, applied: bool) -> String {
    let shown = match value {
        serde_json::Value::String(s) if !s.contains('`') && !s.contains('\n') => format!("`{s:?}`"),
        other => {
            let compact = other.to_string();
            if compact.contains('`') || compact.len() > 80 {
                "(see the spec)".to_owned()
            } else {
                format!("`{compact}`")
            }
        }
    };
    if applied {
        format!("Default: {shown}; an absent value decodes as this.")
    } else {
        format!("Default: {shown} (not applied when decoding: an absent value stays absent).")
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
    for paragraph in paragraphs.iter().map(AsRef::as_ref).filter(|p| !p.trim().is_empty()) {
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
        serde_json::Value::String(s) if !s.contains('`') && !s.contains('\n') => format!("Example: `{s}`"),
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
}

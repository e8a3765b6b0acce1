//! Turning spec names into valid, unique Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// Keywords of every edition: as field or method names they need `r#`, as types a suffix.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
    "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Prelude names a generated type must not shadow, since generated code uses them unqualified.
const PRELUDE_TYPES: &[&str] = &["String", "Vec", "Option", "Box", "Result", "Some", "None", "Ok", "Err"];

/// Keeps only characters valid in identifiers, so heck sees word boundaries at the rest.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect()
}

/// An `UpperCamelCase` type or variant name for `raw`; never empty, never a keyword or prelude type.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    name.retain(|c| c.is_ascii_alphanumeric());
    if name.is_empty() {
        return "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if PRELUDE_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// A `snake_case` field, argument or method name for `raw`; keywords become raw identifiers.
pub fn value_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        return "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// An `UPPER_SNAKE_CASE` constant name for `raw`.
pub fn const_name(raw: &str) -> String {
    let name = value_name(raw);
    name.trim_start_matches("r#").to_ascii_uppercase()
}

/// Hands out names that are unique within one namespace, deterministically: `Foo`, `Foo2`, `Foo3`.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self { taken: reserved.iter().map(|s| (*s).to_owned()).collect() }
    }

    /// Claims `name`, or the first free `name` + `separator` + n for n = 2, 3, ...
    pub fn claim(&mut self, name: String, separator: &str) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        (2..)
            .map(|n| format!("{name}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_camel_case_and_avoid_clashes() {
        assert_eq!(type_name("UpdateAccountDto"), "UpdateAccountDto");
        assert_eq!(type_name("foo_bar"), "FooBar");
        assert_eq!(type_name("Foo.Bar"), "FooBar");
        assert_eq!(type_name("foo bar"), "FooBar");
        assert_eq!(type_name("1x"), "T1x");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("String"), "StringModel");
        assert_eq!(type_name("self"), "SelfModel");
        assert_eq!(type_name("a-b"), "AB");
    }

    #[test]
    fn value_names_are_snake_case_and_escape_keywords() {
        assert_eq!(value_name("isDefault"), "is_default");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("account_id"), "account_id");
        assert_eq!(value_name("x-org-id"), "x_org_id");
        assert_eq!(value_name("+1"), "n1");
        assert_eq!(value_name("$"), "value");
        assert_eq!(const_name("bearerAuth"), "BEARER_AUTH");
    }

    #[test]
    fn namespace_suffixes_collisions_in_order() {
        let mut ns = Namespace::with_reserved(&["Client"]);
        assert_eq!(ns.claim("Client".into(), ""), "Client2");
        assert_eq!(ns.claim("FooBar".into(), ""), "FooBar");
        assert_eq!(ns.claim("FooBar".into(), ""), "FooBar2");
        assert_eq!(ns.claim("FooBar".into(), ""), "FooBar3");
    }
}

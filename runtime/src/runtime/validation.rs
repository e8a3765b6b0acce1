//! What the generated `validate()` methods use: the spec's constraints (`minLength`, `maxLength`,
//! `pattern`, `minimum`, `maximum`, `exclusiveMinimum`/`exclusiveMaximum`, `multipleOf`,
//! `minItems`, `maxItems`, `uniqueItems`) checked on a value before it is sent. Every request is
//! checked unless turned off (`validate_requests(false)` on the client, `RequestOptions::validate`
//! per call); a broken one fails with [`Error::Validation`](super::Error::Validation) and sends
//! nothing. Decoding never validates.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// One constraint a value breaks: where (`items[2].name`) and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The path of the value, with wire names: `address.city`, `tags[1]`.
    pub path: String,
    /// The rule it breaks, e.g. `length 0 is below minLength 1`.
    pub rule: String,
}

/// Every constraint a value breaks, in field order; the error of a generated `validate()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// `Ok` when nothing was recorded.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// Whether some violation is at `path`.
    pub fn at(&self, path: &str) -> Option<&Violation> {
        self.0.iter().find(|v| v.path == path)
    }

    fn push(&mut self, path: &str, rule: String) {
        self.0.push(Violation { path: path.to_owned(), rule });
    }

    /// `minLength`/`maxLength`, counted in characters (Unicode scalar values).
    pub fn length(&mut self, path: &str, value: &str, min: Option<usize>, max: Option<usize>) {
        let length = value.chars().count();
        if let Some(min) = min.filter(|min| length < *min) {
            self.push(path, format!("length {length} is below minLength {min}"));
        }
        if let Some(max) = max.filter(|max| length > *max) {
            self.push(path, format!("length {length} is above maxLength {max}"));
        }
    }

    /// `pattern`: whether `value` contains a match of the regular expression, unanchored as JSON
    /// Schema says (`^...$` anchors it). The spec's ECMA-262 syntax is read by `regex-lite`; a
    /// pattern it cannot compile (look-around, backreferences, `\p{..}` classes) is not checked.
    pub fn pattern(&mut self, path: &str, value: &str, pattern: &'static str) {
        if compiled(pattern).is_some_and(|regex| !regex.is_match(value)) {
            self.push(path, format!("does not match pattern `{}`", Shortened(pattern, PATTERN_BYTES)));
        }
    }

    /// `minimum`/`maximum` (each with whether it is exclusive) and `multipleOf`.
    pub fn number(
        &mut self,
        path: &str,
        value: f64,
        minimum: Option<(f64, bool)>,
        maximum: Option<(f64, bool)>,
        multiple_of: Option<f64>,
    ) {
        match minimum {
            Some((min, true)) if value <= min => {
                self.push(path, format!("{value} is not above exclusiveMinimum {min}"))
            }
            Some((min, false)) if value < min => self.push(path, format!("{value} is below minimum {min}")),
            _ => {}
        }
        match maximum {
            Some((max, true)) if value >= max => {
                self.push(path, format!("{value} is not below exclusiveMaximum {max}"))
            }
            Some((max, false)) if value > max => self.push(path, format!("{value} is above maximum {max}")),
            _ => {}
        }
        if let Some(step) = multiple_of.filter(|step| *step > 0.0) {
            // Within rounding error: 0.3 is a multiple of 0.1.
            let quotient = value / step;
            if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
                self.push(path, format!("{value} is not a multiple of {step}"));
            }
        }
    }

    /// `minItems`/`maxItems` (also `minProperties`-style counts).
    pub fn items(&mut self, path: &str, count: usize, min: Option<usize>, max: Option<usize>) {
        if let Some(min) = min.filter(|min| count < *min) {
            self.push(path, format!("{count} items is below minItems {min}"));
        }
        if let Some(max) = max.filter(|max| count > *max) {
            self.push(path, format!("{count} items is above maxItems {max}"));
        }
    }

    /// `uniqueItems`: names the first item equal to an earlier one.
    pub fn unique<T: PartialEq>(&mut self, path: &str, items: &[T]) {
        let duplicate = (1..items.len()).find(|&i| items[..i].contains(&items[i]));
        if let Some(i) = duplicate {
            self.push(path, format!("item {i} repeats an earlier item (uniqueItems)"));
        }
    }
}

/// `Display` lists at most [`SHOWN`] violations, each path and rule cut at [`SHOWN_BYTES`]: an
/// error message stays a few KB whatever the value (`iter()` has them all).
impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", Shortened(&violation.path, SHOWN_BYTES), Shortened(&violation.rule, SHOWN_BYTES))?;
        }
        if self.0.len() > SHOWN {
            write!(f, "; and {} more", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

/// How many violations `Display` lists.
const SHOWN: usize = 10;
/// How much of a path or rule `Display` shows.
const SHOWN_BYTES: usize = 200;
/// How much of a pattern a rule quotes.
const PATTERN_BYTES: usize = 100;
/// The compiled size a pattern may reach; a larger one is not checked.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// At most `.1` bytes of a text (cut at a character boundary), then `...` when cut.
struct Shortened<'a>(&'a str, usize);

impl fmt::Display for Shortened<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Shortened(text, max) = *self;
        if text.len() <= max {
            return f.write_str(text);
        }
        let end = (0..=max).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        write!(f, "{}...", &text[..end])
    }
}

/// A compiled pattern, shared by the threads that check it; `None` when it does not compile.
type Compiled = Option<Arc<regex_lite::Regex>>;

/// The compiled `pattern`, once per pattern (the generated code's literals, so a bounded set), or
/// `None` when it does not compile.
fn compiled(pattern: &'static str) -> Compiled {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Compiled>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(pattern)
        .or_insert_with(|| {
            regex_lite::RegexBuilder::new(pattern).size_limit(PATTERN_SIZE_LIMIT).build().ok().map(Arc::new)
        })
        .clone()
}

impl std::error::Error for Violations {}

/// The path of property `name` inside the value at `parent` (`""` at the top).
pub fn field_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// The path of item `index` inside the array at `parent`.
pub fn index_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

//! Multi-file `$ref`s, resolved at load time into one document whose references are all local.
//!
//! A `$ref` that does not start with `#` names another file (`dir/file.yaml#/json/pointer`, or the
//! whole file), relative to the file that contains it; inside that file `#/...` means that file.
//!
//! - A reference in a schema position is *hoisted*: its target is copied once into the root's
//!   `components.schemas` (`definitions` for Swagger 2.0) under a readable, unique name, and the
//!   reference is rewritten to point there. The name is claimed before the target is processed, so
//!   recursive schemas across files are fine.
//! - Any other reference (path items, parameters, responses, examples, ...) is *inlined*: replaced by
//!   its target. Sibling keys of the reference override the target's. A cycle of inlined references
//!   is an error (E0007).
//! - A reference into the root file stays a local reference to the same place.
//!
//! The work is a queue of (place in the output, file, context) items: a walk never descends into
//! content it has just inlined or hoisted but queues it, so the stack depth is bounded by the nesting
//! of one file, however deeply files refer to each other. Each file is read and parsed once.
//!
//! The files a spec may make us read ([`files`]), and how much bundling may build from them, are
//! limited (see the [module](super) documentation): only regular files under the root file's folder (E0009,
//! E0003), a document at most [`MAX_DEPTH`] deep (E0014), at most [`copy_budget`] values copied
//! (E0015), inlined references at most [`MAX_INLINE_CHAIN`] deep (E0016).
//!
//! Here: the walk over the documents and the queue; [`files`]: which files a reference may read;
//! [`hoist`]: what a reference becomes (hoisted under a fresh name, inlined, or kept).

mod files;
mod hoist;
#[cfg(test)]
mod tests;

use super::limits;
use super::pointer::lookup_mut;
use crate::diagnostics::{child, pointer, Diagnostic};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Index of the root file in [`Bundler::files`].
const ROOT: usize = 0;

/// Resolves every `$ref` into another file, in place. `path` is the root file, `display` its path
/// for diagnostics. Returns warnings for references left as they were.
pub(super) fn bundle(
    path: &Path,
    display: &str,
    folder: Option<&Path>,
    root_bytes: u64,
    document: &mut Value,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let external = if document.is_object() { external_refs(document) } else { External::None };
    if external == External::None {
        return Ok(Vec::new());
    }
    let canonical = std::fs::canonicalize(path).map_err(|e| {
        let mut d = Diagnostic::error("E0001", "#", format!("cannot read the spec: {e}"));
        d.file = display.to_owned();
        d
    })?;
    let swagger2 = document.get("swagger").is_some();
    // `$ref`s read files in this folder or below it, nowhere else.
    let root_dir = match folder {
        Some(folder) => std::fs::canonicalize(folder).map_err(|e| {
            let message = format!("cannot read the folder `{}` that `$ref`s may read from: {e}", folder.display());
            let mut d = Diagnostic::error("E0001", "#", message);
            d.file = display.to_owned();
            d
        })?,
        None => canonical.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let mut bundler = Bundler {
        // The root as parsed is only read back through references from other files; with URLs
        // alone (GitHub's examples hold some) there are none, and copying a 3 MB spec is waste.
        files: vec![File {
            canonical: canonical.clone(),
            display: display.to_owned(),
            value: if external == External::File { document.clone() } else { Value::Null },
        }],
        by_path: HashMap::from([(canonical, ROOT)]),
        root_dir,
        read_bytes: root_bytes,
        input_nodes: limits::measure(document, usize::MAX).0,
        copied: 0,
        swagger2,
        prefix: if swagger2 { "#/definitions/" } else { "#/components/schemas/" },
        names: HashMap::new(),
        used: HashSet::new(),
        hoisted: Vec::new(),
        queue: VecDeque::new(),
        warnings: Vec::new(),
    };
    bundler.queue.push_back(Item {
        doc: Doc::Root,
        at: Vec::new(),
        file: ROOT,
        src: "#".to_owned(),
        ctx: Ctx::Top,
        chain: None,
        skip: Vec::new(),
    });
    bundler.claim_root_names(document);
    while let Some(item) = bundler.queue.pop_front() {
        match item.doc {
            Doc::Root => bundler.run(document, &item)?,
            Doc::Hoisted(index) => {
                let mut value = std::mem::take(&mut bundler.hoisted[index].1);
                let result = bundler.run(&mut value, &item);
                bundler.hoisted[index].1 = value;
                result?;
            }
        }
    }
    if !bundler.hoisted.is_empty() {
        let container_pointer = bundler.prefix.trim_end_matches('/').to_owned();
        let Some(container) = container_mut(document, swagger2) else {
            let mut d = Diagnostic::error(
                "E0008",
                container_pointer,
                "not an object: the schemas of other files cannot be stored here",
            );
            d.file = display.to_owned();
            return Err(d);
        };
        for (name, value) in bundler.hoisted {
            // An existing entry (a root schema that was only a reference to another file) keeps its
            // place and takes the target's content.
            container.insert(name, value);
        }
    }
    Ok(bundler.warnings)
}

/// One file read from disk.
struct File {
    canonical: PathBuf,
    display: String,
    /// As parsed, before any rewriting.
    value: Value,
}

/// A resolved reference target: a file and the tokens of a JSON pointer into it.
struct Target {
    file: usize,
    tokens: Vec<String>,
}

/// Which output document an [`Item`] writes into.
#[derive(Debug, Clone, Copy)]
enum Doc {
    Root,
    Hoisted(usize),
}

impl Doc {
    /// How deep the document's top is in the root (`#/components/schemas/Name`).
    fn depth(self) -> usize {
        match self {
            Doc::Root => 0,
            Doc::Hoisted(_) => 3,
        }
    }
}

/// What the value at a place is, which decides whether a `$ref` there is hoisted or inlined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// The root document's top level.
    Top,
    /// The root document's `components`.
    Components,
    /// A map of named schemas (`components.schemas`, `definitions`, `properties`).
    SchemaMap,
    /// A schema.
    Schema,
    /// Anything else.
    Other,
}

/// One inlined target on the way to an item, for cycle detection.
struct Link {
    file: usize,
    pointer: String,
    /// Links up to the first, this one included.
    hops: usize,
    up: Option<Rc<Link>>,
}

/// A piece of work: process the value at `at` in `doc`, which came from `src` in `file`.
struct Item {
    doc: Doc,
    at: Vec<String>,
    file: usize,
    /// JSON pointer (`#/...`) of the value in its file.
    src: String,
    ctx: Ctx,
    chain: Option<Rc<Link>>,
    /// Top-level keys already processed (a reference's siblings laid over its target).
    skip: Vec<String>,
}

/// Why a reference does not resolve.
enum Unresolved {
    /// Missing or unreadable file, or no value at the pointer.
    Missing(String),
    /// The referenced file does not parse.
    Syntax(Diagnostic),
    /// Not followed, by a rule: (code, why).
    Refused(&'static str, String),
}

struct Bundler {
    files: Vec<File>,
    by_path: HashMap<PathBuf, usize>,
    /// The root file's folder, symbolic links resolved: the only place files are read from.
    root_dir: PathBuf,
    /// Bytes of all files read, the root's included.
    read_bytes: u64,
    /// Values in all files read, the root's included.
    input_nodes: usize,
    /// Values copied by inlining and hoisting so far.
    copied: usize,
    swagger2: bool,
    /// `#/components/schemas/` or `#/definitions/`.
    prefix: &'static str,
    /// (file, pointer) -> hoisted name.
    names: HashMap<(usize, String), String>,
    /// Names taken in the schema container.
    used: HashSet<String>,
    /// Hoisted schemas in the order they were named.
    hoisted: Vec<(String, Value)>,
    queue: VecDeque<Item>,
    warnings: Vec<Diagnostic>,
}

impl Bundler {
    /// Takes the root's schema names, and lets a root schema that is only a reference to another
    /// file (`Pet: {$ref: pet.yaml}`) receive the target under its own name.
    fn claim_root_names(&mut self, document: &Value) {
        let container = if self.swagger2 {
            document.get("definitions")
        } else {
            document.get("components").and_then(|c| c.get("schemas"))
        };
        let Some(container) = container.and_then(Value::as_object) else { return };
        self.used.extend(container.keys().cloned());
        for (name, schema) in container {
            let Some(map) = schema.as_object() else { continue };
            let Some(reference) = map.get("$ref").and_then(Value::as_str) else { continue };
            if map.len() != 1 || reference.starts_with('#') || is_remote(reference) {
                continue;
            }
            // A failure is reported when the walk reaches this reference.
            let Ok(target) = self.target(ROOT, reference) else { continue };
            let key = (target.file, pointer(&target.tokens));
            if target.file == ROOT || self.names.contains_key(&key) {
                continue;
            }
            self.names.insert(key.clone(), name.clone());
            if self.push_hoisted(name.clone(), &target, key.1.clone()).is_err() {
                // Over the copy budget: reported when the walk reaches this reference.
                self.names.remove(&key);
            }
        }
    }

    fn run(&mut self, doc: &mut Value, item: &Item) -> Result<(), Diagnostic> {
        let Some(node) = lookup_mut(doc, &item.at) else { return Ok(()) };
        self.walk(node, item.ctx, item, &mut Vec::new(), &item.skip)
    }

    /// Rewrites the references in `value`, which is at `rel` below `item`'s place.
    fn walk(
        &mut self,
        value: &mut Value,
        ctx: Ctx,
        item: &Item,
        rel: &mut Vec<String>,
        skip: &[String],
    ) -> Result<(), Diagnostic> {
        match value {
            Value::Array(items) => {
                let ctx = match ctx {
                    Ctx::Schema => Ctx::Schema,
                    _ => Ctx::Other,
                };
                for (index, element) in items.iter_mut().enumerate() {
                    rel.push(index.to_string());
                    self.walk(element, ctx, item, rel, &[])?;
                    rel.pop();
                }
            }
            Value::Object(map) => {
                let reference = map.get("$ref").and_then(Value::as_str).map(str::to_owned);
                for (key, child_value) in map.iter_mut() {
                    if skip.contains(key) || (reference.is_some() && key == "$ref") {
                        continue;
                    }
                    let depth = rel.len();
                    rel.push(key.clone());
                    let walked = self.walk(child_value, child_ctx(ctx, key), item, rel, &[]);
                    // A walk that failed left its place.
                    rel.truncate(depth + 1);
                    match walked {
                        // Vendor extensions are documentation to us (`x-topics: {$ref: guide.md}`):
                        // a reference there that does not resolve is left as it is.
                        Err(e) if key.starts_with("x-") && matches!(e.code, "E0002" | "E0007" | "E0008") => {
                            let mut d = Diagnostic::warning(
                                "W0004",
                                e.pointer,
                                format!("{} (in a vendor extension: left as is)", e.message),
                            );
                            d.file = e.file;
                            self.warnings.push(d);
                        }
                        other => other?,
                    }
                    if ctx == Ctx::Schema && key == "discriminator" {
                        self.mapping(child_value, item, rel)?;
                    }
                    rel.pop();
                }
                if let Some(reference) = reference {
                    return self.reference(value, &reference, ctx, item, rel);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn unresolved(&self, item: &Item, rel: &[String], reference: &str, why: Unresolved) -> Diagnostic {
        match why {
            Unresolved::Missing(why) => {
                let message = format!("`$ref: {reference}` does not resolve: {why}");
                let mut d = Diagnostic::error("E0008", self.here(item, rel), message);
                d.file.clone_from(&self.files[item.file].display);
                d
            }
            Unresolved::Syntax(mut d) => {
                let from = format!("{} at {}", self.files[item.file].display, self.here(item, rel));
                d.message = format!("{} (referenced from {from})", d.message);
                d
            }
            Unresolved::Refused(code, why) => {
                self.error(code, item, rel, format!("`$ref: {reference}` is not followed: {why}"))
            }
        }
    }

    fn error(&self, code: &'static str, item: &Item, rel: &[String], message: String) -> Diagnostic {
        let mut d = Diagnostic::error(code, self.here(item, rel), message);
        d.file.clone_from(&self.files[item.file].display);
        d
    }

    fn warn(&mut self, code: &'static str, item: &Item, rel: &[String], message: String) {
        let mut d = Diagnostic::warning(code, self.here(item, rel), message);
        d.file.clone_from(&self.files[item.file].display);
        self.warnings.push(d);
    }

    /// The JSON pointer, in its file, of the value at `rel` below `item`.
    fn here(&self, item: &Item, rel: &[String]) -> String {
        rel.iter().fold(item.src.clone(), |p, token| child(&p, token))
    }
}

fn child_ctx(ctx: Ctx, key: &str) -> Ctx {
    match (ctx, key) {
        (Ctx::Top, "components") => Ctx::Components,
        (Ctx::Top, "definitions") | (Ctx::Components, "schemas") => Ctx::SchemaMap,
        (Ctx::SchemaMap, _) => Ctx::Schema,
        (Ctx::Other | Ctx::Top | Ctx::Components, "schema") => Ctx::Schema,
        (Ctx::Schema, "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas") => {
            Ctx::SchemaMap
        }
        (
            Ctx::Schema,
            "items"
            | "additionalProperties"
            | "not"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "prefixItems"
            | "additionalItems"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
        ) => Ctx::Schema,
        _ => Ctx::Other,
    }
}

/// Whether any `$ref` (or discriminator mapping) in `value` names another file.
fn external_refs(value: &Value) -> External {
    match value {
        Value::Array(items) => items.iter().map(external_refs).max().unwrap_or(External::None),
        Value::Object(map) => {
            let mut found = External::None;
            if let Some(reference) = map.get("$ref").and_then(Value::as_str).filter(|r| !r.starts_with('#')) {
                found = if is_remote(reference) { External::Remote } else { External::File };
            }
            if let Some(mapping) = map.get("mapping").and_then(Value::as_object) {
                if mapping.values().filter_map(Value::as_str).any(|r| !r.starts_with('#') && looks_like_file(r)) {
                    found = External::File;
                }
            }
            if found == External::File {
                return found;
            }
            map.values().map(external_refs).max().unwrap_or(External::None).max(found)
        }
        _ => External::None,
    }
}

/// The references into other documents that a spec has, the strongest kind found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum External {
    None,
    /// Only URLs: they are reported, never read.
    Remote,
    /// Paths of files (or file-like discriminator mappings), read and bundled.
    File,
}

/// A discriminator mapping value that is a file reference rather than a bare schema name.
fn looks_like_file(reference: &str) -> bool {
    let lower = reference.to_ascii_lowercase();
    reference.contains(['#', '/']) || [".yaml", ".yml", ".json"].iter().any(|ext| lower.ends_with(ext))
}

/// `https://...`, `file:...`, `//host/...`: not a path relative to the referring file.
fn is_remote(reference: &str) -> bool {
    if reference.starts_with("//") {
        return true;
    }
    match reference.find(':') {
        // One letter is a Windows drive.
        Some(end) if end >= 2 => {
            let scheme = &reference[..end];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        }
        _ => false,
    }
}

fn set_ref(node: &mut Value, reference: String) {
    if let Value::Object(map) = node {
        map.insert("$ref".to_owned(), Value::String(reference));
    }
}

/// The root's schema container, created if absent; `None` if something else is in the way.
fn container_mut(document: &mut Value, swagger2: bool) -> Option<&mut Map<String, Value>> {
    let root = document.as_object_mut()?;
    let parent = if swagger2 {
        root
    } else {
        root.entry("components").or_insert_with(|| Value::Object(Map::new())).as_object_mut()?
    };
    let key = if swagger2 { "definitions" } else { "schemas" };
    parent.entry(key).or_insert_with(|| Value::Object(Map::new())).as_object_mut()
}

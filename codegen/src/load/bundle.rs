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
//! The files a spec may make us read, and how much bundling may build from them, are limited (see
//! the [module](super) documentation): only regular files under the root file's folder (E0009,
//! E0003), a document at most [`MAX_DEPTH`] deep (E0014), at most [`copy_budget`] values copied
//! (E0015), inlined references at most [`MAX_INLINE_CHAIN`] deep (E0016).

use super::limits::{self, copy_budget, MAX_DEPTH, MAX_FILE_BYTES, MAX_INLINE_CHAIN, MAX_TOTAL_BYTES};
use super::parse_document;
use crate::diagnostics::{child, escape_token, pointer, Diagnostic};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};
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

    /// Resolves the `$ref` of `node` (whose siblings are done): hoists, inlines or keeps it.
    fn reference(
        &mut self,
        node: &mut Value,
        reference: &str,
        ctx: Ctx,
        item: &Item,
        rel: &[String],
    ) -> Result<(), Diagnostic> {
        if reference.starts_with('#') && item.file == ROOT {
            return Ok(());
        }
        if is_remote(reference) {
            self.warn(
                "W0001",
                item,
                rel,
                format!("`$ref: {reference}` is not a file path: remote references are not fetched, left as is"),
            );
            return Ok(());
        }
        let target = self.target(item.file, reference).map_err(|why| self.unresolved(item, rel, reference, why))?;
        if ctx == Ctx::Schema {
            let local = self.schema_ref(&target).map_err(|why| self.unresolved(item, rel, reference, why))?;
            set_ref(node, local);
            return Ok(());
        }
        let target_pointer = pointer(&target.tokens);
        if target.file == ROOT {
            set_ref(node, target_pointer);
            return Ok(());
        }
        if let Some(cycle) = self.cycle(item.chain.as_ref(), target.file, &target_pointer) {
            let mut d = Diagnostic::error("E0007", self.here(item, rel), format!("cyclic $ref through files: {cycle}"));
            d.file.clone_from(&self.files[item.file].display);
            return Err(d);
        }
        let hops = item.chain.as_ref().map_or(0, |link| link.hops) + 1;
        if hops > MAX_INLINE_CHAIN {
            let first = {
                let mut link = item.chain.as_ref();
                while let Some(up) = link.and_then(|l| l.up.as_ref()) {
                    link = Some(up);
                }
                link.map(|l| self.name_of(l.file, &l.pointer)).unwrap_or_default()
            };
            let message = format!(
                "`$ref: {reference}` would be reference number {hops} in a chain of references into other files, each inlined inside the one before (from {first}): at most {MAX_INLINE_CHAIN} are followed"
            );
            return Err(self.error("E0016", item, rel, message));
        }
        let source = lookup(&self.files[target.file].value, &target.tokens);
        let (nodes, depth) = source.map_or((1, 0), |v| self.measure_copy(v));
        let budget = copy_budget(self.input_nodes);
        if self.copied.saturating_add(nodes) > budget {
            let message = format!(
                "`$ref: {reference}` would copy more values than bundling may ({budget}: four times the {} values of the files read, and 250,000): references that multiply (each level referring more than once to the next) are refused",
                self.input_nodes
            );
            return Err(self.error("E0015", item, rel, message));
        }
        let at_depth = item.doc.depth() + item.at.len() + rel.len();
        if at_depth + depth > MAX_DEPTH {
            let message = format!(
                "`$ref: {reference}` would nest `{}` ({depth} levels) at a depth of {at_depth}: the document would nest more than the limit of {MAX_DEPTH}",
                self.name_of(target.file, &target_pointer)
            );
            return Err(self.error("E0014", item, rel, message));
        }
        self.copied += nodes;
        let mut inlined = source.cloned().unwrap_or(Value::Null);
        let mut skip = Vec::new();
        if let Value::Object(map) = node {
            map.remove("$ref");
            if !map.is_empty() {
                if let Value::Object(target_map) = &mut inlined {
                    for (key, value) in std::mem::take(map) {
                        skip.push(key.clone());
                        target_map.insert(key, value);
                    }
                } else {
                    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                    let message = format!(
                        "`$ref: {reference}` points to a value that is not an object: its sibling keys {keys:?} are dropped"
                    );
                    self.warn("W0003", item, rel, message);
                }
            }
        }
        *node = inlined;
        let mut at = item.at.clone();
        at.extend(rel.iter().cloned());
        self.queue.push_back(Item {
            doc: item.doc,
            at,
            file: target.file,
            src: target_pointer.clone(),
            ctx,
            chain: Some(Rc::new(Link { file: target.file, pointer: target_pointer, hops, up: item.chain.clone() })),
            skip,
        });
        Ok(())
    }

    /// Rewrites `discriminator.mapping` values that name schemas in other files.
    fn mapping(&mut self, discriminator: &mut Value, item: &Item, rel: &mut Vec<String>) -> Result<(), Diagnostic> {
        let Some(mapping) = discriminator.get_mut("mapping").and_then(Value::as_object_mut) else { return Ok(()) };
        rel.push("mapping".to_owned());
        for (key, value) in mapping.iter_mut() {
            let Some(reference) = value.as_str() else { continue };
            let local = reference.starts_with('#');
            if (local && item.file == ROOT) || (!local && !looks_like_file(reference)) || is_remote(reference) {
                continue;
            }
            match self.target(item.file, reference).and_then(|target| self.schema_ref(&target)) {
                Ok(local) => *value = Value::String(local),
                Err(why) => {
                    let why = match why {
                        Unresolved::Missing(why) => why,
                        Unresolved::Syntax(d) if d.code == "E0002" => d.message,
                        // What no rule lets us read is an error, wherever it is named.
                        refused => {
                            rel.push(key.clone());
                            let d = self.unresolved(item, rel, reference, refused);
                            rel.pop();
                            rel.pop();
                            return Err(d);
                        }
                    };
                    rel.push(key.clone());
                    let message = format!("discriminator mapping `{reference}` does not resolve ({why}): left as is");
                    self.warn("W0002", item, rel, message);
                    rel.pop();
                }
            }
        }
        rel.pop();
        Ok(())
    }

    /// The local reference for a schema target: its place if it is a root component schema,
    /// otherwise its hoisted name.
    fn schema_ref(&mut self, target: &Target) -> Result<String, Unresolved> {
        if target.file == ROOT {
            let tokens: Vec<&str> = target.tokens.iter().map(String::as_str).collect();
            let component = match tokens.as_slice() {
                ["definitions", _] => self.swagger2,
                ["components", "schemas", _] => !self.swagger2,
                _ => false,
            };
            if component {
                return Ok(pointer(&target.tokens));
            }
        }
        let key = (target.file, pointer(&target.tokens));
        let name = match self.names.get(&key) {
            Some(name) => name.clone(),
            None => {
                let name = self.fresh_name(target);
                self.names.insert(key.clone(), name.clone());
                self.push_hoisted(name.clone(), target, key.1)?;
                name
            }
        };
        Ok(format!("{}{}", self.prefix, escape_token(&name)))
    }

    /// The values in `value` (counted up to the copy budget) and how deep it nests.
    fn measure_copy(&self, value: &Value) -> (usize, usize) {
        limits::measure(value, copy_budget(self.input_nodes).saturating_sub(self.copied))
    }

    fn push_hoisted(&mut self, name: String, target: &Target, src: String) -> Result<(), Unresolved> {
        let source = lookup(&self.files[target.file].value, &target.tokens);
        let (nodes, _) = source.map_or((1, 0), |v| self.measure_copy(v));
        let budget = copy_budget(self.input_nodes);
        if self.copied.saturating_add(nodes) > budget {
            let why = format!(
                "copying `{}` would copy more values than bundling may ({budget}: four times the {} values of the files read, and 250,000)",
                self.name_of(target.file, &pointer(&target.tokens)),
                self.input_nodes
            );
            return Err(Unresolved::Refused("E0015", why));
        }
        self.copied += nodes;
        let value = source.cloned().unwrap_or(Value::Null);
        let index = self.hoisted.len();
        self.hoisted.push((name, value));
        self.queue.push_back(Item {
            doc: Doc::Hoisted(index),
            at: Vec::new(),
            file: target.file,
            src,
            ctx: Ctx::Schema,
            chain: None,
            skip: Vec::new(),
        });
        Ok(())
    }

    /// The last pointer token, or the file stem for a whole file; `Name2`, `Name3`, ... when taken.
    /// A last token that says nothing by itself (`schema`, `items`, an index) is joined to the ones
    /// before it: `#/limit/schema` is `limit_schema`.
    fn fresh_name(&mut self, target: &Target) -> String {
        const GENERIC: &[&str] =
            &["schema", "items", "additionalProperties", "not", "allOf", "anyOf", "oneOf", "properties"];
        let readable = |s: &str| Some(sanitize(s)).filter(|s| s.chars().any(|c| c.is_ascii_alphabetic()));
        let mut parts = Vec::new();
        for token in target.tokens.iter().rev() {
            parts.push(token.as_str());
            if !GENERIC.contains(&token.as_str()) && index(token).is_none() {
                break;
            }
        }
        parts.reverse();
        let stem = self.files[target.file].canonical.file_stem().map(|s| s.to_string_lossy().into_owned());
        let base = Some(parts.join("_"))
            .filter(|joined| !joined.is_empty())
            .and_then(|joined| readable(&joined))
            .or_else(|| stem.as_deref().and_then(readable))
            .unwrap_or_else(|| "Schema".to_owned());
        let mut name = base.clone();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }

    /// Resolves `reference`, found in file `from`, reading its file if needed.
    fn target(&mut self, from: usize, reference: &str) -> Result<Target, Unresolved> {
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

    /// `a.yaml#/x -> b.yaml -> a.yaml#/x` when (file, pointer) is already being inlined.
    fn cycle(&self, chain: Option<&Rc<Link>>, file: usize, target_pointer: &str) -> Option<String> {
        let mut steps = Vec::new();
        let mut link = chain;
        while let Some(l) = link {
            steps.push(self.name_of(l.file, &l.pointer));
            if l.file == file && l.pointer == target_pointer {
                steps.reverse();
                steps.push(self.name_of(file, target_pointer));
                return Some(steps.join(" -> "));
            }
            link = l.up.as_ref();
        }
        None
    }

    fn name_of(&self, file: usize, target_pointer: &str) -> String {
        let display = &self.files[file].display;
        if target_pointer == "#" {
            display.clone()
        } else {
            format!("{display}{target_pointer}")
        }
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

fn lookup<'a>(value: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(value, |value, token| match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => index(token).and_then(|i| items.get(i)),
        _ => None,
    })
}

fn lookup_mut<'a>(value: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(value, |value, token| match value {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => index(token).and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// An array index token: digits, no leading zero.
pub(crate) fn index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
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

/// Characters outside `[A-Za-z0-9._-]` (the component name pattern) become `_`.
fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

/// `%20` and friends, as URI references write them; text that would not decode stays as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
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

/// RFC 6901 tokens of a decoded fragment (`/a/b~1c` -> `a`, `b/c`); `None` if it is not a pointer.
pub(crate) fn tokens_of(fragment: &str) -> Option<Vec<String>> {
    if fragment.is_empty() {
        return Some(Vec::new());
    }
    let rest = fragment.strip_prefix('/')?;
    Some(rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load;
    use serde_json::json;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A directory of spec files under the system temp dir, removed on drop.
    struct Dir(PathBuf);

    impl Dir {
        fn new(files: &[(&str, &str)]) -> Self {
            static COUNT: AtomicUsize = AtomicUsize::new(0);
            let n = COUNT.fetch_add(1, Ordering::SeqCst);
            let dir = std::env::temp_dir().join(format!("codegen-bundle-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for (name, text) in files {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Self(dir)
        }

        fn load(&self, root: &str) -> Result<(Value, Vec<Diagnostic>), Diagnostic> {
            load(&self.0.join(root)).map(|l| (l.document, l.warnings))
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Every `$ref` in `value` that does not start with `#`.
    fn external_refs(value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![value];
        while let Some(value) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items),
                Value::Object(map) => {
                    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                        if !r.starts_with('#') {
                            out.push(r.to_owned());
                        }
                    }
                    stack.extend(map.values());
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn path_item_from_another_file_is_inlined() {
        let dir = Dir::new(&[
            ("root.yaml", "openapi: 3.0.3\npaths:\n  /pets:\n    $ref: paths/pets.yaml\n"),
            ("paths/pets.yaml", "get:\n  responses:\n    '200':\n      description: ok\n"),
        ]);
        let (doc, warnings) = dir.load("root.yaml").unwrap();
        assert_eq!(doc["paths"]["/pets"], json!({"get": {"responses": {"200": {"description": "ok"}}}}));
        assert!(warnings.is_empty());
    }

    #[test]
    fn schema_is_hoisted_with_nested_refs_relative_to_its_file() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "openapi: 3.0.3\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: models/pet.yaml\n",
            ),
            ("models/pet.yaml", "type: object\nproperties:\n  owner:\n    $ref: 'people/owner.yaml#/Owner'\n"),
            ("models/people/owner.yaml", "Owner:\n  type: object\n  properties:\n    name: {type: string}\n"),
        ]);
        let (doc, _) = dir.load("root.yaml").unwrap();
        let schema = &doc["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema, &json!({"$ref": "#/components/schemas/pet"}));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["pet"]["properties"]["owner"], json!({"$ref": "#/components/schemas/Owner"}));
        assert_eq!(schemas["Owner"]["properties"]["name"], json!({"type": "string"}));
        assert!(external_refs(&doc).is_empty());
    }

    #[test]
    fn local_ref_in_another_file_means_that_file() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'params.yaml#/limit'\n      responses: {}\ncomponents:\n  schemas:\n    Limit: {type: string}\n",
            ),
            (
                "params.yaml",
                "limit:\n  name: limit\n  in: query\n  schema:\n    $ref: '#/Limit'\n  description:\n    $ref: '#/text'\nLimit:\n  type: integer\ntext: How many.\n",
            ),
        ]);
        let (doc, _) = dir.load("root.yaml").unwrap();
        let param = &doc["paths"]["/a"]["get"]["parameters"][0];
        assert_eq!(param["description"], json!("How many."));
        // The root's own `Limit` is left alone; the file's `Limit` gets the next free name.
        assert_eq!(param["schema"], json!({"$ref": "#/components/schemas/Limit2"}));
        assert_eq!(doc["components"]["schemas"]["Limit"], json!({"type": "string"}));
        assert_eq!(doc["components"]["schemas"]["Limit2"], json!({"type": "integer"}));
    }

    #[test]
    fn refs_to_refs_are_followed() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'a.yaml#/p'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: 'a.yaml#/S'\n",
            ),
            ("a.yaml", "p:\n  $ref: 'sub/b.yaml#/q'\nS:\n  $ref: 'sub/b.yaml#/T'\n"),
            ("sub/b.yaml", "q:\n  $ref: '#/r'\nr:\n  name: id\n  in: query\nT:\n  type: string\n"),
        ]);
        let (doc, _) = dir.load("root.yaml").unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0], json!({"name": "id", "in": "query"}));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["S"], json!({"$ref": "#/components/schemas/T"}));
        assert_eq!(schemas["T"], json!({"type": "string"}));
    }

    #[test]
    fn recursive_schema_across_two_files() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    Tree:\n      $ref: 'node.yaml#/Node'\n",
            ),
            ("node.yaml", "Node:\n  type: object\n  properties:\n    children:\n      $ref: 'list.yaml'\n"),
            ("list.yaml", "type: array\nitems:\n  $ref: 'node.yaml#/Node'\n"),
        ]);
        let (doc, _) = dir.load("root.yaml").unwrap();
        let schemas = &doc["components"]["schemas"];
        // The root entry that only pointed at another file takes the target under its own name.
        assert_eq!(schemas["Tree"]["properties"]["children"], json!({"$ref": "#/components/schemas/list"}));
        assert_eq!(schemas["list"]["items"], json!({"$ref": "#/components/schemas/Tree"}));
        assert_eq!(schemas.as_object().unwrap().len(), 2);
    }

    #[test]
    fn cycle_of_inlined_refs_is_an_error() {
        let dir = Dir::new(&[
            ("root.yaml", "openapi: 3.0.3\npaths:\n  /a:\n    $ref: a.yaml\n"),
            ("a.yaml", "$ref: b.yaml\n"),
            ("b.yaml", "$ref: a.yaml\n"),
        ]);
        let err = dir.load("root.yaml").unwrap_err();
        let (a, b) = (dir.0.join("a.yaml").display().to_string(), dir.0.join("b.yaml").display().to_string());
        assert_eq!(err.code, "E0007");
        assert_eq!(err.message, format!("cyclic $ref through files: {a} -> {b} -> {a}"));
        assert_eq!((err.file.as_str(), err.pointer.as_str()), (b.as_str(), "#"));
    }

    #[test]
    fn missing_file_names_the_referring_file_and_pointer() {
        let dir = Dir::new(&[
            ("root.yaml", "openapi: 3.0.3\npaths:\n  /a:\n    $ref: paths/a.yaml\n"),
            ("paths/a.yaml", "get:\n  parameters:\n    - $ref: '../missing.yaml#/x'\n"),
        ]);
        let err = dir.load("root.yaml").unwrap_err();
        assert_eq!(err.code, "E0008");
        assert!(err.file.ends_with("paths/a.yaml"), "{err}");
        assert_eq!(err.pointer, "#/get/parameters/0");
        assert!(err.message.contains("missing.yaml"), "{err}");
    }

    #[test]
    fn pointer_that_does_not_resolve_is_an_error() {
        let dir = Dir::new(&[
            ("root.yaml", "openapi: 3.0.3\npaths:\n  /a:\n    $ref: 'a.yaml#/nope'\n"),
            ("a.yaml", "get: {}\n"),
        ]);
        let err = dir.load("root.yaml").unwrap_err();
        assert_eq!(err.code, "E0008");
        assert!(err.file.ends_with("root.yaml"), "{err}");
        assert_eq!(err.pointer, "#/paths/~1a");
        assert!(err.message.contains("#/nope"), "{err}");
    }

    #[test]
    fn swagger2_hoists_into_definitions() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "swagger: '2.0'\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          schema:\n            $ref: 'Pet.yaml'\ndefinitions:\n  Pet: {type: string}\n",
            ),
            ("Pet.yaml", "type: object\n"),
        ]);
        let (doc, _) = dir.load("root.yaml").unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["responses"]["200"]["schema"], json!({"$ref": "#/definitions/Pet2"}));
        assert_eq!(doc["definitions"]["Pet2"], json!({"type": "object"}));
        assert!(doc.get("components").is_none());
    }

    #[test]
    fn siblings_override_and_remote_refs_warn() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "openapi: 3.0.3\npaths:\n  /a:\n    $ref: a.yaml\n    summary: mine\n  /b:\n    $ref: 'https://example.com/b.yaml'\n",
            ),
            ("a.yaml", "summary: theirs\ndescription: kept\n"),
        ]);
        let (doc, warnings) = dir.load("root.yaml").unwrap();
        assert_eq!(doc["paths"]["/a"], json!({"summary": "mine", "description": "kept"}));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, "W0001");
        assert_eq!(warnings[0].pointer, "#/paths/~1b");
    }

    #[test]
    fn discriminator_mapping_to_files_is_rewritten() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'pet.yaml'\n",
            ),
            (
                "pet.yaml",
                "oneOf:\n  - $ref: 'dog.yaml'\ndiscriminator:\n  propertyName: kind\n  mapping:\n    dog: 'dog.yaml'\n    cat: 'cat.yaml'\n",
            ),
            ("dog.yaml", "type: object\n"),
        ]);
        let (doc, warnings) = dir.load("root.yaml").unwrap();
        let mapping = &doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"];
        assert_eq!(mapping["dog"], json!("#/components/schemas/dog"));
        assert_eq!(mapping["cat"], json!("cat.yaml"));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, "W0002");
    }

    #[test]
    fn generic_last_tokens_are_joined_to_the_ones_before() {
        let dir = Dir::new(&[
            (
                "root.yaml",
                "openapi: 3.0.3\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: 'p.yaml#/limit/schema'}\n        c: {$ref: 'p.yaml#/Pet/allOf/0'}\n        d: {$ref: 'p.yaml#/0'}\n",
            ),
            ("p.yaml", "limit:\n  schema: {type: integer}\nPet:\n  allOf:\n    - type: object\n0: {type: string}\n"),
        ]);
        let (doc, _) = dir.load("root.yaml").unwrap();
        let names: Vec<&String> = doc["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["A", "limit_schema", "Pet_allOf_0", "p"]);
    }

    #[test]
    fn helpers() {
        assert_eq!(percent_decode("a%20b%zz%7B"), "a b%zz{");
        assert_eq!(lexical(Path::new("a/b/../../../c/./d.yaml")), "../c/d.yaml");
        assert!(is_remote("https://x/y.yaml") && is_remote("//x/y") && !is_remote("C:/x.yaml"));
        assert!(!is_remote("a/b.yaml#/x:y"));
        assert_eq!(index("01"), None);
        assert_eq!(sanitize("a b/c"), "a_b_c");
    }

    fn corpus(path: &str) -> Option<PathBuf> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(path);
        if path.exists() {
            Some(path)
        } else {
            eprintln!("skipped: {} is absent", path.display());
            None
        }
    }

    #[test]
    fn digitalocean_bundles_parses_and_has_only_local_refs() {
        let Some(path) = corpus("digitalocean/specification/DigitalOcean-public.v2.yaml") else { return };
        let start = std::time::Instant::now();
        let loaded = load(&path).unwrap_or_else(|d| panic!("{d}"));
        let elapsed = start.elapsed();
        let mut doc = loaded.document;
        let schemas = doc["components"]["schemas"].as_object().map_or(0, Map::len);
        eprintln!("DigitalOcean: loaded and bundled in {elapsed:?}, {schemas} component schemas");
        assert_eq!(external_refs(&doc), Vec::<String>::new());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        crate::normalise::normalise(&mut doc).unwrap_or_else(|d| panic!("{d}"));
        crate::parse::parse(&doc).unwrap_or_else(|d| panic!("{d}"));
    }

    #[test]
    fn swagger2_petstore_separate_bundles() {
        let Some(path) = corpus("swagger2/petstore-separate/spec/swagger.yaml") else { return };
        // `../common/Error.yaml` is outside the spec's folder: refused unless a wider one is named.
        assert_eq!(load(&path).unwrap_err().code, "E0009");
        let folder = path.parent().and_then(Path::parent).unwrap();
        let loaded = crate::load::load_within(&path, folder).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(external_refs(&loaded.document), Vec::<String>::new());
        let definitions = loaded.document["definitions"].as_object().unwrap();
        assert!(definitions.contains_key("Pet") && definitions.contains_key("Error"), "{definitions:?}");
        assert_eq!(loaded.document["paths"]["/pets"]["get"]["parameters"][1]["name"], json!("limit"));
    }
}

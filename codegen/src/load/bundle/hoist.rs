//! What a reference becomes: a schema target is hoisted into the root's schemas under a fresh,
//! readable name (once per target), anything else is inlined, a reference into the root stays local.

use super::{is_remote, looks_like_file, set_ref, Bundler, Ctx, Doc, Item, Link, Target, Unresolved, ROOT};
use crate::diagnostics::{escape_token, pointer, Diagnostic};
use crate::load::limits::{self, copy_budget, MAX_DEPTH, MAX_INLINE_CHAIN};
use crate::load::pointer::{index, lookup};
use serde_json::Value;
use std::rc::Rc;

impl Bundler {
    /// Resolves the `$ref` of `node` (whose siblings are done): hoists, inlines or keeps it.
    pub(super) fn reference(
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
    pub(super) fn mapping(
        &mut self,
        discriminator: &mut Value,
        item: &Item,
        rel: &mut Vec<String>,
    ) -> Result<(), Diagnostic> {
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

    pub(super) fn push_hoisted(&mut self, name: String, target: &Target, src: String) -> Result<(), Unresolved> {
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
}

/// Characters outside `[A-Za-z0-9._-]` (the component name pattern) become `_`.
fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(sanitize("a b/c"), "a_b_c");
    }
}

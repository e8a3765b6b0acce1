//! Following a local reference to its final target: through references met on the way and through
//! targets that are only a reference, at most [`MAX_HOPS`] of them, each distinct reference once.

use super::places::{ctx_of, Ctx, Kind};
use super::{Final, MAX_HOPS};
use crate::diagnostics::pointer;
use crate::load::{index, lookup, percent_decode, tokens_of};
use serde_json::Value;
use std::collections::HashMap;

/// Resolves the references of one document, remembering each result.
pub(super) struct Resolver<'a> {
    doc: &'a Value,
    swagger2: bool,
    /// Reference -> (kind of place, result) for each kind it was met in.
    memo: HashMap<String, Vec<(Kind, Resolved)>>,
}

/// Where a reference ends up, or why it does not resolve.
type Resolved = Result<Final, String>;

impl<'a> Resolver<'a> {
    /// A resolver of references in `doc`.
    pub(super) fn new(doc: &'a Value, swagger2: bool) -> Self {
        Self { doc, swagger2, memo: HashMap::new() }
    }

    /// Where `reference`, in a place of kind `kind`, ends up; `Err` says why it does not resolve.
    pub(super) fn resolve(&mut self, reference: &str, kind: Kind, hops: usize) -> Result<Final, String> {
        let done = self.memo.get(reference).and_then(|kinds| kinds.iter().find(|(k, _)| *k == kind));
        if let Some((_, done)) = done {
            return done.clone();
        }
        let result = self.resolve_uncached(reference, kind, hops);
        self.memo.entry(reference.to_owned()).or_default().push((kind, result.clone()));
        result
    }

    fn resolve_uncached(&mut self, reference: &str, kind: Kind, hops: usize) -> Result<Final, String> {
        if hops > MAX_HOPS {
            return Err("is part of a cycle of references".to_owned());
        }
        let fragment = reference.strip_prefix('#').unwrap_or(reference);
        let decoded = percent_decode(fragment);
        let tokens =
            tokens_of(&decoded).ok_or_else(|| format!("does not resolve: `#{decoded}` is not a JSON pointer"))?;
        if let Some(container) = kind.container(self.swagger2) {
            let component = tokens.len() == container.len() + 1 && tokens.iter().zip(container).all(|(t, c)| t == c);
            if component {
                // A missing component is reported where it is used, by the lowering.
                let canonical = pointer(&tokens);
                let exists = lookup(self.doc, &tokens).is_some();
                return Ok(Final::Component(if exists { canonical } else { reference.to_owned() }));
            }
        }
        // `%` taken literally, when the decoded pointer finds nothing.
        let located = match self.locate(&tokens, hops) {
            Err(why) if decoded != fragment => {
                tokens_of(fragment).and_then(|raw| self.locate(&raw, hops).ok()).ok_or(why)
            }
            other => other,
        }
        .map_err(|why| format!("does not resolve: {why}"))?;
        let value = lookup(self.doc, &located).unwrap_or(&Value::Null);
        let Value::Object(map) = value else {
            return Err(format!("points to {}, not an object", crate::overlay::kind(value)));
        };
        if map.len() == 1 {
            if let Some(next) = map.get("$ref").and_then(Value::as_str).filter(|r| r.starts_with('#')) {
                return self.resolve(next, kind, hops + 1);
            }
        }
        if let Some(ty) = map.get("type").filter(|t| kind == Kind::Schema && !t.is_string() && !t.is_array()) {
            // `X/definitions/y: {type: {...}}`: a map of schemas, not one.
            return Err(format!(
                "points to an object that is not a schema (at {}: its `type` is {})",
                pointer(&located),
                crate::overlay::kind(ty)
            ));
        }
        let ctx = ctx_of(&located, Ctx::Top, self.swagger2);
        if ctx != Ctx::Other && ctx != kind.ctx() {
            return Err(format!("points to {} (at {}), not {}", ctx.noun(), pointer(&located), kind.ctx().noun()));
        }
        Ok(Final::Target(located))
    }

    /// The tokens of the value at `tokens`, following a `$ref` met on the way.
    fn locate(&self, tokens: &[String], hops: usize) -> Result<Vec<String>, String> {
        let mut tokens = tokens.to_vec();
        let mut hops = hops;
        'restart: loop {
            let mut node = self.doc;
            for (i, token) in tokens.iter().enumerate() {
                let next = match node {
                    Value::Object(map) => map.get(token),
                    Value::Array(items) => index(token).and_then(|n| items.get(n)),
                    _ => None,
                };
                if let Some(next) = next {
                    node = next;
                    continue;
                }
                // `A/properties/b/items` where `b` is `$ref: B`: B's tokens, then `items`.
                let through = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'));
                if let Some(through) = through.filter(|_| hops < MAX_HOPS) {
                    hops += 1;
                    let mut rerouted = tokens_of(&percent_decode(through)).unwrap_or_default();
                    rerouted.extend(tokens[i..].iter().cloned());
                    tokens = rerouted;
                    continue 'restart;
                }
                return Err(format!("nothing at `{}`", pointer(&tokens[..=i])));
            }
            return Ok(tokens);
        }
    }
}

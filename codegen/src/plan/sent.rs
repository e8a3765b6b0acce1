//! Which types requests send: they get a `validate()`. (Every type gets both serde impls: users
//! cache, forward and fake responses as much as they send requests.)

use crate::ir::{reachable_types, Api, BodyKind, RequestBody, Success};
use std::collections::HashSet;

/// The types requests send (bodies and parameter values, and what they hold), plus the types no
/// operation reaches (a spec without operations is all models).
#[derive(Debug, Default)]
pub struct SentTypes(HashSet<String>);

impl SentTypes {
    /// The sent types of `api`.
    pub fn of(api: &Api) -> Self {
        let (mut sent, mut received) = (Vec::new(), Vec::new());
        for op in &api.operations {
            for param in &op.params {
                param.ty.collect_named(&mut sent);
            }
            if let Some(RequestBody { kind: BodyKind::Json(ty), .. }) = &op.body {
                ty.collect_named(&mut sent);
            }
            for response in &op.responses {
                if let Some(BodyKind::Json(ty)) = &response.body {
                    ty.collect_named(&mut received);
                }
            }
            if let Success::Body { kind: BodyKind::Json(ty), .. } = &op.success {
                ty.collect_named(&mut received);
            }
        }
        let reached = reachable_types(&api.types, sent.iter().chain(&received).cloned().collect());
        sent.extend(api.types.iter().filter(|t| !reached.contains(&t.name)).map(|t| t.name.clone()));
        Self(reachable_types(&api.types, sent))
    }

    /// Whether requests send the type `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }
}

//! Operations (client methods), their parameters, bodies, returns and credentials; security
//! schemes (builder setters); tag features.

use super::rust::{body_text, param_text, return_text};
use super::{docs_difference, token, At, ChangeKind, Changes, Impact, Item, Member, Subject};
use crate::emit::TagFeatures;
use crate::ir::{Api, Operation, Param, ParamLocation, RequestBody, Response, SchemeKind, SecurityScheme, StatusMatch};
use proc_macro2::{TokenStream, TokenTree};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Security schemes, matched by key: each is a `ClientBuilder` setter.
pub(super) fn compare_security_schemes(changes: &mut Changes<'_>, old: &Api, new: &Api) {
    let old_by_key: HashMap<&str, &SecurityScheme> = old.security_schemes.iter().map(|s| (s.key.as_str(), s)).collect();
    for scheme in &new.security_schemes {
        let pointer = format!("#/components/securitySchemes/{}", token(&scheme.key));
        let subject = changes.context.subject(Item::SecurityScheme, &scheme.key, None);
        match old_by_key.get(scheme.key.as_str()) {
            None => {
                let reason = format!("new builder method `ClientBuilder::{}`", scheme.setter);
                changes.push(ChangeKind::SecuritySchemeAdded, Impact::Compatible, subject, reason, At::new(&pointer));
            }
            Some(before) => compare_security_scheme(changes, before, scheme, subject, &pointer),
        }
    }
    let new_keys: HashSet<&str> = new.security_schemes.iter().map(|s| s.key.as_str()).collect();
    for scheme in old.security_schemes.iter().filter(|s| !new_keys.contains(s.key.as_str())) {
        let pointer = format!("#/components/securitySchemes/{}", token(&scheme.key));
        let subject = changes.context.subject(Item::SecurityScheme, &scheme.key, None);
        let reason = format!("removed: `ClientBuilder::{}` is gone", scheme.setter);
        changes.push(ChangeKind::SecuritySchemeRemoved, Impact::Breaking, subject, reason, At::old(&pointer));
    }
}

fn compare_security_scheme(
    changes: &mut Changes<'_>,
    before: &SecurityScheme,
    after: &SecurityScheme,
    subject: Subject,
    pointer: &str,
) {
    let at = || At::both(pointer, pointer);
    let basic = |s: &SecurityScheme| s.kind == SchemeKind::Basic;
    if before.setter != after.setter {
        let reason = format!("`ClientBuilder::{}` is now `ClientBuilder::{}`", before.setter, after.setter);
        changes.push(ChangeKind::SecuritySchemeChanged, Impact::Breaking, subject.clone(), reason, at());
    } else if basic(before) != basic(after) {
        let reason = format!(
            "`ClientBuilder::{}` now takes {}",
            after.setter,
            if basic(after) { "a user name and a password" } else { "one secret" }
        );
        changes.push(ChangeKind::SecuritySchemeChanged, Impact::Breaking, subject.clone(), reason, at());
    } else if before.kind != after.kind {
        let reason = format!("the credential is now sent as {}", scheme_kind_text(&after.kind));
        changes.push(ChangeKind::SecuritySchemeChanged, Impact::NoApiChange, subject.clone(), reason, at());
    }
    if before.description != after.description {
        let reason = "description changed: only docs change".to_owned();
        changes.push(ChangeKind::DocsChanged, Impact::NoApiChange, subject, reason, at());
    }
}

fn scheme_kind_text(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Bearer => "`Authorization: Bearer`".to_owned(),
        SchemeKind::Basic => "`Authorization: Basic`".to_owned(),
        SchemeKind::ApiKeyHeader(name) => format!("the `{name}` header"),
        SchemeKind::ApiKeyQuery(name) => format!("the `{name}` query parameter"),
        SchemeKind::ApiKeyCookie(name) => format!("the `{name}` cookie"),
    }
}

/// Tag features of standalone crates: the features themselves, and which operations and types
/// each compiles.
pub(super) fn compare_features(changes: &mut Changes<'_>, old: &Api, new: &Api) {
    let (old_features, new_features) = (TagFeatures::of(old), TagFeatures::of(new));
    for feature in new_features.features.iter().filter(|f| !old_features.features.contains(f)) {
        let subject = changes.context.subject(Item::Feature, feature, None);
        let reason = "new cargo feature (a new tag), on by default".to_owned();
        changes.push(ChangeKind::FeatureAdded, Impact::Compatible, subject, reason, At::new("#/tags"));
    }
    for feature in old_features.features.iter().filter(|f| !new_features.features.contains(f)) {
        let subject = changes.context.subject(Item::Feature, feature, None);
        let reason = "cargo feature removed (no operation has its tag any more): manifests naming it fail".to_owned();
        changes.push(ChangeKind::FeatureRemoved, Impact::Breaking, subject, reason, At::old("#/tags"));
    }
    if old_features.features.is_empty() {
        // Nobody could turn a feature off before, so no gate can have taken anything away.
        return;
    }
    let old_ops: HashMap<&str, &Operation> = old.operations.iter().map(|op| (op.id.as_str(), op)).collect();
    for op in &new.operations {
        if let Some(before) = old_ops.get(op.id.as_str()) {
            let gates = (gate(old_features.operation_cfg(&before.name)), gate(new_features.operation_cfg(&op.name)));
            let subject = changes.context.subject(Item::Operation, &op.id, None);
            compare_gates(changes, gates, subject, At::both(&before.pointer, &op.pointer));
        }
    }
    let old_types: HashMap<&str, &str> = old.types.iter().map(|t| (t.name.as_str(), t.pointer.as_str())).collect();
    for def in &new.types {
        if let Some(old_pointer) = old_types.get(def.name.as_str()) {
            let gates = (gate(old_features.type_cfg(&def.name)), gate(new_features.type_cfg(&def.name)));
            let subject = changes.context.subject(Item::Type, &def.name, None);
            compare_gates(changes, gates, subject, At::both(old_pointer, &def.pointer));
        }
    }
}

/// The features that compile an item; `None` when it is always compiled.
type Gate = Option<BTreeSet<String>>;

/// The feature names in a `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]`.
fn gate(cfg: TokenStream) -> Gate {
    fn collect(tokens: TokenStream, out: &mut BTreeSet<String>) {
        for tree in tokens {
            match tree {
                TokenTree::Group(group) => collect(group.stream(), out),
                TokenTree::Literal(literal) => {
                    out.insert(literal.to_string().trim_matches('"').to_owned());
                }
                TokenTree::Ident(_) | TokenTree::Punct(_) => {}
            }
        }
    }
    let mut features = BTreeSet::new();
    collect(cfg, &mut features);
    (!features.is_empty()).then_some(features)
}

fn features_text(features: &BTreeSet<String>) -> String {
    const SHOWN: usize = 4;
    let names: Vec<String> = features.iter().take(SHOWN).map(|f| format!("`{f}`")).collect();
    let more = features.len().saturating_sub(SHOWN);
    if more == 0 {
        names.join(" or ")
    } else {
        format!("{} or {more} more", names.join(", "))
    }
}

fn compare_gates(changes: &mut Changes<'_>, (old, new): (Gate, Gate), subject: Subject, at: At<'_>) {
    let (impact, reason) = match (&old, &new) {
        (None, None) => return,
        (Some(before), Some(after)) if before == after => return,
        (Some(before), None) => {
            (Impact::Compatible, format!("now always compiled (was: only with {})", features_text(before)))
        }
        (None, Some(after)) => (
            Impact::Breaking,
            format!(
                "now compiled only with {} (was: always): builds without those features lose it",
                features_text(after)
            ),
        ),
        (Some(before), Some(after)) => {
            let lost: BTreeSet<String> = before.difference(after).cloned().collect();
            let gained: BTreeSet<String> = after.difference(before).cloned().collect();
            if lost.is_empty() {
                (Impact::Compatible, format!("now also compiled with {}", features_text(&gained)))
            } else {
                let reason = format!(
                    "no longer compiled with {} alone (now: with {}): builds that enable only those features lose it",
                    features_text(&lost),
                    features_text(after)
                );
                (Impact::Breaking, reason)
            }
        }
    };
    changes.push(ChangeKind::FeatureGateChanged, impact, subject, reason, at);
}

/// Operations, matched by operationId.
pub(super) fn compare_operations(changes: &mut Changes<'_>, old: &Api, new: &Api) {
    let old_by_id: HashMap<&str, &Operation> = old.operations.iter().map(|op| (op.id.as_str(), op)).collect();
    for op in &new.operations {
        match old_by_id.get(op.id.as_str()) {
            Some(before) => OperationPair { before, after: op }.compare(changes),
            None => {
                let subject = changes.context.subject(Item::Operation, &op.id, None);
                let reason = format!("new method `Client::{}` (`{} {}`)", op.name, op.method, op.path);
                changes.push(ChangeKind::OperationAdded, Impact::Compatible, subject, reason, At::new(&op.pointer));
            }
        }
    }
    let new_ids: HashSet<&str> = new.operations.iter().map(|op| op.id.as_str()).collect();
    for op in old.operations.iter().filter(|op| !new_ids.contains(op.id.as_str())) {
        let subject = changes.context.subject(Item::Operation, &op.id, None);
        let mut reason = format!("removed: `Client::{}` (`{} {}`) is gone", op.name, op.method, op.path);
        let successor = new.operations.iter().find(|n| n.method == op.method && n.path == op.path);
        if let Some(successor) = successor.filter(|n| !old_by_id.contains_key(n.id.as_str())) {
            reason.push_str(&format!(
                " (the endpoint is now operation `{}`, `Client::{}`)",
                successor.id, successor.name
            ));
        }
        changes.push(ChangeKind::OperationRemoved, Impact::Breaking, subject, reason, At::old(&op.pointer));
    }
}

/// One operation in both models.
struct OperationPair<'a> {
    before: &'a Operation,
    after: &'a Operation,
}

impl OperationPair<'_> {
    fn compare(&self, changes: &mut Changes<'_>) {
        self.compare_endpoint(changes);
        self.compare_params_argument(changes);
        self.compare_params(changes);
        self.compare_body(changes);
        self.compare_return(changes);
        self.compare_responses(changes);
        self.compare_security(changes);
        self.compare_docs(changes);
        self.compare_unclassified(changes);
    }

    fn subject(&self, changes: &Changes<'_>, member: Option<Member>) -> Subject {
        changes.context.subject(Item::Operation, &self.after.id, member)
    }

    fn at(&self) -> At<'_> {
        At::both(&self.before.pointer, &self.after.pointer)
    }

    fn push(
        &self,
        changes: &mut Changes<'_>,
        kind: ChangeKind,
        impact: Impact,
        member: Option<Member>,
        reason: String,
    ) {
        let subject = self.subject(changes, member);
        changes.push(kind, impact, subject, reason, self.at());
    }

    fn compare_endpoint(&self, changes: &mut Changes<'_>) {
        let (before, after) = (self.before, self.after);
        if (&before.method, &before.path) != (&after.method, &after.path) {
            let reason = format!(
                "`{} {}` is now `{} {}`: `Client::{}` calls the new endpoint, which servers of the old version lack",
                before.method, before.path, after.method, after.path, after.name
            );
            self.push(changes, ChangeKind::OperationMoved, Impact::Breaking, None, reason);
        }
        if before.name != after.name {
            let reason = format!("`Client::{}` is now `Client::{}`", before.name, after.name);
            self.push(changes, ChangeKind::MethodRenamed, Impact::Breaking, None, reason);
        }
    }

    fn compare_params_argument(&self, changes: &mut Changes<'_>) {
        let method = &self.after.name;
        let (kind, reason) = match (&self.before.params_type, &self.after.params_type) {
            (None, Some(new)) => (
                ChangeKind::ParamsArgumentAdded,
                format!("`Client::{method}` takes a new `params: &types::{new}` argument (its first query, header or cookie parameter)"),
            ),
            (Some(old), None) => (
                ChangeKind::ParamsArgumentRemoved,
                format!("`Client::{method}` no longer takes `params: &types::{old}`"),
            ),
            (Some(old), Some(new)) if old != new => {
                (ChangeKind::ParamsTypeRenamed, format!("`types::{old}` is now `types::{new}`"))
            }
            _ => return,
        };
        self.push(changes, kind, Impact::Breaking, None, reason);
    }

    fn compare_params(&self, changes: &mut Changes<'_>) {
        for param in &self.after.params {
            match self.old_param(param) {
                Some(before) => self.compare_param(changes, before, param),
                None => self.param_added(changes, param),
            }
        }
        for param in self.before.params.iter().filter(|p| self.new_param(p).is_none()) {
            let reason = format!("removed: `{}` ({}) is gone", param.name, location_text(param.location));
            let member = Some(Member::Parameter(param.wire_name.clone()));
            self.push(changes, ChangeKind::ParameterRemoved, Impact::Breaking, member, reason);
        }
    }

    /// The old parameter `param` continues: same wire name and location, or same wire name when
    /// the old location is gone (the parameter moved).
    fn old_param(&self, param: &Param) -> Option<&Param> {
        let same = |p: &&Param| p.wire_name == param.wire_name && p.location == param.location;
        self.before.params.iter().find(same).or_else(|| {
            self.before.params.iter().find(|old| {
                old.wire_name == param.wire_name
                    && !self.after.params.iter().any(|p| p.wire_name == old.wire_name && p.location == old.location)
            })
        })
    }

    /// The new parameter continuing `old`, the mirror of [`Self::old_param`].
    fn new_param(&self, old: &Param) -> Option<&Param> {
        self.after.params.iter().find(|p| self.old_param(p).is_some_and(|o| std::ptr::eq(o, old)))
    }

    fn param_added(&self, changes: &mut Changes<'_>, param: &Param) {
        let declaration = format!("`{}: {}`", param.name, param_text(param));
        let (impact, reason) = match (param.location, param.required) {
            (ParamLocation::Path, _) => (
                Impact::Breaking,
                format!("new path parameter: `Client::{}` takes a new argument {declaration}", self.after.name),
            ),
            (location, true) => (
                Impact::Breaking,
                format!(
                    "required {} parameter added: callers must set the new field {declaration}",
                    location_text(location)
                ),
            ),
            (location, false) => (
                Impact::Compatible,
                format!("optional {} parameter added: new field {declaration}", location_text(location)),
            ),
        };
        let member = Some(Member::Parameter(param.wire_name.clone()));
        self.push(changes, ChangeKind::ParameterAdded, impact, member, reason);
    }

    fn compare_param(&self, changes: &mut Changes<'_>, before: &Param, after: &Param) {
        let member = || Some(Member::Parameter(after.wire_name.clone()));
        if before.location != after.location {
            let crosses_path = (before.location == ParamLocation::Path) != (after.location == ParamLocation::Path);
            let (impact, effect) = if crosses_path {
                (Impact::Breaking, "it moves between the method's arguments and its params struct")
            } else {
                (Impact::NoApiChange, "the Rust API is unchanged")
            };
            let reason = format!(
                "now a {} parameter (was {}): {effect}",
                location_text(after.location),
                location_text(before.location)
            );
            self.push(changes, ChangeKind::ParameterLocationChanged, impact, member(), reason);
        }
        if before.name != after.name {
            let reason = format!("`{}` is now `{}`", before.name, after.name);
            self.push(changes, ChangeKind::ParameterRenamed, Impact::Breaking, member(), reason);
        }
        let (old_type, new_type) = (param_text(before), param_text(after));
        if before.ty != after.ty {
            let impact = if old_type == new_type { Impact::NoApiChange } else { Impact::Breaking };
            let reason = format!("type `{old_type}` -> `{new_type}`");
            self.push(changes, ChangeKind::ParameterTypeChanged, impact, member(), reason);
        } else if before.required != after.required {
            let (kind, impact, reason) = if after.required {
                let reason = format!("now required: callers must give it (`{old_type}` -> `{new_type}`)");
                (ChangeKind::ParameterBecameRequired, Impact::Breaking, reason)
            } else {
                let impact = if old_type == new_type { Impact::NoApiChange } else { Impact::Breaking };
                let reason = format!("now optional: `{old_type}` -> `{new_type}`, callers wrap the value in `Some`");
                (ChangeKind::ParameterBecameOptional, impact, reason)
            };
            self.push(changes, kind, impact, member(), reason);
        }
        // A location change changes the default style too: reported once, above.
        if before.location == after.location && (before.explode, before.style) != (after.explode, after.style) {
            let reason = "the value is now serialized in another style: the Rust API is unchanged".to_owned();
            self.push(changes, ChangeKind::ParameterStyleChanged, Impact::NoApiChange, member(), reason);
        }
        let parts = docs_difference(&before.docs, &after.docs);
        if !parts.is_empty() {
            let reason = format!("{} changed: only docs change", parts.join(", "));
            self.push(changes, ChangeKind::DocsChanged, Impact::NoApiChange, member(), reason);
        }
    }

    fn compare_body(&self, changes: &mut Changes<'_>) {
        let member = || Some(Member::RequestBody);
        let (kind, impact, reason) = match (&self.before.body, &self.after.body) {
            (None, None) => return,
            (None, Some(after)) => (
                ChangeKind::RequestBodyAdded,
                Impact::Breaking,
                format!(
                    "`Client::{}` takes a new `body: {}` argument",
                    self.after.name,
                    body_text(&after.kind, after.required)
                ),
            ),
            (Some(before), None) => (
                ChangeKind::RequestBodyRemoved,
                Impact::Breaking,
                format!(
                    "`Client::{}` no longer takes `body: {}`",
                    self.after.name,
                    body_text(&before.kind, before.required)
                ),
            ),
            (Some(before), Some(after)) => return self.compare_bodies(changes, before, after),
        };
        self.push(changes, kind, impact, member(), reason);
    }

    fn compare_bodies(&self, changes: &mut Changes<'_>, before: &RequestBody, after: &RequestBody) {
        let member = || Some(Member::RequestBody);
        let (old_type, new_type) = (body_text(&before.kind, before.required), body_text(&after.kind, after.required));
        if before.kind != after.kind {
            let reason = format!("`body: {old_type}` -> `body: {new_type}`");
            self.push(changes, ChangeKind::RequestBodyTypeChanged, Impact::Breaking, member(), reason);
        } else if before.required != after.required {
            let kind = if after.required {
                ChangeKind::RequestBodyBecameRequired
            } else {
                ChangeKind::RequestBodyBecameOptional
            };
            let reason = format!("now {}: `body: {old_type}` -> `body: {new_type}`", required_text(after.required));
            self.push(changes, kind, Impact::Breaking, member(), reason);
        }
        if before.media_type != after.media_type {
            let reason = format!("sent as `{}` (was `{}`)", after.media_type, before.media_type);
            let impact = if before.kind == after.kind { Impact::NoApiChange } else { Impact::Breaking };
            self.push(changes, ChangeKind::RequestBodyMediaTypeChanged, impact, member(), reason);
        }
        let parts = docs_difference(&before.docs, &after.docs);
        if !parts.is_empty() {
            let reason = format!("{} changed: only docs change", parts.join(", "));
            self.push(changes, ChangeKind::DocsChanged, Impact::NoApiChange, member(), reason);
        }
    }

    fn compare_return(&self, changes: &mut Changes<'_>) {
        let (old_type, new_type) = (return_text(&self.before.success), return_text(&self.after.success));
        let member = || Some(Member::Response);
        if old_type != new_type {
            let reason = format!("`Client::{}` returns `{new_type}` (was `{old_type}`)", self.after.name);
            self.push(changes, ChangeKind::ReturnTypeChanged, Impact::Breaking, member(), reason);
        } else if self.before.success != self.after.success {
            let reason = format!("the success statuses changed; the return type stays `{new_type}`");
            self.push(changes, ChangeKind::SuccessStatusesChanged, Impact::NoApiChange, member(), reason);
        }
    }

    fn compare_responses(&self, changes: &mut Changes<'_>) {
        let documented = |responses: &[Response]| -> Vec<(String, String)> {
            responses.iter().map(|r| (status_text(r.status), r.description.clone())).collect()
        };
        let (before, after) = (documented(&self.before.responses), documented(&self.after.responses));
        if before == after {
            return;
        }
        let statuses = |list: &[(String, String)]| -> Vec<String> { list.iter().map(|(s, _)| s.clone()).collect() };
        let (old_statuses, new_statuses) = (statuses(&before), statuses(&after));
        let added: Vec<&str> = new_statuses.iter().filter(|s| !old_statuses.contains(s)).map(String::as_str).collect();
        let removed: Vec<&str> =
            old_statuses.iter().filter(|s| !new_statuses.contains(s)).map(String::as_str).collect();
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("{} added", added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(format!("{} removed", removed.join(", ")));
        }
        if parts.is_empty() {
            parts.push("descriptions changed".to_owned());
        }
        let reason = format!("documented responses: {}; only docs change", parts.join(", "));
        self.push(changes, ChangeKind::ResponsesChanged, Impact::NoApiChange, Some(Member::Response), reason);
    }

    fn compare_security(&self, changes: &mut Changes<'_>) {
        let (before, after) = (alternatives(self.before), alternatives(self.after));
        // A caller holding exactly the credentials of one old alternative: does a new one suffice?
        let still_enough = |held: &BTreeSet<&str>| after.iter().any(|needed| needed.is_subset(held));
        let was_enough = |held: &BTreeSet<&str>| before.iter().any(|needed| needed.is_subset(held));
        let added = before.iter().any(|held| !still_enough(held));
        let relaxed = after.iter().any(|held| !was_enough(held));
        let needed = format!("needs {} (was: {})", alternatives_text(&after), alternatives_text(&before));
        if added {
            let reason =
                format!("auth requirement added: {needed}; calls without it fail with `Error::MissingCredentials`");
            self.push(changes, ChangeKind::AuthRequirementAdded, Impact::Breaking, None, reason);
        } else if relaxed {
            let reason = format!("auth requirement relaxed: {needed}");
            self.push(changes, ChangeKind::AuthRequirementRelaxed, Impact::NoApiChange, None, reason);
        }
    }

    fn compare_docs(&self, changes: &mut Changes<'_>) {
        let (before, after) = (&self.before.docs, &self.after.docs);
        if before.deprecated != after.deprecated {
            let (kind, impact, reason) = if after.deprecated {
                let reason = format!("`Client::{}` is now `#[deprecated]`: calls warn", self.after.name);
                (ChangeKind::DeprecationAdded, Impact::Compatible, reason)
            } else {
                let reason = format!("`Client::{}` is no longer deprecated", self.after.name);
                (ChangeKind::DeprecationRemoved, Impact::NoApiChange, reason)
            };
            self.push(changes, kind, impact, None, reason);
        }
        let parts: Vec<&str> =
            docs_difference(before, after).into_iter().filter(|p| !p.starts_with("deprecation")).collect();
        if !parts.is_empty() {
            let reason = format!("{} changed: only docs change", parts.join(", "));
            self.push(changes, ChangeKind::DocsChanged, Impact::NoApiChange, None, reason);
        }
    }
}

impl OperationPair<'_> {
    /// Parts of the model whose Rust API this report does not classify (yet): reported as
    /// breaking, the safe side for a version bump, naming what to review in the generated diff.
    fn compare_unclassified(&self, changes: &mut Changes<'_>) {
        let (before, after) = (self.before, self.after);
        let mut parts = Vec::new();
        if before.pagination != after.pagination {
            parts.push("`x-pagination`");
        }
        let alternatives = |op: &Operation| op.body.as_ref().map(|b| b.alternatives.clone()).unwrap_or_default();
        if alternatives(before) != alternatives(after) {
            parts.push("the request body's other media types");
        }
        let success_shape = |op: &Operation| -> Vec<(Option<String>, Vec<crate::ir::ResponseHeader>)> {
            let success = op.responses.iter().filter(|r| is_success(r.status));
            success.map(|r| (r.media_type.clone(), r.headers.clone())).collect()
        };
        if success_shape(before) != success_shape(after) {
            parts.push("the success response's media type or headers");
        }
        if !parts.is_empty() {
            let reason =
                format!("{} changed, which this report does not classify: review the generated code", parts.join(", "));
            self.push(changes, ChangeKind::Unclassified, Impact::Breaking, None, reason);
        }
    }
}

fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(code) => (200..300).contains(&code),
        StatusMatch::Range(digit) => digit == 2,
        StatusMatch::Default => false,
    }
}

/// The credential sets any one of which lets a call through; no requirement is one empty set.
fn alternatives(op: &Operation) -> Vec<BTreeSet<&str>> {
    if op.security.is_empty() {
        return vec![BTreeSet::new()];
    }
    op.security.iter().map(|alternative| alternative.iter().map(String::as_str).collect()).collect()
}

fn alternatives_text(alternatives: &[BTreeSet<&str>]) -> String {
    let texts: Vec<String> = alternatives
        .iter()
        .map(|all| {
            if all.is_empty() {
                "none".to_owned()
            } else {
                all.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(" and ")
            }
        })
        .collect();
    texts.join(" or ")
}

fn location_text(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn required_text(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(digit) => format!("{digit}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn features(names: &[&str]) -> Gate {
        Some(names.iter().map(|n| (*n).to_owned()).collect())
    }

    #[test]
    fn gates_are_read_from_cfg_attributes() {
        assert_eq!(gate(quote!()), None);
        assert_eq!(gate(quote!(#[cfg(feature = "repos")])), features(&["repos"]));
        assert_eq!(gate(quote!(#[cfg(any(feature = "a", feature = "b"))])), features(&["a", "b"]));
    }

    #[test]
    fn a_gate_that_loses_a_feature_breaks_and_one_that_gains_does_not() {
        let context = super::super::Context::files("old", "new");
        let mut changes = Changes { context: &context, found: Vec::new() };
        let subject = || context.subject(Item::Type, "Label", None);
        let cases = [
            (features(&["activity", "issues"]), features(&["issues"])),
            (features(&["issues"]), features(&["activity", "issues"])),
            (None, features(&["issues"])),
            (features(&["issues"]), None),
            (features(&["issues"]), features(&["issues"])),
        ];
        for gates in cases {
            compare_gates(&mut changes, gates, subject(), At::both("#", "#"));
        }
        let impacts: Vec<Impact> = changes.found.iter().map(|c| c.impact).collect();
        assert_eq!(impacts, [Impact::Breaking, Impact::Compatible, Impact::Breaking, Impact::Compatible]);
    }
}

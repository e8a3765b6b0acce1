//! Operations (client methods), their parameters, bodies, returns and credentials; security
//! schemes (builder setters); tag features.

use super::rust::param_text;
use super::surface::{self, Returns};
use super::{docs_difference, token, At, ChangeKind, Changes, Impact, Item, Member, Subject};
use crate::emit::TagFeatures;
use crate::ir::{Api, Operation, Param, ParamLocation, RequestBody, Response, SchemeKind, SecurityScheme};
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
    match (&before.client_credentials, &after.client_credentials) {
        (None, Some(flow)) => {
            let reason = format!("OAuth2 client credentials: new builder method `ClientBuilder::{}`", flow.setter);
            changes.push(ChangeKind::SecuritySchemeChanged, Impact::Compatible, subject.clone(), reason, at());
        }
        (Some(flow), None) => {
            let reason = format!("no more client-credentials flow: `ClientBuilder::{}` is gone", flow.setter);
            changes.push(ChangeKind::SecuritySchemeChanged, Impact::Breaking, subject.clone(), reason, at());
        }
        (Some(old_flow), Some(new_flow)) if old_flow.setter != new_flow.setter => {
            let reason = format!("`ClientBuilder::{}` is now `ClientBuilder::{}`", old_flow.setter, new_flow.setter);
            changes.push(ChangeKind::SecuritySchemeChanged, Impact::Breaking, subject.clone(), reason, at());
        }
        (Some(old_flow), Some(new_flow)) if old_flow.token_url != new_flow.token_url => {
            let reason = format!("tokens now come from `{}`", new_flow.token_url);
            changes.push(ChangeKind::SecuritySchemeChanged, Impact::NoApiChange, subject.clone(), reason, at());
        }
        _ => {}
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
    super::events::compare_gates_of_events(changes, old, new, (&old_features, &new_features));
}

/// The features that compile an item; `None` when it is always compiled.
pub(super) type Gate = Option<BTreeSet<String>>;

/// The feature names in a `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]`.
pub(super) fn gate(cfg: TokenStream) -> Gate {
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

pub(super) fn compare_gates(changes: &mut Changes<'_>, (old, new): (Gate, Gate), subject: Subject, at: At<'_>) {
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
        self.compare_returns(changes);
        self.compare_errors(changes);
        self.compare_headers(changes);
        self.compare_download(changes);
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
                    surface::body_argument(self.after, after)
                ),
            ),
            (Some(before), None) => (
                ChangeKind::RequestBodyRemoved,
                Impact::Breaking,
                format!(
                    "`Client::{}` no longer takes `body: {}`",
                    self.after.name,
                    surface::body_argument(self.before, before)
                ),
            ),
            (Some(before), Some(after)) => return self.compare_bodies(changes, before, after),
        };
        self.push(changes, kind, impact, member(), reason);
    }

    fn compare_bodies(&self, changes: &mut Changes<'_>, before: &RequestBody, after: &RequestBody) {
        let member = || Some(Member::RequestBody);
        let old_type = surface::body_argument(self.before, before);
        let new_type = surface::body_argument(self.after, after);
        let types = format!("`body: {old_type}` -> `body: {new_type}`");
        if before.required != after.required {
            let kind = if after.required {
                ChangeKind::RequestBodyBecameRequired
            } else {
                ChangeKind::RequestBodyBecameOptional
            };
            let reason = format!("now {}: {types}", required_text(after.required));
            self.push(changes, kind, Impact::Breaking, member(), reason);
        } else if old_type != new_type {
            self.push(changes, ChangeKind::RequestBodyTypeChanged, Impact::Breaking, member(), types);
        }
        self.compare_content(changes, before, after);
        if before.media_type != after.media_type && old_type == new_type {
            let reason =
                format!("sent as `{}` (was `{}`): the Rust API is unchanged", after.media_type, before.media_type);
            self.push(changes, ChangeKind::RequestBodyMediaTypeChanged, Impact::NoApiChange, member(), reason);
        }
        let parts = docs_difference(&before.docs, &after.docs);
        if !parts.is_empty() {
            let reason = format!("{} changed: only docs change", parts.join(", "));
            self.push(changes, ChangeKind::DocsChanged, Impact::NoApiChange, member(), reason);
        }
    }

    /// The variants of the `<Method>Content` enum, when both versions accept several media types.
    fn compare_content(&self, changes: &mut Changes<'_>, before: &RequestBody, after: &RequestBody) {
        let (old_variants, new_variants) = (surface::content_variants(before), surface::content_variants(after));
        if old_variants.is_empty() || new_variants.is_empty() {
            return;
        }
        let enum_name = &self.after.names.content;
        let member = || Some(Member::RequestBody);
        for (media_type, payload) in &new_variants {
            let (kind, impact, reason) = match old_variants.iter().find(|(m, _)| m == media_type) {
                None => (
                    ChangeKind::BodyMediaTypeAdded,
                    Impact::Compatible,
                    format!("`{enum_name}` can also send `{media_type}` (`{payload}`)"),
                ),
                Some((_, old_payload)) if old_payload != payload => (
                    ChangeKind::BodyMediaTypeChanged,
                    Impact::Breaking,
                    format!("`{enum_name}`'s `{media_type}` variant holds `{payload}` (was `{old_payload}`)"),
                ),
                Some(_) => continue,
            };
            self.push(changes, kind, impact, member(), reason);
        }
        for (media_type, _) in old_variants.iter().filter(|(m, _)| !new_variants.iter().any(|(n, _)| n == m)) {
            let reason = format!("`{enum_name}` can no longer send `{media_type}`: its variant is gone");
            self.push(changes, ChangeKind::BodyMediaTypeRemoved, Impact::Breaking, member(), reason);
        }
    }

    fn compare_returns(&self, changes: &mut Changes<'_>) {
        let (before, after) = (surface::returns(self.before), surface::returns(self.after));
        let member = || Some(Member::Response);
        let method = &self.after.name;
        match (&before, &after) {
            (Returns::Variants(_, old_variants), Returns::Variants(name, new_variants)) => {
                for reason in variant_changes(name, old_variants, new_variants) {
                    self.push(changes, ChangeKind::ReturnTypeChanged, Impact::Breaking, member(), reason);
                }
            }
            _ if before.text() != after.text() => {
                let reason = format!("`Client::{method}` returns `{}` (was `{}`)", after.text(), before.text());
                self.push(changes, ChangeKind::ReturnTypeChanged, Impact::Breaking, member(), reason);
            }
            _ if self.before.success != self.after.success => {
                let reason = format!("the success statuses changed; the return type stays `{}`", after.text());
                self.push(changes, ChangeKind::SuccessStatusesChanged, Impact::NoApiChange, member(), reason);
            }
            _ => {}
        }
    }

    /// The `<Method>Error` enum of typed error bodies. A status it does not list decodes to
    /// `None`, so a new variant is compatible; a removed or changed one breaks code naming it.
    fn compare_errors(&self, changes: &mut Changes<'_>) {
        let (before, after) = (surface::error_variants(self.before), surface::error_variants(self.after));
        let enum_name = &self.after.names.error;
        let member = |variant: &str| Some(Member::Error(variant.to_owned()));
        for (variant, payload) in &after {
            let (kind, impact, reason) = match before.iter().find(|(v, _)| v == variant) {
                None => (
                    ChangeKind::ErrorVariantAdded,
                    Impact::Compatible,
                    format!("new typed error `{enum_name}::{variant}({payload})`"),
                ),
                Some((_, old_payload)) if old_payload != payload => (
                    ChangeKind::ErrorVariantChanged,
                    Impact::Breaking,
                    format!("`{enum_name}::{variant}` holds `{payload}` (was `{old_payload}`)"),
                ),
                Some(_) => continue,
            };
            self.push(changes, kind, impact, member(variant), reason);
        }
        for (variant, payload) in before.iter().filter(|(v, _)| !after.iter().any(|(n, _)| n == v)) {
            let reason = format!("the typed error `{enum_name}::{variant}({payload})` is gone");
            self.push(changes, ChangeKind::ErrorVariantRemoved, Impact::Breaking, member(variant), reason);
        }
    }

    /// The `<method>_with_headers` twin and its `<Method>Headers` struct of `Option` fields.
    fn compare_headers(&self, changes: &mut Changes<'_>) {
        let (before, after) = (surface::success_headers(self.before), surface::success_headers(self.after));
        let twin = format!("Client::{}", self.after.names.with_headers);
        let struct_name = &self.after.names.headers;
        let (old_headers, new_headers) = match (before, after) {
            (None, None) => return,
            (None, Some(_)) => {
                let reason = format!("new method `{twin}`, returning the declared headers in `{struct_name}`");
                return self.push(changes, ChangeKind::ResponseHeaderAdded, Impact::Compatible, None, reason);
            }
            (Some(_), None) => {
                let reason = format!("`{twin}` and `{struct_name}` are gone (no declared headers left)");
                return self.push(changes, ChangeKind::ResponseHeaderRemoved, Impact::Breaking, None, reason);
            }
            (Some(old_headers), Some(new_headers)) => (old_headers, new_headers),
        };
        let member = |wire: &str| Some(Member::Header(wire.to_owned()));
        for (wire, field, ty) in &new_headers {
            let (kind, impact, reason) = match old_headers.iter().find(|(w, ..)| w.eq_ignore_ascii_case(wire)) {
                None => (
                    ChangeKind::ResponseHeaderAdded,
                    Impact::Compatible,
                    format!("new field `{struct_name}::{field}: {ty}`"),
                ),
                Some((_, old_field, old_ty)) if (old_field, old_ty) != (field, ty) => (
                    ChangeKind::ResponseHeaderChanged,
                    Impact::Breaking,
                    format!("`{struct_name}::{old_field}: {old_ty}` is now `{field}: {ty}`"),
                ),
                Some(_) => continue,
            };
            self.push(changes, kind, impact, member(wire), reason);
        }
        let gone = old_headers.iter().filter(|(w, ..)| !new_headers.iter().any(|(n, ..)| n.eq_ignore_ascii_case(w)));
        for (wire, field, _) in gone {
            let reason = format!("`{struct_name}::{field}` is gone");
            self.push(changes, ChangeKind::ResponseHeaderRemoved, Impact::Breaking, member(wire), reason);
        }
    }

    /// The `<method>_download` twin that streams a binary body.
    fn compare_download(&self, changes: &mut Changes<'_>) {
        let twin = format!("Client::{}", self.after.names.download);
        let member = || Some(Member::Response);
        match (surface::has_download(self.before), surface::has_download(self.after)) {
            (false, true) => {
                let reason = format!("new method `{twin}`, streaming the binary body");
                self.push(changes, ChangeKind::DownloadMethodAdded, Impact::Compatible, member(), reason);
            }
            (true, false) => {
                let reason = format!("`{twin}` is gone: the success body is no longer binary");
                self.push(changes, ChangeKind::DownloadMethodRemoved, Impact::Breaking, member(), reason);
            }
            _ => {}
        }
    }

    fn compare_responses(&self, changes: &mut Changes<'_>) {
        let documented = |responses: &[Response]| -> Vec<(String, String)> {
            responses.iter().map(|r| (r.status.text(), r.description.clone())).collect()
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
        let reason = format!("the method's docs list other responses: {}", parts.join(", "));
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
    /// `x-pagination` decides whether a `<method>_stream` twin pages through the results, with
    /// patterns the emitter detects; this report does not follow that detection yet, so a changed
    /// hint is breaking, the safe side for a version bump.
    fn compare_unclassified(&self, changes: &mut Changes<'_>) {
        if self.before.pagination != self.after.pagination {
            let reason =
                "`x-pagination` changed, which this report does not classify: review the `_stream` method".to_owned();
            self.push(changes, ChangeKind::Unclassified, Impact::Breaking, None, reason);
        }
    }
}

/// The changes of a `<Method>Success` enum's variants, each in words.
fn variant_changes(
    enum_name: &str,
    old_variants: &[(String, Option<String>)],
    new_variants: &[(String, Option<String>)],
) -> Vec<String> {
    let shown = |variant: &str, payload: &Option<String>| match payload {
        Some(ty) => format!("{enum_name}::{variant}({ty})"),
        None => format!("{enum_name}::{variant}"),
    };
    let mut reasons = Vec::new();
    for (variant, payload) in new_variants {
        match old_variants.iter().find(|(v, _)| v == variant) {
            None => reasons.push(format!(
                "new success variant `{}`: exhaustive matches no longer compile",
                shown(variant, payload)
            )),
            Some((_, old_payload)) if old_payload != payload => {
                reasons.push(format!("`{}` is now `{}`", shown(variant, old_payload), shown(variant, payload)))
            }
            Some(_) => {}
        }
    }
    for (variant, payload) in old_variants.iter().filter(|(v, _)| !new_variants.iter().any(|(n, _)| n == v)) {
        reasons.push(format!("success variant `{}` is gone", shown(variant, payload)));
    }
    reasons
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

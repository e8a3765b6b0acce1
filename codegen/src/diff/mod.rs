//! What a spec change means for users of the generated crate: two lowered models ([`Api`]),
//! old and new, compared item by item (never as text), each difference classified.
//!
//! Items are matched the way users name them: operations by `operationId`, events (webhooks and
//! callbacks) by the name `webhooks::parse` takes, types by Rust name, fields and parameters by
//! wire name, enum values by wire value, security schemes by key.
//!
//! # Rules
//!
//! [`Impact::Breaking`]: code that compiled against the old crate may stop compiling, or a call
//! that worked may now fail:
//! - an operation, event, type, field, parameter, enum value, security scheme, module or cargo
//!   feature removed; an operation's path or method changed; a method, type, field, variant or
//!   event variant renamed; an event's payload given another Rust type;
//! - a parameter or request field added as required, or made required;
//! - a response field made optional, or any other change of a field's, parameter's, body's or
//!   return value's Rust type (`T` <-> `Option<T>` included, so a request field made optional is
//!   breaking too: callers now write `Some(value)`);
//! - an enum value removed (from a request type the server no longer accepts it; from a
//!   response-only type the server no longer sends it, but its variant is gone either way);
//! - a variant of a `oneOf` without discriminator added or removed (no fallback variant);
//! - a method gaining or losing its `params` or `body` argument, or a companion item losing a
//!   member: a `<Method>Error` typed error, a `<Method>Headers` field (or the `_with_headers`
//!   twin), a `<Method>Content` media type, a `<Method>Success` variant (these have no fallback,
//!   so adding one breaks too), the `_download` twin;
//! - an auth requirement added (a credential that sufficed no longer does);
//! - a type losing its `Serialize` or `Deserialize` derive (the emitter derives only what
//!   requests and responses need);
//! - with tag features, an operation or type compiled under fewer features than before;
//! - a change to a part of the model this report does not classify yet ([`ChangeKind::Unclassified`]):
//!   breaking, to be safe, naming what to review.
//!
//! [`Impact::Compatible`]: additions: an operation, an event (`webhooks::Event` is
//! `#[non_exhaustive]`), an optional parameter, an optional request field, any response field, a
//! string or integer enum value (every generated enum has an
//! `Unknown` fallback), a variant of a discriminated `oneOf` (it has a fallback too), a typed
//! error (an undocumented status already decodes to `None`), a response header, a request media
//! type, a `_download` twin, a type, a security scheme, a feature, a serde derive; an operation
//! deprecated.
//!
//! [`Impact::NoApiChange`]: the spec changed but no Rust signature did: docs (descriptions,
//! examples, constraints), the default server, a parameter moved between query, header and cookie
//! or serialized in another style, a request media type, the documented responses, an auth
//! requirement relaxed. Compatible too, but worth only a patch release.
//!
//! "Request type" and "response type" follow the emitter's serde derives: a type reachable from an
//! operation's parameters or request body is a request type, one reachable from its responses a
//! response type, and one no operation reaches (with everything it contains) is both. A type's
//! role is the union over the old and the new model, so the stricter rule applies.
//!
//! Matching by name means a rename is a removal plus an addition; the report then names the
//! successor (an operation now at the same method and path, a type now at the same pointer).
//!
//! # Limits
//!
//! The comparison mirrors what `emit` generates from the model (field and argument types, serde
//! derives, tag gates, companion items); a change to the emitter needs the same change here. Not
//! compared: the `_stream` pager the emitter adds where it detects pagination (only an
//! `x-pagination` change is reported, as unclassified), the `mock` feature's server, whether a
//! type has a `validate()` method (a type that loses its last constraint loses it; constraint
//! changes are reported as docs), and changes of the generator itself (both models are lowered by
//! the current one).

mod events;
mod operations;
mod report;
mod rust;
mod sources;
mod surface;
mod types;

pub use report::{next_version, Bump, InvalidVersion, Report, Version};
pub use sources::compare_sources;

use crate::ir::Api;
use serde::Serialize;
use std::fmt;

/// What one change means for users of the generated crate. Ordered from most to least severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Code that compiled may no longer compile, or a call that worked may now fail.
    Breaking,
    /// An addition: existing code keeps compiling and working.
    Compatible,
    /// The spec changed, the generated Rust API did not (docs, behaviour on the wire).
    NoApiChange,
}

/// Which rule a change falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A module (one spec of the project's crate) and its cargo feature added.
    ModuleAdded,
    /// A module and its cargo feature removed.
    ModuleRemoved,
    /// `info` title, version or description changed (client docs only).
    ApiInfoChanged,
    /// The first server, `DEFAULT_BASE_URL`, changed.
    DefaultServerChanged,
    /// A security scheme added: a new `ClientBuilder` setter.
    SecuritySchemeAdded,
    /// A security scheme removed: its setter is gone.
    SecuritySchemeRemoved,
    /// A security scheme's setter or the way its credential is sent changed.
    SecuritySchemeChanged,
    /// A tag feature added (standalone crates).
    FeatureAdded,
    /// A tag feature removed.
    FeatureRemoved,
    /// The tag features that compile an operation or type changed.
    FeatureGateChanged,
    /// An operation (client method) added.
    OperationAdded,
    /// An operation removed.
    OperationRemoved,
    /// An operation's path or method changed (matched by operationId).
    OperationMoved,
    /// An operation's Rust method name changed.
    MethodRenamed,
    /// A method gained its `params` argument (its first non-path parameter).
    ParamsArgumentAdded,
    /// A method lost its `params` argument.
    ParamsArgumentRemoved,
    /// The params struct of a method was renamed.
    ParamsTypeRenamed,
    /// A parameter added (breaking when required).
    ParameterAdded,
    /// A parameter removed.
    ParameterRemoved,
    /// A parameter became required.
    ParameterBecameRequired,
    /// A parameter became optional.
    ParameterBecameOptional,
    /// A parameter's type changed.
    ParameterTypeChanged,
    /// A parameter's Rust name changed.
    ParameterRenamed,
    /// A parameter moved between path, query, header and cookie.
    ParameterLocationChanged,
    /// A parameter's serialization style or `explode` changed.
    ParameterStyleChanged,
    /// A method gained a `body` argument.
    RequestBodyAdded,
    /// A method lost its `body` argument.
    RequestBodyRemoved,
    /// The request body became required.
    RequestBodyBecameRequired,
    /// The request body became optional.
    RequestBodyBecameOptional,
    /// The request body's type changed.
    RequestBodyTypeChanged,
    /// The request body's media type changed.
    RequestBodyMediaTypeChanged,
    /// What a method returns changed.
    ReturnTypeChanged,
    /// The success statuses changed, the return type did not.
    SuccessStatusesChanged,
    /// The documented responses (statuses, descriptions) changed.
    ResponsesChanged,
    /// Credentials that sufficed for an operation no longer do.
    AuthRequirementAdded,
    /// An operation accepts credentials it did not before.
    AuthRequirementRelaxed,
    /// An operation became deprecated (`#[deprecated]`).
    DeprecationAdded,
    /// An operation is no longer deprecated.
    DeprecationRemoved,
    /// Descriptions, summaries, examples or constraints changed.
    DocsChanged,
    /// A type added.
    TypeAdded,
    /// A type removed.
    TypeRemoved,
    /// A type changed kind (struct, enum, alias...).
    TypeKindChanged,
    /// A type alias points to another type.
    AliasTargetChanged,
    /// A struct field added (breaking when required in a request type).
    FieldAdded,
    /// A struct field removed.
    FieldRemoved,
    /// A struct field became required.
    FieldBecameRequired,
    /// A struct field became optional.
    FieldBecameOptional,
    /// A struct field's type changed.
    FieldTypeChanged,
    /// A struct field's Rust name changed.
    FieldRenamed,
    /// A string or integer enum value added (enums have an `Unknown` fallback).
    EnumValueAdded,
    /// A string or integer enum value removed.
    EnumValueRemoved,
    /// An enum value's Rust variant name changed.
    EnumVariantRenamed,
    /// A `oneOf` variant added.
    UnionVariantAdded,
    /// A `oneOf` variant removed.
    UnionVariantRemoved,
    /// A `oneOf` variant's type changed.
    UnionVariantChanged,
    /// A discriminated `oneOf`'s property or tag values changed.
    DiscriminatorChanged,
    /// A type now derives `Serialize` or `Deserialize` (requests or responses started carrying it).
    SerdeImplAdded,
    /// A type no longer derives `Serialize` or `Deserialize`.
    SerdeImplRemoved,
    /// A variant added to an operation's `<Method>Error` enum of typed error bodies.
    ErrorVariantAdded,
    /// A variant removed from an operation's `<Method>Error` enum.
    ErrorVariantRemoved,
    /// A variant of an operation's `<Method>Error` enum holds another type.
    ErrorVariantChanged,
    /// A declared success header added (or the `<method>_with_headers` twin with it).
    ResponseHeaderAdded,
    /// A declared success header removed (or the `<method>_with_headers` twin with the last).
    ResponseHeaderRemoved,
    /// A declared success header's field name or type changed.
    ResponseHeaderChanged,
    /// A media type added to an operation's `<Method>Content` body enum.
    BodyMediaTypeAdded,
    /// A media type removed from an operation's `<Method>Content` body enum.
    BodyMediaTypeRemoved,
    /// A media type of an operation's `<Method>Content` body enum holds another type.
    BodyMediaTypeChanged,
    /// A `<method>_download` twin added (the success body became binary).
    DownloadMethodAdded,
    /// A `<method>_download` twin removed.
    DownloadMethodRemoved,
    /// A webhook or callback added: a variant of the `#[non_exhaustive]` `webhooks::Event`.
    EventAdded,
    /// A webhook or callback removed: its variant and `parse_<event>` function are gone.
    EventRemoved,
    /// An event's `Event` variant or `parse_<event>` function renamed.
    EventRenamed,
    /// What an event's variant holds changed (breaking), or only its media type (no API change).
    EventPayloadChanged,
    /// A change in a part of the model this report does not classify yet (breaking, to be safe).
    Unclassified,
}

/// A place in a spec: the file as shown to people, and a JSON pointer (`#/paths/...`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The spec file, e.g. `specs/thena-platform.yaml` or `origin/main:specs/thena-platform.yaml`.
    pub file: String,
    /// JSON pointer, starting with `#`.
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.file, self.pointer)
    }
}

/// What kind of item a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    /// A module of the project's crate (one spec).
    Module,
    /// The API as a whole: title, version, servers.
    Api,
    /// A security scheme (a `ClientBuilder` setter).
    SecurityScheme,
    /// A cargo feature (one per tag in standalone crates).
    Feature,
    /// An operation (a `Client` method), by operationId.
    Operation,
    /// A generated type, by Rust name.
    Type,
    /// A webhook or callback (a variant of `webhooks::Event`), by the name `webhooks::parse` takes.
    Event,
}

/// The part of an item a change is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Member {
    /// A parameter, by wire name.
    Parameter(String),
    /// The request body.
    RequestBody,
    /// The responses / return value.
    Response,
    /// A struct field, by wire name.
    Field(String),
    /// A string or integer enum value, by wire value.
    Value(String),
    /// A `oneOf`/`anyOf` variant, by Rust name.
    Variant(String),
    /// A variant of the operation's typed error enum, by Rust name (`Status404`).
    Error(String),
    /// A declared response header, by wire name.
    Header(String),
}

/// What a change is about: operation id or type name, and the member within it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// The module of the project's crate, when comparing the project's specs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// What kind of item.
    pub item: Item,
    /// The operation id, type name, scheme key, feature or module name.
    pub name: String,
    /// The parameter, field, value or variant within the item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<Member>,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(module) = &self.module {
            write!(f, "{module}: ")?;
        }
        let item = match self.item {
            Item::Module => "module",
            Item::Api => "API",
            Item::SecurityScheme => "security scheme",
            Item::Feature => "feature",
            Item::Operation => "operation",
            Item::Type => "type",
            Item::Event => "event",
        };
        write!(f, "{item} `{}`", self.name)?;
        match &self.member {
            None => Ok(()),
            Some(Member::Parameter(name)) => write!(f, ", parameter `{name}`"),
            Some(Member::RequestBody) => write!(f, ", request body"),
            Some(Member::Response) => write!(f, ", response"),
            Some(Member::Field(name)) => write!(f, ", field `{name}`"),
            Some(Member::Value(value)) => write!(f, ", value `{value}`"),
            Some(Member::Variant(name)) => write!(f, ", variant `{name}`"),
            Some(Member::Error(name)) => write!(f, ", error `{name}`"),
            Some(Member::Header(name)) => write!(f, ", header `{name}`"),
        }
    }
}

/// One difference between the old and the new model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Which rule.
    pub kind: ChangeKind,
    /// What it means for users.
    pub impact: Impact,
    /// What changed.
    pub subject: Subject,
    /// Why it has this impact, in words.
    pub reason: String,
    /// Where it is in the old spec (absent for additions).
    pub old: Option<Location>,
    /// Where it is in the new spec (absent for removals).
    pub new: Option<Location>,
}

/// How the two models being compared are shown and generated.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The old spec file, as shown in locations.
    pub old_file: String,
    /// The new spec file, as shown in locations.
    pub new_file: String,
    /// The module of the project's crate both are generated into, if any.
    pub module: Option<String>,
    /// Whether the crate has one cargo feature per tag (standalone crates do).
    pub tag_features: bool,
}

impl Context {
    /// Two spec files generated as standalone crates (with tag features).
    pub fn files(old_file: &str, new_file: &str) -> Self {
        Self { old_file: old_file.to_owned(), new_file: new_file.to_owned(), module: None, tag_features: true }
    }

    fn subject(&self, item: Item, name: &str, member: Option<Member>) -> Subject {
        Subject { module: self.module.clone(), item, name: name.to_owned(), member }
    }

    fn old_at(&self, pointer: &str) -> Option<Location> {
        Some(Location { file: self.old_file.clone(), pointer: pointer.to_owned() })
    }

    fn new_at(&self, pointer: &str) -> Option<Location> {
        Some(Location { file: self.new_file.clone(), pointer: pointer.to_owned() })
    }
}

/// Collects changes about one subject, in discovery order.
struct Changes<'c> {
    context: &'c Context,
    found: Vec<Change>,
}

/// Where a change is, in the old and in the new spec.
struct At<'p> {
    old: Option<&'p str>,
    new: Option<&'p str>,
}

impl<'p> At<'p> {
    fn both(old: &'p str, new: &'p str) -> Self {
        Self { old: Some(old), new: Some(new) }
    }
    fn old(old: &'p str) -> Self {
        Self { old: Some(old), new: None }
    }
    fn new(new: &'p str) -> Self {
        Self { old: None, new: Some(new) }
    }
}

impl Changes<'_> {
    fn push(&mut self, kind: ChangeKind, impact: Impact, subject: Subject, reason: String, at: At<'_>) {
        let old = at.old.and_then(|p| self.context.old_at(p));
        let new = at.new.and_then(|p| self.context.new_at(p));
        self.found.push(Change { kind, impact, subject, reason, old, new });
    }
}

/// Every difference between `old` and `new` that users of the generated code can notice,
/// in order: the API, security schemes, features, operations, events, types.
pub fn compare(old: &Api, new: &Api, context: &Context) -> Vec<Change> {
    let mut changes = Changes { context, found: Vec::new() };
    compare_info(&mut changes, old, new);
    operations::compare_security_schemes(&mut changes, old, new);
    if context.tag_features {
        operations::compare_features(&mut changes, old, new);
    }
    operations::compare_operations(&mut changes, old, new);
    events::compare_events(&mut changes, old, new);
    types::compare_types(&mut changes, old, new);
    changes.found
}

fn compare_info(changes: &mut Changes<'_>, old: &Api, new: &Api) {
    let subject = changes.context.subject(Item::Api, &new.title, None);
    if (&old.title, &old.version, &old.description) != (&new.title, &new.version, &new.description) {
        let reason = if old.version == new.version {
            "title or description changed: only the client's docs change".to_owned()
        } else {
            format!("version {} -> {}: only the client's docs change", old.version, new.version)
        };
        let at = At::both("#/info", "#/info");
        changes.push(ChangeKind::ApiInfoChanged, Impact::NoApiChange, subject.clone(), reason, at);
    }
    let old_url = old.servers.first().map(|s| s.url.as_str()).unwrap_or_default();
    let new_url = new.servers.first().map(|s| s.url.as_str()).unwrap_or_default();
    if old_url != new_url {
        let reason = format!("default base URL `{old_url}` -> `{new_url}` (`DEFAULT_BASE_URL`)");
        let at = At::both("#/servers", "#/servers");
        changes.push(ChangeKind::DefaultServerChanged, Impact::NoApiChange, subject, reason, at);
    }
}

/// The parts of a [`crate::ir::Docs`] (and constraints) that differ, named for a reason text.
fn docs_difference(old: &crate::ir::Docs, new: &crate::ir::Docs) -> Vec<&'static str> {
    let mut parts = Vec::new();
    if old.title != new.title {
        parts.push("summary");
    }
    if old.description != new.description {
        parts.push("description");
    }
    if old.example != new.example {
        parts.push("example");
    }
    if old.deprecated != new.deprecated {
        parts.push(if new.deprecated { "deprecation note added" } else { "deprecation note removed" });
    }
    if parts.is_empty() && old != new {
        parts.push("notes");
    }
    parts
}

/// A JSON pointer token, escaped (RFC 6901).
fn token(raw: &str) -> String {
    crate::diagnostics::escape_token(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-operation spec: `GET /items` with `security` and `parameters` spliced in.
    fn api(security: &str, parameters: &str) -> Api {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n\
             components:\n  securitySchemes:\n    key: {{type: apiKey, in: header, name: X-Key}}\n    \
             bearer: {{type: http, scheme: bearer}}\n\
             paths:\n  /items:\n    get:\n      operationId: listItems\n      security: {security}\n      \
             parameters: {parameters}\n      responses: {{'204': {{description: ok}}}}\n"
        );
        let document = crate::load::parse_text(&text).expect("valid YAML");
        crate::frontend::lower_document("t.yaml", document, &Default::default()).expect("lowers").0
    }

    fn kinds_and_impacts(old: &Api, new: &Api) -> Vec<(ChangeKind, Impact)> {
        compare(old, new, &Context::files("old.yaml", "new.yaml")).iter().map(|c| (c.kind, c.impact)).collect()
    }

    const LIMIT_IN_QUERY: &str = "[{name: limit, in: query, schema: {type: integer}}]";

    #[test]
    fn an_auth_requirement_is_added_when_a_credential_that_sufficed_no_longer_does() {
        let (either, key) = (api("[{key: []}, {bearer: []}]", "[]"), api("[{key: []}]", "[]"));
        assert_eq!(kinds_and_impacts(&either, &key), [(ChangeKind::AuthRequirementAdded, Impact::Breaking)]);
        assert_eq!(kinds_and_impacts(&key, &either), [(ChangeKind::AuthRequirementRelaxed, Impact::NoApiChange)]);
        let (none, both) = (api("[]", "[]"), api("[{key: [], bearer: []}]", "[]"));
        assert_eq!(kinds_and_impacts(&none, &both), [(ChangeKind::AuthRequirementAdded, Impact::Breaking)]);
        assert_eq!(kinds_and_impacts(&both, &both), []);
    }

    #[test]
    fn a_parameter_moved_from_query_to_header_keeps_the_rust_api() {
        let header = api("[]", "[{name: limit, in: header, schema: {type: integer}}]");
        let changes = kinds_and_impacts(&api("[]", LIMIT_IN_QUERY), &header);
        assert_eq!(changes, [(ChangeKind::ParameterLocationChanged, Impact::NoApiChange)]);
    }

    #[test]
    fn the_last_non_path_parameter_removed_takes_the_params_argument_with_it() {
        let changes = kinds_and_impacts(&api("[]", LIMIT_IN_QUERY), &api("[]", "[]"));
        assert_eq!(
            changes,
            [(ChangeKind::ParamsArgumentRemoved, Impact::Breaking), (ChangeKind::ParameterRemoved, Impact::Breaking)]
        );
    }

    #[test]
    fn subjects_and_locations_read_as_text() {
        let subject = Subject {
            module: Some("thena".into()),
            item: Item::Type,
            name: "Pet".into(),
            member: Some(Member::Field("name".into())),
        };
        assert_eq!(subject.to_string(), "thena: type `Pet`, field `name`");
        let location = Location { file: "a.yaml".into(), pointer: "#/components/schemas/Pet".into() };
        assert_eq!(location.to_string(), "a.yaml#/components/schemas/Pet");
    }
}

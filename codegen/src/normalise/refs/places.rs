//! What each place of a document holds: the context of a value (a schema, a parameter, a path
//! item, ...) from the keys above it, and the kind of component a reference there must land on.

use super::super::HTTP_METHODS;
use crate::load::index;

/// What a place in the document holds, as far as references are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    Top,
    Paths,
    /// A map of callbacks (an operation's or the components'): each a map of path items.
    Callbacks,
    PathItem,
    Operation,
    ParamList,
    ParamMap,
    Parameter,
    RequestBodyMap,
    RequestBody,
    Responses,
    Response,
    Content,
    MediaType,
    Encodings,
    Encoding,
    Headers,
    Header,
    Components,
    SchemaMap,
    SchemaList,
    Schema,
    /// Anything else: documentation, examples, extensions. Not walked.
    Other,
}

impl Ctx {
    pub(super) fn noun(self) -> &'static str {
        match self {
            Ctx::Top => "the document root",
            Ctx::Paths => "a map of path items",
            Ctx::Callbacks => "a map of callbacks",
            Ctx::PathItem => "a path item",
            Ctx::Operation => "an operation",
            Ctx::ParamList => "a list of parameters",
            Ctx::ParamMap => "a map of parameters",
            Ctx::Parameter => "a parameter",
            Ctx::RequestBodyMap => "a map of request bodies",
            Ctx::RequestBody => "a request body",
            Ctx::Responses => "a map of responses",
            Ctx::Response => "a response",
            Ctx::Content => "a content map",
            Ctx::MediaType => "a media type object",
            Ctx::Encodings | Ctx::Encoding => "an encoding",
            Ctx::Headers => "a map of headers",
            Ctx::Header => "a header",
            Ctx::Components => "the components",
            Ctx::SchemaMap => "a map of schemas",
            Ctx::SchemaList => "a list of schemas",
            Ctx::Schema => "a schema",
            Ctx::Other => "an unknown object",
        }
    }
}

/// The kinds of object a `$ref` may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    PathItem,
}

impl Kind {
    pub(super) fn of(ctx: Ctx) -> Option<Kind> {
        Some(match ctx {
            Ctx::Schema => Kind::Schema,
            Ctx::Parameter => Kind::Parameter,
            Ctx::Response => Kind::Response,
            Ctx::RequestBody => Kind::RequestBody,
            Ctx::Header => Kind::Header,
            Ctx::PathItem => Kind::PathItem,
            _ => return None,
        })
    }

    pub(super) fn ctx(self) -> Ctx {
        match self {
            Kind::Schema => Ctx::Schema,
            Kind::Parameter => Ctx::Parameter,
            Kind::Response => Ctx::Response,
            Kind::RequestBody => Ctx::RequestBody,
            Kind::Header => Ctx::Header,
            Kind::PathItem => Ctx::PathItem,
        }
    }

    /// The component map this kind is named in; `None` when targets are copied instead.
    pub(super) fn container(self, swagger2: bool) -> Option<&'static [&'static str]> {
        Some(match (self, swagger2) {
            (Kind::Schema, false) => &["components", "schemas"],
            (Kind::Schema, true) => &["definitions"],
            (Kind::Parameter, false) => &["components", "parameters"],
            (Kind::Parameter, true) => &["parameters"],
            (Kind::Response, false) => &["components", "responses"],
            (Kind::Response, true) => &["responses"],
            (Kind::RequestBody, false) => &["components", "requestBodies"],
            (Kind::Header, false) => &["components", "headers"],
            _ => return None,
        })
    }
}

/// The context of the value at `key` below a value of context `ctx`.
pub(super) fn child_ctx(ctx: Ctx, key: &str, swagger2: bool) -> Ctx {
    // Extensions are documentation, except where keys are names (of properties, headers, ...).
    let names = matches!(
        ctx,
        Ctx::SchemaMap
            | Ctx::ParamMap
            | Ctx::RequestBodyMap
            | Ctx::Headers
            | Ctx::Content
            | Ctx::Encodings
            | Ctx::ParamList
            | Ctx::SchemaList
    );
    if !names && key.starts_with("x-") {
        return Ctx::Other;
    }
    match (ctx, key) {
        (Ctx::Top, "paths" | "webhooks") => Ctx::Paths,
        (Ctx::Top, "components") => Ctx::Components,
        (Ctx::Top, "definitions") if swagger2 => Ctx::SchemaMap,
        (Ctx::Top, "parameters") if swagger2 => Ctx::ParamMap,
        (Ctx::Top, "responses") if swagger2 => Ctx::Responses,
        (Ctx::Paths, _) => Ctx::PathItem,
        (Ctx::PathItem, "parameters") | (Ctx::Operation, "parameters") => Ctx::ParamList,
        (Ctx::PathItem, method) if HTTP_METHODS.contains(&method) => Ctx::Operation,
        (Ctx::Operation, "requestBody") => Ctx::RequestBody,
        (Ctx::Operation, "responses") => Ctx::Responses,
        (Ctx::Operation, "callbacks") | (Ctx::Components, "callbacks") => Ctx::Callbacks,
        (Ctx::Callbacks, _) => Ctx::Paths,
        (Ctx::ParamList, _) | (Ctx::ParamMap, _) => Ctx::Parameter,
        (Ctx::Parameter | Ctx::Header, "schema" | "items") => Ctx::Schema,
        (Ctx::Parameter | Ctx::Header | Ctx::RequestBody | Ctx::Response, "content") => Ctx::Content,
        (Ctx::RequestBodyMap, _) => Ctx::RequestBody,
        (Ctx::Responses, _) => Ctx::Response,
        (Ctx::Response, "headers") | (Ctx::Encoding, "headers") => Ctx::Headers,
        (Ctx::Response, "schema") => Ctx::Schema,
        (Ctx::Content, _) => Ctx::MediaType,
        (Ctx::MediaType, "schema") => Ctx::Schema,
        (Ctx::MediaType, "encoding") => Ctx::Encodings,
        (Ctx::Encodings, _) => Ctx::Encoding,
        (Ctx::Headers, _) => Ctx::Header,
        (Ctx::Components, "schemas") => Ctx::SchemaMap,
        (Ctx::Components, "parameters") => Ctx::ParamMap,
        (Ctx::Components, "responses") => Ctx::Responses,
        (Ctx::Components, "requestBodies") => Ctx::RequestBodyMap,
        (Ctx::Components, "headers") => Ctx::Headers,
        (Ctx::Components, "pathItems") => Ctx::Paths,
        (Ctx::SchemaMap, _) | (Ctx::SchemaList, _) => Ctx::Schema,
        (Ctx::Schema, "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas") => {
            Ctx::SchemaMap
        }
        (Ctx::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => Ctx::SchemaList,
        (
            Ctx::Schema,
            "items"
            | "additionalProperties"
            | "additionalItems"
            | "not"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema",
        ) => Ctx::Schema,
        // The members of a tuple `items: [...]`.
        (Ctx::Schema, key) if index(key).is_some() => Ctx::Schema,
        _ => Ctx::Other,
    }
}

/// The context of the value at `tokens` below a value of context `from`.
pub(super) fn ctx_of(tokens: &[String], from: Ctx, swagger2: bool) -> Ctx {
    tokens.iter().fold(from, |ctx, token| if ctx == Ctx::Other { ctx } else { child_ctx(ctx, token, swagger2) })
}

//! Paths and operations into client methods.

use super::schemas::{constraints_of, docs_of};
use super::Lowerer;
use crate::diagnostics::{child, pointer};
use crate::ir::{
    BodyKind, Docs, Field, Operation, OperationNames, PaginationHint, Param, ParamLocation, ParamStyle, Primitive,
    RequestBody, Response, ResponseHeader, SecurityScheme, StatusMatch, Success, TypeKind, TypeRef,
};
use crate::naming::{
    derived_value_name, type_name, value_name, Namespace, CLIENT_METHODS, CLIENT_MODULE_TYPES, MOCK_SERVER_METHODS,
};
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use std::collections::HashMap;

/// References are followed at most this many hops, so a `$ref` cycle cannot loop.
const MAX_REF_HOPS: usize = 16;

/// Lowers every operation of every path, in spec order.
pub(super) fn lower_all(lowerer: &mut Lowerer<'_>, schemes: &[SecurityScheme]) -> Vec<Operation> {
    let spec = lowerer.spec;
    let mut found = Vec::new();
    for (path, item) in spec.paths.iter() {
        let item_pointer = pointer(["paths", path.as_str()]);
        let ReferenceOr::Item(item) = item else {
            lowerer.warn("W0050", item_pointer, "a `$ref` path item is not supported: its operations are skipped");
            continue;
        };
        for (method, op) in item.iter() {
            found.push((path.as_str(), method, op, item, child(&item_pointer, method)));
        }
    }
    // Names come from every operation, so filtering never renames the ones kept.
    let names = method_names(lowerer, &found);
    let derived = derived_names(lowerer, &found, &names);
    let options = lowerer.options;
    check_selection(lowerer, found.iter().map(|(_, _, op, _, _)| *op), &names);
    found
        .into_iter()
        .zip(names)
        .zip(derived)
        .filter(|(((_, _, op, _, _), (id, name)), _)| {
            let tagged = options.tags.is_empty() || op.tags.iter().any(|t| options.tags.contains(t));
            let listed = options.operations.is_empty() || options.operations.iter().any(|o| o == id || o == name);
            tagged && listed
        })
        .map(|(((path, method, op, item, here), (id, name)), (names, renamed_types))| {
            let site = OperationSite { path, method, op, item, pointer: here, id, name, names };
            let operation = lower_operation(lowerer, schemes, site);
            warn_renamed_types(lowerer, &operation, &renamed_types);
            operation
        })
        .collect()
}

/// `--tag` and `--operation` values (or `tags` and `operations` in `specs/codegen.toml`) that
/// select no operation: E0051 each, naming what the spec has. A typo would otherwise give a
/// client without methods.
fn check_selection<'s>(
    lowerer: &mut Lowerer<'_>,
    operations: impl Iterator<Item = &'s openapiv3::Operation>,
    names: &[(String, String)],
) {
    const LISTED: usize = 20;
    let shown = |known: &[&str]| {
        let mut list: Vec<String> = known.iter().take(LISTED).map(|k| format!("`{k}`")).collect();
        if known.len() > LISTED {
            list.push(format!("and {} more", known.len() - LISTED));
        }
        list.join(", ")
    };
    let options = lowerer.options;
    let mut tags: Vec<&str> = Vec::new();
    for tag in operations.flat_map(|op| &op.tags) {
        if !tags.contains(&tag.as_str()) {
            tags.push(tag);
        }
    }
    for tag in options.tags.iter().filter(|t| !tags.contains(&t.as_str())) {
        let known = if tags.is_empty() {
            "no operation has a tag".to_owned()
        } else {
            format!("the tags are {}", shown(&tags))
        };
        lowerer.error("E0051", "#/paths", format!("no operation has the tag `{tag}` (`--tag`): {known}"));
    }
    let ids: Vec<&str> = names.iter().map(|(id, _)| id.as_str()).collect();
    for wanted in options.operations.iter().filter(|o| !names.iter().any(|(id, name)| id == *o || name == *o)) {
        let known = if ids.is_empty() {
            "the spec has no operations".to_owned()
        } else {
            format!("the operations are {}", shown(&ids))
        };
        lowerer.error(
            "E0051",
            "#/paths",
            format!("no operation has the operationId or method name `{wanted}` (`--operation`): {known}"),
        );
    }
}

struct OperationSite<'a> {
    path: &'a str,
    method: &'a str,
    op: &'a openapiv3::Operation,
    item: &'a openapiv3::PathItem,
    pointer: String,
    id: String,
    name: String,
    names: OperationNames,
}

/// A client-module type of an operation renamed because its name is reserved: which one (`Error`,
/// `Success`, `Headers`, `Content`), the reserved name and the name it got.
type RenamedType = (&'static str, String, String);

/// Picks each operation's id and method name: `operationId` in snake case, or a name from method
/// and path when it is missing. NestJS ids (`AccountsController_update`) drop the controller
/// prefix when the rest is unique in the spec.
fn method_names(
    lowerer: &mut Lowerer<'_>,
    found: &[(&str, &str, &openapiv3::Operation, &openapiv3::PathItem, String)],
) -> Vec<(String, String)> {
    let ids: Vec<String> = found
        .iter()
        .map(|(path, method, op, _, here)| match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => {
                let derived = derived_id(method, path);
                lowerer.warn("W0051", here.clone(), format!("no operationId: named `{derived}` from method and path"));
                derived
            }
        })
        .collect();
    let short: Vec<Option<String>> = ids.iter().map(|id| controller_suffix(id).map(str::to_owned)).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for candidate in short.iter().flatten() {
        *counts.entry(value_name(candidate)).or_default() += 1;
    }
    let mut names = Namespace::with_reserved(CLIENT_METHODS);
    let mut seen_ids = HashMap::new();
    ids.into_iter()
        .zip(short)
        .zip(found)
        .map(|((id, short), site)| {
            let preferred = short
                .as_deref()
                .map(value_name)
                .filter(|n| counts.get(n) == Some(&1))
                .unwrap_or_else(|| value_name(&id));
            let reserved = names.is_reserved(&preferred);
            let name = names.claim(preferred.clone(), "_");
            if let Some(previous) = seen_ids.insert(id.clone(), site.4.clone()) {
                lowerer.warn(
                    "W0052",
                    site.4.clone(),
                    format!("operationId `{id}` is also used at {previous}: this one is named `{name}`"),
                );
            } else if reserved {
                lowerer.warn(
                    "W0059",
                    site.4.clone(),
                    format!(
                        "operationId `{id}` would be the method `Client::{preferred}`, which every client has: it \
                         is named `{name}`"
                    ),
                );
            }
            (id, name)
        })
        .collect()
}

/// The names derived from each operation's method name, after every method name is taken (so a
/// derived name never renames an operation): its `Client` helpers, its `mock::Server` method and
/// its types beside `Client`; and which of those types were renamed because they are reserved.
fn derived_names(
    lowerer: &mut Lowerer<'_>,
    found: &[(&str, &str, &openapiv3::Operation, &openapiv3::PathItem, String)],
    methods: &[(String, String)],
) -> Vec<(OperationNames, Vec<RenamedType>)> {
    let mut client = Namespace::with_reserved(CLIENT_METHODS);
    for (_, name) in methods {
        client.claim(name.clone(), "_");
    }
    // Mock methods are named like the client's unless `mock::Server` has one of that name: those
    // are claimed last, so they do not rename the others.
    let mut mock = Namespace::with_reserved(MOCK_SERVER_METHODS);
    let mut mock_names: Vec<Option<String>> =
        methods.iter().map(|(_, name)| (!mock.is_reserved(name)).then(|| mock.claim(name.clone(), "_"))).collect();
    for ((id, name), (mock_name, site)) in methods.iter().zip(mock_names.iter_mut().zip(found)) {
        if mock_name.is_none() {
            let claimed = mock.claim(name.clone(), "_");
            lowerer.warn(
                "W0059",
                site.4.clone(),
                format!(
                    "operationId `{id}` would be mocked by `mock::Server::{name}`, which every mock server has: it \
                     is mocked by `mock::Server::{claimed}`"
                ),
            );
            *mock_name = Some(claimed);
        }
    }
    let mut types = Namespace::with_reserved(CLIENT_MODULE_TYPES);
    methods
        .iter()
        .zip(mock_names)
        .map(|((_, name), mock)| {
            let prefix = type_name(name.trim_start_matches("r#"));
            let mut renamed = Vec::new();
            let mut claim_type = |kind: &'static str| {
                let wanted = format!("{prefix}{kind}");
                let reserved = types.is_reserved(&wanted);
                let claimed = types.claim(wanted.clone(), "");
                if reserved {
                    renamed.push((kind, wanted, claimed.clone()));
                }
                claimed
            };
            let names = OperationNames {
                error: claim_type("Error"),
                success: claim_type("Success"),
                headers: claim_type("Headers"),
                content: claim_type("Content"),
                request: client.claim(derived_value_name(name, "request"), "_"),
                with_headers: client.claim(derived_value_name(name, "with_headers"), "_"),
                download: client.claim(derived_value_name(name, "download"), "_"),
                stream: client.claim(derived_value_name(name, "stream"), "_"),
                mock: mock.unwrap_or_else(|| name.clone()),
            };
            (names, renamed)
        })
        .collect()
}

/// W0059 for each client-module type of `op` that is generated under another name than the
/// reserved one it would have had.
fn warn_renamed_types(lowerer: &mut Lowerer<'_>, op: &Operation, renamed: &[RenamedType]) {
    let events = op.successes().iter().any(|r| r.is_event_stream());
    for (kind, wanted, claimed) in renamed {
        let generated = match *kind {
            "Error" => op.responses.iter().any(|r| !r.status.is_success() && matches!(r.body, Some(BodyKind::Json(_)))),
            "Success" => !events && op.distinct_success_bodies().len() > 1,
            "Headers" => !events && op.successes().iter().any(|r| !r.headers.is_empty()),
            _ => op.body.as_ref().is_some_and(|b| !b.alternatives.is_empty()),
        };
        if generated {
            lowerer.warn(
                "W0059",
                op.pointer.clone(),
                format!(
                    "the {} type of operationId `{}` would be `{wanted}`, a name the client module already uses: \
                     it is `{claimed}`",
                    kind.to_ascii_lowercase(),
                    op.id
                ),
            );
        }
    }
}

fn derived_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_owned()),
        }
    }
    value_name(&words.join("_"))
}

fn controller_suffix(id: &str) -> Option<&str> {
    let (prefix, rest) = id.split_once('_')?;
    (prefix.ends_with("Controller") && !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(rest)
}

fn lower_operation<'s>(lowerer: &mut Lowerer<'s>, schemes: &[SecurityScheme], site: OperationSite<'s>) -> Operation {
    let type_prefix = type_name(&site.name);
    let params = parameters(lowerer, &site, &type_prefix);
    let params_type = params_struct(lowerer, &params, &type_prefix, &site.name, &site.pointer);
    let body = site.op.request_body.as_ref().and_then(|b| request_body(lowerer, b, &type_prefix, &site.pointer));
    let responses = responses(lowerer, &site, &type_prefix);
    let success = success(lowerer, &responses, &site.pointer);
    let security =
        security(lowerer, site.op.security.as_ref().or(lowerer.spec.security.as_ref()), schemes, &site.pointer);
    let pagination = pagination_hint(lowerer, &site);
    Operation {
        id: site.id,
        name: site.name,
        method: site.method.to_ascii_uppercase(),
        path: site.path.to_owned(),
        docs: Docs {
            title: site.op.summary.clone(),
            description: site.op.description.clone(),
            example: None,
            deprecated: site.op.deprecated,
            notes: Vec::new(),
        },
        tags: site.op.tags.clone(),
        params,
        params_type,
        body,
        responses,
        success,
        security,
        pagination,
        pointer: site.pointer,
        names: site.names,
    }
}

/// `x-pagination` on the operation, else on its path item: `false`, or an object with `kind`,
/// `param`, `next` and `items` (all optional strings).
fn pagination_hint(lowerer: &mut Lowerer<'_>, site: &OperationSite<'_>) -> Option<PaginationHint> {
    let value = site.op.extensions.get("x-pagination").or_else(|| site.item.extensions.get("x-pagination"))?;
    let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    match value {
        serde_json::Value::Bool(enabled) => Some(PaginationHint { disabled: !enabled, ..PaginationHint::default() }),
        serde_json::Value::Object(_) => {
            let kind = text("kind");
            if let Some(k) = kind.as_deref().filter(|k| !matches!(*k, "cursor" | "page" | "offset" | "link")) {
                lowerer.warn(
                    "W0058",
                    child(&site.pointer, "x-pagination"),
                    format!(
                        "unknown `x-pagination` kind `{k}` (expected cursor, page, offset or link): detected instead"
                    ),
                );
            }
            Some(PaginationHint {
                disabled: false,
                kind,
                param: text("param"),
                next: text("next"),
                items: text("items"),
            })
        }
        _ => {
            lowerer.warn("W0058", child(&site.pointer, "x-pagination"), "`x-pagination` must be `false` or an object");
            None
        }
    }
}

pub(super) fn resolve<'s, T>(
    lowerer: &mut Lowerer<'s>,
    item: &'s ReferenceOr<T>,
    lookup: impl Fn(&'s openapiv3::Components, &str) -> Option<&'s ReferenceOr<T>>,
    prefix: &str,
    here: &str,
) -> Option<&'s T> {
    let mut current = item;
    for _ in 0..MAX_REF_HOPS {
        match current {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                let target = reference.strip_prefix(prefix).and_then(|key| {
                    lookup(lowerer.spec.components.as_ref()?, &key.replace("~1", "/").replace("~0", "~"))
                });
                match target {
                    Some(next) => current = next,
                    None => {
                        lowerer.error("E0030", here, format!("`$ref: {reference}` does not resolve"));
                        return None;
                    }
                }
            }
        }
    }
    lowerer.error("E0032", here, "a `$ref` chain is cyclic or longer than 16 hops");
    None
}

fn parameters<'s>(lowerer: &mut Lowerer<'s>, site: &OperationSite<'s>, type_prefix: &str) -> Vec<Param> {
    // Operation parameters override path-item ones with the same name and location.
    let mut merged: IndexMap<(String, &'static str), (&openapiv3::Parameter, String)> = IndexMap::new();
    let sources = [
        (&site.item.parameters, pointer(["paths", site.path, "parameters"])),
        (&site.op.parameters, child(&site.pointer, "parameters")),
    ];
    for (list, base) in sources {
        for (i, param) in list.iter().enumerate() {
            let here = format!("{base}/{i}");
            if let Some(param) = resolve(lowerer, param, |c, k| c.parameters.get(k), "#/components/parameters/", &here)
            {
                let location = match param {
                    Parameter::Path { .. } => "path",
                    Parameter::Query { .. } => "query",
                    Parameter::Header { .. } => "header",
                    Parameter::Cookie { .. } => "cookie",
                };
                merged.insert((param.parameter_data_ref().name.clone(), location), (param, here));
            }
        }
    }
    let template: Vec<&str> =
        site.path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    let mut names = Namespace::with_reserved(&["body", "params"]);
    let mut path_params = Vec::new();
    let mut other = Vec::new();
    for &wire in &template {
        let Some((param, here)) = merged.shift_remove(&(wire.to_owned(), "path")) else {
            lowerer.warn(
                "W0053",
                site.pointer.clone(),
                format!("path parameter `{wire}` is not declared: taken as a required string"),
            );
            path_params.push(Param {
                name: names.claim(value_name(wire), "_"),
                wire_name: wire.to_owned(),
                location: ParamLocation::Path,
                required: true,
                explode: false,
                style: ParamStyle::Form,
                ty: TypeRef::Primitive(Primitive::String),
                constraints: Default::default(),
                docs: Docs::default(),
            });
            continue;
        };
        path_params.push(param_of(lowerer, param, &here, type_prefix, &mut names));
    }
    for ((wire, location), (param, here)) in merged {
        if location == "path" {
            lowerer.error(
                "E0050",
                here,
                format!("path parameter `{wire}` does not appear in the path template `{}`", site.path),
            );
            continue;
        }
        other.push(param_of(lowerer, param, &here, type_prefix, &mut names));
    }
    path_params.extend(other);
    path_params
}

fn param_of(
    lowerer: &mut Lowerer<'_>,
    param: &Parameter,
    here: &str,
    type_prefix: &str,
    names: &mut Namespace,
) -> Param {
    let data = param.parameter_data_ref();
    let hint = format!("{type_prefix}{}", type_name(&data.name));
    let (ty, schema_docs, constraints) = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let docs = schema.as_item().map(docs_of).unwrap_or_default();
            let constraints = schema.as_item().map(constraints_of).unwrap_or_default();
            (lowerer.type_of(schema, &hint, &child(here, "schema")), docs, constraints)
        }
        ParameterSchemaOrContent::Content(_) => {
            lowerer.warn("W0054", here, "a parameter with `content` is sent as a JSON string");
            (TypeRef::Any, Docs::default(), Default::default())
        }
    };
    let (location, style) = match param {
        Parameter::Path { .. } => (ParamLocation::Path, ParamStyle::Form),
        Parameter::Query { style, .. } => (
            ParamLocation::Query,
            match style {
                openapiv3::QueryStyle::Form => ParamStyle::Form,
                openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
            },
        ),
        Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Form),
        Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form),
    };
    // `explode` defaults to true for form style (query and cookie), false for everything else.
    let default_explode = matches!(location, ParamLocation::Query | ParamLocation::Cookie)
        && matches!(style, ParamStyle::Form | ParamStyle::DeepObject);
    Param {
        name: names.claim(value_name(&data.name), "_"),
        wire_name: data.name.clone(),
        location,
        required: data.required || location == ParamLocation::Path,
        explode: data.explode.unwrap_or(default_explode),
        style,
        ty,
        constraints,
        docs: Docs {
            description: data.description.clone().or(schema_docs.description),
            example: data.example.clone().or(schema_docs.example),
            deprecated: data.deprecated.unwrap_or(false),
            title: None,
            notes: Vec::new(),
        },
    }
}

/// Non-path parameters travel in one struct, so optional ones are easy to leave out.
fn params_struct(
    lowerer: &mut Lowerer<'_>,
    params: &[Param],
    type_prefix: &str,
    method: &str,
    here: &str,
) -> Option<String> {
    let fields: Vec<Field> = params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| Field {
            name: p.name.clone(),
            wire_name: p.wire_name.clone(),
            ty: p.ty.clone(),
            required: p.required,
            boxed: false,
            docs: p.docs.clone(),
            constraints: p.constraints.clone(),
            default: None,
        })
        .collect();
    if fields.is_empty() {
        return None;
    }
    let name = lowerer.type_names.claim(format!("{type_prefix}Params"), "");
    let docs = Docs {
        description: Some(format!(
            "Query, header and cookie parameters of [`Client::{}`](super::Client).",
            method.trim_start_matches("r#")
        )),
        ..Docs::default()
    };
    lowerer.push_type(name.clone(), &child(here, "parameters"), docs, TypeKind::Params { fields });
    Some(name)
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// The preferred media type of a content map: JSON first, then the first listed.
pub(super) fn pick_media(content: &IndexMap<String, openapiv3::MediaType>) -> Option<(&String, &openapiv3::MediaType)> {
    content.iter().find(|(m, _)| is_json(m)).or_else(|| content.iter().next())
}

pub(super) fn is_media(media_type: &str, essence: &str) -> bool {
    media_type.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case(essence)
}

/// How a body of `media_type` is encoded: JSON (and, in requests, form-urlencoded) bodies with
/// their schema's type, `text/event-stream` with its event type when the schema is not a string,
/// other text as `String`, anything else (multipart included) as bytes.
fn body_kind(
    lowerer: &mut Lowerer<'_>,
    media_type: &str,
    media: &openapiv3::MediaType,
    hint: &str,
    here: &str,
) -> BodyKind {
    let typed_events = is_media(media_type, "text/event-stream")
        && media.schema.as_ref().is_some_and(|s| {
            !matches!(
                s,
                ReferenceOr::Item(openapiv3::Schema {
                    schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(_)),
                    ..
                })
            )
        });
    if is_json(media_type) || is_media(media_type, "application/x-www-form-urlencoded") || typed_events {
        let ty = match &media.schema {
            Some(schema) => lowerer.type_of(schema, hint, &child(here, "schema")),
            None => TypeRef::Any,
        };
        BodyKind::Json(ty)
    } else if media_type.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

fn request_body<'s>(
    lowerer: &mut Lowerer<'s>,
    body: &'s ReferenceOr<openapiv3::RequestBody>,
    type_prefix: &str,
    op_pointer: &str,
) -> Option<RequestBody> {
    let here = child(op_pointer, "requestBody");
    let body = resolve(lowerer, body, |c, k| c.request_bodies.get(k), "#/components/requestBodies/", &here)?;
    let (media_type, media) = pick_media(&body.content)?;
    let media_pointer = child(&child(&here, "content"), media_type);
    let kind = body_kind(lowerer, media_type, media, &format!("{type_prefix}Body"), &media_pointer);
    let mut alternatives = Vec::new();
    for (other, other_media) in body.content.iter().filter(|(m, _)| *m != media_type) {
        let other_pointer = child(&child(&here, "content"), other);
        let hint = format!("{type_prefix}{}Body", type_name(media_label(other)));
        let other_kind = body_kind(lowerer, other, other_media, &hint, &other_pointer);
        alternatives.push((other.clone(), other_kind));
    }
    Some(RequestBody {
        media_type: media_type.clone(),
        kind,
        required: body.required,
        docs: Docs { description: body.description.clone(), ..Docs::default() },
        alternatives,
    })
}

/// A short name for a media type, for type and variant names: `application/x-www-form-urlencoded`
/// -> `form`, `multipart/form-data` -> `multipart`, `application/json` -> `json`, else the subtype.
pub(crate) fn media_label(media_type: &str) -> &str {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    if is_media(essence, "application/x-www-form-urlencoded") {
        "form"
    } else if essence.starts_with("multipart/") {
        "multipart"
    } else if is_json(essence) {
        "json"
    } else if essence.starts_with("text/") && essence != "text/event-stream" {
        "text"
    } else {
        essence.rsplit('/').next().unwrap_or(essence)
    }
}

fn responses<'s>(lowerer: &mut Lowerer<'s>, site: &OperationSite<'s>, type_prefix: &str) -> Vec<Response> {
    let base = child(&site.pointer, "responses");
    let success_count = site.op.responses.responses.keys().filter(|s| status_match(s).is_success()).count();
    let mut entries: Vec<(StatusMatch, &ReferenceOr<openapiv3::Response>, String)> = site
        .op
        .responses
        .responses
        .iter()
        .map(|(status, r)| (status_match(status), r, child(&base, &status.to_string())))
        .collect();
    if let Some(default) = &site.op.responses.default {
        entries.push((StatusMatch::Default, default, child(&base, "default")));
    }
    entries
        .into_iter()
        .filter_map(|(status, response, here)| {
            let response = resolve(lowerer, response, |c, k| c.responses.get(k), "#/components/responses/", &here)?;
            let suffix = match status {
                StatusMatch::Code(code) if status.is_success() && success_count == 1 => {
                    let _ = code;
                    "Response".to_owned()
                }
                StatusMatch::Code(code) => format!("Response{code}"),
                StatusMatch::Range(digit) => format!("Response{digit}xx"),
                StatusMatch::Default => "ResponseDefault".to_owned(),
            };
            let picked = pick_media(&response.content).map(|(media_type, media)| {
                let media_pointer = child(&child(&here, "content"), media_type);
                let kind = body_kind(lowerer, media_type, media, &format!("{type_prefix}{suffix}"), &media_pointer);
                (kind, media_type.clone())
            });
            let (body, media_type) = picked.map_or((None, None), |(k, m)| (Some(k), Some(m)));
            let headers = response_headers(lowerer, response, &here);
            Some(Response { status, description: response.description.clone(), body, media_type, headers })
        })
        .collect()
}

/// The headers a response declares, typed when their schema is a primitive (else `String`).
fn response_headers<'s>(
    lowerer: &mut Lowerer<'s>,
    response: &'s openapiv3::Response,
    here: &str,
) -> Vec<ResponseHeader> {
    let mut names = Namespace::default();
    let mut out = Vec::new();
    for (wire, header) in &response.headers {
        let header_pointer = child(&child(here, "headers"), wire);
        let Some(header) = resolve(lowerer, header, |c, k| c.headers.get(k), "#/components/headers/", &header_pointer)
        else {
            continue;
        };
        let ty = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => {
                match lowerer.type_of(schema, &type_name(wire), &child(&header_pointer, "schema")) {
                    ty @ TypeRef::Primitive(_) => ty,
                    _ => TypeRef::Primitive(Primitive::String),
                }
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::Primitive(Primitive::String),
        };
        out.push(ResponseHeader {
            name: names.claim(value_name(wire), "_"),
            wire_name: wire.clone(),
            ty,
            description: header.description.clone(),
        });
    }
    out
}

pub(super) fn status_match(status: &StatusCode) -> StatusMatch {
    match status {
        StatusCode::Code(code) => StatusMatch::Code(*code),
        StatusCode::Range(digit) => StatusMatch::Range(*digit),
    }
}

/// What a success returns: the one body all documented 2xx responses share.
fn success(lowerer: &mut Lowerer<'_>, responses: &[Response], here: &str) -> Success {
    let successes: Vec<&Response> = responses.iter().filter(|r| r.status.is_success()).collect();
    let mut kinds: Vec<&BodyKind> = Vec::new();
    for kind in successes.iter().filter_map(|r| r.body.as_ref()) {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let kind = match kinds.as_slice() {
        [] => return Success::Empty,
        [one] => (*one).clone(),
        // The client returns an enum with one variant per status (see `emit::client`).
        _ => {
            let _ = (lowerer, here);
            BodyKind::Json(TypeRef::Any)
        }
    };
    Success::Body {
        statuses: successes.iter().filter(|r| r.body.is_some()).map(|r| r.status).collect(),
        empty_statuses: successes
            .iter()
            .filter(|r| r.body.is_none() && matches!(r.status, StatusMatch::Code(_)))
            .map(|r| r.status)
            .collect(),
        kind,
    }
}

fn security(
    lowerer: &mut Lowerer<'_>,
    requirements: Option<&Vec<openapiv3::SecurityRequirement>>,
    schemes: &[SecurityScheme],
    here: &str,
) -> Vec<Vec<String>> {
    let Some(requirements) = requirements else { return Vec::new() };
    requirements
        .iter()
        .filter_map(|requirement| {
            let names: Vec<String> = requirement.keys().cloned().collect();
            match names.iter().find(|n| !schemes.iter().any(|s| &s.key == *n)) {
                Some(unknown) => {
                    lowerer.warn(
                        "W0057",
                        child(here, "security"),
                        format!("security scheme `{unknown}` is not usable: this alternative is skipped"),
                    );
                    None
                }
                None => Some(names),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_read_like_the_route() {
        assert_eq!(derived_id("patch", "/v0/accounts/{account_id}"), "patch_v0_accounts_by_account_id");
        assert_eq!(derived_id("get", "/"), "get");
    }

    #[test]
    fn nest_controller_prefixes_are_recognised() {
        assert_eq!(controller_suffix("AccountsController_update"), Some("update"));
        assert_eq!(controller_suffix("accounts_update"), None);
        assert_eq!(controller_suffix("FooController_"), None);
    }
}

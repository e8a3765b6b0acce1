//! Webhooks (3.1 `webhooks`) and the callbacks of operations into events: the requests the API
//! sends to the user's server, which the generated `webhooks` module parses into typed payloads.
//!
//! Naming (see [`crate::naming`]): an event's name, the text `webhooks::parse` takes, is the
//! webhook's key, or `<operationId>.<callback name>` for a callback (callback names repeat across
//! operations); a method other than POST appends ` <METHOD>`, and a name taken before (two
//! expressions of one callback) gets ` #2`, ` #3` in spec order. The `Event` variant is the same
//! words in `UpperCamelCase` (`newPet` -> `NewPet`, `subscribe.onData` -> `SubscribeOnData`), its
//! typed parse function `parse_` and the variant in `snake_case`.

use super::operations::{is_json, is_media, pick_media, resolve, status_match};
use super::Lowerer;
use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{BodyKind, Docs, Event, EventSource, Operation, StatusMatch, TypeRef};
use crate::naming::{type_name, value_name, Namespace, WEBHOOK_FUNCTIONS};
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use std::collections::HashMap;

/// The spec's webhooks (key and path item, in spec order), read back from where `normalise` set
/// them aside. One that does not read as a path item is skipped with warning W0010.
pub(super) fn read_webhooks(spec: &OpenAPI, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, PathItem)> {
    let Some(serde_json::Value::Object(webhooks)) = spec.extensions.get(crate::normalise::WEBHOOKS) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in webhooks {
        match serde_path_to_error::deserialize::<_, PathItem>(value) {
            Ok(item) => out.push((key.clone(), item)),
            Err(e) => {
                let path = e.path().to_string();
                let at = if path == "." { String::new() } else { format!(" at `{path}`") };
                diagnostics.push(Diagnostic::warning(
                    "W0010",
                    pointer(["webhooks", key.as_str()]),
                    format!(
                        "webhook `{key}` is not a path item the OpenAPI model reads{at} ({}): it is skipped",
                        e.inner()
                    ),
                ));
            }
        }
    }
    out
}

/// One event before lowering: where it is and what it is called.
struct Site<'a> {
    /// The name `parse` takes, before collisions are suffixed.
    name: String,
    /// The words of its variant name.
    words: String,
    source: EventSource,
    method: &'a str,
    op: &'a openapiv3::Operation,
    pointer: String,
    tags: Vec<String>,
}

/// Every webhook, then every callback of the operations kept, in spec order. With an
/// `operations` selection only callbacks of the operations selected are kept (no webhook); with
/// a `tags` selection, webhooks with one of the tags.
pub(super) fn lower_all<'a>(
    lowerer: &mut Lowerer<'a>,
    webhooks: &'a [(String, PathItem)],
    operations: &[Operation],
) -> Vec<Event> {
    let options = lowerer.options;
    let mut sites = Vec::new();
    for (key, item) in webhooks.iter().filter(|_| options.operations.is_empty()) {
        let item_pointer = pointer(["webhooks", key.as_str()]);
        for (method, op) in item.iter() {
            if !options.tags.is_empty() && !op.tags.iter().any(|t| options.tags.contains(t)) {
                continue;
            }
            sites.push(Site {
                name: key.clone(),
                words: key.clone(),
                source: EventSource::Webhook { key: key.clone() },
                method,
                op,
                pointer: child(&item_pointer, method),
                tags: op.tags.clone(),
            });
        }
    }
    let kept: HashMap<&str, &Operation> = operations.iter().map(|op| (op.pointer.as_str(), op)).collect();
    let spec: &'a OpenAPI = lowerer.spec;
    for (path, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else { continue };
        let item_pointer = pointer(["paths", path.as_str()]);
        for (method, op) in item.iter() {
            let op_pointer = child(&item_pointer, method);
            let Some(owner) = kept.get(op_pointer.as_str()) else { continue };
            for (callback, expressions) in &op.callbacks {
                let callback_pointer = child(&child(&op_pointer, "callbacks"), callback);
                for (expression, item) in expressions {
                    for (cb_method, cb_op) in item.iter() {
                        sites.push(Site {
                            name: format!("{}.{callback}", owner.id),
                            words: format!("{} {callback}", owner.name.trim_start_matches("r#")),
                            source: EventSource::Callback {
                                operation: owner.name.clone(),
                                operation_id: owner.id.clone(),
                                callback: callback.clone(),
                                expression: expression.clone(),
                            },
                            method: cb_method,
                            op: cb_op,
                            pointer: child(&child(&callback_pointer, expression), cb_method),
                            tags: owner.tags.clone(),
                        });
                    }
                }
            }
        }
    }
    let (mut names, mut variants) = (Namespace::default(), Namespace::default());
    let mut functions = Namespace::with_reserved(WEBHOOK_FUNCTIONS);
    sites
        .into_iter()
        .map(|mut site| {
            if site.method != "post" {
                let method = site.method.to_ascii_uppercase();
                site.name = format!("{} {method}", site.name);
                site.words = format!("{} {method}", site.words);
            }
            let name = names.claim(site.name.clone(), " #");
            let variant = variants.claim(type_name(&site.words), "");
            let function = functions.claim(format!("parse_{}", value_name(&variant).trim_start_matches("r#")), "_");
            lower_event(lowerer, site, name, variant, function)
        })
        .collect()
}

fn lower_event<'a>(
    lowerer: &mut Lowerer<'a>,
    site: Site<'a>,
    name: String,
    variant: String,
    function: String,
) -> Event {
    let mut notes = Vec::new();
    let payload = site.op.request_body.as_ref().and_then(|body| {
        let here = child(&site.pointer, "requestBody");
        let body = resolve(lowerer, body, |c, k| c.request_bodies.get(k), "#/components/requestBodies/", &here)?;
        notes.extend(body.description.clone());
        let (media_type, media) = pick_media(&body.content)?;
        let media_pointer = child(&child(&here, "content"), media_type);
        let kind = if is_json(media_type) {
            BodyKind::Json(match &media.schema {
                Some(schema) => lowerer.type_of(schema, &format!("{variant}Payload"), &child(&media_pointer, "schema")),
                None => TypeRef::Any,
            })
        } else {
            let text = media_type.starts_with("text/") || is_media(media_type, "application/x-www-form-urlencoded");
            let given = if text { "its text, a `String`" } else { "its bytes, a `runtime::Bytes`" };
            lowerer.warn(
                "W0060",
                media_pointer,
                format!("the body of event `{name}` is `{media_type}`, not JSON: `webhooks::parse` gives {given}"),
            );
            if text {
                BodyKind::Text
            } else {
                BodyKind::Binary
            }
        };
        Some((media_type.clone(), kind))
    });
    let responses = responses(lowerer.spec, site.op);
    Event {
        name,
        variant,
        function,
        method: site.method.to_ascii_uppercase(),
        source: site.source,
        pointer: site.pointer,
        docs: Docs {
            title: site.op.summary.clone(),
            description: site.op.description.clone(),
            example: None,
            deprecated: site.op.deprecated,
            notes,
        },
        tags: site.tags,
        payload,
        responses,
    }
}

/// The responses the API expects: status and description (a `$ref` to a component response
/// that does not resolve is left out: the text is only documentation).
fn responses(spec: &OpenAPI, op: &openapiv3::Operation) -> Vec<(StatusMatch, String)> {
    let description = |response: &ReferenceOr<openapiv3::Response>| match response {
        ReferenceOr::Item(response) => Some(response.description.clone()),
        ReferenceOr::Reference { reference } => {
            let key = reference.strip_prefix("#/components/responses/")?;
            match spec.components.as_ref()?.responses.get(key)? {
                ReferenceOr::Item(response) => Some(response.description.clone()),
                ReferenceOr::Reference { .. } => None,
            }
        }
    };
    let statuses = op.responses.responses.iter().map(|(status, r)| (status_match(status), r));
    statuses
        .chain(op.responses.default.iter().map(|r| (StatusMatch::Default, r)))
        .filter_map(|(status, response)| Some((status, description(response)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::ir::{BodyKind, EventSource, StatusMatch, TypeRef};

    fn lowered(text: &str) -> (crate::ir::Api, Vec<crate::Diagnostic>) {
        let document = crate::load::parse_text(text).expect("valid YAML");
        crate::frontend::lower_document("t.yaml", document, &Default::default()).expect("lowers")
    }

    const OK: &str = "responses: {'200': {description: received}}";

    #[test]
    fn webhooks_and_callbacks_become_events_with_unique_names() {
        let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n\
             paths:\n  /s:\n    post:\n      operationId: subscribe\n      OK\n      callbacks:\n        \
             onData:\n          '{$request.body#/a}': {post: {BODY, OK}}\n          \
             '{$request.body#/b}': {post: {OK}, put: {OK}}\n\
             webhooks:\n  newPet: {post: {summary: A pet, BODY, OK}}\n  new_pet: {post: {OK}}\n  \
             subscribe.onData: {post: {OK}}\n  text: {post: {requestBody: {content: {text/plain: {}}}, OK}}\n"
            .replace("BODY", "requestBody: {content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}}")
            .replace("OK", OK);
        let (api, warnings) = lowered(&text);
        let events: Vec<(&str, &str, &str)> =
            api.events.iter().map(|e| (e.name.as_str(), e.variant.as_str(), e.function.as_str())).collect();
        assert_eq!(
            events,
            [
                ("newPet", "NewPet", "parse_new_pet"),
                ("new_pet", "NewPet2", "parse_new_pet2"),
                ("subscribe.onData", "SubscribeOnData", "parse_subscribe_on_data"),
                ("text", "Text", "parse_text"),
                ("subscribe.onData #2", "SubscribeOnData2", "parse_subscribe_on_data2"),
                // A path item's methods in the model's order: `put` before `post`.
                ("subscribe.onData PUT", "SubscribeOnDataPut", "parse_subscribe_on_data_put"),
                ("subscribe.onData #3", "SubscribeOnData3", "parse_subscribe_on_data3"),
            ]
        );
        let new_pet = &api.events[0];
        assert_eq!(new_pet.docs.title.as_deref(), Some("A pet"));
        assert_eq!(new_pet.responses, [(StatusMatch::Code(200), "received".to_owned())]);
        assert_eq!(
            new_pet.payload,
            Some(("application/json".into(), BodyKind::Json(TypeRef::Named("NewPetPayload".into()))))
        );
        assert!(matches!(&api.events[4].source,
            EventSource::Callback { operation_id, callback, expression, .. }
                if operation_id == "subscribe" && callback == "onData" && expression == "{$request.body#/a}"));
        assert_eq!(api.events[6].payload, None);
        assert_eq!(api.events[3].payload, Some(("text/plain".into(), BodyKind::Text)));
        let w0060: Vec<&str> = warnings.iter().filter(|w| w.code == "W0060").map(|w| w.pointer.as_str()).collect();
        assert_eq!(w0060, ["#/webhooks/text/post/requestBody/content/text~1plain"]);
        assert!(api.types.iter().any(|t| t.name == "SubscribeOnData2Payload"));
    }

    #[test]
    fn an_unreadable_webhook_is_skipped_with_a_warning() {
        let text = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\n\
                    webhooks:\n  bad: {post: {parameters: 3}}\n  good: {post: {responses: {'204': {description: ok}}}}\n";
        let (api, warnings) = lowered(text);
        assert_eq!(api.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["good"]);
        let w0010: Vec<&str> = warnings.iter().filter(|w| w.code == "W0010").map(|w| w.pointer.as_str()).collect();
        assert_eq!(w0010, ["#/webhooks/bad"]);
    }
}

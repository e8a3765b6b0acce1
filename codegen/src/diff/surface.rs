//! What the client emitter makes of one operation's bodies and responses, as comparable text:
//! the `body` argument, the return value (one type, a `<Method>Success` enum of several 2xx
//! bodies, or an event stream), the `<Method>Error` enum of typed error bodies, the
//! `<method>_with_headers` method and its `<Method>Headers` struct, and the `<method>_download`
//! method. It mirrors `emit::client`; keep the two in step.

use super::rust::type_text;
use crate::ir::{BodyKind, Operation, Primitive, RequestBody, StatusMatch, Success, TypeRef};

/// The `body` argument's type.
pub(super) fn body_argument(op: &Operation, body: &RequestBody) -> String {
    let arg = if body.alternatives.is_empty() {
        single_body_argument(&body.kind, &body.media_type)
    } else {
        op.names.content.clone()
    };
    if body.required {
        arg
    } else {
        format!("Option<{arg}>")
    }
}

fn single_body_argument(kind: &BodyKind, media_type: &str) -> String {
    match kind {
        BodyKind::Json(TypeRef::Primitive(Primitive::String)) => "&str".to_owned(),
        BodyKind::Json(TypeRef::Array(item)) => format!("&[{}]", type_text(item)),
        BodyKind::Json(other) => format!("&{}", type_text(other)),
        BodyKind::Text => "impl Into<String>".to_owned(),
        BodyKind::Binary if is_multipart(media_type) => "Multipart".to_owned(),
        BodyKind::Binary => "impl Into<BinaryBody>".to_owned(),
    }
}

/// The variants of the `<Method>Content` enum, as (media type, payload type); empty when the
/// operation accepts one media type.
pub(super) fn content_variants(body: &RequestBody) -> Vec<(String, String)> {
    if body.alternatives.is_empty() {
        return Vec::new();
    }
    let all = std::iter::once((&body.media_type, &body.kind)).chain(body.alternatives.iter().map(|(m, k)| (m, k)));
    all.map(|(media_type, kind)| (media_type.clone(), content_payload(kind, media_type))).collect()
}

fn content_payload(kind: &BodyKind, media_type: &str) -> String {
    match kind {
        BodyKind::Json(ty) => type_text(ty),
        BodyKind::Text => "String".to_owned(),
        BodyKind::Binary if is_multipart(media_type) => "Multipart".to_owned(),
        BodyKind::Binary => "BinaryBody".to_owned(),
    }
}

fn is_multipart(media_type: &str) -> bool {
    media_type.trim().to_ascii_lowercase().starts_with("multipart/")
}

/// How a method returns its success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Returns {
    /// One type.
    Single(String),
    /// The `<Method>Success` enum: (variant, payload type) per documented 2xx status.
    Variants(String, Vec<(String, Option<String>)>),
    /// A stream of server-sent events of this item type.
    Events(String),
}

impl Returns {
    /// The method's return type, as shown in reasons.
    pub(super) fn text(&self) -> String {
        match self {
            Returns::Single(ty) => ty.clone(),
            Returns::Variants(name, _) => name.clone(),
            Returns::Events(item) => format!("EventStream<{item}>"),
        }
    }
}

/// What `op`'s method returns.
pub(super) fn returns(op: &Operation) -> Returns {
    let successes = op.successes();
    if let Some(events) = successes.iter().find(|r| r.is_event_stream()) {
        let item = match &events.body {
            Some(BodyKind::Json(ty)) => type_text(ty),
            _ => "String".to_owned(),
        };
        return Returns::Events(item);
    }
    if op.distinct_success_bodies().len() < 2 {
        return Returns::Single(single_return(&op.success));
    }
    let variants = successes.iter().map(|r| (status_variant(r.status), r.body.as_ref().map(payload))).collect();
    Returns::Variants(op.names.success.clone(), variants)
}

fn single_return(success: &Success) -> String {
    let Success::Body { kind, empty_statuses, .. } = success else { return "()".to_owned() };
    let body = payload(kind);
    if empty_statuses.is_empty() {
        body
    } else {
        format!("Option<{body}>")
    }
}

fn payload(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) => type_text(ty),
        BodyKind::Text => "String".to_owned(),
        BodyKind::Binary => "Bytes".to_owned(),
    }
}

/// The variants of the `<Method>Error` enum, as (variant, payload type): one per documented
/// error status with a JSON body; empty when there is no such enum.
pub(super) fn error_variants(op: &Operation) -> Vec<(String, String)> {
    let errors = op.responses.iter().filter(|r| !r.status.is_success());
    errors
        .filter_map(|r| match &r.body {
            Some(BodyKind::Json(ty)) => Some((status_variant(r.status), type_text(ty))),
            _ => None,
        })
        .collect()
}

/// The fields of the `<Method>Headers` struct, as (wire name, Rust field, type), when the method
/// has a `_with_headers` twin: the headers its 2xx responses declare, once each.
pub(super) fn success_headers(op: &Operation) -> Option<Vec<(String, String, String)>> {
    if matches!(returns(op), Returns::Events(_)) {
        return None;
    }
    let mut out: Vec<(String, String, String)> = Vec::new();
    for header in op.responses.iter().filter(|r| r.status.is_success()).flat_map(|r| &r.headers) {
        let seen =
            out.iter().any(|(wire, name, _)| wire.eq_ignore_ascii_case(&header.wire_name) || *name == header.name);
        if !seen {
            out.push((header.wire_name.clone(), header.name.clone(), format!("Option<{}>", type_text(&header.ty))));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether the method has a `_download` twin streaming a binary body.
pub(super) fn has_download(op: &Operation) -> bool {
    matches!(&op.success, Success::Body { kind: BodyKind::Binary, .. }) && matches!(returns(op), Returns::Single(_))
}

fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(200) => "Ok".to_owned(),
        StatusMatch::Code(201) => "Created".to_owned(),
        StatusMatch::Code(202) => "Accepted".to_owned(),
        StatusMatch::Code(203) => "NonAuthoritative".to_owned(),
        StatusMatch::Code(204) => "NoContent".to_owned(),
        StatusMatch::Code(206) => "PartialContent".to_owned(),
        StatusMatch::Code(code) => format!("Status{code}"),
        StatusMatch::Range(digit) => format!("Status{digit}xx"),
        StatusMatch::Default => "Default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one operation of a spec whose `get /x` has these `responses`.
    fn operation(responses: &str) -> Operation {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /x:\n    get:\n      operationId: getX\n      \
             responses: {responses}\n"
        );
        let document = crate::load::parse_text(&text).expect("valid YAML");
        let (api, _) = crate::frontend::lower_document("t.yaml", document, &Default::default()).expect("lowers");
        api.operations.into_iter().next().expect("one operation")
    }

    const JSON_STRING: &str = "{content: {application/json: {schema: {type: string}}}}";
    const JSON_INTEGER: &str = "{content: {application/json: {schema: {type: integer}}}}";

    #[test]
    fn several_success_bodies_make_a_success_enum() {
        let one = operation(&format!("{{'200': {{description: ok, {}}}}}", &JSON_STRING[1..JSON_STRING.len() - 1]));
        assert_eq!(returns(&one), Returns::Single("String".into()));
        let two = operation(&format!(
            "{{'200': {{description: ok, {}}}, '201': {{description: made, {}}}}}",
            &JSON_STRING[1..JSON_STRING.len() - 1],
            &JSON_INTEGER[1..JSON_INTEGER.len() - 1]
        ));
        assert_eq!(
            returns(&two),
            Returns::Variants(
                "GetXSuccess".into(),
                vec![("Ok".into(), Some("String".into())), ("Created".into(), Some("i64".into()))]
            )
        );
    }

    #[test]
    fn error_bodies_make_error_variants_and_headers_a_headers_struct() {
        let op = operation(&format!(
            "{{'204': {{description: ok, headers: {{X-Rate: {{schema: {{type: integer}}}}}}}}, \
             '404': {{description: missing, {}}}, '500': {{description: broken}}}}",
            &JSON_STRING[1..JSON_STRING.len() - 1]
        ));
        assert_eq!(error_variants(&op), [("Status404".to_owned(), "String".to_owned())]);
        let headers = success_headers(&op).expect("declared headers");
        assert_eq!(headers.len(), 1);
        assert_eq!((headers[0].0.as_str(), headers[0].2.as_str()), ("X-Rate", "Option<i64>"));
        assert!(!has_download(&op));
    }
}

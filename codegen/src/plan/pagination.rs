//! Which operations page, and how: the parameter that selects a page, where the items are, how the
//! next page is found.

use crate::ir::{Api, BodyKind, Operation, Param, ParamLocation, Success, TypeRef};

/// Pagination of an operation, as found in the spec (see the README, "Pagination").
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The field of the params struct that holds the page parameter.
    pub param: String,
    /// The page parameter's wire name.
    pub param_wire: String,
    /// JSON pointer to a page's items in the body (empty: the body is the array).
    pub items_pointer: String,
    /// The type of one item.
    pub item: TypeRef,
    /// How the next page is found.
    pub next: NextPage,
}

/// How the next page of an operation is found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// The response field at this JSON pointer is the next value of the page parameter.
    Cursor(String),
    /// The `Link` header's `rel="next"` URL.
    Link,
    /// The page parameter is a page number, increased until a page is empty.
    Page,
    /// The page parameter is an offset, advanced by each page's items until one is empty.
    Offset,
}

const CURSOR_PARAMS: &[&str] =
    &["cursor", "page_token", "pagetoken", "starting_after", "after", "next_token", "continuation_token", "marker"];
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pagenumber"];
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "start"];
const NEXT_FIELDS: &[&str] = &[
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next_token",
    "nexttoken",
    "next",
    "cursor",
    "after",
    "continuation_token",
    "next_marker",
];
const ITEM_FIELDS: &[&str] = &["data", "items", "results", "entries", "records", "values", "list", "nodes"];

fn pointer_of(wire: &str) -> String {
    format!("/{}", wire.replace('~', "~0").replace('/', "~1"))
}

/// How `op` pages, when it does: from its `x-pagination` hint, else from the names of its query
/// parameters and of its body's fields.
pub fn pagination(op: &Operation, api: &Api) -> Option<Paging> {
    let hint = op.pagination.clone().unwrap_or_default();
    if hint.disabled || op.body.is_some() || op.params_type.is_none() {
        return None;
    }
    if op.pagination.is_none() && op.method != "GET" {
        return None;
    }
    let Success::Body { kind: BodyKind::Json(ty), .. } = &op.success else { return None };
    let query: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Query).collect();
    let lower = |p: &&Param| p.wire_name.to_ascii_lowercase();
    let param = match &hint.param {
        Some(wire) => query.iter().find(|p| &p.wire_name == wire).copied(),
        None => {
            let wanted: Vec<&str> = match hint.kind.as_deref() {
                Some("page") => PAGE_PARAMS.to_vec(),
                Some("offset") => OFFSET_PARAMS.to_vec(),
                Some(_) => CURSOR_PARAMS.to_vec(),
                None => CURSOR_PARAMS.iter().chain(PAGE_PARAMS).chain(OFFSET_PARAMS).copied().collect(),
            };
            wanted.iter().find_map(|w| query.iter().find(|p| lower(p) == *w)).copied()
        }
    }?;
    // Items: the body itself when it is an array, else an array property of the body's struct.
    let unwrap = |t: &TypeRef| match t {
        TypeRef::Nullable(inner) => (**inner).clone(),
        other => other.clone(),
    };
    let fields = match unwrap(ty) {
        TypeRef::Named(name) => match api.types.iter().find(|t| t.name == name).map(|t| &t.kind) {
            Some(crate::ir::TypeKind::Struct { fields, .. }) => fields.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let (items_pointer, item) = match unwrap(ty) {
        TypeRef::Array(item) => (String::new(), *item),
        _ => {
            let arrays: Vec<(&crate::ir::Field, TypeRef)> = fields
                .iter()
                .filter_map(|f| match unwrap(&f.ty) {
                    TypeRef::Array(item) => Some((f, *item)),
                    _ => None,
                })
                .collect();
            let chosen = match &hint.items {
                Some(wire) => arrays.iter().find(|(f, _)| &f.wire_name == wire),
                None => ITEM_FIELDS
                    .iter()
                    .find_map(|w| arrays.iter().find(|(f, _)| f.wire_name.to_ascii_lowercase() == *w))
                    .or(if arrays.len() == 1 { arrays.first() } else { None }),
            }?;
            (pointer_of(&chosen.0.wire_name), chosen.1.clone())
        }
    };
    let declares_link = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .flat_map(|r| &r.headers)
        .any(|h| h.wire_name.eq_ignore_ascii_case("link"));
    let next_field = match &hint.next {
        Some(wire) => fields.iter().find(|f| &f.wire_name == wire).map(|f| f.wire_name.clone()),
        None => NEXT_FIELDS.iter().find_map(|w| {
            fields
                .iter()
                .find(|f| f.wire_name.to_ascii_lowercase() == *w && matches!(unwrap(&f.ty), TypeRef::Primitive(_)))
                .map(|f| f.wire_name.clone())
        }),
    };
    let wire = lower(&param);
    let kind = match hint.kind.as_deref() {
        Some("link") => "link",
        Some("page") => "page",
        Some("offset") => "offset",
        Some("cursor") => "cursor",
        _ if next_field.is_some()
            && !PAGE_PARAMS.contains(&wire.as_str())
            && !OFFSET_PARAMS.contains(&wire.as_str()) =>
        {
            "cursor"
        }
        _ if declares_link => "link",
        _ if PAGE_PARAMS.contains(&wire.as_str()) => "page",
        _ if OFFSET_PARAMS.contains(&wire.as_str()) => "offset",
        _ => return None,
    };
    let next = match kind {
        "cursor" => NextPage::Cursor(pointer_of(&next_field?)),
        "link" => NextPage::Link,
        "page" => NextPage::Page,
        _ => NextPage::Offset,
    };
    Some(Paging { param: param.name.clone(), param_wire: param.wire_name.clone(), items_pointer, item, next })
}

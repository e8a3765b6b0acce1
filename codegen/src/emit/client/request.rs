//! The arguments of an operation's method and how they build its `Request`: path parameters, the
//! params struct's query, header and cookie parameters, the body, and the checks of their
//! constraints.

use crate::emit::docs;
use crate::emit::rust_type::{ident, rust_type, Scope};
use crate::emit::types::RequestChecks;
use crate::ir::{BodyKind, Operation, Param, ParamLocation, ParamStyle, Primitive, RequestBody, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The value of each `{placeholder}` of the path template, in order, as `&str`.
pub(super) fn path_segments(op: &Operation, path_params: &[&Param]) -> Vec<TokenStream> {
    let mut segments = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        let wire = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        if let Some(param) = path_params.iter().find(|p| p.wire_name == wire) {
            let name = ident(&param.name);
            segments.push(match param.ty {
                TypeRef::Primitive(Primitive::String) => quote!(#name),
                _ => quote!(&runtime::param(&#name)),
            });
        }
    }
    segments
}

/// The argument of a path parameter: `&str`, a number, or a reference to its type.
pub(super) fn path_arg(param: &Param) -> TokenStream {
    let name = ident(&param.name);
    match &param.ty {
        TypeRef::Primitive(Primitive::String) => quote!(#name: &str),
        TypeRef::Primitive(p) if !matches!(p, Primitive::DateTime | Primitive::Date) => {
            let ty = rust_type(&param.ty, Scope::Client);
            quote!(#name: #ty)
        }
        other => {
            let ty = rust_type(other, Scope::Client);
            quote!(#name: &#ty)
        }
    }
}

/// How a query, header or cookie parameter of the params struct is set on the request.
pub(super) fn set_param(param: &Param) -> TokenStream {
    let field = ident(&param.name);
    let wire = &param.wire_name;
    let explode = param.explode;
    let scalar = matches!(
        &param.ty,
        TypeRef::Primitive(_) | TypeRef::Nullable(_) if !matches!(&param.ty, TypeRef::Nullable(inner) if !matches!(**inner, TypeRef::Primitive(_)))
    );
    let send = match param.location {
        ParamLocation::Query if scalar && !param.required => {
            return quote!(request.query_if(#wire, params.#field.as_ref()););
        }
        ParamLocation::Query if scalar => quote!(request.query(#wire, runtime::param(value));),
        ParamLocation::Query => {
            let style = match param.style {
                ParamStyle::Form => quote!(runtime::Style::Form),
                ParamStyle::SpaceDelimited => quote!(runtime::Style::SpaceDelimited),
                ParamStyle::PipeDelimited => quote!(runtime::Style::PipeDelimited),
                ParamStyle::DeepObject => quote!(runtime::Style::DeepObject),
            };
            quote!(request.query_styled(#wire, #style, #explode, value);)
        }
        ParamLocation::Header if scalar => quote!(request.header(#wire, runtime::param(value));),
        ParamLocation::Header => quote!(request.header(#wire, runtime::simple(value, #explode));),
        ParamLocation::Cookie if scalar => quote!(request.cookie(#wire, runtime::param(value));),
        ParamLocation::Cookie => quote!(request.cookie(#wire, runtime::simple(value, false));),
        ParamLocation::Path => quote!(),
    };
    let idempotency = param.location == ParamLocation::Header && wire.eq_ignore_ascii_case("idempotency-key");
    if param.required && !matches!(param.ty, TypeRef::Nullable(_)) {
        quote! { { let value = &params.#field; #send } }
    } else if idempotency {
        // Generated once per call, so every retry of the call sends the same key.
        quote! {
            match &params.#field {
                Some(value) => { #send }
                None => request.header(#wire, runtime::idempotency_key()),
            }
        }
    } else {
        quote! { if let Some(value) = &params.#field { #send } }
    }
}

/// The checks of the parameters' constraints (see [`RequestChecks`]), as one `request.check(..)`
/// recording what they break as `path.id`, `query.limit`, `header.X-Id`, `cookie.session`.
pub(super) fn param_checks(op: &Operation, checks: &RequestChecks<'_>) -> TokenStream {
    let each: Vec<TokenStream> = op
        .params
        .iter()
        .filter_map(|param| {
            let location = match param.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
            };
            let nullable = matches!(param.ty, TypeRef::Nullable(_));
            if param.location == ParamLocation::Path && nullable {
                return None;
            }
            let check = checks.param(&param.ty, &param.constraints, &format!("{location}.{}", param.wire_name))?;
            let name = ident(&param.name);
            Some(match (&param.ty, param.location) {
                // As `path_arg` passes them: numbers by value, strings and the rest by reference.
                (TypeRef::Primitive(p), ParamLocation::Path)
                    if !matches!(p, Primitive::String | Primitive::DateTime | Primitive::Date) =>
                {
                    quote! { { let value = &#name; #check } }
                }
                (_, ParamLocation::Path) => quote! { { let value = #name; #check } },
                _ if param.required && !nullable => quote! { { let value = &params.#name; #check } },
                _ => quote! { if let Some(value) = &params.#name { #check } },
            })
        })
        .collect();
    if each.is_empty() {
        quote!()
    } else {
        check_call(quote!(#(#each)*))
    }
}

/// `request.check(|violations| ..)` around `checks` (statements adding to `violations`), without
/// braces when they are one call.
fn check_call(checks: TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let mut tokens: Vec<TokenTree> = checks.clone().into_iter().collect();
    let is_semicolon = |t: &TokenTree| matches!(t, TokenTree::Punct(p) if p.as_char() == ';');
    let one_call = tokens.iter().filter(|t| is_semicolon(t)).count() == 1
        && tokens.last().is_some_and(is_semicolon)
        && !matches!(tokens.first(), Some(TokenTree::Ident(i)) if i == "let");
    if one_call {
        tokens.pop();
        let call: TokenStream = tokens.into_iter().collect();
        quote!(request.check(|violations| #call);)
    } else {
        quote!(request.check(|violations| { #checks });)
    }
}

/// The argument type of a request body of one media type, and how it is set on the request (and
/// checked, when its type has constraints).
pub(super) fn body_arg(kind: &BodyKind, media_type: &str, checks: &RequestChecks<'_>) -> (TokenStream, TokenStream) {
    match kind {
        BodyKind::Json(ty) => {
            let arg = match ty {
                TypeRef::Primitive(Primitive::String) => quote!(&str),
                TypeRef::Array(item) => {
                    let item = rust_type(item, Scope::Client);
                    quote!(&[#item])
                }
                other => {
                    let ty = rust_type(other, Scope::Client);
                    quote!(&#ty)
                }
            };
            let check = checks.body(ty, quote!(body)).map(check_call);
            if is_form(media_type) {
                (arg, quote!(request.form(body)?; #check))
            } else {
                (arg, quote!(request.json(body)?; #check))
            }
        }
        BodyKind::Text => (quote!(impl Into<String>), quote!(request.raw(#media_type, body.into());)),
        BodyKind::Binary if is_multipart(media_type) => (quote!(runtime::Multipart), quote!(request.multipart(body);)),
        BodyKind::Binary => (quote!(impl Into<runtime::BinaryBody>), quote!(request.binary(#media_type, body);)),
    }
}

/// The enum of the media types an operation accepts, its argument type and how it is set (and
/// checked).
pub(super) fn body_choice(
    enum_name: &str,
    body: &RequestBody,
    checks: &RequestChecks<'_>,
) -> (TokenStream, TokenStream, TokenStream) {
    let enum_name = ident(enum_name);
    let all = std::iter::once((&body.media_type, &body.kind)).chain(body.alternatives.iter().map(|(m, k)| (m, k)));
    let mut names = crate::naming::Namespace::default();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut checked = Vec::new();
    for (media_type, kind) in all {
        let label = media_label(media_type);
        let variant = format_ident!("{}", names.claim(crate::naming::type_name(label), ""));
        let doc = docs::line(&format!("`{media_type}`."));
        let (ty, set) = match kind {
            BodyKind::Json(ty) if is_form(media_type) => (rust_type(ty, Scope::Client), quote!(request.form(&body)?;)),
            BodyKind::Json(ty) => (rust_type(ty, Scope::Client), quote!(request.json(&body)?;)),
            BodyKind::Text => (quote!(String), quote!(request.raw(#media_type, body);)),
            BodyKind::Binary if is_multipart(media_type) => {
                (quote!(runtime::Multipart), quote!(request.multipart(body);))
            }
            BodyKind::Binary => (quote!(runtime::BinaryBody), quote!(request.binary(#media_type, body);)),
        };
        if let Some(check) = match kind {
            BodyKind::Json(ty) => checks.body(ty, quote!(body)),
            _ => None,
        } {
            let check = check_call(check);
            checked.push(quote! {
                if let #enum_name::#variant(body) = &body {
                    #check
                }
            });
        }
        variants.push(quote!(#[doc = #doc] #variant(#ty),));
        arms.push(quote!(#enum_name::#variant(body) => { #set }));
    }
    let doc = " The request body, in one of the media types the operation accepts.";
    let item = quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #enum_name {
            #(#variants)*
        }
    };
    (item, quote!(#enum_name), quote! { #(#checked)* match body { #(#arms)* } })
}

/// A short name for a media type, for variant names (as the lowering names body types).
fn media_label(media_type: &str) -> &str {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    if is_form(essence) {
        "form"
    } else if is_multipart(essence) {
        "multipart"
    } else if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        "json"
    } else if essence.starts_with("text/") && essence != "text/event-stream" {
        "text"
    } else {
        essence.rsplit('/').next().unwrap_or(essence)
    }
}

fn is_form(media_type: &str) -> bool {
    media_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

fn is_multipart(media_type: &str) -> bool {
    media_type.trim().to_ascii_lowercase().starts_with("multipart/")
}

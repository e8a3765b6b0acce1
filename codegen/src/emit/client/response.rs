//! What an operation's method returns: the success type and how it is decoded (an enum when 2xx
//! statuses have different bodies), the typed error enum, the declared response headers.

use crate::emit::docs;
use crate::emit::rust_type::{ident, rust_type, Scope};
use crate::ir::{BodyKind, Operation, Response, ResponseHeader, StatusMatch, Success};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// How the success of an operation is returned.
pub(super) enum Returns {
    /// One body type (or `()`), the existing shape, maybe `Option` for bodiless 2xx codes.
    Single(TokenStream, TokenStream),
    /// Several 2xx bodies: an enum per status.
    Variants(Ident),
    /// `text/event-stream`: a stream of typed events.
    Events(TokenStream),
}

/// How the success of `op` is returned; pushes the enum of several 2xx bodies into `items`.
pub(super) fn returns(op: &Operation, items: &mut Vec<TokenStream>) -> Returns {
    let successes = op.successes();
    if let Some(events) = successes.iter().find(|r| r.is_event_stream()) {
        let item = match &events.body {
            Some(BodyKind::Json(ty)) => rust_type(ty, Scope::Client),
            _ => quote!(String),
        };
        return Returns::Events(item);
    }
    if op.distinct_success_bodies().len() < 2 {
        let (ty, decode) = success(&op.success);
        return Returns::Single(ty, decode);
    }
    let enum_name = ident(&op.names.success);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut fallback = None;
    for response in &successes {
        let variant = status_variant(&response.status);
        let doc = docs::line(&format!(
            "{}: {}",
            response.status.text(),
            response.description.lines().next().unwrap_or("").trim()
        ));
        let pattern = match response.status {
            StatusMatch::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            _ => quote!(200..=299),
        };
        let arm = match &response.body {
            Some(kind) => {
                let ty = body_type(kind);
                let decode = body_decode(kind);
                variants.push(quote!(#[doc = #doc] #variant(#ty),));
                quote!(#pattern => #decode(response).map(Self::#variant),)
            }
            None => {
                variants.push(quote!(#[doc = #doc] #variant,));
                quote!(#pattern => Ok(Self::#variant),)
            }
        };
        if matches!(response.status, StatusMatch::Code(_)) {
            arms.push(arm);
        } else {
            fallback = Some(arm);
        }
    }
    arms.extend(fallback);
    let doc = format!(
        " The successful responses of [`Client::{}`], one variant per documented status.",
        op.name.trim_start_matches("r#")
    );
    items.push(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #enum_name {
            #(#variants)*
        }

        impl #enum_name {
            fn decode(response: Response) -> Result<Self, Error> {
                match response.status.as_u16() {
                    #(#arms)*
                    _ => Err(response.into_error()),
                }
            }
        }
    });
    Returns::Variants(enum_name)
}

fn status_variant(status: &StatusMatch) -> Ident {
    match status {
        StatusMatch::Code(code) => match code {
            200 => format_ident!("Ok"),
            201 => format_ident!("Created"),
            202 => format_ident!("Accepted"),
            203 => format_ident!("NonAuthoritative"),
            204 => format_ident!("NoContent"),
            206 => format_ident!("PartialContent"),
            other => format_ident!("Status{}", other),
        },
        StatusMatch::Range(digit) => format_ident!("Status{}xx", digit),
        StatusMatch::Default => format_ident!("Default"),
    }
}

fn body_type(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(ty) => rust_type(ty, Scope::Client),
        BodyKind::Text => quote!(String),
        BodyKind::Binary => quote!(runtime::Bytes),
    }
}

/// The function decoding a body of `kind`.
fn body_decode(kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(_) => quote!(Response::json),
        BodyKind::Text => quote!(Response::text),
        BodyKind::Binary => quote!(Response::bytes),
    }
}

/// The per-operation enum of typed error bodies, when a documented error status has a JSON body.
/// The error enum of `op`; `others` operations alias it (see [`crate::plan::errors::ErrorGroups`]).
pub(super) fn error_enum(op: &Operation, others: usize) -> Option<(Ident, TokenStream)> {
    let errors: Vec<&Response> = op.responses.iter().filter(|r| !r.status.is_success()).collect();
    if !errors.iter().any(|r| matches!(r.body, Some(BodyKind::Json(_)))) {
        return None;
    }
    let name = ident(&op.names.error);
    let mut variants = Vec::new();
    let mut checks = Vec::new();
    // Exact codes first, then ranges, then `default`.
    let mut ordered: Vec<&&Response> = errors.iter().collect();
    ordered.sort_by_key(|r| match r.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let mut last = quote!(None);
    for response in ordered {
        let condition = match response.status {
            StatusMatch::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(status == #code)
            }
            StatusMatch::Range(digit) => {
                let digit = proc_macro2::Literal::u16_unsuffixed(digit);
                quote!(status / 100 == #digit)
            }
            StatusMatch::Default => quote!(true),
        };
        let outcome = match &response.body {
            Some(BodyKind::Json(ty)) => {
                let variant = status_variant(&response.status);
                let ty = rust_type(ty, Scope::Client);
                let doc = docs::line(&format!(
                    "{}: {}",
                    response.status.text(),
                    response.description.lines().next().unwrap_or("").trim()
                ));
                variants.push(quote!(#[doc = #doc] #variant(#ty),));
                quote!(serde_json::from_slice(body).ok().map(Self::#variant))
            }
            _ => quote!(None),
        };
        if response.status == StatusMatch::Default {
            last = outcome;
            continue;
        }
        checks.push(quote! {
            if #condition {
                return #outcome;
            }
        });
    }
    let shared = match others {
        0 => String::new(),
        1 => " (and of one other operation, whose error type is an alias of this one)".to_owned(),
        n => format!(" (and of {n} other operations, whose error types are aliases of this one)"),
    };
    let doc = format!(
        " The documented error bodies of [`Client::{op}`]{shared}. A failed call is still [`Error::Api`] \
         (status, headers and raw body); this is its decoded body: `{name}::of(&error)`.",
        op = op.name.trim_start_matches("r#")
    );
    // With only a `default` body there is no status to look at.
    let status_arg = if checks.is_empty() { format_ident!("_status") } else { format_ident!("status") };
    let item = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl #name {
            /// The typed body of `error`, when it is an [`Error::Api`] whose status is one of these
            /// and whose body matches the spec.
            pub fn of(error: &Error) -> Option<&Self> {
                error.api()?.detail()
            }

            fn decode(#status_arg: u16, body: &[u8]) -> Option<Self> {
                #(#checks)*
                #last
            }
        }
    };
    Some((name, item))
}

/// The headers the 2xx responses declare, once each.
pub(super) fn success_headers(op: &Operation) -> Vec<&ResponseHeader> {
    let mut out: Vec<&ResponseHeader> = Vec::new();
    for header in op.responses.iter().filter(|r| r.status.is_success()).flat_map(|r| &r.headers) {
        if !out.iter().any(|h| h.wire_name.eq_ignore_ascii_case(&header.wire_name) || h.name == header.name) {
            out.push(header);
        }
    }
    out
}

/// The type of a success and the function decoding it (only 2xx responses reach it).
fn success(success: &Success) -> (TokenStream, TokenStream) {
    let Success::Body { kind, empty_statuses, .. } = success else {
        return (quote!(()), quote!(Response::empty));
    };
    let ty = body_type(kind);
    let decode = body_decode(kind);
    if empty_statuses.is_empty() {
        return (ty, decode);
    }
    let codes = empty_statuses.iter().filter_map(|s| match s {
        StatusMatch::Code(code) => Some(quote!(#code)),
        _ => None,
    });
    (
        quote!(Option<#ty>),
        quote! {
            |response| match response.status.as_u16() {
                #(#codes)|* => Ok(None),
                _ => #decode(response).map(Some),
            }
        },
    )
}

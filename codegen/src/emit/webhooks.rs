//! Events into the `webhooks` module: the `Event` enum (one variant per webhook and callback, with
//! its typed payload), `parse(name, body)`, and one `parse_<event>(body)` per event. Emitted only
//! for an API that has events; each event is gated like its operation (see [`TagFeatures`]).

use super::docs;
use super::features::TagFeatures;
use super::rust_type::{ident, rust_type, Scope};
use crate::ir::{Api, BodyKind, Event, EventSource};
use proc_macro2::TokenStream;
use quote::quote;

/// The `webhooks` module of one API (empty tokens when it has no events).
pub fn module(api: &Api, features: &TagFeatures) -> TokenStream {
    if api.events.is_empty() {
        return TokenStream::new();
    }
    let module_docs = docs::inner_paragraphs(&[
        "The webhooks and callbacks of this API: the requests it sends to your server, parsed into typed \
         events."
            .to_owned(),
        "Verify the request first (most vendors sign the raw body: an HMAC of the body and a timestamp in a \
         header; see the crate's documentation), then pass the body as received to [`parse`] with the \
         event's name: a webhook's key, or `<operationId>.<callback name>` for a callback (callback names \
         repeat across operations); a method other than POST adds ` <METHOD>` (`\"newPet PUT\"`). \
         [`Event::NAMES`] lists them. A body that does not match its schema fails with the JSON path of \
         the value (`WebhookError::Decode`), an unknown name with `WebhookError::UnknownEvent`."
            .to_owned(),
    ]);
    let cfgs: Vec<TokenStream> = api.events.iter().map(|e| features.event_cfg(&e.variant)).collect();
    let variants = api.events.iter().zip(&cfgs).map(|(event, cfg)| {
        let doc = docs::paragraphs(&variant_docs(event));
        let name = ident(&event.variant);
        match payload_type(event) {
            Some(ty) => quote! { #doc #cfg #name(#ty), },
            None => quote! { #doc #cfg #name, },
        }
    });
    let names = api.events.iter().zip(&cfgs).map(|(event, cfg)| {
        let name = &event.name;
        quote! { #cfg #name }
    });
    let name_arms = api.events.iter().zip(&cfgs).map(|(event, cfg)| {
        let (variant, name) = (ident(&event.variant), &event.name);
        let pattern = if event.payload.is_some() { quote!(Event::#variant(..)) } else { quote!(Event::#variant) };
        quote! { #cfg #pattern => #name, }
    });
    let parse_arms = api.events.iter().zip(&cfgs).map(|(event, cfg)| {
        let (variant, name, function) = (ident(&event.variant), &event.name, ident(&event.function));
        if event.payload.is_some() {
            quote! { #cfg #name => #function(body).map(Event::#variant), }
        } else {
            quote! { #cfg #name => #function(body).map(|()| Event::#variant), }
        }
    });
    let functions = api.events.iter().zip(&cfgs).map(|(event, cfg)| parse_function(event, cfg));
    // Used unless every event naming a type is gated off; then maybe unused.
    let naming_types: Vec<&TokenStream> =
        api.events.iter().zip(&cfgs).filter(|(e, _)| !e.named_types().is_empty()).map(|(_, cfg)| cfg).collect();
    let types_import = match naming_types.as_slice() {
        [] => quote!(),
        cfgs if cfgs.iter().any(|cfg| cfg.is_empty()) => quote! { use super::types; },
        _ => quote! {
            #[allow(unused_imports)] // when the features of every event that names one are off
            use super::types;
        },
    };
    quote! {
        #module_docs

        #types_import
        pub use crate::runtime::WebhookError;

        /// A webhook or callback of this API, with its typed payload: what [`parse`] returns.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
        }

        impl Event {
            /// The name of every event [`parse`] takes, in spec order: webhooks, then callbacks.
            pub const NAMES: &'static [&'static str] = &[#(#names),*];

            /// The event's name, as [`parse`] takes it.
            pub fn name(&self) -> &'static str {
                match *self {
                    #(#name_arms)*
                }
            }
        }

        /// Parses a received body, as received (after checking its signature), into the event
        /// named `name` (one of [`Event::NAMES`]).
        pub fn parse(name: &str, body: &[u8]) -> Result<Event, WebhookError> {
            match name {
                #(#parse_arms)*
                _ => Err(WebhookError::unknown_event(name, Event::NAMES)),
            }
        }

        #(#functions)*
    }
}

/// The Rust type of an event's payload; `None` when it has no body.
fn payload_type(event: &Event) -> Option<TokenStream> {
    Some(match &event.payload.as_ref()?.1 {
        BodyKind::Json(ty) => rust_type(ty, Scope::Client),
        BodyKind::Text => quote!(String),
        BodyKind::Binary => quote!(crate::runtime::Bytes),
    })
}

/// `newPet` (webhook, `POST`); `subscribe.onData` (callback `onData` of `subscribe`, `POST` to ...).
fn what(event: &Event) -> String {
    match &event.source {
        EventSource::Webhook { .. } => format!("`{}`: webhook, `{}`.", event.name, event.method),
        EventSource::Callback { operation_id, callback, expression, .. } => format!(
            "`{}`: callback `{callback}` of operation `{operation_id}`, `{} {expression}`.",
            event.name, event.method
        ),
    }
}

fn variant_docs(event: &Event) -> Vec<String> {
    let mut paragraphs = vec![what(event)];
    paragraphs.extend(event.docs.title.clone());
    paragraphs.extend(event.docs.description.clone());
    paragraphs.extend(event.docs.notes.iter().cloned());
    if event.docs.deprecated {
        paragraphs.push("**Deprecated** in the spec.".to_owned());
    }
    if let Some((media_type, kind)) = &event.payload {
        let given = match kind {
            BodyKind::Json(_) => String::new(),
            BodyKind::Text => ", kept as text".to_owned(),
            BodyKind::Binary => ", kept as bytes".to_owned(),
        };
        paragraphs.push(format!("Body: `{media_type}`{given}."));
    }
    if !event.responses.is_empty() {
        let listed: Vec<String> = event
            .responses
            .iter()
            .map(|(status, description)| {
                let description = description.trim().trim_end_matches('.');
                if description.is_empty() {
                    format!("`{}`", status.text())
                } else {
                    format!("`{}` ({})", status.text(), description)
                }
            })
            .collect();
        paragraphs.push(format!("Expected responses: {}.", listed.join("; ")));
    }
    paragraphs
}

/// `parse_<event>(body)`: the event's payload alone.
fn parse_function(event: &Event, cfg: &TokenStream) -> TokenStream {
    let function = ident(&event.function);
    let name = &event.name;
    let doc = docs::paragraphs(&[format!(
        "Parses the body of `{}` into its payload: see [`Event::{}`].",
        event.name,
        event.variant.trim_start_matches("r#")
    )]);
    let (ty, call) = match &event.payload {
        None => (quote!(()), quote! { let _ = body; Ok(()) }),
        Some((_, BodyKind::Json(_))) => {
            (payload_type(event).unwrap_or_default(), quote! { crate::runtime::event_json(#name, body) })
        }
        Some((_, BodyKind::Text)) => (quote!(String), quote! { crate::runtime::event_text(#name, body) }),
        Some((_, BodyKind::Binary)) => {
            (quote!(crate::runtime::Bytes), quote! { Ok(crate::runtime::event_bytes(body)) })
        }
    };
    quote! {
        #doc
        #cfg
        pub fn #function(body: &[u8]) -> Result<#ty, WebhookError> {
            #call
        }
    }
}

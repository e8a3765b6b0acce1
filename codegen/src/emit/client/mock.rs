//! The `mock` module (cargo feature `mock`): a typed helper per operation that mounts answers on a
//! local wiremock server.

use super::{gate_items, uses_types};
use crate::emit::docs;
use crate::emit::features::TagFeatures;
use crate::emit::rust_type::{ident, rust_type, Scope};
use crate::ir::{Api, BodyKind, Operation, Success};
use proc_macro2::TokenStream;
use quote::quote;

/// The `mock` module (cargo feature `mock`): a local fake of the API on wiremock.
pub(super) fn mock_module(api: &Api, features: &TagFeatures) -> TokenStream {
    if api.operations.is_empty() {
        return quote!();
    }
    let methods = api.operations.iter().map(|op| gate_items(&features.operation_cfg(&op.name), &mock_method(op)));
    let uses_types = if api.operations.iter().any(uses_types) {
        quote!(
            #[allow(unused_imports)]
            use super::types;
        )
    } else {
        quote!()
    };
    quote! {
        /// A local fake of the API for tests (cargo feature `mock`): typed helpers per operation
        /// mount answers on a [`wiremock`] server.
        ///
        /// ```ignore
        /// let server = mock::Server::start().await;
        /// server.some_operation().respond(200, &body).await;
        /// let client = server.client_builder().build()?;
        /// ```
        #[cfg(feature = "mock")]
        pub mod mock {
            #uses_types
            use std::marker::PhantomData;

            /// A local HTTP server answering as the mocked operations say.
            #[derive(Debug)]
            pub struct Server {
                server: wiremock::MockServer,
            }

            impl Server {
                /// Starts a server on a random local port.
                pub async fn start() -> Self {
                    Server { server: wiremock::MockServer::start().await }
                }

                /// The server's base URL.
                pub fn uri(&self) -> String {
                    self.server.uri()
                }

                /// A client builder pointed at this server, with retries off (add credentials as needed).
                pub fn client_builder(&self) -> super::ClientBuilder {
                    super::Client::builder().base_url(self.server.uri()).retry_policy(crate::runtime::RetryPolicy::none())
                }

                /// The wiremock server itself, for anything the typed helpers do not cover.
                pub fn inner(&self) -> &wiremock::MockServer {
                    &self.server
                }

                /// Every request received so far.
                pub async fn received(&self) -> Vec<wiremock::Request> {
                    self.server.received_requests().await.unwrap_or_default()
                }

                #(#methods)*
            }

            /// One operation's endpoint, typed by its success body `T`.
            #[derive(Debug)]
            pub struct Endpoint<'a, T> {
                server: &'a wiremock::MockServer,
                method: &'static str,
                path: &'static str,
                times: Option<u64>,
                body: PhantomData<fn() -> T>,
            }

            impl<'a, T> Endpoint<'a, T> {
                pub(super) fn new(server: &'a wiremock::MockServer, method: &'static str, path: &'static str) -> Self {
                    Endpoint { server, method, path, times: None, body: PhantomData }
                }

                /// Answers only the next `n` matching requests (later mounts answer the rest).
                pub fn times(mut self, n: u64) -> Self {
                    self.times = Some(n);
                    self
                }

                /// Answers with `status` and `body` as JSON.
                pub async fn respond(self, status: u16, body: &T)
                where
                    T: serde::Serialize,
                {
                    let template = wiremock::ResponseTemplate::new(status).set_body_json(body);
                    self.respond_with(template).await;
                }

                /// Answers with `status` and any JSON (an error body, a partial object, ...).
                pub async fn respond_json(self, status: u16, body: serde_json::Value) {
                    self.respond_with(wiremock::ResponseTemplate::new(status).set_body_json(body)).await;
                }

                /// Answers with `status` and no body.
                pub async fn respond_status(self, status: u16) {
                    self.respond_with(wiremock::ResponseTemplate::new(status)).await;
                }

                /// Answers with a wiremock response template (headers, delays, raw bodies).
                pub async fn respond_with(self, template: wiremock::ResponseTemplate) {
                    let mock = wiremock::Mock::given(wiremock::matchers::method(self.method))
                        .and(wiremock::matchers::path_regex(self.path))
                        .respond_with(template);
                    let mock = match self.times {
                        Some(n) => mock.up_to_n_times(n).with_priority(1),
                        None => mock,
                    };
                    mock.mount(self.server).await;
                }
            }
        }
    }
}

/// The `mock::Server` method for an operation: an endpoint typed with its success body.
/// The method of `mock::Server` for `op`, typed by its success body when it has one shape.
fn mock_method(op: &Operation) -> TokenStream {
    let plain = op.name.trim_start_matches("r#");
    let name = ident(&op.names.mock);
    let method = &op.method;
    let mut regex = String::from("^");
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        regex.push_str(&regex_escape(&rest[..start]));
        regex.push_str("[^/]+");
        rest = &rest[start + end + 1..];
    }
    regex.push_str(&regex_escape(rest));
    regex.push('$');
    // As `returns` decides: one success shape unless it streams events or has several bodies.
    let single = !op.successes().iter().any(|r| r.is_event_stream()) && op.distinct_success_bodies().len() < 2;
    let ty = match &op.success {
        Success::Body { kind: BodyKind::Json(ty), .. } if single => rust_type(ty, Scope::Client),
        Success::Body { kind: BodyKind::Text, .. } if single => quote!(String),
        _ => quote!(serde_json::Value),
    };
    let doc = docs::line(&format!("Mocks [`Client::{plain}`](super::Client::{plain}): `{} {}`.", op.method, op.path));
    quote! {
        #[doc = #doc]
        pub fn #name(&self) -> Endpoint<'_, #ty> {
            Endpoint::new(&self.server, #method, #regex)
        }
    }
}

fn regex_escape(literal: &str) -> String {
    literal.chars().fold(String::new(), |mut out, c| {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
        out
    })
}

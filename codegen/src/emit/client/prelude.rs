//! The start of the `client` module: its imports, the security schemes, `Client` and its builder.

use super::uses_types;
use crate::emit::docs;
use crate::emit::features::TagFeatures;
use crate::emit::rust_type::ident;
use crate::ir::{Api, ClientCredentialsFlow, SchemeKind, SecurityScheme};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The module's imports, the client and its builder, without the operations.
pub(super) fn prelude(api: &Api, features: &TagFeatures) -> TokenStream {
    let schemes = api.security_schemes.iter().map(|s| {
        let constant = format_ident!("{}", s.constant);
        let key = &s.key;
        let kind = match &s.kind {
            SchemeKind::Bearer => quote!(SchemeKind::Bearer),
            SchemeKind::Basic => quote!(SchemeKind::Basic),
            SchemeKind::ApiKeyHeader(n) => quote!(SchemeKind::ApiKeyHeader(#n)),
            SchemeKind::ApiKeyQuery(n) => quote!(SchemeKind::ApiKeyQuery(#n)),
            SchemeKind::ApiKeyCookie(n) => quote!(SchemeKind::ApiKeyCookie(#n)),
        };
        let doc = docs::line(&format!("The `{key}` security scheme."));
        quote! {
            #[doc = #doc]
            const #constant: SecurityScheme = SecurityScheme { name: #key, kind: #kind };
        }
    });
    let setters = api.security_schemes.iter().map(|s| {
        let setter = ident(&s.setter);
        let constant = format_ident!("{}", s.constant);
        let what = match &s.kind {
            SchemeKind::Bearer => "Sets the bearer token (`Authorization: Bearer ...`)".to_owned(),
            SchemeKind::Basic => "Sets the user name and password for HTTP basic auth".to_owned(),
            SchemeKind::ApiKeyHeader(n) => format!("Sets the API key sent in the `{n}` header"),
            SchemeKind::ApiKeyQuery(n) => format!("Sets the API key sent as the `{n}` query parameter"),
            SchemeKind::ApiKeyCookie(n) => format!("Sets the API key sent as the `{n}` cookie"),
        };
        let mut lines = vec![format!("{what}, for the `{}` security scheme.", s.key)];
        lines.extend(s.description.clone());
        if let Some(flow) = &s.client_credentials {
            lines.push(format!(
                "A token obtained elsewhere; to have the client fetch its own, use [`ClientBuilder::{}`].",
                flow.setter
            ));
        }
        let doc = docs::paragraphs(&lines);
        let client_credentials = s.client_credentials.as_ref().map(|flow| client_credentials(s, flow));
        let setter = match s.kind {
            SchemeKind::Basic => quote! {
                #doc
                pub fn #setter(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.inner = self.inner.basic_credential(#constant.name, username, Secret::new(password));
                    self
                }
            },
            _ => quote! {
                #doc
                pub fn #setter(mut self, secret: impl Into<String>) -> Self {
                    self.inner = self.inner.credential(#constant.name, Secret::new(secret));
                    self
                }
            },
        };
        quote!(#setter #client_credentials)
    });
    let build_errors = if api.security_schemes.iter().any(|s| s.client_credentials.is_some()) {
        quote!(
            /// [`Error::InvalidRequest`] when the base URL is not an absolute http(s) URL, or a
            /// client-credentials token URL, resolved against it, is not an http(s) URL.
        )
    } else {
        quote!(
            /// [`Error::InvalidRequest`] when the base URL is not an absolute http(s) URL.
        )
    };
    let default_url = api.servers.first().map(|s| s.url.clone()).unwrap_or_default();
    let url_doc = match api.servers.first().and_then(|s| s.description.as_deref()) {
        Some(description) => docs::line(&format!("The first server in the spec ({description}).")),
        None => " The first server in the spec.".to_owned(),
    };
    let client_doc = docs::paragraphs(&[
        format!("Client for the {} API (version {}).", api.title, api.version),
        "Cheap to clone: clones share one connection pool. Build one with [`Client::builder`].".to_owned(),
    ]);
    // With tag features off, the operations that use these imports may all be compiled out.
    let gated = if features.features.is_empty() { quote!() } else { quote!(#[allow(unused_imports)]) };
    let uses_types = if api.operations.iter().any(uses_types) {
        quote!(
            #gated
            use super::types;
        )
    } else {
        quote!()
    };
    let uses_request = if api.operations.is_empty() { quote!() } else { quote!(Method, Request, Response,) };
    let uses_scheme_kind =
        if api.security_schemes.is_empty() { quote!() } else { quote!(SchemeKind, SecurityScheme, Secret,) };
    quote! {
        //! The client: one method per operation.

        #uses_types
        #gated
        use crate::runtime::{self, Error, #uses_request #uses_scheme_kind};
        use std::time::Duration;

        #[doc = #url_doc]
        pub const DEFAULT_BASE_URL: &str = #default_url;

        #(#schemes)*

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: runtime::Transport,
            options: runtime::RequestOptions,
        }

        /// Configures a [`Client`]: base URL, credentials, timeouts and retries.
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: runtime::TransportBuilder,
        }

        impl ClientBuilder {
            /// Sets the base URL, e.g. a staging server or a local mock (default [`DEFAULT_BASE_URL`]).
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.inner = self.inner.base_url(url);
                self
            }

            /// Sets the timeout of each attempt (default 30 s).
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.inner = self.inner.timeout(timeout);
                self
            }

            /// Sets the connect timeout (default 10 s).
            pub fn connect_timeout(mut self, timeout: Duration) -> Self {
                self.inner = self.inner.connect_timeout(timeout);
                self
            }

            /// Sets how failed requests are retried; [`runtime::RetryPolicy::none`] turns retries off.
            pub fn retry_policy(mut self, policy: runtime::RetryPolicy) -> Self {
                self.inner = self.inner.retry_policy(policy);
                self
            }

            /// Sets the `User-Agent` header (default: this crate's name and version).
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.inner = self.inner.user_agent(user_agent);
                self
            }

            /// Uses a preconfigured `reqwest` client (its timeouts and user agent then apply).
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.inner = self.inner.http_client(client);
                self
            }

            /// Sets the largest response body read into memory, in bytes (default
            /// [`runtime::DEFAULT_MAX_RESPONSE_SIZE`], 64 MiB); a larger one fails with
            /// [`Error::ResponseTooLarge`] without being read further. `_download` methods and
            /// event streams are not limited.
            pub fn max_response_size(mut self, bytes: u64) -> Self {
                self.inner = self.inner.max_response_size(bytes);
                self
            }

            /// Whether a request that breaks the spec's constraints on its body or parameters
            /// (`maxLength`, `pattern`, `minimum`, ...) fails with [`Error::Validation`] before
            /// anything is sent (default `true`); per call, [`runtime::RequestOptions::validate`].
            pub fn validate_requests(mut self, on: bool) -> Self {
                self.inner = self.inner.validate_requests(on);
                self
            }

            /// Adds a hook run around every attempt of every call (after the hooks added before
            /// it): [`runtime::Hook::before_send`] may change the request, credentials already
            /// applied; [`runtime::Hook::after_receive`] sees each response's status and headers.
            pub fn hook(mut self, hook: impl runtime::Hook) -> Self {
                self.inner = self.inner.hook(hook);
                self
            }

            #(#setters)*

            /// Builds the client.
            ///
            /// # Errors
            #build_errors
            pub fn build(self) -> Result<Client, Error> {
                Ok(Client { transport: self.inner.build()?, options: runtime::RequestOptions::default() })
            }
        }

        impl Client {
            /// Starts configuring a client for [`DEFAULT_BASE_URL`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: runtime::TransportBuilder::new(DEFAULT_BASE_URL) }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            /// A client whose calls use `options` (timeout, retry policy, extra headers, idempotency
            /// key) instead of the client's settings; it shares this client's connection pool.
            ///
            /// ```ignore
            /// let quick = client.with_options(RequestOptions::new().timeout(Duration::from_secs(2)));
            /// ```
            pub fn with_options(&self, options: runtime::RequestOptions) -> Client {
                Client { transport: self.transport.clone(), options }
            }

            /// The per-call options this client applies (see [`Client::with_options`]).
            pub fn options(&self) -> &runtime::RequestOptions {
                &self.options
            }
        }
    }
}

/// The most scopes listed in a client-credentials setter's docs (Microsoft Graph declares hundreds).
const LISTED_SCOPES: usize = 10;

/// The two setters of an OAuth2 client-credentials flow: with a client id and secret, and with a
/// `runtime::ClientCredentials` for scopes and the rest.
fn client_credentials(scheme: &SecurityScheme, flow: &ClientCredentialsFlow) -> TokenStream {
    let constant = format_ident!("{}", scheme.constant);
    let token_url = &flow.token_url;
    let shown_url = code(token_url);
    let (setter, setter_with) = (ident(&flow.setter), ident(&flow.setter_with));
    let mut scopes: Vec<String> = flow
        .scopes
        .iter()
        .take(LISTED_SCOPES)
        .map(|(name, about)| {
            let (name, about) = (code(name), about.lines().next().unwrap_or_default().trim());
            if about.is_empty() {
                format!("- `{name}`")
            } else {
                format!("- `{name}`: {about}")
            }
        })
        .collect();
    if flow.scopes.len() > LISTED_SCOPES {
        scopes.push(format!("- and {} more", flow.scopes.len() - LISTED_SCOPES));
    }
    let scopes = if scopes.is_empty() {
        "The flow declares no scopes.".to_owned()
    } else {
        format!("The scopes the flow declares:\n{}", scopes.join("\n"))
    };
    let doc = docs::paragraphs(&[
        format!(
            "Has the client fetch its own OAuth2 tokens with this client id and secret (the \
             client-credentials flow of the `{}` security scheme), from `{shown_url}`, relative to the \
             base URL if relative.",
            scheme.key
        ),
        "A token is cached until 30 s before its `expires_in` (at most half its lifetime), fetched by \
         one call at a time however many run at once, sent as `Authorization: Bearer`, and renewed \
         once when the API answers 401 to a cached token. The client authenticates with HTTP Basic and \
         requests no scope, so the server grants the client's default ones."
            .to_owned(),
        format!(
            "For scopes, extra form fields, the credentials in the form body or another token URL, use \
             [`ClientBuilder::{}`].",
            flow.setter_with
        ),
        scopes,
    ]);
    let doc_with = docs::paragraphs(&[
        format!("[`ClientBuilder::{}`] with every setting of [`runtime::ClientCredentials`]:", flow.setter),
        format!(
            "```ignore\nlet client = Client::builder()\n    .{}(\n        runtime::ClientCredentials::new(client_id, \
             client_secret)\n            .scopes([\"read\"])\n            .client_auth(runtime::ClientAuth::RequestBody),\n    \
             )\n    .build()?;\n```",
            flow.setter_with
        ),
    ]);
    quote! {
        #doc
        pub fn #setter(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
            let credentials = runtime::ClientCredentials::new(client_id, client_secret);
            self.inner = self.inner.client_credentials(#constant.name, #token_url, credentials);
            self
        }

        #doc_with
        pub fn #setter_with(mut self, credentials: runtime::ClientCredentials) -> Self {
            self.inner = self.inner.client_credentials(#constant.name, #token_url, credentials);
            self
        }
    }
}

/// Spec text shown between backticks in docs: without backticks of its own.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

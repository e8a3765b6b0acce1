//! Operations into the `Client` and its builder.

use super::docs;
use super::features::TagFeatures;
use super::rust_type::{ident, rust_type, Scope};
use super::Part;
use crate::ir::{
    Api, BodyKind, Operation, Param, ParamLocation, ParamStyle, Primitive, RequestBody, Response, ResponseHeader,
    SchemeKind, StatusMatch, Success, TypeRef,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::HashMap;
use std::sync::Arc;

/// The `client` module of one API.
pub fn module(api: &Api, features: &TagFeatures) -> TokenStream {
    parts(api, features).iter().map(|part| (part.build)()).collect()
}

/// The `client` module in parts that are built and formatted apart (on any thread): the client and
/// its builder, one section per tag (its operations' types and an `impl Client` with their
/// methods), and the mock module.
pub fn parts<'a>(api: &'a Api, features: &'a TagFeatures) -> Vec<Part<'a>> {
    // An operation emits about five types' worth of code (GitHub: 3.4 MB for 771 operations,
    // 1.3 MB for 1,432 types); its mock method, half a type's.
    let shared = Arc::new(SharedErrors::of(api, features));
    let mut parts: Vec<Part<'a>> = vec![Part::new(1, move || prelude(api, features))];
    for (tag, operations) in tag_groups(api) {
        let shared = Arc::clone(&shared);
        parts.push(Part::new(5 * operations.len(), move || tag_section(api, features, &shared, tag, &operations)));
    }
    parts.push(Part::new(api.operations.len() / 2, move || mock_module(api, features)));
    parts
}

/// Operations grouped by their first tag, tags in order of first use, operations in spec order.
fn tag_groups(api: &Api) -> Vec<(Option<&str>, Vec<&Operation>)> {
    let mut groups: Vec<(Option<&str>, Vec<&Operation>)> = Vec::new();
    let mut index: HashMap<Option<&str>, usize> = HashMap::new();
    for op in &api.operations {
        let tag = op.tags.first().map(String::as_str);
        let i = *index.entry(tag).or_insert_with(|| {
            groups.push((tag, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(op);
    }
    groups
}

/// Operations whose error enums would be the same (statuses, bodies, docs) share one: the first
/// such operation's. The others' `…Error` names are aliases of it, so every operation keeps its
/// own error type name while the crate compiles one enum per distinct shape (Oxide's 317
/// operations have a handful).
struct SharedErrors<'a> {
    /// Operation name to the error enum it shares, when another operation owns that one.
    alias_of: HashMap<&'a str, &'a str>,
    /// Owning operation name to the number of operations that alias it, and the tag features
    /// that compile it (empty: always compiled).
    owners: HashMap<&'a str, (usize, Vec<String>)>,
}

impl<'a> SharedErrors<'a> {
    fn of(api: &'a Api, features: &TagFeatures) -> Self {
        let mut owner_of_shape: HashMap<String, &'a Operation> = HashMap::new();
        let mut alias_of = HashMap::new();
        let mut users: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for op in &api.operations {
            let Some(shape) = error_shape(op) else { continue };
            let owner = *owner_of_shape.entry(shape).or_insert(op);
            if owner.name != op.name {
                alias_of.insert(op.name.as_str(), owner.names.error.as_str());
            }
            users.entry(owner.name.as_str()).or_default().push(op.name.as_str());
        }
        let owners = users
            .into_iter()
            .map(|(owner, ops)| {
                let always = ops.iter().any(|op| features.operation_features(op).is_empty());
                let mut needed: Vec<String> = Vec::new();
                if !always {
                    for feature in &features.features {
                        if ops.iter().any(|op| features.operation_features(op).contains(feature)) {
                            needed.push(feature.clone());
                        }
                    }
                }
                (owner, (ops.len() - 1, needed))
            })
            .collect();
        Self { alias_of, owners }
    }
}

/// What makes two operations' error enums the same: each error response's status, first line of
/// description and body type, in the order [`error_enum`] reads them. `None` when it has none.
fn error_shape(op: &Operation) -> Option<String> {
    let errors: Vec<&Response> = op.responses.iter().filter(|r| !r.status.is_success()).collect();
    if !errors.iter().any(|r| matches!(r.body, Some(BodyKind::Json(_)))) {
        return None;
    }
    let mut shape = String::new();
    for r in errors {
        let body = match &r.body {
            Some(BodyKind::Json(ty)) => format!("{ty:?}"),
            _ => String::new(),
        };
        let description = r.description.lines().next().unwrap_or("").trim();
        shape.push_str(&format!("{}\u{1f}{description}\u{1f}{body}\u{1e}", status_text(&r.status)));
    }
    Some(shape)
}

/// The operations of one tag: their response, error and header types, then their methods.
fn tag_section(
    api: &Api,
    features: &TagFeatures,
    shared: &SharedErrors<'_>,
    tag: Option<&str>,
    operations: &[&Operation],
) -> TokenStream {
    let mut items = Vec::new();
    // Methods compiled by this tag's feature alone share one `#[cfg]` on their `impl` block;
    // those of operations with several tags carry their own, in a second block.
    let mut own_feature: Option<&[String]> = None;
    let (mut own, mut others) = (Vec::new(), Vec::new());
    for op in operations {
        let op_features = features.operation_features(&op.name);
        let cfg = TagFeatures::cfg_of(op_features);
        let emitted = operation(op, api, shared);
        if let Some((shared_error, features)) = &emitted.shared_error {
            items.push(gate_items(&TagFeatures::cfg_of(features), shared_error));
        }
        items.push(gate_items(&cfg, &emitted.items));
        // (Without tag features every method is ungated: all are the block's own.)
        if op_features.len() <= 1 && own_feature.is_none_or(|own| own == op_features) {
            own_feature = Some(op_features);
            own.push(emitted.methods);
        } else {
            others.push(gate_items(&cfg, &emitted.methods));
        }
    }
    let doc = match tag {
        Some(tag) => docs::line(&format!("Operations tagged `{tag}`.")),
        None => " Operations without a tag.".to_owned(),
    };
    let own_block = (!own.is_empty()).then(|| {
        let cfg = TagFeatures::cfg_of(own_feature.unwrap_or_default());
        quote! {
            #[doc = #doc]
            #cfg
            impl Client {
                #(#own)*
            }
        }
    });
    // Only tagged operations have several features.
    let others_block = (!others.is_empty()).then(|| {
        let doc = docs::line(&format!("Operations tagged `{}` and others.", tag.unwrap_or_default()));
        quote! {
            #[doc = #doc]
            impl Client {
                #(#others)*
            }
        }
    });
    quote! {
        #(#items)*

        #own_block
        #others_block
    }
}

/// The module's imports, the client and its builder, without the operations.
fn prelude(api: &Api, features: &TagFeatures) -> TokenStream {
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
        let doc = docs::paragraphs(&lines);
        match s.kind {
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
        }
    });
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

            #(#setters)*

            /// Builds the client.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`] when the base URL is not an absolute http(s) URL.
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

/// Puts the `#[cfg]` of an operation on each item it emitted.
fn gate_items(cfg: &TokenStream, items: &TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items.clone();
    }
    split_items(items.clone()).into_iter().flat_map(|item| cfg.clone().into_iter().chain(item)).collect()
}

/// Splits generated items at their ends, a top-level `;` or `{ ... }` not followed by `;`, without
/// parsing them: attributes, `struct A;`, `impl X { }`, `const C: T = T { .. };` and `use a::{b};`
/// each stay whole.
fn split_items(items: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        current.push(token);
        if ends {
            out.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        out.push(current.into_iter().collect());
    }
    out
}

/// The `mock` module (cargo feature `mock`): a local fake of the API on wiremock.
fn mock_module(api: &Api, features: &TagFeatures) -> TokenStream {
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

/// Whether the operation's signature names a generated type.
fn uses_types(op: &Operation) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named(inner),
            _ => false,
        }
    }
    let body = op.body.as_ref().is_some_and(|b| matches!(&b.kind, BodyKind::Json(ty) if named(ty)));
    let success = matches!(&op.success, Success::Body { kind: BodyKind::Json(ty), .. } if named(ty));
    let path = op.params.iter().any(|p| p.location == ParamLocation::Path && named(&p.ty));
    let responses = op.responses.iter().any(|r| matches!(&r.body, Some(BodyKind::Json(ty)) if named(ty)));
    let alternatives = op
        .body
        .as_ref()
        .is_some_and(|b| b.alternatives.iter().any(|(_, k)| matches!(k, BodyKind::Json(ty) if named(ty))));
    op.params_type.is_some() || body || success || path || responses || alternatives
}

/// What one operation adds to the client module.
struct Emitted {
    /// Methods of `Client`.
    methods: TokenStream,
    /// Types beside `Client`: success, error, header and body-choice enums.
    items: TokenStream,
    /// An error enum other operations share, and the tag features that compile it.
    shared_error: Option<(TokenStream, Vec<String>)>,
}

/// How the success of an operation is returned.
enum Returns {
    /// One body type (or `()`), the existing shape, maybe `Option` for bodiless 2xx codes.
    Single(TokenStream, TokenStream),
    /// Several 2xx bodies: an enum per status.
    Variants(Ident),
    /// `text/event-stream`: a stream of typed events.
    Events(TokenStream),
}

fn operation(op: &Operation, api: &Api, shared: &SharedErrors<'_>) -> Emitted {
    let name = ident(&op.name);
    let request_fn = ident(&op.names.request);
    let method = format_ident!("{}", op.method);
    let id = &op.id;
    let template = &op.path;
    let doc = operation_docs(op, api);
    let deprecated = if op.docs.deprecated { quote!(#[deprecated = "deprecated in the spec"]) } else { quote!() };
    let mut items = Vec::new();

    let path_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
    let mut args: Vec<TokenStream> = path_params.iter().map(|p| path_arg(p)).collect();
    let mut arg_names: Vec<Ident> = path_params.iter().map(|p| ident(&p.name)).collect();
    if let Some(params_type) = &op.params_type {
        let params_type = ident(params_type);
        args.push(quote!(params: &types::#params_type));
        arg_names.push(format_ident!("params"));
    }
    let body = op.body.as_ref().map(|body| {
        let (arg, set) = if body.alternatives.is_empty() {
            body_arg(&body.kind, &body.media_type)
        } else {
            let (enum_item, arg, set) = body_choice(&op.names.content, body);
            items.push(enum_item);
            (arg, set)
        };
        arg_names.push(format_ident!("body"));
        if body.required {
            args.push(quote!(body: #arg));
            set
        } else {
            args.push(quote!(body: Option<#arg>));
            quote! { if let Some(body) = body { #set } }
        }
    });
    let segments = path_segments(op, &path_params);
    let set_params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(set_param);
    let alternatives = op.security.iter().map(|alternative| {
        let schemes = alternative.iter().map(|key| {
            let constant = api.security_schemes.iter().find(|s| &s.key == key).map(|s| format_ident!("{}", s.constant));
            quote!(&#constant)
        });
        quote!(&[#(#schemes),*])
    });
    let mut set_params = set_params.peekable();
    let create = quote!(Request::operation(#id, Method::#method, #template, &[#(#segments),*], &[#(#alternatives),*]));
    let request = if set_params.peek().is_none() && body.is_none() {
        create
    } else {
        quote! {
            let mut request = #create?;
            #(#set_params)*
            #body
            Ok(request)
        }
    };
    let request_doc = format!(" The request of [`Client::{}`], ready to send.", op.name.trim_start_matches("r#"));
    let builder_allow = many_arguments(args.len());
    let builder = quote! {
        #[doc = #request_doc]
        #builder_allow
        fn #request_fn(#(#args),*) -> Result<Request, Error> {
            #request
        }
    };

    // Typed errors for documented error statuses with a JSON body.
    let mut shared_error = None;
    let error_type = match shared.alias_of.get(op.name.as_str()) {
        Some(owner) => {
            let name = ident(&op.names.error);
            let owner_type = ident(owner);
            let doc = format!(
                " The documented error bodies of [`Client::{}`]: the same as those of [`{owner_type}`].",
                op.name.trim_start_matches("r#")
            );
            items.push(quote!(#[doc = #doc] pub type #name = #owner_type;));
            Some(name)
        }
        None => {
            let (others, features) = shared.owners.get(op.name.as_str()).cloned().unwrap_or_default();
            error_enum(op, others).map(|(name, item)| {
                if others > 0 {
                    shared_error = Some((item, features));
                } else {
                    items.push(item);
                }
                name
            })
        }
    };
    let into_error = match &error_type {
        Some(error) => quote!(response.into_typed_error(#error::decode)),
        None => quote!(response.into_error()),
    };

    let errors = match &error_type {
        Some(error) => quote!(#error::decode),
        None => quote!(runtime::untyped),
    };
    let returns = returns(op, &mut items);
    let send = quote! {
        let request = Self::#request_fn(#(#arg_names),*)?;
    };
    let mut methods = Vec::new();
    // Every method below takes `&self` and `args`.
    let allow = many_arguments(args.len() + 1);
    // Plain functions returning the runtime's one `call` future; only event streams need their own.
    let call = |decode: TokenStream| {
        quote! {
            self.transport.call(Self::#request_fn(#(#arg_names),*), &self.options, #decode, #errors)
        }
    };
    // No `+ Send` here: it is true (auto traits leak through `impl Trait`, so callers may spawn
    // these futures), but stating it makes rustc prove it for every operation, which cost
    // GitHub's crate 5 s of checking.
    let future = |output: TokenStream| quote!(impl std::future::Future<Output = Result<#output, Error>> + 'a);
    let decode = match &returns {
        Returns::Single(_, decode) => Some(decode.clone()),
        Returns::Variants(enum_name) => Some(quote!(#enum_name::decode)),
        Returns::Events(_) => None,
    };
    let ret_ty = match &returns {
        Returns::Single(ty, _) => ty.clone(),
        Returns::Variants(enum_name) => quote!(#enum_name),
        Returns::Events(item) => quote!(runtime::EventStream<#item>),
    };
    methods.push(match &decode {
        Some(decode) => {
            let body = call(decode.clone());
            let output = future(ret_ty.clone());
            quote! {
                #doc
                #deprecated
                #allow
                pub fn #name<'a>(&'a self, #(#args),*) -> #output {
                    #body
                }
            }
        }
        None => quote! {
            #doc
            #deprecated
            #allow
            pub async fn #name(&self, #(#args),*) -> Result<#ret_ty, Error> {
                let request = Self::#request_fn(#(#arg_names),*)?;
                match self.transport.send_streaming(request, &self.options).await? {
                    Ok(streaming) => Ok(streaming.events()),
                    Err(response) => Err(#into_error),
                }
            }
        },
    });

    // Typed response headers, where the spec declares them.
    let headers = success_headers(op);
    if let (false, Some(decode)) = (headers.is_empty(), &decode) {
        let headers_type = ident(&op.names.headers);
        let fields = headers.iter().map(|h| {
            let field = ident(&h.name);
            let ty = rust_type(&h.ty, Scope::Client);
            let doc = docs::line(&format!(
                "`{}`{}",
                h.wire_name,
                h.description.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
            ));
            quote!(#[doc = #doc] pub #field: Option<#ty>,)
        });
        let parse = headers.iter().map(|h| {
            let field = ident(&h.name);
            let wire = h.wire_name.to_ascii_lowercase();
            quote!(#field: runtime::header_as(headers, #wire),)
        });
        let struct_doc = format!(
            " The response headers of [`Client::{}`] that the spec declares (absent or unparsable ones are `None`).",
            op.name.trim_start_matches("r#")
        );
        items.push(quote! {
            #[doc = #struct_doc]
            #[derive(Debug, Clone, PartialEq, Default)]
            pub struct #headers_type {
                #(#fields)*
            }

            impl #headers_type {
                fn parse(headers: &runtime::HeaderMap) -> Self {
                    Self { #(#parse)* }
                }
            }
        });
        let with_headers = ident(&op.names.with_headers);
        let with_doc = format!(
            " Like [`Client::{}`], also returning the response headers the spec declares, typed.",
            op.name.trim_start_matches("r#")
        );
        let body = call(quote!(|response| runtime::with_headers(response, #decode, #headers_type::parse)));
        let output = future(quote!(runtime::WithHeaders<#ret_ty, #headers_type>));
        methods.push(quote! {
            #[doc = #with_doc]
            #deprecated
            #allow
            pub fn #with_headers<'a>(&'a self, #(#args),*) -> #output {
                #body
            }
        });
    }

    // A streamed download for binary bodies.
    if matches!(&op.success, Success::Body { kind: BodyKind::Binary, .. }) && matches!(returns, Returns::Single(..)) {
        let download = ident(&op.names.download);
        let download_doc = format!(
            " Like [`Client::{}`], but the body arrives as a stream of chunks, for large downloads.",
            op.name.trim_start_matches("r#")
        );
        methods.push(quote! {
            #[doc = #download_doc]
            #deprecated
            #allow
            pub async fn #download(&self, #(#args),*) -> Result<runtime::ByteStream, Error> {
                #send
                match self.transport.send_streaming(request, &self.options).await? {
                    Ok(streaming) => Ok(streaming.bytes()),
                    Err(response) => Err(#into_error),
                }
            }
        });
    }

    // Pagination.
    if let Some(paging) = pagination(op, api) {
        methods.push(stream_method(op, &paging, &path_params, &request_fn, &deprecated));
    }

    methods.push(builder);
    Emitted { methods: quote!(#(#methods)*), items: quote!(#(#items)*), shared_error }
}

/// `#[allow(clippy::too_many_arguments)]` for a function of `count` arguments (`self` included)
/// when clippy would flag it (more than 7). Path parameters stay positional however many an
/// operation has (deeply nested resources have six or more): moving them into the params struct
/// past some count would change a method's shape when a path parameter is added, and methods with
/// few parameters keep their shape.
fn many_arguments(count: usize) -> TokenStream {
    if count > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    }
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

/// How the success of `op` is returned; pushes the enum of several 2xx bodies into `items`.
fn returns(op: &Operation, items: &mut Vec<TokenStream>) -> Returns {
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
            status_text(&response.status),
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

fn status_text(status: &StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(digit) => format!("{digit}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

/// The per-operation enum of typed error bodies, when a documented error status has a JSON body.
/// The error enum of `op`; `others` operations alias it (see [`SharedErrors`]).
fn error_enum(op: &Operation, others: usize) -> Option<(Ident, TokenStream)> {
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
                    status_text(&response.status),
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
fn success_headers(op: &Operation) -> Vec<&ResponseHeader> {
    let mut out: Vec<&ResponseHeader> = Vec::new();
    for header in op.responses.iter().filter(|r| r.status.is_success()).flat_map(|r| &r.headers) {
        if !out.iter().any(|h| h.wire_name.eq_ignore_ascii_case(&header.wire_name) || h.name == header.name) {
            out.push(header);
        }
    }
    out
}

/// The enum of the media types an operation accepts, its argument type and how it is set.
fn body_choice(enum_name: &str, body: &RequestBody) -> (TokenStream, TokenStream, TokenStream) {
    let enum_name = ident(enum_name);
    let all = std::iter::once((&body.media_type, &body.kind)).chain(body.alternatives.iter().map(|(m, k)| (m, k)));
    let mut names = crate::naming::Namespace::default();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
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
    (item, quote!(#enum_name), quote! { match body { #(#arms)* } })
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

/// Pagination of an operation, as found in the spec (see the README, "Pagination").
struct Paging {
    param: String,
    param_wire: String,
    items_pointer: String,
    item: TypeRef,
    next: TokenStream,
    how: String,
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

fn pagination(op: &Operation, api: &Api) -> Option<Paging> {
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
    let (next, how) = match kind {
        "cursor" => {
            let next = pointer_of(&next_field?);
            (
                quote!(runtime::Paging::Cursor { next: #next }),
                format!("the response's `{}` is the next `{}`", &next[1..], param.wire_name),
            )
        }
        "link" => (
            quote!(runtime::Paging::Link),
            format!("the `Link` header's `rel=\"next\"` URL gives the next `{}`", param.wire_name),
        ),
        "page" => (
            quote!(runtime::Paging::Page),
            format!("`{}` is a page number, increased until a page is empty", param.wire_name),
        ),
        _ => (
            quote!(runtime::Paging::Offset),
            format!("`{}` is an offset, advanced by each page's items until one is empty", param.wire_name),
        ),
    };
    Some(Paging { param: param.name.clone(), param_wire: param.wire_name.clone(), items_pointer, item, next, how })
}

fn stream_method(
    op: &Operation,
    paging: &Paging,
    path_params: &[&Param],
    request_fn: &Ident,
    deprecated: &TokenStream,
) -> TokenStream {
    let plain = op.name.trim_start_matches("r#");
    let name = ident(&op.names.stream);
    let item = rust_type(&paging.item, Scope::Client);
    let mut args: Vec<TokenStream> = path_params.iter().map(|p| path_arg(p)).collect();
    let mut captures = Vec::new();
    let mut call = Vec::new();
    for p in path_params {
        let n = ident(&p.name);
        match &p.ty {
            TypeRef::Primitive(p) if !matches!(p, Primitive::String | Primitive::DateTime | Primitive::Date) => {
                call.push(quote!(#n))
            }
            // `to_owned`, not `clone`: a named type may be an alias of a `Copy` primitive
            // (`clippy::clone_on_copy`).
            _ => {
                captures.push(quote!(let #n = #n.to_owned();));
                call.push(quote!(&#n));
            }
        }
    }
    let params_type = ident(op.params_type.as_deref().unwrap_or_default());
    args.push(quote!(params: &types::#params_type));
    captures.push(quote!(let params = params.clone();));
    call.push(quote!(&params));
    let param_wire = &paging.param_wire;
    let items = &paging.items_pointer;
    let next = &paging.next;
    let doc = docs::paragraphs(&[
        format!("Every item of every page of [`Client::{plain}`], fetched page by page as the stream is polled."),
        format!(
            "Pages follow `{param_wire}` (field `{}` of the params): {}. A failed page ends the stream with its error.",
            paging.param.trim_start_matches("r#"),
            paging.how
        ),
    ]);
    let allow = many_arguments(args.len() + 1);
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> impl runtime::Stream<Item = Result<#item, Error>> + Send + 'static {
            #(#captures)*
            let pagination = runtime::Pagination { param: #param_wire, items: #items, paging: #next };
            runtime::paginate(self.transport.clone(), self.options.clone(), pagination, move || Self::#request_fn(#(#call),*))
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

/// The value of each `{placeholder}` of the path template, in order, as `&str`.
fn path_segments(op: &Operation, path_params: &[&Param]) -> Vec<TokenStream> {
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

fn path_arg(param: &Param) -> TokenStream {
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

fn set_param(param: &Param) -> TokenStream {
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

fn body_arg(kind: &BodyKind, media_type: &str) -> (TokenStream, TokenStream) {
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
            if is_form(media_type) {
                (arg, quote!(request.form(body)?;))
            } else {
                (arg, quote!(request.json(body)?;))
            }
        }
        BodyKind::Text => (quote!(impl Into<String>), quote!(request.raw(#media_type, body.into());)),
        BodyKind::Binary if is_multipart(media_type) => (quote!(runtime::Multipart), quote!(request.multipart(body);)),
        BodyKind::Binary => (quote!(impl Into<runtime::BinaryBody>), quote!(request.binary(#media_type, body);)),
    }
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

fn operation_docs(op: &Operation, api: &Api) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(op.docs.title.clone());
    paragraphs.extend(op.docs.description.clone().filter(|d| Some(d) != op.docs.title.as_ref()));
    paragraphs.push(format!("`{} {}` (operation `{}`).", op.method, op.path, op.id));
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let what = p.docs.description.as_deref().unwrap_or("").lines().next().unwrap_or("").to_owned();
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
            };
            format!(
                "- `{}` ({location} `{}`){}",
                p.name.trim_start_matches("r#"),
                p.wire_name,
                if what.is_empty() { String::new() } else { format!(": {what}") }
            )
        })
        .collect();
    if !params.is_empty() {
        paragraphs.push(format!("Parameters:\n{}", params.join("\n")));
    }
    let responses: Vec<String> = op
        .responses
        .iter()
        .map(|r| {
            let status = match r.status {
                crate::ir::StatusMatch::Code(code) => code.to_string(),
                crate::ir::StatusMatch::Range(digit) => format!("{digit}XX"),
                crate::ir::StatusMatch::Default => "default".to_owned(),
            };
            format!("- {status}: {}", r.description.lines().next().unwrap_or("").trim())
        })
        .collect();
    if !responses.is_empty() {
        paragraphs.push(format!("Responses:\n{}", responses.join("\n")));
    }
    let alternatives: Vec<String> = op
        .security
        .iter()
        .map(|alternative| {
            let setters: Vec<String> = alternative
                .iter()
                .filter_map(|key| api.security_schemes.iter().find(|s| &s.key == key))
                .map(|s| format!("[`ClientBuilder::{}`]", s.setter))
                .collect();
            if setters.is_empty() {
                "none".to_owned()
            } else {
                setters.join(" and ")
            }
        })
        .collect();
    if !alternatives.is_empty() {
        paragraphs.push(format!("Credentials: {}.", alternatives.join(", or ")));
    }
    paragraphs.push(
        // Said once per operation: the variants' own docs say the rest.
        "# Errors\n[`Error::Api`] for a non-success status; the other [`Error`]s when it cannot be sent or read."
            .to_owned(),
    );
    docs::paragraphs(&paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(tokens: TokenStream) -> Vec<String> {
        split_items(tokens).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn split_items_keeps_each_item_whole() {
        let items = split(quote! {
            #[doc = " A."] pub struct A;
            pub struct B { x: u8 }
            impl B { fn f(&self) -> [u8; 2] { [0; 2] } }
            const C: B = B { x: 1 };
            use a::{b, c};
            pub enum E { V { x: u8 } }
        });
        assert_eq!(
            items,
            [
                "# [doc = \" A.\"] pub struct A ;",
                "pub struct B { x : u8 }",
                "impl B { fn f (& self) -> [u8 ; 2] { [0 ; 2] } }",
                "const C : B = B { x : 1 } ;",
                "use a :: { b , c } ;",
                "pub enum E { V { x : u8 } }",
            ]
        );
    }

    #[test]
    fn gate_items_puts_the_cfg_on_every_item() {
        let cfg = quote!(#[cfg(feature = "t")]);
        let gated = gate_items(&cfg, &quote!(struct A; impl A {}));
        assert_eq!(
            gated.to_string(),
            quote!(
                #[cfg(feature = "t")]
                struct A;
                #[cfg(feature = "t")]
                impl A {}
            )
            .to_string()
        );
        assert_eq!(
            gate_items(
                &quote!(),
                &quote!(
                    struct A;
                )
            )
            .to_string(),
            "struct A ;"
        );
    }
}

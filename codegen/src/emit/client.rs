//! Operations into the `Client` and its builder.

use super::docs;
use super::features::TagFeatures;
use super::rust_type::{ident, rust_type, Scope};
use crate::ir::{Api, BodyKind, Operation, Param, ParamLocation, Primitive, SchemeKind, Success, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The `client` module of one API.
pub fn module(api: &Api, features: &TagFeatures) -> TokenStream {
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
        let doc = format!(" The `{key}` security scheme.");
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
        Some(description) => format!(" The first server in the spec ({description})."),
        None => " The first server in the spec.".to_owned(),
    };
    let client_doc = docs::paragraphs(&[
        format!("Client for the {} API (version {}).", api.title, api.version),
        "Cheap to clone: clones share one connection pool. Build one with [`Client::builder`].".to_owned(),
    ]);
    let operations = api.operations.iter().map(|op| {
        let cfg = features.operation_cfg(&op.name);
        let method = operation(op, api);
        quote!(#cfg #method)
    });
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
    let uses_request = if api.operations.is_empty() { quote!() } else { quote!(Method, Request,) };
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
                Ok(Client { transport: self.inner.build()? })
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

            #(#operations)*
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
    op.params_type.is_some() || body || success || path
}

fn operation(op: &Operation, api: &Api) -> TokenStream {
    let name = ident(&op.name);
    let method = format_ident!("{}", op.method);
    let id = &op.id;
    let doc = operation_docs(op, api);
    let deprecated = if op.docs.deprecated { quote!(#[deprecated = "deprecated in the spec"]) } else { quote!() };

    let path_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Path).collect();
    let mut args: Vec<TokenStream> = path_params.iter().map(|p| path_arg(p)).collect();
    if let Some(params_type) = &op.params_type {
        let params_type = ident(params_type);
        args.push(quote!(params: &types::#params_type));
    }
    let body = op.body.as_ref().map(|body| {
        let (arg, set) = body_arg(&body.kind, &body.media_type);
        if body.required {
            args.push(quote!(body: #arg));
            set
        } else {
            args.push(quote!(body: Option<#arg>));
            quote! { if let Some(body) = body { #set } }
        }
    });
    let path = path_expr(op, &path_params);
    let set_params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(set_param);
    let alternatives = op.security.iter().map(|alternative| {
        let schemes = alternative.iter().map(|key| {
            let constant = api.security_schemes.iter().find(|s| &s.key == key).map(|s| format_ident!("{}", s.constant));
            quote!(&#constant)
        });
        quote!(&[#(#schemes),*])
    });
    let (returns, decode) = success(&op.success);
    let mutable = if op.body.is_some() || op.params_type.is_some() { quote!(mut) } else { quote!() };
    quote! {
        #doc
        #deprecated
        pub async fn #name(&self, #(#args),*) -> Result<#returns, Error> {
            const SECURITY: runtime::Security = &[#(#alternatives),*];
            let path = #path;
            let #mutable request = Request::new(#id, Method::#method, path, SECURITY);
            #(#set_params)*
            #body
            let response = self.transport.send(request).await?;
            #decode
        }
    }
}

/// The expression that builds the percent-encoded path: literal parts and encoded parameters.
fn path_expr(op: &Operation, path_params: &[&Param]) -> TokenStream {
    let mut parts: Vec<TokenStream> = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        let literal = &rest[..start];
        if !literal.is_empty() {
            parts.push(quote!(#literal));
        }
        let wire = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        if let Some(param) = path_params.iter().find(|p| p.wire_name == wire) {
            let name = ident(&param.name);
            parts.push(match param.ty {
                TypeRef::Primitive(Primitive::String) => quote!(&runtime::path_segment(#name)?),
                _ => quote!(&runtime::path_segment(&runtime::param(&#name))?),
            });
        }
    }
    if parts.is_empty() {
        let path = &op.path;
        return quote!(#path.to_owned());
    }
    if !rest.is_empty() {
        parts.push(quote!(#rest));
    }
    quote!([#(#parts),*].concat())
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
    let push = |value: TokenStream| match param.location {
        ParamLocation::Query => quote!(request.query(#wire, #value);),
        ParamLocation::Header => quote!(request.header(#wire, #value);),
        ParamLocation::Cookie => quote!(request.header("cookie", format!("{}={}", #wire, #value));),
        ParamLocation::Path => quote!(),
    };
    let item_push = push(quote!(runtime::param(item)));
    let value_push = push(quote!(runtime::param(value)));
    let is_array = matches!(param.ty, TypeRef::Array(_));
    let send = if is_array && param.explode {
        quote! { for item in value { #item_push } }
    } else if is_array {
        let joined = push(quote!(joined));
        quote! {
            let joined = value.iter().map(runtime::param).collect::<Vec<_>>().join(",");
            #joined
        }
    } else {
        value_push
    };
    if param.required && !matches!(param.ty, TypeRef::Nullable(_)) {
        quote! { { let value = &params.#field; #send } }
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
            (arg, quote!(request.json(body)?;))
        }
        BodyKind::Text => (quote!(impl Into<String>), quote!(request.raw(#media_type, body.into());)),
        BodyKind::Binary => (quote!(impl Into<runtime::Bytes>), quote!(request.raw(#media_type, body);)),
    }
}

fn success(success: &Success) -> (TokenStream, TokenStream) {
    let Success::Body { kind, empty_statuses, .. } = success else {
        return (
            quote!(()),
            quote! {
                if response.status.is_success() { response.empty() } else { Err(response.into_error()) }
            },
        );
    };
    let (ty, decode) = match kind {
        BodyKind::Json(ty) => (rust_type(ty, Scope::Client), quote!(response.json())),
        BodyKind::Text => (quote!(String), quote!(response.text())),
        BodyKind::Binary => (quote!(runtime::Bytes), quote!(Ok(response.body))),
    };
    if empty_statuses.is_empty() {
        return (ty, quote! { if response.status.is_success() { #decode } else { Err(response.into_error()) } });
    }
    let codes = empty_statuses.iter().filter_map(|s| match s {
        crate::ir::StatusMatch::Code(code) => Some(quote!(#code)),
        _ => None,
    });
    (
        quote!(Option<#ty>),
        quote! {
            match response.status.as_u16() {
                #(#codes)|* => Ok(None),
                200..=299 => #decode.map(Some),
                _ => Err(response.into_error()),
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
        "# Errors\n[`Error::Api`] for a non-success status (with the status, headers and body), \
         [`Error::Decode`] when a success body does not match its schema, [`Error::Transport`] when \
         the request cannot be sent, and [`Error::MissingCredentials`] when no credential the operation \
         accepts is configured."
            .to_owned(),
    );
    docs::paragraphs(&paragraphs)
}

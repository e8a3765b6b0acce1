//! One operation's methods: the call (`name`), `…_with_headers`, `…_download`, `…_stream`, and the
//! `…_request` function that builds the request for all of them; their signatures and docs.

use super::pagination::stream_method;
use super::request::{body_arg, body_choice, param_checks, path_arg, path_segments, set_param};
use super::response::{error_enum, returns, success_headers, Returns};
use super::{Emitted, SharedErrors};
use crate::emit::docs;
use crate::emit::rust_type::{ident, rust_type, Scope};
use crate::emit::types::RequestChecks;
use crate::ir::{Api, BodyKind, Operation, Param, ParamLocation, Success};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The methods of one operation (and the `…_request` function they share) and the types beside
/// `Client` that they return.
pub(super) fn operation(op: &Operation, api: &Api, shared: &SharedErrors<'_>, checks: &RequestChecks<'_>) -> Emitted {
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
            body_arg(&body.kind, &body.media_type, checks)
        } else {
            let (enum_item, arg, set) = body_choice(&op.names.content, body, checks);
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
    let param_checks = param_checks(op, checks);
    let request = if set_params.peek().is_none() && body.is_none() && param_checks.is_empty() {
        create
    } else {
        quote! {
            let mut request = #create?;
            #(#set_params)*
            #param_checks
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
    if let Some(paging) = crate::plan::pagination::pagination(op, api) {
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
pub(super) fn many_arguments(count: usize) -> TokenStream {
    if count > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    }
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
        .map(|r| format!("- {}: {}", r.status.text(), r.description.lines().next().unwrap_or("").trim()))
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
                .map(|s| match &s.client_credentials {
                    Some(flow) => format!("[`ClientBuilder::{}`] (or [`ClientBuilder::{}`])", s.setter, flow.setter),
                    None => format!("[`ClientBuilder::{}`]", s.setter),
                })
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

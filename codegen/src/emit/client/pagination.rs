//! The stream of every item of every page, for operations that page (see [`crate::plan::pagination`]).

use super::operation::many_arguments;
use super::request::path_arg;
use crate::emit::docs;
use crate::emit::rust_type::{ident, rust_type, Scope};
use crate::ir::{Operation, Param, Primitive, TypeRef};
use crate::plan::pagination::{NextPage, Paging};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The `…_stream` method of a paged operation: every item of every page.
pub(super) fn stream_method(
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
    let (next, how) = match &paging.next {
        NextPage::Cursor(next) => (
            quote!(runtime::Paging::Cursor { next: #next }),
            format!("the response's `{}` is the next `{}`", &next[1..], param_wire),
        ),
        NextPage::Link => (
            quote!(runtime::Paging::Link),
            format!("the `Link` header's `rel=\"next\"` URL gives the next `{}`", param_wire),
        ),
        NextPage::Page => (
            quote!(runtime::Paging::Page),
            format!("`{}` is a page number, increased until a page is empty", param_wire),
        ),
        NextPage::Offset => (
            quote!(runtime::Paging::Offset),
            format!("`{}` is an offset, advanced by each page's items until one is empty", param_wire),
        ),
    };
    let doc = docs::paragraphs(&[
        format!("Every item of every page of [`Client::{plain}`], fetched page by page as the stream is polled."),
        format!(
            "Pages follow `{param_wire}` (field `{}` of the params): {}. A failed page ends the stream with its error.",
            paging.param.trim_start_matches("r#"),
            how
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

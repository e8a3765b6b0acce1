//! `validate()` for the types requests send: the checks of each field's own constraints, and of the
//! values inside it that have a `validate()` of their own.

use super::{extra_field_name, Context, MAX_ALIAS_DEPTH};
use crate::emit::rust_type::ident;
use crate::ir::{Constraints, Field, Primitive, TypeDef, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The checks of the values a request sends, for the client's `…_request` functions: the rules of
/// `validate()`, printed by the same code. One per API.
pub(crate) struct RequestChecks<'a>(Context<'a>);

impl<'a> RequestChecks<'a> {
    /// The checks for the types of `types`.
    pub(crate) fn new(types: &'a [TypeDef]) -> Self {
        Self(Context::new(types))
    }

    /// The checks of a parameter of type `ty` (bound as `value: &T`, without the `Option` of a
    /// nullable one) at the path `here` (`query.limit`): its own `constraints` and the
    /// `validate_at` of the values inside it that have one; `None` when there is nothing to check.
    /// They add to a `violations: &mut runtime::Violations`.
    pub(crate) fn param(&self, ty: &TypeRef, constraints: &Constraints, here: &str) -> Option<TokenStream> {
        let inner = match ty {
            TypeRef::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let own = self.0.constraint_checks(inner, constraints, quote!(#here));
        let nested = self.0.nested_checks(inner, quote!(value), quote!(#here), 0);
        (own.is_some() || nested.is_some()).then(|| quote!(#own #nested))
    }

    /// The checks of a request body of type `ty` (`value`, an expression of type `&T`) at `body`,
    /// like [`RequestChecks::param`]'s.
    pub(crate) fn body(&self, ty: &TypeRef, value: TokenStream) -> Option<TokenStream> {
        self.0.nested_checks(ty, value, quote!("body"), 0)
    }
}

impl Context<'_> {
    /// The checks of a field's own constraints on its value (bound as `value`, path `here`).
    pub(super) fn own_checks(&self, field: &Field) -> Option<TokenStream> {
        let inner = match &field.ty {
            TypeRef::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        self.constraint_checks(inner, &field.constraints, quote!(&here))
    }

    /// The checks of constraints `c` on a value of type `ty` (not nullable) bound as `value`, at
    /// `here` (a `&str` expression).
    fn constraint_checks(&self, ty: &TypeRef, c: &Constraints, here: TokenStream) -> Option<TokenStream> {
        let mut checks = Vec::new();
        match self.resolve(ty, 0) {
            TypeRef::Primitive(Primitive::String)
                if c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some() =>
            {
                if c.min_length.is_some() || c.max_length.is_some() {
                    let (min, max) = (opt_usize(c.min_length), opt_usize(c.max_length));
                    checks.push(quote!(violations.length(#here, value, #min, #max);));
                }
                if let Some(pattern) = &c.pattern {
                    checks.push(quote!(violations.pattern(#here, value, #pattern);));
                }
            }
            TypeRef::Primitive(p)
                if (p.integer_range().is_some() || matches!(p, Primitive::F32 | Primitive::F64))
                    && (c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some()) =>
            {
                // Compared as `f64` in the runtime, so a bound outside the type's range (`maximum:
                // 300` on a `u8`) is no comparison rustc or clippy calls absurd.
                let number = match p {
                    Primitive::I64 | Primitive::U64 => quote!(*value as f64),
                    Primitive::F64 => quote!(*value),
                    _ => quote!(f64::from(*value)),
                };
                let bound = |b: Option<(f64, bool)>| match b {
                    Some((limit, exclusive)) => {
                        let limit = Literal::f64_unsuffixed(limit);
                        quote!(Some((#limit, #exclusive)))
                    }
                    None => quote!(None),
                };
                let (min, max) = (bound(c.minimum), bound(c.maximum));
                let multiple = match c.multiple_of {
                    Some(m) => {
                        let m = Literal::f64_unsuffixed(m);
                        quote!(Some(#m))
                    }
                    None => quote!(None),
                };
                checks.push(quote!(violations.number(#here, #number, #min, #max, #multiple);));
            }
            TypeRef::Array(_) => {
                if c.min_items.is_some() || c.max_items.is_some() {
                    let (min, max) = (opt_usize(c.min_items), opt_usize(c.max_items));
                    checks.push(quote!(violations.items(#here, value.len(), #min, #max);));
                }
                if c.unique_items {
                    checks.push(quote!(violations.unique(#here, value);));
                }
            }
            _ => {}
        }
        (!checks.is_empty()).then(|| quote!(#(#checks)*))
    }

    /// Checks of the values inside `value` (an expression of type `&T` for `ty`) at `here` (a
    /// `&str` expression) that have a `validate()`.
    pub(super) fn nested_checks(
        &self,
        ty: &TypeRef,
        value: TokenStream,
        here: TokenStream,
        depth: usize,
    ) -> Option<TokenStream> {
        if depth > MAX_ALIAS_DEPTH {
            return None;
        }
        match self.resolve(ty, 0) {
            TypeRef::Named(name) if self.validated.contains(name.as_str()) => {
                Some(quote!(#value.validate_at(#here, violations);))
            }
            TypeRef::Array(inner) => {
                let check = self.nested_checks(inner, quote!(item), quote!(&here), depth + 1)?;
                Some(quote! {
                    for (i, item) in #value.iter().enumerate() {
                        let here = crate::runtime::index_path(#here, i);
                        #check
                    }
                })
            }
            TypeRef::Map(inner) => {
                let check = self.nested_checks(inner, quote!(item), quote!(&here), depth + 1)?;
                Some(quote! {
                    for (key, item) in #value {
                        let here = crate::runtime::field_path(#here, key);
                        #check
                    }
                })
            }
            TypeRef::Nullable(_) => {
                let (inner, pattern) = self.unwrap_nullable(ty)?;
                let check = self.nested_checks(inner, quote!(item), here, depth + 1)?;
                Some(quote! {
                    if let #pattern = #value {
                        #check
                    }
                })
            }
            _ => None,
        }
    }

    /// For a nullable type (through aliases): the type inside its `Option`s and the pattern that
    /// binds that as `item` (`Some(item)`, `Some(Some(item))`). One pattern, not an `if let` per
    /// `Option`: clippy asks to collapse nested ones (`collapsible_match`).
    fn unwrap_nullable<'t>(&'t self, ty: &'t TypeRef) -> Option<(&'t TypeRef, TokenStream)> {
        let mut inner = ty;
        let mut pattern = quote!(item);
        let mut layers = 0;
        while let TypeRef::Nullable(next) = self.resolve(inner, 0) {
            if layers > MAX_ALIAS_DEPTH {
                return None;
            }
            inner = next;
            pattern = quote!(Some(#pattern));
            layers += 1;
        }
        (layers > 0).then_some((inner, pattern))
    }
}

fn opt_usize(value: Option<usize>) -> TokenStream {
    match value {
        Some(n) => {
            let n = Literal::usize_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

/// `validate()` for a struct or `oneOf` type that has constrained values.
pub(super) fn validate_impl(def: &TypeDef, cfg: &TokenStream, ctx: &Context<'_>) -> TokenStream {
    if !ctx.validated.contains(def.name.as_str()) {
        return quote!();
    }
    let body = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let mut checks: Vec<TokenStream> = fields.iter().filter_map(|f| field_checks(f, ctx)).collect();
            if let Some(extra) = additional {
                let map = TypeRef::Map(Box::new(extra.clone()));
                let extra_name = ident(&extra_field_name(fields));
                checks.extend(ctx.nested_checks(&map, quote!(&self.#extra_name), quote!(path), 0));
            }
            quote!(#(#checks)*)
        }
        TypeKind::Untagged { .. } | TypeKind::Tagged { .. } => {
            let variants: Vec<(&String, &TypeRef)> = match &def.kind {
                TypeKind::Untagged { variants, .. } => variants.iter().map(|(n, t)| (n, t)).collect(),
                TypeKind::Tagged { variants, .. } => variants.iter().map(|v| (&v.name, &v.ty)).collect(),
                _ => Vec::new(),
            };
            // A nullable variant's `Some` is matched in its arm's pattern (a nested `if let` would
            // trip `collapsible_match`), which leaves its `None` to the wildcard arm.
            let mut refutable = false;
            let checked: Vec<(proc_macro2::Ident, TokenStream, TokenStream)> = variants
                .iter()
                .filter_map(|(name, ty)| {
                    let (pattern, check) = match ctx.unwrap_nullable(ty) {
                        Some((inner, pattern)) => {
                            refutable = true;
                            (pattern, ctx.nested_checks(inner, quote!(item), quote!(path), 1)?)
                        }
                        None => (quote!(value), ctx.nested_checks(ty, quote!(value), quote!(path), 0)?),
                    };
                    Some((ident(name), pattern, check))
                })
                .collect();
            // Untagged enums have no catch-all variant: when every variant is checked, a
            // wildcard arm would be unreachable.
            let exhaustive =
                matches!(def.kind, TypeKind::Untagged { .. }) && checked.len() == variants.len() && !refutable;
            let arms = checked.iter().map(|(variant, pattern, check)| quote!(Self::#variant(#pattern) => { #check }));
            match checked.as_slice() {
                _ if exhaustive => quote! {
                    match self {
                        #(#arms)*
                    }
                },
                [(variant, pattern, check)] => quote! {
                    if let Self::#variant(#pattern) = self {
                        #check
                    }
                },
                _ => quote! {
                    match self {
                        #(#arms)*
                        _ => {}
                    }
                },
            }
        }
        TypeKind::Newtype { target } => match ctx.nested_checks(target, quote!(value), quote!(path), 0) {
            Some(check) => quote! {
                let value = &self.0;
                #check
            },
            None => quote!(let _ = (path, violations);),
        },
        _ => return quote!(),
    };
    let name = ident(&def.name);
    quote! {
        #cfg
        impl #name {
            /// Checks the constraints the spec sets on this value and the values inside it
            /// (`minLength`/`maxLength` in characters, `pattern`, `minimum`/`maximum`, exclusive
            /// bounds, `multipleOf`, `minItems`/`maxItems`, `uniqueItems`). The client calls it
            /// before sending a request, unless turned off; decoding never does.
            pub fn validate(&self) -> Result<(), crate::runtime::Violations> {
                let mut violations = crate::runtime::Violations::default();
                self.validate_at("", &mut violations);
                violations.into_result()
            }

            /// Adds the constraints this value (at `path`) breaks to `violations`.
            #[doc(hidden)]
            pub fn validate_at(&self, path: &str, violations: &mut crate::runtime::Violations) {
                #body
            }
        }
    }
}

/// The checks of one struct field: its own constraints and those of the values inside it.
fn field_checks(field: &Field, ctx: &Context<'_>) -> Option<TokenStream> {
    let inner = match &field.ty {
        TypeRef::Nullable(inner) => inner.as_ref(),
        other => other,
    };
    let own = ctx.own_checks(field);
    let nested = ctx.nested_checks(inner, quote!(value), quote!(&here), 0);
    if own.is_none() && nested.is_none() {
        return None;
    }
    let name = ident(&field.name);
    let wire = &field.wire_name;
    let body = quote! {
        let here = crate::runtime::field_path(path, #wire);
        #own
        #nested
    };
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    Some(if nullable && !field.required {
        quote! {
            if let crate::runtime::Nullable::Value(value) = &self.#name {
                #body
            }
        }
    } else if nullable || !field.required {
        quote! {
            if let Some(value) = &self.#name {
                #body
            }
        }
    } else {
        quote! {
            {
                let value = &self.#name;
                #body
            }
        }
    })
}

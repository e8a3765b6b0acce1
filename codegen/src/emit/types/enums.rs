//! Enums: string and integer enums (with an `Unknown` variant for values the spec does not list),
//! `oneOf` without a discriminator (variants tried best fit first) and with one (dispatched by a tag).

use super::{variant_type, Context};
use crate::emit::docs;
use crate::emit::rust_type::ident;
use crate::ir::{EnumVariant, IntegerVariant, TaggedVariant, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// A string enum, with `Unknown` for values the spec does not list. Its serde impls are written
/// out rather than derived: a derive with an untagged fallback variant expands to several times
/// the code (content buffering, a field visitor), and string enums are a fifth of a large spec's
/// types.
pub(super) fn string_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[EnumVariant],
    cfg: &TokenStream,
) -> TokenStream {
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote! { #variant, }
    });
    let values = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote! { #variant = #wire, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#declared)*
            /// A value this version of the spec does not list; kept as sent.
            Unknown(String),
        }

        #cfg
        crate::runtime::string_enum! {
            #name { #(#values)* }
            serialize;
            deserialize;
        }
    }
}

/// `oneOf`/`anyOf` without a discriminator: serialized untagged; decoded by trying the variants
/// best fit first (by the [`Shape`] of each object variant; in spec order when no variant is an
/// object type, or there is one variant), and a value that matches none fails naming every
/// variant and why.
///
/// [`Shape`]: crate::runtime::Shape
pub(super) fn untagged(
    type_name: &str,
    doc: &TokenStream,
    eq: &TokenStream,
    variants: &[(String, TypeRef)],
    boxed: &[usize],
    cfg: &TokenStream,
    ctx: &Context<'_>,
) -> TokenStream {
    let name = ident(type_name);
    let variant_tokens = variants.iter().enumerate().map(|(i, (variant, ty))| {
        let variant = ident(variant);
        let ty = variant_type(ty, boxed.contains(&i));
        quote! { #variant(#ty), }
    });
    let attempt = |variant: &str| {
        let shown = variant.trim_start_matches("r#");
        let variant = ident(variant);
        quote! {
            if let Some(value) = tried.attempt(#shown) {
                return Ok(Self::#variant(value));
            }
        }
    };
    let shapes: Vec<Option<TokenStream>> = variants.iter().map(|(_, ty)| ctx.shape(ty)).collect();
    let attempts = if variants.len() < 2 || shapes.iter().all(Option::is_none) {
        let attempts = variants.iter().map(|(variant, _)| attempt(variant));
        quote!(#(#attempts)*)
    } else {
        let shapes = shapes.iter().map(|shape| match shape {
            Some(shape) => quote!(Some(#shape)),
            None => quote!(None),
        });
        let arms = variants.iter().enumerate().map(|(i, (variant, _))| {
            let attempt = attempt(variant);
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(#i => #attempt)
        });
        quote! {
            for variant in tried.ranked(&[#(#shapes),*]) {
                match variant {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variant_tokens)*
        }

        #cfg
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = crate::runtime::buffer(deserializer)?;
                let mut tried = crate::runtime::Variants::new(#type_name, &value);
                #attempts
                Err(tried.no_match())
            }
        }
    }
}

impl Context<'_> {
    /// The [`Shape`](crate::runtime::Shape) of a union variant that is an object type (through
    /// aliases and `null`): its properties, the required ones, the values of its enum properties.
    fn shape(&self, ty: &TypeRef) -> Option<TokenStream> {
        let ty = match ty {
            TypeRef::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let TypeRef::Named(name) = self.resolve(ty, 0) else { return None };
        let TypeKind::Struct { fields, additional } = &self.by_name.get(name.as_str())?.kind else { return None };
        let properties = fields.iter().map(|f| &f.wire_name);
        let required = fields.iter().filter(|f| f.required).map(|f| &f.wire_name);
        let values = fields.iter().filter_map(|f| {
            let listed = self.listed_values(&f.ty)?;
            let wire = &f.wire_name;
            Some(quote!((#wire, &[#(#listed),*])))
        });
        let open = additional.is_some();
        Some(quote! {
            crate::runtime::Shape {
                properties: &[#(#properties),*],
                required: &[#(#required),*],
                values: &[#(#values),*],
                open: #open,
            }
        })
    }

    /// The values an enum type lists (integers in decimal), through aliases and `null`.
    fn listed_values(&self, ty: &TypeRef) -> Option<Vec<String>> {
        let ty = match ty {
            TypeRef::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        let TypeRef::Named(name) = self.resolve(ty, 0) else { return None };
        match &self.by_name.get(name.as_str())?.kind {
            TypeKind::StringEnum { variants } => Some(variants.iter().map(|v| v.wire_value.clone()).collect()),
            TypeKind::IntegerEnum { variants } => Some(variants.iter().map(|v| v.value.to_string()).collect()),
            _ => None,
        }
    }
}

/// An integer enum: one variant per value (`V1`, `Minus1`) and `Unknown(i64)` for the rest,
/// converted through `i64` so every value round-trips.
pub(super) fn integer_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[IntegerVariant],
    cfg: &TokenStream,
) -> TokenStream {
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let text = format!(" `{}`", v.value);
        quote! { #[doc = #text] #variant, }
    });
    let to_value = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote! { #name::#variant => #value, }
    });
    let from_value = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = v.value;
        quote! { #value => Self::#variant, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "i64", into = "i64")]
        pub enum #name {
            #(#declared)*
            /// A value this version of the spec does not list; kept as sent.
            Unknown(i64),
        }

        #cfg
        impl #name {
            /// The value on the wire.
            pub fn value(self) -> i64 {
                self.into()
            }
        }

        #cfg
        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_value)*
                    other => Self::Unknown(other),
                }
            }
        }

        #cfg
        impl From<#name> for i64 {
            fn from(value: #name) -> Self {
                match value {
                    #(#to_value)*
                    #name::Unknown(other) => other,
                }
            }
        }
    }
}

/// `oneOf` with a discriminator: the property's value picks the variant, whose failure to decode
/// is reported as such; unlisted (or missing) discriminator values are kept in `Unknown`.
/// Serialization writes the variant as is, adding the discriminator if its fields lack it.
pub(super) fn tagged(
    type_name: &str,
    doc: &TokenStream,
    eq: &TokenStream,
    property: &str,
    variants: &[TaggedVariant],
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(type_name);
    let variant_tokens = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = variant_type(&v.ty, v.boxed);
        let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
        let text = docs::line(&format!("`{property}`: {}.", tags.join(", ")));
        quote! { #[doc = #text] #variant(#ty), }
    });
    let unknown_doc =
        docs::line(&format!("A `{property}` this version of the spec does not list (or none); kept as received."));
    let serialize = {
        let arms = variants.iter().map(|v| {
            let variant = ident(&v.name);
            let tag = v.tags.first().cloned().unwrap_or_default();
            quote! { Self::#variant(value) => crate::runtime::serialize_tagged(serializer, #property, #tag, value), }
        });
        quote! {
            #cfg
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #(#arms)*
                        Self::Unknown(value) => serde::Serialize::serialize(value, serializer),
                    }
                }
            }
        }
    };
    let deserialize = {
        let arms = variants.iter().map(|v| {
            let variant = ident(&v.name);
            let shown = v.name.trim_start_matches("r#");
            let tags = &v.tags;
            let pattern = if tags.len() == 1 { quote!(#(#tags)*) } else { quote!((#(#tags)|*)) };
            quote! {
                Some(tag @ #pattern) => Self::#variant(tried.dispatched::<_, D::Error>(#shown, #property, tag)?),
            }
        });
        quote! {
            #cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = crate::runtime::buffer(deserializer)?;
                    let tried = crate::runtime::Variants::new(#type_name, &value);
                    Ok(match crate::runtime::tag_of(&value, #property) {
                        #(#arms)*
                        _ => Self::Unknown(value),
                    })
                }
            }
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq)]
        pub enum #name {
            #(#variant_tokens)*
            #[doc = #unknown_doc]
            Unknown(serde_json::Value),
        }

        #serialize
        #deserialize
    }
}

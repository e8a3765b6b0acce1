//! Security schemes into the credentials a client can be configured with.

use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{SchemeKind, SecurityScheme};
use crate::naming::{const_name, value_name, Namespace, BUILDER_METHODS, CLIENT_CONSTANTS};
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr};

/// The spec's security schemes, in spec order.
pub(super) fn schemes(spec: &OpenAPI, diagnostics: &mut Vec<Diagnostic>) -> Vec<SecurityScheme> {
    let Some(components) = &spec.components else { return Vec::new() };
    let mut setters = Namespace::with_reserved(BUILDER_METHODS);
    let mut constants = Namespace::with_reserved(CLIENT_CONSTANTS);
    let base = pointer(["components", "securitySchemes"]);
    components
        .security_schemes
        .iter()
        .filter_map(|(key, scheme)| {
            let here = child(&base, key);
            let ReferenceOr::Item(scheme) = scheme else {
                diagnostics.push(Diagnostic::warning(
                    "W0040",
                    here,
                    "a `$ref` security scheme is not supported: skipped",
                ));
                return None;
            };
            let (kind, description) = match scheme {
                openapiv3::SecurityScheme::APIKey { location, name, description, .. } => (
                    match location {
                        APIKeyLocation::Header => SchemeKind::ApiKeyHeader(name.clone()),
                        APIKeyLocation::Query => SchemeKind::ApiKeyQuery(name.clone()),
                        APIKeyLocation::Cookie => SchemeKind::ApiKeyCookie(name.clone()),
                    },
                    description,
                ),
                openapiv3::SecurityScheme::HTTP { scheme, description, .. } => {
                    match scheme.to_ascii_lowercase().as_str() {
                        "bearer" => (SchemeKind::Bearer, description),
                        "basic" => (SchemeKind::Basic, description),
                        other => {
                            diagnostics.push(Diagnostic::warning(
                                "W0041",
                                here,
                                format!("http scheme `{other}` is not supported: the client cannot set it"),
                            ));
                            return None;
                        }
                    }
                }
                // OAuth2 and OpenID Connect both end in a bearer token; obtaining it is the caller's job.
                openapiv3::SecurityScheme::OAuth2 { description, .. }
                | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
            };
            let wanted = value_name(key);
            let setter = setters.claim(wanted.clone(), "_");
            if setters.is_reserved(&wanted) {
                diagnostics.push(Diagnostic::warning(
                    "W0059",
                    here,
                    format!(
                        "security scheme `{key}` would be set by `ClientBuilder::{wanted}`, which every builder has: \
                         its setter is `{setter}`"
                    ),
                ));
            }
            Some(SecurityScheme {
                key: key.clone(),
                setter,
                constant: constants.claim(const_name(key), "_"),
                kind,
                description: description.clone(),
            })
        })
        .collect()
}

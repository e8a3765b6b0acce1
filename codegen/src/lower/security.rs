//! Security schemes into the credentials a client can be configured with.

use crate::diagnostics::{child, pointer, Diagnostic};
use crate::ir::{ClientCredentialsFlow, SchemeKind, SecurityScheme};
use crate::naming::{const_name, value_name, Namespace, BUILDER_METHODS, CLIENT_CONSTANTS};
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr};

/// The spec's security schemes, in spec order.
///
/// Each gets a setter named after it; an OAuth2 scheme with a client-credentials flow also gets
/// `<setter>_client_credentials` and `<setter>_client_credentials_with`, claimed after every
/// scheme's setter (derived names never rename a spec name).
pub(super) fn schemes(spec: &OpenAPI, diagnostics: &mut Vec<Diagnostic>) -> Vec<SecurityScheme> {
    let Some(components) = &spec.components else { return Vec::new() };
    let mut setters = Namespace::with_reserved(BUILDER_METHODS);
    let mut constants = Namespace::with_reserved(CLIENT_CONSTANTS);
    let base = pointer(["components", "securitySchemes"]);
    let mut schemes: Vec<SecurityScheme> = components
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
            let mut flow = None;
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
                // OAuth2 and OpenID Connect both end in a bearer token. The client fetches it itself
                // only for a client-credentials flow; the other flows need a user, so the caller
                // brings the token.
                openapiv3::SecurityScheme::OAuth2 { flows, description, .. } => {
                    flow = flows.client_credentials.as_ref().map(|flow| ClientCredentialsFlow {
                        token_url: flow.token_url.clone(),
                        scopes: flow.scopes.iter().map(|(name, about)| (name.clone(), about.clone())).collect(),
                        setter: String::new(),
                        setter_with: String::new(),
                    });
                    (SchemeKind::Bearer, description)
                }
                openapiv3::SecurityScheme::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
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
                client_credentials: flow,
            })
        })
        .collect();
    for scheme in &mut schemes {
        let setter = scheme.setter.trim_start_matches("r#").trim_end_matches('_').to_owned();
        if let Some(flow) = &mut scheme.client_credentials {
            flow.setter = setters.claim(format!("{setter}_client_credentials"), "_");
            flow.setter_with = setters.claim(format!("{setter}_client_credentials_with"), "_");
        }
    }
    schemes
}

//! Authentication: credentials, the spec's security schemes, and which credentials a request uses.

use std::fmt;
use std::sync::Arc;

use super::error::Error;
use super::oauth::{ClientCredentials, TokenSource};

/// A credential (token, API key or password). `Debug` prints `Secret(***)`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How one security scheme from the spec is applied to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP basic authentication with a username and password.
    Basic,
    /// An API key sent in the named header.
    ApiKeyHeader(&'static str),
    /// An API key sent as the named query parameter.
    ApiKeyQuery(&'static str),
    /// An API key sent as the named cookie.
    ApiKeyCookie(&'static str),
}

/// One security scheme declared by the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec; credentials are configured under this name.
    pub name: &'static str,
    /// How the credential is applied.
    pub kind: SchemeKind,
}

/// Alternatives (OR) of requirements (AND). Empty slice = no auth needed. An inner empty slice =
/// "auth optional".
pub type Security = &'static [&'static [&'static SecurityScheme]];

/// A configured credential: a token or API key, a basic username and password, or an OAuth2
/// client-credentials flow (as configured, then with its token cache once the transport is built).
#[derive(Clone)]
pub(super) enum Credential {
    Token(Secret),
    Basic { username: String, password: Secret },
    ClientCredentials { token_url: &'static str, config: Box<ClientCredentials> },
    OAuth(Arc<TokenSource>),
}

/// The credentials configured on a transport, by security scheme name.
#[derive(Clone, Default)]
pub(super) struct Credentials(Vec<(&'static str, Credential)>);

impl Credentials {
    /// Sets the credential of `scheme`, replacing an earlier one.
    pub(super) fn set(&mut self, scheme: &'static str, credential: Credential) {
        self.0.retain(|(name, _)| *name != scheme);
        self.0.push((scheme, credential));
    }

    /// Starts the token cache of each client-credentials flow, its token URL resolved against
    /// `base_url`.
    pub(super) fn start_token_sources(&mut self, base_url: &str) -> Result<(), Error> {
        for &mut (scheme, ref mut credential) in &mut self.0 {
            if let &mut Credential::ClientCredentials { token_url, ref config } = credential {
                let source = TokenSource::new(scheme, token_url, (**config).clone(), base_url)?;
                *credential = Credential::OAuth(Arc::new(source));
            }
        }
        Ok(())
    }

    /// The names of the schemes with a credential (what `Debug` shows instead of the secrets).
    pub(super) fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|(name, _)| *name).collect()
    }

    /// The credential configured for `scheme`, if it is of the scheme's kind.
    pub(super) fn for_scheme(&self, scheme: &SecurityScheme) -> Option<&Credential> {
        let (_, credential) = self.0.iter().find(|(name, _)| *name == scheme.name)?;
        match (scheme.kind, credential) {
            (SchemeKind::Basic, Credential::Basic { .. }) => Some(credential),
            (SchemeKind::Basic, _) | (_, Credential::Basic { .. }) => None,
            (SchemeKind::Bearer, _) => Some(credential),
            (_, Credential::ClientCredentials { .. } | Credential::OAuth(_)) => None,
            _ => Some(credential),
        }
    }

    /// The first alternative whose schemes all have a configured credential.
    pub(super) fn select(
        &self,
        operation: &'static str,
        security: Security,
    ) -> Result<&'static [&'static SecurityScheme], Error> {
        if security.is_empty() {
            return Ok(&[]);
        }
        let usable = |alternative: &&[&SecurityScheme]| alternative.iter().all(|s| self.for_scheme(s).is_some());
        security.iter().copied().find(usable).ok_or_else(|| {
            let names = |alt: &&[&SecurityScheme]| alt.iter().map(|s| s.name).collect::<Vec<_>>().join(" + ");
            let schemes = security.iter().map(names).collect::<Vec<_>>().join(", or ");
            Error::MissingCredentials { operation, schemes }
        })
    }
}

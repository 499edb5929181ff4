//! The bodies of the routes for applications that check access tokens themselves:
//! `GET /.well-known/jwks.json` answers the keyring's JWK Set (`pwreset_core::secrets::JwkSet`,
//! OpenAPI `JwkSet`); `POST /oauth/introspect` (RFC 7662) reads [`IntrospectionRequest`] and
//! answers [`Introspection`], or fails with [`OAuthError`] (RFC 6749 §5.2's shape).

use pwreset_core::secrets::VerifiedAccessToken;
use serde::{Deserialize, Serialize};

use super::request::{BodyError, Field, RequestBody};

/// `POST /oauth/introspect`'s body (OpenAPI `IntrospectionRequest`), as a form
/// (`application/x-www-form-urlencoded`) or a JSON object; other parameters (RFC 7662's
/// `token_type_hint`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IntrospectionRequest {
    /// The access token asked about.
    pub token: Field<String>,
}

impl RequestBody for IntrospectionRequest {
    /// The token, not empty.
    type Checked = String;

    fn check(self) -> Result<String, BodyError> {
        let token = self.token.required("token")?;
        if token.is_empty() {
            return Err(BodyError::Missing("token"));
        }
        Ok(token)
    }
}

/// What introspection says of a token (OpenAPI `IntrospectionInactive` or `IntrospectionActive`):
/// `{"active":false}` alone, or `active` with the token's claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Introspection {
    /// Whether the token is good now.
    pub active: bool,
    /// Its audience (`aud`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// Its expiry, unix seconds (`exp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<u64>,
    /// When it was issued, unix seconds (`iat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Its issuer (`iss`: `PUBLIC_URL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Its id (`jti`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// The account it authenticates (`sub`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
}

impl Introspection {
    /// `{"active":false}`: nothing about why.
    pub fn inactive() -> Self {
        Self {
            active: false,
            aud: None,
            exp: None,
            iat: None,
            iss: None,
            jti: None,
            sub: None,
        }
    }

    /// An active token's claims; `issuer` and `audience` are the ones it was verified against.
    pub fn active(token: &VerifiedAccessToken, issuer: &str, audience: &str) -> Self {
        Self {
            active: true,
            aud: Some(audience.to_owned()),
            exp: Some(token.expires_at.as_secs()),
            iat: Some(token.issued_at.as_secs()),
            iss: Some(issuer.to_owned()),
            jti: Some(token.jti.clone()),
            sub: Some(token.subject.clone()),
        }
    }
}

/// A failure of `POST /oauth/introspect` (OpenAPI `OAuthError`): RFC 6749 §5.2's shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OAuthError {
    /// The code: `invalid_request`, `invalid_token`, `rate_limited` or `temporarily_unavailable`.
    pub error: String,
    /// A sentence for people.
    pub error_description: String,
}

impl OAuthError {
    /// A failure coded `error`.
    pub fn new(error: &str, description: &str) -> Self {
        Self {
            error: error.to_owned(),
            error_description: description.to_owned(),
        }
    }
}

//! Access tokens: HS256 JWTs, one format for every dialect, revoked by a password change.
//!
//! Claims: `sub` (account id), `iss`, `aud`, `iat`, `exp`, `jti` (random), and `pfp`, the base64url
//! [`PasswordFingerprint`] of the account's password state when issued. The header names the key
//! (`kid`). The HS256 key is the keyring entry's access-token key ([`super::derive_purpose_key`] with
//! [`super::KeyPurpose::AccessToken`]), so any JWT library holding it can verify a token's signature.
//!
//! Verification is two steps because the second needs storage: [`AccessTokenIssuer::verify`]
//! checks signature, issuer, audience and expiry and yields the subject; the caller looks up that
//! account's password state and [`PendingAccessToken::confirm_password_state`] finishes.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_compact::alg::{Hs256, Hs256Key};
use jwt_compact::{AlgorithmExt, Claims, Header, UntrustedToken};
use serde::{Deserialize, Serialize};

use super::fingerprint::PasswordFingerprint;
use super::keyring::{KeyPurpose, Keyring};
use super::random::{RandomUnavailable, random_bytes};

/// Longer text is refused before parsing.
const MAX_TOKEN_LEN: usize = 4096;

#[derive(Serialize, Deserialize)]
struct CustomClaims {
    sub: String,
    iss: String,
    aud: String,
    jti: String,
    pfp: String,
}

/// Issues and verifies access tokens for one issuer and audience.
#[derive(Clone, Debug)]
pub struct AccessTokenIssuer {
    /// The `iss` claim.
    pub issuer: String,
    /// The `aud` claim.
    pub audience: String,
    /// Lifetime in seconds.
    pub ttl_seconds: u64,
}

/// An encoded access token: a bearer secret, not `Debug`-printed, revealed by name.
pub struct AccessToken(String);

impl AccessToken {
    /// The compact JWT, for the response that hands it to the client. Nowhere else.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Why a token was refused (for logs; a Bearer route answers 401 to all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessTokenError {
    /// Not a compact HS256 JWT with our claims.
    Malformed,
    /// Names a key the keyring does not have.
    UnknownKey,
    /// The signature does not hold.
    BadSignature,
    /// Past `exp`.
    Expired,
    /// Another issuer or audience.
    WrongIssuerOrAudience,
    /// The password changed since it was issued.
    Revoked,
    /// No randomness for `jti` (issuing only).
    Random(RandomUnavailable),
}

impl fmt::Display for AccessTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessTokenError::Malformed => f.write_str("malformed access token"),
            AccessTokenError::UnknownKey => f.write_str("access token names an unknown key"),
            AccessTokenError::BadSignature => f.write_str("access token signature does not verify"),
            AccessTokenError::Expired => f.write_str("access token has expired"),
            AccessTokenError::WrongIssuerOrAudience => {
                f.write_str("access token is for another issuer or audience")
            }
            AccessTokenError::Revoked => {
                f.write_str("access token was revoked by a password change")
            }
            AccessTokenError::Random(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for AccessTokenError {}

/// A unix time as jwt-compact's time type (the far future when out of its range).
fn moment(secs: u64) -> chrono::DateTime<chrono::Utc> {
    i64::try_from(secs)
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
}

impl AccessTokenIssuer {
    /// Issues a token for `subject` whose password state is `password_state`, at `now` (unix seconds).
    pub fn issue(
        &self,
        keyring: &Keyring,
        subject: &str,
        password_state: &str,
        now: u64,
    ) -> Result<AccessToken, AccessTokenError> {
        let key = keyring.signing_key(KeyPurpose::AccessToken);
        let fingerprint = PasswordFingerprint::compute(keyring, key.id(), subject, password_state)
            .expect("the signing key is in the keyring");
        let jti: [u8; 16] = random_bytes().map_err(AccessTokenError::Random)?;
        let custom = CustomClaims {
            sub: subject.to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            jti: URL_SAFE_NO_PAD.encode(jti),
            pfp: URL_SAFE_NO_PAD.encode(fingerprint.to_bytes()),
        };
        let mut claims = Claims::new(custom);
        claims.issued_at = Some(moment(now));
        claims.expiration = Some(moment(now.saturating_add(self.ttl_seconds)));
        let header = Header::empty().with_key_id(key.id());
        let token = Hs256
            .token(&header, &claims, &Hs256Key::new(key.bytes()))
            .map_err(|_| AccessTokenError::Malformed)?;
        Ok(AccessToken(token))
    }

    /// Checks the signature, issuer, audience and expiry of `token` at `now`.
    pub fn verify<'k>(
        &self,
        keyring: &'k Keyring,
        token: &str,
        now: u64,
    ) -> Result<PendingAccessToken<'k>, AccessTokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(AccessTokenError::Malformed);
        }
        let untrusted = UntrustedToken::new(token).map_err(|_| AccessTokenError::Malformed)?;
        let key_id = untrusted
            .header()
            .key_id
            .as_deref()
            .ok_or(AccessTokenError::Malformed)?;
        let key = keyring
            .key(key_id, KeyPurpose::AccessToken)
            .ok_or(AccessTokenError::UnknownKey)?;
        let verified = Hs256
            .validator::<CustomClaims>(&Hs256Key::new(key.bytes()))
            .validate(&untrusted)
            .map_err(|e| match e {
                jwt_compact::ValidationError::InvalidSignature => AccessTokenError::BadSignature,
                _ => AccessTokenError::Malformed,
            })?;
        let claims = verified.claims();
        // RFC 7519 4.1.4: not valid on or after `exp` (jwt-compact accepts `exp` itself).
        let expires_at = claims
            .expiration
            .and_then(|exp| u64::try_from(exp.timestamp()).ok())
            .ok_or(AccessTokenError::Malformed)?;
        if now >= expires_at {
            return Err(AccessTokenError::Expired);
        }
        let custom = &claims.custom;
        if custom.iss != self.issuer || custom.aud != self.audience {
            return Err(AccessTokenError::WrongIssuerOrAudience);
        }
        let fingerprint: [u8; PasswordFingerprint::LEN] = URL_SAFE_NO_PAD
            .decode(&custom.pfp)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(AccessTokenError::Malformed)?;
        if custom.sub.is_empty() {
            return Err(AccessTokenError::Malformed);
        }
        Ok(PendingAccessToken {
            keyring,
            key_id: key.id(),
            subject: custom.sub.clone(),
            fingerprint: PasswordFingerprint::from_bytes(fingerprint),
            expires_at,
        })
    }
}

/// A token whose signature and claims hold, awaiting its account's current password state.
#[derive(Debug)]
pub struct PendingAccessToken<'k> {
    keyring: &'k Keyring,
    key_id: &'k str,
    subject: String,
    fingerprint: PasswordFingerprint,
    expires_at: u64,
}

impl PendingAccessToken<'_> {
    /// The account to look up.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Finishes verification: the token holds only if the account's password state is still the
    /// one it was issued against.
    pub fn confirm_password_state(
        self,
        password_state: &str,
    ) -> Result<VerifiedAccessToken, AccessTokenError> {
        let current =
            PasswordFingerprint::compute(self.keyring, self.key_id, &self.subject, password_state)
                .ok_or(AccessTokenError::UnknownKey)?;
        if !current.matches(&self.fingerprint) {
            return Err(AccessTokenError::Revoked);
        }
        Ok(VerifiedAccessToken {
            subject: self.subject,
            expires_at: self.expires_at,
        })
    }
}

/// A fully verified token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedAccessToken {
    /// The account it authenticates.
    pub subject: String,
    /// Its expiry (unix seconds).
    pub expires_at: u64,
}

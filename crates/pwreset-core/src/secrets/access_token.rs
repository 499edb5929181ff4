//! Access tokens: HS256 JWTs, one format for every dialect, revoked by a password change.
//!
//! Claims: `sub` (account id), `iss`, `aud`, `iat`, `exp`, `jti` (random), and `pfp`, the base64url
//! fingerprint of the account's [`PasswordState`] when issued. The header names the key (`kid`).
//! The HS256 key is the keyring entry's access-token key ([`super::derive_purpose_key`] with
//! [`super::KeyPurpose::AccessToken`]), so any JWT library holding it can verify a token's
//! signature.
//!
//! What a valid signature is not enough for: a header with `crit` is refused (RFC 7515 §4.1.11:
//! this verifier understands no extension); `iat` and `exp` must be present and be integers; `iat`
//! and `nbf` may lie at most [`MAX_CLOCK_SKEW_SECS`] ahead; `exp - iat` may not exceed
//! [`MAX_SECRET_LIFETIME_SECS`].
//!
//! Verification is two steps because the second needs storage: [`AccessTokenIssuer::verify`]
//! checks all of the above, issuer and audience, and yields the subject; the caller looks up that
//! account's password state and [`PendingAccessToken::confirm_password_state`] finishes.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_compact::alg::{Hs256, Hs256Key};
use jwt_compact::{AlgorithmExt, Claims, Empty, Header, UntrustedToken, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fingerprint::PasswordFingerprint;
use super::keyring::{KeyPurpose, Keyring};
use super::password_state::PasswordState;
use super::random::{RandomUnavailable, random_bytes};
use super::{MAX_CLOCK_SKEW_SECS, MAX_SECRET_LIFETIME_SECS};
use crate::UnixTime;

/// Longer text is refused before parsing.
const MAX_TOKEN_LEN: usize = 4096;
/// The longest `jti` accepted (ours are 22 characters).
const MAX_JTI_LEN: usize = 128;

/// The claims this crate writes besides `iat` and `exp` (which jwt-compact writes).
#[derive(Serialize)]
struct IssuedClaims<'a> {
    sub: &'a str,
    iss: &'a str,
    aud: &'a str,
    jti: String,
    pfp: String,
}

/// The claims as verification reads them: every time an integer, `iat` and `exp` required.
#[derive(Deserialize)]
struct ReadClaims {
    sub: String,
    iss: String,
    aud: String,
    jti: String,
    pfp: String,
    iat: u64,
    exp: u64,
    #[serde(default)]
    nbf: Option<u64>,
}

/// Issues and verifies access tokens for one issuer and audience.
#[derive(Clone, Debug)]
pub struct AccessTokenIssuer {
    /// The `iss` claim.
    pub issuer: String,
    /// The `aud` claim.
    pub audience: String,
    /// Lifetime in seconds: 1 to [`MAX_SECRET_LIFETIME_SECS`].
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessTokenError {
    /// Not a compact HS256 JWT with our claims (integer `iat` and `exp` included).
    #[error("malformed access token")]
    Malformed,
    /// Names a key the keyring does not have.
    #[error("access token names an unknown key")]
    UnknownKey,
    /// The signature does not hold.
    #[error("access token signature does not verify")]
    BadSignature,
    /// The header has `crit`: extensions this verifier must understand, and understands none.
    #[error("access token header names critical extensions")]
    CriticalHeader,
    /// The lifetime is 0 or beyond [`MAX_SECRET_LIFETIME_SECS`] (issuing: the issuer's
    /// `ttl_seconds`; verifying: `exp - iat`), or ends beyond what a JWT time can carry.
    #[error("access token lifetime must be 1 s to 24 h")]
    Lifetime,
    /// `iat` or `nbf` is later than now plus [`MAX_CLOCK_SKEW_SECS`].
    #[error("access token is not valid yet")]
    NotYetValid,
    /// At or past `exp`.
    #[error("access token has expired")]
    Expired,
    /// Another issuer or audience.
    #[error("access token is for another issuer or audience")]
    WrongIssuerOrAudience,
    /// The password state changed since it was issued.
    #[error("access token was revoked by a password change")]
    Revoked,
    /// No randomness for `jti` (issuing only).
    #[error(transparent)]
    Random(#[from] RandomUnavailable),
}

/// A unix time as jwt-compact's time type; `None` beyond its range.
fn moment(time: UnixTime) -> Option<chrono::DateTime<chrono::Utc>> {
    i64::try_from(time.as_secs())
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
}

impl AccessTokenIssuer {
    /// Issues a token for `subject` whose password state is `state`, at `now`.
    pub fn issue(
        &self,
        keyring: &Keyring,
        subject: &str,
        state: &PasswordState,
        now: UnixTime,
    ) -> Result<AccessToken, AccessTokenError> {
        if !(1..=MAX_SECRET_LIFETIME_SECS).contains(&self.ttl_seconds) {
            return Err(AccessTokenError::Lifetime);
        }
        if subject.is_empty() {
            return Err(AccessTokenError::Malformed);
        }
        let (Some(issued_at), Some(expiration)) =
            (moment(now), moment(now.saturating_add(self.ttl_seconds)))
        else {
            return Err(AccessTokenError::Lifetime);
        };
        let key = keyring.signing_key(KeyPurpose::AccessToken);
        let fingerprint = PasswordFingerprint::compute(keyring, key.id(), subject, state)
            .expect("the signing key is in the keyring");
        let jti: [u8; 16] = random_bytes()?;
        let mut claims = Claims::new(IssuedClaims {
            sub: subject,
            iss: &self.issuer,
            aud: &self.audience,
            jti: URL_SAFE_NO_PAD.encode(jti),
            pfp: URL_SAFE_NO_PAD.encode(fingerprint.to_bytes()),
        });
        claims.issued_at = Some(issued_at);
        claims.expiration = Some(expiration);
        let header = Header::empty().with_key_id(key.id());
        let token = Hs256
            .token(&header, &claims, &Hs256Key::new(key.bytes()))
            .map_err(|_| AccessTokenError::Malformed)?;
        // Never hand out what `verify` would refuse (a very long subject makes a long token).
        if token.len() > MAX_TOKEN_LEN {
            return Err(AccessTokenError::Malformed);
        }
        Ok(AccessToken(token))
    }

    /// Checks `token` at `now`: shape, key, signature, header, times, issuer and audience (see the
    /// module docs). Look up the subject's password state, then
    /// [`PendingAccessToken::confirm_password_state`].
    pub fn verify<'k>(
        &self,
        keyring: &'k Keyring,
        token: &str,
        now: UnixTime,
    ) -> Result<PendingAccessToken<'k>, AccessTokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(AccessTokenError::Malformed);
        }
        let untrusted = UntrustedToken::<Map<String, Value>>::try_from(token)
            .map_err(|_| AccessTokenError::Malformed)?;
        let key_id = untrusted
            .header()
            .key_id
            .as_deref()
            .ok_or(AccessTokenError::Malformed)?;
        let key = keyring
            .key(key_id, KeyPurpose::AccessToken)
            .ok_or(AccessTokenError::UnknownKey)?;
        Hs256
            .validator::<Empty>(&Hs256Key::new(key.bytes()))
            .validate(&untrusted)
            .map_err(|e| match e {
                ValidationError::InvalidSignature => AccessTokenError::BadSignature,
                _ => AccessTokenError::Malformed,
            })?;
        if untrusted.header().other_fields.contains_key("crit") {
            return Err(AccessTokenError::CriticalHeader);
        }
        let claims = read_claims(token).ok_or(AccessTokenError::Malformed)?;
        let issued_at = UnixTime::from_secs(claims.iat);
        let expires_at = UnixTime::from_secs(claims.exp);
        match expires_at.secs_since(issued_at) {
            Some(lifetime) if (1..=MAX_SECRET_LIFETIME_SECS).contains(&lifetime) => {}
            _ => return Err(AccessTokenError::Lifetime),
        }
        let latest_start = now.saturating_add(MAX_CLOCK_SKEW_SECS);
        let not_before = claims.nbf.map(UnixTime::from_secs);
        if issued_at > latest_start || not_before.is_some_and(|nbf| nbf > latest_start) {
            return Err(AccessTokenError::NotYetValid);
        }
        // RFC 7519 §4.1.4: not valid on or after `exp`.
        if now >= expires_at {
            return Err(AccessTokenError::Expired);
        }
        if claims.iss != self.issuer || claims.aud != self.audience {
            return Err(AccessTokenError::WrongIssuerOrAudience);
        }
        let fingerprint: [u8; PasswordFingerprint::LEN] = URL_SAFE_NO_PAD
            .decode(&claims.pfp)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(AccessTokenError::Malformed)?;
        if claims.sub.is_empty() || claims.jti.is_empty() || claims.jti.len() > MAX_JTI_LEN {
            return Err(AccessTokenError::Malformed);
        }
        Ok(PendingAccessToken {
            keyring,
            key_id: key.id(),
            subject: claims.sub,
            jti: claims.jti,
            fingerprint: PasswordFingerprint::from_bytes(fingerprint),
            issued_at,
            expires_at,
        })
    }
}

/// The claims of a token whose signature was checked, read strictly (see [`ReadClaims`]).
fn read_claims(token: &str) -> Option<ReadClaims> {
    let encoded = token.split('.').nth(1)?;
    let json = URL_SAFE_NO_PAD.decode(encoded).ok()?;
    serde_json::from_slice(&json).ok()
}

/// A token whose signature and claims hold, awaiting its account's current password state.
#[derive(Debug)]
pub struct PendingAccessToken<'k> {
    keyring: &'k Keyring,
    key_id: &'k str,
    subject: String,
    jti: String,
    fingerprint: PasswordFingerprint,
    issued_at: UnixTime,
    expires_at: UnixTime,
}

impl PendingAccessToken<'_> {
    /// The account to look up.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The token's id, e.g. to look it up in a list of logged-out tokens.
    pub fn jti(&self) -> &str {
        &self.jti
    }

    /// Finishes verification: the token holds only if the account's password state is still the
    /// one it was issued against.
    pub fn confirm_password_state(
        self,
        state: &PasswordState,
    ) -> Result<VerifiedAccessToken, AccessTokenError> {
        let current = PasswordFingerprint::compute(self.keyring, self.key_id, &self.subject, state)
            .ok_or(AccessTokenError::UnknownKey)?;
        if !current.matches(&self.fingerprint) {
            return Err(AccessTokenError::Revoked);
        }
        Ok(VerifiedAccessToken {
            subject: self.subject,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            jti: self.jti,
        })
    }
}

/// A fully verified token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedAccessToken {
    /// The account it authenticates.
    pub subject: String,
    /// When it was issued (`iat`).
    pub issued_at: UnixTime,
    /// Its expiry (`exp`).
    pub expires_at: UnixTime,
    /// Its id (`jti`): to log out this one token, record it until `expires_at`.
    pub jti: String,
}

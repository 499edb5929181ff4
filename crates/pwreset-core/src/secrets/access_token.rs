//! Access tokens: JWTs signed `EdDSA` (Ed25519) that any application verifies with the public key
//! from the JWK Set; one format for every dialect, revoked by a password change.
//!
//! Claims: `sub` (account id), `iss`, `aud`, `iat`, `exp`, `jti` (random), and `pfp`, the base64url
//! fingerprint of the account's [`PasswordState`] when issued. The header is `{"alg":"EdDSA",
//! "kid":<keyring entry id>}`. Each keyring entry has an Ed25519 key pair derived from it
//! ([`KeyPurpose::AccessTokenEd25519`] → 32-byte seed); the newest entry signs, every entry
//! verifies, and [`Keyring::jwk_set`] publishes the public keys under the same ids, so a
//! verifier needs nothing secret.
//!
//! HS256, the format of earlier releases (HMAC under the entry's [`KeyPurpose::AccessToken`] key,
//! see [`super::derive_purpose_key`]), is issued only when [`AccessTokenAlgorithms::sign`] asks
//! for it and verified only when [`AccessTokenAlgorithms::accept_hs256`] allows it (a transition);
//! the defaults issue and accept `EdDSA` alone. Every other `alg` (`none`, `HS512`, `RS256`, …) is
//! refused before any key is used, keys come from the keyring only (a `jwk` or `jku` header is
//! ignored), and the HMAC key is never a public key, so no algorithm confusion forges a token.
//!
//! What a valid signature is not enough for, under either algorithm: a header with `crit` is
//! refused (RFC 7515 §4.1.11: this verifier understands no extension); `iat` and `exp` must be
//! present and be integers; `iat` and `nbf` may lie at most [`MAX_CLOCK_SKEW_SECS`] ahead;
//! `exp - iat` may not exceed [`MAX_SECRET_LIFETIME_SECS`].
//!
//! Verification is two steps because the second needs storage: [`AccessTokenIssuer::verify`]
//! checks all of the above, issuer and audience, and yields the subject; the caller looks up that
//! account's password state and [`PendingAccessToken::confirm_password_state`] finishes.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_compact::alg::{Ed25519, Hs256, Hs256Key};
use jwt_compact::{
    Algorithm, AlgorithmExt, Claims, Empty, Header, UntrustedToken, ValidationError,
};
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

/// The signature algorithm of an access token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AccessTokenAlgorithm {
    /// `EdDSA` with Ed25519 (RFC 8037): anyone verifies with the JWK Set's public key. The default.
    #[default]
    EdDsa,
    /// `HS256`: HMAC-SHA256 under the entry's [`KeyPurpose::AccessToken`] key, which only holders
    /// of the keyring have. The format of earlier releases, for a transition.
    Hs256,
}

impl AccessTokenAlgorithm {
    /// The header's `alg`: `EdDSA` or `HS256`.
    pub fn name(self) -> &'static str {
        match self {
            AccessTokenAlgorithm::EdDsa => "EdDSA",
            AccessTokenAlgorithm::Hs256 => "HS256",
        }
    }

    /// The algorithm a header's `alg` names, if it is one of these two (case-sensitive, RFC 7515).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "EdDSA" => Some(AccessTokenAlgorithm::EdDsa),
            "HS256" => Some(AccessTokenAlgorithm::Hs256),
            _ => None,
        }
    }
}

/// Which algorithm signs new access tokens and which verify. The default signs and accepts
/// `EdDSA` only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccessTokenAlgorithms {
    /// The algorithm new tokens are signed with.
    pub sign: AccessTokenAlgorithm,
    /// Whether HS256 tokens verify too (for a transition from HS256). `EdDSA` tokens always
    /// verify; an issuer that signs HS256 also accepts it, whatever this says.
    pub accept_hs256: bool,
}

impl AccessTokenAlgorithms {
    /// Signs and accepts `EdDSA` only: the default.
    pub const EDDSA_ONLY: Self = Self {
        sign: AccessTokenAlgorithm::EdDsa,
        accept_hs256: false,
    };

    /// Signs `EdDSA` and still accepts the HS256 tokens issued before the switch (until they have
    /// expired: at most [`MAX_SECRET_LIFETIME_SECS`]).
    pub const EDDSA_ACCEPTING_HS256: Self = Self {
        sign: AccessTokenAlgorithm::EdDsa,
        accept_hs256: true,
    };

    /// Signs HS256 as earlier releases did (and accepts both).
    pub const HS256: Self = Self {
        sign: AccessTokenAlgorithm::Hs256,
        accept_hs256: true,
    };

    /// Whether a token signed with `algorithm` may verify.
    pub fn accepts(self, algorithm: AccessTokenAlgorithm) -> bool {
        match algorithm {
            AccessTokenAlgorithm::EdDsa => true,
            AccessTokenAlgorithm::Hs256 => {
                self.accept_hs256 || self.sign == AccessTokenAlgorithm::Hs256
            }
        }
    }
}

/// Issues and verifies access tokens for one issuer and audience. [`AccessTokenIssuer::issue`]
/// and [`AccessTokenIssuer::verify`] use the default [`AccessTokenAlgorithms`] (`EdDSA` only);
/// the `_with` forms take the algorithms explicitly.
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
    /// Not a compact JWT with our claims (integer `iat` and `exp` included) and a `kid`.
    #[error("malformed access token")]
    Malformed,
    /// The header's `alg` is not `EdDSA`, nor `HS256` where HS256 is accepted.
    #[error("access token algorithm is not accepted")]
    Algorithm,
    /// Names a key the keyring does not have.
    #[error("access token names an unknown key")]
    UnknownKey,
    /// The signature does not hold (or is not a signature of the named algorithm's length).
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

/// A signature check's failure as an [`AccessTokenError`].
fn signature_error(error: ValidationError) -> AccessTokenError {
    match error {
        ValidationError::InvalidSignature
        | ValidationError::InvalidSignatureLen { .. }
        | ValidationError::MalformedSignature(_) => AccessTokenError::BadSignature,
        _ => AccessTokenError::Malformed,
    }
}

impl AccessTokenIssuer {
    /// Issues an `EdDSA` token for `subject` whose password state is `state`, at `now`, signed by
    /// the newest keyring entry.
    pub fn issue(
        &self,
        keyring: &Keyring,
        subject: &str,
        state: &PasswordState,
        now: UnixTime,
    ) -> Result<AccessToken, AccessTokenError> {
        self.issue_with(
            keyring,
            subject,
            state,
            now,
            AccessTokenAlgorithms::default(),
        )
    }

    /// Issues a token as [`AccessTokenIssuer::issue`] does, signed with `algorithms.sign`.
    pub fn issue_with(
        &self,
        keyring: &Keyring,
        subject: &str,
        state: &PasswordState,
        now: UnixTime,
        algorithms: AccessTokenAlgorithms,
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
        // Both algorithms sign with the newest entry, so `kid` is the same either way.
        let key_id = keyring.signing_key(KeyPurpose::AccessToken).id();
        let fingerprint = PasswordFingerprint::compute(keyring, key_id, subject, state)
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
        let header = Header::empty().with_key_id(key_id);
        let token = match algorithms.sign {
            AccessTokenAlgorithm::EdDsa => {
                let (_, signing_key) = keyring.ed25519_signing_key();
                Ed25519.token(&header, &claims, &signing_key)
            }
            AccessTokenAlgorithm::Hs256 => {
                let key = keyring.signing_key(KeyPurpose::AccessToken);
                Hs256.token(&header, &claims, &Hs256Key::new(key.bytes()))
            }
        }
        .map_err(|_| AccessTokenError::Malformed)?;
        // Never hand out what `verify` would refuse (a very long subject makes a long token).
        if token.len() > MAX_TOKEN_LEN {
            return Err(AccessTokenError::Malformed);
        }
        Ok(AccessToken(token))
    }

    /// Checks `token` at `now`, accepting `EdDSA` only: shape, algorithm, key, signature, header,
    /// times, issuer and audience (see the module docs). Look up the subject's password state,
    /// then [`PendingAccessToken::confirm_password_state`].
    pub fn verify<'k>(
        &self,
        keyring: &'k Keyring,
        token: &str,
        now: UnixTime,
    ) -> Result<PendingAccessToken<'k>, AccessTokenError> {
        self.verify_with(keyring, token, now, AccessTokenAlgorithms::default())
    }

    /// Checks `token` as [`AccessTokenIssuer::verify`] does, accepting the algorithms
    /// `algorithms` accepts ([`AccessTokenAlgorithms::accepts`]).
    pub fn verify_with<'k>(
        &self,
        keyring: &'k Keyring,
        token: &str,
        now: UnixTime,
        algorithms: AccessTokenAlgorithms,
    ) -> Result<PendingAccessToken<'k>, AccessTokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(AccessTokenError::Malformed);
        }
        let untrusted = UntrustedToken::<Map<String, Value>>::try_from(token)
            .map_err(|_| AccessTokenError::Malformed)?;
        let algorithm = AccessTokenAlgorithm::from_name(untrusted.algorithm())
            .filter(|&algorithm| algorithms.accepts(algorithm))
            .ok_or(AccessTokenError::Algorithm)?;
        let named = untrusted
            .header()
            .key_id
            .as_deref()
            .ok_or(AccessTokenError::Malformed)?;
        // Each algorithm's key comes from the keyring entry `kid` names, never from the token.
        let key_id = match algorithm {
            AccessTokenAlgorithm::EdDsa => {
                let (key_id, public) = keyring
                    .ed25519_verifying_key(named)
                    .ok_or(AccessTokenError::UnknownKey)?;
                check_signature(Ed25519, public, &untrusted)?;
                key_id
            }
            AccessTokenAlgorithm::Hs256 => {
                let key = keyring
                    .key(named, KeyPurpose::AccessToken)
                    .ok_or(AccessTokenError::UnknownKey)?;
                check_signature(Hs256, &Hs256Key::new(key.bytes()), &untrusted)?;
                key.id()
            }
        };
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
            key_id,
            algorithm,
            subject: claims.sub,
            jti: claims.jti,
            fingerprint: PasswordFingerprint::from_bytes(fingerprint),
            issued_at,
            expires_at,
        })
    }
}

/// Checks the signature of `token` (whose `alg` is `algorithm`'s) under `key`.
fn check_signature<A: Algorithm>(
    algorithm: A,
    key: &A::VerifyingKey,
    token: &UntrustedToken<'_, Map<String, Value>>,
) -> Result<(), AccessTokenError> {
    algorithm
        .validator::<Empty>(key)
        .validate(token)
        .map(drop)
        .map_err(signature_error)
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
    algorithm: AccessTokenAlgorithm,
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

    /// The algorithm it was signed with (e.g. to count the HS256 tokens still in use).
    pub fn algorithm(&self) -> AccessTokenAlgorithm {
        self.algorithm
    }

    /// The id of the keyring entry that signed it (the header's `kid`).
    pub fn key_id(&self) -> &str {
        self.key_id
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
            algorithm: self.algorithm,
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
    /// The algorithm it was signed with.
    pub algorithm: AccessTokenAlgorithm,
}

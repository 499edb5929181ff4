//! The JWK Set (RFC 7517 §5) of the keyring's access-token public keys, for
//! `GET /.well-known/jwks.json`: with it any application verifies an access token (`alg` `EdDSA`,
//! RFC 8037) without holding a secret.
//!
//! One key per keyring entry, newest first, each exactly
//! `{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":<entry id>,"x":<public key>}`,
//! `x` being the 32-byte Ed25519 public key in base64url without padding. The type holds only
//! public keys, so no private or symmetric material can be serialised.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::keyring::Keyring;

/// A JWK Set of Ed25519 public keys: serialises as `{"keys":[…]}`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct JwkSet {
    keys: Vec<Ed25519Jwk>,
}

impl JwkSet {
    /// The keys, newest first.
    pub fn keys(&self) -> &[Ed25519Jwk] {
        &self.keys
    }

    /// The key with this `kid`.
    pub fn find(&self, kid: &str) -> Option<&Ed25519Jwk> {
        self.keys.iter().find(|key| key.kid == kid)
    }

    /// The JSON document to serve (`Content-Type: application/json`).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a JWK Set is strings only")
    }
}

/// One public key of the set: `kty` `OKP`, `crv` `Ed25519`, `alg` `EdDSA`, `use` `sig`, a `kid`
/// and `x`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ed25519Jwk {
    kid: String,
    public_key: [u8; 32],
}

impl Ed25519Jwk {
    /// `kty`: an octet key pair (RFC 8037 §2).
    pub const KTY: &'static str = "OKP";
    /// `crv`: the curve.
    pub const CRV: &'static str = "Ed25519";
    /// `alg`: the JWS algorithm its tokens are signed with.
    pub const ALG: &'static str = "EdDSA";
    /// `use`: signatures.
    pub const USE: &'static str = "sig";

    /// `kid`: the id of the keyring entry, as in the header of the tokens it signs.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> &[u8; 32] {
        &self.public_key
    }

    /// `x`: the public key, base64url without padding.
    pub fn x(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public_key)
    }
}

impl Serialize for Ed25519Jwk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut jwk = serializer.serialize_struct("Ed25519Jwk", 6)?;
        jwk.serialize_field("kty", Self::KTY)?;
        jwk.serialize_field("crv", Self::CRV)?;
        jwk.serialize_field("alg", Self::ALG)?;
        jwk.serialize_field("use", Self::USE)?;
        jwk.serialize_field("kid", &self.kid)?;
        jwk.serialize_field("x", &self.x())?;
        jwk.end()
    }
}

impl Keyring {
    /// The JWK Set of every entry's access-token public key, newest first, each under the entry's
    /// id as `kid`: what `GET /.well-known/jwks.json` serves ([`JwkSet::to_json`]).
    pub fn jwk_set(&self) -> JwkSet {
        JwkSet {
            keys: self
                .ed25519_public_keys()
                .map(|(kid, public)| Ed25519Jwk {
                    kid: kid.to_owned(),
                    public_key: public.to_bytes(),
                })
                .collect(),
        }
    }
}

//! Signing keys with ids, parsed from one configuration string, and the per-purpose keys derived
//! from them.
//!
//! Format: entries `ID:KEY` separated by commas or white space, newest first. `ID` is 1–32 of
//! `A–Z a–z 0–9 _ -`; `KEY` is base64url without padding (as `pwreset keygen` prints it) and decodes to
//! 32–128 random bytes. The first entry signs; every entry verifies, so a key is rotated by putting a
//! new entry first and dropping the old one once its secrets have expired.
//!
//! Each entry also has an Ed25519 key pair for access tokens: the seed is the entry's
//! [`KeyPurpose::AccessTokenEd25519`] key, and the public key is published in the JWK Set
//! ([`Keyring::jwk_set`]) under the entry's id.

use std::str::FromStr;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The smallest key the keyring accepts, in bytes.
const MIN_KEY_BYTES: usize = 32;
/// The largest key the keyring accepts, in bytes.
const MAX_KEY_BYTES: usize = 128;
const MAX_KEY_ID_LEN: usize = 32;
/// Fewer distinct byte values than this in a key means it was not drawn at random.
const MIN_DISTINCT_BYTES: usize = 16;

/// The kind of secret a derived key serves. Each gets its own key, derived from the configured
/// key with HKDF-SHA256 (RFC 5869: no salt, `info` = [`KeyPurpose::label`], 32 bytes), so no kind
/// can be forged with another kind's key.
///
/// Public so that another service holding a configured key can derive, e.g., the access-token key
/// and verify tokens with any JWT library (see [`derive_purpose_key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyPurpose {
    /// MACs of signed payloads.
    SignedPayload,
    /// Storage digests of link tokens.
    LinkTokenDigest,
    /// Storage digests of numeric codes.
    CodeDigest,
    /// HS256 signatures of access tokens (issued by earlier releases; accepted only when configured).
    AccessToken,
    /// Password fingerprints inside payloads and access tokens.
    PasswordFingerprint,
    /// Tags of identifiers (e-mail addresses, phones, usernames) in logs and storage keys.
    IdentifierTag,
    /// The Ed25519 seed (RFC 8032 private key) of the key pair that signs EdDSA access tokens; its
    /// public key is in the JWK Set.
    AccessTokenEd25519,
}

impl KeyPurpose {
    /// Every purpose.
    pub(crate) const ALL: [KeyPurpose; 7] = [
        KeyPurpose::SignedPayload,
        KeyPurpose::LinkTokenDigest,
        KeyPurpose::CodeDigest,
        KeyPurpose::AccessToken,
        KeyPurpose::PasswordFingerprint,
        KeyPurpose::IdentifierTag,
        KeyPurpose::AccessTokenEd25519,
    ];

    /// The derivation label (HKDF's `info`): a documented constant, so another service holding the
    /// key can derive e.g. the access-token key and verify tokens itself.
    pub fn label(self) -> &'static str {
        match self {
            KeyPurpose::SignedPayload => "pwreset/v1/signed-payload",
            KeyPurpose::LinkTokenDigest => "pwreset/v1/link-token-digest",
            KeyPurpose::CodeDigest => "pwreset/v1/code-digest",
            KeyPurpose::AccessToken => "pwreset/v1/access-token",
            KeyPurpose::PasswordFingerprint => "pwreset/v1/password-fingerprint",
            KeyPurpose::IdentifierTag => "pwreset/v1/identifier-tag",
            KeyPurpose::AccessTokenEd25519 => "pwreset/v1/access-token-ed25519",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The key for one purpose derived from a configured key: HKDF-SHA256 with no salt, `info` =
/// `purpose.label()`, 32 bytes of output. In Node: `crypto.hkdfSync("sha256", key, "", label, 32)`;
/// in a browser or Worker: WebCrypto's `deriveBits({name: "HKDF", hash: "SHA-256", salt: new
/// Uint8Array(), info}, key, 256)`.
pub fn derive_purpose_key(key: &[u8], purpose: KeyPurpose) -> Zeroizing<[u8; 32]> {
    let mut derived = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(None, key)
        .expand(purpose.label().as_bytes(), derived.as_mut())
        .expect("32 bytes is far below HKDF-SHA256's 8160-byte limit");
    derived
}

/// The derived keys of one configured key, one per purpose, wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
struct DerivedKeys([[u8; 32]; KeyPurpose::ALL.len()]);

/// One configured key, kept only as its derived purpose keys. They live in their own heap block,
/// so that when the list of entries grows and moves, only a pointer moves: no copy of a key is
/// left behind in freed memory.
struct KeyEntry {
    id: String,
    derived: Box<DerivedKeys>,
    /// The Ed25519 public key of the access-token seed, computed on first use (it costs a scalar
    /// multiplication, and many keyrings only ever sign).
    ed25519_public: OnceLock<ed25519_dalek::VerifyingKey>,
}

impl KeyEntry {
    /// The Ed25519 signing key made from this entry's seed; it wipes its copy of the seed on drop.
    fn ed25519_signing_key(&self) -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(
            &self.derived.0[KeyPurpose::AccessTokenEd25519.index()],
        )
    }

    /// The Ed25519 public key that verifies this entry's access tokens.
    fn ed25519_public(&self) -> &ed25519_dalek::VerifyingKey {
        self.ed25519_public
            .get_or_init(|| self.ed25519_signing_key().verifying_key())
    }
}

/// A derived key, borrowed from the keyring, with the id of the key it came from.
#[derive(Clone, Copy)]
pub(crate) struct PurposeKey<'a> {
    id: &'a str,
    bytes: &'a [u8; 32],
}

impl<'a> PurposeKey<'a> {
    /// The id of the configured key this was derived from.
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// The key bytes, for a MAC or a signature.
    pub fn bytes(&self) -> &'a [u8; 32] {
        self.bytes
    }
}

impl std::fmt::Debug for PurposeKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PurposeKey({}, <redacted>)", self.id)
    }
}

/// Signing keys, newest first. Holds only derived keys, zeroized on drop; `Debug` shows the ids.
pub struct Keyring {
    keys: Vec<KeyEntry>,
}

impl Keyring {
    /// Parses the configuration string (see the module docs).
    pub fn parse(config: &str) -> Result<Self, KeyringError> {
        let entries: Vec<&str> = config
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|e| !e.is_empty())
            .collect();
        let mut keys = Vec::with_capacity(entries.len());
        for (index, entry) in entries.into_iter().enumerate() {
            let number = index + 1;
            let (id, encoded) = entry.split_once(':').ok_or(KeyringError::Entry {
                number,
                problem: "is not ID:KEY",
            })?;
            let material = Zeroizing::new(URL_SAFE_NO_PAD.decode(encoded).map_err(|_| {
                KeyringError::Entry {
                    number,
                    problem: "key is not base64url without padding",
                }
            })?);
            Self::push_entry(&mut keys, number, id, &material)?;
        }
        Self::finish(keys)
    }

    /// A keyring from raw keys, newest first (the same checks as [`Keyring::parse`]).
    pub fn from_keys<'k>(
        keys: impl IntoIterator<Item = (&'k str, &'k [u8])>,
    ) -> Result<Self, KeyringError> {
        let keys = keys.into_iter();
        let mut entries = Vec::with_capacity(keys.size_hint().0);
        for (index, (id, material)) in keys.enumerate() {
            Self::push_entry(&mut entries, index + 1, id, material)?;
        }
        Self::finish(entries)
    }

    fn finish(keys: Vec<KeyEntry>) -> Result<Self, KeyringError> {
        if keys.is_empty() {
            return Err(KeyringError::Empty);
        }
        Ok(Self { keys })
    }

    /// Checks entry `number` and appends its derived keys.
    fn push_entry(
        keys: &mut Vec<KeyEntry>,
        number: usize,
        id: &str,
        material: &[u8],
    ) -> Result<(), KeyringError> {
        let refuse = |problem| Err(KeyringError::Entry { number, problem });
        let id_ok = !id.is_empty()
            && id.len() <= MAX_KEY_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !id_ok {
            return refuse("key id must be 1-32 of A-Z a-z 0-9 _ -");
        }
        if keys.iter().any(|key| key.id == id) {
            return refuse("repeats an earlier key id");
        }
        if material.len() < MIN_KEY_BYTES {
            return refuse("key is shorter than 32 bytes");
        }
        if material.len() > MAX_KEY_BYTES {
            return refuse("key is longer than 128 bytes");
        }
        let mut seen = [false; 256];
        material.iter().for_each(|&b| seen[usize::from(b)] = true);
        if seen.iter().filter(|&&s| s).count() < MIN_DISTINCT_BYTES {
            return refuse("key is not random (too few distinct bytes)");
        }
        // 32 random bytes are all printable ASCII with probability (95/256)^32, about 1e-14; text
        // that is, is a passphrase someone typed, with far less entropy than its length suggests.
        if material.iter().all(|b| (0x20..=0x7e).contains(b)) {
            return refuse(
                "key decodes to printable text, so it is a passphrase rather than random bytes (random bytes are all printable with probability about 1e-14)",
            );
        }
        let mut derived = Box::new(DerivedKeys([[0u8; 32]; KeyPurpose::ALL.len()]));
        for purpose in KeyPurpose::ALL {
            derived.0[purpose.index()] = *derive_purpose_key(material, purpose);
        }
        keys.push(KeyEntry {
            id: id.to_owned(),
            derived,
            ed25519_public: OnceLock::new(),
        });
        Ok(())
    }

    /// The newest key, which signs, for `purpose`.
    pub(crate) fn signing_key(&self, purpose: KeyPurpose) -> PurposeKey<'_> {
        Self::view(&self.keys[0], purpose)
    }

    /// The key with this id, for `purpose`.
    pub(crate) fn key(&self, id: &str, purpose: KeyPurpose) -> Option<PurposeKey<'_>> {
        self.keys
            .iter()
            .find(|key| key.id == id)
            .map(|key| Self::view(key, purpose))
    }

    /// Every key for `purpose`, newest first.
    pub(crate) fn keys(&self, purpose: KeyPurpose) -> impl Iterator<Item = PurposeKey<'_>> {
        self.keys.iter().map(move |key| Self::view(key, purpose))
    }

    /// The newest entry's id and its Ed25519 signing key, which signs access tokens.
    pub(crate) fn ed25519_signing_key(&self) -> (&str, ed25519_dalek::SigningKey) {
        let entry = &self.keys[0];
        (&entry.id, entry.ed25519_signing_key())
    }

    /// The entry with this id (its id borrowed from the keyring) and its Ed25519 public key.
    pub(crate) fn ed25519_verifying_key(
        &self,
        id: &str,
    ) -> Option<(&str, &ed25519_dalek::VerifyingKey)> {
        self.keys
            .iter()
            .find(|key| key.id == id)
            .map(|key| (key.id.as_str(), key.ed25519_public()))
    }

    /// Every entry's id and Ed25519 public key, newest first.
    pub(crate) fn ed25519_public_keys(
        &self,
    ) -> impl Iterator<Item = (&str, &ed25519_dalek::VerifyingKey)> {
        self.keys
            .iter()
            .map(|key| (key.id.as_str(), key.ed25519_public()))
    }

    /// A short tag of an identifier (e-mail address, phone, username) for logs, rate-limit keys
    /// and storage names: 16 hex digits of an HMAC under the newest key's identifier-tag key. It
    /// correlates lines about one identifier, and, unlike a plain hash, a reader of the logs cannot
    /// test guesses of an address against it. Tags change when a new key is put first.
    pub fn identifier_tag(&self, identifier: &str) -> String {
        let key = self.signing_key(KeyPurpose::IdentifierTag);
        let mac = super::mac::hmac_sha256(key.bytes(), &[identifier.as_bytes()]);
        base16ct::lower::encode_string(&mac[..8])
    }

    /// Tags of an account's [`PasswordState`](super::PasswordState), one per key, newest first,
    /// each `<key id>:<32 hex digits>` (the password fingerprint that signed payloads and access
    /// tokens carry, under that key). A stored secret (a link, a code) keeps the newest tag of the
    /// state it was issued against and holds only while one of the current state's tags equals
    /// it: a new password hash or e-mail address kills it, and a key rotation does not.
    pub fn state_tags(&self, account: &str, state: &super::PasswordState) -> Vec<String> {
        self.keys
            .iter()
            .filter_map(|key| {
                let fingerprint = super::fingerprint::PasswordFingerprint::compute(
                    self, &key.id, account, state,
                )?;
                let hex = base16ct::lower::encode_string(&fingerprint.to_bytes());
                Some(format!("{}:{hex}", key.id))
            })
            .collect()
    }

    /// The ids, newest first (for logs: ids are not secret).
    pub fn key_ids(&self) -> Vec<&str> {
        self.keys.iter().map(|key| key.id.as_str()).collect()
    }

    fn view(key: &KeyEntry, purpose: KeyPurpose) -> PurposeKey<'_> {
        PurposeKey {
            id: &key.id,
            bytes: &key.derived.0[purpose.index()],
        }
    }
}

impl FromStr for Keyring {
    type Err = KeyringError;

    fn from_str(config: &str) -> Result<Self, Self::Err> {
        Self::parse(config)
    }
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("key_ids", &self.key_ids())
            .finish_non_exhaustive()
    }
}

/// Why a keyring configuration was refused. Never repeats key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyringError {
    /// No key configured.
    #[error("no signing key configured (generate one with `pwreset keygen`)")]
    Empty,
    /// Entry `number` (1-based) is unusable.
    #[error("signing key entry {number} {problem} (generate one with `pwreset keygen`)")]
    Entry {
        /// Which entry, counting from 1.
        number: usize,
        /// What is wrong with it.
        problem: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn random_key(seed: u8) -> Vec<u8> {
        (0..32u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn newest_signs_and_every_key_verifies() {
        let config = format!(
            "new:{}, old:{}",
            encoded(&random_key(1)),
            encoded(&random_key(2))
        );
        let keyring = Keyring::parse(&config).unwrap();
        assert_eq!(keyring.key_ids(), ["new", "old"]);
        assert_eq!(keyring.signing_key(KeyPurpose::SignedPayload).id(), "new");
        assert!(keyring.key("old", KeyPurpose::SignedPayload).is_some());
        assert!(keyring.key("gone", KeyPurpose::SignedPayload).is_none());
    }

    #[test]
    fn purposes_get_different_keys() {
        let keyring = Keyring::from_keys([("k", random_key(3).as_slice())]).unwrap();
        let keys: Vec<[u8; 32]> = KeyPurpose::ALL
            .iter()
            .map(|&p| *keyring.signing_key(p).bytes())
            .collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(
            keys[3],
            *derive_purpose_key(&random_key(3), KeyPurpose::AccessToken)
        );
    }

    #[test]
    fn weak_missing_and_malformed_keys_are_refused_without_echoing_them() {
        let short = format!("k:{}", encoded(&random_key(4)[..31]));
        let flat = format!("k:{}", encoded(&[7u8; 32]));
        let cases = [
            ("", "no signing key"),
            (" , ", "no signing key"),
            ("nocolon", "is not ID:KEY"),
            ("k:not base64!", "not base64url"),
            (short.as_str(), "shorter than 32 bytes"),
            (flat.as_str(), "not random"),
        ];
        for (config, expected) in cases {
            let message = Keyring::parse(config).unwrap_err().to_string();
            assert!(message.contains(expected), "{config:?}: {message}");
        }
        let padded = format!("k:{}=", encoded(&random_key(5)));
        assert!(Keyring::parse(&padded).is_err());
        let bad_id = format!("bad.id!:{}", encoded(&random_key(5)));
        assert!(
            Keyring::parse(&bad_id)
                .unwrap_err()
                .to_string()
                .contains("key id")
        );
        let passphrase = format!("k:{}", encoded(b"correct horse battery staple 1234"));
        assert!(
            Keyring::parse(&passphrase)
                .unwrap_err()
                .to_string()
                .contains("printable text")
        );
        let repeated = format!("k:{0},k:{0}", encoded(&random_key(6)));
        assert!(
            Keyring::parse(&repeated)
                .unwrap_err()
                .to_string()
                .contains("repeats")
        );
        let secret = encoded(&random_key(8)[..20]);
        assert!(
            !Keyring::parse(&format!("k:{secret}"))
                .unwrap_err()
                .to_string()
                .contains(&secret)
        );
    }

    #[test]
    fn debug_shows_ids_only() {
        let keyring = Keyring::from_keys([("k1", random_key(9).as_slice())]).unwrap();
        let shown = format!(
            "{keyring:?} {:?}",
            keyring.signing_key(KeyPurpose::AccessToken)
        );
        assert!(
            shown.contains("k1") && shown.contains("redacted"),
            "{shown}"
        );
        let bytes = keyring.signing_key(KeyPurpose::AccessToken).bytes();
        assert!(!shown.contains(&format!("{bytes:?}")[..12]), "{shown}");
    }

    #[test]
    fn from_keys_refuses_what_parse_refuses() {
        let key = random_key(10);
        let repeated = Keyring::from_keys([("k", key.as_slice()), ("k", key.as_slice())]);
        assert_eq!(
            repeated.unwrap_err(),
            KeyringError::Entry {
                number: 2,
                problem: "repeats an earlier key id"
            }
        );
        let passphrase: &[u8] = b"correct horse battery staple 1234";
        assert!(Keyring::from_keys([("k", passphrase)]).is_err());
        assert_eq!(
            Keyring::from_keys(std::iter::empty()).unwrap_err(),
            KeyringError::Empty
        );
    }

    #[test]
    fn a_key_with_one_unprintable_byte_is_accepted() {
        let mut key = b"correct horse battery staple 1234".to_vec();
        key[7] = 0x80;
        assert!(Keyring::from_keys([("k", key.as_slice())]).is_ok());
    }
}

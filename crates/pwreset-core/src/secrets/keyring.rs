//! Signing keys with ids, parsed from one configuration string, and the per-purpose keys derived
//! from them.
//!
//! Format: entries `ID:KEY` separated by commas or white space, newest first. `ID` is 1–32 of
//! `A–Z a–z 0–9 _ -`; `KEY` is base64url without padding (as `pwreset keygen` prints it) and decodes to
//! 32–128 bytes. The first entry signs; every entry verifies, so a key is rotated by putting a new
//! entry first and dropping the old one once its secrets have expired.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::mac::hmac_sha256;

/// The smallest key the keyring accepts, in bytes.
pub const MIN_KEY_BYTES: usize = 32;
/// The largest key the keyring accepts, in bytes.
pub const MAX_KEY_BYTES: usize = 128;
const MAX_KEY_ID_LEN: usize = 32;
/// Fewer distinct byte values than this in a key means it was not drawn at random.
const MIN_DISTINCT_BYTES: usize = 16;

/// The kind of secret a derived key serves. Each gets its own key, derived from the configured
/// key as `HMAC-SHA256(key, label)`, so no kind can be forged with another kind's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyPurpose {
    /// MACs of signed payloads.
    SignedPayload,
    /// Storage digests of link tokens.
    LinkTokenDigest,
    /// Storage digests of numeric codes.
    CodeDigest,
    /// HS256 signatures of access tokens.
    AccessToken,
    /// Password fingerprints inside payloads and access tokens.
    PasswordFingerprint,
}

impl KeyPurpose {
    /// Every purpose.
    pub const ALL: [KeyPurpose; 5] = [
        KeyPurpose::SignedPayload,
        KeyPurpose::LinkTokenDigest,
        KeyPurpose::CodeDigest,
        KeyPurpose::AccessToken,
        KeyPurpose::PasswordFingerprint,
    ];

    /// The derivation label: a documented constant, so another service holding the key can derive
    /// e.g. the access-token key and verify tokens itself.
    pub fn label(self) -> &'static str {
        match self {
            KeyPurpose::SignedPayload => "pwreset/v1/signed-payload",
            KeyPurpose::LinkTokenDigest => "pwreset/v1/link-token-digest",
            KeyPurpose::CodeDigest => "pwreset/v1/code-digest",
            KeyPurpose::AccessToken => "pwreset/v1/access-token",
            KeyPurpose::PasswordFingerprint => "pwreset/v1/password-fingerprint",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The key for one purpose derived from a configured key: `HMAC-SHA256(key, purpose.label())`.
pub fn derive_purpose_key(key: &[u8], purpose: KeyPurpose) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(hmac_sha256(key, &[purpose.label().as_bytes()]))
}

/// One configured key, kept only as its derived purpose keys (wiped on drop).
#[derive(Zeroize, ZeroizeOnDrop)]
struct KeyEntry {
    id: String,
    derived: [[u8; 32]; KeyPurpose::ALL.len()],
}

/// A derived key, borrowed from the keyring, with the id of the key it came from.
#[derive(Clone, Copy)]
pub struct PurposeKey<'a> {
    id: &'a str,
    bytes: &'a [u8; 32],
}

impl<'a> PurposeKey<'a> {
    /// The id of the configured key this was derived from.
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// The key bytes, for a MAC or a signature.
    pub(crate) fn bytes(&self) -> &'a [u8; 32] {
        self.bytes
    }
}

impl fmt::Debug for PurposeKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PurposeKey({}, <redacted>)", self.id)
    }
}

/// Signing keys, newest first.
pub struct Keyring {
    keys: Vec<KeyEntry>,
}

impl Keyring {
    /// Parses the configuration string (see the module docs).
    pub fn parse(config: &str) -> Result<Self, KeyringError> {
        let mut keys: Vec<KeyEntry> = Vec::new();
        let entries = config
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|e| !e.is_empty());
        for (index, entry) in entries.enumerate() {
            let number = index + 1;
            let (id, encoded) = entry.split_once(':').ok_or(KeyringError::Entry {
                number,
                problem: "is not ID:KEY",
            })?;
            if keys.iter().any(|key| key.id == id) {
                return Err(KeyringError::Entry {
                    number,
                    problem: "repeats an earlier key id",
                });
            }
            let material = Zeroizing::new(URL_SAFE_NO_PAD.decode(encoded).map_err(|_| {
                KeyringError::Entry {
                    number,
                    problem: "key is not base64url without padding",
                }
            })?);
            keys.push(Self::entry(number, id, &material)?);
        }
        if keys.is_empty() {
            return Err(KeyringError::Empty);
        }
        Ok(Self { keys })
    }

    /// A keyring from raw keys, newest first (the same checks as [`Keyring::parse`]).
    pub fn from_keys<'k>(
        keys: impl IntoIterator<Item = (&'k str, &'k [u8])>,
    ) -> Result<Self, KeyringError> {
        let keys = keys
            .into_iter()
            .enumerate()
            .map(|(index, (id, material))| Self::entry(index + 1, id, material))
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(KeyringError::Empty);
        }
        Ok(Self { keys })
    }

    fn entry(number: usize, id: &str, material: &[u8]) -> Result<KeyEntry, KeyringError> {
        let id_ok = !id.is_empty()
            && id.len() <= MAX_KEY_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !id_ok {
            return Err(KeyringError::Entry {
                number,
                problem: "key id must be 1-32 of A-Z a-z 0-9 _ -",
            });
        }
        if material.len() < MIN_KEY_BYTES {
            return Err(KeyringError::Entry {
                number,
                problem: "key is shorter than 32 bytes",
            });
        }
        if material.len() > MAX_KEY_BYTES {
            return Err(KeyringError::Entry {
                number,
                problem: "key is longer than 128 bytes",
            });
        }
        let mut seen = [false; 256];
        material.iter().for_each(|&b| seen[usize::from(b)] = true);
        if seen.iter().filter(|&&s| s).count() < MIN_DISTINCT_BYTES {
            return Err(KeyringError::Entry {
                number,
                problem: "key is not random (too few distinct bytes)",
            });
        }
        let mut derived = [[0u8; 32]; KeyPurpose::ALL.len()];
        for purpose in KeyPurpose::ALL {
            derived[purpose.index()] = *derive_purpose_key(material, purpose);
        }
        Ok(KeyEntry {
            id: id.to_owned(),
            derived,
        })
    }

    /// The newest key, which signs, for `purpose`.
    pub fn signing_key(&self, purpose: KeyPurpose) -> PurposeKey<'_> {
        Self::view(&self.keys[0], purpose)
    }

    /// The key with this id, for `purpose`.
    pub fn key(&self, id: &str, purpose: KeyPurpose) -> Option<PurposeKey<'_>> {
        self.keys
            .iter()
            .find(|key| key.id == id)
            .map(|key| Self::view(key, purpose))
    }

    /// Every key for `purpose`, newest first.
    pub fn keys(&self, purpose: KeyPurpose) -> impl Iterator<Item = PurposeKey<'_>> {
        self.keys.iter().map(move |key| Self::view(key, purpose))
    }

    /// The ids, newest first.
    pub fn key_ids(&self) -> Vec<&str> {
        self.keys.iter().map(|key| key.id.as_str()).collect()
    }

    fn view(key: &KeyEntry, purpose: KeyPurpose) -> PurposeKey<'_> {
        PurposeKey {
            id: &key.id,
            bytes: &key.derived[purpose.index()],
        }
    }
}

impl FromStr for Keyring {
    type Err = KeyringError;

    fn from_str(config: &str) -> Result<Self, Self::Err> {
        Self::parse(config)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("key_ids", &self.key_ids())
            .finish_non_exhaustive()
    }
}

/// Why a keyring configuration was refused. Never repeats key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyringError {
    /// No key configured.
    Empty,
    /// Entry `number` (1-based) is unusable.
    Entry {
        /// Which entry, counting from 1.
        number: usize,
        /// What is wrong with it.
        problem: &'static str,
    },
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyringError::Empty => {
                f.write_str("no signing key configured (generate one with `pwreset keygen`)")
            }
            KeyringError::Entry { number, problem } => {
                write!(
                    f,
                    "signing key entry {number} {problem} (generate one with `pwreset keygen`)"
                )
            }
        }
    }
}

impl std::error::Error for KeyringError {}

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
}

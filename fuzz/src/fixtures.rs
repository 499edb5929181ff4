//! Fixed keys, times and account state, so that a crashing input reproduces exactly.

use std::sync::LazyLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pwreset_core::UnixTime;
use pwreset_core::secrets::{KeyPurpose, Keyring, PasswordState, derive_purpose_key};

/// Two keyring entries made by `pwreset keygen` for the fuzz targets only (they sign nothing
/// real): the first signs, both verify.
pub const KEY_ENTRIES: [(&str, &str); 2] = [
    (
        "k20261125-0129",
        "OpNIVmKR6y3D3dmfIwg2shIAyFT-SY-fLQThi5ELiFY",
    ),
    (
        "k20261125-5201",
        "F2Rp83WWmJSro7CSzyL9fY6GdddBdfcx6pTjlF7_YPs",
    ),
];

/// 2026-01-01T01:00:00Z, the clock of every target.
pub const NOW: u64 = 1_767_225_600 + 3_600;

/// The `KEYS` value for [`KEY_ENTRIES`].
pub fn keys_config() -> String {
    KEY_ENTRIES
        .iter()
        .map(|(id, key)| format!("{id}:{key}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The keyring of [`KEY_ENTRIES`].
pub static KEYRING: LazyLock<Keyring> =
    LazyLock::new(|| Keyring::parse(&keys_config()).expect("the fixture keys are valid"));

/// The raw key material of the entry named `id`, if it is one of [`KEY_ENTRIES`].
pub fn key_material(id: &str) -> Option<Vec<u8>> {
    KEY_ENTRIES
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, key)| URL_SAFE_NO_PAD.decode(key).expect("fixture keys decode"))
}

/// The key that signs `purpose` for entry `id` (any JWT library or HMAC holding it can sign).
pub fn purpose_key(id: &str, purpose: KeyPurpose) -> Option<[u8; 32]> {
    key_material(id).map(|material| *derive_purpose_key(&material, purpose))
}

/// An account's password state, as a fingerprint binds it.
pub fn state() -> PasswordState {
    PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")
        .bind("email", "jane@example.com")
}

/// Another state of the same account (the password changed).
pub fn changed_state() -> PasswordState {
    PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0b3RoZXI$bmV3aGFzaG5ld2hhc2huZXc")
        .bind("email", "jane@example.com")
}

/// [`NOW`] as a [`UnixTime`].
pub fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}

/// Reads a big-endian `u64` from up to 8 bytes (fewer are zero-padded on the left).
pub fn be_u64(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .take(8)
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// `text` as UTF-8, or its lossy reading (libFuzzer mutates bytes, the APIs take `&str`).
pub fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

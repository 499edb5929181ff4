//! Audit events: one JSON line each, with no password, code, token or key in it.

use pwreset_core::UnixTime;
use serde_json::{Map, Value, json};

/// One audit line: `{"event": name, "at": unix seconds, ...fields}`.
pub fn line(event: &str, at: UnixTime, fields: Value) -> String {
    let mut object = Map::new();
    object.insert("event".into(), json!(event));
    object.insert("at".into(), json!(at.as_secs()));
    if let Value::Object(fields) = fields {
        object.extend(fields);
    }
    Value::Object(object).to_string()
}

/// A short, unkeyed digest of a storage key, for names of stand-in records where no key is at hand.
/// Not for logs or limits: anyone can test a guessed identifier against it. Those use the keyed
/// [`pwreset_core::secrets::Keyring::identifier_tag`].
pub fn tag(identifier: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(identifier.as_bytes());
    base16ct::lower::encode_string(&digest[..8])
}

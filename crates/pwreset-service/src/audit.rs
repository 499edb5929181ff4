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

/// A short, non-reversible tag of an identifier (e-mail, phone, username) for logs and rate-limit
/// keys: enough to correlate lines, without writing the identifier itself.
pub fn tag(identifier: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(identifier.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

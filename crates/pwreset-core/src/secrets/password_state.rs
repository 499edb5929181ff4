//! What a password fingerprint binds: the account's password hash and any account fields the
//! caller names.

use std::fmt;

use super::mac::length_prefixed;

/// The state of an account that an outstanding secret is bound to. When any part of it changes,
/// every signed payload and access token issued against the old state stops verifying.
///
/// It always holds the password hash (a new salt on every change, so even re-setting the same
/// password changes it). Like Django's `PasswordResetTokenGenerator`, which also hashes the e-mail
/// address and the last login, the caller may bind more fields, e.g.
/// `PasswordState::new(hash).bind("email", email)`: a reset link then dies when the e-mail address
/// changes. Bind to an access token's state only what should log the account out when it changes.
///
/// Encoding (what the fingerprint's HMAC reads): the hash, then each bound field in order of its
/// name (bytewise), each name and value length-prefixed (4-byte big-endian length):
/// `len(hash) ‖ hash ‖ [len(name) ‖ name ‖ len(value) ‖ value]…`. The order in which fields are
/// bound does not matter; binding a name again replaces its value.
///
/// `Debug` shows the bound names only: a hash or an e-mail address is not for logs.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordState {
    password_hash: String,
    /// Sorted by name, names unique.
    fields: Vec<(String, String)>,
}

impl PasswordState {
    /// The state of an account whose stored password hash (PHC string) is `password_hash`.
    pub fn new(password_hash: &str) -> Self {
        Self {
            password_hash: password_hash.to_owned(),
            fields: Vec::new(),
        }
    }

    /// Also binds the account field `name` with its current `value` (chainable). Binding a name
    /// again replaces its value.
    #[must_use]
    pub fn bind(mut self, name: &str, value: &str) -> Self {
        match self
            .fields
            .binary_search_by(|(known, _)| known.as_str().cmp(name))
        {
            Ok(index) => self.fields[index].1 = value.to_owned(),
            Err(index) => self
                .fields
                .insert(index, (name.to_owned(), value.to_owned())),
        }
        self
    }

    /// The names of the bound fields, in encoding order.
    fn bound_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(name, _)| name.as_str())
    }

    /// The encoding described on the type, as one byte string.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(
            4 + self.password_hash.len()
                + self
                    .fields
                    .iter()
                    .map(|(n, v)| 8 + n.len() + v.len())
                    .sum::<usize>(),
        );
        push_field(&mut bytes, self.password_hash.as_bytes());
        for (name, value) in &self.fields {
            push_field(&mut bytes, name.as_bytes());
            push_field(&mut bytes, value.as_bytes());
        }
        bytes
    }
}

fn push_field(bytes: &mut Vec<u8>, field: &[u8]) {
    bytes.extend(length_prefixed(field));
    bytes.extend(field);
}

impl fmt::Debug for PasswordState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordState")
            .field("password_hash", &"<redacted>")
            .field("bound", &self.bound_names().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binding_order_does_not_matter_and_rebinding_replaces() {
        let a = PasswordState::new("h")
            .bind("email", "a@x")
            .bind("last_login", "1");
        let b = PasswordState::new("h")
            .bind("last_login", "0")
            .bind("email", "a@x")
            .bind("last_login", "1");
        assert_eq!(a.encode(), b.encode());
        assert_eq!(a.bound_names().collect::<Vec<_>>(), ["email", "last_login"]);
    }

    #[test]
    fn fields_can_not_be_re_split() {
        // Without length prefixes these two would encode alike.
        let a = PasswordState::new("h").bind("ab", "c");
        let b = PasswordState::new("h").bind("a", "bc");
        assert_ne!(a.encode(), b.encode());
        let c = PasswordState::new("hab").bind("x", "");
        let d = PasswordState::new("h").bind("abx", "");
        assert_ne!(c.encode(), d.encode());
    }

    #[test]
    fn the_encoding_is_the_documented_one() {
        let state = PasswordState::new("hash").bind("email", "a@x");
        let expected: Vec<u8> = [
            &[0, 0, 0, 4][..],
            b"hash",
            &[0, 0, 0, 5],
            b"email",
            &[0, 0, 0, 3],
            b"a@x",
        ]
        .concat();
        assert_eq!(state.encode(), expected);
    }

    #[test]
    fn debug_shows_names_not_values() {
        let state = PasswordState::new("$argon2id$secret-hash").bind("email", "jane@example.com");
        let shown = format!("{state:?}");
        assert!(shown.contains("email"), "{shown}");
        assert!(
            !shown.contains("jane@") && !shown.contains("secret-hash"),
            "{shown}"
        );
    }
}

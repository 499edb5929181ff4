//! Accounts as the service keeps them, and how identifiers are normalised before any lookup.

use pwreset_core::UserAttributes;
use pwreset_core::secrets::{PasswordState, RandomUnavailable, random_bytes};
use serde::{Deserialize, Serialize};

/// One account of the default directory. The password is kept only as an argon2id PHC string.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// Stable random id (UUID form).
    pub id: String,
    /// Login name, unique (compared lower-cased).
    pub username: String,
    /// E-mail address; several accounts may share one.
    pub email: String,
    /// The e-mail address's own id (dialect A's `primaryEmail.id`).
    pub email_id: String,
    /// Whether the e-mail address is confirmed.
    pub email_confirmed: bool,
    /// Phone number in E.164 (`+` and 8–15 digits), unique when present.
    pub phone: Option<String>,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Dialect A's `userType` (`CUSTOMER` unless set).
    pub user_type: String,
    /// Dialect A's `userScopes`.
    pub scopes: Vec<String>,
    /// Dialect A's `approved`.
    pub approved: bool,
    /// argon2id PHC string.
    pub password_hash: String,
    /// When the password was last set (unix seconds).
    pub password_changed_at: u64,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Account {
    /// What every secret issued for this account is bound to: its password hash and its e-mail
    /// address, so changing either kills every outstanding link, code, payload and access token.
    pub fn password_state(&self) -> PasswordState {
        PasswordState::new(&self.password_hash).bind("email", &self.email)
    }

    /// The attributes a new password must not resemble.
    pub fn user_attributes(&self) -> UserAttributes {
        let mut user = UserAttributes::new()
            .with("username", &self.username)
            .with("email", &self.email);
        if let Some(first) = &self.first_name {
            user.insert("first_name", first);
        }
        if let Some(last) = &self.last_name {
            user.insert("last_name", last);
        }
        user
    }

    /// A name to tell accounts apart in a message listing several.
    pub fn label(&self) -> &str {
        &self.username
    }
}

/// A fresh random id: a UUID v4 from the core's random bytes, hyphenated and lower-case.
pub fn new_id() -> Result<String, RandomUnavailable> {
    let bytes: [u8; 16] = random_bytes()?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string())
}

/// The longest identifier (username, e-mail) the service looks up.
pub const MAX_IDENTIFIER_LEN: usize = 254;

/// A username or e-mail as looked up: trimmed and lower-cased. `None` when empty or too long.
pub fn normalize_identifier(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || trimmed.len() > MAX_IDENTIFIER_LEN
        || trimmed.chars().any(char::is_control)
    {
        return None;
    }
    Some(trimmed.to_lowercase())
}

/// An e-mail address, normalised; `None` unless it has the shape `local@domain`.
pub fn normalize_email(text: &str) -> Option<String> {
    let email = normalize_identifier(text)?;
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace);
    plausible.then_some(email)
}

/// A phone number in E.164: spaces, dashes, dots and parentheses are dropped, a leading `+` is
/// added when missing; `None` unless 8–15 digits remain.
pub fn normalize_phone(text: &str) -> Option<String> {
    let mut digits = String::with_capacity(16);
    for (i, c) in text.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_become_e164() {
        assert_eq!(
            normalize_phone("443456677956").as_deref(),
            Some("+443456677956")
        );
        assert_eq!(
            normalize_phone("+44 (34) 5667-7956").as_deref(),
            Some("+443456677956")
        );
        assert_eq!(normalize_phone("+1234"), None);
        assert_eq!(normalize_phone("12a45678"), None);
        assert_eq!(normalize_phone("1+2345678"), None);
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            normalize_email(" Jane@Example.COM ").as_deref(),
            Some("jane@example.com")
        );
        assert_eq!(normalize_email("jane"), None);
        assert_eq!(normalize_email("a@b@c"), None);
        assert_eq!(normalize_email("a b@c"), None);
    }

    #[test]
    fn ids_look_like_uuids() {
        let id = new_id().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}

//! The account's password hash: checking a password against the one it holds, whatever format the
//! application stores (`verify_any`: argon2 PHC and Django, bcrypt, PBKDF2-SHA256, scrypt), and
//! writing a new one in the form the application asks for.
//!
//! A stored hash that cannot be checked (beyond the configured cost limits, an unknown format, a
//! broken string) is never a silent answer: each is logged as a decision, naming the format and the
//! parameter over its limit, never the hash (`hash_beyond_limits`, `hash_unverifiable`).
//! "Same as the current password" is then not enforced (refusing would leave the account with no
//! way to reset its password); an old password that cannot be checked is refused as wrong.

use pwreset_core::password_hash::{
    HashFormat, HashParams, PasswordHashError, hash_password_as, verify_any,
};
use serde_json::{Value, json};

use crate::config::ServiceConfig;
use crate::config::directory::PasswordHashing;
use crate::model::account::Account;
use crate::model::audit;
use crate::ports::{Clock, Logger};

/// Which rule asks for the check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HashCheck {
    /// A new password must differ from the current one.
    SameAsCurrent,
    /// Dialect C's change-password proves the old password.
    OldPassword,
}

impl HashCheck {
    fn name(self) -> &'static str {
        match self {
            HashCheck::SameAsCurrent => "same_as_current",
            HashCheck::OldPassword => "old_password",
        }
    }

    /// What the rule does with a hash it cannot check.
    fn decision(self) -> &'static str {
        match self {
            HashCheck::SameAsCurrent => "rule_not_enforced",
            HashCheck::OldPassword => "refused",
        }
    }
}

/// How `cfg`'s accounts are hashed: the user service's settings, or the platform's own.
pub(crate) fn hashing(cfg: &ServiceConfig) -> PasswordHashing {
    PasswordHashing::of(cfg.directory.as_ref())
}

/// A new hash of `password` for `cfg`'s accounts: argon2id with OWASP's parameters, written as the
/// application asks (`USER_DIRECTORY_HASH_FORMAT`).
pub(crate) fn new_hash(cfg: &ServiceConfig, password: &str) -> Result<String, PasswordHashError> {
    hash_password_as(password, hashing(cfg).format, HashParams::OWASP)
}

/// Whether `password` is `account`'s current one: `Some(answer)` when the stored hash could be
/// checked, `None` (logged, for `check`) when it could not.
pub(crate) fn matches(
    log: &(impl Logger + Clock),
    cfg: &ServiceConfig,
    account: &Account,
    password: &str,
    check: HashCheck,
) -> Option<bool> {
    let stored = &account.password_hash;
    let error = match verify_any(password, stored, &hashing(cfg).limits) {
        Ok(matched) => return Some(matched),
        Err(error) => error,
    };
    let mut fields = json!({
        "account": account.id,
        "check": check.name(),
        "decision": check.decision(),
    });
    let event = match error {
        PasswordHashError::BeyondLimits {
            format,
            parameter,
            value,
            limit,
        } => {
            extend(
                &mut fields,
                json!({
                    "format": format.name(),
                    "parameter": parameter,
                    "value": value,
                    "limit": limit,
                }),
            );
            "hash_beyond_limits"
        }
        other => {
            let reason = match other {
                PasswordHashError::UnknownFormat => "unknown_format",
                _ => "malformed",
            };
            let format = HashFormat::detect(stored).map_or("unknown", HashFormat::name);
            extend(&mut fields, json!({ "format": format, "reason": reason }));
            "hash_unverifiable"
        }
    };
    log.log(&audit::line(event, log.now(), fields));
    None
}

fn extend(fields: &mut Value, more: Value) {
    if let (Value::Object(fields), Value::Object(more)) = (fields, more) {
        fields.extend(more);
    }
}

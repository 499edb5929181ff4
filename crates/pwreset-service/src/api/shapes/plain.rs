//! The bodies of the operator's and the developer's routes, and the plain error shape
//! `{"error","field"?,"message"}` they share with an unknown route (`404`) and a wrong method
//! (`405`).

use serde::{Deserialize, Serialize};

use super::request::{BodyError, Field, RequestBody};
use crate::model::account::{normalize_email, normalize_identifier, normalize_phone};
use crate::model::message::{Channel, OutgoingMessage};

/// The longest password the admin route takes.
pub const MAX_PASSWORD_CHARS: usize = 4096;

/// The longest name or user type the admin route takes.
const MAX_SHORT_CHARS: usize = 150;

/// A failure (OpenAPI `PlainError`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlainError {
    /// The stable code.
    pub error: String,
    /// The field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A sentence for people.
    pub message: String,
}

impl PlainError {
    /// A failure coded `error`, about `field` when given.
    pub fn new(error: &str, message: &str, field: Option<&str>) -> Self {
        Self {
            error: error.to_owned(),
            field: field.map(str::to_owned),
            message: message.to_owned(),
        }
    }
}

/// `POST /admin/users` (OpenAPI `AdminNewUser`): a field it does not name is refused
/// (`unknown_field`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AdminNewUser {
    /// The username.
    pub username: Field<String>,
    /// The e-mail address.
    pub email: Field<String>,
    /// The password.
    pub password: Field<String>,
    /// The phone number.
    pub phone: Field<String>,
    /// The first name.
    pub first_name: Field<String>,
    /// The last name.
    pub last_name: Field<String>,
    /// Dialect A's `userType`.
    pub user_type: Field<String>,
    /// Dialect A's `userScopes`.
    pub scopes: Field<Vec<String>>,
}

/// A checked [`AdminNewUser`]: normalised, the password not yet hashed.
#[derive(Debug)]
pub struct NewUser {
    /// Trimmed and lower-cased.
    pub username: String,
    /// Trimmed and lower-cased.
    pub email: String,
    /// 1 to [`MAX_PASSWORD_CHARS`] characters.
    pub password: String,
    /// E.164.
    pub phone: Option<String>,
    /// At most 150 characters.
    pub first_name: Option<String>,
    /// At most 150 characters.
    pub last_name: Option<String>,
    /// At most 150 characters; `CUSTOMER` when none came.
    pub user_type: String,
    /// Empty when none came.
    pub scopes: Vec<String>,
}

fn short(field: Field<String>, name: &'static str) -> Result<Option<String>, BodyError> {
    match field.optional(name)? {
        Some(text) if text.chars().count() > MAX_SHORT_CHARS => {
            Err(BodyError::Invalid(name, "at most 150 characters"))
        }
        other => Ok(other),
    }
}

impl RequestBody for AdminNewUser {
    type Checked = NewUser;

    /// An operator's typo (`phone_number`, `firstName`) would otherwise create an account without
    /// the value: refused instead.
    const CLOSED: bool = true;

    fn check(self) -> Result<NewUser, BodyError> {
        let username = normalize_identifier(&self.username.required("username")?)
            .ok_or(BodyError::Invalid("username", "1-254 printable characters"))?;
        let email = normalize_email(&self.email.required("email")?)
            .ok_or(BodyError::Invalid("email", "an e-mail address"))?;
        let password = self.password.required("password")?;
        if password.is_empty() || password.chars().count() > MAX_PASSWORD_CHARS {
            return Err(BodyError::Invalid("password", "1-4096 characters"));
        }
        let phone = match self.phone.optional("phone")? {
            None => None,
            Some(text) => Some(normalize_phone(&text).ok_or(BodyError::Invalid(
                "phone",
                "a phone number in international form",
            ))?),
        };
        Ok(NewUser {
            username,
            email,
            password,
            phone,
            first_name: short(self.first_name, "first_name")?,
            last_name: short(self.last_name, "last_name")?,
            user_type: short(self.user_type, "user_type")?.unwrap_or_else(|| "CUSTOMER".to_owned()),
            scopes: self.scopes.optional("scopes")?.unwrap_or_default(),
        })
    }
}

/// `201 {"id"}`: the new account's id (OpenAPI `Created`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Created<'a> {
    /// The id.
    pub id: &'a str,
}

/// A message in the dev outbox (OpenAPI `OutboxMessage`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxMessage<'a> {
    /// E-mail or SMS.
    pub channel: Channel,
    /// The code, when the message carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'a str>,
    /// When it was composed (unix seconds).
    pub created_at: u64,
    /// The HTML body, for an e-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<&'a str>,
    /// Its delivery id.
    pub id: &'a str,
    /// The link, when the message carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<&'a str>,
    /// Empty for SMS.
    pub subject: &'a str,
    /// The text.
    pub text: &'a str,
    /// The recipient.
    pub to: &'a str,
}

impl<'a> OutboxMessage<'a> {
    /// What the outbox shows of `message` (not its delivery attempt).
    pub fn of(message: &'a OutgoingMessage) -> Self {
        Self {
            channel: message.channel,
            code: message.code.as_deref(),
            created_at: message.created_at,
            html: (message.channel == Channel::Email).then_some(message.html.as_str()),
            id: &message.id,
            link: message.link.as_deref(),
            subject: &message.subject,
            text: &message.text,
            to: &message.to,
        }
    }
}

//! Dialect B's request bodies; it answers in the shared [`status`](super::status) shapes.

use serde::Deserialize;

use super::request::{BodyError, Field, RequestBody};
use crate::model::account::{normalize_email, normalize_phone};

fn phone(text: &str) -> Result<String, BodyError> {
    normalize_phone(text).ok_or(BodyError::Invalid(
        "phone",
        "a phone number in international form",
    ))
}

/// `POST /api/v1/auth/forgotpass` (OpenAPI `AuthForgotEmail`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthForgotEmail {
    /// The e-mail address.
    pub email: Field<String>,
}

impl RequestBody for AuthForgotEmail {
    /// The normalised address.
    type Checked = String;

    fn check(self) -> Result<String, BodyError> {
        normalize_email(&self.email.required("email")?)
            .ok_or(BodyError::Invalid("email", "an e-mail address"))
    }
}

/// `POST /api/v1/auth/forgotpass/mobile` (OpenAPI `AuthForgotMobile`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthForgotMobile {
    /// The phone number.
    pub phone: Field<String>,
}

impl RequestBody for AuthForgotMobile {
    /// The number in E.164.
    type Checked = String;

    fn check(self) -> Result<String, BodyError> {
        phone(&self.phone.required("phone")?)
    }
}

/// A new password with its secret, checked: what both reset routes read.
#[derive(Debug)]
pub struct AuthReset {
    /// The link's token or the code.
    pub token: String,
    /// The new password.
    pub password: String,
    /// The same again.
    pub confirm: String,
    /// The phone the code was sent to, in E.164 (the link route never has one).
    pub phone: Option<String>,
}

/// `POST /api/v1/auth/resetpass` (OpenAPI `AuthResetLink`). `phone` is not used, but must be a
/// string or `null` all the same.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthResetLink {
    /// The link's token.
    pub token: Field<String>,
    /// The new password.
    pub password: Field<String>,
    /// The same again.
    #[serde(rename = "passwordConfirm")]
    pub password_confirm: Field<String>,
    /// Read, not used.
    pub phone: Field<String>,
}

impl RequestBody for AuthResetLink {
    type Checked = AuthReset;

    fn check(self) -> Result<AuthReset, BodyError> {
        let reset = AuthReset {
            token: self.token.required("token")?,
            password: self.password.required("password")?,
            confirm: self.password_confirm.required("passwordConfirm")?,
            phone: None,
        };
        self.phone.optional("phone")?;
        Ok(reset)
    }
}

/// `POST /api/v1/auth/resetpass/mobile` (OpenAPI `AuthResetMobile`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthResetMobile {
    /// The code.
    pub token: Field<String>,
    /// The new password.
    pub password: Field<String>,
    /// The same again.
    #[serde(rename = "passwordConfirm")]
    pub password_confirm: Field<String>,
    /// The phone the code was sent to, when given.
    pub phone: Field<String>,
}

impl RequestBody for AuthResetMobile {
    type Checked = AuthReset;

    fn check(self) -> Result<AuthReset, BodyError> {
        Ok(AuthReset {
            token: self.token.required("token")?,
            password: self.password.required("password")?,
            confirm: self.password_confirm.required("passwordConfirm")?,
            phone: self
                .phone
                .optional("phone")?
                .as_deref()
                .map(phone)
                .transpose()?,
        })
    }
}

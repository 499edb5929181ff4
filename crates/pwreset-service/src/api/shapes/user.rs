//! Dialect C's bodies: `{"message","status_code":200[,"token"]}` for a success,
//! `{"error_type","errors":[{"description","field"}],"status_code"}` for a failure.

use serde::{Deserialize, Serialize};

use super::request::{BodyError, Field, RequestBody};
use crate::model::account::normalize_identifier;

/// `POST …/forgot-password/` (OpenAPI `UserForgotPassword`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserForgotPassword {
    /// An e-mail address or a username.
    pub email: Field<String>,
}

impl RequestBody for UserForgotPassword {
    /// The normalised identifier.
    type Checked = String;

    fn check(self) -> Result<String, BodyError> {
        normalize_identifier(&self.email.required("email")?)
            .ok_or(BodyError::Invalid("email", "an e-mail address or username"))
    }
}

/// `POST …/forgot-password-submit/` (OpenAPI `UserForgotPasswordSubmit`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserForgotPasswordSubmit {
    /// The link's account id.
    pub user: Field<String>,
    /// The link's token.
    pub token: Field<String>,
    /// The new password.
    pub new_password: Field<String>,
}

impl RequestBody for UserForgotPasswordSubmit {
    /// The account id, the token and the password.
    type Checked = (String, String, String);

    fn check(self) -> Result<Self::Checked, BodyError> {
        Ok((
            self.user.required("user")?,
            self.token.required("token")?,
            self.new_password.required("new_password")?,
        ))
    }
}

/// `POST …/profile/change-password/` (OpenAPI `UserChangePassword`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserChangePassword {
    /// The current password.
    pub old_password: Field<String>,
    /// The new password.
    pub new_password: Field<String>,
    /// The same again.
    pub confirm_password: Field<String>,
}

impl RequestBody for UserChangePassword {
    /// The old password, the new one and its confirmation.
    type Checked = (String, String, String);

    fn check(self) -> Result<Self::Checked, BodyError> {
        Ok((
            self.old_password.required("old_password")?,
            self.new_password.required("new_password")?,
            self.confirm_password.required("confirm_password")?,
        ))
    }
}

/// A success without a token (OpenAPI `UserMessage`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserMessage {
    /// What happened.
    pub message: &'static str,
    /// `200`.
    pub status_code: u16,
}

impl UserMessage {
    /// A `200` saying `message`.
    pub fn new(message: &'static str) -> Self {
        Self {
            message,
            status_code: 200,
        }
    }
}

/// A success with an access token (OpenAPI `UserTokenMessage`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserTokenMessage {
    /// What happened.
    pub message: &'static str,
    /// `200`.
    pub status_code: u16,
    /// The access token.
    pub token: String,
}

impl UserTokenMessage {
    /// A `200` saying `message`, with `token`.
    pub fn new(message: &'static str, token: String) -> Self {
        Self {
            message,
            status_code: 200,
            token,
        }
    }
}

/// The kind of a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UserErrorType {
    /// A bad body, a refused password, a wrong link token.
    #[serde(rename = "Validation Error")]
    Validation,
    /// A missing or wrong `apikey`, access token or old password.
    #[serde(rename = "Authentication Error")]
    Authentication,
    /// A body not sent as JSON.
    #[serde(rename = "Unsupported Media Type")]
    UnsupportedMediaType,
    /// Over a limit.
    #[serde(rename = "Throttled")]
    Throttled,
    /// Storage failed, or a change is under way.
    #[serde(rename = "Service Unavailable")]
    ServiceUnavailable,
}

/// A failure (OpenAPI `UserErrorResponse`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserErrorResponse {
    /// The kind.
    pub error_type: UserErrorType,
    /// Every reason, at least one, each once.
    pub errors: Vec<UserErrorItem>,
    /// The HTTP status again.
    pub status_code: u16,
}

impl UserErrorResponse {
    /// A failure with `items`, each listed once (the first time it comes).
    pub fn new(status: u16, error_type: UserErrorType, items: Vec<UserErrorItem>) -> Self {
        let mut errors: Vec<UserErrorItem> = Vec::with_capacity(items.len());
        for item in items {
            if !errors.contains(&item) {
                errors.push(item);
            }
        }
        Self {
            error_type,
            errors,
            status_code: status,
        }
    }
}

/// One item of a failure's `errors` (OpenAPI `UserErrorItem`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserErrorItem {
    /// The original API's text.
    pub description: String,
    /// The request field concerned.
    pub field: String,
}

impl UserErrorItem {
    /// An item.
    pub fn new(field: &str, description: &str) -> Self {
        Self {
            description: description.to_owned(),
            field: field.to_owned(),
        }
    }
}

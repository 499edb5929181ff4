//! Dialect A's bodies: what `/reg/user/…` reads and answers besides the shared
//! [`status`](super::status) shapes.

use serde::{Deserialize, Serialize};

use super::request::{BodyError, Field, RequestBody};
use super::status::SuccessStatus;
use crate::model::account::{Account, normalize_identifier};

fn username(field: Field<String>) -> Result<String, BodyError> {
    normalize_identifier(&field.required("username")?).ok_or(BodyError::Invalid(
        "username",
        "a username or e-mail address",
    ))
}

/// `POST /reg/user/resetPasswordRequest`: asks for a code (no `code`, or `null`), or trades one
/// for a signed payload (OpenAPI `RegCodeRequest` and `RegCodeExchange`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegCodeRequest {
    /// The account's username or e-mail address.
    pub username: Field<String>,
    /// The e-mailed code.
    pub code: Field<String>,
}

impl RequestBody for RegCodeRequest {
    /// The normalised username, and the code when one came.
    type Checked = (String, Option<String>);

    fn check(self) -> Result<Self::Checked, BodyError> {
        let username = username(self.username)?;
        Ok((username, self.code.optional("code")?))
    }
}

/// `POST /reg/user/resetPassword` (OpenAPI `RegResetPassword`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegResetPassword {
    /// The new password.
    #[serde(rename = "newPassword")]
    pub new_password: Field<String>,
    /// The payload the code was traded for.
    #[serde(rename = "signedPayload")]
    pub signed_payload: Field<String>,
    /// The payload's account.
    pub username: Field<String>,
}

impl RequestBody for RegResetPassword {
    /// The password, the payload and the normalised username.
    type Checked = (String, String, String);

    fn check(self) -> Result<Self::Checked, BodyError> {
        Ok((
            self.new_password.required("newPassword")?,
            self.signed_payload.required("signedPayload")?,
            username(self.username)?,
        ))
    }
}

/// `{"signedPayload","status":"success"}`: a right code (OpenAPI `SignedPayloadIssued`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignedPayloadIssued {
    /// The signed payload.
    #[serde(rename = "signedPayload")]
    pub signed_payload: String,
    /// `"success"`.
    pub status: SuccessStatus,
}

impl SignedPayloadIssued {
    /// The answer carrying `payload`.
    pub fn new(payload: String) -> Self {
        Self {
            signed_payload: payload,
            status: SuccessStatus::Success,
        }
    }
}

/// `GET /reg/user/info`: the account behind a token (OpenAPI `UserInfo`). The lists of things
/// the service keeps no data about are always empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UserInfo<'a> {
    /// Always empty.
    pub accounts: [(); 0],
    /// Always empty.
    pub addresses: [(); 0],
    /// Whether the account is approved.
    pub approved: bool,
    /// The account's one e-mail address.
    pub emails: [UserEmail<'a>; 1],
    /// E.164, or `null`.
    pub phone: Option<&'a str>,
    /// The same address as `emails`'.
    #[serde(rename = "primaryEmail")]
    pub primary_email: UserEmail<'a>,
    /// Always empty.
    #[serde(rename = "userGroups")]
    pub user_groups: [(); 0],
    /// The account's scopes.
    #[serde(rename = "userScopes")]
    pub user_scopes: &'a [String],
    /// The account's type (`CUSTOMER` by default).
    #[serde(rename = "userType")]
    pub user_type: &'a str,
}

/// An e-mail address in [`UserInfo`] (OpenAPI `UserEmail`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct UserEmail<'a> {
    /// Whether it is confirmed.
    pub confirmed: bool,
    /// The address.
    pub email: &'a str,
    /// Its id.
    pub id: &'a str,
}

impl<'a> UserInfo<'a> {
    /// What `account` shows.
    pub fn of(account: &'a Account) -> Self {
        let email = UserEmail {
            confirmed: account.email_confirmed,
            email: &account.email,
            id: &account.email_id,
        };
        Self {
            accounts: [],
            addresses: [],
            approved: account.approved,
            emails: [email],
            phone: account.phone.as_deref(),
            primary_email: email,
            user_groups: [],
            user_scopes: &account.scopes,
            user_type: &account.user_type,
        }
    }
}

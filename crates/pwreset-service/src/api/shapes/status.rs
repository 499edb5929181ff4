//! The answers dialects A and B share, told apart by `status`: `{"status":"success",…}` and the
//! failure `{"errors":[{"code","field","message"}],"message","status":"fail"}`.

use serde::Serialize;

/// `"success"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum SuccessStatus {
    /// The only value.
    #[default]
    #[serde(rename = "success")]
    Success,
}

/// `"fail"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum FailStatus {
    /// The only value.
    #[default]
    #[serde(rename = "fail")]
    Fail,
}

/// `{"status":"success"}`: a request was accepted (OpenAPI `Success`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Success {
    /// `"success"`.
    pub status: SuccessStatus,
}

/// `{"status":"success","token"}`: a password was set (OpenAPI `TokenIssued`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenIssued {
    /// `"success"`.
    pub status: SuccessStatus,
    /// The access token.
    pub token: String,
}

impl TokenIssued {
    /// The answer carrying `token`.
    pub fn new(token: String) -> Self {
        Self {
            status: SuccessStatus::Success,
            token,
        }
    }
}

/// A failure (OpenAPI `FailResponse`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FailResponse {
    /// Every reason, at least one.
    pub errors: Vec<FailItem>,
    /// A sentence for people.
    pub message: String,
    /// `"fail"`.
    pub status: FailStatus,
}

impl FailResponse {
    /// A failure.
    pub fn new(message: &str, errors: Vec<FailItem>) -> Self {
        Self {
            errors,
            message: message.to_owned(),
            status: FailStatus::Fail,
        }
    }
}

/// One item of a failure's `errors` (OpenAPI `FailItem`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FailItem {
    /// The stable code.
    pub code: String,
    /// The request field concerned.
    pub field: String,
    /// The human text.
    pub message: String,
}

impl FailItem {
    /// An item.
    pub fn new(field: &str, code: &str, message: &str) -> Self {
        Self {
            code: code.to_owned(),
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }
}

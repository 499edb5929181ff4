//! What a check returns: `{ "valid", "errors": [Violation], "strength" }`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{ErrorCode, Strength};

/// One broken rule, ready to show: a stable code, the form field it concerns, a message from the
/// policy's catalog, and the parameters the message was built from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The stable error code.
    pub code: ErrorCode,
    /// The field to show it beside (`"password"`, or the confirmation's field for a mismatch).
    pub field: String,
    /// The human text, from the policy's message catalog.
    pub message: String,
    /// The values the message mentions, e.g. `{"min_length": 8}`.
    pub params: Map<String, Value>,
}

/// The verdict on one password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// `true` when `errors` is empty.
    pub valid: bool,
    /// Every broken rule, in the policy's order.
    pub errors: Vec<Violation>,
    /// zxcvbn's estimate; `null` when not computed (no strength support, or the input was too long).
    pub strength: Option<Strength>,
}

impl CheckResult {
    /// The same verdict with every message taken from `catalog` (e.g. the policy's catalog
    /// [in another language](crate::messages::Catalog::in_language)), and the strength estimate's
    /// feedback in the catalog's language.
    pub fn localized(mut self, catalog: &crate::messages::Catalog) -> Self {
        for error in &mut self.errors {
            error.message = catalog.message(error.code, &error.params);
        }
        #[cfg(feature = "strength")]
        {
            self.strength = self.strength.map(|s| s.in_language(catalog.language()));
        }
        self
    }

    /// The codes of the errors, in order.
    pub fn codes(&self) -> Vec<ErrorCode> {
        self.errors.iter().map(|error| error.code).collect()
    }
}

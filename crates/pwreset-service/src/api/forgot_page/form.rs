//! What the forgot page reads: the submitted form (`identifier`, and the Turnstile widget's
//! `cf-turnstile-response`, URL-encoded as browsers send it), and which link flow an identifier
//! starts.

use crate::api::pages::form::{FormError, read_fields};
use crate::model::account::{normalize_email, normalize_identifier};
#[cfg(test)]
use crate::model::http::MAX_BODY_BYTES;
use crate::model::http::Request;
use crate::model::job::ResetVia;
use crate::turnstile::RESPONSE_FIELD;

/// The form's one field: an e-mail address or a username.
pub const IDENTIFIER_FIELD: &str = "identifier";

/// A submitted form.
pub struct Submission {
    /// What was typed, as sent.
    pub identifier: String,
    /// The Turnstile widget's token, when the form carried one.
    pub token: Option<String>,
}

impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither what was typed (whose account it is) nor the token is printed.
        f.debug_struct("Submission")
            .field("token", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl Submission {
    /// Reads a `POST /forgot` body: `application/x-www-form-urlencoded` of at most
    /// [`MAX_BODY_BYTES`](crate::model::http::MAX_BODY_BYTES). A missing field reads as empty
    /// (the identifier) or absent (the token); of a repeated field the first counts.
    pub fn parse(req: &Request) -> Result<Self, FormError> {
        let [identifier, token] = read_fields(req, [IDENTIFIER_FIELD, RESPONSE_FIELD])?;
        Ok(Self {
            identifier: identifier.unwrap_or_default(),
            token,
        })
    }

    /// Whether nothing but blanks was typed.
    pub fn is_empty(&self) -> bool {
        self.identifier.trim().is_empty()
    }
}

/// Which link flow an identifier starts, and the identifier as looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    /// A link by that flow for the normalised identifier.
    Link(ResetVia, String),
    /// Nothing any account could match (over 254 bytes, control characters): counted against the
    /// limits under `key`, and answered the same, but nothing is queued.
    Nothing {
        /// The rate limits' key: the text trimmed and lower-cased.
        key: String,
    },
}

impl Ask {
    /// An e-mail address (`local@domain`) asks for dialect B's link (`/reset?token=…`) to every
    /// account with that address; anything else a username, for dialect C's link
    /// (`/reset?user=…&token=…`) to the account with that username, else to each account with
    /// that address.
    pub fn of(identifier: &str) -> Self {
        if let Some(email) = normalize_email(identifier) {
            return Ask::Link(ResetVia::EmailLink, email);
        }
        match normalize_identifier(identifier) {
            Some(username) => Ask::Link(ResetVia::UserLink, username),
            None => Ask::Nothing {
                key: identifier.trim().to_lowercase(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::http::Method;

    fn form(body: &str) -> Request {
        let mut req = Request::new(Method::Post, "/forgot")
            .header("Content-Type", "application/x-www-form-urlencoded");
        req.body = body.as_bytes().to_vec();
        req
    }

    #[test]
    fn the_fields_are_read_as_sent() {
        let s = Submission::parse(&form(
            "identifier=+Jane%40Example.com+&cf-turnstile-response=tok&identifier=x",
        ))
        .unwrap();
        assert_eq!(s.identifier, " Jane@Example.com ");
        assert_eq!(s.token.as_deref(), Some("tok"));
        let empty = Submission::parse(&form("other=1")).unwrap();
        assert!(empty.is_empty() && empty.token.is_none());
        assert!(
            Submission::parse(&form("identifier=+%09+"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn other_bodies_are_refused() {
        let mut json = form("{}");
        json.headers = vec![("content-type".into(), "application/json".into())];
        assert_eq!(Submission::parse(&json).unwrap_err(), FormError::NotAForm);
        let big = form(&"a".repeat(MAX_BODY_BYTES + 1));
        assert_eq!(Submission::parse(&big).unwrap_err(), FormError::TooLarge);
    }

    #[test]
    fn an_address_asks_for_b_links_and_a_name_for_c_links() {
        assert_eq!(
            Ask::of(" Jane@Example.COM "),
            Ask::Link(ResetVia::EmailLink, "jane@example.com".into())
        );
        assert_eq!(
            Ask::of("Jane"),
            Ask::Link(ResetVia::UserLink, "jane".into())
        );
        assert_eq!(
            Ask::of("a@b@c"),
            Ask::Link(ResetVia::UserLink, "a@b@c".into())
        );
        let long = "X".repeat(300);
        assert_eq!(
            Ask::of(&long),
            Ask::Nothing {
                key: "x".repeat(300)
            }
        );
    }

    #[test]
    fn debug_output_has_neither_the_identifier_nor_the_token() {
        let s = Submission::parse(&form(
            "identifier=jane%40example.com&cf-turnstile-response=sekrit-token",
        ))
        .unwrap();
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("jane") && !shown.contains("sekrit"),
            "{shown}"
        );
    }
}

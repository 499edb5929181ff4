//! What the forgot page reads: the submitted form (`identifier`, and the Turnstile widget's
//! `cf-turnstile-response`, URL-encoded as browsers send it), and which link flow an identifier
//! starts: an e-mail address, a phone number or a username.

use crate::api::pages::form::{FormError, read_fields};
use crate::model::account::{normalize_email, normalize_identifier, normalize_phone};
#[cfg(test)]
use crate::model::http::MAX_BODY_BYTES;
use crate::model::http::Request;
use crate::model::job::ResetVia;
use crate::turnstile::RESPONSE_FIELD;

/// The form's one field: an e-mail address, a username or a phone number.
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
    /// account with that address; a phone number with its country code (a leading `+`, then as
    /// dialect B's `forgotpass/mobile` reads one: 8–15 digits, spaces, dashes, dots and
    /// parentheses) for that link by SMS to the account with that phone, looked up in E.164;
    /// anything else a username, for dialect C's link (`/reset?user=…&token=…`) to the account
    /// with that username, else to each account with that address. Without the `+`, digits are
    /// a username: a numeric username keeps its link.
    pub fn of(identifier: &str) -> Self {
        if let Some(email) = normalize_email(identifier) {
            return Ask::Link(ResetVia::EmailLink, email);
        }
        if identifier.trim_start().starts_with('+')
            && let Some(phone) = normalize_phone(identifier)
        {
            return Ask::Link(ResetVia::SmsLink, phone);
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
        // Digits with letters, or too few or too many of them, are names.
        for name in [
            "jane99",
            "1234567",
            "1234567890123456",
            "+44 7700 900456 x2",
            "447700900456",
            "12345678",
        ] {
            assert_eq!(
                Ask::of(name),
                Ask::Link(ResetVia::UserLink, name.to_lowercase()),
                "{name}"
            );
        }
        let long = "X".repeat(300);
        assert_eq!(
            Ask::of(&long),
            Ask::Nothing {
                key: "x".repeat(300)
            }
        );
    }

    #[test]
    fn a_phone_number_asks_for_b_s_link_by_sms_in_e164() {
        for typed in [
            "+447700900456",
            " +44 7700 900456 ",
            "+44 (7700) 900-456",
            "+44.7700.900.456",
        ] {
            assert_eq!(
                Ask::of(typed),
                Ask::Link(ResetVia::SmsLink, "+447700900456".into()),
                "{typed:?}"
            );
        }
        // With its `+`, read as dialect B's `forgotpass/mobile` reads it, and no other way.
        for typed in ["+1 555 123 4567", "++447700900456", "+44 7700 900456!"] {
            let phone = crate::model::account::normalize_phone(typed);
            match Ask::of(typed) {
                Ask::Link(ResetVia::SmsLink, looked_up) => {
                    assert_eq!(Some(looked_up), phone, "{typed:?}")
                }
                other => assert_eq!(phone, None, "{typed:?}: {other:?}"),
            }
        }
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

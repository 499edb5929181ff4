//! What the page reads: the link's query (`token`, and `user` for dialect C) and the submitted
//! form (`token`, `user`, `password`, `password_confirm`, URL-encoded as browsers send it).

use pwreset_core::Policy;

pub use crate::api::pages::form::FormError;
use crate::api::pages::form::read_fields;
use crate::config::ServiceConfig;
use crate::flows::PasswordForm;
#[cfg(test)]
use crate::model::http::MAX_BODY_BYTES;
use crate::model::http::Request;
use crate::model::locale::Locale;

/// The form's field for the new password (errors about it name this field).
pub const PASSWORD_FIELD: &str = "password";
/// The form's field for the confirmation (a mismatch names this field).
pub const CONFIRM_FIELD: &str = "password_confirm";

/// The secret a link carries: dialect B's token, or dialect C's account key and token. Read as
/// given; nothing here says whether it is valid.
#[derive(Clone, Default)]
pub struct Link {
    /// The link token (hex when the link is genuine; anything at all otherwise).
    pub token: String,
    /// Dialect C's account key; `None` for dialect B.
    pub user: Option<String>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a secret: never printed.
        f.debug_struct("Link")
            .field("dialect_c", &self.user.is_some())
            .finish_non_exhaustive()
    }
}

impl Link {
    /// The link's parameters from a `GET /reset?token=…[&user=…]`; missing or undecodable ones
    /// are empty (the page still shows: a `GET` never tells whether a link is good).
    pub fn from_query(req: &Request) -> Self {
        Self {
            token: req.query_param("token").unwrap_or_default(),
            user: req.query_param("user").filter(|u| !u.is_empty()),
        }
    }

    /// The policy the link's dialect enforces: dialect C's for a link with `user`, else the one
    /// of dialects A and B.
    pub fn policy<'a>(&self, cfg: &'a ServiceConfig) -> &'a Policy {
        match self.user {
            Some(_) => &cfg.user_api.policy,
            None => &cfg.policy,
        }
    }

    /// A new password for this link as the page's form names it: the link's policy, the page's
    /// fields, messages in `locale`.
    pub fn password_form<'a>(
        &self,
        cfg: &'a ServiceConfig,
        password: &'a str,
        confirm: Option<&'a str>,
        locale: Locale,
    ) -> PasswordForm<'a> {
        PasswordForm {
            policy: self.policy(cfg),
            password,
            confirm,
            password_field: PASSWORD_FIELD,
            confirm_field: CONFIRM_FIELD,
            locale,
        }
    }
}

/// A submitted form.
pub struct Submission {
    /// The link it came from (its hidden fields).
    pub link: Link,
    /// The new password, exactly as typed.
    pub password: String,
    /// Its confirmation.
    pub confirm: String,
}

impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Submission")
            .field("link", &self.link)
            .finish_non_exhaustive()
    }
}

impl Submission {
    /// Reads a `POST /reset` body. A missing field reads as empty: an empty password is then
    /// refused by the policy, an empty token as an invalid link.
    pub fn parse(req: &Request) -> Result<Self, FormError> {
        let [token, user, password, confirm] =
            read_fields(req, ["token", "user", PASSWORD_FIELD, CONFIRM_FIELD])?;
        Ok(Self {
            link: Link {
                token: token.unwrap_or_default(),
                user: user.filter(|u| !u.is_empty()),
            },
            password: password.unwrap_or_default(),
            confirm: confirm.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::http::Method;

    fn form(body: &str) -> Request {
        let mut req = Request::new(Method::Post, "/reset").header(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        );
        req.body = body.as_bytes().to_vec();
        req
    }

    #[test]
    fn a_link_reads_its_token_and_user_as_given() {
        let b = Link::from_query(&Request::new(Method::Get, "/reset?token=ab12"));
        assert_eq!((b.token.as_str(), b.user.as_deref()), ("ab12", None));
        let c = Link::from_query(&Request::new(Method::Get, "/reset?user=u%2F1&token=cd"));
        assert_eq!((c.token.as_str(), c.user.as_deref()), ("cd", Some("u/1")));
        let none = Link::from_query(&Request::new(Method::Get, "/reset?user=&token=%zz"));
        assert_eq!((none.token.as_str(), none.user), ("", None));
    }

    #[test]
    fn a_form_body_is_decoded_without_touching_the_password() {
        let s = Submission::parse(&form(
            "token=abc&user=u1&password=+p%C3%A4ss+word%26%3D+&password_confirm=x&other=1",
        ))
        .unwrap();
        assert_eq!(s.link.token, "abc");
        assert_eq!(s.link.user.as_deref(), Some("u1"));
        assert_eq!(s.password, " päss word&= ");
        assert_eq!(s.confirm, "x");
    }

    #[test]
    fn missing_fields_read_as_empty_and_the_first_of_a_repeat_counts() {
        let s = Submission::parse(&form("password=a&password=b")).unwrap();
        assert_eq!(
            (s.link.token.as_str(), s.link.user, s.password.as_str()),
            ("", None, "a")
        );
        assert_eq!(s.confirm, "");
    }

    #[test]
    fn other_bodies_are_refused() {
        let mut json = form("{}");
        json.headers = vec![("content-type".into(), "application/json".into())];
        assert_eq!(Submission::parse(&json).unwrap_err(), FormError::NotAForm);
        let mut bare = form("password=a");
        bare.headers.clear();
        assert_eq!(Submission::parse(&bare).unwrap_err(), FormError::NotAForm);
        let big = form(&"a".repeat(MAX_BODY_BYTES + 1));
        assert_eq!(Submission::parse(&big).unwrap_err(), FormError::TooLarge);
    }

    #[test]
    fn debug_output_has_no_secret() {
        let s = Submission::parse(&form(
            "token=deadbeefcafe&password=hunter2secret&password_confirm=hunter2secret",
        ))
        .unwrap();
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("deadbeefcafe") && !shown.contains("hunter2secret"),
            "{shown}"
        );
    }
}

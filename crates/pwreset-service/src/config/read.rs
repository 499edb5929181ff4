//! Reading variables: every name through the declared table, every value through one of a few
//! small parsers, every problem noted as it is found and named after its variable.

use std::ops::RangeInclusive;

use url::{Host, Url};

use super::variables::{Variable, variable};
use super::{Environment, delivery::Secret};

/// The variables behind a platform's `get`, and the problems found reading them.
pub(crate) struct Vars<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
    /// Every problem found so far, each naming its variable.
    pub(crate) problems: Vec<String>,
}

/// The declared variable `name`. Reading a name [`super::VARIABLES`] does not list is a bug:
/// debug builds (every test) panic on it.
fn declared(name: &str) -> Option<&'static Variable> {
    let found = variable(name);
    debug_assert!(
        found.is_some(),
        "{name} is read but not declared in config::VARIABLES"
    );
    found
}

/// `name`'s declared default, read by `parse`. A default that is missing or that its own parser
/// refuses is a bug in [`super::VARIABLES`], which `tests/config.rs` reads every default to find.
fn declared_default<T>(name: &str, parse: impl Fn(&str) -> Result<T, String>) -> T {
    let text = declared(name)
        .and_then(|v| v.default)
        .unwrap_or_else(|| panic!("{name} is read with its default but declares none"));
    parse(text).unwrap_or_else(|problem| panic!("{name}'s declared default{problem}"))
}

impl<'a> Vars<'a> {
    /// Reads through `get` (a variable's value, `None` when unset).
    pub(crate) fn new(get: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            get,
            problems: Vec::new(),
        }
    }

    /// Notes a problem: `name` followed by `rest` (which starts with ` ` or `:`).
    pub(crate) fn problem(&mut self, name: &str, rest: impl std::fmt::Display) {
        self.problems.push(format!("{name}{rest}"));
    }

    /// The value as given, blanks and all; `None` when unset or blank.
    pub(crate) fn untrimmed(&self, name: &str) -> Option<String> {
        declared(name);
        (self.get)(name).filter(|value| !value.trim().is_empty())
    }

    /// The value without surrounding blanks; `None` when unset or blank.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.untrimmed(name).map(|value| value.trim().to_owned())
    }

    /// Which rules hold (`ENVIRONMENT`).
    pub(crate) fn environment(&self) -> Environment {
        Environment::from_value(self.text("ENVIRONMENT").as_deref())
    }

    /// `name` read by `parse`; `None` when unset, or (with its problem noted) when refused.
    /// `parse`'s error is what follows the name in the problem.
    pub(crate) fn optional<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.text(name)?;
        parse(&text).map_err(|rest| self.problem(name, rest)).ok()
    }

    /// `name` read by `parse`, its declared default (read by the same `parse`) when unset;
    /// `None` (with its problem noted) when refused.
    pub(crate) fn with_declared<T>(
        &mut self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.text(name).is_none() {
            return Some(declared_default(name, &parse));
        }
        self.optional(name, parse)
    }

    /// `name` read by `parse`; its declared default (read by the same `parse`) when unset or
    /// (with its problem noted) refused.
    pub(crate) fn or_declared<T>(
        &mut self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> T {
        self.optional(name, &parse)
            .unwrap_or_else(|| declared_default(name, &parse))
    }

    /// `name` read by `parse`, `empty` when unset or (with its problem noted) refused: for a
    /// variable whose absence means "none" rather than a value one could write.
    pub(crate) fn or_empty<T>(
        &mut self,
        name: &str,
        empty: T,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> T {
        debug_assert!(
            declared(name).is_some_and(|v| v.default.is_none()),
            "{name} declares a default; read it with or_declared"
        );
        self.optional(name, parse).unwrap_or(empty)
    }

    /// `name` read by `parse`; when unset, the problem `name` + `missing`.
    pub(crate) fn required<T>(
        &mut self,
        name: &str,
        missing: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if self.text(name).is_none() {
            self.problem(name, missing);
            return None;
        }
        self.optional(name, parse)
    }

    /// A required secret, as given (surrounding blanks are refused too, with every space and
    /// control character, which would break or smuggle headers). Its value is never shown.
    pub(crate) fn secret(&mut self, name: &str, why: &str) -> Option<Secret> {
        debug_assert!(
            declared(name).is_some_and(|v| v.secret),
            "{name} is read as a secret but not declared one"
        );
        let Some(value) = self.untrimmed(name) else {
            self.problem(name, format_args!(" is required {why}"));
            return None;
        };
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.problem(
                name,
                " contains spaces or control characters; set it without them",
            );
            return None;
        }
        Some(Secret::new(value))
    }
}

/// A whole number within `range`; otherwise `refusal` (what follows the name).
pub(crate) fn whole_number<T: std::str::FromStr + PartialOrd>(
    range: RangeInclusive<T>,
    refusal: impl Fn() -> String,
) -> impl Fn(&str) -> Result<T, String> {
    move |text| {
        text.parse::<T>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(&refusal)
    }
}

/// One of `choices` (exact words); otherwise `refusal`.
pub(crate) fn one_of<T: Copy>(
    choices: &'static [(&'static str, T)],
    refusal: &'static str,
) -> impl Fn(&str) -> Result<T, String> {
    move |text| {
        choices
            .iter()
            .find(|(word, _)| *word == text)
            .map(|(_, value)| *value)
            .ok_or_else(|| refusal.to_owned())
    }
}

/// A URL (see [`parse_url`]), kept as [`UrlKind`] says; otherwise its fault.
pub(crate) fn url(kind: UrlKind) -> impl Fn(&str) -> Result<String, String> {
    move |text| {
        parse_url(text, kind)
            .map(|_| kind.keep(text))
            .map_err(|fault| fault.to_string())
    }
}

/// What a URL variable is for, and so what else it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UrlKind {
    /// A base that paths are appended to: no query; kept without a trailing `/`.
    Base,
    /// An address called as it is (a webhook's): a query allowed (it may carry a token).
    Endpoint,
}

impl UrlKind {
    /// The text kept for a URL that passed.
    fn keep(self, text: &str) -> String {
        match self {
            UrlKind::Base => text.trim_end_matches('/').to_owned(),
            UrlKind::Endpoint => text.to_owned(),
        }
    }
}

/// Why a URL is refused; each reads after the variable's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UrlFault {
    /// Spaces or control characters (the parser would quietly drop tabs and new lines).
    Spaces,
    /// Not an absolute URL.
    NotAbsolute,
    /// Another scheme than `http` or `https`.
    Scheme,
    /// No host.
    NoHost,
    /// `user:password@`.
    Credentials,
    /// A query on a base URL.
    Query,
    /// A fragment.
    Fragment,
}

impl std::fmt::Display for UrlFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UrlFault::Spaces => " must not contain spaces or control characters",
            UrlFault::NotAbsolute => " must be an absolute URL starting with https:// or http://",
            UrlFault::Scheme => " must start with https:// or http://",
            UrlFault::NoHost => " must name a host",
            UrlFault::Credentials => {
                " must not carry credentials (user:password@); use the key variables"
            }
            UrlFault::Query => " must not have a query or fragment: paths are appended to it",
            UrlFault::Fragment => " must not have a fragment",
        })
    }
}

/// Every URL the service is configured with: an absolute `http(s)` URL with a host, no
/// credentials, spaces or fragment, and a query only for an [`UrlKind::Endpoint`]. Whether
/// `http://` is acceptable depends on the environment, which each section decides.
pub(crate) fn parse_url(text: &str, kind: UrlKind) -> Result<Url, UrlFault> {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlFault::Spaces);
    }
    let url = Url::parse(text).map_err(|_| UrlFault::NotAbsolute)?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(UrlFault::Scheme);
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlFault::NoHost);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlFault::Credentials);
    }
    if kind == UrlKind::Base && (url.query().is_some() || url.fragment().is_some()) {
        return Err(UrlFault::Query);
    }
    if url.fragment().is_some() {
        return Err(UrlFault::Fragment);
    }
    Ok(url)
}

/// Whether `url`'s host is this machine: `localhost`, 127.0.0.0/8 or `[::1]`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "NOT_DECLARED is read but not declared in config::VARIABLES")]
    fn reading_an_undeclared_name_panics() {
        Vars::new(&|_| None).text("NOT_DECLARED");
    }

    #[test]
    #[should_panic(expected = "PUBLIC_URL is read as a secret but not declared one")]
    fn reading_a_declared_non_secret_as_a_secret_panics() {
        Vars::new(&|_| None).secret("PUBLIC_URL", "always");
    }

    #[test]
    fn every_url_fault_is_found() {
        for (text, kind, fault) in [
            ("https://a.test/x y", UrlKind::Base, UrlFault::Spaces),
            ("https://a.test/\tx", UrlKind::Endpoint, UrlFault::Spaces),
            ("a.test", UrlKind::Base, UrlFault::NotAbsolute),
            ("https://", UrlKind::Base, UrlFault::NotAbsolute),
            ("ftp://a.test", UrlKind::Base, UrlFault::Scheme),
            (
                "https://u:p@a.test",
                UrlKind::Endpoint,
                UrlFault::Credentials,
            ),
            ("https://a.test/?q", UrlKind::Base, UrlFault::Query),
            ("https://a.test/#f", UrlKind::Base, UrlFault::Query),
            ("https://a.test/?q#f", UrlKind::Endpoint, UrlFault::Fragment),
        ] {
            assert_eq!(parse_url(text, kind).err(), Some(fault), "{text}");
        }
        assert!(parse_url("https://a.test/hook?token=1", UrlKind::Endpoint).is_ok());
        assert_eq!(
            url(UrlKind::Base)("http://127.0.0.1:8787/"),
            Ok("http://127.0.0.1:8787".to_owned())
        );
    }
}

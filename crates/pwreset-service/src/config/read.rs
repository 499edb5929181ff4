//! Reading variables: every name through the declared table, every value through a small
//! [`Parser`] of the variable's declared [`Kind`], every secret through a secret reader, every
//! problem noted as it is found and named after its variable.

use std::ops::RangeInclusive;

use url::{Host, Url};

use super::Environment;
pub(crate) use super::variables::UrlKind;
use super::variables::{Kind, Variable, variable};
use crate::model::secret::Secret;

/// The variables behind a platform's `get`, and the problems found reading them.
pub(crate) struct Vars<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
    /// Every problem found so far, each naming its variable.
    pub(crate) problems: Vec<String>,
}

/// How a value is read: a parse function and the [`Kind`] it reads, which every reader checks
/// against the declared one.
pub(crate) struct Parser<F> {
    kind: Kind,
    parse: F,
}

impl<F> Parser<F> {
    /// `parse`, which reads values of `kind`; its error is what follows the name in a problem
    /// (and never holds a secret's value).
    pub(crate) fn new(kind: Kind, parse: F) -> Self {
        Self { kind, parse }
    }
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

/// The declared variable `name`, checked against how it is read: by a secret reader or not, and
/// with a parser of `kind` (`None`: its value is not parsed). A mismatch is a bug in the reader
/// or in [`super::VARIABLES`]: debug builds panic on it.
fn checked(name: &str, secret: bool, kind: Option<Kind>) -> Option<&'static Variable> {
    let found = declared(name)?;
    if secret {
        debug_assert!(
            found.secret,
            "{name} is read as a secret but not declared one"
        );
    } else {
        debug_assert!(
            !found.secret,
            "{name} is declared secret but read by a reader that is not for secrets"
        );
    }
    if let Some(kind) = kind {
        debug_assert!(
            kind == found.kind,
            "{name} is read as {kind:?} but declared {:?}",
            found.kind
        );
    }
    Some(found)
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

    /// The value as given, wiped from memory when dropped; `None` when unset or blank.
    fn untrimmed(&self, name: &str) -> Option<Secret> {
        (self.get)(name)
            .map(Secret::new)
            .filter(|value| !value.expose().trim().is_empty())
    }

    /// The value without surrounding blanks, wiped from memory when dropped; `None` when unset
    /// or blank.
    fn trimmed(&self, name: &str) -> Option<Secret> {
        self.untrimmed(name)
            .map(|value| Secret::new(value.expose().trim()))
    }

    /// The value without surrounding blanks, as plain text; `None` when unset or blank.
    fn plain(&self, name: &str) -> Option<String> {
        self.trimmed(name).map(|value| value.expose().to_owned())
    }

    /// `name`'s value (not a secret) read by `parse`, with its problem noted when refused.
    fn parsed<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.plain(name)?;
        parse(&text).map_err(|rest| self.problem(name, rest)).ok()
    }

    /// `value` (a secret's) read by `parse`, with its problem noted when refused.
    fn parsed_secret<T>(
        &mut self,
        name: &str,
        value: &Secret,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        parse(value.expose())
            .map_err(|rest| self.problem(name, rest))
            .ok()
    }

    /// Whether `name` is set (and not blank); its value stays unread.
    pub(crate) fn is_set(&self, name: &str) -> bool {
        declared(name);
        self.untrimmed(name).is_some()
    }

    /// A URL variable's value without surrounding blanks, unparsed, for the rules over every
    /// URL; `None` when unset or blank.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        if let Some(v) = checked(name, false, None) {
            debug_assert!(
                matches!(v.kind, Kind::Url(_)),
                "{name} is read unparsed, but only a URL is"
            );
        }
        self.plain(name)
    }

    /// Which rules hold (`ENVIRONMENT`).
    pub(crate) fn environment(&self) -> Environment {
        checked("ENVIRONMENT", false, Some(Kind::Environment));
        Environment::from_value(self.plain("ENVIRONMENT").as_deref())
    }

    /// `name` read by `parser`; `None` when unset, or (with its problem noted) when refused.
    pub(crate) fn optional<T>(
        &mut self,
        name: &str,
        parser: Parser<impl FnOnce(&str) -> Result<T, String>>,
    ) -> Option<T> {
        checked(name, false, Some(parser.kind));
        self.parsed(name, parser.parse)
    }

    /// `name` read by `parser`, whose refusal may be several problems (each noted after the
    /// name); `None` when unset or refused.
    pub(crate) fn optional_each<T>(
        &mut self,
        name: &str,
        parser: Parser<impl FnOnce(&str) -> Result<T, Vec<String>>>,
    ) -> Option<T> {
        checked(name, false, Some(parser.kind));
        let text = self.plain(name)?;
        match (parser.parse)(&text) {
            Ok(value) => Some(value),
            Err(problems) => {
                for problem in problems {
                    self.problem(name, problem);
                }
                None
            }
        }
    }

    /// `name` read by `parser`, its declared default (read by the same parser) when unset;
    /// `None` (with its problem noted) when refused.
    pub(crate) fn with_declared<T>(
        &mut self,
        name: &str,
        parser: Parser<impl Fn(&str) -> Result<T, String>>,
    ) -> Option<T> {
        checked(name, false, Some(parser.kind));
        if self.plain(name).is_none() {
            return Some(declared_default(name, parser.parse));
        }
        self.parsed(name, parser.parse)
    }

    /// `name` read by `parser`; its declared default (read by the same parser) when unset or
    /// (with its problem noted) refused.
    pub(crate) fn or_declared<T>(
        &mut self,
        name: &str,
        parser: Parser<impl Fn(&str) -> Result<T, String>>,
    ) -> T {
        checked(name, false, Some(parser.kind));
        self.parsed(name, &parser.parse)
            .unwrap_or_else(|| declared_default(name, parser.parse))
    }

    /// `name` read by `parser`, `empty` when unset or (with its problem noted) refused: for a
    /// variable whose absence means "none" rather than a value one could write.
    pub(crate) fn or_empty<T>(
        &mut self,
        name: &str,
        empty: T,
        parser: Parser<impl FnOnce(&str) -> Result<T, String>>,
    ) -> T {
        let found = checked(name, false, Some(parser.kind));
        debug_assert!(
            found.is_some_and(|v| v.default.is_none()),
            "{name} declares a default; read it with or_declared"
        );
        self.parsed(name, parser.parse).unwrap_or(empty)
    }

    /// `name` read by `parser`; when unset, the problem `name` + `missing`.
    pub(crate) fn required<T>(
        &mut self,
        name: &str,
        missing: &str,
        parser: Parser<impl FnOnce(&str) -> Result<T, String>>,
    ) -> Option<T> {
        checked(name, false, Some(parser.kind));
        if self.plain(name).is_none() {
            self.problem(name, missing);
            return None;
        }
        self.parsed(name, parser.parse)
    }

    /// A required secret, as given (surrounding blanks are refused too, with every space and
    /// control character, which would break or smuggle headers), read by `parser`. Its value is
    /// never shown.
    pub(crate) fn secret<T>(
        &mut self,
        name: &str,
        why: &str,
        parser: Parser<impl FnOnce(&str) -> Result<T, String>>,
    ) -> Option<T> {
        checked(name, true, Some(parser.kind));
        let Some(value) = self.untrimmed(name) else {
            self.problem(name, format_args!(" is required {why}"));
            return None;
        };
        if value
            .expose()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            self.problem(
                name,
                " contains spaces or control characters; set it without them",
            );
            return None;
        }
        self.parsed_secret(name, &value, parser.parse)
    }

    /// A secret without surrounding blanks, read by `parser`; `None` when unset, or (with its
    /// problem noted) when refused. Its value is never shown.
    pub(crate) fn optional_secret<T>(
        &mut self,
        name: &str,
        parser: Parser<impl FnOnce(&str) -> Result<T, String>>,
    ) -> Option<T> {
        checked(name, true, Some(parser.kind));
        let value = self.trimmed(name)?;
        self.parsed_secret(name, &value, parser.parse)
    }

    /// [`Vars::optional_secret`]; when unset, the problem `name` + `missing`.
    pub(crate) fn required_secret<T>(
        &mut self,
        name: &str,
        missing: &str,
        parser: Parser<impl FnOnce(&str) -> Result<T, String>>,
    ) -> Option<T> {
        checked(name, true, Some(parser.kind));
        let Some(value) = self.trimmed(name) else {
            self.problem(name, missing);
            return None;
        };
        self.parsed_secret(name, &value, parser.parse)
    }

    /// A secret's value without surrounding blanks, unparsed, for a rule over several secrets;
    /// `None` when unset or blank.
    pub(crate) fn secret_text(&self, name: &str) -> Option<Secret> {
        checked(name, true, None);
        self.trimmed(name)
    }
}

/// A whole number within `range` ([`Kind::WholeNumber`]); otherwise `refusal` (what follows the
/// name).
pub(crate) fn whole_number<T: std::str::FromStr + PartialOrd + Copy + Into<u64>>(
    range: RangeInclusive<T>,
    refusal: impl Fn() -> String,
) -> Parser<impl Fn(&str) -> Result<T, String>> {
    let kind = Kind::WholeNumber {
        min: (*range.start()).into(),
        max: (*range.end()).into(),
    };
    Parser::new(kind, move |text: &str| {
        text.parse::<T>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(&refusal)
    })
}

/// `on` or `off` ([`Kind::Switch`]), as `true` or `false`.
pub(crate) fn switch() -> Parser<impl Fn(&str) -> Result<bool, String>> {
    Parser::new(Kind::Switch, |text: &str| match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(" must be on or off".to_owned()),
    })
}

/// One of `words`, exactly ([`Kind::OneOf`]), as the value at the same place in `values`;
/// otherwise "must be" and the words.
pub(crate) fn one_of<T: Copy, const N: usize>(
    words: &'static [&'static str; N],
    values: [T; N],
) -> Parser<impl Fn(&str) -> Result<T, String>> {
    let refusal = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!(" must be {} or {last}", rest.join(", ")),
        _ => format!(" must be {}", words.concat()),
    };
    Parser::new(Kind::OneOf(words), move |text: &str| {
        words
            .iter()
            .position(|word| *word == text)
            .map(|i| values[i])
            .ok_or_else(|| refusal.clone())
    })
}

/// A URL (see [`parse_url`]) that `check` accepts, kept as [`UrlKind`] says
/// ([`Kind::Url`]); otherwise its fault, or `check`'s.
pub(crate) fn url_with(
    kind: UrlKind,
    check: impl Fn(&Url) -> Result<(), String>,
) -> Parser<impl Fn(&str) -> Result<String, String>> {
    Parser::new(Kind::Url(kind), move |text: &str| {
        let url = parse_url(text, kind).map_err(|fault| fault.to_string())?;
        check(&url)?;
        Ok(kind.keep(text))
    })
}

/// A URL (see [`parse_url`]), kept as [`UrlKind`] says ([`Kind::Url`]); otherwise its fault.
pub(crate) fn url(kind: UrlKind) -> Parser<impl Fn(&str) -> Result<String, String>> {
    url_with(kind, |_| Ok(()))
}

/// A secret of at least `min` bytes ([`Kind::Secret`]); otherwise `refusal`.
pub(crate) fn secret(
    min: usize,
    refusal: impl Fn() -> String,
) -> Parser<impl Fn(&str) -> Result<Secret, String>> {
    Parser::new(Kind::Secret { min }, move |text: &str| {
        if text.len() < min {
            return Err(refusal());
        }
        Ok(Secret::new(text))
    })
}

/// Secrets separated by commas or white space, each of at least `min` bytes
/// ([`Kind::SecretList`]); otherwise `refusal`.
pub(crate) fn secret_list(
    min: usize,
    refusal: impl Fn() -> String,
) -> Parser<impl Fn(&str) -> Result<Vec<Secret>, String>> {
    Parser::new(Kind::SecretList { min }, move |text: &str| {
        let items = list_items(text);
        if items.iter().any(|item| item.len() < min) {
            return Err(refusal());
        }
        Ok(items.into_iter().map(Secret::new).collect())
    })
}

/// A secret as given ([`Kind::Credential`]; [`Vars::secret`] refuses spaces).
pub(crate) fn credential() -> Parser<impl Fn(&str) -> Result<Secret, String>> {
    Parser::new(Kind::Credential, |text: &str| Ok(Secret::new(text)))
}

/// The items of a list separated by commas or white space.
pub(crate) fn list_items(text: &str) -> Vec<&str> {
    text.split([',', ' ', '\n', '\t', '\r'])
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect()
}

/// The text kept for a URL that passed: a [`UrlKind::Base`] without its trailing `/`.
impl UrlKind {
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
        Vars::new(&|_| None).secret("PUBLIC_URL", "always", credential());
    }

    #[test]
    #[should_panic(
        expected = "USER_DIRECTORY_SECRET is declared secret but read by a reader that is not for secrets"
    )]
    fn reading_a_declared_secret_as_plain_text_panics() {
        Vars::new(&|_| None).optional("USER_DIRECTORY_SECRET", secret(32, String::new));
    }

    #[test]
    #[should_panic(
        expected = "API_KEYS is declared secret but read by a reader that is not for secrets"
    )]
    fn reading_a_declared_secret_unparsed_as_plain_text_panics() {
        Vars::new(&|_| None).text("API_KEYS");
    }

    #[test]
    #[should_panic(
        expected = "CODE_DIGITS is read as WholeNumber { min: 1, max: 10 } but declared"
    )]
    fn reading_with_a_parser_of_another_kind_panics() {
        Vars::new(&|_| None).or_declared("CODE_DIGITS", whole_number(1u8..=10, String::new));
    }

    #[test]
    #[should_panic(expected = "CODE_DIGITS is read unparsed, but only a URL is")]
    fn reading_a_value_unparsed_panics() {
        Vars::new(&|_| None).text("CODE_DIGITS");
    }

    #[test]
    fn no_secret_reader_puts_the_value_in_a_problem() {
        let get = |_: &str| Some("  SeCrEt:x  ".to_owned());
        let mut vars = Vars::new(&get);
        let refuse = || ": refused".to_owned();
        let keyring = Parser::new(Kind::Keyring, |text: &str| {
            pwreset_core::secrets::Keyring::parse(text).map_err(|e| format!(": {e}"))
        });
        assert!(
            vars.required_secret("KEYS", " is missing", keyring)
                .is_none()
        );
        assert!(
            vars.optional_secret("ADMIN_TOKEN", secret(24, refuse))
                .is_none()
        );
        assert!(
            vars.optional_secret("API_KEYS", secret_list(16, refuse))
                .is_none()
        );
        assert!(
            vars.secret("EMAIL_API_KEY", "always", credential())
                .is_none()
        );
        assert_eq!(vars.problems.len(), 4, "{:?}", vars.problems);
        assert!(
            vars.problems.iter().all(|p| !p.contains("SeCrEt")),
            "{:?}",
            vars.problems
        );
        // Accepted, it is held as a secret: trimmed, and redacted in Debug.
        let value = "SeCrEt admin token 0123456789";
        let get = |_: &str| Some(format!(" {value} "));
        let vars = &mut Vars::new(&get);
        let token = vars.optional_secret("ADMIN_TOKEN", secret(24, refuse));
        assert_eq!(token.as_ref().map(Secret::expose), Some(value));
        assert_eq!(format!("{token:?}"), "Some(<redacted>)");
        assert_eq!(vars.secret_text("KEYS").unwrap().expose(), value);
    }

    #[test]
    fn a_choice_is_refused_with_its_words() {
        let three = one_of(&["off", "fail-open", "fail-closed"], [0, 1, 2]);
        assert_eq!(
            three.kind,
            Kind::OneOf(&["off", "fail-open", "fail-closed"])
        );
        assert_eq!((three.parse)("fail-open"), Ok(1));
        assert_eq!(
            (three.parse)("OFF"),
            Err(" must be off, fail-open or fail-closed".to_owned())
        );
        let two = one_of(&["phc", "django"], [0, 1]);
        assert_eq!((two.parse)("x"), Err(" must be phc or django".to_owned()));
        assert_eq!((switch().parse)("on"), Ok(true));
        assert_eq!(
            (switch().parse)("yes"),
            Err(" must be on or off".to_owned())
        );
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
            (url(UrlKind::Base).parse)("http://127.0.0.1:8787/"),
            Ok("http://127.0.0.1:8787".to_owned())
        );
    }
}

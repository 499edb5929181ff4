//! Message catalogs: what each error code says, and the help text of the rule behind it.
//!
//! A catalog is data keyed by [`ErrorCode`]; a new wording or locale is a new catalog, chosen by name in
//! the policy (`"messages": "django"`). Templates name their parameters as `{min_length}`.

use serde_json::{Map, Value};

use crate::ErrorCode;

/// A text that may depend on a count, like gettext's `ngettext`.
#[derive(Clone, Copy, Debug)]
enum Text {
    Plain(&'static str),
    Plural {
        count: &'static str,
        one: &'static str,
        other: &'static str,
    },
}

/// What one code says when broken, and how its rule is explained before the user types.
#[derive(Clone, Copy, Debug)]
struct Entry {
    code: ErrorCode,
    message: Text,
    help: Text,
}

/// A named set of messages and help texts for every [`ErrorCode`].
#[derive(Debug)]
pub struct Catalog {
    name: &'static str,
    entries: &'static [Entry],
}

impl Catalog {
    /// Every catalog this build knows.
    pub const ALL: &'static [&'static Catalog] = &[&DJANGO, &SEED_002];

    /// Finds a catalog by the name a policy uses for it.
    pub fn by_name(name: &str) -> Option<&'static Catalog> {
        Self::ALL
            .iter()
            .copied()
            .find(|catalog| catalog.name == name)
    }

    /// The name a policy uses for this catalog.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The error message for `code`, with `params` filled in.
    pub fn message(&self, code: ErrorCode, params: &Map<String, Value>) -> String {
        render(self.entry(code).message, params)
    }

    /// The help text of the rule that reports `code`, with `params` filled in.
    pub fn help_text(&self, code: ErrorCode, params: &Map<String, Value>) -> String {
        render(self.entry(code).help, params)
    }

    fn entry(&self, code: ErrorCode) -> &Entry {
        self.entries
            .iter()
            .find(|entry| entry.code == code)
            .expect("every catalog covers every code (tested)")
    }
}

fn render(text: Text, params: &Map<String, Value>) -> String {
    let template = match text {
        Text::Plain(template) => template,
        Text::Plural { count, one, other } => match params.get(count).and_then(Value::as_u64) {
            Some(1) => one,
            _ => other,
        },
    };
    let mut out = template.to_owned();
    for (name, value) in params {
        let shown = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out = out.replace(&format!("{{{name}}}"), &shown);
    }
    out
}

use ErrorCode::*;
use Text::{Plain, Plural};

/// Django 5.2's own English texts, and texts in the same voice for the rules Django lacks.
pub static DJANGO: Catalog = Catalog {
    name: "django",
    entries: &[
        Entry {
            code: PasswordTooShort,
            message: Plural {
                count: "min_length",
                one: "This password is too short. It must contain at least {min_length} character.",
                other: "This password is too short. It must contain at least {min_length} characters.",
            },
            help: AT_LEAST_MIN_LENGTH,
        },
        Entry {
            code: PasswordTooLong,
            message: Plain(
                "This password is too long. It must contain at most {max_length} characters.",
            ),
            help: Plain("Your password can’t be longer than {max_length} characters."),
        },
        Entry {
            code: PasswordEntirelyNumeric,
            message: Plain("This password is entirely numeric."),
            help: Plain("Your password can’t be entirely numeric."),
        },
        Entry {
            code: PasswordTooCommon,
            message: Plain("This password is too common."),
            help: Plain("Your password can’t be a commonly used password."),
        },
        Entry {
            code: PasswordTooSimilar,
            message: Plain("The password is too similar to the {verbose_name}."),
            help: Plain("Your password can’t be too similar to your other personal information."),
        },
        Entry {
            code: PasswordNoUpper,
            message: Plain("This password must contain at least one uppercase letter."),
            help: Plain("Your password must contain at least one uppercase letter."),
        },
        Entry {
            code: PasswordNoLower,
            message: Plain("This password must contain at least one lowercase letter."),
            help: Plain("Your password must contain at least one lowercase letter."),
        },
        Entry {
            code: PasswordNoDigit,
            message: Plain("This password must contain at least one digit."),
            help: Plain("Your password must contain at least one digit."),
        },
        Entry {
            code: PasswordNoSymbol,
            message: Plain("This password must contain at least one symbol."),
            help: Plain("Your password must contain at least one symbol, such as ! or #."),
        },
        Entry {
            code: PasswordTooWeak,
            message: Plain("This password is too easy to guess."),
            help: Plain("Your password must be hard to guess."),
        },
        Entry {
            code: PasswordBreached,
            message: Plain("This password has appeared in a data breach and can’t be used."),
            help: Plain("Your password can’t be one that has appeared in a known data breach."),
        },
        Entry {
            code: PasswordMismatch,
            message: Plain("The two password fields didn’t match."),
            help: Plain("Enter the same password twice."),
        },
        Entry {
            code: PasswordSameAsOld,
            message: Plain("The new password must be different from the current one."),
            help: Plain("Your new password can’t be the same as your current one."),
        },
    ],
};

/// The texts of the seed-002 API ("Your password can't ..."), used by its preset and dialect.
pub static SEED_002: Catalog = Catalog {
    name: "seed-002",
    entries: &[
        Entry {
            code: PasswordTooShort,
            message: AT_LEAST_MIN_LENGTH,
            help: AT_LEAST_MIN_LENGTH,
        },
        Entry {
            code: PasswordTooLong,
            message: Plain("Your password can't be longer than {max_length} characters."),
            help: Plain("Your password can't be longer than {max_length} characters."),
        },
        Entry {
            code: PasswordEntirelyNumeric,
            message: Plain("Your password can't be entirely numeric."),
            help: Plain("Your password can't be entirely numeric."),
        },
        Entry {
            code: PasswordTooCommon,
            message: Plain("Your password can't be a commonly used password."),
            help: Plain("Your password can't be a commonly used password."),
        },
        Entry {
            code: PasswordTooSimilar,
            message: Plain(
                "Your password can't be too similar to your other personal information.",
            ),
            help: Plain("Your password can't be too similar to your other personal information."),
        },
        Entry {
            code: PasswordNoUpper,
            message: Plain(SEED_002_CLASSES),
            help: Plain(SEED_002_CLASSES),
        },
        Entry {
            code: PasswordNoLower,
            message: Plain(SEED_002_CLASSES),
            help: Plain(SEED_002_CLASSES),
        },
        Entry {
            code: PasswordNoDigit,
            message: Plain(SEED_002_CLASSES),
            help: Plain(SEED_002_CLASSES),
        },
        Entry {
            code: PasswordNoSymbol,
            message: Plain(SEED_002_CLASSES),
            help: Plain(SEED_002_CLASSES),
        },
        Entry {
            code: PasswordTooWeak,
            message: Plain("Your password is too easy to guess."),
            help: Plain("Your password must be hard to guess."),
        },
        Entry {
            code: PasswordBreached,
            message: Plain("Your password has appeared in a data breach and can't be used."),
            help: Plain("Your password can't be one that has appeared in a known data breach."),
        },
        Entry {
            code: PasswordMismatch,
            message: Plain("The two password fields didn't match."),
            help: Plain("Enter the same password twice."),
        },
        Entry {
            code: PasswordSameAsOld,
            message: Plain("Your new password can't be the same as your old password."),
            help: Plain("Your new password can't be the same as your old password."),
        },
    ],
};

/// Django's minimum-length help text, which the seed also uses as its message.
const AT_LEAST_MIN_LENGTH: Text = Plural {
    count: "min_length",
    one: "Your password must contain at least {min_length} character.",
    other: "Your password must contain at least {min_length} characters.",
};

/// The seed's one sentence for all four character classes.
const SEED_002_CLASSES: &str = "Your password must contain at least one capital letter, small letter, number and special character.";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn every_catalog_covers_every_code_once() {
        for catalog in Catalog::ALL {
            for code in ErrorCode::ALL {
                let count = catalog.entries.iter().filter(|e| e.code == *code).count();
                assert_eq!(
                    count, 1,
                    "{} has {count} entries for {code:?}",
                    catalog.name
                );
            }
        }
    }

    #[test]
    fn plural_follows_the_count_like_ngettext() {
        let one = params(json!({"min_length": 1}));
        let many = params(json!({"min_length": 8}));
        assert_eq!(
            DJANGO.message(PasswordTooShort, &one),
            "This password is too short. It must contain at least 1 character."
        );
        assert_eq!(
            DJANGO.message(PasswordTooShort, &many),
            "This password is too short. It must contain at least 8 characters."
        );
    }

    #[test]
    fn string_params_are_inserted_without_quotes() {
        let p = params(json!({"verbose_name": "email address"}));
        assert_eq!(
            DJANGO.message(PasswordTooSimilar, &p),
            "The password is too similar to the email address."
        );
    }

    #[test]
    fn catalogs_are_found_by_name() {
        assert_eq!(Catalog::by_name("seed-002").unwrap().name(), "seed-002");
        assert!(Catalog::by_name("klingon").is_none());
    }
}

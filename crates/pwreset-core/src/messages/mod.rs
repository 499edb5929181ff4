//! Message catalogs: what each error code says, and the help text of the rule behind it.
//!
//! A catalog is data keyed by [`ErrorCode`]; a new wording or locale is a new catalog, chosen by name in
//! the policy (`"messages": "django"`). Templates name their parameters as `{min_length}`.
//!
//! Languages: English (`django`, `seed-002`), German (`de`) and Spanish (`es`), the team's own
//! translations in the voice of Django's texts. [`Catalog::in_language`] finds a catalog's
//! translation; the `seed-002` texts are the original API's and stay English.
//!
//! Each catalog is written in a [`Language`], and zxcvbn's strength feedback is given in that same
//! language ([`Catalog::language`], [`Language::warning`], [`Language::suggestion`]): whatever
//! picks the catalog picks the feedback's language too.

#[cfg(feature = "strength")]
mod feedback;
mod german;
mod spanish;

use serde_json::{Map, Value};

use crate::ErrorCode;

/// A text that may depend on a count, like gettext's `ngettext`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Text {
    Plain(&'static str),
    Plural {
        count: &'static str,
        one: &'static str,
        other: &'static str,
    },
}

/// What one code says when broken, and how its rule is explained before the user types.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    code: ErrorCode,
    message: Text,
    help: Text,
}

/// A language the catalogs (and zxcvbn's strength feedback) are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// English (`en`): Django's texts and zxcvbn's own feedback.
    #[default]
    English,
    /// German (`de`).
    German,
    /// Spanish (`es`).
    Spanish,
}

impl Language {
    /// Every language, English first.
    pub const ALL: [Language; 3] = [Language::English, Language::German, Language::Spanish];

    /// Reads a language tag (`de`, `es-MX`, `DE_at`, case-insensitive) by its primary subtag;
    /// `None` for a language without catalogs.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Language::English),
            "de" => Some(Language::German),
            "es" => Some(Language::Spanish),
            _ => None,
        }
    }

    /// The language's tag (`en`, `de`, `es`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::Spanish => "es",
        }
    }

    /// The catalog in Django's voice written in this language.
    fn django_voice(self) -> &'static Catalog {
        match self {
            Language::English => &DJANGO,
            Language::German => &german::GERMAN,
            Language::Spanish => &spanish::SPANISH,
        }
    }
}

/// A named set of messages and help texts for every [`ErrorCode`].
#[derive(Debug)]
pub struct Catalog {
    name: &'static str,
    /// The language of the texts, and of the strength feedback given with them.
    language: Language,
    entries: &'static [Entry],
    /// Words a template's string parameters are translated with (`"username"` → `"Benutzername"`).
    terms: &'static [(&'static str, &'static str)],
}

impl Catalog {
    /// Every catalog this build knows.
    pub const ALL: &'static [&'static Catalog] =
        &[&DJANGO, &SEED_002, &german::GERMAN, &spanish::SPANISH];

    /// Finds a catalog by the name a policy uses for it.
    pub fn by_name(name: &str) -> Option<&'static Catalog> {
        Self::ALL
            .iter()
            .copied()
            .find(|catalog| catalog.name == name)
    }

    /// This catalog's texts in the language of `tag` (`de`, `es-MX`, `en`): Django's voice has a
    /// German and a Spanish catalog; any other language, and the `seed-002` texts, stay as they are.
    ///
    /// This is where a language tag decides the language of the messages, and so, through
    /// [`Catalog::language`], of the strength feedback given with them.
    pub fn in_language(&'static self, tag: &str) -> &'static Catalog {
        if self.name != DJANGO.name
            && self.name != german::GERMAN.name
            && self.name != spanish::SPANISH.name
        {
            return self;
        }
        Language::from_tag(tag).map_or(self, Language::django_voice)
    }

    /// The name a policy uses for this catalog.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The language this catalog is written in: strength feedback given with its messages is
    /// in the same language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The error message for `code`, with `params` filled in.
    pub fn message(&self, code: ErrorCode, params: &Map<String, Value>) -> String {
        render(self.entry(code).message, params, self.terms)
    }

    /// The help text of the rule that reports `code`, with `params` filled in.
    pub fn help_text(&self, code: ErrorCode, params: &Map<String, Value>) -> String {
        render(self.entry(code).help, params, self.terms)
    }

    fn entry(&self, code: ErrorCode) -> &Entry {
        self.entries
            .iter()
            .find(|entry| entry.code == code)
            .expect("every catalog covers every code (tested)")
    }
}

fn render(text: Text, params: &Map<String, Value>, terms: &[(&str, &str)]) -> String {
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
            Value::String(s) => terms
                .iter()
                .find(|(english, _)| english == s)
                .map_or_else(|| s.clone(), |(_, translated)| (*translated).to_owned()),
            other => other.to_string(),
        };
        out = out.replace(&format!("{{{name}}}"), &shown);
    }
    out
}

use ErrorCode::*;
use Text::{Plain, Plural};

/// Builds an entry (for the translation modules).
pub(crate) const fn entry(code: ErrorCode, message: Text, help: Text) -> Entry {
    Entry {
        code,
        message,
        help,
    }
}

/// Builds a catalog (for the translation modules).
pub(crate) const fn catalog(
    name: &'static str,
    language: Language,
    entries: &'static [Entry],
    terms: &'static [(&'static str, &'static str)],
) -> Catalog {
    Catalog {
        name,
        language,
        entries,
        terms,
    }
}

/// Django 5.2's own English texts, and texts in the same voice for the rules Django lacks.
pub static DJANGO: Catalog = Catalog {
    name: "django",
    language: Language::English,
    terms: &[],
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
    language: Language::English,
    terms: &[],
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
    fn django_voice_has_german_and_spanish_and_seed_002_stays_english() {
        let p = params(json!({"min_length": 8}));
        assert_eq!(
            DJANGO.in_language("de-CH").message(PasswordTooShort, &p),
            "Dieses Passwort ist zu kurz. Es muss mindestens 8 Zeichen enthalten."
        );
        assert_eq!(
            DJANGO.in_language("es").message(PasswordTooShort, &p),
            "Esta contraseña es demasiado corta. Debe contener al menos 8 caracteres."
        );
        assert_eq!(DJANGO.in_language("fr").name(), "django");
        assert_eq!(SEED_002.in_language("de").name(), "seed-002");
        let similar = params(json!({"verbose_name": "email address"}));
        assert_eq!(
            DJANGO
                .in_language("de")
                .message(PasswordTooSimilar, &similar),
            "Das Passwort ist der E-Mail-Adresse zu ähnlich."
        );
        assert_eq!(
            DJANGO
                .in_language("es")
                .message(PasswordTooSimilar, &similar),
            "La contraseña se parece demasiado a la dirección de correo electrónico."
        );
    }

    #[test]
    fn one_language_tag_picks_the_catalog_and_so_the_language_of_its_feedback() {
        for (tag, language) in [
            ("en-GB", Some(Language::English)),
            ("de-CH", Some(Language::German)),
            ("DE_at", Some(Language::German)),
            (" es ", Some(Language::Spanish)),
            ("es-MX", Some(Language::Spanish)),
            ("fr", None),
            ("", None),
        ] {
            assert_eq!(Language::from_tag(tag), language, "{tag:?}");
            let catalog = DJANGO.in_language(tag);
            assert_eq!(catalog.language(), language.unwrap_or_default(), "{tag:?}");
        }
        for language in Language::ALL {
            assert_eq!(Language::from_tag(language.tag()), Some(language));
            assert_eq!(language.django_voice().language(), language);
        }
        assert_eq!(SEED_002.in_language("de").language(), Language::English);
        assert_eq!(
            german::GERMAN.in_language("fr").language(),
            Language::German
        );
    }

    #[test]
    fn catalogs_are_found_by_name() {
        assert_eq!(Catalog::by_name("seed-002").unwrap().name(), "seed-002");
        assert!(Catalog::by_name("klingon").is_none());
    }
}

//! zxcvbn's feedback (its warnings and suggestions) in each catalog's language, keyed by zxcvbn's
//! own enums, never by its English wording. English is zxcvbn's text byte for byte (tested); German
//! says "Sie" like the German catalog, Spanish says "tú" like the Spanish one.
//!
//! The matches below have no wildcard arm: a zxcvbn with a new warning or suggestion does not
//! compile until the variant has its three texts here.

use zxcvbn::feedback::{Suggestion, Warning};

use super::Language;

/// One text in every [`Language`].
struct Texts {
    en: &'static str,
    de: &'static str,
    es: &'static str,
}

impl Texts {
    fn get(&self, language: Language) -> &'static str {
        match language {
            Language::English => self.en,
            Language::German => self.de,
            Language::Spanish => self.es,
        }
    }
}

impl Language {
    /// zxcvbn's `warning` (what makes a password weak) in this language.
    pub fn warning(self, warning: Warning) -> &'static str {
        warning_texts(warning).get(self)
    }

    /// zxcvbn's `suggestion` (how to make a password stronger) in this language.
    pub fn suggestion(self, suggestion: Suggestion) -> &'static str {
        suggestion_texts(suggestion).get(self)
    }

    /// `text`, one of zxcvbn's warnings as given in any language, in this language; `None` for a
    /// text that is none of them.
    pub(crate) fn translate_warning(self, text: &str) -> Option<&'static str> {
        let texts = WARNINGS.iter().map(|w| warning_texts(*w));
        find(texts, text).map(|texts| texts.get(self))
    }

    /// Likewise for one of zxcvbn's suggestions.
    pub(crate) fn translate_suggestion(self, text: &str) -> Option<&'static str> {
        let texts = SUGGESTIONS.iter().map(|s| suggestion_texts(*s));
        find(texts, text).map(|texts| texts.get(self))
    }
}

/// The texts among `all` that say `text` in one of their languages.
fn find(mut all: impl Iterator<Item = Texts>, text: &str) -> Option<Texts> {
    all.find(|texts| Language::ALL.iter().any(|l| texts.get(*l) == text))
}

/// Every warning of zxcvbn 3.1.1, to recognise one in a text already given. A variant a later
/// zxcvbn adds fails to compile in `warning_texts` (no wildcard arm) until it is translated; add it
/// here too.
const WARNINGS: [Warning; 14] = [
    Warning::StraightRowsOfKeysAreEasyToGuess,
    Warning::ShortKeyboardPatternsAreEasyToGuess,
    Warning::RepeatsLikeAaaAreEasyToGuess,
    Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
    Warning::ThisIsATop10Password,
    Warning::ThisIsATop100Password,
    Warning::ThisIsACommonPassword,
    Warning::ThisIsSimilarToACommonlyUsedPassword,
    Warning::SequencesLikeAbcAreEasyToGuess,
    Warning::RecentYearsAreEasyToGuess,
    Warning::AWordByItselfIsEasyToGuess,
    Warning::DatesAreOftenEasyToGuess,
    Warning::NamesAndSurnamesByThemselvesAreEasyToGuess,
    Warning::CommonNamesAndSurnamesAreEasyToGuess,
];

/// Every suggestion of zxcvbn 3.1.1 (likewise).
const SUGGESTIONS: [Suggestion; 13] = [
    Suggestion::UseAFewWordsAvoidCommonPhrases,
    Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters,
    Suggestion::AddAnotherWordOrTwo,
    Suggestion::CapitalizationDoesntHelpVeryMuch,
    Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase,
    Suggestion::ReversedWordsArentMuchHarderToGuess,
    Suggestion::PredictableSubstitutionsDontHelpVeryMuch,
    Suggestion::UseALongerKeyboardPatternWithMoreTurns,
    Suggestion::AvoidRepeatedWordsAndCharacters,
    Suggestion::AvoidSequences,
    Suggestion::AvoidRecentYears,
    Suggestion::AvoidYearsThatAreAssociatedWithYou,
    Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou,
];

fn warning_texts(warning: Warning) -> Texts {
    match warning {
        Warning::StraightRowsOfKeysAreEasyToGuess => Texts {
            en: "Straight rows of keys are easy to guess.",
            de: "Gerade Tastenreihen sind leicht zu erraten.",
            es: "Las filas de teclas seguidas son fáciles de adivinar.",
        },
        Warning::ShortKeyboardPatternsAreEasyToGuess => Texts {
            en: "Short keyboard patterns are easy to guess.",
            de: "Kurze Tastaturmuster sind leicht zu erraten.",
            es: "Los patrones de teclado cortos son fáciles de adivinar.",
        },
        Warning::RepeatsLikeAaaAreEasyToGuess => Texts {
            en: "Repeats like \"aaa\" are easy to guess.",
            de: "Wiederholungen wie „aaa“ sind leicht zu erraten.",
            es: "Las repeticiones como «aaa» son fáciles de adivinar.",
        },
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => Texts {
            en: "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\".",
            de: "Wiederholungen wie „abcabcabc“ sind nur wenig schwerer zu erraten als „abc“.",
            es: "Las repeticiones como «abcabcabc» son solo un poco más difíciles de adivinar que «abc».",
        },
        Warning::ThisIsATop10Password => Texts {
            en: "This is a top-10 common password.",
            de: "Dies ist eines der 10 häufigsten Passwörter.",
            es: "Esta es una de las 10 contraseñas más comunes.",
        },
        Warning::ThisIsATop100Password => Texts {
            en: "This is a top-100 common password.",
            de: "Dies ist eines der 100 häufigsten Passwörter.",
            es: "Esta es una de las 100 contraseñas más comunes.",
        },
        Warning::ThisIsACommonPassword => Texts {
            en: "This is a very common password.",
            de: "Dies ist ein sehr häufig verwendetes Passwort.",
            es: "Esta es una contraseña muy común.",
        },
        Warning::ThisIsSimilarToACommonlyUsedPassword => Texts {
            en: "This is similar to a commonly used password.",
            de: "Dies ähnelt einem häufig verwendeten Passwort.",
            es: "Se parece a una contraseña de uso frecuente.",
        },
        Warning::SequencesLikeAbcAreEasyToGuess => Texts {
            en: "Sequences like abc or 6543 are easy to guess.",
            de: "Zeichenfolgen wie abc oder 6543 sind leicht zu erraten.",
            es: "Las secuencias como abc o 6543 son fáciles de adivinar.",
        },
        Warning::RecentYearsAreEasyToGuess => Texts {
            en: "Recent years are easy to guess.",
            de: "Jahreszahlen aus jüngster Zeit sind leicht zu erraten.",
            es: "Los años recientes son fáciles de adivinar.",
        },
        Warning::AWordByItselfIsEasyToGuess => Texts {
            en: "A word by itself is easy to guess.",
            de: "Ein einzelnes Wort ist leicht zu erraten.",
            es: "Una palabra sola es fácil de adivinar.",
        },
        Warning::DatesAreOftenEasyToGuess => Texts {
            en: "Dates are often easy to guess.",
            de: "Datumsangaben sind oft leicht zu erraten.",
            es: "Las fechas suelen ser fáciles de adivinar.",
        },
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => Texts {
            en: "Names and surnames by themselves are easy to guess.",
            de: "Vor- und Nachnamen allein sind leicht zu erraten.",
            es: "Los nombres y apellidos por sí solos son fáciles de adivinar.",
        },
        Warning::CommonNamesAndSurnamesAreEasyToGuess => Texts {
            en: "Common names and surnames are easy to guess.",
            de: "Häufige Vor- und Nachnamen sind leicht zu erraten.",
            es: "Los nombres y apellidos comunes son fáciles de adivinar.",
        },
    }
}

fn suggestion_texts(suggestion: Suggestion) -> Texts {
    match suggestion {
        Suggestion::UseAFewWordsAvoidCommonPhrases => Texts {
            en: "Use a few words, avoid common phrases.",
            de: "Verwenden Sie mehrere Wörter und vermeiden Sie gängige Redewendungen.",
            es: "Usa varias palabras y evita las frases hechas.",
        },
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => Texts {
            en: "No need for symbols, digits, or uppercase letters.",
            de: "Sonderzeichen, Ziffern oder Großbuchstaben sind nicht nötig.",
            es: "No hacen falta símbolos, números ni mayúsculas.",
        },
        Suggestion::AddAnotherWordOrTwo => Texts {
            en: "Add another word or two. Uncommon words are better.",
            de: "Fügen Sie ein oder zwei weitere Wörter hinzu. Ungewöhnliche Wörter sind besser.",
            es: "Añade una o dos palabras más. Las palabras poco comunes son mejores.",
        },
        Suggestion::CapitalizationDoesntHelpVeryMuch => Texts {
            en: "Capitalization doesn't help very much.",
            de: "Großschreibung hilft nicht viel.",
            es: "Usar mayúsculas no ayuda mucho.",
        },
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => Texts {
            en: "All-uppercase is almost as easy to guess as all-lowercase.",
            de: "Nur Großbuchstaben sind fast so leicht zu erraten wie nur Kleinbuchstaben.",
            es: "Todo en mayúsculas es casi tan fácil de adivinar como todo en minúsculas.",
        },
        Suggestion::ReversedWordsArentMuchHarderToGuess => Texts {
            en: "Reversed words aren't much harder to guess.",
            de: "Rückwärts geschriebene Wörter sind kaum schwerer zu erraten.",
            es: "Las palabras escritas al revés no son mucho más difíciles de adivinar.",
        },
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => Texts {
            en: "Predictable substitutions like '@' instead of 'a' don't help very much.",
            de: "Vorhersehbare Ersetzungen wie „@“ statt „a“ helfen nicht viel.",
            es: "Las sustituciones previsibles, como «@» en lugar de «a», no ayudan mucho.",
        },
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => Texts {
            en: "Use a longer keyboard pattern with more turns.",
            de: "Verwenden Sie ein längeres Tastaturmuster mit mehr Richtungswechseln.",
            es: "Usa un patrón de teclado más largo y con más cambios de dirección.",
        },
        Suggestion::AvoidRepeatedWordsAndCharacters => Texts {
            en: "Avoid repeated words and characters.",
            de: "Vermeiden Sie wiederholte Wörter und Zeichen.",
            es: "Evita repetir palabras y caracteres.",
        },
        Suggestion::AvoidSequences => Texts {
            en: "Avoid sequences.",
            de: "Vermeiden Sie fortlaufende Zeichenfolgen.",
            es: "Evita las secuencias.",
        },
        Suggestion::AvoidRecentYears => Texts {
            en: "Avoid recent years.",
            de: "Vermeiden Sie Jahreszahlen aus jüngster Zeit.",
            es: "Evita los años recientes.",
        },
        Suggestion::AvoidYearsThatAreAssociatedWithYou => Texts {
            en: "Avoid years that are associated with you.",
            de: "Vermeiden Sie Jahreszahlen, die mit Ihnen in Verbindung stehen.",
            es: "Evita los años relacionados contigo.",
        },
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => Texts {
            en: "Avoid dates and years that are associated with you.",
            de: "Vermeiden Sie Datumsangaben und Jahreszahlen, die mit Ihnen in Verbindung stehen.",
            es: "Evita las fechas y los años relacionados contigo.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_hold_each_variant_once() {
        for (i, w) in WARNINGS.iter().enumerate() {
            assert!(!WARNINGS[..i].contains(w), "{w:?} twice");
        }
        for (i, s) in SUGGESTIONS.iter().enumerate() {
            assert!(!SUGGESTIONS[..i].contains(s), "{s:?} twice");
        }
    }

    #[test]
    fn english_is_zxcvbns_own_text_byte_for_byte() {
        for warning in WARNINGS {
            assert_eq!(Language::English.warning(warning), warning.to_string());
        }
        for suggestion in SUGGESTIONS {
            assert_eq!(
                Language::English.suggestion(suggestion),
                suggestion.to_string()
            );
        }
    }

    /// Every text of one language, warnings then suggestions.
    fn all_in(language: Language) -> Vec<&'static str> {
        let warnings = WARNINGS.iter().map(|w| language.warning(*w));
        let suggestions = SUGGESTIONS.iter().map(|s| language.suggestion(*s));
        warnings.chain(suggestions).collect()
    }

    #[test]
    fn german_and_spanish_translate_every_variant() {
        let english = all_in(Language::English);
        for language in [Language::German, Language::Spanish] {
            let texts = all_in(language);
            for (i, (text, original)) in texts.iter().zip(&english).enumerate() {
                assert_ne!(
                    text, original,
                    "{language:?} leaves {original:?} in English"
                );
                assert!(text.ends_with('.'), "{language:?}: {text:?}");
                assert!(
                    !texts[..i].contains(text),
                    "{language:?} says {text:?} twice"
                );
                assert!(
                    !text.contains('"'),
                    "{language:?} uses its own quotes: {text:?}"
                );
            }
        }
    }

    #[test]
    fn a_given_text_is_recognised_in_any_language_and_translated() {
        for from in Language::ALL {
            for to in Language::ALL {
                for warning in WARNINGS {
                    let given = from.warning(warning);
                    assert_eq!(to.translate_warning(given), Some(to.warning(warning)));
                }
                for suggestion in SUGGESTIONS {
                    let given = from.suggestion(suggestion);
                    assert_eq!(
                        to.translate_suggestion(given),
                        Some(to.suggestion(suggestion))
                    );
                }
            }
        }
        assert_eq!(Language::German.translate_warning("Too guessable."), None);
        assert_eq!(Language::German.translate_suggestion(""), None);
    }

    #[test]
    fn german_says_sie_and_spanish_says_tu_like_their_catalogs() {
        let german = all_in(Language::German).join(" ");
        assert!(
            !german.contains(" du ") && !german.contains(" dir ") && !german.contains(" dich ")
        );
        assert!(german.contains("Vermeiden Sie"));
        let spanish = all_in(Language::Spanish).join(" ");
        assert!(!spanish.contains("usted") && !spanish.contains("Evite "));
        assert!(spanish.contains("Evita "));
    }
}

//! German texts in the voice of Django's (the team's own translation).

use super::Text::{Plain, Plural};
use super::{Catalog, Entry, Language, catalog, entry};
use crate::ErrorCode::*;

const AT_LEAST: super::Text = Plural {
    count: "min_length",
    one: "Ihr Passwort muss mindestens {min_length} Zeichen enthalten.",
    other: "Ihr Passwort muss mindestens {min_length} Zeichen enthalten.",
};

const ENTRIES: &[Entry] = &[
    entry(
        PasswordTooShort,
        Plural {
            count: "min_length",
            one: "Dieses Passwort ist zu kurz. Es muss mindestens {min_length} Zeichen enthalten.",
            other: "Dieses Passwort ist zu kurz. Es muss mindestens {min_length} Zeichen enthalten.",
        },
        AT_LEAST,
    ),
    entry(
        PasswordTooLong,
        Plain("Dieses Passwort ist zu lang. Es darf höchstens {max_length} Zeichen enthalten."),
        Plain("Ihr Passwort darf höchstens {max_length} Zeichen lang sein."),
    ),
    entry(
        PasswordEntirelyNumeric,
        Plain("Dieses Passwort besteht nur aus Ziffern."),
        Plain("Ihr Passwort darf nicht nur aus Ziffern bestehen."),
    ),
    entry(
        PasswordTooCommon,
        Plain("Dieses Passwort ist zu gebräuchlich."),
        Plain("Ihr Passwort darf kein häufig verwendetes Passwort sein."),
    ),
    entry(
        PasswordTooSimilar,
        Plain("Das Passwort ist {verbose_name} zu ähnlich."),
        Plain("Ihr Passwort darf Ihren persönlichen Angaben nicht zu ähnlich sein."),
    ),
    entry(
        PasswordNoUpper,
        Plain("Dieses Passwort muss mindestens einen Großbuchstaben enthalten."),
        Plain("Ihr Passwort muss mindestens einen Großbuchstaben enthalten."),
    ),
    entry(
        PasswordNoLower,
        Plain("Dieses Passwort muss mindestens einen Kleinbuchstaben enthalten."),
        Plain("Ihr Passwort muss mindestens einen Kleinbuchstaben enthalten."),
    ),
    entry(
        PasswordNoDigit,
        Plain("Dieses Passwort muss mindestens eine Ziffer enthalten."),
        Plain("Ihr Passwort muss mindestens eine Ziffer enthalten."),
    ),
    entry(
        PasswordNoSymbol,
        Plain("Dieses Passwort muss mindestens ein Sonderzeichen enthalten."),
        Plain("Ihr Passwort muss mindestens ein Sonderzeichen enthalten, zum Beispiel ! oder #."),
    ),
    entry(
        PasswordTooWeak,
        Plain("Dieses Passwort ist zu leicht zu erraten."),
        Plain("Ihr Passwort muss schwer zu erraten sein."),
    ),
    entry(
        PasswordBreached,
        Plain(
            "Dieses Passwort ist in einem Datenleck aufgetaucht und kann nicht verwendet werden.",
        ),
        Plain("Ihr Passwort darf in keinem bekannten Datenleck vorkommen."),
    ),
    entry(
        PasswordMismatch,
        Plain("Die beiden Passwörter stimmen nicht überein."),
        Plain("Geben Sie dasselbe Passwort zweimal ein."),
    ),
    entry(
        PasswordSameAsOld,
        Plain("Das neue Passwort muss sich vom bisherigen unterscheiden."),
        Plain("Ihr neues Passwort darf nicht Ihr bisheriges sein."),
    ),
];

/// German (`de`).
pub static GERMAN: Catalog = catalog(
    "de",
    Language::German,
    ENTRIES,
    &[
        ("username", "dem Benutzernamen"),
        ("first name", "dem Vornamen"),
        ("last name", "dem Nachnamen"),
        ("email address", "der E-Mail-Adresse"),
    ],
);

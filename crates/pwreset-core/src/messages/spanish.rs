//! Spanish texts in the voice of Django's (the team's own translation).

use super::Text::{Plain, Plural};
use super::{Catalog, Entry, Language, catalog, entry};
use crate::ErrorCode::*;

const AT_LEAST: super::Text = Plural {
    count: "min_length",
    one: "Tu contraseña debe contener al menos {min_length} carácter.",
    other: "Tu contraseña debe contener al menos {min_length} caracteres.",
};

const ENTRIES: &[Entry] = &[
    entry(
        PasswordTooShort,
        Plural {
            count: "min_length",
            one: "Esta contraseña es demasiado corta. Debe contener al menos {min_length} carácter.",
            other: "Esta contraseña es demasiado corta. Debe contener al menos {min_length} caracteres.",
        },
        AT_LEAST,
    ),
    entry(
        PasswordTooLong,
        Plain(
            "Esta contraseña es demasiado larga. Debe contener como máximo {max_length} caracteres.",
        ),
        Plain("Tu contraseña no puede tener más de {max_length} caracteres."),
    ),
    entry(
        PasswordEntirelyNumeric,
        Plain("Esta contraseña está formada solo por números."),
        Plain("Tu contraseña no puede estar formada solo por números."),
    ),
    entry(
        PasswordTooCommon,
        Plain("Esta contraseña es demasiado común."),
        Plain("Tu contraseña no puede ser una contraseña de uso frecuente."),
    ),
    entry(
        PasswordTooSimilar,
        Plain("La contraseña se parece demasiado {verbose_name}."),
        Plain("Tu contraseña no puede parecerse demasiado a tus datos personales."),
    ),
    entry(
        PasswordNoUpper,
        Plain("Esta contraseña debe contener al menos una letra mayúscula."),
        Plain("Tu contraseña debe contener al menos una letra mayúscula."),
    ),
    entry(
        PasswordNoLower,
        Plain("Esta contraseña debe contener al menos una letra minúscula."),
        Plain("Tu contraseña debe contener al menos una letra minúscula."),
    ),
    entry(
        PasswordNoDigit,
        Plain("Esta contraseña debe contener al menos un número."),
        Plain("Tu contraseña debe contener al menos un número."),
    ),
    entry(
        PasswordNoSymbol,
        Plain("Esta contraseña debe contener al menos un símbolo."),
        Plain("Tu contraseña debe contener al menos un símbolo, como ! o #."),
    ),
    entry(
        PasswordTooWeak,
        Plain("Esta contraseña es demasiado fácil de adivinar."),
        Plain("Tu contraseña debe ser difícil de adivinar."),
    ),
    entry(
        PasswordBreached,
        Plain("Esta contraseña ha aparecido en una filtración de datos y no se puede usar."),
        Plain("Tu contraseña no puede haber aparecido en una filtración de datos conocida."),
    ),
    entry(
        PasswordMismatch,
        Plain("Las dos contraseñas no coinciden."),
        Plain("Escribe la misma contraseña dos veces."),
    ),
    entry(
        PasswordSameAsOld,
        Plain("La nueva contraseña debe ser distinta de la actual."),
        Plain("Tu nueva contraseña no puede ser la misma que la actual."),
    ),
];

/// Spanish (`es`).
pub static SPANISH: Catalog = catalog(
    "es",
    Language::Spanish,
    ENTRIES,
    &[
        ("username", "al nombre de usuario"),
        ("first name", "al nombre"),
        ("last name", "a los apellidos"),
        ("email address", "a la dirección de correo electrónico"),
    ],
);

//! The dialects' own words in English, German and Spanish, chosen by `Accept-Language`
//! ([`Request::locale`](crate::model::http::Request::locale)): every human text of their JSON
//! answers (the top-level `message`, `errors[].message`, dialect C's `message` and
//! `errors[].description`) but the policy's, which come from the policy's catalog
//! ([`Locale::policy_catalog`]).
//!
//! A text is looked up by its English, which the dialects write as before: without
//! `Accept-Language` (or with English, or a language the service does not speak) every answer is
//! byte for byte what the original APIs and the acceptance suite expect. Placeholders (`{field}`,
//! `{expected}`, `{max}`) are filled after the lookup. Tone as the reset page's: German "Sie",
//! Spanish "tú".

use crate::api::shapes::request::BodyError;
use crate::model::http::MAX_BODY_BYTES;
use crate::model::locale::Locale;

/// (English, German, Spanish).
const TEXTS: &[(&str, &str, &str)] = &[
    // Dialects A and B.
    (
        "Too many attempts. Try again later.",
        "Zu viele Versuche. Bitte versuchen Sie es später erneut.",
        "Demasiados intentos. Vuelve a intentarlo más tarde.",
    ),
    (
        "Too many codes were tried without a phone number today. Send the code with the phone number it was sent to.",
        "Heute wurden zu viele Codes ohne Telefonnummer versucht. Senden Sie den Code mit der Telefonnummer, an die er geschickt wurde.",
        "Hoy se han probado demasiados códigos sin número de teléfono. Envía el código con el número de teléfono al que se envió.",
    ),
    (
        "The reset code or link is invalid or has expired.",
        "Der Code oder Link zum Zurücksetzen ist ungültig oder abgelaufen.",
        "El código o enlace de restablecimiento no es válido o ha caducado.",
    ),
    (
        "This code was tried too many times. Ask for a new code.",
        "Dieser Code wurde zu oft falsch eingegeben. Fordern Sie einen neuen Code an.",
        "Este código se ha probado demasiadas veces. Pide un código nuevo.",
    ),
    (
        "The new password was refused.",
        "Das neue Passwort wurde abgelehnt.",
        "La nueva contraseña no se ha aceptado.",
    ),
    (
        "Authentication required.",
        "Anmeldung erforderlich.",
        "Se requiere autenticación.",
    ),
    (
        "A valid access token is required.",
        "Ein gültiges Zugriffstoken ist erforderlich.",
        "Se requiere un token de acceso válido.",
    ),
    (
        "The service is unavailable. Try again shortly.",
        "Der Dienst ist nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.",
        "El servicio no está disponible. Vuelve a intentarlo en un momento.",
    ),
    (
        "The service is unavailable.",
        "Der Dienst ist nicht verfügbar.",
        "El servicio no está disponible.",
    ),
    (
        "A password change of this account is under way. Try again shortly.",
        "Das Passwort dieses Kontos wird gerade geändert. Bitte versuchen Sie es gleich noch einmal.",
        "Ya se está cambiando la contraseña de esta cuenta. Vuelve a intentarlo en un momento.",
    ),
    (
        "A registered client_id header is required.",
        "Ein registrierter client_id-Header ist erforderlich.",
        "Se requiere una cabecera client_id registrada.",
    ),
    (
        "This client may not be used from this origin.",
        "Dieser Client darf von diesem Origin aus nicht verwendet werden.",
        "Este cliente no se puede usar desde este origen.",
    ),
    (
        "This origin is not registered.",
        "Dieser Origin ist nicht registriert.",
        "Este origen no está registrado.",
    ),
    // Request bodies (dialects A and B; dialect C words the field errors its own way, below).
    (
        "The request body must be JSON, sent with Content-Type: application/json.",
        "Der Anfragetext muss JSON sein und mit Content-Type: application/json gesendet werden.",
        "El cuerpo de la solicitud debe ser JSON, enviado con Content-Type: application/json.",
    ),
    (
        "The request body is larger than {max} bytes.",
        "Der Anfragetext ist größer als {max} Bytes.",
        "El cuerpo de la solicitud ocupa más de {max} bytes.",
    ),
    (
        "The request body must be a JSON object.",
        "Der Anfragetext muss ein JSON-Objekt sein.",
        "El cuerpo de la solicitud debe ser un objeto JSON.",
    ),
    (
        "The field \"{field}\" is required.",
        "Das Feld \"{field}\" ist erforderlich.",
        "El campo \"{field}\" es obligatorio.",
    ),
    (
        "The field \"{field}\" must be {expected}.",
        "Das Feld \"{field}\" muss {expected} sein.",
        "El campo \"{field}\" debe ser {expected}.",
    ),
    (
        "The field \"{field}\" is not one this route takes.",
        "Das Feld \"{field}\" wird von dieser Route nicht angenommen.",
        "Esta ruta no admite el campo \"{field}\".",
    ),
    // What a field must be (`{expected}`).
    ("a string", "eine Zeichenkette", "una cadena de texto"),
    (
        "a list of strings",
        "eine Liste von Zeichenketten",
        "una lista de cadenas de texto",
    ),
    (
        "an e-mail address",
        "eine E-Mail-Adresse",
        "una dirección de correo electrónico",
    ),
    (
        "an e-mail address or username",
        "eine E-Mail-Adresse oder ein Benutzername",
        "una dirección de correo electrónico o un nombre de usuario",
    ),
    (
        "a username or e-mail address",
        "ein Benutzername oder eine E-Mail-Adresse",
        "un nombre de usuario o una dirección de correo electrónico",
    ),
    (
        "a phone number in international form",
        "eine Telefonnummer im internationalen Format",
        "un número de teléfono en formato internacional",
    ),
    // Dialect C.
    (
        "This field is required.",
        "Dieses Feld ist erforderlich.",
        "Este campo es obligatorio.",
    ),
    (
        "Must be {expected}.",
        "Muss {expected} sein.",
        "Debe ser {expected}.",
    ),
    (
        "The token is invalid. Enter the correct token that send to your email.",
        "Der Token ist ungültig. Geben Sie den richtigen Token ein, der an Ihre E-Mail-Adresse gesendet wurde.",
        "El token no es válido. Introduce el token correcto que se envió a tu correo electrónico.",
    ),
    (
        "Your old password was entered incorrectly. Please enter it again.",
        "Ihr altes Passwort wurde falsch eingegeben. Bitte geben Sie es erneut ein.",
        "Has introducido mal tu contraseña anterior. Vuelve a introducirla.",
    ),
    (
        "There is multiple users are registered with the specified E-Mail address.Please enter the username",
        "Mit dieser E-Mail-Adresse sind mehrere Benutzer registriert. Bitte geben Sie den Benutzernamen ein.",
        "Hay varios usuarios registrados con esta dirección de correo electrónico. Introduce el nombre de usuario.",
    ),
    (
        "This username or email does not exist in the system.",
        "Dieser Benutzername oder diese E-Mail-Adresse ist im System nicht vorhanden.",
        "Este nombre de usuario o correo electrónico no existe en el sistema.",
    ),
    (
        "Authentication credentials were not provided or are invalid.",
        "Es wurden keine oder ungültige Anmeldedaten übermittelt.",
        "No se han proporcionado credenciales de autenticación o no son válidas.",
    ),
    (
        "Request was throttled. Try again later.",
        "Die Anfrage wurde gedrosselt. Bitte versuchen Sie es später erneut.",
        "La solicitud se ha limitado. Vuelve a intentarlo más tarde.",
    ),
    (
        "A valid apikey header is required.",
        "Ein gültiger apikey-Header ist erforderlich.",
        "Se requiere una cabecera apikey válida.",
    ),
    (
        "If an account matches, a link to reset its password has been sent.",
        "Falls ein Konto passt, wurde ein Link zum Zurücksetzen seines Passworts gesendet.",
        "Si hay una cuenta que coincide, se ha enviado un enlace para restablecer su contraseña.",
    ),
    (
        "Your password has been reset.",
        "Ihr Passwort wurde zurückgesetzt.",
        "Tu contraseña se ha restablecido.",
    ),
    (
        "Your password has been changed.",
        "Ihr Passwort wurde geändert.",
        "Tu contraseña se ha cambiado.",
    ),
    // Turnstile on the request routes (every dialect).
    (
        "The Turnstile token in the cf-turnstile-response header is missing or did not pass. Solve the challenge again and retry.",
        "Das Turnstile-Token im Header cf-turnstile-response fehlt oder wurde nicht bestätigt. Lösen Sie die Prüfung erneut und versuchen Sie es noch einmal.",
        "Falta el token de Turnstile de la cabecera cf-turnstile-response o no se ha aceptado. Vuelve a resolver la comprobación e inténtalo de nuevo.",
    ),
];

/// `english` in `locale`. Every text a dialect writes has its translations here; a missing one
/// is a bug (debug builds, so every test, panic on it) and reads in English elsewhere.
pub(crate) fn tr(locale: Locale, english: &'static str) -> &'static str {
    if locale == Locale::En {
        return english;
    }
    let found = TEXTS.iter().find(|(en, _, _)| *en == english);
    debug_assert!(found.is_some(), "no translation of {english:?}");
    match (found, locale) {
        (Some((_, de, _)), Locale::De) => de,
        (Some((_, _, es)), Locale::Es) => es,
        _ => english,
    }
}

/// A body error's sentence in `locale` (in English, [`BodyError::message`] exactly).
pub(crate) fn body_message(e: &BodyError, locale: Locale) -> String {
    match e {
        BodyError::UnsupportedMediaType => tr(
            locale,
            "The request body must be JSON, sent with Content-Type: application/json.",
        )
        .to_owned(),
        BodyError::TooLarge => tr(locale, "The request body is larger than {max} bytes.")
            .replace("{max}", &MAX_BODY_BYTES.to_string()),
        BodyError::NotJson => tr(locale, "The request body must be a JSON object.").to_owned(),
        BodyError::Missing(field) => {
            tr(locale, "The field \"{field}\" is required.").replace("{field}", field)
        }
        BodyError::Invalid(field, expected) => {
            tr(locale, "The field \"{field}\" must be {expected}.")
                .replace("{field}", field)
                .replace("{expected}", tr(locale, expected))
        }
        BodyError::UnknownField(field) => {
            tr(locale, "The field \"{field}\" is not one this route takes.")
                .replace("{field}", field)
        }
    }
}

/// Dialect C's description of a body error in `locale` (the original API's "This field is
/// required." and "Must be …."; the others as [`body_message`]).
pub(crate) fn user_body_description(e: &BodyError, locale: Locale) -> String {
    match e {
        BodyError::Missing(_) => tr(locale, "This field is required.").to_owned(),
        BodyError::Invalid(_, expected) => {
            tr(locale, "Must be {expected}.").replace("{expected}", tr(locale, expected))
        }
        other => body_message(other, locale),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_text_is_translated_once_with_the_same_placeholders() {
        let mut seen = std::collections::BTreeSet::new();
        for (en, de, es) in TEXTS {
            assert!(seen.insert(*en), "{en:?} twice");
            for translated in [de, es] {
                assert!(!translated.trim().is_empty(), "{en:?}");
                assert_ne!(translated, en, "{en:?} is not translated");
                assert_eq!(placeholders(translated), placeholders(en), "{translated:?}");
            }
        }
    }

    /// The string literals the dialects' sources hand to `say(…)` or `tr(…, …)`, and the
    /// constants they declare.
    fn literals_in_sources() -> Vec<String> {
        let sources = [
            include_str!("status_shape.rs"),
            include_str!("auth_v1.rs"),
            include_str!("reg.rs"),
            include_str!("user.rs"),
            include_str!("challenge.rs"),
        ];
        let mut found = Vec::new();
        for source in sources {
            let mut rest = source;
            while let Some((index, pattern)) = ["say(", "tr(", ": &str ="]
                .iter()
                .filter_map(|pattern| rest.find(pattern).map(|i| (i, *pattern)))
                .min()
            {
                // A call, not the end of another name (`essay(`); a constant, after any name.
                let preceded_by_word = rest[..index]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_');
                rest = &rest[index + pattern.len()..];
                if preceded_by_word && pattern.ends_with('(') {
                    continue;
                }
                let mut args = rest.trim_start();
                // `tr(locale, "…")`, `tr(req.locale(), "…")`: skip the language.
                if let Some(after) = args.strip_prefix("locale,") {
                    args = after.trim_start();
                } else if let Some(after) = args.strip_prefix("req.locale(),") {
                    args = after.trim_start();
                }
                let Some(literal) = args.strip_prefix('"') else {
                    continue;
                };
                let mut text = String::new();
                let mut chars = literal.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => text.extend(chars.next()),
                        c => text.push(c),
                    }
                }
                found.push(text);
            }
        }
        found
    }

    #[test]
    fn every_text_a_dialect_writes_is_translated() {
        let written = literals_in_sources();
        assert!(written.len() > 20, "{written:?}");
        for text in written {
            if text.contains(' ') {
                assert!(
                    TEXTS.iter().any(|(en, _, _)| *en == text),
                    "no translation of {text:?}: add it to TEXTS"
                );
            }
        }
    }

    #[test]
    fn english_is_each_text_itself() {
        for (en, _, _) in TEXTS {
            assert_eq!(tr(Locale::En, en), *en);
        }
        assert_eq!(
            tr(Locale::De, "The new password was refused."),
            "Das neue Passwort wurde abgelehnt."
        );
        assert_eq!(
            tr(Locale::Es, "The new password was refused."),
            "La nueva contraseña no se ha aceptado."
        );
    }

    #[test]
    fn body_messages_in_english_are_the_errors_own() {
        let expected = [
            "a string",
            "a list of strings",
            "an e-mail address",
            "an e-mail address or username",
            "a username or e-mail address",
            "a phone number in international form",
        ];
        let mut errors = vec![
            BodyError::UnsupportedMediaType,
            BodyError::TooLarge,
            BodyError::NotJson,
            BodyError::Missing("username"),
            BodyError::UnknownField("nickname".to_owned()),
        ];
        errors.extend(expected.map(|what| BodyError::Invalid("email", what)));
        for e in &errors {
            assert_eq!(body_message(e, Locale::En), e.message());
            for locale in [Locale::De, Locale::Es] {
                let translated = body_message(e, locale);
                assert_ne!(translated, e.message(), "{e:?}");
                assert!(!translated.contains('{'), "{translated}");
                assert!(!user_body_description(e, locale).contains('{'));
            }
        }
        assert_eq!(
            body_message(
                &BodyError::Invalid("email", "an e-mail address"),
                Locale::De
            ),
            "Das Feld \"email\" muss eine E-Mail-Adresse sein."
        );
        assert_eq!(
            user_body_description(&BodyError::Missing("email"), Locale::Es),
            "Este campo es obligatorio."
        );
        assert_eq!(
            user_body_description(&BodyError::Invalid("email", "a string"), Locale::En),
            "Must be a string."
        );
    }
}

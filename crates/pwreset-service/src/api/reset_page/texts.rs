//! The reset page's own words in English, German and Spanish, picked by `Accept-Language`. The
//! policy's rules and error messages are not here: they come from the policy's message catalog,
//! exactly as the API answers them.
//!
//! Tone: plain and calm, second person; German uses "Sie", Spanish uses "tú" (as account pages in
//! Spanish commonly do).

use serde::Serialize;

use crate::api::pages::brand::PageBrand;
use crate::api::pages::layout::Frame;
use crate::api::pages::texts::Translations;
use crate::delivery::Locale;

/// Every text of the page in one language.
pub struct PageTexts {
    /// The `lang` attribute.
    pub lang: &'static str,
    /// The form page's title and heading.
    pub form_title: &'static str,
    /// The sentence under the heading.
    pub form_intro: &'static str,
    /// The heading of the rules list.
    pub rules_heading: &'static str,
    /// The new password's label.
    pub password_label: &'static str,
    /// The confirmation's label.
    pub confirm_label: &'static str,
    /// The checkbox that shows both passwords (present only when the page's script runs).
    pub show_passwords: &'static str,
    /// The submit button.
    pub submit: &'static str,
    /// What a title starts with when the page lists errors.
    pub error_prefix: &'static str,
    /// The heading of the error summary.
    pub error_summary: &'static str,
    /// Texts the page's script uses.
    pub live: LiveTexts,
    /// The success page's title and heading.
    pub success_title: &'static str,
    /// The success page's text.
    pub success_body: &'static str,
    /// The success page's link to `BRAND_URL` when `BRAND_NAME` is set, or to a client's origin
    /// (`{name}` is replaced by the name, or the origin's host).
    pub continue_to_named: &'static str,
    /// The success page's link to `BRAND_URL` without a brand name.
    pub continue_to_app: &'static str,
    /// The title and heading when the link is wrong, used or expired.
    pub invalid_title: &'static str,
    /// What to do about it.
    pub invalid_body: &'static str,
    /// The title and heading when over a rate limit.
    pub limited_title: &'static str,
    /// What to do about it.
    pub limited_body: &'static str,
    /// The title and heading when a platform call failed.
    pub unavailable_title: &'static str,
    /// What to do about it.
    pub unavailable_body: &'static str,
    /// The title and heading when the submitted form can't be read.
    pub bad_form_title: &'static str,
    /// What to do about it.
    pub bad_form_body: &'static str,
    /// The line at the end of every page (of this page and the forgot page) when `SUPPORT_EMAIL`
    /// is set; `{email}` is replaced by the address, as a `mailto:` link.
    pub contact_support: &'static str,
}

impl PageTexts {
    /// The frame of a page in this language with `brand`.
    pub fn frame<'a>(&'a self, brand: &'a PageBrand<'a>) -> Frame<'a> {
        Frame {
            lang: self.lang,
            brand,
            contact_support: self.contact_support,
        }
    }
}

/// The texts the page's script shows as the user types; handed to it as JSON.
#[derive(Serialize)]
pub struct LiveTexts {
    /// The strength meter's label.
    pub strength_label: &'static str,
    /// A word for each zxcvbn score, 0 to 4.
    pub strength_levels: [&'static str; 5],
    /// Announced when the password meets every rule the browser can check.
    pub all_rules_met: &'static str,
    /// Announced when the confirmation is not yet typed.
    pub confirm_pending: &'static str,
}

static ENGLISH: PageTexts = PageTexts {
    lang: "en",
    form_title: "Choose a new password",
    form_intro: "Choose a new password for your account and type it twice.",
    rules_heading: "Password rules",
    password_label: "New password",
    confirm_label: "Confirm new password",
    show_passwords: "Show passwords",
    submit: "Change password",
    error_prefix: "Error: ",
    error_summary: "There is a problem",
    live: LiveTexts {
        strength_label: "Password strength",
        strength_levels: ["Very weak", "Weak", "Fair", "Good", "Strong"],
        all_rules_met: "Your password meets every rule.",
        confirm_pending: "Now type it again to confirm it.",
    },
    success_title: "Your password has been changed",
    success_body: "You can now sign in with your new password. Any other reset links or codes sent to you no longer work.",
    continue_to_named: "Continue to {name}",
    continue_to_app: "Continue to the application",
    invalid_title: "This link is invalid or has expired",
    invalid_body: "A reset link works once, for a limited time. Ask for a new one where you asked for this one.",
    limited_title: "Too many attempts",
    limited_body: "Please wait a minute, then try again.",
    unavailable_title: "Something went wrong on our side",
    unavailable_body: "Your password may not have been changed. Please try again in a moment; if the link no longer works, ask for a new one.",
    bad_form_title: "The form could not be read",
    bad_form_body: "Please open the link in your e-mail again and fill in the form once more.",
    contact_support: "Need help? Contact {email}.",
};

static GERMAN: PageTexts = PageTexts {
    lang: "de",
    form_title: "Neues Passwort festlegen",
    form_intro: "Legen Sie ein neues Passwort für Ihr Konto fest und geben Sie es zweimal ein.",
    rules_heading: "Regeln für Ihr Passwort",
    password_label: "Neues Passwort",
    confirm_label: "Neues Passwort bestätigen",
    show_passwords: "Passwörter anzeigen",
    submit: "Passwort ändern",
    error_prefix: "Fehler: ",
    error_summary: "Es gibt ein Problem",
    live: LiveTexts {
        strength_label: "Passwortstärke",
        strength_levels: ["Sehr schwach", "Schwach", "Mittel", "Gut", "Stark"],
        all_rules_met: "Ihr Passwort erfüllt alle Regeln.",
        confirm_pending: "Geben Sie es jetzt zur Bestätigung noch einmal ein.",
    },
    success_title: "Ihr Passwort wurde geändert",
    success_body: "Sie können sich jetzt mit Ihrem neuen Passwort anmelden. Andere Links oder Codes zum Zurücksetzen, die Sie erhalten haben, gelten nicht mehr.",
    continue_to_named: "Weiter zu {name}",
    continue_to_app: "Weiter zur Anwendung",
    invalid_title: "Dieser Link ist ungültig oder abgelaufen",
    invalid_body: "Ein Link zum Zurücksetzen funktioniert nur einmal und nur für begrenzte Zeit. Fordern Sie dort, wo Sie diesen angefordert haben, einen neuen an.",
    limited_title: "Zu viele Versuche",
    limited_body: "Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
    unavailable_title: "Bei uns ist etwas schiefgelaufen",
    unavailable_body: "Ihr Passwort wurde möglicherweise nicht geändert. Bitte versuchen Sie es gleich noch einmal; funktioniert der Link nicht mehr, fordern Sie einen neuen an.",
    bad_form_title: "Das Formular konnte nicht gelesen werden",
    bad_form_body: "Bitte öffnen Sie den Link in Ihrer E-Mail erneut und füllen Sie das Formular noch einmal aus.",
    contact_support: "Brauchen Sie Hilfe? Schreiben Sie an {email}.",
};

static SPANISH: PageTexts = PageTexts {
    lang: "es",
    form_title: "Elige una nueva contraseña",
    form_intro: "Elige una nueva contraseña para tu cuenta y escríbela dos veces.",
    rules_heading: "Reglas para tu contraseña",
    password_label: "Nueva contraseña",
    confirm_label: "Confirma la nueva contraseña",
    show_passwords: "Mostrar contraseñas",
    submit: "Cambiar contraseña",
    error_prefix: "Error: ",
    error_summary: "Hay un problema",
    live: LiveTexts {
        strength_label: "Seguridad de la contraseña",
        strength_levels: ["Muy débil", "Débil", "Aceptable", "Buena", "Fuerte"],
        all_rules_met: "Tu contraseña cumple todas las reglas.",
        confirm_pending: "Ahora escríbela otra vez para confirmarla.",
    },
    success_title: "Tu contraseña se ha cambiado",
    success_body: "Ya puedes iniciar sesión con tu nueva contraseña. Los demás enlaces o códigos de restablecimiento que hayas recibido ya no funcionan.",
    continue_to_named: "Continuar a {name}",
    continue_to_app: "Volver a la aplicación",
    invalid_title: "Este enlace no es válido o ha caducado",
    invalid_body: "Un enlace de restablecimiento funciona una sola vez y durante un tiempo limitado. Pide uno nuevo donde pediste este.",
    limited_title: "Demasiados intentos",
    limited_body: "Espera un minuto y vuelve a intentarlo.",
    unavailable_title: "Algo ha fallado por nuestra parte",
    unavailable_body: "Es posible que tu contraseña no se haya cambiado. Vuelve a intentarlo en un momento; si el enlace ya no funciona, pide uno nuevo.",
    bad_form_title: "No se pudo leer el formulario",
    bad_form_body: "Abre de nuevo el enlace de tu correo electrónico y vuelve a rellenar el formulario.",
    contact_support: "¿Necesitas ayuda? Escribe a {email}.",
};

/// The page's texts in each language.
static TEXTS: Translations<PageTexts> = Translations {
    en: &ENGLISH,
    de: &GERMAN,
    es: &SPANISH,
};

/// The texts of `locale`.
pub fn texts(locale: Locale) -> &'static PageTexts {
    TEXTS.of(locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_texts(t: &PageTexts) -> Vec<&'static str> {
        let mut all = vec![
            t.form_title,
            t.form_intro,
            t.rules_heading,
            t.password_label,
            t.confirm_label,
            t.show_passwords,
            t.submit,
            t.error_prefix,
            t.error_summary,
            t.live.strength_label,
            t.live.all_rules_met,
            t.live.confirm_pending,
            t.success_title,
            t.success_body,
            t.continue_to_named,
            t.continue_to_app,
            t.invalid_title,
            t.invalid_body,
            t.limited_title,
            t.limited_body,
            t.unavailable_title,
            t.unavailable_body,
            t.bad_form_title,
            t.bad_form_body,
            t.contact_support,
        ];
        all.extend(t.live.strength_levels);
        all
    }

    #[test]
    fn every_language_has_every_text_and_its_own_tag() {
        let mut tags = Vec::new();
        for locale in Locale::ALL {
            let t = texts(locale);
            assert!(all_texts(t).iter().all(|text| !text.trim().is_empty()));
            tags.push(t.lang);
        }
        assert_eq!(tags, ["en", "de", "es"]);
    }

    #[test]
    fn the_support_line_names_the_address_once() {
        for locale in Locale::ALL {
            assert_eq!(texts(locale).contact_support.matches("{email}").count(), 1);
        }
    }

    #[test]
    fn translations_differ_from_english_where_the_words_do() {
        let english = all_texts(texts(Locale::En));
        for locale in [Locale::De, Locale::Es] {
            let other = all_texts(texts(locale));
            let same: Vec<_> = english
                .iter()
                .zip(&other)
                .filter(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect();
            // "Error: " is the same word in Spanish; nothing else may be left untranslated.
            assert!(same.iter().all(|s| *s == "Error: "), "{locale:?}: {same:?}");
        }
    }
}

//! The forgot page's own words in English, German and Spanish, picked by `Accept-Language`, in
//! the reset page's tone (plain and calm; German "Sie", Spanish "tú"). The page's language tag,
//! the "Error: " prefix and the error summary's heading are the reset page's
//! ([`crate::api::reset_page`]'s texts), so both pages say them alike.

use crate::api::pages::texts::Translations;
use crate::model::locale::Locale;

/// Every text of the forgot page in one language.
pub struct ForgotTexts {
    /// The form page's title and heading.
    pub form_title: &'static str,
    /// The sentence under the heading.
    pub form_intro: &'static str,
    /// The field's label.
    pub identifier_label: &'static str,
    /// The submit button.
    pub submit: &'static str,
    /// The error when the field was sent empty.
    pub empty_error: &'static str,
    /// The error when the Turnstile check did not pass.
    pub challenge_error: &'static str,
    /// Shown without JavaScript when Turnstile is on: the check needs it.
    pub challenge_needs_script: &'static str,
    /// The answer page's title and heading, whatever was entered.
    pub sent_title: &'static str,
    /// What the answer page says, whatever was entered.
    pub sent_body: &'static str,
    /// The answer page's link back to the form.
    pub ask_again: &'static str,
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
    /// The title and heading when the form came from another site (`Origin`).
    pub forbidden_title: &'static str,
    /// What to do about it.
    pub forbidden_body: &'static str,
}

static ENGLISH: ForgotTexts = ForgotTexts {
    form_title: "Forgot your password?",
    form_intro: "Enter the e-mail address, the username or the phone number of your account (with its country code, as +44 7700 900123). We will send a link to reset your password: by text message if you enter a phone number, else to the account's e-mail address.",
    identifier_label: "E-mail address, username or phone number",
    submit: "Send reset link",
    empty_error: "Enter your e-mail address, username or phone number.",
    challenge_error: "We could not check that this request comes from a person. Please try again.",
    challenge_needs_script: "This form runs a check that needs JavaScript. Turn JavaScript on to send it.",
    sent_title: "Check your e-mail or your phone",
    sent_body: "If an account matches what you entered, we have sent a link to reset its password: by text message if you entered a phone number, else to the account's e-mail address. The link works once, for a limited time. If nothing arrives within a few minutes, check your spam folder or ask again.",
    ask_again: "Ask for another link",
    limited_title: "Too many requests",
    limited_body: "Please wait a minute, then try again.",
    unavailable_title: "Something went wrong on our side",
    unavailable_body: "Nothing has been sent. Please try again in a moment.",
    bad_form_title: "The form could not be read",
    bad_form_body: "Please open the page again and fill in the form once more.",
    forbidden_title: "This form can't be sent from here",
    forbidden_body: "Please open the page on our site itself and send the form from there.",
};

static GERMAN: ForgotTexts = ForgotTexts {
    form_title: "Passwort vergessen?",
    form_intro: "Geben Sie die E-Mail-Adresse, den Benutzernamen oder die Telefonnummer Ihres Kontos (mit Ländervorwahl, etwa +49 151 23456789) ein. Wir senden einen Link zum Zurücksetzen Ihres Passworts: per SMS, wenn Sie eine Telefonnummer eingeben, sonst an die E-Mail-Adresse des Kontos.",
    identifier_label: "E-Mail-Adresse, Benutzername oder Telefonnummer",
    submit: "Link zum Zurücksetzen senden",
    empty_error: "Geben Sie Ihre E-Mail-Adresse, Ihren Benutzernamen oder Ihre Telefonnummer ein.",
    challenge_error: "Wir konnten nicht prüfen, ob diese Anfrage von einem Menschen kommt. Bitte versuchen Sie es erneut.",
    challenge_needs_script: "Dieses Formular führt eine Prüfung durch, die JavaScript benötigt. Schalten Sie JavaScript ein, um es zu senden.",
    sent_title: "Sehen Sie in Ihren E-Mails oder SMS nach",
    sent_body: "Wenn ein Konto zu Ihrer Eingabe passt, haben wir einen Link zum Zurücksetzen seines Passworts gesendet: per SMS, wenn Sie eine Telefonnummer eingegeben haben, sonst an die E-Mail-Adresse des Kontos. Der Link funktioniert einmal und nur für begrenzte Zeit. Kommt in den nächsten Minuten nichts an, sehen Sie im Spam-Ordner nach oder fordern Sie erneut einen Link an.",
    ask_again: "Einen weiteren Link anfordern",
    limited_title: "Zu viele Anfragen",
    limited_body: "Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
    unavailable_title: "Bei uns ist etwas schiefgelaufen",
    unavailable_body: "Es wurde nichts gesendet. Bitte versuchen Sie es gleich noch einmal.",
    bad_form_title: "Das Formular konnte nicht gelesen werden",
    bad_form_body: "Bitte öffnen Sie die Seite erneut und füllen Sie das Formular noch einmal aus.",
    forbidden_title: "Dieses Formular kann von hier aus nicht gesendet werden",
    forbidden_body: "Bitte öffnen Sie die Seite direkt auf unserer Website und senden Sie das Formular von dort.",
};

static SPANISH: ForgotTexts = ForgotTexts {
    form_title: "¿Has olvidado tu contraseña?",
    form_intro: "Escribe la dirección de correo electrónico, el nombre de usuario o el número de teléfono de tu cuenta (con el prefijo del país, como +34 612 345 678). Enviaremos un enlace para restablecer tu contraseña: por SMS si escribes un número de teléfono y, si no, a la dirección de correo de la cuenta.",
    identifier_label: "Correo electrónico, nombre de usuario o teléfono",
    submit: "Enviar enlace",
    empty_error: "Escribe tu correo electrónico, tu nombre de usuario o tu número de teléfono.",
    challenge_error: "No hemos podido comprobar que esta solicitud la hace una persona. Vuelve a intentarlo.",
    challenge_needs_script: "Este formulario hace una comprobación que necesita JavaScript. Activa JavaScript para enviarlo.",
    sent_title: "Revisa tu correo electrónico o tus SMS",
    sent_body: "Si una cuenta coincide con lo que has escrito, hemos enviado un enlace para restablecer su contraseña: por SMS si escribiste un número de teléfono y, si no, a la dirección de correo de la cuenta. El enlace funciona una sola vez y durante un tiempo limitado. Si no llega nada en unos minutos, revisa la carpeta de spam o vuelve a pedirlo.",
    ask_again: "Pedir otro enlace",
    limited_title: "Demasiadas solicitudes",
    limited_body: "Espera un minuto y vuelve a intentarlo.",
    unavailable_title: "Algo ha fallado por nuestra parte",
    unavailable_body: "No se ha enviado nada. Vuelve a intentarlo en un momento.",
    bad_form_title: "No se pudo leer el formulario",
    bad_form_body: "Abre de nuevo la página y vuelve a rellenar el formulario.",
    forbidden_title: "Este formulario no se puede enviar desde aquí",
    forbidden_body: "Abre la página directamente en nuestro sitio y envía el formulario desde allí.",
};

/// The forgot page's texts in each language.
static TEXTS: Translations<ForgotTexts> = Translations {
    en: &ENGLISH,
    de: &GERMAN,
    es: &SPANISH,
};

/// The texts of `locale`.
pub fn texts(locale: Locale) -> &'static ForgotTexts {
    TEXTS.of(locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_texts(t: &ForgotTexts) -> [&'static str; 18] {
        [
            t.form_title,
            t.form_intro,
            t.identifier_label,
            t.submit,
            t.empty_error,
            t.challenge_error,
            t.challenge_needs_script,
            t.sent_title,
            t.sent_body,
            t.ask_again,
            t.limited_title,
            t.limited_body,
            t.unavailable_title,
            t.unavailable_body,
            t.bad_form_title,
            t.bad_form_body,
            t.forbidden_title,
            t.forbidden_body,
        ]
    }

    #[test]
    fn every_language_has_every_text_and_none_is_left_in_english() {
        let english = all_texts(texts(Locale::En));
        assert!(english.iter().all(|text| !text.trim().is_empty()));
        for locale in [Locale::De, Locale::Es] {
            let other = all_texts(texts(locale));
            for (en, translated) in english.iter().zip(other) {
                assert!(!translated.trim().is_empty(), "{locale:?}: {en}");
                assert_ne!(*en, translated, "{locale:?}: left in English");
            }
        }
    }
}

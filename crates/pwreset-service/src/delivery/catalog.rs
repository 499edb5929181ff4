//! Every word a message can carry, one catalog per language: the e-mails' words, which their
//! templates (`templates/`) are given as `t`, and the SMS texts.
//!
//! Words name their blanks in braces: `{code}`, `{link}`, `{links}`, `{account}`, `{n}`,
//! `{lifetime}`, `{contact}` and `{address}`. SMS texts stay within the GSM 7-bit alphabet (no
//! `á`, `í`, `ó`, `ú`) so a filled message fits one 160-character segment where the link allows.

pub use crate::model::locale::Locale;

/// The texts of `locale`.
pub(crate) fn catalog(locale: Locale) -> &'static Catalog {
    match locale {
        Locale::En => &ENGLISH,
        Locale::De => &GERMAN,
        Locale::Es => &SPANISH,
    }
}

/// The words of one kind of e-mail, by the names its templates give them (`t.intro` …; see
/// `config::templates::VOCABULARY`), and its SMS.
pub(crate) struct Texts {
    /// The e-mail's subject line (`t.subject`).
    pub subject: &'static str,
    /// The e-mail's other words: `(name, words)`, blanks `{lifetime}` and `{contact}`.
    pub email: &'static [(&'static str, &'static str)],
    /// The SMS.
    pub sms: &'static str,
}

/// All texts of one language, keyed by the kind of message.
pub(crate) struct Catalog {
    /// A reset code; the SMS: `{code}`, `{lifetime}`.
    pub reset_code: Texts,
    /// A reset link; the SMS: `{link}`, `{lifetime}`.
    pub reset_link: Texts,
    /// Several accounts' links; the SMS: `{links}` (the items below, joined), `{lifetime}`.
    pub reset_links: Texts,
    /// One account in `reset_links`' SMS: `{account}`, `{link}`.
    pub reset_links_sms_item: &'static str,
    /// The `{account}` of a listed account whose label shows nothing: `{n}`, its place in the list.
    pub unnamed_account: &'static str,
    /// The "your password was changed" notice.
    pub password_changed: Texts,
    /// The e-mails' `{contact}`: asking support, without an address and with one (`{address}`).
    pub contact: &'static str,
    pub contact_at: &'static str,
    /// Lifetimes: one minute, `{n}` minutes, one hour, `{n}` hours.
    pub minute_one: &'static str,
    pub minutes: &'static str,
    pub hour_one: &'static str,
    pub hours: &'static str,
}

const ENGLISH: Catalog = Catalog {
    reset_code: Texts {
        subject: "Your password reset code",
        email: &[
            ("intro", "Your password reset code is:"),
            (
                "expiry",
                "It expires in {lifetime}. Enter it where you asked to reset your password. \
                 Never share this code: we will never ask you for it.",
            ),
            (
                "ignore",
                "If you didn't ask to reset your password, ignore this email: your password \
                 stays unchanged. If you keep getting these emails, {contact}.",
            ),
        ],
        sms: "Your password reset code: {code}. It expires in {lifetime}. Never share it. \
              Didn't ask for it? Ignore this message.",
    },
    reset_link: Texts {
        subject: "Reset your password",
        email: &[
            (
                "intro",
                "Someone asked to reset the password of your account. To choose a new \
                 password, open this link:",
            ),
            ("button", "Choose a new password"),
            (
                "copy_link",
                "If the button does not work, copy this link into your browser:",
            ),
            (
                "expiry",
                "The link expires in {lifetime} and works only once.",
            ),
            (
                "ignore",
                "If you didn't ask to reset your password, ignore this email: your password \
                 stays unchanged. If you keep getting these emails, {contact}.",
            ),
        ],
        sms: "Reset your password: {link} (expires in {lifetime}). Didn't ask? Ignore this message.",
    },
    reset_links: Texts {
        subject: "Reset your password",
        email: &[
            (
                "intro",
                "Someone asked to reset the password of the accounts that use this email \
                 address. Open the link of the account you want to reset:",
            ),
            (
                "expiry",
                "Each link expires in {lifetime} and works only once.",
            ),
            (
                "ignore",
                "If you didn't ask to reset your password, ignore this email: your passwords \
                 stay unchanged. If you keep getting these emails, {contact}.",
            ),
        ],
        sms: "Reset your password: {links} (expire in {lifetime}). Didn't ask? Ignore this message.",
    },
    reset_links_sms_item: "{account}: {link}",
    unnamed_account: "Account {n}",
    password_changed: Texts {
        subject: "Your password was changed",
        email: &[
            ("intro", "The password of your account was just changed."),
            ("if_you", "If you did this, there is nothing more to do."),
            (
                "if_not",
                "If you didn't, reset your password right away and {contact}: someone else \
                 may have access to your account.",
            ),
        ],
        sms: "Your password was just changed. If this wasn't you, reset it now and contact support.",
    },
    contact: "contact support",
    contact_at: "contact support at {address}",
    minute_one: "1 minute",
    minutes: "{n} minutes",
    hour_one: "1 hour",
    hours: "{n} hours",
};

const GERMAN: Catalog = Catalog {
    reset_code: Texts {
        subject: "Ihr Code zum Zurücksetzen des Passworts",
        email: &[
            ("intro", "Ihr Code zum Zurücksetzen des Passworts lautet:"),
            (
                "expiry",
                "Er ist {lifetime} gültig. Geben Sie ihn dort ein, wo Sie das Zurücksetzen \
                 angefordert haben. Geben Sie den Code nie weiter: Wir fragen nie danach.",
            ),
            (
                "ignore",
                "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr \
                 Passwort bleibt unverändert. Wenn Sie solche E-Mails immer wieder erhalten, \
                 {contact}.",
            ),
        ],
        sms: "Ihr Code zum Zurücksetzen des Passworts: {code}. Gültig {lifetime}. Nie weitergeben. \
              Nicht angefordert? Ignorieren Sie diese Nachricht.",
    },
    reset_link: Texts {
        subject: "Passwort zurücksetzen",
        email: &[
            (
                "intro",
                "Jemand hat das Zurücksetzen des Passworts für Ihr Konto angefordert. Um ein \
                 neues Passwort zu wählen, öffnen Sie diesen Link:",
            ),
            ("button", "Neues Passwort wählen"),
            (
                "copy_link",
                "Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren \
                 Browser:",
            ),
            (
                "expiry",
                "Der Link ist {lifetime} gültig und funktioniert nur einmal.",
            ),
            (
                "ignore",
                "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr \
                 Passwort bleibt unverändert. Wenn Sie solche E-Mails immer wieder erhalten, \
                 {contact}.",
            ),
        ],
        sms: "Passwort zurücksetzen: {link} (gültig {lifetime}). Nicht angefordert? Nachricht \
              ignorieren.",
    },
    reset_links: Texts {
        subject: "Passwort zurücksetzen",
        email: &[
            (
                "intro",
                "Jemand hat das Zurücksetzen des Passworts für die Konten mit dieser \
                 E-Mail-Adresse angefordert. Öffnen Sie den Link des Kontos, das Sie \
                 zurücksetzen möchten:",
            ),
            (
                "expiry",
                "Jeder Link ist {lifetime} gültig und funktioniert nur einmal.",
            ),
            (
                "ignore",
                "Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihre \
                 Passwörter bleiben unverändert. Wenn Sie solche E-Mails immer wieder \
                 erhalten, {contact}.",
            ),
        ],
        sms: "Passwort zurücksetzen: {links} (gültig {lifetime}). Nicht angefordert? Nachricht \
              ignorieren.",
    },
    reset_links_sms_item: "{account}: {link}",
    unnamed_account: "Konto {n}",
    password_changed: Texts {
        subject: "Ihr Passwort wurde geändert",
        email: &[
            ("intro", "Das Passwort Ihres Kontos wurde soeben geändert."),
            ("if_you", "Wenn Sie das waren, ist nichts weiter zu tun."),
            (
                "if_not",
                "Wenn nicht, setzen Sie Ihr Passwort sofort zurück und {contact}: Jemand \
                 anderes hat möglicherweise Zugriff auf Ihr Konto.",
            ),
        ],
        sms: "Ihr Passwort wurde soeben geändert. Waren Sie das nicht? Setzen Sie es sofort zurück \
              und wenden Sie sich an den Support.",
    },
    contact: "wenden Sie sich an den Support",
    contact_at: "wenden Sie sich an den Support unter {address}",
    minute_one: "1 Minute",
    minutes: "{n} Minuten",
    hour_one: "1 Stunde",
    hours: "{n} Stunden",
};

const SPANISH: Catalog = Catalog {
    reset_code: Texts {
        subject: "Tu código para restablecer la contraseña",
        email: &[
            ("intro", "Tu código para restablecer la contraseña es:"),
            (
                "expiry",
                "Caduca en {lifetime}. Introdúcelo donde pediste restablecer la contraseña. \
                 No compartas este código con nadie: nunca te lo pediremos.",
            ),
            (
                "ignore",
                "Si no lo pediste, ignora este correo: tu contraseña no cambia. Si sigues \
                 recibiendo estos correos, {contact}.",
            ),
        ],
        sms: "Para restablecer tu contraseña usa {code}. Caduca en {lifetime}. No lo compartas. \
              ¿No lo pediste? Ignora este mensaje.",
    },
    reset_link: Texts {
        subject: "Restablece tu contraseña",
        email: &[
            (
                "intro",
                "Alguien pidió restablecer la contraseña de tu cuenta. Para elegir una nueva, \
                 abre este enlace:",
            ),
            ("button", "Elegir una contraseña nueva"),
            (
                "copy_link",
                "Si el botón no funciona, copia este enlace en tu navegador:",
            ),
            (
                "expiry",
                "El enlace caduca en {lifetime} y solo funciona una vez.",
            ),
            (
                "ignore",
                "Si no lo pediste, ignora este correo: tu contraseña no cambia. Si sigues \
                 recibiendo estos correos, {contact}.",
            ),
        ],
        sms: "Restablece tu contraseña: {link} (caduca en {lifetime}). ¿No lo pediste? Ignora \
              este mensaje.",
    },
    reset_links: Texts {
        subject: "Restablece tu contraseña",
        email: &[
            (
                "intro",
                "Alguien pidió restablecer la contraseña de las cuentas que usan esta \
                 dirección de correo. Abre el enlace de la cuenta que quieras restablecer:",
            ),
            (
                "expiry",
                "Cada enlace caduca en {lifetime} y solo funciona una vez.",
            ),
            (
                "ignore",
                "Si no lo pediste, ignora este correo: tus contraseñas no cambian. Si sigues \
                 recibiendo estos correos, {contact}.",
            ),
        ],
        sms: "Restablece tu contraseña: {links} (caducan en {lifetime}). ¿No lo pediste? Ignora \
              este mensaje.",
    },
    reset_links_sms_item: "{account}: {link}",
    unnamed_account: "Cuenta {n}",
    password_changed: Texts {
        subject: "Tu contraseña ha cambiado",
        email: &[
            ("intro", "La contraseña de tu cuenta acaba de cambiar."),
            ("if_you", "Si fuiste tú, no tienes que hacer nada."),
            (
                "if_not",
                "Si no, restablece tu contraseña ahora mismo y {contact}: otra persona podría \
                 tener acceso a tu cuenta.",
            ),
        ],
        sms: "Tu contraseña acaba de cambiar. Si no lo hiciste, restablécela ya y contacta con \
              soporte.",
    },
    contact: "contacta con soporte",
    contact_at: "contacta con soporte en {address}",
    minute_one: "1 minuto",
    minutes: "{n} minutos",
    hour_one: "1 hora",
    hours: "{n} horas",
};

/// Fills a template's `{name}` blanks in one pass: a value is never scanned for blanks itself,
/// so a user-chosen account name like `{link}` stays literal. Unknown blanks stay as written.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Catalog {
    /// "10 minutes", "1 hour", "24 hours": whole hours read as hours.
    pub(crate) fn lifetime(&self, ttl_minutes: u64) -> String {
        let (template, n) = if ttl_minutes >= 60 && ttl_minutes.is_multiple_of(60) {
            let hours = ttl_minutes / 60;
            (
                if hours == 1 {
                    self.hour_one
                } else {
                    self.hours
                },
                hours,
            )
        } else {
            let one = ttl_minutes == 1;
            (
                if one { self.minute_one } else { self.minutes },
                ttl_minutes,
            )
        };
        fill(template, &[("n", &n.to_string())])
    }
}

#[cfg(test)]
mod negotiation_tests {
    use super::Locale;

    #[test]
    fn the_highest_weighted_supported_language_wins() {
        assert_eq!(Locale::negotiate(None), Locale::En);
        assert_eq!(
            Locale::negotiate(Some("de-CH, fr;q=0.9, en;q=0.5")),
            Locale::De
        );
        assert_eq!(
            Locale::negotiate(Some("fr, es;q=0.4, en;q=0.3")),
            Locale::Es
        );
        assert_eq!(Locale::negotiate(Some("es;q=0, de;q=0.1")), Locale::De);
        assert_eq!(Locale::negotiate(Some("fr, it")), Locale::En);
        assert_eq!(Locale::negotiate(Some("de;q=abc, es")), Locale::Es);
    }
}

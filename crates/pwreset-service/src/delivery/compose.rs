//! From "what to tell the user" to a ready [`OutgoingMessage`].

use super::catalog::{Catalog, Texts, fill};
use super::text::plain_label;
use crate::model::locale::Locale;
use crate::model::message::{Channel, OutgoingMessage};

/// What a message tells its recipient.
#[derive(Clone, PartialEq, Eq)]
pub enum MessageKind {
    /// A reset code to type in.
    ResetCode {
        /// The code, digits only.
        code: String,
        /// How long it stays valid.
        ttl_minutes: u64,
    },
    /// A reset link to open.
    ResetLink {
        /// The full link.
        link: String,
        /// How long it stays valid.
        ttl_minutes: u64,
    },
    /// One message listing a reset link for each account sharing the address.
    ResetLinks {
        /// `(account label, link)` pairs, in the order to list them. Labels are account data,
        /// shown only as [`plain_label`] makes them; links are shown as given.
        links: Vec<(String, String)>,
        /// How long the links stay valid.
        ttl_minutes: u64,
    },
    /// The notice that the password was changed; it carries no secret.
    PasswordChanged,
}

impl std::fmt::Debug for MessageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Codes and links are secrets: only the kind and the lifetime are printed.
        match self {
            MessageKind::ResetCode { ttl_minutes, .. } => f
                .debug_struct("ResetCode")
                .field("ttl_minutes", ttl_minutes)
                .finish_non_exhaustive(),
            MessageKind::ResetLink { ttl_minutes, .. } => f
                .debug_struct("ResetLink")
                .field("ttl_minutes", ttl_minutes)
                .finish_non_exhaustive(),
            MessageKind::ResetLinks { links, ttl_minutes } => f
                .debug_struct("ResetLinks")
                .field("accounts", &links.len())
                .field("ttl_minutes", ttl_minutes)
                .finish_non_exhaustive(),
            MessageKind::PasswordChanged => f.write_str("PasswordChanged"),
        }
    }
}

/// Composes a message in English. See [`compose_in`].
pub fn compose(
    kind: MessageKind,
    channel: Channel,
    to: impl Into<String>,
    id: impl Into<String>,
    now_secs: u64,
) -> OutgoingMessage {
    compose_in(Locale::En, kind, channel, to, id, now_secs)
}

/// Composes a message in `locale`: subject (empty for SMS), text, and the `code` or `link` field
/// for the dev outbox (for several accounts' links, `link` is the first one; the text lists all).
pub fn compose_in(
    locale: Locale,
    kind: MessageKind,
    channel: Channel,
    to: impl Into<String>,
    id: impl Into<String>,
    now_secs: u64,
) -> OutgoingMessage {
    let catalog = super::catalog::catalog(locale);
    let pick = |texts: &Texts| {
        let subject = match channel {
            Channel::Email => texts.subject,
            Channel::Sms => "",
        };
        let body = match channel {
            Channel::Email => texts.email,
            Channel::Sms => texts.sms,
        };
        (subject, body)
    };
    let (subject, text, link, code) = match kind {
        MessageKind::ResetCode { code, ttl_minutes } => {
            let (subject, body) = pick(&catalog.reset_code);
            let lifetime = catalog.lifetime(ttl_minutes);
            let text = fill(body, &[("code", &code), ("lifetime", &lifetime)]);
            (subject, text, None, Some(code))
        }
        MessageKind::ResetLink { link, ttl_minutes } => {
            let (subject, body) = pick(&catalog.reset_link);
            let lifetime = catalog.lifetime(ttl_minutes);
            let text = fill(body, &[("link", &link), ("lifetime", &lifetime)]);
            (subject, text, Some(link), None)
        }
        MessageKind::ResetLinks { links, ttl_minutes } => {
            let (subject, body) = pick(&catalog.reset_links);
            let (item, separator) = match channel {
                Channel::Email => (catalog.reset_links_email_item, "\n"),
                Channel::Sms => (catalog.reset_links_sms_item, ", "),
            };
            let listed: Vec<String> = links
                .iter()
                .enumerate()
                .map(|(i, (account, link))| {
                    let label = account_label(catalog, account, i + 1);
                    fill(item, &[("account", &label), ("link", link)])
                })
                .collect();
            let lifetime = catalog.lifetime(ttl_minutes);
            let text = fill(
                body,
                &[("links", &listed.join(separator)), ("lifetime", &lifetime)],
            );
            let first = links.into_iter().next().map(|(_, link)| link);
            (subject, text, first, None)
        }
        MessageKind::PasswordChanged => {
            let (subject, body) = pick(&catalog.password_changed);
            (subject, body.to_owned(), None, None)
        }
    };
    OutgoingMessage {
        id: id.into(),
        channel,
        to: to.into(),
        subject: subject.to_owned(),
        text,
        link,
        code,
        created_at: now_secs,
        attempt: 0,
        about: None,
    }
}

/// How the `place`-th account of a list is named in a message: its label as [`plain_label`]
/// shows it, or "Account 2" (in the message's language) when nothing visible is left of it.
fn account_label(catalog: &Catalog, label: &str, place: usize) -> String {
    let label = plain_label(label);
    if label.is_empty() {
        fill(catalog.unnamed_account, &[("n", &place.to_string())])
    } else {
        label
    }
}

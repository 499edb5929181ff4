//! From "what to tell the user" to a ready [`OutgoingMessage`]: an SMS from the catalog's text,
//! an e-mail through its templates (subject, plain text and HTML) with the brand.

use std::collections::BTreeMap;

use minijinja::Value;

use super::catalog::{Catalog, Texts, catalog, fill};
use super::text::plain_label;
use crate::config::branding::Branding;
use crate::config::templates::{self, MessageSettings, Part, TEXT_AS_HTML};
use crate::model::locale::Locale;
pub use crate::model::message::MessageKind;
use crate::model::message::{Channel, MessageContent, OutgoingMessage};

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

/// Composes a message in `locale` in the built-in templates without a brand; its delivery
/// writes it again with the configured ones ([`written_with`]). See [`compose_with`].
pub fn compose_in(
    locale: Locale,
    kind: MessageKind,
    channel: Channel,
    to: impl Into<String>,
    id: impl Into<String>,
    now_secs: u64,
) -> OutgoingMessage {
    compose_with(
        &MessageSettings::default(),
        locale,
        kind,
        channel,
        to,
        id,
        now_secs,
    )
}

/// Composes a message in `locale` as `settings` write it: subject (empty for SMS), text, HTML
/// (empty for SMS), and the `code` or `link` field for the dev outbox (for several accounts'
/// links, `link` is the first one; the text lists all). It keeps its content, so that its
/// delivery can write it again.
pub fn compose_with(
    settings: &MessageSettings,
    locale: Locale,
    kind: MessageKind,
    channel: Channel,
    to: impl Into<String>,
    id: impl Into<String>,
    now_secs: u64,
) -> OutgoingMessage {
    let (link, code) = match &kind {
        MessageKind::ResetCode { code, .. } => (None, Some(code.clone())),
        MessageKind::ResetLink { link, .. } => (Some(link.clone()), None),
        MessageKind::ResetLinks { links, .. } => (links.first().map(|(_, l)| l.clone()), None),
        MessageKind::PasswordChanged => (None, None),
    };
    let content = MessageContent { locale, kind };
    let written = write(settings, channel, &content);
    OutgoingMessage {
        id: id.into(),
        channel,
        to: to.into(),
        subject: written.subject,
        text: written.text,
        html: written.html,
        link,
        code,
        created_at: now_secs,
        attempt: 0,
        about: None,
        content: Some(content),
    }
}

/// `msg` as `settings` write it, to deliver: written again from its content; an e-mail queued
/// before messages kept one keeps its subject and text, and without HTML gets the HTML of its
/// text (its paragraphs in the layout, in the language its subject is in).
pub fn written_with(settings: &MessageSettings, msg: &OutgoingMessage) -> OutgoingMessage {
    match &msg.content {
        Some(content) => {
            let written = write(settings, msg.channel, content);
            OutgoingMessage {
                subject: written.subject,
                text: written.text,
                html: written.html,
                ..msg.clone()
            }
        }
        None if msg.channel == Channel::Email && msg.html.is_empty() => OutgoingMessage {
            html: html_of_text(&settings.branding, &msg.subject, &msg.text),
            ..msg.clone()
        },
        None => msg.clone(),
    }
}

/// A message's three parts, as written.
struct Written {
    subject: String,
    text: String,
    html: String,
}

/// Writes `content` for `channel`: an SMS from the catalog, an e-mail through its templates.
fn write(settings: &MessageSettings, channel: Channel, content: &MessageContent) -> Written {
    let catalog = catalog(content.locale);
    match channel {
        Channel::Sms => Written {
            subject: String::new(),
            text: sms_text(catalog, &content.kind),
            html: String::new(),
        },
        Channel::Email => write_email(settings, catalog, content),
    }
}

/// The SMS of `kind`, filled.
fn sms_text(catalog: &Catalog, kind: &MessageKind) -> String {
    match kind {
        MessageKind::ResetCode { code, ttl_minutes } => fill(
            catalog.reset_code.sms,
            &[
                ("code", code),
                ("lifetime", &catalog.lifetime(*ttl_minutes)),
            ],
        ),
        MessageKind::ResetLink { link, ttl_minutes } => fill(
            catalog.reset_link.sms,
            &[
                ("link", link),
                ("lifetime", &catalog.lifetime(*ttl_minutes)),
            ],
        ),
        MessageKind::ResetLinks { links, ttl_minutes } => {
            let listed: Vec<String> = links
                .iter()
                .enumerate()
                .map(|(i, (account, link))| {
                    let label = account_label(catalog, account, i + 1);
                    fill(
                        catalog.reset_links_sms_item,
                        &[("account", &label), ("link", link)],
                    )
                })
                .collect();
            fill(
                catalog.reset_links.sms,
                &[
                    ("links", &listed.join(", ")),
                    ("lifetime", &catalog.lifetime(*ttl_minutes)),
                ],
            )
        }
        MessageKind::PasswordChanged => catalog.password_changed.sms.to_owned(),
    }
}

/// The catalog's texts of `kind`.
fn texts<'c>(catalog: &'c Catalog, kind: &MessageKind) -> &'c Texts {
    match kind {
        MessageKind::ResetCode { .. } => &catalog.reset_code,
        MessageKind::ResetLink { .. } => &catalog.reset_link,
        MessageKind::ResetLinks { .. } => &catalog.reset_links,
        MessageKind::PasswordChanged => &catalog.password_changed,
    }
}

/// The words (`t`) and values an e-mail's templates are given (`config::templates::VOCABULARY`).
fn email_fill(
    branding: &Branding,
    catalog: &Catalog,
    kind: &MessageKind,
) -> (BTreeMap<&'static str, String>, Vec<(&'static str, Value)>) {
    let texts = texts(catalog, kind);
    let lifetime = match kind {
        MessageKind::ResetCode { ttl_minutes, .. }
        | MessageKind::ResetLink { ttl_minutes, .. }
        | MessageKind::ResetLinks { ttl_minutes, .. } => Some(catalog.lifetime(*ttl_minutes)),
        MessageKind::PasswordChanged => None,
    };
    let contact = match &branding.support_email {
        Some(address) => fill(catalog.contact_at, &[("address", address)]),
        None => catalog.contact.to_owned(),
    };
    let blanks = [
        ("lifetime", lifetime.as_deref().unwrap_or_default()),
        ("contact", contact.as_str()),
    ];
    let mut words: BTreeMap<&'static str, String> = texts
        .email
        .iter()
        .map(|(name, words)| (*name, fill(words, &blanks)))
        .collect();
    words.insert("subject", texts.subject.to_owned());
    let mut values = match kind {
        MessageKind::ResetCode { code, .. } => vec![("code", Value::from(code.as_str()))],
        MessageKind::ResetLink { link, .. } => vec![("link", Value::from(link.as_str()))],
        MessageKind::ResetLinks { links, .. } => {
            let items: Vec<Value> = links
                .iter()
                .enumerate()
                .map(|(i, (account, link))| {
                    templates::link_item(&account_label(catalog, account, i + 1), link)
                })
                .collect();
            vec![("links", Value::from(items))]
        }
        MessageKind::PasswordChanged => Vec::new(),
    };
    values.extend(lifetime.map(|lifetime| ("lifetime", Value::from(lifetime))));
    (words, values)
}

/// An e-mail: its subject, text and HTML, each from the operator's template where there is one
/// (falling back to the built-in one should it fail), else from the built-in one.
fn write_email(settings: &MessageSettings, catalog: &Catalog, content: &MessageContent) -> Written {
    let MessageSettings {
        branding,
        templates,
    } = settings;
    let locale = content.locale;
    let kind = content.kind.name();
    let (words, values) = email_fill(branding, catalog, &content.kind);
    let built_in_subject = words.get("subject").cloned().unwrap_or_default();
    let env = templates.environment();
    let render = |name: &str, subject: &str| {
        let context = templates::context(branding, locale, subject, words.clone(), values.clone());
        env.get_template(name)
            .and_then(|template| template.render(context))
            .ok()
            .filter(|written| !written.trim().is_empty())
    };
    let subject = templates
        .template_name(locale, kind, Part::Subject)
        .and_then(|name| render(&name, &built_in_subject))
        .map(|subject| one_line(&subject))
        .filter(|subject| !subject.is_empty())
        .unwrap_or(built_in_subject);
    let body = |part: Part, built_in: String| {
        templates
            .template_name(locale, kind, part)
            .filter(|name| *name != built_in)
            .and_then(|name| render(&name, &subject))
            .or_else(|| render(&built_in, &subject))
            .unwrap_or_default()
    };
    Written {
        text: body(Part::Text, format!("{kind}.txt")),
        html: body(Part::Html, format!("{kind}.html")),
        subject,
    }
}

/// `text` as a subject line: every run of white space and control characters one space, the
/// ends trimmed.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The HTML of an e-mail known only by its subject and text: the text's paragraphs in the
/// built-in layout, in the language whose catalog has that subject (English when none has).
fn html_of_text(branding: &Branding, subject: &str, text: &str) -> String {
    let locale = Locale::ALL
        .into_iter()
        .find(|&locale| {
            let catalog = catalog(locale);
            [
                &catalog.reset_code,
                &catalog.reset_link,
                &catalog.reset_links,
                &catalog.password_changed,
            ]
            .iter()
            .any(|texts| texts.subject == subject)
        })
        .unwrap_or_default();
    let paragraphs: Vec<Value> = text
        .split("\n\n")
        .map(str::trim_end)
        .filter(|paragraph| !paragraph.trim().is_empty())
        .map(Value::from)
        .collect();
    let context = templates::context(
        branding,
        locale,
        subject,
        BTreeMap::new(),
        vec![("paragraphs", Value::from(paragraphs))],
    );
    crate::config::MessageTemplates::built_in()
        .environment()
        .get_template(TEXT_AS_HTML)
        .and_then(|template| template.render(context))
        .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::templates::{COMMON_VARIABLES, VOCABULARY};

    fn every_kind() -> Vec<MessageKind> {
        vec![
            MessageKind::ResetCode {
                code: "482913".into(),
                ttl_minutes: 10,
            },
            MessageKind::ResetLink {
                link: "https://r.test/reset?token=ab".into(),
                ttl_minutes: 60,
            },
            MessageKind::ResetLinks {
                links: vec![
                    ("ann".into(), "https://r.test/a".into()),
                    ("bob".into(), "https://r.test/b".into()),
                ],
                ttl_minutes: 60,
            },
            MessageKind::PasswordChanged,
        ]
    }

    #[test]
    fn every_catalog_gives_each_kind_exactly_its_declared_words_and_values() {
        for locale in Locale::ALL {
            for kind in every_kind() {
                let (words, values) = email_fill(&Branding::default(), catalog(locale), &kind);
                let vocabulary = templates::vocabulary(kind.name()).unwrap();
                let mut declared: Vec<&str> = vocabulary.words.to_vec();
                declared.sort_unstable();
                assert_eq!(
                    words.keys().copied().collect::<Vec<_>>(),
                    declared,
                    "{locale:?} {}",
                    kind.name()
                );
                let mut given: Vec<&str> = values.iter().map(|(name, _)| *name).collect();
                given.sort_unstable();
                let mut declared = vocabulary.variables.to_vec();
                declared.sort_unstable();
                assert_eq!(given, declared, "{}", kind.name());
                for word in words.values() {
                    assert!(!word.contains('{') && !word.trim().is_empty(), "{word}");
                }
            }
        }
        assert_eq!(VOCABULARY.len(), every_kind().len());
        assert!(COMMON_VARIABLES.contains(&"t"));
    }

    #[test]
    fn subjects_are_one_line() {
        assert_eq!(one_line(" a\r\n\tb  c\u{85}d "), "a b c d");
    }
}

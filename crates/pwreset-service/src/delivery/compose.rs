//! From "what to tell the user" to an [`OutgoingMessage`]. The flows queue a message unwritten
//! ([`unwritten`]): what it says (its content) and for whom, no subject, text or HTML, so that a
//! queue job stays small. Its delivery writes it once ([`written_with`]) with the configured brand
//! and templates: an SMS from the catalog's text, an e-mail through its templates (subject, plain
//! text and HTML). An operator's template that fails there, or writes more than
//! [`MAX_PART_BYTES`] (a subject more than [`MAX_SUBJECT_CHARS`]), gives way to the built-in one,
//! and the delivery reports it ([`TemplateFallback`]).

use std::collections::BTreeMap;

use minijinja::Value;

use super::catalog::{Catalog, Texts, catalog, fill};
use super::text::plain_label;
use crate::config::branding::Branding;
use crate::config::templates::{
    self, MAX_PART_BYTES, MAX_SUBJECT_CHARS, MessageSettings, Part, TEXT_AS_HTML, one_line,
    too_long_a_subject,
};
use crate::model::locale::Locale;
pub use crate::model::message::MessageKind;
use crate::model::message::{Channel, MessageContent, OutgoingMessage};

/// A message in English, written at once with the built-in templates and no brand: for tests
/// and examples. See [`compose_with`]; the flows queue [`unwritten`] messages.
pub fn compose(
    kind: MessageKind,
    channel: Channel,
    to: impl Into<String>,
    id: impl Into<String>,
    now_secs: u64,
) -> OutgoingMessage {
    compose_with(
        &MessageSettings::default(),
        Locale::En,
        kind,
        channel,
        to,
        id,
        now_secs,
    )
}

/// The message to queue: its content (`kind` in `locale`), recipient and id, and the `code` or
/// `link` field for the dev outbox (for several accounts' links, `link` is the first one), with
/// an empty subject, text and HTML. Its delivery writes it, once, with the configured brand and
/// templates ([`written_with`]).
pub fn unwritten(
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
    OutgoingMessage {
        id: id.into(),
        channel,
        to: to.into(),
        subject: String::new(),
        text: String::new(),
        html: String::new(),
        link,
        code,
        created_at: now_secs,
        attempt: 0,
        about: None,
        content: Some(MessageContent { locale, kind }),
    }
}

/// The message of [`unwritten`], written at once as `settings` write it: subject (empty for
/// SMS), text, HTML (empty for SMS). For `GET /dev/messages`' preview, and tests; a template that
/// fails falls back as in [`written_with`], unreported.
pub fn compose_with(
    settings: &MessageSettings,
    locale: Locale,
    kind: MessageKind,
    channel: Channel,
    to: impl Into<String>,
    id: impl Into<String>,
    now_secs: u64,
) -> OutgoingMessage {
    let msg = unwritten(locale, kind, channel, to, id, now_secs);
    written_with(settings, &msg).0
}

/// An operator's template (`MESSAGE_TEMPLATES`) that could not write its part of an e-mail, which
/// the built-in template wrote instead; or, should it ever happen, a built-in template that could
/// not, its part then left empty. Shown as `name: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateFallback {
    /// The template's name: `de.reset_link.html` for an operator's, `reset_link.html` for a
    /// built-in one.
    pub template: String,
    /// Why, with no value it was given or wrote (they hold the code or link): the template
    /// language's kind of error and where (`engine ran out of fuel (line 3)`), `wrote more than
    /// 256 KiB`, `wrote a subject of more than 998 characters` or `wrote nothing`.
    pub reason: String,
}

impl std::fmt::Display for TemplateFallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.template, self.reason)
    }
}

/// `msg` as `settings` write it, to deliver, and the templates that failed as it was written:
/// written from its content; a message queued before messages kept one keeps its subject and
/// text, and an e-mail of those without HTML gets the HTML of its text (its paragraphs in the
/// layout, in the language its subject is in).
pub fn written_with(
    settings: &MessageSettings,
    msg: &OutgoingMessage,
) -> (OutgoingMessage, Vec<TemplateFallback>) {
    match &msg.content {
        Some(content) => {
            let written = write(settings, msg.channel, content);
            let msg = OutgoingMessage {
                subject: written.subject,
                text: written.text,
                html: written.html,
                ..msg.clone()
            };
            (msg, written.fallbacks)
        }
        None if msg.channel == Channel::Email && msg.html.is_empty() => {
            let (html, failed) = html_of_text(&settings.branding, &msg.subject, &msg.text);
            let msg = OutgoingMessage {
                html,
                ..msg.clone()
            };
            (msg, failed.into_iter().collect())
        }
        None => (msg.clone(), Vec::new()),
    }
}

/// A message's three parts, as written, and the templates that failed on the way.
struct Written {
    subject: String,
    text: String,
    html: String,
    fallbacks: Vec<TemplateFallback>,
}

/// Writes `content` for `channel`: an SMS from the catalog, an e-mail through its templates.
fn write(settings: &MessageSettings, channel: Channel, content: &MessageContent) -> Written {
    let catalog = catalog(content.locale);
    match channel {
        Channel::Sms => Written {
            subject: String::new(),
            text: sms_text(catalog, &content.kind),
            html: String::new(),
            fallbacks: Vec::new(),
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

/// An e-mail: its subject, text and HTML, each from the operator's template where there is one,
/// else from the built-in one. An operator's template that fails, writes nothing or writes too
/// much ([`MAX_PART_BYTES`], [`MAX_SUBJECT_CHARS`]) gives way to the built-in one and is listed
/// in `fallbacks`.
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
    let render = |name: &str, subject: &str, limit: Option<usize>| {
        let context = templates::context(branding, locale, subject, words.clone(), values.clone());
        templates::render_within(env, name, context, limit)
    };
    let mut fallbacks = Vec::new();
    let mut failed = |template: String, reason: String| {
        fallbacks.push(TemplateFallback { template, reason });
    };
    let subject = match templates.overriding(locale, kind, Part::Subject) {
        None => built_in_subject,
        Some(name) => match render(&name, &built_in_subject, Some(MAX_PART_BYTES)) {
            Ok(written) if too_long_a_subject(&written) => {
                let reason = format!("wrote a subject of more than {MAX_SUBJECT_CHARS} characters");
                failed(name, reason);
                built_in_subject
            }
            Ok(written) => match one_line(&written) {
                subject if subject.is_empty() => {
                    failed(name, NOTHING.to_owned());
                    built_in_subject
                }
                subject => subject,
            },
            Err(failure) => {
                failed(name.clone(), failure.without_values(&name));
                built_in_subject
            }
        },
    };
    let mut body = |part: Part| {
        if let Some(name) = templates.overriding(locale, kind, part) {
            match render(&name, &subject, Some(MAX_PART_BYTES)) {
                Ok(written) if !written.trim().is_empty() => return written,
                Ok(_) => failed(name, NOTHING.to_owned()),
                Err(failure) => failed(name.clone(), failure.without_values(&name)),
            }
        }
        // Text and HTML always have one; a subject never comes here.
        let Some(built_in) = templates::built_in_name(kind, part) else {
            return String::new();
        };
        render(&built_in, &subject, None).unwrap_or_else(|failure| {
            failed(built_in.clone(), failure.without_values(&built_in));
            String::new()
        })
    };
    let text = body(Part::Text);
    let html = body(Part::Html);
    Written {
        subject,
        text,
        html,
        fallbacks,
    }
}

/// Why an operator's template that wrote only white space was not used.
const NOTHING: &str = "wrote nothing";

/// The HTML of an e-mail known only by its subject and text: the text's paragraphs in the
/// built-in layout, in the language whose catalog has that subject (English when none has); empty,
/// and the template reported, should it fail.
fn html_of_text(
    branding: &Branding,
    subject: &str,
    text: &str,
) -> (String, Option<TemplateFallback>) {
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
    let built_in = crate::config::MessageTemplates::built_in();
    match templates::render_within(built_in.environment(), TEXT_AS_HTML, context, None) {
        Ok(html) => (html, None),
        Err(failure) => {
            let reason = failure.without_values(TEXT_AS_HTML);
            let template = TEXT_AS_HTML.to_owned();
            (String::new(), Some(TemplateFallback { template, reason }))
        }
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

//! Delivery: message texts, configuration, each provider's exact request, answer
//! classification, backoff, and the consumer's send-once flow.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_executor::block_on;
use hmac::{Hmac, KeyInit, Mac};
use pwreset_service::delivery::*;
use pwreset_service::model::account::normalize_email;
use pwreset_service::model::secret::SigningKey;
use pwreset_service::ports::KeyValue;
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::testing::memory::MemoryPlatform;
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashMap;

const NOW: u64 = 1_700_000_000;
/// A Standard Webhooks secret: whsec_ and 32 bytes in base64.
const WEBHOOK_SECRET: &str = "whsec_cHdyZXNldCB3ZWJob29rIHRlc3Qga2V5LCAzMiBiISE=";
/// A secret in the webhook's own form, from before Standard Webhooks: the key is its bytes.
const RAW_WEBHOOK_SECRET: &str = "webhook-test-secret-0123456789abcdef0123";

// ---------------------------------------------------------------- helpers

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The delivery configuration `pairs` make, read as the service reads it
/// (`ServiceConfig::from_vars`) under development's rules (the outbox and `http://` allowed),
/// with a key and a loopback `PUBLIC_URL` for the rest.
fn config(pairs: &[(&str, &str)]) -> Result<DeliveryConfig, Vec<String>> {
    let key: Vec<u8> = (0u8..32)
        .map(|i| i.wrapping_mul(151).wrapping_add(0x87))
        .collect();
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let keys = format!("k1:{}", base64::Engine::encode(&url_safe, key));
    let mut map = vars(&[
        ("ENVIRONMENT", "development"),
        ("PUBLIC_URL", "http://127.0.0.1:8787"),
        ("KEYS", &keys),
    ]);
    map.extend(vars(pairs));
    pwreset_service::config::ServiceConfig::from_vars(&|name| map.get(name).cloned())
        .map(|config| config.delivery)
        .map_err(|problems| problems.0)
}

fn config_ok(pairs: &[(&str, &str)]) -> DeliveryConfig {
    config(pairs).unwrap_or_else(|problems| panic!("config refused: {problems:?}"))
}

fn problems(pairs: &[(&str, &str)]) -> Vec<String> {
    match config(pairs) {
        Ok(_) => panic!("config accepted"),
        Err(problems) => problems,
    }
}

/// A message in `locale` as the built-in templates write it, without a brand.
fn written_in(
    locale: Locale,
    kind: MessageKind,
    channel: Channel,
    to: &str,
    id: &str,
    now_secs: u64,
) -> OutgoingMessage {
    let settings = MessageSettings::default();
    compose_with(&settings, locale, kind, channel, to, id, now_secs)
}

fn email_message() -> OutgoingMessage {
    compose(
        MessageKind::ResetCode {
            code: "482913".into(),
            ttl_minutes: 10,
        },
        Channel::Email,
        "jane@example.com",
        "msg-0001",
        NOW,
    )
}

fn sms_message() -> OutgoingMessage {
    compose(
        MessageKind::ResetCode {
            code: "482913".into(),
            ttl_minutes: 10,
        },
        Channel::Sms,
        "+447700900456",
        "msg-0002",
        NOW,
    )
}

fn resend() -> DeliveryConfig {
    config_ok(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_API_KEY", "re_KEY123"),
    ])
}

fn postmark() -> DeliveryConfig {
    config_ok(&[
        ("EMAIL_PROVIDER", "postmark"),
        ("EMAIL_FROM", "no-reply@acme.test"),
        ("EMAIL_API_KEY", "pm-token-1"),
        ("EMAIL_BASE_URL", "http://127.0.0.1:9999/"),
    ])
}

fn twilio(from: &str) -> DeliveryConfig {
    config_ok(&[
        ("SMS_PROVIDER", "twilio"),
        ("SMS_FROM", from),
        ("TWILIO_ACCOUNT_SID", "AC0123456789abcdef"),
        ("TWILIO_AUTH_TOKEN", "tw-token-9"),
    ])
}

fn webhook_config() -> DeliveryConfig {
    config_ok(&[
        ("EMAIL_PROVIDER", "webhook"),
        ("SMS_PROVIDER", "webhook"),
        ("WEBHOOK_URL", "https://hooks.acme.test/pwreset"),
        ("WEBHOOK_SECRET", WEBHOOK_SECRET),
    ])
}

fn request_for(config: &DeliveryConfig, msg: &OutgoingMessage) -> OutboundRequest {
    provider_request(config, msg, NOW).expect("a provider request")
}

fn json_body(request: &OutboundRequest) -> Value {
    serde_json::from_str(&request.body).expect("a JSON body")
}

fn form_body(request: &OutboundRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(request.body.as_bytes())
        .into_owned()
        .collect()
}

fn header_names(request: &OutboundRequest) -> Vec<&str> {
    request.headers.iter().map(|(k, _)| k.as_str()).collect()
}

/// GSM 03.38: the basic set costs one septet, the extension set two; `None` when a character
/// is in neither (the message would go as UCS-2, 70 characters a segment).
fn gsm7_septets(text: &str) -> Option<usize> {
    const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                         ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const EXTENSION: &str = "^{}\\[~]|€\u{0c}";
    text.chars().try_fold(0, |n, c| {
        if BASIC.contains(c) {
            Some(n + 1)
        } else if EXTENSION.contains(c) {
            Some(n + 2)
        } else {
            None
        }
    })
}

// ---------------------------------------------------------------- messages

#[test]
fn message_travels_as_json_with_lowercase_channel() {
    let msg = email_message();
    let value: Value = serde_json::to_value(&msg).unwrap();
    assert_eq!(value["channel"], "email");
    assert_eq!(value["code"], "482913");
    assert!(value.get("link").is_none(), "absent link is omitted");
    assert_eq!(value["attempt"], 0);
    let back: OutgoingMessage = serde_json::from_value(value).unwrap();
    assert_eq!(back, msg);
    assert_eq!(
        serde_json::to_value(sms_message()).unwrap()["channel"],
        "sms"
    );
}

#[test]
fn message_without_attempt_reads_as_first_attempt() {
    let text = r#"{"id":"a","channel":"sms","to":"+441","subject":"","text":"t","created_at":5}"#;
    let msg: OutgoingMessage = serde_json::from_str(text).unwrap();
    assert_eq!(msg.attempt, 0);
    assert_eq!(msg.link, None);
    assert_eq!(msg.next_attempt().attempt, 1);
    assert_eq!(msg.next_attempt().id, "a");
}

#[test]
fn outbox_view_has_exactly_the_listed_fields() {
    let view = email_message().outbox_view();
    let mut keys: Vec<&str> = view
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "channel",
            "code",
            "created_at",
            "html",
            "id",
            "subject",
            "text",
            "to"
        ]
    );
    assert_eq!(view["html"], email_message().html.as_str());
    assert!(
        sms_message().outbox_view().get("html").is_none(),
        "an SMS has no HTML"
    );
    assert_eq!(view["code"], "482913");
    assert_eq!(view["created_at"], NOW);
    let link = compose(
        MessageKind::ResetLink {
            link: "https://x.test/reset?token=ab".into(),
            ttl_minutes: 60,
        },
        Channel::Email,
        "a@b.test",
        "id",
        NOW,
    );
    assert_eq!(link.outbox_view()["link"], "https://x.test/reset?token=ab");
    assert!(link.outbox_view().get("code").is_none());
}

#[test]
fn message_debug_hides_text_link_code_and_recipient() {
    let mut msg = email_message();
    msg.link = Some("https://x.test/reset?token=deadbeefcafe".into());
    // An operator's subject template may carry the code.
    msg.subject = "482913 is your code".into();
    let shown = format!("{msg:?}");
    assert!(!shown.contains("482913"), "{shown}");
    assert!(!shown.contains("deadbeefcafe"), "{shown}");
    assert!(!shown.contains("jane@"), "{shown}");
    assert!(shown.contains("j***@example.com"), "{shown}");
    assert!(shown.contains("msg-0001"), "{shown}");
}

#[test]
fn recipients_are_masked() {
    assert_eq!(mask_recipient("jane@example.com"), "j***@example.com");
    assert_eq!(mask_recipient("élodie@exemple.fr"), "é***@exemple.fr");
    assert_eq!(mask_recipient("@example.com"), "***@example.com");
    assert_eq!(mask_recipient("+447700900456"), "+44********56");
    assert_eq!(mask_recipient("+1234"), "+****");
    assert_eq!(mask_recipient("jane"), "j***");
    assert_eq!(mask_recipient(""), "***");
}

// ---------------------------------------------------------------- texts

#[test]
fn reset_code_email_says_code_lifetime_and_what_to_do_if_not_you() {
    let msg = email_message();
    assert_eq!(msg.subject, "Your password reset code");
    assert!(msg.text.contains("482913"));
    assert!(msg.text.contains("10 minutes"));
    assert!(msg.text.contains("didn't ask"));
    assert!(msg.text.contains("contact support"));
    assert_eq!(msg.code.as_deref(), Some("482913"));
    assert_eq!(msg.link, None);
    assert_eq!(
        (msg.id.as_str(), msg.created_at, msg.attempt),
        ("msg-0001", NOW, 0)
    );
    assert!(
        !msg.text.contains('{'),
        "no blank left unfilled: {}",
        msg.text
    );
}

#[test]
fn reset_link_email_carries_link_and_lifetime_in_hours() {
    let link = "https://reset.acme.test/reset?token=0123abcd";
    let msg = compose(
        MessageKind::ResetLink {
            link: link.into(),
            ttl_minutes: 60,
        },
        Channel::Email,
        "jane@example.com",
        "id-1",
        NOW,
    );
    assert_eq!(msg.subject, "Reset your password");
    assert!(msg.text.contains(link));
    assert!(msg.text.contains("1 hour"));
    assert!(msg.text.contains("contact support"));
    assert_eq!(msg.link.as_deref(), Some(link));
    assert_eq!(msg.code, None);
}

#[test]
fn lifetimes_read_naturally() {
    let text = |ttl| {
        compose(
            MessageKind::ResetCode {
                code: "1".into(),
                ttl_minutes: ttl,
            },
            Channel::Email,
            "a@b.test",
            "i",
            NOW,
        )
        .text
    };
    assert!(text(1).contains("1 minute."));
    assert!(text(15).contains("15 minutes"));
    assert!(text(90).contains("90 minutes"));
    assert!(text(1440).contains("24 hours"));
}

#[test]
fn several_accounts_get_one_message_listing_each_link() {
    let msg = compose(
        MessageKind::ResetLinks {
            links: vec![
                (
                    "alice".into(),
                    "https://r.test/reset?user=alice&token=aa".into(),
                ),
                (
                    "bob\n<b>{link}</b>".into(),
                    "https://r.test/reset?user=bob&token=bb".into(),
                ),
            ],
            ttl_minutes: 60,
        },
        Channel::Email,
        "family@example.com",
        "id-2",
        NOW,
    );
    assert!(
        msg.text
            .contains("alice:\nhttps://r.test/reset?user=alice&token=aa")
    );
    assert!(
        msg.text
            .contains("bob <b>{link}</b>:\nhttps://r.test/reset?user=bob&token=bb"),
        "label has its line break removed and its braces kept literal: {}",
        msg.text
    );
    assert_eq!(msg.text.matches("https://r.test/").count(), 2);
    assert_eq!(
        msg.link.as_deref(),
        Some("https://r.test/reset?user=alice&token=aa")
    );
}

#[test]
fn password_changed_notice_carries_no_secret() {
    for channel in [Channel::Email, Channel::Sms] {
        let msg = compose(MessageKind::PasswordChanged, channel, "a@b.test", "id", NOW);
        assert!(msg.text.contains("changed"));
        assert!(msg.text.contains("contact support"));
        assert_eq!((msg.code.clone(), msg.link.clone()), (None, None));
    }
}

#[test]
fn sms_has_no_subject_and_fits_one_gsm_segment_in_every_language() {
    let kinds = || {
        vec![
            MessageKind::ResetCode {
                code: "0123456789".into(),
                ttl_minutes: 10,
            },
            MessageKind::PasswordChanged,
        ]
    };
    for locale in Locale::ALL {
        for kind in kinds() {
            let msg = written_in(locale, kind.clone(), Channel::Sms, "+15551234567", "i", NOW);
            assert_eq!(msg.subject, "");
            let septets = gsm7_septets(&msg.text)
                .unwrap_or_else(|| panic!("{locale:?} {kind:?} leaves GSM-7: {}", msg.text));
            assert!(septets <= 160, "{locale:?} {kind:?}: {septets} septets");
        }
        let link = written_in(
            locale,
            MessageKind::ResetLink {
                link: "https://r.test/reset?token=ab".into(),
                ttl_minutes: 60,
            },
            Channel::Sms,
            "+15551234567",
            "i",
            NOW,
        );
        let septets = gsm7_septets(&link.text).expect("link SMS in GSM-7");
        assert!(septets <= 160, "{locale:?}: {septets}");
    }
}

#[test]
fn every_language_fills_every_text() {
    let mut seen = Vec::new();
    for locale in Locale::ALL {
        for channel in [Channel::Email, Channel::Sms] {
            let kinds = [
                MessageKind::ResetCode {
                    code: "777111".into(),
                    ttl_minutes: 10,
                },
                MessageKind::ResetLink {
                    link: "https://r.test/x".into(),
                    ttl_minutes: 1440,
                },
                MessageKind::ResetLinks {
                    links: vec![("ann".into(), "https://r.test/a".into())],
                    ttl_minutes: 60,
                },
                MessageKind::PasswordChanged,
            ];
            for kind in kinds {
                let msg = written_in(locale, kind, channel, "a@b.test", "i", NOW);
                assert!(!msg.text.contains('{'), "{locale:?}: {}", msg.text);
                assert!(!msg.text.is_empty());
                if channel == Channel::Email {
                    assert!(!msg.subject.is_empty());
                }
                seen.push(msg.text);
            }
        }
    }
    let count = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), count, "each language has its own texts");
}

#[test]
fn locales_parse_from_language_tags() {
    assert_eq!(Locale::parse("en"), Some(Locale::En));
    assert_eq!(Locale::parse("de-DE"), Some(Locale::De));
    assert_eq!(Locale::parse("ES_mx"), Some(Locale::Es));
    assert_eq!(Locale::parse("fr"), None);
    assert_eq!(Locale::parse(""), None);
    assert_eq!(Locale::default(), Locale::En);
}

#[test]
fn message_kind_debug_hides_codes_and_links() {
    let kind = MessageKind::ResetLink {
        link: "https://r.test/reset?token=s3cr3t".into(),
        ttl_minutes: 60,
    };
    assert!(!format!("{kind:?}").contains("s3cr3t"));
    let kind = MessageKind::ResetCode {
        code: "918273".into(),
        ttl_minutes: 10,
    };
    assert!(!format!("{kind:?}").contains("918273"));
}

// ---------------------------------------------------------------- e-mails: HTML, brand, templates

/// One message of each kind, with the values it carries.
fn every_kind() -> Vec<MessageKind> {
    vec![
        MessageKind::ResetCode {
            code: "482913".into(),
            ttl_minutes: 10,
        },
        MessageKind::ResetLink {
            link: "https://r.test/reset?token=ab&x=1".into(),
            ttl_minutes: 60,
        },
        MessageKind::ResetLinks {
            links: vec![
                (
                    "ann".into(),
                    "https://r.test/reset?user=ann&token=aa".into(),
                ),
                (
                    "bob".into(),
                    "https://r.test/reset?user=bob&token=bb".into(),
                ),
            ],
            ttl_minutes: 60,
        },
        MessageKind::PasswordChanged,
    ]
}

/// The brand and templates `pairs` configure (development's rules).
fn settings(pairs: &[(&str, &str)]) -> MessageSettings {
    config_ok(pairs).messages
}

/// A brand with every variable set.
const BRAND: [(&str, &str); 5] = [
    ("BRAND_NAME", "Acme"),
    ("BRAND_URL", "https://acme.test"),
    ("BRAND_LOGO_URL", "https://acme.test/logo.png"),
    ("BRAND_COLOR", "#0F766E"),
    ("SUPPORT_EMAIL", "help@acme.test"),
];

/// What HTML an e-mail must be: a whole document in its language, laid out with presentation
/// tables and inline styles only, that both colour schemes may show.
#[track_caller]
fn assert_email_html(html: &str, lang: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n"), "{html}");
    assert!(
        html.contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")),
        "{html}"
    );
    assert!(html.contains(r#"<meta name="color-scheme" content="light dark">"#));
    assert!(html.contains(r#"<meta charset="utf-8">"#));
    assert!(html.trim_end().ends_with("</html>"));
    for table in html.match_indices("<table").map(|(at, _)| &html[at..]) {
        assert!(
            table.starts_with("<table role=\"presentation\""),
            "a layout table without role=presentation: {}",
            &table[..60.min(table.len())]
        );
    }
    for banned in [
        "<script",
        "<style",
        "<link",
        "javascript:",
        " class=",
        "<img src=\"http:",
    ] {
        assert!(!html.contains(banned), "{banned} in {html}");
    }
    // Every image says what it shows.
    for img in html.match_indices("<img").map(|(at, _)| &html[at..]) {
        let tag = &img[..img.find('>').unwrap()];
        assert!(tag.contains(" alt=\""), "{tag}");
    }
}

#[test]
fn every_kind_in_every_language_is_written_as_text_and_html() {
    let mut htmls = Vec::new();
    for locale in Locale::ALL {
        let lang = serde_json::to_value(locale).unwrap();
        let lang = lang.as_str().unwrap();
        for kind in every_kind() {
            let msg = written_in(locale, kind.clone(), Channel::Email, "a@b.test", "i", NOW);
            assert!(
                !msg.subject.is_empty() && !msg.text.is_empty(),
                "{lang} {kind:?}"
            );
            assert_email_html(&msg.html, lang);
            // The subject is the page's title and its heading.
            let subject = msg.subject.replace('\'', "&#39;");
            assert!(msg.html.contains(&format!("<title>{subject}</title>")));
            assert!(msg.html.contains(&format!(">{subject}</h1>")));
            // Each paragraph of the text is in the HTML too (escaped as HTML escapes it).
            for paragraph in msg.text.split("\n\n").map(str::trim) {
                let shown = paragraph.replace('&', "&amp;").replace('\'', "&#39;");
                if !paragraph.contains('\n') {
                    assert!(
                        msg.html.contains(&shown),
                        "{lang}: {shown:?} not in the HTML"
                    );
                }
            }
            match &kind {
                MessageKind::ResetCode { code, .. } => {
                    let cell = msg.html.split(code.as_str()).next().unwrap();
                    let cell = &cell[cell.rfind("<td").unwrap()..];
                    assert!(
                        cell.contains("monospace") && cell.contains("font-size:32px"),
                        "{cell}"
                    );
                }
                MessageKind::ResetLink { link, .. } => {
                    let href = format!("href=\"{}\"", link.replace('&', "&amp;"));
                    // A button with a visible text, and the bare URL, both links.
                    assert_eq!(msg.html.matches(&href).count(), 2, "{}", msg.html);
                    assert!(
                        msg.html
                            .contains(&format!(">{}</a>", link.replace('&', "&amp;")))
                    );
                }
                MessageKind::ResetLinks { links, .. } => {
                    for (account, link) in links {
                        let link = link.replace('&', "&amp;");
                        assert!(msg.html.contains(&format!("\">{account}</a>")));
                        assert!(msg.html.contains(&format!("\">{link}</a>")));
                    }
                }
                MessageKind::PasswordChanged => {
                    assert!(!msg.html.contains("href"), "no link in the notice");
                }
            }
            // No brand configured: no header, logo or footer.
            assert!(!msg.html.contains("<img") && !msg.html.contains("mailto:"));
            htmls.push(msg.html);
        }
    }
    let count = htmls.len();
    htmls.sort();
    htmls.dedup();
    assert_eq!(
        htmls.len(),
        count,
        "each language and kind has its own HTML"
    );
}

#[test]
fn english_texts_without_a_brand_are_what_they_were() {
    let text = |kind| compose(kind, Channel::Email, "a@b.test", "i", NOW).text;
    let [code, link, links, changed] = every_kind().try_into().unwrap();
    assert_eq!(
        text(code),
        "Your password reset code is:\n\n    482913\n\nIt expires in 10 minutes. Enter it where \
         you asked to reset your password. Never share this code: we will never ask you for \
         it.\n\nIf you didn't ask to reset your password, ignore this email: your password stays \
         unchanged. If you keep getting these emails, contact support.\n"
    );
    assert_eq!(
        text(link),
        "Someone asked to reset the password of your account. To choose a new password, open \
         this link:\n\nhttps://r.test/reset?token=ab&x=1\n\nThe link expires in 1 hour and works \
         only once.\n\nIf you didn't ask to reset your password, ignore this email: your \
         password stays unchanged. If you keep getting these emails, contact support.\n"
    );
    assert_eq!(
        text(links),
        "Someone asked to reset the password of the accounts that use this email address. Open \
         the link of the account you want to reset:\n\nann:\nhttps://r.test/reset?user=ann&\
         token=aa\n\nbob:\nhttps://r.test/reset?user=bob&token=bb\n\nEach link expires in 1 hour \
         and works only once.\n\nIf you didn't ask to reset your password, ignore this email: \
         your passwords stay unchanged. If you keep getting these emails, contact support.\n"
    );
    assert_eq!(
        text(changed),
        "The password of your account was just changed.\n\nIf you did this, there is nothing \
         more to do.\n\nIf you didn't, reset your password right away and contact support: \
         someone else may have access to your account.\n"
    );
}

#[test]
fn the_brand_shows_in_every_e_mail_and_the_support_address_where_support_is_named() {
    let branded = settings(&BRAND);
    assert_eq!(branded.branding.color, "#0f766e", "kept as #rrggbb");
    for locale in Locale::ALL {
        for kind in every_kind() {
            let msg = compose_with(
                &branded,
                locale,
                kind.clone(),
                Channel::Email,
                "a@b.test",
                "i",
                NOW,
            );
            let html = &msg.html;
            assert!(
                html.contains(r#"<img src="https://acme.test/logo.png" alt="Acme" height="40""#),
                "{html}"
            );
            assert!(
                html.contains(r#"<a href="https://acme.test" "#),
                "the logo links the site"
            );
            assert!(html.contains("border-top:4px solid #0f766e"), "{html}");
            assert!(!html.contains("#1d4ed8"), "the default colour is gone");
            assert!(
                html.contains(r#"<a href="mailto:help@acme.test""#),
                "{html}"
            );
            // The text signs with the brand, after what it said before.
            assert!(
                msg.text.ends_with("\n\nAcme\nhttps://acme.test\n"),
                "{}",
                msg.text
            );
            assert!(msg.text.contains("help@acme.test"), "{}", msg.text);
            if matches!(kind, MessageKind::ResetLink { .. }) {
                assert!(html.contains("background-color:#0f766e"), "the button");
            }
        }
    }
    let notice = |settings: &MessageSettings, locale| {
        compose_with(
            settings,
            locale,
            MessageKind::PasswordChanged,
            Channel::Email,
            "a@b.test",
            "i",
            NOW,
        )
        .text
    };
    assert_eq!(
        notice(&branded, Locale::En),
        "The password of your account was just changed.\n\nIf you did this, there is nothing \
         more to do.\n\nIf you didn't, reset your password right away and contact support at \
         help@acme.test: someone else may have access to your account.\n\nAcme\nhttps://acme.test\n"
    );
    assert!(
        notice(&branded, Locale::De)
            .contains("wenden Sie sich an den Support unter help@acme.test:")
    );
    assert!(notice(&branded, Locale::Es).contains("contacta con soporte en help@acme.test:"));
    // The support address alone: named, and no signature.
    let support = settings(&[("SUPPORT_EMAIL", "help@acme.test")]);
    let text = notice(&support, Locale::En);
    assert!(
        text.ends_with("may have access to your account.\n"),
        "{text}"
    );
    assert!(text.contains("contact support at help@acme.test"));
    // The name without a logo: the name in text, no image.
    let named = settings(&[("BRAND_NAME", "Acme")]);
    let html = compose_with(
        &named,
        Locale::En,
        MessageKind::PasswordChanged,
        Channel::Email,
        "a@b.test",
        "i",
        NOW,
    )
    .html;
    assert!(!html.contains("<img") && html.contains("Acme"));
    // SMS stay as they were, brand or not.
    for kind in every_kind() {
        let plain = written_in(
            Locale::En,
            kind.clone(),
            Channel::Sms,
            "+15551234567",
            "i",
            NOW,
        );
        let with = compose_with(
            &branded,
            Locale::En,
            kind,
            Channel::Sms,
            "+15551234567",
            "i",
            NOW,
        );
        assert_eq!(
            (with.text, with.html.as_str(), with.subject.as_str()),
            (plain.text, "", "")
        );
    }
}

#[test]
fn every_value_the_html_shows_is_escaped() {
    let hostile = "<script>alert(\"x\")</script> & 'Co'";
    let branded = settings(&[
        ("BRAND_NAME", hostile),
        ("BRAND_URL", "https://acme.test/?a=1&b=\"2\""),
        ("BRAND_LOGO_URL", "https://acme.test/logo.png?v=1&x=2"),
    ]);
    assert_eq!(branded.branding.name.as_deref(), Some(hostile));
    let msg = compose_with(
        &branded,
        Locale::En,
        MessageKind::ResetLinks {
            links: vec![
                (
                    "<img src=x onerror=alert(1)>\"".into(),
                    "https://r.test/reset?user=a&token=1".into(),
                ),
                (
                    "bob".into(),
                    "https://r.test/reset?user=b\"><script>&token=2".into(),
                ),
            ],
            ttl_minutes: 60,
        },
        Channel::Email,
        "a@b.test",
        "i",
        NOW,
    );
    let html = &msg.html;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(!html.contains("alert(\""), "{html}");
    let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;";
    assert!(html.contains(&format!("alt=\"{escaped}\"")), "{html}");
    assert!(
        html.contains("href=\"https://acme.test/?a=1&amp;b=&quot;2&quot;\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"https://acme.test/logo.png?v=1&amp;x=2\""),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;&quot;</a>"),
        "{html}"
    );
    assert!(
        html.contains("user=b&quot;&gt;&lt;script&gt;&amp;token=2"),
        "{html}"
    );
    assert_email_html(html, "en");
    // The plain text is not HTML: it shows the name as written.
    assert!(
        msg.text.contains(&format!("\n\n{hostile}\n")),
        "{}",
        msg.text
    );
}

#[test]
fn a_brand_colour_white_text_is_unreadable_on_is_refused_and_so_are_other_bad_brand_values() {
    for (pairs, variable, says) in [
        (vec![("BRAND_COLOR", "#777")], "BRAND_COLOR", "4.47:1"),
        (vec![("BRAND_COLOR", "#ffcc00")], "BRAND_COLOR", "contrast"),
        (vec![("BRAND_COLOR", "teal")], "BRAND_COLOR", "#rrggbb"),
        (vec![("BRAND_NAME", "Acme\nInc")], "BRAND_NAME", "one line"),
        (vec![("BRAND_NAME", &"x".repeat(65))], "BRAND_NAME", "64"),
        (
            vec![("BRAND_LOGO_URL", "https://acme.test/logo.png")],
            "BRAND_NAME",
            "alt text",
        ),
        (
            vec![("BRAND_URL", "acme.test")],
            "BRAND_URL",
            "absolute URL",
        ),
        (
            vec![("SUPPORT_EMAIL", "Help <help@acme.test>")],
            "SUPPORT_EMAIL",
            "plain e-mail address",
        ),
    ] {
        let found = problems(&pairs);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(variable) && p.contains(says)),
            "{pairs:?}: {found:?}"
        );
    }
    assert_eq!(
        settings(&[("BRAND_COLOR", "#767676")]).branding.color,
        "#767676"
    );
    assert_eq!(settings(&[]).branding, Branding::default());
    assert_eq!(Branding::default().color, "#1d4ed8");
}

#[test]
fn an_override_replaces_its_own_part_of_its_own_language_and_kind_only() {
    let templates = json!({
        "de": {
            "reset_code": {
                "subject": "[{{ brand_name }}] {{ code }}\n ist Ihr Code",
                "text": "Ihr Code: {{ code }} ({{ lifetime }})\n",
                "html": "{% extends \"layout.html\" %}{% block content %}<p>{{ t.intro }} <b>{{ code }}</b> {{ brand_name }}</p>{% endblock %}"
            }
        },
        "es": { "password_changed": { "html": "<p lang=\"{{ lang }}\">{{ t.if_not }}</p>" } }
    });
    let templates = templates.to_string();
    let custom = settings(&[("BRAND_NAME", "A&B"), ("MESSAGE_TEMPLATES", &templates)]);
    let built_in = settings(&[("BRAND_NAME", "A&B")]);
    let write = |settings: &MessageSettings, locale, kind| {
        compose_with(settings, locale, kind, Channel::Email, "a@b.test", "i", NOW)
    };
    let code = every_kind()[0].clone();
    let de = write(&custom, Locale::De, code.clone());
    assert_eq!(
        de.subject, "[A&B] 482913 ist Ihr Code",
        "one line, not escaped"
    );
    assert_eq!(de.text, "Ihr Code: 482913 (10 Minuten)\n");
    assert!(
        de.html.contains(
            "<p>Ihr Code zum Zurücksetzen des Passworts lautet: <b>482913</b> A&amp;B</p>"
        ),
        "{}",
        de.html
    );
    assert_email_html(&de.html, "de");
    assert!(
        de.html
            .contains("<title>[A&amp;B] 482913 ist Ihr Code</title>"),
        "the subject written"
    );
    // Every other language and kind, and the parts not overridden, as built in.
    for locale in Locale::ALL {
        for kind in every_kind() {
            let (with, without) = (
                write(&custom, locale, kind.clone()),
                write(&built_in, locale, kind.clone()),
            );
            let ours = |part| custom.templates.is_overridden(locale, kind.name(), part);
            assert_eq!(
                with.subject == without.subject,
                !ours(Part::Subject),
                "{locale:?} {kind:?}"
            );
            assert_eq!(
                with.text == without.text,
                !ours(Part::Text),
                "{locale:?} {kind:?}"
            );
            assert_eq!(
                with.html == without.html,
                !ours(Part::Html),
                "{locale:?} {kind:?}"
            );
        }
    }
    let es = write(&custom, Locale::Es, MessageKind::PasswordChanged);
    assert!(
        es.html
            .starts_with("<p lang=\"es\">Si no, restablece tu contraseña"),
        "{}",
        es.html
    );
    assert_eq!(es.subject, "Tu contraseña ha cambiado");
}

#[test]
fn delivery_writes_each_message_with_the_configured_brand_and_templates() {
    let templates =
        json!({ "en": { "reset_code": { "subject": "{{ brand_name }}: {{ subject }}" } } });
    let templates = templates.to_string();
    let mut pairs = BRAND.to_vec();
    pairs.extend([
        ("MESSAGE_TEMPLATES", templates.as_str()),
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_API_KEY", "re_KEY123"),
    ]);
    let config = config_ok(&pairs);
    // Queued unwritten, where no configuration is at hand: what it says, no words yet.
    let msg = unwritten(
        Locale::En,
        every_kind()[0].clone(),
        Channel::Email,
        "jane@example.com",
        "msg-0001",
        NOW,
    );
    let parts = (msg.subject.as_str(), msg.text.as_str(), msg.html.as_str());
    assert_eq!(parts, ("", "", ""));
    let p = MemoryPlatform::new(NOW);
    assert_eq!(
        block_on(deliver(&config, &msg, &p.http, &p, NOW)),
        DeliveryReport {
            delivery: Delivery::Sent,
            template_fallbacks: Vec::new()
        }
    );
    let body = json_body(&p.http.requests()[0]);
    assert_eq!(body["subject"], "Acme: Your password reset code");
    assert!(
        body["html"].as_str().unwrap().contains("alt=\"Acme\""),
        "{body}"
    );
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .contains("contact support at help@acme.test")
    );
    assert_eq!(
        body["text"].as_str().unwrap(),
        compose_with(
            &config.messages,
            Locale::En,
            every_kind()[0].clone(),
            Channel::Email,
            "x",
            "y",
            NOW
        )
        .text
    );
    // The outbox keeps the message as written.
    let outbox = DeliveryConfig {
        messages: config.messages.clone(),
        ..DeliveryConfig::outbox()
    };
    let p = MemoryPlatform::new(NOW);
    assert_eq!(
        block_on(deliver(&outbox, &msg, &p.http, &p, NOW)).delivery,
        Delivery::Sent
    );
    let kept = block_on(p.outbox_list(&msg.to)).unwrap();
    assert_eq!(kept[0].subject, "Acme: Your password reset code");
    assert!(
        kept[0].outbox_view()["html"]
            .as_str()
            .unwrap()
            .contains("https://acme.test/logo.png")
    );
    assert_eq!(kept[0].code.as_deref(), Some("482913"));
    // A message an earlier release queued written in the built-in templates is written again.
    let earlier = email_message();
    assert!(!earlier.html.contains("Acme") && earlier.content.is_some());
    let p = MemoryPlatform::new(NOW);
    assert_eq!(
        block_on(deliver(&config, &earlier, &p.http, &p, NOW)).delivery,
        Delivery::Sent
    );
    let again = json_body(&p.http.requests()[0]);
    assert_eq!(
        (&again["subject"], &again["text"], &again["html"]),
        (&body["subject"], &body["text"], &body["html"])
    );
}

#[test]
fn a_message_queued_before_messages_had_html_is_sent_with_the_html_of_its_text() {
    let queued = r#"{"id":"old-1","channel":"email","to":"jane@example.com",
        "subject":"Ihr Code zum Zurücksetzen des Passworts",
        "text":"Ihr Code lautet:\n\n    482913\n\nEr ist 10 Minuten gültig. <Nie> weitergeben.\n",
        "code":"482913","created_at":1700000000,"attempt":1}"#;
    let msg: OutgoingMessage = serde_json::from_str(queued).unwrap();
    assert_eq!((msg.html.as_str(), msg.content.is_none()), ("", true));
    // It travels on as it came: no html or content field appears.
    let again = serde_json::to_value(&msg).unwrap();
    assert!(again.get("html").is_none() && again.get("content").is_none());
    let config = DeliveryConfig {
        email: resend().email,
        ..config_ok(&BRAND)
    };
    let p = MemoryPlatform::new(NOW);
    assert_eq!(
        block_on(deliver(&config, &msg, &p.http, &p, NOW)).delivery,
        Delivery::Sent
    );
    let body = json_body(&p.http.requests()[0]);
    // The subject and text as queued; the HTML has the text's paragraphs, in the language its
    // subject is in, in the brand's layout.
    assert_eq!(body["subject"], msg.subject.as_str());
    assert_eq!(body["text"], msg.text.as_str());
    let html = body["html"].as_str().unwrap();
    assert_email_html(html, "de");
    assert!(html.contains(">Ihr Code lautet:</p>"), "{html}");
    assert!(html.contains(">    482913</p>"), "{html}");
    assert!(
        html.contains(">Er ist 10 Minuten gültig. &lt;Nie&gt; weitergeben.</p>"),
        "{html}"
    );
    assert!(html.contains("alt=\"Acme\""));
    // An SMS stays text only.
    let sms: OutgoingMessage = serde_json::from_str(
        r#"{"id":"old-2","channel":"sms","to":"+447700900456","subject":"","text":"Code 1","created_at":5}"#,
    )
    .unwrap();
    assert_eq!(written_with(&config.messages, &sms), (sms, Vec::new()));
}

#[test]
fn a_queued_message_travels_with_its_content_only_and_gives_it_up_with_its_secret() {
    let msg = unwritten(
        Locale::De,
        every_kind()[2].clone(),
        Channel::Email,
        "a@b.test",
        "i",
        NOW,
    );
    let value = serde_json::to_value(&msg).unwrap();
    assert_eq!(value["content"]["locale"], "de");
    assert_eq!(value["content"]["kind"]["name"], "reset_links");
    assert_eq!(value["content"]["kind"]["ttl_minutes"], 60);
    // No words yet: its delivery writes them. The link for the dev outbox is the first one.
    assert_eq!(
        (&value["subject"], &value["text"]),
        (&json!(""), &json!(""))
    );
    assert!(value.get("html").is_none(), "{value}");
    assert_eq!(value["link"], "https://r.test/reset?user=ann&token=aa");
    assert!(value.to_string().len() < 512, "{value}");
    assert_eq!(
        serde_json::from_value::<OutgoingMessage>(value).unwrap(),
        msg
    );
    // Written, it hides its words and secrets all the same, and gives them up.
    let msg = written_with(&MessageSettings::default(), &msg).0;
    assert!(msg.html.starts_with("<!DOCTYPE") && msg.text.contains("token=aa"));
    let shown = format!("{msg:?}");
    for secret in ["token=aa", "token=bb", "user=ann", "<!DOCTYPE"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let given_up = msg.without_secret();
    assert_eq!((given_up.text.as_str(), given_up.html.as_str()), ("", ""));
    assert_eq!((given_up.content, given_up.link), (None, None));
}

#[test]
fn the_documented_message_templates_are_accepted_and_do_what_they_say() {
    const DOC: &str = include_str!("../../../docs/delivery.md");
    let section = DOC
        .split("## Your own templates (`MESSAGE_TEMPLATES`)")
        .nth(1)
        .expect("docs/delivery.md documents MESSAGE_TEMPLATES");
    let example = section
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("an example");
    let documented = settings(&[("BRAND_NAME", "Acme"), ("MESSAGE_TEMPLATES", example)]);
    let write = |locale, kind| {
        compose_with(
            &documented,
            locale,
            kind,
            Channel::Email,
            "a@b.test",
            "i",
            NOW,
        )
    };
    let de = write(Locale::De, every_kind()[0].clone());
    assert_eq!(de.subject, "482913 ist Ihr Code für Acme");
    assert_eq!(de.text, "Ihr Code: 482913\nEr ist 10 Minuten gültig.\n");
    let en = write(Locale::En, every_kind()[1].clone());
    assert!(
        en.html.contains(
            "<p><a href=\"https://r.test/reset?token=ab&amp;x=1\">Choose a new password</a></p>"
        ),
        "{}",
        en.html
    );
    assert_email_html(&en.html, "en");
}

/// `count` accounts' links, each with its own token (`token=secret00` …).
fn many_links(count: usize) -> MessageKind {
    let links = (0..count)
        .map(|i| {
            let link = format!("https://r.test/reset?user=u{i:02}&token=secret{i:02}");
            (format!("account{i:02}"), link)
        })
        .collect();
    MessageKind::ResetLinks {
        links,
        ttl_minutes: 60,
    }
}

/// Resend, with `templates` as `MESSAGE_TEMPLATES`.
fn resend_with(templates: &Value) -> DeliveryConfig {
    let templates = templates.to_string();
    config_ok(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_API_KEY", "re_KEY123"),
        ("MESSAGE_TEMPLATES", &templates),
    ])
}

/// Delivers `kind` (in English, by e-mail) through `config`: the report, the log line
/// `flows::send` prints, and the provider's request body.
fn deliver_kind(config: &DeliveryConfig, kind: MessageKind) -> (DeliveryReport, String, Value) {
    let msg = unwritten(Locale::En, kind, Channel::Email, "a@b.test", "m-1", NOW);
    let p = MemoryPlatform::new(NOW);
    let report = block_on(deliver(config, &msg, &p.http, &p, NOW));
    let line = report.log_line(config, &msg);
    (report, line, json_body(&p.http.requests()[0]))
}

#[test]
fn an_operator_template_that_fails_at_delivery_gives_way_to_the_built_in_one_and_says_so() {
    // Five loops over the accounts, one in another: 32 turns over the two sample accounts of
    // the start-up check, 3.2 million over twenty, far more than a rendering's fuel.
    let nested = format!(
        "{}{{% endfor %}}{}{}",
        "{% for a in links %}".repeat(5),
        "{% endfor %}".repeat(4),
        "{{ t.intro }}\n"
    );
    let templates = json!({ "en": { "reset_links": { "text": nested } } });
    let config = resend_with(&templates);
    assert!(
        config
            .messages
            .templates
            .is_overridden(Locale::En, "reset_links", Part::Text),
        "the start-up check accepts it"
    );
    // Two accounts: the operator's text.
    let (report, _, body) = deliver_kind(&config, many_links(2));
    assert_eq!(report.template_fallbacks, []);
    assert!(!body["text"].as_str().unwrap().contains("token="), "{body}");
    // Twenty: out of fuel, so the built-in text is sent, and the log line names the template.
    let (report, line, body) = deliver_kind(&config, many_links(20));
    assert_eq!(report.delivery, Delivery::Sent);
    let built_in = resend_with(&json!({}));
    let (_, _, expected) = deliver_kind(&built_in, many_links(20));
    assert_eq!(body["text"], expected["text"]);
    assert!(body["text"].as_str().unwrap().contains("token=secret19"));
    assert_eq!(
        body["html"], expected["html"],
        "the HTML was not the operator's"
    );
    assert_eq!(
        report.template_fallbacks,
        [TemplateFallback {
            template: "en.reset_links.text".into(),
            reason: "engine ran out of fuel (line 1)".into(),
        }]
    );
    let logged: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(logged["event"], "delivery_sent");
    assert_eq!(
        logged["template_fallback"],
        json!(["en.reset_links.text: engine ran out of fuel (line 1)"])
    );
    for secret in ["secret", "token", "r.test", "account0", "a@b.test"] {
        assert!(!line.contains(secret), "{secret} in {line}");
    }
    // Without a failure the line says nothing of templates.
    let (report, line, _) = deliver_kind(&built_in, many_links(20));
    assert!(report.template_fallbacks.is_empty() && !line.contains("template"));
}

#[test]
fn an_operator_template_that_writes_too_much_gives_way_to_the_built_in_one() {
    // Three loops over the accounts writing each link: about 400 bytes over the check's two
    // sample accounts, more than a megabyte over thirty; the subject lists every link.
    let nested = format!(
        "{}{{{{ a.link }}}}{}",
        "{% for a in links %}".repeat(3),
        "{% endfor %}".repeat(3)
    );
    let templates = json!({ "en": { "reset_links": {
        "subject": "{% for a in links %}{{ a.link }} {% endfor %}",
        "html": nested,
    } } });
    let config = resend_with(&templates);
    let (report, _, body) = deliver_kind(&config, many_links(2));
    assert_eq!(report.template_fallbacks, []);
    assert!(body["subject"].as_str().unwrap().contains("token=secret01"));
    assert!(
        body["html"]
            .as_str()
            .unwrap()
            .starts_with("https://r.test/")
    );
    let (report, line, body) = deliver_kind(&config, many_links(30));
    assert_eq!(report.delivery, Delivery::Sent);
    let (_, _, expected) = deliver_kind(&resend_with(&json!({})), many_links(30));
    assert_eq!(body["subject"], expected["subject"]);
    assert!(!body["subject"].as_str().unwrap().contains("r.test"));
    assert_eq!(body["html"], expected["html"]);
    assert_email_html(body["html"].as_str().unwrap(), "en");
    assert!(body["html"].as_str().unwrap().len() < MAX_PART_BYTES);
    let failed: Vec<String> = report
        .template_fallbacks
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        failed,
        [
            format!(
                "en.reset_links.subject: wrote a subject of more than {MAX_SUBJECT_CHARS} characters"
            ),
            "en.reset_links.html: wrote more than 256 KiB".to_owned(),
        ]
    );
    let logged: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(logged["template_fallback"], json!(failed));
    assert!(
        !line.contains("secret") && !line.contains("r.test"),
        "{line}"
    );
    // What writes too much with the sample values is refused at start.
    let always = format!(
        "{}{{{{ a.link }}}}{}",
        "{% for a in links %}".repeat(13),
        "{% endfor %}".repeat(13)
    );
    let always = json!({ "en": { "reset_links": { "text": always } } }).to_string();
    let found = problems(&[("MESSAGE_TEMPLATES", &always)]);
    assert!(
        found
            .iter()
            .any(|p| p.contains("en.reset_links.text writes more than 256 KiB")),
        "{found:?}"
    );
    let long = json!({ "en": { "reset_code": { "subject": "{{ code }}".repeat(200) } } });
    let found = problems(&[("MESSAGE_TEMPLATES", &long.to_string())]);
    assert!(
        found
            .iter()
            .any(|p| p
                .contains("en.reset_code.subject writes a subject of more than 998 characters")),
        "{found:?}"
    );
}

#[test]
fn bad_message_templates_are_problems_naming_the_variable_and_the_entry() {
    let cases: &[(&str, &str)] = &[
        ("{", "expected a JSON object of languages"),
        ("[]", "expected a JSON object of languages"),
        (
            r#"{"fr":{}}"#,
            "unknown language \"fr\"; expected en, de or es",
        ),
        (r#"{"de":[]}"#, "de must be a JSON object of kinds"),
        (
            r#"{"de":{"code":{}}}"#,
            "de: unknown message kind \"code\"; expected reset_code, reset_link, reset_links or password_changed",
        ),
        (
            r#"{"de":{"reset_code":"x"}}"#,
            "de.reset_code must be a JSON object",
        ),
        (
            r#"{"de":{"reset_code":{"body":"x"}}}"#,
            "de.reset_code: unknown field \"body\"; expected subject, text or html",
        ),
        (
            r#"{"de":{"reset_code":{"text":1}}}"#,
            "de.reset_code.text must be a template, a non-empty string",
        ),
        (
            r#"{"de":{"reset_code":{"text":" "}}}"#,
            "de.reset_code.text must be a template",
        ),
        (
            r#"{"de":{"reset_code":{"text":"{% if code %}x"}}}"#,
            "de.reset_code.text: syntax error",
        ),
        (
            r#"{"de":{"reset_code":{"html":"{{ link }}"}}}"#,
            "de.reset_code.html uses link, which reset_code templates are not given; they are given lang, subject",
        ),
        (
            r#"{"en":{"reset_code":{"text":"{{ t.button }}"}}}"#,
            "en.reset_code.text uses t.button",
        ),
        (
            r#"{"en":{"reset_link":{"text":"{{ code|nope }}"}}}"#,
            "en.reset_link.text uses code",
        ),
        (
            r#"{"en":{"reset_link":{"text":"{{ link|nope }}"}}}"#,
            "en.reset_link.text does not render: unknown filter",
        ),
        (
            r#"{"en":{"reset_link":{"html":"{% extends \"nope.html\" %}"}}}"#,
            "en.reset_link.html does not render: template not found",
        ),
        (
            r#"{"es":{"password_changed":{"subject":"{% if false %}x{% endif %}"}}}"#,
            "es.password_changed.subject writes nothing",
        ),
        (
            r#"{"es":{"reset_links":{"text":"{% include \"es.reset_links.text\" %}"}}}"#,
            "es.reset_links.text does not render: invalid operation: recursion limit exceeded",
        ),
        (
            r#"{"en":{"reset_code":{"html":"{{ code + 1 }}"}}}"#,
            "en.reset_code.html does not render: invalid operation",
        ),
    ];
    for (value, says) in cases {
        let found = config(&[("MESSAGE_TEMPLATES", value)])
            .err()
            .unwrap_or_else(|| panic!("{value}: accepted"));
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("MESSAGE_TEMPLATES: ") && p.contains(says)),
            "{value}: {found:?}"
        );
        for problem in &found {
            assert!(
                !problem.contains("  ") && !problem.chars().any(char::is_control),
                "{problem:?}"
            );
        }
    }
    // Twenty loops over two accounts, one in another: a million turns, out of fuel (before it
    // writes too much: it writes nothing).
    let nested = format!(
        "{}{}",
        "{% for a in links %}".repeat(20),
        "{% endfor %}".repeat(20)
    );
    let nested = json!({ "es": { "reset_links": { "text": nested } } }).to_string();
    let found = problems(&[("MESSAGE_TEMPLATES", &nested)]);
    assert!(
        found
            .iter()
            .any(|p| p.contains("es.reset_links.text does not render: engine ran out of fuel")),
        "{found:?}"
    );
    // Every problem at once, each naming its entry.
    let found = problems(&[(
        "MESSAGE_TEMPLATES",
        r#"{"fr":{},"de":{"reset_code":{"text":"{{ nope }}","html":"{% if %}"}}}"#,
    )]);
    assert_eq!(found.len(), 3, "{found:?}");
    // What is given is accepted: every variable and word, escaping and a test over them.
    let every = json!({ "en": {
        "reset_links": {
            "text": "{{ lang }} {{ subject }} {{ brand_name }} {{ brand_url }} {{ brand_logo_url }} {{ brand_color }} {{ support_email }} {{ lifetime }} {% for item in links %}{{ loop.index }}. {{ item.account|e }} {{ item.link }}{% if brand_name is none %}-{% endif %}{% endfor %} {{ t.subject }} {{ t.intro }} {{ t.expiry }} {{ t.ignore }}",
        },
        "reset_link": { "subject": "{{ subject }} – {{ t.button }}", "html": "{% extends \"reset_link.html\" %}{% block footer %}{{ brand_name or 'us' }}{% endblock %}" },
    }});
    let accepted = settings(&[("MESSAGE_TEMPLATES", &every.to_string())]);
    assert!(
        accepted
            .templates
            .is_overridden(Locale::En, "reset_links", Part::Text)
    );
    assert!(
        !accepted
            .templates
            .is_overridden(Locale::De, "reset_links", Part::Text)
    );
}

// ---------------------------------------------------------------- configuration

#[test]
fn nothing_set_means_outbox_for_both_channels() {
    let config = config_ok(&[]);
    assert_eq!(config, DeliveryConfig::outbox());
    assert!(config.is_outbox_on());
    assert_eq!(config.provider(Channel::Email), Provider::Outbox);
    assert_eq!(config.provider(Channel::Sms), Provider::Outbox);
    // Empty values count as unset.
    assert_eq!(
        config_ok(&[("EMAIL_PROVIDER", ""), ("SMS_PROVIDER", " ")]),
        config
    );
}

#[test]
fn base_urls_default_to_the_real_apis() {
    let base = |provider: &str| {
        let config = config_ok(&[
            ("EMAIL_PROVIDER", provider),
            ("EMAIL_FROM", "a@acme.test"),
            ("EMAIL_API_KEY", "k"),
        ]);
        match config.email {
            EmailTransport::Resend(api)
            | EmailTransport::Postmark(api)
            | EmailTransport::SendGrid(api) => api.base_url,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(base("resend"), "https://api.resend.com");
    assert_eq!(base("postmark"), "https://api.postmarkapp.com");
    assert_eq!(base("sendgrid"), "https://api.sendgrid.com");
    assert_eq!(
        base("ReSend"),
        "https://api.resend.com",
        "names are case-insensitive"
    );
    let SmsTransport::Twilio(account) = twilio("+15551234567").sms else {
        panic!("twilio expected")
    };
    assert_eq!(account.base_url, "https://api.twilio.com");
}

#[test]
fn outbox_is_off_only_when_both_channels_use_real_providers() {
    let both_real = config_ok(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_FROM", "a@acme.test"),
        ("EMAIL_API_KEY", "k"),
        ("SMS_PROVIDER", "twilio"),
        ("SMS_FROM", "+15551234567"),
        ("TWILIO_ACCOUNT_SID", "AC1"),
        ("TWILIO_AUTH_TOKEN", "t"),
    ]);
    assert!(!both_real.is_outbox_on());
    assert!(resend().is_outbox_on(), "SMS still goes to the outbox");
    assert!(!webhook_config().is_outbox_on());
}

#[test]
fn each_problem_names_its_variable() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("EMAIL_PROVIDER", "mailgun")], "EMAIL_PROVIDER"),
        (&[("SMS_PROVIDER", "vonage")], "SMS_PROVIDER"),
        (
            &[("EMAIL_PROVIDER", "resend"), ("EMAIL_API_KEY", "k")],
            "EMAIL_FROM",
        ),
        (
            &[("EMAIL_PROVIDER", "postmark"), ("EMAIL_FROM", "a@b.test")],
            "EMAIL_API_KEY",
        ),
        (
            &[
                ("EMAIL_PROVIDER", "sendgrid"),
                ("EMAIL_FROM", "a@b.test"),
                ("EMAIL_API_KEY", "k"),
                ("EMAIL_BASE_URL", "ftp://mail.test"),
            ],
            "EMAIL_BASE_URL",
        ),
        (
            &[
                ("EMAIL_PROVIDER", "resend"),
                ("EMAIL_FROM", "not an address"),
                ("EMAIL_API_KEY", "k"),
            ],
            "EMAIL_FROM",
        ),
        (
            &[
                ("SMS_PROVIDER", "twilio"),
                ("SMS_FROM", "+15551234567"),
                ("TWILIO_AUTH_TOKEN", "t"),
            ],
            "TWILIO_ACCOUNT_SID",
        ),
        (
            &[
                ("SMS_PROVIDER", "twilio"),
                ("SMS_FROM", "+15551234567"),
                ("TWILIO_ACCOUNT_SID", "AC1"),
            ],
            "TWILIO_AUTH_TOKEN",
        ),
        (
            &[
                ("SMS_PROVIDER", "twilio"),
                ("SMS_FROM", "+15551234567"),
                ("TWILIO_ACCOUNT_SID", "AC1/../x"),
                ("TWILIO_AUTH_TOKEN", "t"),
            ],
            "TWILIO_ACCOUNT_SID",
        ),
        (
            &[
                ("SMS_PROVIDER", "twilio"),
                ("TWILIO_ACCOUNT_SID", "AC1"),
                ("TWILIO_AUTH_TOKEN", "t"),
            ],
            "SMS_FROM",
        ),
        (
            &[
                ("SMS_PROVIDER", "twilio"),
                ("SMS_FROM", "555-1234"),
                ("TWILIO_ACCOUNT_SID", "AC1"),
                ("TWILIO_AUTH_TOKEN", "t"),
            ],
            "SMS_FROM",
        ),
        (
            &[
                ("SMS_PROVIDER", "twilio"),
                ("SMS_FROM", "+15551234567"),
                ("TWILIO_ACCOUNT_SID", "AC1"),
                ("TWILIO_AUTH_TOKEN", "t"),
                ("SMS_BASE_URL", "api.twilio.com"),
            ],
            "SMS_BASE_URL",
        ),
        (
            &[
                ("EMAIL_PROVIDER", "webhook"),
                ("WEBHOOK_SECRET", WEBHOOK_SECRET),
            ],
            "WEBHOOK_URL",
        ),
        (
            &[
                ("SMS_PROVIDER", "webhook"),
                ("WEBHOOK_URL", "https://h.test/"),
            ],
            "WEBHOOK_SECRET",
        ),
        (
            &[
                ("SMS_PROVIDER", "webhook"),
                ("WEBHOOK_URL", "https://h.test/"),
                ("WEBHOOK_SECRET", "0123456789abcdef0123456789abcde"),
            ],
            "WEBHOOK_SECRET",
        ),
        (
            &[
                ("EMAIL_PROVIDER", "webhook"),
                ("WEBHOOK_URL", "https://user:pw@h.test/"),
                ("WEBHOOK_SECRET", WEBHOOK_SECRET),
            ],
            "WEBHOOK_URL",
        ),
    ];
    for (pairs, variable) in cases {
        let found = problems(pairs);
        assert_eq!(found.len(), 1, "{pairs:?}: {found:?}");
        assert!(
            found[0].starts_with(variable),
            "{pairs:?}: {:?} should name {variable}",
            found[0]
        );
    }
}

#[test]
fn a_webhook_secret_of_32_bytes_is_enough() {
    let secret = "0123456789abcdef0123456789abcdef";
    assert_eq!(secret.len(), MIN_WEBHOOK_SECRET_BYTES);
    config_ok(&[
        ("SMS_PROVIDER", "webhook"),
        ("WEBHOOK_URL", "http://127.0.0.1:8080/hook?src=pwreset"),
        ("WEBHOOK_SECRET", secret),
    ]);
}

#[test]
fn a_whsec_webhook_secret_must_be_base64_of_24_bytes_or_more() {
    let with = |secret: &str| {
        config(&[
            ("SMS_PROVIDER", "webhook"),
            ("WEBHOOK_URL", "https://h.test/"),
            ("WEBHOOK_SECRET", secret),
        ])
    };
    assert!(
        with("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX").is_ok(),
        "24 bytes"
    );
    for bad in [
        "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRY=",
        "whsec_test_0123456789abcdef0123456789abcdef",
    ] {
        let found = with(bad).expect_err(bad);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("WEBHOOK_SECRET"), "{found:?}");
        assert!(found[0].contains("whsec_"), "{found:?}");
        assert!(
            !found[0].contains(&bad[6..]),
            "the value is not repeated: {found:?}"
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = problems(&[
        ("EMAIL_PROVIDER", "resend"),
        ("SMS_PROVIDER", "twilio"),
        ("SMS_BASE_URL", "nope"),
    ]);
    for variable in [
        "EMAIL_FROM",
        "EMAIL_API_KEY",
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "SMS_FROM",
        "SMS_BASE_URL",
    ] {
        assert!(
            found.iter().any(|p| p.starts_with(variable)),
            "{variable} missing from {found:?}"
        );
    }
}

#[test]
fn problems_and_debug_never_show_secret_values() {
    let secret_key = "re_SECRET_KEY_VALUE";
    let secret_token = "TOKEN SECRET VALUE";
    let short_secret = "SHORTSECRETVALUE";
    let found = problems(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_FROM", "a@b.test"),
        ("EMAIL_API_KEY", "re_SECRET KEY"),
        ("SMS_PROVIDER", "twilio"),
        ("SMS_FROM", "+15551234567"),
        ("TWILIO_ACCOUNT_SID", "AC1"),
        ("TWILIO_AUTH_TOKEN", secret_token),
        ("WEBHOOK_SECRET", short_secret),
    ]);
    assert_eq!(found.len(), 2, "{found:?}");
    let text = found.join("\n");
    assert!(!text.contains("SECRET"), "{text}");

    let found = problems(&[
        ("SMS_PROVIDER", "webhook"),
        ("WEBHOOK_URL", "https://h.test/"),
        ("WEBHOOK_SECRET", short_secret),
    ]);
    assert!(!found.join(" ").contains(short_secret));

    // A secret pasted into the provider variable is not echoed either.
    let found = problems(&[("EMAIL_PROVIDER", "re_Abc123SECRETpasted")]);
    assert!(!found[0].contains("SECRET"), "{found:?}");
    let found = problems(&[("EMAIL_PROVIDER", "mailgun")]);
    assert!(
        found[0].contains("\"mailgun\""),
        "a plain name is shown: {found:?}"
    );

    let configs = [
        config_ok(&[
            ("EMAIL_PROVIDER", "resend"),
            ("EMAIL_FROM", "a@b.test"),
            ("EMAIL_API_KEY", secret_key),
            ("SMS_PROVIDER", "twilio"),
            ("SMS_FROM", "MG0123"),
            ("TWILIO_ACCOUNT_SID", "AC1"),
            ("TWILIO_AUTH_TOKEN", "TWILIO_SECRET_TOKEN"),
        ]),
        config_ok(&[
            ("EMAIL_PROVIDER", "webhook"),
            ("WEBHOOK_URL", "https://h.test/hook?token=URL_SECRET_TOKEN"),
            (
                "WEBHOOK_SECRET",
                "WEBHOOK_SECRET_0123456789abcdef0123456789",
            ),
        ]),
    ];
    for config in configs {
        let shown = format!("{config:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

// ---------------------------------------------------------------- provider requests

#[test]
fn outbox_needs_no_request() {
    assert_eq!(
        provider_request(&DeliveryConfig::outbox(), &email_message(), NOW),
        None
    );
    assert_eq!(
        provider_request(&resend(), &sms_message(), NOW),
        None,
        "SMS stays in the outbox"
    );
}

#[test]
fn resend_request_has_the_real_shape() {
    let request = request_for(&resend(), &email_message());
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://api.resend.com/emails");
    assert_eq!(request.header("authorization"), Some("Bearer re_KEY123"));
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    assert_eq!(request.header("Idempotency-Key"), Some("msg-0001"));
    assert_eq!(request.header("User-Agent"), Some(USER_AGENT));
    assert!(USER_AGENT.starts_with("pwreset/"));
    assert_eq!(
        header_names(&request),
        [
            "User-Agent",
            "Authorization",
            "Content-Type",
            "Idempotency-Key"
        ]
    );
    let msg = email_message();
    assert_eq!(
        json_body(&request),
        json!({
            "from": "Acme <no-reply@acme.test>",
            "to": ["jane@example.com"],
            "subject": msg.subject,
            "html": msg.html,
            "text": msg.text,
        })
    );
    assert!(msg.html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn postmark_request_has_the_real_shape() {
    let request = request_for(&postmark(), &email_message());
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.url, "http://127.0.0.1:9999/email",
        "custom base, trailing / dropped"
    );
    assert_eq!(
        request.header("X-Postmark-Server-Token"),
        Some("pm-token-1")
    );
    assert_eq!(request.header("Accept"), Some("application/json"));
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    assert_eq!(request.header("User-Agent"), Some(USER_AGENT));
    assert_eq!(request.header("Authorization"), None);
    let msg = email_message();
    assert_eq!(
        json_body(&request),
        json!({
            "From": "no-reply@acme.test",
            "To": "jane@example.com",
            "Subject": msg.subject,
            "HtmlBody": msg.html,
            "TextBody": msg.text,
            "MessageStream": "outbound",
        })
    );
}

#[test]
fn sendgrid_request_has_the_real_shape() {
    let config = config_ok(&[
        ("EMAIL_PROVIDER", "sendgrid"),
        ("EMAIL_FROM", "\"Acme Support\" <help@acme.test>"),
        ("EMAIL_API_KEY", "SG.key"),
    ]);
    let request = request_for(&config, &email_message());
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://api.sendgrid.com/v3/mail/send");
    assert_eq!(request.header("Authorization"), Some("Bearer SG.key"));
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    assert_eq!(request.header("User-Agent"), Some(USER_AGENT));
    let msg = email_message();
    assert_eq!(
        json_body(&request),
        json!({
            "personalizations": [{ "to": [{ "email": "jane@example.com" }] }],
            "from": { "email": "help@acme.test", "name": "Acme Support" },
            "subject": msg.subject,
            "content": [
                { "type": "text/plain", "value": msg.text },
                { "type": "text/html", "value": msg.html },
            ],
        })
    );
    let plain = config_ok(&[
        ("EMAIL_PROVIDER", "sendgrid"),
        ("EMAIL_FROM", "help@acme.test"),
        ("EMAIL_API_KEY", "SG.key"),
    ]);
    assert_eq!(
        json_body(&request_for(&plain, &email_message()))["from"],
        json!({ "email": "help@acme.test" })
    );
}

#[test]
fn twilio_request_sends_from_a_number() {
    let mut msg = sms_message();
    msg.text = "Code: 1+1 = 2 & done?".into();
    let request = request_for(&twilio("+15551234567"), &msg);
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.url,
        "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json"
    );
    let expected_auth = format!("Basic {}", STANDARD.encode("AC0123456789abcdef:tw-token-9"));
    assert_eq!(
        request.header("Authorization"),
        Some(expected_auth.as_str())
    );
    assert_eq!(
        request.header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(request.header("User-Agent"), Some(USER_AGENT));
    assert_eq!(
        form_body(&request),
        [
            ("To".to_string(), "+447700900456".to_string()),
            ("From".to_string(), "+15551234567".to_string()),
            ("Body".to_string(), "Code: 1+1 = 2 & done?".to_string()),
        ]
    );
    // `+` is percent-encoded, not left to be read as a space.
    assert!(
        request
            .body
            .starts_with("To=%2B447700900456&From=%2B15551234567&Body=")
    );
    assert!(
        request.body.contains("1%2B1+%3D+2+%26+done%3F"),
        "{}",
        request.body
    );
}

#[test]
fn twilio_request_uses_a_messaging_service_when_sms_from_starts_with_mg() {
    let request = request_for(&twilio("MG9f8e7d6c5b4a"), &sms_message());
    let form = form_body(&request);
    assert!(form.contains(&("MessagingServiceSid".into(), "MG9f8e7d6c5b4a".into())));
    assert!(!form.iter().any(|(k, _)| k == "From"), "{form:?}");
    assert!(form.contains(&("Body".into(), sms_message().text)));
    let SmsTransport::Twilio(account) = twilio("Acme").sms else {
        panic!("twilio expected")
    };
    assert_eq!(
        account.sender,
        TwilioSender::From("Acme".into()),
        "alphanumeric sender id"
    );
}

#[test]
fn webhook_request_is_signed_the_standard_webhooks_way() {
    let mut msg = email_message();
    msg.link = Some("https://r.test/reset?token=aa".into());
    let request = request_for(&webhook_config(), &msg);
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://hooks.acme.test/pwreset");
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    assert_eq!(request.header("User-Agent"), Some(USER_AGENT));
    assert_eq!(request.header("webhook-id"), Some("msg-0001"));
    assert_eq!(request.header("webhook-timestamp"), Some("1700000000"));
    assert_eq!(request.header("X-Pwreset-Signature"), None);
    assert_eq!(
        json_body(&request),
        json!({
            "id": "msg-0001",
            "channel": "email",
            "to": "jane@example.com",
            "subject": msg.subject,
            "text": msg.text,
            "html": msg.html,
            "link": "https://r.test/reset?token=aa",
            "code": "482913",
            "created_at": NOW,
        })
    );

    // Verified independently: base64 HMAC-SHA256 over "<id>.<timestamp>.<body>", keyed by the
    // secret's base64 after whsec_.
    let key = STANDARD
        .decode(WEBHOOK_SECRET.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(format!("msg-0001.1700000000.{}", request.body).as_bytes());
    let expected = STANDARD.encode(mac.finalize().into_bytes());
    assert_eq!(
        request.header("webhook-signature"),
        Some(format!("v1,{expected}").as_str())
    );

    let sms = request_for(&webhook_config(), &sms_message());
    assert_eq!(json_body(&sms)["channel"], "sms");
    assert!(json_body(&sms).get("link").is_none());
    assert!(json_body(&sms).get("html").is_none(), "an SMS has no HTML");
}

#[test]
fn webhook_signature_matches_a_known_vector_in_either_form_of_secret() {
    // key=$(printf '%s' "${WEBHOOK_SECRET#whsec_}" | base64 -d | xxd -p -c 64)
    // printf '%s' 'm1.1700000000.{"id":"m1"}' | openssl dgst -sha256 -mac HMAC \
    //   -macopt hexkey:$key -binary | base64
    let sign = |secret: &str| {
        let target = match config_ok(&[
            ("EMAIL_PROVIDER", "webhook"),
            ("WEBHOOK_URL", "https://hooks.acme.test/pwreset"),
            ("WEBHOOK_SECRET", secret),
        ])
        .email
        {
            EmailTransport::Webhook(target) => target,
            other => panic!("{other:?}"),
        };
        standard_webhooks::sign(&target.key, "m1", NOW, r#"{"id":"m1"}"#)
    };
    assert_eq!(
        sign(WEBHOOK_SECRET),
        "v1,LnKdCI0bNVSfh9lZC82g5nL4sOmRQYTZQq6LdW0MWOw="
    );
    // A secret of the webhook's own form (before Standard Webhooks) is the key as it is.
    assert_eq!(
        sign(RAW_WEBHOOK_SECRET),
        "v1,PgRgtUHOMWcu1p9bMxjP7NXly3d6nSlEDM7ambIAEjI="
    );
}

#[test]
fn webhook_verification_refuses_tampering_other_keys_and_stale_timestamps() {
    let key = SigningKey::standard(WEBHOOK_SECRET).unwrap();
    let key = &key;
    let body = r#"{"id":"m1"}"#;
    let signature = standard_webhooks::sign(key, "m1", NOW, body);
    let verify = |key: &SigningKey, ts: &str, body: &str, sig: &str, now: u64| {
        standard_webhooks::verify(
            key,
            "m1",
            ts,
            body,
            sig,
            now,
            standard_webhooks::DEFAULT_TOLERANCE_SECS,
        )
    };
    assert!(
        !standard_webhooks::verify(key, "m2", "1700000000", body, &signature, NOW, 300),
        "id changed"
    );
    assert!(verify(key, "1700000000", body, &signature, NOW));
    assert!(verify(key, "1700000000", body, &signature, NOW + 300));
    assert!(
        !verify(key, "1700000000", body, &signature, NOW + 301),
        "stale"
    );
    assert!(
        !verify(key, "1700000000", body, &signature, NOW - 301),
        "from the future"
    );
    assert!(
        !verify(key, "1700000000", r#"{"id":"m2"}"#, &signature, NOW),
        "body changed"
    );
    assert!(
        !verify(key, "1700000001", body, &signature, NOW),
        "timestamp changed"
    );
    assert!(!verify(
        &SigningKey::raw("another secret"),
        "1700000000",
        body,
        &signature,
        NOW
    ));
    assert!(!verify(
        key,
        "1700000000",
        body,
        &signature.replace("v1,", "v2,"),
        NOW
    ));
    assert!(!verify(key, "1700000000", body, "v1,zz", NOW));
    assert!(!verify(key, "1700000000", body, "", NOW));
    assert!(!verify(key, "soon", body, &signature, NOW));
}

#[test]
fn every_provider_request_sends_a_user_agent() {
    let configs = [resend(), postmark(), webhook_config()];
    for config in &configs {
        assert_eq!(
            request_for(config, &email_message()).header("user-agent"),
            Some(USER_AGENT)
        );
    }
    for config in [twilio("+15551234567"), webhook_config()] {
        assert_eq!(
            request_for(&config, &sms_message()).header("user-agent"),
            Some(USER_AGENT)
        );
    }
}

#[test]
fn request_debug_hides_keys_signatures_and_body() {
    let requests = [
        request_for(&resend(), &email_message()),
        request_for(&postmark(), &email_message()),
        request_for(&twilio("+15551234567"), &sms_message()),
        request_for(&webhook_config(), &email_message()),
    ];
    for request in requests {
        let shown = format!("{request:?}");
        for secret in [
            "re_KEY123",
            "pm-token-1",
            "tw-token-9",
            "482913",
            "v1=",
            "Basic ",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("POST"), "{shown}");
    }
}

// ---------------------------------------------------------------- outcomes and backoff

#[test]
fn answers_are_classified() {
    let table: &[(u16, &str)] = &[
        (200, "delivered"),
        (201, "delivered"),
        (202, "delivered"),
        (204, "delivered"),
        (500, "retry"),
        (502, "retry"),
        (503, "retry"),
        (504, "retry"),
        (599, "retry"),
        (429, "retry"),
        (408, "retry"),
        (409, "retry"),
        (400, "rejected"),
        (401, "rejected"),
        (403, "rejected"),
        (404, "rejected"),
        (413, "rejected"),
        (422, "rejected"),
        (301, "rejected"),
        (100, "rejected"),
    ];
    for &(status, expected) in table {
        let got = match classify(status, None, NOW) {
            SendOutcome::Delivered => "delivered",
            SendOutcome::Retry { .. } => "retry",
            SendOutcome::Rejected { .. } => "rejected",
        };
        assert_eq!(got, expected, "status {status}");
    }
    assert_eq!(
        classify(503, None, NOW),
        SendOutcome::Retry {
            after_seconds: None,
            reason: RetryReason::ServerError { status: 503 }
        }
    );
    let SendOutcome::Rejected { reason } = classify(401, None, NOW) else {
        panic!()
    };
    assert!(
        reason.contains("401") && reason.contains("credentials"),
        "{reason}"
    );
}

#[test]
fn retry_after_is_honoured_in_seconds_or_as_a_date_and_capped() {
    let after = |value: &str| match classify(429, Some(value), NOW) {
        SendOutcome::Retry { after_seconds, .. } => after_seconds,
        other => panic!("{other:?}"),
    };
    assert_eq!(after("30"), Some(30));
    assert_eq!(after(" 7 "), Some(7));
    assert_eq!(after("0"), Some(0));
    assert_eq!(after("86400"), Some(MAX_DELAY_SECONDS));
    assert_eq!(after("99999999999999999999999"), Some(MAX_DELAY_SECONDS));
    // NOW + 120 s, as an HTTP date.
    assert_eq!(after("Tue, 14 Nov 2023 22:15:20 GMT"), Some(120));
    assert_eq!(
        after("Tue, 14 Nov 2023 22:00:00 GMT"),
        Some(0),
        "a past date: now"
    );
    assert_eq!(after("soon"), None);
    assert_eq!(after("-5"), None);
    assert_eq!(after(""), None);
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2099 07:28:00 GMT", NOW),
        Some(MAX_DELAY_SECONDS)
    );
}

#[test]
fn transport_failures_are_retried_and_timeouts_say_so() {
    let SendOutcome::Retry {
        reason,
        after_seconds,
    } = classify_transport(&TransportError::Timeout)
    else {
        panic!()
    };
    assert_eq!(after_seconds, None);
    assert_eq!(reason, RetryReason::Timeout);
    assert_eq!(reason.to_string(), "retry after timeout");
    assert!(reason.may_hide_acceptance());
    for error in [
        TransportError::Connection,
        TransportError::Other("bad answer".into()),
    ] {
        let SendOutcome::Retry { reason, .. } = classify_transport(&error) else {
            panic!()
        };
        assert!(reason.may_hide_acceptance(), "{reason}");
    }
    assert!(!RetryReason::ServerError { status: 500 }.may_hide_acceptance());
    assert!(!RetryReason::RateLimited.may_hide_acceptance());
}

#[test]
fn backoff_doubles_then_stops_growing() {
    let delays: Vec<u64> = (0..10).map(backoff_seconds).collect();
    assert_eq!(delays, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    for attempt in [30, 63, 64, 1000, u32::MAX] {
        assert_eq!(backoff_seconds(attempt), MAX_DELAY_SECONDS);
    }
    assert_eq!(backoff_seconds(0), BASE_DELAY_SECONDS);
}

#[test]
fn the_providers_retry_after_wins_when_longer_within_the_cap() {
    assert_eq!(retry_delay(0, None), 2);
    assert_eq!(retry_delay(0, Some(30)), 30);
    assert_eq!(retry_delay(3, Some(1)), 16);
    assert_eq!(retry_delay(0, Some(10_000)), MAX_DELAY_SECONDS);
}

#[test]
fn providers_say_whether_they_dedupe_retries() {
    assert!(Provider::Resend.dedupes_retries());
    assert!(Provider::Outbox.dedupes_retries());
    assert!(Provider::Webhook.dedupes_retries());
    assert!(!Provider::Postmark.dedupes_retries());
    assert!(!Provider::SendGrid.dedupes_retries());
    assert!(!Provider::Twilio.dedupes_retries());
    assert_eq!(Provider::SendGrid.name(), "sendgrid");
}

// ---------------------------------------------------------------- the consumer

fn timeout() -> Result<FetchedAnswer, TransportError> {
    Err(TransportError::Timeout)
}

fn answer(status: u16, retry_after: Option<&str>) -> Result<FetchedAnswer, TransportError> {
    Ok(FetchedAnswer {
        status,
        headers: retry_after
            .map(|value| ("Retry-After".to_owned(), value.to_owned()))
            .into_iter()
            .collect(),
        body: String::new(),
    })
}

#[test]
fn a_message_is_sent_once_and_a_redelivery_is_skipped() {
    let (p, config, msg) = (MemoryPlatform::new(NOW), resend(), email_message());
    assert_eq!(
        block_on(deliver(&config, &msg, &p.http, &p, NOW)).delivery,
        Delivery::Sent
    );
    assert_eq!(p.http.request_count(), 1);
    assert_eq!(p.sent_ids(), ["msg-0001"]);
    // The queue hands the same message over again.
    assert_eq!(
        block_on(deliver(&config, &msg, &p.http, &p, NOW)).delivery,
        Delivery::AlreadySent
    );
    assert_eq!(p.http.request_count(), 1, "nothing sent the second time");
}

fn ids(messages: &[OutgoingMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.id.as_str()).collect()
}

/// The store lists an address as given; the service normalises it before (a message's `to` is
/// the account's normalised address, and `/dev/outbox?to=` normalises its query).
#[test]
fn the_outbox_keeps_messages_newest_first_and_sends_nothing() {
    let (p, config) = (MemoryPlatform::new(NOW), DeliveryConfig::outbox());
    let mut first = email_message();
    first.id = "first".into();
    let mut second = email_message();
    second.id = "second".into();
    second.created_at = NOW + 5;
    let mut other = email_message();
    other.id = "other".into();
    other.to = "someone@else.test".into();
    let put = |msg: &OutgoingMessage| block_on(deliver(&config, msg, &p.http, &p, NOW)).delivery;
    assert_eq!(put(&first), Delivery::Sent);
    // The store orders by when each message was composed (`second` five seconds later).
    p.advance(5);
    assert_eq!(put(&second), Delivery::Sent);
    assert_eq!(put(&other), Delivery::Sent);
    assert_eq!(put(&first), Delivery::AlreadySent);
    assert_eq!(p.http.request_count(), 0);
    let listed = block_on(p.outbox_list("jane@example.com")).unwrap();
    assert_eq!(ids(&listed), ["second", "first"]);
    assert!(
        block_on(p.outbox_list("Jane@Example.com"))
            .unwrap()
            .is_empty()
    );
    let asked = normalize_email("Jane@Example.com").unwrap();
    let listed = block_on(p.outbox_list(&asked)).unwrap();
    assert_eq!(ids(&listed), ["second", "first"]);
}

#[test]
fn a_server_error_then_success_delivers_exactly_once() {
    let (p, config) = (MemoryPlatform::new(NOW), postmark());
    p.http.push_status(500).push_status(200);
    let msg = email_message();
    let first = block_on(deliver(&config, &msg, &p.http, &p, NOW)).delivery;
    assert_eq!(
        first,
        Delivery::RetryLater {
            delay_seconds: 2,
            reason: RetryReason::ServerError { status: 500 }
        }
    );
    assert!(p.sent_ids().is_empty());
    let next = msg.next_attempt();
    p.advance(2);
    assert_eq!(
        block_on(deliver(&config, &next, &p.http, &p, NOW + 2)).delivery,
        Delivery::Sent
    );
    p.advance(1);
    assert_eq!(
        block_on(deliver(&config, &next, &p.http, &p, NOW + 3)).delivery,
        Delivery::AlreadySent
    );
    assert_eq!(p.http.request_count(), 2);
    assert_eq!(p.sent_ids(), ["msg-0001"]);
    let requests = p.http.requests();
    assert_eq!(
        requests[0], requests[1],
        "the retry repeats the same request"
    );
}

#[test]
fn rate_limiting_waits_as_long_as_the_provider_asks() {
    let (p, config) = (MemoryPlatform::new(NOW), resend());
    p.http.push(answer(429, Some("45")));
    let got = block_on(deliver(&config, &email_message(), &p.http, &p, NOW)).delivery;
    assert_eq!(
        got,
        Delivery::RetryLater {
            delay_seconds: 45,
            reason: RetryReason::RateLimited
        }
    );
    p.http.push(answer(429, Some("1")));
    let later = email_message().next_attempt().next_attempt();
    let got = block_on(deliver(&config, &later, &p.http, &p, NOW)).delivery;
    assert!(
        matches!(
            got,
            Delivery::RetryLater {
                delay_seconds: 8,
                ..
            }
        ),
        "backoff wins when longer: {got:?}"
    );
}

#[test]
fn a_provider_that_never_recovers_is_given_up_after_max_attempts() {
    let (p, config) = (MemoryPlatform::new(NOW), resend());
    let mut msg = email_message();
    let mut delays = Vec::new();
    let reason = loop {
        p.http.push_status(503);
        match block_on(deliver(&config, &msg, &p.http, &p, NOW)).delivery {
            Delivery::RetryLater { delay_seconds, .. } => delays.push(delay_seconds),
            Delivery::GiveUp { reason } => break reason,
            other => panic!("{other:?}"),
        }
        msg = msg.next_attempt();
        assert!(msg.attempt < 100, "never gave up");
    };
    assert_eq!(p.http.request_count(), MAX_ATTEMPTS as usize);
    assert_eq!(delays, [2, 4, 8, 16]);
    assert!(
        reason.contains("5 attempts") && reason.contains("503"),
        "{reason}"
    );
    assert!(p.sent_ids().is_empty());
}

#[test]
fn a_refusal_is_given_up_at_once() {
    let (p, config) = (MemoryPlatform::new(NOW), resend());
    p.http.push_status(422);
    let got = block_on(deliver(&config, &email_message(), &p.http, &p, NOW)).delivery;
    let Delivery::GiveUp { reason } = got else {
        panic!("{got:?}")
    };
    assert!(reason.contains("422"), "{reason}");
    assert_eq!(p.http.request_count(), 1);
}

#[test]
fn a_timeout_is_a_duplicate_risk_only_where_the_provider_cannot_dedupe() {
    let p = MemoryPlatform::new(NOW);
    for (config, msg, risky) in [
        (postmark(), email_message(), true),
        (twilio("+15551234567"), sms_message(), true),
        (resend(), email_message(), false),
        (webhook_config(), email_message(), false),
    ] {
        p.http.push(timeout());
        let got = block_on(deliver(&config, &msg, &p.http, &p, NOW)).delivery;
        assert_eq!(
            got,
            Delivery::RetryLater {
                delay_seconds: 2,
                reason: RetryReason::Timeout
            }
        );
        assert_eq!(
            got.duplicate_risk(&config, &msg),
            risky,
            "{:?}",
            config.provider(msg.channel)
        );
        let line: Value = serde_json::from_str(&got.log_line(&config, &msg)).unwrap();
        assert_eq!(line["event"], "delivery_retry");
        assert_eq!(line["reason"], "retry after timeout");
        assert_eq!(line["duplicate_risk"], risky);
    }
    p.http.push_status(500);
    let got = block_on(deliver(&postmark(), &email_message(), &p.http, &p, NOW)).delivery;
    assert!(
        !got.duplicate_risk(&postmark(), &email_message()),
        "a 500 was not accepted"
    );
}

#[test]
fn a_store_outage_is_retried_without_sending() {
    let (p, config) = (MemoryPlatform::new(NOW), resend());
    for fault in Fault::ALL {
        // The first call, the redelivery check, fails.
        let store = Faulty::failing(&p, 0, fault);
        let got = block_on(deliver(&config, &email_message(), &p.http, &store, NOW)).delivery;
        assert!(
            matches!(
                got,
                Delivery::RetryLater {
                    reason: RetryReason::Store(_),
                    ..
                }
            ),
            "{fault:?}: {got:?}"
        );
        assert_eq!(store.calls(), ["kv_get"]);
    }
    assert_eq!(
        p.http.request_count(),
        0,
        "not sent when redelivery can't be checked"
    );
    // The outbox: its redelivery check or its write failing.
    for call in 0..2 {
        let store = Faulty::failing(&p, call, Fault::Error);
        let got = block_on(deliver(
            &DeliveryConfig::outbox(),
            &email_message(),
            &p.http,
            &store,
            NOW,
        ))
        .delivery;
        assert!(
            matches!(
                got,
                Delivery::RetryLater {
                    reason: RetryReason::Store(_),
                    ..
                }
            ),
            "call {call}: {got:?}"
        );
        assert!(store.injected(), "call {call}");
    }
    assert!(p.outbox_all().is_empty());
    assert!(p.sent_ids().is_empty());
}

#[test]
fn log_lines_carry_no_secret() {
    let config = resend();
    let msg = email_message();
    for delivery in [
        Delivery::Sent,
        Delivery::AlreadySent,
        Delivery::GiveUp {
            reason: "provider refused the message (status 401)".into(),
        },
        Delivery::RetryLater {
            delay_seconds: 4,
            reason: RetryReason::ServerError { status: 502 },
        },
    ] {
        let line = delivery.log_line(&config, &msg);
        let value: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["message_id"], "msg-0001");
        assert_eq!(value["provider"], "resend");
        assert_eq!(value["to"], "j***@example.com");
        for secret in ["482913", "jane@", "re_KEY123"] {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

#[test]
fn dead_letters_are_stored_masked_and_logged() {
    let p = MemoryPlatform::new(NOW + 9);
    let msg = sms_message().next_attempt().next_attempt();
    let line = block_on(dead_letter(
        &p,
        &msg,
        "gave up after 3 attempts: timeout",
        NOW + 9,
    ))
    .expect("stored");
    let letters = block_on(p.list_dead_letters()).unwrap();
    assert_eq!(
        letters,
        [DeadLetter {
            message_id: "msg-0002".into(),
            channel: Channel::Sms,
            to: "+44********56".into(),
            reason: "gave up after 3 attempts: timeout".into(),
            attempts: 3,
            failed_at: NOW + 9,
        }]
    );
    let value: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(value["event"], "delivery_dead_letter");
    assert_eq!(value["to"], "+44********56");
    assert_eq!(value["attempts"], 3);
    assert_eq!(value["stored"], true);
    assert!(
        !line.contains("482913") && !line.contains("7700900"),
        "{line}"
    );

    // Every key and value the store holds.
    let stored = block_on(p.kv_list("", usize::MAX)).unwrap();
    assert_eq!(stored.len(), 1);
    for (key, value) in &stored {
        for secret in ["482913", "7700900"] {
            assert!(
                !key.contains(secret) && !value.contains(secret),
                "{key}: {value}"
            );
        }
    }
}

#[test]
fn a_dead_letter_the_store_refuses_is_still_logged() {
    for fault in Fault::ALL {
        let p = MemoryPlatform::new(NOW);
        let store = Faulty::failing(&p, 0, fault);
        let line = block_on(dead_letter(
            &store,
            &email_message(),
            "retries exhausted",
            NOW,
        ))
        .expect_err("not stored");
        let value: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["event"], "delivery_dead_letter");
        assert_eq!(value["stored"], false);
        assert_eq!(value["message_id"], "msg-0001");
        assert_eq!(store.calls(), ["kv_put"]);
    }
}

// ---------------------------------------------------------------- against the fake provider

/// An [`HttpFetch`] on a plain socket, for the local fake provider (HTTP/1.1, `http://` only).
struct SocketClient;

impl HttpFetch for SocketClient {
    async fn fetch(&self, request: &OutboundRequest) -> Result<FetchedAnswer, TransportError> {
        use std::io::{Read, Write};
        let rest = request
            .url
            .strip_prefix("http://")
            .ok_or_else(|| TransportError::Other("http only".into()))?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let mut stream =
            std::net::TcpStream::connect(host).map_err(|_| TransportError::Connection)?;
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .map_err(|e| TransportError::Other(e.to_string()))?;
        let mut head = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
            request.method,
            if path.is_empty() { "/" } else { path },
            request.body.len()
        );
        for (name, value) in &request.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(request.body.as_bytes()))
            .map_err(|_| TransportError::Connection)?;
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .map_err(|_| TransportError::Timeout)?;
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| TransportError::Other("unreadable answer".into()))?;
        let retry_after = answer
            .lines()
            .take_while(|line| !line.is_empty())
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("retry-after")
                    .then(|| value.trim().to_owned())
            });
        Ok(FetchedAnswer {
            status,
            headers: retry_after
                .map(|value| ("Retry-After".to_owned(), value))
                .into_iter()
                .collect(),
            body: String::new(),
        })
    }
}

/// Every provider's request, as built here, sent to the Node fake provider
/// (`tests/e2e/fake-provider.mjs`), which checks it against the provider's real shape: all are
/// accepted with no violation, and what arrives is what was composed.
#[test]
fn the_fake_provider_accepts_every_request_as_built() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};

    let fake = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/e2e/fake-provider.mjs")
        .canonicalize()
        .expect("tests/e2e/fake-provider.mjs at the repository's root");
    let script = format!(
        "import {{ startFakeProvider }} from {fake:?};
         const fake = await startFakeProvider({{ webhookSecret: {WEBHOOK_SECRET:?}, now: () => {NOW},
           credentials: {{ resend: 'key_1', postmark: 'key_1', sendgrid: 'key_1',
                          twilio: {{ sid: 'AC123', token: 'tw_token' }} }} }});
         console.log(fake.url);
         process.stdin.resume();
         process.stdin.on('end', async () => {{
           console.log(JSON.stringify({{ violations: fake.violations(), received: fake.received() }}));
           await fake.close();
         }});"
    );
    let mut node = Command::new("node")
        .args(["--input-type=module", "-e", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node must be installed to run this test (make test installs it)");
    let mut stdout = BufReader::new(node.stdout.take().unwrap());
    let mut base = String::new();
    stdout.read_line(&mut base).unwrap();
    let base = base.trim().to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "the fake did not start: {base:?}"
    );

    let email = compose(
        MessageKind::ResetLink {
            link: "https://r.test/reset?token=ab+cd&x=1".into(),
            ttl_minutes: 60,
        },
        Channel::Email,
        "jane+tag@example.com",
        "msg-e1",
        NOW,
    );
    let sms = compose(
        MessageKind::ResetCode {
            code: "123456".into(),
            ttl_minutes: 10,
        },
        Channel::Sms,
        "+447700900456",
        "msg-s1",
        NOW,
    );
    let mut sent = Vec::new();
    let setups = [
        ("resend", "twilio", "+15551234567"),
        ("postmark", "twilio", "MG0123abcd"),
        ("sendgrid", "twilio", "Acme"),
        ("webhook", "webhook", ""),
    ];
    for (email_provider, sms_provider, sms_from) in setups {
        let webhook_url = format!("{base}/webhook");
        let config = config_ok(&[
            ("EMAIL_PROVIDER", email_provider),
            ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
            ("EMAIL_API_KEY", "key_1"),
            ("EMAIL_BASE_URL", &base),
            ("SMS_PROVIDER", sms_provider),
            ("SMS_FROM", sms_from),
            ("TWILIO_ACCOUNT_SID", "AC123"),
            ("TWILIO_AUTH_TOKEN", "tw_token"),
            ("SMS_BASE_URL", &base),
            ("WEBHOOK_URL", &webhook_url),
            ("WEBHOOK_SECRET", WEBHOOK_SECRET),
        ]);
        for msg in [&email, &sms] {
            let store = MemoryPlatform::new(NOW);
            let got = block_on(deliver(&config, msg, &SocketClient, &store, NOW)).delivery;
            sent.push((config.provider(msg.channel).name(), got));
        }
    }
    drop(node.stdin.take());
    let mut report = String::new();
    stdout.read_to_string(&mut report).unwrap();
    node.wait().unwrap();

    for (provider, got) in &sent {
        assert_eq!(*got, Delivery::Sent, "{provider}");
    }
    let report: Value = serde_json::from_str(report.trim()).expect("the fake's report");
    assert_eq!(report["violations"], json!([]), "{report:#}");
    let received = report["received"].as_array().unwrap();
    let providers: Vec<&str> = received
        .iter()
        .map(|d| d["provider"].as_str().unwrap())
        .collect();
    assert_eq!(
        providers,
        [
            "resend", "twilio", "postmark", "twilio", "sendgrid", "twilio", "webhook", "webhook"
        ]
    );
    for delivery in received {
        let expected = if delivery["channel"] == "sms" {
            &sms
        } else {
            &email
        };
        assert_eq!(delivery["to"], expected.to.as_str());
        assert_eq!(delivery["text"], expected.text.as_str());
        if delivery["channel"] == "email" {
            assert_eq!(delivery["html"], expected.html.as_str());
        } else {
            assert_eq!(delivery["html"], Value::Null, "{delivery}");
        }
    }
    assert_eq!(
        received[0]["key"], "msg-e1",
        "Resend got the idempotency key"
    );
    assert_eq!(received[6]["link"], "https://r.test/reset?token=ab+cd&x=1");
    assert_eq!(received[7]["code"], "123456");
}

/// A write to the outbox that took effect but whose answer was lost is retried, and the outbox
/// still lists the message once, whichever of its calls lost its answer.
#[test]
fn an_outbox_write_whose_answer_was_lost_is_listed_once_after_its_retry() {
    let config = DeliveryConfig::outbox();
    let msg = email_message();
    let recorder_home = MemoryPlatform::new(NOW);
    let recorder = Faulty::new(&recorder_home);
    let sent = block_on(deliver(&config, &msg, &recorder_home.http, &recorder, NOW)).delivery;
    assert_eq!(sent, Delivery::Sent);
    let calls = recorder.calls();
    assert!(
        calls.iter().filter(|c| **c == "kv_put").count() >= 2,
        "{calls:?}"
    );
    for (index, call) in calls.iter().enumerate() {
        let p = MemoryPlatform::new(NOW);
        let store = Faulty::failing(&p, index, Fault::Timeout);
        let first = block_on(deliver(&config, &msg, &p.http, &store, NOW)).delivery;
        if first != Delivery::Sent {
            assert!(
                matches!(
                    first,
                    Delivery::RetryLater {
                        reason: RetryReason::Store(_),
                        ..
                    }
                ),
                "{index} ({call}): {first:?}"
            );
            p.advance(10);
            let retried = msg.next_attempt();
            assert_eq!(
                block_on(deliver(&config, &retried, &p.http, &p, NOW + 10)).delivery,
                Delivery::Sent
            );
        }
        let listed = block_on(p.outbox_list(&msg.to)).unwrap();
        assert_eq!(ids(&listed), [msg.id.as_str()], "{index} ({call})");
    }
}

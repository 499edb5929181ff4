//! Developer routes, on only while an outbox provider is: `GET /dev/outbox?to=ADDRESS` lists the
//! messages "sent" there, newest first ([`OutboxMessage`]s; errors in the plain shape,
//! [`PlainError`](super::shapes::plain::PlainError)); `GET /dev/messages` previews every e-mail
//! (an index, and each kind in each language, HTML or text, with sample values).

use super::shapes::plain::OutboxMessage;
use crate::config::ServiceConfig;
use crate::delivery::DeliveryStore;
use crate::delivery::compose_with;
use crate::model::account::{normalize_email, normalize_phone};
use crate::model::http::{RESET_PAGE_PATH, Request, Response};
use crate::model::locale::Locale;
use crate::model::message::{Channel, MessageKind};
use crate::ports::{LimitRule, RateLimits};

/// `GET /dev/outbox?to=ADDRESS`.
pub async fn outbox(
    store: &(impl DeliveryStore + RateLimits),
    cfg: &ServiceConfig,
    req: &Request,
) -> Response {
    if !cfg.delivery.is_outbox_on() {
        return super::admin::admin_error(404, "not_found", "The outbox is off.", None);
    }
    match store.allow(LimitRule::AdminPerIp, &req.client_ip).await {
        Ok(true) => {}
        Ok(false) => {
            return super::admin::admin_error(429, "rate_limited", "Too many requests.", None)
                .with_header(
                    "retry-after",
                    LimitRule::AdminPerIp.period_seconds().to_string(),
                );
        }
        Err(_) => {
            return super::admin::admin_error(
                503,
                "service_unavailable",
                "Try again shortly.",
                None,
            );
        }
    }
    let Some(to) = req.query_param("to").filter(|t| !t.trim().is_empty()) else {
        return super::admin::admin_error(
            400,
            "field_required",
            "The query parameter \"to\" is required.",
            Some("to"),
        );
    };
    let address = normalize_email(&to)
        .or_else(|| normalize_phone(&to))
        .unwrap_or_else(|| to.trim().to_owned());
    match store.outbox_list(&address).await {
        Ok(messages) => Response::json(
            200,
            &messages.iter().map(OutboxMessage::of).collect::<Vec<_>>(),
        ),
        Err(_) => super::admin::admin_error(
            503,
            "service_unavailable",
            "The outbox could not be read.",
            None,
        ),
    }
}

// ---------------------------------------------------------------- GET /dev/messages

/// The e-mail preview's Content-Security-Policy: no script, no framing, no form; an e-mail's
/// inline styles and its (remote) logo are allowed.
pub const MESSAGES_CSP: &str = "default-src 'none'; img-src *; style-src 'unsafe-inline'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The plain-text part's Content-Security-Policy: nothing at all.
const TEXT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; sandbox";

/// The languages the preview lists.
const PREVIEW_LANGUAGES: [Locale; 3] = [Locale::En, Locale::De, Locale::Es];

/// The sample code every preview shows.
pub const SAMPLE_CODE: &str = "123456";

/// The fake token of the preview's sample links (64 hex digits, never issued).
const SAMPLE_TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// `GET /dev/messages`: an index of every e-mail kind in every language, and with
/// `?kind=…&lang=…&part=html|text` that e-mail as the configured brand and templates write it,
/// with sample values.
pub fn messages(cfg: &ServiceConfig, req: &Request) -> Response {
    let kind = req.query_param("kind");
    let lang = req.query_param("lang");
    let part = req.query_param("part");
    if kind.is_none() && lang.is_none() && part.is_none() {
        return preview_answer("text/html", MESSAGES_CSP, index_page().into_bytes());
    }
    let kind = kind.unwrap_or_default();
    let Some(sample) = sample_kind(cfg, &kind) else {
        return bad_parameter(
            "kind",
            &format!(
                "The query parameter \"kind\" must be one of {}.",
                MessageKind::NAMES.join(", ")
            ),
        );
    };
    let Some(locale) = lang
        .as_deref()
        .filter(|l| PREVIEW_LANGUAGES.iter().any(|p| p.tag() == *l))
        .and_then(Locale::parse)
    else {
        return bad_parameter("lang", "The query parameter \"lang\" must be en, de or es.");
    };
    let part = part.unwrap_or_else(|| "html".to_owned());
    let html = match part.as_str() {
        "html" => true,
        "text" => false,
        _ => {
            return bad_parameter("part", "The query parameter \"part\" must be html or text.");
        }
    };
    let message = compose_with(
        &cfg.delivery.messages,
        locale,
        sample,
        Channel::Email,
        "jane@example.com",
        "preview",
        0,
    );
    if html {
        preview_answer("text/html", MESSAGES_CSP, message.html.into_bytes())
    } else {
        let body = format!("Subject: {}\n\n{}", message.subject, message.text);
        preview_answer("text/plain", TEXT_CSP, body.into_bytes())
    }
}

/// The kind named `name`, with sample values.
fn sample_kind(cfg: &ServiceConfig, name: &str) -> Option<MessageKind> {
    let base = cfg.public_url.trim_end_matches('/');
    let link = |n: usize| format!("{base}{RESET_PAGE_PATH}?token={}{n}", &SAMPLE_TOKEN[1..]);
    Some(match name {
        "reset_code" => MessageKind::ResetCode {
            code: SAMPLE_CODE.to_owned(),
            ttl_minutes: 10,
        },
        "reset_link" => MessageKind::ResetLink {
            link: link(0),
            ttl_minutes: 60,
        },
        "reset_links" => MessageKind::ResetLinks {
            links: vec![
                ("jane".to_owned(), link(1)),
                ("jane.work".to_owned(), link(2)),
                ("<b>family</b>".to_owned(), link(3)),
            ],
            ttl_minutes: 60,
        },
        "password_changed" => MessageKind::PasswordChanged,
        _ => return None,
    })
}

/// The index: one link per kind and language, to each part.
fn index_page() -> String {
    let mut rows = String::new();
    for kind in MessageKind::NAMES {
        rows.push_str(&format!("<tr><th scope=\"row\">{kind}</th>"));
        for locale in PREVIEW_LANGUAGES {
            let lang = locale.tag();
            rows.push_str(&format!(
                "<td><a href=\"/dev/messages?kind={kind}&amp;lang={lang}&amp;part=html\">{lang} HTML</a> \
                 · <a href=\"/dev/messages?kind={kind}&amp;lang={lang}&amp;part=text\">{lang} text</a></td>"
            ));
        }
        rows.push_str("</tr>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>E-mail previews</title></head>\
         <body style=\"font-family: system-ui, sans-serif; margin: 2rem; color: #1f2937\">\
         <h1>E-mail previews</h1>\
         <p>Every e-mail in every language, as the configured brand and templates write it, \
         with sample values (code {SAMPLE_CODE}, a link with a fake token). Development only.</p>\
         <table style=\"border-collapse: collapse\" cellpadding=\"6\">\
         <thead><tr><th scope=\"col\">kind</th><th scope=\"col\">English</th>\
         <th scope=\"col\">Deutsch</th><th scope=\"col\">Español</th></tr></thead>\n\
         <tbody>\n{rows}</tbody></table></body></html>\n"
    )
}

/// A preview answer: `content_type` in UTF-8, never cached, under `csp`.
fn preview_answer(content_type: &str, csp: &str, body: Vec<u8>) -> Response {
    let mut answer = Response::empty(200)
        .with_header("content-type", format!("{content_type}; charset=utf-8"))
        .with_header("cache-control", "no-store")
        .with_header("content-security-policy", csp)
        .with_header("x-frame-options", "DENY")
        .with_header("x-robots-tag", "noindex, nofollow");
    answer.body = body;
    answer
}

fn bad_parameter(field: &str, message: &str) -> Response {
    super::admin::admin_error(400, "field_invalid", message, Some(field))
}

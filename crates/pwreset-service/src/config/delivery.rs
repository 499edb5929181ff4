//! Which provider delivers each channel, read and checked from the Worker's variables.
//!
//! Every problem found is one message naming its variable; a secret's value never appears in
//! one, nor in any `Debug` output.

use super::Kind;
use super::read::{Parser, UrlKind, Vars, credential, url};
use super::templates::MessageSettings;
use crate::model::message::Channel;

/// The shortest webhook signing secret accepted in the webhook's own form, in bytes (a
/// Standard Webhooks `whsec_` secret needs [`SigningKey::MIN_STANDARD_BYTES`] decoded).
pub const MIN_WEBHOOK_SECRET_BYTES: usize = 32;
/// Resend's API.
pub const RESEND_BASE_URL: &str = "https://api.resend.com";
/// Postmark's API.
pub const POSTMARK_BASE_URL: &str = "https://api.postmarkapp.com";
/// SendGrid's API.
pub const SENDGRID_BASE_URL: &str = "https://api.sendgrid.com";
/// Twilio's API.
pub const TWILIO_BASE_URL: &str = "https://api.twilio.com";

pub use crate::model::secret::Secret;
use crate::model::secret::SigningKey;

/// An e-mail API reached with a key: Resend, Postmark or SendGrid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailApi {
    /// The sender: `name@example.com` or `Name <name@example.com>`.
    pub from: String,
    /// Resend or SendGrid API key, or Postmark server token.
    pub api_key: Secret,
    /// The API's base URL, without a trailing `/`.
    pub base_url: String,
}

/// Where a `webhook` provider posts, and the key it signs with.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// The receiver's URL.
    pub url: String,
    /// The Standard Webhooks signing key: from a `whsec_` secret, or the bytes of a secret in
    /// the webhook's own form (at least [`MIN_WEBHOOK_SECRET_BYTES`]).
    pub key: SigningKey,
}

impl std::fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A URL's path or query may carry a token of its own: only the origin is printed.
        f.debug_struct("WebhookTarget")
            .field("origin", &origin_of(&self.url))
            .field("key", &self.key)
            .finish()
    }
}

/// Who a Twilio message is from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TwilioSender {
    /// A number in E.164 or an alphanumeric sender id (Twilio's `From`).
    From(String),
    /// A Messaging Service SID, `MG…` (Twilio's `MessagingServiceSid`).
    MessagingService(String),
}

/// A Twilio account and sender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwilioAccount {
    /// The sender.
    pub sender: TwilioSender,
    /// The Account SID (`AC…`), the Basic-auth user and part of the URL.
    pub account_sid: String,
    /// The Auth Token, the Basic-auth password.
    pub auth_token: Secret,
    /// The API's base URL, without a trailing `/`.
    pub base_url: String,
}

/// How e-mail leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailTransport {
    /// Stored in the dev outbox, sent nowhere.
    Outbox,
    /// Resend.
    Resend(EmailApi),
    /// Postmark.
    Postmark(EmailApi),
    /// SendGrid.
    SendGrid(EmailApi),
    /// A signed webhook.
    Webhook(WebhookTarget),
}

/// How text messages leave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmsTransport {
    /// Stored in the dev outbox, sent nowhere.
    Outbox,
    /// Twilio.
    Twilio(TwilioAccount),
    /// A signed webhook.
    Webhook(WebhookTarget),
}

/// The delivery configuration: one transport per channel, and how e-mails look and read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// How e-mail leaves.
    pub email: EmailTransport,
    /// How text messages leave.
    pub sms: SmsTransport,
    /// The brand and templates every e-mail is written with when it is delivered.
    pub messages: MessageSettings,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self::outbox()
    }
}

impl DeliveryConfig {
    /// Both channels into the dev outbox, e-mails in the built-in templates without a brand.
    pub fn outbox() -> Self {
        Self {
            email: EmailTransport::Outbox,
            sms: SmsTransport::Outbox,
            messages: MessageSettings::default(),
        }
    }

    /// Reads `EMAIL_PROVIDER`, `EMAIL_FROM`, `EMAIL_API_KEY`, `EMAIL_BASE_URL`, `SMS_PROVIDER`,
    /// `SMS_FROM`, `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `SMS_BASE_URL`, `WEBHOOK_URL` and
    /// `WEBHOOK_SECRET` (an empty value counts as unset), noting each problem in `vars`; `None`
    /// when any was found. Providers default to `outbox`, base URLs to the real APIs; the rules
    /// of the environment (no outbox, `https://`) are [`super::ServiceConfig::from_vars`]'s, and
    /// so are the `messages` (the Branding section's).
    pub(crate) fn read(vars: &mut Vars<'_>) -> Option<Self> {
        let before = vars.problems.len();
        let email_name = provider(vars, "EMAIL_PROVIDER", EMAIL_PROVIDERS);
        let sms_name = provider(vars, "SMS_PROVIDER", SMS_PROVIDERS);
        let wants_webhook = email_name == Some("webhook") || sms_name == Some("webhook");
        let webhook = if wants_webhook {
            webhook(vars, email_name, sms_name)
        } else {
            None
        };
        let email = match email_name {
            Some("resend") => {
                email_api(vars, "resend", RESEND_BASE_URL).map(EmailTransport::Resend)
            }
            Some("postmark") => {
                email_api(vars, "postmark", POSTMARK_BASE_URL).map(EmailTransport::Postmark)
            }
            Some("sendgrid") => {
                email_api(vars, "sendgrid", SENDGRID_BASE_URL).map(EmailTransport::SendGrid)
            }
            Some("webhook") => webhook.clone().map(EmailTransport::Webhook),
            _ => Some(EmailTransport::Outbox),
        };
        let sms = match sms_name {
            Some("twilio") => twilio(vars).map(SmsTransport::Twilio),
            Some("webhook") => webhook.map(SmsTransport::Webhook),
            _ => Some(SmsTransport::Outbox),
        };
        match (email, sms) {
            (Some(email), Some(sms)) if vars.problems.len() == before => Some(Self {
                email,
                sms,
                messages: MessageSettings::default(),
            }),
            _ => None,
        }
    }

    /// Whether any channel goes to the dev outbox (the outbox route exists only then).
    pub fn is_outbox_on(&self) -> bool {
        matches!(self.email, EmailTransport::Outbox) || matches!(self.sms, SmsTransport::Outbox)
    }

    /// The provider that delivers `channel`.
    pub fn provider(&self, channel: Channel) -> Provider {
        match channel {
            Channel::Email => match self.email {
                EmailTransport::Outbox => Provider::Outbox,
                EmailTransport::Resend(_) => Provider::Resend,
                EmailTransport::Postmark(_) => Provider::Postmark,
                EmailTransport::SendGrid(_) => Provider::SendGrid,
                EmailTransport::Webhook(_) => Provider::Webhook,
            },
            Channel::Sms => match self.sms {
                SmsTransport::Outbox => Provider::Outbox,
                SmsTransport::Twilio(_) => Provider::Twilio,
                SmsTransport::Webhook(_) => Provider::Webhook,
            },
        }
    }
}

const EMAIL_PROVIDERS: &[&str] = &["outbox", "resend", "postmark", "sendgrid", "webhook"];
const SMS_PROVIDERS: &[&str] = &["outbox", "twilio", "webhook"];

/// A provider name among `known` (any case), `outbox` when unset; `None` when unknown.
fn provider(
    vars: &mut Vars<'_>,
    name: &str,
    known: &'static [&'static str],
) -> Option<&'static str> {
    let parse = |value: &str| {
        let wanted = value.to_ascii_lowercase();
        if let Some(found) = known.iter().find(|k| **k == wanted) {
            return Ok(*found);
        }
        // Echo the value only when it looks like a provider name, never a pasted secret.
        let shown = if wanted.len() <= 20 && wanted.bytes().all(|b| b.is_ascii_lowercase()) {
            format!(" \"{wanted}\"")
        } else {
            String::new()
        };
        Err(format!(
            ": unknown provider{shown}; expected one of {}",
            known.join(", ")
        ))
    };
    vars.with_declared(name, Parser::new(Kind::OneOfAnyCase(known), parse))
}

/// Resend, Postmark or SendGrid settings.
fn email_api(vars: &mut Vars<'_>, provider: &str, default_url: &str) -> Option<EmailApi> {
    let why = format!("when EMAIL_PROVIDER is {provider}");
    let sender = Parser::new(Kind::EmailSender, |from: &str| {
        if is_plausible_sender(from) {
            Ok(from.to_owned())
        } else {
            Err(
                " must be an e-mail address, as name@example.com or Name <name@example.com>"
                    .to_owned(),
            )
        }
    });
    let from = vars.required("EMAIL_FROM", &format!(" is required {why}"), sender);
    let api_key = vars.secret("EMAIL_API_KEY", &why, credential());
    // Its default depends on the provider, so the table declares none.
    let base_url = if vars.is_set("EMAIL_BASE_URL") {
        vars.optional("EMAIL_BASE_URL", url(UrlKind::Base))
    } else {
        Some(default_url.to_owned())
    };
    Some(EmailApi {
        from: from?,
        api_key: api_key?,
        base_url: base_url?,
    })
}

/// Twilio settings.
fn twilio(vars: &mut Vars<'_>) -> Option<TwilioAccount> {
    let why = "when SMS_PROVIDER is twilio";
    let missing = format!(" is required {why}");
    let account_sid = Parser::new(Kind::Alphanumeric, |sid: &str| {
        if sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(sid.to_owned())
        } else {
            Err(" must be letters and digits only (an Account SID starts with AC)".to_owned())
        }
    });
    let sid = vars.required("TWILIO_ACCOUNT_SID", &missing, account_sid);
    let token = vars.secret("TWILIO_AUTH_TOKEN", why, credential());
    let sms_sender = Parser::new(Kind::SmsSender, |from: &str| {
        twilio_sender(from).ok_or_else(|| {
            " must be a phone number in E.164 (+15551234567), an alphanumeric sender id (up to \
             11 letters and digits) or a Messaging Service SID (MG…)"
                .to_owned()
        })
    });
    let sender = vars.required("SMS_FROM", &missing, sms_sender);
    let base_url = vars.with_declared("SMS_BASE_URL", url(UrlKind::Base));
    Some(TwilioAccount {
        sender: sender?,
        account_sid: sid?,
        auth_token: token?,
        base_url: base_url?,
    })
}

/// The webhook target, shared by both channels.
fn webhook(vars: &mut Vars<'_>, email: Option<&str>, sms: Option<&str>) -> Option<WebhookTarget> {
    let why = match (email, sms) {
        (Some("webhook"), Some("webhook")) => "when EMAIL_PROVIDER and SMS_PROVIDER are webhook",
        (Some("webhook"), _) => "when EMAIL_PROVIDER is webhook",
        _ => "when SMS_PROVIDER is webhook",
    };
    let url = vars.required(
        "WEBHOOK_URL",
        &format!(" is required {why}"),
        url(UrlKind::Endpoint),
    );
    let signing_secret = Parser::new(
        Kind::SigningSecret {
            raw_min: Some(MIN_WEBHOOK_SECRET_BYTES),
        },
        |secret: &str| {
            if secret.starts_with(SigningKey::PREFIX) {
                // The Standard Webhooks form: the key is what follows whsec_, in base64.
                return SigningKey::standard(secret).map_err(super::events::signing_key_problem);
            }
            if secret.len() >= MIN_WEBHOOK_SECRET_BYTES {
                Ok(SigningKey::raw(secret))
            } else {
                Err(format!(
                    " is too short: use a Standard Webhooks secret (whsec_ and at least 24 random \
                     bytes in base64) or at least {MIN_WEBHOOK_SECRET_BYTES} random bytes (e.g. 64 \
                     hex characters)"
                ))
            }
        },
    );
    let key = vars.secret("WEBHOOK_SECRET", why, signing_secret);
    Some(WebhookTarget {
        url: url?,
        key: key?,
    })
}

/// `scheme://host[:port]` of a URL, for printing it without its path or query.
pub(crate) fn origin_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    &url[..end]
}

/// `name@domain` or `Name <name@domain>`.
fn is_plausible_sender(from: &str) -> bool {
    let address = match from.rsplit_once('<') {
        Some((_, rest)) => match rest.strip_suffix('>') {
            Some(address) => address,
            None => return false,
        },
        None => from,
    };
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
        && !from.chars().any(char::is_control)
}

/// Reads `SMS_FROM`: a Messaging Service SID, an E.164 number, or an alphanumeric sender id.
fn twilio_sender(from: &str) -> Option<TwilioSender> {
    let alphanumeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if let Some(rest) = from.strip_prefix("MG")
        && alphanumeric(rest)
    {
        return Some(TwilioSender::MessagingService(from.to_owned()));
    }
    if let Some(digits) = from.strip_prefix('+') {
        let e164 = (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        return e164.then(|| TwilioSender::From(from.to_owned()));
    }
    let sender_id = from.len() <= 11
        && from.bytes().any(|b| b.is_ascii_alphabetic())
        && from.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ');
    sender_id.then(|| TwilioSender::From(from.to_owned()))
}

/// Who delivers a channel's messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// The dev outbox.
    Outbox,
    /// Resend (e-mail).
    Resend,
    /// Postmark (e-mail).
    Postmark,
    /// SendGrid (e-mail).
    SendGrid,
    /// Twilio (SMS).
    Twilio,
    /// A signed webhook (either channel).
    Webhook,
}

impl Provider {
    /// The provider's configuration name (`resend`, `twilio`, …).
    pub fn name(self) -> &'static str {
        match self {
            Provider::Outbox => "outbox",
            Provider::Resend => "resend",
            Provider::Postmark => "postmark",
            Provider::SendGrid => "sendgrid",
            Provider::Twilio => "twilio",
            Provider::Webhook => "webhook",
        }
    }

    /// Whether a repeated request for the same message is recognised and not delivered twice:
    /// the outbox (keyed by message id), Resend (`Idempotency-Key`, kept 24 hours) and the
    /// webhook (whose receivers must dedupe on `webhook-id`). Postmark, SendGrid and Twilio
    /// have no such key: a retry after a timeout that hid an acceptance delivers twice.
    pub fn dedupes_retries(self) -> bool {
        matches!(
            self,
            Provider::Outbox | Provider::Resend | Provider::Webhook
        )
    }
}

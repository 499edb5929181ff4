//! Which provider delivers each channel, read and checked from the Worker's variables.
//!
//! Every problem found is one message naming its variable; a secret's value never appears in
//! one, nor in any `Debug` output.

use url::Url;

use crate::model::message::Channel;

/// The shortest webhook signing secret accepted, in bytes.
pub const MIN_WEBHOOK_SECRET_BYTES: usize = 32;
/// Resend's API.
pub const RESEND_BASE_URL: &str = "https://api.resend.com";
/// Postmark's API.
pub const POSTMARK_BASE_URL: &str = "https://api.postmarkapp.com";
/// SendGrid's API.
pub const SENDGRID_BASE_URL: &str = "https://api.sendgrid.com";
/// Twilio's API.
pub const TWILIO_BASE_URL: &str = "https://api.twilio.com";

/// A configured secret (API key, token, signing secret). Its `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for building a request.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

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

/// Where a `webhook` provider posts, and the secret it signs with.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// The receiver's URL.
    pub url: String,
    /// The HMAC-SHA256 signing secret (at least [`MIN_WEBHOOK_SECRET_BYTES`]).
    pub secret: Secret,
}

impl std::fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A URL's path or query may carry a token of its own: only the origin is printed.
        f.debug_struct("WebhookTarget")
            .field("origin", &origin_of(&self.url))
            .field("secret", &self.secret)
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

/// The delivery configuration: one transport per channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// How e-mail leaves.
    pub email: EmailTransport,
    /// How text messages leave.
    pub sms: SmsTransport,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self::outbox()
    }
}

impl DeliveryConfig {
    /// Both channels into the dev outbox.
    pub fn outbox() -> Self {
        Self {
            email: EmailTransport::Outbox,
            sms: SmsTransport::Outbox,
        }
    }

    /// Reads `EMAIL_PROVIDER`, `EMAIL_FROM`, `EMAIL_API_KEY`, `EMAIL_BASE_URL`, `SMS_PROVIDER`,
    /// `SMS_FROM`, `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `SMS_BASE_URL`, `WEBHOOK_URL` and
    /// `WEBHOOK_SECRET` through `get` (an empty value counts as unset). Providers default to
    /// `outbox`, base URLs to the real APIs. On failure, every problem found, one message each.
    pub fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, Vec<String>> {
        let vars = Vars { get };
        let mut problems = Vec::new();
        let email_name = vars.provider("EMAIL_PROVIDER", EMAIL_PROVIDERS, &mut problems);
        let sms_name = vars.provider("SMS_PROVIDER", SMS_PROVIDERS, &mut problems);
        let wants_webhook = email_name == Some("webhook") || sms_name == Some("webhook");
        let webhook = if wants_webhook {
            vars.webhook(email_name, sms_name, &mut problems)
        } else {
            None
        };
        let email = match email_name {
            Some("resend") => vars
                .email_api("resend", RESEND_BASE_URL, &mut problems)
                .map(EmailTransport::Resend),
            Some("postmark") => vars
                .email_api("postmark", POSTMARK_BASE_URL, &mut problems)
                .map(EmailTransport::Postmark),
            Some("sendgrid") => vars
                .email_api("sendgrid", SENDGRID_BASE_URL, &mut problems)
                .map(EmailTransport::SendGrid),
            Some("webhook") => webhook.clone().map(EmailTransport::Webhook),
            _ => Some(EmailTransport::Outbox),
        };
        let sms = match sms_name {
            Some("twilio") => vars.twilio(&mut problems).map(SmsTransport::Twilio),
            Some("webhook") => webhook.map(SmsTransport::Webhook),
            _ => Some(SmsTransport::Outbox),
        };
        match (email, sms) {
            (Some(email), Some(sms)) if problems.is_empty() => Ok(Self { email, sms }),
            _ => Err(problems),
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

/// The variables, read one by one, each problem noted as it is found.
struct Vars<'a> {
    get: &'a dyn Fn(&str) -> Option<String>,
}

impl Vars<'_> {
    /// A variable's value; empty counts as unset.
    fn value(&self, name: &str) -> Option<String> {
        (self.get)(name).filter(|value| !value.trim().is_empty())
    }

    /// A provider name among `known`, `outbox` when unset. `None` (and a problem) when unknown.
    fn provider(
        &self,
        name: &str,
        known: &'static [&'static str],
        problems: &mut Vec<String>,
    ) -> Option<&'static str> {
        let Some(value) = self.value(name) else {
            return Some("outbox");
        };
        let wanted = value.trim().to_ascii_lowercase();
        if let Some(found) = known.iter().find(|k| **k == wanted) {
            return Some(found);
        }
        // Echo the value only when it looks like a provider name, never a pasted secret.
        let shown = if wanted.len() <= 20 && wanted.bytes().all(|b| b.is_ascii_lowercase()) {
            format!(" \"{wanted}\"")
        } else {
            String::new()
        };
        problems.push(format!(
            "{name}: unknown provider{shown}; expected one of {}",
            known.join(", ")
        ));
        None
    }

    /// A required value (a problem when missing).
    fn required(&self, name: &str, why: &str, problems: &mut Vec<String>) -> Option<String> {
        let value = self.value(name);
        if value.is_none() {
            problems.push(format!("{name} is required {why}"));
        }
        value
    }

    /// A required secret: present, and free of spaces and control characters (which would
    /// break or smuggle headers). Its value never appears in a problem.
    fn secret(&self, name: &str, why: &str, problems: &mut Vec<String>) -> Option<Secret> {
        let value = self.required(name, why, problems)?;
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            problems.push(format!(
                "{name} contains spaces or control characters; set it without them"
            ));
            return None;
        }
        Some(Secret(value))
    }

    /// A base URL: the variable's value or the default, checked, without a trailing `/`.
    fn base_url(&self, name: &str, default: &str, problems: &mut Vec<String>) -> Option<String> {
        let Some(value) = self.value(name) else {
            return Some(default.to_owned());
        };
        match check_url(value.trim(), false) {
            Ok(url) => Some(url.trim_end_matches('/').to_owned()),
            Err(why) => {
                problems.push(format!("{name} {why}"));
                None
            }
        }
    }

    /// Resend, Postmark or SendGrid settings.
    fn email_api(
        &self,
        provider: &str,
        default_url: &str,
        problems: &mut Vec<String>,
    ) -> Option<EmailApi> {
        let why = format!("when EMAIL_PROVIDER is {provider}");
        let from = self.required("EMAIL_FROM", &why, problems);
        let from = from.and_then(|from| {
            let from = from.trim().to_owned();
            if is_plausible_sender(&from) {
                Some(from)
            } else {
                problems.push(
                    "EMAIL_FROM must be an e-mail address, as name@example.com or \
                     Name <name@example.com>"
                        .to_owned(),
                );
                None
            }
        });
        let api_key = self.secret("EMAIL_API_KEY", &why, problems);
        let base_url = self.base_url("EMAIL_BASE_URL", default_url, problems);
        Some(EmailApi {
            from: from?,
            api_key: api_key?,
            base_url: base_url?,
        })
    }

    /// Twilio settings.
    fn twilio(&self, problems: &mut Vec<String>) -> Option<TwilioAccount> {
        let why = "when SMS_PROVIDER is twilio";
        let sid = self
            .required("TWILIO_ACCOUNT_SID", why, problems)
            .and_then(|sid| {
                let sid = sid.trim().to_owned();
                if sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    Some(sid)
                } else {
                    problems.push(
                        "TWILIO_ACCOUNT_SID must be letters and digits only (an Account SID \
                         starts with AC)"
                            .to_owned(),
                    );
                    None
                }
            });
        let token = self.secret("TWILIO_AUTH_TOKEN", why, problems);
        let sender = self.required("SMS_FROM", why, problems).and_then(|from| {
            let sender = twilio_sender(from.trim());
            if sender.is_none() {
                problems.push(
                    "SMS_FROM must be a phone number in E.164 (+15551234567), an alphanumeric \
                     sender id (up to 11 letters and digits) or a Messaging Service SID (MG…)"
                        .to_owned(),
                );
            }
            sender
        });
        let base_url = self.base_url("SMS_BASE_URL", TWILIO_BASE_URL, problems);
        Some(TwilioAccount {
            sender: sender?,
            account_sid: sid?,
            auth_token: token?,
            base_url: base_url?,
        })
    }

    /// The webhook target, shared by both channels.
    fn webhook(
        &self,
        email: Option<&str>,
        sms: Option<&str>,
        problems: &mut Vec<String>,
    ) -> Option<WebhookTarget> {
        let why = match (email, sms) {
            (Some("webhook"), Some("webhook")) => {
                "when EMAIL_PROVIDER and SMS_PROVIDER are webhook"
            }
            (Some("webhook"), _) => "when EMAIL_PROVIDER is webhook",
            _ => "when SMS_PROVIDER is webhook",
        };
        let url = self.required("WEBHOOK_URL", why, problems).and_then(|url| {
            match check_url(url.trim(), true) {
                Ok(url) => Some(url.to_owned()),
                Err(problem) => {
                    problems.push(format!("WEBHOOK_URL {problem}"));
                    None
                }
            }
        });
        let secret = self
            .secret("WEBHOOK_SECRET", why, problems)
            .and_then(|secret| {
                if secret.expose().len() >= MIN_WEBHOOK_SECRET_BYTES {
                    Some(secret)
                } else {
                    problems.push(format!(
                    "WEBHOOK_SECRET is too short: use at least {MIN_WEBHOOK_SECRET_BYTES} random \
                     bytes (e.g. 64 hex characters)"
                ));
                    None
                }
            });
        Some(WebhookTarget {
            url: url?,
            secret: secret?,
        })
    }
}

/// Checks an absolute `http(s)` URL with a host, no credentials, no spaces; a base URL also
/// takes no query or fragment. The problem reads after the variable's name. Whether `http://` is
/// acceptable depends on the environment, which the service's configuration decides.
fn check_url(url: &str, query_allowed: bool) -> Result<&str, &'static str> {
    // The parser would quietly drop tabs and new lines: refuse them before it sees them.
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters");
    }
    let Ok(parsed) = Url::parse(url) else {
        return Err("must be an absolute URL starting with https:// or http://");
    };
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err("must start with https:// or http://");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry credentials (user:password@); use the key variables");
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("must name a host");
    }
    if parsed.fragment().is_some() || (!query_allowed && parsed.query().is_some()) {
        return Err("must not have a query or fragment");
    }
    Ok(url)
}

/// `scheme://host[:port]` of a URL, for printing it without its path or query.
fn origin_of(url: &str) -> &str {
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
    /// webhook (whose receivers must dedupe on `X-Pwreset-Id`). Postmark, SendGrid and Twilio
    /// have no such key: a retry after a timeout that hid an acceptance delivers twice.
    pub fn dedupes_retries(self) -> bool {
        matches!(
            self,
            Provider::Outbox | Provider::Resend | Provider::Webhook
        )
    }
}

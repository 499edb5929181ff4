//! Cloudflare Turnstile, server side: a widget's token is worth something only once siteverify
//! says so. [`verify`] posts the secret key, the token and the client's address to
//! `TURNSTILE_VERIFY_URL` (form-encoded, as Cloudflare documents) through the platform's outbound
//! HTTP port, within [`VERIFY_TIME_LIMIT`], and passes only on `200` with `"success": true` and,
//! where the service served the widget itself, the `hostname` and `action` it was served with
//! ([`Expected`]). Any other outcome is a [`Refusal`]: the check fails closed. A missing, empty or
//! oversized token is refused without a call.
//!
//! Neither the token nor the secret key is ever logged: a refusal logs `turnstile_refused` with
//! the route and why (siteverify's error codes, a status, a transport failure).

use std::net::IpAddr;
use std::time::Duration;

use serde_json::{Value, json};

pub use crate::config::turnstile::{TEST_SECRET_KEYS, TURNSTILE_VERIFY_URL, TurnstileConfig};
use crate::model::audit;
use crate::model::outbound::{LOOKUP_TIME_LIMIT, OutboundRequest, TransportError, USER_AGENT};
use crate::ports::{Clock, HttpFetch, LimitRule, Logger, RateLimits};

/// The form field the widget fills with its token, and the header that carries the token to the
/// JSON request routes.
pub const RESPONSE_FIELD: &str = "cf-turnstile-response";
/// Cloudflare's origin for the widget's script and frame (the page's CSP names it when on).
pub const CHALLENGES_ORIGIN: &str = "https://challenges.cloudflare.com";
/// The widget's script.
pub const SCRIPT_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/api.js";
/// The longest token Cloudflare issues (2,048 characters); a longer one is refused unsent.
pub const MAX_TOKEN_LEN: usize = 2048;
/// How long siteverify may take: a client's request waits for it.
pub const VERIFY_TIME_LIMIT: Duration = LOOKUP_TIME_LIMIT;

/// What a passing answer must also say about where its challenge was solved. A site key may serve
/// several hostnames and widgets: without these checks a token solved on another page of the same
/// key would pass. Cloudflare's test secret keys answer a fixed `example.com` and no action, so
/// with them (development only) neither is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Expected<'a> {
    /// The host name of the page that showed the widget (siteverify's `hostname`).
    pub hostname: Option<&'a str>,
    /// The widget's `data-action` (siteverify's `action`).
    pub action: Option<&'a str>,
}

/// Why a token did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No token, or an empty one.
    Missing,
    /// Longer than any token Cloudflare issues.
    TooLong,
    /// siteverify answered `"success": false`, with these error codes.
    Rejected(Vec<String>),
    /// siteverify answered another status than `200`.
    Status(u16),
    /// No answer within the time limit, or no connection.
    Unreachable(TransportError),
    /// An answer that is not siteverify's JSON with a boolean `success`.
    Unreadable,
    /// A passing answer for another page or widget: this field (`hostname` or `action`) is not
    /// the expected one.
    Mismatch(&'static str),
    /// This address asked for more checks than `request_per_ip` allows (or the limit could not
    /// be counted): siteverify is not called.
    Limited,
}

impl Refusal {
    /// Why, for the log line: never the token or the secret.
    pub fn reason(&self) -> Value {
        match self {
            Refusal::Missing => json!({ "reason": "missing" }),
            Refusal::TooLong => json!({ "reason": "too_long" }),
            Refusal::Rejected(codes) => json!({ "reason": "rejected", "error_codes": codes }),
            Refusal::Status(status) => json!({ "reason": "status", "status": status }),
            Refusal::Unreachable(e) => json!({ "reason": "unreachable", "error": e.to_string() }),
            Refusal::Unreadable => json!({ "reason": "unreadable" }),
            Refusal::Mismatch(field) => json!({ "reason": "mismatch", "field": field }),
            Refusal::Limited => json!({ "reason": "limited" }),
        }
    }
}

/// The siteverify request for `token` from `remote_ip`: `POST` to `TURNSTILE_VERIFY_URL` with
/// `secret`, `response` and (when it is an IP address, not the edge's `unknown`) `remoteip`,
/// form-encoded.
pub fn verify_request(cfg: &TurnstileConfig, token: &str, remote_ip: &str) -> OutboundRequest {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("secret", cfg.secret_key().expose())
        .append_pair("response", token);
    if remote_ip.parse::<IpAddr>().is_ok() {
        form.append_pair("remoteip", remote_ip);
    }
    OutboundRequest {
        method: "POST".to_owned(),
        url: cfg.verify_url.clone(),
        headers: vec![
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ],
        body: form.finish(),
        time_limit: VERIFY_TIME_LIMIT,
    }
}

/// siteverify's answer read: `Ok(())` for `"success": true` only, with the `expected` hostname
/// and action where they are given.
fn judge(status: u16, body: &str, expected: Expected<'_>) -> Result<(), Refusal> {
    if status != 200 {
        return Err(Refusal::Status(status));
    }
    let answer: Value = serde_json::from_str(body).map_err(|_| Refusal::Unreadable)?;
    match answer.get("success") {
        Some(Value::Bool(true)) => matches(&answer, expected),
        Some(Value::Bool(false)) => {
            // Cloudflare's codes are short words; anything else is left out of the log.
            let codes = answer
                .get("error-codes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter(|code| {
                    code.len() <= 64
                        && code
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                })
                .take(8)
                .map(str::to_owned)
                .collect();
            Err(Refusal::Rejected(codes))
        }
        _ => Err(Refusal::Unreadable),
    }
}

/// Whether a passing `answer` names the `expected` hostname (case aside, as host names go) and
/// action; one it does not name fails.
fn matches(answer: &Value, expected: Expected<'_>) -> Result<(), Refusal> {
    let said = |field: &str| answer.get(field).and_then(Value::as_str);
    if let Some(hostname) = expected.hostname
        && !said("hostname").is_some_and(|said| said.eq_ignore_ascii_case(hostname))
    {
        return Err(Refusal::Mismatch("hostname"));
    }
    if let Some(action) = expected.action
        && said("action") != Some(action)
    {
        return Err(Refusal::Mismatch("action"));
    }
    Ok(())
}

/// The `request_per_ip` key that counts an address's checks (apart from its requests').
fn limit_key(remote_ip: &str) -> String {
    format!("turnstile:{remote_ip}")
}

/// Whether `token`, sent from `remote_ip` to `route`, passes Turnstile under `cfg`, solved where
/// `expected` says. A refusal is logged (`turnstile_refused`, with `route` and the reason) and
/// returned.
pub async fn verify(
    p: &(impl HttpFetch + Logger + Clock + RateLimits),
    cfg: &TurnstileConfig,
    token: Option<&str>,
    remote_ip: &str,
    route: &str,
    expected: Expected<'_>,
) -> Result<(), Refusal> {
    let expected = if cfg.uses_test_key() {
        Expected::default()
    } else {
        expected
    };
    let outcome = match token {
        None | Some("") => Err(Refusal::Missing),
        Some(token) if token.len() > MAX_TOKEN_LEN => Err(Refusal::TooLong),
        // Each check is a call to Cloudflare: at most `request_per_ip` of them per address, on a
        // counter of their own, so no one can make the service call siteverify without bound.
        Some(_)
            if !matches!(
                p.allow(LimitRule::RequestPerIp, &limit_key(remote_ip))
                    .await,
                Ok(true)
            ) =>
        {
            Err(Refusal::Limited)
        }
        Some(token) => match p.fetch(&verify_request(cfg, token, remote_ip)).await {
            Ok(answer) => judge(answer.status, &answer.body, expected),
            Err(e) => Err(Refusal::Unreachable(e)),
        },
    };
    if let Err(refusal) = &outcome {
        let mut fields = refusal.reason();
        fields["route"] = json!(route);
        p.log(&audit::line("turnstile_refused", p.now(), fields));
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_boolean_true_passes() {
        assert_eq!(
            judge(
                200,
                r#"{"success":true,"error-codes":[]}"#,
                Expected::default()
            ),
            Ok(())
        );
        assert_eq!(
            judge(
                200,
                r#"{"success":false,"error-codes":["invalid-input-response"]}"#,
                Expected::default(),
            ),
            Err(Refusal::Rejected(vec!["invalid-input-response".to_owned()]))
        );
        for body in [
            r#"{"success":"true"}"#,
            r#"{"success":1}"#,
            "{}",
            "[]",
            "ok",
            "",
        ] {
            assert_eq!(
                judge(200, body, Expected::default()),
                Err(Refusal::Unreadable),
                "{body}"
            );
        }
        assert_eq!(
            judge(500, r#"{"success":true}"#, Expected::default()),
            Err(Refusal::Status(500))
        );
    }

    #[test]
    fn odd_error_codes_stay_out_of_the_log() {
        let body = r#"{"success":false,"error-codes":["timeout-or-duplicate","a\"b","x y"]}"#;
        assert_eq!(
            judge(200, body, Expected::default()),
            Err(Refusal::Rejected(vec!["timeout-or-duplicate".to_owned()]))
        );
    }

    #[test]
    fn a_pass_for_another_host_or_widget_is_refused() {
        let expected = Expected {
            hostname: Some("reset.example.com"),
            action: Some("forgot"),
        };
        let pass = |fields: &str| format!(r#"{{"success":true,"error-codes":[]{fields}}}"#);
        let good = r#","hostname":"Reset.Example.com","action":"forgot""#;
        assert_eq!(judge(200, &pass(good), expected), Ok(()));
        for (fields, field) in [
            (
                r#","hostname":"evil.example","action":"forgot""#,
                "hostname",
            ),
            (r#","action":"forgot""#, "hostname"),
            (
                r#","hostname":"reset.example.com.evil.example","action":"forgot""#,
                "hostname",
            ),
            (
                r#","hostname":"reset.example.com","action":"login""#,
                "action",
            ),
            (r#","hostname":"reset.example.com""#, "action"),
            (r#","hostname":"reset.example.com","action":"""#, "action"),
        ] {
            assert_eq!(
                judge(200, &pass(fields), expected),
                Err(Refusal::Mismatch(field)),
                "{fields}"
            );
        }
        assert_eq!(judge(200, &pass(""), Expected::default()), Ok(()));
    }
}

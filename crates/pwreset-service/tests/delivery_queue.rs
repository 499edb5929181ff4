//! Delivery through the queue: requests only enqueue; the consumer sends, retries with backoff,
//! sends a message once, and dead-letters what fails for good.

mod common;

use common::*;
use pwreset_service::Job;
use pwreset_service::delivery::{FetchedAnswer, TransportError};
use serde_json::Value;

fn with_resend() -> Harness {
    Harness::with(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_API_KEY", "re_TestKey0123456789"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_BASE_URL", "http://127.0.0.1:1"),
    ])
}

fn idempotency_keys(h: &Harness) -> Vec<String> {
    h.platform
        .http
        .requests()
        .iter()
        .map(|r| r.header("Idempotency-Key").unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_reset_request_sends_nothing_until_the_queue_runs() {
    let h = with_resend();
    h.jane();
    assert_eq!(h.reg_request("jane").status, 200);
    assert_eq!(h.platform.http.request_count(), 0);
    assert_eq!(h.platform.queued(), 1);
    h.drain();
    assert_eq!(h.platform.http.request_count(), 1);
    let request = &h.platform.http.requests()[0];
    assert_eq!(request.url, "http://127.0.0.1:1/emails");
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["to"][0], "jane@example.com");
}

#[test]
fn a_provider_that_fails_then_recovers_delivers_exactly_once() {
    let h = with_resend();
    h.jane();
    h.platform
        .http
        .push_status(500)
        .push_status(503)
        .push(Ok(FetchedAnswer {
            status: 429,
            headers: vec![("Retry-After".into(), "7".into())],
            body: String::new(),
        }));
    let started = h.platform.now_secs();
    h.reg_request("jane");
    h.drain();

    let keys = idempotency_keys(&h);
    assert_eq!(keys.len(), 4, "three failures, then one success");
    assert!(
        keys.iter().all(|k| !k.is_empty() && *k == keys[0]),
        "{keys:?}"
    );
    assert_eq!(h.platform.sent_ids(), [keys[0].clone()]);
    assert_eq!(
        serde_json::from_str::<Value>(&text(&h.send(admin_dead_letters()))).unwrap(),
        serde_json::json!([])
    );
    // Backoff: 2 s, then 4 s, then the provider's 7 s.
    assert!(h.platform.now_secs() - started >= 2 + 4 + 7);
    // Running the queue again sends nothing more.
    h.drain();
    assert_eq!(h.platform.http.request_count(), 4);
}

#[test]
fn a_retry_after_a_timeout_carries_the_same_idempotency_key() {
    let h = with_resend();
    h.jane();
    h.platform
        .http
        .push(Err(TransportError::Timeout))
        .push(Err(TransportError::Connection));
    h.reg_request("jane");
    h.drain();
    let keys = idempotency_keys(&h);
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|k| *k == keys[0]));
    assert_eq!(h.platform.sent_ids().len(), 1);
}

#[test]
fn the_code_in_a_retried_message_stays_the_one_issued() {
    let h = with_resend();
    let jane = h.jane();
    h.platform.http.push_status(502);
    h.reg_request("jane");
    h.drain();
    let texts: Vec<String> = h
        .platform
        .http
        .requests()
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(texts.len(), 2);
    assert_eq!(texts[0], texts[1]);
    let code = texts[1]
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    assert_eq!(h.reg_code(&jane.username, &code).status, 200);
}

#[test]
fn the_password_changed_notice_goes_through_the_queue_too() {
    let h = with_resend();
    let jane = h.jane();
    h.reg_request("jane");
    h.drain();
    let code = h.platform.http.requests()[0].body.clone();
    let code = code
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    let payload = h.reg_code(&jane.username, &code).json_body()["signedPayload"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = h.platform.http.request_count();
    assert_eq!(h.reg_reset("jane", &payload, NEW_PASSWORD).status, 200);
    assert_eq!(
        h.platform.http.request_count(),
        before,
        "queued, not sent inline"
    );
    // Queued with what it says, not its words: its delivery writes them.
    let queued = h.platform.queued_jobs();
    let [Job::Deliver(notice)] = queued.as_slice() else {
        panic!("one notice queued: {queued:?}");
    };
    let parts = (
        notice.subject.as_str(),
        notice.text.as_str(),
        notice.html.as_str(),
    );
    assert_eq!(parts, ("", "", ""));
    assert!(notice.content.is_some());
    let body = serde_json::to_string(&queued[0]).unwrap();
    assert!(body.len() < 512 && !body.contains("html"), "{body}");
    h.platform.http.push_status(503);
    h.drain();
    let notices: Vec<String> = h.platform.http.requests()[before..]
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["subject"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        notices,
        ["Your password was changed", "Your password was changed"]
    );
    assert_eq!(h.platform.sent_ids().len(), 2, "the code and the notice");
}

#[test]
fn an_operator_template_that_fails_at_delivery_is_logged_and_the_built_in_one_is_sent() {
    // Ten loops over the accounts, one in another: 1,024 turns over the start-up check's two
    // sample accounts, a million over four, far more than a rendering's fuel.
    let html = format!(
        "{}{}<p>{{{{ t.intro }}}}</p>",
        "{% for a in links %}".repeat(10),
        "{% endfor %}".repeat(10)
    );
    let templates = serde_json::json!({ "en": { "reset_links": { "html": html } } }).to_string();
    let h = Harness::with(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_API_KEY", "re_TestKey0123456789"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_BASE_URL", "http://127.0.0.1:1"),
        ("MESSAGE_TEMPLATES", &templates),
    ]);
    for name in ["ann", "bob", "cat", "dan"] {
        h.create_user(name, "family@example.com", None);
    }
    assert_eq!(h.forgot_email("family@example.com").status, 200);
    h.drain();
    let requests = h.platform.http.requests();
    assert_eq!(requests.len(), 1, "one message for the shared address");
    let body: Value = serde_json::from_str(&requests[0].body).unwrap();
    let (text, html) = (
        body["text"].as_str().unwrap(),
        body["html"].as_str().unwrap(),
    );
    let tokens: Vec<&str> = text
        .split(&format!("{PUBLIC_URL}/reset?token="))
        .skip(1)
        .map(|rest| &rest[..64])
        .collect();
    assert_eq!(tokens.len(), 4, "{text}");
    // The built-in HTML, every link in it.
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    for token in &tokens {
        assert!(html.contains(token));
    }
    // The log says which template failed and why, and nothing of the message.
    let logs = h.platform.logs();
    let fallbacks: Vec<Value> = logs
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line.get("template_fallback").is_some())
        .collect();
    assert_eq!(fallbacks.len(), 1, "{logs:?}");
    assert_eq!(fallbacks[0]["event"], "delivery_sent");
    assert_eq!(
        fallbacks[0]["template_fallback"],
        serde_json::json!(["en.reset_links.html: engine ran out of fuel (line 1)"])
    );
    for line in &logs {
        for secret in tokens.iter().copied().chain(["family@", "/reset?"]) {
            assert!(!line.contains(secret), "{secret} in {line}");
        }
    }
}

fn admin_dead_letters() -> pwreset_service::Request {
    pwreset_service::Request::new(pwreset_service::Method::Get, "/admin/dead-letters")
        .header("authorization", &format!("Bearer {ADMIN_TOKEN}"))
}

trait NowSecs {
    fn now_secs(&self) -> u64;
}

impl NowSecs for pwreset_service::testing::memory::MemoryPlatform {
    fn now_secs(&self) -> u64 {
        use pwreset_service::ports::Clock;
        self.now().as_secs()
    }
}

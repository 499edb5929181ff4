//! The application's events (`EVENTS_URL`, `EVENTS_SECRET`): each kind queued where it happens and
//! posted by the queue's consumer, signed the Standard Webhooks way, with no secret in it; retried
//! and dead-lettered like a message; nothing at all without `EVENTS_URL`. And `secret_exhausted`:
//! a code tried after its tries are spent, answered alike for an account and an unknown name.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use futures_executor::block_on;
use hmac::{Hmac, KeyInit, Mac};
use pwreset_core::password_hash::verify_password;
use pwreset_service::delivery::standard_webhooks;
use pwreset_service::delivery::{FetchedAnswer, OutboundRequest};
use pwreset_service::flows::events::ip_tag;
use pwreset_service::model::job::Job;
use pwreset_service::model::secret::SigningKey;
use pwreset_service::ports::{Accounts, Clock};
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::{Request, Response};
use serde_json::{Value, json};
use sha2::Sha256;

/// Where the events go (development allows `http://`).
const EVENTS_URL: &str = "http://127.0.0.1:9/pwreset-events?src=test";
/// The events' signing secret: whsec_ and 32 bytes in base64.
const EVENTS_SECRET: &str = "whsec_cHdyZXNldCBldmVudHMgdGVzdCBrZXksIDMyIGIh";
/// The client address every request of these tests comes from.
const CLIENT_IP: &str = "203.0.113.77";

fn with_events(changes: &[(&str, &str)]) -> Harness {
    let mut all = vec![("EVENTS_URL", EVENTS_URL), ("EVENTS_SECRET", EVENTS_SECRET)];
    all.extend_from_slice(changes);
    Harness::with(&all)
}

/// `request` from [`CLIENT_IP`].
fn from_client(request: Request) -> Request {
    from_ip(request, CLIENT_IP)
}

/// Every request posted to `EVENTS_URL` so far.
fn event_posts(h: &Harness) -> Vec<OutboundRequest> {
    h.platform
        .http
        .requests()
        .into_iter()
        .filter(|r| r.url == EVENTS_URL)
        .collect()
}

/// The bodies of the events posted so far, parsed.
fn event_bodies(h: &Harness) -> Vec<Value> {
    event_posts(h)
        .iter()
        .map(|r| serde_json::from_str(&r.body).expect("a JSON body"))
        .collect()
}

/// The one posted event of `kind`.
fn the_event(h: &Harness, kind: &str) -> Value {
    let found: Vec<Value> = event_bodies(h)
        .into_iter()
        .filter(|b| b["type"] == kind)
        .collect();
    assert_eq!(found.len(), 1, "{kind}: {found:?}");
    found.into_iter().next().unwrap()
}

fn client_tag(h: &Harness) -> String {
    ip_tag(h.service.config().unwrap(), CLIENT_IP)
}

/// Checks a posted event as a receiver would: the three Standard Webhooks headers, a signature
/// that verifies (with the crate's verifier and with a bare HMAC), `{"type","timestamp","data"}`.
fn assert_signed(request: &OutboundRequest) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("pwreset/")
    );
    let id = request.header("webhook-id").expect("webhook-id");
    assert!(
        id.starts_with("evt_") && id.len() == 36 && !id.contains('.'),
        "{id}"
    );
    let timestamp = request.header("webhook-timestamp").expect("a timestamp");
    let signature = request.header("webhook-signature").expect("a signature");
    let key = SigningKey::standard(EVENTS_SECRET).unwrap();
    let now: u64 = timestamp.parse().unwrap();
    assert!(standard_webhooks::verify(
        &key,
        id,
        timestamp,
        &request.body,
        signature,
        now,
        300
    ));
    let raw_key = STANDARD
        .decode(EVENTS_SECRET.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&raw_key).unwrap();
    mac.update(format!("{id}.{timestamp}.{}", request.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    assert_eq!(signature, expected);
    let body: Value = serde_json::from_str(&request.body).unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["data", "timestamp", "type"], "{body}");
    let timestamp = body["timestamp"].as_str().unwrap();
    assert!(
        timestamp.len() == 20 && timestamp.ends_with('Z') && timestamp.starts_with("2026-"),
        "{timestamp}"
    );
}

/// No secret, address or number in anything posted to `EVENTS_URL`.
fn assert_no_secret(h: &Harness, secrets: &[&str]) {
    let posts = event_posts(h);
    assert!(!posts.is_empty());
    for post in posts {
        let all = format!("{} {:?}", post.body, post.headers);
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            assert!(!all.contains(secret), "{secret} in {all}");
        }
    }
}

fn wrong_code(right: &str, n: u32) -> String {
    let guess = format!("{:06}", 100_000 + n);
    if guess == right {
        format!("{:06}", 200_000 + n)
    } else {
        guess
    }
}

// ---------------------------------------------------------------- each kind of event

#[test]
fn a_reset_by_code_posts_reset_requested_then_password_changed_signed_and_without_secrets() {
    let h = with_events(&[]);
    let jane = h.jane();
    let request = post(
        "/reg/user/resetPasswordRequest",
        &json!({ "username": "jane" }),
    );
    assert_eq!(h.send(from_client(request)).status, 200);
    h.drain();
    let code = h.latest_code(&jane.email);
    let redeemed = h.send(from_client(reg_code_request("jane", &code)));
    assert_eq!(redeemed.status, 200, "{}", text(&redeemed));
    let payload = redeemed.json_body()["signedPayload"]
        .as_str()
        .unwrap()
        .to_owned();
    let reset = h.send(from_client(reg_reset_request(
        "jane",
        &payload,
        NEW_PASSWORD,
    )));
    assert_eq!(reset.status, 200, "{}", text(&reset));
    let token = reset.json_body()["token"].as_str().unwrap().to_owned();
    h.drain();

    let expected = json!({
        "account": jane.id, "dialect": "reg", "method": "email", "ip_tag": client_tag(&h),
    });
    assert_eq!(the_event(&h, "password.reset_requested")["data"], expected);
    assert_eq!(the_event(&h, "password.changed")["data"], expected);
    for post in event_posts(&h) {
        assert_signed(&post);
    }
    assert_no_secret(
        &h,
        &[
            &code,
            &payload,
            &token,
            NEW_PASSWORD,
            OLD_PASSWORD,
            &jane.email,
            "jane@",
            jane.phone.as_deref().unwrap(),
            CLIENT_IP,
        ],
    );
    // Each event was posted once, under an id of its own.
    let ids: std::collections::BTreeSet<String> = event_posts(&h)
        .iter()
        .map(|r| r.header("webhook-id").unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
}

#[test]
fn a_link_reset_names_dialect_b_and_the_link_method() {
    let h = with_events(&[]);
    let jane = h.jane();
    let forgot = auth_post("/api/v1/auth/forgotpass", &json!({ "email": jane.email }));
    assert_eq!(h.send(from_client(forgot)).status, 200);
    h.drain();
    let token = h.latest_link_token(&jane.email);
    let reset = h.send(from_client(reset_link_request(&token, NEW_PASSWORD)));
    assert_eq!(reset.status, 200, "{}", text(&reset));
    h.drain();
    for kind in ["password.reset_requested", "password.changed"] {
        assert_eq!(
            the_event(&h, kind)["data"],
            json!({
                "account": jane.id, "dialect": "auth_v1", "method": "link", "ip_tag": client_tag(&h),
            }),
            "{kind}"
        );
    }
    assert_no_secret(&h, &[&token, &jane.email, NEW_PASSWORD, CLIENT_IP]);
}

#[test]
fn a_burnt_code_posts_secret_locked_and_a_spent_day_another() {
    let h = with_events(&[]);
    let jane = h.jane();
    let phone = jane.phone.clone().unwrap();
    let code = h.sms_code(&jane);
    for n in 0..5 {
        let wrong = wrong_code(&code, n);
        let answer = h.send(from_client(reset_mobile_request(
            &wrong,
            Some(&phone),
            NEW_PASSWORD,
        )));
        assert_eq!(error_codes(&answer), ["invalid_secret"]);
    }
    h.drain();
    let locked = the_event(&h, "secret.locked");
    assert_eq!(
        locked["data"],
        json!({
            "account": jane.id, "dialect": "auth_v1", "method": "sms",
            "ip_tag": client_tag(&h), "reason": "code_burnt",
        })
    );
    assert_no_secret(&h, &[&code, &phone, "7700900", CLIENT_IP]);

    // The account's day of failed guesses spent (here through its username, codes or none).
    for n in 5..pwreset_service::guard::DAILY_FAILED_GUESSES as u32 {
        let answer = h.send(from_client(reg_code_request("jane", &wrong_code(&code, n))));
        assert_eq!(answer.status, 400, "guess {n}");
    }
    h.drain();
    let reasons: Vec<Value> = event_bodies(&h)
        .into_iter()
        .filter(|b| b["type"] == "secret.locked")
        .map(|b| b["data"]["reason"].clone())
        .collect();
    assert_eq!(reasons, [json!("code_burnt"), json!("daily_guesses_spent")]);
}

#[test]
fn a_message_given_up_on_posts_message_dead_lettered() {
    let h = with_events(&[
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_API_KEY", "re_TestKey0123456789"),
        ("EMAIL_FROM", "Acme <no-reply@acme.test>"),
        ("EMAIL_BASE_URL", "http://127.0.0.1:1"),
    ]);
    let jane = h.jane();
    // The first request to any provider is the message's: refused for good.
    h.platform.http.push_status(422);
    let forgot = auth_post("/api/v1/auth/forgotpass", &json!({ "email": jane.email }));
    assert_eq!(h.send(from_client(forgot)).status, 200);
    h.drain();
    // The dead-letter queue's consumer queued the event; the work queue posts it.
    h.drain();
    let message_id = match &h.platform.dead_lettered()[..] {
        [Job::GaveUp { message, .. }] => message.id.clone(),
        other => panic!("{other:?}"),
    };
    let event = the_event(&h, "message.dead_lettered");
    assert_eq!(
        event["data"],
        json!({
            "account": jane.id, "dialect": "auth_v1", "method": "link",
            "ip_tag": client_tag(&h), "message_id": message_id, "channel": "email",
            "failure": "provider refused the message (status 422: the request was invalid)",
        })
    );
    let link = h.platform.http.requests()[0].body.clone();
    let token = link
        .split("token=")
        .nth(1)
        .map(|rest| rest[..64].to_owned())
        .unwrap();
    assert_no_secret(&h, &[&token, &jane.email, CLIENT_IP]);
}

// ---------------------------------------------------------------- delivery of events

#[test]
fn an_event_is_retried_on_5xx_and_dead_lettered_after_the_fifth_attempt() {
    let h = with_events(&[]);
    let jane = h.jane();
    for _ in 0..pwreset_service::delivery::MAX_ATTEMPTS {
        h.platform.http.push_status(500);
    }
    let started = h.platform.now().as_secs();
    h.reg_request("jane");
    h.drain();
    let posts = event_posts(&h);
    assert_eq!(posts.len(), 5, "five attempts");
    let ids: Vec<&str> = posts
        .iter()
        .map(|p| p.header("webhook-id").unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    // Each attempt signed afresh with its own timestamp, the body the same.
    for post in &posts {
        assert_signed(post);
        assert_eq!(post.body, posts[0].body);
    }
    // Backoff as for a message: 2 + 4 + 8 + 16 s.
    assert!(h.platform.now().as_secs() - started >= 30);
    match &h.platform.dead_lettered()[..] {
        [Job::EventGaveUp { event, reason }] => {
            assert_eq!(event.id, ids[0]);
            assert_eq!(event.data.account, jane.id);
            assert!(reason.contains("gave up after 5 attempts"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    let logs = h.platform.logs().join("\n");
    assert_eq!(
        logs.matches("\"event\":\"event_retry\"").count(),
        4,
        "{logs}"
    );
    assert!(logs.contains("\"event\":\"event_dead_letter\""), "{logs}");
    // The message itself was delivered (the outbox), and nothing is left to do.
    assert_eq!(h.outbox(&jane.email).len(), 1);
    assert_eq!(h.drain(), 0);
}

#[test]
fn an_event_that_fails_then_succeeds_is_posted_once_more_and_no_more() {
    let h = with_events(&[]);
    h.jane();
    h.platform.http.push_status(503).push(Ok(FetchedAnswer {
        status: 429,
        headers: vec![("Retry-After".into(), "7".into())],
        body: String::new(),
    }));
    h.reg_request("jane");
    h.drain();
    assert_eq!(event_posts(&h).len(), 3);
    assert!(h.platform.dead_lettered().is_empty());
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("\"event\":\"event_sent\""))
    );
}

#[test]
fn a_refused_event_is_dead_lettered_at_once() {
    let h = with_events(&[]);
    h.jane();
    h.platform.http.push_status(410);
    h.reg_request("jane");
    h.drain();
    assert_eq!(event_posts(&h).len(), 1);
    assert!(matches!(
        &h.platform.dead_lettered()[..],
        [Job::EventGaveUp { .. }]
    ));
}

#[test]
fn without_events_url_nothing_is_queued_or_posted() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_full_reset(&jane, NEW_PASSWORD);
    let code = h.sms_code(&jane);
    for n in 0..6 {
        h.reset_mobile(&wrong_code(&code, n), jane.phone.as_deref(), NEWER_PASSWORD);
    }
    h.drain();
    assert_eq!(h.platform.http.request_count(), 0);
    assert!(
        !h.platform
            .logs()
            .iter()
            .any(|l| l.contains("\"event\":\"event_")),
        "{:?}",
        h.platform.logs()
    );
    assert!(h.platform.dead_lettered().is_empty());
}

#[test]
fn events_url_is_https_outside_development_and_the_secret_a_standard_webhooks_one() {
    let problems = |changes: &[(&str, &str)]| -> Vec<String> {
        match service_from(&production_vars(changes)).config() {
            Ok(_) => Vec::new(),
            Err(problems) => problems.0.clone(),
        }
    };
    assert!(
        problems(&[
            ("EVENTS_URL", "https://app.example.test/hooks"),
            ("EVENTS_SECRET", EVENTS_SECRET)
        ])
        .is_empty()
    );
    let plain = problems(&[
        ("EVENTS_URL", "http://app.example.test/hooks"),
        ("EVENTS_SECRET", EVENTS_SECRET),
    ]);
    assert!(
        plain.len() == 1 && plain[0].starts_with("EVENTS_URL") && plain[0].contains("https://"),
        "{plain:?}"
    );
    for (secret, what) in [
        ("", "is required"),
        ("0123456789abcdef0123456789abcdef0123456789", "whsec_"),
        ("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRY=", "too short"),
        ("whsec_not-base64-at-all-0123456789abcdef", "not base64"),
    ] {
        let found = problems(&[
            ("EVENTS_URL", "https://app.example.test/hooks"),
            ("EVENTS_SECRET", secret),
        ]);
        assert!(
            found.len() == 1 && found[0].starts_with("EVENTS_SECRET") && found[0].contains(what),
            "{secret}: {found:?}"
        );
        if !secret.is_empty() {
            assert!(!found[0].contains(secret), "{found:?}");
        }
    }
    let bad_url = problems(&[
        ("EVENTS_URL", "ftp://app.example.test"),
        ("EVENTS_SECRET", EVENTS_SECRET),
    ]);
    assert!(
        !bad_url.is_empty() && bad_url.iter().all(|p| p.starts_with("EVENTS_URL")),
        "{bad_url:?}"
    );
    // Without a URL the secret is not read.
    assert!(problems(&[("EVENTS_SECRET", "nonsense")]).is_empty());
    let config = format!(
        "{:?}",
        service_from(&vars_with(&[
            ("EVENTS_URL", EVENTS_URL),
            ("EVENTS_SECRET", EVENTS_SECRET)
        ]))
        .config()
        .unwrap()
        .events
    );
    assert!(
        !config.contains(&EVENTS_SECRET[6..]) && !config.contains("src=test"),
        "{config}"
    );
}

/// Events are queued best effort, once what they report is settled: a failed enqueue of one is
/// logged and the reset goes through, its secret used once.
#[test]
fn a_failed_event_enqueue_never_fails_a_reset_nor_leaves_a_secret_half_used() {
    let prepare = || {
        let h = with_events(&[]);
        let jane = h.jane();
        let payload = h.reg_payload(&jane);
        (h, jane, payload)
    };
    let (h, _, payload) = prepare();
    let recorder = Faulty::new(&h.platform);
    let request = reg_reset_request("jane", &payload, NEW_PASSWORD);
    assert_eq!(block_on(h.service.handle(&recorder, request)).status, 200);
    let enqueues: Vec<usize> = recorder
        .calls()
        .iter()
        .enumerate()
        .filter(|(_, call)| **call == "enqueue")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        enqueues.len(),
        2,
        "the notice and the event: {:?}",
        recorder.calls()
    );
    for index in enqueues {
        for fault in Fault::ALL {
            let (h, jane, payload) = prepare();
            let faulty = Faulty::failing(&h.platform, index, fault);
            let request = reg_reset_request("jane", &payload, NEW_PASSWORD);
            let answer: Response = block_on(h.service.handle(&faulty, request.clone()));
            assert_eq!(answer.status, 200, "{fault:?} {index}: {}", text(&answer));
            let stored = block_on(h.platform.account(&jane.id)).unwrap().unwrap();
            assert!(verify_password(NEW_PASSWORD, &stored.password_hash).unwrap());
            // Used once: the same payload is refused now.
            assert_eq!(h.send(request).status, 401);
            if fault == Fault::Error {
                let logs = h.platform.logs().join("\n");
                assert!(
                    logs.contains("event_not_queued") || logs.contains("notice_not_queued"),
                    "{logs}"
                );
            }
        }
    }
}

/// A reset request's job announces `password.reset_requested` once it is settled: whichever of
/// its platform calls fails (before or after taking effect) and the queue runs it again, the event
/// is posted once, or (when the failed call was the event's own enqueue) not at all, never twice.
#[test]
fn a_retried_reset_request_announces_itself_at_most_once() {
    use pwreset_service::model::job::JobOutcome;
    use pwreset_service::model::job::ResetVia;
    use pwreset_service::queue;
    for (via, identifier) in [
        (ResetVia::EmailCode, "jane"),
        (ResetVia::EmailLink, "jane@example.com"),
        (ResetVia::SmsCode, "+447700900456"),
        (ResetVia::SmsLink, "+447700900456"),
    ] {
        let job = reset_job(via, identifier);
        let recorder_home = with_events(&[]);
        recorder_home.jane();
        let recorder = Faulty::new(&recorder_home.platform);
        let cfg = recorder_home.service.config().unwrap();
        assert_eq!(
            block_on(queue::run_job(&recorder, cfg, job.clone())),
            JobOutcome::Done
        );
        let calls = recorder.calls();
        for (index, call) in calls.iter().enumerate() {
            for fault in Fault::ALL {
                let h = with_events(&[]);
                h.jane();
                let cfg = h.service.config().unwrap();
                let faulty = Faulty::failing(&h.platform, index, fault);
                if block_on(queue::run_job(&faulty, cfg, job.clone())) == JobOutcome::Retry {
                    // The queue offers it again.
                    assert_eq!(
                        block_on(queue::run_job(&h.platform, cfg, job.clone())),
                        JobOutcome::Done
                    );
                }
                h.drain();
                let announced = event_bodies(&h)
                    .iter()
                    .filter(|b| b["type"] == "password.reset_requested")
                    .count();
                let may_be_lost = fault == Fault::Error && *call == "enqueue";
                assert!(
                    announced == 1 || (may_be_lost && announced == 0),
                    "{via:?}, {fault:?} in call {index} ({call}): announced {announced} times"
                );
            }
        }
    }
}

// ---------------------------------------------------------------- secret_exhausted

/// Everything a client sees of an answer.
fn observable(response: &Response) -> (u16, Vec<(String, String)>, String) {
    (response.status, response.headers.clone(), text(response))
}

#[test]
fn a_code_tried_after_its_tries_are_spent_answers_secret_exhausted_alike_for_an_unknown_name() {
    let h = Harness::new();
    let jane = h.jane();
    assert_eq!(h.reg_request("jane").status, 200);
    assert_eq!(h.reg_request("ghost").status, 200);
    h.drain();
    let code = h.latest_code(&jane.email);
    for n in 0..5 {
        let known = h.reg_code("jane", &wrong_code(&code, n));
        let unknown = h.reg_code("ghost", &wrong_code(&code, n));
        assert_eq!(error_codes(&known), ["invalid_secret"], "try {n}");
        assert_eq!(observable(&known), observable(&unknown), "try {n}");
    }
    // The sixth try, the right code: the tries are spent, for the account and the unknown name.
    let known = h.reg_code("jane", &code);
    let unknown = h.reg_code("ghost", &code);
    assert_eq!(known.status, 400);
    assert_eq!(error_codes(&known), ["secret_exhausted"]);
    assert_eq!(error_fields(&known), ["code"]);
    assert_eq!(
        known.json_body()["errors"][0]["message"],
        "This code was tried too many times. Ask for a new code."
    );
    assert_eq!(observable(&known), observable(&unknown));
    let again = h.reg_code("jane", &wrong_code(&code, 9));
    assert_eq!(
        observable(&again),
        observable(&h.reg_code("ghost", "000000"))
    );
    // In the requester's language.
    let german = h.send(reg_code_request("ghost", "123456").header("accept-language", "de"));
    assert_eq!(
        german.json_body()["errors"][0]["message"],
        "Dieser Code wurde zu oft falsch eingegeben. Fordern Sie einen neuen Code an."
    );
    let spanish = h.send(reg_code_request("jane", "123456").header("accept-language", "es-MX"));
    assert_eq!(
        spanish.json_body()["errors"][0]["message"],
        "Este código se ha probado demasiadas veces. Pide un código nuevo."
    );

    // A new code asked for: fresh tries, for both.
    h.reg_request("jane");
    h.reg_request("ghost");
    h.drain();
    let code = h.latest_code(&jane.email);
    let known = h.reg_code("jane", &wrong_code(&code, 1));
    let unknown = h.reg_code("ghost", &wrong_code(&code, 1));
    assert_eq!(error_codes(&known), ["invalid_secret"]);
    assert_eq!(observable(&known), observable(&unknown));
    assert_eq!(h.reg_code("jane", &code).status, 200);

    // Once the code asked for would have expired, the count is gone too.
    for n in 0..6 {
        h.reg_code("ghost", &wrong_code(&code, n));
    }
    assert_eq!(
        error_codes(&h.reg_code("ghost", "000000")),
        ["secret_exhausted"]
    );
    h.platform.advance(601);
    assert_eq!(
        error_codes(&h.reg_code("ghost", "000000")),
        ["invalid_secret"]
    );
}

#[test]
fn with_no_code_asked_for_every_try_is_invalid_secret_for_accounts_and_unknown_names() {
    let h = Harness::new();
    h.jane();
    for n in 0..8 {
        let known = h.reg_code("jane", &wrong_code("", n));
        let unknown = h.reg_code("nobody", &wrong_code("", n));
        assert_eq!(error_codes(&known), ["invalid_secret"], "try {n}");
        assert_eq!(observable(&known), observable(&unknown));
    }
}

#[test]
fn dialect_b_with_the_phone_answers_secret_exhausted_alike_for_an_unknown_phone() {
    let h = Harness::new();
    let jane = h.jane();
    let phone = jane.phone.clone().unwrap();
    let unknown_phone = "+447700900999";
    assert_eq!(h.forgot_mobile(&phone).status, 200);
    assert_eq!(h.forgot_mobile(unknown_phone).status, 200);
    h.drain();
    let code = h.latest_code(&phone);
    for n in 0..5 {
        let known = h.reset_mobile(&wrong_code(&code, n), Some(&phone), NEW_PASSWORD);
        let unknown = h.reset_mobile(&wrong_code(&code, n), Some(unknown_phone), NEW_PASSWORD);
        assert_eq!(error_codes(&known), ["invalid_secret"]);
        assert_eq!(observable(&known), observable(&unknown));
    }
    let known = h.reset_mobile(&code, Some(&phone), NEW_PASSWORD);
    let unknown = h.reset_mobile(&code, Some(unknown_phone), NEW_PASSWORD);
    assert_eq!(error_codes(&known), ["secret_exhausted"]);
    assert_eq!(error_fields(&known), ["token"]);
    assert_eq!(observable(&known), observable(&unknown));
    let stored = block_on(h.platform.account(&jane.id)).unwrap().unwrap();
    assert!(verify_password(OLD_PASSWORD, &stored.password_hash).unwrap());
    // Without the phone the burnt code is no live code: as any unknown code.
    let phoneless = h.reset_mobile(&code, None, NEW_PASSWORD);
    assert_eq!(error_codes(&phoneless), ["invalid_secret"]);
}

/// The count is per identifier: tries through another identifier of the same account change
/// nothing, exactly as tries at another name would, so `secret_exhausted` never tells which
/// identifiers belong together.
#[test]
fn tries_through_one_identifier_never_spend_anothers() {
    let h = Harness::new();
    let jane = h.jane();
    // Asked for through the address; every wrong try through the username.
    h.reg_request(&jane.email);
    h.reg_request("ghost@example.com");
    h.drain();
    let code = h.latest_code(&jane.email);
    for n in 0..6 {
        let known = h.reg_code("jane", &wrong_code(&code, n));
        let unknown = h.reg_code("ghost", &wrong_code(&code, n));
        assert_eq!(error_codes(&known), ["invalid_secret"], "try {n}");
        assert_eq!(observable(&known), observable(&unknown));
    }
    // The code burnt at the fifth; through the address, which spent no tries, it is a wrong code.
    let known = h.reg_code(&jane.email, &code);
    let unknown = h.reg_code("ghost@example.com", &code);
    assert_eq!(error_codes(&known), ["invalid_secret"]);
    assert_eq!(observable(&known), observable(&unknown));
}

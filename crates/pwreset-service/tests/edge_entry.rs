//! What the Worker hands the service and gets back, natively: a request as read off the wire
//! (`api::edge`: the answer headers, the client's address, the oversize body's stand-in, an
//! unreadable URL) and a queue batch's bodies (`Service::consume_batch`: unreadable messages,
//! retries and their delay, the dead-letter queue). The Worker only translates between these and
//! workers-rs' types.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_service::api::edge::{
    ANSWER_HEADERS, BODY_READ_LIMIT, UNKNOWN_CLIENT_IP, WireRequest, client_ip, reads_body,
    request, request_body,
};
use pwreset_service::api::router::ROUTES;
use pwreset_service::model::http::MAX_BODY_BYTES;
use pwreset_service::model::job::{Job, ResetVia};
use pwreset_service::ports::LimitRule;
use pwreset_service::queue::{
    DEAD_LETTER_QUEUE, Decision, JOB_RETRY_DELAY_SECS, JOBS_QUEUE, unreadable_batch,
};
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::testing::memory::MemoryPlatform;
use pwreset_service::{Method, Response, Service};
use serde_json::{Value, json};

/// A request as the Worker reads it: `target` is the path and query, `body` the bytes it read.
fn wire(method: &str, target: &str, headers: &[(&str, &str)], body: &[u8]) -> WireRequest {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    WireRequest {
        method: method.to_owned(),
        url: Some((path.to_owned(), query.to_owned())),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_vec(),
    }
}

fn send_wire(h: &Harness, request: WireRequest) -> Response {
    block_on(h.service.handle_wire(&h.platform, request))
}

/// Asserts that `answer` carries each of [`ANSWER_HEADERS`] exactly once, with its value.
fn assert_answer_headers(answer: &Response, what: &str) {
    for (name, value) in ANSWER_HEADERS {
        let copies: Vec<&str> = answer
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(copies, [value], "{what}: {name}");
    }
}

// ---------------------------------------------------------------- HTTP

#[test]
fn every_answer_carries_nosniff_and_no_referrer_once() {
    let h = Harness::new();
    let cfg = h.service.config().unwrap();
    let json_type = ("content-type", "application/json");
    let mut seen = 0;
    for spec in ROUTES {
        let path = spec.full_path(cfg);
        for method in ["GET", "HEAD", "POST", "OPTIONS", "PUT"] {
            let headers = [
                json_type,
                ("client_id", CLIENT_ID),
                ("origin", ORIGIN),
                ("apikey", API_KEY),
            ];
            let answer = send_wire(&h, wire(method, &path, &headers, b"{}"));
            assert_answer_headers(&answer, &format!("{method} {path} ({})", answer.status));
            seen += 1;
        }
    }
    assert!(seen >= ROUTES.len() * 5);
    // The reset page sets both itself: still one copy each.
    let page = send_wire(
        &h,
        wire("GET", &format!("/reset?token={}", "a".repeat(64)), &[], b""),
    );
    assert_eq!(page.status, 200, "{}", text(&page));
    assert_answer_headers(&page, "the reset page");
    for (what, answer) in [
        (
            "404",
            send_wire(&h, wire("GET", "/no/such/route", &[], b"")),
        ),
        ("405", send_wire(&h, wire("GET", "/admin/users", &[], b""))),
        (
            "413",
            send_wire(
                &h,
                wire(
                    "POST",
                    "/admin/users",
                    &[json_type, ("content-length", "99999")],
                    b"",
                ),
            ),
        ),
    ] {
        assert_answer_headers(&answer, what);
    }
    // A service whose configuration is invalid answers a bare 503, with them too.
    let broken = Service::from_vars(&|_| None);
    assert!(broken.config().is_err());
    let answer = block_on(broken.handle_wire(&h.platform, wire("GET", "/openapi.json", &[], b"")));
    assert_eq!(answer.status, 503);
    assert_answer_headers(&answer, "503");
}

#[test]
fn an_unreadable_url_gets_a_400_in_the_error_shape_with_the_answer_headers() {
    let h = Harness::new();
    let mut request = wire("GET", "/", &[], b"");
    request.url = None;
    let answer = send_wire(&h, request);
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.json_body(),
        json!({ "error": "bad_request", "message": "The request URL is unreadable." })
    );
    assert_eq!(
        answer.header_value("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(answer.header_value("cache-control"), Some("no-store"));
    assert_answer_headers(&answer, "400");
}

#[test]
fn the_client_address_is_cf_connecting_ip_else_unknown() {
    let named = [("CF-Connecting-IP".to_owned(), "203.0.113.7".to_owned())];
    assert_eq!(client_ip(&named), "203.0.113.7");
    assert_eq!(client_ip(&[]), UNKNOWN_CLIENT_IP);
    assert_eq!(UNKNOWN_CLIENT_IP, "unknown");
    let read = request(wire(
        "GET",
        "/x?a=1",
        &[("cf-connecting-ip", "192.0.2.1")],
        b"",
    ))
    .unwrap();
    assert_eq!(read.client_ip, "192.0.2.1");
    assert_eq!((read.path.as_str(), read.query.as_str()), ("/x", "a=1"));
    assert_eq!(read.method, Method::Get);

    // Requests without the header share one key of the per-address limits.
    let h = Harness::new();
    h.platform.set_limit(LimitRule::RequestPerIp, 1);
    let ask = |name: &str, headers: &[(&str, &str)]| {
        let body = json!({ "username": name }).to_string();
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        send_wire(
            &h,
            wire(
                "POST",
                "/reg/user/resetPasswordRequest",
                &all,
                body.as_bytes(),
            ),
        )
        .status
    };
    assert_eq!(ask("a", &[]), 200);
    assert_eq!(
        ask("b", &[]),
        429,
        "a second request from the unknown address"
    );
    assert_eq!(ask("c", &[("cf-connecting-ip", "198.51.100.4")]), 200);
    assert_eq!(ask("d", &[("cf-connecting-ip", "198.51.100.4")]), 429);
    assert_eq!(ask("e", &[("cf-connecting-ip", "198.51.100.5")]), 200);
}

#[test]
fn a_body_declared_too_large_is_left_unread_and_refused_as_too_large() {
    let declared = |n: usize| vec![("content-length".to_owned(), n.to_string())];
    // Only a POST's body is read, and not one declared too large.
    assert!(reads_body("POST", &declared(MAX_BODY_BYTES)));
    assert!(reads_body("post", &[]), "no length declared: read, capped");
    assert!(!reads_body("POST", &declared(MAX_BODY_BYTES + 1)));
    assert!(!reads_body("GET", &declared(10)));
    assert!(!reads_body("PUT", &[]));
    // What the routes see.
    let stand_in = request_body(Method::Post, &declared(1 << 30), Vec::new());
    assert_eq!(stand_in, vec![b' '; BODY_READ_LIMIT]);
    assert_eq!(BODY_READ_LIMIT, MAX_BODY_BYTES + 1);
    let capped = request_body(Method::Post, &[], vec![b'x'; BODY_READ_LIMIT + 50]);
    assert_eq!(capped.len(), BODY_READ_LIMIT);
    assert_eq!(
        request_body(Method::Post, &declared(2), b"{}".to_vec()),
        b"{}"
    );
    assert!(request_body(Method::Get, &[], b"{}".to_vec()).is_empty());
    assert!(request_body(Method::Other, &declared(1 << 30), Vec::new()).is_empty());

    // Each route refuses the stand-in as it refuses a body that is too large.
    let h = Harness::new();
    let routes: [(&str, &[(&str, &str)]); 4] = [
        ("/reg/user/resetPasswordRequest", &[]),
        (
            "/api/v1/auth/forgotpass",
            &[("client_id", CLIENT_ID), ("origin", ORIGIN)],
        ),
        ("/api/v1/user/forgot-password/", &[("apikey", API_KEY)]),
        (
            "/admin/users",
            &[("authorization", "Bearer admin-token-0123456789abcdefghij")],
        ),
    ];
    for (path, extra) in routes {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("content-length", "20000"),
        ];
        headers.extend_from_slice(extra);
        let unread = send_wire(&h, wire("POST", path, &headers, b""));
        assert_eq!(unread.status, 413, "{path}: {}", text(&unread));
        headers[1] = ("content-length", "16385");
        let read = send_wire(
            &h,
            wire("POST", path, &headers, &[b'x'; MAX_BODY_BYTES + 1]),
        );
        assert_eq!(unread, read, "{path}");
    }
}

// ---------------------------------------------------------------- queue

fn body(job: &Job) -> Value {
    serde_json::to_value(job).unwrap()
}

fn events(platform: &MemoryPlatform) -> Vec<Value> {
    platform
        .logs()
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

#[test]
fn an_unreadable_message_is_acknowledged_and_logged_and_the_rest_of_its_batch_runs() {
    let h = Harness::new();
    h.jane();
    let bodies = vec![
        json!({ "job": "no_such_job" }),
        body(&reset_job(ResetVia::EmailCode, "jane")),
        json!("not even an object"),
    ];
    let decisions = block_on(h.service.consume_batch(&h.platform, JOBS_QUEUE, bodies));
    assert_eq!(decisions, [Decision::Ack; 3]);
    let events = events(&h.platform);
    let unreadable = events
        .iter()
        .filter(|e| e["event"] == "queue_message_unreadable")
        .count();
    assert_eq!(unreadable, 2);
    assert!(events.iter().any(|e| e["event"] == "reset_requested"));
    assert_eq!(h.platform.outbox_all().len(), 1, "jane's code was sent");
}

#[test]
fn a_job_whose_platform_call_fails_is_retried_after_the_delay() {
    let h = Harness::new();
    let job = body(&reset_job(ResetVia::EmailCode, "jane"));
    // Its first platform call fails.
    let faulty = Faulty::failing(&h.platform, 0, Fault::Error);
    let decisions = block_on(
        h.service
            .consume_batch(&faulty, JOBS_QUEUE, vec![job.clone()]),
    );
    assert!(faulty.injected());
    assert_eq!(
        decisions,
        [Decision::Retry {
            delay_seconds: JOB_RETRY_DELAY_SECS
        }]
    );
    assert_eq!(JOB_RETRY_DELAY_SECS, 10);
    assert!(
        events(&h.platform)
            .iter()
            .any(|e| e["event"] == "job_failed")
    );
    // While the configuration is invalid, every job waits the same.
    let broken = Service::from_vars(&|_| None);
    let decisions = block_on(broken.consume_batch(&h.platform, JOBS_QUEUE, vec![job]));
    assert_eq!(
        decisions,
        [Decision::Retry {
            delay_seconds: JOB_RETRY_DELAY_SECS
        }]
    );
}

#[test]
fn a_batch_that_cannot_be_read_is_logged_and_offered_again_at_once() {
    let platform = MemoryPlatform::new(NOW);
    assert_eq!(
        unreadable_batch(&platform, "bad bytes"),
        Decision::Retry { delay_seconds: 0 }
    );
    let events = events(&platform);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["event"], "queue_batch_unreadable");
    assert_eq!(events[0]["reason"], "bad bytes");
}

#[test]
fn the_dead_letter_queue_keeps_each_kind_of_job_and_acknowledges_it() {
    let h = Harness::new();
    let request = reset_job(ResetVia::SmsCode, "+447700900456");
    let decisions = block_on(h.service.consume_batch(
        &h.platform,
        DEAD_LETTER_QUEUE,
        vec![body(&request), json!({ "job": "garbled" })],
    ));
    assert_eq!(decisions, [Decision::Ack, Decision::Ack]);
    let events = events(&h.platform);
    let letter = events
        .iter()
        .find(|e| e["event"] == "reset_request_dead_letter")
        .expect("logged");
    assert_eq!(letter["stored"], true);
    assert_eq!(letter["via"], "sms_code");
    assert!(letter["to"].as_str().unwrap().starts_with("identifier "));
    assert!(!letter.to_string().contains("7700900456"));
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "queue_message_unreadable")
    );
    // The same job on the work queue is work, not a letter.
    let h = Harness::new();
    block_on(
        h.service
            .consume_batch(&h.platform, JOBS_QUEUE, vec![body(&request)]),
    );
    assert!(
        !self::events(&h.platform)
            .iter()
            .any(|e| e["event"] == "reset_request_dead_letter")
    );
}

#[test]
fn draining_the_memory_queue_is_consuming_batches() {
    // Twelve requests: more than a batch; each account's code goes out once.
    let h = Harness::new();
    let names: Vec<String> = (0..12).map(|i| format!("user{i:02}")).collect();
    for name in &names {
        h.create_user(name, &format!("{name}@example.com"), None);
        let answer = h.send(post(
            "/reg/user/resetPasswordRequest",
            &json!({ "username": name }),
        ));
        assert_eq!(answer.status, 200);
    }
    assert!(h.platform.queued() >= names.len());
    assert!(h.drain() >= names.len());
    assert_eq!(h.platform.queued(), 0);
    let outbox = h.platform.outbox_all();
    for name in &names {
        let to = format!("{name}@example.com");
        assert_eq!(outbox.iter().filter(|m| m.to == to).count(), 1, "{to}");
    }
}

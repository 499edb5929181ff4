//! Fault injection over every password-setting flow: each flow runs once to learn the platform
//! calls it makes, then again failing each of those calls in turn, as an error (no effect) and as
//! a timeout (the effect happened, the answer was lost). After every run:
//! - the answer is a success or a clear `503`, never another 5xx;
//! - the password is either the old one or the new one, and a success means the new one;
//! - nothing was used up unless the password really changed: the same request succeeds when
//!   repeated without the fault, and is refused once the password has changed;
//! - a fresh reset of the account then succeeds.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_core::password_hash::verify_password;
use pwreset_service::guard::CHANGE_LEASE_SECS;
use pwreset_service::ports::Accounts;
use pwreset_service::testing::faults::{Fault, Faulty};
use pwreset_service::testing::user_service::MemoryUserService;
use pwreset_service::{Method, Request, Response};
use serde_json::json;

/// The password each faulted request sets: every dialect's policy (dialect C's asks for each
/// character class) accepts it.
const NEW: &str = "Amber#Falcon-River58";
/// Where dialect C's signed-in change starts from.
const SIGNED_IN: &str = "Quiet#Lantern-Meadow93";
/// A third password, for the fresh reset after the faulted one.
const THIRD_PASSWORD: &str = "Copper#Willow-Canyon17";

/// A password-setting flow: `prepare` gets the account a secret (or a session) without faults
/// and returns the request that sets [`NEW`] and the password it replaces.
struct Flow {
    name: &'static str,
    prepare: fn(&Harness, &User) -> (Request, &'static str),
}

fn payload_reset(h: &Harness, jane: &User) -> (Request, &'static str) {
    let payload = h.reg_payload(jane);
    let request = reg_reset_request(&jane.username, &payload, NEW);
    (request, OLD_PASSWORD)
}

fn link_reset(h: &Harness, jane: &User) -> (Request, &'static str) {
    let token = h.link_token(jane);
    (reset_link_request(&token, NEW), OLD_PASSWORD)
}

fn code_reset_with_phone(h: &Harness, jane: &User) -> (Request, &'static str) {
    let code = h.sms_code(jane);
    let request = reset_mobile_request(&code, jane.phone.as_deref(), NEW);
    (request, OLD_PASSWORD)
}

fn code_reset_without_phone(h: &Harness, jane: &User) -> (Request, &'static str) {
    let code = h.sms_code(jane);
    (reset_mobile_request(&code, None, NEW), OLD_PASSWORD)
}

fn user_submit(h: &Harness, jane: &User) -> (Request, &'static str) {
    let (user, token) = h.user_link(jane);
    let request = with_api_key(post(
        &format!("{USER_API}/forgot-password-submit/"),
        &json!({ "user": user, "token": token, "new_password": NEW }),
    ));
    (request, OLD_PASSWORD)
}

fn user_change(h: &Harness, jane: &User) -> (Request, &'static str) {
    let token = h.reg_full_reset(jane, SIGNED_IN);
    let request = with_api_key(
        post(
            &format!("{USER_API}/profile/change-password/"),
            &json!({
                "old_password": SIGNED_IN,
                "new_password": NEW,
                "confirm_password": NEW,
            }),
        )
        .header("authorization", &format!("Bearer {token}")),
    );
    (request, SIGNED_IN)
}

fn page_form(fields: &[(&str, &str)]) -> Request {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut request = Request::new(Method::Post, "/reset")
        .header("content-type", "application/x-www-form-urlencoded");
    request.body = body.into_bytes();
    request
}

fn page_with_token(h: &Harness, jane: &User) -> (Request, &'static str) {
    let token = h.link_token(jane);
    let fields = [
        ("token", token.as_str()),
        ("password", NEW),
        ("password_confirm", NEW),
    ];
    (page_form(&fields), OLD_PASSWORD)
}

fn page_with_user_and_token(h: &Harness, jane: &User) -> (Request, &'static str) {
    let (user, token) = h.user_link(jane);
    let fields = [
        ("user", user.as_str()),
        ("token", token.as_str()),
        ("password", NEW),
        ("password_confirm", NEW),
    ];
    (page_form(&fields), OLD_PASSWORD)
}

const FLOWS: [Flow; 8] = [
    Flow {
        name: "dialect A: signed payload",
        prepare: payload_reset,
    },
    Flow {
        name: "dialect B: link",
        prepare: link_reset,
    },
    Flow {
        name: "dialect B: SMS code with the phone",
        prepare: code_reset_with_phone,
    },
    Flow {
        name: "dialect B: SMS code without the phone",
        prepare: code_reset_without_phone,
    },
    Flow {
        name: "dialect C: forgot-password-submit",
        prepare: user_submit,
    },
    Flow {
        name: "dialect C: change-password",
        prepare: user_change,
    },
    Flow {
        name: "reset page: token",
        prepare: page_with_token,
    },
    Flow {
        name: "reset page: user and token",
        prepare: page_with_user_and_token,
    },
];

/// Where the accounts live.
#[derive(Clone, Copy, Debug)]
enum Store {
    /// The platform's own directory (KV on the edge).
    Own,
    /// The application's user service over signed HTTP.
    UserService,
}

impl Store {
    fn harness(self) -> Harness {
        match self {
            Store::Own => Harness::new(),
            Store::UserService => Harness::with(&[
                ("USER_DIRECTORY_URL", MemoryUserService::URL),
                ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
            ]),
        }
    }
}

/// Whether the account's stored password is `password`, wherever it is stored.
fn password_is(h: &Harness, jane: &User, password: &str) -> bool {
    let hash = match block_on(h.platform.account(&jane.id)).expect("the store reads") {
        Some(account) => account.password_hash,
        None => h
            .platform
            .user_service
            .account(&jane.id)
            .expect("the account exists")["password_hash"]
            .as_str()
            .expect("a hash")
            .to_owned(),
    };
    verify_password(password, &hash).unwrap_or(false)
}

/// A success: every flow, the page included, answers 200 only when the password changed.
fn succeeded(answer: &Response) -> bool {
    answer.status == 200
}

/// A fresh reset by e-mailed link, to [`THIRD_PASSWORD`].
fn fresh_reset_succeeds(h: &Harness, jane: &User, context: &str) {
    let token = h.link_token(jane);
    let answer = h.send(reset_link_request(&token, THIRD_PASSWORD));
    assert_eq!(
        answer.status,
        200,
        "{context}: fresh reset: {}",
        text(&answer)
    );
    assert!(password_is(h, jane, THIRD_PASSWORD), "{context}");
}

/// Runs `flow` failing call `index` with `fault`; checks every promise.
fn run_with_fault(store: Store, flow: &Flow, index: usize, fault: Fault) -> &'static str {
    let h = store.harness();
    let jane = h.jane();
    let (request, old) = (flow.prepare)(&h, &jane);
    let faulty = Faulty::failing(&h.platform, index, fault);
    let answer = block_on(h.service.handle(&faulty, request.clone()));
    let call = faulty.calls()[index];
    let context = format!(
        "{store:?}: {}: {fault:?} in call {index} ({call})",
        flow.name
    );

    assert!(
        answer.status < 500 || answer.status == 503,
        "{context}: answered {}: {}",
        answer.status,
        text(&answer)
    );
    let is_old = password_is(&h, &jane, old);
    let is_new = password_is(&h, &jane, NEW);
    assert!(is_old != is_new, "{context}: old {is_old}, new {is_new}");
    if answer.status == 503 {
        assert!(is_old, "{context}: a 503 must leave the password as it was");
    } else {
        assert!(is_new, "{context}: {} without the change", answer.status);
    }

    // A change whose outcome the flow could not learn stays pending for its lease (nothing is
    // used meanwhile, and the account answers "try again"); past it, it has settled either way.
    if answer.status == 503 {
        let wait: u64 = answer
            .header_value("retry-after")
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{context}: a 503 without retry-after"));
        assert!(wait <= CHANGE_LEASE_SECS, "{context}: retry-after {wait}");
        h.platform.advance(CHANGE_LEASE_SECS);
    }
    let again = h.send(request);
    if is_old {
        assert!(
            succeeded(&again) && password_is(&h, &jane, NEW),
            "{context}: the secret was used up without a change: {} {}",
            again.status,
            text(&again)
        );
    } else {
        assert!(
            (400..500).contains(&again.status),
            "{context}: the used secret was not refused: {} {}",
            again.status,
            text(&again)
        );
    }
    fresh_reset_succeeds(&h, &jane, &context);
    call
}

/// Every flow, failing each of its calls in turn as each kind of fault.
fn every_flow_survives_any_failure(store: Store, must_call: &str) {
    for flow in &FLOWS {
        // The calls the flow makes when nothing fails.
        let h = store.harness();
        let jane = h.jane();
        let (request, _) = (flow.prepare)(&h, &jane);
        let recorder = Faulty::new(&h.platform);
        let answer = block_on(h.service.handle(&recorder, request));
        assert!(succeeded(&answer), "{}: {}", flow.name, text(&answer));
        assert!(password_is(&h, &jane, NEW), "{}", flow.name);
        let calls = recorder.calls();
        assert!(calls.contains(&"guard"), "{}: {calls:?}", flow.name);
        assert!(calls.contains(&must_call), "{}: {calls:?}", flow.name);
        for index in 0..calls.len() {
            for fault in Fault::ALL {
                run_with_fault(store, flow, index, fault);
            }
        }
    }
}

#[test]
fn every_password_setting_flow_survives_any_failed_call_with_accounts_in_kv() {
    every_flow_survives_any_failure(Store::Own, "kv_put");
}

#[test]
fn every_password_setting_flow_survives_any_failed_call_with_the_user_service() {
    // The user service is reached through `fetch`: /lookup, /set-password, /revoke-sessions.
    every_flow_survives_any_failure(Store::UserService, "fetch");
}

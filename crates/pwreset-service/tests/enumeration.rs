//! What an unknown name costs and answers, against a known one: the limits count before anything
//! looks an account up, and the lookups an attacker can time cost the same storage reads.

mod common;

use common::*;
use pwreset_service::ports::LimitRule;
use serde_json::json;

fn forgot_password(h: &Harness, identifier: &str) -> u16 {
    let request = with_api_key(post(
        &format!("{USER_API}/forgot-password/"),
        &json!({ "email": identifier }),
    ));
    h.send(from_ip(request, "203.0.113.9")).status
}

#[test]
fn the_reveal_switch_answers_no_more_than_the_request_limits_allow() {
    let h = Harness::with(&[("USER_API_REVEAL_ACCOUNTS", "on")]);
    h.platform.set_limit(LimitRule::RequestPerIp, 5);
    let statuses: Vec<u16> = (0..10)
        .map(|n| forgot_password(&h, &format!("ghost-{n}@example.com")))
        .collect();
    assert_eq!(
        statuses[..5],
        [401; 5],
        "the switch reveals, within the limit"
    );
    assert_eq!(statuses[5..], [429; 5], "past it, nothing is looked up");
}

/// The platform calls a request makes, by name.
fn calls_of(h: &Harness, request: pwreset_service::Request) -> Vec<&'static str> {
    let recorder = pwreset_service::testing::faults::Faulty::new(&h.platform);
    futures_executor::block_on(h.service.handle(&recorder, request));
    recorder.calls()
}

#[test]
fn a_shared_address_costs_the_platform_calls_of_one_account_and_of_none() {
    let h = Harness::new();
    h.create_user("solo", "solo@example.com", None);
    for n in 0..6 {
        h.create_user(&format!("shared-{n}"), "shared@example.com", None);
    }
    let code_step = |identifier: &str| calls_of(&h, reg_code_request(identifier, "123456"));
    let unknown = code_step("nobody@example.com");
    assert_eq!(code_step("solo@example.com"), unknown);
    assert_eq!(code_step("shared@example.com"), unknown);
    // The username's index and its stand-in, then the address's index and its one record (or
    // its stand-in): four reads, however many accounts share the address.
    let reads = unknown.iter().filter(|c| **c == "kv_get").count();
    assert_eq!(reads, 4, "{unknown:?}");

    let h = Harness::with(&[("USER_API_REVEAL_ACCOUNTS", "on")]);
    h.create_user("solo", "solo@example.com", None);
    for n in 0..6 {
        h.create_user(&format!("shared-{n}"), "shared@example.com", None);
    }
    let reveal = |identifier: &str| {
        let request = with_api_key(post(
            &format!("{USER_API}/forgot-password/"),
            &json!({ "email": identifier }),
        ));
        calls_of(&h, request)
    };
    let unknown = reveal("nobody@example.com");
    assert_eq!(reveal("shared@example.com"), unknown);
}

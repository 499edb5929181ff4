//! What an unknown name costs and answers, against a known one: the limits count before anything
//! looks an account up, and the lookups an attacker can time cost the same storage reads.

mod common;

use common::*;
use pwreset_service::platform::LimitRule;
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
    assert_eq!(statuses[..5], [401; 5], "the switch reveals, within the limit");
    assert_eq!(statuses[5..], [429; 5], "past it, nothing is looked up");
}

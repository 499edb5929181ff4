//! The Pwned Passwords check through the router, on the in-memory platform's fake range API: a
//! breached password is refused with `password_breached` (the secret stays usable), only a hash
//! prefix leaves, and an unreachable API fails closed (`503`) or open (accepted, logged) as
//! configured.

mod common;

use common::*;

const BREACHED: &str = "Correct-horse-breached-42";

fn with_check(mode: &str) -> Harness {
    let h = Harness::with(&[("BREACHED_CHECK", mode)]);
    h.platform.add_breached(BREACHED);
    h
}

#[test]
fn a_breached_password_is_refused_and_the_link_stays_usable() {
    let h = with_check("fail-closed");
    let jane = h.jane();
    let token = h.link_token(&jane);
    let refused = h.reset_link(&token, BREACHED, BREACHED);
    assert_eq!(refused.status, 400);
    assert!(
        error_codes(&refused).contains(&"password_breached".to_owned()),
        "{}",
        text(&refused)
    );
    // Only the first five hex digits of the SHA-1 went to the range API.
    let asked = h.platform.range_requests();
    assert_eq!(asked.len(), 1);
    let prefix = asked[0].rsplit('/').next().unwrap();
    assert_eq!(prefix.len(), 5, "{asked:?}");
    assert!(!asked[0].contains(BREACHED));
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

#[test]
fn an_unreachable_range_api_fails_closed_or_open_as_configured() {
    let h = with_check("fail-closed");
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.platform.set_range_down(true);
    assert_json_status(&h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD), 503);
    h.platform.set_range_down(false);
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);

    let h = with_check("fail-open");
    let jane = h.jane();
    let token = h.link_token(&jane);
    h.platform.set_range_down(true);
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
}

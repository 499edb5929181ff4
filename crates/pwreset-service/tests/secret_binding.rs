//! Links and codes are bound to the account's password state (its hash and e-mail address) as
//! the store holds it, like signed payloads and access tokens: a change made anywhere, by this
//! service or by the application itself, and whatever time the store gives it, kills every secret
//! issued before it, and none issued after.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_core::password_hash::{HashParams, hash_password};
use pwreset_service::ports::Accounts;

/// The application changes `user`'s account in its own store, with `change`.
fn change_in_store(
    h: &Harness,
    user: &User,
    change: impl FnOnce(&mut pwreset_service::model::account::Account),
) {
    let mut account = block_on(h.platform.account(&user.id)).unwrap().unwrap();
    change(&mut account);
    block_on(h.platform.update_account(&account)).unwrap();
}

#[test]
fn a_hash_changed_by_the_application_kills_outstanding_links_and_codes_whatever_its_time() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    let sms = h.sms_code(&jane);
    h.reg_request(&jane.username);
    h.drain();
    let emailed = h.latest_code(&jane.email);
    // A new hash, and no new time (the field is optional in the user directory's protocol).
    change_in_store(&h, &jane, |a| {
        a.password_hash = hash_password("app-side-new-password-77", HashParams::OWASP).unwrap();
    });
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 400);
    assert_eq!(
        h.reset_mobile(&sms, jane.phone.as_deref(), NEW_PASSWORD)
            .status,
        400
    );
    assert_eq!(h.reg_code(&jane.username, &emailed).status, 400);
}

#[test]
fn a_new_e_mail_address_kills_an_outstanding_link() {
    let h = Harness::new();
    let jane = h.jane();
    let token = h.link_token(&jane);
    change_in_store(&h, &jane, |a| a.email = "jane.new@example.com".into());
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 400);
}

#[test]
fn secrets_sent_after_a_change_the_guard_never_saw_work() {
    let h = Harness::new();
    let jane = h.jane();
    // The application changed the password a month ago; this guard never heard of it.
    change_in_store(&h, &jane, |a| {
        a.password_hash = hash_password("app-side-new-password-77", HashParams::OWASP).unwrap();
        a.password_changed_at = NOW - 30 * 86_400;
    });
    h.reg_request(&jane.username);
    h.drain();
    let code = h.latest_code(&jane.email);
    assert_eq!(h.reg_code(&jane.username, &code).status, 200);

    let john = h.john();
    change_in_store(&h, &john, |a| a.password_changed_at = NOW - 3_600);
    let token = h.link_token(&john);
    assert_json_status(&h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD), 200);
}

//! The day's guessing budget of an account: failed code guesses are counted per account over a
//! rolling day, whichever identifier, dialect or IP they come from; past the budget every code of
//! that account is refused (the right one too) with `429` and the time to wait, and an unknown
//! name answers the same. Each account is also sent a bounded number of reset messages a day.

mod common;

use common::*;
use pwreset_core::password_hash::verify_password;
use pwreset_service::guard::{DAILY_FAILED_GUESSES, DAILY_MESSAGES};
use pwreset_service::ports::Accounts;

/// A wrong six-digit code other than `right`.
fn wrong_code(right: &str, n: usize) -> String {
    let guess = format!("{:06}", n % 1_000_000);
    if guess == right {
        format!("{:06}", (n + 1) % 1_000_000)
    } else {
        guess
    }
}

/// One failed guess at `who`'s code, by turns through dialect A (username, then e-mail) and
/// dialect B (phone), each from its own IP.
fn guess(h: &Harness, who: &User, right: &str, n: usize) -> u16 {
    let code = wrong_code(right, n);
    let ip = format!("198.51.100.{}", n % 250);
    let request = match n % 3 {
        0 => reg_code_request(&who.username, &code),
        1 => reg_code_request(&who.email, &code),
        _ => reset_mobile_request(&code, who.phone.as_deref(), NEW_PASSWORD),
    };
    h.send(from_ip(request, &ip)).status
}

#[test]
fn a_day_of_failed_guesses_pauses_the_accounts_codes_whatever_asks() {
    let h = Harness::new();
    let jane = h.jane();
    for n in 0..DAILY_FAILED_GUESSES - 1 {
        assert_eq!(guess(&h, &jane, "", n), 400, "guess {n}");
    }
    // A fresh code, one more wrong guess: the budget is spent, and the right code is refused
    // through every identifier. None of them spent the day's guesses on its own, so each answers
    // as a wrong code does: a probe cannot tell which identifiers belong to the paused account.
    h.reg_request(&jane.username);
    h.drain();
    let code = h.latest_code(&jane.email);
    assert_eq!(guess(&h, &jane, &code, 7), 400);
    assert_eq!(h.reg_code(&jane.username, &code).status, 400);
    assert_eq!(h.reg_code(&jane.email, &code).status, 400);
    let phone = jane.phone.as_deref();
    assert_eq!(h.reset_mobile(&code, phone, NEW_PASSWORD).status, 400);
    let stored = futures_executor::block_on(h.platform.account(&jane.id))
        .unwrap()
        .unwrap();
    assert!(verify_password(OLD_PASSWORD, &stored.password_hash).unwrap());

    // An identifier that spent a day's guesses itself is told when to try again...
    let h = Harness::new();
    let jane = h.jane();
    for n in 0..DAILY_FAILED_GUESSES {
        let code = wrong_code("", n);
        assert_eq!(h.reg_code(&jane.username, &code).status, 400, "guess {n}");
    }
    let right = h.reg_code(&jane.username, "123456");
    assert_eq!(right.status, 429, "{}", text(&right));
    let retry_after: u64 = right.header_value("retry-after").unwrap().parse().unwrap();
    assert!(
        retry_after > 86_000 && retry_after <= 86_400,
        "{retry_after}"
    );
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("guesses_paused"))
    );
    // ...while her other identifiers answer as any wrong code does.
    assert_eq!(h.reg_code(&jane.email, "123456").status, 400);

    // An unknown name spends its budget and answers alike: nothing tells the two apart.
    for n in 0..DAILY_FAILED_GUESSES {
        let code = wrong_code("", n);
        assert_eq!(h.reg_code("ghost", &code).status, 400, "ghost guess {n}");
    }
    let paused = h.reg_code("ghost", "123456");
    assert_eq!(paused.status, right.status);
    assert_eq!(text(&paused), text(&right));

    // A day after the first failure, codes are judged again.
    h.platform.advance(86_400);
    let code = h.sms_code(&jane);
    assert_eq!(h.reset_mobile(&code, None, NEW_PASSWORD).status, 200);
}

#[test]
fn an_account_is_sent_a_bounded_number_of_reset_messages_a_day() {
    let h = Harness::new();
    let jane = h.jane();
    for _ in 0..DAILY_MESSAGES + 5 {
        assert_eq!(h.forgot_email(&jane.email).status, 200);
        h.drain();
        h.platform.advance(61);
    }
    assert_eq!(h.outbox(&jane.email).len(), DAILY_MESSAGES);
    assert!(
        h.platform
            .logs()
            .iter()
            .any(|l| l.contains("daily_messages_sent"))
    );
    // Only the newest link works: each one superseded the one before.
    let links: Vec<String> = h
        .outbox(&jane.email)
        .iter()
        .filter_map(|m| m.link.as_deref().map(link_token))
        .collect();
    let oldest = links.last().unwrap();
    assert_eq!(h.reset_link(oldest, NEW_PASSWORD, NEW_PASSWORD).status, 400);
    assert_eq!(
        h.reset_link(&links[0], NEW_PASSWORD, NEW_PASSWORD).status,
        200
    );
}

#[test]
fn guards_live_in_a_fixed_pool_and_unknown_names_leave_nothing_a_day_later() {
    let h = Harness::new();
    let jane = h.jane();
    h.reg_request(&jane.username);
    h.drain();
    let mut accounts = vec![jane];
    for n in 0..50 {
        accounts.push(h.create_user(&format!("user-{n}"), &format!("u{n}@example.com"), None));
        h.reg_request(&format!("user-{n}"));
    }
    h.drain();
    for n in 0..200 {
        let name = format!("ghost-{n}");
        assert_eq!(h.reg_code(&name, "123456").status, 400);
        let phone = format!("+4477009{n:05}");
        assert_eq!(
            h.reset_mobile("123456", Some(&phone), NEW_PASSWORD).status,
            400
        );
    }
    // Accounts and unknown names alike are records in the fixed objects: no object per name.
    let objects = h.platform.guard_objects();
    assert!(
        objects.iter().all(|o| o.starts_with("guards-")),
        "{objects:?}"
    );
    assert!(objects.len() as u64 <= pwreset_service::guard::GUARD_OBJECTS);
    // Each guessed name holds its day's failures (so its budget answers like an account's)...
    let records = h.platform.guard_records();
    assert_eq!(records, accounts.len() + 400);
    // ...and nothing once they are a day old; the accounts' records stay.
    h.platform.advance(86_400);
    futures_executor::block_on(h.platform.sweep_decoys()).unwrap();
    assert_eq!(h.platform.guard_records(), accounts.len());
}

/// The arithmetic of docs/storage.md: with the shortest codes, one account's daily chance of a
/// successful guess (its own identifiers, plus its share of the phone-less guesses at every live
/// code) is at most 1 in 10,000.
#[test]
fn the_daily_chance_for_one_account_is_at_most_one_in_ten_thousand() {
    use pwreset_core::secrets::ResetCode;
    use pwreset_service::guard::MAX_WRONG_TRIES;

    let p = ResetCode::guess_success_probability(1, ResetCode::MIN_DIGITS);
    // Guesses that can meet a live code: at most 5 per code, 10 codes a day, under the 100 cap.
    let own = (DAILY_MESSAGES * MAX_WRONG_TRIES as usize).min(DAILY_FAILED_GUESSES);
    assert_eq!(own, 50);
    // Phone-less guesses: the whole service's budget, all of it against this account's code when
    // that is the only live one.
    let chance = own as f64 * p + ResetCode::DAILY_GLOBAL_RISK_BUDGET;
    assert!(chance <= 1e-4 * (1.0 + 1e-9), "{chance}");
}

/// An account paused through one identifier keeps counting each of its other identifiers' own
/// guesses, so each meets its own `429` after its own day's worth, exactly as a name of no account
/// does: the pause does not tell which identifiers belong together.
#[test]
fn a_paused_accounts_other_identifiers_meet_their_own_pause_like_unknown_names() {
    let h = Harness::new();
    let jane = h.jane();
    let wrong = |n: usize| format!("{:06}", 900_000 + n);
    for n in 0..DAILY_FAILED_GUESSES {
        let request = from_ip(reg_code_request(&jane.username, &wrong(n)), "198.51.100.1");
        assert_eq!(h.send(request).status, 400);
    }
    let mut answers = Vec::new();
    for n in 0..=DAILY_FAILED_GUESSES {
        let by_address = from_ip(reg_code_request(&jane.email, &wrong(n)), "203.0.113.1");
        let by_unknown = from_ip(
            reg_code_request("ghost@example.com", &wrong(n)),
            "203.0.113.2",
        );
        answers.push((h.send(by_address).status, h.send(by_unknown).status));
    }
    assert!(
        answers[..DAILY_FAILED_GUESSES]
            .iter()
            .all(|&a| a == (400, 400)),
        "{answers:?}"
    );
    assert_eq!(answers[DAILY_FAILED_GUESSES], (429, 429));
}

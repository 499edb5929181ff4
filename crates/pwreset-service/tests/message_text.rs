//! Account text in a message: a username listed in a shared-address e-mail reaches whoever reads
//! that address, so it must not carry bidi controls, invisible characters or line breaks that
//! could disguise a line or a link. The links themselves stay exactly as issued.

mod common;

use common::*;
use futures_executor::block_on;
use pwreset_service::delivery::OutgoingMessage;
use pwreset_service::ports::Accounts;
use serde_json::json;

/// The shared address every test account uses.
const SHARED: &str = "family@example.com";

/// Characters a label must never bring into a message, each with a name for failure messages.
const HIDDEN: &[(char, &str)] = &[
    ('\u{061C}', "ARABIC LETTER MARK"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200C}', "ZERO WIDTH NON-JOINER"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{2060}', "WORD JOINER"),
    ('\u{2061}', "FUNCTION APPLICATION"),
    ('\u{2062}', "INVISIBLE TIMES"),
    ('\u{2063}', "INVISIBLE SEPARATOR"),
    ('\u{2064}', "INVISIBLE PLUS"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
    ('\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
    ('\u{00AD}', "SOFT HYPHEN"),
    ('\u{E0041}', "TAG LATIN CAPITAL LETTER A"),
];

/// Characters that break a line; a label shows each as a space.
const BREAKS: &[(char, &str)] = &[
    ('\u{2028}', "LINE SEPARATOR"),
    ('\u{2029}', "PARAGRAPH SEPARATOR"),
    ('\u{0085}', "NEXT LINE"),
    ('\r', "CARRIAGE RETURN"),
    ('\n', "LINE FEED"),
    ('\t', "CHARACTER TABULATION"),
    ('\u{000B}', "LINE TABULATION"),
    ('\u{000C}', "FORM FEED"),
    ('\u{001B}', "ESCAPE"),
    ('\u{007F}', "DELETE"),
];

/// An account at [`SHARED`] whose username is exactly `username`. `POST /admin/users` refuses
/// control characters, but the application's user directory can return any username, so the
/// stored account is given the raw name afterwards, as such a directory would hand it over.
fn account_named(h: &Harness, username: &str, placeholder: &str) -> User {
    let user = h.create_user(placeholder, SHARED, None);
    let mut account = block_on(h.platform.account(&user.id))
        .expect("platform answers")
        .expect("account exists");
    account.username = username.to_owned();
    block_on(h.platform.update_account(&account)).expect("account updated");
    User {
        username: username.to_owned(),
        ..user
    }
}

/// Dialect C's forgot-password for [`SHARED`]: one message listing every account's link.
fn shared_address_message(h: &Harness) -> OutgoingMessage {
    let forgot = with_api_key(post(
        &format!("{USER_API}/forgot-password/"),
        &json!({ "email": SHARED }),
    ));
    assert_eq!(h.send(forgot).status, 200);
    h.drain();
    let mut outbox = h.outbox(SHARED);
    assert_eq!(outbox.len(), 1, "one message for the shared address");
    outbox.remove(0)
}

/// The link of `user` as the message lists it, after `label` and a colon on the line above;
/// panics when the message does not show that label right above that account's link.
fn listed_link(msg: &OutgoingMessage, label: &str, user: &User) -> String {
    let prefix = format!("{label}:\n{PUBLIC_URL}/reset?user={}&token=", user.id);
    let start = msg.text.find(&prefix).unwrap_or_else(|| {
        panic!(
            "the message shows {label:?} above {}'s link:\n{}",
            user.id, msg.text
        )
    });
    let rest = &msg.text[start + prefix.len()..];
    let token = rest.split('\n').next().unwrap_or_default();
    assert_eq!(token.len(), 64, "a whole token follows: {token:?}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token:?}");
    format!("{PUBLIC_URL}/reset?user={}&token={token}", user.id)
}

/// Every part of `msg` a reader sees (subject, text, and the dev outbox's record of both) is
/// free of `chars`; line feeds come only from the message's own template.
fn assert_free_of(msg: &OutgoingMessage, chars: &[(char, &str)]) {
    let view = msg.outbox_view();
    let parts = [
        ("subject", msg.subject.as_str()),
        ("text", msg.text.as_str()),
        ("outbox subject", view["subject"].as_str().unwrap()),
        ("outbox text", view["text"].as_str().unwrap()),
    ];
    for (part, shown) in parts {
        for (c, name) in chars {
            if *c == '\n' {
                continue;
            }
            assert!(
                !shown.contains(*c),
                "{part} carries {name} (U+{:04X}):\n{shown:?}",
                *c as u32
            );
        }
    }
}

#[test]
fn hidden_characters_in_a_username_never_reach_the_shared_address_message() {
    let h = Harness::new();
    let anna = h.create_user("anna", SHARED, None);
    // Through the admin route, as anyone able to register an account could.
    let users: Vec<(User, String)> = HIDDEN
        .iter()
        .enumerate()
        .map(|(i, (c, _))| {
            let user = h.create_user(&format!("mal{c}lory{i:02}"), SHARED, None);
            (user, format!("mallory{i:02}"))
        })
        .collect();
    let msg = shared_address_message(&h);
    assert_free_of(&msg, HIDDEN);
    let anna_link = listed_link(&msg, "anna", &anna);
    let mut links = vec![anna_link];
    for (user, label) in &users {
        links.push(listed_link(&msg, label, user));
    }
    assert_eq!(msg.text.matches(PUBLIC_URL).count(), links.len());
    assert!(links.contains(msg.link.as_ref().expect("the first link")));
}

#[test]
fn line_breaks_and_control_characters_in_a_username_become_spaces() {
    let h = Harness::new();
    let anna = h.create_user("anna", SHARED, None);
    let users: Vec<(User, String)> = BREAKS
        .iter()
        .enumerate()
        .map(|(i, (c, _))| {
            let raw = format!("mal{c}lory{i:02}");
            (
                account_named(&h, &raw, &format!("placeholder{i:02}")),
                format!("mal lory{i:02}"),
            )
        })
        .collect();
    let msg = shared_address_message(&h);
    assert_free_of(&msg, BREAKS);
    listed_link(&msg, "anna", &anna);
    for (user, label) in &users {
        listed_link(&msg, label, user);
    }
    // Only the template's own lines: the intro, a label and a link per account, the rest.
    let labels = msg.text.lines().filter(|l| l.ends_with(':')).count();
    assert_eq!(labels, users.len() + 2, "{}", msg.text);
}

#[test]
fn a_label_that_forges_a_line_with_a_link_stays_on_one_line() {
    let h = Harness::new();
    let anna = h.create_user("anna", SHARED, None);
    let forged = "bob:\u{2028}https://evil.test/reset\u{2029}\u{202E}moc.elpmaxe\u{202C}\r\n";
    let bob = account_named(&h, forged, "bob");
    let msg = shared_address_message(&h);
    assert_free_of(&msg, HIDDEN);
    assert_free_of(&msg, BREAKS);
    listed_link(&msg, "anna", &anna);
    listed_link(&msg, "bob: https://evil.test/reset moc.elpmaxe", &bob);
    assert!(
        !msg.text.contains("\nhttps://evil.test"),
        "no line starts with the forged link:\n{}",
        msg.text
    );
}

#[test]
fn a_long_label_is_cut_with_an_ellipsis_and_an_invisible_one_is_named() {
    let h = Harness::new();
    let long = h.create_user(&"l".repeat(200), SHARED, None);
    let invisible = h.create_user("\u{200B}\u{2060}\u{FEFF}", SHARED, None);
    let msg = shared_address_message(&h);
    let cut = format!("{}…", "l".repeat(63));
    listed_link(&msg, &cut, &long);
    assert!(!msg.text.contains(&"l".repeat(64)), "{}", msg.text);
    // A name of nothing but invisible characters is listed by its place instead.
    let place = if msg.text.find(&cut) < msg.text.find("Account ") {
        2
    } else {
        1
    };
    listed_link(&msg, &format!("Account {place}"), &invisible);
    assert_free_of(&msg, HIDDEN);
}

#[test]
fn ordinary_names_in_any_script_are_listed_as_written() {
    let h = Harness::new();
    let names = ["josé.garcía", "山田太郎", "שרה", "أحمد", "mary-jane o'neil"];
    let users: Vec<User> = names
        .iter()
        .map(|name| h.create_user(name, SHARED, None))
        .collect();
    let msg = shared_address_message(&h);
    for (user, name) in users.iter().zip(names) {
        listed_link(&msg, name, user);
    }
}

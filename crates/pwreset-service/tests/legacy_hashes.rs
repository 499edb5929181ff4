//! Accounts whose application stores another hash than the service writes: bcrypt, PBKDF2-SHA256
//! (PHC, passlib, Django), scrypt, argon2 (PHC and Django's form), held by the user service. For
//! each, "same as the current password" is enforced, dialect C's change-password proves the old
//! password, and the new hash is argon2id in the form the application asks for
//! (`USER_DIRECTORY_HASH_FORMAT`). A hash beyond the verify limits (Django's own argon2 costs), or
//! of a format no one knows, is a logged decision: the rule is not enforced for a reset, and an
//! old password is refused as wrong; `USER_DIRECTORY_HASH_LIMITS=django` admits Django's costs.

mod common;

use common::*;
use pwreset_core::UnixTime;
use pwreset_core::secrets::PasswordState;
use pwreset_service::testing::user_service::MemoryUserService;
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

/// The vectors' passwords (`crates/pwreset-core/tests/legacy_hashes.rs`).
const PASSWORD: &str = "Tr0ub4dour&3";
const UNICODE: &str = "pässwörd€";

/// (stored hash, its password, what made it), copied from the core's vectors.
const VECTORS: &[(&str, &str, &str)] = &[
    (
        "$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$3Z7Gm66cO8IHKKcDQkiuVQhLwTjrPtcmjL2VD+DMwus",
        PASSWORD,
        "argon2-cffi argon2id PHC",
    ),
    (
        "$argon2i$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$zE5yOxf9s9SDJqU0Yt0SGf6KOB1r6HD0sQGPMPagDao",
        PASSWORD,
        "argon2-cffi argon2i without v= (old Django)",
    ),
    (
        "argon2$argon2id$v=19$m=64,t=1,p=1$UFBvTkRScFZWQlpqR2o5bVU5eldSaw$66lgdh2uBA1KcGeEw6zQCohj5hMQ5pOFhroZxNsUozY",
        UNICODE,
        "Django Argon2PasswordHasher",
    ),
    (
        "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq",
        PASSWORD,
        "pyca/bcrypt $2b$ (Rails/Devise, Node bcrypt)",
    ),
    (
        "$2y$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq",
        PASSWORD,
        "PHP $2y$ (Laravel)",
    ),
    (
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.Kma9Km32AAEgD.38KJPTlQ7GgSTU95q",
        UNICODE,
        "pyca/bcrypt $2a$",
    ),
    (
        "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY=",
        UNICODE,
        "Django PBKDF2PasswordHasher",
    ),
    (
        "$pbkdf2-sha256$1000$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g",
        PASSWORD,
        "passlib pbkdf2_sha256",
    ),
    (
        "$pbkdf2-sha256$i=4096,l=32$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk",
        UNICODE,
        "PBKDF2-SHA256 PHC string",
    ),
    (
        "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8",
        PASSWORD,
        "passlib scrypt",
    ),
];

/// Django's `make_password(PASSWORD, hasher="argon2")` with Django's own costs (m=102400, t=2,
/// p=8): beyond the default verify limits.
const DJANGO_ARGON2_DEFAULT: &str = "argon2$argon2id$v=19$m=102400,t=2,p=8$UFBvTkRScFZWQlpqR2o5bVU5eldSaw$rXpc3MlUd3H7JOUzH4AJt0NwoqXFdPXKh9sw7GxDOgU";

/// A policy every vector's password passes (so that "same as current" is what refuses it).
const LENIENT: &str = r#"{"preset":"nist","common":false,"max_similarity":null}"#;

/// A service whose accounts live in the in-memory user service, with `changes`.
fn harness(changes: &[(&str, &str)]) -> Harness {
    let mut all = vec![
        ("USER_DIRECTORY_URL", MemoryUserService::URL),
        ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
        ("PASSWORD_POLICY", LENIENT),
        ("USER_API_PASSWORD_POLICY", LENIENT),
    ];
    all.extend_from_slice(changes);
    Harness::with(&all)
}

/// An account the application stored itself, with `hash`.
fn legacy_account(h: &Harness, n: usize, hash: &str) -> User {
    let user = User {
        id: format!("legacy-{n}"),
        username: format!("legacy{n}"),
        email: format!("legacy{n}@example.com"),
        phone: None,
    };
    h.platform.user_service.put_account(json!({
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "password_hash": hash,
    }));
    user
}

fn stored_hash(h: &Harness, user: &User) -> String {
    h.platform.user_service.account(&user.id).unwrap()["password_hash"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An access token for `user` as it stands in the user service (what a reset or a login
/// elsewhere would have issued), so that change-password meets the legacy hash itself.
fn token_for(h: &Harness, user: &User) -> String {
    let cfg = h.service.config().unwrap();
    let state = PasswordState::new(&stored_hash(h, user)).bind("email", &user.email);
    pwreset_service::flows::token_issuer(cfg)
        .issue(&cfg.keyring, &user.id, &state, UnixTime::from_secs(NOW))
        .unwrap()
        .reveal()
        .to_owned()
}

/// Dialect C's change-password.
fn change(h: &Harness, token: &str, old: &str, new: &str) -> Response {
    h.send(with_api_key(
        Request::new(
            Method::Post,
            &format!("{USER_API}/profile/change-password/"),
        )
        .json(&json!({ "old_password": old, "new_password": new, "confirm_password": new }))
        .header("authorization", &format!("Bearer {token}")),
    ))
}

fn user_error_fields(answer: &Response) -> Vec<(String, String)> {
    answer.json_body()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["description"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The log lines with `event`, parsed.
fn events(h: &Harness, event: &str) -> Vec<Value> {
    h.platform
        .logs()
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["event"] == event)
        .collect()
}

#[test]
fn a_reset_refuses_the_current_password_in_every_format_and_stores_argon2id() {
    let h = harness(&[]);
    for (n, (hash, password, made_by)) in VECTORS.iter().enumerate() {
        let user = legacy_account(&h, n, hash);
        let token = h.link_token(&user);
        let same = h.reset_link(&token, password, password);
        assert_json_status(&same, 400);
        assert_eq!(error_codes(&same), ["password_same_as_old"], "{made_by}");
        assert_eq!(stored_hash(&h, &user), *hash, "{made_by}: unchanged");

        let done = h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
        assert_eq!(done.status, 200, "{made_by}: {}", text(&done));
        let new_hash = stored_hash(&h, &user);
        assert!(
            new_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{new_hash}"
        );
    }
    assert!(events(&h, "hash_beyond_limits").is_empty());
    assert!(events(&h, "hash_unverifiable").is_empty());
}

#[test]
fn change_password_proves_the_old_password_in_every_format() {
    let h = harness(&[]);
    for (n, (hash, password, made_by)) in VECTORS.iter().enumerate() {
        let user = legacy_account(&h, n, hash);
        let token = token_for(&h, &user);

        let wrong = change(&h, &token, "not-the-password-1", NEW_PASSWORD);
        assert_json_status(&wrong, 401);
        assert_eq!(
            user_error_fields(&wrong)[0].0,
            "old_password",
            "{made_by}: wrong old password"
        );
        let same = change(&h, &token, password, password);
        assert_json_status(&same, 400);
        assert_eq!(stored_hash(&h, &user), *hash, "{made_by}: unchanged");

        let done = change(&h, &token, password, NEW_PASSWORD);
        assert_eq!(done.status, 200, "{made_by}: {}", text(&done));
        assert!(stored_hash(&h, &user).starts_with("$argon2id$"));
    }
    let refusals = events(&h, "password_change_refused");
    assert_eq!(refusals.len(), VECTORS.len());
    assert!(refusals.iter().all(|e| e["reason"] == "wrong_old_password"));
}

#[test]
fn a_hash_beyond_the_limits_is_a_logged_decision_never_a_silent_one() {
    let h = harness(&[]);
    let user = legacy_account(&h, 0, DJANGO_ARGON2_DEFAULT);

    // Dialect C: the old password can't be checked, so it is refused as wrong, and logged.
    let token = token_for(&h, &user);
    let refused = change(&h, &token, PASSWORD, NEW_PASSWORD);
    assert_json_status(&refused, 401);
    assert_eq!(user_error_fields(&refused)[0].0, "old_password");
    let beyond = events(&h, "hash_beyond_limits");
    assert_eq!(beyond.len(), 1, "{beyond:?}");
    assert_eq!(beyond[0]["account"], user.id);
    assert_eq!(beyond[0]["check"], "old_password");
    assert_eq!(beyond[0]["decision"], "refused");
    assert_eq!(beyond[0]["format"], "django-argon2");
    assert_eq!(beyond[0]["parameter"], "m");
    assert_eq!(beyond[0]["value"], 102_400);
    assert_eq!(beyond[0]["limit"], 65_536);
    let refusal = events(&h, "password_change_refused");
    assert_eq!(refusal[0]["reason"], "old_password_unverifiable");

    // A reset: "same as current" can't be enforced; the reset goes through, and says so.
    let link = h.link_token(&user);
    let done = h.reset_link(&link, PASSWORD, PASSWORD);
    assert_eq!(done.status, 200, "{}", text(&done));
    let beyond = events(&h, "hash_beyond_limits");
    assert_eq!(beyond.len(), 2);
    assert_eq!(beyond[1]["check"], "same_as_current");
    assert_eq!(beyond[1]["decision"], "rule_not_enforced");

    // Never the hash in a log line.
    let salt_and_hash = DJANGO_ARGON2_DEFAULT.rsplit_once("p=8$").unwrap().1;
    for line in h.platform.logs() {
        assert!(!line.contains(salt_and_hash), "{line}");
        assert!(!line.contains("UFBvTkRScFZWQlpqR2o5bVU5eldSaw"), "{line}");
    }
}

#[test]
fn scrypt_at_ln_17_is_beyond_the_services_limits() {
    // OWASP's N=2^17 takes 128 MiB, a whole Worker isolate: the service holds scrypt to ln ≤ 16.
    let h = harness(&[]);
    let user = legacy_account(
        &h,
        0,
        "$scrypt$ln=17,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
    );
    let token = token_for(&h, &user);
    assert_json_status(&change(&h, &token, PASSWORD, NEW_PASSWORD), 401);
    let beyond = events(&h, "hash_beyond_limits");
    assert_eq!(beyond.len(), 1, "{beyond:?}");
    assert_eq!(beyond[0]["format"], "scrypt");
    assert_eq!(beyond[0]["parameter"], "ln");
    assert_eq!(beyond[0]["value"], 17);
    assert_eq!(beyond[0]["limit"], 16);
}

#[test]
fn the_django_limits_admit_djangos_own_argon2_costs() {
    let h = harness(&[("USER_DIRECTORY_HASH_LIMITS", "django")]);
    let user = legacy_account(&h, 0, DJANGO_ARGON2_DEFAULT);
    let token = token_for(&h, &user);
    let wrong = change(&h, &token, "not-the-password-1", NEW_PASSWORD);
    assert_json_status(&wrong, 401);
    let same = change(&h, &token, PASSWORD, PASSWORD);
    assert_json_status(&same, 400);
    let done = change(&h, &token, PASSWORD, NEW_PASSWORD);
    assert_eq!(done.status, 200, "{}", text(&done));
    assert!(events(&h, "hash_beyond_limits").is_empty());
}

#[test]
fn an_unknown_format_is_logged_and_handled_as_one_beyond_the_limits() {
    let h = harness(&[]);
    // Unsalted MD5, as some old applications kept: no format the service verifies.
    let user = legacy_account(&h, 0, "5f4dcc3b5aa765d61d8327deb882cf99");
    let token = token_for(&h, &user);
    assert_json_status(&change(&h, &token, "password", NEW_PASSWORD), 401);
    let link = h.link_token(&user);
    assert_eq!(h.reset_link(&link, NEW_PASSWORD, NEW_PASSWORD).status, 200);
    let unverifiable = events(&h, "hash_unverifiable");
    assert_eq!(unverifiable.len(), 2, "{unverifiable:?}");
    for (line, (check, decision)) in unverifiable.iter().zip([
        ("old_password", "refused"),
        ("same_as_current", "rule_not_enforced"),
    ]) {
        assert_eq!(line["check"], check);
        assert_eq!(line["decision"], decision);
        assert_eq!(line["format"], "unknown");
        assert_eq!(line["reason"], "unknown_format");
        assert!(!line.to_string().contains("5f4dcc3b"));
    }
}

#[test]
fn the_django_format_hands_the_directory_djangos_argon2_form() {
    let h = harness(&[("USER_DIRECTORY_HASH_FORMAT", "django")]);
    // Created by the admin route: the directory receives Django's form.
    let jane = h.jane();
    let created = stored_hash(&h, &jane);
    assert!(
        created.starts_with("argon2$argon2id$v=19$m=19456,t=2,p=1$"),
        "{created}"
    );
    // A reset: the same form, and the service verifies it next time ("same as current").
    let token = h.link_token(&jane);
    assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
    let set = h
        .platform
        .user_service
        .calls()
        .into_iter()
        .find(|(path, _)| path == "/set-password")
        .unwrap()
        .1;
    let hash = set["password_hash"].as_str().unwrap();
    assert!(
        hash.starts_with("argon2$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert_eq!(stored_hash(&h, &jane), hash);
    let token = h.link_token(&jane);
    let same = h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD);
    assert_eq!(error_codes(&same), ["password_same_as_old"]);
    assert_eq!(
        h.reset_link(&token, NEWER_PASSWORD, NEWER_PASSWORD).status,
        200
    );
}

#[test]
fn the_phc_format_is_the_default_and_the_platforms_own_accounts_keep_it() {
    for h in [harness(&[]), Harness::new()] {
        let jane = h.jane();
        let token = h.link_token(&jane);
        assert_eq!(h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD).status, 200);
        let token = h.link_token(&jane);
        assert_eq!(
            error_codes(&h.reset_link(&token, NEW_PASSWORD, NEW_PASSWORD)),
            ["password_same_as_old"]
        );
    }
    let h = harness(&[]);
    let jane = h.jane();
    assert!(stored_hash(&h, &jane).starts_with("$argon2id$v=19$"));
}

#[test]
fn the_hash_settings_are_checked() {
    for (name, value) in [
        ("USER_DIRECTORY_HASH_FORMAT", "bcrypt"),
        ("USER_DIRECTORY_HASH_LIMITS", "high"),
    ] {
        let vars = vars_with(&[
            ("USER_DIRECTORY_URL", MemoryUserService::URL),
            ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
            (name, value),
        ]);
        let service = service_from(&vars);
        let problems = service.config().expect_err("refused").to_string();
        assert!(problems.contains(name), "{problems}");
    }
    let vars = vars_with(&[
        ("USER_DIRECTORY_URL", MemoryUserService::URL),
        ("USER_DIRECTORY_SECRET", MemoryUserService::SECRET),
        ("USER_DIRECTORY_HASH_FORMAT", "django"),
        ("USER_DIRECTORY_HASH_LIMITS", "django"),
    ]);
    let service = service_from(&vars);
    let hashing = service
        .config()
        .unwrap()
        .directory
        .as_ref()
        .unwrap()
        .hashing();
    assert_eq!(
        hashing.format,
        pwreset_core::password_hash::StorageFormat::Django
    );
    assert_eq!(
        hashing.limits.argon2,
        pwreset_core::password_hash::VerifyLimits::DJANGO
    );
}

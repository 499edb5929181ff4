//! A bad configuration is found at start and reported on every request, by variable name and
//! without any secret value: never a panic.

mod common;

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use futures_executor::block_on;
use pwreset_service::memory::MemoryPlatform;
use pwreset_service::{JobOutcome, Method, Request, Response, Service};
use serde_json::{Value, json};

/// Every kind of request the service answers.
fn every_request() -> Vec<Request> {
    vec![
        post(
            "/reg/user/resetPasswordRequest",
            &json!({ "username": "jane" }),
        ),
        post(
            "/reg/user/resetPassword",
            &json!({ "newPassword": NEW_PASSWORD, "signedPayload": "p", "username": "jane" }),
        ),
        Request::new(Method::Get, "/reg/user/info").header("authorization", "Bearer t"),
        auth_post(
            "/api/v1/auth/forgotpass",
            &json!({ "email": "jane@example.com" }),
        ),
        auth_post(
            "/api/v1/auth/forgotpass/mobile",
            &json!({ "phone": "+447700900456" }),
        ),
        auth_post(
            "/api/v1/auth/resetpass",
            &json!({ "token": "t", "password": "p", "passwordConfirm": "p" }),
        ),
        auth_post(
            "/api/v1/auth/resetpass/mobile",
            &json!({ "token": "t", "password": "p", "passwordConfirm": "p" }),
        ),
        Request::new(Method::Options, "/api/v1/auth/forgotpass").header("origin", ORIGIN),
        admin_post(
            "/admin/users",
            &json!({ "username": "jane", "email": "jane@example.com", "password": OLD_PASSWORD }),
        ),
        Request::new(Method::Get, "/admin/dead-letters"),
        Request::new(Method::Get, "/dev/outbox?to=jane%40example.com"),
        with_api_key(post(
            "/api/v1/user/forgot-password/",
            &json!({ "email": "jane@example.com" }),
        )),
        Request::new(Method::Get, "/no/such/route"),
        Request::new(Method::Other, "/reg/user/info"),
    ]
}

/// The problems a service reports on every request, after checking each answer is the same
/// `503` JSON naming `variable` and holding none of `secrets`.
#[track_caller]
fn refused_naming(
    vars: &BTreeMap<String, String>,
    variable: &str,
    secrets: &[&str],
) -> Vec<String> {
    let service = service_from(vars);
    assert!(
        service.config().is_err(),
        "{variable}: configuration accepted"
    );
    let platform = MemoryPlatform::new(NOW);
    let mut first: Option<Response> = None;
    for request in every_request() {
        let path = request.path.clone();
        let answer = block_on(service.handle(&platform, request));
        assert_json_status(&answer, 503);
        let body = text(&answer);
        for secret in secrets {
            assert!(
                !body.contains(secret),
                "{variable}: {secret:?} shown in {body}"
            );
        }
        match &first {
            None => first = Some(answer),
            Some(first) => assert_eq!(first.body, answer.body, "{path}"),
        }
    }
    let body = first.unwrap().json_body();
    assert_eq!(body["error"], "service_misconfigured");
    let problems: Vec<String> = body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    assert!(
        problems.iter().any(|p| p.contains(variable)),
        "{variable} not named in {problems:?}"
    );
    // The log says the same, without the secrets either.
    let logs = platform.logs();
    assert!(!logs.is_empty());
    for line in &logs {
        let parsed: Value = serde_json::from_str(line).unwrap();
        assert_eq!(parsed["event"], "configuration_invalid");
        for secret in secrets {
            assert!(!line.contains(secret), "{variable}: {secret:?} logged");
        }
    }
    assert!(service.config_problem_line(&platform).is_some());
    problems
}

#[test]
fn the_base_configuration_is_accepted() {
    let service = service_from(&base_vars());
    assert!(service.config().is_ok());
    assert!(
        service
            .config_problem_line(&MemoryPlatform::new(NOW))
            .is_none()
    );
}

#[test]
fn missing_keys_are_reported() {
    refused_naming(&vars_with(&[("KEYS", "")]), "KEYS", &[]);
    refused_naming(&vars_with(&[("KEYS", "   ")]), "KEYS", &[]);
}

#[test]
fn a_missing_or_bad_public_url_is_reported() {
    refused_naming(&vars_with(&[("PUBLIC_URL", "")]), "PUBLIC_URL", &[]);
    refused_naming(
        &vars_with(&[("PUBLIC_URL", "reset.example.test")]),
        "PUBLIC_URL",
        &[],
    );
}

#[test]
fn a_weak_key_is_reported_without_its_value() {
    let printable = URL_SAFE_NO_PAD.encode(b"correct horse battery staple 123");
    let repetitive = URL_SAFE_NO_PAD.encode([0xA7u8; 32]);
    let short = URL_SAFE_NO_PAD.encode(&key_material(3)[..16]);
    for weak in [&printable, &repetitive, &short] {
        let entry = format!("k1:{weak}");
        refused_naming(&vars_with(&[("KEYS", &entry)]), "KEYS", &[weak]);
    }
    for malformed in ["k1", "k1:not base64!", ":abc", "bad id!:AAAA"] {
        refused_naming(&vars_with(&[("KEYS", malformed)]), "KEYS", &[]);
    }
    // A weak key behind a good one is refused too.
    let entry = format!("{},k0:{repetitive}", key_entry("k1", 7));
    refused_naming(&vars_with(&[("KEYS", &entry)]), "KEYS", &[&repetitive]);
}

#[test]
fn a_code_lifetime_over_ten_minutes_is_reported() {
    refused_naming(
        &vars_with(&[("CODE_TTL_SECONDS", "601")]),
        "CODE_TTL_SECONDS",
        &[],
    );
    refused_naming(
        &vars_with(&[("CODE_TTL_SECONDS", "3600")]),
        "CODE_TTL_SECONDS",
        &[],
    );
    refused_naming(
        &vars_with(&[("CODE_TTL_SECONDS", "ten")]),
        "CODE_TTL_SECONDS",
        &[],
    );
    assert!(
        service_from(&vars_with(&[("CODE_TTL_SECONDS", "600")]))
            .config()
            .is_ok()
    );
}

#[test]
fn a_link_lifetime_over_a_day_is_reported() {
    refused_naming(
        &vars_with(&[("LINK_TTL_SECONDS", "86401")]),
        "LINK_TTL_SECONDS",
        &[],
    );
    refused_naming(
        &vars_with(&[("LINK_TTL_SECONDS", "-1")]),
        "LINK_TTL_SECONDS",
        &[],
    );
    assert!(
        service_from(&vars_with(&[("LINK_TTL_SECONDS", "86400")]))
            .config()
            .is_ok()
    );
}

#[test]
fn payload_and_access_token_lifetimes_beyond_their_ceilings_are_reported() {
    refused_naming(
        &vars_with(&[("SIGNED_PAYLOAD_TTL_SECONDS", "3601")]),
        "SIGNED_PAYLOAD_TTL_SECONDS",
        &[],
    );
    refused_naming(
        &vars_with(&[("ACCESS_TOKEN_TTL_SECONDS", "86401")]),
        "ACCESS_TOKEN_TTL_SECONDS",
        &[],
    );
    refused_naming(
        &vars_with(&[("CODE_TTL_SECONDS", "59")]),
        "CODE_TTL_SECONDS",
        &[],
    );
}

#[test]
fn an_unknown_provider_is_reported_without_echoing_a_pasted_secret() {
    refused_naming(
        &vars_with(&[("EMAIL_PROVIDER", "mailchimp")]),
        "EMAIL_PROVIDER",
        &[],
    );
    refused_naming(
        &vars_with(&[("SMS_PROVIDER", "nexmo")]),
        "SMS_PROVIDER",
        &[],
    );
    let pasted = "re_Xy7PastedApiKey_0123456789";
    refused_naming(
        &vars_with(&[("EMAIL_PROVIDER", pasted)]),
        "EMAIL_PROVIDER",
        &[pasted],
    );
}

#[test]
fn a_provider_missing_its_settings_is_reported() {
    let problems = refused_naming(
        &vars_with(&[("EMAIL_PROVIDER", "resend")]),
        "EMAIL_API_KEY",
        &[],
    );
    assert!(problems.iter().any(|p| p.contains("EMAIL_FROM")));
    let secret = "tw auth token with spaces";
    refused_naming(
        &vars_with(&[
            ("SMS_PROVIDER", "twilio"),
            ("SMS_FROM", "+15551234567"),
            ("TWILIO_ACCOUNT_SID", "AC0123456789abcdef"),
            ("TWILIO_AUTH_TOKEN", secret),
        ]),
        "TWILIO_AUTH_TOKEN",
        &[secret],
    );
    let short = "whsec_short";
    refused_naming(
        &vars_with(&[
            ("EMAIL_PROVIDER", "webhook"),
            ("WEBHOOK_URL", "https://hooks.example.test/pwreset"),
            ("WEBHOOK_SECRET", short),
        ]),
        "WEBHOOK_SECRET",
        &[short],
    );
}

#[test]
fn the_outbox_is_refused_in_production() {
    refused_naming(
        &vars_with(&[("ENVIRONMENT", "production")]),
        "EMAIL_PROVIDER",
        &[],
    );
    // SMS alone through the outbox is refused too.
    refused_naming(
        &vars_with(&[
            ("ENVIRONMENT", "production"),
            ("EMAIL_PROVIDER", "resend"),
            ("EMAIL_API_KEY", "re_TestKey0123456789"),
            ("EMAIL_FROM", "no-reply@acme.test"),
        ]),
        "SMS_PROVIDER",
        &["re_TestKey0123456789"],
    );
    let real = vars_with(&[
        ("ENVIRONMENT", "production"),
        ("EMAIL_PROVIDER", "resend"),
        ("EMAIL_API_KEY", "re_TestKey0123456789"),
        ("EMAIL_FROM", "no-reply@acme.test"),
        ("SMS_PROVIDER", "twilio"),
        ("SMS_FROM", "+15551234567"),
        ("TWILIO_ACCOUNT_SID", "AC0123456789abcdef"),
        ("TWILIO_AUTH_TOKEN", "tw-token-9"),
    ]);
    assert!(service_from(&real).config().is_ok());
}

#[test]
fn a_short_admin_token_is_reported_without_its_value() {
    refused_naming(
        &vars_with(&[("ADMIN_TOKEN", "hunter2-short")]),
        "ADMIN_TOKEN",
        &["hunter2-short"],
    );
}

#[test]
fn a_code_length_outside_six_to_ten_digits_is_reported() {
    for digits in ["5", "11", "six"] {
        refused_naming(&vars_with(&[("CODE_DIGITS", digits)]), "CODE_DIGITS", &[]);
    }
    for digits in ["6", "10"] {
        assert!(
            service_from(&vars_with(&[("CODE_DIGITS", digits)]))
                .config()
                .is_ok()
        );
    }
}

#[test]
fn a_bad_password_policy_is_reported() {
    refused_naming(
        &vars_with(&[("PASSWORD_POLICY", "lenient")]),
        "PASSWORD_POLICY",
        &[],
    );
    refused_naming(
        &vars_with(&[("PASSWORD_POLICY", r#"{"min_lenght":8}"#)]),
        "PASSWORD_POLICY",
        &[],
    );
    refused_naming(
        &vars_with(&[("PASSWORD_POLICY", r#"{"max_length":20}"#)]),
        "PASSWORD_POLICY",
        &[],
    );
}

#[test]
fn bad_clients_are_reported() {
    refused_naming(
        &vars_with(&[("CLIENTS", "web=https://app.example")]),
        "CLIENTS",
        &[],
    );
    refused_naming(&vars_with(&[("CLIENTS", r#"{"web":[]}"#)]), "CLIENTS", &[]);
    refused_naming(
        &vars_with(&[("CLIENTS", r#"{"web":["https://app.example/path"]}"#)]),
        "CLIENTS",
        &[],
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let vars = vars_with(&[
        ("KEYS", ""),
        ("PUBLIC_URL", ""),
        ("CODE_TTL_SECONDS", "900"),
        ("LINK_TTL_SECONDS", "172800"),
        ("EMAIL_PROVIDER", "carrier-pigeon"),
    ]);
    let problems = refused_naming(&vars, "KEYS", &[]);
    for variable in [
        "KEYS",
        "PUBLIC_URL",
        "CODE_TTL_SECONDS",
        "LINK_TTL_SECONDS",
        "EMAIL_PROVIDER",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(variable)),
            "{variable}: {problems:?}"
        );
    }
}

#[test]
fn a_misconfigured_service_leaves_queue_messages_for_a_retry() {
    let broken = service_from(&vars_with(&[("KEYS", "")]));
    let platform = MemoryPlatform::new(NOW);
    // The queued job, run by a service whose configuration broke since: retried, not lost.
    let job = reset_job(pwreset_service::jobs::ResetVia::EmailCode, "jane");
    assert_eq!(block_on(broken.run_job(&platform, job)), JobOutcome::Retry);
}

#[test]
fn no_configuration_makes_the_service_panic() {
    let odd_values = [
        "",
        " ",
        "0",
        "-5",
        "18446744073709551616",
        "\u{0}",
        "\u{202e}",
        "{",
        "[]",
        "null",
        "https://",
        "http://:0",
        "k1:",
        "outbox,resend",
        "production",
    ];
    let names = [
        "PUBLIC_URL",
        "KEYS",
        "ADMIN_TOKEN",
        "CLIENTS",
        "API_KEYS",
        "PASSWORD_POLICY",
        "CODE_TTL_SECONDS",
        "LINK_TTL_SECONDS",
        "SIGNED_PAYLOAD_TTL_SECONDS",
        "ACCESS_TOKEN_TTL_SECONDS",
        "CODE_DIGITS",
        "ENVIRONMENT",
        "EMAIL_PROVIDER",
        "EMAIL_FROM",
        "EMAIL_API_KEY",
        "EMAIL_BASE_URL",
        "SMS_PROVIDER",
        "SMS_FROM",
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "SMS_BASE_URL",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
    ];
    let platform = MemoryPlatform::new(NOW);
    for name in names {
        for value in odd_values {
            let service: Service = service_from(&vars_with(&[(name, value)]));
            let answer = block_on(service.handle(
                &platform,
                post(
                    "/reg/user/resetPasswordRequest",
                    &json!({ "username": "jane" }),
                ),
            ));
            assert!(
                answer.status == 200 || answer.status == 503,
                "{name}={value:?} → {}",
                answer.status
            );
        }
    }
}

#[test]
fn every_problem_reads_as_one_clean_sentence() {
    let printable = format!(
        "k1:{}",
        URL_SAFE_NO_PAD.encode(b"correct horse battery staple 123")
    );
    let settings: [(&str, &str); 6] = [
        ("KEYS", &printable),
        ("KEYS", "k1:AAAA"),
        ("CODE_TTL_SECONDS", "601"),
        ("EMAIL_PROVIDER", "mailchimp"),
        ("ENVIRONMENT", "production"),
        ("CLIENTS", "{"),
    ];
    for (name, value) in settings {
        let service = service_from(&vars_with(&[(name, value)]));
        let problems = service.config().expect_err("refused").0.clone();
        for problem in problems {
            assert!(
                !problem.contains("  ") && !problem.chars().any(char::is_control),
                "{name}: {problem:?}"
            );
        }
    }
}

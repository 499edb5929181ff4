//! A bad configuration is found at start and reported in the log, by variable name and without
//! any secret value, while every request gets a bare `503`: never a panic, never the problems.
//! Development is chosen explicitly (`ENVIRONMENT=development`, on a loopback `PUBLIC_URL`); any
//! other environment gets production rules.

mod common;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use futures_executor::block_on;
use pwreset_service::config::{
    self, Kind, Section, ServiceConfig, UrlKind, UserApi, VARIABLES, variable,
};
use pwreset_service::queue::{self, Decision};
use pwreset_service::testing::memory::MemoryPlatform;
use pwreset_service::{Method, Request, Response, Service};
use serde_json::{Value, json};

/// The development settings `make dev` copies, as committed.
const DEV_VARS_EXAMPLE: &str = include_str!("../../../.dev.vars.example");
/// The API's documentation, whose configuration table lists every variable.
const API_DOC: &str = include_str!("../../../docs/api.md");

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
        Request::new(Method::Get, "/reset?token=ab"),
        Request::new(Method::Get, "/openapi.json"),
        Request::new(Method::Get, "/no/such/route"),
        Request::new(Method::Other, "/reg/user/info"),
    ]
}

/// A bare `503`: an empty body, so nothing about the configuration reaches the caller.
#[track_caller]
fn assert_bare_503(answer: &Response, what: &str) {
    assert_eq!(answer.status, 503, "{what}: {}", text(answer));
    assert!(answer.body.is_empty(), "{what}: a body: {}", text(answer));
    assert_eq!(
        answer.header_value("content-type"),
        Some("text/plain; charset=utf-8"),
        "{what}"
    );
    assert_eq!(answer.header_value("retry-after"), None, "{what}");
}

/// The problems of a refused configuration, after checking that every request gets the same bare
/// `503`, that the log lists the problems (one `configuration_invalid` line per request), that
/// one problem names `variable` and that none of `secrets` appears in a problem or the log.
#[track_caller]
fn refused_naming(
    vars: &BTreeMap<String, String>,
    variable: &str,
    secrets: &[&str],
) -> Vec<String> {
    let service = service_from(vars);
    let problems = match service.config() {
        Ok(_) => panic!("{variable}: configuration accepted"),
        Err(problems) => problems.0.clone(),
    };
    assert!(
        problems.iter().any(|p| p.contains(variable)),
        "{variable} not named in {problems:?}"
    );
    for secret in secrets {
        assert!(
            !problems.iter().any(|p| p.contains(secret)),
            "{variable}: {secret:?} shown in {problems:?}"
        );
    }
    let platform = MemoryPlatform::new(NOW);
    let requests = every_request();
    for request in &requests {
        let path = request.path.clone();
        let answer = block_on(service.handle(&platform, request.clone()));
        assert_bare_503(&answer, &path);
    }
    // The log says what is wrong, without the secrets either.
    let logs = platform.logs();
    assert_eq!(logs.len(), requests.len());
    for line in &logs {
        let parsed: Value = serde_json::from_str(line).unwrap();
        assert_eq!(parsed["event"], "configuration_invalid");
        assert_eq!(parsed["problems"], json!(problems));
        for secret in secrets {
            assert!(!line.contains(secret), "{variable}: {secret:?} logged");
        }
    }
    assert!(service.config_problem_line(&platform).is_some());
    problems
}

/// The variables `.dev.vars.example` sets.
fn example_vars() -> BTreeMap<String, String> {
    DEV_VARS_EXAMPLE
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// Whether `problem` is about `name`: it starts with the name, then a space or a colon.
fn names(problem: &str, name: &str) -> bool {
    problem
        .strip_prefix(name)
        .is_some_and(|rest| rest.starts_with([' ', ':']))
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
    for bad in [
        "reset.example.test",
        "ftp://127.0.0.1",
        "http://user:pw@127.0.0.1:8787",
        "http://127.0.0.1:8787/?next=1",
        "http://127.0.0.1:8787/#top",
        "http://127.0.0.1:99999",
    ] {
        refused_naming(&vars_with(&[("PUBLIC_URL", bad)]), "PUBLIC_URL", &["pw@"]);
    }
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
    let outbox = production_vars(&[("EMAIL_PROVIDER", "outbox"), ("SMS_PROVIDER", "outbox")]);
    let problems = refused_naming(&outbox, "EMAIL_PROVIDER", &[]);
    assert!(problems.iter().any(|p| p.contains("SMS_PROVIDER")));
    // SMS alone through the outbox is refused too; so is a provider left unset (its default is
    // the outbox).
    refused_naming(
        &production_vars(&[("SMS_PROVIDER", "outbox")]),
        "SMS_PROVIDER",
        &["re_TestKey0123456789"],
    );
    refused_naming(
        &production_vars(&[("EMAIL_PROVIDER", "")]),
        "EMAIL_PROVIDER",
        &[],
    );
    assert!(service_from(&production_vars(&[])).config().is_ok());
}

#[test]
fn only_environment_development_allows_the_outbox_and_the_dev_routes() {
    // Any other value, or none, is production: the outbox is refused and nothing is served, the
    // outbox least of all.
    for environment in [
        "",
        "production",
        "Production",
        "staging",
        "test",
        "Development",
        "DEVELOPMENT",
        "dev",
        "development-1",
    ] {
        let vars = vars_with(&[("ENVIRONMENT", environment)]);
        let problems = refused_naming(&vars, "EMAIL_PROVIDER", &[]);
        assert!(
            problems.iter().any(|p| p.contains("SMS_PROVIDER")),
            "{environment:?}: {problems:?}"
        );
    }
    // Development itself (blanks around the value aside) serves the outbox.
    for environment in ["development", " development "] {
        let h = Harness::with(&[("ENVIRONMENT", environment)]);
        let answer = h.send(Request::new(
            Method::Get,
            "/dev/outbox?to=jane%40example.com",
        ));
        assert_json_status(&answer, 200);
    }
}

#[test]
fn development_needs_a_loopback_public_url() {
    for public in [
        "https://reset.example.test",
        "http://reset.example.test",
        "http://192.168.1.10:8787",
        "http://10.0.0.1",
        "http://0.0.0.0:8787",
        "http://[::2]:8787",
        "http://[::ffff:8.8.8.8]",
        "http://localhost.example.test",
        "http://127.0.0.1.nip.io",
        "http://localhost.",
    ] {
        refused_naming(&vars_with(&[("PUBLIC_URL", public)]), "PUBLIC_URL", &[]);
    }
    for public in [
        "http://127.0.0.1:8787",
        "http://127.1.2.3",
        "http://localhost:8787/",
        "http://LOCALHOST:3000",
        "http://[::1]:8787",
        "https://localhost",
        "http://127.0.0.1:8787/pwreset",
    ] {
        let service = service_from(&vars_with(&[("PUBLIC_URL", public)]));
        assert!(
            service.config().is_ok(),
            "{public}: {:?}",
            service.config().err()
        );
    }
}

#[test]
fn outside_development_every_configured_url_is_https() {
    // Every URL variable of the table, in each production configuration that reads it: `http://`
    // is one problem naming it (never its value: a webhook URL may carry a token), and fine in
    // development; a URL that does not parse is at most one problem, its fault.
    let token = "URL-SECRET-TOKEN-0123";
    let production: Vec<_> = configurations_reading_everything()
        .into_iter()
        .filter(|vars| vars["ENVIRONMENT"] == "production")
        .map(|vars| (names_read(&vars), vars))
        .collect();
    let mut checked = 0;
    for v in VARIABLES {
        let Kind::Url(kind) = v.kind else { continue };
        // A loopback host, which development accepts for every URL.
        let http = match kind {
            UrlKind::Base => "http://127.0.0.1:8790/base".to_owned(),
            UrlKind::Endpoint => format!("http://127.0.0.1:8790/hook?token={token}"),
        };
        let mut malformed_reported = false;
        let mut in_development = 0;
        for (read, base) in &production {
            if !read.contains(v.name) {
                continue;
            }
            let with = |value: &str| {
                let mut vars = base.clone();
                vars.insert(v.name.to_owned(), value.to_owned());
                vars
            };
            let problems = refused_naming(&with(&http), v.name, &[token]);
            let naming: Vec<_> = problems.iter().filter(|p| names(p, v.name)).collect();
            assert!(
                naming.len() == 1 && naming[0].contains("https://"),
                "{}: {problems:?}",
                v.name
            );
            let malformed = service_from(&with("ftp://127.0.0.1:8790"));
            if let Err(problems) = malformed.config() {
                let naming = problems.0.iter().filter(|p| names(p, v.name)).count();
                assert!(naming <= 1, "{}: {problems:?}", v.name);
                malformed_reported |= naming == 1;
            }
            // Where the URL over https:// is fine, the same URL in development is too (a
            // loopback PUBLIC_URL aside).
            let https = http.replacen("http://", "https://", 1);
            if v.name != "PUBLIC_URL" && service_from(&with(&https)).config().is_ok() {
                let mut vars = with(&http);
                vars.insert("ENVIRONMENT".to_owned(), "development".to_owned());
                vars.insert("PUBLIC_URL".to_owned(), PUBLIC_URL.to_owned());
                let service = service_from(&vars);
                assert!(
                    service.config().is_ok(),
                    "{}: {:?}",
                    v.name,
                    service.config().err()
                );
                in_development += 1;
            }
        }
        assert!(malformed_reported, "{}: ftp:// is never reported", v.name);
        assert!(
            in_development > 0 || v.name == "PUBLIC_URL",
            "{}: never tried in development",
            v.name
        );
        checked += 1;
    }
    assert!(checked >= 7, "{checked}");
    // Browser origins too: a page served over http:// can be rewritten on its way.
    let clients = json!({ "web": ["https://app.example.test", "http://app.example.test"] });
    refused_naming(
        &production_vars(&[("CLIENTS", &clients.to_string())]),
        "CLIENTS",
        &[],
    );
    let https = json!({ "web": ["https://app.example.test", "https://app.example.test:8443"] });
    assert!(
        service_from(&production_vars(&[("CLIENTS", &https.to_string())]))
            .config()
            .is_ok()
    );
}

#[test]
fn the_example_secrets_are_refused_outside_development() {
    let example = example_vars();
    // The service reads the file as this test does.
    for v in VARIABLES {
        assert_eq!(
            config::example_value(v.name),
            example.get(v.name).map(String::as_str),
            "{}",
            v.name
        );
    }
    // Every secret the file gives a value: refused outside development, fine in it.
    let mut refused = BTreeSet::new();
    for v in VARIABLES.iter().filter(|v| v.secret) {
        let Some(value) = example.get(v.name).map(String::as_str) else {
            continue;
        };
        let problems = refused_naming(&production_vars(&[(v.name, value)]), v.name, &[value]);
        assert!(
            problems
                .iter()
                .any(|p| names(p, v.name) && p.contains(".dev.vars.example")),
            "{}: {problems:?}",
            v.name
        );
        let service = service_from(&vars_with(&[(v.name, value)]));
        assert!(service.config().is_ok(), "{}", v.name);
        refused.insert(v.name);
    }
    for name in ["KEYS", "ADMIN_TOKEN", "API_KEYS", "INTROSPECTION_TOKENS"] {
        assert!(refused.contains(name), "{name}: {refused:?}");
    }
    // The example's key under another id, or behind a key of one's own; the example's API key
    // among others.
    let example_key = example["KEYS"].split_once(':').unwrap().1.to_owned();
    for keys in [
        format!("k-other:{example_key}"),
        format!("{},k0:{example_key}", key_entry("k2", 9)),
    ] {
        refused_naming(
            &production_vars(&[("KEYS", &keys)]),
            "KEYS",
            &[&example_key],
        );
    }
    let api_keys = format!("prod-api-key-fedcba9876543210, {}", example["API_KEYS"]);
    refused_naming(
        &production_vars(&[("API_KEYS", &api_keys)]),
        "API_KEYS",
        &[&example["API_KEYS"]],
    );
}

#[test]
fn the_dev_vars_example_is_a_working_development_configuration_and_nothing_else() {
    let example = example_vars();
    assert_eq!(example["ENVIRONMENT"], "development");
    let service = service_from(&example);
    assert!(service.config().is_ok(), "{:?}", service.config().err());
    // The same settings with the environment changed or left out: production rules, every one of
    // them broken.
    for environment in ["", "production", "staging"] {
        let mut vars = example.clone();
        if environment.is_empty() {
            vars.remove("ENVIRONMENT");
        } else {
            vars.insert("ENVIRONMENT".to_owned(), environment.to_owned());
        }
        let problems = refused_naming(
            &vars,
            "KEYS",
            &[
                &example["KEYS"],
                &example["ADMIN_TOKEN"],
                &example["API_KEYS"],
            ],
        );
        for variable in [
            "PUBLIC_URL",
            "KEYS",
            "ADMIN_TOKEN",
            "API_KEYS",
            "CLIENTS",
            "EMAIL_PROVIDER",
            "SMS_PROVIDER",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(variable)),
                "{environment:?}: {variable} not in {problems:?}"
            );
        }
    }
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
    // Origins are compared as text with the browser's Origin header, which never looks like these.
    for origin in [
        "https://App.example",
        "https://app.example:443",
        "https://app.example/",
        "https://user@app.example",
        "ftp://app.example",
    ] {
        let clients = json!({ "web": [origin] }).to_string();
        refused_naming(&vars_with(&[("CLIENTS", &clients)]), "CLIENTS", &[]);
    }
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
    let job = reset_job(pwreset_service::model::job::ResetVia::EmailCode, "jane");
    let body = serde_json::to_value(job).unwrap();
    let decisions = block_on(broken.consume_batch(&platform, queue::JOBS_QUEUE, vec![body]));
    let retry = Decision::Retry {
        delay_seconds: queue::JOB_RETRY_DELAY_SECS,
    };
    assert_eq!(decisions, [retry]);
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
        "development",
        "Production",
        "http://[::1",
        "http://127.0.0.1:99999",
        "https://ex ample.test",
        "http://localhost\u{0}",
        "https://user:pw@reset.example.test",
        "https://reset.example.test?x#y",
        "javascript:alert(1)",
        "{\"web\":[\"http://[::1]:3000\"]}",
    ];
    let platform = MemoryPlatform::new(NOW);
    // Every branch that reads a variable, so each variable's parser meets each odd value.
    for base in configurations_reading_everything() {
        for name in VARIABLES.iter().map(|v| v.name) {
            for value in odd_values {
                let mut vars = base.clone();
                vars.insert(name.to_owned(), value.to_owned());
                let service: Service = service_from(&vars);
                for request in [
                    post(
                        "/reg/user/resetPasswordRequest",
                        &json!({ "username": "jane" }),
                    ),
                    Request::new(Method::Get, "/dev/outbox?to=jane%40example.com"),
                ] {
                    let answer = block_on(service.handle(&platform, request));
                    assert!(
                        [200, 404, 503].contains(&answer.status),
                        "{name}={value:?} → {}",
                        answer.status
                    );
                    if answer.status == 503 {
                        assert!(answer.body.is_empty(), "{name}={value:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn every_problem_reads_as_one_clean_sentence() {
    let printable = format!(
        "k1:{}",
        URL_SAFE_NO_PAD.encode(b"correct horse battery staple 123")
    );
    let settings: [(&str, &str); 10] = [
        ("KEYS", &printable),
        ("KEYS", "k1:AAAA"),
        ("CODE_TTL_SECONDS", "601"),
        ("EMAIL_PROVIDER", "mailchimp"),
        ("ENVIRONMENT", "production"),
        ("ENVIRONMENT", "staging"),
        ("CLIENTS", "{"),
        ("CLIENTS", r#"{"web":["http://App.example"]}"#),
        ("PUBLIC_URL", "https://reset.example.test"),
        ("PUBLIC_URL", "http://127.0.0.1:8787/?x"),
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

#[test]
fn an_http_user_directory_outside_development_is_one_problem() {
    let vars = production_vars(&[
        ("USER_DIRECTORY_URL", "http://directory.example.test"),
        (
            "USER_DIRECTORY_SECRET",
            "directory-secret-0123456789abcdef0123",
        ),
    ]);
    let problems = refused_naming(&vars, "USER_DIRECTORY_URL", &[]);
    let naming: Vec<_> = problems
        .iter()
        .filter(|p| p.contains("USER_DIRECTORY_URL"))
        .collect();
    assert_eq!(naming.len(), 1, "{problems:?}");
}

// ------------------------------------------------------------ the declared table

/// Every name `get` is asked for while a service is configured from `vars`.
fn names_read(vars: &BTreeMap<String, String>) -> BTreeSet<String> {
    let asked = RefCell::new(BTreeSet::new());
    let _ = Service::from_vars(&|name| {
        asked.borrow_mut().insert(name.to_owned());
        vars.get(name).cloned()
    });
    asked.into_inner()
}

/// Configurations that between them take every branch that reads a variable: development with
/// the outbox; production with Resend and Twilio (and the https:// rule over every URL); webhooks
/// for both channels and the application's user directory.
fn configurations_reading_everything() -> Vec<BTreeMap<String, String>> {
    vec![
        base_vars(),
        production_vars(&[]),
        production_vars(&[
            ("EMAIL_PROVIDER", "webhook"),
            ("SMS_PROVIDER", "webhook"),
            ("WEBHOOK_URL", "https://hooks.example.test/pwreset"),
            ("WEBHOOK_SECRET", "whsec_0123456789abcdef0123456789abcdef"),
            ("USER_DIRECTORY_URL", "https://users.example.test"),
            ("USER_DIRECTORY_SECRET", "0123456789abcdef0123456789abcdef"),
            ("EVENTS_URL", "https://app.example.test/pwreset-events"),
            ("EVENTS_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            // Turnstile on, with a secret of its own (Cloudflare's test secrets are refused here).
            ("TURNSTILE_SITE_KEY", "0x4AAAAAAAexample0000"),
            ("TURNSTILE_SECRET_KEY", "0x4AAAAAAAexample-secret-0000"),
            // The logo's alt text: BRAND_LOGO_URL is read here with a name to go with it.
            ("BRAND_NAME", "Acme"),
        ]),
    ]
}

#[test]
fn every_declared_variable_is_declared_once() {
    let mut seen = BTreeSet::new();
    for v in VARIABLES {
        assert!(seen.insert(v.name), "{} declared twice", v.name);
        assert!(
            !v.name.is_empty()
                && v.name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
            "{:?} is not a variable name",
            v.name
        );
        assert!(
            !v.doc.is_empty() && !v.doc.contains('\n'),
            "{}: doc",
            v.name
        );
        assert_eq!(variable(v.name), Some(v));
    }
    // Sections in the order from_vars reads them, each in one run.
    let sections: Vec<Section> = VARIABLES.iter().map(|v| v.section).collect();
    assert!(sections.is_sorted(), "{sections:?}");
}

#[test]
fn every_variable_read_is_declared_and_every_declared_one_is_read() {
    let mut read = BTreeSet::new();
    for vars in configurations_reading_everything() {
        read.extend(names_read(&vars));
    }
    let declared: BTreeSet<String> = VARIABLES.iter().map(|v| v.name.to_owned()).collect();
    let undeclared: Vec<_> = read.difference(&declared).collect();
    assert!(
        undeclared.is_empty(),
        "read but not declared: {undeclared:?}"
    );
    let unread: Vec<_> = declared.difference(&read).collect();
    assert!(unread.is_empty(), "declared but never read: {unread:?}");
}

/// Values `kind` accepts, and values it refuses, before any rule of the environment.
fn kind_probes(kind: Kind) -> (Vec<String>, Vec<String>) {
    let long = |len: usize| "x".repeat(len);
    let owned = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
    let whsec = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode([0x5a; 24])
    );
    match kind {
        Kind::Environment => (owned(&["development", "production"]), vec![]),
        Kind::Switch => (owned(&["on", "off"]), owned(&["yes", "ON"])),
        Kind::WholeNumber { min, max } => {
            let mut refused = vec![(max + 1).to_string(), "1.5".to_owned()];
            refused.extend(min.checked_sub(1).map(|n| n.to_string()));
            (vec![min.to_string(), max.to_string()], refused)
        }
        Kind::OneOf(words) => {
            let upper = words[0].to_uppercase();
            (owned(words), vec![upper, "none-of-these".to_owned()])
        }
        Kind::OneOfAnyCase(words) => {
            let mut accepted = owned(words);
            accepted.extend(words.iter().map(|w| w.to_uppercase()));
            (accepted, owned(&["none-of-these"]))
        }
        Kind::Url(UrlKind::Base) => (
            owned(&["https://a.example.test/base/"]),
            owned(&[
                "https://a.example.test/base?q=1",
                "https://u:p@a.example.test",
            ]),
        ),
        Kind::Url(UrlKind::Endpoint) => (
            owned(&["https://a.example.test/hook?token=1"]),
            owned(&["https://a.example.test/hook#f", "a.example.test/hook"]),
        ),
        Kind::Keyring => (vec![key_entry("k9", 11)], owned(&["k1", "k1:not base64!"])),
        Kind::Clients => (
            owned(&[r#"{"web":["https://app.example.test"]}"#]),
            owned(&["{", r#"{"web":[]}"#]),
        ),
        Kind::Policy => (owned(&["django", "seed-002"]), owned(&["lenient"])),
        Kind::PathSegment => (
            vec!["a-b_C9".to_owned(), long(32)],
            vec![long(33), "a/b".to_owned()],
        ),
        Kind::EmailSender => (owned(&["Name <name@example.test>"]), owned(&["nobody"])),
        Kind::EmailAddress => (
            owned(&["help@example.test"]),
            owned(&["Help <help@example.test>", "nobody"]),
        ),
        Kind::Text { max } => (
            owned(&["Acme \"<Tools>\" & Co"]),
            vec![long(max + 1), "two\nlines".to_owned()],
        ),
        Kind::Color => (
            owned(&["#0f766e", "#000", "#767676"]),
            owned(&["#777777", "#fff", "blue", "#12345"]),
        ),
        Kind::MessageTemplates => (
            owned(&[
                r#"{"de":{"reset_code":{"subject":"{{ code }} ist Ihr Code"}}}"#,
                r#"{"en":{"password_changed":{"html":"{% extends \"layout.html\" %}{% block content %}<p>{{ t.intro }}</p>{% endblock %}"}}}"#,
            ]),
            owned(&[
                "{",
                r#"{"fr":{}}"#,
                r#"{"en":{"reset_code":{"text":"{{ link }}"}}}"#,
                r#"{"en":{"reset_code":{"text":"{% if code %}"}}}"#,
            ]),
        ),
        Kind::Alphanumeric => (owned(&["AC0123abc"]), owned(&["AC-1"])),
        Kind::SmsSender => (
            owned(&["+15551234567", "MG0123abc", "Acme"]),
            owned(&["+1"]),
        ),
        Kind::Secret { min } => (vec![long(min)], vec![long(min - 1)]),
        Kind::SecretList { min } => (
            vec![format!("{}, {}", long(min), "y".repeat(min))],
            vec![format!("{} {}", long(min), long(min - 1))],
        ),
        Kind::Credential => (owned(&["abc-123"]), owned(&["a b"])),
        Kind::SigningSecret { raw_min } => {
            let mut accepted = vec![whsec];
            let mut refused = owned(&["whsec_short", "whsec_not base64!"]);
            match raw_min {
                Some(min) => {
                    accepted.push(long(min));
                    refused.push(long(min - 1));
                }
                None => refused.push(long(64)),
            }
            (accepted, refused)
        }
    }
}

#[test]
fn every_declared_kind_is_how_its_variable_is_read() {
    // The readers check, in debug builds, that each parser is of the declared kind; this checks
    // the kinds themselves: among the configurations that read a variable, some accept each value
    // its kind accepts, and some refuse, naming it, each value its kind refuses.
    let configurations: Vec<_> = configurations_reading_everything()
        .into_iter()
        .map(|vars| (names_read(&vars), vars))
        .collect();
    for v in VARIABLES {
        let reading: Vec<_> = configurations
            .iter()
            .filter(|(read, _)| read.contains(v.name))
            .map(|(_, vars)| vars)
            .collect();
        // Each configuration's problems with `value` set, `None` when it is accepted.
        let outcomes = |value: &str| -> Vec<Option<Vec<String>>> {
            reading
                .iter()
                .map(|vars| {
                    let mut vars = (*vars).clone();
                    vars.insert(v.name.to_owned(), value.to_owned());
                    service_from(&vars).config().err().map(|p| p.0.clone())
                })
                .collect()
        };
        let (accepted, refused) = kind_probes(v.kind);
        for value in &accepted {
            assert!(
                outcomes(value).iter().any(Option::is_none),
                "{}={value:?} ({}) is refused wherever it is read",
                v.name,
                v.kind
            );
        }
        for value in &refused {
            assert!(
                outcomes(value).iter().any(|problems| problems
                    .as_ref()
                    .is_some_and(|p| p.iter().any(|p| names(p, v.name)))),
                "{}={value:?} ({}) is accepted wherever it is read",
                v.name,
                v.kind
            );
        }
    }
}

#[test]
fn every_declared_default_is_what_an_unset_variable_means() {
    /// What a configuration decided, in the fields a default can reach.
    fn decided(vars: &BTreeMap<String, String>) -> String {
        match service_from(vars).config() {
            Ok(c) => format!(
                "{:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {} {} {:?} {} {:?} {} {} {:?} {:?} {:?} {:?} {:?} {:?}",
                c.environment,
                c.public_url,
                c.admin_token,
                c.clients,
                c.api_keys,
                c.access_token_algorithms,
                c.introspection_tokens.len(),
                c.policy.settings(),
                c.user_api.prefix,
                c.user_api.version,
                c.user_api.policy.settings(),
                c.user_api.reveal_accounts,
                c.lifetimes,
                c.code_digits,
                c.refusal_min_ms,
                c.delivery,
                c.branding,
                c.breached,
                c.directory,
                c.events,
                c.turnstile,
            ),
            Err(problems) => format!("refused: {problems}"),
        }
    }
    // Checked where the variable is read and matters: unset decides as its default does, and
    // some other value its kind accepts decides otherwise.
    let mut checked = BTreeSet::new();
    for base in configurations_reading_everything() {
        let read = names_read(&base);
        for v in VARIABLES {
            let Some(default) = v.default else { continue };
            if !read.contains(v.name) {
                continue;
            }
            let with = |value: Option<&str>| {
                let mut vars = base.clone();
                match value {
                    Some(value) => vars.insert(v.name.to_owned(), value.to_owned()),
                    None => vars.remove(v.name),
                };
                decided(&vars)
            };
            let unset = with(None);
            assert_eq!(unset, with(Some(default)), "{}={default}", v.name);
            let (accepted, _) = kind_probes(v.kind);
            if accepted
                .iter()
                .any(|value| value != default && with(Some(value)) != unset)
            {
                checked.insert(v.name);
            }
        }
    }
    let declared: BTreeSet<&str> = VARIABLES
        .iter()
        .filter(|v| v.default.is_some())
        .map(|v| v.name)
        .collect();
    let unchecked: Vec<_> = declared.difference(&checked).collect();
    assert!(
        unchecked.is_empty(),
        "defaults never checked where their variable matters: {unchecked:?}"
    );
}

/// Everything `config` holds, in `Debug`, field by field: a field added later does not compile
/// here until it is printed too.
fn debug_of_everything(config: &ServiceConfig) -> String {
    let ServiceConfig {
        environment,
        public_url,
        keyring,
        admin_token,
        clients,
        api_keys,
        access_token_algorithms,
        introspection_tokens,
        policy,
        user_api,
        lifetimes,
        code_digits,
        refusal_min_ms,
        delivery,
        branding,
        breached,
        directory,
        events,
        turnstile,
    } = config;
    let UserApi {
        prefix,
        version,
        policy: user_policy,
        reveal_accounts,
    } = user_api;
    format!(
        "{config:?} {environment:?} {public_url:?} {keyring:?} {admin_token:?} {clients:?} \
         {api_keys:?} {access_token_algorithms:?} {introspection_tokens:?} {:?} {prefix:?} \
         {version:?} {:?} {reveal_accounts:?} {lifetimes:?} {code_digits:?} {refusal_min_ms:?} \
         {delivery:?} {branding:?} {breached:?} {directory:?} {events:?} {turnstile:?}",
        policy.settings(),
        user_policy.settings(),
    )
}

#[test]
fn no_secret_value_reaches_a_problem_or_the_configuration_s_debug() {
    let marker = "SeCrEtMaRkEr";
    let secrets: Vec<&str> = VARIABLES
        .iter()
        .filter(|v| v.secret)
        .map(|v| v.name)
        .collect();
    for name in [
        "KEYS",
        "ADMIN_TOKEN",
        "API_KEYS",
        "WEBHOOK_SECRET",
        "USER_DIRECTORY_SECRET",
    ] {
        assert!(secrets.contains(&name), "{name} is a secret");
    }
    let configurations: Vec<_> = configurations_reading_everything()
        .into_iter()
        .map(|vars| (names_read(&vars), vars))
        .collect();
    // Refused values: too short, with spaces, malformed.
    for (_, vars) in &configurations {
        for name in &secrets {
            for value in [
                marker.to_owned(),
                format!("{marker} with spaces 0123456789abcdef"),
            ] {
                let mut vars = vars.clone();
                vars.insert((*name).to_owned(), value);
                if let Err(problems) = service_from(&vars).config() {
                    assert!(!problems.to_string().contains(marker), "{name}: {problems}");
                }
            }
        }
    }
    // Every value each secret's kind accepts, accepted where the secret is read: in no field's
    // Debug (a keyring entry's id and other short parts aside).
    for v in VARIABLES.iter().filter(|v| v.secret) {
        for value in kind_probes(v.kind).0 {
            let parts: Vec<&str> = value
                .split([',', ' ', ':'])
                .filter(|part| part.len() >= 4)
                .collect();
            assert!(!parts.is_empty(), "{}={value:?}", v.name);
            let mut shown = 0;
            for (read, base) in &configurations {
                if !read.contains(v.name) {
                    continue;
                }
                let mut vars = base.clone();
                vars.insert(v.name.to_owned(), value.clone());
                let service = service_from(&vars);
                let Ok(config) = service.config() else {
                    continue;
                };
                let debug = debug_of_everything(config);
                for part in &parts {
                    assert!(!debug.contains(part), "{}={value:?}: {debug}", v.name);
                }
                shown += 1;
            }
            assert!(shown > 0, "{}={value:?} is accepted nowhere", v.name);
        }
    }
}

/// One row of docs/api.md's configuration table.
#[derive(Debug)]
struct DocumentedRow {
    /// The variables its first cell names, in backticks.
    names: Vec<String>,
    /// Whether its first cell marks them `(secret)`.
    secret: bool,
    /// Its default cell.
    default: String,
    /// Its format cell.
    format: String,
}

/// The values in backticks in a cell, in order.
fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The rows of docs/api.md's configuration table.
fn documented_rows() -> Vec<DocumentedRow> {
    let section = API_DOC
        .split("\n## Configuration\n")
        .nth(1)
        .expect("docs/api.md has a Configuration section");
    let table = section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'));
    table
        .skip(2) // the header and its rule
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            DocumentedRow {
                names: backticked(cells[1])
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                secret: cells[1].ends_with(" (secret)"),
                default: cells[2].to_owned(),
                format: cells[3].to_owned(),
            }
        })
        .collect()
}

#[test]
fn the_documented_configuration_table_is_the_declared_one() {
    let rows = documented_rows();
    assert!(rows.len() > 20, "{rows:?}");
    let mut documented = BTreeSet::new();
    for row in &rows {
        assert!(!row.names.is_empty(), "a row names no variable: {row:?}");
        let declared: Vec<_> = row
            .names
            .iter()
            .map(|name| {
                variable(name).unwrap_or_else(|| {
                    panic!("docs/api.md documents {name}, which config::VARIABLES does not declare")
                })
            })
            .collect();
        for v in &declared {
            assert!(documented.insert(v.name), "{} documented twice", v.name);
            assert_eq!(
                row.secret, v.secret,
                "{}: docs/api.md marks it (secret) only when the table declares it secret",
                v.name
            );
            assert_eq!(
                row.format,
                v.kind.to_string(),
                "{}: docs/api.md gives the format {:?}, the table {:?}",
                v.name,
                row.format,
                v.kind
            );
        }
        // A declared default is the cell's value in backticks, exactly (one per variable named);
        // without one, the cell is no bare value.
        let shown = backticked(&row.default);
        if declared.iter().any(|v| v.default.is_some()) {
            let defaults: Vec<&str> = declared
                .iter()
                .map(|v| v.default.unwrap_or("(no default declared)"))
                .collect();
            assert_eq!(
                shown, defaults,
                "{:?}: docs/api.md gives the default {:?}",
                row.names, row.default
            );
        } else {
            let rest = shown
                .iter()
                .fold(row.default.clone(), |rest, value| {
                    rest.replacen(&format!("`{value}`"), "", 1)
                })
                .replace(',', "");
            assert!(
                !rest.trim().is_empty(),
                "{:?}: docs/api.md gives a default {:?}, the table none",
                row.names,
                row.default
            );
        }
    }
    for v in VARIABLES {
        assert!(
            documented.contains(v.name),
            "{} is declared but missing from docs/api.md's configuration table",
            v.name
        );
    }
}

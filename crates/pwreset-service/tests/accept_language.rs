//! Every human text of the three dialects' JSON answers follows `Accept-Language`: the top-level
//! `message`, each `errors[].message`, dialect C's `message` and `errors[].description`. Statuses,
//! codes and fields never change with the language; without the header (or in English, or in a
//! language the service does not speak) the texts are the English ones, byte for byte.

mod common;

use common::*;
use pwreset_service::ports::LimitRule;
use pwreset_service::{Method, Request, Response};
use serde_json::{Value, json};

const LANGUAGES: [&str; 2] = ["de", "es-MX,es;q=0.9,en;q=0.5"];

fn user_post(route: &str, body: &Value) -> Request {
    with_api_key(post(&format!("{USER_API}/{route}"), body))
}

/// `answer`'s human texts, in order: `message`, then each item's `message` or `description`.
fn texts(answer: &Response) -> Vec<String> {
    let body = answer.json_body();
    let mut found: Vec<String> = body["message"]
        .as_str()
        .map(str::to_owned)
        .into_iter()
        .collect();
    for item in body["errors"].as_array().into_iter().flatten() {
        for key in ["message", "description"] {
            if let Some(text) = item[key].as_str() {
                found.push(text.to_owned());
            }
        }
    }
    found
}

/// `answer`'s body with every human text blanked: what must not change with the language.
fn skeleton(answer: &Response) -> Value {
    let mut body = answer.json_body();
    if body.get("message").is_some() {
        body["message"] = json!("…");
    }
    if let Some(items) = body["errors"].as_array_mut() {
        for item in items {
            for key in ["message", "description"] {
                if item.get(key).is_some() {
                    item[key] = json!("…");
                }
            }
        }
    }
    if body.get("token").is_some() {
        body["token"] = json!("…");
    }
    body
}

/// Sends what `request` makes with no `Accept-Language`, with `en`, with `fr` and in each of
/// [`LANGUAGES`]; asserts that only the human texts differ, each from its English, and that
/// English, `en` and `fr` read the same. The English answer, then the German and the Spanish.
#[track_caller]
fn in_each_language(h: &Harness, request: impl Fn() -> Request) -> (Response, Response, Response) {
    let english = h.send(request());
    let english_texts = texts(&english);
    assert!(!english_texts.is_empty(), "{}", text(&english));
    for same in ["en-GB,en;q=0.9", "fr-FR, ja"] {
        let again = h.send(request().header("accept-language", same));
        assert_eq!(again.status, english.status);
        assert_eq!(texts(&again), english_texts, "{same}");
    }
    let mut translated = Vec::new();
    for language in LANGUAGES {
        let answer = h.send(request().header("accept-language", language));
        assert_eq!(
            answer.status,
            english.status,
            "{language}: {}",
            text(&answer)
        );
        assert_eq!(skeleton(&answer), skeleton(&english), "{language}");
        let theirs = texts(&answer);
        assert_eq!(theirs.len(), english_texts.len());
        for (translated, english) in theirs.iter().zip(&english_texts) {
            assert_ne!(translated, english, "{language}: still English");
            assert!(!translated.contains('{'), "{translated}");
        }
        translated.push(answer);
    }
    let spanish = translated.pop().unwrap();
    let german = translated.pop().unwrap();
    (english, german, spanish)
}

fn message(answer: &Response) -> String {
    answer.json_body()["message"].as_str().unwrap().to_owned()
}

// ---------------------------------------------------------------- dialect A

#[test]
fn dialect_a_answers_in_the_requesters_language() {
    let h = Harness::new();
    let jane = h.jane();

    let (english, german, spanish) = in_each_language(&h, || {
        post("/reg/user/resetPasswordRequest", &json!({ "user": "jane" }))
    });
    assert_eq!(message(&english), "The field \"username\" is required.");
    assert_eq!(message(&german), "Das Feld \"username\" ist erforderlich.");
    assert_eq!(message(&spanish), "El campo \"username\" es obligatorio.");

    in_each_language(&h, || {
        post("/reg/user/resetPasswordRequest", &json!({ "username": 5 }))
    });
    in_each_language(&h, || post_raw("/reg/user/resetPasswordRequest", b"[]"));
    in_each_language(&h, || {
        let mut request = Request::new(Method::Post, "/reg/user/resetPasswordRequest")
            .header("content-type", "text/plain");
        request.body = b"{}".to_vec();
        request
    });
    in_each_language(&h, || post_raw("/reg/user/resetPassword", &[b' '; 16_385]));

    let (english, german, _) = in_each_language(&h, || reg_code_request("jane", "000000"));
    assert_eq!(
        message(&english),
        "The reset code or link is invalid or has expired."
    );
    assert_eq!(
        message(&german),
        "Der Code oder Link zum Zurücksetzen ist ungültig oder abgelaufen."
    );

    // A refused password: the top-level message and the policy's.
    let payload = h.reg_payload(&jane);
    let (english, german, spanish) =
        in_each_language(&h, || reg_reset_request("jane", &payload, "short"));
    assert_eq!(message(&english), "The new password was refused.");
    assert_eq!(message(&german), "Das neue Passwort wurde abgelehnt.");
    assert_eq!(message(&spanish), "La nueva contraseña no se ha aceptado.");
    assert_eq!(error_codes(&german), error_codes(&english));

    let (english, german, _) = in_each_language(&h, || Request::new(Method::Get, "/reg/user/info"));
    assert_eq!(message(&english), "Authentication required.");
    assert_eq!(message(&german), "Anmeldung erforderlich.");

    h.platform.set_limit(LimitRule::AttemptPerIp, 0);
    let (english, german, spanish) = in_each_language(&h, || reg_code_request("jane", "1"));
    assert_eq!(message(&english), "Too many attempts. Try again later.");
    assert_eq!(
        message(&german),
        "Zu viele Versuche. Bitte versuchen Sie es später erneut."
    );
    assert_eq!(
        message(&spanish),
        "Demasiados intentos. Vuelve a intentarlo más tarde."
    );
}

// ---------------------------------------------------------------- dialect B

#[test]
fn dialect_b_answers_in_the_requesters_language() {
    let h = Harness::new();
    let jane = h.jane();

    let (english, german, _) = in_each_language(&h, || {
        post(
            "/api/v1/auth/forgotpass",
            &json!({ "email": "jane@example.com" }),
        )
        .header("client_id", "nobody")
        .header("origin", ORIGIN)
    });
    assert_eq!(
        message(&english),
        "A registered client_id header is required."
    );
    assert_eq!(
        message(&german),
        "Ein registrierter client_id-Header ist erforderlich."
    );
    in_each_language(&h, || {
        post(
            "/api/v1/auth/forgotpass",
            &json!({ "email": "jane@example.com" }),
        )
        .header("client_id", CLIENT_ID)
        .header("origin", "https://elsewhere.example")
    });
    in_each_language(&h, || {
        Request::new(Method::Options, "/api/v1/auth/forgotpass")
            .header("origin", "https://elsewhere.example")
    });

    let (_, german, spanish) = in_each_language(&h, || {
        auth_post("/api/v1/auth/forgotpass", &json!({ "email": "jane" }))
    });
    assert_eq!(
        message(&german),
        "Das Feld \"email\" muss eine E-Mail-Adresse sein."
    );
    assert_eq!(
        message(&spanish),
        "El campo \"email\" debe ser una dirección de correo electrónico."
    );
    in_each_language(&h, || {
        auth_post("/api/v1/auth/forgotpass/mobile", &json!({ "phone": "12" }))
    });
    in_each_language(&h, || reset_link_request(&"0".repeat(64), NEW_PASSWORD));

    // A refused password, with a mismatched confirmation: every message of the policy too.
    let token = h.link_token(&jane);
    let (_, german, _) = in_each_language(&h, || {
        auth_post(
            "/api/v1/auth/resetpass",
            &json!({ "token": token, "password": "kurz", "passwordConfirm": "anders" }),
        )
    });
    assert_eq!(
        error_codes(&german),
        ["password_too_short", "password_mismatch"]
    );
    // The link is still good, in any language.
    let done = h.send(reset_link_request(&token, NEW_PASSWORD).header("accept-language", "de"));
    assert_eq!(done.status, 200);
    assert_eq!(done.json_body()["status"], "success");
}

// ---------------------------------------------------------------- dialect C

#[test]
fn dialect_c_answers_in_the_requesters_language() {
    let h = Harness::with(&[("USER_API_REVEAL_ACCOUNTS", "on")]);
    let jane = h.jane();

    let (english, german, spanish) = in_each_language(&h, || {
        user_post("forgot-password/", &json!({ "email": "jane" }))
    });
    assert_eq!(
        message(&english),
        "If an account matches, a link to reset its password has been sent."
    );
    assert_eq!(
        message(&german),
        "Falls ein Konto passt, wurde ein Link zum Zurücksetzen seines Passworts gesendet."
    );
    assert_eq!(
        message(&spanish),
        "Si hay una cuenta que coincide, se ha enviado un enlace para restablecer su contraseña."
    );
    let (english, german, _) = in_each_language(&h, || {
        user_post("forgot-password/", &json!({ "email": "nobody" }))
    });
    assert_eq!(
        texts(&english),
        ["This username or email does not exist in the system."]
    );
    assert_eq!(
        texts(&german),
        ["Dieser Benutzername oder diese E-Mail-Adresse ist im System nicht vorhanden."]
    );
    let (english, german, spanish) =
        in_each_language(&h, || user_post("forgot-password/", &json!({})));
    assert_eq!(texts(&english), ["This field is required."]);
    assert_eq!(texts(&german), ["Dieses Feld ist erforderlich."]);
    assert_eq!(texts(&spanish), ["Este campo es obligatorio."]);
    let (english, german, _) = in_each_language(&h, || {
        user_post("forgot-password/", &json!({ "email": [1] }))
    });
    assert_eq!(texts(&english), ["Must be a string."]);
    assert_eq!(texts(&german), ["Muss eine Zeichenkette sein."]);
    in_each_language(&h, || {
        post(
            &format!("{USER_API}/forgot-password/"),
            &json!({ "email": "jane" }),
        )
    });
    in_each_language(&h, || {
        let mut request = with_api_key(
            Request::new(Method::Post, &format!("{USER_API}/forgot-password/"))
                .header("content-type", "text/plain"),
        );
        request.body = b"{}".to_vec();
        request
    });

    in_each_language(&h, || {
        user_post(
            "forgot-password-submit/",
            &json!({ "user": jane.id, "token": "0".repeat(64), "new_password": NEW_PASSWORD }),
        )
    });

    // A refused password under seed-002, whose texts are English only: German and Spanish speak
    // through their own catalogs, which word each rule apart (seed-002 has one text for the four
    // character classes, listed once), so only the number of items may differ.
    h.drain();
    let link = h.latest_link(&jane.email);
    let token = link_token(&link);
    let refuse = |language: Option<&str>| {
        let request = user_post(
            "forgot-password-submit/",
            &json!({ "user": jane.id, "token": token, "new_password": "short" }),
        );
        h.send(match language {
            Some(language) => request.header("accept-language", language),
            None => request,
        })
    };
    let english = refuse(None);
    assert_eq!(english.status, 400);
    for (language, words) in [
        ("de", "Dieses Passwort ist zu kurz"),
        ("es", "Esta contraseña es demasiado corta"),
    ] {
        let answer = refuse(Some(language));
        assert_eq!(answer.status, 400);
        assert_eq!(answer.json_body()["error_type"], "Validation Error");
        let theirs = texts(&answer);
        assert!(theirs.iter().any(|t| t.contains(words)), "{theirs:?}");
        assert!(
            theirs.iter().all(|t| !texts(&english).contains(t)),
            "{theirs:?}"
        );
    }
    assert_eq!(texts(&refuse(Some("en"))), texts(&english));

    let done = h.send(
        user_post(
            "forgot-password-submit/",
            &json!({ "user": jane.id, "token": token, "new_password": "Amber-Falcon-58!" }),
        )
        .header("accept-language", "es"),
    );
    assert_eq!(done.status, 200, "{}", text(&done));
    assert_eq!(message(&done), "Tu contraseña se ha restablecido.");
    let bearer = done.json_body()["token"].as_str().unwrap().to_owned();

    let change = |old: &str, new: &str| {
        user_post(
            "profile/change-password/",
            &json!({ "old_password": old, "new_password": new, "confirm_password": new }),
        )
        .header("authorization", &format!("Bearer {bearer}"))
    };
    let (english, german, _) = in_each_language(&h, || change("wrong-Password-1!", NEWER_PASSWORD));
    assert_eq!(
        texts(&english),
        ["Your old password was entered incorrectly. Please enter it again."]
    );
    assert_eq!(
        texts(&german),
        ["Ihr altes Passwort wurde falsch eingegeben. Bitte geben Sie es erneut ein."]
    );
    in_each_language(&h, || {
        user_post(
            "profile/change-password/",
            &json!({ "old_password": "a", "new_password": "b", "confirm_password": "b" }),
        )
    });
    let changed =
        h.send(change("Amber-Falcon-58!", "Quiet-Lantern-93!").header("accept-language", "de"));
    assert_eq!(changed.status, 200, "{}", text(&changed));
    assert_eq!(message(&changed), "Ihr Passwort wurde geändert.");

    h.platform.set_limit(LimitRule::AttemptPerIp, 0);
    let (english, _, spanish) = in_each_language(&h, || {
        user_post(
            "forgot-password-submit/",
            &json!({ "user": jane.id, "token": token, "new_password": NEW_PASSWORD }),
        )
    });
    assert_eq!(texts(&english), ["Request was throttled. Try again later."]);
    assert_eq!(
        texts(&spanish),
        ["La solicitud se ha limitado. Vuelve a intentarlo más tarde."]
    );
}

#[test]
fn without_accept_language_the_english_texts_are_unchanged() {
    let h = Harness::new();
    let jane = h.jane();
    let payload = h.reg_payload(&jane);
    let refused = h.send(reg_reset_request("jane", &payload, "short"));
    assert_eq!(
        refused.json_body(),
        json!({
            "errors": [{
                "code": "password_too_short",
                "field": "newPassword",
                "message": "This password is too short. It must contain at least 8 characters.",
            }],
            "message": "The new password was refused.",
            "status": "fail",
        })
    );
    let answer = h.send(user_post("forgot-password/", &json!({ "email": "jane" })));
    assert_eq!(
        answer.json_body(),
        json!({
            "message": "If an account matches, a link to reset its password has been sent.",
            "status_code": 200,
        })
    );
    h.drain();
    let token = link_token(&h.latest_link(&jane.email));
    let refused = h.send(user_post(
        "forgot-password-submit/",
        &json!({ "user": jane.id, "token": token, "new_password": "short" }),
    ));
    // seed-002's own English texts.
    let english = texts(&refused);
    assert!(!english.is_empty());
    let again = h.send(
        user_post(
            "forgot-password-submit/",
            &json!({ "user": jane.id, "token": token, "new_password": "short" }),
        )
        .header("accept-language", "en"),
    );
    assert_eq!(texts(&again), english);
}

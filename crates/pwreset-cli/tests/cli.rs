//! The `pwreset` binary as a user drives it: arguments, stdin, stdout, exit status.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn pwreset(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pwreset"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn codes(result: &Value) -> Vec<&str> {
    result["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect()
}

#[test]
fn check_reports_similarity_to_the_username() {
    let output = pwreset(
        &["check", "--preset", "django"],
        r#"{"password":"johndoe1","user":{"username":"johndoe"}}"#,
    );
    assert!(output.status.success());
    let results = json_lines(&output);
    assert_eq!(results.len(), 1);
    assert_eq!(codes(&results[0]), ["password_too_similar"]);
    assert_eq!(results[0]["valid"], false);
    assert_eq!(results[0]["errors"][0]["params"]["attribute"], "username");
}

#[test]
fn check_answers_every_line_in_order_with_the_documented_shape() {
    let input = [
        r#"{"password":"password"}"#,
        r#"{"password":"kD9#mQ2$vL7pX!"}"#,
        r#"{"password":"12345678901"}"#,
    ]
    .join("\n");
    let results = json_lines(&pwreset(&["check"], &input));
    assert_eq!(codes(&results[0]), ["password_too_common"]);
    assert_eq!(codes(&results[1]), Vec::<&str>::new());
    assert_eq!(
        codes(&results[2]),
        ["password_too_common", "password_entirely_numeric"]
    );
    for result in &results {
        let keys: Vec<&String> = result.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["errors", "strength", "valid"]);
        assert!(result["strength"]["score"].is_u64());
    }
}

#[test]
fn malformed_lines_get_an_error_line_in_place_and_exit_status_2() {
    let input = "{\"password\":\"x\"}\nnot json\n{\"pasword\":\"x\"}\n{\"password\":42}\n{\"password\":\"ok\"}\n";
    let output = pwreset(&["check"], input);
    assert_eq!(output.status.code(), Some(2));
    let results = json_lines(&output);
    assert_eq!(results.len(), 5);
    assert!(results[1]["error"].as_str().unwrap().starts_with("line 2:"));
    assert!(
        results[2]["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `pasword`")
    );
    assert!(results[3]["error"].as_str().unwrap().starts_with("line 4:"));
    assert!(results[4]["valid"].is_boolean());
}

#[test]
fn confirmation_mismatch_is_reported_on_the_confirm_field() {
    let results = json_lines(&pwreset(
        &["check", "--preset", "seed-002"],
        r#"{"password":"Tr0ub4dour&3x","confirm":"Tr0ub4dour&3y"}"#,
    ));
    assert_eq!(codes(&results[0]), ["password_mismatch"]);
    assert_eq!(results[0]["errors"][0]["field"], "password_confirm");
    assert_eq!(
        results[0]["errors"][0]["message"],
        "The two password fields didn't match."
    );
}

#[test]
fn a_policy_file_is_used_and_a_bad_one_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("pwreset-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"preset":"nist","min_length":15}"#).unwrap();
    let results = json_lines(&pwreset(
        &["check", "--policy", good.to_str().unwrap()],
        r#"{"password":"4815162342108"}"#,
    ));
    assert_eq!(codes(&results[0]), ["password_too_short"]);

    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"min_lenght":15}"#).unwrap();
    let output = pwreset(&["check", "--policy", bad.to_str().unwrap()], "");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unknown field `min_lenght`"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn unknown_preset_is_a_clear_error() {
    let output = pwreset(&["check", "--preset", "strict"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("unknown preset `strict`")
    );
}

#[test]
fn password_flag_prints_a_verdict_for_people_and_exit_status() {
    let refused = pwreset(&["check", "--password", "password"], "");
    assert_eq!(refused.status.code(), Some(1));
    let text = String::from_utf8(refused.stdout).unwrap();
    assert!(text.contains("✗ refused"), "{text}");
    assert!(
        text.contains("This password is too common. (password_too_common)"),
        "{text}"
    );

    let accepted = pwreset(
        &[
            "check",
            "--password",
            "correct horse battery staple",
            "--user",
            r#"{"username":"jdoe"}"#,
        ],
        "",
    );
    assert!(accepted.status.success());
    let text = String::from_utf8(accepted.stdout).unwrap();
    assert!(text.starts_with("✓ accepted"), "{text}");
    assert!(text.contains("strength: 4/4"), "{text}");
}

#[test]
fn a_huge_input_line_is_refused_as_too_long() {
    let line = format!(r#"{{"password":"{}"}}"#, "a".repeat(10_000));
    let results = json_lines(&pwreset(&["check"], &line));
    assert_eq!(codes(&results[0]), ["password_too_long"]);
    assert!(results[0]["strength"].is_null());
}

#[test]
fn keygen_prints_one_entry_the_keyring_accepts_and_never_the_same_twice() {
    let first = pwreset(&["keygen"], "");
    let second = pwreset(&["keygen"], "");
    assert!(first.status.success());
    let entry = String::from_utf8(first.stdout).unwrap();
    let entry = entry.trim_end();
    assert_eq!(entry.lines().count(), 1);
    let (id, key) = entry.split_once(':').unwrap();
    assert!(id.starts_with('k') && id.len() == 14, "{id}");
    assert_eq!(key.len(), 43, "32 bytes as unpadded base64url");
    assert!(pwreset_core::secrets::Keyring::parse(entry).is_ok());
    assert_ne!(entry, String::from_utf8(second.stdout).unwrap().trim_end());
}

#[test]
fn hash_prints_an_owasp_argon2id_phc_string_of_the_first_stdin_line() {
    let output = pwreset(&["hash"], "Tr0ub4dour&3\r\nignored second line\n");
    assert!(output.status.success());
    let phc = String::from_utf8(output.stdout).unwrap();
    let phc = phc.trim_end();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert_eq!(
        pwreset_core::password_hash::verify_password("Tr0ub4dour&3", phc),
        Ok(true)
    );
}

#[test]
fn hash_warns_below_owasps_minimum_and_not_at_it() {
    let weak = pwreset(
        &["hash", "--memory-kib", "4096", "--iterations", "2"],
        "Tr0ub4dour&3\n",
    );
    assert!(weak.status.success());
    let stderr = String::from_utf8(weak.stderr).unwrap();
    assert!(
        stderr.contains("warning") && stderr.contains("below OWASP's minimum"),
        "{stderr}"
    );
    assert!(!stderr.contains("Tr0ub4dour"), "{stderr}");
    let phc = String::from_utf8(weak.stdout).unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=4096,t=2,p=1$"), "{phc}");

    let owasp = pwreset(
        &["hash", "--memory-kib", "9216", "--iterations", "4"],
        "x\n",
    );
    assert!(owasp.status.success());
    assert_eq!(String::from_utf8(owasp.stderr).unwrap(), "");
}

#[test]
fn hash_refuses_empty_input_and_impossible_parameters() {
    assert_eq!(pwreset(&["hash"], "").status.code(), Some(2));
    assert_eq!(pwreset(&["hash"], "\n").status.code(), Some(2));
    let output = pwreset(&["hash", "--memory-kib", "1"], "secret\n");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("unsupported argon2 parameters") && !stderr.contains("secret"),
        "{stderr}"
    );
}

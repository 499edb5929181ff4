//! `pwreset check`: JSON lines in, one result line out for each, in order; or one human verdict.

use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use pwreset_core::{CheckInput, CheckResult, Policy, Preset, UserAttributes};
use serde::Deserialize;
use serde_json::json;

/// Exit status when a password is refused (`--password`).
const REFUSED: u8 = 1;
/// Exit status for unusable input: a bad policy, or an input line that is not a request.
const BAD_INPUT: u8 = 2;

/// Options of `pwreset check`.
#[derive(Args)]
pub struct CheckArgs {
    /// A built-in policy: django, nist or seed-002 (default django).
    #[arg(long, conflicts_with = "policy")]
    preset: Option<String>,
    /// A policy document (JSON): `{"preset": "nist", "min_length": 15, ...}`.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Check this one password and print a verdict for people instead of reading stdin.
    #[arg(long)]
    password: Option<String>,
    /// With --password: the user's attributes as a JSON object, e.g. '{"username":"jdoe"}'.
    #[arg(long, value_name = "JSON", requires = "password")]
    user: Option<String>,
}

/// One input line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    password: String,
    #[serde(default)]
    user: Option<UserAttributes>,
    #[serde(default)]
    confirm: Option<String>,
}

/// Runs the command.
pub fn run(args: &CheckArgs) -> ExitCode {
    let policy = match load_policy(args) {
        Ok(policy) => policy,
        Err(message) => {
            eprintln!("pwreset check: {message}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    match &args.password {
        Some(password) => verdict_for_people(&policy, password, args.user.as_deref()),
        None => json_lines(&policy),
    }
}

fn load_policy(args: &CheckArgs) -> Result<Policy, String> {
    if let Some(path) = &args.policy {
        let document = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read policy {}: {e}", path.display()))?;
        return Policy::from_json(&document).map_err(|e| format!("{}: {e}", path.display()));
    }
    let preset: Preset = args
        .preset
        .as_deref()
        .unwrap_or("django")
        .parse()
        .map_err(|e| format!("{e}"))?;
    Ok(Policy::preset(preset))
}

/// Checks one request. The result always carries a strength estimate (the output shape has one,
/// and people reading a verdict want it), so the check asks for one.
fn check(policy: &Policy, request: &Request) -> CheckResult {
    let mut input = CheckInput::new(&request.password).with_strength();
    if let Some(user) = &request.user {
        input = input.user(user);
    }
    if let Some(confirm) = &request.confirm {
        input = input.confirm(confirm);
    }
    policy.check(&input)
}

/// Reads requests line by line; a line that is not a request gets an `{"error": ...}` line in its
/// place, so output lines still pair with input lines, and the exit status is then 2.
fn json_lines(policy: &Policy) -> ExitCode {
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut status = ExitCode::SUCCESS;
    for (index, line) in stdin.lines().enumerate() {
        let number = index + 1;
        let request = match line {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => serde_json::from_str::<Request>(&line).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let answer = match request {
            Ok(request) => {
                serde_json::to_string(&check(policy, &request)).expect("results serialize")
            }
            Err(e) => {
                status = ExitCode::from(BAD_INPUT);
                json!({ "error": format!("line {number}: {e}") }).to_string()
            }
        };
        if writeln!(out, "{answer}").is_err() {
            return ExitCode::from(BAD_INPUT);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(BAD_INPUT);
    }
    status
}

fn verdict_for_people(policy: &Policy, password: &str, user: Option<&str>) -> ExitCode {
    let user = match user.map(serde_json::from_str::<UserAttributes>) {
        None => None,
        Some(Ok(user)) => Some(user),
        Some(Err(e)) => {
            eprintln!("pwreset check: --user must be a JSON object: {e}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let request = Request {
        password: password.to_owned(),
        user,
        confirm: None,
    };
    let result = check(policy, &request);
    if result.valid {
        println!("✓ accepted");
    } else {
        println!("✗ refused:");
        for error in &result.errors {
            println!("  - {} ({})", error.message, error.code.as_str());
        }
    }
    if let Some(strength) = &result.strength {
        println!(
            "strength: {}/4, about 10^{:.1} guesses",
            strength.score, strength.guesses_log10
        );
        if let Some(warning) = &strength.warning {
            println!("  warning: {warning}");
        }
        for suggestion in &strength.suggestions {
            println!("  suggestion: {suggestion}");
        }
    }
    if result.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(REFUSED)
    }
}

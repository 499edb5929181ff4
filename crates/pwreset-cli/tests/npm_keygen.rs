//! `npx pwreset keygen` (the npm package's npm/bin/pwreset.js) prints entries the keyring parser
//! accepts (the parser the Worker reads `KEYS` with), in the format of this crate's `pwreset keygen`.
//! Skipped, with a note, where `node` is not installed.

use std::path::PathBuf;
use std::process::{Command, Output};

use pwreset_core::secrets::Keyring;

fn npm_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../npm/bin/pwreset.js")
}

/// `node npm/bin/pwreset.js args…`, or `None` when node cannot be started.
fn node_pwreset(args: &[&str]) -> Option<Output> {
    match Command::new("node").arg(npm_bin()).args(args).output() {
        Ok(output) => Some(output),
        Err(error) => {
            eprintln!("skipped: node is not available ({error})");
            None
        }
    }
}

fn rust_pwreset(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pwreset"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The lengths of an entry's date, hex suffix and key (after checking its `k<digits>-<hex>:` frame).
fn shape(entry: &str) -> (usize, usize, usize) {
    let (id, key) = entry.split_once(':').expect("ID:KEY");
    let (date, suffix) = id
        .strip_prefix('k')
        .and_then(|rest| rest.split_once('-'))
        .expect("k<date>-<hex>");
    assert!(date.bytes().all(|b| b.is_ascii_digit()), "{entry}");
    assert!(
        suffix
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "{entry}"
    );
    (date.len(), suffix.len(), key.len())
}

#[test]
fn npm_keygen_prints_an_entry_the_keyring_accepts_shaped_like_the_rust_clis() {
    let Some(output) = node_pwreset(&["keygen"]) else {
        return;
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.ends_with('\n'));
    let entry = text.trim_end();
    assert_eq!(entry.lines().count(), 1, "{text}");
    let keyring = Keyring::parse(entry).expect("the keyring accepts npx pwreset keygen's entry");
    assert_eq!(keyring.key_ids(), [entry.split_once(':').unwrap().0]);

    let rust = String::from_utf8(rust_pwreset(&["keygen"]).stdout).unwrap();
    let rust = rust.trim_end();
    assert_eq!(shape(entry), shape(rust), "npm: {entry}, Rust: {rust}");
    assert_eq!(shape(entry), (8, 4, 43));
    // Both dated today (UTC); the two runs could straddle midnight, so only the year must agree.
    assert_eq!(entry[1..5], rust[1..5]);

    // Rotation: the npm entry first, the Rust one after it, is a valid two-key ring.
    let ring = Keyring::parse(&format!("{entry},{rust}")).unwrap();
    assert_eq!(ring.key_ids().len(), 2);
}

#[test]
fn npm_and_rust_both_refuse_an_unknown_subcommand_with_status_2() {
    let Some(npm) = node_pwreset(&["frobnicate"]) else {
        return;
    };
    let rust = rust_pwreset(&["frobnicate"]);
    assert_eq!(npm.status.code(), Some(2));
    assert_eq!(rust.status.code(), Some(2));
    assert!(npm.stdout.is_empty());
    assert!(
        String::from_utf8(npm.stderr)
            .unwrap()
            .contains("Usage: pwreset <COMMAND>")
    );
}

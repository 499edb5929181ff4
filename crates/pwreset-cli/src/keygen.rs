//! `pwreset keygen`: a fresh signing-key entry for the Worker's keyring.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pwreset_core::UnixTime;
use pwreset_core::secrets::{Keyring, random_bytes};
use zeroize::Zeroizing;

/// Prints `ID:KEY`: an id made of today's date and 4 random hex digits (`k20261124-3fa9`), and 32
/// random bytes as base64url. Put it first in the keyring string to make it the signing key.
pub fn run() -> ExitCode {
    let (Ok(key), Ok(suffix)) = (random_bytes::<32>(), random_bytes::<2>()) else {
        eprintln!("pwreset keygen: the system random number generator is unavailable");
        return ExitCode::FAILURE;
    };
    let key = Zeroizing::new(key);
    let id = format!(
        "k{}-{}",
        utc_date(),
        base16ct::lower::encode_string(&suffix)
    );
    let entry = Zeroizing::new(format!("{id}:{}", URL_SAFE_NO_PAD.encode(key.as_slice())));
    debug_assert!(Keyring::parse(&entry).is_ok());
    println!("{}", entry.as_str());
    ExitCode::SUCCESS
}

/// Today's UTC date as `YYYYMMDD`.
fn utc_date() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    UnixTime::from_secs(seconds).utc_date_digits()
}

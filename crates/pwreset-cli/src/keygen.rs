//! `pwreset keygen`: a fresh signing-key entry for the Worker's keyring.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
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

/// Today's UTC date as `YYYYMMDD` (civil-from-days, H. Hinnant).
fn utc_date() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}")
}

//! scrypt PHC strings (`$scrypt$ln=…,r=…,p=…$salt$hash`), verified by the `scrypt` crate.

use scrypt::password_hash::{Error as PhcError, PasswordVerifier};
use scrypt::{Params, Scrypt};

use super::{HashFormat, PasswordHashError, within};

/// The most a stored scrypt string may ask of a verification. Memory is 128 × r × 2^ln bytes; time
/// grows with that times p (the crate runs the p lanes one after another).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScryptLimits {
    /// The highest log₂ of N, the CPU and memory cost.
    pub max_log_n: u8,
    /// The largest block size r.
    pub max_r: u32,
    /// The most lanes p.
    pub max_p: u32,
}

impl ScryptLimits {
    /// ln ≤ 17, r ≤ 8, p ≤ 1: OWASP's scrypt setting (N=2^17, r=8, p=1), which is also the `scrypt`
    /// crate's default; passlib writes ln=16, Django N=2^14, all with r=8 and p=1. At the limit a
    /// verification takes 128 MiB and about 0.3 s natively (release build; ln=16 half of each): a
    /// Worker isolate (128 MB) should lower `max_log_n` to 16.
    pub const DEFAULT: ScryptLimits = ScryptLimits {
        max_log_n: 17,
        max_r: 8,
        max_p: 1,
    };
}

impl Default for ScryptLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Verifies a scrypt PHC string: `ln`, `r` and `p` are read and checked against `limits` before the
/// `scrypt` crate parses them (its parameter check overflows on some huge `r` × `p`) or computes
/// (its comparison is constant-time).
pub(super) fn verify(
    password: &str,
    stored: &str,
    limits: ScryptLimits,
) -> Result<bool, PasswordHashError> {
    let hash = super::parse_phc(stored)?;
    if hash.algorithm.as_str() != "scrypt" {
        return Err(PasswordHashError::Malformed);
    }
    // The crate's defaults stand for an absent parameter.
    let (mut log_n, mut r, mut p) = (
        u32::from(Params::RECOMMENDED_LOG_N),
        Params::RECOMMENDED_R,
        Params::RECOMMENDED_P,
    );
    for (name, value) in hash.params.iter() {
        let slot = match name.as_str() {
            "ln" => &mut log_n,
            "r" => &mut r,
            "p" => &mut p,
            _ => return Err(PasswordHashError::Malformed),
        };
        *slot = value.decimal().map_err(|_| PasswordHashError::Malformed)?;
    }
    let format = HashFormat::Scrypt;
    within(format, "ln", log_n.into(), limits.max_log_n.into())?;
    within(format, "r", r.into(), limits.max_r.into())?;
    within(format, "p", p.into(), limits.max_p.into())?;
    // RFC 7914's p ≤ (2^32 − 1) × 32 / (128 × r), which the crate tests as `r * p < 2^30` in u32.
    if u64::from(r) * u64::from(p) >= 1 << 30 {
        return Err(PasswordHashError::Malformed);
    }
    Params::try_from(&hash).map_err(|_| PasswordHashError::Malformed)?;
    match Scrypt::new().verify_password(password.as_bytes(), &hash) {
        Ok(()) => Ok(true),
        Err(PhcError::PasswordInvalid) => Ok(false),
        Err(_) => Err(PasswordHashError::Malformed),
    }
}

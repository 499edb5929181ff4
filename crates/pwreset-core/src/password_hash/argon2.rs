//! argon2: hashing into PHC strings (or Django's form of them) and bounded verification.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use super::{HashFormat, PasswordHashError, within};
use crate::secrets::random_bytes;

/// argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

/// OWASP's Password Storage Cheat Sheet: five argon2id settings of equal strength, (memory KiB,
/// iterations), each with one lane. Anything at least as costly as one of them meets the minimum.
const OWASP_MINIMUMS: [(u32, u32); 5] = [
    (47_104, 1),
    (19_456, 2),
    (12_288, 3),
    (9_216, 4),
    (7_168, 5),
];

/// The output length this crate writes, in bytes.
const OUTPUT_LEN: usize = 32;
/// The salt length this crate writes, in bytes.
const SALT_LEN: usize = 16;

impl HashParams {
    /// OWASP's first argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
    pub const OWASP: HashParams = HashParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// `true` when these parameters cost at least one of OWASP's minimum argon2id settings (46 MiB
    /// t=1, 19 MiB t=2, 12 MiB t=3, 9 MiB t=4 or 7 MiB t=5).
    pub fn meets_owasp_minimum(self) -> bool {
        OWASP_MINIMUMS
            .iter()
            .any(|&(memory, iterations)| self.memory_kib >= memory && self.iterations >= iterations)
    }

    fn argon2(self) -> Result<Argon2<'static>, PasswordHashError> {
        let params = Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(OUTPUT_LEN),
        )
        .map_err(|_| PasswordHashError::Parameters)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for HashParams {
    fn default() -> Self {
        Self::OWASP
    }
}

/// The most a stored argon2 string may ask of a verification. A stored string is data (altered, or
/// imported from elsewhere): without a bound one string could demand gigabytes and minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyLimits {
    /// Memory in KiB.
    pub max_memory_kib: u32,
    /// Passes over memory.
    pub max_iterations: u32,
    /// Lanes.
    pub max_parallelism: u32,
}

impl VerifyLimits {
    /// 64 MiB, 4 iterations, 4 lanes: about 6.7 times an OWASP verification at most, and half of
    /// a Worker isolate's 128 MB. Django's argon2 hashes (m=102400, p=8) are beyond it: see
    /// [`VerifyLimits::DJANGO`].
    pub const DEFAULT: VerifyLimits = VerifyLimits {
        max_memory_kib: 64 * 1024,
        max_iterations: 4,
        max_parallelism: 4,
    };

    /// [`VerifyLimits::DEFAULT`] raised to Django's `Argon2PasswordHasher` (m=102400 KiB, t=2,
    /// p=8 since Django 4.0): 100 MiB, 4 iterations, 8 lanes. A verification at these costs needs
    /// 100 MiB, too much for a Worker isolate's 128 MB alongside anything else.
    pub const DJANGO: VerifyLimits = VerifyLimits {
        max_memory_kib: 102_400,
        max_iterations: 4,
        max_parallelism: 8,
    };

    /// The limits for a deployment that hashes with `params`: [`VerifyLimits::DEFAULT`], raised
    /// where `params` themselves ask for more, so every hash the deployment wrote verifies.
    pub fn for_params(params: HashParams) -> Self {
        Self {
            max_memory_kib: Self::DEFAULT.max_memory_kib.max(params.memory_kib),
            max_iterations: Self::DEFAULT.max_iterations.max(params.iterations),
            max_parallelism: Self::DEFAULT.max_parallelism.max(params.parallelism),
        }
    }

    fn check(self, params: &Params, format: HashFormat) -> Result<(), PasswordHashError> {
        within(
            format,
            "m",
            params.m_cost().into(),
            self.max_memory_kib.into(),
        )?;
        within(
            format,
            "t",
            params.t_cost().into(),
            self.max_iterations.into(),
        )?;
        within(
            format,
            "p",
            params.p_cost().into(),
            self.max_parallelism.into(),
        )
    }
}

impl Default for VerifyLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// How [`hash_password_as`] writes a hash: the application's storage format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StorageFormat {
    /// The PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (what [`hash_password`] writes).
    #[default]
    Phc,
    /// Django's `Argon2PasswordHasher`: `argon2` followed by the PHC string,
    /// `argon2$argon2id$v=19$m=…,t=…,p=…$salt$hash`, with a salt of 22 characters from
    /// `[a-zA-Z0-9]` as Django makes them. Django verifies it, and rehashes at the next login only
    /// when `params` differ from its own (m=102400, t=2, p=8).
    Django,
}

/// Hashes `password` with a fresh random 16-byte salt into a PHC string (`$argon2id$v=19$m=…`)
/// with a 32-byte output.
pub fn hash_password(password: &str, params: HashParams) -> Result<String, PasswordHashError> {
    let hash = params
        .argon2()?
        .hash_password(password.as_bytes())
        .map_err(|_| PasswordHashError::Hashing)?;
    Ok(hash.to_string())
}

/// [`hash_password`], written in the application's `format`: the PHC string, or Django's
/// `argon2$argon2id$v=19$…`. [`verify_any`](super::verify_any) verifies both.
pub fn hash_password_as(
    password: &str,
    format: StorageFormat,
    params: HashParams,
) -> Result<String, PasswordHashError> {
    match format {
        StorageFormat::Phc => hash_password(password, params),
        StorageFormat::Django => {
            let salt = django_salt()?;
            let hash = params
                .argon2()?
                .hash_password_with_salt(password.as_bytes(), &salt)
                .map_err(|_| PasswordHashError::Hashing)?;
            Ok(format!("argon2{hash}"))
        }
    }
}

/// The salt length Django writes: 22 characters, 128 bits from its 62 ([`django_salt`]).
const DJANGO_SALT_LEN: usize = 22;

/// A salt as Django makes one (`get_random_string(22)`): 22 characters drawn evenly from
/// `[a-zA-Z0-9]`, hashed as their bytes. Django estimates a salt's entropy from its length in
/// those characters, and rehashes at the next login when it falls short of 128 bits, as 16 random
/// bytes would.
fn django_salt() -> Result<[u8; DJANGO_SALT_LEN], PasswordHashError> {
    const CHARS: &[u8; 62] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut salt = [0u8; DJANGO_SALT_LEN];
    let mut filled = 0;
    while filled < DJANGO_SALT_LEN {
        let bytes = random_bytes::<32>().map_err(|_| PasswordHashError::Hashing)?;
        // 248 = 4 × 62: bytes from 248 up would favour the first characters, so they are skipped.
        for byte in bytes.into_iter().filter(|&byte| byte < 248) {
            if filled == DJANGO_SALT_LEN {
                break;
            }
            salt[filled] = CHARS[usize::from(byte % 62)];
            filled += 1;
        }
    }
    Ok(salt)
}

/// [`verify_password_within`] with [`VerifyLimits::DEFAULT`] (enough for OWASP's parameters).
pub fn verify_password(password: &str, phc: &str) -> Result<bool, PasswordHashError> {
    verify_password_within(password, phc, VerifyLimits::DEFAULT)
}

/// `Ok(true)` when `password` matches the PHC string `phc` (argon2id, argon2i or argon2d); the
/// comparison is constant-time. A string that asks for more than `limits` is refused
/// ([`PasswordHashError::BeyondLimits`]) rather than computed. Other formats:
/// [`verify_any`](super::verify_any).
pub fn verify_password_within(
    password: &str,
    phc: &str,
    limits: VerifyLimits,
) -> Result<bool, PasswordHashError> {
    verify(password, phc, limits, HashFormat::Argon2)
}

/// Verifies the argon2 PHC string `phc` (`format` names where it came from, for errors).
pub(super) fn verify(
    password: &str,
    phc: &str,
    limits: VerifyLimits,
    format: HashFormat,
) -> Result<bool, PasswordHashError> {
    let mut hash = super::parse_phc(phc)?;
    let params = Params::try_from(&hash).map_err(|_| PasswordHashError::Malformed)?;
    limits.check(&params, format)?;
    // No `v=`: version 16 (0x10), as the reference implementation and argon2-cffi read it (the
    // argon2 crate would take its own default, 19). Old Django and argon2-cffi hashes have none.
    hash.version.get_or_insert(Version::V0x10.into());
    match Argon2::default().verify_password(password.as_bytes(), &hash) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(_) => Err(PasswordHashError::Malformed),
    }
}

/// `true` when `phc` is not what [`hash_password`] with `params` writes today: another algorithm
/// than argon2id, another version than 19 (0x13), other costs, another output length than 32
/// bytes or another salt length than 16 bytes. Rehash at the next successful login.
pub fn needs_rehash(phc: &str, params: HashParams) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return true;
    };
    let Ok(stored) = Params::try_from(&hash) else {
        return true;
    };
    hash.algorithm.as_str() != "argon2id"
        || hash.version != Some(Version::V0x13.into())
        || stored.m_cost() != params.memory_kib
        || stored.t_cost() != params.iterations
        || stored.p_cost() != params.parallelism
        || stored.output_len() != Some(OUTPUT_LEN)
        || hash.salt.as_ref().map(|salt| salt.len()) != Some(SALT_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small parameters keep unit tests fast; OWASP's are tested in tests/secrets.rs.
    const FAST: HashParams = HashParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    #[test]
    fn hash_then_verify() {
        let phc = hash_password("correct horse", FAST).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert_eq!(verify_password("correct horse", &phc), Ok(true));
        assert_eq!(verify_password("correct horsf", &phc), Ok(false));
    }

    #[test]
    fn salts_differ() {
        assert_ne!(
            hash_password("same", FAST).unwrap(),
            hash_password("same", FAST).unwrap()
        );
    }

    #[test]
    fn verifies_a_reference_phc_string() {
        // From the argon2 reference implementation's test vectors (RFC 9106 parameters differ):
        // `echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -e` (m=65536 KiB).
        let phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assert_eq!(verify_password("password", phc), Ok(true));
        assert_eq!(verify_password("passw0rd", phc), Ok(false));
    }

    #[test]
    fn malformed_and_costly_strings_are_errors_not_panics() {
        for phc in [
            "",
            "plaintext",
            "$argon2id$v=19$m=64,t=1,p=1$",
            "$bcrypt$xyz",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$!!!",
        ] {
            assert!(verify_password("x", phc).is_err(), "{phc}");
        }
        let huge = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assert_eq!(
            verify_password("x", huge),
            Err(PasswordHashError::BeyondLimits {
                format: HashFormat::Argon2,
                parameter: "m",
                value: 4_194_304,
                limit: 65_536,
            })
        );
    }

    #[test]
    fn the_default_verify_limits_stop_at_64_mib_4_iterations_and_4_lanes() {
        // Each string is refused before any hashing, so the test stays fast.
        let refused = [
            "$argon2id$v=19$m=65537,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=262144,t=16,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=64,t=5,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "$argon2id$v=19$m=64,t=1,p=5$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        ];
        for (phc, parameter) in refused.into_iter().zip(["m", "m", "t", "p"]) {
            assert!(
                matches!(
                    verify_password("x", phc),
                    Err(PasswordHashError::BeyondLimits { format: HashFormat::Argon2, parameter: p, .. })
                        if p == parameter
                ),
                "{phc}"
            );
        }
        // At the limits themselves: computed (and wrong), not refused.
        let at_limit =
            "$argon2id$v=19$m=64,t=4,p=4$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assert_eq!(verify_password("x", at_limit), Ok(false));
    }

    #[test]
    fn limits_for_params_admit_the_deployments_own_hashes() {
        let heavy = HashParams {
            memory_kib: 128,
            iterations: 6,
            parallelism: 1,
        };
        let phc = hash_password("x", heavy).unwrap();
        assert!(matches!(
            verify_password("x", &phc),
            Err(PasswordHashError::BeyondLimits { parameter: "t", .. })
        ));
        assert_eq!(
            verify_password_within("x", &phc, VerifyLimits::for_params(heavy)),
            Ok(true)
        );
        assert_eq!(
            VerifyLimits::for_params(HashParams::OWASP),
            VerifyLimits::DEFAULT
        );
    }

    #[test]
    fn owasp_minimums() {
        assert!(HashParams::OWASP.meets_owasp_minimum());
        assert!(!FAST.meets_owasp_minimum());
        let cases = [
            ((47_104, 1), true),
            ((47_103, 1), false),
            ((9_216, 4), true),
            ((9_215, 4), false),
            ((7_168, 5), true),
            ((7_168, 4), false),
            ((65_536, 3), true),
        ];
        for ((memory_kib, iterations), expected) in cases {
            let params = HashParams {
                memory_kib,
                iterations,
                parallelism: 1,
            };
            assert_eq!(params.meets_owasp_minimum(), expected, "{params:?}");
        }
    }

    #[test]
    fn rehash_is_needed_when_parameters_change() {
        let phc = hash_password("x", FAST).unwrap();
        assert!(!needs_rehash(&phc, FAST));
        assert!(needs_rehash(&phc, HashParams::OWASP));
        assert!(needs_rehash("garbage", FAST));
    }

    #[test]
    fn rehash_is_needed_for_another_version_output_or_salt_length() {
        // Same costs as FAST, each differing in one respect.
        let salt16 = "c2FsdHNhbHRzYWx0c2FsdA"; // 16 bytes
        let out32 = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"; // 32 bytes
        let current = format!("$argon2id$v=19$m=64,t=1,p=1${salt16}${out32}");
        assert!(!needs_rehash(&current, FAST), "{current}");
        let version_16 = format!("$argon2id$v=16$m=64,t=1,p=1${salt16}${out32}");
        let no_version = format!("$argon2id$m=64,t=1,p=1${salt16}${out32}");
        let output_10 = format!("$argon2id$v=19$m=64,t=1,p=1${salt16}$CTFhFdXPJO1aFQ");
        let salt_8 = format!("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ${out32}");
        let argon2i = format!("$argon2i$v=19$m=64,t=1,p=1${salt16}${out32}");
        for phc in [version_16, no_version, output_10, salt_8, argon2i] {
            assert!(needs_rehash(&phc, FAST), "{phc}");
        }
    }
}

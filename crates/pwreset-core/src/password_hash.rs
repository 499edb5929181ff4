//! Password hashing: argon2id PHC strings (RustCrypto `argon2`).

use std::fmt;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

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

impl HashParams {
    /// OWASP's first argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
    pub const OWASP: HashParams = HashParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };
    /// The most memory a stored hash may ask for when verified (256 MiB): a bound on the cost an
    /// altered or foreign PHC string can impose.
    pub const MAX_MEMORY_KIB: u32 = 256 * 1024;
    /// The most iterations a stored hash may ask for when verified.
    pub const MAX_ITERATIONS: u32 = 16;

    fn argon2(self) -> Result<Argon2<'static>, PasswordHashError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|_| PasswordHashError::Parameters)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for HashParams {
    fn default() -> Self {
        Self::OWASP
    }
}

/// Why hashing or verification could not be done (not: the password is wrong).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordHashError {
    /// The stored string is not an argon2 PHC string.
    Malformed,
    /// Parameters outside what argon2 or this crate accepts.
    Parameters,
    /// Hashing failed (no randomness for the salt).
    Hashing,
}

impl fmt::Display for PasswordHashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PasswordHashError::Malformed => "not an argon2 PHC string",
            PasswordHashError::Parameters => "unsupported argon2 parameters",
            PasswordHashError::Hashing => "password hashing failed",
        })
    }
}

impl std::error::Error for PasswordHashError {}

/// Hashes `password` with a fresh random salt into a PHC string (`$argon2id$v=19$m=…`).
pub fn hash_password(password: &str, params: HashParams) -> Result<String, PasswordHashError> {
    let hash = params
        .argon2()?
        .hash_password(password.as_bytes())
        .map_err(|_| PasswordHashError::Hashing)?;
    Ok(hash.to_string())
}

/// `Ok(true)` when `password` matches the PHC string `phc` (argon2id, argon2i or argon2d); the
/// comparison is constant-time. Costs above [`HashParams::MAX_MEMORY_KIB`] or
/// [`HashParams::MAX_ITERATIONS`] are refused rather than computed.
pub fn verify_password(password: &str, phc: &str) -> Result<bool, PasswordHashError> {
    let hash = PasswordHash::new(phc).map_err(|_| PasswordHashError::Malformed)?;
    let params = Params::try_from(&hash).map_err(|_| PasswordHashError::Malformed)?;
    if params.m_cost() > HashParams::MAX_MEMORY_KIB || params.t_cost() > HashParams::MAX_ITERATIONS
    {
        return Err(PasswordHashError::Parameters);
    }
    match Argon2::default().verify_password(password.as_bytes(), &hash) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(_) => Err(PasswordHashError::Malformed),
    }
}

/// `true` when `phc` was made with other parameters than `params` (or is not argon2id): rehash at
/// the next successful login.
pub fn needs_rehash(phc: &str, params: HashParams) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return true;
    };
    let Ok(stored) = Params::try_from(&hash) else {
        return true;
    };
    hash.algorithm.as_str() != "argon2id"
        || stored.m_cost() != params.memory_kib
        || stored.t_cost() != params.iterations
        || stored.p_cost() != params.parallelism
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
            Err(PasswordHashError::Parameters)
        );
    }

    #[test]
    fn rehash_is_needed_when_parameters_change() {
        let phc = hash_password("x", FAST).unwrap();
        assert!(!needs_rehash(&phc, FAST));
        assert!(needs_rehash(&phc, HashParams::OWASP));
        assert!(needs_rehash("garbage", FAST));
    }
}

//! Where the application's user service is (`USER_DIRECTORY_URL`, `USER_DIRECTORY_SECRET`), and
//! how the password hashes it holds are written and verified (`USER_DIRECTORY_HASH_FORMAT`,
//! `USER_DIRECTORY_HASH_LIMITS`).

use pwreset_core::password_hash::{HashLimits, StorageFormat, VerifyLimits};

use super::Environment;
use super::read::{self, UrlKind, Vars, is_loopback};
use crate::model::secret::Secret;

/// The shortest shared secret accepted.
pub const MIN_SECRET_BYTES: usize = 32;

/// How an account's password hash is written, and how much a stored one may cost to verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordHashing {
    /// The form a new argon2id hash is written in: the PHC string, or Django's
    /// `argon2$argon2id$…` (`USER_DIRECTORY_HASH_FORMAT`).
    pub format: StorageFormat,
    /// The most a stored hash (of any format `verify_any` knows) may ask for; a hash beyond them
    /// is not verified, and the decision is logged (`USER_DIRECTORY_HASH_LIMITS`).
    pub limits: HashLimits,
}

/// The service's default verify limits: [`HashLimits::DEFAULT`] with scrypt held to ln ≤ 16
/// (64 MiB at r=8), as the core advises for a Worker isolate (128 MB), which ln=17's 128 MiB would
/// fill.
pub const DEFAULT_LIMITS: HashLimits = {
    let mut limits = HashLimits::DEFAULT;
    limits.scrypt.max_log_n = 16;
    limits
};

impl PasswordHashing {
    /// The platform's own accounts (KV), and a user service configured with the defaults: PHC
    /// strings, [`DEFAULT_LIMITS`].
    pub const DEFAULT: PasswordHashing = PasswordHashing {
        format: StorageFormat::Phc,
        limits: DEFAULT_LIMITS,
    };

    /// The hashing of accounts in `directory`, or in the platform's own directory when `None`.
    pub fn of(directory: Option<&RemoteDirectory>) -> Self {
        directory.map_or(Self::DEFAULT, |d| d.hashing)
    }
}

/// [`DEFAULT_LIMITS`] with argon2 raised to Django's `Argon2PasswordHasher` (m=102400 KiB,
/// t=2, p=8): [`VerifyLimits::DJANGO`].
pub const DJANGO_LIMITS: HashLimits = {
    let mut limits = DEFAULT_LIMITS;
    limits.argon2 = VerifyLimits::DJANGO;
    limits
};

/// The application's user service.
#[derive(Clone)]
pub struct RemoteDirectory {
    pub(crate) url: String,
    pub(crate) secret: Secret,
    pub(crate) hashing: PasswordHashing,
}

impl std::fmt::Debug for RemoteDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteDirectory")
            .field("url", &self.url)
            .field("hashing", &self.hashing)
            .finish_non_exhaustive()
    }
}

impl RemoteDirectory {
    /// The service at `url` (no trailing slash), calls signed with `secret`, hashes as
    /// [`PasswordHashing::DEFAULT`]; no rule checked: for the crate's unit tests only (the
    /// service configures it through [`super::ServiceConfig::from_vars`]).
    #[cfg(test)]
    pub(crate) fn new(url: &str, secret: &str) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            secret: Secret::new(secret),
            hashing: PasswordHashing::DEFAULT,
        }
    }

    /// How the service's password hashes are written and verified.
    pub fn hashing(&self) -> PasswordHashing {
        self.hashing
    }

    /// Reads `USER_DIRECTORY_URL` and `USER_DIRECTORY_SECRET`; `Ok(None)` when no URL is set.
    /// The URL must be `https://`; `http://` only with `ENVIRONMENT=development` and a loopback
    /// host, since whoever can rewrite the answers decides who receives a reset link. For the
    /// crate's unit tests only: the service reads it with every other section.
    #[cfg(test)]
    pub(crate) fn from_vars(
        get: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, Vec<String>> {
        let mut vars = Vars::new(get);
        let environment = vars.environment();
        let directory = Self::read(&mut vars, environment);
        if vars.problems.is_empty() {
            Ok(directory)
        } else {
            Err(vars.problems)
        }
    }

    /// Reads `USER_DIRECTORY_URL` (`https://`; `http://` only in development, to a loopback
    /// host) and the secret in `environment`, noting each problem in `vars`; `None` when no URL
    /// is set or something is wrong. Without a URL the hash settings mean nothing
    /// (the platform's own accounts hold PHC strings) and are not read, as the secret is not.
    pub(crate) fn read(vars: &mut Vars<'_>, environment: Environment) -> Option<Self> {
        if !vars.is_set("USER_DIRECTORY_URL") {
            return None;
        }
        let hashing = PasswordHashing {
            format: vars.or_declared(
                "USER_DIRECTORY_HASH_FORMAT",
                read::one_of(
                    &["phc", "django"],
                    [StorageFormat::Phc, StorageFormat::Django],
                ),
            ),
            limits: vars.or_declared(
                "USER_DIRECTORY_HASH_LIMITS",
                read::one_of(&["default", "django"], [DEFAULT_LIMITS, DJANGO_LIMITS]),
            ),
        };
        let development = environment.is_development();
        let url = vars.optional(
            "USER_DIRECTORY_URL",
            read::url_with(UrlKind::Base, |url| match url.scheme() {
                "http" if !development => Err(
                    " must be https:// (http:// only with ENVIRONMENT=development, to a loopback host): whoever can rewrite its answers decides who receives a reset link".to_owned(),
                ),
                "http" if !is_loopback(url) => Err(
                    ": http:// is accepted only for a loopback host (127.0.0.1, [::1], localhost); use https://".to_owned(),
                ),
                _ => Ok(()),
            }),
        );
        let too_short = || {
            format!(
                " must be at least {MIN_SECRET_BYTES} characters when USER_DIRECTORY_URL is set"
            )
        };
        let secret = vars.required_secret(
            "USER_DIRECTORY_SECRET",
            &too_short(),
            read::secret(MIN_SECRET_BYTES, too_short),
        )?;
        Some(Self {
            url: url?,
            secret,
            hashing,
        })
    }
}

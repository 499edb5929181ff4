//! The shared flows: every rule of a reset lives here once, and each dialect only adapts requests
//! and answers to them.

pub(crate) mod dead_letter;
mod dry_run;
pub mod events;
pub(crate) mod introspect;
pub(crate) mod lookup;
mod password;
mod redeem;
mod request;
pub(crate) mod reset_request;
pub(crate) mod send;
pub(crate) mod stored_hash;

pub use dry_run::check_with_link;
pub use introspect::introspect;
pub use password::{
    PasswordForm, authenticate, change_password, check_new_password, commit_password,
    judge_new_password,
};
pub use redeem::{
    LinkRedeemed, code_for_payload, redeem_link, reset_with_code, reset_with_link,
    reset_with_payload,
};
pub use request::{enqueue_request, limit, request_limits, request_reset};

use pwreset_core::CheckResult;
use pwreset_core::secrets::AccessTokenIssuer;

use crate::config::{ServiceConfig, TOKEN_AUDIENCE};
use crate::directory::Directory;
use crate::guard::GlobalOp;
use crate::model::tags::StateTag;
use crate::ports::{Platform, PlatformError};

/// Why a flow refused, in terms every dialect can render.
#[derive(Debug)]
pub enum FlowError {
    /// Over a rate limit: retry after this many seconds.
    RateLimited {
        /// Seconds.
        retry_after: u64,
    },
    /// The day's budget for codes redeemed without their phone number is spent: send the code
    /// with its phone (that still works), or retry without after this many seconds.
    PhoneRequired {
        /// Seconds until the budget starts afresh.
        retry_after: u64,
    },
    /// The code, link or payload is wrong, expired, used, burnt or stale: one answer for all.
    InvalidSecret,
    /// The tries of the code last asked for through this identifier are spent: ask for a new
    /// code. Counted per identifier whether or not it names an account, so an unknown name
    /// answers it in exactly the same situations.
    SecretExhausted,
    /// The new password was refused (policy or confirmation); the secret was not used up.
    Policy(CheckResult),
    /// The bearer token is missing, bad, expired or revoked.
    Unauthorized,
    /// The current password given is wrong.
    WrongPassword,
    /// A platform call failed; the request may be retried.
    Unavailable(PlatformError),
    /// A password change of this account is under way (or its outcome is not known yet): nothing
    /// was used; try again after this many seconds.
    ChangeUnderWay {
        /// Seconds.
        retry_after: u64,
    },
}

impl From<PlatformError> for FlowError {
    fn from(e: PlatformError) -> Self {
        FlowError::Unavailable(e)
    }
}

/// The result of a flow.
pub type FlowResult<T> = Result<T, FlowError>;

/// The tags of `account`'s password state (its hash and e-mail address) under every key, newest
/// first: its links and codes are bound to them ([`StateTag::of`]).
pub fn state_tags(cfg: &ServiceConfig, account: &crate::model::account::Account) -> Vec<StateTag> {
    StateTag::of(&cfg.keyring, &account.id, &account.password_state())
}

/// The account directory this configuration names (the platform's own, or the remote one).
pub fn directory<'a, P: Platform>(p: &'a P, cfg: &'a ServiceConfig) -> Directory<'a, P> {
    Directory::new(p, cfg.directory.as_ref())
}

/// Frees claims in the global code registry that an account's guard reported ended.
pub async fn release_global(
    p: &impl Platform,
    digests: &[crate::model::secret::Digest],
) -> Result<(), PlatformError> {
    if digests.is_empty() {
        return Ok(());
    }
    p.global_codes(GlobalOp::Release {
        digests: digests.to_vec(),
    })
    .await
    .map(|_| ())
}

/// The access-token issuer for this configuration: issuer = the public URL.
pub fn token_issuer(cfg: &ServiceConfig) -> AccessTokenIssuer {
    AccessTokenIssuer {
        issuer: cfg.public_url.clone(),
        audience: TOKEN_AUDIENCE.to_owned(),
        ttl_seconds: cfg.lifetimes.access_token,
    }
}

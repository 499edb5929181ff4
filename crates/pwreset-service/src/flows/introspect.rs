//! Checking an access token, once for every Bearer route and for introspection
//! (`POST /oauth/introspect`, RFC 7662).
//!
//! A token holds when its signature and claims do (`AccessTokenIssuer::verify_with`, with the
//! algorithms `ACCESS_TOKEN_ACCEPT_HS256` allows), its account exists, the account's password state
//! is still the one it was issued against, and the account's guard knows of no password change
//! after it was issued (KV may still show the old state for a while; the guard knows).

use pwreset_core::secrets::{AccessTokenAlgorithm, VerifiedAccessToken};
use serde_json::json;

use super::{FlowError, FlowResult, token_issuer};
use crate::config::ServiceConfig;
use crate::guard::{GuardAddress, GuardAnswer, GuardOp};
use crate::model::account::Account;
use crate::model::audit;
use crate::ports::{Accounts, Platform};

/// The account `token` authenticates and the token's verified claims.
/// [`FlowError::Unauthorized`] for every kind of bad token (malformed, another algorithm, an
/// unknown key, a bad signature, expired, another issuer or audience, an unknown account, revoked
/// by a password change); [`FlowError::Unavailable`] when a platform call failed.
pub(crate) async fn verify_access_token(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: &str,
) -> FlowResult<(Account, VerifiedAccessToken)> {
    let pending = token_issuer(cfg)
        .verify_with(&cfg.keyring, token, p.now(), cfg.access_token_algorithms)
        .map_err(|_| FlowError::Unauthorized)?;
    let account = super::directory(p, cfg)
        .account(pending.subject())
        .await?
        .ok_or(FlowError::Unauthorized)?;
    let verified = pending
        .confirm_password_state(&account.password_state())
        .map_err(|_| FlowError::Unauthorized)?;
    let check = GuardOp::CheckIssued {
        issued_at: verified.issued_at.as_secs(),
    };
    if p.guard(&GuardAddress::of_account(&account.id), check)
        .await?
        == GuardAnswer::Revoked
    {
        return Err(FlowError::Unauthorized);
    }
    if verified.algorithm == AccessTokenAlgorithm::Hs256 {
        // How many HS256 tokens are still in use: the transition may end when none are.
        p.log(&audit::line(
            "access_token_hs256_accepted",
            p.now(),
            json!({ "account": account.id }),
        ));
    }
    Ok((account, verified))
}

/// What introspection says of a token: `None` when it is not active (whatever the reason: bad,
/// expired, revoked, of an unknown account), else its verified claims.
/// [`FlowError::Unavailable`] when a platform call failed, so that a store's failure is never
/// mistaken for a revocation.
pub async fn introspect(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: &str,
) -> FlowResult<Option<VerifiedAccessToken>> {
    match verify_access_token(p, cfg, token).await {
        Ok((_, verified)) => Ok(Some(verified)),
        Err(FlowError::Unavailable(e)) => Err(FlowError::Unavailable(e)),
        Err(_) => Ok(None),
    }
}

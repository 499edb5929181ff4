//! A dry run of a link's submit (`POST /reset/check`): the verdict a submit of that link would give
//! on a new password, consuming nothing.
//!
//! It counts `attempt_per_ip` as the submit does, then reads the link's record and account as the
//! submit does ([`find_link`]), and judges the password with them ([`judge_new_password`]): the
//! similarity to the account's attributes, "same as the current password", the breached-password
//! check and the policy. Before it judges with the account, it asks the guard whether the link is
//! still live, with the check a submit makes first ([`super::redeem::link_holds`]: it uses nothing
//! up and counts no guess); it writes nothing else and changes no state of the link or the
//! account. A link that is unknown, malformed, expired, of the other dialect, used, superseded by a
//! newer one, sent before the account's password or address last changed, or whose account is gone
//! answers like a known one: the verdict of the policy alone (no similarity, no "same as
//! current"). So nothing before the submit tells a good link from a bad one but the
//! account-specific errors a live link's password earns, and a dead link found in an old mailbox is
//! no way to test guesses of the current password.

use pwreset_core::CheckResult;

use super::password::judge_new_password;
use super::redeem::{find_link, link_holds};
use super::request::limit;
use super::{FlowError, FlowResult, PasswordForm};
use crate::config::ServiceConfig;
use crate::ports::{LimitRule, Platform};

/// The verdict a submit of the link `token` (with dialect C's `user`) would give on `form`'s
/// password, consuming nothing: counts [`LimitRule::AttemptPerIp`] for `client_ip` (`429` when it
/// is spent), judges with the link's account when the link is live as far as storage tells, and by
/// the policy alone otherwise. `Err` only for the rate limit and a failed platform call (a storage
/// read, or a fail-closed breached check that could not run).
pub async fn check_with_link(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: &str,
    user: Option<&str>,
    form: PasswordForm<'_>,
    client_ip: &str,
) -> FlowResult<CheckResult> {
    limit(p, LimitRule::AttemptPerIp, client_ip).await?;
    let account = match find_link(p, cfg, token, user).await {
        Ok(found) => match link_holds(p, cfg, &found).await {
            Ok(true) => Some(found.account),
            Err(FlowError::Unavailable(e)) => return Err(FlowError::Unavailable(e)),
            // Dead, or its account's guesses paused: as no account.
            Ok(false) | Err(_) => None,
        },
        Err(FlowError::Unavailable(e)) => return Err(FlowError::Unavailable(e)),
        // Every kind of wrong link reads as no account.
        Err(_) => None,
    };
    judge_new_password(p, cfg, account.as_ref(), form).await
}

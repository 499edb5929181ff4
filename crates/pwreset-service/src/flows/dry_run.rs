//! A dry run of a link's submit (`POST /reset/check`): the verdict a submit of that link would give
//! on a new password, consuming nothing.
//!
//! It counts `attempt_per_ip` as the submit does, then reads the link's record and account as the
//! submit does ([`find_link`]), and judges the password with them ([`judge_new_password`]): the
//! similarity to the account's attributes, "same as the current password", the breached-password
//! check and the policy. It never asks the guard, writes nothing and changes no state of the link
//! or the account. A link that is unknown, malformed, expired, of the other dialect, or whose
//! account is gone answers like a known one: the verdict of the policy alone (no similarity, no
//! "same as current"), so nothing before the submit tells a good link from a bad one but the
//! account-specific errors a known link's password earns.
//!
//! Without the guard the dry run cannot see a link that was superseded by a newer one; it does see,
//! from the account's `password_changed_at` and the record's expiry, a link sent before the
//! password last changed, which it treats as unknown: a stale link found in an old mailbox must not
//! become a way to test guesses of the new password ("same as current").

use pwreset_core::CheckResult;

use super::password::judge_new_password;
use super::redeem::{FoundLink, find_link};
use super::request::limit;
use super::{FlowError, FlowResult, PasswordForm};
use crate::config::ServiceConfig;
use crate::model::account::Account;
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
        Ok(found) => live_account(cfg, found),
        Err(FlowError::Unavailable(e)) => return Err(FlowError::Unavailable(e)),
        // Every kind of wrong link reads as no account.
        Err(_) => None,
    };
    judge_new_password(p, cfg, account.as_ref(), form).await
}

/// The account of a found link, unless its password changed after the link was sent (the guard
/// would refuse the link; its issue time is its expiry less the configured link lifetime).
fn live_account(cfg: &ServiceConfig, found: FoundLink) -> Option<Account> {
    let sent_at = found.record.expires_at.saturating_sub(cfg.lifetimes.link);
    (found.account.password_changed_at <= sent_at).then_some(found.account)
}

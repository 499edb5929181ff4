//! Judging, setting and proving a password.

use pwreset_core::secrets::AccessToken;
use pwreset_core::{CheckInput, CheckResult, Policy};
use serde_json::json;

use super::stored_hash::{self, HashCheck};
use super::{FlowError, FlowResult, token_issuer};
use crate::breached;
use crate::config::ServiceConfig;
use crate::delivery::{self, Channel, Locale, MessageKind};
use crate::guard::{GuardAddress, GuardAnswer, GuardOp, Proof};
use crate::model::account::Account;
use crate::model::audit;
use crate::model::event::{Dialect, EventData, EventSource, EventType, Method};
use crate::model::job::Job;
use crate::ports::{Accounts, Platform, PlatformError};

/// A new password as a dialect's form carries it, with the policy that dialect enforces.
#[derive(Clone, Copy)]
pub struct PasswordForm<'a> {
    /// The policy to apply.
    pub policy: &'a Policy,
    /// The new password.
    pub password: &'a str,
    /// Its confirmation, when the form has one.
    pub confirm: Option<&'a str>,
    /// The field errors about the password are reported on.
    pub password_field: &'a str,
    /// The field a mismatch is reported on.
    pub confirm_field: &'a str,
    /// The language of the "password changed" notice.
    pub locale: Locale,
}

/// Applies the configured policy to a new password for `account`: every rule and the
/// confirmation; then, only when all those pass (each costs more), the breached-password check
/// when it is on, and "not the current password" (a hash). A refusal is
/// [`FlowError::Policy`] with [`judge_new_password`]'s verdict.
pub async fn check_new_password(
    p: &impl Platform,
    cfg: &ServiceConfig,
    account: &Account,
    form: PasswordForm<'_>,
) -> FlowResult<()> {
    let result = judge_new_password(p, cfg, Some(account), form).await?;
    if result.valid {
        Ok(())
    } else {
        Err(FlowError::Policy(result))
    }
}

/// The verdict on a new password, valid or not, in the form's language: every rule and the
/// confirmation; then, only when all those pass, the breached-password check when it is on, and
/// (with an account) "not the current password". With `account` the similarity rule compares the
/// account's attributes; without one (a dry run whose link is unknown) there is no similarity,
/// no "same as current" and no log line about a hash. `Err` only when a fail-closed breached
/// check could not run.
pub async fn judge_new_password(
    p: &impl Platform,
    cfg: &ServiceConfig,
    account: Option<&Account>,
    form: PasswordForm<'_>,
) -> FlowResult<CheckResult> {
    let user = account.map(Account::user_attributes);
    let mut input = CheckInput::new(form.password);
    if let Some(user) = &user {
        input = input.user(user);
    }
    input.password_field = form.password_field;
    input.confirm_field = form.confirm_field;
    if let Some(confirm) = form.confirm {
        input = input.confirm(confirm);
    }
    // Messages in the requester's language (`seed-002`'s English only in English).
    let catalog = form.locale.policy_catalog(form.policy);
    let result = form.policy.check(&input);
    if !result.valid {
        return Ok(result.localized(catalog));
    }
    input.breached = breached::is_breached(p, &cfg.breached, form.password).await?;
    // A stored hash that can't be checked leaves the rule unenforced, logged (`stored_hash`).
    input.same_as_old = account.is_some_and(|account| {
        stored_hash::matches(p, cfg, account, form.password, HashCheck::SameAsCurrent)
            .unwrap_or(false)
    });
    if input.breached || input.same_as_old {
        return Ok(form.policy.check(&input).localized(catalog));
    }
    Ok(result.localized(catalog))
}

/// Sets `account`'s password, the new one already checked, so that a failure at any step leaves
/// the account resettable and the secret either unused or really used:
/// 1. the account's guard proves `proof` and records a pending change (nothing used up yet);
/// 2. the new hash goes to the store; when that call fails, the store is asked whether it holds
///    the new password all the same (a timeout may hide a write that happened); when it does not,
///    the write may still land, so the change stays pending and the caller gets `503` with the
///    lease's `retry-after` (nothing used; see [`crate::guard`] for how it settles);
/// 3. the guard is told the store holds it: the change is recorded (the secret is used up, every
///    other outstanding secret and every earlier access token dies).
///
/// A lost step 3 is settled by the next request that reads the account.
/// Then the directory is asked to end sessions, the "password changed" notice is queued and the
/// event logged and queued for the application (`password.changed`, from `source`; each failure
/// there is logged, never a failed change), and an access token for the new state is issued.
pub async fn commit_password(
    p: &impl Platform,
    cfg: &ServiceConfig,
    mut account: Account,
    form: PasswordForm<'_>,
    proof: Proof,
    how: &str,
    source: &EventSource,
) -> FlowResult<AccessToken> {
    let hash = stored_hash::new_hash(cfg, form.password)
        .map_err(|e| PlatformError(format!("password hashing failed: {e}")))?;
    let changed_at = p.now().as_secs();
    let change = Change {
        id: crate::model::account::new_id().map_err(|e| PlatformError(e.to_string()))?,
        changed_at,
    };
    let begin = GuardOp::BeginChange {
        change_id: change.id.clone(),
        proof,
        seen_changed_at: account.password_changed_at,
        state: super::state_tags(cfg, &account),
        changed_at,
    };
    let guard = GuardAddress::of_account(&account.id);
    let begun = match p.guard(&guard, begin).await {
        Ok(answer) => answer,
        Err(e) => {
            // The guard may have recorded the change and lost its answer: drop it now, so that
            // it does not hold the account until its lease ends.
            finish_change(p, &account.id, &change, false).await;
            return Err(e.into());
        }
    };
    super::release_global(p, begun.released_global()).await?;
    match begun {
        GuardAnswer::Begun => {}
        GuardAnswer::Busy { retry_after } => {
            return Err(FlowError::ChangeUnderWay { retry_after });
        }
        GuardAnswer::GuessesPaused { retry_after } => {
            return Err(FlowError::RateLimited { retry_after });
        }
        _ => return Err(FlowError::InvalidSecret),
    }
    account.password_hash = hash;
    account.password_changed_at = changed_at;
    let directory = super::directory(p, cfg);
    if let Err(e) = directory.update_account(&account).await {
        let stored = directory.account(&account.id).await.is_ok_and(|found| {
            found.is_some_and(|a| {
                a.password_changed_at == changed_at && a.password_hash == account.password_hash
            })
        });
        if !stored {
            // A failed write may still land (a timeout hides whether, and when): the change
            // stays pending rather than dropped, so a write that lands later is settled by the
            // next request that reads it, and one that never lands lapses with the lease. Until
            // then the account answers "try again" and nothing is used.
            p.log(&audit::line(
                "password_change_pending",
                p.now(),
                json!({ "account": account.id, "reason": e.0 }),
            ));
            return Err(FlowError::ChangeUnderWay {
                retry_after: crate::guard::CHANGE_LEASE_SECS,
            });
        }
    }
    if let Some(released) = finish_change(p, &account.id, &change, true).await
        && let Err(e) = super::release_global(p, &released).await
    {
        // The claims lapse when the codes expire; the guard already refuses them.
        p.log(&audit::line(
            "global_release_failed",
            p.now(),
            json!({ "reason": e.0 }),
        ));
    }
    if let Err(e) = directory.end_sessions(&account.id).await {
        // The password is set and every token of ours is dead; the application's own sessions
        // could not be ended: say so loudly, the operator must act.
        p.log(&audit::line(
            "sessions_not_ended",
            p.now(),
            json!({ "account": account.id, "reason": e.0 }),
        ));
    }
    let notice_id = crate::model::account::new_id().map_err(|e| PlatformError(e.to_string()))?;
    let notice = delivery::unwritten(
        form.locale,
        MessageKind::PasswordChanged,
        Channel::Email,
        &account.email,
        notice_id,
        p.now().as_secs(),
    )
    .about(vec![account.id.clone()], source.clone());
    if let Err(e) = p.enqueue(&Job::Deliver(notice), 0).await {
        // The password is set; a lost notice is logged, never a failed reset.
        p.log(&audit::line(
            "notice_not_queued",
            p.now(),
            json!({ "reason": e.0 }),
        ));
    }
    p.log(&audit::line(
        "password_changed",
        p.now(),
        json!({ "account": account.id, "how": how }),
    ));
    let changed = EventData::new(&account.id, source);
    super::events::emit(p, cfg, EventType::PasswordChanged, changed).await;
    token_issuer(cfg)
        .issue_with(
            &cfg.keyring,
            &account.id,
            &account.password_state(),
            p.now(),
            cfg.access_token_algorithms,
        )
        .map_err(|e| FlowError::Unavailable(PlatformError(e.to_string())))
}

/// A begun change: its random id and its time.
struct Change {
    id: String,
    changed_at: u64,
}

/// Step 3 of [`commit_password`]: tells the guard whether the store holds `change`. A failure is
/// logged, not returned: the store decided already, and the next request that reads the account
/// settles the guard. Returns the global digests to release.
async fn finish_change(
    p: &impl Platform,
    account_id: &str,
    change: &Change,
    stored: bool,
) -> Option<Vec<crate::model::secret::Digest>> {
    let finish = GuardOp::FinishChange {
        change_id: change.id.clone(),
        changed_at: change.changed_at,
        stored,
    };
    match p.guard(&GuardAddress::of_account(account_id), finish).await {
        Ok(answer) => Some(answer.released_global().to_vec()),
        Err(e) => {
            p.log(&audit::line(
                "password_change_unsettled",
                p.now(),
                json!({ "account": account_id, "stored": stored, "reason": e.0 }),
            ));
            None
        }
    }
}

/// Changes the password of the account a bearer token authenticates, given its current password.
pub async fn change_password(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: Option<&str>,
    old_password: &str,
    form: PasswordForm<'_>,
    client_ip: &str,
) -> FlowResult<AccessToken> {
    super::request::limit(p, crate::ports::LimitRule::AttemptPerIp, client_ip).await?;
    let account = authenticate(p, cfg, token).await?;
    let proven = stored_hash::matches(p, cfg, &account, old_password, HashCheck::OldPassword);
    if proven != Some(true) {
        // One that can't be checked is refused as wrong (and logged as such by `stored_hash`).
        let reason = match proven {
            Some(_) => "wrong_old_password",
            None => "old_password_unverifiable",
        };
        p.log(&audit::line(
            "password_change_refused",
            p.now(),
            json!({ "account": account.id, "reason": reason }),
        ));
        return Err(FlowError::WrongPassword);
    }
    check_new_password(p, cfg, &account, form).await?;
    let source = super::events::source(cfg, Dialect::User, Method::Password, client_ip);
    let proof = Proof::CurrentPassword;
    commit_password(p, cfg, account, form, proof, "change", &source).await
}

/// The account a bearer token authenticates, if the token is good and its password state current
/// (the checks: [`super::introspect::verify_access_token`]).
pub async fn authenticate(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: Option<&str>,
) -> FlowResult<Account> {
    let token = token.ok_or(FlowError::Unauthorized)?;
    let (account, _) = super::introspect::verify_access_token(p, cfg, token).await?;
    Ok(account)
}

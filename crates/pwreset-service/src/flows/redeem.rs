//! Redeeming a secret: a code for a signed payload (dialect A), a payload, a link or a code for a
//! new password. Every wrong secret gets the same [`FlowError::InvalidSecret`]; a new password
//! that is refused leaves the secret unused; a right secret is used exactly once (the account's
//! guard decides atomically).

use pwreset_core::secrets::{
    AccessToken, CodeScope, LinkToken, PayloadPurpose, ResetCode, SignedPayload, sign_payload,
    verify_payload,
};

use super::password::{check_decoy_password, check_new_password};
use super::request::limit;
use super::{FlowError, FlowResult, PasswordForm, lookup, set_password};
use crate::account::Account;
use crate::audit;
use crate::config::ServiceConfig;
use crate::guard::{GlobalAnswer, GlobalOp, GuardAnswer, GuardOp};
use crate::platform::{Accounts, LimitRule, Platform, PlatformError};

/// The guard id used when the named account does not exist, so that a wrong guess costs the same
/// storage round trip either way (no timing tells an account exists).
fn decoy_id(identifier: &str) -> String {
    format!("decoy:{}", audit::tag(identifier))
}

/// The hex digests of `text` read as a code in `scope`, or one that never matches when it is not
/// a well-formed code (a malformed code still counts as a wrong try).
fn code_digests(cfg: &ServiceConfig, text: &str, scope: &str) -> Vec<String> {
    match ResetCode::parse(text, cfg.code_digits) {
        Ok(code) => code
            .digests(&cfg.keyring, CodeScope::Account(scope))
            .iter()
            .map(|d| d.as_hex().to_owned())
            .collect(),
        Err(_) => vec!["malformed".to_owned()],
    }
}

/// Applies a code redemption to `guard_id` and releases any global claim that ended; `true` when
/// the code was right.
async fn redeem_code(p: &impl Platform, guard_id: &str, digests: Vec<String>) -> FlowResult<bool> {
    let answer = p.guard(guard_id, GuardOp::RedeemCode { digests }).await?;
    let (right, released) = match answer {
        GuardAnswer::CodeAccepted { global_digest } => (true, global_digest),
        GuardAnswer::CodeBurnt { released_global } => (false, released_global),
        _ => (false, None),
    };
    if let Some(digest) = released {
        p.global_codes(GlobalOp::Release { digest }).await?;
    }
    Ok(right)
}

/// Dialect A, step 2: a right e-mailed code for `username` buys a signed payload.
pub async fn code_for_payload(
    p: &impl Platform,
    cfg: &ServiceConfig,
    username: &str,
    code: &str,
    client_ip: &str,
) -> FlowResult<SignedPayload> {
    limit(p, LimitRule::AttemptPerIp, client_ip).await?;
    let account = lookup::by_username_or_email(&super::directory(p, cfg), username).await?;
    let guard_id = account
        .as_ref()
        .map_or_else(|| decoy_id(username), |a| a.id.clone());
    let right = redeem_code(p, &guard_id, code_digests(cfg, code, &guard_id)).await?;
    match account {
        Some(account) if right => sign_payload(
            &cfg.keyring,
            PayloadPurpose::ResetAfterCode,
            &account.id,
            &account.password_state(),
            p.now(),
            cfg.lifetimes.payload,
        )
        .map_err(|e| FlowError::Unavailable(PlatformError(e.to_string()))),
        _ => Err(FlowError::InvalidSecret),
    }
}

/// Dialect A, step 3: a signed payload for `username` and a new password.
pub async fn reset_with_payload(
    p: &impl Platform,
    cfg: &ServiceConfig,
    username: &str,
    payload: &str,
    form: PasswordForm<'_>,
    client_ip: &str,
) -> FlowResult<AccessToken> {
    limit(p, LimitRule::AttemptPerIp, client_ip).await?;
    // Signature, purpose and expiry first: a forged payload costs no storage read.
    let pending = verify_payload(
        &cfg.keyring,
        payload,
        PayloadPurpose::ResetAfterCode,
        p.now(),
    )
    .map_err(|_| FlowError::InvalidSecret)?;
    let account = lookup::by_username_or_email(&super::directory(p, cfg), username)
        .await?
        .filter(|a| a.id == pending.account())
        .ok_or(FlowError::InvalidSecret)?;
    let verified = pending
        .confirm(&account.id, &account.password_state())
        .map_err(|_| FlowError::InvalidSecret)?;
    check_new_password(p, cfg, &account, form).await?;
    let op = GuardOp::Consume {
        secret_id: format!("payload:{}", verified.nonce_hex),
        issued_at: verified.issued_at.as_secs(),
        expires_at: verified.expires_at.as_secs(),
    };
    if p.guard(&account.id, op).await? != GuardAnswer::Consumed {
        return Err(FlowError::InvalidSecret);
    }
    set_password(p, cfg, account, form, "signed_payload").await
}

/// An e-mailed link's token (dialect B) or account key and token (dialect C, `user`) and a new
/// password.
pub async fn reset_with_link(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: &str,
    user: Option<&str>,
    form: PasswordForm<'_>,
    client_ip: &str,
) -> FlowResult<AccessToken> {
    limit(p, LimitRule::AttemptPerIp, client_ip).await?;
    let token = LinkToken::parse(token).map_err(|_| FlowError::InvalidSecret)?;
    let mut found = None;
    for digest in token.digests(&cfg.keyring) {
        let key = digest.storage_key();
        if let Some(record) = p.link(&key).await? {
            found = Some((key, record));
            break;
        }
    }
    let (key, record) = found.ok_or(FlowError::InvalidSecret)?;
    if record.expires_at <= p.now().as_secs() || user.is_some_and(|u| u != record.account_id) {
        return Err(FlowError::InvalidSecret);
    }
    let account = super::directory(p, cfg)
        .account(&record.account_id)
        .await?
        .ok_or(FlowError::InvalidSecret)?;
    check_new_password(p, cfg, &account, form).await?;
    // The guard knows which links are live: a password change since the link was sent killed it.
    let op = GuardOp::UseLink {
        secret_id: key.clone(),
    };
    if p.guard(&account.id, op).await? != GuardAnswer::Consumed {
        return Err(FlowError::InvalidSecret);
    }
    p.delete_link(&key).await?;
    set_password(p, cfg, account, form, "link").await
}

/// Dialect B: an SMS code and a new password, with the phone (the account's own code) or
/// without it (looked up among all live codes, within the day's guess budget).
pub async fn reset_with_code(
    p: &impl Platform,
    cfg: &ServiceConfig,
    code: &str,
    phone: Option<&str>,
    form: PasswordForm<'_>,
    client_ip: &str,
) -> FlowResult<AccessToken> {
    limit(p, LimitRule::AttemptPerIp, client_ip).await?;
    let account = match phone {
        Some(phone) => with_phone(p, cfg, code, phone, form).await?,
        None => without_phone(p, cfg, code, form).await?,
    };
    set_password(p, cfg, account, form, "sms_code").await
}

async fn with_phone(
    p: &impl Platform,
    cfg: &ServiceConfig,
    code: &str,
    phone: &str,
    form: PasswordForm<'_>,
) -> FlowResult<Account> {
    let account = super::directory(p, cfg).account_by_phone(phone).await?;
    // The password is judged before the code is touched (a refused password leaves it unused);
    // an unknown phone gets the same work, so the time does not tell that the account exists.
    match &account {
        Some(account) => check_new_password(p, cfg, account, form).await?,
        None => check_decoy_password(p, cfg, form).await?,
    }
    let guard_id = account
        .as_ref()
        .map_or_else(|| decoy_id(phone), |a| a.id.clone());
    let right = redeem_code(p, &guard_id, code_digests(cfg, code, &guard_id)).await?;
    match account {
        Some(account) if right => Ok(account),
        _ => Err(FlowError::InvalidSecret),
    }
}

async fn without_phone(
    p: &impl Platform,
    cfg: &ServiceConfig,
    code: &str,
    form: PasswordForm<'_>,
) -> FlowResult<Account> {
    let parsed = ResetCode::parse(code, cfg.code_digits).map_err(|_| FlowError::InvalidSecret)?;
    let digests = parsed
        .digests(&cfg.keyring, CodeScope::Global)
        .iter()
        .map(|d| d.as_hex().to_owned())
        .collect();
    let op = GlobalOp::Redeem {
        digests,
        digits: cfg.code_digits,
    };
    let (account_id, global) = match p.global_codes(op).await? {
        GlobalAnswer::Found { account_id, digest } => (account_id, digest),
        GlobalAnswer::Exhausted { retry_after } => {
            p.log(&audit::line(
                "global_code_budget_spent",
                p.now(),
                serde_json::json!({}),
            ));
            return Err(FlowError::RateLimited { retry_after });
        }
        _ => return Err(FlowError::InvalidSecret),
    };
    let account = super::directory(p, cfg)
        .account(&account_id)
        .await?
        .ok_or(FlowError::InvalidSecret)?;
    check_new_password(p, cfg, &account, form).await?;
    if !redeem_code(p, &account.id, code_digests(cfg, code, &account.id)).await? {
        return Err(FlowError::InvalidSecret);
    }
    p.global_codes(GlobalOp::Release { digest: global }).await?;
    Ok(account)
}

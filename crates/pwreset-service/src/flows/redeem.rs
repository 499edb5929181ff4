//! Redeeming a secret: a code for a signed payload (dialect A), or a payload, a link or a code for
//! a new password. Each password-setting flow reads the same way: find the account, check that the
//! secret holds (a wrong code costs a try), judge the new password, then commit through the
//! account's guard, which proves the secret again and records the change atomically. So every
//! wrong secret gets the same [`FlowError::InvalidSecret`] before anything about the account or the
//! password is said; a refused password leaves the secret unused; a right secret is used once. A
//! code tried through an identifier whose tries are spent gets [`FlowError::SecretExhausted`]
//! instead, decided by the guard on that identifier's own tries, an unknown name's decoy alike.

use pwreset_core::secrets::{
    AccessToken, CodeScope, LinkToken, PasswordState, PayloadPurpose, ResetCode, SignedPayload,
    sign_payload, verify_payload,
};

use super::events;
use super::password::{check_new_password, commit_password};
use super::request::limit;
use super::{FlowError, FlowResult, PasswordForm, directory, lookup, release_global};
use crate::config::ServiceConfig;
use crate::guard::{GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp, Proof};
use crate::model::account::Account;
use crate::model::audit;
use crate::model::event::{Dialect, EventSource, Method};
use crate::model::secret::{Digest, SecretId};
use crate::model::tags::{IdentifierTag, StateTag};
use crate::ports::{Accounts, LimitRule, Platform, PlatformError};

/// The hex digests of `text` read as a code in `scope`, or one that never matches when it is not
/// a well-formed code (a malformed code still counts as a wrong try).
fn code_digests(cfg: &ServiceConfig, text: &str, scope: CodeScope<'_>) -> Vec<Digest> {
    match ResetCode::parse(text, cfg.code_digits) {
        Ok(code) => code
            .digests(&cfg.keyring, scope)
            .iter()
            .map(Digest::from)
            .collect(),
        Err(_) => vec!["malformed".into()],
    }
}

/// Asks the guard at `guard` whether `proof` holds (releasing any global claim that ended with a
/// burnt code). An account whose day of failed guesses is spent answers `429` with the time to
/// wait, and an identifier whose tries are spent [`FlowError::SecretExhausted`], the same for an
/// unknown name (its decoy guard counts guesses alike). `account` (with where the request came
/// from) gets its `secret.locked` event when the try burnt its code or spent its day.
async fn holds(
    p: &impl Platform,
    cfg: &ServiceConfig,
    guard: &GuardAddress,
    op: GuardOp,
    account: Option<(&str, &EventSource)>,
) -> FlowResult<bool> {
    // The guard is not logged: whether it is a decoy would tell a log reader the name is unknown.
    let answer = p.guard(guard, op).await?;
    release_global(p, answer.released_global()).await?;
    let (answer, day_spent) = answer.day_spent();
    if let Some((account, source)) = account {
        events::after_code_try(p, cfg, account, source, &answer, day_spent).await;
    }
    match answer {
        GuardAnswer::GuessesPaused { retry_after } => {
            p.log(&audit::line(
                "guesses_paused",
                p.now(),
                serde_json::json!({ "retry_after": retry_after }),
            ));
            Err(FlowError::RateLimited { retry_after })
        }
        GuardAnswer::Exhausted { .. } => Err(FlowError::SecretExhausted),
        answer => Ok(matches!(answer, GuardAnswer::Holds { .. })),
    }
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
    let source = events::source(cfg, Dialect::Reg, Method::Email, client_ip);
    let account = lookup::by_username_or_email(&directory(p, cfg), username).await?;
    let asked_as = IdentifierTag::of(&cfg.keyring, username);
    // An unknown name's decoy guard: a wrong guess costs the same round trip and counts against
    // a day's budget either way, so nothing tells an account exists.
    let guard = account.as_ref().map_or_else(
        || GuardAddress::of_unknown_name(&asked_as),
        |a| GuardAddress::of_account(&a.id),
    );
    // Codes are digested in their account's scope; a decoy's scope is its record.
    let scope = account
        .as_ref()
        .map_or(guard.record.as_str(), |a| a.id.as_str());
    let digests = code_digests(cfg, code, CodeScope::Account(scope));
    let redeem = GuardOp::RedeemCode {
        digests,
        asked_as,
        seen_changed_at: account.as_ref().map_or(0, |a| a.password_changed_at),
        // A decoy's tags are computed alike, over its record and an empty state.
        state: match &account {
            Some(account) => super::state_tags(cfg, account),
            None => decoy_state_tags(cfg, &guard),
        },
    };
    let about = account.as_ref().map(|a| (a.id.as_str(), &source));
    let right = holds(p, cfg, &guard, redeem, about).await?;
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
    let account = lookup::by_username_or_email(&directory(p, cfg), username)
        .await?
        .filter(|a| a.id == pending.account())
        .ok_or(FlowError::InvalidSecret)?;
    let verified = pending
        .confirm(&account.id, &account.password_state())
        .map_err(|_| FlowError::InvalidSecret)?;
    let proof = Proof::Payload {
        secret_id: SecretId::of_payload(&verified.nonce_hex),
        issued_at: verified.issued_at.as_secs(),
        expires_at: verified.expires_at.as_secs(),
    };
    let source = events::source(cfg, Dialect::Reg, Method::Email, client_ip);
    check_then_commit(p, cfg, account, form, proof, "signed_payload", &source).await
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
    redeem_link(p, cfg, token, user, form, client_ip)
        .await
        .map(|redeemed| redeemed.token)
}

/// A link used by [`redeem_link`]: the access token, and the return URL its record carries.
pub struct LinkRedeemed {
    /// The account's new access token.
    pub token: AccessToken,
    /// The return URL the link was sent with (dialect B's verified `Origin`), as stored: the
    /// caller checks it against the current configuration before leading anywhere.
    pub return_url: Option<String>,
}

/// [`reset_with_link`], answering the link record's return URL as well (the reset page's success
/// page leads back to it).
pub async fn redeem_link(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: &str,
    user: Option<&str>,
    form: PasswordForm<'_>,
    client_ip: &str,
) -> FlowResult<LinkRedeemed> {
    limit(p, LimitRule::AttemptPerIp, client_ip).await?;
    let FoundLink {
        key,
        account,
        return_url,
    } = find_link(p, cfg, token, user).await?;
    // The guard knows which links are live: a password change since the link was sent killed it.
    let proof = Proof::Link {
        secret_id: key.clone(),
    };
    let dialect = match user {
        Some(_) => Dialect::User,
        None => Dialect::AuthV1,
    };
    let source = events::source(cfg, dialect, Method::Link, client_ip);
    let token = check_then_commit(p, cfg, account, form, proof, "link", &source).await?;
    if let Err(e) = p.delete_link(key.as_str()).await {
        // The guard already refuses the used link; its record expires by itself.
        p.log(&audit::line(
            "link_record_not_deleted",
            p.now(),
            serde_json::json!({ "reason": e.0 }),
        ));
    }
    Ok(LinkRedeemed { token, return_url })
}

/// A link's record and account, as far as storage tells: the guard has not been asked whether
/// the link is still live.
pub(super) struct FoundLink {
    /// The record's key (the token's keyed digest).
    pub key: SecretId,
    /// The account it resets.
    pub account: Account,
    /// The record's return URL, unchecked (see [`LinkRedeemed::return_url`]).
    pub return_url: Option<String>,
}

/// Whether the guard still holds the found link live (not used, not superseded by a newer one,
/// its account's password and address unchanged since it was sent), asked with the very check a
/// submit makes first. A link's check uses nothing up and counts no guess.
pub(super) async fn link_holds(
    p: &impl Platform,
    cfg: &ServiceConfig,
    found: &FoundLink,
) -> FlowResult<bool> {
    holds(
        p,
        cfg,
        &GuardAddress::of_account(&found.account.id),
        GuardOp::Check {
            proof: Proof::Link {
                secret_id: found.key.clone(),
            },
            seen_changed_at: found.account.password_changed_at,
            state: super::state_tags(cfg, &found.account),
        },
        None,
    )
    .await
}

/// Finds the link `token` (with dialect C's `user`) points to: a well-formed token whose record
/// exists under one of the keyring's digests, has not expired, was sent in the dialect asked for
/// (with `user` exactly when sent by dialect C, and then `user` names its account), and whose
/// account exists. Anything else is [`FlowError::InvalidSecret`]; a failed storage call
/// [`FlowError::Unavailable`]. Reads only.
pub(super) async fn find_link(
    p: &impl Platform,
    cfg: &ServiceConfig,
    token: &str,
    user: Option<&str>,
) -> FlowResult<FoundLink> {
    let token = LinkToken::parse(token).map_err(|_| FlowError::InvalidSecret)?;
    let mut found = None;
    for digest in token.digests(&cfg.keyring) {
        let key = SecretId::of_link(&digest);
        if let Some(record) = p.link(key.as_str()).await? {
            found = Some((key, record));
            break;
        }
    }
    let (key, record) = found.ok_or(FlowError::InvalidSecret)?;
    let wrong_dialect = record.with_user != user.is_some();
    if record.expires_at <= p.now().as_secs()
        || wrong_dialect
        || user.is_some_and(|u| u != record.account_id)
    {
        return Err(FlowError::InvalidSecret);
    }
    let account = directory(p, cfg)
        .account(&record.account_id)
        .await?
        .ok_or(FlowError::InvalidSecret)?;
    Ok(FoundLink {
        key,
        account,
        return_url: record.return_url,
    })
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
    let source = events::source(cfg, Dialect::AuthV1, Method::Sms, client_ip);
    let account = match phone {
        Some(phone) => directory(p, cfg).account_by_phone(phone).await?,
        None => account_of_global_code(p, cfg, code).await?,
    };
    let Some(account) = account else {
        // An unknown phone: the same guard round trip as a wrong code, then the same answer.
        let asked_as = IdentifierTag::of(&cfg.keyring, phone.unwrap_or_default());
        let guard = GuardAddress::of_unknown_name(&asked_as);
        let digests = code_digests(cfg, code, CodeScope::Account(&guard.record));
        holds(
            p,
            cfg,
            &guard,
            GuardOp::Check {
                proof: Proof::Code { digests, asked_as },
                seen_changed_at: 0,
                state: decoy_state_tags(cfg, &guard),
            },
            None,
        )
        .await?;
        return Err(FlowError::InvalidSecret);
    };
    let proof = Proof::Code {
        digests: code_digests(cfg, code, CodeScope::Account(&account.id)),
        // Codes redeemed without a phone come through no identifier of the account.
        asked_as: IdentifierTag::of(&cfg.keyring, phone.unwrap_or("no-phone")),
    };
    check_then_commit(p, cfg, account, form, proof, "sms_code", &source).await
}

/// The account whose live code this is, found among all live codes within the day's budget.
async fn account_of_global_code(
    p: &impl Platform,
    cfg: &ServiceConfig,
    code: &str,
) -> FlowResult<Option<Account>> {
    let parsed = ResetCode::parse(code, cfg.code_digits).map_err(|_| FlowError::InvalidSecret)?;
    let digests = parsed
        .digests(&cfg.keyring, CodeScope::Global)
        .iter()
        .map(Digest::from)
        .collect();
    let op = GlobalOp::Redeem {
        digests,
        digits: cfg.code_digits,
    };
    match p.global_codes(op).await? {
        GlobalAnswer::Found { account_id, .. } => {
            let account = directory(p, cfg).account(&account_id).await?;
            Ok(Some(account.ok_or(FlowError::InvalidSecret)?))
        }
        GlobalAnswer::Exhausted { retry_after } => {
            p.log(&audit::line(
                "global_code_budget_spent",
                p.now(),
                serde_json::json!({}),
            ));
            Err(FlowError::PhoneRequired { retry_after })
        }
        _ => Err(FlowError::InvalidSecret),
    }
}

/// The common tail: the secret must hold before anything about the account or the new password
/// is said; then the password is judged; then the guard commits the change.
async fn check_then_commit(
    p: &impl Platform,
    cfg: &ServiceConfig,
    account: Account,
    form: PasswordForm<'_>,
    proof: Proof,
    how: &str,
    source: &EventSource,
) -> FlowResult<AccessToken> {
    if !holds(
        p,
        cfg,
        &GuardAddress::of_account(&account.id),
        GuardOp::Check {
            proof: proof.clone(),
            seen_changed_at: account.password_changed_at,
            state: super::state_tags(cfg, &account),
        },
        Some((&account.id, source)),
    )
    .await?
    {
        return Err(FlowError::InvalidSecret);
    }
    check_new_password(p, cfg, &account, form).await?;
    commit_password(p, cfg, account, form, proof, how, source).await
}

/// A decoy guard's state tags, computed like an account's (over its record and an empty state),
/// so that a guess at an unknown name costs what one at an account costs.
fn decoy_state_tags(cfg: &ServiceConfig, guard: &GuardAddress) -> Vec<StateTag> {
    StateTag::of(&cfg.keyring, &guard.record, &PasswordState::new(""))
}

//! The second half of a reset request, in the queue's consumer: find the account, issue the
//! secret, compose the message and send it. The request route only enqueues, so it costs the
//! same whether or not the account exists. Codes go by e-mail or SMS; links by e-mail, or by SMS
//! to the phone that found the account (the forgot page's `ResetVia::SmsLink`).
//!
//! A code asked for through an identifier starts that identifier's tries afresh at its guard,
//! whether or not a code is issued (the account's codes limited, its day's messages sent) and, for
//! a name of no account, at its decoy guard: what a later try answers
//! ([`crate::flows::FlowError::SecretExhausted`] or not) never tells whether the name exists.

use pwreset_core::secrets::{CodeScope, LinkToken, ResetCode};
use serde_json::json;

use super::events;
use super::send::send;
use crate::config::ServiceConfig;
use crate::delivery::{self, Channel, MessageKind};
use crate::flows::lookup;
use crate::model::account::Account;
use crate::model::audit;
use crate::model::event::{EventData, EventSource, EventType};
use crate::model::guard_ops::{GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp};
use crate::model::http::RESET_PAGE_PATH;
use crate::model::job::{ResetRequest, ResetVia};
use crate::model::locale::Locale;
use crate::model::message::OutgoingMessage;
use crate::model::secret::{Digest, SecretId};
use crate::model::tags::{IdentifierTag, StateTag};
use crate::ports::{Accounts, LimitRule, Platform, PlatformError, PlatformResult};

/// Finds the account of `request`, issues its secret and sends the message.
pub async fn run_reset_request(
    p: &impl Platform,
    cfg: &ServiceConfig,
    request: &ResetRequest,
) -> PlatformResult<()> {
    let directory = crate::flows::directory(p, cfg);
    let accounts = match request.via {
        ResetVia::EmailCode => lookup::by_username_or_email(&directory, &request.identifier)
            .await?
            .into_iter()
            .collect(),
        ResetVia::EmailLink => directory.accounts_by_email(&request.identifier).await?,
        ResetVia::UserLink => {
            lookup::by_username_else_email(&directory, &request.identifier).await?
        }
        ResetVia::SmsCode | ResetVia::SmsLink => directory
            .account_by_phone(&request.identifier)
            .await?
            .into_iter()
            .collect::<Vec<_>>(),
    };
    p.log(&audit::line(
        "reset_requested",
        p.now(),
        json!({ "id": request.id, "via": request.via, "accounts": accounts.len() }),
    ));
    let codes = matches!(request.via, ResetVia::EmailCode | ResetVia::SmsCode);
    let asked = CodeAsked {
        asked_as: IdentifierTag::of(&cfg.keyring, &request.identifier),
        expires_at: p.now().as_secs() + cfg.lifetimes.code,
    };
    if accounts.is_empty() {
        if codes {
            // The name's decoy guard starts its tries afresh, as an account's would.
            let decoy = GuardAddress::of_unknown_name(&asked.asked_as);
            p.guard(&decoy, asked.op()).await?;
        }
        return Ok(());
    }
    let source = events::source_of_request(request.via, request.ip_tag.clone());
    issue_and_send(p, cfg, request, &accounts, &asked, &source).await?;
    // Announced once settled: a job that failed on the way is run again, and announces then.
    for account in &accounts {
        let data = EventData::new(&account.id, &source);
        events::emit(p, cfg, EventType::ResetRequested, data).await;
    }
    Ok(())
}

/// For the accounts `request` found: issues the secret and sends the message, unless the
/// identifier's codes or the accounts' day of messages are spent.
async fn issue_and_send(
    p: &impl Platform,
    cfg: &ServiceConfig,
    request: &ResetRequest,
    accounts: &[Account],
    asked: &CodeAsked,
    source: &EventSource,
) -> PlatformResult<()> {
    let codes = matches!(request.via, ResetVia::EmailCode | ResetVia::SmsCode);
    if codes
        && !p
            .allow(
                LimitRule::RequestPerIdentifier,
                &code_limit_key(&accounts[0]),
            )
            .await?
    {
        // Every new code brings fresh tries; an account named by its username, its e-mail
        // address and its phone would otherwise get the identifier limit's codes three times over.
        p.log(&audit::line(
            "code_limited",
            p.now(),
            json!({ "id": request.id, "via": request.via }),
        ));
        // No code, but the identifier's tries start afresh as they would with one.
        let guard = GuardAddress::of_account(&accounts[0].id);
        p.guard(&guard, asked.op()).await?;
        return Ok(());
    }
    let message = match request.via {
        ResetVia::EmailCode => email_code(p, cfg, &accounts[0], request.locale, asked).await?,
        ResetVia::EmailLink => {
            let to = Recipient::email(&accounts[0]);
            // Only dialect B's e-mailed links carry the return URL its request was given.
            let form = LinkForm::Token(request.return_url.as_deref());
            links(p, cfg, accounts, form, to, request.locale).await?
        }
        ResetVia::UserLink => {
            let to = Recipient::email(&accounts[0]);
            links(p, cfg, accounts, LinkForm::UserAndToken, to, request.locale).await?
        }
        ResetVia::SmsCode => sms_code(p, cfg, &accounts[0], request.locale, asked).await?,
        ResetVia::SmsLink => {
            let to = Recipient::phone(&accounts[0])?;
            links(p, cfg, accounts, LinkForm::Token(None), to, request.locale).await?
        }
    };
    match message {
        Some(message) => {
            let ids = accounts.iter().map(|a| a.id.clone()).collect();
            send(p, cfg, message.about(ids, source.clone())).await
        }
        None => {
            // Each account gets a bounded number of messages a day, however it is asked.
            p.log(&audit::line(
                "daily_messages_sent",
                p.now(),
                json!({ "id": request.id, "via": request.via }),
            ));
            Ok(())
        }
    }
}

/// A code asked for: through which identifier (its keyed tag), and when it would expire.
struct CodeAsked {
    asked_as: IdentifierTag,
    expires_at: u64,
}

impl CodeAsked {
    /// The guard op that starts the identifier's tries afresh with no code issued.
    fn op(&self) -> GuardOp {
        GuardOp::CodeAsked {
            asked_as: self.asked_as.clone(),
            expires_at: self.expires_at,
        }
    }
}

/// The `request_per_identifier` key that counts the codes issued to one account, whichever
/// identifier asked. Identifier keys are 16 hex digits (`Keyring::identifier_tag`), so the two never meet.
fn code_limit_key(account: &Account) -> String {
    format!("account:{}", account.id)
}

fn message_id() -> PlatformResult<String> {
    crate::model::account::new_id().map_err(|e| PlatformError(e.to_string()))
}

fn minutes(seconds: u64) -> u64 {
    seconds.div_ceil(60)
}

async fn email_code(
    p: &impl Platform,
    cfg: &ServiceConfig,
    account: &Account,
    locale: Locale,
    asked: &CodeAsked,
) -> PlatformResult<Option<OutgoingMessage>> {
    let code = ResetCode::generate(cfg.code_digits).map_err(|e| PlatformError(e.to_string()))?;
    if !issue_code(p, cfg, account, &code, Vec::new(), asked).await? {
        return Ok(None);
    }
    let kind = MessageKind::ResetCode {
        code: code.reveal().to_owned(),
        ttl_minutes: minutes(cfg.lifetimes.code),
    };
    Ok(Some(delivery::unwritten(
        locale,
        kind,
        Channel::Email,
        &account.email,
        message_id()?,
        p.now().as_secs(),
    )))
}

async fn sms_code(
    p: &impl Platform,
    cfg: &ServiceConfig,
    account: &Account,
    locale: Locale,
    asked: &CodeAsked,
) -> PlatformResult<Option<OutgoingMessage>> {
    let Some(phone) = &account.phone else {
        return Err(PlatformError("account found by phone has none".into()));
    };
    let expires_at = asked.expires_at;
    let mut claimed = None;
    for draw in ResetCode::draws(cfg.code_digits, &cfg.keyring, CodeScope::Global) {
        let draw = draw.map_err(|e| PlatformError(e.to_string()))?;
        let stored = Digest::from(draw.stored_digest());
        let op = GlobalOp::Claim {
            stored: stored.clone(),
            digests: draw.digests().iter().map(Digest::from).collect(),
            account_id: account.id.clone(),
            expires_at,
        };
        if p.global_codes(op).await? == GlobalAnswer::Claimed {
            claimed = Some((draw.into_code(), stored));
            break;
        }
    }
    let Some((code, global)) = claimed else {
        return Err(PlatformError("no free code after repeated draws".into()));
    };
    if !issue_code(p, cfg, account, &code, vec![global.clone()], asked).await? {
        crate::flows::release_global(p, &[global]).await?;
        return Ok(None);
    }
    let kind = MessageKind::ResetCode {
        code: code.reveal().to_owned(),
        ttl_minutes: minutes(cfg.lifetimes.code),
    };
    Ok(Some(delivery::unwritten(
        locale,
        kind,
        Channel::Sms,
        phone,
        message_id()?,
        p.now().as_secs(),
    )))
}

async fn issue_code(
    p: &impl Platform,
    cfg: &ServiceConfig,
    account: &Account,
    code: &ResetCode,
    global_digests: Vec<Digest>,
    asked: &CodeAsked,
) -> PlatformResult<bool> {
    let op = GuardOp::IssueCode {
        digest: code
            .digest(&cfg.keyring, CodeScope::Account(&account.id))
            .into(),
        expires_at: asked.expires_at,
        global_digests,
        state: newest_state_tag(cfg, account),
        asked_as: asked.asked_as.clone(),
    };
    let answer = p.guard(&GuardAddress::of_account(&account.id), op).await?;
    crate::flows::release_global(p, answer.released_global()).await?;
    Ok(!matches!(answer, GuardAnswer::DailyMessagesSent { .. }))
}

/// The tag a new secret of `account` is bound to: its password state's, under the newest key.
fn newest_state_tag(cfg: &ServiceConfig, account: &Account) -> StateTag {
    crate::flows::state_tags(cfg, account)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// What a reset link carries: dialect B's `?token=` (its record with the return URL its request
/// was given, if any), or dialect C's `?user=…&token=…`.
#[derive(Clone, Copy)]
enum LinkForm<'a> {
    Token(Option<&'a str>),
    UserAndToken,
}

/// Where a message goes: a channel and an address on it.
struct Recipient<'a> {
    channel: Channel,
    to: &'a str,
}

impl<'a> Recipient<'a> {
    /// The account's e-mail address.
    fn email(account: &'a Account) -> Self {
        Self {
            channel: Channel::Email,
            to: &account.email,
        }
    }

    /// The account's phone, by SMS; an error for an account without one (it was found by phone).
    fn phone(account: &'a Account) -> PlatformResult<Self> {
        match &account.phone {
            Some(phone) => Ok(Self {
                channel: Channel::Sms,
                to: phone,
            }),
            None => Err(PlatformError("account found by phone has none".into())),
        }
    }
}

/// Issues a link of `form` to each of `accounts` (the guard's `IssueLink`, then the link record
/// for its lifetime) and writes one message with every link issued to `to`; `None` when no link
/// was issued (the accounts' day of messages is spent).
async fn links(
    p: &impl Platform,
    cfg: &ServiceConfig,
    accounts: &[Account],
    form: LinkForm<'_>,
    to: Recipient<'_>,
    locale: Locale,
) -> PlatformResult<Option<OutgoingMessage>> {
    let mut links = Vec::with_capacity(accounts.len());
    for account in accounts {
        let token = LinkToken::generate().map_err(|e| PlatformError(e.to_string()))?;
        let expires_at = p.now().as_secs() + cfg.lifetimes.link;
        let key = SecretId::of_link(&token.digest(&cfg.keyring));
        let record = crate::ports::LinkRecord {
            account_id: account.id.clone(),
            expires_at,
            with_user: matches!(form, LinkForm::UserAndToken),
            return_url: match form {
                LinkForm::Token(return_url) => return_url.map(str::to_owned),
                LinkForm::UserAndToken => None,
            },
        };
        // The guard holds which links are live (strongly consistent), KV where they point.
        let op = GuardOp::IssueLink {
            secret_id: key.clone(),
            expires_at,
            state: newest_state_tag(cfg, account),
        };
        let guard = GuardAddress::of_account(&account.id);
        if p.guard(&guard, op).await? != GuardAnswer::LinkIssued {
            continue;
        }
        p.put_link(key.as_str(), &record, cfg.lifetimes.link)
            .await?;
        let token = token.reveal_hex();
        let link = match form {
            LinkForm::Token(_) => format!(
                "{}{RESET_PAGE_PATH}?token={}",
                cfg.public_url,
                token.as_str()
            ),
            // An id from the application's user directory may hold any character: encoded, it
            // stays one query value.
            LinkForm::UserAndToken => format!(
                "{}{RESET_PAGE_PATH}?user={}&token={}",
                cfg.public_url,
                form_urlencoded::byte_serialize(account.id.as_bytes()).collect::<String>(),
                token.as_str()
            ),
        };
        links.push((account.label().to_owned(), link));
    }
    if links.is_empty() {
        return Ok(None);
    }
    let ttl_minutes = minutes(cfg.lifetimes.link);
    let kind = if links.len() == 1 {
        let (_, link) = links.remove(0);
        MessageKind::ResetLink { link, ttl_minutes }
    } else {
        MessageKind::ResetLinks { links, ttl_minutes }
    };
    Ok(Some(delivery::unwritten(
        locale,
        kind,
        to.channel,
        to.to,
        message_id()?,
        p.now().as_secs(),
    )))
}

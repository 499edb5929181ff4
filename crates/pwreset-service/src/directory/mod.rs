//! Where accounts live: the platform's own directory (KV on the edge), or the application's user
//! service over HTTP (`USER_DIRECTORY_URL`), every call signed.
//!
//! The protocol (`docs/user-directory.md`): `POST {url}/lookup`, `/create`, `/set-password` and
//! `/revoke-sessions` with JSON bodies; each request carries `X-Pwreset-Timestamp` (unix seconds),
//! `X-Pwreset-Nonce` (random hex) and `X-Pwreset-Signature: v1=<hex HMAC-SHA256(secret,
//! "{timestamp}.{nonce}.POST.{path}.{body}")>`; the receiver refuses a timestamp more than 300 s
//! away and a nonce it has seen in that window, so a captured call can't be replayed.

use hmac::{Hmac, KeyInit, Mac};
use pwreset_core::secrets::random_bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::account::Account;
use crate::delivery::{ProviderRequest, USER_AGENT};
use crate::platform::{Accounts, Clock, HttpFetch, PlatformError, PlatformResult};

/// How far the receiver lets a timestamp be from its clock.
pub const REPLAY_WINDOW_SECS: u64 = 300;
/// The shortest shared secret accepted.
pub const MIN_SECRET_BYTES: usize = 32;

/// The application's user service.
#[derive(Clone)]
pub struct RemoteDirectory {
    url: String,
    secret: String,
}

impl std::fmt::Debug for RemoteDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteDirectory")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RemoteDirectory {
    /// The service at `url` (no trailing slash), calls signed with `secret`.
    pub fn new(url: &str, secret: &str) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            secret: secret.to_owned(),
        }
    }

    /// Reads `USER_DIRECTORY_URL` and `USER_DIRECTORY_SECRET`; `Ok(None)` when no URL is set.
    pub fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Result<Option<Self>, Vec<String>> {
        let value = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let Some(url) = value("USER_DIRECTORY_URL") else {
            return Ok(None);
        };
        let mut problems = Vec::new();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            problems.push("USER_DIRECTORY_URL must be an http(s) URL".to_owned());
        }
        let secret = value("USER_DIRECTORY_SECRET").unwrap_or_default();
        if secret.len() < MIN_SECRET_BYTES {
            problems.push(format!(
                "USER_DIRECTORY_SECRET must be at least {MIN_SECRET_BYTES} characters when USER_DIRECTORY_URL is set"
            ));
        }
        if problems.is_empty() {
            Ok(Some(Self::new(&url, &secret)))
        } else {
            Err(problems)
        }
    }

    /// The signed request for `path` with `body` at `now`.
    pub fn request(&self, path: &str, body: &Value, now: u64, nonce: &str) -> ProviderRequest {
        let body = body.to_string();
        let signature = sign(&self.secret, now, nonce, path, &body);
        ProviderRequest {
            method: "POST".to_owned(),
            url: format!("{}{path}", self.url),
            headers: vec![
                ("User-Agent".to_owned(), USER_AGENT.to_owned()),
                ("Content-Type".to_owned(), "application/json".to_owned()),
                ("X-Pwreset-Timestamp".to_owned(), now.to_string()),
                ("X-Pwreset-Nonce".to_owned(), nonce.to_owned()),
                ("X-Pwreset-Signature".to_owned(), format!("v1={signature}")),
            ],
            body,
        }
    }
}

/// `hex(HMAC-SHA256(secret, "{timestamp}.{nonce}.POST.{path}.{body}"))`.
pub fn sign(secret: &str, timestamp: u64, nonce: &str, path: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{timestamp}.{nonce}.POST.{path}.").as_bytes());
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An account as the user service sends it.
#[derive(Deserialize, Serialize)]
struct WireAccount {
    id: String,
    username: String,
    email: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    user_type: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    approved: bool,
    #[serde(default)]
    email_id: Option<String>,
    #[serde(default = "confirmed")]
    email_confirmed: bool,
    password_hash: String,
    #[serde(default)]
    password_changed_at: u64,
}

fn confirmed() -> bool {
    true
}

impl From<WireAccount> for Account {
    fn from(w: WireAccount) -> Self {
        Account {
            email_id: w.email_id.unwrap_or_else(|| w.id.clone()),
            id: w.id,
            username: crate::account::normalize_identifier(&w.username).unwrap_or(w.username),
            email: crate::account::normalize_email(&w.email).unwrap_or(w.email),
            email_confirmed: w.email_confirmed,
            phone: w.phone.and_then(|p| crate::account::normalize_phone(&p)),
            first_name: w.first_name,
            last_name: w.last_name,
            user_type: w.user_type.unwrap_or_else(|| "CUSTOMER".to_owned()),
            scopes: w.scopes,
            approved: w.approved,
            password_hash: w.password_hash,
            password_changed_at: w.password_changed_at,
        }
    }
}

/// The directory the flows use: the platform's own accounts, or the remote user service.
pub struct Directory<'a, P> {
    p: &'a P,
    remote: Option<&'a RemoteDirectory>,
}

impl<'a, P: Accounts + HttpFetch + Clock> Directory<'a, P> {
    /// The directory over `p`, remote when `remote` is set.
    pub fn new(p: &'a P, remote: Option<&'a RemoteDirectory>) -> Self {
        Self { p, remote }
    }

    async fn call(
        &self,
        remote: &RemoteDirectory,
        path: &str,
        body: Value,
    ) -> PlatformResult<(u16, Value)> {
        let nonce: [u8; 16] = random_bytes().map_err(|e| PlatformError(e.to_string()))?;
        let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
        let request = remote.request(path, &body, self.p.now().as_secs(), &nonce);
        let answer = self
            .p
            .fetch(&request)
            .await
            .map_err(|e| PlatformError(format!("user directory {path}: {e}")))?;
        if answer.status >= 500 || answer.status == 401 || answer.status == 403 {
            return Err(PlatformError(format!(
                "user directory {path} answered {}",
                answer.status
            )));
        }
        let value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        Ok((answer.status, value))
    }

    async fn lookup(
        &self,
        remote: &RemoteDirectory,
        by: &str,
        value: &str,
    ) -> PlatformResult<Vec<Account>> {
        let (status, body) = self
            .call(remote, "/lookup", json!({ "by": by, "value": value }))
            .await?;
        if status != 200 {
            return Err(PlatformError(format!(
                "user directory /lookup answered {status}"
            )));
        }
        let accounts: Vec<WireAccount> = serde_json::from_value(body["accounts"].clone())
            .map_err(|e| PlatformError(format!("user directory /lookup answer unreadable: {e}")))?;
        Ok(accounts.into_iter().map(Account::from).collect())
    }

    async fn one(
        &self,
        remote: &RemoteDirectory,
        by: &str,
        value: &str,
    ) -> PlatformResult<Option<Account>> {
        Ok(self.lookup(remote, by, value).await?.into_iter().next())
    }

    /// Asks the application to end the account's sessions (after a password change). The
    /// platform's own directory has no sessions beyond access tokens, which die by themselves.
    pub async fn end_sessions(&self, id: &str) -> PlatformResult<()> {
        match self.remote {
            None => Ok(()),
            Some(remote) => {
                let (status, _) = self
                    .call(remote, "/revoke-sessions", json!({ "id": id }))
                    .await?;
                if status == 200 || status == 204 {
                    Ok(())
                } else {
                    Err(PlatformError(format!(
                        "user directory /revoke-sessions answered {status}"
                    )))
                }
            }
        }
    }
}

impl<P: Accounts + HttpFetch + Clock> Accounts for Directory<'_, P> {
    async fn account(&self, id: &str) -> PlatformResult<Option<Account>> {
        match self.remote {
            None => self.p.account(id).await,
            Some(remote) => self.one(remote, "id", id).await,
        }
    }

    async fn account_by_username(&self, username: &str) -> PlatformResult<Option<Account>> {
        match self.remote {
            None => self.p.account_by_username(username).await,
            Some(remote) => self.one(remote, "username", username).await,
        }
    }

    async fn accounts_by_email(&self, email: &str) -> PlatformResult<Vec<Account>> {
        match self.remote {
            None => self.p.accounts_by_email(email).await,
            Some(remote) => self.lookup(remote, "email", email).await,
        }
    }

    async fn account_by_phone(&self, phone: &str) -> PlatformResult<Option<Account>> {
        match self.remote {
            None => self.p.account_by_phone(phone).await,
            Some(remote) => self.one(remote, "phone", phone).await,
        }
    }

    async fn create_account(&self, account: &Account) -> PlatformResult<bool> {
        match self.remote {
            None => self.p.create_account(account).await,
            Some(remote) => {
                let wire = json!({
                    "id": account.id, "username": account.username, "email": account.email,
                    "phone": account.phone, "first_name": account.first_name,
                    "last_name": account.last_name, "user_type": account.user_type,
                    "scopes": account.scopes, "approved": account.approved,
                    "email_id": account.email_id, "email_confirmed": account.email_confirmed,
                    "password_hash": account.password_hash,
                    "password_changed_at": account.password_changed_at,
                });
                match self.call(remote, "/create", wire).await?.0 {
                    200 | 201 => Ok(true),
                    409 => Ok(false),
                    status => Err(PlatformError(format!(
                        "user directory /create answered {status}"
                    ))),
                }
            }
        }
    }

    /// On the remote directory only the password changes: it receives the new argon2id hash.
    async fn update_account(&self, account: &Account) -> PlatformResult<()> {
        match self.remote {
            None => self.p.update_account(account).await,
            Some(remote) => {
                let body = json!({
                    "id": account.id,
                    "password_hash": account.password_hash,
                    "password_changed_at": account.password_changed_at,
                });
                match self.call(remote, "/set-password", body).await?.0 {
                    200 | 204 => Ok(()),
                    status => Err(PlatformError(format!(
                        "user directory /set-password answered {status}"
                    ))),
                }
            }
        }
    }
}

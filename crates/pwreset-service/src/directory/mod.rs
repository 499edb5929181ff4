//! Where accounts live: the platform's own directory (KV on the edge), or the application's user
//! service over HTTP (`USER_DIRECTORY_URL`), every call and every answer signed.
//!
//! Protocol v2 (`docs/user-directory.md`): `POST {url}/lookup`, `/create`, `/set-password` and
//! `/revoke-sessions` with JSON bodies. Each request carries `X-Pwreset-Timestamp` (unix seconds),
//! `X-Pwreset-Nonce` (random hex) and `X-Pwreset-Signature: v2=<hex HMAC-SHA256(secret,
//! "v2.request.{timestamp}.{nonce}.POST.{path}.{body}")>`; the receiver refuses a timestamp more
//! than 300 s away and a nonce it has seen in that window. Each answer the service acts on carries
//! `X-Pwreset-Signature: v2=<hex HMAC-SHA256(secret, "v2.answer.{nonce}.{path}.{status}.{body}")>`,
//! bound to the request it answers, and a lookup's accounts must match what was asked. Anything
//! else fails the call ([`PlatformError`], so the flows answer `503`). Plain `http://` is accepted
//! only with `ENVIRONMENT=development`, and only to a loopback host.

use pwreset_core::secrets::{hmac_sha256, random_bytes, verify_hmac_sha256};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use crate::config::directory::{MIN_SECRET_BYTES, RemoteDirectory};
use crate::model::account::{Account, normalize_email, normalize_identifier, normalize_phone};
use crate::model::outbound::{LOOKUP_TIME_LIMIT, OutboundRequest, USER_AGENT};
use crate::ports::{Accounts, Clock, FetchedAnswer, HttpFetch, PlatformError, PlatformResult};

/// How far the receiver lets a timestamp be from its clock.
pub const REPLAY_WINDOW_SECS: u64 = 300;
/// How far ahead of this service's clock an account's `password_changed_at` may be.
pub const MAX_CHANGED_AT_AHEAD_SECS: u64 = 86_400;
/// The protocol version, the prefix of every signature (`v2=<hex>`).
pub const PROTOCOL_VERSION: &str = "v2";
/// The header of the request's timestamp.
pub const TIMESTAMP_HEADER: &str = "X-Pwreset-Timestamp";
/// The header of the request's nonce.
pub const NONCE_HEADER: &str = "X-Pwreset-Nonce";
/// The header of the signature, on requests and on answers.
pub const SIGNATURE_HEADER: &str = "X-Pwreset-Signature";

impl RemoteDirectory {
    /// The signed request for `path` with `body` at `now`.
    pub fn request(&self, path: &str, body: &Value, now: u64, nonce: &str) -> OutboundRequest {
        let body = body.to_string();
        let signature = sign_request(self.secret.expose(), now, nonce, path, &body);
        OutboundRequest {
            method: "POST".to_owned(),
            url: format!("{}{path}", self.url),
            headers: vec![
                ("User-Agent".to_owned(), USER_AGENT.to_owned()),
                ("Content-Type".to_owned(), "application/json".to_owned()),
                (TIMESTAMP_HEADER.to_owned(), now.to_string()),
                (NONCE_HEADER.to_owned(), nonce.to_owned()),
                (
                    SIGNATURE_HEADER.to_owned(),
                    format!("{PROTOCOL_VERSION}={signature}"),
                ),
            ],
            body,
            time_limit: LOOKUP_TIME_LIMIT,
        }
    }

    /// `true` when `answer` carries this service's signature for the request with `nonce` to
    /// `path`, over the answer's own status and body (compared in constant time).
    pub fn answer_is_signed(&self, nonce: &str, path: &str, answer: &FetchedAnswer) -> bool {
        let head = answer_head(nonce, path, answer.status);
        verify(
            self.secret.expose(),
            &head,
            &answer.body,
            answer.header(SIGNATURE_HEADER),
        )
    }
}

/// What a request's signature covers before its body: `v2.request.{timestamp}.{nonce}.POST.{path}.`.
fn request_head(timestamp: &str, nonce: &str, path: &str) -> String {
    format!("{PROTOCOL_VERSION}.request.{timestamp}.{nonce}.POST.{path}.")
}

/// What an answer's signature covers before its body: `v2.answer.{nonce}.{path}.{status}.`.
fn answer_head(nonce: &str, path: &str, status: u16) -> String {
    format!("{PROTOCOL_VERSION}.answer.{nonce}.{path}.{status}.")
}

/// The hex HMAC-SHA256 of `head` then `body` under the shared secret.
fn sign(secret: &str, head: &str, body: &str) -> String {
    let tag = hmac_sha256(secret.as_bytes(), &[head.as_bytes(), body.as_bytes()]);
    base16ct::lower::encode_string(&tag)
}

/// Checks a `v2=<64 hex>` header value against the signature of `head` then `body`, in constant
/// time.
fn verify(secret: &str, head: &str, body: &str, header: Option<&str>) -> bool {
    let Some(digits) = header.and_then(|h| h.trim().strip_prefix("v2=")) else {
        return false;
    };
    let Ok(tag) = base16ct::mixed::decode_vec(digits) else {
        return false;
    };
    verify_hmac_sha256(secret.as_bytes(), &[head.as_bytes(), body.as_bytes()], &tag)
}

/// A request's signature: `hex(HMAC-SHA256(secret, "v2.request.{timestamp}.{nonce}.POST.{path}.{body}"))`.
pub fn sign_request(secret: &str, timestamp: u64, nonce: &str, path: &str, body: &str) -> String {
    sign(
        secret,
        &request_head(&timestamp.to_string(), nonce, path),
        body,
    )
}

/// `true` when `signature` (the header's value, `v2=<hex>`) signs this request (constant time).
/// The receiver also checks the timestamp's window and the nonce's novelty.
pub fn request_is_signed(
    secret: &str,
    timestamp: &str,
    nonce: &str,
    path: &str,
    body: &str,
    signature: Option<&str>,
) -> bool {
    verify(
        secret,
        &request_head(timestamp, nonce, path),
        body,
        signature,
    )
}

/// An answer's signature: `hex(HMAC-SHA256(secret, "v2.answer.{nonce}.{path}.{status}.{body}"))`,
/// where `nonce` and `path` are those of the request it answers.
pub fn sign_answer(secret: &str, nonce: &str, path: &str, status: u16, body: &str) -> String {
    sign(secret, &answer_head(nonce, path, status), body)
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
            username: normalize_identifier(&w.username).unwrap_or(w.username),
            email: normalize_email(&w.email).unwrap_or(w.email),
            email_confirmed: w.email_confirmed,
            phone: w.phone.and_then(|p| normalize_phone(&p)),
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

/// `true` when `account` has the `by` field the lookup asked for: the same id, or the same
/// username, e-mail or phone once both are normalised as the service stores them.
fn answers_question(by: &str, value: &str, account: &WireAccount) -> bool {
    fn same(found: Option<String>, asked: Option<String>) -> bool {
        found.is_some() && found == asked
    }
    match by {
        "id" => account.id == value,
        "username" => same(
            normalize_identifier(&account.username),
            normalize_identifier(value),
        ),
        "email" => same(normalize_email(&account.email), normalize_email(value)),
        "phone" => same(
            account.phone.as_deref().and_then(normalize_phone),
            normalize_phone(value),
        ),
        _ => false,
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
        let nonce = base16ct::lower::encode_string(&nonce);
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
        // Every answer acted on must be the receiver's answer to this very request.
        if !remote.answer_is_signed(&nonce, path, &answer) {
            return Err(PlatformError(format!(
                "user directory {path}: answer {} without a valid {PROTOCOL_VERSION} signature for this request (a receiver of protocol v1, another secret, or an altered answer)",
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
            .map_err(|e| PlatformError::unreadable("user directory /lookup answer", &e))?;
        if by != "email" && accounts.len() > 1 {
            return Err(PlatformError(format!(
                "user directory /lookup by {by} answered {} accounts; at most one can match",
                accounts.len()
            )));
        }
        if !accounts.iter().all(|a| answers_question(by, value, a)) {
            return Err(PlatformError(format!(
                "user directory /lookup by {by} answered an account with another {by}"
            )));
        }
        // Unix seconds: a time more than a day ahead is another unit (milliseconds), which would
        // settle every pending change as if the store had taken it.
        let latest = self.p.now().as_secs() + MAX_CHANGED_AT_AHEAD_SECS;
        if accounts.iter().any(|a| a.password_changed_at > latest) {
            return Err(PlatformError(
                "user directory /lookup answered a password_changed_at more than a day ahead: it must be unix seconds".to_owned(),
            ));
        }
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

    async fn sole_account_by_email(&self, email: &str) -> PlatformResult<(usize, Option<Account>)> {
        match self.remote {
            // The platform's own reads, whose count it keeps the same for any number of accounts.
            None => self.p.sole_account_by_email(email).await,
            // One call, whatever it answers.
            Some(remote) => {
                let mut accounts = self.lookup(remote, "email", email).await?;
                let count = accounts.len();
                Ok((count, if count == 1 { accounts.pop() } else { None }))
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "directory-secret-0123456789abcdef0123456789";
    const NONCE: &str = "00112233445566778899aabbccddeeff";

    fn from(vars: &[(&str, &str)]) -> Result<Option<RemoteDirectory>, Vec<String>> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .chain([("USER_DIRECTORY_SECRET".to_owned(), SECRET.to_owned())])
            .collect();
        RemoteDirectory::from_vars(&|name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    fn accepted(url: &str, environment: Option<&str>) -> bool {
        let mut vars = vec![("USER_DIRECTORY_URL", url)];
        vars.extend(environment.map(|e| ("ENVIRONMENT", e)));
        from(&vars).is_ok_and(|d| d.is_some())
    }

    #[test]
    fn https_is_required_outside_development() {
        assert!(accepted("https://users.example.com", None));
        assert!(accepted(
            "https://users.example.com/pwreset/",
            Some("production")
        ));
        assert!(accepted("https://127.0.0.1:8790", Some("development")));
        for environment in [
            None,
            Some("production"),
            Some("test"),
            Some("Development"),
            Some("dev"),
        ] {
            assert!(
                !accepted("http://127.0.0.1:8790", environment),
                "http:// with ENVIRONMENT={environment:?}"
            );
            assert!(!accepted("http://users.example.com", environment));
        }
        let problems = from(&[("USER_DIRECTORY_URL", "http://users.example.com")]).unwrap_err();
        assert!(problems[0].contains("https://"), "{problems:?}");
    }

    #[test]
    fn development_allows_http_to_a_loopback_host_only() {
        for url in [
            "http://127.0.0.1:8790",
            "http://127.8.9.10",
            "http://localhost:8790/",
            "http://[::1]:8790",
        ] {
            assert!(accepted(url, Some("development")), "{url}");
        }
        for url in [
            "http://users.example.com",
            "http://10.0.0.7:8790",
            "http://0.0.0.0:8790",
            "http://localhost.example.com",
            "http://[::2]",
        ] {
            assert!(!accepted(url, Some("development")), "{url}");
        }
    }

    #[test]
    fn malformed_urls_are_refused() {
        for url in [
            "users.example.com",
            "ftp://users.example.com",
            "https://",
            "https://user:pass@users.example.com",
            "https://users.example.com/?key=1",
            "https://users.example.com/#x",
        ] {
            assert!(!accepted(url, Some("development")), "{url}");
        }
        assert!(
            matches!(from(&[]), Ok(None)),
            "no URL: the platform's own directory"
        );
    }

    /// The same vectors as the reference receiver's test, so both sides compute the same strings.
    #[test]
    fn signatures_match_the_reference_receiver() {
        let body = r#"{"by":"username","value":"jane"}"#;
        let request = "60068cad6023f00d72c166c700dfc48a59ecb3dc867b22094e4ef20636034a05";
        assert_eq!(
            sign_request(SECRET, 1_767_229_200, NONCE, "/lookup", body),
            request
        );
        assert!(request_is_signed(
            SECRET,
            "1767229200",
            NONCE,
            "/lookup",
            body,
            Some(&format!("v2={request}"))
        ));
        assert_eq!(
            sign_answer(SECRET, NONCE, "/lookup", 200, r#"{"accounts":[]}"#),
            "ba6c282ae03ec92f449fc7676b849f03b2c39dfdda9ef0325bd9d8bbc5b38cca"
        );
    }

    fn signed(status: u16, body: &str, signature: String) -> FetchedAnswer {
        FetchedAnswer {
            status,
            headers: vec![("x-pwreset-signature".to_owned(), signature)],
            body: body.to_owned(),
        }
    }

    #[test]
    fn an_answer_is_bound_to_its_request_status_and_body() {
        let remote = RemoteDirectory::new("https://users.example.com", SECRET);
        let body = r#"{"accounts":[]}"#;
        let good = format!("v2={}", sign_answer(SECRET, NONCE, "/lookup", 200, body));
        assert!(remote.answer_is_signed(NONCE, "/lookup", &signed(200, body, good.clone())));
        // Another request (nonce), another call (path), another status or body: refused.
        let other_nonce = "ffeeddccbbaa99887766554433221100";
        assert!(!remote.answer_is_signed(other_nonce, "/lookup", &signed(200, body, good.clone())));
        assert!(!remote.answer_is_signed(NONCE, "/create", &signed(200, body, good.clone())));
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &signed(201, body, good.clone())));
        let rewritten = r#"{"accounts":[{"id":"x"}]}"#;
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &signed(200, rewritten, good.clone())));
        // Another secret, no signature, a v1 label, a truncated or garbled tag: refused.
        let other = format!(
            "v2={}",
            sign_answer(&SECRET.repeat(2), NONCE, "/lookup", 200, body)
        );
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &signed(200, body, other)));
        let unsigned = FetchedAnswer {
            status: 200,
            headers: Vec::new(),
            body: body.to_owned(),
        };
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &unsigned));
        let v1 = good.replacen("v2=", "v1=", 1);
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &signed(200, body, v1)));
        let short = good[..good.len() - 2].to_owned();
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &signed(200, body, short)));
        let garbled = format!("{}zz", &good[..good.len() - 2]);
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &signed(200, body, garbled)));
    }

    #[test]
    fn a_request_signature_is_no_answer_signature() {
        // The receiver's request signature over the same nonce, path and text can't pass for an
        // answer (and the other way round): the signed strings are labelled.
        let remote = RemoteDirectory::new("https://users.example.com", SECRET);
        let body = "{}";
        let request = format!(
            "v2={}",
            sign_request(SECRET, 1_767_229_200, NONCE, "/lookup", body)
        );
        assert!(!remote.answer_is_signed(NONCE, "/lookup", &signed(200, body, request)));
        let answer = format!("v2={}", sign_answer(SECRET, NONCE, "/lookup", 200, body));
        assert!(!request_is_signed(
            SECRET,
            "200",
            NONCE,
            "/lookup",
            body,
            Some(&answer)
        ));
    }

    fn wire(id: &str, username: &str, email: &str, phone: Option<&str>) -> WireAccount {
        serde_json::from_value(json!({
            "id": id, "username": username, "email": email, "phone": phone,
            "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        }))
        .unwrap()
    }

    #[test]
    fn a_lookup_answer_must_match_the_question() {
        let jane = wire("id-1", "Jane", " Jane@Example.com", Some("+44 7700 900456"));
        assert!(answers_question("id", "id-1", &jane));
        assert!(answers_question("username", "jane", &jane));
        assert!(answers_question("email", "jane@example.com", &jane));
        assert!(answers_question("phone", "+447700900456", &jane));
        assert!(!answers_question("id", "id-2", &jane));
        assert!(!answers_question("id", "ID-1", &jane));
        assert!(!answers_question("username", "john", &jane));
        assert!(!answers_question("email", "mallory@example.com", &jane));
        assert!(!answers_question("phone", "+447700900789", &jane));
        assert!(!answers_question("nickname", "jane", &jane));
        let no_phone = wire("id-3", "john", "john@example.com", None);
        assert!(!answers_question("phone", "+447700900789", &no_phone));
        let bad_email = wire("id-4", "", "not-an-address", None);
        assert!(!answers_question("email", "not-an-address", &bad_email));
        assert!(!answers_question("username", "", &bad_email));
    }
}

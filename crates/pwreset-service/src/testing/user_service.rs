//! The application's user service in memory: the other side of the user-directory protocol, as
//! the reference receiver (`examples/user-directory/server.mjs`) implements it. It verifies every
//! request's signature, timestamp and nonce, and signs every answer to a verified request, so that
//! [`crate::testing::memory::MemoryPlatform`] runs the flows against a remote directory natively. A test
//! can stand on the path between the two ([`MemoryUserService::intercept`]) and rewrite answers.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::delivery::{OutboundRequest, TransportError};
use crate::directory::{
    NONCE_HEADER, PROTOCOL_VERSION, REPLAY_WINDOW_SECS, SIGNATURE_HEADER, TIMESTAMP_HEADER,
    request_is_signed, sign_answer,
};
use crate::ports::FetchedAnswer;

/// What an on-path attacker (a test) does to the answers: it sees the request and the honest
/// answer, and returns what the caller receives instead.
type Rewrite = Box<dyn Fn(&OutboundRequest, FetchedAnswer) -> FetchedAnswer>;

/// A user service with its accounts in memory (as the JSON the protocol carries).
#[derive(Default)]
pub struct MemoryUserService {
    accounts: RefCell<BTreeMap<String, Value>>,
    seen_nonces: RefCell<BTreeMap<String, u64>>,
    calls: RefCell<Vec<(String, Value)>>,
    refused: RefCell<Vec<(String, String)>>,
    on_path: RefCell<Option<Rewrite>>,
    down: Cell<bool>,
}

impl std::fmt::Debug for MemoryUserService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryUserService")
            .field("accounts", &self.accounts.borrow().len())
            .finish_non_exhaustive()
    }
}

impl MemoryUserService {
    /// Where the in-memory platform routes it: `USER_DIRECTORY_URL` of a service that uses it.
    pub const URL: &'static str = "https://directory.test";
    /// Its shared secret: `USER_DIRECTORY_SECRET` of a service that uses it.
    pub const SECRET: &'static str = "memory-directory-secret-0123456789abcdef";

    /// The stored account with this id.
    pub fn account(&self, id: &str) -> Option<Value> {
        self.accounts.borrow().get(id).cloned()
    }

    /// Stores an account directly, as the application itself would, replacing the one with the
    /// same id (an account stored under a new id is another account).
    pub fn put_account(&self, account: Value) {
        let id = account["id"].as_str().unwrap_or_default().to_owned();
        self.accounts.borrow_mut().insert(id, account);
    }

    /// Removes the account with this id; the account, if there was one.
    pub fn remove_account(&self, id: &str) -> Option<Value> {
        self.accounts.borrow_mut().remove(id)
    }

    /// Every verified call so far: its path and body.
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.calls.borrow().clone()
    }

    /// Every refused call so far: its path and why.
    pub fn refused(&self) -> Vec<(String, String)> {
        self.refused.borrow().clone()
    }

    /// Puts `rewrite` on the path: from now on the caller receives what it makes of each honest
    /// answer.
    pub fn intercept(
        &self,
        rewrite: impl Fn(&OutboundRequest, FetchedAnswer) -> FetchedAnswer + 'static,
    ) {
        *self.on_path.borrow_mut() = Some(Box::new(rewrite));
    }

    /// Takes the rewrite off the path.
    pub fn stop_intercepting(&self) {
        *self.on_path.borrow_mut() = None;
    }

    /// Makes the service answer `503` to everything (or answer again).
    pub fn set_down(&self, down: bool) {
        self.down.set(down);
    }

    /// What the caller receives for `request` at `now`: the honest [`Self::answer`], passed
    /// through the rewrite on the path if a test set one.
    pub fn fetch(
        &self,
        request: &OutboundRequest,
        now: u64,
    ) -> Result<FetchedAnswer, TransportError> {
        let answer = self.answer(request, now);
        Ok(match self.on_path.borrow().as_ref() {
            Some(rewrite) => rewrite(request, answer),
            None => answer,
        })
    }

    /// The service's own answer to `request` at `now` (unix seconds): `401` unsigned unless the
    /// request's signature, timestamp and nonce check out; otherwise the handler's answer, signed
    /// for this request.
    pub fn answer(&self, request: &OutboundRequest, now: u64) -> FetchedAnswer {
        let path = request
            .url
            .strip_prefix(Self::URL)
            .unwrap_or(&request.url)
            .to_owned();
        if self.down.get() {
            return unsigned(503, &json!({ "error": "down" }));
        }
        let known = ["/lookup", "/create", "/set-password", "/revoke-sessions"];
        if request.method != "POST" || !known.contains(&path.as_str()) {
            return unsigned(404, &json!({ "error": "not found" }));
        }
        let nonce = match self.verify(request, &path, now) {
            Ok(nonce) => nonce,
            Err(reason) => {
                self.refused.borrow_mut().push((path, reason.to_owned()));
                return unsigned(401, &json!({ "error": reason }));
            }
        };
        let (status, value) = match serde_json::from_str::<Value>(&request.body) {
            Ok(body) => {
                self.calls.borrow_mut().push((path.clone(), body.clone()));
                self.handle(&path, &body)
            }
            Err(_) => (400, json!({ "error": "not JSON" })),
        };
        let body = value.to_string();
        let signature = sign_answer(Self::SECRET, &nonce, &path, status, &body);
        FetchedAnswer {
            status,
            headers: vec![
                ("Content-Type".to_owned(), "application/json".to_owned()),
                (
                    SIGNATURE_HEADER.to_owned(),
                    format!("{PROTOCOL_VERSION}={signature}"),
                ),
            ],
            body,
        }
    }

    /// Checks the request's signature headers; its nonce when they hold.
    fn verify(
        &self,
        request: &OutboundRequest,
        path: &str,
        now: u64,
    ) -> Result<String, &'static str> {
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let (Some(timestamp), Some(nonce), Some(signature)) = (
            header(TIMESTAMP_HEADER),
            header(NONCE_HEADER),
            header(SIGNATURE_HEADER),
        ) else {
            return Err("missing signature headers");
        };
        let well_formed_nonce = (16..=64).contains(&nonce.len())
            && nonce
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        let Ok(sent_at) = timestamp.parse::<u64>() else {
            return Err("malformed signature headers");
        };
        if !well_formed_nonce {
            return Err("malformed signature headers");
        }
        if now.abs_diff(sent_at) > REPLAY_WINDOW_SECS {
            return Err("timestamp outside the replay window");
        }
        if !request_is_signed(
            Self::SECRET,
            timestamp,
            nonce,
            path,
            &request.body,
            Some(signature),
        ) {
            return Err("bad signature");
        }
        let mut seen = self.seen_nonces.borrow_mut();
        seen.retain(|_, expiry| *expiry >= now);
        if seen.contains_key(nonce) {
            return Err("replayed nonce");
        }
        seen.insert(nonce.to_owned(), sent_at + REPLAY_WINDOW_SECS);
        Ok(nonce.to_owned())
    }

    /// The four calls, on the accounts in memory.
    fn handle(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut accounts = self.accounts.borrow_mut();
        match path {
            "/lookup" => {
                let (Some(by), Some(value)) = (body["by"].as_str(), body["value"].as_str()) else {
                    return (400, json!({ "error": "by and value are required" }));
                };
                if !["id", "username", "email", "phone"].contains(&by) {
                    return (
                        400,
                        json!({ "error": "by must be id, username, email or phone" }),
                    );
                }
                let found: Vec<&Value> = accounts
                    .values()
                    .filter(|a| a[by].as_str() == Some(value))
                    .collect();
                (200, json!({ "accounts": found }))
            }
            "/create" => {
                let taken = accounts.values().any(|a| {
                    a["username"] == body["username"]
                        || (!body["phone"].is_null() && a["phone"] == body["phone"])
                });
                if taken {
                    return (409, json!({ "error": "taken" }));
                }
                let id = body["id"].as_str().unwrap_or_default().to_owned();
                accounts.insert(id.clone(), body.clone());
                (201, json!({ "id": id }))
            }
            "/set-password" => {
                let id = body["id"].as_str().unwrap_or_default();
                let Some(account) = accounts.get_mut(id) else {
                    return (404, json!({ "error": "no such account" }));
                };
                // What the service writes: argon2id, as a PHC string or in Django's form.
                let Some(hash) = body["password_hash"]
                    .as_str()
                    .filter(|h| h.starts_with("$argon2id$") || h.starts_with("argon2$argon2id$"))
                else {
                    return (400, json!({ "error": "expected an argon2id hash" }));
                };
                account["password_hash"] = json!(hash);
                account["password_changed_at"] = body["password_changed_at"].clone();
                (200, json!({}))
            }
            "/revoke-sessions" => {
                let id = body["id"].as_str().unwrap_or_default();
                let Some(account) = accounts.get_mut(id) else {
                    return (404, json!({ "error": "no such account" }));
                };
                let revoked = account["sessions_revoked"].as_u64().unwrap_or(0);
                account["sessions_revoked"] = json!(revoked + 1);
                (200, json!({}))
            }
            _ => (404, json!({ "error": "not found" })),
        }
    }
}

/// An answer without a signature: the service signs only answers to requests it verified.
fn unsigned(status: u16, value: &Value) -> FetchedAnswer {
    FetchedAnswer {
        status,
        headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
        body: value.to_string(),
    }
}

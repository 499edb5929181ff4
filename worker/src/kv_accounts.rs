//! The default account directory, the link records and the response cache, on Workers KV.
//!
//! Keys: `account:<id>` → the account (JSON); `username:<name>` → id; `email:<address>` → JSON
//! list of ids; `phone:<e164>` → id; `link:<digest>` → link record, expiring with the link;
//! `pwned:<prefix>` → a cached range answer of the breached-password API (1 day).

use pwreset_service::model::account::Account;
use pwreset_service::model::audit;
use pwreset_service::ports::{Accounts, LinkRecord, LinkRecords, PlatformResult, ResponseCache};

use crate::edge::{EdgePlatform, failed};

/// The prefix of account keys no account has (ids never contain `~`), read in place of an
/// account's record.
const ABSENT_ACCOUNT_PREFIX: &str = "account:~absent:";

/// KV refuses expirations shorter than a minute.
const MIN_KV_TTL: u64 = 60;

impl EdgePlatform {
    async fn get_text(&self, key: &str) -> PlatformResult<Option<String>> {
        self.kv()?.get(key).text().await.map_err(failed("KV read"))
    }

    async fn put_text(&self, key: &str, value: String, ttl: Option<u64>) -> PlatformResult<()> {
        let put = self.kv()?.put(key, value).map_err(failed("KV write"))?;
        let put = match ttl {
            Some(ttl) => put.expiration_ttl(ttl.max(MIN_KV_TTL)),
            None => put,
        };
        put.execute().await.map_err(failed("KV write"))
    }

    async fn account_at(&self, index_key: &str) -> PlatformResult<Option<Account>> {
        match self.get_text(index_key).await? {
            Some(id) => self.account(&id).await,
            None => self.no_account(index_key).await,
        }
    }

    /// `Ok(None)` after the read a found index entry would have cost, so that an unknown
    /// identifier takes as many KV reads as a known one and the answer's time does not tell them
    /// apart. The key that never exists is one per identifier, so that it is cached (or not) at
    /// the edge as a real account's record would be after the same reads.
    async fn no_account(&self, index_key: &str) -> PlatformResult<Option<Account>> {
        let absent = format!("{ABSENT_ACCOUNT_PREFIX}{}", audit::tag(index_key));
        self.get_text(&absent).await?;
        Ok(None)
    }

    async fn email_ids(&self, email: &str) -> PlatformResult<Vec<String>> {
        Ok(self
            .get_text(&format!("email:{email}"))
            .await?
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default())
    }
}

impl Accounts for EdgePlatform {
    async fn account(&self, id: &str) -> PlatformResult<Option<Account>> {
        Ok(self
            .get_text(&format!("account:{id}"))
            .await?
            .and_then(|text| serde_json::from_str(&text).ok()))
    }

    async fn account_by_username(&self, username: &str) -> PlatformResult<Option<Account>> {
        self.account_at(&format!("username:{username}")).await
    }

    async fn accounts_by_email(&self, email: &str) -> PlatformResult<Vec<Account>> {
        let ids = self.email_ids(email).await?;
        if ids.is_empty() {
            self.no_account(&format!("email:{email}")).await?;
            return Ok(Vec::new());
        }
        let mut accounts = Vec::new();
        for id in ids {
            if let Some(account) = self.account(&id).await? {
                accounts.push(account);
            }
        }
        Ok(accounts)
    }

    /// Two reads whatever the address: its index entry, then the one account's record when exactly
    /// one account has it, or else the stand-in record an unknown identifier reads.
    async fn sole_account_by_email(&self, email: &str) -> PlatformResult<(usize, Option<Account>)> {
        let ids = self.email_ids(email).await?;
        match ids.as_slice() {
            [id] => Ok((1, self.account(id).await?)),
            _ => {
                self.no_account(&format!("email:{email}")).await?;
                Ok((ids.len(), None))
            }
        }
    }

    async fn account_by_phone(&self, phone: &str) -> PlatformResult<Option<Account>> {
        self.account_at(&format!("phone:{phone}")).await
    }

    async fn create_account(&self, account: &Account) -> PlatformResult<bool> {
        let username_key = format!("username:{}", account.username);
        if self.get_text(&username_key).await?.is_some() {
            return Ok(false);
        }
        if let Some(phone) = &account.phone
            && self.get_text(&format!("phone:{phone}")).await?.is_some()
        {
            return Ok(false);
        }
        self.update_account(account).await?;
        self.put_text(&username_key, account.id.clone(), None)
            .await?;
        if let Some(phone) = &account.phone {
            self.put_text(&format!("phone:{phone}"), account.id.clone(), None)
                .await?;
        }
        let mut ids = self.email_ids(&account.email).await?;
        ids.push(account.id.clone());
        let ids = serde_json::to_string(&ids).unwrap_or_default();
        self.put_text(&format!("email:{}", account.email), ids, None)
            .await?;
        Ok(true)
    }

    async fn update_account(&self, account: &Account) -> PlatformResult<()> {
        let text = serde_json::to_string(account).map_err(failed("account encoding"))?;
        self.put_text(&format!("account:{}", account.id), text, None)
            .await
    }
}

impl LinkRecords for EdgePlatform {
    async fn put_link(
        &self,
        key: &str,
        record: &LinkRecord,
        ttl_seconds: u64,
    ) -> PlatformResult<()> {
        let text = serde_json::to_string(record).map_err(failed("link encoding"))?;
        self.put_text(key, text, Some(ttl_seconds)).await
    }

    async fn link(&self, key: &str) -> PlatformResult<Option<LinkRecord>> {
        Ok(self
            .get_text(key)
            .await?
            .and_then(|text| serde_json::from_str(&text).ok()))
    }

    async fn delete_link(&self, key: &str) -> PlatformResult<()> {
        self.kv()?.delete(key).await.map_err(failed("KV delete"))
    }
}

impl ResponseCache for EdgePlatform {
    async fn cache_get(&self, key: &str) -> PlatformResult<Option<String>> {
        self.get_text(key).await
    }

    async fn cache_put(&self, key: &str, value: &str, ttl_seconds: u64) -> PlatformResult<()> {
        self.put_text(key, value.to_owned(), Some(ttl_seconds))
            .await
    }
}

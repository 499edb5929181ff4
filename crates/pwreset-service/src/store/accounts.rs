//! Accounts and their indexes: `account:<id>`, `username:`, `email:` (a list: an address may be
//! shared) and `phone:`. Every lookup by an identifier costs two reads, found or not, and whatever
//! number of accounts share an address.

use super::{KeyValue, put};
use crate::model::account::Account;
use crate::model::audit;
use crate::ports::{Accounts, PlatformError, PlatformResult};

/// The prefix of account keys no account has (ids never contain `~`), read in place of an
/// account's record.
const ABSENT_ACCOUNT_PREFIX: &str = "account:~absent:";

async fn account_at(kv: &impl KeyValue, index_key: &str) -> PlatformResult<Option<Account>> {
    match kv.kv_get(index_key).await? {
        Some(id) => kv.account(&id).await,
        None => no_account(kv, index_key).await,
    }
}

/// `Ok(None)` after the read a found index entry would have cost, so that an unknown identifier
/// takes as many reads as a known one. The key that never exists is one per identifier, so that
/// it is cached (or not) at the edge as a real account's record would be after the same reads.
async fn no_account(kv: &impl KeyValue, index_key: &str) -> PlatformResult<Option<Account>> {
    let absent = format!("{ABSENT_ACCOUNT_PREFIX}{}", audit::tag(index_key));
    kv.kv_get(&absent).await?;
    Ok(None)
}

async fn email_ids(kv: &impl KeyValue, email: &str) -> PlatformResult<Vec<String>> {
    Ok(kv
        .kv_get(&format!("email:{email}"))
        .await?
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default())
}

impl<T: KeyValue> Accounts for T {
    async fn account(&self, id: &str) -> PlatformResult<Option<Account>> {
        Ok(self
            .kv_get(&format!("account:{id}"))
            .await?
            .and_then(|text| serde_json::from_str(&text).ok()))
    }

    async fn account_by_username(&self, username: &str) -> PlatformResult<Option<Account>> {
        account_at(self, &format!("username:{username}")).await
    }

    async fn accounts_by_email(&self, email: &str) -> PlatformResult<Vec<Account>> {
        let ids = email_ids(self, email).await?;
        if ids.is_empty() {
            no_account(self, &format!("email:{email}")).await?;
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

    /// Two reads whatever the address: its index entry, then the one account's record when
    /// exactly one account has it, or else the stand-in record an unknown identifier reads.
    async fn sole_account_by_email(&self, email: &str) -> PlatformResult<(usize, Option<Account>)> {
        let ids = email_ids(self, email).await?;
        match ids.as_slice() {
            [id] => Ok((1, self.account(id).await?)),
            _ => {
                no_account(self, &format!("email:{email}")).await?;
                Ok((ids.len(), None))
            }
        }
    }

    async fn account_by_phone(&self, phone: &str) -> PlatformResult<Option<Account>> {
        account_at(self, &format!("phone:{phone}")).await
    }

    async fn create_account(&self, account: &Account) -> PlatformResult<bool> {
        let username_key = format!("username:{}", account.username);
        if self.kv_get(&username_key).await?.is_some() {
            return Ok(false);
        }
        if let Some(phone) = &account.phone
            && self.kv_get(&format!("phone:{phone}")).await?.is_some()
        {
            return Ok(false);
        }
        self.update_account(account).await?;
        put(self, &username_key, &account.id, None).await?;
        if let Some(phone) = &account.phone {
            put(self, &format!("phone:{phone}"), &account.id, None).await?;
        }
        let mut ids = email_ids(self, &account.email).await?;
        ids.push(account.id.clone());
        let ids = serde_json::to_string(&ids)
            .map_err(|e| PlatformError(format!("email index encoding: {e}")))?;
        put(self, &format!("email:{}", account.email), &ids, None).await?;
        Ok(true)
    }

    async fn update_account(&self, account: &Account) -> PlatformResult<()> {
        let text = serde_json::to_string(account)
            .map_err(|e| PlatformError(format!("account encoding: {e}")))?;
        put(self, &format!("account:{}", account.id), &text, None).await
    }
}

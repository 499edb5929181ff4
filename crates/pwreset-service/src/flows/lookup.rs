//! Finding the account a request names.

use crate::account::Account;
use crate::platform::{Accounts, PlatformResult};

/// Dialect A names an account by its username, which is often its e-mail address: the username
/// first, then the e-mail address when exactly one account has it.
pub async fn by_username_or_email(
    p: &impl Accounts,
    identifier: &str,
) -> PlatformResult<Option<Account>> {
    if let Some(account) = p.account_by_username(identifier).await? {
        return Ok(Some(account));
    }
    if !identifier.contains('@') {
        return Ok(None);
    }
    let mut accounts = p.accounts_by_email(identifier).await?;
    Ok(if accounts.len() == 1 {
        accounts.pop()
    } else {
        None
    })
}

//! Finding the account a request names.

use crate::model::account::Account;
use crate::ports::{Accounts, PlatformResult};

/// Dialect A names an account by its username, which is often its e-mail address: the username
/// first, then the e-mail address when exactly one account has it.
pub async fn by_username_or_email(
    p: &impl Accounts,
    identifier: &str,
) -> PlatformResult<Option<Account>> {
    if let Some(account) = p.account_by_username(identifier).await? {
        same_reads_as_a_miss(p, identifier).await?;
        return Ok(Some(account));
    }
    if !identifier.contains('@') {
        return Ok(None);
    }
    Ok(p.sole_account_by_email(identifier).await?.1)
}

/// How many accounts dialect C's identifier names (by username, else by e-mail address), at the
/// same storage cost however many share an address: for the reveal switch's answers.
pub async fn count_by_username_else_email(
    p: &impl Accounts,
    identifier: &str,
) -> PlatformResult<usize> {
    if p.account_by_username(identifier).await?.is_some() {
        same_reads_as_a_miss(p, identifier).await?;
        return Ok(1);
    }
    if !identifier.contains('@') {
        return Ok(0);
    }
    Ok(p.sole_account_by_email(identifier).await?.0)
}

/// Dialect C names accounts by username or e-mail: the account with that username, else every
/// account with that e-mail address.
pub async fn by_username_else_email(
    p: &impl Accounts,
    identifier: &str,
) -> PlatformResult<Vec<Account>> {
    if let Some(account) = p.account_by_username(identifier).await? {
        same_reads_as_a_miss(p, identifier).await?;
        return Ok(vec![account]);
    }
    if !identifier.contains('@') {
        return Ok(Vec::new());
    }
    p.accounts_by_email(identifier).await
}

/// After a username hit, the e-mail lookup a miss would have made (for an identifier that could be
/// an address), its answer unused: an existing username that looks like an address then costs the
/// storage reads an unknown one does, so the time of an answer does not tell them apart.
async fn same_reads_as_a_miss(p: &impl Accounts, identifier: &str) -> PlatformResult<()> {
    if identifier.contains('@') {
        p.sole_account_by_email(identifier).await?;
    }
    Ok(())
}

//! The registry of codes redeemable without their account (dialect B's mobile reset without
//! `phone`): each live code is claimed here so that it is unique among live codes, and lookups are
//! held to a daily guess budget.
//!
//! Budget: with N live codes of d digits, one guess wins with probability N/10^d. Each failed
//! lookup adds that to the UTC day's risk, and a lookup is refused (`429` until the next day) when
//! it could push the day's total past 1 in 10,000: the chance of any successful guess in a day
//! stays at or under 10^-4 (`docs/secrets.md` has the arithmetic).

use std::collections::BTreeMap;

use pwreset_core::UnixTime;
use pwreset_core::secrets::ResetCode;
use serde::{Deserialize, Serialize};

use super::{read, write};
use crate::model::error::PlatformResult;
use crate::model::guard_ops::{GlobalAnswer, GlobalOp};
use crate::model::secret::Digest;
use crate::ports::ObjectStorage;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Claim {
    account_id: String,
    expires_at: u64,
}

/// Bookkeeping beside the claims: the stored digests by expiry minute (to count live codes and to
/// delete lapsed claims), and the day's spent risk.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Meta {
    /// Expiry minute → stored digests expiring in it.
    #[serde(default)]
    expiring: BTreeMap<u64, Vec<Digest>>,
    day: u64,
    risk: f64,
}

impl Meta {
    /// Starts a new day's budget, and returns the digests whose claims have lapsed.
    fn prune(&mut self, now: u64) -> Vec<Digest> {
        if self.day != now / 86_400 {
            self.day = now / 86_400;
            self.risk = 0.0;
        }
        let live = self.expiring.split_off(&(now / 60 + 1));
        std::mem::replace(&mut self.expiring, live)
            .into_values()
            .flatten()
            .collect()
    }

    /// Live claims, counting a claim as live until the end of its expiry minute (an overcount
    /// makes the guess budget stricter, never looser).
    fn live(&self) -> u64 {
        self.expiring.values().map(|d| d.len() as u64).sum()
    }

    fn add(&mut self, expires_at: u64, digest: Digest) {
        self.expiring
            .entry(expires_at.div_ceil(60))
            .or_default()
            .push(digest);
    }

    fn remove(&mut self, digest: &Digest) {
        for digests in self.expiring.values_mut() {
            digests.retain(|d| d != digest);
        }
        self.expiring.retain(|_, d| !d.is_empty());
    }
}

const META_KEY: &str = "meta";

fn claim_key(digest: &Digest) -> String {
    format!("claim:{}", digest.as_str())
}

async fn live_claim(
    storage: &impl ObjectStorage,
    digest: &Digest,
    now: u64,
) -> PlatformResult<Option<Claim>> {
    let claim: Option<Claim> = read(storage, &claim_key(digest)).await?;
    Ok(claim.filter(|c| c.expires_at > now))
}

/// Applies `op` to the registry in `storage` at `now`.
pub async fn apply_global_op(
    storage: &impl ObjectStorage,
    op: GlobalOp,
    now: UnixTime,
) -> PlatformResult<GlobalAnswer> {
    let now = now.as_secs();
    let mut meta: Meta = read(storage, META_KEY).await?.unwrap_or_default();
    for lapsed in meta.prune(now) {
        storage.delete(&claim_key(&lapsed)).await?;
    }
    let answer = match op {
        GlobalOp::Claim {
            stored,
            digests,
            account_id,
            expires_at,
        } => {
            let mut taken = false;
            for digest in digests.iter().chain(std::iter::once(&stored)) {
                taken |= live_claim(storage, digest, now).await?.is_some();
            }
            if taken {
                GlobalAnswer::Taken
            } else {
                write(
                    storage,
                    &claim_key(&stored),
                    &Claim {
                        account_id,
                        expires_at,
                    },
                )
                .await?;
                meta.add(expires_at, stored);
                GlobalAnswer::Claimed
            }
        }
        GlobalOp::Redeem { digests, digits } => {
            let chance = ResetCode::guess_success_probability(meta.live(), digits);
            // Refused when a failed guess could take the day past the budget (a relative margin
            // absorbs float rounding, so N=1 at 6 digits allows exactly 100 failed guesses).
            if meta.risk + chance > ResetCode::DAILY_GLOBAL_RISK_BUDGET * (1.0 + 1e-9) {
                return Ok(GlobalAnswer::Exhausted {
                    retry_after: 86_400 - now % 86_400,
                });
            }
            let mut found = None;
            for digest in digests {
                if let Some(claim) = live_claim(storage, &digest, now).await? {
                    found.get_or_insert(GlobalAnswer::Found {
                        account_id: claim.account_id,
                        digest,
                    });
                }
            }
            found.unwrap_or_else(|| {
                meta.risk += chance;
                GlobalAnswer::NotFound
            })
        }
        GlobalOp::Release { digests } => {
            for digest in digests {
                storage.delete(&claim_key(&digest)).await?;
                meta.remove(&digest);
            }
            GlobalAnswer::Released
        }
    };
    write(storage, META_KEY, &meta).await?;
    Ok(answer)
}

//! The delivery records: the dev outbox (`outbox:<to>:<inverted millis>:<id>`, listed newest first
//! by prefix, 1 day; `outbox-key:<id>` remembers a message's key, so that a retried write lands on
//! it again), sent markers (`sent:<id>`, 7 days: a redelivered queue message is not sent
//! twice) and dead letters (`dead:<inverted millis>:<id>`, 30 days, for the operator).

use serde::de::DeserializeOwned;

use super::{KeyValue, put};
use crate::model::message::{DeadLetter, OutgoingMessage};
use crate::ports::{Clock, DeliveryStore, PlatformError, PlatformResult};

const OUTBOX_TTL: u64 = 24 * 60 * 60;
const SENT_TTL: u64 = 7 * 24 * 60 * 60;
const DEAD_TTL: u64 = 30 * 24 * 60 * 60;
/// The most messages the outbox lists for one address.
const OUTBOX_LIST_LIMIT: usize = 50;
/// The most dead letters listed.
const DEAD_LIST_LIMIT: usize = 200;

/// How the dev outbox's keys start.
pub(crate) const OUTBOX_PREFIX: &str = "outbox:";
/// How the keys that remember each outbox message's key start (the message id follows).
const OUTBOX_KEY_PREFIX: &str = "outbox-key:";
/// How the sent markers' keys start (the message id follows).
pub(crate) const SENT_PREFIX: &str = "sent:";
/// How the dead letters' keys start.
const DEAD_PREFIX: &str = "dead:";

/// Milliseconds counted down from a far date, zero-padded: ascending keys list newest first.
fn inverted(now_millis: u64) -> String {
    format!("{:013}", 9_999_999_999_999u64.saturating_sub(now_millis))
}

/// The inverted time of an outbox key (`outbox:<to>:<inverted millis>:<id>`): the larger, the
/// older the message (the memory platform's listing).
#[cfg(feature = "testing")]
pub(crate) fn outbox_age(key: &str) -> Option<&str> {
    key.rsplit(':').nth(1)
}

/// The values under `prefix` (up to `limit`, in key order), read as JSON; unreadable ones skipped.
async fn list_json<V: DeserializeOwned>(
    kv: &impl KeyValue,
    prefix: &str,
    limit: usize,
) -> PlatformResult<Vec<V>> {
    let listed = kv.kv_list(prefix, limit).await?;
    Ok(listed
        .iter()
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect())
}

fn encoding_error(what: &'static str) -> impl Fn(serde_json::Error) -> PlatformError {
    move |e| PlatformError(format!("{what} encoding: {e}"))
}

impl<T: KeyValue + Clock> DeliveryStore for T {
    async fn outbox_put(&self, msg: &OutgoingMessage) -> PlatformResult<()> {
        // The key is chosen once per message and remembered before the message is written: a
        // write whose answer was lost, retried, replaces itself instead of listing it twice.
        let remembered = format!("{OUTBOX_KEY_PREFIX}{}", msg.id);
        let key = match self.kv_get(&remembered).await? {
            Some(key) => key,
            None => {
                let key = format!(
                    "{OUTBOX_PREFIX}{}:{}:{}",
                    msg.to,
                    inverted(self.now_millis()),
                    msg.id
                );
                put(self, &remembered, &key, Some(OUTBOX_TTL)).await?;
                key
            }
        };
        let text = serde_json::to_string(msg).map_err(encoding_error("outbox"))?;
        put(self, &key, &text, Some(OUTBOX_TTL)).await
    }

    async fn outbox_list(&self, to: &str) -> PlatformResult<Vec<OutgoingMessage>> {
        list_json(self, &format!("{OUTBOX_PREFIX}{to}:"), OUTBOX_LIST_LIMIT).await
    }

    async fn was_sent(&self, id: &str) -> PlatformResult<bool> {
        let found = self.kv_get(&format!("{SENT_PREFIX}{id}")).await?;
        Ok(found.is_some())
    }

    async fn mark_sent(&self, id: &str) -> PlatformResult<()> {
        put(self, &format!("{SENT_PREFIX}{id}"), "1", Some(SENT_TTL)).await
    }

    async fn put_dead_letter(&self, letter: &DeadLetter) -> PlatformResult<()> {
        let key = format!(
            "{DEAD_PREFIX}{}:{}",
            inverted(self.now_millis()),
            letter.message_id
        );
        let text = serde_json::to_string(letter).map_err(encoding_error("dead letter"))?;
        put(self, &key, &text, Some(DEAD_TTL)).await
    }

    async fn list_dead_letters(&self) -> PlatformResult<Vec<DeadLetter>> {
        list_json(self, DEAD_PREFIX, DEAD_LIST_LIMIT).await
    }
}

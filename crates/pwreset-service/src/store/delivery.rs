//! The delivery records: the dev outbox (`outbox:<to>:<inverted millis>:<id>`, listed newest first
//! by prefix, 1 day), sent markers (`sent:<id>`, 7 days: a redelivered queue message is not sent
//! twice) and dead letters (`dead:<inverted millis>:<id>`, 30 days, for the operator).

use super::{KeyValue, put};
use crate::model::message::{DeadLetter, OutgoingMessage};
use crate::ports::{Clock, DeliveryStore, PlatformError, StoreError};

const OUTBOX_TTL: u64 = 24 * 60 * 60;
const SENT_TTL: u64 = 7 * 24 * 60 * 60;
const DEAD_TTL: u64 = 30 * 24 * 60 * 60;
/// The most messages the outbox lists for one address.
const OUTBOX_LIST_LIMIT: usize = 50;
/// The most dead letters listed.
const DEAD_LIST_LIMIT: usize = 200;

/// Milliseconds counted down from a far date, zero-padded: ascending keys list newest first.
fn inverted(now_millis: u64) -> String {
    format!("{:013}", 9_999_999_999_999u64.saturating_sub(now_millis))
}

fn store_error(e: PlatformError) -> StoreError {
    StoreError(e.0)
}

fn encoding_error(what: &'static str) -> impl Fn(serde_json::Error) -> StoreError {
    move |e| StoreError(format!("{what} encoding: {e}"))
}

impl<T: KeyValue + Clock> DeliveryStore for T {
    async fn outbox_put(&self, msg: &OutgoingMessage) -> Result<(), StoreError> {
        let key = format!(
            "outbox:{}:{}:{}",
            msg.to,
            inverted(self.now_millis()),
            msg.id
        );
        let text = serde_json::to_string(msg).map_err(encoding_error("outbox"))?;
        put(self, &key, &text, Some(OUTBOX_TTL))
            .await
            .map_err(store_error)
    }

    async fn outbox_list(&self, to: &str) -> Result<Vec<OutgoingMessage>, StoreError> {
        let listed = self
            .kv_list(&format!("outbox:{to}:"), OUTBOX_LIST_LIMIT)
            .await
            .map_err(store_error)?;
        Ok(listed
            .iter()
            .filter_map(|(_, text)| serde_json::from_str(text).ok())
            .collect())
    }

    async fn was_sent(&self, id: &str) -> Result<bool, StoreError> {
        let found = self
            .kv_get(&format!("sent:{id}"))
            .await
            .map_err(store_error)?;
        Ok(found.is_some())
    }

    async fn mark_sent(&self, id: &str) -> Result<(), StoreError> {
        put(self, &format!("sent:{id}"), "1", Some(SENT_TTL))
            .await
            .map_err(store_error)
    }

    async fn put_dead_letter(&self, letter: &DeadLetter) -> Result<(), StoreError> {
        let key = format!("dead:{}:{}", inverted(self.now_millis()), letter.message_id);
        let text = serde_json::to_string(letter).map_err(encoding_error("dead letter"))?;
        put(self, &key, &text, Some(DEAD_TTL))
            .await
            .map_err(store_error)
    }

    async fn list_dead_letters(&self) -> Result<Vec<DeadLetter>, StoreError> {
        let listed = self
            .kv_list("dead:", DEAD_LIST_LIMIT)
            .await
            .map_err(store_error)?;
        Ok(listed
            .iter()
            .filter_map(|(_, text)| serde_json::from_str(text).ok())
            .collect())
    }
}

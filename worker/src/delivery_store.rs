//! The delivery records on Workers KV.
//!
//! Keys: `outbox:<to>:<inverted millis>:<id>` → message (1 day), listed newest first by prefix;
//! `sent:<id>` → delivered marker (7 days), so a redelivered queue message is not sent twice;
//! `dead:<inverted millis>:<id>` → dead letter (30 days), for the operator.

use pwreset_service::delivery::{DeadLetter, DeliveryStore, OutgoingMessage, StoreError};

use pwreset_service::ports::Clock;

use crate::edge::EdgePlatform;

const OUTBOX_TTL: u64 = 24 * 60 * 60;
const SENT_TTL: u64 = 7 * 24 * 60 * 60;
const DEAD_TTL: u64 = 30 * 24 * 60 * 60;
/// The most messages the outbox lists for one address.
const OUTBOX_LIST_LIMIT: u64 = 50;
/// The most dead letters listed.
const DEAD_LIST_LIMIT: u64 = 200;

/// Milliseconds counted down from a far date, zero-padded: ascending keys list newest first.
fn inverted(now_millis: u64) -> String {
    format!("{:013}", 9_999_999_999_999u64.saturating_sub(now_millis))
}

fn store_error<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> StoreError {
    move |e| StoreError(format!("{what}: {e}"))
}

impl EdgePlatform {
    fn delivery_kv(&self) -> Result<worker::kv::KvStore, StoreError> {
        self.kv().map_err(|e| StoreError(e.0))
    }

    async fn put_json(&self, key: &str, value: String, ttl: u64) -> Result<(), StoreError> {
        self.delivery_kv()?
            .put(key, value)
            .map_err(store_error("KV write"))?
            .expiration_ttl(ttl)
            .execute()
            .await
            .map_err(store_error("KV write"))
    }

    async fn list_values(&self, prefix: String, limit: u64) -> Result<Vec<String>, StoreError> {
        let kv = self.delivery_kv()?;
        let listed = kv
            .list()
            .prefix(prefix)
            .limit(limit)
            .execute()
            .await
            .map_err(store_error("KV list"))?;
        let mut values = Vec::with_capacity(listed.keys.len());
        for key in listed.keys {
            if let Some(text) = kv
                .get(&key.name)
                .text()
                .await
                .map_err(store_error("KV read"))?
            {
                values.push(text);
            }
        }
        Ok(values)
    }
}

impl DeliveryStore for EdgePlatform {
    async fn outbox_put(&self, msg: &OutgoingMessage) -> Result<(), StoreError> {
        let key = format!(
            "outbox:{}:{}:{}",
            msg.to,
            inverted(self.now_millis()),
            msg.id
        );
        let text = serde_json::to_string(msg).map_err(store_error("outbox encoding"))?;
        self.put_json(&key, text, OUTBOX_TTL).await
    }

    async fn outbox_list(&self, to: &str) -> Result<Vec<OutgoingMessage>, StoreError> {
        let values = self
            .list_values(format!("outbox:{to}:"), OUTBOX_LIST_LIMIT)
            .await?;
        Ok(values
            .iter()
            .filter_map(|text| serde_json::from_str(text).ok())
            .collect())
    }

    async fn was_sent(&self, id: &str) -> Result<bool, StoreError> {
        let kv = self.delivery_kv()?;
        let found = kv
            .get(&format!("sent:{id}"))
            .text()
            .await
            .map_err(store_error("KV read"))?;
        Ok(found.is_some())
    }

    async fn mark_sent(&self, id: &str) -> Result<(), StoreError> {
        self.put_json(&format!("sent:{id}"), "1".to_owned(), SENT_TTL)
            .await
    }

    async fn put_dead_letter(&self, letter: &DeadLetter) -> Result<(), StoreError> {
        let key = format!("dead:{}:{}", inverted(self.now_millis()), letter.message_id);
        let text = serde_json::to_string(letter).map_err(store_error("dead letter encoding"))?;
        self.put_json(&key, text, DEAD_TTL).await
    }

    async fn list_dead_letters(&self) -> Result<Vec<DeadLetter>, StoreError> {
        let values = self
            .list_values("dead:".to_owned(), DEAD_LIST_LIMIT)
            .await?;
        Ok(values
            .iter()
            .filter_map(|text| serde_json::from_str(text).ok())
            .collect())
    }
}

//! Link records under the link token's keyed digest, expiring with the link.

use super::{KeyValue, put};
use crate::ports::{LinkRecord, LinkRecords, PlatformError, PlatformResult};

impl<T: KeyValue> LinkRecords for T {
    async fn put_link(
        &self,
        key: &str,
        record: &LinkRecord,
        ttl_seconds: u64,
    ) -> PlatformResult<()> {
        let text = serde_json::to_string(record)
            .map_err(|e| PlatformError(format!("link encoding: {e}")))?;
        put(self, key, &text, Some(ttl_seconds)).await
    }

    async fn link(&self, key: &str) -> PlatformResult<Option<LinkRecord>> {
        Ok(self
            .kv_get(key)
            .await?
            .and_then(|text| serde_json::from_str(&text).ok()))
    }

    async fn delete_link(&self, key: &str) -> PlatformResult<()> {
        self.kv_delete(key).await
    }
}

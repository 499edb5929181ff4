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

#[cfg(test)]
mod tests {
    use crate::ports::LinkRecord;

    fn record(return_url: Option<&str>) -> LinkRecord {
        LinkRecord {
            account_id: "a1".into(),
            expires_at: 42,
            with_user: false,
            return_url: return_url.map(str::to_owned),
        }
    }

    #[test]
    fn records_without_a_return_url_read_and_write_as_before_it_existed() {
        let old = r#"{"account_id":"a1","expires_at":42,"with_user":false}"#;
        // Written byte for byte as before.
        assert_eq!(serde_json::to_string(&record(None)).unwrap(), old);
        // Read as before, the return URL absent.
        assert_eq!(
            serde_json::from_str::<LinkRecord>(old).unwrap(),
            record(None)
        );
        // Older still: no `with_user` either.
        assert_eq!(
            serde_json::from_str::<LinkRecord>(r#"{"account_id":"a1","expires_at":42}"#).unwrap(),
            record(None)
        );
        // With one, it is kept.
        let new = record(Some("https://app.example.test"));
        let text = serde_json::to_string(&new).unwrap();
        assert_eq!(
            text,
            r#"{"account_id":"a1","expires_at":42,"with_user":false,"return_url":"https://app.example.test"}"#
        );
        assert_eq!(serde_json::from_str::<LinkRecord>(&text).unwrap(), new);
    }
}

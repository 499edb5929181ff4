//! The service's key-value port on Workers KV. Only the translation lives here: the key layout,
//! indexes and lifetimes are the service's (`pwreset_service::store`).

use pwreset_service::ports::{KeyValue, PlatformResult};

use crate::edge::{EdgePlatform, failed};

impl KeyValue for EdgePlatform {
    async fn kv_get(&self, key: &str) -> PlatformResult<Option<String>> {
        self.kv()?.get(key).text().await.map_err(failed("KV read"))
    }

    async fn kv_put(&self, key: &str, value: &str, ttl: Option<u64>) -> PlatformResult<()> {
        let put = self.kv()?.put(key, value).map_err(failed("KV write"))?;
        let put = match ttl {
            Some(ttl) => put.expiration_ttl(ttl),
            None => put,
        };
        put.execute().await.map_err(failed("KV write"))
    }

    async fn kv_delete(&self, key: &str) -> PlatformResult<()> {
        self.kv()?.delete(key).await.map_err(failed("KV delete"))
    }

    /// Lists the keys, then reads each value (KV lists keys and metadata only).
    async fn kv_list(&self, prefix: &str, limit: usize) -> PlatformResult<Vec<(String, String)>> {
        let kv = self.kv()?;
        let listed = kv
            .list()
            .prefix(prefix.to_owned())
            .limit(u64::try_from(limit).unwrap_or(u64::MAX))
            .execute()
            .await
            .map_err(failed("KV list"))?;
        let mut entries = Vec::with_capacity(listed.keys.len());
        for key in listed.keys {
            if let Some(value) = kv.get(&key.name).text().await.map_err(failed("KV read"))? {
                entries.push((key.name, value));
            }
        }
        Ok(entries)
    }
}

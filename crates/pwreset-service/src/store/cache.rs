//! Small cached answers with a lifetime (the breached-password API's ranges).

use super::{KeyValue, put};
use crate::ports::{PlatformResult, ResponseCache};

impl<T: KeyValue> ResponseCache for T {
    async fn cache_get(&self, key: &str) -> PlatformResult<Option<String>> {
        self.kv_get(key).await
    }

    async fn cache_put(&self, key: &str, value: &str, ttl_seconds: u64) -> PlatformResult<()> {
        put(self, key, value, Some(ttl_seconds)).await
    }
}

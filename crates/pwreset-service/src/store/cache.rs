//! The breached-password API's range answers (`pwned:<prefix>`, 1 day: its data changes rarely).

use super::{KeyValue, put};
use crate::ports::{PlatformResult, RangeCache};

/// How long a range answer is kept.
const RANGE_TTL_SECS: u64 = 24 * 60 * 60;

/// The key of the range answer for `prefix`.
fn range_key(prefix: &str) -> String {
    format!("pwned:{prefix}")
}

impl<T: KeyValue> RangeCache for T {
    async fn range_get(&self, prefix: &str) -> PlatformResult<Option<String>> {
        self.kv_get(&range_key(prefix)).await
    }

    async fn range_put(&self, prefix: &str, body: &str) -> PlatformResult<()> {
        put(self, &range_key(prefix), body, Some(RANGE_TTL_SECS)).await
    }
}

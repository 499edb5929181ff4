//! The clock on the Workers runtime, for the platform and the Durable Objects alike.

use pwreset_core::UnixTime;
use pwreset_service::ports::Clock;

/// The runtime's clock (`Date.now()`, which a Worker advances only across I/O) and its timers.
#[derive(Clone, Copy, Debug, Default)]
pub struct EdgeClock;

impl Clock for EdgeClock {
    fn now(&self) -> UnixTime {
        UnixTime::from_millis(self.now_millis())
    }
    fn now_millis(&self) -> u64 {
        worker::Date::now().as_millis()
    }
    async fn sleep_millis(&self, ms: u64) {
        worker::Delay::from(std::time::Duration::from_millis(ms)).await;
    }
}

//! A refused secret is answered no sooner than a fixed time after it arrived.
//!
//! Refusing a wrong code or link takes storage reads whose time depends on what exists: an account's
//! index entry and record are found, an unknown name's are not, and a directory the application runs
//! answers its own lookups at its own pace. The service makes both paths do the same calls
//! (docs/storage.md), but it cannot make a store answer a found key and a missing one in the same
//! time. So every refusal on a route that takes a secret waits until `REFUSAL_MIN_MS` after the
//! request arrived: whatever the lookups took below that, the answer leaves at the same moment. The
//! wait is a timer, not work. A refusal that took longer than the minimum is logged
//! (`refusal_over_minimum`, without any identifier), so an operator can see when to raise it.
//! Successes are not delayed: a success tells the caller the secret was right anyway.

use serde_json::json;

use crate::model::audit;
use crate::model::http::Response;
use crate::ports::{Clock, Logger};

/// When a request arrived, read from the platform's clock before anything else.
#[derive(Clone, Copy, Debug)]
pub struct Arrival {
    millis: u64,
}

impl Arrival {
    /// Now.
    pub fn now(p: &impl Clock) -> Self {
        Self {
            millis: p.now_millis(),
        }
    }
}

/// Whether `answer` refuses: anything but a `2xx`.
pub fn is_refusal(answer: &Response) -> bool {
    !(200..300).contains(&answer.status)
}

/// Hands `answer` back, after waiting until `min_ms` after `arrival` when it is a refusal.
/// `route` names the route in the log line of a refusal that took longer.
pub async fn no_sooner<P: Clock + Logger>(
    p: &P,
    arrival: Arrival,
    min_ms: u64,
    route: &str,
    answer: Response,
) -> Response {
    if !is_refusal(&answer) || min_ms == 0 {
        return answer;
    }
    let elapsed = p.now_millis().saturating_sub(arrival.millis);
    if elapsed < min_ms {
        p.sleep_millis(min_ms - elapsed).await;
    } else {
        p.log(&audit::line(
            "refusal_over_minimum",
            p.now(),
            json!({ "route": route, "elapsed_ms": elapsed, "min_ms": min_ms }),
        ));
    }
    answer
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use futures_executor::block_on;
    use pwreset_core::UnixTime;

    use super::*;

    /// A clock at a chosen millisecond that records waits and log lines.
    #[derive(Default)]
    struct Stopwatch {
        millis: Cell<u64>,
        waits: RefCell<Vec<u64>>,
        lines: RefCell<Vec<String>>,
    }

    impl Clock for Stopwatch {
        fn now(&self) -> UnixTime {
            UnixTime::from_millis(self.millis.get())
        }
        fn now_millis(&self) -> u64 {
            self.millis.get()
        }
        async fn sleep_millis(&self, ms: u64) {
            self.waits.borrow_mut().push(ms);
        }
    }

    impl Logger for Stopwatch {
        fn log(&self, line: &str) {
            self.lines.borrow_mut().push(line.to_owned());
        }
    }

    fn answer_after(elapsed: u64, status: u16) -> Stopwatch {
        let clock = Stopwatch::default();
        clock.millis.set(1_000_000);
        let arrival = Arrival::now(&clock);
        clock.millis.set(1_000_000 + elapsed);
        let answer = Response::empty(status);
        let answer = block_on(no_sooner(&clock, arrival, 500, "/route", answer));
        assert_eq!(answer.status, status);
        clock
    }

    #[test]
    fn a_quick_refusal_waits_for_the_rest_of_the_minimum() {
        let clock = answer_after(120, 400);
        assert_eq!(*clock.waits.borrow(), [380]);
        assert!(clock.lines.borrow().is_empty());
    }

    #[test]
    fn a_slow_refusal_leaves_at_once_and_is_logged_without_identifiers() {
        let clock = answer_after(640, 429);
        assert!(clock.waits.borrow().is_empty());
        let lines = clock.lines.borrow();
        assert_eq!(lines.len(), 1);
        let line: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(line["event"], "refusal_over_minimum");
        assert_eq!(line["elapsed_ms"], 640);
        assert_eq!(line["route"], "/route");
    }

    #[test]
    fn a_success_never_waits() {
        let clock = answer_after(0, 200);
        assert!(clock.waits.borrow().is_empty());
    }
}

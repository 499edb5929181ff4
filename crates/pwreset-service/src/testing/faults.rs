//! Fault injection: any platform, seen through [`Faulty`], fails the one call a test chooses,
//! either as an error (the call did nothing) or as a timeout (the call took effect, and its answer
//! was lost). The fault-injection tests run each password-setting flow failing each call it makes
//! in turn and check what must hold after any failure.

use std::cell::{Cell, RefCell};
use std::future::Future;

use pwreset_core::UnixTime;

use crate::guard::{GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp};
use crate::model::job::Job;
use crate::ports::{
    AccountGuard, Clock, FetchedAnswer, GlobalCodes, HttpFetch, JobQueue, KeyValue, LimitRule,
    Logger, OutboundRequest, PlatformError, PlatformResult, RateLimits, TransportError,
};

/// How the chosen call fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The call fails and has no effect.
    Error,
    /// The call takes effect, and then fails as if its answer never came.
    Timeout,
}

impl Fault {
    /// Both kinds.
    pub const ALL: [Fault; 2] = [Fault::Error, Fault::Timeout];
}

/// An error of each port's kind for an injected fault.
trait Injected {
    fn injected(fault: Fault, call: &str) -> Self;
}

impl Injected for PlatformError {
    fn injected(fault: Fault, call: &str) -> Self {
        PlatformError(format!("injected {fault:?} in {call}"))
    }
}

impl Injected for TransportError {
    fn injected(fault: Fault, _call: &str) -> Self {
        match fault {
            Fault::Error => TransportError::Connection,
            Fault::Timeout => TransportError::Timeout,
        }
    }
}

/// `inner` with one chosen call failing; records the name of every fallible call it sees.
pub struct Faulty<'p, P> {
    inner: &'p P,
    calls: RefCell<Vec<&'static str>>,
    plan: Cell<Option<(usize, Fault)>>,
}

impl<'p, P> Faulty<'p, P> {
    /// `inner` with no fault: it only records the calls.
    pub fn new(inner: &'p P) -> Self {
        Self {
            inner,
            calls: RefCell::new(Vec::new()),
            plan: Cell::new(None),
        }
    }

    /// `inner` whose call number `index` (from 0, in the order made) fails with `fault`.
    pub fn failing(inner: &'p P, index: usize, fault: Fault) -> Self {
        let faulty = Self::new(inner);
        faulty.plan.set(Some((index, fault)));
        faulty
    }

    /// The fallible calls seen so far, by port method name, in order.
    pub fn calls(&self) -> Vec<&'static str> {
        self.calls.borrow().clone()
    }

    /// Whether the planned fault has been injected.
    pub fn injected(&self) -> bool {
        self.plan
            .get()
            .is_some_and(|(index, _)| index < self.calls.borrow().len())
    }

    async fn call<T, E: Injected>(
        &self,
        name: &'static str,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let index = {
            let mut calls = self.calls.borrow_mut();
            calls.push(name);
            calls.len() - 1
        };
        match self.plan.get() {
            Some((at, fault)) if at == index => {
                if fault == Fault::Timeout {
                    // The effect happens; only the answer is lost.
                    let _ = call.await;
                }
                Err(E::injected(fault, name))
            }
            _ => call.await,
        }
    }
}

impl<P: Clock> Clock for Faulty<'_, P> {
    fn now(&self) -> UnixTime {
        self.inner.now()
    }
    fn now_millis(&self) -> u64 {
        self.inner.now_millis()
    }
    async fn sleep_millis(&self, ms: u64) {
        self.inner.sleep_millis(ms).await;
    }
}

impl<P: Logger> Logger for Faulty<'_, P> {
    fn log(&self, line: &str) {
        self.inner.log(line);
    }
}

/// Every storage call of the service's records (accounts, links, delivery records, the cache)
/// is one of these, so each can fail on its own.
impl<P: KeyValue> KeyValue for Faulty<'_, P> {
    async fn kv_get(&self, key: &str) -> PlatformResult<Option<String>> {
        self.call("kv_get", self.inner.kv_get(key)).await
    }
    async fn kv_put(&self, key: &str, value: &str, ttl: Option<u64>) -> PlatformResult<()> {
        self.call("kv_put", self.inner.kv_put(key, value, ttl))
            .await
    }
    async fn kv_delete(&self, key: &str) -> PlatformResult<()> {
        self.call("kv_delete", self.inner.kv_delete(key)).await
    }
    async fn kv_list(&self, prefix: &str, limit: usize) -> PlatformResult<Vec<(String, String)>> {
        self.call("kv_list", self.inner.kv_list(prefix, limit))
            .await
    }
}

impl<P: AccountGuard> AccountGuard for Faulty<'_, P> {
    async fn guard(&self, at: &GuardAddress, op: GuardOp) -> PlatformResult<GuardAnswer> {
        self.call("guard", self.inner.guard(at, op)).await
    }
}

impl<P: GlobalCodes> GlobalCodes for Faulty<'_, P> {
    async fn global_codes(&self, op: GlobalOp) -> PlatformResult<GlobalAnswer> {
        self.call("global_codes", self.inner.global_codes(op)).await
    }
}

impl<P: JobQueue> JobQueue for Faulty<'_, P> {
    async fn enqueue(&self, job: &Job, delay_seconds: u32) -> PlatformResult<()> {
        self.call("enqueue", self.inner.enqueue(job, delay_seconds))
            .await
    }
    async fn dead_letter(&self, job: &Job) -> PlatformResult<()> {
        self.call("dead_letter", self.inner.dead_letter(job)).await
    }
}

impl<P: RateLimits> RateLimits for Faulty<'_, P> {
    async fn allow(&self, rule: LimitRule, key: &str) -> PlatformResult<bool> {
        self.call("allow", self.inner.allow(rule, key)).await
    }
}

impl<P: HttpFetch> HttpFetch for Faulty<'_, P> {
    async fn fetch(&self, request: &OutboundRequest) -> Result<FetchedAnswer, TransportError> {
        self.call("fetch", self.inner.fetch(request)).await
    }
}

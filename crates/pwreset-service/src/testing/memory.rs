//! The platform in memory: every trait of [`crate::ports`] on plain maps, with a clock the test
//! sets and a queue the test runs. Fast, deterministic, and the same flows as on the edge.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use pwreset_core::UnixTime;

use crate::api::router::Service;
use crate::delivery::{
    DeadLetter, DeliveryStore, HttpAnswer, HttpClient, OutgoingMessage, ProviderRequest,
    StoreError, TransportError,
};
use crate::guard::{
    GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp, ObjectStorage, apply_global_op,
    apply_guard_op,
};
use crate::model::account::Account;
use crate::model::job::Job;
use crate::ports::{
    AccountGuard, Accounts, Clock, FetchedAnswer, GlobalCodes, HttpFetch, JobQueue, LimitRule,
    LinkRecord, LinkRecords, Logger, PlatformResult, RateLimits, ResponseCache,
};
use crate::testing::delivery::{FakeHttpClient, MemoryDeliveryStore};

/// Storage of one object (an account's guard, the global registry).
#[derive(Default)]
pub struct MemoryObjectStorage(RefCell<BTreeMap<String, String>>);

impl ObjectStorage for MemoryObjectStorage {
    async fn get(&self, key: &str) -> PlatformResult<Option<String>> {
        Ok(self.0.borrow().get(key).cloned())
    }
    async fn put(&self, key: &str, value: &str) -> PlatformResult<()> {
        self.0.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    async fn delete(&self, key: &str) -> PlatformResult<()> {
        self.0.borrow_mut().remove(key);
        Ok(())
    }
    async fn list(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        limit: usize,
    ) -> PlatformResult<Vec<(String, String)>> {
        use std::ops::Bound::{Excluded, Included};
        let from = match start_after {
            // Nothing before the prefix starts with it.
            Some(after) if after >= prefix => Excluded(after.to_owned()),
            _ => Included(prefix.to_owned()),
        };
        Ok(self
            .0
            .borrow()
            .range((from, std::ops::Bound::Unbounded))
            .take_while(|(key, _)| key.starts_with(prefix))
            .take(limit)
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect())
    }
}

/// The whole platform in memory.
#[derive(Default)]
pub struct MemoryPlatform {
    now: Cell<u64>,
    waits: RefCell<Vec<u64>>,
    accounts: RefCell<BTreeMap<String, Account>>,
    links: RefCell<BTreeMap<String, (LinkRecord, u64)>>,
    guards: RefCell<BTreeMap<String, std::rc::Rc<MemoryObjectStorage>>>,
    global: MemoryObjectStorage,
    queue: RefCell<Vec<(Job, u64)>>,
    dead: RefCell<Vec<Job>>,
    dead_history: RefCell<Vec<Job>>,
    limits: RefCell<BTreeMap<&'static str, u32>>,
    counts: RefCell<BTreeMap<(&'static str, String, u64), u32>>,
    logs: RefCell<Vec<String>>,
    cache: RefCell<BTreeMap<String, (String, u64)>>,
    breached: RefCell<Vec<String>>,
    range_requests: RefCell<Vec<String>>,
    range_down: Cell<bool>,
    /// The dev outbox, sent-records and dead letters.
    pub store: MemoryDeliveryStore,
    /// The providers' side, scripted by the test.
    pub http: FakeHttpClient,
    /// The application's user service: requests to its `URL` go there.
    pub user_service: crate::testing::user_service::MemoryUserService,
}

impl MemoryPlatform {
    /// A platform at time `now` (unix seconds), with no limits until [`Self::set_limit`].
    pub fn new(now: u64) -> Self {
        let platform = Self::default();
        platform.now.set(now);
        platform
    }

    /// The waits asked for so far (milliseconds), emptied.
    pub fn take_waits(&self) -> Vec<u64> {
        std::mem::take(&mut self.waits.borrow_mut())
    }

    /// Moves the clock forward.
    pub fn advance(&self, seconds: u64) {
        self.now.set(self.now.get() + seconds);
    }

    /// Allows `limit` events per window under `rule`.
    pub fn set_limit(&self, rule: LimitRule, limit: u32) {
        self.limits.borrow_mut().insert(rule.name(), limit);
    }

    /// Adds a password to the fake breach corpus that the range API answers from.
    pub fn add_breached(&self, password: &str) {
        self.breached.borrow_mut().push(password.to_owned());
    }

    /// Makes the range API unreachable (or reachable again).
    pub fn set_range_down(&self, down: bool) {
        self.range_down.set(down);
    }

    /// Every URL the range API was asked for.
    pub fn range_requests(&self) -> Vec<String> {
        self.range_requests.borrow().clone()
    }

    /// The names of the guard objects that exist.
    pub fn guard_objects(&self) -> Vec<String> {
        self.guards.borrow().keys().cloned().collect()
    }

    /// How many guard records all objects hold.
    pub fn guard_records(&self) -> usize {
        self.guards
            .borrow()
            .values()
            .map(|g| g.0.borrow().len())
            .sum()
    }

    /// Sweeps every decoy object, as their alarms do on the edge: one run each, from where an
    /// earlier [`Self::sweep_decoys_batch`] stopped (from the first record when none did) to the end.
    pub async fn sweep_decoys(&self) -> PlatformResult<()> {
        self.sweep_decoys_batch(usize::MAX).await.map(|_| ())
    }

    /// One alarm's sweep in every object: each looks at up to `limit` decoy records;
    /// whether every object's sweep reached its last record.
    pub async fn sweep_decoys_batch(&self, limit: usize) -> PlatformResult<bool> {
        let objects: Vec<_> = self.guards.borrow().values().cloned().collect();
        let mut all_wrapped = true;
        for storage in objects {
            all_wrapped &= crate::guard::sweep_decoys(&*storage, self.now(), limit).await?;
        }
        Ok(all_wrapped)
    }

    /// Every log line so far.
    pub fn logs(&self) -> Vec<String> {
        self.logs.borrow().clone()
    }

    /// Jobs waiting in the queue.
    pub fn queued(&self) -> usize {
        self.queue.borrow().len()
    }

    /// Jobs handed to the dead-letter queue (and not yet run).
    pub fn dead_letters(&self) -> Vec<Job> {
        self.dead.borrow().clone()
    }

    /// Every job ever handed to the dead-letter queue, run or not, in order.
    pub fn dead_lettered(&self) -> Vec<Job> {
        self.dead_history.borrow().clone()
    }

    /// Runs queued jobs whose time has come, and the ones they enqueue, moving the clock to each
    /// delayed job, until the queue is empty; then runs the dead-letter queue. Returns how many ran.
    pub async fn drain_queue(&self, service: &Service) -> usize {
        let mut ran = 0;
        loop {
            let next = {
                let mut queue = self.queue.borrow_mut();
                let Some(index) = (0..queue.len()).min_by_key(|&i| queue[i].1) else {
                    break;
                };
                queue.remove(index)
            };
            let (job, due) = next;
            if due > self.now.get() {
                self.now.set(due);
            }
            if service.run_job(self, job.clone()).await == crate::model::job::JobOutcome::Retry {
                self.dead.borrow_mut().push(job);
            }
            ran += 1;
        }
        let dead: Vec<Job> = self.dead.borrow_mut().drain(..).collect();
        for job in dead {
            service.run_dead_letter(self, job).await;
        }
        ran
    }
}

impl Clock for MemoryPlatform {
    fn now(&self) -> UnixTime {
        UnixTime::from_secs(self.now.get())
    }
    /// Records the wait and returns at once: the clock stands still within a request.
    async fn sleep_millis(&self, ms: u64) {
        self.waits.borrow_mut().push(ms);
    }
}

impl Accounts for MemoryPlatform {
    async fn account(&self, id: &str) -> PlatformResult<Option<Account>> {
        Ok(self.accounts.borrow().get(id).cloned())
    }
    async fn account_by_username(&self, username: &str) -> PlatformResult<Option<Account>> {
        Ok(self
            .accounts
            .borrow()
            .values()
            .find(|a| a.username == username)
            .cloned())
    }
    async fn accounts_by_email(&self, email: &str) -> PlatformResult<Vec<Account>> {
        Ok(self
            .accounts
            .borrow()
            .values()
            .filter(|a| a.email == email)
            .cloned()
            .collect())
    }
    async fn account_by_phone(&self, phone: &str) -> PlatformResult<Option<Account>> {
        Ok(self
            .accounts
            .borrow()
            .values()
            .find(|a| a.phone.as_deref() == Some(phone))
            .cloned())
    }
    async fn create_account(&self, account: &Account) -> PlatformResult<bool> {
        let mut accounts = self.accounts.borrow_mut();
        let taken = accounts.values().any(|a| {
            a.username == account.username || (a.phone.is_some() && a.phone == account.phone)
        });
        if !taken {
            accounts.insert(account.id.clone(), account.clone());
        }
        Ok(!taken)
    }
    async fn update_account(&self, account: &Account) -> PlatformResult<()> {
        self.accounts
            .borrow_mut()
            .insert(account.id.clone(), account.clone());
        Ok(())
    }
}

impl LinkRecords for MemoryPlatform {
    async fn put_link(
        &self,
        key: &str,
        record: &LinkRecord,
        ttl_seconds: u64,
    ) -> PlatformResult<()> {
        let gone_at = self.now.get() + ttl_seconds;
        self.links
            .borrow_mut()
            .insert(key.to_owned(), (record.clone(), gone_at));
        Ok(())
    }
    async fn link(&self, key: &str) -> PlatformResult<Option<LinkRecord>> {
        let now = self.now.get();
        Ok(self
            .links
            .borrow()
            .get(key)
            .filter(|(_, gone_at)| *gone_at > now)
            .map(|(record, _)| record.clone()))
    }
    async fn delete_link(&self, key: &str) -> PlatformResult<()> {
        self.links.borrow_mut().remove(key);
        Ok(())
    }
}

impl AccountGuard for MemoryPlatform {
    async fn guard(&self, at: &GuardAddress, op: GuardOp) -> PlatformResult<GuardAnswer> {
        let storage = self
            .guards
            .borrow_mut()
            .entry(at.object.clone())
            .or_default()
            .clone();
        apply_guard_op(&*storage, &at.record, op, self.now()).await
    }
}

impl GlobalCodes for MemoryPlatform {
    async fn global_codes(&self, op: GlobalOp) -> PlatformResult<GlobalAnswer> {
        apply_global_op(&self.global, op, self.now()).await
    }
}

impl JobQueue for MemoryPlatform {
    async fn enqueue(&self, job: &Job, delay_seconds: u32) -> PlatformResult<()> {
        let due = self.now.get() + u64::from(delay_seconds);
        self.queue.borrow_mut().push((job.clone(), due));
        Ok(())
    }
    async fn dead_letter(&self, job: &Job) -> PlatformResult<()> {
        self.dead.borrow_mut().push(job.clone());
        self.dead_history.borrow_mut().push(job.clone());
        Ok(())
    }
}

impl RateLimits for MemoryPlatform {
    async fn allow(&self, rule: LimitRule, key: &str) -> PlatformResult<bool> {
        let Some(&limit) = self.limits.borrow().get(rule.name()) else {
            return Ok(true);
        };
        let window = self.now.get() / rule.period_seconds();
        let mut counts = self.counts.borrow_mut();
        let count = counts
            .entry((rule.name(), key.to_owned(), window))
            .or_default();
        *count += 1;
        Ok(*count <= limit)
    }
}

impl Logger for MemoryPlatform {
    fn log(&self, line: &str) {
        self.logs.borrow_mut().push(line.to_owned());
    }
}

impl HttpClient for MemoryPlatform {
    async fn send(&self, request: &ProviderRequest) -> Result<HttpAnswer, TransportError> {
        self.http.send(request).await
    }
}

impl DeliveryStore for MemoryPlatform {
    async fn outbox_put(&self, msg: &OutgoingMessage) -> Result<(), StoreError> {
        self.store.outbox_put(msg).await
    }
    async fn outbox_list(&self, to: &str) -> Result<Vec<OutgoingMessage>, StoreError> {
        self.store.outbox_list(to).await
    }
    async fn was_sent(&self, id: &str) -> Result<bool, StoreError> {
        self.store.was_sent(id).await
    }
    async fn mark_sent(&self, id: &str) -> Result<(), StoreError> {
        self.store.mark_sent(id).await
    }
    async fn put_dead_letter(&self, letter: &DeadLetter) -> Result<(), StoreError> {
        self.store.put_dead_letter(letter).await
    }
    async fn list_dead_letters(&self) -> Result<Vec<DeadLetter>, StoreError> {
        self.store.list_dead_letters().await
    }
}

/// The user service for requests to its URL ([`crate::testing::user_service::MemoryUserService`]);
/// otherwise a fake Pwned Passwords range API over the corpus given with
/// [`MemoryPlatform::add_breached`], with padding lines of count 0 like the real one.
impl HttpFetch for MemoryPlatform {
    async fn fetch(&self, request: &ProviderRequest) -> Result<FetchedAnswer, TransportError> {
        use crate::testing::user_service::MemoryUserService;
        if request.url.starts_with(MemoryUserService::URL) {
            return self.user_service.fetch(request, self.now.get());
        }
        self.range_requests.borrow_mut().push(request.url.clone());
        if self.range_down.get() {
            return Err(TransportError::Timeout);
        }
        let prefix = request
            .url
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut body = String::new();
        for password in self.breached.borrow().iter() {
            let (p, suffix) = crate::breached::split_hash(password);
            if p == prefix {
                body.push_str(&format!("{suffix}:42\r\n"));
            }
        }
        body.push_str("0000000000000000000000000000000000A:0\r\n");
        Ok(FetchedAnswer {
            status: 200,
            headers: Vec::new(),
            body,
        })
    }
}

impl ResponseCache for MemoryPlatform {
    async fn cache_get(&self, key: &str) -> PlatformResult<Option<String>> {
        let now = self.now.get();
        Ok(self
            .cache
            .borrow()
            .get(key)
            .filter(|(_, gone_at)| *gone_at > now)
            .map(|(value, _)| value.clone()))
    }
    async fn cache_put(&self, key: &str, value: &str, ttl_seconds: u64) -> PlatformResult<()> {
        let gone_at = self.now.get() + ttl_seconds;
        self.cache
            .borrow_mut()
            .insert(key.to_owned(), (value.to_owned(), gone_at));
        Ok(())
    }
}

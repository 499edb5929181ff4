//! The platform in memory: every trait of [`crate::ports`] on plain maps, with a clock the test
//! sets and a queue the test runs. Fast, deterministic, and the same flows as on the edge.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use pwreset_core::UnixTime;

use crate::Service;
use crate::delivery::{OutboundRequest, OutgoingMessage, TransportError};
use crate::guard::{
    GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp, ObjectStorage, apply_global_op,
    apply_guard_op,
};
use crate::model::job::Job;
use crate::ports::{
    AccountGuard, Clock, FetchedAnswer, GlobalCodes, HttpFetch, JobQueue, KeyValue, LimitRule,
    Logger, PlatformResult, RateLimits,
};
use crate::queue::{self, Decision};
use crate::store::delivery::{OUTBOX_PREFIX, SENT_PREFIX, outbox_age};
use crate::testing::delivery::FakeHttpClient;

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
        start_at: Option<&str>,
        limit: usize,
    ) -> PlatformResult<Vec<(String, String)>> {
        // Nothing before the prefix starts with it.
        let from = start_at.filter(|at| *at >= prefix).unwrap_or(prefix);
        let from = std::ops::Bound::Included(from.to_owned());
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
    /// The key-value store: each value with its expiry (unix seconds), if any.
    kv: RefCell<BTreeMap<String, (String, Option<u64>)>>,
    /// How many writes the key-value store took: the clock's milliseconds advance with them, so
    /// records written within one second keep their order.
    kv_writes: Cell<u64>,
    guards: RefCell<BTreeMap<String, std::rc::Rc<MemoryObjectStorage>>>,
    /// Each guard object's alarm, when set: when it goes off (unix milliseconds).
    alarms: RefCell<BTreeMap<String, u64>>,
    global: MemoryObjectStorage,
    queue: RefCell<Vec<(Job, u64)>>,
    dead: RefCell<Vec<Job>>,
    dead_history: RefCell<Vec<Job>>,
    limits: RefCell<BTreeMap<&'static str, u32>>,
    counts: RefCell<BTreeMap<(&'static str, String, u64), u32>>,
    logs: RefCell<Vec<String>>,
    breached: RefCell<Vec<String>>,
    range_requests: RefCell<Vec<String>>,
    range_down: Cell<bool>,
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

    /// The guard objects' alarms that are set: each object's name and when it goes off (unix
    /// milliseconds). An op on a decoy record sets its object's alarm as on the edge
    /// ([`crate::guard::decoy_alarm_after_op`]).
    pub fn guard_alarms(&self) -> Vec<(String, u64)> {
        self.alarms
            .borrow()
            .iter()
            .map(|(object, at)| (object.clone(), *at))
            .collect()
    }

    /// Sets off the guard objects' alarms that are due, as the edge does: each runs
    /// [`crate::guard::decoy_sweep_alarm`] on its object and sets the alarm again when that says
    /// so. Returns how many went off.
    pub async fn run_due_alarms(&self) -> PlatformResult<usize> {
        let now_ms = self.now.get() * 1000;
        let due: Vec<String> = self
            .alarms
            .borrow()
            .iter()
            .filter(|(_, at)| **at <= now_ms)
            .map(|(object, _)| object.clone())
            .collect();
        for object in &due {
            let storage = self
                .guards
                .borrow_mut()
                .entry(object.clone())
                .or_default()
                .clone();
            // A failed alarm stays set, to go off again.
            let next = crate::guard::decoy_sweep_alarm(&*storage, self.now()).await?;
            let mut alarms = self.alarms.borrow_mut();
            match next {
                Some(after) => alarms.insert(object.clone(), now_ms + millis(after)),
                None => alarms.remove(object),
            };
        }
        Ok(due.len())
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

    /// The ids of the messages marked as delivered.
    pub fn sent_ids(&self) -> Vec<String> {
        self.live_values(SENT_PREFIX)
            .into_iter()
            .map(|(key, _)| key[SENT_PREFIX.len()..].to_owned())
            .collect()
    }

    /// Every message in the dev outbox, oldest first.
    pub fn outbox_all(&self) -> Vec<OutgoingMessage> {
        let mut all: Vec<(String, OutgoingMessage)> = self
            .live_values(OUTBOX_PREFIX)
            .into_iter()
            .filter_map(|(key, text)| {
                let age = outbox_age(&key)?.to_owned();
                Some((age, serde_json::from_str(&text).ok()?))
            })
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0));
        all.into_iter().map(|(_, message)| message).collect()
    }

    /// Every key-value entry under `prefix` that has not expired.
    fn live_values(&self, prefix: &str) -> Vec<(String, String)> {
        let now = self.now.get();
        self.kv
            .borrow()
            .iter()
            .filter(|(key, (_, gone_at))| {
                key.starts_with(prefix) && gone_at.is_none_or(|at| at > now)
            })
            .map(|(key, (value, _))| (key.clone(), value.clone()))
            .collect()
    }

    /// Every log line so far.
    pub fn logs(&self) -> Vec<String> {
        self.logs.borrow().clone()
    }

    /// Jobs waiting in the queue.
    pub fn queued(&self) -> usize {
        self.queue.borrow().len()
    }

    /// The jobs waiting in the queue, in the order they were queued.
    pub fn queued_jobs(&self) -> Vec<Job> {
        self.queue
            .borrow()
            .iter()
            .map(|(job, _)| job.clone())
            .collect()
    }

    /// Jobs handed to the dead-letter queue (and not yet run).
    pub fn dead_letters(&self) -> Vec<Job> {
        self.dead.borrow().clone()
    }

    /// Every job ever handed to the dead-letter queue, run or not, in order.
    pub fn dead_lettered(&self) -> Vec<Job> {
        self.dead_history.borrow().clone()
    }

    /// Runs the queue as the platform's consumer does, until it is empty: moves the clock to the
    /// earliest job's time, takes the jobs due by then (at most [`queue::MAX_BATCH_SIZE`], oldest
    /// first) as one batch and consumes it ([`Service::consume_batch`], the Worker's path), and
    /// so on with the jobs they enqueue; then consumes the dead-letter queue the same way. A job
    /// the consumer asks to retry goes to the dead-letter queue at once (as after the queue's last
    /// retry). Returns how many jobs of the work queue ran.
    pub async fn drain_queue(&self, service: &Service) -> usize {
        let mut ran = 0;
        while let Some(batch) = self.next_batch() {
            ran += batch.len();
            let decisions = service
                .consume_batch(self, queue::JOBS_QUEUE, bodies(&batch))
                .await;
            for (job, decision) in batch.into_iter().zip(decisions) {
                if decision != Decision::Ack {
                    self.dead.borrow_mut().push(job);
                }
            }
        }
        loop {
            let dead: Vec<Job> = {
                let mut dead = self.dead.borrow_mut();
                let n = dead.len().min(queue::MAX_BATCH_SIZE);
                dead.drain(..n).collect()
            };
            if dead.is_empty() {
                break;
            }
            service
                .consume_batch(self, queue::DEAD_LETTER_QUEUE, bodies(&dead))
                .await;
        }
        ran
    }

    /// The next batch of the work queue: the clock moved to the earliest job's time, and the jobs
    /// due by then, in the order they were due and queued.
    fn next_batch(&self) -> Option<Vec<Job>> {
        let mut queue = self.queue.borrow_mut();
        let earliest = queue.iter().map(|(_, due)| *due).min()?;
        if earliest > self.now.get() {
            self.now.set(earliest);
        }
        let now = self.now.get();
        let mut due: Vec<usize> = (0..queue.len()).filter(|&i| queue[i].1 <= now).collect();
        due.sort_by_key(|&i| queue[i].1);
        due.truncate(queue::MAX_BATCH_SIZE);
        let batch = due.iter().map(|&i| queue[i].0.clone()).collect();
        due.sort_unstable();
        for i in due.into_iter().rev() {
            queue.remove(i);
        }
        Some(batch)
    }
}

/// A duration in whole milliseconds.
fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Jobs as a queue delivers their bodies.
fn bodies(jobs: &[Job]) -> Vec<serde_json::Value> {
    jobs.iter()
        .map(|job| serde_json::to_value(job).expect("jobs serialise"))
        .collect()
}

impl Clock for MemoryPlatform {
    fn now(&self) -> UnixTime {
        UnixTime::from_secs(self.now.get())
    }
    /// The second's milliseconds count the key-value writes (see `kv_writes`).
    fn now_millis(&self) -> u64 {
        self.now.get() * 1000 + self.kv_writes.get()
    }
    /// Records the wait and returns at once: the clock stands still within a request.
    async fn sleep_millis(&self, ms: u64) {
        self.waits.borrow_mut().push(ms);
    }
}

impl KeyValue for MemoryPlatform {
    async fn kv_get(&self, key: &str) -> PlatformResult<Option<String>> {
        let now = self.now.get();
        Ok(self
            .kv
            .borrow()
            .get(key)
            .filter(|(_, gone_at)| gone_at.is_none_or(|at| at > now))
            .map(|(value, _)| value.clone()))
    }
    async fn kv_put(&self, key: &str, value: &str, ttl: Option<u64>) -> PlatformResult<()> {
        let gone_at = ttl.map(|ttl| self.now.get() + ttl);
        self.kv_writes.set(self.kv_writes.get() + 1);
        self.kv
            .borrow_mut()
            .insert(key.to_owned(), (value.to_owned(), gone_at));
        Ok(())
    }
    async fn kv_delete(&self, key: &str) -> PlatformResult<()> {
        self.kv.borrow_mut().remove(key);
        Ok(())
    }
    async fn kv_list(&self, prefix: &str, limit: usize) -> PlatformResult<Vec<(String, String)>> {
        let now = self.now.get();
        Ok(self
            .kv
            .borrow()
            .range(prefix.to_owned()..)
            .take_while(|(key, _)| key.starts_with(prefix))
            .filter(|(_, (_, gone_at))| gone_at.is_none_or(|at| at > now))
            .take(limit)
            .map(|(key, (value, _))| (key.clone(), value.clone()))
            .collect())
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
        let answer = apply_guard_op(&*storage, &at.record, op, self.now()).await;
        let pending = self.alarms.borrow().contains_key(&at.object);
        if let Some(after) = crate::guard::decoy_alarm_after_op(&at.record, pending) {
            let at_ms = self.now.get() * 1000 + millis(after);
            self.alarms.borrow_mut().insert(at.object.clone(), at_ms);
        }
        answer
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

/// The user service for requests to its URL ([`crate::testing::user_service::MemoryUserService`]);
/// the providers ([`MemoryPlatform::http`]) for the other `POST`s, the deliveries; otherwise (a
/// `GET`, the only one the service sends) a fake Pwned Passwords range API over the corpus given
/// with [`MemoryPlatform::add_breached`], with padding lines of count 0 like the real one.
impl HttpFetch for MemoryPlatform {
    async fn fetch(&self, request: &OutboundRequest) -> Result<FetchedAnswer, TransportError> {
        use crate::testing::user_service::MemoryUserService;
        if request.url.starts_with(MemoryUserService::URL) {
            return self.user_service.fetch(request, self.now.get());
        }
        if request.method != "GET" {
            return self.http.fetch(request).await;
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

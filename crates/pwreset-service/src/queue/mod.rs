//! Layer 5, the queue's consumer: each message names a job, and each job is a flow
//! (`flows::reset_request`, `flows::send`, `flows::dead_letter`). The consumer only dispatches:
//! [`consume_batch`] takes a batch's bodies as the platform received them and says, for each,
//! whether to acknowledge it or have it offered again; a platform maps those decisions to its own
//! calls.

use std::future::Future;

use futures_util::StreamExt;

use serde_json::json;

use crate::config::ServiceConfig;
use crate::flows::reset_request::run_reset_request;
use crate::flows::send::send;
use crate::flows::{dead_letter, events};
use crate::model::audit;
use crate::model::job::{Job, JobOutcome};
use crate::ports::Platform;

/// The work queue (`wrangler.toml`'s `queue` of the `JOBS` producer and the first consumer).
pub const JOBS_QUEUE: &str = "pwreset-jobs";

/// The dead-letter queue: where the work queue puts a message it gave up on, and where
/// `flows::send` puts one delivery gave up on. Its consumer keeps them for the operator.
/// `wrangler.toml` names it too (a test checks that they agree).
pub const DEAD_LETTER_QUEUE: &str = "pwreset-dead-letters";

/// The most messages one batch holds (`max_batch_size` in `wrangler.toml`; the memory platform's
/// batches are no larger).
pub const MAX_BATCH_SIZE: usize = 10;

/// How many groups of a batch run at once: a Worker invocation keeps at most six connections
/// open, and each group holds one (a provider call, storage, a queue send) at a time.
pub const CONCURRENT_GROUPS: usize = 5;

/// How long a job whose platform call failed waits before the queue offers it again.
pub const JOB_RETRY_DELAY_SECS: u32 = 10;

/// What the platform does with one message of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Done with it (or nothing can ever be done with it): acknowledge it.
    Ack,
    /// Offer it again after this many seconds (after the queue's `max_retries` the work queue
    /// hands it to the dead-letter queue).
    Retry {
        /// Seconds; 0 for at once.
        delay_seconds: u32,
    },
}

/// A queue message with its job (`None` when its body is not one).
pub type QueuedJob<M> = (M, Option<Job>);

/// A batch's messages in groups that keep their order: messages whose jobs share an
/// [`Job::order_key`] (two requests naming one identifier, copies of one message) go into one
/// group, in the order they came, to run one after another; the groups may run side by side (at
/// most [`CONCURRENT_GROUPS`] at once), so a provider that hangs delays only its own group. A
/// message whose body is no job (`None`) is a group of its own.
pub fn in_order_groups<M>(
    messages: impl IntoIterator<Item = QueuedJob<M>>,
) -> Vec<Vec<QueuedJob<M>>> {
    let mut groups: Vec<(Option<String>, Vec<QueuedJob<M>>)> = Vec::new();
    for (message, job) in messages {
        let key = job.as_ref().map(Job::order_key);
        match groups.iter_mut().find(|(k, _)| k.is_some() && *k == key) {
            Some((_, group)) => group.push((message, job)),
            None => groups.push((key, vec![(message, job)])),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// Consumes one batch of queue `queue_name` (the work queue, or [`DEAD_LETTER_QUEUE`]): reads
/// each body as a [`Job`], groups them ([`in_order_groups`]), runs the groups
/// [`CONCURRENT_GROUPS`] at a time and each group's jobs one after another. Returns one decision
/// per body, in the order of `bodies`. A body that is no job is logged and acknowledged (offering
/// it again could not make it readable); a job whose platform call failed is retried after
/// [`JOB_RETRY_DELAY_SECS`]. `cfg` is `None` while the configuration is invalid: then every job of
/// the work queue is retried, and the dead-letter queue still keeps its letters.
pub async fn consume_batch(
    p: &impl Platform,
    cfg: Option<&ServiceConfig>,
    queue_name: &str,
    bodies: Vec<serde_json::Value>,
) -> Vec<Decision> {
    let dead_letters = queue_name == DEAD_LETTER_QUEUE;
    let count = bodies.len();
    let jobs = bodies
        .into_iter()
        .enumerate()
        .map(|(index, body)| (index, serde_json::from_value::<Job>(body).ok()));
    let groups = in_order_groups(jobs).into_iter().map(|group| async move {
        let mut decided = Vec::with_capacity(group.len());
        for (index, job) in group {
            decided.push((index, consume_one(p, cfg, dead_letters, job).await));
        }
        decided
    });
    let mut decisions = vec![Decision::Ack; count];
    for (index, decision) in at_most(CONCURRENT_GROUPS, groups.collect())
        .await
        .into_iter()
        .flatten()
    {
        decisions[index] = decision;
    }
    decisions
}

/// Decides a whole batch whose messages the platform could not read at all: logged, and offered
/// again at once (each message then comes back on its own, after the queue's retries to the
/// dead-letter queue).
pub fn unreadable_batch(p: &impl Platform, reason: &str) -> Decision {
    p.log(&audit::line(
        "queue_batch_unreadable",
        p.now(),
        json!({ "reason": reason }),
    ));
    Decision::Retry { delay_seconds: 0 }
}

/// Runs one message of a batch.
async fn consume_one(
    p: &impl Platform,
    cfg: Option<&ServiceConfig>,
    dead_letters: bool,
    job: Option<Job>,
) -> Decision {
    let Some(job) = job else {
        p.log(&audit::line("queue_message_unreadable", p.now(), json!({})));
        return Decision::Ack;
    };
    let outcome = match (dead_letters, cfg) {
        (true, cfg) => run_dead_letter(p, cfg, job).await,
        (false, Some(cfg)) => run_job(p, cfg, job).await,
        (false, None) => JobOutcome::Retry,
    };
    match outcome {
        JobOutcome::Done => Decision::Ack,
        // A platform call failed: try again in a while, not at once.
        JobOutcome::Retry => Decision::Retry {
            delay_seconds: JOB_RETRY_DELAY_SECS,
        },
    }
}

/// Runs `tasks` with at most `limit` of them in flight at once, starting each as soon as one
/// before it finishes; their outputs, in the order of `tasks`.
async fn at_most<F: Future>(limit: usize, tasks: Vec<F>) -> Vec<F::Output> {
    futures_util::stream::iter(tasks)
        .buffered(limit.max(1))
        .collect()
        .await
}

/// Runs one message of the work queue.
pub async fn run_job(p: &impl Platform, cfg: &ServiceConfig, job: Job) -> JobOutcome {
    let result = match job {
        Job::ResetRequested(request) => run_reset_request(p, cfg, &request).await,
        Job::Deliver(message) => send(p, cfg, message).await,
        Job::Event(event) => events::send(p, cfg, event).await,
        // Only the dead-letter queue's consumer has work for them; here they are passed on.
        job @ (Job::GaveUp { .. } | Job::EventGaveUp { .. }) => p.dead_letter(&job).await,
    };
    match result {
        Ok(()) => JobOutcome::Done,
        Err(e) => {
            p.log(&audit::line(
                "job_failed",
                p.now(),
                json!({ "reason": e.0 }),
            ));
            JobOutcome::Retry
        }
    }
}

/// Runs one message of the dead-letter queue: keeps it visible to the operator and logs it
/// (`flows::dead_letter`; an event is only logged, `flows::events::dead_letter`). `cfg` is `None`
/// while the configuration is invalid: letters are kept all the same, and no event is queued.
pub async fn run_dead_letter(
    p: &impl Platform,
    cfg: Option<&ServiceConfig>,
    job: Job,
) -> JobOutcome {
    match job {
        Job::GaveUp { message, reason } => dead_letter::message(p, cfg, &message, &reason).await,
        Job::Deliver(message) => {
            dead_letter::message(p, cfg, &message, dead_letter::QUEUE_GAVE_UP).await;
        }
        Job::ResetRequested(request) => {
            let keyring = cfg.map(|cfg| &cfg.keyring);
            dead_letter::reset_request(p, keyring, &request).await;
        }
        Job::EventGaveUp { event, reason } => events::dead_letter(p, &event, &reason),
        Job::Event(event) => events::dead_letter(p, &event, dead_letter::QUEUE_GAVE_UP),
    }
    JobOutcome::Done
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::task::Poll;

    use super::*;
    use crate::model::job::{ResetRequest, ResetVia};

    fn request(identifier: &str) -> Option<Job> {
        Some(Job::ResetRequested(ResetRequest {
            id: identifier.into(),
            via: ResetVia::EmailCode,
            identifier: identifier.into(),
            requested_at: 0,
            locale: Default::default(),
            ip_tag: None,
            return_url: None,
        }))
    }

    #[test]
    fn a_batch_is_grouped_by_order_key_keeping_the_order_within_each_group() {
        let batch = vec![
            (1, request("jane")),
            (2, request("john")),
            (3, None),
            (4, request("jane")),
            (5, None),
            (6, request("john")),
        ];
        let groups: Vec<Vec<i32>> = in_order_groups(batch)
            .into_iter()
            .map(|g| g.into_iter().map(|(m, _)| m).collect())
            .collect();
        assert_eq!(groups, [vec![1, 4], vec![2, 6], vec![3], vec![5]]);
    }

    /// Pending once (asking to be polled again), then ready.
    fn yield_once() -> impl Future<Output = ()> {
        let mut yielded = false;
        std::future::poll_fn(move |cx| {
            if yielded {
                Poll::Ready(())
            } else {
                yielded = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
    }

    #[test]
    fn at_most_runs_that_many_tasks_at_once_and_keeps_their_order() {
        let (running, most) = (Cell::new(0), Cell::new(0));
        let tasks: Vec<_> = (0..12)
            .map(|i| {
                let (running, most) = (&running, &most);
                async move {
                    running.set(running.get() + 1);
                    most.set(most.get().max(running.get()));
                    for _ in 0..(i % 3) + 1 {
                        yield_once().await;
                    }
                    running.set(running.get() - 1);
                    i * 10
                }
            })
            .collect();
        let outputs = futures_executor::block_on(at_most(CONCURRENT_GROUPS, tasks));
        assert_eq!(outputs, (0..12).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(most.get(), CONCURRENT_GROUPS);
        assert_eq!(running.get(), 0);
        let none: Vec<std::future::Ready<u8>> = Vec::new();
        assert!(futures_executor::block_on(at_most(CONCURRENT_GROUPS, none)).is_empty());
    }

    #[test]
    fn the_queue_names_and_batch_size_are_wrangler_tomls() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wrangler.toml");
        let toml = std::fs::read_to_string(path).expect("wrangler.toml");
        let value = |line: &str, key: &str| {
            let (name, value) = line.split_once('=')?;
            (name.trim() == key).then(|| value.trim().trim_matches('"').to_owned())
        };
        let all =
            |key: &str| -> Vec<String> { toml.lines().filter_map(|l| value(l, key)).collect() };
        // Each environment's work queue hands what it gives up on to the dead-letter queue, and
        // that queue has a consumer (this one).
        let dead_letter_queues = all("dead_letter_queue");
        assert_eq!(dead_letter_queues.len(), 2, "the top level and production");
        assert!(dead_letter_queues.iter().all(|q| q == DEAD_LETTER_QUEUE));
        let queues = all("queue");
        assert!(queues.iter().filter(|q| *q == DEAD_LETTER_QUEUE).count() >= 4);
        assert!(queues.iter().filter(|q| *q == JOBS_QUEUE).count() >= 4);
        assert!(
            queues
                .iter()
                .all(|q| q == DEAD_LETTER_QUEUE || q == JOBS_QUEUE)
        );
        let batch_sizes = all("max_batch_size");
        assert!(!batch_sizes.is_empty());
        assert!(batch_sizes.iter().all(|n| *n == MAX_BATCH_SIZE.to_string()));
    }
}

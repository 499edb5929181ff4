//! Layer 5, the queue's consumer: each message names a job, and each job is a flow
//! (`flows::reset_request`, `flows::send`) or a dead letter to keep. The
//! consumer only dispatches.

use pwreset_core::secrets::Keyring;
use serde_json::json;

use crate::config::ServiceConfig;
use crate::delivery::{self, Channel};
use crate::flows::reset_request::run_reset_request;
use crate::flows::send::send;
use crate::model::audit;
use crate::model::job::{Job, JobOutcome, ResetVia};
use crate::ports::Platform;

/// How many groups of a batch run at once: a Worker invocation keeps at most six connections
/// open, and each group holds one (a provider call, storage, a queue send) at a time.
pub const CONCURRENT_GROUPS: usize = 5;

/// How long a job whose platform call failed waits before the queue offers it again.
pub const JOB_RETRY_DELAY_SECS: u32 = 10;

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

/// Runs one queue message.
pub async fn run_job(p: &impl Platform, cfg: &ServiceConfig, job: Job) -> JobOutcome {
    let result = match job {
        Job::ResetRequested(request) => run_reset_request(p, cfg, &request).await,
        Job::Deliver(message) => send(p, cfg, message).await,
        // Only the dead-letter queue's consumer has work for it; here it is passed on.
        job @ Job::GaveUp { .. } => p.dead_letter(&job).await,
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

/// Runs one message of the dead-letter queue: keeps it visible to the operator and logs it.
pub async fn run_dead_letter(p: &impl Platform, keyring: Option<&Keyring>, job: Job) -> JobOutcome {
    let now = p.now();
    // Stored or not, the line is printed: when the store failed it is the only record.
    let (Ok(line) | Err(line)) = match job {
        Job::GaveUp { message, reason } => {
            delivery::dead_letter(p, &message, &reason, now.as_secs()).await
        }
        Job::Deliver(message) => {
            let reason = "the queue gave up on it after repeated failures";
            delivery::dead_letter(p, &message, reason, now.as_secs()).await
        }
        Job::ResetRequested(request) => {
            let letter = delivery::DeadLetter {
                message_id: request.id.clone(),
                channel: match request.via {
                    ResetVia::SmsCode => Channel::Sms,
                    _ => Channel::Email,
                },
                // The name as typed may match no account: its keyed tag (the one in the request's
                // log lines), never even a masked part of it.
                to: match keyring {
                    Some(keyring) => format!("identifier {}", keyring.identifier_tag(&request.identifier)),
                    None => "identifier withheld".to_owned(),
                },
                reason: "the reset request could not be processed (the queue gave up after repeated failures)".to_owned(),
                attempts: 0,
                failed_at: now.as_secs(),
            };
            let stored = p.put_dead_letter(&letter).await.is_ok();
            let line = audit::line(
                "reset_request_dead_letter",
                now,
                json!({ "id": request.id, "via": request.via, "to": letter.to, "stored": stored }),
            );
            if stored { Ok(line) } else { Err(line) }
        }
    };
    p.log(&line);
    JobOutcome::Done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::job::ResetRequest;

    fn request(identifier: &str) -> Option<Job> {
        Some(Job::ResetRequested(ResetRequest {
            id: identifier.into(),
            via: ResetVia::EmailCode,
            identifier: identifier.into(),
            requested_at: 0,
            locale: Default::default(),
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
}

//! Layer 5, the queue's consumer: each message names a job, and each job is a flow
//! ([`crate::flows::reset_request`], [`crate::flows::send`]) or a dead letter to keep. The
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

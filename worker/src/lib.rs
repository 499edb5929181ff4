//! The edge Worker: entry points only. Each event builds the platform over this request's bindings
//! ([`edge::EdgePlatform`]) and hands the work to the reset service; routes, rules and texts all
//! live in `pwreset-service`.

mod convert;
mod edge;
mod http_client;
mod kv;
mod objects;

use std::rc::Rc;

use futures_util::StreamExt;
use pwreset_service::{Job, JobOutcome, Service, queue};
use worker::{Context, Env, Message, MessageBatch, MessageExt, QueueRetryOptionsBuilder, event};

pub use objects::{AccountGuardObject, GlobalCodesObject};

/// The queue whose messages failed for good.
const DEAD_LETTER_QUEUE: &str = "pwreset-dead-letters";

thread_local! {
    /// The service, configured once per isolate from the environment.
    static SERVICE: std::cell::OnceCell<Rc<Service>> = const { std::cell::OnceCell::new() };
}

/// The service for this isolate; its configuration is read (and checked) on first use.
fn service(env: &Env) -> Rc<Service> {
    SERVICE.with(|cell| {
        cell.get_or_init(|| {
            let service = Service::from_vars(&|name| edge::env_string(env, name));
            if let Err(problems) = service.config() {
                worker::console_error!(
                    "{}",
                    serde_json::json!({ "event": "configuration_invalid", "problems": problems.0 })
                );
            }
            Rc::new(service)
        })
        .clone()
    })
}

/// Builds zxcvbn's dictionaries once per isolate, before any request needs them.
#[event(start)]
fn start() {
    #[cfg(feature = "strength")]
    pwreset_core::warm_up();
}

/// Every HTTP request.
#[event(fetch)]
async fn fetch(
    mut req: worker::Request,
    env: Env,
    _ctx: Context,
) -> worker::Result<worker::Response> {
    let service = service(&env);
    let platform = edge::EdgePlatform::new(env);
    let response = match convert::read_request(&mut req).await {
        Ok(request) => service.handle(&platform, request).await,
        Err(refusal) => refusal,
    };
    convert::write_response(response)
}

/// Both queues: the work queue and its dead-letter queue. Never returns an error: each message is
/// acknowledged or retried on its own, so one bad message cannot redeliver a whole batch.
#[event(queue)]
async fn queue(
    batch: MessageBatch<serde_json::Value>,
    env: Env,
    _ctx: Context,
) -> worker::Result<()> {
    let service = service(&env);
    let platform = edge::EdgePlatform::new(env);
    let dead_letters = batch.queue() == DEAD_LETTER_QUEUE;
    let messages = match batch.messages() {
        Ok(messages) => messages,
        Err(e) => {
            worker::console_error!(
                "{}",
                serde_json::json!({ "event": "queue_batch_unreadable", "reason": e.to_string() })
            );
            batch.retry_all();
            return Ok(());
        }
    };
    let jobs = messages.into_iter().map(|message| {
        let job = serde_json::from_value::<Job>(message.body().clone()).ok();
        (message, job)
    });
    let groups = queue::in_order_groups(jobs);
    let (service, platform) = (&service, &platform);
    futures_util::stream::iter(groups)
        .for_each_concurrent(queue::CONCURRENT_GROUPS, |group| async move {
            for (message, job) in group {
                run_message(service, platform, dead_letters, message, job).await;
            }
        })
        .await;
    Ok(())
}

/// Runs one queue message and acknowledges it, or asks for it again later.
async fn run_message(
    service: &Service,
    platform: &edge::EdgePlatform,
    dead_letters: bool,
    message: Message<serde_json::Value>,
    job: Option<Job>,
) {
    let Some(job) = job else {
        worker::console_error!(
            "{}",
            serde_json::json!({ "event": "queue_message_unreadable" })
        );
        message.ack();
        return;
    };
    let outcome = if dead_letters {
        service.run_dead_letter(platform, job).await
    } else {
        service.run_job(platform, job).await
    };
    match outcome {
        JobOutcome::Done => message.ack(),
        // A platform call failed: try again in a while, not at once (after the queue's
        // max_retries the message goes to the dead-letter queue).
        JobOutcome::Retry => message.retry_with_options(
            &QueueRetryOptionsBuilder::new()
                .with_delay_seconds(queue::JOB_RETRY_DELAY_SECS)
                .build(),
        ),
    }
}

//! The edge Worker: entry points only. Each event builds the platform over this request's bindings
//! ([`edge::EdgePlatform`]) and hands the work to the reset service; routes, rules and texts all
//! live in `pwreset-service`. What is left here translates workers-rs' types to the service's
//! values and the service's answers and decisions back.

mod clock;
mod convert;
mod edge;
mod http_client;
mod kv;
mod objects;

use std::rc::Rc;

use pwreset_service::Service;
use pwreset_service::queue::{self, Decision};
use worker::{Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, event};

pub use objects::{AccountGuardObject, GlobalCodesObject};

thread_local! {
    /// The service, configured once per isolate from the environment.
    static SERVICE: std::cell::OnceCell<Rc<Service>> = const { std::cell::OnceCell::new() };
}

/// The service for this isolate; its configuration is read (and checked) on first use, and what
/// is wrong with it logged then (and on each request, by the service).
fn service(platform: &edge::EdgePlatform) -> Rc<Service> {
    SERVICE.with(|cell| {
        cell.get_or_init(|| {
            let service = Service::from_vars(&|name| edge::env_string(&platform.env, name));
            if let Some(line) = service.config_problem_line(platform) {
                worker::console_error!("{line}");
            }
            service.warm_up();
            Rc::new(service)
        })
        .clone()
    })
}

/// Every HTTP request.
#[event(fetch)]
async fn fetch(
    mut req: worker::Request,
    env: Env,
    _ctx: Context,
) -> worker::Result<worker::Response> {
    let platform = edge::EdgePlatform::new(env);
    let service = service(&platform);
    let wire = convert::read_request(&mut req).await;
    convert::write_response(service.handle_wire(&platform, wire).await)
}

/// Both queues: the work queue and its dead-letter queue. Never returns an error: the service
/// decides each message on its own (acknowledge, or retry after a delay), so one bad message
/// cannot redeliver a whole batch.
#[event(queue)]
async fn queue(
    batch: MessageBatch<serde_json::Value>,
    env: Env,
    _ctx: Context,
) -> worker::Result<()> {
    let platform = edge::EdgePlatform::new(env);
    let service = service(&platform);
    let messages = match batch.messages() {
        Ok(messages) => messages,
        Err(e) => {
            let decision = queue::unreadable_batch(&platform, &e.to_string());
            match decision {
                Decision::Ack => batch.ack_all(),
                Decision::Retry { delay_seconds } => {
                    batch.retry_all_with_options(&retry_options(delay_seconds))
                }
            }
            return Ok(());
        }
    };
    let bodies = messages.iter().map(|m| m.body().clone()).collect();
    let decisions = service
        .consume_batch(&platform, &batch.queue(), bodies)
        .await;
    for (message, decision) in messages.iter().zip(decisions) {
        match decision {
            Decision::Ack => message.ack(),
            Decision::Retry { delay_seconds } => {
                message.retry_with_options(&retry_options(delay_seconds))
            }
        }
    }
    Ok(())
}

fn retry_options(delay_seconds: u32) -> worker::QueueRetryOptions {
    QueueRetryOptionsBuilder::new()
        .with_delay_seconds(delay_seconds)
        .build()
}

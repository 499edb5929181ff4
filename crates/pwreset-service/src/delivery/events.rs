//! The application's events on their way out: the signed request, and one attempt at sending it
//! with the same outcomes, backoff and attempts as a message ([`super::deliver`]).

use super::consumer::{Delivery, send_once, sent_before, settle};
use super::standard_webhooks;
use crate::config::events::EventsConfig;
use crate::model::event::Event;
use crate::model::outbound::OutboundRequest;
use crate::ports::{DeliveryStore, HttpFetch};

/// The request that posts `event` to `EVENTS_URL`, signed at `now_secs`: the body
/// `{"type","timestamp","data"}` and the Standard Webhooks headers, `webhook-id` being the
/// event's id.
pub fn event_request(target: &EventsConfig, event: &Event, now_secs: u64) -> OutboundRequest {
    let body = event.body();
    let headers = standard_webhooks::headers(&target.key, &event.id, now_secs, &body);
    OutboundRequest::post(target.url.clone(), headers, body)
}

/// Posts `event` once: skipped when an earlier attempt delivered it; else sent and the answer
/// classified as a provider's (2xx delivered; 5xx, 429, 408, 409 and transport failures retried
/// with backoff until the [`super::MAX_ATTEMPTS`]th attempt gives up; any other status gives up
/// at once).
pub async fn deliver_event(
    target: &EventsConfig,
    event: &Event,
    http: &impl HttpFetch,
    store: &impl DeliveryStore,
    now_secs: u64,
) -> Delivery {
    if let Some(done) = sent_before(store, &event.id, event.attempt).await {
        return done;
    }
    let request = event_request(target, event, now_secs);
    let outcome = send_once(http, &request, now_secs).await;
    settle(store, &event.id, event.attempt, outcome).await
}

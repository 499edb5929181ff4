//! Developer routes, on only while an outbox provider is: `GET /dev/outbox?to=ADDRESS` lists the
//! messages "sent" there, newest first ([`OutboxMessage`]s; errors in the plain shape,
//! [`PlainError`](super::shapes::plain::PlainError)).

use super::shapes::plain::OutboxMessage;
use crate::config::ServiceConfig;
use crate::delivery::DeliveryStore;
use crate::model::account::{normalize_email, normalize_phone};
use crate::model::http::{Request, Response};
use crate::ports::{LimitRule, RateLimits};

/// `GET /dev/outbox?to=ADDRESS`.
pub async fn outbox(
    store: &(impl DeliveryStore + RateLimits),
    cfg: &ServiceConfig,
    req: &Request,
) -> Response {
    if !cfg.delivery.is_outbox_on() {
        return super::admin::admin_error(404, "not_found", "The outbox is off.", None);
    }
    match store.allow(LimitRule::AdminPerIp, &req.client_ip).await {
        Ok(true) => {}
        Ok(false) => {
            return super::admin::admin_error(429, "rate_limited", "Too many requests.", None)
                .with_header(
                    "retry-after",
                    LimitRule::AdminPerIp.period_seconds().to_string(),
                );
        }
        Err(_) => {
            return super::admin::admin_error(
                503,
                "service_unavailable",
                "Try again shortly.",
                None,
            );
        }
    }
    let Some(to) = req.query_param("to").filter(|t| !t.trim().is_empty()) else {
        return super::admin::admin_error(
            400,
            "field_required",
            "The query parameter \"to\" is required.",
            Some("to"),
        );
    };
    let address = normalize_email(&to)
        .or_else(|| normalize_phone(&to))
        .unwrap_or_else(|| to.trim().to_owned());
    match store.outbox_list(&address).await {
        Ok(messages) => Response::json(
            200,
            &messages.iter().map(OutboxMessage::of).collect::<Vec<_>>(),
        ),
        Err(_) => super::admin::admin_error(
            503,
            "service_unavailable",
            "The outbox could not be read.",
            None,
        ),
    }
}

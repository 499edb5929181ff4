//! Asking for a reset: limits, then one enqueue. No lookup happens here, so a request for an
//! unknown account costs exactly what one for a known account costs.

use pwreset_core::secrets::random_bytes;

use super::{FlowError, FlowResult};
use crate::config::ServiceConfig;
use crate::delivery::Locale;
use crate::model::audit;
use crate::model::job::{Job, ResetRequest, ResetVia};
use crate::model::tags::IdentifierTag;
use crate::ports::{LimitRule, Platform, PlatformError};

/// Checks the limits for `identifier` (already normalised; counted under its keyed tag) and
/// enqueues the request; `return_url` (dialect B's verified `Origin`, for its links) goes along.
pub async fn request_reset(
    p: &impl Platform,
    cfg: &ServiceConfig,
    via: ResetVia,
    identifier: String,
    client_ip: &str,
    locale: Locale,
    return_url: Option<String>,
) -> FlowResult<()> {
    request_limits(p, cfg, &identifier, client_ip).await?;
    enqueue_request(p, cfg, via, identifier, locale, client_ip, return_url).await
}

/// Counts a reset request against the per-IP and per-identifier limits. Whatever a route does
/// with a request (even look the account up, as dialect C's reveal switch does) comes after.
pub async fn request_limits(
    p: &impl Platform,
    cfg: &ServiceConfig,
    identifier: &str,
    client_ip: &str,
) -> FlowResult<()> {
    limit(p, LimitRule::RequestPerIp, client_ip).await?;
    let tag = IdentifierTag::of(&cfg.keyring, identifier);
    limit(p, LimitRule::RequestPerIdentifier, tag.as_str()).await
}

/// Queues the request for the consumer, which finds the account and sends the secret. The
/// client's address goes along only as its keyed tag, for the application's events; `return_url`
/// as given (see [`ResetRequest::return_url`]).
pub async fn enqueue_request(
    p: &impl Platform,
    cfg: &ServiceConfig,
    via: ResetVia,
    identifier: String,
    locale: Locale,
    client_ip: &str,
    return_url: Option<String>,
) -> FlowResult<()> {
    let id_bytes: [u8; 8] = random_bytes().map_err(|e| PlatformError(e.to_string()))?;
    let request = ResetRequest {
        id: base16ct::lower::encode_string(&id_bytes),
        via,
        identifier,
        requested_at: p.now().as_secs(),
        locale,
        ip_tag: cfg
            .events
            .is_some()
            .then(|| super::events::ip_tag(cfg, client_ip)),
        return_url,
    };
    p.enqueue(&Job::ResetRequested(request), 0).await?;
    Ok(())
}

/// Counts one event under `rule` for `key`; [`FlowError::RateLimited`] when over.
pub async fn limit(p: &impl Platform, rule: LimitRule, key: &str) -> FlowResult<()> {
    if p.allow(rule, key).await? {
        Ok(())
    } else {
        p.log(&audit::line(
            "rate_limited",
            p.now(),
            serde_json::json!({ "rule": rule.name() }),
        ));
        Err(FlowError::RateLimited {
            retry_after: rule.period_seconds(),
        })
    }
}

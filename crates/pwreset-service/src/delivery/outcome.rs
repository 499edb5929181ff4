//! What a provider's answer means: delivered, worth another try (and when), or refused for good.

use crate::model::outbound::TransportError;

/// How many delivery attempts a message gets in all before it is dead-lettered.
pub const MAX_ATTEMPTS: u32 = 5;
/// The delay before the second attempt, in seconds; it doubles after each failure.
pub const BASE_DELAY_SECONDS: u64 = 2;
/// The longest delay before a retry, in seconds, whatever the provider asks.
pub const MAX_DELAY_SECONDS: u64 = 300;

/// Why a delivery is worth trying again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// The provider failed (5xx).
    ServerError {
        /// The status.
        status: u16,
    },
    /// The provider is rate-limiting us (429).
    RateLimited,
    /// The provider gave up waiting for our request (408).
    RequestTimeout,
    /// The provider is still busy with an earlier request for the same message (409, Resend's
    /// `concurrent_idempotent_requests`).
    InProgress,
    /// No answer in time: the provider may have accepted the message all the same.
    Timeout,
    /// The connection failed or closed before an answer.
    Connection,
    /// Some other transport failure, e.g. an unreadable answer.
    Transport(String),
    /// The delivery store could not be read or written.
    Store(String),
}

impl RetryReason {
    /// Whether the provider may have accepted the message although we saw no answer: a retry
    /// then delivers twice unless the provider dedupes (see `Provider::dedupes_retries`).
    pub fn may_hide_acceptance(&self) -> bool {
        matches!(
            self,
            RetryReason::Timeout | RetryReason::Connection | RetryReason::Transport(_)
        )
    }
}

impl std::fmt::Display for RetryReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RetryReason::ServerError { status } => write!(f, "provider error (status {status})"),
            RetryReason::RateLimited => f.write_str("rate limited by the provider (status 429)"),
            RetryReason::RequestTimeout => {
                f.write_str("provider timed out the request (status 408)")
            }
            RetryReason::InProgress => {
                f.write_str("an earlier request for this message is in progress (status 409)")
            }
            RetryReason::Timeout => f.write_str("retry after timeout"),
            RetryReason::Connection => f.write_str("connection failed or closed"),
            RetryReason::Transport(what) => write!(f, "transport error: {what}"),
            RetryReason::Store(what) => write!(f, "delivery store unavailable: {what}"),
        }
    }
}

/// What one attempt came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// The provider accepted the message (2xx).
    Delivered,
    /// Try again, no sooner than `after_seconds` when the provider said so.
    Retry {
        /// The provider's `Retry-After`, capped at [`MAX_DELAY_SECONDS`].
        after_seconds: Option<u64>,
        /// Why.
        reason: RetryReason,
    },
    /// Refused for good (other 4xx, 3xx): retrying cannot help; dead-letter it now.
    Rejected {
        /// Why, without the provider's answer text.
        reason: String,
    },
}

/// Classifies an answer: 2xx delivered; 5xx, 429, 408 and 409 retried (honouring
/// `Retry-After`, seconds or an HTTP date read against `now_secs`); anything else rejected.
pub fn classify(status: u16, retry_after: Option<&str>, now_secs: u64) -> SendOutcome {
    let retry = |reason| SendOutcome::Retry {
        after_seconds: retry_after.and_then(|value| parse_retry_after(value, now_secs)),
        reason,
    };
    match status {
        200..=299 => SendOutcome::Delivered,
        500..=599 => retry(RetryReason::ServerError { status }),
        429 => retry(RetryReason::RateLimited),
        408 => retry(RetryReason::RequestTimeout),
        409 => retry(RetryReason::InProgress),
        _ => SendOutcome::Rejected {
            reason: format!(
                "provider refused the message (status {status}{})",
                hint(status)
            ),
        },
    }
}

/// Classifies a failure to get any answer: always worth a retry.
pub fn classify_transport(error: &TransportError) -> SendOutcome {
    let reason = match error {
        TransportError::Timeout => RetryReason::Timeout,
        TransportError::Connection => RetryReason::Connection,
        TransportError::Other(what) => RetryReason::Transport(what.clone()),
    };
    SendOutcome::Retry {
        after_seconds: None,
        reason,
    }
}

/// Reads `Retry-After`: delay seconds, or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`) as
/// seconds from `now_secs` (0 when past). Capped at [`MAX_DELAY_SECONDS`]; `None` when unreadable.
pub fn parse_retry_after(value: &str, now_secs: u64) -> Option<u64> {
    let value = value.trim();
    let seconds = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits: too many of them only means "a long time".
        value.parse::<u64>().unwrap_or(u64::MAX)
    } else {
        let date = httpdate::parse_http_date(value).ok()?;
        let at = date.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
        at.saturating_sub(now_secs)
    };
    Some(seconds.min(MAX_DELAY_SECONDS))
}

/// The delay before the attempt after failed attempt `attempt` (0-based): 2, 4, 8, 16 … seconds,
/// capped at [`MAX_DELAY_SECONDS`].
pub fn backoff_seconds(attempt: u32) -> u64 {
    let factor = 1u64.checked_shl(attempt).unwrap_or(u64::MAX);
    BASE_DELAY_SECONDS
        .saturating_mul(factor)
        .min(MAX_DELAY_SECONDS)
}

/// The delay before the next attempt: the backoff, or the provider's `Retry-After` when longer,
/// capped at [`MAX_DELAY_SECONDS`].
pub fn retry_delay(attempt: u32, retry_after: Option<u64>) -> u64 {
    backoff_seconds(attempt)
        .max(retry_after.unwrap_or(0))
        .min(MAX_DELAY_SECONDS)
}

/// A few words on what a refusal usually means.
fn hint(status: u16) -> &'static str {
    match status {
        400 | 422 => ": the request was invalid",
        401 | 403 => ": the credentials were refused",
        404 => ": not found, check the base URL",
        413 => ": the message was too large",
        300..=399 => ": redirected, check the base URL",
        _ => "",
    }
}

//! Breached passwords: the Pwned Passwords range API, by k-anonymity. Only the first five hex
//! digits of the password's SHA-1 leave; the answer lists every known suffix under that prefix
//! (padded with zero-count decoys, `Add-Padding: true`, so its size tells nothing), and the match
//! happens here. Answers are cached per prefix.

use serde_json::json;
use sha1::{Digest, Sha1};

pub use crate::config::breached::{BreachedCheck, BreachedConfig};
use crate::model::audit;
use crate::model::outbound::{LOOKUP_TIME_LIMIT, OutboundRequest, USER_AGENT};
use crate::ports::{Clock, HttpFetch, Logger, PlatformError, PlatformResult, RangeCache};

/// The password's SHA-1 as 40 uppercase hex digits, split into the 5-digit prefix that is sent and
/// the 35-digit suffix that is not.
pub fn split_hash(password: &str) -> (String, String) {
    let digest = Sha1::digest(password.as_bytes());
    let hex = base16ct::upper::encode_string(&digest);
    let (prefix, suffix) = hex.split_at(5);
    (prefix.to_owned(), suffix.to_owned())
}

/// `GET {base}/range/{prefix}` with padding asked for.
pub fn range_request(base_url: &str, prefix: &str) -> OutboundRequest {
    OutboundRequest {
        method: "GET".to_owned(),
        url: format!("{base_url}/range/{prefix}"),
        headers: vec![
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
            ("Add-Padding".to_owned(), "true".to_owned()),
        ],
        body: String::new(),
        time_limit: LOOKUP_TIME_LIMIT,
    }
}

/// Whether a range answer lists `suffix` with a count above zero (padding entries count 0).
pub fn range_lists(body: &str, suffix: &str) -> bool {
    body.lines().any(|line| {
        let (listed, count) = line.trim().split_once(':').unwrap_or((line.trim(), "0"));
        listed.eq_ignore_ascii_case(suffix) && count.trim().parse::<u64>().is_ok_and(|n| n > 0)
    })
}

/// `Ok(true)` when the password is in the corpus; `Err` when the check could not be made and the
/// mode is fail-closed (fail-open logs and answers `Ok(false)`).
pub async fn is_breached(
    p: &(impl HttpFetch + RangeCache + Logger + Clock),
    cfg: &BreachedConfig,
    password: &str,
) -> PlatformResult<bool> {
    if cfg.mode == BreachedCheck::Off {
        return Ok(false);
    }
    let (prefix, suffix) = split_hash(password);
    match range(p, cfg, &prefix).await {
        Ok(body) => Ok(range_lists(&body, &suffix)),
        Err(e) if cfg.mode == BreachedCheck::FailOpen => {
            p.log(&audit::line(
                "breached_check_skipped",
                p.now(),
                json!({ "reason": e.0 }),
            ));
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

async fn range(
    p: &(impl HttpFetch + RangeCache),
    cfg: &BreachedConfig,
    prefix: &str,
) -> PlatformResult<String> {
    if let Some(body) = p.range_get(prefix).await.ok().flatten() {
        return Ok(body);
    }
    let answer = p
        .fetch(&range_request(&cfg.base_url, prefix))
        .await
        .map_err(|e| PlatformError(format!("range API: {e}")))?;
    if answer.status != 200 {
        return Err(PlatformError(format!(
            "range API answered {}",
            answer.status
        )));
    }
    // A failed cache write only costs a later fetch.
    let _ = p.range_put(prefix, &answer.body).await;
    Ok(answer.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_five_digit_prefix_is_sent() {
        let (prefix, suffix) = split_hash("password");
        assert_eq!(prefix, "5BAA6");
        assert_eq!(suffix, "1E4C9B93F3F0682250B6CF8331B7EE68FD8");
        let request = range_request("http://127.0.0.1:9", &prefix);
        assert_eq!(request.url, "http://127.0.0.1:9/range/5BAA6");
        assert!(!request.url.contains(&suffix));
        assert_eq!(request.header("Add-Padding"), Some("true"));
    }

    #[test]
    fn padding_entries_do_not_count() {
        let body = "1E4C9B93F3F0682250B6CF8331B7EE68FD8:3861493\r\nAAAA0000000000000000000000000000000:0\r\n";
        assert!(range_lists(body, "1E4C9B93F3F0682250B6CF8331B7EE68FD8"));
        assert!(!range_lists(body, "AAAA0000000000000000000000000000000"));
        assert!(!range_lists(body, "BBBB0000000000000000000000000000000"));
    }
}

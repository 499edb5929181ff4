//! Layer 6, what a platform holds: the [`Service`], its checked configuration (or what is wrong
//! with it), and the two ways in: a request ([`api`](crate::api)) and a queue batch
//! ([`queue`](crate::queue)). It only chooses between them; every rule is in the layers below.

use serde_json::json;

use crate::api::edge::{self, WireRequest};
use crate::api::router;
use crate::config::{ConfigProblems, ServiceConfig};
use crate::model::audit;
use crate::model::http::{Request, Response};
use crate::ports::Platform;
use crate::queue::{self, Decision};

/// The reset service: its checked configuration (or what is wrong with it).
pub struct Service {
    config: Result<ServiceConfig, ConfigProblems>,
}

impl Service {
    /// Reads the configuration through `get`.
    pub fn from_vars(get: &dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            config: ServiceConfig::from_vars(get),
        }
    }

    /// The configuration, when it is usable.
    pub fn config(&self) -> Result<&ServiceConfig, &ConfigProblems> {
        self.config.as_ref()
    }

    /// Builds zxcvbn's dictionaries now when a configured policy needs strength estimates
    /// (`min_score`), so that the first request to check one does not pay for them; nothing
    /// otherwise, so a Worker whose policies don't ask never builds them.
    pub fn warm_up(&self) {
        #[cfg(feature = "strength")]
        if self
            .config
            .as_ref()
            .is_ok_and(ServiceConfig::needs_strength)
        {
            pwreset_core::warm_up();
        }
    }

    /// The log line that reports a bad configuration (at start and on each request).
    pub fn config_problem_line(&self, p: &impl Platform) -> Option<String> {
        self.config.as_ref().err().map(|problems| {
            audit::line(
                "configuration_invalid",
                p.now(),
                json!({ "problems": problems.0 }),
            )
        })
    }

    /// Answers one request ([`router::answer`]), with the headers every answer carries
    /// ([`edge::with_answer_headers`]). While the configuration is invalid, every request gets a
    /// bare `503` ([`router::misconfigured`]: what is wrong is the operator's business, not the
    /// caller's) and the problems go to the log.
    pub async fn handle(&self, p: &impl Platform, req: Request) -> Response {
        let answer = match &self.config {
            Ok(cfg) => router::answer(p, cfg, req).await,
            Err(_) => {
                if let Some(line) = self.config_problem_line(p) {
                    p.log(&line);
                }
                router::misconfigured()
            }
        };
        edge::with_answer_headers(answer)
    }

    /// Answers a request as the platform received it: [`Self::handle`] on the request
    /// [`edge::request`] makes of it (a `400` when its URL was unreadable).
    pub async fn handle_wire(&self, p: &impl Platform, wire: WireRequest) -> Response {
        match edge::request(wire) {
            Some(request) => self.handle(p, request).await,
            None => edge::with_answer_headers(edge::unreadable_url()),
        }
    }

    /// Consumes one batch of queue `queue_name` ([`queue::consume_batch`]): one decision per
    /// body, in their order.
    pub async fn consume_batch(
        &self,
        p: &impl Platform,
        queue_name: &str,
        bodies: Vec<serde_json::Value>,
    ) -> Vec<Decision> {
        queue::consume_batch(p, self.config().ok(), queue_name, bodies).await
    }
}

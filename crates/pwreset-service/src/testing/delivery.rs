//! The providers in memory: a scripted HTTP client, for tests.

use std::cell::RefCell;
use std::collections::VecDeque;

use crate::model::outbound::{FetchedAnswer, OutboundRequest, TransportError};
use crate::ports::HttpFetch;

/// The providers' side of [`HttpFetch`]: records every request and answers from a script, in
/// order; once the script is used up it answers `200` with an empty body.
#[derive(Default)]
pub struct FakeHttpClient {
    script: RefCell<VecDeque<Result<FetchedAnswer, TransportError>>>,
    requests: RefCell<Vec<OutboundRequest>>,
}

impl FakeHttpClient {
    /// A client that answers `200` to everything until told otherwise.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues an answer with this status, no header and no body.
    pub fn push_status(&self, status: u16) -> &Self {
        self.push(Ok(FetchedAnswer {
            status,
            ..FetchedAnswer::default()
        }))
    }

    /// Queues an answer, or a transport failure.
    pub fn push(&self, answer: Result<FetchedAnswer, TransportError>) -> &Self {
        self.script.borrow_mut().push_back(answer);
        self
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<OutboundRequest> {
        self.requests.borrow().clone()
    }

    /// How many requests were sent.
    pub fn request_count(&self) -> usize {
        self.requests.borrow().len()
    }
}

impl HttpFetch for FakeHttpClient {
    async fn fetch(&self, request: &OutboundRequest) -> Result<FetchedAnswer, TransportError> {
        self.requests.borrow_mut().push(request.clone());
        let next = self.script.borrow_mut().pop_front();
        next.unwrap_or(Ok(FetchedAnswer {
            status: 200,
            ..FetchedAnswer::default()
        }))
    }
}

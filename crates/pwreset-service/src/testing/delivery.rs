//! In-memory stand-ins for the platform: a delivery store and a scripted HTTP client, for tests.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, VecDeque};

use crate::model::message::{DeadLetter, OutgoingMessage};
use crate::model::outbound::{FetchedAnswer, OutboundRequest, TransportError};
use crate::ports::{DeliveryStore, HttpFetch, PlatformError, PlatformResult};

/// A [`DeliveryStore`] in memory. [`set_unavailable`](Self::set_unavailable) makes every call
/// fail, to test what happens when the real store is down.
#[derive(Default)]
pub struct MemoryDeliveryStore {
    outbox: RefCell<Vec<OutgoingMessage>>,
    sent: RefCell<BTreeSet<String>>,
    dead_letters: RefCell<Vec<DeadLetter>>,
    unavailable: Cell<bool>,
}

impl MemoryDeliveryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every later call fail (`true`) or work again (`false`).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.unavailable.set(unavailable);
    }

    /// The ids recorded as sent, sorted.
    pub fn sent_ids(&self) -> Vec<String> {
        self.sent.borrow().iter().cloned().collect()
    }

    /// Every message in the outbox, in the order they were put.
    pub fn outbox_all(&self) -> Vec<OutgoingMessage> {
        self.outbox.borrow().clone()
    }

    fn check(&self) -> PlatformResult<()> {
        if self.unavailable.get() {
            return Err(PlatformError("memory store set unavailable".to_owned()));
        }
        Ok(())
    }
}

impl DeliveryStore for MemoryDeliveryStore {
    async fn outbox_put(&self, msg: &OutgoingMessage) -> PlatformResult<()> {
        self.check()?;
        self.outbox.borrow_mut().push(msg.clone());
        Ok(())
    }

    /// Addresses compare case-insensitively; newest first, later puts first among equals.
    async fn outbox_list(&self, to: &str) -> PlatformResult<Vec<OutgoingMessage>> {
        self.check()?;
        let mut found: Vec<OutgoingMessage> = self
            .outbox
            .borrow()
            .iter()
            .rev()
            .filter(|msg| msg.to.eq_ignore_ascii_case(to))
            .cloned()
            .collect();
        found.sort_by_key(|msg| std::cmp::Reverse(msg.created_at));
        Ok(found)
    }

    async fn was_sent(&self, id: &str) -> PlatformResult<bool> {
        self.check()?;
        Ok(self.sent.borrow().contains(id))
    }

    async fn mark_sent(&self, id: &str) -> PlatformResult<()> {
        self.check()?;
        self.sent.borrow_mut().insert(id.to_owned());
        Ok(())
    }

    async fn put_dead_letter(&self, letter: &DeadLetter) -> PlatformResult<()> {
        self.check()?;
        self.dead_letters.borrow_mut().push(letter.clone());
        Ok(())
    }

    async fn list_dead_letters(&self) -> PlatformResult<Vec<DeadLetter>> {
        self.check()?;
        let mut letters: Vec<DeadLetter> =
            self.dead_letters.borrow().iter().rev().cloned().collect();
        letters.sort_by_key(|letter| std::cmp::Reverse(letter.failed_at));
        Ok(letters)
    }
}

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

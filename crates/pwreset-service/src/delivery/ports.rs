//! What delivery needs from a platform: an HTTP client and a small store.

use super::dead_letter::DeadLetter;
use super::message::OutgoingMessage;
use super::providers::ProviderRequest;

/// A provider's answer, as much of it as delivery reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header, if any (seconds or an HTTP date).
    pub retry_after: Option<String>,
}

/// Why no answer came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// No answer within the platform's time limit. The provider may still have accepted it.
    Timeout,
    /// The connection failed or closed before an answer.
    Connection,
    /// Anything else, e.g. an answer that could not be read; a short description, no secret.
    Other(String),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Timeout => f.write_str("timed out"),
            TransportError::Connection => f.write_str("connection failed or closed"),
            TransportError::Other(what) => write!(f, "transport error: {what}"),
        }
    }
}

/// Sends a provider request (the Worker: `Fetch` with a time limit).
pub trait HttpClient {
    /// Sends `request` and returns the answer's status and `Retry-After`.
    async fn send(&self, request: &ProviderRequest) -> Result<HttpAnswer, TransportError>;
}

/// A store that failed; the text says what, without secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "delivery store error: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// Where delivery keeps its records (the Worker: KV).
pub trait DeliveryStore {
    /// Adds a message to the dev outbox.
    async fn outbox_put(&self, msg: &OutgoingMessage) -> Result<(), StoreError>;
    /// The outbox's messages to `to`, newest first.
    async fn outbox_list(&self, to: &str) -> Result<Vec<OutgoingMessage>, StoreError>;
    /// Whether the message with this id was already delivered.
    async fn was_sent(&self, id: &str) -> Result<bool, StoreError>;
    /// Records that the message with this id was delivered.
    async fn mark_sent(&self, id: &str) -> Result<(), StoreError>;
    /// Keeps a dead letter for the operator.
    async fn put_dead_letter(&self, letter: &DeadLetter) -> Result<(), StoreError>;
    /// Every dead letter kept, newest first.
    async fn list_dead_letters(&self) -> Result<Vec<DeadLetter>, StoreError>;
}

//! Dialect adapters: each reads its requests into flow calls and renders the outcome in its own
//! status codes, JSON shape and messages (the shapes themselves are types in
//! [`shapes`](crate::api::shapes)), the messages in the requester's language (`texts`). None
//! touches storage or delivery.

pub mod auth_v1;
pub(crate) mod challenge;
pub mod reg;
mod status_shape;
pub(crate) mod texts;
pub mod user;

pub use status_shape::{body_failure, fail, flow_failure};

//! Dialect adapters: each reads its requests into flow calls and renders the outcome in its own
//! status codes, JSON shape and messages. None touches storage or delivery.

pub mod auth_v1;
pub mod body;
pub mod reg;
mod status_shape;
pub mod user;

pub use status_shape::{FailItem, fail, flow_failure};

//! Layer 0, the data: what travels between the layers above, with no behaviour that needs a
//! platform.

pub mod account;
pub(crate) mod audit;
pub(crate) mod error;
pub mod event;
pub(crate) mod guard_ops;
pub mod http;
pub mod job;
pub(crate) mod locale;
pub(crate) mod markup;
pub(crate) mod mask;
pub(crate) mod message;
pub(crate) mod outbound;
pub mod secret;
pub mod tags;

//! Layer 0, the data: what travels between the layers above, with no behaviour that needs a
//! platform.

pub mod account;
pub mod audit;
pub mod error;
pub mod guard_ops;
pub mod http;
pub mod job;
pub mod locale;
pub mod mask;
pub mod message;
pub mod outbound;

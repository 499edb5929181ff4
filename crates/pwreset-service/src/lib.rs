//! # pwreset-service
//!
//! The reset service with no platform in it, in the sans-I/O spirit: requests come in as plain
//! values, answers go out as plain values, and everything the service needs from a platform
//! (accounts, secret records, an atomic per-account guard, a delivery queue, rate limits, a clock)
//! is a small trait ([`platform`]). The edge Worker implements those traits on Cloudflare's
//! bindings; [`memory`] implements them in memory so every route is testable natively.
//!
//! Layout: [`router`] maps routes to [`dialects`] (request and answer shapes), which call the
//! shared [`flows`] (every rule once); [`guard`] holds the atomic steps, [`jobs`] the queue's
//! work, [`delivery`] the messages and provider requests, [`config`] the checked settings.

// The traits are implemented on one thread (a Worker isolate): their futures need no `Send`.
#![allow(async_fn_in_trait)]

pub mod account;
pub mod audit;
pub mod breached;
pub mod config;
pub mod delivery;
pub mod dialects;
pub mod directory;
pub mod faults;
pub mod flows;
pub mod guard;
pub mod http;
pub mod jobs;
pub mod memory;
pub mod openapi;
pub mod platform;
pub mod refusal;
pub mod reset_page;
pub mod router;

pub use http::{Method, Request, Response};
pub use jobs::{Job, JobOutcome};
pub use router::Service;

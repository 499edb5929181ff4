//! # pwreset-service
//!
//! The reset service with no platform in it, in the sans-I/O spirit: requests come in as plain
//! values, answers go out as plain values, and everything the service needs from a platform
//! (storage, an atomic guard, a queue, rate limits, a clock, outbound HTTP) is a small trait
//! ([`ports`]). The edge Worker implements those traits on Cloudflare's bindings;
//! `testing::memory` (the `testing` feature) implements them in memory so every route is testable
//! natively.
//!
//! The modules are layers, bottom up; a module imports only from its own layer or those below
//! (`tests/layers.rs` checks it, and docs/architecture.md walks through them):
//!
//! 0. [`model`]: the data: accounts, requests and answers, messages, queue jobs, guard ops, errors.
//! 1. [`ports`]: what the service needs from a platform.
//! 2. [`config`]: the checked settings.
//! 3. mechanisms: [`guard`] (the atomic steps), [`delivery`] (messages and providers),
//!    `breached` (the Pwned Passwords check), [`directory`] (the application's user service),
//!    `refusal` (how long a refusal takes), `store` (the records on a key-value store),
//!    [`turnstile`] (Cloudflare Turnstile's server-side check).
//! 4. [`flows`]: every rule once: requests, redemptions, password changes, the queue's reset work.
//! 5. entry points: [`api`] (the route table, the dialects, the reset page, admin and dev routes)
//!    and [`queue`] (the consumer).
//! 6. [`service`]: the [`Service`] a platform holds, and its two ways in.
//! 7. `testing` (only with the `testing` feature, never in the Worker): the in-memory platform and
//!    fault injection.

// The traits are implemented on one thread (a Worker isolate): their futures need no `Send`.
#![allow(async_fn_in_trait)]

pub mod model;

pub mod ports;

pub mod config;

pub(crate) mod breached;
pub mod delivery;
pub mod directory;
pub mod guard;
pub(crate) mod refusal;
pub(crate) mod store;
pub mod turnstile;

pub mod flows;

pub mod api;
pub mod queue;

pub mod service;

#[cfg(feature = "testing")]
pub mod testing;

pub use model::http::{Method, Request, Response};
pub use model::job::{Job, JobOutcome};
pub use service::Service;

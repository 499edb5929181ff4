//! The JSON the HTTP API reads and writes, as types: one request struct per route body
//! ([`request::RequestBody`]: its fields, the order they are checked in and each one's complaint),
//! and the answers of every route, error shapes included. The route handlers build these and
//! nothing else; every name, code and shape here is binding (clients and an acceptance suite read
//! them), and each struct is named after its schema in `docs/openapi.json`.
//!
//! Held to the document and the route table:
//! - `drift` (a unit test) goes through [`ROUTES`](super::router::ROUTES), route by route: the
//!   route's request struct has exactly its documented body's fields, refuses each as documented
//!   (required or not, a wrong type) and ignores others; and the route's answer structs, for each
//!   documented status, fill its schema exactly, with every optional field set and with none.
//!   Which structs a route reads and answers is an exhaustive `match` on the route, so a new route
//!   does not compile in the tests until it is described.
//! - `tests/wire_answers.rs` sends every route many requests and checks each real answer against
//!   the document, and that it is written with its keys in sorted order.
//!
//! Answer fields are declared in alphabetical order: the answers were written through `json!`
//! (a sorted map) before, and their bytes stay the same.

pub mod auth_v1;
pub mod plain;
pub mod reg;
pub mod request;
pub mod reset_check;
pub mod status;
pub mod tokens;
pub mod user;

#[cfg(test)]
mod drift;

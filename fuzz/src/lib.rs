//! What the fuzz targets share: fixed keys and times, invariant checks, and the service harness.
//!
//! Every target feeds untrusted input to one public entry point and asserts what must hold for any
//! input; a broken invariant is a panic, which libFuzzer reports as a crash.

pub mod fixtures;
pub mod service;

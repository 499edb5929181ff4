//! # pwreset-flow-cost
//!
//! A benchmark harness, not part of the product. It compiles the reset flows' benchmark cases
//! (the same source file the criterion bench `cargo bench -p pwreset-service --bench flows` runs)
//! into a wasm32 module for Node, so `benches/worker/flow-cost.mjs` can time each flow as wasm
//! and, through the `native_flows` example, natively in the same run.

#[path = "../../../crates/pwreset-service/benches/support/flow_cases.rs"]
pub mod flow_cases;

#[cfg(target_arch = "wasm32")]
mod js;

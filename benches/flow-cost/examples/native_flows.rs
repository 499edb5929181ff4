//! The flow cases natively, for the wasm harness's ratio: prints `{"case": ms per op, ...}`.
//!
//! `cargo run --release -p pwreset-flow-cost --example native_flows -- [MIN_MS] [REPEATS] [CASE...]`
//! (every case when none is named).

use std::time::Instant;

use pwreset_flow_cost::flow_cases::{Case, per_op_ms};

fn main() {
    let mut args = std::env::args().skip(1);
    let min_ms: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200.0);
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let named: Vec<String> = args.collect();
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1e3;
    let mut figures = serde_json::Map::new();
    for case in Case::ALL {
        if !named.is_empty() && !named.iter().any(|n| n == case.name()) {
            continue;
        }
        match per_op_ms(case, min_ms, repeats, &clock) {
            Ok(ms) => {
                figures.insert(case.name().to_owned(), ms.into());
            }
            Err(e) => {
                eprintln!("{}: {e}", case.name());
                std::process::exit(1);
            }
        }
    }
    println!("{}", serde_json::Value::Object(figures));
}

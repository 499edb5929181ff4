//! Flow benchmarks (`cargo bench -p pwreset-service --bench flows`).
//!
//! Each reset flow over the in-memory platform, through `Service::handle` as a platform calls it,
//! next to the baseline `hmac`: one bare HMAC-SHA256 of 64 bytes. The cases live in
//! `support/flow_cases.rs`, which the wasm harness (`benches/flow-cost`) compiles too, so the
//! native and the wasm figures time the same code. Work a case needs first (a live code, a
//! payload, a link) is done outside the timed part (`iter_custom`).

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "support/flow_cases.rs"]
mod flow_cases;

use flow_cases::{Case, measure};

fn flows(c: &mut Criterion) {
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1e3;
    let mut group = c.benchmark_group("flows");
    for case in Case::ALL.into_iter().filter(|case| !case.is_slow()) {
        group.bench_function(case.name(), |b| {
            b.iter_custom(|iterations| {
                let ms = measure(case, iterations, &clock).unwrap_or_else(|e| panic!("{e}"));
                Duration::from_secs_f64(ms / 1e3)
            })
        });
    }
    group.finish();

    // argon2id (OWASP parameters) twice per operation: verify the old hash, hash the new one.
    let mut group = c.benchmark_group("flows (argon2id)");
    group.sample_size(10);
    for case in Case::ALL.into_iter().filter(|case| case.is_slow()) {
        group.bench_function(case.name(), |b| {
            b.iter_custom(|iterations| {
                let ms = measure(case, iterations, &clock).unwrap_or_else(|e| panic!("{e}"));
                Duration::from_secs_f64(ms / 1e3)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = flows
}
criterion_main!(benches);

//! Policy benchmarks (`cargo bench -p pwreset-core --bench policy`).
//!
//! - `seed-002 check + strength`: a full check asking for a strength estimate (every seed-002 rule
//!   and zxcvbn) of 8-, 12-, 25- and 41-character passwords, against the baseline `zxcvbn alone` on
//!   the same passwords, so the ratio is what the policy adds on top of the estimate.
//! - `seed-002 check`: the same check without asking for strength (the policy has no `min_score`,
//!   so zxcvbn does not run), against the same baseline.
//! - `too long (10 KB)`: a 10 KB input, refused by the max-length rule before any analysis, against the
//!   baseline of the full 8-character check.
//! - cold start: zxcvbn builds its dictionaries on first use; `warm_up()` triggers that. It can happen
//!   once per process only, so it is timed in fresh child processes of this same binary and printed
//!   against the warm 12-character check.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use pwreset_core::{CheckInput, Policy, Preset, UserAttributes, estimate_strength, warm_up};

const PASSWORDS: [&str; 4] = [
    "jD8#qL2!",
    "Tr0ub4dour&3",
    "correct-Horse-battery-9!x",
    "The quick brown fox jumps over 13 lazy!!x",
];
const COLD_START_ENV: &str = "PWRESET_BENCH_COLD_START";
const COLD_START_RUNS: usize = 10;

fn user() -> UserAttributes {
    UserAttributes::new()
        .with("username", "jane")
        .with("last_name", "doe")
        .with("email", "jane.doe@example.com")
}

fn checks(c: &mut Criterion) {
    let policy = Policy::preset(Preset::Seed002);
    let user = user();
    let inputs = user.strength_inputs();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    warm_up();
    let mut group = c.benchmark_group("strength");
    for password in PASSWORDS {
        let length = password.chars().count();
        group.bench_with_input(
            BenchmarkId::new("seed-002 check + strength", length),
            password,
            |b, p| {
                b.iter(|| policy.check(&CheckInput::new(black_box(p)).user(&user).with_strength()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("seed-002 check", length),
            password,
            |b, p| b.iter(|| policy.check(&CheckInput::new(black_box(p)).user(&user))),
        );
        group.bench_with_input(
            BenchmarkId::new("zxcvbn alone", length),
            password,
            |b, p| b.iter(|| estimate_strength(black_box(p), &inputs)),
        );
    }
    group.finish();

    let huge = "x".repeat(10 * 1024);
    c.bench_function("too long (10 KB)", |b| {
        b.iter(|| policy.check(&CheckInput::new(black_box(&huge)).user(&user)))
    });
}

/// In a child process: time the first `warm_up()` and print nanoseconds.
fn time_cold_start() {
    let start = Instant::now();
    warm_up();
    println!("{}", start.elapsed().as_nanos());
}

fn report_cold_start() {
    let exe = std::env::current_exe().expect("the bench binary knows its path");
    let mut cold: Vec<u128> = (0..COLD_START_RUNS)
        .map(|_| {
            let output = Command::new(&exe)
                .env(COLD_START_ENV, "1")
                .output()
                .expect("child runs");
            String::from_utf8_lossy(&output.stdout)
                .trim()
                .parse()
                .expect("child prints nanoseconds")
        })
        .collect();
    cold.sort_unstable();
    let median_cold = Duration::from_nanos(cold[cold.len() / 2] as u64);

    let policy = Policy::preset(Preset::Seed002);
    let user = user();
    warm_up();
    let runs = 2_000;
    let start = Instant::now();
    for _ in 0..runs {
        black_box(
            policy.check(
                &CheckInput::new(black_box(PASSWORDS[1]))
                    .user(&user)
                    .with_strength(),
            ),
        );
    }
    let warm = start.elapsed() / runs;
    println!(
        "cold start: warm_up() median {median_cold:?} over {COLD_START_RUNS} fresh processes; \
         warm seed-002 check + strength (12 chars) {warm:?}; ratio {:.0}x",
        median_cold.as_secs_f64() / warm.as_secs_f64()
    );
}

fn main() {
    if std::env::var_os(COLD_START_ENV).is_some() {
        time_cold_start();
        return;
    }
    report_cold_start();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    checks(&mut criterion);
    criterion.final_summary();
}

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
//! - `strength worst case`: the same check + strength under a policy that allows the longest
//!   passwords (`max_length` 4,096, `min_score` 3) on passwords built to be slow for zxcvbn (every
//!   l33t character, digits, dates, repeats, and the worst ones a random search found), against the
//!   typical 12-character check. Before the criterion runs, a table prints each hostile password's
//!   check (median of 25) and its ratio to the typical check (median of 2,000), the worst ratio, and
//!   what zxcvbn alone takes on the whole password (one run: the estimate's cost before the bound).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use pwreset_core::{
    CheckInput, MAX_MAX_LENGTH, Policy, PolicySettings, Preset, Strength, UserAttributes,
    estimate_strength, warm_up,
};

const PASSWORDS: [&str; 4] = [
    "jD8#qL2!",
    "Tr0ub4dour&3",
    "correct-Horse-battery-9!x",
    "The quick brown fox jumps over 13 lazy!!x",
];
const COLD_START_ENV: &str = "PWRESET_BENCH_COLD_START";
const COLD_START_RUNS: usize = 10;

/// The twenty characters zxcvbn reads as letters (`@` as `a`, `1` as `i` or `l`, ...), and `8`.
const L33T: &str = "@!4310$5|7+(%2869{[<8";

fn repeat_to(unit: &str, length: usize) -> String {
    unit.chars().cycle().take(length).collect()
}

/// Passwords built to be slow for zxcvbn, with a name for the tables.
fn hostile() -> Vec<(&'static str, String)> {
    vec![
        ("every l33t char, 128", repeat_to(L33T, 128)),
        ("every l33t char, 4096", repeat_to(L33T, MAX_MAX_LENGTH)),
        (
            "l33t and letters, 100",
            repeat_to("a@b!c4d3e1f0g$h5i|j7k+", 100),
        ),
        ("@!4310$5|7+ x 10", "@!4310$5|7+".repeat(10)),
        ("1!1!..., 100", repeat_to("1!", 100)),
        ("digits, 28", repeat_to("1234567890", 28)),
        ("digits, 100", repeat_to("1234567890", 100)),
        ("dates, 100", repeat_to("11/11/1991 ", 100)),
        ("years, 100", repeat_to("19901231", 100)),
        ("keypad zigzag, 100", repeat_to("20", 100)),
        ("p@$$w0rd x 16", "p@$$w0rd".repeat(16)),
        ("a x 128", "a".repeat(128)),
        ("qwertyuiop x 10", "qwertyuiop".repeat(10)),
        (
            "search 1",
            "311711y1111b199111111111111i11101{11ce1111111(1".to_owned(),
        ),
        (
            "search 2",
            "001@/03_a50000(2000000000000507-0Σ0eA00".to_owned(),
        ),
        ("search 3", "i//9oA78Ar|<oyi1+!yers%raob173(".to_owned()),
    ]
}

/// A policy that allows the longest passwords and needs strength (as a server with `min_score`).
fn longest_policy() -> Policy {
    Policy::new(PolicySettings {
        max_length: MAX_MAX_LENGTH,
        min_score: Some(3),
        ..Preset::Seed002.settings()
    })
    .expect("a valid policy")
}

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

    let longest = longest_policy();
    let mut group = c.benchmark_group("strength worst case");
    group.bench_function("typical (12 chars)", |b| {
        b.iter(|| longest.check(&CheckInput::new(black_box(PASSWORDS[1])).user(&user)))
    });
    for (name, password) in hostile() {
        if ["every l33t char, 4096", "digits, 28", "search 1"].contains(&name) {
            group.bench_function(name, |b| {
                b.iter(|| longest.check(&CheckInput::new(black_box(&password)).user(&user)))
            });
        }
    }
    group.finish();
}

/// Median time of `check` over `runs` runs, after a few to warm up.
fn median_time(runs: usize, mut check: impl FnMut()) -> Duration {
    for _ in 0..3 {
        check();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            check();
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[runs / 2]
}

/// The worst case on the hostile passwords next to the typical check, as a table.
fn report_worst_case() {
    let policy = longest_policy();
    let user = user();
    let inputs = user.strength_inputs();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    warm_up();
    let check = |password: &str| {
        black_box(policy.check(&CheckInput::new(black_box(password)).user(&user)));
    };
    let typical = median_time(2_000, || check(PASSWORDS[1]));
    println!(
        "strength worst case: typical check (12 chars) {typical:?}; cost budget {} units",
        Strength::COST_BUDGET
    );
    println!("| password | chars | analysed | check | ratio | zxcvbn alone, whole password |");
    println!("|---|---|---|---|---|---|");
    let mut worst = (0.0, "");
    let hostile = hostile();
    for (name, password) in &hostile {
        let plan = Strength::plan(password, &inputs);
        let time = median_time(25, || check(password));
        let ratio = time.as_secs_f64() / typical.as_secs_f64();
        if ratio > worst.0 {
            worst = (ratio, name);
        }
        let start = Instant::now();
        black_box(zxcvbn::zxcvbn(black_box(password), &inputs));
        let before = start.elapsed();
        println!(
            "| {name} | {} | {} | {time:.2?} | {ratio:.1}x | {before:.2?} ({:.0}x) |",
            password.chars().count(),
            plan.analysed_chars,
            before.as_secs_f64() / typical.as_secs_f64()
        );
    }
    println!(
        "strength worst case: {:.1}x the typical check, on \"{}\"",
        worst.0, worst.1
    );
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
    report_worst_case();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    checks(&mut criterion);
    criterion.final_summary();
}

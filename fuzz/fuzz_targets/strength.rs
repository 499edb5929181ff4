//! The strength estimate on passwords of any length a policy allows (up to `MAX_MAX_LENGTH`, 4,096
//! characters) with up to six user inputs. `fuzz/run.sh` gives each input one second
//! (`-timeout=1`, about 30 times the bounded worst case even under coverage instrumentation), so an
//! estimate whose cost escapes the bound fails the run.
//!
//! Input: UTF-8 (lossy) text; the password, then the user inputs, separated by NUL.
//!
//! Invariants: nothing panics; the plan costs at most the budget, analyses at most the first 100
//! characters, and analyses the whole password exactly when that fits the budget; the estimate has
//! a score of 0 to 4 and finite, non-negative `guesses_log10`; after a clean cut, when zxcvbn on
//! the whole password is cheap enough to run here (up to 4 times the budget), the estimate never
//! has more guesses than zxcvbn's (so never a higher score).
//!
//! zxcvbn is not a function of its input: its search for the best sequence of patterns visits hash
//! maps in a random order and on some inputs misses the best sequence on one run and not on the
//! next (missing it only adds guesses). So the comparison takes the fewest guesses the estimate
//! gives and the most zxcvbn gives over up to eight runs. (The tests compare the whole analysis with
//! zxcvbn on fixed corpora; here its randomness would make such a check flaky.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use pwreset_core::{MAX_MAX_LENGTH, Strength, estimate_strength};

/// How many times a comparison with zxcvbn is tried.
const TRIES: usize = 8;

fn zxcvbn_strength(password: &str, inputs: &[&str]) -> Strength {
    Strength::from(&zxcvbn::zxcvbn(password, inputs))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let password: String = parts
        .next()
        .unwrap_or_default()
        .chars()
        .take(MAX_MAX_LENGTH)
        .collect();
    let inputs: Vec<&str> = parts.take(6).collect();

    let plan = Strength::plan(&password, &inputs);
    assert!(plan.cost <= Strength::COST_BUDGET, "{plan:?}");
    assert!(
        plan.analysed_chars <= password.chars().count().min(100),
        "{plan:?}"
    );
    assert_eq!(
        plan.is_whole(),
        plan.whole_cost <= Strength::COST_BUDGET,
        "{plan:?}"
    );

    let strength = estimate_strength(&password, &inputs);
    assert!(strength.score <= 4);
    assert!(strength.guesses_log10.is_finite() && strength.guesses_log10 >= 0.0);

    if plan.never_stronger() && !plan.is_whole() && plan.whole_cost <= 4 * Strength::COST_BUDGET {
        let mut bounded = strength;
        let mut exact = zxcvbn_strength(&password, &inputs);
        for _ in 1..TRIES {
            if bounded.guesses_log10 <= exact.guesses_log10 {
                break;
            }
            let again = estimate_strength(&password, &inputs);
            if again.guesses_log10 < bounded.guesses_log10 {
                bounded = again;
            }
            let again = zxcvbn_strength(&password, &inputs);
            if again.guesses_log10 > exact.guesses_log10 {
                exact = again;
            }
        }
        assert!(
            bounded.guesses_log10 <= exact.guesses_log10 && bounded.score <= exact.score,
            "{bounded:?} vs {exact:?} ({plan:?})"
        );
    }
});

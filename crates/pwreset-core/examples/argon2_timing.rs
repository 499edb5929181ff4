//! Times argon2id hashes natively and prints `{"runs", "ms_per_hash"}` (used by `make bench-argon2`,
//! which compares it with the same hashes in wasm under Node).

use std::time::Instant;

use pwreset_core::password_hash::{HashParams, hash_password};

fn main() {
    let runs: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    hash_password("warm-up", HashParams::OWASP).expect("argon2 works");
    let start = Instant::now();
    for i in 0..runs {
        hash_password(&format!("Tr0ub4dour&3-{i}"), HashParams::OWASP).expect("argon2 works");
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    println!("{{\"runs\":{runs},\"ms_per_hash\":{ms:.3}}}");
}

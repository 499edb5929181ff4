//! The service's request handling, every dialect, as anyone can reach it: arbitrary methods, paths
//! (the real routes and any text), queries, headers and bodies, up to four requests on a fresh
//! in-memory platform with one account. No secret of the account is given, so no request reaches
//! argon2id. See `pwreset_fuzz::service` for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pwreset_fuzz::service::{Exchange, Mode, init, run};

fuzz_target!(
    init: init(Mode::Untrusted),
    |exchange: Exchange| run(&exchange, Mode::Untrusted)
);

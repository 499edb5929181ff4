//! The service's flows behind the secrets: like `service_requests`, but the fuzzer also holds the
//! admin token, an access token and a dialect A signed payload for the account, and its password,
//! so it reaches password changes, resets and account creation (and their argon2id hashing, which
//! makes this target far slower). See `pwreset_fuzz::service` for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pwreset_fuzz::service::{Exchange, Mode, init, run};

fuzz_target!(
    init: init(Mode::Holder),
    |exchange: Exchange| run(&exchange, Mode::Holder)
);

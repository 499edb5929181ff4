//! `pwreset hash`: a password on stdin, its argon2id PHC string on stdout.

use std::io::{self, BufRead};
use std::process::ExitCode;

use clap::Args;
use pwreset_core::password_hash::{HashParams, hash_password};
use zeroize::Zeroizing;

/// Options of `pwreset hash`.
#[derive(Args)]
pub struct HashArgs {
    /// Memory in KiB (OWASP: 19456).
    #[arg(long, default_value_t = HashParams::OWASP.memory_kib)]
    memory_kib: u32,
    /// Passes over memory (OWASP: 2).
    #[arg(long, default_value_t = HashParams::OWASP.iterations)]
    iterations: u32,
    /// Lanes (OWASP: 1).
    #[arg(long, default_value_t = HashParams::OWASP.parallelism)]
    parallelism: u32,
}

/// Reads the first line of stdin (without its line ending) and prints its PHC string.
pub fn run(args: &HashArgs) -> ExitCode {
    let mut line = Zeroizing::new(String::new());
    if let Err(e) = io::stdin().lock().read_line(&mut line) {
        eprintln!("pwreset hash: cannot read stdin: {e}");
        return ExitCode::from(2);
    }
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        eprintln!("pwreset hash: no password on stdin");
        return ExitCode::from(2);
    }
    let params = HashParams {
        memory_kib: args.memory_kib,
        iterations: args.iterations,
        parallelism: args.parallelism,
    };
    if !params.meets_owasp_minimum() {
        eprintln!(
            "pwreset hash: warning: m={} KiB, t={} is below OWASP's minimum for argon2id \
             (19456 KiB with t=2, or 47104/1, 12288/3, 9216/4, 7168/5)",
            params.memory_kib, params.iterations
        );
    }
    match hash_password(password, params) {
        Ok(phc) => {
            println!("{phc}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pwreset hash: {e}");
            ExitCode::from(2)
        }
    }
}

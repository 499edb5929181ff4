//! `pwreset`: the password-reset toolkit's command line.

mod check;
mod hash;
mod keygen;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Password policy checks and reset secrets from the shell.
#[derive(Parser)]
#[command(name = "pwreset", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check passwords: JSON lines on stdin, one result line each on stdout.
    Check(check::CheckArgs),
    /// Print a fresh signing-key entry (`ID:KEY`) for the Worker's keyring.
    Keygen,
    /// Hash the password on stdin's first line; print its argon2id PHC string.
    Hash(hash::HashArgs),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check(args) => check::run(&args),
        Command::Keygen => keygen::run(),
        Command::Hash(args) => hash::run(&args),
    }
}

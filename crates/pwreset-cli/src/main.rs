//! `pwreset`: the password-reset toolkit's command line.

mod check;

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
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check(args) => check::run(&args),
    }
}

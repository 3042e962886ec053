//! One module per command. Each returns the process exit code on success.

pub mod analyze;
pub mod check;
pub mod compare;
pub mod mc;
pub mod run;
pub mod sensitivity;
pub mod solve;
pub mod sweep;

use crate::cli::{Cli, Command};
use crate::error::Result;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command {
        None => run::run(&Default::default()),
        Some(Command::Run(args)) => run::run(&args),
        Some(Command::Check(args)) => check::check(&args),
        Some(Command::Mc(args)) => mc::mc(&args),
        Some(Command::Solve(args)) => solve::solve(&args),
        Some(Command::Sensitivity(args)) => sensitivity::sensitivity(&args),
        Some(Command::Sweep(args)) => sweep::sweep(&args),
        Some(Command::Analyze(args)) => analyze::analyze(&args),
        Some(Command::Compare(args)) => compare::compare(&args),
    }
}

//! Errors that reach `main`, and the exit code each maps to (README, "Exit codes").

use crate::config::ConfigErrors;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A config file or `--set` flag is wrong (exit 2).
    #[error("{0}")]
    Config(#[from] ConfigErrors),
    /// A command-line flag is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The output folder cannot be written: a file in the way, a read-only
    /// folder (exit 1).
    #[error("{0}")]
    Output(String),
    /// Anything else: I/O, rendering (exit 1).
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) | Error::Usage(_) => EXIT_USAGE,
            Error::Output(_) | Error::Other(_) => EXIT_FAILURE,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Exit code of a usage or config error: nothing was written.
pub const EXIT_USAGE: i32 = 2;
/// Exit code of any other failure, e.g. the output cannot be written.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code when `--fail-below` is given and the final milestone is missed.
pub const EXIT_MILESTONE_MISSED: i32 = 3;

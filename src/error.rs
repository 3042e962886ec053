//! Errors that reach `main`, and the exit code each maps to.

use crate::config::ConfigErrors;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A config file or `--set` flag is wrong (exit 2).
    #[error("{0}")]
    Config(#[from] ConfigErrors),
    /// A command-line flag is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Anything else: I/O, rendering (exit 1).
    #[error("{0:#}")]
    Other(#[from] anyhow::Error),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) | Error::Usage(_) => 2,
            Error::Other(_) => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Exit code when `--fail-below` is given and the final milestone is missed.
pub const EXIT_MILESTONE_MISSED: i32 = 3;

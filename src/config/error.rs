//! Config errors that name where the problem is: the file and line (or the
//! `--set` flag), the field, and what is allowed.

use std::fmt;
use std::path::PathBuf;

/// Where a config value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file, with the 1-based line of the offending key when known.
    File { path: PathBuf, line: Option<usize> },
    /// A `--set PATH=VALUE` flag.
    Set(String),
}

/// One problem with a config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub origin: Origin,
    /// Dotted field path, e.g. `levels.basic.attrition` or `events[0].date`; empty for the whole file.
    pub field: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Origin::File {
                path,
                line: Some(line),
            } => write!(f, "{}:{line}: ", path.display())?,
            Origin::File { path, line: None } => write!(f, "{}: ", path.display())?,
            Origin::Set(flag) => write!(f, "--set {flag}: ")?,
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one config (validation reports them all at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl ConfigErrors {
    pub fn one(
        origin: Origin,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ConfigErrors {
        ConfigErrors(vec![ConfigError {
            origin,
            field: field.into(),
            message: message.into(),
        }])
    }
}

/// A problem found during validation, before it is located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path segments: table keys, and array indices as decimal strings.
    pub path: Vec<String>,
    pub message: String,
}

/// Renders path segments as `a.b[0].c`.
pub fn display_path(path: &[String]) -> String {
    let mut s = String::new();
    for seg in path {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            s.push('[');
            s.push_str(seg);
            s.push(']');
        } else {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(seg);
        }
    }
    s
}

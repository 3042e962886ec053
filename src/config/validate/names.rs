//! The names of levels, courses and inflows: well formed, unique across the
//! three tables (they share the output columns), and not a fixed column's name.

use super::check::{p, Checker, Names};
use super::MAX_LEVELS;
use crate::config::raw::RawConfig;
use std::collections::HashSet;

/// Names that are output columns, so cannot name a level, course or inflow.
fn reserved_names() -> impl Iterator<Item = &'static str> {
    use crate::output::csv::{FIXED_COLUMNS, LEADING_COLUMNS};
    LEADING_COLUMNS.into_iter().chain(FIXED_COLUMNS)
}

fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Checks the names and returns them for resolving references.
pub(super) fn check_names<'a>(c: &mut Checker, raw: &'a RawConfig) -> Names<'a> {
    let mut seen: HashSet<&str> = HashSet::new();
    for (table, names) in [
        ("levels", raw.levels.keys().collect::<Vec<_>>()),
        ("courses", raw.courses.keys().collect()),
        ("inflows", raw.inflows.keys().collect()),
    ] {
        for name in names {
            if !name_ok(name) {
                c.err(
                    p(&[table, name]),
                    "is not a valid name: use 1-64 characters from A-Z, a-z, 0-9, '_' and '-'",
                );
            } else if reserved_names().any(|r| r == name) {
                c.err(
                    p(&[table, name]),
                    format!(
                        "'{name}' is an output column name; reserved: {}",
                        reserved_names().collect::<Vec<_>>().join(", ")
                    ),
                );
            } else if !seen.insert(name) {
                c.err(p(&[table, name]), format!("'{name}' is already used: names must be unique across levels, courses and inflows"));
            }
        }
    }
    if raw.levels.is_empty() {
        c.err(p(&["levels"]), "at least one level is needed");
    }
    if raw.levels.len() > MAX_LEVELS {
        c.err(
            p(&["levels"]),
            format!("{} levels; the limit is {MAX_LEVELS}", raw.levels.len()),
        );
    }
    Names {
        levels: raw.levels.keys().map(|s| s.as_str()).collect(),
        courses: raw.courses.keys().map(|s| s.as_str()).collect(),
    }
}

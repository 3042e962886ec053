//! `[scenario]`: the name, title and horizon, and the fiscal-year start.

use super::check::{p, Checker, Horizon};
use super::MAX_HORIZON_MONTHS;
use crate::config::raw::RawScenario;
use crate::month::Month;

/// The checked `[scenario]` table.
pub(super) struct Head {
    pub start: Option<Month>,
    pub end: Option<Month>,
    /// Both ends, when they are valid and in order: dated entries are checked against it.
    pub horizon: Option<Horizon>,
    pub fy_start_month: u32,
}

/// Whether `name` may name an output folder.
pub fn scenario_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

pub(super) fn check_scenario(c: &mut Checker, sc: &RawScenario) -> Head {
    if !scenario_name_ok(&sc.name) {
        c.err(p(&["scenario", "name"]), format!("'{}' is not allowed: use 1-64 characters from a-z, 0-9, '_' and '-' (it names the output folder)", sc.name));
    }
    let start = c.month(p(&["scenario", "start"]), &sc.start);
    let end = c.month(p(&["scenario", "end"]), &sc.end);
    let mut horizon = None;
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            c.err(
                p(&["scenario", "end"]),
                format!("{e} is before start {s}: end must be the same month or later"),
            );
        } else if e.since(s) + 1 > MAX_HORIZON_MONTHS {
            c.err(p(&["scenario", "end"]), format!("the horizon {s} .. {e} is {} months; the limit is {MAX_HORIZON_MONTHS} (100 years)", e.since(s) + 1));
        } else {
            horizon = Some(Horizon { start: s, end: e });
        }
    }
    let fy_start_month = sc.fiscal_year_start_month.unwrap_or(1);
    if !(1..=12).contains(&fy_start_month) {
        c.err(
            p(&["scenario", "fiscal_year_start_month"]),
            format!("{fy_start_month} is not a month of the year: must be in 1..12"),
        );
    }
    if let Some(t) = &sc.title {
        if t.trim().is_empty() || t.len() > 200 {
            c.err(p(&["scenario", "title"]), "must be 1-200 characters");
        }
    }
    Head {
        start,
        end,
        horizon,
        fy_start_month,
    }
}

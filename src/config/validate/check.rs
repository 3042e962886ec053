//! What every table's checks share: a collector of errors with their field
//! paths, the checks of single values (numbers in a range, months, month
//! counts), and name look-ups that suggest the name meant.
//!
//! One mistake gives one error: a check that depends on a value is skipped
//! when that value has already failed (an unparsable date is not also
//! "outside the horizon"). Checks return `None`, or a placeholder, for a
//! failed value; placeholders never reach the engine because `validate`
//! returns the errors instead of the scenario whenever there is one.

use super::MAX_HORIZON_MONTHS;
use crate::config::error::FieldError;
use crate::config::suggest::did_you_mean;
use crate::month::Month;
use crate::params::Range;

/// A field path from its segments.
pub(super) fn p(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// The first and last simulated months, once both are known to be valid.
#[derive(Debug, Clone, Copy)]
pub(super) struct Horizon {
    pub start: Month,
    pub end: Month,
}

/// A month standing in for one that failed its check.
pub(super) fn placeholder_month() -> Month {
    Month::new(2000, 1).expect("valid")
}

#[derive(Default)]
pub(super) struct Checker {
    pub errors: Vec<FieldError>,
}

impl Checker {
    pub fn err(&mut self, path: Vec<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            path,
            message: message.into(),
        });
    }

    /// Whether the field at this dotted path (`inflows.recruits.achievement`)
    /// has already been reported, so checks built on its value can stand down.
    pub fn failed(&self, dotted: &str) -> bool {
        self.errors.iter().any(|e| e.path.join(".") == dotted)
    }

    /// `x` if it is in `range`; else an error and the nearest allowed value.
    pub fn num(&mut self, path: Vec<String>, x: f64, range: Range, what: &str) -> f64 {
        if range.contains(x) {
            return x;
        }
        let shown = if x.is_nan() {
            "nan".to_string()
        } else {
            x.to_string()
        };
        self.err(
            path,
            format!(
                "{shown} is not allowed: {what} must be {}{}",
                range.describe(),
                percent_hint(x, range)
            ),
        );
        range.clamp(x)
    }

    pub fn month(&mut self, path: Vec<String>, s: &str) -> Option<Month> {
        let m = Month::parse(s);
        if m.is_none() {
            self.err(
                path,
                format!("'{s}' is not a month: write YYYY-MM, e.g. 2028-03"),
            );
        }
        m
    }

    /// A month inside the horizon. A month that did not parse, or a horizon
    /// that is itself wrong, has been reported already: nothing more is said.
    pub fn month_in(
        &mut self,
        path: Vec<String>,
        s: &str,
        horizon: Option<Horizon>,
    ) -> Option<Month> {
        let m = self.month(path.clone(), s)?;
        if let Some(Horizon { start, end }) = horizon {
            if m < start || m > end {
                self.err(
                    path,
                    format!("{m} is outside the simulated horizon {start} .. {end}"),
                );
                return None;
            }
        }
        Some(m)
    }

    pub fn months(&mut self, path: Vec<String>, x: u32, min: u32) -> u32 {
        if x < min || x > MAX_HORIZON_MONTHS as u32 {
            self.err(path, format!("{x} is not allowed: must be a whole number of months in [{min}, {MAX_HORIZON_MONTHS}]"));
        }
        x
    }
}

/// A checked tenure: a whole number of months in [0, 1200], or a list of at
/// most 1,201 shares >= 0 with a positive sum (normalised here).
pub(super) fn tenure(
    c: &mut Checker,
    path: Vec<String>,
    raw: &crate::config::raw::RawTenure,
) -> crate::scenario::Tenure {
    use crate::config::raw::RawTenure;
    use crate::scenario::Tenure;
    let max = MAX_HORIZON_MONTHS as f64;
    match raw {
        RawTenure::Months(x) => {
            if !(x.is_finite() && x.fract() == 0.0 && (0.0..=max).contains(x)) {
                c.err(path, format!("{x} is not allowed: tenure must be a whole number of months in [0, {MAX_HORIZON_MONTHS}], or a list of shares by month of service"));
                return Tenure::Months(0);
            }
            Tenure::Months(*x as u32)
        }
        RawTenure::Shares(v) => {
            if v.is_empty() || v.len() > MAX_HORIZON_MONTHS as usize + 1 {
                c.err(path, format!("a list of {} shares is not allowed: give 1 to {} shares (entry k = the share with k months in the level)", v.len(), MAX_HORIZON_MONTHS + 1));
                return Tenure::Months(0);
            }
            if let Some((k, x)) = v
                .iter()
                .enumerate()
                .find(|(_, x)| !(x.is_finite() && **x >= 0.0))
            {
                c.err(
                    path,
                    format!("share {k} is {x}: shares must be numbers >= 0"),
                );
                return Tenure::Months(0);
            }
            let sum: f64 = v.iter().sum();
            if sum <= 0.0 {
                c.err(path, "the shares sum to 0: at least one must be positive");
                return Tenure::Months(0);
            }
            Tenure::Shares(v.iter().map(|x| x / sum).collect())
        }
    }
}

/// "; did you mean 0.09 (9 %)?" when a fraction was given as a percentage.
fn percent_hint(x: f64, range: Range) -> String {
    if range.max == 1.0 && x > 1.0 && x <= 100.0 && range.contains(x / 100.0) {
        format!("; did you mean {} ({x} %)?", x / 100.0)
    } else {
        String::new()
    }
}

/// The names defined in `[levels]` and `[courses]`, in file order, for
/// resolving references to them.
pub(super) struct Names<'a> {
    pub levels: Vec<&'a str>,
    pub courses: Vec<&'a str>,
}

impl Names<'_> {
    /// The index of level `name`, or an error naming the levels there are.
    pub fn level(&self, c: &mut Checker, path: Vec<String>, name: &str) -> Option<usize> {
        let found = self.levels.iter().position(|n| *n == name);
        if found.is_none() {
            c.err(
                path,
                format!(
                    "no level '{name}'{}; levels: {}",
                    did_you_mean(name, self.levels.iter().copied()),
                    list(&self.levels)
                ),
            );
        }
        found
    }

    /// The index of course `name`, or an error naming the courses there are.
    pub fn course(&self, c: &mut Checker, path: Vec<String>, name: &str) -> Option<usize> {
        let found = self.courses.iter().position(|n| *n == name);
        if found.is_none() {
            c.err(
                path,
                format!(
                    "no course '{name}'{}; courses: {}",
                    did_you_mean(name, self.courses.iter().copied()),
                    list(&self.courses)
                ),
            );
        }
        found
    }
}

pub(super) fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "(none defined)".into()
    } else {
        names.join(", ")
    }
}

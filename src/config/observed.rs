//! Checks `[[observed]]`: published headcounts the projection is compared with
//! and `calibrate` fits. Kept apart from `validate.rs` so the rest of the
//! schema can change without touching it.

use super::error::FieldError;
use super::raw::{RawConfig, RawObserved, RawObservedKind};
use crate::month::Month;
use crate::params::MAX_COUNT;
use crate::scenario::{Observation, ObservedKind};

/// The sd of an observation that gives none: 5 % of the headcount, at least
/// one person. Published workforce figures are rounded ("about 890") and their
/// definitions drift; 5 % is an assumption, stated in `docs/config.md`.
pub fn default_sd(headcount: f64) -> f64 {
    (DEFAULT_SD_SHARE * headcount).max(1.0)
}

/// Share of the headcount used as the default sd.
pub const DEFAULT_SD_SHARE: f64 = 0.05;

/// Checks every observation, pushing problems onto `errors` (paths
/// `observed.N.FIELD`), and returns them sorted by date (stable, so file order
/// is kept within a month). `horizon` is `(start, end)` when those are valid:
/// without it dates are only parsed. The month before `start` is allowed, as the
/// initial state is itself an observation at that date.
pub fn check(
    raw: &RawConfig,
    level_names: &[&str],
    horizon: Option<(Month, Month)>,
    errors: &mut Vec<FieldError>,
) -> Vec<Observation> {
    check_list(&raw.observed, level_names, horizon, errors)
}

fn check_list(
    raw: &[RawObserved],
    level_names: &[&str],
    horizon: Option<(Month, Month)>,
    errors: &mut Vec<FieldError>,
) -> Vec<Observation> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, o) in raw.iter().enumerate() {
        let mut err = |field: &str, message: String| {
            errors.push(FieldError {
                path: vec!["observed".into(), i.to_string(), field.into()],
                message,
            })
        };
        let date = match Month::parse(&o.date) {
            Some(m) => m,
            None => {
                err(
                    "date",
                    format!("'{}' is not a month: write YYYY-MM, e.g. 2023-03", o.date),
                );
                continue;
            }
        };
        if let Some((start, end)) = horizon {
            let first = start.plus(-1);
            if date < first || date > end {
                err(
                    "date",
                    format!(
                        "{date} is outside the horizon: an observation must be dated from {first} (the initial state, the month before start) to {end}"
                    ),
                );
            }
        }
        if !(o.headcount.is_finite() && (0.0..=MAX_COUNT).contains(&o.headcount)) {
            err(
                "headcount",
                format!(
                    "{} is not allowed: headcount must be a number in [0, 1e9]",
                    o.headcount
                ),
            );
        }
        let sd = match o.sd {
            Some(sd) if !(sd.is_finite() && sd > 0.0 && sd <= MAX_COUNT) => {
                err(
                    "sd",
                    format!(
                        "{sd} is not allowed: sd must be a number of people > 0 (and at most 1e9)"
                    ),
                );
                1.0
            }
            Some(sd) => sd,
            None => default_sd(o.headcount.max(0.0)),
        };
        let level = match &o.level {
            None => None,
            Some(name) => match level_names.iter().position(|n| n == name) {
                Some(l) => Some(l),
                None => {
                    err(
                        "level",
                        format!("no level '{name}'; levels: {}", level_names.join(", ")),
                    );
                    None
                }
            },
        };
        out.push(Observation {
            date,
            headcount: o.headcount,
            kind: match o.kind {
                RawObservedKind::Count => ObservedKind::Count,
                RawObservedKind::Plan => ObservedKind::Plan,
            },
            sd,
            level,
            source: o.source.clone(),
            label: o.label.clone(),
        });
    }
    out.sort_by_key(|o| o.date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(date: &str, headcount: f64, sd: Option<f64>, level: Option<&str>) -> RawObserved {
        RawObserved {
            date: date.into(),
            headcount,
            kind: RawObservedKind::Count,
            sd,
            level: level.map(String::from),
            source: None,
            label: None,
        }
    }

    fn horizon() -> Option<(Month, Month)> {
        Some((Month::parse("2021-04")?, Month::parse("2024-03")?))
    }

    #[test]
    fn initial_month_and_end_are_allowed_and_dates_sort() {
        let mut errors = Vec::new();
        let out = check_list(
            &[
                raw("2024-03", 900.0, None, None),
                raw("2021-03", 660.0, Some(30.0), Some("basic")),
            ],
            &["basic"],
            horizon(),
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(out[0].date.to_string(), "2021-03");
        assert_eq!(out[0].level, Some(0));
        assert_eq!(out[0].sd, 30.0);
        assert_eq!(out[1].sd, 45.0, "default sd is 5 % of the headcount");
        assert_eq!(default_sd(4.0), 1.0, "at least one person");
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut errors = Vec::new();
        check_list(
            &[
                raw("2021-02", 660.0, None, None),
                raw("2024-04", 660.0, None, None),
                raw("2023-13", 660.0, None, None),
                raw("2023-03", -1.0, Some(0.0), Some("nope")),
            ],
            &["basic"],
            horizon(),
            &mut errors,
        );
        let paths: Vec<String> = errors.iter().map(|e| e.path.join(".")).collect();
        assert_eq!(
            paths,
            [
                "observed.0.date",
                "observed.1.date",
                "observed.2.date",
                "observed.3.headcount",
                "observed.3.sd",
                "observed.3.level"
            ]
        );
        assert!(errors[0].message.contains("2021-03 (the initial state"));
        assert!(errors[5].message.contains("levels: basic"));
    }
}

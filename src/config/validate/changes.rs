//! `[[changes]]`: from a month on, a numeric parameter has a new value.

use super::check::{p, placeholder_month, Checker, Horizon};
use crate::config::raw::RawChange;
use crate::params::Param;
use crate::scenario::{Change, Scenario};

/// What a change may set, for messages.
const ALLOWED: &str = "levels.NAME.attrition, levels.NAME.promotion.rate, courses.NAME.seats_per_class, courses.NAME.washout, courses.NAME.queue_attrition, courses.NAME.obligated_attrition_factor, courses.NAME.obligation_end_exit, courses.NAME.instructors.students_per_instructor, courses.NAME.instructors.max_share, inflows.NAME.per_year, inflows.NAME.achievement, levels.NAME.authorised";

/// Checks the entries against the scenario the other tables made (their
/// paths name its levels, courses and inflows).
pub(super) fn check_changes(
    c: &mut Checker,
    raw: &[RawChange],
    scenario: &Scenario,
    horizon: Option<Horizon>,
) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for (i, ch) in raw.iter().enumerate() {
        let at = |x: &str| p(&["changes", &i.to_string(), x]);
        let from = c.month_in(at("from"), &ch.from, horizon);
        let param = match Param::parse(scenario, &ch.path) {
            Ok(pm) if pm.changeable() => Some(pm),
            Ok(pm) => {
                let why = match pm {
                    Param::QualificationMonths(_) | Param::PerMentor(_) => {
                        "a run reads a level's qualification rules once, at its start"
                    }
                    _ => "the starting state, and what is already dated, cannot",
                };
                c.err(
                    at("path"),
                    format!(
                        "'{}' cannot change from a date ({why}); allowed: {ALLOWED}",
                        ch.path
                    ),
                );
                None
            }
            Err(e) => {
                c.err(at("path"), format!("{e}; a change may set: {ALLOWED}"));
                None
            }
        };
        let Some(param) = param else { continue };
        let value = c.num(
            at("value"),
            ch.value,
            param.range(),
            &format!("the new value of '{}'", ch.path),
        );
        let from = from.unwrap_or_else(placeholder_month);
        if let Some(j) = out.iter().position(|o| o.param == param && o.from == from) {
            c.err(
                at("from"),
                format!(
                    "changes.{j} already changes '{}' from {from}: give one value per parameter and month",
                    ch.path
                ),
            );
        }
        out.push(Change {
            from,
            param,
            value,
            note: ch.note.clone(),
        });
    }
    out
}

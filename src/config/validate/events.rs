//! `[[events]]` (one-off changes to a level) and `[[shocks]]` (periods of
//! multiplied attrition).

use super::check::{p, placeholder_month, tenure, Checker, Horizon, Names};
use crate::config::raw::{RawEvent, RawShock};
use crate::params::Param;
use crate::scenario::{Event, Shock};

pub(super) fn check_events(
    c: &mut Checker,
    raw: &[RawEvent],
    names: &Names,
    horizon: Option<Horizon>,
) -> Vec<Event> {
    let mut events = Vec::new();
    for (i, e) in raw.iter().enumerate() {
        let at = |x: &str| p(&["events", &i.to_string(), x]);
        let date = c.month_in(at("date"), &e.date, horizon);
        let level = names.level(c, at("level"), &e.level);
        let change = c.num(
            at("change"),
            e.change,
            Param::EventChange(0).range(),
            "event change (people)",
        );
        let tenure = e.tenure.as_ref().map(|t| {
            if e.change < 0.0 {
                c.err(
                    at("tenure"),
                    "only an addition (change >= 0) has a tenure: a removal takes people from every cohort in proportion",
                );
            }
            tenure(c, at("tenure"), t)
        });
        events.push(Event {
            date: date.unwrap_or_else(placeholder_month),
            level: level.unwrap_or(0),
            change,
            tenure,
            note: e.note.clone(),
        });
    }
    events
}

pub(super) fn check_shocks(c: &mut Checker, raw: &[RawShock], names: &Names) -> Vec<Shock> {
    let mut shocks = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let at = |x: &str| p(&["shocks", &i.to_string(), x]);
        let from = c.month(at("from"), &s.from);
        let to = c.month(at("to"), &s.to);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                c.err(at("to"), format!("{t} is before from {f}"));
            }
        }
        let levels = s
            .levels
            .iter()
            .enumerate()
            .map(|(j, n)| {
                let path = p(&["shocks", &i.to_string(), "levels", &j.to_string()]);
                names.level(c, path, n).unwrap_or(0)
            })
            .collect();
        let attrition_factor = c.num(
            at("attrition_factor"),
            s.attrition_factor,
            Param::ShockFactor(0).range(),
            "shock attrition factor",
        );
        shocks.push(Shock {
            from: from.unwrap_or_else(placeholder_month),
            to: to.unwrap_or_else(placeholder_month),
            levels,
            attrition_factor,
        });
    }
    shocks
}

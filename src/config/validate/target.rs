//! `[target]`: what the total counts, and the dated milestones it is checked
//! against.

use super::check::{list, p, Checker, Horizon, Names};
use crate::config::raw::RawTarget;
use crate::config::suggest::did_you_mean;
use crate::params::{Param, Range};
use crate::scenario::{Milestone, Target};

pub(super) fn check_target(
    c: &mut Checker,
    raw: &RawTarget,
    names: &Names,
    horizon: Option<Horizon>,
) -> Target {
    let mut target = Target {
        levels: Vec::new(),
        queue: false,
        training: false,
        count_qualified: raw.count_qualified,
        milestones: Vec::new(),
    };
    match &raw.count {
        None => target.levels = (0..names.levels.len()).collect(),
        Some(counted) => count(c, counted, names, &mut target),
    }
    for (i, m) in raw.milestones.iter().enumerate() {
        let at = |x: &str| p(&["target", "milestones", &i.to_string(), x]);
        let date = c.month_in(at("date"), &m.date, horizon);
        let headcount = c.num(
            at("headcount"),
            m.headcount,
            Range {
                integer: false,
                ..Param::Initial(0).range()
            },
            "milestone headcount",
        );
        let Some(date) = date else { continue };
        if target.milestones.iter().any(|x: &Milestone| x.date == date) {
            c.err(
                at("date"),
                format!("a milestone for {date} is already given"),
            );
        }
        target.milestones.push(Milestone {
            date,
            headcount,
            label: m.label.clone(),
        });
    }
    target.milestones.sort_by_key(|m| m.date);
    target
}

fn count(c: &mut Checker, counted: &[String], names: &Names, target: &mut Target) {
    if counted.is_empty() {
        c.err(
            p(&["target", "count"]),
            "must name at least one level (or `queue`, `training`)",
        );
    }
    for (i, n) in counted.iter().enumerate() {
        let path = p(&["target", "count", &i.to_string()]);
        match n.as_str() {
            "queue" if !target.queue => target.queue = true,
            "training" if !target.training => target.training = true,
            _ => match names.levels.iter().position(|x| x == n) {
                Some(l) if !target.levels.contains(&l) => target.levels.push(l),
                Some(_) => c.err(path, format!("'{n}' is listed twice")),
                None if n == "queue" || n == "training" => {
                    c.err(path, format!("'{n}' is listed twice"))
                }
                None => {
                    let all = names.levels.iter().copied().chain(["queue", "training"]);
                    c.err(
                        path,
                        format!(
                            "'{n}'{} is not a level, `queue` or `training`; levels: {}",
                            did_you_mean(n, all),
                            list(&names.levels)
                        ),
                    )
                }
            },
        }
    }
    target.levels.sort_unstable();
}

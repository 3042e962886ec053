//! `[inflows.NAME]`: where entrants go, how many a year, how many arrive, in
//! which months, and for how long they stay.

use super::check::{p, Checker, Names};
use crate::config::raw::{parse_fiscal_year_key, RawInflow};
use crate::params::Param;
use crate::scenario::{Destination, Inflow};
use indexmap::IndexMap;
use std::collections::BTreeMap;

pub(super) fn check_inflows(
    c: &mut Checker,
    raw: &IndexMap<String, RawInflow>,
    names: &Names,
) -> Vec<Inflow> {
    raw.iter()
        .map(|(name, f)| check_inflow(c, name, f, names))
        .collect()
}

fn check_inflow(c: &mut Checker, name: &str, f: &RawInflow, names: &Names) -> Inflow {
    let at = |x: &str| p(&["inflows", name, x]);
    let to = match (&f.course, &f.level) {
        (Some(cn), None) => names
            .course(c, at("course"), cn)
            .map_or(Destination::Level(0), Destination::Course),
        (None, Some(ln)) => Destination::Level(names.level(c, at("level"), ln).unwrap_or(0)),
        _ => {
            c.err(
                p(&["inflows", name]),
                "give exactly one of `course` (entrants join its queue) or `level` (direct entry)",
            );
            Destination::Level(0)
        }
    };
    let per_year = c.num(
        at("per_year"),
        f.per_year.unwrap_or(0.0),
        Param::PerYear(0).range(),
        "entrants per year",
    );
    let mut by_fiscal_year = BTreeMap::new();
    for (k, v) in &f.by_fiscal_year {
        let path = p(&["inflows", name, "by_fiscal_year", k]);
        match parse_fiscal_year_key(k) {
            Some(fy) => {
                by_fiscal_year.insert(
                    fy,
                    c.num(path, *v, Param::PerYear(0).range(), "entrants per year"),
                );
            }
            None => c.err(
                path,
                format!("'{k}' is not a fiscal year: keys are four-digit years, e.g. 2025 = 80"),
            ),
        }
    }
    let achievement = c.num(
        at("achievement"),
        f.achievement.unwrap_or(1.0),
        Param::Achievement(0).range(),
        "achievement (fraction of plan)",
    );
    let monthly_share = match &f.monthly_pattern {
        Some(w) => monthly_share(w).unwrap_or_else(|| {
            c.err(
                at("monthly_pattern"),
                "must be 12 weights >= 0 with a positive sum, from the fiscal year's first month",
            );
            [1.0 / 12.0; 12]
        }),
        None => [1.0 / 12.0; 12],
    };
    let term_months = f.term_months.map(|t| c.months(at("term_months"), t, 1));
    if term_months.is_some() && f.course.is_some() {
        c.err(
            at("term_months"),
            "a fixed term is only supported for direct-entry (`level`) inflows",
        );
    }
    Inflow {
        name: name.to_string(),
        to,
        per_year,
        by_fiscal_year,
        achievement,
        monthly_share,
        term_months,
    }
}

/// Twelve weights normalised to shares, if they are twelve finite weights >= 0
/// with a positive sum.
fn monthly_share(w: &[f64]) -> Option<[f64; 12]> {
    let sum: f64 = w.iter().sum();
    if w.len() != 12
        || w.iter().any(|x| !x.is_finite() || *x < 0.0)
        || !(sum > 0.0 && sum.is_finite())
    {
        return None;
    }
    let mut share = [0.0; 12];
    for (s, x) in share.iter_mut().zip(w) {
        *s = x / sum;
    }
    Some(share)
}

//! `[costs]`: unit costs by level, course and inflow, and yearly budgets.
//! Every name must be one the scenario defines; what is not listed costs nothing.

use super::check::{p, Checker, Names};
use crate::config::raw::{parse_fiscal_year_key, RawCosts};
use crate::config::suggest::did_you_mean;
use crate::params::Param;
use crate::scenario::Costs;
use std::collections::BTreeMap;

pub(super) fn check_costs(
    c: &mut Checker,
    raw: Option<&RawCosts>,
    names: &Names,
    inflows: &[&str],
) -> Option<Costs> {
    let raw = raw?;
    let range = Param::Pay(0).range();
    if raw.currency.trim().is_empty() {
        c.err(
            p(&["costs", "currency"]),
            "the currency is empty: name the unit every cost is in, e.g. \"JPY million\"",
        );
    }
    let mut pay = vec![0.0; names.levels.len()];
    for (name, &x) in &raw.levels {
        let path = p(&["costs", "levels", name]);
        if let Some(l) = names.level(c, path.clone(), name) {
            pay[l] = c.num(path, x, range, "a yearly pay per person");
        }
    }
    let mut per_trainee_month = vec![0.0; names.courses.len()];
    let mut per_class = vec![0.0; names.courses.len()];
    for (name, k) in &raw.courses {
        if let Some(i) = names.course(c, p(&["costs", "courses", name]), name) {
            per_trainee_month[i] = c.num(
                p(&["costs", "courses", name, "per_trainee_month"]),
                k.per_trainee_month,
                range,
                "a cost per trainee-month",
            );
            per_class[i] = c.num(
                p(&["costs", "courses", name, "per_class"]),
                k.per_class,
                range,
                "a cost per class",
            );
        }
    }
    let mut per_entrant = vec![0.0; inflows.len()];
    for (name, &x) in &raw.inflows {
        let path = p(&["costs", "inflows", name]);
        match inflows.iter().position(|n| n == name) {
            Some(k) => per_entrant[k] = c.num(path, x, range, "a cost per entrant"),
            None => c.err(
                path,
                format!(
                    "no inflow '{name}'{}; inflows: {}",
                    did_you_mean(name, inflows.iter().copied()),
                    if inflows.is_empty() {
                        "(none)".to_string()
                    } else {
                        inflows.join(", ")
                    }
                ),
            ),
        }
    }
    let mut budget = BTreeMap::new();
    for (k, &x) in &raw.budget {
        let path = p(&["costs", "budget", k]);
        match parse_fiscal_year_key(k) {
            Some(fy) => {
                budget.insert(fy, c.num(path, x, range, "a fiscal year's budget"));
            }
            None => c.err(
                path,
                format!("'{k}' is not a fiscal year: keys are four-digit years, e.g. 2025 = 30000"),
            ),
        }
    }
    Some(Costs {
        currency: raw.currency.trim().to_string(),
        pay,
        per_trainee_month,
        per_class,
        per_entrant,
        budget,
    })
}

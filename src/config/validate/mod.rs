//! Turns a [`RawConfig`] into a checked [`Scenario`], collecting every problem
//! with the path of the field it is about. Each table has its own module; this
//! one runs them in dependency order (names before the references to them,
//! the horizon before dated entries, every value before the `[uncertainty]`
//! that varies it).

mod changes;
mod check;
mod costs;
mod courses;
mod events;
mod inflows;
mod levels;
mod names;
mod scenario;
mod target;
mod uncertainty;

use super::error::FieldError;
use super::raw::RawConfig;
use crate::scenario::Scenario;
use check::{placeholder_month, Checker};
pub use scenario::scenario_name_ok;

/// Longest horizon accepted (100 years).
pub const MAX_HORIZON_MONTHS: i32 = 1200;
/// Most levels accepted.
pub const MAX_LEVELS: usize = 64;

/// Checks a raw config. On success, the scenario is safe to run as is: the
/// engine never re-checks it.
pub fn validate(raw: &RawConfig) -> Result<Scenario, Vec<FieldError>> {
    let mut c = Checker::default();
    let head = scenario::check_scenario(&mut c, &raw.scenario);
    let names = names::check_names(&mut c, raw);
    let levels = levels::check_levels(&mut c, &raw.levels, &names);
    let courses = courses::check_courses(&mut c, &raw.courses, &names);
    let inflows = inflows::check_inflows(&mut c, &raw.inflows, &names);
    let events = events::check_events(&mut c, &raw.events, &names, head.horizon);
    let shocks = events::check_shocks(&mut c, &raw.shocks, &names);
    let target = target::check_target(&mut c, &raw.target, &names, head.horizon);
    let inflow_names: Vec<&str> = raw.inflows.keys().map(String::as_str).collect();
    let costs = costs::check_costs(&mut c, raw.costs.as_ref(), &names, &inflow_names);
    let sc = &raw.scenario;
    let mut scenario = Scenario {
        name: sc.name.clone(),
        title: sc.title.clone().unwrap_or_else(|| sc.name.clone()),
        source: sc.source.clone(),
        start: head.start.unwrap_or_else(placeholder_month),
        end: head.end.unwrap_or_else(placeholder_month),
        fy_start_month: head.fy_start_month,
        seed: sc.seed.unwrap_or(1),
        target,
        levels,
        courses,
        inflows,
        events,
        shocks,
        uncertainty: Vec::new(),
        changes: Vec::new(),
        costs,
        observed: crate::config::observed::check(
            raw,
            &names.levels,
            head.horizon.as_ref().map(|h| (h.start, h.end)),
            &mut c.errors,
        ),
    };
    scenario.changes = changes::check_changes(&mut c, &raw.changes, &scenario, head.horizon);
    scenario.uncertainty = uncertainty::check_uncertainty(&mut c, &raw.uncertainty, &scenario);
    if c.errors.is_empty() {
        Ok(scenario)
    } else {
        Err(c.errors)
    }
}

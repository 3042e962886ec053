//! The config file as the planner writes it. These structs are the user
//! interface: every field is documented here and in `docs/config.md`. They are
//! turned into a checked [`crate::scenario::Scenario`] by `validate`, so nothing
//! downstream re-checks them.

use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole scenario file (after `extends` has been merged and `--set` applied).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Path of a parent config (relative to this file) that this file is merged onto.
    pub extends: Option<String>,
    /// What the scenario is called and the simulated horizon.
    pub scenario: RawScenario,
    /// What is counted as the workforce and the milestones it is checked against.
    #[serde(default)]
    pub target: RawTarget,
    /// Skill levels (grades), in the file's order. Each holds people in post.
    pub levels: IndexMap<String, RawLevel>,
    /// Training courses: a queue of people waiting for a seat and the classes running.
    #[serde(default)]
    pub courses: IndexMap<String, RawCourse>,
    /// Recurring inflow channels: into a course's queue or straight into a level.
    #[serde(default)]
    pub inflows: IndexMap<String, RawInflow>,
    /// One-off additions or removals of people (redesignations, transfers out).
    #[serde(default)]
    pub events: Vec<RawEvent>,
    /// Periods in which the attrition of some levels is multiplied.
    #[serde(default)]
    pub shocks: Vec<RawShock>,
    /// Parameter uncertainty for Monte Carlo, keyed by `--set` paths.
    #[serde(default)]
    pub uncertainty: IndexMap<String, RawUncertainty>,
    /// Published headcounts (history and plans) the model is compared with and calibrated to.
    #[serde(default)]
    pub observed: Vec<RawObserved>,
    /// Policy changes: from a month on, a numeric parameter has a new value.
    #[serde(default)]
    pub changes: Vec<RawChange>,
    /// Where each number comes from, keyed by its `--set` path (e.g.
    /// `levels.basic.attrition`, `inflows.recruits.monthly_pattern`); shown in
    /// the assumptions of `forcecast report`. A label a parent config gives is
    /// dropped where a child (or `--set`) changes the value.
    #[serde(default)]
    pub sources: IndexMap<String, RawSource>,
    /// What the workforce costs: pay per person in post, training, entrants,
    /// and a yearly budget (optional; see docs/model.md, "Costs").
    pub costs: Option<RawCosts>,
}

/// The provenance of one number.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// `sourced` (a published figure), `assumed` (a judgement, with its range in
    /// `text`), `fitted` (by `forcecast calibrate`, with its fit in `text`) or
    /// `solved` (a requirement found by `forcecast solve`: neither a forecast nor a fact).
    pub status: Provenance,
    /// The source, or the reasoning behind an assumed or fitted value.
    pub text: String,
}

/// Where a number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    Sourced,
    Assumed,
    Fitted,
    Solved,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Sourced => "sourced",
            Provenance::Assumed => "assumed",
            Provenance::Fitted => "fitted",
            Provenance::Solved => "solved",
        }
    }
}

/// Unit costs, all in `currency`. Anything not listed costs nothing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    /// The unit every cost and budget is written in, e.g. `"JPY million"`.
    pub currency: String,
    /// Yearly pay and overhead per person in post, by level (>= 0); accrues
    /// monthly, a twelfth on each month's end-of-month stock.
    #[serde(default)]
    pub levels: IndexMap<String, f64>,
    /// Training costs by course.
    #[serde(default)]
    pub courses: IndexMap<String, RawCourseCosts>,
    /// Cost per entrant of each inflow channel (>= 0), charged on arrival.
    #[serde(default)]
    pub inflows: IndexMap<String, f64>,
    /// Most that may be spent in a fiscal year, e.g. `{ 2025 = 30000 }` (>= 0);
    /// years not listed have no budget.
    #[serde(default)]
    pub budget: BTreeMap<String, f64>,
}

/// What one course costs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCourseCosts {
    /// Per person in class, per month: charged on the people in class at the
    /// end of each month (>= 0; default 0).
    #[serde(default)]
    pub per_trainee_month: f64,
    /// Fixed cost of each class, charged in the month it starts (>= 0; default 0).
    #[serde(default)]
    pub per_class: f64,
}

/// From `from` on, the parameter at `path` has `value` (until a later change of the same path).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    /// First month with the new value, `YYYY-MM`, inside the horizon.
    pub from: String,
    /// The parameter's `--set` path, e.g. `levels.advanced.attrition` (rates,
    /// seats, inflow volumes: see docs/config.md for the paths allowed).
    pub path: String,
    /// The new value, in the parameter's own range.
    pub value: f64,
    /// What the change is (a pay rise, a new bonus).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Short name, `[a-z0-9_-]+`; names the output folder. A file that
    /// `extends` another and leaves it out is named after its file.
    pub name: String,
    /// Human title for charts and reports (default: the name).
    pub title: Option<String>,
    /// First simulated month, `YYYY-MM`.
    pub start: String,
    /// Last simulated month, `YYYY-MM`, inclusive.
    pub end: String,
    /// Month of the year (1..12) in which the fiscal year starts (default 1). A
    /// fiscal year is named by the calendar year it starts in.
    pub fiscal_year_start_month: Option<u32>,
    /// Default random seed for Monte Carlo (default 1).
    pub seed: Option<u64>,
    /// Free-text note on where the figures come from; shown in reports.
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// Stocks that make up the `total`: level names, and optionally `queue` and
    /// `training` (default: every level).
    pub count: Option<Vec<String>>,
    /// Dated headcount targets the `total` is checked against.
    #[serde(default)]
    pub milestones: Vec<RawMilestone>,
    /// Count only qualified people of the counted levels (default false: every
    /// person in post); levels without `qualification` count everyone either way.
    #[serde(default)]
    pub count_qualified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    /// Month at whose end the total is checked, `YYYY-MM`.
    pub date: String,
    /// Headcount the total must reach (>= 0).
    pub headcount: f64,
    /// Optional label shown on charts.
    pub label: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    /// People in the level at the start (>= 0, whole).
    pub initial: f64,
    /// Months the initial stock has already served in the level: a whole
    /// number (everyone), or a list of shares by month of service (entry k is
    /// the share with k months, normalised). Default: eligible for promotion at once.
    pub initial_tenure: Option<RawTenure>,
    /// Annual probability of leaving the organisation, in [0, 1).
    pub attrition: f64,
    /// Promotion to another level (optional).
    pub promotion: Option<RawPromotion>,
    /// Authorised posts in the level (>= 0, whole), for fiscal years not in
    /// `authorised_by_fiscal_year`; gives fill and vacancies, and is what a
    /// `mode = "vacancy"` promotion into the level fills.
    pub authorised: Option<f64>,
    /// Authorised posts for particular fiscal years, e.g. `{ 2027 = 400 }`
    /// (needs `authorised` for the other years).
    #[serde(default)]
    pub authorised_by_fiscal_year: BTreeMap<String, f64>,
    /// On-the-job qualification limited by mentors (optional): people who
    /// join the level arrive unqualified and cannot be promoted until qualified.
    pub qualification: Option<RawQualification>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQualification {
    /// Months in qualification, once a mentor slot is free, before a person is qualified (>= 1).
    pub months: u32,
    /// Levels whose qualified people mentor (they stay counted in their level); at least one.
    pub mentors: Vec<String>,
    /// Trainees one mentor carries at once (> 0).
    pub per_mentor: f64,
    /// Whether people promoted into the level need qualifying too (default
    /// false: a promotion is taken to bring the skill with it).
    #[serde(default)]
    pub promoted_in: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPromotion {
    /// Level promoted into.
    pub to: String,
    /// Annual probability of promotion once eligible, in [0, 1]; required
    /// for `push`; for `vacancy`, an upper bound on the monthly share promoted
    /// (default 1: no bound).
    pub rate: Option<f64>,
    /// Months in the level before a person is eligible (default 0).
    #[serde(default)]
    pub after_months: u32,
    /// `push` (default: eligible people are promoted at `rate`) or `vacancy`
    /// (as many are promoted as the target level has vacancies).
    pub mode: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCourse {
    /// Where graduates go: a level, or another course (joining its queue).
    pub graduates_to: String,
    /// Months from a class's start to its graduation (>= 1).
    pub length_months: u32,
    /// Seats in each class (>= 0, whole).
    pub seats_per_class: f64,
    /// Months of the year (1..12) in which a class starts.
    pub class_starts: Vec<u32>,
    /// Fraction of a class that does not graduate, in [0, 1] (default 0).
    #[serde(default)]
    pub washout: f64,
    /// Annual rate at which people waiting for a seat give up, in [0, 1] (default 0).
    #[serde(default)]
    pub queue_attrition: f64,
    /// People already waiting for a seat at the start (>= 0, whole; default 0).
    #[serde(default)]
    pub initial_queue: f64,
    /// Months of service owed after graduating into a level (default 0 = none).
    #[serde(default)]
    pub obligation_months: u32,
    /// Attrition multiplier while obligated, >= 0 (default 1).
    pub obligated_attrition_factor: Option<f64>,
    /// Fraction leaving at the end of the obligation's last month, in [0, 1] (default 0).
    #[serde(default)]
    pub obligation_end_exit: f64,
    /// Instructor limit on the seats (optional).
    pub instructors: Option<RawInstructors>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstructors {
    /// Level the instructors are drawn from (they stay counted in it).
    pub level: String,
    /// Students one instructor can teach at once (> 0).
    pub students_per_instructor: f64,
    /// Largest share of that level's headcount that may teach at once, in [0, 1].
    pub max_share: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInflow {
    /// Course whose queue the entrants join (give this or `level`).
    pub course: Option<String>,
    /// Level the entrants join directly, untrained (give this or `course`).
    pub level: Option<String>,
    /// Planned entrants per fiscal year for years not in `by_fiscal_year` (default 0).
    pub per_year: Option<f64>,
    /// Planned entrants for particular fiscal years, e.g. `{ 2025 = 80 }`.
    #[serde(default)]
    pub by_fiscal_year: BTreeMap<String, f64>,
    /// Fraction of the plan actually achieved, >= 0 (default 1).
    pub achievement: Option<f64>,
    /// Twelve weights >= 0 (positive sum) spreading a year's entrants over the
    /// fiscal year's months, from its first month (default even).
    pub monthly_pattern: Option<Vec<f64>>,
    /// Fixed term in months: entrants leave at its end (level inflows only).
    pub term_months: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    /// Month at whose end the change applies, `YYYY-MM`.
    pub date: String,
    /// Level changed.
    pub level: String,
    /// People added (negative: removed), whole.
    pub change: f64,
    /// Months the people added have already served in the level, as a level's
    /// `initial_tenure` (additions only). Default: eligible for promotion at once.
    pub tenure: Option<RawTenure>,
    /// What the event is.
    pub note: Option<String>,
}

/// Time already served in a level: one number for everyone, or shares by
/// month of service. Written as a TOML number or a list of numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum RawTenure {
    Months(f64),
    Shares(Vec<f64>),
}

impl<'de> Deserialize<'de> for RawTenure {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawTenure, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawTenure;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number of months, or a list of shares by month of service")
            }
            fn visit_i64<E: serde::de::Error>(self, x: i64) -> Result<RawTenure, E> {
                Ok(RawTenure::Months(x as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, x: u64) -> Result<RawTenure, E> {
                Ok(RawTenure::Months(x as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<RawTenure, E> {
                Ok(RawTenure::Months(x))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<RawTenure, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<f64>()? {
                    v.push(x);
                }
                Ok(RawTenure::Shares(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShock {
    /// First month of the shock, `YYYY-MM`.
    pub from: String,
    /// Last month of the shock, `YYYY-MM`, inclusive.
    pub to: String,
    /// Levels affected.
    pub levels: Vec<String>,
    /// Multiplier on the attrition hazard, >= 0.
    pub attrition_factor: f64,
}

/// How one parameter varies between Monte Carlo runs (drawn once per run).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUncertainty {
    /// `normal`, `beta`, `uniform`, `triangular`, `lognormal`, or `none` (not drawn).
    pub dist: String,
    /// Standard deviation (normal, beta, lognormal); the mean is the configured value.
    pub sd: Option<f64>,
    /// Lower bound (uniform, triangular) or clamp (normal).
    pub min: Option<f64>,
    /// Most likely value (triangular; default the configured value).
    pub mode: Option<f64>,
    /// Upper bound (uniform, triangular) or clamp (normal).
    pub max: Option<f64>,
    /// Where the range comes from.
    pub note: Option<String>,
}

/// One published headcount: a count of people in post, or a plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObserved {
    /// Month at whose end the headcount was observed, `YYYY-MM`; inside the
    /// horizon, or the month before `start` (the initial state).
    pub date: String,
    /// People observed (>= 0): the counted total, or the level's stock when `level` is given.
    pub headcount: f64,
    /// `count` (people in post: fitted by `calibrate`) or `plan` (a target: shown,
    /// fitted only with `--use all`).
    pub kind: RawObservedKind,
    /// Measurement uncertainty in people (> 0; default 5 % of the headcount, at least 1).
    pub sd: Option<f64>,
    /// Level whose stock was observed (default: the counted total of `[target]`).
    pub level: Option<String>,
    /// Where the figure comes from.
    pub source: Option<String>,
    /// Short label shown on charts and reports.
    pub label: Option<String>,
}

/// What an observation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawObservedKind {
    Count,
    Plan,
}

/// Fiscal-year keys are written as TOML keys, so they arrive as strings.
pub fn parse_fiscal_year_key(key: &str) -> Option<i32> {
    if key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()) {
        key.parse().ok()
    } else {
        None
    }
}

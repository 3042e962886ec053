//! The checked, typed scenario the engine runs. Every value here has passed
//! validation (ranges, names resolved to indices, dates inside the horizon),
//! so the engine never re-checks.

use crate::month::Month;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    pub source: Option<String>,
    pub start: Month,
    pub end: Month,
    pub fy_start_month: u32,
    pub seed: u64,
    pub target: Target,
    pub levels: Vec<Level>,
    pub courses: Vec<Course>,
    pub inflows: Vec<Inflow>,
    pub events: Vec<Event>,
    pub shocks: Vec<Shock>,
    pub uncertainty: Vec<Uncertainty>,
    /// Published headcounts, sorted by date (file order within a month).
    pub observed: Vec<Observation>,
    /// Policy changes, in file order (`changes.N` is the N-th).
    pub changes: Vec<Change>,
    /// Unit costs and budgets, when the config has `[costs]`.
    pub costs: Option<Costs>,
}

/// Unit costs, in `currency`; every vector is indexed like the scenario's
/// levels, courses or inflows (0 = not listed).
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    pub currency: String,
    /// Yearly pay per person in post, by level.
    pub pay: Vec<f64>,
    /// Per person in class per month, by course.
    pub per_trainee_month: Vec<f64>,
    /// Per class started, by course.
    pub per_class: Vec<f64>,
    /// Per entrant, by inflow.
    pub per_entrant: Vec<f64>,
    /// Budget by fiscal year (years not listed have none).
    pub budget: BTreeMap<i32, f64>,
}

/// From `from` on, `param` has `value` (a later change of the same parameter replaces it).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub from: Month,
    pub param: crate::params::Param,
    pub value: f64,
    pub note: Option<String>,
}

/// Months already served in a level by people placed in it at once (the
/// initial stock, an event's additions).
#[derive(Debug, Clone, PartialEq)]
pub enum Tenure {
    /// Everyone has served this many months.
    Months(u32),
    /// `shares[k]` of them have served k months; the shares sum to 1.
    Shares(Vec<f64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Indices of the levels counted in the total.
    pub levels: Vec<usize>,
    pub queue: bool,
    pub training: bool,
    /// Whether only qualified people of the counted levels count.
    pub count_qualified: bool,
    /// Sorted by date.
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub date: Month,
    pub headcount: f64,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub name: String,
    pub initial: f64,
    /// Months the initial stock has served in the level; `None` = eligible at once.
    pub initial_tenure: Option<Tenure>,
    /// Annual probability of leaving, in [0, 1).
    pub attrition: f64,
    pub promotion: Option<Promotion>,
    /// Authorised posts, if given.
    pub authorised: Option<Authorised>,
    /// On-the-job qualification of people joining the level, if any.
    pub qualification: Option<Qualification>,
}

/// On-the-job qualification: joiners wait for a mentor slot (first come,
/// first served), then qualify after `months` (docs/model.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Qualification {
    /// Months in qualification, >= 1.
    pub months: u32,
    /// Levels whose qualified people mentor, distinct.
    pub mentors: Vec<usize>,
    /// Trainees per mentor, > 0.
    pub per_mentor: f64,
    /// Whether people promoted into the level need qualifying.
    pub promoted_in: bool,
}

/// Authorised posts in a level: `per_year` for fiscal years not listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorised {
    pub per_year: f64,
    pub by_fiscal_year: BTreeMap<i32, f64>,
}

impl Authorised {
    /// Posts in fiscal year `fy`.
    pub fn in_year(&self, fy: i32) -> f64 {
        self.by_fiscal_year
            .get(&fy)
            .copied()
            .unwrap_or(self.per_year)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Promotion {
    pub to: usize,
    /// Annual probability, in [0, 1]: the rate (push), or the bound on the
    /// monthly share promoted (vacancy; 1 = no bound).
    pub rate: f64,
    pub after_months: u32,
    pub mode: PromotionMode,
}

/// How many eligible people a promotion moves each month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromotionMode {
    /// Each eligible person with the monthly probability of `rate`.
    Push,
    /// As many as the target level has vacancies, at most the monthly share of `rate`.
    Vacancy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Level(usize),
    Course(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub name: String,
    pub graduates_to: Destination,
    pub length_months: u32,
    pub seats_per_class: f64,
    /// `class_starts[m - 1]` is true when a class starts in month-of-year m.
    pub class_starts: [bool; 12],
    pub washout: f64,
    pub queue_attrition: f64,
    pub initial_queue: f64,
    pub obligation: Obligation,
    pub instructors: Option<Instructors>,
}

impl Course {
    pub fn classes_per_year(&self) -> usize {
        self.class_starts.iter().filter(|&&s| s).count()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Obligation {
    pub months: u32,
    pub attrition_factor: f64,
    pub end_exit: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Instructors {
    pub level: usize,
    pub students_per_instructor: f64,
    pub max_share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inflow {
    pub name: String,
    pub to: Destination,
    pub per_year: f64,
    pub by_fiscal_year: BTreeMap<i32, f64>,
    pub achievement: f64,
    /// Weights normalised to sum to 1, from the fiscal year's first month.
    pub monthly_share: [f64; 12],
    pub term_months: Option<u32>,
}

impl Inflow {
    /// Planned entrants in fiscal year `fy`, before achievement.
    pub fn planned(&self, fy: i32) -> f64 {
        self.by_fiscal_year
            .get(&fy)
            .copied()
            .unwrap_or(self.per_year)
    }

    /// Expected entrants arriving at the end of `month`.
    pub fn expected_in(&self, month: Month, fy_start_month: u32) -> f64 {
        self.planned(month.fiscal_year(fy_start_month))
            * self.achievement
            * self.monthly_share[month.fiscal_index(fy_start_month)]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub date: Month,
    pub level: usize,
    pub change: f64,
    /// Months the people added have served in the level; `None` = eligible at once.
    pub tenure: Option<Tenure>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Shock {
    pub from: Month,
    pub to: Month,
    pub levels: Vec<usize>,
    pub attrition_factor: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// The `--set` path of the parameter, e.g. `levels.advanced.attrition`.
    pub path: String,
    pub dist: Distribution,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Mean = configured value; clamped to `[min, max]` and the parameter's range.
    Normal {
        sd: f64,
        min: f64,
        max: f64,
    },
    /// Mean = configured value (a probability), with this sd.
    Beta {
        sd: f64,
    },
    /// Mean = configured value, with this sd (for positive quantities).
    LogNormal {
        sd: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
}

/// A published headcount the projection is compared with (and `calibrate` fits).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// End of this month; from the month before `start` (the initial state) to `end`.
    pub date: Month,
    pub headcount: f64,
    pub kind: ObservedKind,
    /// Measurement uncertainty in people, > 0 (defaulted at load when not given).
    pub sd: f64,
    /// The level whose stock was observed; `None` = the counted total.
    pub level: Option<usize>,
    pub source: Option<String>,
    pub label: Option<String>,
}

/// Whether an observation counted people in post or stated a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObservedKind {
    Count,
    Plan,
}

impl ObservedKind {
    pub fn name(self) -> &'static str {
        match self {
            ObservedKind::Count => "count",
            ObservedKind::Plan => "plan",
        }
    }
}

impl Scenario {
    /// Months simulated (start ..= end).
    pub fn horizon(&self) -> usize {
        (self.end.since(self.start) + 1) as usize
    }

    pub fn level_index(&self, name: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.name == name)
    }

    /// Authorised posts of `level` in `month`, if it has any.
    pub fn authorised_in(&self, level: usize, month: Month) -> Option<f64> {
        self.levels[level]
            .authorised
            .as_ref()
            .map(|a| a.in_year(month.fiscal_year(self.fy_start_month)))
    }

    /// Whether any promotion is vacancy-driven (the level step then runs top down).
    pub fn has_vacancy_promotion(&self) -> bool {
        self.levels.iter().any(|l| {
            l.promotion
                .as_ref()
                .is_some_and(|p| p.mode == PromotionMode::Vacancy)
        })
    }

    /// Whether any level has on-the-job qualification (engines that do not
    /// model it must fall back to `engine::simulate`).
    pub fn has_qualification(&self) -> bool {
        self.levels.iter().any(|l| l.qualification.is_some())
    }

    pub fn final_milestone(&self) -> Option<&Milestone> {
        self.target.milestones.last()
    }

    /// Product of the attrition factors of the shocks active on `level` in `month`.
    pub fn shock_factor(&self, level: usize, month: Month) -> f64 {
        self.shocks
            .iter()
            .filter(|s| s.from <= month && month <= s.to && s.levels.contains(&level))
            .map(|s| s.attrition_factor)
            .product()
    }

    /// The scenario as it stands in `month`: every change from that month or
    /// earlier applied, in date order (file order within a month).
    pub fn in_effect(&self, month: Month) -> std::borrow::Cow<'_, Scenario> {
        if !self.changes.iter().any(|c| c.from <= month) {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut s = self.clone();
        let mut due: Vec<&Change> = self.changes.iter().filter(|c| c.from <= month).collect();
        due.sort_by_key(|c| c.from);
        for c in due {
            c.param.set(&mut s, c.value);
        }
        std::borrow::Cow::Owned(s)
    }

    /// The first months of the periods in which the parameters are constant:
    /// `start`, then each change's month after it, sorted and distinct.
    pub fn change_months(&self) -> Vec<Month> {
        let mut m: Vec<Month> = std::iter::once(self.start)
            .chain(
                self.changes
                    .iter()
                    .map(|c| c.from)
                    .filter(|&f| f > self.start),
            )
            .collect();
        m.sort();
        m.dedup();
        m
    }

    /// Course seats offered per year if every class fills (before instructor limits).
    pub fn seats_per_year(&self, course: usize) -> f64 {
        let c = &self.courses[course];
        c.seats_per_class * c.classes_per_year() as f64
    }
}

/// Annual rate `a` with hazard factor `f` as a monthly probability:
/// `1 - (1 - a)^(f / 12)`.
pub fn monthly_probability(annual: f64, factor: f64) -> f64 {
    if annual >= 1.0 {
        return if factor > 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - (1.0 - annual).powf(factor / 12.0)
}

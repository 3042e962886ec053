//! Annual rates as monthly probabilities: the one derivation that the
//! projection, the Monte Carlo (both through [`super::simulate`]) and the
//! Markov analysis (`analysis::chain`) all read, so `analyze` restates
//! exactly the dynamics `run` simulates. `docs/model.md` gives the formulas.

use crate::month::Month;
use crate::scenario::{monthly_probability, Course, Level, PromotionMode, Scenario};
use std::borrow::Cow;

/// Monthly probability of leaving `level` under the attrition shock factor
/// `shock`, for someone obligated by `obligation`'s course (`None`: unobligated).
pub fn leave_probability(s: &Scenario, level: usize, shock: f64, obligation: Option<usize>) -> f64 {
    let a = s.levels[level].attrition;
    match obligation {
        None => monthly_probability(a, shock),
        Some(c) => monthly_probability(a, shock * s.courses[c].obligation.attrition_factor),
    }
}

/// Monthly probability that an eligible person who stayed is promoted (0 without promotion).
pub fn promotion_probability(level: &Level) -> f64 {
    level
        .promotion
        .as_ref()
        .map_or(0.0, |p| monthly_probability(p.rate, 1.0))
}

/// Monthly probability that someone still waiting in the course's queue drops out.
pub fn queue_dropout_probability(course: &Course) -> f64 {
    monthly_probability(course.queue_attrition, 1.0)
}

/// The monthly probabilities of one calendar month, shocks included.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRates {
    /// Leaving probabilities, flat: see [`MonthRates::leave_variant`].
    leave: Vec<f64>,
    /// Obligation variants per level: 1 + number of courses.
    variants: usize,
    /// Per level: [`promotion_probability`].
    pub promote: Vec<f64>,
    /// Per level: the level promoted to, if any.
    pub to: Vec<Option<usize>>,
    /// Per level: months in level from which promotion applies (0 without promotion).
    pub cap: Vec<u32>,
    /// Per level: whether its promotion is vacancy-driven; `promote` is then
    /// the bound on the monthly share promoted, not the share itself.
    pub vacancy: Vec<bool>,
    /// Per course: share of those still there who leave when its obligation ends.
    pub end_exit: Vec<f64>,
    /// Per course: [`queue_dropout_probability`].
    pub queue_dropout: Vec<f64>,
    /// Per level: months of on-the-job qualification its joiners need (0 = none).
    pub qualify: Vec<u32>,
    /// Per level: whether people promoted into it need qualifying too.
    pub qualify_promoted: Vec<bool>,
}

impl MonthRates {
    /// The rates of `month`: the parameters in effect then (every
    /// `[[changes]]` entry from that month or earlier applied), its shocks included.
    pub fn new(s: &Scenario, month: Month) -> MonthRates {
        let now = s.in_effect(month);
        MonthRates::with_shocks(&now, |l| s.shock_factor(l, month))
    }

    /// The rates with attrition shock factor `shock(level)` on each level.
    pub fn with_shocks(s: &Scenario, shock: impl Fn(usize) -> f64) -> MonthRates {
        let variants = 1 + s.courses.len();
        let mut leave = Vec::with_capacity(s.levels.len() * variants);
        for l in 0..s.levels.len() {
            let f = shock(l);
            leave.push(leave_probability(s, l, f, None));
            leave.extend((0..s.courses.len()).map(|c| leave_probability(s, l, f, Some(c))));
        }
        MonthRates {
            leave,
            variants,
            promote: s.levels.iter().map(promotion_probability).collect(),
            to: s
                .levels
                .iter()
                .map(|l| l.promotion.as_ref().map(|p| p.to))
                .collect(),
            cap: s
                .levels
                .iter()
                .map(|l| l.promotion.as_ref().map_or(0, |p| p.after_months))
                .collect(),
            vacancy: s
                .levels
                .iter()
                .map(|l| {
                    l.promotion
                        .as_ref()
                        .is_some_and(|p| p.mode == PromotionMode::Vacancy)
                })
                .collect(),
            end_exit: s.courses.iter().map(|c| c.obligation.end_exit).collect(),
            queue_dropout: s.courses.iter().map(queue_dropout_probability).collect(),
            qualify: s
                .levels
                .iter()
                .map(|l| l.qualification.as_ref().map_or(0, |q| q.months))
                .collect(),
            qualify_promoted: s
                .levels
                .iter()
                .map(|l| l.qualification.as_ref().is_some_and(|q| q.promoted_in))
                .collect(),
        }
    }

    /// Obligation variants per level: 1 + number of courses.
    pub fn variants(&self) -> usize {
        self.variants
    }

    /// A person's monthly leaving probability in `level`, unobligated.
    pub fn leave(&self, level: usize) -> f64 {
        self.leave_variant(level, 0)
    }

    /// Monthly leaving probability in `level`; `v` = 0 unobligated, `v` =
    /// c + 1 obligated by course c.
    #[inline]
    pub fn leave_variant(&self, level: usize, v: usize) -> f64 {
        self.leave[level * self.variants + v]
    }
}

/// The rates of every month of a scenario's horizon, as the engine reads them.
pub(super) struct HorizonRates<'a> {
    /// The scenario in effect in each period between `[[changes]]` dates
    /// (one, the scenario itself, without changes).
    versions: Vec<Cow<'a, Scenario>>,
    /// `versions[version_of[t]]` is in effect in month t.
    version_of: Vec<usize>,
    /// One entry per distinct (version, shock factors): months share them
    /// (`powf` is the costly part of setting up a Monte Carlo run).
    distinct: Vec<(usize, Vec<f64>, MonthRates)>,
    /// `distinct[of_month[t]]` holds the rates of month t.
    of_month: Vec<usize>,
    /// Expected entrants of each inflow in each month.
    pub inflow: Vec<Vec<f64>>,
}

impl<'a> HorizonRates<'a> {
    pub fn new(s: &'a Scenario) -> HorizonRates<'a> {
        let horizon = s.horizon();
        let starts = s.change_months();
        let versions: Vec<Cow<'a, Scenario>> = starts.iter().map(|&m| s.in_effect(m)).collect();
        let no_shock = vec![1.0; s.levels.len()];
        let mut distinct = vec![(
            0,
            no_shock.clone(),
            MonthRates::with_shocks(&versions[0], |_| 1.0),
        )];
        let mut of_month = Vec::with_capacity(horizon);
        let mut version_of = Vec::with_capacity(horizon);
        let mut factors = no_shock;
        let mut v = 0;
        for t in 0..horizon {
            let month = s.start.plus(t as i32);
            while v + 1 < starts.len() && starts[v + 1] <= month {
                v += 1;
            }
            version_of.push(v);
            if !s.shocks.is_empty() {
                for (l, f) in factors.iter_mut().enumerate() {
                    *f = s.shock_factor(l, month);
                }
            }
            let i = match distinct
                .iter()
                .position(|(w, f, _)| *w == v && *f == factors)
            {
                Some(i) => i,
                None => {
                    let rates = MonthRates::with_shocks(&versions[v], |l| factors[l]);
                    distinct.push((v, factors.clone(), rates));
                    distinct.len() - 1
                }
            };
            of_month.push(i);
        }
        let inflow = (0..s.inflows.len())
            .map(|k| {
                (0..horizon)
                    .map(|t| {
                        versions[version_of[t]].inflows[k]
                            .expected_in(s.start.plus(t as i32), s.fy_start_month)
                    })
                    .collect()
            })
            .collect();
        HorizonRates {
            versions,
            version_of,
            distinct,
            of_month,
            inflow,
        }
    }

    /// The rates of month `t` of the horizon.
    #[inline]
    pub fn month(&self, t: usize) -> &MonthRates {
        &self.distinct[self.of_month[t]].2
    }

    /// The scenario's parameters in effect in month `t` of the horizon.
    #[inline]
    pub fn scenario(&self, t: usize) -> &Scenario {
        &self.versions[self.version_of[t]]
    }

    /// The rates of the first month's parameters without shocks.
    pub fn unshocked(&self) -> &MonthRates {
        &self.distinct[0].2
    }
}

//! What a projection costs, month by month and per fiscal year, from the
//! engine's per-month [`Snapshot`]s (an [`Observer`]), never from inside the
//! engine. The conventions (docs/model.md, "Costs"):
//! - pay: a level's yearly pay / 12 on each month's end-of-month stock;
//! - training: `per_trainee_month` on the people in class at the end of the month;
//! - classes: `per_class` in the month a class starts (with at least one trainee);
//! - entrants: `per_entrant` on each arrival of an inflow.
//!
//! The figures in effect in a month are those of `Scenario::in_effect`, so
//! `[[changes]]` on `costs.*` paths apply from their month. The initial state
//! (the month before `start`) costs nothing.

pub mod optimize;
pub mod runs;
pub mod table;

use crate::engine::{ClassRecord, Observer, Projection, Snapshot};
use crate::month::Month;
use crate::scenario::{Costs, Scenario};
use serde::Serialize;

/// The cost components, in the order of every table and chart.
pub const COMPONENTS: [&str; 4] = ["pay", "training", "classes", "entrants"];

/// Spending of one month or one fiscal year, by component.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spend {
    pub pay: f64,
    pub training: f64,
    pub classes: f64,
    pub entrants: f64,
}

impl Spend {
    pub fn total(&self) -> f64 {
        self.pay + self.training + self.classes + self.entrants
    }

    /// The components in the order of [`COMPONENTS`].
    pub fn parts(&self) -> [f64; 4] {
        [self.pay, self.training, self.classes, self.entrants]
    }

    pub fn add(&mut self, o: &Spend) {
        self.pay += o.pay;
        self.training += o.training;
        self.classes += o.classes;
        self.entrants += o.entrants;
    }
}

/// The cost figures in effect in each simulated month.
#[derive(Debug, Clone)]
pub struct Meter {
    start: Month,
    fy_start: u32,
    /// The distinct sets of figures, and which one applies in each month.
    figures: Vec<Costs>,
    by_month: Vec<usize>,
    /// Class costs of the month being simulated (classes start before its snapshot).
    classes: f64,
    /// Whether a `[[changes]]` entry sets a cost (else every set of figures
    /// is the scenario's own `[costs]`).
    cost_changes: bool,
}

impl Meter {
    /// `None` when the scenario has no `[costs]`.
    pub fn new(s: &Scenario) -> Option<Meter> {
        s.costs.as_ref()?;
        let mut figures: Vec<Costs> = Vec::new();
        let mut by_month = Vec::with_capacity(s.horizon());
        let changes = s.change_months();
        for t in 0..s.horizon() {
            let month = s.start.plus(t as i32);
            if t == 0 || changes.contains(&month) {
                let now = s.in_effect(month);
                figures.push(
                    now.costs
                        .clone()
                        .expect("costs are not removed by a change"),
                );
            }
            by_month.push(figures.len() - 1);
        }
        Some(Meter {
            start: s.start,
            fy_start: s.fy_start_month,
            figures,
            by_month,
            classes: 0.0,
            cost_changes: s.changes.iter().any(|c| c.param.is_cost()),
        })
    }

    /// The figures of `s`, a run's scenario with its parameter draws (the
    /// scenario this meter was made for, with only parameter values changed).
    /// Without dated cost changes every period's figures are `s`'s `[costs]`,
    /// copied in place: nothing is allocated per run.
    pub fn reload(&mut self, s: &Scenario) {
        match (&s.costs, self.cost_changes) {
            (Some(c), false) => self.figures.iter_mut().for_each(|f| f.clone_from(c)),
            (Some(_), true) => {
                if let Some(m) = Meter::new(s) {
                    self.figures = m.figures;
                }
            }
            (None, _) => {}
        }
    }

    fn figures(&self, month: Month) -> &Costs {
        let t = month
            .since(self.start)
            .clamp(0, self.by_month.len() as i32 - 1) as usize;
        &self.figures[self.by_month[t]]
    }

    /// A class start: its fixed cost goes to the month's spending.
    pub fn class(&mut self, r: &ClassRecord) {
        if r.started > 0.0 {
            self.classes += self.figures(r.month).per_class[r.course];
        }
    }

    /// The month's spending, or `None` for the initial state.
    pub fn month(&mut self, snap: &Snapshot<'_>) -> Option<Spend> {
        let classes = std::mem::take(&mut self.classes);
        if snap.month < self.start {
            return None;
        }
        let c = self.figures(snap.month);
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        Some(Spend {
            pay: dot(&c.pay, snap.levels) / 12.0,
            training: dot(&c.per_trainee_month, snap.training),
            classes,
            entrants: dot(&c.per_entrant, snap.inflows),
        })
    }

    pub fn fiscal_year(&self, month: Month) -> i32 {
        month.fiscal_year(self.fy_start)
    }
}

/// One month's spending.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthCost {
    pub month: Month,
    pub fiscal_year: i32,
    pub spend: Spend,
}

/// Keeps every month's spending.
#[derive(Debug, Clone)]
pub struct Ledger {
    meter: Meter,
    pub months: Vec<MonthCost>,
}

impl Ledger {
    pub fn new(s: &Scenario) -> Option<Ledger> {
        Some(Ledger {
            meter: Meter::new(s)?,
            months: Vec::with_capacity(s.horizon()),
        })
    }
}

impl Observer for Ledger {
    fn month(&mut self, snap: &Snapshot<'_>) {
        if let Some(spend) = self.meter.month(snap) {
            self.months.push(MonthCost {
                month: snap.month,
                fiscal_year: self.meter.fiscal_year(snap.month),
                spend,
            });
        }
    }
    fn class(&mut self, r: &ClassRecord) {
        self.meter.class(r);
    }
}

/// The spending of an expected-value projection: its rows and classes
/// replayed, in the engine's order, into a [`Ledger`]. `None` without `[costs]`.
pub fn ledger(s: &Scenario, p: &Projection) -> Option<Ledger> {
    let mut l = Ledger::new(s)?;
    let mut classes = p.classes.iter().peekable();
    for r in &p.rows {
        while let Some(c) = classes.next_if(|c| c.month <= r.month) {
            l.class(c);
        }
        l.month(&Snapshot {
            month: r.month,
            total: r.total,
            levels: &r.levels,
            queues: &r.queues,
            training: &r.training,
            instructors: r.instructors,
            flows: &r.flows,
            inflows: &r.inflows,
            promotion_share: &r.promotion_share,
            qualification: &r.qualification,
        });
    }
    Some(l)
}

/// One fiscal year's spending and its budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearCost {
    pub fiscal_year: i32,
    /// Months of the year inside the horizon (the first and last may be partial).
    pub months: u32,
    #[serde(flatten)]
    pub spend: Spend,
    pub total: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    /// Whether the total is within the budget (absent without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_budget: Option<bool>,
}

impl Ledger {
    /// Spending per fiscal year, in order.
    pub fn by_fiscal_year(&self, costs: &Costs) -> Vec<YearCost> {
        let mut out: Vec<YearCost> = Vec::new();
        for m in &self.months {
            if out.last().is_none_or(|y| y.fiscal_year != m.fiscal_year) {
                out.push(YearCost {
                    fiscal_year: m.fiscal_year,
                    months: 0,
                    spend: Spend::default(),
                    total: 0.0,
                    budget: costs.budget.get(&m.fiscal_year).copied(),
                    within_budget: None,
                });
            }
            let y = out.last_mut().expect("pushed");
            y.months += 1;
            y.spend.add(&m.spend);
        }
        for y in &mut out {
            y.total = y.spend.total();
            y.within_budget = y.budget.map(|b| y.total <= b + budget_slack(b));
        }
        out
    }

    /// Spending over the whole horizon.
    pub fn total(&self) -> Spend {
        let mut s = Spend::default();
        for m in &self.months {
            s.add(&m.spend);
        }
        s
    }
}

/// Rounding room when comparing a total with a budget: sums of monthly
/// figures are not exact in binary.
pub fn budget_slack(budget: f64) -> f64 {
    1e-9 * budget.abs().max(1.0)
}

/// What `summary.json` says about costs.
#[derive(Debug, Clone, Serialize)]
pub struct CostSummary {
    pub currency: String,
    /// Over the whole horizon.
    pub total: f64,
    pub by_component: Spend,
    /// Counted total at the end minus at the start.
    pub added_people: f64,
    /// `total / added_people`; absent when the total did not grow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_per_added_person: Option<f64>,
    pub fiscal_years: Vec<YearCost>,
    /// Fiscal years whose spending exceeds their budget.
    pub over_budget: Vec<i32>,
}

impl CostSummary {
    pub fn new(s: &Scenario, p: &Projection) -> Option<CostSummary> {
        let costs = s.costs.as_ref()?;
        let l = ledger(s, p)?;
        let by_component = l.total();
        let total = by_component.total();
        let added_people = p.final_row().total - p.rows[0].total;
        let fiscal_years = l.by_fiscal_year(costs);
        Some(CostSummary {
            currency: costs.currency.clone(),
            total,
            by_component,
            added_people,
            cost_per_added_person: (added_people > 0.0).then(|| total / added_people),
            over_budget: fiscal_years
                .iter()
                .filter(|y| y.within_budget == Some(false))
                .map(|y| y.fiscal_year)
                .collect(),
            fiscal_years,
        })
    }
}

//! Costs in the Monte Carlo: each run's spending per fiscal year, through the
//! same runs as `mc` ([`crate::montecarlo::run_tally`]), summarised as
//! percentiles. Runs are kept (a handful of numbers each) and sorted, so the
//! summary does not depend on which thread ran which run.

use super::{budget_slack, Meter};
use crate::engine::{ClassRecord, Observer, Snapshot};
use crate::montecarlo::{self, Options, Tally};
use crate::scenario::Scenario;
use serde::Serialize;

/// Every run's spending per fiscal year and over the horizon.
#[derive(Debug, Clone)]
pub struct CostRuns {
    meter: Meter,
    first_fy: i32,
    years: usize,
    /// Per run: one total per fiscal year, then the horizon's total.
    values: Vec<f64>,
    current: Vec<f64>,
    /// Whether runs draw unit costs (`[uncertainty]` on a `costs.*` path or
    /// on a dated change of one): then each run's figures are its own.
    drawn: bool,
}

impl CostRuns {
    fn new(s: &Scenario, meter: Meter) -> CostRuns {
        let first_fy = s.start.fiscal_year(s.fy_start_month);
        let years = (s.end.fiscal_year(s.fy_start_month) - first_fy + 1) as usize;
        CostRuns {
            meter,
            first_fy,
            years,
            values: Vec::new(),
            current: vec![0.0; years + 1],
            drawn: s.uncertainty.iter().any(|u| {
                crate::params::Param::parse(s, &u.path).is_ok_and(|p| {
                    p.is_cost()
                        || matches!(p, crate::params::Param::ChangeValue(i, _) if s.changes[i].param.is_cost())
                })
            }),
        }
    }
}

impl Observer for CostRuns {
    fn month(&mut self, snap: &Snapshot<'_>) {
        if let Some(spend) = self.meter.month(snap) {
            let t = spend.total();
            let y = (self.meter.fiscal_year(snap.month) - self.first_fy) as usize;
            self.current[y] += t;
            self.current[self.years] += t;
        }
    }
    fn class(&mut self, r: &ClassRecord) {
        self.meter.class(r);
    }
}

impl Tally for CostRuns {
    fn scenario(&mut self, s: &Scenario) {
        if self.drawn {
            self.meter.reload(s);
        }
    }
    fn start_run(&mut self) {
        self.current.iter_mut().for_each(|x| *x = 0.0);
    }
    fn end_run(&mut self) {
        self.values.extend_from_slice(&self.current);
    }
    fn merge(&mut self, mut other: CostRuns) {
        self.values.append(&mut other.values);
    }
}

/// Percentiles of one fiscal year's (or the horizon's) spending over the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostPercentiles {
    /// `None` for the whole horizon.
    pub fiscal_year: Option<i32>,
    pub mean: f64,
    /// Standard deviation over the runs (n - 1 in the denominator).
    pub sd: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    /// Share of runs within the budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within_budget: Option<f64>,
}

/// Cost percentiles of the Monte Carlo of `s`: one row per fiscal year, then
/// the whole horizon. `None` without `[costs]`.
pub fn percentiles(s: &Scenario, opts: &Options) -> Result<Option<Vec<CostPercentiles>>, String> {
    let Some(meter) = Meter::new(s) else {
        return Ok(None);
    };
    let costs = s.costs.as_ref().expect("a meter means costs");
    let runs = montecarlo::run_tally(s, opts, || CostRuns::new(s, meter.clone()))?;
    let stride = runs.years + 1;
    let n = runs.values.len() / stride;
    let mut out = Vec::with_capacity(stride);
    for k in 0..stride {
        let mut v: Vec<f64> = (0..n).map(|r| runs.values[r * stride + k]).collect();
        v.sort_by(f64::total_cmp);
        let fiscal_year = (k < runs.years).then(|| runs.first_fy + k as i32);
        let budget = fiscal_year.and_then(|fy| costs.budget.get(&fy).copied());
        let mean = v.iter().sum::<f64>() / n as f64;
        let ss: f64 = v.iter().map(|x| (x - mean) * (x - mean)).sum();
        out.push(CostPercentiles {
            fiscal_year,
            mean,
            sd: if n > 1 {
                (ss / (n - 1) as f64).sqrt()
            } else {
                0.0
            },
            p5: nearest_rank(&v, 5),
            p50: nearest_rank(&v, 50),
            p95: nearest_rank(&v, 95),
            budget,
            within_budget: budget
                .map(|b| v.iter().filter(|&&x| x <= b + budget_slack(b)).count() as f64 / n as f64),
        });
    }
    Ok(Some(out))
}

/// The nearest-rank percentile of sorted values (as the headcount percentiles).
fn nearest_rank(sorted: &[f64], pct: u32) -> f64 {
    match crate::montecarlo::stats::rank(pct, sorted.len() as u64) {
        Some(r) => sorted[r as usize - 1],
        None => f64::NAN,
    }
}

/// `mc_costs.csv`: a row per fiscal year, then `all` for the horizon.
pub fn table(rows: &[CostPercentiles]) -> crate::output::csv::Table {
    use crate::output::csv::{Cell, Table};
    let mut t = Table::new([
        "fiscal_year",
        "mean",
        "sd",
        "p5",
        "p50",
        "p95",
        "budget",
        "share_within_budget",
    ]);
    for r in rows {
        let mut row: Vec<Cell> = vec![r
            .fiscal_year
            .map_or("all".to_string(), |f| f.to_string())
            .into()];
        row.extend(
            [
                r.mean,
                r.sd,
                r.p5,
                r.p50,
                r.p95,
                r.budget.unwrap_or(f64::NAN),
                r.within_budget.unwrap_or(f64::NAN),
            ]
            .map(Cell::Num),
        );
        t.push(row);
    }
    t
}

//! `forcecast optimize`: the cheapest values of several levers (optionally one
//! per fiscal year) that meet every milestone, within the levers' bounds and
//! the yearly budgets; or, when none does, the plan closest to them.
//!
//! The engine is not linear in every lever (seats bind, instructors bind), so
//! the plan is found by sequential linear programming over the engine's
//! measured response: at a plan, every lever is moved by a step and the
//! engine run again (finite differences of each milestone's total and each
//! fiscal year's cost); a linear programme (`good_lp` with the pure-Rust
//! `microlp` solver) picks the next plan from that response; the engine runs
//! it; and so on until the plan stops moving. Inflow volumes enter the
//! engine linearly while no capacity binds, so then one step is exact. Every
//! plan is judged by its simulation, never by the linear model: the answer is
//! the cheapest simulated plan that met every milestone (and budget), else
//! the simulated plan with the least shortfall.
//!
//! At `--probability P`, each milestone's target is raised by a margin, the
//! gap between the expected total and the Monte Carlo total the runs must
//! beat, until the plan meets every milestone together in at least P of the
//! runs; bisection on the same runs then finds the least such margin, and
//! the plan is checked again on a fresh set of runs (another seed).

use super::{budget_slack, Meter, Spend};
use crate::engine::{self, ClassLimit, ClassRecord, Expected, Observer, Snapshot};
use crate::montecarlo::{self, Options, Tally};
use crate::month::Month;
use crate::params::{Kind, Param};
use crate::scenario::Scenario;
use good_lp::{
    constraint, microlp, variable, Expression, ResolutionError, Solution, SolverModel, Variable,
};
use serde::Serialize;

/// The note on the `[[changes]]` entries a plan's dated values become.
const PLAN_NOTE: &str = "forcecast optimize plan";

/// How close (relative) to a whole number a whole-number lever is rounded to it.
const NEAR_WHOLE: f64 = 1e-4;

/// Most plans simulated by the linear-programming loop.
const MAX_ROUNDS: usize = 100;
/// Most margin adjustments at a probability.
const MAX_MARGIN_ROUNDS: usize = 12;

/// What the plan minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// The total cost over the horizon, meeting every milestone.
    Cost,
    /// The total shortfall against the milestones (people), then the cost.
    Shortfall,
}

/// One lever as given: a parameter path and its bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct LeverSpec {
    pub path: String,
    pub lo: f64,
    pub hi: f64,
}

/// One decision variable: a parameter of the scenario, in a fiscal year when
/// the lever was split by year.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    pub lever: String,
    pub param: Param,
    pub fiscal_year: Option<i32>,
    /// A capacity split by fiscal year (seats) has no `by_fiscal_year` table:
    /// its value holds from this month on, as a `[[changes]]` entry.
    pub from: Option<Month>,
    pub lo: f64,
    pub hi: f64,
    pub integer: bool,
}

/// Parses `PATH=LO:HI`.
pub fn parse_lever(text: &str) -> Result<LeverSpec, String> {
    let (path, range) = text.rsplit_once('=').ok_or_else(|| {
        format!("--lever {text}: expected PATH=LO:HI, e.g. inflows.recruits.per_year=100:400")
    })?;
    let (lo, hi) = range
        .split_once(':')
        .ok_or_else(|| format!("--lever {text}: expected the bounds as LO:HI, e.g. 100:400"))?;
    let num = |t: &str, what: &str| {
        t.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("--lever {text}: the {what} bound '{t}' is not a number"))
    };
    Ok(LeverSpec {
        path: path.trim().to_string(),
        lo: num(lo, "lower")?,
        hi: num(hi, "upper")?,
    })
}

/// The decision variables of `levers` in `s`: each lever one variable, or,
/// with `per_fiscal_year` = `Some(first)`, an inflow's `per_year` or a
/// course's `seats_per_class` one variable per fiscal year of the horizon
/// from `first` on (earlier years keep their values). Seats are split as
/// dated changes from each fiscal year's first month (classes starting in
/// that year get them). Errors name the lever and what is allowed.
pub fn variables(
    s: &Scenario,
    levers: &[LeverSpec],
    per_fiscal_year: Option<i32>,
) -> Result<Vec<Var>, String> {
    let years = fiscal_years(s);
    if let Some(first) = per_fiscal_year {
        if !years.contains(&first) {
            return Err(format!(
                "--first-fiscal-year {first}: the horizon's fiscal years are {} to {}",
                years[0],
                years[years.len() - 1]
            ));
        }
    }
    if levers.is_empty() {
        return Err("give at least one --lever PATH=LO:HI".into());
    }
    let mut out: Vec<Var> = Vec::new();
    for l in levers {
        let param = crate::goal::parse_param(s, "--lever", &l.path)?;
        if matches!(
            param,
            Param::Pay(_)
                | Param::TraineeMonthCost(_)
                | Param::ClassCost(_)
                | Param::EntrantCost(_)
                | Param::Budget(_)
        ) {
            return Err(format!(
                "--lever {}: a cost is not a lever (levers are volumes, seats and rates)",
                l.path
            ));
        }
        let r = param.range();
        if l.lo > l.hi {
            return Err(format!(
                "--lever {}={}:{}: the lower bound is above the upper bound",
                l.path, l.lo, l.hi
            ));
        }
        for (x, which) in [(l.lo, "lower"), (l.hi, "upper")] {
            if x < r.min || x > r.max || (r.max_exclusive && x >= r.max) {
                return Err(format!(
                    "--lever {}={}:{}: the {which} bound {x} is outside the parameter's range: {}",
                    l.path,
                    l.lo,
                    l.hi,
                    r.describe()
                ));
            }
        }
        let split_years = || {
            years
                .iter()
                .copied()
                .filter(|&fy| per_fiscal_year.is_some_and(|first| fy >= first))
        };
        let split: Vec<(Param, Option<i32>, Option<Month>)> = match param {
            Param::PerYear(k) if per_fiscal_year.is_some() => split_years()
                .map(|fy| (Param::FiscalYear(k, fy), Some(fy), None))
                .collect(),
            Param::Seats(_) if per_fiscal_year.is_some() => split_years()
                .map(|fy| (param, Some(fy), Some(fiscal_year_start(s, fy))))
                .collect(),
            Param::FiscalYear(_, fy) => vec![(param, Some(fy), None)],
            _ => vec![(param, None, None)],
        };
        for (param, fiscal_year, from) in split {
            if out.iter().any(|v| v.param == param && v.from == from) {
                return Err(format!(
                    "--lever {}: the same parameter is given twice",
                    l.path
                ));
            }
            out.push(Var {
                lever: l.path.clone(),
                param,
                fiscal_year,
                from,
                lo: l.lo,
                hi: l.hi,
                integer: r.integer,
            });
        }
    }
    Ok(out)
}

/// The first month of fiscal year `fy` inside the horizon.
fn fiscal_year_start(s: &Scenario, fy: i32) -> Month {
    let first = Month::new(fy, s.fy_start_month).unwrap_or(s.start);
    first.max(s.start)
}

/// The fiscal years the horizon touches, in order.
pub fn fiscal_years(s: &Scenario) -> Vec<i32> {
    (s.start.fiscal_year(s.fy_start_month)..=s.end.fiscal_year(s.fy_start_month)).collect()
}

/// What one simulated plan gives: each milestone's total and each fiscal
/// year's spending.
#[derive(Debug, Clone, PartialEq)]
pub struct Eval {
    pub milestones: Vec<f64>,
    /// Indexed like [`fiscal_years`].
    pub years: Vec<Spend>,
    /// Per course: whether a class left people waiting for want of seats
    /// (`seats_per_class` the limit) up to the last milestone.
    pub seat_limited: Vec<bool>,
    /// Per course: the same for want of instructors (the instructor
    /// capacity the limit, below the seats).
    pub instructor_limited: Vec<bool>,
}

impl Eval {
    pub fn cost(&self) -> f64 {
        self.years.iter().map(Spend::total).sum()
    }
}

/// Observes one expected-value run for what a plan needs.
struct Probe {
    meter: Option<Meter>,
    dates: Vec<Month>,
    first_fy: i32,
    out: Eval,
}

impl Observer for Probe {
    fn month(&mut self, snap: &Snapshot<'_>) {
        for (d, m) in self.dates.iter().zip(self.out.milestones.iter_mut()) {
            if *d == snap.month {
                *m = snap.total;
            }
        }
        if let Some(meter) = self.meter.as_mut() {
            if let Some(spend) = meter.month(snap) {
                let y = (meter.fiscal_year(snap.month) - self.first_fy) as usize;
                self.out.years[y].add(&spend);
            }
        }
    }
    fn class(&mut self, r: &ClassRecord) {
        if self.dates.iter().any(|&d| r.month <= d) {
            match r.limit {
                ClassLimit::Seats => self.out.seat_limited[r.course] = true,
                ClassLimit::Instructors => self.out.instructor_limited[r.course] = true,
                ClassLimit::None => {}
            }
        }
        if let Some(m) = self.meter.as_mut() {
            m.class(r);
        }
    }
}

/// The expected-value projection of `s`: what a plan needs of it.
fn eval_scenario(s: &Scenario) -> Eval {
    let mut probe = Probe {
        meter: Meter::new(s),
        dates: s.target.milestones.iter().map(|m| m.date).collect(),
        first_fy: s.start.fiscal_year(s.fy_start_month),
        out: Eval {
            milestones: vec![f64::NAN; s.target.milestones.len()],
            years: vec![Spend::default(); fiscal_years(s).len()],
            seat_limited: vec![false; s.courses.len()],
            instructor_limited: vec![false; s.courses.len()],
        },
    };
    engine::simulate(s, &mut Expected, &mut probe);
    probe.out
}

/// The problem: a scenario, its decision variables, milestones and budgets.
#[derive(Debug, Clone)]
pub struct Problem<'a> {
    pub s: &'a Scenario,
    pub vars: Vec<Var>,
    pub objective: Objective,
    /// Budget of each fiscal year (indexed like [`fiscal_years`]), if any.
    pub budgets: Vec<Option<f64>>,
}

impl<'a> Problem<'a> {
    /// `budget`, when given, caps every fiscal year (replacing `[costs]` budgets).
    pub fn new(
        s: &'a Scenario,
        vars: Vec<Var>,
        objective: Objective,
        budget: Option<f64>,
    ) -> Result<Problem<'a>, String> {
        if s.target.milestones.is_empty() {
            return Err(format!(
                "scenario '{}' has no milestones to plan for: add `milestones` under [target]",
                s.name
            ));
        }
        if s.costs.is_none() && (objective == Objective::Cost || budget.is_some()) {
            return Err(format!(
                "scenario '{}' has no [costs]: the cheapest plan needs unit costs (see docs/config.md), or use --objective shortfall without --budget",
                s.name
            ));
        }
        if let Some(b) = budget {
            if !(b.is_finite() && b >= 0.0) {
                return Err(format!("--budget {b}: must be a number >= 0"));
            }
        }
        let budgets = fiscal_years(s)
            .iter()
            .map(|fy| budget.or_else(|| s.costs.as_ref().and_then(|c| c.budget.get(fy).copied())))
            .collect();
        Ok(Problem {
            s,
            vars,
            objective,
            budgets,
        })
    }

    /// The scenario with the plan `x` applied. A lever split into dated
    /// values replaces the configured changes of its parameter from its
    /// first date on, so each value holds for its whole fiscal year.
    pub fn apply(&self, x: &[f64]) -> Scenario {
        let mut s = self.s.clone();
        let dated = |p: Param| self.vars.iter().filter(move |v| v.param == p);
        s.changes.retain(|c| {
            dated(c.param)
                .filter_map(|v| v.from)
                .min()
                .is_none_or(|first| c.from < first)
        });
        for (v, &x) in self.vars.iter().zip(x) {
            match v.from {
                None => v.param.set(&mut s, x),
                Some(from) => s.changes.push(crate::scenario::Change {
                    from,
                    param: v.param,
                    value: v.param.range().clamp(x),
                    note: Some(PLAN_NOTE.into()),
                }),
            }
        }
        s
    }

    /// The value variable `v` has in the configured scenario.
    fn current(&self, v: &Var) -> f64 {
        match v.from {
            None => v.param.get(self.s),
            Some(from) => v.param.get(&self.s.in_effect(from)),
        }
    }

    /// The `--set` flags that apply plan `x` to the configured scenario:
    /// one per undated lever, and the whole `changes` list (the configured
    /// changes the plan keeps, then its dated values) when any is dated.
    pub fn set_flags(&self, x: &[f64]) -> Vec<String> {
        let mut out: Vec<String> = self
            .vars
            .iter()
            .zip(x)
            .filter(|(v, _)| v.from.is_none())
            .map(|(v, &x)| format!("--set {}={}", v.param.path(self.s), crate::format::num(x)))
            .collect();
        if self.vars.iter().any(|v| v.from.is_some()) {
            let s = self.apply(x);
            let list: Vec<String> = s
                .changes
                .iter()
                .map(|c| {
                    let mut t = toml::map::Map::new();
                    t.insert("from".into(), toml::Value::String(c.from.to_string()));
                    t.insert("path".into(), toml::Value::String(c.param.path(&s)));
                    t.insert("value".into(), toml::Value::Float(c.value));
                    if let Some(n) = &c.note {
                        t.insert("note".into(), toml::Value::String(n.clone()));
                    }
                    toml::Value::Table(t).to_string()
                })
                .collect();
            out.push(format!("--set changes=[{}]", list.join(", ")));
        }
        out
    }

    /// The expected-value projection of plan `x`.
    pub fn eval(&self, x: &[f64]) -> Eval {
        eval_scenario(&self.apply(x))
    }

    fn targets(&self) -> Vec<f64> {
        self.s
            .target
            .milestones
            .iter()
            .map(|m| m.headcount)
            .collect()
    }

    /// Shortfall of each milestone below `target + margin` (0 when met).
    fn shortfalls(&self, e: &Eval, margins: &[f64]) -> Vec<f64> {
        self.targets()
            .iter()
            .zip(margins)
            .zip(&e.milestones)
            .map(|((t, m), x)| (t + m - x).max(0.0))
            .collect()
    }

    /// Spending above the budgets, summed over the fiscal years.
    fn over_budget(&self, e: &Eval) -> f64 {
        self.budgets
            .iter()
            .zip(&e.years)
            .map(|(b, y)| b.map_or(0.0, |b| (y.total() - b).max(0.0)))
            .sum()
    }

    fn within_budgets(&self, e: &Eval) -> bool {
        self.budgets
            .iter()
            .zip(&e.years)
            .all(|(b, y)| b.is_none_or(|b| y.total() <= b + budget_slack(b)))
    }

    /// `x` with whole-number parameters rounded up (seats: a fraction of a
    /// seat is a seat) and everything inside its bounds. With `near`, a
    /// value within `NEAR_WHOLE` of a whole number is rounded to it: the
    /// linear programme aims a hair above each target, which on a seat
    /// would otherwise cost a whole seat.
    fn snap(&self, x: &[f64], near: bool) -> Vec<f64> {
        self.vars
            .iter()
            .zip(x)
            .map(|(v, &x)| {
                let x = x.clamp(v.lo, v.hi);
                if v.integer {
                    let r = x.round();
                    let whole = if near && (x - r).abs() <= NEAR_WHOLE * x.abs().max(1.0) {
                        r
                    } else {
                        (x - 1e-7).ceil()
                    };
                    whole.clamp(v.lo.ceil(), v.hi.floor().max(v.lo.ceil()))
                } else {
                    x
                }
            })
            .collect()
    }

    /// The engine's response at `x`: each variable moved by a step, one run each.
    fn linearize(&self, x: &[f64], at: &Eval) -> Linear {
        let mut grads = Vec::with_capacity(x.len());
        for (j, v) in self.vars.iter().enumerate() {
            let span = v.hi - v.lo;
            let unit = match v.param.kind() {
                Kind::Probability | Kind::Attrition | Kind::Factor | Kind::Positive => 1e-3,
                _ => 1.0,
            };
            let mut d = (0.05 * span).max(unit).min(span);
            if v.integer {
                d = d.round().max(1.0).min(span);
            }
            if d <= 0.0 {
                grads.push(None);
                continue;
            }
            let mut y = x.to_vec();
            y[j] = if x[j] + d <= v.hi { x[j] + d } else { x[j] - d };
            let step = y[j] - x[j];
            let e = self.eval(&y);
            grads.push(Some(diff(&e, at, step)));
        }
        Linear {
            x: x.to_vec(),
            at: at.clone(),
            grads,
        }
    }
}

/// The engine's response around a plan: value and slope of every milestone
/// total and yearly cost (`None` for a variable with no room to move).
#[derive(Debug, Clone)]
struct Linear {
    x: Vec<f64>,
    at: Eval,
    grads: Vec<Option<Eval>>,
}

/// Bounds, budgets and targets an LP is solved under (relaxed copies give
/// what loosening one constraint would save).
#[derive(Debug, Clone)]
struct Limits {
    lo: Vec<f64>,
    hi: Vec<f64>,
    budgets: Vec<Option<f64>>,
    targets: Vec<f64>,
}

/// An LP's answer: the plan and its modelled cost.
struct LpPlan {
    x: Vec<f64>,
    cost: f64,
    /// People missing over all milestones (0 with the cost objective).
    shortfall: f64,
}

fn solve_lp(
    lin: &Linear,
    lim: &Limits,
    objective: Objective,
    scale: f64,
) -> Result<LpPlan, ResolutionError> {
    let mut vars = good_lp::variables!();
    let n = lin.x.len();
    let xs: Vec<Variable> = (0..n)
        .map(|j| vars.add(variable().min(lim.lo[j]).max(lim.hi[j])))
        .collect();
    let short: Vec<Variable> = match objective {
        Objective::Cost => Vec::new(),
        Objective::Shortfall => lim
            .targets
            .iter()
            .map(|_| vars.add(variable().min(0.0)))
            .collect(),
    };
    // Linear model of a quantity: value at the plan plus slopes times the moves.
    let model = |value: f64, slope: &dyn Fn(&Eval) -> f64| {
        let mut e = Expression::from(value);
        for ((g, &v), &at) in lin.grads.iter().zip(&xs).zip(&lin.x) {
            if let Some(g) = g {
                let s = slope(g);
                if s != 0.0 {
                    e += s * v - s * at;
                }
            }
        }
        e
    };
    let cost = model(lin.at.cost(), &|g: &Eval| g.cost());
    let objective_expr = match objective {
        Objective::Cost => cost.clone() / scale,
        Objective::Shortfall => {
            let mut e = Expression::from(0.0);
            for s in &short {
                e += *s;
            }
            e + cost.clone() * (1e-6 / scale)
        }
    };
    let mut p = vars.minimise(objective_expr).using(microlp);
    for (i, &t) in lim.targets.iter().enumerate() {
        let m = model(lin.at.milestones[i], &|g: &Eval| g.milestones[i]);
        p = match objective {
            Objective::Cost => p.with(constraint!(m >= t)),
            Objective::Shortfall => p.with(constraint!(m + short[i] >= t)),
        };
    }
    for (y, b) in lim.budgets.iter().enumerate() {
        if let Some(b) = b {
            let c = model(lin.at.years[y].total(), &|g: &Eval| g.years[y].total());
            p = p.with(constraint!(c <= *b));
        }
    }
    let sol = p.solve()?;
    let x: Vec<f64> = xs.iter().map(|v| sol.value(*v)).collect();
    let lin_cost: f64 = lin.at.cost()
        + (0..n)
            .filter_map(|j| lin.grads[j].as_ref().map(|g| g.cost() * (x[j] - lin.x[j])))
            .sum::<f64>();
    let shortfall = short.iter().map(|v| sol.value(*v)).sum();
    Ok(LpPlan {
        x,
        cost: lin_cost,
        shortfall,
    })
}

/// One simulated plan the search met.
#[derive(Debug, Clone)]
struct Tried {
    x: Vec<f64>,
    eval: Eval,
    shortfall: f64,
    feasible: bool,
}

/// What the search found, at expected values.
#[derive(Debug, Clone)]
pub struct Found {
    pub x: Vec<f64>,
    pub eval: Eval,
    /// Every milestone (raised by its margin) and budget met.
    pub feasible: bool,
    /// Sum over milestones of the people missing (0 when feasible).
    pub shortfall: f64,
    /// Engine runs made.
    pub simulations: usize,
    /// What loosening each binding constraint by one unit would save, from
    /// the last linear model.
    pub binding: Vec<Binding>,
}

/// A constraint the plan is pressed against and what relaxing it would save.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Binding {
    /// `lever` (at a bound), `budget`, `seats` (classes left people waiting
    /// for want of seats, the course's seats not a lever) or `milestone`.
    pub kind: String,
    /// What: the lever's parameter path, the fiscal year, the course's
    /// seats path, the milestone's date.
    pub what: String,
    /// `lower`, `upper` (a lever), or empty.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub side: String,
    /// What one unit of relaxation is: one unit of the lever (0.01 of a
    /// rate or share), one of the budget's currency, one seat per class,
    /// one person fewer at the milestone.
    pub unit: String,
    /// What one unit of relaxation saves, in `saving_in`, from a re-solve of
    /// the linear model at the plan (0 when relaxing it saves nothing);
    /// absent when the re-solve had no answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saving_per_unit: Option<f64>,
    /// `cost` (the currency: the plan meets the milestones) or `people`
    /// (of shortfall: the plan falls short).
    pub saving_in: String,
}

impl Problem<'_> {
    /// The search at expected values, with each milestone's target raised by `margins`.
    pub fn search(&self, margins: &[f64]) -> Found {
        let targets: Vec<f64> = self
            .targets()
            .iter()
            .zip(margins)
            // A hair above the target: the simulated total must reach it, not
            // fall a rounding error short.
            .map(|(t, m)| t + m + 1e-7 * t.abs().max(1.0))
            .collect();
        let limits = Limits {
            lo: self.vars.iter().map(|v| v.lo).collect(),
            hi: self.vars.iter().map(|v| v.hi).collect(),
            budgets: self.budgets.clone(),
            targets,
        };
        let start: Vec<f64> = self.snap(
            &self
                .vars
                .iter()
                .map(|v| self.current(v))
                .collect::<Vec<_>>(),
            false,
        );
        let mut tried: Vec<Tried> = Vec::new();
        let mut sims = 0;
        let mut last_lin = self.descend(
            &start,
            self.objective,
            &limits,
            margins,
            &mut tried,
            &mut sims,
        );
        // A capacity the response did not foresee can strand the cheapest-plan
        // descent on a plan that misses: close the gap first, then descend
        // from there.
        if self.objective == Objective::Cost && !tried.iter().any(|t| t.feasible) {
            let from = best_of(&tried, Objective::Shortfall).x.clone();
            self.descend(
                &from,
                Objective::Shortfall,
                &limits,
                margins,
                &mut tried,
                &mut sims,
            );
            if let Some(ok) = tried.iter().find(|t| t.feasible) {
                let from = ok.x.clone();
                if let Some(l) = self.descend(
                    &from,
                    Objective::Cost,
                    &limits,
                    margins,
                    &mut tried,
                    &mut sims,
                ) {
                    last_lin = Some(l);
                }
            }
        }
        let best = best_of(&tried, self.objective);
        // What binds is read off the linear model at the plan returned, not
        // at the last plan the descent simulated.
        let lin = match last_lin {
            Some(l) if l.x == best.x => l,
            _ => {
                sims += self.vars.len();
                self.linearize(&best.x, &best.eval)
            }
        };
        sims += best.eval.seat_limited.iter().filter(|&&b| b).count();
        sims += best.eval.instructor_limited.iter().filter(|&&b| b).count();
        // Without the hair above each target: a plan whose whole-number
        // lever meets a target exactly at its bound would leave the linear
        // model no answer, and the constraints nothing to report.
        let exact = Limits {
            targets: self
                .targets()
                .iter()
                .zip(margins)
                .map(|(t, m)| t + m)
                .collect(),
            ..limits.clone()
        };
        let binding = self.binding(&lin, &exact, best);
        Found {
            x: best.x.clone(),
            eval: best.eval.clone(),
            feasible: best.feasible,
            shortfall: best.shortfall,
            simulations: sims,
            binding,
        }
    }

    /// Linear programmes from `x` until the plan stops moving; every plan
    /// simulated goes into `tried`. Returns the last linear model.
    fn descend(
        &self,
        x: &[f64],
        objective: Objective,
        limits: &Limits,
        margins: &[f64],
        tried: &mut Vec<Tried>,
        sims: &mut usize,
    ) -> Option<Linear> {
        let judge = |x: &[f64], e: &Eval| {
            let shortfall: f64 = self.shortfalls(e, margins).iter().sum();
            Tried {
                x: x.to_vec(),
                eval: e.clone(),
                shortfall,
                feasible: shortfall == 0.0 && self.within_budgets(e),
            }
        };
        let mut x = x.to_vec();
        let mut e = self.eval(&x);
        *sims += 1;
        tried.push(judge(&x, &e));
        let mut last_lin = None;
        // A step is kept when it lowers the merit, the cost plus a steep
        // price on each person missing (far above what a person costs, so
        // a plan that meets wins, yet a step that misses by a fraction
        // while saving much is kept for the next step to correct). A step
        // that does not is retried within a smaller trust region: the
        // measured slopes hold near the plan only (seats, instructors).
        let price = 100.0 * e.cost().abs().max(1.0) / self.targets().iter().sum::<f64>().max(1.0);
        let merit = |t: &Tried| match objective {
            Objective::Cost => t.eval.cost() + price * (t.shortfall + self.over_budget(&t.eval)),
            Objective::Shortfall => t.shortfall + 1e-9 * t.eval.cost(),
        };
        let mut radius: Vec<f64> = self.vars.iter().map(|v| v.hi - v.lo).collect();
        let mut current = tried[tried.len() - 1].clone();
        let mut lin = None;
        for _ in 0..MAX_ROUNDS {
            let l = match lin.take() {
                Some(l) => l,
                None => {
                    *sims += self.vars.len();
                    self.linearize(&x, &e)
                }
            };
            let mut region = limits.clone();
            for (j, v) in self.vars.iter().enumerate() {
                region.lo[j] = limits.lo[j].max(x[j] - radius[j]).min(v.hi);
                region.hi[j] = limits.hi[j].min(x[j] + radius[j]).max(region.lo[j]);
            }
            let scale = e.cost().abs().max(1.0);
            let lp = match objective {
                Objective::Cost => solve_lp(&l, &region, Objective::Cost, scale)
                    .or_else(|_| solve_lp(&l, &region, Objective::Shortfall, scale)),
                Objective::Shortfall => solve_lp(&l, &region, Objective::Shortfall, scale),
            };
            last_lin = Some(l.clone());
            let Ok(lp) = lp else { break };
            let mut next = self.snap(&lp.x, true);
            let moved = |next: &[f64]| {
                next.iter()
                    .zip(&x)
                    .zip(&self.vars)
                    .any(|((a, b), v)| (a - b).abs() > 1e-9 * (v.hi - v.lo).max(1.0))
            };
            if !moved(&next) {
                break;
            }
            let mut ne = self.eval(&next);
            *sims += 1;
            let mut cand = judge(&next, &ne);
            tried.push(cand.clone());
            // Rounded to a whole number below the linear answer, the plan
            // can miss by a rounding error: then the plan rounded up.
            let up = self.snap(&lp.x, false);
            if !cand.feasible && up != next {
                next = up;
                ne = self.eval(&next);
                *sims += 1;
                cand = judge(&next, &ne);
                tried.push(cand.clone());
            }
            if merit(&cand) < merit(&current) {
                x = next;
                e = ne;
                current = cand;
                for (r, v) in radius.iter_mut().zip(&self.vars) {
                    *r = (2.0 * *r).min(v.hi - v.lo);
                }
            } else {
                // Half the step taken, as a share of each lever's range.
                let frac = self
                    .vars
                    .iter()
                    .enumerate()
                    .map(|(j, v)| (lp.x[j] - x[j]).abs() / (v.hi - v.lo).max(1e-12))
                    .fold(0.0f64, f64::max);
                for (r, v) in radius.iter_mut().zip(&self.vars) {
                    *r = 0.5 * r.min(frac * (v.hi - v.lo));
                }
                let spans = self.vars.iter().map(|v| (v.hi - v.lo).max(1e-12));
                if radius.iter().zip(spans).all(|(r, s)| *r <= 1e-4 * s) {
                    break;
                }
                lin = Some(l);
            }
        }
        last_lin
    }

    /// Every constraint the plan presses against, and what one unit more
    /// room would save: a re-solve of the linear model at the plan with
    /// that constraint relaxed. A constraint the plan meets exactly (a lever
    /// at its bound, a budget spent to the last unit, a milestone met with
    /// no margin, a class short of seats) is listed even when relaxing it
    /// saves nothing; one with room is listed when relaxing it still saves
    /// (a milestone a whole-number lever overshoots by a fraction).
    fn binding(&self, lin: &Linear, lim: &Limits, best: &Tried) -> Vec<Binding> {
        let scale = lin.at.cost().abs().max(1.0);
        // Meeting the milestones, cost is what relaxing saves; falling
        // short, it is the shortfall.
        let (objective, saving_in) = if best.feasible && self.objective == Objective::Cost {
            (Objective::Cost, "cost")
        } else {
            (Objective::Shortfall, "people")
        };
        let value = |p: &LpPlan| match objective {
            Objective::Cost => p.cost,
            Objective::Shortfall => p.shortfall,
        };
        let base = solve_lp(lin, lim, objective, scale).ok().map(|p| value(&p));
        let saving = |lin: &Linear, l: &Limits| match (base, solve_lp(lin, l, objective, scale)) {
            // A saving below the solver's tolerance is none.
            (Some(b), Ok(p)) => Some(clean(b - value(&p), b)),
            _ => None,
        };
        let entry = |kind: &str, what: String, side: &str, unit: &str, s: Option<f64>| Binding {
            kind: kind.into(),
            what,
            side: side.into(),
            unit: unit.into(),
            saving_per_unit: s,
            saving_in: saving_in.into(),
        };
        let mut out = Vec::new();
        for (j, v) in self.vars.iter().enumerate() {
            let tol = 1e-9 * (v.hi - v.lo).max(1.0);
            let at_lo = best.x[j] <= v.lo + tol;
            let at_hi = best.x[j] >= v.hi - tol;
            if !(at_lo || at_hi) || v.lo == v.hi {
                continue;
            }
            let unit = if v.integer || v.param.kind() == Kind::Rate {
                1.0
            } else {
                0.01
            };
            let mut l = lim.clone();
            let r = v.param.range();
            if at_hi {
                l.hi[j] = r.clamp(v.hi + unit);
            } else {
                l.lo[j] = r.clamp(v.lo - unit);
            }
            let what = match v.fiscal_year {
                Some(fy) if v.from.is_some() => format!("{} FY{fy}", v.param.path(self.s)),
                _ => v.param.path(self.s),
            };
            out.push(entry(
                "lever",
                what,
                if at_hi { "upper" } else { "lower" },
                &crate::format::num(unit),
                saving(lin, &l).map(|s| s / unit),
            ));
        }
        let fys = fiscal_years(self.s);
        for (y, b) in self.budgets.iter().enumerate() {
            if let Some(b) = b {
                let mut l = lim.clone();
                l.budgets[y] = Some(b + 1.0);
                let s = saving(lin, &l);
                let tight = best.eval.years[y].total() >= b - 1e-6 * b.abs().max(1.0);
                if tight || s.is_some_and(|s| s > 0.0) {
                    out.push(entry("budget", format!("FY{}", fys[y]), "", "1", s));
                }
            }
        }
        // A capacity that binds but is no lever, as one more variable of the
        // linear model allowed up by one unit (its slope one more
        // simulation): what that unit saves.
        let one_more = |p: Param| {
            let mut more = self.apply(&best.x);
            more_of(&mut more, p, 1.0);
            let e = eval_scenario(&more);
            let mut ext = lin.clone();
            ext.x.push(0.0);
            ext.grads.push(Some(diff(&e, &lin.at, 1.0)));
            let mut l = lim.clone();
            l.lo.push(0.0);
            l.hi.push(1.0);
            saving(&ext, &l)
        };
        for (c, limited) in best.eval.seat_limited.iter().enumerate() {
            let seats = Param::Seats(c);
            if !limited || self.vars.iter().any(|v| v.param == seats) {
                continue;
            }
            out.push(entry(
                "seats",
                seats.path(self.s),
                "",
                "1 seat per class",
                one_more(seats),
            ));
        }
        for (c, limited) in best.eval.instructor_limited.iter().enumerate() {
            let spi = Param::StudentsPerInstructor(c);
            let share = Param::InstructorShare(c);
            if !limited || self.vars.iter().any(|v| v.param == spi || v.param == share) {
                continue;
            }
            // One student more per instructor: the instructors' capacity
            // grows by their number (max_share of their level).
            out.push(entry(
                "instructors",
                spi.path(self.s),
                "",
                "1 student per instructor",
                one_more(spi),
            ));
        }
        for (i, m) in self.s.target.milestones.iter().enumerate() {
            let t = lim.targets[i];
            let mut l = lim.clone();
            l.targets[i] = t - 1.0;
            let s = saving(lin, &l);
            let tight = (best.eval.milestones[i] - t).abs() <= 1e-3 * t.abs().max(1.0);
            if tight || s.is_some_and(|s| s > 0.0) {
                out.push(entry("milestone", m.date.to_string(), "", "1 person", s));
            }
        }
        out
    }
}

/// `x`, or 0 when it is below the LP's rounding at a base of `b`.
fn clean(x: f64, b: f64) -> f64 {
    if x.abs() <= 1e-7 * b.abs().max(1.0) {
        0.0
    } else {
        x
    }
}

/// `p` raised by `by`: the configured value and every dated change of it.
fn more_of(s: &mut Scenario, p: Param, by: f64) {
    p.set(s, p.get(s) + by);
    for ch in s.changes.iter_mut().filter(|ch| ch.param == p) {
        ch.value += by;
    }
}

/// The slope of every milestone total and yearly cost from `at` to `e`, a move of `step`.
fn diff(e: &Eval, at: &Eval, step: f64) -> Eval {
    Eval {
        milestones: e
            .milestones
            .iter()
            .zip(&at.milestones)
            .map(|(a, b)| (a - b) / step)
            .collect(),
        years: e
            .years
            .iter()
            .zip(&at.years)
            .map(|(a, b)| Spend {
                pay: (a.pay - b.pay) / step,
                training: (a.training - b.training) / step,
                classes: (a.classes - b.classes) / step,
                entrants: (a.entrants - b.entrants) / step,
            })
            .collect(),
        seat_limited: Vec::new(),
        instructor_limited: Vec::new(),
    }
}

/// The cheapest feasible plan, else the one with the least shortfall (then
/// the cheapest); the first tried among equals.
fn best_of(tried: &[Tried], objective: Objective) -> &Tried {
    let key = |t: &Tried| match objective {
        Objective::Cost => (
            !t.feasible,
            if t.feasible { 0.0 } else { t.shortfall },
            t.eval.cost(),
        ),
        Objective::Shortfall => (false, t.shortfall, t.eval.cost()),
    };
    let mut best = &tried[0];
    for t in &tried[1..] {
        let (a, b) = (key(t), key(best));
        // Feasible first (false < true), then less shortfall, then cheaper.
        if (a.0, a.1, a.2).partial_cmp(&(b.0, b.1, b.2)) == Some(std::cmp::Ordering::Less) {
            best = t;
        }
    }
    best
}

/// Every run's total at each milestone, for the joint probability.
struct Joint {
    rows: Vec<(Month, usize)>,
    current: Vec<f64>,
    values: Vec<f64>,
}

impl Observer for Joint {
    fn month(&mut self, snap: &Snapshot<'_>) {
        for &(d, i) in &self.rows {
            if d == snap.month {
                self.current[i] = snap.total;
            }
        }
    }
}

impl Tally for Joint {
    fn start_run(&mut self) {}
    fn end_run(&mut self) {
        self.values.extend_from_slice(&self.current);
    }
    fn merge(&mut self, mut other: Joint) {
        self.values.append(&mut other.values);
    }
}

/// How a plan fares in the Monte Carlo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chance {
    pub runs: u64,
    pub seed: u64,
    /// Share of runs meeting every milestone.
    pub all_met: f64,
    /// Share of runs meeting each milestone.
    pub each: Vec<f64>,
}

/// The Monte Carlo of plan `x` (the same runs as `mc`, common random numbers
/// for every plan): each milestone's sorted totals and the joint share.
pub fn chance(p: &Problem, x: &[f64], opts: &Options) -> Result<(Chance, Vec<Vec<f64>>), String> {
    let s = p.apply(x);
    let m = s.target.milestones.len();
    let rows: Vec<(Month, usize)> = s
        .target
        .milestones
        .iter()
        .enumerate()
        .map(|(i, ms)| (ms.date, i))
        .collect();
    let j = montecarlo::run_tally(&s, opts, || Joint {
        rows: rows.clone(),
        current: vec![f64::NAN; m],
        values: Vec::new(),
    })?;
    let n = j.values.len() / m.max(1);
    let targets = p.targets();
    let all = (0..n)
        .filter(|r| (0..m).all(|i| j.values[r * m + i] >= targets[i]))
        .count();
    let mut sorted = Vec::with_capacity(m);
    let mut each = Vec::with_capacity(m);
    for (i, &target) in targets.iter().enumerate() {
        let mut v: Vec<f64> = (0..n).map(|r| j.values[r * m + i]).collect();
        v.sort_by(f64::total_cmp);
        let below = v.partition_point(|&t| t < target);
        each.push((n - below) as f64 / n as f64);
        sorted.push(v);
    }
    Ok((
        Chance {
            runs: n as u64,
            seed: opts.seed,
            all_met: all as f64 / n as f64,
            each,
        },
        sorted,
    ))
}

/// The seed of the fresh runs a plan found at a probability is checked on.
pub fn fresh_seed(seed: u64) -> u64 {
    seed ^ 0x9E37_79B9_7F4A_7C15
}

/// A plan found at a probability: the expected-value search with margins,
/// its chance on the runs it was tuned on, and on fresh runs.
#[derive(Debug, Clone)]
pub struct AtProbability {
    pub found: Found,
    pub margins: Vec<f64>,
    pub tuned: Chance,
    pub fresh: Chance,
    /// Whether the plan meets every milestone together in at least P of the
    /// runs it was tuned on (the fresh runs are a check, reported beside it).
    pub met: bool,
}

/// Margin (people) the bisection narrows the least sufficient margin to:
/// below what one run's total moves between neighbouring runs at the
/// quantile, so the plan sits on the jump of the tuned share.
const MARGIN_TOLERANCE: f64 = 0.01;
/// Most bisection steps over the margin.
const MAX_BISECTION: usize = 30;

/// The cheapest plan meeting every milestone together in at least `prob` of
/// the runs of `opts`, then checked on fresh runs.
///
/// Margins are first raised (each milestone by the gap between its target
/// and the run at the `1 - aim` quantile) until the plan meets; that plan
/// overshoots, since each raise is a whole quantile step on a plan that then
/// changes. The least sufficient margin is then found by bisection on a
/// common scale of those margins, every trial on the same runs (common
/// random numbers), so the tuned share only grows with the scale.
pub fn at_probability(p: &Problem, prob: f64, opts: &Options) -> Result<AtProbability, String> {
    let targets = p.targets();
    let mut fresh_opts = *opts;
    fresh_opts.seed = fresh_seed(opts.seed);
    let trial = |margins: &[f64]| -> Result<(Found, Chance, Vec<Vec<f64>>), String> {
        let found = p.search(margins);
        let (tuned, sorted) = chance(p, &found.x, opts)?;
        Ok((found, tuned, sorted))
    };
    let meets = |f: &Found, c: &Chance| f.feasible && c.all_met >= prob;
    let finish = |found: Found, margins: Vec<f64>, tuned: Chance| {
        let (fresh, _) = chance(p, &found.x, &fresh_opts)?;
        Ok(AtProbability {
            met: meets(&found, &tuned),
            found,
            margins,
            tuned,
            fresh,
        })
    };
    let mut margins = vec![0.0; targets.len()];
    // The per-milestone share aimed at: above `prob` when the milestones are
    // missed in different runs.
    let mut aim = prob;
    let mut upper = None;
    let mut missed_at_zero = false;
    for round in 0..MAX_MARGIN_ROUNDS {
        let (found, tuned, sorted) = trial(&margins)?;
        if meets(&found, &tuned) {
            upper = Some((found, tuned));
            break;
        }
        if round == 0 {
            missed_at_zero = true;
        }
        if !found.feasible || round + 1 == MAX_MARGIN_ROUNDS {
            // The bounds cannot carry the margin: no plan does better.
            return finish(found, margins, tuned);
        }
        if tuned.each.iter().all(|&q| q >= prob) {
            aim = (aim + (prob - tuned.all_met)).min(1.0);
        }
        // Each milestone: what every run must gain for `aim` of them to reach it.
        for (i, v) in sorted.iter().enumerate() {
            let n = v.len();
            let need = ((aim * n as f64).ceil() as usize).clamp(1, n);
            let gap = targets[i] - v[n - need];
            if gap > 0.0 {
                margins[i] += gap;
            }
        }
    }
    let Some((mut found, mut tuned)) = upper else {
        return Err("optimize: the margin search ended without a plan".into());
    };
    let span = margins.iter().fold(0.0f64, |a, &m| a.max(m));
    let full = margins.clone();
    let mut best = margins;
    if missed_at_zero && span > 0.0 {
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..MAX_BISECTION {
            if (hi - lo) * span <= MARGIN_TOLERANCE {
                break;
            }
            let mid = 0.5 * (lo + hi);
            let m: Vec<f64> = full.iter().map(|x| x * mid).collect();
            let (f, c, _) = trial(&m)?;
            if meets(&f, &c) {
                hi = mid;
                (found, tuned, best) = (f, c, m);
            } else {
                lo = mid;
            }
        }
    }
    finish(found, best, tuned)
}

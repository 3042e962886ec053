//! Planners' questions about one scenario: what value of a lever meets a
//! milestone (`solve`), which assumption matters most (`sensitivity`), and how
//! two levers trade off (`sweep`). All three change the scenario only through
//! [`Param`], so every value tried stays inside its documented range, and all
//! three give the same answer whatever the number of threads.
//!
//! Every probability goes through [`crate::montecarlo`]: the same runs as
//! `forcecast mc`, with the same switches, and the same random streams for
//! run `i` at every value tried (common random numbers). The questions run
//! on the current rayon pool; to fix the thread count, run them inside
//! [`crate::montecarlo::with_threads`] (as the commands do for `--threads`)
//! rather than setting [`MonteCarlo::threads`], which would start a pool for
//! every value tried.

pub mod sensitivity;
pub mod solve;
pub mod sweep;

use crate::engine::{self, Expected, Observer, Snapshot};
use crate::month::Month;
use crate::params::{Param, Range, MAX_FACTOR};
use crate::scenario::Scenario;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// The milestone a question is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub date: Month,
    pub headcount: f64,
    pub label: Option<String>,
}

impl Goal {
    /// `4,000 by 2028-03 (FY2027 target)`.
    pub fn describe(&self) -> String {
        let label = self
            .label
            .as_ref()
            .map_or(String::new(), |l| format!(" ({l})"));
        format!(
            "{} by {}{label}",
            crate::format::people(self.headcount),
            self.date
        )
    }
}

/// The milestone dated `date` (`YYYY-MM`), or the last one.
pub fn pick_goal(s: &Scenario, date: Option<&str>) -> Result<Goal, String> {
    let listed = || {
        s.target
            .milestones
            .iter()
            .map(|m| m.date.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let m = match date {
        None => s.final_milestone().ok_or_else(|| {
            format!(
                "scenario '{}' has no milestones: add `milestones` under [target] (or --set target.milestones=...)",
                s.name
            )
        })?,
        Some(text) => {
            let month = Month::parse(text).ok_or_else(|| {
                format!("--milestone {text}: expected a month as YYYY-MM, e.g. 2028-03")
            })?;
            s.target
                .milestones
                .iter()
                .find(|m| m.date == month)
                .ok_or_else(|| {
                    if s.target.milestones.is_empty() {
                        format!("--milestone {text}: scenario '{}' has no milestones", s.name)
                    } else {
                        format!(
                            "--milestone {text}: no milestone is dated {text}; milestones: {}",
                            listed()
                        )
                    }
                })?
        }
    };
    Ok(Goal {
        date: m.date,
        headcount: m.headcount,
        label: m.label.clone(),
    })
}

/// Monte Carlo settings for the probability questions: those of `mc`.
pub use crate::montecarlo::Options as MonteCarlo;

/// What a sensitivity analysis or a sweep measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// The expected total at the end of the horizon.
    FinalTotal,
    /// The fraction of Monte Carlo runs meeting the final milestone.
    Probability,
    /// The first month the expected total reaches the final milestone's
    /// headcount, as months after the initial state (NaN when never).
    FirstMonth,
}

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::FinalTotal => "final_total",
            Metric::Probability => "probability",
            Metric::FirstMonth => "first_month",
        }
    }
}

/// What one expected-value projection says about a goal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Total at the end of the goal's month.
    pub at_goal: f64,
    /// Total at the end of the horizon.
    pub final_total: f64,
    /// Months after the initial state when the total first reaches the goal's
    /// headcount (0 = already at the start).
    pub first_month: Option<usize>,
}

struct Watch {
    date: Month,
    headcount: f64,
    index: usize,
    out: Outcome,
}

impl Observer for Watch {
    fn month(&mut self, snap: &Snapshot<'_>) {
        if snap.month == self.date {
            self.out.at_goal = snap.total;
        }
        if self.out.first_month.is_none() && snap.total >= self.headcount {
            self.out.first_month = Some(self.index);
        }
        self.out.final_total = snap.total;
        self.index += 1;
    }
}

/// The expected-value projection of `s`, reduced to what the questions need
/// (no rows kept, so a sweep of thousands of projections stays cheap).
pub fn outcome(s: &Scenario, goal: &Goal) -> Outcome {
    let mut w = Watch {
        date: goal.date,
        headcount: goal.headcount,
        index: 0,
        out: Outcome {
            at_goal: f64::NAN,
            final_total: f64::NAN,
            first_month: None,
        },
    };
    engine::simulate(s, &mut Expected, &mut w);
    w.out
}

/// The value of `metric` for scenario `s`. Only a probability can fail (a
/// Monte Carlo error: bad options, or a scenario changed by hand so that an
/// `[uncertainty]` path no longer resolves).
pub fn metric_value(
    s: &Scenario,
    goal: &Goal,
    metric: Metric,
    mc: &MonteCarlo,
) -> Result<f64, String> {
    Ok(match metric {
        Metric::FinalTotal => outcome(s, goal).final_total,
        Metric::FirstMonth => outcome(s, goal).first_month.map_or(f64::NAN, |m| m as f64),
        Metric::Probability => {
            crate::montecarlo::milestone_probability(s, goal.date, goal.headcount, mc)?
        }
    })
}

/// A warning when, with parameter uncertainty on, a lever among `params` is
/// an `[uncertainty]` entry given by its bounds (`uniform`, `triangular`):
/// its draw replaces the value in every run, so moving the lever cannot
/// change a probability. (`normal`, `beta` and `lognormal` are centred on
/// the value and follow it; see docs/planning.md.)
pub fn drawn_by_bounds(s: &Scenario, params: &[Param], mc: &MonteCarlo) -> Option<String> {
    use crate::scenario::Distribution;
    if !mc.parameter_uncertainty {
        return None;
    }
    let levers: Vec<String> = params
        .iter()
        .filter(|&&p| {
            s.uncertainty.iter().any(|u| {
                matches!(
                    u.dist,
                    Distribution::Uniform { .. } | Distribution::Triangular { .. }
                ) && Param::parse(s, &u.path) == Ok(p)
            })
        })
        .map(|p| p.path(s))
        .collect();
    let one = levers.len() == 1;
    (!levers.is_empty()).then(|| {
        format!(
            "{} {} drawn from a uniform or triangular [uncertainty] distribution, which ignores the parameter's value: with parameter uncertainty on, changing {} cannot change the share of runs (use --no-parameter-uncertainty, or a normal, beta or lognormal distribution, which is centred on the value)",
            levers.join(", "),
            if one { "is" } else { "are" },
            if one { "it" } else { "them" },
        )
    })
}

/// The month `months` after the initial state of `s` (inverse of `first_month`).
pub fn month_after_start(s: &Scenario, months: usize) -> Month {
    s.start.plus(months as i32 - 1)
}

/// A copy of `s` with `p` set to `v` (clamped into its range).
pub fn with(s: &Scenario, p: Param, v: f64) -> Scenario {
    let mut s = s.clone();
    p.set(&mut s, v);
    s
}

/// The unit of a parameter, for axis titles.
pub fn unit(p: Param) -> &'static str {
    match p {
        Param::Initial(_) | Param::InitialQueue(_) | Param::EventChange(_) => "people",
        Param::Attrition(_) | Param::PromotionRate(_) => "annual probability",
        Param::Seats(_) => "seats per class",
        Param::Washout(_) | Param::ObligationExit(_) => "fraction",
        Param::QueueAttrition(_) => "annual probability",
        Param::ObligationFactor(_) | Param::ShockFactor(_) => "hazard multiplier",
        Param::StudentsPerInstructor(_) => "students per instructor",
        Param::InstructorShare(_) => "fraction of the level",
        Param::QualificationMonths(_) => "months on the job",
        Param::PerMentor(_) => "trainees per mentor",
        Param::PerYear(_) | Param::FiscalYear(..) => "people per year",
        Param::Achievement(_) => "fraction of plan",
        Param::Authorised(_) | Param::AuthorisedFiscalYear(..) => "authorised posts",
        Param::Pay(_) => "cost per person-year",
        Param::TraineeMonthCost(_) => "cost per trainee-month",
        Param::ClassCost(_) => "cost per class",
        Param::EntrantCost(_) => "cost per entrant",
        Param::Budget(_) => "budget per fiscal year",
        Param::ChangeValue(_, k) => {
            use crate::params::Kind;
            match k {
                Kind::Count => "people or seats",
                Kind::Attrition => "annual probability",
                Kind::Probability => "probability or fraction",
                Kind::Factor => "hazard multiplier",
                Kind::Positive => "students per instructor",
                Kind::Rate => "people per year",
                Kind::Change => "people",
                Kind::Months => "months",
            }
        }
    }
}

/// Every parameter path of `s`, for error messages.
pub fn valid_paths(s: &Scenario) -> String {
    let mut paths: Vec<String> = Param::all(s).iter().map(|p| p.path(s)).collect();
    if !s.inflows.is_empty() {
        paths.push("inflows.NAME.by_fiscal_year.YYYY".into());
    }
    paths.join(", ")
}

/// Resolves a parameter path given to `flag`; the error lists valid paths.
pub fn parse_param(s: &Scenario, flag: &str, path: &str) -> Result<Param, String> {
    Param::parse(s, path.trim())
        .map_err(|e| format!("{flag} {path}: {e}\nvalid parameters: {}", valid_paths(s)))
}

/// The range searched when `--range` is not given: the parameter's valid
/// range cut to something a planner would consider — [0, 10 x current] for
/// counts, rates and factors (a fixed span when the current value is 0), and
/// the whole range for probabilities and attrition.
pub fn default_range(p: Param, current: f64) -> (f64, f64) {
    let r = p.range();
    let top = |fallback: f64| {
        if current.abs() > 0.0 {
            10.0 * current.abs()
        } else {
            fallback
        }
    };
    let (lo, hi) = match p {
        Param::EventChange(_) => (-top(1000.0), top(1000.0)),
        Param::ObligationFactor(_) | Param::ShockFactor(_) => (0.0, top(10.0).min(MAX_FACTOR)),
        _ if r.max <= 1.0 => (r.min, r.max),
        _ => (r.min, top(1000.0)),
    };
    (r.clamp(lo), r.clamp(hi))
}

/// Parses a number from a flag value.
fn number(flag: &str, text: &str, what: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{flag}: '{}' is not a number ({what})", text.trim()))
}

/// Checks `lo < hi` inside the parameter's range (rounded inward for whole numbers).
fn checked_bounds(
    flag: &str,
    path: &str,
    r: Range,
    lo: f64,
    hi: f64,
) -> Result<(f64, f64), String> {
    for x in [lo, hi] {
        let inside = x >= r.min && (x < r.max || !r.max_exclusive && x == r.max);
        if !inside {
            return Err(format!(
                "{flag}: {x} is outside the range of {path}, which is {}",
                r.describe()
            ));
        }
    }
    let (lo, hi) = if r.integer {
        (lo.ceil(), hi.floor())
    } else {
        (lo, hi)
    };
    if lo >= hi {
        return Err(format!(
            "{flag}: LO must be below HI{} (got {lo} and {hi})",
            if r.integer {
                " after rounding to whole numbers"
            } else {
                ""
            }
        ));
    }
    Ok((lo, hi))
}

/// Parses `LO:HI` for a lever.
pub fn parse_range(s: &Scenario, p: Param, text: &str) -> Result<(f64, f64), String> {
    parse_bounds(
        &format!("--range {text}"),
        &p.path(s),
        p.range(),
        text,
        "LO:HI, e.g. 0:1200",
    )
}

/// Parses `LO:HI` (given to `flag`, for the parameter at `path`) into bounds
/// inside the parameter's range `r`, rounded inward for whole numbers.
/// `expected` is the form shown when the colon is missing.
pub fn parse_bounds(
    flag: &str,
    path: &str,
    r: Range,
    text: &str,
    expected: &str,
) -> Result<(f64, f64), String> {
    let (lo, hi) = text
        .split_once(':')
        .ok_or_else(|| format!("{flag}: expected {expected}"))?;
    let lo = number(flag, lo, "LO")?;
    let hi = number(flag, hi, "HI")?;
    checked_bounds(flag, path, r, lo, hi)
}

/// One axis of a sweep: a parameter and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub param: Param,
    pub path: String,
    pub values: Vec<f64>,
}

/// Largest number of values on one sweep axis.
pub const MAX_AXIS_POINTS: usize = 500;

/// Parses `PATH=LO:HI:N` given to `flag`.
pub fn parse_axis(s: &Scenario, flag: &str, text: &str) -> Result<Axis, String> {
    let usage = || {
        format!("{flag} {text}: expected PATH=LO:HI:N, e.g. inflows.transfers.per_year=200:1200:30")
    };
    let (path, spec) = text.split_once('=').ok_or_else(usage)?;
    let param = parse_param(s, flag, path)?;
    let parts: Vec<&str> = spec.split(':').collect();
    let [lo, hi, n] = parts.as_slice() else {
        return Err(usage());
    };
    let flag = format!("{flag} {text}");
    let lo = number(&flag, lo, "LO")?;
    let hi = number(&flag, hi, "HI")?;
    let n: usize = n
        .trim()
        .parse()
        .ok()
        .filter(|n| (2..=MAX_AXIS_POINTS).contains(n))
        .ok_or_else(|| {
            format!("{flag}: N must be a whole number of points in 2..={MAX_AXIS_POINTS}")
        })?;
    let path = param.path(s);
    let (lo, hi) = checked_bounds(&flag, &path, param.range(), lo, hi)?;
    Ok(Axis {
        param,
        path,
        values: grid(lo, hi, n, param.range().integer),
    })
}

/// `n` evenly spaced values from `lo` to `hi` inclusive; whole numbers are
/// rounded and repeats dropped.
pub fn grid(lo: f64, hi: f64, n: usize, integer: bool) -> Vec<f64> {
    let n = n.max(2);
    let mut out: Vec<f64> = (0..n)
        .map(|i| {
            // Exact ends, and no drift from repeated addition.
            let v = if i + 1 == n {
                hi
            } else {
                lo + (hi - lo) * i as f64 / (n - 1) as f64
            };
            if integer {
                v.round()
            } else {
                v
            }
        })
        .collect();
    out.dedup();
    out
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (tests,
/// pipes, CI logs stay clean).
pub fn progress(len: u64, message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len} ({elapsed})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_string());
    bar
}

/// A spinner counting evaluations, for searches of unknown length; hidden
/// when stderr is not a terminal.
pub fn spinner(message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({pos} evaluated, {elapsed})")
    {
        bar.set_style(style);
    }
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_have_exact_ends_and_whole_numbers() {
        assert_eq!(grid(0.0, 1.0, 3, false), vec![0.0, 0.5, 1.0]);
        assert_eq!(grid(0.1, 0.3, 3, false).last(), Some(&0.3));
        assert_eq!(grid(0.0, 3.0, 7, true), vec![0.0, 1.0, 2.0, 3.0]);
    }
}

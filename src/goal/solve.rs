//! Goal seeking: the value of one lever at which a milestone is just met.
//!
//! A coarse grid over the range comes first: it says which way the lever
//! helps, whether the response is monotone, brackets the answer, and is the
//! response curve drawn in `solve-<lever>.png`. Bisection then narrows the
//! bracket on the expected-value projection (to 1e-6 relative, or to
//! adjacent whole numbers). With a probability, the same search runs on the
//! fraction of Monte Carlo runs meeting the milestone ([`montecarlo`]: the
//! runs of `forcecast mc`, the same streams at every value tried), starting
//! next to the deterministic answer.

use super::{outcome, with, Goal, MonteCarlo};
use crate::montecarlo::{self, MilestoneRuns};
use crate::params::Param;
use crate::scenario::Scenario;
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;

/// Points on the coarse grid.
pub const GRID_POINTS: usize = 41;
/// Relative tolerance of the deterministic bisection.
pub const TOLERANCE: f64 = 1e-6;
/// Relative tolerance in probability mode: finer is below Monte Carlo noise.
pub const PROBABILITY_TOLERANCE: f64 = 1e-3;

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub param: Param,
    pub goal: Goal,
    /// Values searched, `lo < hi`, inside the parameter's range.
    pub lo: f64,
    pub hi: f64,
    /// Fraction of runs that must meet the goal, and how to run them.
    pub probability: Option<(f64, MonteCarlo)>,
}

/// Which way the lever helps the total at the goal's month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values help: the answer is the least value meeting the goal.
    Increase,
    /// Lower values help: the answer is the highest value still meeting it.
    Decrease,
    /// The lever does not change the total at the goal's month in this range.
    None,
}

/// A value tried and what it gave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub value: f64,
    /// Expected total at the goal's month, or the fraction of runs meeting it.
    pub metric: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub path: String,
    pub integer: bool,
    pub baseline_value: f64,
    /// Expected total at the goal's month with the baseline value.
    pub baseline_total: f64,
    pub direction: Direction,
    /// Whether the expected total moves one way only across the grid.
    pub monotone: bool,
    /// When it does not: the largest move against the lever's direction
    /// between neighbouring grid values.
    pub dip: Option<Dip>,
    /// The deterministic answer: the boundary value where the expected total
    /// meets the goal (`None`: not reachable in the range).
    pub deterministic: Option<f64>,
    /// Expected total at the goal's month at `deterministic`.
    pub deterministic_total: Option<f64>,
    /// The coarse grid: the expected total against the lever.
    pub curve: Vec<Point>,
    /// The same on a finer grid around the configured value and the
    /// answers, for the chart (empty when that is most of the range anyway).
    pub zoom: Vec<Point>,
    /// Probability mode: the answer, the fraction of runs meeting the goal
    /// there, and every value tried (sorted by value).
    pub probabilistic: Option<ProbabilityAnswer>,
    /// The best grid point when the goal is not reachable.
    pub best: Point,
}

/// A move of the expected total against the lever's overall direction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dip {
    /// People lost (always positive).
    pub size: f64,
    /// The grid values it happens between.
    pub from: f64,
    pub to: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProbabilityAnswer {
    pub value: Option<f64>,
    /// Share of runs meeting the goal at `value`.
    pub achieved: Option<f64>,
    /// Expected total at the goal's month at `value`.
    pub total: Option<f64>,
    pub tried: Vec<Point>,
}

impl Solution {
    /// The answer to the question asked (probabilistic when a probability was given).
    pub fn value(&self) -> Option<f64> {
        match &self.probabilistic {
            Some(p) => p.value,
            None => self.deterministic,
        }
    }
}

/// Narrows `[fail, meet]` (either order) to the boundary and returns the
/// meeting end. `meets` is called once per step, in sequence.
fn bisect(
    mut fail: f64,
    mut meet: f64,
    integer: bool,
    tolerance: f64,
    meets: &mut dyn FnMut(f64) -> bool,
) -> f64 {
    let width = (meet - fail).abs();
    for _ in 0..200 {
        let gap = (meet - fail).abs();
        let done = if integer {
            gap <= 1.0
        } else {
            gap <= tolerance * fail.abs().max(meet.abs()) || gap <= 1e-12 * width
        };
        if done {
            break;
        }
        let mut mid = 0.5 * (fail + meet);
        if integer {
            mid = mid.floor();
            if mid == fail.min(meet) {
                mid += 1.0;
            }
        }
        if meets(mid) {
            meet = mid;
        } else {
            fail = mid;
        }
    }
    meet
}

/// The grid values, from `lo` to `hi`.
fn grid_values(q: &Question) -> Vec<f64> {
    super::grid(q.lo, q.hi, GRID_POINTS, q.param.range().integer)
}

/// Solves the question on scenario `s`. `bar` counts evaluations. Only the
/// Monte Carlo of a probability question can fail (see
/// [`super::metric_value`]).
pub fn solve(s: &Scenario, q: &Question, bar: &ProgressBar) -> Result<Solution, String> {
    let integer = q.param.range().integer;
    let target = q.goal.headcount;
    let total_at = |v: f64| outcome(&with(s, q.param, v), &q.goal).at_goal;
    let baseline_value = q.param.get(s);
    let baseline_total = outcome(s, &q.goal).at_goal;

    let values = grid_values(q);
    bar.set_message("expected totals");
    let curve: Vec<Point> = values
        .par_iter()
        .map(|&value| {
            let metric = total_at(value);
            bar.inc(1);
            Point { value, metric }
        })
        .collect();

    let first = curve[0].metric;
    let last = curve[curve.len() - 1].metric;
    let scale = curve.iter().map(|p| p.metric.abs()).fold(1.0, f64::max);
    let flat = curve
        .iter()
        .all(|p| (p.metric - first).abs() <= 1e-12 * scale);
    let direction = if flat {
        Direction::None
    } else if last >= first {
        Direction::Increase
    } else {
        Direction::Decrease
    };
    let sign = if direction == Direction::Decrease {
        -1.0
    } else {
        1.0
    };
    let dip = curve
        .windows(2)
        .map(|w| Dip {
            size: -sign * (w[1].metric - w[0].metric),
            from: w[0].value,
            to: w[1].value,
        })
        .filter(|d| d.size > 1e-9 * scale)
        .fold(None, |best: Option<Dip>, d| match best {
            Some(b) if b.size >= d.size => Some(b),
            _ => Some(d),
        });
    let monotone = dip.is_none();
    let best = curve
        .iter()
        .copied()
        .fold(curve[0], |b, p| if p.metric > b.metric { p } else { b });

    // Grid indices in the order the lever helps: the answer is the first
    // meeting point, refined against the point before it.
    let order: Vec<usize> = match direction {
        Direction::Decrease => (0..curve.len()).rev().collect(),
        _ => (0..curve.len()).collect(),
    };
    let deterministic = order
        .iter()
        .position(|&i| curve[i].metric >= target)
        .map(|k| {
            if k == 0 {
                return curve[order[0]].value;
            }
            let (fail, meet) = (curve[order[k - 1]].value, curve[order[k]].value);
            bar.set_message("bisection");
            bisect(fail, meet, integer, TOLERANCE, &mut |v| {
                bar.inc(1);
                total_at(v) >= target
            })
        });
    let deterministic_total = deterministic.map(total_at);

    let probabilistic = q
        .probability
        .map(|(p, mc)| solve_probability(s, q, direction, deterministic, &total_at, p, &mc, bar))
        .transpose()?;
    let marks: Vec<f64> = [Some(baseline_value), deterministic]
        .into_iter()
        .chain([probabilistic.as_ref().and_then(|p| p.value)])
        .flatten()
        .collect();
    let zoom = zoom_window(q, &marks, deterministic.is_some())
        .map(|(a, b)| {
            super::grid(a, b, GRID_POINTS, integer)
                .par_iter()
                .map(|&value| Point {
                    value,
                    metric: total_at(value),
                })
                .collect()
        })
        .unwrap_or_default();
    bar.finish_and_clear();
    Ok(Solution {
        path: q.param.path(s),
        integer,
        baseline_value,
        baseline_total,
        direction,
        monotone,
        dip,
        deterministic,
        deterministic_total,
        curve,
        zoom,
        probabilistic,
        best,
    })
}

/// The part of the range worth drawing: the configured value and the
/// answers with half their spread again on each side; `None` when there is
/// no answer or that is most of the range anyway.
fn zoom_window(q: &Question, marks: &[f64], answered: bool) -> Option<(f64, f64)> {
    if !answered || marks.is_empty() {
        return None;
    }
    let a = marks.iter().copied().fold(f64::INFINITY, f64::min);
    let b = marks.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (b - a).max(0.05 * (q.hi - q.lo));
    // Ends on round numbers (a tenth of the window's order of magnitude).
    let unit = 10f64.powf((2.0 * span).log10().floor() - 1.0);
    let unit = if q.param.range().integer {
        unit.max(1.0)
    } else {
        unit
    };
    let lo = ((a - 0.5 * span) / unit).floor() * unit;
    let hi = ((b + 0.5 * span) / unit).ceil() * unit;
    let (lo, hi) = (lo.max(q.lo), hi.min(q.hi));
    (hi - lo < 0.5 * (q.hi - q.lo) && hi > lo).then_some((lo, hi))
}

/// The probability-mode search, in positions `u` running from the end of
/// the range where the lever hurts (0) to where it helps (1); the answer is
/// the least position whose share of runs meeting the goal is at least `p`.
///
/// Monte Carlo evaluations are the cost, so the search starts from a
/// prediction: the runs at the deterministic answer give the spread of the
/// total, and the expected total's slope says how far the lever must move
/// for the `1 - p` quantile of that spread to reach the goal. Doubling steps
/// from there bracket the boundary, and bisection narrows it. Every value
/// tried uses the same runs (common random numbers), so the share moves with
/// the lever rather than with the luck of each batch, and the bisection
/// converges on one boundary.
#[allow(clippy::too_many_arguments)]
fn solve_probability(
    s: &Scenario,
    q: &Question,
    direction: Direction,
    deterministic: Option<f64>,
    total_at: &dyn Fn(f64) -> f64,
    p: f64,
    mc: &MonteCarlo,
    bar: &ProgressBar,
) -> Result<ProbabilityAnswer, String> {
    let integer = q.param.range().integer;
    let target = q.goal.headcount;
    let (worst, best) = match direction {
        Direction::Decrease => (q.hi, q.lo),
        _ => (q.lo, q.hi),
    };
    let at = |u: f64| {
        let v = worst + u.clamp(0.0, 1.0) * (best - worst);
        if integer {
            v.round()
        } else {
            v
        }
    };
    let position = |v: f64| ((v - worst) / (best - worst)).clamp(0.0, 1.0);
    let mut tried: Vec<Point> = Vec::new();
    let runs_at = |v: f64, tried: &mut Vec<Point>| -> Result<MilestoneRuns, String> {
        bar.set_message(format!("{} runs at {}", mc.runs, crate::format::num(v)));
        let runs = montecarlo::milestone_runs(&with(s, q.param, v), q.goal.date, mc)?;
        bar.inc(1);
        tried.push(Point {
            value: v,
            metric: runs.share_at_least(target),
        });
        Ok(runs)
    };

    // Where to start: the prediction, else the helpful end of the range.
    let start = match deterministic {
        Some(d) => {
            let runs = runs_at(d, &mut tried)?;
            let h = if integer { 1.0 } else { 1e-3 * (q.hi - q.lo) };
            let (a, b) = ((d - h).max(q.lo), (d + h).min(q.hi));
            let slope = (total_at(b) - total_at(a)) / (b - a);
            let need = runs.shortfall(target, p);
            if slope.is_finite() && slope != 0.0 {
                position(d + need / slope)
            } else {
                position(d)
            }
        }
        None => 1.0,
    };
    // First step: a quarter of the predicted move, at least twice the
    // tolerance (whole numbers: one).
    let min_step = if integer {
        1.0
    } else {
        2.0 * PROBABILITY_TOLERANCE * at(start).abs().max(f64::MIN_POSITIVE)
    } / (best - worst).abs();
    let start_step = (0.25 * (start - deterministic.map_or(start, position)).abs()).max(min_step);

    // A Monte Carlo error (none is expected once the first value ran) ends
    // the search: NaN meets nothing and fails nothing, so every loop below
    // runs out, and the error is returned after it.
    let mut failure: Option<String> = None;
    let mut chance = |v: f64| -> f64 {
        if let Some(pt) = tried.iter().find(|pt| pt.value == v) {
            return pt.metric;
        }
        if failure.is_some() {
            return f64::NAN;
        }
        match runs_at(v, &mut tried) {
            Ok(runs) => runs.share_at_least(target),
            Err(e) => {
                failure = Some(e);
                f64::NAN
            }
        }
    };
    let mut step = start_step;
    let bracket = if chance(at(start)) >= p {
        // Meets: step towards the hurting end until it fails.
        let mut meet = start;
        loop {
            let u = (meet - step).max(0.0);
            if at(u) == at(meet) && u > 0.0 {
                step *= 2.0;
                continue;
            }
            if chance(at(u)) < p {
                break Some((Some(u), meet));
            }
            meet = u;
            if u == 0.0 {
                break Some((None, 0.0));
            }
            step *= 2.0;
        }
    } else {
        // Fails: step towards the helping end until it meets.
        let mut fail = start;
        loop {
            if fail >= 1.0 {
                break None;
            }
            let u = (fail + step).min(1.0);
            if at(u) == at(fail) && u < 1.0 {
                step *= 2.0;
                continue;
            }
            if chance(at(u)) >= p {
                break Some((Some(fail), u));
            }
            fail = u;
            step *= 2.0;
        }
    };
    let value = bracket.map(|(fail, meet)| match fail {
        None => at(meet),
        Some(fail) => bisect(
            at(fail),
            at(meet),
            integer,
            PROBABILITY_TOLERANCE,
            &mut |v| chance(v) >= p,
        ),
    });
    let achieved = value.map(&mut chance);
    if let Some(e) = failure {
        return Err(e);
    }
    tried.sort_by(|a, b| a.value.total_cmp(&b.value));
    Ok(ProbabilityAnswer {
        value,
        achieved,
        total: value.map(total_at),
        tried,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bisection_finds_whole_and_fractional_boundaries() {
        let mut f = |v: f64| v >= 7.3;
        assert_eq!(bisect(0.0, 10.0, true, TOLERANCE, &mut f), 8.0);
        let v = bisect(0.0, 10.0, false, TOLERANCE, &mut f);
        assert!((v - 7.3).abs() <= 1e-5 && v >= 7.3);
        // Decreasing: the highest value still meeting.
        let mut g = |v: f64| v <= 0.25;
        let v = bisect(1.0, 0.0, false, TOLERANCE, &mut g);
        assert!((v - 0.25).abs() <= 1e-6 && v <= 0.25);
        assert_eq!(bisect(9.0, 2.0, true, TOLERANCE, &mut |v| v <= 4.0), 4.0);
    }
}

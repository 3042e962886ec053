//! One-at-a-time sensitivity: each parameter moved down and up by a relative
//! `delta` (clamped into its range) with everything else at its configured
//! value; parameters ranked by how far the metric swings.

use super::{metric_value, with, Goal, Metric, MonteCarlo};
use crate::params::Param;
use crate::scenario::Scenario;
use indicatif::ProgressBar;
use rayon::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub path: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub metric_low: f64,
    pub metric_high: f64,
    /// |metric_high - metric_low|.
    pub swing: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub metric: Metric,
    pub delta: f64,
    /// The metric with every parameter at its configured value.
    pub baseline: f64,
    /// Sorted by swing, largest first; ties keep config order.
    pub rows: Vec<Row>,
}

/// The values a parameter is moved to: `v (1 - delta)` and `v (1 + delta)`,
/// clamped into its range (so a probability of 1 stays 1, attrition stays
/// below 1, and whole numbers are rounded). Negative values (event
/// removals) move away from and towards zero alike.
pub fn low_high(p: Param, value: f64, delta: f64) -> (f64, f64) {
    let r = p.range();
    let a = r.clamp(value - delta * value.abs());
    let b = r.clamp(value + delta * value.abs());
    (a, b)
}

/// Runs the analysis. Every parameter's two scenarios are evaluated in
/// parallel; results are collected in parameter order, then sorted, so the
/// ranking does not depend on the threads. With the probability metric, the
/// baseline and every bar end use the same Monte Carlo runs (common random
/// numbers), so a swing is the parameter's effect, not different luck.
pub fn sensitivity(
    s: &Scenario,
    params: &[Param],
    goal: &Goal,
    metric: Metric,
    delta: f64,
    mc: &MonteCarlo,
    bar: &ProgressBar,
) -> Result<Sensitivity, String> {
    let baseline = metric_value(s, goal, metric, mc)?;
    let jobs: Vec<(usize, bool)> = (0..params.len())
        .flat_map(|i| [(i, false), (i, true)])
        .collect();
    let values: Vec<f64> = jobs
        .par_iter()
        .map(|&(i, up)| {
            let p = params[i];
            let (lo, hi) = low_high(p, p.get(s), delta);
            let v = if up { hi } else { lo };
            let m = metric_value(&with(s, p, v), goal, metric, mc);
            bar.inc(1);
            m
        })
        .collect::<Result<_, String>>()?;
    let mut rows: Vec<Row> = params
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let value = p.get(s);
            let (low, high) = low_high(p, value, delta);
            let (metric_low, metric_high) = (values[2 * i], values[2 * i + 1]);
            Row {
                path: p.path(s),
                value,
                low,
                high,
                metric_low,
                metric_high,
                swing: (metric_high - metric_low).abs(),
            }
        })
        .collect();
    // Stable: equal swings keep the config order.
    rows.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    bar.finish_and_clear();
    Ok(Sensitivity {
        metric,
        delta,
        baseline,
        rows,
    })
}

//! Two-lever sweeps: the metric on a grid of two parameters' values, and the
//! expected total's margin over the final milestone on the same grid (whose
//! zero line is where the milestone is just met).

use super::{metric_value, outcome, with, Axis, Goal, Metric, MonteCarlo};
use crate::scenario::Scenario;
use indicatif::ProgressBar;
use rayon::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub x: Axis,
    pub y: Axis,
    pub metric: Metric,
    /// `values[i][j]`: the metric at `x.values[i]`, `y.values[j]`.
    pub values: Vec<Vec<f64>>,
    /// `margin[i][j]`: expected total at the goal's month minus its headcount.
    pub margin: Vec<Vec<f64>>,
    /// The configured values of the two parameters.
    pub baseline: (f64, f64),
}

/// Evaluates every cell, in parallel; cells are collected in grid order so
/// the result does not depend on the threads. With the probability metric,
/// every cell uses the same Monte Carlo runs (common random numbers), so
/// neighbouring cells differ by the levers' effect, not by luck.
pub fn sweep(
    s: &Scenario,
    x: &Axis,
    y: &Axis,
    goal: &Goal,
    metric: Metric,
    mc: &MonteCarlo,
    bar: &ProgressBar,
) -> Result<Sweep, String> {
    let (nx, ny) = (x.values.len(), y.values.len());
    let cells: Vec<(f64, f64)> = (0..nx * ny)
        .into_par_iter()
        .map(|k| {
            let (i, j) = (k / ny, k % ny);
            let mut c = with(s, x.param, x.values[i]);
            y.param.set(&mut c, y.values[j]);
            let o = outcome(&c, goal);
            let value = match metric {
                Metric::FinalTotal => o.final_total,
                Metric::FirstMonth => o.first_month.map_or(f64::NAN, |m| m as f64),
                Metric::Probability => metric_value(&c, goal, metric, mc)?,
            };
            bar.inc(1);
            Ok((value, o.at_goal - goal.headcount))
        })
        .collect::<Result<_, String>>()?;
    bar.finish_and_clear();
    let rows = |f: fn(&(f64, f64)) -> f64| -> Vec<Vec<f64>> {
        cells
            .chunks(ny)
            .map(|col| col.iter().map(f).collect())
            .collect()
    };
    Ok(Sweep {
        x: x.clone(),
        y: y.clone(),
        metric,
        values: rows(|c| c.0),
        margin: rows(|c| c.1),
        baseline: (x.param.get(s), y.param.get(s)),
    })
}

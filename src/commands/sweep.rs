//! `forcecast sweep`: a metric over a grid of two levers.

use super::sensitivity::no_goal;
use super::solve::{grid_answer, in_pool, mc_settings};
use super::{check_out_dir, Answer};
use crate::cli::{SweepArgs, SweepMetric};
use crate::config;
use crate::error::{Error, Result};
use crate::format::{num, people, percent_chance};
use crate::goal::sweep::{self as grid, Sweep};
use crate::goal::{self, Metric};
use crate::output::csv::{Cell, Table};
use crate::output::DataFile;
use crate::plot::{self, ChartOptions, HeatmapChart, Planning};
use crate::scenario::Scenario;

/// Monte Carlo runs per grid point when `--runs` is not given.
pub const DEFAULT_RUNS: u64 = crate::cli::DEFAULT_RUNS_SWEEP;

/// Evaluates the grid and renders everything in memory.
pub fn answer(args: &SweepArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let s = &loaded.scenario;
    let x = goal::parse_axis(s, "--x", &args.x).map_err(Error::Usage)?;
    let y = goal::parse_axis(s, "--y", &args.y).map_err(Error::Usage)?;
    if x.param == y.param {
        return Err(Error::Usage(format!(
            "--x and --y are both {}: sweep two different parameters",
            x.path
        )));
    }
    let metric = match args.metric {
        SweepMetric::FinalTotal => Metric::FinalTotal,
        SweepMetric::Probability => Metric::Probability,
        SweepMetric::FirstMonth => Metric::FirstMonth,
    };
    let target = match goal::pick_goal(s, None) {
        Ok(g) => Some(g),
        Err(e) if metric != Metric::FinalTotal => {
            return Err(Error::Usage(format!("--metric {}: {e}", metric.name())))
        }
        Err(_) => None,
    };
    let probability = metric == Metric::Probability;
    let mc = mc_settings(
        &args.mc,
        &loaded,
        probability,
        "--metric probability",
        DEFAULT_RUNS,
    )?;
    let cells = (x.values.len() * y.values.len()) as u64;
    let bar = goal::progress(cells, "sweep");
    let goal = target.clone().unwrap_or_else(|| no_goal(s));
    let sw = in_pool(&args.mc, || {
        grid::sweep(s, &x, &y, &goal, metric, &mc, &bar)
    })?;
    let chart = plot::render_file(
        &HeatmapChart {
            sweep: &sw,
            on: Planning::new(&loaded, target.as_ref(), probability.then_some(mc)),
        },
        &ChartOptions::from(&args.output),
    )?;
    Ok(grid_answer(
        &console(s, &sw, target.as_ref()),
        probability
            .then(|| goal::drawn_by_bounds(s, &[x.param, y.param], &mc))
            .flatten(),
        args.output.out.join(&s.name),
        DataFile::table("sweep", table(s, &sw)),
        chart,
    ))
}

/// A metric value as written to `sweep.csv`: numbers in full precision,
/// first months as `YYYY-MM` (empty when never reached).
fn cell(s: &Scenario, metric: Metric, v: f64) -> String {
    match metric {
        Metric::FirstMonth if v.is_finite() => goal::month_after_start(s, v as usize).to_string(),
        _ => num(v),
    }
}

/// `sweep.csv`: `x`, `y`, `value`, x slowest.
fn table(s: &Scenario, sw: &Sweep) -> Table {
    let mut t = Table::new(["x", "y", "value"]);
    for (i, &xv) in sw.x.values.iter().enumerate() {
        for (j, &yv) in sw.y.values.iter().enumerate() {
            let v = sw.values[i][j];
            let value = match sw.metric {
                Metric::FirstMonth => Cell::Text(cell(s, sw.metric, v)),
                _ => Cell::Num(v),
            };
            t.push(vec![xv.into(), yv.into(), value]);
        }
    }
    t
}

fn console(s: &Scenario, sw: &Sweep, target: Option<&goal::Goal>) -> String {
    let finite: Vec<f64> = sw
        .values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let show = |v: f64| match sw.metric {
        Metric::Probability => percent_chance(v),
        Metric::FirstMonth => cell(s, sw.metric, v),
        Metric::FinalTotal => people(v),
    };
    let n = sw.x.values.len() * sw.y.values.len();
    let what = match sw.metric {
        Metric::FinalTotal => format!("expected total at {}", s.end),
        Metric::Probability => "chance of meeting the final milestone".into(),
        Metric::FirstMonth => "first month at the final milestone's headcount".into(),
    };
    let mut out = format!(
        "Swept {} x {} = {n} points of {} and {}: {what} from {} to {}",
        sw.x.values.len(),
        sw.y.values.len(),
        sw.x.path,
        sw.y.path,
        if finite.is_empty() {
            "n/a".into()
        } else {
            show(lo)
        },
        if finite.is_empty() {
            "n/a".into()
        } else {
            show(hi)
        },
    );
    if finite.len() < n {
        out.push_str(&format!(" ({} points never reach it)", n - finite.len()));
    }
    out.push('.');
    if let Some(g) = target {
        let met = sw.margin.iter().flatten().filter(|m| **m >= 0.0).count();
        out.push_str(&format!(
            "\nThe expected total meets {} at {met} of {n} points.",
            g.describe()
        ));
    }
    out
}

//! `forcecast sensitivity`: which assumption moves the result most.

use super::solve::{grid_answer, in_pool, mc_settings};
use super::{check_out_dir, Answer};
use crate::cli::{SensitivityArgs, SensitivityMetric};
use crate::config;
use crate::error::{Error, Result};
use crate::format::{people, percent_chance, value_label, whole_percent};
use crate::goal::sensitivity::{self as oat, Sensitivity};
use crate::goal::{self, Metric};
use crate::output::csv::Table;
use crate::output::DataFile;
use crate::params::Param;
use crate::plot::{self, ChartOptions, Planning, TornadoChart};

/// Monte Carlo runs per scenario when `--runs` is not given (two per parameter).
pub const DEFAULT_RUNS: u64 = crate::cli::DEFAULT_RUNS_SENSITIVITY;

/// Runs the analysis and renders everything in memory.
pub fn answer(args: &SensitivityArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let s = &loaded.scenario;
    let metric = match args.metric {
        SensitivityMetric::FinalTotal => Metric::FinalTotal,
        SensitivityMetric::Probability => Metric::Probability,
    };
    let mut params: Vec<Param> = Vec::new();
    for path in &args.params {
        let p = goal::parse_param(s, "--params", path).map_err(Error::Usage)?;
        if !params.contains(&p) {
            params.push(p);
        }
    }
    if params.is_empty() {
        params = Param::all(s);
    }
    let probability = metric == Metric::Probability;
    let target = match goal::pick_goal(s, None) {
        Ok(g) => Some(g),
        Err(e) if probability => return Err(Error::Usage(format!("--metric probability: {e}"))),
        Err(_) => None,
    };
    let mc = mc_settings(
        &args.mc,
        &loaded,
        probability,
        "--metric probability",
        DEFAULT_RUNS,
    )?;
    let bar = goal::progress(2 * params.len() as u64, "sensitivity");
    let goal = target.clone().unwrap_or_else(|| no_goal(s));
    let sens = in_pool(&args.mc, || {
        oat::sensitivity(s, &params, &goal, metric, args.delta, &mc, &bar)
    })?;
    let chart = plot::render_file(
        &TornadoChart {
            sens: &sens,
            on: Planning::new(&loaded, target.as_ref(), probability.then_some(mc)),
        },
        &ChartOptions::from(&args.output),
    )?;
    Ok(grid_answer(
        &console(&sens, s.end),
        probability
            .then(|| goal::drawn_by_bounds(s, &params, &mc))
            .flatten(),
        args.output.out.join(&s.name),
        DataFile::table("sensitivity", table(&sens)),
        chart,
    ))
}

/// A stand-in goal when the scenario has no milestones (only the final
/// total is asked for then; nothing can meet a NaN headcount).
pub fn no_goal(s: &crate::scenario::Scenario) -> goal::Goal {
    goal::Goal {
        date: s.end,
        headcount: f64::NAN,
        label: None,
    }
}

/// `sensitivity.csv`: one row per parameter, largest swing first.
pub fn table(sens: &Sensitivity) -> Table {
    let mut t = Table::new([
        "parameter",
        "low",
        "high",
        "metric_low",
        "metric_high",
        "swing",
    ]);
    for r in &sens.rows {
        t.push(vec![
            r.path.as_str().into(),
            r.low.into(),
            r.high.into(),
            r.metric_low.into(),
            r.metric_high.into(),
            r.swing.into(),
        ]);
    }
    t
}

/// The top of the ranking, for the terminal.
fn console(sens: &Sensitivity, end: crate::month::Month) -> String {
    use std::fmt::Write;
    let show = |x: f64| match sens.metric {
        Metric::Probability => percent_chance(x),
        _ => people(x),
    };
    let what = match sens.metric {
        Metric::Probability => "chance of meeting the final milestone".to_string(),
        _ => format!("expected total at {end}"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sensitivity of the {what} (baseline {}) to ±{} changes, largest swing first:",
        show(sens.baseline),
        whole_percent(sens.delta)
    );
    let _ = writeln!(
        out,
        "  {:<46} {:>20} {:>20} {:>8}",
        "parameter", "low -> metric", "high -> metric", "swing"
    );
    for r in sens.rows.iter().take(10) {
        let _ = writeln!(
            out,
            "  {:<46} {:>20} {:>20} {:>8}",
            r.path,
            format!("{} -> {}", value_label(r.low), show(r.metric_low)),
            format!("{} -> {}", value_label(r.high), show(r.metric_high)),
            show(r.swing)
        );
    }
    if sens.rows.len() > 10 {
        let _ = writeln!(
            out,
            "  ... {} more in sensitivity.csv",
            sens.rows.len() - 10
        );
    }
    out
}

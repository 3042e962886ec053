//! `forcecast report`: the reviewer's briefing. Every scenario is studied
//! with the library functions the other commands use (projection, Monte
//! Carlo, sensitivity, solve, calibration), then laid out as one
//! self-contained page ([`document`]) and one workbook of every table
//! ([`workbook`]).
//!
//! The page is a list of sections, each made by one function from the
//! studies ([`SECTIONS`]); a new kind of result (costs, a plan, on-the-job
//! qualification) is a new function in that list, or a new entry in a
//! scenario's charts ([`scenario_figures`]).

mod sections;
mod tables;

pub use sections::SECTIONS;
pub use tables::workbook;

use crate::calibrate::{self, Calibration};
use crate::config::Loaded;
use crate::costs::runs::CostPercentiles;
use crate::engine::{self, Projection};
use crate::goal::sensitivity::{self as oat, Sensitivity};
use crate::goal::solve::{self as seek, Question, Solution};
use crate::goal::{self, Goal, Metric, MonteCarlo};
use crate::montecarlo::{self, report::McSummary};
use crate::output::html::Document;
use crate::output::OutputFile;
use crate::params::Param;
use crate::plot::{self, ChartOptions, FanChart, Planning, Stamp, TornadoChart};
use crate::summary::Summary;
use indicatif::ProgressBar;

/// How the report is made.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Monte Carlo runs per scenario.
    pub runs: u64,
    /// Monte Carlo seed; `None`: each scenario's own `seed`.
    pub seed: Option<u64>,
    /// Relative change of each parameter in the sensitivity (0.2 = ±20%).
    pub delta: f64,
    /// How many of the largest levers are solved for.
    pub levers: usize,
    pub chart: ChartOptions,
}

/// Monte Carlo runs per scenario when `--runs` is not given.
pub const DEFAULT_RUNS: u64 = 1000;

impl Default for Options {
    fn default() -> Options {
        Options {
            runs: DEFAULT_RUNS,
            seed: None,
            delta: 0.2,
            levers: 3,
            // Smaller than the 1600x900 files: the page shows them at about
            // 1000 px wide, and eleven scenarios' charts add up.
            chart: ChartOptions {
                width: 1200,
                height: 675,
                ..ChartOptions::default()
            },
        }
    }
}

/// Everything the report says about one scenario.
pub struct Study {
    pub loaded: Loaded,
    pub projection: Projection,
    pub summary: Summary,
    pub mc: McSummary,
    pub sensitivity: Sensitivity,
    /// The final milestone, when the scenario has one.
    pub goal: Option<Goal>,
    /// The largest levers, each solved for the final milestone (expected values).
    pub solves: Vec<(Question, Solution)>,
    /// Refit of the `fitted` parameters to the `[[observed]]` counts; `Err`
    /// with the reason when it could not be made; `None` without observations.
    pub calibration: Option<Result<Calibration, String>>,
    /// Cost percentiles of the same Monte Carlo runs (per fiscal year, then
    /// the horizon); only with `[costs]`.
    pub cost_runs: Option<Vec<CostPercentiles>>,
    /// headcount, fan, levels, pipeline, flows, costs, tornado, backtest (PNG).
    pub charts: Vec<OutputFile>,
}

impl Study {
    pub fn chart(&self, name: &str) -> Option<&OutputFile> {
        let file = format!("{name}.png");
        self.charts.iter().find(|c| c.name == file)
    }

    pub fn name(&self) -> &str {
        &self.loaded.scenario.name
    }
}

/// What every section can see: the studies in the order given (the first
/// is the reference) and how they were made.
pub struct Context<'a> {
    pub studies: &'a [Study],
    pub opts: &'a Options,
    /// The tool's version, for the provenance section.
    pub version: &'a str,
    /// The comparison chart of all the studies (`compare.png`).
    pub compare: Option<OutputFile>,
}

/// Parameters that are levers a planner can pull: inflow volumes, seats,
/// retention and promotion, recruiting achievement and washout. Starting
/// counts, single fiscal years and one-off events are history, not levers.
pub fn is_lever(p: Param) -> bool {
    matches!(
        p,
        Param::PerYear(_)
            | Param::Seats(_)
            | Param::Attrition(_)
            | Param::PromotionRate(_)
            | Param::Achievement(_)
            | Param::Washout(_)
    )
}

/// A parameter fitted to published counts describes what happened, not a
/// choice ahead (the baseline's FY2021-FY2024 transfer rate): it is no lever.
/// So is every parameter of an inflow whose volume is fitted (its
/// achievement), and a parameter the config does not write (a default is
/// not a plan anyone made).
pub fn describes_history(loaded: &Loaded, path: &str) -> bool {
    let fitted = |p: &str| {
        loaded
            .sources
            .get(p)
            .is_some_and(|s| s.status == crate::config::raw::Provenance::Fitted)
    };
    let channel_fitted = path
        .strip_prefix("inflows.")
        .and_then(|rest| rest.split('.').next())
        .is_some_and(|name| fitted(&format!("inflows.{name}.per_year")));
    let written = crate::config::sources::numeric_values(&loaded.merged)
        .iter()
        .any(|(p, _)| p == path);
    fitted(path) || channel_fitted || !written
}

/// Studies one scenario. Errors are the analyses' own messages.
pub fn study(loaded: Loaded, opts: &Options) -> Result<Study, String> {
    let s = &loaded.scenario;
    let projection = engine::project(s);
    let summary = Summary::new(&loaded, &projection);
    let seed = opts.seed.unwrap_or(s.seed);
    let mc_opts = montecarlo::Options::new(opts.runs, seed);
    let stats = montecarlo::run(s, &mc_opts, None)?;
    let mc = McSummary::new(&loaded, &mc_opts, &stats, &projection);
    let cost_runs = crate::costs::runs::percentiles(s, &mc_opts)?;

    let goal = goal::pick_goal(s, None).ok();
    let target = goal
        .clone()
        .unwrap_or_else(|| crate::commands::sensitivity::no_goal(s));
    let settings = MonteCarlo {
        runs: opts.runs,
        seed,
        threads: None,
        process_noise: true,
        parameter_uncertainty: true,
    };
    let hidden = ProgressBar::hidden();
    let params = Param::all(s);
    let sensitivity = oat::sensitivity(
        s,
        &params,
        &target,
        Metric::FinalTotal,
        opts.delta,
        &settings,
        &hidden,
    )?;
    let mut solves = Vec::new();
    if let Some(g) = &goal {
        for row in &sensitivity.rows {
            if solves.len() == opts.levers {
                break;
            }
            let Ok(param) = Param::parse(s, &row.path) else {
                continue;
            };
            if !is_lever(param)
                || !param.changeable()
                || row.swing <= 0.0
                || describes_history(&loaded, &row.path)
            {
                continue;
            }
            let (lo, hi) = goal::default_range(param, param.get(s));
            if lo >= hi {
                continue;
            }
            let q = Question {
                param,
                goal: g.clone(),
                lo,
                hi,
                probability: None,
            };
            let sol = seek::solve(s, &q, &hidden)?;
            solves.push((q, sol));
        }
    }
    let calibration = (!s.observed.is_empty()).then(|| refit(&loaded));

    let stamp = Stamp::of(&loaded);
    let mc_stamp = Stamp {
        seed: Some(seed),
        ..Stamp::of(&loaded)
    };
    let chart = &opts.chart;
    let mut charts = plot::projection_charts(&loaded, &projection, &summary, chart)
        .map_err(|e| e.to_string())?;
    let fan = FanChart {
        scenario: s,
        summary: &mc,
        deterministic: mc
            .bands
            .iter()
            .map(|b| projection.at(b.month).map_or(f64::NAN, |r| r.total))
            .collect(),
        stamp: &mc_stamp,
    };
    charts.push(plot::render_file(&fan, chart).map_err(|e| e.to_string())?);
    let tornado = TornadoChart {
        sens: &sensitivity,
        on: Planning::new(&loaded, goal.as_ref(), None),
    };
    charts.push(plot::render_file(&tornado, chart).map_err(|e| e.to_string())?);
    if let Some(Ok(cal)) = &calibration {
        let fitted = cal.fitted_scenario(s);
        let p = engine::project(&fitted);
        let backtest = plot::BacktestChart {
            scenario: &fitted,
            calibration: cal,
            p: &p,
            stamp: &stamp,
        };
        charts.push(plot::render_file(&backtest, chart).map_err(|e| e.to_string())?);
    }
    Ok(Study {
        loaded,
        projection,
        summary,
        mc,
        sensitivity,
        goal,
        solves,
        calibration,
        cost_runs,
        charts,
    })
}

/// Refits the parameters the config labels `fitted` to its counts, within
/// 0..10x their values: does the configured value still follow from the data?
fn refit(loaded: &Loaded) -> Result<Calibration, String> {
    let s = &loaded.scenario;
    let fit: Vec<calibrate::FitParam> = loaded
        .sources
        .iter()
        .filter(|(_, src)| src.status == crate::config::raw::Provenance::Fitted)
        .filter_map(|(path, _)| Param::parse(s, path).ok())
        .map(|param| {
            let (lo, hi) = goal::default_range(param, param.get(s));
            calibrate::FitParam { param, lo, hi }
        })
        .collect();
    if fit.is_empty() {
        return Err("no parameter is labelled `fitted` in [sources]".into());
    }
    calibrate::calibrate(s, &fit, &calibrate::Options::default()).map_err(|e| e.to_string())
}

/// The page: the sections of [`SECTIONS`] that have something to say.
pub fn document(cx: &Context) -> Document {
    let names: Vec<&str> = cx.studies.iter().map(Study::name).collect();
    Document {
        title: match cx.studies {
            [one] => format!("forcecast briefing: {}", one.loaded.scenario.title),
            _ => "forcecast briefing: workforce scenarios compared".to_string(),
        },
        subtitle: format!(
            "{} ({}); forcecast {}; Monte Carlo {} runs per scenario.",
            crate::format::count(cx.studies.len() as u64, "scenario", "scenarios"),
            names.join(", "),
            cx.version,
            cx.opts.runs
        ),
        sections: SECTIONS.iter().filter_map(|make| make(cx)).collect(),
    }
}

//! `forcecast solve`: what value of one lever just meets a milestone.

use super::{check_out_dir, Answer, Outputs};
use crate::cli::{MonteCarloArgs, SolveArgs};
use crate::config::{self, Loaded};
use crate::error::{Error, Result};
use crate::format::{people, percent_chance, signed_percent, value_label};
use crate::goal::solve::{self as seek, Dip, Direction, Point, Question, Solution};
use crate::goal::{self, MonteCarlo};
use crate::montecarlo;
use crate::month::Month;
use crate::output::DataFile;
use crate::plot::{self, ChartOptions, SolveChart};
use crate::scenario::Scenario;
use serde::Serialize;

/// Monte Carlo runs per value when `--runs` is not given.
pub const DEFAULT_RUNS: u64 = crate::cli::DEFAULT_RUNS_SOLVE;

/// The Monte Carlo settings (both kinds of uncertainty unless switched off,
/// as in `mc`), refusing the Monte Carlo flags where no Monte Carlo runs.
/// `--threads` is not among them: it applies to the whole question (see
/// [`in_pool`]), so `threads` is left `None` here.
pub fn mc_settings(
    args: &MonteCarloArgs,
    loaded: &Loaded,
    used: bool,
    why: &str,
    default_runs: u64,
) -> Result<MonteCarlo> {
    let given = [
        ("--runs", args.runs.is_some()),
        ("--seed", args.seed.is_some()),
        ("--no-process-noise", args.no_process_noise),
        ("--no-parameter-uncertainty", args.no_parameter_uncertainty),
    ];
    if let Some((flag, _)) = given.iter().find(|(_, on)| *on && !used) {
        return Err(Error::Usage(format!(
            "{flag} only applies with {why} (a Monte Carlo)"
        )));
    }
    Ok(MonteCarlo {
        runs: args.runs.map_or(default_runs, |n| n as u64),
        seed: args.seed.unwrap_or(loaded.scenario.seed),
        threads: None,
        process_noise: !args.no_process_noise,
        parameter_uncertainty: !args.no_parameter_uncertainty,
    })
}

/// Runs a planning question on `--threads` workers (default: all cores).
/// The answer is the same for any number.
pub fn in_pool<T: Send>(
    args: &MonteCarloArgs,
    question: impl FnOnce() -> std::result::Result<T, String> + Send,
) -> Result<T> {
    montecarlo::with_threads(args.threads.map(usize::from), question)
        .and_then(|r| r)
        .map_err(|e| Error::Other(anyhow::anyhow!(e)))
}

/// The answer of a grid question (`sensitivity`, `sweep`): its console text,
/// a warning when a varied parameter's draws cannot follow it (probability
/// only), one table and one chart in `dir`.
pub fn grid_answer(
    console: &str,
    drawn_warning: Option<String>,
    dir: std::path::PathBuf,
    table: DataFile,
    chart: crate::output::OutputFile,
) -> Answer {
    let mut answer = Answer::default();
    answer.say(console);
    if let Some(w) = drawn_warning {
        answer.warn(&w);
    }
    answer.outputs = Some(Outputs {
        dir,
        data: vec![table],
        charts: vec![chart],
    });
    answer
}

/// Output file stem of a solve for `lever`: `solve-` and the lever's path
/// with dots as dashes (`solve-inflows-transfers-per_year`), so answers for
/// different levers sit side by side.
pub fn file_stem(lever: &str) -> String {
    format!("solve-{}", lever.replace('.', "-"))
}

/// Solves and renders everything in memory.
pub fn answer(args: &SolveArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let s = &loaded.scenario;
    let param = goal::parse_param(s, "--lever", &args.lever).map_err(Error::Usage)?;
    let target = goal::pick_goal(s, args.milestone.as_deref()).map_err(Error::Usage)?;
    let (lo, hi) = match &args.range {
        Some(text) => goal::parse_range(s, param, text).map_err(Error::Usage)?,
        None => goal::default_range(param, param.get(s)),
    };
    if lo >= hi {
        return Err(Error::Usage(format!(
            "{} has no default range to search from its value {}: give --range LO:HI",
            param.path(s),
            param.get(s)
        )));
    }
    let mc = mc_settings(
        &args.mc,
        &loaded,
        args.probability.is_some(),
        "--probability",
        DEFAULT_RUNS,
    )?;
    let q = Question {
        param,
        goal: target,
        lo,
        hi,
        probability: args.probability.map(|p| (p, mc)),
    };
    let bar = goal::spinner(&format!("solving for {}", param.path(s)));
    let sol = in_pool(&args.mc, || seek::solve(s, &q, &bar))?;

    let stem = file_stem(&sol.path);
    let data = vec![DataFile::json(
        stem.clone(),
        &SolveJson::new(&loaded, &q, &sol),
    )?];
    let charts = vec![plot::render_file(
        &SolveChart {
            name: stem,
            loaded: &loaded,
            q: &q,
            sol: &sol,
        },
        &ChartOptions::from(&args.output),
    )?];
    let warnings: Vec<String> = q
        .probability
        .and_then(|(_, mc)| goal::drawn_by_bounds(s, &[param], &mc))
        .into_iter()
        .chain(sol.dip.map(|d| {
            format!(
                "the expected total at {} is not monotone in {}: it falls by {} between {} and {}{}",
                q.goal.date,
                sol.path,
                value_label(d.size),
                value_label(d.from),
                value_label(d.to),
                if sol.value().is_some() {
                    "; the answer is the first value meeting the milestone, counting from the end of the range where the lever hurts"
                } else {
                    ""
                }
            )
        }))
        .collect();
    let mut answer = Answer::default();
    answer.say(&sentence(s, &q, &sol));
    for w in &warnings {
        answer.warn(w);
    }
    answer.outputs = Some(Outputs {
        dir: args.output.out.join(&s.name),
        data,
        charts,
    });
    Ok(answer)
}

/// The one line a planner reads.
pub fn sentence(s: &Scenario, q: &Question, sol: &Solution) -> String {
    let goal = q.goal.describe();
    let path = &sol.path;
    let Some(v) = sol.value() else {
        let range = format!("{} to {}", value_label(q.lo), value_label(q.hi));
        return match (sol.direction, q.probability) {
            (Direction::None, _) => format!(
                "{goal} is not reachable by changing {path}: it does not change the expected total at {} in {range} (it stays {}).",
                q.goal.date,
                people(sol.baseline_total)
            ),
            (_, Some((p, mc))) if sol.deterministic.is_some() => format!(
                "{goal} is not reachable in {} of {} runs ({}) with {path} in {range} (the expected total meets it from {}).",
                percent_chance(p),
                people(mc.runs as f64),
                mc.varies(s),
                value_label(sol.deterministic.unwrap_or(f64::NAN))
            ),
            _ => format!(
                "{goal} is not reachable with {path} in {range}: the most it gives is {} (at {}).",
                people(sol.best.metric),
                value_label(sol.best.value)
            ),
        };
    };
    let b = sol.baseline_value;
    let delta = v - b;
    let rel = if b != 0.0 {
        format!(", {}", signed_percent(delta / b.abs()))
    } else {
        String::new()
    };
    let change = format!(
        "configured {}; {}{}{rel}",
        value_label(b),
        if delta >= 0.0 { "+" } else { "-" },
        value_label(delta.abs())
    );
    let helps_up = sol.direction != Direction::Decrease;
    let worst = if helps_up { q.lo } else { q.hi };
    let verb = match (helps_up, v > b, v < b) {
        _ if v == worst => format!(
            "{path} meets {goal} anywhere in the range searched, {} to {} (configured {})",
            value_label(q.lo),
            value_label(q.hi),
            value_label(b)
        ),
        (true, true, _) => format!(
            "{path} must rise to {} ({change}) to meet {goal}",
            value_label(v)
        ),
        (true, false, _) => format!(
            "{path} can fall to {} ({change}) and still meet {goal}",
            value_label(v)
        ),
        (false, _, true) => format!(
            "{path} must fall to {} ({change}) to meet {goal}",
            value_label(v)
        ),
        (false, _, false) => format!(
            "{path} can rise to {} ({change}) and still meet {goal}",
            value_label(v)
        ),
    };
    match (&sol.probabilistic, q.probability) {
        (Some(pa), Some((p, mc))) => format!(
            "{verb} in at least {} of {} runs ({}; {} met there; expected values alone need {}).",
            percent_chance(p),
            people(mc.runs as f64),
            mc.varies(s),
            percent_chance(pa.achieved.unwrap_or(f64::NAN)),
            sol.deterministic
                .map_or("a value outside the range".to_string(), value_label)
        ),
        _ => format!("{verb} (expected values)."),
    }
}

#[derive(Serialize)]
struct MilestoneJson {
    date: Month,
    headcount: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
}

#[derive(Serialize)]
struct ProbabilityJson<'a> {
    /// Fraction of runs that must meet the milestone.
    required: f64,
    runs: u64,
    seed: u64,
    /// Whole people with random monthly flows (`--no-process-noise` turns it off).
    process_noise: bool,
    /// The `[uncertainty]` parameters drawn once per run
    /// (`--no-parameter-uncertainty` turns it off).
    parameter_uncertainty: bool,
    /// The paths drawn in each run (empty when switched off).
    uncertain_parameters: Vec<&'a str>,
    /// The answer in expected values, where the search started.
    deterministic_value: Option<f64>,
    /// Every value tried and the fraction of runs meeting the milestone there.
    tried: &'a [Point],
}

/// `solve-<lever>.json`.
#[derive(Serialize)]
struct SolveJson<'a> {
    scenario: &'a str,
    config_hash: &'a str,
    lever: &'a str,
    /// The answer; null when the milestone is not reachable in `range`.
    value: Option<f64>,
    baseline_value: f64,
    reachable: bool,
    /// What the answer achieves: the expected total at the milestone, or
    /// with `probability` the fraction of runs meeting it.
    achieved: Option<f64>,
    /// The expected total at the milestone with the answer.
    expected_total: Option<f64>,
    /// The expected total at the milestone with the configured value.
    baseline_total: f64,
    milestone: MilestoneJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    probability: Option<ProbabilityJson<'a>>,
    /// Which way the lever helps: increase (least value meeting it is the
    /// answer), decrease (highest value still meeting it) or none.
    direction: Direction,
    monotone: bool,
    /// When not monotone: the largest fall of the expected total between
    /// neighbouring grid values, against the lever's direction.
    #[serde(skip_serializing_if = "Option::is_none")]
    dip: Option<Dip>,
    range: [f64; 2],
    /// The coarse grid of expected totals at the milestone.
    curve: &'a [Point],
}

impl<'a> SolveJson<'a> {
    fn new(loaded: &'a Loaded, q: &Question, sol: &'a Solution) -> SolveJson<'a> {
        let value = sol.value();
        let (achieved, expected_total) = match &sol.probabilistic {
            Some(pa) => (pa.achieved, pa.total),
            None => (sol.deterministic_total, sol.deterministic_total),
        };
        SolveJson {
            scenario: &loaded.scenario.name,
            config_hash: &loaded.hash,
            lever: &sol.path,
            value,
            baseline_value: sol.baseline_value,
            reachable: value.is_some(),
            achieved,
            expected_total,
            baseline_total: sol.baseline_total,
            milestone: MilestoneJson {
                date: q.goal.date,
                headcount: q.goal.headcount,
                label: q.goal.label.clone(),
            },
            probability: match (&sol.probabilistic, q.probability) {
                (Some(pa), Some((p, mc))) => Some(ProbabilityJson {
                    required: p,
                    runs: mc.runs,
                    seed: mc.seed,
                    process_noise: mc.process_noise,
                    parameter_uncertainty: mc.parameter_uncertainty,
                    uncertain_parameters: if mc.parameter_uncertainty {
                        loaded
                            .scenario
                            .uncertainty
                            .iter()
                            .map(|u| u.path.as_str())
                            .collect()
                    } else {
                        Vec::new()
                    },
                    deterministic_value: sol.deterministic,
                    tried: &pa.tried,
                }),
                _ => None,
            },
            direction: sol.direction,
            monotone: sol.monotone,
            dip: sol.dip,
            range: [q.lo, q.hi],
            curve: &sol.curve,
        }
    }
}

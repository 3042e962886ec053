//! The command line, as clap derive structs. `main.rs` parses, runs and maps
//! errors to exit codes; the commands live in `commands/`.

use crate::plot::{ChartOptions, ImageFormat};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "forcecast",
    version,
    about = "Workforce-growth planning: project a scenario, chart it, and ask what it would take.",
    long_about = "Workforce-growth planning: project a scenario, chart it, and ask what it would take.\n\n\
        Without a command, `forcecast` runs the embedded baseline (the Japan MoD cyber plan) \
        and writes its outputs to plots/baseline/.\n\n\
        Exit codes: 0 success; 2 usage or config error (nothing written); 1 any other failure; \
        3 final milestone missed (only with --fail-below)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Project one scenario month by month and write its tables and charts.
    #[command(after_help = examples::RUN)]
    Run(RunArgs),
    /// Validate config files only; prints OK or the errors for each.
    #[command(after_help = examples::CHECK)]
    Check(CheckArgs),
    /// Monte Carlo: many runs with random whole-person flows and drawn
    /// parameters; percentiles, milestone probabilities and a fan chart.
    #[command(after_help = examples::MC)]
    Mc(McArgs),
    /// What would it take? The value of one lever at which a milestone is just met.
    #[command(after_help = examples::SOLVE, mut_arg("runs", |a| a.help(runs_help(DEFAULT_RUNS_SOLVE, "value evaluated"))))]
    Solve(SolveArgs),
    /// Which assumption matters most? Each parameter moved down and up, one at a time.
    #[command(after_help = examples::SENSITIVITY, mut_arg("runs", |a| a.help(runs_help(DEFAULT_RUNS_SENSITIVITY, "scenario evaluated, two per parameter"))))]
    Sensitivity(SensitivityArgs),
    /// Two levers at once: a metric over a grid of their values, as a heatmap.
    #[command(after_help = examples::SWEEP, mut_arg("runs", |a| a.help(runs_help(DEFAULT_RUNS_SWEEP, "grid point"))))]
    Sweep(SweepArgs),
    /// Careers and steady state of the level chain: expected months per level, chance of
    /// reaching each level, and the yearly intake that holds the final milestone.
    #[command(after_help = examples::ANALYZE)]
    Analyze(AnalyzeArgs),
    /// Project several scenarios and chart their totals together (compare.png, compare.csv).
    #[command(after_help = examples::COMPARE, mut_arg("out", |a| a.help("Output folder; files go to OUT/<NAME>/, NAME from --name")))]
    Compare(CompareArgs),
    /// Published crude yearly shares of a level (stayed, promoted, left) as the model's
    /// annual attrition and promotion rate, which reproduce them.
    #[command(after_help = examples::RATES)]
    Rates(RatesArgs),
    /// Does it reproduce history? Fit parameters to the scenario's [[observed]] headcounts
    /// (weighted least squares), hold later ones out as a back-test, and write
    /// calibration.json, calibrated.toml and backtest.png.
    #[command(after_help = examples::CALIBRATE)]
    Calibrate(CalibrateArgs),
    /// The reviewer's briefing: report.html (one self-contained page: answer, back-test,
    /// charts, sensitivity, goal seeking, assumptions with provenance) and report.xlsx
    /// (every table), for several scenarios at once.
    #[command(after_help = examples::REPORT)]
    Report(ReportArgs),
}

/// Monte Carlo runs per value `solve --probability` evaluates, when `--runs` is not given.
pub const DEFAULT_RUNS_SOLVE: u64 = 1000;
/// Monte Carlo runs per scenario `sensitivity --metric probability` evaluates.
pub const DEFAULT_RUNS_SENSITIVITY: u64 = 500;
/// Monte Carlo runs per grid point of `sweep --metric probability`.
pub const DEFAULT_RUNS_SWEEP: u64 = 200;

/// The `--runs` help of a planning command, with its own default.
fn runs_help(default: u64, per: &str) -> String {
    format!("Monte Carlo runs per {per} (only with a probability) [default: {default}]")
}

/// The examples at the end of each command's `--help`. Each one runs as
/// written from the repository root (tests/cli_edges.rs checks that they parse).
pub mod examples {
    pub const RUN: &str = "\
Examples:
  forcecast run                                   the embedded baseline, into plots/baseline/
  forcecast run configs/retention_bonus.toml --out out
  forcecast run --set levels.advanced.attrition=0.15 --format svg
  forcecast run configs/baseline.toml --fail-below   exit 3 if the final milestone is missed";
    pub const CHECK: &str = "\
Examples:
  forcecast check configs/*.toml
  forcecast check my.toml --set inflows.transfers.per_year=600";
    pub const MC: &str = "\
Examples:
  forcecast mc                                    10,000 runs of the baseline
  forcecast mc configs/retention_bonus.toml --runs 2000 --seed 7
  forcecast mc --no-parameter-uncertainty         process noise only";
    pub const SOLVE: &str = "\
Examples:
  forcecast solve --lever inflows.transfers.per_year
  forcecast solve --lever inflows.transfers.per_year --probability 0.9 --runs 2000
  forcecast solve --lever levels.basic.attrition --milestone 2025-03
  forcecast solve --lever events.0.change --range -500:3000";
    pub const SENSITIVITY: &str = "\
Examples:
  forcecast sensitivity                           every parameter of the baseline, ±20%
  forcecast sensitivity --delta 0.1 --params inflows.transfers.per_year,levels.basic.attrition
  forcecast sensitivity --metric probability --runs 200";
    pub const SWEEP: &str = "\
Examples:
  forcecast sweep --x inflows.transfers.per_year=200:1000:30 --y levels.basic.attrition=0.02:0.15:30
  forcecast sweep --x inflows.transfers.per_year=200:1000:9 --y levels.basic.attrition=0.02:0.15:9 --metric first_month";
    pub const ANALYZE: &str = "\
Examples:
  forcecast analyze                               the baseline's rates in its last month
  forcecast analyze configs/retention_bonus.toml --at 2026-04";
    pub const RATES: &str = "\
Examples:
  forcecast rates --stayed 46.3 --promoted 45.2 --left 8.6   shares in % (normalised)";
    pub const COMPARE: &str = "\
Examples:
  forcecast compare configs/baseline.toml configs/retention_bonus.toml
  forcecast compare configs/*.toml --name all --out out   into out/all/";
    pub const REPORT: &str = "\
Examples:
  forcecast report                                every config in configs/, into plots/
  forcecast report configs/baseline.toml configs/retention_bonus.toml --out out
  forcecast report configs/baseline.toml --runs 200 --seed 7 --out out";
    pub const CALIBRATE: &str = "\
Examples:
  forcecast calibrate configs/baseline.toml --fit inflows.transfers.per_year=0:1000 --fit events.0.change=0:2000
  forcecast calibrate configs/baseline.toml --fit inflows.transfers.per_year=0:1000 --until 2023-03
  forcecast calibrate configs/baseline.toml --fit inflows.transfers.per_year=0:1000 --fit events.0.change=0:2000 --use all";
}

/// Which scenario to load.
#[derive(Debug, Clone, Args)]
pub struct ScenarioArgs {
    /// Scenario config (TOML). Default: the embedded baseline, configs/baseline.toml.
    pub config: Option<PathBuf>,
    /// Override a config value before validation, e.g. --set levels.advanced.attrition=0.15
    /// (VALUE is parsed as TOML, else taken as a string). Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Where and how outputs are written.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output folder; files go to OUT/<scenario name>/.
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub out: PathBuf,
    /// Chart file format.
    #[arg(long, value_enum, default_value_t = Format::Png)]
    pub format: Format,
    /// Chart size in pixels, WIDTHxHEIGHT (each 400..=8000).
    #[arg(long, value_name = "WxH", default_value = "1600x900", value_parser = parse_size)]
    pub size: (u32, u32),
}

/// `--format`: the chart file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Png,
    Svg,
}

impl From<Format> for ImageFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Png => ImageFormat::Png,
            Format::Svg => ImageFormat::Svg,
        }
    }
}

impl From<&OutputArgs> for ChartOptions {
    fn from(a: &OutputArgs) -> Self {
        ChartOptions {
            format: a.format.into(),
            width: a.size.0,
            height: a.size.1,
        }
    }
}

pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or("expected WIDTHxHEIGHT, e.g. 1600x900")?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (400..=8000).contains(n))
    };
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(
            "width and height must be whole numbers of pixels in 400..=8000, e.g. 1600x900".into(),
        ),
    }
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit with code 3 when the final milestone is missed (for scripts that gate on it).
    #[arg(long)]
    pub fail_below: bool,
}

impl Default for RunArgs {
    fn default() -> Self {
        RunArgs {
            scenario: ScenarioArgs {
                config: None,
                set: Vec::new(),
            },
            output: OutputArgs {
                out: PathBuf::from("plots"),
                format: Format::Png,
                size: (1600, 900),
            },
            fail_below: false,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Config files to validate.
    #[arg(required = true)]
    pub configs: Vec<PathBuf>,
    /// Overrides applied to every file before validation.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

/// Parses a fraction of runs in (0, 1].
pub fn parse_probability(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| *p > 0.0 && *p <= 1.0)
        .ok_or_else(|| "expected a fraction of runs above 0 and at most 1, e.g. 0.9".into())
}

/// Parses a number of Monte Carlo runs in 1..=1,000,000.
pub fn parse_runs(s: &str) -> Result<usize, String> {
    s.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=1_000_000).contains(n))
        .ok_or_else(|| "expected a whole number of runs in 1..=1000000".into())
}

/// Parses a relative change in (0, 10]. Each parameter moves both down and
/// up, so a negative change means the same as its size: -0.2 is ±20%.
pub fn parse_delta(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .map(f64::abs)
        .filter(|d| *d > 0.0 && *d <= 10.0)
        .ok_or_else(|| {
            "expected a relative change above 0 and at most 10, e.g. 0.2 for ±20%".into()
        })
}

/// Monte Carlo options shared by the planning commands: the runs of `mc`,
/// with both kinds of uncertainty unless switched off.
#[derive(Debug, Clone, Args)]
pub struct MonteCarloArgs {
    /// Monte Carlo runs (only with a probability); each command states its default.
    #[arg(long, value_name = "N", value_parser = parse_runs, allow_negative_numbers = true)]
    pub runs: Option<usize>,
    /// Monte Carlo seed (only with a probability). Default: the scenario's `seed`.
    #[arg(long, value_name = "SEED", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Does not change the results.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Expected-value flows in every run, only the [uncertainty] parameters vary
    /// (only with a probability).
    #[arg(long)]
    pub no_process_noise: bool,
    /// Configured parameter values in every run, only process noise varies
    /// (only with a probability).
    #[arg(long)]
    pub no_parameter_uncertainty: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SolveArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// The parameter to change, as a --set path, e.g. inflows.transfers.per_year.
    #[arg(long, value_name = "PATH")]
    pub lever: String,
    /// The milestone to meet, by its date (YYYY-MM). Default: the last milestone.
    #[arg(long, value_name = "YYYY-MM")]
    pub milestone: Option<String>,
    /// Require the milestone to be met in at least this fraction of Monte Carlo runs,
    /// with process noise and parameter uncertainty as in `mc`
    /// (default: met by the expected-value projection).
    #[arg(long, value_name = "P", value_parser = parse_probability, allow_negative_numbers = true)]
    pub probability: Option<f64>,
    #[command(flatten)]
    pub mc: MonteCarloArgs,
    /// Values to search, LO:HI. Default: the lever's valid range cut to
    /// [0, 10 x its current value] (fractions and attrition: their whole range).
    #[arg(long, value_name = "LO:HI", allow_hyphen_values = true)]
    pub range: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What `sensitivity` ranks parameters by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SensitivityMetric {
    /// Expected total at the end of the horizon.
    #[value(name = "final_total")]
    FinalTotal,
    /// Fraction of Monte Carlo runs meeting the final milestone.
    #[value(name = "probability")]
    Probability,
}

#[derive(Debug, Clone, Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Relative change of each parameter, down and up (0.2 = ±20%), clamped to its valid range.
    #[arg(long, value_name = "D", default_value_t = 0.2, value_parser = parse_delta, allow_negative_numbers = true)]
    pub delta: f64,
    /// Parameters to vary, as --set paths separated by commas. Default: every
    /// numeric rate, count and capacity of the scenario.
    #[arg(long, value_name = "PATH,...", value_delimiter = ',')]
    pub params: Vec<String>,
    #[arg(long, value_enum, default_value_t = SensitivityMetric::FinalTotal)]
    pub metric: SensitivityMetric,
    #[command(flatten)]
    pub mc: MonteCarloArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What `sweep` maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepMetric {
    /// Expected total at the end of the horizon.
    #[value(name = "final_total")]
    FinalTotal,
    /// Fraction of Monte Carlo runs meeting the final milestone.
    #[value(name = "probability")]
    Probability,
    /// First month the expected total reaches the final milestone's headcount.
    #[value(name = "first_month")]
    FirstMonth,
}

#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// First lever and its values, PATH=LO:HI:N (N evenly spaced values).
    #[arg(long, value_name = "PATH=LO:HI:N", allow_hyphen_values = true)]
    pub x: String,
    /// Second lever and its values, PATH=LO:HI:N.
    #[arg(long, value_name = "PATH=LO:HI:N", allow_hyphen_values = true)]
    pub y: String,
    #[arg(long, value_enum, default_value_t = SweepMetric::FinalTotal)]
    pub metric: SweepMetric,
    #[command(flatten)]
    pub mc: MonteCarloArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct McArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Number of runs.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000), allow_negative_numbers = true)]
    pub runs: u64,
    /// Random seed (default: `scenario.seed`, else 1). Same seed, same outputs, whatever --threads is.
    #[arg(long, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Does not change the results.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024), allow_negative_numbers = true)]
    pub threads: Option<u16>,
    /// Expected-value flows in every run (only the [uncertainty] parameters vary).
    #[arg(long)]
    pub no_process_noise: bool,
    /// Configured parameter values in every run (only process noise varies).
    #[arg(long)]
    pub no_parameter_uncertainty: bool,
}

#[derive(Debug, Clone, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Month whose rates build the chain (shocks active then included), YYYY-MM inside the
    /// horizon. Default: the last simulated month.
    #[arg(long, value_name = "YYYY-MM")]
    pub at: Option<String>,
    /// Output folder; markov.json goes to OUT/<scenario name>/.
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct RatesArgs {
    /// Share of those in the level at the start of a year still there after it.
    #[arg(long)]
    pub stayed: f64,
    /// Share promoted out of the level within the year.
    #[arg(long)]
    pub promoted: f64,
    /// Share who left the organisation from the level within the year.
    #[arg(long)]
    pub left: f64,
}

#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// Scenario configs to compare; the first is the reference the others are described against.
    #[arg(required = true)]
    pub configs: Vec<PathBuf>,
    /// Overrides applied to every config before validation.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Name of the output folder under --out.
    #[arg(long, value_name = "NAME", default_value = "compare")]
    pub name: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Parses `--use`: which observations are fitted.
pub fn parse_use(s: &str) -> Result<crate::calibrate::Use, String> {
    s.trim()
        .parse()
        .map_err(|e: crate::calibrate::CalibrateError| {
            e.to_string()
                .trim_start_matches(&format!("--use {s}: "))
                .to_string()
        })
}

#[derive(Debug, Clone, Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// A parameter to fit, as a --set path, with optional bounds LO:HI (default: its valid
    /// range), e.g. inflows.transfers.per_year=0:1000 or events.0.change=0:2000. Repeatable.
    #[arg(
        long = "fit",
        value_name = "PATH[=LO:HI]",
        required = true,
        allow_hyphen_values = true
    )]
    pub fit: Vec<String>,
    /// Hold out observations dated after this month: predicted and scored, not fitted
    /// (the back-test). Default: fit them all.
    #[arg(long, value_name = "YYYY-MM")]
    pub until: Option<String>,
    /// Which observations are fitted: `counts` (people in post; plans are shown only)
    /// or `all` (counts and plans).
    #[arg(long = "use", value_name = "counts|all", default_value = "counts", value_parser = parse_use)]
    pub use_kinds: crate::calibrate::Use,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Scenario configs to report on; the first is the reference the others are
    /// described against. Default: every configs/*.toml, configs/baseline.toml first.
    pub configs: Vec<PathBuf>,
    /// Overrides applied to every config before validation.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output folder for report.html and report.xlsx.
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub out: PathBuf,
    /// Monte Carlo runs per scenario [default: 1000].
    #[arg(long, value_name = "N", value_parser = parse_runs, allow_negative_numbers = true)]
    pub runs: Option<usize>,
    /// Monte Carlo seed. Default: each scenario's `seed`.
    #[arg(long, value_name = "SEED", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Does not change the results.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

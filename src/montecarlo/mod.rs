//! Monte Carlo: many runs of the same engine as the projection, each with its
//! own random numbers, summarised month by month without keeping any run.
//!
//! Two kinds of uncertainty, each switchable:
//! - process noise: whole people, with each month's leavers, promotions,
//!   washouts and queue dropouts drawn as binomial counts and arrivals as
//!   Poisson counts ([`engine::Stochastic`]);
//! - parameter uncertainty: the `[uncertainty]` parameters drawn once per run
//!   ([`draw`]).
//!
//! Run `r` takes its random numbers from two ChaCha8 streams numbered `r`, one
//! for parameter draws and one for process noise, keyed by the seed. A run's
//! result therefore depends only on (scenario, seed, r): not on the thread that
//! ran it, nor on which other runs were made, and two scenarios that differ in
//! one lever see the same random numbers (common random numbers) as far as
//! their paths allow. Accumulators merge by integer addition
//! ([`stats`]), so the summaries are identical whatever `threads` is.
//!
//! This is the only Monte Carlo: `mc` summarises [`run`], and every
//! probability of the planning questions (`solve`, `sensitivity`, `sweep`)
//! comes from [`milestone_runs`], through the same loop of runs.

pub mod bound;
pub mod draw;
pub mod fast;
pub mod report;
pub mod stats;
#[cfg(test)]
mod tests;

use crate::engine::{self, Expected, Observer, Snapshot, Stochastic};
use crate::month::Month;
use crate::scenario::Scenario;
use draw::Draw;
use indicatif::ProgressBar;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use stats::{FixedSum, Histogram};

/// Runs handed to a worker at a time; also the progress bar's step.
const CHUNK: u64 = 64;
/// Most runs accepted: the documented limit (docs/robustness.md). Memory does
/// not grow with runs; this bounds the time one command can take.
pub const MAX_RUNS: u64 = 10_000_000;

/// What to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub runs: u64,
    pub seed: u64,
    /// Worker threads; `None` uses rayon's default (all cores).
    pub threads: Option<usize>,
    /// Whole people with random monthly flows (else expected values).
    pub process_noise: bool,
    /// Draw the `[uncertainty]` parameters once per run (else configured values).
    pub parameter_uncertainty: bool,
}

impl Options {
    /// `runs` runs from `seed`, both kinds of uncertainty, all cores.
    pub fn new(runs: u64, seed: u64) -> Options {
        Options {
            runs,
            seed,
            threads: None,
            process_noise: true,
            parameter_uncertainty: true,
        }
    }

    /// What varies between runs, for subtitles and console lines: "process
    /// noise and 9 uncertain parameters", "process noise only", ...
    pub fn varies(&self, s: &Scenario) -> String {
        let params = if self.parameter_uncertainty {
            s.uncertainty.len()
        } else {
            0
        };
        let drawn = match params {
            1 => "1 uncertain parameter".to_string(),
            n => format!("{n} uncertain parameters"),
        };
        match (self.process_noise, params) {
            (true, 0) => "process noise only".into(),
            (true, _) => format!("process noise and {drawn}"),
            (false, 0) => "no randomness: every run is the expected-value projection".into(),
            (false, _) => format!("{drawn} only, expected flows"),
        }
    }

    fn check(&self) -> Result<(), String> {
        if self.runs == 0 || self.runs > MAX_RUNS {
            return Err(format!(
                "--runs {}: must be between 1 and {MAX_RUNS}",
                self.runs
            ));
        }
        if self.threads == Some(0) {
            return Err("--threads 0: must be at least 1".into());
        }
        Ok(())
    }
}

/// Everything the Monte Carlo keeps: per month (row 0 = the initial state, as
/// in the projection) a whole-person histogram of the counted total and of
/// each level, the total's exact mean, how often each milestone was met, and
/// when the final target was first reached.
#[derive(Debug, Clone, PartialEq)]
pub struct McStats {
    pub runs: u64,
    /// Month of each row.
    pub months: Vec<Month>,
    pub total: Vec<Histogram>,
    pub total_sum: Vec<FixedSum>,
    /// `levels[l][row]`.
    pub levels: Vec<Vec<Histogram>>,
    /// Runs meeting each milestone of `scenario.target.milestones`, in order.
    pub milestones_met: Vec<u64>,
    /// Runs that first reached the final milestone's headcount in each row;
    /// the extra last entry counts runs that never did.
    pub first_reach: Vec<u64>,
    // Per-run state.
    /// Values of the runs not yet added to the histograms: per run, per row,
    /// the total then each level. Adding a batch of runs histogram by
    /// histogram touches each one's memory once per batch instead of once
    /// per run (the histograms together are larger than a CPU cache).
    pending: Vec<f64>,
    pending_runs: usize,
    row: usize,
    reached: bool,
    milestone_rows: Vec<(usize, f64)>,
    final_target: Option<f64>,
}

impl McStats {
    fn new(s: &Scenario) -> McStats {
        let rows = s.horizon() + 1;
        McStats {
            runs: 0,
            months: (0..rows).map(|r| s.start.plus(r as i32 - 1)).collect(),
            total: vec![Histogram::new(); rows],
            total_sum: vec![FixedSum::default(); rows],
            levels: vec![vec![Histogram::new(); rows]; s.levels.len()],
            milestones_met: vec![0; s.target.milestones.len()],
            first_reach: vec![0; rows + 1],
            pending: Vec::new(),
            pending_runs: 0,
            row: 0,
            reached: false,
            milestone_rows: s
                .target
                .milestones
                .iter()
                .map(|m| (row_of(s, m.date), m.headcount))
                .collect(),
            final_target: s.final_milestone().map(|m| m.headcount),
        }
    }

    /// Share of runs that met milestone `i`.
    pub fn milestone_probability(&self, i: usize) -> f64 {
        self.milestones_met[i] as f64 / self.runs as f64
    }

    /// Index of the last row.
    pub fn final_row(&self) -> usize {
        self.months.len() - 1
    }

    /// Row of `month`, if simulated.
    pub fn row(&self, month: Month) -> Option<usize> {
        let i = month.since(*self.months.first()?);
        (i >= 0 && (i as usize) < self.months.len()).then_some(i as usize)
    }
}

/// Row of a month inside the horizon (row 0 is the month before `start`).
fn row_of(s: &Scenario, month: Month) -> usize {
    (month.since(s.start) + 1).max(0) as usize
}

impl Observer for McStats {
    #[inline]
    fn month(&mut self, snap: &Snapshot<'_>) {
        let r = self.row;
        self.pending.push(snap.total);
        self.pending.extend_from_slice(snap.levels);
        self.total_sum[r].add(snap.total);
        for (met, &(row, target)) in self.milestones_met.iter_mut().zip(&self.milestone_rows) {
            if row == r && snap.total >= target {
                *met += 1;
            }
        }
        if !self.reached && self.final_target.is_some_and(|t| snap.total >= t) {
            self.reached = true;
            self.first_reach[r] += 1;
        }
        self.row += 1;
    }
}

/// Runs buffered before their values go into the histograms.
const BATCH: usize = 64;

impl McStats {
    /// Adds the buffered runs to the histograms.
    fn flush(&mut self) {
        let stride = 1 + self.levels.len();
        let per_run = self.months.len() * stride;
        debug_assert_eq!(self.pending.len(), self.pending_runs * per_run);
        for r in 0..self.months.len() {
            for k in 0..stride {
                let hist = if k == 0 {
                    &mut self.total[r]
                } else {
                    &mut self.levels[k - 1][r]
                };
                for run in 0..self.pending_runs {
                    hist.add(self.pending[run * per_run + r * stride + k]);
                }
            }
        }
        self.pending.clear();
        self.pending_runs = 0;
    }
}

impl Tally for McStats {
    fn start_run(&mut self) {
        self.row = 0;
        self.reached = false;
    }

    fn end_run(&mut self) {
        self.runs += 1;
        if self.final_target.is_some() && !self.reached {
            *self.first_reach.last_mut().expect("never-reached slot") += 1;
        }
        self.pending_runs += 1;
        if self.pending_runs == BATCH {
            self.flush();
        }
    }

    fn finish(&mut self) {
        self.flush();
    }

    fn merge(&mut self, mut other: McStats) {
        self.flush();
        other.flush();
        self.runs += other.runs;
        for (a, b) in self.total.iter_mut().zip(&other.total) {
            a.merge(b);
        }
        for (a, b) in self.total_sum.iter_mut().zip(&other.total_sum) {
            a.merge(b);
        }
        for (la, lb) in self.levels.iter_mut().zip(&other.levels) {
            for (a, b) in la.iter_mut().zip(lb) {
                a.merge(b);
            }
        }
        for (a, b) in self.milestones_met.iter_mut().zip(&other.milestones_met) {
            *a += b;
        }
        for (a, b) in self.first_reach.iter_mut().zip(&other.first_reach) {
            *a += b;
        }
    }
}

/// What the runs are summarised into: an engine observer that also knows run
/// boundaries and how to absorb another worker's part.
pub trait Tally: Observer + Send + Sized {
    /// The scenario a run simulates, with its parameter draws in place:
    /// called before [`Tally::start_run`]. For tallies that read parameters
    /// the engine does not (the unit costs).
    fn scenario(&mut self, _s: &Scenario) {}
    fn start_run(&mut self);
    fn end_run(&mut self);
    /// Completes any buffered work; called once on the final tally.
    fn finish(&mut self) {}
    /// Adds `other`'s runs. Must be exact and order-free (integer counts).
    fn merge(&mut self, other: Self);
}

/// The two random-number keys of a seed.
struct Streams {
    params: [u8; 32],
    process: [u8; 32],
}

impl Streams {
    fn new(seed: u64) -> Streams {
        let key = |tag: &str| -> [u8; 32] {
            Sha256::digest(format!("forcecast/montecarlo/{tag}/{seed}").as_bytes()).into()
        };
        Streams {
            params: key("parameters"),
            process: key("process"),
        }
    }

    fn rng(key: &[u8; 32], run: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(*key);
        rng.set_stream(run);
        rng
    }
}

/// Runs the Monte Carlo of `s` and summarises every month. `progress`, if
/// given, is advanced by the number of runs done.
pub fn run(
    s: &Scenario,
    opts: &Options,
    progress: Option<&ProgressBar>,
) -> Result<McStats, String> {
    drive(s, opts, progress, true, || McStats::new(s))
}

/// [`run`] with the general engine even where the fast one would run: the
/// reference the fast engine is tested and benchmarked against (hidden
/// `mc --reference-engine`).
pub fn run_reference(
    s: &Scenario,
    opts: &Options,
    progress: Option<&ProgressBar>,
) -> Result<McStats, String> {
    drive(s, opts, progress, false, || McStats::new(s))
}

/// Which engine the runs of `s` use: "fast" ([`fast`]), "general" (the
/// reference whole-person engine, for what [`fast::supports`] rejects) or,
/// without process noise, "expected values".
pub fn engine_name(s: &Scenario, process_noise: bool) -> &'static str {
    match (process_noise, fast::supports(s).is_ok()) {
        (false, _) => "expected values",
        (true, true) => "fast",
        (true, false) => "general",
    }
}

/// Runs the Monte Carlo of `s` into any [`Tally`] (e.g. the cost percentiles
/// of [`crate::costs::runs`]): the same runs, streams and draws as [`run`].
pub fn run_tally<T: Tally>(
    s: &Scenario,
    opts: &Options,
    new: impl Fn() -> T + Sync,
) -> Result<T, String> {
    drive(s, opts, None, true, new)
}

/// Collects every run's total at the end of one month.
struct TotalsAt {
    row: usize,
    cur: usize,
    totals: Vec<f64>,
}

impl Observer for TotalsAt {
    #[inline]
    fn month(&mut self, snap: &Snapshot<'_>) {
        if self.cur == self.row {
            self.totals.push(snap.total);
        }
        self.cur += 1;
    }
}

impl Tally for TotalsAt {
    fn start_run(&mut self) {
        self.cur = 0;
    }
    fn end_run(&mut self) {}
    /// Concatenation: the order depends on the threads, so the result is
    /// only ever used sorted (see [`milestone_runs`]).
    fn merge(&mut self, mut other: TotalsAt) {
        self.totals.append(&mut other.totals);
    }
}

/// Every run's counted total at the end of one month, sorted ascending: what
/// the planning questions need from a Monte Carlo (the share of runs meeting
/// a milestone, and how far the unluckiest runs fall short of it).
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneRuns {
    /// Sorted ascending, so the same multiset of runs gives the same vector
    /// whatever order the threads finished in.
    pub totals: Vec<f64>,
}

impl MilestoneRuns {
    /// Share of runs whose total is at least `headcount` (a milestone met:
    /// the same test as [`McStats::milestone_probability`]).
    pub fn share_at_least(&self, headcount: f64) -> f64 {
        if self.totals.is_empty() {
            return f64::NAN;
        }
        let below = self.totals.partition_point(|&t| t < headcount);
        (self.totals.len() - below) as f64 / self.totals.len() as f64
    }

    /// How much every run's total must rise for a share `p` of them to reach
    /// `headcount`: `headcount` minus the total of the run at the `1 - p`
    /// quantile (nearest rank).
    pub fn shortfall(&self, headcount: f64, p: f64) -> f64 {
        let n = self.totals.len();
        if n == 0 {
            return 0.0;
        }
        let need = ((p * n as f64).ceil() as usize).clamp(1, n);
        headcount - self.totals[n - need]
    }
}

/// The counted total at the end of `date` in each of `opts.runs` runs,
/// through the same runs as [`run`]: the same streams, the same parameter
/// draws, the same switches. Deterministic per (scenario, seed, run index):
/// evaluating two versions of a scenario with the same options uses common
/// random numbers, which is what goal seeking on a probability needs.
pub fn milestone_runs(s: &Scenario, date: Month, opts: &Options) -> Result<MilestoneRuns, String> {
    if date < s.start.plus(-1) || date > s.end {
        return Err(format!(
            "{date} is outside the simulated horizon {} .. {}",
            s.start, s.end
        ));
    }
    let row = row_of(s, date);
    // Months after the milestone cannot change the total at it: stop there.
    // The runs' random numbers are unchanged by the cut (parameters are drawn
    // before the first month, and month m's process noise comes before month
    // m + 1's), so the totals are those of the full runs.
    let mut cut;
    let s = if date < s.end {
        cut = s.clone();
        cut.end = date.max(s.start);
        &cut
    } else {
        s
    };
    let mut t = drive(s, opts, None, true, || TotalsAt {
        row,
        cur: 0,
        totals: Vec::new(),
    })?;
    t.totals.sort_by(f64::total_cmp);
    Ok(MilestoneRuns { totals: t.totals })
}

/// The share of runs in which the counted total at the end of `date` is at
/// least `headcount` (a milestone met); see [`milestone_runs`].
pub fn milestone_probability(
    s: &Scenario,
    date: Month,
    headcount: f64,
    opts: &Options,
) -> Result<f64, String> {
    Ok(milestone_runs(s, date, opts)?.share_at_least(headcount))
}

/// Runs `f` on a pool of `threads` workers, or on the current pool when
/// `None` (rayon's global one: all cores). Everything in this module, and
/// the planning questions built on it, gives the same result either way.
pub fn with_threads<R: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> R + Send,
) -> Result<R, String> {
    match threads {
        Some(0) => Err("--threads 0: must be at least 1".into()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| format!("cannot start {n} threads: {e}"))?;
            Ok(pool.install(f))
        }
        None => Ok(f()),
    }
}

/// Runs `opts.runs` runs in chunks over rayon's workers, folding each into a
/// tally and merging the tallies. Each worker keeps one [`Worker`] (scenario
/// copy, fast-engine workspace, sampler tables) for all its runs.
fn drive<T: Tally>(
    s: &Scenario,
    opts: &Options,
    progress: Option<&ProgressBar>,
    allow_fast: bool,
    new: impl Fn() -> T + Sync,
) -> Result<T, String> {
    opts.check()?;
    let draws: Vec<Draw> = if opts.parameter_uncertainty {
        draw::resolve(s, &s.uncertainty)?
    } else {
        Vec::new()
    };
    let streams = Streams::new(opts.seed);
    let chunks = opts.runs.div_ceil(CHUNK);
    let use_fast = allow_fast && engine_name(s, opts.process_noise) == "fast";
    let work = || {
        (0..chunks)
            .into_par_iter()
            .fold(
                || (new(), None::<Worker>),
                |(mut tally, worker), chunk| {
                    let mut w = worker.unwrap_or_else(|| Worker::new(s, &draws, use_fast));
                    let runs = chunk * CHUNK..((chunk + 1) * CHUNK).min(opts.runs);
                    let n = runs.end - runs.start;
                    for run in runs {
                        w.run(s, &draws, &streams, opts, run, &mut tally);
                    }
                    if let Some(p) = progress {
                        p.inc(n);
                    }
                    (tally, Some(w))
                },
            )
            .map(|(tally, _)| tally)
            .reduce(&new, |mut a, b| {
                a.merge(b);
                a
            })
    };
    let mut tally = with_threads(opts.threads, work)?;
    tally.finish();
    Ok(tally)
}

/// What a worker thread reuses from run to run.
struct Worker {
    /// The scenario with the run's parameter draws (every drawn parameter is
    /// overwritten each run, so what a previous run left there does not matter).
    scratch: Scenario,
    /// The fast engine's state, when it runs this scenario.
    fast: Option<fast::Workspace>,
    /// Kept for its tables of recent rates; its generator is replaced each run.
    sampler: Stochastic<ChaCha8Rng>,
}

impl Worker {
    fn new(s: &Scenario, draws: &[Draw], use_fast: bool) -> Worker {
        Worker {
            scratch: s.clone(),
            fast: use_fast
                .then(|| fast::Workspace::new(s, draws.iter().map(|d| d.param).collect())),
            sampler: Stochastic::new(ChaCha8Rng::from_seed([0; 32])),
        }
    }

    /// One run: draw the parameters, then simulate with or without process noise.
    fn run<T: Tally>(
        &mut self,
        base: &Scenario,
        draws: &[Draw],
        streams: &Streams,
        opts: &Options,
        run: u64,
        tally: &mut T,
    ) {
        let s: &Scenario = if draws.is_empty() {
            base
        } else {
            draw::apply(
                draws,
                base,
                &mut self.scratch,
                &mut Streams::rng(&streams.params, run),
            );
            &self.scratch
        };
        tally.scenario(s);
        tally.start_run();
        if opts.process_noise {
            self.sampler.rng = Streams::rng(&streams.process, run);
            match &mut self.fast {
                Some(w) => w.run(s, &mut self.sampler, tally),
                None => engine::simulate(s, &mut self.sampler, tally),
            }
        } else {
            engine::simulate(s, &mut Expected, tally);
        }
        tally.end_run();
    }
}

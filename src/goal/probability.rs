//! The chance of meeting a milestone, by Monte Carlo: a small stand-in that
//! the shared Monte Carlo module can later replace (same inputs, same answer
//! for the same seed and stream layout).

use crate::engine::{self, Observer, Snapshot, Stochastic};
use crate::month::Month;
use crate::scenario::Scenario;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The total at the end of one month.
struct TotalAt {
    month: Month,
    total: f64,
}

impl Observer for TotalAt {
    fn month(&mut self, snap: &Snapshot<'_>) {
        if snap.month == self.month {
            self.total = snap.total;
        }
    }
}

/// The random stream of run `run`: ChaCha8 seeded with `seed`, stream `run`.
/// Run `i` uses the same stream whatever the lever's value (common random
/// numbers), so two candidate values are compared on the same luck and the
/// estimated probability moves smoothly with the lever.
pub fn run_rng(seed: u64, run: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run as u64);
    rng
}

/// The total at the end of `milestone` in each of `runs` whole-person runs,
/// in run order. Process noise only (binomial leaving and promotion, Poisson
/// arrivals); `[uncertainty]` parameter draws are not included. Runs go in
/// parallel and are collected by index, so the result is the same for any
/// number of threads.
pub fn milestone_totals(s: &Scenario, milestone: Month, runs: usize, seed: u64) -> Vec<f64> {
    // Months after the milestone cannot change the total at it: stop there.
    let mut s = s.clone();
    if milestone < s.end {
        s.end = milestone;
    }
    (0..runs)
        .into_par_iter()
        .map(|i| {
            let mut sampler = Stochastic::new(run_rng(seed, i));
            let mut obs = TotalAt {
                month: milestone,
                total: f64::NAN,
            };
            engine::simulate(&s, &mut sampler, &mut obs);
            obs.total
        })
        .collect()
}

/// Fraction of `runs` whole-person runs whose total at the end of
/// `milestone` is at least `target` (see [`milestone_totals`]).
pub fn milestone_probability(
    s: &Scenario,
    milestone: Month,
    target: f64,
    runs: usize,
    seed: u64,
) -> f64 {
    share_meeting(&milestone_totals(s, milestone, runs, seed), target)
}

/// Fraction of `totals` at least `target` (NaN when there are none).
pub fn share_meeting(totals: &[f64], target: f64) -> f64 {
    if totals.is_empty() {
        return f64::NAN;
    }
    totals.iter().filter(|&&t| t >= target).count() as f64 / totals.len() as f64
}

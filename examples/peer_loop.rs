//! The numba peer's loop (`shared/peers/peer_numba.py --mode grouped`),
//! written out in Rust for the frozen peer scenario and nothing else: a
//! yardstick for issue 14, not part of the tool. It answers "how fast is the
//! peer's own algorithm when compiled from Rust?", which tells how much of
//! the numba peer's time is its algorithm and how much is Python, and "how
//! fast could a loop hand-written for this one scenario be with forcecast's
//! sampler?", a floor for any general engine using that sampler.
//!
//! ```text
//! cargo run --release --example peer_loop -- [RUNS] [rand-distr|forcecast]
//! ```
//!
//! `rand-distr`: the peer's draws as numpy makes them (BTPE binomials from a
//! mean of 30, PTRS Poisson from 10, inversion below; Floyd's choice of the
//! leavers, each found by a scan of the cohorts). `forcecast`: the same loop
//! with forcecast's `Sampler` (`thin_each`, `thin`, `arrivals`). Both use
//! ChaCha8 as forcecast does. Prints the runs' mean and sd of the final
//! headcount, as the peer does, so the laws can be compared.

use forcecast::engine::{Sampler, Stochastic};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, Poisson};
use std::time::Instant;

/// Months 2023-04 .. 2028-03.
const H: usize = 60;
/// `after_months` of basic and intermediate.
const CAP: usize = 24;
/// Cohorts by months in level 0 ..= 24 (24 = eligible).
const NB: usize = CAP + 1;
const INIT: [u64; 3] = [534, 267, 89];

fn monthly(a: f64) -> f64 {
    1.0 - (1.0 - a).powf(1.0 / 12.0)
}

/// The draws the loop makes; one implementation per sampler.
trait Draws {
    /// Leavers among the cohorts `c` with a common `p`, into `out`.
    fn thin_grouped(&mut self, c: &[u64], p: f64, out: &mut [u64]);
    fn binomial(&mut self, n: u64, p: f64) -> u64;
    fn poisson(&mut self, mean: f64) -> u64;
}

/// numpy's algorithms, through rand_distr, as the numba peer draws.
struct RandDistr {
    rng: ChaCha8Rng,
    chosen: Vec<u64>,
}

impl Draws for RandDistr {
    fn thin_grouped(&mut self, c: &[u64], p: f64, out: &mut [u64]) {
        out.fill(0);
        let n: u64 = c.iter().sum();
        if n == 0 {
            return;
        }
        let k = self.binomial(n, p);
        if k == 0 {
            return;
        }
        let invert = k > n - k;
        let pick = if invert { n - k } else { k };
        self.chosen.clear();
        for j in n - pick..n {
            let t = self.rng.random_range(0..=j);
            let x = if self.chosen.contains(&t) { j } else { t };
            self.chosen.push(x);
        }
        for &x in &self.chosen {
            let mut acc = 0;
            for (o, &ci) in out.iter_mut().zip(c) {
                acc += ci;
                if x < acc {
                    *o += 1;
                    break;
                }
            }
        }
        if invert {
            for (o, &ci) in out.iter_mut().zip(c) {
                *o = ci - *o;
            }
        }
    }
    fn binomial(&mut self, n: u64, p: f64) -> u64 {
        Binomial::new(n, p).map_or(0, |b| b.sample(&mut self.rng))
    }
    fn poisson(&mut self, mean: f64) -> u64 {
        Poisson::new(mean).map_or(0, |d| d.sample(&mut self.rng) as u64)
    }
}

/// forcecast's sampler: what the Monte Carlo engine calls.
struct Forcecast {
    s: Stochastic<ChaCha8Rng>,
    n: Vec<f64>,
    out: Vec<f64>,
}

impl Draws for Forcecast {
    fn thin_grouped(&mut self, c: &[u64], p: f64, out: &mut [u64]) {
        self.n.clear();
        self.n.extend(c.iter().map(|&x| x as f64));
        self.out.resize(c.len(), 0.0);
        self.s.thin_each(&self.n, p, &mut self.out);
        for (o, &x) in out.iter_mut().zip(&self.out) {
            *o = x as u64;
        }
    }
    fn binomial(&mut self, n: u64, p: f64) -> u64 {
        self.s.thin(n as f64, p) as u64
    }
    fn poisson(&mut self, mean: f64) -> u64 {
        self.s.arrivals(mean) as u64
    }
}

/// The final headcount of each run (`simulate` of peer_numba.py with
/// `grouped`, no monthly histograms, the advanced level lumped).
fn simulate(runs: usize, d: &mut impl Draws) -> Vec<u64> {
    let leave = [monthly(0.06), monthly(0.08), monthly(0.12)];
    let up = [monthly(0.30), monthly(0.15)];
    let transfers = 400.0 / 12.0;
    let recruits: Vec<f64> = (0..12)
        .map(|m| {
            if m == 0 {
                36.0 * 11.0 / 22.0
            } else {
                36.0 / 22.0
            }
        })
        .collect();
    let contract = 5.0 / 12.0;
    let mut final_ = Vec::with_capacity(runs);
    let mut out = [0u64; NB];
    for _ in 0..runs {
        let mut coh = [[0u64; NB]; 2];
        coh[0][CAP] = INIT[0];
        coh[1][CAP] = INIT[1];
        let mut adv = INIT[2];
        let mut queue = 0u64;
        let mut class_size = 0;
        let mut class_end = None;
        for t in 0..H {
            let fi = t % 12;
            let hi = t.min(CAP);
            let mut enter = [0u64; 2];
            let mut adv_up = 0;
            for l in 0..2 {
                let c = &mut coh[l];
                // Cohorts 0 .. hi-1 and the eligible one, in that order.
                let (young, eligible) = c.split_at_mut(CAP);
                let groups = &mut young[..hi];
                let mut cells = [0u64; NB];
                cells[..hi].copy_from_slice(groups);
                cells[hi] = eligible[0];
                d.thin_grouped(&cells[..=hi], leave[l], &mut out[..=hi]);
                for (g, o) in groups.iter_mut().zip(&out[..hi]) {
                    *g -= o;
                }
                eligible[0] -= out[hi];
                let promoted = if eligible[0] > 0 {
                    d.binomial(eligible[0], up[l])
                } else {
                    0
                };
                eligible[0] -= promoted;
                if l == 0 {
                    enter[1] += promoted;
                } else {
                    adv_up = promoted;
                }
                c[CAP] += c[CAP - 1];
                c.copy_within(0..CAP - 1, 1);
                c[0] = 0;
            }
            if adv > 0 {
                adv -= d.binomial(adv, leave[2]);
            }
            adv += adv_up;
            if fi == 0 || fi == 6 {
                let started = queue.min(65);
                queue -= started;
                if started > 0 {
                    class_size = started;
                    class_end = Some(t + 4);
                }
            }
            if class_end == Some(t) {
                enter[0] += d.binomial(class_size, 0.85);
                class_end = None;
            }
            enter[0] += d.poisson(transfers);
            let mut pending = d.poisson(recruits[fi]);
            if fi == 11 {
                pending += d.poisson(30.0);
            }
            adv += d.poisson(contract);
            queue += pending;
            coh[0][0] += enter[0];
            coh[1][0] += enter[1];
            if t == 6 {
                coh[0][CAP] += 1100;
            }
        }
        final_.push(adv + coh.iter().flatten().sum::<u64>());
    }
    final_
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let which = args.get(1).map_or("rand-distr", String::as_str);
    let rng = ChaCha8Rng::seed_from_u64(1);
    let t0 = Instant::now();
    let finals = match which {
        "rand-distr" => simulate(
            runs,
            &mut RandDistr {
                rng,
                chosen: Vec::new(),
            },
        ),
        "forcecast" => simulate(
            runs,
            &mut Forcecast {
                s: Stochastic::new(rng),
                n: Vec::new(),
                out: Vec::new(),
            },
        ),
        other => {
            eprintln!("unknown sampler '{other}': allowed are rand-distr, forcecast");
            std::process::exit(2);
        }
    };
    let secs = t0.elapsed().as_secs_f64();
    let (mean, var) = mean_variance(&finals);
    println!(
        "{{\"runs\": {runs}, \"sampler\": \"{which}\", \"mean\": {mean:.2}, \"sd\": {:.2}, \"seconds\": {secs:.3}}}",
        var.sqrt()
    );
}

/// The mean and the sample variance of the runs' final headcounts.
fn mean_variance(finals: &[u64]) -> (f64, f64) {
    let n = finals.len() as f64;
    let mean = finals.iter().sum::<u64>() as f64 / n;
    let var = finals
        .iter()
        .map(|&x| (x as f64 - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0).max(1.0);
    (mean, var)
}

#[cfg(test)]
mod tests {
    use super::*;
    use forcecast::{config, engine};

    /// The yardstick must be the peer scenario's model: with either sampler
    /// its runs' mean final headcount is forcecast's expected-value
    /// projection of `benches/peer_scenario.toml` within 4 standard errors,
    /// and it is not a constant.
    #[test]
    fn the_loop_draws_the_peer_scenario_s_law() {
        let text = include_str!("../benches/peer_scenario.toml");
        let loaded = config::load_str("peer_scenario.toml", text, &[]).expect("the peer scenario");
        let expected = engine::project(&loaded.scenario)
            .rows
            .last()
            .expect("a projection has rows")
            .total;
        let runs = 4_000;
        let check = |finals: Vec<u64>| {
            let (mean, var) = mean_variance(&finals);
            let se = (var / finals.len() as f64).sqrt();
            assert!(var > 100.0, "the final headcount varies: variance {var}");
            assert!(
                (mean - expected).abs() < 4.0 * se,
                "mean {mean} against the projection's {expected} (se {se})"
            );
        };
        check(simulate(
            runs,
            &mut RandDistr {
                rng: ChaCha8Rng::seed_from_u64(7),
                chosen: Vec::new(),
            },
        ));
        check(simulate(
            runs,
            &mut Forcecast {
                s: Stochastic::new(ChaCha8Rng::seed_from_u64(7)),
                n: Vec::new(),
                out: Vec::new(),
            },
        ));
    }
}

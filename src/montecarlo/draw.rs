//! Parameter uncertainty: each Monte Carlo run draws the `[uncertainty]`
//! parameters once, then simulates the scenario with those values.
//!
//! The mean of `normal`, `beta` and `lognormal` is the configured value (after
//! `--set`), so the uncertainty spreads around the plan rather than moving it;
//! `uniform` and `triangular` are given by their bounds. A draw is put into the
//! scenario with [`Param::set`], which clamps it into the parameter's range
//! and rounds whole-number parameters (headcounts, seats, event changes) to the
//! nearest whole number.

use crate::params::Param;
use crate::scenario::{Distribution, Scenario, Uncertainty};
use rand::{Rng, RngExt};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution as _, StandardNormal};

/// One `[uncertainty]` entry resolved against a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draw {
    pub param: Param,
    pub dist: Distribution,
}

/// Resolves every `[uncertainty]` path of `s` (they were checked at load, so
/// an error here means the scenario was built or changed by hand).
pub fn resolve(s: &Scenario, uncertainty: &[Uncertainty]) -> Result<Vec<Draw>, String> {
    uncertainty
        .iter()
        .map(|u| {
            Param::parse(s, &u.path)
                .map(|param| Draw {
                    param,
                    dist: u.dist,
                })
                .map_err(|e| format!("[uncertainty] '{}': {e}", u.path))
        })
        .collect()
}

/// Words of a run's parameter stream reserved for each `[uncertainty]` entry
/// (as a power of two): far more than any draw uses.
const WORDS_PER_DRAW_LOG2: u32 = 40;

/// Puts one draw of every parameter into `s`, in `[uncertainty]` order. Means
/// are read from `base` (the unchanged scenario), so draws never compound.
///
/// Entry `k` starts at its own fixed position in `rng`'s stream. A beta draw
/// uses a varying count of random numbers (rejection sampling) that depends
/// on its mean, so without this, moving one beta parameter's mean (goal
/// seeking, sensitivity) would shift every later entry's draw; with it, the
/// other parameters keep their draws exactly (common random numbers).
pub fn apply(draws: &[Draw], base: &Scenario, s: &mut Scenario, rng: &mut ChaCha8Rng) {
    for (k, d) in draws.iter().enumerate() {
        rng.set_word_pos((k as u128) << WORDS_PER_DRAW_LOG2);
        let x = sample(&d.dist, d.param.get(base), rng);
        d.param.set(s, x);
    }
}

/// One value of `dist` whose mean (for normal, beta, lognormal) is `mean`.
/// Normal draws are clamped to the distribution's `[min, max]`; the caller's
/// [`Param::set`] then clamps to the parameter's own range.
pub fn sample<R: Rng>(dist: &Distribution, mean: f64, rng: &mut R) -> f64 {
    match *dist {
        Distribution::Normal { sd, min, max } => {
            let z: f64 = rng.sample(StandardNormal);
            // max/min rather than clamp: never panics, even on bounds a hand-built scenario got wrong.
            (mean + sd * z).max(min).min(max)
        }
        Distribution::Beta { sd } => {
            if sd <= 0.0 || mean <= 0.0 || mean >= 1.0 {
                return mean;
            }
            // Method of moments: a + b = m (1 - m) / sd^2 - 1. Validation keeps
            // this positive for the configured mean; if a changed scenario (e.g.
            // goal seeking) moves the mean so that it is not, the widest beta
            // with that mean and a + b = 1 is used instead.
            let k = (mean * (1.0 - mean) / (sd * sd) - 1.0).max(1.0);
            match Beta::new(mean * k, (1.0 - mean) * k) {
                Ok(b) => b.sample(rng),
                Err(_) => mean,
            }
        }
        Distribution::LogNormal { sd } => {
            if sd <= 0.0 || mean <= 0.0 {
                return mean;
            }
            let s2 = (1.0 + (sd / mean).powi(2)).ln();
            let z: f64 = rng.sample(StandardNormal);
            (mean.ln() - s2 / 2.0 + s2.sqrt() * z).exp()
        }
        Distribution::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
        Distribution::Triangular { min, mode, max } => {
            triangular(min, mode, max, rng.random::<f64>())
        }
    }
}

/// The triangular distribution's inverse CDF at `u` in [0, 1).
fn triangular(min: f64, mode: f64, max: f64, u: f64) -> f64 {
    let width = max - min;
    if width <= 0.0 {
        return min;
    }
    let left = (mode - min) / width;
    if u < left {
        min + (u * width * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * width * (max - mode)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Mean and sd of `n` draws.
    fn moments(dist: Distribution, mean: f64, n: usize) -> (f64, f64, f64, f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let xs: Vec<f64> = (0..n).map(|_| sample(&dist, mean, &mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n as f64 - 1.0);
        let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        (m, v.sqrt(), lo, hi)
    }

    #[test]
    fn beta_and_lognormal_keep_the_configured_mean_and_sd() {
        let n = 40_000;
        let (m, sd, lo, hi) = moments(Distribution::Beta { sd: 0.03 }, 0.12, n);
        // 4 standard errors of the mean; sd within 3 %.
        assert!((m - 0.12).abs() < 4.0 * 0.03 / (n as f64).sqrt(), "{m}");
        assert!((sd / 0.03 - 1.0).abs() < 0.03, "{sd}");
        assert!(lo > 0.0 && hi < 1.0);
        let (m, sd, lo, _) = moments(Distribution::LogNormal { sd: 50.0 }, 400.0, n);
        assert!((m - 400.0).abs() < 4.0 * 50.0 / (n as f64).sqrt(), "{m}");
        assert!((sd / 50.0 - 1.0).abs() < 0.05, "{sd}");
        assert!(lo > 0.0);
    }

    #[test]
    fn bounded_distributions_stay_in_bounds() {
        let n = 20_000;
        let (m, _, lo, hi) = moments(
            Distribution::Triangular {
                min: 250.0,
                mode: 400.0,
                max: 600.0,
            },
            400.0,
            n,
        );
        assert!(lo >= 250.0 && hi <= 600.0);
        let expected = (250.0 + 400.0 + 600.0) / 3.0;
        assert!((m - expected).abs() < 2.0, "{m} vs {expected}");
        let (m, _, lo, hi) = moments(
            Distribution::Uniform {
                min: 0.45,
                max: 0.75,
            },
            0.6,
            n,
        );
        assert!(lo >= 0.45 && hi < 0.75 && (m - 0.6).abs() < 0.005);
        let (_, _, lo, hi) = moments(
            Distribution::Normal {
                sd: 0.05,
                min: 0.0,
                max: 0.2,
            },
            0.15,
            n,
        );
        assert!(lo >= 0.0 && hi <= 0.2 && hi == 0.2, "clamped at max");
    }

    #[test]
    fn zero_spread_returns_the_configured_value() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for d in [
            Distribution::Normal {
                sd: 0.0,
                min: 0.0,
                max: 1.0,
            },
            Distribution::Beta { sd: 0.0 },
            Distribution::LogNormal { sd: 0.0 },
            Distribution::Uniform { min: 0.3, max: 0.3 },
            Distribution::Triangular {
                min: 0.3,
                mode: 0.3,
                max: 0.3,
            },
        ] {
            assert_eq!(sample(&d, 0.3, &mut rng), 0.3, "{d:?}");
        }
    }
}

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

    /// Mean and sd of `xs`, with the 5-standard-error tolerances of each
    /// (the sd's from the sample's own fourth moment).
    fn within_5_se(what: &str, xs: &[f64], mean: f64, sd: f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<f64>() / n;
        let c = |k: i32| xs.iter().map(|x| (x - m).powi(k)).sum::<f64>() / n;
        let (v, m4) = (c(2), c(4));
        let se_mean = (v / n).sqrt();
        // Var of the sample variance ~ (m4 - v^2) / n; delta method for the sd.
        let se_sd = ((m4 - v * v) / n).sqrt() / (2.0 * v.sqrt());
        assert!(
            (m - mean).abs() < 5.0 * se_mean,
            "{what}: mean {m} vs {mean}"
        );
        assert!(
            (v.sqrt() - sd).abs() < 5.0 * se_sd,
            "{what}: sd {} vs {sd} (se {se_sd})",
            v.sqrt()
        );
    }

    fn draws(dist: Distribution, mean: f64, n: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n).map(|_| sample(&dist, mean, &mut rng)).collect()
    }

    #[test]
    fn normal_draws_have_the_configured_mean_and_sd() {
        let d = Distribution::Normal {
            sd: 0.05,
            min: -10.0,
            max: 10.0,
        };
        within_5_se("normal", &draws(d, 0.3, 40_000, 3), 0.3, 0.05);
        // Clamped below at min.
        let d = Distribution::Normal {
            sd: 0.05,
            min: 0.29,
            max: 10.0,
        };
        let xs = draws(d, 0.3, 2_000, 4);
        assert_eq!(xs.iter().cloned().fold(f64::INFINITY, f64::min), 0.29);
    }

    #[test]
    fn beta_draws_have_the_configured_mean_and_sd_even_when_wide() {
        // Method of moments: any (mean, sd) with sd^2 < m (1 - m) is exact.
        for (mean, sd, seed) in [
            (0.5, 0.2, 5),
            (0.3, 0.1, 6),
            (0.12, 0.03, 7),
            (0.9, 0.05, 8),
        ] {
            let xs = draws(Distribution::Beta { sd }, mean, 40_000, seed);
            within_5_se(&format!("beta {mean} {sd}"), &xs, mean, sd);
            assert!(xs.iter().all(|&x| x > 0.0 && x < 1.0));
        }
        // Too wide for its mean: Beta(m, 1 - m), whose sd is sqrt(m (1 - m) / 2).
        let xs = draws(Distribution::Beta { sd: 0.4 }, 0.5, 40_000, 9);
        within_5_se("widest beta", &xs, 0.5, (0.25f64 / 2.0).sqrt());
        // A probability of exactly 0 or 1 has no spread.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for m in [0.0, 1.0] {
            assert_eq!(sample(&Distribution::Beta { sd: 0.1 }, m, &mut rng), m);
        }
    }

    #[test]
    fn lognormal_draws_are_normal_in_logs() {
        // ln X ~ N(ln m - s2 / 2, s2) with s2 = ln(1 + (sd / m)^2): mean m, sd sd.
        for (mean, sd, seed) in [(100.0, 200.0, 10), (400.0, 50.0, 11), (0.2, 0.05, 12)] {
            let xs = draws(Distribution::LogNormal { sd }, mean, 40_000, seed);
            let s2 = (1.0f64 + (sd / mean) * (sd / mean)).ln();
            let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
            within_5_se(
                &format!("ln lognormal {mean} {sd}"),
                &logs,
                mean.ln() - s2 / 2.0,
                s2.sqrt(),
            );
        }
        // A quantity of exactly 0 has no spread (e.g. no recruits).
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..200 {
            assert_eq!(
                sample(&Distribution::LogNormal { sd: 5.0 }, 0.0, &mut rng),
                0.0
            );
        }
    }

    #[test]
    fn uniform_draws_have_the_uniform_mean_and_sd() {
        let d = Distribution::Uniform { min: 2.0, max: 5.0 };
        within_5_se(
            "uniform",
            &draws(d, 0.0, 40_000, 13),
            3.5,
            3.0 / 12f64.sqrt(),
        );
    }

    /// The triangular distribution function, written from its definition.
    fn triangular_cdf(a: f64, c: f64, b: f64, x: f64) -> f64 {
        if x <= c {
            (x - a) * (x - a) / ((b - a) * (c - a))
        } else {
            1.0 - (b - x) * (b - x) / ((b - a) * (b - c))
        }
    }

    #[test]
    fn triangular_is_the_inverse_of_its_distribution_function() {
        for (a, c, b) in [(2.0, 3.0, 6.0), (-1.0, 4.0, 5.0), (250.0, 400.0, 600.0)] {
            for i in 0..100 {
                let u = (i as f64 + 0.5) / 100.0;
                let x = triangular(a, c, b, u);
                assert!(x > a && x < b, "{a} {c} {b} at {u}: {x}");
                let f = triangular_cdf(a, c, b, x);
                assert!((f - u).abs() < 1e-9, "{a} {c} {b}: F({x}) = {f}, not {u}");
            }
            assert_eq!(triangular(a, c, b, 0.0), a);
        }
        // A mode at a bound: only one side of the triangle.
        assert!((triangular(0.0, 0.0, 4.0, 0.75) - 2.0).abs() < 1e-12);
        assert!((triangular(0.0, 4.0, 4.0, 0.25) - 2.0).abs() < 1e-12);
        assert_eq!(triangular(3.0, 3.0, 3.0, 0.4), 3.0);
        // Through `sample`: the triangle's mean and sd.
        let (a, c, b) = (2.0, 3.0, 6.0);
        let d = Distribution::Triangular {
            min: a,
            mode: c,
            max: b,
        };
        let var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        within_5_se(
            "triangular",
            &draws(d, 0.0, 40_000, 14),
            (a + b + c) / 3.0,
            var.sqrt(),
        );
    }

    fn two_parameter_scenario() -> Scenario {
        let text = r#"[scenario]
name = "two"
start = "2024-01"
end = "2024-12"

[levels.junior]
initial = 100
attrition = 0.1

[levels.senior]
initial = 50
attrition = 0.1

[uncertainty]
"levels.junior.attrition" = { dist = "uniform", min = 0.05, max = 0.15 }
"levels.senior.attrition" = { dist = "uniform", min = 0.05, max = 0.15 }
"#;
        crate::config::load_str("two.toml", text, &[])
            .expect("valid")
            .scenario
    }

    #[test]
    fn entries_are_drawn_independently_from_their_own_positions() {
        let s = two_parameter_scenario();
        let draws = resolve(&s, &s.uncertainty).unwrap();
        assert_eq!(draws.len(), 2);
        let junior = Param::parse(&s, "levels.junior.attrition").unwrap();
        let senior = Param::parse(&s, "levels.senior.attrition").unwrap();
        let n = 4000;
        let mut pairs = Vec::new();
        let mut scratch = s.clone();
        for run in 0..n {
            let mut rng = ChaCha8Rng::seed_from_u64(21);
            rng.set_stream(run);
            apply(&draws, &s, &mut scratch, &mut rng);
            pairs.push((junior.get(&scratch), senior.get(&scratch)));
        }
        let (xs, ys): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        let sd = 0.1 / 12f64.sqrt();
        within_5_se("junior", &xs, 0.1, sd);
        within_5_se("senior", &ys, 0.1, sd);
        // Independent: the sample correlation is within 5 / sqrt(n) of 0.
        let cov = pairs
            .iter()
            .map(|(x, y)| (x - 0.1) * (y - 0.1))
            .sum::<f64>()
            / n as f64;
        let r = cov / (sd * sd);
        assert!(r.abs() < 5.0 / (n as f64).sqrt(), "correlation {r}");
    }

    #[test]
    fn a_path_that_does_not_resolve_is_an_error_naming_it() {
        let s = two_parameter_scenario();
        let bad = [Uncertainty {
            path: "levels.nobody.attrition".into(),
            dist: Distribution::Beta { sd: 0.1 },
            note: None,
        }];
        let e = resolve(&s, &bad).unwrap_err();
        assert!(
            e.starts_with("[uncertainty] 'levels.nobody.attrition': "),
            "{e}"
        );
        let ok = resolve(&s, &s.uncertainty).unwrap();
        assert_eq!(
            ok[1].param,
            Param::parse(&s, "levels.senior.attrition").unwrap()
        );
        assert_eq!(ok[1].dist, s.uncertainty[1].dist);
    }
}

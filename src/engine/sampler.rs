//! How a flow is turned into a number of people. The engine is written once;
//! the deterministic projection uses expected values and the Monte Carlo uses
//! random integer counts with the same expectations.

use rand::Rng;
use rand_distr::{Binomial, Distribution, Poisson};

pub trait Sampler {
    /// How many of `n` people take a step that each takes with probability `p`.
    fn thin(&mut self, n: f64, p: f64) -> f64;
    /// How many people arrive when `mean` are expected.
    fn arrivals(&mut self, mean: f64) -> f64;
    /// True when headcounts are whole people (capacities are then floored).
    fn integer(&self) -> bool;
}

/// Expected values: fractional people, no randomness.
#[derive(Debug, Default, Clone, Copy)]
pub struct Expected;

impl Sampler for Expected {
    #[inline]
    fn thin(&mut self, n: f64, p: f64) -> f64 {
        n * p
    }
    #[inline]
    fn arrivals(&mut self, mean: f64) -> f64 {
        mean
    }
    fn integer(&self) -> bool {
        false
    }
}

/// Whole people: binomial thinning and Poisson arrivals drawn from `rng`.
pub struct Stochastic<R: Rng> {
    pub rng: R,
}

impl<R: Rng> Sampler for Stochastic<R> {
    #[inline]
    fn thin(&mut self, n: f64, p: f64) -> f64 {
        if n <= 0.0 || p <= 0.0 {
            return 0.0;
        }
        if p >= 1.0 {
            return n;
        }
        // n is a whole number of people held in an f64; validation keeps it far below 2^53.
        match Binomial::new(n as u64, p) {
            Ok(b) => b.sample(&mut self.rng) as f64,
            Err(_) => n * p,
        }
    }
    #[inline]
    fn arrivals(&mut self, mean: f64) -> f64 {
        if mean <= 0.0 {
            return 0.0;
        }
        match Poisson::new(mean) {
            Ok(d) => {
                let x: f64 = d.sample(&mut self.rng);
                x
            }
            Err(_) => mean.round(),
        }
    }
    fn integer(&self) -> bool {
        true
    }
}

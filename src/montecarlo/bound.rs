//! The draw bound: what the random draws of a Monte Carlo cost on their
//! own, without the engine's bookkeeping or any summary. The Monte Carlo's
//! time over this is the engine's overhead (the speed target is within 1.5×).
//! Reached by the hidden `forcecast mc --draws-only` (scripts/bench-peers.sh).
//!
//! The first [`RECORDED`] runs are simulated once with a recording sampler,
//! which notes every call the engine makes (binomial thinning of one group,
//! grouped thinning of a level's cells with its uniform picks, Poisson
//! arrivals) and its arguments. Then every run `r` replays the calls of run
//! `r mod RECORDED` on its own random stream, through the same sampler code.

use super::{draw, fast, with_threads, Options, Streams, CHUNK};
use crate::engine::{Observer, Sampler, Snapshot, Stochastic};
use crate::scenario::Scenario;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Runs whose calls are recorded and replayed in turn.
const RECORDED: u64 = 64;

#[derive(Debug, Clone, Copy)]
enum Call {
    Thin {
        n: f64,
        p: f64,
    },
    /// Sizes `sizes[from..to]` thinned with `p`.
    ThinEach {
        from: usize,
        to: usize,
        p: f64,
    },
    Arrivals {
        mean: f64,
    },
}

/// The calls of the recorded runs, in order.
#[derive(Debug, Default)]
struct Tape {
    calls: Vec<Call>,
    sizes: Vec<f64>,
}

struct Recorder<'a, S> {
    inner: &'a mut S,
    tape: &'a mut Tape,
}

impl<S: Sampler> Sampler for Recorder<'_, S> {
    fn thin(&mut self, n: f64, p: f64) -> f64 {
        self.tape.calls.push(Call::Thin { n, p });
        self.inner.thin(n, p)
    }
    fn thin_each(&mut self, n: &[f64], p: f64, out: &mut [f64]) -> f64 {
        let from = self.tape.sizes.len();
        self.tape.sizes.extend_from_slice(n);
        self.tape.calls.push(Call::ThinEach {
            from,
            to: self.tape.sizes.len(),
            p,
        });
        self.inner.thin_each(n, p, out)
    }
    fn arrivals(&mut self, mean: f64) -> f64 {
        self.tape.calls.push(Call::Arrivals { mean });
        self.inner.arrivals(mean)
    }
    fn integer(&self) -> bool {
        true
    }
}

struct Ignore;
impl Observer for Ignore {
    fn month(&mut self, _: &Snapshot<'_>) {}
}

/// Makes the draws of `opts.runs` runs of `s` (process noise required) and
/// returns the sum of every count drawn, so none can be optimised away.
pub fn draw_bound(s: &Scenario, opts: &Options) -> Result<f64, String> {
    opts.check()?;
    if !opts.process_noise {
        return Err("--draws-only needs process noise".into());
    }
    fast::supports(s)?;
    let draws = if opts.parameter_uncertainty {
        draw::resolve(s, &s.uncertainty)?
    } else {
        Vec::new()
    };
    let streams = Streams::new(opts.seed);
    // Recording: the first runs as the Monte Carlo makes them.
    let mut tapes: Vec<Tape> = Vec::new();
    let mut ws = fast::Workspace::new(s, draws.iter().map(|d| d.param).collect());
    let mut scratch = s.clone();
    let mut sampler = fresh();
    for run in 0..RECORDED.min(opts.runs) {
        let sc: &Scenario = if draws.is_empty() {
            s
        } else {
            draw::apply(
                &draws,
                s,
                &mut scratch,
                &mut Streams::rng(&streams.params, run),
            );
            &scratch
        };
        sampler.rng = Streams::rng(&streams.process, run);
        let mut tape = Tape::default();
        ws.run(
            sc,
            &mut Recorder {
                inner: &mut sampler,
                tape: &mut tape,
            },
            &mut Ignore,
        );
        tapes.push(tape);
    }
    let chunks = opts.runs.div_ceil(CHUNK);
    let work = || {
        (0..chunks)
            .into_par_iter()
            .fold(
                || (0.0, None::<(Stochastic<ChaCha8Rng>, Vec<f64>)>),
                |(mut sum, state), chunk| {
                    let (mut sampler, mut out) = state.unwrap_or_else(|| (fresh(), Vec::new()));
                    for run in chunk * CHUNK..((chunk + 1) * CHUNK).min(opts.runs) {
                        sampler.rng = Streams::rng(&streams.process, run);
                        let tape = &tapes[(run % tapes.len() as u64) as usize];
                        for call in &tape.calls {
                            sum += match *call {
                                Call::Thin { n, p } => sampler.thin(n, p),
                                Call::ThinEach { from, to, p } => {
                                    out.clear();
                                    out.resize(to - from, 0.0);
                                    // The count it returns, as the engine
                                    // takes it: summing `out` again would
                                    // charge the bound work the engine skips.
                                    sampler.thin_each(&tape.sizes[from..to], p, &mut out)
                                }
                                Call::Arrivals { mean } => sampler.arrivals(mean),
                            };
                        }
                    }
                    (sum, Some((sampler, out)))
                },
            )
            .map(|(sum, _)| sum)
            .reduce(|| 0.0, |a, b| a + b)
    };
    with_threads(opts.threads, work)
}

/// A sampler whose generator is replaced before each run.
fn fresh() -> Stochastic<ChaCha8Rng> {
    Stochastic::new(ChaCha8Rng::from_seed([0; 32]))
}

#[cfg(test)]
#[path = "bound_tests.rs"]
mod tests;

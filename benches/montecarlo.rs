//! Monte Carlo speed: 10,000 runs of the embedded baseline (both kinds of
//! uncertainty), on all cores and on one. Target: under 1 s on a 2-core
//! machine. Run with `cargo bench --bench montecarlo` or `scripts/bench.sh mc`;
//! `scripts/bench-mc.sh` times the command-line binary.

use criterion::{criterion_group, criterion_main, Criterion};
use forcecast::{config, engine, montecarlo};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

fn baseline(c: &mut Criterion) {
    let loaded = config::load(None, &[]).expect("the embedded baseline loads");
    let s = &loaded.scenario;
    let mut g = c.benchmark_group("baseline");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("mc 10000 runs, all cores", |b| {
        b.iter(|| {
            montecarlo::run(black_box(s), &montecarlo::Options::new(10_000, 1), None).expect("runs")
        })
    });
    g.bench_function("mc 10000 runs, 1 thread", |b| {
        let o = montecarlo::Options {
            threads: Some(1),
            ..montecarlo::Options::new(10_000, 1)
        };
        b.iter(|| montecarlo::run(black_box(s), &o, None).expect("runs"))
    });
    g.finish();
    // The frozen scenario of the Python peers (issue 14,
    // scripts/bench-peers.sh): the fast engine against the general one, and
    // one fast run alone.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/peer_scenario.toml"
    ))
    .expect("benches/peer_scenario.toml");
    let peer = config::load_str("peer_scenario.toml", &text, &[]).expect("the peer scenario loads");
    let p = &peer.scenario;
    let mut g = c.benchmark_group("peer scenario, process noise only, 1 thread, 10000 runs");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    let o = montecarlo::Options {
        threads: Some(1),
        parameter_uncertainty: false,
        ..montecarlo::Options::new(10_000, 1)
    };
    g.bench_function("fast engine", |b| {
        b.iter(|| montecarlo::run(black_box(p), &o, None).expect("runs"))
    });
    g.bench_function("general engine", |b| {
        b.iter(|| montecarlo::run_reference(black_box(p), &o, None).expect("runs"))
    });
    g.finish();
    c.bench_function("peer scenario, one fast run (engine only)", |b| {
        let mut ws = montecarlo::fast::Workspace::new(p, Vec::new());
        let mut sampler = engine::Stochastic::new(ChaCha8Rng::seed_from_u64(0));
        let mut run = 0u64;
        b.iter(|| {
            run += 1;
            sampler.rng = ChaCha8Rng::seed_from_u64(run);
            let mut sink = FinalTotal(0.0);
            ws.run(black_box(p), &mut sampler, &mut sink);
            sink.0
        })
    });
    c.bench_function("baseline projection (deterministic)", |b| {
        b.iter(|| engine::project(black_box(s)))
    });
    // The engine alone, whole people, without the Monte Carlo's summaries:
    // what one run costs (10,000 of them are most of `mc`'s time).
    c.bench_function("baseline, one whole-person run (engine only)", |b| {
        let mut run = 0u64;
        b.iter(|| {
            run += 1;
            let mut sink = FinalTotal(0.0);
            engine::simulate(
                black_box(s),
                &mut engine::Stochastic::new(ChaCha8Rng::seed_from_u64(run)),
                &mut sink,
            );
            sink.0
        })
    });
}

/// Keeps the last month's total, so the run cannot be optimised away.
struct FinalTotal(f64);

impl engine::Observer for FinalTotal {
    fn month(&mut self, snap: &engine::Snapshot<'_>) {
        self.0 = snap.total;
    }
}

criterion_group!(benches, baseline);
criterion_main!(benches);

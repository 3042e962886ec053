//! Monte Carlo speed: 10,000 runs of the embedded baseline (both kinds of
//! uncertainty), on all cores and on one. Target: under 1 s on a 2-core
//! machine. Run with `cargo bench --bench montecarlo` or `scripts/bench.sh mc`;
//! `scripts/bench-mc.sh` times the command-line binary.

use criterion::{criterion_group, criterion_main, Criterion};
use forcecast::{config, engine, montecarlo};
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
    c.bench_function("baseline projection (deterministic)", |b| {
        b.iter(|| engine::project(black_box(s)))
    });
}

criterion_group!(benches, baseline);
criterion_main!(benches);

//! The random draws alone (issue 14): what the Monte Carlo's samplers cost,
//! call by call, on the shapes of the frozen peer scenario, and the draw
//! bound itself (`mc --draws-only` without the process start). Run with
//! `cargo bench --bench draws`.

use criterion::{criterion_group, criterion_main, Criterion};
use forcecast::engine::{Sampler, Stochastic};
use forcecast::{config, montecarlo};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

fn sampler() -> Stochastic<ChaCha8Rng> {
    Stochastic::new(ChaCha8Rng::seed_from_u64(1))
}

fn draws(c: &mut Criterion) {
    let mut g = c.benchmark_group("draws");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    // A level's cohorts by months in level, mostly small, the last one the
    // capped remainder, with a monthly leaving probability: the engine's
    // commonest call (178 a run, ~5 movers each).
    let cohorts: [f64; 25] = [
        14.0, 17.0, 15.0, 16.0, 21.0, 11.0, 15.0, 12.0, 18.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 238.0,
    ];
    let mut out = [0.0; 25];
    let mut s = sampler();
    g.bench_function("thin_each 25 cohorts (377 people, p 0.0069)", |b| {
        b.iter(|| {
            s.thin_each(
                black_box(&cohorts),
                black_box(0.006924382628299419),
                &mut out,
            );
            out[0]
        })
    });
    // The basic level late in the peer scenario: about 1,800 people, two
    // years of monthly entrants and the eligible remainder (~9 movers).
    let basic: [f64; 25] = [
        35.0, 34.0, 33.0, 36.0, 31.0, 84.0, 33.0, 32.0, 35.0, 34.0, 33.0, 36.0, 33.0, 31.0, 34.0,
        33.0, 35.0, 86.0, 34.0, 33.0, 32.0, 35.0, 34.0, 33.0, 901.0,
    ];
    let mut s = sampler();
    g.bench_function("thin_each 25 cohorts (1,810 people, p 0.0051)", |b| {
        b.iter(|| {
            s.thin_each(black_box(&basic), black_box(0.005143012831822946), &mut out);
            out[0]
        })
    });
    let mut s = sampler();
    g.bench_function("thin_each 25 cohorts, 9 people (p 0.0051)", |b| {
        let mut few = [0.0; 25];
        few[0] = 9.0;
        b.iter(|| {
            s.thin_each(black_box(&few), black_box(0.005143012831822946), &mut out);
            out[0]
        })
    });
    for (n, p) in [
        (900.0, 0.029285530376777613),
        (250.0, 0.013451947011868914),
        (6.0, 0.85),
    ] {
        let mut s = sampler();
        g.bench_function(format!("thin n {n} p {p:.4}"), |b| {
            b.iter(|| s.thin(black_box(n), black_box(p)))
        });
    }
    for mean in [
        0.41666666666666663,
        1.6363636363636365,
        33.33333333333333,
        150.0,
    ] {
        let mut s = sampler();
        g.bench_function(format!("arrivals mean {mean:.3}"), |b| {
            b.iter(|| s.arrivals(black_box(mean)))
        });
    }
    g.finish();

    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/peer_scenario.toml"
    ))
    .expect("benches/peer_scenario.toml");
    let peer = config::load_str("peer_scenario.toml", &text, &[]).expect("the peer scenario loads");
    let o = montecarlo::Options {
        threads: Some(1),
        parameter_uncertainty: false,
        ..montecarlo::Options::new(2_000, 1)
    };
    let mut g = c.benchmark_group("draw bound");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("peer scenario, 2000 runs, 1 thread", |b| {
        b.iter(|| montecarlo::bound::draw_bound(black_box(&peer.scenario), &o).expect("draws"))
    });
    g.finish();
}

criterion_group!(benches, draws);
criterion_main!(benches);

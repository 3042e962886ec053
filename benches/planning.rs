//! The planners' questions on the embedded baseline, timed: a 30 x 30
//! deterministic sweep (target: under 1 s) and a probability solve with
//! 2,000 runs per value, both kinds of uncertainty (target: under 10 s), on
//! a 2-core machine.
//! Run with `scripts/bench.sh` or `cargo bench --bench planning`.

use criterion::{criterion_group, criterion_main, Criterion};
use forcecast::config;
use forcecast::goal::solve::{solve, Question};
use forcecast::goal::{self, Metric, MonteCarlo};
use forcecast::params::Param;
use indicatif::ProgressBar;
use std::time::Duration;

fn baseline() -> forcecast::scenario::Scenario {
    config::load(None, &[]).expect("baseline loads").scenario
}

fn sweep_30x30(c: &mut Criterion) {
    let s = baseline();
    let g = goal::pick_goal(&s, None).unwrap();
    let x = goal::parse_axis(&s, "--x", "inflows.transfers.per_year=200:1000:30").unwrap();
    let y = goal::parse_axis(&s, "--y", "levels.basic.attrition=0.02:0.15:30").unwrap();
    let mc = MonteCarlo::new(1, 1);
    c.bench_function("sweep 30x30 deterministic (baseline)", |b| {
        b.iter(|| {
            goal::sweep::sweep(
                &s,
                &x,
                &y,
                &g,
                Metric::FinalTotal,
                &mc,
                &ProgressBar::hidden(),
            )
        })
    });
}

fn solve_deterministic(c: &mut Criterion) {
    let s = baseline();
    let param = Param::parse(&s, "inflows.transfers.per_year").unwrap();
    let (lo, hi) = goal::default_range(param, param.get(&s));
    let q = Question {
        param,
        goal: goal::pick_goal(&s, None).unwrap(),
        lo,
        hi,
        probability: None,
    };
    c.bench_function("solve transfers deterministic (baseline)", |b| {
        b.iter(|| solve(&s, &q, &ProgressBar::hidden()))
    });
}

fn sensitivity_all(c: &mut Criterion) {
    let s = baseline();
    let g = goal::pick_goal(&s, None).unwrap();
    let params = Param::all(&s);
    let mc = MonteCarlo::new(1, 1);
    c.bench_function("sensitivity all parameters deterministic (baseline)", |b| {
        b.iter(|| {
            goal::sensitivity::sensitivity(
                &s,
                &params,
                &g,
                Metric::FinalTotal,
                0.2,
                &mc,
                &ProgressBar::hidden(),
            )
        })
    });
}

fn solve_probability(c: &mut Criterion) {
    let s = baseline();
    let param = Param::parse(&s, "inflows.transfers.per_year").unwrap();
    let (lo, hi) = goal::default_range(param, param.get(&s));
    let q = Question {
        param,
        goal: goal::pick_goal(&s, None).unwrap(),
        lo,
        hi,
        probability: Some((0.8, MonteCarlo::new(2000, s.seed))),
    };
    let mut group = c.benchmark_group("slow");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function(
        "solve transfers --probability 0.8 --runs 2000 (baseline)",
        |b| b.iter(|| solve(&s, &q, &ProgressBar::hidden())),
    );
    group.finish();
}

criterion_group!(
    benches,
    sweep_30x30,
    solve_deterministic,
    sensitivity_all,
    solve_probability
);
criterion_main!(benches);

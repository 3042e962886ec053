//! Speed of `forcecast optimize` on the baseline with its assumed costs
//! (issue 15): a deterministic plan over 3 levers x 5 fiscal years, and a
//! plan at P >= 0.8 with 2,000 Monte Carlo runs.

use criterion::{criterion_group, criterion_main, Criterion};
use forcecast::costs::optimize::{self as opt, LeverSpec, Objective, Problem};
use forcecast::montecarlo::Options;

fn problem_inputs() -> (forcecast::config::Loaded, Vec<LeverSpec>) {
    let mut loaded = forcecast::config::load(
        Some(std::path::Path::new("configs/costs/baseline_costs.toml")),
        &[],
    )
    .expect("the cost config loads");
    // The FY2027 target only: the earlier milestones are history no lever moves.
    loaded
        .scenario
        .target
        .milestones
        .retain(|m| m.headcount == 4000.0);
    let levers = [
        ("inflows.transfers.per_year", 0.0, 1000.0),
        ("inflows.recruits.per_year", 30.0, 200.0),
        ("inflows.contract_experts.per_year", 0.0, 15.0),
    ]
    .map(|(path, lo, hi)| LeverSpec {
        path: path.into(),
        lo,
        hi,
    })
    .to_vec();
    (loaded, levers)
}

fn bench(c: &mut Criterion) {
    let (loaded, levers) = problem_inputs();
    let s = &loaded.scenario;
    // FY2023-FY2027: five fiscal years per lever.
    let vars = opt::variables(s, &levers, Some(2023)).unwrap();
    assert_eq!(vars.len(), 15);
    let p = Problem::new(s, vars, Objective::Cost, None).unwrap();
    let mut g = c.benchmark_group("optimize");
    g.sample_size(10);
    g.bench_function("deterministic_3_levers_x_5_fiscal_years", |b| {
        b.iter(|| p.search(&[0.0]))
    });
    let opts = Options::new(2000, s.seed);
    g.bench_function("probability_0.8_2000_runs", |b| {
        b.iter(|| opt::at_probability(&p, 0.8, &opts).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Calibration on the embedded baseline, timed: its own fit, two parameters
//! (the FY2021-FY2024 transfer rate and the redesignation) to its published
//! counts and plans (target: well under 1 s on a 2-core machine). Run with
//! `cargo bench --bench calibrate`.

use criterion::{criterion_group, criterion_main, Criterion};
use forcecast::calibrate::{calibrate, parse_fit, Options, Use};
use forcecast::config;

fn calibrate_two_parameters(c: &mut Criterion) {
    let s = config::load(None, &[]).expect("baseline loads").scenario;
    let fit = [
        parse_fit(&s, "inflows.transfers_history.per_year=0:1000").unwrap(),
        parse_fit(&s, "events.0.change=0:2000").unwrap(),
    ];
    let opts = Options {
        until: None,
        use_kinds: Use::All,
    };
    let r = calibrate(&s, &fit, &opts).unwrap();
    eprintln!("{} ({} projections)", r.headline(), r.projections);
    c.bench_function("calibrate 2 parameters to 5 observations (baseline)", |b| {
        b.iter(|| calibrate(&s, &fit, &opts).unwrap())
    });
}

criterion_group!(benches, calibrate_two_parameters);
criterion_main!(benches);

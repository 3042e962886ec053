//! Calibration on the embedded baseline, timed: two parameters (the transfer
//! rate and the redesignation) fitted to four published figures (target: well
//! under 1 s on a 2-core machine). Run with `cargo bench --bench calibrate`.

use criterion::{criterion_group, criterion_main, Criterion};
use forcecast::calibrate::{calibrate, parse_fit, Options, Use};
use forcecast::config;

/// The published series around the baseline's start (docs/sources.md):
/// the initial ~890, the FY2023 and FY2024 plans and "over 2,200" in Jul 2024.
const OBSERVED: &str = r#"observed=[
  { date = "2023-03", headcount = 890, kind = "count", sd = 40 },
  { date = "2024-03", headcount = 2230, kind = "plan", sd = 100 },
  { date = "2024-07", headcount = 2200, kind = "count", sd = 100 },
  { date = "2025-03", headcount = 2410, kind = "plan", sd = 100 },
]"#;

fn calibrate_two_parameters(c: &mut Criterion) {
    let s = config::load(None, &[OBSERVED.replace('\n', " ")])
        .expect("baseline loads with observations")
        .scenario;
    let fit = [
        parse_fit(&s, "inflows.transfers.per_year").unwrap(),
        parse_fit(&s, "events.0.change").unwrap(),
    ];
    let opts = Options {
        until: None,
        use_kinds: Use::All,
    };
    let r = calibrate(&s, &fit, &opts).unwrap();
    eprintln!("{} ({} projections)", r.headline(), r.projections);
    c.bench_function("calibrate 2 parameters to 4 observations (baseline)", |b| {
        b.iter(|| calibrate(&s, &fit, &opts).unwrap())
    });
}

criterion_group!(benches, calibrate_two_parameters);
criterion_main!(benches);

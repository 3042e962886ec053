//! The Monte Carlo's bookkeeping checked against the expected-value
//! projection: with process noise and parameter draws off, every run is the
//! projection, so every histogram, count and share has a known value.

use super::*;
use crate::engine::{project, Projection};

const TEXT: &str = r#"[scenario]
name = "growing"
start = "2024-01"
end = "2024-12"

[target]
milestones = [{ date = "2024-03", headcount = 100 }, { date = "2024-12", headcount = 200 }]

[levels.junior]
initial = 100
attrition = 0.1
promotion = { to = "senior", rate = 0.2 }

[levels.senior]
initial = 30
attrition = 0.05

[inflows.recruits]
level = "junior"
per_year = 120

[uncertainty]
"levels.junior.attrition" = { dist = "uniform", min = 0.05, max = 0.15 }
"#;

fn scenario() -> Scenario {
    crate::config::load_str("growing.toml", TEXT, &[])
        .expect("valid")
        .scenario
}

fn expected(runs: u64, threads: usize) -> Options {
    Options {
        runs,
        seed: 5,
        threads: Some(threads),
        process_noise: false,
        parameter_uncertainty: false,
    }
}

/// The scenario with its milestones set exactly on the projection: the first
/// at row 3's total (met: "at least"), the final one at row 7's total (first
/// reached there, as the total grows).
fn on_the_projection() -> (Scenario, Projection) {
    let mut s = scenario();
    let p = project(&s);
    assert!(
        p.rows.windows(2).all(|w| w[1].total > w[0].total),
        "growing"
    );
    s.target.milestones[0].date = p.rows[3].month;
    s.target.milestones[0].headcount = p.rows[3].total;
    s.target.milestones[1].headcount = p.rows[7].total;
    (s, p)
}

#[test]
fn every_expected_run_is_the_projection_in_every_summary() {
    let (s, p) = on_the_projection();
    // 130 runs: two full batches and a partial one, over one and two threads.
    let runs = 130;
    let one = run(&s, &expected(runs, 1), None).unwrap();
    let two = run(&s, &expected(runs, 2), None).unwrap();
    assert_eq!(one, two);
    assert_eq!(one.runs, runs);
    assert_eq!(one.months.len(), p.rows.len());
    assert_eq!(one.final_row(), p.rows.len() - 1);
    for (r, row) in p.rows.iter().enumerate() {
        assert_eq!(one.months[r], row.month);
        let only = |h: &Histogram| h.iter().collect::<Vec<_>>();
        assert_eq!(only(&one.total[r]), [(row.total.round(), runs)], "row {r}");
        for (l, v) in row.levels.iter().enumerate() {
            assert_eq!(
                only(&one.levels[l][r]),
                [(v.round(), runs)],
                "row {r} level {l}"
            );
        }
        let mean = one.total_sum[r].mean().unwrap();
        assert!((mean - row.total).abs() < 1e-6, "row {r}: {mean}");
    }
    assert_eq!(one.milestones_met, [runs, runs]);
    assert_eq!(one.milestone_probability(0), 1.0);
    let mut first = vec![0; p.rows.len() + 1];
    first[7] = runs;
    assert_eq!(one.first_reach, first);
}

#[test]
fn milestones_just_out_of_reach_are_never_met() {
    let (mut s, p) = on_the_projection();
    s.target.milestones[0].headcount = p.rows[3].total + 1e-6;
    s.target.milestones[1].headcount = p.rows.last().unwrap().total + 1e-6;
    let stats = run(&s, &expected(70, 1), None).unwrap();
    assert_eq!(stats.milestones_met, [0, 0]);
    assert_eq!(stats.milestone_probability(1), 0.0);
    let mut first = vec![0; p.rows.len() + 1];
    first[p.rows.len()] = 70;
    assert_eq!(stats.first_reach, first, "all in the never slot");
    // With no milestones nothing is counted as reached or never reached.
    s.target.milestones.clear();
    let stats = run(&s, &expected(70, 1), None).unwrap();
    assert!(stats.first_reach.iter().all(|&k| k == 0));
}

#[test]
fn rows_are_months_from_the_initial_state() {
    let s = scenario();
    let stats = run(&s, &expected(1, 1), None).unwrap();
    let before = s.start.plus(-1);
    assert_eq!(stats.row(before), Some(0));
    assert_eq!(stats.row(s.start), Some(1));
    assert_eq!(stats.row(s.end), Some(12));
    assert_eq!(stats.row(before.plus(-1)), None);
    assert_eq!(stats.row(s.end.plus(1)), None);
    assert_eq!(row_of(&s, s.start), 1);
    assert_eq!(row_of(&s, s.end), 12);
    assert_eq!(row_of(&s, before), 0);
}

#[test]
fn milestone_runs_take_the_projection_at_any_month_of_the_horizon() {
    let s = scenario();
    let p = project(&s);
    for (r, row) in p.rows.iter().enumerate() {
        let got = milestone_runs(&s, row.month, &expected(3, 1)).unwrap();
        assert_eq!(got.totals, [row.total; 3], "row {r}");
    }
    let first = p.rows[0].month;
    assert!(milestone_runs(&s, first.plus(-1), &expected(3, 1)).is_err());
    assert!(milestone_runs(&s, s.end.plus(1), &expected(3, 1)).is_err());
    let at = milestone_probability(&s, s.end, p.final_row().total, &expected(3, 1));
    assert_eq!(at, Ok(1.0));
    let above = milestone_probability(&s, s.end, p.final_row().total + 1e-9, &expected(3, 1));
    assert_eq!(above, Ok(0.0));
}

#[test]
fn an_empty_set_of_runs_has_no_share_and_no_shortfall() {
    let none = MilestoneRuns { totals: Vec::new() };
    assert!(none.share_at_least(1.0).is_nan());
    assert_eq!(none.shortfall(10.0, 0.5), 0.0);
    let some = MilestoneRuns {
        totals: vec![1.0, 2.0, 3.0, 4.0, 5.0],
    };
    // A share 0.5 of 5 runs is 3 runs: the third highest (3) must reach 10.
    assert_eq!(some.shortfall(10.0, 0.5), 7.0);
    assert_eq!(some.shortfall(10.0, 0.0), 5.0, "at least one run");
    assert_eq!(some.share_at_least(3.0), 0.6);
}

#[test]
fn runs_and_threads_are_checked() {
    let ok = |runs, threads| {
        Options {
            runs,
            seed: 0,
            threads,
            process_noise: true,
            parameter_uncertainty: true,
        }
        .check()
    };
    assert!(ok(1, None).is_ok());
    assert!(ok(MAX_RUNS, Some(1)).is_ok());
    assert!(ok(0, None).unwrap_err().contains("--runs 0"));
    assert!(ok(MAX_RUNS + 1, None).is_err());
    assert!(ok(5, Some(0)).unwrap_err().contains("--threads 0"));
    let s = scenario();
    assert!(run(&s, &expected(0, 1), None).is_err());
}

#[test]
fn the_progress_bar_counts_every_run() {
    let s = scenario();
    let bar = ProgressBar::hidden();
    // Three chunks of 64, the last one short.
    run(&s, &expected(150, 2), Some(&bar)).unwrap();
    assert_eq!(bar.position(), 150);
}

#[test]
fn what_varies_is_said_in_words() {
    let mut s = scenario();
    let says = |s: &Scenario, noise, params| {
        Options {
            runs: 1,
            seed: 0,
            threads: None,
            process_noise: noise,
            parameter_uncertainty: params,
        }
        .varies(s)
    };
    assert_eq!(
        says(&s, true, true),
        "process noise and 1 uncertain parameter"
    );
    assert_eq!(says(&s, true, false), "process noise only");
    assert_eq!(
        says(&s, false, true),
        "1 uncertain parameter only, expected flows"
    );
    assert_eq!(
        says(&s, false, false),
        "no randomness: every run is the expected-value projection"
    );
    let u = s.uncertainty[0].clone();
    s.uncertainty.push(u);
    assert_eq!(
        says(&s, true, true),
        "process noise and 2 uncertain parameters"
    );
}

#[test]
fn parameter_draws_reach_the_runs() {
    // Parameters drawn, no process noise: the final totals spread, and each
    // run's total is that of the projection with its drawn attrition.
    let s = scenario();
    let opts = Options {
        runs: 200,
        seed: 9,
        threads: Some(2),
        process_noise: false,
        parameter_uncertainty: true,
    };
    let stats = run(&s, &opts, None).unwrap();
    let last = &stats.total[stats.final_row()];
    let lo = |a: f64| {
        let mut t = s.clone();
        t.levels[0].attrition = a;
        project(&t).final_row().total
    };
    let (hi_total, lo_total) = (lo(0.05), lo(0.15));
    let values: Vec<f64> = last.iter().map(|(v, _)| v).collect();
    assert!(values.len() > 5, "spread: {values:?}");
    assert!(values[0] >= lo_total.round() && *values.last().unwrap() <= hi_total.round());
}

#[test]
fn a_tally_fed_run_by_run_is_complete_after_finish() {
    // The Tally contract without `drive`: runs observed one by one (fewer
    // than a batch, more than one batch) are all in the histograms once
    // `finish` has run, whether or not a merge ever happened.
    let (s, p) = on_the_projection();
    for runs in [3u64, BATCH as u64 + 5] {
        let mut stats = McStats::new(&s);
        for _ in 0..runs {
            stats.start_run();
            crate::engine::simulate(&s, &mut crate::engine::Expected, &mut stats);
            stats.end_run();
        }
        stats.finish();
        assert_eq!(stats.runs, runs);
        for (r, row) in p.rows.iter().enumerate() {
            assert_eq!(stats.total[r].len(), runs, "row {r}");
            assert_eq!(
                stats.total[r].percentile(50),
                Some(row.total.round()),
                "row {r}"
            );
            for (l, level) in stats.levels.iter().enumerate() {
                assert_eq!(level[r].percentile(50), Some(row.levels[l].round()));
            }
        }
    }
}

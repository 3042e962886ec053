//! Unit costs as `[uncertainty]` entries: drawn once per run like any other
//! parameter, they move the Monte Carlo's costs and nothing else. Cost is
//! linear in each unit cost, so its mean and sd over the runs have closed
//! forms: mean = the projection's cost, sd = (stock-weighted sum) × the
//! parameter's sd.

mod common;
use common::*;
use forcecast::costs::{self, CostSummary};
use forcecast::montecarlo::{self, Options};

/// One level with no attrition and a steady inflow: the stock, hence the
/// cost, is the same in every run without process noise.
const HAND: &str = r#"
[scenario]
name = "hand"
start = "2024-01"
end = "2025-12"

[levels.a]
initial = 120
attrition = 0

[courses.school]
graduates_to = "a"
length_months = 3
seats_per_class = 10
class_starts = [1]
initial_queue = 10

[inflows.hires]
level = "a"
per_year = 60

[costs]
currency = "JPY million"
levels.a = 12
courses.school = { per_trainee_month = 1, per_class = 50 }
inflows.hires = 2
budget = { 2024 = 2400, 2025 = 2500 }

[uncertainty]
"costs.levels.a" = { dist = "normal", sd = 1.5 }
"#;

fn opts(runs: u64, threads: usize) -> Options {
    Options {
        runs,
        seed: 11,
        threads: Some(threads),
        process_noise: false,
        parameter_uncertainty: true,
    }
}

#[test]
fn a_drawn_pay_moves_the_cost_by_the_stock_weighted_sum_and_no_headcount() {
    let l = load(HAND);
    let s = &l.scenario;
    let p = forcecast::engine::project(s);
    let n = 4000;
    // Headcounts: every run is the projection.
    let stats = montecarlo::run(s, &opts(n, 2), None).unwrap();
    for (row, proj) in p.rows.iter().enumerate() {
        let values: Vec<(f64, u64)> = stats.total[row].iter().collect();
        assert_eq!(values.len(), 1, "row {row}: a cost draw moved a headcount");
        let mean = stats.total_sum[row].mean().unwrap();
        assert!(
            close(mean, proj.total, 1e-12),
            "row {row}: {mean} vs {}",
            proj.total
        );
    }
    // Costs: linear in the pay, whose mean is the configured 12.
    let want = CostSummary::new(s, &p).unwrap();
    let ledger = costs::ledger(s, &p).unwrap();
    let got = costs::runs::percentiles(s, &opts(n, 2)).unwrap().unwrap();
    let years: Vec<i32> = want.fiscal_years.iter().map(|y| y.fiscal_year).collect();
    for (k, row) in got.iter().enumerate() {
        let fy = row.fiscal_year;
        // The stock-weighted sum Σ stock / 12 over the period's months: a
        // month's pay is 12 × stock / 12.
        let weight: f64 = ledger
            .months
            .iter()
            .filter(|m| fy.is_none_or(|f| m.fiscal_year == f))
            .map(|m| m.spend.pay / 12.0)
            .sum();
        let sd = 1.5 * weight;
        let expected = match fy {
            Some(f) => want.fiscal_years[years.iter().position(|&y| y == f).unwrap()].total,
            None => want.total,
        };
        let se = row.sd / (n as f64).sqrt();
        assert!(
            (row.mean - expected).abs() < 4.0 * se,
            "{k}: mean {} vs {expected} (se {se})",
            row.mean
        );
        // The sample sd of normal values: se ≈ sd / sqrt(2 (n - 1)); 5 of them.
        let se_sd = sd / (2.0 * (n as f64 - 1.0)).sqrt();
        assert!(
            (row.sd - sd).abs() < 5.0 * se_sd,
            "{k}: sd {} vs hand {sd} (se {se_sd})",
            row.sd
        );
        assert!(row.p5 < expected && expected < row.p95, "{k}: {row:?}");
    }
    // The share of runs within FY2024's budget: P(cost <= budget) of a
    // normal with the hand mean and sd, within 4 binomial standard errors.
    let y = &got[0];
    assert_eq!(y.fiscal_year, Some(2024));
    let weight: f64 = ledger
        .months
        .iter()
        .filter(|m| m.fiscal_year == 2024)
        .map(|m| m.spend.pay / 12.0)
        .sum();
    let p_within = normal_cdf((2400.0 - want.fiscal_years[0].total) / (1.5 * weight));
    assert!(
        0.05 < p_within && p_within < 0.95,
        "{p_within}: a test that can tell"
    );
    let share = y.within_budget.unwrap();
    let se = (p_within * (1.0 - p_within) / n as f64).sqrt();
    assert!(
        (share - p_within).abs() < 4.0 * se,
        "within budget {share} vs {p_within}"
    );
}

/// The standard normal CDF (Abramowitz and Stegun 7.1.26, error < 1.5e-7).
fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.3275911 * x);
    let poly = t
        * (0.254829592
            + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

#[test]
fn cost_draws_are_the_same_for_any_thread_count_and_leave_other_draws_alone() {
    let l = load(HAND);
    let s = &l.scenario;
    let one = costs::runs::percentiles(s, &opts(300, 1)).unwrap().unwrap();
    let three = costs::runs::percentiles(s, &opts(300, 3)).unwrap().unwrap();
    assert_eq!(one, three);
    // Adding a cost entry after a headcount entry leaves the headcount
    // entry's draws (its place in the run's stream) unchanged.
    let head = HAND.replace(
        "\"costs.levels.a\" = { dist = \"normal\", sd = 1.5 }",
        "\"inflows.hires.per_year\" = { dist = \"normal\", sd = 10 }",
    );
    let both = format!("{head}\"costs.levels.a\" = {{ dist = \"normal\", sd = 1.5 }}\n");
    let a = montecarlo::run(&load(&head).scenario, &opts(200, 2), None).unwrap();
    let b = montecarlo::run(&load(&both).scenario, &opts(200, 2), None).unwrap();
    assert_eq!(a.total, b.total);
    assert_eq!(a.levels, b.levels);
}

#[test]
fn without_the_draw_every_run_costs_the_projection() {
    let l = load(HAND);
    let s = &l.scenario;
    let p = forcecast::engine::project(s);
    let want = CostSummary::new(s, &p).unwrap();
    let mut o = opts(50, 2);
    o.parameter_uncertainty = false;
    let got = costs::runs::percentiles(s, &o).unwrap().unwrap();
    let all = got.last().unwrap();
    assert!(close(all.mean, want.total, 1e-12));
    assert!(all.sd <= 1e-9 * all.mean, "{all:?}");
}

#[test]
fn a_dated_cost_change_takes_its_drawn_value() {
    // The change's value is drawn; the pay before it is not.
    let text = HAND.replace(
        "\"costs.levels.a\" = { dist = \"normal\", sd = 1.5 }",
        "\"changes.0.value\" = { dist = \"normal\", sd = 1.5 }",
    ) + "\n[[changes]]\nfrom = \"2025-04\"\npath = \"costs.levels.a\"\nvalue = 24\n";
    let l = load(&text);
    let s = &l.scenario;
    let p = forcecast::engine::project(s);
    let got = costs::runs::percentiles(s, &opts(2000, 2))
        .unwrap()
        .unwrap();
    // Fiscal years are calendar years here: 2024 is before the change, no spread.
    assert_eq!(got[0].fiscal_year, Some(2024));
    assert!(got[0].sd <= 1e-9 * got[0].mean, "{:?}", got[0]);
    // FY2025's spread is its pay from April on: stock-weighted sum × 1.5.
    let ledger = costs::ledger(s, &p).unwrap();
    let weight: f64 = ledger
        .months
        .iter()
        .filter(|m| m.month.to_string().as_str() >= "2025-04")
        .map(|m| m.spend.pay / 24.0)
        .sum();
    let fy = got.iter().find(|r| r.fiscal_year == Some(2025)).unwrap();
    let se_sd = 1.5 * weight / (2.0 * 1999.0_f64).sqrt();
    assert!(
        (fy.sd - 1.5 * weight).abs() < 5.0 * se_sd,
        "{} vs {}",
        fy.sd,
        1.5 * weight
    );
}

#[test]
fn an_unknown_or_budget_cost_path_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    for (path, want) in [
        (
            "costs.levels.b",
            "bad.toml:30: uncertainty.costs.levels.b: no level 'b'",
        ),
        (
            "costs.inflows.hire",
            "no inflow 'hire' (did you mean 'hires'?)",
        ),
        ("costs.courses.school.per_trainee", "per_trainee_month"),
        ("costs.budget.2024", "a budget cannot be uncertain"),
    ] {
        let text = HAND.replace("\"costs.levels.a\"", &format!("\"{path}\""));
        let file = write(dir.path(), "bad.toml", &text);
        let out = forcecast()
            .args(["mc", file.to_str().unwrap(), "--runs", "10", "--out"])
            .arg(dir.path().join("out"))
            .assert()
            .code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(want), "{path}: {err}");
        assert!(!dir.path().join("out").exists(), "{path}: partial output");
    }
}

#[test]
fn with_process_noise_the_fast_engine_draws_the_costs_too() {
    // The scenario runs on the fast engine (no qualification); the cost
    // tally gets each run's drawn pay whichever engine runs it.
    let l = load(HAND);
    let s = &l.scenario;
    assert!(montecarlo::fast::supports(s).is_ok());
    let p = forcecast::engine::project(s);
    let want = CostSummary::new(s, &p).unwrap();
    let weight: f64 = costs::ledger(s, &p)
        .unwrap()
        .months
        .iter()
        .map(|m| m.spend.pay / 12.0)
        .sum();
    let noisy = |params: bool, threads: usize| {
        let mut o = opts(2000, threads);
        o.process_noise = true;
        o.parameter_uncertainty = params;
        costs::runs::percentiles(s, &o).unwrap().unwrap()
    };
    let with = noisy(true, 2);
    assert_eq!(with, noisy(true, 1));
    let all = with.last().unwrap();
    let se = all.sd / 2000f64.sqrt();
    assert!((all.mean - want.total).abs() < 4.0 * se, "{all:?}");
    // Pay drawn independently of the noise: the variances add (roughly:
    // the product of two spreads is small here).
    let noise_only = noisy(false, 2).last().unwrap().sd;
    let hand = (noise_only.powi(2) + (1.5 * weight).powi(2)).sqrt();
    assert!((all.sd / hand - 1.0).abs() < 0.1, "{} vs {hand}", all.sd);
}

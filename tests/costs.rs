//! Costs against hand computations (docs/model.md, "Costs"), their outputs,
//! and the errors a mistake in `[costs]` gives.

mod common;
use common::*;
use forcecast::costs::{self, CostSummary};

/// One level with no attrition, a course and a direct inflow: every cost
/// convention can be worked out by hand.
const HAND: &str = r#"
[scenario]
name = "hand"
start = "2024-01"
end = "2024-12"

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
budget = { 2024 = 2000 }
"#;

#[test]
fn every_convention_matches_the_hand_computation() {
    let l = load(HAND);
    let p = forcecast::engine::project(&l.scenario);
    let ledger = costs::ledger(&l.scenario, &p).unwrap();
    assert_eq!(ledger.months.len(), 12, "the initial state costs nothing");
    for (t, m) in ledger.months.iter().enumerate() {
        // End-of-month stock: 120, plus 5 hires a month, plus the 10
        // graduates at the end of March.
        let stock = 120.0 + 5.0 * (t as f64 + 1.0) + if t >= 2 { 10.0 } else { 0.0 };
        assert!(close(m.spend.pay, stock * 12.0 / 12.0, 1e-12), "{t}: pay");
        // The class runs January to March; graduation at the end of March
        // comes before the count, so January and February are charged.
        let trainees = if t < 2 { 10.0 } else { 0.0 };
        assert!(close(m.spend.training, trainees * 1.0, 1e-12), "{t}");
        assert_eq!(m.spend.classes, if t == 0 { 50.0 } else { 0.0 });
        assert!(close(m.spend.entrants, 5.0 * 2.0, 1e-12));
    }
    let s = CostSummary::new(&l.scenario, &p).unwrap();
    let pay: f64 = (0..12)
        .map(|t| 120.0 + 5.0 * (t as f64 + 1.0) + if t >= 2 { 10.0 } else { 0.0 })
        .sum();
    let want = pay + 20.0 + 50.0 + 120.0;
    assert!(close(s.total, want, 1e-12), "{} vs {want}", s.total);
    assert_eq!(s.fiscal_years.len(), 1);
    assert_eq!(
        s.fiscal_years[0].within_budget,
        Some(false),
        "{want} > 2000"
    );
    assert_eq!(s.over_budget, vec![2024]);
    assert!(close(s.added_people, 70.0, 1e-12));
    assert!(close(s.cost_per_added_person.unwrap(), want / 70.0, 1e-12));
}

#[test]
fn a_dated_change_of_a_cost_applies_from_its_month() {
    let text =
        format!("{HAND}\n[[changes]]\nfrom = \"2024-07\"\npath = \"costs.levels.a\"\nvalue = 24\n");
    let l = load(&text);
    let p = forcecast::engine::project(&l.scenario);
    let ledger = costs::ledger(&l.scenario, &p).unwrap();
    for (t, m) in ledger.months.iter().enumerate() {
        let stock = p.rows[t + 1].levels[0];
        let rate = if t >= 6 { 24.0 } else { 12.0 };
        assert!(close(m.spend.pay, stock * rate / 12.0, 1e-12), "{t}");
    }
}

#[test]
fn fiscal_years_split_the_months_and_sum_to_the_total() {
    let text = HAND
        .replace("end = \"2024-12\"", "end = \"2026-03\"")
        .replace(
            "name = \"hand\"",
            "name = \"hand\"\nfiscal_year_start_month = 4",
        );
    let l = load(&text);
    let p = forcecast::engine::project(&l.scenario);
    let s = CostSummary::new(&l.scenario, &p).unwrap();
    let months: Vec<u32> = s.fiscal_years.iter().map(|y| y.months).collect();
    assert_eq!(months, vec![3, 12, 12]);
    let years: f64 = s.fiscal_years.iter().map(|y| y.total).sum();
    assert!(close(years, s.total, 1e-12));
    assert_eq!(s.fiscal_years[0].budget, None, "FY2023 has no budget");
}

#[test]
fn monte_carlo_costs_without_noise_are_the_projection_costs() {
    let l = load(HAND);
    let p = forcecast::engine::project(&l.scenario);
    let want = CostSummary::new(&l.scenario, &p).unwrap();
    let mut opts = forcecast::montecarlo::Options::new(10, 3);
    opts.process_noise = false;
    let got = costs::runs::percentiles(&l.scenario, &opts)
        .unwrap()
        .unwrap();
    assert_eq!(got.len(), 2, "one fiscal year, then the horizon");
    for row in &got {
        for x in [row.mean, row.p5, row.p50, row.p95] {
            assert!(close(x, want.total, 1e-12), "{x} vs {}", want.total);
        }
    }
    assert_eq!(got[0].within_budget, Some(0.0));
}

#[test]
fn outputs_have_cost_columns_only_with_costs() {
    let dir = tempfile::tempdir().unwrap();
    let with = write(dir.path(), "with.toml", HAND);
    forcecast()
        .args(["run", with.to_str().unwrap(), "--out"])
        .arg(dir.path().join("out"))
        .args(["--format", "svg"])
        .assert()
        .success();
    let base = dir.path().join("out/hand");
    let csv = std::fs::read_to_string(base.join("projection.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",cost.total"));
    let costs_csv = std::fs::read_to_string(base.join("costs.csv")).unwrap();
    assert!(costs_csv.starts_with(
        "fiscal_year,months,pay,training,classes,entrants,total,budget,headroom\n2024,12,"
    ));
    let summary = std::fs::read_to_string(base.join("summary.json")).unwrap();
    assert!(summary.contains("\"cost_per_added_person\""));

    let without = HAND.split("[costs]").next().unwrap();
    let plain = write(dir.path(), "plain.toml", without);
    forcecast()
        .args(["run", plain.to_str().unwrap(), "--out"])
        .arg(dir.path().join("plain"))
        .args(["--format", "svg"])
        .assert()
        .success();
    let base = dir.path().join("plain/hand");
    assert!(!base.join("costs.csv").exists());
    let csv = std::fs::read_to_string(base.join("projection.csv")).unwrap();
    assert!(!csv.contains("cost."));
    let summary = std::fs::read_to_string(base.join("summary.json")).unwrap();
    assert!(!summary.contains("cost"));
}

#[test]
fn unknown_names_and_bad_figures_are_errors_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    for (bad, want) in [
        ("levels.b = 12", "bad.toml:24: costs.levels.b: no level 'b'"),
        (
            "courses.schol = { per_class = 5 }",
            "costs.courses.schol: no course 'schol' (did you mean 'school'?)",
        ),
        (
            "inflows.hire = 2",
            "costs.inflows.hire: no inflow 'hire' (did you mean 'hires'?)",
        ),
        ("levels.a = -1", "costs.levels.a: -1 is not allowed"),
        ("levels.a = 12\nbudget.24 = 5", "'24' is not a fiscal year"),
        ("per_person = 3", "unknown field `per_person`"),
    ] {
        let text = HAND
            .replace("levels.a = 12", bad)
            .replace("budget = { 2024 = 2000 }\n", "");
        let text = if bad.starts_with("levels.") {
            text
        } else {
            text.replace("[costs]\n", "[costs]\nlevels.a = 12\n")
        };
        let path = write(dir.path(), "bad.toml", &text);
        let out = forcecast()
            .args(["check", path.to_str().unwrap()])
            .assert()
            .code(2);
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(err.contains(want), "{bad}: {err}");
    }
}

#[test]
fn the_cost_chart_lays_out_cleanly_at_every_size() {
    use forcecast::plot::layout::{self, Recording};
    use forcecast::plot::{projection_charts, ChartOptions, ImageFormat};
    let loaded = forcecast::config::load(
        Some(std::path::Path::new("configs/costs/baseline_costs.toml")),
        &["costs.budget.2024=20000".to_string()],
    )
    .unwrap();
    let p = forcecast::engine::project(&loaded.scenario);
    let summary = forcecast::summary::Summary::new(&loaded, &p);
    let mut problems = Vec::new();
    for (width, height) in [(400, 400), (800, 450), (1600, 900), (3840, 2160)] {
        let opts = ChartOptions {
            format: ImageFormat::Layout,
            width,
            height,
        };
        let files = projection_charts(&loaded, &p, &summary, &opts).unwrap();
        let f = files
            .iter()
            .find(|f| f.name.starts_with("costs."))
            .expect("a cost chart with [costs]");
        let rec: Recording = serde_json::from_slice(&f.bytes).unwrap();
        problems.extend(
            layout::check(&rec)
                .into_iter()
                .map(|p| format!("{width}x{height}: {p}")),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

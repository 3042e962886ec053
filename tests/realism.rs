//! Issue 13, model realism, against hand-computed cases (docs/model.md):
//! time in post for people placed at once, policy changes from a date.

mod common;

use common::*;
use forcecast::engine::{project, MonthRates};
use forcecast::montecarlo::{self, Options};
use forcecast::month::Month;
use forcecast::output::Exporter;
use forcecast::params::Param;

const HEAD: &str = r#"
[scenario]
name = "t"
start = "2024-01"
end = "2026-12"
"#;

/// Monthly probability of an annual rate.
fn monthly(a: f64) -> f64 {
    1.0 - (1.0 - a).powf(1.0 / 12.0)
}

fn two_levels(tenure: &str) -> String {
    format!(
        "{HEAD}\n[levels.a]\ninitial = 1000\nattrition = 0.0\n{tenure}\npromotion = {{ to = \"b\", rate = 0.5, after_months = 6 }}\n\
         [levels.b]\ninitial = 0\nattrition = 0.0\n"
    )
}

#[test]
fn tenure_delays_the_first_promotion_exactly() {
    let q = monthly(0.5);
    // Tenure n: month k starts with n + k - 1 months in level, so the first
    // month with at least 6 is k = 7 - n.
    for (n, first) in [(0u32, 7usize), (2, 5), (5, 2), (6, 1), (40, 1)] {
        let p = run(&two_levels(&format!("initial_tenure = {n}")));
        for t in 0..=30usize {
            let promoted_months = (t + 1).saturating_sub(first) as i32;
            let want = 1000.0 * (1.0 - q).powi(promoted_months);
            let got = p.rows[t].levels[0];
            assert!(
                close(got, want, 1e-12),
                "tenure {n}, month {t}: {got} vs {want}"
            );
        }
        // Nobody is promoted before the first eligible month, some are in it.
        assert_eq!(p.rows[first - 1].flows.promotions, 0.0);
        assert!(p.rows[first].flows.promotions > 0.0);
    }
    // The default is the earlier rule: eligible at once.
    let default = run(&two_levels(""));
    let six = run(&two_levels("initial_tenure = 6"));
    assert_eq!(default.rows, six.rows);
}

#[test]
fn tenure_shares_split_the_stock_by_month_of_service() {
    // Shares [1, 0, 3] (normalised to 1/4, 0, 3/4) with after_months 6:
    // 250 first eligible in month 7, 750 in month 5.
    let p = run(&two_levels("initial_tenure = [1, 0, 3]"));
    let q = monthly(0.5);
    for t in 0..=30usize {
        let k = |first: usize| (1.0 - q).powi((t + 1).saturating_sub(first) as i32);
        let want = 250.0 * k(7) + 750.0 * k(5);
        assert!(close(p.rows[t].levels[0], want, 1e-12), "month {t}");
    }
    check_identities(&p.rows);
}

#[test]
fn an_event_addition_keeps_its_tenure() {
    // 100 added at the end of 2024-03 with tenure 4 have 4 months in level
    // at the start of 2024-04, so the first month they may be promoted is
    // the one starting with 6: 2024-06 (row 6). The initial stock has none.
    let text = format!(
        "{HEAD}\n[levels.a]\ninitial = 0\nattrition = 0.0\npromotion = {{ to = \"b\", rate = 0.5, after_months = 6 }}\n\
         [levels.b]\ninitial = 0\nattrition = 0.0\n\
         [[events]]\ndate = \"2024-03\"\nlevel = \"a\"\nchange = 100\ntenure = 4\n"
    );
    let p = run(&text);
    let q = monthly(0.5);
    for t in 3..=30usize {
        let want = 100.0 * (1.0 - q).powi((t + 1).saturating_sub(6) as i32);
        assert!(close(p.rows[t].levels[0], want, 1e-12), "month {t}");
    }
    assert_eq!(p.rows[5].flows.promotions, 0.0);
    assert!(p.rows[6].flows.promotions > 0.0);
}

fn opts(runs: u64, seed: u64) -> Options {
    Options {
        runs,
        seed,
        threads: Some(2),
        process_noise: true,
        parameter_uncertainty: true,
    }
}

/// The Monte Carlo mean is the projection within 4 standard errors, level by level.
fn mc_mean_is_projection(text: &str) {
    let loaded = load(text);
    let s = &loaded.scenario;
    let det = project(s);
    let stats = montecarlo::run(s, &opts(2000, 3), None).unwrap();
    for (r, row) in det.rows.iter().enumerate() {
        for (l, &x) in row.levels.iter().enumerate() {
            let (m, v) = stats.levels[l][r].mean_variance().unwrap();
            let se = (v / stats.runs as f64).sqrt();
            assert!(
                (m - x).abs() <= 4.0 * se + 1e-9,
                "{} level {l}: MC mean {m} vs {x} (se {se})",
                row.month
            );
        }
    }
}

#[test]
fn whole_people_with_tenure_shares_and_changes_average_to_the_projection() {
    let text = format!(
        "{HEAD}\n[levels.a]\ninitial = 301\nattrition = 0.1\ninitial_tenure = [1, 1, 1, 0, 2, 5]\n\
         promotion = {{ to = \"b\", rate = 0.6, after_months = 5 }}\n\
         [levels.b]\ninitial = 0\nattrition = 0.05\n\
         [[events]]\ndate = \"2024-04\"\nlevel = \"a\"\nchange = 77\ntenure = [2, 0, 0, 1]\n\
         [[changes]]\nfrom = \"2025-01\"\npath = \"levels.a.promotion.rate\"\nvalue = 0.2\n\
         [[changes]]\nfrom = \"2025-07\"\npath = \"levels.b.attrition\"\nvalue = 0.3\n"
    );
    mc_mean_is_projection(&text);
}

const CHANGE: &str = r#"
[levels.a]
initial = 1000
attrition = 0.1

[inflows.hires]
level = "a"
per_year = 120

[[changes]]
from = "2025-01"
path = "levels.a.attrition"
value = 0.2
note = "pay falls behind"
"#;

#[test]
fn a_change_doubles_attrition_from_month_13_and_the_closed_form_holds_on_both_sides() {
    // N(t) = N0 s^t + r (1 - s^t) / m with s = 1 - m: m from 0.1 in months
    // 1..12, from 0.2 from month 13 on, N0 = N(12) for the second side.
    let p = run(&format!("{HEAD}{CHANGE}"));
    let r = 10.0;
    let side = |n0: f64, a: f64, t: i32| {
        let m = monthly(a);
        let s = 1.0 - m;
        n0 * s.powi(t) + r * (1.0 - s.powi(t)) / m
    };
    for t in 0..=12 {
        let want = side(1000.0, 0.1, t);
        assert!(close(p.rows[t as usize].total, want, 1e-12), "month {t}");
    }
    let n12 = side(1000.0, 0.1, 12);
    for t in 12..=36 {
        let want = side(n12, 0.2, t - 12);
        assert!(close(p.rows[t as usize].total, want, 1e-12), "month {t}");
    }
    check_identities(&p.rows);
}

#[test]
fn a_later_change_of_the_same_path_replaces_an_earlier_one() {
    let text = format!(
        "{HEAD}{CHANGE}\n[[changes]]\nfrom = \"2026-01\"\npath = \"levels.a.attrition\"\nvalue = 0.1\n"
    );
    let s = load(&text).scenario;
    let m = |y, mo| MonthRates::new(&s, Month::new(y, mo).unwrap()).leave(0);
    assert!(close(m(2024, 12), monthly(0.1), 1e-15));
    assert!(close(m(2025, 1), monthly(0.2), 1e-15));
    assert!(close(m(2025, 12), monthly(0.2), 1e-15));
    assert!(close(m(2026, 1), monthly(0.1), 1e-15));
}

#[test]
fn seats_and_inflow_volumes_change_from_a_date() {
    let text = format!(
        "{HEAD}\n[levels.a]\ninitial = 0\nattrition = 0.0\n\
         [courses.school]\ngraduates_to = \"a\"\nlength_months = 1\nseats_per_class = 10\nclass_starts = [1,2,3,4,5,6,7,8,9,10,11,12]\ninitial_queue = 1000\n\
         [inflows.hires]\nlevel = \"a\"\nper_year = 12\n\
         [[changes]]\nfrom = \"2024-07\"\npath = \"courses.school.seats_per_class\"\nvalue = 30\n\
         [[changes]]\nfrom = \"2025-01\"\npath = \"inflows.hires.per_year\"\nvalue = 120\n"
    );
    let p = project(&load(&text).scenario);
    for (t, row) in p.rows.iter().enumerate().skip(1) {
        let seats = if t >= 7 { 30.0 } else { 10.0 };
        assert_eq!(row.flows.started, seats, "month {t}");
        let hires = if t >= 13 { 10.0 } else { 1.0 };
        assert!(close(row.flows.lateral, hires, 1e-12), "month {t}");
    }
}

#[test]
fn a_change_value_is_a_lever_and_can_be_uncertain() {
    let s = load(&format!("{HEAD}{CHANGE}")).scenario;
    let p = Param::parse(&s, "changes.0.value").unwrap();
    assert_eq!(p.get(&s), 0.2);
    assert!(Param::all(&s).contains(&p));
    let mut t = s.clone();
    p.set(&mut t, 0.1);
    // Back to the unchanged rate: the projection is that of no change.
    let flat = load(&format!(
        "{HEAD}{}",
        CHANGE.split("[[changes]]").next().unwrap()
    ))
    .scenario;
    assert_eq!(project(&t).rows, project(&flat).rows);
    // Clamped into the changed parameter's own range (attrition < 1).
    p.set(&mut t, 5.0);
    assert!(p.get(&t) < 1.0);
    // `--set` reaches it, and so does `[uncertainty]`.
    let set = forcecast::config::load_str(
        "t.toml",
        &format!("{HEAD}{CHANGE}"),
        &["changes.0.value=0.3".to_string()],
    )
    .unwrap();
    assert_eq!(set.scenario.changes[0].value, 0.3);
    let u = load(&format!(
        "{HEAD}{CHANGE}\n[uncertainty]\n\"changes.0.value\" = {{ dist = \"beta\", sd = 0.05 }}\n"
    ));
    assert_eq!(u.scenario.uncertainty.len(), 1);
}

/// The errors of a config, one string each.
fn errors(text: &str) -> Vec<String> {
    match forcecast::config::load_str("bad.toml", text, &[]) {
        Ok(_) => panic!("the config should not load:\n{text}"),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

fn one_error(text: &str, needles: &[&str]) {
    let errs = errors(text);
    assert_eq!(
        errs.len(),
        1,
        "one mistake, one error; got:\n{}",
        errs.join("\n")
    );
    for n in needles {
        assert!(errs[0].contains(n), "expected {n:?} in:\n{}", errs[0]);
    }
}

#[test]
fn bad_tenures_and_changes_are_one_error_at_their_line() {
    let base = format!("{HEAD}{CHANGE}");
    let with = |from: &str, to: &str| {
        assert!(base.contains(from));
        base.replacen(from, to, 1)
    };
    one_error(
        &with(
            "attrition = 0.1\n",
            "attrition = 0.1\ninitial_tenure = -3\n",
        ),
        &[
            "bad.toml:",
            "levels.a.initial_tenure",
            "whole number of months",
        ],
    );
    one_error(
        &with(
            "attrition = 0.1\n",
            "attrition = 0.1\ninitial_tenure = [0, 0]\n",
        ),
        &["levels.a.initial_tenure", "sum to 0"],
    );
    one_error(
        &with(
            "attrition = 0.1\n",
            "attrition = 0.1\ninitial_tenure = \"long\"\n",
        ),
        &["levels.a.initial_tenure", "list of shares"],
    );
    one_error(
        &with("levels.a.attrition\"", "levels.a.initial\""),
        &[
            "bad.toml:17:",
            "changes[0].path",
            "cannot change from a date",
            "levels.NAME.attrition",
        ],
    );
    one_error(
        &with("levels.a.attrition\"", "levels.a.atrition\""),
        &["changes[0].path", "did you mean", "a change may set"],
    );
    one_error(
        &with("value = 0.2", "value = 1.5"),
        &["changes[0].value", "[0, 1)"],
    );
    one_error(
        &with("from = \"2025-01\"", "from = \"2030-01\""),
        &["changes[0].from", "outside the simulated horizon"],
    );
    one_error(
        &format!(
            "{base}\n[[changes]]\nfrom = \"2025-01\"\npath = \"levels.a.attrition\"\nvalue = 0.3\n"
        ),
        &["changes[1].from", "changes.0 already changes"],
    );
    one_error(
        &format!(
            "{base}\n[[events]]\ndate = \"2025-01\"\nlevel = \"a\"\nchange = -5\ntenure = 3\n"
        ),
        &["events[0].tenure", "only an addition"],
    );
    one_error(
        &with("note = \"pay falls behind\"", "note = \"x\"\nwhen = 3"),
        &["changes[0]", "unknown field `when`"],
    );
}

fn vacancy(a_initial: u32, rate: &str) -> String {
    format!(
        "{HEAD}\n[levels.a]\ninitial = {a_initial}\nattrition = 0.0\n\
         promotion = {{ to = \"b\", mode = \"vacancy\"{rate} }}\n\
         [levels.b]\ninitial = 80\nattrition = 0.12\nauthorised = 100\n"
    )
}

#[test]
fn a_vacancy_promotion_refills_the_level_every_month_while_eligible_people_last() {
    let m = monthly(0.12);
    let p = run(&vacancy(30, ""));
    // Month 1: b keeps 80 (1 - m) and gets the rest of its 100 posts from a.
    let first = 100.0 - 80.0 * (1.0 - m);
    assert!(close(p.rows[1].levels[1], 100.0, 1e-12));
    assert!(close(p.rows[1].levels[0], 30.0 - first, 1e-12));
    // Then each month b loses 100 m and a replaces them, while a has them.
    let mut a = 30.0 - first;
    let mut b = 100.0;
    let mut ran_out = false;
    for t in 2..=36 {
        let after = b * (1.0 - m);
        let up = (100.0 - after).min(a);
        a -= up;
        b = after + up;
        if b < 100.0 - 1e-9 {
            ran_out = true;
        } else {
            assert!(close(p.rows[t].levels[1], 100.0, 1e-12), "month {t}");
        }
        assert!(close(p.rows[t].levels[0], a, 1e-9), "a in month {t}");
        assert!(close(p.rows[t].levels[1], b, 1e-9), "b in month {t}");
    }
    assert!(ran_out, "the test should reach the month a runs out");
    check_identities(&p.rows);
    // A rate bounds the monthly share promoted: 10 %/yr of 30 cannot fill 20.8.
    let q = monthly(0.1);
    let p = run(&vacancy(30, ", rate = 0.1"));
    assert!(close(p.rows[1].flows.promotions, 30.0 * q, 1e-12));
}

#[test]
fn vacancies_are_filled_top_down_in_the_same_month() {
    // Files list junior first; a vacancy at the top is filled from the
    // middle and the middle's from the bottom in the same month.
    let text = format!(
        "{HEAD}\n[levels.a]\ninitial = 500\nattrition = 0.0\npromotion = {{ to = \"b\", mode = \"vacancy\" }}\n\
         [levels.b]\ninitial = 50\nattrition = 0.2\nauthorised = 50\npromotion = {{ to = \"c\", mode = \"vacancy\" }}\n\
         [levels.c]\ninitial = 5\nattrition = 0.3\nauthorised = 10\n"
    );
    let p = run(&text);
    for t in 1..=36 {
        assert!(close(p.rows[t].levels[2], 10.0, 1e-12), "c in month {t}");
        assert!(close(p.rows[t].levels[1], 50.0, 1e-12), "b in month {t}");
    }
    check_identities(&p.rows);
}

#[test]
fn whole_people_fill_the_posts_exactly_in_every_run() {
    let loaded = load(&vacancy(1000, ""));
    let stats = montecarlo::run(&loaded.scenario, &opts(300, 5), None).unwrap();
    for r in 1..stats.levels[1].len() {
        let (mean, var) = stats.levels[1][r].mean_variance().unwrap();
        assert_eq!((mean, var), (100.0, 0.0), "row {r}");
    }
}

#[test]
fn projection_csv_has_authorised_vacancies_and_fill() {
    let text = format!(
        "{}authorised_by_fiscal_year = {{ 2025 = 120 }}\n",
        vacancy(30, "")
    );
    let loaded = load(&text);
    let p = project(&loaded.scenario);
    let t = forcecast::commands::run::projection_table(&loaded.scenario, &p);
    let csv = String::from_utf8(forcecast::output::csv::Csv.serialize(&t).unwrap()).unwrap();
    let head: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |n: &str| head.iter().position(|h| *h == n).unwrap();
    let (a, v, f) = (col("authorised.b"), col("vacancies.b"), col("fill.b"));
    let row = |i: usize| -> Vec<f64> {
        csv.lines()
            .nth(i + 1)
            .unwrap()
            .split(',')
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect()
    };
    // Initial state: 80 of 100 posts.
    assert_eq!((row(0)[a], row(0)[v], row(0)[f]), (100.0, 20.0, 0.8));
    // FY2025 (calendar years here) has 120 posts.
    let jan25 = 13;
    assert_eq!(row(jan25)[a], 120.0);
    let stock = p.rows[jan25].levels[1];
    assert!(close(row(jan25)[v], 120.0 - stock, 1e-12));
    assert!(close(row(jan25)[f], stock / 120.0, 1e-12));
}

#[test]
fn bad_vacancy_promotions_and_posts_are_one_error_each() {
    let base = vacancy(30, "");
    let with = |from: &str, to: &str| {
        assert!(base.contains(from), "{from}");
        base.replacen(from, to, 1)
    };
    one_error(
        &with("authorised = 100\n", ""),
        &["levels.a.promotion.mode", "give level 'b' `authorised`"],
    );
    one_error(
        &with("mode = \"vacancy\"", "mode = \"vacancies\""),
        &["levels.a.promotion.mode", "did you mean", "push", "vacancy"],
    );
    one_error(
        &with("mode = \"vacancy\"", "mode = \"push\""),
        &["levels.a.promotion.rate", "required for a push promotion"],
    );
    one_error(
        &with(
            "authorised = 100\n",
            "authorised_by_fiscal_year = { 2025 = 90 }\nauthorised = 100.5\n",
        ),
        &["levels.b.authorised", "whole number"],
    );
    one_error(
        &with(
            "authorised = 100\n",
            "authorised = 100\nauthorised_by_fiscal_year = { FY25 = 90 }\n",
        ),
        &["authorised_by_fiscal_year.FY25", "not a fiscal year"],
    );
    one_error(
        &format!("{HEAD}\n[levels.b]\ninitial = 80\nattrition = 0.1\nauthorised_by_fiscal_year = {{ 2025 = 90 }}\n"),
        &["levels.b.authorised_by_fiscal_year", "give `authorised` too"],
    );
}

#[test]
fn converted_published_shares_reproduce_themselves_through_the_engine() {
    use forcecast::analysis::rates_from_split;
    for (stayed, promoted, left) in [(0.463, 0.452, 0.086), (0.8, 0.05, 0.15), (0.3, 0.0, 0.7)] {
        let (a, r) = rates_from_split(stayed, promoted, left).unwrap();
        let sum = stayed + promoted + left;
        // 10,000 eligible people in a level; the level above keeps everyone.
        let text = format!(
            "{HEAD}\n[levels.a]\ninitial = 10000\nattrition = {a:?}\npromotion = {{ to = \"b\", rate = {r:?} }}\n\
             [levels.b]\ninitial = 0\nattrition = 0.0\n"
        );
        let p = run(&text);
        let year = &p.rows[12];
        assert!(close(year.levels[0] / 1e4, stayed / sum, 1e-12), "stayed");
        assert!(
            close(year.levels[1] / 1e4, promoted / sum, 1e-12),
            "promoted"
        );
        assert!(close(1.0 - year.total / 1e4, left / sum, 1e-12), "left");
        // And analyze's yearly split says the same.
        let s = load(&text).scenario;
        let split = forcecast::analysis::yearly_split(&MonthRates::new(&s, s.start), 0);
        assert!(close(split.stayed, stayed / sum, 1e-12));
        assert!(close(split.promoted, promoted / sum, 1e-12));
        assert!(close(split.left, left / sum, 1e-12));
    }
    // The shares quoted in issue 13, entered directly as rates, give 50.1/43.3/6.7.
    let s = load(&format!(
        "{HEAD}\n[levels.a]\ninitial = 1\nattrition = 0.086\npromotion = {{ to = \"b\", rate = 0.452 }}\n[levels.b]\ninitial = 0\nattrition = 0.0\n"
    ))
    .scenario;
    let naive = forcecast::analysis::yearly_split(&MonthRates::new(&s, s.start), 0);
    assert_eq!(
        [naive.stayed, naive.promoted, naive.left].map(|x| (x * 1000.0).round() / 10.0),
        [50.1, 43.3, 6.7]
    );
    assert!(rates_from_split(0.0, 0.5, 0.5).is_err());
}

#[test]
fn analyze_reports_the_yearly_split_and_treats_vacancy_promotion_at_the_projected_fill() {
    use forcecast::analysis;
    let loaded = load(&vacancy(1000, ""));
    let s = &loaded.scenario;
    let p = project(s);
    let last = p.final_row();
    let m = analysis::analyze(s, s.end, (last.month, &last.levels)).unwrap();
    assert_eq!(m.vacancy_promotions.len(), 1);
    let v = &m.vacancy_promotions[0];
    // b is full, so a fills b's monthly losses: 100 m of the people a had
    // at the start of the last month (no attrition in a: all eligible).
    let before = &p.rows[p.rows.len() - 2];
    let share = 100.0 * monthly(0.12) / before.levels[0];
    assert!(
        close(v.monthly_share, share, 1e-9),
        "{} vs {share}",
        v.monthly_share
    );
    assert_eq!(v.monthly_bound, 1.0);
    assert!(m.assumptions.iter().any(|a| a.contains("state-dependent")));
    let split = m.yearly_split["a"];
    assert!(close(split.stayed, (1.0 - share).powi(12), 1e-9));
    assert!(close(
        split.stayed + split.promoted + split.left,
        1.0,
        1e-12
    ));
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains("\"yearly_split\"") && json.contains("\"vacancy_promotions\""));
}

#[test]
fn the_rates_command_prints_the_rates_and_the_check() {
    let out = assert_cmd::Command::cargo_bin("forcecast")
        .unwrap()
        .args([
            "rates",
            "--stayed",
            "46.3",
            "--promoted",
            "45.2",
            "--left",
            "8.6",
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("attrition = 0.113"), "{text}");
    assert!(
        text.contains("yearly split is stayed 46.3%, promoted 45.2%, left 8.6%"),
        "{text}"
    );
    assert_cmd::Command::cargo_bin("forcecast")
        .unwrap()
        .args(["rates", "--stayed", "0", "--promoted", "1", "--left", "1"])
        .assert()
        .code(2);
}

//! Goal seeking, sensitivity and sweeps against closed forms and invariants:
//! the solved inflow matches the one-level closed form, a probability
//! requirement never asks for less than the expected values do, a dominant
//! parameter ranks first, sweeps of monotone levers are monotone, outputs do
//! not depend on the number of threads, and bad flags are usage errors.

mod common;
use assert_cmd::Command;
use common::*;
use forcecast::goal::solve::{solve, Direction, Question};
use forcecast::goal::{self, MonteCarlo};
use forcecast::montecarlo;
use forcecast::params::Param;
use indicatif::ProgressBar;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

/// One level, constant arrivals, one milestone 60 months after the initial state.
const ONE_LEVEL: &str = r#"
[scenario]
name = "one"
start = "2024-01"
end = "2028-12"
seed = 7

[target]
milestones = [{ date = "2028-12", headcount = 1500 }]

[levels.a]
initial = 500
attrition = 0.2

[inflows.hires]
level = "a"
per_year = 120
"#;

fn question(s: &forcecast::scenario::Scenario, path: &str, p: Option<f64>) -> Question {
    let param = Param::parse(s, path).unwrap();
    let (lo, hi) = goal::default_range(param, param.get(s));
    Question {
        param,
        goal: goal::pick_goal(s, None).unwrap(),
        lo,
        hi,
        probability: p.map(|p| (p, MonteCarlo::new(200, s.seed))),
    }
}

/// `text` with the level's attrition and the arrivals drawn once per run.
/// Attrition (a beta, whose draw uses a varying count of random numbers)
/// comes first, so a later entry's draws stay put only if every entry has
/// its own place in the run's stream.
fn uncertain(text: &str) -> String {
    format!(
        "{text}\n[uncertainty]\n{}\n{}\n",
        r#""levels.a.attrition" = { dist = "beta", sd = 0.04 }"#,
        r#""inflows.hires.per_year" = { dist = "lognormal", sd = 15 }"#,
    )
}

/// `N(T) = N0 s^T + r (1 - s^T) / m` solved for the yearly inflow `12 r`.
fn closed_form_per_year(n0: f64, annual: f64, months: i32, target: f64) -> f64 {
    let m = 1.0 - (1.0 - annual).powf(1.0 / 12.0);
    let s = 1.0 - m;
    let st = s.powi(months);
    12.0 * (target - n0 * st) * m / (1.0 - st)
}

#[test]
fn solve_matches_the_one_level_closed_form() {
    let l = load(ONE_LEVEL);
    let q = question(&l.scenario, "inflows.hires.per_year", None);
    let sol = solve(&l.scenario, &q, &ProgressBar::hidden()).unwrap();
    let want = closed_form_per_year(500.0, 0.2, 60, 1500.0);
    let got = sol.value().expect("reachable");
    assert_eq!(sol.direction, Direction::Increase);
    assert!(sol.monotone);
    assert!(close(got, want, 0.005), "solved {got}, closed form {want}");
    // Much tighter than the required 0.5%: the bisection tolerance is 1e-6.
    assert!(close(got, want, 1e-5), "solved {got}, closed form {want}");
    assert!(sol.deterministic_total.unwrap() >= 1500.0);
}

#[test]
fn solve_for_an_earlier_milestone_and_other_targets() {
    for (target, date, months) in [(900.0, "2026-12", 36), (2500.0, "2028-12", 60)] {
        let mut list = format!(r#"{{ date = "{date}", headcount = {target} }}"#);
        if date != "2028-12" {
            list.push_str(r#", { date = "2028-12", headcount = 1 }"#);
        }
        let text = ONE_LEVEL.replace(
            r#"milestones = [{ date = "2028-12", headcount = 1500 }]"#,
            &format!("milestones = [{list}]"),
        );
        let l = load(&text);
        let s = &l.scenario;
        let mut q = question(s, "inflows.hires.per_year", None);
        q.goal = goal::pick_goal(s, Some(date)).unwrap();
        let got = solve(s, &q, &ProgressBar::hidden())
            .unwrap()
            .value()
            .unwrap();
        let want = closed_form_per_year(500.0, 0.2, months, target);
        assert!(
            close(got, want, 1e-5),
            "{date}: solved {got}, closed form {want}"
        );
    }
}

#[test]
fn attrition_is_solved_as_the_highest_rate_still_meeting() {
    // Arrivals of 400 a year: the closed form at attrition a falls as a
    // rises; the answer is the a where it equals 1,500.
    let l = load(&ONE_LEVEL.replace("per_year = 120", "per_year = 400"));
    let s = &l.scenario;
    let q = question(s, "levels.a.attrition", None);
    let sol = solve(s, &q, &ProgressBar::hidden()).unwrap();
    assert_eq!(sol.direction, Direction::Decrease);
    let a = sol.value().unwrap();
    let total = |a: f64| {
        let m = 1.0 - (1.0 - a).powf(1.0 / 12.0);
        let st = (1.0 - m).powi(60);
        500.0 * st + 400.0 / 12.0 * (1.0 - st) / m
    };
    assert!(total(a) >= 1500.0 - 1e-9, "total at {a} is {}", total(a));
    assert!(
        total(a * (1.0 + 1e-5)) < 1500.0,
        "{a} is not the highest rate"
    );
}

#[test]
fn whole_number_levers_give_whole_numbers() {
    // A school whose seats bind: every recruit waits for a seat.
    let text = r#"
[scenario]
name = "school"
start = "2024-01"
end = "2026-12"

[target]
milestones = [{ date = "2026-12", headcount = 400 }]

[levels.a]
initial = 100
attrition = 0.1

[courses.school]
graduates_to = "a"
length_months = 3
seats_per_class = 20
class_starts = [1, 4, 7, 10]
washout = 0.1

[inflows.recruits]
course = "school"
per_year = 600
"#;
    let l = load(text);
    let s = &l.scenario;
    let q = question(s, "courses.school.seats_per_class", None);
    let sol = solve(s, &q, &ProgressBar::hidden()).unwrap();
    let v = sol.value().expect("reachable");
    assert_eq!(v.fract(), 0.0, "{v}");
    let param = q.param;
    let at = |v: f64| goal::outcome(&goal::with(s, param, v), &q.goal).at_goal;
    assert!(at(v) >= 400.0);
    assert!(at(v - 1.0) < 400.0, "{} seats would do", v - 1.0);
}

#[test]
fn unreachable_and_ineffective_levers_are_answers_not_errors() {
    let l = load(ONE_LEVEL);
    let s = &l.scenario;
    let mut q = question(s, "inflows.hires.per_year", None);
    q.hi = 200.0;
    let sol = solve(s, &q, &ProgressBar::hidden()).unwrap();
    assert_eq!(sol.value(), None);
    assert_eq!(sol.best.value, 200.0);
    // A course nobody uses cannot help.
    let text = format!(
        "{ONE_LEVEL}\n[courses.idle]\ngraduates_to = \"a\"\nlength_months = 2\nseats_per_class = 5\nclass_starts = [1]\n"
    );
    let l = load(&text);
    let q = question(&l.scenario, "courses.idle.seats_per_class", None);
    let sol = solve(&l.scenario, &q, &ProgressBar::hidden()).unwrap();
    assert_eq!(sol.direction, Direction::None);
    assert_eq!(sol.value(), None);
}

#[test]
fn a_probability_requirement_asks_at_least_the_expected_value_answer() {
    let l = load(ONE_LEVEL);
    let s = &l.scenario;
    let q = question(s, "inflows.hires.per_year", Some(0.9));
    let sol = solve(s, &q, &ProgressBar::hidden()).unwrap();
    let det = sol.deterministic.unwrap();
    let pa = sol.probabilistic.as_ref().unwrap();
    let v = pa.value.expect("reachable");
    assert!(v >= det, "P=0.9 answer {v} below the deterministic {det}");
    let achieved = pa.achieved.unwrap();
    assert!(achieved >= 0.9, "{achieved}");
    // The answer is recomputable from the same seed and streams.
    let mc = q.probability.unwrap().1;
    let again = montecarlo::milestone_probability(
        &goal::with(s, q.param, v),
        q.goal.date,
        q.goal.headcount,
        &mc,
    )
    .unwrap();
    assert_eq!(again, achieved);
    // Just below the answer (by more than the tolerance) fewer runs meet it.
    let below = montecarlo::milestone_probability(
        &goal::with(s, q.param, v * (1.0 - 2e-3)),
        q.goal.date,
        q.goal.headcount,
        &mc,
    )
    .unwrap();
    assert!(below < 0.9, "{below} at {}", v * (1.0 - 2e-3));
}

#[test]
fn probabilities_do_not_depend_on_the_thread_count() {
    let l = load(ONE_LEVEL);
    let s = &l.scenario;
    let q = question(s, "inflows.hires.per_year", Some(0.8));
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| solve(s, &q, &ProgressBar::hidden()).unwrap())
    };
    assert_eq!(run(1), run(3));
}

#[test]
fn sensitivity_ranks_a_dominant_parameter_first() {
    // `big` brings 50 times the people of `small`; the level's stock is small.
    let text = r#"
[scenario]
name = "dominant"
start = "2024-01"
end = "2027-12"

[levels.a]
initial = 50
attrition = 0.1

[levels.b]
initial = 20
attrition = 0.3

[inflows.big]
level = "a"
per_year = 1000
achievement = 0.5

[inflows.small]
level = "b"
per_year = 20
"#;
    let l = load(text);
    let s = &l.scenario;
    let g = goal::Goal {
        date: s.end,
        headcount: f64::NAN,
        label: None,
    };
    let sens = goal::sensitivity::sensitivity(
        s,
        &Param::all(s),
        &g,
        goal::Metric::FinalTotal,
        0.2,
        &MonteCarlo::new(1, 1),
        &ProgressBar::hidden(),
    )
    .unwrap();
    assert_eq!(sens.rows[0].path, "inflows.big.per_year");
    // achievement moves the same flow by the same ±20%: equal swing, config order.
    assert_eq!(sens.rows[1].path, "inflows.big.achievement");
    assert!(close(sens.rows[0].swing, sens.rows[1].swing, 1e-12));
    for w in sens.rows.windows(2) {
        assert!(w[0].swing >= w[1].swing);
    }
    let r = &sens.rows[0];
    assert_eq!((r.low, r.high), (800.0, 1200.0));
    assert!(r.metric_high > sens.baseline && sens.baseline > r.metric_low);
    // Clamping: an achievement of 1 cannot go above 1.
    let small = sens
        .rows
        .iter()
        .find(|r| r.path == "inflows.small.achievement")
        .unwrap();
    assert_eq!((small.low, small.high), (0.8, 1.0));
}

#[test]
fn sweeps_of_monotone_levers_are_monotone() {
    let l = load(ONE_LEVEL);
    let s = &l.scenario;
    let x = goal::parse_axis(s, "--x", "inflows.hires.per_year=50:400:9").unwrap();
    let y = goal::parse_axis(s, "--y", "levels.a.attrition=0.05:0.4:8").unwrap();
    let g = goal::pick_goal(s, None).unwrap();
    let sw = goal::sweep::sweep(
        s,
        &x,
        &y,
        &g,
        goal::Metric::FinalTotal,
        &MonteCarlo::new(1, 1),
        &ProgressBar::hidden(),
    )
    .unwrap();
    for i in 0..9 {
        for j in 0..8 {
            if i > 0 {
                assert!(
                    sw.values[i][j] > sw.values[i - 1][j],
                    "more hires, fewer people"
                );
            }
            if j > 0 {
                assert!(
                    sw.values[i][j] < sw.values[i][j - 1],
                    "more attrition, more people"
                );
            }
            // The margin is the same projection's total minus the milestone.
            assert!(close(sw.margin[i][j] + 1500.0, sw.values[i][j], 1e-12));
        }
    }
    // The contour crosses where the closed form says 1,500 is just met. The
    // total is linear in hires, so on a row of the grid (y fixed) the
    // interpolated crossing is the closed form itself; between rows it lies
    // in the cell whose corners straddle it.
    let segs = forcecast::plot::charts::heatmap::contour(&sw);
    let ends: Vec<(f64, f64)> = segs.iter().flat_map(|s| s.iter().copied()).collect();
    let ys = &y.values;
    let dy = ys[1] - ys[0];
    let mut on_rows = 0;
    for &a in ys {
        let want = closed_form_per_year(500.0, a, 60, 1500.0);
        if (50.0..=400.0).contains(&want) {
            assert!(
                ends.iter()
                    .any(|&(px, py)| py == a && (px - want).abs() < 1e-6 * want),
                "no contour point at attrition {a}, hires {want}: {ends:?}"
            );
            on_rows += 1;
        }
    }
    assert!(
        on_rows >= 2,
        "the test grid should cross the target on several rows"
    );
    for &(px, py) in &ends {
        // The attrition at which `px` hires just meet 1,500 (bisection on the
        // closed form, which rises with attrition).
        let (mut lo, mut hi) = (0.0, 0.99);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if closed_form_per_year(500.0, mid, 60, 1500.0) < px {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assert!(
            (py - lo).abs() < dy,
            "contour point ({px}, {py}) is more than a cell from the crossing at {lo}"
        );
    }
}

// ---- the command line ----

fn forcecast() -> Command {
    Command::cargo_bin("forcecast").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn solve_writes_json_and_chart_and_prints_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "one.toml", ONE_LEVEL);
    let out = tmp.path().join("out");
    forcecast()
        .arg("solve")
        .arg(&cfg)
        .args(["--lever", "inflows.hires.per_year", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "inflows.hires.per_year must rise to",
        ));
    let json: serde_json::Value = serde_json::from_slice(
        &fs::read(out.join("one/solve-inflows-hires-per_year.json")).unwrap(),
    )
    .unwrap();
    let want = closed_form_per_year(500.0, 0.2, 60, 1500.0);
    assert!(close(json["value"].as_f64().unwrap(), want, 0.005));
    assert_eq!(json["lever"], "inflows.hires.per_year");
    assert_eq!(json["baseline_value"], 120.0);
    assert_eq!(json["milestone"]["date"], "2028-12");
    assert!(json["achieved"].as_f64().unwrap() >= 1500.0);
    assert!(json.get("probability").is_none());
    let png = fs::read(out.join("one/solve-inflows-hires-per_year.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}

#[test]
fn outputs_are_identical_whatever_the_thread_count() {
    // Both kinds of uncertainty, so the parameter draws are covered too.
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "one.toml", &uncertain(ONE_LEVEL));
    let runs: [(&str, Vec<&str>); 3] = [
        (
            "solve",
            vec![
                "--lever",
                "inflows.hires.per_year",
                "--probability",
                "0.7",
                "--runs",
                "100",
            ],
        ),
        (
            "sensitivity",
            vec!["--metric", "probability", "--runs", "50"],
        ),
        (
            "sweep",
            vec![
                "--x",
                "inflows.hires.per_year=100:300:4",
                "--y",
                "levels.a.attrition=0.1:0.3:3",
                "--metric",
                "probability",
                "--runs",
                "30",
            ],
        ),
    ];
    for (cmd, args) in runs {
        let mut outputs = Vec::new();
        for threads in ["1", "2", "3"] {
            let out = tmp.path().join(format!("{cmd}-{threads}"));
            forcecast()
                .arg(cmd)
                .arg(&cfg)
                .args(&args)
                .args(["--threads", threads, "--out"])
                .arg(&out)
                .assert()
                .success();
            let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(out.join("one"))
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        fs::read(e.path()).unwrap(),
                    )
                })
                .collect();
            files.sort();
            assert_eq!(
                files.len(),
                2,
                "{cmd}: {:?}",
                files.iter().map(|f| &f.0).collect::<Vec<_>>()
            );
            outputs.push(files);
        }
        assert!(
            outputs[0] == outputs[1] && outputs[1] == outputs[2],
            "{cmd}: outputs differ between 1, 2 and 3 threads"
        );
    }
}

#[test]
fn sensitivity_and_sweep_tables_have_the_documented_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "one.toml", ONE_LEVEL);
    let out = tmp.path().join("out");
    forcecast()
        .arg("sensitivity")
        .arg(&cfg)
        .args([
            "--delta",
            "0.1",
            "--params",
            "levels.a.attrition,inflows.hires.per_year",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(out.join("one/sensitivity.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "parameter,low,high,metric_low,metric_high,swing");
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1..]
            .iter()
            .any(|l| l.starts_with("inflows.hires.per_year,108,132,")),
        "{text}"
    );
    forcecast()
        .arg("sweep")
        .arg(&cfg)
        .args([
            "--x",
            "inflows.hires.per_year=100:300:3",
            "--y",
            "levels.a.initial=0:2000:2",
            "--metric",
            "first_month",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(out.join("one/sweep.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "x,y,value");
    assert_eq!(lines.len(), 1 + 3 * 2);
    // 100 a year from 0 people never reaches 1,500 (empty); months are YYYY-MM.
    assert_eq!(lines[1], "100,0,");
    assert_eq!(lines[6], "300,2000,2023-12", "the initial state counts");
    assert!(out.join("one/heatmap.png").exists() && out.join("one/tornado.png").exists());
}

#[test]
fn bad_flags_are_usage_errors_that_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "one.toml", ONE_LEVEL);
    let out = tmp.path().join("out");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["solve", "--lever", "levels.a.bogus"],
            "valid parameters: levels.a.initial, levels.a.attrition",
        ),
        (
            vec!["solve", "--lever", "levels.zz.attrition"],
            "no level 'zz'; valid: a",
        ),
        (
            vec![
                "solve",
                "--lever",
                "levels.a.attrition",
                "--range",
                "0.1-0.3",
            ],
            "expected LO:HI",
        ),
        (
            vec![
                "solve",
                "--lever",
                "levels.a.attrition",
                "--range",
                "0.3:0.1",
            ],
            "LO must be below HI",
        ),
        (
            vec!["solve", "--lever", "levels.a.attrition", "--range", "0:1.5"],
            "outside the range of levels.a.attrition",
        ),
        (
            vec![
                "solve",
                "--lever",
                "levels.a.attrition",
                "--milestone",
                "2027-01",
            ],
            "no milestone is dated 2027-01; milestones: 2028-12",
        ),
        (
            vec!["solve", "--lever", "levels.a.attrition", "--runs", "10"],
            "--probability",
        ),
        (
            vec![
                "solve",
                "--lever",
                "levels.a.attrition",
                "--probability",
                "1.5",
            ],
            "at most 1",
        ),
        (
            vec!["sensitivity", "--params", "levels.a.attrition,nope"],
            "valid parameters:",
        ),
        (vec!["sensitivity", "--runs", "10"], "--metric probability"),
        (
            vec![
                "sweep",
                "--x",
                "levels.a.attrition=0:0.5",
                "--y",
                "levels.a.initial=0:10:3",
            ],
            "expected PATH=LO:HI:N",
        ),
        (
            vec![
                "sweep",
                "--x",
                "levels.a.attrition=0:0.5:1",
                "--y",
                "levels.a.initial=0:10:3",
            ],
            "N must be a whole number",
        ),
        (
            vec![
                "sweep",
                "--x",
                "levels.a.attrition=0:0.5:3",
                "--y",
                "levels.a.attrition=0:0.2:3",
            ],
            "two different parameters",
        ),
        (
            vec![
                "sweep",
                "--x",
                "levels.a.attrition=0:x:3",
                "--y",
                "levels.a.initial=0:10:3",
            ],
            "'x' is not a number",
        ),
    ];
    for (args, message) in cases {
        forcecast()
            .arg(args[0])
            .arg(&cfg)
            .args(&args[1..])
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!out.exists(), "{args:?} wrote outputs");
    }
}

#[test]
fn a_scenario_without_milestones_cannot_be_solved() {
    let tmp = tempfile::tempdir().unwrap();
    let text = ONE_LEVEL.replace(
        r#"milestones = [{ date = "2028-12", headcount = 1500 }]"#,
        "",
    );
    let cfg = write(tmp.path(), "none.toml", &text);
    forcecast()
        .arg("solve")
        .arg(&cfg)
        .args(["--lever", "levels.a.attrition", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no milestones"));
}

#[test]
fn a_response_that_is_not_monotone_is_reported_with_its_largest_fall() {
    // In the baseline nobody leaves the school queue, so fewer seats delay
    // graduation and with it exposure to attrition: the total at March 2028
    // dips slightly as seats rise past what the intake fills.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    forcecast()
        .args([
            "solve",
            "--lever",
            "courses.cyber_school.seats_per_class",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("is not reachable"))
        .stderr(predicate::str::contains("is not monotone"));
    let json: serde_json::Value = serde_json::from_slice(
        &fs::read(out.join("baseline/solve-courses-cyber_school-seats_per_class.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["monotone"], false);
    assert_eq!(json["reachable"], false);
    let dip = &json["dip"];
    assert!(dip["size"].as_f64().unwrap() > 0.0);
    // The fall is between neighbouring grid values, in the direction the lever helps overall.
    let curve = json["curve"].as_array().unwrap();
    let at = |v: f64| {
        curve
            .iter()
            .find(|p| p["value"].as_f64() == Some(v))
            .unwrap()["metric"]
            .as_f64()
            .unwrap()
    };
    let (from, to) = (dip["from"].as_f64().unwrap(), dip["to"].as_f64().unwrap());
    assert!(close(
        at(from) - at(to),
        dip["size"].as_f64().unwrap(),
        1e-12
    ));
}

// ---- one Monte Carlo for every probability ----

/// ONE_LEVEL with 450 hires a year: the expected total at the milestone is
/// 1,532, so with both kinds of uncertainty the milestone is a real gamble.
fn gamble() -> String {
    uncertain(&ONE_LEVEL.replace("per_year = 120", "per_year = 450"))
}

#[test]
fn a_probability_solve_without_randomness_is_the_expected_value_answer() {
    // Every run is the projection: the share is 1 exactly where the expected
    // total meets the milestone, so the boundary is the deterministic one.
    let l = load(&gamble());
    let s = &l.scenario;
    let mut q = question(s, "inflows.hires.per_year", Some(0.9));
    q.probability = Some((
        0.9,
        MonteCarlo {
            process_noise: false,
            parameter_uncertainty: false,
            ..MonteCarlo::new(20, 1)
        },
    ));
    let sol = solve(s, &q, &ProgressBar::hidden()).unwrap();
    let det = sol.deterministic.unwrap();
    let v = sol.probabilistic.unwrap().value.unwrap();
    assert!(v >= det && close(v, det, 2e-3), "{v} against {det}");
}

#[test]
fn every_probability_is_the_probability_of_mc() {
    // The same config, seed and runs: `mc`, a sweep cell at the configured
    // values and the sensitivity baseline are the same runs, with each switch.
    let l = load(&gamble());
    let s = &l.scenario;
    let g = goal::pick_goal(s, None).unwrap();
    for (noise, params) in [(true, true), (true, false), (false, true)] {
        let mc = MonteCarlo {
            process_noise: noise,
            parameter_uncertainty: params,
            ..MonteCarlo::new(300, 4)
        };
        let want = montecarlo::run(s, &mc, None)
            .unwrap()
            .milestone_probability(0);
        assert!(
            want > 0.05 && want < 0.95,
            "an uncertain milestone ({noise}, {params}): {want}"
        );
        let sens = goal::sensitivity::sensitivity(
            s,
            &[Param::parse(s, "levels.a.initial").unwrap()],
            &g,
            goal::Metric::Probability,
            0.1,
            &mc,
            &ProgressBar::hidden(),
        )
        .unwrap();
        assert_eq!(sens.baseline, want, "sensitivity ({noise}, {params})");
        let x = goal::parse_axis(s, "--x", "inflows.hires.per_year=300:450:2").unwrap();
        let y = goal::parse_axis(s, "--y", "levels.a.attrition=0.2:0.3:2").unwrap();
        let sw = goal::sweep::sweep(
            s,
            &x,
            &y,
            &g,
            goal::Metric::Probability,
            &mc,
            &ProgressBar::hidden(),
        )
        .unwrap();
        assert_eq!(sw.values[1][0], want, "sweep ({noise}, {params})");
        let mut q = question(s, "inflows.hires.per_year", Some(0.5));
        q.probability = Some((0.5, mc));
        let sol = solve(s, &q, &ProgressBar::hidden()).unwrap();
        let at_configured = montecarlo::milestone_probability(s, g.date, g.headcount, &mc).unwrap();
        assert_eq!(
            at_configured, want,
            "milestone_probability ({noise}, {params})"
        );
        // Every value solve tried is the same Monte Carlo at that value.
        for pt in &sol.probabilistic.unwrap().tried {
            let again = montecarlo::milestone_probability(
                &goal::with(s, q.param, pt.value),
                g.date,
                g.headcount,
                &mc,
            )
            .unwrap();
            assert_eq!(
                again, pt.metric,
                "solve at {} ({noise}, {params})",
                pt.value
            );
        }
    }
}

#[test]
fn common_random_numbers_make_probability_curves_monotone() {
    // Without process noise each run is a projection with its drawn
    // parameters. Every grid point draws the same numbers for run i, so more
    // hires never lose a run: the share cannot fall along the hires axis. A
    // fresh set of runs at each point would wobble by several points.
    let l = load(&gamble());
    let s = &l.scenario;
    let g = goal::pick_goal(s, None).unwrap();
    let mc = MonteCarlo {
        process_noise: false,
        ..MonteCarlo::new(400, 2)
    };
    let x = goal::parse_axis(s, "--x", "inflows.hires.per_year=400:520:13").unwrap();
    let y = goal::parse_axis(s, "--y", "levels.a.attrition=0.18:0.22:3").unwrap();
    let sw = goal::sweep::sweep(
        s,
        &x,
        &y,
        &g,
        goal::Metric::Probability,
        &mc,
        &ProgressBar::hidden(),
    )
    .unwrap();
    for j in 0..3 {
        let col: Vec<f64> = sw.values.iter().map(|row| row[j]).collect();
        assert!(
            col.windows(2).all(|w| w[1] >= w[0]),
            "attrition {}: {col:?}",
            y.values[j]
        );
        assert!(col[0] < col[12], "the lever moves the share: {col:?}");
    }
}

#[test]
fn parameter_uncertainty_raises_the_baseline_transfers_for_90_percent() {
    // The issue's question on the embedded baseline: with the [uncertainty]
    // draws, 90 % of runs need far more transfers than with process noise
    // alone (README: about 670 against 575, and 556 in expected values).
    // The 10th percentile of 400 runs is uncertain by about 8 transfers a
    // year, so a gap of 50 is over five standard errors from both sides.
    let tmp = tempfile::tempdir().unwrap();
    let value = |name: &str, extra: &[&str]| -> (f64, serde_json::Value) {
        let out = tmp.path().join(name);
        forcecast()
            .args([
                "solve",
                "--lever",
                "inflows.transfers.per_year",
                "--probability",
                "0.9",
                "--runs",
                "400",
                "--out",
            ])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        let json: serde_json::Value = serde_json::from_slice(
            &fs::read(out.join("baseline/solve-inflows-transfers-per_year.json")).unwrap(),
        )
        .unwrap();
        (json["value"].as_f64().expect("reachable"), json)
    };
    let (both, json) = value("both", &[]);
    assert_eq!(json["probability"]["parameter_uncertainty"], true);
    assert_eq!(json["probability"]["process_noise"], true);
    assert_eq!(
        json["probability"]["uncertain_parameters"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    let (noise, json) = value("noise", &["--no-parameter-uncertainty"]);
    assert_eq!(json["probability"]["parameter_uncertainty"], false);
    let det = json["probability"]["deterministic_value"].as_f64().unwrap();
    assert!(
        noise >= det,
        "{noise} below the expected-value answer {det}"
    );
    assert!(
        both > noise + 50.0,
        "with parameter uncertainty {both}, process noise only {noise}"
    );
}

#[test]
fn two_solves_on_different_levers_leave_both_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "one.toml", ONE_LEVEL);
    let out = tmp.path().join("out");
    for lever in ["inflows.hires.per_year", "levels.a.initial"] {
        forcecast()
            .arg("solve")
            .arg(&cfg)
            .args(["--lever", lever, "--out"])
            .arg(&out)
            .assert()
            .success();
    }
    let mut names: Vec<String> = fs::read_dir(out.join("one"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "solve-inflows-hires-per_year.json",
            "solve-inflows-hires-per_year.png",
            "solve-levels-a-initial.json",
            "solve-levels-a-initial.png",
        ]
    );
    for (file, lever) in [
        (
            "solve-inflows-hires-per_year.json",
            "inflows.hires.per_year",
        ),
        ("solve-levels-a-initial.json", "levels.a.initial"),
    ] {
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("one").join(file)).unwrap()).unwrap();
        assert_eq!(json["lever"], lever);
    }
}

#[test]
fn monte_carlo_switches_only_apply_to_a_monte_carlo() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "one.toml", ONE_LEVEL);
    let out = tmp.path().join("out");
    for (args, message) in [
        (
            vec![
                "solve",
                "--lever",
                "levels.a.attrition",
                "--no-parameter-uncertainty",
            ],
            "--no-parameter-uncertainty only applies with --probability",
        ),
        (
            vec!["sensitivity", "--no-process-noise"],
            "--no-process-noise only applies with --metric probability",
        ),
        (
            vec![
                "sweep",
                "--x",
                "levels.a.attrition=0:0.5:3",
                "--y",
                "levels.a.initial=0:10:3",
                "--seed",
                "3",
            ],
            "--seed only applies with --metric probability",
        ),
    ] {
        forcecast()
            .arg(args[0])
            .arg(&cfg)
            .args(&args[1..])
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
        assert!(!out.exists(), "{args:?} wrote outputs");
    }
    // --threads is no Monte Carlo switch: it sets the workers of any question.
    forcecast()
        .arg("sweep")
        .arg(&cfg)
        .args([
            "--x",
            "levels.a.attrition=0:0.5:3",
            "--y",
            "levels.a.initial=0:10:3",
            "--threads",
            "1",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn a_lever_drawn_from_its_bounds_is_flagged() {
    // A uniform draw replaces the lever's value in every run, so the share
    // of runs cannot follow the lever: the command says so.
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n[uncertainty]\n\"inflows.hires.per_year\" = {{ dist = \"uniform\", min = 400, max = 500 }}\n",
        ONE_LEVEL.replace("per_year = 120", "per_year = 450")
    );
    let cfg = write(tmp.path(), "one.toml", &text);
    forcecast()
        .arg("solve")
        .arg(&cfg)
        .args([
            "--lever",
            "inflows.hires.per_year",
            "--probability",
            "0.5",
            "--runs",
            "50",
            "--out",
        ])
        .arg(tmp.path().join("out"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "inflows.hires.per_year is drawn from a uniform or triangular [uncertainty] distribution",
        ));
}

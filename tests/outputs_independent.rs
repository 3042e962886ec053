//! The output files checked by computations of their own, so that
//! `tests/plots_fresh.rs` (which compares with the program's earlier output)
//! is only a change detector and regenerating `plots/` cannot hide a wrong
//! answer:
//!
//! - `projection.csv`: the flow identities between rows, the totals as sums
//!   of their columns, fiscal years, arrivals as planned, and a one-level
//!   scenario against its closed form;
//! - `classes.csv`: each class from the queue the projection had, its seats
//!   and instructor capacity, and its limit by the rule of docs/model.md;
//! - `summary.json` and `report.md`: every figure re-derived from
//!   `projection.csv` and `classes.csv`, and formatted independently;
//! - `mc_percentiles.csv` and `mc_summary.json`: for a scenario whose law is
//!   known exactly (binomial survival), every percentile against the exact
//!   binomial distribution function, the mean within its standard error, and
//!   the summary's figures against the table.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn forcecast() -> Command {
    Command::cargo_bin("forcecast").unwrap()
}

/// A CSV file as a header and rows of cells.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut r = csv::Reader::from_path(path).unwrap();
        let header = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }
    fn cols_with(&self, prefix: &str) -> Vec<usize> {
        (0..self.header.len())
            .filter(|&i| self.header[i].starts_with(prefix))
            .collect()
    }
    fn num(&self, row: usize, col: usize) -> f64 {
        let cell = &self.rows[row][col];
        if cell.is_empty() {
            f64::INFINITY
        } else {
            cell.parse()
                .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
        }
    }
    fn get(&self, row: usize, name: &str) -> f64 {
        self.num(row, self.col(name))
    }
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// What the checks need to know about the scenario, read from its config by hand.
struct Known {
    levels: Vec<&'static str>,
    fy_start: u32,
    count_queue: bool,
    count_training: bool,
}

fn month_parts(m: &str) -> (i32, u32) {
    let (y, mo) = m.split_once('-').unwrap();
    (y.parse().unwrap(), mo.parse().unwrap())
}

fn next_month(m: &str) -> String {
    let (y, mo) = month_parts(m);
    if mo == 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", mo + 1)
    }
}

/// The projection's internal consistency and the model's identities.
fn check_projection(p: &Table, k: &Known) {
    let sum = |r: usize, cols: &[usize]| cols.iter().map(|&c| p.num(r, c)).sum::<f64>();
    let level_cols: Vec<usize> = k.levels.iter().map(|l| p.col(l)).collect();
    let queue_cols = p.cols_with("queue.");
    let training_cols = p.cols_with("training.");
    let inflow_cols = p.cols_with("inflow.");
    for r in 0..p.rows.len() {
        let month = &p.rows[r][p.col("month")];
        if r > 0 {
            assert_eq!(
                *month,
                next_month(&p.rows[r - 1][0]),
                "months are consecutive"
            );
        }
        let (y, mo) = month_parts(month);
        let fy = if mo >= k.fy_start { y } else { y - 1 };
        assert_eq!(p.get(r, "fiscal_year"), fy as f64, "{month}");
        let in_levels = sum(r, &level_cols);
        assert!(close(p.get(r, "in_levels"), in_levels, 1e-12), "{month}");
        let queue = sum(r, &queue_cols);
        let training = sum(r, &training_cols);
        assert!(close(p.get(r, "queue"), queue, 1e-12), "{month}");
        assert!(close(p.get(r, "training"), training, 1e-12), "{month}");
        let mut total = in_levels;
        if k.count_queue {
            total += queue;
        }
        if k.count_training {
            total += training;
        }
        assert!(close(p.get(r, "total"), total, 1e-12), "{month}: total");
        for c in level_cols.iter().chain(&queue_cols).chain(&training_cols) {
            assert!(p.num(r, *c) >= -1e-9, "{month}: negative {}", p.header[*c]);
        }
        assert!(
            close(
                p.get(r, "queued") + p.get(r, "lateral"),
                sum(r, &inflow_cols),
                1e-12
            ),
            "{month}: arrivals"
        );
        if r == 0 {
            for f in [
                "queued",
                "started",
                "graduated",
                "separations",
                "promotions",
            ] {
                assert_eq!(p.get(0, f), 0.0, "the initial row has no flows");
            }
            continue;
        }
        let d = |name: &str| p.get(r, name);
        let levels_change = in_levels - sum(r - 1, &level_cols);
        assert!(
            close(
                levels_change,
                d("graduated") + d("lateral") + d("events") - d("separations"),
                1e-9
            ),
            "{month}: levels"
        );
        assert!(
            close(
                queue - sum(r - 1, &queue_cols),
                d("queued") + d("chained") - d("started") - d("queue_dropouts"),
                1e-9
            ),
            "{month}: queue"
        );
        assert!(
            close(
                training - sum(r - 1, &training_cols),
                d("started") - d("graduated") - d("chained") - d("washout"),
                1e-9
            ),
            "{month}: training"
        );
    }
}

/// Each class against the projection's queue and the rule for its limit.
fn check_classes(c: &Table, p: &Table) -> (usize, usize) {
    let row_of: BTreeMap<String, usize> = p
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r[0].clone(), i))
        .collect();
    let mut started_by_month: BTreeMap<usize, f64> = BTreeMap::new();
    let (mut seat, mut instr) = (0, 0);
    for i in 0..c.rows.len() {
        let course = &c.rows[i][c.col("course")];
        let month = &c.rows[i][c.col("month")];
        let r = row_of[month];
        let queue = c.get(i, "queue");
        assert!(
            close(queue, p.get(r - 1, &format!("queue.{course}")), 1e-12),
            "{course} {month}: a class starts from the queue at the end of the month before"
        );
        let seats = c.get(i, "seats_per_class");
        let cap = c.get(i, "instructor_capacity");
        let offered = c.get(i, "seats_offered");
        let started = c.get(i, "started");
        assert_eq!(offered, seats.min(cap), "{course} {month}");
        assert_eq!(started, queue.min(offered), "{course} {month}");
        let limit = &c.rows[i][c.col("limit")];
        let want = if cap < seats && queue > cap {
            instr += 1;
            "instructors"
        } else if seats <= cap && queue > seats {
            seat += 1;
            "seats"
        } else {
            "none"
        };
        assert_eq!(limit, want, "{course} {month}");
        *started_by_month.entry(r).or_default() += started;
    }
    for r in 1..p.rows.len() {
        let s = started_by_month.get(&r).copied().unwrap_or(0.0);
        assert!(
            close(p.get(r, "started"), s, 1e-12),
            "{}: started",
            p.rows[r][0]
        );
    }
    (seat, instr)
}

/// `people()` of docs and console, written again: rounded, thousands separated.
fn people(x: f64) -> String {
    let n = x.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Everything in summary.json and report.md, from the two tables.
fn check_summary_and_report(dir: &Path, p: &Table, classes: (usize, usize), k: &Known) {
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let last = p.rows.len() - 1;
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    assert_eq!(json["start"], p.rows[1][0].as_str());
    assert_eq!(json["end"], p.rows[last][0].as_str());
    assert_eq!(f(&json["final_total"]), p.get(last, "total"));
    for l in &k.levels {
        assert_eq!(f(&json["final_levels"][l]), p.get(last, l), "{l}");
    }
    let row_of = |m: &str| p.rows.iter().position(|r| r[0] == m).unwrap();
    let ms = json["milestones"].as_array().unwrap();
    for m in ms {
        let r = row_of(m["date"].as_str().unwrap());
        let projected = p.get(r, "total");
        let target = f(&m["target"]);
        assert_eq!(f(&m["projected"]), projected);
        assert_eq!(m["met"].as_bool().unwrap(), projected >= target);
        assert!(close(f(&m["gap"]), projected - target, 1e-12));
    }
    let final_target = f(&ms.last().unwrap()["target"]);
    let first = (0..p.rows.len()).find(|&r| p.get(r, "total") >= final_target);
    match first {
        Some(r) => assert_eq!(json["first_month_at_final_target"], p.rows[r][0].as_str()),
        None => assert!(json["first_month_at_final_target"].is_null()),
    }
    let queues: Vec<f64> = (0..p.rows.len()).map(|r| p.get(r, "queue")).collect();
    let peak = queues.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let peak_row = queues.iter().position(|&q| q == peak).unwrap();
    assert_eq!(f(&json["peak_queue"]), peak);
    assert_eq!(json["peak_queue_month"], p.rows[peak_row][0].as_str());
    assert_eq!(json["seat_limited_classes"], classes.0);
    assert_eq!(json["instructor_limited_classes"], classes.1);

    // report.md: the same figures, rounded to whole people.
    let md = fs::read_to_string(dir.join("report.md")).unwrap();
    for m in ms {
        let projected = f(&m["projected"]);
        let target = f(&m["target"]);
        let gap = projected - target;
        let gap = if gap.round() > 0.0 {
            format!("+{}", people(gap))
        } else {
            people(gap)
        };
        let met = if projected >= target { "yes" } else { "**no**" };
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("| {}", m["date"].as_str().unwrap())))
            .unwrap_or_else(|| panic!("no row for {} in:\n{md}", m["date"]));
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(
            &cells[2..6],
            &[people(target), people(projected), gap, met.to_string()],
            "{line}"
        );
    }
    let mix: Vec<String> = k
        .levels
        .iter()
        .map(|l| format!("{l} {}", people(p.get(last, l))))
        .collect();
    let want = format!(
        "Final total {} ({}).",
        people(p.get(last, "total")),
        mix.join(", ")
    );
    assert!(md.contains(&want), "{want:?} not in:\n{md}");
    let reached = match first {
        Some(r) => format!("first reached in {}", p.rows[r][0]),
        None => format!("not reached by {}", p.rows[last][0]),
    };
    assert!(md.contains(&reached), "{reached:?} not in:\n{md}");
    let want = format!(
        "Peak queue {} ({}); {} seat-limited and {} instructor-limited classes.",
        people(peak),
        p.rows[peak_row][0],
        classes.0,
        classes.1
    );
    assert!(md.contains(&want), "{want:?} not in:\n{md}");
}

fn run_to(out: &Path, config: Option<&Path>) -> PathBuf {
    let mut cmd = forcecast();
    cmd.arg("run");
    if let Some(c) = config {
        cmd.arg(c);
    }
    cmd.args(["--format", "svg", "--size", "400x400", "--out"])
        .arg(out)
        .assert()
        .success();
    out.to_path_buf()
}

#[test]
fn baseline_outputs_agree_with_the_model_and_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_to(tmp.path(), None).join("baseline");
    let k = Known {
        levels: vec!["basic", "intermediate", "advanced"],
        fy_start: 4,
        count_queue: false,
        count_training: false,
    };
    let p = Table::read(&dir.join("projection.csv"));
    // The initial state and every month of 2021-04 .. 2028-03.
    assert_eq!(p.rows.len(), 1 + 84);
    check_projection(&p, &k);
    let classes = check_classes(&Table::read(&dir.join("classes.csv")), &p);
    check_summary_and_report(&dir, &p, classes, &k);
}

/// One level fed at a constant rate with a seat- and instructor-limited
/// school counted in the total, so every branch of the checks runs, and the
/// level against the closed form `N(t) = N0 s^t + r (1 - s^t) / m`.
const SMALL: &str = r#"[scenario]
name = "small"
start = "2024-01"
end = "2026-12"
fiscal_year_start_month = 10

[target]
count = ["crew", "lead", "queue", "training"]
milestones = [
  { date = "2024-06", headcount = 600 },
  { date = "2026-12", headcount = 100000 },
]

[levels.crew]
initial = 400
attrition = 0.15

[levels.lead]
initial = 30
attrition = 0.0

[courses.school]
graduates_to = "lead"
length_months = 2
seats_per_class = 25
class_starts = [2, 5, 8, 11]
initial_queue = 40
instructors = { level = "lead", students_per_instructor = 4, max_share = 0.2 }

[inflows.hires]
level = "crew"
per_year = 90
achievement = 0.8

[inflows.trainees]
course = "school"
per_year = 150
"#;

#[test]
fn a_small_scenario_s_outputs_match_closed_forms() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("small.toml");
    fs::write(&cfg, SMALL).unwrap();
    let dir = run_to(&tmp.path().join("out"), Some(&cfg)).join("small");
    let k = Known {
        levels: vec!["crew", "lead"],
        fy_start: 10,
        count_queue: true,
        count_training: true,
    };
    let p = Table::read(&dir.join("projection.csv"));
    assert_eq!(p.rows.len(), 1 + 36);
    check_projection(&p, &k);
    let c = Table::read(&dir.join("classes.csv"));
    let classes = check_classes(&c, &p);
    assert!(
        classes.0 > 0 && classes.1 > 0,
        "both limits occur: {classes:?}"
    );
    check_summary_and_report(&dir, &p, classes, &k);
    // The crew level: no promotion, no course, constant arrivals.
    let m = 1.0 - 0.85f64.powf(1.0 / 12.0);
    let s = 1.0 - m;
    let r = 90.0 * 0.8 / 12.0;
    for t in 0..p.rows.len() {
        let st = s.powi(t as i32);
        let want = 400.0 * st + r * (1.0 - st) / m;
        assert!(close(p.get(t, "crew"), want, 1e-12), "month {t}");
        if t > 0 {
            assert!(close(p.get(t, "inflow.hires"), r, 1e-12));
            assert!(close(p.get(t, "inflow.trainees"), 12.5, 1e-12));
        }
    }
    // Instructors: 0.2 x lead at the start of the month x 4 students each,
    // less those in class, is what a class may seat.
    for i in 0..c.rows.len() {
        let r = p
            .rows
            .iter()
            .position(|row| row[0] == c.rows[i][1])
            .unwrap();
        let cap = (0.2 * p.get(r - 1, "lead") * 4.0 - p.get(r - 1, "training.school")).max(0.0);
        assert!(close(c.get(i, "instructor_capacity"), cap, 1e-12));
    }
    // The instructors column: students in class during the month / 4.
    for t in 1..p.rows.len() {
        let during = p.get(t, "training.school") + p.get(t, "graduated");
        assert!(
            close(p.get(t, "instructors"), during / 4.0, 1e-12),
            "month {t}"
        );
    }
}

/// ln k! for k = 0..=n.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n + 1];
    for k in 1..=n {
        out[k] = out[k - 1] + (k as f64).ln();
    }
    out
}

/// The Binomial(n, p) distribution function at 0..=n.
fn binomial_cdf(n: usize, p: f64, lf: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    (0..=n)
        .map(|k| {
            let ln =
                lf[n] - lf[k] - lf[n - k] + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln();
            acc += ln.exp();
            acc.min(1.0)
        })
        .collect()
}

#[test]
fn mc_percentiles_follow_the_exact_binomial_law() {
    let text = r#"[scenario]
name = "decay"
start = "2024-01"
end = "2025-12"

[target]
milestones = [{ date = "2024-12", headcount = 805 }, { date = "2025-12", headcount = 640 }]

[levels.only]
initial = 1000
attrition = 0.2
"#;
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("decay.toml");
    fs::write(&cfg, text).unwrap();
    let runs = 3000;
    forcecast()
        .arg("mc")
        .arg(&cfg)
        .args([
            "--runs",
            &runs.to_string(),
            "--seed",
            "3",
            "--format",
            "svg",
        ])
        .args(["--size", "400x400", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let dir = tmp.path().join("decay");
    let t = Table::read(&dir.join("mc_percentiles.csv"));
    assert_eq!(t.rows.len(), 25);
    let n = 1000;
    let lf = ln_factorials(n);
    let pcts = [5u32, 10, 25, 50, 75, 90, 95];
    let m = 1.0 - 0.8f64.powf(1.0 / 12.0);
    let mut cdfs = Vec::new();
    for q in pcts {
        assert_eq!(t.get(0, &format!("p{q}")), 1000.0, "the initial state");
    }
    cdfs.push(Vec::new());
    for r in 1..t.rows.len() {
        let s = (1.0 - m).powi(r as i32);
        let cdf = binomial_cdf(n, s, &lf);
        let mean = t.get(r, "mean");
        let sd = (n as f64 * s * (1.0 - s) / runs as f64).sqrt();
        assert!(
            (mean - n as f64 * s).abs() <= 5.0 * sd + 1e-9,
            "row {r}: mean {mean} vs {}",
            n as f64 * s
        );
        let mut prev = 0.0;
        for q in pcts {
            let v = t.get(r, &format!("p{q}"));
            assert!(v.fract() == 0.0 && v >= prev, "row {r}: p{q} = {v}");
            prev = v;
            // The nearest-rank percentile v: at least q % of runs at or
            // below it, fewer below it; the exact CDF must agree within the
            // sampling error of a share of `runs`.
            let q = q as f64 / 100.0;
            let tol = 5.0 * (q * (1.0 - q) / runs as f64).sqrt();
            let at = cdf[v as usize];
            let below = if v >= 1.0 { cdf[v as usize - 1] } else { 0.0 };
            assert!(
                at >= q - tol && below <= q + tol,
                "row {r}: p{} = {v}, but F({v}) = {at}, F({}) = {below}",
                q * 100.0,
                v - 1.0
            );
        }
        // One level: its median is the total's.
        assert_eq!(t.get(r, "p50.only"), t.get(r, "p50"));
        cdfs.push(cdf);
    }
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("mc_summary.json")).unwrap()).unwrap();
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    assert_eq!(json["runs"], runs);
    let fin = &json["final"];
    assert!(close(f(&fin["deterministic"]), 640.0, 1e-12));
    assert_eq!(f(&fin["mean"]), t.get(24, "mean"));
    for q in [5, 25, 50, 75, 95] {
        assert_eq!(f(&fin[format!("p{q}")]), t.get(24, &format!("p{q}")));
    }
    for (i, (row, target)) in [(12usize, 805.0), (24, 640.0)].into_iter().enumerate() {
        let ms = &json["milestones"][i];
        for q in [5, 50, 95] {
            assert_eq!(f(&ms[format!("p{q}")]), t.get(row, &format!("p{q}")));
        }
        let det = 1000.0 * (1.0 - m).powi(row as i32);
        assert!(close(f(&ms["deterministic"]), det, 1e-12));
        // P(N >= target) = 1 - F(target - 1), within 5 standard errors.
        let want = 1.0 - cdfs[row][target as usize - 1];
        let prob = f(&ms["probability"]);
        let se = (want * (1.0 - want) / runs as f64).sqrt();
        assert!(
            (prob - want).abs() <= 5.0 * se + 1e-9,
            "milestone {i}: probability {prob} vs {want}"
        );
    }
}

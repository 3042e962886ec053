//! Monte Carlo against closed forms and invariants: the mean is the
//! deterministic projection, a lone attrition process has binomial variance,
//! trivial milestones have probability exactly 0 or 1, results do not depend
//! on the thread count, and seeds matter. Run counts are small so the suite
//! stays fast; tolerances are in standard errors.

mod common;

use assert_cmd::Command;
use common::load;
use forcecast::engine::project;
use forcecast::montecarlo::{self, milestone_probability, Options};
use forcecast::params::Param;
use std::fs;

/// Levels, promotion, a course with more seats than applicants, direct
/// inflows, a fixed-term channel and an event: every flow, no capacity limit.
const UNCAPPED: &str = r#"[scenario]
name = "uncapped"
start = "2024-01"
end = "2026-12"
seed = 7

[target]
milestones = [{ date = "2026-12", headcount = 515 }]

[levels.junior]
initial = 300
attrition = 0.12
promotion = { to = "senior", rate = 0.25, after_months = 6 }

[levels.senior]
initial = 120
attrition = 0.08

[courses.school]
graduates_to = "junior"
length_months = 4
seats_per_class = 100000
class_starts = [1, 5, 9]
washout = 0.2
queue_attrition = 0.1

[inflows.recruits]
course = "school"
per_year = 150
achievement = 0.8

[inflows.laterals]
level = "senior"
per_year = 12
term_months = 18

[[events]]
date = "2025-06"
level = "junior"
change = -40
"#;

fn opts(runs: u64, seed: u64) -> Options {
    Options {
        runs,
        seed,
        threads: Some(2),
        process_noise: true,
        parameter_uncertainty: true,
    }
}

#[test]
fn mean_is_the_deterministic_projection_within_4_standard_errors() {
    let loaded = load(UNCAPPED);
    let s = &loaded.scenario;
    let det = project(s);
    let stats = montecarlo::run(s, &opts(3000, 11), None).unwrap();
    assert_eq!(stats.runs, 3000);
    for (r, row) in det.rows.iter().enumerate() {
        let mean = stats.total_sum[r].mean().unwrap();
        let (_, var) = stats.total[r].mean_variance().unwrap();
        let se = (var / stats.runs as f64).sqrt();
        assert!(
            (mean - row.total).abs() <= 4.0 * se + 1e-9,
            "{}: MC mean {mean} vs deterministic {} (se {se})",
            row.month,
            row.total
        );
        // Levels too: their medians bracket the expected values loosely.
        for (l, &x) in row.levels.iter().enumerate() {
            let (m, v) = stats.levels[l][r].mean_variance().unwrap();
            assert!(
                (m - x).abs() <= 4.0 * (v / stats.runs as f64).sqrt() + 0.5,
                "{} level {l}: {m} vs {x}",
                row.month
            );
        }
    }
    // Process noise is real: the final spread is not zero.
    let last = stats.final_row();
    assert!(stats.total[last].percentile(5) < stats.total[last].percentile(95));
}

#[test]
fn attrition_alone_has_binomial_variance() {
    // One level, 20 %/yr attrition, 24 months: survival s = 0.8^2 = 0.64.
    let text = r#"[scenario]
name = "decay"
start = "2024-01"
end = "2025-12"

[levels.only]
initial = 1000
attrition = 0.2
"#;
    let loaded = load(text);
    let stats = montecarlo::run(&loaded.scenario, &opts(4000, 3), None).unwrap();
    let (n0, s) = (1000.0, 0.64);
    let (mean, var) = stats.total[stats.final_row()].mean_variance().unwrap();
    let want = n0 * s * (1.0 - s);
    assert!(
        (var / want - 1.0).abs() < 0.10,
        "variance {var} vs binomial {want}"
    );
    assert!(
        (mean - n0 * s).abs() < 4.0 * (want / 4000.0).sqrt(),
        "mean {mean} vs {}",
        n0 * s
    );
    // Every run holds whole people: each month's exact sum over the runs is
    // a whole number (the histogram rounds, so it cannot tell).
    for (r, sum) in stats.total_sum.iter().enumerate() {
        let sum = sum.mean().unwrap() * 4000.0;
        assert!((sum - sum.round()).abs() < 1e-6, "row {r}: sum {sum}");
    }
}

#[test]
fn trivial_milestones_have_probability_exactly_one_and_zero() {
    let text = r#"[scenario]
name = "still"
start = "2024-01"
end = "2024-12"

[target]
milestones = [
  { date = "2024-06", headcount = 100 },
  { date = "2024-12", headcount = 101 },
]

[levels.only]
initial = 100
attrition = 0.0

[uncertainty]
"levels.only.attrition" = { dist = "uniform", min = 0.0, max = 0.0 }
"#;
    let loaded = load(text);
    let s = &loaded.scenario;
    let stats = montecarlo::run(s, &opts(500, 1), None).unwrap();
    assert_eq!(stats.milestone_probability(0), 1.0);
    assert_eq!(stats.milestone_probability(1), 0.0);
    assert_eq!(
        *stats.first_reach.last().unwrap(),
        500,
        "101 is never reached"
    );
    let m = &s.target.milestones;
    assert_eq!(
        milestone_probability(s, m[0].date, m[0].headcount, &opts(200, 9)).unwrap(),
        1.0
    );
    assert_eq!(
        milestone_probability(s, m[1].date, m[1].headcount, &opts(200, 9)).unwrap(),
        0.0
    );
}

#[test]
fn results_do_not_depend_on_threads_and_seeds_matter() {
    let loaded = forcecast::config::load(None, &[]).unwrap();
    let s = &loaded.scenario;
    let with = |threads: usize, seed: u64| {
        montecarlo::run(
            s,
            &Options {
                threads: Some(threads),
                ..opts(150, seed)
            },
            None,
        )
        .unwrap()
    };
    let one = with(1, 5);
    assert_eq!(one, with(2, 5));
    assert_eq!(one, with(3, 5));
    assert_ne!(one, with(1, 6));
}

#[test]
fn with_both_uncertainties_off_every_run_is_the_projection() {
    let loaded = load(UNCAPPED);
    let s = &loaded.scenario;
    let det = project(s);
    let o = Options {
        process_noise: false,
        parameter_uncertainty: false,
        ..opts(20, 1)
    };
    let stats = montecarlo::run(s, &o, None).unwrap();
    for (r, row) in det.rows.iter().enumerate() {
        assert!((stats.total_sum[r].mean().unwrap() - row.total).abs() < 1e-5);
        assert_eq!(stats.total[r].percentile(5), stats.total[r].percentile(95));
        assert_eq!(stats.total[r].percentile(50), Some(row.total.round()));
    }
}

#[test]
fn parameter_draws_alone_spread_the_runs_and_respect_ranges() {
    let text = format!(
        "{UNCAPPED}\n[uncertainty]\n{}\n{}\n{}\n",
        r#""courses.school.washout" = { dist = "normal", sd = 0.3, min = 0.0, max = 0.5 }"#,
        r#""courses.school.seats_per_class" = { dist = "normal", sd = 5000 }"#,
        r#""levels.junior.attrition" = { dist = "beta", sd = 0.04 }"#,
    );
    let loaded = load(&text);
    let s = &loaded.scenario;
    let o = Options {
        process_noise: false,
        ..opts(200, 2)
    };
    let stats = montecarlo::run(s, &o, None).unwrap();
    let last = stats.final_row();
    assert!(stats.total[last].percentile(5) < stats.total[last].percentile(95));
    // Draws land inside each parameter's range; whole-number parameters are whole.
    let draws = montecarlo::draw::resolve(s, &s.uncertainty).unwrap();
    let mut scratch = s.clone();
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(4);
    for _ in 0..500 {
        montecarlo::draw::apply(&draws, s, &mut scratch, &mut rng);
        let washout = Param::parse(s, "courses.school.washout")
            .unwrap()
            .get(&scratch);
        let seats = Param::parse(s, "courses.school.seats_per_class")
            .unwrap()
            .get(&scratch);
        let attrition = Param::parse(s, "levels.junior.attrition")
            .unwrap()
            .get(&scratch);
        assert!((0.0..=0.5).contains(&washout), "{washout}");
        assert!(seats >= 0.0 && seats.fract() == 0.0, "{seats}");
        assert!((0.0..1.0).contains(&attrition), "{attrition}");
    }
}

#[test]
fn milestone_probability_is_deterministic_and_responds_to_levers() {
    let loaded = load(UNCAPPED);
    let s = &loaded.scenario;
    let m = s.final_milestone().unwrap();
    let p = |s: &forcecast::scenario::Scenario| {
        milestone_probability(s, m.date, m.headcount, &opts(400, 3)).unwrap()
    };
    let base = p(s);
    assert_eq!(base, p(s), "deterministic per seed");
    // The same runs as a full Monte Carlo, also for a month before the end
    // (where the runs are cut short at the milestone).
    let full = montecarlo::run(s, &opts(400, 3), None).unwrap();
    assert_eq!(base, full.milestone_probability(0));
    let mid = forcecast::month::Month::parse("2025-06").unwrap();
    let row = full.row(mid).unwrap();
    let want = full.total[row].count_at_least(425.0) as f64 / 400.0;
    assert!(
        want > 0.1 && want < 0.9,
        "an uncertain mid-horizon test: {want}"
    );
    assert_eq!(
        milestone_probability(s, mid, 425.0, &opts(400, 3)).unwrap(),
        want
    );
    // Many more recruits: the same run streams (common random numbers), a
    // clearly higher probability.
    let mut more = s.clone();
    let k = Param::parse(s, "inflows.recruits.per_year").unwrap();
    k.set(&mut more, 400.0);
    // 250 more recruits a year put the expected total far above the
    // milestone, several spreads away: nearly every run meets it.
    let higher = p(&more);
    assert!(higher >= 0.95 && higher > base, "{higher} vs {base}");
    assert!(
        base > 0.0 && base < 1.0,
        "the test milestone should be uncertain: {base}"
    );
}

fn forcecast() -> Command {
    Command::cargo_bin("forcecast").unwrap()
}

#[test]
fn mc_files_are_identical_for_any_thread_count_and_differ_by_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = tmp.path().join(name);
        forcecast()
            .args(["mc", "--runs", "120", "--size", "800x450", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success()
            .stderr("");
        out.join("baseline")
    };
    let a = run("a", &["--threads", "1"]);
    let b = run("b", &["--threads", "2"]);
    let c = run("c", &["--threads", "2", "--seed", "2"]);
    for f in [
        "mc_percentiles.csv",
        "mc_summary.json",
        "fan.png",
        "final_histogram.png",
    ] {
        assert_eq!(
            fs::read(a.join(f)).unwrap(),
            fs::read(b.join(f)).unwrap(),
            "{f} differs between --threads 1 and 2"
        );
    }
    assert_ne!(
        fs::read(a.join("mc_percentiles.csv")).unwrap(),
        fs::read(c.join("mc_percentiles.csv")).unwrap()
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(a.join("mc_summary.json")).unwrap()).unwrap();
    assert_eq!(json["runs"], 120);
    assert_eq!(json["seed"], 1, "seed defaults to scenario.seed");
    assert_eq!(json["config_hash"].as_str().unwrap().len(), 64);
    let ms = json["milestones"].as_array().unwrap();
    assert_eq!(ms.len(), 3);
    for m in ms {
        let p = m["probability"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert!(m["p5"].as_f64().unwrap() <= m["p50"].as_f64().unwrap());
        assert!(m["p50"].as_f64().unwrap() <= m["p95"].as_f64().unwrap());
    }
    let csv = fs::read_to_string(a.join("mc_percentiles.csv")).unwrap();
    assert!(csv.starts_with(
        "month,mean,p5,p10,p25,p50,p75,p90,p95,p50.basic,p50.intermediate,p50.advanced\n"
    ));
    assert_eq!(
        csv.lines().count(),
        1 + 85,
        "header, initial state and 84 months"
    );
}

#[test]
fn mc_switches_and_svg() {
    let tmp = tempfile::tempdir().unwrap();
    forcecast()
        .args([
            "mc",
            "--runs",
            "10",
            "--no-process-noise",
            "--no-parameter-uncertainty",
            "--format",
            "svg",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("no process noise"))
        .stdout(predicates::str::contains("parameters fixed"));
    let dir = tmp.path().join("baseline");
    assert!(fs::read_to_string(dir.join("fan.svg"))
        .unwrap()
        .contains("<svg"));
    assert!(dir.join("final_histogram.svg").exists());
    // Every run is the projection: the final percentiles collapse onto it.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("mc_summary.json")).unwrap()).unwrap();
    let f = &json["final"];
    assert_eq!(f["p5"], f["p95"]);
    assert!((f["mean"].as_f64().unwrap() - f["deterministic"].as_f64().unwrap()).abs() < 1e-5);
}

#[test]
fn bad_uncertainty_and_flags_exit_2_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#""levels.junior.attrition" = { dist = "uniform", min = 0.1, max = 0.2, sd = 0.1 }"#,
            "`sd` is not used",
        ),
        (
            r#""levels.junior.attrition" = { dist = "normal", sd = 0.1, min = 0.3, max = 0.2 }"#,
            "below min",
        ),
        (
            r#""levels.junior.attrition" = { dist = "normal", sd = 0.01, min = 0.2, max = 0.3 }"#,
            "outside [min, max]",
        ),
        (
            r#""levels.junior.attrition" = { dist = "uniform", min = 0.1, max = 1.0 }"#,
            "outside the range",
        ),
        (
            r#""levels.junior.attrition" = { dist = "beta", sd = 0.5 }"#,
            "too large",
        ),
        (
            r#""levels.nobody.attrition" = { dist = "beta", sd = 0.01 }"#,
            "no level 'nobody'",
        ),
        (
            r#""levels.junior.attrition" = { dist = "gamma", sd = 0.01 }"#,
            "not a distribution",
        ),
    ];
    for (i, (line, message)) in cases.iter().enumerate() {
        let path = tmp.path().join(format!("bad{i}.toml"));
        fs::write(&path, format!("{UNCAPPED}\n[uncertainty]\n{line}\n")).unwrap();
        let out = tmp.path().join(format!("out{i}"));
        forcecast()
            .args(["mc", "--runs", "5", "--out"])
            .arg(&out)
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*message))
            .stderr(predicates::str::contains("uncertainty"));
        assert!(!out.exists(), "nothing written for case {i}");
    }
    for flags in [
        &["--runs", "0"][..],
        &["--threads", "0"],
        &["--runs", "many"],
        &["--seed", "-1"],
    ] {
        forcecast()
            .arg("mc")
            .args(flags)
            .arg("--out")
            .arg(tmp.path().join("x"))
            .assert()
            .code(2);
    }
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn milestone_runs_are_sorted_and_give_shares_and_shortfalls() {
    let runs = montecarlo::MilestoneRuns {
        totals: vec![90.0, 100.0, 110.0, 120.0],
    };
    assert_eq!(runs.share_at_least(100.0), 0.75, "met means at least");
    assert_eq!(runs.share_at_least(121.0), 0.0);
    // 3 of 4 must reach 105: the second lowest (100) needs +5.
    assert_eq!(runs.shortfall(105.0, 0.75), 5.0);
    assert_eq!(runs.shortfall(105.0, 0.1), -15.0);
    assert_eq!(runs.shortfall(105.0, 1.0), 15.0);
    let loaded = load(UNCAPPED);
    let s = &loaded.scenario;
    let m = s.final_milestone().unwrap();
    let got = montecarlo::milestone_runs(s, m.date, &opts(200, 3)).unwrap();
    assert_eq!(got.totals.len(), 200);
    assert!(got.totals.windows(2).all(|w| w[0] <= w[1]));
    let full = montecarlo::run(s, &opts(200, 3), None).unwrap();
    assert_eq!(
        got.share_at_least(m.headcount),
        full.milestone_probability(0)
    );
}

#[test]
fn each_uncertain_parameter_keeps_its_draws_when_another_moves() {
    // A beta draw uses a varying count of random numbers that depends on its
    // mean. Moving the beta parameter (as goal seeking and sensitivity do)
    // must leave the draws of the entries after it unchanged.
    let text = format!(
        "{UNCAPPED}\n[uncertainty]\n{}\n{}\n",
        r#""levels.junior.attrition" = { dist = "beta", sd = 0.05 }"#,
        r#""inflows.recruits.per_year" = { dist = "lognormal", sd = 40 }"#,
    );
    let loaded = load(&text);
    let s = &loaded.scenario;
    let draws = montecarlo::draw::resolve(s, &s.uncertainty).unwrap();
    let junior = Param::parse(s, "levels.junior.attrition").unwrap();
    let recruits = Param::parse(s, "inflows.recruits.per_year").unwrap();
    let mut moved = s.clone();
    junior.set(&mut moved, 0.3);
    let (mut a, mut b) = (s.clone(), moved.clone());
    let mut changed = 0;
    for run in 0..500 {
        let rng = || {
            let mut r = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(11);
            r.set_stream(run);
            r
        };
        montecarlo::draw::apply(&draws, s, &mut a, &mut rng());
        montecarlo::draw::apply(&draws, &moved, &mut b, &mut rng());
        assert_eq!(recruits.get(&a), recruits.get(&b), "run {run}");
        changed += usize::from(junior.get(&a) != junior.get(&b));
    }
    assert!(changed > 450, "the moved mean changes its own draws");
}

#[test]
fn there_is_one_monte_carlo() {
    // Every probability in the tool goes through montecarlo::drive: no other
    // module builds a random sampler or a random stream of its own.
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    assert!(!src.join("goal/probability.rs").exists());
    let mut samplers = 0;
    let mut bound_samplers = 0;
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(f).unwrap();
        if rel.starts_with("engine/") {
            continue;
        }
        if rel == "montecarlo/bound.rs" {
            // The draw bound (`mc --draws-only`): it times draws and
            // reports no probability or summary.
            bound_samplers += text.matches("Stochastic::new(").count();
            assert!(!text.contains("Tally") && !text.contains("McStats"));
            continue;
        }
        if rel.starts_with("montecarlo/") {
            samplers += text.matches("Stochastic::new(").count();
            continue;
        }
        for needle in [
            "Stochastic",
            "rand_chacha",
            "ChaCha",
            "set_stream",
            "SeedableRng",
        ] {
            assert!(
                !text.contains(needle),
                "{rel} uses {needle}: a second Monte Carlo"
            );
        }
    }
    assert_eq!(samplers, 1, "one sampler loop in src/montecarlo/");
    assert_eq!(bound_samplers, 1, "one in the draw bound");
}

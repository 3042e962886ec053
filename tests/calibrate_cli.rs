//! `forcecast calibrate` at the command line: the files it writes, that
//! `run calibrated.toml` reproduces the fitted values at the observed dates,
//! every bad input as exit 2 with nothing written, and that every shipped
//! config with observations reproduces its published counts within their sd.

use assert_cmd::Command;
use forcecast::config;
use forcecast::engine::project;
use forcecast::scenario::ObservedKind;
use predicates::str::contains;
use std::fs;
use std::path::Path;

fn forcecast() -> Command {
    Command::cargo_bin("forcecast").unwrap()
}

/// A small scenario whose observations were made by the model itself with
/// transfers at 150/yr and a +300 event; the config says 400 and 100.
const SYNTHETIC: &str = r#"[scenario]
name = "synthetic"
title = "Synthetic history"
start = "2021-04"
end = "2026-03"
fiscal_year_start_month = 4

[target]
count = ["basic", "advanced"]
milestones = [{ date = "2026-03", headcount = 2000 }]

[levels.basic]
initial = 600
attrition = 0.05
promotion = { to = "advanced", rate = 0.2, after_months = 12 }

[levels.advanced]
initial = 60
attrition = 0.10

[inflows.transfers]
level = "basic"
per_year = 400

[[events]]
date = "2023-10"
level = "basic"
change = 100
"#;

/// `SYNTHETIC` with observations at `dates` from its own projection with
/// transfers 150/yr and the event +300 (the truth), sd 20.
fn synthetic_config(dates: &[&str]) -> String {
    let truth = config::load_str(
        "truth.toml",
        SYNTHETIC,
        &[
            "inflows.transfers.per_year=150".into(),
            "events.0.change=300".into(),
        ],
    )
    .unwrap();
    let p = project(&truth.scenario);
    let mut text = SYNTHETIC.to_string();
    for d in dates {
        let m = forcecast::month::Month::parse(d).unwrap();
        let total = p.at(m).unwrap().total;
        text.push_str(&format!(
            "\n[[observed]]\ndate = \"{d}\"\nheadcount = {total}\nkind = \"count\"\nsd = 20\n"
        ));
    }
    text
}

const DATES: [&str; 5] = ["2021-03", "2022-03", "2023-03", "2024-03", "2025-03"];
const FITS: [&str; 4] = [
    "--fit",
    "inflows.transfers.per_year=0:1000",
    "--fit",
    "events.0.change=0:2000",
];

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn calibrate_writes_its_files_and_says_the_answer_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("synthetic.toml");
    fs::write(&cfg, synthetic_config(&DATES)).unwrap();
    let out = tmp.path().join("out");
    let assert = forcecast()
        .arg("calibrate")
        .arg(&cfg)
        .args(FITS)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "the answer and where the files went:\n{stdout}"
    );
    assert!(
        lines[0].starts_with(
            "fitted to 5 observations 2021-03..2025-03: inflows.transfers.per_year = 150"
        ) && lines[0].contains("events.0.change = 300"),
        "{stdout}"
    );
    let dir = out.join("synthetic");
    let c = json(&dir.join("calibration.json"));
    let params = c["parameters"].as_array().unwrap();
    assert!((params[0]["fitted"].as_f64().unwrap() - 150.0).abs() < 1e-6);
    assert_eq!(params[1]["fitted"].as_f64().unwrap(), 300.0);
    assert_eq!(c["identifiable"], true);
    let toml = fs::read_to_string(dir.join("calibrated.toml")).unwrap();
    assert!(
        toml.contains("extends = \"../../synthetic.toml\""),
        "relative to the folder it is written in:\n{toml}"
    );
}

#[test]
fn run_calibrated_toml_reproduces_the_fitted_values_at_the_observed_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("synthetic.toml");
    fs::write(&cfg, synthetic_config(&DATES)).unwrap();
    let out = tmp.path().join("out");
    // A --set is carried into calibrated.toml, so the run matches the fit.
    forcecast()
        .arg("calibrate")
        .arg(&cfg)
        .args(FITS)
        .args([
            "--set",
            "levels.advanced.attrition=0.12",
            "--until",
            "2024-06",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let dir = out.join("synthetic");
    let c = json(&dir.join("calibration.json"));
    forcecast()
        .arg("run")
        .arg(dir.join("calibrated.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("synthetic_calibrated/projection.csv")).unwrap();
    let total_at = |date: &str| -> f64 {
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{date},")))
            .unwrap_or_else(|| panic!("no row {date}"));
        line.split(',').nth(2).unwrap().parse().unwrap()
    };
    let points = c["points"].as_array().unwrap();
    assert_eq!(points.len(), DATES.len());
    assert!(points.iter().any(|p| p["role"] == "holdout"));
    for p in points {
        let date = p["date"].as_str().unwrap();
        let fitted = p["fitted"].as_f64().unwrap();
        let run = total_at(date);
        assert!(
            (run - fitted).abs() <= 1e-9 * fitted.abs().max(1.0),
            "{date}: run {run} vs fitted {fitted}"
        );
    }
}

/// Runs `calibrate` with `args` on the synthetic config and expects exit 2
/// with `message` and nothing written.
fn refused(text: &str, args: &[&str], message: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("synthetic.toml");
    fs::write(&cfg, text).unwrap();
    let out = tmp.path().join("out");
    forcecast()
        .arg("calibrate")
        .arg(&cfg)
        .args(args)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains(message));
    assert!(!out.exists(), "nothing written for {args:?}");
}

#[test]
fn bad_input_is_exit_2_with_nothing_written() {
    let good = synthetic_config(&DATES);
    refused(
        &good,
        &["--fit", "inflows.nope.per_year"],
        "no inflow 'nope'",
    );
    refused(
        &good,
        &["--fit", "inflows.transfers.per_year=600:100"],
        "LO must be below HI",
    );
    refused(
        &good,
        &["--fit", "inflows.transfers.per_year=-5:100"],
        "outside the range",
    );
    refused(
        &good,
        &["--fit", "inflows.transfers.per_year", "--until", "March"],
        "--until March: not a month",
    );
    refused(
        &good,
        &["--fit", "inflows.transfers.per_year", "--use", "some"],
        "expected `counts`",
    );
    refused(
        &good,
        &[
            "--fit",
            "inflows.transfers.per_year",
            "--fit",
            "inflows.transfers.per_year",
        ],
        "named twice",
    );
    // Too few points: two parameters, one observation.
    refused(
        &synthetic_config(&DATES[..1]),
        &FITS,
        "2 parameters to fit but only 1 observation",
    );
    refused(
        &good,
        &["--fit", "inflows.transfers.per_year", "--until", "2020-01"],
        "--until 2020-01 holds out the later ones",
    );
    // Not identifiable: an entry for a fiscal year after the last observation.
    refused(
        &good,
        &["--fit", "inflows.transfers.by_fiscal_year.2025"],
        "not identifiable",
    );
    // An observation outside the horizon: the config's own error, with its line.
    let outside =
        format!("{good}\n[[observed]]\ndate = \"2030-03\"\nheadcount = 900\nkind = \"count\"\n");
    refused(
        &outside,
        &["--fit", "inflows.transfers.per_year"],
        "outside the horizon",
    );
    // --fit is required.
    refused(&good, &[], "--fit");
    // Months on the job are whole monthly steps: not a fit parameter
    // (trainees per mentor is).
    refused(
        include_str!("../configs/baseline.toml"),
        &["--fit", "levels.basic.qualification.months"],
        "whole monthly steps and cannot be fitted",
    );
}

/// The shipped configs reproduce their history: every published count they
/// carry is met within its stated sd by the expected projection.
#[test]
fn every_shipped_config_reproduces_its_observed_counts_within_their_sd() {
    let mut with_counts = 0;
    for entry in fs::read_dir("configs").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let loaded = config::load(Some(&path), &[]).unwrap();
        let s = &loaded.scenario;
        let p = project(s);
        let counts: Vec<_> = s
            .observed
            .iter()
            .filter(|o| o.kind == ObservedKind::Count)
            .collect();
        if counts.is_empty() {
            continue;
        }
        with_counts += 1;
        for o in counts {
            let row = p.at(o.date).unwrap();
            let model = match o.level {
                Some(l) => row.levels[l],
                None => row.total,
            };
            assert!(
                (model - o.headcount).abs() <= o.sd,
                "{}: {} projects {model:.0} against the published {} ± {}",
                path.display(),
                o.date,
                o.headcount,
                o.sd
            );
        }
    }
    assert!(
        with_counts >= 2,
        "the baseline and its what-ifs carry history"
    );
}

/// The baseline's fitted values are what `calibrate` finds on it today: the
/// config and the fit have not drifted apart.
#[test]
fn the_baselines_fitted_values_are_its_calibration() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    forcecast()
        .args(["calibrate", "configs/baseline.toml"])
        .args([
            "--fit",
            "inflows.transfers_history.per_year=0:1000",
            "--fit",
            "events.0.change=0:2000",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let c = json(&out.join("baseline/calibration.json"));
    let s = config::load(Some(Path::new("configs/baseline.toml")), &[])
        .unwrap()
        .scenario;
    for p in c["parameters"].as_array().unwrap() {
        let path = p["path"].as_str().unwrap();
        let fitted = p["fitted"].as_f64().unwrap();
        let se = p["se"].as_f64().unwrap();
        let param = forcecast::params::Param::parse(&s, path).unwrap();
        let configured = param.get(&s);
        // Written to the whole person: within half a person of the fit.
        assert!(
            (configured - fitted).abs() <= 0.5,
            "{path}: configured {configured}, calibrate finds {fitted}"
        );
        let u = s.uncertainty.iter().find(|u| u.path == path).unwrap();
        let sd = match u.dist {
            forcecast::scenario::Distribution::Normal { sd, .. }
            | forcecast::scenario::Distribution::LogNormal { sd } => sd,
            other => panic!("{path}: {other:?}"),
        };
        assert!(
            (sd - se).abs() <= 0.5,
            "{path}: [uncertainty] sd {sd}, standard error {se}"
        );
    }
}

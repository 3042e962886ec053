//! `forcecast analyze` and the line it adds to `run`, from the outside.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn forcecast() -> Command {
    Command::cargo_bin("forcecast").unwrap()
}

#[test]
fn analyze_writes_markov_json_for_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    forcecast()
        .args(["analyze", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(contains("Expected months in each level"))
        .stdout(contains("Holding 4,000 needs about"));
    let text = std::fs::read_to_string(dir.path().join("baseline/markov.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["levels"],
        serde_json::json!(["basic", "intermediate", "advanced"])
    );
    assert_eq!(v["at"], "2028-03");
    for key in [
        "expected_months",
        "expected_career_months",
        "probability_reach",
        "sustainment",
        "steady_state",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    for key in [
        "headcount",
        "entrants_per_year",
        "graduates_per_year",
        "seats_per_year",
    ] {
        assert!(v["sustainment"][key].is_number(), "sustainment.{key}");
    }
    assert_eq!(v["sustainment"]["headcount"], 4000.0);
    // Advanced: 12 %/yr attrition, no promotion: 1 / (1 - 0.88^(1/12)) month-ends.
    let advanced = v["expected_career_months"]["advanced"].as_f64().unwrap();
    assert!((advanced - 1.0 / (1.0 - 0.88f64.powf(1.0 / 12.0))).abs() < 1e-9);
}

#[test]
fn analyze_rejects_a_month_outside_the_horizon_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    forcecast()
        .args(["analyze", "--at", "2030-01", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("--at 2030-01"));
    forcecast()
        .args(["analyze", "--at", "March", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(!dir.path().join("baseline").exists());
}

#[test]
fn analyze_names_a_level_nobody_leaves() {
    let dir = tempfile::tempdir().unwrap();
    forcecast()
        .args(["analyze", "--set", "levels.advanced.attrition=0", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("levels.advanced"));
    assert!(!dir.path().join("baseline").exists());
}

#[test]
fn run_summary_says_what_holding_the_target_takes() {
    let dir = tempfile::tempdir().unwrap();
    forcecast()
        .args(["run", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(
            contains("Holding 4,000 needs about")
                .and(contains("the plan's last year provides 238.")),
        );
}

//! The command line end to end: outputs, determinism, `--set`, `extends`, and
//! every class of bad input (exit 2, a message naming file, line and field,
//! nothing written).

use predicates::prelude::*;
use std::fs;
use std::path::Path;

mod common;
use common::{forcecast, write, SMALL};

#[test]
fn run_writes_the_projection_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    forcecast()
        .args(["run", "--out"])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("2028-03 FY2027 target"))
        .stdout(predicate::str::contains("Outputs:"));
    let dir = tmp.path().join("baseline");
    for f in ["projection.csv", "classes.csv", "summary.json", "report.md"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"], "baseline");
    assert_eq!(json["milestones"].as_array().unwrap().len(), 3);
    for key in [
        "final_total",
        "first_month_at_final_target",
        "peak_queue",
        "seat_limited_classes",
        "instructor_limited_classes",
    ] {
        assert!(json.get(key).is_some(), "summary.json lacks {key}");
    }
    let csv = fs::read_to_string(dir.join("projection.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("month,fiscal_year,total,basic,intermediate,advanced,queue,training,instructors,queued,started,graduated,chained,washout,queue_dropouts,lateral,events,separations,promotions"));
    let first = csv.lines().nth(1).unwrap();
    assert!(
        first.starts_with("2021-03,2020,660,"),
        "initial row labelled with the month before start: {first}"
    );
    // The baseline runs FY2021-FY2027: 84 months after the initial state.
    assert_eq!(csv.lines().count(), 1 + 85);
}

#[test]
fn same_config_gives_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        forcecast()
            .args(["run", "--out"])
            .arg(tmp.path().join(out))
            .assert()
            .success();
    }
    let names: Vec<_> = fs::read_dir(tmp.path().join("a/baseline"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(names.len() >= 4);
    for n in names {
        let a = fs::read(tmp.path().join("a/baseline").join(&n)).unwrap();
        let b = fs::read(tmp.path().join("b/baseline").join(&n)).unwrap();
        assert!(a == b, "{n:?} differs between two identical runs");
    }
}

#[test]
fn check_accepts_every_shipped_config() {
    let configs: Vec<_> = fs::read_dir("configs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    assert!(!configs.is_empty());
    forcecast()
        .arg("check")
        .args(&configs)
        .assert()
        .success()
        .stdout(predicate::str::contains("OK"));
}

#[test]
fn set_overrides_values_and_names_unknown_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "small.toml", SMALL);
    let out = tmp.path().join("out");
    forcecast()
        .arg("run")
        .arg(&cfg)
        .arg("--out")
        .arg(&out)
        .args([
            "--set",
            "levels.basic.initial=1000",
            "--set",
            "scenario.name=bigger",
        ])
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("bigger/projection.csv")).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("2023-12,2023,1010,1000,10,"),
        "{csv}"
    );

    forcecast()
        .arg("check")
        .arg(&cfg)
        .args(["--set", "levels.basic.attrtion=0.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--set levels.basic.attrtion=0.1"))
        .stderr(predicate::str::contains("unknown field `attrtion`"))
        .stderr(predicate::str::contains("`attrition`"));
    forcecast()
        .arg("check")
        .arg(&cfg)
        .args(["--set", "levels.senoir.attrition=0.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("valid: basic, senior"));
    forcecast()
        .arg("check")
        .arg(&cfg)
        .args(["--set", "levels.basic.attrition=1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--set levels.basic.attrition=1.5: levels.basic.attrition: 1.5 is not allowed",
        ))
        .stderr(predicate::str::contains("[0, 1)"));
}

#[test]
fn extends_merges_tables_and_replaces_arrays() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "parent.toml", SMALL);
    let child = write(
        tmp.path(),
        "child.toml",
        "extends = \"parent.toml\"\n[scenario]\nname = \"child\"\n[levels.basic]\ninitial = 70\n[courses.school]\nclass_starts = [4]\n",
    );
    let loaded = forcecast::config::load(Some(&child), &[]).unwrap();
    let s = &loaded.scenario;
    assert_eq!(s.name, "child");
    assert_eq!(s.levels[0].initial, 70.0);
    assert_eq!(s.levels[0].attrition, 0.1, "kept from the parent");
    assert_eq!(
        s.courses[0].class_starts.iter().filter(|&&b| b).count(),
        1,
        "arrays replace"
    );
    assert_eq!(s.start.to_string(), "2024-01");

    let a = write(tmp.path(), "a.toml", "extends = \"b.toml\"\n");
    write(tmp.path(), "b.toml", "extends = \"a.toml\"\n");
    forcecast()
        .arg("check")
        .arg(&a)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("extends cycle"));
    let orphan = write(tmp.path(), "orphan.toml", "extends = \"nowhere.toml\"\n");
    forcecast()
        .arg("check")
        .arg(&orphan)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "orphan.toml:1: extends: parent config",
        ))
        .stderr(predicate::str::contains("does not exist"));
}

/// Each bad config: (what is wrong, replace this, with this, messages that must appear).
const BAD: &[(&str, &str, &str, &[&str])] = &[
    (
        "TOML syntax",
        "attrition = 0.1\n",
        "attrition = = 0.1\n",
        &["bad.toml:11:", "TOML syntax error"],
    ),
    (
        "wrong type",
        "initial = 50",
        "initial = \"fifty\"",
        &[
            "bad.toml:10:",
            "levels.basic.initial",
            "expected a number, found the text \"fifty\"",
        ],
    ),
    (
        "unknown field",
        "attrition = 0.05",
        "attrition = 0.05\nretire = 0.1",
        &["bad.toml:17:", "unknown field `retire`", "expected one of"],
    ),
    (
        "missing field",
        "initial = 10\n",
        "",
        &["levels.senior", "missing field `initial`"],
    ),
    (
        "rate out of range",
        "attrition = 0.1",
        "attrition = 1.2",
        &["bad.toml:11:", "levels.basic.attrition", "[0, 1)"],
    ),
    (
        "negative count",
        "seats_per_class = 20",
        "seats_per_class = -5",
        &[
            "bad.toml:21:",
            "courses.school.seats_per_class",
            "whole number in [0, 1e9]",
        ],
    ),
    (
        "fractional count",
        "initial = 50",
        "initial = 50.5",
        &["levels.basic.initial", "whole number"],
    ),
    (
        "nan",
        "washout = 0.1",
        "washout = nan",
        &["courses.school.washout", "nan is not allowed"],
    ),
    (
        "unknown level",
        "graduates_to = \"basic\"",
        "graduates_to = \"basci\"",
        &[
            "bad.toml:19:",
            "courses.school.graduates_to",
            "no level or course 'basci'",
            "levels: basic, senior",
        ],
    ),
    (
        "unknown course",
        "course = \"school\"",
        "course = \"schol\"",
        &[
            "inflows.recruits.course",
            "no course 'schol' (did you mean 'school'?); courses: school",
        ],
    ),
    (
        "promotion cycle",
        "attrition = 0.05\n",
        "attrition = 0.05\npromotion = { to = \"basic\", rate = 0.1 }\n",
        &["promotion cycle"],
    ),
    (
        "malformed date",
        "start = \"2024-01\"",
        "start = \"2024-1\"",
        &["bad.toml:3:", "scenario.start", "YYYY-MM"],
    ),
    (
        "dates out of order",
        "end = \"2025-12\"",
        "end = \"2023-06\"",
        &["scenario.end", "before start"],
    ),
    (
        "milestone outside horizon",
        "date = \"2025-12\"",
        "date = \"2030-03\"",
        &[
            "target.milestones[0].date",
            "outside the simulated horizon 2024-01 .. 2025-12",
        ],
    ),
    (
        "class month outside 1..12",
        "class_starts = [1, 7]",
        "class_starts = [1, 13]",
        &["courses.school.class_starts[1]", "1..12"],
    ),
    (
        "horizon over 100 years",
        "end = \"2025-12\"",
        "end = \"2199-12\"",
        &["scenario.end", "the limit is 1200"],
    ),
    (
        "bad scenario name",
        "name = \"small\"",
        "name = \"Small Run\"",
        &["scenario.name", "a-z, 0-9"],
    ),
    (
        "reserved name",
        "[levels.senior]",
        "[levels.total]",
        &["'total' is an output column name"],
    ),
    (
        "inflow with two destinations",
        "course = \"school\"",
        "course = \"school\"\nlevel = \"basic\"",
        &["inflows.recruits", "exactly one of"],
    ),
    (
        "bad monthly pattern",
        "per_year = 40",
        "per_year = 40\nmonthly_pattern = [1, 2]",
        &["inflows.recruits.monthly_pattern", "12 weights"],
    ),
    (
        "bad fiscal year key",
        "per_year = 40",
        "per_year = 40\nby_fiscal_year = { next = 5 }",
        &["inflows.recruits.by_fiscal_year.next", "four-digit years"],
    ),
];

#[test]
fn every_class_of_bad_input_is_a_clear_error_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for (what, from, to, needles) in BAD {
        assert!(
            SMALL.contains(from),
            "{what}: pattern {from:?} not in the base config"
        );
        let cfg = write(tmp.path(), "bad.toml", &SMALL.replacen(from, to, 1));
        let out = tmp.path().join("out");
        let assert = forcecast()
            .arg("run")
            .arg(&cfg)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        for n in *needles {
            assert!(stderr.contains(n), "{what}: expected {n:?} in:\n{stderr}");
        }
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert!(!out.exists(), "{what}: output written despite the error");
    }
}

#[test]
fn bad_flags_and_files_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    forcecast()
        .args(["run", "--size", "10x10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("400..=8000"));
    forcecast().args(["run", "--bogus"]).assert().code(2);
    forcecast()
        .arg("check")
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
    forcecast()
        .arg("check")
        .arg(tmp.path().join("missing.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read config"));
    let bin = tmp.path().join("binary.toml");
    fs::write(&bin, [0xffu8, 0xfe, 0x00, 0x01]).unwrap();
    forcecast()
        .arg("check")
        .arg(&bin)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8"));
    // An --out that cannot be written is not a usage error but a failure to
    // write (exit 1): tests/cli_edges.rs.
}

#[test]
fn fail_below_exits_3_when_the_final_milestone_is_missed() {
    let tmp = tempfile::tempdir().unwrap();
    // The baseline misses 4,000 by March 2028.
    forcecast()
        .args(["run", "--fail-below", "--out"])
        .arg(tmp.path())
        .assert()
        .code(3);
    forcecast()
        .args([
            "run",
            "--fail-below",
            "--set",
            "target.milestones=[]",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .code(0);
}

/// Ctrl-C while the output files are being put in place (every file staged
/// as a temporary file, none renamed yet: a test-only pause holds the program
/// there): exit 130, and the temporary files are removed, so the output
/// folder holds no file at all.
#[cfg(unix)]
#[test]
fn ctrl_c_during_a_long_run_leaves_no_partial_files() {
    use std::io::BufRead;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("forcecast"))
        .args(["run", "--out"])
        .arg(&out)
        .env("FORCECAST_TEST_PAUSE_BEFORE_RENAME", "60000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("paused before rename") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the program ended before staging its files"
        );
    }
    let staged = walk(&out);
    assert!(
        !staged.is_empty() && staged.iter().all(|p| p.to_string_lossy().ends_with(".tmp")),
        "all files staged, none in place: {staged:?}"
    );
    // SAFETY: sending SIGINT to our own child process.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest}");
    let leftovers: Vec<_> = walk(&out);
    assert!(leftovers.is_empty(), "files left behind: {leftovers:?}");
}

#[cfg(unix)]
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flat_map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p)
            } else {
                vec![p]
            }
        })
        .collect()
}

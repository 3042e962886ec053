//! Every limit and exit code docs/robustness.md documents, at the command
//! line: the limit itself is accepted, one past it is exit 2 naming the field
//! and the limit, and nothing is written. Plus exit 1 on an I/O failure and a
//! quiet end on a closed pipe.

use std::fs;
use std::path::Path;

mod common;
use common::{forcecast, write, SMALL};

/// `run` on `config` must fail with exit 2, every needle in stderr, no panic
/// and no output folder.
fn rejected(config: &Path, needles: &[&str]) -> String {
    let out = config.with_extension("out");
    let assert = forcecast()
        .arg("run")
        .arg(config)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for n in needles {
        assert!(stderr.contains(n), "expected {n:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "output written despite the error");
    stderr
}

fn accepted(config: &Path) {
    forcecast().arg("check").arg(config).assert().code(0);
}

#[test]
fn config_files_up_to_1_mib_load_and_larger_ones_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let limit = 1 << 20;
    // Pad with comment lines to exactly the limit, then one byte over.
    let pad = |n: usize| {
        let mut t = SMALL.to_string();
        while t.len() < n {
            let line = "#".repeat((n - t.len()).min(100) - 1) + "\n";
            t += if line.len() == 1 { "\n" } else { &line };
        }
        assert_eq!(t.len(), n);
        t
    };
    accepted(&write(tmp.path(), "max.toml", &pad(limit)));
    let big = write(tmp.path(), "big.toml", &pad(limit + 1));
    rejected(&big, &["big.toml", "1048577 bytes", "1048576"]);
}

fn levels(n: usize) -> String {
    let mut t =
        String::from("[scenario]\nname = \"many\"\nstart = \"2024-01\"\nend = \"2024-12\"\n");
    for i in 0..n {
        t += &format!("[levels.l{i}]\ninitial = 1\nattrition = 0.1\n");
    }
    t
}

#[test]
fn at_most_64_levels() {
    let tmp = tempfile::tempdir().unwrap();
    accepted(&write(tmp.path(), "ok.toml", &levels(64)));
    rejected(
        &write(tmp.path(), "many.toml", &levels(65)),
        &["levels", "65 levels", "64"],
    );
}

#[test]
fn extends_chains_of_up_to_16_files() {
    let tmp = tempfile::tempdir().unwrap();
    // c0 is the full config; c{k} extends c{k-1}, so c{k} is a chain of k + 1 files.
    write(tmp.path(), "c0.toml", SMALL);
    for k in 1..17 {
        write(
            tmp.path(),
            &format!("c{k}.toml"),
            &format!(
                "extends = \"c{}.toml\"\n[levels.basic]\ninitial = {}\n",
                k - 1,
                50 + k
            ),
        );
    }
    accepted(&tmp.path().join("c15.toml"));
    rejected(&tmp.path().join("c16.toml"), &["extends", "16"]);
}

#[test]
fn course_cycles_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let text = SMALL.replace("graduates_to = \"basic\"", "graduates_to = \"advanced\"")
        + "\n[courses.advanced]\ngraduates_to = \"school\"\nlength_months = 2\nseats_per_class = 5\nclass_starts = [3]\n";
    rejected(
        &write(tmp.path(), "cycle.toml", &text),
        &["courses.", "graduates_to", "course cycle"],
    );
}

#[test]
fn events_outside_the_horizon_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for date in ["2023-12", "2026-01"] {
        let text =
            format!("{SMALL}\n[[events]]\ndate = \"{date}\"\nlevel = \"basic\"\nchange = 5\n");
        rejected(
            &write(tmp.path(), "event.toml", &text),
            &["events[0].date", date, "outside the simulated horizon"],
        );
    }
    // The horizon's own ends are inside.
    for date in ["2024-01", "2025-12"] {
        let text =
            format!("{SMALL}\n[[events]]\ndate = \"{date}\"\nlevel = \"basic\"\nchange = 5\n");
        accepted(&write(tmp.path(), "edge.toml", &text));
    }
}

#[test]
fn a_class_month_may_not_repeat() {
    let tmp = tempfile::tempdir().unwrap();
    let text = SMALL.replace("class_starts = [1, 7]", "class_starts = [1, 7, 1]");
    rejected(
        &write(tmp.path(), "twice.toml", &text),
        &["courses.school.class_starts[2]"],
    );
}

#[test]
fn several_problems_are_reported_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let text = SMALL
        .replace("attrition = 0.1", "attrition = 1.2")
        .replace("seats_per_class = 20", "seats_per_class = -5")
        .replace("class_starts = [1, 7]", "class_starts = [1, 13]");
    let stderr = rejected(
        &write(tmp.path(), "three.toml", &text),
        &[
            "levels.basic.attrition",
            "courses.school.seats_per_class",
            "courses.school.class_starts[1]",
        ],
    );
    assert!(
        stderr.lines().filter(|l| l.starts_with("error")).count() >= 3,
        "one line per problem:\n{stderr}"
    );
}

#[test]
fn counts_and_factors_have_their_documented_ceilings() {
    let tmp = tempfile::tempdir().unwrap();
    accepted(&write(
        tmp.path(),
        "max.toml",
        &SMALL.replace("initial = 50", "initial = 1000000000"),
    ));
    rejected(
        &write(
            tmp.path(),
            "huge.toml",
            &SMALL.replace("initial = 50", "initial = 1000000001"),
        ),
        &["levels.basic.initial"],
    );
    let shock = |f: &str| {
        format!("{SMALL}\n[[shocks]]\nfrom = \"2024-03\"\nto = \"2024-06\"\nlevels = [\"basic\"]\nattrition_factor = {f}\n")
    };
    accepted(&write(tmp.path(), "f100.toml", &shock("100")));
    rejected(
        &write(tmp.path(), "f101.toml", &shock("100.5")),
        &["shocks[0].attrition_factor"],
    );
}

#[test]
fn runs_over_the_cap_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for args in [
        &["mc", "--runs", "10000001"][..],
        &[
            "solve",
            "--lever",
            "inflows.cyber_recruits.per_year",
            "--probability",
            "0.5",
            "--runs",
            "1000001",
        ],
        &[
            "sweep",
            "--x",
            "levels.basic.attrition=0.01:0.5:501",
            "--y",
            "levels.senior.attrition=0.01:0.5:3",
        ],
    ] {
        let assert = forcecast()
            .args(args)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(
            stderr.contains("10000000") || stderr.contains("1000000") || stderr.contains("500"),
            "{args:?}: the limit is named:\n{stderr}"
        );
        assert!(!out.exists(), "{args:?} wrote output");
    }
}

/// An I/O failure while putting files in place is exit 1, not 2 (the input
/// was fine), and leaves no temporary file behind.
#[test]
fn an_io_failure_is_exit_1_and_leaves_no_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "small.toml", SMALL);
    let out = tmp.path().join("out");
    // A folder where a file must go: the rename into place fails (as root too).
    fs::create_dir_all(out.join("small").join("summary.json")).unwrap();
    let assert = forcecast()
        .arg("run")
        .arg(&cfg)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("summary.json"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in fs::read_dir(out.join("small")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(!name.ends_with(".tmp"), "temporary file left: {name}");
    }
}

/// `forcecast check configs/baseline.toml | head -0`: the reader is gone before anything is
/// printed. The process ends on SIGPIPE like other Unix tools, not with a
/// Rust panic about a broken pipe (exit 101).
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("forcecast"))
        .args(["check", "configs/baseline.toml"])
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGPIPE),
        "{:?}: {stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

//! `forcecast compare` on the command line: outputs, table, and refusals.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn forcecast() -> Command {
    Command::cargo_bin("forcecast").unwrap()
}

#[test]
fn writes_chart_csv_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/baseline.toml");
    forcecast()
        .args([
            "compare", base, "--name", "mine", "--size", "800x450", "--out",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(
            contains("final total")
                .and(contains("baseline"))
                .and(contains("1 of 3"))
                .and(contains("not reached by 2028-03")),
        );
    let out = dir.path().join("mine");
    let png = std::fs::read(out.join("compare.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR width and height.
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 800);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 450);
    let csv = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    assert!(
        csv.starts_with("month,fiscal_year,baseline\n2021-03,2020,660\n"),
        "{csv}"
    );
}

#[test]
fn refuses_duplicate_names_and_bad_folder_names() {
    let dir = tempfile::tempdir().unwrap();
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/baseline.toml");
    forcecast()
        .args(["compare", base, base, "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("both name their scenario 'baseline'"));
    forcecast()
        .args(["compare", base, "--name", "../x", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("--name"));
    forcecast()
        .args([
            "compare",
            base,
            "--set",
            "levels.basic.attrition=7",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("attrition"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

//! `forcecast report`: report.xlsx holds the same numbers as the CSVs `run`,
//! `mc` and `sensitivity` write (read back with calamine); bad input writes
//! nothing; every number of every shipped config has its provenance.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{forcecast, write};
use std::path::Path;

/// A sheet's cells as the CSV's text would parse: numbers as numbers, text
/// as text, blanks empty. The first two rows are the header and the units.
fn sheet(book: &Path, name: &str) -> (Vec<String>, Vec<String>, Vec<Vec<Data>>) {
    let mut wb: Xlsx<_> = calamine::open_workbook(book).unwrap();
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    let mut rows = range.rows();
    let text = |r: &[Data]| r.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let header = text(rows.next().unwrap());
    let units = text(rows.next().unwrap());
    (header, units, rows.map(|r| r.to_vec()).collect())
}

/// Every cell of the CSV equals the sheet's: numbers exactly (the CSV keeps
/// full precision), text as written, blank as empty.
fn assert_same(csv_path: &Path, book: &Path, name: &str, skip_cols: usize, rows_of: Option<&str>) {
    let (header, units, rows) = sheet(book, name);
    let rows: Vec<Vec<Data>> = rows
        .into_iter()
        .filter(|r| rows_of.is_none_or(|s| r[0] == s))
        .map(|r| r[skip_cols..].to_vec())
        .collect();
    let mut csv = csv::Reader::from_path(csv_path).unwrap();
    let csv_header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[skip_cols..], &csv_header[..], "{name}: header");
    assert_eq!(units.len(), header.len(), "{name}: a unit per column");
    let records: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), rows.len(), "{name}: rows");
    assert!(
        !records.is_empty(),
        "{name}: the comparison must compare something"
    );
    let mut numbers = 0;
    for (i, (rec, row)) in records.iter().zip(&rows).enumerate() {
        for (j, text) in rec.iter().enumerate() {
            let cell = row.get(j).cloned().unwrap_or(Data::Empty);
            match (text.parse::<f64>(), &cell) {
                (Ok(x), Data::Float(y)) => {
                    assert_eq!(x, *y, "{name} row {i} {}", csv_header[j]);
                    numbers += 1;
                }
                (Ok(x), Data::Int(y)) => {
                    assert_eq!(x, *y as f64, "{name} row {i} {}", csv_header[j]);
                    numbers += 1;
                }
                (_, Data::Empty) => assert_eq!(text, "", "{name} row {i} {}", csv_header[j]),
                (_, other) => assert_eq!(
                    text,
                    other.to_string(),
                    "{name} row {i} {}: numbers must be stored as numbers",
                    csv_header[j]
                ),
            }
        }
    }
    assert!(numbers > 0, "{name}: no numbers compared");
}

#[test]
fn the_workbook_holds_the_numbers_of_the_csvs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/baseline.toml");
    let config = config.to_str().unwrap();
    forcecast()
        .args(["report", config, "--runs", "20", "--out"])
        .arg(out.join("report"))
        .assert()
        .success();
    forcecast()
        .args(["run", config, "--out"])
        .arg(out)
        .assert()
        .success();
    forcecast()
        .args(["mc", config, "--runs", "20", "--out"])
        .arg(out)
        .assert()
        .success();
    forcecast()
        .args(["sensitivity", config, "--out"])
        .arg(out)
        .assert()
        .success();
    let book = out.join("report/report.xlsx");
    let csvs = out.join("baseline");
    assert_same(&csvs.join("projection.csv"), &book, "baseline", 0, None);
    assert_same(
        &csvs.join("classes.csv"),
        &book,
        "classes",
        1,
        Some("baseline"),
    );
    assert_same(
        &csvs.join("mc_percentiles.csv"),
        &book,
        "mc baseline",
        0,
        None,
    );
    assert_same(
        &csvs.join("sensitivity.csv"),
        &book,
        "sensitivity",
        1,
        Some("baseline"),
    );
    let (header, units, _) = sheet(&book, "baseline");
    let total = header.iter().position(|h| h == "total").unwrap();
    assert_eq!(units[total], "people");
}

#[test]
fn the_same_inputs_give_the_same_files() {
    let tmp = tempfile::tempdir().unwrap();
    let small = write(tmp.path(), "small.toml", common::SMALL);
    let run = |dir: &str| {
        forcecast()
            .args(["report", small.to_str().unwrap(), "--runs", "10", "--out"])
            .arg(tmp.path().join(dir))
            .assert()
            .success();
        (
            std::fs::read(tmp.path().join(dir).join("report.html")).unwrap(),
            std::fs::read(tmp.path().join(dir).join("report.xlsx")).unwrap(),
        )
    };
    let a = run("a");
    let b = run("b");
    assert!(a.0 == b.0, "report.html differs between two runs");
    assert!(a.1 == b.1, "report.xlsx differs between two runs");
}

#[test]
fn bad_input_writes_nothing_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let bad = write(tmp.path(), "bad.toml", "[scenario]\nname = 1\n");
    forcecast()
        .args(["report", bad.to_str().unwrap(), "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.toml"));
    assert!(!out.exists(), "no partial output");
    forcecast()
        .args(["report", "no-such.toml", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists(), "no partial output");
}

/// The report's assumptions table reads `[sources]`: in the shipped configs
/// every number the config writes has a label (none "unlabelled").
#[test]
fn every_number_of_every_shipped_config_has_its_provenance() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs");
    let mut checked = 0;
    for path in forcecast::commands::report::default_configs(&dir).unwrap() {
        let loaded = forcecast::config::load(Some(&path), &[]).unwrap();
        let rows = forcecast::config::sources::assumptions(
            &loaded.merged,
            &loaded.scenario,
            &loaded.sources,
        );
        let unlabelled: Vec<&str> = rows
            .iter()
            .filter(|a| a.status() == "unlabelled")
            .map(|a| a.path.as_str())
            .collect();
        assert!(
            unlabelled.is_empty(),
            "{}: unlabelled numbers: {unlabelled:?}",
            path.display()
        );
        checked += rows.len();
    }
    assert!(checked > 100, "only {checked} values checked");
}

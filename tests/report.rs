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

/// SMALL with unit costs, a budget and an uncertain pay.
fn costed() -> String {
    format!(
        "{}\n[costs]\ncurrency = \"JPY million\"\nlevels = {{ basic = 9, senior = 12 }}\ncourses.school = {{ per_trainee_month = 0.5, per_class = 30 }}\ninflows.recruits = 2\nbudget = {{ 2024 = 600, 2025 = 700 }}\n\n[uncertainty]\n\"costs.levels.basic\" = {{ dist = \"lognormal\", sd = 1 }}\n",
        common::SMALL
    )
}

#[test]
fn costs_have_a_section_and_sheets_that_equal_the_csvs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let config = write(out, "costed.toml", &costed());
    let config = config.to_str().unwrap();
    forcecast()
        .args(["report", config, "--runs", "30", "--out"])
        .arg(out.join("report"))
        .assert()
        .success();
    forcecast()
        .args(["run", config, "--out"])
        .arg(out)
        .assert()
        .success();
    forcecast()
        .args(["mc", config, "--runs", "30", "--out"])
        .arg(out)
        .assert()
        .success();
    let book = out.join("report/report.xlsx");
    let csvs = out.join("small");
    assert_same(&csvs.join("costs.csv"), &book, "costs", 2, Some("small"));
    assert_same(
        &csvs.join("mc_costs.csv"),
        &book,
        "mc costs",
        2,
        Some("small"),
    );
    let (header, units, rows) = sheet(&book, "costs");
    let pay = header.iter().position(|h| h == "pay").unwrap();
    assert_eq!(units[pay], "JPY million");
    assert_eq!(rows[0][1], Data::String("JPY million".into()));
    let (header, units, _) = sheet(&book, "mc costs");
    let share = header
        .iter()
        .position(|h| h == "share_within_budget")
        .unwrap();
    assert_eq!(units[share], "fraction");

    let html = std::fs::read_to_string(out.join("report/report.html")).unwrap();
    let section = &html[html.find("id=\"costs\"").expect("a costs section")..];
    let section = &section[..section.find("id=\"assumptions\"").unwrap()];
    // The expected-value total and the cost per added person, as summary.json has them.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(csvs.join("summary.json")).unwrap()).unwrap();
    let total = summary["costs"]["total"].as_f64().unwrap();
    let total_text = forcecast::format::thousands(total, 0);
    assert!(section.contains(&total_text), "{total_text} in the section");
    let per = summary["costs"]["cost_per_added_person"].as_f64().unwrap();
    let per_text = forcecast::format::value_label(per);
    assert!(
        section.contains(&format!("each added person cost {per_text} JPY million")),
        "{per_text}"
    );
    assert!(section.contains("runs within budget"));
    assert!(section.contains("data:image/png;base64,"), "the cost chart");
    for fy in ["FY2024", "FY2025"] {
        assert!(section.contains(fy), "{fy}");
    }
    // A pay drawn per run: the spread is said, with 1 unit cost among the parameters.
    assert!(section.contains("1 uncertain parameter, a unit cost)"));
}

#[test]
fn without_costs_the_report_has_no_cost_section_or_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    let small = write(tmp.path(), "small.toml", common::SMALL);
    forcecast()
        .args(["report", small.to_str().unwrap(), "--runs", "10", "--out"])
        .arg(tmp.path().join("r"))
        .assert()
        .success();
    let html = std::fs::read_to_string(tmp.path().join("r/report.html")).unwrap();
    assert!(!html.contains("id=\"costs\""));
    assert!(!html.contains("What it costs"));
    let wb: Xlsx<_> = calamine::open_workbook(tmp.path().join("r/report.xlsx")).unwrap();
    let names = wb.sheet_names();
    assert!(!names.iter().any(|n| n.contains("costs")), "{names:?}");
    assert!(names.iter().any(|n| n == "summary"));
}

/// A `changes.N.value` row says which parameter it changes and from when,
/// in the page and in the workbook.
#[test]
fn a_change_value_names_the_parameter_it_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n[[changes]]\nfrom = \"2024-07\"\npath = \"levels.basic.attrition\"\nvalue = 0.05\n\n[[changes]]\nfrom = \"2025-01\"\npath = \"inflows.recruits.per_year\"\nvalue = 60\n",
        common::SMALL
    );
    let config = write(tmp.path(), "changed.toml", &text);
    forcecast()
        .args(["report", config.to_str().unwrap(), "--runs", "10", "--out"])
        .arg(tmp.path().join("r"))
        .assert()
        .success();
    let html = std::fs::read_to_string(tmp.path().join("r/report.html")).unwrap();
    for want in [
        "changes.0.value (levels.basic.attrition from 2024-07)",
        "changes.1.value (inflows.recruits.per_year from 2025-01)",
    ] {
        assert!(html.contains(want), "{want}");
    }
    let (header, _, rows) = sheet(&tmp.path().join("r/report.xlsx"), "assumptions");
    let (path, what) = (
        header.iter().position(|h| h == "parameter").unwrap(),
        header.iter().position(|h| h == "changes").unwrap(),
    );
    let row = rows
        .iter()
        .find(|r| r[path] == Data::String("changes.1.value".into()))
        .expect("a changes.1.value row");
    assert_eq!(
        row[what],
        Data::String("inflows.recruits.per_year from 2025-01".into())
    );
    let other = rows
        .iter()
        .find(|r| r[path] == Data::String("inflows.recruits.per_year".into()))
        .unwrap();
    assert_eq!(other[what], Data::Empty);
}

/// The back-test table counts the fitted observations apart from the plans
/// and gives the fit's RMSE in tenths: the baseline fits two parameters to
/// its three counts, so its RMSE is under a person and must not read "0".
#[test]
fn the_backtest_row_says_what_was_fitted_and_its_rmse_in_tenths() {
    let tmp = tempfile::tempdir().unwrap();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/baseline.toml");
    forcecast()
        .args(["report", config.to_str().unwrap(), "--runs", "10", "--out"])
        .arg(tmp.path().join("r"))
        .assert()
        .success();
    let html = std::fs::read_to_string(tmp.path().join("r/report.html")).unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    let lines = |want: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(want))
            .count()
    };
    let (observed, counts) = (lines("[[observed]]"), lines("kind = \"count\""));
    assert_eq!((observed, counts), (5, 3), "the baseline's history changed");
    let row = format!(
        "<tr><td>baseline</td><td class=\"num\">{observed} ({counts})</td><td class=\"num\">"
    );
    let at = html.find(&row).expect("the baseline's back-test row") + row.len();
    let rmse = &html[at..at + html[at..].find('<').unwrap()];
    let (whole, tenths) = rmse.split_once('.').expect("RMSE in tenths");
    assert_eq!(tenths.len(), 1, "{rmse}");
    assert_eq!(
        whole, "0",
        "two parameters on three counts fit within a person: {rmse}"
    );
    assert_ne!(rmse, "0.0", "an exact fit would be suspicious: {rmse}");
}

//! What a planner sees for a mistake in a config, a `--set` or a lever path:
//! one error per mistake, at its file and line, in the planner's words, with
//! the name or value most likely meant; and a what-if that names no output
//! folder of its own gets one rather than writing into its parent's.

use forcecast::config;
use std::fs;

mod common;
use common::{forcecast, write};

const SMALL: &str = r#"[scenario]
name = "small"
start = "2024-01"
end = "2025-12"

[target]
milestones = [{ date = "2025-12", headcount = 100 }]

[levels.basic]
initial = 50
attrition = 0.1
promotion = { to = "senior", rate = 0.2, after_months = 6 }

[levels.senior]
initial = 10
attrition = 0.05

[courses.school]
graduates_to = "basic"
length_months = 3
seats_per_class = 20
class_starts = [1, 7]
washout = 0.1

[inflows.recruits]
course = "school"
per_year = 40
achievement = 0.9

[[events]]
date = "2025-03"
level = "senior"
change = 5

[uncertainty]
"inflows.recruits.achievement" = { dist = "beta", sd = 0.05 }
"courses.school.washout" = { dist = "uniform", min = 0.05, max = 0.2 }
"#;

/// SMALL with `from` replaced by `to` (which must be there).
fn edited(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "{from:?} is not in SMALL");
    SMALL.replacen(from, to, 1)
}

/// The errors of a config, one string each.
fn errors(text: &str, sets: &[&str]) -> Vec<String> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match config::load_str("bad.toml", text, &sets) {
        Ok(_) => panic!("the config should not load:\n{text}"),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

/// The one error a config gives, failing if it gives none or several.
fn one_error(text: &str, sets: &[&str]) -> String {
    let errs = errors(text, sets);
    assert_eq!(
        errs.len(),
        1,
        "one mistake, one error; got:\n{}",
        errs.join("\n")
    );
    errs.into_iter().next().unwrap()
}

fn assert_has(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "expected {n:?} in:\n{haystack}");
    }
}

#[test]
fn the_small_config_is_valid() {
    config::load_str("small.toml", SMALL, &[]).unwrap();
}

#[test]
fn one_mistake_gives_one_error() {
    // (mistake, replace this, with this, what the one error must say)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "malformed milestone date",
            "date = \"2025-12\"",
            "date = \"2028-3\"",
            &["bad.toml:7: target.milestones[0].date: '2028-3' is not a month"],
        ),
        (
            "malformed event date",
            "date = \"2025-03\"",
            "date = \"March\"",
            &["events[0].date: 'March' is not a month"],
        ),
        (
            "unknown promotion target (falling back to the first level made a cycle)",
            "attrition = 0.05\n",
            "attrition = 0.05\npromotion = { to = \"chief\", rate = 0.1 }\n",
            &["levels.senior.promotion.to: no level 'chief'"],
        ),
        (
            "achievement given as a percentage, with a beta on it",
            "achievement = 0.9",
            "achievement = 80",
            &["inflows.recruits.achievement: 80 is not allowed"],
        ),
        (
            "washout out of range, with a uniform on it",
            "washout = 0.1",
            "washout = 2",
            &["courses.school.washout: 2 is not allowed"],
        ),
        (
            "uniform bound not a number",
            "min = 0.05",
            "min = nan",
            &["uncertainty.courses.school.washout.min: NaN is not a finite number"],
        ),
        (
            "start month malformed: nothing is checked against the horizon",
            "start = \"2024-01\"",
            "start = \"2024-1\"",
            &["scenario.start: '2024-1' is not a month"],
        ),
    ];
    for (what, from, to, needles) in cases {
        let err = one_error(&edited(from, to), &[]);
        for n in *needles {
            assert!(err.contains(n), "{what}: expected {n:?} in:\n{err}");
        }
    }
}

#[test]
fn a_misspelt_key_is_named_once_at_its_line_with_the_key_meant() {
    let text = edited("attrition = 0.05", "atrition = 0.05");
    let err = one_error(&text, &[]);
    assert_eq!(
        err,
        "bad.toml:16: levels.senior.atrition: unknown field `atrition`: did you mean \
         `attrition`? (expected one of `initial`, `initial_tenure`, `attrition`, `promotion`, `authorised`, `authorised_by_fiscal_year`, `qualification`)"
    );
    // And through the binary: one line, no "in `levels.senior`" trailer.
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "bad.toml", &text);
    let out = forcecast().arg("check").arg(&cfg).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("atrition.atrition"), "{stderr}");
    assert!(!stderr.contains("in `levels"), "{stderr}");
}

#[test]
fn a_misspelt_table_has_a_line_and_the_table_meant() {
    let text = edited("[inflows.recruits]", "[inflow.transfers]");
    let err = one_error(&text, &[]);
    assert_has(
        &err,
        &["bad.toml:25: inflow: unknown field `inflow`: did you mean `inflows`?"],
    );
    assert!(!err.contains("inflow.inflow"), "{err}");
}

#[test]
fn a_required_field_left_out_is_located_at_its_table() {
    let text = edited("min = 0.05, max = 0.2", "min = 0.05");
    let err = one_error(&text, &[]);
    assert_eq!(
        err,
        "bad.toml:37: uncertainty.courses.school.washout.max: `max` is required for dist = \"uniform\""
    );
}

#[test]
fn type_errors_are_in_a_planners_words() {
    let err = one_error(&edited("initial = 50", "initial = \"600\""), &[]);
    assert_eq!(
        err,
        "bad.toml:10: levels.basic.initial: expected a number, found the text \"600\" (remove the quotes)"
    );
    let err = one_error(&edited("start = \"2024-01\"", "start = 2024"), &[]);
    assert_has(
        &err,
        &["scenario.start: expected text in quotes, found the whole number 2024"],
    );
    let err = one_error(&edited("length_months = 3", "length_months = 2.5"), &[]);
    assert_has(
        &err,
        &["courses.school.length_months: expected a whole number >= 0, found the number 2.5"],
    );
    for err in [
        one_error(&edited("initial = 50", "initial = \"600\""), &[]),
        one_error(&edited("length_months = 3", "length_months = -1"), &[]),
        one_error(&edited("class_starts = [1, 7]", "class_starts = 7"), &[]),
    ] {
        for rust in ["f64", "u32", "sequence", "invalid type", "invalid value"] {
            assert!(!err.contains(rust), "{rust:?} is Rust's word: {err}");
        }
    }
}

#[test]
fn a_rate_given_as_a_percentage_gets_the_fraction_suggested() {
    let err = one_error(&edited("attrition = 0.1", "attrition = 9"), &[]);
    assert_has(
        &err,
        &[
            "levels.basic.attrition: 9 is not allowed",
            "did you mean 0.09 (9 %)?",
        ],
    );
    let err = one_error(&edited("washout = 0.1", "washout = 12.5"), &[]);
    assert_has(&err, &["did you mean 0.125 (12.5 %)?"]);
    // Not a percentage: no hint.
    let err = one_error(&edited("washout = 0.1", "washout = 250"), &[]);
    assert!(!err.contains("did you mean"), "{err}");
    let err = one_error(&edited("seats_per_class = 20", "seats_per_class = -5"), &[]);
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn unknown_names_get_the_name_meant() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "graduates_to = \"basic\"",
            "graduates_to = \"basci\"",
            "courses.school.graduates_to: no level or course 'basci' (did you mean 'basic'?); levels: basic, senior; courses: school",
        ),
        (
            "course = \"school\"",
            "course = \"schol\"",
            "inflows.recruits.course: no course 'schol' (did you mean 'school'?); courses: school",
        ),
        (
            "level = \"senior\"",
            "level = \"senoir\"",
            "events[0].level: no level 'senoir' (did you mean 'senior'?); levels: basic, senior",
        ),
        (
            "dist = \"beta\"",
            "dist = \"betta\"",
            "'betta' (did you mean 'beta'?) is not a distribution",
        ),
    ];
    for (from, to, want) in cases {
        assert_has(&one_error(&edited(from, to), &[]), &[want]);
    }
    // A name far from every candidate gets the list only.
    let err = one_error(&edited("level = \"senior\"", "level = \"nobody\""), &[]);
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn set_paths_get_the_path_meant() {
    let err = one_error(SMALL, &["levels.basci.attrition=0.1"]);
    assert_has(
        &err,
        &["--set levels.basci.attrition=0.1: no entry 'basci' (did you mean 'basic'?) in [levels]"],
    );
    let err = one_error(SMALL, &["levels.basic.atrition=0.1"]);
    assert_has(
        &err,
        &["--set levels.basic.atrition=0.1: levels.basic.atrition: unknown field `atrition`: did you mean `attrition`?"],
    );
    // A misspelt table is created by the --set itself: the error names the flag.
    let err = one_error(SMALL, &["level.basic.attrition=0.1"]);
    assert_has(
        &err,
        &["--set level.basic.attrition=0.1: level: unknown field `level`: did you mean `levels`?"],
    );
    let err = one_error(SMALL, &["levels.basic.attrition=15"]);
    assert_has(&err, &["did you mean 0.15 (15 %)?"]);
}

#[test]
fn lever_and_uncertainty_paths_get_the_path_meant() {
    let cases: &[(&str, &str)] = &[
        (
            "inflows.recruits.per_yer",
            "(did you mean 'inflows.recruits.per_year'?)",
        ),
        (
            "inflow.recruits.per_year",
            "(did you mean 'inflows.recruits.per_year'?)",
        ),
        (
            "levels.senoir.attrition",
            "no level 'senoir' (did you mean 'senior'?)",
        ),
        (
            "courses.school.washot",
            "(did you mean 'courses.school.washout'?)",
        ),
    ];
    let scenario = config::load_str("small.toml", SMALL, &[]).unwrap().scenario;
    for (path, want) in cases {
        let err = forcecast::params::Param::parse(&scenario, path).unwrap_err();
        assert_has(&err, &[want]);
        let text = format!("{SMALL}\"{path}\" = {{ dist = \"beta\", sd = 0.01 }}\n");
        assert_has(&one_error(&text, &[]), &[want]);
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = write(tmp.path(), "small.toml", SMALL);
    let out = forcecast()
        .args(["solve", "--lever", "inflows.recruits.per_yer", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&cfg)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_has(&stderr, &["did you mean 'inflows.recruits.per_year'?"]);
}

#[test]
fn a_what_if_without_a_name_writes_to_a_folder_of_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = write(tmp.path(), "small.toml", SMALL);
    let child = write(
        tmp.path(),
        "More Seats.toml",
        "extends = \"small.toml\"\n[courses.school]\nseats_per_class = 40\n",
    );
    let out = tmp.path().join("out");
    for cfg in [&parent, &child] {
        forcecast()
            .arg("run")
            .arg(cfg)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    let classes = |name: &str| fs::read_to_string(out.join(name).join("classes.csv")).unwrap();
    let (mine, theirs) = (classes("more-seats"), classes("small"));
    assert_ne!(mine, theirs, "the parent's folder holds the parent's run");
    // Columns: course, month, queue, seats_per_class, instructor_capacity (none here), ...
    assert!(mine.contains(",40,,"), "40 seats a class: {mine}");
    assert!(
        theirs.contains(",20,,") && !theirs.contains(",40,,"),
        "20 seats a class: {theirs}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("more-seats").join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(json["scenario"], "more-seats");

    // A name of its own, or from --set, wins over the file name.
    let named = config::load(Some(&child), &["scenario.name=wider".into()]).unwrap();
    assert_eq!(named.scenario.name, "wider");

    // A file name that would give the parent's name is an error, not the parent's folder.
    fs::create_dir(tmp.path().join("v2")).unwrap();
    let clash = write(
        &tmp.path().join("v2"),
        "small.toml",
        "extends = \"../small.toml\"\n[courses.school]\nseats_per_class = 30\n",
    );
    let err = config::load(Some(&clash), &[]).unwrap_err().to_string();
    assert_has(
        &err,
        &["small.toml:1: scenario.name:", "set a `name` of its own"],
    );
}

#[test]
fn a_source_label_must_name_a_number_of_the_scenario() {
    let text = format!(
        "{SMALL}\n[sources]\n\"levels.basic.atrition\" = {{ status = \"assumed\", text = \"x\" }}\n"
    );
    let err = one_error(&text, &[]);
    assert_has(
        &err,
        &[
            "bad.toml:",
            "sources.levels.basic.atrition",
            "did you mean 'levels.basic.attrition'?",
        ],
    );
    let text = format!(
        "{SMALL}\n[sources]\n\"levels.basic.attrition\" = {{ status = \"guessed\", text = \"x\" }}\n"
    );
    let err = one_error(&text, &[]);
    assert_has(&err, &["status", "sourced", "assumed", "fitted"]);
}

#[test]
fn a_label_goes_with_its_value_not_its_path() {
    let text = format!(
        "{SMALL}\n[sources]\n\"levels.basic.attrition\" = {{ status = \"sourced\", text = \"x\" }}\n"
    );
    let labelled = config::load_str("t.toml", &text, &[]).unwrap();
    assert!(labelled.sources.contains_key("levels.basic.attrition"));
    let set = config::load_str("t.toml", &text, &["levels.basic.attrition=0.3".into()]).unwrap();
    assert!(
        !set.sources.contains_key("levels.basic.attrition"),
        "a value changed by --set is no longer what the label describes"
    );
}

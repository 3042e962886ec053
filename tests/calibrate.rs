//! Calibration against data the tool makes itself from known parameters:
//! exact recovery without noise, recovery within a few standard errors with
//! noise, identifiability, the hold-out, bounds, `calibrated.toml`, and every
//! class of bad input. `[[observed]]` loading and merging is checked here too.

mod common;

use assert_cmd::Command;
use forcecast::calibrate::{
    self, calibrate, calibrated_toml, parse_fit, CalibrateError, Calibration, FitParam, Options,
    Parent, Role, Use,
};
use forcecast::config::{self, merge};
use forcecast::engine::project;
use forcecast::month::Month;
use forcecast::params::Param;
use forcecast::scenario::{ObservedKind, Scenario};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use std::fs;

/// A small workforce with a redesignation event and a second direct-entry
/// inflow with the same timing as the first (to test confounding). The
/// configured values are deliberately wrong; `TRUTH` made the data.
const BASE: &str = r#"[scenario]
name = "synthetic"
start = "2021-04"
end = "2026-03"
fiscal_year_start_month = 4

[target]
count = ["basic", "advanced"]

[levels.basic]
initial = 600
attrition = 0.05
promotion = { to = "advanced", rate = 0.2, after_months = 12 }

[levels.advanced]
initial = 60
attrition = 0.10

[courses.school]
graduates_to = "basic"
length_months = 5
seats_per_class = 40
class_starts = [4, 10]
washout = 0.15

[inflows.transfers]
level = "basic"
per_year = 400

[inflows.reservists]
level = "basic"
per_year = 20

[inflows.recruits]
course = "school"
per_year = 60
monthly_pattern = [11, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

[[events]]
date = "2023-10"
level = "basic"
change = 800
note = "redesignation"
"#;

const TRUTH: [(&str, f64); 3] = [
    ("inflows.transfers.per_year", 150.0),
    ("events.0.change", 1100.0),
    ("levels.basic.attrition", 0.08),
];

/// Dates of the synthetic counts: the initial state, then twice a year.
const DATES: [&str; 9] = [
    "2021-03", "2021-09", "2022-03", "2022-09", "2023-03", "2023-09", "2024-03", "2024-09",
    "2025-03",
];

fn sets(pairs: &[(&str, f64)]) -> Vec<String> {
    pairs.iter().map(|(p, v)| format!("{p}={v}")).collect()
}

/// The total of the scenario with `truth` set, at `dates`, plus noise.
fn synthetic(
    truth: &[(&str, f64)],
    dates: &[&str],
    noise: Option<(f64, u64)>,
) -> Vec<(String, f64)> {
    let s = config::load_str("truth.toml", BASE, &sets(truth))
        .unwrap()
        .scenario;
    let p = project(&s);
    let mut rng = ChaCha8Rng::seed_from_u64(noise.map_or(0, |n| n.1));
    let normal = Normal::new(0.0, noise.map_or(1.0, |n| n.0)).unwrap();
    dates
        .iter()
        .map(|d| {
            let total = p.at(Month::parse(d).unwrap()).unwrap().total;
            let e = if noise.is_some() {
                normal.sample(&mut rng)
            } else {
                0.0
            };
            (d.to_string(), total + e)
        })
        .collect()
}

fn observed(points: &[(String, f64)], sd: f64, kind: &str) -> String {
    points
        .iter()
        .map(|(d, h)| {
            // `{:?}` prints the shortest text that reads back as the same f64.
            format!("\n[[observed]]\ndate = \"{d}\"\nheadcount = {h:?}\nkind = \"{kind}\"\nsd = {sd:?}\n")
        })
        .collect()
}

fn scenario(extra: &str) -> Scenario {
    common::load(&format!("{BASE}{extra}")).scenario
}

/// The scenario with the true redesignation, so the other parameters can be
/// fitted without it.
fn with_true_event(extra: &str) -> Scenario {
    config::load_str(
        "test.toml",
        &format!("{BASE}{extra}"),
        &["events.0.change=1100".into()],
    )
    .unwrap()
    .scenario
}

fn fits(s: &Scenario, paths: &[&str]) -> Vec<FitParam> {
    paths.iter().map(|p| parse_fit(s, p).unwrap()).collect()
}

fn param<'c>(c: &'c Calibration, path: &str) -> &'c calibrate::ParamFit {
    c.parameters.iter().find(|p| p.path == path).unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-12)
}

#[test]
fn recovers_known_parameters_exactly_without_noise() {
    let s = scenario(&observed(&synthetic(&TRUTH, &DATES, None), 20.0, "count"));
    let paths: Vec<&str> = TRUTH.iter().map(|t| t.0).collect();
    let c = calibrate(&s, &fits(&s, &paths), &Options::default()).unwrap();
    assert!(c.identifiable && c.converged, "{:?}", c.warnings);
    for (path, truth) in TRUTH {
        let p = param(&c, path);
        assert!(
            rel(p.fitted, truth) < 1e-6,
            "{path}: fitted {} vs {truth}",
            p.fitted
        );
        assert!(p.se.is_some_and(|se| se > 0.0) && !p.at_bound);
    }
    assert_eq!(param(&c, "events.0.change").fitted, 1100.0, "whole number");
    assert!(c.chi2 < 1e-8, "chi2 {}", c.chi2);
    assert_eq!(c.dof, DATES.len() - 3);
    assert!(c.rmse_fit < 1e-3);
    assert_eq!(c.rmse_holdout, None);
    assert_eq!(c.se_scale, 1.0);
    for (a, row) in c.correlation.iter().enumerate() {
        assert_eq!(row[a], Some(1.0));
        for (b, r) in row.iter().enumerate() {
            assert_eq!(*r, c.correlation[b][a], "symmetric");
        }
    }
}

/// Inflows enter the expected-value projection linearly, so a transfer
/// rate's effect on each count is exact, and its standard error has the closed
/// form `1 / sqrt(sum_i (d_i / sd_i)^2)`.
#[test]
fn standard_error_of_a_linear_parameter_matches_the_closed_form() {
    let truth = [("inflows.transfers.per_year", 150.0)];
    let s = scenario(&observed(&synthetic(&truth, &DATES, None), 25.0, "count"));
    let c = calibrate(
        &s,
        &fits(&s, &["inflows.transfers.per_year"]),
        &Options::default(),
    )
    .unwrap();
    let at = |v: f64| {
        let mut s = s.clone();
        Param::parse(&s, "inflows.transfers.per_year")
            .unwrap()
            .set(&mut s, v);
        project(&s)
    };
    let (p0, p1) = (at(150.0), at(250.0));
    let info: f64 = DATES
        .iter()
        .map(|d| {
            let m = Month::parse(d).unwrap();
            let slope = (p1.at(m).unwrap().total - p0.at(m).unwrap().total) / 100.0;
            (slope / 25.0).powi(2)
        })
        .sum();
    let se = param(&c, "inflows.transfers.per_year").se.unwrap();
    assert!(
        rel(se, 1.0 / info.sqrt()) < 1e-6,
        "{se} vs {}",
        1.0 / info.sqrt()
    );
    assert!(rel(param(&c, "inflows.transfers.per_year").fitted, 150.0) < 1e-9);
}

#[test]
fn recovers_parameters_within_a_few_standard_errors_with_noise() {
    let dates: Vec<String> = (0..48)
        .map(|i| Month::parse("2021-03").unwrap().plus(i).to_string())
        .collect();
    let dates: Vec<&str> = dates.iter().map(|s| s.as_str()).collect();
    for seed in [1, 2, 3] {
        let s = scenario(&observed(
            &synthetic(&TRUTH, &dates, Some((30.0, seed))),
            30.0,
            "count",
        ));
        let paths: Vec<&str> = TRUTH.iter().map(|t| t.0).collect();
        let c = calibrate(&s, &fits(&s, &paths), &Options::default()).unwrap();
        assert!(c.identifiable && c.converged, "{:?}", c.warnings);
        for (path, truth) in TRUTH {
            let p = param(&c, path);
            let se = p.se.unwrap();
            assert!(
                (p.fitted - truth).abs() < 4.0 * se,
                "seed {seed}: {path} = {} ± {se}, truth {truth}",
                p.fitted
            );
            assert!(
                (p.fitted - truth).abs() > 1e-6 * truth.abs(),
                "noise moves the fit"
            );
        }
        // Noise of the stated sd: chi2 / dof near 1 (45 dof: within ~4 sd of its mean).
        assert!(
            c.chi2 / (c.dof as f64) < 2.0 && c.chi2 / (c.dof as f64) > 0.3,
            "{}",
            c.chi2
        );
        let rmse = (c.points.iter().map(|p| p.residual.powi(2)).sum::<f64>() / 48.0).sqrt();
        assert!(rel(c.rmse_fit, rmse) < 1e-12);
    }
}

#[test]
fn same_timing_inflows_into_one_level_are_named_as_confounded() {
    let s = with_true_event(&observed(&synthetic(&TRUTH, &DATES, None), 20.0, "count"));
    let f = fits(
        &s,
        &[
            "inflows.transfers.per_year",
            "inflows.reservists.per_year",
            "levels.basic.attrition",
        ],
    );
    let c = calibrate(&s, &f, &Options::default()).unwrap();
    assert!(!c.identifiable);
    let w = c.warnings.join("\n");
    assert!(
        w.contains("cannot tell apart `inflows.transfers.per_year`, `inflows.reservists.per_year`"),
        "{w}"
    );
    assert!(param(&c, "inflows.transfers.per_year").se.is_none());
    assert!(param(&c, "inflows.reservists.per_year").se.is_none());
    assert!(
        param(&c, "levels.basic.attrition").se.is_some(),
        "the other one is still determined"
    );
    assert!(
        c.headline().starts_with("calibration is not identifiable"),
        "{}",
        c.headline()
    );
    let err = calibrated_toml(&c, &s, &toml::Table::new(), None).unwrap_err();
    assert!(
        matches!(err, CalibrateError::Output(_)) && err.to_string().contains("cannot tell apart")
    );
}

#[test]
fn a_parameter_with_no_effect_on_the_fitted_points_is_named_and_left_alone() {
    let s = scenario(&observed(&synthetic(&TRUTH, &DATES, None), 20.0, "count"));
    // FY2025 starts 2025-04, after the last observation.
    let f = fits(
        &s,
        &[
            "inflows.transfers.per_year",
            "inflows.transfers.by_fiscal_year.2025",
        ],
    );
    let c = calibrate(&s, &f, &Options::default()).unwrap();
    assert!(!c.identifiable);
    let w = c.warnings.join("\n");
    assert!(
        w.contains(
            "`inflows.transfers.by_fiscal_year.2025` has no effect on any fitted observation"
        ),
        "{w}"
    );
    let p = param(&c, "inflows.transfers.by_fiscal_year.2025");
    assert_eq!(
        (p.fitted, p.se),
        (400.0, None),
        "left at its configured value"
    );
    assert!(param(&c, "inflows.transfers.per_year").se.is_some());
}

#[test]
fn held_out_points_are_predicted_and_scored_not_fitted() {
    // Truth has the larger event; the fit window ends before it, so the
    // configured event (800) is what the hold-out tests.
    let s = scenario(&observed(&synthetic(&TRUTH, &DATES, None), 20.0, "count"));
    let until = Month::parse("2023-03").unwrap();
    let opts = Options {
        until: Some(until),
        use_kinds: Use::Counts,
    };
    let f = fits(
        &s,
        &["inflows.transfers.per_year", "levels.basic.attrition"],
    );
    let c = calibrate(&s, &f, &opts).unwrap();
    assert!(c.identifiable, "{:?}", c.warnings);
    assert_eq!(
        (c.fit_from.to_string(), c.fit_to.to_string()),
        ("2021-03".into(), "2023-03".into())
    );
    let fitted: Vec<_> = c.points.iter().filter(|p| p.in_fit).collect();
    let held: Vec<_> = c
        .points
        .iter()
        .filter(|p| p.role == Role::Holdout)
        .collect();
    assert_eq!((fitted.len(), held.len()), (5, 4));
    assert!(held.iter().all(|p| p.date > until && !p.in_fit));
    assert_eq!(c.dof, 3);
    // The window is exact (no noise, event not yet applied) ...
    assert!(rel(param(&c, "inflows.transfers.per_year").fitted, 150.0) < 1e-6);
    assert!(c.chi2 < 1e-8);
    // ... and the hold-out sees the 300 people the configured event lacks.
    let proj = project(&c.fitted_scenario(&s));
    let mut sq = 0.0;
    for p in &held {
        let model = proj.at(p.date).unwrap().total;
        assert!((model - p.fitted).abs() < 1e-9);
        assert!((p.residual - (model - p.observed)).abs() < 1e-9);
        if p.date >= Month::parse("2023-10").unwrap() {
            assert!(p.residual < -250.0, "{}: {}", p.date, p.residual);
        } else {
            assert!(p.residual.abs() < 1e-6, "{}: {}", p.date, p.residual);
        }
        sq += p.residual * p.residual;
    }
    let rmse = (sq / held.len() as f64).sqrt();
    assert!(rel(c.rmse_holdout.unwrap(), rmse) < 1e-12);
    assert!(c.headline().contains("hold-out RMSE"), "{}", c.headline());
}

#[test]
fn plans_are_shown_unless_use_all() {
    let counts = observed(&synthetic(&TRUTH, &DATES[..5], None), 20.0, "count");
    let plans = observed(&synthetic(&TRUTH, &DATES[5..], None), 20.0, "plan");
    let s = scenario(&format!("{counts}{plans}"));
    assert_eq!(s.observed[5].kind, ObservedKind::Plan);
    let f = fits(&s, &["inflows.transfers.per_year"]);
    let c = calibrate(&s, &f, &Options::default()).unwrap();
    assert_eq!(c.points.iter().filter(|p| p.role == Role::Shown).count(), 4);
    assert_eq!(c.dof, 4);
    let all = Options {
        until: None,
        use_kinds: Use::All,
    };
    let c = calibrate(&s, &f, &all).unwrap();
    assert_eq!(c.dof, 8);
    assert!(c.points.iter().all(|p| p.in_fit));
}

#[test]
fn a_value_beyond_its_bounds_ends_at_the_bound_without_a_standard_error() {
    let s = with_true_event(&observed(&synthetic(&TRUTH, &DATES, None), 20.0, "count"));
    let f = vec![
        parse_fit(&s, "inflows.transfers.per_year=0:100").unwrap(),
        parse_fit(&s, "levels.basic.attrition").unwrap(),
    ];
    let c = calibrate(&s, &f, &Options::default()).unwrap();
    let p = param(&c, "inflows.transfers.per_year");
    assert_eq!((p.fitted, p.at_bound, p.se), (100.0, true, None));
    assert!(!param(&c, "levels.basic.attrition").at_bound);
    assert!(c
        .warnings
        .iter()
        .any(|w| w.contains("ended at its bound 100")));
    assert!(c.identifiable);
    assert!(c.headline().contains("(at bound)"));
}

#[test]
fn a_level_stock_and_the_initial_state_can_be_fitted() {
    let truth = [
        ("levels.advanced.initial", 90.0),
        ("levels.advanced.attrition", 0.14),
    ];
    let s = config::load_str("truth.toml", BASE, &sets(&truth))
        .unwrap()
        .scenario;
    let p = project(&s);
    let mut extra = String::new();
    for d in DATES {
        let v = p.at(Month::parse(d).unwrap()).unwrap().levels[1];
        extra.push_str(&format!(
            "\n[[observed]]\ndate = \"{d}\"\nheadcount = {v:?}\nkind = \"count\"\nlevel = \"advanced\"\nsd = 5\n"
        ));
    }
    let s = scenario(&extra);
    assert_eq!(
        s.observed[0].date.to_string(),
        "2021-03",
        "the initial state's month"
    );
    let f = fits(
        &s,
        &["levels.advanced.initial", "levels.advanced.attrition"],
    );
    let c = calibrate(&s, &f, &Options::default()).unwrap();
    assert_eq!(param(&c, "levels.advanced.initial").fitted, 90.0);
    assert!(rel(param(&c, "levels.advanced.attrition").fitted, 0.14) < 1e-6);
    assert_eq!(c.points[0].level.as_deref(), Some("advanced"));
}

#[test]
fn applying_the_fit_reproduces_the_fitted_points() {
    let s = scenario(&observed(
        &synthetic(&TRUTH, &DATES, Some((30.0, 9))),
        30.0,
        "count",
    ));
    let paths: Vec<&str> = TRUTH.iter().map(|t| t.0).collect();
    let c = calibrate(&s, &fits(&s, &paths), &Options::default()).unwrap();
    let mut fitted = s.clone();
    c.apply(&mut fitted);
    for p in &c.parameters {
        assert_eq!(p.param.get(&fitted), p.fitted);
    }
    let proj = project(&fitted);
    for p in &c.points {
        assert!(
            (proj.at(p.date).unwrap().total - p.fitted).abs() < 1e-9,
            "{}",
            p.date
        );
    }
}

#[test]
fn calibrated_toml_extends_the_input_and_reproduces_the_fit() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{BASE}{}",
        observed(&synthetic(&TRUTH, &DATES, Some((30.0, 4))), 30.0, "count")
    );
    // The baseline-like uncertainty entries a calibrated file must replace.
    let text = format!(
        "{text}\n[uncertainty]\n\"inflows.transfers.per_year\" = {{ dist = \"lognormal\", sd = 80 }}\n\"events.0.change\" = {{ dist = \"normal\", sd = 135 }}\n"
    );
    let input = dir.path().join("input.toml");
    fs::write(&input, &text).unwrap();
    let sets = vec!["courses.school.washout=0.2".to_string()];
    let loaded = config::load(Some(&input), &sets).unwrap();
    let s = &loaded.scenario;
    let paths: Vec<&str> = TRUTH.iter().map(|t| t.0).collect();
    let c = calibrate(s, &fits(s, &paths), &Options::default()).unwrap();
    let (parent, _) = merge::load_chain(&input, text.clone()).unwrap();
    let out = calibrated_toml(
        &c,
        s,
        &loaded.merged,
        Some(Parent {
            extends: "../input.toml",
            table: &parent,
        }),
    )
    .unwrap();
    assert!(
        out.starts_with("# Written by `forcecast calibrate`"),
        "{out}"
    );
    assert!(out.contains("extends = \"../input.toml\""), "{out}");
    assert!(
        !out.contains("[[observed]]"),
        "inherited, not repeated:\n{out}"
    );
    assert!(out.contains("washout = 0.2"), "--set is kept:\n{out}");
    fs::create_dir(dir.path().join("out")).unwrap();
    let written = dir.path().join("out/calibrated.toml");
    fs::write(&written, &out).unwrap();
    let again = config::load(Some(&written), &[]).unwrap().scenario;
    assert_eq!(again.name, "synthetic_calibrated");
    let proj = project(&again);
    for p in &c.points {
        assert!(
            (proj.at(p.date).unwrap().total - p.fitted).abs() < 1e-9,
            "{}",
            p.date
        );
    }
    for p in &c.parameters {
        assert_eq!(p.param.get(&again), p.fitted, "{}", p.path);
        let u = again.uncertainty.iter().find(|u| u.path == p.path).unwrap();
        let sd = match u.dist {
            forcecast::scenario::Distribution::Normal { sd, .. }
            | forcecast::scenario::Distribution::Beta { sd }
            | forcecast::scenario::Distribution::LogNormal { sd } => sd,
            other => panic!("{other:?}"),
        };
        assert_eq!(sd, p.se.unwrap(), "{}", p.path);
        assert!(u
            .note
            .as_deref()
            .unwrap()
            .starts_with("fitted 2021-03..2025-03"));
    }
    // Without a parent (the embedded baseline) the file stands alone.
    let alone = calibrated_toml(&c, s, &loaded.merged, None).unwrap();
    assert!(!alone.contains("extends"));
    let again = config::load_str("alone.toml", &alone, &[])
        .unwrap()
        .scenario;
    let proj = project(&again);
    for p in &c.points {
        assert!((proj.at(p.date).unwrap().total - p.fitted).abs() < 1e-9);
    }
}

#[test]
fn calibration_json_has_the_documented_keys() {
    let s = scenario(&observed(&synthetic(&TRUTH, &DATES, None), 20.0, "count"));
    let c = calibrate(
        &s,
        &fits(&s, &["inflows.transfers.per_year"]),
        &Options::default(),
    )
    .unwrap();
    let v = serde_json::to_value(&c).unwrap();
    for k in [
        "parameters",
        "points",
        "chi2",
        "dof",
        "rmse_fit",
        "rmse_holdout",
        "identifiable",
        "warnings",
        "correlation",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
    for k in ["path", "configured", "fitted", "se", "at_bound"] {
        assert!(v["parameters"][0].get(k).is_some(), "{k}");
    }
    for k in ["date", "observed", "fitted", "residual", "in_fit", "kind"] {
        assert!(v["points"][0].get(k).is_some(), "{k}");
    }
    assert_eq!(v["points"][0]["date"], "2021-03");
    assert_eq!(v["points"][0]["kind"], "count");
    assert_eq!(v["rmse_holdout"], serde_json::Value::Null);
}

#[test]
fn bad_fit_arguments_are_clear_errors() {
    let s = scenario(&observed(
        &synthetic(&TRUTH, &DATES[..2], None),
        20.0,
        "count",
    ));
    let msg = |t: &str| parse_fit(&s, t).unwrap_err().to_string();
    assert!(msg("inflows.nope.per_year").contains("no inflow 'nope'; valid: transfers"));
    assert!(msg("levels.basic.colour").contains("is not a numeric parameter"));
    assert!(msg("inflows.transfers.per_year=300:100").contains("LO must be below HI"));
    assert!(msg("inflows.transfers.per_year=100:100").contains("LO must be below HI"));
    assert!(msg("levels.basic.attrition=0:1").contains("outside the range"));
    assert!(msg("inflows.transfers.per_year=a:100").contains("'a' is not a number"));
    assert!(msg("inflows.transfers.per_year=100").contains("expected PATH=LO:HI"));
    assert!("some".parse::<Use>().is_err());

    let f = fits(
        &s,
        &[
            "inflows.transfers.per_year",
            "levels.basic.attrition",
            "events.0.change",
        ],
    );
    let err = calibrate(&s, &f, &Options::default()).unwrap_err();
    assert!(matches!(err, CalibrateError::TooFewPoints(_)));
    assert!(
        err.to_string()
            .contains("3 parameters to fit but only 2 observations"),
        "{err}"
    );
    let until = Options {
        until: Some(Month::parse("2020-01").unwrap()),
        use_kinds: Use::Counts,
    };
    let err = calibrate(&s, &f[..1], &until).unwrap_err().to_string();
    assert!(
        err.contains("only 0 observations") && err.contains("--until 2020-01"),
        "{err}"
    );
    let none = scenario("");
    let err = calibrate(
        &none,
        &fits(&none, &["inflows.transfers.per_year"]),
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("has no [[observed]] headcounts"), "{err}");
    let err = calibrate(&s, &[f[0], f[0]], &Options::default()).unwrap_err();
    assert!(err.to_string().contains("named twice"));
    assert!(calibrate(&s, &[], &Options::default()).is_err());
}

#[test]
fn bad_observations_name_file_line_and_field() {
    let bad = |obs: &str| {
        config::load_str("test.toml", &format!("{BASE}\n[[observed]]\n{obs}\n"), &[])
            .unwrap_err()
            .to_string()
    };
    let line = BASE.lines().count() + 3;
    let e = bad("date = \"2021-02\"\nheadcount = 1\nkind = \"count\"");
    assert_eq!(
        e,
        format!("test.toml:{line}: observed[0].date: 2021-02 is outside the horizon: an observation must be dated from 2021-03 (the initial state, the month before start) to 2026-03")
    );
    assert!(
        bad("date = \"2026-04\"\nheadcount = 1\nkind = \"count\"").contains("outside the horizon")
    );
    let e = bad("date = \"2022-03\"\nheadcount = 1\nkind = \"count\"\nsd = 0");
    assert!(
        e.contains(&format!(
            "test.toml:{}: observed[0].sd: 0 is not allowed",
            line + 3
        )),
        "{e}"
    );
    assert!(
        bad("date = \"2022-03\"\nheadcount = 1\nkind = \"count\"\nsd = -5").contains("sd must be")
    );
    let e = bad("date = \"2022-03\"\nheadcount = 1\nkind = \"count\"\nlevel = \"expert\"");
    assert!(
        e.contains("observed[0].level: no level 'expert'; levels: basic, advanced"),
        "{e}"
    );
    let e = bad("date = \"2022-03\"\nheadcount = 1\nkind = \"target\"");
    assert!(
        e.contains("observed[0].kind") && e.contains("expected `count` or `plan`"),
        "{e}"
    );
    let e = bad("date = \"2022-03\"\nheadcount = 1\nkind = \"count\"\nweight = 2");
    assert!(e.contains("unknown field `weight`"), "{e}");
    assert!(
        bad("date = \"2022-03\"\nheadcount = -1\nkind = \"count\"").contains("headcount must be")
    );
    assert!(bad("date = \"March\"\nheadcount = 1\nkind = \"count\"").contains("is not a month"));
    let e = bad("headcount = 1\nkind = \"count\"");
    assert!(e.contains("missing field `date`"), "{e}");
}

#[test]
fn observed_merges_through_extends_and_set() {
    let dir = tempfile::tempdir().unwrap();
    let parent = format!(
        "{BASE}\n[[observed]]\ndate = \"2022-03\"\nheadcount = 700\nkind = \"count\"\nsource = \"parent\"\n"
    );
    fs::write(dir.path().join("parent.toml"), parent).unwrap();
    let inherit = dir.path().join("inherit.toml");
    fs::write(
        &inherit,
        "extends = \"parent.toml\"\n[scenario]\nname = \"child\"\n",
    )
    .unwrap();
    let s = config::load(Some(&inherit), &[]).unwrap().scenario;
    assert_eq!(s.observed.len(), 1);
    assert_eq!(s.observed[0].source.as_deref(), Some("parent"));
    assert_eq!(s.observed[0].sd, 35.0, "default sd: 5 % of 700");
    let replace = dir.path().join("replace.toml");
    fs::write(
        &replace,
        "extends = \"parent.toml\"\n\n[[observed]]\ndate = \"2023-03\"\nheadcount = 890\nkind = \"plan\"\n\n[[observed]]\ndate = \"2099-01\"\nheadcount = 1\nkind = \"count\"\n",
    )
    .unwrap();
    let e = config::load(Some(&replace), &[]).unwrap_err().to_string();
    assert!(
        e.contains("replace.toml:9: observed[1].date"),
        "the child's line: {e}"
    );
    let s = config::load(Some(&replace), &["observed.1.date=\"2024-03\"".into()])
        .unwrap()
        .scenario;
    assert_eq!(s.observed.len(), 2, "arrays replace, they do not append");
    assert_eq!(s.observed[0].kind, ObservedKind::Plan);
    let s = config::load(
        Some(&inherit),
        &["observed.0.headcount=710".into(), "observed.0.sd=12".into()],
    )
    .unwrap()
    .scenario;
    assert_eq!((s.observed[0].headcount, s.observed[0].sd), (710.0, 12.0));
    let e = config::load(Some(&inherit), &["observed.0.sd=0".into()])
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("--set observed.0.sd=0: observed[0].sd"),
        "{e}"
    );
}

#[test]
fn check_exits_2_on_a_bad_observation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    fs::write(
        &path,
        format!("{BASE}\n[[observed]]\ndate = \"2022-03\"\nheadcount = 1\nkind = \"count\"\nlevel = \"nope\"\n"),
    )
    .unwrap();
    Command::cargo_bin("forcecast")
        .unwrap()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "bad.toml:{}: observed[0].level: no level 'nope'",
            BASE.lines().count() + 6
        )));
}

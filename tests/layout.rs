//! The layout check (`forcecast::plot::layout`) over every chart kind: the
//! stress scenarios in tests/layout/ (long names, twelve levels over forty
//! years, a five-person team without courses) at sizes from 400x400 to
//! 3840x2160, a 20-row tornado, ten scenarios in one comparison, and every
//! shipped config. Text is measured with the embedded font, as drawn.
//! First, the check itself must fail on a layout known to be broken.

use forcecast::calibrate;
use forcecast::commands::compare::compare_outputs;
use forcecast::commands::mc::mc_outputs;
use forcecast::config::{self, Loaded};
use forcecast::engine::{self, Projection};
use forcecast::goal::solve::{self as seek, Question};
use forcecast::goal::sweep;
use forcecast::goal::{self, Axis, Metric, MonteCarlo};
use forcecast::montecarlo::{self, report::McSummary};
use forcecast::output::OutputFile;
use forcecast::params::Param;
use forcecast::plot::layout::{self, Recording};
use forcecast::plot::marks::{self, LegendItem, Swatch, VAlign};
use forcecast::plot::{
    palette, projection_charts, render_file, BacktestChart, Canvas, Chart, ChartOptions,
    DrawResult, Entry, HeatmapChart, ImageFormat, Planning, SolveChart, Stamp, Theme, TornadoChart,
};
use forcecast::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use std::path::{Path, PathBuf};

const SIZES: [(u32, u32); 4] = [(400, 400), (800, 450), (1600, 900), (3840, 2160)];

fn opts((width, height): (u32, u32)) -> ChartOptions {
    ChartOptions {
        format: ImageFormat::Layout,
        width,
        height,
    }
}

fn dir(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(sub)
}

fn tomls(sub: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no configs in {sub}");
    v
}

fn stress() -> Vec<PathBuf> {
    tomls("tests/layout")
}

struct Run {
    loaded: Loaded,
    p: Projection,
    summary: Summary,
}

fn run(path: &Path, sets: &[&str]) -> Run {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let loaded =
        config::load(Some(path), &sets).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let p = engine::project(&loaded.scenario);
    let summary = Summary::new(&loaded, &p);
    Run { loaded, p, summary }
}

/// The problems of each recorded chart, prefixed with where it came from.
fn problems(files: &[OutputFile], what: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        if !f.name.ends_with(".layout.json") {
            continue;
        }
        let rec: Recording = serde_json::from_slice(&f.bytes).unwrap();
        assert!(!rec.texts.is_empty(), "{what}/{}: nothing recorded", f.name);
        out.extend(
            layout::check(&rec)
                .into_iter()
                .map(|p| format!("{what} {}x{}: {p}", rec.width, rec.height)),
        );
    }
    out
}

/// Every chart must pass with no exception: there is no list of known problems.
fn assert_clean(all: Vec<String>) {
    assert!(
        all.is_empty(),
        "{} layout problems:\n{}",
        all.len(),
        all.join("\n")
    );
}

fn small_mc(runs: u64, seed: u64) -> MonteCarlo {
    MonteCarlo {
        runs,
        seed,
        threads: None,
        process_noise: true,
        parameter_uncertainty: true,
    }
}

// ---------------------------------------------------------------------------
// The check itself

/// Everything the check must catch, on one canvas: text off the canvas, two
/// labels on top of each other, a title cut with "…" and shown nowhere in
/// full, "…." after a cut, and a legend over the data line.
struct Broken;

impl Chart for Broken {
    fn name(&self) -> &str {
        "broken"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        root.fill(&palette::WHITE)?;
        let ss = theme.small_size();
        let t = |s: &str, at: (i32, i32)| {
            marks::text(
                root,
                theme,
                s,
                ss,
                false,
                &palette::TEXT,
                at,
                HPos::Left,
                VAlign::Top,
            )
        };
        t("past the right edge of the canvas", (380, 20))?;
        t("first label", (20, 60))?;
        t("second label", (30, 62))?;
        let title = marks::fit(
            "A title far too long to fit in the room given",
            ss,
            true,
            80,
        );
        t(&title, (20, 120))?;
        t("a name cut before a full stop….", (20, 200))?;
        marks::line(root, &[(20, 300), (380, 300)], &palette::BLACK, 3)?;
        let items = [LegendItem::new("the line", Swatch::line(palette::BLACK, 3))];
        marks::legend(root, theme, &items, (200, 292))?;
        Ok(())
    }
}

#[test]
fn the_check_fails_on_a_broken_layout() {
    let f = render_file(&Broken, &opts((400, 400))).unwrap();
    let rec: Recording = serde_json::from_slice(&f.bytes).unwrap();
    let found: Vec<String> = layout::check(&rec).iter().map(|p| p.0.clone()).collect();
    let has = |needle: &str| found.iter().any(|p| p.contains(needle));
    assert!(has("leaves the canvas"), "{found:#?}");
    assert!(has("overlap"), "{found:#?}");
    assert!(has("is cut to"), "{found:#?}");
    assert!(has("covers a data mark"), "{found:#?}");
    assert!(has("a cut ends on punctuation"), "{found:#?}");
    assert_eq!(found.len(), 5, "{found:#?}");
    // Recording does not change what is drawn: the PNG is the same with or without it.
    let png = ChartOptions {
        format: ImageFormat::Png,
        ..opts((400, 400))
    };
    let a = render_file(&Broken, &png).unwrap();
    let _ = render_file(&Broken, &opts((400, 400))).unwrap();
    assert_eq!(a.bytes, render_file(&Broken, &png).unwrap().bytes);
}

// ---------------------------------------------------------------------------
// Stress scenarios

#[test]
fn projection_charts_of_the_stress_scenarios() {
    let mut all = Vec::new();
    for path in stress() {
        let r = run(&path, &[]);
        for size in SIZES {
            let files = projection_charts(&r.loaded, &r.p, &r.summary, &opts(size)).unwrap();
            all.extend(problems(&files, &r.loaded.scenario.name));
        }
    }
    assert_clean(all);
}

#[test]
fn monte_carlo_charts_of_the_stress_scenarios_and_shipped_configs() {
    let mut all = Vec::new();
    for path in stress().into_iter().chain(tomls("configs")) {
        let r = run(&path, &[]);
        let mc = montecarlo::Options::new(100, 1);
        let stats = montecarlo::run(&r.loaded.scenario, &mc, None).unwrap();
        let summary = McSummary::new(&r.loaded, &mc, &stats, &r.p);
        for size in SIZES {
            let out = mc_outputs(&r.loaded, &summary, &stats, &r.p, &opts(size)).unwrap();
            all.extend(problems(&out.charts, &r.loaded.scenario.name));
        }
    }
    assert_clean(all);
}

#[test]
fn planning_charts_of_the_stress_scenarios() {
    assert_clean(stress().iter().flat_map(|p| planning_problems(p)).collect());
}

#[test]
fn planning_charts_of_the_shipped_configs() {
    assert_clean(
        tomls("configs")
            .iter()
            .flat_map(|p| planning_problems(p))
            .collect(),
    );
}

/// Problems of `tornado`, `heatmap` and both `solve` charts (without and
/// with a probability) of one config, at every size.
fn planning_problems(path: &Path) -> Vec<String> {
    let mut all = Vec::new();
    {
        let r = run(path, &[]);
        let s = &r.loaded.scenario;
        let name = s.name.clone();
        let target = goal::pick_goal(s, None).unwrap();
        let bar = indicatif::ProgressBar::hidden();
        let mc = small_mc(100, 1);
        // Tornado over every parameter (long_names has more than 20).
        let params = Param::all(s);
        let sens =
            goal::sensitivity::sensitivity(s, &params, &target, Metric::FinalTotal, 0.2, &mc, &bar)
                .unwrap();
        let tornado = TornadoChart {
            sens: &sens,
            on: Planning::new(&r.loaded, Some(&target), None),
        };
        // The first inflow's yearly number as the lever, without and with a probability.
        let lever = goal::parse_param(
            s,
            "--lever",
            &format!("inflows.{}.per_year", s.inflows[0].name),
        )
        .unwrap();
        let (lo, hi) = goal::default_range(lever, lever.get(s));
        let mut solves = Vec::new();
        for probability in [None, Some((0.8, small_mc(100, 1)))] {
            let q = Question {
                param: lever,
                goal: target.clone(),
                lo,
                hi,
                probability,
            };
            let sol = seek::solve(s, &q, &bar).unwrap();
            solves.push((q, sol));
        }
        let attr = format!("levels.{}.attrition", s.levels[0].name);
        let x = goal::parse_axis(
            s,
            "--x",
            &format!("inflows.{}.per_year={}:{}:12", s.inflows[0].name, lo, hi),
        )
        .unwrap();
        let y: Axis = goal::parse_axis(s, "--y", &format!("{attr}=0.02:0.2:10")).unwrap();
        let sw = sweep::sweep(s, &x, &y, &target, Metric::FinalTotal, &mc, &bar).unwrap();
        let heat = HeatmapChart {
            sweep: &sw,
            on: Planning::new(&r.loaded, Some(&target), None),
        };
        for size in SIZES {
            let o = opts(size);
            let mut files = vec![
                render_file(&tornado, &o).unwrap(),
                render_file(&heat, &o).unwrap(),
            ];
            for (q, sol) in &solves {
                let chart = SolveChart {
                    name: format!("solve{}", if q.probability.is_some() { "-p" } else { "" }),
                    loaded: &r.loaded,
                    q,
                    sol,
                };
                files.push(render_file(&chart, &o).unwrap());
            }
            all.extend(problems(&files, &name));
        }
    }
    all
}

/// `solve --probability` zooms as the deterministic answer does: the tiny
/// team's configured value and both answers lie within a fraction of the
/// range searched, so the chart shows that window (and says so).
#[test]
fn solve_with_a_probability_is_zoomed() {
    let path = stress()
        .into_iter()
        .find(|p| p.ends_with("tiny_team.toml"))
        .unwrap();
    let r = run(&path, &[]);
    let s = &r.loaded.scenario;
    let target = goal::pick_goal(s, None).unwrap();
    let lever = goal::parse_param(s, "--lever", "inflows.hires.per_year").unwrap();
    let (lo, hi) = goal::default_range(lever, lever.get(s));
    let q = Question {
        param: lever,
        goal: target,
        lo,
        hi,
        probability: Some((0.8, small_mc(100, 1))),
    };
    let sol = seek::solve(s, &q, &indicatif::ProgressBar::hidden()).unwrap();
    let answer = sol.probabilistic.as_ref().and_then(|p| p.value).unwrap();
    let (a, b) = (sol.zoom[0].value, sol.zoom[sol.zoom.len() - 1].value);
    for v in [sol.baseline_value, sol.deterministic.unwrap(), answer] {
        assert!((a..=b).contains(&v), "{v} outside the zoom {a}..{b}");
    }
    assert!(b - a < 0.5 * (hi - lo), "{a}..{b} of {lo}..{hi}");
    let chart = SolveChart {
        name: "solve-p".into(),
        loaded: &r.loaded,
        q: &q,
        sol: &sol,
    };
    let f = render_file(&chart, &opts(SIZES[2])).unwrap();
    let rec: Recording = serde_json::from_slice(&f.bytes).unwrap();
    let shown = rec
        .texts
        .iter()
        .any(|t| t.text.contains("of the range searched"));
    assert!(shown, "the subtitle does not say the chart is zoomed");
    // The x axis runs over the zoom: its lowest tick is no lower than the window.
    let ticks: Vec<f64> = rec
        .texts
        .iter()
        .filter_map(|t| t.text.parse::<f64>().ok())
        .collect();
    assert!(
        ticks.iter().all(|&t| t >= a - 1e-9 || t <= 0.0),
        "{ticks:?}"
    );
    assert_clean(problems(&[f], &s.name));
}

/// `backtest.png` (`calibrate`) of every config with published figures,
/// stress scenarios and shipped, the first inflow's yearly number fitted and
/// the figures after the first held out.
#[test]
fn backtest_charts() {
    let mut all = Vec::new();
    let mut drawn = 0;
    for path in stress().into_iter().chain(tomls("configs")) {
        let r = run(&path, &[]);
        let s = &r.loaded.scenario;
        if s.observed.is_empty() {
            continue;
        }
        let fit =
            calibrate::parse_fit(s, &format!("inflows.{}.per_year", s.inflows[0].name)).unwrap();
        let held = calibrate::Options {
            until: s.observed.first().map(|o| o.date),
            ..calibrate::Options::default()
        };
        let cal = calibrate::calibrate(s, &[fit], &held).unwrap();
        let fitted = cal.fitted_scenario(s);
        let p = engine::project(&fitted);
        let stamp = Stamp::of(&r.loaded);
        let chart = BacktestChart {
            scenario: &fitted,
            calibration: &cal,
            p: &p,
            stamp: &stamp,
        };
        for size in SIZES {
            let f = render_file(&chart, &opts(size)).unwrap();
            all.extend(problems(&[f], &s.name));
        }
        drawn += 1;
    }
    assert!(drawn >= 4, "only {drawn} configs with published figures");
    assert_clean(all);
}

#[test]
fn ten_scenarios_in_one_comparison() {
    let base = &stress()[0];
    let runs: Vec<Run> = (0..10)
        .map(|i| {
            let name = format!("scenario.name=variant_{i:02}_with_a_rather_long_name");
            let per_year = format!(
                "inflows.internal_transfers_from_other_branches_of_the_defence_forces.per_year={}",
                150 + 25 * i
            );
            run(base, &[&name, &per_year])
        })
        .collect();
    let entries: Vec<Entry> = runs
        .iter()
        .map(|r| Entry {
            loaded: &r.loaded,
            p: &r.p,
            summary: &r.summary,
        })
        .collect();
    let mut all = Vec::new();
    for size in SIZES {
        let out = compare_outputs(&entries, &opts(size)).unwrap();
        all.extend(problems(&out.charts, "compare of ten"));
    }
    assert_clean(all);
}

// ---------------------------------------------------------------------------
// The shipped configs

#[test]
fn charts_of_the_shipped_configs() {
    let runs: Vec<Run> = tomls("configs").iter().map(|p| run(p, &[])).collect();
    let mut all = Vec::new();
    for r in &runs {
        for size in SIZES {
            let files = projection_charts(&r.loaded, &r.p, &r.summary, &opts(size)).unwrap();
            all.extend(problems(&files, &r.loaded.scenario.name));
        }
    }
    let entries: Vec<Entry> = runs
        .iter()
        .map(|r| Entry {
            loaded: &r.loaded,
            p: &r.p,
            summary: &r.summary,
        })
        .collect();
    for size in SIZES {
        let out = compare_outputs(&entries, &opts(size)).unwrap();
        all.extend(problems(&out.charts, "compare"));
    }
    assert_clean(all);
}

/// A long time axis names its first year: on forty years at 400 px the
/// labels go every fifth year, and the first one (2025, at the left edge)
/// is moved inside the panel rather than dropped.
#[test]
fn a_long_time_axis_names_its_first_year() {
    let r = run(&dir("tests/layout").join("twelve_levels.toml"), &[]);
    let files = projection_charts(&r.loaded, &r.p, &r.summary, &opts((400, 400))).unwrap();
    let f = files
        .iter()
        .find(|f| f.name == "headcount.layout.json")
        .expect("the headcount chart");
    let rec: Recording = serde_json::from_slice(&f.bytes).unwrap();
    let years: Vec<&str> = rec
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .filter(|t| t.len() == 4 && t.starts_with("20") && t.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(years.first(), Some(&"2025"), "{years:?}");
    assert!(years.len() >= 4, "{years:?}");
}

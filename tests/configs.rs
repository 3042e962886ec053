//! The shipped scenarios in `configs/`: each loads, each what-if changes the
//! answer, and the what-ifs move the answer in the direction the model implies.
//! These are invariants of the model (monotone in inflows, attrition and
//! one-off events), not snapshots of previous output: no figure is pinned.

use forcecast::config::{self, Loaded};
use forcecast::engine::{project, Projection};
use forcecast::params::Param;
use forcecast::summary::Summary;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shipped_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("configs")
        .expect("configs/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
}

fn load(path: &Path) -> Loaded {
    config::load(Some(path), &[]).unwrap_or_else(|e| panic!("{} should load:\n{e}", path.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// Every shipped scenario, projected, keyed by file stem.
fn projected() -> BTreeMap<String, (Loaded, Projection)> {
    shipped_paths()
        .iter()
        .map(|p| {
            let loaded = load(p);
            let projection = project(&loaded.scenario);
            (stem(p), (loaded, projection))
        })
        .collect()
}

fn final_total(all: &BTreeMap<String, (Loaded, Projection)>, name: &str) -> f64 {
    all.get(name)
        .unwrap_or_else(|| panic!("configs/{name}.toml is missing"))
        .1
        .final_row()
        .total
}

#[test]
fn every_shipped_config_loads_and_is_named_after_its_file() {
    let paths = shipped_paths();
    assert!(
        paths.len() >= 6,
        "baseline and at least five what-ifs are shipped"
    );
    let mut names = BTreeMap::new();
    for path in &paths {
        let loaded = load(path);
        let s = &loaded.scenario;
        // The name is the output folder: one file, one folder, no collisions.
        assert_eq!(
            s.name,
            stem(path),
            "{}: scenario.name should match the file name",
            path.display()
        );
        assert!(
            names.insert(s.name.clone(), path.clone()).is_none(),
            "duplicate scenario.name '{}'",
            s.name
        );
        // The title is a chart title: set explicitly, and short enough to fit.
        assert_ne!(s.title, s.name, "{}: give scenario.title", path.display());
        assert!(
            s.title.chars().count() <= 80,
            "{}: title '{}' is too long for a chart",
            path.display(),
            s.title
        );
        assert!(
            !s.target.milestones.is_empty(),
            "{}: milestones are the question",
            path.display()
        );
    }
}

#[test]
fn every_what_if_extends_the_baseline_chain() {
    for path in shipped_paths() {
        if stem(&path) == "baseline" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let parent = table.get("extends").and_then(|v| v.as_str());
        assert!(
            parent.is_some(),
            "{} should `extends` the baseline (or another what-if)",
            path.display()
        );
        // The chain ends at the baseline: the merged scenario keeps its levels.
        let loaded = load(&path);
        let names: Vec<&str> = loaded
            .scenario
            .levels
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["basic", "intermediate", "advanced"],
            "{}",
            path.display()
        );
    }
}

#[test]
fn every_what_if_changes_the_final_total() {
    let all = projected();
    let base = final_total(&all, "baseline");
    for (name, (_, p)) in &all {
        if name != "baseline" {
            let f = p.final_row().total;
            assert!(
                (f - base).abs() >= 1.0,
                "{name}: final total {f} is the baseline's {base}: the what-if changes nothing"
            );
        }
    }
}

#[test]
fn what_ifs_move_the_total_the_way_the_model_implies() {
    let all = projected();
    let base = final_total(&all, "baseline");
    let below = [
        "no_redesignation",
        "recruiting_shortfall",
        "private_sector_pull",
        // More relabelling in FY2023 means fewer transfers before and after it.
        "upper_redesignation",
        // The same people, counting only the qualified.
        "qualified_target",
    ];
    for name in below {
        let f = final_total(&all, name);
        assert!(
            f < base,
            "{name}: less inflow or more attrition should end below the baseline ({f} vs {base})"
        );
    }
    let above = [
        "retention_bonus",
        "expanded_school",
        "plan_as_announced",
        "what_it_takes",
    ];
    for name in above {
        let f = final_total(&all, name);
        assert!(
            f > base,
            "{name}: more inflow or less attrition should end above the baseline ({f} vs {base})"
        );
    }
    // Losing the whole redesignation costs more than the recruiting shortfall.
    assert!(final_total(&all, "no_redesignation") < final_total(&all, "recruiting_shortfall"));
    // Training transfers at a full school instead of in post: they wait and wash out.
    assert!(final_total(&all, "transfers_via_school") < final_total(&all, "expanded_school"));
}

#[test]
fn what_it_takes_meets_the_target_the_baseline_misses() {
    let all = projected();
    let summary = |name: &str| {
        let (loaded, p) = &all[name];
        Summary::new(loaded, p)
    };
    assert!(
        !summary("baseline").final_met(),
        "the baseline misses 4,000 by March 2028: that is its finding"
    );
    let solved = summary("what_it_takes");
    assert!(
        solved.final_met(),
        "the solved transfer level should meet the final milestone"
    );
    // It is the smallest whole number: one transfer a year fewer misses.
    let (loaded, _) = &all["what_it_takes"];
    let mut s = loaded.scenario.clone();
    let per_year = Param::parse(&s, "inflows.transfers.per_year").unwrap();
    let solved = per_year.get(&s);
    per_year.set(&mut s, solved - 1.0);
    let target = s.final_milestone().unwrap().headcount;
    assert!(
        project(&s).final_row().total < target,
        "what_it_takes.toml should hold the smallest sufficient value"
    );
}

#[test]
fn the_longer_horizon_agrees_until_the_target_date_and_levels_off_below_it() {
    let all = projected();
    let (_, base) = &all["baseline"];
    let (loaded, longer) = &all["longer_horizon"];
    // Same model and inputs over the shared months: identical rows.
    assert_eq!(&longer.rows[..base.rows.len()], &base.rows[..]);
    // At history's transfer rate the force levels off below the target: not
    // reached even five years late, and growing more slowly each year.
    let target = loaded.scenario.final_milestone().unwrap().headcount;
    assert_eq!(longer.first_month_reaching(target), None);
    let rows = &longer.rows;
    let n = rows.len();
    let growth = |end: usize| rows[end].total - rows[end - 12].total;
    assert!(growth(n - 1) < growth(base.rows.len() - 1 + 12));
}

#[test]
fn school_seats_do_not_bind_in_the_baseline() {
    // When no class of the baseline is full, more seats cannot change anything:
    // the expanded_school lesson, as an identity.
    let loaded = load(Path::new("configs/baseline.toml"));
    let p = project(&loaded.scenario);
    assert_eq!(Summary::new(&loaded, &p).seat_limited_classes, 0);
    let mut s = loaded.scenario.clone();
    let seats = Param::parse(&s, "courses.cyber_school.seats_per_class").unwrap();
    let baseline_seats = seats.get(&s);
    seats.set(&mut s, 2.0 * baseline_seats);
    assert_eq!(project(&s).rows, p.rows);
}

#[test]
fn inflow_changes_from_fy2025_cannot_reach_the_advanced_level_by_march_2028() {
    // Two years to intermediate plus two to advanced: people entering from
    // April 2025 cannot be promoted to advanced before the March 2028 target.
    let all = projected();
    let advanced = |name: &str| {
        let (loaded, p) = &all[name];
        let i = loaded
            .scenario
            .levels
            .iter()
            .position(|l| l.name == "advanced")
            .unwrap();
        p.final_row().levels[i]
    };
    let base = advanced("baseline");
    let a = advanced("what_it_takes");
    assert!(
        (a - base).abs() <= 1e-9 * base,
        "what_it_takes: advanced {a} vs baseline {base}"
    );
    assert!(advanced("private_sector_pull") < base);
    assert!(advanced("retention_bonus") > base);
}

#[test]
fn docs_sources_describes_every_shipped_scenario() {
    let doc = std::fs::read_to_string("docs/sources.md").expect("docs/sources.md exists");
    for path in shipped_paths() {
        let file = format!("{}.toml", stem(&path));
        assert!(
            doc.contains(&file),
            "docs/sources.md should describe configs/{file}"
        );
    }
}

#[test]
fn the_baselines_qualification_step_moves_no_headcount() {
    // Qualifying changes only promotion eligibility, and in the baseline no
    // one waits long enough for it to delay a promotion (docs/model.md):
    // every level is what it is without the step, and `qualified_target`
    // has the baseline's people in post, counting fewer of them.
    let all = projected();
    let (loaded, base) = &all["baseline"];
    assert!(loaded.scenario.has_qualification());
    let mut without = loaded.scenario.clone();
    for l in &mut without.levels {
        l.qualification = None;
    }
    let plain = project(&without);
    let (_, qualified) = &all["qualified_target"];
    for ((a, b), q) in base.rows.iter().zip(&plain.rows).zip(&qualified.rows) {
        for (x, y) in a.levels.iter().zip(&b.levels) {
            assert!(
                (x - y).abs() <= 1e-9 * y.max(1.0),
                "{}: {x} vs {y}",
                a.month
            );
        }
        assert_eq!(a.levels, q.levels, "{}", a.month);
        assert!(q.total <= a.total + 1e-9);
    }
    // The redesignation is absorbed: mentors bind for a while, then not.
    let limited: Vec<_> = base
        .rows
        .iter()
        .filter(|r| r.qualification[0].limited)
        .collect();
    assert!(!limited.is_empty() && !base.final_row().qualification[0].limited);
}

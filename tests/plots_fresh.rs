//! plots/ must be exactly what `scripts/regen-plots.sh` makes from the shipped
//! configs, so reviewers browsing it see the current model. This regenerates
//! every file in memory, the way the script's commands do, and compares bytes
//! with what is committed; it also fails on leftover files.
//!
//! When this fails after a change to the model, a config or a chart, run
//! `scripts/regen-plots.sh` and commit plots/.
//!
//! (Rendering is pure Rust with an embedded font, so the PNG bytes do not
//! depend on the machine; the numbers do use the platform's `pow`, which is
//! the same on the Linux CI and development machines.)

use clap::Parser;
use forcecast::cli::{Cli, Command};
use forcecast::commands::mc::mc_outputs;
use forcecast::commands::run::projection_outputs;
use forcecast::commands::{self, compare::compare_outputs};
use forcecast::config;
use forcecast::engine;
use forcecast::montecarlo::{self, report::McSummary};
use forcecast::plot::{ChartOptions, Entry};
use forcecast::summary::Summary;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files in plots/ that are not generated.
const HAND_WRITTEN: &[&str] = &["README.md"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// configs/*.toml in the script's order: baseline first, then by file name.
fn shipped_configs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("configs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort_by_key(|p| {
        (
            p.file_name().unwrap() != "baseline.toml",
            p.file_name().unwrap().to_owned(),
        )
    });
    v
}

/// Every file the script writes, by path relative to plots/.
fn expected() -> BTreeMap<String, Vec<u8>> {
    let opts = ChartOptions::default();
    let mut out = BTreeMap::new();
    let mut runs = Vec::new();
    for path in shipped_configs() {
        // The script passes paths relative to the repository root.
        let rel = path.strip_prefix(root()).unwrap().to_path_buf();
        let loaded = config::load(Some(&root().join(&rel)), &[])
            .unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        let p = engine::project(&loaded.scenario);
        let summary = Summary::new(&loaded, &p);
        for f in projection_outputs(&loaded, &p, &summary, &opts)
            .unwrap()
            .files()
            .unwrap()
        {
            let key = format!("{}/{}", loaded.scenario.name, f.name);
            assert!(
                out.insert(key.clone(), f.bytes).is_none(),
                "two configs write {key}"
            );
        }
        if loaded.scenario.name == "baseline" {
            // `forcecast mc configs/baseline.toml`: default runs, the scenario's seed.
            let o = montecarlo::Options::new(10_000, loaded.scenario.seed);
            let stats = montecarlo::run(&loaded.scenario, &o, None).unwrap();
            let mc = McSummary::new(&loaded, &o, &stats, &p);
            for f in mc_outputs(&loaded, &mc, &stats, &p, &opts)
                .unwrap()
                .files()
                .unwrap()
            {
                let key = format!("baseline/{}", f.name);
                assert!(
                    out.insert(key.clone(), f.bytes).is_none(),
                    "two outputs write {key}"
                );
            }
        }
        runs.push((loaded, p, summary));
    }
    let entries: Vec<Entry> = runs
        .iter()
        .map(|(loaded, p, summary)| Entry { loaded, p, summary })
        .collect();
    for f in compare_outputs(&entries, &opts).unwrap().files().unwrap() {
        let key = format!("compare/{}", f.name);
        assert!(
            out.insert(key.clone(), f.bytes).is_none(),
            "a scenario named 'compare' clashes with {key}"
        );
    }
    // The briefing of every shipped config, as the script writes it (the
    // paths relative to the repository root, where tests run: the report
    // names its configs).
    let mut argv: Vec<String> = vec!["forcecast".into(), "report".into()];
    argv.extend(
        shipped_configs()
            .iter()
            .map(|p| p.strip_prefix(root()).unwrap().display().to_string()),
    );
    // And the baseline with its assumed unit costs: the report's costs section.
    argv.push("configs/costs/baseline_costs.toml".into());
    argv.extend(["--out".into(), "plots".into()]);
    let Some(Command::Report(a)) = Cli::try_parse_from(argv).unwrap().command else {
        unreachable!("a report command line")
    };
    let answer = commands::report::answer(&a).unwrap_or_else(|e| panic!("report: {e}"));
    for f in answer.outputs.expect("files").files().unwrap() {
        assert!(
            out.insert(f.name.clone(), f.bytes).is_none(),
            "the report overwrites {}",
            f.name
        );
    }
    // The planners' questions on the baseline, as the script asks them.
    for args in PLANNING {
        let mut argv = vec!["forcecast"];
        argv.extend_from_slice(args);
        let answer = match Cli::try_parse_from(argv).unwrap().command {
            Some(Command::Solve(a)) => commands::solve::answer(&a),
            Some(Command::Sensitivity(a)) => commands::sensitivity::answer(&a),
            Some(Command::Sweep(a)) => commands::sweep::answer(&a),
            Some(Command::Calibrate(a)) => commands::calibrate::answer(&a),
            _ => unreachable!("only planning commands are listed"),
        }
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let files = answer.outputs.expect("files").files().unwrap();
        for f in files {
            let key = format!("baseline/{}", f.name);
            assert!(
                out.insert(key.clone(), f.bytes).is_none(),
                "{args:?} overwrites {key}"
            );
        }
    }
    out
}

/// The planning commands (and the back-test) scripts/regen-plots.sh runs, flag for flag.
const PLANNING: &[&[&str]] = &[
    &[
        "solve",
        "--lever",
        "inflows.transfers.per_year",
        "--out",
        "plots",
    ],
    &["sensitivity", "--out", "plots"],
    &[
        "sweep",
        "--x",
        "inflows.transfers.per_year=200:1000:30",
        "--y",
        "levels.basic.attrition=0.02:0.15:30",
        "--out",
        "plots",
    ],
    // The back-test: fitted to the published figures to end FY2023 (counts
    // and the FY2023 plan), the Jul 2024 count and FY2024 plan held out.
    &[
        "calibrate",
        "configs/baseline.toml",
        "--fit",
        "inflows.transfers_history.per_year=0:1000",
        "--fit",
        "events.0.change=0:2000",
        "--use",
        "all",
        "--until",
        "2024-03",
        "--out",
        "plots",
    ],
];

fn committed(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            committed(&e.path(), &format!("{name}/"), out);
        } else {
            out.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
}

#[test]
fn committed_plots_are_current() {
    let mut have = BTreeMap::new();
    committed(&root().join("plots"), "", &mut have);
    let want = expected();
    let mut problems = Vec::new();
    for (name, bytes) in &want {
        match have.get(name) {
            None => problems.push(format!("missing: plots/{name}")),
            Some(b) if b != bytes => problems.push(format!("stale: plots/{name}")),
            Some(_) => {}
        }
    }
    for name in have.keys() {
        if !want.contains_key(name) && !HAND_WRITTEN.contains(&name.as_str()) {
            problems.push(format!("not generated by any shipped config: plots/{name}"));
        }
    }
    assert!(
        problems.is_empty(),
        "plots/ is out of date; run scripts/regen-plots.sh and commit plots/:\n  {}",
        problems.join("\n  ")
    );
}

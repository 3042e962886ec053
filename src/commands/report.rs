//! `forcecast report [CONFIG...]`: the reviewer's briefing, `report.html`
//! (one self-contained page) and `report.xlsx` (every table), in `--out`.
//! The studies are `crate::report`; this module reads the arguments and
//! lays out the two files.

use super::{check_out_dir, Answer, Outputs};
use crate::cli::ReportArgs;
use crate::error::{Error, Result};
use crate::format::{chance_in, people};
use crate::output::DataFile;
use crate::plot::{self, CompareChart, Entry};
use crate::report::{self, Context, Options, Study};
use std::path::{Path, PathBuf};

/// The configs a report covers by default: `configs/*.toml`, the baseline
/// first (the reference), then the others by file name, as
/// scripts/regen-plots.sh orders them.
pub fn default_configs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort_by_key(|p| {
        let name = p.file_name().unwrap_or_default().to_owned();
        (name != "baseline.toml", name)
    });
    Ok(v)
}

pub fn answer(args: &ReportArgs) -> Result<Answer> {
    check_out_dir(&args.out)?;
    let paths = if args.configs.is_empty() {
        let dir = Path::new("configs");
        let found = default_configs(dir).map_err(|e| {
            Error::Usage(format!(
                "no configs given and cannot read {}: {e}; name the configs to report on",
                dir.display()
            ))
        })?;
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "no configs given and {} has no .toml files; name the configs to report on",
                dir.display()
            )));
        }
        found
    } else {
        args.configs.clone()
    };
    let loaded = super::load_all(&paths, &args.set)?;
    let opts = Options {
        runs: args.runs.map_or(report::DEFAULT_RUNS, |n| n as u64),
        seed: args.seed,
        ..Options::default()
    };
    let bar = crate::goal::progress(loaded.len() as u64, "report");
    let studies = crate::montecarlo::with_threads(args.threads.map(usize::from), || {
        loaded
            .into_iter()
            .map(|l| {
                let s = report::study(l, &opts);
                bar.inc(1);
                s
            })
            .collect::<std::result::Result<Vec<Study>, String>>()
    })
    .and_then(|r| r)
    .map_err(|e| Error::Other(anyhow::anyhow!(e)))?;
    bar.finish_and_clear();
    let files = report_files(&studies, &opts)?;
    let mut answer = Answer::default();
    answer.say(&console(&studies));
    answer.outputs = Some(Outputs {
        dir: args.out.clone(),
        data: files,
        charts: Vec::new(),
    });
    Ok(answer)
}

/// `report.html` and `report.xlsx` for the studies.
pub fn report_files(studies: &[Study], opts: &Options) -> anyhow::Result<Vec<DataFile>> {
    let entries: Vec<Entry> = studies
        .iter()
        .map(|s| Entry {
            loaded: &s.loaded,
            p: &s.projection,
            summary: &s.summary,
        })
        .collect();
    let compare = if studies.len() > 1 {
        Some(plot::render_file(
            &CompareChart { entries: &entries },
            &opts.chart,
        )?)
    } else {
        None
    };
    let cx = Context {
        studies,
        opts,
        version: env!("CARGO_PKG_VERSION"),
        compare,
    };
    Ok(vec![
        DataFile::html("report", report::document(&cx)),
        DataFile::workbook("report", report::workbook(studies)),
    ])
}

/// One line per scenario for the terminal.
fn console(studies: &[Study]) -> String {
    use std::fmt::Write;
    let width = studies
        .iter()
        .map(|s| s.name().len())
        .max()
        .unwrap_or(0)
        .max("scenario".len());
    let odds: Vec<String> = studies
        .iter()
        .map(|st| {
            st.mc
                .milestones
                .last()
                .map_or("—".into(), |m| chance_in(m.probability, st.mc.runs))
        })
        .collect();
    let p_width = odds
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0)
        .max("P(meet final)".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<width$}  {:>11}  {:>14}  {:>p_width$}",
        "scenario", "final total", "milestones met", "P(meet final)"
    );
    for (st, odds) in studies.iter().zip(odds) {
        let sm = &st.summary;
        let _ = writeln!(
            out,
            "  {:<width$}  {:>11}  {:>14}  {:>p_width$}",
            st.name(),
            people(sm.final_total),
            format!(
                "{} of {}",
                sm.milestones.iter().filter(|m| m.met).count(),
                sm.milestones.len()
            ),
            odds
        );
    }
    out
}

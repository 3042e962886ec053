//! `forcecast calibrate`: fit parameters to the scenario's `[[observed]]`
//! headcounts and back-test on the ones held out. The computation is
//! `crate::calibrate` (docs/calibration.md); this module reads the arguments,
//! finds the config the calibrated one extends, and lays out the files.

use super::{check_out_dir, Answer, Outputs};
use crate::calibrate::{self, CalibrateError, Calibration, Options, Parent};
use crate::cli::CalibrateArgs;
use crate::config::{self, merge};
use crate::error::{Error, Result};
use crate::month::Month;
use crate::output::DataFile;
use crate::plot::{self, ChartOptions};
use std::path::{Component, Path, PathBuf};

/// Calibrates and renders everything in memory. Every calibration problem,
/// including a fit the data cannot determine, is a usage error (exit 2) and
/// nothing is written: a `calibrated.toml` with arbitrary values, or a stale
/// one left beside a new `calibration.json`, would mislead.
pub fn answer(args: &CalibrateArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    let path = args.scenario.config.as_deref();
    let loaded = config::load(path, &args.scenario.set)?;
    let s = &loaded.scenario;
    let usage = |e: CalibrateError| Error::Usage(e.to_string());
    let fit = args
        .fit
        .iter()
        .map(|t| calibrate::parse_fit(s, t))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(usage)?;
    let until = args.until.as_deref().map(parse_until).transpose()?;
    let opts = Options {
        until,
        use_kinds: args.use_kinds,
    };
    let cal = calibrate::calibrate(s, &fit, &opts).map_err(usage)?;

    let dir = args.output.out.join(&s.name);
    let parent = match path {
        Some(p) => {
            let (table, _) = merge::load_chain(p, merge::read_text(p)?)?;
            Some((table, extends_from(&dir, p)))
        }
        None => None,
    };
    let toml = calibrate::calibrated_toml(
        &cal,
        s,
        &loaded.merged,
        parent
            .as_ref()
            .map(|(table, extends)| Parent { extends, table }),
    )
    .map_err(usage)?;

    let mut answer = Answer::default();
    answer.say(&cal.headline());
    for w in &cal.warnings {
        answer.warn(w);
    }
    answer.outputs = Some(Outputs {
        dir,
        data: vec![
            DataFile::json("calibration", &cal)?,
            DataFile::config("calibrated", toml),
        ],
        charts: charts(&loaded, &cal, args)?,
    });
    Ok(answer)
}

/// `--until YYYY-MM`.
fn parse_until(text: &str) -> Result<Month> {
    Month::parse(text.trim()).ok_or_else(|| {
        Error::Usage(format!(
            "--until {text}: not a month: write YYYY-MM, e.g. 2023-03"
        ))
    })
}

/// `backtest.png`: the published figures against the projection with the fitted values.
fn charts(
    loaded: &config::Loaded,
    cal: &Calibration,
    args: &CalibrateArgs,
) -> anyhow::Result<Vec<crate::output::OutputFile>> {
    let fitted = cal.fitted_scenario(&loaded.scenario);
    let p = crate::engine::project(&fitted);
    let stamp = plot::Stamp::of(loaded);
    let chart = plot::BacktestChart {
        scenario: &fitted,
        calibration: cal,
        p: &p,
        stamp: &stamp,
    };
    Ok(vec![plot::render_file(
        &chart,
        &ChartOptions::from(&args.output),
    )?])
}

/// What `calibrated.toml`, written in `dir`, puts as `extends` to reach
/// `config`: a path relative to `dir` worked out from both made absolute (the
/// folder may not exist yet), else `config` as given.
fn extends_from(dir: &Path, config: &Path) -> String {
    match (absolute(dir), std::fs::canonicalize(config)) {
        (Some(d), Ok(c)) => calibrate::extends_path(&d, &c),
        _ => config.display().to_string(),
    }
}

/// `path` made absolute with its existing part canonical (symlinks resolved,
/// as `canonicalize` does for the config) and the rest, which does not exist
/// yet, appended with `.` and `..` resolved by name.
fn absolute(path: &Path) -> Option<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            break c;
        }
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    };
    let mut out = base;
    for part in rest.iter().rev() {
        match Path::new(part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(part),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_not_yet_made_is_made_absolute() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        std::fs::create_dir(root.join("configs")).unwrap();
        std::fs::write(root.join("configs/a.toml"), "").unwrap();
        let out = root.join("plots/x");
        assert_eq!(absolute(&out), Some(out.clone()));
        assert_eq!(
            extends_from(&out, &root.join("configs/a.toml")),
            "../../configs/a.toml"
        );
    }
}

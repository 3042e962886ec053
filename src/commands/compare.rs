//! `forcecast compare CONFIG...`: several scenarios side by side. Writes
//! `compare.png` (or .svg) and `compare.csv` (month x scenario totals) to
//! `<out>/<name>/` and prints a table: final total, milestones met, first
//! month at the final target.

use crate::cli::CompareArgs;
use crate::config::{self, ConfigErrors, Loaded};
use crate::engine::{self, Projection};
use crate::error::{Error, Result};
use crate::month::Month;
use crate::output::{self, num, OutputFile};
use crate::plot::{self, ChartOptions, CompareChart, Entry};
use crate::summary::{people, Summary};

pub fn compare(args: &CompareArgs) -> Result<i32> {
    output::check_out_dir(&args.output.out).map_err(Error::Usage)?;
    check_name(&args.name).map_err(Error::Usage)?;
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut errors = Vec::new();
    for path in &args.configs {
        match config::load(Some(path), &args.set) {
            Ok(l) => loaded.push(l),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Config(ConfigErrors(errors)));
    }
    for (i, l) in loaded.iter().enumerate() {
        if let Some(j) = loaded[..i]
            .iter()
            .position(|o| o.scenario.name == l.scenario.name)
        {
            return Err(Error::Usage(format!(
                "{} and {} both name their scenario '{}': give each its own [scenario] name (it labels the chart and the CSV columns)",
                args.configs[j].display(),
                args.configs[i].display(),
                l.scenario.name
            )));
        }
    }
    let projections: Vec<Projection> = loaded
        .iter()
        .map(|l| engine::project(&l.scenario))
        .collect();
    let summaries: Vec<Summary> = loaded
        .iter()
        .zip(&projections)
        .map(|(l, p)| Summary::new(l, p))
        .collect();
    let entries: Vec<Entry> = loaded
        .iter()
        .zip(&projections)
        .zip(&summaries)
        .map(|((loaded, p), summary)| Entry { loaded, p, summary })
        .collect();
    let files = compare_outputs(&entries, &ChartOptions::from(&args.output))?;
    let dir = args.output.out.join(&args.name);
    output::write_all(&dir, &files)?;
    print!("{}", console_table(&entries));
    println!(
        "Outputs: {}/ ({})",
        dir.display(),
        files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(0)
}

/// `--name` becomes a folder name: one plain path component.
fn check_name(name: &str) -> std::result::Result<(), String> {
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control);
    if bad {
        Err(format!(
            "--name '{name}': must be a plain folder name (no '/', not '.' or '..')"
        ))
    } else {
        Ok(())
    }
}

/// Every file `compare` writes.
pub fn compare_outputs(entries: &[Entry], opts: &ChartOptions) -> anyhow::Result<Vec<OutputFile>> {
    Ok(vec![
        plot::render_file(&CompareChart { entries }, opts)?,
        OutputFile::new("compare.csv", compare_csv(entries)?),
    ])
}

/// `month,fiscal_year,<scenario>...`: each scenario's counted total at the end
/// of each month (empty outside its horizon). Fiscal years follow the first scenario.
pub fn compare_csv(entries: &[Entry]) -> anyhow::Result<Vec<u8>> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut head = vec!["month".to_string(), "fiscal_year".to_string()];
    head.extend(entries.iter().map(|e| e.loaded.scenario.name.clone()));
    w.write_record(&head)?;
    let Some(first) = entries.first() else {
        return Ok(w.into_inner()?);
    };
    let start: Month = entries
        .iter()
        .map(|e| e.p.rows[0].month)
        .min()
        .expect("non-empty");
    let end: Month = entries
        .iter()
        .map(|e| e.p.final_row().month)
        .max()
        .expect("non-empty");
    let fy = first.loaded.scenario.fy_start_month;
    for i in 0..=end.since(start) {
        let m = start.plus(i);
        let mut rec = vec![m.to_string(), m.fiscal_year(fy).to_string()];
        rec.extend(
            entries
                .iter()
                .map(|e| e.p.at(m).map_or(String::new(), |r| num(r.total))),
        );
        w.write_record(&rec)?;
    }
    Ok(w.into_inner()?)
}

/// The table printed after a comparison.
pub fn console_table(entries: &[Entry]) -> String {
    use std::fmt::Write;
    let width = entries
        .iter()
        .map(|e| e.loaded.scenario.name.len())
        .max()
        .unwrap_or(0)
        .max("scenario".len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<width$}  {:>11}  {:>14}  first month at final target",
        "scenario", "final total", "milestones met"
    );
    for e in entries {
        let s = e.summary;
        let met = s.milestones.iter().filter(|m| m.met).count();
        let first = match (s.milestones.last(), s.first_month_at_final_target) {
            (None, _) => "no milestones".to_string(),
            (Some(m), Some(first)) => format!("{first} ({})", people(m.target)),
            (Some(m), None) => format!("not reached by {} ({})", s.end, people(m.target)),
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {:>11}  {:>14}  {first}",
            s.scenario,
            people(s.final_total),
            format!("{met} of {}", s.milestones.len())
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_plain() {
        assert!(check_name("compare").is_ok());
        for bad in ["", ".", "..", "a/b", "a\\b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}

//! `forcecast compare CONFIG...`: several scenarios side by side. Writes
//! `compare.png` (or .svg) and `compare.csv` (month x scenario totals) to
//! `<out>/<name>/` and prints a table: final total, milestones met, first
//! month at the final target.

use super::{check_out_dir, Answer, Outputs};
use crate::cli::CompareArgs;
use crate::engine::{self, Projection};
use crate::error::{Error, Result};
use crate::format::people;
use crate::month::Month;
use crate::output::csv::{Cell, Table};
use crate::output::DataFile;
use crate::plot::{self, ChartOptions, CompareChart, Entry};
use crate::summary::Summary;

pub fn answer(args: &CompareArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    check_name(&args.name).map_err(Error::Usage)?;
    let loaded = super::load_all(&args.configs, &args.set)?;
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
    let mut answer = Answer::default();
    answer.say(&console_table(&entries));
    answer.outputs = Some(Outputs {
        dir: args.output.out.join(&args.name),
        ..compare_outputs(&entries, &ChartOptions::from(&args.output))?
    });
    Ok(answer)
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

/// Every file `compare` writes (the folder left empty).
pub fn compare_outputs(entries: &[Entry], opts: &ChartOptions) -> anyhow::Result<Outputs> {
    Ok(Outputs {
        dir: Default::default(),
        data: vec![DataFile::table("compare", compare_table(entries))],
        charts: vec![plot::render_file(&CompareChart { entries }, opts)?],
    })
}

/// `compare.csv`, `month,fiscal_year,<scenario>...`: each scenario's counted
/// total at the end of each month (empty outside its horizon). Fiscal years
/// follow the first scenario.
pub fn compare_table(entries: &[Entry]) -> Table {
    let mut head = vec!["month".to_string(), "fiscal_year".to_string()];
    head.extend(entries.iter().map(|e| e.loaded.scenario.name.clone()));
    let mut t = Table::new(head);
    let Some(first) = entries.first() else {
        return t;
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
        let mut row: Vec<Cell> = vec![m.to_string().into(), m.fiscal_year(fy).to_string().into()];
        row.extend(
            entries
                .iter()
                .map(|e| Cell::Num(e.p.at(m).map_or(f64::NAN, |r| r.total))),
        );
        t.push(row);
    }
    t
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

//! `forcecast run`: the expected-value projection of one scenario.

use crate::cli::RunArgs;
use crate::config::{self, Loaded};
use crate::engine::{self, Projection};
use crate::error::{Error, Result, EXIT_MILESTONE_MISSED};
use crate::output::{self, csv::ProjectionCsv, json::SummaryJson, markdown, Exporter, OutputFile};
use crate::plot::{self, ChartOptions};
use crate::summary::{people, Summary};

/// Every file `run` writes for one scenario.
pub fn projection_outputs(
    loaded: &Loaded,
    p: &Projection,
    summary: &Summary,
    chart: &ChartOptions,
) -> anyhow::Result<Vec<OutputFile>> {
    let mut files = ProjectionCsv.export(&(&loaded.scenario, p))?;
    files.extend(SummaryJson.export(summary)?);
    files.extend(markdown::ReportMarkdown.export(summary)?);
    files.extend(plot::projection_charts(loaded, p, summary, chart)?);
    Ok(files)
}

pub fn run(args: &RunArgs) -> Result<i32> {
    output::check_out_dir(&args.output.out).map_err(Error::Usage)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let projection = engine::project(&loaded.scenario);
    let summary = Summary::new(&loaded, &projection);
    let files = projection_outputs(
        &loaded,
        &projection,
        &summary,
        &ChartOptions::from(&args.output),
    )?;
    let dir = args.output.out.join(&loaded.scenario.name);
    output::write_all(&dir, &files)?;
    print!("{}", console_summary(&loaded, &summary));
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "Outputs: {}/ ({})",
        dir.display(),
        files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(if args.fail_below && !summary.final_met() {
        EXIT_MILESTONE_MISSED
    } else {
        0
    })
}

/// The short table printed after a run.
pub fn console_summary(loaded: &Loaded, s: &Summary) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} [{}] {} .. {}  (config {}, {})",
        s.title,
        s.scenario,
        s.start,
        s.end,
        loaded.short_hash(),
        loaded.label
    );
    if !s.milestones.is_empty() {
        let _ = writeln!(
            out,
            "  {:<26} {:>9} {:>10} {:>9}  met",
            "milestone", "target", "projected", "gap"
        );
        for m in &s.milestones {
            let name = match &m.label {
                Some(l) => format!("{} {l}", m.date),
                None => m.date.to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<26} {:>9} {:>10} {:>9}  {}",
                name,
                people(m.target),
                people(m.projected),
                crate::summary::signed_people(m.gap),
                if m.met { "yes" } else { "NO" }
            );
        }
    }
    let mix: Vec<String> = s
        .final_levels
        .iter()
        .map(|(k, v)| {
            format!(
                "{k} {} ({:.0}%)",
                people(*v),
                if s.final_total > 0.0 {
                    100.0 * v / s.final_total
                } else {
                    0.0
                }
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "  final total {} at {}: {}",
        people(s.final_total),
        s.end,
        mix.join(", ")
    );
    if let Some(m) = s.milestones.last() {
        match s.first_month_at_final_target {
            Some(first) => {
                let _ = writeln!(out, "  {} first reached in {first}", people(m.target));
            }
            None => {
                let _ = writeln!(out, "  {} not reached by {}", people(m.target), s.end);
            }
        }
    }
    let _ = writeln!(
        out,
        "  peak queue {} ({}); classes limited by seats: {}, by instructors: {}",
        people(s.peak_queue),
        s.peak_queue_month,
        s.seat_limited_classes,
        s.instructor_limited_classes
    );
    if let Some(line) = crate::analysis::holding_line(&loaded.scenario) {
        let _ = writeln!(out, "  {line}");
    }
    out
}

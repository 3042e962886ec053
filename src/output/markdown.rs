//! `report.md`: the console summary as a Markdown page a reviewer can read
//! next to the charts.

use super::{Exporter, OutputFile};
use crate::summary::{people, signed_people, Summary};
use anyhow::Result;
use std::fmt::Write;

pub struct ReportMarkdown;

/// The milestone table shared by the console and `report.md`.
pub fn milestone_table(s: &Summary) -> String {
    let mut t =
        String::from("| milestone | target | projected | gap | met |\n|---|---:|---:|---:|---|\n");
    for m in &s.milestones {
        let _ = writeln!(
            t,
            "| {}{} | {} | {} | {} | {} |",
            m.date,
            m.label
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default(),
            people(m.target),
            people(m.projected),
            signed_people(m.gap),
            if m.met { "yes" } else { "**no**" }
        );
    }
    t
}

impl Exporter<Summary> for ReportMarkdown {
    fn export(&self, s: &Summary) -> Result<Vec<OutputFile>> {
        let mut md = String::new();
        writeln!(md, "# {}\n", s.title)?;
        writeln!(
            md,
            "Scenario `{}`, {} .. {}, config `{}`.\n",
            s.scenario,
            s.start,
            s.end,
            &s.config_hash[..12]
        )?;
        md.push_str(&milestone_table(s));
        writeln!(md)?;
        let mix: Vec<String> = s
            .final_levels
            .iter()
            .map(|(k, v)| format!("{k} {}", people(*v)))
            .collect();
        writeln!(
            md,
            "Final total {} ({}).\n",
            people(s.final_total),
            mix.join(", ")
        )?;
        match s.first_month_at_final_target {
            Some(m) => writeln!(md, "The final target is first reached in {m}.\n")?,
            None => writeln!(md, "The final target is not reached by {}.\n", s.end)?,
        }
        writeln!(
            md,
            "Peak queue {} ({}); {} seat-limited and {} instructor-limited classes.",
            people(s.peak_queue),
            s.peak_queue_month,
            s.seat_limited_classes,
            s.instructor_limited_classes
        )?;
        for w in &s.warnings {
            writeln!(md, "\nWarning: {w}")?;
        }
        Ok(vec![OutputFile::new("report.md", md.into_bytes())])
    }
}

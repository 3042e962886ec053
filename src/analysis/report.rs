//! The readable report `forcecast analyze` prints.

use super::Markov;
use crate::format::{fixed, people};
use std::fmt::Write;

/// The console report of an analysis. `title` and `label` name the scenario
/// and the file it came from.
pub fn render(m: &Markov, title: &str, label: &str) -> String {
    let mut out = String::new();
    let hash = m.config_hash.get(..12).unwrap_or(&m.config_hash);
    let _ = writeln!(
        out,
        "Career analysis: {title} [{}] (config {hash}, {label})",
        m.scenario
    );
    let _ = writeln!(
        out,
        "  {} sub-states (level x months in level x obligation or contract months left); rates of {}, inflows of FY{}",
        m.sub_states, m.at, m.fiscal_year
    );

    let w = m.levels.iter().map(|l| l.len()).max().unwrap_or(0).max(10);
    let header = |out: &mut String, last: Option<&str>| {
        let _ = write!(out, "    {:<w$}", "entrant at");
        for l in &m.levels {
            let _ = write!(out, " {:>w$}", l);
        }
        if let Some(last) = last {
            let _ = write!(out, " {:>w$}", last);
        }
        out.push('\n');
    };

    let _ = writeln!(
        out,
        "\n  Expected months in each level, for a new entrant at each level:"
    );
    header(&mut out, Some("career"));
    for (from, row) in &m.expected_months {
        let _ = write!(out, "    {from:<w$}");
        for v in row.values() {
            let _ = write!(out, " {:>w$}", fixed(*v, 1));
        }
        let _ = writeln!(out, " {:>w$}", fixed(m.expected_career_months[from], 1));
    }

    let _ = writeln!(out, "\n  Probability of ever reaching each level:");
    header(&mut out, None);
    for (from, row) in &m.probability_reach {
        let _ = write!(out, "    {from:<w$}");
        for v in row.values() {
            let _ = write!(out, " {:>w$}", format!("{}%", fixed(100.0 * v, 1)));
        }
        out.push('\n');
    }

    let _ = writeln!(
        out,
        "\n  Yearly split: of those eligible in a level at the start of a year, after 12 months:"
    );
    for (level, sp) in &m.yearly_split {
        let _ = writeln!(
            out,
            "    {level:<w$} stayed {:>6}%  promoted {:>6}%  left {:>6}%",
            fixed(100.0 * sp.stayed, 1),
            fixed(100.0 * sp.promoted, 1),
            fixed(100.0 * sp.left, 1)
        );
    }
    for v in &m.vacancy_promotions {
        let _ = writeln!(
            out,
            "  Vacancy promotion {} -> {}: state-dependent; the chain uses the projection's {}% a month of those eligible in {} (bound {}%).",
            v.level,
            v.to,
            fixed(100.0 * v.monthly_share, 2),
            m.at,
            fixed(100.0 * v.monthly_bound, 2)
        );
    }

    if !m.entry_channels.is_empty() {
        let _ = writeln!(out, "\n  Inflow channels in FY{}:", m.fiscal_year);
        for c in &m.entry_channels {
            let route = match &c.via {
                Some(course) => {
                    format!(
                        "{} a year -> {course} -> {} a year into {}",
                        people(c.intake_per_year),
                        people(c.entrants_per_year),
                        c.level
                    )
                }
                None => format!("{} a year into {}", people(c.entrants_per_year), c.level),
            };
            let clock = match (c.obligation_months, c.term_months) {
                (Some(o), _) => format!(", {o}-month obligation"),
                (_, Some(t)) => format!(", {t}-month term"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "    {}: {route}{clock}; expected career {} months",
                c.inflow,
                fixed(c.expected_career_months, 1)
            );
        }
    }

    let ss = &m.steady_state;
    let levels: Vec<String> = ss
        .levels
        .iter()
        .map(|(k, v)| format!("{k} {}", people(*v)))
        .collect();
    let _ = writeln!(
        out,
        "\n  Steady state of FY{} inflows ({} entrants a year): {}; counted total {}",
        m.fiscal_year,
        people(ss.entrants_per_year),
        levels.join(", "),
        people(ss.total)
    );
    let from: f64 = ss.from_levels.values().sum();
    match ss.months_to_within_5pct {
        Some(t) => {
            let _ = writeln!(
                out,
                "    from the {} headcounts ({} in levels) within 5% after {t} months ({})",
                ss.from,
                people(from),
                ss.from.plus(t as i32)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "    from the {} headcounts ({} in levels) not within 5% in 100 years",
                ss.from,
                people(from)
            );
        }
    }

    match &m.sustainment {
        Some(h) => {
            let _ = writeln!(
                out,
                "  Holding {} needs about {} entrants a year ({} of them course graduates, {} class seats a year); \
                 the plan's last year provides {} ({}x).",
                people(h.headcount),
                people(h.entrants_per_year),
                people(h.graduates_per_year),
                people(h.seats_per_year),
                people(h.plan_entrants_per_year),
                fixed(h.scale, 2)
            );
            for c in &h.courses {
                let flag = if c.seats_per_year > c.offered_seats_per_year {
                    "  <- more than offered"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "    {}: {} seats a year needed, {} offered{flag}",
                    c.course,
                    people(c.seats_per_year),
                    people(c.offered_seats_per_year)
                );
            }
        }
        None => {
            let _ = writeln!(out, "  No sustainment figure: no milestone, or the last year's inflows bring nobody into counted levels.");
        }
    }

    let _ = writeln!(out, "\n  Assumptions:");
    for a in &m.assumptions {
        let _ = writeln!(out, "    - {a}");
    }
    out
}

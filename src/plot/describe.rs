//! What charts say about a scenario in words: the assumptions in subtitles,
//! what the target counts, fiscal-year and month names.

use crate::format::{people, percent, signed_people};
use crate::montecarlo::report::McSummary;
use crate::scenario::{Destination, Scenario};

/// Short descriptions of a scenario's key assumptions, for subtitles:
/// `[inflows, course seats, attrition]`, each omitted when empty.
pub fn assumptions(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let inflows = intake_text(s);
    if !inflows.is_empty() {
        out.push(inflows);
    }
    let seats = seats_text(s);
    if !seats.is_empty() {
        out.push(seats);
    }
    out.push(attrition_text(s));
    out
}

/// "Intake/yr: transfers 400, recruits 36 (60 × 60%), ..." over the horizon's fiscal years.
pub fn intake_text(s: &Scenario) -> String {
    if s.inflows.is_empty() {
        return String::new();
    }
    let fys = fiscal_years(s);
    let parts: Vec<String> = s
        .inflows
        .iter()
        .map(|f| {
            let planned: Vec<f64> = fys.iter().map(|&fy| f.planned(fy)).collect();
            let (lo, hi) = min_max(&planned);
            let got = |x: f64| people(x * f.achievement);
            let amount = if (hi - lo).abs() < 0.5 {
                got(hi)
            } else {
                format!("{}–{}", got(lo), got(hi))
            };
            let how = if f.achievement < 1.0 {
                let plan = if (hi - lo).abs() < 0.5 {
                    people(hi)
                } else {
                    format!("{}–{}", people(lo), people(hi))
                };
                format!(" ({plan} × {})", percent(f.achievement))
            } else {
                String::new()
            };
            format!("{} {amount}{how}", f.name)
        })
        .collect();
    format!("Intake/yr: {}", parts.join(", "))
}

/// "Seats/yr: cyber_school 130 (2 × 65)".
pub fn seats_text(s: &Scenario) -> String {
    if s.courses.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = s
        .courses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{} {} ({} × {})",
                c.name,
                people(s.seats_per_year(i)),
                c.classes_per_year(),
                people(c.seats_per_class)
            )
        })
        .collect();
    format!("Seats/yr: {}", parts.join(", "))
}

/// "Attrition/yr: basic 6%, intermediate 8%, advanced 12%".
pub fn attrition_text(s: &Scenario) -> String {
    let parts: Vec<String> = s
        .levels
        .iter()
        .map(|l| format!("{} {}", l.name, percent(l.attrition)))
        .collect();
    let mut t = format!("Attrition/yr: {}", parts.join(", "));
    if !s.shocks.is_empty() {
        t.push_str(&format!(
            " ({} shock{})",
            s.shocks.len(),
            if s.shocks.len() == 1 { "" } else { "s" }
        ));
    }
    t
}

/// Where an inflow goes, for legends: "basic" or "cyber_school queue".
pub fn destination_text(s: &Scenario, d: Destination) -> String {
    match d {
        Destination::Level(l) => s.levels[l].name.clone(),
        Destination::Course(c) => format!("{} queue", s.courses[c].name),
    }
}

/// The fiscal years the horizon touches.
pub fn fiscal_years(s: &Scenario) -> Vec<i32> {
    let first = s.start.fiscal_year(s.fy_start_month);
    let last = s.end.fiscal_year(s.fy_start_month);
    (first..=last).collect()
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// Digits after the point that let labels of amounts around `typical`
/// people show their differences: none from 2 people up (whole people),
/// one below that ("+0.2/yr" for a team hiring one a year), two below 0.2.
pub fn decimals_for(typical: f64) -> usize {
    let t = typical.abs();
    if !t.is_finite() || t >= 2.0 || t == 0.0 {
        0
    } else if t >= 0.2 {
        1
    } else {
        2
    }
}

/// Digits for amounts on the scale of a force of `total` people: tenths
/// for a team under 20 (a team of 7.2 is not "7"), hundredths under 2,
/// whole people from 20 up.
pub fn team_decimals(total: f64) -> usize {
    if total.abs() < 100.0 {
        decimals_for(total.abs() / 10.0)
    } else {
        0
    }
}

/// People to `decimals` digits with thousands separators (never "-0").
pub fn amount(x: f64, decimals: usize) -> String {
    if decimals == 0 {
        people(x)
    } else {
        crate::format::thousands(x, decimals)
    }
}

/// A signed amount of people to `decimals` digits: "+0.2", "-1,450", "0".
pub fn signed_amount(x: f64, decimals: usize) -> String {
    let t = amount(x, decimals);
    if x > 0.0 && t.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{t}")
    } else {
        t
    }
}

/// "FY2023" (or "2023" for calendar years).
pub fn fy_label(fy: i32, fy_start_month: u32) -> String {
    if fy_start_month == 1 {
        fy.to_string()
    } else {
        format!("FY{fy}")
    }
}

/// "Apr", "May", ...
pub fn month_abbrev(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

/// "Counted: basic + intermediate + advanced (not the school queue or trainees)".
pub fn counted_text(s: &Scenario) -> String {
    let mut parts: Vec<String> = s
        .target
        .levels
        .iter()
        .map(|&l| s.levels[l].name.clone())
        .collect();
    if s.target.queue {
        parts.push("course queues".into());
    }
    if s.target.training {
        parts.push("trainees".into());
    }
    let mut t = format!("Counted: {}", parts.join(" + "));
    let mut not = Vec::new();
    if !s.courses.is_empty() && !s.target.queue {
        not.push("queue");
    }
    if !s.courses.is_empty() && !s.target.training {
        not.push("trainees");
    }
    if !not.is_empty() {
        t.push_str(&format!(" (not {})", not.join(" or ")));
    }
    t
}

/// "Events: +1,100 basic 2023-10".
pub fn events_text(s: &Scenario) -> Option<String> {
    if s.events.is_empty() {
        return None;
    }
    let parts: Vec<String> = s
        .events
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                signed_people(e.change),
                s.levels[e.level].name,
                e.date
            )
        })
        .collect();
    Some(format!("Events: {}", parts.join(", ")))
}

/// "10,000 runs" · what varied, for subtitles.
pub fn runs_text(s: &McSummary) -> Vec<String> {
    vec![
        format!("{} runs", people(s.runs as f64)),
        s.uncertainty_text(),
    ]
}

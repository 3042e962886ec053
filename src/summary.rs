//! What a projection says about the plan: milestones met or missed and the
//! pipeline's pinch points. Shared by the console table, `summary.json` and
//! the charts, so they can never disagree.

use crate::config::Loaded;
use crate::engine::{ClassLimit, Projection};
use crate::month::Month;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneResult {
    pub date: Month,
    pub target: f64,
    pub projected: f64,
    pub met: bool,
    /// projected - target.
    pub gap: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub title: String,
    pub config_hash: String,
    pub start: Month,
    pub end: Month,
    pub final_total: f64,
    /// Final headcount of each level, in config order.
    pub final_levels: indexmap::IndexMap<String, f64>,
    pub milestones: Vec<MilestoneResult>,
    pub first_month_at_final_target: Option<Month>,
    pub peak_queue: f64,
    pub peak_queue_month: Month,
    pub seat_limited_classes: usize,
    pub instructor_limited_classes: usize,
    pub warnings: Vec<String>,
}

impl Summary {
    pub fn new(loaded: &Loaded, p: &Projection) -> Summary {
        let s = &loaded.scenario;
        let last = p.final_row();
        let milestones = s
            .target
            .milestones
            .iter()
            .map(|m| {
                let projected = p.at(m.date).map_or(f64::NAN, |r| r.total);
                MilestoneResult {
                    date: m.date,
                    target: m.headcount,
                    projected,
                    met: projected >= m.headcount,
                    gap: projected - m.headcount,
                    label: m.label.clone(),
                }
            })
            .collect();
        let peak = p.rows.iter().fold(
            &p.rows[0],
            |best, r| if r.queue() > best.queue() { r } else { best },
        );
        Summary {
            scenario: s.name.clone(),
            title: s.title.clone(),
            config_hash: loaded.hash.clone(),
            start: s.start,
            end: s.end,
            final_total: last.total,
            final_levels: s
                .levels
                .iter()
                .zip(&last.levels)
                .map(|(l, &n)| (l.name.clone(), n))
                .collect(),
            milestones,
            first_month_at_final_target: s
                .final_milestone()
                .and_then(|m| p.first_month_reaching(m.headcount)),
            peak_queue: peak.queue(),
            peak_queue_month: peak.month,
            seat_limited_classes: p
                .classes
                .iter()
                .filter(|c| c.limit == ClassLimit::Seats)
                .count(),
            instructor_limited_classes: p
                .classes
                .iter()
                .filter(|c| c.limit == ClassLimit::Instructors)
                .count(),
            warnings: p.warnings.clone(),
        }
    }

    /// Whether the last milestone is met (true when there are none).
    pub fn final_met(&self) -> bool {
        self.milestones.last().is_none_or(|m| m.met)
    }
}

/// `1234.5` as `1,235`: whole people with thousands separators, for people to read.
pub fn people(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let n = x.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A signed difference in people, e.g. `+120` or `-1,450`.
pub fn signed_people(x: f64) -> String {
    if x.round() > 0.0 {
        format!("+{}", people(x))
    } else {
        people(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(people(0.4), "0");
        assert_eq!(people(999.5), "1,000");
        assert_eq!(people(1234567.0), "1,234,567");
        assert_eq!(people(-4000.0), "-4,000");
        assert_eq!(signed_people(12.0), "+12");
        assert_eq!(signed_people(-1450.2), "-1,450");
    }
}

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
    /// Qualified people among the counted levels' people at the date; absent
    /// without qualification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualified: Option<f64>,
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
    /// The largest number waiting for courses at the end of a month, and
    /// when; absent when the scenario has no courses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_queue: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_queue_month: Option<Month>,
    pub seat_limited_classes: usize,
    pub instructor_limited_classes: usize,
    /// Each course's limited classes and queue, in config order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<CourseLoad>,
    /// Each qualifying level's absorption, in config order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub absorption: Vec<Absorption>,
    pub warnings: Vec<String>,
    /// What the projection costs; only with `[costs]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<crate::costs::CostSummary>,
}

/// How a level's on-the-job qualification went.
#[derive(Debug, Clone, Serialize)]
pub struct Absorption {
    pub level: String,
    /// First month in which people were left waiting for a mentor slot.
    pub limited_from: Option<Month>,
    /// Last month in which people were left waiting for a mentor slot.
    pub limited_to: Option<Month>,
    /// Months in which people were left waiting for a mentor slot.
    pub limited_months: usize,
    /// Unqualified (waiting or in qualification) at the end of the horizon.
    pub final_unqualified: f64,
}

/// Qualified people among the counted levels' people in `row`.
pub fn qualified_counted(s: &crate::scenario::Scenario, row: &crate::engine::Row) -> f64 {
    s.target
        .levels
        .iter()
        .map(|&l| row.levels[l] - row.qualification[l].unqualified())
        .sum()
}

/// How hard a course's seats were pressed.
#[derive(Debug, Clone, Serialize)]
pub struct CourseLoad {
    pub course: String,
    /// Classes that left people waiting because seats ran out.
    pub seat_limited_classes: usize,
    /// Classes that left people waiting because instructors ran out.
    pub instructor_limited_classes: usize,
    pub peak_queue: f64,
    pub peak_queue_month: Month,
    /// Waiting at the end of the horizon.
    pub final_queue: f64,
    /// Whether the seats bound: a class left people waiting, or more are
    /// waiting at the end than its last class could seat.
    pub binding: bool,
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
                    qualified: s
                        .has_qualification()
                        .then(|| p.at(m.date).map_or(f64::NAN, |r| qualified_counted(s, r))),
                }
            })
            .collect();
        let peak = (!s.courses.is_empty()).then(|| peak_of(p, |r| r.queue()));
        let limited = |c: usize, limit: ClassLimit| {
            p.classes
                .iter()
                .filter(|k| k.course == c && k.limit == limit)
                .count()
        };
        let courses = s
            .courses
            .iter()
            .enumerate()
            .map(|(c, course)| {
                let (peak_queue, peak_queue_month) = peak_of(p, |r| r.queues[c]);
                let final_queue = last.queues[c];
                let seats_last_class = p
                    .classes
                    .iter()
                    .rev()
                    .find(|k| k.course == c)
                    .map_or(course.seats_per_class, |k| {
                        k.seats_per_class.min(k.instructor_capacity)
                    });
                let seat_limited_classes = limited(c, ClassLimit::Seats);
                let instructor_limited_classes = limited(c, ClassLimit::Instructors);
                CourseLoad {
                    course: course.name.clone(),
                    seat_limited_classes,
                    instructor_limited_classes,
                    peak_queue,
                    peak_queue_month,
                    final_queue,
                    binding: seat_limited_classes + instructor_limited_classes > 0
                        || final_queue > seats_last_class,
                }
            })
            .collect();
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
            peak_queue: peak.map(|(q, _)| q),
            peak_queue_month: peak.map(|(_, m)| m),
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
            courses,
            absorption: s
                .levels
                .iter()
                .enumerate()
                .filter(|(_, lv)| lv.qualification.is_some())
                .map(|(l, lv)| {
                    let limited = || p.rows.iter().filter(|r| r.qualification[l].limited);
                    Absorption {
                        level: lv.name.clone(),
                        limited_from: limited().next().map(|r| r.month),
                        limited_to: limited().next_back().map(|r| r.month),
                        limited_months: limited().count(),
                        final_unqualified: last.qualification[l].unqualified(),
                    }
                })
                .collect(),
            warnings: p.warnings.clone(),
            costs: crate::costs::CostSummary::new(s, p),
        }
    }

    /// The course whose seats bound hardest (most limited classes, then the
    /// largest queue), if any did.
    pub fn binding_course(&self) -> Option<&CourseLoad> {
        let load = |c: &CourseLoad| {
            (
                c.seat_limited_classes + c.instructor_limited_classes,
                c.peak_queue,
            )
        };
        self.courses
            .iter()
            .filter(|c| c.binding)
            .fold(None, |best: Option<&CourseLoad>, c| match best {
                Some(b) if load(c) <= load(b) => Some(b),
                _ => Some(c),
            })
    }

    /// "absorption limited from 2023-11 (basic: 12 months, 2023-11 .. 2024-10)",
    /// or "mentors never bind"; `None` without qualification.
    pub fn absorption_line(&self) -> Option<String> {
        if self.absorption.is_empty() {
            return None;
        }
        let first = self.absorption.iter().filter_map(|a| a.limited_from).min();
        let Some(first) = first else {
            return Some("absorption: mentors never bind".to_string());
        };
        let per: Vec<String> = self
            .absorption
            .iter()
            .filter(|a| a.limited_months > 0)
            .map(|a| {
                let months = if a.limited_months == 1 {
                    "month"
                } else {
                    "months"
                };
                match (a.limited_from, a.limited_to) {
                    (Some(from), Some(to)) => {
                        format!("{}: {} {months}, {from} .. {to}", a.level, a.limited_months)
                    }
                    _ => format!("{}: {} {months}", a.level, a.limited_months),
                }
            })
            .collect();
        Some(format!(
            "absorption limited from {first} ({})",
            per.join("; ")
        ))
    }

    /// Whether the last milestone is met (true when there are none).
    pub fn final_met(&self) -> bool {
        self.milestones.last().is_none_or(|m| m.met)
    }
}

/// The largest value of `f` over the rows and its month (the first, on ties).
fn peak_of(p: &Projection, f: impl Fn(&crate::engine::Row) -> f64) -> (f64, Month) {
    p.rows
        .iter()
        .fold((f(&p.rows[0]), p.rows[0].month), |best, r| {
            if f(r) > best.0 {
                (f(r), r.month)
            } else {
                best
            }
        })
}

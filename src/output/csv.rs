//! `projection.csv` (a row per month) and `classes.csv` (a row per class start).

use super::{num, Exporter, OutputFile};
use crate::engine::{ClassLimit, Projection};
use crate::scenario::Scenario;
use anyhow::Result;

pub struct ProjectionCsv;

/// The first columns of `projection.csv`, before one column per level.
pub const LEADING_COLUMNS: [&str; 3] = ["month", "fiscal_year", "total"];
/// The columns after the levels, before the per-course and per-inflow ones.
/// Together with [`LEADING_COLUMNS`] these are the names a level, course or
/// inflow may not take (validation reserves them).
pub const FIXED_COLUMNS: [&str; 14] = [
    "queue",
    "training",
    "instructors",
    "queued",
    "started",
    "graduated",
    "chained",
    "washout",
    "queue_dropouts",
    "lateral",
    "events",
    "separations",
    "promotions",
    "in_levels",
];

/// Column names of `projection.csv`, in order.
pub fn projection_columns(s: &Scenario) -> Vec<String> {
    let mut cols: Vec<String> = LEADING_COLUMNS.iter().map(|s| s.to_string()).collect();
    cols.extend(s.levels.iter().map(|l| l.name.clone()));
    cols.extend(FIXED_COLUMNS.iter().map(|s| s.to_string()));
    cols.extend(s.courses.iter().map(|c| format!("queue.{}", c.name)));
    cols.extend(s.courses.iter().map(|c| format!("training.{}", c.name)));
    cols.extend(s.inflows.iter().map(|f| format!("inflow.{}", f.name)));
    cols
}

impl Exporter<(&Scenario, &Projection)> for ProjectionCsv {
    fn export(&self, &(s, p): &(&Scenario, &Projection)) -> Result<Vec<OutputFile>> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(projection_columns(s))?;
        for r in &p.rows {
            let f = &r.flows;
            let mut rec = vec![r.month.to_string(), r.fiscal_year.to_string(), num(r.total)];
            rec.extend(r.levels.iter().map(|&x| num(x)));
            rec.extend(
                [
                    r.queue(),
                    r.training_total(),
                    r.instructors,
                    f.queued,
                    f.started,
                    f.graduated,
                    f.chained,
                    f.washout,
                    f.queue_dropouts,
                    f.lateral,
                    f.events,
                    f.separations,
                    f.promotions,
                    r.in_levels(),
                ]
                .into_iter()
                .map(num),
            );
            rec.extend(
                r.queues
                    .iter()
                    .chain(&r.training)
                    .chain(&r.inflows)
                    .map(|&x| num(x)),
            );
            w.write_record(&rec)?;
        }
        let mut classes = ::csv::Writer::from_writer(Vec::new());
        classes.write_record([
            "course",
            "month",
            "queue",
            "seats_per_class",
            "instructor_capacity",
            "seats_offered",
            "started",
            "limit",
        ])?;
        for c in &p.classes {
            classes.write_record([
                s.courses[c.course].name.clone(),
                c.month.to_string(),
                num(c.queue),
                num(c.seats_per_class),
                num(c.instructor_capacity),
                num(c.seats_offered),
                num(c.started),
                match c.limit {
                    ClassLimit::None => "none",
                    ClassLimit::Seats => "seats",
                    ClassLimit::Instructors => "instructors",
                }
                .to_string(),
            ])?;
        }
        Ok(vec![
            OutputFile::new("projection.csv", w.into_inner()?),
            OutputFile::new("classes.csv", classes.into_inner()?),
        ])
    }
}

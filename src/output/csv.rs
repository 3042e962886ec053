//! CSV: a [`Table`] of cells, numbers in full precision (see [`crate::format::num`]).
//!
//! Also the column contract of `projection.csv`: the fixed column names a
//! level, course or inflow may not take (validation reserves them).

use super::Exporter;
use crate::format;
use crate::scenario::Scenario;
use anyhow::Result;

/// One cell of a table: a number (written in full precision, blank when not
/// finite, never `-0`) or text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Num(f64),
    Text(String),
}

impl Cell {
    /// The cell as it is written to a file.
    pub fn text(&self) -> String {
        match self {
            Cell::Num(x) => format::num(*x),
            Cell::Text(t) => t.clone(),
        }
    }

    /// The number in a numeric cell.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Num(x) => Some(*x),
            Cell::Text(_) => None,
        }
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Num(x)
    }
}

impl From<String> for Cell {
    fn from(t: String) -> Cell {
        Cell::Text(t)
    }
}

impl From<&str> for Cell {
    fn from(t: &str) -> Cell {
        Cell::Text(t.to_string())
    }
}

/// A header and rows of cells, each row as long as the header.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.header.len(), "row width");
        self.rows.push(row);
    }

    /// The index of a column, by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Writes a [`Table`] as RFC 4180 CSV with a header row.
pub struct Csv;

impl Exporter for Csv {
    type Input = Table;
    const EXTENSION: &'static str = "csv";

    fn serialize(&self, t: &Table) -> Result<Vec<u8>> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record(&t.header)?;
        for row in &t.rows {
            w.write_record(row.iter().map(Cell::text))?;
        }
        w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
    }
}

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
    for l in s.levels.iter().filter(|l| l.authorised.is_some()) {
        cols.extend(["authorised", "vacancies", "fill"].map(|c| format!("{c}.{}", l.name)));
    }
    // Unqualified (waiting or in qualification), in qualification, qualified; the month's
    // slots; 1 when people were left waiting for want of a slot.
    for l in s.levels.iter().filter(|l| l.qualification.is_some()) {
        cols.extend(
            [
                "unqualified",
                "in_qualification",
                "qualified",
                "mentor_slots",
                "mentor_limited",
            ]
            .map(|c| format!("{c}.{}", l.name)),
        );
    }
    if s.costs.is_some() {
        cols.extend(COST_COLUMNS.iter().map(|s| s.to_string()));
    }
    cols
}

/// The last columns of `projection.csv` when the scenario has `[costs]`:
/// the month's spending by component and in all.
pub const COST_COLUMNS: [&str; 5] = [
    "cost.pay",
    "cost.training",
    "cost.classes",
    "cost.entrants",
    "cost.total",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_full_precision_and_blanks_for_missing() {
        let mut t = Table::new(["a", "b", "c"]);
        t.push(vec![(1.0 / 3.0).into(), (-0.0).into(), f64::NAN.into()]);
        t.push(vec!["x,y".into(), 2230.0.into(), "".into()]);
        let text = String::from_utf8(Csv.serialize(&t).unwrap()).unwrap();
        assert_eq!(text, "a,b,c\n0.3333333333333333,0,\n\"x,y\",2230,\n");
    }
}

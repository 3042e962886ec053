//! `costs.csv`: spending per fiscal year by component, with the budget.

use super::{CostSummary, COMPONENTS};
use crate::output::csv::{Cell, Table};

/// One row per fiscal year: its months, each component, the total, the
/// budget and what is left of it (blank without a budget).
pub fn fiscal_years(c: &CostSummary) -> Table {
    let mut header = vec!["fiscal_year", "months"];
    header.extend(COMPONENTS);
    header.extend(["total", "budget", "headroom"]);
    let mut t = Table::new(header);
    for y in &c.fiscal_years {
        let mut row: Vec<Cell> = vec![y.fiscal_year.to_string().into(), (y.months as f64).into()];
        row.extend(y.spend.parts().map(Cell::Num));
        row.push(y.total.into());
        let b = y.budget.unwrap_or(f64::NAN);
        row.extend([b, b - y.total].map(Cell::Num));
        t.push(row);
    }
    t
}

//! Excel: a [`Workbook`] of sheets, each one [`Table`] as a CSV would hold it,
//! with a units row under the header, both frozen, numbers as numbers with a
//! number format by unit (`report.xlsx`). The file is the same bytes for the
//! same tables: the creation date is fixed and the zip entries carry no time.

use super::csv::{Cell, Table};
use super::Exporter;
use anyhow::Result;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook as Xlsx};

/// One sheet: its name (at most 31 characters, none of `[]:*?/\`), its table,
/// and the unit of each column (`people`, `fraction`, `YYYY-MM`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub table: Table,
    pub units: Vec<String>,
}

/// The sheets of a workbook, in tab order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// Adds a sheet, making its name a valid, unique sheet name.
    pub fn add(&mut self, name: &str, table: Table, units: Vec<String>) {
        let mut base: String = name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        base = base.trim_matches('\'').to_string();
        if base.is_empty() {
            base = "sheet".into();
        }
        let mut candidate: String = base.chars().take(31).collect();
        let mut n = 2;
        while self
            .sheets
            .iter()
            .any(|s| s.name.eq_ignore_ascii_case(&candidate))
        {
            let suffix = format!(" ({n})");
            candidate = base.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
            n += 1;
        }
        self.sheets.push(Sheet {
            name: candidate,
            table,
            units,
        });
    }
}

/// Writes a [`Workbook`] as `.xlsx`.
pub struct Excel;

impl Exporter for Excel {
    type Input = Workbook;
    const EXTENSION: &'static str = "xlsx";

    fn serialize(&self, book: &Workbook) -> Result<Vec<u8>> {
        let mut xlsx = Xlsx::new();
        // A fixed creation date: the same tables give the same bytes.
        let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
        xlsx.set_properties(
            &DocProperties::new()
                .set_title("forcecast report tables")
                .set_creation_datetime(&created),
        );
        let head = Format::new().set_bold().set_background_color(0xF0F2F5);
        let unit = Format::new()
            .set_italic()
            .set_font_color(0x5B6472)
            .set_background_color(0xF0F2F5);
        for sheet in &book.sheets {
            let ws = xlsx.add_worksheet();
            ws.set_name(&sheet.name)?;
            for (c, h) in sheet.table.header.iter().enumerate() {
                let c = col(c)?;
                ws.write_string_with_format(0, c, h, &head)?;
                let u = sheet.units.get(c as usize).map_or("", String::as_str);
                ws.write_string_with_format(1, c, u, &unit)?;
                let width = h.chars().count().max(u.chars().count()).clamp(8, 60);
                ws.set_column_width(c, width as f64 + 2.0)?;
            }
            let formats: Vec<Format> = (0..sheet.table.header.len())
                .map(|c| number_format(sheet.units.get(c).map_or("", String::as_str)))
                .collect();
            for (r, row) in sheet.table.rows.iter().enumerate() {
                let r = u32::try_from(r + 2)?;
                for (c, cell) in row.iter().enumerate() {
                    let ci = col(c)?;
                    match cell {
                        Cell::Num(x) if x.is_finite() => {
                            // Never "-0", as in the CSVs.
                            let x = if *x == 0.0 { 0.0 } else { *x };
                            ws.write_number_with_format(r, ci, x, &formats[c])?;
                        }
                        // Blank, as the CSV's empty cell.
                        Cell::Num(_) => {}
                        Cell::Text(t) => {
                            ws.write_string(r, ci, t)?;
                        }
                    }
                }
            }
            ws.set_freeze_panes(2, 0)?;
        }
        Ok(xlsx.save_to_buffer()?)
    }
}

fn col(c: usize) -> Result<u16> {
    Ok(u16::try_from(c)?)
}

/// The display format of a unit; the stored number keeps full precision.
fn number_format(unit: &str) -> Format {
    let f = Format::new().set_align(FormatAlign::Right);
    match unit {
        "fraction" | "probability" => f.set_num_format("0.0%"),
        "people" | "people/month" | "people/year" => f.set_num_format("#,##0.0"),
        "whole people" | "classes" | "months" | "seats" => f.set_num_format("#,##0"),
        _ => f.set_num_format("General"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut b = Workbook::default();
        let t = Table::new(["a"]);
        b.add("a/b", t.clone(), vec![]);
        b.add("a/b", t.clone(), vec![]);
        b.add(&"x".repeat(40), t, vec![]);
        let names: Vec<&str> = b.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names[0], "a_b");
        assert_eq!(names[1], "a_b (2)");
        assert_eq!(names[2].chars().count(), 31);
    }

    #[test]
    fn same_tables_same_bytes() {
        let mut t = Table::new(["month", "total"]);
        t.push(vec!["2024-03".into(), 2230.5.into()]);
        let mut b = Workbook::default();
        b.add("s", t, vec!["YYYY-MM".into(), "people".into()]);
        let one = Excel.serialize(&b).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(one, Excel.serialize(&b).unwrap());
    }
}

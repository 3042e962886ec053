//! Policy changes (`[[changes]]`) marked on charts of time: a small dark
//! triangle on the time axis at each month a change takes effect, labelled
//! "2025-04 levels.advanced.attrition → 0.05" (and the change's note where
//! there is room), so a reviewer sees where a line bends because the rules did.
//! Changes of the same month share one mark and one label.

use super::axes::{Panel, TimeAxis};
use super::marks::{self, LegendItem, Marker, Placer, Swatch};
use super::{palette, Canvas, DrawResult, Theme};
use crate::format::people;
use crate::month::Month;
use crate::params::Kind;
use crate::scenario::{Change, Scenario};
use plotters::prelude::DrawingBackend;

/// A drawn mark's tip and its (short, long) labels.
pub type ChangeMark = ((i32, i32), (String, String));

/// The colour of change marks: dark, apart from the model's colours.
const COLOR: plotters::style::RGBColor = palette::TEXT;

/// A change's new value as the config would write it: counts and yearly
/// volumes in people, shares and factors as decimals ("0.05", "0.615").
pub fn value_text(c: &Change) -> String {
    match c.param.kind() {
        Kind::Count | Kind::Rate | Kind::Change => people(c.value),
        _ => {
            // Two decimals unless the value needs more (0.615 stays 0.615).
            let two = format!("{:.2}", c.value);
            if (two.parse::<f64>().unwrap_or(f64::NAN) - c.value).abs() < 1e-12 {
                two
            } else {
                let t = format!("{:.6}", c.value);
                t.trim_end_matches('0').to_string()
            }
        }
    }
}

/// The changes grouped by month, in date order (file order within a month).
pub fn by_month(s: &Scenario) -> Vec<(Month, Vec<&Change>)> {
    let mut out: Vec<(Month, Vec<&Change>)> = Vec::new();
    let mut sorted: Vec<&Change> = s.changes.iter().collect();
    sorted.sort_by_key(|c| c.from);
    for c in sorted {
        match out.last_mut() {
            Some((m, v)) if *m == c.from => v.push(c),
            _ => out.push((c.from, vec![c])),
        }
    }
    out
}

/// The short label of one month's changes, and the same with their notes:
/// ("2025-04 levels.advanced.attrition → 0.05", "...: retention pay").
pub fn labels(s: &Scenario, month: Month, changes: &[&Change]) -> (String, String) {
    let parts: Vec<String> = changes
        .iter()
        .map(|c| format!("{} → {}", c.param.path(s), value_text(c)))
        .collect();
    let short = format!("{month} {}", parts.join(", "));
    let mut notes: Vec<&str> = changes.iter().filter_map(|c| c.note.as_deref()).collect();
    notes.dedup();
    let long = if notes.is_empty() {
        short.clone()
    } else {
        format!("{short}: {}", notes.join("; "))
    };
    (short, long)
}

/// Draws a triangle on the time axis of `panel` for each month with a change
/// inside `months` of the axis origin, and blocks it from other labels.
/// Returns each mark's tip and its (short, long) labels, for
/// [`draw_labels`] once the chart's other marks are placed.
pub fn draw_marks<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    axis: &TimeAxis,
    months: f64,
    s: &Scenario,
    placer: &mut Placer,
) -> DrawResult<Vec<ChangeMark>, DB> {
    let mut out = Vec::new();
    let a = panel.area;
    for (month, changes) in by_month(s) {
        let x = axis.x(month);
        if !(0.0..=months).contains(&x) {
            continue;
        }
        let r = theme.px(6.0);
        // Sits on the axis line, pointing up into the panel.
        let c = (panel.x(x), a.y1 - r * 3 / 4 - 1);
        let rect = marks::marker(root, Marker::TriangleUp, c, r, &COLOR, &COLOR, 1)?;
        placer.block(rect.grow(2));
        out.push(((c.0, rect.y0), labels(s, month, &changes)));
    }
    Ok(out)
}

/// Labels the marks from [`draw_marks`] where there is room: with the notes
/// if they fit, else the short label, else the month alone, else none (the
/// mark stays).
pub fn draw_labels<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    placed: &[ChangeMark],
    placer: &mut Placer,
) -> DrawResult<(), DB> {
    let ss = theme.small_size();
    let width = placer.bounds.width() / 2;
    let dirs = [(1, -1), (-1, -1), (0, -1)];
    let gap = theme.px(10.0);
    for (tip, (short, long)) in placed {
        // A label is drawn whole or not at all (a cut label would hide what
        // changed); the month alone is the last resort, the legend says what
        // the mark means.
        let month = short.split_whitespace().next().unwrap_or_default();
        for text in [long.as_str(), short.as_str(), month] {
            if marks::text_size(text, ss, false).0 > width {
                continue;
            }
            let text = text.to_string();
            let near = placer.place_text(&text, ss, false, *tip, gap, &dirs);
            // Over a filled chart (stacked levels) the room may be far above
            // the mark: the first free row straight above it, right then left.
            let found = near.or_else(|| {
                let (w, h) = marks::text_size(&text, ss, false);
                let b = placer.bounds;
                let rows = (b.y0..tip.1 - h).rev().step_by(2);
                let cands: Vec<(i32, i32)> = rows
                    .flat_map(|y| [(tip.0 + gap / 2, y), (tip.0 - gap / 2 - w, y)])
                    .collect();
                placer.place(w, h, cands)
            });
            if let Some(rc) = found {
                marks::leader(root, rc, *tip, -1)?;
                marks::label(root, theme, &text, ss, false, &palette::TEXT, rc)?;
                break;
            }
        }
    }
    Ok(())
}

/// The legend entry for change marks, if the scenario has changes.
pub fn legend_items(s: &Scenario) -> Vec<LegendItem> {
    if s.changes.is_empty() {
        return Vec::new();
    }
    vec![LegendItem::new(
        "Policy change from this month ([[changes]])",
        Swatch::marker(Marker::TriangleUp, COLOR, COLOR),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Param;

    fn change(param: Param, value: f64, note: Option<&str>) -> Change {
        Change {
            from: Month::new(2025, 4).unwrap(),
            param,
            value,
            note: note.map(str::to_string),
        }
    }

    #[test]
    fn values_read_as_the_config_writes_them() {
        assert_eq!(value_text(&change(Param::Attrition(0), 0.1, None)), "0.10");
        assert_eq!(value_text(&change(Param::Attrition(0), 0.05, None)), "0.05");
        assert_eq!(
            value_text(&change(Param::ObligationFactor(0), 0.615, None)),
            "0.615"
        );
        assert_eq!(
            value_text(&change(Param::Authorised(0), 1200.0, None)),
            "1,200"
        );
    }
}

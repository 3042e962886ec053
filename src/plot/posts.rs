//! Authorised posts (`authorised`, `authorised_by_fiscal_year`) on the
//! stacked levels chart: for each level with posts, a dashed line in the
//! level's colour where the top of its band would be at full strength (the
//! levels below it as projected, plus its posts). The band reaching the line
//! means the level is full; the gap between them is its vacancies, as in
//! `projection.csv` (`vacancies.L`, `fill.L`).

use super::axes::Panel;
use super::marks::{self, LegendItem, Placer, Swatch};
use super::{palette, Canvas, DrawResult, Theme};
use crate::engine::Projection;
use crate::scenario::Scenario;
use plotters::prelude::DrawingBackend;

/// For each level with authorised posts in any month: its index and, per
/// projection row, the stacked height of its posts (`None` in a month
/// without posts). Posts follow `[[changes]]` of `levels.L.authorised`.
pub fn stacked(s: &Scenario, p: &Projection) -> Vec<(usize, Vec<Option<f64>>)> {
    let mut out: Vec<(usize, Vec<Option<f64>>)> = (0..s.levels.len())
        .map(|l| (l, Vec::with_capacity(p.rows.len())))
        .collect();
    for r in &p.rows {
        let now = s.in_effect(r.month);
        let mut below = 0.0;
        for (l, series) in out.iter_mut() {
            series.push(now.authorised_in(*l, r.month).map(|posts| below + posts));
            below += r.levels[*l];
        }
    }
    out.retain(|(_, v)| v.iter().any(Option::is_some));
    out
}

/// The highest point of any posts line, for the y range.
pub fn top(lines: &[(usize, Vec<Option<f64>>)]) -> f64 {
    lines
        .iter()
        .flat_map(|(_, v)| v.iter().flatten())
        .fold(0.0, |a, &b| a.max(b))
}

/// Draws each level's posts line: dashes in the level's colour over a white
/// edge, so the line shows on its own band too. Blocks it from labels.
pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    lines: &[(usize, Vec<Option<f64>>)],
    placer: &mut Placer,
) -> DrawResult<(), DB> {
    let (w, dash, gap) = (theme.px(3.0), theme.px(10.0), theme.px(6.0));
    for (l, v) in lines {
        // One path per run of months with posts.
        for run in v
            .iter()
            .enumerate()
            .collect::<Vec<_>>()
            .split(|(_, y)| y.is_none())
        {
            let pts: Vec<(i32, i32)> = run
                .iter()
                .filter_map(|&(i, y)| y.map(|y| panel.pt(i as f64, y)))
                .collect();
            if pts.len() < 2 {
                continue;
            }
            marks::dashed(root, &pts, &palette::WHITE, w + 2, dash, gap)?;
            marks::dashed(root, &pts, &palette::level(*l), w, dash, gap)?;
            placer.block_path(&pts, theme.px(4.0));
        }
    }
    Ok(())
}

/// One legend entry per level with posts.
pub fn legend_items(
    theme: &Theme,
    s: &Scenario,
    lines: &[(usize, Vec<Option<f64>>)],
) -> Vec<LegendItem> {
    lines
        .iter()
        .map(|(l, _)| {
            LegendItem::new(
                format!(
                    "{}: authorised posts (band's top when full)",
                    s.levels[*l].name
                ),
                Swatch::dashed(palette::level(*l), theme.px(3.0)),
            )
        })
        .collect()
}

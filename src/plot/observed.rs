//! Published headcounts (`[[observed]]`) drawn on any chart of headcount over
//! time, so a reviewer sees the model against history at a glance: a count
//! (people in post) is a filled square, a plan (a target) a hollow one, each
//! with a bar of ±sd. Only observations of the counted total are drawn: a
//! level's stock is not on these charts' scale.

use super::axes::{Panel, TimeAxis};
use super::marks::{self, LegendItem, Marker, Placer, Swatch};
use super::{palette, DrawResult, Rect, Theme};
use crate::scenario::{Observation, ObservedKind};
use plotters::prelude::*;

/// The colour of observed points: dark, apart from the model's colours.
pub const COLOR: RGBColor = palette::REDDISH_PURPLE;

/// The observations of the counted total, in date order.
pub fn of_total(obs: &[Observation]) -> impl Iterator<Item = &Observation> {
    obs.iter().filter(|o| o.level.is_none())
}

/// The fill and outline of an observation's marker.
pub fn style(kind: ObservedKind) -> (RGBColor, RGBColor) {
    match kind {
        ObservedKind::Count => (COLOR, COLOR),
        ObservedKind::Plan => (palette::WHITE, COLOR),
    }
}

/// Draws one observation at `x` (months from the axis origin) with its ±sd
/// bar, in `color` (and hollow when a plan). Returns the rectangle covered.
pub fn point<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    theme: &Theme,
    panel: &Panel,
    x: f64,
    o: &Observation,
    color: RGBColor,
) -> DrawResult<Rect, DB> {
    let px = panel.x(x);
    let (top, bottom) = (panel.y(o.headcount + o.sd), panel.y(o.headcount - o.sd));
    let cap = theme.px(6.0);
    let w = theme.px(2.0);
    marks::line(root, &[(px, top), (px, bottom)], &color, w)?;
    marks::line(root, &[(px - cap, top), (px + cap, top)], &color, w)?;
    marks::line(root, &[(px - cap, bottom), (px + cap, bottom)], &color, w)?;
    let fill = match o.kind {
        ObservedKind::Count => color,
        ObservedKind::Plan => palette::WHITE,
    };
    let c = panel.pt(x, o.headcount);
    let r = marks::marker(root, Marker::Square, c, theme.px(7.0), &fill, &color, w)?;
    Ok(Rect::new(
        (px - cap).min(r.x0),
        top.min(r.y0),
        (px + cap).max(r.x1),
        bottom.max(r.y1),
    ))
}

/// Draws every observation of the counted total that falls on `axis` within
/// `months` of its origin, and keeps labels off them.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    theme: &Theme,
    panel: &Panel,
    axis: &TimeAxis,
    months: f64,
    obs: &[Observation],
    placer: &mut Placer,
) -> DrawResult<(), DB> {
    for o in of_total(obs) {
        let x = axis.x(o.date);
        if !(0.0..=months).contains(&x) {
            continue;
        }
        let rect = point(root, theme, panel, x, o, COLOR)?;
        placer.block(rect.grow(2));
    }
    Ok(())
}

/// The highest value the observations reach (headcount + sd), for the y range.
pub fn top(obs: &[Observation]) -> f64 {
    of_total(obs)
        .map(|o| o.headcount + o.sd)
        .fold(0.0, f64::max)
}

/// Legend entries for the kinds present: counts and plans told apart.
pub fn legend_items(obs: &[Observation]) -> Vec<LegendItem> {
    let mut items = Vec::new();
    for (kind, text) in [
        (ObservedKind::Count, "Published count ± sd (people in post)"),
        (
            ObservedKind::Plan,
            "Published plan ± sd (a target, not a count)",
        ),
    ] {
        if of_total(obs).any(|o| o.kind == kind) {
            let (fill, edge) = style(kind);
            items.push(LegendItem::new(
                text,
                Swatch::marker(Marker::Square, fill, edge),
            ));
        }
    }
    items
}

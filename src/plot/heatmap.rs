//! `heatmap.png`: a metric over a grid of two levers, with the line where the
//! final milestone is just met (expected values) and the configured values
//! marked.

use super::goal_frame::{
    decimals_for, err, footer, palette, percent, render, thousands, value_label, viridis, Body,
    Frame, Scale,
};
use super::ChartOptions;
use crate::config::Loaded;
use crate::goal::sweep::Sweep;
use crate::goal::{unit, Goal, Metric, MonteCarlo};
use crate::month::Month;
use crate::output::OutputFile;
use crate::summary::people;
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Renders `heatmap.png` (or `.svg`). `goal` is the final milestone, if any.
pub fn heatmap_chart(
    loaded: &Loaded,
    sweep: &Sweep,
    goal: Option<&Goal>,
    mc: Option<MonteCarlo>,
    opts: &ChartOptions,
) -> Result<OutputFile> {
    let s = &loaded.scenario;
    let goal_text = goal.map_or(String::new(), Goal::describe);
    let what = match sweep.metric {
        Metric::FinalTotal => format!("Expected total at {}", s.end),
        Metric::Probability => format!("Chance of meeting {goal_text}"),
        Metric::FirstMonth => format!(
            "First month the expected total reaches {}",
            goal.map_or(String::new(), |g| people(g.headcount))
        ),
    };
    let (nx, ny) = (sweep.x.values.len(), sweep.y.values.len());
    let mut subtitle = format!(
        "{nx} × {ny} grid of {} and {}; everything else as configured.",
        sweep.x.path, sweep.y.path
    );
    let segments = contour(sweep);
    if goal.is_some() {
        let met = sweep.margin.iter().flatten().filter(|m| **m >= 0.0).count();
        if segments.is_empty() {
            subtitle.push_str(&format!(
                "\nThe expected total {} {goal_text} everywhere on this grid.",
                if met > 0 { "meets" } else { "misses" }
            ));
        } else {
            subtitle.push_str(&format!(
                "\nBlack line: where the expected total just meets {goal_text} ({met} of {} grid points meet it).",
                nx * ny
            ));
        }
    }
    let (bx, by) = sweep.baseline;
    let inside = |a: &[f64], v: f64| a[0].min(a[a.len() - 1]) <= v && v <= a[0].max(a[a.len() - 1]);
    if !(inside(&sweep.x.values, bx) && inside(&sweep.y.values, by)) {
        subtitle.push_str(&format!(
            " The configured values ({}, {}) are outside the grid.",
            value_label(bx),
            value_label(by)
        ));
    }
    if let (Metric::Probability, Some(mc)) = (sweep.metric, mc) {
        subtitle.push_str(&format!(
            " {} Monte Carlo runs per grid point, the same random streams at every point (process noise only).",
            people(mc.runs as f64)
        ));
    }
    let frame = Frame {
        title: format!("Two levers: {}", lower_first(&what)),
        subtitle,
        footer: footer(
            loaded,
            (sweep.metric == Metric::Probability)
                .then_some(mc.map(|m| m.seed))
                .flatten(),
        ),
    };
    let body = HeatmapBody {
        sweep,
        segments,
        start: s.start,
        end: s.end,
        goal,
    };
    render(&frame, &body, opts, "heatmap")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Cell boundaries around grid values: midpoints, with the ends extended by
/// half a step.
fn edges(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 1 {
        return vec![values[0] - 0.5, values[0] + 0.5];
    }
    let mut out = Vec::with_capacity(n + 1);
    out.push(values[0] - 0.5 * (values[1] - values[0]));
    for w in values.windows(2) {
        out.push(0.5 * (w[0] + w[1]));
    }
    out.push(values[n - 1] + 0.5 * (values[n - 1] - values[n - 2]));
    out
}

type Segment = [(f64, f64); 2];

/// The zero line of the margin by marching squares on the grid points,
/// interpolating linearly along cell edges. Ambiguous cells (saddles) are
/// split by the cell's mean.
pub fn contour(sweep: &Sweep) -> Vec<Segment> {
    let (xs, ys, m) = (&sweep.x.values, &sweep.y.values, &sweep.margin);
    let mut out = Vec::new();
    for i in 0..xs.len().saturating_sub(1) {
        for j in 0..ys.len().saturating_sub(1) {
            // Corners counter-clockwise from bottom left.
            let c = [
                (xs[i], ys[j], m[i][j]),
                (xs[i + 1], ys[j], m[i + 1][j]),
                (xs[i + 1], ys[j + 1], m[i + 1][j + 1]),
                (xs[i], ys[j + 1], m[i][j + 1]),
            ];
            if c.iter().any(|p| !p.2.is_finite()) {
                continue;
            }
            let mut cross = Vec::new();
            for k in 0..4 {
                let (a, b) = (c[k], c[(k + 1) % 4]);
                if (a.2 >= 0.0) != (b.2 >= 0.0) {
                    let t = a.2 / (a.2 - b.2);
                    cross.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            match cross.len() {
                2 => out.push([cross[0], cross[1]]),
                4 => {
                    let mean = c.iter().map(|p| p.2).sum::<f64>() / 4.0;
                    // Crossings are on edges 0-1, 1-2, 2-3, 3-0 in order; pair
                    // them so the corner whose sign differs from the centre is cut off.
                    if (mean >= 0.0) == (c[0].2 >= 0.0) {
                        out.push([cross[0], cross[1]]);
                        out.push([cross[2], cross[3]]);
                    } else {
                        out.push([cross[3], cross[0]]);
                        out.push([cross[1], cross[2]]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

struct HeatmapBody<'a> {
    sweep: &'a Sweep,
    segments: Vec<Segment>,
    start: Month,
    end: Month,
    goal: Option<&'a Goal>,
}

impl HeatmapBody<'_> {
    /// Colour scale bounds: [0, 1] for probabilities, else the finite values' range.
    fn bounds(&self) -> (f64, f64) {
        if self.sweep.metric == Metric::Probability {
            return (0.0, 1.0);
        }
        let (lo, hi) = self
            .sweep
            .values
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, hi + 0.5)
        }
    }

    /// The first corner (upper left, upper right, lower right, lower left)
    /// whose legend-sized box holds neither the contour nor the baseline.
    fn legend_corner(&self, (x0, x1): (f64, f64), (y0, y1): (f64, f64)) -> SeriesLabelPosition {
        let (bw, bh) = (0.45, 0.2);
        let corners = [
            (SeriesLabelPosition::UpperLeft, (0.0, bw), (1.0 - bh, 1.0)),
            (
                SeriesLabelPosition::UpperRight,
                (1.0 - bw, 1.0),
                (1.0 - bh, 1.0),
            ),
            (SeriesLabelPosition::LowerRight, (1.0 - bw, 1.0), (0.0, bh)),
            (SeriesLabelPosition::LowerLeft, (0.0, bw), (0.0, bh)),
        ];
        let rel = |(x, y): (f64, f64)| ((x - x0) / (x1 - x0), (y - y0) / (y1 - y0));
        let points: Vec<(f64, f64)> = self
            .segments
            .iter()
            .flatten()
            .copied()
            .chain([self.sweep.baseline])
            .map(rel)
            .collect();
        corners
            .iter()
            .find(|(_, (ax, bx), (ay, by))| {
                !points
                    .iter()
                    .any(|&(x, y)| *ax <= x && x <= *bx && *ay <= y && y <= *by)
            })
            .map_or(SeriesLabelPosition::UpperLeft, |c| c.0.clone())
    }

    fn value_text(&self, v: f64, decimals: usize) -> String {
        match self.sweep.metric {
            Metric::Probability => percent(v),
            Metric::FirstMonth => month_after_start_of(self.start, v),
            Metric::FinalTotal => thousands(v, decimals),
        }
    }
}

fn month_after_start_of(start: Month, v: f64) -> String {
    if !v.is_finite() {
        return "never".into();
    }
    start.plus(v.round() as i32 - 1).to_string()
}

impl Body for HeatmapBody<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        _root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<()> {
        let sw = self.sweep;
        let (w, _) = area.dim_in_pixel();
        let (main, bar) = area.split_horizontally(w - scale.px(230.0) as u32);
        let (xe, ye) = (edges(&sw.x.values), edges(&sw.y.values));
        let (x0, x1) = (xe[0], xe[xe.len() - 1]);
        let (y0, y1) = (ye[0], ye[ye.len() - 1]);
        let (vlo, vhi) = self.bounds();
        let colour = |v: f64| {
            if v.is_finite() {
                viridis((v - vlo) / (vhi - vlo))
            } else {
                palette::LIGHT_GREY
            }
        };
        let (xd, yd) = (decimals_for(x1 - x0), decimals_for(y1 - y0));
        let mut chart = ChartBuilder::on(&main)
            .margin_left(scale.px(20.0))
            .margin_right(scale.px(20.0))
            .margin_top(scale.px(10.0))
            .margin_bottom(scale.px(6.0))
            .x_label_area_size(scale.px(62.0))
            .y_label_area_size(scale.px(100.0))
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(format!("{} ({})", sw.x.path, unit(sw.x.param)))
            .y_desc(format!("{} ({})", sw.y.path, unit(sw.y.param)))
            .x_label_formatter(&|x| thousands(*x, xd))
            .y_label_formatter(&|y| thousands(*y, yd))
            .label_style(scale.tick())
            .axis_desc_style(scale.axis())
            .draw()
            .map_err(err)?;
        chart
            .draw_series(sw.values.iter().enumerate().flat_map(|(i, col)| {
                let (xe, ye) = (&xe, &ye);
                col.iter().enumerate().map(move |(j, &v)| {
                    Rectangle::new([(xe[i], ye[j]), (xe[i + 1], ye[j + 1])], colour(v).filled())
                })
            }))
            .map_err(err)?;
        if let Some(g) = self.goal.filter(|_| !self.segments.is_empty()) {
            // A white halo under the black line keeps it visible on dark cells.
            chart
                .draw_series(self.segments.iter().map(|s| {
                    PathElement::new(s.to_vec(), WHITE.stroke_width(scale.px(6.0) as u32))
                }))
                .map_err(err)?;
            chart
                .draw_series(self.segments.iter().map(|s| {
                    PathElement::new(s.to_vec(), BLACK.stroke_width(scale.px(3.0) as u32))
                }))
                .map_err(err)?
                .label(format!("expected total just meets {}", g.describe()))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLACK.stroke_width(3)));
        }
        let (bx, by) = sw.baseline;
        if (x0.min(x1)..=x0.max(x1)).contains(&bx) && (y0.min(y1)..=y0.max(y1)).contains(&by) {
            let r = scale.px(9.0);
            chart
                .draw_series([Circle::new((bx, by), r, WHITE.filled())])
                .map_err(err)?
                .label(format!(
                    "configured ({}, {})",
                    value_label(bx),
                    value_label(by)
                ))
                .legend(|(x, y)| {
                    EmptyElement::at((x + 12, y))
                        + Circle::new((0, 0), 7, WHITE.filled())
                        + Circle::new((0, 0), 7, BLACK.stroke_width(2))
                });
            chart
                .draw_series([Circle::new(
                    (bx, by),
                    r,
                    BLACK.stroke_width(scale.px(2.5) as u32),
                )])
                .map_err(err)?;
        }
        if sw.values.iter().flatten().any(|v| !v.is_finite()) {
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
                .map_err(err)?
                .label(format!("not reached by {}", self.end))
                .legend(|(x, y)| {
                    Rectangle::new([(x, y - 7), (x + 24, y + 7)], palette::LIGHT_GREY.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(self.legend_corner((x0, x1), (y0, y1)))
            .margin(scale.px(12.0))
            .label_font(scale.font(17.0))
            .background_style(WHITE.mix(0.9))
            .border_style(palette::LIGHT_GREY)
            .draw()
            .map_err(err)?;

        // Colour bar.
        let vd = decimals_for(vhi - vlo).min(2);
        let mut cb = ChartBuilder::on(&bar)
            .margin_left(scale.px(10.0))
            .margin_right(scale.px(10.0))
            .margin_top(scale.px(10.0))
            .margin_bottom(scale.px(68.0))
            .y_label_area_size(0)
            .right_y_label_area_size(scale.px(110.0))
            .build_cartesian_2d(0.0..1.0, vlo..vhi)
            .map_err(err)?;
        let what = match sw.metric {
            Metric::FinalTotal => "people".to_string(),
            Metric::Probability => "runs meeting it".to_string(),
            Metric::FirstMonth => "month reached".to_string(),
        };
        cb.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_desc(what)
            .y_labels(8)
            .y_label_formatter(&|v| self.value_text(*v, vd))
            .label_style(scale.tick())
            .axis_desc_style(scale.axis())
            .draw()
            .map_err(err)?;
        let steps = 200;
        cb.draw_series((0..steps).map(|k| {
            let a = vlo + (vhi - vlo) * k as f64 / steps as f64;
            let b = vlo + (vhi - vlo) * (k + 1) as f64 / steps as f64;
            Rectangle::new(
                [(0.0, a), (1.0, b)],
                viridis((k as f64 + 0.5) / steps as f64).filled(),
            )
        }))
        .map_err(err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goal::Axis;
    use crate::params::Param;

    fn sweep(margin: Vec<Vec<f64>>) -> Sweep {
        let n = margin.len();
        let axis = |k| Axis {
            param: Param::Initial(k),
            path: String::new(),
            values: (0..n).map(|i| i as f64).collect(),
        };
        Sweep {
            x: axis(0),
            y: axis(1),
            metric: Metric::FinalTotal,
            values: margin.clone(),
            margin,
            baseline: (0.0, 0.0),
        }
    }

    #[test]
    fn contour_follows_the_zero_line() {
        // margin = x + y - 1.5: the line x + y = 1.5.
        let m: Vec<Vec<f64>> = (0..3)
            .map(|i| (0..3).map(|j| (i + j) as f64 - 1.5).collect())
            .collect();
        let segs = contour(&sweep(m));
        assert!(!segs.is_empty());
        for s in segs {
            for (x, y) in s {
                assert!((x + y - 1.5).abs() < 1e-12, "({x}, {y}) is off the line");
            }
        }
    }

    #[test]
    fn edges_surround_values() {
        assert_eq!(edges(&[0.0, 1.0, 2.0]), vec![-0.5, 0.5, 1.5, 2.5]);
    }
}

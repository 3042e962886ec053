//! `heatmap.png`: a metric over a grid of two levers, with the line where the
//! final milestone is just met (expected values) and the configured values
//! marked.

use super::Planning;
use crate::format::{percent, thousands, value_label};
use crate::goal::sweep::Sweep;
use crate::goal::{unit, Metric};
use crate::month::Month;
use crate::plot::axes::{self, Panel, TickStyle, Ticks};
use crate::plot::levers;
use crate::plot::marks::{self, LegendItem, Marker, Swatch, VAlign};
use crate::plot::Theme;
use crate::plot::{
    assumptions, draw_frame, layout, palette, Canvas, Chart, DrawResult, Frame, Rect,
};
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// The viridis colour map at `t` in [0, 1]: perceptually uniform, readable
/// in grey and with the common colour-vision deficiencies.
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 10] = [
        (0x44, 0x01, 0x54),
        (0x48, 0x28, 0x78),
        (0x3e, 0x4a, 0x89),
        (0x31, 0x68, 0x8e),
        (0x26, 0x82, 0x8e),
        (0x1f, 0x9e, 0x89),
        (0x35, 0xb7, 0x79),
        (0x6d, 0xcd, 0x59),
        (0xb4, 0xde, 0x2c),
        (0xfd, 0xe7, 0x25),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Colour of cells where the metric has no value (the target is never reached).
const NO_VALUE: RGBColor = RGBColor(215, 215, 215);

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

/// Joins segments that share end points (in pixels) into polylines, so the
/// contour draws as continuous lines rather than many short strokes.
fn chain(segs: &[[(i32, i32); 2]]) -> Vec<Vec<(i32, i32)>> {
    use std::collections::HashMap;
    let mut at: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    for (k, s) in segs.iter().enumerate() {
        for p in s {
            at.entry(*p).or_default().push(k);
        }
    }
    let mut used = vec![false; segs.len()];
    let mut out = Vec::new();
    // Open ends first (points on one segment only), then closed loops.
    let mut starts: Vec<usize> = (0..segs.len())
        .filter(|&k| segs[k].iter().any(|p| at[p].len() == 1))
        .collect();
    starts.extend(0..segs.len());
    for k in starts {
        if used[k] {
            continue;
        }
        used[k] = true;
        let s = segs[k];
        let (first, second) = if at[&s[0]].len() == 1 {
            (s[0], s[1])
        } else {
            (s[1], s[0])
        };
        let mut path = vec![first, second];
        let mut end = second;
        while let Some(&next) = at[&end].iter().find(|&&j| !used[j]) {
            used[next] = true;
            let t = segs[next];
            end = if t[0] == end { t[1] } else { t[0] };
            path.push(end);
        }
        out.push(path);
    }
    out
}

/// A `sweep` over two levers.
pub struct HeatmapChart<'a> {
    pub sweep: &'a Sweep,
    pub on: Planning<'a>,
}

impl HeatmapChart<'_> {
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

    /// The frame; `segments` is the line where the goal is just met.
    fn frame(&self, segments: &[Segment]) -> Frame {
        let sw = self.sweep;
        let (nx, ny) = (sw.x.values.len(), sw.y.values.len());
        let mut sub = vec![format!(
            "{nx} × {ny} grid of {} and {}, everything else as configured",
            sw.x.path, sw.y.path
        )];
        if let Some(g) = self.on.goal {
            let met = sw.margin.iter().flatten().filter(|m| **m >= 0.0).count();
            if segments.is_empty() {
                sub.push(format!(
                    "the expected total {} {} everywhere on this grid",
                    if met > 0 { "meets" } else { "misses" },
                    g.describe()
                ));
            } else {
                sub.push(format!(
                    "black line: the expected total just meets {} ({met} of {} grid points meet it)",
                    g.describe(),
                    nx * ny
                ));
            }
        }
        let (bx, by) = sw.baseline;
        if !(inside(&sw.x.values, bx) && inside(&sw.y.values, by)) {
            sub.push(format!(
                "the configured values ({}, {}) are outside the grid",
                value_label(bx),
                value_label(by)
            ));
        }
        sub.extend(self.on.runs_text(sw.metric, "grid point", "at every point"));
        sub.extend(assumptions(&self.on.loaded.scenario));
        let mut what = self.on.metric_text(sw.metric);
        if let Some(c) = what.get_mut(0..1) {
            c.make_ascii_uppercase();
        }
        let (x, y) = (short(&sw.x.path), short(&sw.y.path));
        let title = format!("Two levers: {what} by {x} and {y}");
        Frame::new(title, sub, &self.on.stamp(sw.metric))
    }

    fn value_text(&self, v: f64, decimals: usize) -> String {
        match self.sweep.metric {
            Metric::Probability => percent(v),
            Metric::FirstMonth => month_text(self.on.loaded.scenario.start, v),
            Metric::FinalTotal => thousands(v, decimals),
        }
    }

    /// Ticks of the colour bar: people, percentages or months (whole months,
    /// at a round number of months apart).
    fn bar_ticks(&self, lo: f64, hi: f64) -> Ticks {
        match self.sweep.metric {
            Metric::Probability => Ticks {
                lo: 0.0,
                hi: 1.0,
                step: 0.1,
            },
            Metric::FirstMonth => {
                let span = hi - lo;
                let step = [1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 60.0]
                    .into_iter()
                    .find(|s| span / s <= 8.0)
                    .unwrap_or(120.0);
                Ticks {
                    lo: (lo / step).ceil() * step,
                    hi: (hi / step).floor() * step,
                    step,
                }
            }
            Metric::FinalTotal => axes::nice_ticks(lo, hi, 8),
        }
    }
}

/// The last part of a dotted path (`per_year`), with its parent for context.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() >= 2 {
        parts[parts.len() - 2..].join(".")
    } else {
        path.to_string()
    }
}

fn inside(a: &[f64], v: f64) -> bool {
    let (lo, hi) = (a[0].min(a[a.len() - 1]), a[0].max(a[a.len() - 1]));
    lo <= v && v <= hi
}

/// Months after the initial state as `YYYY-MM` (`never` when there is none).
fn month_text(start: Month, v: f64) -> String {
    if !v.is_finite() {
        return "never".into();
    }
    start.plus(v.round() as i32 - 1).to_string()
}

impl Chart for HeatmapChart<'_> {
    fn name(&self) -> &str {
        "heatmap"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let segments = contour(self.sweep);
        let body = draw_frame(root, theme, &self.frame(&segments))?;
        let sw = self.sweep;
        let ss = theme.small_size();
        let ls = theme.label_size();

        // The legend goes above the grid: inside it would hide cells.
        let mut items = Vec::new();
        let goal_line = self.on.goal.filter(|_| !segments.is_empty());
        if let Some(g) = goal_line {
            items.push(LegendItem::new(
                format!("expected total just meets {}", g.describe()),
                Swatch::line(palette::BLACK, theme.px(3.0)),
            ));
        }
        let (bx, by) = sw.baseline;
        let baseline_inside = inside(&sw.x.values, bx) && inside(&sw.y.values, by);
        if baseline_inside {
            items.push(LegendItem::new(
                format!("configured ({}, {})", value_label(bx), value_label(by)),
                Swatch::marker(Marker::Circle, palette::WHITE, palette::BLACK),
            ));
        }
        if sw.values.iter().flatten().any(|v| !v.is_finite()) {
            items.push(LegendItem::new(
                format!("not reached by {}", self.on.loaded.scenario.end),
                Swatch::Area(NO_VALUE),
            ));
        }
        let legend_top = body.y0;
        let body = if items.is_empty() {
            body
        } else {
            body.cut_top(marks::legend_size(theme, &items).1 + theme.px(10.0))
        };

        // Colour bar on the right: bar, tick labels, rotated title.
        let (vlo, vhi) = self.bounds();
        let bt = self.bar_ticks(vlo, vhi);
        let bd = levers::step_decimals(bt.step);
        let bar_ticks = levers::ticks_within(&bt, vlo, vhi);
        let label_w = bar_ticks
            .iter()
            .map(|&v| marks::text_size(&self.value_text(v, bd), ss, false).0)
            .max()
            .unwrap_or(0);
        let bar_w = theme.px(26.0);
        let bar_block = bar_w + theme.px(8.0) + label_w + theme.px(14.0) + marks::text_height(ls);
        let bar_area = Rect::new(
            body.x1 - bar_block,
            body.y0 + theme.px(6.0),
            body.x1 - bar_block + bar_w,
            body.y1 - levers::x_axis_height(theme),
        );

        // The grid panel.
        let (xe, ye) = (edges(&sw.x.values), edges(&sw.y.values));
        let (x0, x1) = (xe[0], xe[xe.len() - 1]);
        let (y0, y1) = (ye[0], ye[ye.len() - 1]);
        let yt = levers::value_ticks(y0, y1, 7);
        let yd = levers::step_decimals(yt.step);
        let yfmt = |v: f64| thousands(v, yd);
        let y_in = levers::ticks_within(&yt, y0, y1);
        let ytk = Ticks {
            lo: y0,
            hi: y1,
            step: yt.step,
        };
        let outer = Rect::new(body.x0, body.y0, bar_area.x0 - theme.px(28.0), body.y1);
        let mut panel: Panel =
            axes::layout(theme, outer, &ytk, &yfmt, levers::x_axis_height(theme), 0);
        panel.x = (x0, x1);
        panel.y = (y0, y1);
        let a = panel.area;
        layout::panel(a);
        let colour = |v: f64| {
            if v.is_finite() {
                viridis((v - vlo) / (vhi - vlo))
            } else {
                NO_VALUE
            }
        };
        for (i, col) in sw.values.iter().enumerate() {
            for (j, &v) in col.iter().enumerate() {
                let (px0, px1) = (panel.x(xe[i]), panel.x(xe[i + 1]));
                let (py0, py1) = (panel.y(ye[j + 1]), panel.y(ye[j]));
                layout::data(Rect::new(px0, py0, px1 + 1, py1 + 1));
                root.draw(&Rectangle::new(
                    [(px0, py0), (px1 + 1, py1 + 1)],
                    colour(v).filled(),
                ))?;
            }
        }
        // Axes over the cells: ticks and labels only (gridlines would hide cells).
        let ytick = theme.px(6.0);
        for &v in &y_in {
            let y = panel.y(v);
            marks::line(root, &[(a.x0 - ytick, y), (a.x0, y)], &palette::AXIS, 1)?;
            marks::text(
                root,
                theme,
                &yfmt(v),
                ss,
                false,
                &palette::MUTED,
                (a.x0 - ytick - theme.px(4.0), y),
                HPos::Right,
                VAlign::Middle,
            )?;
        }
        let yt_title = format!("{} ({})", sw.y.path, unit(sw.y.param));
        let yt_title = marks::axis_title(&yt_title, ls, a.height());
        marks::text_up(
            root,
            theme,
            &yt_title,
            ls,
            false,
            &palette::TEXT,
            (outer.x0, (a.y0 + a.y1) / 2),
        )?;
        let xt = levers::value_ticks(x0, x1, 8);
        let xd = levers::step_decimals(xt.step);
        let x_in = levers::ticks_within(&xt, x0, x1);
        let xfmt = |v: f64| thousands(v, xd);
        let style = TickStyle {
            len: theme.px(6.0),
            from_inside: false,
            grid: false,
        };
        axes::x_ticks(root, theme, &panel, &x_in, &xfmt, style)?;
        let xt_title = format!("{} ({})", sw.x.path, unit(sw.x.param));
        levers::x_title(root, theme, &panel, &xt_title)?;
        root.draw(&Rectangle::new(
            [(a.x0, a.y0), (a.x1, a.y1)],
            palette::AXIS.stroke_width(1),
        ))?;

        if goal_line.is_some() {
            let segs: Vec<[(i32, i32); 2]> = segments
                .iter()
                .map(|s| [panel.pt(s[0].0, s[0].1), panel.pt(s[1].0, s[1].1)])
                .collect();
            let paths: Vec<Vec<(i32, i32)>> = chain(&segs)
                .iter()
                .map(|p| levers::simplify(p, 0.75))
                .collect();
            // A white halo under the black line keeps it visible on dark cells.
            for (colour, w) in [(palette::WHITE, 7.0), (palette::BLACK, 3.0)] {
                for pts in &paths {
                    levers::thick_path(root, pts, w * theme.scale, colour)?;
                    layout::data_path(pts, (w * theme.scale) as i32);
                }
            }
        }
        if baseline_inside {
            let c = panel.pt(bx, by);
            marks::marker(
                root,
                Marker::Circle,
                c,
                theme.px(9.0),
                &palette::WHITE,
                &palette::BLACK,
                theme.px(2.5),
            )?;
        }
        if !items.is_empty() {
            marks::legend(root, theme, &items, (a.x0, legend_top))?;
        }

        // The colour bar.
        let steps = 240;
        let h = bar_area.height() as f64;
        for k in 0..steps {
            let t0 = k as f64 / steps as f64;
            let t1 = (k + 1) as f64 / steps as f64;
            let ya = bar_area.y1 - (t0 * h).round() as i32;
            let yb = bar_area.y1 - (t1 * h).round() as i32;
            root.draw(&Rectangle::new(
                [(bar_area.x0, yb), (bar_area.x1, ya)],
                viridis((k as f64 + 0.5) / steps as f64).filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [(bar_area.x0, bar_area.y0), (bar_area.x1, bar_area.y1)],
            palette::AXIS.stroke_width(1),
        ))?;
        let bar_y = |v: f64| {
            let t = (v - vlo) / (vhi - vlo);
            bar_area.y1 - (t * h).round() as i32
        };
        for &v in &bar_ticks {
            let y = bar_y(v);
            marks::line(
                root,
                &[(bar_area.x1, y), (bar_area.x1 + theme.px(5.0), y)],
                &palette::AXIS,
                1,
            )?;
            marks::text(
                root,
                theme,
                &self.value_text(v, bd),
                ss,
                false,
                &palette::MUTED,
                (bar_area.x1 + theme.px(8.0), y),
                HPos::Left,
                VAlign::Middle,
            )?;
        }
        let bar_title = match sw.metric {
            Metric::FinalTotal => {
                format!("Expected total at {} (people)", self.on.loaded.scenario.end)
            }
            Metric::Probability => "Runs meeting the final milestone".to_string(),
            Metric::FirstMonth => "First month at the target".to_string(),
        };
        let bar_title = marks::axis_title(&bar_title, ls, bar_area.height());
        marks::text_up(
            root,
            theme,
            &bar_title,
            ls,
            false,
            &palette::TEXT,
            (
                bar_area.x1 + theme.px(8.0) + label_w + theme.px(14.0),
                (bar_area.y0 + bar_area.y1) / 2,
            ),
        )?;
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
    fn segments_chain_into_lines() {
        let segs = [
            [(2, 0), (1, 0)],
            [(0, 0), (1, 0)],
            [(2, 0), (3, 1)],
            [(9, 9), (8, 8)],
        ];
        let paths = chain(&segs);
        assert_eq!(paths.len(), 2);
        assert_eq!(paths[0], vec![(0, 0), (1, 0), (2, 0), (3, 1)]);
    }

    #[test]
    fn edges_surround_values() {
        assert_eq!(edges(&[0.0, 1.0, 2.0]), vec![-0.5, 0.5, 1.5, 2.5]);
    }
}

//! Pieces shared by the planning charts (`solve`, `tornado`, `heatmap`):
//! numeric axes for parameter values (attrition 0.06, transfers 556.4 a
//! year), which may be fractional; `crate::format` writes the values.

use super::axes::{self, Panel, TickStyle, Ticks};
use super::marks;
use super::{palette, Canvas, DrawResult, Theme};
use plotters::prelude::*;

/// Round ticks (1, 2, 2.5 or 5 x 10^k apart) covering `lo..=hi` with about
/// `target` intervals; unlike [`super::axes::nice_ticks`] the step may be
/// below 1 (attrition, fractions).
pub fn value_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let (lo, hi) = axes::ordered(lo, hi);
    let span = if hi - lo > 0.0 {
        hi - lo
    } else {
        lo.abs().max(1.0)
    };
    let step = axes::round_step(span, target);
    let lo = (lo / step - 1e-9).floor() * step;
    let mut hi = (hi / step + 1e-9).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    Ticks { lo, hi, step }
}

/// Ticks strictly inside `lo..=hi` (for axes that must not be widened).
pub fn ticks_within(t: &Ticks, lo: f64, hi: f64) -> Vec<f64> {
    let eps = 1e-9 * t.step;
    t.values()
        .into_iter()
        .filter(|v| *v >= lo - eps && *v <= hi + eps)
        .collect()
}

/// Digits after the point that a tick step needs.
pub fn step_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    let mut d = 0;
    while d < 8
        && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6
    {
        d += 1;
    }
    d
}

/// `pts` without the points that lie within `tol` pixels of the line through
/// their neighbours (Douglas-Peucker). A nearly straight response curve then
/// draws as a few long segments, which avoids the small steps thick
/// polylines show at almost-collinear joints.
pub fn simplify(pts: &[(i32, i32)], tol: f64) -> Vec<(i32, i32)> {
    fn keep(pts: &[(i32, i32)], tol: f64, out: &mut Vec<(i32, i32)>) {
        let (a, b) = (pts[0], pts[pts.len() - 1]);
        let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let far = pts[1..pts.len() - 1]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let d = ((p.0 - a.0) as f64 * dy - (p.1 - a.1) as f64 * dx).abs() / len;
                (i + 1, d)
            })
            .fold((0, 0.0), |best, x| if x.1 > best.1 { x } else { best });
        if far.1 > tol {
            keep(&pts[..=far.0], tol, out);
            keep(&pts[far.0..], tol, out);
        } else {
            out.push(b);
        }
    }
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut out = vec![pts[0]];
    keep(pts, tol, &mut out);
    out
}

/// A polyline `width` pixels wide, drawn as a filled quadrilateral per
/// segment with round joins, so it is equally thick on both sides (a halo
/// drawn under it shows evenly).
pub fn thick_path<DB: DrawingBackend>(
    root: &Canvas<DB>,
    pts: &[(i32, i32)],
    width: f64,
    color: RGBColor,
) -> DrawResult<(), DB> {
    let h = width / 2.0;
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let (dx, dy) = ((x1 - x0) as f64, (y1 - y0) as f64);
        let len = (dx * dx + dy * dy).sqrt();
        if len == 0.0 {
            continue;
        }
        let (nx, ny) = (-dy / len * h, dx / len * h);
        let p = |x: i32, y: i32, s: f64| {
            (
                (x as f64 + s * nx).round() as i32,
                (y as f64 + s * ny).round() as i32,
            )
        };
        root.draw(&Polygon::new(
            vec![
                p(x0, y0, 1.0),
                p(x1, y1, 1.0),
                p(x1, y1, -1.0),
                p(x0, y0, -1.0),
            ],
            color.filled(),
        ))?;
    }
    // Round joins no wider than the line (none for hairlines).
    let r = (h - 0.5).round() as i32;
    if r > 0 {
        for &c in pts {
            root.draw(&Circle::new(c, r, color.filled()))?;
        }
    }
    Ok(())
}

/// Height below a panel for an x axis: ticks, tick labels and the title.
pub fn x_axis_height(theme: &Theme) -> i32 {
    theme.px(6.0)
        + axes::tick_label_gap(theme, theme.px(6.0))
        + (theme.small_size() * 1.3) as i32
        + theme.px(10.0)
        + marks::text_height(theme.label_size())
        + theme.px(4.0)
}

/// Vertical gridlines at the `ticks` inside the panel's range, the axis
/// line, tick labels and the title centred under the panel.
pub fn draw_x_axis<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    ticks: &Ticks,
    fmt: &dyn Fn(f64) -> String,
    title: &str,
) -> DrawResult<(), DB> {
    let style = TickStyle {
        len: theme.px(6.0),
        from_inside: true,
        grid: true,
    };
    let inside = ticks_within(ticks, panel.x.0, panel.x.1);
    axes::x_ticks(root, theme, panel, &inside, fmt, style)?;
    let a = panel.area;
    marks::line(root, &a.hline(a.y1 - 1), &palette::AXIS, 1)?;
    x_title(root, theme, panel, title)
}

/// The title of an x axis drawn as [`draw_x_axis`] does, shortened to the panel's width.
pub fn x_title<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    title: &str,
) -> DrawResult<(), DB> {
    let a = panel.area;
    let title = marks::axis_title(title, theme.label_size(), a.width());
    let len = theme.px(6.0);
    let y = a.y1
        + len
        + axes::tick_label_gap(theme, len)
        + theme.px(4.0)
        + (theme.small_size() * 1.3) as i32;
    axes::title_below(root, theme, a, &title, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_allow_fractions() {
        let t = value_ticks(0.02, 0.15, 6);
        assert_eq!(t.step, 0.025);
        assert!(t.lo <= 0.02 && t.hi >= 0.15);
        assert_eq!(step_decimals(t.step), 3);
        let t = value_ticks(300.0, 656.4, 8);
        assert_eq!(t.step, 50.0);
        assert_eq!(step_decimals(t.step), 0);
        assert_eq!(ticks_within(&t, 300.0, 656.4).last(), Some(&650.0));
    }

    #[test]
    fn simplify_drops_collinear_points_only() {
        let line: Vec<(i32, i32)> = (0..10).map(|i| (i * 10, i * 5)).collect();
        assert_eq!(simplify(&line, 0.75), vec![(0, 0), (90, 45)]);
        let bent = [(0, 0), (10, 0), (20, 10), (30, 20)];
        assert_eq!(simplify(&bent, 0.75), vec![(0, 0), (10, 0), (30, 20)]);
    }
}

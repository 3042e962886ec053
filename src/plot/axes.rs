//! Axes: a [`Panel`] maps data to canvas pixels; y axes get "nice" ticks with
//! thousands separators; time runs along x in months with fiscal-year ticks.

use super::marks::{self, VAlign};
use super::{fy_label, month_abbrev, palette, Canvas, DrawResult, Rect, Theme};
use crate::format::people;
use crate::month::Month;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// A plotting area: the pixel rectangle and the data ranges it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Panel {
    pub area: Rect,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Panel {
    /// Pixel column of data x.
    pub fn x(&self, v: f64) -> i32 {
        let (a, b) = self.x;
        let t = if b > a { (v - a) / (b - a) } else { 0.0 };
        self.area.x0 + (t * (self.area.width() - 1) as f64).round() as i32
    }

    /// Pixel row of data y (up is larger y).
    pub fn y(&self, v: f64) -> i32 {
        let (a, b) = self.y;
        let t = if b > a { (v - a) / (b - a) } else { 0.0 };
        self.area.y1 - 1 - (t * (self.area.height() - 1) as f64).round() as i32
    }

    pub fn pt(&self, x: f64, y: f64) -> (i32, i32) {
        (self.x(x), self.y(y))
    }

    /// Pixels of the values `ys` at x = 0, 1, 2, ... (months since a time axis' origin).
    pub fn monthly(&self, ys: impl IntoIterator<Item = f64>) -> Vec<(i32, i32)> {
        ys.into_iter()
            .enumerate()
            .map(|(i, v)| self.pt(i as f64, v))
            .collect()
    }

    /// Pixels per data unit along x.
    pub fn x_scale(&self) -> f64 {
        (self.area.width() - 1) as f64 / (self.x.1 - self.x.0).max(f64::MIN_POSITIVE)
    }
}

/// Evenly spaced round tick values from `lo` to `hi` (both multiples of `step`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

impl Ticks {
    pub fn values(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=n).map(|i| self.lo + i as f64 * self.step).collect()
    }
}

/// Ticks at 1, 2, 2.5 or 5 x 10^k covering `lo..=hi` with about `target`
/// intervals, at least 1 apart (whole people).
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Ticks {
    let (lo, hi) = ordered(lo, hi);
    let span = if hi - lo > 1e-9 {
        hi - lo
    } else {
        lo.abs().max(1.0)
    };
    let step = round_step(span, target).max(1.0);
    let lo = (lo / step).floor() * step;
    let mut hi = (hi / step).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    Ticks { lo, hi, step }
}

/// `lo` and `hi` in increasing order; 0 and 1 when either is not finite.
pub fn ordered(lo: f64, hi: f64) -> (f64, f64) {
    if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    }
}

/// The round step (1, 2, 2.5 or 5 x 10^k) giving about `target` intervals over `span`.
pub fn round_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * mag)
}

/// Tick label in whole people with thousands separators.
pub fn people_tick(v: f64) -> String {
    // A fractional tick (0.5 on a tiny team's axis) keeps its digits: "1" twice would lie.
    let whole = |x: f64| (x - x.round()).abs() < 1e-9;
    if whole(v) {
        people(v)
    } else if whole(v * 10.0) {
        crate::format::thousands(v, 1)
    } else {
        crate::format::thousands(v, 2)
    }
}

/// A y axis: its ticks, how a tick value reads, and its title.
#[derive(Clone, Copy)]
pub struct YAxis<'a> {
    pub ticks: Ticks,
    pub fmt: &'a dyn Fn(f64) -> String,
    pub title: &'a str,
}

impl<'a> YAxis<'a> {
    /// An axis of people (whole numbers with thousands separators).
    pub fn people(ticks: Ticks, title: &'a str) -> YAxis<'a> {
        YAxis {
            ticks,
            fmt: &people_tick,
            title,
        }
    }
}

/// The room a panel leaves below and right of its plotting area; `left`, when
/// set, is the plotting area's left edge, to line it up with a panel above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    pub bottom: i32,
    pub right: i32,
    pub left: Option<i32>,
}

impl Room {
    pub fn new(bottom: i32, right: i32) -> Room {
        Room {
            bottom,
            right,
            left: None,
        }
    }

    /// The same room, with the plotting area starting at `x0`.
    pub fn aligned(self, x0: i32) -> Room {
        Room {
            left: Some(x0),
            ..self
        }
    }
}

/// Lays out a panel in `outer` (see [`layout`]) showing `x` across, and draws its y axis.
pub fn panel<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    outer: Rect,
    y: &YAxis,
    x: (f64, f64),
    room: Room,
) -> DrawResult<Panel, DB> {
    let mut p = layout(theme, outer, &y.ticks, y.fmt, room.bottom, room.right);
    if let Some(x0) = room.left {
        p.area.x0 = x0;
    }
    p.x = x;
    super::layout::panel(p.area);
    draw_y_axis(root, theme, &p, y, outer.x0)?;
    Ok(p)
}

/// The panel of the monthly headcount charts: counted people from 0 to at
/// least `top`, and months 0..=`months` along a fiscal-year time axis, with
/// both axes drawn and `right` pixels left for end labels.
pub fn headcount_panel<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    outer: Rect,
    top: f64,
    axis: &TimeAxis,
    months: f64,
    right: i32,
) -> DrawResult<Panel, DB> {
    let y = YAxis::people(nice_ticks(0.0, top, 8), "People (counted headcount)");
    let room = Room::new(time_axis_height(theme), right);
    let p = panel(root, theme, outer, &y, (0.0, months), room)?;
    draw_time_axis(root, theme, &p, axis, &fiscal_axis_title(axis.fy_start))?;
    Ok(p)
}

/// Lays out a panel in `outer`: room on the left for the y tick labels and
/// title, `bottom` pixels below for the x axis and `right` pixels on the right
/// (for end-of-line labels).
pub fn layout(
    theme: &Theme,
    outer: Rect,
    y: &Ticks,
    fmt: &dyn Fn(f64) -> String,
    bottom: i32,
    right: i32,
) -> Panel {
    let size = theme.small_size();
    let widest = y
        .values()
        .iter()
        .map(|&v| marks::text_size(&fmt(v), size, false).0)
        .max()
        .unwrap_or(0);
    let left = marks::text_height(theme.label_size()) + theme.px(14.0) + widest + theme.px(10.0);
    let area = Rect::new(
        outer.x0 + left,
        outer.y0 + theme.px(6.0),
        outer.x1 - right,
        outer.y1 - bottom,
    );
    Panel {
        area,
        x: (0.0, 1.0),
        y: (y.lo, y.hi),
    }
}

/// Horizontal gridlines, tick labels and the rotated y-axis title, the
/// title's top at `outer_left`.
pub fn draw_y_axis<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    axis: &YAxis,
    outer_left: i32,
) -> DrawResult<(), DB> {
    let (a, fmt) = (panel.area, axis.fmt);
    let size = theme.small_size();
    for v in axis.ticks.values() {
        let y = panel.y(v);
        let color = if v == 0.0 {
            palette::AXIS
        } else {
            palette::GRID
        };
        marks::line(root, &a.hline(y), &color, 1)?;
        marks::text(
            root,
            theme,
            &fmt(v),
            size,
            false,
            &palette::MUTED,
            (a.x0 - theme.px(8.0), y),
            HPos::Right,
            VAlign::Middle,
        )?;
    }
    marks::line(root, &a.vline(a.x0), &palette::AXIS, 1)?;
    let ls = theme.label_size();
    let title = marks::axis_title(axis.title, ls, a.height());
    marks::text_up(
        root,
        theme,
        &title,
        ls,
        false,
        &palette::TEXT,
        (outer_left, (a.y0 + a.y1) / 2),
    )?;
    Ok(())
}

/// How the ticks of a numeric x axis look: `len` pixels below the panel,
/// starting on its last row (`from_inside`) or just below it, with or without
/// gridlines up the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TickStyle {
    pub len: i32,
    pub from_inside: bool,
    pub grid: bool,
}

/// Gap between the end of an x tick `len` long and the top of its label:
/// enough to clear the lowest y tick label at small sizes, where fonts stop
/// shrinking but pixel lengths do not.
pub fn tick_label_gap(theme: &Theme, len: i32) -> i32 {
    theme
        .px(4.0)
        .max((theme.small_size() * 0.56).ceil() as i32 + 1 - len)
}

/// Tick marks at `ticks` below the panel, each labelled with `fmt` (centred
/// under it), and gridlines if the style asks for them.
pub fn x_ticks<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    ticks: &[f64],
    fmt: &dyn Fn(f64) -> String,
    style: TickStyle,
) -> DrawResult<(), DB> {
    let a = panel.area;
    let ss = theme.small_size();
    let top = if style.from_inside { a.y1 - 1 } else { a.y1 };
    let bottom = a.y1 + style.len;
    for &v in ticks {
        let x = panel.x(v);
        if style.grid {
            marks::line(root, &a.vline(x), &palette::GRID, 1)?;
        }
        marks::line(root, &[(x, top), (x, bottom)], &palette::AXIS, 1)?;
        marks::text(
            root,
            theme,
            &fmt(v),
            ss,
            false,
            &palette::MUTED,
            (x, bottom + tick_label_gap(theme, style.len)),
            HPos::Center,
            VAlign::Top,
        )?;
    }
    Ok(())
}

/// Months along x: x = months since `origin` (the end of `origin` is x = 0,
/// the end of the next month x = 1, ...). Fiscal years start in `fy_start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeAxis {
    pub origin: Month,
    pub fy_start: u32,
}

impl TimeAxis {
    pub fn new(origin: Month, fy_start: u32) -> TimeAxis {
        TimeAxis { origin, fy_start }
    }

    /// x of the end of `m`.
    pub fn x(&self, m: Month) -> f64 {
        m.since(self.origin) as f64
    }

    /// The month whose end is at x.
    pub fn month(&self, x: i32) -> Month {
        self.origin.plus(x)
    }

    /// x of every fiscal-year boundary (the end of a fiscal year's last month) in `lo..=hi`.
    pub fn boundaries(&self, lo: i32, hi: i32) -> Vec<i32> {
        (lo..=hi)
            .filter(|&x| self.month(x).plus(1).month_of_year() == self.fy_start)
            .collect()
    }

    /// The fiscal years shown between `lo` and `hi`: (fiscal year, first x, last x),
    /// cut at the ends of the range.
    pub fn fiscal_spans(&self, lo: i32, hi: i32) -> Vec<(i32, i32, i32)> {
        let mut edges = vec![lo];
        edges.extend(self.boundaries(lo + 1, hi - 1));
        edges.push(hi);
        edges
            .windows(2)
            .map(|w| (self.month(w[0] + 1).fiscal_year(self.fy_start), w[0], w[1]))
            .collect()
    }

    /// "Apr 2023 – Mar 2024" for fiscal year `fy`.
    pub fn fy_range_text(&self, fy: i32) -> String {
        let first = Month::new(fy, self.fy_start).unwrap_or(self.origin);
        let last = first.plus(11);
        format!(
            "{} {} – {} {}",
            month_abbrev(first.month_of_year()),
            first.year(),
            month_abbrev(last.month_of_year()),
            last.year()
        )
    }
}

/// Height needed below a panel for [`draw_time_axis`].
pub fn time_axis_height(theme: &Theme) -> i32 {
    theme.px(10.0)
        + (theme.label_size() * 1.3) as i32
        + (theme.small_size() * 1.3) as i32
        + theme.px(12.0)
        + marks::text_height(theme.label_size())
}

/// Vertical gridlines at fiscal-year boundaries (no labels; for upper panels).
pub fn draw_time_grid<DB: DrawingBackend>(
    root: &Canvas<DB>,
    panel: &Panel,
    axis: &TimeAxis,
) -> DrawResult<(), DB> {
    let a = panel.area;
    for b in axis.boundaries(panel.x.0.ceil() as i32, panel.x.1.floor() as i32) {
        let x = panel.x(b as f64);
        marks::line(root, &[(x, a.y0), (x, a.y1 - 1)], &palette::GRID, 1)?;
    }
    Ok(())
}

/// Fiscal-year gridlines, ticks at the boundaries, each fiscal year's name
/// centred in its span with its months below, and the axis title.
pub fn draw_time_axis<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    axis: &TimeAxis,
    title: &str,
) -> DrawResult<(), DB> {
    let a = panel.area;
    draw_time_grid(root, panel, axis)?;
    marks::line(
        root,
        &[(a.x0, a.y1 - 1), (a.x1 - 1, a.y1 - 1)],
        &palette::AXIS,
        1,
    )?;
    let (lo, hi) = (panel.x.0.round() as i32, panel.x.1.round() as i32);
    let tick = theme.px(7.0);
    for b in axis.boundaries(lo, hi) {
        let x = panel.x(b as f64);
        marks::line(root, &[(x, a.y1 - 1), (x, a.y1 + tick)], &palette::AXIS, 1)?;
    }
    let ls = theme.label_size();
    let ss = theme.small_size();
    let y1 = a.y1 + tick + theme.px(4.0);
    let y2 = y1 + (ls * 1.3) as i32;
    let spans = axis.fiscal_spans(lo, hi);
    // Show every k-th fiscal year when they do not all fit.
    let full = panel.x_scale() * 12.0;
    let need = marks::text_size("FY0000", ls, true).0 as f64 * 1.4;
    let every = (need / full).ceil().max(1.0) as usize;
    let sub_fits = marks::text_size(&axis.fy_range_text(2000), ss, false).0 as f64 * 1.1 <= full;
    let mut free_from = a.x0;
    for (k, &(fy, s, e)) in spans.iter().enumerate() {
        if k > 0 && !((fy - spans[0].0) as usize).is_multiple_of(every) {
            continue;
        }
        let (xs, xe) = (panel.x(s as f64), panel.x(e as f64));
        let label = fy_label(fy, axis.fy_start);
        let w = marks::text_size(&label, ls, true).0;
        if (xe - xs) < w + theme.px(6.0) && every == 1 {
            continue; // a sliver of a fiscal year at the edge
        }
        let mut cx = (xs + xe) / 2;
        if every > 1 {
            // A year at an end of a long axis: its label is moved inside the
            // panel by at most half its width (still over its boundary tick),
            // rather than dropped, which left the axis's first year unnamed.
            let inside = cx.clamp(a.x0 + w / 2, a.x1 - (w - w / 2));
            if (inside - cx).abs() <= w / 2 {
                cx = inside;
            }
        }
        // Never past the panel's ends or onto the label before.
        if cx - w / 2 < free_from || cx + w - w / 2 > a.x1 {
            continue;
        }
        free_from = cx + w - w / 2 + theme.px(6.0);
        marks::text(
            root,
            theme,
            &label,
            ls,
            true,
            &palette::TEXT,
            (cx, y1),
            HPos::Center,
            VAlign::Top,
        )?;
        if sub_fits {
            // Its months: all twelve, or the part inside the range.
            let months = if e - s == 12 {
                axis.fy_range_text(fy)
            } else {
                format!("{} – {}", axis.month(s + 1), axis.month(e))
            };
            marks::text(
                root,
                theme,
                &months,
                ss,
                false,
                &palette::MUTED,
                (cx, y2),
                HPos::Center,
                VAlign::Top,
            )?;
        }
    }
    title_below(
        root,
        theme,
        a,
        title,
        y2 + (ss * 1.3) as i32 + theme.px(10.0),
    )
}

/// An axis title centred under the plotting area `a`, its top at `y`.
pub fn title_below<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    a: Rect,
    title: &str,
    y: i32,
) -> DrawResult<(), DB> {
    let at = ((a.x0 + a.x1) / 2, y);
    let ls = theme.label_size();
    let title = marks::axis_title(title, ls, a.width());
    marks::text(
        root,
        theme,
        &title,
        ls,
        false,
        &palette::TEXT,
        at,
        HPos::Center,
        VAlign::Top,
    )?;
    Ok(())
}

/// "Fiscal year (Apr–Mar)" or "Calendar year".
pub fn fiscal_year_text(fy_start: u32) -> String {
    if fy_start == 1 {
        "Calendar year".to_string()
    } else {
        let last = (fy_start + 10) % 12 + 1;
        format!(
            "Fiscal year ({}–{})",
            month_abbrev(fy_start),
            month_abbrev(last)
        )
    }
}

/// The x-axis title of monthly charts: "Fiscal year (Apr–Mar); values at the end of each month".
pub fn fiscal_axis_title(fy_start: u32) -> String {
    format!(
        "{}; values at the end of each month",
        fiscal_year_text(fy_start)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_range() {
        let t = nice_ticks(0.0, 4320.0, 8);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 5000.0, 1000.0));
        assert_eq!(nice_ticks(0.0, 3900.0, 8).step, 500.0);
        for (lo, hi, n) in [(0.0, 4320.0, 8), (0.0, 37.0, 4), (-950.0, 12_345.0, 7)] {
            let t = nice_ticks(lo, hi, n);
            let k = t.values().len() - 1;
            assert!(
                t.lo <= lo && t.hi >= hi && (n / 3..=n + 2).contains(&k),
                "{t:?} has {k} intervals"
            );
        }
        let t = nice_ticks(-171.0, 1683.0, 6);
        assert!(t.lo <= -171.0 && t.hi >= 1683.0 && t.lo % t.step == 0.0);
        let t = nice_ticks(0.0, 0.0, 5);
        assert!(t.hi > t.lo);
        assert_eq!(nice_ticks(0.0, 3.0, 6).step, 1.0, "whole people");
    }

    #[test]
    fn fiscal_boundaries_and_spans() {
        // Origin: end of March 2023 (the month before a Japanese FY2023 start).
        let axis = TimeAxis {
            origin: Month::parse("2023-03").unwrap(),
            fy_start: 4,
        };
        assert_eq!(axis.boundaries(0, 60), vec![0, 12, 24, 36, 48, 60]);
        let spans = axis.fiscal_spans(0, 60);
        assert_eq!(spans.len(), 5);
        assert_eq!(spans[0], (2023, 0, 12));
        assert_eq!(spans[4], (2027, 48, 60));
        assert_eq!(axis.fy_range_text(2023), "Apr 2023 – Mar 2024");
        assert_eq!(
            fiscal_axis_title(4),
            "Fiscal year (Apr–Mar); values at the end of each month"
        );
    }

    #[test]
    fn panel_maps_corners() {
        let p = Panel {
            area: Rect::new(100, 50, 1101, 551),
            x: (0.0, 60.0),
            y: (0.0, 4500.0),
        };
        assert_eq!(p.pt(0.0, 0.0), (100, 550));
        assert_eq!(p.pt(60.0, 4500.0), (1100, 50));
    }
}

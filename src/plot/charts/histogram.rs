//! `final_histogram.png`: how the Monte Carlo runs end. Bars count runs by
//! final headcount; vertical lines mark the final target (labelled with its
//! probability), the median run and the deterministic projection.

use crate::format::{chance_in, people};
use crate::montecarlo::report::McSummary;
use crate::montecarlo::stats::Histogram;
use crate::plot::axes::{self, Room, TickStyle, YAxis};
use crate::plot::describe::{counted_text, runs_text};
use crate::plot::marks::{self, Corners, LegendItem, Placer, Swatch};
use crate::plot::Corner::{BottomLeft, BottomRight, TopLeft, TopRight};
use crate::plot::{
    draw_frame, layout, palette, Canvas, Chart, DrawResult, Frame, Rect, Stamp, Theme,
};
use crate::scenario::Scenario;
use plotters::prelude::*;

pub struct FinalHistogram<'a> {
    pub scenario: &'a Scenario,
    pub summary: &'a McSummary,
    /// The counted total in the last month, over all runs.
    pub hist: &'a Histogram,
    pub stamp: &'a Stamp,
}

/// A bar width from 1, 2, 5 x 10^k people giving at most `max_bars` bars over `span` people.
pub fn bar_width(span: f64, max_bars: f64) -> f64 {
    let mut w = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if span / (w * m) <= max_bars {
                return w * m;
            }
        }
        w *= 10.0;
    }
}

/// Runs per bar: `(bar start, runs)` for bars of width `w`, in increasing order.
pub fn bars(hist: &Histogram, w: f64) -> Vec<(f64, u64)> {
    let mut out: Vec<(f64, u64)> = Vec::new();
    for (v, c) in hist.iter() {
        let start = (v / w).floor() * w;
        match out.last_mut() {
            Some((s, n)) if *s == start => *n += c,
            _ => out.push((start, c)),
        }
    }
    out
}

impl Chart for FinalHistogram<'_> {
    fn name(&self) -> &str {
        "final_histogram"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let s = self.summary;
        let f = &s.final_total;
        let mut sub = runs_text(s);
        sub.push(counted_text(self.scenario));
        // The final milestone's own probability when it is due in the last
        // month; otherwise the share of final values at or above its headcount.
        let target = s.final_milestone().map(|m| {
            let p = if m.date == f.month {
                m.probability
            } else {
                self.hist.count_at_least(m.target) as f64 / s.runs as f64
            };
            (m, p)
        });
        let head = match target {
            Some((m, p)) => format!(
                "P(≥ {} at {}) = {} · median {} · middle 90% of runs {} – {}",
                people(m.target),
                f.month,
                chance_in(p, s.runs),
                people(f.p50),
                people(f.p5),
                people(f.p95)
            ),
            None => format!(
                "Median {} · middle 90% of runs {} – {}",
                people(f.p50),
                people(f.p5),
                people(f.p95)
            ),
        };
        let title = format!("{} — final headcount at {}", s.title, f.month);
        let frame = Frame::new(title, sub, self.stamp).headline(head, palette::TEXT);
        let body = draw_frame(root, theme, &frame)?;

        let lo = self.hist.iter().next().map_or(0.0, |(v, _)| v);
        let hi = self.hist.iter().last().map_or(0.0, |(v, _)| v);
        let w = bar_width(hi - lo + 1.0, 60.0);
        let bars = bars(self.hist, w);
        let marks_x = [
            Some(lo),
            Some(hi + w),
            Some(f.deterministic),
            target.map(|t| t.0.target),
        ];
        let (x_lo, x_hi) = marks_x
            .iter()
            .flatten()
            .filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            });
        let pad = ((x_hi - x_lo) * 0.05).max(w * 2.0);
        let xt = axes::nice_ticks(x_lo - pad, x_hi + pad, 8);
        let ymax = bars.iter().map(|b| b.1).max().unwrap_or(1) as f64;
        let yt = axes::nice_ticks(0.0, ymax * 1.2, 6);
        let x_axis_h = theme.px(7.0)
            + axes::tick_label_gap(theme, theme.px(7.0))
            + (theme.small_size() * 1.3) as i32
            + theme.px(10.0)
            + marks::text_height(theme.label_size())
            + theme.px(6.0);
        let room = Room::new(x_axis_h, theme.px(16.0));
        let panel = axes::panel(
            root,
            theme,
            body,
            &YAxis::people(yt, "Runs"),
            (xt.lo, xt.hi),
            room,
        )?;
        let bar_text = if w == 1.0 {
            "1 person".to_string()
        } else {
            format!("{} people", people(w))
        };
        let a = panel.area;
        // The x axis: line, ticks inside the panel, title.
        marks::line(root, &a.hline(a.y1 - 1), &palette::AXIS, 1)?;
        let inside: Vec<f64> = xt
            .values()
            .into_iter()
            .filter(|&v| (a.x0..a.x1).contains(&panel.x(v)))
            .collect();
        let style = TickStyle {
            len: theme.px(7.0),
            from_inside: true,
            grid: false,
        };
        axes::x_ticks(root, theme, &panel, &inside, &people, style)?;
        let ss = theme.small_size();
        let ty = a.y1
            + style.len
            + axes::tick_label_gap(theme, style.len)
            + (ss * 1.3) as i32
            + theme.px(10.0);
        let title = format!(
            "People (counted headcount) at the end of {}; bars {bar_text} wide",
            f.month
        );
        axes::title_below(root, theme, a, &title, ty)?;

        let mut placer = Placer::in_panel(a);
        for &(x, k) in &bars {
            let (x0, y) = panel.pt(x, k as f64);
            let x1 = panel.x(x + w);
            layout::data(Rect::new(x0, y, x1.max(x0 + 1) + 1, a.y1));
            root.draw(&Rectangle::new(
                [(x0, y), (x1.max(x0 + 1), a.y1 - 1)],
                palette::SKY_BLUE.filled(),
            ))?;
            placer.block(Rect::new(x0, y - 2, x1 + 1, a.y1));
        }
        let top = panel.y(yt.hi * 0.97);
        let vline = |x: f64| [(panel.x(x), a.y1 - 1), (panel.x(x), top)];
        marks::line(root, &vline(f.p50), &palette::BLUE, theme.px(3.0))?;
        let (w, dash, gap) = (theme.px(2.0), theme.px(9.0), theme.px(6.0));
        marks::dashed(root, &vline(f.deterministic), &palette::TEXT, w, dash, gap)?;
        placer.block_path(&vline(f.p50), theme.px(3.0));
        placer.block_path(&vline(f.deterministic), theme.px(3.0));
        let mut items = vec![
            LegendItem::new("Runs ending in each range", Swatch::Area(palette::SKY_BLUE)),
            LegendItem::new(
                format!("Median run: {}", people(f.p50)),
                Swatch::line(palette::BLUE, theme.px(3.0)),
            ),
            LegendItem::new(
                format!("Deterministic projection: {}", people(f.deterministic)),
                Swatch::dashed(palette::TEXT, theme.px(2.0)),
            ),
        ];
        if let Some((m, p)) = target {
            let line = vline(m.target);
            let (w, dash, gap) = (theme.px(3.0), theme.px(12.0), theme.px(6.0));
            marks::dashed(root, &line, &palette::VERMILLION, w, dash, gap)?;
            placer.block_path(&line, theme.px(3.0));
            let name = m.label.clone().unwrap_or_else(|| "Target".into());
            let swatch = Swatch::dashed(palette::VERMILLION, w);
            items.push(LegendItem::new(
                format!("{name}: {}", people(m.target)),
                swatch,
            ));
            let text = format!("P(≥ {}) = {}", people(m.target), chance_in(p, s.runs));
            let ls = theme.label_size();
            let dirs: &[(i32, i32)] = if line[0].0 > (a.x0 + a.x1) / 2 {
                &[(-1, 1), (1, 1)]
            } else {
                &[(1, 1), (-1, 1)]
            };
            let anchor = (line[1].0, top);
            if let Some(rc) = placer.place_text(&text, ls, true, anchor, theme.px(8.0), dirs) {
                marks::label(root, theme, &text, ls, true, &palette::MISSED_TEXT, rc)?;
            }
        }
        let order = [TopLeft, TopRight, BottomLeft, BottomRight];
        let corners = Corners::of(a, theme.px(12.0)).order(order);
        marks::legend_at(root, theme, &mut placer, &items, corners)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_nice_and_few() {
        assert_eq!(bar_width(40.0, 60.0), 1.0);
        assert_eq!(bar_width(100.0, 60.0), 2.0);
        assert_eq!(bar_width(1500.0, 60.0), 50.0);
        let mut h = Histogram::new();
        for v in [10.0, 11.0, 11.0, 19.0, 20.0] {
            h.add(v);
        }
        assert_eq!(bars(&h, 10.0), vec![(10.0, 4), (20.0, 1)]);
    }
}

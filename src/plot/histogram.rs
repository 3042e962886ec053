//! `final_histogram.png`: how the Monte Carlo runs end. Bars count runs by
//! final headcount; vertical lines mark the final target (labelled with its
//! probability), the median run and the deterministic projection.

use super::axes::{self, Panel, Ticks};
use super::fan::runs_text;
use super::headcount::counted_text;
use super::marks::{self, LegendItem, Placer, Swatch, VAlign};
use super::{draw_frame, palette, Canvas, Chart, Corner, DrawResult, Frame, Rect, Stamp, Theme};
use crate::format::chance;
use crate::format::people;
use crate::montecarlo::report::McSummary;
use crate::montecarlo::stats::Histogram;
use crate::scenario::Scenario;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

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

/// Tick marks, labels (people) and the title of a numeric x axis under `panel`.
fn draw_x_axis<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    panel: &Panel,
    ticks: &Ticks,
    title: &str,
) -> DrawResult<(), DB> {
    let a = panel.area;
    marks::line(
        root,
        &[(a.x0, a.y1 - 1), (a.x1 - 1, a.y1 - 1)],
        &palette::AXIS,
        1,
    )?;
    let tick = theme.px(7.0);
    let ss = theme.small_size();
    for v in ticks.values() {
        let x = panel.x(v);
        if x < a.x0 || x >= a.x1 {
            continue;
        }
        marks::line(root, &[(x, a.y1 - 1), (x, a.y1 + tick)], &palette::AXIS, 1)?;
        marks::text(
            root,
            theme,
            &people(v),
            ss,
            false,
            &palette::MUTED,
            (x, a.y1 + tick + theme.px(4.0)),
            HPos::Center,
            VAlign::Top,
        )?;
    }
    let ty = a.y1 + tick + theme.px(4.0) + (ss * 1.3) as i32 + theme.px(10.0);
    marks::text(
        root,
        theme,
        title,
        theme.label_size(),
        false,
        &palette::TEXT,
        ((a.x0 + a.x1) / 2, ty),
        HPos::Center,
        VAlign::Top,
    )?;
    Ok(())
}

impl Chart for FinalHistogram<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let s = self.summary;
        let f = &s.final_total;
        let mut sub = runs_text(s);
        sub.push(counted_text(self.scenario));
        let frame = Frame::new(
            format!("{} — final headcount at {}", s.title, f.month),
            sub,
            self.stamp,
        );
        let body = draw_frame(root, theme, &frame)?;
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
                chance(p),
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
        let body = marks::headline(root, theme, &head, true, &palette::TEXT, body)?;
        let body = Rect {
            y0: body.y0 + theme.px(8.0),
            ..body
        };

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
        let x_lo = marks_x
            .iter()
            .flatten()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::INFINITY, f64::min);
        let x_hi = marks_x
            .iter()
            .flatten()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = ((x_hi - x_lo) * 0.05).max(w * 2.0);
        let xt = axes::nice_ticks(x_lo - pad, x_hi + pad, 8);
        let ymax = bars.iter().map(|b| b.1).max().unwrap_or(1) as f64;
        let yt = axes::nice_ticks(0.0, ymax * 1.2, 6);
        let x_axis_h = theme.px(7.0)
            + theme.px(4.0)
            + (theme.small_size() * 1.3) as i32
            + theme.px(10.0)
            + marks::text_height(theme.label_size())
            + theme.px(6.0);
        let mut panel = axes::layout(
            root,
            theme,
            body,
            &yt,
            &axes::people_tick,
            x_axis_h,
            theme.px(16.0),
        );
        panel.x = (xt.lo, xt.hi);
        axes::draw_y_axis(
            root,
            theme,
            &panel,
            &yt,
            &axes::people_tick,
            "Runs",
            body.x0,
        )?;
        let bar_text = if w == 1.0 {
            "1 person".to_string()
        } else {
            format!("{} people", people(w))
        };
        draw_x_axis(
            root,
            theme,
            &panel,
            &xt,
            &format!(
                "People (counted headcount) at the end of {}; bars {bar_text} wide",
                f.month
            ),
        )?;

        let a = panel.area;
        let mut placer = Placer::new(Rect::new(a.x0 + 4, a.y0 + 2, a.x1 - 4, a.y1 - 4));
        for &(x, k) in &bars {
            let (x0, y) = panel.pt(x, k as f64);
            let x1 = panel.x(x + w);
            root.draw(&Rectangle::new(
                [(x0, y), (x1.max(x0 + 1), a.y1 - 1)],
                palette::SKY_BLUE.filled(),
            ))?;
            placer.block(Rect::new(x0, y - 2, x1 + 1, a.y1));
        }
        let top = panel.y(yt.hi * 0.97);
        let vline = |x: f64| [(panel.x(x), a.y1 - 1), (panel.x(x), top)];
        marks::line(root, &vline(f.p50), &palette::BLUE, theme.px(3.0))?;
        marks::dashed(
            root,
            &vline(f.deterministic),
            &palette::TEXT,
            theme.px(2.0),
            theme.px(9.0),
            theme.px(6.0),
        )?;
        placer.block_path(&vline(f.p50), theme.px(3.0));
        placer.block_path(&vline(f.deterministic), theme.px(3.0));
        let mut items = vec![
            LegendItem::new("Runs ending in each range", Swatch::Area(palette::SKY_BLUE)),
            LegendItem::new(
                format!("Median run: {}", people(f.p50)),
                Swatch::Line {
                    color: palette::BLUE,
                    width: theme.px(3.0),
                    dashed: false,
                },
            ),
            LegendItem::new(
                format!("Deterministic projection: {}", people(f.deterministic)),
                Swatch::Line {
                    color: palette::TEXT,
                    width: theme.px(2.0),
                    dashed: true,
                },
            ),
        ];
        if let Some((m, p)) = target {
            let line = vline(m.target);
            marks::dashed(
                root,
                &line,
                &palette::VERMILLION,
                theme.px(3.0),
                theme.px(12.0),
                theme.px(6.0),
            )?;
            placer.block_path(&line, theme.px(3.0));
            let name = m.label.clone().unwrap_or_else(|| "Target".into());
            items.push(LegendItem::new(
                format!("{name}: {}", people(m.target)),
                Swatch::Line {
                    color: palette::VERMILLION,
                    width: theme.px(3.0),
                    dashed: true,
                },
            ));
            let text = format!("P(≥ {}) = {}", people(m.target), chance(p));
            let ls = theme.label_size();
            let (tw, th) = marks::measure(root, theme, &text, ls, true);
            let right = line[0].0 > (a.x0 + a.x1) / 2;
            let dirs: &[(i32, i32)] = if right {
                &[(-1, 1), (1, 1)]
            } else {
                &[(1, 1), (-1, 1)]
            };
            if let Some(rect) = placer.place_near((line[1].0, top), tw, th, theme.px(8.0), dirs) {
                marks::text(
                    root,
                    theme,
                    &text,
                    ls,
                    true,
                    &palette::MISSED_TEXT,
                    (rect.x0, rect.y0),
                    HPos::Left,
                    VAlign::Top,
                )?;
            }
        }
        let (lw, lh) = marks::legend_size(root, theme, &items);
        let g = theme.px(12.0);
        let corners = a.corners(
            [
                Corner::TopLeft,
                Corner::TopRight,
                Corner::BottomLeft,
                Corner::BottomRight,
            ],
            lw,
            lh,
            g,
        );
        if let Some(rect) = placer.place(lw, lh, corners) {
            marks::legend(root, theme, &items, (rect.x0, rect.y0))?;
        }
        Ok(())
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

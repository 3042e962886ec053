//! `fan.png`: the Monte Carlo headcount fan. Shaded bands hold the middle 90 %
//! and 50 % of runs each month, the solid line is the median month by month,
//! the dashed line the deterministic (expected-value) projection, and each
//! milestone's target is labelled with the share of runs that meet it.

use super::axes::{self, TimeAxis};
use super::headcount::counted_text;
use super::marks::{self, LegendItem, Marker, Placer, Swatch, VAlign};
use super::{draw_frame, palette, Canvas, Chart, Corner, DrawResult, Frame, Rect, Stamp, Theme};
use crate::format::chance;
use crate::format::people;
use crate::montecarlo::report::McSummary;
use crate::month::Month;
use crate::scenario::Scenario;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub struct FanChart<'a> {
    pub scenario: &'a Scenario,
    pub summary: &'a McSummary,
    /// The deterministic projection's total, one value per row of `summary.bands`.
    pub deterministic: Vec<f64>,
    pub stamp: &'a Stamp,
}

/// The text of a milestone's label, e.g. `P(≥ 4,000 by 2028-03) = 37%`.
pub fn milestone_label(target: f64, date: Month, probability: f64) -> String {
    format!(
        "P(≥ {} by {date}) = {}",
        people(target),
        chance(probability)
    )
}

/// "10,000 runs" · what varied, for subtitles.
pub fn runs_text(s: &McSummary) -> Vec<String> {
    vec![
        format!("{} runs", people(s.runs as f64)),
        s.uncertainty_text(),
    ]
}

/// The answer first: the final milestone's probability and where the runs end.
fn headline(s: &McSummary) -> String {
    let f = &s.final_total;
    let spread = format!(
        "median {} at {} (middle 90% of runs {} – {}; deterministic {})",
        people(f.p50),
        f.month,
        people(f.p5),
        people(f.p95),
        people(f.deterministic)
    );
    match s.final_milestone() {
        Some(m) => format!(
            "{}: met in {} of runs · {spread}",
            m.label
                .clone()
                .unwrap_or_else(|| format!("Target {}", m.date)),
            chance(m.probability)
        ),
        None => spread,
    }
}

const OUTER: RGBColor = palette::SKY_BLUE;
const INNER: RGBColor = palette::BLUE;

impl Chart for FanChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (sc, s) = (self.scenario, self.summary);
        let mut sub = runs_text(s);
        sub.push("bands: middle 90% and 50% of runs, month by month".into());
        sub.push(counted_text(sc));
        let frame = Frame::new(
            format!("{} — Monte Carlo headcount fan", s.title),
            sub,
            self.stamp,
        );
        let body = draw_frame(root, theme, &frame)?;
        let body = marks::headline(root, theme, &headline(s), true, &palette::TEXT, body)?;
        let body = Rect {
            y0: body.y0 + theme.px(8.0),
            ..body
        };

        let n = s.bands.len() - 1;
        let axis = TimeAxis {
            origin: s.bands[0].month,
            fy_start: sc.fy_start_month,
        };
        let ymax = s
            .bands
            .iter()
            .map(|b| b.p(95))
            .chain(self.deterministic.iter().copied())
            .chain(s.milestones.iter().map(|m| m.target))
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max);
        let ticks = axes::nice_ticks(0.0, ymax * 1.06, 8);
        let mut panel = axes::layout(
            root,
            theme,
            body,
            &ticks,
            &axes::people_tick,
            axes::time_axis_height(theme),
            // Room for the half of a milestone bar that sits past the last month.
            2 * marks::milestone_radius(theme) + theme.px(8.0),
        );
        panel.x = (0.0, n as f64);
        axes::draw_y_axis(
            root,
            theme,
            &panel,
            &ticks,
            &axes::people_tick,
            "People (counted headcount)",
            body.x0,
        )?;
        axes::draw_time_axis(
            root,
            theme,
            &panel,
            &axis,
            &axes::fiscal_axis_title(sc.fy_start_month),
        )?;

        let a = panel.area;
        let mut placer = Placer::new(Rect::new(a.x0 + 4, a.y0 + 2, a.x1 - 4, a.y1 - 4));
        let line_of = |f: &dyn Fn(usize) -> f64| -> Vec<(i32, i32)> {
            (0..=n).map(|i| panel.pt(i as f64, f(i))).collect()
        };
        let band = |lo: u32, hi: u32| -> Vec<(i32, i32)> {
            let mut pts = line_of(&|i| s.bands[i].p(hi));
            pts.extend(line_of(&|i| s.bands[i].p(lo)).into_iter().rev());
            pts
        };
        root.draw(&Polygon::new(band(5, 95), OUTER.mix(0.35).filled()))?;
        root.draw(&Polygon::new(band(25, 75), INNER.mix(0.35).filled()))?;
        // The legend must not cover the fan.
        for i in 0..=n {
            let (x, top) = panel.pt(i as f64, s.bands[i].p(95));
            let bottom = panel.y(s.bands[i].p(5));
            placer.block(Rect::new(x - 2, top - 3, x + 3, bottom + 3));
        }
        let median = line_of(&|i| s.bands[i].p(50));
        marks::line(root, &median, &INNER, theme.px(3.0))?;
        let det = line_of(&|i| self.deterministic[i]);
        marks::dashed(
            root,
            &det,
            &palette::TEXT,
            theme.px(2.0),
            theme.px(9.0),
            theme.px(6.0),
        )?;
        placer.block_path(&median, theme.px(4.0));
        placer.block_path(&det, theme.px(4.0));

        // Milestones: the target as a bar, labelled with its probability.
        let r = marks::milestone_radius(theme);
        let mut labels = Vec::new();
        for m in &s.milestones {
            let i = axis.x(m.date);
            if i < 0.0 || i > n as f64 {
                continue;
            }
            let c = panel.pt(i, m.target);
            let rect = marks::marker(root, Marker::Bar, c, r, &palette::BLACK, &palette::BLACK, 1)?;
            placer.block(rect.grow(3));
            // Away from the median, so the label sits off the fan where it can.
            let below = s.bands[i as usize].p(50) >= m.target;
            labels.push((c, milestone_label(m.target, m.date, m.probability), below));
        }
        let ss = theme.label_size();
        let mid = (a.x0 + a.x1) / 2;
        for (c, text, below) in labels.iter().rev() {
            let (w, h) = marks::measure(root, theme, text, ss, true);
            let dy = if *below { 1 } else { -1 };
            let dirs: &[(i32, i32)] = if c.0 > mid {
                &[(-1, dy), (-1, 0), (0, dy)]
            } else {
                &[(1, dy), (1, 0), (0, dy)]
            };
            if let Some(rect) = placer.place_near(
                *c,
                w + theme.px(8.0),
                h + theme.px(6.0),
                r + theme.px(6.0),
                dirs,
            ) {
                root.draw(&Rectangle::new(
                    [(rect.x0, rect.y0), (rect.x1, rect.y1)],
                    palette::WHITE.mix(0.85).filled(),
                ))?;
                marks::text(
                    root,
                    theme,
                    text,
                    ss,
                    true,
                    &palette::TEXT,
                    (rect.x0 + theme.px(4.0), rect.y0 + theme.px(3.0)),
                    HPos::Left,
                    VAlign::Top,
                )?;
            }
        }

        let mut items = vec![
            LegendItem::new(
                "Middle 90% of runs (5th to 95th percentile)",
                Swatch::Area(blend(OUTER, 0.35, palette::WHITE)),
            ),
            LegendItem::new(
                "Middle 50% of runs (25th to 75th percentile)",
                Swatch::Area(blend(INNER, 0.35, blend(OUTER, 0.35, palette::WHITE))),
            ),
            LegendItem::new(
                "Median, month by month",
                Swatch::Line {
                    color: INNER,
                    width: theme.px(3.0),
                    dashed: false,
                },
            ),
            LegendItem::new(
                "Deterministic projection (expected values)",
                Swatch::Line {
                    color: palette::TEXT,
                    width: theme.px(2.0),
                    dashed: true,
                },
            ),
        ];
        if !s.milestones.is_empty() {
            items.push(LegendItem::new(
                "Milestone target; P = share of runs at or above it",
                Swatch::Marker {
                    kind: Marker::Bar,
                    fill: palette::BLACK,
                    outline: palette::BLACK,
                },
            ));
        }
        let (lw, lh) = marks::legend_size(root, theme, &items);
        let g = theme.px(12.0);
        let corners = a.corners(
            [
                Corner::TopLeft,
                Corner::BottomRight,
                Corner::TopRight,
                Corner::BottomLeft,
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

/// `top` at opacity `alpha` over `under`: the colour a translucent band shows.
fn blend(top: RGBColor, alpha: f64, under: RGBColor) -> RGBColor {
    let m = |t: u8, u: u8| (t as f64 * alpha + u as f64 * (1.0 - alpha)).round() as u8;
    RGBColor(m(top.0, under.0), m(top.1, under.1), m(top.2, under.2))
}

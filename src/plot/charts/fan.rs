//! `fan.png`: the Monte Carlo headcount fan. Shaded bands hold the middle 90 %
//! and 50 % of runs each month, the solid line is the median month by month,
//! the dashed line the deterministic (expected-value) projection, and each
//! milestone's target is labelled with the share of runs that meet it.

use crate::format::{chance_in, of_runs, people};
use crate::montecarlo::report::McSummary;
use crate::month::Month;
use crate::plot::axes::{self, TimeAxis};
use crate::plot::describe::{counted_text, runs_text};
use crate::plot::marks::{self, Corners, LegendItem, Placer, Swatch, VAlign};
use crate::plot::{
    changes, draw_frame, layout, observed, palette, Canvas, Chart, DrawResult, Frame, Rect, Stamp,
    Theme,
};
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

/// The text of a milestone's label, e.g. `P(≥ 4,000 by 2028-03) = 37%`;
/// none or all of `runs` is said as the count it is (`0% (0 of 1,000
/// runs)`): a Monte Carlo that never saw an outcome bounds its chance.
pub fn milestone_label(target: f64, date: Month, probability: f64, runs: u64) -> String {
    format!(
        "P(≥ {} by {date}) = {}",
        people(target),
        chance_in(probability, runs)
    )
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
            "{}: met in {} · {spread}",
            m.label
                .clone()
                .unwrap_or_else(|| format!("Target {}", m.date)),
            of_runs(m.probability, s.runs)
        ),
        None => spread,
    }
}

const OUTER: RGBColor = palette::SKY_BLUE;
const INNER: RGBColor = palette::BLUE;

impl Chart for FanChart<'_> {
    fn name(&self) -> &str {
        "fan"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (sc, s) = (self.scenario, self.summary);
        let mut sub = runs_text(s);
        sub.push("bands: middle 90% and 50% of runs, month by month".into());
        sub.push(counted_text(sc));
        let title = format!("{} — Monte Carlo headcount fan", s.title);
        let frame = Frame::new(title, sub, self.stamp).headline(headline(s), palette::TEXT);
        let body = draw_frame(root, theme, &frame)?;

        let n = s.bands.len() - 1;
        let axis = TimeAxis::new(s.bands[0].month, sc.fy_start_month);
        let ymax = s
            .bands
            .iter()
            .map(|b| b.p(95))
            .chain(self.deterministic.iter().copied())
            .chain(s.milestones.iter().map(|m| m.target))
            .chain([observed::top(&sc.observed)])
            .filter(|x| x.is_finite())
            .fold(0.0, f64::max);
        // Room for the half of a milestone bar that sits past the last month.
        let r = marks::milestone_radius(theme);
        let right = 2 * r + theme.px(8.0);
        let panel = axes::headcount_panel(root, theme, body, ymax * 1.06, &axis, n as f64, right)?;

        let a = panel.area;
        let mut placer = Placer::in_panel(a);
        let line_of = |f: &dyn Fn(usize) -> f64| -> Vec<(i32, i32)> {
            (0..=n).map(|i| panel.pt(i as f64, f(i))).collect()
        };
        let band = |lo: u32, hi: u32| -> Vec<(i32, i32)> {
            let mut pts = line_of(&|i| s.bands[i].p(hi));
            pts.extend(line_of(&|i| s.bands[i].p(lo)).into_iter().rev());
            pts
        };
        layout::data_polygon(&band(5, 95));
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
        let (w, dash, gap) = (theme.px(2.0), theme.px(9.0), theme.px(6.0));
        marks::dashed(root, &det, &palette::TEXT, w, dash, gap)?;
        placer.block_path(&median, theme.px(4.0));
        placer.block_path(&det, theme.px(4.0));
        observed::draw(
            root,
            theme,
            &panel,
            &axis,
            n as f64,
            &sc.observed,
            &mut placer,
        )?;

        let change_marks =
            changes::draw_marks(root, theme, &panel, &axis, n as f64, sc, &mut placer)?;

        // Milestones: the target as a bar, labelled with its probability.
        let mut labels = Vec::new();
        for m in &s.milestones {
            let i = axis.x(m.date);
            if i < 0.0 || i > n as f64 {
                continue;
            }
            let c = panel.pt(i, m.target);
            placer.block(marks::target_bar(root, theme, c)?.grow(3));
            // Away from the median, so the label sits off the fan where it can.
            let below = s.bands[i as usize].p(50) >= m.target;
            labels.push((
                c,
                milestone_label(m.target, m.date, m.probability, s.runs),
                below,
            ));
        }
        let ss = theme.label_size();
        let mid = (a.x0 + a.x1) / 2;
        for (c, text, below) in labels.iter().rev() {
            let (w, h) = marks::text_size(text, ss, true);
            let dy = if *below { 1 } else { -1 };
            let dirs: &[(i32, i32)] = if c.0 > mid {
                &[(-1, dy), (-1, 0), (0, dy)]
            } else {
                &[(1, dy), (1, 0), (0, dy)]
            };
            let (w, h) = (w + theme.px(8.0), h + theme.px(6.0));
            if let Some(rect) = placer.place_near(*c, w, h, r + theme.px(6.0), dirs) {
                let (x0, y0) = (rect.x0, rect.y0);
                let white = palette::WHITE.mix(0.85).filled();
                root.draw(&Rectangle::new([(x0, y0), (rect.x1, rect.y1)], white))?;
                marks::text(
                    root,
                    theme,
                    text,
                    ss,
                    true,
                    &palette::TEXT,
                    (x0 + theme.px(4.0), y0 + theme.px(3.0)),
                    HPos::Left,
                    VAlign::Top,
                )?;
            }
        }

        let outer = blend(OUTER, 0.35, palette::WHITE);
        let mut items = vec![
            LegendItem::new(
                "Middle 90% of runs (5th to 95th percentile)",
                Swatch::Area(outer),
            ),
            LegendItem::new(
                "Middle 50% of runs (25th to 75th percentile)",
                Swatch::Area(blend(INNER, 0.35, outer)),
            ),
            LegendItem::new("Median, month by month", Swatch::line(INNER, theme.px(3.0))),
            LegendItem::new(
                "Deterministic projection (expected values)",
                Swatch::dashed(palette::TEXT, theme.px(2.0)),
            ),
        ];
        if !s.milestones.is_empty() {
            items.push(LegendItem::new(
                "Milestone target; P = share of runs at or above it",
                Swatch::TARGET,
            ));
        }
        items.extend(changes::legend_items(sc));
        items.extend(observed::legend_items(&sc.observed));
        // The legend first: a change label can go anywhere.
        marks::legend_at(
            root,
            theme,
            &mut placer,
            &items,
            Corners::of(a, theme.px(12.0)),
        )?;
        changes::draw_labels(root, theme, &change_marks, &mut placer)
    }
}

/// `top` at opacity `alpha` over `under`: the colour a translucent band shows.
fn blend(top: RGBColor, alpha: f64, under: RGBColor) -> RGBColor {
    let m = |t: u8, u: u8| (t as f64 * alpha + u as f64 * (1.0 - alpha)).round() as u8;
    RGBColor(m(top.0, under.0), m(top.1, under.1), m(top.2, under.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chance the runs never or always saw is said with its count, not as
    /// an impossibility or a certainty; anything in between as a chance.
    #[test]
    fn milestone_labels_say_none_or_all_of_the_runs_as_a_count() {
        let at = Month::parse("2028-03").unwrap();
        assert_eq!(
            milestone_label(4000.0, at, 0.0, 10_000),
            "P(≥ 4,000 by 2028-03) = 0% (0 of 10,000 runs)"
        );
        assert_eq!(
            milestone_label(4000.0, at, 1.0, 1_000),
            "P(≥ 4,000 by 2028-03) = 100% (1,000 of 1,000 runs)"
        );
        assert_eq!(
            milestone_label(4000.0, at, 0.0001, 10_000),
            "P(≥ 4,000 by 2028-03) = <1%"
        );
        assert_eq!(
            milestone_label(2230.0, at, 0.5, 10_000),
            "P(≥ 2,230 by 2028-03) = 50%"
        );
    }
}

//! `final_histogram.png`: how the Monte Carlo runs end. Bars count runs by
//! final headcount; vertical lines mark the final target, the median run and
//! the deterministic projection.

use super::mcframe::{self, Chart, Frame, Scale, BLUE, GREY, INK, SKY, VERMILLION};
use super::ChartOptions;
use crate::montecarlo::report::{percent, McSummary};
use crate::montecarlo::stats::Histogram;
use crate::summary::people;
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct FinalHistogram<'a> {
    pub summary: &'a McSummary,
    /// The counted total in the last month, over all runs.
    pub hist: &'a Histogram,
    pub footer: String,
}

/// A bar width from 1, 2, 5 x 10^k giving at most `max_bars` bars over `span` people.
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
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, sc: Scale) -> Result<()> {
        let err =
            |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing the final histogram: {e}");
        let s = self.summary;
        let f = &s.final_total;
        let title = format!("Final headcount at {}: {}", f.month, s.title);
        let subtitle = format!("{} runs; {}.", people(s.runs as f64), s.uncertainty_text());
        let area = mcframe::frame(
            root,
            &Frame {
                title: &title,
                subtitle: &subtitle,
                footer: &self.footer,
            },
            sc,
        )?;

        let lo = self.hist.iter().next().map_or(0.0, |(v, _)| v);
        let hi = self.hist.iter().last().map_or(0.0, |(v, _)| v);
        let w = bar_width(hi - lo + 1.0, 60.0);
        let bars = bars(self.hist, w);
        let target = s.final_milestone().map(|m| m.target);
        let marks = [Some(lo), Some(hi + w), Some(f.deterministic), target];
        let x_lo = marks
            .iter()
            .flatten()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::INFINITY, f64::min);
        let x_hi = marks
            .iter()
            .flatten()
            .copied()
            .filter(|x| x.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = ((x_hi - x_lo) * 0.06).max(w * 2.0);
        let y_max = bars.iter().map(|b| b.1).max().unwrap_or(1) as f64 * 1.25;

        let mut chart = ChartBuilder::on(&area)
            .margin_right(sc.px(16.0))
            .x_label_area_size(sc.px(64.0))
            .y_label_area_size(sc.px(96.0))
            .build_cartesian_2d((x_lo - pad)..(x_hi + pad), 0.0..y_max)
            .map_err(err)?;
        let bar_text = if w == 1.0 {
            "1 person".to_string()
        } else {
            format!("{} people", people(w))
        };
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
            .x_label_formatter(&|x| people(*x))
            .y_label_formatter(&|y| people(*y))
            .x_desc(format!(
                "People counted towards the target at the end of {} (bars {bar_text} wide)",
                f.month
            ))
            .y_desc("Runs")
            .label_style(sc.text(18.0))
            .axis_desc_style(sc.text(20.0))
            .draw()
            .map_err(err)?;

        chart
            .draw_series(bars.iter().map(|&(x, n)| {
                Rectangle::new([(x, 0.0), (x + w, n as f64)], SKY.mix(0.8).filled())
            }))
            .map_err(err)?
            .label("runs ending in each range")
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], SKY.mix(0.8).filled()));

        let vline = |x: f64| vec![(x, 0.0), (x, y_max * 0.9)];
        let median = BLUE.stroke_width(sc.px(3.0) as u32);
        chart
            .draw_series(std::iter::once(PathElement::new(vline(f.p50), median)))
            .map_err(err)?
            .label(format!("median run: {}", people(f.p50)))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], median));
        let det = INK.stroke_width(sc.px(2.0) as u32);
        chart
            .draw_series(DashedLineSeries::new(
                vline(f.deterministic),
                sc.px(10.0),
                sc.px(7.0),
                det,
            ))
            .map_err(err)?
            .label(format!(
                "deterministic projection: {}",
                people(f.deterministic)
            ))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 9, y)], det));
        if let Some(m) = s.final_milestone() {
            // The milestone's own probability when it is due in the last month;
            // otherwise the share of final values at or above its headcount.
            let p = if m.date == f.month {
                m.probability
            } else {
                self.hist.count_at_least(m.target) as f64 / s.runs as f64
            };
            let line = VERMILLION.stroke_width(sc.px(3.0) as u32);
            let name = m.label.clone().unwrap_or_else(|| "target".into());
            chart
                .draw_series(DashedLineSeries::new(
                    vline(m.target),
                    sc.px(14.0),
                    sc.px(6.0),
                    line,
                ))
                .map_err(err)?
                .label(format!("{name}: {}", people(m.target)))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], line));
            let right_half = m.target > (x_lo + x_hi) / 2.0;
            let (h, dx) = if right_half {
                (HPos::Right, -sc.px(10.0))
            } else {
                (HPos::Left, sc.px(10.0))
            };
            let text = format!("P(≥ {} at {}) = {}", people(m.target), f.month, percent(p));
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((m.target, y_max * 0.9))
                        + Text::new(
                            text,
                            (dx, 0),
                            sc.bold(18.0).color(&VERMILLION).pos(Pos::new(h, VPos::Top)),
                        ),
                ))
                .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .margin(sc.px(14.0))
            .label_font(sc.text(19.0))
            .background_style(WHITE.mix(0.9))
            .border_style(GREY.mix(0.5))
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

/// Renders the final-headcount histogram (`final_histogram.png` or `.svg`).
pub fn final_histogram(chart: &FinalHistogram<'_>, opts: &ChartOptions) -> Result<Vec<u8>> {
    mcframe::render(chart, opts)
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

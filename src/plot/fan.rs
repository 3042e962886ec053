//! `fan.png`: the Monte Carlo headcount fan. Shaded bands hold the middle 90 %
//! and 50 % of runs each month, the line is the median run, the dashed line
//! the deterministic (expected-value) projection, and each milestone is
//! marked with the share of runs that meet it.

use super::mcframe::{self, Chart, Frame, Scale, BLUE, GREY, INK, SKY, VERMILLION};
use super::ChartOptions;
use crate::montecarlo::report::{percent, McSummary};
use crate::month::Month;
use crate::summary::people;
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct FanChart<'a> {
    pub summary: &'a McSummary,
    /// The deterministic projection's total, one value per row of `summary.bands`.
    pub deterministic: Vec<f64>,
    pub fy_start_month: u32,
    pub footer: String,
}

/// The text of a milestone's label, e.g. `P(≥ 4,000 by 2028-03) = 37%`.
pub fn milestone_label(target: f64, date: Month, probability: f64) -> String {
    format!(
        "P(≥ {} by {date}) = {}",
        people(target),
        percent(probability)
    )
}

/// Tick months: fiscal-year starts, thinned so there are at most about 12.
pub fn ticks(months: &[Month], fy_start_month: u32) -> Vec<i32> {
    let starts: Vec<i32> = (0..months.len() as i32)
        .filter(|&i| months[i as usize].month_of_year() == fy_start_month)
        .collect();
    let every = starts.len().div_ceil(12).max(1);
    let mut t: Vec<i32> = starts.into_iter().step_by(every).collect();
    if t.len() < 3 {
        // Short horizons: a tick every quarter.
        t = (0..months.len() as i32).step_by(3).collect();
    }
    t
}

impl Chart for FanChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, sc: Scale) -> Result<()> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing the fan chart: {e}");
        let s = self.summary;
        let title = format!("Monte Carlo headcount fan: {}", s.title);
        let subtitle = format!(
            "{} runs; {}. Shaded: middle 90% and 50% of runs each month.",
            people(s.runs as f64),
            s.uncertainty_text()
        );
        let area = mcframe::frame(
            root,
            &Frame {
                title: &title,
                subtitle: &subtitle,
                footer: &self.footer,
            },
            sc,
        )?;

        let months: Vec<Month> = s.bands.iter().map(|b| b.month).collect();
        let last = months.len() as i32 - 1;
        let top = s
            .bands
            .iter()
            .map(|b| b.p(95))
            .chain(self.deterministic.iter().copied())
            .chain(s.milestones.iter().map(|m| m.target))
            .filter(|x| x.is_finite())
            .fold(1.0, f64::max);
        let y_max = top * 1.1;
        let key = ticks(&months, self.fy_start_month);
        let mut chart = ChartBuilder::on(&area)
            .margin_right(sc.px(16.0))
            .x_label_area_size(sc.px(64.0))
            .y_label_area_size(sc.px(96.0))
            .build_cartesian_2d((0..last.max(1)).with_key_points(key), 0.0..y_max)
            .map_err(err)?;
        let month_label = |i: &i32| {
            months
                .get(*i as usize)
                .map_or_else(String::new, |m| m.to_string())
        };
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
            .x_label_formatter(&month_label)
            .y_label_formatter(&|y| people(*y))
            .x_desc("Month (end of month)")
            .y_desc("People counted towards the target")
            .label_style(sc.text(18.0))
            .axis_desc_style(sc.text(20.0))
            .draw()
            .map_err(err)?;

        let band = |lo: u32, hi: u32| -> Vec<(i32, f64)> {
            let upper = s.bands.iter().enumerate().map(|(i, b)| (i as i32, b.p(hi)));
            let lower = s
                .bands
                .iter()
                .enumerate()
                .rev()
                .map(|(i, b)| (i as i32, b.p(lo)));
            upper.chain(lower).collect()
        };
        let outer = SKY.mix(0.35);
        let inner = BLUE.mix(0.35);
        chart
            .draw_series(std::iter::once(Polygon::new(band(5, 95), outer.filled())))
            .map_err(err)?
            .label("middle 90% of runs (5th to 95th percentile)")
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], outer.filled()));
        chart
            .draw_series(std::iter::once(Polygon::new(band(25, 75), inner.filled())))
            .map_err(err)?
            .label("middle 50% of runs (25th to 75th percentile)")
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], inner.filled()));
        let median = BLUE.stroke_width(sc.px(3.0) as u32);
        chart
            .draw_series(LineSeries::new(
                s.bands.iter().enumerate().map(|(i, b)| (i as i32, b.p(50))),
                median,
            ))
            .map_err(err)?
            .label("median run")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], median));
        let det = INK.stroke_width(sc.px(2.0) as u32);
        chart
            .draw_series(DashedLineSeries::new(
                self.deterministic
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| (i as i32, v)),
                sc.px(10.0),
                sc.px(7.0),
                det,
            ))
            .map_err(err)?
            .label("deterministic projection (expected values)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 9, y)], det));

        // Milestones: a marker at the target, labelled with its probability on
        // a white box, on the side away from the median (so it does not sit on
        // the fan): below when most runs are above the target, else above.
        let marker = VERMILLION.filled();
        let label_style = sc.bold(19.0).color(&VERMILLION);
        for m in &s.milestones {
            let Some(i) = months.iter().position(|&x| x == m.date) else {
                continue;
            };
            let (x, y) = (i as i32, m.target);
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    (x, y),
                    sc.px(9.0),
                    marker,
                )))
                .map_err(err)?;
            let text = milestone_label(m.target, m.date, m.probability);
            let (w, h) = area.estimate_text_size(&text, &label_style).map_err(err)?;
            let (w, h) = (w as i32, h as i32);
            let gap = sc.px(14.0);
            let pad = sc.px(4.0);
            let right_half = x * 2 > last;
            let below = s.bands[i].p(50) >= m.target;
            let (hpos, x0) = if right_half {
                (HPos::Right, -gap - w)
            } else {
                (HPos::Left, gap)
            };
            let (vpos, y0) = if below {
                (VPos::Top, gap / 2)
            } else {
                (VPos::Bottom, -gap / 2 - h)
            };
            let tx = if right_half { -gap } else { gap };
            let ty = if below { gap / 2 } else { -gap / 2 };
            let boxed = EmptyElement::at((x, y))
                + Rectangle::new(
                    [(x0 - pad, y0 - pad), (x0 + w + pad, y0 + h + pad)],
                    WHITE.mix(0.85).filled(),
                )
                + Text::new(text, (tx, ty), label_style.pos(Pos::new(hpos, vpos)));
            chart.draw_series(std::iter::once(boxed)).map_err(err)?;
        }
        // Dummy series for the legend entry of the milestones.
        chart
            .draw_series(std::iter::empty::<TriangleMarker<(i32, f64), i32>>())
            .map_err(err)?
            .label("milestone: target headcount, labelled with the share of runs meeting it")
            .legend(move |(x, y)| TriangleMarker::new((x + 12, y), 8, marker));

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

/// Renders the fan chart (`fan.png` or `fan.svg`).
pub fn fan_chart(chart: &FanChart<'_>, opts: &ChartOptions) -> Result<Vec<u8>> {
    mcframe::render(chart, opts)
}

//! `tornado.png`: how far the metric moves when each parameter is moved
//! down and up, largest swing at the top.

use super::goal_frame::{
    decimals_for, err, footer, palette, percent, render, thousands, value_label, Body, Frame, Scale,
};
use super::ChartOptions;
use crate::config::Loaded;
use crate::goal::sensitivity::{Row, Sensitivity};
use crate::goal::{Goal, Metric, MonteCarlo};
use crate::output::OutputFile;
use crate::summary::people;
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Most parameters drawn; the rest are in `sensitivity.csv`.
pub const MAX_BARS: usize = 20;

/// Renders `tornado.png` (or `.svg`). `goal` is the final milestone, if any.
pub fn tornado_chart(
    loaded: &Loaded,
    sens: &Sensitivity,
    goal: Option<&Goal>,
    mc: Option<MonteCarlo>,
    opts: &ChartOptions,
) -> Result<OutputFile> {
    let s = &loaded.scenario;
    let what = match sens.metric {
        Metric::Probability => format!(
            "chance of meeting {}",
            goal.map_or(String::new(), Goal::describe)
        ),
        _ => format!("expected total at {}", s.end),
    };
    let shown: Vec<&Row> = sens
        .rows
        .iter()
        .filter(|r| r.swing > 0.0)
        .take(MAX_BARS)
        .collect();
    let flat = sens.rows.iter().filter(|r| r.swing == 0.0).count();
    let d = format!("{:.0}%", 100.0 * sens.delta);
    let mut subtitle = format!(
        "Each parameter moved down and up by {d} of its configured value (clamped to its valid range), one at a time; baseline {}.",
        metric_label(sens.metric, sens.baseline)
    );
    if let (Metric::Probability, Some(mc)) = (sens.metric, mc) {
        subtitle.push_str(&format!(
            "\n{} Monte Carlo runs per bar end, the same random streams for every bar (process noise only).",
            people(mc.runs as f64)
        ));
    }
    let hidden = sens.rows.iter().filter(|r| r.swing > 0.0).count() - shown.len();
    let mut notes = Vec::new();
    if hidden > 0 {
        notes.push(format!("{hidden} smaller swings not drawn"));
    }
    if flat > 0 {
        notes.push(format!(
            "{flat} parameters with no effect (or a value of 0) not drawn"
        ));
    }
    if !notes.is_empty() {
        subtitle.push_str(&format!(
            "\n{}; all are in sensitivity.csv.",
            notes.join("; ")
        ));
    }
    let frame = Frame {
        title: format!("Which assumption matters most? The {what}, each parameter ±{d}"),
        subtitle,
        footer: footer(
            loaded,
            (sens.metric == Metric::Probability)
                .then_some(mc.map(|m| m.seed))
                .flatten(),
        ),
    };
    let target = match (sens.metric, goal) {
        (Metric::FinalTotal, Some(g)) if g.date == s.end => Some(g.headcount),
        _ => None,
    };
    render(
        &frame,
        &TornadoBody {
            sens,
            rows: shown,
            target,
            goal,
            delta: d,
            end: s.end,
        },
        opts,
        "tornado",
    )
}

fn metric_label(metric: Metric, x: f64) -> String {
    match metric {
        Metric::Probability => percent(x),
        _ => people(x),
    }
}

struct TornadoBody<'a> {
    sens: &'a Sensitivity,
    rows: Vec<&'a Row>,
    target: Option<f64>,
    goal: Option<&'a Goal>,
    delta: String,
    end: crate::month::Month,
}

impl Body for TornadoBody<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<()> {
        let base = self.sens.baseline;
        let n = self.rows.len().max(1);
        let values = self
            .rows
            .iter()
            .flat_map(|r| [r.metric_low, r.metric_high])
            .chain([base])
            .chain(self.target);
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let pad = 0.12 * (hi - lo).max(1e-9);
        let (lo, hi) = if self.sens.metric == Metric::Probability {
            ((lo - pad).max(0.0), (hi + pad).min(1.0))
        } else {
            (lo - pad, hi + pad)
        };
        let probability = self.sens.metric == Metric::Probability;
        let xd = decimals_for(hi - lo).min(1);
        let label_w = scale.px(470.0);
        let mut chart = ChartBuilder::on(area)
            .margin_left(scale.px(20.0))
            .margin_right(scale.px(40.0))
            .margin_top(scale.px(10.0))
            .margin_bottom(scale.px(6.0))
            .x_label_area_size(scale.px(62.0))
            .y_label_area_size(label_w)
            .build_cartesian_2d(lo..hi, -0.5..(n as f64 - 0.5))
            .map_err(err)?;
        let x_desc = if probability {
            "runs meeting the final milestone".to_string()
        } else {
            format!("expected total at {} (people)", self.end)
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(x_desc)
            .x_label_formatter(&|x| {
                if probability {
                    percent(*x)
                } else {
                    thousands(*x, xd)
                }
            })
            .label_style(scale.tick())
            .axis_desc_style(scale.axis())
            .light_line_style(palette::LIGHT_GREY.mix(0.25))
            .bold_line_style(palette::LIGHT_GREY.mix(0.6))
            .draw()
            .map_err(err)?;

        let half = 0.36;
        for (k, r) in self.rows.iter().enumerate() {
            // Largest swing at the top.
            let y = (n - 1 - k) as f64;
            let mut bars = [
                (r.metric_low, palette::BLUE),
                (r.metric_high, palette::ORANGE),
            ];
            // The longer bar first, so a shorter one on the same side stays visible.
            bars.sort_by(|a, b| (b.0 - base).abs().total_cmp(&(a.0 - base).abs()));
            for (m, colour) in bars {
                chart
                    .draw_series([Rectangle::new(
                        [(base.min(m), y - half), (base.max(m), y + half)],
                        colour.filled(),
                    )])
                    .map_err(err)?;
            }
            for (m, v) in [(r.metric_low, r.low), (r.metric_high, r.high)] {
                let (px, py) = chart.backend_coord(&(m, y));
                let right = m >= base;
                let text = format!("{} → {}", value_label(v), metric_label(self.sens.metric, m));
                let anchor = if right { HPos::Left } else { HPos::Right };
                let dx = if right { scale.px(6.0) } else { -scale.px(6.0) };
                root.draw(&Text::new(
                    text,
                    (px + dx, py),
                    scale
                        .font(14.0)
                        .color(&palette::GREY)
                        .pos(Pos::new(anchor, VPos::Center)),
                ))
                .map_err(err)?;
            }
            let (px, py) = chart.backend_coord(&(lo, y));
            root.draw(&Text::new(
                r.path.clone(),
                (px - scale.px(12.0), py - scale.px(9.0)),
                scale
                    .font(17.0)
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                format!("configured {}", value_label(r.value)),
                (px - scale.px(12.0), py + scale.px(11.0)),
                scale
                    .font(14.0)
                    .color(&palette::GREY)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(err)?;
        }
        let top = n as f64 - 0.5;
        chart
            .draw_series(LineSeries::new(
                [(base, -0.5), (base, top)],
                BLACK.stroke_width(scale.px(2.0) as u32),
            ))
            .map_err(err)?
            .label(format!("baseline {}", metric_label(self.sens.metric, base)))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLACK.stroke_width(2)));
        if let (Some(t), Some(g)) = (self.target, self.goal) {
            chart
                .draw_series(DashedLineSeries::new(
                    [(t, -0.5), (t, top)],
                    scale.px(10.0) as u32,
                    scale.px(6.0) as u32,
                    palette::VERMILLION.stroke_width(scale.px(2.5) as u32),
                ))
                .map_err(err)?
                .label(format!("target: {}", g.describe()))
                .legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 24, y)], palette::VERMILLION.stroke_width(3))
                });
        }
        let d = &self.delta;
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label(format!("parameter −{d}"))
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], palette::BLUE.filled()));
        chart
            .draw_series(std::iter::empty::<Rectangle<(f64, f64)>>())
            .map_err(err)?
            .label(format!("parameter +{d}"))
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 7), (x + 24, y + 7)], palette::ORANGE.filled())
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .margin(scale.px(12.0))
            .label_font(scale.font(17.0))
            .background_style(WHITE.mix(0.9))
            .border_style(palette::LIGHT_GREY)
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

//! `solve.png`: the expected total at the milestone against the lever, with
//! the target and the answer marked; in probability mode a second panel
//! shows the share of Monte Carlo runs meeting the milestone at the values
//! tried.

use super::goal_frame::{
    decimals_for, err, footer, palette, percent, render, thousands, value_label, Body, Frame, Scale,
};
use super::ChartOptions;
use crate::config::Loaded;
use crate::goal::solve::{Direction, Question, Solution};
use crate::goal::unit;
use crate::output::OutputFile;
use crate::summary::people;
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Renders `solve.png` (or `.svg`).
pub fn solve_chart(
    loaded: &Loaded,
    q: &Question,
    sol: &Solution,
    opts: &ChartOptions,
) -> Result<OutputFile> {
    let goal = q.goal.describe();
    let title = match sol.value() {
        Some(v) => format!(
            "What would it take? {} = {} meets {goal}",
            sol.path,
            value_label(v)
        ),
        None => format!(
            "{goal} is not reachable with {} in {} to {}",
            sol.path,
            value_label(q.lo),
            value_label(q.hi)
        ),
    };
    let seek = match sol.direction {
        Direction::Decrease => "Highest value still meeting",
        _ => "Least value meeting",
    };
    let mut subtitle = format!(
        "{seek} the milestone; everything else as configured ({} is {}). ",
        sol.path,
        value_label(sol.baseline_value)
    );
    match q.probability {
        Some((p, mc)) => subtitle.push_str(&format!(
            "Must be met in at least {} of {} Monte Carlo runs (whole people, process noise only).",
            percent(p),
            people(mc.runs as f64)
        )),
        None => subtitle.push_str("Expected values (deterministic projection)."),
    }
    if let (Some(a), Some(b)) = (sol.zoom.first(), sol.zoom.last()) {
        subtitle.push_str(&format!(
            "\nShown: {} to {} of the range searched ({} to {}).",
            value_label(a.value),
            value_label(b.value),
            value_label(q.lo),
            value_label(q.hi)
        ));
    }
    if !sol.monotone {
        subtitle.push_str("\nCaution: the response is not monotone in this range; the answer is the first crossing.");
    }
    let frame = Frame {
        title,
        subtitle,
        footer: footer(loaded, q.probability.map(|(_, mc)| mc.seed)),
    };
    render(&frame, &SolveBody { q, sol }, opts, "solve")
}

struct SolveBody<'a> {
    q: &'a Question,
    sol: &'a Solution,
}

impl Body for SolveBody<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        _root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<()> {
        match &self.sol.probabilistic {
            Some(_) => {
                let (_, h) = area.dim_in_pixel();
                let (top, bottom) = area.split_vertically((h as f64 * 0.56) as u32);
                self.expected_panel(&top, scale)?;
                self.probability_panel(&bottom, scale)
            }
            None => self.expected_panel(area, scale),
        }
    }
}

impl SolveBody<'_> {
    fn expected_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<()> {
        let (q, sol) = (self.q, self.sol);
        let target = q.goal.headcount;
        let curve = if sol.zoom.is_empty() {
            &sol.curve
        } else {
            &sol.zoom
        };
        let (x0, x1) = (curve[0].value, curve[curve.len() - 1].value);
        let ys = curve.iter().map(|p| p.metric).chain([target]);
        let (ymin, ymax) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
            (a.min(y), b.max(y))
        });
        let pad = 0.06 * (ymax - ymin).max(1.0);
        let (ymin, ymax) = ((ymin - pad).max(0.0), ymax + pad);
        let xd = decimals_for(x1 - x0);
        let yd = decimals_for(ymax - ymin).min(1);

        let mut chart = ChartBuilder::on(area)
            .margin_left(scale.px(20.0))
            .margin_right(scale.px(40.0))
            .margin_top(scale.px(10.0))
            .margin_bottom(scale.px(6.0))
            .x_label_area_size(scale.px(62.0))
            .y_label_area_size(scale.px(92.0))
            .build_cartesian_2d(x0..x1, ymin..ymax)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(format!("{} ({})", sol.path, unit(q.param)))
            .y_desc(format!("expected total at {} (people)", q.goal.date))
            .x_label_formatter(&|x| thousands(*x, xd))
            .y_label_formatter(&|y| thousands(*y, yd))
            .label_style(scale.tick())
            .axis_desc_style(scale.axis())
            .light_line_style(palette::LIGHT_GREY.mix(0.25))
            .bold_line_style(palette::LIGHT_GREY.mix(0.6))
            .draw()
            .map_err(err)?;

        let line = |c: RGBColor, w: f64| c.stroke_width(scale.px(w) as u32);
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, target), (x1, target)],
                scale.px(10.0) as u32,
                scale.px(6.0) as u32,
                line(palette::VERMILLION, 2.5),
            ))
            .map_err(err)?
            .label(format!("target: {}", q.goal.describe()))
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 24, y)], palette::VERMILLION.stroke_width(3))
            });
        chart
            .draw_series(LineSeries::new(
                curve.iter().map(|p| (p.value, p.metric)),
                line(palette::BLUE, 3.0),
            ))
            .map_err(err)?
            .label(format!("expected total at {}", q.goal.date))
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 24, y)], palette::BLUE.stroke_width(3))
            });
        chart
            .draw_series(
                curve.iter().map(|p| {
                    Circle::new((p.value, p.metric), scale.px(3.5), palette::BLUE.filled())
                }),
            )
            .map_err(err)?;

        // The configured value.
        let b = sol.baseline_value;
        if (x0..=x1).contains(&b) {
            chart
                .draw_series(DashedLineSeries::new(
                    [(b, ymin), (b, ymax)],
                    scale.px(6.0) as u32,
                    scale.px(6.0) as u32,
                    line(palette::GREY, 2.0),
                ))
                .map_err(err)?;
            chart
                .draw_series([Circle::new(
                    (b, sol.baseline_total),
                    scale.px(7.0),
                    palette::BLACK.filled(),
                )])
                .map_err(err)?
                .label(format!(
                    "configured: {} gives {}",
                    value_label(b),
                    people(sol.baseline_total)
                ))
                .legend(move |(x, y)| Circle::new((x + 12, y), 6, palette::BLACK.filled()));
        }

        // The answers.
        let mut mark = |v: f64, y: f64, colour: RGBColor, label: String| -> Result<()> {
            chart
                .draw_series(LineSeries::new([(v, ymin), (v, ymax)], line(colour, 2.5)))
                .map_err(err)?
                .label(label)
                .legend(move |(x, yy)| {
                    PathElement::new([(x, yy), (x + 24, yy)], colour.stroke_width(3))
                });
            chart
                .draw_series([Circle::new((v, y), scale.px(8.0), colour.filled())])
                .map_err(err)?;
            Ok(())
        };
        if let (Some(v), Some(t)) = (sol.deterministic, sol.deterministic_total) {
            let what = if q.probability.is_some() {
                "expected total meets target at"
            } else {
                "answer:"
            };
            mark(
                v,
                t,
                palette::GREEN,
                format!(
                    "{what} {} ({})",
                    value_label(v),
                    change(v, sol.baseline_value)
                ),
            )?;
        }
        if let Some(pa) = &sol.probabilistic {
            if let (Some(v), Some(a), Some(t), Some((p, _))) =
                (pa.value, pa.achieved, pa.total, q.probability)
            {
                mark(
                    v,
                    t,
                    palette::PURPLE,
                    format!(
                        "answer (≥ {} of runs): {} ({}; {} met)",
                        percent(p),
                        value_label(v),
                        change(v, sol.baseline_value),
                        percent(a)
                    ),
                )?;
            }
        }
        let pos = match sol.direction {
            Direction::Decrease => SeriesLabelPosition::UpperRight,
            _ => SeriesLabelPosition::UpperLeft,
        };
        chart
            .configure_series_labels()
            .position(pos)
            .margin(scale.px(12.0))
            .label_font(scale.font(17.0))
            .background_style(WHITE.mix(0.9))
            .border_style(palette::LIGHT_GREY)
            .draw()
            .map_err(err)?;
        Ok(())
    }

    fn probability_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<()> {
        let (q, sol) = (self.q, self.sol);
        let Some(pa) = &sol.probabilistic else {
            return Ok(());
        };
        let Some((p, mc)) = q.probability else {
            return Ok(());
        };
        let xs = pa.tried.iter().map(|t| t.value);
        let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        });
        let pad = 0.08 * (hi - lo).max(1e-9 * hi.abs().max(1.0));
        let (lo, hi) = if hi > lo {
            (lo - pad, hi + pad)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let xd = decimals_for(hi - lo);
        let mut chart = ChartBuilder::on(area)
            .margin_left(scale.px(20.0))
            .margin_right(scale.px(40.0))
            .margin_top(scale.px(34.0))
            .margin_bottom(scale.px(6.0))
            .caption(
                format!(
                    "Share of {} runs meeting {}, at the values tried (note the narrower scale)",
                    people(mc.runs as f64),
                    q.goal.describe()
                ),
                scale.font(19.0),
            )
            .x_label_area_size(scale.px(62.0))
            .y_label_area_size(scale.px(92.0))
            .build_cartesian_2d(lo..hi, 0.0..1.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(format!("{} ({})", sol.path, unit(q.param)))
            .y_desc("runs meeting the milestone")
            .x_label_formatter(&|x| thousands(*x, xd))
            .y_label_formatter(&|y| percent(*y))
            .label_style(scale.tick())
            .axis_desc_style(scale.axis())
            .light_line_style(palette::LIGHT_GREY.mix(0.25))
            .bold_line_style(palette::LIGHT_GREY.mix(0.6))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                [(lo, p), (hi, p)],
                scale.px(10.0) as u32,
                scale.px(6.0) as u32,
                palette::VERMILLION.stroke_width(scale.px(2.5) as u32),
            ))
            .map_err(err)?
            .label(format!("required: {}", percent(p)))
            .legend(|(x, y)| {
                PathElement::new([(x, y), (x + 24, y)], palette::VERMILLION.stroke_width(3))
            });
        chart
            .draw_series(
                pa.tried.iter().map(|t| {
                    Circle::new((t.value, t.metric), scale.px(5.0), palette::PURPLE.filled())
                }),
            )
            .map_err(err)?
            .label("share of runs meeting it (values tried)")
            .legend(|(x, y)| Circle::new((x + 12, y), 5, palette::PURPLE.filled()));
        if let Some(v) = pa.value {
            chart
                .draw_series(LineSeries::new(
                    [(v, 0.0), (v, 1.0)],
                    palette::PURPLE.stroke_width(scale.px(2.5) as u32),
                ))
                .map_err(err)?
                .label(format!("answer: {}", value_label(v)))
                .legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 24, y)], palette::PURPLE.stroke_width(3))
                });
        }
        if let Some(d) = sol.deterministic.filter(|d| (lo..=hi).contains(d)) {
            chart
                .draw_series(LineSeries::new(
                    [(d, 0.0), (d, 1.0)],
                    palette::GREEN.stroke_width(scale.px(2.0) as u32),
                ))
                .map_err(err)?
                .label(format!("expected total meets target: {}", value_label(d)))
                .legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 24, y)], palette::GREEN.stroke_width(3))
                });
        }
        let pos = match sol.direction {
            Direction::Decrease => SeriesLabelPosition::LowerLeft,
            _ => SeriesLabelPosition::LowerRight,
        };
        chart
            .configure_series_labels()
            .position(pos)
            .margin(scale.px(12.0))
            .label_font(scale.font(17.0))
            .background_style(WHITE.mix(0.9))
            .border_style(palette::LIGHT_GREY)
            .draw()
            .map_err(err)?;
        Ok(())
    }
}

/// `+156.4` or `-0.02`: the change from the configured value.
fn change(v: f64, baseline: f64) -> String {
    let d = v - baseline;
    let rel = if baseline != 0.0 {
        format!(", {:+.0}%", 100.0 * d / baseline.abs())
    } else {
        String::new()
    };
    if d >= 0.0 {
        format!("+{}{rel}", value_label(d))
    } else {
        format!("-{}{rel}", value_label(-d))
    }
}

//! `levels.png`: the force by level as stacked areas (a fixed colour per
//! level), with the course queue and the people in class in their own panel
//! below: they are not in any level, so stacking them onto the force would
//! overstate it.

use super::axes::{self, TimeAxis};
use super::headcount::counted_text;
use super::marks::{self, EndLabel, VAlign};
use super::{draw_frame, palette, Canvas, Chart, DrawResult, Frame, Rect, Stamp, Theme};
use crate::engine::Projection;
use crate::format::{people, percent};
use crate::scenario::Scenario;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub(super) struct LevelsChart<'a> {
    pub scenario: &'a Scenario,
    pub p: &'a Projection,
    pub stamp: &'a Stamp,
}

/// "Promotion once eligible: basic to intermediate 30%/yr after 24 months, ...".
fn promotion_text(s: &Scenario) -> Option<String> {
    let parts: Vec<String> = s
        .levels
        .iter()
        .filter_map(|l| {
            l.promotion.as_ref().map(|p| {
                format!(
                    "{} to {} {}/yr after {} months",
                    l.name,
                    s.levels[p.to].name,
                    percent(p.rate),
                    p.after_months
                )
            })
        })
        .collect();
    (!parts.is_empty()).then(|| format!("Promotion once eligible: {}", parts.join(", ")))
}

impl Chart for LevelsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (s, p) = (self.scenario, self.p);
        let mut sub = vec![super::attrition_text(s)];
        sub.extend(promotion_text(s));
        sub.push(counted_text(s));
        let frame = Frame::new(format!("{} — people by level", s.title), sub, self.stamp);
        let body = draw_frame(root, theme, &frame)?;

        let n = p.rows.len() - 1;
        let axis = TimeAxis {
            origin: p.rows[0].month,
            fy_start: s.fy_start_month,
        };
        let has_courses = !s.courses.is_empty();
        let last = p.final_row();
        let ss = theme.small_size();

        // Right-margin labels decide the margin width.
        let in_levels = last.in_levels();
        let level_text: Vec<String> = s
            .levels
            .iter()
            .zip(&last.levels)
            .map(|(l, &v)| {
                let share = if in_levels > 0.0 {
                    format!(" ({}%)", (100.0 * v / in_levels).round())
                } else {
                    String::new()
                };
                format!("{} {}{share}", l.name, people(v))
            })
            .collect();
        let same = p
            .rows
            .iter()
            .all(|r| (r.total - r.in_levels()).abs() < 1e-6);
        let total_text = format!(
            "counted total{} {}",
            if same { "" } else { " (dashed)" },
            people(last.total)
        );
        let pipe_text = [
            format!("queue {}", people(last.queue())),
            format!("in class {}", people(last.training_total())),
        ];
        let probe: Vec<EndLabel> = level_text
            .iter()
            .chain(std::iter::once(&total_text))
            .chain(pipe_text.iter())
            .map(|t| EndLabel {
                y: 0,
                text: t.clone(),
                color: palette::TEXT,
                bold: true,
            })
            .collect();
        let right = marks::end_labels_width(root, theme, &probe);

        // Upper panel: levels; lower panel: queue and training.
        let (upper, lower) = if has_courses {
            let h = body.height();
            let upper_h = (h as f64 * 0.66) as i32;
            let (u, l) = body.split_top(upper_h);
            (
                u,
                Some(Rect {
                    y0: l.y0 + theme.px(26.0),
                    ..l
                }),
            )
        } else {
            (body, None)
        };
        let upper_bottom = if lower.is_some() {
            theme.px(8.0)
        } else {
            axes::time_axis_height(theme)
        };

        let stack_top: Vec<f64> = p.rows.iter().map(|r| r.in_levels()).collect();
        let ymax = stack_top
            .iter()
            .chain(p.rows.iter().map(|r| &r.total))
            .fold(0.0f64, |a, &b| a.max(b));
        let ticks = axes::nice_ticks(0.0, ymax * 1.05, 7);
        let mut panel = axes::layout(
            root,
            theme,
            upper,
            &ticks,
            &axes::people_tick,
            upper_bottom,
            right,
        );
        panel.x = (0.0, n as f64);
        axes::draw_y_axis(
            root,
            theme,
            &panel,
            &ticks,
            &axes::people_tick,
            "People in each level",
            body.x0,
        )?;

        axes::draw_time_grid(root, &panel, &axis)?;
        // Stacked areas, first level at the bottom.
        let mut base = vec![0.0; p.rows.len()];
        let mut level_labels = Vec::new();
        for (li, level) in s.levels.iter().enumerate() {
            let top: Vec<f64> = p
                .rows
                .iter()
                .zip(&base)
                .map(|(r, b)| b + r.levels[li])
                .collect();
            let mut poly: Vec<(i32, i32)> = top
                .iter()
                .enumerate()
                .map(|(i, &v)| panel.pt(i as f64, v))
                .collect();
            poly.extend(
                base.iter()
                    .enumerate()
                    .rev()
                    .map(|(i, &v)| panel.pt(i as f64, v)),
            );
            let color = palette::level(li);
            root.draw(&Polygon::new(poly, color.filled()))?;
            let mid = (top[n] + base[n]) / 2.0;
            level_labels.push(EndLabel {
                y: panel.y(mid),
                text: level_text[li].clone(),
                color: palette::readable(color),
                bold: true,
            });
            let _ = level;
            base = top;
        }
        // Thin white boundaries between bands keep neighbouring colours apart.
        let mut cum = vec![0.0; p.rows.len()];
        for li in 0..s.levels.len().saturating_sub(1) {
            for (c, r) in cum.iter_mut().zip(&p.rows) {
                *c += r.levels[li];
            }
            let pts: Vec<(i32, i32)> = cum
                .iter()
                .enumerate()
                .map(|(i, &v)| panel.pt(i as f64, v))
                .collect();
            marks::line(root, &pts, &palette::WHITE, 1)?;
        }
        let a = panel.area;
        marks::line(
            root,
            &[(a.x0, a.y1 - 1), (a.x1 - 1, a.y1 - 1)],
            &palette::AXIS,
            1,
        )?;

        // The counted total, dashed when it is not simply the top of the stack.
        let total_pts: Vec<(i32, i32)> = p
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| panel.pt(i as f64, r.total))
            .collect();
        if same {
            marks::line(root, &total_pts, &palette::TOTAL, theme.px(2.0))?;
        } else {
            marks::dashed(
                root,
                &total_pts,
                &palette::TOTAL,
                theme.px(2.0),
                theme.px(8.0),
                theme.px(5.0),
            )?;
        }
        let mut labels = vec![EndLabel {
            y: panel.y(last.total),
            text: total_text,
            color: palette::TOTAL,
            bold: true,
        }];
        labels.extend(level_labels.into_iter().rev());
        marks::end_labels(
            root,
            theme,
            &labels,
            a.x1 + theme.px(12.0),
            a.y0 - theme.px(4.0),
            a.y1,
        )?;
        let Some(lower) = lower else {
            axes::draw_time_axis(
                root,
                theme,
                &panel,
                &axis,
                &axes::fiscal_axis_title(s.fy_start_month),
            )?;
            return Ok(());
        };

        // Lower panel: people waiting for a course and in class, under a header.
        let counted = match (s.target.queue, s.target.training) {
            (true, true) => "both counted in the target",
            (true, false) => "queue counted in the target, trainees not",
            (false, true) => "trainees counted in the target, queue not",
            (false, false) => "not counted in the target",
        };
        let head = format!(
            "Not in any level: waiting for a course (dashed) and in class (solid); {counted}"
        );
        marks::text(
            root,
            theme,
            &head,
            ss,
            true,
            &palette::TEXT,
            (a.x0, lower.y0),
            HPos::Left,
            VAlign::Top,
        )?;
        let lower = Rect {
            y0: lower.y0 + (ss * 1.2) as i32,
            ..lower
        };
        let queue: Vec<f64> = p.rows.iter().map(|r| r.queue()).collect();
        let training: Vec<f64> = p.rows.iter().map(|r| r.training_total()).collect();
        let lmax = queue.iter().chain(&training).fold(0.0f64, |a, &b| a.max(b));
        let lticks = axes::nice_ticks(0.0, lmax * 1.1, 3);
        let mut lp = axes::layout(
            root,
            theme,
            lower,
            &lticks,
            &axes::people_tick,
            axes::time_axis_height(theme),
            right,
        );
        // Keep both panels' plotting areas aligned.
        lp.area.x0 = a.x0;
        lp.x = (0.0, n as f64);
        axes::draw_y_axis(
            root,
            theme,
            &lp,
            &lticks,
            &axes::people_tick,
            "People",
            body.x0,
        )?;
        axes::draw_time_axis(
            root,
            theme,
            &lp,
            &axis,
            &axes::fiscal_axis_title(s.fy_start_month),
        )?;
        let w = theme.px(2.5);
        let qpts: Vec<(i32, i32)> = queue
            .iter()
            .enumerate()
            .map(|(i, &v)| lp.pt(i as f64, v))
            .collect();
        let tpts: Vec<(i32, i32)> = training
            .iter()
            .enumerate()
            .map(|(i, &v)| lp.pt(i as f64, v))
            .collect();
        marks::line(root, &tpts, &palette::TRAINING, w)?;
        marks::dashed(
            root,
            &qpts,
            &palette::QUEUE,
            w,
            theme.px(8.0),
            theme.px(4.0),
        )?;
        let la = lp.area;
        let labels = vec![
            EndLabel {
                y: lp.y(queue[n]),
                text: pipe_text[0].clone(),
                color: palette::readable(palette::QUEUE),
                bold: true,
            },
            EndLabel {
                y: lp.y(training[n]),
                text: pipe_text[1].clone(),
                color: palette::readable(palette::TRAINING),
                bold: true,
            },
        ];
        marks::end_labels(root, theme, &labels, la.x1 + theme.px(12.0), la.y0, la.y1)?;
        Ok(())
    }
}

//! `levels.png`: the force by level as stacked areas (a fixed colour per
//! level), with the course queue and the people in class in their own panel
//! below: they are not in any level, so stacking them onto the force would
//! overstate it.

use super::Projected;
use crate::engine::Projection;
use crate::format::percent;
use crate::plot::axes::{self, Room, TimeAxis, YAxis};
use crate::plot::describe::{amount, attrition_text, counted_text, team_decimals};
use crate::plot::frame::full_names;
use crate::plot::marks::{self, Corners, EndLabel, Placer, VAlign};
use crate::plot::{
    changes, draw_frame, layout, palette, posts, Canvas, Chart, DrawResult, Frame, Theme,
};
use crate::scenario::Scenario;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub struct LevelsChart<'a>(pub Projected<'a>);

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

/// A level's colour two-thirds of the way to white: its not-yet-qualified people.
fn pale(c: RGBColor) -> RGBColor {
    let m = |v: u8| ((v as u16 + 2 * 255) / 3) as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// "Paler top of a band: not yet qualified (basic: 227 of 1,274 at 2028-03; mentors limited 12 months)".
fn qualification_text(s: &Scenario, p: &Projection) -> Option<String> {
    let last = p.final_row();
    let parts: Vec<String> = s
        .levels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.qualification.is_some())
        .map(|(li, l)| {
            let limited = p
                .rows
                .iter()
                .filter(|r| r.qualification[li].limited)
                .count();
            format!(
                "{}: {} of {} at {}; mentors limited {limited} months",
                l.name,
                crate::format::people(last.qualification[li].unqualified()),
                crate::format::people(last.levels[li]),
                last.month
            )
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "Paler top of a band: not yet qualified ({})",
            parts.join(", ")
        )
    })
}

impl Chart for LevelsChart<'_> {
    fn name(&self) -> &str {
        "levels"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (s, p) = (self.0.scenario, self.0.p);
        let mut sub = vec![attrition_text(s)];
        sub.extend(promotion_text(s));
        sub.extend(qualification_text(s, p));
        sub.push(counted_text(s));
        let mut frame = Frame::new(format!("{} — people by level", s.title), sub, self.0.stamp);
        // Level names in the right margin: shortened to a sixth of the
        // width, with the full names in a note.
        let ss = theme.small_size();
        let names: Vec<String> = s
            .levels
            .iter()
            .map(|l| marks::short_name(&l.name, ss, true, theme.width as i32 / 6))
            .collect();
        let pairs: Vec<(String, String)> = names
            .iter()
            .zip(&s.levels)
            .map(|(n, l)| (n.clone(), l.name.clone()))
            .collect();
        frame.notes = full_names(&pairs);
        let body = draw_frame(root, theme, &frame)?;

        let n = p.rows.len() - 1;
        let axis = TimeAxis::new(p.rows[0].month, s.fy_start_month);
        let last = p.final_row();

        // Right-margin labels decide the margin width; a small team's in tenths.
        let in_levels = last.in_levels();
        let d = team_decimals(last.total);
        let level_text: Vec<String> = s
            .levels
            .iter()
            .zip(&names)
            .zip(&last.levels)
            .map(|((_, name), &v)| {
                let share = if in_levels > 0.0 {
                    format!(" ({}%)", (100.0 * v / in_levels).round())
                } else {
                    String::new()
                };
                format!("{name} {}{share}", amount(v, d))
            })
            .collect();
        let same = counts_only_levels(p);
        let total_text = format!(
            "counted total{} {}",
            if same { "" } else { " (dashed)" },
            amount(last.total, d)
        );
        let pipe_text = [
            format!("queue {}", amount(last.queue(), d)),
            format!("in class {}", amount(last.training_total(), d)),
        ];
        let probe: Vec<EndLabel> = level_text
            .iter()
            .chain(std::iter::once(&total_text))
            .chain(pipe_text.iter())
            .map(|t| EndLabel::new(0, t.clone(), palette::TEXT))
            .collect();
        let right = marks::end_labels_width(theme, &probe);

        // Upper panel: levels; lower panel: queue and training.
        let (upper, lower) = if s.courses.is_empty() {
            (body, None)
        } else {
            // A third of the body, and never less than a readable panel
            // (the layout check's minimum) with its axis and header.
            let keep = (theme.height as f64 * (crate::plot::layout::MIN_PANEL.0 + 0.01)) as i32
                + axes::time_axis_height(theme)
                + (ss * 1.2) as i32
                + theme.px(26.0)
                + theme.px(6.0);
            let lower_h = ((body.height() as f64 * 0.34) as i32).max(keep);
            let (u, l) = body.split_top(body.height() - lower_h);
            (u, Some(l.cut_top(theme.px(26.0))))
        };
        let upper_bottom = if lower.is_some() {
            theme.px(8.0)
        } else {
            axes::time_axis_height(theme)
        };

        let ymax = p
            .rows
            .iter()
            .flat_map(|r| [r.in_levels(), r.total])
            .fold(0.0f64, f64::max);
        let post_lines = posts::stacked(s, p);
        let ymax = ymax.max(posts::top(&post_lines));
        let mut items = posts::legend_items(theme, s, &post_lines);
        items.extend(changes::legend_items(s));
        // Headroom above the stack for the legend, when there is one.
        let head = 1.05 + 0.06 * items.len() as f64;
        let y = YAxis::people(
            axes::nice_ticks(0.0, ymax * head, 7),
            "People in each level",
        );
        let room = Room::new(upper_bottom, right);
        let panel = axes::panel(root, theme, upper, &y, (0.0, n as f64), room)?;
        axes::draw_time_grid(root, &panel, &axis)?;

        // Stacked areas, first level at the bottom.
        let mut base = vec![0.0; p.rows.len()];
        let mut level_labels = Vec::new();
        for (li, text) in level_text.iter().enumerate() {
            let top: Vec<f64> = p
                .rows
                .iter()
                .zip(&base)
                .map(|(r, b)| b + r.levels[li])
                .collect();
            let mut poly = panel.monthly(top.iter().copied());
            poly.extend(panel.monthly(base.iter().copied()).into_iter().rev());
            let color = palette::level(li);
            layout::data_polygon(&poly);
            root.draw(&Polygon::new(poly, color.filled()))?;
            // Not yet qualified: the top of the band, paler.
            if s.levels[li].qualification.is_some() {
                let low: Vec<f64> = p
                    .rows
                    .iter()
                    .zip(&top)
                    .map(|(r, t)| t - r.qualification[li].unqualified())
                    .collect();
                let mut poly = panel.monthly(top.iter().copied());
                poly.extend(panel.monthly(low.iter().copied()).into_iter().rev());
                layout::data_polygon(&poly);
                root.draw(&Polygon::new(poly, pale(color).filled()))?;
            }
            let mid = (top[n] + base[n]) / 2.0;
            let color = palette::readable(color);
            level_labels.push(EndLabel::new(panel.y(mid), text.clone(), color));
            base = top;
        }
        // Thin white boundaries between bands keep neighbouring colours apart.
        let mut cum = vec![0.0; p.rows.len()];
        for li in 0..s.levels.len().saturating_sub(1) {
            for (c, r) in cum.iter_mut().zip(&p.rows) {
                *c += r.levels[li];
            }
            marks::line(
                root,
                &panel.monthly(cum.iter().copied()),
                &palette::WHITE,
                1,
            )?;
        }
        let a = panel.area;
        marks::line(root, &a.hline(a.y1 - 1), &palette::AXIS, 1)?;
        // Labels and the legend keep off the stack, the posts and the change marks.
        let mut placer = Placer::in_panel(a);
        for (i, r) in p.rows.iter().enumerate() {
            let (x, top) = panel.pt(i as f64, r.in_levels().max(r.total));
            placer.block(crate::plot::Rect::new(x - 2, top - 3, x + 3, a.y1));
        }
        posts::draw(root, theme, &panel, &post_lines, &mut placer)?;
        let change_marks =
            changes::draw_marks(root, theme, &panel, &axis, n as f64, s, &mut placer)?;
        if !items.is_empty() {
            let g = theme.px(12.0);
            let at = placer
                .place_legend(theme, &items, Corners::of(a, g))
                .or_else(|| {
                    let (lw, lh) = marks::legend_size(theme, &items);
                    placer.scan(a, lw, lh, theme.px(20.0), g)
                });
            if let Some(r) = at {
                marks::legend(root, theme, &items, (r.x0, r.y0))?;
            }
        }
        changes::draw_labels(root, theme, &change_marks, &mut placer)?;

        // The counted total, dashed when it is not simply the top of the stack.
        let total_pts = panel.monthly(p.rows.iter().map(|r| r.total));
        if same {
            marks::line(root, &total_pts, &palette::TOTAL, theme.px(2.0))?;
        } else {
            let (w, dash, gap) = (theme.px(2.0), theme.px(8.0), theme.px(5.0));
            marks::dashed(root, &total_pts, &palette::TOTAL, w, dash, gap)?;
        }
        let mut labels = vec![EndLabel::new(
            panel.y(last.total),
            total_text,
            palette::TOTAL,
        )];
        labels.extend(level_labels.into_iter().rev());
        let x = a.x1 + theme.px(12.0);
        marks::end_labels(root, theme, &labels, x, a.y0 - theme.px(4.0), a.y1)?;
        let title = axes::fiscal_axis_title(s.fy_start_month);
        let Some(lower) = lower else {
            return axes::draw_time_axis(root, theme, &panel, &axis, &title);
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
        let lower = lower.cut_top((ss * 1.2) as i32);
        let queue: Vec<f64> = p.rows.iter().map(|r| r.queue()).collect();
        let training: Vec<f64> = p.rows.iter().map(|r| r.training_total()).collect();
        let lmax = queue.iter().chain(&training).fold(0.0f64, |a, &b| a.max(b));
        let y = YAxis::people(axes::nice_ticks(0.0, lmax * 1.1, 3), "People");
        // Keep both panels' plotting areas aligned.
        let room = Room::new(axes::time_axis_height(theme), right).aligned(a.x0);
        let lp = axes::panel(root, theme, lower, &y, (0.0, n as f64), room)?;
        axes::draw_time_axis(root, theme, &lp, &axis, &title)?;
        let w = theme.px(2.5);
        let qpts = lp.monthly(queue.iter().copied());
        marks::line(
            root,
            &lp.monthly(training.iter().copied()),
            &palette::TRAINING,
            w,
        )?;
        let (dash, gap) = (theme.px(8.0), theme.px(4.0));
        marks::dashed(root, &qpts, &palette::QUEUE, w, dash, gap)?;
        let la = lp.area;
        let labels = [
            (queue[n], &pipe_text[0], palette::QUEUE),
            (training[n], &pipe_text[1], palette::TRAINING),
        ]
        .map(|(v, t, c)| EndLabel::new(lp.y(v), t.clone(), palette::readable(c)));
        marks::end_labels(root, theme, &labels, la.x1 + theme.px(12.0), la.y0, la.y1)
    }
}

/// Whether the counted total is exactly the people in levels, month by month.
pub fn counts_only_levels(p: &Projection) -> bool {
    p.rows
        .iter()
        .all(|r| (r.total - r.in_levels()).abs() < 1e-6)
}

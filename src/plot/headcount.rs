//! `headcount.png`: the counted total against the milestones. The story in
//! five seconds: the headline says whether the final target is met and by how
//! much; each milestone shows its target (black bar), the projection (green
//! circle = met, vermillion triangle = missed) and the gap between them.

use super::axes::{self, TimeAxis};
use super::marks::{self, LegendItem, Marker, Placer, Swatch, VAlign};
use super::{
    assumptions, draw_frame, palette, Canvas, Chart, Corner, DrawResult, Frame, Rect, Stamp, Theme,
};
use crate::engine::Projection;
use crate::format::{people, signed_people, signed_percent};
use crate::scenario::Scenario;
use crate::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub(super) struct HeadcountChart<'a> {
    pub scenario: &'a Scenario,
    pub p: &'a Projection,
    pub summary: &'a Summary,
    pub stamp: &'a Stamp,
}

/// "Counted: basic + intermediate + advanced (not the school queue or trainees)".
pub fn counted_text(s: &Scenario) -> String {
    let mut parts: Vec<String> = s
        .target
        .levels
        .iter()
        .map(|&l| s.levels[l].name.clone())
        .collect();
    if s.target.queue {
        parts.push("course queues".into());
    }
    if s.target.training {
        parts.push("trainees".into());
    }
    let mut t = format!("Counted: {}", parts.join(" + "));
    let mut not = Vec::new();
    if !s.courses.is_empty() && !s.target.queue {
        not.push("queue");
    }
    if !s.courses.is_empty() && !s.target.training {
        not.push("trainees");
    }
    if !not.is_empty() {
        t.push_str(&format!(" (not {})", not.join(" or ")));
    }
    t
}

/// "Events: +1,100 basic 2023-10".
pub fn events_text(s: &Scenario) -> Option<String> {
    if s.events.is_empty() {
        return None;
    }
    let parts: Vec<String> = s
        .events
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                signed_people(e.change),
                s.levels[e.level].name,
                e.date
            )
        })
        .collect();
    Some(format!("Events: {}", parts.join(", ")))
}

/// The two headline lines and their colour.
fn headline(s: &Scenario, p: &Projection, sm: &Summary) -> (String, String, RGBColor) {
    let Some(last) = sm.milestones.last() else {
        return (
            format!(
                "Final total {} at {} (no milestones set)",
                people(sm.final_total),
                sm.end
            ),
            String::new(),
            palette::TEXT,
        );
    };
    let name = last
        .label
        .clone()
        .unwrap_or_else(|| format!("Target {}", last.date));
    let share = if last.target > 0.0 {
        format!(", {}", signed_percent(last.gap / last.target))
    } else {
        String::new()
    };
    let line1 = if last.met {
        format!(
            "{name} met: {} against {} at {} ({}{share})",
            people(last.projected),
            people(last.target),
            last.date,
            signed_people(last.gap)
        )
    } else {
        format!(
            "{name} missed: {} against {} at {} (short by {}{share})",
            people(last.projected),
            people(last.target),
            last.date,
            people(-last.gap)
        )
    };
    let met = sm.milestones.iter().filter(|m| m.met).count();
    let reach = match sm.first_month_at_final_target {
        Some(m) => format!("{} first reached in {m}", people(last.target)),
        None => format!("{} not reached by {}", people(last.target), s.end),
    };
    let mut line2 = format!("Milestones met: {met} of {} · {reach}", sm.milestones.len());
    if let Some(pace) = pace_text(p, sm) {
        line2.push_str(&format!(" · {pace}"));
    }
    (
        line1,
        line2,
        if last.met {
            palette::MET_TEXT
        } else {
            palette::MISSED_TEXT
        },
    )
}

/// Why the final target is met or missed, as a pace: "since FY2024 plan
/// (2025-03): +243/yr; 4,000 needed +467/yr". Measured from the last met
/// milestone before the final one (or the start), where the plan was last on track.
fn pace_text(p: &Projection, sm: &Summary) -> Option<String> {
    let last = sm.milestones.last()?;
    let earlier = &sm.milestones[..sm.milestones.len() - 1];
    let (from_month, from_total, from_name) = match earlier.iter().rev().find(|m| m.met) {
        Some(m) => (
            m.date,
            m.projected,
            m.label.clone().unwrap_or_else(|| m.date.to_string()),
        ),
        None => (p.rows[0].month, p.rows[0].total, "start".to_string()),
    };
    let months = last.date.since(from_month);
    if months < 12 || !last.projected.is_finite() {
        return None;
    }
    let years = months as f64 / 12.0;
    let got = (last.projected - from_total) / years;
    let need = (last.target - from_total) / years;
    let from = if from_name == "start" {
        format!("from {}", p.rows[0].month)
    } else {
        format!("after {from_name} ({from_month})")
    };
    Some(format!(
        "growth {from}: {}/yr; {} needed {}/yr",
        signed_people(got),
        people(last.target),
        signed_people(need)
    ))
}

impl Chart for HeadcountChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (s, p, sm) = (self.scenario, self.p, self.summary);
        let mut sub = vec![counted_text(s)];
        sub.extend(assumptions(s));
        sub.extend(events_text(s));
        let frame = Frame::new(
            format!("{} — headcount against milestones", s.title),
            sub,
            self.stamp,
        );
        let body = draw_frame(root, theme, &frame)?;

        // Headline above the plot: the answer first.
        let (h1, h2, hcolor) = headline(s, p, sm);
        let ls = theme.label_size();
        let body = marks::headline(root, theme, &h1, true, &hcolor, body)?;
        let body = marks::headline(root, theme, &h2, false, &palette::TEXT, body)?;
        let body = Rect {
            y0: body.y0 + theme.px(8.0),
            ..body
        };

        let r = marks::milestone_radius(theme);
        let n = p.rows.len() - 1;
        let axis = TimeAxis {
            origin: p.rows[0].month,
            fy_start: s.fy_start_month,
        };
        let ymax = p
            .rows
            .iter()
            .map(|r| r.total)
            .chain(s.target.milestones.iter().map(|m| m.headcount))
            .fold(0.0, f64::max);
        let ticks = axes::nice_ticks(0.0, ymax * 1.08, 8);
        let end = p.final_row();
        let end_value = people(end.total);
        let end_date = end.month.to_string();
        let right = marks::measure(root, theme, &end_value, ls, true)
            .0
            .max(marks::measure(root, theme, &end_date, theme.small_size(), false).0)
            + r
            + theme.px(20.0);
        let mut panel = axes::layout(
            root,
            theme,
            body,
            &ticks,
            &axes::people_tick,
            axes::time_axis_height(theme),
            right,
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
            &axes::fiscal_axis_title(s.fy_start_month),
        )?;

        let a = panel.area;
        let mut placer = Placer::new(Rect::new(a.x0 + 4, a.y0 + 2, a.x1 - 4, a.y1 - 4));

        // Reference path: the start joined to each milestone target by straight lines.
        let mut plan: Vec<(i32, i32)> = vec![panel.pt(0.0, p.rows[0].total)];
        plan.extend(
            s.target
                .milestones
                .iter()
                .map(|m| panel.pt(axis.x(m.date), m.headcount)),
        );
        if plan.len() > 1 {
            marks::dashed(
                root,
                &plan,
                &palette::AXIS,
                theme.px(2.0),
                theme.px(3.0),
                theme.px(5.0),
            )?;
            placer.block_path(&plan, theme.px(3.0));
        }

        // The final target as a dashed line across the whole horizon.
        if let Some(m) = s.final_milestone() {
            let y = panel.y(m.headcount);
            marks::dashed(
                root,
                &[(a.x0, y), (a.x1 - 1, y)],
                &palette::MUTED,
                1,
                theme.px(8.0),
                theme.px(6.0),
            )?;
            placer.block(Rect::new(a.x0, y - 2, a.x1, y + 3));
        }

        // The projection.
        let pts: Vec<(i32, i32)> = p
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| panel.pt(i as f64, row.total))
            .collect();
        marks::line(root, &pts, &palette::TOTAL, theme.px(3.0))?;
        placer.block_path(&pts, theme.px(5.0));

        // Where the final target is first reached.
        let mut reached_label = None;
        if let (Some(m), Some(first)) = (s.final_milestone(), sm.first_month_at_final_target) {
            let x = panel.x(axis.x(first));
            let y = panel.y(m.headcount);
            marks::dashed(
                root,
                &[(x, a.y1 - 1), (x, y)],
                &palette::MET,
                theme.px(2.0),
                theme.px(6.0),
                theme.px(4.0),
            )?;
            placer.block(Rect::new(x - 2, y, x + 3, a.y1));
            reached_label = Some((
                (x, y),
                format!("{} first reached {first}", people(m.headcount)),
            ));
        }

        // Milestone marks, then their callouts.
        let mut callouts = Vec::new();
        for m in &sm.milestones {
            if !m.projected.is_finite() {
                continue;
            }
            let x = panel.x(axis.x(m.date));
            let t = (x, panel.y(m.target));
            let pr = (x, panel.y(m.projected));
            for rect in marks::milestone(root, theme, t, pr, m.met)? {
                placer.block(rect.grow(3));
            }
            callouts.push((m, t, pr));
        }

        // Events: a hollow diamond on the line, labelled if there is room.
        let mut event_marks = Vec::new();
        for e in &s.events {
            let i = axis.x(e.date);
            let Some(row) = p.at(e.date) else { continue };
            let c = panel.pt(i, row.total);
            let rect = marks::marker(
                root,
                Marker::Diamond,
                c,
                theme.px(6.0),
                &palette::WHITE,
                &palette::TEXT,
                theme.px(2.0),
            )?;
            placer.block(rect.grow(2));
            let mut label = format!(
                "{} {} ({})",
                signed_people(e.change),
                s.levels[e.level].name,
                e.date
            );
            if let Some(note) = &e.note {
                label.push_str(&format!(": {note}"));
            }
            event_marks.push((c, label));
        }

        // End value in the right margin.
        let (ex, ey) = *pts.last().expect("a projection has rows");
        let lx = a.x1 + r + theme.px(8.0);
        marks::text(
            root,
            theme,
            &end_value,
            ls,
            true,
            &palette::TOTAL,
            (lx, ey),
            HPos::Left,
            VAlign::Middle,
        )?;
        marks::text(
            root,
            theme,
            &end_date,
            theme.small_size(),
            false,
            &palette::MUTED,
            (lx, ey + (ls * 0.55) as i32 + theme.px(4.0)),
            HPos::Left,
            VAlign::Top,
        )?;
        let _ = ex;

        // Legend: first free corner.
        let mut items = vec![LegendItem::new(
            "Projected headcount (expected values)",
            Swatch::Line {
                color: palette::TOTAL,
                width: theme.px(3.0),
                dashed: false,
            },
        )];
        if !sm.milestones.is_empty() {
            items.push(LegendItem::new(
                "Milestone target",
                Swatch::Marker {
                    kind: Marker::Bar,
                    fill: palette::BLACK,
                    outline: palette::BLACK,
                },
            ));
            items.push(LegendItem::new(
                "Projected at milestone: met",
                Swatch::Marker {
                    kind: Marker::Circle,
                    fill: palette::MET,
                    outline: palette::BLACK,
                },
            ));
            items.push(LegendItem::new(
                "Projected at milestone: missed",
                Swatch::Marker {
                    kind: Marker::TriangleDown,
                    fill: palette::MISSED,
                    outline: palette::BLACK,
                },
            ));
            items.push(LegendItem::new(
                "Start and milestones joined by straight lines",
                Swatch::Line {
                    color: palette::AXIS,
                    width: theme.px(2.0),
                    dashed: true,
                },
            ));
        }
        if !s.events.is_empty() {
            items.push(LegendItem::new(
                "Event (one-off change)",
                Swatch::Marker {
                    kind: Marker::Diamond,
                    fill: palette::WHITE,
                    outline: palette::TEXT,
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
        let legend_at = placer.place(lw, lh, corners).or_else(|| {
            // Anywhere free, scanning from the top-left.
            let step = theme.px(20.0);
            let cands: Vec<(i32, i32)> = (0..(a.height() / step))
                .flat_map(|j| {
                    (0..(a.width() / step)).map(move |i| (a.x0 + g + i * step, a.y0 + g + j * step))
                })
                .collect();
            placer.place(lw, lh, cands)
        });

        // Callouts, latest milestone first (the final target matters most).
        let mid = (a.x0 + a.x1) / 2;
        for (m, t, pr) in callouts.iter().rev() {
            let lines = marks::milestone_text(m);
            let (w, h) = marks::callout_size(root, theme, &lines);
            let anchor = (t.0, (t.1 + pr.1) / 2);
            let dirs: &[(i32, i32)] = if t.0 > mid {
                &[(-1, 0), (-1, 1), (-1, -1)]
            } else {
                &[(1, 1), (1, 0), (1, -1)]
            };
            if let Some(rect) = placer.place_near(anchor, w, h, r + theme.px(10.0), dirs) {
                let color = if m.met {
                    palette::MET_TEXT
                } else {
                    palette::MISSED_TEXT
                };
                marks::callout(root, theme, rect, &lines, &color, anchor)?;
            }
        }

        let ss = theme.small_size();
        if let Some((anchor, label)) = reached_label {
            let (w, h) = marks::measure(root, theme, &label, ss, true);
            if let Some(rect) =
                placer.place_near(anchor, w, h, theme.px(8.0), &[(-1, -1), (1, -1), (-1, 1)])
            {
                marks::text(
                    root,
                    theme,
                    &label,
                    ss,
                    true,
                    &palette::MET_TEXT,
                    (rect.x0, rect.y0),
                    HPos::Left,
                    VAlign::Top,
                )?;
            }
        }
        for (c, label) in event_marks {
            let label = marks::fit(root, theme, &label, ss, false, a.width() / 2);
            let (w, h) = marks::measure(root, theme, &label, ss, false);
            if let Some(rect) =
                placer.place_near(c, w, h, theme.px(10.0), &[(-1, -1), (1, 1), (-1, 0)])
            {
                let nx = c.0.clamp(rect.x0, rect.x1);
                let ny = c.1.clamp(rect.y0, rect.y1);
                marks::line(root, &[(nx, ny), c], &palette::AXIS, 1)?;
                marks::text(
                    root,
                    theme,
                    &label,
                    ss,
                    false,
                    &palette::TEXT,
                    (rect.x0, rect.y0),
                    HPos::Left,
                    VAlign::Top,
                )?;
            }
        }
        if let Some(rect) = legend_at {
            marks::legend(root, theme, &items, (rect.x0, rect.y0))?;
        }
        Ok(())
    }
}

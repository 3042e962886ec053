//! `headcount.png`: the counted total against the milestones. The story in
//! five seconds: the headline says whether the final target is met and by how
//! much; each milestone shows its target (black bar), the projection (green
//! circle = met, vermillion triangle = missed) and the gap between them.

use super::Projected;
use crate::engine::Projection;
use crate::format::{people, signed_people, signed_percent};
use crate::plot::axes::{self, TimeAxis};
use crate::plot::describe::{
    amount, assumptions, counted_text, decimals_for, events_text, signed_amount,
};
use crate::plot::marks::{self, Corners, LegendItem, Marker, Placer, Swatch, VAlign};
use crate::plot::{
    changes, draw_frame, observed, palette, Canvas, Chart, DrawResult, Frame, Rect, Theme,
};
use crate::scenario::Scenario;
use crate::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub struct HeadcountChart<'a>(pub Projected<'a>);

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
    let d = small_decimals(last.target, last.gap);
    let line1 = if last.met {
        format!(
            "{name} met: {} against {} at {} ({}{share})",
            amount(last.projected, d),
            amount(last.target, d),
            last.date,
            signed_amount(last.gap, d)
        )
    } else {
        format!(
            "{name} missed: {} against {} at {} (short by {}{share})",
            amount(last.projected, d),
            amount(last.target, d),
            last.date,
            amount(-last.gap, d)
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
    (line1, line2, palette::status_text(last.met))
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
    let d = small_decimals(
        last.target,
        got.abs()
            .min(need.abs())
            .max(got.abs().max(need.abs()) / 10.0),
    );
    Some(format!(
        "growth {from}: {}/yr; {} needed {}/yr",
        signed_amount(got, d),
        people(last.target),
        signed_amount(need, d)
    ))
}

/// Digits for amounts of a small team (target under 100): enough to show
/// `diff` (tenths for a team growing by 0.2 a year); whole people otherwise.
fn small_decimals(target: f64, diff: f64) -> usize {
    if target.abs() < 100.0 {
        decimals_for(diff).max(decimals_for(target.abs() / 10.0))
    } else {
        0
    }
}

impl Chart for HeadcountChart<'_> {
    fn name(&self) -> &str {
        "headcount"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (s, p, sm) = (self.0.scenario, self.0.p, self.0.summary);
        let mut sub = vec![counted_text(s)];
        sub.extend(assumptions(s));
        sub.extend(events_text(s));
        // The answer first.
        let (h1, h2, hcolor) = headline(s, p, sm);
        let title = format!("{} — headcount against milestones", s.title);
        let frame = Frame::new(title, sub, self.0.stamp)
            .headline(h1, hcolor)
            .note(h2);
        let body = draw_frame(root, theme, &frame)?;
        let ls = theme.label_size();

        let r = marks::milestone_radius(theme);
        let n = p.rows.len() - 1;
        let axis = TimeAxis::new(p.rows[0].month, s.fy_start_month);
        let ymax = p
            .rows
            .iter()
            .map(|r| r.total)
            .chain(s.target.milestones.iter().map(|m| m.headcount))
            .chain([observed::top(&s.observed)])
            .fold(0.0, f64::max);
        let end = p.final_row();
        let end_value = amount(end.total, small_decimals(end.total, end.total / 10.0));
        let end_date = end.month.to_string();
        let right = marks::text_size(&end_value, ls, true)
            .0
            .max(marks::text_size(&end_date, theme.small_size(), false).0)
            + r
            + theme.px(20.0);
        let panel = axes::headcount_panel(root, theme, body, ymax * 1.08, &axis, n as f64, right)?;
        let a = panel.area;
        let mut placer = Placer::in_panel(a);

        // Reference path: the start joined to each milestone target by straight lines.
        let mut plan: Vec<(i32, i32)> = vec![panel.pt(0.0, p.rows[0].total)];
        plan.extend(
            s.target
                .milestones
                .iter()
                .map(|m| panel.pt(axis.x(m.date), m.headcount)),
        );
        if plan.len() > 1 {
            let (w, dash, gap) = (theme.px(2.0), theme.px(3.0), theme.px(5.0));
            marks::dashed(root, &plan, &palette::AXIS, w, dash, gap)?;
            placer.block_path(&plan, theme.px(3.0));
        }

        // The final target as a dashed line across the whole horizon.
        if let Some(m) = s.final_milestone() {
            let y = panel.y(m.headcount);
            let (dash, gap) = (theme.px(8.0), theme.px(6.0));
            marks::dashed(root, &a.hline(y), &palette::MUTED, 1, dash, gap)?;
            placer.block(Rect::new(a.x0, y - 2, a.x1, y + 3));
        }

        // The projection.
        let pts = panel.monthly(p.rows.iter().map(|row| row.total));
        marks::line(root, &pts, &palette::TOTAL, theme.px(3.0))?;
        placer.block_path(&pts, theme.px(5.0));
        observed::draw(
            root,
            theme,
            &panel,
            &axis,
            n as f64,
            &s.observed,
            &mut placer,
        )?;

        // Where the final target is first reached.
        let mut reached_label = None;
        if let (Some(m), Some(first)) = (s.final_milestone(), sm.first_month_at_final_target) {
            let x = panel.x(axis.x(first));
            let y = panel.y(m.headcount);
            let (w, dash, gap) = (theme.px(2.0), theme.px(6.0), theme.px(4.0));
            marks::dashed(root, &[(x, a.y1 - 1), (x, y)], &palette::MET, w, dash, gap)?;
            placer.block(Rect::new(x - 2, y, x + 3, a.y1));
            let label = format!("{} first reached {first}", people(m.headcount));
            reached_label = Some(((x, y), label));
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
            let Some(row) = p.at(e.date) else { continue };
            let c = panel.pt(axis.x(e.date), row.total);
            let (size, w) = (theme.px(6.0), theme.px(2.0));
            let (fill, edge) = (palette::WHITE, palette::TEXT);
            let rect = marks::marker(root, Marker::Diamond, c, size, &fill, &edge, w)?;
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

        let change_marks =
            changes::draw_marks(root, theme, &panel, &axis, n as f64, s, &mut placer)?;

        // End value in the right margin.
        let ey = pts.last().expect("a projection has rows").1;
        let lx = a.x1 + r + theme.px(8.0);
        let ss = theme.small_size();
        let date_y = ey + (ls * 0.5) as i32 + (ss * 0.3) as i32 + theme.px(2.0);
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
            ss,
            false,
            &palette::MUTED,
            (lx, date_y),
            HPos::Left,
            VAlign::Top,
        )?;

        // Legend: first free corner, else anywhere free.
        let items = legend_items(theme, s, sm);
        let g = theme.px(12.0);
        let legend_at = placer
            .place_legend(theme, &items, Corners::of(a, g))
            .or_else(|| {
                let (lw, lh) = marks::legend_size(theme, &items);
                placer.scan(a, lw, lh, theme.px(20.0), g)
            });

        // Callouts, latest milestone first (the final target matters most).
        let mid = (a.x0 + a.x1) / 2;
        for (m, t, pr) in callouts.iter().rev() {
            let lines = marks::milestone_text(m);
            let (w, h) = marks::callout_size(theme, &lines);
            let anchor = (t.0, (t.1 + pr.1) / 2);
            let dirs: &[(i32, i32)] = if t.0 > mid {
                &[(-1, 0), (-1, 1), (-1, -1)]
            } else {
                &[(1, 1), (1, 0), (1, -1)]
            };
            if let Some(rect) = placer.place_near(anchor, w, h, r + theme.px(10.0), dirs) {
                let color = palette::status_text(m.met);
                marks::callout(root, theme, rect, &lines, &color, anchor)?;
            }
        }

        if let Some((anchor, label)) = reached_label {
            let dirs = [(-1, -1), (1, -1), (-1, 1)];
            if let Some(rc) = placer.place_text(&label, ss, true, anchor, theme.px(8.0), &dirs) {
                marks::label(root, theme, &label, ss, true, &palette::MET_TEXT, rc)?;
            }
        }
        // Event labels wrap (never cut) to half the panel's width.
        for (c, label) in event_marks {
            let lines = marks::wrap(&[label], " ", ss, false, a.width() / 2);
            let (w, h) = marks::lines_size(&lines, ss, false);
            let dirs = [(-1, -1), (1, 1), (-1, 0)];
            if let Some(rc) = placer.place_near(c, w, h, theme.px(10.0), &dirs) {
                marks::leader(root, rc, c, -1)?;
                marks::lines(root, theme, &lines, ss, false, &palette::TEXT, rc)?;
            }
        }
        changes::draw_labels(root, theme, &change_marks, &mut placer)?;
        if let Some(rect) = legend_at {
            marks::legend(root, theme, &items, (rect.x0, rect.y0))?;
        }
        Ok(())
    }
}

/// The legend: the line, and the milestone and event marks when there are any.
fn legend_items(theme: &Theme, s: &Scenario, sm: &Summary) -> Vec<LegendItem> {
    let mut items = vec![LegendItem::new(
        "Projected headcount (expected values)",
        Swatch::line(palette::TOTAL, theme.px(3.0)),
    )];
    if !sm.milestones.is_empty() {
        let (met, missed) = (palette::MET, palette::MISSED);
        items.extend([
            LegendItem::new("Milestone target", Swatch::TARGET),
            LegendItem::new(
                "Projected at milestone: met",
                Swatch::marker(Marker::Circle, met, palette::BLACK),
            ),
            LegendItem::new(
                "Projected at milestone: missed",
                Swatch::marker(Marker::TriangleDown, missed, palette::BLACK),
            ),
            LegendItem::new(
                "Start and milestones joined by straight lines",
                Swatch::dashed(palette::AXIS, theme.px(2.0)),
            ),
        ]);
    }
    if !s.events.is_empty() {
        let hollow = Swatch::marker(Marker::Diamond, palette::WHITE, palette::TEXT);
        items.push(LegendItem::new("Event (one-off change)", hollow));
    }
    items.extend(changes::legend_items(s));
    items.extend(observed::legend_items(&s.observed));
    items
}

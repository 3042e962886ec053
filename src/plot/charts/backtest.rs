//! `backtest.png`, written by `calibrate`: the published figures against the
//! projection with the fitted values. The fit window is plain, the hold-out
//! (after `--until`) shaded and its points drawn in another colour; counts are
//! filled squares, plans hollow; every point has a bar of ±sd. The subtitle
//! lists the fitted values ±SE; the headline says how the hold-out fared.

use crate::calibrate::{value_pm, Calibration, Role};
use crate::engine::Projection;
use crate::format::{people, signed_people};
use crate::plot::axes::{self, TimeAxis};
use crate::plot::describe::counted_text;
use crate::plot::marks::{self, Corners, LegendItem, Marker, Placer, Swatch, VAlign};
use crate::plot::{draw_frame, observed, palette, Canvas, Chart, DrawResult, Frame, Stamp, Theme};
use crate::scenario::{ObservedKind, Scenario};
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub struct BacktestChart<'a> {
    /// The scenario with the fitted values set.
    pub scenario: &'a Scenario,
    pub calibration: &'a Calibration,
    /// Its projection.
    pub p: &'a Projection,
    pub stamp: &'a Stamp,
}

/// Colour of a point by its role: fitted, held out, or shown only.
fn role_color(role: Role) -> RGBColor {
    match role {
        Role::Fit => observed::COLOR,
        Role::Holdout => palette::VERMILLION,
        Role::Shown => palette::AXIS,
    }
}

const SHADE: RGBColor = palette::ORANGE;

fn headline(c: &Calibration) -> (String, RGBColor) {
    let held: Vec<_> = c
        .points
        .iter()
        .filter(|p| p.role == Role::Holdout)
        .collect();
    if held.is_empty() {
        let within = c
            .points
            .iter()
            .filter(|p| p.in_fit && p.z.abs() <= 1.0)
            .count();
        let n = c.points.iter().filter(|p| p.in_fit).count();
        return (
            format!(
                "Fitted to {n} published figures {}..{}: {within} of {n} within their sd · RMSE {} people · no hold-out (give --until for a back-test)",
                c.fit_from,
                c.fit_to,
                people(c.rmse_fit)
            ),
            palette::TEXT,
        );
    }
    let within = held.iter().filter(|p| p.z.abs() <= 1.0).count();
    let parts: Vec<String> = held
        .iter()
        .map(|p| {
            format!(
                "{} {} predicted {} against {} ± {} ({})",
                p.date,
                match p.kind {
                    ObservedKind::Count => "count",
                    ObservedKind::Plan => "plan",
                },
                people(p.fitted),
                people(p.observed),
                people(p.sd),
                signed_people(p.residual)
            )
        })
        .collect();
    let color = palette::status_text(within == held.len());
    (
        format!(
            "Back-test: {within} of {} held-out figures within their sd · {}",
            held.len(),
            parts.join(" · ")
        ),
        color,
    )
}

impl Chart for BacktestChart<'_> {
    fn name(&self) -> &str {
        "backtest"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (s, c, p) = (self.scenario, self.calibration, self.p);
        let values: Vec<String> = c
            .parameters
            .iter()
            .map(|q| {
                let bound = if q.at_bound { " (at bound)" } else { "" };
                format!("{} = {}{bound}", q.path, value_pm(q.fitted, q.se))
            })
            .collect();
        let mut sub = vec![format!(
            "Fitted to the {} dated {}..{} by weighted least squares: {}",
            match c.use_kinds {
                crate::calibrate::Use::Counts => "counts",
                crate::calibrate::Use::All => "counts and plans",
            },
            c.fit_from,
            c.fit_to,
            values.join(", ")
        )];
        let mut fit = format!(
            "chi-square {:.2} on {} dof · RMSE fitted {} people",
            c.chi2,
            c.dof,
            people(c.rmse_fit)
        );
        if let Some(h) = c.rmse_holdout {
            fit.push_str(&format!(", held out {} people", people(h)));
        }
        sub.push(fit);
        sub.push(counted_text(s));
        let (h, hcolor) = headline(c);
        let title = format!("{} — back-test against published figures", s.title);
        let frame = Frame::new(title, sub, self.stamp).headline(h, hcolor);
        let body = draw_frame(root, theme, &frame)?;

        // Show the history and a year past the last figure, not the whole horizon.
        let origin = p.rows[0].month;
        let last = c.points.iter().map(|q| q.date).max().unwrap_or(origin);
        let end = last.plus(12).min(p.final_row().month);
        let axis = TimeAxis::new(origin, s.fy_start_month);
        let n = axis.x(end);
        let rows = &p.rows[..=(n as usize).min(p.rows.len() - 1)];
        let ymax = rows
            .iter()
            .map(|r| r.total)
            .chain(c.points.iter().map(|q| q.observed + q.sd))
            .chain(c.points.iter().map(|q| q.fitted))
            .fold(0.0, f64::max);
        let panel =
            axes::headcount_panel(root, theme, body, ymax * 1.08, &axis, n, theme.px(16.0))?;
        let a = panel.area;
        let mut placer = Placer::in_panel(a);
        let ss = theme.small_size();

        // The hold-out period, shaded, and the two periods named at the top.
        let split = c.until.map(|u| axis.x(u).clamp(0.0, n));
        let split_x = split.map(|x| panel.x(x));
        if let Some(x) = split_x {
            root.draw(&Rectangle::new(
                [(x, a.y0), (a.x1, a.y1)],
                SHADE.mix(0.12).filled(),
            ))?;
            let (w, dash, gap) = (theme.px(2.0), theme.px(6.0), theme.px(4.0));
            marks::dashed(root, &[(x, a.y0), (x, a.y1)], &palette::MUTED, w, dash, gap)?;
        }
        let top = a.y0 + theme.px(8.0);
        let fit_right = split_x.unwrap_or(a.x1);
        let fit_text = format!("fit window (to {})", c.until.unwrap_or(c.fit_to));
        // A fit window too narrow for its name (held out from the first
        // figure on) is named under the hold-out's, pointing back to it.
        let room = fit_right - a.x0 - 2 * theme.px(8.0);
        let (fit_text, at, pos) = match split_x {
            Some(x) if marks::text_size(&fit_text, ss, true).0 > room => (
                format!("← {fit_text}"),
                (x + theme.px(8.0), top + (ss * 1.3) as i32),
                HPos::Left,
            ),
            _ => (fit_text, (fit_right - theme.px(8.0), top), HPos::Right),
        };
        let r = marks::text(
            root,
            theme,
            &fit_text,
            ss,
            true,
            &observed::COLOR,
            at,
            pos,
            VAlign::Top,
        )?;
        placer.block(r.grow(3));
        if let Some(x) = split_x {
            let r = marks::text(
                root,
                theme,
                "hold-out: predicted, not fitted",
                ss,
                true,
                &palette::MISSED_TEXT,
                (x + theme.px(8.0), top),
                HPos::Left,
                VAlign::Top,
            )?;
            placer.block(r.grow(3));
        }

        // The fitted projection.
        let pts = panel.monthly(rows.iter().map(|r| r.total));
        marks::line(root, &pts, &palette::TOTAL, theme.px(3.0))?;
        placer.block_path(&pts, theme.px(5.0));

        // The published figures with their sd, and where the model put them.
        let mut labels = Vec::new();
        for q in &c.points {
            let x = axis.x(q.date);
            if !(0.0..=n).contains(&x) {
                continue;
            }
            let o = crate::scenario::Observation {
                date: q.date,
                headcount: q.observed,
                kind: q.kind,
                sd: q.sd,
                level: None,
                source: None,
                label: q.label.clone(),
            };
            let rect = observed::point(root, theme, &panel, x, &o, role_color(q.role))?;
            placer.block(rect.grow(2));
            let fitted = panel.pt(x, q.fitted);
            let rm = marks::marker(
                root,
                Marker::Circle,
                fitted,
                theme.px(3.0),
                &palette::WHITE,
                &palette::TOTAL,
                theme.px(2.0),
            )?;
            placer.block(rm.grow(1));
            let name = q.label.clone().unwrap_or_else(|| q.date.to_string());
            labels.push((
                panel.pt(x, q.observed),
                format!(
                    "{name}: {}, model {} ({})",
                    people(q.observed),
                    people(q.fitted),
                    signed_people(q.residual)
                ),
                q.role,
            ));
        }
        for (anchor, text, role) in labels.iter().rev() {
            let dirs = [(1, 1), (-1, 1), (1, -1), (-1, -1)];
            let color = palette::readable(role_color(*role));
            if let Some(rc) = placer.place_text(text, ss, false, *anchor, theme.px(14.0), &dirs) {
                marks::leader(root, rc, *anchor, -1)?;
                marks::label(root, theme, text, ss, false, &color, rc)?;
            }
        }

        let mut items = vec![
            LegendItem::new(
                "Projection with the fitted values",
                Swatch::line(palette::TOTAL, theme.px(3.0)),
            ),
            LegendItem::new(
                "Model at a published figure's date",
                Swatch::marker(Marker::Circle, palette::WHITE, palette::TOTAL),
            ),
        ];
        for (role, kind, text) in [
            (Role::Fit, ObservedKind::Count, "Count ± sd, fitted"),
            (Role::Fit, ObservedKind::Plan, "Plan ± sd, fitted"),
            (
                Role::Holdout,
                ObservedKind::Count,
                "Count ± sd, held out (predicted)",
            ),
            (
                Role::Holdout,
                ObservedKind::Plan,
                "Plan ± sd, held out (predicted)",
            ),
            (Role::Shown, ObservedKind::Count, "Count ± sd, not used"),
            (
                Role::Shown,
                ObservedKind::Plan,
                "Plan ± sd, shown only (a target, not a count)",
            ),
        ] {
            if c.points.iter().any(|q| q.role == role && q.kind == kind) {
                let col = role_color(role);
                let fill = if kind == ObservedKind::Count {
                    col
                } else {
                    palette::WHITE
                };
                items.push(LegendItem::new(
                    text,
                    Swatch::marker(Marker::Square, fill, col),
                ));
            }
        }
        if split.is_some() {
            let shade = blend(SHADE, 0.12);
            items.push(LegendItem::new(
                "Hold-out period (after --until)",
                Swatch::Area(shade),
            ));
        }
        marks::legend_at(
            root,
            theme,
            &mut placer,
            &items,
            Corners::of(a, theme.px(12.0)),
        )?;
        Ok(())
    }
}

/// `top` at opacity `alpha` over white: the colour a translucent area shows.
fn blend(top: RGBColor, alpha: f64) -> RGBColor {
    let m = |t: u8| (t as f64 * alpha + 255.0 * (1.0 - alpha)).round() as u8;
    RGBColor(m(top.0), m(top.1), m(top.2))
}

//! `tornado.png`: how far the metric moves when each parameter is moved
//! down and up, largest swing at the top.

use super::Planning;
use crate::format::{people, percent, thousands, value_label, whole_percent};
use crate::goal::sensitivity::{Row, Sensitivity};
use crate::goal::{Goal, Metric};
use crate::plot::axes::{self, Panel};
use crate::plot::levers;
use crate::plot::marks::{self, LegendItem, Placer, Swatch, VAlign};
use crate::plot::Theme;
use crate::plot::{assumptions, draw_frame, layout, palette, Canvas, Chart, DrawResult, Frame, Rect};
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// Most parameters drawn; the rest are in `sensitivity.csv`.
pub const MAX_BARS: usize = 20;

/// The swings of a `sensitivity` analysis.
pub struct TornadoChart<'a> {
    pub sens: &'a Sensitivity,
    pub on: Planning<'a>,
}

impl TornadoChart<'_> {
    fn show(&self, x: f64) -> String {
        match self.sens.metric {
            Metric::Probability => percent(x),
            _ => people(x),
        }
    }

    fn frame(&self) -> Frame {
        let (s, sens) = (&self.on.loaded.scenario, self.sens);
        let d = whole_percent(sens.delta);
        let what = self.on.metric_text(sens.metric);
        let mut sub = vec![
            format!(
                "Each parameter moved down and up by {d} of its configured value (clamped to its valid range), one at a time, everything else as configured"
            ),
            format!("baseline {}", self.show(sens.baseline)),
        ];
        sub.extend(self.on.runs_text(sens.metric, "bar end", "for every bar"));
        let moving = sens.rows.iter().filter(|r| r.swing > 0.0).count();
        let flat = sens.rows.len() - moving;
        if moving > MAX_BARS {
            sub.push(format!("{} smaller swings not drawn", moving - MAX_BARS));
        }
        if flat > 0 {
            sub.push(format!(
                "{flat} parameter{} with no effect (or a value of 0) not drawn; all are in sensitivity.csv",
                if flat == 1 { "" } else { "s" }
            ));
        }
        sub.extend(assumptions(s));
        let title = format!("Which assumption matters most? The {what}, each parameter ±{d}");
        Frame::new(title, sub, &self.on.stamp(sens.metric))
    }
}

impl Chart for TornadoChart<'_> {
    fn name(&self) -> &str {
        "tornado"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let body = draw_frame(root, theme, &self.frame())?;
        let sens = self.sens;
        let (s, goal) = (&self.on.loaded.scenario, self.on.goal);
        let rows: Vec<&Row> = sens
            .rows
            .iter()
            .filter(|r| r.swing > 0.0)
            .take(MAX_BARS)
            .collect();
        let n = rows.len().max(1);
        let base = sens.baseline;
        let probability = sens.metric == Metric::Probability;
        let target = match (sens.metric, goal) {
            (Metric::FinalTotal, Some(g)) if g.date == s.end => Some(g.headcount),
            _ => None,
        };
        let (lo, hi) = rows
            .iter()
            .flat_map(|r| [r.metric_low, r.metric_high])
            .chain([base])
            .chain(target)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        // Room at both ends for the value labels at the bar ends.
        let pad = 0.2 * (hi - lo).max(if probability { 0.01 } else { 1.0 });
        let (lo, hi) = if probability {
            ((lo - pad).max(0.0), (hi + pad).min(1.0))
        } else {
            (lo - pad, hi + pad)
        };

        let ss = theme.small_size();
        let name_w = rows
            .iter()
            .map(|r| marks::text_size(&r.path, ss, true).0)
            .max()
            .unwrap_or(0);
        let left = name_w + theme.px(16.0);
        let area = Rect::new(
            body.x0 + left,
            body.y0 + theme.px(6.0),
            body.x1 - theme.px(16.0),
            body.y1 - levers::x_axis_height(theme),
        );
        let panel = Panel {
            area,
            x: (lo, hi),
            y: (-0.5, n as f64 - 0.5),
        };
        let xt = if probability {
            levers::value_ticks(lo, hi, 8)
        } else {
            axes::nice_ticks(lo, hi, 8)
        };
        let xd = levers::step_decimals(xt.step);
        let fmt = |v: f64| {
            if probability {
                percent(v)
            } else {
                thousands(v, xd)
            }
        };
        let x_title = if probability {
            format!(
                "Chance of meeting {}",
                goal.map_or(String::new(), Goal::describe)
            )
        } else {
            format!("Expected total at {} (people)", s.end)
        };
        levers::draw_x_axis(root, theme, &panel, &xt, &fmt, &x_title)?;
        layout::panel(area);
        let mut placer = Placer::in_panel(area);

        let row_h = area.height() as f64 / n as f64;
        let half = (0.34 * row_h).round() as i32;
        let bx = panel.x(base);
        for (k, r) in rows.iter().enumerate() {
            // Largest swing at the top.
            let cy = area.y0 + ((k as f64 + 0.5) * row_h).round() as i32;
            let mut bars = [
                (r.metric_low, r.low, palette::BLUE),
                (r.metric_high, r.high, palette::ORANGE),
            ];
            // The longer bar first, so a shorter one on the same side stays visible.
            bars.sort_by(|a, b| (b.0 - base).abs().total_cmp(&(a.0 - base).abs()));
            for (m, _, colour) in bars {
                let x = panel.x(m);
                let rc = Rect::new(bx.min(x), cy - half, bx.max(x) + 1, cy + half);
                layout::data(rc);
                root.draw(&Rectangle::new(
                    [(rc.x0, rc.y0), (rc.x1, rc.y1)],
                    colour.filled(),
                ))?;
                placer.block(rc);
            }
            for (m, v, _) in bars {
                let x = panel.x(m);
                let right = m >= base;
                let text = format!("{} → {}", value_label(v), self.show(m));
                let (tx, anchor) = if right {
                    (x + theme.px(6.0), HPos::Left)
                } else {
                    (x - theme.px(6.0), HPos::Right)
                };
                let rc = marks::text(
                    root,
                    theme,
                    &text,
                    ss,
                    false,
                    &palette::MUTED,
                    (tx, cy),
                    anchor,
                    VAlign::Middle,
                )?;
                placer.block(rc);
            }
            // The name (bold) and, when the rows have room for a second
            // line, the configured value, right-aligned left of the panel.
            let nx = area.x0 - theme.px(12.0);
            let two_lines = row_h >= 1.05 * (ss + theme.footer_size());
            let name_y = if two_lines {
                cy - (ss * 0.42) as i32
            } else {
                cy
            };
            marks::text(
                root,
                theme,
                &r.path,
                ss,
                true,
                &palette::TEXT,
                (nx, name_y),
                HPos::Right,
                VAlign::Middle,
            )?;
            if two_lines {
                marks::text(
                    root,
                    theme,
                    &format!("configured {}", value_label(r.value)),
                    theme.footer_size(),
                    false,
                    &palette::MUTED,
                    (nx, cy + (ss * 0.55) as i32),
                    HPos::Right,
                    VAlign::Middle,
                )?;
            }
        }
        let bl = area.vline(bx);
        marks::line(root, &bl, &palette::BLACK, theme.px(2.0))?;
        placer.block_path(&bl, theme.px(2.0));
        let mut items = vec![
            LegendItem::new(
                format!("parameter −{}", whole_percent(sens.delta)),
                Swatch::Area(palette::BLUE),
            ),
            LegendItem::new(
                format!("parameter +{}", whole_percent(sens.delta)),
                Swatch::Area(palette::ORANGE),
            ),
            LegendItem::new(
                format!("baseline {}", self.show(base)),
                Swatch::line(palette::BLACK, theme.px(2.0)),
            ),
        ];
        if let (Some(t), Some(g)) = (target, goal) {
            marks::target_line(root, theme, &mut placer, &area.vline(panel.x(t)))?;
            let label = format!("target: {}", g.describe());
            items.push(LegendItem::new(label, marks::target_swatch(theme)));
        }
        marks::legend_in_corner(root, theme, &mut placer, &items)
    }
}

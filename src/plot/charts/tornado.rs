//! `tornado.png`: how far the metric moves when each parameter is moved
//! down and up, largest swing at the top.

use super::Planning;
use crate::format::{percent, thousands, value_label, whole_percent};
use crate::goal::sensitivity::{Row, Sensitivity};
use crate::goal::{Goal, Metric};
use crate::plot::axes::{self, Panel};
use crate::plot::describe::{amount, decimals_for};
use crate::plot::frame::{self, full_names};
use crate::plot::levers;
use crate::plot::marks::{self, LegendItem, Placer, Swatch, VAlign};
use crate::plot::Theme;
use crate::plot::{
    assumptions, draw_frame, layout, palette, Canvas, Chart, DrawResult, Frame, Rect,
};
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
            _ => amount(x, self.decimals()),
        }
    }

    /// Digits that show the smallest drawn swing from the baseline (a bar
    /// ending at 6.55 against a baseline of 6.4 reads "6.6", not "7").
    fn decimals(&self) -> usize {
        let base = self.sens.baseline;
        let least = self
            .sens
            .rows
            .iter()
            .filter(|r| r.swing > 0.0)
            .take(MAX_BARS)
            .flat_map(|r| [(r.metric_low - base).abs(), (r.metric_high - base).abs()])
            .filter(|d| *d > 0.0)
            .fold(f64::INFINITY, f64::min);
        decimals_for(least)
    }

    /// Rows drawn: at most [`MAX_BARS`], and no more than a share of the canvas
    /// height (0.4 at full size) holds at one line of text each (the rest are in sensitivity.csv).
    fn max_rows(theme: &Theme) -> usize {
        let row = marks::text_height(theme.small_size()) as f64 * 1.2;
        // Small canvases keep their fonts, so the frame takes more of them.
        let share = 0.25 + 0.15 * theme.scale.min(1.0);
        ((theme.height as f64 * share / row) as usize).clamp(3, MAX_BARS)
    }

    /// Rows drawn: [`Self::max_rows`], fewer when the note of full names
    /// needs more than its usual room (long names on a small canvas).
    fn rows_drawn(&self, theme: &Theme) -> usize {
        let row = marks::text_height(theme.small_size()) as f64 * 1.2;
        let mut rows = Self::max_rows(theme);
        while rows > 3 {
            let notes = layout::unrecorded(|| full_names(&self.pairs(theme, rows)));
            if let Some(extra) = frame::notes_overflow(theme, &notes) {
                if rows as f64 * row <= Self::max_rows(theme) as f64 * row - extra as f64 {
                    break;
                }
            }
            rows -= 1;
        }
        rows
    }

    /// (shortened, full) for every path of the first `rows` drawn rows.
    fn pairs(&self, theme: &Theme, rows: usize) -> Vec<(String, String)> {
        let ss = theme.small_size();
        self.sens
            .rows
            .iter()
            .filter(|r| r.swing > 0.0)
            .take(rows)
            .filter_map(|r| self.short_path(&r.path, ss, theme).1)
            .collect()
    }

    fn frame(&self, theme: &Theme) -> Frame {
        let max_rows = self.rows_drawn(theme);
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
        // Whole-number parameters whose move rounds back to their value
        // (±20 % of an initial stock of 1 is still 1) say so by name.
        let rounded: Vec<String> = sens
            .rows
            .iter()
            .filter(|r| r.low == r.value && r.high == r.value && r.value != 0.0)
            .map(|r| format!("{} = {}", r.path, value_label(r.value)))
            .collect();
        if !rounded.is_empty() {
            sub.push(format!(
                "not drawn, as ±{d} rounds back to the same whole number: {}",
                rounded.join(", ")
            ));
        }
        let moving = sens.rows.iter().filter(|r| r.swing > 0.0).count();
        let flat = sens.rows.len() - moving;
        if moving > max_rows {
            sub.push(format!("{} smaller swings not drawn", moving - max_rows));
        }
        let flat = flat.saturating_sub(rounded.len());
        if flat > 0 {
            sub.push(format!(
                "{flat} parameter{} with no effect (or a value of 0) not drawn; all are in sensitivity.csv",
                if flat == 1 { "" } else { "s" }
            ));
        }
        sub.extend(assumptions(s));
        let title = format!("Which assumption matters most? The {what}, each parameter ±{d}");
        let mut frame = Frame::new(title, sub, &self.on.stamp(sens.metric));
        frame.notes = full_names(&self.pairs(theme, max_rows));
        frame
    }
}

impl TornadoChart<'_> {
    /// `levels.<name>.attrition` with a long name shortened (see
    /// [`marks::short_name`]) so the whole path fits a quarter of the width.
    fn short_path(
        &self,
        path: &str,
        size: f64,
        theme: &Theme,
    ) -> (String, Option<(String, String)>) {
        let max = theme.width as i32 / 4;
        if marks::text_size(path, size, true).0 <= max {
            return (path.to_string(), None);
        }
        let parts: Vec<&str> = path.split('.').collect();
        let Some(longest) = (0..parts.len()).max_by_key(|&i| parts[i].len()) else {
            return (path.to_string(), None);
        };
        let rest: usize = parts
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != longest)
            .map(|(_, p)| marks::text_size(&format!("{p}."), size, true).0 as usize)
            .sum();
        let room = max - rest as i32;
        let mut out: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
        out[longest] = marks::short_name(parts[longest], size, true, room.max(size as i32 * 3));
        let pair = (out[longest].clone(), parts[longest].to_string());
        // After a cut name the path goes on after a space, not a ".": "….attrition" reads as a typo.
        let mut text = out[..=longest].join(".");
        if longest + 1 < out.len() && out[longest] != parts[longest] {
            text.push(' ');
            text.push_str(&out[longest + 1..].join("."));
        } else if longest + 1 < out.len() {
            text.push('.');
            text.push_str(&out[longest + 1..].join("."));
        }
        (text, Some(pair))
    }
}

impl Chart for TornadoChart<'_> {
    fn name(&self) -> &str {
        "tornado"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let body = draw_frame(root, theme, &self.frame(theme))?;
        let sens = self.sens;
        let (s, goal) = (&self.on.loaded.scenario, self.on.goal);
        let rows: Vec<&Row> = sens
            .rows
            .iter()
            .filter(|r| r.swing > 0.0)
            .take(self.rows_drawn(theme))
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
        // Parameter paths name levels, inflows and courses; a long name is
        // shortened to fit a quarter of the width (the subtitle's assumptions
        // name them in full).
        let names: Vec<String> = rows
            .iter()
            .map(|r| self.short_path(&r.path, ss, theme).0)
            .collect();
        let name_w = names
            .iter()
            .map(|n| marks::text_size(n, ss, true).0)
            .max()
            .unwrap_or(0);
        let left = name_w + theme.px(16.0);
        // The legend sits above the bars (with many rows no corner is free),
        // and under it the target line's label.
        let items = self.legend_items(theme, target.is_some());
        let (lgw, lgh) = marks::legend_size(theme, &items);
        let legend_at = (body.x1 - lgw - theme.px(16.0), body.y0);
        let target_row = if target.is_some() {
            marks::text_height(ss) * 3 / 2 + theme.px(8.0)
        } else {
            0
        };
        let top = body.y0 + lgh + theme.px(8.0) + target_row;
        let area = Rect::new(
            body.x0 + left,
            top,
            body.x1 - theme.px(16.0),
            body.y1 - levers::x_axis_height(theme),
        );
        // Room beyond the longest bars for their labels, in pixels, turned
        // into data units once the panel's width is known.
        let label_w = |left: bool| {
            rows.iter()
                .flat_map(|r| [(r.metric_low, r.low), (r.metric_high, r.high)])
                .filter(|(m, _)| (*m < base) == left)
                .map(|(m, v)| {
                    marks::text_size(&format!("{} → {}", value_label(v), self.show(m)), ss, false).0
                })
                .max()
                .unwrap_or(0)
                + theme.px(10.0)
        };
        let (lw, rw) = (label_w(true), label_w(false));
        let inner = (area.width() - lw - rw).max(area.width() / 4) as f64;
        let (lo, hi) = if probability {
            (lo, hi)
        } else {
            let (l0, h0) = (lo + pad, hi - pad);
            let per_px = (h0 - l0).max(1e-9) / inner;
            (l0 - lw as f64 * per_px, h0 + rw as f64 * per_px)
        };
        let panel = Panel {
            area,
            x: (lo, hi),
            y: (-0.5, n as f64 - 0.5),
        };
        let sample = marks::text_size(&thousands(hi, 0), ss, false).0 as f64 * 2.0;
        let n_ticks = ((area.width() as f64 / sample.max(1.0)) as usize).clamp(2, 8);
        let xt = if probability {
            levers::value_ticks(lo, hi, n_ticks)
        } else {
            axes::nice_ticks(lo, hi, n_ticks)
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
                &names[k],
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
        if let Some(t) = target {
            let x = panel.x(t);
            marks::target_line(root, theme, &mut placer, &area.vline(x))?;
            let label = format!("target {}", self.show(t));
            let (w, _) = marks::text_size(&label, ss, false);
            let lx = (x - w / 2).clamp(area.x0, area.x1 - w);
            let colour = palette::readable(palette::VERMILLION);
            marks::text(
                root,
                theme,
                &label,
                ss,
                false,
                &colour,
                (lx, area.y0 - theme.px(4.0) - marks::text_height(ss) / 2),
                HPos::Left,
                VAlign::Baseline,
            )?;
        }
        marks::legend(root, theme, &items, legend_at)?;
        Ok(())
    }
}

impl TornadoChart<'_> {
    fn legend_items(&self, theme: &Theme, with_target: bool) -> Vec<LegendItem> {
        let (sens, goal) = (self.sens, self.on.goal);
        let base = sens.baseline;
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
        if let (true, Some(g)) = (with_target, goal) {
            let label = format!("target: {}", g.describe());
            items.push(LegendItem::new(label, marks::target_swatch(theme)));
        }
        items
    }
}

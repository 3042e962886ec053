//! `solve-<lever>.png`: the expected total at the milestone against the lever, with
//! the target, the configured value and the answer marked; in probability
//! mode a lower panel shows the share of Monte Carlo runs meeting the
//! milestone at each value tried.

use crate::config::Loaded;
use crate::format::{people, percent, signed_percent, thousands, value_label};
use crate::goal::solve::{Direction, ProbabilityAnswer, Question, Solution};
use crate::goal::unit;
use crate::plot::axes::{self, Room, Ticks, YAxis};
use crate::plot::describe::{amount, team_decimals};
use crate::plot::levers;
use crate::plot::marks::{self, LegendItem, Marker, Placer, Swatch};
use crate::plot::{assumptions, draw_frame, palette, Canvas, Chart, DrawResult, Frame, Rect};
use crate::plot::{Stamp, Theme};
use plotters::prelude::*;

/// The answer to a `solve` question.
pub struct SolveChart<'a> {
    /// The file name without its extension: `solve-` and the lever
    /// (`solve-inflows-transfers-per_year`), chosen by the command so the
    /// chart sits beside its JSON and answers for other levers.
    pub name: String,
    pub loaded: &'a Loaded,
    pub q: &'a Question,
    pub sol: &'a Solution,
}

/// `+156.4, +39%`: the change from the configured value.
pub fn change_text(v: f64, baseline: f64) -> String {
    let d = v - baseline;
    let sign = if d >= 0.0 { "+" } else { "-" };
    let rel = if baseline != 0.0 {
        format!(", {}", signed_percent(d / baseline.abs()))
    } else {
        String::new()
    };
    format!("{sign}{}{rel}", value_label(d.abs()))
}

/// A panel with `y` up and the lever's values across `x`, both axes drawn.
fn lever_panel<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    rect: Rect,
    y: &YAxis,
    (lo, hi): (f64, f64),
    x_ticks: usize,
    x_title: &str,
) -> DrawResult<axes::Panel, DB> {
    let room = Room::new(levers::x_axis_height(theme), theme.px(16.0));
    let panel = axes::panel(root, theme, rect, y, (lo, hi), room)?;
    let xt = levers::value_ticks(lo, hi, x_ticks);
    let xd = levers::step_decimals(xt.step);
    levers::draw_x_axis(root, theme, &panel, &xt, &|v| thousands(v, xd), x_title)?;
    Ok(panel)
}

impl SolveChart<'_> {
    /// "inflows.transfers.per_year (people a year)": the x axis title.
    fn lever_title(&self) -> String {
        format!("{} ({})", self.sol.path, unit(self.q.param))
    }

    fn frame(&self) -> Frame {
        let (q, sol) = (self.q, self.sol);
        let goal = q.goal.describe();
        let title = match sol.value() {
            Some(v) => format!(
                "What would it take? {} = {} ({}) meets {goal}{}",
                sol.path,
                value_label(v),
                change_text(v, sol.baseline_value),
                q.probability.map_or(String::new(), |(p, _)| format!(
                    " in {} of runs",
                    percent(p)
                ))
            ),
            None => format!(
                "{goal} is not reachable with {} in {} to {}",
                sol.path,
                value_label(q.lo),
                value_label(q.hi)
            ),
        };
        let seek = match sol.direction {
            Direction::Decrease => "Highest value still meeting the milestone",
            _ => "Least value meeting the milestone",
        };
        let mut sub = vec![format!(
            "{seek}, everything else as configured ({} = {})",
            sol.path,
            value_label(sol.baseline_value)
        )];
        sub.push(match q.probability {
            Some((p, mc)) => format!(
                "met in at least {} of {} Monte Carlo runs ({}), the same random streams at every value tried",
                percent(p),
                people(mc.runs as f64),
                mc.varies(&self.loaded.scenario)
            ),
            None => "expected values (deterministic projection)".into(),
        });
        if let (Some(a), Some(b)) = (sol.zoom.first(), sol.zoom.last()) {
            sub.push(format!(
                "shown {} to {} of the range searched, {} to {}",
                value_label(a.value),
                value_label(b.value),
                value_label(q.lo),
                value_label(q.hi)
            ));
        }
        if let Some(d) = sol.dip {
            sub.push(format!(
                "caution: not monotone, the total falls by {} between {} and {}; the answer is the first crossing",
                value_label(d.size),
                value_label(d.from),
                value_label(d.to)
            ));
        }
        sub.extend(assumptions(&self.loaded.scenario));
        let mut stamp = Stamp::of(self.loaded);
        stamp.seed = q.probability.map(|(_, mc)| mc.seed);
        Frame::new(title, sub, &stamp)
    }

    fn expected_panel<DB: DrawingBackend>(
        &self,
        root: &Canvas<DB>,
        theme: &Theme,
        rect: Rect,
    ) -> DrawResult<(), DB> {
        let (q, sol) = (self.q, self.sol);
        let target = q.goal.headcount;
        let curve = if sol.zoom.is_empty() {
            &sol.curve
        } else {
            &sol.zoom
        };
        let (x0, x1) = (curve[0].value, curve[curve.len() - 1].value);
        let (lo, hi) = curve
            .iter()
            .map(|p| p.metric)
            .chain([target])
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
                (a.min(y), b.max(y))
            });
        let pad = 0.05 * (hi - lo).max(1.0);
        let yt = axes::nice_ticks((lo - pad).max(0.0), hi + pad, 6);
        let y_title = format!("Expected total at {} (people)", q.goal.date);
        let y = YAxis::people(yt, &y_title);
        let panel = lever_panel(root, theme, rect, &y, (x0, x1), 8, &self.lever_title())?;
        let a = panel.area;
        let mut placer = Placer::in_panel(a);

        // The target.
        let ty = panel.y(target);
        marks::target_line(root, theme, &mut placer, &a.hline(ty))?;

        // The response curve.
        let pts: Vec<(i32, i32)> = curve.iter().map(|p| panel.pt(p.value, p.metric)).collect();
        let pts = levers::simplify(&pts, 0.75);
        marks::line(root, &pts, &palette::BLUE, theme.px(3.0))?;
        placer.block_path(&pts, theme.px(4.0));

        // Vertical marks first (so labels avoid all of them), labels after.
        let r = theme.px(7.0);
        let mut labels: Vec<((i32, i32), String, RGBColor)> = Vec::new();
        let b = sol.baseline_value;
        if (x0..=x1).contains(&b) {
            let c = panel.pt(b, sol.baseline_total);
            let v = a.vline(c.0);
            let (w, dash, gap) = (theme.px(1.5), theme.px(6.0), theme.px(5.0));
            marks::dashed(root, &v, &palette::AXIS, w, dash, gap)?;
            placer.block_path(&v, theme.px(2.0));
            let black = palette::BLACK;
            placer.block(marks::marker(
                root,
                Marker::Circle,
                c,
                r,
                &black,
                &black,
                1,
            )?);
            let total = amount(sol.baseline_total, team_decimals(target));
            let text = format!("configured {} gives {total}", value_label(b));
            labels.push((c, text, palette::TEXT));
        }
        let mut answer =
            |v: f64, total: f64, colour: RGBColor, text: String| -> DrawResult<(), DB> {
                let c = panel.pt(v, total);
                let vl = a.vline(c.0);
                marks::line(root, &vl, &colour, theme.px(2.5))?;
                placer.block_path(&vl, theme.px(2.0));
                let (size, white) = (r + theme.px(1.0), palette::WHITE);
                let w = theme.px(1.5);
                let ring = marks::marker(root, Marker::Circle, c, size, &colour, &white, w)?;
                placer.block(ring);
                labels.push((c, text, palette::readable(colour)));
                Ok(())
            };
        if let (Some(v), Some(t)) = (sol.deterministic, sol.deterministic_total) {
            let text = if q.probability.is_some() {
                format!("expected total meets the target at {}", value_label(v))
            } else {
                format!(
                    "{} ({}) gives {}",
                    value_label(v),
                    change_text(v, b),
                    amount(t, team_decimals(target))
                )
            };
            answer(v, t, palette::BLUISH_GREEN, text)?;
        }
        if let (Some(pa), Some((p, _))) = (&sol.probabilistic, q.probability) {
            if let (Some(v), Some(ach), Some(t)) = (pa.value, pa.achieved, pa.total) {
                let text = format!(
                    "{} ({}): {} of runs meet it (at least {} required)",
                    value_label(v),
                    change_text(v, b),
                    percent(ach),
                    percent(p)
                );
                answer(v, t, palette::REDDISH_PURPLE, text)?;
            }
        }

        let ss = theme.small_size();
        let dirs: &[(i32, i32)] = match sol.direction {
            Direction::Decrease => &[(1, -1), (-1, 1), (1, 1)],
            _ => &[(-1, -1), (1, 1), (1, -1)],
        };
        for (anchor, text, colour) in &labels {
            if let Some(rc) = placer.place_text(text, ss, true, *anchor, theme.px(10.0), dirs) {
                marks::label(root, theme, text, ss, true, colour, rc)?;
            }
        }
        let tl = format!("target: {}", q.goal.describe());
        let (w, h) = marks::text_size(&tl, ss, false);
        let gap = theme.px(6.0);
        let (left, right) = (a.x0 + gap, a.x1 - w - gap);
        let (above, below) = (ty - h - gap, ty + gap);
        let spots = [(right, above), (left, above), (right, below), (left, below)];
        if let Some(rc) = placer.place(w, h, spots) {
            let colour = palette::readable(palette::VERMILLION);
            marks::label(root, theme, &tl, ss, false, &colour, rc)?;
        }

        let wide = theme.px(2.5);
        let mut items = vec![
            LegendItem::new(
                format!("expected total at {}", q.goal.date),
                Swatch::line(palette::BLUE, theme.px(3.0)),
            ),
            LegendItem::new("target", marks::target_swatch(theme)),
        ];
        if sol.deterministic.is_some() {
            let label = if q.probability.is_some() {
                "expected values just meet it"
            } else {
                "answer"
            };
            items.push(LegendItem::new(
                label,
                Swatch::line(palette::BLUISH_GREEN, wide),
            ));
        }
        if sol.probabilistic.as_ref().and_then(|p| p.value).is_some() {
            items.push(LegendItem::new(
                "answer with the probability required",
                Swatch::line(palette::REDDISH_PURPLE, wide),
            ));
        }
        marks::legend_in_corner(root, theme, &mut placer, &items)
    }

    /// The share of runs meeting the goal at each value tried for `pa`.
    fn probability_panel<DB: DrawingBackend>(
        &self,
        pa: &ProbabilityAnswer,
        root: &Canvas<DB>,
        theme: &Theme,
        rect: Rect,
    ) -> DrawResult<(), DB> {
        let (q, sol) = (self.q, self.sol);
        let Some((p, mc)) = q.probability else {
            return Ok(());
        };
        let caption = format!(
            "Share of {} runs meeting {} at each value tried (note the narrower scale)",
            people(mc.runs as f64),
            q.goal.describe()
        );
        let rect = marks::headline(root, theme, &caption, false, &palette::TEXT, rect)?;
        let (lo, hi) = pa
            .tried
            .iter()
            .map(|t| t.value)
            .chain(sol.deterministic)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x), b.max(x))
            });
        let pad = 0.08 * (hi - lo).max(1e-6 * hi.abs().max(1.0));
        let (lo, hi) = if hi > lo {
            (lo - pad, hi + pad)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let y = YAxis {
            ticks: Ticks {
                lo: 0.0,
                hi: 1.0,
                step: 0.25,
            },
            fmt: &percent,
            title: "Runs meeting it",
        };
        let panel = lever_panel(root, theme, rect, &y, (lo, hi), 6, &self.lever_title())?;
        let a = panel.area;
        let mut placer = Placer::in_panel(a);
        marks::target_line(root, theme, &mut placer, &a.hline(panel.y(p)))?;
        let answers = [
            (sol.deterministic, palette::BLUISH_GREEN),
            (pa.value, palette::REDDISH_PURPLE),
        ];
        for (v, colour) in answers.into_iter().filter_map(|(v, c)| Some((v?, c))) {
            let vl = a.vline(panel.x(v));
            marks::line(root, &vl, &colour, theme.px(2.0))?;
            placer.block_path(&vl, theme.px(2.0));
        }
        let (r, dot) = (theme.px(6.0), palette::REDDISH_PURPLE);
        let mut centres = Vec::new();
        for t in &pa.tried {
            let c = panel.pt(t.value, t.metric);
            placer.block(marks::marker(root, Marker::Circle, c, r, &dot, &dot, 1)?);
            centres.push((c, percent(t.metric)));
        }
        let ss = theme.small_size();
        let dirs = [(1, -1), (-1, -1), (1, 1)];
        for (c, text) in centres {
            if let Some(rc) = placer.place_text(&text, ss, false, c, theme.px(6.0), &dirs) {
                marks::label(root, theme, &text, ss, false, &palette::MUTED, rc)?;
            }
        }
        let items = [
            LegendItem::new(
                "share of runs meeting it",
                Swatch::marker(Marker::Circle, dot, dot),
            ),
            LegendItem::new(
                format!("required: {}", percent(p)),
                marks::target_swatch(theme),
            ),
        ];
        marks::legend_in_corner(root, theme, &mut placer, &items)
    }
}

impl Chart for SolveChart<'_> {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let body = draw_frame(root, theme, &self.frame())?;
        if let Some(pa) = &self.sol.probabilistic {
            let (top, bottom) = body.split_top((body.height() as f64 * 0.58) as i32);
            self.expected_panel(root, theme, top)?;
            self.probability_panel(pa, root, theme, bottom.cut_top(theme.px(14.0)))
        } else {
            self.expected_panel(root, theme, body)
        }
    }
}

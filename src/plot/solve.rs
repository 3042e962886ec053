//! `solve.png`: the expected total at the milestone against the lever, with
//! the target, the configured value and the answer marked; in probability
//! mode a lower panel shows the share of Monte Carlo runs meeting the
//! milestone at each value tried.

use super::axes::{self, Panel, Ticks};
use super::levers;
use super::marks::{self, LegendItem, Marker, Placer, Swatch, VAlign};
use super::{
    assumptions, draw_frame, palette, render_file, Canvas, Chart, ChartOptions, Corner, DrawResult,
    Frame, Rect, Stamp, Theme,
};
use crate::config::Loaded;
use crate::format::{people, percent, signed_percent, thousands, value_label};
use crate::goal::solve::{Direction, Question, Solution};
use crate::goal::unit;
use crate::output::OutputFile;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

/// Renders `solve.png` (or `.svg`).
pub fn solve_chart(
    loaded: &Loaded,
    q: &Question,
    sol: &Solution,
    opts: &ChartOptions,
) -> anyhow::Result<OutputFile> {
    render_file("solve", &SolveChart { loaded, q, sol }, opts)
}

struct SolveChart<'a> {
    loaded: &'a Loaded,
    q: &'a Question,
    sol: &'a Solution,
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

impl SolveChart<'_> {
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
        let mut panel = axes::layout(
            root,
            theme,
            rect,
            &yt,
            &axes::people_tick,
            levers::x_axis_height(theme),
            theme.px(16.0),
        );
        panel.x = (x0, x1);
        axes::draw_y_axis(
            root,
            theme,
            &panel,
            &yt,
            &axes::people_tick,
            &format!("Expected total at {} (people)", q.goal.date),
            rect.x0,
        )?;
        let xt = levers::value_ticks(x0, x1, 8);
        let xd = levers::step_decimals(xt.step);
        levers::draw_x_axis(
            root,
            theme,
            &panel,
            &levers::ticks_within(&xt, x0, x1),
            &|v| thousands(v, xd),
            &format!("{} ({})", sol.path, unit(q.param)),
        )?;
        let a = panel.area;
        let mut placer = Placer::new(Rect::new(a.x0 + 4, a.y0 + 2, a.x1 - 4, a.y1 - 4));

        // The target.
        let ty = panel.y(target);
        let tpts = [(a.x0, ty), (a.x1 - 1, ty)];
        marks::dashed(
            root,
            &tpts,
            &palette::VERMILLION,
            theme.px(2.5),
            theme.px(10.0),
            theme.px(6.0),
        )?;
        placer.block_path(&tpts, theme.px(3.0));

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
            let v = [(c.0, a.y0), (c.0, a.y1 - 1)];
            marks::dashed(
                root,
                &v,
                &palette::AXIS,
                theme.px(1.5),
                theme.px(6.0),
                theme.px(5.0),
            )?;
            placer.block_path(&v, theme.px(2.0));
            placer.block(marks::marker(
                root,
                Marker::Circle,
                c,
                r,
                &palette::BLACK,
                &palette::BLACK,
                1,
            )?);
            labels.push((
                c,
                format!(
                    "configured {} gives {}",
                    value_label(b),
                    people(sol.baseline_total)
                ),
                palette::TEXT,
            ));
        }
        let mut answer =
            |v: f64, total: f64, colour: RGBColor, text: String| -> DrawResult<(), DB> {
                let c = panel.pt(v, total);
                let vl = [(c.0, a.y0), (c.0, a.y1 - 1)];
                marks::line(root, &vl, &colour, theme.px(2.5))?;
                placer.block_path(&vl, theme.px(2.0));
                placer.block(marks::marker(
                    root,
                    Marker::Circle,
                    c,
                    r + theme.px(1.0),
                    &colour,
                    &palette::WHITE,
                    theme.px(1.5),
                )?);
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
                    people(t)
                )
            };
            answer(v, t, palette::BLUISH_GREEN, text)?;
        }
        if let (Some(pa), Some((p, _))) = (&sol.probabilistic, q.probability) {
            if let (Some(v), Some(ach), Some(t)) = (pa.value, pa.achieved, pa.total) {
                answer(
                    v,
                    t,
                    palette::REDDISH_PURPLE,
                    format!(
                        "{} ({}): {} of runs meet it (at least {} required)",
                        value_label(v),
                        change_text(v, b),
                        percent(ach),
                        percent(p)
                    ),
                )?;
            }
        }

        let ss = theme.small_size();
        let dirs: &[(i32, i32)] = match sol.direction {
            Direction::Decrease => &[(1, -1), (-1, 1), (1, 1)],
            _ => &[(-1, -1), (1, 1), (1, -1)],
        };
        for (anchor, text, colour) in &labels {
            let (w, h) = marks::measure(root, theme, text, ss, true);
            if let Some(rc) = placer.place_near(*anchor, w, h, theme.px(10.0), dirs) {
                marks::text(
                    root,
                    theme,
                    text,
                    ss,
                    true,
                    colour,
                    (rc.x0, rc.y0),
                    HPos::Left,
                    VAlign::Top,
                )?;
            }
        }
        let tl = format!("target: {}", q.goal.describe());
        let (w, h) = marks::measure(root, theme, &tl, ss, false);
        let gap = theme.px(6.0);
        if let Some(rc) = placer.place(
            w,
            h,
            [
                (a.x1 - w - gap, ty - h - gap),
                (a.x0 + gap, ty - h - gap),
                (a.x1 - w - gap, ty + gap),
                (a.x0 + gap, ty + gap),
            ],
        ) {
            marks::text(
                root,
                theme,
                &tl,
                ss,
                false,
                &palette::readable(palette::VERMILLION),
                (rc.x0, rc.y0),
                HPos::Left,
                VAlign::Top,
            )?;
        }

        let mut items = vec![
            LegendItem::new(
                format!("expected total at {}", q.goal.date),
                Swatch::Line {
                    color: palette::BLUE,
                    width: theme.px(3.0),
                    dashed: false,
                },
            ),
            LegendItem::new(
                "target",
                Swatch::Line {
                    color: palette::VERMILLION,
                    width: theme.px(2.5),
                    dashed: true,
                },
            ),
        ];
        if sol.deterministic.is_some() {
            items.push(LegendItem::new(
                if q.probability.is_some() {
                    "expected values just meet it"
                } else {
                    "answer"
                },
                Swatch::Line {
                    color: palette::BLUISH_GREEN,
                    width: theme.px(2.5),
                    dashed: false,
                },
            ));
        }
        if sol.probabilistic.as_ref().and_then(|p| p.value).is_some() {
            items.push(LegendItem::new(
                "answer with the probability required",
                Swatch::Line {
                    color: palette::REDDISH_PURPLE,
                    width: theme.px(2.5),
                    dashed: false,
                },
            ));
        }
        legend_in_corner(root, theme, &mut placer, &items)?;
        Ok(())
    }

    fn probability_panel<DB: DrawingBackend>(
        &self,
        root: &Canvas<DB>,
        theme: &Theme,
        rect: Rect,
    ) -> DrawResult<(), DB> {
        let (q, sol) = (self.q, self.sol);
        let (Some(pa), Some((p, mc))) = (&sol.probabilistic, q.probability) else {
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
        let yt = Ticks {
            lo: 0.0,
            hi: 1.0,
            step: 0.25,
        };
        let pfmt = |v: f64| percent(v);
        let mut panel: Panel = axes::layout(
            root,
            theme,
            rect,
            &yt,
            &pfmt,
            levers::x_axis_height(theme),
            theme.px(16.0),
        );
        panel.x = (lo, hi);
        axes::draw_y_axis(root, theme, &panel, &yt, &pfmt, "Runs meeting it", rect.x0)?;
        let xt = levers::value_ticks(lo, hi, 6);
        let xd = levers::step_decimals(xt.step);
        levers::draw_x_axis(
            root,
            theme,
            &panel,
            &levers::ticks_within(&xt, lo, hi),
            &|v| thousands(v, xd),
            &format!("{} ({})", sol.path, unit(q.param)),
        )?;
        let a = panel.area;
        let mut placer = Placer::new(Rect::new(a.x0 + 4, a.y0 + 2, a.x1 - 4, a.y1 - 4));
        let py = panel.y(p);
        let rl = [(a.x0, py), (a.x1 - 1, py)];
        marks::dashed(
            root,
            &rl,
            &palette::VERMILLION,
            theme.px(2.5),
            theme.px(10.0),
            theme.px(6.0),
        )?;
        placer.block_path(&rl, theme.px(3.0));
        for (v, colour) in [
            (sol.deterministic, palette::BLUISH_GREEN),
            (pa.value, palette::REDDISH_PURPLE),
        ] {
            if let Some(v) = v {
                let x = panel.x(v);
                let vl = [(x, a.y0), (x, a.y1 - 1)];
                marks::line(root, &vl, &colour, theme.px(2.0))?;
                placer.block_path(&vl, theme.px(2.0));
            }
        }
        let r = theme.px(6.0);
        let mut centres = Vec::new();
        for t in &pa.tried {
            let c = panel.pt(t.value, t.metric);
            placer.block(marks::marker(
                root,
                Marker::Circle,
                c,
                r,
                &palette::REDDISH_PURPLE,
                &palette::REDDISH_PURPLE,
                1,
            )?);
            centres.push((c, percent(t.metric)));
        }
        let ss = theme.small_size();
        for (c, text) in centres {
            let (w, h) = marks::measure(root, theme, &text, ss, false);
            if let Some(rc) =
                placer.place_near(c, w, h, theme.px(6.0), &[(1, -1), (-1, -1), (1, 1)])
            {
                marks::text(
                    root,
                    theme,
                    &text,
                    ss,
                    false,
                    &palette::MUTED,
                    (rc.x0, rc.y0),
                    HPos::Left,
                    VAlign::Top,
                )?;
            }
        }
        let items = vec![
            LegendItem::new(
                "share of runs meeting it",
                Swatch::Marker {
                    kind: Marker::Circle,
                    fill: palette::REDDISH_PURPLE,
                    outline: palette::REDDISH_PURPLE,
                },
            ),
            LegendItem::new(
                format!("required: {}", percent(p)),
                Swatch::Line {
                    color: palette::VERMILLION,
                    width: theme.px(2.5),
                    dashed: true,
                },
            ),
        ];
        legend_in_corner(root, theme, &mut placer, &items)?;
        Ok(())
    }
}

/// Draws a legend in the first free corner of the placer's bounds.
pub fn legend_in_corner<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    placer: &mut Placer,
    items: &[LegendItem],
) -> DrawResult<(), DB> {
    let (w, h) = marks::legend_size(root, theme, items);
    let b = placer.bounds;
    let m = theme.px(8.0);
    let corners = b.corners(
        [
            Corner::TopLeft,
            Corner::BottomRight,
            Corner::TopRight,
            Corner::BottomLeft,
        ],
        w,
        h,
        m,
    );
    if let Some(r) = placer.place(w, h, corners) {
        marks::legend(root, theme, items, (r.x0, r.y0))?;
    }
    Ok(())
}

impl Chart for SolveChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let body = draw_frame(root, theme, &self.frame())?;
        if self.sol.probabilistic.is_some() {
            let (top, bottom) = body.split_top((body.height() as f64 * 0.58) as i32);
            self.expected_panel(root, theme, top)?;
            let bottom = Rect {
                y0: bottom.y0 + theme.px(14.0),
                ..bottom
            };
            self.probability_panel(root, theme, bottom)
        } else {
            self.expected_panel(root, theme, body)
        }
    }
}

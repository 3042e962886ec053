//! `compare.png`: every scenario's counted total on one chart, with the
//! milestone targets, each scenario's met/missed mark at every milestone and
//! its end value; the legend names scenarios by title. The subtitle lists
//! each scenario's config hash.

use crate::config::Loaded;
use crate::engine::Projection;
use crate::format::people;
use crate::month::Month;
use crate::plot::axes::{self, TimeAxis};
use crate::plot::describe::counted_text;
use crate::plot::marks::{self, Corners, EndLabel, LegendItem, Marker, Placer, Swatch};
use crate::plot::Corner::{BottomLeft, BottomRight, TopLeft, TopRight};
use crate::plot::{draw_frame, observed, palette, Canvas, Chart, DrawResult, Frame, Theme};
use crate::scenario::Observation;
use crate::summary::Summary;
use plotters::prelude::*;

/// One scenario of a comparison.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    pub loaded: &'a Loaded,
    pub p: &'a Projection,
    pub summary: &'a Summary,
}

/// The comparison chart of `entries` (in the order given; the first is the reference).
pub struct CompareChart<'a> {
    pub entries: &'a [Entry<'a>],
}

impl Chart for CompareChart<'_> {
    fn name(&self) -> &str {
        "compare"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let es = self.entries;
        let Some(first) = es.first() else {
            return Ok(());
        };
        let fs = first.loaded.scenario.fy_start_month;
        let mut sub = vec![format!(
            "Expected-value projections; each line is its scenario's counted total · {}",
            counted_text(&first.loaded.scenario)
        )];
        // Each scenario's config hash; listing them here (they wrap) keeps the
        // footer to one line however many scenarios there are.
        sub.push(format!(
            "Config hashes: {}",
            es.iter()
                .map(|e| format!("{} {}", e.loaded.scenario.name, e.loaded.short_hash()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let footer = format!(
            "{} scenarios, config hashes in the subtitle · forcecast {}",
            es.len(),
            env!("CARGO_PKG_VERSION")
        );
        let title = "Scenario comparison — counted headcount against milestones";
        let frame = Frame::plain(title, sub, footer).headline(headline(es), palette::TEXT);
        let body = draw_frame(root, theme, &frame)?;
        let ss = theme.small_size();

        let origin = es
            .iter()
            .map(|e| e.p.rows[0].month)
            .min()
            .expect("at least one");
        let end = es
            .iter()
            .map(|e| e.p.final_row().month)
            .max()
            .expect("at least one");
        let axis = TimeAxis::new(origin, fs);
        let n = end.since(origin) as f64;
        // Published figures: the union over scenarios (a what-if inherits its parent's).
        let mut obs: Vec<Observation> = Vec::new();
        for o in es.iter().flat_map(|e| &e.loaded.scenario.observed) {
            if o.level.is_none()
                && !obs
                    .iter()
                    .any(|p| p.date == o.date && p.headcount == o.headcount && p.kind == o.kind)
            {
                obs.push(o.clone());
            }
        }
        let ymax = es
            .iter()
            .flat_map(|e| {
                let milestones = &e.loaded.scenario.target.milestones;
                let targets = milestones.iter().map(|m| m.headcount);
                e.p.rows.iter().map(|r| r.total).chain(targets)
            })
            .chain([observed::top(&obs)])
            .fold(0.0f64, f64::max);
        let colors: Vec<RGBColor> = (0..es.len()).map(palette::series).collect();
        let mut ends: Vec<EndLabel> = es
            .iter()
            .zip(&colors)
            .map(|(e, &c)| {
                let text = format!(
                    "{} {}",
                    people(e.p.final_row().total),
                    e.loaded.scenario.name
                );
                EndLabel::new(0, text, palette::readable(c))
            })
            .collect();
        let right = marks::end_labels_width(theme, &ends) + theme.px(8.0);
        let panel = axes::headcount_panel(root, theme, body, ymax * 1.08, &axis, n, right)?;
        let a = panel.area;
        let mut placer = Placer::in_panel(a);

        // Milestone targets (the union over scenarios).
        let mut targets: Vec<(Month, f64, Option<String>)> = Vec::new();
        for e in es {
            for m in &e.loaded.scenario.target.milestones {
                if !targets.iter().any(|t| t.0 == m.date && t.1 == m.headcount) {
                    targets.push((m.date, m.headcount, m.label.clone()));
                }
            }
        }
        let r = marks::milestone_radius(theme);
        let mut target_marks = Vec::new();
        for (date, head, label) in &targets {
            let c = panel.pt(axis.x(*date), *head);
            placer.block(marks::target_bar(root, theme, c)?.grow(3));
            let label = match label {
                Some(l) => format!("{l} {}", people(*head)),
                None => format!("target {}", people(*head)),
            };
            target_marks.push((c, label));
        }

        // Lines, first scenario on top.
        for (i, e) in es.iter().enumerate().rev() {
            let pts: Vec<(i32, i32)> =
                e.p.rows
                    .iter()
                    .map(|row| panel.pt(axis.x(row.month), row.total))
                    .collect();
            let width = theme.px(if i == 0 { 3.0 } else { 2.5 });
            marks::line(root, &pts, &colors[i], width)?;
            placer.block_path(&pts, theme.px(5.0));
            ends[i].y = pts.last().expect("rows").1;
        }
        // Each scenario's mark at each of its milestones: circle met, triangle missed.
        for (i, e) in es.iter().enumerate() {
            for m in e
                .summary
                .milestones
                .iter()
                .filter(|m| m.projected.is_finite())
            {
                let c = panel.pt(axis.x(m.date), m.projected);
                let (_, shape) = marks::status_style(m.met);
                let size = theme.px(6.0);
                let rect = marks::marker(root, shape, c, size, &colors[i], &palette::BLACK, 1)?;
                placer.block(rect.grow(2));
            }
        }
        observed::draw(root, theme, &panel, &axis, n, &obs, &mut placer)?;
        let x = a.x1 + theme.px(20.0);
        marks::end_labels(root, theme, &ends, x, a.y0 - theme.px(4.0), a.y1)?;

        let mut items: Vec<LegendItem> = es
            .iter()
            .zip(&colors)
            .map(|(e, &c)| {
                let s = &e.loaded.scenario;
                let line = Swatch::line(c, theme.px(3.0));
                LegendItem::new(format!("{} ({})", s.title, s.name), line)
            })
            .collect();
        if !targets.is_empty() {
            let hollow = Swatch::marker(Marker::Circle, palette::WHITE, palette::BLACK);
            items.extend([
                LegendItem::new("Milestone target", Swatch::TARGET),
                LegendItem::new("At a milestone: circle = met, triangle = missed", hollow),
            ]);
        }
        items.extend(observed::legend_items(&obs));
        let order = [TopLeft, BottomRight, BottomLeft, TopRight];
        let corners = Corners::of(a, theme.px(12.0)).order(order);
        let legend_at = placer.place_legend(theme, &items, corners);

        let mid = (a.x0 + a.x1) / 2;
        for (c, label) in target_marks.iter().rev() {
            let dirs: &[(i32, i32)] = if c.0 > mid {
                &[(-1, -1), (-1, 0)]
            } else {
                &[(1, -1), (1, 0)]
            };
            if let Some(rc) = placer.place_text(label, ss, true, *c, r + theme.px(4.0), dirs) {
                marks::leader(root, rc, *c, theme.px(16.0))?;
                marks::label(root, theme, label, ss, true, &palette::TEXT, rc)?;
            }
        }
        if let Some(rect) = legend_at {
            marks::legend(root, theme, &items, (rect.x0, rect.y0))?;
        }
        Ok(())
    }
}

/// How many scenarios meet the final target.
fn headline(es: &[Entry]) -> String {
    let finals: Vec<_> = es
        .iter()
        .filter_map(|e| e.summary.milestones.last())
        .collect();
    let same_final = finals.len() == es.len()
        && finals
            .windows(2)
            .all(|w| w[0].date == w[1].date && w[0].target == w[1].target);
    if same_final {
        let m = finals[0];
        let met = finals.iter().filter(|f| f.met).count();
        format!(
            "{} {} by {}: met by {met} of {} scenarios",
            m.label.clone().unwrap_or_else(|| "Final target".into()),
            people(m.target),
            m.date,
            es.len()
        )
    } else {
        let met = es.iter().filter(|e| e.summary.final_met()).count();
        format!("Final milestone met by {met} of {} scenarios", es.len())
    }
}

//! `compare.png`: every scenario's counted total on one chart, with the
//! milestone targets, each scenario's met/missed mark at every milestone and
//! its end value; the legend names scenarios by title. The subtitle lists
//! each scenario's config hash.

use super::axes::{self, TimeAxis};
use super::marks::{self, EndLabel, LegendItem, Marker, Placer, Swatch, VAlign};
use super::{draw_frame, palette, Canvas, Chart, Corner, DrawResult, Frame, Rect, Theme};
use crate::config::Loaded;
use crate::engine::Projection;
use crate::format::people;
use crate::month::Month;
use crate::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

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
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let es = self.entries;
        let Some(first) = es.first() else {
            return Ok(());
        };
        let fs = first.loaded.scenario.fy_start_month;
        let mut sub = vec![format!(
            "Expected-value projections; each line is its scenario's counted total · {}",
            super::headcount::counted_text(&first.loaded.scenario)
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
        let frame = Frame {
            title: "Scenario comparison — counted headcount against milestones".into(),
            subtitle: sub,
            footer: format!(
                "{} scenarios, config hashes in the subtitle · forcecast {}",
                es.len(),
                env!("CARGO_PKG_VERSION")
            ),
            footer_right: None,
        };
        let body = draw_frame(root, theme, &frame)?;
        let ss = theme.small_size();

        // Headline: how many scenarios meet the final target.
        let finals: Vec<_> = es
            .iter()
            .filter_map(|e| e.summary.milestones.last())
            .collect();
        let same_final = finals.len() == es.len()
            && finals
                .windows(2)
                .all(|w| w[0].date == w[1].date && w[0].target == w[1].target);
        let head = if same_final {
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
        };
        let body = marks::headline(root, theme, &head, true, &palette::TEXT, body)?;
        let body = Rect {
            y0: body.y0 + theme.px(8.0),
            ..body
        };

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
        let axis = TimeAxis {
            origin,
            fy_start: fs,
        };
        let n = end.since(origin) as f64;
        let ymax = es
            .iter()
            .flat_map(|e| {
                e.p.rows.iter().map(|r| r.total).chain(
                    e.loaded
                        .scenario
                        .target
                        .milestones
                        .iter()
                        .map(|m| m.headcount),
                )
            })
            .fold(0.0f64, f64::max);
        let ticks = axes::nice_ticks(0.0, ymax * 1.08, 8);
        let colors: Vec<RGBColor> = (0..es.len()).map(palette::series).collect();
        let mut ends: Vec<EndLabel> = es
            .iter()
            .zip(&colors)
            .map(|(e, &c)| EndLabel {
                y: 0,
                text: format!(
                    "{} {}",
                    people(e.p.final_row().total),
                    e.loaded.scenario.name
                ),
                color: palette::readable(c),
                bold: true,
            })
            .collect();
        let right = marks::end_labels_width(root, theme, &ends) + theme.px(8.0);
        let mut panel = axes::layout(
            root,
            theme,
            body,
            &ticks,
            &axes::people_tick,
            axes::time_axis_height(theme),
            right,
        );
        panel.x = (0.0, n);
        axes::draw_y_axis(
            root,
            theme,
            &panel,
            &ticks,
            &axes::people_tick,
            "People (counted headcount)",
            body.x0,
        )?;
        axes::draw_time_axis(root, theme, &panel, &axis, &axes::fiscal_axis_title(fs))?;
        let a = panel.area;
        let mut placer = Placer::new(Rect::new(a.x0 + 4, a.y0 + 2, a.x1 - 4, a.y1 - 4));

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
            placer.block(
                marks::marker(root, Marker::Bar, c, r, &palette::BLACK, &palette::BLACK, 1)?
                    .grow(3),
            );
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
            marks::line(
                root,
                &pts,
                &colors[i],
                theme.px(if i == 0 { 3.0 } else { 2.5 }),
            )?;
            placer.block_path(&pts, theme.px(5.0));
            ends[i].y = pts.last().expect("rows").1;
        }
        // Each scenario's mark at each of its milestones: circle met, triangle missed.
        for (i, e) in es.iter().enumerate() {
            for m in &e.summary.milestones {
                if m.projected.is_finite() {
                    let c = panel.pt(axis.x(m.date), m.projected);
                    let (_, shape) = marks::status_style(m.met);
                    placer.block(
                        marks::marker(
                            root,
                            shape,
                            c,
                            theme.px(6.0),
                            &colors[i],
                            &palette::BLACK,
                            1,
                        )?
                        .grow(2),
                    );
                }
            }
        }
        marks::end_labels(
            root,
            theme,
            &ends,
            a.x1 + theme.px(20.0),
            a.y0 - theme.px(4.0),
            a.y1,
        )?;

        let mut items: Vec<LegendItem> = es
            .iter()
            .zip(&colors)
            .map(|(e, &c)| {
                LegendItem::new(
                    format!("{} ({})", e.loaded.scenario.title, e.loaded.scenario.name),
                    Swatch::Line {
                        color: c,
                        width: theme.px(3.0),
                        dashed: false,
                    },
                )
            })
            .collect();
        if !targets.is_empty() {
            items.push(LegendItem::new(
                "Milestone target",
                Swatch::Marker {
                    kind: Marker::Bar,
                    fill: palette::BLACK,
                    outline: palette::BLACK,
                },
            ));
            items.push(LegendItem::new(
                "At a milestone: circle = met, triangle = missed",
                Swatch::Marker {
                    kind: Marker::Circle,
                    fill: palette::WHITE,
                    outline: palette::BLACK,
                },
            ));
        }
        let (lw, lh) = marks::legend_size(root, theme, &items);
        let g = theme.px(12.0);
        let corners = a.corners(
            [
                Corner::TopLeft,
                Corner::BottomRight,
                Corner::BottomLeft,
                Corner::TopRight,
            ],
            lw,
            lh,
            g,
        );
        let legend_at = placer.place(lw, lh, corners);

        let mid = (a.x0 + a.x1) / 2;
        for (c, label) in target_marks.iter().rev() {
            let (w, h) = marks::measure(root, theme, label, ss, true);
            let dirs: &[(i32, i32)] = if c.0 > mid {
                &[(-1, -1), (-1, 0)]
            } else {
                &[(1, -1), (1, 0)]
            };
            if let Some(rect) = placer.place_near(*c, w, h, r + theme.px(4.0), dirs) {
                let nx = c.0.clamp(rect.x0, rect.x1);
                let ny = c.1.clamp(rect.y0, rect.y1);
                if (nx - c.0).abs() + (ny - c.1).abs() > theme.px(16.0) {
                    marks::line(root, &[(nx, ny), *c], &palette::AXIS, 1)?;
                }
                marks::text(
                    root,
                    theme,
                    label,
                    ss,
                    true,
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

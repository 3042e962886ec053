//! `flows.png`: per fiscal year, the people who joined the force by channel
//! (stacked up) against the people who left it (stacked down), with the net
//! change. "The force" is everyone in a level: entrants to a course queue are
//! not in it yet and appear only when they graduate, so the bars add up
//! exactly to the change in people in levels.

use super::levels::counts_only_levels;
use super::Projected;
use crate::engine::Projection;
use crate::format::people;
use crate::plot::axes::{self, Room, YAxis};
use crate::plot::describe::{
    amount, decimals_for, destination_text, fy_label, signed_amount, team_decimals,
};
use crate::plot::frame::full_names;
use crate::plot::marks::{self, LegendItem, Marker, Swatch, VAlign};
use crate::plot::{draw_frame, layout, palette, Canvas, Chart, DrawResult, Frame, Rect, Theme};
use crate::scenario::{Destination, Scenario};
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub struct FlowsChart<'a>(pub Projected<'a>);

/// A channel into (positive) or out of (negative) the force.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub label: String,
    /// The label for a legend short of room: the channel's name alone.
    pub short: String,
    pub color: RGBColor,
    /// People per fiscal year (negative for outflows).
    pub values: Vec<f64>,
}

impl Channel {
    fn new(
        (label, short): (impl Into<String>, impl Into<String>),
        color: RGBColor,
        values: Vec<f64>,
    ) -> Channel {
        Channel {
            label: label.into(),
            short: short.into(),
            color,
            values,
        }
    }
}

/// The inflows that enter a course queue (and join the force only when they graduate).
fn into_courses(s: &Scenario) -> Vec<&str> {
    s.inflows
        .iter()
        .filter(|f| matches!(f.to, Destination::Course(_)))
        .map(|f| f.name.as_str())
        .collect()
}

/// One fiscal year's totals.
#[derive(Debug, Clone, PartialEq)]
pub struct FiscalYear {
    pub fy: i32,
    /// Months of the year inside the horizon.
    pub months: usize,
    /// Net change of people in levels over the year.
    pub net: f64,
}

/// Flows into and out of the force per fiscal year, from the projection rows
/// (the initial row carries no flows and is skipped).
pub fn fiscal_flows(s: &Scenario, p: &Projection) -> (Vec<FiscalYear>, Vec<Channel>) {
    fiscal_flows_named(s, p, &|n: &str| n.to_string())
}

/// As [`fiscal_flows`], with names in labels written by `name` (shortened).
pub fn fiscal_flows_named(
    s: &Scenario,
    p: &Projection,
    name: &dyn Fn(&str) -> String,
) -> (Vec<FiscalYear>, Vec<Channel>) {
    let mut years: Vec<FiscalYear> = Vec::new();
    for r in &p.rows[1..] {
        if years.last().is_none_or(|y| y.fy != r.fiscal_year) {
            years.push(FiscalYear {
                fy: r.fiscal_year,
                months: 0,
                net: 0.0,
            });
        }
        let y = years.last_mut().expect("just pushed");
        y.months += 1;
    }
    let index = |fy: i32| {
        years
            .iter()
            .position(|y| y.fy == fy)
            .expect("every row's year is listed")
    };
    let ny = years.len();
    let mut channels = Vec::new();
    let sum = |f: &dyn Fn(&crate::engine::Row) -> f64| {
        let mut v = vec![0.0; ny];
        for r in &p.rows[1..] {
            v[index(r.fiscal_year)] += f(r);
        }
        v
    };
    let direct: Vec<usize> = (0..s.inflows.len())
        .filter(|&k| matches!(s.inflows[k].to, Destination::Level(_)))
        .collect();
    for (j, &k) in direct.iter().enumerate() {
        let f = &s.inflows[k];
        let label = format!(
            "{} (direct to {})",
            name(&f.name),
            name(&destination_text(s, f.to))
        );
        channels.push(Channel::new(
            (label, name(&f.name)),
            channel_color(j),
            sum(&|r| r.inflows[k]),
        ));
    }
    let graduating: Vec<String> = s
        .courses
        .iter()
        .filter(|c| matches!(c.graduates_to, Destination::Level(_)))
        .map(|c| name(&c.name))
        .collect();
    if !graduating.is_empty() {
        let fed: Vec<String> = into_courses(s).into_iter().map(name).collect();
        let from = if fed.is_empty() {
            String::new()
        } else {
            format!(", trained from {}", fed.join(" + "))
        };
        let label = format!("Graduates of {}{from}", graduating.join(", "));
        let graduates = sum(&|r| r.flows.graduated);
        channels.push(Channel::new(
            (label, "Course graduates"),
            palette::BLUISH_GREEN,
            graduates,
        ));
    }
    let events_in = sum(&|r| r.flows.events.max(0.0));
    if events_in.iter().any(|&v| v > 0.0) {
        let purple = palette::REDDISH_PURPLE;
        channels.push(Channel::new(
            ("Events: people added", "Events +"),
            purple,
            events_in,
        ));
    }
    let separations = sum(&|r| -r.flows.separations);
    let label = "Separations: attrition, contract ends";
    channels.push(Channel::new(
        (label, "Separations"),
        palette::VERMILLION,
        separations,
    ));
    let events_out = sum(&|r| r.flows.events.min(0.0));
    if events_out.iter().any(|&v| v < 0.0) {
        let plum = RGBColor(120, 60, 100);
        channels.push(Channel::new(
            ("Events: people removed", "Events −"),
            plum,
            events_out,
        ));
    }
    for (i, y) in years.iter_mut().enumerate() {
        y.net = channels.iter().map(|c| c.values[i]).sum();
    }
    (years, channels)
}

/// Years grouped `g` at a time (the last group may be shorter): their
/// months, net change and channel values summed, so the bars still add up
/// to the change in people in levels.
pub fn group_years(
    years: &[FiscalYear],
    channels: &[Channel],
    g: usize,
) -> (Vec<FiscalYear>, Vec<Channel>, Vec<i32>) {
    let g = g.max(1);
    let ys: Vec<FiscalYear> = years
        .chunks(g)
        .map(|c| FiscalYear {
            fy: c[0].fy,
            months: c.iter().map(|y| y.months).sum(),
            net: c.iter().map(|y| y.net).sum(),
        })
        .collect();
    let last: Vec<i32> = years.chunks(g).map(|c| c[c.len() - 1].fy).collect();
    let cs = channels
        .iter()
        .map(|c| Channel {
            values: c.values.chunks(g).map(|v| v.iter().sum()).collect(),
            ..c.clone()
        })
        .collect();
    (ys, cs, last)
}

/// "FY2025" for one year, "FY2025–29" for a group.
fn period_label(first: i32, last: i32, fy_start: u32) -> String {
    if first == last {
        fy_label(first, fy_start)
    } else {
        format!("{}–{:02}", fy_label(first, fy_start), last.rem_euclid(100))
    }
}

/// The whole horizon in one line, and what the final target needed.
fn headline(s: &Scenario, p: &Projection, channels: &[Channel]) -> String {
    let total_in: f64 = channels
        .iter()
        .flat_map(|c| c.values.iter())
        .filter(|v| **v > 0.0)
        .sum();
    let total_out: f64 = channels
        .iter()
        .flat_map(|c| c.values.iter())
        .filter(|v| **v < 0.0)
        .sum();
    // A small team's flows in tenths: "5 joined, 2.8 left, net +2.2", not "net +2".
    let d = team_decimals(p.rows[0].total.max(p.final_row().total));
    let mut head = format!(
        "{} to {}: {} joined, {} left, net {}",
        p.rows[0].month.plus(1),
        p.final_row().month,
        amount(total_in, d),
        amount(-total_out, d),
        signed_amount(total_in + total_out, d)
    );
    // What the final target needed, when the target counts exactly the people in levels.
    if let (true, Some(m)) = (counts_only_levels(p), s.final_milestone()) {
        if m.date == p.final_row().month {
            head.push_str(&format!(
                " · reaching {} by {} needed net {}",
                people(m.headcount),
                m.date,
                signed_amount(m.headcount - p.rows[0].total, d)
            ));
        }
    }
    head
}

/// Colours of the direct-entry inflows, clear of graduates, events and separations.
fn channel_color(j: usize) -> RGBColor {
    const C: [RGBColor; 4] = [
        palette::BLUE,
        palette::SKY_BLUE,
        palette::ORANGE,
        palette::YELLOW,
    ];
    C[j % C.len()]
}

impl Chart for FlowsChart<'_> {
    fn name(&self) -> &str {
        "flows"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (s, p) = (self.0.scenario, self.0.p);
        // Names in the legend are shortened to a sixth of the width; a note
        // gives them in full.
        let pairs = std::cell::RefCell::new(Vec::new());
        let short = |n: &str| {
            let t = marks::short_name(n, theme.small_size(), false, theme.width as i32 / 6);
            pairs.borrow_mut().push((t.clone(), n.to_string()));
            t
        };
        let (years, channels) = fiscal_flows_named(s, p, &short);
        // Long horizons: bars for 2, 5 or 10 fiscal years together, so each
        // bar keeps room for its label (a fiscal year name, or "FY2025–29").
        let ls = theme.label_size();
        let room = theme.width as f64 * 0.6;
        let group = [1usize, 2, 5, 10, 20]
            .into_iter()
            .find(|&g| {
                let label = period_label(2000, 2000 + g as i32 - 1, s.fy_start_month);
                let need = marks::text_size(&label, ls, true).0 as f64 + theme.px(12.0) as f64;
                room / years.len().div_ceil(g) as f64 >= need
            })
            .unwrap_or(20);
        let (years, channels, last_fy) = group_years(&years, &channels, group);
        let queued = into_courses(s);
        let mut sub =
            vec!["Into the force (up): direct-entry inflows, course graduates, events".to_string()];
        if !queued.is_empty() {
            sub.push(format!(
                "{} enter a course queue and count only when they graduate",
                queued.join(", ")
            ));
        }
        sub.push("Out (down): separations; washouts and queue dropouts never joined".into());
        sub.push("Net change = change in people in all levels".into());
        if group > 1 {
            sub.push(format!("each bar is {group} fiscal years together"));
        }
        let per = if group > 1 {
            format!("per {group} fiscal years")
        } else {
            "per fiscal year".to_string()
        };
        let title = format!("{} — joiners and leavers {per}", s.title);
        let head = headline(s, p, &channels);
        let mut frame = Frame::new(title, sub, self.0.stamp).headline(head, palette::TEXT);
        frame.notes = full_names(&pairs.borrow());
        let body = draw_frame(root, theme, &frame)?;
        let ss = theme.small_size();
        // Whole people unless the yearly changes are small (a tiny team).
        let typical = years.iter().map(|y| y.net.abs()).fold(0.0f64, f64::max);
        let nd = decimals_for(typical);

        let legend = |short: bool| {
            let mut items: Vec<LegendItem> = channels
                .iter()
                .map(|c| {
                    let label = if short { &c.short } else { &c.label };
                    LegendItem::new(label.clone(), Swatch::Area(c.color))
                })
                .collect();
            let net = if short {
                "Net change"
            } else {
                "Net change in the year (also below each year)"
            };
            items.push(LegendItem::new(
                net,
                Swatch::marker(Marker::Diamond, palette::BLACK, palette::BLACK),
            ));
            items
        };
        // A small canvas: labels of names alone when the full ones would
        // make the legend taller than the panel beside it.
        let mut items = legend(false);
        if marks::legend_size(theme, &items).1 > body.height() - axes::time_axis_height(theme) {
            items = legend(true);
        }
        let (lw, _) = marks::legend_size(theme, &items);
        let right = lw + theme.px(20.0);

        let ny = years.len();
        let pos_top: Vec<f64> = (0..ny)
            .map(|i| channels.iter().map(|c| c.values[i].max(0.0)).sum())
            .collect();
        let neg_bottom: Vec<f64> = (0..ny)
            .map(|i| channels.iter().map(|c| c.values[i].min(0.0)).sum())
            .collect();
        let hi = pos_top.iter().fold(0.0f64, |a, &b| a.max(b));
        let lo = neg_bottom.iter().fold(0.0f64, |a, &b| a.min(b));
        let pad = (hi - lo).max(1.0) * 0.1;
        let ticks = axes::nice_ticks(lo - pad, hi + pad, 7);
        let fmt = |v: f64| {
            if v > 0.0 {
                format!("+{}", axes::people_tick(v))
            } else {
                axes::people_tick(v)
            }
        };
        // Below: a fiscal year's name, its net change and the axis title, as on a time axis.
        let room = Room::new(axes::time_axis_height(theme), right);
        let y_title = format!("People {per} (joined +, left −)");
        let y = YAxis {
            ticks,
            fmt: &fmt,
            title: &y_title,
        };
        let panel = axes::panel(root, theme, body, &y, (0.0, ny as f64), room)?;
        let a = panel.area;
        marks::line(root, &a.hline(a.y1 - 1), &palette::AXIS, 1)?;

        let cat_w = a.width() as f64 / ny.max(1) as f64;
        let bar_w = (cat_w * 0.55) as i32;
        let mut net_pts = Vec::new();
        // Totals go above/below the bars only when they fit the category.
        let widest = pos_top
            .iter()
            .chain(&neg_bottom)
            .map(|&v| marks::text_size(&amount(v, nd), ss, false).0 + theme.px(12.0))
            .max()
            .unwrap_or(0);
        let show_totals = (widest as f64) < cat_w * 0.95;
        for (i, y) in years.iter().enumerate() {
            let xc = panel.x(i as f64 + 0.5);
            let (x0, x1) = (xc - bar_w / 2, xc + bar_w - bar_w / 2);
            let (mut up, mut down) = (0.0, 0.0);
            for c in &channels {
                let v = c.values[i];
                let (from, to) = if v >= 0.0 {
                    up += v;
                    (up - v, up)
                } else {
                    down += v;
                    (down - v, down)
                };
                if panel.y(from) != panel.y(to) {
                    layout::data(Rect::new(x0, panel.y(to), x1 + 1, panel.y(from) + 1));
                    root.draw(&Rectangle::new(
                        [(x0, panel.y(to)), (x1, panel.y(from))],
                        c.color.filled(),
                    ))?;
                    // A white hairline between stacked segments.
                    root.draw(&Rectangle::new(
                        [(x0, panel.y(to)), (x1, panel.y(from))],
                        palette::WHITE.stroke_width(1),
                    ))?;
                }
            }
            if show_totals {
                marks::text(
                    root,
                    theme,
                    &format!("+{}", amount(up, nd)),
                    ss,
                    false,
                    &palette::TEXT,
                    (xc, panel.y(up) - theme.px(6.0)),
                    HPos::Center,
                    VAlign::Baseline,
                )?;
                if down < 0.0 {
                    marks::text(
                        root,
                        theme,
                        &amount(down, nd),
                        ss,
                        false,
                        &palette::TEXT,
                        (xc, panel.y(down) + theme.px(6.0)),
                        HPos::Center,
                        VAlign::Top,
                    )?;
                }
            }
            net_pts.push((xc, panel.y(y.net)));
        }
        let zero = panel.y(0.0);
        marks::line(root, &[(a.x0, zero), (a.x1 - 1, zero)], &palette::TEXT, 1)?;
        // Net change: diamonds on the bars, joined year to year.
        marks::line(root, &net_pts, &palette::WHITE, theme.px(5.0))?;
        marks::line(root, &net_pts, &palette::BLACK, theme.px(2.0))?;
        for &pt in &net_pts {
            marks::marker(
                root,
                Marker::Diamond,
                pt,
                theme.px(9.0),
                &palette::WHITE,
                &palette::WHITE,
                1,
            )?;
            marks::marker(
                root,
                Marker::Diamond,
                pt,
                theme.px(7.0),
                &palette::BLACK,
                &palette::BLACK,
                1,
            )?;
        }

        // Category labels: the fiscal year, its net change, and its months when partial.
        let row1 = a.y1 + theme.px(10.0);
        let row2 = row1 + (ls * 1.3) as i32;
        let every = {
            let need = years
                .iter()
                .map(|y| marks::text_size(&format!("net {}", signed_amount(y.net, nd)), ss, true).0)
                .max()
                .unwrap_or(0) as f64
                + theme.px(10.0) as f64;
            (need / cat_w).ceil().max(1.0) as usize
        };
        let every = every.max({
            let need = years
                .iter()
                .zip(&last_fy)
                .map(|(y, &l)| {
                    marks::text_size(&period_label(y.fy, l, s.fy_start_month), ls, true).0
                })
                .max()
                .unwrap_or(0) as f64
                + theme.px(10.0) as f64;
            (need / cat_w).ceil().max(1.0) as usize
        });
        for (i, y) in years.iter().enumerate() {
            if i % every != 0 {
                continue;
            }
            // Inside the panel's width, clear of the y tick labels.
            let half = (cat_w * every as f64 / 2.0) as i32;
            let xc = panel.x(i as f64 + 0.5).clamp(
                a.x0 + half.min(a.width() / 2),
                a.x1 - half.min(a.width() / 2),
            );
            marks::text(
                root,
                theme,
                &period_label(y.fy, last_fy[i], s.fy_start_month),
                ls,
                true,
                &palette::TEXT,
                (xc, row1),
                HPos::Center,
                VAlign::Top,
            )?;
            {
                let mut t = format!("net {}", signed_amount(y.net, nd));
                if y.months < 12 * group && y.months % 12 != 0 {
                    t.push_str(&format!(" ({} mo)", y.months));
                }
                marks::text(
                    root,
                    theme,
                    &t,
                    ss,
                    true,
                    &palette::TEXT,
                    (xc, row2),
                    HPos::Center,
                    VAlign::Top,
                )?;
            }
        }
        let ty = row2 + (ss * 1.3) as i32 + theme.px(12.0);
        axes::title_below(
            root,
            theme,
            a,
            &axes::fiscal_year_text(s.fy_start_month),
            ty,
        )?;
        marks::legend(root, theme, &items, (a.x1 + theme.px(14.0), a.y0))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_add_up_to_the_change_in_levels() {
        let loaded = crate::config::load(None, &[]).unwrap();
        let p = crate::engine::project(&loaded.scenario);
        let (years, channels) = fiscal_flows(&loaded.scenario, &p);
        assert_eq!(
            years.iter().map(|y| y.months).sum::<usize>(),
            p.rows.len() - 1
        );
        // Net change of each year = people in levels at its end - at its start.
        let mut start = p.rows[0].in_levels();
        let mut row = 0;
        for y in &years {
            row += y.months;
            let end = p.rows[row].in_levels();
            assert!(
                (y.net - (end - start)).abs() < 1e-6,
                "FY{}: net {} vs {}",
                y.fy,
                y.net,
                end - start
            );
            start = end;
        }
        assert!(channels.iter().any(|c| c.label.starts_with("Graduates")));
    }
}

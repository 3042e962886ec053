//! `pipeline.png`: the training pipeline. Upper panel: people waiting for each
//! course and people in class, month by month. Lower panel: every class start,
//! seats offered (outline) against seats filled (solid), the queue it started
//! from, and a mark on every class that was seat-limited (people left waiting
//! with every seat filled) or instructor-limited (instructors cut the seats
//! below `seats_per_class` and people were left waiting).

use super::Projected;
use crate::engine::{ClassLimit, ClassRecord, Projection};
use crate::format::{people, percent, whole_percent};
use crate::plot::axes::{self, Panel, Room, TimeAxis, YAxis};
use crate::plot::describe::month_abbrev;
use crate::plot::frame::{self, full_names};
use crate::plot::marks::{self, EndLabel, LegendItem, Marker, Swatch, VAlign};
use crate::plot::{draw_frame, layout, palette, Canvas, Chart, DrawResult, Frame, Rect, Theme};
use crate::scenario::{Destination, Scenario};
use crate::summary::Summary;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

pub struct PipelineChart<'a>(pub Projected<'a>);

/// "cyber_school: 2 classes/yr (Apr, Oct) × 65 seats, 5 months, washout 15%, fed by recruits 36/yr, hts_graduates 30/yr".
fn course_text(s: &Scenario, ci: usize) -> String {
    let c = &s.courses[ci];
    let months: Vec<&str> = (1..=12u32)
        .filter(|&m| c.class_starts[m as usize - 1])
        .map(month_abbrev)
        .collect();
    let mut t = format!(
        "{}: {} class{}/yr ({}) × {} seats, {} months, washout {}",
        c.name,
        c.classes_per_year(),
        if c.classes_per_year() == 1 { "" } else { "es" },
        months.join(", "),
        people(c.seats_per_class),
        c.length_months,
        percent(c.washout)
    );
    if let Some(i) = &c.instructors {
        t.push_str(&format!(
            ", instructors: up to {} of {}, {} students each",
            percent(i.max_share),
            s.levels[i.level].name,
            people(i.students_per_instructor)
        ));
    }
    let feeds: Vec<String> = s
        .inflows
        .iter()
        .filter(|f| f.to == Destination::Course(ci))
        .map(|f| format!("{} {}/yr", f.name, people(f.per_year * f.achievement)))
        .collect();
    if !feeds.is_empty() {
        t.push_str(&format!(", fed by {}", feeds.join(" + ")));
    }
    t
}

/// Line style of course `i` (solid for the first, dashed for the others).
/// Line style (dash, gap; `None` = solid) of course `i`'s queue (`kind` 0)
/// or trainees (`kind` 1): the queue is always dashed, as in `levels.png`.
fn course_dash(i: usize, kind: usize) -> Option<(f64, f64)> {
    match (i.min(2), kind) {
        (0, 0) => Some((8.0, 4.0)),
        (0, _) => None,
        (1, 0) => Some((3.0, 4.0)),
        (1, _) => Some((14.0, 5.0)),
        (_, 0) => Some((2.0, 8.0)),
        _ => Some((6.0, 8.0)),
    }
}

impl Chart for PipelineChart<'_> {
    fn name(&self) -> &str {
        "pipeline"
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let (s, p, sm, stamp) = (self.0.scenario, self.0.p, self.0.summary, self.0.stamp);
        let title = format!("{} — training pipeline", s.title);
        let ls = theme.label_size();
        let ss = theme.small_size();
        if s.courses.is_empty() {
            let sub = vec!["No courses in this scenario".into()];
            let body = draw_frame(root, theme, &Frame::new(title, sub, stamp))?;
            let c = ((body.x0 + body.x1) / 2, (body.y0 + body.y1) / 2);
            marks::text(
                root,
                theme,
                "No courses: every inflow joins a level directly.",
                ls,
                false,
                &palette::MUTED,
                c,
                HPos::Center,
                VAlign::Middle,
            )?;
            return Ok(());
        }
        let sub = (0..s.courses.len()).map(|i| course_text(s, i)).collect();
        let (head, hcolor) = headline(p, sm);
        let mut frame: Frame = Frame::new(title, sub, stamp).headline(head, hcolor);
        frame.headline_gap = 6.0;
        let n = p.rows.len() - 1;
        let yearly = by_fiscal_year(theme, n);
        if yearly {
            frame.subtitle.push(
                "over this horizon shown per fiscal year: yearly means and monthly ranges, classes summed".into(),
            );
        }
        let nc = s.courses.len();
        // Course names in labels and the legend are shortened to a sixth of
        // the width; the subtitle has them in full, or, when it has no room
        // for them, a note above the footer.
        let name_w = (theme.width as f64 / 6.0) as i32;
        let short =
            |ci: usize, bold: bool| marks::short_name(&s.courses[ci].name, ss, bold, name_w);
        let shown = frame::subtitle_lines(theme, &frame.subtitle).join(" ");
        let pairs: Vec<(String, String)> = (0..nc)
            .filter(|&ci| !shown.contains(s.courses[ci].name.as_str()))
            .map(|ci| (short(ci, false), s.courses[ci].name.clone()))
            .collect();
        frame.notes = full_names(&pairs);
        let body = draw_frame(root, theme, &frame)?;
        let axis = TimeAxis::new(p.rows[0].month, s.fy_start_month);
        let spans = axis.fiscal_spans(0, n as i32);
        let last = p.final_row();
        let tag = |ci: usize| {
            if nc > 1 {
                format!(" {}", short(ci, true))
            } else {
                String::new()
            }
        };
        let (queue_text, class_text) = (
            palette::readable(palette::QUEUE),
            palette::readable(palette::TRAINING),
        );
        let mut labels: Vec<EndLabel> = Vec::new();
        // The values at the lines' ends: the last month, or the last fiscal year's mean.
        let end_value = |v: f64, of: &dyn Fn(&crate::engine::Row) -> f64| -> String {
            match (yearly, spans.last()) {
                (true, Some(&(_, a, b))) => {
                    let vs: Vec<f64> = p.rows[a as usize + 1..=b as usize].iter().map(of).collect();
                    format!("{} (FY mean)", people(span_stats(&vs).0))
                }
                _ => people(v),
            }
        };
        for ci in 0..nc {
            let waiting = end_value(last.queues[ci], &|r| r.queues[ci]);
            let in_class = end_value(last.training[ci], &|r| r.training[ci]);
            labels.push(EndLabel::new(
                0,
                format!("waiting{} {waiting}", tag(ci)),
                queue_text,
            ));
            labels.push(EndLabel::new(
                0,
                format!("in class{} {in_class}", tag(ci)),
                class_text,
            ));
        }
        let names: Vec<String> = (0..nc).map(|ci| short(ci, false)).collect();
        let legend_items = class_legend(theme, s, p, &names, yearly);
        let (lw, _) = marks::legend_size(theme, &legend_items);
        let right = marks::end_labels_width(theme, &labels)
            .max(lw + theme.px(16.0).max(theme.px(4.0) + 10));

        let (upper, lower) = body.split_top((body.height() as f64 * 0.40) as i32);
        let header = |r: Rect, t: &str, short: &str| -> DrawResult<Rect, DB> {
            let x = r.x0 + marks::text_height(ls) + theme.px(14.0);
            let t = marks::first_fitting(&[t, short], ss, true, r.x1 - x);
            marks::text(
                root,
                theme,
                &t,
                ss,
                true,
                &palette::TEXT,
                (r.x0 + marks::text_height(ls) + theme.px(14.0), r.y0),
                HPos::Left,
                VAlign::Top,
            )?;
            Ok(r.cut_top((ss * 1.2) as i32))
        };
        let note =
            "People waiting for a course (orange, dashed) and in class (purple, solid) at the end of each month";
        let note = if yearly {
            "People waiting for a course (orange, dashed) and in class (purple, solid): mean of each fiscal year, band from its lowest to its highest month"
        } else {
            note
        };
        let upper = header(
            upper,
            &if nc > 1 {
                format!("{note}; line style by course")
            } else {
                note.to_string()
            },
            if yearly {
                "Waiting (orange, dashed) and in class (purple, solid): yearly mean, monthly range"
            } else {
                "Waiting (orange, dashed) and in class (purple, solid)"
            },
        )?;
        let lower = if yearly {
            header(
                lower.cut_top(theme.px(18.0)),
                "Classes of each fiscal year: seats offered against seats filled, and the people waiting at their starts (summed)",
                "Each fiscal year: seats offered and filled, waiting",
            )?
        } else {
            header(
                lower.cut_top(theme.px(18.0)),
                "Each class start: seats offered against seats filled, and the queue it started from",
                "Each class: seats offered and filled, queue",
            )?
        };

        // Upper panel: queue and in class per course.
        let ymax = p
            .rows
            .iter()
            .flat_map(|r| r.queues.iter().chain(&r.training))
            .fold(0.0f64, |a, &b| a.max(b));
        let y = YAxis::people(axes::nice_ticks(0.0, ymax * 1.1, 4), "People");
        let up = axes::panel(
            root,
            theme,
            upper,
            &y,
            (0.0, n as f64),
            Room::new(theme.px(8.0), right),
        )?;
        axes::draw_time_grid(root, &up, &axis)?;
        let w = theme.px(2.5);
        let series = |ci: usize, kind: usize| -> Vec<f64> {
            p.rows
                .iter()
                .map(|r| {
                    if kind == 0 {
                        r.queues[ci]
                    } else {
                        r.training[ci]
                    }
                })
                .collect()
        };
        if yearly {
            // Bands first, so no band hides another course's mean line.
            for ci in 0..nc {
                for (kind, color) in [(0, palette::QUEUE), (1, palette::TRAINING)] {
                    let band = yearly_band(&up, &spans, &series(ci, kind));
                    layout::data_polygon(&band);
                    root.draw(&Polygon::new(band, color.mix(0.15).filled()))?;
                }
            }
        }
        for ci in 0..nc {
            for (kind, color) in [(0, palette::QUEUE), (1, palette::TRAINING)] {
                let values = series(ci, kind);
                let pts = if yearly {
                    yearly_steps(&up, &spans, &values)
                } else {
                    up.monthly(values.iter().copied())
                };
                match course_dash(ci, kind) {
                    None => marks::line(root, &pts, &color, w)?,
                    Some((d, g)) => marks::dashed(root, &pts, &color, w, theme.px(d), theme.px(g))?,
                }
                labels[2 * ci + kind].y = pts[pts.len() - 1].1;
            }
        }
        let ua = up.area;
        marks::line(root, &ua.hline(ua.y1 - 1), &palette::AXIS, 1)?;
        let x = ua.x1 + theme.px(12.0);
        marks::end_labels(root, theme, &labels, x, ua.y0 - theme.px(6.0), ua.y1)?;

        // Lower panel: one bar per class start, or per course and fiscal year
        // (its classes summed), across the months it covers.
        let bars: Vec<(f64, f64, ClassRecord)> = if yearly {
            yearly_classes(p, &spans, nc)
        } else {
            p.classes
                .iter()
                .map(|c| {
                    let x = axis.x(c.month);
                    (x - 1.0, x, c.clone())
                })
                .collect()
        };
        let cmax = bars
            .iter()
            .map(|(_, _, c)| {
                c.queue
                    .max(c.seats_per_class)
                    .max(c.seats_offered.min(1e12))
            })
            .fold(0.0f64, f64::max);
        let cticks = axes::nice_ticks(0.0, cmax * 1.25, 5);
        let y_title = if yearly {
            "People per fiscal year"
        } else {
            "People per class"
        };
        let y = YAxis::people(cticks, y_title);
        let room = Room::new(axes::time_axis_height(theme), right).aligned(ua.x0);
        let lp = axes::panel(root, theme, lower, &y, (0.0, n as f64), room)?;
        let fy = axes::fiscal_year_text(s.fy_start_month);
        let x_title = if yearly {
            format!("Classes started in the fiscal year · {fy}")
        } else {
            format!("Class start month · {fy}")
        };
        axes::draw_time_axis(root, theme, &lp, &axis, &x_title)?;
        let la = lp.area;

        // Each bar takes 80 % of its months' width, split between courses.
        let month_px = lp.x_scale();
        let r = theme.px(7.0);
        // Label "filled/offered" above the bars when the labels fit between bars.
        let mut starts: Vec<i32> = bars.iter().map(|b| b.0 as i32).collect();
        starts.sort_unstable();
        starts.dedup();
        let min_gap = starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain(bars.iter().map(|b| (b.1 - b.0) as i32))
            .min()
            .unwrap_or(12) as f64;
        let widest = bars
            .iter()
            .map(|(_, _, c)| marks::text_size(&fill_text(c.started, c.seats_offered), ss, false).0)
            .max()
            .unwrap_or(0);
        let show_values = nc == 1 && (widest as f64) < min_gap * month_px - theme.px(8.0) as f64;
        for (from, to, c) in &bars {
            let slot = (to - from) * month_px;
            let bar = ((slot * 0.8) / nc as f64).max(3.0) as i32;
            let left = lp.x(*from) + (slot * 0.1) as i32;
            let x0 = left + c.course as i32 * bar;
            let (x1, xc) = (x0 + bar, x0 + bar / 2);
            let color = palette::course(c.course);
            layout::data(Rect::new(
                x0,
                lp.y(c.seats_offered.min(cticks.hi)),
                x1 + 1,
                la.y1,
            ));
            if c.started > 0.0 {
                root.draw(&Rectangle::new(
                    [(x0, lp.y(c.started)), (x1, la.y1 - 1)],
                    color.filled(),
                ))?;
            }
            let offered_y = lp.y(c.seats_offered.min(cticks.hi));
            // A thin outline on narrow bars, so the fill still shows.
            let outline = if bar < theme.px(8.0) {
                1
            } else {
                theme.px(1.5)
            };
            root.draw(&Rectangle::new(
                [(x0, offered_y), (x1, la.y1 - 1)],
                palette::TEXT.stroke_width(outline as u32),
            ))?;
            if c.seats_offered < c.seats_per_class {
                // The seats the class would have had without the instructor limit.
                let y = lp.y(c.seats_per_class);
                let (w, dash, gap) = (theme.px(2.0), theme.px(4.0), theme.px(3.0));
                marks::dashed(
                    root,
                    &[(x0 - 2, y), (x1 + 2, y)],
                    &palette::TEXT,
                    w,
                    dash,
                    gap,
                )?;
            }
            let qy = lp.y(c.queue);
            let waiting = [(x0 - 4, qy), (x1 + 4, qy)];
            marks::line(root, &waiting, &palette::QUEUE, theme.px(3.0))?;
            let top = offered_y.min(qy).min(lp.y(c.seats_per_class));
            if let Some((kind, fill, size)) = limit_mark(c.limit, r) {
                marks::marker(
                    root,
                    kind,
                    (xc, top - r - 3),
                    size,
                    &fill,
                    &palette::BLACK,
                    1,
                )?;
            }
            if show_values {
                let y = if c.limit == ClassLimit::None {
                    top - theme.px(6.0)
                } else {
                    top - 2 * r - theme.px(10.0)
                };
                let t = fill_text(c.started, c.seats_offered);
                marks::text(
                    root,
                    theme,
                    &t,
                    ss,
                    false,
                    &palette::TEXT,
                    (xc, y),
                    HPos::Center,
                    VAlign::Baseline,
                )?;
            }
        }
        let gap = theme.px(12.0).max(theme.px(4.0) + 6);
        marks::legend(root, theme, &legend_items, (la.x1 + gap, la.y0))?;
        Ok(())
    }
}

/// Pinch points: the peak queue, seats filled and the classes a limit cut.
fn headline(p: &Projection, sm: &Summary) -> (String, RGBColor) {
    let offered: f64 = p
        .classes
        .iter()
        .map(|c| c.seats_offered)
        .filter(|x| x.is_finite())
        .sum();
    let filled: f64 = p.classes.iter().map(|c| c.started).sum();
    let share = if offered > 0.0 {
        format!(" ({})", whole_percent(filled / offered))
    } else {
        String::new()
    };
    let head = format!(
        "Peak queue {} ({}) · classes: {} · seats filled {} of {}{share} · seat-limited: {} · instructor-limited: {}",
        // The chart is drawn only for scenarios with courses, which have a queue.
        people(sm.peak_queue.unwrap_or_default()),
        sm.peak_queue_month.map_or_else(String::new, |m| m.to_string()),
        p.classes.len(),
        people(filled),
        people(offered),
        sm.seat_limited_classes,
        sm.instructor_limited_classes
    );
    let limited = sm.seat_limited_classes + sm.instructor_limited_classes > 0;
    let color = if limited {
        palette::MISSED_TEXT
    } else {
        palette::TEXT
    };
    (head, color)
}

/// "26/65": seats filled of seats offered.
fn fill_text(started: f64, offered: f64) -> String {
    format!(
        "{}/{}",
        people(started),
        if offered.is_finite() {
            people(offered)
        } else {
            "∞".into()
        }
    )
}

/// Legend of the class panel (only the marks that appear).
fn class_legend(
    theme: &Theme,
    s: &Scenario,
    p: &Projection,
    names: &[String],
    yearly: bool,
) -> Vec<LegendItem> {
    let mut items = vec![LegendItem::new(
        "Seats offered",
        Swatch::Outline(palette::TEXT),
    )];
    if s.courses.len() == 1 {
        items.push(LegendItem::new(
            "Seats filled",
            Swatch::Area(palette::course(0)),
        ));
    } else {
        for (i, name) in names.iter().enumerate() {
            items.push(LegendItem::new(
                format!("Filled: {name}"),
                Swatch::Area(palette::course(i)),
            ));
        }
    }
    items.push(LegendItem::new(
        if yearly {
            "Waiting at class starts, summed"
        } else {
            "Waiting at class start"
        },
        Swatch::line(palette::QUEUE, theme.px(3.0)),
    ));
    if p.classes
        .iter()
        .any(|c| c.seats_offered < c.seats_per_class)
    {
        items.push(LegendItem::new(
            "Seats before instructor limit",
            Swatch::dashed(palette::TEXT, theme.px(2.0)),
        ));
    }
    let marks = if yearly {
        [
            (ClassLimit::Seats, "Year with a seat-limited class"),
            (
                ClassLimit::Instructors,
                "Year with an instructor-limited class",
            ),
        ]
    } else {
        [
            (ClassLimit::Seats, "Seat-limited class"),
            (ClassLimit::Instructors, "Instructor-limited class"),
        ]
    };
    for (limit, label) in marks {
        if let (true, Some((kind, fill, _))) = (
            p.classes.iter().any(|c| c.limit == limit),
            limit_mark(limit, 0),
        ) {
            items.push(LegendItem::new(
                label,
                Swatch::marker(kind, fill, palette::BLACK),
            ));
        }
    }
    items
}

/// The mark over a class a limit cut, and its half-size for a mark of size
/// `r`: a vermillion triangle for seats, a smaller yellow square for instructors.
fn limit_mark(limit: ClassLimit, r: i32) -> Option<(Marker, RGBColor, i32)> {
    match limit {
        ClassLimit::Seats => Some((Marker::TriangleDown, palette::VERMILLION, r)),
        ClassLimit::Instructors => Some((Marker::Square, palette::YELLOW, r * 4 / 5)),
        ClassLimit::None => None,
    }
}

/// Horizons longer than this many months are shown per fiscal year: monthly,
/// the queue's saw-tooth and the class bars merge into a solid block.
pub const MONTHLY_UP_TO: usize = 15 * 12;

/// Whether `months` are shown per fiscal year: past [`MONTHLY_UP_TO`], or
/// when a month would get less than 3 pixels.
pub fn by_fiscal_year(theme: &Theme, months: usize) -> bool {
    let month_px = theme.width as f64 * 0.75 / months.max(1) as f64;
    months > MONTHLY_UP_TO || month_px < 3.0
}

/// Mean, lowest and highest of `values` (0 for none).
fn span_stats(values: &[f64]) -> (f64, f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (mean, lo, hi)
}

/// The months of a fiscal-year span `(fy, a, b)`: rows `a + 1 ..= b`.
fn span_values<'v>(values: &'v [f64], &(_, a, b): &(i32, i32, i32)) -> &'v [f64] {
    &values[a as usize + 1..=b as usize]
}

/// Each fiscal year's mean of monthly `values` as a step line across its months.
fn yearly_steps(panel: &Panel, spans: &[(i32, i32, i32)], values: &[f64]) -> Vec<(i32, i32)> {
    spans
        .iter()
        .flat_map(|sp| {
            let y = panel.y(span_stats(span_values(values, sp)).0);
            [(panel.x(sp.1 as f64), y), (panel.x(sp.2 as f64), y)]
        })
        .collect()
}

/// The band from each fiscal year's lowest month to its highest, as a polygon.
fn yearly_band(panel: &Panel, spans: &[(i32, i32, i32)], values: &[f64]) -> Vec<(i32, i32)> {
    let stats: Vec<(f64, f64, f64)> = spans
        .iter()
        .map(|sp| span_stats(span_values(values, sp)))
        .collect();
    let mut pts: Vec<(i32, i32)> = Vec::new();
    for (sp, st) in spans.iter().zip(&stats) {
        pts.push((panel.x(sp.1 as f64), panel.y(st.2)));
        pts.push((panel.x(sp.2 as f64), panel.y(st.2)));
    }
    for (sp, st) in spans.iter().zip(&stats).rev() {
        pts.push((panel.x(sp.2 as f64), panel.y(st.1)));
        pts.push((panel.x(sp.1 as f64), panel.y(st.1)));
    }
    pts
}

/// The classes of each course and fiscal-year span summed into one record
/// (seats offered, filled and per class, the queues they started from), with
/// the span's x range; its limit is the worst of its classes' (seats first).
fn yearly_classes(
    p: &Projection,
    spans: &[(i32, i32, i32)],
    nc: usize,
) -> Vec<(f64, f64, ClassRecord)> {
    let origin = p.rows[0].month;
    let mut out = Vec::new();
    for &(_, a, b) in spans {
        for course in 0..nc {
            let of: Vec<&ClassRecord> = p
                .classes
                .iter()
                .filter(|c| c.course == course && (a + 1..=b).contains(&c.month.since(origin)))
                .collect();
            if of.is_empty() {
                continue;
            }
            let has = |l: ClassLimit| of.iter().any(|c| c.limit == l);
            let limit = if has(ClassLimit::Seats) {
                ClassLimit::Seats
            } else if has(ClassLimit::Instructors) {
                ClassLimit::Instructors
            } else {
                ClassLimit::None
            };
            let sum = |f: &dyn Fn(&ClassRecord) -> f64| of.iter().map(|c| f(c)).sum::<f64>();
            out.push((
                a as f64,
                b as f64,
                ClassRecord {
                    course,
                    month: of[0].month,
                    queue: sum(&|c| c.queue),
                    seats_per_class: sum(&|c| c.seats_per_class),
                    instructor_capacity: sum(&|c| c.instructor_capacity),
                    seats_offered: sum(&|c| c.seats_offered),
                    started: sum(&|c| c.started),
                    limit,
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_horizons_are_shown_per_fiscal_year() {
        let t = Theme::new(1600, 900);
        assert!(!by_fiscal_year(&t, 84));
        assert!(!by_fiscal_year(&t, MONTHLY_UP_TO));
        assert!(by_fiscal_year(&t, MONTHLY_UP_TO + 1));
        // A small canvas gives a month under 3 px sooner.
        assert!(by_fiscal_year(&Theme::new(400, 400), 144));
        assert!(!by_fiscal_year(&Theme::new(400, 400), 84));
    }

    #[test]
    fn yearly_classes_keep_every_seat_and_person() {
        let mut loaded = crate::config::load(None, &[]).unwrap();
        loaded.scenario.end = loaded.scenario.start.plus(12 * 20 - 1);
        let p = crate::engine::project(&loaded.scenario);
        let axis = TimeAxis::new(p.rows[0].month, loaded.scenario.fy_start_month);
        let n = p.rows.len() as i32 - 1;
        let spans = axis.fiscal_spans(0, n);
        let nc = loaded.scenario.courses.len();
        let bars = yearly_classes(&p, &spans, nc);
        let total = |f: &dyn Fn(&ClassRecord) -> f64| -> (f64, f64) {
            (
                bars.iter().map(|b| f(&b.2)).sum(),
                p.classes.iter().map(f).sum(),
            )
        };
        for (a, b) in [
            total(&|c| c.started),
            total(&|c| c.queue),
            total(&|c| c.seats_offered),
        ] {
            assert!((a - b).abs() < 1e-6 * b.max(1.0), "{a} vs {b}");
        }
        assert!(bars.len() <= spans.len() * nc && bars.len() >= 20);
        // Mean and range of a year hold its months.
        let v = [0.0, 2.0, 4.0, 6.0];
        assert_eq!(span_stats(&v), (3.0, 0.0, 6.0));
        assert_eq!(span_values(&v, &(0, 0, 2)), &[2.0, 4.0]);
    }
}

//! `forcecast run`: the expected-value projection of one scenario.

use super::{check_out_dir, Answer, Outputs};
use crate::cli::RunArgs;
use crate::config::{self, Loaded};
use crate::engine::{self, ClassLimit, Projection};
use crate::error::{Result, EXIT_MILESTONE_MISSED};
use crate::format::{count, people, signed_people, whole_percent};
use crate::output::csv::{projection_columns, Cell, Table};
use crate::output::markdown::{Align, MdTable, Page};
use crate::output::DataFile;
use crate::plot::{self, ChartOptions};
use crate::scenario::Scenario;
use crate::summary::Summary;

pub fn answer(args: &RunArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let projection = engine::project(&loaded.scenario);
    let summary = Summary::new(&loaded, &projection);
    let mut answer = Answer::default();
    answer.say(&console_summary(&loaded, &summary));
    for w in &summary.warnings {
        answer.warn(w);
    }
    answer.outputs = Some(Outputs {
        dir: args.output.out.join(&loaded.scenario.name),
        ..projection_outputs(
            &loaded,
            &projection,
            &summary,
            &ChartOptions::from(&args.output),
        )?
    });
    if args.fail_below && !summary.final_met() {
        answer.exit_code = EXIT_MILESTONE_MISSED;
    }
    Ok(answer)
}

/// The data files `run` writes: `projection.csv`, `classes.csv`, `summary.json`, `report.md`.
pub fn projection_data(
    loaded: &Loaded,
    p: &Projection,
    summary: &Summary,
) -> anyhow::Result<Vec<DataFile>> {
    let s = &loaded.scenario;
    let mut files = vec![
        DataFile::table("projection", projection_table(s, p)),
        DataFile::table("classes", classes_table(s, p)),
        DataFile::json("summary", summary)?,
        DataFile::page("report", report_page(summary)),
    ];
    if let Some(c) = &summary.costs {
        files.push(DataFile::table(
            "costs",
            crate::costs::table::fiscal_years(c),
        ));
    }
    Ok(files)
}

/// Every file `run` writes for one scenario (the folder left empty).
pub fn projection_outputs(
    loaded: &Loaded,
    p: &Projection,
    summary: &Summary,
    chart: &ChartOptions,
) -> anyhow::Result<Outputs> {
    Ok(Outputs {
        dir: Default::default(),
        data: projection_data(loaded, p, summary)?,
        charts: plot::projection_charts(loaded, p, summary, chart)?,
    })
}

/// `projection.csv`: a row per month (the initial state first).
pub fn projection_table(s: &Scenario, p: &Projection) -> Table {
    let mut t = Table::new(projection_columns(s));
    // The initial row costs nothing; every later row has its month's spending.
    let ledger = crate::costs::ledger(s, p);
    let spend = |i: usize| -> Option<crate::costs::Spend> {
        ledger.as_ref().map(|l| {
            i.checked_sub(1)
                .map_or_else(Default::default, |m| l.months[m].spend)
        })
    };
    for (i, r) in p.rows.iter().enumerate() {
        let f = &r.flows;
        let mut row: Vec<Cell> = vec![
            r.month.to_string().into(),
            r.fiscal_year.to_string().into(),
            r.total.into(),
        ];
        row.extend(r.levels.iter().map(|&x| Cell::Num(x)));
        row.extend(
            [
                r.queue(),
                r.training_total(),
                r.instructors,
                f.queued,
                f.started,
                f.graduated,
                f.chained,
                f.washout,
                f.queue_dropouts,
                f.lateral,
                f.events,
                f.separations,
                f.promotions,
                r.in_levels(),
            ]
            .map(Cell::Num),
        );
        row.extend(
            r.queues
                .iter()
                .chain(&r.training)
                .chain(&r.inflows)
                .map(|&x| Cell::Num(x)),
        );
        let now = s.in_effect(r.month);
        for (l, &stock) in r.levels.iter().enumerate() {
            if let Some(posts) = now.authorised_in(l, r.month) {
                let fill = if posts > 0.0 { stock / posts } else { f64::NAN };
                row.extend([posts, (posts - stock).max(0.0), fill].map(Cell::Num));
            }
        }
        for (l, lv) in s.levels.iter().enumerate() {
            if lv.qualification.is_some() {
                let q = &r.qualification[l];
                row.extend(
                    [
                        q.unqualified(),
                        q.in_qualification,
                        r.levels[l] - q.unqualified(),
                        q.capacity,
                        if q.limited { 1.0 } else { 0.0 },
                    ]
                    .map(Cell::Num),
                );
            }
        }
        if let Some(x) = spend(i) {
            row.extend(x.parts().map(Cell::Num));
            row.push(x.total().into());
        }
        t.push(row);
    }
    t
}

/// `classes.csv`: a row per class start.
pub fn classes_table(s: &Scenario, p: &Projection) -> Table {
    let mut t = Table::new([
        "course",
        "month",
        "queue",
        "seats_per_class",
        "instructor_capacity",
        "seats_offered",
        "started",
        "limit",
    ]);
    for c in &p.classes {
        t.push(vec![
            s.courses[c.course].name.as_str().into(),
            c.month.to_string().into(),
            c.queue.into(),
            c.seats_per_class.into(),
            c.instructor_capacity.into(),
            c.seats_offered.into(),
            c.started.into(),
            match c.limit {
                ClassLimit::None => "none",
                ClassLimit::Seats => "seats",
                ClassLimit::Instructors => "instructors",
            }
            .into(),
        ]);
    }
    t
}

/// `report.md`: the console summary as a Markdown page a reviewer can read
/// next to the charts.
pub fn report_page(s: &Summary) -> Page {
    let mut page = Page::default();
    page.heading(1, &s.title);
    page.paragraph(format!(
        "Scenario `{}`, {} .. {}, config `{}`.",
        s.scenario,
        s.start,
        s.end,
        &s.config_hash[..12]
    ));
    page.table(MdTable {
        header: [
            ("milestone", Align::Left),
            ("target", Align::Right),
            ("projected", Align::Right),
            ("gap", Align::Right),
            ("met", Align::Left),
        ]
        .map(|(h, a)| (h.to_string(), a))
        .to_vec(),
        rows: s
            .milestones
            .iter()
            .map(|m| {
                vec![
                    format!(
                        "{}{}",
                        m.date,
                        m.label
                            .as_deref()
                            .map(|l| format!(" ({l})"))
                            .unwrap_or_default()
                    ),
                    people(m.target),
                    people(m.projected),
                    signed_people(m.gap),
                    if m.met { "yes" } else { "**no**" }.to_string(),
                ]
            })
            .collect(),
    });
    let mix: Vec<String> = s
        .final_levels
        .iter()
        .map(|(k, v)| format!("{k} {}", people(*v)))
        .collect();
    page.paragraph(format!(
        "Final total {} ({}).",
        people(s.final_total),
        mix.join(", ")
    ));
    page.paragraph(match s.first_month_at_final_target {
        Some(m) => format!("The final target is first reached in {m}."),
        None => format!("The final target is not reached by {}.", s.end),
    });
    if let Some(line) = pipeline_line(s) {
        page.paragraph(format!("{}.", capitalised(&line)));
    }
    if let Some(line) = s.absorption_line() {
        page.paragraph(format!("{}.", capitalised(&line)));
    }
    for w in &s.warnings {
        page.paragraph(format!("Warning: {w}"));
    }
    page
}

/// "peak queue 1,840 (2027-04); classes limited by seats: 33, by
/// instructors: 0"; `None` without courses, where there is no queue.
fn pipeline_line(s: &Summary) -> Option<String> {
    Some(format!(
        "peak queue {} ({}); {} seat-limited and {} instructor-limited classes",
        people(s.peak_queue?),
        s.peak_queue_month?,
        s.seat_limited_classes,
        s.instructor_limited_classes
    ))
}

fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The short table printed after a run.
pub fn console_summary(loaded: &Loaded, s: &Summary) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} [{}] {} .. {}  (config {}, {})",
        s.title,
        s.scenario,
        s.start,
        s.end,
        loaded.short_hash(),
        loaded.label
    );
    if !s.milestones.is_empty() {
        let _ = writeln!(
            out,
            "  {:<26} {:>9} {:>10} {:>9}  met",
            "milestone", "target", "projected", "gap"
        );
        for m in &s.milestones {
            let name = match &m.label {
                Some(l) => format!("{} {l}", m.date),
                None => m.date.to_string(),
            };
            let qualified = m
                .qualified
                .map_or(String::new(), |q| format!("  ({} qualified)", people(q)));
            let _ = writeln!(
                out,
                "  {:<26} {:>9} {:>10} {:>9}  {}{qualified}",
                name,
                people(m.target),
                people(m.projected),
                signed_people(m.gap),
                if m.met { "yes" } else { "NO" }
            );
        }
    }
    // Counting qualified people only, the total is not the levels' sum:
    // shares are of the people in post.
    let in_post: f64 = s.final_levels.values().sum();
    let whole = if loaded.scenario.target.count_qualified {
        in_post
    } else {
        s.final_total
    };
    let mix: Vec<String> = s
        .final_levels
        .iter()
        .map(|(k, v)| {
            let share = if whole > 0.0 { v / whole } else { 0.0 };
            format!("{k} {} ({})", people(*v), whole_percent(share))
        })
        .collect();
    let qualified = if loaded.scenario.target.count_qualified {
        format!(" qualified (of {} in post)", people(in_post))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  final total {}{qualified} at {}: {}",
        people(s.final_total),
        s.end,
        mix.join(", ")
    );
    if let Some(m) = s.milestones.last() {
        match s.first_month_at_final_target {
            Some(first) => {
                let _ = writeln!(out, "  {} first reached in {first}", people(m.target));
            }
            None => {
                let _ = writeln!(out, "  {} not reached by {}", people(m.target), s.end);
            }
        }
    }
    if s.peak_queue.is_some() {
        let _ = writeln!(
            out,
            "  peak queue {} ({}); classes limited by seats: {}, by instructors: {}",
            people(s.peak_queue.unwrap_or_default()),
            s.peak_queue_month.map_or(String::new(), |m| m.to_string()),
            s.seat_limited_classes,
            s.instructor_limited_classes
        );
    }
    if let Some(line) = s.absorption_line() {
        let _ = writeln!(out, "  {line}");
    }
    if let Some(line) = crate::analysis::holding_line(&loaded.scenario) {
        let _ = writeln!(out, "  {line}{}", seats_caveat(s));
    }
    out
}

/// The sustainment figure comes from the Markov chain, which lets every
/// graduate through at once: say so when seats or instructors bound in the
/// projection, naming the course, or the figure reads as "the plan is enough".
fn seats_caveat(s: &Summary) -> String {
    let Some(c) = s.binding_course() else {
        return String::new();
    };
    let seats = count(
        c.seat_limited_classes as u64,
        "seat-limited class",
        "seat-limited classes",
    );
    let instructors = count(
        c.instructor_limited_classes as u64,
        "instructor-limited class",
        "instructor-limited classes",
    );
    let limited = match (c.seat_limited_classes, c.instructor_limited_classes) {
        (0, 0) => format!(
            "{} still waiting for it at {}",
            people(c.final_queue),
            s.end
        ),
        (_, 0) => seats,
        (0, _) => instructors,
        _ => format!("{seats} and {instructors}"),
    };
    format!(
        " That figure assumes class seats never bind, but {}'s bound: {limited}, its queue peaking at {} ({}).",
        c.course,
        people(c.peak_queue),
        c.peak_queue_month
    )
}

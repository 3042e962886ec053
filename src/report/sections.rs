//! The sections of the briefing, in the order a reviewer reads them. Each
//! function returns `None` when it has nothing to say (no observations, no
//! milestones).

use super::{Context, Study};
use crate::calibrate::Role;
use crate::config::sources::{self, Assumption};
use crate::format::{
    chance_in, of_runs, people, signed_people, thousands, value_label, whole_percent,
};
use crate::output::html::{Block, Figure, HtmlTable, Section};
use crate::output::OutputFile;
use crate::scenario::ObservedKind;

/// The sections, in reading order.
///
/// Merge points for results other branches add: a plan section (issue 15)
/// goes after `costs` and before `assumptions`; per-scenario plan charts go
/// in [`scenario_figures`]. The cost chart is shown in `costs`, beside the
/// tables it draws.
pub const SECTIONS: &[fn(&Context) -> Option<Section>] = &[
    answer,
    backtest,
    scenarios,
    planning,
    costs,
    assumptions,
    method,
];

fn figure(chart: &OutputFile, alt: String, caption: String) -> Figure {
    Figure {
        png: chart.bytes.clone(),
        alt,
        caption,
    }
}

/// Section 1: The question, one paragraph of answer per scenario, the comparison.
fn answer(cx: &Context) -> Option<Section> {
    let mut s = Section::new("answer", "The question and the answer");
    let first = cx.studies.first()?;
    let question = match first.loaded.scenario.target.milestones.as_slice() {
        [] => "How does the workforce grow under each scenario?".to_string(),
        ms => format!(
            "Does the workforce reach its milestones ({}), how likely is it, what limits it, and what would it take?",
            ms.iter()
                .map(|m| {
                    let goal = crate::goal::Goal {
                        date: m.date,
                        headcount: m.headcount,
                        label: m.label.clone(),
                    };
                    goal.describe()
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    s.paragraph(format!("The question: {question}"));
    for st in cx.studies {
        s.heading(format!("{} ({})", st.loaded.scenario.title, st.name()));
        s.blocks.push(Block::Callout(answer_paragraph(st)));
    }
    s.heading("All scenarios side by side");
    let mut t = HtmlTable::new(&[
        ("scenario", false),
        ("final total (expected)", true),
        ("final milestone", true),
        ("P(meet final)", true),
        ("90% of runs", true),
        ("milestones met", true),
        ("first month at final target", false),
    ]);
    t.caption = Some(format!(
        "Expected totals are the deterministic projection; P(meet) and the 90% range are from {} Monte Carlo runs per scenario.",
        people(cx.opts.runs as f64)
    ));
    for st in cx.studies {
        let sm = &st.summary;
        let met = sm.milestones.iter().filter(|m| m.met).count();
        let final_odds = st.mc.milestones.last();
        let f = &st.mc.final_total;
        let row = vec![
            st.name().to_string(),
            people(sm.final_total),
            sm.milestones.last().map_or("none".into(), |m| {
                format!("{} by {}", people(m.target), m.date)
            }),
            final_odds.map_or("—".into(), |m| chance_in(m.probability, st.mc.runs)),
            format!("{} – {}", people(f.p5), people(f.p95)),
            format!("{met} of {}", sm.milestones.len()),
            match (sm.milestones.last(), sm.first_month_at_final_target) {
                (None, _) => "no milestones".into(),
                (Some(_), Some(m)) => m.to_string(),
                (Some(_), None) => format!("not by {}", sm.end),
            },
        ];
        let class = if sm.final_met() { "met" } else { "miss" };
        t.push_class(row, class);
    }
    s.table(t);
    if let Some(c) = &cx.compare {
        s.figure(figure(
            c,
            "Counted total of every scenario, month by month".into(),
            format!(
                "Every scenario's expected counted total on one axis, {} as the reference. See where the lines part (the date a scenario's policy starts) and how far each ends from the final milestone.",
                first.name()
            ),
        ));
    }
    Some(s)
}

/// The one paragraph a reviewer reads for a scenario.
pub fn answer_paragraph(st: &Study) -> String {
    let sm = &st.summary;
    let s = &st.loaded.scenario;
    let mut parts = Vec::new();
    let describe = |m: &crate::summary::MilestoneResult| {
        let name = m.label.clone().unwrap_or_else(|| m.date.to_string());
        format!(
            "{} {name} ({} by {}: projected {}, {})",
            if m.met { "meets" } else { "misses" },
            people(m.target),
            m.date,
            people(m.projected),
            signed_people(m.gap)
        )
    };
    match sm.milestones.split_last() {
        None => parts.push(format!(
            "No milestones; the expected total at {} is {}.",
            sm.end,
            people(sm.final_total)
        )),
        Some((last, earlier)) => {
            let mut verdict = describe(last);
            if let Some(c) = verdict.get_mut(0..1) {
                c.make_ascii_uppercase();
            }
            parts.push(format!("{verdict}."));
            if !earlier.is_empty() {
                parts.push(format!(
                    "Before it, it {}.",
                    earlier.iter().map(describe).collect::<Vec<_>>().join("; ")
                ));
            }
        }
    }
    if let Some(m) = st.mc.milestones.last() {
        parts.push(format!(
            "In {} Monte Carlo runs (seed {}) it meets the final milestone in {}; 90% of runs end between {} and {}.",
            people(st.mc.runs as f64),
            st.mc.seed,
            of_runs(m.probability, st.mc.runs),
            people(st.mc.final_total.p5),
            people(st.mc.final_total.p95)
        ));
    }
    parts.push(binds(st));
    if let Some(c) = &sm.costs {
        let spread = st
            .cost_runs
            .as_ref()
            .and_then(|r| r.last())
            .map(|all| format!(" (90% of runs {} – {})", money(all.p5), money(all.p95)))
            .unwrap_or_default();
        parts.push(format!(
            "It costs {} {} from {} to {}{spread}{}.",
            money(c.total),
            c.currency,
            sm.start,
            sm.end,
            c.cost_per_added_person
                .map(|per| format!(", {} per added person", value_label(per)))
                .unwrap_or_default()
        ));
    }
    if let Some((q, sol)) = st.solves.first() {
        parts.push(format!(
            "What it would take: {}",
            crate::commands::solve::sentence(s, q, sol)
        ));
    }
    if let Some(line) = crate::analysis::holding_line(s) {
        parts.push(format!("After the target: {line}"));
    }
    parts.join(" ")
}

/// What limits growth: a school at capacity, else the inflows; and the
/// largest lever.
fn binds(st: &Study) -> String {
    let sm = &st.summary;
    let school = match sm.binding_course() {
        Some(c) => format!(
            "The {} course binds: {} seat-limited and {} instructor-limited classes, its queue peaking at {} ({}).",
            c.course,
            c.seat_limited_classes,
            c.instructor_limited_classes,
            people(c.peak_queue),
            c.peak_queue_month
        ),
        None if st.loaded.scenario.courses.is_empty() => {
            "Growth is set by the inflows and attrition (no courses).".to_string()
        }
        None => "No class is ever full, so seats and instructors do not bind: growth is set by the inflows and attrition.".to_string(),
    };
    // On-the-job qualification limits who is ready, not who is in post:
    // say when mentors bind and how many counted people are qualified.
    let absorption = sm.absorption_line().map(|line| {
        let qualified = sm
            .milestones
            .last()
            .and_then(|m| m.qualified.map(|q| (m, q)))
            .filter(|(_, q)| q.is_finite())
            .map(|(m, q)| {
                format!(
                    " At {} {} of the people counted are qualified.",
                    m.date,
                    people(q)
                )
            })
            .unwrap_or_default();
        format!(" On-the-job qualification: {line}.{qualified}")
    });
    let school = school + &absorption.unwrap_or_default();
    let delta = whole_percent(st.sensitivity.delta);
    let end = st.loaded.scenario.end;
    let most = st.sensitivity.rows.first().map(|r| {
        format!(
            " The assumption that matters most is {}: ±{delta} moves the expected total at {end} by {}.",
            r.path,
            people(r.swing)
        )
    });
    let lever = st.solves.first().and_then(|(_, sol)| {
        let r = st.sensitivity.rows.iter().find(|r| r.path == sol.path)?;
        (Some(&r.path) != st.sensitivity.rows.first().map(|r| &r.path)).then(|| {
            format!(
                " The largest lever is {}: ±{delta} moves it by {}.",
                r.path,
                people(r.swing)
            )
        })
    });
    school + &most.unwrap_or_default() + &lever.unwrap_or_default()
}

/// Section 2, the back-test: a scenario's fit in full where its history
/// differs from every scenario shown before it.
fn backtest(cx: &Context) -> Option<Section> {
    let with: Vec<&Study> = cx
        .studies
        .iter()
        .filter(|s| s.calibration.is_some())
        .collect();
    if with.is_empty() {
        return None;
    }
    let mut s = Section::new("backtest", "Does the model reproduce history?");
    s.paragraph(
        "Each scenario's projection against the published headcounts in its [[observed]] list. The parameters the config labels fitted are refitted to the counts (weighted least squares, plans shown but not fitted; docs/calibration.md): a refitted value close to the configured one says the configured value still follows from the data. Scenarios with the same history as one shown before are listed in the first table only.",
    );
    // Which scenarios are shown in full: those whose history differs from
    // every scenario shown before them.
    let mut shown: Vec<&Study> = Vec::new();
    let mut twins: Vec<Option<String>> = Vec::new();
    for st in &with {
        let twin = shown
            .iter()
            .find(|o| same_history(o, st))
            .map(|o| o.name().to_string());
        if twin.is_none() {
            shown.push(st);
        }
        twins.push(twin);
    }
    let mut summary = HtmlTable::new(&[
        ("scenario", false),
        ("observations (fitted)", true),
        ("RMSE of the fitted counts, people", true),
        ("χ² / dof", true),
        ("history shown under", false),
    ]);
    for (st, twin) in with.iter().zip(&twins) {
        let cal = st.calibration.as_ref().and_then(|c| c.as_ref().ok());
        summary.push(vec![
            st.name().into(),
            match cal {
                Some(c) => format!(
                    "{} ({})",
                    st.loaded.scenario.observed.len(),
                    c.points.iter().filter(|p| p.role == Role::Fit).count()
                ),
                None => st.loaded.scenario.observed.len().to_string(),
            },
            // Tenths: a fit with as many parameters as counts but one sits
            // within a person of them, and "0" would read as a perfect match.
            cal.map_or("—".into(), |c| thousands(c.rmse_fit, 1)),
            cal.map_or("—".into(), |c| {
                if c.dof > 0 {
                    format!("{:.2}", c.chi2 / c.dof as f64)
                } else {
                    "— (no dof)".into()
                }
            }),
            twin.clone().unwrap_or_else(|| st.name().to_string()),
        ]);
    }
    summary.caption = Some("Every scenario with observations; a scenario whose projection at every observation date is within a tenth of its sd of an earlier one is shown under that one. Plans are shown, not fitted. Where a scenario fits nearly as many parameters as it has counts (the baseline: two and three), a small RMSE is expected by construction: it says the fitted values are consistent with the counts, not that the model predicts. The out-of-sample test is the README's hold-out (fitted to end FY2023, it predicts the Jul 2024 count within its sd).".into());
    s.table(summary);
    for (st, twin) in with.iter().zip(&twins) {
        if twin.is_some() {
            continue;
        }
        s.heading(format!("{} ({})", st.loaded.scenario.title, st.name()));
        match st.calibration.as_ref()? {
            Ok(cal) => {
                if let Some(c) = st.chart("backtest") {
                    s.figure(figure(
                        c,
                        format!("Back-test of {}", st.name()),
                        "The projection with the refitted values against each published figure (±1 sd). See whether every count lies within its error bar, and how far the plans (shown, not fitted) sit from the line.".into(),
                    ));
                }
                let mut p = HtmlTable::new(&[
                    ("parameter", false),
                    ("configured", true),
                    ("refitted", true),
                    ("± se", true),
                ]);
                p.caption = Some(format!(
                    "Refit to the counts {} .. {}; {}.",
                    cal.fit_from,
                    cal.fit_to,
                    if cal.identifiable {
                        "every parameter is identified"
                    } else {
                        "not every parameter is identified by the data"
                    }
                ));
                for f in &cal.parameters {
                    p.push(vec![
                        f.path.clone(),
                        value_label(f.configured),
                        value_label(f.fitted),
                        f.se.map_or("—".into(), value_label),
                    ]);
                }
                s.table(p);
                let mut t = HtmlTable::new(&[
                    ("date", false),
                    ("figure", false),
                    ("kind", false),
                    ("observed", true),
                    ("sd", true),
                    ("model", true),
                    ("residual", true),
                    ("z", true),
                    ("role", false),
                ]);
                t.caption =
                    Some("Observations against the refitted projection (model − observed).".into());
                for pt in &cal.points {
                    let class = if pt.z.abs() > 2.0 { "miss" } else { "" };
                    t.push_class(
                        vec![
                            pt.date.to_string(),
                            pt.label.clone().unwrap_or_default(),
                            match pt.kind {
                                ObservedKind::Count => "count",
                                ObservedKind::Plan => "plan",
                            }
                            .into(),
                            people(pt.observed),
                            people(pt.sd),
                            people(pt.fitted),
                            signed_people(pt.residual),
                            format!("{:+.2}", pt.z),
                            match pt.role {
                                Role::Fit => "fitted",
                                Role::Holdout => "held out",
                                Role::Shown => "shown",
                            }
                            .into(),
                        ],
                        class,
                    );
                }
                s.table(t);
            }
            Err(e) => s.paragraph(format!("No refit: {e}.")),
        }
    }
    Some(s)
}

/// The smallest sd of `a`'s observations dated `d`.
fn sd_at(a: &Study, d: crate::month::Month) -> f64 {
    a.loaded
        .scenario
        .observed
        .iter()
        .filter(|o| o.date == d)
        .map(|o| o.sd)
        .fold(f64::INFINITY, f64::min)
}

/// Two studies have the same history when they have the same observations
/// and project totals within a tenth of an sd of each other at their dates.
fn same_history(a: &Study, b: &Study) -> bool {
    let dates = a
        .loaded
        .scenario
        .observed
        .iter()
        .chain(&b.loaded.scenario.observed)
        .map(|o| o.date);
    let obs = |s: &Study| {
        s.loaded
            .scenario
            .observed
            .iter()
            .map(|o| (o.date, o.headcount.to_bits(), o.kind))
            .collect::<Vec<_>>()
    };
    obs(a) == obs(b)
        && dates
            .into_iter()
            .all(|d| match (a.projection.at(d), b.projection.at(d)) {
                (Some(x), Some(y)) => (x.total - y.total).abs() < 0.1 * sd_at(a, d),
                (None, None) => true,
                _ => false,
            })
}

/// The charts of one scenario with what to see in each, in reading order
/// (the cost chart is in the costs section).
pub fn scenario_figures(st: &Study) -> Vec<Figure> {
    let s = &st.loaded.scenario;
    let target = st
        .summary
        .milestones
        .last()
        .map(|m| format!("{} by {}", people(m.target), m.date));
    let mut out = Vec::new();
    let mut add = |name: &str, alt: &str, caption: String| {
        if let Some(c) = st.chart(name) {
            out.push(figure(c, format!("{alt} of {}", s.name), caption));
        }
    };
    add(
        "headcount",
        "Counted total",
        format!(
            "The expected counted total month by month against the milestones{}. See whether the line clears each milestone mark and when it crosses the final one.",
            target.as_ref().map_or(String::new(), |t| format!(" (final: {t})"))
        ),
    );
    add(
        "fan",
        "Monte Carlo fan",
        format!(
            "The spread of {} Monte Carlo runs (bands: 5-95% and 25-75% of runs) around the expected line. See how wide the band is at the final milestone: the wider it is, the less the expected value alone says.",
            people(st.mc.runs as f64)
        ),
    );
    add(
        "levels",
        "People by level",
        "People in post by level. See whether the senior levels grow with the total or lag it: promotion delays show as a later rise in the upper bands.".into(),
    );
    add(
        "pipeline",
        "Training pipeline",
        "The school queue, people in class and class seats. See whether the queue grows (seats bind) or stays empty (the inflow, not the school, limits growth).".into(),
    );
    add(
        "flows",
        "Flows",
        "Arrivals and departures per fiscal year. See which channel carries the growth and how much attrition takes back each year.".into(),
    );
    out
}

/// Section 3: Per scenario: its charts with captions.
fn scenarios(cx: &Context) -> Option<Section> {
    let mut s = Section::new("scenarios", "Each scenario in charts");
    for st in cx.studies {
        s.heading(format!("{} ({})", st.loaded.scenario.title, st.name()));
        for f in scenario_figures(st) {
            s.figure(f);
        }
    }
    Some(s)
}

/// Section 4: Which assumption matters most, and what the main levers would have to be.
fn planning(cx: &Context) -> Option<Section> {
    let mut s = Section::new("planning", "What matters most, and what it would take");
    s.paragraph(format!(
        "Sensitivity: each numeric parameter moved ±{} (clamped to its valid range), one at a time, and the expected total at the end of the horizon recomputed. Goal seeking: for the {} largest levers (inflow volumes, seats, attrition, promotion, recruiting achievement, washout), the value that just meets the final milestone in expected values (forcecast solve).",
        whole_percent(cx.opts.delta),
        cx.opts.levers
    ));
    for st in cx.studies {
        s.heading(format!("{} ({})", st.loaded.scenario.title, st.name()));
        if let Some(c) = st.chart("tornado") {
            s.figure(figure(
                c,
                format!("Sensitivity of {}", st.name()),
                "Each bar: the expected final total with the parameter 20% lower and 20% higher, largest swing first. See which few parameters matter; a short bar means the answer does not depend on that assumption.".replace("20%", &whole_percent(cx.opts.delta)),
            ));
        }
        if st.solves.is_empty() {
            s.paragraph("No goal seeking: the scenario has no milestone.");
        } else {
            s.blocks.push(Block::List(
                st.solves
                    .iter()
                    .map(|(q, sol)| crate::commands::solve::sentence(&st.loaded.scenario, q, sol))
                    .collect(),
            ));
        }
    }
    Some(s)
}

/// How many of the drawn parameters are unit costs, for a caption.
fn unit_costs_drawn(drawn: &[String]) -> String {
    let k = drawn.iter().filter(|p| p.starts_with("costs.")).count();
    match (k, drawn.len()) {
        (0, _) => String::new(),
        (1, 1) => ", a unit cost".into(),
        (k, n) if k == n => ", all unit costs".into(),
        (1, _) => ", one of them a unit cost".into(),
        (k, _) => format!(", {k} of them unit costs"),
    }
}

/// Money for people: whole units with thousands separators.
fn money(x: f64) -> String {
    thousands(x, 0)
}

/// Section 4b, only when a scenario has `[costs]`: what each costs per
/// fiscal year by component, the cost chart, the total and the cost per
/// added person, and the Monte Carlo's spread of the cost and the share of
/// runs within each budget.
fn costs(cx: &Context) -> Option<Section> {
    let with: Vec<&Study> = cx
        .studies
        .iter()
        .filter(|st| st.summary.costs.is_some())
        .collect();
    if with.is_empty() {
        return None;
    }
    let mut s = Section::new("costs", "What it costs");
    s.paragraph("Spending per fiscal year from the configs' [costs] (docs/model.md, Costs): pay = yearly pay / 12 on each month's end-of-month people in post; training per trainee-month in class; a fixed cost per class started; a cost per entrant. Figures in the expected-value projection, then their spread over the same Monte Carlo runs as the headcounts (process noise and every [uncertainty] entry, unit costs included).");
    let without: Vec<&str> = cx
        .studies
        .iter()
        .filter(|st| st.summary.costs.is_none())
        .map(Study::name)
        .collect();
    if !without.is_empty() {
        s.paragraph(format!("No [costs] in: {}.", without.join(", ")));
    }
    for st in with {
        let c = st.summary.costs.as_ref()?;
        let cur = &c.currency;
        s.heading(format!("{} ({})", st.loaded.scenario.title, st.name()));
        let first = c.fiscal_years.first().map(|y| y.fiscal_year);
        let last = c.fiscal_years.last().map(|y| y.fiscal_year);
        let span = match (first, last) {
            (Some(a), Some(b)) if a != b => format!("FY{a}-FY{b}"),
            (Some(a), _) => format!("FY{a}"),
            _ => "the horizon".into(),
        };
        let mut text = format!(
            "Over {span} ({} .. {}) it costs {} {cur} in expected values, of which pay {}. ",
            st.summary.start,
            st.summary.end,
            money(c.total),
            money(c.by_component.pay)
        );
        text += &match c.cost_per_added_person {
            Some(per) => format!(
                "The counted total grows by {}, so each added person cost {} {cur}, everything included.",
                people(c.added_people),
                value_label(per)
            ),
            None => format!(
                "The counted total does not grow ({}), so there is no cost per added person.",
                signed_people(c.added_people)
            ),
        };
        if let Some(all) = st.cost_runs.as_ref().and_then(|r| r.last()) {
            text += &format!(
                " In the {} Monte Carlo runs the horizon's cost has median {} {cur}; 90% of runs between {} and {}.",
                people(st.mc.runs as f64),
                money(all.p50),
                money(all.p5),
                money(all.p95)
            );
        }
        if !c.over_budget.is_empty() {
            text += &format!(
                " Over budget in expected values: {}.",
                c.over_budget
                    .iter()
                    .map(|y| format!("FY{y}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        s.paragraph(text);
        if let Some(chart) = st.chart("costs") {
            s.figure(figure(
                chart,
                format!("Cost per fiscal year of {}", st.name()),
                "Spending per fiscal year, stacked by component, with each year's budget as a dashed mark where one is given. See which component dominates (pay grows with the people in post) and which years come near or over their budget; partial years at the ends of the horizon are shorter bars.".into(),
            ));
        }
        let budgets = c.fiscal_years.iter().any(|y| y.budget.is_some());
        let mut head: Vec<(&str, bool)> = vec![
            ("fiscal year", false),
            ("months", true),
            ("pay", true),
            ("training", true),
            ("classes", true),
            ("entrants", true),
            ("total", true),
        ];
        if budgets {
            head.extend([("budget", true), ("headroom", true)]);
        }
        let mut t = HtmlTable::new(&head);
        t.caption = Some(format!(
            "Expected-value spending in {cur}; months = the months of the fiscal year inside the horizon."
        ));
        for y in &c.fiscal_years {
            let mut row = vec![format!("FY{}", y.fiscal_year), y.months.to_string()];
            row.extend(y.spend.parts().map(money));
            row.push(money(y.total));
            if budgets {
                row.push(y.budget.map_or("—".into(), money));
                row.push(y.budget.map_or("—".into(), |b| money(b - y.total)));
            }
            let class = if y.within_budget == Some(false) {
                "miss"
            } else {
                ""
            };
            t.push_class(row, class);
        }
        let mut row = vec![
            "all".to_string(),
            c.fiscal_years
                .iter()
                .map(|y| y.months)
                .sum::<u32>()
                .to_string(),
        ];
        row.extend(c.by_component.parts().map(money));
        row.push(money(c.total));
        if budgets {
            row.extend(["".to_string(), "".to_string()]);
        }
        t.push(row);
        s.table(t);
        if let Some(rows) = &st.cost_runs {
            let mut head: Vec<(&str, bool)> = vec![
                ("fiscal year", false),
                ("mean", true),
                ("p5", true),
                ("p50", true),
                ("p95", true),
            ];
            if budgets {
                head.extend([("budget", true), ("runs within budget", true)]);
            }
            let mut t = HtmlTable::new(&head);
            t.caption = Some(format!(
                "Cost in {cur} over {} Monte Carlo runs (seed {}; {}): mean and nearest-rank percentiles.",
                people(st.mc.runs as f64),
                st.mc.seed,
                st.mc.uncertainty_text() + &unit_costs_drawn(&st.mc.uncertain_parameters)
            ));
            for r in rows {
                let mut row = vec![
                    r.fiscal_year.map_or("all".into(), |f| format!("FY{f}")),
                    money(r.mean),
                    money(r.p5),
                    money(r.p50),
                    money(r.p95),
                ];
                if budgets {
                    row.push(r.budget.map_or("—".into(), money));
                    row.push(
                        r.within_budget
                            .map_or("—".into(), |w| chance_in(w, st.mc.runs)),
                    );
                }
                t.push(row);
            }
            s.table(t);
        }
    }
    Some(s)
}

/// Section 5: every number of every scenario with its provenance, the
/// reference in full, each other scenario as its differences from it.
fn assumptions(cx: &Context) -> Option<Section> {
    let first = cx.studies.first()?;
    let mut s = Section::new("assumptions", "Assumptions and their provenance");
    s.paragraph("Every numeric value of every scenario, read from the configs' [sources] tables (docs/config.md): sourced = a published figure; assumed = a judgement; fitted = fitted to published counts by forcecast calibrate; solved = a requirement found by forcecast solve; unlabelled = the config gives no provenance; default = a parameter left at the tool's default.");
    let mut counts = HtmlTable::new(&[
        ("scenario", false),
        ("values", true),
        ("sourced", true),
        ("assumed", true),
        ("fitted", true),
        ("solved", true),
        ("unlabelled", true),
        ("default", true),
    ]);
    let all: Vec<Vec<Assumption>> = cx.studies.iter().map(table_of).collect();
    for (st, rows) in cx.studies.iter().zip(&all) {
        let n = |k: &str| rows.iter().filter(|a| a.status() == k).count().to_string();
        counts.push(vec![
            st.name().into(),
            rows.len().to_string(),
            n("sourced"),
            n("assumed"),
            n("fitted"),
            n("solved"),
            n("unlabelled"),
            n("default"),
        ]);
    }
    s.table(counts);
    s.heading(format!("{} (every value)", first.name()));
    s.table(assumption_table(&all[0], None));
    for (st, rows) in cx.studies.iter().zip(&all).skip(1) {
        s.heading(format!("{}: what differs from {}", st.name(), first.name()));
        let changed: Vec<Assumption> = rows
            .iter()
            .filter(|a| !all[0].contains(a))
            .cloned()
            .collect();
        let gone: Vec<&Assumption> = all[0]
            .iter()
            .filter(|a| !rows.iter().any(|b| b.path == a.path))
            .collect();
        if changed.is_empty() && gone.is_empty() {
            s.paragraph(format!(
                "Every value and label is the same as in {}.",
                first.name()
            ));
            continue;
        }
        if !changed.is_empty() {
            s.table(assumption_table(&changed, Some(&all[0])));
        }
        if !gone.is_empty() {
            s.paragraph(format!(
                "Not in this scenario: {}.",
                gone.iter()
                    .map(|a| a.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        s.paragraph("Every other value and label is the same as in the reference.");
    }
    Some(s)
}

/// The assumptions of a study, from its merged config and `[sources]`.
pub fn table_of(st: &Study) -> Vec<Assumption> {
    sources::assumptions(&st.loaded.merged, &st.loaded.scenario, &st.loaded.sources)
}

fn assumption_table(rows: &[Assumption], reference: Option<&[Assumption]>) -> HtmlTable {
    let mut head: Vec<(&str, bool)> = vec![("parameter", false), ("value", true)];
    if reference.is_some() {
        head.push(("reference", true));
    }
    head.extend([("status", false), ("source", false)]);
    let mut t = HtmlTable::new(&head);
    for a in rows {
        let mut row = vec![a.label(), a.value.clone()];
        if let Some(r) = reference {
            row.push(
                r.iter()
                    .find(|b| b.path == a.path)
                    .map_or("—".into(), |b| b.value.clone()),
            );
        }
        row.push(a.status().into());
        row.push(match &a.source {
            Some(src) => src.text.clone(),
            None if !a.written => "not set in the config: the tool's default".into(),
            None => "no [sources] entry".into(),
        });
        t.push(row);
    }
    t
}

/// Section 6: How the model works, and what this report was made from.
fn method(cx: &Context) -> Option<Section> {
    let mut s = Section::new("method", "How the model works, and what made this report");
    for p in [
        "forcecast projects a workforce month by month (docs/model.md is the contract for every number). People are held in levels (grades), in course queues and in classes. Each month, in this order: policy changes take effect; in each level, people leave with the level's attrition (an annual rate a becomes a monthly 1 − (1 − a)^(1/12), multiplied as a hazard by any active shock or service obligation), contracts and obligations end, and people who have served long enough are promoted; classes start where there are queued people, seats and instructors; classes graduate into their level after the course length, less washout; inflows arrive (into a queue, or straight into a level), and one-off events add or remove people.",
        "The expected-value projection is exact arithmetic on these rates (fractional people). The Monte Carlo runs the same monthly step with whole people: every departure, promotion and washout is a binomial draw, arrivals are Poisson, and the parameters listed in [uncertainty] are drawn once per run. Without capacity limits its mean equals the projection; P(meet) is the share of runs at or above a milestone at its date.",
        "The counted total is the levels the config names in [target] count (people in post; not the queue or people in class). A milestone is met when the counted total at the end of its month is at least its headcount. Sensitivity moves one parameter at a time; goal seeking (solve) finds the least (or greatest) value of one lever at which the expected total just meets the final milestone; calibration fits parameters to published counts by weighted least squares, each count weighted by its stated uncertainty.",
        "The sustainment line (after the target) comes from the Markov chain of the level structure at the last month: the yearly intake that would hold the final milestone's headcount, against what the scenario provides. It lets every graduate through at once, so where seats bind it is a lower bound.",
        "What the model leaves out: people in a level are alike apart from their months in post; a rate holds until a [[changes]] entry, a shock or a fiscal-year value in the config changes it.",
    ] {
        s.paragraph(p);
    }
    s.heading("Provenance of this report");
    let mut t = HtmlTable::new(&[
        ("scenario", false),
        ("config", false),
        ("config hash (SHA-256)", false),
        ("Monte Carlo seed", true),
        ("runs", true),
    ]);
    for st in cx.studies {
        t.push(vec![
            st.name().into(),
            st.loaded.label.clone(),
            st.loaded.hash.clone(),
            st.mc.seed.to_string(),
            st.mc.runs.to_string(),
        ]);
    }
    t.caption = Some(format!(
        "forcecast {}. The same configs, seeds and runs give the same report, byte for byte, whatever the number of threads.",
        cx.version
    ));
    s.table(t);
    Some(s)
}

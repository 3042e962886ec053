//! `report.xlsx`: every table of the report as a sheet. The projection,
//! classes, Monte Carlo and sensitivity sheets are the tables `run`, `mc` and
//! `sensitivity` write as CSV (the same functions build them), with a units
//! row; tables of several scenarios get a leading `scenario` column.

use super::{sections, Study};
use crate::commands::{mc::percentiles_table, run, sensitivity};
use crate::output::csv::{Cell, Table};
use crate::output::xlsx::Workbook;
use crate::plot::Entry;

/// Sheet name of a scenario's projection (the same table as its `projection.csv`).
pub fn projection_sheet(name: &str) -> String {
    name.to_string()
}

/// Sheet name of a scenario's Monte Carlo percentiles (its `mc_percentiles.csv`).
pub fn mc_sheet(name: &str) -> String {
    format!("mc {name}")
}

/// The workbook of every table, in the order of the page.
pub fn workbook(studies: &[Study]) -> Workbook {
    let mut b = Workbook::default();
    let t = summary_table(studies);
    let u = units(&t);
    b.add("summary", t, u);
    let entries: Vec<Entry> = studies
        .iter()
        .map(|s| Entry {
            loaded: &s.loaded,
            p: &s.projection,
            summary: &s.summary,
        })
        .collect();
    let t = crate::commands::compare::compare_table(&entries);
    let mut u = vec!["YYYY-MM".to_string(), "FY".to_string()];
    u.resize(t.header.len(), "people".into());
    b.add("compare", t, u);
    for st in studies {
        let t = run::projection_table(&st.loaded.scenario, &st.projection);
        let u = units(&t);
        b.add(&projection_sheet(st.name()), t, u);
    }
    let t = stacked(studies, |st| {
        run::classes_table(&st.loaded.scenario, &st.projection)
    });
    let u = units(&t);
    b.add("classes", t, u);
    for st in studies {
        let t = percentiles_table(&st.mc);
        let mut u = vec!["YYYY-MM".to_string()];
        u.resize(t.header.len(), "people".into());
        b.add(&mc_sheet(st.name()), t, u);
    }
    let costed: Vec<&Study> = studies
        .iter()
        .filter(|st| st.summary.costs.is_some())
        .collect();
    if !costed.is_empty() {
        let (t, u) = costs_sheet(&costed, |st| {
            st.summary
                .costs
                .as_ref()
                .map(crate::costs::table::fiscal_years)
        });
        b.add("costs", t, u);
        let (t, u) = costs_sheet(&costed, |st| {
            st.cost_runs.as_deref().map(crate::costs::runs::table)
        });
        b.add("mc costs", t, u);
    }
    let t = stacked(studies, |st| sensitivity::table(&st.sensitivity));
    let mut u = vec!["".to_string(), "".into(), "value".into(), "value".into()];
    u.resize(t.header.len(), "people".into());
    b.add("sensitivity", t, u);
    let t = solve_table(studies);
    let u = units(&t);
    b.add("goal seeking", t, u);
    let t = calibration_table(studies);
    let u = units(&t);
    b.add("calibration", t, u);
    let t = assumptions_table(studies);
    let u = units(&t);
    b.add("assumptions", t, u);
    b
}

/// One table per study, one below the other, each row led by its scenario.
fn stacked(studies: &[Study], table: impl Fn(&Study) -> Table) -> Table {
    let mut out: Option<Table> = None;
    for st in studies {
        let t = table(st);
        let o = out.get_or_insert_with(|| {
            let mut h = vec!["scenario".to_string()];
            h.extend(t.header.iter().cloned());
            Table::new(h)
        });
        for r in t.rows {
            let mut row = vec![Cell::Text(st.name().to_string())];
            row.extend(r);
            o.push(row);
        }
    }
    out.unwrap_or_else(|| Table::new(["scenario"]))
}

/// A cost table of each costed study (`costs.csv`, `mc_costs.csv`), one
/// below the other, each row led by its scenario and currency; money columns
/// are in the currency when every scenario uses the same one.
fn costs_sheet(
    studies: &[&Study],
    table: impl Fn(&Study) -> Option<Table>,
) -> (Table, Vec<String>) {
    let currency = |st: &Study| {
        st.summary
            .costs
            .as_ref()
            .map_or(String::new(), |c| c.currency.clone())
    };
    let mut out: Option<Table> = None;
    for st in studies {
        let Some(t) = table(st) else { continue };
        let o = out.get_or_insert_with(|| {
            let mut h = vec!["scenario".to_string(), "currency".to_string()];
            h.extend(t.header.iter().cloned());
            Table::new(h)
        });
        for r in t.rows {
            let mut row = vec![Cell::Text(st.name().to_string()), Cell::Text(currency(st))];
            row.extend(r);
            o.push(row);
        }
    }
    let t = out.unwrap_or_else(|| Table::new(["scenario", "currency"]));
    let first = studies.first().map(|st| currency(st)).unwrap_or_default();
    let money = if studies.iter().all(|st| currency(st) == first) {
        first
    } else {
        "see currency".into()
    };
    let units = t
        .header
        .iter()
        .map(|h| match h.as_str() {
            "scenario" | "currency" => String::new(),
            "fiscal_year" => "FY".into(),
            "months" => "months".into(),
            "share_within_budget" => "fraction".into(),
            _ => money.clone(),
        })
        .collect();
    (t, units)
}

/// The unit of a column, by its name.
pub fn units(t: &Table) -> Vec<String> {
    t.header.iter().map(|h| unit(h).to_string()).collect()
}

fn unit(column: &str) -> &'static str {
    let base = column.split('.').next().unwrap_or(column);
    match base {
        "month" | "first_month" | "date" => "YYYY-MM",
        "fiscal_year" => "FY",
        "queued" | "started" | "graduated" | "chained" | "washout" | "queue_dropouts"
        | "lateral" | "events" | "separations" | "promotions" | "inflow" => "people/month",
        "fill" | "probability" | "p_meet_final" => "fraction",
        "seats_per_class" | "instructor_capacity" | "seats_offered" => "seats",
        "z" => "sd",
        "milestones_met" | "milestones" => "count",
        "configured" | "answer" | "fitted_value" | "se" | "number" | "low" | "high" => "value",
        "scenario" | "title" | "config" | "config_hash" | "course" | "limit" | "parameter"
        | "lever" | "label" | "kind" | "role" | "value" | "status" | "source" | "sentence"
        | "level" | "changes" => "",
        _ => "people",
    }
}

fn summary_table(studies: &[Study]) -> Table {
    let mut t = Table::new([
        "scenario",
        "title",
        "config",
        "config_hash",
        "final_total",
        "milestones_met",
        "milestones",
        "final_target",
        "p_meet_final",
        "final_p5",
        "final_p50",
        "final_p95",
        "first_month",
    ]);
    for st in studies {
        let sm = &st.summary;
        let f = &st.mc.final_total;
        t.push(vec![
            st.name().into(),
            sm.title.as_str().into(),
            st.loaded.label.as_str().into(),
            st.loaded.hash.as_str().into(),
            sm.final_total.into(),
            (sm.milestones.iter().filter(|m| m.met).count() as f64).into(),
            (sm.milestones.len() as f64).into(),
            sm.milestones.last().map_or(f64::NAN, |m| m.target).into(),
            st.mc
                .milestones
                .last()
                .map_or(f64::NAN, |m| m.probability)
                .into(),
            f.p5.into(),
            f.p50.into(),
            f.p95.into(),
            sm.first_month_at_final_target
                .map_or(String::new(), |m| m.to_string())
                .into(),
        ]);
    }
    t
}

fn solve_table(studies: &[Study]) -> Table {
    let mut t = Table::new([
        "scenario",
        "lever",
        "configured",
        "answer",
        "milestone",
        "target",
        "sentence",
    ]);
    for st in studies {
        for (q, sol) in &st.solves {
            t.push(vec![
                st.name().into(),
                sol.path.as_str().into(),
                sol.baseline_value.into(),
                sol.value().unwrap_or(f64::NAN).into(),
                q.goal.date.to_string().into(),
                q.goal.headcount.into(),
                crate::commands::solve::sentence(&st.loaded.scenario, q, sol).into(),
            ]);
        }
    }
    t
}

fn calibration_table(studies: &[Study]) -> Table {
    let mut t = Table::new([
        "scenario", "date", "label", "kind", "observed", "sd", "model", "residual", "z", "role",
    ]);
    for st in studies {
        let Some(Ok(cal)) = &st.calibration else {
            continue;
        };
        for p in &cal.points {
            t.push(vec![
                st.name().into(),
                p.date.to_string().into(),
                p.label.clone().unwrap_or_default().into(),
                format!("{:?}", p.kind).to_lowercase().into(),
                p.observed.into(),
                p.sd.into(),
                p.fitted.into(),
                p.residual.into(),
                p.z.into(),
                format!("{:?}", p.role).to_lowercase().into(),
            ]);
        }
    }
    t
}

fn assumptions_table(studies: &[Study]) -> Table {
    let mut t = Table::new([
        "scenario",
        "parameter",
        "changes",
        "value",
        "number",
        "status",
        "source",
    ]);
    for st in studies {
        for a in sections::table_of(st) {
            t.push(vec![
                st.name().into(),
                a.path.as_str().into(),
                a.changes.clone().unwrap_or_default().into(),
                a.value.as_str().into(),
                a.number.unwrap_or(f64::NAN).into(),
                a.status().into(),
                a.source
                    .as_ref()
                    .map_or(String::new(), |s| s.text.clone())
                    .into(),
            ]);
        }
    }
    t
}

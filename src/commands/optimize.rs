//! `forcecast optimize`: the cheapest plan that meets the milestones (see
//! [`crate::costs::optimize`]). Every figure printed is the simulated plan's.

use super::solve::{in_pool, mc_settings};
use super::{check_out_dir, Answer, Outputs};
use crate::cli::{OptimizeArgs, OptimizeObjective, DEFAULT_RUNS_OPTIMIZE};
use crate::costs::optimize::{
    self as opt, AtProbability, Binding, Chance, Found, Objective, Problem,
};
use crate::costs::{Spend, COMPONENTS};
use crate::error::{Error, Result, EXIT_MILESTONE_MISSED};
use crate::format::{chance, people, signed_people, thousands, value_label};
use crate::month::Month;
use crate::output::csv::{Cell, Table};
use crate::output::DataFile;
use serde::Serialize;

pub fn answer(args: &OptimizeArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    let mut loaded = crate::config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    if !args.milestones.is_empty() {
        let mut keep = Vec::new();
        for date in &args.milestones {
            let g = crate::goal::pick_goal(&loaded.scenario, Some(date)).map_err(Error::Usage)?;
            keep.push(g.date);
        }
        loaded
            .scenario
            .target
            .milestones
            .retain(|m| keep.contains(&m.date));
    }
    let loaded = loaded;
    let s = &loaded.scenario;
    let levers = args
        .levers
        .iter()
        .map(|l| opt::parse_lever(l))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(Error::Usage)?;
    let split = args.per_fiscal_year.then(|| {
        args.first_fiscal_year
            .unwrap_or(s.start.fiscal_year(s.fy_start_month))
    });
    let vars = opt::variables(s, &levers, split).map_err(Error::Usage)?;
    let objective = match args.objective {
        OptimizeObjective::Cost => Objective::Cost,
        OptimizeObjective::Shortfall => Objective::Shortfall,
    };
    let problem = Problem::new(s, vars, objective, args.budget).map_err(Error::Usage)?;
    let mc = mc_settings(
        &args.mc,
        &loaded,
        args.probability.is_some(),
        "--probability",
        DEFAULT_RUNS_OPTIMIZE,
    )?;
    let bar = crate::goal::spinner("optimizing the plan");
    let (found, at_p) = in_pool(&args.mc, || match args.probability {
        None => Ok((problem.search(&vec![0.0; s.target.milestones.len()]), None)),
        Some(p) => {
            let r = opt::at_probability(&problem, p, &mc)?;
            Ok((r.found.clone(), Some(r)))
        }
    })?;
    bar.finish_and_clear();
    let report = PlanJson::new(&problem, &found, args.probability, at_p.as_ref());
    let mut answer = Answer::default();
    answer.say(&report.console);
    if !report.meets {
        answer.warn(&report.why_not());
        if args.fail_below {
            answer.exit_code = EXIT_MILESTONE_MISSED;
        }
    }
    answer.outputs = Some(Outputs {
        dir: args.output.out.join(&s.name),
        data: vec![
            DataFile::json("optimize", &report)?,
            DataFile::table("optimize", plan_table(&report)),
        ],
        charts: vec![crate::plot::render_file(
            &crate::plot::charts::costs::CostChart::plan(&loaded, &report),
            &crate::plot::ChartOptions::from(&args.output),
        )?],
    });
    Ok(answer)
}

/// One decision variable's value in the plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanValue {
    pub lever: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fiscal_year: Option<i32>,
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
    /// `lower`, `upper` or absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_bound: Option<&'static str>,
}

/// One milestone in the simulated plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanMilestone {
    pub date: Month,
    pub target: f64,
    pub projected: f64,
    /// projected - target (expected values).
    pub margin: f64,
    pub met: bool,
    /// Share of the fresh Monte Carlo runs meeting it (with --probability).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

/// One fiscal year's cost in the simulated plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanYear {
    pub fiscal_year: i32,
    #[serde(flatten)]
    pub spend: Spend,
    pub total: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
}

/// `optimize.json`: the plan, its simulated cost and milestones, what binds.
#[derive(Debug, Clone, Serialize)]
pub struct PlanJson {
    pub scenario: String,
    pub config_hash: String,
    pub objective: Objective,
    /// Whether the plan meets every milestone (at P: together in at least P of the tuned runs) and budget.
    pub meets: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    pub total_cost: f64,
    pub plan: Vec<PlanValue>,
    pub fiscal_years: Vec<PlanYear>,
    pub milestones: Vec<PlanMilestone>,
    /// People missing over all milestones at expected values (0 when met).
    pub shortfall: f64,
    pub binding: Vec<Binding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// The runs the margins were tuned on, and the fresh runs that check the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuned_runs: Option<Chance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fresh_runs: Option<Chance>,
    /// Each milestone's margin above its target used to reach the probability.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub margins: Vec<f64>,
    pub simulations: usize,
    /// The `--set` flags that apply the plan.
    pub set: Vec<String>,
    #[serde(skip)]
    pub console: String,
}

impl PlanJson {
    pub fn new(
        p: &Problem,
        f: &Found,
        prob: Option<f64>,
        at_p: Option<&AtProbability>,
    ) -> PlanJson {
        let s = p.s;
        let fys = opt::fiscal_years(s);
        let plan: Vec<PlanValue> = p
            .vars
            .iter()
            .zip(&f.x)
            .map(|(v, &x)| PlanValue {
                lever: v.lever.clone(),
                path: v.param.path(s),
                fiscal_year: v.fiscal_year,
                value: x,
                lo: v.lo,
                hi: v.hi,
                at_bound: if v.lo == v.hi {
                    None
                } else if x >= v.hi {
                    Some("upper")
                } else if x <= v.lo {
                    Some("lower")
                } else {
                    None
                },
            })
            .collect();
        let fresh = at_p.map(|a| &a.fresh);
        let milestones: Vec<PlanMilestone> = s
            .target
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let x = f.eval.milestones[i];
                PlanMilestone {
                    date: m.date,
                    target: m.headcount,
                    projected: x,
                    margin: x - m.headcount,
                    met: x >= m.headcount,
                    probability: fresh.map(|c| c.each[i]),
                }
            })
            .collect();
        let fiscal_years: Vec<PlanYear> = fys
            .iter()
            .zip(&f.eval.years)
            .zip(&p.budgets)
            .map(|((&fy, y), b)| PlanYear {
                fiscal_year: fy,
                spend: *y,
                total: y.total(),
                budget: *b,
            })
            .collect();
        let within = p
            .budgets
            .iter()
            .zip(&f.eval.years)
            .all(|(b, y)| b.is_none_or(|b| y.total() <= b + crate::costs::budget_slack(b)));
        let meets = match at_p {
            Some(a) => a.met && within,
            None => f.feasible && milestones.iter().all(|m| m.met),
        };
        let currency = s.costs.as_ref().map(|c| c.currency.clone());
        let set = p.set_flags(&f.x);
        let mut j = PlanJson {
            scenario: s.name.clone(),
            config_hash: String::new(),
            objective: p.objective,
            meets,
            currency,
            total_cost: f.eval.cost(),
            plan,
            fiscal_years,
            milestones,
            shortfall: f.shortfall,
            binding: f.binding.clone(),
            probability: prob,
            tuned_runs: at_p.map(|a| a.tuned.clone()),
            fresh_runs: at_p.map(|a| a.fresh.clone()),
            margins: at_p.map(|a| a.margins.clone()).unwrap_or_default(),
            simulations: f.simulations,
            set,
            console: String::new(),
        };
        j.console = console(&j);
        j
    }

    /// Why the plan falls short, for the warning line.
    pub fn why_not(&self) -> String {
        match self.probability {
            Some(p) => format!(
                "no plan within the bounds{} meets every milestone in {} of the runs: the plan shown comes closest",
                if self.fiscal_years.iter().any(|y| y.budget.is_some()) { " and budgets" } else { "" },
                chance(p)
            ),
            None => format!(
                "no plan within the bounds{} meets every milestone: the plan shown has the least shortfall ({} people short in all)",
                if self.fiscal_years.iter().any(|y| y.budget.is_some()) { " and budgets" } else { "" },
                people(self.shortfall)
            ),
        }
    }
}

fn money(x: f64) -> String {
    thousands(x, if x.abs() >= 100.0 { 0 } else { 1 })
}

/// The console answer: one line, then the plan and its milestones.
fn console(j: &PlanJson) -> String {
    let cur = j.currency.clone().unwrap_or_default();
    let head = match (j.meets, j.probability) {
        (true, None) => format!("Cheapest plan meeting every milestone: {} {cur} over the horizon (simulated).", money(j.total_cost)),
        (true, Some(p)) => format!(
            "Cheapest plan meeting every milestone in at least {} of runs: {} {cur} at expected values (met together in {} of the {} runs searched, {} of {} fresh runs).",
            chance(p),
            money(j.total_cost),
            chance(j.tuned_runs.as_ref().map_or(0.0, |c| c.all_met)),
            j.tuned_runs.as_ref().map_or(0, |c| c.runs),
            chance(j.fresh_runs.as_ref().map_or(0.0, |c| c.all_met)),
            j.fresh_runs.as_ref().map_or(0, |c| c.runs)
        ),
        (false, _) => format!(
            "No plan within the bounds meets every milestone; least-shortfall plan: {} people short, {} {cur}.",
            people(j.shortfall),
            money(j.total_cost)
        ),
    };
    let mut out = vec![head];
    for v in &j.plan {
        out.push(format!(
            "  {}{} = {}{}",
            v.lever,
            v.fiscal_year
                .map(|fy| format!(" FY{fy}"))
                .unwrap_or_default(),
            value_label(v.value),
            v.at_bound
                .map(|b| format!("  (at its {b} bound)"))
                .unwrap_or_default()
        ));
    }
    for m in &j.milestones {
        out.push(format!(
            "  milestone {}: {} projected, target {} ({}){}",
            m.date,
            people(m.projected),
            people(m.target),
            signed_people(m.margin),
            m.probability
                .map(|p| format!(", met in {} of fresh runs", chance(p)))
                .unwrap_or_default()
        ));
    }
    for b in &j.binding {
        let unit = if b.saving_in == "people" {
            "people of shortfall".to_string()
        } else {
            cur.clone()
        };
        out.push(format!(
            "  binds: {} {}{}{}",
            b.kind,
            b.what,
            if b.side.is_empty() {
                String::new()
            } else {
                format!(" ({} bound)", b.side)
            },
            match b.saving_per_unit {
                Some(0.0) => format!(": relaxing it by {} saves nothing", b.unit),
                Some(x) => format!(
                    ": relaxing it by {} saves about {} {unit}",
                    b.unit,
                    money(x)
                ),
                None => ": the re-solve found no saving to report".to_string(),
            }
        ));
    }
    out.join("\n")
}

/// `optimize.csv`: the plan, a row per lever and fiscal year, then the cost
/// per fiscal year by component.
fn plan_table(j: &PlanJson) -> Table {
    let mut t = Table::new([
        "lever",
        "path",
        "fiscal_year",
        "value",
        "lo",
        "hi",
        "at_bound",
    ]);
    for v in &j.plan {
        t.push(vec![
            v.lever.as_str().into(),
            v.path.as_str().into(),
            v.fiscal_year
                .map_or(String::new(), |f| f.to_string())
                .into(),
            v.value.into(),
            v.lo.into(),
            v.hi.into(),
            v.at_bound.unwrap_or("").into(),
        ]);
    }
    for y in &j.fiscal_years {
        for (name, x) in COMPONENTS.iter().zip(y.spend.parts()) {
            t.push(vec![
                format!("cost.{name}").into(),
                "".into(),
                y.fiscal_year.to_string().into(),
                Cell::Num(x),
                Cell::Num(f64::NAN),
                Cell::Num(f64::NAN),
                "".into(),
            ]);
        }
    }
    t
}

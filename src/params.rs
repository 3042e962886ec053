//! Numeric parameters of a checked scenario, addressed by the same dotted
//! paths as `--set` (e.g. `levels.advanced.attrition`). Goal seeking,
//! sensitivity, sweeps and Monte Carlo parameter draws change a scenario
//! through these, so a changed value stays inside its documented range.

use crate::config::suggest::{closest, did_you_mean};
use crate::scenario::Scenario;

/// One numeric parameter of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    Initial(usize),
    Attrition(usize),
    PromotionRate(usize),
    Seats(usize),
    Washout(usize),
    QueueAttrition(usize),
    InitialQueue(usize),
    ObligationFactor(usize),
    ObligationExit(usize),
    StudentsPerInstructor(usize),
    InstructorShare(usize),
    /// `levels.NAME.qualification.months`: months on the job before a
    /// joiner counts as qualified.
    QualificationMonths(usize),
    /// `levels.NAME.qualification.per_mentor`: trainees one qualified
    /// mentor can take.
    PerMentor(usize),
    PerYear(usize),
    FiscalYear(usize, i32),
    Achievement(usize),
    EventChange(usize),
    ShockFactor(usize),
    /// `changes.N.value`: the value a policy change sets, in the range of the
    /// parameter it changes (`kind`).
    ChangeValue(usize, Kind),
    Authorised(usize),
    AuthorisedFiscalYear(usize, i32),
    /// `costs.levels.NAME`: yearly pay per person in post.
    Pay(usize),
    /// `costs.courses.NAME.per_trainee_month`.
    TraineeMonthCost(usize),
    /// `costs.courses.NAME.per_class`.
    ClassCost(usize),
    /// `costs.inflows.NAME`: per entrant.
    EntrantCost(usize),
    /// `costs.budget.YYYY`.
    Budget(i32),
}

/// The kinds of values parameters take: each has one [`Range`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Count,
    Attrition,
    Probability,
    Factor,
    Positive,
    Rate,
    Change,
    /// A whole number of months, at least one.
    Months,
}

/// What values a parameter may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
    /// Whether the upper bound itself is excluded (attrition < 1).
    pub max_exclusive: bool,
    /// Whole numbers only (headcounts and seats).
    pub integer: bool,
}

impl Range {
    const PROBABILITY: Range = Range {
        min: 0.0,
        max: 1.0,
        max_exclusive: false,
        integer: false,
    };
    const ATTRITION: Range = Range {
        min: 0.0,
        max: 1.0,
        max_exclusive: true,
        integer: false,
    };
    const COUNT: Range = Range {
        min: 0.0,
        max: MAX_COUNT,
        max_exclusive: false,
        integer: true,
    };
    const RATE: Range = Range {
        min: 0.0,
        max: MAX_COUNT,
        max_exclusive: false,
        integer: false,
    };
    const FACTOR: Range = Range {
        min: 0.0,
        max: MAX_FACTOR,
        max_exclusive: false,
        integer: false,
    };
    const POSITIVE: Range = Range {
        min: f64::MIN_POSITIVE,
        max: MAX_COUNT,
        max_exclusive: false,
        integer: false,
    };
    const MONTHS: Range = Range {
        min: 1.0,
        max: crate::config::validate::MAX_HORIZON_MONTHS as f64,
        max_exclusive: false,
        integer: true,
    };
    const CHANGE: Range = Range {
        min: -MAX_COUNT,
        max: MAX_COUNT,
        max_exclusive: false,
        integer: true,
    };

    pub fn contains(&self, x: f64) -> bool {
        x.is_finite()
            && x >= self.min
            && (x < self.max || !self.max_exclusive && x == self.max)
            && (!self.integer || x.fract() == 0.0)
    }

    /// The nearest allowed value (attrition is kept just below 1).
    pub fn clamp(&self, x: f64) -> f64 {
        let hi = if self.max_exclusive {
            self.max - 1e-9
        } else {
            self.max
        };
        let x = if x.is_nan() {
            self.min
        } else {
            x.clamp(self.min, hi)
        };
        if self.integer {
            x.round().clamp(self.min.ceil(), hi.floor())
        } else {
            x
        }
    }

    pub fn describe(&self) -> String {
        let hi = if self.max_exclusive { ")" } else { "]" };
        let kind = if self.integer {
            "a whole number in "
        } else {
            "a number in "
        };
        let fmt = |x: f64| {
            if x == MAX_COUNT {
                "1e9".to_string()
            } else if x == -MAX_COUNT {
                "-1e9".to_string()
            } else if x == f64::MIN_POSITIVE {
                "0 (exclusive)".to_string()
            } else {
                x.to_string()
            }
        };
        format!("{kind}[{}, {}{hi}", fmt(self.min), fmt(self.max))
    }
}

/// Largest headcount, seat count or annual flow accepted (keeps whole-person
/// arithmetic exact in f64 and binomial draws in range).
pub const MAX_COUNT: f64 = 1e9;
/// Largest attrition multiplier accepted.
pub const MAX_FACTOR: f64 = 100.0;

impl Param {
    /// Resolves a `--set`-style path against a scenario. A misspelt name or
    /// field is answered with the path most likely meant.
    pub fn parse(s: &Scenario, path: &str) -> Result<Param, String> {
        let segs: Vec<&str> = path.split('.').collect();
        let find = |names: Vec<&str>, name: &str, what: &str| -> Result<usize, String> {
            names.iter().position(|n| *n == name).ok_or_else(|| {
                format!(
                    "no {what} '{name}'{}; valid: {}",
                    did_you_mean(name, names.iter().copied()),
                    names.join(", ")
                )
            })
        };
        let level_names = || s.levels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>();
        let course_names = || {
            s.courses
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
        };
        let inflow_names = || {
            s.inflows
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
        };
        // `head` is the path up to the field; `fields` what may follow it there.
        let bad = |head: &str, fields: &[&str]| {
            let rest = path.strip_prefix(head).unwrap_or(path);
            let meant = closest(rest, fields.iter().copied())
                .map(|f| format!(" (did you mean '{head}{f}'?)"))
                .unwrap_or_default();
            Err(format!(
                "'{path}' is not a numeric parameter{meant}; valid here: {}",
                fields.join(", ")
            ))
        };
        match segs.as_slice() {
            ["levels", l, rest @ ..] => {
                let l = find(level_names(), l, "level")?;
                match rest {
                    ["initial"] => Ok(Param::Initial(l)),
                    ["attrition"] => Ok(Param::Attrition(l)),
                    ["promotion", "rate"] if s.levels[l].promotion.is_some() => {
                        Ok(Param::PromotionRate(l))
                    }
                    ["authorised"] if s.levels[l].authorised.is_some() => Ok(Param::Authorised(l)),
                    ["qualification", "months"] if s.levels[l].qualification.is_some() => {
                        Ok(Param::QualificationMonths(l))
                    }
                    ["qualification", "per_mentor"] if s.levels[l].qualification.is_some() => {
                        Ok(Param::PerMentor(l))
                    }
                    ["authorised_by_fiscal_year", fy] if s.levels[l].authorised.is_some() => {
                        let fy: i32 = fy
                            .parse()
                            .map_err(|_| format!("'{fy}' is not a fiscal year"))?;
                        Ok(Param::AuthorisedFiscalYear(l, fy))
                    }
                    _ => {
                        // Only the fields this level has.
                        let lv = &s.levels[l];
                        let mut fields = vec!["initial", "attrition"];
                        if lv.promotion.is_some() {
                            fields.push("promotion.rate");
                        }
                        if lv.authorised.is_some() {
                            fields.extend(["authorised", "authorised_by_fiscal_year.YYYY"]);
                        }
                        if lv.qualification.is_some() {
                            fields.extend(["qualification.months", "qualification.per_mentor"]);
                        }
                        bad(&format!("levels.{}.", lv.name), &fields)
                    }
                }
            }
            ["courses", c, rest @ ..] => {
                let c = find(course_names(), c, "course")?;
                match rest {
                    ["seats_per_class"] => Ok(Param::Seats(c)),
                    ["washout"] => Ok(Param::Washout(c)),
                    ["queue_attrition"] => Ok(Param::QueueAttrition(c)),
                    ["initial_queue"] => Ok(Param::InitialQueue(c)),
                    ["obligated_attrition_factor"] => Ok(Param::ObligationFactor(c)),
                    ["obligation_end_exit"] => Ok(Param::ObligationExit(c)),
                    ["instructors", "students_per_instructor"]
                        if s.courses[c].instructors.is_some() =>
                    {
                        Ok(Param::StudentsPerInstructor(c))
                    }
                    ["instructors", "max_share"] if s.courses[c].instructors.is_some() => {
                        Ok(Param::InstructorShare(c))
                    }
                    _ => bad(
                        &format!("courses.{}.", s.courses[c].name),
                        &[
                            "seats_per_class",
                            "washout",
                            "queue_attrition",
                            "initial_queue",
                            "obligated_attrition_factor",
                            "obligation_end_exit",
                            "instructors.students_per_instructor",
                            "instructors.max_share",
                        ],
                    ),
                }
            }
            ["inflows", k, rest @ ..] => {
                let k = find(inflow_names(), k, "inflow")?;
                match rest {
                    ["per_year"] => Ok(Param::PerYear(k)),
                    ["achievement"] => Ok(Param::Achievement(k)),
                    ["by_fiscal_year", fy] => {
                        let fy: i32 = fy
                            .parse()
                            .map_err(|_| format!("'{fy}' is not a fiscal year"))?;
                        Ok(Param::FiscalYear(k, fy))
                    }
                    _ => bad(
                        &format!("inflows.{}.", s.inflows[k].name),
                        &["per_year", "achievement", "by_fiscal_year.YYYY"],
                    ),
                }
            }
            ["events", i, "change"] => {
                let i: usize = i
                    .parse()
                    .map_err(|_| format!("'{i}' is not an event index"))?;
                if i < s.events.len() {
                    Ok(Param::EventChange(i))
                } else {
                    Err(format!(
                        "there are {} events; index {i} is out of range",
                        s.events.len()
                    ))
                }
            }
            ["changes", i, "value"] => {
                let i: usize = i
                    .parse()
                    .map_err(|_| format!("'{i}' is not a change index"))?;
                if i < s.changes.len() {
                    Ok(Param::ChangeValue(i, s.changes[i].param.kind()))
                } else {
                    Err(format!(
                        "there are {} changes; index {i} is out of range",
                        s.changes.len()
                    ))
                }
            }
            ["shocks", i, "attrition_factor"] => {
                let i: usize = i
                    .parse()
                    .map_err(|_| format!("'{i}' is not a shock index"))?;
                if i < s.shocks.len() {
                    Ok(Param::ShockFactor(i))
                } else {
                    Err(format!(
                        "there are {} shocks; index {i} is out of range",
                        s.shocks.len()
                    ))
                }
            }
            ["costs", rest @ ..] => {
                if s.costs.is_none() {
                    return Err(format!(
                        "'{path}': the scenario has no [costs] table to change"
                    ));
                }
                match rest {
                    ["levels", l] => Ok(Param::Pay(find(level_names(), l, "level")?)),
                    ["courses", c, field] => {
                        let c = find(course_names(), c, "course")?;
                        match *field {
                            "per_trainee_month" => Ok(Param::TraineeMonthCost(c)),
                            "per_class" => Ok(Param::ClassCost(c)),
                            _ => bad(
                                &format!("costs.courses.{}.", s.courses[c].name),
                                &["per_trainee_month", "per_class"],
                            ),
                        }
                    }
                    ["inflows", k] => Ok(Param::EntrantCost(find(inflow_names(), k, "inflow")?)),
                    ["budget", fy] => {
                        let fy: i32 = fy
                            .parse()
                            .map_err(|_| format!("'{fy}' is not a fiscal year"))?;
                        Ok(Param::Budget(fy))
                    }
                    _ => bad(
                        "costs.",
                        &[
                            "levels.NAME",
                            "courses.NAME.per_trainee_month",
                            "courses.NAME.per_class",
                            "inflows.NAME",
                            "budget.YYYY",
                        ],
                    ),
                }
            }
            [table, rest @ ..] => {
                let tables = [
                    "levels", "courses", "inflows", "events", "shocks", "changes", "costs",
                ];
                let meant = closest(table, tables)
                    .filter(|_| !rest.is_empty())
                    .map(|t| format!(" (did you mean '{t}.{}'?)", rest.join(".")))
                    .unwrap_or_default();
                Err(format!("'{path}' is not a numeric parameter{meant}; valid here: levels.NAME.*, courses.NAME.*, inflows.NAME.*, events.N.change, shocks.N.attrition_factor, changes.N.value"))
            }
            [] => bad("", &[]),
        }
    }

    /// The dotted path of this parameter.
    pub fn path(&self, s: &Scenario) -> String {
        match *self {
            Param::Initial(l) => format!("levels.{}.initial", s.levels[l].name),
            Param::Attrition(l) => format!("levels.{}.attrition", s.levels[l].name),
            Param::PromotionRate(l) => format!("levels.{}.promotion.rate", s.levels[l].name),
            Param::Seats(c) => format!("courses.{}.seats_per_class", s.courses[c].name),
            Param::Washout(c) => format!("courses.{}.washout", s.courses[c].name),
            Param::QueueAttrition(c) => format!("courses.{}.queue_attrition", s.courses[c].name),
            Param::InitialQueue(c) => format!("courses.{}.initial_queue", s.courses[c].name),
            Param::ObligationFactor(c) => {
                format!("courses.{}.obligated_attrition_factor", s.courses[c].name)
            }
            Param::ObligationExit(c) => {
                format!("courses.{}.obligation_end_exit", s.courses[c].name)
            }
            Param::StudentsPerInstructor(c) => format!(
                "courses.{}.instructors.students_per_instructor",
                s.courses[c].name
            ),
            Param::InstructorShare(c) => {
                format!("courses.{}.instructors.max_share", s.courses[c].name)
            }
            Param::QualificationMonths(l) => {
                format!("levels.{}.qualification.months", s.levels[l].name)
            }
            Param::PerMentor(l) => format!("levels.{}.qualification.per_mentor", s.levels[l].name),
            Param::PerYear(k) => format!("inflows.{}.per_year", s.inflows[k].name),
            Param::FiscalYear(k, fy) => {
                format!("inflows.{}.by_fiscal_year.{fy}", s.inflows[k].name)
            }
            Param::Achievement(k) => format!("inflows.{}.achievement", s.inflows[k].name),
            Param::EventChange(i) => format!("events.{i}.change"),
            Param::ShockFactor(i) => format!("shocks.{i}.attrition_factor"),
            Param::ChangeValue(i, _) => format!("changes.{i}.value"),
            Param::Authorised(l) => format!("levels.{}.authorised", s.levels[l].name),
            Param::AuthorisedFiscalYear(l, fy) => {
                format!("levels.{}.authorised_by_fiscal_year.{fy}", s.levels[l].name)
            }
            Param::Pay(l) => format!("costs.levels.{}", s.levels[l].name),
            Param::TraineeMonthCost(c) => {
                format!("costs.courses.{}.per_trainee_month", s.courses[c].name)
            }
            Param::ClassCost(c) => format!("costs.courses.{}.per_class", s.courses[c].name),
            Param::EntrantCost(k) => format!("costs.inflows.{}", s.inflows[k].name),
            Param::Budget(fy) => format!("costs.budget.{fy}"),
        }
    }

    /// The kind of value the parameter takes.
    pub fn kind(&self) -> Kind {
        match *self {
            Param::Initial(_)
            | Param::Seats(_)
            | Param::InitialQueue(_)
            | Param::Authorised(_)
            | Param::AuthorisedFiscalYear(..) => Kind::Count,
            Param::Attrition(_) => Kind::Attrition,
            Param::PromotionRate(_)
            | Param::Washout(_)
            | Param::QueueAttrition(_)
            | Param::ObligationExit(_)
            | Param::InstructorShare(_)
            | Param::Achievement(_) => Kind::Probability,
            Param::ObligationFactor(_) | Param::ShockFactor(_) => Kind::Factor,
            Param::StudentsPerInstructor(_) | Param::PerMentor(_) => Kind::Positive,
            Param::QualificationMonths(_) => Kind::Months,
            Param::PerYear(_)
            | Param::FiscalYear(..)
            | Param::Pay(_)
            | Param::TraineeMonthCost(_)
            | Param::ClassCost(_)
            | Param::EntrantCost(_)
            | Param::Budget(_) => Kind::Rate,
            Param::EventChange(_) => Kind::Change,
            Param::ChangeValue(_, k) => k,
        }
    }

    pub fn range(&self) -> Range {
        match self.kind() {
            Kind::Count => Range::COUNT,
            Kind::Attrition => Range::ATTRITION,
            Kind::Probability => Range::PROBABILITY,
            Kind::Factor => Range::FACTOR,
            Kind::Positive => Range::POSITIVE,
            Kind::Rate => Range::RATE,
            Kind::Change => Range::CHANGE,
            Kind::Months => Range::MONTHS,
        }
    }

    /// A unit cost or a budget: read by the cost observers, never by the engine.
    pub fn is_cost(&self) -> bool {
        matches!(
            self,
            Param::Pay(_)
                | Param::TraineeMonthCost(_)
                | Param::ClassCost(_)
                | Param::EntrantCost(_)
                | Param::Budget(_)
        )
    }

    /// Whether a `[[changes]]` entry may change this parameter from a date:
    /// rates, seats, instructor limits and inflow volumes. Not the starting
    /// state (it is before any date), and not what is already dated (a
    /// fiscal year's plan, an event, a shock, another change).
    pub fn changeable(&self) -> bool {
        !matches!(
            self,
            Param::Initial(_)
                | Param::InitialQueue(_)
                | Param::FiscalYear(..)
                | Param::AuthorisedFiscalYear(..)
                | Param::EventChange(_)
                | Param::ShockFactor(_)
                | Param::ChangeValue(..)
                | Param::Budget(_)
                // The rules a run's qualification pipeline starts with:
                // both engines read them once a run, not per period.
                | Param::QualificationMonths(_)
                | Param::PerMentor(_)
        )
    }

    pub fn get(&self, s: &Scenario) -> f64 {
        match *self {
            Param::Initial(l) => s.levels[l].initial,
            Param::Attrition(l) => s.levels[l].attrition,
            Param::PromotionRate(l) => s.levels[l].promotion.as_ref().map_or(0.0, |p| p.rate),
            Param::Seats(c) => s.courses[c].seats_per_class,
            Param::Washout(c) => s.courses[c].washout,
            Param::QueueAttrition(c) => s.courses[c].queue_attrition,
            Param::InitialQueue(c) => s.courses[c].initial_queue,
            Param::ObligationFactor(c) => s.courses[c].obligation.attrition_factor,
            Param::ObligationExit(c) => s.courses[c].obligation.end_exit,
            Param::StudentsPerInstructor(c) => s.courses[c]
                .instructors
                .as_ref()
                .map_or(0.0, |i| i.students_per_instructor),
            Param::InstructorShare(c) => s.courses[c]
                .instructors
                .as_ref()
                .map_or(0.0, |i| i.max_share),
            Param::QualificationMonths(l) => s.levels[l]
                .qualification
                .as_ref()
                .map_or(0.0, |q| f64::from(q.months)),
            Param::PerMentor(l) => s.levels[l]
                .qualification
                .as_ref()
                .map_or(0.0, |q| q.per_mentor),
            Param::PerYear(k) => s.inflows[k].per_year,
            Param::FiscalYear(k, fy) => s.inflows[k].planned(fy),
            Param::Achievement(k) => s.inflows[k].achievement,
            Param::EventChange(i) => s.events[i].change,
            Param::ShockFactor(i) => s.shocks[i].attrition_factor,
            Param::ChangeValue(i, _) => s.changes[i].value,
            Param::Authorised(l) => s.levels[l].authorised.as_ref().map_or(0.0, |a| a.per_year),
            Param::AuthorisedFiscalYear(l, fy) => s.levels[l]
                .authorised
                .as_ref()
                .map_or(0.0, |a| a.in_year(fy)),
            Param::Pay(l) => s.costs.as_ref().map_or(0.0, |c| c.pay[l]),
            Param::TraineeMonthCost(c) => s.costs.as_ref().map_or(0.0, |k| k.per_trainee_month[c]),
            Param::ClassCost(c) => s.costs.as_ref().map_or(0.0, |k| k.per_class[c]),
            Param::EntrantCost(k) => s.costs.as_ref().map_or(0.0, |c| c.per_entrant[k]),
            Param::Budget(fy) => s
                .costs
                .as_ref()
                .and_then(|c| c.budget.get(&fy).copied())
                .unwrap_or(f64::INFINITY),
        }
    }

    /// Sets the parameter, clamped into its range.
    pub fn set(&self, s: &mut Scenario, value: f64) {
        let v = self.range().clamp(value);
        match *self {
            Param::Initial(l) => s.levels[l].initial = v,
            Param::Attrition(l) => s.levels[l].attrition = v,
            Param::PromotionRate(l) => {
                if let Some(p) = s.levels[l].promotion.as_mut() {
                    p.rate = v
                }
            }
            Param::Seats(c) => s.courses[c].seats_per_class = v,
            Param::Washout(c) => s.courses[c].washout = v,
            Param::QueueAttrition(c) => s.courses[c].queue_attrition = v,
            Param::InitialQueue(c) => s.courses[c].initial_queue = v,
            Param::ObligationFactor(c) => s.courses[c].obligation.attrition_factor = v,
            Param::ObligationExit(c) => s.courses[c].obligation.end_exit = v,
            Param::StudentsPerInstructor(c) => {
                if let Some(i) = s.courses[c].instructors.as_mut() {
                    i.students_per_instructor = v
                }
            }
            Param::InstructorShare(c) => {
                if let Some(i) = s.courses[c].instructors.as_mut() {
                    i.max_share = v
                }
            }
            Param::QualificationMonths(l) => {
                if let Some(q) = s.levels[l].qualification.as_mut() {
                    // Whole months in [1, 1200]: the range's clamp.
                    q.months = v as u32
                }
            }
            Param::PerMentor(l) => {
                if let Some(q) = s.levels[l].qualification.as_mut() {
                    q.per_mentor = v
                }
            }
            Param::PerYear(k) => s.inflows[k].per_year = v,
            Param::FiscalYear(k, fy) => {
                s.inflows[k].by_fiscal_year.insert(fy, v);
            }
            Param::Achievement(k) => s.inflows[k].achievement = v,
            Param::EventChange(i) => s.events[i].change = v,
            Param::ShockFactor(i) => s.shocks[i].attrition_factor = v,
            Param::ChangeValue(i, _) => s.changes[i].value = v,
            Param::Authorised(l) => {
                if let Some(a) = s.levels[l].authorised.as_mut() {
                    a.per_year = v
                }
            }
            Param::AuthorisedFiscalYear(l, fy) => {
                if let Some(a) = s.levels[l].authorised.as_mut() {
                    a.by_fiscal_year.insert(fy, v);
                }
            }
            Param::Pay(l) => {
                if let Some(c) = s.costs.as_mut() {
                    c.pay[l] = v
                }
            }
            Param::TraineeMonthCost(k) => {
                if let Some(c) = s.costs.as_mut() {
                    c.per_trainee_month[k] = v
                }
            }
            Param::ClassCost(k) => {
                if let Some(c) = s.costs.as_mut() {
                    c.per_class[k] = v
                }
            }
            Param::EntrantCost(k) => {
                if let Some(c) = s.costs.as_mut() {
                    c.per_entrant[k] = v
                }
            }
            Param::Budget(fy) => {
                if let Some(c) = s.costs.as_mut() {
                    c.budget.insert(fy, v);
                }
            }
        }
    }

    /// Every rate, count and capacity of a scenario, in config order: the
    /// default parameter set of a sensitivity analysis. Not the costs: they
    /// do not move a headcount.
    pub fn all(s: &Scenario) -> Vec<Param> {
        let mut out = Vec::new();
        for (l, level) in s.levels.iter().enumerate() {
            out.push(Param::Initial(l));
            out.push(Param::Attrition(l));
            if level.promotion.is_some() {
                out.push(Param::PromotionRate(l));
            }
            if let Some(a) = &level.authorised {
                out.push(Param::Authorised(l));
                out.extend(
                    a.by_fiscal_year
                        .keys()
                        .map(|&fy| Param::AuthorisedFiscalYear(l, fy)),
                );
            }
            if level.qualification.is_some() {
                out.extend([Param::QualificationMonths(l), Param::PerMentor(l)]);
            }
        }
        for (c, course) in s.courses.iter().enumerate() {
            out.extend([
                Param::Seats(c),
                Param::Washout(c),
                Param::QueueAttrition(c),
                Param::InitialQueue(c),
            ]);
            if course.obligation.months > 0 {
                out.extend([Param::ObligationFactor(c), Param::ObligationExit(c)]);
            }
            if course.instructors.is_some() {
                out.extend([Param::StudentsPerInstructor(c), Param::InstructorShare(c)]);
            }
        }
        for (k, inflow) in s.inflows.iter().enumerate() {
            out.push(Param::PerYear(k));
            out.extend(
                inflow
                    .by_fiscal_year
                    .keys()
                    .map(|&fy| Param::FiscalYear(k, fy)),
            );
            out.push(Param::Achievement(k));
        }
        out.extend((0..s.events.len()).map(Param::EventChange));
        out.extend((0..s.shocks.len()).map(Param::ShockFactor));
        out.extend(
            s.changes
                .iter()
                .enumerate()
                .map(|(i, c)| Param::ChangeValue(i, c.param.kind())),
        );
        out
    }
}

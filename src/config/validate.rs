//! Turns a [`RawConfig`] into a checked [`Scenario`], collecting every problem
//! with the path of the field it is about.

use super::error::FieldError;
use super::raw::*;
use crate::month::Month;
use crate::params::{Param, Range};
use crate::scenario::*;
use std::collections::{BTreeMap, HashSet};

/// Longest horizon accepted (100 years).
pub const MAX_HORIZON_MONTHS: i32 = 1200;
/// Most levels accepted.
pub const MAX_LEVELS: usize = 64;
/// Names that are output columns, so cannot name a level, course or inflow.
fn reserved_names() -> impl Iterator<Item = &'static str> {
    use crate::output::csv::{FIXED_COLUMNS, LEADING_COLUMNS};
    LEADING_COLUMNS.into_iter().chain(FIXED_COLUMNS)
}

struct Checker {
    errors: Vec<FieldError>,
}

fn p(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

impl Checker {
    fn err(&mut self, path: Vec<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            path,
            message: message.into(),
        });
    }

    fn num(&mut self, path: Vec<String>, x: f64, range: Range, what: &str) -> f64 {
        if !range.contains(x) {
            let shown = if x.is_nan() {
                "nan".to_string()
            } else {
                x.to_string()
            };
            self.err(
                path,
                format!(
                    "{shown} is not allowed: {what} must be {}",
                    range.describe()
                ),
            );
            return range.clamp(x);
        }
        x
    }

    fn month(&mut self, path: Vec<String>, s: &str) -> Option<Month> {
        let m = Month::parse(s);
        if m.is_none() {
            self.err(
                path,
                format!("'{s}' is not a month: write YYYY-MM, e.g. 2028-03"),
            );
        }
        m
    }

    fn months(&mut self, path: Vec<String>, x: u32, min: u32) -> u32 {
        if x < min || x > MAX_HORIZON_MONTHS as u32 {
            self.err(path, format!("{x} is not allowed: must be a whole number of months in [{min}, {MAX_HORIZON_MONTHS}]"));
        }
        x
    }

    fn in_horizon(
        &mut self,
        path: Vec<String>,
        m: Option<Month>,
        start: Option<Month>,
        end: Option<Month>,
    ) -> Month {
        let m = m.unwrap_or(Month::new(1, 1).expect("valid"));
        if let (Some(s), Some(e)) = (start, end) {
            if m < s || m > e {
                self.err(
                    path,
                    format!("{m} is outside the simulated horizon {s} .. {e}"),
                );
            }
        }
        m
    }
}

fn name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Checks a raw config. On success, the scenario is safe to run as is.
pub fn validate(raw: &RawConfig) -> Result<Scenario, Vec<FieldError>> {
    let mut c = Checker { errors: Vec::new() };

    // Scenario and horizon.
    let sc = &raw.scenario;
    if !(sc.name.len() <= 64
        && !sc.name.is_empty()
        && sc
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'))
    {
        c.err(p(&["scenario", "name"]), format!("'{}' is not allowed: use 1-64 characters from a-z, 0-9, '_' and '-' (it names the output folder)", sc.name));
    }
    let start = c.month(p(&["scenario", "start"]), &sc.start);
    let end = c.month(p(&["scenario", "end"]), &sc.end);
    let (mut start_ok, mut end_ok) = (start, end);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            c.err(
                p(&["scenario", "end"]),
                format!("{e} is before start {s}: end must be the same month or later"),
            );
            (start_ok, end_ok) = (None, None);
        } else if e.since(s) + 1 > MAX_HORIZON_MONTHS {
            c.err(p(&["scenario", "end"]), format!("the horizon {s} .. {e} is {} months; the limit is {MAX_HORIZON_MONTHS} (100 years)", e.since(s) + 1));
            (start_ok, end_ok) = (None, None);
        }
    }
    let fy_start_month = sc.fiscal_year_start_month.unwrap_or(1);
    if !(1..=12).contains(&fy_start_month) {
        c.err(
            p(&["scenario", "fiscal_year_start_month"]),
            format!("{fy_start_month} is not a month of the year: must be in 1..12"),
        );
    }
    if let Some(t) = &sc.title {
        if t.trim().is_empty() || t.len() > 200 {
            c.err(p(&["scenario", "title"]), "must be 1-200 characters");
        }
    }

    // Names: unique across levels, courses and inflows, and not output columns.
    let mut seen: HashSet<&str> = HashSet::new();
    for (table, names) in [
        ("levels", raw.levels.keys().collect::<Vec<_>>()),
        ("courses", raw.courses.keys().collect()),
        ("inflows", raw.inflows.keys().collect()),
    ] {
        for name in names {
            if !name_ok(name) {
                c.err(
                    p(&[table, name]),
                    "is not a valid name: use 1-64 characters from A-Z, a-z, 0-9, '_' and '-'",
                );
            } else if reserved_names().any(|r| r == name) {
                c.err(
                    p(&[table, name]),
                    format!(
                        "'{name}' is an output column name; reserved: {}",
                        reserved_names().collect::<Vec<_>>().join(", ")
                    ),
                );
            } else if !seen.insert(name) {
                c.err(p(&[table, name]), format!("'{name}' is already used: names must be unique across levels, courses and inflows"));
            }
        }
    }
    if raw.levels.is_empty() {
        c.err(p(&["levels"]), "at least one level is needed");
    }
    if raw.levels.len() > MAX_LEVELS {
        c.err(
            p(&["levels"]),
            format!("{} levels; the limit is {MAX_LEVELS}", raw.levels.len()),
        );
    }
    let level_names: Vec<&str> = raw.levels.keys().map(|s| s.as_str()).collect();
    let course_names: Vec<&str> = raw.courses.keys().map(|s| s.as_str()).collect();
    let level_idx = |c: &mut Checker, path: Vec<String>, name: &str| -> usize {
        match level_names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                c.err(
                    path,
                    format!("no level '{name}'; levels: {}", level_names.join(", ")),
                );
                0
            }
        }
    };

    // Levels.
    let mut levels = Vec::new();
    for (name, lv) in &raw.levels {
        let at = |f: &str| p(&["levels", name, f]);
        let initial = c.num(
            at("initial"),
            lv.initial,
            Range {
                integer: true,
                ..count()
            },
            "initial headcount",
        );
        let attrition = c.num(
            at("attrition"),
            lv.attrition,
            Param::Attrition(0).range(),
            "attrition (annual probability of leaving)",
        );
        let promotion = lv.promotion.as_ref().map(|pr| {
            let pp = |f: &str| p(&["levels", name, "promotion", f]);
            let to = level_idx(&mut c, pp("to"), &pr.to);
            if pr.to == *name {
                c.err(pp("to"), "a level cannot promote into itself");
            }
            let rate = c.num(
                pp("rate"),
                pr.rate,
                Param::PromotionRate(0).range(),
                "promotion rate (annual probability)",
            );
            let after_months = c.months(pp("after_months"), pr.after_months, 0);
            Promotion {
                to,
                rate,
                after_months,
            }
        });
        levels.push(Level {
            name: name.clone(),
            initial,
            attrition,
            promotion,
        });
    }
    // Promotion chains must end: each level promotes into at most one other.
    for start in 0..levels.len() {
        let mut cur = start;
        for _ in 0..=levels.len() {
            match &levels[cur].promotion {
                Some(pr) if pr.to != cur => cur = pr.to,
                _ => break,
            }
            if cur == start {
                c.err(
                    p(&["levels", &levels[start].name, "promotion", "to"]),
                    "promotion cycle: following `to` from this level comes back to it",
                );
                break;
            }
        }
    }

    // Courses.
    let mut courses = Vec::new();
    for (name, co) in &raw.courses {
        let at = |f: &str| p(&["courses", name, f]);
        let graduates_to = if let Some(l) = level_names.iter().position(|n| *n == co.graduates_to) {
            Destination::Level(l)
        } else if let Some(k) = course_names.iter().position(|n| *n == co.graduates_to) {
            if co.graduates_to == *name {
                c.err(
                    at("graduates_to"),
                    "a course cannot graduate into its own queue",
                );
            }
            Destination::Course(k)
        } else {
            c.err(
                at("graduates_to"),
                format!(
                    "no level or course '{}'; levels: {}; courses: {}",
                    co.graduates_to,
                    level_names.join(", "),
                    course_names.join(", ")
                ),
            );
            Destination::Level(0)
        };
        let length_months = c.months(at("length_months"), co.length_months, 1);
        let seats_per_class = c.num(
            at("seats_per_class"),
            co.seats_per_class,
            Param::Seats(0).range(),
            "seats per class",
        );
        let mut class_starts = [false; 12];
        if co.class_starts.is_empty() {
            c.err(
                at("class_starts"),
                "at least one class start month (1..12) is needed",
            );
        }
        for (i, &m) in co.class_starts.iter().enumerate() {
            if !(1..=12).contains(&m) {
                c.err(
                    p(&["courses", name, "class_starts", &i.to_string()]),
                    format!("{m} is not a month of the year: must be in 1..12"),
                );
            } else if class_starts[m as usize - 1] {
                c.err(
                    p(&["courses", name, "class_starts", &i.to_string()]),
                    format!("month {m} is listed twice"),
                );
            } else {
                class_starts[m as usize - 1] = true;
            }
        }
        let washout = c.num(
            at("washout"),
            co.washout,
            Param::Washout(0).range(),
            "washout (fraction)",
        );
        let queue_attrition = c.num(
            at("queue_attrition"),
            co.queue_attrition,
            Param::QueueAttrition(0).range(),
            "queue attrition (annual rate)",
        );
        let initial_queue = c.num(
            at("initial_queue"),
            co.initial_queue,
            Param::InitialQueue(0).range(),
            "initial queue",
        );
        let months = c.months(at("obligation_months"), co.obligation_months, 0);
        let factor = c.num(
            at("obligated_attrition_factor"),
            co.obligated_attrition_factor.unwrap_or(1.0),
            Param::ObligationFactor(0).range(),
            "obligated attrition factor",
        );
        let end_exit = c.num(
            at("obligation_end_exit"),
            co.obligation_end_exit,
            Param::ObligationExit(0).range(),
            "obligation-end exit (fraction)",
        );
        let instructors = co.instructors.as_ref().map(|i| {
            let ip = |f: &str| p(&["courses", name, "instructors", f]);
            Instructors {
                level: level_idx(&mut c, ip("level"), &i.level),
                students_per_instructor: c.num(
                    ip("students_per_instructor"),
                    i.students_per_instructor,
                    Param::StudentsPerInstructor(0).range(),
                    "students per instructor",
                ),
                max_share: c.num(
                    ip("max_share"),
                    i.max_share,
                    Param::InstructorShare(0).range(),
                    "instructor share (fraction of the level)",
                ),
            }
        });
        courses.push(Course {
            name: name.clone(),
            graduates_to,
            length_months,
            seats_per_class,
            class_starts,
            washout,
            queue_attrition,
            initial_queue,
            obligation: Obligation {
                months,
                attrition_factor: factor,
                end_exit,
            },
            instructors,
        });
    }
    // Chained courses must end in a level.
    for start in 0..courses.len() {
        let mut cur = start;
        for _ in 0..=courses.len() {
            match courses[cur].graduates_to {
                Destination::Course(k) if k != cur => cur = k,
                _ => break,
            }
            if cur == start {
                c.err(
                    p(&["courses", &courses[start].name, "graduates_to"]),
                    "course cycle: following `graduates_to` from this course comes back to it",
                );
                break;
            }
        }
    }

    // Inflows.
    let mut inflows = Vec::new();
    for (name, f) in &raw.inflows {
        let at = |x: &str| p(&["inflows", name, x]);
        let to = match (&f.course, &f.level) {
            (Some(cn), None) => match course_names.iter().position(|n| n == cn) {
                Some(k) => Destination::Course(k),
                None => {
                    c.err(
                        at("course"),
                        format!(
                            "no course '{cn}'; courses: {}",
                            if course_names.is_empty() {
                                "(none defined)".into()
                            } else {
                                course_names.join(", ")
                            }
                        ),
                    );
                    Destination::Level(0)
                }
            },
            (None, Some(ln)) => Destination::Level(level_idx(&mut c, at("level"), ln)),
            _ => {
                c.err(p(&["inflows", name]), "give exactly one of `course` (entrants join its queue) or `level` (direct entry)");
                Destination::Level(0)
            }
        };
        let per_year = c.num(
            at("per_year"),
            f.per_year.unwrap_or(0.0),
            Param::PerYear(0).range(),
            "entrants per year",
        );
        let mut by_fiscal_year = BTreeMap::new();
        for (k, v) in &f.by_fiscal_year {
            let path = p(&["inflows", name, "by_fiscal_year", k]);
            match parse_fiscal_year_key(k) {
                Some(fy) => {
                    by_fiscal_year.insert(
                        fy,
                        c.num(path, *v, Param::PerYear(0).range(), "entrants per year"),
                    );
                }
                None => c.err(
                    path,
                    format!(
                        "'{k}' is not a fiscal year: keys are four-digit years, e.g. 2025 = 80"
                    ),
                ),
            }
        }
        let achievement = c.num(
            at("achievement"),
            f.achievement.unwrap_or(1.0),
            Param::Achievement(0).range(),
            "achievement (fraction of plan)",
        );
        let mut monthly_share = [1.0 / 12.0; 12];
        if let Some(w) = &f.monthly_pattern {
            let sum: f64 = w.iter().sum();
            if w.len() != 12
                || w.iter().any(|x| !x.is_finite() || *x < 0.0)
                || !(sum > 0.0 && sum.is_finite())
            {
                c.err(at("monthly_pattern"), "must be 12 weights >= 0 with a positive sum, from the fiscal year's first month");
            } else {
                for (s, x) in monthly_share.iter_mut().zip(w) {
                    *s = x / sum;
                }
            }
        }
        let term_months = f.term_months.map(|t| c.months(at("term_months"), t, 1));
        if term_months.is_some() && f.course.is_some() {
            c.err(
                at("term_months"),
                "a fixed term is only supported for direct-entry (`level`) inflows",
            );
        }
        inflows.push(Inflow {
            name: name.clone(),
            to,
            per_year,
            by_fiscal_year,
            achievement,
            monthly_share,
            term_months,
        });
    }

    // Events and shocks.
    let mut events = Vec::new();
    for (i, e) in raw.events.iter().enumerate() {
        let at = |x: &str| p(&["events", &i.to_string(), x]);
        let m = c.month(at("date"), &e.date);
        let date = c.in_horizon(at("date"), m, start_ok, end_ok);
        let level = level_idx(&mut c, at("level"), &e.level);
        let change = c.num(
            at("change"),
            e.change,
            Param::EventChange(0).range(),
            "event change (people)",
        );
        events.push(Event {
            date,
            level,
            change,
            note: e.note.clone(),
        });
    }
    let mut shocks = Vec::new();
    for (i, s) in raw.shocks.iter().enumerate() {
        let at = |x: &str| p(&["shocks", &i.to_string(), x]);
        let from = c.month(at("from"), &s.from);
        let to = c.month(at("to"), &s.to);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                c.err(at("to"), format!("{t} is before from {f}"));
            }
        }
        let levels = s
            .levels
            .iter()
            .enumerate()
            .map(|(j, n)| {
                level_idx(
                    &mut c,
                    p(&["shocks", &i.to_string(), "levels", &j.to_string()]),
                    n,
                )
            })
            .collect();
        let attrition_factor = c.num(
            at("attrition_factor"),
            s.attrition_factor,
            Param::ShockFactor(0).range(),
            "shock attrition factor",
        );
        let nil = Month::new(1, 1).expect("valid");
        shocks.push(Shock {
            from: from.unwrap_or(nil),
            to: to.unwrap_or(nil),
            levels,
            attrition_factor,
        });
    }

    // Target.
    let mut target = Target {
        levels: Vec::new(),
        queue: false,
        training: false,
        milestones: Vec::new(),
    };
    match &raw.target.count {
        None => target.levels = (0..levels.len()).collect(),
        Some(names) => {
            if names.is_empty() {
                c.err(
                    p(&["target", "count"]),
                    "must name at least one level (or `queue`, `training`)",
                );
            }
            for (i, n) in names.iter().enumerate() {
                let path = p(&["target", "count", &i.to_string()]);
                match n.as_str() {
                    "queue" if !target.queue => target.queue = true,
                    "training" if !target.training => target.training = true,
                    _ => match level_names.iter().position(|x| x == n) {
                        Some(l) if !target.levels.contains(&l) => target.levels.push(l),
                        Some(_) => c.err(path, format!("'{n}' is listed twice")),
                        None if n == "queue" || n == "training" => {
                            c.err(path, format!("'{n}' is listed twice"))
                        }
                        None => c.err(
                            path,
                            format!(
                                "'{n}' is not a level, `queue` or `training`; levels: {}",
                                level_names.join(", ")
                            ),
                        ),
                    },
                }
            }
            target.levels.sort_unstable();
        }
    }
    for (i, m) in raw.target.milestones.iter().enumerate() {
        let at = |x: &str| p(&["target", "milestones", &i.to_string(), x]);
        let d = c.month(at("date"), &m.date);
        let date = c.in_horizon(at("date"), d, start_ok, end_ok);
        let headcount = c.num(
            at("headcount"),
            m.headcount,
            Range {
                integer: false,
                ..count()
            },
            "milestone headcount",
        );
        if target.milestones.iter().any(|x: &Milestone| x.date == date) {
            c.err(
                at("date"),
                format!("a milestone for {date} is already given"),
            );
        }
        target.milestones.push(Milestone {
            date,
            headcount,
            label: m.label.clone(),
        });
    }
    target.milestones.sort_by_key(|m| m.date);

    let mut scenario = Scenario {
        name: sc.name.clone(),
        title: sc.title.clone().unwrap_or_else(|| sc.name.clone()),
        source: sc.source.clone(),
        start: start.unwrap_or(Month::new(2000, 1).expect("valid")),
        end: end.unwrap_or(Month::new(2000, 1).expect("valid")),
        fy_start_month,
        seed: sc.seed.unwrap_or(1),
        target,
        levels,
        courses,
        inflows,
        events,
        shocks,
        uncertainty: Vec::new(),
        observed: super::observed::check(raw, &level_names, start_ok.zip(end_ok), &mut c.errors),
    };

    // Uncertainty: paths must name numeric parameters; distributions must be complete.
    for (path, u) in &raw.uncertainty {
        let at = |x: &str| p(&["uncertainty", path, x]);
        // "none" switches off an entry a config inherited through `extends`
        // (tables merge, so it cannot be deleted); its other fields are ignored.
        if u.dist == "none" {
            continue;
        }
        let param = match Param::parse(&scenario, path) {
            Ok(pm) => pm,
            Err(e) => {
                c.err(p(&["uncertainty", path]), e);
                continue;
            }
        };
        let range = param.range();
        let base = param.get(&scenario);
        let need = |c: &mut Checker, x: Option<f64>, f: &str| -> f64 {
            match x {
                Some(v) if v.is_finite() => v,
                Some(v) => {
                    c.err(at(f), format!("{v} is not a finite number"));
                    0.0
                }
                None => {
                    c.err(
                        at(f),
                        format!("`{f}` is required for dist = \"{}\"", u.dist),
                    );
                    0.0
                }
            }
        };
        let sd_ok = |c: &mut Checker, sd: f64| {
            if sd < 0.0 {
                c.err(at("sd"), format!("{sd} is not allowed: sd must be >= 0"));
            }
        };
        // Fields a distribution does not use are errors, not silently ignored.
        let used: &[&str] = match u.dist.as_str() {
            "normal" => &["sd", "min", "max"],
            "beta" | "lognormal" => &["sd"],
            "uniform" => &["min", "max"],
            "triangular" => &["min", "mode", "max"],
            _ => &["sd", "min", "mode", "max"],
        };
        for (f, given) in [
            ("sd", u.sd),
            ("min", u.min),
            ("mode", u.mode),
            ("max", u.max),
        ] {
            if given.is_some() && !used.contains(&f) {
                c.err(
                    at(f),
                    format!(
                        "`{f}` is not used by dist = \"{}\" (it takes: {})",
                        u.dist,
                        used.join(", ")
                    ),
                );
            }
        }
        if let Some(first) = scenario
            .uncertainty
            .iter()
            .find(|x| Param::parse(&scenario, &x.path).ok() == Some(param))
        {
            c.err(
                p(&["uncertainty", path]),
                format!(
                    "the same parameter as '{}': give each parameter once",
                    first.path
                ),
            );
        }
        let dist = match u.dist.as_str() {
            "normal" => {
                let sd = need(&mut c, u.sd, "sd");
                sd_ok(&mut c, sd);
                // Optional clamps: default (and narrowed) to the parameter's range.
                let mut bound = |f: &str, x: Option<f64>, default: f64| match x {
                    Some(v) if !v.is_finite() => {
                        c.err(at(f), format!("{v} is not a finite number"));
                        default
                    }
                    Some(v) => v,
                    None => default,
                };
                let min = bound("min", u.min, range.min).max(range.min);
                let max = bound("max", u.max, range.max).min(range.max);
                if min > max {
                    c.err(at("max"), format!("max {max} is below min {min}"));
                } else if base < min || base > max {
                    c.err(at("min"), format!("the configured value {base} (the mean) is outside [min, max] = [{min}, {max}]"));
                }
                Distribution::Normal { sd, min, max }
            }
            "beta" => {
                let sd = need(&mut c, u.sd, "sd");
                sd_ok(&mut c, sd);
                if range.max > 1.0 {
                    c.err(
                        at("dist"),
                        format!(
                            "beta is for probabilities; '{path}' is {}",
                            range.describe()
                        ),
                    );
                } else if sd > 0.0 && sd * sd >= base * (1.0 - base) {
                    c.err(at("sd"), format!("sd {sd} is too large for a beta with mean {base}: sd must be below sqrt(mean (1 - mean)) = {:.4}", (base * (1.0 - base)).sqrt()));
                }
                Distribution::Beta { sd }
            }
            "lognormal" => {
                let sd = need(&mut c, u.sd, "sd");
                sd_ok(&mut c, sd);
                if base <= 0.0 {
                    c.err(at("dist"), "lognormal needs a positive configured value");
                }
                Distribution::LogNormal { sd }
            }
            "uniform" => {
                let (min, max) = (need(&mut c, u.min, "min"), need(&mut c, u.max, "max"));
                if min > max {
                    c.err(at("max"), format!("max {max} is below min {min}"));
                }
                Distribution::Uniform { min, max }
            }
            "triangular" => {
                let (min, max) = (need(&mut c, u.min, "min"), need(&mut c, u.max, "max"));
                let mode = u.mode.unwrap_or(base);
                if !(min <= mode && mode <= max) {
                    c.err(
                        at("mode"),
                        format!("need min <= mode <= max; got {min}, {mode}, {max}"),
                    );
                }
                Distribution::Triangular { min, mode, max }
            }
            other => {
                c.err(at("dist"), format!("'{other}' is not a distribution: use normal, beta, lognormal, uniform, triangular or none"));
                continue;
            }
        };
        if let Distribution::Uniform { min, max } | Distribution::Triangular { min, max, .. } = dist
        {
            for (f, v) in [("min", min), ("max", max)] {
                if v.is_finite()
                    && (v < range.min || v > range.max || range.max_exclusive && v >= range.max)
                {
                    c.err(
                        at(f),
                        format!("{v} is outside the range of '{path}': {}", range.describe()),
                    );
                }
            }
        }
        scenario.uncertainty.push(Uncertainty {
            path: path.clone(),
            dist,
            note: u.note.clone(),
        });
    }

    if c.errors.is_empty() {
        Ok(scenario)
    } else {
        Err(c.errors)
    }
}

fn count() -> Range {
    Param::Initial(0).range()
}

//! `[uncertainty]`: each key a numeric parameter's path, each value a complete
//! distribution that fits the parameter's range and its configured value.

use super::check::{p, Checker};
use crate::config::raw::RawUncertainty;
use crate::config::suggest::did_you_mean;
use crate::params::{Param, Range};
use crate::scenario::{Distribution, Scenario, Uncertainty};
use indexmap::IndexMap;

/// Checks the entries against the scenario the other tables made. A
/// parameter whose configured value already failed its own check has no
/// trustworthy mean, so the checks that compare with the mean are skipped.
pub(super) fn check_uncertainty(
    c: &mut Checker,
    raw: &IndexMap<String, RawUncertainty>,
    scenario: &Scenario,
) -> Vec<Uncertainty> {
    let mut out: Vec<Uncertainty> = Vec::new();
    let mut seen: Vec<(Param, &str)> = Vec::new();
    for (path, u) in raw {
        // "none" switches off an entry a config inherited through `extends`
        // (tables merge, so it cannot be deleted); its other fields are ignored.
        if u.dist == "none" {
            continue;
        }
        let param = match Param::parse(scenario, path) {
            Ok(pm) => pm,
            Err(e) => {
                c.err(p(&["uncertainty", path]), e);
                continue;
            }
        };
        // A budget is a decision, not an estimate: what a run spends is
        // uncertain, what it may spend is not.
        if let Param::Budget(_) = param {
            c.err(
                p(&["uncertainty", path]),
                "a budget cannot be uncertain (it is a limit, not an estimate); uncertain costs are costs.levels.NAME, costs.courses.NAME.per_trainee_month, costs.courses.NAME.per_class and costs.inflows.NAME",
            );
            continue;
        }
        let base_ok = !c.failed(&param.path(scenario));
        let entry = Entry {
            path,
            u,
            range: param.range(),
            base: base_ok.then(|| param.get(scenario)),
        };
        unused_fields(c, &entry);
        if let Some((_, first)) = seen.iter().find(|(pm, _)| *pm == param) {
            c.err(
                p(&["uncertainty", path]),
                format!("the same parameter as '{first}': give each parameter once"),
            );
        }
        seen.push((param, path));
        if let Some(dist) = distribution(c, &entry) {
            out.push(Uncertainty {
                path: path.clone(),
                dist,
                note: u.note.clone(),
            });
        }
    }
    out
}

/// One `[uncertainty]` entry and what it is checked against.
struct Entry<'a> {
    path: &'a str,
    u: &'a RawUncertainty,
    range: Range,
    /// The configured value (the mean), unless it failed its own check.
    base: Option<f64>,
}

impl Entry<'_> {
    fn at(&self, f: &str) -> Vec<String> {
        p(&["uncertainty", self.path, f])
    }

    /// A field the distribution requires, if given and finite.
    fn need(&self, c: &mut Checker, x: Option<f64>, f: &str) -> Option<f64> {
        match x {
            Some(v) if v.is_finite() => Some(v),
            Some(v) => {
                c.err(self.at(f), format!("{v} is not a finite number"));
                None
            }
            None => {
                c.err(
                    self.at(f),
                    format!("`{f}` is required for dist = \"{}\"", self.u.dist),
                );
                None
            }
        }
    }

    /// A required standard deviation, if given, finite and >= 0.
    fn sd(&self, c: &mut Checker) -> Option<f64> {
        let sd = self.need(c, self.u.sd, "sd")?;
        if sd < 0.0 {
            c.err(
                self.at("sd"),
                format!("{sd} is not allowed: sd must be >= 0"),
            );
            return None;
        }
        Some(sd)
    }
}

/// Fields a distribution does not use are errors, not silently ignored.
fn unused_fields(c: &mut Checker, e: &Entry) {
    let used: &[&str] = match e.u.dist.as_str() {
        "normal" => &["sd", "min", "max"],
        "beta" | "lognormal" => &["sd"],
        "uniform" => &["min", "max"],
        "triangular" => &["min", "mode", "max"],
        _ => &["sd", "min", "mode", "max"],
    };
    for (f, given) in [
        ("sd", e.u.sd),
        ("min", e.u.min),
        ("mode", e.u.mode),
        ("max", e.u.max),
    ] {
        if given.is_some() && !used.contains(&f) {
            c.err(
                e.at(f),
                format!(
                    "`{f}` is not used by dist = \"{}\" (it takes: {})",
                    e.u.dist,
                    used.join(", ")
                ),
            );
        }
    }
}

/// The checked distribution, or `None` (with the errors recorded). Each
/// check runs on the fields it needs that passed their own checks.
fn distribution(c: &mut Checker, e: &Entry) -> Option<Distribution> {
    let (u, range) = (e.u, e.range);
    match u.dist.as_str() {
        "normal" => {
            let sd = e.sd(c);
            // Optional clamps: default (and narrowed) to the parameter's range.
            let mut bound = |f: &str, x: Option<f64>, default: f64| match x {
                Some(v) if !v.is_finite() => {
                    c.err(e.at(f), format!("{v} is not a finite number"));
                    None
                }
                Some(v) => Some(v),
                None => Some(default),
            };
            let min = bound("min", u.min, range.min).map(|m| m.max(range.min));
            let max = bound("max", u.max, range.max).map(|m| m.min(range.max));
            let (min, max) = (min?, max?);
            if min > max {
                c.err(e.at("max"), format!("max {max} is below min {min}"));
            } else if let Some(base) = e.base.filter(|b| *b < min || *b > max) {
                c.err(e.at("min"), format!("the configured value {base} (the mean) is outside [min, max] = [{min}, {max}]"));
            }
            Some(Distribution::Normal { sd: sd?, min, max })
        }
        "beta" => {
            let sd = e.sd(c);
            if range.max > 1.0 {
                c.err(
                    e.at("dist"),
                    format!(
                        "beta is for probabilities; '{}' is {}",
                        e.path,
                        range.describe()
                    ),
                );
            } else if let (Some(sd), Some(base)) = (sd, e.base) {
                if sd > 0.0 && sd * sd >= base * (1.0 - base) {
                    c.err(e.at("sd"), format!("sd {sd} is too large for a beta with mean {base}: sd must be below sqrt(mean (1 - mean)) = {:.4}", (base * (1.0 - base)).sqrt()));
                }
            }
            Some(Distribution::Beta { sd: sd? })
        }
        "lognormal" => {
            let sd = e.sd(c);
            if e.base.is_some_and(|b| b <= 0.0) {
                c.err(e.at("dist"), "lognormal needs a positive configured value");
            }
            Some(Distribution::LogNormal { sd: sd? })
        }
        "uniform" => {
            let (min, max) = bounds(c, e);
            let (min, max) = (min?, max?);
            if min > max {
                c.err(e.at("max"), format!("max {max} is below min {min}"));
            }
            Some(Distribution::Uniform { min, max })
        }
        "triangular" => {
            let (min, max) = bounds(c, e);
            let (min, max) = (min?, max?);
            // Without a trustworthy configured value there is no default mode to check.
            let mode = u.mode.or(e.base)?;
            if !(min <= mode && mode <= max) {
                c.err(
                    e.at("mode"),
                    format!("need min <= mode <= max; got {min}, {mode}, {max}"),
                );
            }
            Some(Distribution::Triangular { min, mode, max })
        }
        other => {
            let known = [
                "normal",
                "beta",
                "lognormal",
                "uniform",
                "triangular",
                "none",
            ];
            c.err(
                e.at("dist"),
                format!(
                    "'{other}'{} is not a distribution: use normal, beta, lognormal, uniform, triangular or none",
                    did_you_mean(other, known)
                ),
            );
            None
        }
    }
}

/// The required `min` and `max` of a uniform or triangular: given, finite,
/// and values the parameter may take.
fn bounds(c: &mut Checker, e: &Entry) -> (Option<f64>, Option<f64>) {
    let range = e.range;
    let mut one = |f: &str, x: Option<f64>| {
        let v = e.need(c, x, f)?;
        if v < range.min || v > range.max || range.max_exclusive && v >= range.max {
            c.err(
                e.at(f),
                format!(
                    "{v} is outside the range of '{}': {}",
                    e.path,
                    range.describe()
                ),
            );
        }
        Some(v)
    };
    (one("min", e.u.min), one("max", e.u.max))
}

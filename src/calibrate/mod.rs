//! Calibration: fits numeric parameters of a scenario to its `[[observed]]`
//! headcounts by weighted least squares on the deterministic projection
//! (Levenberg–Marquardt), with standard errors, correlations, an
//! identifiability check and a hold-out back-test. Pure planning code: the
//! `calibrate` command does the I/O. `docs/calibration.md` states exactly what
//! is computed; this file follows it.

mod bounds;
mod fit;
mod spec;
mod stats;
mod write;

pub use spec::{parse_fit, FitParam, Use};
pub use stats::{NO_EFFECT, RANK_TOL};
pub use write::{calibrated_toml, extends_path, Parent};

use crate::month::Month;
use crate::params::Param;
use crate::scenario::{ObservedKind, Scenario};
use bounds::Map;
use fit::Target;
use levenberg_marquardt::{LevenbergMarquardt, TerminationReason};
use nalgebra::DVector;
use serde::Serialize;

/// Why a calibration cannot be run (all are usage errors: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalibrateError {
    /// A `--fit` or `--use` argument is wrong: unknown path, bad bounds, a repeat.
    #[error("{0}")]
    Param(String),
    /// Fewer fitted observations than fitted parameters (or none at all).
    #[error("{0}")]
    TooFewPoints(String),
    /// `calibrated.toml` cannot be written: the fit is not identifiable, or
    /// the values cannot be set in the config.
    #[error("{0}")]
    Output(String),
}

/// Which observations are fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Observations dated after this month are held out: predicted and scored, not fitted.
    pub until: Option<Month>,
    pub use_kinds: Use,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            until: None,
            use_kinds: Use::Counts,
        }
    }
}

/// One fitted parameter (`calibration.json`'s `parameters`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamFit {
    pub path: String,
    #[serde(skip)]
    pub param: Param,
    /// The value in the config (after `--set`).
    pub configured: f64,
    /// The fitted value (rounded for whole-number parameters).
    pub fitted: f64,
    /// Standard error; `null` when the data do not determine it (no effect,
    /// confounded) or it ended at a bound.
    pub se: Option<f64>,
    pub at_bound: bool,
    /// The bounds fitted within.
    pub lo: f64,
    pub hi: f64,
}

/// Where an observation stands in the fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Fitted.
    Fit,
    /// After `until`: predicted and scored, not fitted.
    Holdout,
    /// A plan with `--use counts`: shown, neither fitted nor scored.
    Shown,
}

/// One observation against the fitted projection (`calibration.json`'s `points`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointFit {
    pub date: Month,
    pub observed: f64,
    /// The fitted projection at the end of `date`.
    pub fitted: f64,
    /// `fitted - observed`, in people.
    pub residual: f64,
    /// `residual / sd`.
    pub z: f64,
    pub sd: f64,
    pub in_fit: bool,
    pub role: Role,
    pub kind: ObservedKind,
    /// The level observed; `null` = the counted total.
    pub level: Option<String>,
    pub label: Option<String>,
}

/// The result of a calibration, serialised as `calibration.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    pub parameters: Vec<ParamFit>,
    pub points: Vec<PointFit>,
    /// Sum of squared `z` over the fitted points.
    pub chi2: f64,
    /// Fitted points minus fitted parameters.
    pub dof: usize,
    /// Root mean square of the fitted points' residuals, in people.
    pub rmse_fit: f64,
    /// The same over the held-out points; `null` when there are none.
    pub rmse_holdout: Option<f64>,
    /// Whether the data determine every fitted parameter.
    pub identifiable: bool,
    pub warnings: Vec<String>,
    /// Correlation of the fitted parameters, in `parameters` order; `null`
    /// where a standard error is.
    pub correlation: Vec<Vec<Option<f64>>>,
    /// Factor the standard errors were multiplied by: `sqrt(chi2 / dof)` when
    /// that exceeds 1, else 1.
    pub se_scale: f64,
    /// First and last dates of the fitted points.
    pub fit_from: Month,
    pub fit_to: Month,
    pub until: Option<Month>,
    #[serde(rename = "use")]
    pub use_kinds: Use,
    /// Projections run.
    pub projections: usize,
    /// Whether the solver met its convergence test.
    pub converged: bool,
}

/// Fits `fit` to the observations of `s`. Deterministic: same input, same
/// result, on any machine thread count.
pub fn calibrate(
    s: &Scenario,
    fit: &[FitParam],
    opts: &Options,
) -> Result<Calibration, CalibrateError> {
    if fit.is_empty() {
        return Err(CalibrateError::Param(
            "nothing to fit: name at least one parameter with --fit PATH[=LO:HI]".into(),
        ));
    }
    for (i, f) in fit.iter().enumerate() {
        if fit[..i].iter().any(|g| g.param == f.param) {
            return Err(CalibrateError::Param(format!(
                "--fit {}: the parameter is named twice",
                f.param.path(s)
            )));
        }
    }
    let roles: Vec<Role> = s
        .observed
        .iter()
        .map(|o| {
            if !opts.use_kinds.includes(o.kind) {
                Role::Shown
            } else if opts.until.is_some_and(|u| o.date > u) {
                Role::Holdout
            } else {
                Role::Fit
            }
        })
        .collect();
    let target = |o: &crate::scenario::Observation| Target {
        date: o.date,
        level: o.level,
        headcount: o.headcount,
        sd: o.sd,
    };
    let all: Vec<Target> = s.observed.iter().map(target).collect();
    let fitted_targets: Vec<Target> = all
        .iter()
        .zip(&roles)
        .filter(|(_, r)| **r == Role::Fit)
        .map(|(t, _)| *t)
        .collect();
    let (m, n) = (fitted_targets.len(), fit.len());
    if m < n || m == 0 {
        return Err(CalibrateError::TooFewPoints(too_few(s, opts, m, n)));
    }

    // Nothing after the last observation matters: stop the projection there.
    let mut base = s.clone();
    if let Some(last) = all.last() {
        base.end = last.date.clamp(s.start, s.end);
    }
    let configured: Vec<f64> = fit.iter().map(|f| f.param.get(s)).collect();
    let scales: Vec<f64> = fit
        .iter()
        .zip(&configured)
        .map(|(f, &x)| bounds::scale(f.param, x.clamp(f.lo, f.hi)))
        .collect();
    let maps: Vec<Map> = fit
        .iter()
        .zip(&scales)
        .map(|(f, &sc)| Map::new(f.lo, f.hi, sc))
        .collect();
    let u0 = DVector::from_iterator(
        n,
        maps.iter()
            .zip(fit.iter().zip(&configured))
            .map(|(m, (f, &x))| m.u(x.clamp(f.lo, f.hi))),
    );
    let problem = fit::Problem::new(&base, fit, &maps, &scales, &fitted_targets, u0);
    let (problem, report) = LevenbergMarquardt::new()
        .with_ftol(1e-12)
        .with_xtol(1e-12)
        .with_gtol(1e-12)
        .minimize(problem);
    let mut projections = problem.runs.get();
    let mut warnings = Vec::new();
    let converged = match report.termination {
        TerminationReason::ResidualsZero
        | TerminationReason::Orthogonal
        | TerminationReason::Converged { .. }
        // The tolerances were met to machine precision.
        | TerminationReason::NoImprovementPossible(_) => true,
        ref other => {
            warnings.push(format!(
                "the solver stopped without converging ({other:?}) after {} projections: treat the values with caution",
                problem.runs.get()
            ));
            false
        }
    };

    // Final values: on a bound exactly when within tolerance of it, whole
    // numbers rounded, so that `calibrated.toml` reproduces what is reported.
    let mut x = problem.x.clone();
    let mut at_bound = vec![false; n];
    let mut rounded = false;
    for k in 0..n {
        if let Some(b) = maps[k].bound_at(x[k]) {
            x[k] = b;
            at_bound[k] = true;
        }
        if fit[k].param.range().integer {
            rounded |= (x[k] - x[k].round()).abs() > 1e-6;
            x[k] = x[k].round().clamp(fit[k].lo, fit[k].hi);
        }
    }
    let (jac, runs) = fit::jacobian(&base, fit, &x, &scales, &fitted_targets);
    projections += runs;
    let analysis = stats::analyse(&jac, &scales, &at_bound);
    // The data say nothing about a parameter with no effect: leave it as configured.
    for &k in &analysis.no_effect {
        x[k] = configured[k].clamp(fit[k].lo, fit[k].hi);
    }
    let model = fit::values(&base, fit, &x, &all);
    projections += 1;

    let mut points = Vec::with_capacity(all.len());
    for ((o, role), &value) in s.observed.iter().zip(&roles).zip(&model) {
        let residual = value - o.headcount;
        points.push(PointFit {
            date: o.date,
            observed: o.headcount,
            fitted: value,
            residual,
            z: residual / o.sd,
            sd: o.sd,
            in_fit: *role == Role::Fit,
            role: *role,
            kind: o.kind,
            level: o.level.map(|l| s.levels[l].name.clone()),
            label: o.label.clone(),
        });
    }
    let chi2: f64 = points.iter().filter(|p| p.in_fit).map(|p| p.z * p.z).sum();
    let dof = m - n;
    let rms = |role: Role| {
        let r: Vec<f64> = points
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.residual)
            .collect();
        (!r.is_empty()).then(|| (r.iter().map(|e| e * e).sum::<f64>() / r.len() as f64).sqrt())
    };
    let se_scale = if dof > 0 && chi2 / dof as f64 > 1.0 {
        (chi2 / dof as f64).sqrt()
    } else {
        1.0
    };

    let name = |k: usize| format!("`{}`", fit[k].param.path(s));
    let names = |ks: &[usize]| ks.iter().map(|&k| name(k)).collect::<Vec<_>>().join(", ");
    let fit_from = fitted_targets[0].date;
    let fit_to = fitted_targets[m - 1].date;
    for &k in &analysis.no_effect {
        warnings.push(format!(
            "not identifiable: {} has no effect on any fitted observation ({fit_from} .. {fit_to}); the data say nothing about it, so it is left at its configured value",
            name(k)
        ));
    }
    for group in &analysis.confounded {
        warnings.push(format!(
            "not identifiable: the data cannot tell apart {}: they move the fitted observations the same way, so only a combination of them is determined; fit one of them, or add observations that separate them",
            names(group)
        ));
    }
    for k in (0..n).filter(|&k| at_bound[k]) {
        warnings.push(format!(
            "{} ended at its bound {}: the data push it past the range allowed; it is reported at the bound, with no standard error",
            name(k),
            x[k]
        ));
    }
    for a in 0..n {
        for b in a + 1..n {
            if let Some(r) = analysis.correlation[a][b].filter(|r| r.abs() > 0.95) {
                warnings.push(format!(
                    "{} and {} are strongly correlated ({r:+.3}): the data determine a combination of them better than either",
                    name(a),
                    name(b)
                ));
            }
        }
    }
    if dof == 0 {
        warnings.push(format!(
            "as many fitted parameters as fitted observations ({n}): the fit passes through them by construction, chi-square says nothing about the model, and the standard errors rest on the stated sd alone"
        ));
    } else if chi2 / dof as f64 > 2.0 {
        warnings.push(format!(
            "chi-square {chi2:.1} on {dof} degrees of freedom: the model misses the observations by more than their stated sd; the standard errors are scaled up by {se_scale:.2}"
        ));
    }
    if rounded {
        warnings.push("whole-number parameters were fitted as continuous values and rounded to whole people; the reported fit is that of the rounded values".into());
    }

    let identifiable = analysis.no_effect.is_empty() && analysis.confounded.is_empty();
    let parameters = (0..n)
        .map(|k| ParamFit {
            path: fit[k].param.path(s),
            param: fit[k].param,
            configured: configured[k],
            fitted: x[k],
            se: analysis.se[k].map(|se| se * se_scale),
            at_bound: at_bound[k],
            lo: fit[k].lo,
            hi: fit[k].hi,
        })
        .collect();
    Ok(Calibration {
        parameters,
        chi2,
        dof,
        rmse_fit: rms(Role::Fit).unwrap_or(0.0),
        rmse_holdout: rms(Role::Holdout),
        points,
        identifiable,
        warnings,
        correlation: analysis.correlation,
        se_scale,
        fit_from,
        fit_to,
        until: opts.until,
        use_kinds: opts.use_kinds,
        projections,
        converged,
    })
}

fn too_few(s: &Scenario, opts: &Options, m: usize, n: usize) -> String {
    let counts = s
        .observed
        .iter()
        .filter(|o| o.kind == ObservedKind::Count)
        .count();
    let mut why = format!(
        "{n} parameter{} to fit but only {m} observation{} to fit {} to: need at least as many observations as parameters",
        if n == 1 { "" } else { "s" },
        if m == 1 { "" } else { "s" },
        if n == 1 { "it" } else { "them" },
    );
    if s.observed.is_empty() {
        why.push_str(&format!(
            "; scenario '{}' has no [[observed]] headcounts",
            s.name
        ));
    } else {
        if let Some(u) = opts.until {
            why.push_str(&format!("; --until {u} holds out the later ones"));
        }
        if opts.use_kinds == Use::Counts && counts < s.observed.len() {
            why.push_str("; plans are not fitted unless --use all");
        }
    }
    why
}

impl Calibration {
    /// Sets the fitted values in `s` (the scenario calibrated): projecting it
    /// then reproduces each point's `fitted`.
    pub fn apply(&self, s: &mut Scenario) {
        for p in &self.parameters {
            p.param.set(s, p.fitted);
        }
    }

    /// A copy of `s` with the fitted values.
    pub fn fitted_scenario(&self, s: &Scenario) -> Scenario {
        let mut s = s.clone();
        self.apply(&mut s);
        s
    }

    /// `fitted 2021-03..2023-03`: where the fitted values come from, for notes and labels.
    pub fn label(&self) -> String {
        format!("fitted {}..{}", self.fit_from, self.fit_to)
    }

    /// One line that says the answer.
    pub fn headline(&self) -> String {
        let fitted_points = self.points.iter().filter(|p| p.in_fit).count();
        if !self.identifiable {
            let why: Vec<&str> = self
                .warnings
                .iter()
                .filter_map(|w| w.strip_prefix("not identifiable: "))
                .collect();
            return format!("calibration is not identifiable: {}", why.join("; "));
        }
        let values: Vec<String> = self
            .parameters
            .iter()
            .map(|p| {
                let bound = if p.at_bound { " (at bound)" } else { "" };
                format!("{} = {}{bound}", p.path, value_pm(p.fitted, p.se))
            })
            .collect();
        let mut line = format!(
            "fitted to {fitted_points} observation{} {}..{}: {}; chi2 {:.2} on {} dof, RMSE {:.1} people",
            if fitted_points == 1 { "" } else { "s" },
            self.fit_from,
            self.fit_to,
            values.join(", "),
            self.chi2,
            self.dof,
            self.rmse_fit
        );
        if let Some(h) = self.rmse_holdout {
            let held = self
                .points
                .iter()
                .filter(|p| p.role == Role::Holdout)
                .count();
            line.push_str(&format!(
                "; hold-out RMSE {h:.1} people over {held} point{}",
                if held == 1 { "" } else { "s" }
            ));
        }
        line
    }
}

/// `152.3 ± 4.1`: the value to the precision its standard error supports
/// (two significant digits of the error).
pub fn value_pm(v: f64, se: Option<f64>) -> String {
    match se {
        Some(se) if se > 0.0 && se.is_finite() => {
            let decimals = (1 - se.log10().floor() as i32).max(0) as usize;
            format!("{v:.decimals$} ± {se:.decimals$}")
        }
        _ => {
            let t = round_sig(v, 6);
            if t.contains('.') {
                t.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                t
            }
        }
    }
}

/// `x` to `sig` significant digits, without exponent.
fn round_sig(x: f64, sig: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (sig - 1 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_shown_to_the_precision_of_their_error() {
        assert_eq!(value_pm(152.3456, Some(4.1)), "152.3 ± 4.1");
        assert_eq!(value_pm(1180.0, Some(61.0)), "1180 ± 61");
        assert_eq!(value_pm(0.061234, Some(0.0042)), "0.0612 ± 0.0042");
        assert_eq!(value_pm(0.25, None), "0.25");
        assert_eq!(value_pm(1100.0, None), "1100");
        assert_eq!(round_sig(35.26, 3), "35.3");
    }
}

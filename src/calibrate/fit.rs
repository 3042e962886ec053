//! The least-squares problem: model values at the observed dates, weighted
//! residuals, and their Jacobian by central differences, in the form the
//! Levenberg–Marquardt solver takes.

use super::bounds::Map;
use super::FitParam;
use crate::engine::{self, Expected, Observer, Snapshot};
use crate::month::Month;
use crate::params::Param;
use crate::scenario::Scenario;
use levenberg_marquardt::LeastSquaresProblem;
use nalgebra::{storage::Owned, DMatrix, DVector, Dyn};

/// One value the model is compared with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub date: Month,
    /// `None` = the counted total.
    pub level: Option<usize>,
    pub headcount: f64,
    pub sd: f64,
}

/// Sets `p` to `v` clamped into its range but not rounded: whole-number
/// parameters (headcounts, seats, event sizes) are fitted as continuous
/// numbers, since rounding would make the objective a staircase with no
/// slope. The deterministic projection works in expected values, so a
/// fractional person is fine there.
pub fn set_exact(p: Param, s: &mut Scenario, v: f64) {
    p.set(s, v);
    let r = p.range();
    if r.integer {
        let v = v.clamp(r.min, r.max);
        match p {
            Param::Initial(l) => s.levels[l].initial = v,
            Param::Seats(c) => s.courses[c].seats_per_class = v,
            Param::InitialQueue(c) => s.courses[c].initial_queue = v,
            Param::EventChange(i) => s.events[i].change = v,
            _ => {}
        }
    }
}

/// Records the stock each target asks for, in date order.
struct Pick<'t> {
    targets: &'t [Target],
    next: usize,
    out: Vec<f64>,
}

impl Observer for Pick<'_> {
    fn month(&mut self, snap: &Snapshot<'_>) {
        while let Some(t) = self.targets.get(self.next) {
            if t.date > snap.month {
                break;
            }
            self.out[self.next] = match t.level {
                Some(l) => snap.levels[l],
                None => snap.total,
            };
            self.next += 1;
        }
    }
}

/// The projection of `base` with the parameters at `x`, at each target's
/// date (targets sorted by date, dated from the initial state to `base.end`).
pub fn values(base: &Scenario, fit: &[FitParam], x: &[f64], targets: &[Target]) -> Vec<f64> {
    let mut s = base.clone();
    for (f, &v) in fit.iter().zip(x) {
        set_exact(f.param, &mut s, v);
    }
    let mut pick = Pick {
        targets,
        next: 0,
        out: vec![f64::NAN; targets.len()],
    };
    engine::simulate(&s, &mut Expected, &mut pick);
    pick.out
}

fn weighted(model: &[f64], targets: &[Target]) -> DVector<f64> {
    DVector::from_iterator(
        targets.len(),
        model
            .iter()
            .zip(targets)
            .map(|(m, t)| (m - t.headcount) / t.sd),
    )
}

/// Relative size of a difference step: about the cube root of the machine
/// epsilon, where a central difference's truncation and rounding errors balance.
const STEP: f64 = 6e-6;

/// The Jacobian of the weighted residuals `(model - observed) / sd` with
/// respect to the parameters themselves: central differences with a step
/// relative to each parameter's scale, one-sided where a central step would
/// leave the parameter's valid range. Returns it with the number of
/// projections run.
pub fn jacobian(
    base: &Scenario,
    fit: &[FitParam],
    x: &[f64],
    scales: &[f64],
    targets: &[Target],
) -> (DMatrix<f64>, usize) {
    let mut j = DMatrix::zeros(targets.len(), fit.len());
    let mut runs = 0;
    let mut centre: Option<Vec<f64>> = None;
    for k in 0..fit.len() {
        let r = fit[k].param.range();
        let inside = |v: f64| v >= r.min && (v < r.max || !r.max_exclusive && v <= r.max);
        let h = STEP * x[k].abs().max(scales[k]);
        let mut shifted = |v: f64| {
            let mut xs = x.to_vec();
            xs[k] = v;
            runs += 1;
            values(base, fit, &xs, targets)
        };
        let (a, b, width) = match (inside(x[k] + h), inside(x[k] - h)) {
            (true, true) => (shifted(x[k] + h), shifted(x[k] - h), 2.0 * h),
            (true, false) => {
                let a = shifted(x[k] + h);
                let c = centre.get_or_insert_with(|| values(base, fit, x, targets));
                (a, c.clone(), h)
            }
            _ => {
                let b = shifted(x[k] - h);
                let c = centre.get_or_insert_with(|| values(base, fit, x, targets));
                (c.clone(), b, h)
            }
        };
        for i in 0..targets.len() {
            j[(i, k)] = (a[i] - b[i]) / width / targets[i].sd;
        }
    }
    (j, runs)
}

/// The problem as the solver sees it: internal values `u`, residuals cached
/// when they are set.
pub struct Problem<'a> {
    pub base: &'a Scenario,
    pub fit: &'a [FitParam],
    pub maps: &'a [Map],
    pub scales: &'a [f64],
    pub targets: &'a [Target],
    pub u: DVector<f64>,
    pub x: Vec<f64>,
    resid: DVector<f64>,
    /// Projections run so far.
    pub runs: std::cell::Cell<usize>,
}

impl<'a> Problem<'a> {
    pub fn new(
        base: &'a Scenario,
        fit: &'a [FitParam],
        maps: &'a [Map],
        scales: &'a [f64],
        targets: &'a [Target],
        u: DVector<f64>,
    ) -> Problem<'a> {
        let mut p = Problem {
            base,
            fit,
            maps,
            scales,
            targets,
            u: u.clone(),
            x: Vec::new(),
            resid: DVector::zeros(0),
            runs: std::cell::Cell::new(0),
        };
        p.set_params(&u);
        p
    }
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for Problem<'_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, u: &DVector<f64>) {
        self.u.copy_from(u);
        self.x = self
            .maps
            .iter()
            .zip(u.iter())
            .map(|(m, &u)| m.x(u))
            .collect();
        let model = values(self.base, self.fit, &self.x, self.targets);
        self.runs.set(self.runs.get() + 1);
        self.resid = weighted(&model, self.targets);
    }

    fn params(&self) -> DVector<f64> {
        self.u.clone()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        self.resid
            .iter()
            .all(|r| r.is_finite())
            .then(|| self.resid.clone())
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        let (mut j, runs) = jacobian(self.base, self.fit, &self.x, self.scales, self.targets);
        self.runs.set(self.runs.get() + runs);
        for (k, (m, &u)) in self.maps.iter().zip(self.u.iter()).enumerate() {
            let d = m.dx_du(u);
            j.column_mut(k).scale_mut(d);
        }
        j.iter().all(|v| v.is_finite()).then_some(j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_whole_number_parameter_can_be_set_between_whole_numbers() {
        let mut s = crate::config::load(None, &[]).unwrap().scenario;
        let whole: Vec<Param> = Param::all(&s)
            .into_iter()
            .filter(|p| p.range().integer)
            // Refused as a fit parameter (spec.rs): whole monthly steps.
            .filter(|p| !matches!(p, Param::QualificationMonths(_)))
            .collect();
        assert!(whole.len() >= 4, "{whole:?}");
        for p in whole {
            set_exact(p, &mut s, 2.5);
            assert_eq!(p.get(&s), 2.5, "{}", p.path(&s));
        }
    }
}

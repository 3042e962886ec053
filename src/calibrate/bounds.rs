//! Bounds by change of variable: the solver moves an unbounded internal value
//! `u`, and the parameter is `x = map(u)`, which cannot leave `[lo, hi]`.
//! A bound at the edge of a parameter's valid range that is only there to keep
//! arithmetic finite (1e9 people) is treated as open, so the map stays close to
//! linear where the answer lies.

use crate::params::{Param, MAX_COUNT};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Map {
    /// `x = lo + (hi - lo) (1 + sin u) / 2` (MINUIT's map for two bounds).
    Interval { lo: f64, hi: f64 },
    /// `x = lo + s (sqrt(u^2 + 1) - 1)`.
    Lower { lo: f64, s: f64 },
    /// `x = hi - s (sqrt(u^2 + 1) - 1)`.
    Upper { hi: f64, s: f64 },
    /// `x = s u`.
    Free { s: f64 },
}

/// The typical size of a parameter: steps and tolerances are relative to it.
pub fn scale(p: Param, x: f64) -> f64 {
    let floor = match p {
        Param::ObligationFactor(_) | Param::ShockFactor(_) => 0.1,
        _ if p.range().max <= 1.0 => 0.01,
        _ => 1.0,
    };
    x.abs().max(floor)
}

impl Map {
    pub fn new(lo: f64, hi: f64, s: f64) -> Map {
        match (lo <= -MAX_COUNT, hi >= MAX_COUNT) {
            (false, false) => Map::Interval { lo, hi },
            (false, true) => Map::Lower { lo, s },
            (true, false) => Map::Upper { hi, s },
            (true, true) => Map::Free { s },
        }
    }

    pub fn x(&self, u: f64) -> f64 {
        match *self {
            Map::Interval { lo, hi } => (lo + (hi - lo) * (1.0 + u.sin()) / 2.0).clamp(lo, hi),
            Map::Lower { lo, s } => lo + s * ((u * u + 1.0).sqrt() - 1.0),
            Map::Upper { hi, s } => hi - s * ((u * u + 1.0).sqrt() - 1.0),
            Map::Free { s } => s * u,
        }
    }

    pub fn dx_du(&self, u: f64) -> f64 {
        match *self {
            Map::Interval { lo, hi } => (hi - lo) * u.cos() / 2.0,
            Map::Lower { s, .. } => s * u / (u * u + 1.0).sqrt(),
            Map::Upper { s, .. } => -s * u / (u * u + 1.0).sqrt(),
            Map::Free { s } => s,
        }
    }

    /// The internal value of `x`, after moving `x` off a bound: at a bound the
    /// map is flat, and a solver started there could not move.
    pub fn u(&self, x: f64) -> f64 {
        match *self {
            Map::Interval { lo, hi } => {
                let w = hi - lo;
                let x = x.clamp(lo + 1e-3 * w, hi - 1e-3 * w);
                (2.0 * (x - lo) / w - 1.0).asin()
            }
            Map::Lower { lo, s } => {
                let d = (x - lo).max(1e-2 * s) / s + 1.0;
                (d * d - 1.0).sqrt()
            }
            Map::Upper { hi, s } => {
                let d = (hi - x).max(1e-2 * s) / s + 1.0;
                (d * d - 1.0).sqrt()
            }
            Map::Free { s } => x / s,
        }
    }

    /// The bound `x` sits on, if any: within a millionth of the interval's
    /// width (or of the parameter's scale for a one-sided bound).
    pub fn bound_at(&self, x: f64) -> Option<f64> {
        let near = |b: f64, tol: f64| ((x - b).abs() <= tol).then_some(b);
        match *self {
            Map::Interval { lo, hi } => {
                let tol = 1e-6 * (hi - lo);
                near(lo, tol).or_else(|| near(hi, tol))
            }
            Map::Lower { lo, s } => near(lo, 1e-6 * s),
            Map::Upper { hi, s } => near(hi, 1e-6 * s),
            Map::Free { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_invert_and_stay_inside() {
        for (m, xs) in [
            (Map::Interval { lo: 0.0, hi: 1.0 }, [0.3, 0.7]),
            (Map::Lower { lo: 0.0, s: 400.0 }, [150.0, 700.0]),
            (Map::Upper { hi: 10.0, s: 2.0 }, [-3.0, 9.0]),
            (Map::Free { s: 1100.0 }, [-800.0, 1300.0]),
        ] {
            for x in xs {
                let u = m.u(x);
                assert!(
                    (m.x(u) - x).abs() < 1e-12 * x.abs().max(1.0),
                    "{m:?} at {x}"
                );
                let h = 1e-6;
                let fd = (m.x(u + h) - m.x(u - h)) / (2.0 * h);
                assert!((fd - m.dx_du(u)).abs() < 1e-6 * fd.abs().max(1.0), "{m:?}");
            }
            for u in [-1e3, -2.0, 0.0, 3.0, 1e3] {
                let x = m.x(u);
                match m {
                    Map::Interval { lo, hi } => assert!((lo..=hi).contains(&x)),
                    Map::Lower { lo, .. } => assert!(x >= lo),
                    Map::Upper { hi, .. } => assert!(x <= hi),
                    Map::Free { .. } => {}
                }
            }
        }
    }

    #[test]
    fn a_start_on_a_bound_is_moved_inside_where_the_map_has_slope() {
        let m = Map::Interval { lo: 0.0, hi: 1.0 };
        assert!(m.dx_du(m.u(0.0)) > 0.01);
        let m = Map::Lower { lo: 0.0, s: 1.0 };
        assert!(m.dx_du(m.u(0.0)) > 0.1);
        assert_eq!(m.bound_at(1e-7), Some(0.0));
        assert_eq!(m.bound_at(1e-3), None);
    }
}

//! What the fit's Jacobian says: which parameters the data determine, their
//! covariance, and which they cannot tell apart.

use nalgebra::DMatrix;

/// A parameter whose largest effect, over a 100 % change of its value, is
/// below this many sd on every fitted observation has "no effect".
pub const NO_EFFECT: f64 = 1e-6;
/// Singular values of the column-normalised Jacobian below this share of the
/// largest mark directions the data cannot see (condition number above 1e6).
/// Finite differences are accurate to about 1e-9 here, so exactly confounded
/// parameters land far below it and distinguishable ones far above.
pub const RANK_TOL: f64 = 1e-6;
/// A right singular vector's component above this names a parameter as part
/// of an unseen direction.
const INVOLVED: f64 = 0.1;

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Standard error from `(J^T J)^-1` (unscaled), `None` when the parameter
    /// is fixed, has no effect or is confounded.
    pub se: Vec<Option<f64>>,
    /// Correlation between parameters that have a standard error.
    pub correlation: Vec<Vec<Option<f64>>>,
    /// Parameters with no effect on any fitted observation.
    pub no_effect: Vec<usize>,
    /// Groups of parameters only a combination of which the data determine.
    pub confounded: Vec<Vec<usize>>,
}

/// Analyses the weighted Jacobian `j` (rows: fitted observations, columns:
/// parameters, in units of sd per unit of the parameter). `scales` are the
/// parameters' typical sizes; `fixed` ones (ended at a bound) are left out.
pub fn analyse(j: &DMatrix<f64>, scales: &[f64], fixed: &[bool]) -> Analysis {
    let n = j.ncols();
    let norms: Vec<f64> = (0..n).map(|k| j.column(k).norm()).collect();
    let no_effect: Vec<usize> = (0..n)
        .filter(|&k| {
            let effect = norms[k] * scales[k];
            !fixed[k] && (effect.is_nan() || effect <= NO_EFFECT)
        })
        .collect();
    let active: Vec<usize> = (0..n)
        .filter(|&k| !fixed[k] && !no_effect.contains(&k))
        .collect();
    let mut out = Analysis {
        se: vec![None; n],
        correlation: vec![vec![None; n]; n],
        no_effect,
        confounded: Vec::new(),
    };
    if active.is_empty() {
        return out;
    }
    // Normalised columns make the rank test independent of units.
    let jn = DMatrix::from_fn(j.nrows(), active.len(), |i, a| {
        j[(i, active[a])] / norms[active[a]]
    });
    let svd = jn.svd(false, true);
    let Some(v_t) = svd.v_t else {
        return out;
    };
    let sigma = svd.singular_values;
    let top = sigma.iter().cloned().fold(0.0, f64::max);
    let mut cov = DMatrix::<f64>::zeros(active.len(), active.len());
    let mut unseen = vec![false; active.len()];
    for (i, &s) in sigma.iter().enumerate() {
        let v = v_t.row(i);
        if s <= RANK_TOL * top {
            let group: Vec<usize> = (0..active.len())
                .filter(|&a| v[a].abs() > INVOLVED)
                .collect();
            for &a in &group {
                unseen[a] = true;
            }
            let group: Vec<usize> = group.into_iter().map(|a| active[a]).collect();
            if !out.confounded.contains(&group) {
                out.confounded.push(group);
            }
        } else {
            cov += v.transpose() * v / (s * s);
        }
    }
    let seen: Vec<usize> = (0..active.len()).filter(|&a| !unseen[a]).collect();
    for &a in &seen {
        out.se[active[a]] = Some(cov[(a, a)].sqrt() / norms[active[a]]);
    }
    for &a in &seen {
        for &b in &seen {
            let r = cov[(a, b)] / (cov[(a, a)] * cov[(b, b)]).sqrt();
            out.correlation[active[a]][active[b]] = Some(r.clamp(-1.0, 1.0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_model_covariance_matches_the_closed_form() {
        // y = a + b t at t = 0, 1, 2 with unit sd: cov = (X^T X)^-1 =
        // [[5, -3], [-3, 3]] / 6.
        let j = DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 1.0, 1.0, 1.0, 2.0]);
        let a = analyse(&j, &[1.0, 1.0], &[false, false]);
        assert!((a.se[0].unwrap() - (5.0f64 / 6.0).sqrt()).abs() < 1e-12);
        assert!((a.se[1].unwrap() - 0.5f64.sqrt()).abs() < 1e-12);
        let r = -3.0 / (5.0f64 * 3.0).sqrt();
        assert!((a.correlation[0][1].unwrap() - r).abs() < 1e-12);
        assert!(a.confounded.is_empty() && a.no_effect.is_empty());
    }

    #[test]
    fn equal_columns_are_confounded_and_a_zero_column_has_no_effect() {
        let j = DMatrix::from_row_slice(
            3,
            4,
            &[
                1.0, 2.0, 2.0, 0.0, //
                1.0, 3.0, 3.0, 0.0, //
                1.0, 4.0, 4.0, 0.0,
            ],
        );
        let a = analyse(&j, &[1.0; 4], &[false; 4]);
        assert_eq!(a.no_effect, vec![3]);
        assert_eq!(a.confounded, vec![vec![1, 2]]);
        assert!(a.se[0].is_some() && a.se[1].is_none() && a.se[2].is_none());
    }
}

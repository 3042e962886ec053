//! What to fit: `PATH[=LO:HI]` for each parameter, and which observations.

use super::CalibrateError;
use crate::params::Param;
use crate::scenario::{ObservedKind, Scenario};
use serde::Serialize;

/// One parameter to fit and the bounds it is fitted within.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitParam {
    pub param: Param,
    /// Inclusive bounds, inside the parameter's valid range (whole numbers for
    /// whole-number parameters).
    pub lo: f64,
    pub hi: f64,
}

/// Parses `PATH` or `PATH=LO:HI` (as given to `--fit`). Without bounds the
/// parameter's whole valid range is used (attrition stops just below 1).
pub fn parse_fit(s: &Scenario, text: &str) -> Result<FitParam, CalibrateError> {
    let bad = |m: String| CalibrateError::Param(format!("--fit {text}: {m}"));
    let (path, bounds) = match text.split_once('=') {
        Some((p, b)) => (p.trim(), Some(b)),
        None => (text.trim(), None),
    };
    let param = Param::parse(s, path).map_err(bad)?;
    if let Param::QualificationMonths(_) = param {
        // The fit moves whole-number parameters continuously (`set_exact`),
        // but a qualification lasts whole monthly steps: the objective
        // would be a staircase with no slope.
        return Err(bad(
            "months on the job are whole monthly steps and cannot be fitted; \
             fit another parameter, or compare months with `sweep` or `solve`"
                .to_string(),
        ));
    }
    let r = param.range();
    let (lo, hi) = match bounds {
        None => (r.min, r.clamp(r.max)),
        Some(b) => crate::goal::parse_bounds(
            &format!("--fit {text}"),
            path,
            r,
            b,
            "PATH=LO:HI, e.g. inflows.transfers.per_year=50:600",
        )
        .map_err(CalibrateError::Param)?,
    };
    Ok(FitParam { param, lo, hi })
}

/// Which observations are fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Use {
    /// Counts of people in post only; plans are shown but not fitted.
    Counts,
    /// Counts and plans.
    All,
}

impl Use {
    pub fn includes(self, kind: ObservedKind) -> bool {
        self == Use::All || kind == ObservedKind::Count
    }
}

impl std::str::FromStr for Use {
    type Err = CalibrateError;
    fn from_str(s: &str) -> Result<Use, CalibrateError> {
        match s {
            "counts" => Ok(Use::Counts),
            "all" => Ok(Use::All),
            _ => Err(CalibrateError::Param(format!(
                "--use {s}: expected `counts` (fit counts of people in post) or `all` (counts and plans)"
            ))),
        }
    }
}

//! `calibrated.toml`: a config that extends the one calibrated, sets the
//! fitted values as its own keys, and carries each fitted parameter's standard
//! error into `[uncertainty]`, so `mc` on it carries the fit's uncertainty.

use super::{value_pm, CalibrateError, Calibration};
use crate::config::merge::apply_set;
use crate::params::Param;
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The config a calibrated one extends.
#[derive(Debug, Clone, Copy)]
pub struct Parent<'a> {
    /// What to write as `extends`: the parent's path relative to the folder
    /// `calibrated.toml` is written to (or absolute).
    pub extends: &'a str,
    /// The parent as loaded without `--set`: its file with its own `extends`
    /// chain merged (`config::merge::load_chain`).
    pub table: &'a Table,
}

/// The text of `calibrated.toml` for calibration `cal` of scenario `s`, whose
/// merged config (after `extends` and `--set`) is `merged`. With a `parent`
/// the file extends it and holds only what differs (the fitted values, any
/// `--set`, the new name and uncertainty); when that cannot be said by
/// merging (a `--set` that replaced a table dropped keys the parent has), or
/// without a parent (the embedded baseline), the file is self-contained.
/// Refuses when the fit is not identifiable: its values would be arbitrary.
pub fn calibrated_toml(
    cal: &Calibration,
    s: &Scenario,
    merged: &Table,
    parent: Option<Parent<'_>>,
) -> Result<String, CalibrateError> {
    if !cal.identifiable {
        return Err(CalibrateError::Output(format!(
            "calibrated.toml is not written: {}",
            cal.headline()
        )));
    }
    let err = |m: String| CalibrateError::Output(format!("calibrated.toml: {m}"));
    let mut full = merged.clone();
    for p in &cal.parameters {
        let path: Vec<String> = p.path.split('.').map(String::from).collect();
        let value = if p.param.range().integer {
            Value::Integer(p.fitted as i64)
        } else {
            Value::Float(p.fitted)
        };
        apply_set(&mut full, &path, value).map_err(err)?;
    }
    let scenario = full
        .get_mut("scenario")
        .and_then(Value::as_table_mut)
        .ok_or_else(|| err("the config has no [scenario] table".into()))?;
    scenario.insert("name".into(), Value::String(calibrated_name(&s.name)));
    let title: String = s.title.chars().take(185).collect();
    scenario.insert(
        "title".into(),
        Value::String(format!("{title} (calibrated)")),
    );

    let label = cal.label();
    let unc = full
        .entry("uncertainty")
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .ok_or_else(|| err("`uncertainty` is not a table".into()))?;
    for p in &cal.parameters {
        // Replace an entry for the same parameter, however its path was written.
        let key = unc
            .keys()
            .find(|k| Param::parse(s, k).ok() == Some(p.param))
            .cloned()
            .unwrap_or_else(|| p.path.clone());
        let existing = unc.get(&key).and_then(Value::as_table).cloned();
        let entry = match p.se {
            Some(se) if se > 0.0 && se.is_finite() => {
                let mut e = distribution(p.param, p.fitted, se, p.lo, p.hi, existing.as_ref());
                e.insert(
                    "note".into(),
                    Value::String(format!(
                        "{label}: {} (forcecast calibrate)",
                        value_pm(p.fitted, Some(se))
                    )),
                );
                e
            }
            // No standard error (ended at a bound): not drawn, and an inherited
            // spread around the old value would be wrong.
            _ if existing.is_some() => {
                let mut e = Table::new();
                e.insert("dist".into(), Value::String("none".into()));
                e.insert(
                    "note".into(),
                    Value::String(format!("{label}: at its bound, no standard error")),
                );
                e
            }
            _ => continue,
        };
        unc.insert(key, Value::Table(entry));
    }
    if unc.is_empty() {
        full.remove("uncertainty");
    }

    let (table, how) = match parent.and_then(|p| diff(p.table, &full).map(|d| (p.extends, d))) {
        Some((extends, mut child)) => {
            // The new entries in full, not only where they differ from the parent's,
            // so a reader sees each distribution whole (merging gives the same).
            if let (Some(Value::Table(all)), Some(Value::Table(shown))) =
                (full.get("uncertainty"), child.get_mut("uncertainty"))
            {
                for (k, v) in shown.iter_mut() {
                    if let Some(whole) = all.get(k.as_str()) {
                        *v = whole.clone();
                    }
                }
            }
            let mut t = Table::new();
            t.insert("extends".into(), Value::String(extends.into()));
            t.extend(child);
            (
                t,
                "Everything not set here comes from the config it extends.",
            )
        }
        None => (
            full,
            "The file is self-contained: the whole config, with the fitted values set.",
        ),
    };
    let body = toml::to_string(&table).map_err(|e| err(e.to_string()))?;
    Ok(format!("{}{body}", header(cal, how)))
}

fn header(cal: &Calibration, how: &str) -> String {
    let fitted = cal.points.iter().filter(|p| p.in_fit).count();
    let mut h = format!(
        "# Written by `forcecast calibrate`: {fitted} observation{} from {} to {} fitted\n# by weighted least squares (docs/calibration.md). {how}\n# Values tagged [F] are fitted ({}); their standard errors are in [uncertainty].\n",
        if fitted == 1 { "" } else { "s" },
        cal.fit_from,
        cal.fit_to,
        cal.label()
    );
    for p in &cal.parameters {
        let bound = if p.at_bound { ", at its bound" } else { "" };
        h.push_str(&format!(
            "#   {} = {} [F] (configured {}{bound})\n",
            p.path,
            value_pm(p.fitted, p.se),
            value_pm(p.configured, None)
        ));
    }
    h.push_str(&format!(
        "# chi-square {:.3} on {} degrees of freedom; RMSE {:.1} people",
        cal.chi2, cal.dof, cal.rmse_fit
    ));
    if let Some(r) = cal.rmse_holdout {
        h.push_str(&format!("; hold-out RMSE {r:.1} people"));
    }
    h.push_str(".\n\n");
    h
}

/// The `extends` value that reaches `config` from a file written in `dir`,
/// relative when it can be worked out from the paths alone: both absolute
/// (`std::fs::canonicalize` makes them so), or both relative to the same
/// folder without `..` in `dir`. Otherwise `config` as given, which is right
/// only when it is absolute.
pub fn extends_path(dir: &Path, config: &Path) -> String {
    use std::path::Component;
    let comparable = dir.is_absolute() == config.is_absolute()
        && !dir.components().any(|c| c == Component::ParentDir);
    if !comparable {
        return config.display().to_string();
    }
    let d: Vec<_> = dir.components().collect();
    let c: Vec<_> = config.components().collect();
    let common = d.iter().zip(&c).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..d.len() {
        rel.push("..");
    }
    for part in &c[common..] {
        rel.push(part);
    }
    // TOML strings and configs are shared across systems: forward slashes.
    rel.display().to_string().replace('\\', "/")
}

/// `NAME_calibrated`, kept within the 64 characters a name may have.
fn calibrated_name(name: &str) -> String {
    const SUFFIX: &str = "_calibrated";
    let keep = (64 - SUFFIX.len()).min(name.len());
    format!("{}{SUFFIX}", &name[..keep])
}

/// The spread of a fitted value with standard error `se`, as a distribution
/// that suits its range: beta for probabilities, lognormal for positive
/// quantities, normal clamped to the fit's bounds otherwise (and whenever an
/// inherited entry has `min`/`max`, which a normal overrides).
fn distribution(p: Param, v: f64, se: f64, lo: f64, hi: f64, existing: Option<&Table>) -> Table {
    let r = p.range();
    let clamps = existing.is_some_and(|e| e.contains_key("min") || e.contains_key("max"));
    let mut e = Table::new();
    let dist = if clamps {
        "normal"
    } else if r.max <= 1.0 && v > 0.0 && v < 1.0 && se * se < v * (1.0 - v) {
        "beta"
    } else if r.min >= 0.0 && r.max > 1.0 && v > 0.0 {
        "lognormal"
    } else {
        "normal"
    };
    e.insert("dist".into(), Value::String(dist.into()));
    e.insert("sd".into(), Value::Float(se));
    // A normal's clamps default to the parameter's range: write them only
    // when the fit's bounds are narrower or an inherited entry has its own.
    if dist == "normal" && (clamps || lo > r.min || hi < r.clamp(r.max)) {
        e.insert("min".into(), Value::Float(lo));
        e.insert("max".into(), Value::Float(hi));
    }
    e
}

/// The table `d` with `merge_into(base, d) == target`, or `None` when there
/// is none (`target` lacks a key `base` has: merging cannot delete).
fn diff(base: &Table, target: &Table) -> Option<Table> {
    if base.keys().any(|k| !target.contains_key(k)) {
        return None;
    }
    let mut out = Table::new();
    for (k, v) in target {
        match (base.get(k), v) {
            (Some(Value::Table(b)), Value::Table(t)) => {
                let d = diff(b, t)?;
                if !d.is_empty() {
                    out.insert(k.clone(), Value::Table(d));
                }
            }
            (Some(b), v) if b == v => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::merge::merge_into;

    #[test]
    fn diff_merges_back_to_the_target() {
        let base: Table = "a = 1\nl = [1, 2]\n[t]\nx = 1\ny = 2\n[u]\nz = 3\n"
            .parse()
            .unwrap();
        let target: Table = "a = 1\nl = [1, 5]\n[t]\nx = 1\ny = 7\nw = 8\n[u]\nz = 3\n"
            .parse()
            .unwrap();
        let d = diff(&base, &target).unwrap();
        assert_eq!(d.to_string().trim(), "l = [1, 5]\n\n[t]\ny = 7\nw = 8");
        let mut merged = base.clone();
        merge_into(&mut merged, d);
        assert_eq!(merged, target);
        let dropped: Table = "a = 1\nl = [1, 2]\n[t]\nx = 1\n[u]\nz = 3\n"
            .parse()
            .unwrap();
        assert_eq!(diff(&base, &dropped), None, "merging cannot delete t.y");
    }

    #[test]
    fn extends_paths_are_relative_to_the_output_folder() {
        let p = |s: &str| Path::new(s).to_path_buf();
        assert_eq!(
            extends_path(&p("/w/out/baseline"), &p("/w/configs/baseline.toml")),
            "../../configs/baseline.toml"
        );
        assert_eq!(extends_path(&p("/w"), &p("/w/a.toml")), "a.toml");
        assert_eq!(
            extends_path(&p("out/x"), &p("configs/a.toml")),
            "../../configs/a.toml"
        );
        assert_eq!(
            extends_path(&p("/out"), &p("/configs/a.toml")),
            "../configs/a.toml"
        );
        assert_eq!(
            extends_path(&p("/out"), &p("a.toml")),
            "a.toml",
            "cannot tell: as given"
        );
    }

    #[test]
    fn names_stay_valid() {
        assert_eq!(calibrated_name("baseline"), "baseline_calibrated");
        assert_eq!(calibrated_name(&"x".repeat(64)).len(), 64);
    }
}

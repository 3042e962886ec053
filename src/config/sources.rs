//! `[sources]`: the provenance of each number of a scenario, keyed by its
//! `--set` path. The report's assumptions table lists every numeric value of
//! the merged config with its label, or "unlabelled" without one, so a
//! reviewer sees at once which numbers are published, judged or fitted.
//!
//! A label describes a value, not a path: where a child config or `--set`
//! changes a value, the label its parent gave no longer applies and is dropped
//! (the child must label its own value).

use super::raw::{Provenance, RawSource};
use crate::params::Param;
use crate::scenario::Scenario;
use indexmap::IndexMap;
use toml::{Table, Value};

/// Top-level tables whose numbers are not model parameters: the horizon and
/// seed, the published observations (each carries its own `source`), the
/// Monte Carlo spreads and the labels themselves.
const NOT_PARAMETERS: [&str; 5] = ["scenario", "observed", "uncertainty", "sources", "extends"];

/// The label of one value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Source {
    pub status: Provenance,
    pub text: String,
}

impl From<&RawSource> for Source {
    fn from(r: &RawSource) -> Source {
        Source {
            status: r.status,
            text: r.text.trim().to_string(),
        }
    }
}

/// One numeric value of a scenario, as the assumptions table shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assumption {
    /// The `--set` path.
    pub path: String,
    /// The value as written (an array as `[a, b, ...]`).
    pub value: String,
    /// The value as a number, when it is one.
    pub number: Option<f64>,
    /// Whether the config writes it (false: the tool's default is in effect).
    pub written: bool,
    pub source: Option<Source>,
    /// What a value whose path says little changes: "inflows.transfers.per_year
    /// from 2025-04" for `changes.N.value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<String>,
}

impl Assumption {
    /// The path for people to read, with what it changes where the path
    /// alone does not say: "changes.2.value (inflows.transfers.per_year from
    /// 2025-04)".
    pub fn label(&self) -> String {
        match &self.changes {
            Some(what) => format!("{} ({what})", self.path),
            None => self.path.clone(),
        }
    }

    /// `sourced`, `assumed`, `fitted`; `default` for an unwritten value
    /// nobody labelled; else `unlabelled`.
    pub fn status(&self) -> &'static str {
        match (&self.source, self.written) {
            (Some(s), _) => s.status.as_str(),
            (None, false) => "default",
            (None, true) => "unlabelled",
        }
    }
}

/// Every numeric value the merged config writes, by `--set` path, in file
/// order: numbers, and arrays of numbers as one value.
pub fn numeric_values(merged: &Table) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (k, v) in merged {
        if !NOT_PARAMETERS.contains(&k.as_str()) {
            walk(k, v, &mut out);
        }
    }
    out
}

fn walk(path: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Integer(_) | Value::Float(_) => out.push((path.to_string(), v.clone())),
        Value::Table(t) => {
            for (k, v) in t {
                walk(&format!("{path}.{k}"), v, out);
            }
        }
        Value::Array(items)
            if !items.is_empty() && items.iter().all(|i| i.is_integer() || i.is_float()) =>
        {
            out.push((path.to_string(), v.clone()))
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(&format!("{path}.{i}"), v, out);
            }
        }
        _ => {}
    }
}

/// Every path a table sets, down to its leaves (an array as a whole).
fn leaf_paths(prefix: &str, t: &Table, out: &mut Vec<String>) {
    for (k, v) in t {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Table(inner) => leaf_paths(&path, inner, out),
            _ => out.push(path),
        }
    }
}

/// Whether `key` names `path` or something inside it.
fn under(key: &str, path: &str) -> bool {
    key == path || key.starts_with(&format!("{path}."))
}

/// Drops from `merged`'s `[sources]` every label for a value `child`
/// replaces (before `child` is merged onto `merged`), unless `child` labels it
/// again. An array of tables (`[[events]]`) is replaced whole, so every label
/// inside it goes.
pub fn drop_replaced(merged: &mut Table, child: &Table) {
    let mut set = Vec::new();
    let own: Vec<String> = match child.get("sources") {
        Some(Value::Table(t)) => t.keys().cloned().collect(),
        _ => Vec::new(),
    };
    for (k, v) in child {
        if NOT_PARAMETERS.contains(&k.as_str()) {
            continue;
        }
        match v {
            Value::Table(t) => leaf_paths(k, t, &mut set),
            _ => set.push(k.clone()),
        }
    }
    forget(merged, &set, &own);
}

/// Drops the labels of the values `--set` changes.
pub fn drop_set(merged: &mut Table, set_paths: &[Vec<String>]) {
    let set: Vec<String> = set_paths
        .iter()
        .filter(|p| p.first().map(String::as_str) != Some("sources"))
        .map(|p| p.join("."))
        .collect();
    forget(merged, &set, &[]);
}

fn forget(merged: &mut Table, set: &[String], keep: &[String]) {
    if let Some(Value::Table(sources)) = merged.get_mut("sources") {
        sources
            .retain(|key, _| keep.iter().any(|k| k == key) || !set.iter().any(|p| under(key, p)));
    }
}

/// The `[sources]` keys that name no numeric value of the scenario, each
/// with the message for it.
pub fn unknown_keys(
    sources: &IndexMap<String, RawSource>,
    merged: &Table,
    s: &Scenario,
) -> Vec<(String, String)> {
    let known = known_paths(merged, s);
    sources
        .keys()
        .filter(|k| !known.contains(k))
        .map(|k| {
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            let hint = super::suggest::closest(k, names.iter().copied())
                .map(|c| format!(" (did you mean '{c}'?)"))
                .unwrap_or_default();
            (
                k.clone(),
                format!(
                    "names no numeric value of this scenario{hint}: a key is the `--set` path of a number the config writes or a parameter (docs/config.md, Numeric parameters)"
                ),
            )
        })
        .collect()
}

/// The paths a label may name: the values written and every parameter.
fn known_paths(merged: &Table, s: &Scenario) -> Vec<String> {
    let mut known: Vec<String> = numeric_values(merged).into_iter().map(|(p, _)| p).collect();
    for p in Param::all(s) {
        let path = p.path(s);
        if !known.contains(&path) {
            known.push(path);
        }
    }
    known
}

/// Every numeric value of the scenario with its label: those the config
/// writes in file order, then the parameters it leaves at their defaults.
pub fn assumptions(
    merged: &Table,
    s: &Scenario,
    sources: &IndexMap<String, Source>,
) -> Vec<Assumption> {
    let mut out: Vec<Assumption> = numeric_values(merged)
        .into_iter()
        .map(|(path, v)| Assumption {
            source: sources.get(&path).cloned(),
            value: value_text(&v),
            number: v.as_float().or_else(|| v.as_integer().map(|i| i as f64)),
            written: true,
            changes: changed_by(s, &path),
            path,
        })
        .collect();
    for p in Param::all(s) {
        let path = p.path(s);
        if out.iter().any(|a| a.path == path) {
            continue;
        }
        let x = p.get(s);
        out.push(Assumption {
            source: sources.get(&path).cloned(),
            value: crate::format::num(x),
            number: Some(x),
            written: false,
            changes: changed_by(s, &path),
            path,
        });
    }
    out
}

/// For `changes.N.value`: the parameter the change sets and from when.
fn changed_by(s: &Scenario, path: &str) -> Option<String> {
    let i: usize = path
        .strip_prefix("changes.")?
        .strip_suffix(".value")?
        .parse()
        .ok()?;
    let c = s.changes.get(i)?;
    Some(format!("{} from {}", c.param.path(s), c.from))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => crate::format::num(*f),
        Value::Array(items) => {
            // Runs of three or more equal values as "v ×n", so a 24-month
            // tenure profile reads at a glance.
            let texts: Vec<String> = items.iter().map(value_text).collect();
            let mut parts = Vec::new();
            let mut i = 0;
            while i < texts.len() {
                let run = texts[i..].iter().take_while(|t| **t == texts[i]).count();
                if run >= 3 {
                    parts.push(format!("{} ×{run}", texts[i]));
                } else {
                    parts.extend(texts[i..i + run].iter().cloned());
                }
                i += run;
            }
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().unwrap()
    }

    #[test]
    fn a_child_value_drops_the_parent_label_unless_it_labels_it() {
        let mut parent = table(
            r#"
            [levels.a]
            attrition = 0.1
            initial = 5
            [[events]]
            change = 3
            [sources]
            "levels.a.attrition" = { status = "assumed", text = "x" }
            "levels.a.initial" = { status = "sourced", text = "y" }
            "events.0.change" = { status = "fitted", text = "z" }
            "#,
        );
        let child = table(
            r#"
            [levels.a]
            attrition = 0.2
            [[events]]
            change = 9
            "#,
        );
        drop_replaced(&mut parent, &child);
        let keys: Vec<&String> = parent["sources"].as_table().unwrap().keys().collect();
        assert_eq!(keys, ["levels.a.initial"]);

        let relabelled = table(
            r#"
            [levels.a]
            initial = 6
            [sources]
            "levels.a.initial" = { status = "assumed", text = "w" }
            "#,
        );
        drop_replaced(&mut parent, &relabelled);
        assert!(parent["sources"].get("levels.a.initial").is_some());
    }

    #[test]
    fn arrays_show_runs_compactly() {
        let v: Value = "x = [2, 2, 2, 1, 1, 0]".parse::<Table>().unwrap()["x"].clone();
        assert_eq!(value_text(&v), "[2 ×3, 1, 1, 0]");
    }

    #[test]
    fn set_drops_labels() {
        let mut t = table(
            r#"
            [sources]
            "levels.a.attrition" = { status = "assumed", text = "x" }
            "levels.a.initial" = { status = "sourced", text = "y" }
            "#,
        );
        drop_set(
            &mut t,
            &[vec!["levels".into(), "a".into(), "attrition".into()]],
        );
        let keys: Vec<&String> = t["sources"].as_table().unwrap().keys().collect();
        assert_eq!(keys, ["levels.a.initial"]);
    }

    #[test]
    fn numbers_and_number_arrays_are_values_strings_are_not() {
        let t = table(
            r#"
            [scenario]
            seed = 4
            [inflows.r]
            per_year = 60
            monthly_pattern = [1, 2]
            course = "c"
            [[events]]
            change = 3
            note = "n"
            "#,
        );
        let paths: Vec<String> = numeric_values(&t).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "inflows.r.per_year",
                "inflows.r.monthly_pattern",
                "events.0.change"
            ]
        );
    }
}

//! Loading a scenario: read the file and its `extends` parents, merge, apply
//! `--set`, deserialize, validate. Every failure is a [`ConfigErrors`] that
//! names the file, line and field.

pub mod error;
pub mod locate;
pub mod merge;
pub mod observed;
pub mod raw;
pub mod sources;
pub mod suggest;
pub mod validate;
pub mod wording;

pub use error::{ConfigError, ConfigErrors, Origin};
use locate::SourceFile;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The embedded default scenario (the Japan MoD cyber plan).
pub const BASELINE_TOML: &str = include_str!("../../configs/baseline.toml");
/// How the embedded baseline is named in messages and reports.
pub const BASELINE_LABEL: &str = "configs/baseline.toml (embedded)";

/// A loaded, checked scenario and what it was made from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: crate::scenario::Scenario,
    /// The merged config after `--set`, as TOML.
    pub merged: toml::Table,
    /// SHA-256 of the merged config, hex.
    pub hash: String,
    /// The file it came from, for messages.
    pub label: String,
    /// `[sources]`: the provenance of each value, by `--set` path.
    pub sources: indexmap::IndexMap<String, sources::Source>,
}

impl Loaded {
    /// First 12 hex digits of the config hash, as stamped on charts.
    pub fn short_hash(&self) -> &str {
        &self.hash[..12]
    }
}

/// Loads `path` (or the embedded baseline when `None`) with `--set` overrides.
pub fn load(path: Option<&Path>, sets: &[String]) -> Result<Loaded, ConfigErrors> {
    let (merged, files, label) = match path {
        Some(path) => {
            let text = merge::read_text(path)?;
            let (merged, files) = merge::load_chain(path, text)?;
            (merged, files, path.display().to_string())
        }
        None => {
            let label = PathBuf::from(BASELINE_LABEL);
            let mut merged = merge::parse_table(&label, BASELINE_TOML)?;
            merged.remove("extends");
            (
                merged,
                vec![SourceFile {
                    path: label,
                    text: BASELINE_TOML.to_string(),
                }],
                BASELINE_LABEL.to_string(),
            )
        }
    };
    load_table(merged, &files, sets, label)
}

/// Loads a config from TOML text with no file behind it (tests, fuzzing).
pub fn load_str(label: &str, text: &str, sets: &[String]) -> Result<Loaded, ConfigErrors> {
    let path = PathBuf::from(label);
    let mut merged = merge::parse_table(&path, text)?;
    if merged.contains_key("extends") {
        return Err(ConfigErrors::one(
            Origin::File { path, line: None },
            "extends",
            "is only supported for config files",
        ));
    }
    merged.remove("extends");
    load_table(
        merged,
        &[SourceFile {
            path,
            text: text.to_string(),
        }],
        sets,
        label.to_string(),
    )
}

fn load_table(
    mut merged: toml::Table,
    files: &[SourceFile],
    sets: &[String],
    label: String,
) -> Result<Loaded, ConfigErrors> {
    let mut set_paths = Vec::new();
    for arg in sets {
        let (path, value) = merge::parse_set(arg)
            .map_err(|m| ConfigErrors::one(Origin::Set(arg.clone()), "", m))?;
        merge::apply_set(&mut merged, &path, value)
            .map_err(|m| ConfigErrors::one(Origin::Set(arg.clone()), "", m))?;
        set_paths.push((path, arg.clone()));
    }
    sources::drop_set(
        &mut merged,
        &set_paths.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
    );
    let locate = |path: &[String], message: String| ConfigError {
        origin: locate::locate(files, &set_paths, path),
        field: error::display_path(path),
        message,
    };
    let raw: raw::RawConfig = serde_path_to_error::deserialize(toml::Value::Table(merged.clone()))
        .map_err(|e| {
            let mut path = serde_path(e.path());
            // The bare message: the error's Display adds a second line "in `a.b`"
            // repeating the path this message already starts with.
            let message = e.inner().message().trim().to_string();
            // An unknown key's own name is only in the message; put it in the path
            // (once) so the error points at its line.
            if let Some(rest) = message.strip_prefix("unknown field `") {
                if let Some(name) = rest.split('`').next() {
                    if path.last().map(String::as_str) != Some(name) {
                        path.push(name.to_string());
                    }
                }
            }
            ConfigErrors(vec![locate(&path, wording::plain(&message))])
        })?;
    let scenario = validate::validate(&raw).map_err(|errs| {
        ConfigErrors(
            errs.into_iter()
                .map(|e| locate(&e.path, e.message))
                .collect(),
        )
    })?;
    let unknown = sources::unknown_keys(&raw.sources, &merged, &scenario);
    if !unknown.is_empty() {
        return Err(ConfigErrors(
            unknown
                .into_iter()
                .map(|(key, message)| locate(&["sources".to_string(), key], message))
                .collect(),
        ));
    }
    let sources = raw
        .sources
        .iter()
        .map(|(k, v)| (k.clone(), sources::Source::from(v)))
        .collect();
    let canonical = toml::to_string(&merged).unwrap_or_default();
    let hash = Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Loaded {
        scenario,
        merged,
        hash,
        label,
        sources,
    })
}

fn serde_path(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect()
}

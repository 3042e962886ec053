//! Finds the file and line that define a field, walking the `extends` chain
//! from the child (which wins) to the root.

use super::error::Origin;
use std::path::PathBuf;
use toml::de::{DeTable, DeValue};

/// One config file's text, kept to locate errors after merging.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The byte offset of the deepest key on `path` that this file defines, and
/// how many segments matched.
fn deepest(text: &str, path: &[String]) -> Option<(usize, usize)> {
    let doc = DeTable::parse(text).ok()?;
    let mut table: &DeTable = doc.get_ref();
    let mut best = None;
    let mut array: Option<&toml::de::DeArray> = None;
    for (depth, seg) in path.iter().enumerate() {
        // A segment this file lacks (a required field left out) ends the walk at
        // the deepest key it has, so the error still gets a line.
        let value = if let Some(arr) = array.take() {
            let Some(v) = seg.parse().ok().and_then(|i: usize| arr.get(i)) else {
                break;
            };
            best = Some((v.span().start, depth + 1));
            v
        } else {
            let Some((k, v)) = table
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == seg.as_str())
            else {
                break;
            };
            best = Some((k.span().start, depth + 1));
            v
        };
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            DeValue::Array(a) => array = Some(a),
            _ => break,
        }
    }
    best
}

/// Where `path` was set: the `--set` flag that set it (or a parent of it), else the
/// first file in `files` (child first) that defines it, at its deepest defined key,
/// else the `--set` flag that created it on the way to a deeper key.
pub fn locate(files: &[SourceFile], sets: &[(Vec<String>, String)], path: &[String]) -> Origin {
    if let Some((_, flag)) = sets.iter().rev().find(|(p, _)| path.starts_with(p)) {
        return Origin::Set(flag.clone());
    }
    let mut found: Option<(usize, &SourceFile, usize)> = None;
    for f in files {
        if let Some((offset, depth)) = deepest(&f.text, path) {
            if found.as_ref().is_none_or(|(d, _, _)| depth > *d) {
                found = Some((depth, f, offset));
            }
            if depth == path.len() {
                break;
            }
        }
    }
    // A key no file defines but a `--set` created on the way to its own path
    // (`--set level.basic.attrition=...` makes an unknown table `level`).
    let in_files = found.as_ref().is_some_and(|(d, _, _)| *d == path.len());
    if !in_files && !path.is_empty() {
        if let Some((_, flag)) = sets.iter().rev().find(|(p, _)| p.starts_with(path)) {
            return Origin::Set(flag.clone());
        }
    }
    match found {
        Some((_, f, offset)) => Origin::File {
            path: f.path.clone(),
            line: Some(line_of(&f.text, offset)),
        },
        None => Origin::File {
            path: files.first().map(|f| f.path.clone()).unwrap_or_default(),
            line: None,
        },
    }
}

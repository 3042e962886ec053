//! `extends` inheritance and `--set` overrides, both on plain TOML tables
//! before any typing, so they compose with every field the schema has.

use super::error::{ConfigErrors, Origin};
use super::locate::{line_of, SourceFile};
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// Largest config file accepted.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Deepest `extends` chain accepted.
const MAX_EXTENDS_DEPTH: usize = 16;

/// Reads one config file as UTF-8 text within the size limit.
pub fn read_text(path: &Path) -> Result<String, ConfigErrors> {
    let err = |m: String| {
        ConfigErrors::one(
            Origin::File {
                path: path.to_path_buf(),
                line: None,
            },
            "",
            m,
        )
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read config: {e}")))?;
    if meta.is_dir() {
        return Err(err("is a directory, not a config file".into()));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(err(format!(
            "config is {} bytes; the limit is {MAX_CONFIG_BYTES} (1 MiB)",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read config: {e}")))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(err(format!(
            "config is over the {MAX_CONFIG_BYTES}-byte (1 MiB) limit"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "not UTF-8 text (invalid byte at offset {}): is this a TOML config?",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Parses TOML text, reporting syntax errors with their line.
pub fn parse_table(path: &Path, text: &str) -> Result<Table, ConfigErrors> {
    text.parse::<Table>().map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        let msg = e.message().trim().to_string();
        ConfigErrors::one(
            Origin::File {
                path: path.to_path_buf(),
                line,
            },
            "",
            format!("TOML syntax error: {msg}"),
        )
    })
}

/// Deep-merges `child` onto `base`: tables merge key by key, everything else replaces.
pub fn merge_into(base: &mut Table, child: Table) {
    for (k, v) in child {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(c)) => merge_into(b, c),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Loads a file and its `extends` ancestors. Returns the merged table and the
/// files, child first.
pub fn load_chain(path: &Path, text: String) -> Result<(Table, Vec<SourceFile>), ConfigErrors> {
    let mut files = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut tables = Vec::new();
    let mut cur_path = path.to_path_buf();
    let mut cur_text = text;
    loop {
        let mut table = parse_table(&cur_path, &cur_text)?;
        let canon = std::fs::canonicalize(&cur_path).unwrap_or_else(|_| cur_path.clone());
        seen.push(canon);
        let parent = table.remove("extends");
        files.push(SourceFile {
            path: cur_path.clone(),
            text: cur_text,
        });
        tables.push(table);
        let Some(parent) = parent else { break };
        let here = Origin::File {
            path: cur_path.clone(),
            line: extends_line(&files),
        };
        let Value::String(rel) = parent else {
            return Err(ConfigErrors::one(
                here,
                "extends",
                "must be a string: the path of the parent config",
            ));
        };
        let dir = cur_path.parent().unwrap_or(Path::new("."));
        let next = dir.join(&rel);
        let canon = std::fs::canonicalize(&next).unwrap_or_else(|_| next.clone());
        if seen.contains(&canon) {
            return Err(ConfigErrors::one(
                here,
                "extends",
                format!("'{rel}' makes an extends cycle"),
            ));
        }
        if seen.len() >= MAX_EXTENDS_DEPTH {
            return Err(ConfigErrors::one(
                here,
                "extends",
                format!("chain is deeper than {MAX_EXTENDS_DEPTH} files"),
            ));
        }
        if !next.is_file() && !next.is_dir() {
            return Err(ConfigErrors::one(
                here,
                "extends",
                format!("parent config '{}' does not exist", next.display()),
            ));
        }
        cur_text = read_text(&next)?;
        cur_path = next;
    }
    let own_name = what_if_name(&tables, &files)?;
    let mut merged = Table::new();
    for t in tables.into_iter().rev() {
        super::sources::drop_replaced(&mut merged, &t);
        merge_into(&mut merged, t);
    }
    if let (Some(name), Some(Value::Table(sc))) = (own_name, merged.get_mut("scenario")) {
        sc.insert("name".into(), Value::String(name));
    }
    Ok((merged, files))
}

/// Whether a file's own table sets `[scenario] name` (to anything: a wrong
/// type is reported by the schema check).
fn names_itself(table: &Table) -> bool {
    table.get("scenario").and_then(|s| s.get("name")).is_some()
}

/// The output-folder name a file gives itself: its `[scenario] name`, else
/// (for a file that extends another) its file name; the chain's root has no
/// fallback, as nothing it could inherit from.
fn effective_name(tables: &[Table], files: &[SourceFile], i: usize) -> Option<String> {
    match tables[i].get("scenario").and_then(|s| s.get("name")) {
        Some(v) => v.as_str().map(str::to_string),
        None if i + 1 < tables.len() => Some(name_from_file(&files[i].path)),
        None => None,
    }
}

/// The name a what-if without `[scenario] name` gets. Merging alone would give
/// it its parent's name, and so its parent's output folder: its charts would
/// overwrite the parent's and sit among the parent's older ones. `None` when
/// no name is needed (the file names itself or extends nothing).
fn what_if_name(tables: &[Table], files: &[SourceFile]) -> Result<Option<String>, ConfigErrors> {
    if tables.len() < 2 || names_itself(&tables[0]) {
        return Ok(None);
    }
    let child = &files[0];
    let here = Origin::File {
        path: child.path.clone(),
        line: key_line(child, "extends"),
    };
    let name = name_from_file(&child.path);
    if name.is_empty() {
        return Err(ConfigErrors::one(
            here,
            "scenario.name",
            "this file extends another but sets no `[scenario] name`, and its file name has no letters or digits to make one from: set `name` (it names the output folder)",
        ));
    }
    if let Some(i) =
        (1..tables.len()).find(|&i| effective_name(tables, files, i).as_deref() == Some(&name))
    {
        return Err(ConfigErrors::one(
            here,
            "scenario.name",
            format!("this file extends another but sets no `[scenario] name`; named '{name}' after its file, it would write into the output folder of '{}': set a `name` of its own", files[i].path.display()),
        ));
    }
    Ok(Some(name))
}

/// A scenario name from a config's file name: lower case, every run of
/// characters outside `a-z0-9_-` as one `-`, at most 64 characters
/// (`More Seats.toml` gives `more-seats`).
pub fn name_from_file(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mut name = String::new();
    for ch in stem.chars() {
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_' || ch == '-' {
            name.push(ch);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name: String = name.trim_matches('-').chars().take(64).collect();
    name.trim_end_matches('-').to_string()
}

fn extends_line(files: &[SourceFile]) -> Option<usize> {
    key_line(files.last()?, "extends")
}

/// The line of the first line of `f` that starts with `key`.
fn key_line(f: &SourceFile, key: &str) -> Option<usize> {
    let offset = f.text.lines().scan(0, |pos, l| {
        let start = *pos;
        *pos += l.len() + 1;
        Some((start, l))
    });
    offset
        .filter(|(_, l)| l.trim_start().starts_with(key))
        .map(|(s, _)| line_of(&f.text, s))
        .next()
}

/// Tables whose keys are names the user chose: `--set` must not invent entries in them.
const NAMED_MAPS: [&str; 4] = ["levels", "courses", "inflows", "uncertainty"];

/// Parses `PATH=VALUE`: VALUE as a TOML value, else as a plain string.
pub fn parse_set(arg: &str) -> Result<(Vec<String>, Value), String> {
    let (path, value) = arg
        .split_once('=')
        .ok_or("expected PATH=VALUE, e.g. levels.advanced.attrition=0.15")?;
    let path: Vec<String> = path
        .trim()
        .split('.')
        .map(|s| s.trim().to_string())
        .collect();
    if path.iter().any(|s| s.is_empty()) {
        return Err(
            "PATH has an empty segment; write it as dotted keys, e.g. inflows.recruits.per_year"
                .into(),
        );
    }
    let value = value.trim();
    let parsed = format!("v = {value}")
        .parse::<Table>()
        .ok()
        .and_then(|mut t| t.remove("v"));
    Ok((
        path,
        parsed.unwrap_or_else(|| Value::String(value.to_string())),
    ))
}

/// Applies one `--set` to the merged table.
pub fn apply_set(root: &mut Table, path: &[String], value: Value) -> Result<(), String> {
    let mut table = root;
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        if last {
            table.insert(seg.clone(), value);
            return Ok(());
        }
        let here = path[..i].join(".");
        if !table.contains_key(seg) {
            if i == 1 && NAMED_MAPS.contains(&path[0].as_str()) {
                let known: Vec<&str> = table.keys().map(|s| s.as_str()).collect();
                return Err(format!(
                    "no entry '{seg}'{} in [{here}]; valid: {}",
                    super::suggest::did_you_mean(seg, known.iter().copied()),
                    list_or_none(&known)
                ));
            }
            table.insert(seg.clone(), Value::Table(Table::new()));
        }
        let entry = table.get_mut(seg).expect("inserted above");
        table = match entry {
            Value::Table(t) => t,
            Value::Array(a) => {
                let rest = &path[i + 1..];
                let idx: usize = rest[0].parse().map_err(|_| {
                    format!(
                        "'{}' is a list: index it with a number, e.g. {}.0",
                        path[..=i].join("."),
                        path[..=i].join(".")
                    )
                })?;
                let len = a.len();
                let item = a.get_mut(idx).ok_or(format!(
                    "'{}' has {len} entries; index {idx} is out of range",
                    path[..=i].join(".")
                ))?;
                if rest.len() == 1 {
                    *item = value;
                    return Ok(());
                }
                match item {
                    Value::Table(t) => return apply_set(t, &rest[1..], value),
                    _ => return Err(format!("'{}.{idx}' is not a table", path[..=i].join("."))),
                }
            }
            _ => {
                return Err(format!(
                    "'{}' is a single value; it has no keys",
                    path[..=i].join(".")
                ))
            }
        };
    }
    Ok(())
}

fn list_or_none(keys: &[&str]) -> String {
    if keys.is_empty() {
        "(none defined)".into()
    } else {
        keys.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_merge_and_arrays_replace() {
        let mut base: Table = "a = 1\nlist = [1, 2]\n[t]\nx = 1\ny = 2\n".parse().unwrap();
        let child: Table = "list = [3]\n[t]\ny = 5\nz = 6\n".parse().unwrap();
        merge_into(&mut base, child);
        let want: Table = "a = 1\nlist = [3]\n[t]\nx = 1\ny = 5\nz = 6\n"
            .parse()
            .unwrap();
        assert_eq!(base, want);
    }

    #[test]
    fn file_names_become_scenario_names() {
        for (file, name) in [
            ("configs/more-seats.toml", "more-seats"),
            ("More Seats.toml", "more-seats"),
            ("what_if.v2.toml", "what_if-v2"),
            ("  x  .toml", "x"),
            ("été.toml", "t"),
            ("---.toml", ""),
        ] {
            assert_eq!(name_from_file(Path::new(file)), name, "{file}");
        }
        let long = format!("{}.toml", "a-".repeat(40));
        let name = name_from_file(Path::new(&long));
        assert!(name.len() <= 64 && !name.ends_with('-'), "{name}");
    }

    #[test]
    fn set_values_parse_as_toml_else_string() {
        assert_eq!(
            parse_set("a.b=0.5").unwrap(),
            (vec!["a".into(), "b".into()], Value::Float(0.5))
        );
        assert_eq!(
            parse_set("a=[1,2]").unwrap().1,
            Value::Array(vec![Value::Integer(1), Value::Integer(2)])
        );
        assert_eq!(
            parse_set("scenario.name=what-if").unwrap().1,
            Value::String("what-if".into())
        );
        assert!(parse_set("novalue").is_err());
        assert!(parse_set("a..b=1").is_err());
    }

    #[test]
    fn set_refuses_unknown_named_entries() {
        let mut t: Table = "[levels.basic]\ninitial = 1\n".parse().unwrap();
        let err = apply_set(
            &mut t,
            &["levels".into(), "basci".into(), "initial".into()],
            Value::Integer(2),
        )
        .unwrap_err();
        assert!(err.contains("valid: basic"), "{err}");
        assert!(err.contains("did you mean 'basic'?"), "{err}");
        apply_set(
            &mut t,
            &["levels".into(), "basic".into(), "initial".into()],
            Value::Integer(2),
        )
        .unwrap();
        assert_eq!(t["levels"]["basic"]["initial"], Value::Integer(2));
    }
}

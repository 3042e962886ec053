//! Hostile edits of every shipped config: whatever a tired planner types,
//! loading and projecting either works or gives a config error — never a panic.

use forcecast::commands::run::projection_data;
use forcecast::config;
use forcecast::engine::project;
use forcecast::summary::Summary;
use rand::{seq::IndexedRandom, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use toml::{Table, Value};

/// Every path to a value in the table (keys and array indices).
fn paths(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Table(t) => {
            for (k, v) in t {
                prefix.push(k.clone());
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                prefix.push(i.to_string());
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match cur {
            Value::Table(t) => t.get_mut(seg)?,
            Value::Array(a) => a.get_mut(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

const HOSTILE: &[fn(&mut ChaCha8Rng) -> Value] = &[
    |_| Value::String(String::new()),
    |_| Value::String("x".into()),
    |_| Value::String("2024-13".into()),
    |_| Value::String("基本レベル".into()),
    |_| Value::String("naïve name".into()),
    |_| Value::Integer(-1),
    |_| Value::Integer(0),
    |_| Value::Integer(i64::MAX),
    |_| Value::Integer(i64::MIN),
    |_| Value::Float(f64::NAN),
    |_| Value::Float(f64::INFINITY),
    |_| Value::Float(f64::NEG_INFINITY),
    |_| Value::Float(1e300),
    |_| Value::Float(-0.5),
    |_| Value::Float(2.5),
    |_| Value::Boolean(true),
    |_| Value::Array(vec![]),
    |_| Value::Array(vec![Value::Integer(13), Value::String("a".into())]),
    |_| Value::Table(Table::new()),
    |r| Value::Float(r.random_range(-2.0..2.0)),
    |r| Value::Integer(r.random_range(-100..5000)),
];

/// Applies one random edit: delete a key, replace a value, or rename a table key.
fn mutate(table: &mut Table, rng: &mut ChaCha8Rng) {
    let mut root = Value::Table(std::mem::take(table));
    let mut all = Vec::new();
    paths(&root, &mut Vec::new(), &mut all);
    if let Some(path) = all.choose(rng).cloned() {
        let (parent, last) = path.split_at(path.len() - 1);
        let edit = rng.random_range(0..10);
        if let Some(parent) = get_mut(&mut root, parent) {
            match (parent, edit) {
                (Value::Table(t), 0..=1) => {
                    t.remove(&last[0]);
                }
                (Value::Table(t), 2) => {
                    if let Some(v) = t.remove(&last[0]) {
                        let name = ["", "total", "a b", "ü", "x".repeat(100).as_str(), "basic"]
                            .choose(rng)
                            .unwrap()
                            .to_string();
                        t.insert(name, v);
                    }
                }
                (Value::Array(a), 0..=1) => {
                    let i: usize = last[0].parse().unwrap();
                    a.remove(i);
                }
                (parent, _) => {
                    if let Some(v) = get_mut(parent, last) {
                        *v = HOSTILE.choose(rng).unwrap()(rng);
                    }
                }
            }
        }
    }
    if let Value::Table(t) = root {
        *table = t;
    }
}

/// Loads, projects and renders the tables; returns whether the config was accepted.
fn exercise(text: &str) -> bool {
    match config::load_str("mutant.toml", text, &[]) {
        Ok(loaded) => {
            let p = project(&loaded.scenario);
            let summary = Summary::new(&loaded, &p);
            for f in projection_data(&loaded, &p, &summary).unwrap() {
                f.render().unwrap();
            }
            true
        }
        Err(e) => {
            assert!(!e.0.is_empty());
            for err in &e.0 {
                assert!(!err.message.is_empty());
            }
            false
        }
    }
}

fn shipped() -> Vec<(std::path::PathBuf, Table)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("configs").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let (merged, _) = config::merge::load_chain(&path, text).unwrap();
            out.push((path, merged));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn hundreds_of_random_edits_never_panic() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut accepted, mut rejected) = (0, 0);
    for (path, merged) in shipped() {
        for _ in 0..120 {
            let mut t = merged.clone();
            for _ in 0..rng.random_range(1..4) {
                mutate(&mut t, &mut rng);
            }
            let text = toml::to_string(&t).unwrap();
            let ok = std::panic::catch_unwind(|| exercise(&text))
                .unwrap_or_else(|_| panic!("panic on a mutant of {}:\n{text}", path.display()));
            if ok {
                accepted += 1
            } else {
                rejected += 1
            }
        }
    }
    // Both outcomes must occur, or the edits are not testing anything.
    let total = accepted + rejected;
    assert!(
        accepted * 25 > total && rejected * 2 > total,
        "accepted {accepted}, rejected {rejected}"
    );
}

#[test]
fn text_level_damage_never_panics() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for (path, _) in shipped() {
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("extends = \"baseline.toml\"", "");
        for _ in 0..100 {
            let mut bytes = text.clone().into_bytes();
            match rng.random_range(0..4) {
                0 => bytes.truncate(rng.random_range(0..bytes.len())),
                1 => {
                    let i = rng.random_range(0..bytes.len());
                    bytes.insert(i, *b"=[]{}\"'\n#.,".choose(&mut rng).unwrap());
                }
                2 => {
                    let i = rng.random_range(0..bytes.len());
                    bytes.remove(i);
                }
                _ => {
                    let lines: Vec<&str> = text.lines().collect();
                    let drop = rng.random_range(0..lines.len());
                    bytes = lines
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != drop)
                        .map(|(_, l)| *l)
                        .collect::<Vec<_>>()
                        .join("\n")
                        .into_bytes();
                }
            }
            if let Ok(s) = String::from_utf8(bytes) {
                std::panic::catch_unwind(|| exercise(&s))
                    .unwrap_or_else(|_| panic!("panic on damaged {}:\n{s}", path.display()));
            }
        }
    }
}

/// The binary itself, on a sample of mutants: exit 0 or 2, never a panic or a signal.
#[test]
fn the_binary_exits_0_or_2_on_mutants() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let tmp = tempfile::tempdir().unwrap();
    let shipped = shipped();
    let out_dir = tmp.path().join("out");
    let out_dir = out_dir.to_str().unwrap();
    for i in 0..24 {
        let (_, merged) = &shipped[i % shipped.len()];
        let mut t = merged.clone();
        mutate(&mut t, &mut rng);
        let file = tmp.path().join(format!("m{i}.toml"));
        std::fs::write(&file, toml::to_string(&t).unwrap()).unwrap();
        for cmd in ["check", "run"] {
            let out = assert_cmd::Command::cargo_bin("forcecast")
                .unwrap()
                .arg(cmd)
                .arg(&file)
                .args(if cmd == "run" {
                    vec!["--out", out_dir]
                } else {
                    vec![]
                })
                .output()
                .unwrap();
            let code = out.status.code();
            assert!(
                matches!(code, Some(0) | Some(2)),
                "{cmd} {}: exit {code:?}\n{}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        }
    }
}

//! Replays the fuzz corpus (seeds and anything the fuzzer found) as a normal
//! test, and keeps the seeds in step with the shipped configs.

use std::fs;

#[test]
fn fuzz_corpus_replays_without_panic() {
    let mut n = 0;
    for dir in ["fuzz/corpus/config", "fuzz/artifacts/config"] {
        let Ok(entries) = fs::read_dir(dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = fs::read(&path).unwrap();
            if std::panic::catch_unwind(|| forcecast::fuzz::one(&data)).is_err() {
                panic!("panic on {}", path.display());
            }
            n += 1;
        }
    }
    assert!(n >= 4, "the seed corpus is missing");
}

/// Every shipped config that stands alone (the what-ifs `extends` it, which
/// a single fuzz input cannot) is a seed, byte for byte: a seed that drifts
/// from the configs stops steering the fuzzer to what users run.
#[test]
fn the_seed_corpus_holds_the_shipped_configs() {
    let mut standalone = 0;
    for entry in fs::read_dir("configs").unwrap() {
        let path = entry.unwrap().path();
        // Only the scenarios themselves: configs/costs/ holds cost overlays.
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        if text.lines().any(|l| l.trim_start().starts_with("extends")) {
            continue;
        }
        let seed = std::path::Path::new("fuzz/corpus/config").join(path.file_name().unwrap());
        assert_eq!(
            fs::read_to_string(&seed).ok().as_deref(),
            Some(text.as_str()),
            "{} is not a current seed: cp {} {}",
            path.display(),
            path.display(),
            seed.display()
        );
        standalone += 1;
    }
    assert!(standalone >= 1);
}

/// The seed with `#set` lines reaches the Monte Carlo, Markov and goal steps:
/// it loads with its overrides and is small enough for them.
#[test]
fn the_overrides_seed_loads_with_its_overrides() {
    let text = fs::read_to_string("fuzz/corpus/config/small_mc.toml").unwrap();
    let sets: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("#set "))
        .map(String::from)
        .collect();
    assert_eq!(sets.len(), 3);
    let loaded = forcecast::config::load_str("small_mc.toml", &text, &sets).unwrap();
    assert_eq!(loaded.scenario.inflows[0].per_year, 55.0);
    assert!(!loaded.scenario.uncertainty.is_empty());
}

//! One fuzz input through everything a config reaches, for the cargo-fuzz
//! target in `fuzz/` and for `tests/fuzz_corpus.rs`, which replays the corpus
//! in every `cargo test`. Never panics on any input.
//!
//! The input is a config's text. Lines `#set PATH=VALUE` (comments to TOML)
//! are also given as `--set` overrides, so the fuzzer mutates overrides too.

use crate::{analysis, config, engine, goal, montecarlo, params::Param};

/// Most `--set` lines read from one input.
const MAX_SETS: usize = 8;
/// Scenarios up to this many people (initial plus a year of every inflow)
/// also get a Monte Carlo, a Markov analysis and a goal search: their cost
/// grows with headcount and horizon, and a fuzzer needs many inputs a second.
const SMALL_PEOPLE: f64 = 5_000.0;
const SMALL_MONTHS: usize = 60;

pub fn one(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sets: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("#set "))
        .take(MAX_SETS)
        .map(String::from)
        .collect();
    let Ok(loaded) = config::load_str("fuzz.toml", text, &sets) else {
        return;
    };
    let s = &loaded.scenario;
    if s.horizon() > 240 {
        return;
    }
    let projection = engine::project(s);
    let people: f64 = s.levels.iter().map(|l| l.initial).sum::<f64>()
        + s.courses.iter().map(|c| c.initial_queue).sum::<f64>()
        + s.inflows
            .iter()
            .map(|f| {
                f.per_year
                    .max(f.by_fiscal_year.values().cloned().fold(0.0, f64::max))
            })
            .sum::<f64>();
    if people > SMALL_PEOPLE || s.horizon() > SMALL_MONTHS {
        return;
    }
    let _ = montecarlo::run(s, &montecarlo::Options::new(2, s.seed), None);
    let last = projection.final_row();
    let _ = analysis::analyze(s, s.end, (last.month, &last.levels));
    // Which lever is searched is up to the input, so the fuzzer reaches them all.
    let levers = Param::all(s);
    let lever = levers.get(data.len() % levers.len().max(1));
    if let (Ok(g), Some(&param)) = (goal::pick_goal(s, None), lever) {
        let (lo, hi) = goal::default_range(param, param.get(s));
        if lo < hi {
            let q = goal::solve::Question {
                param,
                goal: g,
                lo,
                hi,
                probability: None,
            };
            let _ = goal::solve::solve(s, &q, &indicatif::ProgressBar::hidden());
        }
    }
}

//! Tests of the draw bound (`bound.rs`), in their own file: the
//! bound itself summarises nothing (`tests/montecarlo.rs` checks that its
//! source names no tally), while its tests compare it with the Monte Carlo's.

use super::*;
use crate::engine;
use crate::montecarlo::milestone_runs;

fn load(text: &str) -> Scenario {
    crate::config::load_str("bound.toml", text, &[])
        .expect("valid")
        .scenario
}

fn opts(runs: u64, params: bool) -> Options {
    Options {
        runs,
        seed: 11,
        threads: Some(2),
        process_noise: true,
        parameter_uncertainty: params,
    }
}

/// Attrition only: every count drawn is a leaver, so a run's draws sum to
/// its initial headcount minus its final one.
const LEAVERS: &str = r#"[scenario]
name = "leavers"
start = "2024-01"
end = "2025-06"

[levels.a]
initial = 500
attrition = 0.3

[levels.b]
initial = 200
attrition = 0.1

[uncertainty]
"levels.a.attrition" = { dist = "uniform", min = 0.1, max = 0.6 }
"#;

#[test]
fn replaying_the_recorded_runs_draws_what_the_monte_carlo_drew() {
    // Up to RECORDED runs, run r replays its own calls on its own process
    // stream: the very draws of Monte Carlo run r, so the sum is the
    // leavers of those runs, exactly.
    let s = load(LEAVERS);
    for (runs, params) in [(1, false), (40, false), (RECORDED, true), (7, true)] {
        let o = opts(runs, params);
        let finals = milestone_runs(&s, s.end, &o).unwrap().totals;
        let leavers: f64 = finals.iter().map(|t| 700.0 - t).sum();
        assert!(leavers > 0.0);
        assert_eq!(draw_bound(&s, &o).unwrap(), leavers, "{runs} runs");
    }
}

/// Sums, over the runs, every flow the engine draws: arrivals, graduates
/// of a class (washouts are the rest of it), queue dropouts, leavers
/// (attrition and obligation-end exits) and promotions.
#[derive(Default)]
struct DrawnFlows(f64);

impl Observer for DrawnFlows {
    fn month(&mut self, snap: &Snapshot<'_>) {
        let f = snap.flows;
        self.0 += f.queued
            + f.lateral
            + f.graduated
            + f.chained
            + f.queue_dropouts
            + f.separations
            + f.promotions;
    }
}

impl crate::montecarlo::Tally for DrawnFlows {
    fn start_run(&mut self) {}
    fn end_run(&mut self) {}
    fn merge(&mut self, other: DrawnFlows) {
        // Whole numbers far below 2^53: exact in any order.
        self.0 += other.0;
    }
}

#[test]
fn replayed_runs_draw_every_flow_the_monte_carlo_drew() {
    // Every kind of call (a group's thinning, a level's cells, arrivals):
    // up to RECORDED runs, the sum of the draws is the sum of the drawn
    // flows the same runs reported.
    let s = load(
        r#"[scenario]
name = "school"
start = "2024-01"
end = "2025-12"

[levels.a]
initial = 300
attrition = 0.2
promotion = { to = "b", rate = 0.3, after_months = 3 }

[levels.b]
initial = 50
attrition = 0.1

[courses.school]
graduates_to = "a"
length_months = 2
seats_per_class = 20
class_starts = [1, 4, 7, 10]
washout = 0.3
queue_attrition = 0.4
obligation_months = 6
obligation_end_exit = 0.5

[inflows.recruits]
course = "school"
per_year = 150

[inflows.transfers]
level = "b"
per_year = 20
"#,
    );
    for runs in [1, 23, RECORDED] {
        let o = opts(runs, false);
        let flows = crate::montecarlo::run_tally(&s, &o, DrawnFlows::default).unwrap();
        assert!(flows.0 > 0.0);
        assert_eq!(draw_bound(&s, &o).unwrap(), flows.0, "{runs} runs");
    }
}

#[test]
fn small_levels_thinned_whole_replay_exactly() {
    // A handful of people in several tenure cells, most leaving each
    // month: the sampler often moves everyone of a level at once and
    // copies the cells whole. The tape's later calls sit past its first:
    // each call's buffer must be exactly its own cells.
    let s = load(
        r#"[scenario]
name = "churn"
start = "2024-01"
end = "2025-12"

[levels.a]
initial = 3
attrition = 0.99
promotion = { to = "b", rate = 0.9, after_months = 2 }

[levels.b]
initial = 3
attrition = 0.99
promotion = { to = "c", rate = 0.9, after_months = 2 }

[levels.c]
initial = 3
attrition = 0.99

[inflows.ina]
level = "a"
per_year = 40

[inflows.inb]
level = "b"
per_year = 40
"#,
    );
    for runs in [1, 20] {
        let o = opts(runs, false);
        let flows = crate::montecarlo::run_tally(&s, &o, DrawnFlows::default).unwrap();
        assert_eq!(draw_bound(&s, &o).unwrap(), flows.0, "{runs} runs");
    }
}

#[test]
fn runs_past_the_recorded_ones_replay_them_in_turn() {
    // Arrivals only, with a per-year rate drawn per run: run r replays the
    // calls of run r mod RECORDED (its Poisson means) on a fresh stream, so
    // the sum is Poisson with the sum of those means over all runs.
    let s = load(
        r#"[scenario]
name = "hires"
start = "2024-01"
end = "2025-12"

[levels.a]
initial = 0
attrition = 0.0

[inflows.hires]
level = "a"
per_year = 600

[uncertainty]
"inflows.hires.per_year" = { dist = "uniform", min = 0, max = 1200 }
"#,
    );
    let draws = draw::resolve(&s, &s.uncertainty).unwrap();
    let streams = Streams::new(11);
    // Expected arrivals over the horizon of recorded run k: its drawn rate
    // through the expected-value projection.
    let lambda: Vec<f64> = (0..RECORDED)
        .map(|k| {
            let mut sc = s.clone();
            draw::apply(&draws, &s, &mut sc, &mut Streams::rng(&streams.params, k));
            engine::project(&sc).final_row().total
        })
        .collect();
    let runs = 10 * RECORDED + 17;
    let mean: f64 = (0..runs).map(|r| lambda[(r % RECORDED) as usize]).sum();
    let sum = draw_bound(&s, &opts(runs, true)).unwrap();
    assert!(
        (sum - mean).abs() < 5.0 * mean.sqrt(),
        "{sum} drawn, {mean} expected"
    );
    // Whole people: every count drawn is whole.
    assert_eq!(sum.fract(), 0.0);
}

#[test]
fn the_bound_refuses_what_it_cannot_time() {
    let s = load(LEAVERS);
    let mut o = opts(10, false);
    o.process_noise = false;
    assert!(draw_bound(&s, &o).unwrap_err().contains("process noise"));
    assert!(draw_bound(&s, &opts(0, false)).is_err());
    // The general engine's scenarios (here a promotion after more months
    // than the fast engine's arrays index, set past the config's own limit)
    // are refused.
    let mut general = load(
        r#"[scenario]
name = "g"
start = "2024-01"
end = "2024-06"

[levels.a]
initial = 10
attrition = 0.1
promotion = { to = "b", rate = 0.2, after_months = 12 }

[levels.b]
initial = 5
attrition = 0.1
"#,
    );
    assert!(fast::supports(&general).is_ok());
    if let Some(p) = general.levels[0].promotion.as_mut() {
        p.after_months = 5000;
    }
    assert!(fast::supports(&general).is_err());
    assert!(draw_bound(&general, &opts(10, false)).is_err());
}

//! The Markov analysis against closed forms, against the engine it claims to
//! restate, and against nalgebra's dense inverse.

use forcecast::analysis::{self, Chain, Clock, MonthRates, State};
use forcecast::config;
use forcecast::engine;
use forcecast::month::Month;
use forcecast::scenario::{Destination, Scenario};
use nalgebra::{DMatrix, DVector};

fn scenario(toml: &str) -> Scenario {
    config::load_str("test.toml", toml, &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

/// Annual rate whose monthly probability is `p`.
fn annual(p: f64) -> f64 {
    1.0 - (1.0 - p).powi(12)
}

/// Runs the analysis at the last month, measuring convergence from the projection's end.
fn markov(s: &Scenario) -> analysis::Markov {
    let p = engine::project(s);
    let last = p.final_row();
    analysis::analyze(s, s.end, (last.month, &last.levels)).unwrap()
}

/// Extends the horizon to the longest accepted (100 years).
fn long(s: &mut Scenario) {
    s.end = s.start.plus(1199);
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

const THREE_LEVELS: &str = r#"
[scenario]
name = "three"
start = "2000-04"
end = "2001-03"
fiscal_year_start_month = 4
[target]
count = ["a", "b", "c"]
milestones = [{ date = "2001-03", headcount = 1000 }]
[levels.a]
initial = 0
attrition = 0.5
promotion = { to = "b", rate = 0.5 }
[levels.b]
initial = 0
attrition = 0.5
promotion = { to = "c", rate = 0.5 }
[levels.c]
initial = 0
attrition = 0.5
[inflows.direct]
level = "a"
per_year = 120
"#;

#[test]
fn three_levels_without_after_months_match_hand_computation() {
    let mut s = scenario(THREE_LEVELS);
    // Monthly: a leaves 0.1 and 0.2 of stayers are promoted; b leaves 0.05,
    // promotes 0.1; c leaves 0.02. So Q = [[.72 .18 0] [0 .855 .095] [0 0 .98]].
    s.levels[0].attrition = annual(0.1);
    s.levels[0].promotion.as_mut().unwrap().rate = annual(0.2);
    s.levels[1].attrition = annual(0.05);
    s.levels[1].promotion.as_mut().unwrap().rate = annual(0.1);
    s.levels[2].attrition = annual(0.02);
    let m = markov(&s);
    assert_eq!(m.levels, ["a", "b", "c"]);
    assert_eq!(
        m.sub_states, 3,
        "no after_months, obligations or contracts: one sub-state per level"
    );
    let tol = 1e-9;

    // From a: N_aa = 1/(1-.72) = 25/7; reach b = .18/.28 = 9/14; N_ab = (9/14)/.145 = 900/203;
    // reach c = (9/14)(.095/.145) = 171/406; N_ac = (171/406)/.02 = 4275/203.
    let from_a = &m.expected_months["a"];
    assert!(close(from_a["a"], 25.0 / 7.0, tol), "{}", from_a["a"]);
    assert!(close(from_a["b"], 900.0 / 203.0, tol), "{}", from_a["b"]);
    assert!(close(from_a["c"], 4275.0 / 203.0, tol), "{}", from_a["c"]);
    assert!(close(
        m.expected_career_months["a"],
        25.0 / 7.0 + 900.0 / 203.0 + 4275.0 / 203.0,
        tol
    ));
    assert!(close(m.probability_reach["a"]["b"], 9.0 / 14.0, tol));
    assert!(close(m.probability_reach["a"]["c"], 171.0 / 406.0, tol));
    assert_eq!(m.probability_reach["a"]["a"], 1.0);

    // From b: N_bb = 1/.145 = 200/29; reach c = .095/.145 = 19/29; N_bc = (19/29)/.02 = 950/29.
    assert_eq!(m.expected_months["b"]["a"], 0.0);
    assert!(close(m.expected_months["b"]["b"], 200.0 / 29.0, tol));
    assert!(close(m.expected_months["b"]["c"], 950.0 / 29.0, tol));
    assert!(close(m.probability_reach["b"]["c"], 19.0 / 29.0, tol));
    assert_eq!(m.probability_reach["b"]["a"], 0.0);
    // From c: 1/.02 = 50.
    assert!(close(m.expected_career_months["c"], 50.0, 1e-9));

    // Steady state of 10 a month into a: N = 10 x (row a of the fundamental matrix).
    let ss = &m.steady_state;
    assert!(close(ss.levels["a"], 10.0 * 25.0 / 7.0, 1e-8));
    assert!(close(ss.levels["b"], 10.0 * 900.0 / 203.0, 1e-8));
    assert!(close(ss.levels["c"], 10.0 * 4275.0 / 203.0, 1e-8));

    // Holding 1,000: entrants = 1000 / career months a month.
    let h = m.sustainment.as_ref().unwrap();
    let career = m.expected_career_months["a"];
    assert!(
        close(h.entrants_per_year, 12.0 * 1000.0 / career, 1e-8),
        "{}",
        h.entrants_per_year
    );
    assert_eq!(h.graduates_per_year, 0.0);
    assert_eq!(h.seats_per_year, 0.0);
}

/// A chain with every sub-state kind: months in level (after_months), a
/// course obligation with its own attrition factor and end exit, a contract
/// term, a shock on the middle level, and queue dropouts.
const CLOCKS: &str = r#"
[scenario]
name = "clocks"
start = "2000-04"
end = "2001-03"
fiscal_year_start_month = 4
[target]
count = ["a", "b", "c"]
milestones = [{ date = "2001-03", headcount = 500 }]
[levels.a]
initial = 0
attrition = 0.3
promotion = { to = "b", rate = 0.6, after_months = 3 }
[levels.b]
initial = 0
attrition = 0.2
promotion = { to = "c", rate = 0.5, after_months = 2 }
[levels.c]
initial = 0
attrition = 0.25
[courses.school]
graduates_to = "a"
length_months = 2
seats_per_class = 1000000
class_starts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
washout = 0.2
queue_attrition = 0.1
obligation_months = 7
obligated_attrition_factor = 0.5
obligation_end_exit = 0.3
[inflows.recruits]
course = "school"
per_year = 60
[inflows.transfers]
level = "a"
per_year = 24
[inflows.experts]
level = "b"
per_year = 12
term_months = 4
[[shocks]]
from = "2000-04"
to = "2001-03"
levels = ["b"]
attrition_factor = 1.5
"#;

/// The CLOCKS scenario over 100 years, its shock kept on for all of them.
fn clocks_long() -> Scenario {
    let mut s = scenario(CLOCKS);
    long(&mut s);
    s.shocks[0].to = s.end;
    s
}

#[test]
fn after_months_and_clocks_match_a_brute_force_cohort_projection() {
    let base = clocks_long();
    let m = markov(&base);
    assert!(m.sub_states > 3);
    // For each channel, follow one cohort of it through the engine: the sum
    // over all month-ends of each level's headcount, per person arriving, is
    // the expected months in that level; total promotions per person are
    // the expected number of levels reached above the arrival level.
    for (k, channel) in m.entry_channels.iter().enumerate() {
        let mut s = base.clone();
        for (j, f) in s.inflows.iter_mut().enumerate() {
            f.per_year = 0.0;
            f.by_fiscal_year.clear();
            if j == k {
                // 1,000 entrants at the end of the first month, none later.
                f.by_fiscal_year.insert(2000, 1000.0);
                f.monthly_share = [0.0; 12];
                f.monthly_share[0] = 1.0;
            }
        }
        let p = engine::project(&s);
        let arrived: f64 = p
            .rows
            .iter()
            .map(|r| r.flows.graduated + r.flows.lateral)
            .sum();
        assert!(arrived > 0.0);
        let tail = p.final_row().in_levels();
        assert!(
            tail < 1e-9,
            "{}: the cohort has not died out ({tail})",
            channel.inflow
        );
        for (l, name) in m.levels.iter().enumerate() {
            let months: f64 = p.rows.iter().map(|r| r.levels[l]).sum::<f64>() / arrived;
            let chain = channel.expected_months[name];
            assert!(
                close(months, chain, 1e-9),
                "{} in {name}: engine {months}, chain {chain}",
                channel.inflow
            );
        }
        let promotions: f64 = p.rows.iter().map(|r| r.flows.promotions).sum::<f64>() / arrived;
        let reached: f64 = channel.probability_reach.values().sum::<f64>() - 1.0;
        assert!(
            close(promotions, reached, 1e-9),
            "{}: promotions {promotions}, reach {reached}",
            channel.inflow
        );
    }
    // The channels are what they should be.
    let c = &m.entry_channels;
    assert_eq!(
        (
            c[0].via.as_deref(),
            c[0].obligation_months,
            c[0].level.as_str()
        ),
        (Some("school"), Some(7), "a")
    );
    assert_eq!((c[2].term_months, c[2].level.as_str()), (Some(4), "b"));
    // A contract caps a career at its term.
    assert!(c[2].expected_career_months < 4.0);
}

#[test]
fn steady_state_equals_a_long_projection_end_state() {
    let s = clocks_long();
    let m = markov(&s);
    let p = engine::project(&s);
    let end = p.final_row();
    for (l, name) in m.levels.iter().enumerate() {
        let chain = m.steady_state.levels[name];
        assert!(
            close(end.levels[l], chain, 1e-6),
            "{name}: projection {}, steady state {chain}",
            end.levels[l]
        );
    }
    assert!(close(end.total, m.steady_state.total, 1e-6));
    assert!(
        m.steady_state.months_to_within_5pct.is_some_and(|t| t == 0),
        "the projection's end is the steady state"
    );
}

#[test]
fn fundamental_matrix_matches_nalgebra_dense_inverse() {
    let s = scenario(CLOCKS);
    let rates = MonthRates::new(&s, s.end);
    let roots: Vec<State> = vec![
        State::entrant(0),
        State {
            level: 0,
            mil: 0,
            clock: Clock::Obligated { course: 0, left: 7 },
            qual: 0,
        },
        State {
            level: 1,
            mil: 0,
            clock: Clock::Contract { left: 4 },
            qual: 0,
        },
    ];
    let chain = Chain::build(&rates, 3, &roots).unwrap();
    let q = chain.dense_q();
    let n = chain.len();
    // Every row of Q is sub-stochastic and Q is upper triangular in the chain's order.
    for i in 0..n {
        assert!(q.row(i).sum() <= 1.0 + 1e-12);
        for j in 0..i {
            assert_eq!(q[(i, j)], 0.0);
        }
    }
    let fundamental = (DMatrix::identity(n, n) - &q).try_inverse().unwrap();
    for &root in &roots {
        let e = chain.index_of(root).unwrap();
        let row = chain.solve(&chain.unit(root, 1.0));
        for j in 0..n {
            assert!(close(row[j], fundamental[(e, j)], 1e-10), "N[{e}][{j}]");
        }
    }
    let r = DVector::from_fn(n, |i, _| (i % 3) as f64);
    let dense = (DMatrix::identity(n, n) - q.transpose())
        .lu()
        .solve(&r)
        .unwrap();
    assert!((chain.solve(&r) - dense).amax() < 1e-9);
}

/// Scales every inflow of `s` by `k`, drops events and fiscal-year plans,
/// starts the levels at `initial`.
fn sustained(mut s: Scenario, k: f64, initial: &[f64]) -> Scenario {
    s.events.clear();
    for f in &mut s.inflows {
        let fy = s.end.fiscal_year(s.fy_start_month);
        f.per_year = f.planned(fy) * k;
        f.by_fiscal_year.clear();
    }
    for (lv, &n) in s.levels.iter_mut().zip(initial) {
        lv.initial = n;
    }
    s
}

#[test]
fn sustainment_inflow_holds_the_total_flat_without_clocks() {
    // No after_months, obligation or contract: each level is one sub-state,
    // so starting at the steady state's level headcounts is starting at the
    // steady state itself, and the total must not move from the first month.
    let toml = THREE_LEVELS.replace("[inflows.direct]", "[courses.school]\ngraduates_to = \"a\"\nlength_months = 1\nseats_per_class = 1000000\nclass_starts = [1,2,3,4,5,6,7,8,9,10,11,12]\nwashout = 0.25\n[inflows.recruits]\ncourse = \"school\"\nper_year = 48\n[inflows.direct]");
    let s = scenario(&toml);
    let m = markov(&s);
    let h = m.sustainment.clone().unwrap();
    assert!(close(h.graduates_per_year, h.seats_per_year * 0.75, 1e-9));
    let initial: Vec<f64> = m.levels.iter().map(|l| h.levels[l]).collect();
    let mut s = sustained(s, h.scale, &initial);
    long(&mut s);
    // The pipeline starts full: the first class takes a month's intake.
    s.courses[0].initial_queue = s.inflows[0].per_year / 12.0;
    let p = engine::project(&s);
    for r in &p.rows {
        assert!(
            close(r.total, 1000.0, 1e-3 * 1000.0),
            "{}: {}",
            r.month,
            r.total
        );
        assert!(
            close(r.total, 1000.0, 1e-9),
            "{}: {} (exactly flat)",
            r.month,
            r.total
        );
    }
}

#[test]
fn sustainment_inflow_holds_the_baseline_total_after_burn_in() {
    // The Japan baseline's chain (after_months 24, a 60-month contract
    // channel, seasonal recruits, two classes a year, with queue dropouts
    // switched on to exercise the wait): starting from the sustaining steady
    // state's level headcounts (as eligible stock, which is not its
    // sub-state mix) and feeding the sustaining inflow, after a burn-in the
    // yearly average total must stay within 0.1 % of the final milestone.
    let mut s = config::load(None, &[]).unwrap().scenario;
    s.courses[0].queue_attrition = 0.2;
    s.courses[0].seats_per_class = 1e6;
    let m = markov(&s);
    let h = m.sustainment.clone().unwrap();
    let initial: Vec<f64> = m.levels.iter().map(|l| h.levels[l]).collect();
    let mut s = sustained(s, h.scale, &initial);
    long(&mut s);
    let p = engine::project(&s);
    let target = h.headcount;
    // Last 20 fiscal years (FY = April-March; the run starts in April).
    let rows = &p.rows[1..];
    for year in rows.chunks(12).rev().take(20) {
        let mean = year.iter().map(|r| r.total).sum::<f64>() / 12.0;
        assert!(
            close(mean, target, 1e-3 * target),
            "FY{}: {mean}",
            year[0].fiscal_year
        );
    }
}

#[test]
fn shocks_at_the_chosen_month_change_the_rates() {
    let s = scenario(CLOCKS);
    let p = engine::project(&s);
    let last = p.final_row();
    let at = month("2000-06");
    let m = analysis::analyze(&s, at, (last.month, &last.levels)).unwrap();
    // b's unobligated leaving probability is 1 - (1 - 0.2)^(1.5/12) with the shock.
    let leave = 1.0 - 0.8f64.powf(1.5 / 12.0);
    let mut no_shock = s.clone();
    no_shock.shocks.clear();
    let q = analysis::analyze(&no_shock, at, (last.month, &last.levels)).unwrap();
    assert!(m.expected_career_months["c"] == q.expected_career_months["c"]);
    assert!(m.expected_months["b"]["b"] < q.expected_months["b"]["b"]);
    let rates = MonthRates::new(&s, at);
    assert!(close(rates.leave(1), leave, 1e-15));
}

#[test]
fn a_level_nobody_leaves_is_an_error_naming_it() {
    let mut s = scenario(THREE_LEVELS);
    s.levels[2].attrition = 0.0;
    let err = analysis::analyze(&s, s.end, (s.end, &[0.0, 0.0, 0.0])).unwrap_err();
    assert!(err.contains("levels.c"), "{err}");
    assert!(analysis::holding_line(&s).is_none());
}

#[test]
fn graduates_follow_chained_courses_and_queue_waits() {
    // Arrivals at the end of March wait for the October class, and the feeder
    // course's graduates then wait for the next course's January class.
    let toml = r#"
[scenario]
name = "chain"
start = "2000-04"
end = "2001-03"
fiscal_year_start_month = 4
[target]
count = ["a"]
[levels.a]
initial = 0
attrition = 0.1
[courses.basic_course]
graduates_to = "advanced_course"
length_months = 1
seats_per_class = 1000
class_starts = [10]
washout = 0.5
queue_attrition = 0.3
[courses.advanced_course]
graduates_to = "a"
length_months = 2
seats_per_class = 1000
class_starts = [1]
washout = 0.2
queue_attrition = 0.12
obligation_months = 12
[inflows.recruits]
course = "basic_course"
per_year = 100
monthly_pattern = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
"#;
    let s = scenario(toml);
    let mix = analysis::EntryMix::new(&s, 2000);
    // Monthly survival in basic_course's queue is 0.7^(1/12); March -> October is six dropout months.
    let wait = 0.7f64.powf(6.0 / 12.0);
    assert!(
        close(mix.starts[0], 100.0 * wait, 1e-9),
        "{}",
        mix.starts[0]
    );
    // The October class ends in October; its graduates queue from the end of
    // October for January: November and December, at 0.88^(1/12) a month.
    let wait2 = 0.88f64.powf(2.0 / 12.0);
    assert!(close(mix.graduates[0], 100.0 * wait * 0.5, 1e-9));
    assert!(
        close(mix.starts[1], 100.0 * wait * 0.5 * wait2, 1e-9),
        "{}",
        mix.starts[1]
    );
    let ch = &mix.channels[0];
    assert!(close(ch.arrivals, 100.0 * wait * 0.5 * wait2 * 0.8, 1e-9));
    assert_eq!(ch.via, Some(1));
    assert_eq!(
        ch.state,
        State {
            level: 0,
            mil: 0,
            clock: Clock::Obligated {
                course: 1,
                left: 12
            },
            qual: 0,
        }
    );
    assert!(matches!(s.courses[0].graduates_to, Destination::Course(1)));
}

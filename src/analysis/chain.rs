//! The level chain as an absorbing Markov chain: one month of the engine's
//! level dynamics (`engine::simulate`, step 1) written as a transition matrix
//! `Q` over sub-states, at the rates of one month ([`MonthRates`], the same
//! derivation the engine reads).
//!
//! A sub-state is (level, months in level, clock). Months in level run
//! 0..=`after_months` (capped = eligible, as in the engine); the clock is
//! free, an obligation (course, months left) or a contract (months left).
//! Leaving (attrition, contract end, obligation-end exit) is absorption, so
//! `Q` is sub-stochastic.
//!
//! Every transition either stays in the same sub-state (eligible, free
//! people who neither leave nor are promoted) or moves strictly forward: a
//! clock counts down, months in level count up, or a promotion moves to
//! another level (validation forbids promotion cycles). So with the
//! sub-states in topological order `I - Q` is triangular, and every solve
//! with the fundamental matrix `(I - Q)^-1` is one substitution pass over the
//! (at most two) successors of each sub-state. That keeps long obligations
//! and `after_months` (thousands of sub-states) exact and fast where a dense
//! LU would need gigabytes; [`Chain::dense_q`] gives the nalgebra matrix for
//! checks on small chains.

use crate::engine::MonthRates;
use nalgebra::{DMatrix, DVector};
use std::collections::{HashMap, VecDeque};

/// The clock a person carries between months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Clock {
    /// No obligation, no contract.
    Free,
    /// Obligated by `course` (its attrition factor and end exit apply), with
    /// `left` months left counting the coming month (>= 1).
    Obligated { course: usize, left: u32 },
    /// On a fixed-term contract with `left` months left counting the coming
    /// month (>= 1); everyone still there leaves at the end of the last one.
    Contract { left: u32 },
}

/// A sub-state of the chain: where a person is at the end of a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct State {
    pub level: usize,
    /// Months in the level, capped at the level's `after_months`.
    pub mil: u32,
    pub clock: Clock,
    /// Months of on-the-job qualification still to do (0 = qualified): no
    /// promotion before 0. The chain lets everyone start at once (mentors
    /// assumed not to bind in the long run; `analyze` checks it).
    pub qual: u32,
}

impl State {
    /// A new, unobligated, qualified arrival at `level`.
    pub fn entrant(level: usize) -> State {
        State::joining(level, 0)
    }

    /// A new, unobligated arrival at `level` with `qual` months of qualification to do.
    pub fn joining(level: usize, qual: u32) -> State {
        State {
            level,
            mil: 0,
            clock: Clock::Free,
            qual,
        }
    }
}

/// Where one person in `st` is at the end of the next month, with
/// probabilities (leaving is the missing mass). Follows the engine's level
/// step: attrition, then contract or obligation end, then promotion of those
/// who stayed.
pub fn transitions(rates: &MonthRates, st: State) -> Vec<(State, f64)> {
    let l = st.level;
    let v = match st.clock {
        Clock::Obligated { course, .. } => course + 1,
        _ => 0,
    };
    let mut stay = 1.0 - rates.leave_variant(l, v);
    let clock = match st.clock {
        Clock::Free => Clock::Free,
        Clock::Contract { left } if left <= 1 => return Vec::new(),
        Clock::Contract { left } => Clock::Contract { left: left - 1 },
        Clock::Obligated { course, left } if left <= 1 => {
            stay -= stay * rates.end_exit[course];
            Clock::Free
        }
        Clock::Obligated { course, left } => Clock::Obligated {
            course,
            left: left - 1,
        },
    };
    let cap = rates.cap[l];
    let mut out = Vec::with_capacity(2);
    if let Some(to) = rates.to[l] {
        if st.mil >= cap && st.qual == 0 {
            let up = stay * rates.promote[l];
            stay -= up;
            if up > 0.0 {
                out.push((
                    State {
                        level: to,
                        mil: 0,
                        clock,
                        qual: if rates.qualify_promoted[to] {
                            rates.qualify[to]
                        } else {
                            0
                        },
                    },
                    up,
                ));
            }
        }
    }
    if stay > 0.0 {
        out.push((
            State {
                level: l,
                mil: (st.mil + 1).min(cap),
                clock,
                qual: st.qual.saturating_sub(1),
            },
            stay,
        ));
    }
    out
}

/// Why a chain has no finite fundamental matrix.
#[derive(Debug, Clone, PartialEq)]
pub enum ChainError {
    /// Nobody ever leaves this level's eligible, unobligated sub-state.
    Closed { level: usize },
    /// A cycle other than a self-loop: cannot happen for a validated
    /// scenario (promotion cycles are rejected), reported rather than assumed.
    Cycle,
}

/// `Q` over the sub-states reachable from some roots, in topological order.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Sub-states in topological order: successors come later.
    pub states: Vec<State>,
    index: HashMap<State, usize>,
    /// `Q[i][i]`.
    stay: Vec<f64>,
    /// `Q[i][j]` for j != i (always j > i).
    next: Vec<Vec<(usize, f64)>>,
    pub n_levels: usize,
}

impl Chain {
    /// The sub-states reachable from `roots` with positive probability, and
    /// `Q` between them.
    pub fn build(
        rates: &MonthRates,
        n_levels: usize,
        roots: &[State],
    ) -> Result<Chain, ChainError> {
        // Breadth-first discovery, in a fixed order so the output is reproducible.
        let mut found: Vec<State> = Vec::new();
        let mut seen: HashMap<State, usize> = HashMap::new();
        let mut edges: Vec<Vec<(usize, f64)>> = Vec::new();
        let mut todo: VecDeque<usize> = VecDeque::new();
        let mut add = |st: State, found: &mut Vec<State>, todo: &mut VecDeque<usize>| -> usize {
            *seen.entry(st).or_insert_with(|| {
                found.push(st);
                todo.push_back(found.len() - 1);
                found.len() - 1
            })
        };
        for &r in roots {
            add(r, &mut found, &mut todo);
        }
        while let Some(i) = todo.pop_front() {
            let out: Vec<(usize, f64)> = transitions(rates, found[i])
                .into_iter()
                .map(|(st, p)| (add(st, &mut found, &mut todo), p))
                .collect();
            // The queue is first in, first out, so sub-states are expanded in index order.
            debug_assert_eq!(edges.len(), i);
            edges.push(out);
        }

        // Kahn's algorithm over the off-diagonal edges.
        let n = found.len();
        let mut indegree = vec![0usize; n];
        for (i, out) in edges.iter().enumerate() {
            for &(j, _) in out {
                if j != i {
                    indegree[j] += 1;
                }
            }
        }
        let mut ready: VecDeque<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(i) = ready.pop_front() {
            order.push(i);
            for &(j, _) in &edges[i] {
                if j != i {
                    indegree[j] -= 1;
                    if indegree[j] == 0 {
                        ready.push_back(j);
                    }
                }
            }
        }
        // Every forward move lowers a clock, raises months in level or
        // promotes along an acyclic chain, so the order is always complete.
        if order.len() != n {
            return Err(ChainError::Cycle);
        }
        let mut pos = vec![0usize; n];
        for (k, &i) in order.iter().enumerate() {
            pos[i] = k;
        }
        let states: Vec<State> = order.iter().map(|&i| found[i]).collect();
        let mut stay = vec![0.0; n];
        let mut next = vec![Vec::new(); n];
        for (i, out) in edges.into_iter().enumerate() {
            for (j, p) in out {
                if j == i {
                    stay[pos[i]] += p;
                } else {
                    next[pos[i]].push((pos[j], p));
                }
            }
        }
        if let Some(k) = stay.iter().position(|&q| 1.0 - q <= 0.0) {
            return Err(ChainError::Closed {
                level: states[k].level,
            });
        }
        let index = states.iter().enumerate().map(|(k, &st)| (st, k)).collect();
        Ok(Chain {
            states,
            index,
            stay,
            next,
            n_levels,
        })
    }

    /// The qualified people (no qualification left to do) of `x`, by level.
    pub fn qualified_by_level(&self, x: &DVector<f64>) -> Vec<f64> {
        let mut out = vec![0.0; self.n_levels];
        for (st, &v) in self.states.iter().zip(x.iter()) {
            if st.qual == 0 {
                out[st.level] += v;
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// Position of a sub-state, if reachable from the roots.
    pub fn index_of(&self, st: State) -> Option<usize> {
        self.index.get(&st).copied()
    }

    /// A vector over sub-states with `x` at `st` (zero if `st` is not in the chain).
    pub fn unit(&self, st: State, x: f64) -> DVector<f64> {
        let mut v = DVector::zeros(self.len());
        if let Some(i) = self.index_of(st) {
            v[i] = x;
        }
        v
    }

    /// `x = (I - Q^T)^-1 b`, by forward substitution in topological order.
    ///
    /// With `b` a unit vector at sub-state e, `x` is row e of the fundamental
    /// matrix (expected month-ends in each sub-state of someone now in e);
    /// with `b` the monthly entry vector, `x` is the steady state.
    pub fn solve(&self, b: &DVector<f64>) -> DVector<f64> {
        let mut x = b.clone();
        for i in 0..self.len() {
            x[i] /= 1.0 - self.stay[i];
            let xi = x[i];
            for &(j, q) in &self.next[i] {
                x[j] += q * xi;
            }
        }
        x
    }

    /// `Q^T x`: where the people in `x` are a month later.
    pub fn step(&self, x: &DVector<f64>) -> DVector<f64> {
        let mut y = DVector::zeros(self.len());
        self.step_into(x.as_slice(), y.as_mut_slice());
        y
    }

    /// `y = Q^T x`, into a buffer (the convergence loop runs it hundreds of times).
    pub fn step_into(&self, x: &[f64], y: &mut [f64]) {
        y.fill(0.0);
        for (i, (&xi, next)) in x.iter().zip(&self.next).enumerate() {
            y[i] += self.stay[i] * xi;
            for &(j, q) in next {
                y[j] += q * xi;
            }
        }
    }

    /// Sums a vector over sub-states into one value per level.
    pub fn by_level(&self, x: &DVector<f64>) -> Vec<f64> {
        let mut out = vec![0.0; self.n_levels];
        self.by_level_into(x.as_slice(), &mut out);
        out
    }

    /// [`Chain::by_level`] into a buffer.
    pub fn by_level_into(&self, x: &[f64], out: &mut [f64]) {
        out.fill(0.0);
        for (st, v) in self.states.iter().zip(x) {
            out[st.level] += v;
        }
    }

    /// The expected number of entries into each level, for people distributed
    /// as `visits` (a row of the fundamental matrix) and starting in `from`.
    /// Levels are never re-entered (promotion is acyclic), so for one
    /// entrant this is the probability of ever reaching each level.
    pub fn entries_by_level(&self, from: State, visits: &DVector<f64>) -> Vec<f64> {
        let mut out = vec![0.0; self.n_levels];
        out[from.level] += 1.0;
        for i in 0..self.len() {
            let li = self.states[i].level;
            for &(j, q) in &self.next[i] {
                let lj = self.states[j].level;
                if lj != li {
                    out[lj] += visits[i] * q;
                }
            }
        }
        out
    }

    /// `Q` as a dense nalgebra matrix (rows = from, columns = to), for checks
    /// on small chains.
    pub fn dense_q(&self) -> DMatrix<f64> {
        let mut q = DMatrix::zeros(self.len(), self.len());
        for i in 0..self.len() {
            q[(i, i)] = self.stay[i];
            for &(j, p) in &self.next[i] {
                q[(i, j)] += p;
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::project;
    use crate::month::Month;
    use crate::scenario::{Destination, Inflow, Scenario};
    use std::collections::BTreeMap;

    /// What one month does to one person, per the engine: where they are at
    /// the end of the month, by level, and the month's separations and promotions.
    #[derive(Debug)]
    struct Step {
        levels: Vec<f64>,
        separations: f64,
        promotions: f64,
    }

    /// `s` emptied: no one in levels or queues, no inflows, no events.
    fn empty(s: &Scenario) -> Scenario {
        let mut e = s.clone();
        e.events.clear();
        e.inflows.clear();
        for l in &mut e.levels {
            l.initial = 0.0;
        }
        for c in &mut e.courses {
            c.initial_queue = 0.0;
        }
        e
    }

    /// The engine's month `at` for one person placed in `st` at the end of
    /// the month before, the way the engine places people there: initial
    /// stock (eligible, free), a direct inflow (new, free or on a contract),
    /// or a course's graduates (new, obligated). `None` if the engine has no
    /// way to place someone in `st`.
    fn engine_step(s: &Scenario, at: Month, st: State) -> Option<Step> {
        let cap = s.levels[st.level]
            .promotion
            .as_ref()
            .map_or(0, |p| p.after_months);
        let mut e = empty(s);
        e.end = at;
        match st.clock {
            Clock::Free if st.mil == cap => {
                e.start = at;
                e.levels[st.level].initial = 1.0;
                // Without a tenure the engine places initial stock eligible
                // (months-in-level = cap), the state under test; a config's
                // own `initial_tenure` would spread the person over others.
                e.levels[st.level].initial_tenure = None;
            }
            Clock::Free | Clock::Contract { .. } if st.mil == 0 => {
                e.start = at.plus(-1);
                let mut monthly_share = [0.0; 12];
                monthly_share[e.start.fiscal_index(e.fy_start_month)] = 1.0;
                e.inflows.push(Inflow {
                    name: "one".into(),
                    to: Destination::Level(st.level),
                    per_year: 1.0,
                    by_fiscal_year: BTreeMap::new(),
                    achievement: 1.0,
                    monthly_share,
                    term_months: match st.clock {
                        Clock::Contract { left } => Some(left),
                        _ => None,
                    },
                });
            }
            Clock::Obligated { course, left } if st.mil == 0 => {
                if e.courses[course].graduates_to != Destination::Level(st.level) {
                    return None;
                }
                e.start = at.plus(-1);
                let c = &mut e.courses[course];
                // A one-month class that starts with the one person waiting
                // and graduates them at the end of the month.
                c.initial_queue = 1.0;
                c.length_months = 1;
                c.class_starts = [true; 12];
                c.seats_per_class = 1.0;
                c.instructors = None;
                c.washout = 0.0;
                c.obligation.months = left;
            }
            _ => return None,
        }
        let p = project(&e);
        let placed = &p.rows[p.rows.len() - 2];
        let placed_here: f64 = placed.levels.iter().sum();
        assert_eq!(
            (placed.levels[st.level], placed_here),
            (1.0, 1.0),
            "{} {st:?}: the person is placed",
            s.name
        );
        let row = p.final_row();
        assert_eq!(row.month, at);
        Some(Step {
            levels: row.levels.clone(),
            separations: row.flows.separations,
            promotions: row.flows.promotions,
        })
    }

    /// The same month per the Markov chain at the rates `analyze` uses for it.
    fn chain_step(s: &Scenario, at: Month, st: State) -> Step {
        let rates = MonthRates::new(s, at);
        let chain =
            Chain::build(&rates, s.levels.len(), &[st]).expect("shipped configs are analysable");
        let levels = chain.by_level(&chain.step(&chain.unit(st, 1.0)));
        let kept: f64 = levels.iter().sum();
        let promotions = kept - levels[st.level];
        Step {
            levels,
            separations: 1.0 - kept,
            promotions,
        }
    }

    /// The first month of the horizon with each distinct set of shock
    /// factors, and the last month (where `analyze` builds its chain).
    fn months(s: &Scenario) -> Vec<Month> {
        let mut seen: Vec<Vec<f64>> = Vec::new();
        let mut out = Vec::new();
        for t in 0..s.horizon() {
            let m = s.start.plus(t as i32);
            let f: Vec<f64> = (0..s.levels.len()).map(|l| s.shock_factor(l, m)).collect();
            if !seen.contains(&f) {
                seen.push(f);
                out.push(m);
            }
        }
        out.push(s.end);
        out
    }

    /// Sub-states of every kind the engine creates in `s`.
    fn states(s: &Scenario) -> Vec<State> {
        let mut out = Vec::new();
        for (l, level) in s.levels.iter().enumerate() {
            let cap = level.promotion.as_ref().map_or(0, |p| p.after_months);
            out.push(State {
                level: l,
                mil: cap,
                clock: Clock::Free,
                qual: 0,
            });
            out.push(State::entrant(l));
            for left in [1, 2, 24] {
                out.push(State {
                    level: l,
                    mil: 0,
                    clock: Clock::Contract { left },
                    qual: 0,
                });
            }
        }
        for (c, course) in s.courses.iter().enumerate() {
            if let Destination::Level(level) = course.graduates_to {
                // 1: the obligation ends this month (end exit); more: it counts down.
                for left in [1, 2, course.obligation.months.max(1)] {
                    out.push(State {
                        level,
                        mil: 0,
                        clock: Clock::Obligated { course: c, left },
                        qual: 0,
                    });
                }
            }
        }
        out
    }

    fn same(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12
    }

    /// `analyze` restates `run`: a person's one-month transition in the
    /// chain is the engine's expected month for one person, for every shipped
    /// config, in every kind of sub-state, in months with and without shocks.
    #[test]
    fn one_chain_month_is_one_engine_month_in_every_shipped_config() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("configs");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 10, "shipped configs in {}", dir.display());
        let mut compared = 0;
        let mut shocked = 0;
        for path in &paths {
            let shipped = crate::config::load(Some(path), &[])
                .unwrap_or_else(|e| panic!("{e}"))
                .scenario;
            // Shipped configs leave some obligation options at their
            // defaults; the variant switches them on so they are compared too.
            let mut obligations_on = shipped.clone();
            for c in &mut obligations_on.courses {
                c.obligation.attrition_factor *= 0.6;
                c.obligation.end_exit = 0.5 * (1.0 + c.obligation.end_exit);
            }
            for s in [shipped, obligations_on] {
                for at in months(&s) {
                    let any_shock = (0..s.levels.len()).any(|l| s.shock_factor(l, at) != 1.0);
                    for st in states(&s) {
                        let Some(engine) = engine_step(&s, at, st) else {
                            continue;
                        };
                        let chain = chain_step(&s, at, st);
                        let ok = engine
                            .levels
                            .iter()
                            .zip(&chain.levels)
                            .all(|(a, b)| same(*a, *b))
                            && same(engine.separations, chain.separations)
                            && same(engine.promotions, chain.promotions);
                        assert!(
                        ok,
                        "{} in {at}, one person in {st:?}:\n engine {engine:?}\n chain  {chain:?}",
                        path.display()
                    );
                        compared += 1;
                        shocked += any_shock as usize;
                    }
                }
            }
        }
        // Every config contributes its sub-states, and some months have shocks.
        assert!(compared >= 10 * 12, "{compared} comparisons");
        assert!(shocked > 0, "no month with a shock was compared");
    }
}

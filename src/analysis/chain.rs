//! The level chain as an absorbing Markov chain: one month of the engine's
//! level dynamics (`engine::simulate`, step 1) written as a transition matrix
//! `Q` over sub-states, at the rates of one month.
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

use crate::month::Month;
use crate::scenario::{monthly_probability, Scenario};
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
}

impl State {
    /// A new, unobligated arrival at `level`.
    pub fn entrant(level: usize) -> State {
        State {
            level,
            mil: 0,
            clock: Clock::Free,
        }
    }
}

/// The monthly probabilities of one calendar month.
#[derive(Debug, Clone)]
pub struct MonthRates {
    /// `leave[level][v]`: v = 0 unobligated, v = c + 1 obligated by course c.
    leave: Vec<Vec<f64>>,
    promote: Vec<f64>,
    to: Vec<Option<usize>>,
    /// Months in level from which promotion applies (0 without promotion).
    pub cap: Vec<u32>,
    end_exit: Vec<f64>,
}

impl MonthRates {
    /// The rates of `month`, shocks included, exactly as the engine computes them.
    pub fn new(s: &Scenario, month: Month) -> MonthRates {
        let leave = (0..s.levels.len())
            .map(|l| {
                let shock = s.shock_factor(l, month);
                let a = s.levels[l].attrition;
                std::iter::once(monthly_probability(a, shock))
                    .chain(
                        s.courses
                            .iter()
                            .map(|c| monthly_probability(a, shock * c.obligation.attrition_factor)),
                    )
                    .collect()
            })
            .collect();
        MonthRates {
            leave,
            promote: s
                .levels
                .iter()
                .map(|l| {
                    l.promotion
                        .as_ref()
                        .map_or(0.0, |p| monthly_probability(p.rate, 1.0))
                })
                .collect(),
            to: s
                .levels
                .iter()
                .map(|l| l.promotion.as_ref().map(|p| p.to))
                .collect(),
            cap: s
                .levels
                .iter()
                .map(|l| l.promotion.as_ref().map_or(0, |p| p.after_months))
                .collect(),
            end_exit: s.courses.iter().map(|c| c.obligation.end_exit).collect(),
        }
    }

    /// A person's monthly leaving probability in `level`, unobligated.
    pub fn leave(&self, level: usize) -> f64 {
        self.leave[level][0]
    }

    /// Where one person in `st` is at the end of the next month, with
    /// probabilities (leaving is the missing mass). Follows the engine:
    /// attrition, then contract or obligation end, then promotion of those
    /// who stayed.
    pub fn transitions(&self, st: State) -> Vec<(State, f64)> {
        let l = st.level;
        let v = match st.clock {
            Clock::Obligated { course, .. } => course + 1,
            _ => 0,
        };
        let mut stay = 1.0 - self.leave[l][v];
        let clock = match st.clock {
            Clock::Free => Clock::Free,
            Clock::Contract { left } if left <= 1 => return Vec::new(),
            Clock::Contract { left } => Clock::Contract { left: left - 1 },
            Clock::Obligated { course, left } if left <= 1 => {
                stay -= stay * self.end_exit[course];
                Clock::Free
            }
            Clock::Obligated { course, left } => Clock::Obligated {
                course,
                left: left - 1,
            },
        };
        let cap = self.cap[l];
        let mut out = Vec::with_capacity(2);
        if let Some(to) = self.to[l] {
            if st.mil >= cap {
                let up = stay * self.promote[l];
                stay -= up;
                if up > 0.0 {
                    out.push((
                        State {
                            level: to,
                            mil: 0,
                            clock,
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
                },
                stay,
            ));
        }
        out
    }
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
            let out: Vec<(usize, f64)> = rates
                .transitions(found[i])
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

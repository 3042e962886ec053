//! The whole-person Monte Carlo engine used by `mc`, `solve`, `sensitivity`
//! and `sweep` when process noise is on and [`supports`] accepts the
//! scenario. It makes the same draws with the same laws as the general engine
//! ([`crate::engine::simulate`] with [`crate::engine::Stochastic`], the reference, kept for
//! everything else and for the expected-value projection), but keeps its
//! state where it costs least:
//!
//! - a level's people without clocks live in a fixed array indexed by months
//!   in level (0 ..= `after_months`): ageing is one shift, and there is no
//!   sorted cohort list to merge every month;
//! - people with a contract or an obligation (few: contract entrants and
//!   obligated graduates) are a short unsorted list of cells;
//! - each month's draws are grouped per level and probability as in the
//!   reference ([`Sampler::thin_each`]);
//! - a [`Workspace`] is built once per worker thread: per run nothing is
//!   allocated and no scenario is cloned. Parameter draws reach the month's
//!   probabilities through a reusable rate table, and `[[changes]]` through
//!   reusable copies of the scenario, one per period between change dates,
//!   overwritten field by field (only the drawn and changed parameters).
//!
//! Why the law is the reference's: every person in a level steps
//! independently with a probability that depends only on the clocks, so how
//! people with equal clocks are split among cells does not change the joint
//! law of any count. The two steps that are deterministic given the counts
//! (a vacancy promotion's split among eligible cohorts, an event's
//! proportional removal) are made on the cells merged by clocks and in the
//! reference's order, so they give exactly the reference's split.
//! On-the-job qualification is the reference's own pipeline
//! ([`crate::engine::qualification`]), fed the same joiners in the same order
//! (a level's promoted people by clocks, then graduates, inflows, events) and
//! stepped at the same point of the month.

use crate::engine::qualification::{Exits, QualMonth, QualState};
use crate::engine::{
    self, rates, ClassLimit, ClassRecord, Clocks, Cohort, Flows, Observer, Sampler, Snapshot,
};
use crate::month::Month;
use crate::params::Param;
use crate::scenario::{
    monthly_probability, Course, Destination, Event, Inflow, Level, PromotionMode, Scenario, Tenure,
};
use std::collections::VecDeque;

/// Why the fast engine cannot run `s` (the general engine then runs it), or
/// `Ok` if it can.
///
/// The check lists every field of the scenario's parts by name (no `..`), so
/// a new field fails to compile here until whoever adds it says whether the
/// fast engine implements it: a feature it does not know can never be run
/// by it silently.
pub fn supports(s: &Scenario) -> Result<(), String> {
    let Scenario {
        name: _,
        title: _,
        source: _,
        start: _,
        end: _,
        fy_start_month: _,
        seed: _,
        target: _,
        levels,
        courses,
        inflows,
        events,
        shocks: _,
        uncertainty: _,
        observed: _,
        changes,
        // Costs are read by the cost tally from the snapshots, not by the engine.
        costs: _,
    } = s;
    for lv in levels {
        let Level {
            name: _,
            initial,
            initial_tenure: _,
            attrition: _,
            promotion,
            authorised: _,
            qualification,
        } = lv;
        // On-the-job qualification runs through the general engine's
        // pipeline (`engine::qualification`), so any table is supported.
        let _ = qualification;
        if initial.fract() != 0.0 || *initial < 0.0 {
            return Err(format!(
                "level '{}': initial is not a whole number >= 0",
                lv.name
            ));
        }
        // Months in level are an array index: a cap beyond any horizon is
        // left to the general engine's sparse cohorts.
        if promotion.as_ref().is_some_and(|p| p.after_months > MAX_CAP) {
            return Err(format!("level '{}': after_months above {MAX_CAP}", lv.name));
        }
    }
    for c in courses {
        let Course {
            name: _,
            graduates_to: _,
            length_months: _,
            seats_per_class: _,
            class_starts: _,
            washout: _,
            queue_attrition: _,
            initial_queue,
            obligation: _,
            instructors: _,
        } = c;
        if initial_queue.fract() != 0.0 {
            return Err(format!(
                "course '{}' starts with a fractional queue",
                c.name
            ));
        }
        if c.obligation.months > u16::MAX as u32 {
            return Err(format!("course '{}': obligation too long", c.name));
        }
    }
    for k in inflows {
        let Inflow {
            name: _,
            to: _,
            per_year: _,
            by_fiscal_year: _,
            achievement: _,
            monthly_share: _,
            term_months,
        } = k;
        if term_months.is_some_and(|t| t > u16::MAX as u32) {
            return Err(format!("inflow '{}': term too long", k.name));
        }
    }
    for e in events {
        let Event {
            date: _,
            level: _,
            change: _,
            tenure: _,
            note: _,
        } = e;
    }
    for c in changes {
        if !c.param.changeable() {
            return Err(format!(
                "change of '{}' (not a changeable parameter)",
                c.param.path(s)
            ));
        }
    }
    Ok(())
}

const NO_COURSE: u16 = u16::MAX;
/// Largest `after_months` the fast engine keeps as an array (months).
const MAX_CAP: u32 = 4800;

/// People in one level who share a contract or an obligation clock.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cell {
    n: f64,
    /// Months in level, capped at `after_months`.
    mil: u16,
    /// Obligated months left, counting the coming month; 0 = not obligated.
    obl_left: u16,
    obl_course: u16,
    /// Contract months left, counting the coming month; 0 = no contract.
    contract_left: u16,
}

impl Cell {
    /// The reference engine's cohort order: (months in level, obligation
    /// months left, obligation course, contract months left).
    fn key(&self) -> u64 {
        key(self.mil, self.obl_left, self.obl_course, self.contract_left)
    }
    /// The clocks one month on (months in level capped at `cap`).
    fn aged(&self, cap: u16) -> Cell {
        let obl_left = self.obl_left.saturating_sub(1);
        Cell {
            n: self.n,
            mil: (self.mil + 1).min(cap),
            obl_left,
            obl_course: if obl_left > 0 {
                self.obl_course
            } else {
                NO_COURSE
            },
            contract_left: self.contract_left.saturating_sub(1),
        }
    }
    fn has_clock(&self) -> bool {
        self.obl_left > 0 || self.contract_left > 0
    }
    /// The same people as the general engine's cohort (for the qualification pipeline).
    fn cohort(&self) -> Cohort {
        Cohort::new(
            self.n,
            Clocks {
                mil: self.mil,
                obl_left: self.obl_left,
                obl_course: self.obl_course,
                contract_left: self.contract_left,
            },
        )
    }
    fn of(c: &Cohort) -> Cell {
        Cell {
            n: c.n,
            mil: c.mil(),
            obl_left: c.obl_left(),
            obl_course: c.obl_course(),
            contract_left: c.contract_left(),
        }
    }
}

fn key(mil: u16, obl_left: u16, obl_course: u16, contract_left: u16) -> u64 {
    (mil as u64) << 48 | (obl_left as u64) << 32 | (obl_course as u64) << 16 | contract_left as u64
}

/// One level's people.
#[derive(Debug, Clone, Default)]
struct LevelState {
    /// People without clocks, by months in level (the last = eligible).
    plain: Vec<f64>,
    /// People with a clock.
    clocked: Vec<Cell>,
    /// Entering at the end of this month: without clocks (months in level 0) ...
    enter_plain: f64,
    /// ... and with.
    enter_clocked: Vec<Cell>,
}

impl Workspace {
    /// The month's snapshot for the observer, from the workspace's totals
    /// (the same fields at the start and at every month's end).
    fn snapshot<'a>(
        &'a self,
        s: &Scenario,
        month: Month,
        instructors: f64,
        flows: &'a Flows,
    ) -> Snapshot<'a> {
        Snapshot {
            month,
            total: counted(
                s,
                &self.level_tot,
                &self.queues,
                &self.training,
                &self.qual.month,
            ),
            levels: &self.level_tot,
            queues: &self.queues,
            training: &self.training,
            instructors,
            flows,
            inflows: &self.inflow_now,
            promotion_share: &self.promotion_share,
            qualification: &self.qual.month,
        }
    }
}

impl LevelState {
    fn total(&self) -> f64 {
        self.plain.iter().sum::<f64>() + self.clocked.iter().map(|c| c.n).sum::<f64>()
    }
    fn entering(&self) -> f64 {
        self.enter_plain + self.enter_clocked.iter().map(|c| c.n).sum::<f64>()
    }
}

/// Per-month probabilities of one distinct (period, shock factors) pair.
#[derive(Debug, Clone, Default)]
struct Rates {
    /// `leave[l * variants + v]`: v = 0 unobligated, c + 1 obligated by course c.
    leave: Vec<f64>,
    promote: Vec<f64>,
    end_exit: Vec<f64>,
    queue_dropout: Vec<f64>,
}

#[derive(Debug, Clone, Copy)]
struct Class {
    end: Month,
    size: f64,
}

/// Everything a worker thread reuses from run to run.
pub struct Workspace {
    /// Parameters that may differ between the scenario the workspace was
    /// built for and the one a run is given: the drawn ones.
    params: Vec<Param>,
    /// Whether the period copies and rate tables hold a run's scenario:
    /// with no drawn parameters every run's is the same, prepared once.
    prepared: bool,
    /// The parameters `[[changes]]` set, each once.
    change_params: Vec<Param>,
    /// Changes in the order they apply (date, then file order).
    change_order: Vec<usize>,
    /// First month of each period between change dates.
    period_start: Vec<Month>,
    /// The scenario in effect in each period (overwritten each run).
    versions: Vec<Scenario>,
    period_of: Vec<usize>,
    /// Distinct (period, active shocks) pairs and, per month, which one.
    distinct: Vec<(usize, Vec<bool>)>,
    distinct_of: Vec<usize>,
    rates: Vec<Rates>,
    /// Expected entrants `inflow_mean[k * horizon + t]`.
    inflow_mean: Vec<f64>,
    events_at: Vec<Vec<usize>>,
    caps: Vec<u16>,
    to: Vec<Option<usize>>,
    vacancy: Vec<bool>,
    order: Vec<usize>,
    levels: Vec<LevelState>,
    queues: Vec<f64>,
    pending_queue: Vec<f64>,
    classes: Vec<VecDeque<Class>>,
    level_tot: Vec<f64>,
    start_levels: Vec<f64>,
    training: Vec<f64>,
    inflow_now: Vec<f64>,
    promotion_share: Vec<f64>,
    /// On-the-job qualification: the general engine's pipelines, emptied per run.
    qual: QualState,
    /// Per level: this month's mentor slots.
    slots: Vec<f64>,
    /// Scratch: one level's promoted people this month, to be admitted in cohort order.
    promoted: Vec<Cell>,
    /// Scratch: an event's additions to a qualifying level, (months in level, people).
    added: Vec<(usize, f64)>,
    /// Scratch: the people who qualified this month.
    done: Vec<Cohort>,
    // Scratch for the level step.
    n: Vec<f64>,
    /// Scratch: the leavers of those cells (or of the compacted ones).
    leave: Vec<f64>,
    idx: Vec<usize>,
    gn: Vec<f64>,
    /// Scratch for a level's leavers: its nonempty cells of one obligation
    /// variant (indices, people), valid up to the count compacted.
    cidx: Vec<usize>,
    cn: Vec<f64>,
    gout: Vec<f64>,
    groups: Vec<(u64, f64, usize)>,
}

impl Workspace {
    /// A workspace for runs of `base` in which only `params` may differ.
    pub fn new(base: &Scenario, params: Vec<Param>) -> Workspace {
        let horizon = base.horizon();
        let period_start = base.change_months();
        let mut change_order: Vec<usize> = (0..base.changes.len()).collect();
        change_order.sort_by_key(|&i| base.changes[i].from);
        let mut change_params: Vec<Param> = Vec::new();
        for c in &base.changes {
            if !change_params.contains(&c.param) {
                change_params.push(c.param);
            }
        }
        let mut period_of = Vec::with_capacity(horizon);
        let mut distinct: Vec<(usize, Vec<bool>)> = Vec::new();
        let mut distinct_of = Vec::with_capacity(horizon);
        let mut v = 0;
        for t in 0..horizon {
            let month = base.start.plus(t as i32);
            while v + 1 < period_start.len() && period_start[v + 1] <= month {
                v += 1;
            }
            period_of.push(v);
            let active: Vec<bool> = base
                .shocks
                .iter()
                .map(|s| s.from <= month && month <= s.to)
                .collect();
            let i = match distinct.iter().position(|(w, a)| *w == v && *a == active) {
                Some(i) => i,
                None => {
                    distinct.push((v, active));
                    distinct.len() - 1
                }
            };
            distinct_of.push(i);
        }
        let mut events_at = vec![Vec::new(); horizon];
        for (i, e) in base.events.iter().enumerate() {
            let t = e.date.since(base.start);
            if t >= 0 && (t as usize) < horizon {
                events_at[t as usize].push(i);
            }
        }
        let caps: Vec<u16> = base
            .levels
            .iter()
            .map(|l| {
                l.promotion
                    .as_ref()
                    .map_or(0, |p| p.after_months.min(MAX_CAP) as u16)
            })
            .collect();
        let nl = base.levels.len();
        let nc = base.courses.len();
        Workspace {
            params,
            prepared: false,
            change_params,
            change_order,
            versions: vec![base.clone(); period_start.len()],
            period_start,
            period_of,
            rates: vec![Rates::default(); distinct.len()],
            distinct,
            distinct_of,
            inflow_mean: vec![0.0; base.inflows.len() * horizon],
            events_at,
            levels: caps
                .iter()
                .map(|&c| LevelState {
                    plain: vec![0.0; c as usize + 1],
                    ..LevelState::default()
                })
                .collect(),
            caps,
            to: base
                .levels
                .iter()
                .map(|l| l.promotion.as_ref().map(|p| p.to))
                .collect(),
            vacancy: base
                .levels
                .iter()
                .map(|l| {
                    l.promotion
                        .as_ref()
                        .is_some_and(|p| p.mode == PromotionMode::Vacancy)
                })
                .collect(),
            order: engine::step_order(base),
            queues: vec![0.0; nc],
            pending_queue: vec![0.0; nc],
            classes: vec![VecDeque::new(); nc],
            level_tot: vec![0.0; nl],
            start_levels: vec![0.0; nl],
            training: vec![0.0; nc],
            inflow_now: vec![0.0; base.inflows.len()],
            promotion_share: vec![0.0; nl],
            qual: QualState::new(base),
            slots: vec![0.0; nl],
            promoted: Vec::new(),
            added: Vec::new(),
            done: Vec::new(),
            n: Vec::new(),
            leave: Vec::new(),
            idx: Vec::new(),
            gn: Vec::new(),
            cidx: Vec::new(),
            cn: Vec::new(),
            gout: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// Brings the period copies and the rate table up to date with `s`
    /// (the base with this run's drawn parameters).
    fn prepare(&mut self, s: &Scenario) {
        for (v, ver) in self.versions.iter_mut().enumerate() {
            for p in &self.params {
                p.set(ver, p.get(s));
            }
            if self.change_params.is_empty() {
                continue;
            }
            for p in &self.change_params {
                p.set(ver, p.get(s));
            }
            let from = self.period_start[v];
            for &i in &self.change_order {
                let c = &s.changes[i];
                if c.from <= from {
                    c.param.set(ver, c.value);
                }
            }
        }
        for (i, (v, active)) in self.distinct.iter().enumerate() {
            let ver = &self.versions[*v];
            let r = &mut self.rates[i];
            r.leave.clear();
            for (l, level) in ver.levels.iter().enumerate() {
                // Product of the active shocks' factors in shock order, as
                // `Scenario::shock_factor` takes it.
                let f: f64 = s
                    .shocks
                    .iter()
                    .zip(active)
                    .filter(|(sh, &a)| a && sh.levels.contains(&l))
                    .map(|(sh, _)| sh.attrition_factor)
                    .product();
                r.leave.push(monthly_probability(level.attrition, f));
                r.leave.extend(ver.courses.iter().map(|c| {
                    monthly_probability(level.attrition, f * c.obligation.attrition_factor)
                }));
            }
            r.promote.clear();
            r.promote
                .extend(ver.levels.iter().map(rates::promotion_probability));
            r.end_exit.clear();
            r.end_exit
                .extend(ver.courses.iter().map(|c| c.obligation.end_exit));
            r.queue_dropout.clear();
            r.queue_dropout
                .extend(ver.courses.iter().map(rates::queue_dropout_probability));
        }
        let horizon = self.period_of.len();
        for k in 0..s.inflows.len() {
            for t in 0..horizon {
                self.inflow_mean[k * horizon + t] = self.versions[self.period_of[t]].inflows[k]
                    .expected_in(s.start.plus(t as i32), s.fy_start_month);
            }
        }
    }

    /// Empties the qualification pipelines and takes `s`'s rules (drawn
    /// parameters may change them), keeping the buffers.
    fn reset_qualification(&mut self, s: &Scenario) {
        let same_shape = self.qual.levels.len() == s.levels.len()
            && self
                .qual
                .levels
                .iter()
                .zip(&s.levels)
                .all(|(x, l)| x.is_some() == l.qualification.is_some());
        if !same_shape {
            self.qual = QualState::new(s);
            return;
        }
        for (x, l) in self.qual.levels.iter_mut().zip(&s.levels) {
            if let (Some((q, p)), Some(rules)) = (x, &l.qualification) {
                q.clone_from(rules);
                p.clear();
            }
        }
        self.qual.month.fill(QualMonth::default());
    }

    /// One whole-person run of `s`, which must be the scenario this
    /// workspace was built for with at most its `params` changed.
    pub fn run<S: Sampler, O: Observer>(&mut self, s: &Scenario, sampler: &mut S, obs: &mut O) {
        debug_assert!(sampler.integer(), "the fast engine counts whole people");
        if !(self.prepared && self.params.is_empty()) {
            self.prepare(s);
            self.prepared = true;
        }
        let nl = s.levels.len();
        let variants = 1 + s.courses.len();
        self.reset_qualification(s);
        let qual_on = self.qual.active();
        for (l, st) in self.levels.iter_mut().enumerate() {
            st.plain.fill(0.0);
            st.clocked.clear();
            st.enter_plain = 0.0;
            st.enter_clocked.clear();
            let lv = &s.levels[l];
            place(
                lv.initial,
                lv.initial_tenure.as_ref(),
                self.caps[l],
                sampler,
                |m, x| st.plain[m] += x,
            );
        }
        for (c, course) in s.courses.iter().enumerate() {
            self.queues[c] = course.initial_queue;
            self.pending_queue[c] = 0.0;
            self.classes[c].clear();
            self.training[c] = 0.0;
        }
        self.inflow_now.fill(0.0);
        self.promotion_share.fill(0.0);
        for (o, st) in self.level_tot.iter_mut().zip(&self.levels) {
            *o = st.total();
        }
        let zero = Flows::default();
        obs.month(&self.snapshot(s, s.start.plus(-1), 0.0, &zero));

        let horizon = s.horizon();
        for t in 0..horizon {
            let month = s.start.plus(t as i32);
            let r = &self.rates[self.distinct_of[t]];
            let now = &self.versions[self.period_of[t]];
            let mut f = Flows::default();
            self.start_levels.copy_from_slice(&self.level_tot);
            // Mentor slots from the start-of-month headcounts (docs/model.md, "Qualification").
            if qual_on {
                mentor_slots(&self.qual, &self.start_levels, &mut self.slots);
            }

            // 1. Levels.
            for oi in 0..nl {
                let l = self.order[oi];
                let cap = self.caps[l];
                let capu = cap as usize;
                let np = capu + 1;
                let st = &mut self.levels[l];
                // Sizes: the plain cells, then the clocked ones.
                self.n.clear();
                self.n.extend_from_slice(&st.plain);
                self.n.extend(st.clocked.iter().map(|c| c.n));
                let len = self.n.len();
                // The cells of each obligation variant in turn: the general
                // engine's cohorts of that variant, in the same order. It
                // keeps no empty cohort, but empty cells never change a
                // draw (the `Sampler::thin_each` contract), so with one
                // variant the cells go to the sampler as they are.
                let variant = |i: usize, clocked: &[Cell]| {
                    if i < np || clocked[i - np].obl_left == 0 {
                        0
                    } else {
                        clocked[i - np].obl_course as usize + 1
                    }
                };
                let one_variant = st.clocked.iter().all(|c| c.obl_left == 0);
                // The buffers only grow: zero-filling them for every level
                // and variant showed as a memset in the profile.
                if self.cidx.len() < len {
                    self.cidx.resize(len, 0);
                    self.cn.resize(len, 0.0);
                    self.leave.resize(len, 0.0);
                }
                // Whole people: sums of counts are exact in any order.
                let mut separations = 0.0;
                if one_variant {
                    let n = &mut self.n[..len];
                    let gout = &mut self.leave[..len];
                    separations += sampler.thin_each(n, r.leave[l * variants], gout);
                    // `n` then holds those who stay.
                    for (x, &o) in n.iter_mut().zip(gout.iter()) {
                        *x -= o;
                    }
                } else {
                    for v in 0..variants {
                        // Locals, not fields: a store through a field's buffer
                        // made the compiler reload every field's pointer and
                        // length on each cell (a quarter of the engine's time).
                        let n = &mut self.n[..len];
                        let cidx = &mut self.cidx[..len];
                        let cn = &mut self.cn[..len];
                        // Compacted without branching: whether a cell is empty
                        // is down to the draws, and a branch on it is often mispredicted.
                        let mut k = 0;
                        for (i, &x) in n.iter().enumerate() {
                            cidx[k] = i;
                            cn[k] = x;
                            k += usize::from(x > 0.0 && variant(i, &st.clocked) == v);
                        }
                        if k == 0 {
                            continue;
                        }
                        let gout = &mut self.leave[..k];
                        separations += sampler.thin_each(&cn[..k], r.leave[l * variants + v], gout);
                        // `n` then holds those who stay.
                        for (&i, &x) in cidx[..k].iter().zip(gout.iter()) {
                            n[i] -= x;
                        }
                    }
                }
                for (j, c) in st.clocked.iter().enumerate() {
                    let stay = &mut self.n[np + j];
                    if c.contract_left == 1 {
                        separations += *stay;
                        *stay = 0.0;
                    } else if c.obl_left == 1 {
                        let exit = sampler.thin(*stay, r.end_exit[c.obl_course as usize]);
                        separations += exit;
                        *stay -= exit;
                    }
                }
                f.separations += separations;

                // Promotion of the eligible (months in level at the cap).
                self.promotion_share[l] = 0.0;
                if let Some(to) = self.to[l] {
                    // The eligible cells that held someone at the start of
                    // the month (the general engine's eligible cohorts, some
                    // perhaps emptied by this month's exits).
                    self.idx.clear();
                    if st.plain[capu] > 0.0 {
                        self.idx.push(capu);
                    }
                    self.idx.extend(
                        st.clocked
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.mil == cap)
                            .map(|(j, _)| np + j),
                    );
                    self.gn.clear();
                    self.gn.extend(self.idx.iter().map(|&i| self.n[i]));
                    self.gout.clear();
                    self.gout.resize(self.idx.len(), 0.0);
                    let pool: f64 = self.gn.iter().sum();
                    let any_eligible = !self.idx.is_empty();
                    if self.vacancy[l] {
                        // Unqualified people hold posts too.
                        let there = self.levels[to].total()
                            + self.levels[to].entering()
                            + self.qual.unqualified(to);
                        let posts = now.authorised_in(to, month).unwrap_or(0.0);
                        let bound = (pool * r.promote[l]).floor();
                        let k = (posts - there).max(0.0).min(pool).min(bound);
                        let st = &self.levels[l];
                        vacancy_split(
                            &self.idx,
                            &self.gn,
                            k,
                            |i| {
                                if i < np {
                                    key(i as u16, 0, NO_COURSE, 0)
                                } else {
                                    st.clocked[i - np].key()
                                }
                            },
                            &mut self.groups,
                            &mut self.gout,
                        );
                    } else {
                        sampler.thin_each(&self.gn, r.promote[l], &mut self.gout);
                    }
                    let up_total: f64 = self.gout.iter().sum();
                    if any_eligible && pool > 0.0 {
                        self.promotion_share[l] = up_total / pool;
                    }
                    f.promotions += up_total;
                    self.promoted.clear();
                    for (&i, &up) in self.idx.iter().zip(&self.gout) {
                        if up <= 0.0 {
                            continue;
                        }
                        self.n[i] -= up;
                        let moved = if i < np {
                            Cell {
                                n: up,
                                mil: 0,
                                obl_left: 0,
                                obl_course: NO_COURSE,
                                contract_left: 0,
                            }
                        } else {
                            let mut c = self.levels[l].clocked[i - np].aged(0);
                            c.n = up;
                            c
                        };
                        if qual_on {
                            self.promoted.push(moved);
                            continue;
                        }
                        self.levels[to].add_entering(moved);
                    }
                    // Held for qualification in the general engine's order:
                    // the source level's cohorts by clocks.
                    self.promoted.sort_by_key(Cell::key);
                    for c in &self.promoted {
                        if self.qual.admit(to, true, c.cohort()).is_some() {
                            self.levels[to].add_entering(*c);
                        }
                    }
                }

                // Those who stay age one month.
                let st = &mut self.levels[l];
                if capu > 0 {
                    st.plain[capu] = self.n[capu] + self.n[capu - 1];
                    st.plain[1..capu].copy_from_slice(&self.n[..capu - 1]);
                    st.plain[0] = 0.0;
                } else {
                    st.plain[0] = self.n[0];
                }
                let mut kept = 0;
                for j in 0..st.clocked.len() {
                    let c = st.clocked[j];
                    let stay = self.n[np + j];
                    if c.contract_left == 1 || stay <= 0.0 {
                        continue;
                    }
                    let mut a = c.aged(cap);
                    a.n = stay;
                    if a.has_clock() {
                        st.clocked[kept] = a;
                        kept += 1;
                    } else {
                        st.plain[a.mil as usize] += stay;
                    }
                }
                st.clocked.truncate(kept);
            }

            // 1b. Qualification: the unqualified start, leave, qualify and
            //     age; the qualified join the level (whose step is done).
            if qual_on {
                for l in 0..nl {
                    let slots = self.slots[l];
                    let Some((q, p)) = &mut self.qual.levels[l] else {
                        continue;
                    };
                    let leave = |v: usize| r.leave[l * variants + v];
                    let exits = Exits {
                        leave: &leave,
                        end_exit: &r.end_exit,
                    };
                    self.done.clear();
                    self.qual.month[l] = p.step(
                        engine::clamp_u16(q.months),
                        slots,
                        self.caps[l],
                        &exits,
                        sampler,
                        &mut self.done,
                    );
                    f.separations += self.qual.month[l].left;
                    let st = &mut self.levels[l];
                    for c in &self.done {
                        let c = Cell::of(c);
                        if c.has_clock() {
                            st.clocked.push(c);
                        } else {
                            st.plain[c.mil as usize] += c.n;
                        }
                    }
                }
            }

            // 2. Courses.
            let mut instructors = 0.0;
            for (ci, course) in now.courses.iter().enumerate() {
                let classes = &mut self.classes[ci];
                if course.class_starts[month.month_of_year() as usize - 1] {
                    let running: f64 = classes.iter().map(|k| k.size).sum();
                    let instructor_capacity = match &course.instructors {
                        Some(i) => {
                            (i.max_share * self.start_levels[i.level] * i.students_per_instructor
                                - running)
                                .max(0.0)
                                .floor()
                        }
                        None => f64::INFINITY,
                    };
                    let seats = course.seats_per_class.min(instructor_capacity);
                    let queue = self.queues[ci];
                    let started = queue.min(seats);
                    let limit = if instructor_capacity < course.seats_per_class
                        && queue > instructor_capacity
                    {
                        ClassLimit::Instructors
                    } else if course.seats_per_class <= instructor_capacity
                        && queue > course.seats_per_class
                    {
                        ClassLimit::Seats
                    } else {
                        ClassLimit::None
                    };
                    obs.class(&ClassRecord {
                        course: ci,
                        month,
                        queue,
                        seats_per_class: course.seats_per_class,
                        instructor_capacity,
                        seats_offered: seats,
                        started,
                        limit,
                    });
                    self.queues[ci] -= started;
                    f.started += started;
                    if started > 0.0 {
                        classes.push_back(Class {
                            end: month.plus(course.length_months as i32 - 1),
                            size: started,
                        });
                    }
                }
                if let Some(i) = &course.instructors {
                    instructors +=
                        classes.iter().map(|k| k.size).sum::<f64>() / i.students_per_instructor;
                }
                let dropouts = sampler.thin(self.queues[ci], r.queue_dropout[ci]);
                self.queues[ci] -= dropouts;
                f.queue_dropouts += dropouts;
                while classes.front().is_some_and(|k| k.end == month) {
                    let k = classes.pop_front().expect("front checked");
                    let grads = sampler.thin(k.size, 1.0 - course.washout);
                    f.washout += k.size - grads;
                    match course.graduates_to {
                        Destination::Level(l) => {
                            f.graduated += grads;
                            let ob = course.obligation.months as u16;
                            let c = Cell {
                                n: grads,
                                mil: 0,
                                obl_left: ob,
                                obl_course: if ob > 0 { ci as u16 } else { NO_COURSE },
                                contract_left: 0,
                            };
                            if !qual_on || self.qual.admit(l, false, c.cohort()).is_some() {
                                self.levels[l].add_entering(c);
                            }
                        }
                        Destination::Course(k2) => {
                            f.chained += grads;
                            self.pending_queue[k2] += grads;
                        }
                    }
                }
            }

            // 3. Inflows.
            for (k, inflow) in s.inflows.iter().enumerate() {
                let n = sampler.arrivals(self.inflow_mean[k * horizon + t]);
                self.inflow_now[k] = n;
                match inflow.to {
                    Destination::Course(c) => {
                        self.pending_queue[c] += n;
                        f.queued += n;
                    }
                    Destination::Level(l) => {
                        f.lateral += n;
                        let c = Cell {
                            n,
                            mil: 0,
                            obl_left: 0,
                            obl_course: NO_COURSE,
                            contract_left: inflow.term_months.unwrap_or(0) as u16,
                        };
                        if !qual_on || self.qual.admit(l, false, c.cohort()).is_some() {
                            self.levels[l].add_entering(c);
                        }
                    }
                }
            }
            for c in 0..s.courses.len() {
                self.queues[c] += self.pending_queue[c];
                self.pending_queue[c] = 0.0;
            }
            for st in &mut self.levels {
                st.plain[0] += st.enter_plain;
                st.enter_plain = 0.0;
                st.clocked.append(&mut st.enter_clocked);
            }

            // 4. Events.
            for &i in &self.events_at[t] {
                let e = &s.events[i];
                let l = e.level;
                let st = &mut self.levels[l];
                let qualifying = s.levels[l].qualification.is_some();
                if e.change >= 0.0 && qualifying {
                    // Additions wait for mentors, in the order they are placed.
                    self.added.clear();
                    let added = &mut self.added;
                    place(
                        e.change,
                        e.tenure.as_ref(),
                        self.caps[l],
                        sampler,
                        |m, x| added.push((m, x)),
                    );
                    for &(m, x) in &self.added {
                        let c = Cell {
                            n: x,
                            mil: m as u16,
                            obl_left: 0,
                            obl_course: NO_COURSE,
                            contract_left: 0,
                        };
                        self.qual.admit(l, false, c.cohort());
                    }
                    f.events += e.change;
                } else if e.change >= 0.0 {
                    place(
                        e.change,
                        e.tenure.as_ref(),
                        self.caps[l],
                        sampler,
                        |m, x| st.plain[m] += x,
                    );
                    f.events += e.change;
                } else {
                    let have = st.total() + self.qual.unqualified(l);
                    let want = -e.change;
                    if want >= have {
                        if want > have {
                            obs.warning(format!(
                                "event in {month} removes {want} from level '{}', which has only {have:.1}: the level is emptied",
                                s.levels[l].name
                            ));
                        }
                        st.plain.fill(0.0);
                        st.clocked.clear();
                        if let Some((_, p)) = &mut self.qual.levels[l] {
                            p.clear();
                        }
                        f.events -= have;
                    } else if let (true, Some((_, p))) = (qualifying, &mut self.qual.levels[l]) {
                        // The unqualified are removed in proportion too, as
                        // separate groups after the level's cohorts.
                        remove_with_pipeline(st, p, want, &mut self.groups, &mut self.gn);
                        f.events -= want;
                    } else {
                        remove_proportionally(st, want, &mut self.groups, &mut self.gn);
                        f.events -= want;
                    }
                }
            }

            for (o, st) in self.level_tot.iter_mut().zip(&self.levels) {
                *o = st.total();
            }
            if qual_on {
                self.qual.settle(&mut self.level_tot);
            }
            for (o, k) in self.training.iter_mut().zip(&self.classes) {
                *o = k.iter().map(|k| k.size).sum();
            }
            obs.month(&self.snapshot(s, month, instructors, &f));
        }
    }
}

impl LevelState {
    fn add_entering(&mut self, c: Cell) {
        if c.n <= 0.0 {
            return;
        }
        if c.has_clock() {
            self.enter_clocked.push(c);
        } else {
            self.enter_plain += c.n;
        }
    }
}

/// Each qualifying level's mentor slots this month from the start-of-month
/// headcounts `levels`: [`QualState::capacities`] into a reused buffer.
fn mentor_slots(qual: &QualState, levels: &[f64], out: &mut [f64]) {
    for (o, x) in out.iter_mut().zip(&qual.levels) {
        *o = match x {
            Some((q, _)) => {
                let mentors: f64 = q
                    .mentors
                    .iter()
                    .map(|&m| levels[m] - qual.unqualified(m))
                    .sum();
                q.per_mentor * mentors.max(0.0)
            }
            None => 0.0,
        };
    }
}

/// The counted total of `docs/model.md` ("The total and milestones").
fn counted(
    s: &Scenario,
    levels: &[f64],
    queues: &[f64],
    training: &[f64],
    qm: &[QualMonth],
) -> f64 {
    let mut t: f64 = s.target.levels.iter().map(|&l| levels[l]).sum();
    if s.target.count_qualified {
        t -= s
            .target
            .levels
            .iter()
            .map(|&l| qm[l].unqualified())
            .sum::<f64>();
    }
    if s.target.queue {
        t += queues.iter().sum::<f64>();
    }
    if s.target.training {
        t += training.iter().sum::<f64>();
    }
    t
}

/// Places `n` people in a level at once with the months they have served
/// (`None`: eligible at once); a list of shares is a multinomial draw, a
/// binomial per share among those not yet placed (docs/model.md, "Time in post").
fn place<S: Sampler>(
    n: f64,
    tenure: Option<&Tenure>,
    cap: u16,
    sampler: &mut S,
    mut put: impl FnMut(usize, f64),
) {
    let at = |months: u32| (months.min(cap as u32)) as usize;
    match tenure {
        None => put(cap as usize, n),
        Some(Tenure::Months(m)) => put(at(*m), n),
        Some(Tenure::Shares(shares)) => {
            let mut left = n;
            let mut share_left = 1.0;
            for (k, &q) in shares.iter().enumerate() {
                if left <= 0.0 {
                    break;
                }
                let take = if k + 1 == shares.len() || q >= share_left {
                    left
                } else {
                    sampler.thin(left, q / share_left)
                };
                share_left -= q;
                left -= take;
                put(at(k as u32), take);
            }
        }
    }
}

/// Merges the entries `idx` (with sizes `n`, and clocks `key_of(idx)`) by
/// clocks in the reference's cohort order: `groups` gets (key, size, first
/// position) per distinct key, sorted by key.
fn group_by_key(
    idx: &[usize],
    n: &[f64],
    key_of: impl Fn(usize) -> u64,
    groups: &mut Vec<(u64, f64, usize)>,
) {
    groups.clear();
    for (pos, (&i, &x)) in idx.iter().zip(n).enumerate() {
        let k = key_of(i);
        match groups.iter_mut().find(|g| g.0 == k) {
            Some(g) => g.1 += x,
            None => groups.push((k, x, pos)),
        }
    }
    groups.sort_by_key(|g| g.0);
}

/// A vacancy promotion's `k` people among the eligible entries `idx` (sizes
/// `n`): split among the cohorts merged by clocks by largest remainder, as
/// the reference does, then within a cohort among its entries in order
/// (people with the same clocks are interchangeable). Result in `out`.
fn vacancy_split(
    idx: &[usize],
    n: &[f64],
    k: f64,
    key_of: impl Fn(usize) -> u64,
    groups: &mut Vec<(u64, f64, usize)>,
    out: &mut [f64],
) {
    out.fill(0.0);
    if k <= 0.0 {
        return;
    }
    group_by_key(idx, n, &key_of, groups);
    let sizes: Vec<f64> = groups.iter().map(|g| g.1).collect();
    let mut up = vec![0.0; sizes.len()];
    engine::allocate(&sizes, k, true, &mut up);
    for (g, &u) in groups.iter().zip(&up) {
        let mut left = u;
        for (pos, &i) in idx.iter().enumerate() {
            if left <= 0.0 {
                break;
            }
            if key_of(i) == g.0 {
                let take = left.min(n[pos]);
                out[pos] = take;
                left -= take;
            }
        }
    }
}

/// Removes `k` people from a level in proportion to its cohorts (merged by
/// clocks, in the reference's order), whole people by largest remainder,
/// ties to the earlier cohort: the reference's `remove_proportionally`.
fn remove_proportionally(
    st: &mut LevelState,
    k: f64,
    groups: &mut Vec<(u64, f64, usize)>,
    sizes: &mut Vec<f64>,
) {
    let np = st.plain.len();
    sizes.clear();
    sizes.extend_from_slice(&st.plain);
    sizes.extend(st.clocked.iter().map(|c| c.n));
    let idx: Vec<usize> = (0..sizes.len()).filter(|&i| sizes[i] > 0.0).collect();
    let n: Vec<f64> = idx.iter().map(|&i| sizes[i]).collect();
    let key_of = |i: usize| {
        if i < np {
            key(i as u16, 0, NO_COURSE, 0)
        } else {
            st.clocked[i - np].key()
        }
    };
    group_by_key(&idx, &n, key_of, groups);
    let total: f64 = groups.iter().map(|g| g.1).sum();
    if total <= 0.0 || k <= 0.0 {
        return;
    }
    let mut take: Vec<f64> = Vec::with_capacity(groups.len());
    let mut rema: Vec<(usize, f64)> = Vec::with_capacity(groups.len());
    let mut removed = 0.0;
    for (g, grp) in groups.iter().enumerate() {
        let exact = grp.1 * k / total;
        let whole = exact.floor();
        take.push(whole);
        removed += whole;
        rema.push((g, exact - whole));
    }
    rema.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut left = (k - removed).round() as usize;
    for (g, _) in rema {
        if left == 0 {
            break;
        }
        if groups[g].1 - take[g] >= 1.0 {
            take[g] += 1.0;
            left -= 1;
        }
    }
    let keys: Vec<u64> = idx.iter().map(|&i| key_of(i)).collect();
    take_by_group(st, sizes, &idx, &keys, groups, |g, _| take[g]);
}

/// Takes from each group of cells (by clocks key) the people `take(g,
/// group)` says, from its cells in the reference's order, and writes the
/// sizes back to the level (dropping emptied clocked cells).
fn take_by_group(
    st: &mut LevelState,
    sizes: &mut [f64],
    idx: &[usize],
    keys: &[u64],
    groups: &[(u64, f64, usize)],
    take: impl Fn(usize, &(u64, f64, usize)) -> f64,
) {
    for (g, grp) in groups.iter().enumerate() {
        let mut left = take(g, grp);
        for (pos, &i) in idx.iter().enumerate() {
            if left <= 0.0 {
                break;
            }
            if keys[pos] == grp.0 {
                let x = left.min(sizes[i]);
                sizes[i] -= x;
                left -= x;
            }
        }
    }
    let np = st.plain.len();
    st.plain.copy_from_slice(&sizes[..np]);
    for (c, &x) in st.clocked.iter_mut().zip(&sizes[np..]) {
        c.n = x;
    }
    st.clocked.retain(|c| c.n > 0.0);
}

/// An event's removal of `k` from a qualifying level: the level's cells
/// merged by clocks (the general engine's cohort list) and the unqualified
/// groups, in proportion, by the general engine's own
/// [`Pipeline::remove_with`](crate::engine::qualification::Pipeline::remove_with).
fn remove_with_pipeline(
    st: &mut LevelState,
    p: &mut crate::engine::qualification::Pipeline,
    k: f64,
    groups: &mut Vec<(u64, f64, usize)>,
    sizes: &mut Vec<f64>,
) {
    let np = st.plain.len();
    sizes.clear();
    sizes.extend_from_slice(&st.plain);
    sizes.extend(st.clocked.iter().map(|c| c.n));
    let idx: Vec<usize> = (0..sizes.len()).filter(|&i| sizes[i] > 0.0).collect();
    let n: Vec<f64> = idx.iter().map(|&i| sizes[i]).collect();
    let clocked = &st.clocked;
    let key_of = |i: usize| {
        if i < np {
            key(i as u16, 0, NO_COURSE, 0)
        } else {
            clocked[i - np].key()
        }
    };
    group_by_key(&idx, &n, key_of, groups);
    let mut list: Vec<Cohort> = groups
        .iter()
        .map(|g| {
            Cohort::new(
                g.1,
                Clocks {
                    mil: (g.0 >> 48) as u16,
                    obl_left: (g.0 >> 32) as u16,
                    obl_course: (g.0 >> 16) as u16,
                    contract_left: g.0 as u16,
                },
            )
        })
        .collect();
    p.remove_with(&mut list, k, true, engine::remove_proportionally);
    let keys: Vec<u64> = idx.iter().map(|&i| key_of(i)).collect();
    take_by_group(st, sizes, &idx, &keys, groups, |_, grp| {
        grp.1 - list.iter().find(|c| c.key() == grp.0).map_or(0.0, |c| c.n)
    });
}

/// One whole-person run of `s` with the fast engine (a fresh workspace: for
/// tests and one-off runs; the Monte Carlo keeps one per worker).
pub fn simulate<S: Sampler, O: Observer>(s: &Scenario, sampler: &mut S, obs: &mut O) {
    Workspace::new(s, Vec::new()).run(s, sampler, obs);
}

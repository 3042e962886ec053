//! On-the-job qualification limited by mentors (docs/model.md,
//! "Qualification"). People who join a level with a `qualification` table
//! are held here, out of the level's cohort list, until they qualify: they
//! count in the level's headcount but cannot be promoted. Everything is a
//! small step over [`Pipeline`], generic over the [`Sampler`], so another
//! engine can run the same step; `simulate` calls it at hook points marked
//! `QUALIFICATION HOOK`.

use super::{Cohort, Sampler, NO_COURSE};
use crate::scenario::{Qualification, Scenario};
use std::collections::VecDeque;

/// The unqualified people of one level.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pipeline {
    /// Waiting for a mentor slot, longest-waiting first.
    waiting: VecDeque<Cohort>,
    /// In qualification, earliest start first, with the months each group has completed.
    training: VecDeque<(Cohort, u16)>,
    /// Joined during this month: they start waiting at its end ([`Pipeline::settle`]).
    arriving: Vec<Cohort>,
    /// Scratch for the month's exits, kept to allocate nothing per month.
    exits: ExitScratch,
}

/// Buffers for [`Pipeline::step`]'s exits.
#[derive(Debug, Clone, Default)]
struct ExitScratch {
    /// Per group (waiting, then in qualification): its size, then its leavers.
    n: Vec<f64>,
    gone: Vec<f64>,
    /// Per group: its obligation variant, `usize::MAX` once drawn.
    variant: Vec<usize>,
    /// One variant's groups: positions, sizes, leavers.
    idx: Vec<usize>,
    gn: Vec<f64>,
    gout: Vec<f64>,
}

/// One level's qualification in a month, for the outputs.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QualMonth {
    /// Unqualified people waiting for a mentor slot at the end of the month.
    pub waiting: f64,
    /// People in qualification at the end of the month.
    pub in_qualification: f64,
    /// Mentor slots this month: per_mentor × qualified mentors at the start of the month.
    pub capacity: f64,
    /// People who started qualification this month.
    pub started: f64,
    /// People who qualified at the end of the month.
    pub qualified: f64,
    /// Unqualified people who left this month (part of `separations`).
    pub left: f64,
    /// Whether people were left waiting for want of a mentor slot.
    pub limited: bool,
}

impl QualMonth {
    /// All unqualified people: waiting or in qualification.
    pub fn unqualified(&self) -> f64 {
        self.waiting + self.in_qualification
    }
}

/// Exit probabilities of unqualified people: those of the level's cohorts.
pub(crate) struct Exits<'a> {
    /// Monthly leaving probability of a cohort with obligation variant v
    /// (0 = free, course + 1 = obligated by that course).
    pub leave: &'a dyn Fn(usize) -> f64,
    /// Per course: fraction leaving at the end of its obligation.
    pub end_exit: &'a [f64],
}

impl Pipeline {
    /// Unqualified people now (those arriving this month included).
    pub fn unqualified(&self) -> f64 {
        // Folded from +0.0: an empty `sum` of floats is -0.0, printed "-0".
        let n = |c: &Cohort| c.n;
        self.waiting.iter().map(n).fold(0.0, |a, x| a + x)
            + self
                .training
                .iter()
                .map(|(c, _)| c.n)
                .fold(0.0, |a, x| a + x)
            + self.arriving.iter().map(n).fold(0.0, |a, x| a + x)
    }

    fn in_qualification(&self) -> f64 {
        self.training.iter().fold(0.0, |a, (c, _)| a + c.n)
    }

    fn waiting(&self) -> f64 {
        self.waiting.iter().fold(0.0, |a, c| a + c.n)
    }

    /// A cohort joins the level unqualified (it waits from the end of the month).
    pub fn admit(&mut self, c: Cohort) {
        if c.n > 0.0 {
            self.arriving.push(c);
        }
    }

    /// End of month: this month's joiners join the back of the waiting line, in arrival order.
    pub fn settle(&mut self) {
        self.waiting.extend(self.arriving.drain(..));
    }

    /// The month's step, in the order of docs/model.md: starts (first come,
    /// first served, up to `capacity` people in qualification at once), then
    /// exits as in the level's cohorts, then one month of qualification
    /// credited (groups completing `months` join `qualified`), then ageing.
    /// Returns the month's figures; the leavers are its `left`.
    pub fn step<S: Sampler>(
        &mut self,
        months: u16,
        capacity: f64,
        cap: u16,
        exits: &Exits<'_>,
        sampler: &mut S,
        qualified: &mut Vec<Cohort>,
    ) -> QualMonth {
        let capacity = if sampler.integer() {
            capacity.floor()
        } else {
            capacity
        };
        let started = self.start(capacity);
        // Anyone still waiting after the starts waits for want of a slot.
        let limited = self.waiting() > 0.0;
        let mut done = 0.0;
        let left = self.exits(exits, sampler);
        for (c, m) in self.training.iter_mut() {
            *m += 1;
            *c = age(*c, cap);
            if *m >= months {
                done += c.n;
                if c.n > 0.0 {
                    qualified.push(*c);
                }
                c.n = 0.0;
            }
        }
        for c in self.waiting.iter_mut() {
            *c = age(*c, cap);
        }
        self.waiting.retain(|c| c.n > 0.0);
        self.training.retain(|(c, _)| c.n > 0.0);
        QualMonth {
            waiting: self.waiting(),
            in_qualification: self.in_qualification(),
            capacity,
            started,
            qualified: done,
            left,
            limited,
        }
    }

    /// Moves waiting people, front first, into the free slots; returns how many started.
    fn start(&mut self, capacity: f64) -> f64 {
        let mut free = (capacity - self.in_qualification()).max(0.0);
        let mut started = 0.0;
        while free > 0.0 {
            let Some(front) = self.waiting.front_mut() else {
                break;
            };
            let take = front.n.min(free);
            let mut c = *front;
            c.n = take;
            front.n -= take;
            if front.n <= 0.0 {
                self.waiting.pop_front();
            }
            self.training.push_back((c, 0));
            free -= take;
            started += take;
        }
        started
    }

    /// Removes `k` of the level's `list` and its unqualified people in
    /// proportion to every group (an event's removal): the same allocation as
    /// one list with the unqualified groups after the qualified cohorts.
    pub fn remove_with(
        &mut self,
        list: &mut Vec<Cohort>,
        k: f64,
        integer: bool,
        remove: impl Fn(&mut [Cohort], f64, bool),
    ) {
        self.settle();
        let nq = list.len();
        let nw = self.waiting.len();
        list.extend(self.waiting.iter().copied());
        list.extend(self.training.iter().map(|(c, _)| *c));
        remove(list, k, integer);
        for (w, c) in self.waiting.iter_mut().zip(&list[nq..nq + nw]) {
            *w = *c;
        }
        for ((t, _), c) in self.training.iter_mut().zip(&list[nq + nw..]) {
            *t = *c;
        }
        list.truncate(nq);
        list.retain(|c| c.n > 0.0);
        self.waiting.retain(|c| c.n > 0.0);
        self.training.retain(|(c, _)| c.n > 0.0);
    }

    /// Everyone unqualified leaves (an event empties the level).
    pub fn clear(&mut self) {
        self.waiting.clear();
        self.training.clear();
        self.arriving.clear();
    }
}

impl Pipeline {
    /// The month's exits of every unqualified group (waiting, then in
    /// qualification), taken out of them: attrition, then a contract's or an
    /// obligation's end, as for the level's cohorts. Attrition is drawn for
    /// all groups of one obligation variant at once ([`Sampler::thin_each`],
    /// as the level's cohorts are): the same law as a binomial per group, but
    /// a waiting line and a year of monthly starts are a dozen or more groups
    /// whose few leavers one draw and a split find at a fraction of the cost.
    /// Returns how many left.
    fn exits<S: Sampler>(&mut self, exits: &Exits<'_>, sampler: &mut S) -> f64 {
        let x = &mut self.exits;
        x.n.clear();
        x.n.extend(self.waiting.iter().map(|c| c.n));
        x.n.extend(self.training.iter().map(|(c, _)| c.n));
        let variant = |c: &Cohort| {
            if c.obl_left() > 0 {
                c.obl_course() as usize + 1
            } else {
                0
            }
        };
        x.variant.clear();
        x.variant.extend(self.waiting.iter().map(variant));
        x.variant
            .extend(self.training.iter().map(|(c, _)| variant(c)));
        let len = x.n.len();
        x.gone.clear();
        x.gone.resize(len, 0.0);
        for first in 0..len {
            let v = x.variant[first];
            if v == usize::MAX || x.n[first] <= 0.0 {
                continue;
            }
            x.idx.clear();
            for i in first..len {
                if x.variant[i] == v && x.n[i] > 0.0 {
                    x.idx.push(i);
                    x.variant[i] = usize::MAX;
                }
            }
            x.gn.clear();
            x.gn.extend(x.idx.iter().map(|&i| x.n[i]));
            x.gout.clear();
            x.gout.resize(x.idx.len(), 0.0);
            sampler.thin_each(&x.gn, (exits.leave)(v), &mut x.gout);
            for (&i, &g) in x.idx.iter().zip(&x.gout) {
                x.gone[i] = g;
            }
        }
        let mut left = 0.0;
        let groups = self
            .waiting
            .iter_mut()
            .chain(self.training.iter_mut().map(|(c, _)| c));
        for ((c, &n), &attrition) in groups.zip(&x.n).zip(&x.gone) {
            if n <= 0.0 {
                continue;
            }
            let mut gone = attrition;
            let mut stay = n - gone;
            if c.contract_left() == 1 {
                gone += stay;
                stay = 0.0;
            } else if c.obl_left() == 1 {
                let exit = sampler.thin(stay, exits.end_exit[c.obl_course() as usize]);
                gone += exit;
                stay -= exit;
            }
            c.n = stay;
            left += gone;
        }
        left
    }
}

/// A cohort one month older: months in level (capped at `cap`) up, obligation and contract down.
fn age(c: Cohort, cap: u16) -> Cohort {
    let obl_left = c.obl_left().saturating_sub(1);
    Cohort::new(
        c.n,
        super::Clocks {
            mil: (c.mil() + 1).min(cap),
            obl_left,
            obl_course: if obl_left > 0 {
                c.obl_course()
            } else {
                NO_COURSE
            },
            contract_left: c.contract_left().saturating_sub(1),
        },
    )
}

/// Every level's pipeline, with its rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct QualState {
    /// Per level: its rules and pipeline, `None` without qualification.
    pub levels: Vec<Option<(Qualification, Pipeline)>>,
    /// Per level: the month's figures (zeros without qualification).
    pub month: Vec<QualMonth>,
}

impl QualState {
    pub fn new(s: &Scenario) -> QualState {
        QualState {
            levels: s
                .levels
                .iter()
                .map(|l| l.qualification.clone().map(|q| (q, Pipeline::default())))
                .collect(),
            month: vec![QualMonth::default(); s.levels.len()],
        }
    }

    /// Whether any level has qualification (nothing here runs otherwise).
    pub fn active(&self) -> bool {
        self.levels.iter().any(Option::is_some)
    }

    /// Routes a cohort joining level `l`: `None` when it is held here
    /// (unqualified), else the cohort back, to join the level's cohorts.
    /// `promoted`: it comes by promotion.
    #[inline]
    pub fn admit(&mut self, l: usize, promoted: bool, c: Cohort) -> Option<Cohort> {
        match self.levels.get_mut(l) {
            Some(Some((q, p))) if !promoted || q.promoted_in => {
                p.admit(c);
                None
            }
            _ => Some(c),
        }
    }

    /// Unqualified people of level `l` now.
    pub fn unqualified(&self, l: usize) -> f64 {
        match &self.levels[l] {
            Some((_, p)) => p.unqualified(),
            None => 0.0,
        }
    }

    /// Per qualifying level, its mentor slots this month from the start-of-month
    /// headcounts `levels` (which include the unqualified): per_mentor × the
    /// mentor levels' qualified people.
    pub fn capacities(&self, levels: &[f64]) -> Vec<f64> {
        self.levels
            .iter()
            .map(|x| match x {
                Some((q, _)) => {
                    let mentors: f64 = q
                        .mentors
                        .iter()
                        .map(|&m| levels[m] - self.unqualified(m))
                        .sum();
                    q.per_mentor * mentors.max(0.0)
                }
                None => 0.0,
            })
            .collect()
    }

    /// Adds each level's unqualified people to its headcount `levels`, and
    /// moves this month's joiners into the waiting line.
    pub fn settle(&mut self, levels: &mut [f64]) {
        for (l, x) in self.levels.iter_mut().enumerate() {
            if let Some((_, p)) = x {
                p.settle();
                levels[l] += p.unqualified();
                self.month[l].waiting = p.waiting();
                self.month[l].in_qualification = p.in_qualification();
            }
        }
    }
}

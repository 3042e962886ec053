//! The monthly projection. One step function serves the deterministic
//! projection (expected values) and the Monte Carlo (whole people); see
//! `docs/model.md` for the order of operations, which this file follows.

pub mod qualification;
pub mod rates;
pub mod sampler;

use crate::month::Month;
use crate::scenario::{Destination, Scenario, Tenure};
pub use qualification::QualMonth;
use qualification::{Exits, QualState};
use rates::HorizonRates;
pub use rates::MonthRates;
pub use sampler::{Expected, Sampler, Stochastic};
use serde::Serialize;

/// Flows of one month, in people. Washouts and queue dropouts leave the system
/// but are not `separations`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Flows {
    /// Inflow entrants joining course queues.
    pub queued: f64,
    /// Trainees starting classes.
    pub started: f64,
    /// Graduates joining levels.
    pub graduated: f64,
    /// Graduates joining another course's queue.
    pub chained: f64,
    pub washout: f64,
    pub queue_dropouts: f64,
    /// Inflow entrants joining levels directly.
    pub lateral: f64,
    /// Net people added by events.
    pub events: f64,
    /// People leaving levels: attrition, contract ends, obligation-end exits.
    pub separations: f64,
    pub promotions: f64,
}

/// Why a class started with fewer trainees than `seats_per_class`... or didn't.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassLimit {
    /// Everyone waiting got a seat.
    None,
    /// `seats_per_class` bound: people were left waiting.
    Seats,
    /// Instructor capacity cut the seats below `seats_per_class` and people were left waiting.
    Instructors,
}

/// One class start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassRecord {
    pub course: usize,
    pub month: Month,
    pub queue: f64,
    pub seats_per_class: f64,
    /// Seats the instructors could teach (infinite when the course has no instructor limit).
    pub instructor_capacity: f64,
    pub seats_offered: f64,
    pub started: f64,
    pub limit: ClassLimit,
}

/// The state at the end of a month (or the initial state) with that month's flows.
pub struct Snapshot<'a> {
    pub month: Month,
    pub total: f64,
    pub levels: &'a [f64],
    pub queues: &'a [f64],
    pub training: &'a [f64],
    /// Instructors teaching during the month: students in running classes / students_per_instructor.
    pub instructors: f64,
    pub flows: &'a Flows,
    /// Entrants of each inflow channel this month.
    pub inflows: &'a [f64],
    /// Per level: the share of its eligible people (those still there after
    /// the month's exits) promoted this month; 0 when none were eligible.
    pub promotion_share: &'a [f64],
    /// Per level: its on-the-job qualification this month (zeros without).
    pub qualification: &'a [QualMonth],
}

/// Receives what the engine computes; the projection keeps everything, the
/// Monte Carlo only what it summarises.
pub trait Observer {
    fn month(&mut self, snap: &Snapshot<'_>);
    fn class(&mut self, _record: &ClassRecord) {}
    fn warning(&mut self, _message: String) {}
}

const NO_COURSE: u16 = u16::MAX;

/// A group of people in one level who share their clocks.
///
/// The clocks are kept packed in one integer, ordered as the tuple (months in
/// level, obligation months left, obligation course, contract months left):
/// merging compares them every month, and a cohort written whole can be read
/// back whole (writing the four fields one by one and then reading them as one
/// integer stalls the processor).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cohort {
    pub(crate) n: f64,
    key: u64,
}

/// A cohort's clocks, unpacked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Clocks {
    /// Months in the level, capped at the level's `after_months` (so capped = eligible).
    pub(crate) mil: u16,
    /// Obligated months left, counting the coming month; 0 = not obligated.
    pub(crate) obl_left: u16,
    /// Course whose obligation applies (its factor and end exit).
    pub(crate) obl_course: u16,
    /// Contract months left, counting the coming month; 0 = no contract.
    pub(crate) contract_left: u16,
}

impl Cohort {
    #[inline]
    pub(crate) fn new(n: f64, c: Clocks) -> Cohort {
        Cohort {
            n,
            key: (c.mil as u64) << 48
                | (c.obl_left as u64) << 32
                | (c.obl_course as u64) << 16
                | c.contract_left as u64,
        }
    }
    /// The clocks as one integer that orders cohorts by (mil, obl_left, obl_course, contract_left).
    #[inline]
    pub(crate) fn key(&self) -> u64 {
        self.key
    }
    #[inline]
    pub(crate) fn mil(&self) -> u16 {
        (self.key >> 48) as u16
    }
    #[inline]
    pub(crate) fn obl_left(&self) -> u16 {
        (self.key >> 32) as u16
    }
    #[inline]
    pub(crate) fn obl_course(&self) -> u16 {
        (self.key >> 16) as u16
    }
    #[inline]
    pub(crate) fn contract_left(&self) -> u16 {
        self.key as u16
    }
}

#[derive(Debug, Clone, Copy)]
struct Class {
    end: Month,
    size: f64,
}

/// Reusable buffers for the level step, so a month allocates nothing.
#[derive(Default)]
struct Scratch {
    /// Per cohort of the level being stepped: its size, then (in place) those who stay.
    stay: Vec<f64>,
    leave: Vec<f64>,
    up: Vec<f64>,
    /// One obligation variant's cohorts: indices, sizes, draws.
    idx: Vec<usize>,
    n: Vec<f64>,
    out: Vec<f64>,
}

/// Cohorts per level the buffers start with room for: growing a vector
/// from empty reallocates it several times, in every Monte Carlo run.
const COHORTS_RESERVED: usize = 64;

impl Scratch {
    fn with_capacity(n: usize) -> Scratch {
        Scratch {
            stay: Vec::with_capacity(n),
            leave: Vec::with_capacity(n),
            up: Vec::with_capacity(n),
            ..Scratch::default()
        }
    }

    /// Draws the leavers of the cohorts whose obligation variant is `v`, all
    /// at once (`thin_each`), into `self.leave`.
    fn leave_variant<S: Sampler>(&mut self, sampler: &mut S, p: f64, pick: impl Fn(usize) -> bool) {
        self.idx.clear();
        self.idx.extend((0..self.stay.len()).filter(|&i| pick(i)));
        if self.idx.is_empty() {
            return;
        }
        self.n.clear();
        self.n.extend(self.idx.iter().map(|&i| self.stay[i]));
        self.out.clear();
        self.out.resize(self.idx.len(), 0.0);
        sampler.thin_each(&self.n, p, &mut self.out);
        for (&i, &x) in self.idx.iter().zip(&self.out) {
            self.leave[i] = x;
        }
    }
}

pub(crate) fn clamp_u16(x: u32) -> u16 {
    x.min(u16::MAX as u32) as u16
}

/// Adds `c` to a level's cohort list (merged later).
#[inline]
fn push(list: &mut Vec<Cohort>, c: Cohort) {
    if c.n > 0.0 {
        list.push(c);
    }
}

/// Adds `c` to a level's entering cohorts (merged at month end).
#[inline]
fn enter(list: &mut Vec<Entering>, after: bool, c: Cohort) {
    if c.n > 0.0 {
        list.push(Entering { after, cohort: c });
    }
}

/// Adds `n` people placed in a level at once (the initial stock, an event's
/// additions) with the months they have already served: `None` = eligible
/// at once. Months in level are capped at `cap` as every cohort's are. A list
/// of shares is split in expected values exactly, and among whole people by
/// a multinomial draw (a binomial per share, of those not yet placed), whose
/// expected counts are the same. The list is left unmerged.
fn place<S: Sampler>(
    list: &mut Vec<Cohort>,
    n: f64,
    tenure: Option<&Tenure>,
    cap: u16,
    sampler: &mut S,
) {
    let cohort = |n: f64, months: u32| {
        Cohort::new(
            n,
            Clocks {
                mil: clamp_u16(months).min(cap),
                obl_left: 0,
                obl_course: NO_COURSE,
                contract_left: 0,
            },
        )
    };
    match tenure {
        None => push(list, cohort(n, cap as u32)),
        Some(Tenure::Months(m)) => push(list, cohort(n, *m)),
        Some(Tenure::Shares(shares)) => {
            let mut left = n;
            let mut share_left = 1.0;
            for (k, &q) in shares.iter().enumerate() {
                if left <= 0.0 {
                    break;
                }
                let take = if !sampler.integer() {
                    n * q
                } else if k + 1 == shares.len() || q >= share_left {
                    left
                } else {
                    sampler.thin(left, q / share_left)
                };
                share_left -= q;
                left -= take;
                push(list, cohort(take, k as u32));
            }
        }
    }
}

/// The order in which levels are stepped: file order, or, with a vacancy
/// promotion, top down (every level after the level it promotes to, file
/// order among equals), so a vacancy opened by a promotion out of a level is
/// seen by the level below in the same month.
pub(crate) fn step_order(s: &Scenario) -> Vec<usize> {
    let n = s.levels.len();
    if !s.has_vacancy_promotion() {
        return (0..n).collect();
    }
    // Steps to the top of each level's promotion chain (chains do not cycle).
    let depth = |mut l: usize| {
        let mut d = 0;
        while let Some(p) = &s.levels[l].promotion {
            l = p.to;
            d += 1;
            if d > n {
                break;
            }
        }
        d
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&l| depth(l));
    order
}

/// Splits `k` promotions among eligible cohorts of sizes `n`, in proportion;
/// whole people by largest remainder (ties to the earlier cohort).
pub(crate) fn allocate(n: &[f64], k: f64, integer: bool, out: &mut [f64]) {
    let total: f64 = n.iter().sum();
    if total <= 0.0 || k <= 0.0 {
        out.iter_mut().for_each(|o| *o = 0.0);
        return;
    }
    let share = k / total;
    for (o, &x) in out.iter_mut().zip(n) {
        *o = if share >= 1.0 { x } else { x * share };
    }
    if !integer || share >= 1.0 {
        return;
    }
    let mut given = 0.0;
    let mut rema: Vec<(usize, f64)> = Vec::with_capacity(n.len());
    for (i, o) in out.iter_mut().enumerate() {
        let whole = o.floor();
        rema.push((i, *o - whole));
        *o = whole;
        given += whole;
    }
    rema.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut left = (k - given).round() as usize;
    for (i, _) in rema {
        if left == 0 {
            break;
        }
        if out[i] < n[i] {
            out[i] += 1.0;
            left -= 1;
        }
    }
}

/// Merges cohorts that share all clocks. The sort is stable, so cohorts with
/// the same clocks are summed in the order they were added.
fn merge(list: &mut Vec<Cohort>) {
    list.sort_by_key(Cohort::key);
    let mut out = 0;
    for i in 0..list.len() {
        if out > 0 && list[out - 1].key() == list[i].key() {
            list[out - 1].n += list[i].n;
        } else {
            list[out] = list[i];
            out += 1;
        }
    }
    list.truncate(out);
}

/// A cohort entering a level this month (promoted in, graduated, or arrived),
/// and whether it was added after the level's own cohorts were stepped.
#[derive(Debug, Clone, Copy)]
struct Entering {
    after: bool,
    cohort: Cohort,
}

/// Merges a level's stepped cohorts `list` (in the order they were stepped)
/// with those entering it, dropping empty ones; `spare` is a buffer.
///
/// The result, sums included, is what a stable sort of everything in the order
/// it was added followed by [`merge`] gives: entering cohorts added before the
/// level was stepped (promotions from levels stepped earlier) come first among
/// equal clocks, then the stayers, then the rest. But it costs one pass: the
/// stayers are already in order (stepping keeps it, up to the clock changes a
/// sort then fixes), and the entering cohorts are few.
fn merge_month(list: &mut Vec<Cohort>, entering: &mut [Entering], spare: &mut Vec<Cohort>) {
    // Whether a cohort is empty is down to the month's random draws: decided
    // without branching, which the processor would often mispredict.
    let mut kept = 0;
    for i in 0..list.len() {
        let c = list[i];
        list[kept] = c;
        kept += (c.n > 0.0) as usize;
    }
    list.truncate(kept);
    if !list.is_sorted_by_key(Cohort::key) {
        list.sort_by_key(Cohort::key);
    }
    // Stable insertion sort: a handful of entries.
    for i in 1..entering.len() {
        let e = entering[i];
        let mut j = i;
        while j > 0
            && (entering[j - 1].cohort.key(), entering[j - 1].after) > (e.cohort.key(), e.after)
        {
            entering[j] = entering[j - 1];
            j -= 1;
        }
        entering[j] = e;
    }
    let out = spare;
    out.clear();
    out.reserve(list.len() + entering.len());
    // The cohort being summed is kept out of `out` until a different one
    // comes: in memory, each addition would wait on the one before.
    let mut cur: Option<Cohort> = None;
    let mut add = |c: Cohort| match &mut cur {
        Some(x) if x.key == c.key => x.n += c.n,
        _ => {
            if let Some(x) = cur.replace(c) {
                out.push(x);
            }
        }
    };
    let mut j = 0;
    for &c in list.iter() {
        while let Some(x) = entering.get(j) {
            let k = x.cohort.key();
            if k < c.key || (k == c.key && !x.after) {
                add(x.cohort);
                j += 1;
            } else {
                break;
            }
        }
        add(c);
    }
    for x in &entering[j..] {
        add(x.cohort);
    }
    out.extend(cur);
    std::mem::swap(list, out);
}

/// Removes `k` people from a level proportionally to its cohorts. Whole people
/// are allocated by largest remainder, ties to the earlier cohort.
pub(crate) fn remove_proportionally(list: &mut [Cohort], k: f64, integer: bool) {
    let total: f64 = list.iter().map(|c| c.n).sum();
    if total <= 0.0 || k <= 0.0 {
        return;
    }
    if !integer {
        let keep = 1.0 - k / total;
        for c in list.iter_mut() {
            c.n *= keep;
        }
        return;
    }
    let mut removed = 0.0;
    let mut rema: Vec<(usize, f64)> = Vec::with_capacity(list.len());
    for (i, c) in list.iter_mut().enumerate() {
        let exact = c.n * k / total;
        let take = exact.floor();
        c.n -= take;
        removed += take;
        rema.push((i, exact - take));
    }
    rema.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut left = (k - removed).round() as usize;
    for (i, _) in rema {
        if left == 0 {
            break;
        }
        if list[i].n >= 1.0 {
            list[i].n -= 1.0;
            left -= 1;
        }
    }
}

/// Runs the scenario month by month, reporting to `obs`.
pub fn simulate<S: Sampler, O: Observer>(s: &Scenario, sampler: &mut S, obs: &mut O) {
    let rates = HorizonRates::new(s);
    let nl = s.levels.len();
    let nc = s.courses.len();
    let integer = sampler.integer();
    let caps: Vec<u16> = rates
        .unshocked()
        .cap
        .iter()
        .map(|&c| clamp_u16(c))
        .collect();

    let mut cohorts: Vec<Vec<Cohort>> = s
        .levels
        .iter()
        .enumerate()
        .map(|(l, lv)| {
            let mut v = Vec::with_capacity(COHORTS_RESERVED);
            place(
                &mut v,
                lv.initial,
                lv.initial_tenure.as_ref(),
                caps[l],
                sampler,
            );
            merge(&mut v);
            v
        })
        .collect();
    // This month's entrants of each level, merged at month end.
    let mut spare: Vec<Cohort> = Vec::with_capacity(COHORTS_RESERVED);
    let mut entering: Vec<Vec<Entering>> = vec![Vec::with_capacity(8); nl];
    let mut queues: Vec<f64> = s.courses.iter().map(|c| c.initial_queue).collect();
    let mut classes: Vec<std::collections::VecDeque<Class>> = vec![Default::default(); nc];
    let mut level_tot = vec![0.0; nl];
    let mut training = vec![0.0; nc];
    let mut pending_queue = vec![0.0; nc];
    let mut inflow_now = vec![0.0; s.inflows.len()];
    let mut promotion_share = vec![0.0; nl];
    let mut start_levels = vec![0.0; nl];
    let mut sc = Scratch::with_capacity(COHORTS_RESERVED);
    let order = step_order(s);
    // QUALIFICATION HOOK (state): joiners of qualifying levels are held here
    // until qualified; without any `qualification` table nothing below
    // touches it, and runs are as before.
    let mut qual = QualState::new(s);
    let qual_on = qual.active();
    // Whether each level has been stepped this month.
    let mut stepped = vec![false; nl];

    let totals = |cohorts: &[Vec<Cohort>], out: &mut [f64]| {
        for (o, list) in out.iter_mut().zip(cohorts) {
            *o = list.iter().map(|c| c.n).sum();
        }
    };
    let counted = |levels: &[f64], queues: &[f64], training: &[f64], qm: &[QualMonth]| {
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
    };

    totals(&cohorts, &mut level_tot);
    let zero = Flows::default();
    obs.month(&Snapshot {
        month: s.start.plus(-1),
        total: counted(&level_tot, &queues, &training, &qual.month),
        levels: &level_tot,
        queues: &queues,
        training: &training,
        instructors: 0.0,
        flows: &zero,
        inflows: &inflow_now,
        promotion_share: &promotion_share,
        qualification: &qual.month,
    });

    for t in 0..s.horizon() {
        let month = s.start.plus(t as i32);
        let r = rates.month(t);
        let mut f = Flows::default();
        // Start-of-month headcounts: instructor capacity is based on these.
        start_levels.copy_from_slice(&level_tot);
        // QUALIFICATION HOOK (mentor slots): from the start-of-month headcounts.
        let mentor_slots = if qual_on {
            qual.capacities(&start_levels)
        } else {
            Vec::new()
        };

        // 1. Levels: attrition, then contract and obligation ends, then promotion.
        //    Each step is drawn for all cohorts that share its probability at
        //    once (`thin_each`); flows are then added cohort by cohort in list
        //    order, so expected values are summed exactly as one cohort at a time.
        let now = rates.scenario(t);
        stepped.iter_mut().for_each(|x| *x = false);
        for &l in &order {
            let promote_to = r.to[l];
            let cap = caps[l];
            let mut list = std::mem::take(&mut cohorts[l]);
            let len = list.len();
            debug_assert!(
                list.is_sorted_by_key(Cohort::key),
                "cohorts are kept merged"
            );
            sc.stay.clear();
            sc.stay.extend(list.iter().map(|c| c.n));
            // Not cleared: every entry is drawn below (each cohort has one obligation variant).
            sc.leave.resize(len, 0.0);
            if list.iter().all(|c| c.obl_left() == 0) {
                sampler.thin_each(&sc.stay, r.leave_variant(l, 0), &mut sc.leave);
            } else {
                let variant = |c: &Cohort| {
                    if c.obl_left() > 0 {
                        c.obl_course() as usize + 1
                    } else {
                        0
                    }
                };
                for v in 0..r.variants() {
                    sc.leave_variant(sampler, r.leave_variant(l, v), |i| variant(&list[i]) == v);
                }
            }
            // Sums are kept in locals: the compiler would otherwise store the
            // running total back after every cohort.
            let mut separations = f.separations;
            for ((c, &leave), stay) in list.iter().zip(&sc.leave).zip(sc.stay.iter_mut()) {
                separations += leave;
                *stay -= leave;
                if c.contract_left() == 1 {
                    separations += *stay;
                    *stay = 0.0;
                } else if c.obl_left() == 1 {
                    let exit = sampler.thin(*stay, r.end_exit[c.obl_course() as usize]);
                    separations += exit;
                    *stay -= exit;
                }
            }
            f.separations = separations;
            // Cohorts are sorted by months in level first, so the eligible ones
            // (months capped at `after_months`) are the end of the list. Those
            // whose contract just ended have no one left to promote.
            let eligible = match promote_to {
                Some(_) => list.partition_point(|c| c.mil() < cap),
                None => len,
            };
            // Not cleared: only the eligible entries are drawn, and only they are read.
            sc.up.resize(len, 0.0);
            if eligible < len {
                match (promote_to, r.vacancy[l]) {
                    (Some(to), true) => {
                        // The target was stepped already (top down): its
                        // stock after its own exits and promotions out, plus
                        // anyone promoted into it this month by a level stepped before.
                        // Unqualified people hold posts too (QUALIFICATION HOOK).
                        let there: f64 = cohorts[to].iter().map(|c| c.n).sum::<f64>()
                            + entering[to].iter().map(|e| e.cohort.n).sum::<f64>()
                            + qual.unqualified(to);
                        let posts = now.authorised_in(to, month).unwrap_or(0.0);
                        let can = &sc.stay[eligible..];
                        let pool: f64 = can.iter().sum();
                        let mut bound = pool * r.promote[l];
                        if integer {
                            bound = bound.floor();
                        }
                        let k = (posts - there).max(0.0).min(pool).min(bound);
                        allocate(can, k, integer, &mut sc.up[eligible..]);
                    }
                    _ => {
                        sampler.thin_each(
                            &sc.stay[eligible..],
                            r.promote[l],
                            &mut sc.up[eligible..],
                        );
                    }
                }
            }
            promotion_share[l] = if promote_to.is_some() && eligible < len {
                let pool: f64 = sc.stay[eligible..].iter().sum();
                let up: f64 = sc.up[eligible..].iter().sum();
                if pool > 0.0 {
                    up / pool
                } else {
                    0.0
                }
            } else {
                0.0
            };
            // The cohorts step in place; those left empty (or whose contract
            // ended) are dropped when the month's lists are merged.
            let mut promotions = f.promotions;
            for (i, c) in list.iter_mut().enumerate() {
                if c.contract_left() == 1 {
                    c.n = 0.0;
                    continue;
                }
                let mut stay = sc.stay[i];
                let obl_left = c.obl_left().saturating_sub(1);
                let contract_left = c.contract_left().saturating_sub(1);
                let obl_course = if obl_left > 0 {
                    c.obl_course()
                } else {
                    NO_COURSE
                };
                if let (Some(to), true) = (promote_to, i >= eligible) {
                    let up = sc.up[i];
                    stay -= up;
                    promotions += up;
                    let c = Cohort::new(
                        up,
                        Clocks {
                            mil: 0,
                            obl_left,
                            obl_course,
                            contract_left,
                        },
                    );
                    // QUALIFICATION HOOK (joiners): held if they must qualify.
                    if let Some(c) = qual.admit(to, true, c) {
                        enter(&mut entering[to], stepped[to], c);
                    }
                }
                *c = Cohort::new(
                    stay,
                    Clocks {
                        mil: (c.mil() + 1).min(cap),
                        obl_left,
                        obl_course,
                        contract_left,
                    },
                );
            }
            f.promotions = promotions;
            cohorts[l] = list;
            stepped[l] = true;
        }

        // 1b. QUALIFICATION HOOK (step): the unqualified of each qualifying
        //     level start, leave, qualify and age; the qualified join the
        //     level's cohorts at the end of the month.
        if qual_on {
            for l in 0..nl {
                let Some((q, p)) = &mut qual.levels[l] else {
                    continue;
                };
                let leave = |v: usize| r.leave_variant(l, v);
                let exits = Exits {
                    leave: &leave,
                    end_exit: &r.end_exit,
                };
                let mut done = Vec::new();
                qual.month[l] = p.step(
                    clamp_u16(q.months),
                    mentor_slots[l],
                    caps[l],
                    &exits,
                    sampler,
                    &mut done,
                );
                f.separations += qual.month[l].left;
                for c in done {
                    enter(&mut entering[l], true, c);
                }
            }
        }

        // 2. Courses: class starts from the start-of-month queue, queue dropouts
        //    among those still waiting, graduations at the end of the month.
        let mut instructors = 0.0;
        for (ci, course) in now.courses.iter().enumerate() {
            let running: f64 = classes[ci].iter().map(|k| k.size).sum();
            if course.class_starts[month.month_of_year() as usize - 1] {
                let instructor_capacity = match &course.instructors {
                    Some(i) => {
                        let cap = (i.max_share * start_levels[i.level] * i.students_per_instructor
                            - running)
                            .max(0.0);
                        if integer {
                            cap.floor()
                        } else {
                            cap
                        }
                    }
                    None => f64::INFINITY,
                };
                let seats = course.seats_per_class.min(instructor_capacity);
                let queue = queues[ci];
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
                queues[ci] -= started;
                f.started += started;
                if started > 0.0 {
                    classes[ci].push_back(Class {
                        end: month.plus(course.length_months as i32 - 1),
                        size: started,
                    });
                }
            }
            if let Some(i) = &course.instructors {
                instructors +=
                    classes[ci].iter().map(|k| k.size).sum::<f64>() / i.students_per_instructor;
            }
            let dropouts = sampler.thin(queues[ci], r.queue_dropout[ci]);
            queues[ci] -= dropouts;
            f.queue_dropouts += dropouts;
            while classes[ci].front().is_some_and(|k| k.end == month) {
                let k = classes[ci].pop_front().expect("front checked");
                let grads = sampler.thin(k.size, 1.0 - course.washout);
                f.washout += k.size - grads;
                match course.graduates_to {
                    Destination::Level(l) => {
                        f.graduated += grads;
                        let ob = course.obligation.months;
                        let c = Cohort::new(
                            grads,
                            Clocks {
                                mil: 0,
                                obl_left: clamp_u16(ob),
                                obl_course: if ob > 0 { ci as u16 } else { NO_COURSE },
                                contract_left: 0,
                            },
                        );
                        // QUALIFICATION HOOK (joiners).
                        if let Some(c) = qual.admit(l, false, c) {
                            enter(&mut entering[l], true, c);
                        }
                    }
                    Destination::Course(k2) => {
                        f.chained += grads;
                        pending_queue[k2] += grads;
                    }
                }
            }
        }

        // 3. Inflows arrive at the end of the month.
        for (k, inflow) in s.inflows.iter().enumerate() {
            let n = sampler.arrivals(rates.inflow[k][t]);
            inflow_now[k] = n;
            match inflow.to {
                Destination::Course(c) => {
                    pending_queue[c] += n;
                    f.queued += n;
                }
                Destination::Level(l) => {
                    f.lateral += n;
                    let c = Cohort::new(
                        n,
                        Clocks {
                            mil: 0,
                            obl_left: 0,
                            obl_course: NO_COURSE,
                            contract_left: clamp_u16(inflow.term_months.unwrap_or(0)),
                        },
                    );
                    // QUALIFICATION HOOK (joiners).
                    if let Some(c) = qual.admit(l, false, c) {
                        enter(&mut entering[l], true, c);
                    }
                }
            }
        }
        for c in 0..nc {
            queues[c] += pending_queue[c];
            pending_queue[c] = 0.0;
        }
        for l in 0..nl {
            merge_month(&mut cohorts[l], &mut entering[l], &mut spare);
            entering[l].clear();
        }

        // 4. Events, last: they act on the end-of-month state.
        for e in s.events.iter().filter(|e| e.date == month) {
            let l = e.level;
            let qualifying = qual_on && s.levels[l].qualification.is_some();
            if e.change >= 0.0 && qualifying {
                // QUALIFICATION HOOK (joiners): additions wait for mentors.
                let mut added = Vec::new();
                place(&mut added, e.change, e.tenure.as_ref(), caps[l], sampler);
                for c in added {
                    qual.admit(l, false, c);
                }
                f.events += e.change;
            } else if e.change >= 0.0 {
                place(
                    &mut cohorts[l],
                    e.change,
                    e.tenure.as_ref(),
                    caps[l],
                    sampler,
                );
                merge(&mut cohorts[l]);
                f.events += e.change;
            } else {
                let have: f64 = cohorts[l].iter().map(|c| c.n).sum::<f64>() + qual.unqualified(l);
                let want = -e.change;
                if want >= have {
                    if want > have {
                        obs.warning(format!(
                            "event in {month} removes {want} from level '{}', which has only {have:.1}: the level is emptied",
                            s.levels[l].name
                        ));
                    }
                    cohorts[l].clear();
                    if let Some((_, p)) = &mut qual.levels[l] {
                        p.clear();
                    }
                    f.events -= have;
                } else if let (true, Some((_, p))) = (qualifying, &mut qual.levels[l]) {
                    // QUALIFICATION HOOK: the unqualified are removed in proportion too.
                    p.remove_with(&mut cohorts[l], want, integer, remove_proportionally);
                    f.events -= want;
                } else {
                    remove_proportionally(&mut cohorts[l], want, integer);
                    cohorts[l].retain(|c| c.n > 0.0);
                    f.events -= want;
                }
            }
        }

        totals(&cohorts, &mut level_tot);
        // QUALIFICATION HOOK (headcounts): the unqualified are in post too.
        if qual_on {
            qual.settle(&mut level_tot);
        }
        for (ci, k) in classes.iter().enumerate() {
            training[ci] = k.iter().map(|k| k.size).sum();
        }
        obs.month(&Snapshot {
            month,
            total: counted(&level_tot, &queues, &training, &qual.month),
            levels: &level_tot,
            queues: &queues,
            training: &training,
            instructors,
            flows: &f,
            inflows: &inflow_now,
            promotion_share: &promotion_share,
            qualification: &qual.month,
        });
    }
}

/// One month of a projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub month: Month,
    pub fiscal_year: i32,
    pub total: f64,
    pub levels: Vec<f64>,
    pub queues: Vec<f64>,
    pub training: Vec<f64>,
    pub instructors: f64,
    pub flows: Flows,
    pub inflows: Vec<f64>,
    /// Per level: the share of its eligible people promoted this month.
    pub promotion_share: Vec<f64>,
    /// Per level: on-the-job qualification this month (zeros without).
    pub qualification: Vec<QualMonth>,
}

impl Row {
    pub fn queue(&self) -> f64 {
        self.queues.iter().sum()
    }
    pub fn training_total(&self) -> f64 {
        self.training.iter().sum()
    }
    pub fn in_levels(&self) -> f64 {
        self.levels.iter().sum()
    }
}

/// A deterministic (expected-value) projection: every month and every class.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// The initial state first (labelled with the month before `start`), then one row a month.
    pub rows: Vec<Row>,
    pub classes: Vec<ClassRecord>,
    pub warnings: Vec<String>,
}

struct Keep<'s> {
    fy_start: u32,
    out: &'s mut Projection,
}

impl Observer for Keep<'_> {
    fn month(&mut self, snap: &Snapshot<'_>) {
        self.out.rows.push(Row {
            month: snap.month,
            fiscal_year: snap.month.fiscal_year(self.fy_start),
            total: snap.total,
            levels: snap.levels.to_vec(),
            queues: snap.queues.to_vec(),
            training: snap.training.to_vec(),
            instructors: snap.instructors,
            flows: *snap.flows,
            inflows: snap.inflows.to_vec(),
            promotion_share: snap.promotion_share.to_vec(),
            qualification: snap.qualification.to_vec(),
        });
    }
    fn class(&mut self, record: &ClassRecord) {
        self.out.classes.push(record.clone());
    }
    fn warning(&mut self, message: String) {
        self.out.warnings.push(message);
    }
}

/// The expected-value projection of a scenario.
pub fn project(s: &Scenario) -> Projection {
    let mut out = Projection {
        rows: Vec::with_capacity(s.horizon() + 1),
        classes: Vec::new(),
        warnings: Vec::new(),
    };
    simulate(
        s,
        &mut Expected,
        &mut Keep {
            fy_start: s.fy_start_month,
            out: &mut out,
        },
    );
    out
}

impl Projection {
    pub fn final_row(&self) -> &Row {
        self.rows
            .last()
            .expect("a projection has at least its initial row")
    }

    /// The row at the end of `month`, if simulated (or the initial row's label).
    pub fn at(&self, month: Month) -> Option<&Row> {
        let first = self.rows.first()?.month;
        let i = month.since(first);
        if i < 0 {
            return None;
        }
        self.rows.get(i as usize)
    }

    /// First month whose total reaches `target`.
    pub fn first_month_reaching(&self, target: f64) -> Option<Month> {
        self.rows
            .iter()
            .find(|r| r.total >= target)
            .map(|r| r.month)
    }
}

#[cfg(test)]
mod tests;

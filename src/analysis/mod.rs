//! Career and steady-state analysis of the level chain (`forcecast analyze`):
//! Markov manpower theory on exactly the engine's monthly dynamics. See
//! `docs/markov.md` for the construction and the formulas.
//!
//! - [`chain`] builds the monthly transition matrix `Q` over sub-states.
//! - [`entry`] turns the plan's last fiscal year of inflows into arrivals.
//! - this module computes expected careers, reach probabilities, the steady
//!   state and the inflow that sustains the final milestone.
//! - [`report`] renders the console report.

pub mod chain;
pub mod entry;
pub mod report;

pub use crate::engine::MonthRates;
pub use chain::{transitions, Chain, ChainError, Clock, State};
pub use entry::EntryMix;

use crate::format::people;
use crate::month::Month;
use crate::scenario::Scenario;
use indexmap::IndexMap;
use nalgebra::DVector;
use serde::Serialize;

/// How far ahead the convergence check looks before giving up (100 years).
pub const MAX_CONVERGENCE_MONTHS: usize = 1200;
/// "Within 5 %": the level headcounts' total absolute difference from the
/// steady state, as a share of the steady-state headcount.
pub const CONVERGED_WITHIN: f64 = 0.05;

/// Everything `markov.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct Markov {
    pub scenario: String,
    pub config_hash: String,
    /// The month whose rates (shocks included) build the chain.
    pub at: Month,
    /// The fiscal year whose inflows make the entry mix.
    pub fiscal_year: i32,
    /// Number of sub-states of the chain.
    pub sub_states: usize,
    pub levels: Vec<String>,
    /// Levels counted in the target total.
    pub counted: Vec<String>,
    /// `expected_months[from][level]`: months an entrant at `from` (new,
    /// unobligated) is expected to spend in `level`.
    pub expected_months: IndexMap<String, IndexMap<String, f64>>,
    /// Months an entrant at each level is expected to serve until leaving.
    pub expected_career_months: IndexMap<String, f64>,
    /// `probability_reach[from][level]`: probability that an entrant at
    /// `from` is ever in `level`.
    pub probability_reach: IndexMap<String, IndexMap<String, f64>>,
    /// The same for each inflow channel's actual arrival sub-state.
    pub entry_channels: Vec<ChannelResult>,
    pub steady_state: SteadyState,
    /// Absent when the scenario has no milestone or its last year's inflows
    /// bring nobody into the counted levels.
    pub sustainment: Option<Sustainment>,
    /// Per level: what happens within 12 months to a person eligible for
    /// promotion, unobligated, in the level at the start of the year.
    pub yearly_split: IndexMap<String, YearlySplit>,
    /// Vacancy-driven promotions, with the monthly share the chain uses for
    /// each (absent without any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vacancy_promotions: Vec<VacancyShare>,
    pub assumptions: Vec<String>,
}

/// Shares of a year's fate; they sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearlySplit {
    /// Still in the level after 12 months.
    pub stayed: f64,
    /// Promoted out of it within the 12 months.
    pub promoted: f64,
    /// Left the organisation from it within the 12 months.
    pub left: f64,
}

/// A vacancy promotion made state-independent for the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VacancyShare {
    pub level: String,
    pub to: String,
    /// The share of eligible people the projection promotes in the `at`
    /// month: the chain's monthly promotion probability.
    pub monthly_share: f64,
    /// The bound `rate` puts on it (1 without a rate).
    pub monthly_bound: f64,
}

/// Annual `attrition` and `promotion.rate` whose [`yearly_split`] is the
/// crude yearly shares given (of those in a level at the start of a year:
/// still there, promoted, left; any scale, normalised). With S, P, X the
/// shares and s = S^(1/12) the monthly chance of staying put, the monthly
/// probabilities are m_leave = (1 − s) X / (1 − S) and the promotion
/// probability of those who stayed m_up = (1 − s) P / (1 − S) / (1 − m_leave):
/// then (1 − m_leave)(1 − m_up) = s, and the promoted share of the 1 − S who
/// move is P / (1 − S) every month, so over 12 months it is P.
pub fn rates_from_split(stayed: f64, promoted: f64, left: f64) -> Result<(f64, f64), String> {
    let all = [stayed, promoted, left];
    if all.iter().any(|x| !x.is_finite() || *x < 0.0) {
        return Err("shares must be numbers >= 0".into());
    }
    let sum: f64 = all.iter().sum();
    if sum <= 0.0 {
        return Err("the shares sum to 0".into());
    }
    let (big_s, p, x) = (stayed / sum, promoted / sum, left / sum);
    if big_s <= 0.0 {
        return Err("nobody stays a whole year: give a share that stayed above 0".into());
    }
    if big_s >= 1.0 {
        return Ok((0.0, 0.0));
    }
    let s = big_s.powf(1.0 / 12.0);
    let m_leave = (1.0 - s) * x / (1.0 - big_s);
    let m_up = (1.0 - s) * p / (1.0 - big_s) / (1.0 - m_leave);
    let annual = |m: f64| 1.0 - (1.0 - m).powi(12);
    Ok((annual(m_leave), annual(m_up)))
}

/// The yearly split of a person eligible and unobligated in `level` at the
/// start of a year, under `rates` held for 12 months: each month they leave
/// with the level's leaving probability, then, if they stayed, are promoted
/// with its promotion probability (the engine's order).
pub fn yearly_split(rates: &MonthRates, level: usize) -> YearlySplit {
    let m_leave = rates.leave(level);
    let m_up = if rates.to[level].is_some() {
        rates.promote[level]
    } else {
        0.0
    };
    let (mut stayed, mut promoted, mut left) = (1.0, 0.0, 0.0);
    for _ in 0..12 {
        let out = stayed * m_leave;
        left += out;
        stayed -= out;
        let up = stayed * m_up;
        promoted += up;
        stayed -= up;
    }
    YearlySplit {
        stayed,
        promoted,
        left,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelResult {
    pub inflow: String,
    /// The level its people arrive in.
    pub level: String,
    /// The course they graduate from, for a course channel.
    pub via: Option<String>,
    pub obligation_months: Option<u32>,
    pub term_months: Option<u32>,
    /// Expected entrants of the inflow in the fiscal year.
    pub intake_per_year: f64,
    /// Of those, arriving in the level per year.
    pub entrants_per_year: f64,
    pub expected_career_months: f64,
    pub expected_months: IndexMap<String, f64>,
    pub probability_reach: IndexMap<String, f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SteadyState {
    /// People arriving in levels per year from the fiscal year's inflows.
    pub entrants_per_year: f64,
    /// Headcount per level that these inflows lead to (end of month).
    pub levels: IndexMap<String, f64>,
    /// The counted total of `levels`.
    pub total: f64,
    /// The state the convergence is measured from: the projection's end.
    pub from: Month,
    pub from_levels: IndexMap<String, f64>,
    /// Months after `from` until the level headcounts are within 5 % of the
    /// steady state; absent if not within 100 years (or no steady state).
    pub months_to_within_5pct: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sustainment {
    /// The final milestone's headcount, held in steady state.
    pub headcount: f64,
    pub milestone: Month,
    /// People arriving in levels per year, in the entry mix.
    pub entrants_per_year: f64,
    /// The part of it that comes through courses.
    pub graduates_per_year: f64,
    /// The part of it that enters levels directly.
    pub direct_per_year: f64,
    /// Trainees starting classes per year, all courses (graduates before washout).
    pub seats_per_year: f64,
    /// Entrants of all inflows per year, before queue dropouts and washout.
    pub intake_per_year: f64,
    /// The sustaining inflow as a multiple of the fiscal year's inflows.
    pub scale: f64,
    /// People the plan's last fiscal year brings into levels.
    pub plan_entrants_per_year: f64,
    /// The steady state held (sums to `headcount` over the counted levels).
    pub levels: IndexMap<String, f64>,
    pub courses: Vec<CourseNeed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CourseNeed {
    pub course: String,
    /// Trainees starting classes per year.
    pub seats_per_year: f64,
    /// Seats per year if every class fills (`seats_per_class` x class starts).
    pub offered_seats_per_year: f64,
    pub graduates_per_year: f64,
}

/// The chain at `at` with the last fiscal year's entry mix, and its steady state.
struct Core {
    rates: MonthRates,
    /// Vacancy promotions: (level, share used, bound).
    vacancy: Vec<(usize, f64, f64)>,
    mix: EntryMix,
    chain: Chain,
    /// Monthly arrivals by sub-state.
    entry: DVector<f64>,
    steady: DVector<f64>,
}

impl Core {
    fn new(s: &Scenario, at: Month) -> Result<Core, String> {
        let mut rates = MonthRates::new(s, at);
        // A vacancy promotion depends on the target's stock, so the chain
        // (a fixed matrix) takes the share the projection promotes in `at`.
        let mut vacancy = Vec::new();
        if s.has_vacancy_promotion() {
            let p = crate::engine::project(s);
            let row = p
                .at(at)
                .ok_or_else(|| format!("{at} is not in the projection"))?;
            for l in 0..s.levels.len() {
                if rates.vacancy[l] && rates.to[l].is_some() {
                    vacancy.push((l, row.promotion_share[l], rates.promote[l]));
                    rates.promote[l] = row.promotion_share[l];
                }
            }
        }
        // Inflow plans and course rates as `[[changes]]` set them in `at`, like the rates.
        let mix = EntryMix::new(&s.in_effect(at), s.end.fiscal_year(s.fy_start_month));
        let mut roots: Vec<State> = (0..s.levels.len())
            .map(|l| State::joining(l, rates.qualify[l]))
            .collect();
        // The eligible, unobligated, qualified sub-states hold the engine's initial stock.
        roots.extend((0..s.levels.len()).map(|l| State {
            level: l,
            mil: rates.cap[l],
            clock: Clock::Free,
            qual: 0,
        }));
        roots.extend(mix.channels.iter().map(|c| c.state));
        let chain =
            Chain::build(&rates, s.levels.len(), &roots).map_err(|e| chain_error(s, at, e))?;
        let mut entry = DVector::zeros(chain.len());
        for c in &mix.channels {
            if let Some(i) = chain.index_of(c.state) {
                entry[i] += c.arrivals / 12.0;
            }
        }
        let steady = chain.solve(&entry);
        Ok(Core {
            rates,
            vacancy,
            mix,
            chain,
            entry,
            steady,
        })
    }

    /// The counted total of the chain vector `x`: the counted levels, only
    /// their qualified people with `count_qualified`.
    fn counted(&self, s: &Scenario, x: &DVector<f64>) -> f64 {
        let levels = if s.target.count_qualified {
            self.chain.qualified_by_level(x)
        } else {
            self.chain.by_level(x)
        };
        s.target.levels.iter().map(|&l| levels[l]).sum()
    }
}

fn chain_error(s: &Scenario, at: Month, e: ChainError) -> String {
    match e {
        ChainError::Closed { level } => {
            let lv = &s.levels[level];
            let shock = s.shock_factor(level, at);
            let shock = if shock != 1.0 { format!(", shock factor {shock} in {at}") } else { String::new() };
            format!(
                "levels.{}: nobody leaves this level (attrition {}{shock}) and nobody is promoted out of it, \
                 so careers there never end and expected months and the steady state are unbounded; \
                 give it an attrition above 0 or a promotion",
                lv.name, lv.attrition
            )
        }
        ChainError::Cycle => "the level chain has a cycle other than staying put; promotion cycles should have been rejected".into(),
    }
}

fn by_name(s: &Scenario, v: &[f64]) -> IndexMap<String, f64> {
    s.levels
        .iter()
        .zip(v)
        .map(|(l, &x)| (l.name.clone(), x))
        .collect()
}

/// The career analysis of `s` at the rates of `at`. `plan_end` is the
/// projection's final month and level headcounts, from which convergence to
/// the steady state is measured.
pub fn analyze(s: &Scenario, at: Month, plan_end: (Month, &[f64])) -> Result<Markov, String> {
    let core = Core::new(s, at)?;
    let chain = &core.chain;
    let names: Vec<String> = s.levels.iter().map(|l| l.name.clone()).collect();

    // One row of the fundamental matrix per entry sub-state.
    let career = |st: State| {
        let visits = chain.solve(&chain.unit(st, 1.0));
        let months = chain.by_level(&visits);
        let reach = chain.entries_by_level(st, &visits);
        (months.iter().sum::<f64>(), months, reach)
    };
    let mut expected_months = IndexMap::new();
    let mut expected_career_months = IndexMap::new();
    let mut probability_reach = IndexMap::new();
    for (l, name) in names.iter().enumerate() {
        let (total, months, reach) = career(State::joining(l, core.rates.qualify[l]));
        expected_months.insert(name.clone(), by_name(s, &months));
        expected_career_months.insert(name.clone(), total);
        probability_reach.insert(name.clone(), by_name(s, &reach));
    }
    let entry_channels = core
        .mix
        .channels
        .iter()
        .map(|c| {
            let (total, months, reach) = career(c.state);
            ChannelResult {
                inflow: s.inflows[c.inflow].name.clone(),
                level: names[c.state.level].clone(),
                via: c.via.map(|k| s.courses[k].name.clone()),
                obligation_months: match c.state.clock {
                    Clock::Obligated { left, .. } => Some(left),
                    _ => None,
                },
                term_months: match c.state.clock {
                    Clock::Contract { left } => Some(left),
                    _ => None,
                },
                intake_per_year: c.intake,
                entrants_per_year: c.arrivals,
                expected_career_months: total,
                expected_months: by_name(s, &months),
                probability_reach: by_name(s, &reach),
            }
        })
        .collect();

    let steady_levels = chain.by_level(&core.steady);
    let steady_total = core.counted(s, &core.steady);
    let (from, from_levels) = plan_end;
    let steady_state = SteadyState {
        entrants_per_year: core.mix.arrivals(),
        levels: by_name(s, &steady_levels),
        total: steady_total,
        from,
        from_levels: by_name(s, from_levels),
        months_to_within_5pct: months_to_converge(&core, from_levels),
    };

    Ok(Markov {
        scenario: s.name.clone(),
        config_hash: String::new(),
        at,
        fiscal_year: core.mix.fiscal_year,
        sub_states: chain.len(),
        levels: names.clone(),
        counted: s.target.levels.iter().map(|&l| names[l].clone()).collect(),
        expected_months,
        expected_career_months,
        probability_reach,
        entry_channels,
        sustainment: sustainment(s, &core),
        steady_state,
        yearly_split: names
            .iter()
            .enumerate()
            .map(|(l, n)| (n.clone(), yearly_split(&core.rates, l)))
            .collect(),
        vacancy_promotions: core
            .vacancy
            .iter()
            .map(|&(l, share, bound)| VacancyShare {
                level: names[l].clone(),
                to: names[core.rates.to[l].unwrap_or(l)].clone(),
                monthly_share: share,
                monthly_bound: bound,
            })
            .collect(),
        assumptions: {
            let mut a = assumptions(s, at, core.mix.fiscal_year);
            a.extend(mentor_check(s, &core));
            a
        },
    })
}

/// Months until people placed as `start` (eligible and unobligated, as the
/// engine places initial stock) come within 5 % of the steady state.
fn months_to_converge(core: &Core, start: &[f64]) -> Option<usize> {
    let chain = &core.chain;
    let target = chain.by_level(&core.steady);
    let scale: f64 = target.iter().sum();
    if scale <= 0.0 {
        return None;
    }
    let mut x = DVector::zeros(chain.len());
    for (l, &n) in start.iter().enumerate() {
        let i = chain.index_of(State {
            level: l,
            mil: core.rates.cap[l],
            clock: Clock::Free,
            qual: 0,
        })?;
        x[i] += n;
    }
    let mut y = x.clone();
    let mut levels = vec![0.0; chain.n_levels];
    for t in 0..=MAX_CONVERGENCE_MONTHS {
        chain.by_level_into(x.as_slice(), &mut levels);
        let gap: f64 = levels.iter().zip(&target).map(|(a, b)| (a - b).abs()).sum();
        if gap <= CONVERGED_WITHIN * scale {
            return Some(t);
        }
        chain.step_into(x.as_slice(), y.as_mut_slice());
        y += &core.entry;
        std::mem::swap(&mut x, &mut y);
    }
    None
}

/// The chain lets every joiner start qualifying at once. Whether the
/// steady state's mentors could carry that: per qualifying level, its people
/// in qualification against `per_mentor` × the mentor levels' qualified
/// people (the long-run mentor count, as instructors are assumed not to bind).
fn mentor_check(s: &Scenario, core: &Core) -> Vec<String> {
    let chain = &core.chain;
    let all = chain.by_level(&core.steady);
    let qualified = chain.qualified_by_level(&core.steady);
    s.levels
        .iter()
        .enumerate()
        .filter_map(|(l, lv)| {
            let q = lv.qualification.as_ref()?;
            let in_qualification = all[l] - qualified[l];
            let mentors: f64 = q.mentors.iter().map(|&m| qualified[m]).sum();
            let slots = q.per_mentor * mentors;
            let verdict = if in_qualification <= slots {
                "mentors do not bind in the long run"
            } else {
                "mentors WOULD bind in the long run, so the chain's figures are optimistic"
            };
            Some(format!(
                "Qualification at {}: the chain lets every joiner start at once; its steady state has {} in qualification against {} mentor slots ({} per mentor x {} qualified mentors): {verdict}.",
                lv.name,
                crate::format::people(in_qualification),
                crate::format::people(slots),
                q.per_mentor,
                crate::format::people(mentors)
            ))
        })
        .collect()
}

/// The entry mix scaled so that the steady state's counted total is the
/// final milestone's headcount. The steady state is linear in the inflow, so
/// scaling is exact.
fn sustainment(s: &Scenario, core: &Core) -> Option<Sustainment> {
    let m = s.final_milestone()?;
    let steady = core.chain.by_level(&core.steady);
    let counted = core.counted(s, &core.steady);
    if counted <= 0.0 {
        return None;
    }
    let k = m.headcount / counted;
    let mix = &core.mix;
    Some(Sustainment {
        headcount: m.headcount,
        milestone: m.date,
        entrants_per_year: k * mix.arrivals(),
        graduates_per_year: k * mix.course_arrivals(),
        direct_per_year: k * (mix.arrivals() - mix.course_arrivals()),
        seats_per_year: k * mix.starts.iter().sum::<f64>(),
        intake_per_year: k * mix.intake(),
        scale: k,
        plan_entrants_per_year: mix.arrivals(),
        levels: by_name(s, &steady.iter().map(|x| k * x).collect::<Vec<_>>()),
        courses: s
            .courses
            .iter()
            .enumerate()
            .map(|(c, course)| CourseNeed {
                course: course.name.clone(),
                seats_per_year: k * mix.starts[c],
                offered_seats_per_year: s.seats_per_year(c),
                graduates_per_year: k * mix.graduates[c],
            })
            .collect(),
    })
}

fn assumptions(s: &Scenario, at: Month, fy: i32) -> Vec<String> {
    let mut out = vec![
        format!("Rates of {at} (shocks active then included) hold from then on."),
        format!(
            "Entry mix: FY{fy} expected inflows (planned x achievement) at their yearly average; \
             with a seasonal pattern the projection repeats a yearly cycle whose average is the steady state."
        ),
        "Course graduates = entrants to the queue x survival of queue dropouts until the next class start x (1 - washout); \
         seats and instructors are assumed not to bind."
            .to_string(),
        "Events are one-off changes, not inflows, and are left out.".to_string(),
        "Expected months count month-ends in a level, the arrival month included, so steady state = monthly entrants x expected months."
            .to_string(),
        "Convergence is measured from the projection's final level headcounts placed as eligible and unobligated, as the engine places initial stock."
            .to_string(),
    ];
    if s.has_vacancy_promotion() {
        out.push(format!(
            "Vacancy promotions make the chain state-dependent (how many are promoted depends on the target level's stock). \
             The chain uses, for each, the share of eligible people the projection promotes in {at} (see vacancy_promotions) as a fixed monthly probability: \
             exact for that month's fill, an approximation as the fill moves."
        ));
    }
    if !s.changes.is_empty() {
        let due = s.changes.iter().filter(|c| c.from <= at).count();
        out.push(format!(
            "Policy changes: {due} of {} `[[changes]]` entries take effect by {at} and are included; later ones are not.",
            s.changes.len()
        ));
    }
    if s.target.queue || s.target.training {
        out.push(
            "The target also counts people in course queues or classes; the steady-state and sustainment totals count levels only."
                .to_string(),
        );
    }
    out
}

/// The one line `run` adds to its summary: what holding the final milestone
/// takes against what the plan's last year provides. `None` without a
/// milestone or when the chain has no steady state.
pub fn holding_line(s: &Scenario) -> Option<String> {
    let m = s.final_milestone()?;
    let core = Core::new(s, s.end).ok()?;
    let provides = core.mix.arrivals();
    match sustainment(s, &core) {
        Some(h) => Some(format!(
            "Holding {} needs about {} entrants a year; the plan's last year provides {}.",
            people(m.headcount),
            people(h.entrants_per_year),
            people(provides)
        )),
        None => Some(format!(
            "Holding {} needs entrants, but the plan's last year brings nobody into the counted levels.",
            people(m.headcount)
        )),
    }
}

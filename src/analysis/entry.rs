//! The entry mix: where one fiscal year's inflows join the level chain, and
//! what they cost in course seats on the way.
//!
//! Direct-entry inflows arrive at their level (on a contract sub-state when
//! they have `term_months`). Inflows into a course queue become the course's
//! graduates at its destination level, with its obligation, following
//! chained courses. Seats and instructors are assumed not to bind (every
//! trainee waiting gets the next class), so what is lost on the way is queue
//! dropouts while waiting for the next class start, and washout. The wait
//! depends on the month of arrival, so it is followed month of the year by
//! month of the year, exactly as the engine would if no class ever filled.

use super::chain::{Clock, State};
use crate::engine::rates::queue_dropout_probability;
use crate::scenario::{Destination, Scenario};

/// One inflow channel's contribution to the entry mix, per year.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// Index of the inflow.
    pub inflow: usize,
    /// Expected entrants of the inflow in the fiscal year (planned x achievement).
    pub intake: f64,
    /// Of those, arriving in a level (graduates, for a course channel).
    pub arrivals: f64,
    /// The sub-state they arrive in.
    pub state: State,
    /// The course whose graduates they are, for a course channel.
    pub via: Option<usize>,
}

/// A fiscal year's inflows as arrivals in the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryMix {
    pub fiscal_year: i32,
    pub channels: Vec<Channel>,
    /// Trainees starting classes in each course, per year.
    pub starts: Vec<f64>,
    /// Graduates of each course, per year (into levels or other courses' queues).
    pub graduates: Vec<f64>,
}

/// Months of qualification a joiner of `level` needs (0 = none).
fn qualify(s: &Scenario, level: usize) -> u32 {
    s.levels[level]
        .qualification
        .as_ref()
        .map_or(0, |q| q.months)
}

impl EntryMix {
    /// Expected inflows of `fiscal_year` (planned x achievement; events are not inflows).
    pub fn new(s: &Scenario, fiscal_year: i32) -> EntryMix {
        let mut starts = vec![0.0; s.courses.len()];
        let mut graduates = vec![0.0; s.courses.len()];
        let channels = s
            .inflows
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let intake = f.planned(fiscal_year) * f.achievement;
                match f.to {
                    Destination::Level(level) => {
                        let clock = match f.term_months {
                            Some(t) if t > 0 => Clock::Contract { left: t },
                            _ => Clock::Free,
                        };
                        Channel {
                            inflow: k,
                            intake,
                            arrivals: intake,
                            state: State {
                                level,
                                mil: 0,
                                clock,
                                qual: qualify(s, level),
                            },
                            via: None,
                        }
                    }
                    Destination::Course(c) => {
                        // Entrants arriving at the end of each month of the year (0 = January).
                        let mut by_month = [0.0; 12];
                        for (i, share) in f.monthly_share.iter().enumerate() {
                            by_month[(s.fy_start_month as usize - 1 + i) % 12] += intake * share;
                        }
                        let (course, level, arrivals) =
                            through_courses(s, c, by_month, &mut starts, &mut graduates);
                        let months = s.courses[course].obligation.months;
                        let clock = if months > 0 {
                            Clock::Obligated {
                                course,
                                left: months,
                            }
                        } else {
                            Clock::Free
                        };
                        Channel {
                            inflow: k,
                            intake,
                            arrivals,
                            state: State {
                                level,
                                mil: 0,
                                clock,
                                qual: qualify(s, level),
                            },
                            via: Some(course),
                        }
                    }
                }
            })
            .collect();
        EntryMix {
            fiscal_year,
            channels,
            starts,
            graduates,
        }
    }

    /// People arriving in levels per year.
    pub fn arrivals(&self) -> f64 {
        self.channels.iter().map(|c| c.arrivals).sum()
    }

    /// People arriving in levels through courses per year.
    pub fn course_arrivals(&self) -> f64 {
        self.channels
            .iter()
            .filter(|c| c.via.is_some())
            .map(|c| c.arrivals)
            .sum()
    }

    /// Entrants of all inflows per year, before queue dropouts and washout.
    pub fn intake(&self) -> f64 {
        self.channels.iter().map(|c| c.intake).sum()
    }
}

/// Follows people arriving in course `c`'s queue (`by_month[m]` at the end of
/// month-of-year m + 1) through it and any chained courses. Returns the last
/// course, the level its graduates join and how many arrive there; adds to
/// the class starts and graduates of each course passed.
fn through_courses(
    s: &Scenario,
    c: usize,
    mut by_month: [f64; 12],
    starts: &mut [f64],
    graduates: &mut [f64],
) -> (usize, usize, f64) {
    let mut cur = c;
    // Validation rejects course cycles; the bound only guards the loop.
    for _ in 0..=s.courses.len() {
        let course = &s.courses[cur];
        let dropout = queue_dropout_probability(course);
        let mut out = [0.0; 12];
        for (m, &n) in by_month.iter().enumerate() {
            if n <= 0.0 {
                continue;
            }
            // The first class start after the month of arrival; the wait's
            // months before it each lose `dropout` of those waiting (the
            // start month's class is filled before its dropouts).
            let Some(wait) = (1..=12).find(|w| course.class_starts[(m + w) % 12]) else {
                continue;
            };
            let started = n * (1.0 - dropout).powi(wait as i32 - 1);
            starts[cur] += started;
            let grads = started * (1.0 - course.washout);
            graduates[cur] += grads;
            let end = (m + wait + course.length_months as usize - 1) % 12;
            out[end] += grads;
        }
        match course.graduates_to {
            Destination::Level(l) => return (cur, l, out.iter().sum()),
            Destination::Course(next) => {
                cur = next;
                by_month = out;
            }
        }
    }
    (cur, 0, 0.0)
}

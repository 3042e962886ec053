//! What a Monte Carlo says: the distribution of totals month by month, the
//! odds of each milestone and when runs first reach the final one. Built once
//! from the run statistics so `mc_percentiles.csv`, `mc_summary.json`, the
//! console table (all three written by `commands::mc`) and the charts agree.

use super::stats::Histogram;
use super::{McStats, Options};
use crate::config::Loaded;
use crate::engine::Projection;
use crate::month::Month;
use serde::Serialize;

/// The percentiles reported for each month, in percent.
pub const PERCENTILES: [u32; 7] = [5, 10, 25, 50, 75, 90, 95];

/// One month of the distribution of the counted total.
#[derive(Debug, Clone, Serialize)]
pub struct MonthBand {
    pub month: Month,
    pub mean: f64,
    /// Values at [`PERCENTILES`], in order.
    pub percentiles: [f64; 7],
    /// Median of each level, in config order.
    pub level_medians: Vec<f64>,
}

impl MonthBand {
    pub fn p(&self, pct: u32) -> f64 {
        let i = PERCENTILES
            .iter()
            .position(|&p| p == pct)
            .expect("a reported percentile");
        self.percentiles[i]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneOdds {
    pub date: Month,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub target: f64,
    /// Share of runs whose counted total at the end of `date` is at least `target`.
    pub probability: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    /// The expected-value projection at `date`.
    pub deterministic: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FirstMonthShare {
    pub month: Month,
    pub runs: u64,
    pub probability: f64,
    /// Share of runs at the target by the end of this month.
    pub cumulative: f64,
}

/// When runs first reach the final milestone's headcount.
#[derive(Debug, Clone, Serialize)]
pub struct FirstMonth {
    pub target: f64,
    /// Share of runs that reach it within the horizon.
    pub reached: f64,
    /// Share of runs that never do.
    pub never: f64,
    /// Percentiles of the first month (`null` when that share of runs never reaches it).
    pub p5: Option<Month>,
    pub p50: Option<Month>,
    pub p95: Option<Month>,
    /// Months in which at least one run first reached the target.
    pub distribution: Vec<FirstMonthShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FinalDistribution {
    pub month: Month,
    pub deterministic: f64,
    pub mean: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// `mc_summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct McSummary {
    pub scenario: String,
    pub title: String,
    pub config_hash: String,
    pub version: String,
    pub runs: u64,
    pub seed: u64,
    pub process_noise: bool,
    pub parameter_uncertainty: bool,
    /// The `[uncertainty]` paths drawn in each run (empty when switched off).
    pub uncertain_parameters: Vec<String>,
    pub start: Month,
    pub end: Month,
    #[serde(rename = "final")]
    pub final_total: FinalDistribution,
    pub milestones: Vec<MilestoneOdds>,
    /// Present when the scenario has milestones.
    pub first_month_at_final_target: Option<FirstMonth>,
    #[serde(skip)]
    pub bands: Vec<MonthBand>,
    #[serde(skip)]
    pub level_names: Vec<String>,
}

impl McSummary {
    pub fn new(
        loaded: &Loaded,
        opts: &Options,
        stats: &McStats,
        projection: &Projection,
    ) -> McSummary {
        let s = &loaded.scenario;
        let pct = |h: &Histogram, p: u32| h.percentile(p).unwrap_or(f64::NAN);
        let bands: Vec<MonthBand> = (0..stats.months.len())
            .map(|r| MonthBand {
                month: stats.months[r],
                mean: stats.total_sum[r].mean().unwrap_or(f64::NAN),
                percentiles: PERCENTILES.map(|p| pct(&stats.total[r], p)),
                level_medians: stats.levels.iter().map(|l| pct(&l[r], 50)).collect(),
            })
            .collect();
        let deterministic = |m: Month| projection.at(m).map_or(f64::NAN, |row| row.total);
        let milestones = s
            .target
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let h = stats.row(m.date).map(|r| &stats.total[r]);
                MilestoneOdds {
                    date: m.date,
                    label: m.label.clone(),
                    target: m.headcount,
                    probability: stats.milestone_probability(i),
                    p5: h.map_or(f64::NAN, |h| pct(h, 5)),
                    p50: h.map_or(f64::NAN, |h| pct(h, 50)),
                    p95: h.map_or(f64::NAN, |h| pct(h, 95)),
                    deterministic: deterministic(m.date),
                }
            })
            .collect();
        let last = stats.final_row();
        let fh = &stats.total[last];
        let final_total = FinalDistribution {
            month: stats.months[last],
            deterministic: projection.final_row().total,
            mean: bands[last].mean,
            p5: pct(fh, 5),
            p25: pct(fh, 25),
            p50: pct(fh, 50),
            p75: pct(fh, 75),
            p95: pct(fh, 95),
        };
        let first_month_at_final_target =
            s.final_milestone().map(|m| first_month(m.headcount, stats));
        McSummary {
            scenario: s.name.clone(),
            title: s.title.clone(),
            config_hash: loaded.hash.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            runs: stats.runs,
            seed: opts.seed,
            process_noise: opts.process_noise,
            parameter_uncertainty: opts.parameter_uncertainty,
            uncertain_parameters: if opts.parameter_uncertainty {
                s.uncertainty.iter().map(|u| u.path.clone()).collect()
            } else {
                Vec::new()
            },
            start: s.start,
            end: s.end,
            final_total,
            milestones,
            first_month_at_final_target,
            bands,
            level_names: s.levels.iter().map(|l| l.name.clone()).collect(),
        }
    }

    /// The final milestone, if any.
    pub fn final_milestone(&self) -> Option<&MilestoneOdds> {
        self.milestones.last()
    }

    /// "process noise and 9 uncertain parameters", for subtitles and the console.
    pub fn uncertainty_text(&self) -> String {
        let params = match self.uncertain_parameters.len() {
            0 if self.parameter_uncertainty => "no [uncertainty] parameters".to_string(),
            0 => "parameters fixed".to_string(),
            1 => "1 uncertain parameter".to_string(),
            n => format!("{n} uncertain parameters"),
        };
        let noise = if self.process_noise {
            "process noise (whole people, random monthly flows)"
        } else {
            "no process noise (expected flows)"
        };
        format!("{noise}; {params}")
    }
}

fn first_month(target: f64, stats: &McStats) -> FirstMonth {
    let n = stats.runs;
    let never = *stats.first_reach.last().unwrap_or(&0);
    let mut cum = 0;
    let mut distribution = Vec::new();
    for (r, &k) in stats.first_reach[..stats.months.len()].iter().enumerate() {
        cum += k;
        if k > 0 {
            distribution.push(FirstMonthShare {
                month: stats.months[r],
                runs: k,
                probability: k as f64 / n as f64,
                cumulative: cum as f64 / n as f64,
            });
        }
    }
    // Nearest rank over all runs, with "never" after the last month.
    let month_at = |pct: u32| -> Option<Month> {
        let rank = super::stats::rank(pct, n)?;
        let mut cum = 0;
        for (r, &k) in stats.first_reach[..stats.months.len()].iter().enumerate() {
            cum += k;
            if cum >= rank {
                return Some(stats.months[r]);
            }
        }
        None
    };
    FirstMonth {
        target,
        reached: (n - never) as f64 / n as f64,
        never: never as f64 / n as f64,
        p5: month_at(5),
        p50: month_at(50),
        p95: month_at(95),
        distribution,
    }
}

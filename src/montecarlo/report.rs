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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::{self, Options};

    const TEXT: &str = r#"[scenario]
name = "four"
start = "2024-01"
end = "2024-04"

[target]
milestones = [{ date = "2024-02", headcount = 90, label = "first" }, { date = "2024-04", headcount = 95 }]

[levels.only]
initial = 100
attrition = 0.1

[uncertainty]
"levels.only.attrition" = { dist = "uniform", min = 0.05, max = 0.15 }
"#;

    fn summary(opts: &Options) -> (McSummary, McStats) {
        let loaded = crate::config::load_str("four.toml", TEXT, &[]).expect("valid");
        let stats = montecarlo::run(&loaded.scenario, opts, None).unwrap();
        let projection = crate::engine::project(&loaded.scenario);
        (McSummary::new(&loaded, opts, &stats, &projection), stats)
    }

    fn opts(noise: bool, params: bool) -> Options {
        Options {
            runs: 10,
            seed: 1,
            threads: Some(1),
            process_noise: noise,
            parameter_uncertainty: params,
        }
    }

    #[test]
    fn first_month_counts_ranks_and_never() {
        let (_, mut stats) = summary(&opts(false, false));
        assert_eq!(stats.months.len(), 5);
        // 10 runs: 2 first reach in row 1, 5 in row 3, 1 in row 4, 2 never.
        stats.runs = 10;
        stats.first_reach = vec![0, 2, 0, 5, 1, 2];
        let f = first_month(95.0, &stats);
        assert_eq!(f.target, 95.0);
        assert_eq!(f.reached, 0.8);
        assert_eq!(f.never, 0.2);
        let rows: Vec<(Month, u64, f64, f64)> = f
            .distribution
            .iter()
            .map(|d| (d.month, d.runs, d.probability, d.cumulative))
            .collect();
        let m = |r: usize| stats.months[r];
        assert_eq!(
            rows,
            [
                (m(1), 2, 0.2, 0.2),
                (m(3), 5, 0.5, 0.7),
                (m(4), 1, 0.1, 0.8)
            ]
        );
        // Nearest rank: p5 is the 1st run, p50 the 5th, p95 the 10th (never).
        assert_eq!(f.p5, Some(m(1)));
        assert_eq!(f.p50, Some(m(3)));
        assert_eq!(f.p95, None);
        // The 2nd run is the last of row 1; with no run "never", p95 is row 4.
        stats.first_reach = vec![0, 2, 0, 5, 3, 0];
        let f = first_month(95.0, &stats);
        assert_eq!((f.reached, f.never), (1.0, 0.0));
        assert_eq!(f.p95, Some(m(4)));
        stats.first_reach = vec![1, 1, 0, 8, 0, 0];
        let f = first_month(95.0, &stats);
        assert_eq!((f.p5, f.p50), (Some(m(0)), Some(m(3))));
    }

    #[test]
    fn expected_runs_make_a_summary_of_the_projection() {
        let (sum, _) = summary(&opts(false, false));
        let projection = {
            let loaded = crate::config::load_str("four.toml", TEXT, &[]).unwrap();
            crate::engine::project(&loaded.scenario)
        };
        let total = projection.final_row().total;
        assert_eq!(sum.final_total.deterministic, total);
        // The exact mean is kept to 2^-20 of a person.
        assert!((sum.final_total.mean - total).abs() < 1e-6);
        let band = sum.bands.last().unwrap();
        assert_eq!(band.p(5), band.percentiles[0]);
        for (i, &pct) in PERCENTILES.iter().enumerate() {
            assert_eq!(band.p(pct), band.percentiles[i]);
        }
        assert_eq!(band.p(50), total.round());
        let last = sum.final_milestone().unwrap();
        assert_eq!((last.target, last.label.as_deref()), (95.0, None));
        assert_eq!(sum.milestones[0].label.as_deref(), Some("first"));
    }

    #[test]
    fn percentiles_are_picked_by_their_percent() {
        let band = MonthBand {
            month: Month::new(2024, 1).unwrap(),
            mean: 0.0,
            percentiles: [5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0],
            level_medians: Vec::new(),
        };
        for p in PERCENTILES {
            assert_eq!(band.p(p), f64::from(p));
        }
    }

    #[test]
    fn the_uncertainty_text_says_what_varies() {
        let text = |noise, params| summary(&opts(noise, params)).0.uncertainty_text();
        assert_eq!(
            text(true, true),
            "process noise (whole people, random monthly flows); 1 uncertain parameter"
        );
        assert_eq!(
            text(false, false),
            "no process noise (expected flows); parameters fixed"
        );
        let (mut sum, _) = summary(&opts(true, true));
        sum.uncertain_parameters = vec!["a".into(), "b".into()];
        assert!(sum.uncertainty_text().ends_with("; 2 uncertain parameters"));
        sum.uncertain_parameters.clear();
        assert!(sum
            .uncertainty_text()
            .ends_with("; no [uncertainty] parameters"));
    }
}

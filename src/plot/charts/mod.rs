//! The chart kinds, one file each. Each is a struct holding what it shows,
//! filled in by the command that makes it, and implements
//! [`Chart`](super::Chart): the name of its file and how it draws. This list
//! is every chart forcecast makes.

pub mod backtest;
pub mod compare;
pub mod costs;
pub mod fan;
pub mod flows;
pub mod headcount;
pub mod heatmap;
pub mod histogram;
pub mod levels;
pub mod pipeline;
pub mod solve;
pub mod tornado;

pub use backtest::BacktestChart;
pub use compare::{CompareChart, Entry};
pub use fan::FanChart;
pub use flows::FlowsChart;
pub use headcount::HeadcountChart;
pub use heatmap::HeatmapChart;
pub use histogram::FinalHistogram;
pub use levels::LevelsChart;
pub use pipeline::PipelineChart;
pub use solve::SolveChart;
pub use tornado::TornadoChart;

use super::Stamp;
use crate::config::Loaded;
use crate::engine::Projection;
use crate::format::people;
use crate::goal::{Goal, Metric, MonteCarlo};
use crate::scenario::Scenario;
use crate::summary::Summary;

/// What the charts of one projection (`run`) show.
#[derive(Debug, Clone, Copy)]
pub struct Projected<'a> {
    pub scenario: &'a Scenario,
    pub p: &'a Projection,
    pub summary: &'a Summary,
    pub stamp: &'a Stamp,
}

/// What a planning chart (`tornado`, `heatmap`) measures against: the
/// scenario, its final milestone if any, and the Monte Carlo settings when the
/// metric is a probability.
#[derive(Debug, Clone, Copy)]
pub struct Planning<'a> {
    pub loaded: &'a Loaded,
    pub goal: Option<&'a Goal>,
    pub mc: Option<MonteCarlo>,
}

impl<'a> Planning<'a> {
    pub fn new(loaded: &'a Loaded, goal: Option<&'a Goal>, mc: Option<MonteCarlo>) -> Self {
        Planning { loaded, goal, mc }
    }

    /// What `metric` measures, in words: "expected total at 2028-03".
    pub fn metric_text(&self, metric: Metric) -> String {
        let goal = self.goal;
        match metric {
            Metric::FinalTotal => format!("expected total at {}", self.loaded.scenario.end),
            Metric::Probability => format!(
                "chance of meeting {}",
                goal.map_or(String::new(), Goal::describe)
            ),
            Metric::FirstMonth => format!(
                "first month the expected total reaches {}",
                goal.map_or(String::new(), |g| people(g.headcount))
            ),
        }
    }

    /// "1,000 Monte Carlo runs per `each`, the same random streams `same`",
    /// for a probability.
    pub fn runs_text(&self, metric: Metric, each: &str, same: &str) -> Option<String> {
        let mc = self.mc.filter(|_| metric == Metric::Probability)?;
        Some(format!(
            "{} Monte Carlo runs per {each}, the same random streams {same} ({})",
            people(mc.runs as f64),
            mc.varies(&self.loaded.scenario)
        ))
    }

    /// The footer stamp; with the seed when the metric is a probability.
    pub fn stamp(&self, metric: Metric) -> Stamp {
        let mut stamp = Stamp::of(self.loaded);
        if metric == Metric::Probability {
            stamp.seed = self.mc.map(|m| m.seed);
        }
        stamp
    }
}

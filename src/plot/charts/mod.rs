//! The chart kinds, one file each. Each is a struct holding what it shows,
//! filled in by the command that makes it, and implements
//! [`Chart`](super::Chart): the name of its file and how it draws. This list
//! is every chart forcecast makes.

pub mod compare;
pub mod fan;
pub mod flows;
pub mod headcount;
pub mod heatmap;
pub mod histogram;
pub mod levels;
pub mod pipeline;
pub mod solve;
pub mod tornado;

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
use crate::engine::Projection;
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

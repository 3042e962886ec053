//! Charts. One file per chart kind; shared sizes, colours and fonts here.

pub mod fan;
pub mod histogram;
pub mod mcframe;

use crate::cli::{Format, OutputArgs};
use crate::config::Loaded;
use crate::engine::Projection;
use crate::output::OutputFile;
use crate::summary::Summary;

/// How charts are drawn: file format and pixel size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartOptions {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

impl From<&OutputArgs> for ChartOptions {
    fn from(a: &OutputArgs) -> Self {
        ChartOptions {
            format: a.format,
            width: a.size.0,
            height: a.size.1,
        }
    }
}

/// The charts of one projection.
pub fn projection_charts(
    _loaded: &Loaded,
    _p: &Projection,
    _summary: &Summary,
    _opts: &ChartOptions,
) -> anyhow::Result<Vec<OutputFile>> {
    Ok(Vec::new())
}

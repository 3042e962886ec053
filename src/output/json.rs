//! `summary.json`: the milestones and pinch points, for scripts.

use super::{Exporter, OutputFile};
use crate::summary::Summary;
use anyhow::Result;

pub struct SummaryJson;

impl Exporter<Summary> for SummaryJson {
    fn export(&self, summary: &Summary) -> Result<Vec<OutputFile>> {
        Ok(vec![OutputFile::new("summary.json", to_json(summary)?)])
    }
}

/// Pretty JSON with a trailing newline; floats in shortest round-trip form.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

//! forcecast: a workforce-growth planning model. See `docs/model.md`.

pub mod analysis;
pub mod calibrate;
pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod error;
pub mod format;
pub mod fuzz;
pub mod goal;
pub mod montecarlo;
pub mod month;
pub mod output;
pub mod params;
pub mod plot;
pub mod report;
pub mod scenario;
pub mod summary;

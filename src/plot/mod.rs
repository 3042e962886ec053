//! Charts. One file per chart kind under [`charts`]; everything they share
//! lives in this module's other files, so every chart looks and reads the same.
//!
//! The shared API, in the order a chart uses it:
//!
//! - [`Chart`] + [`render_file`]: a chart names its file and draws onto a
//!   [`Canvas`] of any plotters backend; `render_file` picks PNG (in-memory
//!   bitmap, encoded with fixed settings, so identical input gives identical
//!   bytes) or SVG from the [`ChartOptions`].
//! - [`theme`]: pixel and font sizes scaled to the requested size ([`Theme`]),
//!   and the Okabe-Ito colour-blind-safe [`palette`], a fixed colour per level
//!   ([`palette::level`]) and per series ([`palette::series`]).
//! - [`font`]: the embedded Noto Sans, measured and rasterised the same on
//!   every machine.
//! - [`frame`]: [`Frame`] + [`draw_frame`]: title, subtitle with the key
//!   assumptions (see [`describe`]), headline and the footer stamp (scenario,
//!   config hash, forcecast version, seed). Returns the rectangle left for
//!   the chart body.
//! - [`axes`]: [`axes::Panel`] maps data to pixels; y axes with thousands
//!   separators, fiscal-year x axes ([`axes::TimeAxis`]), numeric x axes.
//! - [`levers`]: axes and labels for parameter values (planning charts).
//! - [`changes`]: policy changes marked on the time axis; [`posts`]:
//!   authorised posts on the levels chart.
//! - [`marks`]: text placed exactly ([`marks::text`]), a collision-avoiding
//!   label placer ([`marks::Placer`]), label spreading for end-of-line labels,
//!   legends, lines and milestone markers.
//!
//! All drawing happens in pixel coordinates on the whole canvas: charts map
//! their data through a `Panel`, which keeps layout and collision checks simple.
//!
//! A new chart: a file in `charts/` with a struct holding what it shows,
//! `impl Chart` (its file name and `draw`), a line in `charts/mod.rs`, and a
//! `render_file(&chart, opts)` where its command makes its outputs.

pub mod axes;
pub mod changes;
pub mod charts;
pub mod describe;
pub mod font;
pub mod frame;
pub mod layout;
pub mod levers;
pub mod marks;
pub mod observed;
pub mod posts;
pub mod theme;

pub use charts::{
    BacktestChart, CompareChart, Entry, FanChart, FinalHistogram, FlowsChart, HeadcountChart,
    HeatmapChart, LevelsChart, PipelineChart, Planning, Projected, SolveChart, TornadoChart,
};
pub use describe::{
    assumptions, attrition_text, destination_text, fiscal_years, fy_label, intake_text,
    month_abbrev, seats_text,
};
pub use frame::{draw_frame, Corner, Frame, Rect, Stamp};
pub use theme::{palette, Theme};

use crate::config::Loaded;
use crate::engine::Projection;
use crate::output::OutputFile;
use crate::summary::Summary;
use anyhow::{anyhow, Context};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The file format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFormat {
    #[default]
    Png,
    Svg,
    /// Not an image: the boxes the chart drew, as JSON (see [`layout`]), for
    /// the layout check. Drawn exactly as the PNG.
    Layout,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Svg => "svg",
            ImageFormat::Layout => "layout.json",
        }
    }
}

/// How charts are drawn: file format and pixel size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartOptions {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            format: ImageFormat::Png,
            width: 1600,
            height: 900,
        }
    }
}

/// The charts of one projection: `headcount`, `levels`, `pipeline` (with
/// courses only) and `flows`.
pub fn projection_charts(
    loaded: &Loaded,
    p: &Projection,
    summary: &Summary,
    opts: &ChartOptions,
) -> anyhow::Result<Vec<OutputFile>> {
    let stamp = Stamp::of(loaded);
    let run = Projected {
        scenario: &loaded.scenario,
        p,
        summary,
        stamp: &stamp,
    };
    let mut files = vec![
        render_file(&HeadcountChart(run), opts)?,
        render_file(&LevelsChart(run), opts)?,
    ];
    // Without courses there is no pipeline to draw.
    if !loaded.scenario.courses.is_empty() {
        files.push(render_file(&PipelineChart(run), opts)?);
    }
    files.push(render_file(&FlowsChart(run), opts)?);
    if let Some(c) = &summary.costs {
        files.push(render_file(
            &charts::costs::CostChart::projection(loaded, c),
            opts,
        )?);
    }
    Ok(files)
}

// ---------------------------------------------------------------------------
// Rendering

/// The whole drawing surface, in pixels.
pub type Canvas<DB> = DrawingArea<DB, Shift>;
/// What drawing onto a backend returns.
pub type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart kind. Drawing is generic over the backend so the same code makes PNG and SVG.
pub trait Chart {
    /// The file name without its extension: `headcount` for headcount.png.
    fn name(&self) -> &str;
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB>;
}

/// Renders `chart` as `<name>.png` or `<name>.svg`.
pub fn render_file<C: Chart>(chart: &C, opts: &ChartOptions) -> anyhow::Result<OutputFile> {
    let name = chart.name();
    let bytes = render(chart, opts).with_context(|| format!("cannot draw {name}"))?;
    Ok(OutputFile::new(
        format!("{name}.{}", opts.format.extension()),
        bytes,
    ))
}

/// Renders a chart to the bytes of a PNG or SVG file.
pub fn render<C: Chart>(chart: &C, opts: &ChartOptions) -> anyhow::Result<Vec<u8>> {
    font::register()?;
    let theme = Theme {
        vector: opts.format == ImageFormat::Svg,
        ..Theme::new(opts.width, opts.height)
    };
    let size = (opts.width, opts.height);
    match opts.format {
        ImageFormat::Png => {
            let mut rgb = vec![255u8; opts.width as usize * opts.height as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                chart.draw(&root, &theme).map_err(|e| anyhow!("{e}"))?;
                root.present().map_err(|e| anyhow!("{e}"))?;
            }
            encode_png(&rgb, opts.width, opts.height)
        }
        ImageFormat::Layout => {
            let mut rgb = vec![255u8; opts.width as usize * opts.height as usize * 3];
            layout::start(chart.name(), opts.width, opts.height);
            let drawn = {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                chart.draw(&root, &theme).map_err(|e| anyhow!("{e}"))
            };
            let rec = layout::finish();
            drawn?;
            Ok(serde_json::to_vec(&rec)?)
        }
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                chart.draw(&root, &theme).map_err(|e| anyhow!("{e}"))?;
                root.present().map_err(|e| anyhow!("{e}"))?;
            }
            Ok(svg.into_bytes())
        }
    }
}

/// PNG bytes of an RGB buffer. Fixed compression and filter settings, and no
/// time or text chunks, so the bytes depend only on the pixels.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Balanced);
    enc.set_filter(png::Filter::Adaptive);
    let mut w = enc.write_header()?;
    w.write_image_data(rgb)?;
    w.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    /// Charts take `ChartOptions`; turning `--format` and `--size` into them
    /// is the command line's job (`cli.rs`), so plot never names its types.
    #[test]
    fn plot_does_not_depend_on_the_command_line() {
        // Spelt in two parts so this file does not match itself.
        let needle = ["crate", "cli"].join("::");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/plot");
        let mut dirs = vec![root];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(!text.contains(&needle), "{}", path.display());
                    files += 1;
                }
            }
        }
        assert!(files > 10, "only {files} files read");
    }
}

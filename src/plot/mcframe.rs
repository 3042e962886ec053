//! A minimal chart frame for the Monte Carlo charts: embedded Noto Sans,
//! Okabe-Ito colours, title / subtitle / footer, and rendering to PNG or SVG
//! bytes in memory. Stand-in for the shared frame in `plot/mod.rs` (built on
//! another branch); the two are meant to be unified when merged.

use super::ChartOptions;
use crate::cli::Format;
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};
use std::sync::Once;

/// Font family name the embedded Noto Sans is registered under.
pub const FONT: &str = "Noto Sans";

/// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const GREY: RGBColor = RGBColor(0x59, 0x59, 0x59);
pub const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);

/// Registers the embedded fonts with plotters, once per process.
pub fn ensure_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are Noto Sans from the notosans crate; registering cannot fail for them.
        let _ = register_font(FONT, FontStyle::Normal, notosans::REGULAR_TTF);
        let _ = register_font(FONT, FontStyle::Bold, notosans::BOLD_TTF);
    });
}

/// Text sizes scaled to the canvas, so a 3200x1800 chart reads like a 1600x900 one.
#[derive(Debug, Clone, Copy)]
pub struct Scale(pub f64);

impl Scale {
    pub fn of(opts: &ChartOptions) -> Scale {
        Scale(
            (opts.width as f64 / 1600.0)
                .min(opts.height as f64 / 900.0)
                .max(0.4),
        )
    }
    pub fn px(self, x: f64) -> i32 {
        (x * self.0).round().max(1.0) as i32
    }
    pub fn text(self, size: f64) -> TextStyle<'static> {
        (FONT, size * self.0).into_font().color(&INK)
    }
    pub fn bold(self, size: f64) -> TextStyle<'static> {
        (FONT, size * self.0, FontStyle::Bold)
            .into_font()
            .color(&INK)
    }
}

/// The words around a chart.
pub struct Frame<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    /// Left of the footer: scenario, config hash, version, seed.
    pub footer: &'a str,
}

/// Draws the title, subtitle and footer on a white canvas and returns the
/// area left for the plot.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &Frame<'_>,
    sc: Scale,
) -> Result<DrawingArea<DB, Shift>> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow!("drawing: {e}");
    root.fill(&WHITE).map_err(err)?;
    let (w, h) = root.dim_in_pixel();
    let pad = sc.px(24.0);
    root.draw_text(f.title, &sc.bold(34.0), (pad, sc.px(18.0)))
        .map_err(err)?;
    root.draw_text(f.subtitle, &sc.text(20.0).color(&GREY), (pad, sc.px(64.0)))
        .map_err(err)?;
    let footer_y = h as i32 - sc.px(34.0);
    root.draw_text(f.footer, &sc.text(16.0).color(&GREY), (pad, footer_y))
        .map_err(err)?;
    let top = sc.px(104.0);
    let bottom = sc.px(46.0);
    let plot = root.margin(top, bottom, pad, pad);
    let _ = w;
    Ok(plot)
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, sc: Scale) -> Result<()>;
}

/// Renders `chart` to PNG or SVG bytes.
pub fn render<C: Chart>(chart: &C, opts: &ChartOptions) -> Result<Vec<u8>> {
    ensure_fonts();
    let sc = Scale::of(opts);
    let (w, h) = (opts.width, opts.height);
    match opts.format {
        Format::Png => {
            let mut buf = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                chart.draw(&root, sc)?;
                root.present().map_err(|e| anyhow!("drawing: {e}"))?;
            }
            encode_png(&buf, w, h)
        }
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                chart.draw(&root, sc)?;
                root.present().map_err(|e| anyhow!("drawing: {e}"))?;
            }
            Ok(svg.into_bytes())
        }
    }
}

/// RGB pixels as PNG bytes (deterministic: same pixels, same bytes).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header()?;
        writer.write_image_data(rgb)?;
    }
    Ok(out)
}

/// The standard footer: scenario, config hash (12 hex), version and seed.
pub fn footer(scenario: &str, short_hash: &str, seed: u64) -> String {
    format!(
        "scenario {scenario}  ·  config {short_hash}  ·  forcecast {}  ·  seed {seed}",
        env!("CARGO_PKG_VERSION")
    )
}

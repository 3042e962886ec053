//! The embedded Noto Sans (SIL Open Font License, from the `notosans` crate),
//! measured and rasterised with `ab_glyph` directly.
//!
//! Why not plotters' own `ab_glyph` text: plotters 0.3.7 drops each glyph's
//! left side bearing, so letters such as "i", "t" and "l" sit visibly out of
//! line. Drawing the glyphs here gives correct spacing with kerning, and, being
//! pure Rust with no system fonts, the same pixels on every machine. (SVG
//! output keeps plotters' `<text>` elements so the text stays text.)

use super::{Canvas, DrawResult};
use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::prelude::*;
use plotters::style::FontStyle;

struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn fonts() -> Option<&'static Fonts> {
    static FONTS: std::sync::OnceLock<Option<Fonts>> = std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: FontRef::try_from_slice(notosans::REGULAR_TTF).ok()?,
                bold: FontRef::try_from_slice(notosans::BOLD_TTF).ok()?,
            })
        })
        .as_ref()
}

/// Whether the embedded fonts parse (checked once before drawing).
pub fn available() -> bool {
    fonts().is_some()
}

/// The font family SVG text asks the viewer for: Noto Sans where installed
/// (same metrics as the PNG text), else any sans-serif.
pub const SVG_FAMILY: &str = "Noto Sans, sans-serif";

/// Registers the embedded Noto Sans (OFL) for plotters' `ab_glyph` text, once,
/// as "sans-serif" and as [`SVG_FAMILY`] (plotters only uses it for SVG text,
/// which it emits as `<text>`), and checks the fonts this module rasterises PNG
/// text with. No system fonts are used, so output does not depend on the machine.
pub fn register() -> anyhow::Result<()> {
    use plotters::style::register_font;
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        ["sans-serif", SVG_FAMILY].iter().all(|name| {
            register_font(name, FontStyle::Normal, notosans::REGULAR_TTF).is_ok()
                && register_font(name, FontStyle::Bold, notosans::BOLD_TTF).is_ok()
        })
    });
    if ok && available() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "the embedded Noto Sans font could not be loaded"
        ))
    }
}

fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    fonts().map(|f| if bold { &f.bold } else { &f.regular })
}

/// Pen positions of each glyph of `s`, and the advance width of the whole text.
/// `size` is plotters' text size: the font's ascent-to-descent height in pixels.
fn layout(font: &FontRef<'static>, s: &str, size: f64) -> (Vec<(ab_glyph::GlyphId, f32)>, f32) {
    let scaled = font.as_scaled(PxScale::from(size as f32));
    let mut pen = 0.0f32;
    let mut prev = None;
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        out.push((id, pen));
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    (out, pen)
}

/// Advance width of `s` in pixels.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    face(bold).map_or(0.0, |f| layout(f, s, size).1 as f64)
}

/// Rasterises `s` with its baseline at `baseline`, starting at x = `left`.
/// With `up`, the text reads upwards instead: it starts at y = `left` going up
/// and the baseline is the vertical line x = `baseline`.
#[allow(clippy::too_many_arguments)]
pub fn draw<DB: DrawingBackend>(
    root: &Canvas<DB>,
    s: &str,
    size: f64,
    bold: bool,
    color: &RGBColor,
    left: f64,
    baseline: i32,
    up: bool,
) -> DrawResult<(), DB> {
    let Some(font) = face(bold) else {
        return Ok(());
    };
    let scale = PxScale::from(size as f32);
    let (glyphs, _) = layout(font, s, size);
    for (id, pen) in glyphs {
        // Position in text space: x along the text, y down from the baseline.
        let g = id.with_scale_and_position(scale, point(pen, 0.0));
        let Some(outline) = font.outline_glyph(g) else {
            continue;
        };
        let b = outline.px_bounds();
        let mut result = Ok(());
        outline.draw(|gx, gy, cov| {
            if result.is_err() || cov < 0.004 {
                return;
            }
            let tx = b.min.x as f64 + gx as f64;
            let ty = b.min.y as i32 + gy as i32;
            let (x, y) = if up {
                (baseline + ty, (left - tx).round() as i32)
            } else {
                ((left + tx).round() as i32, baseline + ty)
            };
            result = root.draw_pixel((x, y), &color.mix(cov.min(1.0) as f64));
        });
        result?;
    }
    Ok(())
}

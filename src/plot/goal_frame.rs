//! A minimal chart frame for the goal-seeking charts (`solve.png`,
//! `tornado.png`, `heatmap.png`): the compiled-in Noto Sans font, the
//! Okabe-Ito palette, a title, a subtitle with the key assumptions and a
//! footer that says which scenario, config and version drew the chart.
//! Kept separate so it can be folded into the shared plot frame later.

use super::ChartOptions;
use crate::cli::Format;
use crate::config::Loaded;
use crate::output::OutputFile;
use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// Font family name the charts use (registered from the `notosans` crate).
pub const FONT: &str = "notosans";

/// Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
pub mod palette {
    use plotters::style::RGBColor;
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    pub const GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
    pub const GREY: RGBColor = RGBColor(110, 110, 110);
    pub const LIGHT_GREY: RGBColor = RGBColor(200, 200, 200);
}

/// Registers the compiled-in font once per process; no system fonts are used.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a known-good TTF compiled in: failure is impossible in practice,
        // and a chart without text would still be written.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, notosans::REGULAR_TTF);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, notosans::BOLD_TTF);
    });
}

/// Title, subtitle and footer of a chart.
#[derive(Debug, Clone)]
pub struct Frame {
    pub title: String,
    pub subtitle: String,
    pub footer: String,
}

/// `scenario baseline · config 1a2b3c4d5e6f · forcecast 0.1.0 · seed 1`.
pub fn footer(loaded: &Loaded, seed: Option<u64>) -> String {
    let mut s = format!(
        "scenario {} · config {} · forcecast {}",
        loaded.scenario.name,
        loaded.short_hash(),
        env!("CARGO_PKG_VERSION")
    );
    if let Some(seed) = seed {
        s.push_str(&format!(" · seed {seed}"));
    }
    s
}

/// Pixel sizes scaled to the canvas (1 at 1600x900).
#[derive(Debug, Clone, Copy)]
pub struct Scale(pub f64);

impl Scale {
    pub fn px(self, x: f64) -> i32 {
        (x * self.0).round().max(1.0) as i32
    }
    pub fn font(self, size: f64) -> FontDesc<'static> {
        (FONT, (size * self.0).max(8.0)).into_font()
    }
    pub fn bold(self, size: f64) -> FontDesc<'static> {
        (FONT, (size * self.0).max(8.0))
            .into_font()
            .style(FontStyle::Bold)
    }
    /// Tick labels.
    pub fn tick(self) -> TextStyle<'static> {
        self.font(17.0).color(&BLACK)
    }
    /// Axis titles.
    pub fn axis(self) -> TextStyle<'static> {
        self.font(19.0).color(&BLACK)
    }
}

/// A chart body drawn inside the frame. `root` is the whole canvas (for
/// text placed by pixel), `area` the space left by the frame.
pub trait Body {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        area: &DrawingArea<DB, Shift>,
        scale: Scale,
    ) -> Result<()>;
}

/// Turns a plotters error into an error naming the chart.
pub fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing failed: {e:?}")
}

/// Draws `body` in `frame` and encodes it as `stem.png` or `stem.svg`, in memory.
pub fn render(
    frame: &Frame,
    body: &impl Body,
    opts: &ChartOptions,
    stem: &str,
) -> Result<OutputFile> {
    register_fonts();
    let (w, h) = (opts.width, opts.height);
    let name = format!("{stem}.{}", opts.format.extension());
    match opts.format {
        Format::Png => {
            let mut buf = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                draw_all(&root, frame, body, w, h)?;
                root.present().map_err(err)?;
            }
            Ok(OutputFile::new(name, encode_png(&buf, w, h)?))
        }
        Format::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, (w, h)).into_drawing_area();
                draw_all(&root, frame, body, w, h)?;
                root.present().map_err(err)?;
            }
            Ok(OutputFile::new(name, text.into_bytes()))
        }
    }
}

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

fn draw_all<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: &Frame,
    body: &impl Body,
    w: u32,
    h: u32,
) -> Result<()> {
    let scale = Scale((w as f64 / 1600.0).min(h as f64 / 900.0));
    root.fill(&WHITE).map_err(err)?;
    let left = scale.px(28.0);
    let title_h = scale.px(34.0) + scale.px(18.0);
    root.draw(&Text::new(
        frame.title.clone(),
        (left, scale.px(16.0)),
        scale.bold(32.0).color(&BLACK),
    ))
    .map_err(err)?;
    let mut y = title_h;
    for line in frame.subtitle.lines() {
        root.draw(&Text::new(
            line.to_string(),
            (left, y),
            scale.font(19.0).color(&palette::GREY),
        ))
        .map_err(err)?;
        y += scale.px(25.0);
    }
    let footer_h = scale.px(34.0);
    root.draw(&Text::new(
        frame.footer.clone(),
        (w as i32 - left, h as i32 - footer_h / 2),
        scale
            .font(15.0)
            .color(&palette::GREY)
            .pos(Pos::new(HPos::Right, VPos::Center)),
    ))
    .map_err(err)?;
    let top = y + scale.px(10.0);
    let area = root.margin(top as u32, footer_h as u32, 0, 0);
    body.draw(root, &area, scale)
}

/// Digits after the point for tick labels on an axis spanning `span`.
pub fn decimals_for(span: f64) -> usize {
    if !(span.is_finite() && span > 0.0) {
        return 0;
    }
    let step = span / 8.0;
    (-step.log10().floor()).clamp(0.0, 6.0) as usize
}

/// `x` with `decimals` digits and thousands separators: `12,345.6`.
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    let zero = out.chars().all(|c| c == '0' || c == '.' || c == ',');
    if x < 0.0 && !zero {
        format!("-{out}")
    } else {
        out
    }
}

/// A value for a label: whole numbers plain, others with up to four
/// significant decimals, trailing zeros dropped.
pub fn value_label(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x.fract() == 0.0 || x.abs() >= 100.0 {
        let d = if x.fract() == 0.0 { 0 } else { 1 };
        return thousands(x, d);
    }
    let d = if x.abs() >= 1.0 {
        2
    } else {
        (3.0 - x.abs().log10().floor()).clamp(2.0, 8.0) as usize
    };
    let s = thousands(x, d);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `0.8` as `80%` (one decimal when needed).
pub fn percent(x: f64) -> String {
    let p = 100.0 * x;
    if (p - p.round()).abs() < 1e-9 {
        format!("{:.0}%", p)
    } else {
        format!("{:.1}%", p)
    }
}

/// The viridis colour map at `t` in [0, 1] (perceptually uniform, readable
/// in grey and with colour-vision deficiencies).
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 10] = [
        (0x44, 0x01, 0x54),
        (0x48, 0x28, 0x78),
        (0x3e, 0x4a, 0x89),
        (0x31, 0x68, 0x8e),
        (0x26, 0x82, 0x8e),
        (0x1f, 0x9e, 0x89),
        (0x35, 0xb7, 0x79),
        (0x6d, 0xcd, 0x59),
        (0xb4, 0xde, 0x2c),
        (0xfd, 0xe7, 0x25),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(thousands(1234567.891, 1), "1,234,567.9");
        assert_eq!(thousands(-4000.0, 0), "-4,000");
        assert_eq!(thousands(-0.01, 0), "0");
        assert_eq!(value_label(556.393), "556.4");
        assert_eq!(value_label(4000.0), "4,000");
        assert_eq!(value_label(0.0612345), "0.06123");
        assert_eq!(value_label(0.25), "0.25");
        assert_eq!(percent(0.8), "80%");
        assert_eq!(percent(0.8125), "81.2%");
        assert_eq!(decimals_for(4000.0), 0);
        assert_eq!(decimals_for(0.3), 2);
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), RGBColor(0xfd, 0xe7, 0x25));
    }
}

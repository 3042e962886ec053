//! Charts. One file per chart kind; the shared pieces live here and in two
//! helper modules, so every chart (and every future one: fan charts,
//! histograms, tornado, heatmaps) looks and reads the same.
//!
//! The shared API, in the order a chart uses it:
//!
//! - [`Chart`] + [`render`]: a chart draws onto a [`Canvas`] of any plotters
//!   backend; `render` picks PNG (in-memory bitmap, encoded with fixed
//!   settings, so identical input gives identical bytes) or SVG.
//! - [`Theme`]: pixel sizes and font sizes scaled to the requested `--size`.
//! - [`palette`]: the Okabe-Ito colour-blind-safe colours, a fixed colour per
//!   level index ([`palette::level`]) and per series ([`palette::series`]).
//! - [`Frame`] + [`draw_frame`]: title, subtitle with the key assumptions
//!   (see [`assumptions`]) and the footer stamp (scenario, config hash,
//!   forcecast version, seed). Returns the rectangle left for the chart body.
//! - [`axes`]: [`axes::Panel`] maps data to pixels; y axes with thousands
//!   separators, fiscal-year x axes ([`axes::TimeAxis`]), category axes.
//! - [`marks`]: text placed exactly ([`marks::text`]), a collision-avoiding
//!   label placer ([`marks::Placer`]), label spreading for end-of-line labels,
//!   legends, lines and milestone markers.
//!
//! All drawing happens in pixel coordinates on the whole canvas: charts map
//! their data through a `Panel`, which keeps layout and collision checks simple.

pub mod axes;
pub mod compare;
pub mod fan;
mod flows;
pub mod font;
mod headcount;
pub mod heatmap;
pub mod histogram;
mod levels;
pub mod levers;
pub mod marks;
mod pipeline;
pub mod solve;
pub mod tornado;

use crate::cli::{Format, OutputArgs};
use crate::config::Loaded;
use crate::engine::Projection;
use crate::format::{people, percent};
use crate::output::OutputFile;
use crate::scenario::{Destination, Scenario};
use crate::summary::Summary;
use anyhow::{anyhow, Context};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use plotters::style::FontStyle;

/// How charts are drawn: file format and pixel size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartOptions {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            format: Format::Png,
            width: 1600,
            height: 900,
        }
    }
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

/// The charts of one projection: `headcount`, `levels`, `pipeline` (with
/// courses only) and `flows`.
pub fn projection_charts(
    loaded: &Loaded,
    p: &Projection,
    summary: &Summary,
    opts: &ChartOptions,
) -> anyhow::Result<Vec<OutputFile>> {
    let stamp = Stamp::of(loaded);
    let mut files = vec![
        render_file(
            "headcount",
            &headcount::HeadcountChart {
                scenario: &loaded.scenario,
                p,
                summary,
                stamp: &stamp,
            },
            opts,
        )?,
        render_file(
            "levels",
            &levels::LevelsChart {
                scenario: &loaded.scenario,
                p,
                stamp: &stamp,
            },
            opts,
        )?,
    ];
    // Without courses there is no pipeline to draw.
    if !loaded.scenario.courses.is_empty() {
        files.push(render_file(
            "pipeline",
            &pipeline::PipelineChart {
                scenario: &loaded.scenario,
                p,
                summary,
                stamp: &stamp,
            },
            opts,
        )?);
    }
    files.push(render_file(
        "flows",
        &flows::FlowsChart {
            scenario: &loaded.scenario,
            p,
            stamp: &stamp,
        },
        opts,
    )?);
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
    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB>;
}

/// Renders `chart` as `<stem>.png` or `<stem>.svg`.
pub fn render_file<C: Chart>(
    stem: &str,
    chart: &C,
    opts: &ChartOptions,
) -> anyhow::Result<OutputFile> {
    let bytes = render(chart, opts).with_context(|| format!("cannot draw {stem}"))?;
    Ok(OutputFile::new(
        format!("{stem}.{}", opts.format.extension()),
        bytes,
    ))
}

/// Renders a chart to the bytes of a PNG or SVG file.
pub fn render<C: Chart>(chart: &C, opts: &ChartOptions) -> anyhow::Result<Vec<u8>> {
    register_fonts()?;
    let theme = Theme {
        vector: opts.format == Format::Svg,
        ..Theme::new(opts.width, opts.height)
    };
    let size = (opts.width, opts.height);
    match opts.format {
        Format::Png => {
            let mut rgb = vec![255u8; opts.width as usize * opts.height as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                chart.draw(&root, &theme).map_err(|e| anyhow!("{e}"))?;
                root.present().map_err(|e| anyhow!("{e}"))?;
            }
            encode_png(&rgb, opts.width, opts.height)
        }
        Format::Svg => {
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

/// The font family SVG text asks the viewer for: Noto Sans where installed
/// (same metrics as the PNG text), else any sans-serif.
pub const SVG_FAMILY: &str = "Noto Sans, sans-serif";

/// Registers the embedded Noto Sans (OFL) for plotters' `ab_glyph` text, once,
/// as "sans-serif" and as [`SVG_FAMILY`] (plotters only uses it for SVG text,
/// which it emits as `<text>`), and checks the fonts [`font`] rasterises PNG
/// text with. No system fonts are used, so output does not depend on the machine.
fn register_fonts() -> anyhow::Result<()> {
    use plotters::style::register_font;
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        ["sans-serif", SVG_FAMILY].iter().all(|name| {
            register_font(name, FontStyle::Normal, notosans::REGULAR_TTF).is_ok()
                && register_font(name, FontStyle::Bold, notosans::BOLD_TTF).is_ok()
        })
    });
    if ok && font::available() {
        Ok(())
    } else {
        Err(anyhow!("the embedded Noto Sans font could not be loaded"))
    }
}

// ---------------------------------------------------------------------------
// Sizes and fonts

/// Pixel and font sizes for one canvas. Everything is designed at 1600x900
/// and scaled with the smaller of the two ratios, so a smaller `--size` keeps
/// the same layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub width: u32,
    pub height: u32,
    pub scale: f64,
    /// Drawing SVG: text is emitted as text rather than rasterised.
    pub vector: bool,
}

impl Theme {
    pub fn new(width: u32, height: u32) -> Theme {
        let scale = (width as f64 / 1600.0).min(height as f64 / 900.0);
        Theme {
            width,
            height,
            scale,
            vector: false,
        }
    }

    /// A length designed at 1600x900, scaled (at least 1 px).
    pub fn px(&self, design: f64) -> i32 {
        ((design * self.scale).round() as i32).max(1)
    }

    /// A font size designed at 1600x900, scaled but never below 10 px.
    fn font_px(&self, design: f64) -> f64 {
        (design * self.scale).round().max(10.0)
    }

    pub fn title_size(&self) -> f64 {
        self.font_px(34.0)
    }
    pub fn subtitle_size(&self) -> f64 {
        self.font_px(19.0)
    }
    /// Axis titles and headline notes.
    pub fn label_size(&self) -> f64 {
        self.font_px(19.0)
    }
    /// Tick labels, legends and annotations.
    pub fn small_size(&self) -> f64 {
        self.font_px(17.0)
    }
    pub fn footer_size(&self) -> f64 {
        self.font_px(15.0)
    }

    /// The embedded sans-serif at `size` px for plotters' text (SVG only; PNG
    /// text goes through [`font`]). Bold must be chosen here: plotters ignores
    /// a style set on an already-built font. plotters writes SVG font sizes as
    /// size / 1.24 while the PNG's em is size / 1.362 (Noto's ascent to
    /// descent), so the size is scaled to make the two match.
    pub fn font(&self, size: f64, bold: bool) -> FontDesc<'static> {
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::Name(SVG_FAMILY), size * 1.24 / 1.362, style)
    }
}

/// The colours every chart uses. Okabe & Ito (2008), "Color Universal Design":
/// distinguishable with the common colour-vision deficiencies. Meaning is never
/// carried by colour alone: markers and words say met/missed too.
pub mod palette {
    use plotters::style::RGBColor;

    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);

    /// Body text.
    pub const TEXT: RGBColor = RGBColor(34, 34, 34);
    /// Secondary text (subtitle, footer, tick labels).
    pub const MUTED: RGBColor = RGBColor(85, 85, 85);
    /// Axis lines.
    pub const AXIS: RGBColor = RGBColor(120, 120, 120);
    /// Gridlines.
    pub const GRID: RGBColor = RGBColor(225, 225, 225);
    pub const WHITE: RGBColor = RGBColor(255, 255, 255);

    /// The counted total.
    pub const TOTAL: RGBColor = BLACK;
    pub const MET: RGBColor = BLUISH_GREEN;
    pub const MISSED: RGBColor = VERMILLION;
    /// Darker versions of MET / MISSED for text on white (contrast >= 4.5:1).
    pub const MET_TEXT: RGBColor = RGBColor(0, 112, 80);
    pub const MISSED_TEXT: RGBColor = RGBColor(170, 60, 0);
    /// People waiting for a course (not yet in the force).
    pub const QUEUE: RGBColor = ORANGE;
    /// People in a class (not yet in the force).
    pub const TRAINING: RGBColor = REDDISH_PURPLE;

    /// Colour of level `i` (config order), the same in every chart. Orange and
    /// reddish purple are kept for the queue and trainees, which share the
    /// levels chart.
    pub fn level(i: usize) -> RGBColor {
        const LEVELS: [RGBColor; 5] = [BLUE, SKY_BLUE, BLUISH_GREEN, YELLOW, VERMILLION];
        darken(LEVELS[i % LEVELS.len()], i / LEVELS.len())
    }

    /// Colour of course `i`'s filled seats (clear of the vermillion seat-limit mark).
    pub fn course(i: usize) -> RGBColor {
        const COURSES: [RGBColor; 3] = [BLUE, BLUISH_GREEN, SKY_BLUE];
        darken(COURSES[i % COURSES.len()], i / COURSES.len())
    }

    /// Colour of the `i`-th of several series (scenarios, inflow channels).
    pub fn series(i: usize) -> RGBColor {
        const SERIES: [RGBColor; 7] = [
            BLACK,
            BLUE,
            VERMILLION,
            BLUISH_GREEN,
            REDDISH_PURPLE,
            ORANGE,
            SKY_BLUE,
        ];
        if i < SERIES.len() {
            return SERIES[i];
        }
        // Later cycles skip black (darkened black is still black, which made
        // the 8th scenario look like the first) and darken the colours.
        let j = i - SERIES.len();
        let rest = SERIES.len() - 1;
        darken(SERIES[1 + j % rest], 1 + j / rest)
    }

    /// `c`, darkened until text in it reads on white (WCAG contrast >= 4.5:1,
    /// luminance approximated with gamma 2 so no libm call is involved).
    pub fn readable(c: RGBColor) -> RGBColor {
        let lum = |c: RGBColor| {
            let f = |v: u8| (v as f64 / 255.0).powi(2);
            0.2126 * f(c.0) + 0.7152 * f(c.1) + 0.0722 * f(c.2)
        };
        let mut c = c;
        while lum(c) > 0.18 {
            c = RGBColor(
                (c.0 as f64 * 0.85) as u8,
                (c.1 as f64 * 0.85) as u8,
                (c.2 as f64 * 0.85) as u8,
            );
        }
        c
    }

    /// The colour made darker `times` times (to extend a palette past its length).
    fn darken(c: RGBColor, times: usize) -> RGBColor {
        let f = 0.7f64.powi(times.min(4) as i32);
        RGBColor(
            (c.0 as f64 * f) as u8,
            (c.1 as f64 * f) as u8,
            (c.2 as f64 * f) as u8,
        )
    }
}

// ---------------------------------------------------------------------------
// The frame: title, subtitle, footer

/// A pixel rectangle on the canvas, `x0 <= x < x1`, `y0 <= y < y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

/// A corner of a plot area, for placing a legend box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

impl Rect {
    /// Top-left position of a `w` x `h` box inset by `gap` in corner `c`.
    pub fn corner(&self, c: Corner, w: i32, h: i32, gap: i32) -> (i32, i32) {
        let x = match c {
            Corner::TopLeft | Corner::BottomLeft => self.x0 + gap,
            Corner::TopRight | Corner::BottomRight => self.x1 - w - gap,
        };
        let y = match c {
            Corner::TopLeft | Corner::TopRight => self.y0 + gap,
            Corner::BottomLeft | Corner::BottomRight => self.y1 - h - gap,
        };
        (x, y)
    }

    /// The four corner positions of a `w` x `h` box, in order of preference.
    pub fn corners(&self, order: [Corner; 4], w: i32, h: i32, gap: i32) -> [(i32, i32); 4] {
        order.map(|c| self.corner(c, w, h, gap))
    }

    pub fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Rect {
        Rect { x0, y0, x1, y1 }
    }
    pub fn at(x: i32, y: i32, w: i32, h: i32) -> Rect {
        Rect {
            x0: x,
            y0: y,
            x1: x + w,
            y1: y + h,
        }
    }
    pub fn width(&self) -> i32 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> i32 {
        self.y1 - self.y0
    }
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    pub fn contains(&self, o: &Rect) -> bool {
        self.x0 <= o.x0 && o.x1 <= self.x1 && self.y0 <= o.y0 && o.y1 <= self.y1
    }
    /// The rectangle grown by `d` pixels on every side.
    pub fn grow(&self, d: i32) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
    /// Splits off the top `h` pixels: (top, rest).
    pub fn split_top(&self, h: i32) -> (Rect, Rect) {
        let y = (self.y0 + h).min(self.y1);
        (Rect { y1: y, ..*self }, Rect { y0: y, ..*self })
    }
}

/// What the footer says about where a chart came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub scenario: String,
    /// First 12 hex digits of the SHA-256 of the merged config.
    pub config: String,
    /// The seed, for charts of random draws.
    pub seed: Option<u64>,
    /// Where the scenario's figures come from, if the config says.
    pub source: Option<String>,
}

impl Stamp {
    pub fn of(loaded: &Loaded) -> Stamp {
        Stamp {
            scenario: loaded.scenario.name.clone(),
            config: loaded.short_hash().to_string(),
            seed: None,
            source: loaded.scenario.source.clone(),
        }
    }

    /// The footer text: scenario, config hash, version and seed.
    pub fn text(&self) -> String {
        let mut s = format!(
            "scenario {} · config {} · forcecast {}",
            self.scenario,
            self.config,
            env!("CARGO_PKG_VERSION")
        );
        if let Some(seed) = self.seed {
            s.push_str(&format!(" · seed {seed}"));
        }
        s
    }
}

/// Title, subtitle and footer of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub title: String,
    /// Subtitle parts, joined with " · " and wrapped to the width.
    pub subtitle: Vec<String>,
    /// Left footer text (see [`Stamp::text`]).
    pub footer: String,
    /// Right footer text (e.g. the source), shortened to fit.
    pub footer_right: Option<String>,
}

impl Frame {
    pub fn new(title: impl Into<String>, subtitle: Vec<String>, stamp: &Stamp) -> Frame {
        Frame {
            title: title.into(),
            subtitle,
            footer: stamp.text(),
            footer_right: stamp.source.as_ref().map(|s| format!("Source: {s}")),
        }
    }
}

/// Outer margin of the canvas.
fn margin(theme: &Theme) -> i32 {
    theme.px(26.0)
}

/// Fills the canvas white, draws the frame and returns the rectangle left for the chart.
pub fn draw_frame<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    frame: &Frame,
) -> DrawResult<Rect, DB> {
    root.fill(&palette::WHITE)?;
    let m = margin(theme);
    let (w, h) = (theme.width as i32, theme.height as i32);
    let inner_w = w - 2 * m;

    let ts = theme.title_size();
    let title = marks::fit(root, theme, &frame.title, ts, true, inner_w);
    marks::text(
        root,
        theme,
        &title,
        ts,
        true,
        &palette::TEXT,
        (m, m),
        HPos::Left,
        marks::VAlign::Top,
    )?;
    let mut y = m + (ts * 1.25) as i32;

    let ss = theme.subtitle_size();
    let lines = marks::wrap(root, theme, &frame.subtitle, " · ", ss, false, inner_w);
    for line in &lines {
        marks::text(
            root,
            theme,
            line,
            ss,
            false,
            &palette::MUTED,
            (m, y),
            HPos::Left,
            marks::VAlign::Top,
        )?;
        y += (ss * 1.4) as i32;
    }

    let fs = theme.footer_size();
    let fy = h - m + theme.px(4.0) - (fs * 0.75) as i32;
    root.draw(&PathElement::new(
        vec![(m, fy - theme.px(10.0)), (w - m, fy - theme.px(10.0))],
        palette::GRID.stroke_width(theme.px(1.0) as u32),
    ))?;
    let left = marks::text(
        root,
        theme,
        &frame.footer,
        fs,
        false,
        &palette::MUTED,
        (m, fy),
        HPos::Left,
        marks::VAlign::Top,
    )?;
    if let Some(right) = &frame.footer_right {
        let room = (w - m) - (left.x1 + theme.px(40.0));
        if room > theme.px(120.0) {
            let right = marks::fit(root, theme, right, fs, false, room);
            marks::text(
                root,
                theme,
                &right,
                fs,
                false,
                &palette::MUTED,
                (w - m, fy),
                HPos::Right,
                marks::VAlign::Top,
            )?;
        }
    }
    Ok(Rect::new(m, y + theme.px(10.0), w - m, fy - theme.px(22.0)))
}

// ---------------------------------------------------------------------------
// Assumption text for subtitles

/// Short descriptions of a scenario's key assumptions, for subtitles:
/// `[inflows, course seats, attrition]`, each omitted when empty.
pub fn assumptions(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let inflows = intake_text(s);
    if !inflows.is_empty() {
        out.push(inflows);
    }
    let seats = seats_text(s);
    if !seats.is_empty() {
        out.push(seats);
    }
    out.push(attrition_text(s));
    out
}

/// "Intake/yr: transfers 400, recruits 36 (60 × 60%), ..." over the horizon's fiscal years.
pub fn intake_text(s: &Scenario) -> String {
    if s.inflows.is_empty() {
        return String::new();
    }
    let fys = fiscal_years(s);
    let parts: Vec<String> = s
        .inflows
        .iter()
        .map(|f| {
            let planned: Vec<f64> = fys.iter().map(|&fy| f.planned(fy)).collect();
            let (lo, hi) = min_max(&planned);
            let got = |x: f64| people(x * f.achievement);
            let amount = if (hi - lo).abs() < 0.5 {
                got(hi)
            } else {
                format!("{}–{}", got(lo), got(hi))
            };
            let how = if f.achievement < 1.0 {
                let plan = if (hi - lo).abs() < 0.5 {
                    people(hi)
                } else {
                    format!("{}–{}", people(lo), people(hi))
                };
                format!(" ({plan} × {})", percent(f.achievement))
            } else {
                String::new()
            };
            format!("{} {amount}{how}", f.name)
        })
        .collect();
    format!("Intake/yr: {}", parts.join(", "))
}

/// "Seats/yr: cyber_school 130 (2 × 65)".
pub fn seats_text(s: &Scenario) -> String {
    if s.courses.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = s
        .courses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{} {} ({} × {})",
                c.name,
                people(s.seats_per_year(i)),
                c.classes_per_year(),
                people(c.seats_per_class)
            )
        })
        .collect();
    format!("Seats/yr: {}", parts.join(", "))
}

/// "Attrition/yr: basic 6%, intermediate 8%, advanced 12%".
pub fn attrition_text(s: &Scenario) -> String {
    let parts: Vec<String> = s
        .levels
        .iter()
        .map(|l| format!("{} {}", l.name, percent(l.attrition)))
        .collect();
    let mut t = format!("Attrition/yr: {}", parts.join(", "));
    if !s.shocks.is_empty() {
        t.push_str(&format!(
            " ({} shock{})",
            s.shocks.len(),
            if s.shocks.len() == 1 { "" } else { "s" }
        ));
    }
    t
}

/// Where an inflow goes, for legends: "basic" or "cyber_school queue".
pub fn destination_text(s: &Scenario, d: Destination) -> String {
    match d {
        Destination::Level(l) => s.levels[l].name.clone(),
        Destination::Course(c) => format!("{} queue", s.courses[c].name),
    }
}

/// The fiscal years the horizon touches.
pub fn fiscal_years(s: &Scenario) -> Vec<i32> {
    let first = s.start.fiscal_year(s.fy_start_month);
    let last = s.end.fiscal_year(s.fy_start_month);
    (first..=last).collect()
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// "FY2023" (or "2023" for calendar years).
pub fn fy_label(fy: i32, fy_start_month: u32) -> String {
    if fy_start_month == 1 {
        fy.to_string()
    } else {
        format!("FY{fy}")
    }
}

/// "Apr", "May", ...
pub fn month_abbrev(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_colours_are_fixed_and_distinct() {
        let c: Vec<_> = (0..8).map(palette::level).collect();
        for i in 0..c.len() {
            for j in 0..i {
                assert_ne!(c[i], c[j], "levels {i} and {j}");
            }
        }
        assert_eq!(palette::level(0), palette::BLUE);
    }

    #[test]
    fn theme_scales_with_the_smaller_ratio() {
        let t = Theme::new(800, 900);
        assert_eq!(t.scale, 0.5);
        assert_eq!(t.px(26.0), 13);
        assert_eq!(t.small_size(), 10.0);
    }
}

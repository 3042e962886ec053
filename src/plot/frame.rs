//! The frame every chart shares: title, subtitle, headline and footer, and
//! the pixel rectangles charts lay themselves out in.

use super::{marks, palette, Canvas, DrawResult, Theme};
use crate::config::Loaded;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

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
    /// The rectangle without its top `d` pixels.
    pub fn cut_top(&self, d: i32) -> Rect {
        Rect {
            y0: self.y0 + d,
            ..*self
        }
    }
    /// The ends of a line across the rectangle at row `y`.
    pub fn hline(&self, y: i32) -> [(i32, i32); 2] {
        [(self.x0, y), (self.x1 - 1, y)]
    }
    /// The ends of a line down the rectangle at column `x`.
    pub fn vline(&self, x: i32) -> [(i32, i32); 2] {
        [(x, self.y0), (x, self.y1 - 1)]
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

/// One headline line.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub text: String,
    pub bold: bool,
    pub color: RGBColor,
}

/// Title, subtitle, headline and footer of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub title: String,
    /// Subtitle parts, joined with " · " and wrapped to the width.
    pub subtitle: Vec<String>,
    /// The answer first: lines above the chart body, each wrapped at " · ".
    pub headline: Vec<Headline>,
    /// Notes above the footer, wrapped: e.g. the full names behind names
    /// shortened on the chart.
    pub notes: Vec<String>,
    /// Space between the headline and the body, in design pixels.
    pub headline_gap: f64,
    /// Footer text on the left (see [`Stamp::text`]), and on the right if
    /// any (e.g. the source), shortened to fit.
    pub footer: (String, Option<String>),
}

/// The note that gives the full names behind shortened ones (each short
/// name is the start of its full name, up to a "_", "-" or "."):
/// "Full names: long_name_of_a_level · …", one part per name.
pub fn full_names(pairs: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (short, full) in pairs {
        if short != full && !out.contains(full) {
            out.push(full.clone());
        }
    }
    if let Some(first) = out.first_mut() {
        *first = format!("Full names: {first}");
    }
    out
}

impl Frame {
    pub fn new(title: impl Into<String>, subtitle: Vec<String>, stamp: &Stamp) -> Frame {
        let mut frame = Frame::plain(title, subtitle, stamp.text());
        frame.footer.1 = stamp.source.as_ref().map(|s| format!("Source: {s}"));
        frame
    }

    /// A frame with its own footer text and no source.
    pub fn plain(title: impl Into<String>, subtitle: Vec<String>, footer: String) -> Frame {
        Frame {
            title: title.into(),
            subtitle,
            headline: Vec::new(),
            notes: Vec::new(),
            headline_gap: 8.0,
            footer: (footer, None),
        }
    }

    /// Adds a bold headline line in `color`.
    pub fn headline(mut self, text: impl Into<String>, color: RGBColor) -> Frame {
        self.headline.push(Headline {
            text: text.into(),
            bold: true,
            color,
        });
        self
    }

    /// Adds a headline line in regular weight.
    pub fn note(mut self, text: impl Into<String>) -> Frame {
        self.headline.push(Headline {
            text: text.into(),
            bold: false,
            color: palette::TEXT,
        });
        self
    }
}

/// Most of the canvas height the subtitle may take.
const SUBTITLE_SHARE: f64 = 0.16;

/// Most of the canvas height the notes above the footer may take.
const NOTES_SHARE: f64 = 0.14;

/// Most of the canvas height the notes take when all of them fit in it.
const NOTES_MAX_SHARE: f64 = 0.26;

/// `parts` wrapped to `width` in at most `budget` lines: parts are kept in
/// order while they fit; the rest are left out, and a last part says how
/// many `what`s more are in the config.
fn budgeted_lines(
    parts: &[String],
    size: f64,
    width: i32,
    budget: usize,
    what: &str,
) -> Vec<String> {
    let all = marks::wrap(parts, " · ", size, false, width);
    if all.len() <= budget {
        return all;
    }
    for keep in (0..parts.len()).rev() {
        let left = parts.len() - keep;
        let mut shown = parts[..keep].to_vec();
        shown.push(format!(
            "{left} more {what}{} in the config",
            if left == 1 { "" } else { "s" }
        ));
        let lines = marks::wrap(&shown, " · ", size, false, width);
        if lines.len() <= budget {
            return lines;
        }
    }
    Vec::new()
}

/// The subtitle lines [`draw_frame`] draws for `parts`: those that fit
/// [`SUBTITLE_SHARE`] of the height, and a count of the rest.
pub fn subtitle_lines(theme: &Theme, parts: &[String]) -> Vec<String> {
    let ss = theme.subtitle_size();
    let line_h = (ss * 1.4) as i32;
    let budget = ((theme.height as f64 * SUBTITLE_SHARE) as i32 / line_h).max(2) as usize;
    let inner_w = theme.width as i32 - 2 * margin(theme);
    budgeted_lines(parts, ss, inner_w, budget, "assumption")
}

/// The height notes take above the footer beyond their usual
/// [`NOTES_SHARE`] of the canvas (0 when they fit it), for charts that
/// give the room back (fewer tornado rows); `None` when not all of them fit
/// even in [`NOTES_MAX_SHARE`].
pub fn notes_overflow(theme: &Theme, notes: &[String]) -> Option<i32> {
    if notes.is_empty() {
        return Some(0);
    }
    let fs = theme.footer_size();
    let step = (fs * 1.3) as i32;
    let inner_w = theme.width as i32 - 2 * margin(theme);
    let whole = marks::wrap(notes, " · ", fs, false, inner_w).len() as i32;
    let most = ((theme.height as f64 * NOTES_MAX_SHARE) as i32 / step).max(1);
    let usual = ((theme.height as f64 * NOTES_SHARE) as i32 / step).max(1);
    (whole <= most).then_some((whole - usual).max(0) * step)
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

    // The title wraps (two lines at most in practice); the subtitle wraps
    // too, within a budget of the height so the chart keeps its room: parts
    // that do not fit are left out whole (never cut mid-word) and counted.
    let ts = theme.title_size();
    let title_lines = marks::wrap(std::slice::from_ref(&frame.title), " ", ts, true, inner_w);
    let mut y = m;
    for line in &title_lines {
        marks::text(
            root,
            theme,
            line,
            ts,
            true,
            &palette::TEXT,
            (m, y),
            HPos::Left,
            marks::VAlign::Top,
        )?;
        y += (ts * 1.2) as i32;
    }
    y += (ts * 0.05) as i32;

    let ss = theme.subtitle_size();
    let line_h = (ss * 1.4) as i32;
    let lines = subtitle_lines(theme, &frame.subtitle);
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
        y += line_h;
    }

    let fs = theme.footer_size();
    let fy = h - m + theme.px(4.0) - (fs * 0.75) as i32;
    let left = marks::text(
        root,
        theme,
        &frame.footer.0,
        fs,
        false,
        &palette::MUTED,
        (m, fy),
        HPos::Left,
        marks::VAlign::Top,
    )?;
    // The source beside the stamp when it fits, else on lines of its own above it.
    let mut rule_y = fy - theme.px(10.0);
    if let Some(right) = &frame.footer.1 {
        let room = (w - m) - (left.x1 + theme.px(40.0));
        if marks::text_size(right, fs, false).0 <= room {
            marks::text(
                root,
                theme,
                right,
                fs,
                false,
                &palette::MUTED,
                (w - m, fy),
                HPos::Right,
                marks::VAlign::Top,
            )?;
        } else {
            let src = marks::wrap(std::slice::from_ref(right), " ", fs, false, inner_w);
            let step = (fs * 1.3) as i32;
            let sy = fy - step * src.len() as i32;
            rule_y = sy - theme.px(10.0);
            muted_lines(root, theme, &src, fs, (m, sy), step)?;
        }
    }
    if !frame.notes.is_empty() {
        let step = (fs * 1.3) as i32;
        // Full names the chart shortened must all be there (the layout check
        // holds charts to it): on a small canvas they may take up to
        // NOTES_MAX_SHARE of the height rather than be left out.
        let whole = marks::wrap(&frame.notes, " · ", fs, false, inner_w).len();
        let budget = ((h as f64 * NOTES_SHARE) as i32 / step).max(1) as usize;
        let most = ((h as f64 * NOTES_MAX_SHARE) as i32 / step).max(1) as usize;
        let budget = if whole <= most {
            budget.max(whole)
        } else {
            budget
        };
        let lines = budgeted_lines(&frame.notes, fs, inner_w, budget, "name");
        let ny = rule_y - theme.px(4.0) - step * lines.len() as i32;
        rule_y = ny - theme.px(10.0);
        muted_lines(root, theme, &lines, fs, (m, ny), step)?;
    }
    root.draw(&PathElement::new(
        vec![(m, rule_y), (w - m, rule_y)],
        palette::GRID.stroke_width(theme.px(1.0) as u32),
    ))?;
    let fy = rule_y + theme.px(10.0);
    let mut body = Rect::new(m, y + theme.px(10.0), w - m, fy - theme.px(22.0));
    for h in &frame.headline {
        body = marks::headline(root, theme, &h.text, h.bold, &h.color, body)?;
    }
    if !frame.headline.is_empty() {
        body.y0 += theme.px(frame.headline_gap);
    }
    Ok(body)
}

/// Footer text: `lines` in the muted colour, left-aligned from `at` down, `step` apart.
fn muted_lines<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    lines: &[String],
    fs: f64,
    at: (i32, i32),
    step: i32,
) -> DrawResult<(), DB> {
    for (i, line) in lines.iter().enumerate() {
        marks::text(
            root,
            theme,
            line,
            fs,
            false,
            &palette::MUTED,
            (at.0, at.1 + step * i as i32),
            HPos::Left,
            marks::VAlign::Top,
        )?;
    }
    Ok(())
}

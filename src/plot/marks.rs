//! Marks shared by the charts: text placed exactly, labels that avoid each
//! other, legends, lines, markers and milestone marks. Everything is in canvas
//! pixels.

use super::{font, layout, palette, Canvas, Corner, DrawResult, Rect, Theme};
use crate::format::whole_percent;
use crate::summary::MilestoneResult;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Which part of the text a y coordinate refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    /// Top of the capital letters.
    Top,
    /// Middle of the capital letters (for text beside a tick or marker).
    Middle,
    /// The baseline.
    Baseline,
}

// Text is placed by the top of its capitals (Noto Sans: cap height 0.714 em;
// a text size is the ascent-to-descent height, 1.362 em).
const CAP: f64 = 0.524;
const DESCENT: f64 = 0.215;

/// Width and height (capital top to descender) of `s` in pixels.
pub fn text_size(s: &str, size: f64, bold: bool) -> (i32, i32) {
    (font::width(s, size, bold).ceil() as i32, text_height(size))
}

/// Room above the capitals for accents and ascenders: part of a text's box.
fn lift(size: f64) -> i32 {
    (size * 0.06) as i32
}

/// Height of one line of text, capital top to descender.
pub fn text_height(size: f64) -> i32 {
    (size * (CAP + DESCENT)).ceil() as i32 + 1
}

/// Draws `s` with its horizontal anchor `h` at x and its vertical anchor `v` at
/// y. Returns the rectangle the text covers.
#[allow(clippy::too_many_arguments)]
pub fn text<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    s: &str,
    size: f64,
    bold: bool,
    color: &RGBColor,
    (x, y): (i32, i32),
    h: HPos,
    v: VAlign,
) -> DrawResult<Rect, DB> {
    let cap = (size * CAP).round() as i32;
    let top = match v {
        VAlign::Top => y,
        VAlign::Middle => y - cap / 2,
        VAlign::Baseline => y - cap,
    };
    let (w, th) = text_size(s, size, bold);
    let x0 = match h {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    if theme.vector {
        // SVG puts a top-anchored baseline 0.76 em down (em = size / 1.362, see
        // `Theme::font`): lift it to ours.
        let lift = (size * (0.76 / 1.362 - CAP)).round() as i32;
        let style = theme
            .font(size, bold)
            .color(color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        root.draw_text(s, &style, (x0, top - lift))?;
    } else {
        font::draw(root, s, size, bold, color, x0 as f64, top + cap, false)?;
    }
    let r = Rect::new(x0, top - lift(size), x0 + w, top + th);
    layout::text(r, s);
    Ok(r)
}

/// Draws `s` reading upwards, centred on y, the tops of its capitals at x.
#[allow(clippy::too_many_arguments)]
pub fn text_up<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    s: &str,
    size: f64,
    bold: bool,
    color: &RGBColor,
    (x, y): (i32, i32),
) -> DrawResult<(), DB> {
    if theme.vector {
        let style = theme
            .font(size, bold)
            .color(color)
            .pos(Pos::new(HPos::Center, VPos::Top))
            .transform(FontTransform::Rotate270);
        root.draw_text(s, &style, (x, y))?;
    } else {
        let w = font::width(s, size, bold);
        let cap = (size * CAP).round() as i32;
        font::draw(
            root,
            s,
            size,
            bold,
            color,
            (y as f64 + w / 2.0).round(),
            x + cap,
            true,
        )?;
    }
    // Reading upwards: the text's width runs along y, its height along x.
    let (w, th) = text_size(s, size, bold);
    let top = (size * 0.06) as i32;
    layout::text(Rect::new(x - top, y - w / 2, x + th, y - w / 2 + w), s);
    Ok(())
}

/// `s` shortened with "…" so that it fits in `width` pixels.
pub fn fit(s: &str, size: f64, bold: bool, width: i32) -> String {
    if text_size(s, size, bold).0 <= width {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        n -= 1;
        // No punctuation before the "…": "name,…" or "sentence.…" read as typos.
        let kept: String = chars[..n].iter().collect();
        let kept = kept.trim_end_matches(|c: char| c.is_whitespace() || ".,;:·—–-_(".contains(c));
        if kept.is_empty() && n > 0 {
            continue;
        }
        let t = format!("{kept}…");
        if text_size(&t, size, bold).0 <= width {
            layout::cut(&t, s);
            return t;
        }
    }
    layout::cut("", s);
    String::new()
}

/// A name (level, course, inflow: letters, digits, `_` and `-`) shortened
/// to `width` pixels: whole words (split at `_`, `-`, `.` and spaces) from
/// the start, then "…". Charts that shorten a name show it in full
/// elsewhere (subtitle, legend or footnote); the layout check holds them to it.
pub fn short_name(s: &str, size: f64, bold: bool, width: i32) -> String {
    if text_size(s, size, bold).0 <= width {
        return s.to_string();
    }
    let mut best = String::new();
    for (i, c) in s.char_indices() {
        if i > 0 && "_-. ".contains(c) {
            let t = format!("{}…", &s[..i]);
            if text_size(&t, size, bold).0 <= width {
                best = t;
            } else {
                break;
            }
        }
    }
    if best.is_empty() {
        return fit(s, size, bold, width);
    }
    layout::cut(&best, s);
    best
}

/// The first of `options` (longest first, each a complete text) that fits
/// in `width`; the last one shortened with "…" if none does.
pub fn first_fitting(options: &[&str], size: f64, bold: bool, width: i32) -> String {
    options
        .iter()
        .find(|o| text_size(o, size, bold).0 <= width)
        .map_or_else(
            || fit(options.last().copied().unwrap_or(""), size, bold, width),
            |o| o.to_string(),
        )
}

/// An axis title in `width` pixels: whole, else without its parenthesis or
/// what follows a ";" (the units stay in the tick labels), else shortened.
pub fn axis_title(s: &str, size: f64, width: i32) -> String {
    let mut options = vec![s.to_string()];
    if let Some((a, _)) = s.split_once(';') {
        options.push(a.trim().to_string());
    }
    if let Some((a, _)) = s.split_once(" (") {
        options.push(a.trim().to_string());
    }
    if let Some((a, _)) = s.split_once(' ') {
        options.push(a.to_string());
    }
    let refs: Vec<&str> = options.iter().map(String::as_str).collect();
    first_fitting(&refs, size, false, width)
}

/// Joins `parts` with `sep` into lines no wider than `width`, breaking between
/// parts where possible and between words otherwise.
pub fn wrap(parts: &[String], sep: &str, size: f64, bold: bool, width: i32) -> Vec<String> {
    let fits = |s: &str| text_size(s, size, bold).0 <= width;
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for part in parts {
        let joined = if cur.is_empty() {
            part.clone()
        } else {
            format!("{cur}{sep}{part}")
        };
        if fits(&joined) {
            cur = joined;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        // The part alone: break between words if it is still too wide.
        for word in part.split(' ') {
            let joined = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur} {word}")
            };
            if fits(&joined) || cur.is_empty() {
                cur = joined;
            } else {
                lines.push(std::mem::replace(&mut cur, word.to_string()));
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Draws a headline at the top of `body`, wrapped at its " · " separators (or
/// words) to the body's width, and returns the body below it.
pub fn headline<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    text: &str,
    bold: bool,
    color: &RGBColor,
    body: Rect,
) -> DrawResult<Rect, DB> {
    let size = theme.label_size();
    let parts: Vec<String> = text.split(" · ").map(str::to_string).collect();
    let mut y = body.y0;
    for line in wrap(&parts, " · ", size, bold, body.width()) {
        text_line(root, theme, &line, size, bold, color, (body.x0, y))?;
        y += (size * 1.35) as i32;
    }
    Ok(Rect { y0: y, ..body })
}

/// Draws one line of text with its top-left corner at that of `r` (a
/// rectangle a [`Placer`] handed out for it).
pub fn label<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    s: &str,
    size: f64,
    bold: bool,
    color: &RGBColor,
    r: Rect,
) -> DrawResult<Rect, DB> {
    // A placed rectangle is text_size() tall; the box starts `lift` above the capitals.
    let (w, h) = text_size(s, size, bold);
    let rect = Rect::at(r.x0, r.y0, w, h + lift(size));
    text_line(root, theme, s, size, bold, color, (r.x0, r.y0 + lift(size)))?;
    Ok(rect)
}

/// Line step of several lines of text.
pub fn line_step(size: f64) -> i32 {
    text_height(size) + lift(size) + (size * 0.2) as i32
}

/// Size of several lines of text drawn by [`lines`].
pub fn lines_size(lines: &[String], size: f64, bold: bool) -> (i32, i32) {
    let w = lines
        .iter()
        .map(|l| text_size(l, size, bold).0)
        .max()
        .unwrap_or(0);
    let n = lines.len().max(1) as i32;
    (
        w,
        line_step(size) * (n - 1) + text_height(size) + lift(size),
    )
}

/// Draws several lines of text from the top-left corner of `r`.
#[allow(clippy::too_many_arguments)]
pub fn lines<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    lines: &[String],
    size: f64,
    bold: bool,
    color: &RGBColor,
    r: Rect,
) -> DrawResult<(), DB> {
    let mut y = r.y0;
    for l in lines {
        label(root, theme, l, size, bold, color, Rect { y0: y, ..r })?;
        y += line_step(size);
    }
    Ok(())
}

/// A thin grey line from the nearest point of `r` to `to`, when that is more
/// than `min` pixels away (so a label that had to move still points at its mark).
pub fn leader<DB: DrawingBackend>(
    root: &Canvas<DB>,
    r: Rect,
    to: (i32, i32),
    min: i32,
) -> DrawResult<(), DB> {
    let nx = to.0.clamp(r.x0, r.x1);
    let ny = to.1.clamp(r.y0, r.y1);
    if (nx - to.0).abs() + (ny - to.1).abs() > min {
        line(root, &[(nx, ny), to], &palette::AXIS, 1)?;
    }
    Ok(())
}

fn text_line<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    s: &str,
    size: f64,
    bold: bool,
    color: &RGBColor,
    at: (i32, i32),
) -> DrawResult<Rect, DB> {
    text(
        root,
        theme,
        s,
        size,
        bold,
        color,
        at,
        HPos::Left,
        VAlign::Top,
    )
}

// ---------------------------------------------------------------------------
// Placement

/// Finds room for labels: remembers what is drawn (lines, markers, labels) and
/// hands out the first candidate rectangle that overlaps none of it.
#[derive(Debug, Clone)]
pub struct Placer {
    /// Labels must stay inside.
    pub bounds: Rect,
    taken: Vec<Rect>,
}

impl Placer {
    pub fn new(bounds: Rect) -> Placer {
        Placer {
            bounds,
            taken: Vec::new(),
        }
    }

    /// A placer for labels inside a panel's plotting area `a`, kept clear of its edges.
    pub fn in_panel(a: Rect) -> Placer {
        Placer::new(Rect::new(a.x0 + 4, a.y0 + 2, a.x1 - 4, a.y1 - 4))
    }

    /// Marks `r` as occupied.
    pub fn block(&mut self, r: Rect) {
        self.taken.push(r);
    }

    /// Marks a drawn polyline (with `pad` pixels either side) as occupied.
    pub fn block_path(&mut self, pts: &[(i32, i32)], pad: i32) {
        const STEP: i32 = 6;
        for w in pts.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            let n = ((x1 - x0).abs().max((y1 - y0).abs()) / STEP).max(1);
            for i in 0..n {
                let a = (x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n);
                let b = (x0 + (x1 - x0) * (i + 1) / n, y0 + (y1 - y0) * (i + 1) / n);
                self.taken.push(
                    Rect::new(
                        a.0.min(b.0),
                        a.1.min(b.1),
                        a.0.max(b.0) + 1,
                        a.1.max(b.1) + 1,
                    )
                    .grow(pad),
                );
            }
        }
    }

    /// Whether `r` is inside the bounds and overlaps nothing taken.
    pub fn is_free(&self, r: &Rect) -> bool {
        self.bounds.contains(r) && !self.taken.iter().any(|t| t.intersects(r))
    }

    /// The first free rectangle of size `w` x `h` among the top-left corners
    /// `candidates`; it is then taken.
    pub fn place(
        &mut self,
        w: i32,
        h: i32,
        candidates: impl IntoIterator<Item = (i32, i32)>,
    ) -> Option<Rect> {
        let r = candidates
            .into_iter()
            .map(|(x, y)| Rect::at(x, y, w, h))
            .find(|r| self.is_free(r))?;
        self.taken.push(r);
        Some(r)
    }

    /// Room for a `w` x `h` box near `anchor`, trying positions around it at
    /// growing distances, in the preferred directions `dirs` first
    /// (each (dx, dy) in -1..=1: -1 = left of/above the anchor).
    pub fn place_near(
        &mut self,
        anchor: (i32, i32),
        w: i32,
        h: i32,
        gap: i32,
        dirs: &[(i32, i32)],
    ) -> Option<Rect> {
        let (ax, ay) = anchor;
        let mut cands = Vec::new();
        for step in 0..24 {
            let d = gap + step * gap.max(4);
            for &(dx, dy) in dirs.iter().chain(ALL_DIRS.iter()) {
                let x = match dx {
                    -1 => ax - d - w,
                    0 => ax - w / 2,
                    _ => ax + d,
                };
                let y = match dy {
                    -1 => ay - d - h,
                    0 => ay - h / 2,
                    _ => ay + d,
                };
                cands.push((x, y));
            }
        }
        self.place(w, h, cands)
    }

    /// Room near `anchor` (see [`Placer::place_near`]) for one line of text.
    pub fn place_text(
        &mut self,
        s: &str,
        size: f64,
        bold: bool,
        anchor: (i32, i32),
        gap: i32,
        dirs: &[(i32, i32)],
    ) -> Option<Rect> {
        let (w, h) = text_size(s, size, bold);
        self.place_near(anchor, w, h + lift(size), gap, dirs)
    }

    /// Room for the legend of `items` in the first free corner, or `None`.
    pub fn place_legend(
        &mut self,
        theme: &Theme,
        items: &[LegendItem],
        at: Corners,
    ) -> Option<Rect> {
        let (w, h) = legend_size(theme, items);
        self.place(w, h, at.area.corners(at.order, w, h, at.gap))
    }

    /// The first free `w` x `h` box anywhere in `area`, trying top-left
    /// corners `step` pixels apart, row by row from `gap` inside the top left.
    pub fn scan(&mut self, area: Rect, w: i32, h: i32, step: i32, gap: i32) -> Option<Rect> {
        let cands: Vec<(i32, i32)> = (0..(area.height() / step))
            .flat_map(|j| {
                (0..(area.width() / step))
                    .map(move |i| (area.x0 + gap + i * step, area.y0 + gap + j * step))
            })
            .collect();
        self.place(w, h, cands)
    }
}

const ALL_DIRS: [(i32, i32); 8] = [
    (1, 1),
    (-1, 1),
    (1, -1),
    (-1, -1),
    (1, 0),
    (-1, 0),
    (0, 1),
    (0, -1),
];

/// Vertical positions for labels that want to sit at centres `want` (with
/// heights `h`) without overlapping, inside `lo..hi`, keeping their order.
/// Returns the top of each label.
pub fn spread(want: &[i32], h: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..want.len()).collect();
    order.sort_by_key(|&i| (want[i], i));
    let mut top = vec![0; want.len()];
    let mut next = lo;
    for &i in &order {
        top[i] = (want[i] - h[i] / 2).max(next);
        next = top[i] + h[i] + gap;
    }
    // Push back up from the bottom if the last ones ran past `hi`.
    let mut limit = hi;
    for &i in order.iter().rev() {
        top[i] = top[i].min(limit - h[i]).max(lo);
        limit = top[i] - gap;
    }
    top
}

/// A label at the end of a line, in the right margin, in bold.
#[derive(Debug, Clone, PartialEq)]
pub struct EndLabel {
    /// Pixel row of the line's last point.
    pub y: i32,
    pub text: String,
    pub color: RGBColor,
}

impl EndLabel {
    pub fn new(y: i32, text: impl Into<String>, color: RGBColor) -> EndLabel {
        EndLabel {
            y,
            text: text.into(),
            color,
        }
    }
}

/// Width the right margin needs for `labels` (text plus a gap on each side).
pub fn end_labels_width(theme: &Theme, labels: &[EndLabel]) -> i32 {
    let size = theme.small_size();
    labels
        .iter()
        .map(|l| text_size(&l.text, size, true).0)
        .max()
        .unwrap_or(0)
        + theme.px(24.0)
}

/// Draws end-of-line labels starting at x, each as close to its line's last
/// point as the others allow, within `lo..hi`; a short leader joins a label
/// that had to move.
pub fn end_labels<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    labels: &[EndLabel],
    x: i32,
    lo: i32,
    hi: i32,
) -> DrawResult<(), DB> {
    let size = theme.small_size();
    let h = text_height(size);
    let want: Vec<i32> = labels.iter().map(|l| l.y).collect();
    let tops = spread(&want, &vec![h; labels.len()], theme.px(3.0), lo, hi);
    let gap = theme.px(9.0);
    for (l, top) in labels.iter().zip(tops) {
        let mid = top + (size * CAP / 2.0).round() as i32;
        if (mid - l.y).abs() > h / 2 {
            line(root, &[(x - gap, l.y), (x - 3, mid)], &l.color, 1)?;
        }
        text(
            root,
            theme,
            &l.text,
            size,
            true,
            &l.color,
            (x, top),
            HPos::Left,
            VAlign::Top,
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Lines and markers

/// A solid polyline.
pub fn line<DB: DrawingBackend>(
    root: &Canvas<DB>,
    pts: &[(i32, i32)],
    color: &RGBColor,
    width: i32,
) -> DrawResult<(), DB> {
    record_line(pts, color, width);
    root.draw(&PathElement::new(
        pts.to_vec(),
        color.stroke_width(width.max(1) as u32),
    ))?;
    Ok(())
}

/// A dashed polyline: dashes of `dash` pixels separated by `gap`.
pub fn dashed<DB: DrawingBackend>(
    root: &Canvas<DB>,
    pts: &[(i32, i32)],
    color: &RGBColor,
    width: i32,
    dash: i32,
    gap: i32,
) -> DrawResult<(), DB> {
    record_line(pts, color, width);
    root.draw(&plotters::element::DashedPathElement::new(
        pts.to_vec(),
        dash.max(1),
        gap.max(1),
        color.stroke_width(width.max(1) as u32),
    ))?;
    Ok(())
}

/// Lines in grid, axis or white (halos, separators) are furniture, not data.
fn record_line(pts: &[(i32, i32)], color: &RGBColor, width: i32) {
    if ![palette::GRID, palette::AXIS, palette::WHITE].contains(color) {
        layout::data_path(pts, width);
    }
}

/// Marker shapes. Met and missed differ in shape as well as colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Diamond,
    Square,
    TriangleUp,
    TriangleDown,
    /// A short horizontal bar (a target level).
    Bar,
}

/// Draws a marker of half-size `r` centred on `c`, filled with `fill` and
/// outlined in `outline`. Returns the rectangle it covers.
pub fn marker<DB: DrawingBackend>(
    root: &Canvas<DB>,
    kind: Marker,
    c: (i32, i32),
    r: i32,
    fill: &RGBColor,
    outline: &RGBColor,
    outline_width: i32,
) -> DrawResult<Rect, DB> {
    let rect = draw_marker(root, kind, c, r, fill, outline, outline_width)?;
    layout::data(rect);
    Ok(rect)
}

fn draw_marker<DB: DrawingBackend>(
    root: &Canvas<DB>,
    kind: Marker,
    (x, y): (i32, i32),
    r: i32,
    fill: &RGBColor,
    outline: &RGBColor,
    outline_width: i32,
) -> DrawResult<Rect, DB> {
    let poly: Vec<(i32, i32)> = match kind {
        Marker::Circle => {
            root.draw(&Circle::new((x, y), r, fill.filled()))?;
            root.draw(&Circle::new(
                (x, y),
                r,
                outline.stroke_width(outline_width.max(1) as u32),
            ))?;
            return Ok(Rect::new(x - r, y - r, x + r + 1, y + r + 1));
        }
        Marker::Diamond => vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)],
        Marker::Square => vec![
            (x - r, y - r),
            (x + r, y - r),
            (x + r, y + r),
            (x - r, y + r),
        ],
        Marker::TriangleUp => vec![(x, y - r), (x + r, y + r * 3 / 4), (x - r, y + r * 3 / 4)],
        Marker::TriangleDown => vec![(x, y + r), (x + r, y - r * 3 / 4), (x - r, y - r * 3 / 4)],
        Marker::Bar => {
            let t = (r / 3).max(2);
            vec![
                (x - r * 2, y - t / 2),
                (x + r * 2, y - t / 2),
                (x + r * 2, y + t - t / 2),
                (x - r * 2, y + t - t / 2),
            ]
        }
    };
    root.draw(&Polygon::new(poly.clone(), fill.filled()))?;
    let mut closed = poly.clone();
    closed.push(poly[0]);
    if kind != Marker::Bar {
        root.draw(&PathElement::new(
            closed,
            outline.stroke_width(outline_width.max(1) as u32),
        ))?;
    }
    let (x0, x1) = poly
        .iter()
        .fold((i32::MAX, i32::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = poly
        .iter()
        .fold((i32::MAX, i32::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    Ok(Rect::new(x0 - 1, y0 - 1, x1 + 2, y1 + 2))
}

// ---------------------------------------------------------------------------
// Legends

/// What a legend entry shows beside its label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    Line {
        color: RGBColor,
        width: i32,
        dashed: bool,
    },
    Area(RGBColor),
    /// An unfilled box (e.g. seats offered).
    Outline(RGBColor),
    Marker {
        kind: Marker,
        fill: RGBColor,
        outline: RGBColor,
    },
}

impl Swatch {
    /// A milestone target: the black bar.
    pub const TARGET: Swatch = Swatch::Marker {
        kind: Marker::Bar,
        fill: palette::BLACK,
        outline: palette::BLACK,
    };

    pub fn line(color: RGBColor, width: i32) -> Swatch {
        Swatch::Line {
            color,
            width,
            dashed: false,
        }
    }

    pub fn dashed(color: RGBColor, width: i32) -> Swatch {
        Swatch::Line {
            color,
            width,
            dashed: true,
        }
    }

    pub fn marker(kind: Marker, fill: RGBColor, outline: RGBColor) -> Swatch {
        Swatch::Marker {
            kind,
            fill,
            outline,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendItem {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> LegendItem {
        LegendItem {
            label: label.into(),
            swatch,
        }
    }
}

fn legend_metrics(theme: &Theme) -> (f64, i32, i32, i32) {
    let size = theme.small_size();
    let row = (size * 1.45) as i32;
    let swatch = theme.px(34.0);
    let pad = theme.px(10.0);
    (size, row, swatch, pad)
}

/// Widest a legend label may be before it wraps onto more lines: a
/// legend never takes more than about a third of the canvas.
pub fn legend_label_width(theme: &Theme) -> i32 {
    (theme.width as f64 * 0.3) as i32
}

/// The lines of each legend label, wrapped between words to
/// [`legend_label_width`].
fn legend_lines(theme: &Theme, items: &[LegendItem]) -> Vec<Vec<String>> {
    let size = theme.small_size();
    let max = legend_label_width(theme);
    items
        .iter()
        .map(|i| wrap(std::slice::from_ref(&i.label), " ", size, false, max))
        .collect()
}

/// Size of the legend box for `items`.
pub fn legend_size(theme: &Theme, items: &[LegendItem]) -> (i32, i32) {
    let (size, row, swatch, pad) = legend_metrics(theme);
    let lines = legend_lines(theme, items);
    let w = lines
        .iter()
        .flatten()
        .map(|l| text_size(l, size, false).0)
        .max()
        .unwrap_or(0);
    let n: usize = lines.iter().map(|l| l.len().max(1)).sum();
    (
        pad * 2 + swatch + pad + w,
        pad * 2 + row * n as i32 - (row - text_height(size)),
    )
}

/// Draws a legend box with its top-left corner at `at`. Returns its rectangle.
pub fn legend<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    items: &[LegendItem],
    at: (i32, i32),
) -> DrawResult<Rect, DB> {
    let (w, h) = legend_size(theme, items);
    let r = Rect::at(at.0, at.1, w, h);
    layout::legend_start(r);
    let drawn = draw_legend(root, theme, items, r);
    layout::legend_end();
    drawn?;
    Ok(r)
}

fn draw_legend<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    items: &[LegendItem],
    r: Rect,
) -> DrawResult<(), DB> {
    let (size, row, swatch, pad) = legend_metrics(theme);
    root.draw(&Rectangle::new(
        [(r.x0, r.y0), (r.x1, r.y1)],
        palette::WHITE.mix(0.92).filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(r.x0, r.y0), (r.x1, r.y1)],
        palette::GRID.stroke_width(1),
    ))?;
    let mut top = r.y0 + pad;
    for (item, lines) in items.iter().zip(legend_lines(theme, items)) {
        let mid = top + (size * CAP / 2.0).round() as i32;
        let sx = r.x0 + pad;
        draw_swatch(
            root,
            theme,
            &item.swatch,
            (sx, mid),
            swatch,
            (size * CAP) as i32,
        )?;
        for line in lines {
            text(
                root,
                theme,
                &line,
                size,
                false,
                &palette::TEXT,
                (sx + swatch + pad, top),
                HPos::Left,
                VAlign::Top,
            )?;
            top += row;
        }
    }
    Ok(())
}

/// Where a legend may go: the corners of `area`, inset by `gap`, tried in `order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corners {
    pub area: Rect,
    pub gap: i32,
    pub order: [Corner; 4],
}

impl Corners {
    /// The corners of `area` in the usual order: top left, bottom right, top
    /// right, bottom left.
    pub fn of(area: Rect, gap: i32) -> Corners {
        Corners {
            area,
            gap,
            order: [
                Corner::TopLeft,
                Corner::BottomRight,
                Corner::TopRight,
                Corner::BottomLeft,
            ],
        }
    }

    pub fn order(self, order: [Corner; 4]) -> Corners {
        Corners { order, ..self }
    }
}

/// Draws the legend of `items` in the first free corner (none if no corner is free).
pub fn legend_at<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    placer: &mut Placer,
    items: &[LegendItem],
    at: Corners,
) -> DrawResult<(), DB> {
    if let Some(r) = placer.place_legend(theme, items, at) {
        legend(root, theme, items, (r.x0, r.y0))?;
    }
    Ok(())
}

/// Draws a legend in the first free corner of the placer's bounds.
pub fn legend_in_corner<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    placer: &mut Placer,
    items: &[LegendItem],
) -> DrawResult<(), DB> {
    let at = Corners::of(placer.bounds, theme.px(8.0));
    legend_at(root, theme, placer, items, at)
}

fn draw_swatch<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    s: &Swatch,
    (x, mid): (i32, i32),
    w: i32,
    h: i32,
) -> DrawResult<(), DB> {
    match *s {
        Swatch::Line {
            color,
            width,
            dashed: d,
        } => {
            let pts = [(x, mid), (x + w, mid)];
            if d {
                dashed(root, &pts, &color, width, theme.px(7.0), theme.px(5.0))?;
            } else {
                line(root, &pts, &color, width)?;
            }
        }
        Swatch::Area(color) => {
            root.draw(&Rectangle::new(
                [(x, mid - h / 2 - 2), (x + w, mid + h / 2 + 2)],
                color.filled(),
            ))?;
        }
        Swatch::Outline(color) => {
            root.draw(&Rectangle::new(
                [(x, mid - h / 2 - 2), (x + w, mid + h / 2 + 2)],
                color.stroke_width(theme.px(2.0) as u32),
            ))?;
        }
        Swatch::Marker {
            kind,
            fill,
            outline,
        } => {
            marker(
                root,
                kind,
                (x + w / 2, mid),
                theme.px(7.0),
                &fill,
                &outline,
                theme.px(1.5),
            )?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Milestones

/// Marker size used for milestones.
pub fn milestone_radius(theme: &Theme) -> i32 {
    theme.px(8.0)
}

/// Draws a milestone's target, a black bar, centred on `c`. Returns the rectangle it covers.
pub fn target_bar<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    c: (i32, i32),
) -> DrawResult<Rect, DB> {
    let r = milestone_radius(theme);
    marker(root, Marker::Bar, c, r, &palette::BLACK, &palette::BLACK, 1)
}

/// Draws one milestone: the target as a black bar, the projected value as a
/// filled circle (met, green) or down-triangle (missed, vermillion), joined by
/// a line in the status colour that shows the gap. Pixel positions come from
/// the chart. Returns the rectangles it covers.
pub fn milestone<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    target: (i32, i32),
    projected: (i32, i32),
    met: bool,
) -> DrawResult<Vec<Rect>, DB> {
    let r = milestone_radius(theme);
    let (status, shape) = status_style(met);
    let mut taken = Vec::new();
    if (projected.1 - target.1).abs() > 1 {
        line(root, &[target, projected], &status, theme.px(3.0))?;
        taken.push(Rect::new(
            target.0 - 2,
            target.1.min(projected.1),
            target.0 + 3,
            target.1.max(projected.1),
        ));
    }
    taken.push(target_bar(root, theme, target)?);
    taken.push(marker(
        root,
        shape,
        projected,
        r,
        &status,
        &palette::BLACK,
        theme.px(1.5),
    )?);
    Ok(taken)
}

/// A target (or a required share) as a line: vermillion and dashed; the
/// placer keeps labels off it.
pub fn target_line<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    placer: &mut Placer,
    pts: &[(i32, i32)],
) -> DrawResult<(), DB> {
    let (w, dash, gap) = (theme.px(2.5), theme.px(10.0), theme.px(6.0));
    dashed(root, pts, &palette::VERMILLION, w, dash, gap)?;
    placer.block_path(pts, theme.px(3.0));
    Ok(())
}

/// The legend swatch of a [`target_line`].
pub fn target_swatch(theme: &Theme) -> Swatch {
    Swatch::dashed(palette::VERMILLION, theme.px(2.5))
}

/// Colour and marker of a met / missed milestone.
pub fn status_style(met: bool) -> (RGBColor, Marker) {
    if met {
        (palette::MET, Marker::Circle)
    } else {
        (palette::MISSED, Marker::TriangleDown)
    }
}

/// The two lines of a milestone's callout: "FY2023 plan (2024-03): met, +81"
/// and "target 2,230 · projected 2,311".
pub fn milestone_text(m: &MilestoneResult) -> (String, String) {
    let name = match &m.label {
        Some(l) => format!("{l} ({})", m.date),
        None => format!("Milestone {}", m.date),
    };
    // Small teams: tenths, so a gap of 0.4 reads "+0.4", not "0".
    let d = if m.target.abs() < 100.0 {
        super::describe::decimals_for(m.gap)
            .max(super::describe::decimals_for(m.target.abs() / 10.0))
    } else {
        0
    };
    let show = |x: f64| super::describe::amount(x, d);
    let status = if m.met {
        format!("met, {}", super::describe::signed_amount(m.gap, d))
    } else {
        let share = if m.target > 0.0 {
            format!(" ({})", whole_percent(m.gap / m.target))
        } else {
            String::new()
        };
        format!("missed by {}{share}", show(-m.gap))
    };
    (
        format!("{name}: {status}"),
        format!(
            "target {} · projected {}",
            show(m.target),
            show(m.projected)
        ),
    )
}

/// Draws a two-line callout box (bold status line in the status colour, then
/// detail) at `r`, with a thin leader to `to` when the box is not beside it.
pub fn callout<DB: DrawingBackend>(
    root: &Canvas<DB>,
    theme: &Theme,
    r: Rect,
    lines: &(String, String),
    color: &RGBColor,
    to: (i32, i32),
) -> DrawResult<(), DB> {
    let size = theme.small_size();
    let pad = theme.px(6.0);
    leader(root, r, to, theme.px(14.0))?;
    root.draw(&Rectangle::new(
        [(r.x0, r.y0), (r.x1, r.y1)],
        palette::WHITE.mix(0.9).filled(),
    ))?;
    text(
        root,
        theme,
        &lines.0,
        size,
        true,
        color,
        (r.x0 + pad, r.y0 + pad),
        HPos::Left,
        VAlign::Top,
    )?;
    let y2 = r.y0 + pad + (size * 1.35) as i32;
    text(
        root,
        theme,
        &lines.1,
        size,
        false,
        &palette::TEXT,
        (r.x0 + pad, y2),
        HPos::Left,
        VAlign::Top,
    )?;
    Ok(())
}

/// Size of a [`callout`] box for `lines`.
pub fn callout_size(theme: &Theme, lines: &(String, String)) -> (i32, i32) {
    let size = theme.small_size();
    let pad = theme.px(6.0);
    let w = text_size(&lines.0, size, true)
        .0
        .max(text_size(&lines.1, size, false).0);
    (
        w + 2 * pad,
        2 * pad + (size * 1.35) as i32 + text_height(size),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_keeps_order_and_separates() {
        let tops = spread(&[100, 102, 104], &[20, 20, 20], 4, 0, 1000);
        assert!(
            tops[0] + 24 <= tops[1] && tops[1] + 24 <= tops[2],
            "{tops:?}"
        );
        // Pushed back inside the bottom bound.
        let tops = spread(&[990, 995], &[20, 20], 4, 0, 1000);
        assert!(tops[1] + 20 <= 1000 && tops[0] + 24 <= tops[1], "{tops:?}");
        // Labels far apart stay where they want to be.
        assert_eq!(spread(&[100, 500], &[20, 20], 4, 0, 1000), vec![90, 490]);
    }

    #[test]
    fn placer_avoids_taken_rectangles() {
        let mut p = Placer::new(Rect::new(0, 0, 100, 100));
        p.block(Rect::new(0, 0, 50, 50));
        let r = p.place(20, 20, [(10, 10), (60, 10)]).unwrap();
        assert_eq!(r, Rect::at(60, 10, 20, 20));
        assert!(p.place(20, 20, [(90, 90)]).is_none(), "outside the bounds");
    }
}

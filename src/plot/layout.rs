//! The layout check: what a chart drew, as boxes, and the rules a readable
//! chart keeps. Drawing with [`ImageFormat::Layout`](super::ImageFormat)
//! renders the chart exactly as a PNG (same code, same font metrics) with a
//! recorder switched on, and returns the [`Recording`] as JSON instead of an
//! image; [`check`] then lists every rule it breaks:
//!
//! - every text box lies inside the canvas;
//! - no two text boxes overlap, and no text lies under a legend it is not part of;
//! - no text is cut with "…" unless its full text appears elsewhere on the chart;
//! - no legend covers a data mark (lines, markers, bars, areas);
//! - every plotting area keeps a usable size.
//!
//! Drawing PNG or SVG never records, so their bytes do not depend on this.

use super::Rect;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// One line of text as drawn: its box (capital top less a little for accents,
/// to the descender; advance width from the embedded font) and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextBox {
    pub rect: [i32; 4],
    pub text: String,
    /// The legend it belongs to (index into `legends`), if any.
    pub legend: Option<usize>,
}

/// Text shortened with "…" to fit: what was shown and the full text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cut {
    pub shown: String,
    pub full: String,
}

/// Everything a chart drew that the check looks at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recording {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub texts: Vec<TextBox>,
    pub cuts: Vec<Cut>,
    pub legends: Vec<[i32; 4]>,
    /// Boxes covering data marks (a line is recorded as short segments).
    pub data: Vec<[i32; 4]>,
    /// Plotting areas of panels.
    pub panels: Vec<[i32; 4]>,
}

thread_local! {
    static REC: RefCell<Option<Recording>> = const { RefCell::new(None) };
    /// Inside a legend (its index): its marks are swatches, not data.
    static IN_LEGEND: RefCell<Option<usize>> = const { RefCell::new(None) };
}

fn arr(r: Rect) -> [i32; 4] {
    [r.x0, r.y0, r.x1, r.y1]
}

fn rect(a: &[i32; 4]) -> Rect {
    Rect::new(a[0], a[1], a[2], a[3])
}

fn with(f: impl FnOnce(&mut Recording)) {
    REC.with(|r| {
        if let Some(rec) = r.borrow_mut().as_mut() {
            f(rec)
        }
    });
}

/// Starts recording on this thread (drawing a chart happens on one thread).
pub(crate) fn start(name: &str, width: u32, height: u32) {
    REC.with(|r| {
        *r.borrow_mut() = Some(Recording {
            name: name.to_string(),
            width,
            height,
            ..Recording::default()
        })
    });
}

/// Stops recording and returns what was recorded.
pub(crate) fn finish() -> Recording {
    IN_LEGEND.with(|l| *l.borrow_mut() = None);
    REC.with(|r| r.borrow_mut().take()).unwrap_or_default()
}

pub(crate) fn text(r: Rect, s: &str) {
    let legend = IN_LEGEND.with(|l| *l.borrow());
    with(|rec| {
        rec.texts.push(TextBox {
            rect: arr(r),
            text: s.to_string(),
            legend,
        })
    });
}

pub(crate) fn cut(shown: &str, full: &str) {
    with(|rec| {
        rec.cuts.push(Cut {
            shown: shown.to_string(),
            full: full.to_string(),
        })
    });
}

/// A legend box at `r`; marks and text drawn until [`legend_end`] belong to it.
pub(crate) fn legend_start(r: Rect) {
    with(|rec| {
        rec.legends.push(arr(r));
        let i = rec.legends.len() - 1;
        IN_LEGEND.with(|l| *l.borrow_mut() = Some(i));
    });
}

pub(crate) fn legend_end() {
    IN_LEGEND.with(|l| *l.borrow_mut() = None);
}

/// A data mark covering `r` (ignored inside a legend: swatches are not data).
pub fn data(r: Rect) {
    if IN_LEGEND.with(|l| l.borrow().is_some()) {
        return;
    }
    with(|rec| rec.data.push(arr(r)));
}

/// A drawn data line `width` pixels wide.
pub fn data_path(pts: &[(i32, i32)], width: i32) {
    if IN_LEGEND.with(|l| l.borrow().is_some()) || REC.with(|r| r.borrow().is_none()) {
        return;
    }
    let pad = (width / 2).max(0);
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let n = ((x1 - x0).abs().max((y1 - y0).abs()) / 4).max(1);
        for i in 0..n {
            let a = (x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n);
            let b = (x0 + (x1 - x0) * (i + 1) / n, y0 + (y1 - y0) * (i + 1) / n);
            data(
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

/// A filled polygon drawn as data, recorded as thin vertical strips.
pub fn data_polygon(pts: &[(i32, i32)]) {
    if IN_LEGEND.with(|l| l.borrow().is_some()) || REC.with(|r| r.borrow().is_none()) {
        return;
    }
    let (Some(x0), Some(x1)) = (pts.iter().map(|p| p.0).min(), pts.iter().map(|p| p.0).max())
    else {
        return;
    };
    // Scanline by columns: the rows the polygon covers at each column.
    let mut x = x0;
    while x <= x1 {
        let xc = x as f64 + 0.5;
        let mut ys: Vec<f64> = Vec::new();
        for k in 0..pts.len() {
            let (a, b) = (pts[k], pts[(k + 1) % pts.len()]);
            let (ax, bx) = (a.0 as f64, b.0 as f64);
            if (ax <= xc) != (bx <= xc) {
                let t = (xc - ax) / (bx - ax);
                ys.push(a.1 as f64 + t * (b.1 - a.1) as f64);
            }
        }
        ys.sort_by(f64::total_cmp);
        for pair in ys.chunks_exact(2) {
            let (ya, yb) = (pair[0].floor() as i32, pair[1].ceil() as i32);
            if yb > ya {
                data(Rect::new(x, ya, (x + 3).min(x1 + 1), yb));
            }
        }
        x += 3;
    }
}

/// A panel's plotting area.
pub(crate) fn panel(r: Rect) {
    with(|rec| rec.panels.push(arr(r)));
}

/// Runs `f` with the recorder off: for trial layouts (shortening names to
/// see what would fit) whose text is not drawn.
pub fn unrecorded<T>(f: impl FnOnce() -> T) -> T {
    let saved = REC.with(|r| r.borrow_mut().take());
    let out = f();
    REC.with(|r| *r.borrow_mut() = saved);
    out
}

/// Whether a recording is on (so callers can skip work that only feeds it).
pub fn recording() -> bool {
    REC.with(|r| r.borrow().is_some())
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Smallest plotting area kept, as a share of the canvas: height, width.
pub const MIN_PANEL: (f64, f64) = (0.12, 0.3);

/// Punctuation that must not end a cut ("sentence.…", "list,…") or follow
/// one ("name…." reads as a typo; "name…, next" in a list is fine).
const BEFORE_CUT: &str = ".,;:· ";
const AFTER_CUT: &str = ".;:·";

/// The offending pair of characters when `text` has "…" next to punctuation.
fn bad_ellipsis(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).find_map(|w| {
        let bad =
            (w[0] == '…' && AFTER_CUT.contains(w[1])) || (w[1] == '…' && BEFORE_CUT.contains(w[0]));
        bad.then(|| w.iter().collect())
    })
}

/// Every rule `rec` breaks (empty when the layout is fine).
pub fn check(rec: &Recording) -> Vec<Problem> {
    let mut out = Vec::new();
    let canvas = Rect::new(0, 0, rec.width as i32, rec.height as i32);
    let say = |s: String| Problem(format!("{}: {s}", rec.name));
    for t in &rec.texts {
        if !canvas.contains(&rect(&t.rect)) {
            out.push(say(format!(
                "text {:?} at {:?} leaves the canvas",
                t.text, t.rect
            )));
        }
    }
    for (i, a) in rec.texts.iter().enumerate() {
        for b in &rec.texts[i + 1..] {
            if rect(&a.rect).intersects(&rect(&b.rect)) {
                out.push(say(format!(
                    "texts {:?} {:?} and {:?} {:?} overlap",
                    a.text, a.rect, b.text, b.rect
                )));
            }
        }
        for (k, l) in rec.legends.iter().enumerate() {
            if a.legend != Some(k) && rect(l).intersects(&rect(&a.rect)) {
                out.push(say(format!("text {:?} lies under legend {k}", a.text)));
            }
        }
    }
    for (i, a) in rec.legends.iter().enumerate() {
        if !canvas.contains(&rect(a)) {
            out.push(say(format!("legend {i} at {a:?} leaves the canvas")));
        }
        for b in &rec.legends[i + 1..] {
            if rect(a).intersects(&rect(b)) {
                out.push(say(format!("legends {a:?} and {b:?} overlap")));
            }
        }
        if let Some(d) = rec.data.iter().find(|d| rect(a).intersects(&rect(d))) {
            out.push(say(format!(
                "legend {i} at {a:?} covers a data mark at {d:?}"
            )));
        }
    }
    let everything: Vec<&str> = rec.texts.iter().map(|t| t.text.as_str()).collect();
    for c in &rec.cuts {
        let elsewhere = everything
            .iter()
            .any(|t| *t != c.shown && t.contains(c.full.as_str()));
        let joined = everything.join(" ");
        if !elsewhere && !joined.contains(c.full.as_str()) {
            out.push(say(format!(
                "{:?} is cut to {:?} and its full text is nowhere on the chart",
                c.full, c.shown
            )));
        }
    }
    for t in &rec.texts {
        if let Some(bad) = bad_ellipsis(&t.text) {
            out.push(say(format!(
                "text {:?} has {bad:?}: a cut ends on punctuation or is followed by it",
                t.text
            )));
        }
    }
    for p in &rec.panels {
        let r = rect(p);
        let (h, w) = (
            r.height() as f64 / rec.height as f64,
            r.width() as f64 / rec.width as f64,
        );
        if h < MIN_PANEL.0 || w < MIN_PANEL.1 {
            out.push(say(format!(
                "plotting area {p:?} is too small ({:.0}% of the height, {:.0}% of the width)",
                100.0 * h,
                100.0 * w
            )));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec() -> Recording {
        Recording {
            name: "t".into(),
            width: 100,
            height: 100,
            ..Recording::default()
        }
    }

    fn tb(r: [i32; 4], s: &str) -> TextBox {
        TextBox {
            rect: r,
            text: s.into(),
            legend: None,
        }
    }

    #[test]
    fn each_rule_is_caught() {
        let mut r = rec();
        r.texts = vec![tb([0, 0, 10, 10], "a"), tb([20, 0, 30, 10], "b")];
        assert!(check(&r).is_empty(), "{:?}", check(&r));
        r.texts.push(tb([95, 0, 105, 10], "out"));
        assert_eq!(check(&r).len(), 1);
        r.texts.pop();
        r.texts.push(tb([5, 5, 15, 15], "over"));
        assert_eq!(check(&r).len(), 1);
        r.texts.pop();
        r.cuts.push(Cut {
            shown: "lo…".into(),
            full: "long".into(),
        });
        assert_eq!(check(&r).len(), 1);
        r.texts.push(tb([40, 40, 60, 50], "the long name"));
        assert!(check(&r).is_empty());
        r.legends.push([50, 50, 90, 90]);
        r.data.push([80, 80, 82, 82]);
        assert_eq!(check(&r).len(), 1);
        r.data[0] = [91, 91, 92, 92];
        assert!(check(&r).is_empty());
        r.panels.push([0, 0, 100, 5]);
        assert_eq!(check(&r).len(), 1);
        r.panels.clear();
        for bad in ["a name….", "cut,…", "cut …", "x…·y", "a…: b"] {
            r.texts.push(tb([0, 60, 10, 70], bad));
            assert_eq!(check(&r).len(), 1, "{bad}");
            r.texts.pop();
        }
        r.texts.push(tb([0, 60, 10, 70], "a name… (b…), c…"));
        assert!(check(&r).is_empty());
    }
}

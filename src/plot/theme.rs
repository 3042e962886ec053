//! Sizes, fonts and colours shared by every chart: a [`Theme`] scales the
//! design (made at 1600x900) to the canvas, and [`palette`] fixes the colours.

use super::font::SVG_FAMILY;
use plotters::style::{FontDesc, FontFamily, FontStyle};

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
    pub const TEXT: RGBColor = grey(34);
    /// Secondary text (subtitle, footer, tick labels).
    pub const MUTED: RGBColor = grey(85);
    /// Axis lines.
    pub const AXIS: RGBColor = grey(120);
    /// Gridlines.
    pub const GRID: RGBColor = grey(225);
    pub const WHITE: RGBColor = grey(255);

    const fn grey(v: u8) -> RGBColor {
        RGBColor(v, v, v)
    }

    /// The counted total.
    pub const TOTAL: RGBColor = BLACK;
    pub const MET: RGBColor = BLUISH_GREEN;
    pub const MISSED: RGBColor = VERMILLION;
    /// Darker versions of MET / MISSED for text on white (contrast >= 4.5:1).
    pub const MET_TEXT: RGBColor = RGBColor(0, 112, 80);
    pub const MISSED_TEXT: RGBColor = RGBColor(170, 60, 0);
    /// Text in the colour of a met or missed milestone.
    pub fn status_text(met: bool) -> RGBColor {
        if met {
            MET_TEXT
        } else {
            MISSED_TEXT
        }
    }

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

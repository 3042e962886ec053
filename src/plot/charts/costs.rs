//! `costs.png` (run) and `optimize.png` (optimize): spending per fiscal year,
//! stacked by component, with each year's budget as a dashed mark.

use crate::commands::optimize::PlanJson;
use crate::config::Loaded;
use crate::costs::{CostSummary, Spend, COMPONENTS};
use crate::format::thousands;
use crate::plot::axes::{self, Room, TickStyle, YAxis};
use crate::plot::marks::{self, Corners, LegendItem, Placer, Swatch};
use crate::plot::Corner::{BottomLeft, BottomRight, TopLeft, TopRight};
use crate::plot::{
    draw_frame, layout, palette, Canvas, Chart, DrawResult, Frame, Rect, Stamp, Theme,
};
use plotters::prelude::*;

/// One bar: a fiscal year's spending and budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub fiscal_year: i32,
    /// Months of the year inside the horizon.
    pub months: Option<u32>,
    pub spend: Spend,
    pub budget: Option<f64>,
}

pub struct CostChart {
    pub name: String,
    pub title: String,
    pub subtitle: Vec<String>,
    pub currency: String,
    pub bars: Vec<Bar>,
    pub stamp: Stamp,
}

const COLORS: [RGBColor; 4] = [
    palette::BLUE,
    palette::ORANGE,
    palette::REDDISH_PURPLE,
    palette::BLUISH_GREEN,
];
const LABELS: [&str; 4] = [
    "Pay (people in post)",
    "Training (trainee-months)",
    "Classes started",
    "Entrants",
];

fn money(x: f64) -> String {
    thousands(x, 0)
}

impl CostChart {
    /// The projection's spending (`run`).
    pub fn projection(loaded: &Loaded, c: &CostSummary) -> CostChart {
        let s = &loaded.scenario;
        CostChart {
            name: "costs".into(),
            title: format!("{} — cost per fiscal year", s.title),
            subtitle: vec![
                format!(
                    "Expected-value projection · {} {} over the horizon · {} per person added",
                    money(c.total),
                    c.currency,
                    c.cost_per_added_person.map_or("no growth".into(), |x| format!("{} {}", thousands(x, 2), c.currency))
                ),
                "Pay on end-of-month stock, training on people in class at month end, classes when they start, entrants on arrival (docs/model.md)".into(),
            ],
            currency: c.currency.clone(),
            bars: c
                .fiscal_years
                .iter()
                .map(|y| Bar {
                    fiscal_year: y.fiscal_year,
                    months: Some(y.months),
                    spend: y.spend,
                    budget: y.budget,
                })
                .collect(),
            stamp: Stamp::of(loaded),
        }
    }

    /// The cheapest plan's spending (`optimize`).
    pub fn plan(loaded: &Loaded, j: &PlanJson) -> CostChart {
        let s = &loaded.scenario;
        let levers: Vec<String> = j
            .plan
            .iter()
            .map(|v| {
                format!(
                    "{}{} {}",
                    v.lever.rsplit('.').nth(1).unwrap_or(&v.lever),
                    v.fiscal_year.map(|f| format!(" FY{f}")).unwrap_or_default(),
                    crate::format::value_label(v.value)
                )
            })
            .collect();
        let head = if j.meets {
            "Cheapest plan meeting every milestone"
        } else {
            "No plan within the bounds meets every milestone: least-shortfall plan"
        };
        CostChart {
            name: "optimize".into(),
            title: format!("{} — {}", s.title, head.to_lowercase()),
            subtitle: vec![
                format!(
                    "{} {} over the horizon (simulated){}",
                    money(j.total_cost),
                    j.currency.clone().unwrap_or_default(),
                    j.probability
                        .map(|p| format!(
                            " · milestones met in at least {} of runs",
                            crate::format::chance(p)
                        ))
                        .unwrap_or_default()
                ),
                format!("Plan: {}", levers.join(" · ")),
            ],
            currency: j.currency.clone().unwrap_or_default(),
            bars: j
                .fiscal_years
                .iter()
                .map(|y| Bar {
                    fiscal_year: y.fiscal_year,
                    months: None,
                    spend: y.spend,
                    budget: y.budget,
                })
                .collect(),
            stamp: Stamp::of(loaded),
        }
    }
}

impl Chart for CostChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &Canvas<DB>, theme: &Theme) -> DrawResult<(), DB> {
        let frame = Frame::new(self.title.clone(), self.subtitle.clone(), &self.stamp);
        let body = draw_frame(root, theme, &frame)?;
        let n = self.bars.len().max(1) as f64;
        let top = self
            .bars
            .iter()
            .map(|b| b.spend.total().max(b.budget.unwrap_or(0.0)))
            .fold(0.0, f64::max);
        let yt = axes::nice_ticks(0.0, (top * 1.25).max(1.0), 6);
        let x_axis_h = theme.px(7.0)
            + axes::tick_label_gap(theme, theme.px(7.0))
            + (theme.small_size() * 1.3) as i32
            + theme.px(10.0)
            + marks::text_height(theme.label_size())
            + theme.px(6.0);
        let y_title = format!("Spending ({})", self.currency);
        let fmt = |v: f64| money(v);
        let panel = axes::panel(
            root,
            theme,
            body,
            &YAxis {
                ticks: yt,
                fmt: &fmt,
                title: &y_title,
            },
            (0.0, n),
            Room::new(x_axis_h, theme.px(16.0)),
        )?;
        let a = panel.area;
        marks::line(root, &a.hline(a.y1 - 1), &palette::AXIS, 1)?;
        let centres: Vec<f64> = (0..self.bars.len()).map(|i| i as f64 + 0.5).collect();
        let label = |v: f64| {
            let i = (v - 0.5).round() as usize;
            self.bars.get(i).map_or(String::new(), |b| match b.months {
                Some(m) if m < 12 => format!("FY{} ({m} mo)", b.fiscal_year),
                _ => format!("FY{}", b.fiscal_year),
            })
        };
        let style = TickStyle {
            len: theme.px(7.0),
            from_inside: true,
            grid: false,
        };
        axes::x_ticks(root, theme, &panel, &centres, &label, style)?;
        let ty = a.y1
            + style.len
            + axes::tick_label_gap(theme, style.len)
            + (theme.small_size() * 1.3) as i32
            + theme.px(10.0);
        axes::title_below(root, theme, a, "Fiscal year", ty)?;
        let mut placer = Placer::in_panel(a);
        for (i, b) in self.bars.iter().enumerate() {
            let mut base = 0.0;
            let x0 = panel.x(i as f64 + 0.2);
            let x1 = panel.x(i as f64 + 0.8);
            for (k, part) in b.spend.parts().iter().enumerate() {
                if *part <= 0.0 {
                    continue;
                }
                let y0 = panel.y(base);
                let y1 = panel.y(base + part);
                layout::data(Rect::new(x0, y1, x1, y0));
                root.draw(&Rectangle::new([(x0, y1), (x1, y0)], COLORS[k].filled()))?;
                base += part;
            }
            placer.block(Rect::new(x0, panel.y(base) - 2, x1, a.y1));
            if let Some(budget) = b.budget {
                let y = panel.y(budget);
                let line = [(x0 - theme.px(6.0), y), (x1 + theme.px(6.0), y)];
                let over = b.spend.total() > budget + crate::costs::budget_slack(budget);
                let color = if over { palette::MISSED } else { palette::TEXT };
                marks::dashed(
                    root,
                    &line,
                    &color,
                    theme.px(3.0),
                    theme.px(8.0),
                    theme.px(5.0),
                )?;
                placer.block_path(&line, theme.px(3.0));
            }
        }
        let mut items: Vec<LegendItem> = COMPONENTS
            .iter()
            .enumerate()
            .filter(|(k, _)| self.bars.iter().any(|b| b.spend.parts()[*k] > 0.0))
            .map(|(k, _)| LegendItem::new(LABELS[k], Swatch::Area(COLORS[k])))
            .collect();
        if self.bars.iter().any(|b| b.budget.is_some()) {
            items.push(LegendItem::new(
                "Budget (vermillion: exceeded)",
                Swatch::dashed(palette::TEXT, theme.px(3.0)),
            ));
        }
        let corners =
            Corners::of(a, theme.px(12.0)).order([TopLeft, TopRight, BottomLeft, BottomRight]);
        marks::legend_at(root, theme, &mut placer, &items, corners)
    }
}

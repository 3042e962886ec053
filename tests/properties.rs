//! Property tests over randomly generated valid scenarios: the invariants of
//! docs/model.md hold whatever the numbers.

mod common;
use common::*;
use forcecast::engine::project;
use proptest::prelude::*;

/// A level: initial, attrition, promotion (rate, after_months) to the next level.
type LevelSpec = (u32, f64, Option<(f64, u32)>);
/// A course: destination, length, seats, class months, washout, queue attrition,
/// obligation months, instructors (students each, share), obligated factor, end exit.
type CourseSpec = (
    usize,
    u32,
    u32,
    Vec<u32>,
    f64,
    f64,
    u32,
    Option<(f64, f64)>,
    f64,
    f64,
);

/// A random but valid scenario, as TOML text.
#[derive(Debug, Clone)]
struct Spec {
    levels: Vec<LevelSpec>,
    courses: Vec<CourseSpec>,
    inflows: Vec<(bool, usize, f64, f64, Option<u32>)>,
    events: Vec<(u32, usize, i32)>,
    shock: Option<(u32, u32, usize, f64)>,
    /// On-the-job qualification: level, months, mentor level, per mentor,
    /// promoted people too, count qualified only.
    qualification: Option<(usize, u32, usize, f64, bool, bool)>,
    months: u32,
}

fn spec() -> impl Strategy<Value = Spec> {
    let level = (
        0u32..2000,
        0.0f64..0.5,
        proptest::option::of((0.0f64..=1.0, 0u32..30)),
    );
    let course = (
        0usize..4,
        1u32..13,
        0u32..200,
        proptest::collection::vec(1u32..=12, 1..4),
        0.0f64..=1.0,
        0.0f64..=1.0,
        0u32..48,
        proptest::option::of((0.5f64..20.0, 0.0f64..=1.0)),
        0.0f64..3.0,
        0.0f64..=1.0,
    );
    let inflow = (
        any::<bool>(),
        0usize..4,
        0.0f64..1000.0,
        0.0f64..=1.0,
        proptest::option::of(1u32..72),
    );
    (
        proptest::collection::vec(level, 1..5),
        proptest::collection::vec(course, 0..3),
        proptest::collection::vec(inflow, 0..4),
        proptest::collection::vec((0u32..60, 0usize..4, -500i32..1500), 0..3),
        proptest::option::of((0u32..60, 0u32..24, 0usize..4, 0.0f64..5.0)),
        proptest::option::of((
            0usize..4,
            1u32..30,
            0usize..4,
            0.05f64..5.0,
            any::<bool>(),
            any::<bool>(),
        )),
        1u32..72,
    )
        .prop_map(
            |(levels, courses, inflows, events, shock, qualification, months)| Spec {
                levels,
                courses,
                inflows,
                events,
                shock,
                qualification,
                months,
            },
        )
}

fn month(offset: u32) -> String {
    let m = 2024 * 12 + offset;
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

impl Spec {
    fn toml(&self, inflow_scale: f64) -> String {
        let nl = self.levels.len();
        let end = self.months - 1;
        let mut t = format!("[scenario]\nname = \"p\"\nstart = \"2024-01\"\nend = \"{}\"\nfiscal_year_start_month = 4\n", month(end));
        if let Some((.., true)) = self.qualification {
            t += "[target]\ncount_qualified = true\n";
        }
        for (i, (initial, attrition, promo)) in self.levels.iter().enumerate() {
            t += &format!("[levels.l{i}]\ninitial = {initial}\nattrition = {attrition}\n");
            if let Some((l, months, mentor, per, promoted, _)) = self.qualification {
                if l % nl == i {
                    t += &format!(
                        "qualification = {{ months = {months}, mentors = [\"l{}\"], per_mentor = {per}, promoted_in = {promoted} }}\n",
                        mentor % nl
                    );
                }
            }
            if let (Some((rate, after)), true) = (promo, i + 1 < nl) {
                t += &format!(
                    "promotion = {{ to = \"l{}\", rate = {rate}, after_months = {after} }}\n",
                    i + 1
                );
            }
        }
        let nc = self.courses.len();
        for (i, (to, len, seats, starts, washout, qa, obl, instr, factor, exit)) in
            self.courses.iter().enumerate()
        {
            let mut starts = starts.clone();
            starts.sort_unstable();
            starts.dedup();
            // Courses chain only forwards, so there is never a cycle.
            let dest = if i + 1 < nc && to % 2 == 1 {
                format!("c{}", i + 1)
            } else {
                format!("l{}", to % nl)
            };
            t += &format!(
                "[courses.c{i}]\ngraduates_to = \"{dest}\"\nlength_months = {len}\nseats_per_class = {seats}\nclass_starts = {starts:?}\n\
                 washout = {washout}\nqueue_attrition = {qa}\ninitial_queue = {}\nobligation_months = {obl}\nobligated_attrition_factor = {factor}\nobligation_end_exit = {exit}\n",
                seats / 2
            );
            if let Some((spi, share)) = instr {
                t += &format!("instructors = {{ level = \"l{}\", students_per_instructor = {spi}, max_share = {share} }}\n", nl - 1);
            }
        }
        for (i, (to_course, idx, per_year, achievement, term)) in self.inflows.iter().enumerate() {
            t += &format!(
                "[inflows.i{i}]\nper_year = {}\nachievement = {achievement}\n",
                per_year * inflow_scale
            );
            if *to_course && nc > 0 {
                t += &format!("course = \"c{}\"\n", idx % nc);
            } else {
                t += &format!("level = \"l{}\"\n", idx % nl);
                if let Some(term) = term {
                    t += &format!("term_months = {term}\n");
                }
            }
        }
        for (at, l, change) in &self.events {
            t += &format!(
                "[[events]]\ndate = \"{}\"\nlevel = \"l{}\"\nchange = {change}\n",
                month(at % self.months),
                l % nl
            );
        }
        if let Some((from, len, l, f)) = self.shock {
            t += &format!("[[shocks]]\nfrom = \"{}\"\nto = \"{}\"\nlevels = [\"l{}\"]\nattrition_factor = {f}\n", month(from), month(from + len), l % nl);
        }
        t
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(spec in spec()) {
        let text = spec.toml(1.0);
        let loaded = forcecast::config::load_str("p.toml", &text, &[]).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let p = project(&loaded.scenario);
        prop_assert_eq!(p.rows.len(), spec.months as usize + 1);
        // Non-negative stocks and the three flow identities, every month.
        check_identities(&p.rows);
        // Classes never exceed their seats, their instructor capacity or the queue.
        for c in &p.classes {
            prop_assert!(c.started <= c.seats_per_class + 1e-9);
            prop_assert!(c.started <= c.instructor_capacity + 1e-9);
            prop_assert!(c.started <= c.queue + 1e-9);
            prop_assert!(c.instructor_capacity >= 0.0);
        }
        // Deterministic.
        prop_assert_eq!(&p, &project(&loaded.scenario));
    }

    /// Without instructor limits the model is monotone in its inflows. With
    /// them it is not: see `more_inflow_can_lower_the_total_when_instructors_are_shared`
    /// in tests/model.rs and docs/model.md.
    #[test]
    fn more_inflow_never_gives_a_smaller_total(mut spec in spec(), scale in 1.0f64..3.0) {
        for c in &mut spec.courses {
            c.7 = None;
        }
        // Mentor slots couple joiners as instructors couple classes: more
        // inflow can hold people back from promotion (docs/model.md).
        spec.qualification = None;
        let base = run(&spec.toml(1.0));
        let more = run(&spec.toml(scale));
        for (a, b) in base.rows.iter().zip(&more.rows) {
            prop_assert!(b.total >= a.total - 1e-9 * a.total.max(1.0), "{}: {} < {}", a.month, b.total, a.total);
        }
    }
}

//! The Monte Carlo checked against the law it claims (docs/model.md,
//! docs/monte-carlo.md), not against its own earlier output:
//!
//! - whole-person runs, watched month by month through an engine observer,
//!   keep the flow identities exactly, never go negative, respect seats,
//!   queues and the whole-person instructor floor, and hold whole people in
//!   every stock and flow;
//! - arrivals are Poisson: the count over a horizon has mean and variance
//!   both equal to the summed monthly means (means that are not whole numbers,
//!   so a sampler that returned the mean, rounded or not, fails), and the
//!   share of empty months is `exp(-mean)`;
//! - `[uncertainty]` parameters are drawn once per run: within a run the
//!   monthly survival ratio is constant, and across runs a 12-month survival
//!   recovers each distribution's mean and sd (and the lognormal's skew);
//! - a level with more than 64 cohorts (the sampler's sorted picking path)
//!   still thins binomially: a thinned Poisson stream stays Poisson.
//!
//! Tolerances are in standard errors of the statistic tested, so the tests do
//! not depend on which random numbers a given rand version produces.

mod common;
use common::load;
use forcecast::engine::{self, ClassRecord, Flows, Observer, Snapshot, Stochastic};
use forcecast::montecarlo::{self, Options};
use forcecast::scenario::Scenario;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One month of one run, as the observer saw it.
#[derive(Debug, Clone)]
struct Seen {
    total: f64,
    levels: Vec<f64>,
    queues: Vec<f64>,
    training: Vec<f64>,
    flows: Flows,
    inflows: Vec<f64>,
}

/// Keeps everything a run reports: the initial state first, then a row a month.
#[derive(Default)]
struct Record {
    rows: Vec<Seen>,
    classes: Vec<ClassRecord>,
}

impl Observer for Record {
    fn month(&mut self, snap: &Snapshot<'_>) {
        self.rows.push(Seen {
            total: snap.total,
            levels: snap.levels.to_vec(),
            queues: snap.queues.to_vec(),
            training: snap.training.to_vec(),
            flows: *snap.flows,
            inflows: snap.inflows.to_vec(),
        });
    }
    fn class(&mut self, record: &ClassRecord) {
        self.classes.push(record.clone());
    }
}

/// One whole-person run of `s` with its own random stream.
fn whole_run(s: &Scenario, seed: u64) -> Record {
    let mut rec = Record::default();
    engine::simulate(
        s,
        &mut Stochastic::new(ChaCha8Rng::seed_from_u64(seed)),
        &mut rec,
    );
    rec
}

/// The same with the fast engine (what `montecarlo::run` uses).
fn whole_run_fast(s: &Scenario, seed: u64) -> Record {
    let mut rec = Record::default();
    montecarlo::fast::simulate(
        s,
        &mut Stochastic::new(ChaCha8Rng::seed_from_u64(seed)),
        &mut rec,
    );
    rec
}

/// Both whole-person engines: tests that make many runs alternate between
/// them, so every run of either must keep the law.
const ENGINES: [fn(&Scenario, u64) -> Record; 2] = [whole_run, whole_run_fast];

fn whole(x: f64) -> bool {
    x.is_finite() && x.fract() == 0.0
}

/// Every law a single whole-person run must keep, whatever its random numbers.
fn check_run(s: &Scenario, rec: &Record) -> Result<(), TestCaseError> {
    prop_assert_eq!(rec.rows.len(), s.horizon() + 1);
    for (t, w) in rec.rows.windows(2).enumerate() {
        let (a, b) = (&w[0], &w[1]);
        let f = &b.flows;
        let month = t + 1;
        let all_flows = [
            f.queued,
            f.started,
            f.graduated,
            f.chained,
            f.washout,
            f.queue_dropouts,
            f.lateral,
            f.events,
            f.separations,
            f.promotions,
        ];
        for x in all_flows {
            prop_assert!(whole(x), "month {}: flow {} is not whole people", month, x);
        }
        for x in [
            f.queued,
            f.started,
            f.graduated,
            f.chained,
            f.washout,
            f.queue_dropouts,
            f.lateral,
            f.separations,
            f.promotions,
        ] {
            prop_assert!(x >= 0.0, "month {}: negative flow {}", month, x);
        }
        for x in b.levels.iter().chain(&b.queues).chain(&b.training) {
            prop_assert!(
                whole(*x) && *x >= 0.0,
                "month {}: stock {} is not a whole number >= 0",
                month,
                x
            );
        }
        for x in &b.inflows {
            prop_assert!(whole(*x) && *x >= 0.0, "month {}: arrivals {}", month, x);
        }
        // The three identities of docs/model.md, exactly: sums of whole
        // numbers far below 2^53 have no rounding.
        let sum = |v: &[f64]| v.iter().sum::<f64>();
        prop_assert_eq!(
            sum(&b.levels) - sum(&a.levels),
            f.graduated + f.lateral + f.events - f.separations,
            "month {}: levels",
            month
        );
        prop_assert_eq!(
            sum(&b.queues) - sum(&a.queues),
            f.queued + f.chained - f.started - f.queue_dropouts,
            "month {}: queues",
            month
        );
        prop_assert_eq!(
            sum(&b.training) - sum(&a.training),
            f.started - f.graduated - f.chained - f.washout,
            "month {}: training",
            month
        );
        prop_assert_eq!(f.queued + f.lateral, sum(&b.inflows), "month {}", month);
        // Nobody leaves or is promoted who was not there at the start.
        prop_assert!(f.separations + f.promotions <= sum(&a.levels));
        let mut total: f64 = s.target.levels.iter().map(|&l| b.levels[l]).sum();
        if s.target.queue {
            total += sum(&b.queues);
        }
        if s.target.training {
            total += sum(&b.training);
        }
        prop_assert_eq!(b.total, total, "month {}: total", month);
    }
    for c in &rec.classes {
        // Row r is the end of month r; a class in month m starts from the
        // state at the end of the month before.
        let before = &rec.rows[c.month.since(s.start) as usize];
        prop_assert_eq!(c.queue, before.queues[c.course]);
        prop_assert_eq!(
            c.seats_offered,
            c.seats_per_class.min(c.instructor_capacity)
        );
        prop_assert_eq!(c.started, c.queue.min(c.seats_offered));
        prop_assert!(c.started <= c.seats_per_class && c.started <= c.instructor_capacity);
        let course = &s.courses[c.course];
        match &course.instructors {
            None => prop_assert!(c.instructor_capacity.is_infinite()),
            Some(i) => {
                // Whole people: the capacity is rounded down (docs/model.md).
                let exact = (i.max_share * before.levels[i.level] * i.students_per_instructor
                    - before.training[c.course])
                    .max(0.0);
                prop_assert!(whole(c.instructor_capacity));
                prop_assert!(
                    c.instructor_capacity == exact.floor()
                        || (c.instructor_capacity - exact).abs() < 1e-9,
                    "capacity {} for {} teachable seats",
                    c.instructor_capacity,
                    exact
                );
            }
        }
    }
    Ok(())
}

/// A level: initial, attrition, promotion (rate, after_months) to the next level.
type LevelSpec = (u32, f64, Option<(f64, u32)>);
/// A course: destination, length, seats, class months, washout, queue
/// attrition, obligation months, instructors (students each, share).
type CourseSpec = (usize, u32, u32, Vec<u32>, f64, f64, u32, Option<(f64, f64)>);
/// An inflow: to a course?, index, per year, achievement, term.
type InflowSpec = (bool, usize, f64, f64, Option<u32>);

#[derive(Debug, Clone)]
struct Spec {
    levels: Vec<LevelSpec>,
    courses: Vec<CourseSpec>,
    inflows: Vec<InflowSpec>,
    events: Vec<(u32, usize, i32)>,
    months: u32,
    count_queue: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    let level = (
        0u32..400,
        0.0f64..0.6,
        proptest::option::of((0.0f64..=1.0, 0u32..20)),
    );
    let course = (
        0usize..4,
        1u32..10,
        0u32..80,
        proptest::collection::vec(1u32..=12, 1..4),
        0.0f64..=1.0,
        0.0f64..=1.0,
        0u32..30,
        proptest::option::of((0.3f64..7.0, 0.0f64..=1.0)),
    );
    let inflow = (
        any::<bool>(),
        0usize..4,
        0.0f64..400.0,
        0.0f64..=1.0,
        proptest::option::of(1u32..40),
    );
    (
        proptest::collection::vec(level, 1..4),
        proptest::collection::vec(course, 0..3),
        proptest::collection::vec(inflow, 0..4),
        proptest::collection::vec((0u32..48, 0usize..4, -300i32..300), 0..3),
        1u32..48,
        any::<bool>(),
    )
        .prop_map(
            |(levels, courses, inflows, events, months, count_queue)| Spec {
                levels,
                courses,
                inflows,
                events,
                months,
                count_queue,
            },
        )
}

fn month(offset: u32) -> String {
    let m = 2024 * 12 + offset;
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

impl Spec {
    fn toml(&self) -> String {
        let nl = self.levels.len();
        let mut t = format!(
            "[scenario]\nname = \"p\"\nstart = \"2024-01\"\nend = \"{}\"\n",
            month(self.months - 1)
        );
        if self.count_queue {
            let names: Vec<String> = (0..nl).map(|i| format!("\"l{i}\"")).collect();
            t += &format!("[target]\ncount = [{}, \"queue\"]\n", names.join(", "));
        }
        for (i, (initial, attrition, promo)) in self.levels.iter().enumerate() {
            t += &format!("[levels.l{i}]\ninitial = {initial}\nattrition = {attrition}\n");
            if let (Some((rate, after)), true) = (promo, i + 1 < nl) {
                t += &format!(
                    "promotion = {{ to = \"l{}\", rate = {rate}, after_months = {after} }}\n",
                    i + 1
                );
            }
        }
        let nc = self.courses.len();
        for (i, (to, len, seats, starts, washout, qa, obl, instr)) in
            self.courses.iter().enumerate()
        {
            let mut starts = starts.clone();
            starts.sort_unstable();
            starts.dedup();
            let dest = if i + 1 < nc && to % 2 == 1 {
                format!("c{}", i + 1)
            } else {
                format!("l{}", to % nl)
            };
            t += &format!(
                "[courses.c{i}]\ngraduates_to = \"{dest}\"\nlength_months = {len}\nseats_per_class = {seats}\n\
                 class_starts = {starts:?}\nwashout = {washout}\nqueue_attrition = {qa}\ninitial_queue = {}\n\
                 obligation_months = {obl}\nobligated_attrition_factor = 1.5\nobligation_end_exit = 0.3\n",
                seats / 2
            );
            if let Some((spi, share)) = instr {
                t += &format!(
                    "instructors = {{ level = \"l{}\", students_per_instructor = {spi}, max_share = {share} }}\n",
                    nl - 1
                );
            }
        }
        for (i, (to_course, idx, per_year, achievement, term)) in self.inflows.iter().enumerate() {
            t += &format!("[inflows.i{i}]\nper_year = {per_year}\nachievement = {achievement}\n");
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
        t
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    /// Whole-person runs keep every invariant the projection keeps, exactly.
    #[test]
    fn whole_person_runs_keep_the_laws(spec in spec(), seed in 0u64..1_000_000) {
        let text = spec.toml();
        let loaded = forcecast::config::load_str("p.toml", &text, &[])
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        for k in 0..3 {
            check_run(&loaded.scenario, &whole_run(&loaded.scenario, seed * 3 + k))?;
            check_run(&loaded.scenario, &whole_run_fast(&loaded.scenario, seed * 3 + k))?;
        }
    }
}

/// Instructor capacity that is not a whole number: 0.1 x 37 x 1.5 = 5.55
/// teachable seats. Whole people: 5 start (the projection starts 5.55).
#[test]
fn instructor_capacity_is_rounded_down_to_whole_people() {
    let text = r#"[scenario]
name = "floor"
start = "2024-01"
end = "2024-03"

[levels.trainer]
initial = 37
attrition = 0.0

[courses.school]
graduates_to = "trainer"
length_months = 6
seats_per_class = 50
class_starts = [1, 3]
initial_queue = 100
instructors = { level = "trainer", students_per_instructor = 1.5, max_share = 0.1 }
"#;
    let loaded = load(text);
    let s = &loaded.scenario;
    let det = engine::project(s);
    assert!((det.classes[0].started - 5.55).abs() < 1e-12);
    for seed in 0..20 {
        let rec = ENGINES[seed as usize % 2](s, seed);
        let first = &rec.classes[0];
        assert_eq!(first.instructor_capacity, 5.0);
        assert_eq!(first.started, 5.0);
        assert_eq!(first.limit, engine::ClassLimit::Instructors);
        // In March 5 are still in class: 5.55 - 5 = 0.55 seats, none whole.
        let march = &rec.classes[1];
        assert_eq!(march.instructor_capacity, 0.0);
        assert_eq!(march.started, 0.0);
        check_run(s, &rec).unwrap();
    }
}

/// Sample mean and variance.
fn moments(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
    (m, v)
}

/// Asserts that `xs` has the mean and variance of a Poisson(`lambda`) count,
/// within 5 standard errors of each (the sample variance's standard error
/// from the Poisson's fourth central moment `lambda + 3 lambda^2`).
fn assert_poisson(what: &str, xs: &[f64], lambda: f64) {
    let n = xs.len() as f64;
    let (m, v) = moments(xs);
    assert!(
        (m - lambda).abs() < 5.0 * (lambda / n).sqrt(),
        "{what}: mean {m}, Poisson mean {lambda}"
    );
    let se_var = ((lambda + 2.0 * lambda * lambda) / n).sqrt();
    assert!(
        (v - lambda).abs() < 5.0 * se_var,
        "{what}: variance {v}, Poisson variance {lambda} (se {se_var})"
    );
}

/// Three channels whose monthly means are not whole numbers: small (search
/// by inversion), middling (table inversion) and large (rand_distr).
const ARRIVALS: &str = r#"[scenario]
name = "arrivals"
start = "2024-01"
end = "2025-12"

[levels.a]
initial = 0
attrition = 0.0

[courses.school]
graduates_to = "a"
length_months = 1
seats_per_class = 0
class_starts = [6]

[inflows.trickle]
course = "school"
per_year = 7.3

[inflows.steady]
level = "a"
per_year = 200
achievement = 0.62

[inflows.flood]
level = "a"
per_year = 1500
achievement = 0.9
"#;

#[test]
fn arrivals_are_poisson_counts_with_the_planned_mean() {
    let loaded = load(ARRIVALS);
    let s = &loaded.scenario;
    let monthly: [f64; 3] = [7.3 / 12.0, 200.0 * 0.62 / 12.0, 1500.0 * 0.9 / 12.0];
    for m in monthly {
        assert!(m.fract() != 0.0);
    }
    let runs = 3000;
    let months = s.horizon() as f64;
    let mut sums: Vec<Vec<f64>> = vec![Vec::new(); 3];
    let mut empty_months = 0u32;
    for seed in 0..runs as u64 {
        let rec = ENGINES[seed as usize % 2](s, seed);
        for (k, sum) in sums.iter_mut().enumerate() {
            sum.push(rec.rows[1..].iter().map(|r| r.inflows[k]).sum::<f64>());
        }
        empty_months += rec.rows[1..].iter().filter(|r| r.inflows[0] == 0.0).count() as u32;
        // Arrivals are what reached the level and the queue.
        let last = rec.rows.last().unwrap();
        assert_eq!(
            last.levels[0],
            sums[1].last().unwrap() + sums[2].last().unwrap()
        );
        assert_eq!(last.queues[0], *sums[0].last().unwrap());
    }
    for (k, name) in ["trickle", "steady", "flood"].iter().enumerate() {
        assert_poisson(name, &sums[k], monthly[k] * months);
    }
    // The shape too, not only two moments: P(no arrival in a month) = exp(-mean).
    let cells = runs as f64 * months;
    let p0 = (-monthly[0]).exp();
    let share = empty_months as f64 / cells;
    assert!(
        (share - p0).abs() < 5.0 * (p0 * (1.0 - p0) / cells).sqrt(),
        "empty months {share} vs {p0}"
    );
}

fn mc(runs: u64, seed: u64, process_noise: bool) -> Options {
    Options {
        runs,
        seed,
        threads: None,
        process_noise,
        parameter_uncertainty: true,
    }
}

#[test]
fn monte_carlo_arrivals_spread_like_poisson() {
    // Through `montecarlo::run`: a level fed only by arrivals ends each run
    // with a Poisson count of people.
    let text = r#"[scenario]
name = "fed"
start = "2024-01"
end = "2025-12"

[levels.a]
initial = 40
attrition = 0.0

[inflows.hires]
level = "a"
per_year = 31
"#;
    let loaded = load(text);
    let stats = montecarlo::run(&loaded.scenario, &mc(4000, 5, true), None).unwrap();
    let last = stats.final_row();
    let (mean, var) = stats.levels[0][last].mean_variance().unwrap();
    let lambda = 62.0;
    let n = 4000.0;
    assert!(
        (mean - 40.0 - lambda).abs() < 5.0 * (lambda / n).sqrt(),
        "{mean}"
    );
    assert!(
        (var - lambda).abs() < 5.0 * ((lambda + 2.0 * lambda * lambda) / n).sqrt(),
        "variance {var} vs {lambda}"
    );
}

/// One level of 1,000,000 with attrition and nothing else, 12 months: the
/// end-of-year stock is `1e6 (1 - a)` for the run's drawn `a`.
fn survival_scenario(dist: &str, months_end: &str) -> String {
    format!(
        r#"[scenario]
name = "draws"
start = "2024-01"
end = "{months_end}"

[levels.a]
initial = 1000000
attrition = 0.2

[uncertainty]
"levels.a.attrition" = {dist}
"#
    )
}

/// Asserts a sample's mean and sd within 5 standard errors (the sd's from
/// the sample's own fourth moment).
fn assert_mean_sd(what: &str, xs: &[f64], mean: f64, sd: f64) {
    let n = xs.len() as f64;
    let (m, v) = moments(xs);
    assert!(
        (m - mean).abs() < 5.0 * sd / n.sqrt(),
        "{what}: mean {m} vs {mean}"
    );
    let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n;
    let se_var = ((m4 - v * v) / n).sqrt();
    assert!(
        (v - sd * sd).abs() < 5.0 * se_var,
        "{what}: sd {} vs {sd}",
        v.sqrt()
    );
}

/// The value of every run of a histogram, expanded (bins are one person or
/// a few wide, far below the spreads tested).
fn values(h: &forcecast::montecarlo::stats::Histogram) -> Vec<f64> {
    h.iter()
        .flat_map(|(v, c)| std::iter::repeat_n(v, c as usize))
        .collect()
}

#[test]
fn parameter_draws_have_the_configured_mean_and_sd() {
    let runs = 4000;
    for (dist, sd) in [
        ("{ dist = \"normal\", sd = 0.03 }", 0.03),
        ("{ dist = \"beta\", sd = 0.05 }", 0.05),
    ] {
        let loaded = load(&survival_scenario(dist, "2024-12"));
        let stats = montecarlo::run(&loaded.scenario, &mc(runs, 9, false), None).unwrap();
        // Each run's drawn attrition, read back from its 12-month survival.
        let drawn: Vec<f64> = values(&stats.total[12])
            .iter()
            .map(|x| 1.0 - x / 1e6)
            .collect();
        assert_eq!(drawn.len(), runs as usize);
        assert_mean_sd(dist, &drawn, 0.2, sd);
    }
    // Lognormal on a headcount: with no attrition the total is the draw.
    let text = r#"[scenario]
name = "draws"
start = "2024-01"
end = "2024-03"

[levels.a]
initial = 10000
attrition = 0.0

[uncertainty]
"levels.a.initial" = { dist = "lognormal", sd = 2000 }
"#;
    let loaded = load(text);
    let stats = montecarlo::run(&loaded.scenario, &mc(runs, 4, false), None).unwrap();
    let xs = values(&stats.total[3]);
    assert_mean_sd("lognormal", &xs, 10000.0, 2000.0);
    // Skewness (e^{s^2} + 2) sqrt(e^{s^2} - 1) with e^{s^2} = 1 + cv^2: 0.608
    // for cv = 0.2; a normal would give 0 (standard error sqrt(6 / n) = 0.04).
    let (m, v) = moments(&xs);
    let skew = xs.iter().map(|x| (x - m).powi(3)).sum::<f64>() / xs.len() as f64 / v.powf(1.5);
    let e = 1.0 + 0.2f64.powi(2);
    let want = (e + 2.0) * (e - 1.0).sqrt();
    assert!(
        (skew - want).abs() < 5.0 * (6.0 / runs as f64).sqrt(),
        "skew {skew} vs {want}"
    );
}

#[test]
fn parameters_are_drawn_once_per_run() {
    // One run at a time (process noise off), read back exactly from the
    // fixed-point mean: if the attrition drawn for the run holds all run,
    // the stock falls by the same factor every month.
    let text = survival_scenario("{ dist = \"normal\", sd = 0.05 }", "2025-12");
    let loaded = load(&text);
    let s = &loaded.scenario;
    let mut factors = Vec::new();
    for seed in 0..40 {
        let stats = montecarlo::run(s, &mc(1, seed, false), None).unwrap();
        let path: Vec<f64> = stats.total_sum.iter().map(|x| x.mean().unwrap()).collect();
        let first = path[1] / path[0];
        for (t, w) in path.windows(2).enumerate() {
            let r = w[1] / w[0];
            assert!(
                (r - first).abs() < 1e-9,
                "seed {seed}, month {}: monthly survival {r}, month 1 had {first}",
                t + 1
            );
        }
        factors.push(first);
    }
    // And it is a draw: runs differ.
    let (_, v) = moments(&factors);
    assert!(v > 0.0);
}

/// A level fed for 100 months, promotion only after 200: every month's
/// arrivals stay a cohort of their own (more than 64 of them), and with few
/// leavers a month the sampler picks leavers among all cohorts at once.
#[test]
fn many_cohorts_thin_binomially() {
    let text = r#"[scenario]
name = "cohorts"
start = "2024-01"
end = "2032-04"

[levels.a]
initial = 0
attrition = 0.1
promotion = { to = "b", rate = 0.5, after_months = 200 }

[levels.b]
initial = 0
attrition = 0.0

[inflows.hires]
level = "a"
per_year = 27.7
"#;
    let loaded = load(text);
    let s = &loaded.scenario;
    let months = s.horizon() as i32;
    assert_eq!(months, 100);
    let r = 27.7 / 12.0;
    let m = 1.0 - 0.9f64.powf(1.0 / 12.0);
    let st = (1.0 - m).powi(months);
    // Thinned Poisson arrivals are Poisson: each month's arrivals survive
    // to the end independently, so the stock is Poisson with the projection's mean.
    let lambda = r * (1.0 - st) / m;
    let det = engine::project(s);
    assert!((det.final_row().levels[0] - lambda).abs() < 1e-9 * lambda);
    let mut finals = Vec::new();
    let mut leavers = Vec::new();
    for seed in 0..3000 {
        let rec = ENGINES[seed as usize % 2](s, seed);
        finals.push(rec.rows.last().unwrap().levels[0]);
        // Separations in the last month: Binomial(stock at its start, m)
        // given that stock; summed over runs, its mean is m E[stock].
        leavers.push(rec.rows.last().unwrap().flows.separations);
    }
    assert_poisson("stock after 100 months", &finals, lambda);
    let before = r * (1.0 - (1.0 - m).powi(months - 1)) / m;
    let (ml, _) = moments(&leavers);
    assert!(
        (ml - m * before).abs() < 5.0 * (m * before / 3000.0).sqrt(),
        "last month's leavers {ml} vs {}",
        m * before
    );
}

/// The summaries the Monte Carlo keeps agree with one another exactly: with
/// one-person bins a histogram holds every run's value, so the exact mean,
/// the milestone counts and the per-level histograms can be re-derived from
/// it.
#[test]
fn monte_carlo_summaries_agree_with_their_histograms() {
    let text = r#"[scenario]
name = "agree"
start = "2024-01"
end = "2025-12"

[target]
milestones = [{ date = "2024-09", headcount = 330 }, { date = "2025-12", headcount = 345 }]

[levels.junior]
initial = 300
attrition = 0.12
promotion = { to = "senior", rate = 0.25, after_months = 6 }

[levels.senior]
initial = 20
attrition = 0.08

[inflows.recruits]
level = "junior"
per_year = 40

[uncertainty]
"levels.junior.attrition" = { dist = "beta", sd = 0.03 }
"#;
    let loaded = load(text);
    let s = &loaded.scenario;
    let runs = 1500u64;
    let stats = montecarlo::run(s, &mc(runs, 2, true), None).unwrap();
    assert_eq!(stats.runs, runs);
    let mut reached_by = 0;
    let final_target = 345.0;
    for r in 0..stats.months.len() {
        let h = &stats.total[r];
        assert_eq!(h.bin_width(), 1);
        assert_eq!(h.len(), runs);
        let (mean, _) = h.mean_variance().unwrap();
        let exact = stats.total_sum[r].mean().unwrap();
        assert!((exact - mean).abs() < 1e-6, "row {r}: {exact} vs {mean}");
        // Every level counts: the level means add up to the total's.
        let levels: f64 = stats
            .levels
            .iter()
            .map(|l| l[r].mean_variance().unwrap().0)
            .sum();
        assert!(
            (levels - mean).abs() < 1e-6,
            "row {r}: levels {levels} vs {mean}"
        );
        // A run at or above the final target in row r reached it by row r.
        reached_by += stats.first_reach[r];
        assert!(reached_by >= h.count_at_least(final_target), "row {r}");
        if r == 0 {
            assert_eq!(reached_by, h.count_at_least(final_target));
        }
    }
    assert_eq!(reached_by + stats.first_reach.last().unwrap(), runs);
    for (i, m) in s.target.milestones.iter().enumerate() {
        let h = &stats.total[stats.row(m.date).unwrap()];
        let share = h.count_at_least(m.headcount) as f64 / runs as f64;
        assert_eq!(stats.milestone_probability(i), share, "milestone {i}");
        assert!(
            share > 0.05 && share < 0.95,
            "an uncertain milestone: {share}"
        );
    }
}

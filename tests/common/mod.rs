#![allow(dead_code)]
//! Helpers shared by the integration tests.

use forcecast::config::{self, Loaded};
use forcecast::engine::{project, Projection, Row};

/// Loads a config from TOML text, panicking with the errors if it is invalid.
pub fn load(text: &str) -> Loaded {
    match config::load_str("test.toml", text, &[]) {
        Ok(l) => l,
        Err(e) => panic!("config should load:\n{e}"),
    }
}

pub fn run(text: &str) -> Projection {
    project(&load(text).scenario)
}

pub fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// The three flow identities of docs/model.md, between consecutive rows.
pub fn check_identities(rows: &[Row]) {
    for w in rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let f = &b.flows;
        let levels = b.in_levels() - a.in_levels();
        let want = f.graduated + f.lateral + f.events - f.separations;
        assert!(
            close(levels, want, 1e-9),
            "{}: levels changed {levels}, flows say {want}",
            b.month
        );
        let queue = b.queue() - a.queue();
        let want = f.queued + f.chained - f.started - f.queue_dropouts;
        assert!(
            close(queue, want, 1e-9),
            "{}: queue changed {queue}, flows say {want}",
            b.month
        );
        let training = b.training_total() - a.training_total();
        let want = f.started - f.graduated - f.chained - f.washout;
        assert!(
            close(training, want, 1e-9),
            "{}: training changed {training}, flows say {want}",
            b.month
        );
        for x in b.levels.iter().chain(&b.queues).chain(&b.training) {
            assert!(*x >= -1e-9, "{}: negative stock {x}", b.month);
        }
        // On-the-job qualification (zeros for levels without it): the
        // unqualified are part of the level; those in qualification fit the
        // month's mentor slots and change only by starts, qualifications and
        // exits; a month is mentor-limited exactly when people were left
        // waiting, which needs every slot taken.
        for (l, (qa, qb)) in a.qualification.iter().zip(&b.qualification).enumerate() {
            let tol = 1e-9 * b.levels[l].max(1.0);
            assert!(
                qb.waiting >= -tol && qb.in_qualification >= -tol,
                "{}",
                b.month
            );
            assert!(
                qb.unqualified() <= b.levels[l] + tol,
                "{}: level {l}",
                b.month
            );
            assert!(qb.started >= 0.0 && qb.qualified >= 0.0, "{}", b.month);
            let before = qa.in_qualification + qb.started;
            assert!(
                before <= qb.capacity.max(qa.in_qualification) + tol,
                "{}: level {l} over its slots",
                b.month
            );
            assert!(
                qb.in_qualification <= before - qb.qualified + tol,
                "{}: level {l}",
                b.month
            );
            // The unqualified change by joiners − qualified − leavers; the
            // joiners are among the month's arrivals and promotions (a
            // removal by an event takes unqualified people too).
            assert!(
                qb.left >= 0.0 && qb.left <= f.separations + tol,
                "{}",
                b.month
            );
            let joined = qb.unqualified() - qa.unqualified() + qb.qualified + qb.left;
            let arrivals = f.graduated + f.lateral + f.promotions;
            // `events` is net over levels: bound the joiners only in months without one.
            if f.events == 0.0 {
                assert!(
                    joined <= arrivals + tol && joined >= -tol,
                    "{}: level {l} joined {joined}",
                    b.month
                );
            }
            if qb.limited {
                assert!(
                    before >= qb.capacity - tol,
                    "{}: level {l} limited with free slots",
                    b.month
                );
            }
        }
    }
}

/// The forcecast binary, for command-line tests.
pub fn forcecast() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("forcecast").unwrap()
}

/// A small valid scenario with two levels, a course and an inflow.
pub const SMALL: &str = r#"[scenario]
name = "small"
start = "2024-01"
end = "2025-12"

[target]
milestones = [{ date = "2025-12", headcount = 100 }]

[levels.basic]
initial = 50
attrition = 0.1
promotion = { to = "senior", rate = 0.2, after_months = 6 }

[levels.senior]
initial = 10
attrition = 0.05

[courses.school]
graduates_to = "basic"
length_months = 3
seats_per_class = 20
class_starts = [1, 7]
washout = 0.1

[inflows.recruits]
course = "school"
per_year = 40
"#;

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

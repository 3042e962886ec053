//! On-the-job qualification limited by mentors (docs/model.md,
//! "Qualification"), against hand-computed cases.

mod common;
use common::*;
use forcecast::engine::{project, Row};
use forcecast::montecarlo::{self, Options};

/// 10 mentors who never leave; 100 people join `junior` at the end of
/// 2024-01; each mentor carries 2 trainees for 3 months.
fn hundred(senior_attrition: f64, extra: &str) -> String {
    format!(
        r#"
[scenario]
name = "q"
start = "2024-01"
end = "2025-12"

[target]
count_qualified = true
{extra}

[levels.junior]
initial = 0
attrition = 0
qualification = {{ months = 3, mentors = ["senior"], per_mentor = 2 }}

[levels.senior]
initial = 10
attrition = {senior_attrition}

[[events]]
date = "2024-01"
level = "junior"
change = 100
"#
    )
}

fn qualified(row: &Row, l: usize) -> f64 {
    row.levels[l] - row.qualification[l].unqualified()
}

#[test]
fn twenty_qualify_every_three_months_and_all_after_fifteen() {
    let p = run(&hundred(0.0, ""));
    check_identities(&p.rows);
    // rows[t] is the end of month t (rows[1] = 2024-01, the event's month).
    for (t, row) in p.rows.iter().enumerate() {
        // The first 20 start in month 2 and qualify at its end + 2 months:
        // month 4, then every 3 months; the fifth 20 in month 16.
        let want = if t < 4 {
            0.0
        } else {
            20.0 * (((t - 4) / 3 + 1).min(5)) as f64
        };
        assert_eq!(qualified(row, 0), want, "{}: qualified", row.month);
        if t >= 1 {
            assert_eq!(row.levels[0], 100.0, "{}: everyone is in post", row.month);
        }
        let q = &row.qualification[0];
        // 20 at a time in qualification from month 2, but none at the end of
        // a month in which a group qualified (the next starts the month after).
        let in_q = if (2..=15).contains(&t) && t % 3 != 1 {
            20.0
        } else {
            0.0
        };
        assert_eq!(q.in_qualification, in_q, "{}: in qualification", row.month);
        // Left waiting for a mentor: months 2..=13 (the fifth 20 start in month 14).
        assert_eq!(q.limited, (2..=13).contains(&t), "{}: limited", row.month);
        // The total counts the qualified only: 10 mentors + the qualified juniors.
        assert_eq!(row.total, 10.0 + want, "{}: total", row.month);
    }
    assert_eq!(p.rows[16].month.to_string(), "2025-04");
    assert_eq!(qualified(&p.rows[15], 0), 80.0);
    assert_eq!(qualified(&p.rows[16], 0), 100.0);
}

#[test]
fn mentors_lost_to_attrition_shrink_the_slots() {
    // Seniors leave at 50 %/yr: s = 0.5^(1/12) stay a month. Slots in month t
    // = 2 × 10 s^(t-1) (start of month). A group starts only when the one
    // before has qualified (the slots never grow), so group k (k = 0, 1, ...)
    // starts in month 2 + 3k with 20 s^(1 + 3k) and qualifies at the end of 4 + 3k.
    let p = run(&hundred(0.5, ""));
    check_identities(&p.rows);
    let s = 0.5f64.powf(1.0 / 12.0);
    let mut want = 0.0;
    for (t, row) in p.rows.iter().enumerate() {
        if t >= 4 && (t - 4) % 3 == 0 {
            want += 20.0 * s.powi(1 + (t as i32 - 4));
        }
        let got = qualified(row, 0);
        assert!(close(got, want, 1e-12), "{}: {got} vs {want}", row.month);
        if t >= 2 {
            let slots = 20.0 * s.powi(t as i32 - 1);
            assert!(close(row.qualification[0].capacity, slots, 1e-12));
        }
    }
}

#[test]
fn unqualified_people_leave_at_the_level_rate_and_are_never_promoted() {
    // Juniors leave at 12 %/yr and promote at 100 %/yr once eligible, from 0
    // months; nobody qualifies within the horizon (60 months), so nobody is
    // promoted, and the juniors decay exactly as attrition says.
    let text = r#"
[scenario]
name = "q"
start = "2024-01"
end = "2025-12"

[levels.junior]
initial = 0
attrition = 0.12
promotion = { to = "senior", rate = 1.0 }
qualification = { months = 60, mentors = ["senior"], per_mentor = 1 }

[levels.senior]
initial = 1000
attrition = 0

[[events]]
date = "2024-01"
level = "junior"
change = 100
"#;
    let p = run(text);
    check_identities(&p.rows);
    let s = 0.88f64.powf(1.0 / 12.0);
    for (t, row) in p.rows.iter().enumerate().skip(1) {
        let want = 100.0 * s.powi(t as i32 - 1);
        assert!(close(row.levels[0], want, 1e-12), "{}", row.month);
        assert!(close(
            row.qualification[0].in_qualification,
            if t >= 2 { want } else { 0.0 },
            1e-12
        ));
        assert_eq!(row.flows.promotions, 0.0);
        assert_eq!(row.levels[1], 1000.0);
    }
}

#[test]
fn time_waiting_counts_towards_promotion_once_qualified() {
    // One trainee slot; 2 people; 2-month qualification; eligible after 0 months.
    // Person A qualifies at the end of month 3 and is promoted in month 4 (push
    // at rate 1: all eligible). B starts in month 4, qualifies at the end of 5.
    let text = r#"
[scenario]
name = "q"
start = "2024-01"
end = "2024-12"

[levels.junior]
initial = 0
attrition = 0
promotion = { to = "senior", rate = 1.0 }
qualification = { months = 2, mentors = ["mentor"], per_mentor = 1 }

[levels.mentor]
initial = 1
attrition = 0

[levels.senior]
initial = 0
attrition = 0

[[events]]
date = "2024-01"
level = "junior"
change = 2
"#;
    let p = run(text);
    check_identities(&p.rows);
    let senior: Vec<f64> = p.rows.iter().map(|r| r.levels[2]).collect();
    assert_eq!(&senior[..8], &[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0]);
}

#[test]
fn promoted_people_qualify_only_when_the_level_says_so() {
    let text = |promoted_in: bool| {
        format!(
            r#"
[scenario]
name = "q"
start = "2024-01"
end = "2024-12"

[levels.junior]
initial = 10
attrition = 0
promotion = {{ to = "senior", rate = 1.0 }}

[levels.senior]
initial = 0
attrition = 0
qualification = {{ months = 3, mentors = ["mentor"], per_mentor = 2, promoted_in = {promoted_in} }}

[levels.mentor]
initial = 5
attrition = 0
"#
        )
    };
    let no = run(&text(false));
    let yes = run(&text(true));
    check_identities(&no.rows);
    check_identities(&yes.rows);
    for (a, b) in no.rows.iter().zip(&yes.rows) {
        assert_eq!(
            a.levels, b.levels,
            "{}: headcounts do not depend on it",
            a.month
        );
        assert_eq!(a.qualification[1].unqualified(), 0.0);
    }
    // Promoted at the end of month 1 (all 10 at rate 1); they qualify at the end of month 4.
    let unq: Vec<f64> = yes
        .rows
        .iter()
        .map(|r| r.qualification[1].unqualified())
        .collect();
    assert_eq!(&unq[..6], &[0.0, 10.0, 10.0, 10.0, 0.0, 0.0]);
}

#[test]
fn without_qualification_nothing_changes() {
    // The same scenario with a qualification nobody ever needs (no joiners):
    // identical rows but for the empty qualification figures.
    let base = SMALL.to_string();
    let p = run(&base);
    for row in &p.rows {
        assert!(row.qualification.iter().all(|q| *q == Default::default()));
    }
}

#[test]
fn whole_person_mean_is_the_projection_within_4_standard_errors() {
    // Mentors do not bind here (200 slots for ~10 joiners a month), so the
    // step is linear and the whole-person mean is the projection.
    let text = r#"
[scenario]
name = "q"
start = "2024-01"
end = "2026-12"

[target]
count_qualified = true

[levels.junior]
initial = 50
attrition = 0.1
promotion = { to = "senior", rate = 0.3, after_months = 6 }
qualification = { months = 9, mentors = ["senior"], per_mentor = 2 }

[levels.senior]
initial = 100
attrition = 0.08

[inflows.hires]
level = "junior"
per_year = 120

[[events]]
date = "2024-06"
level = "junior"
change = 40
"#;
    let loaded = load(text);
    let s = &loaded.scenario;
    let det = project(s);
    check_identities(&det.rows);
    assert!(det.rows.iter().all(|r| !r.qualification[0].limited));
    let stats = montecarlo::run(
        s,
        &Options {
            runs: 2000,
            seed: 7,
            threads: Some(2),
            process_noise: true,
            parameter_uncertainty: false,
        },
        None,
    )
    .unwrap();
    let mut differs = false;
    for (r, row) in det.rows.iter().enumerate() {
        let mean = stats.total_sum[r].mean().unwrap();
        let (_, var) = stats.total[r].mean_variance().unwrap();
        let se = (var / stats.runs as f64).sqrt();
        differs |= (row.total - (row.levels[0] + row.levels[1])).abs() > 1.0;
        assert!(
            (mean - row.total).abs() <= 4.0 * se + 1e-9,
            "{}: MC mean {mean} vs deterministic {} (se {se})",
            row.month,
            row.total
        );
    }
    assert!(differs, "the counted total leaves the unqualified out");
}

#[test]
fn bad_qualification_exits_2_with_file_and_line() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"mentors = ["senior"]"#,
            r#"mentors = ["senor"]"#,
            "levels.junior.qualification.mentors[0]: no level 'senor' (did you mean 'senior'?)",
        ),
        (
            "per_mentor = 2",
            "per_mentor = 0",
            "levels.junior.qualification.per_mentor: 0 is not allowed",
        ),
        (
            "per_mentor = 2",
            "per_mentor = -1",
            "levels.junior.qualification.per_mentor: -1 is not allowed",
        ),
        (
            "months = 3",
            "months = 0",
            "levels.junior.qualification.months: 0 is not allowed",
        ),
        (
            r#"mentors = ["senior"]"#,
            "mentors = []",
            "levels.junior.qualification.mentors: name at least one level",
        ),
    ];
    let good = hundred(0.0, "");
    let tmp = tempfile::tempdir().unwrap();
    for (from, to, want) in cases {
        assert!(good.contains(from));
        let text = good.replacen(from, to, 1);
        let cfg = write(tmp.path(), "bad.toml", &text);
        let out = forcecast()
            .arg("run")
            .arg(&cfg)
            .arg("--out")
            .arg(tmp.path().join("out"))
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        let line = text
            .lines()
            .position(|l| l.contains("qualification ="))
            .unwrap()
            + 1;
        assert!(
            stderr.contains(&format!("bad.toml:{line}: ")),
            "{to}: {stderr}"
        );
        assert!(stderr.contains(want), "{to}: want {want:?} in {stderr}");
        assert!(!tmp.path().join("out").exists(), "no partial output");
    }
}

#[test]
fn the_markov_steady_state_is_the_long_projection_when_mentors_do_not_bind() {
    // Promotion from 0 months once qualified (6 months), so qualification
    // delays every promotion: the chain must hold joiners 6 months unpromoted.
    let text = r#"
[scenario]
name = "q"
start = "2024-01"
end = "2123-12"

[target]
count_qualified = true
milestones = [{ date = "2123-12", headcount = 1000 }]

[levels.junior]
initial = 0
attrition = 0.1
promotion = { to = "senior", rate = 0.5 }
qualification = { months = 6, mentors = ["senior"], per_mentor = 2 }

[levels.senior]
initial = 200
attrition = 0.08

[inflows.hires]
level = "junior"
per_year = 120
"#;
    let loaded = load(text);
    let s = &loaded.scenario;
    let p = project(s);
    check_identities(&p.rows);
    let last = p.final_row();
    assert!(p.rows.iter().all(|r| !r.qualification[0].limited));
    let m = forcecast::analysis::analyze(s, s.end, (s.end, &last.levels)).unwrap();
    // After 100 years the seniors' start is still 0.92^100 ≈ 2.4e-4 of the
    // way from the steady state: hence 1e-3 (the juniors' is gone).
    for (l, name) in ["junior", "senior"].iter().enumerate() {
        let chain = m.steady_state.levels[*name];
        assert!(
            close(chain, last.levels[l], 1e-3),
            "{name}: chain {chain} vs engine {}",
            last.levels[l]
        );
    }
    let junior = m.steady_state.levels["junior"];
    assert!(
        close(junior, last.levels[0], 1e-9),
        "{junior} vs {}",
        last.levels[0]
    );
    // The counted total is the qualified people: the chain's and the engine's agree.
    assert!(
        close(m.steady_state.total, last.total, 1e-3),
        "{} vs {}",
        m.steady_state.total,
        last.total
    );
    assert!(last.total < last.levels[0] + last.levels[1] - 10.0);
    assert!(m
        .assumptions
        .iter()
        .any(|a| a.contains("mentors do not bind in the long run")));
}

#[test]
fn unqualified_people_hold_posts_a_vacancy_promotion_would_fill() {
    // senior: 100 posts. In 2024-01 juniors fill the 40 vacant, then an event
    // adds 20 who must qualify (they wait for mentors): 120 in post, 20 of
    // them unqualified. No vacancy is left for later promotions.
    let text = r#"
[scenario]
name = "q"
start = "2024-01"
end = "2024-12"

[levels.junior]
initial = 500
attrition = 0
promotion = { to = "senior", mode = "vacancy" }

[levels.senior]
initial = 60
attrition = 0
authorised = 100
qualification = { months = 6, mentors = ["mentor"], per_mentor = 1 }

[levels.mentor]
initial = 100
attrition = 0

[[events]]
date = "2024-01"
level = "senior"
change = 20
"#;
    let p = run(text);
    check_identities(&p.rows);
    assert_eq!(p.rows[1].flows.promotions, 40.0);
    assert_eq!(p.rows[1].qualification[1].unqualified(), 20.0);
    for r in &p.rows[1..] {
        assert_eq!(r.levels[1], 120.0, "{}", r.month);
    }
    for r in &p.rows[2..] {
        assert_eq!(r.flows.promotions, 0.0, "{}", r.month);
    }
}

#[test]
fn unqualified_obligated_and_free_people_leave_at_their_own_rates() {
    // Nobody can mentor, so everyone who joins junior waits unqualified:
    // obligated graduates and free additions side by side. Junior has no
    // promotion, so its headcount must be what it is without the
    // qualification table, where the same people are ordinary cohorts.
    let text = |qual: &str| {
        format!(
            r#"
[scenario]
name = "q"
start = "2024-01"
end = "2025-12"

[levels.junior]
initial = 0
attrition = 0.2
{qual}

[levels.senior]
initial = 0
attrition = 0

[courses.school]
graduates_to = "junior"
length_months = 1
seats_per_class = 100
class_starts = [1]
initial_queue = 100
obligation_months = 6
obligated_attrition_factor = 0.4
obligation_end_exit = 0.3

[[events]]
date = "2024-01"
level = "junior"
change = 100
"#
        )
    };
    let with = run(&text(
        "qualification = { months = 3, mentors = [\"senior\"], per_mentor = 2 }",
    ));
    let without = run(&text(""));
    check_identities(&with.rows);
    assert!(with.rows[3].qualification[0].waiting > 150.0);
    for (a, b) in with.rows.iter().zip(&without.rows) {
        assert!(
            close(a.levels[0], b.levels[0], 1e-12),
            "{}: {} vs {}",
            a.month,
            a.levels[0],
            b.levels[0]
        );
    }
}

/// Months spent unqualified count as months in level (docs/model.md,
/// "Qualification"): people who train for two months before joining are
/// promoted in the same month as the same hires joining already qualified,
/// when promotion comes after four months. Were the months not counted while
/// waiting, they would be promoted two months later.
#[test]
fn months_spent_qualifying_count_towards_eligibility() {
    let text = |qualification: &str| {
        format!(
            r#"
[scenario]
name = "q"
start = "2024-01"
end = "2024-12"

[levels.junior]
initial = 0
attrition = 0
promotion = {{ to = "senior", rate = 1.0, after_months = 4 }}
{qualification}

[levels.mentor]
initial = 10
attrition = 0

[levels.senior]
initial = 0
attrition = 0

[inflows.hires]
level = "junior"
per_year = 2
monthly_pattern = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
"#
        )
    };
    let trained = run(&text(
        r#"qualification = { months = 2, mentors = ["mentor"], per_mentor = 1 }"#,
    ));
    let ready = run(&text(""));
    check_identities(&trained.rows);
    let senior = |p: &forcecast::engine::Projection| -> Vec<f64> {
        p.rows.iter().map(|r| r.levels[2]).collect()
    };
    // Promoted at all, and after the two months of training.
    let first = senior(&ready)
        .iter()
        .position(|&x| x > 0.0)
        .expect("promoted");
    assert!(first >= 3, "{:?}", senior(&ready));
    assert_eq!(senior(&trained), senior(&ready));
}

/// Only qualified mentors give slots (docs/model.md, "Qualification"): a
/// mentor level whose people are themselves still qualifying gives none.
/// Two mentors are hired in January and qualify over six months under a
/// level of ten; until then the juniors' capacity is 0, then 2 (one slot
/// each). Counting the unqualified mentors would give slots from February.
#[test]
fn mentors_still_qualifying_give_no_slots() {
    let text = r#"
[scenario]
name = "q"
start = "2024-01"
end = "2024-12"

[levels.junior]
initial = 0
attrition = 0
qualification = { months = 1, mentors = ["mentor"], per_mentor = 1 }

[levels.mentor]
initial = 0
attrition = 0
qualification = { months = 6, mentors = ["boss"], per_mentor = 1 }

[levels.boss]
initial = 10
attrition = 0

[inflows.juniors]
level = "junior"
per_year = 2
monthly_pattern = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

[inflows.mentors]
level = "mentor"
per_year = 2
monthly_pattern = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
"#;
    let p = run(text);
    check_identities(&p.rows);
    let capacity: Vec<f64> = p.rows[1..]
        .iter()
        .map(|r| r.qualification[0].capacity)
        .collect();
    let qualified_mentors = p
        .rows
        .iter()
        .position(|r| r.levels[1] > 0.0 && r.qualification[1].unqualified() == 0.0);
    let from = qualified_mentors.expect("the mentors qualify");
    // Rows hold end-of-month states; a month's slots come from the start of it.
    for (t, &c) in capacity.iter().enumerate() {
        let want = if t + 1 > from { 2.0 } else { 0.0 };
        assert_eq!(c, want, "month {t}: {capacity:?}");
    }
    assert!(capacity.contains(&2.0), "{capacity:?}");
}

/// `qualification.months` and `qualification.per_mentor` are numeric
/// parameters (solve, sensitivity, sweep, `[uncertainty]`): set through a
/// parameter they give exactly the projection of the config written with
/// that value, and the hand-computed case moves as the closed form says.
#[test]
fn qualification_months_and_mentors_are_parameters() {
    use forcecast::params::Param;
    let loaded = load(&hundred(0.0, ""));
    let s = &loaded.scenario;
    let per = Param::parse(s, "levels.junior.qualification.per_mentor").unwrap();
    let months = Param::parse(s, "levels.junior.qualification.months").unwrap();
    assert_eq!(per.path(s), "levels.junior.qualification.per_mentor");
    assert_eq!(months.path(s), "levels.junior.qualification.months");
    assert_eq!((per.get(s), months.get(s)), (2.0, 3.0));
    // Only a level that qualifies has them, and an error lists a level's
    // own fields only.
    let err = Param::parse(s, "levels.senior.qualification.months").unwrap_err();
    assert!(err.ends_with("valid here: initial, attrition"), "{err}");
    let err = Param::parse(s, "levels.junior.qualification.mentor").unwrap_err();
    assert!(
        err.contains("did you mean 'levels.junior.qualification.months'?")
            && err.ends_with(
                "valid here: initial, attrition, qualification.months, qualification.per_mentor"
            ),
        "{err}"
    );
    // Both are in the default sensitivity set, and neither can be a dated change.
    let all = Param::all(s);
    assert!(all.contains(&per) && all.contains(&months));
    assert!(!per.changeable() && !months.changeable());

    for (p, value, text) in [
        (
            per,
            4.0,
            hundred(0.0, "").replace("per_mentor = 2", "per_mentor = 4"),
        ),
        (
            months,
            5.0,
            hundred(0.0, "").replace("months = 3", "months = 5"),
        ),
    ] {
        let mut set = s.clone();
        p.set(&mut set, value);
        let by_param = project(&set);
        let by_config = run(&text);
        assert_eq!(by_param.rows, by_config.rows, "{}", p.path(s));
    }
    // 40 slots: 40 qualify in month 4, 40 more in month 7, the last 20 in
    // month 10 (everyone by then); with 2 a mentor the last 20 took until 16.
    let mut four = s.clone();
    per.set(&mut four, 4.0);
    let p = project(&four);
    for (t, want) in [
        (3, 0.0),
        (4, 40.0),
        (6, 40.0),
        (7, 80.0),
        (9, 80.0),
        (10, 100.0),
    ] {
        assert_eq!(qualified(&p.rows[t], 0), want, "month {t}");
    }
    // Five months each: groups of 20 qualify in months 6, 11, 16, 21, 26.
    let mut five = s.clone();
    months.set(&mut five, 5.0);
    let p = project(&five);
    for (t, want) in [(5, 0.0), (6, 20.0), (10, 20.0), (11, 40.0), (21, 80.0)] {
        assert_eq!(qualified(&p.rows[t], 0), want, "month {t}");
    }
    // Out of range, clamped: at least one month, more than zero trainees.
    months.set(&mut five, 0.0);
    assert_eq!(months.get(&five), 1.0);
    per.set(&mut five, -3.0);
    assert!(per.get(&five) > 0.0);
}

/// From the command line: `solve` finds the trainees per mentor that meet a
/// qualified milestone, and `[uncertainty]` may draw both.
#[test]
fn solve_and_uncertainty_take_the_qualification_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    // All 100 qualified by 2024-07 (month 7): with 4 a mentor only 80 are
    // (above); 5 a mentor gives 50 slots, two groups qualifying in months 4 and 7.
    let text = hundred(
        0.0,
        r#"milestones = [{ date = "2024-07", headcount = 110, label = "all qualified" }]"#,
    );
    let cfg = write(tmp.path(), "q.toml", &text);
    let out = forcecast()
        .args(["solve", "--lever", "levels.junior.qualification.per_mentor"])
        .arg(&cfg)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout.contains("levels.junior.qualification.per_mentor"),
        "{stdout}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            tmp.path()
                .join("out/q/solve-levels-junior-qualification-per_mentor.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v = json["value"].as_f64().expect("a solved value");
    // 10 mentors: 5 a mentor (50 slots) is the least whole-slot plan; the
    // search may stop anywhere in [5, 5.1) (slots are whole people).
    assert!((5.0..5.1).contains(&v), "solved {v}: {json}");

    let text = hundred(0.0, "")
        + r#"
[uncertainty]
"levels.junior.qualification.per_mentor" = { dist = "lognormal", sd = 0.5 }
"levels.junior.qualification.months" = { dist = "normal", sd = 1 }
"#;
    let cfg = write(tmp.path(), "u.toml", &text);
    forcecast()
        .args(["mc", "--runs", "200"])
        .arg(&cfg)
        .arg("--out")
        .arg(tmp.path().join("mc"))
        .assert()
        .success();

    // Not a dated change, with the reason.
    let text = hundred(0.0, "")
        + r#"
[[changes]]
from = "2024-06"
path = "levels.junior.qualification.per_mentor"
value = 3
"#;
    let cfg = write(tmp.path(), "c.toml", &text);
    let out = forcecast()
        .arg("run")
        .arg(&cfg)
        .arg("--out")
        .arg(tmp.path().join("c"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("changes[0].path: 'levels.junior.qualification.per_mentor' cannot change from a date (a run reads a level's qualification rules once, at its start)"),
        "{stderr}"
    );
    assert!(!tmp.path().join("c").exists(), "no partial output");
}

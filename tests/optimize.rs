//! `forcecast optimize` on cases whose cheapest plan is known by hand.

mod common;
use common::*;
use serde_json::Value;

/// One level, two direct channels into it: `cheap` (1 per entrant) and
/// `dear` (3 per entrant). With attrition a (annual), s = (1 - a)^(1/12),
/// the December total is 1000 (1 - a) + R F, F = (1/12) sum_{k<12} s^k, for
/// R entrants a year over both channels, whichever channel they come from.
const TWO: &str = r#"
[scenario]
name = "two"
start = "2024-01"
end = "2024-12"

[target]
milestones = [{ date = "2024-12", headcount = HEAD }]

[levels.a]
initial = 1000
attrition = 0.1

[inflows.cheap]
level = "a"
per_year = 10

[inflows.dear]
level = "a"
per_year = 10

[costs]
currency = "JPY million"
inflows = { cheap = 1, dear = 3 }
"#;

fn factor() -> f64 {
    let s = 0.9f64.powf(1.0 / 12.0);
    (0..12).map(|k| s.powi(k)).sum::<f64>() / 12.0
}

/// The config asking for `r` entrants a year.
fn config(dir: &std::path::Path, r: f64) -> std::path::PathBuf {
    let head = 900.0 + r * factor();
    write(dir, "two.toml", &TWO.replace("HEAD", &format!("{head:.3}")))
}

fn optimize(cfg: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> (i32, Value, String) {
    optimize_named(cfg, out, "two", extra)
}

fn optimize_named(
    cfg: &std::path::Path,
    out: &std::path::Path,
    name: &str,
    extra: &[&str],
) -> (i32, Value, String) {
    let o = forcecast()
        .arg("optimize")
        .arg(cfg)
        .args(["--out"])
        .arg(out)
        .args(["--format", "svg"])
        .args(extra)
        .output()
        .unwrap();
    let code = o.status.code().unwrap();
    let text = String::from_utf8(o.stdout).unwrap() + &String::from_utf8(o.stderr).unwrap();
    let json = std::fs::read_to_string(out.join(name).join("optimize.json"))
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    (code, json, text)
}

#[test]
fn the_cheap_channel_fills_to_its_cap_and_the_dear_one_tops_up() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), 250.0);
    let out = dir.path().join("out");
    let (code, j, text) = optimize(
        &cfg,
        &out,
        &[
            "--lever",
            "inflows.cheap.per_year=0:100",
            "--lever",
            "inflows.dear.per_year=0:1000",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(j["meets"], true, "{text}");
    // By hand: 100 cheap at 1, 150 dear at 3.
    let cost = j["total_cost"].as_f64().unwrap();
    assert!(
        (cost - 550.0).abs() <= 0.005 * 550.0,
        "cost {cost}, by hand 550\n{text}"
    );
    assert_eq!(j["plan"][0]["value"].as_f64().unwrap(), 100.0);
    assert_eq!(j["plan"][0]["at_bound"], "upper");
    assert!(
        text.contains("binds: lever inflows.cheap.per_year (upper bound)"),
        "{text}"
    );

    assert_applied_plan_meets_every_milestone(&cfg, dir.path(), "two", &j);
}

/// The plan's `--set` flags, given to `run`, meet every milestone; returns
/// the run's summary.
fn assert_applied_plan_meets_every_milestone(
    cfg: &std::path::Path,
    dir: &std::path::Path,
    name: &str,
    j: &Value,
) -> Value {
    let mut run = forcecast();
    run.arg("run").arg(cfg).arg("--out").arg(dir.join("check"));
    run.args(["--format", "svg", "--fail-below"]);
    for s in j["set"].as_array().unwrap() {
        let flag = s.as_str().unwrap().strip_prefix("--set ").unwrap();
        run.args(["--set", flag]);
    }
    run.assert().success();
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("check").join(name).join("summary.json")).unwrap(),
    )
    .unwrap();
    for m in summary["milestones"].as_array().unwrap() {
        assert_eq!(m["met"], true, "{m}");
    }
    summary
}

#[test]
fn when_no_plan_meets_the_milestone_the_least_shortfall_plan_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), 250.0);
    let out = dir.path().join("out");
    let levers = [
        "--lever",
        "inflows.cheap.per_year=0:100",
        "--lever",
        "inflows.dear.per_year=0:50",
    ];
    let (code, j, text) = optimize(&cfg, &out, &levers);
    assert_eq!(code, 0, "{text}");
    assert_eq!(j["meets"], false);
    assert!(
        text.contains("No plan within the bounds meets every milestone"),
        "{text}"
    );
    // Both channels at their caps, 100 people a year short.
    assert_eq!(j["plan"][0]["value"].as_f64().unwrap(), 100.0);
    assert_eq!(j["plan"][1]["value"].as_f64().unwrap(), 50.0);
    let short = j["shortfall"].as_f64().unwrap();
    let want = 100.0 * factor();
    assert!((short - want).abs() < 0.01, "{short} vs {want}");
    let mut with = levers.to_vec();
    with.push("--fail-below");
    let (code, _, _) = optimize(&cfg, &dir.path().join("out2"), &with);
    assert_eq!(code, 3);

    // A budget below the cheapest plan's cost: the most the budget buys.
    let (code, j, text) = optimize(
        &cfg,
        &dir.path().join("out3"),
        &[
            "--lever",
            "inflows.cheap.per_year=0:100",
            "--lever",
            "inflows.dear.per_year=0:1000",
            "--budget",
            "400",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(j["meets"], false, "{text}");
    let cost = j["total_cost"].as_f64().unwrap();
    assert!(
        (0.995 * 400.0..=400.0 + 1e-6).contains(&cost),
        "{cost}\n{text}"
    );
}

#[test]
fn at_a_probability_the_plan_meets_the_milestone_in_that_share_of_fresh_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), 250.0);
    let (code, j, text) = optimize(
        &cfg,
        &dir.path().join("out"),
        &[
            "--lever",
            "inflows.cheap.per_year=0:100",
            "--lever",
            "inflows.dear.per_year=0:1000",
            "--probability",
            "0.8",
            "--runs",
            "300",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(j["meets"], true, "{text}");
    assert!(
        j["fresh_runs"]["all_met"].as_f64().unwrap() >= 0.8,
        "{text}"
    );
    assert_ne!(j["fresh_runs"]["seed"], j["tuned_runs"]["seed"]);
    assert!(
        j["total_cost"].as_f64().unwrap() > 550.0,
        "a margin costs more"
    );
}

/// One lever moving one milestone: the cheapest plan meeting it in at least P
/// of the runs is the least lever value that does, which `solve
/// --probability P` finds by its own bisection on the same runs (same seed
/// and run count). Raising the margin in whole quantile steps overshoots.
#[test]
fn at_a_probability_one_lever_agrees_with_solve_and_costs_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), 250.0);
    let (runs, p) = (400, 0.8);
    let (code, j, text) = optimize(
        &cfg,
        &dir.path().join("out"),
        &[
            "--lever",
            "inflows.cheap.per_year=0:1000",
            "--probability",
            "0.8",
            "--runs",
            "400",
        ],
    );
    assert_eq!(code, 0, "{text}");
    let o = forcecast()
        .args(["solve"])
        .arg(&cfg)
        .args(["--lever", "inflows.cheap.per_year", "--probability", "0.8"])
        .args(["--range", "0:1000", "--runs", "400", "--out"])
        .arg(dir.path().join("solve"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let solve: Value = serde_json::from_str(
        &std::fs::read_to_string(
            dir.path()
                .join("solve/two/solve-inflows-cheap-per_year.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(solve["probability"]["seed"], j["tuned_runs"]["seed"]);
    assert_eq!(solve["probability"]["runs"], j["tuned_runs"]["runs"]);
    let v = solve["value"].as_f64().unwrap();
    let x = j["plan"][0]["value"].as_f64().unwrap();
    // Both search the same runs, so both stop at the same jump of the share
    // and differ only by their bisection tolerances: solve's 1e-3 of the
    // value (0.26 here) and optimize's 0.01 people of margin (0.01 / 0.95
    // entrants). One run of the 400 is 0.25 % of the share; the 80 % plan
    // needs about 15 people over the expected total, so the spread is about
    // 15 / 0.84 = 18 people and neighbouring runs' totals at that quantile
    // lie about 18 / (400 phi(0.84)) = 0.16 people apart: 0.2 entrants more
    // than solve's tolerance allows a run, while a plan met in 3 % more of
    // the runs (12 runs) sits about 2 entrants higher.
    let tol = 1e-3 * v + 0.2;
    assert!((x - v).abs() <= tol, "optimize {x} vs solve {v}\n{text}");
    let tuned = j["tuned_runs"]["all_met"].as_f64().unwrap();
    assert!(tuned >= p, "{text}");
    assert!(
        tuned < p + 3.0 / runs as f64,
        "met in {tuned} of the runs searched: the margin overshoots\n{text}"
    );
    // The cost is 1 per cheap entrant plus 3 x 10 dear ones.
    let cost = j["total_cost"].as_f64().unwrap();
    assert!(
        (cost - (v + 30.0)).abs() <= tol,
        "cost {cost} vs {} at the solve value\n{text}",
        v + 30.0
    );
}

#[test]
fn bad_levers_bounds_and_budgets_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), 250.0);
    for (args, want) in [
        (
            vec!["--lever", "inflows.chep.per_year=0:100"],
            "no inflow 'chep' (did you mean 'cheap'?)",
        ),
        (
            vec!["--lever", "inflows.cheap.per_year=100:0"],
            "the lower bound is above the upper bound",
        ),
        (
            vec!["--lever", "inflows.cheap.per_year"],
            "expected PATH=LO:HI",
        ),
        (
            vec!["--lever", "inflows.cheap.per_year=0:x"],
            "is not a number",
        ),
        (
            vec!["--lever", "inflows.cheap.achievement=0:2"],
            "outside the parameter's range",
        ),
        (
            vec!["--lever", "costs.inflows.cheap=0:2"],
            "a cost is not a lever",
        ),
        (
            vec!["--lever", "inflows.cheap.per_year=0:100", "--budget", "-5"],
            "--budget -5",
        ),
    ] {
        let out = dir.path().join("bad");
        let (code, _, text) = optimize(&cfg, &out, &args);
        assert_eq!(code, 2, "{args:?}: {text}");
        assert!(text.contains(want), "{args:?}: {text}");
        assert!(!out.exists(), "nothing written for {args:?}");
    }
}

/// A school with a long queue and one class a year (January, three months,
/// no washout) into a level with no attrition: each class graduates its
/// seats at the end of March. Pay 12 a year (1 a person-month on the
/// end-of-month stock), 1 per trainee-month (two months a class), 10 a
/// class. Milestones: 100 by 2024-12, 150 by 2025-12.
///
/// One seat value for both years must be 100 (the first milestone), which
/// trains 200 people; a value per fiscal year trains 100 then 50. By hand:
/// - flat: 2024 pay 100 x 10 months + training 200 + class 10 = 1,210;
///   2025 pay 100 x 12 + 100 x 10 + training 200 + class 10 = 2,410; 3,620;
/// - per year: 1,210, then 100 x 12 + 50 x 10 + 100 + 10 = 1,810; 3,020.
const SEATS: &str = r#"
[scenario]
name = "seats"
start = "2024-01"
end = "2025-12"

[target]
milestones = [{ date = "2024-12", headcount = 100 }, { date = "2025-12", headcount = 150 }]

[levels.a]
initial = 0
attrition = 0

[courses.school]
graduates_to = "a"
length_months = 3
seats_per_class = 10
class_starts = [1]
initial_queue = 1000
washout = 0

[costs]
currency = "JPY million"
levels.a = 12
courses.school = { per_trainee_month = 1, per_class = 10 }
"#;

#[test]
fn seats_per_fiscal_year_train_only_what_each_year_needs_and_the_plan_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "seats.toml", SEATS);
    let lever = ["--lever", "courses.school.seats_per_class=0:500"];

    let (code, flat, text) = optimize_named(&cfg, &dir.path().join("flat"), "seats", &lever);
    assert_eq!(code, 0, "{text}");
    assert_eq!(flat["meets"], true, "{text}");
    assert_eq!(flat["plan"][0]["value"].as_f64().unwrap(), 100.0, "{text}");
    let cost = flat["total_cost"].as_f64().unwrap();
    assert!(
        (cost - 3620.0).abs() <= 0.005 * 3620.0,
        "flat {cost}\n{text}"
    );

    let mut split = lever.to_vec();
    split.push("--per-fiscal-year");
    let (code, j, text) = optimize_named(&cfg, &dir.path().join("split"), "seats", &split);
    assert_eq!(code, 0, "{text}");
    assert_eq!(j["meets"], true, "{text}");
    let plan: Vec<(i64, f64)> = j["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            assert_eq!(v["path"], "courses.school.seats_per_class");
            (
                v["fiscal_year"].as_i64().unwrap(),
                v["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(plan, [(2024, 100.0), (2025, 50.0)], "{text}");
    let cost = j["total_cost"].as_f64().unwrap();
    assert!(
        (cost - 3020.0).abs() <= 0.005 * 3020.0,
        "per year {cost}\n{text}"
    );
    let years: Vec<f64> = j["fiscal_years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["total"].as_f64().unwrap())
        .collect();
    assert_eq!(years, [1210.0, 1810.0], "{text}");

    // Applied as dated changes with `run`, the plan meets both milestones
    // with the totals the optimizer simulated.
    let sets = j["set"].as_array().unwrap();
    assert_eq!(sets.len(), 1, "one --set of the changes list: {sets:?}");
    assert!(sets[0].as_str().unwrap().starts_with("--set changes=["));
    let summary = assert_applied_plan_meets_every_milestone(&cfg, dir.path(), "seats", &j);
    let got: Vec<f64> = summary["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["projected"].as_f64().unwrap())
        .collect();
    assert_eq!(got, [100.0, 150.0], "{summary}");
}

/// The `binding` entries of `j` as (kind, what, side, saving per unit).
fn binds(j: &Value) -> Vec<(String, String, String, f64)> {
    j["binding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["kind"].as_str().unwrap().to_string(),
                b["what"].as_str().unwrap().to_string(),
                b["side"].as_str().unwrap_or("").to_string(),
                b["saving_per_unit"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn assert_binds(
    got: &[(String, String, String, f64)],
    want: &[(&str, &str, &str, f64)],
    text: &str,
) {
    assert_eq!(got.len(), want.len(), "{got:?}\n{text}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (g.0.as_str(), g.1.as_str(), g.2.as_str()),
            (w.0, w.1, w.2),
            "{got:?}\n{text}"
        );
        assert!(
            (g.3 - w.3).abs() <= 1e-6 * w.3.abs().max(1.0),
            "{got:?} vs {want:?}\n{text}"
        );
    }
}

/// Every binding constraint is listed with what one unit of relaxation
/// saves, by hand on the seats case (a person in the January 2024 class
/// costs 10 + 2 + 12 = 24, one in the 2025 class 10 + 2 = 12):
/// - per year, seats 0..100: both milestones bind; one person fewer in 2024
///   moves a seat from 2024 to 2025 (saves 24 - 12 = 12), one fewer in 2025
///   saves 12; FY2024's seats sit at their upper bound, where one more seat
///   saves nothing (the plan needs exactly 100) and is listed all the same;
/// - one value for both years: the 2024 milestone binds and one person fewer
///   saves 24 + 12 = 36; the 2025 milestone has 50 to spare and is not listed.
#[test]
fn every_binding_constraint_is_listed_with_its_saving_even_when_it_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "seats.toml", SEATS);
    let lever = ["--lever", "courses.school.seats_per_class=0:100"];
    let mut split = lever.to_vec();
    split.push("--per-fiscal-year");
    let (code, j, text) = optimize_named(&cfg, &dir.path().join("split"), "seats", &split);
    assert_eq!(code, 0, "{text}");
    assert_binds(
        &binds(&j),
        &[
            (
                "lever",
                "courses.school.seats_per_class FY2024",
                "upper",
                0.0,
            ),
            ("milestone", "2024-12", "", 12.0),
            ("milestone", "2025-12", "", 12.0),
        ],
        &text,
    );
    assert!(
        text.contains("binds: lever courses.school.seats_per_class FY2024 (upper bound): relaxing it by 1 saves nothing"),
        "{text}"
    );

    let (code, j, text) = optimize_named(&cfg, &dir.path().join("flat"), "seats", &lever);
    assert_eq!(code, 0, "{text}");
    assert_binds(
        &binds(&j),
        &[
            ("lever", "courses.school.seats_per_class", "upper", 0.0),
            ("milestone", "2024-12", "", 36.0),
        ],
        &text,
    );
}

/// A seat limit that is not a lever: 60 seats a class, and hires (5 each,
/// all in January, straight into the level) make up the rest. 100 by
/// 2024-12 needs 40 hires a year (each 12 + 12 of pay and 5 + 5 for two
/// years' entrants: 46 per hire a year); one more seat a class brings one
/// person in each class (24 + 12 = 36) and one hire fewer: it saves 10. The
/// 2024 milestone binds (one person fewer: one hire fewer, 46); 2025 has 50
/// to spare.
#[test]
fn a_seat_limit_that_is_not_a_lever_is_listed_with_what_one_more_seat_saves() {
    let dir = tempfile::tempdir().unwrap();
    let text = SEATS.replace("seats_per_class = 10", "seats_per_class = 60").replace(
        "[costs]",
        "[inflows.hires]\nlevel = \"a\"\nper_year = 0\nmonthly_pattern = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n\n[costs]\ninflows.hires = 5",
    );
    let cfg = write(dir.path(), "seats.toml", &text);
    let (code, j, text) = optimize_named(
        &cfg,
        &dir.path().join("out"),
        "seats",
        &["--lever", "inflows.hires.per_year=0:1000"],
    );
    assert_eq!(code, 0, "{text}");
    // A hair above 40: the linear programme aims just above the target.
    let hires = j["plan"][0]["value"].as_f64().unwrap();
    assert!((hires - 40.0).abs() < 1e-4, "{text}");
    assert_binds(
        &binds(&j),
        &[
            ("seats", "courses.school.seats_per_class", "", 10.0),
            ("milestone", "2024-12", "", 46.0),
        ],
        &text,
    );
}

/// An instructor limit that is not a lever: the seats case with 60 seats a
/// class, but the class taught by the 10 people of an uncounted level "b"
/// at 4 students each (all may teach): 40 a class. Hires make up the rest:
/// 60 a year for 100 by 2024-12. One student more per instructor is 10
/// seats more a class (one per instructor), each saving 10 as in the case
/// above: 100. The 2024 milestone binds at 46 a person, as there.
#[test]
fn an_instructor_limit_that_is_not_a_lever_is_listed_with_what_one_more_student_each_saves() {
    let dir = tempfile::tempdir().unwrap();
    let text = SEATS
        .replace("seats_per_class = 10", "seats_per_class = 60")
        .replace("[target]\n", "[target]\ncount = [\"a\"]\n")
        .replace(
            "[courses.school]",
            "[levels.b]\ninitial = 10\nattrition = 0\n\n[courses.school]",
        )
        .replace(
            "[costs]",
            "[courses.school.instructors]\nlevel = \"b\"\nstudents_per_instructor = 4\nmax_share = 1\n\n[inflows.hires]\nlevel = \"a\"\nper_year = 0\nmonthly_pattern = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n\n[costs]\ninflows.hires = 5",
        );
    let cfg = write(dir.path(), "seats.toml", &text);
    let (code, j, text) = optimize_named(
        &cfg,
        &dir.path().join("out"),
        "seats",
        &["--lever", "inflows.hires.per_year=0:1000"],
    );
    assert_eq!(code, 0, "{text}");
    let hires = j["plan"][0]["value"].as_f64().unwrap();
    assert!((hires - 60.0).abs() < 1e-4, "{text}");
    assert_binds(
        &binds(&j),
        &[
            (
                "instructors",
                "courses.school.instructors.students_per_instructor",
                "",
                100.0,
            ),
            ("milestone", "2024-12", "", 46.0),
        ],
        &text,
    );
    // Not listed when the instructors are themselves a lever.
    let (code, j, text) = optimize_named(
        &cfg,
        &dir.path().join("lever"),
        "seats",
        &[
            "--lever",
            "inflows.hires.per_year=0:1000",
            "--lever",
            "courses.school.instructors.students_per_instructor=4:4",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        binds(&j).iter().all(|b| b.0 != "instructors"),
        "{:?}",
        binds(&j)
    );
}

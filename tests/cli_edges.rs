//! The rough edges a new user tripped on (issue 11), each pinned down: file
//! permissions, exit codes, `--help`, negative flag values, plurals, scenarios
//! without courses, and the sustainment line when seats bind. Most run the
//! commands in memory through their `Answer`; the exit codes and permissions
//! need the real binary.

use assert_cmd::Command;
use clap::Parser;
use forcecast::cli::{Cli, Command as Sub};
use forcecast::commands::{self, Answer};
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

fn forcecast() -> Command {
    Command::cargo_bin("forcecast").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses a command line and answers it in memory.
fn answer(argv: &[&str]) -> Answer {
    let mut full = vec!["forcecast"];
    full.extend_from_slice(argv);
    let cli = Cli::try_parse_from(full).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
    commands::answer(cli).unwrap_or_else(|e| panic!("{argv:?}: {e}"))
}

/// The bytes of one of an answer's files, as its exporter writes them.
fn file_text(a: &Answer, name: &str) -> String {
    let out = a.outputs.as_ref().expect("files to write");
    let f = out
        .files()
        .unwrap()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", out.names()));
    String::from_utf8(f.bytes).unwrap()
}

/// One level, no courses, no queue.
const NO_COURSES: &str = r#"
[scenario]
name = "flat"
start = "2024-01"
end = "2025-12"

[target]
milestones = [{ date = "2025-12", headcount = 120 }]

[levels.staff]
initial = 100
attrition = 0.1

[inflows.hires]
level = "staff"
per_year = 20
"#;

#[cfg(unix)]
fn modes_after_run_with_umask(umask: libc::mode_t) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("forcecast"));
    cmd.args(["run", "--out"]).arg(tmp.path());
    // SAFETY: umask is async-signal-safe; it only sets the child's file mode mask.
    unsafe {
        cmd.pre_exec(move || {
            libc::umask(umask);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut modes: Vec<(String, u32)> = fs::read_dir(tmp.path().join("baseline"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().permissions().mode() & 0o777,
            )
        })
        .collect();
    modes.sort();
    assert!(modes.len() >= 8, "{modes:?}");
    modes
}

/// Output files are created like any other file: 0666 less the umask, not
/// the 0600 of a temporary file, so others can open the charts.
#[cfg(unix)]
#[test]
fn output_files_honour_the_umask() {
    for (umask, want) in [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)] {
        for (name, mode) in modes_after_run_with_umask(umask) {
            assert_eq!(mode, want, "{name} under umask {umask:03o}: {mode:03o}");
        }
    }
}

/// README: "1 | any other failure (e.g. the output folder cannot be written)".
#[test]
fn an_out_folder_that_cannot_be_written_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    fs::write(&file, "x").unwrap();
    // --out naming a file, and --out inside a file.
    for out in [file.clone(), file.join("sub")] {
        for cmd in [&["run"][..], &["analyze"], &["mc", "--runs", "1"]] {
            forcecast()
                .args(cmd)
                .arg("--out")
                .arg(&out)
                .assert()
                .code(1)
                .stderr(predicate::str::contains("is a file, not a folder"))
                .stdout(predicate::str::is_empty());
        }
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    // A file in the way of the scenario's own folder.
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("baseline"), "x").unwrap();
    forcecast()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot create output folder"));
}

/// A read-only `--out` exits 1 before any work. The folder's mode says
/// read-only (0555); the check reads the mode, so it also holds for root,
/// whom the kernel would let write there.
#[cfg(unix)]
#[test]
fn a_read_only_out_folder_exits_1() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let ro = tmp.path().join("ro");
    fs::create_dir(&ro).unwrap();
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
    forcecast()
        .args(["run", "--out"])
        .arg(&ro)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is read-only"));
    assert_eq!(fs::read_dir(&ro).unwrap().count(), 0, "nothing written");
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
}

const SUBCOMMANDS: [&str; 9] = [
    "run",
    "check",
    "mc",
    "solve",
    "sensitivity",
    "sweep",
    "analyze",
    "compare",
    "calibrate",
];

fn help(sub: &str) -> String {
    let out = forcecast().args([sub, "--help"]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Every subcommand's `--help` ends with examples, and every example is a
/// command line the parser accepts as written.
#[test]
fn every_help_has_examples_that_parse() {
    for sub in SUBCOMMANDS {
        let text = help(sub);
        let (_, examples) = text
            .split_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("{sub} --help has no examples:\n{text}"));
        let lines: Vec<&str> = examples.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(!lines.is_empty(), "{sub}");
        for line in lines {
            // An example, then (after a run of spaces) what it does.
            let command = line.trim().split("   ").next().unwrap();
            let argv: Vec<&str> = command.split_whitespace().collect();
            assert_eq!(argv.get(1), Some(&sub), "{sub}: {line}");
            let parsed = Cli::try_parse_from(&argv);
            assert!(
                parsed.is_ok(),
                "{sub}: `{command}`: {}",
                parsed.unwrap_err()
            );
        }
    }
}

/// The planning commands' `--runs` help states each one's own default, and
/// it is the default the command uses.
#[test]
fn runs_defaults_are_shown() {
    for (sub, default) in [
        ("solve", commands::solve::DEFAULT_RUNS),
        ("sensitivity", commands::sensitivity::DEFAULT_RUNS),
        ("sweep", commands::sweep::DEFAULT_RUNS),
    ] {
        let text = help(sub);
        let runs = flag_help(&text, "--runs");
        assert!(
            runs.contains(&format!("[default: {default}]")),
            "{sub}: {runs}"
        );
    }
}

/// The help of one flag, however clap wraps it: from the flag to the next one.
fn flag_help(text: &str, flag: &str) -> String {
    let start = text
        .find(&format!("      {flag} "))
        .unwrap_or_else(|| panic!("no {flag} in\n{text}"));
    let rest = &text[start + 6..];
    let end = rest[2..]
        .find("\n      --")
        .or_else(|| rest.find("\n  -h"))
        .map_or(rest.len(), |e| e + 2);
    rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` (CSV or JSON) holds a number that is a negative zero.
fn has_negative_zero(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || ",:[]{}\"".contains(c))
        .any(|t| t.starts_with('-') && t.parse::<f64>().is_ok_and(|x| x == 0.0))
}

#[test]
fn compare_out_help_names_the_compare_folder() {
    let text = help("compare");
    let out = flag_help(&text, "--out");
    assert!(out.contains("OUT/<NAME>/"), "{out}");
    assert!(!out.contains("scenario name"), "{out}");
}

/// `--delta -0.2` is a value, not an unknown flag; each parameter moves both
/// ways, so it means the same as 0.2.
#[test]
fn negative_numbers_are_flag_values() {
    let parse = |argv: &[&str]| Cli::try_parse_from(argv);
    match parse(&["forcecast", "sensitivity", "--delta", "-0.2"])
        .unwrap()
        .command
    {
        Some(Sub::Sensitivity(a)) => assert_eq!(a.delta, 0.2),
        other => panic!("{other:?}"),
    }
    // Out of range, a negative value gets the flag's own message, not "unexpected argument".
    for argv in [
        &[
            "forcecast",
            "solve",
            "--lever",
            "x",
            "--probability",
            "-0.5",
        ][..],
        &["forcecast", "mc", "--seed", "-1"],
        &["forcecast", "mc", "--runs", "-5"],
    ] {
        let e = parse(argv).unwrap_err().to_string();
        assert!(!e.contains("unexpected argument"), "{argv:?}: {e}");
    }
    let args = ["--params", "levels.basic.attrition"];
    let down_up = |delta: &str| {
        let mut argv = vec!["sensitivity", "--delta", delta];
        argv.extend(args);
        answer(&argv).stdout()
    };
    assert_eq!(down_up("-0.2"), down_up("0.2"));
}

#[test]
fn one_run_is_singular() {
    let a = answer(&["mc", "--runs", "1", "--out", "unused"]);
    let out = a.stdout();
    assert!(out.contains("Monte Carlo: 1 run, seed"), "{out}");
    assert!(!out.contains("1 runs"), "{out}");
    let a = answer(&["mc", "--runs", "3", "--out", "unused"]);
    assert!(a.stdout().contains("Monte Carlo: 3 runs, seed"));
}

/// No courses: no queue, so no pipeline chart, no "peak queue" line and no
/// `-0` (the sum of no queues) in summary.json.
#[test]
fn a_scenario_without_courses_has_no_pipeline() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("flat.toml");
    fs::write(&cfg, NO_COURSES).unwrap();
    let cfg = cfg.to_str().unwrap();
    let a = answer(&["run", cfg, "--out", "unused"]);
    let names = a.outputs.as_ref().unwrap().names();
    assert!(
        !names.iter().any(|n| n.starts_with("pipeline.")),
        "{names:?}"
    );
    assert!(names.contains(&"flows.png".to_string()), "{names:?}");
    let out = a.stdout();
    assert!(!out.contains("peak queue"), "{out}");
    let summary = file_text(&a, "summary.json");
    assert!(!has_negative_zero(&summary), "{summary}");
    assert!(!summary.contains("peak_queue"), "{summary}");
    let report = file_text(&a, "report.md");
    assert!(!report.contains("Peak queue"), "{report}");
    // With a course, the line and the chart are there.
    let b = answer(&["run", "--out", "unused"]);
    assert!(b.stdout().contains("peak queue"));
    assert!(b.outputs.unwrap().names().contains(&"pipeline.png".into()));
}

/// No `-0` in any data file of the commands that write one.
#[test]
fn no_negative_zero_in_any_data_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("flat.toml");
    fs::write(&cfg, NO_COURSES).unwrap();
    let cfg = cfg.to_str().unwrap();
    for argv in [
        &["run", cfg][..],
        &["run"],
        &["mc", cfg, "--runs", "20"],
        &["analyze", cfg],
        &["compare", cfg, "configs/baseline.toml"],
    ] {
        let mut argv = argv.to_vec();
        argv.extend(["--out", "unused"]);
        let argv: Vec<String> = argv
            .iter()
            .map(|a| {
                if a.starts_with("configs/") {
                    root().join(a).to_string_lossy().into_owned()
                } else {
                    a.to_string()
                }
            })
            .collect();
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let a = answer(&argv);
        let out = a.outputs.as_ref().unwrap();
        for d in &out.data {
            let text = String::from_utf8(d.render().unwrap().bytes).unwrap();
            assert!(!has_negative_zero(&text), "{argv:?}: {} has a -0", d.name());
        }
    }
}

fn holding_line(a: &Answer) -> String {
    a.stdout()
        .lines()
        .find(|l| l.contains("Holding"))
        .expect("a sustainment line")
        .to_string()
}

/// The Markov figure lets every graduate through; when seats bound in the
/// projection the line says so and names the course, with the count of
/// limited classes from classes.csv.
#[test]
fn the_sustainment_line_says_when_seats_bind() {
    let cfg = root().join("configs/transfers_via_school.toml");
    let a = answer(&["run", cfg.to_str().unwrap(), "--out", "unused"]);
    let line = holding_line(&a);
    let classes = file_text(&a, "classes.csv");
    let limited = classes
        .lines()
        .filter(|l| l.starts_with("cyber_school,") && l.ends_with(",seats"))
        .count();
    assert!(limited > 0, "the config must have seat-limited classes");
    assert!(line.contains("assumes class seats never bind"), "{line}");
    assert!(line.contains("cyber_school"), "{line}");
    assert!(
        line.contains(&format!("{limited} seat-limited class")),
        "{line}"
    );
    // The baseline's classes never turn anyone away: no caveat.
    let line = holding_line(&answer(&["run", "--out", "unused"]));
    assert!(!line.contains("never bind"), "{line}");
    // Halve the seats and the baseline's school binds too.
    let line = holding_line(&answer(&[
        "run",
        "--set",
        "courses.cyber_school.seats_per_class=10",
        "--out",
        "unused",
    ]));
    assert!(line.contains("cyber_school's bound"), "{line}");
}

/// Commands answer in memory: nothing touches the disk until `deliver`.
#[test]
fn answers_are_made_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("not-yet");
    let a = answer(&["run", "--out", out.to_str().unwrap()]);
    assert!(!out.exists());
    let outputs = a.outputs.as_ref().unwrap();
    assert_eq!(outputs.dir, out.join("baseline"));
    let code = commands::deliver(a).unwrap();
    assert_eq!(code, 0);
    assert!(out.join("baseline/summary.json").exists());
    assert_files_are(&out.join("baseline"), 8);
}

fn assert_files_are(dir: &Path, n: usize) {
    let names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), n, "{names:?}");
}

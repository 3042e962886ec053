//! Every chart kind for every shipped config: right size, not blank (the
//! marks that carry each chart's story are there), and byte-identical when
//! drawn again, from another thread, or after drawing something else.

use forcecast::commands::compare::compare_outputs;
use forcecast::commands::run::projection_outputs;
use forcecast::config::{self, Loaded};
use forcecast::engine::{self, Projection};
use forcecast::output::OutputFile;
use forcecast::plot::{palette, projection_charts, ChartOptions, Entry, ImageFormat};
use forcecast::summary::Summary;
use plotters::style::RGBColor;
use std::path::PathBuf;

/// configs/*.toml, baseline first, then by file name.
fn shipped_configs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("configs");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort_by_key(|p| {
        (
            p.file_name().unwrap() != "baseline.toml",
            p.file_name().unwrap().to_owned(),
        )
    });
    assert!(!v.is_empty());
    v
}

struct Run {
    loaded: Loaded,
    p: Projection,
    summary: Summary,
}

fn run(path: &std::path::Path, sets: &[String]) -> Run {
    let loaded =
        config::load(Some(path), sets).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let p = engine::project(&loaded.scenario);
    let summary = Summary::new(&loaded, &p);
    Run { loaded, p, summary }
}

fn charts(r: &Run, opts: &ChartOptions) -> Vec<OutputFile> {
    projection_charts(&r.loaded, &r.p, &r.summary, opts).unwrap()
}

/// Decodes a PNG to (width, height, RGB bytes).
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let size = reader.output_buffer_size().expect("a chart fits in memory");
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn count(rgb: &[u8], c: RGBColor) -> usize {
    rgb.chunks_exact(3)
        .filter(|p| p[0] == c.0 && p[1] == c.1 && p[2] == c.2)
        .count()
}

/// Size, ink, and the colour each chart's story needs.
fn check_png(name: &str, f: &OutputFile, w: u32, h: u32, must_have: &[RGBColor]) {
    check_png_ink(name, f, w, h, must_have, 50);
}

/// As `check_png`, with at least 1/`ink_div` of the pixels drawn.
fn check_png_ink(
    name: &str,
    f: &OutputFile,
    w: u32,
    h: u32,
    must_have: &[RGBColor],
    ink_div: usize,
) {
    let (pw, ph, rgb) = decode(&f.bytes);
    assert_eq!((pw, ph), (w, h), "{name}/{}", f.name);
    let pixels = (w * h) as usize;
    let white = count(&rgb, palette::WHITE);
    let ink = pixels - white;
    assert!(
        ink > pixels / ink_div,
        "{name}/{}: only {ink} of {pixels} pixels drawn",
        f.name
    );
    assert!(
        white > pixels / 5,
        "{name}/{}: background mostly covered",
        f.name
    );
    for &c in must_have {
        assert!(count(&rgb, c) > 20, "{name}/{}: no pixels of {c:?}", f.name);
    }
}

#[test]
fn every_chart_of_every_shipped_config() {
    let opts = ChartOptions::default();
    for path in shipped_configs() {
        let r = run(&path, &[]);
        let files = charts(&r, &opts);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["headcount.png", "levels.png", "pipeline.png", "flows.png"]
        );
        let name = r.loaded.scenario.name.clone();
        let s = &r.loaded.scenario;
        // Headcount: the total line, and each milestone met or missed.
        let mut status = vec![palette::TOTAL];
        if r.summary.milestones.iter().any(|m| m.met) {
            status.push(palette::MET);
        }
        if r.summary.milestones.iter().any(|m| !m.met) {
            status.push(palette::MISSED);
        }
        check_png(&name, &files[0], 1600, 900, &status);
        // Levels: every level's own colour.
        let levels: Vec<RGBColor> = (0..s.levels.len())
            .filter(|&i| r.p.final_row().levels[i] > 5.0)
            .map(palette::level)
            .collect();
        check_png(&name, &files[1], 1600, 900, &levels);
        // Pipeline: the queue colour when there are courses.
        let pipe: Vec<RGBColor> = if s.courses.is_empty() {
            vec![]
        } else {
            vec![palette::QUEUE]
        };
        check_png(&name, &files[2], 1600, 900, &pipe);
        // Flows: separations.
        check_png(&name, &files[3], 1600, 900, &[palette::VERMILLION]);

        // Deterministic: again, and from another thread after other drawing.
        assert!(
            charts(&r, &opts)
                .iter()
                .zip(&files)
                .all(|(a, b)| a.bytes == b.bytes),
            "{name}: redraw differs"
        );
        let again = std::thread::spawn(move || {
            let other = run(
                &path,
                &["courses.cyber_school.seats_per_class=10".to_string()],
            );
            let _ = charts(&other, &ChartOptions::default());
            charts(&run(&path, &[]), &ChartOptions::default())
        })
        .join()
        .unwrap();
        assert!(
            again.iter().zip(&files).all(|(a, b)| a.bytes == b.bytes),
            "{name}: differs from another thread"
        );
    }
}

#[test]
fn size_and_format_follow_the_options() {
    let r = run(&shipped_configs()[0], &[]);
    let small = ChartOptions {
        format: ImageFormat::Png,
        width: 800,
        height: 450,
    };
    for f in charts(&r, &small) {
        check_png("small", &f, 800, 450, &[]);
    }
    let svg = ChartOptions {
        format: ImageFormat::Svg,
        width: 1600,
        height: 900,
    };
    for f in charts(&r, &svg) {
        assert!(f.name.ends_with(".svg"), "{}", f.name);
        let text = String::from_utf8(f.bytes).unwrap();
        assert!(
            text.starts_with("<svg") && text.trim_end().ends_with("</svg>"),
            "{}",
            f.name
        );
        assert!(
            text.contains(&r.loaded.short_hash().to_string()),
            "{}: footer stamp missing",
            f.name
        );
    }
}

#[test]
fn limited_classes_and_every_branch_draw() {
    // Seat-limited classes, instructor-limited classes, a config without milestones or courses.
    let base = &shipped_configs()[0];
    let seats = run(
        base,
        &["courses.cyber_school.seats_per_class=10".to_string()],
    );
    assert!(seats.summary.seat_limited_classes > 0);
    let f = &charts(&seats, &ChartOptions::default())[2];
    check_png("seats", f, 1600, 900, &[palette::VERMILLION]);
    let instr = run(
        base,
        &[r#"courses.cyber_school.instructors={level="advanced",students_per_instructor=2,max_share=0.05}"#.to_string()],
    );
    assert!(instr.summary.instructor_limited_classes > 0);
    let f = &charts(&instr, &ChartOptions::default())[2];
    check_png("instructors", f, 1600, 900, &[palette::YELLOW]);

    let bare = config::load_str(
        "bare.toml",
        "[scenario]\nname = \"bare\"\nstart = \"2025-01\"\nend = \"2025-12\"\n[levels.only]\ninitial = 3\nattrition = 0.5\n",
        &[],
    )
    .unwrap();
    let p = engine::project(&bare.scenario);
    let summary = Summary::new(&bare, &p);
    let files = projection_charts(&bare, &p, &summary, &ChartOptions::default()).unwrap();
    // No courses: no pipeline to chart.
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["headcount.png", "levels.png", "flows.png"]);
    for f in &files {
        check_png("bare", f, 1600, 900, &[]);
    }
}

#[test]
fn compare_of_the_shipped_configs() {
    let runs: Vec<Run> = shipped_configs().iter().map(|p| run(p, &[])).collect();
    let entries: Vec<Entry> = runs
        .iter()
        .map(|r| Entry {
            loaded: &r.loaded,
            p: &r.p,
            summary: &r.summary,
        })
        .collect();
    let files = compare_outputs(&entries, &ChartOptions::default())
        .unwrap()
        .files()
        .unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["compare.csv", "compare.png"]);
    check_png("compare", &files[1], 1600, 900, &[palette::series(0)]);
    let again = compare_outputs(&entries, &ChartOptions::default())
        .unwrap()
        .files()
        .unwrap();
    assert_eq!(again[1].bytes, files[1].bytes);
    let csv = String::from_utf8(files[0].bytes.clone()).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(head.len(), 2 + runs.len());
    let rows: Vec<&str> = lines.collect();
    assert_eq!(
        rows.len(),
        runs.iter().map(|r| r.p.rows.len()).max().unwrap()
    );
    // Each scenario's column holds its final total in the row of its last month
    // (scenarios may end in different months; later rows are empty for it).
    for (i, r) in runs.iter().enumerate() {
        let end = r.p.final_row().month.to_string();
        let row: Vec<&str> = rows
            .iter()
            .find(|l| l.starts_with(&end))
            .unwrap()
            .split(',')
            .collect();
        assert_eq!(
            row[2 + i].parse::<f64>().unwrap(),
            r.p.final_row().total,
            "{end}"
        );
    }
    // Run outputs include the charts.
    let all = projection_outputs(
        &runs[0].loaded,
        &runs[0].p,
        &runs[0].summary,
        &ChartOptions::default(),
    )
    .unwrap()
    .files()
    .unwrap();
    assert!(all.iter().any(|f| f.name == "headcount.png"));
}

/// A scenario with authorised posts on the two upper levels and one policy
/// change; `posts` and `change` switch them off without changing the
/// projection (push promotion; the change sets the value already in force).
fn posts_config(posts: bool, change: bool) -> Run {
    let (b, c) = if posts {
        (
            "authorised = 150\n",
            "authorised_by_fiscal_year = { 2025 = 80 }\nauthorised = 100\n",
        )
    } else {
        ("", "")
    };
    let changes = if change {
        "[[changes]]\nfrom = \"2026-04\"\npath = \"levels.a.attrition\"\nvalue = 0.1\nnote = \"same rate\"\n"
    } else {
        ""
    };
    let text = format!(
        "[scenario]\nname = \"posts\"\nstart = \"2025-04\"\nend = \"2028-03\"\n\
         [target]\nmilestones = [{{ date = \"2028-03\", headcount = 400 }}]\n\
         [levels.a]\ninitial = 200\nattrition = 0.1\npromotion = {{ to = \"b\", rate = 0.3 }}\n\
         [levels.b]\ninitial = 80\nattrition = 0.1\n{b}promotion = {{ to = \"c\", rate = 0.2 }}\n\
         [levels.c]\ninitial = 10\nattrition = 0.1\n{c}\
         [inflows.r]\nlevel = \"a\"\nper_year = 60\n{changes}"
    );
    let loaded = config::load_str("posts.toml", &text, &[]).unwrap();
    let p = engine::project(&loaded.scenario);
    let summary = Summary::new(&loaded, &p);
    Run { loaded, p, summary }
}

#[test]
fn authorised_posts_and_change_dates_are_drawn() {
    let opts = ChartOptions::default();
    let full = posts_config(true, true);
    let no_posts = posts_config(false, true);
    let no_change = posts_config(true, false);
    // The switches leave the projection as it is, so any difference is the marks.
    assert_eq!(full.p.rows, no_posts.p.rows);
    assert_eq!(full.p.rows, no_change.p.rows);
    let (f, np, nc) = (
        charts(&full, &opts),
        charts(&no_posts, &opts),
        charts(&no_change, &opts),
    );
    for file in &f {
        check_png("posts", file, 1600, 900, &[]);
    }
    let pixels = |files: &[OutputFile], i: usize, c: RGBColor| count(&decode(&files[i].bytes).2, c);
    // levels.png: a dashed line in each level's colour with posts: some row
    // crosses many dashes of it, where a band or a legend swatch gives a few.
    let dashes = |files: &[OutputFile], c: RGBColor| {
        let (w, _, rgb) = decode(&files[1].bytes);
        rgb.chunks_exact(3 * w as usize)
            .map(|row| {
                let on: Vec<bool> = row.chunks_exact(3).map(|p| p == [c.0, c.1, c.2]).collect();
                on.windows(2).filter(|w| !w[0] && w[1]).count()
            })
            .max()
            .unwrap()
    };
    for level in [1, 2] {
        let c = palette::level(level);
        let (with, without) = (dashes(&f, c), dashes(&np, c));
        assert!(
            with >= 8 && without < 8,
            "level {level}: {with} vs {without} dashes in a row"
        );
    }
    // A change mark (triangle, label, legend entry) on headcount and levels.
    for i in [0, 1] {
        let (with, without) = (pixels(&f, i, palette::TEXT), pixels(&nc, i, palette::TEXT));
        assert!(with > without + 100, "{}: {with} vs {without}", f[i].name);
    }
}

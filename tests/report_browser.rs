//! report.html in a real browser: headless Chromium loads it from disk and
//! the test fails on a missing or broken image, a script or console error, a
//! blank screenshot, or a print style sheet that would let a chart be cut
//! across pages.
//!
//! Without Chromium the test is skipped with a message, so `cargo test`
//! passes on a fresh machine; `.ci/run` installs Chromium and sets
//! FORCECAST_REQUIRE_BROWSER=1, and then a missing browser is a failure.
//! FORCECAST_CHROMIUM names the browser binary if it is not on PATH.

mod common;

use base64::Engine as _;
use common::forcecast;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FORCECAST_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
    .find(|p| p.is_file())
}

/// The browser, or `None` (skip) when it is absent and not required.
fn browser_or_skip() -> Option<PathBuf> {
    match chromium() {
        Some(b) => Some(b),
        None if std::env::var("FORCECAST_REQUIRE_BROWSER").as_deref() == Ok("1") => panic!(
            "FORCECAST_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium, or set FORCECAST_CHROMIUM)"
        ),
        None => {
            eprintln!(
                "SKIPPED report_browser: no chromium on PATH (apt-get install chromium; .ci/run requires it)"
            );
            None
        }
    }
}

/// Runs headless Chromium with `args` then `url`, with a time limit; returns
/// stdout (through a file: a dumped DOM with its images would fill a pipe).
fn run_browser(browser: &Path, profile: &Path, args: &[String], url: &str) -> String {
    let stdout = profile.with_extension("stdout");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start chromium");
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    String::from_utf8_lossy(&std::fs::read(&stdout).unwrap()).into_owned()
}

/// The check run inside the page once it has loaded: every image decoded
/// with a size, no error reported, the print rules in force, every figure
/// shorter than a printed page. Its verdict is written into the DOM.
const PROBE: &str = r#"<script>
window.__errors = [];
window.addEventListener('error', e => window.__errors.push('error: ' + (e.message || (e.target && e.target.src ? 'resource ' + e.target.src.slice(0, 40) : 'unknown'))), true);
const __ce = console.error;
console.error = function (...a) { window.__errors.push('console.error: ' + a.join(' ')); __ce.apply(console, a); };
window.addEventListener('load', () => {
  const problems = window.__errors.slice();
  const imgs = Array.from(document.images);
  imgs.forEach((img, i) => {
    if (!img.complete || img.naturalWidth === 0 || img.naturalHeight === 0) problems.push('image ' + i + ' (' + img.alt + ') did not load');
  });
  let keepWhole = false, sectionsBreak = false;
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (rule.media && Array.from(rule.media).includes('print')) {
        for (const r of rule.cssRules) {
          if (/(^|,\s*)figure\b/.test(r.selectorText) && (r.style.breakInside === 'avoid' || r.style.pageBreakInside === 'avoid')) keepWhole = true;
          if (r.selectorText === 'section' && r.style.breakBefore === 'page') sectionsBreak = true;
        }
      }
    }
  }
  if (!keepWhole) problems.push('print style sheet does not keep figures whole (break-inside: avoid)');
  if (!sectionsBreak) problems.push('print style sheet does not start sections on a new page');
  // A4 at 96 px/in less 14 mm margins: a figure taller than this would be cut even when kept whole.
  const page = (297 - 28) / 25.4 * 96;
  document.querySelectorAll('figure').forEach((f, i) => {
    const h = f.getBoundingClientRect().height;
    if (h > page) problems.push('figure ' + i + ' is ' + Math.round(h) + ' px tall, more than a printed page (' + Math.round(page) + ')');
  });
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({images: imgs.length, figures: document.querySelectorAll('figure').length, problems});
  document.body.appendChild(out);
});
</script>"#;

/// Loads `html` with the probe injected and returns the probe's verdict.
fn probe(browser: &Path, profile: &Path, html: &str, at: &Path) -> serde_json::Value {
    std::fs::write(at, html.replacen("<head>", &format!("<head>{PROBE}"), 1)).unwrap();
    let dom = run_browser(
        browser,
        profile,
        &[
            "--window-size=1000,1200".into(),
            "--virtual-time-budget=10000".into(),
            "--dump-dom".into(),
        ],
        &format!("file://{}", at.display()),
    );
    let verdict = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!(
                "the probe did not run; DOM starts: {}",
                &dom[..dom.len().min(300)]
            )
        })
        .replace("&quot;", "\"");
    serde_json::from_str(&verdict).expect("probe JSON")
}

/// The probe itself can fail: a broken image, a script error and a figure
/// taller than a page are each reported.
#[test]
fn the_browser_probe_catches_what_it_looks_for() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let page = "<!DOCTYPE html><html><head><style>@media print { figure { break-inside: avoid; } section { break-before: page; } }</style></head><body>\
        <figure><img alt=\"broken\" src=\"data:image/png;base64,AAAA\"></figure>\
        <figure style=\"height: 3000px\">tall</figure>\
        <img alt=\"missing\" src=\"missing.png\"><script>no_such_function();</script></body></html>";
    let v = probe(
        &browser,
        &tmp.path().join("profile"),
        page,
        &tmp.path().join("p.html"),
    );
    let problems = v["problems"].to_string();
    for want in [
        "(broken) did not load",
        "(missing) did not load",
        "more than a printed page",
        "no_such_function",
    ] {
        assert!(problems.contains(want), "expected {want:?} in {problems}");
    }
    let no_print = "<!DOCTYPE html><html><head></head><body><p>x</p></body></html>";
    let v = probe(
        &browser,
        &tmp.path().join("profile"),
        no_print,
        &tmp.path().join("q.html"),
    );
    let problems = v["problems"].to_string();
    assert!(
        problems.contains("does not keep figures whole"),
        "{problems}"
    );
}

#[test]
fn report_html_renders_whole_in_chromium() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The baseline (back-test, courses), one what-if (a comparison) and the
    // baseline with unit costs (the costs section): few runs.
    forcecast()
        .args(["report", "--runs", "20", "--out"])
        .arg(&out)
        .arg(root.join("configs/baseline.toml"))
        .arg(root.join("configs/retention_bonus.toml"))
        .arg(root.join("configs/costs/baseline_costs.toml"))
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();

    // Outside the browser: every image is an embedded PNG that decodes, and
    // nothing is fetched from elsewhere.
    let mut images = 0;
    for part in html.split("<img ").skip(1) {
        let src = part
            .split("src=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("img has src");
        let data = src
            .strip_prefix("data:image/png;base64,")
            .unwrap_or_else(|| panic!("image not embedded: {}", &src[..src.len().min(60)]));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("valid base64");
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).expect("decodes");
        images += 1;
    }
    // compare; one back-test (the others share the baseline's history); per
    // scenario headcount, fan, levels, pipeline, flows and a tornado; the
    // cost chart of baseline_costs.
    assert_eq!(images, 1 + 1 + 3 * 6 + 1, "images in the page");
    assert!(html.contains("<section id=\"costs\">"), "the costs section");
    for external in ["http://", "https://", "<link", "<script", "src=\"file:"] {
        assert!(
            !html.contains(external),
            "report.html refers out: {external}"
        );
    }

    // In the browser: the page with the probe injected, dumped after load.
    let profile = tmp.path().join("profile");
    let v = probe(&browser, &profile, &html, &out.join("probed.html"));
    assert_eq!(v["images"].as_u64(), Some(images), "{v}");
    assert!(
        v["problems"].as_array().unwrap().is_empty(),
        "problems in the browser: {}",
        v["problems"]
    );

    // A screenshot of the report itself (no probe) is not blank.
    let shot = tmp.path().join("shot.png");
    run_browser(
        &browser,
        &profile,
        &[
            "--window-size=1366,2000".into(),
            format!("--screenshot={}", shot.display()),
        ],
        &format!("file://{}", out.join("report.html").display()),
    );
    let mut reader = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("screenshot written"),
    ))
    .read_info()
    .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    let first = pixels[0];
    let differing = pixels.iter().filter(|p| *p != &first).count();
    assert!(
        differing * 20 > pixels.len(),
        "screenshot is (nearly) blank: {differing} of {} pixels differ from the first",
        pixels.len()
    );
}

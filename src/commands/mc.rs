//! `forcecast mc`: the Monte Carlo of one scenario.

use super::{check_out_dir, Answer, Outputs};
use crate::cli::McArgs;
use crate::config::{self, Loaded};
use crate::engine::{self, Projection};
use crate::error::{Error, Result};
use crate::format::{chance_in, count, of_runs, people};
use crate::montecarlo::report::{McSummary, PERCENTILES};
use crate::montecarlo::{self, McStats, Options};
use crate::output::csv::{Cell, Table};
use crate::output::{DataFile, OutputFile};
use crate::plot::{render_file, ChartOptions, FanChart, FinalHistogram, Stamp};
use indicatif::{ProgressBar, ProgressStyle};

/// The run options a command line asks for.
pub fn options(args: &McArgs, loaded: &Loaded) -> Options {
    Options {
        runs: args.runs,
        seed: args.seed.unwrap_or(loaded.scenario.seed),
        threads: args.threads.map(usize::from),
        process_noise: !args.no_process_noise,
        parameter_uncertainty: !args.no_parameter_uncertainty,
    }
}

pub fn answer(args: &McArgs) -> Result<Answer> {
    check_out_dir(&args.output.out)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let opts = options(args, &loaded);
    if args.draws_only {
        let t0 = std::time::Instant::now();
        let sum = montecarlo::bound::draw_bound(&loaded.scenario, &opts)
            .map_err(|e| Error::Other(anyhow::anyhow!(e)))?;
        let mut answer = Answer::default();
        answer.say(&format!(
            "draws of {} runs: {:.3} s (sum of draws {sum})",
            opts.runs,
            t0.elapsed().as_secs_f64()
        ));
        return Ok(answer);
    }
    let bar = progress(opts.runs);
    let stats = if args.reference_engine {
        montecarlo::run_reference(&loaded.scenario, &opts, Some(&bar))
    } else {
        montecarlo::run(&loaded.scenario, &opts, Some(&bar))
    }
    .map_err(|e| Error::Other(anyhow::anyhow!(e)))?;
    bar.finish_and_clear();
    let projection = engine::project(&loaded.scenario);
    let summary = McSummary::new(&loaded, &opts, &stats, &projection);
    let mut answer = Answer::default();
    answer.say(&console(&summary, &loaded));
    let mut outputs = mc_outputs(
        &loaded,
        &summary,
        &stats,
        &projection,
        &ChartOptions::from(&args.output),
    )?;
    // Costs, when configured: the same runs again, into a cost tally.
    if let Some(rows) = crate::costs::runs::percentiles(&loaded.scenario, &opts)
        .map_err(|e| Error::Other(anyhow::anyhow!(e)))?
    {
        let currency = loaded
            .scenario
            .costs
            .as_ref()
            .map_or(String::new(), |c| c.currency.clone());
        if let Some(all) = rows.last() {
            answer.say(&format!(
                "Cost over the horizon: median {} {currency}, middle 90% of runs {} - {}.",
                crate::format::thousands(all.p50, 0),
                crate::format::thousands(all.p5, 0),
                crate::format::thousands(all.p95, 0)
            ));
        }
        outputs.data.push(DataFile::table(
            "mc_costs",
            crate::costs::runs::table(&rows),
        ));
    }
    answer.outputs = Some(Outputs {
        dir: args.output.out.join(&loaded.scenario.name),
        ..outputs
    });
    Ok(answer)
}

/// The data files `mc` writes: `mc_percentiles.csv` and `mc_summary.json`.
pub fn mc_data(summary: &McSummary) -> anyhow::Result<Vec<DataFile>> {
    Ok(vec![
        DataFile::table("mc_percentiles", percentiles_table(summary)),
        DataFile::json("mc_summary", summary)?,
    ])
}

/// Every file `mc` writes for one scenario (the folder left empty).
pub fn mc_outputs(
    loaded: &Loaded,
    summary: &McSummary,
    stats: &McStats,
    projection: &Projection,
    chart: &ChartOptions,
) -> anyhow::Result<Outputs> {
    Ok(Outputs {
        dir: Default::default(),
        data: mc_data(summary)?,
        charts: mc_charts(loaded, summary, stats, projection, chart)?,
    })
}

/// The fan chart and the histogram of final totals.
fn mc_charts(
    loaded: &Loaded,
    summary: &McSummary,
    stats: &McStats,
    projection: &Projection,
    chart: &ChartOptions,
) -> anyhow::Result<Vec<OutputFile>> {
    let stamp = Stamp {
        seed: Some(summary.seed),
        ..Stamp::of(loaded)
    };
    let fan = FanChart {
        scenario: &loaded.scenario,
        summary,
        deterministic: summary
            .bands
            .iter()
            .map(|b| projection.at(b.month).map_or(f64::NAN, |r| r.total))
            .collect(),
        stamp: &stamp,
    };
    let hist = FinalHistogram {
        scenario: &loaded.scenario,
        summary,
        hist: &stats.total[stats.final_row()],
        stamp: &stamp,
    };
    // The two charts are drawn and compressed side by side: with the runs
    // done, they are most of what is left of the command's time.
    let (fan, hist) = rayon::join(|| render_file(&fan, chart), || render_file(&hist, chart));
    Ok(vec![fan?, hist?])
}

/// `mc_percentiles.csv`: a row per month (the initial state first).
pub fn percentiles_table(summary: &McSummary) -> Table {
    let mut header: Vec<String> = vec!["month".into(), "mean".into()];
    header.extend(PERCENTILES.iter().map(|p| format!("p{p}")));
    header.extend(summary.level_names.iter().map(|l| format!("p50.{l}")));
    let mut t = Table::new(header);
    for b in &summary.bands {
        let mut row: Vec<Cell> = vec![b.month.to_string().into(), b.mean.into()];
        row.extend(
            b.percentiles
                .iter()
                .chain(&b.level_medians)
                .map(|&x| Cell::Num(x)),
        );
        t.push(row);
    }
    t
}

/// The short table printed after a Monte Carlo.
pub fn console(summary: &McSummary, loaded: &Loaded) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} [{}] Monte Carlo: {}, seed {}  (config {}, {})",
        summary.title,
        summary.scenario,
        count(summary.runs, "run", "runs"),
        summary.seed,
        loaded.short_hash(),
        loaded.label
    );
    let _ = writeln!(out, "  uncertainty: {}", summary.uncertainty_text());
    if !summary.milestones.is_empty() {
        // None or all of the runs reads as the count, which may be wider.
        let odds: Vec<String> = summary
            .milestones
            .iter()
            .map(|m| chance_in(m.probability, summary.runs))
            .collect();
        let w = odds
            .iter()
            .map(|o| o.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        let _ = writeln!(
            out,
            "  {:<26} {:>8} {:>w$} {:>8} {:>8} {:>8} {:>13}",
            "milestone", "target", "P(met)", "p5", "p50", "p95", "deterministic"
        );
        for (m, odds) in summary.milestones.iter().zip(odds) {
            let name = match &m.label {
                Some(l) => format!("{} {l}", m.date),
                None => m.date.to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<26} {:>8} {:>w$} {:>8} {:>8} {:>8} {:>13}",
                name,
                people(m.target),
                odds,
                people(m.p5),
                people(m.p50),
                people(m.p95),
                people(m.deterministic)
            );
        }
    }
    let f = &summary.final_total;
    let _ = writeln!(
        out,
        "  final total at {}: median {} (90% of runs {} .. {}); mean {}; deterministic {}",
        f.month,
        people(f.p50),
        people(f.p5),
        people(f.p95),
        people(f.mean),
        people(f.deterministic)
    );
    if let Some(fm) = &summary.first_month_at_final_target {
        let median = fm.p50.map_or_else(
            || format!("not reached in half the runs by {}", summary.end),
            |m| m.to_string(),
        );
        let _ = writeln!(
            out,
            "  {} reached by {} in {}; median first month: {median}",
            people(fm.target),
            summary.end,
            of_runs(fm.reached, summary.runs)
        );
    }
    out
}

/// A progress bar on stderr; indicatif hides it when stderr is not a terminal.
fn progress(runs: u64) -> ProgressBar {
    let bar = ProgressBar::new(runs);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} Monte Carlo [{bar:40}] {human_pos}/{human_len} runs ({eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

//! `forcecast mc`: the Monte Carlo of one scenario.

use crate::cli::McArgs;
use crate::config::{self, Loaded};
use crate::engine::{self, Projection};
use crate::error::{Error, Result};
use crate::montecarlo::{self, report::McSummary, McStats, Options};
use crate::output::{self, OutputFile};
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

/// Every file `mc` writes for one scenario.
pub fn mc_outputs(
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
    Ok(vec![
        summary.percentiles_csv()?,
        summary.summary_json()?,
        fan?,
        hist?,
    ])
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

pub fn mc(args: &McArgs) -> Result<i32> {
    output::check_out_dir(&args.output.out).map_err(Error::Usage)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let opts = options(args, &loaded);
    let bar = progress(opts.runs);
    let stats = montecarlo::run(&loaded.scenario, &opts, Some(&bar))
        .map_err(|e| Error::Other(anyhow::anyhow!(e)))?;
    bar.finish_and_clear();
    let projection = engine::project(&loaded.scenario);
    let summary = McSummary::new(&loaded, &opts, &stats, &projection);
    let files = mc_outputs(
        &loaded,
        &summary,
        &stats,
        &projection,
        &ChartOptions::from(&args.output),
    )?;
    let dir = args.output.out.join(&loaded.scenario.name);
    output::write_all(&dir, &files)?;
    print!("{}", summary.console(&loaded));
    println!(
        "Outputs: {}/ ({})",
        dir.display(),
        files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(0)
}

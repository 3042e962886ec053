//! `forcecast analyze`: career and steady-state analysis of the level chain.

use super::{check_out_dir, Answer, Outputs};
use crate::analysis::{self, report};
use crate::cli::AnalyzeArgs;
use crate::config;
use crate::engine;
use crate::error::{Error, Result};
use crate::month::Month;
use crate::output::DataFile;

pub fn answer(args: &AnalyzeArgs) -> Result<Answer> {
    check_out_dir(&args.out)?;
    let loaded = config::load(args.scenario.config.as_deref(), &args.scenario.set)?;
    let s = &loaded.scenario;
    let at = match &args.at {
        None => s.end,
        Some(text) => {
            let m = Month::parse(text).ok_or_else(|| {
                Error::Usage(format!(
                    "--at {text}: not a month; write YYYY-MM, e.g. 2028-03"
                ))
            })?;
            if m < s.start || m > s.end {
                return Err(Error::Usage(format!(
                    "--at {m}: outside the scenario's horizon {} .. {}",
                    s.start, s.end
                )));
            }
            m
        }
    };
    let projection = engine::project(s);
    let last = projection.final_row();
    let mut markov = analysis::analyze(s, at, (last.month, &last.levels)).map_err(Error::Usage)?;
    markov.config_hash = loaded.hash.clone();
    let mut answer = Answer::default();
    answer.say(&report::render(&markov, &s.title, &loaded.label));
    answer.outputs = Some(Outputs {
        dir: args.out.join(&s.name),
        data: vec![DataFile::json("markov", &markov)?],
        charts: Vec::new(),
    });
    Ok(answer)
}

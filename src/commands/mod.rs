//! One module per command. Each turns its arguments into an [`Answer`]: the
//! lines to print and the files to write, all in memory. [`deliver`] is the
//! one place that writes files and prints, so a command can be tested
//! without touching the disk or the terminal.

pub mod analyze;
pub mod calibrate;
pub mod check;
pub mod compare;
pub mod mc;
pub mod optimize;
pub mod rates;
pub mod report;
pub mod run;
pub mod sensitivity;
pub mod solve;
pub mod sweep;

use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::output::{self, DataFile, OutputFile};
use std::path::PathBuf;

/// One line for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// For stdout: the answer itself.
    Out(String),
    /// For stderr: warnings and errors, with their `warning: ` or `error: ` prefix.
    Err(String),
}

/// What a command has to say, before anything is printed or written.
#[derive(Debug, Default)]
pub struct Answer {
    /// Printed in order once the files are in place.
    pub lines: Vec<Line>,
    /// Files to write; `None` when the command writes nothing (`check`).
    pub outputs: Option<Outputs>,
    /// The exit code when nothing goes wrong writing: 0, or 3 for a missed
    /// milestone with `--fail-below`, or 2 when `check` found errors.
    pub exit_code: i32,
}

/// The files of an answer and the folder they go to.
#[derive(Debug)]
pub struct Outputs {
    pub dir: PathBuf,
    /// Tables, records and pages, serialized by their format's exporter.
    pub data: Vec<DataFile>,
    /// Rendered charts.
    pub charts: Vec<OutputFile>,
}

impl Outputs {
    /// Every file with its bytes, data first, then charts.
    pub fn files(&self) -> anyhow::Result<Vec<OutputFile>> {
        let mut files = self
            .data
            .iter()
            .map(DataFile::render)
            .collect::<anyhow::Result<Vec<_>>>()?;
        files.extend(self.charts.iter().cloned());
        Ok(files)
    }

    /// The file names, in the order [`Outputs::files`] gives them.
    pub fn names(&self) -> Vec<String> {
        self.data
            .iter()
            .map(DataFile::name)
            .chain(self.charts.iter().map(|c| c.name.clone()))
            .collect()
    }

    /// A data file by name, e.g. `summary.json`.
    pub fn data_file(&self, name: &str) -> Option<&DataFile> {
        self.data.iter().find(|d| d.name() == name)
    }
}

impl Answer {
    /// Adds `text` to stdout, a line at a time.
    pub fn say(&mut self, text: &str) {
        self.lines
            .extend(text.lines().map(|l| Line::Out(l.to_string())));
    }

    /// Adds a `warning: ` line for stderr.
    pub fn warn(&mut self, text: &str) {
        self.lines.push(Line::Err(format!("warning: {text}")));
    }

    /// Adds an `error: ` line for stderr (for commands that go on after an error).
    pub fn error(&mut self, text: &str) {
        self.lines.push(Line::Err(format!("error: {text}")));
    }

    /// Everything for stdout, as it will be printed (without the "Outputs:" line).
    pub fn stdout(&self) -> String {
        self.text(|l| match l {
            Line::Out(t) => Some(t),
            Line::Err(_) => None,
        })
    }

    /// Everything for stderr.
    pub fn stderr(&self) -> String {
        self.text(|l| match l {
            Line::Err(t) => Some(t),
            Line::Out(_) => None,
        })
    }

    fn text<'a>(&'a self, pick: impl Fn(&'a Line) -> Option<&'a String>) -> String {
        self.lines
            .iter()
            .filter_map(pick)
            .map(|l| format!("{l}\n"))
            .collect()
    }
}

/// Runs the parsed command line, in memory.
pub fn answer(cli: Cli) -> Result<Answer> {
    match cli.command {
        None => run::answer(&Default::default()),
        Some(Command::Run(args)) => run::answer(&args),
        Some(Command::Check(args)) => check::answer(&args),
        Some(Command::Mc(args)) => mc::answer(&args),
        Some(Command::Solve(args)) => solve::answer(&args),
        Some(Command::Sensitivity(args)) => sensitivity::answer(&args),
        Some(Command::Sweep(args)) => sweep::answer(&args),
        Some(Command::Optimize(args)) => optimize::answer(&args),
        Some(Command::Analyze(args)) => analyze::answer(&args),
        Some(Command::Compare(args)) => compare::answer(&args),
        Some(Command::Rates(args)) => rates::answer(&args),
        Some(Command::Calibrate(args)) => calibrate::answer(&args),
        Some(Command::Report(args)) => report::answer(&args),
    }
}

/// Writes the answer's files (all or none), then prints its lines and where
/// the files went. Returns the exit code.
pub fn deliver(answer: Answer) -> Result<i32> {
    let written = match &answer.outputs {
        Some(out) => Some((out.dir.clone(), {
            let files = out.files()?;
            output::write_all(&out.dir, &files)?;
            out.names()
        })),
        None => None,
    };
    for line in &answer.lines {
        match line {
            Line::Out(t) => println!("{t}"),
            Line::Err(t) => eprintln!("{t}"),
        }
    }
    if let Some((dir, names)) = written {
        println!("Outputs: {}/ ({})", dir.display(), names.join(", "));
    }
    Ok(answer.exit_code)
}

/// Fails early, before any work, when `dir` cannot be an output folder.
pub fn check_out_dir(dir: &std::path::Path) -> Result<()> {
    output::check_out_dir(dir).map_err(crate::error::Error::Output)
}

/// Loads every config (all their errors at once) and refuses two with the
/// same scenario name, which labels their charts, tables and CSV columns.
pub fn load_all(paths: &[PathBuf], set: &[String]) -> Result<Vec<crate::config::Loaded>> {
    use crate::config::ConfigErrors;
    use crate::error::Error;
    let mut loaded: Vec<crate::config::Loaded> = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match crate::config::load(Some(path), set) {
            Ok(l) => loaded.push(l),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Config(ConfigErrors(errors)));
    }
    for (i, l) in loaded.iter().enumerate() {
        if let Some(j) = loaded[..i]
            .iter()
            .position(|o| o.scenario.name == l.scenario.name)
        {
            return Err(Error::Usage(format!(
                "{} and {} both name their scenario '{}': give each its own [scenario] name (it labels the charts, tables and CSV columns)",
                paths[j].display(),
                paths[i].display(),
                l.scenario.name
            )));
        }
    }
    Ok(loaded)
}

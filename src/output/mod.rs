//! Output files. Every command renders all of its files in memory first, then
//! [`write_all`] puts them in place atomically: each is written to a
//! temporary file in the destination folder and renamed, so a failure (or
//! Ctrl-C) never leaves a half-written chart or table behind.
//!
//! Data files take one path, whatever the command: the command builds a
//! [`DataFile`] (a CSV [`csv::Table`], a JSON value or a Markdown
//! [`markdown::Page`]) and the format's [`Exporter`] turns it into bytes. One
//! file per format, behind one small trait, as hyperfine's `export` does.
pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;
pub mod xlsx;

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written right now, removed if the user presses Ctrl-C.
static STAGED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Exit code after Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_INTERRUPTED: i32 = 130;

/// On Ctrl-C, removes any temporary output files and exits with 130, so an
/// interrupted run leaves the output folder as it was (or with whole files only).
pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(staged) = STAGED.lock() {
            for p in staged.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        eprintln!("interrupted: no partial output was left behind");
        std::process::exit(EXIT_INTERRUPTED);
    });
}

fn staged(path: &Path, add: bool) {
    if let Ok(mut s) = STAGED.lock() {
        if add {
            s.push(path.to_path_buf());
        } else {
            s.retain(|p| p != path);
        }
    }
}

/// A rendered output: its file name and bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            name: name.into(),
            bytes,
        }
    }
}

/// One file format: turns its kind of data into the bytes of a file.
pub trait Exporter {
    /// What the format writes.
    type Input: ?Sized;
    /// The file name extension, without the dot.
    const EXTENSION: &'static str;
    fn serialize(&self, input: &Self::Input) -> Result<Vec<u8>>;
}

/// What a data file holds; each kind has one format.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// Rows of cells, written as CSV.
    Table(csv::Table),
    /// A structured record, written as JSON.
    Json(serde_json::Value),
    /// A page for people, written as Markdown.
    Page(markdown::Page),
    /// A config for the tool to read back, written as TOML text.
    Config(String),
    /// A self-contained page, written as HTML.
    Html(html::Document),
    /// Tables for a spreadsheet, written as one Excel workbook.
    Workbook(xlsx::Workbook),
}

/// A data file before it is serialized: its name without the extension, and its data.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    pub stem: String,
    pub data: Data,
}

impl DataFile {
    pub fn table(stem: impl Into<String>, t: csv::Table) -> DataFile {
        DataFile {
            stem: stem.into(),
            data: Data::Table(t),
        }
    }

    /// Any serde value as JSON (struct fields keep their order).
    pub fn json<T: serde::Serialize + ?Sized>(stem: impl Into<String>, v: &T) -> Result<DataFile> {
        Ok(DataFile {
            stem: stem.into(),
            data: Data::Json(serde_json::to_value(v)?),
        })
    }

    pub fn page(stem: impl Into<String>, p: markdown::Page) -> DataFile {
        DataFile {
            stem: stem.into(),
            data: Data::Page(p),
        }
    }

    pub fn html(stem: impl Into<String>, d: html::Document) -> DataFile {
        DataFile {
            stem: stem.into(),
            data: Data::Html(d),
        }
    }

    pub fn workbook(stem: impl Into<String>, b: xlsx::Workbook) -> DataFile {
        DataFile {
            stem: stem.into(),
            data: Data::Workbook(b),
        }
    }

    /// A config file, as TOML text already written.
    pub fn config(stem: impl Into<String>, text: String) -> DataFile {
        DataFile {
            stem: stem.into(),
            data: Data::Config(text),
        }
    }

    /// The file name: the stem and the format's extension.
    pub fn name(&self) -> String {
        let ext = match self.data {
            Data::Table(_) => <csv::Csv as Exporter>::EXTENSION,
            Data::Json(_) => <json::Json as Exporter>::EXTENSION,
            Data::Page(_) => <markdown::Markdown as Exporter>::EXTENSION,
            Data::Config(_) => <text::Toml as Exporter>::EXTENSION,
            Data::Html(_) => <html::Html as Exporter>::EXTENSION,
            Data::Workbook(_) => <xlsx::Excel as Exporter>::EXTENSION,
        };
        format!("{}.{ext}", self.stem)
    }

    /// The file's bytes, from its format's exporter.
    pub fn render(&self) -> Result<OutputFile> {
        let bytes = match &self.data {
            Data::Table(t) => csv::Csv.serialize(t)?,
            Data::Json(v) => json::Json.serialize(v)?,
            Data::Page(p) => markdown::Markdown.serialize(p)?,
            Data::Config(t) => text::Toml.serialize(t)?,
            Data::Html(d) => html::Html.serialize(d)?,
            Data::Workbook(b) => xlsx::Excel.serialize(b)?,
        };
        Ok(OutputFile::new(self.name(), bytes))
    }
}

/// Checks that `dir` can be an output folder before any work is done.
pub fn check_out_dir(dir: &Path) -> std::result::Result<(), String> {
    let mut cur = Some(dir);
    while let Some(p) = cur {
        if p.as_os_str().is_empty() {
            break;
        }
        if p.exists() {
            if !p.is_dir() {
                return Err(format!(
                    "--out {}: '{}' is a file, not a folder",
                    dir.display(),
                    p.display()
                ));
            }
            let meta = std::fs::metadata(p).map_err(|e| format!("--out {}: {e}", dir.display()))?;
            if meta.permissions().readonly() {
                return Err(format!(
                    "--out {}: '{}' is read-only",
                    dir.display(),
                    p.display()
                ));
            }
            return Ok(());
        }
        cur = p.parent();
    }
    Ok(())
}

/// Writes every file into `dir` or none of them. Returns the paths written.
pub fn write_all(dir: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    let created = !dir.exists();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output folder {}", dir.display()))?;
    let mut pending: Vec<(tempfile::NamedTempFile, PathBuf)> = Vec::new();
    let result = (|| -> Result<()> {
        for f in files {
            let prefix = format!(".{}.", f.name);
            let mut builder = tempfile::Builder::new();
            builder.prefix(&prefix).suffix(".tmp");
            honour_umask(&mut builder);
            let mut tmp = builder
                .tempfile_in(dir)
                .with_context(|| format!("cannot write in {}", dir.display()))?;
            staged(tmp.path(), true);
            std::io::Write::write_all(&mut tmp, &f.bytes)
                .with_context(|| format!("cannot write {}", f.name))?;
            tmp.as_file().sync_all().ok();
            pending.push((tmp, dir.join(&f.name)));
        }
        Ok(())
    })();
    if let Err(e) = result {
        if let Ok(mut s) = STAGED.lock() {
            s.clear();
        }
        drop(pending);
        if created {
            std::fs::remove_dir(dir).ok();
        }
        return Err(e);
    }
    pause_before_rename();
    let mut written = Vec::new();
    for (tmp, dest) in pending {
        let tmp_path = tmp.path().to_path_buf();
        let persisted = tmp.persist(&dest);
        staged(&tmp_path, false);
        persisted.map_err(|e| {
            anyhow::anyhow!("cannot move {} into place: {}", dest.display(), e.error)
        })?;
        written.push(dest);
    }
    Ok(written)
}

/// Test hook: with `FORCECAST_TEST_PAUSE_BEFORE_RENAME=MS` set, waits that
/// long once every file is staged and none renamed, so a test can press
/// Ctrl-C exactly there (tests/cli.rs).
fn pause_before_rename() {
    if let Some(ms) = std::env::var_os("FORCECAST_TEST_PAUSE_BEFORE_RENAME") {
        eprintln!("paused before rename");
        let ms = ms.to_str().and_then(|s| s.parse().ok()).unwrap_or(0);
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Gives the file the permissions of one created the ordinary way:
/// read-write for all, less the umask (0644 under umask 022). A temporary
/// file would otherwise stay 0600 after the rename, and a reviewer or a web
/// server could not open the charts.
fn honour_umask(builder: &mut tempfile::Builder) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode given to open(2) is masked by the umask, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    #[cfg(not(unix))]
    let _ = builder;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_all_is_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let files = vec![
            OutputFile::new("a.csv", b"1".to_vec()),
            OutputFile::new("b.json", b"{}".to_vec()),
        ];
        let written = write_all(&out, &files).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(std::fs::read(out.join("a.csv")).unwrap(), b"1");
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
    }
}

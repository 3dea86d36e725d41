//! The output options of the subcommands that write one table (`kwic`, `ngrams`, `collocates`).

use std::path::PathBuf;

use polars::prelude::DataFrame;

use crate::report::{ensure_dir, Format, TableAppender, TableReporter};

#[derive(Debug, Clone, clap::Args)]
pub struct TableOutput {
    /// Folder for the table (created if missing)
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,

    /// Write CSV without the UTF-8 byte-order mark
    #[arg(long)]
    pub no_bom: bool,

    /// No progress bar, and no notes about the query's hits (warnings and errors stay)
    #[arg(short, long)]
    pub quiet: bool,
}

impl TableOutput {
    /// Before the run: the output folder is made if missing and can be written in (found at
    /// the end, it would waste the whole run).
    pub fn check(&self) -> anyhow::Result<()> {
        check_output_folder(&self.output)
    }

    /// Writes `df` as `<name>.csv` in the output folder (atomically); returns its path.
    pub fn write_csv(&self, name: &str, df: &DataFrame) -> anyhow::Result<PathBuf> {
        ensure_dir(&self.output)?;
        let _lock = crate::report::FolderLock::wait(&self.output)?;
        let path = self.output.join(format!("{name}.csv"));
        TableReporter {
            format: Format::Csv,
            bom: !self.no_bom,
        }
        .write_one(df, &path)?;
        Ok(path)
    }

    /// Writes `rows` rows as `<name>.csv` a piece of `piece` rows at a time, each range of rows
    /// made into a frame by `frame`, so that a table of millions of rows is never a frame as a
    /// whole (the same bytes as [`TableOutput::write_csv`] of the whole frame).
    pub fn write_csv_in_pieces(
        &self,
        name: &str,
        rows: usize,
        piece: usize,
        frame: impl Fn(std::ops::Range<usize>) -> crate::error::Result<DataFrame> + Sync,
    ) -> anyhow::Result<PathBuf> {
        ensure_dir(&self.output)?;
        let _lock = crate::report::FolderLock::wait(&self.output)?;
        let mut table = TableAppender::create(
            &self.output,
            name,
            TableReporter {
                format: Format::Csv,
                bom: !self.no_bom,
            },
        )?;
        table.append_pieces(rows, piece, &frame)?;
        Ok(table.finish(|| frame(0..0))?)
    }
}

/// Checks that a report can be written in `dir`, or, where it does not exist yet, that the
/// folder it would be made in can be written in (a run that fails later leaves no folder
/// behind).
pub fn check_output_folder(dir: &std::path::Path) -> anyhow::Result<()> {
    let mut existing = dir;
    while !existing.as_os_str().is_empty() && !existing.exists() {
        existing = existing.parent().unwrap_or(std::path::Path::new(""));
    }
    let existing = if existing.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        existing
    };
    if !existing.is_dir() {
        anyhow::bail!(
            "the output folder {} cannot be made: {} is a file; give another folder with -o",
            dir.display(),
            existing.display()
        );
    }
    crate::report::check_writable(existing)?;
    Ok(())
}

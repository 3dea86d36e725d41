//! The output options of the subcommands that write one table (`kwic`, `ngrams`, `collocates`).

use std::path::PathBuf;

use polars::prelude::DataFrame;

use crate::report::{ensure_dir, Format, TableReporter};

#[derive(Debug, Clone, clap::Args)]
pub struct TableOutput {
    /// Folder for the table (created if missing)
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,

    /// Write CSV without the UTF-8 byte-order mark
    #[arg(long)]
    pub no_bom: bool,

    /// No progress bar
    #[arg(short, long)]
    pub quiet: bool,
}

impl TableOutput {
    /// Writes `df` as `<name>.csv` in the output folder (atomically); returns its path.
    pub fn write_csv(&self, name: &str, df: &DataFrame) -> anyhow::Result<PathBuf> {
        ensure_dir(&self.output)?;
        let path = self.output.join(format!("{name}.csv"));
        TableReporter {
            format: Format::Csv,
            bom: !self.no_bom,
        }
        .write_one(df, &path)?;
        Ok(path)
    }
}

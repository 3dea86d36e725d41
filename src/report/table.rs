//! Tables as CSV (UTF-8, with a BOM by default so that Excel on Chinese Windows does not read
//! them as GBK) or Parquet.

use std::path::{Path, PathBuf};

use polars::prelude::{Column, DataFrame, DataType};
use polars_io::csv::write::{BatchedWriter as CsvBatched, CsvWriter};
use polars_io::parquet::write::{
    BatchedWriter as ParquetBatched, ParquetCompression, ParquetWriter,
};
use polars_io::SerWriter;

use super::{write_atomically, Reporter};
use crate::error::{Error, Result};
use crate::frames::Tables;

/// File format of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Csv,
    Parquet,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

/// Writes every table as `<name>.csv` or `<name>.parquet`.
#[derive(Debug, Clone, Copy)]
pub struct TableReporter {
    pub format: Format,
    /// Start CSV files with a UTF-8 byte-order mark.
    pub bom: bool,
}

/// Columns of p-values: fixed six decimals would write 0.000000 for every p below 5e-7, so CSV
/// gets them in scientific notation with five significant digits (`3.0823e-77`), which Excel,
/// pandas and R read as numbers. Parquet keeps the floats.
const SCIENTIFIC: &[&str] = &["p"];

impl TableReporter {
    pub fn write_one(&self, df: &DataFrame, path: &Path) -> Result<()> {
        let encode_error = |source| Error::Encode {
            path: path.into(),
            source,
        };
        let mut df = df.clone();
        if self.format == Format::Csv {
            for &name in SCIENTIFIC {
                let Ok(column) = df.column(name) else {
                    continue;
                };
                if column.dtype() != &DataType::Float64 {
                    continue;
                }
                let text: Vec<Option<String>> = column
                    .f64()
                    .map_err(encode_error)?
                    .iter()
                    .map(|p| p.map(|p| format!("{p:.4e}")))
                    .collect();
                df.with_column(Column::new(name.into(), text))
                    .map_err(encode_error)?;
            }
        }
        write_atomically(path, |file| match self.format {
            Format::Csv => CsvWriter::new(file)
                .include_bom(self.bom)
                .with_float_precision(Some(6))
                .finish(&mut df)
                .map_err(encode_error),
            Format::Parquet => ParquetWriter::new(file)
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut df)
                .map(drop)
                .map_err(encode_error),
        })
    }
}

impl Reporter for TableReporter {
    fn write(&self, tables: &Tables, dir: &Path) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (name, df) in &tables.tables {
            let path = dir.join(format!("{name}.{}", self.format.extension()));
            self.write_one(df, &path)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// Rows per Parquet row group of an appended table: fixed, so that the file does not depend on
/// how many rows each batch brought (polars' own default for a whole frame).
const ROW_GROUP: usize = 512 * 512;

/// The most rows Excel opens in a sheet, the header included.
pub const EXCEL_ROWS: usize = 1_048_576;

/// Warns on stderr when the CSV table `name` has more rows than Excel opens (its header
/// included), with `hint` on what to do: what every command says of a table too long.
pub fn warn_past_excel(name: &str, rows: usize, hint: &str) {
    if rows >= EXCEL_ROWS {
        eprintln!(
            "wenxi: warning: {name} has {rows} rows, more than Excel opens ({EXCEL_ROWS} with the \
             header): {hint}, or read it with pandas or R"
        );
    }
}

enum Sink {
    Csv(CsvBatched<std::fs::File>),
    Parquet {
        writer: ParquetBatched<std::fs::File>,
        pending: Option<DataFrame>,
    },
}

/// A table written a batch of rows at a time, into a temporary file beside its path that
/// [`TableAppender::finish`] renames over it: until then, and if the run fails, the old report
/// stays as it was. CSV batches are appended as they come; Parquet rows are written in row groups
/// of [`ROW_GROUP`], so the bytes are the same whatever the batches were.
pub struct TableAppender {
    path: PathBuf,
    format: Format,
    bom: bool,
    file: std::fs::File,
    temp: super::Temporary,
    sink: Option<Sink>,
    rows: usize,
}

impl TableAppender {
    /// Starts `<dir>/<name>.<ext>`.
    pub fn create(dir: &Path, name: &str, reporter: TableReporter) -> Result<Self> {
        let path = dir.join(format!("{name}.{}", reporter.format.extension()));
        let (file, temp) = super::Temporary::create(dir).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        Ok(TableAppender {
            path,
            format: reporter.format,
            bom: reporter.bom,
            file,
            temp,
            sink: None,
            rows: 0,
        })
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Rows appended so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn encode_error(&self) -> impl Fn(polars::prelude::PolarsError) -> Error + '_ {
        |source| Error::Encode {
            path: self.path.clone(),
            source,
        }
    }

    fn file(&self) -> Result<std::fs::File> {
        self.file.try_clone().map_err(|source| Error::Write {
            path: self.path.clone(),
            source,
        })
    }

    /// Appends the rows of `df` (every batch with the same columns).
    pub fn append(&mut self, df: &DataFrame) -> Result<()> {
        self.rows += df.height();
        if self.sink.is_none() {
            let file = self.file()?;
            let sink = match self.format {
                Format::Csv => Sink::Csv(
                    CsvWriter::new(file)
                        .include_bom(self.bom)
                        .with_float_precision(Some(6))
                        .batched(&df.schema())
                        .map_err(self.encode_error())?,
                ),
                Format::Parquet => Sink::Parquet {
                    writer: ParquetWriter::new(file)
                        .with_compression(ParquetCompression::Zstd(None))
                        .batched(&df.schema())
                        .map_err(self.encode_error())?,
                    pending: None,
                },
            };
            self.sink = Some(sink);
        }
        let path = self.path.clone();
        let encode = |source| Error::Encode {
            path: path.clone(),
            source,
        };
        match self.sink.as_mut().expect("made above") {
            Sink::Csv(writer) => writer.write_batch(df).map_err(encode)?,
            Sink::Parquet { writer, pending } => {
                let mut rows = match pending.take() {
                    Some(mut rows) => {
                        rows.vstack_mut(df).map_err(encode)?;
                        rows
                    }
                    None => df.clone(),
                };
                while rows.height() >= ROW_GROUP {
                    let mut group = rows.slice(0, ROW_GROUP);
                    group.rechunk_mut();
                    writer.write_batch(&group).map_err(encode)?;
                    rows = rows.slice(ROW_GROUP as i64, rows.height() - ROW_GROUP);
                }
                *pending = Some(rows);
            }
        }
        Ok(())
    }

    /// Appends the rows of `units` units made into frames by `frame`, `step` units a frame
    /// (a table of millions of rows is never one frame), each frame made while the one before
    /// it is written.
    pub fn append_pieces(
        &mut self,
        units: usize,
        step: usize,
        frame: &(dyn Fn(std::ops::Range<usize>) -> Result<DataFrame> + Sync),
    ) -> Result<()> {
        let step = step.max(1);
        let mut made: Option<DataFrame> = None;
        for start in (0..units).step_by(step) {
            let (next, wrote) = rayon::join(
                || frame(start..units.min(start + step)),
                || made.take().map_or(Ok(()), |df| self.append(&df)),
            );
            wrote?;
            made = Some(next?);
        }
        match made {
            Some(df) => self.append(&df),
            None => Ok(()),
        }
    }

    /// Writes what is left and the file's end, and renames it over the report's path. A table
    /// that got no batch at all is written from `empty` (its columns, no rows).
    pub fn finish(mut self, empty: impl FnOnce() -> Result<DataFrame>) -> Result<PathBuf> {
        if self.sink.is_none() {
            self.append(&empty()?)?;
        }
        let path = self.path.clone();
        let encode = |source| Error::Encode {
            path: path.clone(),
            source,
        };
        match self.sink.take().expect("made above") {
            Sink::Csv(mut writer) => writer.finish().map_err(encode)?,
            Sink::Parquet {
                mut writer,
                pending,
            } => {
                if let Some(mut rows) = pending.filter(|rows| rows.height() > 0) {
                    rows.rechunk_mut();
                    writer.write_batch(&rows).map_err(encode)?;
                }
                writer.finish().map_err(encode)?;
            }
        }
        let io_error = |source| Error::Write {
            path: path.clone(),
            source,
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            self.file
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(io_error)?;
        }
        drop(self.file);
        super::place(self.temp, &path)?;
        Ok(path)
    }
}

/// A [`TableAppender`] fed from a thread of its own, so that encoding and writing one batch's
/// rows overlaps the analysis of the next. Frames are written in the order sent; at most two wait.
/// Made with [`AppendThread::here`] (a run on one thread), it writes each frame as it is sent.
pub struct AppendThread<'scope> {
    appending: Appending<'scope>,
}

enum Appending<'scope> {
    Thread {
        sender: std::sync::mpsc::SyncSender<DataFrame>,
        thread: std::thread::ScopedJoinHandle<'scope, Result<TableAppender>>,
    },
    Here {
        table: TableAppender,
        failed: Option<Error>,
    },
}

impl<'scope> AppendThread<'scope> {
    pub fn spawn<'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        mut table: TableAppender,
    ) -> Self {
        let (sender, frames) = std::sync::mpsc::sync_channel::<DataFrame>(2);
        let thread = scope.spawn(move || {
            for frame in frames {
                table.append(&frame)?;
            }
            Ok(table)
        });
        AppendThread {
            appending: Appending::Thread { sender, thread },
        }
    }

    /// Writes on the thread that sends, for a run asked to use one thread.
    pub fn here(table: TableAppender) -> Self {
        AppendThread {
            appending: Appending::Here {
                table,
                failed: None,
            },
        }
    }

    /// Queues rows (or writes them); false if the writing has stopped ([`AppendThread::finish`]
    /// says why).
    pub fn send(&mut self, frame: DataFrame) -> bool {
        match &mut self.appending {
            Appending::Thread { sender, .. } => sender.send(frame).is_ok(),
            Appending::Here { table, failed } => {
                if failed.is_none() {
                    *failed = table.append(&frame).err();
                }
                failed.is_none()
            }
        }
    }

    /// Waits for every queued frame to be written; gives the table back, or the writing error.
    pub fn finish(self) -> Result<TableAppender> {
        match self.appending {
            Appending::Thread { sender, thread } => {
                drop(sender);
                thread.join().expect("the table writer does not panic")
            }
            Appending::Here { table, failed } => match failed {
                Some(error) => Err(error),
                None => Ok(table),
            },
        }
    }
}

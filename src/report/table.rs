//! Tables as CSV (UTF-8, with a BOM by default so that Excel on Chinese Windows does not read
//! them as GBK) or Parquet.

use std::path::{Path, PathBuf};

use polars::prelude::{Column, DataFrame, DataType};
use polars_io::csv::write::CsvWriter;
use polars_io::parquet::write::{ParquetCompression, ParquetWriter};
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

//! Errors of the library: each names the object and the path it concerns.

use std::path::PathBuf;

/// Everything that can stop a run. A message does not repeat its source error: the binary prints
/// the whole chain (`{:#}`), each cause once. Problems with a single input file are not errors: that file
/// is skipped and recorded in [`crate::SourceFile`], and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {what} {path}")]
    Read {
        what: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{what} {path} is not valid UTF-8 text (line {line}); save it as UTF-8")]
    NotUtf8 {
        what: &'static str,
        path: PathBuf,
        line: usize,
    },
    #[error("{what} {path}, line {line}: expected {expected}")]
    BadLine {
        what: &'static str,
        path: PathBuf,
        line: usize,
        expected: &'static str,
    },
    #[error(
        "user dictionary {path} has no valid entry; each line is `word [frequency] [pos-tag]`"
    )]
    EmptyUserDict { path: PathBuf },
    #[error(
        "unknown encoding '{0}'; use a WHATWG label such as utf-8, gbk, gb18030, big5, utf-16le"
    )]
    EncodingLabel(String),
    #[error("invalid --split-regex")]
    SplitRegex(#[from] regex::Error),
    #[error("output folder {path} is a file; give another folder with -o")]
    OutputIsFile { path: PathBuf },
    #[error("cannot create output folder {path}")]
    OutputDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write in the output folder {path}; give a folder you can write to with -o")]
    OutputNotWritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write report {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot build table {name}")]
    Frame {
        name: &'static str,
        #[source]
        source: polars::prelude::PolarsError,
    },
    #[error("cannot draw chart {name}: {message}")]
    Chart { name: &'static str, message: String },
    #[error("cannot write report {path}")]
    Encode {
        path: PathBuf,
        #[source]
        source: polars::prelude::PolarsError,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

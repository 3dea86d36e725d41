//! Writing reports into the output folder. Every file is written to a temporary file in the same
//! folder and renamed over the old one, so an interrupted run never leaves a half-written report;
//! nothing else in the folder is touched.

pub mod charts;
pub mod html;
pub mod run;
mod table;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::frames::Tables;

pub use table::{AppendThread, Format, TableAppender, TableReporter, EXCEL_ROWS};

/// Something that turns the tables of a run into files in the output folder.
pub trait Reporter {
    /// Writes its files into `dir` and returns their paths.
    fn write(&self, tables: &Tables, dir: &Path) -> Result<Vec<PathBuf>>;
}

/// Creates the output folder (and its parents) if missing.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::OutputIsFile { path: dir.into() });
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::OutputDir {
        path: dir.into(),
        source,
    })
}

/// Writes `bytes` to `path` atomically (see [`write_atomically`]).
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, |file| {
        file.write_all(bytes).map_err(|source| Error::Write {
            path: path.into(),
            source,
        })
    })
}

/// Writes `path` atomically: `fill` writes into a temporary file beside it, which is renamed over
/// `path` only if `fill` succeeded. A rename within one folder is atomic, so an interrupted run
/// leaves either the old report or the new one. (No fsync: it guards against power loss, not
/// interruption, and cost more than writing on this machine's disks.)
pub fn write_atomically<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut std::fs::File) -> Result<()>,
{
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io_error = |source| Error::Write {
        path: path.into(),
        source,
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".wenxi-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_error)?;
    fill(temp.as_file_mut())?;
    temp.as_file_mut().flush().map_err(io_error)?;
    // Temporary files are created private (0600); a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io_error)?;
    }
    temp.persist(path).map_err(|err| io_error(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("words.csv");
        std::fs::write(&path, "old").unwrap();
        let failed = write_atomically(&path, |file| {
            file.write_all(b"half").unwrap();
            Err(Error::Write {
                path: "x".into(),
                source: std::io::Error::other("interrupted"),
            })
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomically(&path, |file| {
            file.write_all(b"new").map_err(|source| Error::Write {
                path: "x".into(),
                source,
            })
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}

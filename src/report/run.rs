//! `run.json`: what a run of `analyze` read and wrote, so that the next run into the same folder
//! can remove the reports it does not write again, and a folder never mixes two runs.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::write_bytes_atomically;
use crate::corpus::SourceFile;
use crate::error::{Error, Result};

pub const RUN_FILE: &str = "run.json";

/// One input file, as `files.csv` has it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Input {
    pub path: String,
    pub bytes: u64,
    pub encoding: String,
    pub status: String,
}

/// The record of a run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Run {
    pub wenxi: String,
    /// The command line, as given.
    pub command: Vec<String>,
    pub inputs: Vec<Input>,
    /// The files it wrote, relative to the output folder, `/`-separated, sorted.
    pub files: Vec<String>,
}

impl Run {
    pub fn new(files: &[SourceFile], written: &[PathBuf], dir: &Path) -> Run {
        let mut relative: Vec<String> = written
            .iter()
            .filter_map(|p| p.strip_prefix(dir).ok())
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect();
        relative.sort();
        relative.dedup();
        Run {
            wenxi: env!("CARGO_PKG_VERSION").to_owned(),
            command: std::env::args().collect(),
            inputs: files
                .iter()
                .map(|f| Input {
                    path: f.path.clone(),
                    bytes: f.bytes,
                    encoding: f.encoding.clone(),
                    status: f.status.as_str().to_owned(),
                })
                .collect(),
            files: relative,
        }
    }
}

/// Removes what an interrupted run left behind in `dir` and `dir/charts`: temporary files
/// (`.wenxi-*.tmp`, and `.wenxi-tmp-*.png`, which wenxi before `--dpi` wrote its charts to)
/// that were never renamed into place.
/// Returns how many.
pub fn remove_temporaries(dir: &Path) -> usize {
    let mut removed = 0;
    for folder in [dir.to_path_buf(), dir.join("charts")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let temporary = (name.starts_with(".wenxi-") && name.ends_with(".tmp"))
                || (name.starts_with(".wenxi-tmp-") && name.ends_with(".png"));
            if temporary
                && entry.file_type().is_ok_and(|t| t.is_file())
                && std::fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

/// Writes `run.json` for this run and removes the reports the previous run recorded that this
/// one did not write. Only files inside `dir` named in the old record are touched. Returns the
/// files removed.
pub fn record(dir: &Path, run: &Run) -> Result<Vec<PathBuf>> {
    let path = dir.join(RUN_FILE);
    let previous: Option<Run> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let json = serde_json::to_vec_pretty(run).map_err(|e| Error::Write {
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    write_bytes_atomically(&path, &json)?;
    let mut removed = Vec::new();
    for old in previous.map(|p| p.files).unwrap_or_default() {
        if run.files.contains(&old) || old == RUN_FILE {
            continue;
        }
        let relative = Path::new(&old);
        // Never outside the folder.
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            continue;
        }
        let stale = dir.join(relative);
        if stale.is_file() && std::fs::remove_file(&stale).is_ok() {
            removed.push(stale);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_removes_what_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("charts")).unwrap();
        for name in ["essays.csv", "themes.csv", "charts/a.png", "notes.txt"] {
            std::fs::write(d.join(name), "x").unwrap();
        }
        let first = Run::new(
            &[],
            &[
                d.join("essays.csv"),
                d.join("themes.csv"),
                d.join("charts/a.png"),
            ],
            d,
        );
        assert_eq!(first.files, ["charts/a.png", "essays.csv", "themes.csv"]);
        assert!(record(d, &first).unwrap().is_empty());
        let second = Run::new(&[], &[d.join("essays.csv")], d);
        let removed = record(d, &second).unwrap();
        assert_eq!(removed.len(), 2);
        assert!(!d.join("themes.csv").exists() && !d.join("charts/a.png").exists());
        // What no run of wenxi wrote is left alone.
        assert!(d.join("notes.txt").exists() && d.join("essays.csv").exists());
        // A record naming a file outside the folder is not followed.
        let outside = Run {
            files: vec!["../escape.csv".into()],
            ..second.clone()
        };
        std::fs::write(d.join(RUN_FILE), serde_json::to_vec(&outside).unwrap()).unwrap();
        assert!(record(d, &second).unwrap().is_empty());
    }

    #[test]
    fn temporaries_of_a_killed_run_go() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("charts")).unwrap();
        std::fs::write(d.join(".wenxi-abc.tmp"), "partial").unwrap();
        std::fs::write(d.join("charts/.wenxi-x.tmp"), "").unwrap();
        std::fs::write(d.join("charts/.wenxi-tmp-essay_lengths.png"), "").unwrap();
        std::fs::write(d.join("keep.tmp"), "").unwrap();
        assert_eq!(remove_temporaries(d), 3);
        assert!(d.join("keep.tmp").exists());
    }
}

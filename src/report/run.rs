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
    /// Every option of the run with the value it had, given or default (`null` for an option
    /// left unset), by the option's name with `_` for `-`; none in a record from before them.
    #[serde(default)]
    pub options: serde_json::Map<String, serde_json::Value>,
    /// How the nearest-neighbour search past 1,000 essays went: the budget it ended with, the
    /// default budget and its sample's recall if that was raised, and the recall of the last
    /// check; absent when no such search ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbours: Option<serde_json::Value>,
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
            // Lossy: an argument need not be UTF-8 (a GBK file name).
            command: std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            options: serde_json::Map::new(),
            neighbours: None,
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

    /// The record with the run's options.
    pub fn with_options(self, options: serde_json::Map<String, serde_json::Value>) -> Run {
        Run { options, ..self }
    }

    /// The record with how the neighbour search went (see [`Run::neighbours`]).
    pub fn with_neighbours(self, neighbours: Option<serde_json::Value>) -> Run {
        Run { neighbours, ..self }
    }
}

/// Whether `relative` (a path in an output folder, `/`-separated) is named as a report `analyze`
/// writes: a table (`essays.csv`, `themes.parquet` …), a chart (`charts/keywords.png`, `.svg`)
/// or the page (`index.html`). Not `ngrams.csv`, which `wenxi ngrams` writes into the same
/// default folder: without a record, it may be that table, which `analyze` leaves alone.
pub fn is_report_name(relative: &str) -> bool {
    match relative {
        "index.html" => return true,
        "ngrams.csv" => return false,
        _ => {}
    }
    let (names, extensions, name) = match relative.split_once('/') {
        None => (crate::frames::TABLE_NAMES, ["csv", "parquet"], relative),
        Some(("charts", name)) => (super::charts::CHART_NAMES, ["png", "svg"], name),
        Some(_) => return false,
    };
    name.rsplit_once('.')
        .is_some_and(|(stem, extension)| names.contains(&stem) && extensions.contains(&extension))
}

/// The files in `dir` and `dir/charts` named as `analyze`'s reports ([`is_report_name`]),
/// relative to `dir`, sorted: what a run of a wenxi from before `run.json` may have left.
fn reports_by_name(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for (folder, prefix) in [(dir.to_path_buf(), ""), (dir.join("charts"), "charts/")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let relative = format!("{prefix}{name}");
            if is_report_name(&relative) && entry.file_type().is_ok_and(|t| t.is_file()) {
                found.push(relative);
            }
        }
    }
    found.sort();
    found
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

/// Writes `run.json` for this run (staged with the reports, while a run stages its folder) and
/// gives the reports the previous run recorded that this one did not write, for the commit to
/// remove ([`super::Staging::commit_removing`]). Only files inside `dir` named in the old record
/// are given; a folder without a record (or with one wenxi cannot read: a folder of a wenxi
/// from before `run.json`) has the files named as `analyze`'s reports ([`is_report_name`])
/// given instead, and nothing else.
pub fn stage(dir: &Path, run: &Run) -> Result<Vec<PathBuf>> {
    let path = dir.join(RUN_FILE);
    let previous: Vec<String> = match std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Run>(&bytes).ok())
    {
        Some(previous) => previous.files,
        None => reports_by_name(dir),
    };
    let json = serde_json::to_vec_pretty(run).map_err(|e| Error::Write {
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    write_bytes_atomically(&path, &json)?;
    let mut stale = Vec::new();
    for old in previous {
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
        let file = dir.join(relative);
        if file.is_file() {
            stale.push(file);
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`stage`] and the removals of a commit.
    fn record(dir: &Path, run: &Run) -> Result<Vec<PathBuf>> {
        let stale = stage(dir, run)?;
        Ok(super::super::temporary::persist_all_removing(Vec::new(), &stale).unwrap())
    }

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
    fn a_folder_without_a_record_loses_only_what_is_named_as_a_report() {
        for (name, report) in [
            ("themes.csv", true),
            ("essay_word_freq.parquet", true),
            ("index.html", true),
            ("charts/word_cloud.svg", true),
            ("charts/themes.png", true),
            ("my.csv", false),
            ("themes.txt", false),
            ("charts/themes.csv", false),
            ("sub/essays.csv", false),
            ("kwic.csv", false),
            ("ngrams.csv", false),
            ("ngrams.parquet", true),
        ] {
            assert_eq!(is_report_name(name), report, "{name}");
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("charts")).unwrap();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        for name in [
            "essays.csv",
            "clusters.csv",
            "charts/dendrogram.png",
            "charts/mine.png",
            "sub/essays.csv",
            "notes.txt",
        ] {
            std::fs::write(d.join(name), "x").unwrap();
        }
        let run = Run::new(&[], &[d.join("essays.csv")], d);
        let mut removed = record(d, &run).unwrap();
        removed.sort();
        assert_eq!(
            removed,
            [d.join("charts/dendrogram.png"), d.join("clusters.csv")]
        );
        for kept in [
            "essays.csv",
            "charts/mine.png",
            "sub/essays.csv",
            "notes.txt",
        ] {
            assert!(d.join(kept).exists(), "{kept}");
        }
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

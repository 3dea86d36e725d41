//! The temporary files of a run, listed from the moment each is created until it is renamed into
//! place or deleted, so that a run interrupted by Ctrl-C deletes them before it exits.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tempfile::TempPath;

/// The temporary files alive now. Files are created and listed, renamed or deleted and struck
/// off, under this lock; the interrupt handler takes it and keeps it until the process ends, so
/// no file is created or renamed between its deletions and the exit, and a commit's renames
/// happen all or not at all.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn forget(live: &mut Vec<PathBuf>, path: &Path) {
    if let Some(i) = live.iter().rposition(|p| p == path) {
        live.swap_remove(i);
    }
}

/// Lists a file for an interrupt to delete (an output folder's lock).
pub(crate) fn list(path: &Path) {
    live().push(path.to_path_buf());
}

/// Strikes off a file [`list`] listed.
pub(crate) fn unlist(path: &Path) {
    forget(&mut live(), path);
}

/// A temporary file (`.wenxi-*.tmp`) beside a report: deleted when dropped unless renamed into
/// place by [`persist_all`].
pub(crate) struct Temporary(Option<TempPath>);

impl Temporary {
    /// Creates a temporary file in `dir`, and gives it open for writing.
    pub(crate) fn create(dir: &Path) -> std::io::Result<(File, Temporary)> {
        let mut live = live();
        let (file, path) = tempfile::Builder::new()
            .prefix(".wenxi-")
            .suffix(".tmp")
            .tempfile_in(dir)?
            .into_parts();
        live.push(path.to_path_buf());
        Ok((file, Temporary(Some(path))))
    }

    pub(crate) fn path(&self) -> &Path {
        self.0
            .as_deref()
            .expect("a temporary file has its path until it is gone")
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(temp) = self.0.take() {
            let mut live = live();
            let path = temp.to_path_buf();
            drop(temp);
            forget(&mut live, &path);
        }
    }
}

/// Renames each temporary file over its path, in order, all under one hold of the list: an
/// interrupt comes before the first rename or after the last. All or nothing: a report's place
/// taken by a folder fails the commit before any rename, and a rename that fails puts the
/// reports renamed before it back as they were (each previous report is kept under a second,
/// temporary name until every rename has succeeded, and each rename replaces a report in one
/// step), so the folder never holds the reports of two runs. On failure, the report's path and the error; the files not renamed are deleted.
pub(crate) fn persist_all(
    files: Vec<(Temporary, PathBuf)>,
) -> Result<(), (PathBuf, std::io::Error)> {
    persist_all_removing(files, &[]).map(drop)
}

/// [`persist_all`], then, once every rename succeeded and still under the same hold of the list,
/// deletes the files of `stale` (an earlier run's reports this run does not write), so that an
/// interrupt leaves the folder as one run or the other left it. Gives the files deleted.
pub(crate) fn persist_all_removing(
    files: Vec<(Temporary, PathBuf)>,
    stale: &[PathBuf],
) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    for (_, path) in &files {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err((
                path.clone(),
                std::io::Error::other(
                    "a folder is in its place: move or rename that folder and run again (no \
                     report was changed)",
                ),
            ));
        }
    }
    let mut live = live();
    let mut failed = None;
    let mut left = Vec::new();
    // The reports renamed into place, each with whether it replaced one and where that one was
    // kept.
    let mut done: Vec<(PathBuf, bool, Option<PathBuf>)> = Vec::new();
    for (mut temp, path) in files {
        if failed.is_some() {
            left.push(temp);
            continue;
        }
        let Some(file) = temp.0.take() else { continue };
        let listed = file.to_path_buf();
        // The previous report kept as `.wenxi-*.previous.tmp` by a second name (a hard link,
        // or a copy where the file system has none), so that the report's path always holds
        // the old report or the new one (the rename below replaces it in one step); a run
        // killed outright (SIGKILL) leaves that name to the next run's sweep of temporary
        // files. A previous report that cannot be kept is replaced all the same, as before.
        let aside = listed.with_extension("previous.tmp");
        let existed = std::fs::symlink_metadata(&path).is_ok();
        let previous = existed
            .then(|| {
                std::fs::hard_link(&path, &aside)
                    .or_else(|_| std::fs::copy(&path, &aside).map(drop))
                    .ok()
                    .map(|()| aside)
            })
            .flatten();
        match file.persist(&path) {
            Ok(()) => {
                forget(&mut live, &listed);
                done.push((path, existed, previous));
            }
            Err(err) => {
                if let Some(previous) = &previous {
                    let _ = std::fs::remove_file(previous);
                }
                temp.0 = Some(err.path);
                left.push(temp);
                failed = Some((path, err.error));
            }
        }
    }
    for (path, existed, previous) in done.into_iter().rev() {
        let _ = match (&failed, previous) {
            (Some(_), Some(previous)) => std::fs::rename(previous, &path),
            // A new report where there was none goes; one whose previous version could not be
            // kept stays (the best left).
            (Some(_), None) if !existed => std::fs::remove_file(&path),
            (None, Some(previous)) => std::fs::remove_file(previous),
            _ => Ok(()),
        };
    }
    let mut removed = Vec::new();
    if failed.is_none() {
        for path in stale {
            if path.is_file() && std::fs::remove_file(path).is_ok() {
                removed.push(path.clone());
            }
        }
        COMMITTED.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    // Dropping them takes the lock again.
    drop(live);
    drop(left);
    failed.map_or(Ok(removed), Err)
}

/// Whether a run's reports were all renamed into place (an interrupt after that leaves them).
static COMMITTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// From now on, Ctrl-C (SIGINT), SIGTERM and SIGHUP delete the temporary files of the run and
/// end the process with status 128 + the signal's number (130 for Ctrl-C). Reports already in
/// place stay as they were: a run renames its reports only at its end, all together.
pub fn delete_temporaries_on_interrupt() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let handler = move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the exit (process::exit runs no destructor).
                let live = live();
                for path in live.iter() {
                    let _ = std::fs::remove_file(path);
                }
                // A progress bar's line is cleared first, not written on.
                use std::io::IsTerminal;
                let clear = if std::io::stderr().is_terminal() {
                    "\r\x1b[2K"
                } else {
                    ""
                };
                if COMMITTED.load(std::sync::atomic::Ordering::SeqCst) {
                    eprintln!(
                        "{clear}wenxi: interrupted after this run's reports were all in place"
                    );
                } else {
                    eprintln!(
                        "{clear}wenxi: interrupted: its temporary files are deleted; reports \
                         already in the output folder are left as they were"
                    );
                }
                std::process::exit(128 + signal);
            }
        };
        // Without the thread, signals keep their default action.
        let _ = std::thread::Builder::new()
            .name("wenxi-interrupt".into())
            .spawn(handler);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_from_creation_until_renamed_or_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let listed = |p: &Path| live().iter().any(|l| l == p);
        let (_, kept) = Temporary::create(dir.path()).unwrap();
        let (_, dropped) = Temporary::create(dir.path()).unwrap();
        let (kept_path, dropped_path) = (kept.path().to_owned(), dropped.path().to_owned());
        assert!(listed(&kept_path) && listed(&dropped_path));
        drop(dropped);
        assert!(!listed(&dropped_path) && !dropped_path.exists());
        persist_all(vec![(kept, dir.path().join("a.csv"))]).unwrap();
        assert!(!listed(&kept_path) && dir.path().join("a.csv").exists());
    }

    #[test]
    fn a_failed_rename_puts_the_renamed_reports_back() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.csv"), "old a").unwrap();
        let made = |text: &str| {
            let (mut file, temp) = Temporary::create(d).unwrap();
            std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
            temp
        };
        // a.csv replaced, b.csv new, then a report whose folder does not exist: its rename fails.
        let files = vec![
            (made("new a"), d.join("a.csv")),
            (made("new b"), d.join("b.csv")),
            (made("new c"), d.join("missing/c.csv")),
        ];
        let (path, _) = persist_all(files).unwrap_err();
        assert_eq!(path, d.join("missing/c.csv"));
        let names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.csv"]);
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "old a");
        // And when all succeed, nothing is left aside.
        persist_all(vec![(made("new a"), d.join("a.csv"))]).unwrap();
        assert_eq!(std::fs::read_to_string(d.join("a.csv")).unwrap(), "new a");
        assert_eq!(std::fs::read_dir(d).unwrap().count(), 1);
    }
}

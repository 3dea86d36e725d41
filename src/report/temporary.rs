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
/// interrupt comes before the first rename or after the last. Stops at the first failure (the
/// report's path and the error); the files not renamed are deleted.
pub(crate) fn persist_all(
    files: Vec<(Temporary, PathBuf)>,
) -> Result<(), (PathBuf, std::io::Error)> {
    let mut live = live();
    let mut failed = None;
    let mut left = Vec::new();
    for (mut temp, path) in files {
        if failed.is_some() {
            left.push(temp);
            continue;
        }
        let Some(file) = temp.0.take() else { continue };
        let listed = file.to_path_buf();
        match file.persist(&path) {
            Ok(()) => forget(&mut live, &listed),
            Err(err) => {
                temp.0 = Some(err.path);
                left.push(temp);
                failed = Some((path, err.error));
            }
        }
    }
    // Dropping them takes the lock again.
    drop(live);
    drop(left);
    failed.map_or(Ok(()), Err)
}

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
                eprintln!(
                    "wenxi: interrupted: its temporary files are deleted; reports already in \
                     the output folder are left as they were"
                );
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
}

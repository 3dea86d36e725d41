//! Writing reports into the output folder. Every file is written to a temporary file in the same
//! folder and renamed over the old one, so an interrupted run never leaves a half-written report;
//! nothing else in the folder is touched. While a run stages its reports ([`Staging`]), the
//! renames wait until every file is written and then happen together, so that a run that fails
//! half-way (a full disk, a chart that cannot be drawn) leaves the previous run's reports whole,
//! never a mix of two runs.

pub mod charts;
pub mod html;
pub mod run;
mod subset;
mod table;
mod temporary;
mod zh;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::frames::Tables;

pub use table::{warn_past_excel, AppendThread, Format, TableAppender, TableReporter, EXCEL_ROWS};
pub use temporary::delete_temporaries_on_interrupt;
use temporary::Temporary;

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

/// Fails unless a report can be written in `dir` (an existing folder): checked before a long
/// run, not at its end. A temporary file is made there and deleted.
pub fn check_writable(dir: &Path) -> Result<()> {
    temporary::Temporary::create(dir)
        .map(drop)
        .map_err(|source| Error::OutputNotWritable {
            path: dir.into(),
            source,
        })
}

/// A run's hold on its output folder: the lock of the file `.wenxi.lock` in it, which is
/// removed when the hold is dropped (and by an interrupt: it is listed with the temporary
/// files). Two runs writing into one folder would otherwise delete each other's temporary
/// files and mix their reports.
pub struct FolderLock {
    file: Option<std::fs::File>,
    path: PathBuf,
}

/// The name of the lock file in an output folder.
pub const LOCK_FILE: &str = ".wenxi.lock";

impl FolderLock {
    /// Takes the folder (which must exist); `wait` says whether to wait for another run that
    /// holds it (saying so on stderr) or to fail at once.
    fn acquire(dir: &Path, wait: bool) -> anyhow::Result<FolderLock> {
        let path = dir.join(LOCK_FILE);
        let mut said = false;
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(|source| Error::OutputNotWritable {
                    path: dir.into(),
                    source,
                })?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) if wait => {
                    if !said {
                        eprintln!(
                            "wenxi: another wenxi run is writing its reports to {}: waiting for \
                             it to end",
                            dir.display()
                        );
                        said = true;
                    }
                    let _ = file.lock();
                }
                Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                    "another wenxi run is writing its reports to {}: wait for it to end, or \
                     give another folder with -o",
                    dir.display()
                ),
                // A file system without locks: no guard, as before.
                Err(std::fs::TryLockError::Error(_)) => {}
            }
            // The run before may have removed the file between our open and our lock: then the
            // lock is on a file no other run will find, and the folder is taken anew.
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let same = match (file.metadata(), std::fs::metadata(&path)) {
                    (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
                    _ => false,
                };
                if !same {
                    continue;
                }
            }
            temporary::list(&path);
            return Ok(FolderLock {
                file: Some(file),
                path,
            });
        }
    }

    /// Takes the folder, or fails at once if another run holds it.
    pub fn take(dir: &Path) -> anyhow::Result<FolderLock> {
        Self::acquire(dir, false)
    }

    /// Takes the folder, waiting while another run holds it.
    pub fn wait(dir: &Path) -> anyhow::Result<FolderLock> {
        Self::acquire(dir, true)
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while held, then released: a run waiting for it finds it gone and takes the
        // folder anew.
        let _ = std::fs::remove_file(&self.path);
        temporary::unlist(&self.path);
        drop(self.file.take());
    }
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
    let (mut file, temp) = Temporary::create(dir).map_err(io_error)?;
    fill(&mut file)?;
    file.flush().map_err(io_error)?;
    // Temporary files are created private (0600); a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io_error)?;
    }
    drop(file);
    place(temp, path)
}

/// The folder a run stages, and its files written and waiting for [`Staging::commit`] to rename
/// them into place; `None` when no run stages (renames then happen at once). One run stages at
/// a time, in the binary: the charts' thread and the tables' thread both put their files here.
/// Files outside the folder are not staged.
type Staged = Option<(PathBuf, Vec<(Temporary, PathBuf)>)>;
static STAGED: Mutex<Staged> = Mutex::new(None);

fn staged() -> std::sync::MutexGuard<'static, Staged> {
    STAGED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Renames a finished temporary file over `path`, now or, while a run stages its folder, at its
/// commit.
pub(crate) fn place(temp: Temporary, path: &Path) -> Result<()> {
    if let Some((dir, waiting)) = staged().as_mut() {
        if path.starts_with(dir) {
            waiting.push((temp, path.to_owned()));
            return Ok(());
        }
    }
    temporary::persist_all(vec![(temp, path.to_owned())])
        .map_err(|(path, source)| Error::Write { path, source })
}

/// The bytes of a report this run wrote: from its temporary file while it is staged.
pub(crate) fn read_written(path: &Path) -> std::io::Result<Vec<u8>> {
    let temp = staged().as_ref().and_then(|(_, waiting)| {
        waiting
            .iter()
            .rev()
            .find(|(_, p)| p == path)
            .map(|(t, _)| t.path().to_path_buf())
    });
    std::fs::read(temp.as_deref().unwrap_or(path))
}

/// A run's reports, renamed into place together: [`Staging::commit`] at the end; dropped
/// without it (the run failed), the temporary files are deleted and the old reports stay.
pub struct Staging(());

impl Staging {
    /// Stages what is written into `dir` from now on.
    pub fn begin(dir: &Path) -> Staging {
        *staged() = Some((dir.to_owned(), Vec::new()));
        Staging(())
    }

    /// Renames every staged file into place, in the order written, with no interrupt between
    /// the first rename and the last.
    pub fn commit(self) -> Result<()> {
        self.commit_removing(&[]).map(drop)
    }

    /// [`Staging::commit`], deleting the files of `stale` once every report is in place, with
    /// no interrupt between the first rename and the last deletion. Gives the files deleted.
    pub fn commit_removing(self, stale: &[PathBuf]) -> Result<Vec<PathBuf>> {
        let waiting = staged().take().map(|(_, w)| w).unwrap_or_default();
        temporary::persist_all_removing(waiting, stale)
            .map_err(|(path, source)| Error::Write { path, source })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a commit the list is gone already; otherwise its files are deleted here.
        staged().take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_are_renamed_together_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old b").unwrap();
        let names = || {
            let mut names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        {
            // A run that fails after writing a: neither file changes, no temporary stays.
            let _staging = Staging::begin(dir.path());
            write_bytes_atomically(&a, b"new a").unwrap();
            assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        }
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(names(), ["a.csv", "b.csv"]);
        let staging = Staging::begin(dir.path());
        write_bytes_atomically(&a, b"new a").unwrap();
        write_bytes_atomically(&b, b"new b").unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old b");
        staging.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(names(), ["a.csv", "b.csv"]);
        // The record of a run waits for the commit with its reports, and the reports of the
        // earlier run it does not write (b) go in the same step, not before it.
        let earlier = run::Run::new(&[], &[a.clone(), b.clone()], dir.path());
        let earlier = serde_json::to_string(&earlier).unwrap();
        std::fs::write(dir.path().join(run::RUN_FILE), &earlier).unwrap();
        let staging = Staging::begin(dir.path());
        write_bytes_atomically(&a, b"third a").unwrap();
        let record = run::Run::new(&[], &[a.clone()], dir.path());
        let stale = run::stage(dir.path(), &record).unwrap();
        assert_eq!(stale, [b.clone()]);
        let on_disk = std::fs::read_to_string(dir.path().join(run::RUN_FILE)).unwrap();
        assert_eq!(on_disk, earlier);
        assert!(b.exists());
        assert_eq!(staging.commit_removing(&stale).unwrap(), [b.clone()]);
        let on_disk = std::fs::read_to_string(dir.path().join(run::RUN_FILE)).unwrap();
        assert!(on_disk.contains("\"a.csv\""), "{on_disk}");
        assert_eq!(names(), ["a.csv", run::RUN_FILE]);
    }

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

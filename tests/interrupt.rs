//! Ctrl-C in the middle of `wenxi analyze`: the run deletes every temporary file it made, exits
//! with status 130, and leaves the previous run's reports in the folder byte for byte as they
//! were (a snapshot taken before the second run, not anything the second run says).

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::wenxi;

/// `essays` files of one essay each, about 2 KB apiece: words of two characters drawn (by a
/// fixed LCG) from the seed corpus's Han characters, sentences of 6–17 words, five paragraphs.
fn write_corpus(dir: &Path, essays: usize) {
    let seed = std::fs::read_to_string(common::repo().join("corpus/epidemic-community-essays.txt"))
        .unwrap();
    let mut han: Vec<char> = seed
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .collect();
    han.sort_unstable();
    han.dedup();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    std::fs::create_dir_all(dir).unwrap();
    for e in 0..essays {
        let mut text = String::new();
        for _ in 0..5 {
            for _ in 0..3 {
                for _ in 0..6 + next(12) {
                    text.push(han[next(han.len())]);
                    text.push(han[next(han.len())]);
                }
                text.push('。');
            }
            text.push('\n');
        }
        std::fs::write(dir.join(format!("{e:05}.txt")), text).unwrap();
    }
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_owned(), bytes);
            }
        }
    }
    files
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_keys()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".wenxi-"))
        })
        .collect()
}

#[test]
fn ctrl_c_leaves_no_temporary_file_and_the_old_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large, out) = (
        dir.path().join("small"),
        dir.path().join("large"),
        dir.path().join("reports"),
    );
    write_corpus(&small, 20);
    write_corpus(&large, 1500);

    wenxi()
        .args(["analyze", "--quiet", "-o"])
        .arg(&out)
        .arg(&small)
        .assert()
        .success();
    let before = snapshot(&out);
    assert!(
        before.contains_key(Path::new("essays.csv")),
        "{:?}",
        before.keys()
    );
    assert!(temporaries(&out).is_empty());

    // Small batches, one thread: the run's first temporary file (essay_word_freq, appended batch
    // by batch) appears early and the run goes on for seconds after it.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("wenxi"))
        .current_dir(dir.path())
        .args([
            "analyze",
            "--quiet",
            "--jobs",
            "1",
            "--batch-bytes",
            "100000",
            "-o",
        ])
        .arg(&out)
        .arg(&large)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before a temporary file was seen: a larger corpus?");
        }
        if !temporaries(&out).is_empty() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no temporary file after two minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it was interrupted: a larger corpus?"
    );
    // SAFETY: kill(2) with the pid of our own child, which has not been waited for.
    assert_eq!(
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) },
        0
    );
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");

    assert_eq!(temporaries(&out), Vec::<PathBuf>::new());
    let after = snapshot(&out);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
}

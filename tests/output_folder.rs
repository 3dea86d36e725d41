//! The output folder of `analyze`: a folder written by a wenxi from before `run.json` has the
//! reports the new run does not write removed by their names and nothing else touched; the
//! options go into `run.json`; a FIFO or socket in an input folder is listed in `files.csv`.

use std::collections::BTreeSet;
use std::path::Path;

mod common;

use common::{repo, wenxi, Csv};

/// Every file under `dir`, relative to it, `/`-separated.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(parts.join("/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// `run.json` of `dir`, read with serde_json.
fn record(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("run.json")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// The files a `run.json` says its run wrote.
fn recorded_files(record: &serde_json::Value) -> BTreeSet<String> {
    record["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect()
}

/// The files stderr says were removed, relative to `dir`.
fn removed(stderr: &str, dir: &Path) -> BTreeSet<String> {
    let prefix = format!("wenxi: removed {}/", dir.display());
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix(&prefix))
        .filter_map(|rest| rest.split_once(": an earlier run wrote it"))
        .map(|(path, _)| path.to_owned())
        .collect()
}

/// The user's own files, which no run may touch: two beside the reports (one a CSV), one in a
/// folder of their own named like a report, one among the charts.
const USER_FILES: [(&str, &str); 4] = [
    ("notes.txt", "我的笔记"),
    ("my.csv", "学生,分数\n张三,90\n"),
    ("mine/essays.csv", "my own essays table"),
    ("charts/mine.png", "not a wenxi chart"),
];

fn write_user_files(dir: &Path) {
    for (name, content) in USER_FILES {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

fn assert_user_files_intact(dir: &Path) {
    for (name, content) in USER_FILES {
        assert_eq!(
            std::fs::read_to_string(dir.join(name)).unwrap(),
            content,
            "{name}"
        );
    }
}

#[test]
fn a_folder_from_before_run_json_loses_the_old_reports_and_keeps_the_rest() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    write_user_files(o);
    // What a wenxi from before run.json left: its similarity and themes tables.
    std::fs::write(o.join("clusters.csv"), "essay_id,cluster\n1,1\n").unwrap();
    std::fs::write(o.join("themes.csv"), "essay_id,theme\n1,抗疫\n").unwrap();
    let assert = wenxi()
        .args([
            "analyze",
            "corpus",
            "--no-similarity",
            "--no-themes",
            "--no-charts",
            "--no-html",
            "-o",
        ])
        .arg(o)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(
        removed(&stderr, o),
        BTreeSet::from(["clusters.csv".to_owned(), "themes.csv".to_owned()]),
        "{stderr}"
    );
    assert_user_files_intact(o);
    // Left: what this run wrote (its record says which), its record, the user's files.
    let wrote = recorded_files(&record(o));
    assert!(wrote.contains("essays.csv") && !wrote.contains("clusters.csv"));
    let mut expected = wrote;
    expected.insert("run.json".to_owned());
    expected.extend(USER_FILES.iter().map(|(name, _)| (*name).to_owned()));
    assert_eq!(files_under(o), expected);
}

/// Six essays of one to six sentences in `essays/`, and `students.csv` with a class and a
/// score for each: enough for groups.csv and correlations.csv.
fn class_folder() -> tempfile::TempDir {
    const SENTENCES: [&str; 6] = [
        "社区的志愿者每天为居民测量体温。",
        "疫情期间我们在家里上网课。",
        "妈妈是一名医生，她常常工作到深夜。",
        "我为抗疫英雄感到骄傲。",
        "春天来了，武汉的樱花开了。",
        "我们要努力学习，将来报效祖国。",
    ];
    let dir = tempfile::tempdir().unwrap();
    let essays = dir.path().join("essays");
    std::fs::create_dir(&essays).unwrap();
    let mut table = String::from("学生,班级,分数\n");
    for (i, name) in ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
        .iter()
        .enumerate()
    {
        let body: String = SENTENCES[..=i].concat();
        std::fs::write(
            essays.join(format!("{name}.txt")),
            format!("我的生活\n{body}\n{body}\n"),
        )
        .unwrap();
        let class = if i < 3 { "一班" } else { "二班" };
        table.push_str(&format!("{name},{class},{}\n", 60 + 7 * i % 40));
    }
    std::fs::write(dir.path().join("students.csv"), table).unwrap();
    dir
}

/// `wenxi analyze essays` with every table, chart and the page, run in `dir`, into `out`.
fn full_run(dir: &Path, out: &Path, format: &str) {
    wenxi()
        .current_dir(dir)
        .args(["analyze", "essays", "--metadata", "students.csv"])
        .args(["--group-by", "班级", "--ngrams", "--format", format])
        .arg("--themes")
        .arg(repo().join("corpus/themes.toml"))
        .arg("-o")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn every_report_a_full_run_writes_is_known_by_its_name() {
    let dir = class_folder();
    let d = dir.path();
    // Every report, as CSV and as Parquet, in one folder whose run.json is then lost: as a
    // wenxi from before run.json would have left them.
    let csv = d.join("csv");
    let parquet = d.join("parquet");
    full_run(d, &csv, "csv");
    full_run(d, &parquet, "parquet");
    let mut old = recorded_files(&record(&csv));
    let parquet_files = recorded_files(&record(&parquet));
    for name in [
        "groups.csv",
        "correlations.csv",
        "ngrams.csv",
        "similarity.csv",
        "clusters.csv",
        "reuse.csv",
        "themes.csv",
        "essay_word_freq.csv",
        "index.html",
        "charts/top_words.png",
        "charts/top_words.svg",
    ] {
        assert!(old.contains(name), "{name} not written: {old:?}");
    }
    assert!(parquet_files.contains("essay_word_freq.parquet"));
    for name in &parquet_files {
        std::fs::copy(parquet.join(name), csv.join(name)).unwrap();
    }
    old.extend(parquet_files);
    std::fs::remove_file(csv.join("run.json")).unwrap();
    write_user_files(&csv);

    // A run that writes the fewest tables.
    let assert = wenxi()
        .current_dir(d)
        .args([
            "analyze",
            "essays",
            "--no-similarity",
            "--no-reuse",
            "--no-themes",
            "--no-charts",
            "--no-html",
            "--essay-word-freq",
            "none",
            "-o",
        ])
        .arg(&csv)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let wrote = recorded_files(&record(&csv));
    // Every report of the full runs that this one did not write again is gone, and said; but
    // ngrams.csv, which may be the table of `wenxi ngrams` (same name, same default folder).
    let stale: BTreeSet<String> = old
        .difference(&wrote)
        .filter(|f| *f != "ngrams.csv")
        .cloned()
        .collect();
    assert!(stale.contains("themes.parquet") && stale.contains("ngrams.parquet"));
    assert!(stale.contains("charts/top_words.svg"));
    assert_eq!(removed(&stderr, &csv), stale, "{stderr}");
    assert_user_files_intact(&csv);
    let mut expected = wrote;
    expected.insert("ngrams.csv".to_owned());
    expected.insert("run.json".to_owned());
    expected.extend(USER_FILES.iter().map(|(name, _)| (*name).to_owned()));
    assert_eq!(files_under(&csv), expected);
}

#[test]
fn run_json_records_the_options() {
    let dir = class_folder();
    let d = dir.path();
    let out = d.join("out");
    let run = || {
        wenxi()
            .current_dir(d)
            .args([
                "analyze",
                "essays",
                "--top",
                "7",
                "--keywords",
                "tfidf,textrank",
                "--jobs",
                "2",
                "--encoding",
                "utf-8",
                "--format",
                "parquet",
                "--no-reuse",
                "--no-charts",
                "--metadata",
                "students.csv",
                "--group-by",
                "班级",
                "--split-regex",
                "^第.+篇$",
                "--quiet",
                "-o",
            ])
            .arg(&out)
            .assert()
            .success();
        std::fs::read(out.join("run.json")).unwrap()
    };
    let first = run();
    let record: serde_json::Value = serde_json::from_slice(&first).unwrap();
    let options = record["options"].as_object().expect("an options object");
    let expected = serde_json::json!({
        "paths": ["essays"],
        "output": out.to_string_lossy(),
        "format": "parquet",
        "top": 7,
        "keywords": ["tfidf", "textrank"],
        "jobs": 2,
        "encoding": "utf-8",
        "metadata": "students.csv",
        "group_by": "班级",
        "split_regex": "^第.+篇$",
        "no_reuse": true,
        "no_charts": true,
        "quiet": true,
        // Not given: the defaults, or null.
        "no_similarity": false,
        "no_themes": false,
        "no_html": false,
        "no_bom": false,
        "no_builtin_stopwords": false,
        "clusters": null,
        "ngrams": null,
        "themes": null,
        "dpi": 96,
        "lang": "zh",
        "essay_word_freq": "auto",
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(options.get(key), Some(value), "{key}: {options:?}");
    }
    // The tables the options asked for: Parquet, and the page, which is no table.
    let wrote = recorded_files(&record);
    assert!(wrote.contains("groups.parquet") && !wrote.contains("reuse.parquet"));
    assert!(wrote
        .iter()
        .all(|f| f.ends_with(".parquet") || f == "index.html"));
    // Nothing in the record differs between two runs of the same command: no time, no
    // order that depends on hashing.
    assert_eq!(
        String::from_utf8(run()).unwrap(),
        String::from_utf8(first).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_socket_in_a_folder_is_listed_as_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "社区的志愿者每天为居民测量体温。\n").unwrap();
    // Opened for reading, a FIFO with no writer would block the run forever.
    let fifo = std::ffi::CString::new(d.join("pipe").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let _socket = std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
    let out = tempfile::tempdir().unwrap();
    // Not a failure: every file that is input was read.
    let assert = wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .arg(d)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("2 other file(s) in the folders were not read"),
        "{stderr}"
    );
    let files = Csv::read(&out.path().join("files.csv"));
    let records = files.records();
    for name in ["pipe", "sock"] {
        let row = records
            .iter()
            .find(|r| Path::new(r["path"]).file_name().is_some_and(|n| n == name))
            .unwrap_or_else(|| panic!("{name} not in files.csv: {:?}", files.rows));
        assert_eq!(row["status"], "not read", "{name}");
        assert_eq!(row["bytes"], "0", "{name}");
        assert_eq!(
            row["message"], "not a regular file (a FIFO, socket or device): not read",
            "{name}"
        );
    }
    assert_eq!(records.len(), 3, "{:?}", files.rows);
    assert_eq!(Csv::read(&out.path().join("essays.csv")).rows.len(), 1);
}

/// Every file under `dir` with its bytes, in name order.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// A run that cannot put one of its reports in place (a folder is in the way, among the tables,
/// the charts or the page) says so before its work and changes nothing: every file of the
/// previous run is as it was, byte for byte, and no temporary file is left. (A rename that
/// fails during the commit puts the renamed reports back: `report::temporary`'s tests.)
#[test]
fn a_run_that_fails_to_commit_leaves_the_previous_reports_whole() {
    let dir = class_folder();
    for blocked in ["word_freq.csv", "charts/word_cloud.svg", "index.html"] {
        let out = dir.path().join("out");
        let _ = std::fs::remove_dir_all(&out);
        full_run(dir.path(), &out, "csv");
        std::fs::remove_file(out.join(blocked)).unwrap();
        std::fs::create_dir(out.join(blocked)).unwrap();
        let before = contents(&out);
        // Another corpus: the bundled one, whose reports differ in every table.
        let assert = wenxi()
            .current_dir(dir.path())
            .args(["analyze", repo().join("corpus").to_str().unwrap(), "-o"])
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        // Found before the run, not after it.
        assert!(
            stderr.contains("is a folder where a report goes"),
            "{stderr}"
        );
        let after = contents(&out);
        assert!(before == after, "{blocked}: the folder changed");
    }
}

/// A run into a folder another run is writing to (its `.wenxi.lock` held, here by the test)
/// stops before touching anything, and says why; once the folder is free it runs, and leaves
/// no lock file behind. `kwic` waits for the folder instead, and writes once it is free.
#[test]
fn two_runs_into_one_folder_do_not_mix() {
    let out = tempfile::tempdir().unwrap();
    let held = std::fs::File::create(out.path().join(".wenxi.lock")).unwrap();
    held.lock().unwrap();
    let before = contents(out.path());
    let assert = wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-q", "-o"])
        .arg(out.path())
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("another wenxi run is writing"), "{stderr}");
    assert_eq!(contents(out.path()), before);
    let kwic = std::process::Command::new(assert_cmd::cargo::cargo_bin("wenxi"))
        .args(["kwic", "社区", "-q", "-o"])
        .arg(out.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(!out.path().join("kwic.csv").exists());
    drop(held);
    let waited = kwic.wait_with_output().unwrap();
    assert!(waited.status.success());
    assert!(String::from_utf8_lossy(&waited.stderr).contains("waiting for it to end"));
    assert!(out.path().join("kwic.csv").exists());
    wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    assert!(!out.path().join(".wenxi.lock").exists());
}

//! The batch pipeline: output that does not depend on the batch size or the thread count,
//! word lists of shards that sum to the whole, and the warnings of tables too long for Excel.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{wenxi, Csv};

/// The seed's ten essays, each in a file of its own, written three times over with one
/// sentence changed per copy, and the seed's page of all ten (28 KB) once more, in `dir`: 31
/// files, 40 essays.
fn corpus(dir: &Path) {
    let page = std::fs::read_to_string(common::repo().join("corpus/epidemic-community-essays.txt"))
        .unwrap();
    let mut essays: Vec<String> = Vec::new();
    for line in page.lines() {
        if line.contains('篇') && line.chars().count() < 20 {
            essays.push(String::new());
        }
        if let Some(essay) = essays.last_mut() {
            essay.push_str(line);
            essay.push('\n');
        }
    }
    assert_eq!(essays.len(), 10);
    std::fs::write(dir.join("3-page.txt"), &page).unwrap();
    for copy in 0..3 {
        for (i, essay) in essays.iter().enumerate() {
            let text = format!("{essay}第{copy}份抄本的附记：社区第{i}号楼的居民互相帮助。\n");
            std::fs::write(dir.join(format!("{copy}-{i:02}.txt")), text).unwrap();
        }
    }
}

fn run(input: &Path, out: &Path, extra: &[&str]) {
    run_many(&[input], out, extra)
}

fn run_many(inputs: &[&Path], out: &Path, extra: &[&str]) {
    wenxi()
        .arg("analyze")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args([
            "--keywords",
            "tfidf,tfidf-corpus,textrank,keyness,jieba",
            "--no-charts",
        ])
        .args(extra)
        .assert()
        .success();
}

/// Every file of a report folder but the charts, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        // run.json records the command line, which differs from run to run by design.
        .filter(|p| p.is_file() && !p.ends_with("run.json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

// Batches of one file each (3 KB; the page of ten essays then goes in batches of its essays,
// its keys running on from one to the next) and one batch of everything, on one thread and on
// two: every table and the page are byte for byte the same, in CSV and in Parquet.
#[test]
fn batches_and_threads_do_not_change_a_byte() {
    let input = tempfile::tempdir().unwrap();
    corpus(input.path());
    for format in ["csv", "parquet"] {
        let mut outputs = Vec::new();
        for (batch, jobs) in [
            ("3000", "1"),
            ("3000", "2"),
            ("100000000", "2"),
            ("20000", "1"),
        ] {
            let out = tempfile::tempdir().unwrap();
            run(
                input.path(),
                out.path(),
                &[
                    "--format",
                    format,
                    "--batch-bytes",
                    batch,
                    "--jobs",
                    jobs,
                    "--ngrams",
                ],
            );
            outputs.push((batch, jobs, files(out.path())));
        }
        let (_, _, first) = &outputs[0];
        assert!(first.len() >= 12, "{:?}", first.keys());
        if format == "csv" {
            let essays = String::from_utf8_lossy(&first["essays.csv"]).into_owned();
            for i in 1..=10 {
                assert!(essays.contains(&format!("3-page.txt#{i},")), "{i}");
            }
            assert_eq!(essays.lines().count(), 41);
        }
        assert!(first.keys().any(|name| name.starts_with("ngrams.")));
        for (batch, jobs, other) in &outputs[1..] {
            assert_eq!(
                first.keys().collect::<Vec<_>>(),
                other.keys().collect::<Vec<_>>()
            );
            for (name, bytes) in first {
                assert!(
                    &other[name] == bytes,
                    "{name} differs with --batch-bytes {batch} --jobs {jobs} ({format})"
                );
            }
        }
    }
}

/// word → (count, essays) of a word_freq.csv.
fn word_freq(dir: &Path) -> BTreeMap<String, (u64, u64)> {
    let csv = Csv::read(&dir.join("word_freq.csv"));
    let (w, c, e) = (csv.col("word"), csv.col("count"), csv.col("essays"));
    csv.rows
        .iter()
        .map(|r| (r[w].clone(), (r[c].parse().unwrap(), r[e].parse().unwrap())))
        .collect()
}

/// (essay_key, word) → count of an essay_word_freq.csv.
fn essay_words(dir: &Path) -> BTreeMap<(String, String), String> {
    let csv = Csv::read(&dir.join("essay_word_freq.csv"));
    let (k, w, c) = (csv.col("essay_key"), csv.col("word"), csv.col("count"));
    csv.rows
        .iter()
        .map(|r| ((r[k].clone(), r[w].clone()), r[c].clone()))
        .collect()
}

// A corpus cut into two shards analysed apart: their word lists, summed by word, are the word
// list of the whole (counts and essays), and their per-essay rows, keyed by each essay's stable
// key (source path and position in the file), are the whole's rows.
#[test]
fn shards_sum_to_the_whole() {
    let all = tempfile::tempdir().unwrap();
    corpus(all.path());
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for entry in std::fs::read_dir(all.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let shard = if name.starts_with('1') { &b } else { &a };
        std::fs::copy(&path, shard.path().join(&name)).unwrap();
    }
    let core = ["--no-similarity", "--no-reuse", "--no-html"];
    let whole = tempfile::tempdir().unwrap();
    run_many(&[a.path(), b.path()], whole.path(), &core);
    let shards: Vec<_> = [a.path(), b.path()]
        .iter()
        .map(|input| {
            let out = tempfile::tempdir().unwrap();
            run(input, out.path(), &core);
            out
        })
        .collect();
    let mut summed: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for shard in &shards {
        for (word, (count, essays)) in word_freq(shard.path()) {
            let entry = summed.entry(word).or_default();
            entry.0 += count;
            entry.1 += essays;
        }
    }
    let words = word_freq(whole.path());
    assert_eq!(words.len(), summed.len());
    assert_eq!(words, summed);
    assert_eq!(words["社区"].1, 40);

    let mut rows = essay_words(shards[0].path());
    let second = essay_words(shards[1].path());
    let both = rows.len() + second.len();
    rows.extend(second);
    assert_eq!(rows.len(), both, "a key in both shards");
    assert_eq!(rows, essay_words(whole.path()));
    // The key is the path as given and the essay's place in its file.
    let essays = Csv::read(&shards[1].path().join("essays.csv"));
    assert_eq!(essays.rows.len(), 10);
    let first = b.path().join("1-00.txt");
    assert_eq!(
        essays.column("essay_key")[0],
        format!("{}#1", first.display())
    );
}

/// `analyze -q` without reuse, charts or page; returns what it wrote on stderr.
fn quiet_run(input: &Path, out: &Path, extra: &[&str]) -> String {
    let assert = wenxi()
        .arg("analyze")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(["--no-reuse", "--no-charts", "--no-html", "-q"])
        .args(extra)
        .assert()
        .success();
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

// 1,450 one-sentence essays: with --all-pairs, similarity.csv gets 1,050,525 rows, past Excel's
// 1,048,576, and both warnings say so; without it, each essay's nearest ten and no warning.
#[test]
fn tables_too_long_for_excel_are_named() {
    let input = tempfile::tempdir().unwrap();
    let words = [
        "社区",
        "居民",
        "志愿者",
        "医生",
        "口罩",
        "疫苗",
        "学校",
        "老师",
        "隔离",
        "物资",
    ];
    for i in 0..1450usize {
        let text = format!(
            "{}和{}一起守护{}。\n",
            words[i % 10],
            words[(i / 10) % 10],
            words[(i / 100) % 10]
        );
        std::fs::write(input.path().join(format!("{i:04}.txt")), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let stderr = quiet_run(input.path(), out.path(), &["--all-pairs"]);
    assert!(
        stderr.contains(
            "--all-pairs on 1450 essays: similarity.csv gets 1050525 rows, more than Excel opens"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("similarity.csv has 1050525 rows") && stderr.contains("--format parquet"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(out.path().join("similarity.csv")).unwrap();
    assert_eq!(text.lines().count(), 1_050_526);

    let out = tempfile::tempdir().unwrap();
    assert_eq!(quiet_run(input.path(), out.path(), &[]), "");
    let similarity = Csv::read(&out.path().join("similarity.csv"));
    assert_eq!(
        similarity.header,
        ["essay_a", "essay_b", "cosine", "rank", "exact"]
    );
    assert_eq!(similarity.rows.len(), 1450 * 10);
    let clusters = Csv::read(&out.path().join("clusters.csv"));
    assert!(clusters
        .column("method")
        .iter()
        .all(|m| *m == "spherical-k-means"));
}

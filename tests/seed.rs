//! `wenxi analyze` on the bundled seed corpus: figures checked against counts made by another
//! route (python3 on the raw file, and jieba's IDF table read here).

mod common;

use std::collections::HashMap;

use common::{analyze, repo, wenxi, Csv};

const TITLES: [&str; 10] = [
    "篇一", "篇二", "篇三", "篇四", "篇五", "篇六", "篇七", "篇八", "篇九", "篇十",
];

#[test]
fn seed_files_and_essays() {
    let out = analyze("corpus");
    let files = Csv::read(&out.path().join("files.csv"));
    let records = files.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["path"], "corpus/epidemic-community-essays.txt");
    assert_eq!(records[0]["encoding"], "UTF-8");
    assert_eq!(records[0]["bytes"], "29541");
    assert_eq!(records[0]["essays"], "10");
    assert_eq!(records[0]["status"], "ok");
    assert!(
        records[0]["message"].contains("1 preamble line"),
        "{}",
        records[0]["message"]
    );

    // Counted with python3 on the raw file: the lines between title lines, without the blank
    // line, the `一键复制` label and the backtick; characters are non-whitespace, Han U+4E00–9FFF.
    let expected: [(u32, u64, u64); 10] = [
        (12, 1155, 1058),
        (6, 887, 811),
        (6, 1049, 971),
        (6, 877, 795),
        (6, 942, 862),
        (6, 1076, 989),
        (7, 1134, 1038),
        (6, 993, 902),
        (10, 999, 911),
        (4, 840, 737),
    ];
    let essays = Csv::read(&out.path().join("essays.csv"));
    let rows = essays.records();
    assert_eq!(rows.len(), 10);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["essay_id"], (i + 1).to_string());
        assert_eq!(row["title"], format!("疫情社区心得体会{}", TITLES[i]));
        assert_eq!(row["source"], "corpus/epidemic-community-essays.txt");
        let (lines, characters, han) = expected[i];
        assert_eq!(row["lines"], lines.to_string(), "essay {}", i + 1);
        assert_eq!(row["characters"], characters.to_string(), "essay {}", i + 1);
        assert_eq!(row["han_characters"], han.to_string(), "essay {}", i + 1);
        let words: u64 = row["words"].parse().unwrap();
        let tokens: u64 = row["tokens"].parse().unwrap();
        let types: u64 = row["types"].parse().unwrap();
        assert!(
            types < words && words < tokens && tokens < characters,
            "{row:?}"
        );
    }
}

#[test]
fn seed_word_counts() {
    let out = analyze("corpus");
    let freq = Csv::read(&out.path().join("word_freq.csv"));
    let by_word: HashMap<&str, &[String]> = freq
        .rows
        .iter()
        .map(|r| (r[0].as_str(), r.as_slice()))
        .collect();
    let count = |word: &str| {
        by_word
            .get(word)
            .map_or(0, |r| r[freq.col("count")].parse::<u64>().unwrap())
    };
    let essays = |word: &str| {
        by_word
            .get(word)
            .map_or(0, |r| r[freq.col("essays")].parse::<u64>().unwrap())
    };
    // 武汉 occurs 3 times in 篇八 and 6 in 篇九 (python3 str.count); one of them is the start of
    // 作为一名武汉市民, which the dictionary cuts 武汉市/民.
    assert_eq!((count("武汉"), essays("武汉")), (8, 2));
    assert_eq!(count("武汉市"), 1);
    // The backtick in 篇十 (`的`同时`) is cleaned away: 同时 is found there too, as in the other
    // essays: 3+2+3+1+3+0+1+3+0+1 = 17 occurrences in 8 essays.
    assert_eq!((count("同时"), essays("同时")), (17, 8));
    // Neither the web junk nor markup become words.
    for junk in ["`", "一键复制", "一键", "nbsp"] {
        assert_eq!(count(junk), 0, "{junk}");
    }
    // Punctuation and numbers are not words.
    assert_eq!(count("，"), 0);
    assert_eq!(count("2020"), 0);

    // Sorted by count descending, then word.
    let counts: Vec<u64> = freq
        .column("count")
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    // per_10k is count over all words.
    let total: u64 = counts.iter().sum();
    let per_10k: f64 = freq.rows[0][freq.col("per_10k")].parse().unwrap();
    assert!((per_10k - counts[0] as f64 * 10_000.0 / total as f64).abs() < 1e-5);
    // Stopwords stay, flagged.
    assert_eq!(by_word["的"][freq.col("stopword")], "true");
    assert_eq!(by_word["社区"][freq.col("stopword")], "false");

    // The corpus table is the sum of the per-essay table.
    let per_essay = Csv::read(&out.path().join("essay_word_freq.csv"));
    let mut summed: HashMap<(&str, &str), u64> = HashMap::new();
    let (word, pos, count) = (
        per_essay.col("word"),
        per_essay.col("pos"),
        per_essay.col("count"),
    );
    for row in &per_essay.rows {
        *summed
            .entry((row[word].as_str(), row[pos].as_str()))
            .or_default() += row[count].parse::<u64>().unwrap();
    }
    assert_eq!(summed.len(), freq.rows.len());
    for row in &freq.rows {
        assert_eq!(
            summed[&(row[0].as_str(), row[1].as_str())],
            row[2].parse::<u64>().unwrap()
        );
    }
}

#[test]
fn seed_keywords_follow_tfidf_with_jiebas_table() {
    let out = analyze("corpus");
    let idf_text = std::fs::read_to_string(repo().join("src/analysis/data/jieba-idf.txt")).unwrap();
    let idf: HashMap<&str, f64> = idf_text
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(w, v)| (w, v.parse().unwrap()))
        .collect();
    let mut values: Vec<f64> = idf.values().copied().collect();
    values.sort_by(f64::total_cmp);
    let median = values[values.len() / 2];

    let per_essay = Csv::read(&out.path().join("essay_word_freq.csv"));
    let keywords = Csv::read(&out.path().join("keywords.csv"));
    assert_eq!(
        keywords.header,
        ["essay_id", "essay_key", "method", "rank", "word", "score"]
    );
    // The default: keyness, then tfidf, ten of each for each essay, keyness first.
    assert_eq!(keywords.rows.len(), 200);
    let (word, count, stop) = (
        per_essay.col("word"),
        per_essay.col("count"),
        per_essay.col("stopword"),
    );
    let (method, rank_at, keyword, score_at) = (
        keywords.col("method"),
        keywords.col("rank"),
        keywords.col("word"),
        keywords.col("score"),
    );
    for essay in 1..=10 {
        let id = essay.to_string();
        // Candidates by jieba.analyse's rule: two characters or more, not a stopword.
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for row in per_essay
            .rows
            .iter()
            .filter(|r| r[0] == id && r[stop] == "false" && r[word].chars().count() >= 2)
        {
            *counts.entry(row[word].as_str()).or_default() += row[count].parse::<u64>().unwrap();
        }
        let total: u64 = counts.values().sum();
        let mut expected: Vec<(&str, f64)> = counts
            .iter()
            .map(|(w, c)| {
                (
                    *w,
                    *c as f64 / total as f64 * idf.get(w).copied().unwrap_or(median),
                )
            })
            .collect();
        expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let of_essay: Vec<_> = keywords.rows.iter().filter(|r| r[0] == id).collect();
        let order: Vec<&str> = of_essay.iter().map(|r| r[method].as_str()).collect();
        assert_eq!(order, [["keyness"; 10], ["tfidf"; 10]].concat());
        let got = &of_essay[10..];
        for (rank, (row, (word, score))) in got.iter().zip(&expected).enumerate() {
            assert_eq!(row[rank_at], (rank + 1).to_string());
            assert_eq!(row[keyword], *word, "essay {essay} rank {}", rank + 1);
            assert!((row[score_at].parse::<f64>().unwrap() - score).abs() < 1e-6);
        }
    }
    // 武汉 is a keyword of 篇九, the essay about Wuhan.
    assert!(keywords
        .rows
        .iter()
        .any(|r| r[0] == "9" && r[keyword] == "武汉"));
    // Why keyness comes first: tfidf starts 9 of the 10 essays with the same word (社区), while
    // each essay's first keyness word is its own.
    let firsts = |m: &str| -> Vec<&str> {
        keywords
            .rows
            .iter()
            .filter(|r| r[method] == m && r[rank_at] == "1")
            .map(|r| r[keyword].as_str())
            .collect()
    };
    let tfidf = firsts("tfidf");
    assert_eq!(tfidf.iter().filter(|w| **w == "社区").count(), 9);
    let keyness: std::collections::BTreeSet<&str> = firsts("keyness").into_iter().collect();
    assert_eq!(keyness.len(), 10, "{keyness:?}");
    // Each row carries the essay's stable key: the file and the essay's place in it.
    assert!(keywords.rows.iter().all(|r| r[keywords.col("essay_key")]
        == format!("corpus/epidemic-community-essays.txt#{}", r[0])));
}

#[test]
fn reports_start_with_a_bom_unless_asked_not_to() {
    let out = analyze("corpus");
    for name in [
        "files",
        "essays",
        "word_freq",
        "essay_word_freq",
        "keywords",
        "structure",
        "markers",
        "similarity",
        "clusters",
        "reuse",
        "themes",
    ] {
        let bytes = std::fs::read(out.path().join(format!("{name}.csv"))).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name}");
    }
    let plain = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "corpus", "--no-bom", "-o"])
        .arg(plain.path())
        .assert()
        .success();
    let bytes = std::fs::read(plain.path().join("essays.csv")).unwrap();
    assert!(bytes.starts_with(b"essay_id,"));
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let runs: Vec<tempfile::TempDir> = ["1", "2", "8"]
        .iter()
        .map(|jobs| {
            let out = tempfile::tempdir().unwrap();
            wenxi()
                .args(["analyze", "corpus", "--jobs", jobs, "-o"])
                .arg(out.path())
                .assert()
                .success();
            out
        })
        .collect();
    // Every file, the charts and the page included (`--jobs 1` draws the charts and appends
    // essay_word_freq on the main thread, the others on threads of their own), but run.json,
    // which records the options.
    let mut names = Vec::new();
    for dir in ["", "charts"] {
        for entry in std::fs::read_dir(runs[0].path().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && !path.ends_with("run.json") {
                names.push(path.strip_prefix(runs[0].path()).unwrap().to_owned());
            }
        }
    }
    names.sort();
    assert!(names.len() >= 30, "{names:?}");
    for name in ["essay_word_freq.csv", "index.html", "charts/word_cloud.png"] {
        assert!(
            names.iter().any(|n| n.ends_with(name)),
            "{name} not written"
        );
    }
    for name in &names {
        let first = std::fs::read(runs[0].path().join(name)).unwrap();
        for run in &runs[1..] {
            assert!(
                first == std::fs::read(run.path().join(name)).unwrap(),
                "{} differs",
                name.display()
            );
        }
    }
}

#[test]
fn with_no_argument_it_reads_corpus_and_writes_reports() {
    let cwd = tempfile::tempdir().unwrap();
    std::fs::create_dir(cwd.path().join("corpus")).unwrap();
    std::fs::copy(
        repo().join("corpus/epidemic-community-essays.txt"),
        cwd.path().join("corpus/seed.txt"),
    )
    .unwrap();
    let assert = wenxi()
        .current_dir(cwd.path())
        .arg("analyze")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("analysed 10 essays from 1 file"),
        "{stdout}"
    );
    assert!(stdout.contains("reports in reports"), "{stdout}");
    assert_eq!(
        Csv::read(&cwd.path().join("reports/essays.csv")).rows.len(),
        10
    );

    // Without ./corpus, the copy built into the binary is analysed.
    let empty = tempfile::tempdir().unwrap();
    wenxi()
        .current_dir(empty.path())
        .arg("analyze")
        .assert()
        .success();
    let files = Csv::read(&empty.path().join("reports/files.csv"));
    assert_eq!(
        files.column("path"),
        ["<embedded>/epidemic-community-essays.txt"]
    );
    assert_eq!(files.column("essays"), ["10"]);
}

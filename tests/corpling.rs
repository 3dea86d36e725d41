//! The corpus-linguistics core from the command line: `kwic`, `ngrams`, `collocates`, and the
//! dispersion columns of `word_freq.csv`, each checked by a route other than its own code.

use std::collections::{BTreeMap, HashMap};

mod common;

use common::{wenxi, Csv};

/// `wenxi analyze` of the bundled corpus (./corpus) into a fresh folder.
fn analyze_bundled() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .assert()
        .success();
    out
}

/// Runs a subcommand with `-o` a fresh folder; returns the folder and the stdout.
fn run(args: &[&str]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args(args)
        .arg("-q")
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    (out, stdout)
}

fn counts(freq: &Csv) -> HashMap<String, u64> {
    freq.records()
        .iter()
        .map(|r| (r["word"].to_owned(), r["count"].parse().unwrap()))
        .collect()
}

#[test]
fn kwic_hits_equal_word_counts() {
    let analysed = analyze_bundled();
    let freq = counts(&Csv::read(&analysed.path().join("word_freq.csv")));
    for word in ["社区", "疫情", "我们", "志愿者"] {
        let (out, stdout) = run(&["kwic", word]);
        let kwic = Csv::read(&out.path().join("kwic.csv"));
        assert_eq!(kwic.rows.len() as u64, freq[word], "{word}");
        assert!(kwic.column("node").iter().all(|n| *n == word));
        assert!(
            stdout.starts_with(&format!("{word}: {} hits in ", freq[word])),
            "{stdout}"
        );
    }
    // A glob: its hits are the counts of the words it matches, read from word_freq.csv.
    let (out, _) = run(&["kwic", "防*"]);
    let kwic = Csv::read(&out.path().join("kwic.csv"));
    let expected: u64 = freq
        .iter()
        .filter(|(w, _)| w.starts_with('防'))
        .map(|(_, c)| c)
        .sum();
    assert!(expected > 0);
    assert_eq!(kwic.rows.len() as u64, expected);
    assert!(kwic.column("node").iter().all(|n| n.starts_with('防')));
    // The same as a regex.
    let (out, _) = run(&["kwic", "/^防/"]);
    assert_eq!(
        Csv::read(&out.path().join("kwic.csv")).rows.len() as u64,
        expected
    );
    // With --pos v, the counts of the words it matches that word_freq.csv tags v.
    let freq_csv = Csv::read(&analysed.path().join("word_freq.csv"));
    let verbs: u64 = freq_csv
        .records()
        .iter()
        .filter(|r| r["word"].starts_with('防') && r["pos"] == "v")
        .map(|r| r["count"].parse::<u64>().unwrap())
        .sum();
    assert!(verbs > 0 && verbs < expected);
    let (out, _) = run(&["kwic", "防*", "--pos", "v"]);
    assert_eq!(
        Csv::read(&out.path().join("kwic.csv")).rows.len() as u64,
        verbs
    );
    // `?` and `//` match words only: the one-character words of word_freq.csv, and all of them.
    let one_char: u64 = freq
        .iter()
        .filter(|(w, _)| w.chars().count() == 1)
        .map(|(_, c)| c)
        .sum();
    let all: u64 = freq.values().sum();
    for (query, expected) in [("?", one_char), ("//", all)] {
        let (out, _) = run(&["kwic", query]);
        let kwic = Csv::read(&out.path().join("kwic.csv"));
        assert_eq!(kwic.rows.len() as u64, expected, "{query}");
        assert!(kwic.column("node").iter().all(|n| freq.contains_key(*n)));
    }
    // Nor does a glob in a sequence stand for a clause's end: `? 社区` is a word, then 社区.
    let (out, _) = run(&["kwic", "? 社区"]);
    let kwic = Csv::read(&out.path().join("kwic.csv"));
    assert!(!kwic.rows.is_empty());
    for node in kwic.column("node") {
        let first = node.strip_suffix("社区").expect("ends with 社区");
        assert!(
            freq.contains_key(first) && first.chars().count() == 1,
            "{node}"
        );
    }
}

/// A query or node that is text jieba cuts otherwise finds nothing as a token: the note says
/// what finds it; a sequence is not a collocates node, and an empty one is no node.
#[test]
fn queries_that_find_nothing_say_what_to_try() {
    // The stderr of a run that succeeds, its table in a fresh folder.
    let stderr_of = |args: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let assert = wenxi()
            .args(args)
            .arg("-o")
            .arg(out.path())
            .assert()
            .success();
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    };
    for args in [vec!["kwic", "社区居民"], vec!["collocates", "社区居民"]] {
        let stderr = stderr_of(&args);
        assert!(
            stderr.contains("no token is \"社区居民\""),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("--chars"), "{args:?}: {stderr}");
    }
    // ngrams --around a word jieba cuts: the note names the pieces, which kwic finds as a
    // sequence of two tokens.
    let stderr = stderr_of(&["ngrams", "--around", "社区居民"]);
    assert!(
        stderr.contains("jieba cuts 社区居民 into 社区 + 居民"),
        "{stderr}"
    );
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["kwic", "社区 居民", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    assert!(!Csv::read(&out.path().join("kwic.csv")).rows.is_empty());
    // A pattern given to --around is refused, pointing at kwic.
    wenxi()
        .args(["ngrams", "--around", "社*", "-o"])
        .arg(tempfile::tempdir().unwrap().path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`wenxi kwic 社*`"));
    // A glob or regex that finds nothing: it matches words only (2020 is a token, not a word).
    for (args, note) in [
        (vec!["kwic", "/^[0-9]+$/"], "matches words only"),
        (vec!["collocates", "2020"], "2020 is not a word"),
    ] {
        let stderr = stderr_of(&args);
        assert!(stderr.contains(note), "{args:?}: {stderr}");
    }
    let (out, _) = run(&["kwic", "2020"]);
    assert!(!Csv::read(&out.path().join("kwic.csv")).rows.is_empty());
    // --pos that leaves no hit is not a word missing: no note.
    assert!(!stderr_of(&["kwic", "社区", "--pos", "v"]).contains("note"));
    // The note's advice holds: --chars finds it.
    let (out, _) = run(&["kwic", "社区居民", "--chars"]);
    assert!(!Csv::read(&out.path().join("kwic.csv")).rows.is_empty());
    for (args, message) in [
        (vec!["collocates", "社区 居民"], "is a sequence"),
        (vec!["collocates", " "], "the node is empty"),
        (vec!["collocates", "/社区 居民/"], "a regex with a space"),
        (vec!["kwic", "/社区 居民/"], "a regex with a space"),
        (vec!["collocates", "/社区/ /居民/"], "is a sequence"),
        (vec!["ngrams", "--around", " "], "--around is empty"),
        (vec!["ngrams", "--around", "社区 居民"], "holds a space"),
        (vec!["ngrams", "--around", "社区", "-n", "1"], "try -n 2..3"),
        (
            vec!["ngrams", "--chars", "--around", "社区", "-n", "2"],
            "try -n 3..4",
        ),
        (
            vec!["kwic", "社区", "--width", "3", "--char-width", "5"],
            "cannot be used with",
        ),
    ] {
        let assert = wenxi().args(&args).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// Clusters hold the word and more: with --chars the n-gram that is the word alone is left
/// out, and the rows are those of the plain table that hold the word.
#[test]
fn clusters_hold_the_word_and_more() {
    let (all, _) = run(&["ngrams", "--chars", "--min-freq", "1"]);
    let (around, stdout) = run(&["ngrams", "--chars", "--min-freq", "1", "--around", "社区"]);
    assert!(stdout.contains("holding 社区 (n = 2..3)"), "{stdout}");
    let all = Csv::read(&all.path().join("ngrams.csv"));
    let around = Csv::read(&around.path().join("ngrams.csv"));
    let expected: Vec<&str> = all
        .column("ngram")
        .into_iter()
        .filter(|g| g.contains("社区") && *g != "社区")
        .collect();
    assert!(expected.len() > 10);
    assert_eq!(around.column("ngram"), expected);
}

#[test]
fn kwic_rows_place_each_hit_in_its_essay() {
    let analysed = analyze_bundled();
    let essays = Csv::read(&analysed.path().join("essays.csv"));
    let titles: HashMap<&str, &str> = essays
        .column("essay_id")
        .into_iter()
        .zip(essays.column("title"))
        .collect();
    let (out, _) = run(&["kwic", "社区 居民", "--width", "3"]);
    let kwic = Csv::read(&out.path().join("kwic.csv"));
    assert!(!kwic.rows.is_empty());
    for r in kwic.records() {
        assert_eq!(r["node"], "社区居民");
        assert_eq!(titles[r["essay_id"]], r["title"]);
        assert!(r["essay_key"].contains('#'));
        assert!(r["paragraph"].parse::<u32>().unwrap() >= 1);
        assert!(r["sentence"].parse::<u32>().unwrap() >= 1);
    }
    // Rows are in corpus order by default, and the same whatever the thread count.
    let ids: Vec<u32> = kwic
        .column("essay_id")
        .iter()
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]));
    let (one, _) = run(&["kwic", "社区 居民", "--width", "3", "--jobs", "1"]);
    assert_eq!(
        std::fs::read(one.path().join("kwic.csv")).unwrap(),
        std::fs::read(out.path().join("kwic.csv")).unwrap()
    );
}

#[test]
fn kwic_sample_and_max_say_what_they_kept() {
    let (all, _) = run(&["kwic", "社区"]);
    let total = Csv::read(&all.path().join("kwic.csv")).rows.len();
    let (sampled, stdout) = run(&["kwic", "社区", "--sample", "25", "--sort", "R1,node"]);
    let sample = Csv::read(&sampled.path().join("kwic.csv"));
    assert_eq!(sample.rows.len(), 25);
    assert!(stdout.contains("a random sample of 25"), "{stdout}");
    assert!(stdout.contains(&format!("{total} hits")), "{stdout}");
    let (again, _) = run(&["kwic", "社区", "--sample", "25", "--sort", "R1,node"]);
    assert_eq!(
        std::fs::read(again.path().join("kwic.csv")).unwrap(),
        std::fs::read(sampled.path().join("kwic.csv")).unwrap()
    );
    let (capped, stdout) = run(&["kwic", "社区", "--max", "7"]);
    assert_eq!(Csv::read(&capped.path().join("kwic.csv")).rows.len(), 7);
    assert!(stdout.contains("the first 7 after sorting"), "{stdout}");
}

/// Essays with strings jieba cuts apart.
fn string_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        "我去过印度尼西亚。印度尼西亚的朋友很热情，哈哈哈哈。\n大家一起抗疫。",
        "印度尼西亚，印度，尼西亚。",
        "这里没有那个国家，只有抗疫故事。",
    ];
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.txt")), text).unwrap();
    }
    dir
}

#[test]
fn kwic_chars_equals_a_substring_count() {
    let dir = string_corpus();
    let raw: Vec<String> = (0..3)
        .map(|i| std::fs::read_to_string(dir.path().join(format!("{i}.txt"))).unwrap())
        .collect();
    let input = dir.path().to_str().unwrap();
    for query in ["印度尼西亚", "哈哈", "抗疫", "度尼"] {
        let expected: usize = raw.iter().map(|t| t.matches(query).count()).sum();
        let (out, _) = run(&["kwic", query, input, "--chars"]);
        let kwic = Csv::read(&out.path().join("kwic.csv"));
        assert_eq!(kwic.rows.len(), expected, "{query}");
    }
    // Context in characters, and the hit's offset in characters from the essay's start.
    let (out, _) = run(&["kwic", "印度尼西亚", input, "--chars", "--char-width", "2"]);
    let rows = Csv::read(&out.path().join("kwic.csv"));
    let records = rows.records();
    let r = &records[0];
    assert_eq!(
        (r["left"], r["node"], r["right"]),
        ("去过", "印度尼西亚", "。印")
    );
    assert_eq!(r["offset"], "3");
}

#[test]
fn character_ngrams_equal_substring_counts() {
    let dir = string_corpus();
    let raw: String = (0..3)
        .map(|i| std::fs::read_to_string(dir.path().join(format!("{i}.txt"))).unwrap())
        .collect();
    let (out, _) = run(&[
        "ngrams",
        dir.path().to_str().unwrap(),
        "--chars",
        "-n",
        "2",
        "--min-freq",
        "1",
    ]);
    let grams = Csv::read(&out.path().join("ngrams.csv"));
    let found: HashMap<&str, &str> = grams
        .column("ngram")
        .into_iter()
        .zip(grams.column("count"))
        .collect();
    // 抗疫 and 印度 cannot overlap themselves: every occurrence is one 2-gram.
    for gram in ["抗疫", "印度", "尼西"] {
        assert_eq!(found[gram], raw.matches(gram).count().to_string(), "{gram}");
    }
    // 哈哈哈哈 holds three overlapping 哈哈; none crosses punctuation (亚。印 is not a 2-gram).
    assert_eq!(found["哈哈"], "3");
    assert!(!found.contains_key("亚印"));
}

#[test]
fn unigrams_are_the_word_list() {
    let analysed = analyze_bundled();
    let freq = Csv::read(&analysed.path().join("word_freq.csv"));
    let (out, _) = run(&["ngrams", "-n", "1", "--min-freq", "1", "--keep-stopwords"]);
    let grams = Csv::read(&out.path().join("ngrams.csv"));
    let by_word = |csv: &Csv, key: &str| -> BTreeMap<String, Vec<String>> {
        csv.records()
            .iter()
            .map(|r| {
                (
                    r[key].to_owned(),
                    ["count", "essays", "juilland_d", "dp", "dp_norm"]
                        .iter()
                        .map(|c| r[c].to_owned())
                        .collect(),
                )
            })
            .collect()
    };
    // Counted twice, by two paths through the code: the builder's word ids and the n-gram
    // shards agree on every count, range and dispersion figure.
    assert_eq!(by_word(&grams, "ngram"), by_word(&freq, "word"));
    // So do the counts written to disk and merged back (a budget of 0 MB writes them out
    // after every batch).
    let (spilled, _) = run(&[
        "ngrams",
        "-n",
        "1",
        "--min-freq",
        "1",
        "--keep-stopwords",
        "--count-memory",
        "0",
    ]);
    let spilled = Csv::read(&spilled.path().join("ngrams.csv"));
    assert_eq!(by_word(&spilled, "ngram"), by_word(&freq, "word"));
}

/// `analyze --ngrams` counts from the tokens it segments anyway; `wenxi ngrams` segments again
/// on its own: the two tables are the same bytes.
#[test]
fn analyze_ngrams_equal_the_subcommand() {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "--ngrams", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let (alone, _) = run(&["ngrams"]);
    let analysed = std::fs::read(out.path().join("ngrams.csv")).unwrap();
    assert!(Csv::read(&out.path().join("ngrams.csv")).rows.len() > 100);
    assert_eq!(
        analysed,
        std::fs::read(alone.path().join("ngrams.csv")).unwrap()
    );
    // Counts kept in memory or merged back from disk, on one thread or two: the same bytes.
    for jobs in ["1", "2"] {
        let (spilled, _) = run(&["ngrams", "--count-memory", "0", "--jobs", jobs]);
        assert_eq!(
            analysed,
            std::fs::read(spilled.path().join("ngrams.csv")).unwrap()
        );
    }
}

#[test]
fn word_ngrams_leave_out_stopword_only_ones() {
    let (out, stdout) = run(&["ngrams", "-n", "2..3", "--min-range", "3"]);
    let grams = Csv::read(&out.path().join("ngrams.csv"));
    assert!(!grams.rows.is_empty(), "{stdout}");
    let stop = ["的", "了", "是", "在", "和"];
    for r in grams.records() {
        let words: Vec<&str> = r["ngram"].split(' ').collect();
        assert_eq!(words.len().to_string(), r["n"]);
        assert!(r["essays"].parse::<u32>().unwrap() >= 3);
        assert!(!words.iter().all(|w| stop.contains(w)), "{}", r["ngram"]);
    }
    let (around, _) = run(&["ngrams", "-n", "3", "--around", "社区"]);
    let around = Csv::read(&around.path().join("ngrams.csv"));
    assert!(!around.rows.is_empty());
    assert!(around
        .column("ngram")
        .iter()
        .all(|g| g.split(' ').any(|w| w == "社区")));
    // Where the node stands: the rows of --around, split by its first and last word.
    let anywhere: Vec<String> = around
        .column("ngram")
        .iter()
        .map(|g| g.to_string())
        .collect();
    for (at, place) in [("start", 0usize), ("end", 2)] {
        let (out, _) = run(&["ngrams", "-n", "3", "--around", "社区", "--node-at", at]);
        let mut got: Vec<String> = Csv::read(&out.path().join("ngrams.csv"))
            .column("ngram")
            .iter()
            .map(|g| g.to_string())
            .collect();
        let mut expected: Vec<String> = anywhere
            .iter()
            .filter(|g| g.split(' ').nth(place) == Some("社区"))
            .cloned()
            .collect();
        assert!(!expected.is_empty(), "{at}");
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{at}");
    }
}

/// The built-in stopword list, read from its file here (one or more words a line, # comments).
fn builtin_stopwords() -> std::collections::HashSet<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/analysis/stopwords.txt"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.split_whitespace().map(str::to_owned))
        .collect()
}

/// `--stopwords` and `--no-builtin-stopwords` as in `analyze`: checked against the rows of a
/// run without them, filtered here by the lists read from their files.
#[test]
fn ngrams_and_collocates_take_the_stopword_options() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("stop.txt");
    std::fs::write(&list, "# our own\n社区 居民\n").unwrap();
    let builtin = builtin_stopwords();
    let mut ours = builtin.clone();
    ours.extend(["社区".to_owned(), "居民".to_owned()]);
    let rows = |out: &tempfile::TempDir, table: &str, column: &str| -> Vec<String> {
        Csv::read(&out.path().join(table))
            .column(column)
            .iter()
            .map(|s| s.to_string())
            .collect()
    };

    let (plain, _) = run(&["ngrams", "--keep-stopwords"]);
    let (listed, _) = run(&["ngrams", "--stopwords", list.to_str().unwrap()]);
    let expected: Vec<String> = rows(&plain, "ngrams.csv", "ngram")
        .into_iter()
        .filter(|g| !g.split(' ').all(|w| ours.contains(w)))
        .collect();
    let listed = rows(&listed, "ngrams.csv", "ngram");
    assert!(expected.iter().any(|g| g.contains("社区")));
    assert!(!listed.contains(&"社区 居民".to_owned()));
    let (mut a, mut b) = (expected, listed);
    a.sort();
    b.sort();
    assert_eq!(a, b);

    let (all, _) = run(&["collocates", "社区", "--no-builtin-stopwords"]);
    let (default, _) = run(&["collocates", "社区"]);
    let all = rows(&all, "collocates.csv", "collocate");
    let mut expected: Vec<String> = all
        .iter()
        .filter(|w| !builtin.contains(*w))
        .cloned()
        .collect();
    let mut default = rows(&default, "collocates.csv", "collocate");
    assert!(all.contains(&"的".to_owned()), "{all:?}");
    expected.sort();
    default.sort();
    assert_eq!(expected, default);

    let missing = tempfile::tempdir().unwrap();
    wenxi()
        .args(["collocates", "社区", "--stopwords"])
        .arg(missing.path().join("none.txt"))
        .arg("-o")
        .arg(missing.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read stopword file"));
}

/// DP worked from essay_word_freq.csv and essays.csv, apart from the code that writes it.
#[test]
fn dispersion_matches_a_computation_from_the_per_essay_table() {
    let analysed = analyze_bundled();
    let dir = analysed.path();
    let essays = Csv::read(&dir.join("essays.csv"));
    let sizes: BTreeMap<String, f64> = essays
        .records()
        .iter()
        .map(|r| (r["essay_id"].to_owned(), r["words"].parse().unwrap()))
        .collect();
    let total: f64 = sizes.values().sum();
    let per_essay = Csv::read(&dir.join("essay_word_freq.csv"));
    let freq = Csv::read(&dir.join("word_freq.csv"));
    for word in ["社区", "疫情", "武汉", "志愿者"] {
        let mut sub: BTreeMap<&str, f64> = BTreeMap::new();
        for r in per_essay.records() {
            if r["word"] == word {
                sub.insert(r["essay_id"], r["count"].parse().unwrap());
            }
        }
        let f: f64 = sub.values().sum();
        let dp: f64 = sizes
            .iter()
            .map(|(id, size)| {
                (sub.get(id.as_str()).copied().unwrap_or(0.0) / f - size / total).abs()
            })
            .sum::<f64>()
            / 2.0;
        let k = sizes.len() as f64;
        let r: Vec<f64> = sizes
            .iter()
            .map(|(id, size)| sub.get(id.as_str()).copied().unwrap_or(0.0) / size)
            .collect();
        let mean = r.iter().sum::<f64>() / k;
        let sd = (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / k).sqrt();
        let d = 1.0 - sd / (mean * (k - 1.0).sqrt());
        let row = freq
            .records()
            .into_iter()
            .find(|r| r["word"] == word)
            .unwrap()
            .clone();
        let got = |c: &str| row[c].parse::<f64>().unwrap();
        assert!(
            (got("dp") - dp).abs() < 1e-5,
            "{word}: {} vs {dp}",
            got("dp")
        );
        assert!(
            (got("juilland_d") - d).abs() < 1e-5,
            "{word}: {} vs {d}",
            got("juilland_d")
        );
        let smallest = sizes.values().cloned().fold(f64::MAX, f64::min) / total;
        assert!((got("dp_norm") - dp / (1.0 - smallest)).abs() < 1e-5);
    }
}

/// ARF from the command line on two essays whose word positions are known by construction
/// (every word between punctuation, so jieba cannot join or split it), worked by hand.
#[test]
fn arf_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    // The corpus as one sequence of nine words:
    //   0 社区 1 疫情 2 社区 3 居民 | 4 社区 5 居民 6 居民 7 疫情 8 社区
    std::fs::write(dir.path().join("a.txt"), "社区，疫情，社区，居民。\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "社区，居民，居民，疫情，社区。\n").unwrap();
    let (out, _) = run(&[
        "analyze",
        dir.path().to_str().unwrap(),
        "--no-charts",
        "--no-html",
        "--no-similarity",
    ]);
    let freq = Csv::read(&out.path().join("word_freq.csv"));
    let arf = |word: &str| -> f64 {
        let row = freq
            .records()
            .into_iter()
            .find(|r| r["word"] == word)
            .unwrap()
            .clone();
        row["arf"].parse().unwrap()
    };
    // 社区 at 0, 2, 4, 8: v = 9/4; distances 1 (from 8 round to 0), 2, 2, 4, each at most v:
    // 1 + 2 + 2 + 2.25 = 7.25, ARF = 7.25 / 2.25.
    assert!((arf("社区") - 7.25 / 2.25).abs() < 1e-6);
    // 疫情 at 1, 7: v = 4.5; distances 3, 6 → 3 + 4.5 = 7.5, ARF = 7.5 / 4.5.
    assert!((arf("疫情") - 7.5 / 4.5).abs() < 1e-6);
    // 居民 at 3, 5, 6: v = 3; distances 6, 2, 1 → 3 + 2 + 1 = 6, ARF = 2.
    assert!((arf("居民") - 2.0).abs() < 1e-6);
}

/// Without a folder for temporary files, ARF cannot be computed: the run still writes every
/// table, says why `arf` is empty and what to do, and the other columns are those of a run
/// that had one.
#[test]
fn no_temporary_folder_leaves_arf_empty_and_the_rest_whole() {
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .env("TMPDIR", "/nonexistent/wenxi-tmp")
        .args(["analyze", "--no-charts", "--no-html", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("arf column is empty") && stderr.contains("TMPDIR"),
        "{stderr}"
    );
    let without = Csv::read(&out.path().join("word_freq.csv"));
    let with = Csv::read(&analyze_bundled().path().join("word_freq.csv"));
    assert_eq!(without.rows.len(), with.rows.len());
    for (a, b) in without.records().iter().zip(with.records()) {
        assert_eq!(a["arf"], "");
        assert!(!b["arf"].is_empty());
        for column in ["word", "count", "essays", "dp"] {
            assert_eq!(a[column], b[column]);
        }
    }
}

/// A corpus whose counts are known by construction: every word stands between punctuation, so
/// jieba cannot join or split it.
fn collocation_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = "社区，医生，居民。".repeat(10) + &"口罩，居民。".repeat(20);
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    dir
}

#[test]
fn collocate_statistics_worked_by_hand() {
    let dir = collocation_corpus();
    let (out, stdout) = run(&["collocates", "社区", dir.path().to_str().unwrap()]);
    let csv = Csv::read(&out.path().join("collocates.csv"));
    let rows: HashMap<String, HashMap<&str, &str>> = csv
        .records()
        .into_iter()
        .map(|r| (r["collocate"].to_owned(), r))
        .collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    // N = 30 + 40 = 70 words; 社区 10 times; each window (inside its sentence) reads 医生 and
    // 居民 to the right: S = 20 slots. 医生: O = 10, f = 10; 居民: O = 10, f = 30.
    let n = 70.0f64;
    let s = 20.0f64;
    for (word, f) in [("医生", 10.0f64), ("居民", 30.0f64)] {
        let r = &rows[word];
        let num = |c: &str| r[c].parse::<f64>().unwrap();
        let o = 10.0f64;
        let e = f * s / n;
        assert_eq!((r["observed"], r["left"], r["right"]), ("10", "0", "10"));
        assert_eq!((r["node_freq"], r["window_slots"]), ("10", "20"));
        assert_eq!(r["collocate_freq"], (f as u64).to_string());
        let close =
            |c: &str, v: f64| assert!((num(c) - v).abs() < 1e-5, "{word} {c}: {} vs {v}", num(c));
        close("expected", e);
        close("mi", (o / e).log2());
        close("mi3", (o.powi(3) / e).log2());
        close("t_score", (o - e) / o.sqrt());
        close("dice", 2.0 * o / (10.0 + f));
        close("log_dice", 14.0 + (2.0 * o / (10.0 + f)).log2());
        // The 4-cell table: O11 = O, O12 = S − O, O21 = f − O, O22 = N − S − f + O.
        let cells = [o, s - o, f - o, n - s - f + o];
        let rows_ = [s, s, n - s, n - s];
        let cols = [f, n - f, f, n - f];
        let g2: f64 = 2.0
            * (0..4)
                .filter(|&i| cells[i] > 0.0)
                .map(|i| cells[i] * (cells[i] / (rows_[i] * cols[i] / n)).ln())
                .sum::<f64>();
        close("g2", g2);
        close("delta_p_collocate_given_node", o / s - (f - o) / (n - s));
        close("delta_p_node_given_collocate", o / f - (s - o) / (n - f));
    }
    // logDice ranks 医生 (all its uses are near 社区) first.
    assert_eq!(csv.column("collocate")[0], "医生");
    // With --cross-sentences the window reaches into the next sentence too.
    let (out, _) = run(&[
        "collocates",
        "社区",
        dir.path().to_str().unwrap(),
        "--cross-sentences",
    ]);
    let crossed = Csv::read(&out.path().join("collocates.csv"));
    let slots: u64 = crossed.column("window_slots")[0].parse().unwrap();
    assert!(slots > 20, "{slots}");
}

#[test]
fn keyness_leaves_out_rare_words_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    for (folder, text) in [
        ("target", "医生。".repeat(30) + "口罩。"),
        ("reference", "医生。".repeat(30) + &"社区。".repeat(30)),
    ] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("a.txt"), text).unwrap();
    }
    let keyness = |extra: &[&str]| {
        let mut args = vec![
            "keyness".to_owned(),
            dir.path().join("target").display().to_string(),
            "--reference".to_owned(),
            dir.path().join("reference").display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let out = tempfile::tempdir().unwrap();
        wenxi()
            .args(&args)
            .arg("-o")
            .arg(out.path())
            .assert()
            .success();
        Csv::read(&out.path().join("keyness.csv"))
    };
    let words =
        |csv: &Csv| -> Vec<String> { csv.column("word").iter().map(|w| w.to_string()).collect() };
    // 口罩 once against never is left out by the default --min-freq 5.
    let default = keyness(&[]);
    assert!(!words(&default).contains(&"口罩".to_owned()));
    assert!(words(&default).contains(&"医生".to_owned()));
    let all = keyness(&["--min-freq", "1", "--max-p", "1"]);
    let rows = all.records();
    let row = rows.iter().find(|r| r["word"] == "口罩").unwrap();
    // Its log ratio's interval spans 0: log2((1/31)/(0.5/60)) ± 1.96·√(1 + 2)/ln 2.
    let lr = (1.0f64 / 31.0 / (0.5 / 60.0)).log2();
    let half = 1.959964 * 3f64.sqrt() / 2f64.ln();
    let num = |c: &str| row[c].parse::<f64>().unwrap();
    assert!((num("log_ratio") - lr).abs() < 1e-5);
    assert!((num("log_ratio_low") - (lr - half)).abs() < 1e-4);
    assert!((num("log_ratio_high") - (lr + half)).abs() < 1e-4);
    assert!(num("log_ratio_low") < 0.0);
}

#[test]
fn bad_queries_are_clear_errors() {
    for (args, message) in [
        (vec!["kwic", "/(/"], "bad regex"),
        (vec!["kwic", "社区", "--sort", "L9"], "bad sort key"),
        (vec!["ngrams", "-n", "2..9"], "lengths go from 1 to 5"),
        (
            vec!["collocates", "社区", "--left", "0", "--right", "0"],
            "window is empty",
        ),
    ] {
        let assert = wenxi().args(&args).assert().failure();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// `wenxi … | head -1`: the reader goes away, and every subcommand ends quietly with status 0.
#[test]
fn a_closed_pipe_ends_every_subcommand_quietly() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let runs: [&[&str]; 7] = [
        &["analyze", "--no-charts", "--no-html", "-o", o],
        &["structure"],
        &["compare", "2", "6", "-o", o],
        &["keyness", "corpus", "--reference", "corpus", "-o", o],
        &["kwic", "社区", "-o", o],
        &["ngrams", "-o", o],
        &["collocates", "社区", "-o", o],
    ];
    for args in runs {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wenxi"))
            .args(args)
            .current_dir(common::repo())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the first line is written.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{args:?}: {:?} {stderr}",
            output.status
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// `kwic --chars --sort R1,R2,L1`: the rows come in the order of the first two characters right
/// of the node, then the character left of it (none first), then essay and place, read here from
/// the context columns of kwic.csv.
#[test]
fn kwic_rows_follow_their_sort_keys() {
    let (out, _) = run(&["kwic", "社区", "--chars", "--sort", "R1,R2,L1"]);
    let kwic = Csv::read(&out.path().join("kwic.csv"));
    let keys: Vec<(Option<char>, Option<char>, Option<char>, u32, u32)> = kwic
        .records()
        .iter()
        .map(|r| {
            let right: Vec<char> = r["right"].chars().filter(|c| !c.is_whitespace()).collect();
            let left = r["left"].chars().rev().find(|c| !c.is_whitespace());
            (
                right.first().copied(),
                right.get(1).copied(),
                left,
                r["essay_id"].parse().unwrap(),
                r["offset"].parse().unwrap(),
            )
        })
        .collect();
    assert!(keys.len() > 100);
    let distinct_r1: std::collections::BTreeSet<_> = keys.iter().map(|k| k.0).collect();
    assert!(distinct_r1.len() > 10);
    // Characters compare as their UTF-8 bytes do, which is code point order.
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
}

/// collocates, keyness and compare write the same bytes and print the same lines on 1, 2 and 8
/// threads.
#[test]
fn collocates_keyness_and_compare_do_not_depend_on_threads() {
    let essays = "tests/fixtures/jieba/essays";
    let commands: Vec<Vec<String>> = vec![
        vec![
            "collocates".into(),
            "社区".into(),
            "--min-freq".into(),
            "1".into(),
        ],
        vec![
            "keyness".into(),
            format!("{essays}/09.txt"),
            "--reference".into(),
            format!("{essays}/01.txt"),
            format!("{essays}/02.txt"),
            format!("{essays}/03.txt"),
        ],
        vec!["compare".into(), "2".into(), "6".into()],
    ];
    for command in commands {
        let mut first: Option<(BTreeMap<String, Vec<u8>>, String)> = None;
        for jobs in ["1", "2", "8"] {
            let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
            args.extend(["--jobs", jobs]);
            // keyness and compare show no progress, so take no -q.
            let out = tempfile::tempdir().unwrap();
            let assert = wenxi()
                .args(&args)
                .arg("-o")
                .arg(out.path())
                .assert()
                .success();
            let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
            let files: BTreeMap<String, Vec<u8>> = std::fs::read_dir(out.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .map(|p| {
                    let bytes = std::fs::read(&p).unwrap();
                    (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
                })
                .collect();
            assert!(!files.is_empty(), "{command:?}");
            // The output folder's name differs from run to run.
            let stdout = stdout.replace(&out.path().display().to_string(), "OUT");
            match &first {
                None => first = Some((files, stdout)),
                Some((f, s)) => {
                    assert!(f == &files, "{command:?} --jobs {jobs}: files differ");
                    assert_eq!(s, &stdout, "{command:?} --jobs {jobs}");
                }
            }
        }
    }
}

/// Full-width letters and digits make one word, as their ASCII forms do, and a space between two
/// words does not end a sequence or an n-gram (a line end does): checked against counts of the
/// same strings in the raw text.
#[test]
fn full_width_words_and_spaced_phrases() {
    let dir = tempfile::tempdir().unwrap();
    let text = "我们班学习ＡＢＣ和ABC，还有Ｈｅｌｌｏ world。\n老师说 good morning，我们回答 good morning teacher。\n同学们学ＡＢＣ到２０２３年。";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let input = dir.path().to_str().unwrap();
    let (out, _) = run(&["analyze", input, "--no-charts", "--no-html"]);
    let freq = counts(&Csv::read(&out.path().join("word_freq.csv")));
    assert_eq!(
        freq.get("ＡＢＣ"),
        Some(&(text.matches("ＡＢＣ").count() as u64))
    );
    assert_eq!(freq.get("Ｈｅｌｌｏ"), Some(&1));
    for letter in ["Ａ", "Ｂ", "ｌ"] {
        assert_eq!(freq.get(letter), None, "{letter}");
    }
    let (out, _) = run(&["kwic", "good morning", input]);
    let kwic = Csv::read(&out.path().join("kwic.csv"));
    assert_eq!(kwic.rows.len(), text.matches("good morning").count());
    let (out, _) = run(&[
        "ngrams",
        input,
        "-n",
        "2",
        "--min-freq",
        "1",
        "--keep-stopwords",
    ]);
    let grams = Csv::read(&out.path().join("ngrams.csv"));
    let count = |gram: &str| {
        grams
            .records()
            .iter()
            .find(|r| r["ngram"] == gram)
            .map(|r| r["count"].parse::<usize>().unwrap())
    };
    assert_eq!(count("good morning"), Some(2));
    // The line end parts world from 老师.
    assert_eq!(count("world 老师"), None);
}

/// A wenxi word list of traditional essays, with rows of punctuation and numbers another tool
/// would add, is the same reference as the essays themselves: no word is key either way.
#[test]
fn a_traditional_word_list_with_punctuation_is_its_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let essays = dir.path().join("essays");
    std::fs::create_dir(&essays).unwrap();
    for (i, text) in [
        "我的家鄉在南方，家鄉的山很高，水很清。我愛我的家鄉。",
        "這裡的冬天不冷，學校裡的同學們很友善，老師們也很認真。",
        "家鄉的變化很大，馬路寬了，房子高了，人們的生活越來越好。",
    ]
    .iter()
    .enumerate()
    {
        std::fs::write(essays.join(format!("{i}.txt")), text).unwrap();
    }
    let input = essays.to_str().unwrap();
    let (listed, _) = run(&["analyze", input, "--no-charts", "--no-html"]);
    let list = std::fs::read_to_string(listed.path().join("word_freq.csv")).unwrap();
    assert!(list.contains("家鄉"), "the list shows the written forms");
    let list_path = dir.path().join("list.csv");
    // Rows as long as the header: word, pos, count, then empty cells.
    let header = list.lines().next().unwrap();
    let columns: Vec<&str> = header.trim_start_matches('\u{FEFF}').split(',').collect();
    assert_eq!(&columns[..3], ["word", "pos", "count"]);
    let pad = ",".repeat(columns.len() - 3);
    std::fs::write(
        &list_path,
        format!("{list}，,x,5000{pad}\n2023,m,3000{pad}\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args(["keyness", input, "--max-p", "1", "--min-freq", "1", "-o"])
        .arg(out.path())
        .arg("--reference")
        .arg(&list_path)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("2 row(s) that are not words"), "{stderr}");
    let keyness = Csv::read(&out.path().join("keyness.csv"));
    assert_eq!(keyness.rows.len(), 0, "{:?}", keyness.rows);
}

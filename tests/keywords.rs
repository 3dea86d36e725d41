//! Keyword methods, each checked by another route: the `jieba` method against Python jieba's own
//! output (tests/fixtures/jieba, made by make_expected.py there), the corpus methods recomputed
//! here from the frequency reports.

mod common;

use std::collections::HashMap;

use common::{repo, wenxi, Csv};

fn analyse(input: &str, methods: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", input, "--keywords", methods, "-o"])
        .arg(out.path())
        .assert()
        .success();
    out
}

#[test]
fn jieba_method_reproduces_python_jieba() {
    let out = analyse("tests/fixtures/jieba/essays", "jieba");
    let expected =
        std::fs::read_to_string(repo().join("tests/fixtures/jieba/expected.tsv")).unwrap();
    let keywords = Csv::read(&out.path().join("keywords.csv"));
    let got: Vec<_> = keywords.records();
    let expected: Vec<Vec<&str>> = expected.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(got.len(), expected.len());
    for (row, want) in got.iter().zip(&expected) {
        let essay: u32 = want[0].trim_end_matches(".txt").parse().unwrap();
        assert_eq!(row["method"], "jieba");
        assert_eq!(
            (row["essay_id"], row["rank"], row["word"]),
            (essay.to_string().as_str(), want[1], want[2]),
            "{want:?}"
        );
        let (score, weight): (f64, f64) = (row["score"].parse().unwrap(), want[3].parse().unwrap());
        assert!((score - weight).abs() <= 5e-7, "{want:?}: {score}");
    }
}

#[test]
fn corpus_methods_recomputed_from_the_reports() {
    let out = analyse("corpus", "tfidf,tfidf-corpus,textrank,keyness");
    let keywords = Csv::read(&out.path().join("keywords.csv"));
    let per_essay = Csv::read(&out.path().join("essay_word_freq.csv"));
    let corpus = Csv::read(&out.path().join("word_freq.csv"));
    let essays = Csv::read(&out.path().join("essays.csv"));

    // Document frequency and corpus counts from word_freq.csv.
    let rec = corpus.records();
    let df: HashMap<&str, f64> = rec
        .iter()
        .map(|r| (r["word"], r["essays"].parse().unwrap()))
        .collect();
    let total: HashMap<&str, f64> = rec
        .iter()
        .map(|r| (r["word"], r["count"].parse().unwrap()))
        .collect();
    let pos: HashMap<&str, &str> = rec.iter().map(|r| (r["word"], r["pos"])).collect();
    let words_of: Vec<f64> = essays
        .column("words")
        .iter()
        .map(|w| w.parse().unwrap())
        .collect();
    let corpus_words: f64 = words_of.iter().sum();

    let methods: Vec<&str> = keywords.column("method");
    for method in ["tfidf", "tfidf-corpus", "textrank", "keyness"] {
        assert!(methods.contains(&method), "{method}");
    }
    // Rows come by essay, then method in the order asked for, then rank.
    assert_eq!(
        &methods[..40]
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        &4
    );

    for essay in 1..=10usize {
        let id = essay.to_string();
        let rows: Vec<_> = per_essay
            .records()
            .into_iter()
            .filter(|r| r["essay_id"] == id)
            .collect();
        let candidates: Vec<(&str, f64)> = rows
            .iter()
            .filter(|r| r["stopword"] == "false" && r["word"].chars().count() >= 2)
            .map(|r| (r["word"], r["count"].parse().unwrap()))
            .collect();
        let sum: f64 = candidates.iter().map(|c| c.1).sum();
        let got = |method: &str| -> Vec<(String, f64)> {
            keywords
                .records()
                .into_iter()
                .filter(|r| r["essay_id"] == id && r["method"] == method)
                .map(|r| (r["word"].to_owned(), r["score"].parse().unwrap()))
                .collect()
        };

        // tfidf-corpus: tf × (ln((1 + N) / (1 + df)) + 1), N = 10 essays.
        let mut expected: Vec<(&str, f64)> = candidates
            .iter()
            .map(|&(w, c)| (w, c / sum * ((11.0 / (1.0 + df[w])).ln() + 1.0)))
            .collect();
        expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        for ((word, score), (want, want_score)) in got("tfidf-corpus").iter().zip(&expected) {
            assert_eq!(word, want, "essay {essay}");
            assert!((score - want_score).abs() < 1e-6);
        }

        // keyness: G² of the essay against the other nine, 4-cell form, worked out here.
        let c = words_of[essay - 1];
        let d = corpus_words - c;
        let g2 = |a: f64, b: f64| {
            let n = c + d;
            let cells = [
                (a, a + b, c),
                (b, a + b, d),
                (c - a, n - a - b, c),
                (d - b, n - a - b, d),
            ];
            2.0 * cells
                .iter()
                .filter(|x| x.0 > 0.0)
                .map(|&(o, row, col)| o * (o / (row * col / n)).ln())
                .sum::<f64>()
        };
        let mut expected: Vec<(&str, f64)> = candidates
            .iter()
            .filter(|&&(w, a)| a / c > (total[w] - a) / d)
            .map(|&(w, a)| (w, g2(a, total[w] - a)))
            .filter(|x| x.1 >= 3.84)
            .collect();
        expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        expected.truncate(10);
        let keyness = got("keyness");
        assert_eq!(keyness.len(), expected.len(), "essay {essay}");
        for ((word, score), (want, want_score)) in keyness.iter().zip(&expected) {
            assert_eq!(word, want, "essay {essay}");
            assert!((score - want_score).abs() < 1e-5);
        }

        // textrank: nouns and verbs only, best word scaled to 1.
        let textrank = got("textrank");
        assert_eq!(textrank.len(), 10);
        assert_eq!(textrank[0].1, 1.0);
        for (word, score) in &textrank {
            assert!(
                ["n", "ns", "vn", "v"].contains(&pos[word.as_str()]),
                "{word}"
            );
            assert!(*score > 0.0 && *score <= 1.0);
        }
    }
    // 医生 occurs 21 times, all in 篇六 about community doctors: its top keyness keyword.
    let six: Vec<_> = keywords
        .records()
        .into_iter()
        .filter(|r| r["essay_id"] == "6" && r["method"] == "keyness")
        .collect();
    assert_eq!(six[0]["word"], "医生");
}

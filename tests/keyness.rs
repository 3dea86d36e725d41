//! `wenxi keyness`: G² worked by hand on texts whose counts are known by construction.

use std::path::Path;

mod common;

use common::{analyze, wenxi, Csv};

/// A folder with `target/a.txt` and `reference/b.txt`.
fn target_and_reference(target: &str, reference: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (folder, file, text) in [
        ("target", "a.txt", target),
        ("reference", "b.txt", reference),
    ] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join(file), text).unwrap();
    }
    dir
}

/// Runs `wenxi keyness DIR/target --reference REFERENCE`; returns keyness.csv and the stdout.
fn keyness(dir: &Path, reference: &Path) -> (Csv, String) {
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .arg("keyness")
        .arg(dir.join("target"))
        .arg("--reference")
        .arg(reference)
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    (Csv::read(&out.path().join("keyness.csv")), stdout)
}

/// Target: 医生 ×10, 社区 ×10 (20 words); reference: 社区 ×90, 医生 ×10 (100 words).
fn texts() -> tempfile::TempDir {
    target_and_reference(
        &("医生。".repeat(10) + &"社区。".repeat(10)),
        &("社区。".repeat(90) + &"医生。".repeat(10)),
    )
}

// 医生: a = 10, b = 10, c = 20, d = 100, N = 120. Expected cells: 20·20/120 = 3.333,
// 20·100/120 = 16.667, 100·20/120 = 16.667, 100·100/120 = 83.333.
// G² = 2(10 ln 3 + 10 ln 0.6 + 10 ln 0.6 + 90 ln 1.08) = 2(10.9861 − 5.1083 − 5.1083 + 6.9264)
//    = 15.392; p = erfc(√(15.392/2)) = 8.73e-5; log ratio = log2(0.5 / 0.1) = 2.3219.
// 社区 has the same table with the roles swapped: same G², negative, log2(0.5 / 0.9) = −0.848.
fn check(csv: &Csv) {
    let rows = csv.records();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0]["word"],
            rows[0]["direction"],
            rows[0]["freq_target"],
            rows[0]["freq_ref"]
        ),
        ("医生", "positive", "10", "10")
    );
    assert_eq!(
        (rows[1]["word"], rows[1]["direction"]),
        ("社区", "negative")
    );
    let num = |row: usize, col: &str| csv.records()[row][col].parse::<f64>().unwrap();
    assert!((num(0, "g2") - 15.392).abs() < 1e-3);
    assert!((num(1, "g2") - 15.392).abs() < 1e-3);
    // p from python3: math.erfc(math.sqrt(15.39220822722568 / 2)) = 8.734772835e-05.
    assert!((num(0, "p") / 8.734772835e-5 - 1.0).abs() < 1e-4);
    assert!((num(0, "log_ratio") - 2.3219).abs() < 1e-4);
    assert!((num(1, "log_ratio") + 0.848).abs() < 1e-3);
    assert_eq!(
        (num(0, "per_10k_target"), num(0, "per_10k_ref")),
        (5000.0, 1000.0)
    );
}

#[test]
fn keyness_of_two_folders_by_hand() {
    let dir = texts();
    let (csv, stdout) = keyness(dir.path(), &dir.path().join("reference"));
    assert!(
        stdout.contains("1 word more frequent in the target"),
        "{stdout}"
    );
    check(&csv);
}

#[test]
fn a_word_frequency_csv_as_the_reference() {
    let dir = texts();
    let reference = analyze(dir.path().join("reference"));
    check(&keyness(dir.path(), &reference.path().join("word_freq.csv")).0);
}

#[test]
fn a_sheet_of_essays_as_the_reference() {
    // The same essays as a folder of text files and as a CSV, one a row: the same table.
    let dir = texts();
    let (by_folder, _) = keyness(dir.path(), &dir.path().join("reference"));
    let text = std::fs::read_to_string(dir.path().join("reference/b.txt")).unwrap();
    let sheet = dir.path().join("sheet.csv");
    std::fs::write(
        &sheet,
        format!("题目,作文\n乙,\"{}\"\n", text.replace('"', "\"\"")),
    )
    .unwrap();
    let (by_sheet, _) = keyness(dir.path(), &sheet);
    assert_eq!(by_sheet.rows, by_folder.rows);
}

#[test]
fn bad_references_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("list.csv"), "term,n\n社区,3\n").unwrap();
    wenxi()
        .args(["keyness", "corpus", "--reference"])
        .arg(dir.path().join("list.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "list.csv is neither a word-frequency list (a column headed word/词/词语/词汇/单词 and \
             one headed count/freq/frequency/词频/频次/频数/次数) nor a sheet of essays",
        ));
    // A word list among other paths: --reference took the target's path too.
    std::fs::write(dir.path().join("freq.csv"), "word,count\n社区,3\n").unwrap();
    wenxi()
        .args(["keyness", "corpus", "--reference"])
        .arg(dir.path().join("freq.csv"))
        .arg("corpus")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "a word-frequency list is the whole reference, given alone",
        ));
    wenxi()
        .args(["keyness", "corpus"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--reference"));
}

// A p-value far below the CSV's six decimals keeps its digits. Target 医生 ×100 of 200 words,
// reference 医生 ×10 of 1,000: by python3 (the same four-cell G² and erfc), G² = 346.0429 and
// p = 3.082253e-77.
#[test]
fn tiny_p_values_are_written_in_full() {
    let dir = target_and_reference(
        &("医生。".repeat(100) + &"社区。".repeat(100)),
        &("医生。".repeat(10) + &"社区。".repeat(990)),
    );
    let (csv, _) = keyness(dir.path(), &dir.path().join("reference"));
    let rows = csv.records();
    assert_eq!(rows[0]["word"], "医生");
    let g2: f64 = rows[0]["g2"].parse().unwrap();
    let p: f64 = rows[0]["p"].parse().unwrap();
    assert!((g2 - 346.0429).abs() < 1e-3, "{g2}");
    assert!((p / 3.082253e-77 - 1.0).abs() < 1e-4, "{}", rows[0]["p"]);
}

//! `wenxi compare`: two seed essays checked against what `wenxi analyze` reports for them, and
//! two folders and two groups with counts known by construction.

mod common;

use common::{analyze, wenxi, Csv};

#[test]
fn a_pipe_closed_early_still_gets_the_tables_written() {
    // The reader goes away before anything is printed (as `| head -1` can): the tables are
    // written all the same, and the run ends as a success.
    let out = tempfile::tempdir().unwrap();
    for args in [
        vec!["compare", "2", "6", "corpus"],
        vec!["keyness", "--reference", "corpus", "corpus", "--bonferroni"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wenxi"))
            .current_dir(common::repo())
            .args(&args)
            .arg("-o")
            .arg(out.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        assert!(status.success(), "{args:?}: {status}");
    }
    for name in [
        "compare_summary.csv",
        "compare_themes.csv",
        "compare_words.csv",
        "keyness.csv",
    ] {
        assert!(out.path().join(name).is_file(), "{name}");
    }
}

#[test]
fn two_seed_essays_agree_with_the_analysis() {
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args(["compare", "2", "6", "corpus", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("A: 疫情社区心得体会篇二 (2)"), "{stdout}");
    assert!(stdout.contains("B: 疫情社区心得体会篇六 (6)"), "{stdout}");

    let analysed = analyze("corpus");
    // The cosine of two single essays is the one similarity.csv gives the pair.
    let similarity = Csv::read(&analysed.path().join("similarity.csv"));
    let pair = similarity
        .rows
        .iter()
        .find(|r| r[0] == "2" && r[1] == "6")
        .unwrap();
    let summary = Csv::read(&out.path().join("compare_summary.csv"));
    assert_eq!(summary.records()[0]["cosine"], pair[2]);
    // Theme hits are the essays' own in themes.csv.
    let themes = Csv::read(&analysed.path().join("themes.csv"));
    let compared = Csv::read(&out.path().join("compare_themes.csv"));
    for row in compared.records() {
        let (id, theme, hits) = (
            themes.col("essay_id"),
            themes.col("theme"),
            themes.col("hits"),
        );
        let of = |essay: &str| {
            themes
                .rows
                .iter()
                .find(|r| r[id] == essay && r[theme] == row["theme"])
                .unwrap()[hits]
                .clone()
        };
        assert_eq!(
            (row["hits_a"], row["hits_b"]),
            (of("2").as_str(), of("6").as_str())
        );
    }
    // 医生, 21 times in 篇六 and never in 篇二, is a word of B.
    let words = Csv::read(&out.path().join("compare_words.csv"));
    let doctor = words
        .records()
        .into_iter()
        .find(|r| r["word"] == "医生")
        .unwrap()
        .clone();
    assert_eq!(
        (
            doctor["direction"],
            doctor["freq_target"],
            doctor["freq_ref"]
        ),
        ("negative", "0", "21")
    );
}

/// a/: 医生 ×10, 社区 ×10; b/: 社区 ×90, 医生 ×10 (tests/keyness.rs works G² = 15.392 by hand).
fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (sub, name, text) in [
        (
            "a",
            "2022_one.txt",
            "医生。".repeat(10) + &"社区。".repeat(10),
        ),
        (
            "b",
            "2023_two.txt",
            "社区。".repeat(90) + &"医生。".repeat(10),
        ),
    ] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join(name), text).unwrap();
    }
    dir
}

fn check_words(out: &std::path::Path) {
    let words = Csv::read(&out.join("compare_words.csv"));
    let rows = words.records();
    assert_eq!(
        (rows[0]["word"], rows[0]["direction"]),
        ("医生", "positive")
    );
    assert!((rows[0]["g2"].parse::<f64>().unwrap() - 15.392).abs() < 1e-3);
    let summary = Csv::read(&out.join("compare_summary.csv"));
    assert_eq!(
        (
            summary.records()[0]["words_a"],
            summary.records()[0]["words_b"]
        ),
        ("20", "100")
    );
}

#[test]
fn two_folders() {
    let dir = folders();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .current_dir(dir.path())
        .args(["compare", "a", "b", "-o"])
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("A: a (1 essay), 20 words"));
    check_words(out.path());
}

#[test]
fn two_groups_by_pattern() {
    let dir = folders();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .current_dir(dir.path())
        .args([
            "compare",
            "2022",
            "2023",
            "a",
            "b",
            "--group-by",
            r"(\d{4})_[^/]*$",
            "-o",
        ])
        .arg(out.path())
        .assert()
        .success();
    check_words(out.path());
}

#[test]
fn an_unknown_essay_is_named() {
    wenxi()
        .args(["compare", "2", "99", "corpus"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`99` names no essay"));
}

/// `--group-by` sees each path within the folder it was found in, from the folder's own name on:
/// the help's example pattern gives the same groups however the folder is typed and wherever
/// wenxi runs. Sizes by construction: 2022 has two essays of 20 and 5 words, 2023 two of 100
/// and 7 (one in a subfolder).
#[test]
fn group_by_paths_within_the_folder_wherever_it_runs() {
    let dir = tempfile::tempdir().unwrap();
    let essays = dir.path().join("essays");
    std::fs::create_dir_all(essays.join("2023")).unwrap();
    for (name, text) in [
        ("2022_a.txt", "医生。".repeat(10) + &"社区。".repeat(10)),
        ("2022_b.txt", "社区。".repeat(5)),
        ("2023_c.txt", "社区。".repeat(90) + &"医生。".repeat(10)),
        ("2023/old.txt", "医生。".repeat(7)),
    ] {
        std::fs::write(essays.join(name), text).unwrap();
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = essays.to_str().unwrap().to_owned();
    let inside = essays.join("2023");
    for (cwd, folder) in [
        (dir.path(), "essays"),
        (dir.path(), "./essays/"),
        (dir.path(), absolute.as_str()),
        (elsewhere.path(), absolute.as_str()),
        (essays.as_path(), "."),
        (inside.as_path(), ".."),
    ] {
        let out = tempfile::tempdir().unwrap();
        wenxi()
            .current_dir(cwd)
            .args([
                "compare",
                "2022",
                "2023",
                folder,
                "--group-by",
                r"^essays/(\d{4})",
                "-o",
            ])
            .arg(out.path())
            .assert()
            .success();
        let summary = Csv::read(&out.path().join("compare_summary.csv"));
        let row = &summary.records()[0];
        assert_eq!(
            (
                row["essays_a"],
                row["words_a"],
                row["essays_b"],
                row["words_b"]
            ),
            ("2", "25", "2", "107"),
            "{folder} from {}",
            cwd.display()
        );
    }
}

/// `--bonferroni` prints its corrected threshold, and keeps exactly the words of the uncorrected
/// run whose p is at or below it.
#[test]
fn bonferroni_keeps_the_words_below_its_printed_threshold() {
    let run = |extra: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let assert = wenxi()
            .args(["compare", "2", "6", "corpus"])
            .args(extra)
            .arg("-o")
            .arg(out.path())
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        let words = Csv::read(&out.path().join("compare_words.csv"));
        let rows: Vec<(String, f64)> = words
            .records()
            .iter()
            .map(|r| (r["word"].to_owned(), r["p"].parse().unwrap()))
            .collect();
        (stdout, rows)
    };
    let (_, all) = run(&[]);
    let (stdout, corrected) = run(&["--bonferroni"]);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Bonferroni: p ≤ "))
        .unwrap_or_else(|| panic!("{stdout}"));
    let threshold: f64 = line["Bonferroni: p ≤ ".len()..].parse().unwrap();
    assert!(threshold < 0.05 / 2.0, "{threshold}");
    let expected: Vec<&String> = all
        .iter()
        .filter(|(_, p)| *p <= threshold * (1.0 + 1e-3))
        .map(|(w, _)| w)
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < all.len(),
        "{all:?}"
    );
    assert_eq!(
        corrected.iter().map(|(w, _)| w).collect::<Vec<_>>(),
        expected
    );
}

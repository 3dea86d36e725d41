//! Traditional Chinese: found per essay and converted to simplified before segmenting. Checked
//! against another OpenCC: 300 poems of 全唐詩 (chinese-poetry, traditional) analysed by wenxi
//! give the same word list as the same poems converted by the C++ OpenCC library
//! (tests/fixtures/tang, with the command that made them) and analysed as simplified.

use std::path::Path;

mod common;

use common::{repo, wenxi, Csv};

fn analyze(input: &Path, extra: &[&str]) -> (tempfile::TempDir, String) {
    let flags = ["--text-column", "正文", "--no-similarity", "--no-reuse"];
    common::analyze_tables(&[input], &[&flags[..], extra].concat())
}

#[test]
fn tang_poems_segment_as_the_c_opencc_converts_them() {
    let fixtures = repo().join("tests/fixtures/tang");
    let (traditional, stderr) = analyze(
        &fixtures.join("quantangshi.csv"),
        &["--report-script", "simplified"],
    );
    let (simplified, _) = analyze(
        &fixtures.join("quantangshi.t2s.csv"),
        &["--script", "simplified"],
    );
    let read = |dir: &tempfile::TempDir, name: &str| Csv::read(&dir.path().join(name));
    // Each poem's word counts, by essay id.
    let per_essay = |dir: &tempfile::TempDir| {
        let mut counts: std::collections::BTreeMap<String, Vec<(String, String)>> =
            Default::default();
        for r in read(dir, "essay_word_freq.csv").records() {
            counts
                .entry(r["essay_id"].to_owned())
                .or_default()
                .push((r["word"].to_owned(), r["count"].to_owned()));
        }
        counts
    };
    let (a, b) = (per_essay(&traditional), per_essay(&simplified));
    assert_eq!(a.len(), 300);
    let differ: Vec<&String> = a.keys().filter(|id| a.get(*id) != b.get(*id)).collect();
    // 298 poems segment alike. The two others hold the two differences of the OpenCC
    // dictionaries that this sample meets: the phrase 沈湎 (OpenCC 1.4.2 makes it 沉湎,
    // ferrous-opencc keeps it) and a 蒐 that 1.4.2 keeps and ferrous-opencc makes 搜.
    let source = Csv::read(&fixtures.join("quantangshi.csv"));
    let texts = source.column("正文");
    let held: Vec<bool> = differ
        .iter()
        .map(|id| {
            let text = texts[id.parse::<usize>().unwrap() - 1];
            text.contains("沈湎") || text.contains('蒐')
        })
        .collect();
    assert_eq!(held, [true, true], "{differ:?}");
    let words = read(&traditional, "word_freq.csv");
    assert!(words.rows.len() > 3000, "{}", words.rows.len());
    // Every poem was found traditional and converted, and the run said so.
    let essays = read(&traditional, "essays.csv");
    assert_eq!(essays.rows.len(), 300);
    // By the other route: a poem is traditional where the C++ OpenCC changed some character
    // of it (all but one, 屏欲除奢政返淳。, which has no traditional form).
    let converted = Csv::read(&fixtures.join("quantangshi.t2s.csv"));
    let changed: Vec<bool> = texts
        .iter()
        .zip(converted.column("正文"))
        .map(|(t, c)| t != &c)
        .collect();
    assert_eq!(changed.iter().filter(|&&c| !c).count(), 1);
    for ((script, done), changed) in essays
        .column("script")
        .iter()
        .zip(essays.column("converted"))
        .zip(&changed)
    {
        let expected = if *changed {
            ("traditional", "true")
        } else {
            ("simplified", "false")
        };
        assert_eq!((*script, done), expected);
    }
    assert!(
        stderr.contains("299 essay(s) in traditional characters converted to simplified"),
        "{stderr}"
    );
    // Titles are metadata and keep their script; 題目 is found as the title column.
    assert_eq!(essays.column("title")[0], "帝京篇十首 一");
    // The simplified file is found simplified when looked at.
    let (looked, _) = analyze(&fixtures.join("quantangshi.t2s.csv"), &[]);
    let essays = read(&looked, "essays.csv");
    assert!(essays.column("script").iter().all(|&s| s == "simplified"));
    assert!(essays.column("converted").iter().all(|&c| c == "false"));
}

#[test]
fn stopwords_markers_and_themes_work_on_converted_essays() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("繁體.txt"),
        "疫情中的社區\n許多年輕人參加了志願者服務，他們每天為居民測量體溫。\n\
         總之，這次疫情讓我們體會到社區的力量。\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("themes.toml"),
        "\"志愿服务\" = [\"志愿者\"]\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path())
        .args(["--no-charts", "--no-html", "-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let words = Csv::read(&out.path().join("word_freq.csv"));
    let listed = words.column("word");
    // 許多年輕人 is cut as its simplified form is (许多 年轻人), not 許/多年/輕人, and reported
    // as written.
    for word in ["許多", "年輕人", "志願者", "居民"] {
        assert!(listed.contains(&word), "{word} in {listed:?}");
    }
    assert!(!listed.contains(&"輕人") && !listed.contains(&"多年"));
    // 他們 becomes 他们, a stopword, so it is no keyword.
    let keywords = Csv::read(&out.path().join("keywords.csv"));
    assert!(!keywords.column("word").contains(&"他們"));
    assert!(!keywords.column("word").is_empty());
    // --report-script simplified reports the words as they were counted.
    let counted = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path())
        .args([
            "--report-script",
            "simplified",
            "--no-charts",
            "--no-html",
            "-q",
            "-o",
        ])
        .arg(counted.path())
        .assert()
        .success();
    let simplified = Csv::read(&counted.path().join("word_freq.csv"));
    for word in ["许多", "年轻人", "志愿者", "居民"] {
        assert!(simplified.column("word").contains(&word), "{word}");
    }
    assert_eq!(simplified.column("count"), words.column("count"));
    // 總之 opens a paragraph as the summary marker 总之.
    let markers = Csv::read(&out.path().join("markers.csv"));
    assert_eq!(markers.column("marker"), ["总之"]);
    // 志願者 hits the theme of the folder's own lexicon.
    let themes = Csv::read(&out.path().join("themes.csv"));
    assert_eq!(themes.column("hits"), ["1"]);

    // --script keep analyses the essay as written.
    let kept = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path())
        .args(["--script", "keep", "--no-charts", "--no-html", "-q", "-o"])
        .arg(kept.path())
        .assert()
        .success();
    let essays = Csv::read(&kept.path().join("essays.csv"));
    assert_eq!(essays.column("script"), ["traditional"]);
    assert_eq!(essays.column("converted"), ["false"]);
    assert!(!Csv::read(&kept.path().join("word_freq.csv"))
        .column("word")
        .contains(&"志愿者"));
}

/// kwic.csv of `query` over `dir`, and the run's stderr.
fn kwic(dir: &Path, query: &str, extra: &[&str]) -> (Vec<Vec<String>>, String) {
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args(["kwic", query])
        .arg(dir)
        .args(extra)
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    (Csv::read(&out.path().join("kwic.csv")).rows, stderr)
}

// A traditional essay is searched in its simplified form and shown as written; a simplified
// essay beside it is shown as written too. Checked by another route: the hits are where a plain
// substring search of each file finds 學習 or 学习, node and context are the file's own text at
// the hit's character offset, and a query in either script finds the same hits.
#[test]
fn kwic_shows_traditional_essays_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let traditional = "這次疫情讓我們體會到社區的力量。大家互相幫助，共同學習防護知識。\n我們學會了團結，學習也沒有停下。";
    let simplified = "社区组织居民学习防护知识。学习让我们更团结。";
    std::fs::write(dir.path().join("a.txt"), simplified).unwrap();
    std::fs::write(dir.path().join("b.txt"), traditional).unwrap();
    let (rows, stderr) = kwic(dir.path(), "學習", &[]);
    assert!(stderr.contains("searched as 学习"), "{stderr}");
    let (same, _) = kwic(dir.path(), "学习", &[]);
    assert_eq!(rows, same);
    let expected = simplified.matches("学习").count() + traditional.matches("學習").count();
    assert_eq!(rows.len(), expected);
    // Columns: essay_id, essay_key, title, paragraph, sentence, offset, left, node, right.
    for row in &rows {
        let text: Vec<char> = if row[0] == "1" {
            simplified
        } else {
            traditional
        }
        .chars()
        .collect();
        let offset: usize = row[5].parse().unwrap();
        let at = |from: usize, to: usize| -> String {
            text[from..to].iter().collect::<String>().replace('\n', " ")
        };
        assert_eq!(row[7], at(offset, offset + 2), "{row:?}");
        let left = row[6].chars().count();
        assert_eq!(row[6], at(offset - left, offset), "{row:?}");
        let right = row[8].chars().count();
        assert_eq!(row[8], at(offset + 2, offset + 2 + right), "{row:?}");
    }
    let nodes: Vec<&str> = rows.iter().map(|r| r[7].as_str()).collect();
    assert_eq!(nodes, ["学习", "学习", "學習", "學習"]);

    // --script keep searches the text as it is: 学习 is only in the simplified essay.
    let (kept, _) = kwic(dir.path(), "学习", &["--script", "keep"]);
    assert_eq!(kept.len(), simplified.matches("学习").count());

    // Taiwan vocabulary changes an essay's length (網際網路 → 互联网, 4 characters to 3): that
    // essay is shown converted, and the run says so.
    std::fs::write(dir.path().join("c.txt"), "我們用網際網路學習，軟體很好用。").unwrap();
    let (rows, stderr) = kwic(dir.path(), "学习", &["--opencc", "tw2sp"]);
    assert!(stderr.contains("1 of them changed length"), "{stderr}");
    let last = rows.last().unwrap();
    assert_eq!(
        (last[6].as_str(), last[7].as_str()),
        ("我们用互联网", "学习")
    );
}

/// Each row of a table of the run `written` and of the run `counted` (`--report-script
/// simplified`): the same rows in the same order, the word aside.
fn same_rows_but_the_word(written: &Csv, counted: &Csv) {
    same_rows_but(written, counted, "word");
}

/// [`same_rows_but_the_word`] for a table whose words are in column `shown`.
fn same_rows_but(written: &Csv, counted: &Csv, shown: &str) {
    assert_eq!(written.rows.len(), counted.rows.len());
    for (a, b) in written.records().iter().zip(counted.records().iter()) {
        for (column, value) in a.iter() {
            if *column != shown {
                assert_eq!(value, &b[column], "{column}");
            }
        }
    }
}

#[test]
fn words_are_reported_as_the_poems_wrote_them() {
    let fixtures = repo().join("tests/fixtures/tang");
    let (written, _) = analyze(&fixtures.join("quantangshi.csv"), &[]);
    let (counted, _) = analyze(
        &fixtures.join("quantangshi.csv"),
        &["--report-script", "simplified"],
    );
    let read = |dir: &tempfile::TempDir, name: &str| Csv::read(&dir.path().join(name));
    // By the other route: the C++ OpenCC's conversion of each poem (same length, character for
    // character) has the counted word where the poem has the written one.
    let poems = Csv::read(&fixtures.join("quantangshi.csv"));
    let originals: Vec<Vec<char>> = poems
        .column("正文")
        .iter()
        .map(|t| t.chars().collect())
        .collect();
    let converted = Csv::read(&fixtures.join("quantangshi.t2s.csv"));
    let conversions: Vec<Vec<char>> = converted
        .column("正文")
        .iter()
        .map(|t| t.chars().collect())
        .collect();
    let at = |text: &[char], word: &[char]| text.windows(word.len()).position(|w| w == word);
    for table in ["essay_word_freq.csv", "keywords.csv"] {
        let (a, b) = (read(&written, table), read(&counted, table));
        same_rows_but_the_word(&a, &b);
        let (mut differ, mut checked) = (0, 0);
        for (r, s) in a.records().iter().zip(b.records().iter()) {
            let poem = r["essay_id"].parse::<usize>().unwrap() - 1;
            let (word, simplified): (Vec<char>, Vec<char>) =
                (r["word"].chars().collect(), s["word"].chars().collect());
            assert_eq!(word.len(), simplified.len(), "{}", r["word"]);
            let place = at(&originals[poem], &word)
                .unwrap_or_else(|| panic!("{} is not in poem {}", r["word"], poem + 1));
            differ += usize::from(word != simplified);
            let (original, conversion) = (&originals[poem], &conversions[poem]);
            // Two poems meet the two differences of the OpenCC dictionaries (see above).
            if original.len() == conversion.len() && !poems.column("正文")[poem].contains("沈湎")
            {
                if let Some(other) = conversion.get(place..place + word.len()) {
                    if !other.contains(&'蒐') && !word.contains(&'蒐') {
                        assert_eq!(
                            other,
                            simplified.as_slice(),
                            "{} in poem {}",
                            r["word"],
                            poem + 1
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(
            differ * 3 > a.rows.len(),
            "{table}: {differ} of {}",
            a.rows.len()
        );
        assert!(
            checked * 10 > a.rows.len() * 9,
            "{table}: {checked} of {}",
            a.rows.len()
        );
    }
    // The corpus's word list: the same counts, each word as some poem writes it.
    let (a, b) = (
        read(&written, "word_freq.csv"),
        read(&counted, "word_freq.csv"),
    );
    same_rows_but_the_word(&a, &b);
    let all: Vec<char> = originals.concat();
    for r in a.records().iter() {
        let word: Vec<char> = r["word"].chars().collect();
        assert!(at(&all, &word).is_some(), "{}", r["word"]);
    }
    assert_eq!(a.column("word")[2], "還");
    assert_eq!(b.column("word")[2], "还");
}

#[test]
fn a_mixed_corpus_shows_each_essay_its_own_form_and_the_corpus_its_commonest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "我们在家学习。").unwrap();
    std::fs::write(dir.path().join("b.txt"), "我們在家學習。").unwrap();
    std::fs::write(dir.path().join("c.txt"), "同學們一起學習。").unwrap();
    let words = |dir: &Path| {
        let out = tempfile::tempdir().unwrap();
        wenxi()
            .arg("analyze")
            .arg(dir)
            .args(["--no-charts", "--no-html", "-q", "-o"])
            .arg(out.path())
            .assert()
            .success();
        let freq = Csv::read(&out.path().join("word_freq.csv"));
        let essays = Csv::read(&out.path().join("essay_word_freq.csv"));
        let of = |csv: &Csv, pick: &dyn Fn(&str) -> bool| -> Vec<(String, String)> {
            csv.records()
                .iter()
                .filter(|r| pick(r["word"]))
                .map(|r| {
                    let id = r.get("essay_id").copied().unwrap_or_default();
                    (id.to_owned(), r["word"].to_owned())
                })
                .collect()
        };
        let learn = |w: &str| w == "学习" || w == "學習";
        (
            of(&freq, &learn),
            of(&essays, &learn),
            freq.column("count").len(),
        )
    };
    let pair = |id: &str, word: &str| (id.to_owned(), word.to_owned());
    // 学习 is written 學習 twice, 学习 once: the corpus shows 學習, each essay its own.
    let (freq, essays, _) = words(dir.path());
    assert_eq!(freq, [pair("", "學習")]);
    assert_eq!(
        essays,
        [pair("1", "学习"), pair("2", "學習"), pair("3", "學習")]
    );
    // Once more in simplified: a tie goes to the simplified form.
    std::fs::write(dir.path().join("d.txt"), "学习。").unwrap();
    let (freq, essays, _) = words(dir.path());
    assert_eq!(freq, [pair("", "学习")]);
    assert_eq!(essays.len(), 4);
}

#[test]
fn keyness_and_compare_report_words_as_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "我們每天在學校學習。".repeat(6) + "老師說學習很重要。",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.txt"),
        "我們每天在操場鍛鍊身體。".repeat(6) + "老師說運動很重要。",
    )
    .unwrap();
    let run = |args: &[&str], table: &str| {
        let out = tempfile::tempdir().unwrap();
        wenxi()
            .current_dir(dir.path())
            .args(args)
            .arg("-o")
            .arg(out.path())
            .assert()
            .success();
        Csv::read(&out.path().join(table))
    };
    for (args, table) in [
        (
            &["keyness", "a.txt", "--reference", "b.txt"][..],
            "keyness.csv",
        ),
        (
            &["compare", "1", "2", "a.txt", "b.txt"][..],
            "compare_words.csv",
        ),
    ] {
        let written = run(args, table);
        let counted = run(&[args, &["--report-script", "simplified"]].concat(), table);
        same_rows_but_the_word(&written, &counted);
        // 學習 is in a.txt 7 times, 操場 in b.txt 6 times.
        let row = |csv: &Csv, word: &str| {
            csv.records()
                .iter()
                .find(|r| r["word"] == word)
                .map(|r| (r["freq_target"].to_owned(), r["freq_ref"].to_owned()))
        };
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(row(&written, "學習"), pair("7", "0"), "{table}");
        assert_eq!(row(&counted, "学习"), pair("7", "0"), "{table}");
        assert_eq!(row(&written, "操場"), pair("0", "6"), "{table}");
        assert_eq!(row(&written, "学习"), None, "{table}");
    }
}

/// `wenxi ARGS -o OUT` from `dir`, and the table `table` it wrote.
fn table_of(dir: &Path, args: &[&str], table: &str) -> Csv {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .current_dir(dir)
        .args(args)
        .args(["-q", "-o"])
        .arg(out.path())
        .assert()
        .success();
    Csv::read(&out.path().join(table))
}

#[test]
fn ngrams_and_collocates_report_the_poems_as_written() {
    let fixtures = repo().join("tests/fixtures/tang");
    let poems = Csv::read(&fixtures.join("quantangshi.csv"));
    let originals: Vec<Vec<char>> = poems
        .column("正文")
        .iter()
        .map(|t| t.chars().collect())
        .collect();
    let conversions: Vec<Vec<char>> = Csv::read(&fixtures.join("quantangshi.t2s.csv"))
        .column("正文")
        .iter()
        .map(|t| t.chars().collect())
        .collect();
    let at = |text: &[char], word: &[char]| text.windows(word.len()).position(|w| w == word);
    let run = |args: &[&str], table: &str| {
        let input = ["quantangshi.csv", "--text-column", "正文"];
        let written = table_of(&fixtures, &[args, &input].concat(), table);
        let counted = table_of(
            &fixtures,
            &[args, &input, &["--report-script", "simplified"]].concat(),
            table,
        );
        (written, counted)
    };
    for (args, table, column) in [
        (
            &["ngrams", "-n", "1..3", "--min-freq", "1"][..],
            "ngrams.csv",
            "ngram",
        ),
        (
            &["ngrams", "--chars", "-n", "1..4", "--min-freq", "1"][..],
            "ngrams.csv",
            "ngram",
        ),
        (
            &["collocates", "/^..$/", "--min-freq", "1"][..],
            "collocates.csv",
            "collocate",
        ),
    ] {
        let (written, counted) = run(args, table);
        assert!(written.rows.len() > 100, "{args:?}: {}", written.rows.len());
        same_rows_but(&written, &counted, column);
        // Each row as written is in some poem (an n-gram's words next to each other), and at
        // that place the C++ OpenCC's conversion of the poem has the counted row.
        let (mut differ, mut found, mut checked) = (0, 0, 0);
        for (a, b) in written.column(column).iter().zip(counted.column(column)) {
            let shown: Vec<char> = a.chars().filter(|&c| c != ' ').collect();
            let simplified: Vec<char> = b.chars().filter(|&c| c != ' ').collect();
            assert_eq!(shown.len(), simplified.len(), "{a} {b}");
            differ += usize::from(shown != simplified);
            for (poem, conversion) in originals.iter().zip(&conversions) {
                if let Some(place) = at(poem, &shown) {
                    found += 1;
                    if poem.len() == conversion.len()
                        && conversion[place..place + shown.len()] == simplified[..]
                    {
                        checked += 1;
                    }
                    break;
                }
            }
        }
        let rows = written.rows.len();
        assert!(
            differ * 4 > rows,
            "{args:?}: {differ} of {rows} written otherwise"
        );
        // Words are shown in the form the corpus writes them most, which some poem may write
        // otherwise (云 is 雲 but for one poem's 歲云暮); nearly all are as found.
        assert!(
            found * 100 >= rows * 99,
            "{args:?}: {found} of {rows} found"
        );
        assert!(
            checked * 100 >= rows * 97,
            "{args:?}: {checked} of {rows} checked"
        );
    }
}

#[test]
fn a_character_written_two_ways_is_told_apart_by_its_neighbour() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "他的頭髮白了，頭髮很長。").unwrap();
    std::fs::write(dir.path().join("b.txt"), "經濟發展很快，發展很好。").unwrap();
    let ngrams = |dir: &Path| -> Vec<String> {
        let args = ["ngrams", ".", "--chars", "-n", "2", "--min-freq", "1"];
        let csv = table_of(dir, &args, "ngrams.csv");
        csv.column("ngram").iter().map(|s| s.to_string()).collect()
    };
    // 发 is 髮 next to 头 and 發 next to 展: never 頭發 or 髮展.
    let rows = ngrams(dir.path());
    assert!(rows.contains(&"頭髮".to_owned()), "{rows:?}");
    assert!(rows.contains(&"發展".to_owned()), "{rows:?}");
    assert!(rows.contains(&"很長".to_owned()), "{rows:?}");
    assert!(!rows.iter().any(|r| r == "頭發" || r == "髮展"), "{rows:?}");
    // Most characters in simplified essays: the n-grams are shown as counted, none half
    // written.
    std::fs::write(dir.path().join("c.txt"), "头发很长，发展很快。".repeat(3)).unwrap();
    let rows = ngrams(dir.path());
    assert!(rows.contains(&"头发".to_owned()), "{rows:?}");
    assert!(rows.contains(&"很长".to_owned()), "{rows:?}");
    assert!(
        !rows.iter().any(|r| r.contains('頭') || r.contains('髮')),
        "{rows:?}"
    );
}

#[test]
fn collocates_take_the_form_the_corpus_writes_most() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "我們在學校學習。").unwrap();
    std::fs::write(dir.path().join("b.txt"), "同學們在學校學習。").unwrap();
    std::fs::write(dir.path().join("c.txt"), "我们在学校学习。").unwrap();
    let collocates = |dir: &Path| -> Vec<(String, String)> {
        // The node typed as written is searched as counted.
        let csv = table_of(
            dir,
            &["collocates", "學校", ".", "--min-freq", "1"],
            "collocates.csv",
        );
        csv.records()
            .iter()
            .filter(|r| r["collocate"].ends_with('习') || r["collocate"].ends_with('習'))
            .map(|r| (r["collocate"].to_owned(), r["observed"].to_owned()))
            .collect()
    };
    let row = |w: &str, n: &str| (w.to_owned(), n.to_owned());
    // 学习 twice as 學習, once as 学习.
    assert_eq!(collocates(dir.path()), [row("學習", "3")]);
    std::fs::write(dir.path().join("d.txt"), "在学校学习。").unwrap();
    assert_eq!(collocates(dir.path()), [row("学习", "4")]);
}

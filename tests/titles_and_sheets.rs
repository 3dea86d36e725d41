//! Title lines of compiled pages (.txt and .docx), `--split-regex` on whole lines, a short first
//! line as a title, and CSV input with a BOM and `--id-column` by letter: each figure checked
//! against what the fixture was built to hold.

use std::collections::HashMap;
use std::path::Path;

mod common;

use common::{analyze_tables, wenxi, write_docx, Csv};

/// `wenxi analyze INPUT… -o DIR` (no charts or page), which must succeed; returns essays.csv,
/// structure.csv, files.csv and the stderr.
struct Run {
    essays: Csv,
    structure: Csv,
    files: Csv,
    stderr: String,
}

fn analyze(inputs: &[&Path], extra: &[&str]) -> Run {
    let (out, stderr) = analyze_tables(inputs, extra);
    Run {
        essays: Csv::read(&out.path().join("essays.csv")),
        structure: Csv::read(&out.path().join("structure.csv")),
        files: Csv::read(&out.path().join("files.csv")),
        stderr,
    }
}

fn han(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count()
}

const PREAMBLE: &str = "以下是小编整理的几篇优秀作文，供大家参考。";

/// A compiled page: a preamble, then four essays under the title forms of the built-in pattern
/// (`第N篇 …`, `第N篇：…`, `作文N …`, `范文N`), in Chinese numerals and digits. Each body line
/// is a paragraph.
const PAGE: [(&str, &[&str]); 4] = [
    (
        "第一篇 我的老师",
        &["我的老师姓王，她很温柔。", "她总是耐心地给我们讲题。"],
    ),
    ("第2篇：春天", &["春天来了，公园里的花都开了。"]),
    (
        "作文3 秋天",
        &[
            "秋天到了，树叶黄了。",
            "农民伯伯在田里收割稻谷。",
            "我们去郊外看红叶。",
        ],
    ),
    ("范文四", &["冬天下雪了，我们在操场上堆雪人。"]),
];

/// The page's paragraphs in order: preamble, then each title and its body.
fn page_paragraphs() -> Vec<&'static str> {
    let mut lines = vec![PREAMBLE];
    for (title, body) in PAGE {
        lines.push(title);
        lines.extend(body);
    }
    lines
}

/// Checks a run of the compiled page: four essays with those titles, in order, with their own
/// body's Han characters and paragraphs, and the preamble in none of them.
fn check_page(run: &Run) {
    let titles = run.essays.column("title");
    let expected: Vec<&str> = PAGE.iter().map(|(t, _)| *t).collect();
    assert_eq!(titles, expected, "{}", run.stderr);
    let hans: Vec<usize> = run
        .essays
        .column("han_characters")
        .iter()
        .map(|h| h.parse().unwrap())
        .collect();
    let bodies: Vec<usize> = PAGE.iter().map(|(_, body)| han(&body.concat())).collect();
    assert_eq!(hans, bodies);
    // Neither the preamble nor the title lines are in any essay's text.
    let all: usize = page_paragraphs().iter().map(|l| han(l)).sum();
    let titles_han: usize = PAGE.iter().map(|(t, _)| han(t)).sum();
    assert_eq!(hans.iter().sum::<usize>(), all - han(PREAMBLE) - titles_han);
    let paragraphs: Vec<&str> = run.structure.column("paragraphs");
    let expected: Vec<String> = PAGE.iter().map(|(_, b)| b.len().to_string()).collect();
    assert_eq!(paragraphs, expected);
    let files = run.files.records();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["essays"], "4");
    assert!(
        files[0]["message"].contains("1 preamble line"),
        "{:?}",
        files[0]
    );
}

#[test]
fn a_compiled_page_is_cut_at_every_title_form() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.txt");
    // Blank lines between the pieces, as a page copied from the web has them.
    let mut text = format!("{PREAMBLE}\n\n");
    for (title, body) in PAGE {
        text.push_str(&format!("{title}\n{}\n\n", body.join("\n")));
    }
    std::fs::write(&path, text).unwrap();
    let run = analyze(&[&path], &[]);
    check_page(&run);
    assert!(run.files.rows[0][run.files.col("message")].starts_with("compiled page: 4 essays"));
}

#[test]
fn a_compiled_word_document_is_cut_like_the_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("作文集.docx");
    write_docx(&docx, &page_paragraphs(), 2, true);
    let run = analyze(&[&docx], &[]);
    check_page(&run);
    assert_eq!(run.files.column("encoding"), ["DOCX"]);
    // The same page as text: the same essays, word for word.
    let txt = dir.path().join("作文集.txt");
    std::fs::write(&txt, page_paragraphs().join("\n")).unwrap();
    let plain = analyze(&[&txt], &[]);
    assert_eq!(run.essays.column("title"), plain.essays.column("title"));
    assert_eq!(run.essays.column("words"), plain.essays.column("words"));
    assert_eq!(
        run.structure.column("sentences"),
        plain.structure.column("sentences")
    );
}

#[test]
fn a_split_regex_matches_whole_lines_only() {
    let dir = tempfile::tempdir().unwrap();
    // 老师 in every body sentence, but no line that is 老师 alone.
    let body = "我的老师姓王。\n老师教我们读书。\n我们都喜欢老师。";
    let one = dir.path().join("one.txt");
    std::fs::write(&one, body).unwrap();
    let run = analyze(&[&one], &["--split-regex", "老师"]);
    assert_eq!(run.essays.rows.len(), 1);
    assert_eq!(run.structure.column("paragraphs"), ["3"]);
    assert_eq!(run.essays.column("han_characters"), [han(body).to_string()]);
    let stderr = &run.stderr;
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("--split-regex \"老师\""), "{stderr}");
    assert!(stderr.contains("matched no line"), "{stderr}");
    assert!(stderr.contains("no file was split"), "{stderr}");

    // A line that is exactly 老师 is a title; the sentences with 老师 stay in the bodies.
    let two = dir.path().join("two.txt");
    std::fs::write(
        &two,
        "老师\n我的老师姓王。\n老师教我们读书。\n老师\n我们都喜欢老师。",
    )
    .unwrap();
    let run = analyze(&[&two], &["--split-regex", "老师"]);
    assert_eq!(run.essays.column("title"), ["老师", "老师"]);
    assert_eq!(run.structure.column("paragraphs"), ["2", "1"]);
    assert_eq!(
        run.essays.column("han_characters"),
        [
            han("我的老师姓王。老师教我们读书。").to_string(),
            han("我们都喜欢老师。").to_string()
        ]
    );
    assert!(!run.stderr.contains("matched no line"), "{}", run.stderr);

    // A pattern that matches a line's start only does not split either.
    let run = analyze(&[&two], &["--split-regex", "我的"]);
    assert_eq!(run.essays.rows.len(), 1);
    assert!(run.stderr.contains("matched no line"), "{}", run.stderr);
}

#[test]
fn a_short_first_line_without_punctuation_is_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let titled = dir.path().join("a.txt");
    std::fs::write(&titled, "我的妈妈\n我的妈妈很温柔。\n她每天都给我做饭。").unwrap();
    // The same lines but the first ends as a sentence: it is body text.
    let untitled = dir.path().join("b.txt");
    std::fs::write(
        &untitled,
        "我的妈妈。\n我的妈妈很温柔。\n她每天都给我做饭。",
    )
    .unwrap();
    let run = analyze(&[&titled, &untitled], &[]);
    assert_eq!(run.essays.column("title"), ["我的妈妈", "b"]);
    assert_eq!(run.structure.column("paragraphs"), ["2", "3"]);
    assert_eq!(run.structure.column("sentences"), ["2", "3"]);
    assert_eq!(
        run.essays.column("han_characters"),
        [
            han("我的妈妈很温柔。她每天都给我做饭。").to_string(),
            han("我的妈妈。我的妈妈很温柔。她每天都给我做饭。").to_string()
        ]
    );
}

/// Three essays of more than 30 Han characters each, with an id and a title.
const ROWS: [(&str, &str, &str); 3] = [
    (
        "S001",
        "我的老师",
        "我的老师姓王，她是一位非常温柔的语文老师。她总是耐心地给我们讲解难题，从来不发脾气。",
    ),
    (
        "S002",
        "春天来了",
        "春天来了，公园里的桃花和迎春花都开了。我们一家人一起去踏青，放风筝，玩得非常开心。",
    ),
    (
        "S003",
        "难忘的一天",
        "那一天我参加了学校的运动会。虽然我在长跑比赛中摔倒了，但我还是坚持跑到了终点。",
    ),
];

fn csv(header: [&str; 3], order: impl Fn(&(&str, &str, &str)) -> [String; 3]) -> String {
    let mut text = header.join(",") + "\r\n";
    for row in &ROWS {
        let cells = order(row);
        text.push_str(&format!("{},{},\"{}\"\r\n", cells[0], cells[1], cells[2]));
    }
    text
}

#[test]
fn a_utf8_csv_with_a_bom_has_its_first_header_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.csv");
    // 标题 first, so the BOM sits right before the column named on the command line.
    let text = csv(["标题", "学号", "作文"], |(id, title, essay)| {
        [title.to_string(), id.to_string(), essay.to_string()]
    });
    std::fs::write(&path, format!("\u{FEFF}{text}")).unwrap();
    let run = analyze(
        &[&path],
        &["--title-column", "标题", "--text-column", "作文"],
    );
    let titles: Vec<&str> = ROWS.iter().map(|(_, t, _)| *t).collect();
    assert_eq!(run.essays.column("title"), titles);
    let hans: Vec<String> = ROWS.iter().map(|(_, _, e)| han(e).to_string()).collect();
    assert_eq!(run.essays.column("han_characters"), hans);
    // The other column is metadata under its own name; no header carries the BOM.
    let ids: Vec<&str> = ROWS.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(run.essays.column("学号"), ids);
    assert!(
        run.essays.header.iter().all(|h| !h.contains('\u{FEFF}')),
        "{:?}",
        run.essays.header
    );
    assert_eq!(run.files.column("essays"), ["3"]);
    // By letter, the same column.
    let by_letter = analyze(&[&path], &["--title-column", "A", "--text-column", "C"]);
    assert_eq!(by_letter.essays.column("title"), titles);
}

#[test]
fn an_id_column_by_letter_keys_the_essays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("class.csv");
    let text = csv(["学号", "题目", "作文"], |(id, title, essay)| {
        [id.to_string(), title.to_string(), essay.to_string()]
    });
    std::fs::write(&path, text).unwrap();
    let run = analyze(&[&path], &["--id-column", "A", "--text-column", "作文"]);
    let keys: Vec<String> = ROWS
        .iter()
        .map(|(id, _, _)| format!("class.csv#{id}"))
        .collect();
    let records = run.essays.records();
    let by_title: HashMap<&str, &str> = records
        .iter()
        .map(|r| (r["title"], r["essay_key"]))
        .collect();
    for ((_, title, _), key) in ROWS.iter().zip(&keys) {
        assert_eq!(by_title[title].rsplit(['/', '\\']).next().unwrap(), key);
    }
    // structure.csv carries the same keys.
    let structure: Vec<String> = run
        .structure
        .column("essay_key")
        .iter()
        .map(|k| k.rsplit(['/', '\\']).next().unwrap().to_owned())
        .collect();
    assert_eq!(structure, keys);
    // Without --id-column the keys are positions in the file.
    let plain = analyze(&[&path], &["--text-column", "作文"]);
    let positions: Vec<String> = plain
        .essays
        .column("essay_key")
        .iter()
        .map(|k| k.rsplit(['/', '\\']).next().unwrap().to_owned())
        .collect();
    assert_eq!(positions, ["class.csv#1", "class.csv#2", "class.csv#3"]);
}

/// A file that is only a short line that is no sentence (a title whose essay was not pasted) is
/// still read, and files.csv says what it looks like; a one-sentence essay gets no such note.
#[test]
fn a_file_of_only_a_title_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "我的梦想\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), "我的梦想是当老师。\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-q"])
        .arg(dir.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let files = Csv::read(&out.path().join("files.csv"));
    let records = files.records();
    let message = |name: &str| {
        records
            .iter()
            .find(|r| r["path"].ends_with(name))
            .map(|r| r["message"].to_owned())
            .unwrap()
    };
    assert!(message("a.txt").contains("a title whose essay is missing"));
    assert_eq!(message("b.txt"), "");
}

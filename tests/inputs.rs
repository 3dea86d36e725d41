//! `wenxi analyze` on fixtures made here: encodings, compiled pages, bad files, odd folders.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{wenxi, Csv};
use encoding_rs::{BIG5, GBK};

const SIMPLIFIED: &str = "疫情期间，社区志愿者为居民配送物资。大家守望相助，共渡难关。";
const TRADITIONAL: &str = "疫情期間，社區志願者為居民配送物資。大家守望相助，共渡難關。";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

/// The row of files.csv whose path ends with `name`.
fn file_row<'a>(files: &'a Csv, name: &str) -> HashMap<&'a str, &'a str> {
    files
        .records()
        .into_iter()
        .find(|r| r["path"].ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in files.csv"))
}

/// A folder holding one file of every kind the issue names.
fn fixtures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a_gbk.txt", &GBK.encode(SIMPLIFIED).0);
    write(d, "b_big5.txt", &BIG5.encode(TRADITIONAL).0);
    write(d, "c_utf16.txt", &utf16le_with_bom(SIMPLIFIED));
    write(
        d,
        "d_page.txt",
        "以下是小编为大家收集的范文，希望对大家有帮助。\n\n抗疫心得篇一\n社区&nbsp;防控很重要。\n\n抗疫心得篇二\n志愿者很辛苦。\n`\n一键复制\n"
            .as_bytes(),
    );
    write(d, "e_empty.txt", b"");
    write(
        d,
        "f_binary.txt",
        &[0x89, b'P', b'N', b'G', 0, 0, 0, 0x0D, 0xFF, 0x00, 0x10],
    );
    write(
        d,
        "g_crlf.txt",
        "第一段，社区。\r\n第二段，居民。\r\n".as_bytes(),
    );
    write(
        d,
        "nested/deeper/h_nested.txt",
        "嵌套文件夹里的文章。".as_bytes(),
    );
    write(d, "nested/notes.md", "Markdown 也是文本文件。".as_bytes());
    write(d, "nested/ignored.png", b"\x89PNG\r\n\x1a\n");
    write(d, "nested/report.csv", "word,count\n社区,3\n".as_bytes());
    dir
}

#[test]
fn every_kind_of_file() {
    let input = fixtures();
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .arg("analyze")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("e_empty.txt: empty file"), "{stderr}");
    assert!(stderr.contains("f_binary.txt: looks binary"), "{stderr}");

    let files = Csv::read(&out.path().join("files.csv"));
    let by_name = |name: &str| file_row(&files, name);
    let expect = [
        ("a_gbk.txt", "GBK", "ok", "1"),
        ("b_big5.txt", "Big5", "ok", "1"),
        ("c_utf16.txt", "UTF-16LE", "ok", "1"),
        ("d_page.txt", "UTF-8", "ok", "2"),
        ("e_empty.txt", "UTF-8", "skipped", "0"),
        ("f_binary.txt", "", "skipped", "0"),
        ("g_crlf.txt", "UTF-8", "ok", "1"),
        ("h_nested.txt", "UTF-8", "ok", "1"),
        ("notes.md", "UTF-8", "ok", "1"),
        // A folder is searched for .txt, .md and .docx: not images, nor the CSVs a folder of
        // reports holds, which are listed as not read.
        ("ignored.png", "", "not read", "0"),
        ("report.csv", "", "not read", "0"),
    ];
    assert_eq!(files.rows.len(), expect.len());
    for (name, encoding, status, essays) in expect {
        let row = by_name(name);
        assert_eq!(
            (row["encoding"], row["status"], row["essays"]),
            (encoding, status, essays),
            "{name}"
        );
    }
    // Files are read in sorted path order.
    let paths = files.column("path");
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(by_name("d_page.txt")["message"]
        .contains("1 preamble line(s) dropped; 2 junk line(s) dropped"));

    let essays = Csv::read(&out.path().join("essays.csv"));
    let titles = essays.column("title");
    assert_eq!(
        titles,
        [
            "a_gbk",
            "b_big5",
            "c_utf16",
            "抗疫心得篇一",
            "抗疫心得篇二",
            "g_crlf",
            "h_nested",
            "notes"
        ]
    );
    let lines = essays.column("lines");
    assert_eq!(lines, ["1", "1", "1", "1", "1", "2", "1", "1"]);
    // 30 characters, 26 of them Han, in each of the three encoded essays.
    for i in 0..3 {
        assert_eq!(essays.column("characters")[i], "30");
        assert_eq!(essays.column("han_characters")[i], "26");
    }

    let freq = Csv::read(&out.path().join("word_freq.csv"));
    let words = freq.column("word");
    for absent in ["nbsp", "`", "一键复制", "\r", "以下", "小编"] {
        assert!(!words.contains(&absent), "{absent} must not be a word");
    }
    // Big5 was not read as GBK: its traditional characters survived, were found traditional
    // and were converted to the simplified words of the same text in GBK.
    let big5 = essays
        .records()
        .into_iter()
        .find(|r| r["source"].ends_with("b_big5.txt"))
        .unwrap();
    assert_eq!((big5["script"], big5["converted"]), ("traditional", "true"));
    let count = |w: &str| {
        freq.records()
            .iter()
            .find(|r| r["word"] == w)
            .map(|r| r["count"].to_owned())
    };
    // 期间 and 物资: once in each of the three encoded essays.
    assert_eq!(count("期间").as_deref(), Some("3"), "{words:?}");
    assert_eq!(count("物资").as_deref(), Some("3"), "{words:?}");
    assert!(!words.contains(&"期間"));
    assert!(words.contains(&"防控"));
}

#[test]
fn a_forced_encoding_and_a_user_split_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let text = "【春】\n春天来了，社区的花开了。\n【秋】\n秋天到了，居民收获了果实。";
    write(dir.path(), "seasons.txt", &GBK.encode(text).0);
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .arg("analyze")
        .arg(dir.path())
        .args(["--encoding", "gbk", "--split-regex", "^【.+】$", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let essays = Csv::read(&out.path().join("essays.csv"));
    assert_eq!(essays.column("title"), ["【春】", "【秋】"]);
}

#[test]
fn a_wrong_forced_encoding_names_the_one_the_file_reads_in() {
    let dir = tempfile::tempdir().unwrap();
    let gbk = GBK.encode(SIMPLIFIED).0;
    write(dir.path(), "gbk.txt", &gbk);
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args([
            "analyze",
            "--no-charts",
            "--no-html",
            "--encoding",
            "utf-8",
            "-o",
        ])
        .arg(out.path())
        .arg(dir.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    // The replaced characters, counted by the standard library's own lossy decoding.
    let lossy = String::from_utf8_lossy(&gbk);
    let replaced = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
    let expected = format!(
        "{replaced} of {} characters were invalid bytes for the forced encoding UTF-8",
        lossy.chars().count()
    );
    assert!(
        replaced > 0 && stderr.contains(&expected),
        "{expected}\n{stderr}"
    );
    assert!(
        stderr.contains(
            "the file reads without an error as GBK: leave --encoding out, or give --encoding gbk"
        ),
        "{stderr}"
    );
    let files = Csv::read(&out.path().join("files.csv"));
    let row = file_row(&files, "gbk.txt");
    assert_eq!(row["status"], "repaired");
    assert!(row["message"].starts_with(&expected), "{}", row["message"]);
}

#[test]
fn a_csv_keeps_its_row_numbers_and_says_what_it_mended() {
    let long =
        "疫情期间，社区志愿者为居民配送物资，大家守望相助，共同度过了这段艰难的日子，我深受感动。";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A blank row (4), and the id `row3`, which a row without an id would otherwise be keyed as.
    write(
        d,
        "a_rows.csv",
        format!("学号,作文\nS1,{long}\n,{long}\n\nrow3,{long}\n").as_bytes(),
    );
    // A quote opened in row 3 and never closed: rows 4 and 5 become part of its cell.
    write(
        d,
        "b_quote.csv",
        format!("题目,作文\n一,{long}\n二,\"{long}\n三,{long}\n四,{long}\n").as_bytes(),
    );
    // UTF-8 cut inside its last character.
    let cut = format!("题目,作文\n一,{long}\n");
    write(d, "c_cut.csv", &cut.as_bytes()[..cut.len() - 2]);
    // A header and nothing under it.
    write(d, "d_header.csv", "题目,作文\n".as_bytes());
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args([
            "analyze",
            "--no-charts",
            "--no-html",
            "--id-column",
            "学号",
            "-o",
        ])
        .arg(out.path())
        .arg(d.join("a_rows.csv"))
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("(rows 3)"), "{stderr}");
    let essays = Csv::read(&out.path().join("essays.csv"));
    let keys: Vec<&str> = essays
        .column("essay_key")
        .iter()
        .map(|k| k.rsplit('#').next().unwrap())
        .collect();
    // Row 3's own key is taken by row 5's id: it gets another.
    assert_eq!(keys, ["S1", "row3+", "row3"]);
    let titles: Vec<&str> = essays.column("title").to_vec();
    assert_eq!(titles, ["a_rows 第2行", "a_rows 第3行", "a_rows 第5行"]);

    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .arg(d.join("b_quote.csv"))
        .arg(d.join("c_cut.csv"))
        .arg(d.join("d_header.csv"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let files = Csv::read(&out.path().join("files.csv"));
    let quote = file_row(&files, "b_quote.csv");
    assert_eq!(quote["status"], "repaired");
    assert!(
        quote["message"]
            .contains("a quote opened in row 3 is never closed: the 3 line(s) after it"),
        "{}",
        quote["message"]
    );
    assert!(
        stderr.contains("b_quote.csv is damaged but was read"),
        "{stderr}"
    );
    let cut = file_row(&files, "c_cut.csv");
    assert_eq!(cut["status"], "repaired");
    assert!(
        cut["message"].contains("the last character is cut short"),
        "{}",
        cut["message"]
    );
    let header = file_row(&files, "d_header.csv");
    assert_eq!(
        (header["status"], header["message"]),
        (
            "skipped",
            "the spreadsheet has a header row but no row under it"
        )
    );
    // The quote's essay holds the rows it swallowed: two essays from b_quote.csv, one from c_cut.
    let essays = Csv::read(&out.path().join("essays.csv"));
    assert_eq!(essays.rows.len(), 3);
}

#[test]
fn office_files_named_as_text_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "old.txt",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
    );
    write(d, "zipped.txt", b"PK\x03\x04\x14\x00\x00\x00");
    write(d, "ok.txt", SIMPLIFIED.as_bytes());
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .arg(d)
        .assert()
        .code(1);
    let files = Csv::read(&out.path().join("files.csv"));
    for (name, reason) in [
        (
            "old.txt",
            "an old Office document (.doc, .xls or .wps, not text)",
        ),
        (
            "zipped.txt",
            "a zip archive, not text (a .docx or .xlsx renamed?)",
        ),
    ] {
        let row = file_row(&files, name);
        assert_eq!(row["status"], "skipped", "{name}");
        assert!(
            row["message"].starts_with(reason),
            "{name}: {}",
            row["message"]
        );
    }
}

#[test]
fn user_dictionary_and_stopword_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "essay.txt",
        "社区设立核酸采样点。核酸采样点排起长队。".as_bytes(),
    );
    write(
        dir.path(),
        "dict.txt",
        "\u{FEFF}核酸采样点 50 n\n坏行 不是数字\n".as_bytes(),
    );
    write(dir.path(), "stop.txt", "# 我的停用词\n排起\n".as_bytes());
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .arg("analyze")
        .arg(dir.path().join("essay.txt"))
        .arg("--user-dict")
        .arg(dir.path().join("dict.txt"))
        .arg("--stopwords")
        .arg(dir.path().join("stop.txt"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("dict.txt: line 2 skipped"), "{stderr}");
    let freq = Csv::read(&out.path().join("word_freq.csv"));
    let rec = freq.records();
    let row = rec
        .iter()
        .find(|r| r["word"] == "核酸采样点")
        .expect("user word kept whole");
    assert_eq!((row["count"], row["pos"]), ("2", "n"));
    let keywords = Csv::read(&out.path().join("keywords.csv"));
    assert!(!keywords.column("word").contains(&"排起"));
}

#[test]
fn errors_name_what_is_wrong() {
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "no/such/folder", "-o"])
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "skipped no/such/folder: no such file or folder",
        ))
        .stderr(predicates::str::contains(
            "no essay text found in no/such/folder",
        ));
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written on error"
    );
    // Files were given and none could be used: the error says so, not "give .txt files".
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.txt", b"");
    write(dir.path(), "binary.txt", b"\x00\x01\x02\x03\x00\x00\xff");
    let failed = || {
        let assert = wenxi()
            .args(["analyze", "-o"])
            .arg(out.path())
            .arg(dir.path())
            .assert()
            .code(2);
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    };
    let stderr = failed();
    assert!(
        stderr.contains("everything given was skipped (the reasons are above)"),
        "{stderr}"
    );
    assert!(!stderr.contains("give .txt files"), "{stderr}");
    assert!(
        stderr.contains("skipped") && stderr.contains("empty.txt"),
        "{stderr}"
    );
    // With a file not read beside them, both are said.
    write(dir.path(), "scores.csv", b"x,y\n1,2\n");
    let stderr = failed();
    assert!(stderr.contains("everything given was skipped"), "{stderr}");
    assert!(stderr.contains("1 file(s) that were not read"), "{stderr}");
    assert!(
        stderr.contains("scores.csv") && !stderr.contains("give .txt files"),
        "{stderr}"
    );
    wenxi()
        .args(["analyze", "corpus", "--encoding", "klingon"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown encoding 'klingon'"));
    wenxi()
        .args(["analyze", "corpus", "--split-regex", "(["])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid --split-regex"));
    wenxi()
        .args(["analyze", "corpus", "--user-dict", "no-such-dict.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cannot read user dictionary no-such-dict.txt",
        ));
    // Each cause is said once: the message, then the operating system's reason.
    let out = wenxi()
        .args(["analyze", "corpus", "--user-dict", "no-such-dict.txt"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
    // An output "folder" that is a file is refused, and the file is left alone.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reports");
    std::fs::write(&file, "mine").unwrap();
    wenxi()
        .args(["analyze", "corpus", "-o"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is a file; give another folder with -o",
        ));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn the_output_folder_keeps_other_files_and_parquet_works() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    wenxi()
        .args(["analyze", "corpus", "--format", "parquet", "-o"])
        .arg(out.path())
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).unwrap(),
        "mine"
    );
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "charts",
            "clusters.parquet",
            "essay_word_freq.parquet",
            "essays.parquet",
            "files.parquet",
            "index.html",
            "keywords.parquet",
            "markers.parquet",
            "notes.txt",
            "reuse.parquet",
            "reuse_groups.parquet",
            "run.json",
            "similarity.parquet",
            "structure.parquet",
            "themes.parquet",
            "word_freq.parquet"
        ]
    );
    let bytes = std::fs::read(out.path().join("essays.parquet")).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));

    // A second run into the same folder, as CSV and without themes, charts or page: the first
    // run's reports go (its run.json lists them), a killed run's temporary file goes, and the
    // user's own file stays.
    std::fs::write(out.path().join(".wenxi-killed.tmp"), "partial").unwrap();
    wenxi()
        .args([
            "analyze",
            "corpus",
            "--no-themes",
            "--no-charts",
            "--no-html",
            "-o",
        ])
        .arg(out.path())
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with(".parquet") && !n.ends_with(".tmp")),
        "{names:?}"
    );
    assert!(!names.contains(&"themes.csv".to_owned()) && !names.contains(&"index.html".to_owned()));
    assert!(names.contains(&"notes.txt".to_owned()) && names.contains(&"essays.csv".to_owned()));
    let charts = out.path().join("charts");
    assert!(!charts.exists() || std::fs::read_dir(&charts).unwrap().next().is_none());
    let run = std::fs::read_to_string(out.path().join("run.json")).unwrap();
    assert!(run.contains("\"essays.csv\"") && run.contains("epidemic-community-essays.txt"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_non_utf8_names() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "essays/one.txt",
        "社区居民互相帮助。".as_bytes(),
    );
    std::os::unix::fs::symlink(dir.path().join("essays"), dir.path().join("essays/loop")).unwrap();
    let odd = std::ffi::OsStr::from_bytes(b"essays/\xFFname.txt");
    std::fs::write(dir.path().join(odd), "名字不是UTF-8的文件。".as_bytes()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .arg("analyze")
        .arg(dir.path().join("essays"))
        .arg("-o")
        .arg(out.path())
        .timeout(std::time::Duration::from_secs(60))
        .assert();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("symbolic link loop"), "{stderr}");
    let essays = Csv::read(&out.path().join("essays.csv"));
    // The byte that is not UTF-8 is written out, so that two such names never read the same.
    assert_eq!(essays.column("title"), ["one", "\\xFFname"]);
}

/// Han characters of a text, counted here rather than by wenxi.
fn han(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count()
}

#[test]
fn damaged_files_are_read_with_a_warning_and_odd_entries_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // One stray NUL in UTF-8 text.
    let mut nul = SIMPLIFIED.as_bytes().to_vec();
    nul.insert(12, 0);
    write(d, "a_nul.txt", &nul);
    // GBK cut one byte short, inside its last character (。).
    let gbk = GBK.encode(SIMPLIFIED).0;
    write(d, "b_cut.txt", &gbk[..gbk.len() - 1]);
    // UTF-8 lines, then a GBK one: two sources pasted together.
    let second = "第二部分从另一个网页复制，用的是国标码。\n";
    let mut mixed = format!("{SIMPLIFIED}\n").into_bytes();
    mixed.extend_from_slice(&GBK.encode(second).0);
    write(d, "c_mixed.txt", &mixed);
    // wenxi's own report folder, with a text file in it, is not input.
    write(d, "reports/run.json", b"{}");
    write(d, "reports/notes.txt", SIMPLIFIED.as_bytes());
    // A FIFO named like a text file would block a reader forever.
    let fifo = d.join("d_fifo.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let has_fifo = made.is_ok_and(|s| s.success());

    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .arg(d)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for name in ["a_nul.txt", "b_cut.txt", "c_mixed.txt"] {
        assert!(
            stderr.contains(&format!("{name} is damaged but was read")),
            "{name}: {stderr}"
        );
    }
    let files = Csv::read(&out.path().join("files.csv"));
    let row = |name: &str| file_row(&files, name);
    let nul_row = row("a_nul.txt");
    assert_eq!(
        (nul_row["status"], nul_row["encoding"]),
        ("repaired", "UTF-8")
    );
    assert_eq!(nul_row["message"], "1 stray NUL byte(s) removed");
    let cut = row("b_cut.txt");
    assert_eq!((cut["status"], cut["encoding"]), ("repaired", "GBK"));
    assert!(cut["message"].contains("cut short"), "{}", cut["message"]);
    let mixed_row = row("c_mixed.txt");
    assert_eq!(
        (mixed_row["status"], mixed_row["encoding"]),
        ("repaired", "mixed")
    );
    assert!(mixed_row["message"].contains("1 line(s) of UTF-8 and 1 of gb18030"));
    let reports = row("reports");
    assert_eq!(reports["status"], "not read");
    assert!(reports["message"].contains("wenxi report folder"));
    assert!(files
        .records()
        .iter()
        .all(|r| !r["path"].ends_with("notes.txt")));
    if has_fifo {
        let fifo = row("d_fifo.txt");
        assert_eq!(fifo["status"], "skipped");
        assert!(fifo["message"].contains("not a regular file"));
    }

    // Nothing of the text is lost: Han characters as counted in the source strings (the cut
    // file loses only its last, non-Han character).
    let essays = Csv::read(&out.path().join("essays.csv"));
    let han_of = |name: &str| -> usize {
        essays
            .records()
            .iter()
            .filter(|r| r["source"].ends_with(name))
            .map(|r| r["han_characters"].parse::<usize>().unwrap())
            .sum()
    };
    assert_eq!(han_of("a_nul.txt"), han(SIMPLIFIED));
    assert_eq!(han_of("b_cut.txt"), han(SIMPLIFIED));
    assert_eq!(han_of("c_mixed.txt"), han(SIMPLIFIED) + han(second));
}

#[test]
fn other_files_in_folders_are_listed_as_not_read_and_include_takes_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.txt", SIMPLIFIED.as_bytes());
    write(d, "b.png", b"\x89PNG\r\n\x1a\n");
    let long = SIMPLIFIED.repeat(2);
    let sheet = format!("姓名,作文\n张三,{long}\n李四,{long}\n");
    write(d, "c.csv", sheet.as_bytes());
    write(d, "~$d.docx", b"lock");
    let out = tempfile::tempdir().unwrap();
    // Not a failure: every file that is input was read.
    let assert = wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .arg(d)
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("3 other file(s) in the folders were not read"),
        "{stderr}"
    );
    let files = Csv::read(&out.path().join("files.csv"));
    for (name, reason) in [
        ("b.png", "not a .txt, .md, .docx or .doc file"),
        ("c.csv", "--include '*.csv'"),
        ("~$d.docx", "Office lock file"),
    ] {
        let row = file_row(&files, name);
        assert_eq!(row["status"], "not read", "{name}");
        // Its size, as for a file read.
        let size = std::fs::metadata(d.join(name)).unwrap().len();
        assert_eq!(row["bytes"], size.to_string(), "{name}");
        assert!(
            row["message"].contains(reason),
            "{name}: {}",
            row["message"]
        );
    }
    assert_eq!(Csv::read(&out.path().join("essays.csv")).rows.len(), 1);

    // --include takes the spreadsheet in, one essay a row.
    wenxi()
        .args([
            "analyze",
            "--no-charts",
            "--no-html",
            "--include",
            "*.CSV",
            "-o",
        ])
        .arg(out.path())
        .arg(d)
        .assert()
        .code(0);
    let files = Csv::read(&out.path().join("files.csv"));
    assert_eq!(file_row(&files, "c.csv")["status"], "ok");
    let essays = Csv::read(&out.path().join("essays.csv"));
    assert_eq!(essays.rows.len(), 3);
    assert_eq!(essays.column("姓名"), ["", "张三", "李四"]);
}

/// A folder with no text file but a spreadsheet (a teacher's class sheet saved beside nothing
/// else): the run finds no essay, writes no files.csv to look the reasons up in, so the error
/// itself names the files it did not read and how to take them in.
#[test]
fn a_folder_of_only_files_not_read_names_them_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let long = SIMPLIFIED.repeat(2);
    let sheet = format!("姓名,作文\n张三,{long}\n");
    write(d, "class.csv", sheet.as_bytes());
    write(d, "photo.png", b"\x89PNG\r\n\x1a\n");
    for command in ["analyze", "kwic", "ngrams"] {
        let out = tempfile::tempdir().unwrap();
        let mut args = vec![command];
        if command == "kwic" {
            args.push("社区");
        }
        let assert = wenxi()
            .args(&args)
            .arg(d)
            .arg("-o")
            .arg(out.path())
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains("no essay text found in"),
            "{command}: {stderr}"
        );
        assert!(
            stderr.contains("the folders hold 2 file(s) that were not read"),
            "{command}: {stderr}"
        );
        for named in ["class.csv", "--include '*.csv'", "photo.png"] {
            assert!(stderr.contains(named), "{command}: {named} in {stderr}");
        }
        // It does not point at a files.csv that was not written.
        assert!(!stderr.contains("files.csv lists"), "{command}: {stderr}");
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{command}"
        );
    }
    // Named on the command line, the sheet is read.
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .arg(d.join("class.csv"))
        .assert()
        .code(0);
    assert_eq!(Csv::read(&out.path().join("essays.csv")).rows.len(), 1);
}

#[test]
fn a_run_that_fails_half_way_leaves_the_previous_reports_whole() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", SIMPLIFIED.as_bytes());
    write(
        dir.path(),
        "b.txt",
        "春天来了，社区的花开了。居民们在花园里散步。".as_bytes(),
    );
    let out = tempfile::tempdir().unwrap();
    wenxi()
        .args(["analyze", "--no-html", "-q", "-o"])
        .arg(out.path())
        .arg(dir.path())
        .assert()
        .success();
    let before: Vec<(String, Vec<u8>)> = ["essays.csv", "word_freq.csv", "essay_word_freq.csv"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(out.path().join(n)).unwrap()))
        .collect();
    // The charts cannot be written (their folder is now a file), after the tables were.
    std::fs::remove_dir_all(out.path().join("charts")).unwrap();
    std::fs::write(out.path().join("charts"), "in the way").unwrap();
    let assert = wenxi()
        .args(["analyze", "--no-html", "-q", "-o"])
        .arg(out.path())
        .arg(dir.path().join("a.txt"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(stderr.contains("charts"), "{stderr}");
    for (name, bytes) in before {
        assert!(
            std::fs::read(out.path().join(&name)).unwrap() == bytes,
            "{name} was changed by the failed run"
        );
    }
    let temporaries: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".wenxi"))
        .collect();
    assert!(temporaries.is_empty(), "{temporaries:?}");
}

/// Results that cannot be printed (standard output a full device) are said to be that, not a
/// full output folder: `structure` writes no report.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_named() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("wenxi"))
        .args(["structure"])
        .arg(common::repo().join("corpus"))
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot write the results to standard output"),
        "{stderr}"
    );
    assert!(!stderr.contains("-o"), "{stderr}");
}

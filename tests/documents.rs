//! Essays as teachers have them: a CSV (GBK, as Excel saves it on Chinese Windows), an Excel
//! workbook and Word documents, each checked against the same text read as a plain .txt file.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

mod common;

use common::{analyze_tables, wenxi, write_docx, Csv};

const ESSAYS: [(&str, &str, &str, &str); 3] = [
    (
        "一班",
        "张三",
        "我的妈妈",
        "我的妈妈是一名社区医生。疫情期间，她每天早出晚归，为居民检测体温。\n我为她感到骄傲。",
    ),
    (
        "一班",
        "李四",
        "难忘的春节",
        "那个春节，我们没有走亲访友。社区的志愿者给我们送来了蔬菜和口罩，让我很感动。",
    ),
    (
        "二班",
        "王五",
        "抗疫英雄",
        "抗疫英雄们逆行而上，守护着我们的城市。我要向他们学习，努力读书，将来报效祖国。",
    ),
];

/// `wenxi analyze INPUT… -o DIR` (no charts or page); returns essays.csv and the stderr.
fn analyze(inputs: &[&Path], extra: &[&str]) -> (Csv, String, tempfile::TempDir) {
    let (out, stderr) = analyze_tables(inputs, extra);
    (Csv::read(&out.path().join("essays.csv")), stderr, out)
}

/// The word counts of each text read as a .txt file of its own: the other route.
fn words_of_plain_texts() -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for (i, (_, _, _, text)) in ESSAYS.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.txt")), text).unwrap();
    }
    let (essays, _, _) = analyze(&[dir.path()], &[]);
    essays
        .column("words")
        .iter()
        .map(|w| w.to_string())
        .collect()
}

fn check_sheet(essays: &Csv, plain: &[String]) {
    assert_eq!(essays.rows.len(), 3);
    let rows = essays.records();
    for (row, ((class, student, title, _), words)) in rows.iter().zip(ESSAYS.iter().zip(plain)) {
        assert_eq!(row["title"], *title);
        assert_eq!(row["班级"], *class);
        assert_eq!(row["姓名"], *student);
        assert_eq!(&row["words"], words, "{title}");
    }
    let scores: Vec<&str> = rows.iter().map(|r| r["分数"]).collect();
    assert_eq!(scores, ["85", "92", "78"]);
}

fn csv_text() -> String {
    let mut text = String::from("班级,姓名,题目,作文,分数\r\n");
    for ((class, student, title, essay), score) in ESSAYS.iter().zip(["85", "92", "78"]) {
        text.push_str(&format!(
            "{class},{student},{title},\"{}\",{score}\r\n",
            essay.replace('"', "\"\"")
        ));
    }
    text
}

#[test]
fn a_gbk_csv_is_one_essay_a_row_with_its_columns() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("作文.csv");
    let text = csv_text();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(&path, &gbk).unwrap();
    let (essays, stderr, out) = analyze(&[&path], &[]);
    check_sheet(&essays, &plain);
    // The text column was found by its content, and the run says so.
    assert!(stderr.contains("作文 (D), found by its text"), "{stderr}");
    let files = Csv::read(&out.path().join("files.csv"));
    assert_eq!(files.column("encoding"), ["GBK"]);
    // Named by letter, the same.
    let (named, _, _) = analyze(&[&path], &["--text-column", "D", "--title-column", "题目"]);
    assert_eq!(named.rows, essays.rows);
    // A column that is not there is a clear error naming the columns.
    let assert = wenxi()
        .arg("analyze")
        .arg(&path)
        .args(["--text-column", "正文", "-q", "-o"])
        .arg(dir.path().join("out"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(stderr.contains("no column \"正文\""), "{stderr}");
    assert!(stderr.contains("班级, 姓名, 题目, 作文, 分数"), "{stderr}");
}

/// A minimal workbook: one sheet of inline strings, as the OOXML standard allows.
fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    write_xlsx_at(path, rows, 1, 0);
}

/// [`write_xlsx`] with the first row at row `top` (from 1) and column `left` (0 for A); an
/// empty row is a blank row of the sheet.
fn write_xlsx_at(path: &Path, rows: &[Vec<String>], top: usize, left: usize) {
    write_workbook(
        path,
        &[Worksheet {
            name: "Sheet1",
            hidden: false,
            rows: rows.to_vec(),
            top,
            left,
            merged: &[],
        }],
    );
}

/// A worksheet of [`write_workbook`].
struct Worksheet<'a> {
    name: &'a str,
    hidden: bool,
    rows: Vec<Vec<String>>,
    top: usize,
    left: usize,
    /// Merged ranges, as Excel writes them (`A2:A3`).
    merged: &'a [&'a str],
}

/// A minimal workbook of inline strings, as the OOXML standard allows, its sheets in order.
fn write_workbook(path: &Path, sheets: &[Worksheet<'_>]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options: zip::write::SimpleFileOptions = Default::default();
    let mut put = |name: &str, body: &str| {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    let overrides: String = (1..=sheets.len())
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#))
        .collect();
    put(
        "[Content_Types].xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
        ),
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    let entries: String = sheets
        .iter()
        .enumerate()
        .map(|(i, sheet)| {
            let state = if sheet.hidden {
                r#" state="hidden""#
            } else {
                ""
            };
            format!(
                r#"<sheet name="{}" sheetId="{}" r:id="rId{}"{state}/>"#,
                sheet.name,
                i + 1,
                i + 1
            )
        })
        .collect();
    put(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{entries}</sheets></workbook>"#
        ),
    );
    let relations: String = (1..=sheets.len())
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
        .collect();
    put(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relations}</Relationships>"#
        ),
    );
    for (i, worksheet) in sheets.iter().enumerate() {
        let mut sheet = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in worksheet.rows.iter().enumerate() {
            let r = r + worksheet.top - 1;
            sheet.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, cell) in row.iter().enumerate() {
                let at = format!("{}{}", (b'A' + (c + worksheet.left) as u8) as char, r + 1);
                if cell.is_empty() {
                    continue;
                } else if let Ok(number) = cell.parse::<f64>() {
                    sheet.push_str(&format!("<c r=\"{at}\"><v>{number}</v></c>"));
                } else {
                    let escaped = cell.replace('&', "&amp;").replace('<', "&lt;");
                    sheet.push_str(&format!(
                        "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{escaped}</t></is></c>"
                    ));
                }
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData>");
        if !worksheet.merged.is_empty() {
            sheet.push_str(&format!(
                "<mergeCells count=\"{}\">",
                worksheet.merged.len()
            ));
            for range in worksheet.merged {
                sheet.push_str(&format!("<mergeCell ref=\"{range}\"/>"));
            }
            sheet.push_str("</mergeCells>");
        }
        sheet.push_str("</worksheet>");
        put(&format!("xl/worksheets/sheet{}.xml", i + 1), &sheet);
    }
    zip.finish().unwrap();
}

/// A class's workbook as teachers keep it: instructions first, a hidden template, a sheet a
/// class, the class named once in a cell merged down its rows. Every visible sheet's essays
/// are read, each with its sheet, the class filled down the merge; the template and the
/// instructions are not essays. Checked against the texts read as .txt files.
#[test]
fn every_visible_sheet_of_a_workbook_is_read() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("classes.xlsx");
    let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let header = row(&["班级", "姓名", "题目", "作文", "分数"]);
    let essay = |i: usize, class: &str| {
        let (_, student, title, text) = ESSAYS[i];
        row(&[class, student, title, text, ["85", "92", "78"][i]])
    };
    let template = "请在这里填写作文全文，每位同学一行，不要改动表头，不要合并单元格，谢谢配合。";
    write_workbook(
        &path,
        &[
            Worksheet {
                name: "说明",
                hidden: false,
                rows: vec![row(&["填表说明：请在各班的表中填写，每行一篇。"])],
                top: 1,
                left: 0,
                merged: &[],
            },
            Worksheet {
                name: "模板",
                hidden: true,
                rows: vec![header.clone(), row(&["", "", "", template, ""])],
                top: 1,
                left: 0,
                merged: &[],
            },
            Worksheet {
                name: "一班",
                hidden: false,
                rows: vec![header.clone(), essay(0, "一班"), essay(1, "")],
                top: 1,
                left: 0,
                merged: &["A2:A3"],
            },
            Worksheet {
                name: "二班",
                hidden: false,
                rows: vec![header, essay(2, "二班")],
                top: 1,
                left: 0,
                merged: &[],
            },
        ],
    );
    let (essays, stderr, _) = analyze(&[&path], &[]);
    check_sheet(&essays, &plain);
    assert_eq!(essays.column("sheet"), ["一班", "一班", "二班"], "{stderr}");
    let keys: std::collections::HashSet<String> = essays
        .column("essay_key")
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(stderr.contains("not read: sheet 说明"), "{stderr}");
    assert!(!stderr.contains("模板"), "{stderr}");
}

#[test]
fn an_excel_workbook_is_one_essay_a_row() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("class.xlsx");
    write_xlsx(&path, &class_rows());
    let (essays, _, _) = analyze(&[&path], &[]);
    check_sheet(&essays, &plain);
}

/// The header and the rows of [`ESSAYS`] as a class sheet: class, student, title, essay, score.
fn class_rows() -> Vec<Vec<String>> {
    let mut rows = vec![["班级", "姓名", "题目", "作文", "分数"]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
    for ((class, student, title, essay), score) in ESSAYS.iter().zip(["85", "92", "78"]) {
        rows.push(
            [*class, *student, *title, *essay, score]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
    }
    rows
}

#[test]
fn a_workbook_keeps_its_row_numbers_and_column_letters() {
    // The table starts at B2; row 4 is blank; two headers repeat and one is blank.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("class.xlsx");
    let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let rows = vec![
        row(&["学号", "作文", "分数", "分数", ""]),
        row(&["S1", ESSAYS[0].3, "85", "90", "甲"]),
        Vec::new(),
        row(&["S2", ESSAYS[1].3, "78", "80", "乙"]),
    ];
    write_xlsx_at(&path, &rows, 2, 1);
    // Column C is the essays' column, as Excel names it.
    let (essays, _, _) = analyze(&[&path], &["--text-column", "C"]);
    let records = essays.records();
    let titles: Vec<&str> = records.iter().map(|r| r["title"]).collect();
    assert_eq!(titles, ["class 第3行", "class 第5行"]);
    // Every column's cells are kept: the repeated name gets its letter, the blank one is named
    // by its letter.
    let cells: Vec<[&str; 4]> = records
        .iter()
        .map(|r| [r["学号"], r["分数"], r["分数 (E)"], r["F"]])
        .collect();
    assert_eq!(cells, [["S1", "85", "90", "甲"], ["S2", "78", "80", "乙"]]);
}

#[test]
fn a_title_row_above_a_workbook_header_is_not_the_header() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("class.xlsx");
    let mut rows = vec![vec!["初二(3)班 期末作文".to_string()]];
    rows.extend(class_rows());
    write_xlsx(&path, &rows);
    let (essays, stderr, _) = analyze(&[&path], &[]);
    // The same essays, titles and columns as without the title row.
    check_sheet(&essays, &plain);
    assert!(
        stderr
            .contains("row 1 (初二(3)班 期末作文) taken as the sheet's title, row 2 as its header"),
        "{stderr}"
    );
}

#[test]
fn word_documents_in_a_folder_are_read() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    for (i, (_, _, title, essay)) in ESSAYS.iter().enumerate() {
        let mut paragraphs = vec![*title];
        paragraphs.extend(essay.lines());
        write_docx(&dir.path().join(format!("{i}.docx")), &paragraphs, 3, false);
    }
    let (essays, _, out) = analyze(&[dir.path()], &[]);
    assert_eq!(essays.rows.len(), 3);
    let rows = essays.records();
    let titles: Vec<&str> = rows.iter().map(|r| r["title"]).collect();
    // The short first line of each document is its title, not a paragraph.
    assert_eq!(titles, ["我的妈妈", "难忘的春节", "抗疫英雄"]);
    let words: Vec<String> = rows.iter().map(|r| r["words"].to_string()).collect();
    assert_eq!(words, plain);
    let files = Csv::read(&out.path().join("files.csv"));
    let encodings: HashMap<&str, usize> =
        files
            .column("encoding")
            .iter()
            .fold(HashMap::new(), |mut m, e| {
                *m.entry(*e).or_default() += 1;
                m
            });
    assert_eq!(encodings["DOCX"], 3);
    // A .docx renamed .txt is not read as text.
    std::fs::copy(dir.path().join("0.docx"), dir.path().join("renamed.txt")).unwrap();
    let assert = wenxi()
        .arg("analyze")
        .arg(dir.path().join("renamed.txt"))
        .args(["-q", "-o"])
        .arg(dir.path().join("out"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(stderr.contains("renamed.txt"), "{stderr}");
}

#[test]
fn groups_by_a_column_sum_to_their_essays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("作文.csv");
    std::fs::write(&path, csv_text()).unwrap();
    let (essays, _, out) = analyze(&[&path], &["--group-by", "班级"]);
    let groups = Csv::read(&out.path().join("groups.csv"));
    assert_eq!(groups.column("group"), ["一班", "二班"]);
    // By another route: essays.csv's words summed and averaged by its 班级 column.
    for g in groups.records() {
        let words: Vec<f64> = essays
            .records()
            .iter()
            .filter(|e| e["班级"] == g["group"])
            .map(|e| e["words"].parse().unwrap())
            .collect();
        assert_eq!(g["essays"], words.len().to_string());
        assert_eq!(g["words"], (words.iter().sum::<f64>() as u64).to_string());
        let mean: f64 = g["mean_words"].parse().unwrap();
        assert!((mean - words.iter().sum::<f64>() / words.len() as f64).abs() < 1e-6);
    }
    // A column no essay has is said.
    let (_, stderr, _) = analyze(&[&path], &["--group-by", "年级"]);
    assert!(
        stderr.contains("no essay has a column \"年级\""),
        "{stderr}"
    );
}

/// A class's essays compiled into one Word document as teachers do it: each essay's title in
/// the built-in style 标题 1 (id `1`, named `heading 1` in styles.xml) on a new page. Each is an
/// essay, with the words of its text read as a .txt file; the same headings without page
/// breaks (the sections of one essay, as far as anyone can tell) keep the document whole.
#[test]
fn a_compiled_word_document_is_cut_at_its_headings_on_new_pages() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    // forms: 0 none, 1 a table above each title and a score table under each text, 2 a line
    // of fields above each title (the first without a page break before it).
    let write = |name: &str, breaks: bool, forms: u8| {
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let options: zip::write::SimpleFileOptions = Default::default();
        let paragraph = |style: Option<&str>, text: &str| {
            let style = style.map_or(String::new(), |s| {
                format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")
            });
            format!("<w:p>{style}<w:r><w:t>{text}</w:t></w:r></w:p>")
        };
        let mut body = paragraph(None, "三年级一班作文集");
        for (i, (class, student, title, text)) in ESSAYS.iter().enumerate() {
            if breaks && i > 0 {
                body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
            }
            // The page break, then the form, then the title; a score table at the end.
            match forms {
                1 => body.push_str(&table(&[&["班级", class, "姓名", student]])),
                2 => body.push_str(&paragraph(None, &format!("班级：{class}  姓名：{student}"))),
                _ => {}
            }
            body.push_str(&paragraph(Some("1"), title));
            for line in text.lines() {
                body.push_str(&paragraph(None, line));
            }
            if forms == 1 {
                body.push_str(&table(&[&["得分", &format!("9{i}")]]));
            }
        }
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).as_bytes()).unwrap();
        zip.start_file("word/styles.xml", options).unwrap();
        zip.write_all(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style></w:styles>"#.as_bytes()).unwrap();
        zip.finish().unwrap();
        path
    };
    let compiled = write("作文集.docx", true, 0);
    let (essays, stderr, _) = analyze(&[&compiled], &[]);
    let titles: Vec<&str> = essays.column("title");
    // The cover line is no essay.
    assert_eq!(titles, ["我的妈妈", "难忘的春节", "抗疫英雄"], "{stderr}");
    let words: Vec<&str> = essays.column("words");
    assert_eq!(words, plain.iter().map(String::as_str).collect::<Vec<_>>());
    let whole = write("一篇.docx", false, 0);
    let (essays, _, _) = analyze(&[&whole], &[]);
    assert_eq!(essays.rows.len(), 1);
    // Each essay's form (after the page break, above its title) and score (below its text)
    // are its own, and their text is no essay's.
    for (name, forms) in [("表格作文集.docx", 1), ("行作文集.docx", 2)] {
        let (essays, stderr, _) = analyze(&[&write(name, true, forms)], &[]);
        assert_eq!(
            essays.column("title"),
            ["我的妈妈", "难忘的春节", "抗疫英雄"],
            "{name}: {stderr}"
        );
        assert_eq!(
            essays.column("words"),
            plain.iter().map(String::as_str).collect::<Vec<_>>(),
            "{name}"
        );
        assert_eq!(essays.column("班级"), ["一班", "一班", "二班"], "{name}");
        assert_eq!(essays.column("姓名"), ["张三", "李四", "王五"], "{name}");
        if forms == 1 {
            assert_eq!(essays.column("得分"), ["90", "91", "92"]);
        }
    }
}

/// A Word document of the body `xml` (WordprocessingML inside `<w:body>`).
fn write_docx_body(path: &Path, xml: &str) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{xml}</w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap();
}

fn paragraph(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A table of `rows`, each cell one paragraph.
fn table(rows: &[&[&str]]) -> String {
    let mut xml = String::from("<w:tbl><w:tblPr/>");
    for row in rows {
        xml.push_str("<w:tr>");
        for cell in *row {
            xml.push_str(&format!("<w:tc><w:tcPr/>{}</w:tc>", paragraph(cell)));
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
    xml
}

/// Essays in Word under the form a school prints above them (班级 and 姓名 beside their values,
/// after a colon in a cell, spaced out as `姓  名：`, or a row of labels over a row of values):
/// the form's fields are the essay's 班级 and 姓名, and its text is no part of the essay (the
/// words are those of the same text read as a .txt file). A table of sentences is read as text,
/// and `--group-by 班级` groups the documents by their forms.
#[test]
fn a_word_documents_form_is_its_metadata() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    for (i, (class, student, title, essay)) in ESSAYS.iter().enumerate() {
        let (class_cell, student_cell) = (format!("班级：{class}"), format!("姓  名：{student}"));
        let form = match i {
            0 => table(&[
                &["班级", class, "姓名", student],
                &["得分", "", "评卷人", ""],
            ]),
            1 => table(&[&[&class_cell, &student_cell]]),
            _ => table(&[&["班 级", "姓 名", "学号"], &[class, student, "07"]]),
        };
        let mut xml = form + &paragraph(title);
        for line in essay.lines() {
            xml.push_str(&paragraph(line));
        }
        write_docx_body(&dir.path().join(format!("{i}.docx")), &xml);
    }
    let (essays, _, out) = analyze(&[dir.path()], &["--group-by", "班级"]);
    let rows = essays.records();
    assert_eq!(rows.len(), 3);
    for (row, ((class, student, title, _), words)) in rows.iter().zip(ESSAYS.iter().zip(&plain)) {
        assert_eq!(row["title"], *title);
        assert_eq!(row["班级"], *class);
        assert_eq!(row["姓名"], *student);
        assert_eq!(&row["words"], words, "{title}");
    }
    assert_eq!(rows[2]["学号"], "07");
    assert_eq!(rows[0]["学号"], "");
    let files = Csv::read(&out.path().join("files.csv"));
    assert!(
        files.column("message")[0].contains("form fields read as metadata: 班级, 姓名"),
        "{:?}",
        files.column("message")
    );
    let groups = Csv::read(&out.path().join("groups.csv"));
    assert_eq!(groups.column("group"), ["一班", "二班"]);
    assert_eq!(groups.column("essays"), ["2", "1"]);

    // A table of sentences is the essay's text: its words are counted, as in the .txt.
    let (_, _, _, essay) = ESSAYS[0];
    let sentences = "春天来了，花都开了。";
    let text_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        text_dir.path().join("a.txt"),
        format!("{essay}\n{sentences}\n"),
    )
    .unwrap();
    let mut xml = String::new();
    for line in essay.lines() {
        xml.push_str(&paragraph(line));
    }
    xml.push_str(&table(&[&[sentences]]));
    let doc_dir = tempfile::tempdir().unwrap();
    write_docx_body(&doc_dir.path().join("a.docx"), &xml);
    let (from_txt, _, _) = analyze(&[text_dir.path()], &[]);
    let (from_docx, _, _) = analyze(&[doc_dir.path()], &[]);
    assert_eq!(from_docx.column("words"), from_txt.column("words"));
    assert!(!from_docx.records()[0].contains_key("班级"));
}

/// Typed essays often open with a line of the form's fields (`班级：一班  姓名：张三`), above or
/// under the title: the fields are the essay's metadata and the line is no part of it (the
/// words and title are those of the text without it).
#[test]
fn a_line_of_fields_atop_a_text_is_its_metadata() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    for (i, (class, student, title, essay)) in ESSAYS.iter().enumerate() {
        let text = match i {
            0 => format!("班级：{class}  姓名：{student}\n{title}\n{essay}\n"),
            1 => format!("{title}\n班级:{class} 姓 名:{student}\n{essay}\n"),
            _ => format!("{title}\n班级：{class}\n姓名：{student}\n{essay}\n"),
        };
        std::fs::write(dir.path().join(format!("{i}.txt")), text).unwrap();
    }
    let (essays, _, _) = analyze(&[dir.path()], &[]);
    let rows = essays.records();
    assert_eq!(rows.len(), 3);
    for (row, ((class, student, title, _), words)) in rows.iter().zip(ESSAYS.iter().zip(&plain)) {
        assert_eq!(row["title"], *title);
        assert_eq!(row["班级"], *class);
        assert_eq!(row["姓名"], *student);
        assert_eq!(&row["words"], words, "{title}");
    }
}

/// Old Word documents (`.doc`, Word 97–2003's format), written by LibreOffice 7.4 from Word
/// documents made as in `a_word_documents_form_is_its_metadata` (tests/fixtures/doc): each has
/// the words and title of its text read as a .txt file, its form's fields as 班级 and 姓名 (a
/// row of labels over a row of values too, whose rows only the cell marks tell apart), and a
/// table of sentences read as text. A compiled page saved as .doc (with a header and a footer,
/// which are no part of the text) gives the essays of the same page read as text.
#[test]
fn old_word_documents_are_read_as_their_text() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/doc");
    let plain = tempfile::tempdir().unwrap();
    for (i, (_, _, title, essay)) in ESSAYS.iter().enumerate() {
        let table = if i == 2 {
            "春天来了，花都开了。\n"
        } else {
            ""
        };
        std::fs::write(
            plain.path().join(format!("{i}.txt")),
            format!("{title}\n{essay}\n{table}"),
        )
        .unwrap();
    }
    let (from_txt, _, _) = analyze(&[plain.path()], &[]);
    let docs: Vec<std::path::PathBuf> = (0..3)
        .map(|i| fixtures.join(format!("form{i}.doc")))
        .collect();
    let docs: Vec<&Path> = docs.iter().map(|p| p.as_path()).collect();
    let (from_doc, _, out) = analyze(&docs, &[]);
    let rows = from_doc.records();
    assert_eq!(rows.len(), 3);
    for (row, (class, student, title, _)) in rows.iter().zip(ESSAYS.iter()) {
        assert_eq!(row["title"], *title);
        assert_eq!(row["班级"], *class);
        assert_eq!(row["姓名"], *student);
    }
    assert_eq!(rows[2]["学号"], "07");
    for column in [
        "lines",
        "characters",
        "han_characters",
        "tokens",
        "words",
        "types",
    ] {
        assert_eq!(from_doc.column(column), from_txt.column(column), "{column}");
    }
    let files = Csv::read(&out.path().join("files.csv"));
    assert_eq!(files.column("encoding"), ["DOC", "DOC", "DOC"]);

    let page = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/epidemic-community-essays.txt"),
    )
    .unwrap();
    std::fs::write(page.path().join("page.txt"), format!("{text}\n更多请看\n")).unwrap();
    let (from_txt, _, _) = analyze(&[page.path()], &[]);
    let (from_doc, _, _) = analyze(&[&fixtures.join("compiled-page.doc")], &[]);
    assert_eq!(from_doc.rows.len(), 10);
    for column in [
        "title",
        "lines",
        "characters",
        "han_characters",
        "tokens",
        "words",
        "types",
    ] {
        assert_eq!(from_doc.column(column), from_txt.column(column), "{column}");
    }

    // A .doc cut short, and a .docx named .doc, say what they are and what to do.
    let bad = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixtures.join("form0.doc")).unwrap();
    std::fs::write(bad.path().join("cut.doc"), &whole[..3000]).unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = wenxi()
        .args(["analyze", "-q", "--no-charts", "--no-html", "-o"])
        .arg(out.path())
        .arg(bad.path().join("cut.doc"))
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("cut.doc") && stderr.contains("save it as .docx"),
        "{stderr}"
    );
}

/// A page of several essays with their forms' lines: above each title (the writer, under the
/// essay before it), a score under each text; and the same essays signed under their text.
/// Each essay gets its own writer and score, and the words of its text alone.
#[test]
fn a_page_of_essays_with_lines_of_fields() {
    let plain = words_of_plain_texts();
    let dir = tempfile::tempdir().unwrap();
    let (mut above, mut under) = (String::new(), String::new());
    for (i, (class, student, _, essay)) in ESSAYS.iter().enumerate() {
        above.push_str(&format!(
            "姓名：{student}\n范文篇{}\n{essay}\n得分：4{i}\n",
            i + 1
        ));
        under.push_str(&format!(
            "范文篇{}\n{essay}\n班级：{class}  姓名：{student}\n",
            i + 1
        ));
    }
    std::fs::write(dir.path().join("a.txt"), above).unwrap();
    std::fs::write(dir.path().join("b.txt"), under).unwrap();
    let (essays, stderr, _) = analyze(&[dir.path()], &[]);
    let rows = essays.records();
    assert_eq!(rows.len(), 6, "{stderr}");
    for (k, row) in rows.iter().enumerate() {
        let (class, student, _, _) = ESSAYS[k % 3];
        assert_eq!(row["title"], format!("范文篇{}", k % 3 + 1));
        assert_eq!(row["姓名"], student, "{k}");
        assert_eq!(row["words"], plain[k % 3], "{k}");
        if k < 3 {
            assert_eq!(row["得分"], format!("4{k}"));
        } else {
            assert_eq!(row["班级"], class);
        }
    }
}

//! Chinese for the `status` and `message` columns of files.csv, as the Chinese page shows them.
//!
//! A message is parts joined by `"; "`, each made by the reader (`src/corpus/`) in English: each
//! part is matched against [`RULES`] and said again in Chinese, paths, encodings, column names
//! and numbers kept as they are. A part that no rule knows stays in English.

use std::sync::LazyLock;

use regex::{Captures, Regex};

/// The Chinese of a file's status in files.csv (`FileStatus::as_str`: "ok", "repaired", "skipped", "not read").
pub fn status(status: &str) -> String {
    match status {
        "ok" => "正常",
        "repaired" => "已修复",
        "skipped" => "已跳过",
        "not read" => "未读取",
        other => other,
    }
    .to_owned()
}

/// The Chinese of a message that the reader wrote for a file (files.csv's `message` column).
pub fn message(message: &str) -> String {
    message.split("; ").map(part).collect::<Vec<_>>().join("；")
}

/// The suffix of a spreadsheet's message when none of its rows held text.
const NO_ESSAY_TEXT: &str = ": no essay text";

/// One part of a message in Chinese, or as it is if no rule knows it.
fn part(text: &str) -> String {
    if let Some(zh) = translated(text) {
        return zh;
    }
    if let Some(zh) = text.strip_suffix(NO_ESSAY_TEXT).and_then(translated) {
        return format!("{zh}：没有文章正文");
    }
    text.to_owned()
}

/// The Chinese of the first rule that matches the whole of `text`.
fn translated(text: &str) -> Option<String> {
    RULES
        .iter()
        .find_map(|(pattern, zh)| pattern.captures(text).map(|c| zh(&c)))
}

/// Says a matched part in Chinese.
type Zh = fn(&Captures<'_>) -> String;

fn rule(pattern: &str, zh: Zh) -> (Regex, Zh) {
    (Regex::new(pattern).expect("valid regex"), zh)
}

/// Capture `i`, empty if it took no part in the match.
fn g<'h>(c: &Captures<'h>, i: usize) -> &'h str {
    c.get(i).map_or("", |m| m.as_str())
}

/// The parts of messages, in the order of the code that writes them.
static RULES: LazyLock<Vec<(Regex, Zh)>> = LazyLock::new(|| {
    vec![
        // walk.rs: paths given and files of folders.
        rule(r"^no such file or folder$", |_| {
            "没有这个文件或文件夹".into()
        }),
        rule(r"^cannot open: (.+)$", |c| format!("无法打开：{}", g(c, 1))),
        rule(r"^a wenxi report folder \(it has (.+)\): not read$", |c| {
            format!("wenxi 的报告文件夹（内有 {}）：未读取", g(c, 1))
        }),
        rule(
            r"^an Office lock file \(its document is open in Word or Excel\): not read$",
            |_| "Office 锁定文件（其文档正在 Word 或 Excel 中打开）：未读取".into(),
        ),
        rule(
            r"^not a regular file \(a FIFO, socket or device\): not read$",
            |_| "不是普通文件（是 FIFO、套接字或设备）：未读取".into(),
        ),
        rule(
            r"^not a regular file or folder \(a FIFO, socket or device\): not read$",
            |_| "既不是普通文件也不是文件夹（是 FIFO、套接字或设备）：未读取".into(),
        ),
        rule(r"^symbolic link loop: not followed$", |_| {
            "符号链接成环：未跟随".into()
        }),
        rule(
            r"^a spreadsheet in a folder \(it may be a report\): read when named on the command line or taken in with (--include '.*')$",
            |c| {
                format!(
                    "文件夹中的电子表格（可能是报告）：在命令行中直接指定或用 {} 纳入时才读取",
                    g(c, 1)
                )
            },
        ),
        rule(
            r"^not a \.txt, \.md or \.docx file: not read \(--include GLOB takes more\)$",
            |_| "不是 .txt、.md 或 .docx 文件：未读取（用 --include GLOB 可读取更多文件）".into(),
        ),
        // mod.rs, sheet.rs, docx.rs: files that cannot be read.
        rule(r"^cannot read: (.+)$", |c| format!("无法读取：{}", g(c, 1))),
        rule(r"^cannot read the workbook: (.+)$", |c| {
            format!("无法读取工作簿：{}", g(c, 1))
        }),
        rule(r"^the workbook has no worksheet$", |_| {
            "工作簿中没有工作表".into()
        }),
        rule(r"^cannot read its first worksheet: (.+)$", |c| {
            format!("无法读取其第一个工作表：{}", g(c, 1))
        }),
        rule(
            r"^not a Word document \(\.docx is a zip archive\): (.+)$",
            |c| format!("不是 Word 文档（.docx 应是 zip 压缩包）：{}", g(c, 1)),
        ),
        rule(
            r"^not a Word document: it has no word/document\.xml$",
            |_| "不是 Word 文档：其中没有 word/document.xml".into(),
        ),
        rule(r"^cannot read word/document\.xml: (.+)$", |c| {
            format!("无法读取 word/document.xml：{}", g(c, 1))
        }),
        rule(r"^damaged word/document\.xml: (.+)$", |c| {
            format!("word/document.xml 已损坏：{}", g(c, 1))
        }),
        // decode.rs: `DecodeError`, each of two or three parts.
        rule(
            r"^looks binary \(NUL bytes, no byte-order mark, not UTF-16 text\)$",
            |_| "看似二进制文件（含 NUL 字节，没有字节顺序标记，也不是 UTF-16 文本）".into(),
        ),
        rule(r"^if it is text, pass --encoding$", |_| {
            "如果是文本，请用 --encoding 指定编码".into()
        }),
        rule(
            r"^encoding not recognised as UTF-8, GBK/GB18030 or Big5 \(best guess: (.+)\)$",
            |c| {
                format!(
                    "未能识别为 UTF-8、GBK/GB18030 或 Big5 编码（最可能是 {}）",
                    g(c, 1)
                )
            },
        ),
        rule(r"^convert it to UTF-8 or pass --encoding$", |_| {
            "请将其转为 UTF-8，或用 --encoding 指定编码".into()
        }),
        rule(
            r"^not valid (.+): the file may be damaged or mix encodings$",
            |c| format!("不是有效的 {}：文件可能已损坏或混用了多种编码", g(c, 1)),
        ),
        rule(
            r"^pass --encoding (\S+) to read it anyway \(invalid bytes become U\+FFFD\)$",
            |c| {
                format!(
                    "可用 --encoding {} 强行读取（无效字节变为 U+FFFD）",
                    g(c, 1)
                )
            },
        ),
        // sheet.rs: the columns of a spreadsheet.
        rule(r#"^no column (".*") \((--[a-z-]+)\)$"#, |c| {
            format!("没有名为 {} 的列（{}）", g(c, 1), g(c, 2))
        }),
        rule(r"^the columns are: (.*)$", |c| {
            format!("现有的列：{}", g(c, 1))
        }),
        rule(
            r"^no column of long Chinese text \(at least (\S+) Han characters a cell\)$",
            |c| format!("没有长篇中文的列（平均每格至少 {} 个汉字）", g(c, 1)),
        ),
        rule(
            r"^name the essays' column with --text-column \(columns: (.*)\)$",
            |c| {
                format!(
                    "请用 --text-column 指定文章所在的列（现有的列：{}）",
                    g(c, 1)
                )
            },
        ),
        // mod.rs: a spreadsheet read (`from_sheet`).
        rule(
            r"^spreadsheet: (\d+) essays? from column (.*? \([A-Z]+\))(, found by its text)?(?:, titles from (.*? \([A-Z]+\)))?(?:, ids from (.*? \([A-Z]+\)))?$",
            |c| {
                let mut zh = format!("电子表格：{} 篇文章，取自 {} 列", g(c, 1), g(c, 2));
                if c.get(3).is_some() {
                    zh.push_str("（按内容识别）");
                }
                if let Some(titles) = c.get(4) {
                    zh.push_str(&format!("，标题取自 {} 列", titles.as_str()));
                }
                if let Some(ids) = c.get(5) {
                    zh.push_str(&format!("，编号取自 {} 列", ids.as_str()));
                }
                zh
            },
        ),
        rule(r"^(\d+) row\(s\) without text skipped$", |c| {
            format!("跳过无正文的 {} 行", g(c, 1))
        }),
        rule(
            r"^(\d+) row\(s\) with an empty or repeated id keyed as rowN \(rows (.+)\)$",
            |c| {
                format!(
                    "{} 行的编号为空或重复，改以 rowN 作键（第 {} 行）",
                    g(c, 1),
                    g(c, 2)
                )
            },
        ),
        // mod.rs: a text read (`from_decoded`).
        rule(r"^empty file: no text to analyse$", |_| {
            "空文件：没有可分析的文本".into()
        }),
        rule(
            r"^no essay text after cleaning \(only junk lines or a preamble\)$",
            |_| "清理后没有文章正文（只有网页杂项或前言）".into(),
        ),
        rule(r"^first line taken as the title$", |_| {
            "首行作为标题".into()
        }),
        rule(
            r"^its only line is short and no sentence: a title whose essay is missing\?$",
            |_| "全文只有一行短句、不成句子：可能只有标题，缺了正文？".into(),
        ),
        rule(r"^compiled page: (\d+) essays$", |c| {
            format!("汇编页面：{} 篇文章", g(c, 1))
        }),
        rule(r"^(\d+) preamble line\(s\) dropped$", |c| {
            format!("删去 {} 行前言", g(c, 1))
        }),
        rule(
            r"^(\d+) title line\(s\) with no text under them dropped \(a table of contents\?\)$",
            |c| format!("删去 {} 个下面没有正文的标题行（目录？）", g(c, 1)),
        ),
        rule(r"^(\d+) junk line\(s\) dropped$", |c| {
            format!("删去 {} 行网页杂项", g(c, 1))
        }),
        // decode.rs: what was mended (`Decoded::repair`).
        rule(
            r"^(\d+) of (\d+) characters were invalid bytes for the forced encoding (\S+) and were replaced with U\+FFFD$",
            |c| {
                format!(
                    "{} 个字符中有 {} 个是指定编码 {} 下的无效字节，已替换为 U+FFFD",
                    g(c, 2),
                    g(c, 1),
                    g(c, 3)
                )
            },
        ),
        rule(
            r"^the file('s first MiB)? reads without an error as (\S+): leave --encoding out, or give --encoding (\S+)$",
            |c| {
                format!(
                    "该文件{}按 {} 读取没有错误：去掉 --encoding，或改用 --encoding {}",
                    if c.get(1).is_some() {
                        "的前 1 MiB "
                    } else {
                        ""
                    },
                    g(c, 2),
                    g(c, 3)
                )
            },
        ),
        rule(
            r"^(\d+) invalid byte sequence\(s\) in otherwise valid (\S+) text replaced with U\+FFFD \(a damaged file\?\)$",
            |c| {
                format!(
                    "{} 编码的文本中有 {} 处无效字节，已替换为 U+FFFD（文件可能已损坏）",
                    g(c, 2),
                    g(c, 1)
                )
            },
        ),
        rule(
            r"^a quote opened in row (\d+) is never closed: the (\d+) line\(s\) after it were read as one cell \(close the quote, or save the sheet again from Excel\)$",
            |c| {
                format!(
                    "第 {} 行的引号没有闭合：其后的 {} 行被读成了一个单元格（请补上引号，或用 Excel 重新保存）",
                    g(c, 1),
                    g(c, 2)
                )
            },
        ),
        rule(
            r"^an old Office document \(\.doc, \.xls or \.wps, not text\): save it as \.docx or \.xlsx and give that$",
            |_| {
                "旧版 Office 文档（.doc、.xls 或 .wps，不是文本）：请另存为 .docx 或 .xlsx 再读取"
                    .into()
            },
        ),
        rule(
            r"^a zip archive, not text \(a \.docx or \.xlsx renamed\?\): give it its own extension, \.docx or \.xlsx$",
            |_| {
                "这是 zip 压缩文件而不是文本（可能是改了扩展名的 .docx 或 .xlsx）：请改回 .docx 或 .xlsx".into()
            },
        ),
        rule(
            r"^an old Word \(or WPS\) document, which wenxi does not read: save it as \.docx \(File → Save As\) or as plain text$",
            |_| {
                "旧版 Word（或 WPS）文档，wenxi 不能读取：请另存为 .docx（文件 → 另存为）或纯文本"
                    .into()
            },
        ),
        rule(
            r"^a PDF, which wenxi does not read: copy its text into a \.txt file, or save it as \.docx$",
            |_| "PDF 文件，wenxi 不能读取：请把文字复制到 .txt 文件，或另存为 .docx".into(),
        ),
        rule(
            r"(?s)^row (\d+) \((.*)\) taken as the sheet's title, row (\d+) as its header$",
            |c| {
                format!(
                    "第 {} 行（{}）作为表格标题，第 {} 行作为表头",
                    g(c, 1),
                    g(c, 2),
                    g(c, 3)
                )
            },
        ),
        rule(r"^empty spreadsheet: no rows to read$", |_| {
            "空表格：没有可读的行".into()
        }),
        rule(
            r"^the spreadsheet has a header row but no row under it$",
            |_| "表格只有表头，没有数据行".into(),
        ),
        rule(
            r"^if the file is in another encoding, give that one to --encoding$",
            |_| "如果文件是别的编码，请用 --encoding 指定该编码".into(),
        ),
        rule(
            r"^the last character is cut short \((\d+) byte\(s\) of an incomplete (\S+) character at the end, a truncated file\?\): replaced with U\+FFFD$",
            |c| {
                format!(
                    "最后一个字符不完整（末尾 {} 个字节是残缺的 {} 字符，文件可能被截断）：已替换为 U+FFFD",
                    g(c, 1),
                    g(c, 2)
                )
            },
        ),
        rule(
            r"^mixed encodings, read line by line: (\d+) line\(s\) of UTF-8 and (\d+) of (\S+)$",
            |c| {
                format!(
                    "混用多种编码，已逐行读取：{} 行 UTF-8，{} 行 {}",
                    g(c, 1),
                    g(c, 2),
                    g(c, 3)
                )
            },
        ),
        rule(r"^(\d+) stray NUL byte\(s\) removed$", |c| {
            format!("删除了 {} 个零散的 NUL 字节", g(c, 1))
        }),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(status("ok"), "正常");
        assert_eq!(status("repaired"), "已修复");
        assert_eq!(status("skipped"), "已跳过");
        assert_eq!(status("not read"), "未读取");
        assert_eq!(status("later"), "later");
    }

    #[test]
    fn unknown_parts_stay_as_they_are() {
        assert_eq!(message(""), "");
        assert_eq!(message("something new"), "something new");
        assert_eq!(
            message("compiled page: 3 essays; something new; 2 junk line(s) dropped"),
            "汇编页面：3 篇文章；something new；删去 2 行网页杂项"
        );
        assert_eq!(
            message("something new: no essay text"),
            "something new: no essay text"
        );
    }

    #[test]
    fn no_such_file_or_folder() {
        assert_eq!(message("no such file or folder"), "没有这个文件或文件夹");
    }

    #[test]
    fn cannot_open() {
        assert_eq!(
            message("cannot open: Permission denied (os error 13)"),
            "无法打开：Permission denied (os error 13)"
        );
    }

    #[test]
    fn report_folder() {
        assert_eq!(
            message("a wenxi report folder (it has run.json): not read"),
            "wenxi 的报告文件夹（内有 run.json）：未读取"
        );
    }

    #[test]
    fn office_lock_file() {
        assert_eq!(
            message("an Office lock file (its document is open in Word or Excel): not read"),
            "Office 锁定文件（其文档正在 Word 或 Excel 中打开）：未读取"
        );
    }

    #[test]
    fn not_a_regular_file() {
        assert_eq!(
            message("not a regular file (a FIFO, socket or device): not read"),
            "不是普通文件（是 FIFO、套接字或设备）：未读取"
        );
    }

    #[test]
    fn not_a_regular_file_or_folder() {
        assert_eq!(
            message("not a regular file or folder (a FIFO, socket or device): not read"),
            "既不是普通文件也不是文件夹（是 FIFO、套接字或设备）：未读取"
        );
    }

    #[test]
    fn symbolic_link_loop() {
        assert_eq!(
            message("symbolic link loop: not followed"),
            "符号链接成环：未跟随"
        );
    }

    #[test]
    fn spreadsheet_in_a_folder() {
        assert_eq!(
            message(
                "a spreadsheet in a folder (it may be a report): read when named on the command \
                 line or taken in with --include '*.csv'"
            ),
            "文件夹中的电子表格（可能是报告）：在命令行中直接指定或用 --include '*.csv' 纳入时才读取"
        );
    }

    #[test]
    fn not_a_text_file() {
        assert_eq!(
            message("not a .txt, .md or .docx file: not read (--include GLOB takes more)"),
            "不是 .txt、.md 或 .docx 文件：未读取（用 --include GLOB 可读取更多文件）"
        );
    }

    #[test]
    fn cannot_read() {
        assert_eq!(
            message("cannot read: Is a directory (os error 21)"),
            "无法读取：Is a directory (os error 21)"
        );
    }

    #[test]
    fn cannot_read_the_workbook() {
        assert_eq!(
            message("cannot read the workbook: Xlsx error: Zip error: invalid Zip archive"),
            "无法读取工作簿：Xlsx error: Zip error: invalid Zip archive"
        );
    }

    #[test]
    fn workbook_without_worksheet() {
        assert_eq!(
            message("the workbook has no worksheet"),
            "工作簿中没有工作表"
        );
    }

    #[test]
    fn cannot_read_first_worksheet() {
        assert_eq!(
            message("cannot read its first worksheet: Xls error: Invalid OLE signature"),
            "无法读取其第一个工作表：Xls error: Invalid OLE signature"
        );
    }

    #[test]
    fn not_a_zip_archive() {
        assert_eq!(
            message("not a Word document (.docx is a zip archive): invalid Zip archive: Could not find EOCD"),
            "不是 Word 文档（.docx 应是 zip 压缩包）：invalid Zip archive: Could not find EOCD"
        );
    }

    #[test]
    fn no_document_xml() {
        assert_eq!(
            message("not a Word document: it has no word/document.xml"),
            "不是 Word 文档：其中没有 word/document.xml"
        );
    }

    #[test]
    fn cannot_read_document_xml() {
        assert_eq!(
            message("cannot read word/document.xml: stream did not contain valid UTF-8"),
            "无法读取 word/document.xml：stream did not contain valid UTF-8"
        );
    }

    #[test]
    fn damaged_document_xml() {
        assert_eq!(
            message("damaged word/document.xml: ill-formed document: expected `</w:p>`"),
            "word/document.xml 已损坏：ill-formed document: expected `</w:p>`"
        );
    }

    #[test]
    fn looks_binary() {
        assert_eq!(
            message(
                "looks binary (NUL bytes, no byte-order mark, not UTF-16 text); if it is text, \
                 pass --encoding"
            ),
            "看似二进制文件（含 NUL 字节，没有字节顺序标记，也不是 UTF-16 文本）；\
             如果是文本，请用 --encoding 指定编码"
        );
    }

    #[test]
    fn encoding_not_recognised() {
        assert_eq!(
            message(
                "encoding not recognised as UTF-8, GBK/GB18030 or Big5 (best guess: \
                 windows-1252); convert it to UTF-8 or pass --encoding"
            ),
            "未能识别为 UTF-8、GBK/GB18030 或 Big5 编码（最可能是 windows-1252）；\
             请将其转为 UTF-8，或用 --encoding 指定编码"
        );
    }

    #[test]
    fn not_valid_encoding() {
        assert_eq!(
            message(
                "not valid GBK: the file may be damaged or mix encodings; pass --encoding gbk \
                 to read it anyway (invalid bytes become U+FFFD)"
            ),
            "不是有效的 GBK：文件可能已损坏或混用了多种编码；\
             可用 --encoding gbk 强行读取（无效字节变为 U+FFFD）"
        );
    }

    #[test]
    fn no_such_column() {
        assert_eq!(
            message(r#"no column "作文" (--text-column); the columns are: 学号, 题目, 正文, 分数"#),
            r#"没有名为 "作文" 的列（--text-column）；现有的列：学号, 题目, 正文, 分数"#
        );
        assert_eq!(
            message(r#"no column "标题" (--title-column); the columns are: 学号, 正文"#),
            r#"没有名为 "标题" 的列（--title-column）；现有的列：学号, 正文"#
        );
        assert_eq!(
            message(r#"no column "Z" (--id-column); the columns are: 学号, 正文"#),
            r#"没有名为 "Z" 的列（--id-column）；现有的列：学号, 正文"#
        );
    }

    #[test]
    fn no_column_of_long_text() {
        assert_eq!(
            message(
                "no column of long Chinese text (at least 30 Han characters a cell); name the \
                 essays' column with --text-column (columns: a, b)"
            ),
            "没有长篇中文的列（平均每格至少 30 个汉字）；\
             请用 --text-column 指定文章所在的列（现有的列：a, b）"
        );
    }

    #[test]
    fn spreadsheet() {
        assert_eq!(
            message("spreadsheet: 12 essays from column 作文 (C)"),
            "电子表格：12 篇文章，取自 作文 (C) 列"
        );
        assert_eq!(
            message("spreadsheet: 1 essay from column 作文 (C)"),
            "电子表格：1 篇文章，取自 作文 (C) 列"
        );
        assert_eq!(
            message(
                "spreadsheet: 2 essays from column 正文 (C), found by its text, titles from \
                 题目 (B), ids from 学号 (A)"
            ),
            "电子表格：2 篇文章，取自 正文 (C) 列（按内容识别），标题取自 题目 (B) 列，\
             编号取自 学号 (A) 列"
        );
        assert_eq!(
            message("spreadsheet: 2 essays from column C (C), ids from 学号 (A)"),
            "电子表格：2 篇文章，取自 C (C) 列，编号取自 学号 (A) 列"
        );
    }

    #[test]
    fn rows_without_text() {
        assert_eq!(
            message("spreadsheet: 5 essays from column 作文 (C); 2 row(s) without text skipped"),
            "电子表格：5 篇文章，取自 作文 (C) 列；跳过无正文的 2 行"
        );
    }

    #[test]
    fn empty_or_repeated_ids() {
        assert_eq!(
            message(
                "spreadsheet: 4 essays from column 作文 (C), ids from 学号 (A); 2 row(s) with an \
                 empty or repeated id keyed as rowN (rows 3, 5)"
            ),
            "电子表格：4 篇文章，取自 作文 (C) 列，编号取自 学号 (A) 列；\
             2 行的编号为空或重复，改以 rowN 作键（第 3, 5 行）"
        );
        assert_eq!(
            message(
                "12 row(s) with an empty or repeated id keyed as rowN \
                 (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)"
            ),
            "12 行的编号为空或重复，改以 rowN 作键（第 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … 行）"
        );
    }

    #[test]
    fn spreadsheet_without_essay_text() {
        assert_eq!(
            message("spreadsheet: 0 essays from column 作文 (C); 3 row(s) without text skipped: no essay text"),
            "电子表格：0 篇文章，取自 作文 (C) 列；跳过无正文的 3 行：没有文章正文"
        );
        assert_eq!(
            message(
                "spreadsheet: 0 essays from column 作文 (C), titles from 题目 (B): no essay text"
            ),
            "电子表格：0 篇文章，取自 作文 (C) 列，标题取自 题目 (B) 列：没有文章正文"
        );
    }

    #[test]
    fn empty_file() {
        assert_eq!(
            message("empty file: no text to analyse"),
            "空文件：没有可分析的文本"
        );
    }

    #[test]
    fn nothing_after_cleaning() {
        assert_eq!(
            message("no essay text after cleaning (only junk lines or a preamble)"),
            "清理后没有文章正文（只有网页杂项或前言）"
        );
    }

    #[test]
    fn first_line_title() {
        assert_eq!(message("first line taken as the title"), "首行作为标题");
        assert_eq!(
            message("its only line is short and no sentence: a title whose essay is missing?"),
            "全文只有一行短句、不成句子：可能只有标题，缺了正文？"
        );
    }

    #[test]
    fn compiled_page_preamble_and_junk() {
        assert_eq!(
            message("compiled page: 10 essays; 1 preamble line(s) dropped; 1 junk line(s) dropped"),
            "汇编页面：10 篇文章；删去 1 行前言；删去 1 行网页杂项"
        );
        assert_eq!(
            message("first line taken as the title; 4 junk line(s) dropped"),
            "首行作为标题；删去 4 行网页杂项"
        );
    }

    #[test]
    fn forced_encoding_invalid_bytes() {
        assert_eq!(
            message(
                "1 of 2 characters were invalid bytes for the forced encoding UTF-8 and were \
                 replaced with U+FFFD; if the file is in another encoding, give that one to \
                 --encoding"
            ),
            "2 个字符中有 1 个是指定编码 UTF-8 下的无效字节，已替换为 U+FFFD；如果文件是别的编码，请用 --encoding 指定该编码"
        );
        assert_eq!(
            message(
                "the file reads without an error as GBK: leave --encoding out, or give \
                 --encoding gbk"
            ),
            "该文件按 GBK 读取没有错误：去掉 --encoding，或改用 --encoding gbk"
        );
    }

    #[test]
    fn damage_in_the_middle_and_sheets() {
        assert_eq!(
            message(
                "2 invalid byte sequence(s) in otherwise valid GBK text replaced with U+FFFD \
                 (a damaged file?)"
            ),
            "GBK 编码的文本中有 2 处无效字节，已替换为 U+FFFD（文件可能已损坏）"
        );
        assert_eq!(
            message(
                "a quote opened in row 2 is never closed: the 3 line(s) after it were read as \
                 one cell (close the quote, or save the sheet again from Excel)"
            ),
            "第 2 行的引号没有闭合：其后的 3 行被读成了一个单元格（请补上引号，或用 Excel 重新保存）"
        );
        assert_eq!(
            message("the spreadsheet has a header row but no row under it"),
            "表格只有表头，没有数据行"
        );
    }

    #[test]
    fn cut_short() {
        assert_eq!(
            message(
                "the last character is cut short (1 byte(s) of an incomplete GBK character at \
                 the end, a truncated file?): replaced with U+FFFD"
            ),
            "最后一个字符不完整（末尾 1 个字节是残缺的 GBK 字符，文件可能被截断）：已替换为 U+FFFD"
        );
    }

    #[test]
    fn mixed_encodings() {
        assert_eq!(
            message("mixed encodings, read line by line: 2 line(s) of UTF-8 and 1 of gb18030"),
            "混用多种编码，已逐行读取：2 行 UTF-8，1 行 gb18030"
        );
    }

    #[test]
    fn stray_nuls() {
        assert_eq!(
            message("1 stray NUL byte(s) removed"),
            "删除了 1 个零散的 NUL 字节"
        );
        assert_eq!(
            message(
                "compiled page: 2 essays; 3 stray NUL byte(s) removed; the last character is cut \
                 short (2 byte(s) of an incomplete UTF-8 character at the end, a truncated \
                 file?): replaced with U+FFFD"
            ),
            "汇编页面：2 篇文章；删除了 3 个零散的 NUL 字节；\
             最后一个字符不完整（末尾 2 个字节是残缺的 UTF-8 字符，文件可能被截断）：已替换为 U+FFFD"
        );
    }
}

//! Spreadsheets of essays, one essay a row: CSV (any encoding `decode` reads, comma or tab
//! separated) and Excel/OpenDocument workbooks (calamine, first sheet). One column holds the
//! text; a title column may name each essay; every other column is metadata.

use std::path::Path;

use calamine::{Data, Reader};

use super::is_han;

/// A table read from a file: its header and rows of cells as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The columns asked for (`--text-column`, `--title-column`, `--id-column`), by header name or
/// letter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnChoice {
    pub text: Option<String>,
    pub title: Option<String>,
    pub id: Option<String>,
}

/// The columns used, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub text: usize,
    pub title: Option<usize>,
    /// The column whose cells identify the rows (a student number), which then key the essays.
    pub id: Option<usize>,
    /// The text column was found by its content, not named.
    pub found: bool,
}

/// Header names taken as the title column when none is named.
const TITLE_HEADERS: &[&str] = &[
    "题目",
    "标题",
    "作文题目",
    "篇名",
    "題目",
    "標題",
    "title",
    "Title",
    "TITLE",
];

/// A text column found on its own must hold at least this many Han characters a cell on average.
const MIN_MEAN_HAN: f64 = 30.0;

/// Whether a path is a spreadsheet wenxi reads as one essay a row.
pub fn is_sheet(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["csv", "tsv", "xlsx", "xlsm", "xls", "ods"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Whether a path is a workbook (read by calamine, not decoded as text).
pub fn is_workbook(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["xlsx", "xlsm", "xls", "ods"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Parses CSV text (RFC 4180 quoting; tab-separated when the first line has more tabs than
/// commas). Blank lines are skipped; short rows are padded.
pub fn parse_csv(text: &str) -> Sheet {
    let first = text.lines().next().unwrap_or_default();
    let separator = if first.matches('\t').count() > first.matches(',').count() {
        '\t'
    } else {
        ','
    };
    let mut records: Vec<Vec<String>> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    // A cell is copied out of `field` at its exact size: taken, it would keep the room its
    // growth left (up to twice its text), and a large sheet's cells are its whole text.
    let mut end_record = |record: &mut Vec<String>, field: &mut String| {
        record.push(field.clone());
        field.clear();
        let taken = std::mem::take(record);
        if taken.iter().any(|cell| !cell.trim().is_empty()) {
            records.push(taken);
        }
    };
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, c) if c == separator => {
                record.push(field.clone());
                field.clear();
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') | (false, '\r') => end_record(&mut record, &mut field),
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        end_record(&mut record, &mut field);
    }
    sheet_of(records)
}

/// The first worksheet of an Excel or OpenDocument workbook.
pub fn read_workbook(path: &Path) -> Result<Sheet, String> {
    let mut workbook =
        calamine::open_workbook_auto(path).map_err(|e| format!("cannot read the workbook: {e}"))?;
    let mut range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| "the workbook has no worksheet".to_owned())?
        .map_err(|e| format!("cannot read its first worksheet: {e}"))?;
    // The workbook's shared strings are the text a second time: gone before the rows are made.
    drop(workbook);
    // Each cell is emptied once its text is taken, so that the range and the rows do not both
    // hold the whole text (a 27.6 MB workbook of 47.8 MiB of essays read at 3 times that).
    let (Some((top, left)), (height, width)) = (range.start(), range.get_size()) else {
        return Ok(Sheet::default());
    };
    let mut records: Vec<Vec<String>> = Vec::new();
    for r in 0..height {
        let mut row = Vec::with_capacity(width);
        for c in 0..width {
            let text = range.get((r, c)).map(cell_text).unwrap_or_default();
            range.set_value((top + r as u32, left + c as u32), Data::Empty);
            row.push(text);
        }
        if row.iter().any(|cell| !cell.trim().is_empty()) {
            records.push(row);
        }
    }
    Ok(sheet_of(records))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        // Whole numbers (a score of 85, a student number) without a trailing `.0`.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn sheet_of(mut records: Vec<Vec<String>>) -> Sheet {
    if records.is_empty() {
        return Sheet::default();
    }
    let header: Vec<String> = records
        .remove(0)
        .into_iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let width = records
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(header.len());
    let mut header = header;
    for i in header.len()..width {
        header.push(column_letter(i));
    }
    for row in &mut records {
        row.resize(width, String::new());
    }
    Sheet {
        header,
        rows: records,
    }
}

/// A table of rows from a file: a workbook (by its extension) or CSV text in any encoding that
/// [`super::decode::decode`] reads; with the encoding it was read in.
pub fn read_table(path: &Path) -> Result<(Sheet, &'static str), String> {
    if is_workbook(path) {
        return Ok((read_workbook(path)?, "XLSX"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let decoded = super::decode::decode_owned(bytes, None).map_err(|e| e.to_string())?;
    Ok((parse_csv(&decoded.text), decoded.encoding))
}

/// Excel's name of column `i` (0 → A, 25 → Z, 26 → AA).
pub fn column_letter(mut i: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// A column named by its header or by its letter (`C`, `AB`).
pub fn named(sheet: &Sheet, name: &str) -> Option<usize> {
    sheet.header.iter().position(|h| h == name).or_else(|| {
        let upper = name.to_ascii_uppercase();
        (0..sheet.header.len()).find(|&i| column_letter(i) == upper)
    })
}

/// The text and title columns: as asked, or found (the column with the most Han characters a
/// cell; a header such as 题目 or 标题 for the title).
pub fn columns(sheet: &Sheet, choice: &ColumnChoice) -> Result<Columns, String> {
    let headers = || sheet.header.join(", ");
    let (text, found) = match &choice.text {
        Some(name) => (
            named(sheet, name).ok_or_else(|| {
                format!(
                    "no column {name:?} (--text-column); the columns are: {}",
                    headers()
                )
            })?,
            false,
        ),
        None => {
            let mean_han = |i: usize| {
                let cells: Vec<&String> = sheet
                    .rows
                    .iter()
                    .map(|r| &r[i])
                    .filter(|c| !c.trim().is_empty())
                    .collect();
                if cells.is_empty() {
                    return 0.0;
                }
                let han: usize = cells
                    .iter()
                    .map(|c| c.chars().filter(|&ch| is_han(ch)).count())
                    .sum();
                han as f64 / cells.len() as f64
            };
            let best = (0..sheet.header.len())
                .map(|i| (i, mean_han(i)))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match best {
                Some((i, mean)) if mean >= MIN_MEAN_HAN => (i, true),
                _ => {
                    return Err(format!(
                        "no column of long Chinese text (at least {MIN_MEAN_HAN} Han characters a \
                         cell); name the essays' column with --text-column (columns: {})",
                        headers()
                    ))
                }
            }
        }
    };
    let title = match &choice.title {
        Some(name) => Some(named(sheet, name).ok_or_else(|| {
            format!(
                "no column {name:?} (--title-column); the columns are: {}",
                headers()
            )
        })?),
        None => sheet
            .header
            .iter()
            .position(|h| TITLE_HEADERS.contains(&h.as_str()))
            .filter(|&i| i != text),
    };
    let id = match &choice.id {
        Some(name) => Some(named(sheet, name).ok_or_else(|| {
            format!(
                "no column {name:?} (--id-column); the columns are: {}",
                headers()
            )
        })?),
        None => None,
    };
    Ok(Columns {
        text,
        title,
        id,
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_and_separators() {
        let sheet = parse_csv(
            "班级,姓名,作文\r\n一班,张三,\"我的妈妈，\n她很好。\"\n\n二班,\"李\"\"四\",春天\n",
        );
        assert_eq!(sheet.header, ["班级", "姓名", "作文"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0][2], "我的妈妈，\n她很好。");
        assert_eq!(sheet.rows[1][1], "李\"四");
        let tabs = parse_csv("a\tb\n1\t2,3\n");
        assert_eq!(tabs.rows[0], ["1", "2,3"]);
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn the_text_column_is_found_or_named() {
        let long = "我们的社区在疫情期间团结一心，居民们互相帮助，志愿者们不辞辛劳，让我深受感动。";
        let sheet = parse_csv(&format!(
            "学号,题目,正文,分数\n1,社区,{long},85\n2,抗疫,{long}{long},90\n"
        ));
        let c = columns(&sheet, &ColumnChoice::default()).unwrap();
        assert_eq!((c.text, c.title, c.found), (2, Some(1), true));
        let c = columns(
            &sheet,
            &ColumnChoice {
                text: Some("C".into()),
                title: Some("学号".into()),
                id: Some("A".into()),
            },
        )
        .unwrap();
        assert_eq!(
            (c.text, c.title, c.id, c.found),
            (2, Some(0), Some(0), false)
        );
        let err = columns(
            &sheet,
            &ColumnChoice {
                text: Some("作文".into()),
                ..ColumnChoice::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("学号, 题目, 正文, 分数"), "{err}");
        let short = parse_csv("a,b\n1,短\n");
        assert!(columns(&short, &ColumnChoice::default()).is_err());
    }
}

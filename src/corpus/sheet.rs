//! Spreadsheets of essays, one essay a row: CSV (any encoding `decode` reads, comma or tab
//! separated) and Excel/OpenDocument workbooks (calamine, first sheet). One column holds the
//! text; a title column may name each essay; every other column is metadata.

use std::path::Path;

use calamine::{Data, Reader};

use super::is_han;

/// A table read from a file: its header and rows of cells as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// Column names: a blank header cell is named by its column's letter, and a name that
    /// repeats one before it gets its letter too (`分数 (E)`), so that no column's cells are
    /// hidden behind another's name.
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The number of each row of `rows` as the spreadsheet shows it (blank rows are left out of
    /// `rows` but still counted; a CSV record holding a line end is one row, as in Excel).
    pub numbers: Vec<u32>,
    /// Where the table starts among the spreadsheet's columns (0 for column A): a workbook's
    /// cells may start further right, and its columns keep their letters.
    pub first_column: usize,
    /// Cells merged down one column of an .xlsx: (first row, last row, as the workbook numbers
    /// them; column, counted from `first_column`), filled by [`Sheet::fill_merged`].
    pub merged: Vec<(u32, u32, usize)>,
    /// What was wrong with the table as read (a quote never closed), for the file's notes.
    pub problems: Vec<String>,
    /// What was done with it that is not damage (a title row above the header, skipped).
    pub notes: Vec<String>,
}

impl Sheet {
    /// The spreadsheet's letter of column `i` of the table.
    pub fn letter(&self, i: usize) -> String {
        column_letter(i + self.first_column)
    }
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

/// Parses CSV text (RFC 4180 quoting; separated by the one of comma, tab and semicolon the
/// header line has most of, commas on a tie: Excel saves "CSV" with semicolons where the
/// decimal mark is a comma). Blank lines are skipped; short rows are padded.
pub fn parse_csv(text: &str) -> Sheet {
    let choose = |line: &str| {
        let count = |c: char| line.matches(c).count();
        let (commas, tabs, semicolons) = (count(','), count('\t'), count(';'));
        if tabs > commas && tabs >= semicolons {
            '\t'
        } else if semicolons > commas && semicolons > tabs {
            ';'
        } else {
            ','
        }
    };
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let first = lines.next().unwrap_or_default();
    // A title line above the table has no separator: the header under it tells, if it reads
    // as one (a single column of essays has sentences there, which may hold either).
    let separator = match lines.next() {
        Some(second) if !first.contains(['\t', ',', ';']) => {
            let separator = choose(second);
            let cells: Vec<String> = second.split(separator).map(str::to_owned).collect();
            if is_header_like(&cells) {
                separator
            } else {
                choose(first)
            }
        }
        _ => choose(first),
    };
    let mut records: Vec<(u32, Vec<String>)> = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    // The row the last quote was opened in, and the row being read.
    let (mut opened, mut number) = (0u32, 1u32);
    let mut chars = text.chars().peekable();
    // A cell is copied out of `field` at its exact size: taken, it would keep the room its
    // growth left (up to twice its text), and a large sheet's cells are its whole text.
    let mut end_record = |record: &mut Vec<String>, field: &mut String, number: &mut u32| {
        record.push(field.clone());
        field.clear();
        let taken = std::mem::take(record);
        if taken.iter().any(|cell| !cell.trim().is_empty()) {
            records.push((*number, taken));
        }
        *number += 1;
    };
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => {
                quoted = true;
                opened = number;
            }
            (false, c) if c == separator => {
                record.push(field.clone());
                field.clear();
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') | (false, '\r') => end_record(&mut record, &mut field, &mut number),
            (false, c) => field.push(c),
        }
    }
    let unclosed = quoted.then(|| {
        let lines = field.lines().count();
        format!(
            "a quote opened in row {opened} is never closed: the {lines} line(s) after it were \
             read as one cell (close the quote, or save the sheet again from Excel)"
        )
    });
    if !field.is_empty() || !record.is_empty() {
        end_record(&mut record, &mut field, &mut number);
    }
    let mut sheet = sheet_of(records, 0);
    sheet.problems.extend(unclosed);
    sheet
}

/// The first visible worksheet of an Excel or OpenDocument workbook (for tables of metadata).
pub fn read_workbook(path: &Path) -> Result<Sheet, String> {
    let (_, sheet) = read_workbook_sheets(path)?
        .into_iter()
        .next()
        .ok_or_else(|| "the workbook has no worksheet".to_owned())?;
    Ok(sheet)
}

/// The visible worksheets of a workbook with any cell, by name, in its order: a hidden sheet (a
/// template, a list for a drop-down) holds no essays. An .xlsx's cells merged down a column
/// are kept for [`Sheet::fill_merged`].
pub fn read_workbook_sheets(path: &Path) -> Result<Vec<(String, Sheet)>, String> {
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| {
        // What the bytes are, rather than the zip library's words for it: a CSV or a web page
        // saved under the workbook's name is common.
        let mut start = [0u8; 8];
        let read = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut start))
            .unwrap_or(0);
        let start = &start[..read];
        let zip = start.starts_with(b"PK\x03\x04");
        let ole = start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
        if !zip && !ole && !start.is_empty() {
            let kind = if start.contains(&0) {
                "binary data"
            } else {
                "text"
            };
            format!(
                "it is not a workbook, whatever its name says: it holds {kind}, not what Excel \
                 writes; if it is a CSV, rename it .csv (or open it in Excel and save it as \
                 .xlsx)"
            )
        } else {
            format!("cannot read the workbook (damaged? open it in Excel and save it again): {e}")
        }
    })?;
    let all = workbook.sheets_metadata().to_vec();
    let visible: Vec<String> = all
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    if visible.is_empty() {
        return Err(if all.is_empty() {
            "the workbook has no worksheet".to_owned()
        } else {
            "the workbook has no visible worksheet: show one in Excel (right-click a sheet's \
             tab, Unhide) and save it again"
                .to_owned()
        });
    }
    let mut ranges = Vec::with_capacity(visible.len());
    for name in visible {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| format!("cannot read its worksheet {name:?}: {e}"))?;
        let merged = match &mut workbook {
            calamine::Sheets::Xlsx(xlsx) => {
                xlsx.merge_cells_by_sheet_name(&name).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        ranges.push((name, range, merged));
    }
    // The workbook's shared strings are the text a second time: gone before the rows are made.
    drop(workbook);
    let mut sheets: Vec<(String, Sheet)> = ranges
        .into_iter()
        .map(|(name, range, merged)| {
            let mut sheet = sheet_of_range(range);
            sheet.merged = merged
                .iter()
                .filter(|m| m.start.1 == m.end.1 && m.end.0 > m.start.0)
                .filter_map(|m| {
                    let column = (m.start.1 as usize).checked_sub(sheet.first_column)?;
                    Some((m.start.0 + 1, m.end.0 + 1, column))
                })
                .collect();
            (name, sheet)
        })
        .collect();
    // Empty sheets (Sheet2 and Sheet3 of a new workbook) are no sheets; all empty, the first.
    if sheets.len() > 1 && sheets.iter().any(|(_, s)| !s.is_empty()) {
        sheets.retain(|(_, s)| !s.is_empty());
    }
    sheets.truncate(sheets.len().max(1));
    Ok(sheets)
}

impl Sheet {
    /// No header and no row.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty() && self.rows.is_empty()
    }

    /// Gives each row of a merge down a column the value of the merge's first cell, where that
    /// cell is a row of the table (not its header) and short (at most [`MERGED_FILL_CHARS`]
    /// characters: a label such as 一班, not an essay), in the columns not `except` (the text,
    /// title and id columns: an essay or a title merged down is one, not one a row).
    pub fn fill_merged(&mut self, except: &[usize]) {
        for &(top, bottom, column) in &self.merged {
            if except.contains(&column) || column >= self.header.len() {
                continue;
            }
            let Some(first) = self.numbers.iter().position(|&n| n == top) else {
                continue;
            };
            let value = self.rows[first][column].clone();
            if value.trim().is_empty() || value.chars().count() > MERGED_FILL_CHARS {
                continue;
            }
            for (row, &number) in self.rows.iter_mut().zip(&self.numbers).skip(first + 1) {
                if number > bottom {
                    break;
                }
                if row[column].trim().is_empty() {
                    row[column] = value.clone();
                }
            }
        }
    }
}

/// The most characters a cell merged down a column may hold for its value to fill the merge.
pub const MERGED_FILL_CHARS: usize = 20;

/// The rows of a worksheet's cells with any text, numbered as the workbook numbers them.
fn sheet_of_range(mut range: calamine::Range<Data>) -> Sheet {
    // Each cell is emptied once its text is taken, so that the range and the rows do not both
    // hold the whole text (a 27.6 MB workbook of 47.8 MiB of essays read at 3 times that).
    let (Some((top, left)), (height, width)) = (range.start(), range.get_size()) else {
        return Sheet::default();
    };
    let mut records: Vec<(u32, Vec<String>)> = Vec::new();
    for r in 0..height {
        let mut row = Vec::with_capacity(width);
        for c in 0..width {
            let text = range.get((r, c)).map(cell_text).unwrap_or_default();
            range.set_value((top + r as u32, left + c as u32), Data::Empty);
            row.push(text);
        }
        if row.iter().any(|cell| !cell.trim().is_empty()) {
            // Rows as the workbook numbers them: `top` counts from 0.
            records.push((top + r as u32 + 1, row));
        }
    }
    sheet_of(records, left as usize)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        // Whole numbers (a score of 85, a student number) without a trailing `.0`.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // A date as a date (`2023-05-01`), not as the day number Excel stores it as (45047).
        Data::DateTime(date) if date.is_datetime() => {
            let (y, mo, d, h, mi, s, ms) = date.to_ymd_hms_milli();
            if date.as_f64() < 1.0 {
                // A time of day alone (the day is Excel's day 0).
                format!("{h:02}:{mi:02}:{s:02}")
            } else if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        other => other.to_string(),
    }
}

/// A sheet from its non-blank records, each with its row number, the first the header;
/// `first_column` is where the records start among the spreadsheet's columns.
fn sheet_of(mut records: Vec<(u32, Vec<String>)>, first_column: usize) -> Sheet {
    if records.is_empty() {
        return Sheet {
            first_column,
            ..Sheet::default()
        };
    }
    let mut notes = Vec::new();
    // Titles above the table (a school's name, then 班级作文成绩表: up to three rows of one
    // cell, often merged across the columns), over a row that reads as a header (two cells or
    // more, all short), are not the header.
    let one_cell = |row: &[String]| {
        !row.is_empty() && !row[0].trim().is_empty() && row[1..].iter().all(|c| c.trim().is_empty())
    };
    let titles = records
        .iter()
        .take(MAX_TITLE_ROWS)
        .take_while(|(_, row)| one_cell(row))
        .count();
    if titles > 0 && records.len() >= titles + 2 && is_header_like(&records[titles].1) {
        let banners: Vec<(u32, Vec<String>)> = records.drain(..titles).collect();
        let text: Vec<&str> = banners.iter().map(|(_, row)| row[0].trim()).collect();
        let rows = match banners.as_slice() {
            [(only, _)] => format!("row {only}"),
            [(first, _), .., (last, _)] => format!("rows {first}–{last}"),
            [] => unreachable!("at least one title row"),
        };
        notes.push(format!(
            "{rows} ({}) taken as the sheet's title, row {} as its header",
            text.join(" / "),
            records[0].0
        ));
    }
    let (_, header) = records.remove(0);
    let header: Vec<String> = header
        .into_iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let width = records
        .iter()
        .map(|(_, row)| row.len())
        .max()
        .unwrap_or(0)
        .max(header.len());
    let letter = |i: usize| column_letter(i + first_column);
    let mut names: Vec<String> = Vec::with_capacity(width);
    for i in 0..width {
        let name = header.get(i).map_or("", String::as_str);
        let base = if name.is_empty() {
            letter(i)
        } else {
            name.to_owned()
        };
        // A name taken by a column before (a header, or a blank one's letter) gets this
        // column's letter; a blank column's letter is also taken if another column has it as
        // its header.
        let taken = |candidate: &str, names: &[String]| {
            names.iter().any(|n| n == candidate)
                || name.is_empty()
                    && header
                        .iter()
                        .enumerate()
                        .any(|(j, h)| j != i && h == candidate)
        };
        let mut candidate = base.clone();
        if taken(&candidate, &names) {
            candidate = format!("{base} ({})", letter(i));
            while taken(&candidate, &names) {
                candidate.push('\'');
            }
        }
        names.push(candidate);
    }
    let mut numbers = Vec::with_capacity(records.len());
    let rows = records
        .into_iter()
        .map(|(number, mut row)| {
            numbers.push(number);
            row.resize(width, String::new());
            row
        })
        .collect();
    Sheet {
        header: names,
        rows,
        numbers,
        first_column,
        problems: Vec::new(),
        notes,
        merged: Vec::new(),
    }
}

/// Whether a row reads as a header: two names or more, all short, none a sentence, and not
/// mostly numbers (a row of scores; a few numbered question columns, `1`, `2`, are names).
fn is_header_like(row: &[String]) -> bool {
    let filled: Vec<&str> = row
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let numbers = filled.iter().filter(|c| c.parse::<f64>().is_ok()).count();
    filled.len() >= 2
        && numbers * 2 < filled.len()
        && filled.iter().all(|c| {
            c.chars().count() <= MAX_HEADER_CHARS
                && !c.contains(['。', '，', '！', '？', '；', '!', '?'])
        })
}

/// Rows of one cell above a sheet's header that are taken as its title, at most.
const MAX_TITLE_ROWS: usize = 3;

/// A header cell is at most this long: a row of longer cells holds data.
const MAX_HEADER_CHARS: usize = 20;

/// A table of rows from a file: a workbook (by its extension) or CSV text in `encoding` or, if
/// `None`, in any encoding that [`super::decode::decode`] detects. A table read with damage
/// (invalid bytes, a quote never closed) has it said in its [`Sheet::problems`].
pub fn read_table(
    path: &Path,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<Sheet, String> {
    if is_workbook(path) {
        return read_workbook(path);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let decoded = super::decode::decode_owned(bytes, encoding).map_err(|e| e.to_string())?;
    let mut sheet = parse_csv(&decoded.text);
    sheet.problems.splice(0..0, decoded.repair);
    Ok(sheet)
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

/// A column named by its header, by its header in the other script (题目 for a column headed
/// 題目, when one column alone is so headed), or by its letter (`C`, `AB`).
pub fn named(sheet: &Sheet, name: &str) -> Option<usize> {
    sheet.header.iter().position(|h| h == name).or_else(|| {
        let upper = name.to_ascii_uppercase();
        (0..sheet.header.len())
            .find(|&i| sheet.letter(i) == upper)
            .or_else(|| {
                if name.is_ascii() {
                    return None;
                }
                let simplified = |text: &str| super::script::Conversion::T2s.convert(text);
                let wanted = simplified(name);
                let mut same = (0..sheet.header.len()).filter(|&i| {
                    !sheet.header[i].is_ascii() && simplified(&sheet.header[i]) == wanted
                });
                let first = same.next()?;
                same.next().is_none().then_some(first)
            })
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
    fn semicolons_separate_when_the_header_has_most_of_them() {
        let sheet = parse_csv("班级;姓名;作文\n一班;张三;\"春天来了，花开了；鸟儿叫了。\"\n");
        assert_eq!(sheet.header, ["班级", "姓名", "作文"]);
        assert_eq!(sheet.rows[0][2], "春天来了，花开了；鸟儿叫了。");
        // A comma header whose essays hold semicolons stays comma-separated.
        let sheet = parse_csv("班级,作文\n一班,春天来了; 花开了; 鸟儿叫了\n");
        assert_eq!(sheet.header, ["班级", "作文"]);
        assert_eq!(sheet.rows[0][1], "春天来了; 花开了; 鸟儿叫了");
    }

    #[test]
    fn a_column_named_in_the_other_script() {
        let sheet = Sheet {
            header: vec!["題目".into(), "作者".into(), "正文".into()],
            ..Sheet::default()
        };
        assert_eq!(named(&sheet, "题目"), Some(0));
        assert_eq!(named(&sheet, "題目"), Some(0));
        assert_eq!(named(&sheet, "C"), Some(2));
        assert_eq!(named(&sheet, "标题"), None);
    }

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
    fn dates_read_as_dates() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        // 45047 is 2023-05-01 in Excel's 1900 system; .75 is 18:00.
        let day = Data::DateTime(ExcelDateTime::new(
            45047.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(cell_text(&day), "2023-05-01");
        let evening = Data::DateTime(ExcelDateTime::new(
            45047.75,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(cell_text(&evening), "2023-05-01 18:00:00");
        assert_eq!(cell_text(&Data::Float(85.0)), "85");
        let time = Data::DateTime(ExcelDateTime::new(
            0.03125,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(cell_text(&time), "00:45:00");
    }

    #[test]
    fn a_title_row_above_the_header_is_not_the_header() {
        let long = "疫情期间社区志愿者为居民配送物资，大家守望相助，共渡难关。";
        let sheet = parse_csv(&format!(
            "三年级一班作文成绩表,,\n姓名,题目,作文\n张三,社区,{long}\n"
        ));
        assert_eq!(sheet.header, ["姓名", "题目", "作文"]);
        assert_eq!(sheet.numbers, [3]);
        assert_eq!(
            sheet.notes,
            ["row 1 (三年级一班作文成绩表) taken as the sheet's title, row 2 as its header"]
        );
        // Two title rows (the school, then the class's table).
        let two = parse_csv(&format!(
            "实验中学2024学年第一学期,,\n三年级一班作文成绩表,,\n姓名,题目,作文\n张三,社区,{long}\n李四,春天,{long}\n"
        ));
        assert_eq!(two.header, ["姓名", "题目", "作文"]);
        assert_eq!(two.numbers, [4, 5]);
        assert_eq!(
            two.notes,
            ["rows 1–2 (实验中学2024学年第一学期 / 三年级一班作文成绩表) taken as the sheet's title, row 3 as its header"]
        );
        // One column of essays under its header is not a title over a header.
        let single = parse_csv(&format!("作文\n{long}\n{long}\n"));
        assert_eq!(single.header, ["作文"]);
        // Nor is a header whose first cell alone is filled, over data.
        let data = parse_csv(&format!("作文,,\n{long},1,2\n{long},3,4\n"));
        assert_eq!(data.header, ["作文", "B", "C"]);
        assert!(data.notes.is_empty());
        // Nor a header over rows of short sentences and scores.
        let rows = parse_csv("造句,,\n我今天很开心。,张三,90\n他跑得很快。,李四,85\n");
        assert_eq!(rows.header, ["造句", "B", "C"]);
        assert_eq!(rows.numbers, [2, 3]);
    }

    #[test]
    fn blank_and_repeated_headers_are_named_apart() {
        let sheet = parse_csv("分数,,分数,作文\n1,2,3,4\n\n5,6,7,8\n");
        assert_eq!(sheet.header, ["分数", "B", "分数 (C)", "作文"]);
        // Numbered question columns are names of a header under a title row.
        let numbered = parse_csv(
            "期中作文\n姓名,题目,作文,1,2\n张三,春,春天来了。,5,4\n李四,秋,秋天到了。,3,5\n",
        );
        assert_eq!(numbered.header, ["姓名", "题目", "作文", "1", "2"]);
        // A tab-separated sheet under a title line.
        let tabs =
            parse_csv("三年级作文\n姓名\t作文\n张三\t春天来了，花开了。\n李四\t秋天到了。\n");
        assert_eq!(tabs.header, ["姓名", "作文"]);
        assert_eq!(tabs.rows[0][1], "春天来了，花开了。");
        // A header that is another column's letter: both keep a name of their own.
        let letters = parse_csv("C,作文,\nx,y,z\n");
        assert_eq!(letters.header, ["C", "作文", "C (C)"]);
        let letters = parse_csv(",作文,A\nx,y,z\n");
        assert_eq!(letters.header, ["A (A)", "作文", "A"]);
        assert_eq!(sheet.numbers, [2, 4]);
        assert!(sheet.problems.is_empty());
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

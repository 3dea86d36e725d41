//! The text of an old Word document (`.doc`, Word 97 to 2003, and WPS's `.wps` in the same
//! format): the main document's characters, as [MS-DOC] stores them. The file is a compound file
//! (read with the `cfb` crate); its `WordDocument` stream opens with the FIB, which says where
//! the piece table (the `Clx`) lies in the table stream (`0Table` or `1Table`) and how many
//! characters the main document holds (`ccpText`). Each piece is a run of characters at a
//! place of the `WordDocument` stream, as UTF-16 or as 8-bit windows-1252 ("compressed").
//!
//! Paragraph marks, line and page breaks become line ends, tabs a space; a field's code
//! (`HYPERLINK "…"`, `PAGE`) is left out and its result kept; pictures and notes' anchors are
//! left out. Table cells end with a cell mark: a table whose cells are a school's form
//! ([`super::form::form_fields`]) gives its fields and no text; any other is read a cell a line.
//!
//! [MS-DOC]: https://learn.microsoft.com/en-us/openspecs/office_file_formats/ms-doc/ (the FIB:
//! 2.5.1, `fcClx` at byte 0x1A2 and `ccpText` at 0x4C of the stream; the Clx, Pcdt and PlcPcd:
//! 2.9.38, 2.9.178, 2.8.35; FcCompressed: 2.9.73; the special characters: 2.8.25).

use std::io::Read;

use super::form::form_fields;

/// Whether a path is an old Word or WPS document.
pub fn is_doc(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("doc") || e.eq_ignore_ascii_case("wps"))
}

/// What was read of a document: its text and the fields of its form (班级, 姓名 …), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    pub meta: Vec<(String, String)>,
    /// Set when the document holds several forms naming writers (a class set): they are read
    /// as text, since the essays' headings, which would tell which form is whose, are not read.
    pub several_forms: bool,
}

/// What to do with an old Word document that cannot be read.
const SAVE_AS: &str = "open it in Word or WPS and save it as .docx";

/// The document's text, one paragraph a line.
pub fn text(bytes: &[u8]) -> Result<Document, String> {
    if bytes.is_empty() {
        return Err("empty file: no text to analyse".to_owned());
    }
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(|e| {
        if bytes.starts_with(b"PK\x03\x04") {
            "a Word document (.docx) named .doc: rename it .docx".to_owned()
        } else if bytes.starts_with(b"{\\rtf") {
            format!("an RTF file named .doc, which wenxi does not read: {SAVE_AS}")
        } else {
            format!("not a Word document, or a damaged one ({e}): {SAVE_AS}")
        }
    })?;
    let mut stream = |name: &str| -> Result<Vec<u8>, String> {
        let mut data = Vec::new();
        file.open_stream(name)
            .and_then(|mut s| s.read_to_end(&mut data))
            .map_err(|_| format!("not a Word document: it has no {name} stream ({SAVE_AS})"))?;
        Ok(data)
    };
    let main = stream("/WordDocument")?;
    let u16_at = |data: &[u8], at: usize| {
        data.get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |data: &[u8], at: usize| {
        data.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let damaged = || format!("a damaged Word document (its text cannot be found): {SAVE_AS}");
    if u16_at(&main, 0) != Some(0xA5EC) {
        return Err(damaged());
    }
    // Word 97 and later; Word 6 and 95 wrote another layout.
    let version = u16_at(&main, 2).ok_or_else(damaged)?;
    if version < 0x00C1 {
        return Err(format!(
            "a Word document older than Word 97 (Word 6 or 95), which wenxi does not read: {SAVE_AS}"
        ));
    }
    let flags = u16_at(&main, 0x0A).ok_or_else(damaged)?;
    if flags & 0x0100 != 0 {
        return Err(
            "a password-protected Word document: open it in Word, remove the password and save \
             it as .docx"
                .to_owned(),
        );
    }
    let table = stream(if flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    })?;
    let characters = u32_at(&main, 0x4C).ok_or_else(damaged)? as usize;
    let (fc_clx, lcb_clx) = (
        u32_at(&main, 0x1A2).ok_or_else(damaged)? as usize,
        u32_at(&main, 0x1A6).ok_or_else(damaged)? as usize,
    );
    let clx = table
        .get(fc_clx..fc_clx.saturating_add(lcb_clx))
        .ok_or_else(damaged)?;
    let pieces = pieces(clx).ok_or_else(damaged)?;
    // The main document's characters, piece by piece.
    // Room for what the stream can hold at most, whatever a damaged count says.
    let mut chars: Vec<u16> = Vec::with_capacity(characters.min(main.len()));
    for (start, end, fc) in pieces {
        if start >= characters {
            break;
        }
        let n = end.min(characters).saturating_sub(start);
        let compressed = fc & 0x4000_0000 != 0;
        let fc = (fc & 0x3FFF_FFFF) as usize;
        if compressed {
            let at = fc / 2;
            let run = main.get(at..at + n).ok_or_else(damaged)?;
            // windows-1252, as [MS-DOC] 2.9.73 maps it: one character a byte.
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(run);
            chars.extend(text.encode_utf16());
        } else {
            let run = main.get(fc..fc + 2 * n).ok_or_else(damaged)?;
            chars.extend(
                run.chunks_exact(2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]])),
            );
        }
    }
    Ok(read_characters(&String::from_utf16_lossy(&chars)))
}

/// The pieces of the piece table in a `Clx`: (first character, end, FcCompressed).
fn pieces(clx: &[u8]) -> Option<Vec<(usize, usize, u32)>> {
    let mut at = 0;
    // Prc entries (formatting) come first, each 0x01, a 16-bit size and that many bytes.
    while *clx.get(at)? == 0x01 {
        let size = i16::from_le_bytes([*clx.get(at + 1)?, *clx.get(at + 2)?]);
        at += 3 + usize::try_from(size).ok()?;
    }
    if *clx.get(at)? != 0x02 {
        return None;
    }
    let lcb = u32::from_le_bytes(clx.get(at + 1..at + 5)?.try_into().ok()?) as usize;
    let plc = clx.get(at + 5..at + 5 + lcb)?;
    // n + 1 character positions, then n piece descriptors of 8 bytes.
    let n = lcb.checked_sub(4)? / 12;
    let cp = |i: usize| -> Option<usize> {
        Some(u32::from_le_bytes(plc.get(4 * i..4 * i + 4)?.try_into().ok()?) as usize)
    };
    (0..n)
        .map(|i| {
            let pcd = 4 * (n + 1) + 8 * i;
            let fc = u32::from_le_bytes(plc.get(pcd + 2..pcd + 6)?.try_into().ok()?);
            Some((cp(i)?, cp(i + 1)?, fc))
        })
        .collect()
}

/// The text of the main document's characters: paragraphs a line each, fields' results
/// without their codes, tables of a form left out (their fields kept), other tables a cell a
/// line. A table is the run of cells (each ended by a cell mark) up to the next paragraph mark:
/// a cell of several paragraphs has its first ones read as text before the table.
fn read_characters(raw: &str) -> Document {
    let mut text = String::with_capacity(raw.len());
    let mut meta: Vec<(String, String)> = Vec::new();
    // Each open field: whether its result (after its code) is being read.
    let mut fields: Vec<bool> = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    // Where the table being read starts in `text`, and where the current line does.
    let mut table: Option<usize> = None;
    let mut line = 0;
    let mut forms: Vec<(usize, usize, Vec<(String, String)>)> = Vec::new();
    for c in raw.chars() {
        match c {
            '\u{13}' => fields.push(false),
            '\u{14}' => {
                if let Some(last) = fields.last_mut() {
                    *last = true;
                }
            }
            '\u{15}' => {
                fields.pop();
            }
            _ if fields.iter().any(|result| !result) => {}
            '\u{07}' => {
                table.get_or_insert(line);
                cells.push(
                    text[line..]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                text.push('\n');
                line = text.len();
            }
            '\r' | '\u{0B}' | '\u{0C}' => {
                if let Some(start) = table.take() {
                    forms.extend(finish_table(start, line, &mut cells));
                }
                text.push('\n');
                line = text.len();
            }
            '\t' => text.push(' '),
            // A column break.
            '\u{0E}' => text.push('\n'),
            '\u{1E}' => text.push('\u{2011}'),
            // Pictures, drawn objects, notes' and comments' anchors, soft hyphens.
            '\u{01}' | '\u{02}' | '\u{03}' | '\u{04}' | '\u{05}' | '\u{08}' | '\u{1F}' => {}
            c => text.push(c),
        }
    }
    if let Some(start) = table {
        forms.extend(finish_table(start, text.len(), &mut cells));
    }
    let writers = forms
        .iter()
        .filter(|(_, _, fields)| fields.iter().any(|(l, _)| super::form::names_the_writer(l)))
        .count();
    let several_forms = writers > 1;
    if !several_forms {
        for (_, _, fields) in &forms {
            super::form::add_fields(&mut meta, fields);
        }
        // Last to first, so that each range still holds its form.
        for (start, end, _) in forms.into_iter().rev() {
            text.replace_range(start..end, "");
        }
    }
    Document {
        text,
        meta,
        several_forms,
    }
}

/// Ends the table of `cells`, whose lines are `text[start..end]`: if it is a form, where it
/// lies and its fields. Rows are not marked apart from cells in the text: an empty cell after a
/// filled one (a row's end mark) starts a new row.
fn finish_table(
    start: usize,
    end: usize,
    cells: &mut Vec<String>,
) -> Option<(usize, usize, Vec<(String, String)>)> {
    let mut rows: Vec<Vec<String>> = vec![Vec::new()];
    for cell in cells.drain(..) {
        if !cell.is_empty() {
            rows.last_mut().expect("a row").push(cell);
        } else if rows.last().is_some_and(|r| !r.is_empty()) {
            rows.push(Vec::new());
        }
    }
    rows.retain(|r| !r.is_empty());
    form_fields(&rows).map(|fields| (start, end, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_tables_and_marks() {
        // A field shows its result, not its code; marks and anchors are left out.
        let raw = "见\u{13} HYPERLINK \"http://a\" \u{14}链接\u{15}。\u{01}\r第二段\u{0B}换行\tA\r";
        assert_eq!(read_characters(raw).text, "见链接。\n第二段\n换行 A\n");
        // A form's cells (two rows: labels, the row's end mark, values) give fields, no text.
        let form = "班级\u{07}姓名\u{07}\u{07}一班\u{07}张三\u{07}\u{07}我的老师\r";
        let read = read_characters(form);
        assert_eq!(read.text, "我的老师\n");
        assert_eq!(
            read.meta,
            [
                ("班级".to_owned(), "一班".to_owned()),
                ("姓名".to_owned(), "张三".to_owned())
            ]
        );
        // Another table is read a cell a line.
        let table = "春天来了。\u{07}花开了。\u{07}\u{07}正文\r";
        assert_eq!(
            read_characters(table).text,
            "春天来了。\n花开了。\n\n正文\n"
        );
    }

    #[test]
    fn what_is_not_a_word_document_says_so() {
        assert!(text(b"").unwrap_err().contains("empty"));
        assert!(text(b"PK\x03\x04rest")
            .unwrap_err()
            .contains("rename it .docx"));
        assert!(text(b"{\\rtf1 hello}").unwrap_err().contains("RTF"));
    }
}

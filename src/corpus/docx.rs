//! The text of a Word document (`.docx`): the paragraphs of `word/document.xml` in document
//! order, one a line. Runs of a paragraph are joined; tabs become a space, line breaks a new
//! line. Left out: deleted and moved-away text (tracked changes: `w:del`, `w:moveFrom`), the
//! guide text over characters (pinyin in `w:rt`), and the older copy of a text box that Word
//! writes beside the newer (`mc:Fallback`). A text box's paragraphs come after the paragraph
//! that holds the box, not inside it. Elements are taken by their local name in WordprocessingML
//! (`w:t`, or `t` where the document declares it as the default namespace).
//!
//! A table of short cells that is a school's essay form (班级 | 高一(3)班 | 姓名 | 张三, or
//! `班级：高一(3)班` in a cell) is no part of the essay: its fields are the essay's metadata
//! ([`Document::meta`]) and its text is left out. Any other table is read a cell a line.

use std::io::Read;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::QName;
use quick_xml::Reader;

use super::form::form_fields;

/// Whether a path is a Word document.
pub fn is_docx(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// The document's paragraphs, one a line, as one text, or as several where the document
/// holds several essays ([`parts`]).
pub fn text(bytes: &[u8]) -> Result<Document, String> {
    if bytes.is_empty() {
        return Err("empty file: no text to analyse".to_owned());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        if bytes.starts_with(b"PK") {
            format!("a damaged Word document (cut short? {e}): open it in Word and save it again")
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "an old Word document (.doc) named .docx: rename it .doc".to_owned()
        } else if std::str::from_utf8(&bytes[..bytes.len().min(4096)])
            .map_or_else(|e| e.error_len().is_none(), |_| true)
        {
            "plain text, not a Word document: rename it .txt".to_owned()
        } else {
            format!("not a Word document (.docx is a zip archive): {e}")
        }
    })?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "not a Word document: it has no word/document.xml".to_owned())?
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    let mut styles = String::new();
    let headings = match archive.by_name("word/styles.xml") {
        Ok(mut file) => match file.read_to_string(&mut styles) {
            Ok(_) => heading_styles(&styles),
            Err(_) => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    // Without a list of styles, the ids Word gives the built-in ones in English.
    let headings = match headings.is_empty() {
        true => vec!["Heading1".to_owned(), "1".to_owned()],
        false => headings,
    };
    let (text, paragraphs, forms) = paragraphs(&xml, &headings)?;
    if text.trim().is_empty() && (xml.contains("<w:drawing") || xml.contains("<w:pict")) {
        return Err(
            "the document holds pictures and no text (a scanned essay needs OCR first)".to_owned(),
        );
    }
    let mut document = parts(text, &paragraphs);
    let writers = forms.iter().filter(|f| f.names_the_writer()).count();
    // Several writers' forms in a document read whole (its essays not headed in Heading 1):
    // which form is whose cannot be told, so they are read as text, and said so.
    if document.parts.len() == 1 && writers > 1 {
        let mut whole = document.parts.pop().expect("one part");
        for form in forms.iter().rev() {
            whole.insert_str(form.at, &form.text);
        }
        document.parts.push(whole);
        document.several_forms = true;
        return Ok(document);
    }
    document.meta = forms_of_parts(&document, &forms);
    Ok(document)
}

/// The text of a document: one part, or several essays and the short cover text before the
/// first (a collection's title), which is no essay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub parts: Vec<String>,
    pub cover: Option<String>,
    /// The headings with no text under them, left out.
    pub empty: Vec<String>,
    /// Whether the first part is the text before the first heading (a preface).
    pub preface: bool,
    /// The whole text, when cut: read whole if the parts turn out not to be essays.
    pub whole: String,
    /// The fields of the forms in each part (beside `parts`), and of all of them (last), for
    /// the whole text: (label, value), each label once, the first value found.
    pub meta: Vec<Vec<(String, String)>>,
    /// The heading of each part (beside `parts`; empty for a preface): the lines of a form's
    /// fields above it on its page are the essay's, not the heading itself, whatever it reads.
    pub titles: Vec<String>,
    /// Several forms naming writers in a document read whole: read as text.
    pub several_forms: bool,
}

impl Document {
    /// The fields of the forms of part `i`.
    pub fn part_meta(&self, i: usize) -> &[(String, String)] {
        self.meta.get(i).map_or(&[], Vec::as_slice)
    }

    /// The fields of every form of the document.
    pub fn all_meta(&self) -> &[(String, String)] {
        self.meta.last().map_or(&[], Vec::as_slice)
    }
}

/// A form read and left out of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    /// Where its text would have been.
    at: usize,
    /// A page break came before it: it starts a page.
    new_page: bool,
    fields: Vec<(String, String)>,
    /// A page break came after it before any text: it ends a page.
    break_after: bool,
    /// Its text, put back if the forms are read as text after all.
    text: String,
}

impl Form {
    fn names_the_writer(&self) -> bool {
        self.fields
            .iter()
            .any(|(l, _)| super::form::names_the_writer(l))
    }
}

/// The fields of the forms that fall in each part of `document`, then of all forms. A form
/// goes with the part it is in, or with the next when it starts that part's page (a page break
/// before it, and nothing but blank lines between it and the part's heading). A form before
/// the first part (above a class set, on its cover) goes with every part that has no form of
/// its own; so does one just above the first heading when no other part has a form.
fn forms_of_parts(document: &Document, forms: &[Form]) -> Vec<Vec<(String, String)>> {
    let add = super::form::add_fields;
    let mut meta = vec![Vec::new(); document.parts.len() + 1];
    let whole = document.parts.len();
    for form in forms {
        add(&mut meta[whole], &form.fields);
    }
    match document.parts.len() {
        // Headings with nothing under them: no essay to give the fields to.
        0 => return meta,
        1 => {
            meta[0] = meta[whole].clone();
            return meta;
        }
        _ => {}
    }
    // Where each part starts in the whole text: parts are slices of it, in order.
    let text = &document.whole;
    let mut starts = Vec::with_capacity(document.parts.len());
    let mut from = 0;
    for part in &document.parts {
        let at = text[from..].find(part.as_str()).map_or(from, |i| from + i);
        starts.push(at);
        from = at + part.len();
    }
    let mut everyone: Vec<(String, String)> = Vec::new();
    // Essays signed under their text: the last one has a form naming its writer under text of
    // its own. Then a form just above a heading is the essay's above it.
    let last = *starts.last().expect("parts");
    let signed_under = forms.iter().any(|form| {
        form.at > last
            && text[last..form.at]
                .lines()
                .filter(|l| !l.trim().is_empty() && !super::form::is_field_line(l))
                .count()
                >= 2
            && form.names_the_writer()
    });
    for form in forms {
        let at = &form.at;
        // A form at a part's very start (its text taken out where the heading begins) is
        // before that part.
        let next = starts.partition_point(|&s| s < *at);
        let above = starts
            .get(next)
            .is_some_and(|&s| text[*at..s].trim().is_empty());
        match next.checked_sub(1) {
            // Above a heading: the next essay's when it starts the page, or names the writer
            // (a score under an essay, 得分 | 45, stays its own).
            _ if above
                && !form.break_after
                && !signed_under
                && next > 0
                && (form.new_page || form.names_the_writer()) =>
            {
                add(&mut meta[next], &form.fields);
            }
            Some(part) => add(&mut meta[part], &form.fields),
            None => add(&mut everyone, &form.fields),
        }
    }
    // Before the first part: the first part's if it is just above its heading and the other
    // parts have forms of the same fields, else every part's (a class's form on the cover).
    if !everyone.is_empty() {
        let first_above = forms
            .iter()
            .any(|form| form.at <= starts[0] && text[form.at..starts[0]].trim().is_empty());
        let same_kind = everyone.iter().all(|(label, _)| {
            meta.iter()
                .take(document.parts.len())
                .skip(1)
                .any(|fields| fields.iter().any(|(l, _)| l == label))
        });
        if first_above && same_kind {
            add(&mut meta[0], &everyone);
        } else {
            for part in meta.iter_mut().take(document.parts.len()) {
                add(part, &everyone);
            }
        }
    }
    meta
}

/// A paragraph of the body: where its text starts, whether it is styled as a title or a
/// first-level heading, and whether a page break comes before it.
#[derive(Debug, Clone, Copy, Default)]
struct Paragraph {
    start: usize,
    end: usize,
    heading: bool,
    new_page: bool,
    /// Where its page starts, when lines of a form's fields (`班级：一班  姓名：张三`) come
    /// between the page break and it: the essay it heads starts there.
    page: usize,
}

/// The value of an element's attribute `name` (by its local name: `w:val` or `val`).
fn attribute(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .map(|a| String::from(a.value.as_ref()))
}

/// The ids of the styles named `heading 1` in `word/styles.xml` (Word keeps the built-in names
/// in English whatever the language of its menus: 标题 1 is `heading 1`, with an id such as
/// `1`). The Title style is a cover's, not an essay's.
fn heading_styles(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut ids = Vec::new();
    let mut current: Option<String> = None;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) if local(e.name()) == Some("style") => {
                current = attribute(&e, "styleId");
            }
            Event::Empty(e) if local(e.name()) == Some("name") => {
                let name = attribute(&e, "val").unwrap_or_default().to_lowercase();
                if name == "heading 1" {
                    ids.extend(current.take());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    ids
}

/// A document of several essays: two or more paragraphs styled as a first-level heading, each
/// after the first on a new page (a page break before it, or the paragraph's page break
/// before; a section break is not read, its kind being told by the next section), as a teacher
/// compiles a class's essays into one document. Cut before each such heading. The text before
/// the first is a part of its own (a preface) unless it is a few short lines without clauses
/// (a cover, a table of contents: `Document::cover`), as is a first heading's page of such
/// lines. Headings without page breaks may be the sections of one essay: such a document stays
/// whole.
fn parts(text: String, paragraphs: &[Paragraph]) -> Document {
    let headings: Vec<&Paragraph> = paragraphs
        .iter()
        .filter(|p| p.heading && !text[p.start..p.end].trim().is_empty())
        .collect();
    if headings.len() < 2 || !headings[1..].iter().all(|p| p.new_page) {
        return Document {
            parts: vec![text],
            cover: None,
            empty: Vec::new(),
            preface: false,
            whole: String::new(),
            meta: Vec::new(),
            titles: Vec::new(),
            several_forms: false,
        };
    }
    // An essay starts at its heading, or at the lines of its form's fields just above it.
    // Lines on the previous page (before the page break) are never this essay's.
    let cuts_at = |heading: &Paragraph| -> usize {
        let mut cut = heading.page.min(heading.start);
        if heading.new_page && heading.page >= heading.start {
            return cut;
        }
        let at = paragraphs
            .iter()
            .position(|p| std::ptr::eq(p, heading))
            .unwrap_or(0);
        for p in paragraphs[..at].iter().rev() {
            let line = text[p.start..p.end].trim();
            if !line.is_empty() && !super::form::is_field_line(line) {
                break;
            }
            if !line.is_empty() {
                cut = cut.min(p.start);
            }
            if p.new_page {
                break;
            }
        }
        cut
    };
    let mut cuts: Vec<usize> = headings.iter().map(|p| cuts_at(p)).collect();
    let heading_at: Vec<(usize, String)> = headings
        .iter()
        .zip(&cuts)
        .map(|(p, &cut)| (cut, text[p.start..p.end].trim().to_owned()))
        .collect();
    let mut titles: Vec<String> = Vec::new();
    cuts.push(text.len());
    let mut parts = Vec::with_capacity(cuts.len());
    let before = text[..cuts[0]].trim();
    // Front matter of short lines and no sentence (a collection's title, a teacher's name, a
    // table of contents) is no essay; anything with sentences, a preface, is a part.
    let cover_like = |lines: &[&str]| {
        lines.len() <= 12
            && lines.iter().all(|l| {
                l.chars().count() <= 30
                    && !l.contains(['。', '！', '？', '!', '?', '，', '；', '、', ',', ';'])
            })
    };
    let mut lines: Vec<&str> = before.lines().filter(|l| !l.trim().is_empty()).collect();
    // A collection's title may be a Heading 1 itself: its page of short lines is a cover too.
    let first: Vec<&str> = text[cuts[0]..cuts[1]]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    if cover_like(&lines) && cover_like(&first) && cuts.len() > 3 {
        lines.extend(first);
        cuts.remove(0);
    }
    let before = text[..cuts[0]].trim();
    let cover = cover_like(&lines);
    let preface = !before.is_empty() && !cover;
    if preface {
        parts.push(text[..cuts[0]].to_owned());
        titles.push(String::new());
    }
    // A heading with nothing under it is no essay either.
    let mut empty = Vec::new();
    for pair in cuts.windows(2) {
        let part = &text[pair[0]..pair[1]];
        let mut lines = part.lines().filter(|l| !l.trim().is_empty());
        let heading = lines.next().unwrap_or_default().trim().to_owned();
        if lines.next().is_none() {
            empty.push(heading);
        } else {
            parts.push(part.to_owned());
            titles.push(
                heading_at
                    .iter()
                    .find(|(cut, _)| *cut == pair[0])
                    .map_or(String::new(), |(_, t)| t.clone()),
            );
        }
    }
    let cover = (cover && !before.is_empty()).then(|| match lines.len() {
        1 => lines[0].trim().to_owned(),
        n => format!("{} and {} more line(s)", lines[0].trim(), n - 1),
    });
    Document {
        parts,
        cover,
        empty,
        preface,
        whole: text,
        meta: Vec::new(),
        titles,
        several_forms: false,
    }
}

/// The local name of a WordprocessingML element (prefix `w`, or none), or of a markup
/// compatibility one (`mc`) as `mc:` and its name; `None` for others.
fn local(name: QName<'_>) -> Option<&str> {
    match name.prefix().map(|p| p.into_inner()) {
        None | Some("w") => Some(name.local_name().into_inner()),
        Some("mc") => Some(name.into_inner()),
        Some(_) => None,
    }
}

/// A table of the body being read: where its text starts, how many paragraphs of the body came
/// before it, its rows of cells, where the cell being read starts, how deep in tables the
/// reader is, and whether it holds what a form does not (a table or a text box).
struct Table {
    start: usize,
    paragraphs: usize,
    rows: Vec<Vec<String>>,
    cell: usize,
    depth: usize,
    plain: bool,
}

/// The paragraphs of a WordprocessingML body, and where each paragraph of the body (not of a
/// text box) starts, with whether it is styled as one of `headings`; and the forms of the body,
/// whose text is left out ([`form_fields`]).
/// A body's text, its paragraphs and its forms.
type Body = (String, Vec<Paragraph>, Vec<Form>);

fn paragraphs(xml: &str, headings: &[String]) -> Result<Body, String> {
    let mut reader = Reader::from_str(xml);
    let mut body: Vec<Paragraph> = Vec::new();
    let mut forms: Vec<Form> = Vec::new();
    let mut table: Option<Table> = None;
    // Whether a paragraph with text has ended since the last form.
    let mut text_after_form = true;
    let mut paragraph = Paragraph::default();
    // A page break read: the next paragraph of the body starts a page.
    let mut page_break = false;
    // Where the page of the pending page break starts (see `Paragraph::page`).
    let mut page_from: Option<usize> = None;
    // A switch of WordprocessingML: on unless its value says off.
    let on = |e: &quick_xml::events::BytesStart<'_>| {
        attribute(e, "val").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"))
    };
    // The text of the body, and of each text box open (innermost last); the text boxes closed
    // in the paragraph being read, which follow it.
    let mut out = String::new();
    let mut boxes: Vec<String> = Vec::new();
    let mut after: Vec<Vec<String>> = vec![Vec::new()];
    // Inside <w:t> (text); inside elements whose text is left out, how deep.
    let (mut in_text, mut hidden) = (false, 0usize);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("damaged word/document.xml: {e}"))?;
        let in_body = boxes.is_empty();
        let target = boxes.last_mut().unwrap_or(&mut out);
        match event {
            Event::Start(e) => match local(e.name()) {
                Some("p") if hidden == 0 && in_body => {
                    // A page break before a table is the page's, not its first cell's.
                    let new_page = table.is_none() && std::mem::take(&mut page_break);
                    paragraph = Paragraph {
                        start: target.len(),
                        end: target.len(),
                        heading: false,
                        new_page,
                        page: match new_page {
                            true => page_from.take().unwrap_or(target.len()),
                            false => target.len(),
                        },
                    };
                }

                Some("t") => in_text = true,
                Some("tbl") if hidden == 0 && in_body => match &mut table {
                    Some(outer) => {
                        outer.depth += 1;
                        outer.plain = true;
                    }
                    None => {
                        table = Some(Table {
                            start: target.len(),
                            paragraphs: body.len(),
                            rows: Vec::new(),
                            cell: target.len(),
                            depth: 1,
                            plain: false,
                        })
                    }
                },
                Some("tr") if hidden == 0 && in_body => {
                    if let Some(t) = table.as_mut().filter(|t| t.depth == 1) {
                        t.rows.push(Vec::new());
                    }
                }
                Some("tc") if hidden == 0 && in_body => {
                    if let Some(t) = table.as_mut().filter(|t| t.depth == 1) {
                        t.cell = target.len();
                    }
                }
                Some(
                    "del" | "moveFrom" | "rt" | "mc:Fallback" | "pPrChange" | "rPrChange"
                    | "sectPrChange",
                ) => hidden += 1,
                Some("txbxContent") if hidden == 0 => {
                    if let Some(t) = &mut table {
                        t.plain = true;
                    }
                    boxes.push(String::new());
                    after.push(Vec::new());
                }
                _ => {}
            },
            Event::End(e) => match local(e.name()) {
                Some("t") => in_text = false,
                Some("tc") if hidden == 0 && in_body => {
                    if let Some(t) = table.as_mut().filter(|t| t.depth == 1) {
                        let text = target[t.cell.min(target.len())..].trim().to_owned();
                        if let Some(row) = t.rows.last_mut() {
                            row.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
                        }
                    }
                }
                Some("tbl") if hidden == 0 && in_body => {
                    if let Some(t) = &mut table {
                        t.depth -= 1;
                        if t.depth == 0 {
                            let t = table.take().expect("a table");
                            if let Some(fields) = (!t.plain).then(|| form_fields(&t.rows)).flatten()
                            {
                                let text = target.split_off(t.start);
                                body.truncate(t.paragraphs);
                                forms.push(Form {
                                    at: t.start,
                                    new_page: page_break,
                                    fields,
                                    break_after: false,
                                    text,
                                });
                                text_after_form = false;
                            }
                        }
                    }
                }
                Some(
                    "del" | "moveFrom" | "rt" | "mc:Fallback" | "pPrChange" | "rPrChange"
                    | "sectPrChange",
                ) => hidden = hidden.saturating_sub(1),

                Some("txbxContent") if hidden == 0 => {
                    let text = boxes.pop().unwrap_or_default();
                    let inner = after.pop().unwrap_or_default();
                    let level = after.last_mut().expect("the body's level");
                    level.push(text);
                    level.extend(inner);
                }
                Some("p") if hidden == 0 => {
                    if in_body {
                        paragraph.end = target.len();
                        body.push(paragraph);
                        // An empty paragraph on a new page (a page break alone) leaves the
                        // page to the next; so does a line of a form's fields, whose page
                        // then starts at it.
                        let line = target[paragraph.start..].trim();
                        if !line.is_empty() && table.is_none() {
                            text_after_form = true;
                        }
                        if paragraph.new_page && line.is_empty() {
                            page_break = true;
                        } else if paragraph.new_page && super::form::is_field_line(line) {
                            page_break = true;
                            page_from = Some(paragraph.page);
                        }
                        if line.is_empty() && page_break && paragraph.page < paragraph.start {
                            page_from = Some(paragraph.page);
                        }
                    }
                    target.push('\n');
                    for text in after.last_mut().map(std::mem::take).unwrap_or_default() {
                        let target = boxes.last_mut().unwrap_or(&mut out);
                        target.push_str(&text);
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match local(e.name()) {
                _ if hidden > 0 => {}
                Some("pStyle") if in_body => {
                    paragraph.heading =
                        attribute(&e, "val").is_some_and(|style| headings.contains(&style));
                }
                Some("pageBreakBefore") if in_body => paragraph.new_page |= on(&e),
                Some("br") if in_body && attribute(&e, "type").is_some_and(|t| t == "page") => {
                    if !text_after_form && table.is_none() {
                        if let Some(form) = forms.last_mut() {
                            form.break_after = true;
                        }
                    }
                    // At the start of a paragraph, the paragraph starts the page; later in
                    // it, the next paragraph does.
                    if target[paragraph.start..].trim().is_empty() {
                        paragraph.new_page = true;
                    } else {
                        page_break = true;
                    }
                    target.push('\n');
                }
                Some("tab") => target.push(' '),
                Some("br" | "cr") => target.push('\n'),
                Some("noBreakHyphen") => target.push('\u{2011}'),
                Some("p") => target.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text && hidden == 0 => {
                target.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_text && hidden == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    target.push(c);
                } else if let Some(s) = resolve_predefined_entity(&r.xml10_content()) {
                    target.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Text boxes outside any paragraph.
    for text in after.into_iter().flatten() {
        out.push_str(&text);
    }
    for text in boxes {
        out.push_str(&text);
    }
    Ok((out, body, forms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_runs_and_entities() {
        let xml = r#"<w:document><w:body>
            <w:p><w:r><w:t>我的</w:t></w:r><w:r><w:t xml:space="preserve">妈妈</w:t></w:r></w:p>
            <w:p><w:r><w:t>她说：&lt;好&gt; &amp; 对</w:t><w:tab/><w:t>嗯</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:del><w:r><w:delText>删掉</w:delText></w:r></w:del><w:r><w:t>留下</w:t></w:r></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml, &[]).unwrap().0,
            "我的妈妈\n她说：<好> & 对 嗯\n\n留下\n"
        );
    }

    /// A document as Word writes it, its body `body`.
    fn body(body: &str) -> String {
        format!(r#"<w:document xmlns:w="w" xmlns:mc="mc"><w:body>{body}</w:body></w:document>"#)
    }

    #[test]
    fn text_boxes_once_after_their_paragraph() {
        let boxed = "<w:p><w:r><w:t>框里的话。</w:t></w:r></w:p>";
        let xml = body(&format!(
            "<w:p><w:r><w:t>春天来了，</w:t></w:r><w:r><mc:AlternateContent><mc:Choice>\
             <w:drawing><w:txbxContent>{boxed}</w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent>{boxed}</w:txbxContent></w:pict>\
             </mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>桃花开了。</w:t></w:r></w:p>\
             <w:p><w:r><w:t>下一段。</w:t></w:r></w:p>"
        ));
        assert_eq!(
            paragraphs(&xml, &[]).unwrap().0,
            "春天来了，桃花开了。\n框里的话。\n下一段。\n"
        );
    }

    #[test]
    fn moved_text_ruby_and_hyphens() {
        let xml = body(
            "<w:p><w:moveFrom><w:r><w:t>移走的。</w:t></w:r></w:moveFrom><w:r><w:t>留下</w:t>\
             </w:r><w:ruby><w:rt><w:r><w:t>táo</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>桃</w:t>\
             </w:r></w:rubyBase></w:ruby><w:r><w:t>校园</w:t><w:noBreakHyphen/><w:t>桃花</w:t>\
             </w:r></w:p><w:p><w:moveTo><w:r><w:t>移走的。</w:t></w:r></w:moveTo></w:p>",
        );
        assert_eq!(
            paragraphs(&xml, &[]).unwrap().0,
            "留下桃校园\u{2011}桃花\n移走的。\n"
        );
    }

    #[test]
    fn a_default_namespace_is_read() {
        let xml = r#"<document xmlns="w"><body><p><r><t>我的老师</t></r></p><p><r><t>她很好。</t></r></p></body></document>"#;
        assert_eq!(paragraphs(xml, &[]).unwrap().0, "我的老师\n她很好。\n");
    }

    #[test]
    fn damaged_and_misnamed_files_say_what_they_are() {
        assert!(text(b"PK\x03\x04 cut short")
            .unwrap_err()
            .contains("damaged Word document"));
        assert!(text("我的老师".as_bytes())
            .unwrap_err()
            .contains("rename it .txt"));
    }

    #[test]
    fn headings_on_new_pages_cut_a_document() {
        let xml = body(
            "<w:p><w:r><w:t>作文集</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>春</w:t></w:r></w:p>\
             <w:p><w:r><w:t>春天来了。</w:t></w:r></w:p>\
             <w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>夏</w:t></w:r></w:p>\
             <w:p><w:r><w:t>夏天热了。</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pageBreakBefore/><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>秋</w:t></w:r></w:p>\
             <w:p><w:r><w:t>秋天凉了。</w:t></w:r></w:p>",
        );
        let headings = ["1".to_owned()];
        let (text, paras, _) = paragraphs(&xml, &headings).unwrap();
        let document = parts(text, &paras);
        assert_eq!(
            document.parts,
            [
                "春\n春天来了。\n\n\n",
                "夏\n夏天热了。\n",
                "秋\n秋天凉了。\n"
            ]
        );
        assert_eq!(document.cover.as_deref(), Some("作文集"));
        // Without the breaks: the sections of one essay.
        let whole = xml
            .replace("<w:br w:type=\"page\"/>", "")
            .replace("<w:pageBreakBefore/>", "");
        let (text, paras, _) = paragraphs(&whole, &headings).unwrap();
        assert_eq!(parts(text, &paras).parts.len(), 1);
        let styles = r#"<w:styles><w:style w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:styleId="2"><w:name w:val="heading 2"/></w:style><w:style w:styleId="a3"><w:name w:val="Title"/></w:style></w:styles>"#;
        assert_eq!(heading_styles(styles), ["1"]);
    }

    #[test]
    fn a_form_is_left_out_of_the_text() {
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(l, v)| (l.to_string(), v.to_string()))
                .collect()
        };
        // A school's form in the body: left out of the text, its fields kept.
        let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
        let xml = format!(
            r#"<w:document xmlns:w="w"><w:body><w:tbl><w:tr>{}{}</w:tr></w:tbl><w:p><w:r><w:t>我的老师</w:t></w:r></w:p></w:body></w:document>"#,
            cell("班级：三班"),
            cell("姓名：李四")
        );
        let (text, paras, forms) = paragraphs(&xml, &[]).unwrap();
        assert_eq!(text, "我的老师\n");
        assert_eq!(paras.len(), 1);
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].at, 0);
        assert_eq!(
            forms[0].fields,
            pairs(&[("班级", "三班"), ("姓名", "李四")])
        );
        // Its text, kept to be put back if the forms are read as text after all.
        assert_eq!(forms[0].text, "班级：三班\n姓名：李四\n");
    }

    #[test]
    fn headings_with_nothing_under_them_give_no_part_to_a_form() {
        let document = Document {
            parts: Vec::new(),
            cover: None,
            empty: vec!["第一章".to_owned(), "第二章".to_owned()],
            preface: false,
            whole: "第一章\n第二章\n".to_owned(),
            meta: Vec::new(),
            titles: Vec::new(),
            several_forms: false,
        };
        let form = Form {
            at: 0,
            new_page: false,
            fields: vec![("班级".to_owned(), "一班".to_owned())],
            break_after: false,
            text: "班级 一班\n".to_owned(),
        };
        let meta = forms_of_parts(&document, &[form]);
        assert_eq!(meta, vec![vec![("班级".to_owned(), "一班".to_owned())]]);
    }

    #[test]
    fn not_a_docx() {
        let err = text(&[0xff, 0xfe, 0, 1, 2]).unwrap_err();
        assert!(err.contains("not a Word document"), "{err}");
    }
}

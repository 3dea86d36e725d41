//! The text of a Word document (`.docx`): the paragraphs of `word/document.xml` in document
//! order, one a line. Runs of a paragraph are joined; tabs become a space, line breaks a new
//! line; deleted text (tracked changes) is left out.

use std::io::Read;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Whether a path is a Word document.
pub fn is_docx(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// The document's paragraphs, one a line.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a Word document (.docx is a zip archive): {e}"))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| "not a Word document: it has no word/document.xml".to_owned())?
        .read_to_string(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    paragraphs(&xml)
}

/// The paragraphs of a WordprocessingML body.
fn paragraphs(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    // Inside <w:t> (text), inside <w:del> (deleted text, left out).
    let (mut in_text, mut deleted) = (false, 0usize);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("damaged word/document.xml: {e}"))?;
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "w:t" => in_text = true,
                "w:del" => deleted += 1,
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:del" => deleted = deleted.saturating_sub(1),
                "w:p" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" if deleted == 0 => out.push(' '),
                "w:br" | "w:cr" if deleted == 0 => out.push('\n'),
                "w:p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text && deleted == 0 => {
                out.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_text && deleted == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) = resolve_predefined_entity(&r.xml10_content()) {
                    out.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
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
            paragraphs(xml).unwrap(),
            "我的妈妈\n她说：<好> & 对 嗯\n\n留下\n"
        );
    }

    #[test]
    fn not_a_docx() {
        let err = text(b"plain text, not a zip").unwrap_err();
        assert!(err.contains("not a Word document"), "{err}");
    }
}

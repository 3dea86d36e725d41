//! The text of a Word document (`.docx`): the paragraphs of `word/document.xml` in document
//! order, one a line. Runs of a paragraph are joined; tabs become a space, line breaks a new
//! line. Left out: deleted and moved-away text (tracked changes: `w:del`, `w:moveFrom`), the
//! guide text over characters (pinyin in `w:rt`), and the older copy of a text box that Word
//! writes beside the newer (`mc:Fallback`). A text box's paragraphs come after the paragraph
//! that holds the box, not inside it. Elements are taken by their local name in WordprocessingML
//! (`w:t`, or `t` where the document declares it as the default namespace).

use std::io::Read;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::QName;
use quick_xml::Reader;

/// Whether a path is a Word document.
pub fn is_docx(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// The document's paragraphs, one a line.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        if bytes.starts_with(b"PK") {
            format!("a damaged Word document (cut short? {e}): open it in Word and save it again")
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "an old Word document (.doc) named .docx: save it as .docx in Word and give that"
                .to_owned()
        } else if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
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
    let text = paragraphs(&xml)?;
    if text.trim().is_empty() && (xml.contains("<w:drawing") || xml.contains("<w:pict")) {
        return Err(
            "the document holds pictures and no text (a scanned essay needs OCR first)".to_owned(),
        );
    }
    Ok(text)
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

/// The paragraphs of a WordprocessingML body.
fn paragraphs(xml: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(xml);
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
        let target = boxes.last_mut().unwrap_or(&mut out);
        match event {
            Event::Start(e) => match local(e.name()) {
                Some("t") => in_text = true,
                Some("del" | "moveFrom" | "rt" | "mc:Fallback") => hidden += 1,
                Some("txbxContent") if hidden == 0 => {
                    boxes.push(String::new());
                    after.push(Vec::new());
                }
                _ => {}
            },
            Event::End(e) => match local(e.name()) {
                Some("t") => in_text = false,
                Some("del" | "moveFrom" | "rt" | "mc:Fallback") => {
                    hidden = hidden.saturating_sub(1)
                }
                Some("txbxContent") if hidden == 0 => {
                    let text = boxes.pop().unwrap_or_default();
                    let inner = after.pop().unwrap_or_default();
                    let level = after.last_mut().expect("the body's level");
                    level.push(text);
                    level.extend(inner);
                }
                Some("p") if hidden == 0 => {
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
            paragraphs(&xml).unwrap(),
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
            paragraphs(&xml).unwrap(),
            "留下桃校园\u{2011}桃花\n移走的。\n"
        );
    }

    #[test]
    fn a_default_namespace_is_read() {
        let xml = r#"<document xmlns="w"><body><p><r><t>我的老师</t></r></p><p><r><t>她很好。</t></r></p></body></document>"#;
        assert_eq!(paragraphs(xml).unwrap(), "我的老师\n她很好。\n");
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
    fn not_a_docx() {
        let err = text(&[0xff, 0xfe, 0, 1, 2]).unwrap_err();
        assert!(err.contains("not a Word document"), "{err}");
    }
}

//! Cleaning decoded text: line ends, invisible characters, HTML left over from web pages, stray
//! markup between Chinese characters.
//!
//! Left in the text, `\r\n` becomes the top TF-IDF keyword and `&nbsp;` becomes the word `nbsp`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::is_han;

/// Markup characters that never belong between two Chinese characters (a backtick scraped from a
/// code span, Markdown emphasis, hashtag marks).
const STRAY_MARKUP: &[char] = &['`', '*', '#', '^', '~', '\\', '_'];

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>").expect("valid regex"));
static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,10});?")
        .expect("valid regex")
});

/// Cleans one file's text. Paragraph structure (one paragraph a line) is kept.
///
/// One pass over the text once its line ends, tags and entities are dealt with (each of those
/// copies it only when it has something to change): the characters of a line are mapped into
/// `line`, which goes into the result trimmed. It used to be five passes and a `Vec<char>` of
/// the whole text (4.7% of a `collocates` run at 50 MB); `tests::the_one_pass_equals_the_steps`
/// checks it against those steps.
pub fn clean(text: &str) -> String {
    let text: Cow<'_, str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let text = strip_tags(&text);
    let text = decode_entities(&text);
    let mut out = String::with_capacity(text.len());
    let mut line = String::new();
    // Whether the last character kept is a line end.
    let mut ended = false;
    for (at, c) in text.char_indices() {
        match c {
            '\n' => {
                out.push_str(line.trim());
                out.push('\n');
                line.clear();
                ended = true;
                continue;
            }
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => continue,
            '\u{00A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}' | '\t' => line.push(' '),
            c if STRAY_MARKUP.contains(&c) && is_stray(&text, at, c) => continue,
            c => line.push(c),
        }
        ended = false;
    }
    out.push_str(line.trim());
    // As `str::lines` reads a text: a line end as its last character opens no further line.
    if ended {
        out.pop();
    }
    out
}

/// A markup character (`c`, at byte `at` of `text`) is stray when a Han character stands next to
/// its run of markup characters on either side (`**重点**` loses all four asterisks).
fn is_stray(text: &str, at: usize, c: char) -> bool {
    let is_markup = |c: &char| STRAY_MARKUP.contains(c);
    // Runs longer than four (`*****` rules) are decoration, not stray characters.
    let before = text[..at].chars().rev().take(4).find(|c| !is_markup(c));
    let after = text[at + c.len_utf8()..]
        .chars()
        .take(4)
        .find(|c| !is_markup(c));
    before.is_some_and(is_han) || after.is_some_and(is_han)
}

fn strip_tags(text: &str) -> Cow<'_, str> {
    if !text.contains('<') {
        return Cow::Borrowed(text);
    }
    TAG.replace_all(text, |caps: &regex::Captures| {
        let tag = caps[0].trim_start_matches(['<', '/']).to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        // Block elements end a paragraph; inline ones just go.
        if matches!(
            name.as_str(),
            "br" | "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "tr"
        ) {
            "\n"
        } else {
            ""
        }
    })
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    ENTITY.replace_all(text, |caps: &regex::Captures| {
        let whole = &caps[0];
        let body = &caps[1];
        let terminated = whole.ends_with(';');
        if let Some(number) = body.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            return code
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default();
        }
        match named_entity(&body.to_ascii_lowercase()) {
            Some(s) => s.to_owned(),
            // `&foo;` is an entity we do not know: drop it rather than let `foo` become a word.
            // Without the semicolon it may be text such as `AT&T`.
            None if terminated => String::new(),
            None => whole.to_owned(),
        }
    })
}

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "ldquo" => "“",
        "rdquo" => "”",
        "lsquo" => "‘",
        "rsquo" => "’",
        "hellip" => "…",
        "mdash" => "—",
        "ndash" => "–",
        "middot" => "·",
        "bull" => "•",
        "times" => "×",
        "divide" => "÷",
        "laquo" => "«",
        "raquo" => "»",
        "copy" => "©",
        "reg" => "®",
        "deg" => "°",
        "yen" => "¥",
        "zwj" | "zwnj" | "shy" => "",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cleaning as it was first written, a step at a time: what [`clean`] must equal.
    fn by_steps(text: &str) -> String {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = strip_tags(&text);
        let text = decode_entities(&text);
        let chars: Vec<char> = text.chars().collect();
        let stray = |i: usize| {
            let is_markup = |c: &&char| STRAY_MARKUP.contains(c);
            let before = chars[..i].iter().rev().take(4).find(|c| !is_markup(c));
            let after = chars[i + 1..].iter().take(4).find(|c| !is_markup(c));
            before.is_some_and(|&c| is_han(c)) || after.is_some_and(|&c| is_han(c))
        };
        let mut out = String::with_capacity(text.len());
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
                '\u{00A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}' | '\t' => out.push(' '),
                c if STRAY_MARKUP.contains(&c) && stray(i) => {}
                c => out.push(c),
            }
        }
        out.lines().map(str::trim).collect::<Vec<_>>().join("\n")
    }

    /// On the bundled corpus and on 20,000 strings drawn from the characters each step treats
    /// apart (line ends, spaces, invisible characters, markup, tags, entities, Han characters).
    #[test]
    fn the_one_pass_equals_the_steps() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut checked = 0;
        for entry in std::fs::read_dir(format!("{root}/corpus")).unwrap() {
            let path = entry.unwrap().path();
            if let Ok(text) = std::fs::read_to_string(&path) {
                assert_eq!(clean(&text), by_steps(&text), "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 0);
        let pieces = [
            "\r",
            "\n",
            "\r\n",
            " ",
            "\t",
            "\u{3000}",
            "\u{00A0}",
            "\u{2005}",
            "\u{200B}",
            "\u{FEFF}",
            "\u{00AD}",
            "\u{2028}",
            "\u{85}",
            "*",
            "**",
            "#",
            "_",
            "`",
            "~",
            "\\",
            "^",
            "社",
            "区",
            "a",
            "1",
            "，",
            "<br>",
            "<p class=\"x\">",
            "</span>",
            "&nbsp;",
            "&amp;",
            "&#13;",
            "&#x3000;",
            "&foo;",
            "&T",
            "\u{1F600}",
            "。",
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..20_000 {
            let mut text = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for _ in 0..x % 24 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            assert_eq!(clean(&text), by_steps(&text), "{text:?}");
        }
    }

    #[test]
    fn line_ends_and_invisible_characters() {
        assert_eq!(
            clean("\u{FEFF}第一段\r\n第二\u{200B}段\r第三段"),
            "第一段\n第二段\n第三段"
        );
        assert_eq!(clean("\u{3000}\u{3000}开头缩进  "), "开头缩进");
    }

    #[test]
    fn html_entities_and_tags() {
        assert_eq!(clean("社区&nbsp;居民&amp;志愿者"), "社区 居民&志愿者");
        assert_eq!(
            clean("&ldquo;防护网&rdquo;&#12290;&#x3002;"),
            "“防护网”。。"
        );
        assert_eq!(
            clean("第一段<br/>第二段<span class=\"x\">加粗</span>"),
            "第一段\n第二段加粗"
        );
        assert_eq!(clean("未知实体&foo;不留下"), "未知实体不留下");
        assert_eq!(clean("AT&T 公司"), "AT&T 公司");
    }

    #[test]
    fn stray_markup_between_chinese_characters() {
        assert_eq!(clean("防控措施的`同时全面复工"), "防控措施的同时全面复工");
        assert_eq!(clean("**重点**内容"), "重点内容");
        assert_eq!(clean("C# code_name"), "C# code_name");
    }
}

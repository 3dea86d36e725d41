//! One shared jieba-rs instance, used from rayon workers through `&self`.

use std::path::Path;
use std::sync::LazyLock;

use jieba_rs::Jieba;
use rustc_hash::FxHashSet;

use crate::error::{Error, Result};

/// Longest piece of text handed to jieba-rs at once. Long paragraphs are cut at a line end or
/// sentence punctuation (where jieba-rs itself splits, so the words do not change); this bounds
/// the scratch memory of a 16 MB single-line file.
pub const CHUNK_BYTES: usize = 32 * 1024;

/// A segmented token: a slice of the essay it came from. Part-of-speech tags are looked up per
/// distinct word afterwards ([`Segmenter::tag_word`]), which costs far less than tagging every
/// token and gives the same tag.
pub type Token<'a> = &'a str;

/// Segments text with jieba-rs, HMM on for unknown words.
pub struct Segmenter {
    jieba: Jieba,
    /// The words a user dictionary added to jieba's with the tag c or d.
    user_c_or_d: FxHashSet<String>,
}

/// The words of jieba's dictionary tagged c (conjunction) or d (adverb): see
/// `src/analysis/data/README.md`.
static C_OR_D: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| include_str!("analysis/data/jieba-cd.txt").lines().collect());

/// A line of a user dictionary that was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub reason: &'static str,
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// The default dictionary of jieba-rs (the one Python jieba ships).
    pub fn new() -> Self {
        Segmenter {
            jieba: Jieba::new(),
            user_c_or_d: FxHashSet::default(),
        }
    }

    /// Adds the words of a user dictionary in jieba's format (`word [frequency] [pos-tag]` a line;
    /// a BOM is tolerated). Returns the lines that were skipped, with why.
    pub fn load_user_dict(&mut self, path: &Path) -> Result<Vec<BadLine>> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            what: "user dictionary",
            path: path.into(),
            source,
        })?;
        let text = utf8_text(&bytes, "user dictionary", path)?;
        let mut bad = Vec::new();
        let mut added = 0;
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split_whitespace();
            let word = fields.next().unwrap_or_default();
            let (freq, tag) = match (fields.next(), fields.next(), fields.next()) {
                (None, _, _) => (None, None),
                (Some(freq), tag, None) if freq.parse::<usize>().is_ok() => {
                    (freq.parse().ok(), tag)
                }
                (Some(tag), None, None)
                    if !tag.chars().all(|c| c.is_ascii_digit()) && tag.is_ascii() =>
                {
                    (None, Some(tag))
                }
                (_, _, Some(_)) => {
                    bad.push(BadLine {
                        line: line_no,
                        reason: "more than three fields",
                    });
                    continue;
                }
                _ => {
                    bad.push(BadLine {
                        line: line_no,
                        reason: "frequency is not a whole number",
                    });
                    continue;
                }
            };
            // jieba-rs keeps the tag of a word it has (only its frequency changes).
            if matches!(tag, Some("c" | "d")) && !self.jieba.has_word(word) {
                self.user_c_or_d.insert(word.to_owned());
            }
            self.jieba.add_word(word, freq, tag);
            added += 1;
        }
        if added == 0 {
            return Err(Error::EmptyUserDict { path: path.into() });
        }
        Ok(bad)
    }

    /// Segments `text` into tokens, leaving out whitespace.
    pub fn segment<'a>(&'a self, text: &'a str) -> Vec<Token<'a>> {
        let mut tokens = Vec::new();
        for chunk in chunks(text, CHUNK_BYTES) {
            self.segment_into(chunk, &mut tokens);
        }
        tokens
    }

    /// Appends the tokens of `text` (one chunk, see [`chunks`]) to `out`.
    pub fn segment_into<'a>(&'a self, text: &'a str, out: &mut Vec<Token<'a>>) {
        let from = out.len();
        // jieba-rs emits whitespace one character a token, so the first character tells.
        out.extend(
            self.jieba
                .cut(text, true)
                .into_iter()
                .map(|token| token.word)
                .filter(|word| !word.starts_with(char::is_whitespace)),
        );
        join_full_width(text, out, from);
    }

    /// Whether `word` is in jieba's dictionary (or the user dictionary).
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// Whether the dictionary tags `word` c or d (false for a word it does not hold): what
    /// `jieba.tag` would say of a dictionary word, without tagging it.
    pub fn tags_c_or_d(&self, word: &str) -> bool {
        C_OR_D.contains(word) || (!self.user_c_or_d.is_empty() && self.user_c_or_d.contains(word))
    }

    /// The part-of-speech tag jieba-rs gives `word` where it occurs at byte `offset` of `text`.
    ///
    /// The tag of a word depends on the word alone (its dictionary entry, or jieba's guess for an
    /// unknown word), so tagging the word by itself gives the tag it has in context whenever
    /// jieba-rs keeps it whole; a dictionary word always stays whole, since the route that chose
    /// it in context scores it above any split. An unknown word found by the HMM may be cut
    /// differently alone; then its line of `text` is tagged and the token at `offset` read.
    pub fn tag_word<'a>(&'a self, word: &'a str, text: &'a str, offset: usize) -> &'a str {
        // A run of full-width letters and digits ([`join_full_width`]) is tagged as jieba tags
        // its ASCII form: a number `m`, letters `eng`.
        if !word.is_empty() && word.chars().all(is_full_width_alnum) {
            return if word.chars().all(|c| c.is_numeric()) {
                "m"
            } else {
                "eng"
            };
        }
        if let [only] = self.jieba.tag(word, true).as_slice() {
            if only.word == word {
                return only.tag;
            }
        }
        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let mut piece_start = start;
        for piece in chunks(&text[start..end], CHUNK_BYTES) {
            let piece_end = piece_start + piece.len();
            if offset < piece_end {
                let found = self
                    .jieba
                    .tag(piece, true)
                    .into_iter()
                    .find(|tag| tag.byte_start == offset - piece_start)
                    .map(|tag| tag.tag);
                return found.unwrap_or("x");
            }
            piece_start = piece_end;
        }
        "x"
    }

    /// The underlying jieba-rs instance (for benchmarks and comparisons).
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }
}

/// Decodes a small UTF-8 configuration file, dropping a BOM (which would otherwise spoil the
/// first entry).
pub(crate) fn utf8_text<'b>(bytes: &'b [u8], what: &'static str, path: &Path) -> Result<&'b str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|err| {
        let line = bytes[..err.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Error::NotUtf8 {
            what,
            path: path.into(),
            line,
        }
    })
}

/// A full-width Latin letter or digit (ＡＢＣ, ２０２３), as Chinese input methods type them.
fn is_full_width_alnum(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Joins each run of full-width letters and digits among `tokens[from..]` (slices of `text`)
/// into one token. jieba's runs of letters and digits are ASCII, so it cuts `ＡＢＣ` into Ａ, Ｂ
/// and Ｃ (as Python jieba does), three one-letter "words" where `ABC` is one; joined, a
/// full-width word or number is one token as its ASCII form is.
pub(crate) fn join_full_width<'a>(text: &'a str, tokens: &mut Vec<Token<'a>>, from: usize) {
    let single = |t: &str| {
        let mut chars = t.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_full_width_alnum(c))
    };
    if !tokens[from..].iter().any(|t| single(t)) {
        return;
    }
    let base = text.as_ptr() as usize;
    let at = |t: &str| t.as_ptr() as usize - base;
    let mut kept = from;
    let mut i = from;
    while i < tokens.len() {
        let start = at(tokens[i]);
        let mut end = start + tokens[i].len();
        let mut j = i + 1;
        if single(tokens[i]) {
            while j < tokens.len() && single(tokens[j]) && at(tokens[j]) == end {
                end += tokens[j].len();
                j += 1;
            }
        }
        tokens[kept] = &text[start..end];
        kept += 1;
        i = j;
    }
    tokens.truncate(kept);
}

/// Cuts `text` into pieces of at most about `max` bytes, preferring line ends, then sentence
/// punctuation or whitespace, and only as a last resort a bare character boundary.
pub fn chunks(text: &str, max: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() <= max {
            return Some(std::mem::take(&mut rest));
        }
        let mut limit = max;
        while !rest.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &rest[..limit];
        let cut = window
            .rfind('\n')
            .map(|i| i + 1)
            .or_else(|| {
                window
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| {
                        matches!(
                            c,
                            '。' | '！' | '？' | '；' | '，' | '、' | '.' | '!' | '?' | ';' | ','
                        ) || c.is_whitespace()
                    })
                    .map(|(i, c)| i + c.len_utf8())
            })
            .filter(|&cut| cut > 0)
            .unwrap_or(limit.max(rest.chars().next().map_or(1, char::len_utf8)));
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_letters_and_digits_are_one_token() {
        let segmenter = Segmenter::new();
        let text = "我们班学习ＡＢＣ和ABC，还有Ｈｅｌｌｏ world，２０２３年。";
        let tokens = segmenter.segment(text);
        // As their ASCII forms are cut: the text with each full-width character made ASCII,
        // cut, has the same tokens character for character.
        let ascii: String = text
            .chars()
            .map(|c| match c {
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap()
                }
                c => c,
            })
            .collect();
        let widths = |tokens: &[&str]| tokens.iter().map(|t| t.chars().count()).collect::<Vec<_>>();
        assert_eq!(widths(&tokens), widths(&segmenter.segment(&ascii)));
        assert!(
            tokens.contains(&"ＡＢＣ")
                && tokens.contains(&"Ｈｅｌｌｏ")
                && tokens.contains(&"２０２３")
        );
    }

    #[test]
    fn chunks_cut_at_punctuation_and_cover_the_text() {
        let text = "社区居民守望相助，共渡难关。".repeat(50);
        let pieces: Vec<&str> = chunks(&text, 100).collect();
        assert!(pieces.len() > 1);
        assert_eq!(pieces.concat(), text);
        for piece in &pieces {
            assert!(piece.len() <= 100);
            assert!(piece.ends_with('，') || piece.ends_with('。'));
        }
        let no_punctuation = "疫".repeat(100);
        let pieces: Vec<&str> = chunks(&no_punctuation, 10).collect();
        assert_eq!(pieces.concat(), no_punctuation);
        assert!(pieces.iter().all(|p| p.len() == 9 || p.len() == 300 % 9));
    }

    #[test]
    fn chunked_segmentation_equals_whole_segmentation() {
        let segmenter = Segmenter::new();
        let text = "疫情期间，社区志愿者为居民配送物资。我们一起努力！".repeat(3000);
        let whole: Vec<_> = segmenter
            .jieba
            .cut(&text, true)
            .into_iter()
            .map(|t| t.word)
            .collect();
        let chunked = segmenter.segment(&text);
        assert!(text.len() > 4 * CHUNK_BYTES);
        assert_eq!(whole, chunked);
    }

    #[test]
    fn tags_of_distinct_words_equal_tags_in_context() {
        let segmenter = Segmenter::new();
        let text = crate::corpus::EMBEDDED_TEXT;
        let base = text.as_ptr() as usize;
        let in_context = segmenter.jieba.tag(text, true);
        assert!(in_context.len() > 5000, "{}", in_context.len());
        for tag in in_context
            .iter()
            .filter(|t| crate::analysis::frequency::is_word(t.word))
        {
            let offset = tag.word.as_ptr() as usize - base;
            assert_eq!(
                segmenter.tag_word(tag.word, text, offset),
                tag.tag,
                "{} at {offset}",
                tag.word
            );
        }
        // Words the HMM found keep their guessed tag too (甬 and 嘢 are not dictionary words).
        let text = "我们去宁波甬江边吃嘢。";
        for tag in segmenter.jieba.tag(text, true) {
            let offset = tag.word.as_ptr() as usize - text.as_ptr() as usize;
            assert_eq!(segmenter.tag_word(tag.word, text, offset), tag.tag);
        }
    }

    #[test]
    fn user_dictionary_with_bom_and_bad_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dict.txt");
        std::fs::write(
            &path,
            "\u{FEFF}守望相助 100 i\n核酸采样点\n坏行 很多\n多 1 2 3\n",
        )
        .unwrap();
        let mut segmenter = Segmenter::new();
        let bad = segmenter.load_user_dict(&path).unwrap();
        assert_eq!(
            bad,
            [
                BadLine {
                    line: 3,
                    reason: "frequency is not a whole number"
                },
                BadLine {
                    line: 4,
                    reason: "more than three fields"
                }
            ]
        );
        let words = segmenter.segment("社区设立核酸采样点");
        assert!(words.contains(&"核酸采样点"), "{words:?}");
    }
}

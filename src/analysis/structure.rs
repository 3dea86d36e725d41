//! How each essay is built: headings and body paragraphs, sentences and their lengths, lexical
//! diversity, first-person voice, and discourse markers in order.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::{is_han, is_latin};
use crate::error::{Error, Result};
use crate::segment::{utf8_text, Token};

use super::frequency::WordIndex;

/// Window of the moving-average type-token ratio, in words (Covington & McFall 2010 use 500 for
/// long texts; essays of a few hundred words need a shorter one).
pub const MATTR_WINDOW: usize = 50;
/// Type-token ratio at which MTLD closes a factor (McCarthy & Jarvis 2010).
pub const MTLD_THRESHOLD: f64 = 0.72;

/// Mean, median, standard deviation (population) and maximum of a list of lengths; all zero for
/// an empty list.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Lengths {
    pub mean: f64,
    pub median: f64,
    pub sd: f64,
    pub max: u64,
}

impl Lengths {
    pub fn of(values: &[u64]) -> Lengths {
        if values.is_empty() {
            return Lengths::default();
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<u64>() as f64 / n;
        let variance = values
            .iter()
            .map(|&v| (v as f64 - mean).powi(2))
            .sum::<f64>()
            / n;
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let mid = sorted.len() / 2;
        let median = if sorted.len() % 2 == 0 {
            (sorted[mid - 1] + sorted[mid]) as f64 / 2.0
        } else {
            sorted[mid] as f64
        };
        Lengths {
            mean,
            median,
            sd: variance.sqrt(),
            max: sorted[sorted.len() - 1],
        }
    }
}

/// Characters of the body by class (whitespace not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CharClasses {
    pub total: u64,
    pub han: u64,
    /// Full-width and half-width punctuation alike.
    pub punctuation: u64,
    pub latin: u64,
    pub digits: u64,
}

impl CharClasses {
    pub fn of(text: &str) -> CharClasses {
        let mut classes = CharClasses::default();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            classes.total += 1;
            if is_han(c) {
                classes.han += 1;
            } else if is_latin(c) {
                classes.latin += 1;
            } else if c.is_numeric() {
                classes.digits += 1;
            } else if is_punctuation(c) {
                classes.punctuation += 1;
            }
        }
        classes
    }
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}' | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}' | '·')
}

/// What a discourse marker does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkerKind {
    Ordering,
    Addition,
    Contrast,
    Cause,
    Example,
    Summary,
}

impl MarkerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerKind::Ordering => "ordering",
            MarkerKind::Addition => "addition",
            MarkerKind::Contrast => "contrast",
            MarkerKind::Cause => "cause",
            MarkerKind::Example => "example",
            MarkerKind::Summary => "summary",
        }
    }

    fn parse(name: &str) -> Option<MarkerKind> {
        Some(match name {
            "ordering" => MarkerKind::Ordering,
            "addition" => MarkerKind::Addition,
            "contrast" => MarkerKind::Contrast,
            "cause" => MarkerKind::Cause,
            "example" => MarkerKind::Example,
            "summary" => MarkerKind::Summary,
            _ => return None,
        })
    }
}

const BUILTIN_MARKERS: &[(&str, MarkerKind)] = &[
    ("首先", MarkerKind::Ordering),
    ("其次", MarkerKind::Ordering),
    ("再次", MarkerKind::Ordering),
    ("然后", MarkerKind::Ordering),
    ("接着", MarkerKind::Ordering),
    ("最后", MarkerKind::Ordering),
    ("一方面", MarkerKind::Ordering),
    ("另一方面", MarkerKind::Ordering),
    ("此外", MarkerKind::Addition),
    ("另外", MarkerKind::Addition),
    ("同时", MarkerKind::Addition),
    ("与此同时", MarkerKind::Addition),
    ("而且", MarkerKind::Addition),
    ("再者", MarkerKind::Addition),
    ("更重要的是", MarkerKind::Addition),
    ("然而", MarkerKind::Contrast),
    ("但是", MarkerKind::Contrast),
    ("不过", MarkerKind::Contrast),
    ("可是", MarkerKind::Contrast),
    ("相反", MarkerKind::Contrast),
    ("因此", MarkerKind::Cause),
    ("所以", MarkerKind::Cause),
    ("因而", MarkerKind::Cause),
    ("由此可见", MarkerKind::Cause),
    ("例如", MarkerKind::Example),
    ("比如", MarkerKind::Example),
    ("譬如", MarkerKind::Example),
    ("总之", MarkerKind::Summary),
    ("总而言之", MarkerKind::Summary),
    ("综上所述", MarkerKind::Summary),
    ("总结起来", MarkerKind::Summary),
    ("总的来说", MarkerKind::Summary),
    ("总体来说", MarkerKind::Summary),
    ("总体而言", MarkerKind::Summary),
    ("归根结底", MarkerKind::Summary),
];

/// Ordinals 第一 … 第十 count as ordering markers only when a comma or 、 follows.
const ORDINALS: &[&str] = &[
    "第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十",
];

/// Label lines that announce a closing section.
const SUMMARY_LABELS: &[&str] = &[
    "总结",
    "结语",
    "结论",
    "小结",
    "结尾",
    "总之",
    "总而言之",
    "综上所述",
];

/// The discourse markers looked for, longest first so that 另一方面 wins over 一方面.
#[derive(Debug, Clone)]
pub struct MarkerLexicon {
    /// Every hit of an essay names its marker: as `&'static str` it costs no allocation (at
    /// 500 MB, 183,000 essays held millions of hits, each a `String` of its own before). The
    /// built-in markers are static; those of a `--markers` file are leaked once, as a lexicon
    /// lives for the whole run.
    markers: Vec<(&'static str, MarkerKind)>,
    /// First characters of the markers (and 第 of the ordinals): most clauses start with none of
    /// them and need no comparison at all.
    first_chars: rustc_hash::FxHashSet<char>,
}

impl Default for MarkerLexicon {
    fn default() -> Self {
        let mut lexicon = MarkerLexicon {
            markers: Vec::new(),
            first_chars: ['第'].into_iter().collect(),
        };
        for &(marker, kind) in BUILTIN_MARKERS {
            lexicon.add(marker, kind);
        }
        lexicon
    }
}

impl MarkerLexicon {
    fn add(&mut self, marker: &'static str, kind: MarkerKind) {
        self.markers.retain(|(m, _)| *m != marker);
        self.markers.push((marker, kind));
        self.first_chars.extend(marker.chars().next());
        self.markers.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then_with(|| a.0.cmp(&b.0))
        });
    }

    /// Adds markers from a file: `marker kind` a line, kind one of ordering, addition, contrast,
    /// cause, example, summary; `#` starts a comment line; a BOM is tolerated.
    pub fn load_file(&mut self, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|source| Error::Read {
            what: "marker file",
            path: path.into(),
            source,
        })?;
        let text = utf8_text(&bytes, "marker file", path)?;
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split_whitespace();
            let (Some(marker), Some(kind), None) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(Error::BadLine {
                    what: "marker file",
                    path: path.into(),
                    line: index + 1,
                    expected: "`marker kind`",
                });
            };
            let Some(kind) = MarkerKind::parse(kind) else {
                return Err(Error::BadLine {
                    what: "marker file",
                    path: path.into(),
                    line: index + 1,
                    expected: "a kind among ordering, addition, contrast, cause, example, summary",
                });
            };
            self.add(Box::leak(marker.to_owned().into_boxed_str()), kind);
        }
        Ok(())
    }

    /// The marker starting at the beginning of `text`, if any, given whether a token ends at each
    /// candidate length (so that 同时 does not match inside 同时期).
    fn at(
        &self,
        text: &str,
        token_ends_at: impl Fn(usize) -> bool,
    ) -> Option<(&'static str, MarkerKind)> {
        if !text
            .chars()
            .next()
            .is_some_and(|c| self.first_chars.contains(&c))
        {
            return None;
        }
        for &(marker, kind) in &self.markers {
            if text.starts_with(marker) && token_ends_at(marker.len()) {
                return Some((marker, kind));
            }
        }
        ORDINALS.iter().find_map(|ordinal| {
            let rest = text.strip_prefix(ordinal)?;
            rest.starts_with(['，', ',', '、'])
                .then_some((*ordinal, MarkerKind::Ordering))
        })
    }
}

/// One discourse marker found in an essay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerHit {
    /// 1-based index among the body paragraphs.
    pub paragraph: u32,
    /// Offset in characters from the start of the paragraph (0: paragraph-initial).
    pub position: u32,
    pub marker: &'static str,
    pub kind: MarkerKind,
}

/// The structure of one essay.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Structure {
    pub chars: CharClasses,
    /// Body paragraphs (lines that are not headings).
    pub paragraphs: u32,
    pub headings: Vec<String>,
    /// Sentences of the body paragraphs.
    pub sentences: u32,
    pub sentence_han: Lengths,
    /// Length in Han characters of each sentence, in order (for box plots); past its batch,
    /// empty for an essay after the corpus's first [`super::SENTENCE_LENGTHS_KEPT`].
    pub sentence_lengths: Vec<u64>,
    pub sentence_words: Lengths,
    pub paragraph_han: Lengths,
    pub paragraph_words: Lengths,
    /// Words of the whole body (headings included) and their distinct forms.
    pub words: u64,
    pub types: u64,
    pub ttr: f64,
    pub mattr: f64,
    pub mtld: f64,
    /// Share of words that are content words (nouns, verbs, adjectives, adverbs, idioms), by
    /// their part-of-speech tag; filled in once the words are tagged.
    pub lexical_density: f64,
    /// Occurrences of 我 and 我们.
    pub first_person: u64,
    /// Sentences ending in a question mark or an exclamation mark.
    pub questions: u32,
    pub exclamations: u32,
    pub markers: Vec<MarkerHit>,
    /// Paragraph-initial markers of the body paragraphs, in order.
    pub marker_sequence: Vec<&'static str>,
    /// The last body paragraph opens with a summing-up marker, or follows a label such as 总结:.
    pub closes_with_summary: bool,
    /// Xu, Yao & Chen's readability; filled in once the words are tagged.
    pub xu: super::readability::Xu,
    /// Characters by HSK level, and those outside the 3,500 common ones.
    pub char_levels: super::levels::CharLevels,
    /// Word tokens by HSK level (index 0: not in the list); filled in with the corpus's words.
    pub hsk_words: [u64; super::levels::LEVELS + 1],
    /// Word tokens that are not words of jieba's dictionary.
    pub unknown_words: u64,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:[一二三四五六七八九十百]+[、.．]",
        r"|[（(][一二三四五六七八九十百\d]+[）)]",
        r"|\d{1,3}(?:[、．]|\.(?:\D|$))",
        r"|第[一二三四五六七八九十百\d]+(?:部分|段|章|节|点|篇)(?:[:：、.．\s）)]|$)",
        r"|[^，。！？,.!?；;]{1,12}[:：]$)"
    ))
    .expect("valid regex")
});

/// Whether a line is a heading: an enumeration (`一、`, `（一）`, `1.`, `1、`, `第一部分`,
/// `第二段:`) or a short label ending in a colon (`总结:`), in either case at most 40 characters.
/// `第一段` must stand apart (`第一段开头我想说…` is a sentence), and an enumerated line that
/// is a sentence of clauses (a comma, and a full stop at its end: `1. 家乡的菜很好吃，我很喜欢。`)
/// is a numbered paragraph, not a heading.
pub fn is_heading(line: &str) -> bool {
    if line.chars().nth(40).is_some() || !HEADING.is_match(line) {
        return false;
    }
    // Closing quotes and brackets after the last sentence's end stay with it.
    let body = line.trim_end().trim_end_matches(is_closer);
    let ends_sentence =
        body.ends_with(is_terminator) || body.ends_with(['；', ';']) || body.ends_with("...");
    // A full stop before the line's end: two sentences are a paragraph (a ？ or ！ inside a
    // heading is not: `四、是什么？为什么？怎么办？`, `六、加油！中国`).
    let inner_end = body.char_indices().any(|(at, c)| {
        c == '。'
            && !body[at + c.len_utf8()..]
                .trim_start_matches(is_closer)
                .is_empty()
    });
    let sentence = (line.contains(['，', ',']) && ends_sentence) || inner_end;
    !sentence || line.ends_with([':', '：'])
}

/// Sentence ends: 。！？!? and the ellipsis ……; closing quotes and brackets after them stay with
/// the sentence, and a line end ends a sentence too.
fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…')
}

/// Closing quotes and brackets, which stay with the sentence they close.
pub(crate) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '》' | '"' | '\'' | '】'
    )
}

/// Byte ranges of the sentences of one paragraph (relative to it), without empty ones.
pub fn sentences(paragraph: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !is_terminator(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if is_terminator(next) || is_closer(next) {
                end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        push_sentence(paragraph, start, end, &mut ranges);
        start = end;
    }
    push_sentence(paragraph, start, paragraph.len(), &mut ranges);
    ranges
}

fn push_sentence(paragraph: &str, start: usize, end: usize, ranges: &mut Vec<(usize, usize)>) {
    if paragraph[start..end].chars().any(char::is_alphanumeric) {
        ranges.push((start, end));
    }
}

/// Moving-average type-token ratio (Covington & McFall 2010): the mean TTR of every window of
/// `window` consecutive words; the plain TTR when the text is shorter than one window. Words are
/// ids below `types`.
pub fn mattr(ids: &[u32], types: usize, window: usize) -> f64 {
    if ids.is_empty() || window == 0 {
        return 0.0;
    }
    let mut counts = vec![0u32; types];
    let mut distinct = 0u64;
    let add = |counts: &mut Vec<u32>, id: u32, distinct: &mut u64| {
        counts[id as usize] += 1;
        *distinct += u64::from(counts[id as usize] == 1);
    };
    let window = window.min(ids.len());
    for &id in &ids[..window] {
        add(&mut counts, id, &mut distinct);
    }
    let mut total = distinct;
    for i in window..ids.len() {
        let out = ids[i - window] as usize;
        counts[out] -= 1;
        distinct -= u64::from(counts[out] == 0);
        add(&mut counts, ids[i], &mut distinct);
        total += distinct;
    }
    total as f64 / ((ids.len() - window + 1) as f64 * window as f64)
}

/// `part / whole`, or 0 for an empty whole: no NaN ever reaches a report.
pub fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Measure of textual lexical diversity (McCarthy & Jarvis 2010): the mean length of runs of words
/// whose TTR stays above `threshold`, averaged over a forward and a backward pass, with the
/// partial factor of the last run. Zero when no factor can be formed (no words, or every word
/// distinct so the TTR never falls). Words are ids below `types`.
pub fn mtld(ids: &[u32], types: usize, threshold: f64) -> f64 {
    // `seen[id] == run_no` marks a word as seen in the current run, so a run resets in O(1).
    let mut seen = vec![0u32; types];
    let forward = mtld_pass(ids.iter().copied(), ids.len(), threshold, &mut seen, 0);
    let backward = mtld_pass(
        ids.iter().rev().copied(),
        ids.len(),
        threshold,
        &mut seen,
        ids.len() as u32 + 1,
    );
    (forward + backward) / 2.0
}

fn mtld_pass(
    ids: impl Iterator<Item = u32>,
    len: usize,
    threshold: f64,
    seen: &mut [u32],
    first_run: u32,
) -> f64 {
    let mut run_no = first_run + 1;
    let mut factors = 0.0;
    let (mut run, mut distinct) = (0u64, 0u64);
    for id in ids {
        run += 1;
        if seen[id as usize] != run_no {
            seen[id as usize] = run_no;
            distinct += 1;
        }
        if ratio(distinct, run) <= threshold {
            factors += 1.0;
            run_no += 1;
            run = 0;
            distinct = 0;
        }
    }
    if run > 0 {
        factors += (1.0 - ratio(distinct, run)) / (1.0 - threshold);
    }
    if factors > 0.0 {
        len as f64 / factors
    } else {
        0.0
    }
}

/// Whether a jieba part-of-speech tag marks a content word: nouns (n…), verbs (v…), adjectives
/// (a…), adverbs (d…), idioms (i), fixed expressions (l), abbreviations (j). Lexical density in
/// the sense of Ure (1971) and Halliday (1985): content words over all words.
pub fn is_content_tag(tag: &str) -> bool {
    matches!(tag.as_bytes().first(), Some(b'n' | b'v' | b'a' | b'd'))
        || matches!(tag, "i" | "l" | "j")
}

/// Computes the structure of an essay from its body, its tokens (slices of `body`) and their word
/// index.
pub fn analyse(
    body: &str,
    tokens: &[Token<'_>],
    index: &WordIndex<'_>,
    markers: &MarkerLexicon,
) -> Structure {
    let base = body.as_ptr() as usize;
    let offset = |token: &str| token.as_ptr() as usize - base;
    let word_offsets = &index.offsets;
    // Tokens come in text order, so their ends are sorted: binary search, no hashing.
    let token_ends: Vec<usize> = tokens.iter().map(|t| offset(t) + t.len()).collect();
    let words_in = |start: usize, end: usize| {
        let from = word_offsets.partition_point(|&o| (o as usize) < start);
        let to = word_offsets.partition_point(|&o| (o as usize) < end);
        (to - from) as u64
    };
    let han_in = |text: &str| text.chars().filter(|&c| is_han(c)).count() as u64;

    let mut structure = Structure {
        chars: CharClasses::of(body),
        char_levels: super::levels::chars(body),
        ..Structure::default()
    };
    let (mut sentence_han, mut sentence_words, mut paragraph_han, mut paragraph_words) =
        (vec![], vec![], vec![], vec![]);
    let mut last_heading_is_summary = false;
    let mut line_start = 0;
    for line in body.split('\n') {
        let start = line_start;
        line_start += line.len() + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if is_heading(trimmed) {
            let label = trimmed.trim_end_matches([':', '：', '。']);
            last_heading_is_summary = SUMMARY_LABELS
                .iter()
                .any(|l| label.ends_with(l) || label == *l);
            structure.headings.push(trimmed.to_owned());
            continue;
        }
        structure.paragraphs += 1;
        let paragraph_no = structure.paragraphs;
        paragraph_han.push(han_in(line));
        paragraph_words.push(words_in(start, start + line.len()));
        let mut first_sentence_summary = false;
        // (byte, characters) up to the last marker found in this line.
        let mut counted = (0usize, 0u32);
        for (index, (s, e)) in sentences(line).into_iter().enumerate() {
            let sentence = &line[s..e];
            sentence_han.push(han_in(sentence));
            sentence_words.push(words_in(start + s, start + e));
            let tail: String = sentence
                .chars()
                .rev()
                .take_while(|&c| is_terminator(c) || is_closer(c))
                .collect();
            structure.questions += u32::from(tail.contains(['？', '?']));
            structure.exclamations += u32::from(tail.contains(['！', '!']));
            let hits = find_markers(sentence, start + s, &token_ends, markers);
            if index == 0 {
                first_sentence_summary =
                    hits.iter().any(|(_, _, kind)| *kind == MarkerKind::Summary);
            }
            for (byte, marker, kind) in hits {
                // Characters are counted on from the previous hit: a 16 MB one-line essay with
                // thousands of markers must not count from the line start each time.
                let at = s + byte;
                counted.1 += line[counted.0..at].chars().count() as u32;
                counted.0 = at;
                let position = counted.1;
                if position == 0 {
                    structure.marker_sequence.push(marker);
                }
                structure.markers.push(MarkerHit {
                    paragraph: paragraph_no,
                    position,
                    marker,
                    kind,
                });
            }
        }
        structure.closes_with_summary = first_sentence_summary || last_heading_is_summary;
        last_heading_is_summary = false;
    }
    structure.sentences = sentence_han.len() as u32;
    structure.sentence_han = Lengths::of(&sentence_han);
    structure.sentence_lengths = sentence_han.clone();
    structure.sentence_words = Lengths::of(&sentence_words);
    structure.paragraph_han = Lengths::of(&paragraph_han);
    structure.paragraph_words = Lengths::of(&paragraph_words);

    let types = index.vocab.len();
    structure.words = index.ids.len() as u64;
    structure.types = types as u64;
    structure.ttr = ratio(structure.types, structure.words);
    structure.mattr = mattr(&index.ids, types, MATTR_WINDOW);
    structure.mtld = mtld(&index.ids, types, MTLD_THRESHOLD);
    let first_person: Vec<bool> = index
        .vocab
        .iter()
        .map(|w| matches!(*w, "我" | "我们"))
        .collect();
    structure.first_person = index
        .ids
        .iter()
        .filter(|&&id| first_person[id as usize])
        .count() as u64;
    structure
}

/// Markers at the start of a clause of `sentence` (its start, or after a comma, colon, semicolon
/// or enumeration comma) that end where a token ends. Returns byte offsets within the sentence.
fn find_markers(
    sentence: &str,
    sentence_start: usize,
    token_ends: &[usize],
    lexicon: &MarkerLexicon,
) -> Vec<(usize, &'static str, MarkerKind)> {
    let mut hits = Vec::new();
    let mut clause_start = Some(0);
    for (i, c) in sentence.char_indices() {
        if clause_start == Some(i) {
            let rest = &sentence[i..];
            let rest_trimmed = rest.trim_start_matches(['“', '"', '「', ' ']);
            let skip = rest.len() - rest_trimmed.len();
            if let Some((marker, kind)) = lexicon.at(rest_trimmed, |len| {
                token_ends
                    .binary_search(&(sentence_start + i + skip + len))
                    .is_ok()
            }) {
                hits.push((i + skip, marker, kind));
            }
        }
        if matches!(c, '，' | ',' | '：' | ':' | '；' | ';' | '、') {
            clause_start = Some(i + c.len_utf8());
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_by_hand() {
        let l = Lengths::of(&[2, 4, 4, 4, 5, 5, 7, 9]);
        assert_eq!((l.mean, l.median, l.sd, l.max), (5.0, 4.5, 2.0, 9));
        assert_eq!(Lengths::of(&[]), Lengths::default());
    }

    #[test]
    fn headings_and_body_lines() {
        for heading in [
            "一、疫情之初的困难。",
            "（二）组织的力量",
            "1. 背景",
            "2、做法",
            "第一部分 引言",
            "第二段:社区的平等和互助精神。",
            "第三章",
            "第二篇 我的老师",
            "三、团结一心，共渡难关",
            "四、是什么？为什么？怎么办？",
            "六、加油！中国",
            "二、等待……希望",
            "总结:",
            "结语：",
        ] {
            assert!(is_heading(heading), "{heading}");
        }
        for body in [
            "疫情初始的时候,社区面临着诸多困难。",
            "1.5倍的人手不够。",
            "首先,社区居民积极响应号召,履行自己的社会责任,并且提供了很多帮助:",
            "第一段开头我想说家乡很美。",
            "1. 家乡的菜很好吃，我很喜欢。",
            "二、我们团结一心，共渡难关。",
            "1、老师常说：“不经历风雨，怎能见彩虹？”",
            "1、我爱我的家乡。那里山清水秀。",
            "1、首先，我们要努力学习...",
            "2、其次，我们要关心他人；",
        ] {
            assert!(!is_heading(body), "{body}");
        }
        assert!(!is_heading(&format!("一、{}", "很长的段落".repeat(10))));
    }

    #[test]
    fn sentences_keep_closing_quotes() {
        let p = "他说：“我们能行！”大家都笑了。真的吗？是的……好";
        let got: Vec<&str> = sentences(p).into_iter().map(|(s, e)| &p[s..e]).collect();
        assert_eq!(
            got,
            [
                "他说：“我们能行！”",
                "大家都笑了。",
                "真的吗？",
                "是的……",
                "好"
            ]
        );
        assert!(sentences("。。").is_empty());
        assert!(sentences("").is_empty());
    }

    /// Letters as word ids: a = 0, b = 1, …
    fn ids(letters: &str) -> (Vec<u32>, usize) {
        let ids: Vec<u32> = letters.bytes().map(|b| u32::from(b - b'a')).collect();
        let types = ids.iter().max().map_or(0, |&m| m as usize + 1);
        (ids, types)
    }

    fn mattr_of(letters: &str, window: usize) -> f64 {
        let (ids, types) = ids(letters);
        mattr(&ids, types, window)
    }

    fn mtld_of(letters: &str) -> f64 {
        let (ids, types) = ids(letters);
        mtld(&ids, types, 0.72)
    }

    // MATTR with a window of 3 over a b a c b: windows aba (2/3), bac (3/3), acb (3/3): 8/9.
    #[test]
    fn mattr_by_hand() {
        assert!((mattr_of("abacb", 3) - 8.0 / 9.0).abs() < 1e-12);
        assert_eq!(mattr_of("abacb", 10), 0.6);
        assert_eq!(mattr_of("", 3), 0.0);
    }

    // MTLD, threshold 0.72, over a b a b c c (6 words).
    // Forward: a(1) b(1) a(2/3=.667 ≤ .72: factor 1, reset) b(1) c(1) c(2/3: factor 2) → 6/2 = 3.
    // Backward: c c(1/2=.5: factor 1) b(1) a(1) b(2/3: factor 2) a(1 left: partial 0) → 6/2 = 3.
    #[test]
    fn mtld_by_hand() {
        assert_eq!(mtld_of("ababcc"), 3.0);
        // a b c d: TTR stays 1, no factor: zero, not infinity.
        assert_eq!(mtld_of("abcd"), 0.0);
        // a a b: forward a(1) a(.5: factor) b(1: partial 0) → 3/1; backward b a a(2/3: factor) → 3/1.
        assert_eq!(mtld_of("aab"), 3.0);
        // Partial factor: a b b c: forward a b b(2/3: factor 1) c(1: partial 0) → 4; backward c b b(2/3:
        // factor) a(partial 0) → 4.
        assert_eq!(mtld_of("abbc"), 4.0);
    }

    #[test]
    fn char_classes_count_both_widths_of_punctuation() {
        let c = CharClasses::of("社区,居民：AI 2020年！");
        assert_eq!(
            (c.total, c.han, c.punctuation, c.latin, c.digits),
            (14, 5, 3, 2, 4)
        );
    }

    #[test]
    fn nothing_at_all_gives_zeros() {
        let s = analyse("", &[], &WordIndex::default(), &MarkerLexicon::default());
        assert_eq!(s, Structure::default());
    }
}

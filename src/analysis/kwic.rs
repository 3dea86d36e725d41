//! The concordance (key word in context): every place a query occurs, with the words around it.

use std::cmp::Ordering;

use regex::Regex;
use rustc_hash::FxHashMap;

use crate::corpus::Essay;
use crate::segment::Segmenter;

use super::frequency::is_word;
use super::layout::{Layout, Shown};

/// What one token of a query matches.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// The whole token.
    Word(String),
    /// A glob on the whole token (`防*`, `?情`), with its longest run of plain characters.
    Glob { regex: Regex, literal: String },
    /// A `/regex/`, searched in the token.
    Regex(Regex),
}

impl Pattern {
    /// `/…/` is a regex (searched in the token: anchor it with `^…$`), a text with `*` or `?` a
    /// glob on the whole token, anything else the token itself.
    pub fn parse(text: &str) -> Result<Pattern, String> {
        if text.len() >= 2 && text.starts_with('/') && text.ends_with('/') {
            let inner = &text[1..text.len() - 1];
            return Regex::new(inner)
                .map(Pattern::Regex)
                .map_err(|e| format!("bad regex {text}: {e}"));
        }
        if text.contains(['*', '?']) {
            let mut pattern = String::from("^");
            for c in text.chars() {
                match c {
                    '*' => pattern.push_str(".*"),
                    '?' => pattern.push('.'),
                    c => pattern.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
                }
            }
            pattern.push('$');
            let literal = text
                .split(['*', '?'])
                .max_by_key(|run| run.len())
                .unwrap_or_default()
                .to_owned();
            return Regex::new(&pattern)
                .map(|regex| Pattern::Glob { regex, literal })
                .map_err(|e| format!("bad glob {text}: {e}"));
        }
        Ok(Pattern::Word(text.to_owned()))
    }

    /// Whether `token` matches. A glob or a regex matches words only (tokens with a Han or
    /// Latin letter, those `word_freq.csv` counts), as AntConc's wildcards do: `?` would
    /// otherwise match every comma and full stop, and `? 社区` run across a clause's end. A
    /// word pattern matches its token exactly, punctuation included, as asked.
    pub fn matches(&self, token: &str) -> bool {
        match self {
            Pattern::Word(word) => word == token,
            Pattern::Glob { regex, .. } | Pattern::Regex(regex) => {
                is_word(token) && regex.is_match(token)
            }
        }
    }

    /// Text every match contains, to skip essays without it before segmenting them.
    fn literal(&self) -> Option<String> {
        match self {
            Pattern::Word(word) => Some(word.clone()),
            Pattern::Glob { literal, .. } => (!literal.is_empty()).then(|| literal.clone()),
            Pattern::Regex(_) => None,
        }
    }
}

/// A concordance query.
#[derive(Debug, Clone)]
pub enum Query {
    /// A sequence of adjacent tokens (one or more), each matched by its pattern.
    Tokens(Vec<Pattern>),
    /// A character string found in the text whatever the segmentation.
    Chars(String),
}

impl Query {
    /// A token query: the words of `text` split at whitespace are the tokens of the sequence;
    /// with `chars` the text itself is searched for.
    pub fn parse(text: &str, chars: bool) -> Result<Query, String> {
        if chars {
            if text.is_empty() {
                return Err("the --chars query is empty".into());
            }
            return Ok(Query::Chars(text.to_owned()));
        }
        if Query::is_regex_with_space(text) {
            return Err(format!(
                "{text} is a regex with a space: a regex is matched within one token, which \
                 holds no space (a sequence is /社区/ /居民/, a string --chars)"
            ));
        }
        // `/社区/i`: a regex's flags go inside it; read as a word it would find nothing.
        // (Flags are a few of i, m, s, x, U: `/usr/bin` is a word.)
        if let Some(piece) = text.split_whitespace().find(|t| {
            let body = t.trim_end_matches(['i', 'm', 's', 'x', 'U', 'g', 'u']);
            t.len() > 2
                && t.starts_with('/')
                && body.len() > 1
                && body.ends_with('/')
                && (1..=5).contains(&(t.len() - body.len()))
        }) {
            return Err(format!(
                "{piece}: a regex takes no flags after its closing slash; put them inside, as \
                 /(?i)abc/"
            ));
        }
        let patterns = text
            .split_whitespace()
            .map(Pattern::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if patterns.is_empty() {
            return Err("the query is empty".into());
        }
        Ok(Query::Tokens(patterns))
    }

    /// Whether `text` is one `/regex/` with a space in it (`/社区 居民/`), which a token query
    /// would cut into two words: a regex is matched within one token, which holds no space. A
    /// sequence of regexes (`/社区/ /居民/`) is not.
    fn is_regex_with_space(text: &str) -> bool {
        let text = text.trim();
        let regex = |t: &str| t.len() >= 2 && t.starts_with('/') && t.ends_with('/');
        regex(text) && text.contains(char::is_whitespace) && !text.split_whitespace().all(regex)
    }

    /// Text every hit contains: an essay without it has no hit and is not segmented.
    pub fn literal(&self) -> Option<String> {
        match self {
            Query::Chars(text) => Some(text.clone()),
            Query::Tokens(patterns) => patterns
                .iter()
                .filter_map(Pattern::literal)
                .max_by_key(String::len),
        }
    }
}

/// How much context each hit gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Word tokens on each side (the punctuation between them comes along).
    Words(usize),
    /// Characters on each side.
    Chars(usize),
}

/// Words on each side kept as sort keys (L1–L3, R1–R3).
pub const SORT_SPAN: usize = 3;

/// One occurrence of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub essay_id: u32,
    /// 1-based among the essay's non-empty lines (headings included).
    pub paragraph: u32,
    /// 1-based in the essay, every non-empty line split into sentences as `structure.csv`
    /// splits them.
    pub sentence: u32,
    /// Characters from the start of the essay's body.
    pub offset: u32,
    pub left: String,
    pub node: String,
    pub right: String,
    /// Nearest first: L1, L2, L3 (words, or characters for a `--chars` query).
    pub left_keys: Vec<String>,
    pub right_keys: Vec<String>,
}

/// The hits of `query` in one essay, in text order. `pos` (if any) keeps token hits whose every
/// token has one of these part-of-speech tags.
pub fn find(
    segmenter: &Segmenter,
    essay: &Essay,
    query: &Query,
    context: Context,
    pos: &[String],
) -> Vec<Hit> {
    let body = essay.body.as_str();
    if let Some(literal) = query.literal() {
        if !body.contains(literal.as_str()) {
            return Vec::new();
        }
    }
    match query {
        Query::Chars(text) => {
            let layout = Layout {
                sentences: super::layout::sentences(body),
                ..Layout::default()
            };
            let shown = Shown::of(essay);
            let mut chars_before = CharCounter::new(body);
            body.match_indices(text.as_str())
                .map(|(start, node)| {
                    let end = start + node.len();
                    let (sentence, paragraph) = layout.place(start as u32);
                    let (left, right) = char_context(body, start, end, context, &shown);
                    Hit {
                        essay_id: essay.id,
                        paragraph,
                        sentence,
                        offset: chars_before.at(start) as u32,
                        left,
                        node: shown.text(start, end).to_owned(),
                        right,
                        left_keys: shown
                            .text(0, start)
                            .chars()
                            .rev()
                            .filter(|c| !c.is_whitespace())
                            .take(SORT_SPAN)
                            .map(String::from)
                            .collect(),
                        right_keys: shown
                            .text(end, body.len())
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .take(SORT_SPAN)
                            .map(String::from)
                            .collect(),
                    }
                })
                .collect()
        }
        Query::Tokens(patterns) => {
            let layout = Layout::new(segmenter, essay);
            let tokens = &layout.tokens;
            let shown = Shown::of(essay);
            let word = |k: usize| {
                let at = layout.offsets[k] as usize;
                shown.text(at, at + tokens[k].len()).to_owned()
            };
            let mut tags: FxHashMap<&str, &str> = FxHashMap::default();
            let mut hits = Vec::new();
            let mut chars_before = CharCounter::new(body);
            let n = patterns.len();
            let mut i = 0;
            while i + n <= tokens.len() {
                // A sequence's tokens are neighbours: a line end between two ends the
                // sequence, as it ends an n-gram's run (spaces do not: `good morning`).
                let matched = patterns
                    .iter()
                    .zip(&tokens[i..i + n])
                    .all(|(p, t)| p.matches(t))
                    && (i..i + n - 1).all(|k| {
                        super::ngrams::adjacent(
                            body,
                            layout.offsets[k] as usize + tokens[k].len(),
                            layout.offsets[k + 1] as usize,
                        )
                    })
                    && (pos.is_empty()
                        || (i..i + n).all(|k| {
                            let tag = *tags.entry(tokens[k]).or_insert_with(|| {
                                segmenter.tag_word(tokens[k], body, layout.offsets[k] as usize)
                            });
                            pos.iter().any(|p| p == tag)
                        }));
                if !matched {
                    i += 1;
                    continue;
                }
                let start = layout.offsets[i] as usize;
                let last = i + n - 1;
                let end = layout.offsets[last] as usize + tokens[last].len();
                // The word tokens on each side, nearest first: context and sort keys.
                let words_left = (0..i).rev().filter(|&k| is_word(tokens[k]));
                let words_right = (last + 1..tokens.len()).filter(|&k| is_word(tokens[k]));
                let (left, right) = match context {
                    Context::Chars(_) => char_context(body, start, end, context, &shown),
                    Context::Words(width) => {
                        let from = (words_left.clone().take(width).last())
                            .map_or(start, |k| layout.offsets[k] as usize);
                        let to = (words_right.clone().take(width).last())
                            .map_or(end, |k| layout.offsets[k] as usize + tokens[k].len());
                        (flat(shown.text(from, start)), flat(shown.text(end, to)))
                    }
                };
                let (sentence, paragraph) = layout.place(start as u32);
                hits.push(Hit {
                    essay_id: essay.id,
                    paragraph,
                    sentence,
                    offset: chars_before.at(start) as u32,
                    left,
                    node: shown.text(start, end).to_owned(),
                    right,
                    left_keys: words_left.take(SORT_SPAN).map(word).collect(),
                    right_keys: words_right.take(SORT_SPAN).map(word).collect(),
                });
                i += n;
            }
            hits
        }
    }
}

/// `width` characters each side of `start..end`, within the essay, as shown.
fn char_context(
    body: &str,
    start: usize,
    end: usize,
    context: Context,
    shown: &Shown<'_>,
) -> (String, String) {
    let width = match context {
        Context::Chars(width) => width,
        // A word of Chinese is about two characters.
        Context::Words(width) => width * 2,
    };
    let from = body[..start]
        .char_indices()
        .rev()
        .nth(width.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let from = if width == 0 { start } else { from };
    let to = body[end..]
        .char_indices()
        .nth(width)
        .map_or(body.len(), |(i, _)| end + i);
    (flat(shown.text(from, start)), flat(shown.text(end, to)))
}

/// Context on one line: line breaks (paragraph ends) become a space.
fn flat(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// Character offsets of increasing byte offsets, counted once.
struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharCounter<'t> {
    fn new(text: &'t str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// A sort key of the concordance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Node,
    Left(usize),
    Right(usize),
    Essay,
}

impl SortKey {
    pub fn parse(text: &str) -> Result<SortKey, String> {
        let upper = text.trim().to_ascii_uppercase();
        let position = |rest: &str| -> Result<usize, String> {
            match rest.parse::<usize>() {
                Ok(n) if (1..=SORT_SPAN).contains(&n) => Ok(n),
                _ => Err(format!(
                    "bad sort key {text}: L and R take a position from 1 to {SORT_SPAN}"
                )),
            }
        };
        match upper.as_str() {
            "NODE" | "KWIC" => Ok(SortKey::Node),
            "ESSAY" => Ok(SortKey::Essay),
            _ if upper.starts_with('L') => position(&upper[1..]).map(SortKey::Left),
            _ if upper.starts_with('R') => position(&upper[1..]).map(SortKey::Right),
            _ => Err(format!(
                "bad sort key {text}: use node, essay, L1–L{SORT_SPAN} or R1–R{SORT_SPAN}"
            )),
        }
    }
}

/// Sorts items holding hits (`hit` reads an item's) by `keys` in turn (texts by code point),
/// then in corpus order.
pub fn sort<T>(items: &mut [T], hit: impl Fn(&T) -> &Hit, keys: &[SortKey]) {
    fn key_of(hit: &Hit, key: SortKey) -> Option<&str> {
        match key {
            SortKey::Node => Some(hit.node.as_str()),
            SortKey::Left(n) => hit.left_keys.get(n - 1).map(String::as_str),
            SortKey::Right(n) => hit.right_keys.get(n - 1).map(String::as_str),
            SortKey::Essay => None,
        }
    }
    items.sort_by(|a, b| {
        let (a, b) = (hit(a), hit(b));
        for &key in keys {
            let order = match key {
                SortKey::Essay => a.essay_id.cmp(&b.essay_id),
                _ => key_of(a, key).cmp(&key_of(b, key)),
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        (a.essay_id, a.offset).cmp(&(b.essay_id, b.offset))
    });
}

/// Keeps `n` items chosen by a hash of where their hit is (the same sample every run), in
/// their order.
pub fn sample<T>(items: &mut Vec<T>, hit: impl Fn(&T) -> &Hit, n: usize) {
    if items.len() <= n {
        return;
    }
    let score = |h: &Hit| super::reuse::mix((u64::from(h.essay_id) << 32) | u64::from(h.offset));
    let mut ranked: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (score(hit(item)), i))
        .collect();
    ranked.sort_unstable();
    let mut keep = vec![false; items.len()];
    for &(_, i) in &ranked[..n] {
        keep[i] = true;
    }
    let mut k = 0;
    items.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essay(body: &str) -> Essay {
        Essay {
            id: 1,
            title: String::new(),
            source: "t.txt".into(),
            body: body.into(),
            ..Essay::default()
        }
    }

    #[test]
    fn patterns() {
        assert!(Pattern::parse("社区").unwrap().matches("社区"));
        assert!(!Pattern::parse("社区").unwrap().matches("社区居民"));
        let glob = Pattern::parse("防*").unwrap();
        assert!(glob.matches("防控") && glob.matches("防") && !glob.matches("预防"));
        assert_eq!(glob.literal().as_deref(), Some("防"));
        let regex = Pattern::parse("/^防.+$/").unwrap();
        assert!(regex.matches("防控") && !regex.matches("防"));
        assert_eq!(regex.literal(), None);
        assert!(Pattern::parse("/(/").is_err());
    }

    #[test]
    fn sequences_and_context() {
        let segmenter = Segmenter::new();
        let e = essay("我们社区居民很团结。\n社区居民互相帮助，共同抗疫。");
        let query = Query::parse("社区 居民", false).unwrap();
        let hits = find(&segmenter, &e, &query, Context::Words(2), &[]);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].node, "社区居民");
        assert_eq!((hits[0].left.as_str(), hits[0].offset), ("我们", 2));
        assert_eq!((hits[1].sentence, hits[1].paragraph), (2, 2));
        // 互相帮助 is one word of jieba's; the comma before 共同 comes along.
        assert_eq!(hits[1].right, "互相帮助，共同");
        assert_eq!(hits[1].left_keys, ["团结", "很", "居民"]);
        // Across a line end the two words are no sequence (as they are no bigram for ngrams),
        // while each is still a hit of its own.
        let apart = essay("我们的社区\n居民很团结。");
        assert!(find(&segmenter, &apart, &query, Context::Words(2), &[]).is_empty());
        let one = Query::parse("居民", false).unwrap();
        assert_eq!(
            find(&segmenter, &apart, &one, Context::Words(2), &[]).len(),
            1
        );
        // Spaces between words do not part them: a text typed with spaces, or English.
        let spaced = essay("我们的社区 居民很团结。老师说 good  morning 。");
        assert_eq!(
            find(&segmenter, &spaced, &query, Context::Words(2), &[])[0].node,
            "社区 居民"
        );
        let english = Query::parse("good morning", false).unwrap();
        let found = find(&segmenter, &spaced, &english, Context::Words(2), &[]);
        assert_eq!((found.len(), found[0].node.as_str()), (1, "good  morning"));
        // Characters: a string inside a token (度尼, of 印度尼西亚) is found.
        let e = essay("印度尼西亚的朋友。");
        let chars = Query::parse("度尼", true).unwrap();
        let hits = find(&segmenter, &e, &chars, Context::Chars(2), &[]);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].left.as_str(), hits[0].right.as_str()),
            ("印", "西亚")
        );
    }

    #[test]
    fn sort_keys() {
        assert_eq!(SortKey::parse("r2"), Ok(SortKey::Right(2)));
        assert_eq!(SortKey::parse("node"), Ok(SortKey::Node));
        assert!(SortKey::parse("L4").is_err());
    }
}

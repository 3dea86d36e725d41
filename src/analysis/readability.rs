//! Readability after Xu, Yao & Chen (徐巍、姚振晔、陈冬华《中文年报可读性：衡量与检验》, 会计研究
//! 2021(3): 28–44; China Journal of Accounting Studies 7(3): 407–437, 2019,
//! doi:10.1080/21697213.2019.1701259): the mean number of characters per clause (r1), the mean
//! over sentences of the share of tokens that are adverbs or conjunctions (r2), and their mean
//! (r3). There are no fitted coefficients; higher means harder.
//!
//! The definition followed is readability_cn 0.2.0's with its jieba provider (PyPI, MIT), so
//! that figures compare: sentences are the text split at runs of `。！？!?；;：:` and the
//! whitespace after them, stripped, empty ones dropped (a line end alone does not end one);
//! clauses are a sentence split at `，；：`; r1 counts every character of a clause; r2 divides
//! a sentence's tokens tagged exactly `c` or `d` by all its tokens, punctuation and whitespace
//! included. Two departures, for essays pasted from the web: half-width `,` splits clauses as
//! `，` does, and empty clauses (`，，`) are dropped rather than counted as 0 characters.
//!
//! The tokens are the essay's one segmentation (a sentence's span of it: jieba never joins
//! characters across punctuation, so cutting the sentence alone gives the same tokens), the tags
//! those of the corpus's words, known once the batch's new words are tagged: what the essay
//! keeps until then is a position per word token.

use std::sync::LazyLock;

use regex::Regex;

use super::frequency::WordIndex;
use crate::segment::Token;

/// Where sentences end, as readability_cn's `split_sentences`.
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[。！？!?；;：:]+\s*").expect("valid regex"));

/// What one essay needs for r2 once its words' tags are known.
#[derive(Debug, Clone, Default)]
pub struct XuPending {
    /// Mean characters per clause.
    pub r1: f64,
    /// Per sentence: its tokens (whitespace included) and the end of its word tokens in `words`.
    sentences: Vec<(u32, u32)>,
    /// The word tokens of the sentences in order, each as its word's position among the
    /// essay's counted words.
    words: Vec<u32>,
}

/// The three figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Xu {
    pub r1: f64,
    pub r2: f64,
    pub r3: f64,
}

/// Clause lengths and each sentence's tokens. `position[i]` is the position, among the essay's
/// counted words, of the word whose id in `index` is `i`.
pub fn pending(
    body: &str,
    tokens: &[Token<'_>],
    index: &WordIndex<'_>,
    position: &[u32],
) -> XuPending {
    let base = body.as_ptr() as usize;
    let mut clauses = 0u64;
    let mut clause_chars = 0u64;
    let mut pending = XuPending::default();
    let (mut t, mut w) = (0, 0);
    let mut start = 0;
    let ends = SENTENCE_END
        .find_iter(body)
        .map(|m| (m.start(), m.end()))
        .chain(std::iter::once((body.len(), body.len())));
    for (end, next) in ends {
        let raw = &body[start..end];
        let sentence = raw.trim();
        let from = start + (raw.len() - raw.trim_start().len());
        let to = from + sentence.len();
        start = next;
        if sentence.is_empty() {
            continue;
        }
        for clause in sentence.split(['，', '；', '：', ',']) {
            let chars = clause.chars().count() as u64;
            if chars > 0 {
                clauses += 1;
                clause_chars += chars;
            }
        }
        // Tokens (jieba-rs's, whitespace left out) that start inside the sentence, and the
        // whitespace characters inside it, which jieba's posseg gives a token each.
        let offset = |token: &Token<'_>| token.as_ptr() as usize - base;
        while t < tokens.len() && offset(&tokens[t]) < from {
            t += 1;
        }
        let mut count = 0u32;
        while t < tokens.len() && offset(&tokens[t]) < to {
            count += 1;
            t += 1;
        }
        count += sentence.chars().filter(|c| c.is_whitespace()).count() as u32;
        while w < index.offsets.len() && (index.offsets[w] as usize) < from {
            w += 1;
        }
        while w < index.offsets.len() && (index.offsets[w] as usize) < to {
            pending.words.push(position[index.ids[w] as usize]);
            w += 1;
        }
        pending.sentences.push((count, pending.words.len() as u32));
    }
    pending.r1 = if clauses == 0 {
        0.0
    } else {
        clause_chars as f64 / clauses as f64
    };
    pending
}

impl XuPending {
    /// The figures, given for each counted word whether it is tagged `c` or `d`.
    pub fn finish(&self, adverb_or_conjunction: &[bool]) -> Xu {
        let mut shares = 0.0;
        let mut begin = 0;
        for &(tokens, end) in &self.sentences {
            let hits = self.words[begin as usize..end as usize]
                .iter()
                .filter(|&&p| adverb_or_conjunction[p as usize])
                .count();
            if tokens > 0 {
                shares += hits as f64 / f64::from(tokens);
            }
            begin = end;
        }
        let r2 = if self.sentences.is_empty() {
            0.0
        } else {
            shares / self.sentences.len() as f64
        };
        Xu {
            r1: self.r1,
            r2,
            r3: (self.r1 + r2) / 2.0,
        }
    }
}

/// Essays shorter than this many words get the `short_text` flag: TTR, MATTR and MTLD are
/// unstable below about 100 words (McCarthy & Jarvis 2010).
pub const SHORT_TEXT_WORDS: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;

    #[test]
    fn clauses_and_sentences_by_hand() {
        let segmenter = Segmenter::new();
        let body = "我们今天去公园，但是下雨了。\n所以回家，,看书！";
        let tokens = segmenter.segment(body);
        let index = WordIndex::new(&tokens, body);
        let position: Vec<u32> = (0..index.vocab.len() as u32).collect();
        let p = pending(body, &tokens, &index, &position);
        // Clauses: 我们今天去公园 (7), 但是下雨了 (5), 所以回家 (4), 看书 (2); the empty one
        // between ， and , is dropped.
        assert!((p.r1 - 18.0 / 4.0).abs() < 1e-12);
        assert_eq!(p.sentences.len(), 2);
        // The first sentence: 我们 今天 去 公园 ， 但是 下雨 了 (8 tokens, 但是 a conjunction).
        let cd: Vec<bool> = index
            .vocab
            .iter()
            .map(|w| matches!(*w, "但是" | "所以"))
            .collect();
        assert_eq!(p.sentences[0].0, 8);
        let xu = p.finish(&cd);
        // Second sentence: 所以 回家 ， , 看书 (5 tokens).
        assert_eq!(p.sentences[1].0, 5);
        let r2 = (1.0 / 8.0 + 1.0 / 5.0) / 2.0;
        assert!((xu.r2 - r2).abs() < 1e-12, "{xu:?}");
        assert!((xu.r3 - (18.0 / 4.0 + r2) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn an_empty_text_is_zero() {
        let p = pending("", &[], &WordIndex::default(), &[]);
        assert_eq!(p.finish(&[]), Xu::default());
    }
}

//! Word counts per essay (the corpus totals are kept by `AnalysisBuilder`, by word id).

use rustc_hash::FxHashMap;

use crate::corpus::{is_han, is_latin};
use crate::segment::Token;

/// A word is a token holding a Han character or a Latin letter: punctuation, whitespace and bare
/// numbers are not words.
pub fn is_word(word: &str) -> bool {
    word.chars().any(|c| is_han(c) || is_latin(c))
}

/// A word's count in one essay and the byte offset of its first occurrence there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordCount<'a> {
    pub word: Token<'a>,
    pub count: u64,
    pub first: u32,
}

/// The words of one essay as small integers: every analysis that walks the word sequence
/// (counts, MATTR, MTLD) works on `ids` with arrays instead of hashing strings again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordIndex<'a> {
    /// Distinct words, in order of first occurrence; a word's id is its index here.
    pub vocab: Vec<Token<'a>>,
    /// The id of each word token, in text order.
    pub ids: Vec<u32>,
    /// Byte offset of each word token in the essay text, in text order.
    pub offsets: Vec<u32>,
}

impl<'a> WordIndex<'a> {
    /// Indexes the word tokens of `tokens` (slices of `text`).
    pub fn new(tokens: &[Token<'a>], text: &str) -> Self {
        let base = text.as_ptr() as usize;
        let mut index = WordIndex::default();
        let mut ids: FxHashMap<Token<'a>, u32> = FxHashMap::default();
        for &word in tokens.iter().filter(|word| is_word(word)) {
            let next = index.vocab.len() as u32;
            let id = *ids.entry(word).or_insert(next);
            if id == next {
                index.vocab.push(word);
            }
            index.ids.push(id);
            index.offsets.push((word.as_ptr() as usize - base) as u32);
        }
        index
    }
}

/// Counts of the words of one essay, most frequent first, ties by word.
pub fn count_words<'a>(index: &WordIndex<'a>) -> Vec<WordCount<'a>> {
    let mut counts = vec![0u64; index.vocab.len()];
    let mut first = vec![u32::MAX; index.vocab.len()];
    for (&id, &offset) in index.ids.iter().zip(&index.offsets) {
        counts[id as usize] += 1;
        if first[id as usize] == u32::MAX {
            first[id as usize] = offset;
        }
    }
    let mut counts: Vec<WordCount<'a>> = index
        .vocab
        .iter()
        .zip(counts.into_iter().zip(first))
        .map(|(&word, (count, first))| WordCount { word, count, first })
        .collect();
    sort_counts(&mut counts, |w| (w.count, w.word));
    counts
}

/// Sorts by count descending, then word: a total order, so the same words always come out in
/// the same order whatever the hash map or the thread count did.
pub fn sort_counts<T, K>(rows: &mut [T], key: K)
where
    K: Fn(&T) -> (u64, Token<'_>),
{
    rows.sort_unstable_by(|a, b| {
        let (count_a, word_a) = key(a);
        let (count_b, word_b) = key(b);
        count_b.cmp(&count_a).then_with(|| word_a.cmp(word_b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_han_or_latin_tokens() {
        assert!(is_word("社区"));
        assert!(is_word("COVID"));
        assert!(is_word("新冠19"));
        for not_word in ["，", "2020", "3.5", "……", " "] {
            assert!(!is_word(not_word), "{not_word}");
        }
    }

    #[test]
    fn counts_are_sorted_by_count_then_word() {
        let text = "乙甲，乙丙甲";
        let at = |i: usize, len: usize| &text[i..i + len];
        let tokens = [at(0, 3), at(3, 3), at(6, 3), at(9, 3), at(12, 3), at(15, 3)];
        let counts = count_words(&WordIndex::new(&tokens, text));
        let words: Vec<_> = counts.iter().map(|w| (w.word, w.count, w.first)).collect();
        // 乙 (U+4E59) sorts before 甲 (U+7532) among the words counted twice.
        assert_eq!(words, [("乙", 2, 0), ("甲", 2, 3), ("丙", 1, 12)]);
    }
}

//! Word counts per essay and for the whole corpus.

use rustc_hash::FxHashMap;

use crate::corpus::{is_han, is_latin};
use crate::segment::Token;

/// A word is a token holding a Han character or a Latin letter: punctuation, whitespace and bare
/// numbers are not words.
pub fn is_word(word: &str) -> bool {
    word.chars().any(|c| is_han(c) || is_latin(c))
}

/// Counts of the words of one essay, most frequent first, ties by word then tag.
pub fn count_words<'a>(tokens: &[Token<'a>]) -> Vec<(Token<'a>, u64)> {
    let mut counts: FxHashMap<Token<'a>, u64> = FxHashMap::default();
    for token in tokens.iter().filter(|token| is_word(token.word)) {
        *counts.entry(*token).or_default() += 1;
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    sort_counts(&mut counts, |&(token, count)| (count, token));
    counts
}

/// Sorts by count descending, then word, then tag: a total order, so the same words always come
/// out in the same order whatever the hash map or the thread count did.
pub fn sort_counts<T, K>(rows: &mut [T], key: K)
where
    K: Fn(&T) -> (u64, Token<'_>),
{
    rows.sort_unstable_by(|a, b| {
        let (count_a, token_a) = key(a);
        let (count_b, token_b) = key(b);
        count_b.cmp(&count_a).then_with(|| token_a.word.cmp(token_b.word)).then_with(|| token_a.pos.cmp(token_b.pos))
    });
}

/// Corpus totals of one word: occurrences and the number of essays using it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CorpusCount {
    pub count: u64,
    pub essays: u32,
}

/// Corpus counts, merged from essays in any order (folded per worker, then reduced).
#[derive(Debug, Default)]
pub struct CorpusCounts<'a> {
    pub counts: FxHashMap<Token<'a>, CorpusCount>,
}

impl<'a> CorpusCounts<'a> {
    pub fn add_essay(mut self, essay: impl IntoIterator<Item = (Token<'a>, u64)>) -> Self {
        for (token, count) in essay {
            let entry = self.counts.entry(token).or_default();
            entry.count += count;
            entry.essays += 1;
        }
        self
    }

    pub fn merge(mut self, other: Self) -> Self {
        let (mut big, small) = if self.counts.len() >= other.counts.len() { (self, other) } else { (other, self) };
        for (token, count) in small.counts {
            let entry = big.counts.entry(token).or_default();
            entry.count += count.count;
            entry.essays += count.essays;
        }
        self = big;
        self
    }

    /// The counts, most frequent first.
    pub fn into_sorted(self) -> Vec<(Token<'a>, CorpusCount)> {
        let mut rows: Vec<_> = self.counts.into_iter().collect();
        sort_counts(&mut rows, |&(token, count)| (count.count, token));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(word: &'static str) -> Token<'static> {
        Token { word, pos: "n" }
    }

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
        let tokens = [token("乙"), token("甲"), token("，"), token("乙"), token("丙"), token("甲")];
        let counts = count_words(&tokens);
        let words: Vec<_> = counts.iter().map(|(t, c)| (t.word, *c)).collect();
        // 乙 (U+4E59) sorts before 甲 (U+7532) among the words counted twice.
        assert_eq!(words, [("乙", 2), ("甲", 2), ("丙", 1)]);
    }

    #[test]
    fn merging_in_any_order_gives_the_same_counts() {
        let a = [(token("甲"), 2), (token("乙"), 1)];
        let b = [(token("甲"), 1)];
        let one = CorpusCounts::default().add_essay(a).add_essay(b).into_sorted();
        let two = CorpusCounts::default().add_essay(b).merge(CorpusCounts::default().add_essay(a)).into_sorted();
        assert_eq!(one, two);
        assert_eq!(one[0], (token("甲"), CorpusCount { count: 3, essays: 2 }));
    }
}

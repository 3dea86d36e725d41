//! Word counts per essay (the corpus totals are kept by `AnalysisBuilder`, by word id).

use rustc_hash::FxHashMap;
use std::sync::Arc;

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
        // Sized for the essay at once (at most a word a token), so that it is never rehashed.
        let mut ids: FxHashMap<Token<'a>, u32> =
            FxHashMap::with_capacity_and_hasher(tokens.len(), Default::default());
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

/// An essay's (word id, count) pairs in their order, packed as LEB128 varints (7 bits a byte):
/// what outlives the batch for every distinct word of every essay, so its size is most of a
/// large run's memory. Early words have small ids and most counts are 1, so a pair takes about
/// 3 bytes instead of 8.
///
/// Once the order is no longer needed (a streaming run has written the batch's rows), the
/// pairs can be packed again by word id, each id as its gap from the one before
/// ([`PackedCounts::share_by_id`]): on the bench corpus 2.4 bytes a pair instead of 3.4.
///
/// The essays of a batch share one buffer ([`PackedCounts::share`]). The counts are freed once
/// their vectors are made, while the essays' other results stay: had each essay its own
/// allocation among theirs, the freed counts would be holes in pages still in use, which
/// cannot go back to the system (180 MB at 500 MB); a batch's buffer goes back whole.
#[derive(Debug, Clone, Default)]
pub struct PackedCounts {
    buffer: Arc<[u8]>,
    /// This essay's bytes in `buffer`.
    start: u32,
    end: u32,
    len: u32,
    /// Packed by [`Self::share_by_id`]: by id, each id as its gap from the one before.
    by_id: bool,
}

impl PartialEq for PackedCounts {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.by_id == other.by_id && self.bytes() == other.bytes()
    }
}

impl Eq for PackedCounts {}

impl PackedCounts {
    pub fn pack(pairs: &[(u32, u32)]) -> Self {
        let mut bytes = Vec::with_capacity(pairs.len() * 3);
        for &(id, count) in pairs {
            push_varint(&mut bytes, id);
            push_varint(&mut bytes, count);
        }
        PackedCounts {
            end: bytes.len() as u32,
            buffer: Arc::from(bytes),
            start: 0,
            len: pairs.len() as u32,
            by_id: false,
        }
    }

    /// Moves the bytes of `counts` into one buffer that they share.
    pub fn share(counts: Vec<&mut PackedCounts>) {
        let total: usize = counts.iter().map(|c| c.bytes().len()).sum();
        let mut bytes = Vec::with_capacity(total);
        for c in &counts {
            bytes.extend_from_slice(c.bytes());
        }
        let buffer: Arc<[u8]> = Arc::from(bytes);
        let mut at = 0u32;
        for c in counts {
            let size = c.end - c.start;
            *c = PackedCounts {
                buffer: Arc::clone(&buffer),
                start: at,
                end: at + size,
                len: c.len,
                by_id: c.by_id,
            };
            at += size;
        }
    }

    /// Packs the pairs of `counts` again, by word id, each id as its gap from the one before,
    /// into one buffer that they share; [`Self::iter`] then gives them by id.
    pub fn share_by_id(counts: Vec<&mut PackedCounts>) {
        use rayon::prelude::*;
        let packed: Vec<Vec<u8>> = counts
            .par_iter()
            .map(|c| {
                let mut pairs: Vec<(u32, u32)> = c.iter().collect();
                pairs.sort_unstable();
                let mut bytes = Vec::with_capacity(pairs.len() * 3);
                let mut last = 0;
                for (id, count) in pairs {
                    push_varint(&mut bytes, id - last);
                    push_varint(&mut bytes, count);
                    last = id;
                }
                bytes
            })
            .collect();
        let mut bytes = Vec::with_capacity(packed.iter().map(Vec::len).sum());
        let mut ends = Vec::with_capacity(packed.len());
        for essay in packed {
            bytes.extend_from_slice(&essay);
            ends.push(bytes.len() as u32);
        }
        let buffer: Arc<[u8]> = Arc::from(bytes);
        let mut start = 0;
        for (c, end) in counts.into_iter().zip(ends) {
            *c = PackedCounts {
                buffer: Arc::clone(&buffer),
                start,
                end,
                len: c.len,
                by_id: true,
            };
            start = end;
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.buffer[self.start as usize..self.end as usize]
    }

    /// Number of pairs (the essay's distinct words).
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pairs, in the order they were packed (by id after [`Self::share_by_id`]).
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        let bytes = self.bytes();
        let mut last = 0;
        let by_id = u32::from(self.by_id);
        (0..self.len).map(move |_| {
            let id = read_varint(bytes, &mut at) + last * by_id;
            let count = read_varint(bytes, &mut at);
            last = id;
            (id, count)
        })
    }
}

pub(crate) fn push_varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push(value as u8 | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

pub(crate) fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let byte = bytes[*at];
        *at += 1;
        value |= u32::from(byte & 0x7F) << shift;
        if byte < 0x80 {
            return value;
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_counts_read_as_packed() {
        let pairs: Vec<Vec<(u32, u32)>> = vec![
            vec![(0, 1), (300, 2), (70_000, 1)],
            vec![],
            vec![(5, 100_000), (u32::MAX, u32::MAX)],
        ];
        let alone: Vec<PackedCounts> = pairs.iter().map(|p| PackedCounts::pack(p)).collect();
        let mut shared = alone.clone();
        PackedCounts::share(shared.iter_mut().collect());
        assert_eq!(shared, alone);
        for (counts, pairs) in shared.iter().zip(&pairs) {
            assert_eq!(counts.iter().collect::<Vec<_>>(), *pairs);
            assert_eq!(counts.len(), pairs.len());
        }
        let mut by_id = alone.clone();
        PackedCounts::share_by_id(by_id.iter_mut().collect());
        for (counts, pairs) in by_id.iter().zip(&pairs) {
            let mut sorted = pairs.clone();
            sorted.sort_unstable();
            assert_eq!(counts.iter().collect::<Vec<_>>(), sorted);
            assert_eq!(counts.len(), pairs.len());
        }
        // Close ids take a byte each as gaps: 70,000, 70,001, 70,002 take 3 + 1 + 1 bytes of
        // ids instead of 3 + 3 + 3, and their counts one byte each.
        let mut apart = vec![PackedCounts::pack(&[(70_000, 1), (70_001, 1), (70_002, 1)])];
        let before = apart[0].bytes().len();
        PackedCounts::share_by_id(apart.iter_mut().collect());
        assert_eq!((before, apart[0].bytes().len()), (3 * 3 + 3, 3 + 1 + 1 + 3));
        // One buffer for all.
        assert!(shared
            .iter()
            .all(|c| Arc::ptr_eq(&c.buffer, &shared[0].buffer)));
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
    fn packed_counts_give_back_their_pairs() {
        let pairs = [
            (0, 1),
            (127, 128),
            (128, 3),
            (16_383, 1),
            (2_000_000, 70_000),
            (u32::MAX, u32::MAX),
        ];
        let packed = PackedCounts::pack(&pairs);
        assert_eq!(packed.len(), pairs.len());
        assert_eq!(packed.iter().collect::<Vec<_>>(), pairs);
        // One byte for each small number.
        assert_eq!(PackedCounts::pack(&[(5, 1), (100, 2)]).bytes().len(), 4);
        assert!(PackedCounts::default().is_empty());
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

//! Word and character n-grams over a corpus, counted a batch of essays at a time, with their
//! range and dispersion over the essays.
//!
//! An n-gram never crosses punctuation, a number, a line end or an essay end: word n-grams are
//! read inside runs of adjacent word tokens, character n-grams inside runs of Han characters.
//! Each n-gram is a `u128` key (n and up to five 25-bit ids). The count takes two passes:
//!
//! 1. Each batch's essays are segmented in parallel into runs of items, which are kept in
//!    corpus ids (4 bytes a word, in memory or in a temporary file past a budget), and every
//!    n-gram is counted, up to 3, in the slot of a table its hash chooses ([`Sketch`]).
//! 2. At the end, the runs are read again, and only the n-grams whose slot reaches the
//!    threshold of count and range (3 for any above) are counted exactly, per essay in parallel. These records are
//!    split into shards by key, each chunk's records of a shard sorted into a run (kept in
//!    memory or written to a temporary file past the budget), and each shard's runs merged by
//!    its own thread in corpus order, so that the figures do not depend on the thread count or
//!    the batch size.
//!
//! An n-gram that passes the threshold always reaches it in its slot, so the table is what
//! counting everything would give; the first pass only spares the sorting and merging of the
//! n-grams seen once, which are most of them (11.6 of the 12 million of the 50 MB bench
//! corpus).

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

use crate::corpus::{is_han, Essay};
use crate::segment::{Segmenter, Token};
use std::ops::RangeInclusive;

use super::dispersion::{Dispersion, Parts, Sums};
use super::frequency::is_word;
use super::written::Tally;

/// Longest n-gram.
pub const MAX_N: usize = 5;
const ID_BITS: u32 = 25;
/// Distinct words an n-gram key can hold.
pub const MAX_WORDS: usize = 1 << ID_BITS;
const SHARDS: usize = 16;

/// What the n-grams are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Words,
    Chars,
}

fn key(ids: &[u32]) -> u128 {
    let mut key = (ids.len() as u128) << (MAX_N as u32 * ID_BITS);
    for (k, &id) in ids.iter().enumerate() {
        key |= u128::from(id) << (k as u32 * ID_BITS);
    }
    key
}

fn unkey(key: u128) -> impl Iterator<Item = u32> {
    let n = (key >> (MAX_N as u32 * ID_BITS)) as usize;
    (0..n).map(move |k| ((key >> (k as u32 * ID_BITS)) as u32) & ((1 << ID_BITS) - 1))
}

fn shard_of(key: u128) -> usize {
    let mut h = FxHasher::default();
    key.hash(&mut h);
    (h.finish() >> 59) as usize % SHARDS
}

/// The n-grams of one essay before the corpus knows its words.
#[derive(Debug, Default)]
pub struct EssayGrams {
    /// The essay's distinct words: byte ranges of its body (empty for characters).
    vocab: Vec<(u32, u32)>,
    /// The essay's runs of items long enough for an n-gram, each ended by [`RUN_END`]: words
    /// by their place in `vocab`, characters by code point.
    items: Vec<u32>,
    /// Words (or Han characters) of the essay: its size as a corpus part.
    pub size: u64,
    /// How the essay writes its items, when the table is to show them as written.
    written: Option<Box<EssayForms>>,
}

/// What an essay tells of the forms its items are written in (see [`super::written`]).
#[derive(Debug, Default)]
struct EssayForms {
    /// Words: the count of each item of `vocab`, by its place there. Characters: (Han
    /// character, count), for every character of a converted essay.
    counts: Vec<(u32, u32)>,
    /// Words written otherwise than counted, where they first occur: (place in `vocab`, byte
    /// range of the original text).
    words: Vec<(u32, (u32, u32))>,
    /// Characters written otherwise than counted: (counted, written, count).
    chars: Vec<(u32, u32, u32)>,
    /// Pairs of adjacent Han characters of a converted essay: (counted pair, written pair,
    /// count), pairs as `first << 32 | second`. They choose between the forms of a character
    /// written two ways (发: 發 or 髮) by its neighbour (發展, 頭髮).
    pairs: Vec<(u64, u64, u32)>,
}

/// Counts the n-grams of lengths `ns` of one essay, segmenting it for word n-grams; with
/// `forms`, also what the counter needs to show them as the essays wrote them
/// ([`NgramCounter::with_forms`]).
pub fn essay_grams(
    segmenter: &Segmenter,
    essay: &Essay,
    unit: Unit,
    ns: RangeInclusive<usize>,
    forms: bool,
) -> EssayGrams {
    let mut grams = match unit {
        Unit::Words => {
            let tokens = super::segment_essay(segmenter, essay);
            let (mut grams, counts) = counted_word_grams(&essay.body, &tokens, ns);
            if forms {
                grams.written = Some(Box::new(word_forms(essay, &grams.vocab, counts)));
            }
            grams
        }
        Unit::Chars => char_grams(&essay.body, ns),
    };
    if forms && unit == Unit::Chars {
        grams.written = char_forms(essay).map(Box::new);
    }
    grams
}

/// The words of an essay's `vocab` written otherwise than counted, with every item's count.
fn word_forms(essay: &Essay, vocab: &[(u32, u32)], counts: Vec<u32>) -> EssayForms {
    EssayForms {
        counts: counts
            .into_iter()
            .enumerate()
            .map(|(i, c)| (i as u32, c))
            .collect(),
        words: super::written::written_ranges(essay, vocab.iter().copied()),
        ..EssayForms::default()
    }
}

fn pair(first: u32, second: u32) -> u64 {
    u64::from(first) << 32 | u64::from(second)
}

/// A converted essay's Han characters with their counts, and the characters and pairs of
/// characters it writes otherwise than counted; `None` for an essay not converted character for
/// character.
fn char_forms(essay: &Essay) -> Option<EssayForms> {
    let original = essay.original.as_deref()?;
    let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
    let mut chars: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut pairs: FxHashMap<(u64, u64), u32> = FxHashMap::default();
    // Converted character for character: the two texts have their characters at the same
    // places.
    let mut last: Option<(u32, u32)> = None;
    for (c, w) in essay.body.chars().zip(original.chars()) {
        if !is_han(c) {
            last = None;
            continue;
        }
        let (c, w) = (c as u32, w as u32);
        *counts.entry(c).or_insert(0) += 1;
        if c != w {
            *chars.entry((c, w)).or_insert(0) += 1;
        }
        if let Some((lc, lw)) = last {
            *pairs.entry((pair(lc, c), pair(lw, w))).or_insert(0) += 1;
        }
        last = Some((c, w));
    }
    // Sorted, so that what the counter is given does not hang on a hash table's order.
    let mut forms = EssayForms {
        counts: counts.into_iter().collect(),
        chars: chars.into_iter().map(|((c, w), n)| (c, w, n)).collect(),
        pairs: pairs.into_iter().map(|((c, w), n)| (c, w, n)).collect(),
        ..EssayForms::default()
    };
    forms.counts.sort_unstable();
    forms.chars.sort_unstable();
    forms.pairs.sort_unstable();
    Some(forms)
}

/// Ends each run of items in [`EssayGrams::items`] and the counter's sequences.
const RUN_END: u32 = u32::MAX;

/// Keeps one run of items, if it is long enough to hold an n-gram.
fn push_run(run: &[u32], shortest: usize, items: &mut Vec<u32>) {
    if run.len() >= shortest.max(1) {
        items.extend_from_slice(run);
        items.push(RUN_END);
    }
}

/// Calls `each` with the key of every n-gram of lengths `ns` in `items` (runs ended by
/// [`RUN_END`]), a run at a time, shorter n-grams first.
fn each_key(items: &[u32], ns: &RangeInclusive<usize>, mut each: impl FnMut(u128)) {
    for run in items.split(|&i| i == RUN_END) {
        for n in ns.clone() {
            for window in run.windows(n) {
                each(key(window));
            }
        }
    }
}

/// Whether two tokens of `body`, the first ending at byte `end` and the next starting at byte
/// `start`, are neighbours in a run of words: nothing between them, or spaces and tabs (between
/// the words of `good morning`, or of a text typed with spaces), but no line end (the end of a
/// paragraph).
pub fn adjacent(body: &str, end: usize, start: usize) -> bool {
    end == start || end < start && !body[end..start].contains(['\n', '\r'])
}

/// The word n-grams of an essay's `tokens` (slices of `body`, whitespace left out): inside runs
/// of adjacent words ([`adjacent`]).
pub fn word_grams(body: &str, tokens: &[Token<'_>], ns: RangeInclusive<usize>) -> EssayGrams {
    counted_word_grams(body, tokens, ns).0
}

/// [`word_grams`], with the count of each item of the vocabulary.
fn counted_word_grams(
    body: &str,
    tokens: &[Token<'_>],
    ns: RangeInclusive<usize>,
) -> (EssayGrams, Vec<u32>) {
    let base = body.as_ptr() as usize;
    // Sized for the essay at once, as a table grown from empty was rehashed several times an
    // essay: at most a word a token.
    let mut ids: FxHashMap<&str, u32> =
        FxHashMap::with_capacity_and_hasher(tokens.len(), Default::default());
    let mut vocab: Vec<(u32, u32)> = Vec::new();
    let mut items: Vec<u32> = Vec::with_capacity(tokens.len() + tokens.len() / 8);
    let mut occurrences: Vec<u32> = Vec::new();
    let mut run: Vec<u32> = Vec::new();
    let mut size = 0u64;
    let mut last_end = usize::MAX;
    for &token in tokens {
        let start = token.as_ptr() as usize - base;
        let word = is_word(token);
        // A line end between two tokens ends a run too.
        if !word || last_end == usize::MAX || !adjacent(body, last_end, start) {
            push_run(&run, *ns.start(), &mut items);
            run.clear();
        }
        last_end = start + token.len();
        if word {
            size += 1;
            let next = vocab.len() as u32;
            let id = *ids.entry(token).or_insert(next);
            if id == next {
                vocab.push((start as u32, token.len() as u32));
                occurrences.push(0);
            }
            occurrences[id as usize] += 1;
            run.push(id);
        }
    }
    push_run(&run, *ns.start(), &mut items);
    let grams = EssayGrams {
        vocab,
        items,
        size,
        written: None,
    };
    (grams, occurrences)
}

/// The character n-grams of an essay: inside runs of Han characters.
pub fn char_grams(body: &str, ns: RangeInclusive<usize>) -> EssayGrams {
    let mut items: Vec<u32> = Vec::new();
    let mut run: Vec<u32> = Vec::new();
    let mut size = 0u64;
    for c in body.chars() {
        if is_han(c) {
            size += 1;
            run.push(c as u32);
        } else {
            push_run(&run, *ns.start(), &mut items);
            run.clear();
        }
    }
    push_run(&run, *ns.start(), &mut items);
    EssayGrams {
        vocab: Vec::new(),
        items,
        size,
        written: None,
    }
}

/// A record of the corpus counts: (n-gram key, essay, count in the essay).
type Record = (u128, u32, u32);

/// One shard of the exact counts (the second pass): a sorted run of records a chunk, by
/// n-gram and then essay, held in memory until the runs take more than the budget.
///
/// A chunk's records are sorted, not summed in a hash table: the sums would be sorted again
/// before going to disk anyway, and when every n-gram was counted exactly (~12 million distinct
/// at 50 MB, most seen once) every insert into that table missed the cache (1.0 s of a 3 s
/// run).
#[derive(Default)]
struct Shard {
    runs: Vec<Vec<Record>>,
}

impl Shard {
    /// Memory the shard's runs hold.
    fn bytes(&self) -> usize {
        self.runs
            .iter()
            .map(|run| run.capacity() * std::mem::size_of::<Record>())
            .sum()
    }
}

/// The n-grams of a corpus, built a batch at a time.
pub struct NgramCounter<'a> {
    unit: Unit,
    ids: FxHashMap<&'a str, u32>,
    /// Words by id (word n-grams).
    pub words: Vec<&'a str>,
    shards: Vec<Shard>,
    /// Size of each essay so far.
    sizes: Vec<u64>,
    /// Memory the shards may hold before they are written out as sorted runs, and the
    /// sequences before they are written out.
    budget: usize,
    spill: Option<Spill>,
    /// The forms the essays write the items in, if the table shows them as written.
    forms: Option<Box<CounterForms<'a>>>,
    /// Lengths counted.
    ns: RangeInclusive<usize>,
    /// Every n-gram seen, counted up to 3 in a slot its hash chooses (the first pass).
    sketch: Option<Sketch>,
    /// Slots of the sketch, as a power of two; `None` sizes it from `expected`.
    sketch_bits: Option<u32>,
    /// Bytes of input the counter expects, which size the sketch.
    expected: u64,
    /// The least count the table will be asked for ([`NgramCounter::with_threshold`]); no
    /// table below 2.
    threshold: u64,
    /// The threshold of the second pass, once it has run.
    counted_at: Option<u32>,
    /// The essays' runs of items in corpus ids, for the second pass.
    sequences: Sequences,
}

/// The first pass of the count: a saturating two-bit counter for each slot of a table that
/// every n-gram of the corpus is hashed into. A slot's count is at least that of every n-gram
/// hashed to it (capped at 3), so an n-gram whose slot has fewer than the threshold is seen
/// fewer times, and only the n-grams of the other slots are counted exactly, in the second
/// pass. Most n-grams of a corpus are seen once (about 11.6 of the 12 million of the 50 MB
/// bench corpus) and never go into a record, a sort or a temporary file. The counts are the
/// same whatever order the n-grams come in, so the set counted exactly is the same every run.
struct Sketch {
    /// Thirty-two slots a word.
    words: Vec<u64>,
    /// log2 of the number of slots.
    bits: u32,
}

/// The fewest slots a table is made with.
const MIN_SKETCH_BITS: u32 = 20;

/// Slices of the sketch that the first pass fills in parallel, each by one thread, so that no
/// slot needs an atomic operation and each thread's writes stay in one region (512 KB at 50 MB
/// of input; 256 slices, 1 MB each at 500 MB, were no faster).
const SLICES: usize = 64;

impl Sketch {
    /// A table of 2^`bits` slots, or of fewer if the memory cannot be had (the counts are
    /// the same whatever its size; a smaller table only sends more n-grams to the second pass).
    fn new(mut bits: u32) -> Sketch {
        // A slice holds whole words of slots, and a slot fits a u32.
        assert!(
            (5 + SLICES.trailing_zeros()..=32).contains(&bits),
            "{bits} bits"
        );
        loop {
            let len = usize::try_from((1u64 << bits) / 32).unwrap_or(usize::MAX);
            let mut words: Vec<u64> = Vec::new();
            if words.try_reserve_exact(len).is_err() && bits > MIN_SKETCH_BITS {
                bits -= 1;
                continue;
            }
            // Zeros written in parallel before the first pass: a page of the table read before
            // it is written maps the kernel's shared page of zeros, and the write that follows
            // then copies it and flushes the other cores' address caches (3.7% of a run at
            // 50 MB when the table was allocated zeroed).
            words.par_extend(rayon::iter::repeat_n(0u64, len));
            return Sketch { words, bits };
        }
    }

    /// Slots for `bytes` of input: about one per byte for each length counted, two lengths at
    /// most (for 2- and 3-grams of words, whose words take about 5.5 bytes of UTF-8, some
    /// eight slots an n-gram, which leaves about one n-gram seen once in eleven sharing a slot
    /// with another), rounded up to a power of two; so the table takes at most the input's
    /// size (a quarter of a byte a slot). At least 2^20 slots, at most 2^32 (a GB); for input
    /// of unknown size, 2^27 (32 MB).
    fn bits_for(bytes: u64, lengths: usize) -> u32 {
        let slots = match bytes {
            // Input of unknown size (a pipe): as for 64 MB.
            0 => 1 << 27,
            _ => bytes.saturating_mul(lengths.min(2) as u64),
        };
        slots
            .next_power_of_two()
            .trailing_zeros()
            .clamp(MIN_SKETCH_BITS, 32)
    }

    /// The slot of an n-gram key: the high bits of a 64-bit mix of it (the finaliser of
    /// MurmurHash3, applied to each half, with the length's bits in the high half).
    fn slot(&self, key: u128) -> u32 {
        fn mix(mut x: u64) -> u64 {
            x ^= x >> 33;
            x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
            x ^= x >> 33;
            x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            x ^ (x >> 33)
        }
        let h = mix(mix(key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        (h >> (64 - self.bits)) as u32
    }

    fn slice_of(&self, slot: u32) -> usize {
        ((u64::from(slot) * SLICES as u64) >> self.bits) as usize
    }

    /// Counts one n-gram in its slot, `words` being its slice, which starts at slot `first`.
    fn bump(words: &mut [u64], first: u32, slot: u32) {
        let at = (slot - first) as usize;
        let word = &mut words[at / 32];
        let shift = (at % 32) * 2;
        if (*word >> shift) & 3 < 3 {
            *word += 1 << shift;
        }
    }

    /// Adds to `keys` the n-grams of `items` whose slot has a count of at least `least`.
    fn candidates(
        &self,
        items: &[u32],
        ns: &RangeInclusive<usize>,
        least: u32,
        keys: &mut Vec<u128>,
    ) {
        let mut slotted: Vec<(u128, u32)> = Vec::new();
        each_key(items, ns, |k| slotted.push((k, self.slot(k))));
        // The slots are all over the table: asked for some way ahead of their reading, they
        // come from memory together, not one after another.
        const AHEAD: usize = 16;
        for &(_, slot) in slotted.iter().take(AHEAD) {
            self.prefetch(slot);
        }
        for (at, &(k, slot)) in slotted.iter().enumerate() {
            if let Some(&(_, ahead)) = slotted.get(at + AHEAD) {
                self.prefetch(ahead);
            }
            if self.get(slot) >= least {
                keys.push(k);
            }
        }
    }

    /// Asks for a slot's word to be brought into the cache.
    fn prefetch(&self, slot: u32) {
        let at = slot as usize / 32;
        super::similarity::prefetch(&self.words[at..at + 1], 64);
    }

    /// The count of a slot, up to 3.
    fn get(&self, slot: u32) -> u32 {
        let slot = slot as usize;
        ((self.words[slot / 32] >> ((slot % 32) * 2)) & 3) as u32
    }
}

/// The essays' runs of items in corpus ids, as the batches gave them: kept in memory until they
/// take more than the budget, then written to a temporary file (unnamed, as the runs').
#[derive(Default)]
struct Sequences {
    held: Vec<Chunk>,
    file: Option<std::fs::File>,
    /// (first essay, essays, items, start in the file) of each chunk written.
    written: Vec<(u32, usize, usize, u64)>,
}

/// The sequences of a batch: the items of essay `first + i` are `items[ends[i - 1]..ends[i]]`.
#[derive(Default)]
struct Chunk {
    first: u32,
    ends: Vec<u32>,
    items: Vec<u32>,
}

impl Chunk {
    fn bytes(&self) -> usize {
        (self.ends.capacity() + self.items.capacity()) * 4
    }

    fn essay(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.items[start..self.ends[i] as usize]
    }
}

impl Sequences {
    fn bytes(&self) -> usize {
        self.held.iter().map(Chunk::bytes).sum()
    }

    /// Writes the chunks held to the file, in order.
    fn spill(&mut self) -> std::io::Result<()> {
        use std::io::{Seek, Write};
        if self.file.is_none() {
            self.file = Some(tempfile::tempfile()?);
        }
        let mut file = self.file.as_ref().expect("made above");
        let mut start = file.seek(std::io::SeekFrom::End(0))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut file);
        for chunk in self.held.drain(..) {
            for &x in chunk.ends.iter().chain(&chunk.items) {
                out.write_all(&x.to_le_bytes())?;
            }
            self.written
                .push((chunk.first, chunk.ends.len(), chunk.items.len(), start));
            start += ((chunk.ends.len() + chunk.items.len()) * 4) as u64;
        }
        out.flush()
    }

    /// Each chunk in corpus order, those on disk read back one at a time.
    fn each(&self, mut f: impl FnMut(&Chunk) -> Result<(), String>) -> Result<(), String> {
        use std::io::{Read, Seek};
        let failed = |e: std::io::Error| {
            format!(
                "cannot read back the n-gram sequences from their temporary file in {}: {e}",
                std::env::temp_dir().display()
            )
        };
        for &(first, essays, items, start) in &self.written {
            let mut file = self.file.as_ref().expect("chunks written have their file");
            file.seek(std::io::SeekFrom::Start(start)).map_err(failed)?;
            let mut bytes = vec![0u8; (essays + items) * 4];
            file.read_exact(&mut bytes).map_err(failed)?;
            let mut numbers = bytes
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")));
            let chunk = Chunk {
                first,
                ends: numbers.by_ref().take(essays).collect(),
                items: numbers.collect(),
            };
            f(&chunk)?;
        }
        for chunk in &self.held {
            f(chunk)?;
        }
        Ok(())
    }
}

/// The forms of the items met so far (see [`super::written`]).
#[derive(Default)]
struct CounterForms<'a> {
    /// Words: each word's count by id.
    word_totals: Vec<u64>,
    words: Tally<u32, &'a str>,
    /// Characters: the Han characters of the converted essays and of the others.
    char_sizes: (u64, u64),
    /// Each Han character's count in the converted essays.
    char_totals: FxHashMap<u32, u64>,
    chars: Tally<u32, u32>,
    /// Pairs of characters of converted essays: (counted, written) and count.
    pairs: FxHashMap<(u64, u64), u64>,
}

/// How the table writes the items whose forms the corpus writes otherwise than counted.
#[derive(Debug, Clone, Default)]
struct Written<'a> {
    words: FxHashMap<u32, &'a str>,
    /// Characters the converted essays write otherwise at least once, in the form they use
    /// most.
    chars: FxHashMap<u32, u32>,
    /// Each pair of characters of converted essays in its commonest written form (ties to the
    /// counted form, then the smaller).
    pairs: FxHashMap<u64, u64>,
}

/// Memory the exact counts, and the essays' runs of items, may each take before they go to
/// disk.
pub const SPILL_BYTES: usize = 32 << 20;

/// Text in a batch of `wenxi ngrams`: a batch's n-gram slots and runs take several times its
/// text until they are counted (words about 16 bytes a word for 2- and 3-grams, characters
/// three times that, a character being a third of a word), so its batches are half the others
/// (1.85 s at 50 MB, against 2.0 s with a quarter and 275 MB of memory, against 238, with
/// all), an eighth for characters (a quarter took 290 MB for 2- to 4-grams at 50 MB).
pub fn batch_bytes(unit: Unit) -> usize {
    match unit {
        Unit::Words => super::BATCH_BYTES / 2,
        Unit::Chars => super::BATCH_BYTES / 8,
    }
}

/// Bytes of one record of a run: n-gram key, essay, count.
const RECORD: usize = 24;

/// The runs written so far: one temporary file per shard (unnamed, so nothing is left behind
/// even if the process is killed), each run a segment of it in corpus order.
struct Spill {
    files: Vec<std::fs::File>,
    /// (start, end) in bytes of each run of each shard.
    runs: Vec<Vec<(u64, u64)>>,
}

impl Spill {
    fn new() -> std::io::Result<Spill> {
        Ok(Spill {
            files: (0..SHARDS)
                .map(|_| tempfile::tempfile())
                .collect::<std::io::Result<_>>()?,
            runs: vec![Vec::new(); SHARDS],
        })
    }

    /// Appends each shard's runs to its file, in order, and empties them.
    fn write(&mut self, shards: &mut [Shard]) -> std::io::Result<()> {
        use std::io::{Seek, Write};
        let written: Vec<std::io::Result<Vec<(u64, u64)>>> = shards
            .par_iter_mut()
            .zip(&self.files)
            .map(|(shard, mut file)| {
                let mut start = file.seek(std::io::SeekFrom::End(0))?;
                let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut file);
                let mut bounds = Vec::new();
                // The runs held since the last spill go out as one, so that the final merge
                // reads one run a spill, not one a batch, whatever the budget: sorted by
                // (n-gram, essay), which keeps each n-gram's essays in corpus order. The runs
                // come in corpus order, so a stable sort by n-gram is enough, and it finds
                // the sorted runs it is made of.
                let mut runs = std::mem::take(&mut shard.runs);
                if runs.len() > 1 {
                    let mut one: Vec<Record> = Vec::with_capacity(runs.iter().map(Vec::len).sum());
                    for run in runs.drain(..) {
                        one.extend(run);
                    }
                    one.sort_by_key(|&(k, _, _)| k);
                    runs.push(one);
                }
                for run in runs {
                    for &(k, essay, count) in &run {
                        out.write_all(&k.to_le_bytes())?;
                        out.write_all(&essay.to_le_bytes())?;
                        out.write_all(&count.to_le_bytes())?;
                    }
                    let end = start + (run.len() * RECORD) as u64;
                    bounds.push((start, end));
                    start = end;
                }
                out.flush()?;
                Ok(bounds)
            })
            .collect();
        for (runs, bounds) in self.runs.iter_mut().zip(written) {
            runs.extend(bounds?);
        }
        Ok(())
    }
}

/// Reads one run of a temporary file (a segment of it) a fixed-size record at a time; the
/// readers of a file share it, each seeking to its own place.
#[derive(Debug)]
struct RunReader {
    next: u64,
    end: u64,
    /// Bytes of a record, and of the buffer (whole records).
    record: usize,
    capacity: usize,
    buffer: Vec<u8>,
    at: usize,
}

impl RunReader {
    fn new((start, end): (u64, u64), record: usize, records: usize) -> Self {
        RunReader {
            next: start,
            end,
            record,
            capacity: record * records,
            buffer: Vec::new(),
            at: 0,
        }
    }

    /// The bytes of the next record.
    fn read(&mut self, mut file: &std::fs::File) -> std::io::Result<Option<&[u8]>> {
        use std::io::{Read, Seek};
        if self.at == self.buffer.len() {
            if self.next == self.end {
                return Ok(None);
            }
            let len = (self.end - self.next).min(self.capacity as u64) as usize;
            self.buffer.resize(len, 0);
            file.seek(std::io::SeekFrom::Start(self.next))?;
            file.read_exact(&mut self.buffer)?;
            self.next += len as u64;
            self.at = 0;
        }
        let r = &self.buffer[self.at..self.at + self.record];
        self.at += self.record;
        Ok(Some(r))
    }
}

fn read_record(r: &[u8]) -> Record {
    (
        u128::from_le_bytes(r[..16].try_into().expect("16 bytes")),
        u32::from_le_bytes(r[16..20].try_into().expect("4 bytes")),
        u32::from_le_bytes(r[20..].try_into().expect("4 bytes")),
    )
}

/// The rows reported may take this many times the counts' budget in memory before each shard
/// sorts its rows into runs on disk (256 MB by default: 17.1 million rows of character
/// n-grams, 56 bytes each, at 500 MB took the run past 1.5 GB when all were sorted in memory).
const ROWS_BUDGET: usize = 8;

/// The fewest rows of a run on disk (a budget of 0 writes runs of this many): each run read back
/// holds a buffer of up to [`RowMerge::BUFFER`] bytes. Fewer in tests, so that the bundled corpus
/// makes runs.
const MIN_ROW_RUN: usize = if cfg!(test) { 64 } else { 4096 };

/// Bytes of a row in a run on disk: key, count, essays, whether Juilland's D is known, D, DP
/// and DPnorm.
const ROW: usize = 16 + 4 + 4 + 1 + 8 + 8 + 8;

/// A row's place in the table's order: the most frequent first, then by text ([`text_key`],
/// with the words' ranks, or characters by code point).
type RowOrder = (std::cmp::Reverse<u32>, u128);

fn row_order(row: &Counted, ranks: Option<&[u32]>) -> RowOrder {
    let key = row.key();
    let text = match ranks {
        Some(ranks) => text_key(key, ranks),
        None => text_key_of(key, |id| id),
    };
    (std::cmp::Reverse(row.count), text)
}

fn write_row(out: &mut impl std::io::Write, row: &Counted) -> std::io::Result<()> {
    out.write_all(&row.key[0].to_le_bytes())?;
    out.write_all(&row.key[1].to_le_bytes())?;
    out.write_all(&row.count.to_le_bytes())?;
    out.write_all(&row.essays.to_le_bytes())?;
    let d = row.dispersion;
    out.write_all(&[u8::from(d.juilland_d.is_some())])?;
    out.write_all(&d.juilland_d.unwrap_or(0.0).to_bits().to_le_bytes())?;
    out.write_all(&d.dp.to_bits().to_le_bytes())?;
    // No DPnorm (one essay) as NaN, which no DPnorm is.
    out.write_all(&d.dp_norm.unwrap_or(f64::NAN).to_bits().to_le_bytes())
}

fn read_row(r: &[u8]) -> Counted {
    let u64_at = |at: usize| u64::from_le_bytes(r[at..at + 8].try_into().expect("8 bytes"));
    let u32_at = |at: usize| u32::from_le_bytes(r[at..at + 4].try_into().expect("4 bytes"));
    Counted {
        key: [u64_at(0), u64_at(8)],
        count: u32_at(16),
        essays: u32_at(20),
        dispersion: Dispersion {
            juilland_d: (r[24] == 1).then(|| f64::from_bits(u64_at(25))),
            dp: f64::from_bits(u64_at(33)),
            dp_norm: Some(f64::from_bits(u64_at(41))).filter(|x| !x.is_nan()),
        },
    }
}

/// The rows of a shard, past the budget: sorted runs in the table's order, in a temporary
/// file of the shard's (unnamed), and the rows still in memory.
#[derive(Default)]
struct ShardRows {
    rows: Vec<Counted>,
    file: Option<std::fs::File>,
    runs: Vec<(u64, u64)>,
}

impl ShardRows {
    /// Sorts the rows held and writes them out as a run.
    fn spill(&mut self, ranks: Option<&[u32]>) -> std::io::Result<()> {
        use std::io::{Seek, Write};
        self.rows.sort_unstable_by_key(|row| row_order(row, ranks));
        if self.file.is_none() {
            self.file = Some(tempfile::tempfile()?);
        }
        let mut file = self.file.as_ref().expect("made above");
        let start = file.seek(std::io::SeekFrom::End(0))?;
        let mut out =
            std::io::BufWriter::with_capacity((self.rows.len() * ROW).min(1 << 20), &mut file);
        for row in &self.rows {
            write_row(&mut out, row)?;
        }
        out.flush()?;
        self.runs
            .push((start, start + (self.rows.len() * ROW) as u64));
        self.rows.clear();
        Ok(())
    }
}

/// The rows of a table whose shards wrote runs: every run (on disk, and the rows left in
/// memory, sorted) merged in the table's order as the rows are read.
#[derive(Debug)]
struct RowMerge {
    files: Vec<std::fs::File>,
    /// (file, reader) of each run on disk.
    disk: Vec<(usize, RunReader)>,
    memory: Vec<std::vec::IntoIter<Counted>>,
    heads: std::collections::BinaryHeap<std::cmp::Reverse<(RowOrder, usize)>>,
    held: Vec<Option<Counted>>,
    ranks: Option<Vec<u32>>,
    /// Rows given so far.
    at: usize,
    /// A read failed: the merge has lost its place.
    failed: bool,
}

impl RowMerge {
    /// Rows read from a run at a time (a few in tests, so that they read a run in several).
    const BUFFER: usize = if cfg!(test) { 7 } else { 1024 };

    fn new(shards: Vec<ShardRows>, ranks: Option<Vec<u32>>) -> std::io::Result<RowMerge> {
        let mut merge = RowMerge {
            files: Vec::new(),
            disk: Vec::new(),
            memory: Vec::new(),
            heads: std::collections::BinaryHeap::new(),
            held: Vec::new(),
            ranks,
            at: 0,
            failed: false,
        };
        let mut shards = shards;
        let ranks = merge.ranks.as_deref();
        shards
            .par_iter_mut()
            .for_each(|shard| shard.rows.sort_unstable_by_key(|row| row_order(row, ranks)));
        let mut memory = Vec::new();
        for shard in shards {
            if let Some(file) = shard.file {
                let f = merge.files.len();
                merge.files.push(file);
                for (start, end) in shard.runs {
                    merge
                        .disk
                        .push((f, RunReader::new((start, end), ROW, Self::BUFFER)));
                }
            }
            memory.push(shard.rows.into_iter());
        }
        merge.memory = memory;
        let sources = merge.disk.len() + merge.memory.len();
        for source in 0..sources {
            let head = merge.next_of(source)?;
            merge.held.push(head);
            if let Some(row) = &merge.held[source] {
                let order = row_order(row, merge.ranks.as_deref());
                merge.heads.push(std::cmp::Reverse((order, source)));
            }
        }
        Ok(merge)
    }

    /// The next row of a run.
    fn next_of(&mut self, source: usize) -> std::io::Result<Option<Counted>> {
        match self.disk.get_mut(source) {
            Some((f, reader)) => Ok(reader.read(&self.files[*f])?.map(read_row)),
            None => Ok(self.memory[source - self.disk.len()].next()),
        }
    }

    /// Rows `range` of the table, which must start where the last range ended.
    fn take(&mut self, range: std::ops::Range<usize>) -> std::io::Result<Vec<Counted>> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        if self.failed {
            return Err(std::io::Error::other("an earlier read of the rows failed"));
        }
        assert_eq!(
            range.start, self.at,
            "the rows of a table in runs are read once, in order"
        );
        let taken = self.take_next(range.len());
        self.failed = taken.is_err();
        let rows = taken?;
        assert_eq!(rows.len(), range.len(), "rows past the table's end");
        Ok(rows)
    }

    /// The next `wanted` rows in the table's order (fewer at its end).
    fn take_next(&mut self, wanted: usize) -> std::io::Result<Vec<Counted>> {
        let mut rows = Vec::with_capacity(wanted);
        while rows.len() < wanted {
            let Some(std::cmp::Reverse((_, source))) = self.heads.pop() else {
                break;
            };
            let row = self.held[source].take().expect("a head is held");
            let next = self.next_of(source)?;
            if let Some(next) = &next {
                let order = row_order(next, self.ranks.as_deref());
                self.heads.push(std::cmp::Reverse((order, source)));
            }
            self.held[source] = next;
            rows.push(row);
        }
        self.at += rows.len();
        Ok(rows)
    }
}

/// A row of ngrams.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Ngram {
    pub text: String,
    pub n: usize,
    pub count: u64,
    pub essays: u32,
    pub dispersion: Dispersion,
}

/// A row while the rows are sorted and written: the n-gram's key, not its text (a corpus can
/// report tens of millions of n-grams; the text is made a piece of the table at a time).
#[derive(Debug, Clone, Copy)]
struct Counted {
    key: [u64; 2],
    count: u32,
    essays: u32,
    dispersion: Dispersion,
}

impl Counted {
    fn new(key: u128, count: u32, essays: u32) -> Self {
        Counted {
            key: [key as u64, (key >> 64) as u64],
            count,
            essays,
            dispersion: Dispersion::default(),
        }
    }

    fn key(&self) -> u128 {
        u128::from(self.key[0]) | (u128::from(self.key[1]) << 64)
    }
}

/// The n-grams a counter reported, most frequent first, ties by text: in memory, or, past the
/// counter's budget for rows, in sorted runs merged as they are read (see [`RowMerge`]), which
/// are then read once, in order (a clone shares that one reading).
#[derive(Debug, Clone)]
pub struct NgramTable<'a> {
    rows: Vec<Counted>,
    merged: Option<std::sync::Arc<std::sync::Mutex<RowMerge>>>,
    len: usize,
    unit: Unit,
    words: Vec<&'a str>,
    written: Option<Written<'a>>,
}

impl NgramTable<'_> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Rows `range`, with their text. A table whose rows are in runs on disk gives them once,
    /// in order: each range must start where the last ended (an empty range may come at any
    /// time).
    pub fn rows(&self, range: std::ops::Range<usize>) -> crate::error::Result<Vec<Ngram>> {
        let merged;
        let counted: &[Counted] = match &self.merged {
            None => &self.rows[range],
            Some(merge) => {
                merged = merge
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take(range)
                    .map_err(|source| crate::error::Error::Read {
                        what: "the n-gram rows' temporary file in",
                        path: std::env::temp_dir(),
                        source,
                    })?;
                &merged
            }
        };
        Ok(counted
            .par_iter()
            .map(|r| {
                let items = self.items(r.key());
                Ngram {
                    n: items.len(),
                    text: items.join(self.unit.joiner()),
                    count: r.count.into(),
                    essays: r.essays,
                    dispersion: r.dispersion,
                }
            })
            .collect())
    }

    /// The items of an n-gram, as the table shows them.
    fn items(&self, key: u128) -> Vec<String> {
        let ids: Vec<u32> = unkey(key).collect();
        let Some(written) = &self.written else {
            return ids
                .iter()
                .map(|&id| item(self.unit, &self.words, id))
                .collect();
        };
        match self.unit {
            Unit::Words => ids
                .iter()
                .map(|id| match written.words.get(id) {
                    Some(form) => (*form).to_owned(),
                    None => self.words[*id as usize].to_owned(),
                })
                .collect(),
            Unit::Chars => (0..ids.len())
                .map(|i| {
                    let c = ids[i];
                    let shown = match written.chars.get(&c) {
                        None => c,
                        Some(&commonest) => {
                            // Taken from the character's pair with its neighbour in the n-gram.
                            let context = if i > 0 {
                                written.pairs.get(&pair(ids[i - 1], c)).map(|&w| w as u32)
                            } else if ids.len() > 1 {
                                written
                                    .pairs
                                    .get(&pair(c, ids[1]))
                                    .map(|&w| (w >> 32) as u32)
                            } else {
                                None
                            };
                            context.unwrap_or(commonest)
                        }
                    };
                    char::from_u32(shown).map(String::from).unwrap_or_default()
                })
                .collect(),
        }
    }

    /// Every row, with its text.
    pub fn all(&self) -> crate::error::Result<Vec<Ngram>> {
        self.rows(0..self.len())
    }

    /// The order of two n-grams' texts, without making them: characters by code point (the
    /// order of their UTF-8), words by the bytes of the words joined by spaces.
    fn text_order(&self, a: u128, b: u128) -> std::cmp::Ordering {
        match self.unit {
            Unit::Chars => unkey(a).cmp(unkey(b)),
            Unit::Words => {
                let bytes = |key: u128| {
                    unkey(key).enumerate().flat_map(move |(i, id)| {
                        (i > 0)
                            .then_some(b' ')
                            .into_iter()
                            .chain(self.words[id as usize].bytes())
                    })
                };
                bytes(a).cmp(bytes(b))
            }
        }
    }
}

impl Unit {
    fn joiner(self) -> &'static str {
        match self {
            Unit::Words => " ",
            Unit::Chars => "",
        }
    }
}

impl<'a> CounterForms<'a> {
    /// Takes a batch's forms; `global` has the corpus ids of each essay's words, `words` is
    /// how many words the corpus has.
    fn add<'b>(
        &mut self,
        unit: Unit,
        essays: &'b [Essay],
        grams: &[EssayGrams],
        global: &[Vec<u32>],
        words: usize,
        intern: &dyn Fn(&'b str) -> &'a str,
    ) {
        self.word_totals.resize(words, 0);
        for (e, (essay, g)) in essays.iter().zip(grams).enumerate() {
            if unit == Unit::Chars {
                let Some(forms) = &g.written else {
                    self.char_sizes.1 += g.size;
                    continue;
                };
                self.char_sizes.0 += g.size;
                for &(c, n) in &forms.counts {
                    *self.char_totals.entry(c).or_insert(0) += u64::from(n);
                }
                for &(c, w, n) in &forms.chars {
                    self.chars.add(c, w, n.into());
                }
                for &(c, w, n) in &forms.pairs {
                    *self.pairs.entry((c, w)).or_insert(0) += u64::from(n);
                }
                continue;
            }
            let Some(forms) = &g.written else { continue };
            for &(place, n) in &forms.counts {
                self.word_totals[global[e][place as usize] as usize] += u64::from(n);
            }
            let original = essay.original.as_deref().unwrap_or_default();
            for &(place, (at, len)) in &forms.words {
                let form = &original[at as usize..(at + len) as usize];
                let count = forms.counts[place as usize].1;
                let id = global[e][place as usize];
                self.words
                    .add_as(id, |f| *f == form, || intern(form), count.into());
            }
        }
    }

    fn finish(self) -> Written<'a> {
        let words = self
            .words
            .items()
            .filter_map(|id| {
                let form = self.words.commonest(id, self.word_totals[id as usize])?;
                Some((id, form))
            })
            .collect();
        // Characters are shown as written when most of them are in converted essays (so that an
        // n-gram is never shown half as written).
        let (converted, other) = self.char_sizes;
        if converted <= other {
            return Written {
                words,
                ..Written::default()
            };
        }
        let chars: FxHashMap<u32, u32> = self
            .chars
            .items()
            .map(|c| {
                (
                    c,
                    self.chars.commonest(c, self.char_totals[&c]).unwrap_or(c),
                )
            })
            .collect();
        // Each pair's commonest written form; ties to the counted form, then the smaller.
        let mut pairs: FxHashMap<u64, (u64, u64)> = FxHashMap::default();
        for (&(counted, written), &n) in &self.pairs {
            let better = |(best, most): (u64, u64)| {
                (n, written == counted, std::cmp::Reverse(written))
                    > (most, best == counted, std::cmp::Reverse(best))
            };
            match pairs.get_mut(&counted) {
                Some(entry) if better(*entry) => *entry = (written, n),
                Some(_) => {}
                None => {
                    pairs.insert(counted, (written, n));
                }
            }
        }
        // Only the pairs of a character written otherwise at least once are looked up.
        let pairs = pairs
            .into_iter()
            .filter(|&(counted, _)| {
                chars.contains_key(&((counted >> 32) as u32))
                    || chars.contains_key(&(counted as u32))
            })
            .map(|(counted, (written, _))| (counted, written))
            .collect();
        Written {
            words,
            chars,
            pairs,
        }
    }
}

/// Each word's rank in text order, for [`text_key`]: by its bytes (the order of
/// `NgramTable::text_order`). `None` for characters, which that order already compares by code
/// point, one integer each, and where the order of the ranks could differ from the texts': a
/// word holding a byte at or below the space that joins the words (the joiner would then not
/// come first), or too many words for a rank and its +1 to fit a key's slot.
fn text_ranks(unit: Unit, words: &[&str]) -> Option<Vec<u32>> {
    if unit == Unit::Chars {
        return None;
    }
    if words.len() >= MAX_WORDS || words.iter().any(|w| w.bytes().any(|b| b <= b' ')) {
        return None;
    }
    let mut order: Vec<u32> = (0..words.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| words[a as usize].cmp(words[b as usize]));
    let mut ranks = vec![0u32; words.len()];
    for (rank, &id) in order.iter().enumerate() {
        ranks[id as usize] = rank as u32;
    }
    Some(ranks)
}

/// A number in the order of a word n-gram's text: its words' ranks, each plus one, the first
/// in the highest slot, so that an n-gram comes before the longer ones it starts (the bytes of
/// the texts compared one by one took 7% of a run at 50 MB, most n-grams being tied at count
/// 2). Two word n-grams compare as their texts joined by spaces do: up to
/// the first word that differs the texts are the same; there, either a byte of the two words
/// differs, which orders both the same way, or one word is the other's start, and its text goes
/// on with a space (or ends) where the other's goes on with a byte above the space.
fn text_key(key: u128, ranks: &[u32]) -> u128 {
    text_key_of(key, |id| ranks[id as usize])
}

/// [`text_key`] with each item's rank given by `rank`: for characters, their code points, which
/// compare as the characters do.
fn text_key_of(key: u128, rank: impl Fn(u32) -> u32) -> u128 {
    let mut out = 0u128;
    for (k, id) in unkey(key).enumerate() {
        out |= u128::from(rank(id) + 1) << ((MAX_N - 1 - k) as u32 * ID_BITS);
    }
    out
}

/// One item of an n-gram: a word by id, or a character by code point.
fn item(unit: Unit, words: &[&str], id: u32) -> String {
    match unit {
        Unit::Words => words[id as usize].to_owned(),
        Unit::Chars => char::from_u32(id).map(String::from).unwrap_or_default(),
    }
}

/// Which n-grams to report.
pub struct Filter<'f> {
    pub min_freq: u64,
    pub min_range: u32,
    /// Keep an n-gram made of stopwords only.
    pub keep: &'f (dyn Fn(&[&str]) -> bool + Sync),
}

impl<'a> NgramCounter<'a> {
    /// A counter of the n-grams of lengths `ns` (which the essays' grams must be made with).
    pub fn new(unit: Unit, ns: RangeInclusive<usize>) -> Self {
        NgramCounter {
            unit,
            ids: FxHashMap::default(),
            words: Vec::new(),
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            sizes: Vec::new(),
            budget: SPILL_BYTES,
            spill: None,
            forms: None,
            ns,
            sketch: None,
            sketch_bits: None,
            expected: 0,
            threshold: 2,
            counted_at: None,
            sequences: Sequences::default(),
        }
    }

    /// Sizes the first pass's table for about `bytes` of input; what is told after the first
    /// batch changes nothing.
    pub fn expect_bytes(&mut self, bytes: u64) {
        self.expected = bytes;
    }

    /// The n-grams will be reported when seen at least `least` times (the larger of the
    /// filter's count and range): with 1 or less, every n-gram is counted exactly and the first
    /// pass makes no table (2 unless told). The rows are the same whatever is told: a table
    /// serves any filter, and without one every n-gram is counted exactly.
    pub fn with_threshold(mut self, least: u64) -> Self {
        self.threshold = least;
        self
    }

    /// A table of 2^`bits` slots whatever the input (so that tests can make n-grams share
    /// slots).
    #[cfg(test)]
    fn with_sketch_bits(mut self, bits: u32) -> Self {
        self.sketch_bits = Some(bits);
        self
    }

    /// Shows the n-grams as the essays wrote them. Each word in the form the corpus writes it
    /// most (ties to the simplified form). Characters, when most of the corpus's are in
    /// converted essays: each in the form that its pair with the n-gram's previous character
    /// (the next, for the first) takes most in the converted essays, which tells the forms of
    /// a character written two ways apart (发: 發展, 頭髮); a single character in its commonest
    /// form. The essays' grams must be made with `forms` ([`essay_grams`]).
    pub fn with_forms(mut self) -> Self {
        self.forms = Some(Box::default());
        self
    }

    /// The memory the exact counts, and apart from them the essays' runs of items, may each
    /// take before they are written to temporary files.
    pub fn with_budget(mut self, bytes: usize) -> Self {
        self.budget = bytes;
        self
    }

    /// Writes the shards out as sorted runs.
    fn spill(&mut self) -> Result<(), String> {
        let failed = |e: std::io::Error| {
            format!(
                "cannot write the n-gram counts to a temporary file in {}: {e} (TMPDIR \
                 chooses the folder)",
                std::env::temp_dir().display()
            )
        };
        if self.spill.is_none() {
            self.spill = Some(Spill::new().map_err(failed)?);
        }
        let spill = self.spill.as_mut().expect("made above");
        spill.write(&mut self.shards).map_err(failed)
    }

    /// Adds the next essays (`grams[i]` of `essays[i]`); `intern` gives a word of the batch
    /// the counter's lifetime.
    pub fn add<'b>(
        &mut self,
        essays: &'b [Essay],
        grams: Vec<EssayGrams>,
        intern: &dyn Fn(&'b str) -> &'a str,
    ) -> Result<(), String> {
        let first = self.sizes.len() as u32;
        // Words get corpus ids in corpus order: known words are looked up in parallel, the new
        // ones (few, past the first batches) numbered one after another.
        let global: Vec<Vec<u32>> = match self.unit {
            Unit::Chars => Vec::new(),
            Unit::Words => {
                let ids = &self.ids;
                let known: Vec<Vec<u32>> = essays
                    .par_iter()
                    .zip(&grams)
                    .map(|(essay, g)| {
                        g.vocab
                            .iter()
                            .map(|&(start, len)| {
                                let word = &essay.body[start as usize..(start + len) as usize];
                                ids.get(word).copied().unwrap_or(u32::MAX)
                            })
                            .collect()
                    })
                    .collect();
                let mut global = known;
                for ((essay, g), ids) in essays.iter().zip(&grams).zip(&mut global) {
                    for (&(start, len), id) in g.vocab.iter().zip(ids.iter_mut()) {
                        if *id != u32::MAX {
                            continue;
                        }
                        let word = &essay.body[start as usize..(start + len) as usize];
                        *id = match self.ids.get(word) {
                            Some(&id) => id,
                            None => {
                                if self.words.len() >= MAX_WORDS {
                                    return Err(format!(
                                        "more than {MAX_WORDS} distinct words: n-grams of words \
                                         cannot be counted; try --chars"
                                    ));
                                }
                                let id = self.words.len() as u32;
                                let word = intern(word);
                                self.ids.insert(word, id);
                                self.words.push(word);
                                id
                            }
                        };
                    }
                }
                global
            }
        };
        if let Some(forms) = &mut self.forms {
            forms.add(self.unit, essays, &grams, &global, self.words.len(), intern);
        }
        self.sizes.extend(grams.iter().map(|g| g.size));
        // No table when every n-gram is to be counted.
        let (bits, expected, lengths) = (self.sketch_bits, self.expected, self.ns.clone().count());
        let sketch = (self.threshold > 1).then(|| {
            self.sketch.get_or_insert_with(|| {
                Sketch::new(bits.unwrap_or_else(|| Sketch::bits_for(expected, lengths)))
            })
        });
        // The essays' items in corpus ids, and the slots of their n-grams grouped by slice of
        // the sketch (a counting sort: each group keeps the essay's order).
        let (unit, ns) = (self.unit, &self.ns);
        let sketch_ref = sketch.as_deref();
        let slotted: Vec<(Vec<u32>, Vec<u32>, [u32; SLICES + 1])> = grams
            .into_par_iter()
            .enumerate()
            .map(|(e, g)| {
                let items: Vec<u32> = match unit {
                    Unit::Chars => g.items,
                    Unit::Words => g
                        .items
                        .iter()
                        .map(|&i| {
                            if i == RUN_END {
                                RUN_END
                            } else {
                                global[e][i as usize]
                            }
                        })
                        .collect(),
                };
                let mut slots: Vec<(u8, u32)> =
                    Vec::with_capacity(items.len() * ns.clone().count());
                let mut bounds = [0u32; SLICES + 1];
                if let Some(sketch) = sketch_ref {
                    each_key(&items, ns, |k| {
                        let slot = sketch.slot(k);
                        let slice = sketch.slice_of(slot);
                        bounds[slice + 1] += 1;
                        slots.push((slice as u8, slot));
                    });
                }
                for s in 0..SLICES {
                    bounds[s + 1] += bounds[s];
                }
                let mut next = bounds;
                let mut grouped = vec![0u32; slots.len()];
                for (slice, slot) in slots {
                    grouped[next[slice as usize] as usize] = slot;
                    next[slice as usize] += 1;
                }
                (items, grouped, bounds)
            })
            .collect();
        if let Some(sketch) = sketch {
            let per_slice = sketch.words.len() / SLICES;
            let slots_per_slice = (1u64 << sketch.bits) / SLICES as u64;
            sketch
                .words
                .par_chunks_mut(per_slice)
                .enumerate()
                .for_each(|(s, words)| {
                    let first = (s as u64 * slots_per_slice) as u32;
                    for (_, grouped, bounds) in &slotted {
                        for &slot in &grouped[bounds[s] as usize..bounds[s + 1] as usize] {
                            Sketch::bump(words, first, slot);
                        }
                    }
                });
        }
        let mut chunk = Chunk {
            first,
            ends: Vec::with_capacity(slotted.len()),
            items: Vec::with_capacity(slotted.iter().map(|(items, _, _)| items.len()).sum()),
        };
        for (items, _, _) in slotted {
            chunk.items.extend(items);
            chunk.ends.push(chunk.items.len() as u32);
        }
        self.sequences.held.push(chunk);
        if self.sequences.bytes() > self.budget {
            self.sequences.spill().map_err(|e| {
                format!(
                    "cannot write the n-gram sequences to a temporary file in {}: {e} (TMPDIR \
                     chooses the folder)",
                    std::env::temp_dir().display()
                )
            })?;
        }
        Ok(())
    }

    /// The second pass: every n-gram whose slot of the sketch reaches `least` (3 for any above;
    /// all of them for 1 or less, or without a table), counted exactly, essay by essay, into
    /// the shards' runs. Runs once; a later call changes nothing.
    fn count_exactly(&mut self, least: u64) -> Result<(), String> {
        let least = least.min(3) as u32;
        // Once only: the sequences and the table are spent.
        if let Some(done) = self.counted_at {
            debug_assert!(least >= done, "counted for {done}, asked for {least}");
            return Ok(());
        }
        self.counted_at = Some(least);
        let sequences = std::mem::take(&mut self.sequences);
        let sketch = self.sketch.take();
        let ns = self.ns.clone();
        let result = sequences.each(|chunk| {
            let grams: Vec<Vec<(u128, u32)>> = (0..chunk.ends.len())
                .into_par_iter()
                .map(|i| {
                    let items = chunk.essay(i);
                    let mut keys: Vec<u128> = Vec::new();
                    match &sketch {
                        Some(sketch) if least > 1 => {
                            sketch.candidates(items, &ns, least, &mut keys)
                        }
                        _ => each_key(items, &ns, |k| keys.push(k)),
                    }
                    keys.sort_unstable();
                    let mut counted: Vec<(u128, u32)> = Vec::new();
                    for k in keys {
                        match counted.last_mut() {
                            Some((last, c)) if *last == k => *c += 1,
                            _ => counted.push((k, 1)),
                        }
                    }
                    counted
                })
                .collect();
            self.add_records(chunk.first, grams)
        });
        drop(sequences);
        result
    }

    /// Adds the records of essays `first`, `first + 1`, ... (each essay's n-grams, by corpus
    /// key, with their counts) to the shards' runs, writing them out past the budget.
    fn add_records(&mut self, first: u32, grams: Vec<Vec<(u128, u32)>>) -> Result<(), String> {
        // Grouped by shard (a counting sort: each group keeps the essay's order of keys).
        let keyed: Vec<(Vec<(u128, u32)>, [u32; SHARDS + 1])> = grams
            .into_par_iter()
            .map(|g| {
                let mut bounds = [0u32; SHARDS + 1];
                for &(k, _) in &g {
                    bounds[shard_of(k) + 1] += 1;
                }
                for s in 0..SHARDS {
                    bounds[s + 1] += bounds[s];
                }
                let mut next = bounds;
                let mut grouped = vec![(0u128, 0u32); g.len()];
                for (k, c) in g {
                    let s = shard_of(k);
                    grouped[next[s] as usize] = (k, c);
                    next[s] += 1;
                }
                (grouped, bounds)
            })
            .collect();
        // Each shard's records of the essays, gathered in corpus order and sorted by n-gram
        // (then essay, the order they came in, which a stable sort by n-gram keeps: comparing
        // the key alone, merging the batches went from 0.85 to 0.74 s at 50 MB): a run.
        self.shards
            .par_iter_mut()
            .enumerate()
            .for_each(|(s, shard)| {
                let len = keyed
                    .iter()
                    .map(|(_, bounds)| (bounds[s + 1] - bounds[s]) as usize)
                    .sum();
                let mut run: Vec<Record> = Vec::with_capacity(len);
                for (e, (keys, bounds)) in keyed.iter().enumerate() {
                    let essay = first + e as u32;
                    run.extend(
                        keys[bounds[s] as usize..bounds[s + 1] as usize]
                            .iter()
                            .map(|&(k, c)| (k, essay, c)),
                    );
                }
                run.sort_by_key(|&(k, _, _)| k);
                if !run.is_empty() {
                    shard.runs.push(run);
                }
            });
        drop(keyed);
        if self.shards.iter().map(Shard::bytes).sum::<usize>() > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Word or character tokens counted: the denominator of per_10k.
    pub fn total(&self) -> u64 {
        self.sizes.iter().sum()
    }

    /// The items of an n-gram key: its words, or its characters.
    fn items(&self, key: u128) -> Vec<String> {
        unkey(key)
            .map(|id| item(self.unit, &self.words, id))
            .collect()
    }

    /// The n-grams that pass `filter`, most frequent first, ties by text.
    pub fn finish(mut self, filter: &Filter<'_>) -> Result<NgramTable<'a>, String> {
        self.count_exactly(filter.min_freq.max(filter.min_range.into()))?;
        let parts = Parts::of(self.sizes.iter().copied());
        let ranks = text_ranks(self.unit, &self.words);
        // Words whose ranks could mis-order their texts are sorted in memory only.
        let order = (ranks.is_some() || self.unit == Unit::Chars).then_some(ranks.as_deref());
        let shards = self.merge_runs(filter, &parts, order)?;
        let mut table = NgramTable {
            rows: Vec::new(),
            merged: None,
            len: 0,
            unit: self.unit,
            words: std::mem::take(&mut self.words),
            written: self.forms.take().map(|forms| forms.finish()),
        };
        if shards.iter().any(|shard| !shard.runs.is_empty()) {
            table.len = shards
                .iter()
                .map(|shard| {
                    let on_disk: u64 = shard.runs.iter().map(|(start, end)| end - start).sum();
                    shard.rows.len() + (on_disk / ROW as u64) as usize
                })
                .sum();
            let merge = RowMerge::new(shards, ranks).map_err(|e| {
                format!(
                    "cannot read back the n-gram rows from their temporary files in {}: {e}",
                    std::env::temp_dir().display()
                )
            })?;
            table.merged = Some(std::sync::Arc::new(std::sync::Mutex::new(merge)));
            return Ok(table);
        }
        let mut rows = Vec::with_capacity(shards.iter().map(|shard| shard.rows.len()).sum());
        for shard in shards {
            rows.extend(shard.rows);
        }
        table.len = rows.len();
        match ranks {
            Some(ranks) => rows.par_sort_unstable_by_key(|row| {
                (std::cmp::Reverse(row.count), text_key(row.key(), &ranks))
            }),
            None => rows.par_sort_unstable_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then_with(|| table.text_order(a.key(), b.key()))
            }),
        }
        table.rows = rows;
        Ok(table)
    }

    /// The row of an n-gram with these corpus totals, if it passes `filter`; its dispersion is
    /// left for the caller to sum.
    fn row(&self, key: u128, count: u32, essays: u32, filter: &Filter<'_>) -> Option<Counted> {
        if u64::from(count) < filter.min_freq || essays < filter.min_range {
            return None;
        }
        let kept = match self.unit {
            Unit::Words => {
                let words: Vec<&str> = unkey(key).map(|id| self.words[id as usize]).collect();
                (filter.keep)(&words)
            }
            Unit::Chars => {
                let items = self.items(key);
                let refs: Vec<&str> = items.iter().map(String::as_str).collect();
                (filter.keep)(&refs)
            }
        };
        kept.then(|| Counted::new(key, count, essays))
    }

    /// The rows of every shard from its runs, on disk and then in memory: the runs of a shard
    /// merged by n-gram, an n-gram's records taken run by run, so its essays come in corpus
    /// order (so that the figures are the same to the last bit whatever the batch size and
    /// whether or when the counts went to disk).
    ///
    /// With `order` (the words' ranks, or `None` for characters), a shard whose rows take more
    /// than its share of the budget for rows writes them out, sorted in the table's order
    /// (without, as for words that a space could mis-order, every row stays in memory).
    fn merge_runs(
        &self,
        filter: &Filter<'_>,
        parts: &Parts,
        order: Option<Option<&[u32]>>,
    ) -> Result<Vec<ShardRows>, String> {
        let most =
            (self.budget.saturating_mul(ROWS_BUDGET) / SHARDS / std::mem::size_of::<Counted>())
                .max(MIN_ROW_RUN);
        let shards: Vec<std::io::Result<ShardRows>> = self
            .shards
            .par_iter()
            .enumerate()
            .map(|(s, shard)| {
                let file = self.spill.as_ref().map(|spill| &spill.files[s]);
                let on_disk = self.spill.as_ref().map_or(&[][..], |spill| &spill.runs[s]);
                let mut sources: Vec<Source<'_>> = on_disk
                    .iter()
                    .map(|&run| Source::Disk(RunReader::new(run, RECORD, 8192)))
                    .chain(shard.runs.iter().map(|run| Source::Memory(run.iter())))
                    .collect();
                // The head of each run, smallest n-gram first, then earliest run.
                let mut heads = std::collections::BinaryHeap::new();
                let mut held: Vec<Option<Record>> = Vec::with_capacity(sources.len());
                for (r, source) in sources.iter_mut().enumerate() {
                    let head = source.next(file)?;
                    if let Some((k, _, _)) = head {
                        heads.push(std::cmp::Reverse((k, r)));
                    }
                    held.push(head);
                }
                let mut rows = ShardRows::default();
                let mut postings: Vec<(u32, u32)> = Vec::new();
                while let Some(&std::cmp::Reverse((key, _))) = heads.peek() {
                    postings.clear();
                    while let Some(&std::cmp::Reverse((k, r))) = heads.peek() {
                        if k != key {
                            break;
                        }
                        heads.pop();
                        while let Some((k, essay, count)) = held[r] {
                            if k != key {
                                heads.push(std::cmp::Reverse((k, r)));
                                break;
                            }
                            postings.push((essay, count));
                            held[r] = sources[r].next(file)?;
                        }
                    }
                    let count = postings
                        .iter()
                        .fold(0u32, |sum, &(_, c)| sum.saturating_add(c));
                    let Some(mut row) = self.row(key, count, postings.len() as u32, filter) else {
                        continue;
                    };
                    let mut sums = Sums::default();
                    for &(essay, c) in &postings {
                        sums.add(c.into(), self.sizes[essay as usize], count.into(), parts);
                    }
                    row.dispersion = sums.finish(parts);
                    rows.rows.push(row);
                    if let Some(ranks) = order.filter(|_| rows.rows.len() >= most) {
                        rows.spill(ranks)?;
                    }
                }
                Ok(rows)
            })
            .collect();
        shards
            .into_iter()
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(|e| {
                format!(
                    "cannot merge the n-gram counts through temporary files in {}: {e} (TMPDIR \
                     chooses the folder)",
                    std::env::temp_dir().display()
                )
            })
    }
}

/// A sorted run of a shard: a segment of its file, or a batch's records still in memory.
enum Source<'r> {
    Disk(RunReader),
    Memory(std::slice::Iter<'r, Record>),
}

impl Source<'_> {
    fn next(&mut self, file: Option<&std::fs::File>) -> std::io::Result<Option<Record>> {
        match self {
            Source::Disk(reader) => Ok(reader
                .read(file.expect("runs on disk have their file"))?
                .map(read_record)),
            Source::Memory(records) => Ok(records.next().copied()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essay(id: u32, body: &str) -> Essay {
        Essay {
            id,
            title: String::new(),
            source: "t.txt".into(),
            body: body.into(),
            ..Essay::default()
        }
    }

    /// `counter` with `essays` added `batch` at a time, their n-grams of lengths `ns`.
    fn fed<'a>(
        mut counter: NgramCounter<'a>,
        segmenter: &Segmenter,
        essays: &'a [Essay],
        unit: Unit,
        ns: RangeInclusive<usize>,
        batch: usize,
    ) -> NgramCounter<'a> {
        for chunk in essays.chunks(batch) {
            let grams = chunk
                .iter()
                .map(|e| essay_grams(segmenter, e, unit, ns.clone(), false))
                .collect();
            counter.add(chunk, grams, &|w| w).unwrap();
        }
        counter
    }

    /// The bundled corpus, an essay a line.
    fn bundled_essays() -> Vec<Essay> {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/epidemic-community-essays.txt"
        ))
        .unwrap();
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| essay(i as u32 + 1, l))
            .collect()
    }

    #[test]
    fn keys_round_trip() {
        let ids = [0, 7, (1 << 25) - 1, 12345];
        assert_eq!(unkey(key(&ids)).collect::<Vec<_>>(), ids);
        assert_ne!(key(&[1, 2]), key(&[1, 2, 0]));
    }

    #[test]
    fn ngrams_stop_at_punctuation_and_line_ends() {
        let segmenter = Segmenter::new();
        let essays = [
            essay(1, "社区居民，社区居民\n居民社区"),
            essay(2, "社区居民很团结"),
        ];
        let mut counter = NgramCounter::new(Unit::Words, 2..=2);
        let grams: Vec<EssayGrams> = essays
            .iter()
            .map(|e| essay_grams(&segmenter, e, Unit::Words, 2..=2, false))
            .collect();
        counter.add(&essays, grams, &|w| w).unwrap();
        let all = |_: &[&str]| true;
        let rows = counter
            .finish(&Filter {
                min_freq: 1,
                min_range: 1,
                keep: &all,
            })
            .unwrap()
            .all()
            .unwrap();
        let found: Vec<(&str, u64, u32)> = rows
            .iter()
            .map(|r| (r.text.as_str(), r.count, r.essays))
            .collect();
        // 居民 社区 once (line 2); never 居民 居民 across the line end or 居民 社区 across the comma.
        assert_eq!(
            found,
            [
                ("社区 居民", 3, 2),
                ("居民 很", 1, 1),
                ("居民 社区", 1, 1),
                ("很 团结", 1, 1)
            ]
        );
    }

    #[test]
    fn character_ngrams() {
        let segmenter = Segmenter::new();
        let essays = [essay(1, "抗疫，抗疫英雄")];
        let mut counter = NgramCounter::new(Unit::Chars, 2..=3);
        let grams = vec![essay_grams(
            &segmenter,
            &essays[0],
            Unit::Chars,
            2..=3,
            false,
        )];
        counter.add(&essays, grams, &|w| w).unwrap();
        let all = |_: &[&str]| true;
        let rows = counter
            .finish(&Filter {
                min_freq: 2,
                min_range: 1,
                keep: &all,
            })
            .unwrap()
            .all()
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].text.as_str(), rows[0].count), ("抗疫", 2));
        assert_eq!(counter_total_of(&essays), 6);
    }

    // Counts written to disk after every batch (a budget of 0) give the same rows, to the last
    // bit of each dispersion figure, as counts kept in memory, and so do other batch sizes.
    #[test]
    fn spilled_counts_merge_to_the_same_rows() {
        let segmenter = Segmenter::new();
        let essays = bundled_essays();
        let all = |_: &[&str]| true;
        let filter = Filter {
            min_freq: 2,
            min_range: 1,
            keep: &all,
        };
        let rows = |batch: usize, budget: usize, unit: Unit| {
            let counter = NgramCounter::new(unit, 2..=3).with_budget(budget);
            fed(counter, &segmenter, &essays, unit, 2..=3, batch)
                .finish(&filter)
                .unwrap()
                .all()
                .unwrap()
        };
        for unit in [Unit::Words, Unit::Chars] {
            let memory = rows(1000, usize::MAX, unit);
            assert!(memory.len() > 500, "{}", memory.len());
            assert!(memory.iter().any(|r| r.essays > 1));
            assert_eq!(rows(7, 0, unit), memory);
            assert_eq!(rows(1, 0, unit), memory);
            assert_eq!(rows(13, usize::MAX, unit), memory);
        }
        // A budget of a few batches: sequences on disk and in memory read back in order, runs
        // merged on the way out, and runs on disk and in memory at the end, merged together.
        let counter = NgramCounter::new(Unit::Words, 2..=3).with_budget(20_000);
        let mut counter = fed(counter, &segmenter, &essays, Unit::Words, 2..=3, 3);
        assert!(counter.sequences.written.len() > 1);
        assert!(!counter.sequences.held.is_empty());
        counter.count_exactly(2).unwrap();
        let spill = counter.spill.as_ref().expect("spilled");
        assert!(spill.runs[0].len() > 1);
        assert!(counter.shards.iter().any(|s| !s.runs.is_empty()));
        assert_eq!(
            counter.finish(&filter).unwrap().all().unwrap(),
            rows(1000, usize::MAX, Unit::Words)
        );
    }

    // Rows past the budget go to sorted runs on disk and come back merged in the table's
    // order, piece by piece, the same rows as sorted in memory: words (by their ranks) and
    // characters (by code point).
    #[test]
    fn rows_sorted_in_runs_on_disk_read_back_in_order() {
        let segmenter = Segmenter::new();
        let essays = bundled_essays();
        let all = |_: &[&str]| true;
        let filter = Filter {
            min_freq: 1,
            min_range: 1,
            keep: &all,
        };
        for unit in [Unit::Words, Unit::Chars] {
            let table = |budget: usize| {
                let counter = NgramCounter::new(unit, 1..=3).with_budget(budget);
                fed(counter, &segmenter, &essays, unit, 1..=3, 4)
                    .finish(&filter)
                    .unwrap()
            };
            let memory = table(usize::MAX);
            assert!(memory.merged.is_none());
            let expected = memory.all().unwrap();
            assert!(
                expected.len() > 4 * SHARDS * MIN_ROW_RUN,
                "{}",
                expected.len()
            );
            let spilled = table(0);
            assert!(spilled.merged.is_some());
            assert_eq!(spilled.len(), expected.len());
            // Read in uneven pieces, with an empty range between.
            let mut read = Vec::new();
            let mut at = 0;
            for step in [1, 999, 0, 4096].into_iter().cycle() {
                if at == expected.len() {
                    break;
                }
                let end = (at + step).min(expected.len());
                read.extend(spilled.rows(at..end).unwrap());
                at = end;
            }
            assert_eq!(read, expected);
        }
    }

    // The first pass drops only n-grams seen too rarely: with a table so small that most
    // n-grams share their slot, one of the default size, and none, every threshold of count
    // and range gives the rows that counting everything exactly and filtering after gives.
    #[test]
    fn the_first_pass_drops_only_rare_ngrams() {
        let segmenter = Segmenter::new();
        let essays = bundled_essays();
        let all = |_: &[&str]| true;
        let rows =
            |unit: Unit, bits: Option<u32>, threshold: u64, min_freq: u64, min_range: u32| {
                let mut counter = NgramCounter::new(unit, 1..=4)
                    .with_budget(50_000)
                    .with_threshold(threshold);
                if let Some(bits) = bits {
                    counter = counter.with_sketch_bits(bits);
                }
                let counter = fed(counter, &segmenter, &essays, unit, 1..=4, 5);
                let filter = Filter {
                    min_freq,
                    min_range,
                    keep: &all,
                };
                counter.finish(&filter).unwrap().all().unwrap()
            };
        for unit in [Unit::Words, Unit::Chars] {
            let everything = rows(unit, None, 2, 1, 1);
            let seen = everything.iter().filter(|r| r.count == 1).count();
            assert!(seen > 5_000 && seen < everything.len(), "{seen}");
            for (min_freq, min_range) in [(2, 1), (3, 1), (5, 2), (1, 3), (40, 1)] {
                let expected: Vec<Ngram> = everything
                    .iter()
                    .filter(|r| r.count >= min_freq && r.essays >= min_range)
                    .cloned()
                    .collect();
                assert!(!expected.is_empty());
                // A table of the default size, a tiny one, and none (told a threshold of 1).
                for (bits, threshold) in [(None, 2), (Some(13), 2), (None, 1)] {
                    assert_eq!(rows(unit, bits, threshold, min_freq, min_range), expected);
                }
            }
        }
    }

    // The keys sort word n-grams as their texts joined by spaces sort, words that start others
    // included.
    #[test]
    fn text_keys_sort_as_the_texts() {
        let words = ["社区", "社", "社区居民", "ab", "a", "b", "居民", "z9"];
        let ranks = text_ranks(Unit::Words, &words).unwrap();
        let mut grams: Vec<Vec<u32>> = Vec::new();
        for a in 0..words.len() as u32 {
            grams.push(vec![a]);
            for b in 0..words.len() as u32 {
                grams.push(vec![a, b]);
                for c in [0, 1, 4] {
                    grams.push(vec![a, b, c]);
                }
            }
        }
        let text = |g: &Vec<u32>| {
            g.iter()
                .map(|&id| words[id as usize])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut by_text = grams.clone();
        by_text.sort_by_key(text);
        let mut by_key = grams.clone();
        by_key.sort_by_key(|g| text_key(key(g), &ranks));
        assert_eq!(by_key, by_text);
        // A space inside a word would break the argument: no ranks then.
        assert!(text_ranks(Unit::Words, &["a b", "c"]).is_none());
        assert!(text_ranks(Unit::Chars, &[]).is_none());
    }

    fn counter_total_of(essays: &[Essay]) -> u64 {
        let segmenter = Segmenter::new();
        essays
            .iter()
            .map(|e| essay_grams(&segmenter, e, Unit::Chars, 1..=1, false).size)
            .sum()
    }
}

//! Text reuse between essays: sentences shared word for word, and groups of near-duplicate
//! essays found by MinHash with LSH banding, so that a large corpus never needs every pair
//! compared. Essays are added in corpus order, a batch at a time, and only hashes are kept: a
//! sentence's wording is kept only once a second essay uses it.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::structure::sentences;

/// Sentences shorter than this many characters (after normalising) are too common to be reuse
/// (`谢谢！`, `是的。`).
pub const MIN_SENTENCE_CHARS: usize = 8;
/// A sentence found in more essays than this is boilerplate, not reuse between two of them; it
/// would make N² pairs.
pub const MAX_SENTENCE_ESSAYS: usize = 50;
/// Example sentences kept per pair of essays (the first in sorted order); the count is exact.
pub const EXAMPLES: usize = 3;
/// Pairings of two essays through a sentence both use (a sentence in k essays makes k(k−1)/2)
/// up to which every pair of essays sharing a sentence is reported. Past it (essays written
/// from one template share sentences in thousands of pairs: 5,000 such essays, 6.9 MB, made a
/// million pairs, 133 MB of CSV and a peak of 680 MiB), each essay reports the [`PARTNERS`]
/// essays it shares the most sentences with, so that the pairs grow with the essays, not with
/// their square. Pairs of one near-duplicate group, which are never listed, do not count.
pub const ALL_PAIRINGS: u64 = 200_000;
/// Partners each essay reports past [`ALL_PAIRINGS`].
pub const PARTNERS: usize = 10;
/// Character shingles of this length make an essay's MinHash set.
pub const SHINGLE: usize = 5;
/// MinHash signature length, cut into bands of rows for LSH (Leskovec, Rajaraman & Ullman,
/// Mining of Massive Datasets, §3.4): with b bands of r rows, two essays of Jaccard s become
/// candidates with probability 1 − (1 − s^r)^b. [`bands_for`] chooses r from the threshold.
pub const HASHES: usize = 128;
/// The least probability that two essays whose Jaccard similarity is the threshold become
/// candidates.
pub const CANDIDATE_AT_THRESHOLD: f64 = 0.99;

/// The fewest rows a band has: with fewer, essays that share little become candidates (with one
/// row, two essays of Jaccard 0.02 become candidates with probability 0.92), and a threshold under about 0.3 would
/// compare nearly every pair of a large corpus.
pub const MIN_ROWS: usize = 3;

/// (bands, rows) for `threshold`: the most rows a band (fewest chance candidates) with which two
/// essays at the threshold become candidates with probability at least
/// [`CANDIDATE_AT_THRESHOLD`], but at least [`MIN_ROWS`]; bands of `HASHES / rows`. At 0.5 (the
/// default): 42 bands of 3 rows, 0.996 at the threshold, 0.04 at s = 0.1 (32 of 4 found 0.87
/// at 0.5); at 0.8: 21 of 6; under about 0.47, 42 of 3, which finds fewer ([`found_at`]).
pub fn bands_for(threshold: f64) -> (usize, usize) {
    let rows = (MIN_ROWS..=8)
        .rev()
        .find(|&rows| found_at(threshold, HASHES / rows, rows) >= CANDIDATE_AT_THRESHOLD)
        .unwrap_or(MIN_ROWS);
    (HASHES / rows, rows)
}

/// The probability that two essays of Jaccard similarity `s` become candidates with `bands` bands
/// of `rows` rows: 1 − (1 − s^rows)^bands.
pub fn found_at(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

/// Two essays that share sentences (and are not in one near-duplicate group).
#[derive(Debug, Clone, PartialEq)]
pub struct SharedSentences {
    /// Essay indexes, a < b.
    pub a: u32,
    pub b: u32,
    /// Distinct sentences both use.
    pub count: u32,
    /// Up to [`EXAMPLES`] of them, in sorted order.
    pub examples: Vec<String>,
}

/// Essays connected by estimated Jaccard similarity ≥ the threshold: ten copies of a text are
/// one group, not 45 pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateGroup {
    /// Essay indexes, ascending.
    pub members: Vec<u32>,
    /// Each member's estimated Jaccard similarity with the first member (1 for the first).
    pub jaccard: Vec<f64>,
}

/// What text reuse was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReuseReport {
    /// Sorted by a, then b: every pair sharing a sentence, or past [`ALL_PAIRINGS`] the pairs
    /// that are among the [`PARTNERS`] of one of their essays.
    pub pairs: Vec<SharedSentences>,
    /// The pairings the shared sentences make, when past [`ALL_PAIRINGS`].
    pub pairings_past_all: Option<u64>,
    /// Sorted by first member.
    pub groups: Vec<DuplicateGroup>,
}

/// The common Han characters (CJK Unified Ideographs and Extension A, every one assigned and
/// alphabetic, each its own lower case).
#[inline]
fn common_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// `c.is_alphanumeric()`, without the table lookup for the common Han characters (that lookup
/// of non-ASCII characters took 1.4% of a 50 MB run).
#[inline]
fn kept(c: &char) -> bool {
    common_han(*c) || c.is_alphanumeric()
}

/// Calls `f` with each character of `c`'s lower case.
#[inline]
fn lower(c: char, mut f: impl FnMut(char)) {
    if common_han(c) {
        f(c);
    } else {
        c.to_lowercase().for_each(f);
    }
}

/// A sentence with punctuation and whitespace taken out, so that `大家好，我们…` and
/// `大家好,我们…` are the same sentence.
pub fn normalise(sentence: &str) -> String {
    sentence
        .chars()
        .filter(kept)
        .flat_map(char::to_lowercase)
        .collect()
}

/// splitmix64: a well-mixed 64-bit hash step (Steele, Lea & Flood 2014).
pub(crate) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The MinHash signature of an essay's set of character shingles (punctuation and whitespace
/// taken out first); `None` for an essay shorter than one shingle.
///
/// One-permutation hashing (Li, Owen & Zhang, NeurIPS 2012): each shingle is hashed once; the top
/// bits of its hash pick one of `HASHES` bins and the bin keeps the smallest remaining bits. A
/// bin no shingle fell in borrows the value of the first filled bin along a probe sequence of its
/// own ("optimal densification", Shrivastava, ICML 2017), which keeps the share of equal bins an
/// unbiased estimate of the Jaccard similarity. One hash per shingle instead of 128; a shingle
/// seen twice changes no minimum, so no set of seen shingles is needed.
fn signature(text: &str) -> Option<Vec<u64>> {
    const BIN_BITS: u32 = HASHES.trailing_zeros();
    const _: () = assert!(HASHES.is_power_of_two());
    let chars: Vec<char> = text.chars().filter(kept).collect();
    if chars.len() < SHINGLE {
        return None;
    }
    let mut bins = vec![u64::MAX; HASHES];
    for window in chars.windows(SHINGLE) {
        let hash = mix(window
            .iter()
            .fold(0xCBF2_9CE4_8422_2325u64, |h, &c| mix(h ^ u64::from(c))));
        let bin = (hash >> (64 - BIN_BITS)) as usize;
        let value = hash & (u64::MAX >> BIN_BITS);
        bins[bin] = bins[bin].min(value);
    }
    let mut signature = bins.clone();
    for (i, slot) in signature.iter_mut().enumerate() {
        let mut attempt = 0u64;
        while *slot == u64::MAX {
            attempt += 1;
            let probe = mix(((i as u64) << 32) | attempt) >> (64 - BIN_BITS);
            *slot = bins[probe as usize];
        }
    }
    Some(signature)
}

/// Who uses a sentence, in 4 bytes: below [`SHARED`] the one essay that does; from it, an index
/// into the lists of sentences that several essays use; [`MANY`] once more than
/// [`MAX_SENTENCE_ESSAYS`] do (no pairs). Most sentences are used once, so the map holds 12
/// bytes a sentence (the hash as two u32 halves: a u64 key would align each entry to 16 bytes,
/// 142 MB instead of 109 for the 4 million sentences of 500 MB) and only shared ones have a
/// list.
const SHARED: u32 = 1 << 31;
const MANY: u32 = u32::MAX;

/// Collects what reuse detection needs of each essay, in corpus order: its MinHash signature
/// (128 × 4 bytes) and the hashes of its sentences.
#[derive(Default)]
pub struct ReuseBuilder {
    /// `HASHES` bins per essay; an essay shorter than one shingle has none (`u32::MAX` bins).
    signatures: Vec<u32>,
    essays: u32,
    sentences: FxHashMap<[u32; 2], u32>,
    /// Essays of each sentence several essays use, with its wording (as the second one has it).
    shared: Vec<(Vec<u32>, Box<str>)>,
}

/// An essay's sentences: (hash of the normalised sentence, its first wording), each once.
fn sentence_hashes(body: &str) -> Vec<(u64, &str)> {
    let mut seen = FxHashSet::default();
    let mut found = Vec::new();
    for line in body.lines() {
        for (s, e) in sentences(line) {
            let mut chars = 0;
            let mut hash = 0xCBF2_9CE4_8422_2325u64;
            for c in line[s..e].chars().filter(kept) {
                lower(c, |lower| {
                    hash = mix(hash ^ u64::from(lower));
                    chars += 1;
                });
            }
            if chars >= MIN_SENTENCE_CHARS && seen.insert(hash) {
                found.push((hash, line[s..e].trim()));
            }
        }
    }
    found
}

impl ReuseBuilder {
    /// Adds the next essays of the corpus, in order.
    pub fn add<'t>(&mut self, bodies: impl IndexedParallelIterator<Item = &'t str>) {
        let done: Vec<(Option<Vec<u64>>, Vec<(u64, &str)>)> = bodies
            .map(|body| (signature(body), sentence_hashes(body)))
            .collect();
        // Exactly as much room as the batch needs: doubling would leave up to half the
        // signatures' room unused at the end of the batches, where memory peaks (38 MB at
        // 500 MB). A vector this large lives in its own mapping, which grows without a copy.
        self.signatures.reserve_exact(done.len() * HASHES);
        for (signature, hashes) in done {
            let index = self.essays;
            self.essays += 1;
            match signature {
                // 57-bit bin values cut to 32 bits: two different values agree by chance with
                // probability 2⁻³², far below the estimate's own error.
                Some(bins) => self.signatures.extend(bins.iter().map(|&b| b as u32)),
                None => self
                    .signatures
                    .extend(std::iter::repeat_n(u32::MAX, HASHES)),
            }
            for (hash, wording) in hashes {
                let key = [(hash >> 32) as u32, hash as u32];
                let slot = self.sentences.entry(key).or_insert(index);
                match *slot {
                    first if first == index => {}
                    MANY => {}
                    first if first < SHARED => {
                        *slot = SHARED + self.shared.len() as u32;
                        self.shared.push((vec![first, index], wording.into()));
                    }
                    list => {
                        let (essays, wording) = &mut self.shared[(list - SHARED) as usize];
                        if essays.len() < MAX_SENTENCE_ESSAYS {
                            essays.push(index);
                        } else {
                            *slot = MANY;
                            *essays = Vec::new();
                            *wording = Box::from("");
                        }
                    }
                }
            }
        }
    }

    fn signature(&self, essay: u32) -> Option<&[u32]> {
        let bins = &self.signatures[essay as usize * HASHES..(essay as usize + 1) * HASHES];
        bins.iter().any(|&b| b != u32::MAX).then_some(bins)
    }

    fn estimate(&self, a: u32, b: u32) -> Option<f64> {
        let (sa, sb) = (self.signature(a)?, self.signature(b)?);
        Some(sa.iter().zip(sb).filter(|(x, y)| x == y).count() as f64 / HASHES as f64)
    }

    /// Near-duplicate groups at estimated Jaccard ≥ `threshold`, and the pairs sharing
    /// sentences outside them.
    pub fn finish(self, threshold: f64) -> ReuseReport {
        self.finish_with(threshold, ALL_PAIRINGS)
    }

    /// [`ReuseBuilder::finish`], every pair reported up to `all_pairings` pairings.
    fn finish_with(self, threshold: f64, all_pairings: u64) -> ReuseReport {
        let groups = self.groups(threshold);
        let n = self.essays as usize;
        let mut group_of = vec![u32::MAX; n];
        for (g, group) in groups.iter().enumerate() {
            for &m in &group.members {
                group_of[m as usize] = g as u32;
            }
        }
        let same_group = |a: u32, b: u32| {
            group_of[a as usize] != u32::MAX && group_of[a as usize] == group_of[b as usize]
        };
        // The pairs the sentences would list: those within a near-duplicate group are not.
        let pairings: u64 = self
            .shared
            .par_iter()
            .map(|(list, _)| {
                let mut pairs = 0u64;
                for (i, &a) in list.iter().enumerate() {
                    pairs += list[i + 1..].iter().filter(|&&b| !same_group(a, b)).count() as u64;
                }
                pairs
            })
            .sum();
        let capped = pairings > all_pairings;
        // The shared sentences of each essay, in order (a list per essay, laid end to end).
        let mut starts = vec![0u32; n + 1];
        for (list, _) in &self.shared {
            for &e in list {
                starts[e as usize + 1] += 1;
            }
        }
        for i in 0..n {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut sentences = vec![0u32; starts[n] as usize];
        for (s, (list, _)) in self.shared.iter().enumerate() {
            for &e in list {
                sentences[next[e as usize] as usize] = s as u32;
                next[e as usize] += 1;
            }
        }
        drop(next);
        // Each essay counts the sentences it shares with each other essay (with all of them
        // past the limit, to choose its partners; else with those after it, so that each pair
        // is counted once), with the first EXAMPLES of them in sorted order.
        let found: Vec<Vec<SharedSentences>> = (0..self.essays)
            .into_par_iter()
            .map(|a| {
                let mut partners: FxHashMap<u32, (u32, Vec<&str>)> = FxHashMap::default();
                let own = &sentences[starts[a as usize] as usize..starts[a as usize + 1] as usize];
                for &s in own {
                    let (list, wording) = &self.shared[s as usize];
                    let wording: &str = wording;
                    for &b in list {
                        if b == a || (!capped && b < a) || same_group(a, b) {
                            continue;
                        }
                        let (count, examples) = partners.entry(b).or_default();
                        *count += 1;
                        let at = examples.partition_point(|&e| e < wording);
                        if at < EXAMPLES {
                            examples.insert(at, wording);
                            examples.truncate(EXAMPLES);
                        }
                    }
                }
                let mut partners: Vec<(u32, (u32, Vec<&str>))> = partners.into_iter().collect();
                if capped {
                    partners.sort_unstable_by_key(|&(b, (count, _))| (std::cmp::Reverse(count), b));
                    partners.truncate(PARTNERS);
                }
                // A new vector, sized for the pairs kept: collected in place, it kept the room of
                // every partner (81 MB for 5,000 essays written from one template).
                let mut kept = Vec::with_capacity(partners.len());
                kept.extend(
                    partners
                        .into_iter()
                        .map(|(b, (count, examples))| SharedSentences {
                            a: a.min(b),
                            b: a.max(b),
                            count,
                            examples: examples.into_iter().map(str::to_owned).collect(),
                        }),
                );
                kept
            })
            .collect();
        let mut pairs: Vec<SharedSentences> = found.into_iter().flatten().collect();
        // A pair both essays chose comes twice, the same both times.
        pairs.sort_by_key(|p| (p.a, p.b));
        pairs.dedup_by_key(|p| (p.a, p.b));
        ReuseReport {
            pairs,
            groups,
            pairings_past_all: capped.then_some(pairings),
        }
    }

    /// Candidates from LSH buckets, joined when their estimate reaches the threshold; a pair
    /// already in one group is not compared again, so copies cost one comparison each.
    fn groups(&self, threshold: f64) -> Vec<DuplicateGroup> {
        let n = self.essays as usize;
        let mut parent: Vec<u32> = (0..self.essays).collect();
        fn find(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        // Each band's buckets of more than one essay, the bands in parallel (filling the
        // bands' tables is most of the work), joined one band after another.
        let (bands, rows) = bands_for(threshold);
        let bands: Vec<Vec<Vec<u32>>> = (0..bands)
            .into_par_iter()
            .map(|band| {
                let mut buckets: FxHashMap<&[u32], Vec<u32>> = FxHashMap::default();
                for essay in 0..self.essays {
                    if let Some(signature) = self.signature(essay) {
                        buckets
                            .entry(&signature[band * rows..(band + 1) * rows])
                            .or_default()
                            .push(essay);
                    }
                }
                let mut buckets: Vec<Vec<u32>> =
                    buckets.into_values().filter(|b| b.len() > 1).collect();
                // Joining is order-independent, but sorted buckets make the work repeatable.
                buckets.sort_unstable();
                buckets
            })
            .collect();
        for bucket in bands.into_iter().flatten() {
            for (i, &a) in bucket.iter().enumerate() {
                for &b in &bucket[i + 1..] {
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    if ra != rb && self.estimate(a, b).is_some_and(|j| j >= threshold) {
                        parent[ra.max(rb) as usize] = ra.min(rb);
                    }
                }
            }
        }
        let mut members: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for essay in 0..n as u32 {
            members
                .entry(find(&mut parent, essay))
                .or_default()
                .push(essay);
        }
        let mut groups: Vec<DuplicateGroup> = members
            .into_values()
            .filter(|m| m.len() > 1)
            .map(|mut members| {
                members.sort_unstable();
                let first = members[0];
                let jaccard = members
                    .iter()
                    .map(|&m| self.estimate(first, m).unwrap_or(0.0))
                    .collect();
                DuplicateGroup { members, jaccard }
            })
            .collect();
        groups.sort_by_key(|g| g.members[0]);
        groups
    }
}

/// Text reuse among some essays' bodies, in order (what [`ReuseBuilder`] gives when they are
/// added at once).
pub fn find<'t>(
    bodies: impl IndexedParallelIterator<Item = &'t str>,
    threshold: f64,
) -> ReuseReport {
    let mut builder = ReuseBuilder::default();
    builder.add(bodies);
    builder.finish(threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bands chosen find pairs at the threshold with probability 0.99 or more, and with one
    /// row more they would not (worked from 1 − (1 − s^r)^(128/r)); never fewer than 3 rows.
    #[test]
    fn bands_find_pairs_at_the_threshold() {
        assert_eq!(bands_for(0.5), (42, 3));
        assert_eq!(bands_for(0.8), (21, 6));
        assert_eq!(bands_for(0.3), (42, 3));
        // 1 − (1 − 0.3³)⁴²
        assert!((found_at(0.3, 42, 3) - (1.0 - (1.0f64 - 0.027).powi(42))).abs() < 1e-12);
        for t in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] {
            let (b, r) = bands_for(t);
            let p = |b: usize, r: usize| 1.0 - (1.0 - f64::powi(t, r as i32)).powi(b as i32);
            assert!(r >= MIN_ROWS && b * r <= HASHES, "{t}");
            assert!(p(b, r) >= 0.99 || r == MIN_ROWS, "{t}");
            if r < 8 {
                assert!(p(HASHES / (r + 1), r + 1) < 0.99, "{t}");
            }
        }
    }

    #[test]
    fn the_han_shortcut_agrees_with_the_unicode_tables() {
        for c in ('\u{3400}'..='\u{4DBF}').chain('\u{4E00}'..='\u{9FFF}') {
            assert!(c.is_alphanumeric(), "{c}");
            assert!(c.to_lowercase().eq([c]), "{c}");
        }
    }

    #[test]
    fn normalising_ignores_punctuation_and_spaces() {
        assert_eq!(
            normalise("大家好，我们 一起努力！"),
            normalise("大家好,我们一起努力!")
        );
    }

    /// `n` distinct Han characters from `from` on.
    fn han(from: u32, n: u32) -> String {
        (0x4E00 + from..0x4E00 + from + n)
            .map(|c| char::from_u32(c).unwrap())
            .collect()
    }

    fn estimate(a: &str, b: &str) -> f64 {
        let (a, b) = (signature(a).unwrap(), signature(b).unwrap());
        a.iter().zip(&b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
    }

    // Characters 0..1000 and 500..1500 have 996 shingles each, 496 in common: Jaccard
    // 496 / 1496 = 0.332. With 128 bins the estimate's standard error is about √(J(1−J)/128) =
    // 0.042. Short texts (36 shingles in 128 bins, most bins densified) still give 1 for the same
    // text and nothing near 1 for unrelated ones.
    #[test]
    fn one_permutation_estimates_the_jaccard_similarity() {
        let long = estimate(&han(0, 1000), &han(500, 1000));
        assert!((long - 496.0 / 1496.0).abs() < 0.13, "{long}");
        assert_eq!(estimate(&han(0, 40), &han(0, 40)), 1.0);
        assert!(estimate(&han(0, 40), &han(100, 40)) < 0.1);
        let half = estimate(&han(0, 40), &han(20, 40));
        assert!((half - 16.0 / 56.0).abs() < 0.2, "{half}");
        assert!(signature("太短了").is_none());
    }

    #[test]
    fn identical_essays_are_near_duplicates_and_unrelated_ones_are_not() {
        let text = "社区工作人员挨家挨户登记信息，志愿者为隔离的居民送去蔬菜和药品，大家守望相助。";
        let other = "春天来了，公园里的花都开了，孩子们在草地上放风筝，老人们在树下下棋聊天。";
        let found = find([text, text, other, text].into_par_iter(), 0.5);
        assert_eq!(found.groups.len(), 1);
        assert_eq!(found.groups[0].members, [0, 1, 3]);
        assert_eq!(found.groups[0].jaccard, [1.0, 1.0, 1.0]);
        // The copies share their sentence, but they are one group, not three sentence pairs.
        assert!(found.pairs.is_empty(), "{:?}", found.pairs);
    }

    /// Past the pairings limit each essay reports its partners sharing the most sentences: the
    /// pairs are those of the full count that are among the first PARTNERS of one of their
    /// essays (by count, then essay), with the full count's figures and examples.
    #[test]
    fn past_the_pairings_limit_each_essay_keeps_its_closest_partners() {
        // Forty essays; essay i holds template sentences t for every t dividing into i's
        // pattern below, so essays share from one to several sentences with many others.
        let sentence = |t: u32| -> String {
            let s: String = (0..12)
                .map(|k| char::from_u32(0x5000 + t * 16 + k).unwrap())
                .collect();
            format!("{s}。")
        };
        let bodies: Vec<String> = (0..40u32)
            .map(|i| {
                let own: String = (0..30)
                    .map(|k| char::from_u32(0x6000 + i * 40 + k).unwrap())
                    .collect();
                let mut body = format!("{own}。");
                for t in 0..12u32 {
                    if (i * 7 + t * 3) % (t + 2) == 0 {
                        body.push_str(&sentence(t));
                    }
                }
                body
            })
            .collect();
        let all = {
            let mut b = ReuseBuilder::default();
            b.add(bodies.par_iter().map(String::as_str));
            b.finish_with(0.5, u64::MAX)
        };
        assert!(all.pairings_past_all.is_none());
        let capped = {
            let mut b = ReuseBuilder::default();
            b.add(bodies.par_iter().map(String::as_str));
            b.finish_with(0.5, 10)
        };
        assert!(capped.pairings_past_all.is_some_and(|p| p > 10));
        // By another route: each essay's partners from the full list of pairs.
        let mut expected: Vec<&SharedSentences> = Vec::new();
        for e in 0..40u32 {
            let mut mine: Vec<&SharedSentences> =
                all.pairs.iter().filter(|p| p.a == e || p.b == e).collect();
            let other = |p: &SharedSentences| if p.a == e { p.b } else { p.a };
            mine.sort_by_key(|p| (std::cmp::Reverse(p.count), other(p)));
            expected.extend(mine.into_iter().take(PARTNERS));
        }
        expected.sort_by_key(|p| (p.a, p.b));
        expected.dedup_by_key(|p| (p.a, p.b));
        assert!(expected.len() < all.pairs.len(), "the test must drop pairs");
        assert_eq!(capped.pairs.iter().collect::<Vec<_>>(), expected);
        assert_eq!(capped.groups, all.groups);
    }

    // Ten essays share one sentence, and sixty another: the first makes 45 pairs with one
    // example each, the second is boilerplate (more than 50 essays) and makes none. Adding the
    // essays in batches of any size gives the same result.
    #[test]
    fn shared_sentences_are_counted_with_examples_and_boilerplate_left_out() {
        let bodies: Vec<String> = (0..60)
            .map(|i| {
                let own: String = (0..30)
                    .map(|k| char::from_u32(0x4E00 + i * 40 + k).unwrap())
                    .collect();
                let mut body = format!("{own}。本文由作者原创转载请注明出处。");
                if i < 10 {
                    body.push_str("志愿者每天为隔离的居民送去蔬菜。");
                }
                body
            })
            .collect();
        let whole = find(bodies.par_iter().map(String::as_str), 0.5);
        assert!(whole.groups.is_empty());
        assert_eq!(whole.pairs.len(), 45);
        assert!(whole.pairs.iter().all(|p| p.count == 1
            && p.examples == ["志愿者每天为隔离的居民送去蔬菜。"]
            && p.b < 10));
        for batch in [1, 7, 60] {
            let mut builder = ReuseBuilder::default();
            for chunk in bodies.chunks(batch) {
                builder.add(chunk.par_iter().map(String::as_str));
            }
            assert_eq!(builder.finish(0.5), whole, "batches of {batch}");
        }
    }
}

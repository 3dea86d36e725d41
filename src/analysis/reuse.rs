//! Text reuse between essays: sentences shared word for word, and near-duplicate essays found by
//! MinHash with LSH banding, so that a large corpus never needs every pair compared.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::structure::sentences;
use crate::corpus::Essay;

/// Sentences shorter than this many characters (after normalising) are too common to be reuse
/// (`谢谢！`, `是的。`).
pub const MIN_SENTENCE_CHARS: usize = 8;
/// Character shingles of this length make an essay's MinHash set.
pub const SHINGLE: usize = 5;
/// MinHash signature length, cut into `BANDS` bands of `ROWS` rows for LSH (Leskovec, Rajaraman &
/// Ullman, Mining of Massive Datasets, §3.4): two essays of Jaccard s become candidates with
/// probability 1 − (1 − s^ROWS)^BANDS: 0.003 at s = 0.1, 0.87 at s = 0.5, 0.99 at s = 0.6.
pub const HASHES: usize = 128;
pub const BANDS: usize = 32;
pub const ROWS: usize = HASHES / BANDS;

/// One pair of essays that share text.
#[derive(Debug, Clone, PartialEq)]
pub struct Reuse {
    /// Essay indexes, a < b.
    pub a: u32,
    pub b: u32,
    pub kind: ReuseKind,
    /// Shared sentences, or the estimated Jaccard similarity of the shingle sets.
    pub shared: f64,
    /// The shared sentences (joined with ` | `), or how the estimate was made.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReuseKind {
    Sentences,
    NearDuplicate,
}

impl ReuseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReuseKind::Sentences => "sentences",
            ReuseKind::NearDuplicate => "near-duplicate",
        }
    }
}

/// A sentence with punctuation and whitespace taken out, so that `大家好，我们…` and
/// `大家好,我们…` are the same sentence.
pub fn normalise(sentence: &str) -> String {
    sentence
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Pairs of essays sharing sentences, and near-duplicate pairs with estimated Jaccard ≥
/// `threshold`. Sorted by essay a, essay b, kind.
pub fn find(essays: &[Essay], threshold: f64) -> Vec<Reuse> {
    let mut found = shared_sentences(essays);
    found.extend(near_duplicates(essays, threshold));
    found.sort_by_key(|x| (x.a, x.b, x.kind));
    found
}

fn shared_sentences(essays: &[Essay]) -> Vec<Reuse> {
    // Normalised sentence → essays using it (each essay once), and its first wording.
    let mut users: FxHashMap<String, (Vec<u32>, String)> = FxHashMap::default();
    for (index, essay) in essays.iter().enumerate() {
        let mut seen = FxHashSet::default();
        for line in essay.body.lines() {
            for (s, e) in sentences(line) {
                let key = normalise(&line[s..e]);
                if key.chars().count() < MIN_SENTENCE_CHARS || !seen.insert(key.clone()) {
                    continue;
                }
                users
                    .entry(key)
                    .or_insert_with(|| (Vec::new(), line[s..e].trim().to_owned()))
                    .0
                    .push(index as u32);
            }
        }
    }
    let mut pairs: FxHashMap<(u32, u32), Vec<&str>> = FxHashMap::default();
    for (list, wording) in users.values() {
        // A sentence in hundreds of essays is boilerplate, not reuse between two of them; cap the
        // pairs it makes so that it cannot make N² of them.
        if list.len() > 50 {
            continue;
        }
        for (i, &a) in list.iter().enumerate() {
            for &b in &list[i + 1..] {
                pairs.entry((a, b)).or_default().push(wording);
            }
        }
    }
    pairs
        .into_iter()
        .map(|((a, b), mut shared)| {
            shared.sort_unstable();
            Reuse {
                a,
                b,
                kind: ReuseKind::Sentences,
                shared: shared.len() as f64,
                detail: shared.join(" | "),
            }
        })
        .collect()
}

/// splitmix64: a well-mixed 64-bit hash step (Steele, Lea & Flood 2014).
fn mix(mut x: u64) -> u64 {
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
    let chars: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
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

fn near_duplicates(essays: &[Essay], threshold: f64) -> Vec<Reuse> {
    let signatures: Vec<Option<Vec<u64>>> = essays
        .par_iter()
        .map(|essay| signature(&essay.body))
        .collect();
    let mut candidates: FxHashSet<(u32, u32)> = FxHashSet::default();
    for band in 0..BANDS {
        let mut buckets: FxHashMap<&[u64], Vec<u32>> = FxHashMap::default();
        for (index, signature) in signatures.iter().enumerate() {
            if let Some(signature) = signature {
                buckets
                    .entry(&signature[band * ROWS..(band + 1) * ROWS])
                    .or_default()
                    .push(index as u32);
            }
        }
        for bucket in buckets.values().filter(|b| b.len() > 1) {
            for (i, &a) in bucket.iter().enumerate() {
                for &b in &bucket[i + 1..] {
                    candidates.insert((a, b));
                }
            }
        }
    }
    let mut found: Vec<Reuse> = candidates
        .into_iter()
        .filter_map(|(a, b)| {
            let (sa, sb) = (signatures[a as usize].as_ref()?, signatures[b as usize].as_ref()?);
            let jaccard = sa.iter().zip(sb).filter(|(x, y)| x == y).count() as f64 / HASHES as f64;
            (jaccard >= threshold).then(|| Reuse {
                a,
                b,
                kind: ReuseKind::NearDuplicate,
                shared: jaccard,
                detail: format!("MinHash estimate of the Jaccard similarity of {SHINGLE}-character shingles, one permutation, {HASHES} bins"),
            })
        })
        .collect();
    found.sort_by_key(|x| (x.a, x.b));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essay(id: u32, body: &str) -> Essay {
        Essay {
            id,
            title: id.to_string(),
            source: String::new(),
            body: body.to_owned(),
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
        let found = near_duplicates(&[essay(1, text), essay(2, text), essay(3, other)], 0.5);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].a, found[0].b, found[0].shared), (0, 1, 1.0));
    }
}

//! Comparing essays by their words: TF-IDF vectors, cosine similarity, nearest neighbours and
//! hierarchical clusters.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::keywords::corpus_idf;
use super::{EssayResult, WordFreq};

/// Up to this many essays every pair is written and the essays are clustered; past it, only each
/// essay's nearest neighbours are kept (pairs grow as N²: 2,557 essays make 3.3 M pairs).
pub const MAX_ALL_PAIRS: usize = 3000;
/// Neighbours kept per essay past [`MAX_ALL_PAIRS`].
pub const NEIGHBOURS: usize = 10;
/// Largest number of clusters tried when choosing k by silhouette.
pub const MAX_K: usize = 10;

/// A sparse, L2-normalised TF-IDF vector: (word id, weight), sorted by word id.
pub type Vector = Vec<(u32, f64)>;

/// The similarity results of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Similarity {
    /// (essay index a, essay index b, cosine), a < b, sorted by a then b.
    pub pairs: Vec<(u32, u32, f64)>,
    /// Whether `pairs` holds every pair (otherwise the nearest neighbours of each essay).
    pub all_pairs: bool,
    /// Each essay's most similar other essay (lowest index on ties) and their cosine.
    pub nearest: Vec<Option<(u32, f64)>>,
    pub clusters: Option<Clusters>,
}

/// A hierarchical clustering cut into k clusters.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    pub k: usize,
    /// Mean silhouette of the cut (Rousseeuw 1987).
    pub silhouette: f64,
    /// Cluster of each essay, 1-based, numbered in dendrogram order.
    pub label: Vec<u32>,
    /// Position of each essay in the dendrogram's leaf order, 1-based.
    pub order: Vec<u32>,
    /// The merges, as kodama gives them: (cluster a, cluster b, distance, size); clusters below
    /// N are essays, N + i the cluster made by merge i.
    pub merges: Vec<(usize, usize, f64, usize)>,
}

/// TF-IDF vectors of the essays: count × (ln((1 + N) / (1 + df)) + 1) over the words that are not
/// stopwords, normalised to length 1.
pub fn vectors(essays: &[EssayResult<'_>], word_freq: &[WordFreq<'_>]) -> Vec<Vector> {
    let weights = Weights::new(essays.len(), word_freq);
    essays
        .par_iter()
        .map(|essay| weights.vector(essay.counts.iter().map(|w| (w.word, w.count))))
        .collect()
}

/// Word ids and corpus IDF of the words that are not stopwords.
pub struct Weights<'w> {
    ids: FxHashMap<&'w str, (u32, f64)>,
}

impl<'w> Weights<'w> {
    pub fn new(essays: usize, word_freq: &[WordFreq<'w>]) -> Self {
        let ids = word_freq
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.stopword)
            .map(|(id, w)| {
                (
                    w.word,
                    (id as u32, corpus_idf(essays as u64, u64::from(w.essays))),
                )
            })
            .collect();
        Weights { ids }
    }

    /// The normalised TF-IDF vector of some word counts (each word once).
    pub fn vector<'c>(&self, counts: impl Iterator<Item = (&'c str, u64)>) -> Vector {
        let mut vector: Vector = counts
            .filter_map(|(word, count)| {
                self.ids
                    .get(word)
                    .map(|&(id, idf)| (id, count as f64 * idf))
            })
            .collect();
        vector.sort_unstable_by_key(|&(id, _)| id);
        let norm = vector.iter().map(|&(_, x)| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, x)| *x /= norm);
        }
        vector
    }
}

/// The cosine of two normalised sparse vectors: their dot product.
pub fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    // Rounding can push the cosine of identical essays a hair above 1.
    dot.min(1.0)
}

/// Similarities, nearest neighbours and clusters of the essays. `k` forces the number of
/// clusters; otherwise it is chosen by silhouette among 2..=10.
pub fn compare(vectors: &[Vector], k: Option<usize>) -> Similarity {
    let n = vectors.len();
    let all_pairs = n <= MAX_ALL_PAIRS;
    // Row i holds the cosines of i with every j > i (all pairs), or with every other essay.
    // Through an inverted index: for each word of i, the essays using it add their product to
    // their accumulator. A pair costs one addition per word the two essays share (not one per
    // word of either), and the index is read in order. The products of a pair are added in
    // word-id order, as `cosine` adds them, so the sums are the same.
    let dims = vectors
        .iter()
        .flat_map(|v| v.last())
        .map(|&(id, _)| id as usize + 1)
        .max()
        .unwrap_or(0);
    let mut postings: Vec<Vec<(u32, f64)>> = vec![Vec::new(); dims];
    for (j, vector) in vectors.iter().enumerate() {
        for &(id, w) in vector {
            postings[id as usize].push((j as u32, w));
        }
    }
    let rows: Vec<Vec<(u32, f64)>> = (0..n)
        .into_par_iter()
        .map_init(
            || vec![0.0f64; n],
            |sums, i| {
                let from = if all_pairs { i + 1 } else { 0 };
                for &(id, w) in &vectors[i] {
                    let list = &postings[id as usize];
                    let start = list.partition_point(|&(j, _)| (j as usize) < from);
                    for &(j, wj) in &list[start..] {
                        sums[j as usize] += w * wj;
                    }
                }
                // Rounding can push the cosine of identical essays a hair above 1.
                let mut row: Vec<(u32, f64)> = (from..n)
                    .filter(|&j| j != i)
                    .map(|j| (j as u32, sums[j].min(1.0)))
                    .collect();
                sums[from..].fill(0.0);
                // Past MAX_ALL_PAIRS only the neighbours are kept, so memory stays N × 10, not N².
                // The best ten are selected in linear time, then sorted.
                if !all_pairs {
                    let order =
                        |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                    if row.len() > NEIGHBOURS {
                        row.select_nth_unstable_by(NEIGHBOURS - 1, order);
                        row.truncate(NEIGHBOURS);
                    }
                    row.sort_by(order);
                }
                row
            },
        )
        .collect();
    let mut nearest: Vec<Option<(u32, f64)>> = vec![None; n];
    let mut offer = |i: usize, j: u32, c: f64| {
        let better = match nearest[i] {
            None => true,
            Some((best, best_c)) => c > best_c || (c == best_c && j < best),
        };
        if better {
            nearest[i] = Some((j, c));
        }
    };
    let mut pairs = Vec::new();
    if all_pairs {
        for (i, row) in rows.iter().enumerate() {
            for &(j, c) in row {
                offer(i, j, c);
                offer(j as usize, i as u32, c);
                pairs.push((i as u32, j, c));
            }
        }
    } else {
        for (i, row) in rows.into_iter().enumerate() {
            if let Some(&(j, c)) = row.first() {
                nearest[i] = Some((j, c));
            }
            pairs.extend(
                row.into_iter()
                    .map(|(j, c)| (i.min(j as usize) as u32, i.max(j as usize) as u32, c)),
            );
        }
        pairs.sort_by_key(|p| (p.0, p.1));
        pairs.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    }
    let clusters = if all_pairs && n >= 2 {
        let mut distances: Vec<f64> = pairs.iter().map(|&(_, _, c)| (1.0 - c).max(0.0)).collect();
        Some(cluster(&mut distances, n, k))
    } else {
        None
    };
    Similarity {
        pairs,
        all_pairs,
        nearest,
        clusters,
    }
}

/// Average-linkage (UPGMA) clustering of a condensed distance matrix, cut into `k` clusters or
/// into the k of best mean silhouette.
pub fn cluster(condensed: &mut [f64], n: usize, k: Option<usize>) -> Clusters {
    let distances = condensed.to_vec();
    let dendrogram = kodama::linkage(condensed, n, kodama::Method::Average);
    let merges: Vec<(usize, usize, f64, usize)> = dendrogram
        .steps()
        .iter()
        .map(|s| (s.cluster1, s.cluster2, s.dissimilarity, s.size))
        .collect();
    let order = leaf_order(&merges, n);
    let distance = |a: usize, b: usize| {
        if a == b {
            return 0.0;
        }
        let (i, j) = (a.min(b), a.max(b));
        // Index of (i, j) in the condensed upper triangle.
        distances[n * i - i * (i + 1) / 2 + (j - i - 1)]
    };
    let (k, labels, silhouette) = match k {
        Some(k) => {
            let k = k.clamp(1, n);
            let labels = cut(&merges, n, k, &order);
            let s = silhouette(&labels, k, n, &distance);
            (k, labels, s)
        }
        None => {
            let mut best = (1, vec![1; n], 0.0);
            for k in 2..=MAX_K.min(n - 1) {
                let labels = cut(&merges, n, k, &order);
                let s = silhouette(&labels, k, n, &distance);
                if s > best.2 {
                    best = (k, labels, s);
                }
            }
            best
        }
    };
    let mut position = vec![0u32; n];
    for (place, &essay) in order.iter().enumerate() {
        position[essay] = place as u32 + 1;
    }
    Clusters {
        k,
        silhouette,
        label: labels,
        order: position,
        merges,
    }
}

/// Essays in the left-to-right order of the dendrogram's leaves.
fn leaf_order(merges: &[(usize, usize, f64, usize)], n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![n + merges.len() - 1];
    if merges.is_empty() {
        stack = vec![0];
    }
    while let Some(node) = stack.pop() {
        if node < n {
            order.push(node);
        } else {
            let (a, b, _, _) = merges[node - n];
            stack.push(b);
            stack.push(a);
        }
    }
    order
}

/// Labels 1..=k from the first n − k merges, numbered by first appearance in `order`.
fn cut(merges: &[(usize, usize, f64, usize)], n: usize, k: usize, order: &[usize]) -> Vec<u32> {
    let mut parent: Vec<usize> = (0..n + merges.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (step, &(a, b, _, _)) in merges.iter().enumerate().take(n.saturating_sub(k)) {
        let new = n + step;
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra] = new;
        parent[rb] = new;
    }
    let mut labels = vec![0u32; n];
    let mut names: FxHashMap<usize, u32> = FxHashMap::default();
    for &essay in order {
        let root = find(&mut parent, essay);
        let next = names.len() as u32 + 1;
        labels[essay] = *names.entry(root).or_insert(next);
    }
    labels
}

/// Mean silhouette (Rousseeuw 1987): s(i) = (b − a) / max(a, b), a the mean distance of i to the
/// other members of its cluster, b the smallest mean distance to another cluster; 0 for an essay
/// alone in its cluster.
fn silhouette(labels: &[u32], k: usize, n: usize, distance: &dyn Fn(usize, usize) -> f64) -> f64 {
    if k < 2 || n < 3 {
        return 0.0;
    }
    let sizes: Vec<usize> = (1..=k as u32)
        .map(|c| labels.iter().filter(|&&l| l == c).count())
        .collect();
    let total: f64 = (0..n)
        .map(|i| {
            let own = labels[i] as usize - 1;
            if sizes[own] <= 1 {
                return 0.0;
            }
            let mut sums = vec![0.0; k];
            for j in (0..n).filter(|&j| j != i) {
                sums[labels[j] as usize - 1] += distance(i, j);
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own && sizes[c] > 0)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let spread = a.max(b);
            if spread > 0.0 && b.is_finite() {
                (b - a) / spread
            } else {
                0.0
            }
        })
        .sum();
    total / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(v: &[(u32, f64)]) -> Vector {
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        v.iter().map(|&(i, x)| (i, x / norm)).collect()
    }

    // (1, 1, 0) and (1, 0, 1): dot 1, lengths √2 and √2, cosine 1/2.
    #[test]
    fn cosine_by_hand() {
        let a = normalised(&[(0, 1.0), (1, 1.0)]);
        let b = normalised(&[(0, 1.0), (2, 1.0)]);
        assert!((cosine(&a, &b) - 0.5).abs() < 1e-12);
        assert_eq!(cosine(&a, &vec![]), 0.0);
    }

    // Two tight pairs far apart: {0, 1} at distance 0.1, {2, 3} at 0.2, 0.9 between them.
    // Average linkage merges 0–1, then 2–3, then the two pairs at 0.9. Silhouette of the 2-cut:
    // essay 0: a = 0.1, b = 0.9 → 0.889; essay 2: a = 0.2, b = 0.9 → 0.778; mean 0.833.
    #[test]
    fn two_obvious_clusters() {
        let mut d = vec![0.1, 0.9, 0.9, 0.9, 0.9, 0.2];
        let c = cluster(&mut d, 4, None);
        assert_eq!(c.k, 2);
        assert_eq!(c.label, [1, 1, 2, 2]);
        assert!((c.silhouette - (0.8 / 0.9 + 0.7 / 0.9) / 2.0).abs() < 1e-12);
        assert_eq!(c.merges.len(), 3);
        assert!((c.merges[2].2 - 0.9).abs() < 1e-12);
        let forced = cluster(&mut [0.1, 0.9, 0.9, 0.9, 0.9, 0.2], 4, Some(4));
        assert_eq!(forced.label, [1, 2, 3, 4]);
    }

    #[test]
    fn past_the_limit_only_neighbours_are_kept() {
        let n = MAX_ALL_PAIRS + 5;
        let v: Vec<Vector> = (0..n)
            .map(|i| normalised(&[((i % 7) as u32, 1.0), (7 + (i % 3) as u32, 1.0)]))
            .collect();
        let s = compare(&v, None);
        assert!(!s.all_pairs && s.clusters.is_none());
        assert!(s.pairs.len() <= n * NEIGHBOURS);
        // Essay 0's nearest is the first other essay with the same two words: 21 (0 mod 7 and 3).
        assert_eq!(s.nearest[0].unwrap().0, 21);
        // Each essay's ten nearest by brute force (cosine descending, then index) are kept.
        let kept: std::collections::HashSet<(u32, u32)> =
            s.pairs.iter().map(|&(a, b, _)| (a, b)).collect();
        for i in [0usize, 1, 5, n - 1] {
            let mut all: Vec<(u32, f64)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| (j as u32, cosine(&v[i], &v[j])))
                .collect();
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for &(j, _) in &all[..NEIGHBOURS] {
                let pair = (i.min(j as usize) as u32, i.max(j as usize) as u32);
                assert!(kept.contains(&pair), "{i} {j}");
            }
        }
        // The kept neighbours carry the same sums as the pairwise merge.
        for &(a, b, c) in &s.pairs {
            assert_eq!(
                c.to_bits(),
                cosine(&v[a as usize], &v[b as usize]).to_bits()
            );
        }
    }

    // The inverted index gives, bit for bit, what the merge of two sorted vectors gives, and a
    // plain 0 for essays with no word in common.
    #[test]
    fn index_sums_equal_pairwise_cosines() {
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        let mut v: Vec<Vector> = (0..60)
            .map(|_| {
                let mut words: Vec<(u32, f64)> = (0..40)
                    .map(|_| ((next() % 300) as u32, 1.0 + (next() % 50) as f64))
                    .collect();
                words.sort_by_key(|w| w.0);
                words.dedup_by_key(|w| w.0);
                normalised(&words)
            })
            .collect();
        v.push(normalised(&[(1000, 1.0)]));
        let s = compare(&v, None);
        assert_eq!(s.pairs.len(), 61 * 60 / 2);
        for &(a, b, c) in &s.pairs {
            let expected = cosine(&v[a as usize], &v[b as usize]);
            assert_eq!(c.to_bits(), expected.to_bits(), "{a} {b}");
        }
        assert!(s
            .pairs
            .iter()
            .filter(|p| p.1 == 60)
            .all(|p| p.2.to_bits() == 0));
    }

    #[test]
    fn nearest_neighbours_and_pairs() {
        let v = vec![
            normalised(&[(0, 1.0), (1, 1.0)]),
            normalised(&[(0, 1.0), (2, 1.0)]),
            normalised(&[(0, 1.0), (1, 1.0)]),
        ];
        let s = compare(&v, None);
        assert!(s.all_pairs);
        assert_eq!(s.pairs.len(), 3);
        let (best, c) = s.nearest[0].unwrap();
        assert_eq!(best, 2);
        assert!((c - 1.0).abs() < 1e-12);
        assert_eq!(s.nearest[1].unwrap().0, 0);
    }
}

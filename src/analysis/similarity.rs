//! Comparing essays by their words: TF-IDF vectors, cosine similarity, nearest neighbours and
//! hierarchical clusters.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::keywords::corpus_idf;
use super::{EssayResult, WordFreq};

mod kmeans;

/// Up to this many essays every pair is written (at most 499,500 rows, under Excel's 1,048,576)
/// and the essays are clustered by average linkage; past it, only each essay's nearest
/// neighbours are kept (pairs grow as N²: 2,557 essays make 3.3 M pairs) and the clusters come
/// from spherical k-means. `--all-pairs` forces every pair.
pub const MAX_ALL_PAIRS: usize = 1000;
/// Neighbours kept per essay past [`MAX_ALL_PAIRS`].
pub const NEIGHBOURS: usize = 10;
/// Index entries the neighbour search of one essay reads at most (see [`Index::nearest`]), by
/// default: a quarter of the number of essays, at least 12,000. Measured with `--check-neighbours`
/// on the generated corpora of `benches/scale.rs`: 99.9% of the exact neighbours found at 18,350
/// essays (50 MB) with 12,000; at 183,500 essays (500 MB) 47.9% with 12,000 and 99.9% with
/// 48,000. Common words' lists grow with the corpus, so a fixed budget covers ever fewer words.
pub fn default_budget(essays: usize) -> usize {
    (essays / 4).max(12_000)
}
/// Essays whose cosine is computed exactly when the budget runs out: one for every 1,000
/// entries of the budget, at least 24. At 183,450 essays (500 MB, budget 45,862) that is 45:
/// `--check-neighbours 200` found 99.85% of the true neighbours with them (99.90% with 48), and
/// 99.95% with one for every 500 entries (91), which made the search 40% slower (26.8 s against
/// 19.2 s): reading the rescored essays' vectors, which lie anywhere in memory, is much of it.
fn rescored(budget: usize) -> usize {
    (budget / 1_000).max(24)
}
/// Largest number of clusters tried when choosing k by silhouette.
pub const MAX_K: usize = 10;

/// A sparse, L2-normalised TF-IDF vector: (word id, weight), sorted by word id. Weights are
/// kept as f32 (8 bytes a word instead of 16: vectors and their index are most of a large run's
/// memory); products are summed in f64.
pub type Vector = Vec<(u32, f32)>;

/// Every essay's [`Vector`], in three flat arrays: the weights, and the ids split in two, those
/// below 65,536 as u16 and the others as u32. Ids are frequency ranks, so the common words,
/// which make most of the entries (83% at 500 MB), take 6 bytes instead of 8, and no essay has
/// an allocation of its own: at 500 MB, 54 million entries take 330 MB instead of 412. An
/// essay's low ids all come before its high ones, so its entries are still in id order, and
/// every product is added in the same order as over a [`Vector`].
#[derive(Debug, Clone, Default)]
pub struct Vectors {
    weights: Vec<f32>,
    low: Vec<u16>,
    high: Vec<u32>,
    /// Where each essay's low and high ids start, and one past the last essay.
    starts: Vec<(usize, usize)>,
}

/// One essay's vector in [`Vectors`].
#[derive(Debug, Clone, Copy)]
pub struct VectorRef<'v> {
    low: &'v [u16],
    high: &'v [u32],
    /// The weights of the low ids, then of the high ones.
    weights: &'v [f32],
}

impl Vectors {
    /// Appends a vector (entries in id order).
    pub fn push(&mut self, vector: &[(u32, f32)]) {
        if self.starts.is_empty() {
            self.starts.push((0, 0));
        }
        debug_assert!(vector.windows(2).all(|w| w[0].0 < w[1].0));
        for &(id, w) in vector {
            match u16::try_from(id) {
                Ok(low) => self.low.push(low),
                Err(_) => self.high.push(id),
            }
            self.weights.push(w);
        }
        self.starts.push((self.low.len(), self.high.len()));
    }

    /// Makes room for `vectors` exactly: grown by doubling, the arrays had 122 MB of unused
    /// room at 500 MB (each lives in a mapping of its own, which grows without a copy).
    fn reserve_exact(&mut self, vectors: &[Vector]) {
        let entries: usize = vectors.iter().map(Vec::len).sum();
        let low = vectors
            .iter()
            .flatten()
            .filter(|&&(id, _)| u16::try_from(id).is_ok())
            .count();
        self.weights.reserve_exact(entries);
        self.low.reserve_exact(low);
        self.high.reserve_exact(entries - low);
        self.starts.reserve_exact(vectors.len() + 1);
    }

    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Essay `i`'s vector.
    pub fn get(&self, i: usize) -> VectorRef<'_> {
        let (low, high) = self.starts[i];
        let (low_end, high_end) = self.starts[i + 1];
        VectorRef {
            low: &self.low[low..low_end],
            high: &self.high[high..high_end],
            weights: &self.weights[low + high..low_end + high_end],
        }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = VectorRef<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl FromIterator<Vector> for Vectors {
    fn from_iter<I: IntoIterator<Item = Vector>>(vectors: I) -> Self {
        let mut all = Vectors::default();
        for vector in vectors {
            all.push(&vector);
        }
        all
    }
}

impl<'v> VectorRef<'v> {
    /// The entries, (id, weight), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f32)> + 'v {
        self.low
            .iter()
            .map(|&id| u32::from(id))
            .chain(self.high.iter().copied())
            .zip(self.weights.iter().copied())
    }

    /// The entries whose ids are in `lo..hi`, in id order: found by halving, not read through.
    fn iter_ids(&self, lo: usize, hi: usize) -> impl Iterator<Item = (u32, f32)> + 'v {
        let low = self.low.partition_point(|&id| usize::from(id) < lo)
            ..self.low.partition_point(|&id| usize::from(id) < hi);
        let high = self.high.partition_point(|&id| (id as usize) < lo)
            ..self.high.partition_point(|&id| (id as usize) < hi);
        let n_low = self.low.len();
        self.low[low.clone()]
            .iter()
            .map(|&id| u32::from(id))
            .zip(self.weights[low].iter().copied())
            .chain(
                self.high[high.clone()].iter().copied().zip(
                    self.weights[n_low + high.start..n_low + high.end]
                        .iter()
                        .copied(),
                ),
            )
    }

    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The largest id, if any.
    fn last_id(&self) -> Option<u32> {
        self.high
            .last()
            .copied()
            .or_else(|| self.low.last().map(|&id| u32::from(id)))
    }

    pub fn to_vec(&self) -> Vector {
        self.iter().collect()
    }

    /// The cosine of two normalised vectors, the same to the last bit as [`cosine`] of them:
    /// the products of the low ids, then of the high ones, are all the products in id order.
    pub fn cosine(&self, other: &VectorRef<'_>) -> f64 {
        let (a_low, a_high) = self.weights.split_at(self.low.len());
        let (b_low, b_high) = other.weights.split_at(other.low.len());
        let mut dot = 0.0;
        merged_products(self.low, a_low, other.low, b_low, &mut dot);
        merged_products(self.high, a_high, other.high, b_high, &mut dot);
        // Rounding can push the cosine of identical essays a hair above 1.
        dot.min(1.0)
    }
}

impl VectorRef<'_> {
    /// Asks the CPU to bring this vector into its cache, without waiting for it: the essays
    /// rescored by the neighbour search lie anywhere in memory, and reading them one after
    /// another waited for each of their cache lines in turn.
    #[inline]
    fn prefetch(&self) {
        prefetch(self.low, usize::MAX);
        prefetch(self.high, usize::MAX);
        prefetch(self.weights, usize::MAX);
    }

    /// [`VectorRef::cosine`] with the query given densely ([`Dense`]), the same to the last
    /// bit: every product is added in id order as there, and the ids the query lacks, which
    /// would add 0 · w = +0 and leave a sum of non-negative products unchanged, are passed over.
    /// A merge of the two lists branched unpredictably at every id (it was a quarter of a
    /// default run at 500 MB, `perf`; with the query spread out the neighbour search there went
    /// from 80.9 to 57.1 s); here the one branch is whether the query has the id, mostly not.
    /// The query's ids are looked up in a bit set (100 KB for 800,000 words, where the weights
    /// take 3 MB and did not stay in the cache), so the chain of dependent additions is only as
    /// long as the words the two share.
    #[inline]
    fn cosine_with_dense(&self, query: &Dense) -> f64 {
        let (low_w, high_w) = self.weights.split_at(self.low.len());
        let mut dot = 0.0f64;
        let mut add = |id: usize, w: f32| {
            if (query.present[id >> 6] >> (id & 63)) & 1 != 0 {
                dot += f64::from(query.weights[id]) * f64::from(w);
            }
        };
        for (&id, &w) in self.low.iter().zip(low_w) {
            add(usize::from(id), w);
        }
        for (&id, &w) in self.high.iter().zip(high_w) {
            add(id as usize, w);
        }
        dot.min(1.0)
    }
}

/// A query vector spread out by word id, for [`VectorRef::cosine_with_dense`]: its weight of
/// each id (0 where it has none) and the set of its ids.
struct Dense {
    weights: Vec<f32>,
    present: Vec<u64>,
}

impl Dense {
    fn new(dimensions: usize) -> Self {
        Dense {
            weights: vec![0.0; dimensions],
            present: vec![0; dimensions.div_ceil(64)],
        }
    }

    /// Spreads `query` out (over a cleared `Dense`).
    fn set(&mut self, query: &VectorRef<'_>) {
        for (id, w) in query.iter() {
            self.weights[id as usize] = w;
            self.present[id as usize >> 6] |= 1 << (id & 63);
        }
    }

    /// Clears what [`Dense::set`] spread out of `query`.
    fn clear(&mut self, query: &VectorRef<'_>) {
        for (id, _) in query.iter() {
            self.weights[id as usize] = 0.0;
            self.present[id as usize >> 6] = 0;
        }
    }
}

/// Asks the CPU to bring the first `most` bytes of `items` into its cache (all of it at most),
/// without waiting for them. A hint only: it changes no result.
#[inline]
pub(crate) fn prefetch<T>(items: &[T], most: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let bytes = std::mem::size_of_val(items).min(most);
        let start = items.as_ptr().cast::<i8>();
        for offset in (0..bytes).step_by(64) {
            // SAFETY: a prefetch reads nothing into the program and cannot fault; the address
            // lies inside `items` anyway.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    start.add(offset),
                )
            };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (items, most);
}

/// Adds to `dot`, in id order, the products of the weights of the ids `a` and `b` share (each
/// sorted).
#[inline]
fn merged_products<T: Ord + Copy>(a: &[T], aw: &[f32], b: &[T], bw: &[f32], dot: &mut f64) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                *dot += f64::from(aw[i]) * f64::from(bw[j]);
                i += 1;
                j += 1;
            }
        }
    }
}

/// The similarity results of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Similarity {
    /// With every pair: (essay index a, essay index b, cosine), a < b, sorted by a then b.
    /// Otherwise each essay's nearest neighbours: (essay, neighbour, cosine), by essay, then
    /// nearest first.
    pub pairs: Vec<(u32, u32, f64)>,
    /// Whether `pairs` holds every pair (otherwise the nearest neighbours of each essay).
    pub all_pairs: bool,
    /// Each essay's most similar other essay (lowest index on ties) and their cosine.
    pub nearest: Vec<Option<(u32, f64)>>,
    /// Whether each essay's neighbours are certainly its nearest (always, with every pair; past
    /// [`MAX_ALL_PAIRS`], unless the search ran out of budget for it).
    pub exact: Vec<bool>,
    /// The share of the true nearest neighbours found, and on how many sampled essays it was
    /// measured: when asked for, and by default when some essay's search stopped at its budget
    /// (see [`Search`]).
    pub recall: Option<(f64, usize)>,
    /// Past [`MAX_ALL_PAIRS`], the budget of the search kept (see [`Search`]).
    pub budget: Option<usize>,
    /// When the sample found too few neighbours and the search was made again with a larger
    /// budget: the first budget and its recall.
    pub raised_from: Option<(usize, f64)>,
    pub clusters: Option<Clusters>,
}

/// How the clusters were made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterMethod {
    /// Average-linkage (UPGMA) hierarchical clustering of every pair, cut by silhouette.
    AverageLinkage,
    /// Spherical k-means (Dhillon & Modha 2001) on the TF-IDF vectors, k chosen by silhouette
    /// on a fixed sample.
    SphericalKMeans,
}

impl ClusterMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterMethod::AverageLinkage => "average-linkage",
            ClusterMethod::SphericalKMeans => "spherical-k-means",
        }
    }
}

/// A clustering of the essays into k clusters.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    pub method: ClusterMethod,
    pub k: usize,
    /// Mean silhouette of the cut (Rousseeuw 1987); for k-means, on the sample k was chosen on.
    pub silhouette: f64,
    /// Cluster of each essay, 1-based, numbered in dendrogram order (k-means: by first essay).
    pub label: Vec<u32>,
    /// Position of each essay in the dendrogram's leaf order, 1-based (k-means: by cluster,
    /// then corpus order).
    pub order: Vec<u32>,
    /// The merges, as kodama gives them: (cluster a, cluster b, distance, size); clusters below
    /// N are essays, N + i the cluster made by merge i. Empty for k-means.
    pub merges: Vec<(usize, usize, f64, usize)>,
}

/// TF-IDF vectors of the essays: count × (ln((1 + N) / (1 + df)) + 1) over the words that are not
/// stopwords, normalised to length 1. `word_freq` is the sorted word list and `rank` each word
/// id's place in it; a vector's dimensions are those places, so that the products of a pair are
/// always added in the same order. Without `keep_counts` each essay's counts are freed
/// as soon as its vector is made, so the two never take memory side by side.
pub fn vectors(
    essays: &mut [EssayResult<'_>],
    word_freq: &[WordFreq<'_>],
    rank: &[u32],
    keep_counts: bool,
) -> Vectors {
    let n = essays.len() as u64;
    // By rank, the place of a word id in `word_freq`, which is the id of the vectors. A
    // stopword's IDF is 0 here (a true IDF is at least 1), so that an entry needs one lookup,
    // not a second in the word list (51 MB at 500 MB, where it missed the cache at every
    // entry: 3.4 s of vectors).
    let idf: Vec<f64> = word_freq
        .iter()
        .map(|w| {
            if w.stopword {
                0.0
            } else {
                corpus_idf(n, u64::from(w.essays))
            }
        })
        .collect();
    // A chunk of essays at a time: their vectors are made in parallel, then appended, so that
    // the essays' own vectors never take memory beside the flat arrays.
    let mut all = Vectors::default();
    for chunk in essays.chunks_mut(4096) {
        let made: Vec<Vector> = chunk
            .par_iter_mut()
            .map(|essay| {
                let vector: Vec<(u32, f64)> = essay
                    .counts
                    .iter()
                    .filter_map(|(id, count)| {
                        let place = rank[id as usize];
                        let idf = idf[place as usize];
                        (idf != 0.0).then(|| (place, f64::from(count) * idf))
                    })
                    .collect();
                if !keep_counts {
                    essay.counts = Default::default();
                }
                normalised(vector)
            })
            .collect();
        all.reserve_exact(&made);
        for vector in &made {
            all.push(vector);
        }
    }
    all
}

/// Sorts by word id and scales to length 1 (computed in f64, stored in f32).
fn normalised(mut vector: Vec<(u32, f64)>) -> Vector {
    vector.sort_unstable_by_key(|&(id, _)| id);
    let norm = vector.iter().map(|&(_, x)| x * x).sum::<f64>().sqrt();
    let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
    vector
        .into_iter()
        .map(|(id, x)| (id, (x * scale) as f32))
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
        let vector: Vec<(u32, f64)> = counts
            .filter_map(|(word, count)| {
                self.ids
                    .get(word)
                    .map(|&(id, idf)| (id, count as f64 * idf))
            })
            .collect();
        normalised(vector)
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
                dot += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    // Rounding can push the cosine of identical essays a hair above 1.
    dot.min(1.0)
}

/// Similarities, nearest neighbours and clusters of the essays. `k` forces the number of
/// clusters; otherwise it is chosen by silhouette among 2..=10. `force_all_pairs` keeps every
/// pair whatever the number of essays (`--all-pairs`).
/// `search` bounds and checks the neighbour search past the all-pairs limit.
pub fn compare(
    vectors: &Vectors,
    k: Option<usize>,
    force_all_pairs: bool,
    search: Search<'_>,
) -> Similarity {
    let n = vectors.len();
    if !(force_all_pairs || n <= MAX_ALL_PAIRS) {
        return nearest_only(vectors, k, search);
    }
    let pairs = all_pairs(vectors);
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
    for &(a, b, c) in &pairs {
        offer(a as usize, b, c);
        offer(b as usize, a, c);
    }
    let clusters = (n >= 2).then(|| {
        let mut distances: Vec<f64> = pairs.iter().map(|&(_, _, c)| (1.0 - c).max(0.0)).collect();
        cluster(&mut distances, n, k)
    });
    Similarity {
        pairs,
        all_pairs: true,
        nearest,
        exact: vec![true; n],
        recall: None,
        budget: None,
        raised_from: None,
        clusters,
    }
}

/// The cosine of every pair (a, b), a < b, sorted by a then b.
///
/// Through an inverted index: for each word of a, the essays after it that use the word add
/// their product to their accumulator. A pair costs one addition per word the two essays share
/// (not one per word of either), and the index is read in order. The products of a pair are
/// added in word-id order, as [`cosine`] adds them, so the sums are the same.
fn all_pairs(vectors: &Vectors) -> Vec<(u32, u32, f64)> {
    let n = vectors.len();
    // Exact weights here (at most a thousand essays, or --all-pairs): the sums are the cosines.
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); dimensions(vectors)];
    for (j, vector) in vectors.iter().enumerate() {
        for (id, w) in vector.iter() {
            postings[id as usize].push((j as u32, w));
        }
    }
    let rows: Vec<Vec<(u32, f64)>> = (0..n)
        .into_par_iter()
        .map_init(
            || vec![0.0f64; n],
            |sums, i| {
                let from = i + 1;
                for (id, w) in vectors.get(i).iter() {
                    let list = &postings[id as usize];
                    let start = list.partition_point(|&(j, _)| (j as usize) < from);
                    let w = f64::from(w);
                    for &(j, wj) in &list[start..] {
                        sums[j as usize] += w * f64::from(wj);
                    }
                }
                // Rounding can push the cosine of identical essays a hair above 1.
                let row: Vec<(u32, f64)> =
                    (from..n).map(|j| (j as u32, sums[j].min(1.0))).collect();
                sums[from..].fill(0.0);
                row
            },
        )
        .collect();
    rows.into_iter()
        .enumerate()
        .flat_map(|(i, row)| row.into_iter().map(move |(j, c)| (i as u32, j, c)))
        .collect()
}

/// The share of true nearest neighbours the search must find on its sample (see [`Search`]).
pub const TARGET_RECALL: f64 = 0.99;
/// Essays sampled by default to check the neighbour search against brute force. 500
/// neighbours: a search that finds 99.85% of them (the bench's 500 MB corpus) misses 6 or more,
/// and so is searched again, with a chance of about 1 in 8,000 (Poisson, mean 0.75).
pub const DEFAULT_CHECK: usize = 50;
/// Times the budget is raised (×4 each) at most when the sample finds too few neighbours.
const MAX_RAISES: usize = 3;
/// Index entries (essays × budget) a raised search may read at most, beside four times those
/// of the first budget: at 500 MB the default search reads up to 8.4 billion in about 20 s, so
/// a corpus that large is searched again once, not three times (which would take 64 times as
/// long); 5,000 essays may be searched again twice, up to a budget of 192,000.
const RAISED_ENTRIES: u128 = 2_000_000_000;

/// How the neighbour search past [`MAX_ALL_PAIRS`] is bounded and checked.
#[derive(Clone, Copy)]
pub struct Search<'r> {
    /// Index entries read per essay at most (`usize::MAX`: exact whatever it costs).
    pub budget: usize,
    /// Essays sampled to measure the search's recall against brute force (0: none).
    pub check: usize,
    /// Whether to search again with four times the budget (at most [`MAX_RAISES`] times, and
    /// within [`RAISED_ENTRIES`] or four times the first search's entries) while
    /// the sample's recall is below [`TARGET_RECALL`]: the default budget was tuned on corpora
    /// whose essays have rare words, and essays that share nearly all their words need more.
    pub raise: bool,
    /// Whether the recall is wanted even when every essay's search proved its result.
    pub report: bool,
    /// Told each new budget and the recall that called for it, before the search is made
    /// again (a progress bar says so: at 500 MB one search takes about 20 s).
    pub on_raise: &'r dyn Fn(usize, f64),
    /// Told of each essay whose search is done (from the threads searching): a progress bar
    /// counts them.
    pub on_searched: &'r (dyn Fn() + Sync),
}

#[cfg(test)]
impl Search<'_> {
    /// An exact search, unchecked.
    pub fn exact() -> Self {
        Search {
            budget: usize::MAX,
            check: 0,
            raise: false,
            report: false,
            on_raise: &|_, _| {},
            on_searched: &|| {},
        }
    }
}

/// Past [`MAX_ALL_PAIRS`]: each essay's [`NEIGHBOURS`] nearest, exactly, in memory N × k, and
/// spherical k-means clusters.
fn nearest_only(vectors: &Vectors, k: Option<usize>, search: Search<'_>) -> Similarity {
    let n = vectors.len();
    let _stage = crate::timing::stage("nearest neighbours");
    let mut budget = search.budget;
    let mut raised_from = None;
    let mut raises = 0;
    let (rows, exact, recall) = loop {
        let (rows, exact) = search_all(vectors, budget, search.on_searched);
        let proved = exact.iter().all(|&e| e);
        let recall = (search.check > 0 && (search.report || !proved)).then(|| {
            crate::timing::time("neighbour check", || recall(vectors, &rows, search.check))
        });
        let affordable = (n as u128) * (budget as u128).saturating_mul(4)
            <= ((n as u128) * (search.budget as u128) * 4).max(RAISED_ENTRIES);
        match recall {
            Some((r, _))
                if r < TARGET_RECALL
                    && search.raise
                    && !proved
                    && raises < MAX_RAISES
                    && affordable =>
            {
                raised_from.get_or_insert((budget, r));
                raises += 1;
                budget = budget.saturating_mul(4);
                (search.on_raise)(budget, r);
            }
            _ => break (rows, exact, recall),
        }
    };
    let nearest = rows.iter().map(|row| row.first().copied()).collect();
    let pairs = rows
        .into_iter()
        .enumerate()
        .flat_map(|(i, row)| row.into_iter().map(move |(j, c)| (i as u32, j, c)))
        .collect();
    Similarity {
        pairs,
        all_pairs: false,
        nearest,
        exact,
        recall,
        budget: Some(budget),
        raised_from,
        clusters: (n >= 2).then(|| {
            let _stage = crate::timing::stage("spherical k-means");
            kmeans::clusters(vectors, k)
        }),
    }
}

/// Every essay's nearest neighbours by the index, reading at most `budget` entries each, and
/// whether each search proved its result; `searched` is told of each essay done.
fn search_all(
    vectors: &Vectors,
    budget: usize,
    searched: &(dyn Fn() + Sync),
) -> (Vec<Vec<(u32, f64)>>, Vec<bool>) {
    let n = vectors.len();
    let index = {
        let _stage = crate::timing::stage("neighbour index");
        Index::new(vectors, budget)
    };
    // The build's counts and cursors are freed; the search's peak comes next.
    crate::memory::give_back();
    let _search = crate::timing::stage("neighbour search");
    (0..n)
        .into_par_iter()
        .map_init(
            || Scratch::new(n, index.lists.len()),
            |scratch, i| {
                let found = index.nearest(vectors, i, NEIGHBOURS, budget, scratch);
                searched();
                found
            },
        )
        .unzip()
}

/// Recall of the neighbour search: on `sample` essays (those of the smallest hashes of their
/// index), the share of each one's true nearest (see [`true_nearest`]) that its row of `found`
/// holds. Returns (recall, essays checked).
fn recall(vectors: &Vectors, found: &[Vec<(u32, f64)>], sample: usize) -> (f64, usize) {
    let chosen = hashed_sample(vectors.len(), sample);
    let dims = dimensions(vectors);
    // Two groups a thread at least, so that the pool stays busy to the end.
    let group = chosen
        .len()
        .div_ceil(2 * rayon::current_num_threads().max(1))
        .clamp(1, CHECKED_TOGETHER);
    let (hits, total) = chosen
        .par_chunks(group)
        .map(|queries| {
            let nearest = true_nearest(vectors, queries, dims);
            let mut hits = 0;
            let mut total = 0;
            for (&i, truth) in queries.iter().zip(&nearest) {
                let kept = &found[i];
                hits += truth
                    .iter()
                    .filter(|(j, _)| kept.iter().any(|(k, _)| k == j))
                    .count();
                total += truth.len();
            }
            (hits, total)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let recall = if total == 0 {
        1.0
    } else {
        hits as f64 / total as f64
    };
    (recall, chosen.len())
}

/// Sampled essays whose true nearest are found in one pass over the vectors, at most (one bit
/// each of a `u16`).
const CHECKED_TOGETHER: usize = 16;

/// The true [`NEIGHBOURS`] nearest of each of `queries` (at most [`CHECKED_TOGETHER`] essays),
/// by brute force: each query's cosine with every other essay, zeros left out, the largest
/// first and ties to the lower index. The cosines are those of [`VectorRef::cosine`], to the
/// bit: the products of the words two essays share, added in word order.
///
/// All the queries are looked for in one pass over the vectors: every word any of them has gets
/// a row of their weights and a mask of which have it, and `slot` (4 bytes a word of the
/// corpus) leads from a word to its row. Most entries of an essay are words no query has, and
/// cost one read of `slot`. Checking the queries one by one read every vector once per query
/// (1.76 s for 50 queries at 500 MB).
fn true_nearest(vectors: &Vectors, queries: &[usize], dims: usize) -> Vec<Vec<(u32, f64)>> {
    assert!(queries.len() <= CHECKED_TOGETHER);
    let q = queries.len();
    // slot[id]: 1 + the row of the word in `masks` and `weights` (0: no query has it).
    let mut slot = vec![0u32; dims];
    let mut masks: Vec<u16> = Vec::new();
    let mut weights: Vec<f32> = Vec::new();
    for (b, &i) in queries.iter().enumerate() {
        for (id, w) in vectors.get(i).iter() {
            let at = &mut slot[id as usize];
            if *at == 0 {
                masks.push(0);
                weights.resize(weights.len() + q, 0.0);
                *at = masks.len() as u32;
            }
            let row = *at as usize - 1;
            masks[row] |= 1 << b;
            weights[row * q + b] = w;
        }
    }
    let mut dots = vec![0.0f64; q];
    let mut nearest: Vec<Vec<(u32, f64)>> = vec![Vec::with_capacity(NEIGHBOURS + 1); q];
    for j in 0..vectors.len() {
        let vector = vectors.get(j);
        let mut reached = 0u16;
        let mut add = |id: usize, w: f32| {
            let at = slot[id];
            if at != 0 {
                let row = at as usize - 1;
                let mut bits = masks[row];
                reached |= bits;
                while bits != 0 {
                    let b = bits.trailing_zeros() as usize;
                    dots[b] += f64::from(weights[row * q + b]) * f64::from(w);
                    bits &= bits - 1;
                }
            }
        };
        let (low_w, high_w) = vector.weights.split_at(vector.low.len());
        for (&id, &w) in vector.low.iter().zip(low_w) {
            add(usize::from(id), w);
        }
        for (&id, &w) in vector.high.iter().zip(high_w) {
            add(id as usize, w);
        }
        while reached != 0 {
            let b = reached.trailing_zeros() as usize;
            reached &= reached - 1;
            // Rounding can push the cosine of identical essays a hair above 1.
            let cosine = dots[b].min(1.0);
            dots[b] = 0.0;
            if queries[b] == j || cosine <= 0.0 {
                continue;
            }
            // Kept largest first; essays come in index order, so one that only ties the last
            // kept is behind it.
            let top = &mut nearest[b];
            if top.len() == NEIGHBOURS && cosine <= top[NEIGHBOURS - 1].1 {
                continue;
            }
            let at = top.partition_point(|&(_, c)| c >= cosine);
            top.insert(at, (j as u32, cosine));
            top.truncate(NEIGHBOURS);
        }
    }
    nearest
}

/// Essays by word: for each word id, the essays using it with their weights, in essay order, and
/// the largest of those weights. A list longer than the search's budget would never be read, so
/// it is not built: common words' lists hold most of the entries.
///
/// The lists are held compact, as they sit beside the vectors at the run's peak of memory:
/// each entry is the gap from the previous essay of the list, in as few bytes as the list's
/// largest gap needs (1, 2 or 4: one byte for a common word), and the weight rounded down to
/// a multiple of 1/65,535 (two bytes), 3 to 4 bytes instead of 8 (at 500 MB the lists took
/// 408 MB, now about 190). A fixed width per list keeps the reading loop free of branches.
/// Partial sums made of rounded-down weights are still lower bounds of the cosines, so θ stays
/// a lower bound; an essay's true partial sum exceeds its rounded one by less than
/// Σ w_q / 65,535 (the query's `slack`), which every test of a partial sum against θ adds.
struct Index {
    data: Vec<u8>,
    /// By word id: where its list lies and what the search needs of it, in one record, so
    /// that a query's word costs one read of this table, not one in each of four (those reads
    /// missed the cache at nearly every word: a word's id says nothing of where it lies).
    lists: Vec<List>,
}

/// A word's list in [`Index`].
#[derive(Debug, Clone, Copy, Default)]
struct List {
    /// Where the list starts in `data`.
    start: usize,
    /// Essays using the word (the length of its list, built or not).
    length: u32,
    /// Bytes of the list in `data` (0 if it was not built).
    bytes: u32,
    /// Bytes of each gap: 1, 2 or 4.
    width: u8,
    /// The largest weight of the word.
    max: f32,
}

/// Steps of a stored weight: 1/65,535 (the largest weight, 1, is 65,535).
const WEIGHT_STEPS: f64 = 65_535.0;

/// Per-thread state of the neighbour search, reused from essay to essay.
struct Scratch {
    /// Partial dot product with each essay (0 = not reached yet: every weight is positive).
    sums: Vec<f32>,
    /// The essays reached, in `touched[..reached]`: written at every entry read, kept by
    /// moving `reached` on only for an essay not reached before (a branch on that would be
    /// mispredicted as often as not).
    touched: Vec<u32>,
    /// The query's words: (essays using it, word id, weight, its list).
    terms: Vec<(usize, u32, f64, List)>,
    /// bound[p]: the most the words from p on can add to any essay's cosine.
    bound: Vec<f64>,
    buffer: Vec<f32>,
    /// The essays of largest partial sums (see [`take_largest`]).
    top: Vec<(f32, u32)>,
    /// The query spread out by word id (see [`VectorRef::cosine_with_dense`]).
    dense: Dense,
}

impl Scratch {
    fn new(n: usize, dimensions: usize) -> Self {
        Scratch {
            sums: vec![0.0; n],
            touched: vec![0; n],
            terms: Vec::new(),
            bound: Vec::new(),
            buffer: Vec::new(),
            top: Vec::new(),
            dense: Dense::new(dimensions),
        }
    }
}

/// `items` cut into the consecutive pieces `ranges` (which cover it in order), to be filled
/// side by side.
fn split_by<'t, T>(mut items: &'t mut [T], ranges: &[(usize, usize)]) -> Vec<&'t mut [T]> {
    let mut pieces = Vec::with_capacity(ranges.len());
    let mut taken = 0;
    for &(lo, hi) in ranges {
        debug_assert_eq!(lo, taken);
        let (piece, rest) = std::mem::take(&mut items).split_at_mut(hi - lo);
        pieces.push(piece);
        items = rest;
        taken = hi;
    }
    pieces
}

/// One more than the largest word id of the vectors.
fn dimensions(vectors: &Vectors) -> usize {
    vectors
        .iter()
        .flat_map(|v| v.last_id())
        .map(|id| id as usize + 1)
        .max()
        .unwrap_or(0)
}

/// The `m` essays of `n` with the smallest hashes of their index, in corpus order: a fixed sample
/// that cannot fall in step with a period of the corpus, as every (n/m)-th essay would.
fn hashed_sample(n: usize, m: usize) -> Vec<usize> {
    let mut chosen: Vec<usize> = (0..n).collect();
    chosen.sort_by_key(|&i| super::reuse::mix(i as u64));
    chosen.truncate(m);
    chosen.sort_unstable();
    chosen
}

/// The `k`-th largest of `values` (k ≥ 1; at least k values), as `select_nth_unstable` finds
/// it, in one pass that keeps the k largest so far in `top`, sorted: nearly every value is
/// below the k-th largest so far and costs one predictable comparison, where a quickselect
/// over the tens of thousands of partial sums moved them about several times.
fn kth_largest(values: impl Iterator<Item = f32>, k: usize, top: &mut Vec<f32>) -> f32 {
    top.clear();
    top.resize(k, f32::NEG_INFINITY);
    for v in values {
        if v > top[k - 1] {
            let mut at = k - 1;
            while at > 0 && top[at - 1] < v {
                top[at] = top[at - 1];
                at -= 1;
            }
            top[at] = v;
        }
    }
    top[k - 1]
}

/// The (at most) `m` essays of `touched` whose `sums` are largest, the lowest index first
/// among equal sums, into `top` as (sum, essay), in that order: what sorting every essay reached
/// by (sum descending, index) and keeping the first `m` gives, in one pass that keeps the best so
/// far. Nearly every essay is below the m-th best so far and costs one predictable comparison.
/// Each sum is set back to 0 as it is read, ready for the next search.
fn take_largest(touched: &[u32], sums: &mut [f32], m: usize, top: &mut Vec<(f32, u32)>) {
    top.clear();
    let before = |a: (f32, u32), b: (f32, u32)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
    for &j in touched {
        let entry = (std::mem::take(&mut sums[j as usize]), j);
        if top.len() == m {
            match top.last() {
                Some(&last) if before(entry, last) => {
                    top.pop();
                }
                _ => continue,
            }
        }
        let mut at = top.len();
        top.push(entry);
        while at > 0 && before(entry, top[at - 1]) {
            top[at] = top[at - 1];
            at -= 1;
        }
        top[at] = entry;
    }
}

/// Slack for the rounding of partial sums, which are added in another order than [`cosine`]'s.
const ROUNDING: f64 = 1e-9;

/// The entries of a list whose gaps take `W` bytes (each entry `E` = `W` + 2 bytes).
#[inline(always)]
fn read_list<const W: usize, const E: usize>(list: &[u8], mut f: impl FnMut(u32, u16)) {
    let mut essay = 0u32;
    for entry in list.chunks_exact(E) {
        let mut gap = [0u8; 4];
        gap[..W].copy_from_slice(&entry[..W]);
        essay += u32::from_le_bytes(gap);
        f(essay, u16::from_le_bytes([entry[W], entry[W + 1]]));
    }
}

impl Index {
    fn new(vectors: &Vectors, budget: usize) -> Self {
        let dims = dimensions(vectors);
        let mut lengths = vec![0usize; dims];
        for vector in vectors.iter() {
            for (id, _) in vector.iter() {
                lengths[id as usize] += 1;
            }
        }
        let built = |id: usize| lengths[id] <= budget;
        // The words are cut into ranges of about as many entries, one or more a thread: each
        // range's lists are made by one task, which reads, in every vector, only the entries of
        // its words (ids are sorted in a vector). The lists are laid out in word order, so each
        // range writes its own slice of the data. The index is the same whatever the cut.
        let total: usize = (0..dims).filter(|&w| built(w)).map(|w| lengths[w]).sum();
        let parts = (rayon::current_num_threads() * 2).max(1);
        let mut bounds = vec![0usize];
        let mut sum = 0usize;
        for word in 0..dims {
            if built(word) {
                sum += lengths[word];
            }
            if sum * parts >= total * bounds.len() && bounds.len() < parts {
                bounds.push(word + 1);
            }
        }
        bounds.push(dims);
        bounds.dedup();
        let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        // Each range's words' entries in essay j, as (id, weight).
        let entries = |j: usize, (lo, hi): (usize, usize)| vectors.get(j).iter_ids(lo, hi);
        // First the largest gap of each list (the width of its gaps) and each word's largest
        // weight, then the lists written in place.
        let mut widest = vec![0u32; dims];
        let mut max = vec![0.0f32; dims];
        {
            let mut widest_parts = split_by(&mut widest, &ranges);
            let mut max_parts = split_by(&mut max, &ranges);
            widest_parts
                .par_iter_mut()
                .zip(max_parts.par_iter_mut())
                .zip(&ranges)
                .for_each(|((widest, max), &(lo, hi))| {
                    let mut last = vec![0u32; hi - lo];
                    for j in 0..vectors.len() {
                        for (id, w) in entries(j, (lo, hi)) {
                            let word = id as usize;
                            if built(word) {
                                let at = word - lo;
                                widest[at] = widest[at].max(j as u32 - last[at]);
                                last[at] = j as u32;
                            }
                            max[word - lo] = max[word - lo].max(w);
                        }
                    }
                });
        }
        let widths: Vec<u8> = widest
            .iter()
            .map(|&gap| match gap {
                0..=0xff => 1,
                0x100..=0xffff => 2,
                _ => 4,
            })
            .collect();
        drop(widest);
        let mut starts = Vec::with_capacity(dims + 1);
        let mut at = 0;
        for (word, &width) in widths.iter().enumerate() {
            starts.push(at);
            if built(word) {
                at += lengths[word] * (usize::from(width) + 2);
            }
        }
        starts.push(at);
        let mut data = vec![0u8; at];
        {
            let byte_ranges: Vec<(usize, usize)> = ranges
                .iter()
                .map(|&(lo, hi)| (starts[lo], starts[hi]))
                .collect();
            let mut data_parts = split_by(&mut data, &byte_ranges);
            data_parts
                .par_iter_mut()
                .zip(&ranges)
                .for_each(|(data, &(lo, hi))| {
                    let base = starts[lo];
                    let mut cursor: Vec<usize> = starts[lo..hi].iter().map(|&s| s - base).collect();
                    let mut last = vec![0u32; hi - lo];
                    for j in 0..vectors.len() {
                        for (id, w) in entries(j, (lo, hi)) {
                            let word = id as usize;
                            if !built(word) {
                                continue;
                            }
                            let (k, width) = (word - lo, usize::from(widths[word]));
                            let at = cursor[k];
                            let gap = j as u32 - last[k];
                            data[at..at + width].copy_from_slice(&gap.to_le_bytes()[..width]);
                            let steps =
                                (f64::from(w) * WEIGHT_STEPS).floor().min(WEIGHT_STEPS) as u16;
                            data[at + width..at + width + 2].copy_from_slice(&steps.to_le_bytes());
                            cursor[k] = at + width + 2;
                            last[k] = j as u32;
                        }
                    }
                });
        }
        let lists = (0..dims)
            .map(|word| List {
                start: starts[word],
                length: lengths[word] as u32,
                bytes: (starts[word + 1] - starts[word]) as u32,
                width: widths[word],
                max: max[word],
            })
            .collect();
        Index { data, lists }
    }

    /// Brings the start of a list into the cache, to be read soon.
    #[inline]
    fn prefetch(&self, list: &List) {
        prefetch(&self.data[list.start..][..list.bytes as usize], 256);
    }

    /// Calls `f(essay, weight in steps of 1/65,535)` for each entry of a list.
    #[inline]
    fn each(&self, list: &List, f: impl FnMut(u32, u16)) {
        let data = &self.data[list.start..][..list.bytes as usize];
        match list.width {
            1 => read_list::<1, 3>(data, f),
            2 => read_list::<2, 4>(data, f),
            _ => read_list::<4, 6>(data, f),
        }
    }

    /// The `k` essays most similar to essay `i` (cosine > 0, highest first, lowest index on
    /// ties), exactly: the same as sorting every other essay's [`cosine`].
    ///
    /// Max-score pruning (Turtle & Flood 1995; the bound of Bayardo, Ma & Srikant 2007): the
    /// query's words are read rarest first, each adding its products to the essays that use it.
    /// Partial sums never exceed the final cosines (weights are positive), so the k-th largest,
    /// θ, is a lower bound of the k-th best cosine (up to the roundings that `slack` allows for:
    /// weights stored in steps, sums in f32). An essay not reached yet can gain at most
    /// Σ w_q · max_q over the words left; once that is below θ no new essay can enter, and the
    /// long lists of common words are not read. The essays reached whose partial sum plus that
    /// bound still reaches θ get their exact cosine.
    ///
    /// Common words can keep that bound above θ to the end, and their lists hold most essays:
    /// read in full for every essay, they would make the search quadratic. So the search reads
    /// at most `budget` index entries; if a word's list would take it past that, the words left
    /// are not read and the essays of largest partial sums get their exact cosine.
    /// The second value says whether the search finished within the budget (exact).
    fn nearest(
        &self,
        vectors: &Vectors,
        i: usize,
        k: usize,
        budget: usize,
        s: &mut Scratch,
    ) -> (Vec<(u32, f64)>, bool) {
        let query = vectors.get(i);
        s.terms.clear();
        s.terms.extend(query.iter().map(|(id, w)| {
            let list = self.lists[id as usize];
            (list.length as usize, id, f64::from(w), list)
        }));
        s.terms.sort_unstable_by_key(|&(len, id, _, _)| (len, id));
        s.bound.clear();
        s.bound.resize(s.terms.len() + 1, 0.0);
        for p in (0..s.terms.len()).rev() {
            let (_, _, w, list) = s.terms[p];
            s.bound[p] = s.bound[p + 1] + w * f64::from(list.max);
        }
        // The sums are f32, so that one thread's sums fit in its core's cache (183,000 essays
        // take 0.7 MB as f32, 1.5 MB as f64; the search is bound by these random reads). Each
        // of the m products added to a sum is rounded at most twice and the sum once each time,
        // and a sum is at most about 1: a sum is off by less than (m + 2) ε, taken twice here.
        // `slack` is what the rounding can move a partial sum by: the stored weights' steps
        // (Σ w_q / 65,535) and the f32 error, once for θ and once for the sum set against it.
        let f32_error = 2.0 * (s.terms.len() as f64 + 2.0) * f64::from(f32::EPSILON);
        let slack = s.terms.iter().map(|&(_, _, w, _)| w).sum::<f64>() / WEIGHT_STEPS
            + 2.0 * f32_error
            + ROUNDING;
        let mut theta = f64::NEG_INFINITY;
        // Whether a weight rounded down to nothing (an essay that uses a word may then not be
        // among those reached).
        let mut rounded_away = false;
        let mut stop = s.terms.len();
        let mut read = 0usize;
        let mut exact = true;
        let mut reached = 0usize;
        for p in 0..s.terms.len() {
            let (len, _, w, list) = s.terms[p];
            // θ costs a pass over the essays reached: taken only when this word's list is at
            // least as long, so it at most doubles the work.
            if reached >= k && len >= reached {
                let sums = s.touched[..reached].iter().map(|&j| s.sums[j as usize]);
                theta = f64::from(kth_largest(sums, k, &mut s.buffer));
            }
            if s.bound[p] + slack < theta {
                stop = p;
                break;
            }
            // The first word is read whatever its length, unless its list was not built.
            if read + len > budget && (p > 0 || len > budget) {
                stop = p;
                exact = false;
                break;
            }
            read += len;
            // The lists lie anywhere in the index; the next one's start is asked for now, so
            // that it is on its way while this one is read.
            if let Some((_, _, _, next)) = s.terms.get(p + 1) {
                self.prefetch(next);
            }
            let step = (w / WEIGHT_STEPS) as f32;
            // Room for every essay of this list to be new.
            if s.touched.len() < reached + len {
                s.touched.resize(reached + len, 0);
            }
            let (sums, touched) = (&mut s.sums, &mut s.touched);
            self.each(&list, |j, steps| {
                if j as usize == i {
                    return;
                }
                rounded_away |= steps == 0;
                let sum = &mut sums[j as usize];
                touched[reached] = j;
                reached += usize::from(*sum == 0.0);
                // The smallest positive f32 on top: an essay reached through a weight that
                // rounded to 0 steps is then reached, and recorded once (it was recorded again at
                // its next word, and could come out twice among the neighbours). On any other
                // product it changes no bit: 1.2e-38 is under half an ulp of anything above
                // about 2e-31, and a product is at least the query's weight over 65,535.
                *sum += step * f32::from(steps) + f32::MIN_POSITIVE;
            });
        }
        let left = s.bound[stop];
        let touched = &s.touched[..reached];
        // θ decides only a search that ended within its budget.
        if exact && touched.len() >= k {
            let sums = touched.iter().map(|&j| s.sums[j as usize]);
            theta = theta.max(f64::from(kth_largest(sums, k, &mut s.buffer)));
        }
        // An essay not reached because its weights rounded to nothing has a cosine below
        // left + slack: the result is proved only if that cannot reach θ.
        if exact && rounded_away && left + slack >= theta {
            exact = false;
        }
        let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        s.dense.set(&query);
        let dense = &s.dense;
        let mut found: Vec<(u32, f64)> = if exact {
            touched
                .iter()
                .filter(|&&j| f64::from(s.sums[j as usize]) + left + slack >= theta)
                .map(|&j| (j, vectors.get(j as usize).cosine_with_dense(dense)))
                .filter(|&(_, c)| c > 0.0)
                .collect()
        } else {
            // The `rescored` essays of largest partial sums, the lowest index first among
            // equal sums.
            take_largest(touched, &mut s.sums, rescored(budget), &mut s.top);
            for &(_, j) in &s.top {
                vectors.get(j as usize).prefetch();
            }
            s.top
                .iter()
                .map(|&(_, j)| (j, vectors.get(j as usize).cosine_with_dense(dense)))
                .filter(|&(_, c)| c > 0.0)
                .collect()
        };
        s.dense.clear(&query);
        if exact {
            for &j in touched {
                s.sums[j as usize] = 0.0;
            }
        }
        if found.len() > k {
            found.select_nth_unstable_by(k - 1, order);
            found.truncate(k);
        }
        found.sort_by(order);
        found.shrink_to_fit();
        (found, exact)
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
        method: ClusterMethod::AverageLinkage,
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
        super::normalised(v.to_vec())
    }

    #[test]
    fn flat_vectors_hold_every_entry_and_the_same_cosines() {
        // Ids on both sides of 65,536 (two-byte and four-byte ids), an empty vector, and a
        // vector of four-byte ids only.
        let raw: Vec<Vector> = vec![
            normalised(&[(3, 1.0), (65_535, 2.0), (65_536, 0.5), (900_000, 1.5)]),
            vec![],
            normalised(&[(70_000, 1.0), (900_000, 2.0)]),
            normalised(&[(3, 0.7), (65_536, 0.2), (900_000, 0.1)]),
        ];
        let flat: Vectors = raw.iter().cloned().collect();
        assert_eq!(flat.len(), raw.len());
        for (i, a) in raw.iter().enumerate() {
            assert_eq!(&flat.get(i).to_vec(), a);
            for (j, b) in raw.iter().enumerate() {
                let (got, want) = (flat.get(i).cosine(&flat.get(j)), cosine(a, b));
                assert_eq!(got.to_bits(), want.to_bits(), "{i} {j}");
                // The neighbour search's rescoring, with essay i as the dense query.
                let mut dense = Dense::new(dimensions(&flat));
                dense.set(&flat.get(i));
                let dense = flat.get(j).cosine_with_dense(&dense);
                assert_eq!(dense.to_bits(), want.to_bits(), "{i} {j} dense");
            }
        }
        assert!(flat.get(0).cosine(&flat.get(3)) > 0.0);
        assert_eq!(dimensions(&flat), 900_001);
    }

    // Essays drawn from 150 words, 60 draws each: every essay shares words with nearly every
    // other, so a budget of one index entry an essay, raised to 4, 16 and 64 (three raises, the
    // most there are), never proves a search nor finds 99% of the sample's neighbours. The run
    // ends with the last budget and the recall it found, which the caller reports as short.
    #[test]
    fn a_search_still_short_after_every_raise_keeps_its_last_budget_and_recall() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let raw: Vec<Vector> = (0..MAX_ALL_PAIRS + 200)
            .map(|_| {
                let mut ids: Vec<u32> = (0..60).map(|_| (xorshift(&mut x) % 150) as u32).collect();
                ids.sort_unstable();
                ids.dedup();
                let weighted: Vec<(u32, f64)> = ids
                    .iter()
                    .map(|&id| (id, (xorshift(&mut x) % 1000 + 1) as f64))
                    .collect();
                normalised(&weighted)
            })
            .collect();
        let vectors: Vectors = raw.into_iter().collect();
        let raises = std::sync::Mutex::new(Vec::new());
        let on_raise = |budget: usize, recall: f64| raises.lock().unwrap().push((budget, recall));
        let searched = std::sync::atomic::AtomicUsize::new(0);
        let on_searched = || {
            searched.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        let found = nearest_only(
            &vectors,
            Some(2),
            Search {
                budget: 1,
                check: DEFAULT_CHECK,
                raise: true,
                report: false,
                on_raise: &on_raise,
                on_searched: &on_searched,
            },
        );
        let raises = raises.into_inner().unwrap();
        // Every essay was searched four times: the first budget and its three raises.
        assert_eq!(searched.into_inner(), 4 * vectors.len());
        assert_eq!(
            raises.iter().map(|&(b, _)| b).collect::<Vec<_>>(),
            [4, 16, 64]
        );
        assert!(raises.iter().all(|&(_, r)| r < TARGET_RECALL), "{raises:?}");
        assert_eq!(found.budget, Some(64));
        let (first, first_recall) = found.raised_from.expect("raised");
        assert_eq!((first, first_recall), (1, raises[0].1));
        let (recall, sampled) = found.recall.expect("checked");
        assert_eq!(sampled, DEFAULT_CHECK);
        assert!(recall < TARGET_RECALL, "{recall}");
        assert!(found.exact.iter().any(|&e| !e));
    }

    /// The next of a fixed sequence of pseudo-random numbers (xorshift64).
    fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    /// Long vectors that share many words, on both sides of the two-byte ids.
    #[test]
    fn dense_cosines_of_long_vectors_have_the_same_bits() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut weight = || (xorshift(&mut x) % 1000 + 1) as f64 / 37.0;
        let ids = |from: u32, step: u32| (0..300u32).map(move |i| from + i * step);
        let a: Vec<(u32, f64)> = ids(65_000, 3).map(|id| (id, weight())).collect();
        let b: Vec<(u32, f64)> = ids(65_000, 2).map(|id| (id, weight())).collect();
        let (a, b) = (normalised(&a), normalised(&b));
        let flat: Vectors = [a.clone(), b.clone()].into_iter().collect();
        let mut dense = Dense::new(dimensions(&flat));
        dense.set(&flat.get(0));
        let want = cosine(&a, &b);
        assert!(
            a.iter()
                .filter(|(id, _)| b.iter().any(|(j, _)| j == id))
                .count()
                > 64
        );
        assert_eq!(
            flat.get(1).cosine_with_dense(&dense).to_bits(),
            want.to_bits()
        );
        // Cleared, it is all zeros again, ready for the next query.
        dense.clear(&flat.get(0));
        assert!(dense.weights.iter().all(|&w| w == 0.0) && dense.present.iter().all(|&b| b == 0));
    }

    /// The check's one-pass brute force against sorting every essay by [`cosine`]: vectors of
    /// few words, so that ties (duplicates) and essays sharing no word are many, on both sides
    /// of the two-byte ids; groups of 1, 5 and 16 queries.
    #[test]
    fn true_nearest_is_every_cosine_sorted() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let raw: Vec<Vector> = (0..400)
            .map(|e| {
                if e % 50 == 7 {
                    return Vec::new();
                }
                let mut v: Vec<(u32, f64)> = (0..1 + xorshift(&mut x) % 6)
                    .map(|_| {
                        let id = (xorshift(&mut x) % 40) as u32;
                        let id = if id % 2 == 0 { id } else { 65_530 + id };
                        (id, (xorshift(&mut x) % 3 + 1) as f64)
                    })
                    .collect();
                v.sort_by_key(|&(id, _)| id);
                v.dedup_by_key(|&mut (id, _)| id);
                normalised(&v)
            })
            .collect();
        let flat: Vectors = raw.iter().cloned().collect();
        let dims = dimensions(&flat);
        for group in [1usize, 5, 16] {
            let queries: Vec<usize> = (0..group).map(|g| g * 23 + 1).collect();
            let got = true_nearest(&flat, &queries, dims);
            for (&i, got) in queries.iter().zip(&got) {
                let bits: Vec<(u32, u64)> = got.iter().map(|&(j, c)| (j, c.to_bits())).collect();
                assert_eq!(
                    bits,
                    brute_force(&raw, i),
                    "query {i} in a group of {group}"
                );
            }
        }
    }

    // (1, 1, 0) and (1, 0, 1): dot 1, lengths √2 and √2, cosine 1/2 (to f32's precision: the
    // weights 1/√2 are stored in 32 bits, relative error below 6e-8).
    #[test]
    fn kth_largest_is_what_a_selection_finds() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut top = Vec::new();
        for len in [1usize, 2, 10, 11, 57, 1000] {
            // Few distinct values, so that ties are many.
            let values: Vec<f32> = (0..len)
                .map(|_| (xorshift(&mut x) % 23) as f32 / 7.0)
                .collect();
            for k in 1..=len.min(12) {
                let mut sorted = values.clone();
                sorted.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
                let got = kth_largest(values.iter().copied(), k, &mut top);
                assert_eq!(got.to_bits(), sorted[k - 1].to_bits(), "{len} {k}");
            }
        }
    }

    /// Against sorting the essays reached by (sum descending, index) and keeping the first m.
    #[test]
    fn take_largest_keeps_what_a_sort_keeps() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || xorshift(&mut x);
        let mut top = Vec::new();
        for len in [0usize, 1, 2, 10, 11, 57, 1000] {
            // Essays reached in no particular order, with few distinct sums: ties are many.
            let sums: Vec<f32> = (0..len).map(|_| (next() % 23) as f32 / 7.0).collect();
            let mut touched: Vec<u32> = (0..len as u32).collect();
            for i in (1..len).rev() {
                touched.swap(i, next() as usize % (i + 1));
            }
            for m in [1usize, 2, 5, 24, 92, 2000] {
                let mut sorted: Vec<(f32, u32)> =
                    touched.iter().map(|&j| (sums[j as usize], j)).collect();
                sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                sorted.truncate(m);
                let mut taken = sums.clone();
                take_largest(&touched, &mut taken, m, &mut top);
                assert_eq!(top, sorted, "{len} {m}");
                assert!(taken.iter().all(|&sum| sum == 0.0));
            }
        }
    }

    #[test]
    fn cosine_by_hand() {
        let a = normalised(&[(0, 1.0), (1, 1.0)]);
        let b = normalised(&[(0, 1.0), (2, 1.0)]);
        assert!((cosine(&a, &b) - 0.5).abs() < 1e-7);
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

    /// Each essay's neighbours by brute force: every other essay's cosine, highest first, lowest
    /// index on ties, zeros left out.
    fn brute_force(v: &[Vector], i: usize) -> Vec<(u32, u64)> {
        let mut all: Vec<(u32, f64)> = (0..v.len())
            .filter(|&j| j != i)
            .map(|j| (j as u32, cosine(&v[i], &v[j])))
            .filter(|&(_, c)| c > 0.0)
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(NEIGHBOURS);
        all.into_iter().map(|(j, c)| (j, c.to_bits())).collect()
    }

    fn neighbours_of(s: &Similarity, i: usize) -> Vec<(u32, u64)> {
        s.pairs
            .iter()
            .filter(|p| p.0 as usize == i)
            .map(|&(_, j, c)| (j, c.to_bits()))
            .collect()
    }

    #[test]
    fn past_the_limit_only_neighbours_are_kept() {
        let n = MAX_ALL_PAIRS + 5;
        let v: Vec<Vector> = (0..n)
            .map(|i| normalised(&[((i % 7) as u32, 1.0), (7 + (i % 3) as u32, 1.0)]))
            .collect();
        let s = compare(&v.iter().cloned().collect(), None, false, Search::exact());
        assert!(!s.all_pairs);
        assert_eq!(s.pairs.len(), n * NEIGHBOURS);
        // Essay 0's nearest is the first other essay with the same two words: 21 (0 mod 7 and 3).
        assert_eq!(s.nearest[0].unwrap().0, 21);
        for i in [0usize, 1, 5, n - 1] {
            assert_eq!(neighbours_of(&s, i), brute_force(&v, i), "essay {i}");
        }
        // --all-pairs keeps every pair whatever N.
        let all = compare(&v.iter().cloned().collect(), None, true, Search::exact());
        assert!(all.all_pairs);
        assert_eq!(all.pairs.len(), n * (n - 1) / 2);
    }

    // The pruned search must give exactly what brute force gives, on vectors shaped like text:
    // word frequencies falling off as 1/rank (a few words in most essays, most words in few),
    // essays of 5 to 200 words, some essays repeated, some sharing nothing.
    #[test]
    fn pruned_neighbours_equal_brute_force() {
        let mut state = 0x1234_5678_9ABC_DEF1u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let words = 5000u64;
        let harmonic: f64 = (1..=words).map(|r| 1.0 / r as f64).sum();
        let mut v: Vec<Vector> = Vec::new();
        for e in 0..1500 {
            if e % 50 == 49 {
                let copy = v[e - 7].clone();
                v.push(copy);
                continue;
            }
            let length = 5 + next() % 196;
            let mut counts: FxHashMap<u32, f64> = FxHashMap::default();
            for _ in 0..length {
                // Inverse transform of Zipf's law over `words` ranks.
                let mut x = (next() >> 11) as f64 / (1u64 << 53) as f64 * harmonic;
                let mut rank = 1;
                while rank < words && x > 1.0 / rank as f64 {
                    x -= 1.0 / rank as f64;
                    rank += 1;
                }
                *counts.entry(rank as u32).or_default() += 1.0;
            }
            let mut words: Vec<(u32, f64)> = counts
                .into_iter()
                .map(|(id, c)| (id, c * (1.0 + (id as f64).ln())))
                .collect();
            words.sort_by_key(|w| w.0);
            v.push(normalised(&words));
        }
        v.push(normalised(&[(9999, 1.0)]));
        let s = compare(&v.iter().cloned().collect(), None, false, Search::exact());
        for i in 0..v.len() {
            assert_eq!(neighbours_of(&s, i), brute_force(&v, i), "essay {i}");
        }
        assert!(neighbours_of(&s, v.len() - 1).is_empty());
        let c = s.clusters.unwrap();
        assert_eq!(c.method, ClusterMethod::SphericalKMeans);
        assert_eq!(c.label.len(), v.len());
    }

    // An essay whose weight for a word rounds to nothing in the index (under 1/65,535) is
    // still one neighbour, found once, with its exact cosine: reached first through that word
    // and then through the others, it must not be counted twice.
    #[test]
    fn weights_that_round_to_nothing_count_once() {
        let n = MAX_ALL_PAIRS + 100;
        let v: Vec<Vector> = (0..n)
            .map(|i| {
                let i = i as u32;
                // Word 0 is rare (every 25th essay), read first; in most of those its weight
                // rounds to 0 steps. Words 1 to 40 are shared widely.
                let mut words: Vec<(u32, f64)> = vec![
                    (1 + i % 40, 1.0),
                    (1 + (i / 3) % 40, 0.7),
                    (1 + (i / 7) % 40, 0.4),
                ];
                if i % 25 == 0 {
                    words.push((0, if i % 50 == 0 { 1e-6 } else { 0.8 }));
                }
                words.sort_by_key(|w| w.0);
                words.dedup_by_key(|w| w.0);
                normalised(&words)
            })
            .collect();
        assert!(v
            .iter()
            .any(|x| x.iter().any(|&(id, w)| id == 0 && w < 1.0 / 65_535.0)));
        let s = compare(&v.iter().cloned().collect(), None, false, Search::exact());
        for i in 0..n {
            let found = neighbours_of(&s, i);
            let mut ids: Vec<u32> = found.iter().map(|p| p.0).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), found.len(), "essay {i}: {found:?}");
            assert_eq!(found, brute_force(&v, i), "essay {i}");
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
        let s = compare(&v.iter().cloned().collect(), None, false, Search::exact());
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
        let s = compare(&v.iter().cloned().collect(), None, false, Search::exact());
        assert!(s.all_pairs);
        assert_eq!(s.pairs.len(), 3);
        let (best, c) = s.nearest[0].unwrap();
        assert_eq!(best, 2);
        assert!((c - 1.0).abs() < 1e-7);
        assert_eq!(s.nearest[1].unwrap().0, 0);
    }
}

//! Spherical k-means (Dhillon & Modha 2001): the clusters of a corpus past the all-pairs limit,
//! where average linkage would need every pair.
//!
//! Each essay goes to the centroid its TF-IDF vector has the largest cosine with; a centroid is
//! the normalised sum of its essays' vectors. The start is a fixed sample of essays (chosen by
//! a hash of their position) clustered as a small corpus is: average linkage over all its
//! pairs, cut at the k of best silhouette (or the k asked for). Its clusters' centroids start
//! Lloyd's rounds on the whole corpus. Nothing is random, so the same corpus always gives the
//! same clusters.

use rayon::prelude::*;

use super::{
    all_pairs, cluster, dimensions, hashed_sample, ClusterMethod, Clusters, VectorRef, Vectors,
};

/// Essays in the sample k is chosen on (all 499,500 of their pairs are compared, as for a
/// corpus at the all-pairs limit).
pub const SAMPLE: usize = 1000;
/// Rounds of assignment and update on the whole corpus, at most.
const ROUNDS: usize = 10;

/// Dense centroids, word-major: `values[id * k + c]` is centroid c's weight of word `id`.
struct Centroids {
    k: usize,
    values: Vec<f64>,
}

pub(super) fn clusters(vectors: &Vectors, k: Option<usize>) -> Clusters {
    let n = vectors.len();
    let dims = dimensions(vectors);
    let m = n.min(SAMPLE);
    let chosen = hashed_sample(n, m);
    let sample: Vectors = chosen.iter().map(|&i| vectors.get(i).to_vec()).collect();
    let mut distances: Vec<f64> = all_pairs(&sample)
        .iter()
        .map(|&(_, _, c)| (1.0 - c).max(0.0))
        .collect();
    let start = cluster(&mut distances, m, k);
    let k = start.k;
    let mut values = vec![0.0; dims * k];
    for (vector, &label) in sample.iter().zip(&start.label) {
        for (id, w) in vector.iter() {
            values[id as usize * k + label as usize - 1] += f64::from(w);
        }
    }
    normalise_columns(&mut values, k, &[]);
    let labels = lloyd(vectors, Centroids { k, values });
    // Clusters numbered by their first essay, essays ordered by cluster then corpus order.
    let mut names = vec![0u32; k];
    let mut next = 0;
    let label: Vec<u32> = labels
        .iter()
        .map(|&l| {
            if names[l as usize] == 0 {
                next += 1;
                names[l as usize] = next;
            }
            names[l as usize]
        })
        .collect();
    let mut by_cluster: Vec<usize> = (0..n).collect();
    by_cluster.sort_by_key(|&i| (label[i], i));
    let mut order = vec![0u32; n];
    for (place, &essay) in by_cluster.iter().enumerate() {
        order[essay] = place as u32 + 1;
    }
    Clusters {
        method: ClusterMethod::SphericalKMeans,
        k: next as usize,
        silhouette: start.silhouette,
        label,
        order,
        merges: Vec::new(),
    }
}

/// Scales each centroid (column c of the word-major `values`) to length 1. A centroid of no
/// weight (a cluster with no member, or only members without words) takes its old values from
/// `keep`, (column, its values by word), if it is there.
fn normalise_columns(values: &mut [f64], k: usize, keep: &[(usize, Vec<f64>)]) {
    let mut norms = vec![0.0f64; k];
    for row in values.chunks(k) {
        for (n, &x) in norms.iter_mut().zip(row) {
            *n += x * x;
        }
    }
    for row in values.chunks_mut(k) {
        for c in 0..k {
            if norms[c] != 0.0 {
                row[c] /= norms[c].sqrt();
            }
        }
    }
    for (c, old) in keep {
        if norms[*c] == 0.0 {
            for (row, &x) in values.chunks_mut(k).zip(old) {
                row[*c] = x;
            }
        }
    }
}

/// The centroid each essay is closest to (largest dot product, lowest centroid on ties; an
/// essay without words goes to the first).
fn assign(vector: VectorRef<'_>, centroids: &Centroids, dots: &mut Vec<f64>) -> u32 {
    let k = centroids.k;
    dots.clear();
    dots.resize(k, 0.0);
    for (id, w) in vector.iter() {
        let row = &centroids.values[id as usize * k..id as usize * k + k];
        let w = f64::from(w);
        for (d, &c) in dots.iter_mut().zip(row) {
            *d += w * c;
        }
    }
    let mut best = 0;
    for c in 1..k {
        if dots[c] > dots[best] {
            best = c;
        }
    }
    best as u32
}

/// Lloyd's rounds: assign every essay, move every centroid to the normalised sum of its essays
/// (an empty cluster keeps its centroid), until no essay changes cluster or [`ROUNDS`] are done.
fn lloyd(vectors: &Vectors, mut centroids: Centroids) -> Vec<u32> {
    let k = centroids.k;
    let mut labels: Vec<u32> = Vec::new();
    for _ in 0..ROUNDS {
        let new: Vec<u32> = (0..vectors.len())
            .into_par_iter()
            .map_init(Vec::new, |dots, i| assign(vectors.get(i), &centroids, dots))
            .collect();
        if new == labels {
            break;
        }
        labels = new;
        // A cluster none of whose members has a word keeps its centroid: only those columns
        // are kept aside, and the sums are made in the centroids' own room (a second array
        // of k × the vocabulary was the peak of a 50 MB run: 24 MB).
        let mut has_words = vec![false; k];
        for (vector, &c) in vectors.iter().zip(&labels) {
            has_words[c as usize] |= !vector.is_empty();
        }
        let values = &mut centroids.values;
        let keep: Vec<(usize, Vec<f64>)> = (0..k)
            .filter(|&c| !has_words[c])
            .map(|c| (c, values.iter().skip(c).step_by(k).copied().collect()))
            .collect();
        values.fill(0.0);
        // Summed in corpus order on one thread, so the centroids never depend on the pool.
        for (vector, &c) in vectors.iter().zip(&labels) {
            for (id, w) in vector.iter() {
                values[id as usize * k + c as usize] += f64::from(w);
            }
        }
        normalise_columns(values, k, &keep);
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::similarity::Vector;

    fn normalised(v: &[(u32, f64)]) -> Vector {
        super::super::normalised(v.to_vec())
    }

    #[test]
    fn a_centroid_of_no_weight_keeps_its_old_values() {
        // Two words, three centroids (word-major): centroid 0 is (3, 4), centroid 1 has no
        // weight and was (0.6, 0.8), centroid 2 has no weight and nothing kept.
        let mut values = vec![3.0, 0.0, 0.0, 4.0, 0.0, 0.0];
        normalise_columns(&mut values, 3, &[(1, vec![0.6, 0.8])]);
        assert_eq!(values, [0.6, 0.6, 0.0, 0.8, 0.8, 0.0]);
    }

    // Three topics, each a block of ten words no other topic uses: every essay uses five
    // words of its topic's block, drawn by a fixed generator, with weights 1 to 3. Essays of one
    // topic share half their words on average, essays of two topics none: k-means must find
    // exactly the three topics, and silhouette must choose k = 3.
    #[test]
    fn three_separate_topics_are_three_clusters() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let vectors: Vec<Vector> = (0..3000u32)
            .map(|i| {
                let topic = i % 3;
                let mut words: Vec<(u32, f64)> = Vec::new();
                while words.len() < 5 {
                    let id = topic * 10 + (next() % 10) as u32;
                    if !words.iter().any(|w| w.0 == id) {
                        words.push((id, 1.0 + (next() % 3) as f64));
                    }
                }
                words.sort_by_key(|w| w.0);
                normalised(&words)
            })
            .collect();
        let c = clusters(&vectors.iter().cloned().collect(), None);
        assert_eq!(c.method, ClusterMethod::SphericalKMeans);
        assert_eq!(c.k, 3);
        // Numbered by first essay: essays 0, 1, 2 open clusters 1, 2, 3.
        for (i, &l) in c.label.iter().enumerate() {
            assert_eq!(l, i as u32 % 3 + 1, "essay {i}");
        }
        let mut order = c.order.clone();
        order.sort();
        assert_eq!(order, (1..=3000).collect::<Vec<u32>>());
        assert!(c.order[0] < c.order[3] && c.order[3] < c.order[1]);
        let forced = clusters(&vectors.iter().cloned().collect(), Some(2));
        assert_eq!(forced.k, 2);
        assert!(c.silhouette > forced.silhouette && forced.silhouette > 0.0);
    }
}

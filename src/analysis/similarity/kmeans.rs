//! Spherical k-means (Dhillon & Modha 2001): the clusters of a corpus past the all-pairs limit,
//! where average linkage would need every pair.
//!
//! Each essay goes to the centroid its TF-IDF vector has the largest cosine with; a centroid is
//! the normalised sum of its essays' vectors. k is chosen as for average linkage, by mean
//! silhouette, but on a fixed sample of essays spread evenly through the corpus, whose pairs are
//! all compared; the whole corpus then starts from the chosen sample's centroids. Seeding is
//! k-means++ (Arthur & Vassilvitskii 2007) driven by a fixed xorshift generator, so that the
//! same corpus always gives the same clusters.

use rayon::prelude::*;

use super::{all_pairs, cosine, silhouette, ClusterMethod, Clusters, Vector, MAX_K};

/// Essays in the sample k is chosen on (all 1,999,000 of their pairs are compared).
pub const SAMPLE: usize = 2000;
/// Seedings tried for each k on the sample.
const SEEDINGS: u64 = 5;
/// Rounds of assignment and update on the sample, and on the whole corpus.
const SAMPLE_ROUNDS: usize = 30;
const CORPUS_ROUNDS: usize = 10;

/// Dense centroids, word-major: `values[id * k + c]` is centroid c's weight of word `id`.
#[derive(Clone)]
struct Centroids {
    k: usize,
    values: Vec<f64>,
}

pub(super) fn clusters(vectors: &[Vector], k: Option<usize>) -> Clusters {
    let n = vectors.len();
    let dims = vectors
        .iter()
        .flat_map(|v| v.last())
        .map(|&(id, _)| id as usize + 1)
        .max()
        .unwrap_or(0);
    let m = n.min(SAMPLE);
    // The sample: the essays of the m smallest hashes of their index, so that it cannot fall
    // in step with a period of the corpus as every (n/m)-th essay would.
    let mut chosen: Vec<usize> = (0..n).collect();
    chosen.sort_by_key(|&i| mix(i as u64));
    chosen.truncate(m);
    chosen.sort_unstable();
    let sample: Vec<Vector> = chosen.iter().map(|&i| vectors[i].clone()).collect();
    let pairs = all_pairs(&sample);
    let distance = |a: usize, b: usize| {
        if a == b {
            return 0.0;
        }
        let (i, j) = (a.min(b), a.max(b));
        (1.0 - pairs[m * i - i * (i + 1) / 2 + (j - i - 1)].2).max(0.0)
    };
    let tried: Vec<usize> = match k {
        Some(k) => vec![k.clamp(1, n.min(m))],
        None => (2..=MAX_K.min(m.saturating_sub(1))).collect(),
    };
    // As with average linkage, a split must have a positive silhouette to beat one cluster.
    let mut best = (1, seed(&sample, 1, dims, 0), 0.0);
    for (position, &k) in tried.iter().enumerate() {
        // Lloyd's rounds cannot undo two seeds in one cluster: of several seedings, the one whose
        // essays lie closest to their centroids (largest summed cosine) is kept.
        let (labels, centroids) = (0..SEEDINGS)
            .map(|attempt| lloyd(&sample, seed(&sample, k, dims, attempt), SAMPLE_ROUNDS))
            .map(|(labels, centroids)| {
                let fit = cohesion(&sample, &labels, &centroids);
                (fit, labels, centroids)
            })
            .reduce(|best, next| if next.0 > best.0 { next } else { best })
            .map(|(_, labels, centroids)| (labels, centroids))
            .expect("at least one seeding");
        let one_based: Vec<u32> = labels.iter().map(|&l| l + 1).collect();
        let s = silhouette(&one_based, k, m, &distance);
        if s > best.2 || (position == 0 && tried.len() == 1) {
            best = (k, centroids, s);
        }
    }
    let (k, centroids, silhouette) = best;
    let (labels, _) = lloyd(vectors, centroids, CORPUS_ROUNDS);
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
        silhouette,
        label,
        order,
        merges: Vec::new(),
    }
}

/// k-means++ seeding: the first centroid is an essay picked by the generator, each next one an
/// essay picked with probability proportional to its distance (1 − cosine) from the nearest
/// centroid so far.
fn seed(sample: &[Vector], k: usize, dims: usize, attempt: u64) -> Centroids {
    let mut state = 0x2545_F491_4F6C_DD1Du64 ^ mix(attempt);
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let m = sample.len();
    let mut chosen = vec![((uniform() * m as f64) as usize).min(m - 1)];
    let mut gap: Vec<f64> = sample
        .iter()
        .map(|v| 1.0 - cosine(v, &sample[chosen[0]]))
        .collect();
    while chosen.len() < k {
        let total: f64 = gap.iter().sum();
        let next = if total > 0.0 {
            let mut x = uniform() * total;
            let mut pick = m - 1;
            for (i, &g) in gap.iter().enumerate() {
                if x < g {
                    pick = i;
                    break;
                }
                x -= g;
            }
            pick
        } else {
            // Every essay sits on a centroid already: take the next unused one.
            (0..m).find(|i| !chosen.contains(i)).unwrap_or(0)
        };
        chosen.push(next);
        for (g, v) in gap.iter_mut().zip(sample) {
            *g = g.min(1.0 - cosine(v, &sample[next]));
        }
    }
    let mut values = vec![0.0; dims * k];
    for (c, &essay) in chosen.iter().enumerate() {
        for &(id, w) in &sample[essay] {
            values[id as usize * k + c] = w;
        }
    }
    Centroids { k, values }
}

/// The summed cosine of the essays with their centroids: what spherical k-means maximises.
fn cohesion(vectors: &[Vector], labels: &[u32], centroids: &Centroids) -> f64 {
    let k = centroids.k;
    vectors
        .iter()
        .zip(labels)
        .map(|(v, &c)| {
            v.iter()
                .map(|&(id, w)| w * centroids.values[id as usize * k + c as usize])
                .sum::<f64>()
        })
        .sum()
}

/// splitmix64's finaliser (Steele, Lea & Flood 2014), to spread the seeding's attempt number.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The centroid each essay is closest to (largest dot product, lowest centroid on ties; an
/// essay without words goes to the first).
fn assign(vector: &Vector, centroids: &Centroids, dots: &mut Vec<f64>) -> u32 {
    let k = centroids.k;
    dots.clear();
    dots.resize(k, 0.0);
    for &(id, w) in vector {
        let row = &centroids.values[id as usize * k..id as usize * k + k];
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
/// (an empty cluster keeps its centroid), until no essay changes cluster or `rounds` are done.
fn lloyd(vectors: &[Vector], mut centroids: Centroids, rounds: usize) -> (Vec<u32>, Centroids) {
    let k = centroids.k;
    let mut labels: Vec<u32> = Vec::new();
    for _ in 0..rounds {
        let new: Vec<u32> = vectors
            .par_iter()
            .map_init(Vec::new, |dots, v| assign(v, &centroids, dots))
            .collect();
        if new == labels {
            break;
        }
        labels = new;
        // Summed in corpus order on one thread, so the centroids never depend on the pool.
        let mut sums = vec![0.0; centroids.values.len()];
        let mut members = vec![0usize; k];
        for (vector, &c) in vectors.iter().zip(&labels) {
            members[c as usize] += 1;
            for &(id, w) in vector {
                sums[id as usize * k + c as usize] += w;
            }
        }
        let mut norms = vec![0.0f64; k];
        for row in sums.chunks(k) {
            for (n, &x) in norms.iter_mut().zip(row) {
                *n += x * x;
            }
        }
        for row in sums.chunks_mut(k).zip(centroids.values.chunks(k)) {
            let (new, old) = row;
            for c in 0..k {
                if members[c] == 0 || norms[c] == 0.0 {
                    new[c] = old[c];
                } else {
                    new[c] /= norms[c].sqrt();
                }
            }
        }
        centroids.values = sums;
    }
    (labels, centroids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(v: &[(u32, f64)]) -> Vector {
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        v.iter().map(|&(i, x)| (i, x / norm)).collect()
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
        let c = clusters(&vectors, None);
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
        let forced = clusters(&vectors, Some(2));
        assert_eq!(forced.k, 2);
        assert!(c.silhouette > forced.silhouette && forced.silhouette > 0.0);
    }
}

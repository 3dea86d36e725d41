//! How evenly a word (or n-gram) is spread over the essays, with essays as the corpus parts
//! weighted by their size.
//!
//! Definitions, as in Gries (2008, "Dispersions and adjusted frequencies in corpora", IJCL
//! 13(4): 403–437), with the correction of Lijffijt & Gries (2012, IJCL 17(1): 147–149), and as
//! the R package tlda (Sönning) computes them. With `k` parts of sizes `W_i` (their shares
//! `w_i = W_i / ΣW`), an item's subfrequencies `T_i` (total `f`, shares `t_i = T_i / f`) and
//! normalised subfrequencies `R_i = T_i / W_i`:
//!
//! - Juilland's D = 1 − sd(R) / (mean(R) · √(k − 1)), sd the population standard deviation:
//!   1 is perfectly even, 0 all in one part. Undefined for one part.
//! - Gries's DP = Σ|t_i − w_i| / 2: 0 is spread as the parts' sizes, near 1 all in one small part
//!   (Gries's direction: higher is less even).
//! - DPnorm = DP / (1 − min w_i), which reaches 1 (Lijffijt & Gries 2012).
//!
//! Both need only sums over the parts that hold the item, so they are accumulated in one pass
//! over the per-essay counts, in corpus order (the same sums whatever the thread count).

/// The corpus parts: their number, total size and smallest size. Parts of size 0 are not parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parts {
    pub count: u64,
    pub total: u64,
    pub smallest: u64,
}

impl Parts {
    pub fn of(sizes: impl IntoIterator<Item = u64>) -> Parts {
        let mut parts = Parts {
            count: 0,
            total: 0,
            smallest: u64::MAX,
        };
        for size in sizes.into_iter().filter(|&s| s > 0) {
            parts.count += 1;
            parts.total += size;
            parts.smallest = parts.smallest.min(size);
        }
        parts
    }
}

/// The dispersion of one item.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Dispersion {
    /// Juilland's D, `None` with fewer than two parts.
    pub juilland_d: Option<f64>,
    pub dp: f64,
    /// `None` with one part (1 − min w_i is 0: DPnorm is 0/0).
    pub dp_norm: Option<f64>,
}

/// The sums over the parts that hold an item. `add` must see the item's parts in the same
/// order every run for the figures to be byte-identical.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sums {
    /// Σ R_i and Σ R_i² with R_i in occurrences per part size.
    r: f64,
    r2: f64,
    /// Σ |t_i − w_i| and Σ w_i over the parts that hold the item.
    deviation: f64,
    weight: f64,
}

impl Sums {
    /// Adds a part of `size` holding `count` of the item's `total` occurrences.
    pub fn add(&mut self, count: u64, size: u64, total: u64, parts: &Parts) {
        if size == 0 || count == 0 {
            return;
        }
        let r = count as f64 / size as f64;
        self.r += r;
        self.r2 += r * r;
        let w = size as f64 / parts.total as f64;
        self.deviation += (count as f64 / total as f64 - w).abs();
        self.weight += w;
    }

    pub fn finish(&self, parts: &Parts) -> Dispersion {
        let k = parts.count as f64;
        // The parts without the item each add w_i to Σ|t_i − w_i|: together 1 − Σ w_i (held).
        let dp = ((self.deviation + (1.0 - self.weight).max(0.0)) / 2.0).clamp(0.0, 1.0);
        let smallest = if parts.count == 0 {
            0.0
        } else {
            parts.smallest as f64 / parts.total as f64
        };
        let dp_norm = (smallest < 1.0).then(|| (dp / (1.0 - smallest)).min(1.0));
        let juilland_d = (parts.count >= 2 && self.r > 0.0).then(|| {
            let mean = self.r / k;
            let variance = (self.r2 / k - mean * mean).max(0.0);
            (1.0 - variance.sqrt() / (mean * (k - 1.0).sqrt())).clamp(0.0, 1.0)
        });
        Dispersion {
            juilland_d,
            dp,
            dp_norm,
        }
    }
}

/// The dispersion of an item with `counts[i]` occurrences in a part of `sizes[i]`.
pub fn of(counts: &[u64], sizes: &[u64]) -> Dispersion {
    let parts = Parts::of(sizes.iter().copied());
    let total = counts.iter().sum();
    let mut sums = Sums::default();
    for (&count, &size) in counts.iter().zip(sizes) {
        sums.add(count, size, total, &parts);
    }
    sums.finish(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() < tolerance
    }

    /// Gries (2008: 415) works DP on a corpus of 50 words in five parts of 9, 10, 10, 10 and 11
    /// words, with an item occurring 1, 2, 3, 4 and 5 times in them: DP = 0.18.
    #[test]
    fn gries_worked_example() {
        let d = of(&[1, 2, 3, 4, 5], &[9, 10, 10, 10, 11]);
        assert!(close(d.dp, 0.18, 1e-12), "{d:?}");
        // DPnorm divides by 1 − 9/50.
        assert!(close(d.dp_norm.unwrap(), 0.18 / 0.82, 1e-12), "{d:?}");
        // By hand: R = 1/9, 2/10, 3/10, 4/10, 5/11; mean 0.293131…, population sd 0.125958…,
        // D = 1 − 0.125958 / (0.293131 · 2) = 0.785150…
        let r = [1.0 / 9.0, 0.2, 0.3, 0.4, 5.0 / 11.0];
        let mean = r.iter().sum::<f64>() / 5.0;
        let sd = (r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 5.0).sqrt();
        assert!(close(d.juilland_d.unwrap(), 1.0 - sd / (mean * 2.0), 1e-12));
        assert!(close(d.juilland_d.unwrap(), 0.785150, 1e-6), "{d:?}");
    }

    /// Lyne's (1985) ALLEMAND over ten parts, as tlda's README gives it (Gries's direction):
    /// D = 0.6038797 (conventional) and DP = 0.4990705.
    #[test]
    fn lyne_allemand_as_tlda() {
        let counts = [2, 0, 1, 1, 3, 0, 3, 0, 0, 0];
        let sizes = [8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930];
        let d = of(&counts, &sizes);
        assert!(close(d.juilland_d.unwrap(), 0.6038797, 5e-8), "{d:?}");
        assert!(close(d.dp, 0.4990705, 5e-8), "{d:?}");
    }

    #[test]
    fn extremes() {
        // Spread as the parts' sizes: perfectly even.
        let even = of(&[2, 4, 6], &[100, 200, 300]);
        assert!(close(even.dp, 0.0, 1e-12) && close(even.juilland_d.unwrap(), 1.0, 1e-12));
        // All in one part of a thousand equal parts: DP = 1 − 1/1000, DPnorm = 1, D = 0.
        let mut counts = vec![0; 1000];
        counts[7] = 50;
        let one = of(&counts, &[100; 1000]);
        assert!(close(one.dp, 0.999, 1e-12) && close(one.dp_norm.unwrap(), 1.0, 1e-12));
        assert!(close(one.juilland_d.unwrap(), 0.0, 1e-12), "{one:?}");
        // One part: D is undefined.
        assert_eq!(of(&[3], &[10]).juilland_d, None);
    }
}

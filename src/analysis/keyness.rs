//! Keyness: how much more (or less) often a word occurs in a target text than in a reference.

use rustc_hash::FxHashMap;

/// The figures of one word's keyness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyness {
    /// Log-likelihood G², 4-cell form.
    pub g2: f64,
    /// p-value of G² against the χ² distribution with one degree of freedom.
    pub p: f64,
    /// Effect size: log₂ of the ratio of relative frequencies, 0.5 added to a zero frequency
    /// (Hardie 2014).
    pub log_ratio: f64,
    /// Its 95% confidence interval: the Wald interval of the log of a ratio of two Poisson
    /// rates, ln(ratio) ± 1.96 · √(1/a + 1/b) (the same 0.5 for a zero count), in log₂. A word
    /// seen once against never, in corpora of equal size, is "twice as frequent" (log ratio 1)
    /// with an interval from −3.9 to 5.9: its sign is not known.
    pub log_ratio_low: f64,
    pub log_ratio_high: f64,
}

/// The two-sided 95% quantile of the standard normal distribution.
const Z_95: f64 = 1.959_963_984_540_054;

impl Keyness {
    /// A word `a` times in a target of `c` words and `b` times in a reference of `d` words.
    ///
    /// G² = 2 Σ O ln(O / E) over the four cells of the contingency table (word / other words ×
    /// target / reference), E = row total × column total / N (Dunning 1993; the 4-cell form of
    /// Rayson & Garside 2000's log-likelihood). Cells with O = 0 add nothing.
    pub fn of(a: u64, b: u64, c: u64, d: u64) -> Keyness {
        let n = (c + d) as f64;
        if n == 0.0 || a > c || b > d {
            return Keyness {
                g2: 0.0,
                p: 1.0,
                log_ratio: 0.0,
                log_ratio_low: 0.0,
                log_ratio_high: 0.0,
            };
        }
        let g2 = Self::g2(a, b, c, d);
        let relative = |x: u64, total: u64| {
            if total == 0 {
                0.0
            } else {
                (if x == 0 { 0.5 } else { x as f64 }) / total as f64
            }
        };
        let log_ratio = if c == 0 || d == 0 {
            0.0
        } else {
            (relative(a, c) / relative(b, d)).log2()
        };
        let at_least_half = |x: u64| if x == 0 { 0.5 } else { x as f64 };
        let half_width = if c == 0 || d == 0 {
            0.0
        } else {
            Z_95 * (1.0 / at_least_half(a) + 1.0 / at_least_half(b)).sqrt() / std::f64::consts::LN_2
        };
        Keyness {
            g2,
            p: chi2_1_survival(g2),
            log_ratio,
            log_ratio_low: log_ratio - half_width,
            log_ratio_high: log_ratio + half_width,
        }
    }

    /// G² alone, as [`Keyness::of`] computes it (0 where it has no table): the corpus keywords
    /// of every essay need no more, and the p-value's series and the log ratio's interval
    /// cost more than G² itself.
    pub fn g2(a: u64, b: u64, c: u64, d: u64) -> f64 {
        let n = (c + d) as f64;
        if n == 0.0 || a > c || b > d {
            return 0.0;
        }
        let cells = [
            (a, a + b, c),
            (b, a + b, d),
            (c - a, n as u64 - a - b, c),
            (d - b, n as u64 - a - b, d),
        ];
        let g2 = 2.0
            * cells
                .iter()
                .filter(|&&(o, _, _)| o > 0)
                .map(|&(o, row, col)| {
                    let expected = row as f64 * col as f64 / n;
                    o as f64 * (o as f64 / expected).ln()
                })
                .sum::<f64>();
        g2.max(0.0)
    }

    /// Whether the word is relatively more frequent in the target.
    pub fn positive(a: u64, b: u64, c: u64, d: u64) -> bool {
        // a/c > b/d without division.
        u128::from(a) * u128::from(d) > u128::from(b) * u128::from(c)
    }
}

/// Word counts of one side of a comparison.
#[derive(Debug, Clone, Default)]
pub struct WordCounts {
    pub counts: FxHashMap<String, u64>,
    pub total: u64,
}

/// One word of a keyness comparison: `a` times in a target of `c` words, `b` times in a
/// reference of `d` words.
#[derive(Debug, Clone)]
pub struct KeynessRow {
    pub word: String,
    /// Relatively more frequent in the target.
    pub positive: bool,
    pub a: u64,
    pub b: u64,
    pub c: u64,
    pub d: u64,
    pub keyness: Keyness,
}

/// Which words a keyness comparison keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// Largest p-value kept.
    pub max_p: f64,
    /// Divide `max_p` by the number of words tested (Bonferroni's correction for testing
    /// every word of the two corpora at once).
    pub bonferroni: bool,
    /// Words seen fewer times than this in the two corpora together are not tested.
    pub min_freq: u64,
}

impl Threshold {
    /// p ≤ `max_p`, no correction, every word tested.
    pub fn p(max_p: f64) -> Self {
        Threshold {
            max_p,
            bonferroni: false,
            min_freq: 1,
        }
    }
}

/// Every word of either side seen at least `min_freq` times in both together whose keyness
/// reaches the threshold: positive ones (relatively more frequent in the target) first, each
/// direction by G² descending, then by word. Returns the rows and the p-value used.
pub fn key_words(
    target: &WordCounts,
    reference: &WordCounts,
    threshold: Threshold,
) -> (Vec<KeynessRow>, f64) {
    let (c, d) = (target.total, reference.total);
    let mut words: Vec<&String> = target
        .counts
        .keys()
        .chain(reference.counts.keys())
        .collect();
    words.sort_unstable();
    words.dedup();
    let count = |side: &WordCounts, word: &String| side.counts.get(word).copied().unwrap_or(0);
    words.retain(|w| count(target, w) + count(reference, w) >= threshold.min_freq.max(1));
    let max_p = if threshold.bonferroni && !words.is_empty() {
        threshold.max_p / words.len() as f64
    } else {
        threshold.max_p
    };
    let mut rows: Vec<KeynessRow> = words
        .into_iter()
        .filter_map(|word| {
            let a = target.counts.get(word).copied().unwrap_or(0);
            let b = reference.counts.get(word).copied().unwrap_or(0);
            let positive = Keyness::positive(a, b, c, d);
            if !positive && !Keyness::positive(b, a, d, c) {
                return None;
            }
            let keyness = Keyness::of(a, b, c, d);
            (keyness.p <= max_p).then(|| KeynessRow {
                word: word.clone(),
                positive,
                a,
                b,
                c,
                d,
                keyness,
            })
        })
        .collect();
    rows.sort_by(|x, y| {
        y.positive
            .cmp(&x.positive)
            .then(y.keyness.g2.total_cmp(&x.keyness.g2))
            .then(x.word.cmp(&y.word))
    });
    (rows, max_p)
}

/// P(χ²₁ > x) = erfc(√(x/2)).
pub fn chi2_1_survival(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else {
        erfc((x / 2.0).sqrt())
    }
}

/// The complementary error function by the Chebyshev-based approximation of Numerical Recipes
/// in C (Press et al., 2nd ed., 1992, §6.2, function `erfcc`): fractional error below 1.2e-7
/// everywhere, ample for p-values.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.26551223
        + t * (1.00002368
            + t * (0.37409196
                + t * (0.09678418
                    + t * (-0.18628806
                        + t * (0.27886807
                            + t * (-1.13520398
                                + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    let result = t * poly.exp();
    if x >= 0.0 {
        result
    } else {
        2.0 - result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A word 10 times in 1,000 target words and 10 times in 9,000 reference words.
    // Cells: O = 10, 10, 990, 8990; E = 20·1000/10000 = 2, 20·9000/10000 = 18, 9980·1000/10000
    // = 998, 9980·9000/10000 = 8982.
    // G² = 2(10 ln 5 + 10 ln(10/18) + 990 ln(990/998) + 8990 ln(8990/8982))
    //    = 2(16.0944 − 5.8779 − 7.9679 + 8.0036) = 20.5044 (worked by hand).
    #[test]
    fn g2_by_hand() {
        let k = Keyness::of(10, 10, 1000, 9000);
        assert!((k.g2 - 20.5044).abs() < 1e-3, "{}", k.g2);
        // log2((10/1000) / (10/9000)) = log2 9.
        assert!((k.log_ratio - 9f64.log2()).abs() < 1e-12);
        assert!(k.p < 1e-5);
        assert!(Keyness::positive(10, 10, 1000, 9000));
        assert!(!Keyness::positive(1, 10, 1000, 9000));
    }

    #[test]
    fn log_ratio_interval() {
        // ln 9 ± 1.96 √(1/10 + 1/10), in log₂: 3.1699 ± 1.96 · 0.44721 / 0.69315 = ± 1.26455.
        let k = Keyness::of(10, 10, 1000, 9000);
        let half = Z_95 * 0.2f64.sqrt() / std::f64::consts::LN_2;
        assert!((half - 1.26455).abs() < 1e-4, "{half}");
        assert!((k.log_ratio_low - (9f64.log2() - half)).abs() < 1e-12);
        assert!((k.log_ratio_high - (9f64.log2() + half)).abs() < 1e-12);
        // Once against never, in equal corpora: log₂(1 / 0.5) = 1 ± 1.96 √3 / ln 2 = ±4.90.
        let k = Keyness::of(1, 0, 1000, 1000);
        assert!(k.log_ratio_low < 0.0 && k.log_ratio_high > 0.0);
        assert!((k.log_ratio_high - k.log_ratio - Z_95 * 3f64.sqrt() / 2f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn thresholds() {
        let side = |pairs: &[(&str, u64)], total| WordCounts {
            counts: pairs.iter().map(|&(w, c)| (w.to_owned(), c)).collect(),
            total,
        };
        let target = side(&[("甲", 40), ("乙", 4), ("丙", 30)], 1000);
        let reference = side(&[("甲", 10), ("丙", 30)], 1000);
        // 乙 4 against 0: G² = 8 ln 2 = 5.55, p = 0.018; under --min-freq 5 it is not tested.
        let (all, p) = key_words(&target, &reference, Threshold::p(0.05));
        assert_eq!(p, 0.05);
        assert!(all.iter().any(|r| r.word == "乙"));
        let strict = Threshold {
            min_freq: 5,
            ..Threshold::p(0.05)
        };
        let (rows, _) = key_words(&target, &reference, strict);
        assert!(rows.iter().all(|r| r.word != "乙"));
        // Bonferroni over the three words tested: p ≤ 0.05 / 3.
        let (rows, p) = key_words(
            &target,
            &reference,
            Threshold {
                bonferroni: true,
                ..Threshold::p(0.05)
            },
        );
        assert!((p - 0.05 / 3.0).abs() < 1e-15);
        assert_eq!(
            rows.iter().map(|r| r.word.as_str()).collect::<Vec<_>>(),
            ["甲"]
        );
    }

    #[test]
    fn p_values_of_known_critical_values() {
        // χ²₁ critical values: 3.841 at p = 0.05, 6.635 at 0.01, 10.828 at 0.001.
        assert!((chi2_1_survival(3.841) - 0.05).abs() < 1e-4);
        assert!((chi2_1_survival(6.635) - 0.01).abs() < 1e-4);
        assert!((chi2_1_survival(10.828) - 0.001).abs() < 1e-5);
        assert_eq!(chi2_1_survival(0.0), 1.0);
    }

    #[test]
    fn degenerate_tables_give_zero() {
        assert_eq!(Keyness::of(0, 0, 0, 0).g2, 0.0);
        let k = Keyness::of(5, 0, 100, 100);
        assert!(k.g2 > 0.0 && k.g2.is_finite() && k.log_ratio.is_finite());
    }
}

//! Spearman's rank correlation and its p-value, for setting a numeric metadata column (a score,
//! a grade) against the structure figures of the essays (`correlations.csv`).
//!
//! ρ is Pearson's correlation of the ranks, ties taking the mean of the ranks they span
//! (Spearman 1904; the definition of `scipy.stats.spearmanr`). The two-sided p-value is that of
//! t = ρ √((n − 2) / (1 − ρ²)) under Student's t with n − 2 degrees of freedom, as scipy
//! computes it: p = I_{ν/(ν+t²)}(ν/2, 1/2), with the regularised incomplete beta function I
//! evaluated by its continued fraction (DLMF 8.17.22, with Lentz's algorithm as in Press et
//! al., Numerical Recipes, 3rd ed., §6.4) and ln Γ by Lanczos's approximation (g = 7, nine
//! coefficients; Numerical Recipes §6.1).

/// ρ and its two-sided p-value for paired observations; `None` when fewer than three pairs or
/// either side is constant (ρ is undefined).
pub fn spearman(xs: &[f64], ys: &[f64]) -> Option<(f64, f64)> {
    assert_eq!(xs.len(), ys.len());
    let n = xs.len();
    if n < 3 {
        return None;
    }
    let rho = pearson(&ranks(xs), &ranks(ys))?;
    let rho = rho.clamp(-1.0, 1.0);
    let df = (n - 2) as f64;
    let p = if 1.0 - rho.abs() < 1e-15 {
        0.0
    } else {
        let t2 = rho * rho * df / (1.0 - rho * rho);
        beta_regularized(df / 2.0, 0.5, df / (df + t2))
    };
    Some((rho, p.clamp(0.0, 1.0)))
}

/// Ranks from 1, ties given the mean of the ranks they take.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1 ..= end: their mean.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularised incomplete beta function I_x(a, b).
pub fn beta_regularized(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The continued fraction converges fast for x < (a + 1) / (a + b + 2); else by symmetry.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let nonzero = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / nonzero(1.0 - qab * x / qap);
    let mut h = d;
    // One step of Lentz's algorithm with the coefficient `aa`: the factor h is multiplied by.
    let mut step = |aa: f64| {
        d = 1.0 / nonzero(1.0 + aa * d);
        c = nonzero(1.0 + aa / c);
        d * c
    };
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let last = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= last;
        if (last - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties() {
        assert_eq!(ranks(&[10.0, 30.0, 20.0, 20.0]), [1.0, 4.0, 2.5, 2.5]);
    }

    #[test]
    fn rho_by_the_textbook_formula_without_ties() {
        // Without ties ρ = 1 − 6 Σd² / (n (n² − 1)).
        let xs = [
            86.0, 97.0, 99.0, 100.0, 101.0, 103.0, 106.0, 110.0, 112.0, 113.0,
        ];
        let ys = [2.0, 20.0, 28.0, 27.0, 50.0, 29.0, 7.0, 17.0, 6.0, 12.0];
        let (rx, ry) = (ranks(&xs), ranks(&ys));
        let d2: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - b) * (a - b)).sum();
        let n = xs.len() as f64;
        let (rho, p) = spearman(&xs, &ys).unwrap();
        assert!((rho - (1.0 - 6.0 * d2 / (n * (n * n - 1.0)))).abs() < 1e-12);
        assert!((rho + 29.0 / 165.0).abs() < 1e-12);
        // scipy.stats.spearmanr(xs, ys).pvalue (scipy 1.17.1).
        assert!((p - 0.627_188_344_776_484_6).abs() < 1e-9, "{p}");
    }

    #[test]
    fn with_ties_as_scipy() {
        // python3 -c "from scipy.stats import spearmanr; print(spearmanr(a, b))", scipy 1.17.1.
        let cases: [(&[f64], &[f64], f64, f64); 2] = [
            (
                &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                &[2.0, 1.0, 4.0, 3.0, 6.0, 6.0],
                0.869_656_553_478_672_7,
                0.024_376_891_685_690_78,
            ),
            (
                &[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0],
                &[2.0, 7.0, 1.0, 8.0, 2.0, 8.0, 1.0, 8.0],
                0.198_853_681_209_924_67,
                0.636_861_783_325_328_6,
            ),
        ];
        for (xs, ys, rho, p) in cases {
            let (r, q) = spearman(xs, ys).unwrap();
            assert!((r - rho).abs() < 1e-12, "{r} {rho}");
            assert!((q - p).abs() < 1e-9, "{q} {p}");
        }
    }

    #[test]
    fn student_t_tails() {
        // Two-sided p of t with ν degrees of freedom is I_{ν/(ν+t²)}(ν/2, 1/2). Tables: t = 2.228
        // at ν = 10 and t = 12.706 at ν = 1 are the 5% points; for ν = 1 the t distribution is
        // Cauchy's, p = 1 − 2 atan(t) / π exactly.
        let p = |t: f64, nu: f64| beta_regularized(nu / 2.0, 0.5, nu / (nu + t * t));
        assert!((p(2.228, 10.0) - 0.05).abs() < 1e-4);
        assert!((p(12.706, 1.0) - 0.05).abs() < 1e-4);
        for t in [0.3, 1.0, 4.0] {
            let cauchy = 1.0 - 2.0 * f64::atan(t) / std::f64::consts::PI;
            assert!((p(t, 1.0) - cauchy).abs() < 1e-12);
        }
    }

    #[test]
    fn constant_or_short_has_no_rho() {
        assert_eq!(spearman(&[1.0, 2.0], &[3.0, 4.0]), None);
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        assert_eq!(
            spearman(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]),
            Some((1.0, 0.0))
        );
    }
}

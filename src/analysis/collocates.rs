//! Collocations: the words that occur near a node word more often than chance would have them.
//!
//! Windows count word tokens only (punctuation and numbers are skipped, not counted), stay
//! inside the node's sentence unless asked, and never leave its essay. A token inside the
//! windows of two nearby nodes is counted once, and the nodes' own tokens are not window slots,
//! so that the co-occurrence `O` of a word never exceeds its frequency and the 4-cell table
//! below stays a table.
//!
//! With `N` the word tokens of the corpus, `f_n` the node's frequency, `f_c` the collocate's and
//! `S` the window slots actually read around the nodes (`f_n · (L + R)` when no window is cut
//! by a sentence or essay edge), the table is `O11 = O`, `O12 = S − O`, `O21 = f_c − O`,
//! `O22 = N − S − f_c + O`, and:
//!
//! - expected `E = f_c · S / N` (the window-size corrected expectation);
//! - MI = log2(O / E) (Church & Hanks 1990); MI3 = log2(O³ / E) (Oakes 1998);
//! - t-score = (O − E) / √O (Church et al. 1991);
//! - log-likelihood G² = 2 Σ O_ij ln(O_ij / E_ij) over the four cells (Dunning 1993), negative
//!   when O < E (fewer co-occurrences than chance);
//! - Dice = 2O / (f_n + f_c), logDice = 14 + log2(Dice) (Rychlý 2008);
//! - ΔP(collocate | node) = O11/(O11+O12) − O21/(O21+O22), ΔP(node | collocate) =
//!   O11/(O11+O21) − O12/(O12+O22) (Gries 2013).

use rustc_hash::FxHashMap;

use super::frequency::is_word;
use super::kwic::Pattern;
use super::layout::Layout;

/// The span around each node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub left: usize,
    pub right: usize,
    pub cross_sentences: bool,
}

/// What one essay gives: its word counts and the words near the node.
#[derive(Debug, Clone, Default)]
pub struct EssayCounts<'a> {
    /// Every word of the essay with its count, in order of first occurrence.
    pub words: Vec<(&'a str, u32)>,
    pub node: u32,
    pub slots: u32,
    /// Words in the windows: (word, count, of which left of the node).
    pub near: Vec<(&'a str, u32, u32)>,
}

/// Counts one essay.
pub fn count<'a>(layout: &Layout<'a>, node: &Pattern, window: Window) -> EssayCounts<'a> {
    let words: Vec<(usize, &'a str)> = layout.words().collect();
    // Each word's place in `counted`, so that a word is hashed once an occurrence and never
    // looked up again; sized for the essay at once (grown from empty, the table was rehashed
    // several times an essay: 5.6% of a run at 50 MB).
    let mut places: FxHashMap<&'a str, u32> =
        FxHashMap::with_capacity_and_hasher(words.len(), Default::default());
    let mut counted: Vec<(&'a str, u32)> = Vec::with_capacity(words.len());
    for &(_, w) in &words {
        let new = counted.len() as u32;
        let at = *places.entry(w).or_insert(new);
        if at == new {
            counted.push((w, 0));
        }
        counted[at as usize].1 += 1;
    }
    let is_node: Vec<bool> = words.iter().map(|&(_, w)| node.matches(w)).collect();
    let sentence_of = |k: usize| layout.sentence[words[k].0];
    places.clear();
    let mut near: Vec<(&'a str, u32, u32)> = Vec::new();
    let (mut nodes, mut slots) = (0u32, 0u32);
    // Windows move right as the nodes do: `next` is the first word no window has read yet.
    let mut next = 0usize;
    for (i, _) in is_node.iter().enumerate().filter(|(_, &n)| n) {
        nodes += 1;
        let mut lo = i.saturating_sub(window.left);
        let mut hi = (i + window.right).min(words.len() - 1);
        if !window.cross_sentences {
            let s = sentence_of(i);
            while sentence_of(lo) != s {
                lo += 1;
            }
            while sentence_of(hi) != s {
                hi -= 1;
            }
        }
        for k in lo.max(next)..=hi {
            if is_node[k] {
                continue;
            }
            slots += 1;
            let word = words[k].1;
            let new = near.len() as u32;
            let at = *places.entry(word).or_insert(new);
            if at == new {
                near.push((word, 0, 0));
            }
            let entry = &mut near[at as usize];
            entry.1 += 1;
            entry.2 += u32::from(k < i);
        }
        next = next.max(hi + 1);
    }
    debug_assert!(words.iter().all(|(_, w)| is_word(w)));
    EssayCounts {
        words: counted,
        node: nodes,
        slots,
        near,
    }
}

/// The association of one collocate with the node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub expected: f64,
    pub mi: f64,
    pub mi3: f64,
    pub t: f64,
    pub g2: f64,
    pub dice: f64,
    pub log_dice: f64,
    /// ΔP(collocate | node) and ΔP(node | collocate).
    pub delta_p_collocate: f64,
    pub delta_p_node: f64,
}

/// The scores of a collocate seen `observed` times in `slots` window slots around a node of
/// frequency `node`, the collocate having frequency `collocate` among `total` word tokens.
pub fn scores(observed: u64, node: u64, collocate: u64, slots: u64, total: u64) -> Scores {
    let (o, f_n, f_c, s, n) = (
        observed as f64,
        node as f64,
        collocate as f64,
        slots as f64,
        total as f64,
    );
    let expected = f_c * s / n;
    let cells = [
        (o, s, f_c),
        (s - o, s, n - f_c),
        (f_c - o, n - s, f_c),
        (n - s - f_c + o, n - s, n - f_c),
    ];
    // Signed, as for keyness: a word found less often near the node than chance would have it
    // gets a negative G², so that sorting by G² does not rank avoidance with attraction.
    let sign = if o < expected { -1.0 } else { 1.0 };
    let g2 = sign
        * 2.0
        * cells
            .iter()
            .map(|&(observed, row, col)| {
                let e = row * col / n;
                if observed > 0.0 && e > 0.0 {
                    observed * (observed / e).ln()
                } else {
                    0.0
                }
            })
            .sum::<f64>();
    let dice = 2.0 * o / (f_n + f_c);
    let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
    Scores {
        expected,
        mi: (o / expected).log2(),
        mi3: (o.powi(3) / expected).log2(),
        t: (o - expected) / o.sqrt(),
        g2,
        dice,
        log_dice: 14.0 + dice.log2(),
        delta_p_collocate: share(o, s) - share(f_c - o, n - s),
        delta_p_node: share(o, f_c) - share(s - o, n - f_c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    /// Worked by hand: O = 10, f_n = 20, f_c = 50, S = 200, N = 10,000.
    #[test]
    fn scores_by_hand() {
        let s = scores(10, 20, 50, 200, 10_000);
        // E = 50 · 200 / 10,000 = 1
        assert!(close(s.expected, 1.0));
        assert!(close(s.mi, 10f64.log2()));
        assert!(close(s.mi3, 1000f64.log2()));
        assert!(close(s.t, 9.0 / 10f64.sqrt()));
        assert!(close(s.dice, 20.0 / 70.0));
        assert!(close(s.log_dice, 14.0 + (2.0f64 / 7.0).log2()));
        // ΔP(c|n) = 10/200 − 40/9,800; ΔP(n|c) = 10/50 − 190/9,950.
        assert!(close(s.delta_p_collocate, 0.05 - 40.0 / 9800.0));
        assert!(close(s.delta_p_node, 0.2 - 190.0 / 9950.0));
        // Cells 10, 190, 40, 9,760 against 1, 199, 49, 9,751.
        let g2 = 2.0
            * (10.0 * 10f64.ln()
                + 190.0 * (190.0f64 / 199.0).ln()
                + 40.0 * (40.0f64 / 49.0).ln()
                + 9760.0 * (9760.0f64 / 9751.0).ln());
        assert!(close(s.g2, g2), "{} {g2}", s.g2);
        // A word seen once where chance would have it 5 times (E = 250 · 200 / 10,000): cells
        // 1, 199, 249, 9,551 against 5, 195, 245, 9,555, and the sign of O − E.
        let s = scores(1, 20, 250, 200, 10_000);
        assert!(close(s.expected, 5.0));
        let g2 = 2.0
            * (5f64.recip().ln()
                + 199.0 * (199.0f64 / 195.0).ln()
                + 249.0 * (249.0f64 / 245.0).ln()
                + 9551.0 * (9551.0f64 / 9555.0).ln());
        assert!(g2 > 0.0 && close(s.g2, -g2), "{} {g2}", s.g2);
    }

    #[test]
    fn windows_stay_in_the_sentence_and_count_once() {
        let segmenter = Segmenter::new();
        let body = "居民支持社区，社区感谢居民。医生帮助社区";
        let layout = Layout::of_tokens(body, segmenter.segment(body));
        let node = Pattern::parse("社区").unwrap();
        let window = Window {
            left: 2,
            right: 2,
            cross_sentences: false,
        };
        let c = count(&layout, &node, window);
        assert_eq!(c.node, 3);
        // Sentence 1: 居民 支持 [社区] [社区] 感谢 居民: 居民, 支持 left of the first node;
        // 感谢, 居民 right (read once though both nodes' windows hold them). Sentence 2:
        // 医生 帮助 [社区], both left. 6 slots.
        assert_eq!(c.slots, 6);
        let near: FxHashMap<&str, (u32, u32)> =
            c.near.iter().map(|&(w, n, l)| (w, (n, l))).collect();
        assert_eq!(near["居民"], (2, 1));
        assert_eq!(near["帮助"], (1, 1));
        assert_eq!(near["医生"], (1, 1));
        assert_eq!(near["支持"], (1, 1));
        assert_eq!(near["感谢"], (1, 0));
    }
}

//! What the benches share: jieba's IDF table as a distribution of words, and a fixed generator.

#![allow(dead_code)]

/// The words of jieba's IDF table, each weighted e^(−idf) (the share of documents that use it),
/// so that text drawn from it has a real vocabulary's width.
pub struct Vocabulary {
    pub words: Vec<&'static str>,
    cumulative: Vec<f64>,
    total: f64,
}

impl Vocabulary {
    pub fn jieba() -> Self {
        const IDF: &str = include_str!("../../src/analysis/data/jieba-idf.txt");
        let mut words = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0f64;
        for line in IDF.lines() {
            let Some((word, idf)) = line.split_once(' ') else {
                continue;
            };
            let Ok(idf) = idf.trim().parse::<f64>() else {
                continue;
            };
            total += (-idf).exp();
            words.push(word);
            cumulative.push(total);
        }
        Vocabulary {
            words,
            cumulative,
            total,
        }
    }

    /// A word drawn by its weight, from a uniform number in [0, 1).
    pub fn pick(&self, uniform: f64) -> &'static str {
        let x = uniform * self.total;
        let i = self.cumulative.partition_point(|&c| c < x);
        self.words[i.min(self.words.len() - 1)]
    }
}

/// Marsaglia's xorshift64 (2003): the same numbers on every run.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A uniform number in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

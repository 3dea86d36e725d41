//! TF-IDF keywords per essay, from the tokens already segmented, weighted with jieba's IDF table.

use std::cmp::Ordering;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::corpus::{is_han, is_latin};

const IDF_TEXT: &str = include_str!("data/jieba-idf.txt");

/// jieba's IDF table and the weight it gives a word it does not list.
pub struct IdfTable {
    idf: FxHashMap<&'static str, f64>,
    /// The upper median of all IDF values, as Python jieba's `TFIDF.set_idf_path` computes it
    /// (`sorted(values)[len // 2]`); jieba-rs takes the lower median instead.
    median: f64,
}

static JIEBA_IDF: LazyLock<IdfTable> = LazyLock::new(|| IdfTable::parse(IDF_TEXT));

impl IdfTable {
    /// The table jieba ships (parsed once, on first use).
    pub fn jieba() -> &'static IdfTable {
        &JIEBA_IDF
    }

    fn parse(text: &'static str) -> IdfTable {
        let mut idf = FxHashMap::default();
        idf.reserve(280_000);
        for line in text.lines() {
            let mut fields = line.split(' ');
            if let (Some(word), Some(Ok(value))) = (fields.next(), fields.next().map(str::parse::<f64>)) {
                idf.insert(word, value);
            }
        }
        let mut values: Vec<f64> = idf.values().copied().collect();
        values.sort_by(f64::total_cmp);
        let median = values.get(values.len() / 2).copied().unwrap_or(0.0);
        IdfTable { idf, median }
    }

    /// The IDF of `word`, or the median for words the table does not know.
    pub fn idf(&self, word: &str) -> f64 {
        self.idf.get(word).copied().unwrap_or(self.median)
    }

    pub fn median(&self) -> f64 {
        self.median
    }
}

/// A keyword of one essay.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword<'a> {
    pub word: &'a str,
    pub score: f64,
}

/// Whether a word may be a keyword: at least two characters (as in `jieba.analyse`), and a
/// letter or Han character in it.
pub fn is_candidate(word: &str) -> bool {
    word.chars().nth(1).is_some() && word.chars().any(|c| is_han(c) || is_latin(c))
}

/// Top `n` words by TF-IDF: tf = count / sum of the counts of all candidate words of the essay,
/// score = tf × idf (Sparck Jones 1972; the normalisation is `jieba.analyse.extract_tags`'s).
/// `counts` holds each candidate word once (stopwords already removed). Ties are broken by word.
pub fn tfidf<'a>(counts: &[(&'a str, u64)], idf: &IdfTable, n: usize) -> Vec<Keyword<'a>> {
    let total: u64 = counts.iter().map(|&(_, count)| count).sum();
    if total == 0 || n == 0 {
        return Vec::new();
    }
    let mut scored: Vec<Keyword<'a>> = counts
        .iter()
        .map(|&(word, count)| Keyword { word, score: count as f64 / total as f64 * idf.idf(word) })
        .collect();
    let order = |a: &Keyword, b: &Keyword| b.score.total_cmp(&a.score).then_with(|| a.word.cmp(b.word));
    if scored.len() > n {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
    }
    scored.sort_by(|a, b| order(a, b).then(Ordering::Equal));
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_table_matches_jieba_file() {
        let table = IdfTable::jieba();
        // `劳动防护 13.900677652` is the first line of jieba's idf.txt.
        assert_eq!(table.idf("劳动防护"), 13.900677652);
        assert_eq!(table.idf("不在表里的词语"), table.median());
        assert!(table.median() > 5.0 && table.median() < 13.0);
    }

    #[test]
    fn tfidf_by_hand() {
        let table = IdfTable::jieba();
        let counts = [("疫情", 3), ("社区", 1)];
        let keywords = tfidf(&counts, table, 10);
        assert_eq!(keywords[0].word, "疫情");
        assert_eq!(keywords[0].score, 0.75 * table.idf("疫情"));
        assert_eq!(keywords[1].score, 0.25 * table.idf("社区"));
        assert_eq!(tfidf(&counts, table, 1).len(), 1);
    }

    #[test]
    fn candidates() {
        assert!(is_candidate("社区"));
        assert!(is_candidate("AI"));
        assert!(!is_candidate("疫"));
        assert!(!is_candidate("2020"));
        assert!(!is_candidate("，。"));
    }
}

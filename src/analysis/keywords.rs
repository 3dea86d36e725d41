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
            if let (Some(word), Some(Ok(value))) =
                (fields.next(), fields.next().map(str::parse::<f64>))
            {
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

/// How keywords are chosen (`--keywords`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum KeywordMethod {
    /// TF-IDF with jieba's IDF table, wenxi's stopwords and word filter
    Tfidf,
    /// Exactly what Python jieba 0.42's `jieba.analyse.extract_tags(text, topK)` returns
    Jieba,
    /// TF-IDF with the IDF learned from the corpus itself: ln((1 + N) / (1 + df)) + 1
    TfidfCorpus,
    /// TextRank over co-occurrences in a window of 5 words, damping 0.85, nouns and verbs
    Textrank,
    /// Log-likelihood G² of the essay against the rest of the corpus, positive keywords only
    Keyness,
}

impl KeywordMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            KeywordMethod::Tfidf => "tfidf",
            KeywordMethod::Jieba => "jieba",
            KeywordMethod::TfidfCorpus => "tfidf-corpus",
            KeywordMethod::Textrank => "textrank",
            KeywordMethod::Keyness => "keyness",
        }
    }

    /// What the method's score is, in Chinese and in English, for charts and captions.
    pub fn score_name(self) -> (&'static str, &'static str) {
        match self {
            KeywordMethod::Tfidf | KeywordMethod::Jieba => {
                ("TF-IDF（jieba 的 IDF）", "TF-IDF (jieba's IDF)")
            }
            KeywordMethod::TfidfCorpus => ("TF-IDF（本语料的 IDF）", "TF-IDF (the corpus's IDF)"),
            KeywordMethod::Textrank => ("TextRank（最高为 1）", "TextRank (best = 1)"),
            KeywordMethod::Keyness => (
                "对数似然值 LL（本篇对其余文章）",
                "log-likelihood LL (the essay against the rest)",
            ),
        }
    }
}

/// Whether a word may be a keyword: at least two characters (as in `jieba.analyse`), and a
/// letter or Han character in it.
pub fn is_candidate(word: &str) -> bool {
    word.chars().nth(1).is_some() && word.chars().any(|c| is_han(c) || is_latin(c))
}

/// The best `n` of `scored`, by score descending, ties broken by word: a total order, so the
/// result never depends on the order the candidates came in.
pub fn top_n<'a>(mut scored: Vec<Keyword<'a>>, n: usize) -> Vec<Keyword<'a>> {
    let order =
        |a: &Keyword, b: &Keyword| b.score.total_cmp(&a.score).then_with(|| a.word.cmp(b.word));
    if n == 0 {
        return Vec::new();
    }
    if scored.len() > n {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
        // The n kept outlive the essay's analysis: without this each essay's keywords would
        // hold the room of all its candidates (1.2 GB at 500 MB, 255,700 essays).
        scored.shrink_to_fit();
    }
    scored.sort_by(|a, b| order(a, b).then(Ordering::Equal));
    scored
}

/// TF-IDF: tf = count / sum of the counts of all candidate words of the essay, score = tf × idf
/// (Sparck Jones 1972; the normalisation is `jieba.analyse.extract_tags`'s). `candidates` holds
/// each candidate word once (stopwords already removed) with its count and IDF.
pub fn tfidf<'a>(candidates: &[(&'a str, u64, f64)], n: usize) -> Vec<Keyword<'a>> {
    let total: u64 = candidates.iter().map(|&(_, count, _)| count).sum();
    if total == 0 {
        return Vec::new();
    }
    let scored = candidates
        .iter()
        .map(|&(word, count, idf)| Keyword {
            word,
            score: count as f64 / total as f64 * idf,
        })
        .collect();
    top_n(scored, n)
}

/// IDF learned from the corpus, smoothed as if one more essay held every word (the `smooth_idf`
/// form of scikit-learn's `TfidfTransformer`): ln((1 + N) / (1 + df)) + 1, where N is the number
/// of essays and df the number of essays using the word. Never zero, never infinite.
pub fn corpus_idf(essays: u64, df: u64) -> f64 {
    ((1.0 + essays as f64) / (1.0 + df as f64)).ln() + 1.0
}

/// The stop words of `jieba.analyse` (its `STOP_WORDS`, English only).
const JIEBA_STOP_WORDS: &[&str] = &[
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as", "on",
    "with", "can", "if", "from", "which", "you", "it", "this", "then", "at", "have", "all", "not",
    "one", "has", "or",
];

/// Python jieba 0.42's `jieba.analyse.extract_tags(text, topK)`, reproduced on the tokens of the
/// text: every token whose stripped form has two characters or more and is not one of jieba's 31
/// English stop words counts (punctuation and numbers too, as in jieba); score = count × (idf /
/// total) in that order of operations; an unknown word gets the upper median IDF; ties keep the
/// order of first occurrence, as Python's stable sort over an insertion-ordered dict does.
pub fn jieba_extract_tags<'a>(tokens: &[&'a str], idf: &IdfTable, n: usize) -> Vec<Keyword<'a>> {
    let mut order: Vec<&'a str> = Vec::new();
    let mut counts: FxHashMap<&'a str, u64> = FxHashMap::default();
    for &token in tokens {
        let stripped = token.trim();
        if stripped.chars().nth(1).is_none()
            || JIEBA_STOP_WORDS.contains(&stripped.to_lowercase().as_str())
        {
            continue;
        }
        let count = counts.entry(token).or_insert(0);
        if *count == 0 {
            order.push(token);
        }
        *count += 1;
    }
    let total: u64 = counts.values().sum();
    let mut scored: Vec<Keyword<'a>> = order
        .into_iter()
        .map(|word| Keyword {
            word,
            score: counts[word] as f64 * (idf.idf(word) / total as f64),
        })
        .collect();
    // A stable sort: equal scores stay in order of first occurrence.
    scored.sort_by(|a, b| b.score.total_cmp(&a.score));
    scored.truncate(n);
    scored
}

/// TextRank (Mihalcea & Tarau 2004) over the word sequence of an essay: candidate words are
/// nodes, joined by an edge weighted by how often they occur within `window` consecutive words;
/// WS(v) = (1 − d) + d × Σ w(u,v) / Σ w(u,·) × WS(u), 10 iterations from 1/|V| as in jieba,
/// scaled so that the best word scores 1. `ids` are word ids into `vocab`; `candidate` says
/// which ids may be nodes.
pub fn textrank<'a>(
    vocab: &[&'a str],
    ids: &[u32],
    candidate: &[bool],
    window: usize,
    damping: f64,
    n: usize,
) -> Vec<Keyword<'a>> {
    let mut edges: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    for (i, &a) in ids.iter().enumerate() {
        if !candidate[a as usize] {
            continue;
        }
        for &b in ids.iter().skip(i + 1).take(window.saturating_sub(1)) {
            if candidate[b as usize] && a != b {
                *edges.entry((a.min(b), a.max(b))).or_default() += 1.0;
            }
        }
    }
    if edges.is_empty() {
        return Vec::new();
    }
    let mut neighbours: Vec<Vec<(u32, f64)>> = vec![Vec::new(); vocab.len()];
    let mut sorted_edges: Vec<_> = edges.into_iter().collect();
    sorted_edges.sort_by_key(|&(pair, _)| pair);
    for ((a, b), w) in sorted_edges {
        neighbours[a as usize].push((b, w));
        neighbours[b as usize].push((a, w));
    }
    let nodes: Vec<usize> = (0..vocab.len())
        .filter(|&v| !neighbours[v].is_empty())
        .collect();
    let out_sum: Vec<f64> = neighbours
        .iter()
        .map(|adj| adj.iter().map(|&(_, w)| w).sum())
        .collect();
    let mut rank = vec![0.0; vocab.len()];
    for &v in &nodes {
        rank[v] = 1.0 / nodes.len() as f64;
    }
    for _ in 0..10 {
        let previous = rank.clone();
        for &v in &nodes {
            let inflow: f64 = neighbours[v]
                .iter()
                .map(|&(u, w)| w / out_sum[u as usize] * previous[u as usize])
                .sum();
            rank[v] = (1.0 - damping) + damping * inflow;
        }
    }
    let max = nodes.iter().map(|&v| rank[v]).fold(0.0, f64::max);
    let scored = nodes
        .iter()
        .map(|&v| Keyword {
            word: vocab[v],
            score: if max > 0.0 { rank[v] / max } else { 0.0 },
        })
        .collect();
    top_n(scored, n)
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
        let counts = [("疫情", 3), ("社区", 1)].map(|(w, c)| (w, c, table.idf(w)));
        let keywords = tfidf(&counts, 10);
        assert_eq!(keywords[0].word, "疫情");
        assert_eq!(keywords[0].score, 0.75 * table.idf("疫情"));
        assert_eq!(keywords[1].score, 0.25 * table.idf("社区"));
        assert_eq!(tfidf(&counts, 1).len(), 1);
    }

    // Smoothed corpus IDF for 4 essays: a word in all of them gets ln(5/5) + 1 = 1, a word in one
    // gets ln(5/2) + 1.
    #[test]
    fn corpus_idf_by_hand() {
        assert_eq!(corpus_idf(4, 4), 1.0);
        assert!((corpus_idf(4, 1) - (2.5f64.ln() + 1.0)).abs() < 1e-15);
    }

    #[test]
    fn jieba_ties_keep_first_occurrence() {
        let table = IdfTable::jieba();
        // Two unknown words with equal counts tie on the median IDF: the first seen comes first,
        // even though it sorts after the other. One-character tokens and `the` are skipped.
        let tokens = ["乙乙乙词", "，", "的", "甲甲甲词", "The", "……"];
        let keywords = jieba_extract_tags(&tokens, table, 10);
        let words: Vec<_> = keywords.iter().map(|k| k.word).collect();
        assert_eq!(words, ["乙乙乙词", "甲甲甲词", "……"]);
        assert_eq!(keywords[0].score, 1.0 * (table.median() / 3.0));
    }

    // A triangle a–b–c plus d hanging on c, window 2 (adjacent words only): c has the most
    // weight and ranks first with score 1; d, linked to c alone, ranks last.
    #[test]
    fn textrank_prefers_central_words() {
        let vocab = ["aa", "bb", "cc", "dd"];
        let ids = [0, 1, 2, 0, 2, 3];
        let keywords = textrank(&vocab, &ids, &[true; 4], 2, 0.85, 10);
        assert_eq!(keywords[0].word, "cc");
        assert_eq!(keywords[0].score, 1.0);
        assert_eq!(keywords.last().unwrap().word, "dd");
        assert!(textrank(&vocab, &[0], &[true; 4], 5, 0.85, 10).is_empty());
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

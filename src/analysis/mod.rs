//! The analyses: each essay is segmented once and every analysis reads the same tokens.

pub mod frequency;
pub mod keyness;
pub mod keywords;
pub mod reuse;
pub mod similarity;
pub mod stopwords;
pub mod structure;
pub mod themes;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::corpus::{Corpus, Essay};
use crate::segment::{chunks, Segmenter, Token, CHUNK_BYTES};
use frequency::{count_words, CorpusCounts, WordIndex};
use keyness::Keyness;
use keywords::{IdfTable, Keyword, KeywordMethod};
use stopwords::Stopwords;
use structure::{MarkerLexicon, Structure};

/// Settings of the analyses.
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// Keywords kept per essay and method.
    pub top_keywords: usize,
    /// Keyword methods, in the order their rows are written.
    pub keyword_methods: Vec<KeywordMethod>,
    /// Discourse markers looked for.
    pub markers: MarkerLexicon,
    /// Compare the essays with each other (similarity, nearest neighbours, clusters).
    pub similarity: bool,
    /// Number of clusters; chosen by silhouette when `None`.
    pub clusters: Option<usize>,
    /// Keep the similarity of every pair whatever the number of essays.
    pub all_pairs: bool,
    /// Look for text reuse, reporting near-duplicates from this estimated Jaccard similarity.
    pub reuse: Option<f64>,
    /// Theme lexicon to profile the essays with.
    pub themes: Option<themes::ThemeLexicon>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            top_keywords: 10,
            keyword_methods: vec![KeywordMethod::Tfidf],
            markers: MarkerLexicon::default(),
            similarity: true,
            clusters: None,
            all_pairs: false,
            reuse: Some(0.5),
            themes: None,
        }
    }
}

/// TextRank's co-occurrence window and damping factor, and the tags of the words it ranks (those
/// of `jieba.analyse.textrank`: place names, nouns, verbal nouns, verbs).
const TEXTRANK_WINDOW: usize = 5;
const TEXTRANK_DAMPING: f64 = 0.85;
const TEXTRANK_TAGS: &[&str] = &["ns", "n", "vn", "v"];
/// Keyness keywords must reach p < 0.05 (G² ≥ 3.84, χ² with one degree of freedom).
const KEYNESS_MIN_G2: f64 = 3.84;

/// Size figures of one essay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EssayFigures {
    /// Non-empty lines of the body.
    pub paragraphs: u32,
    /// Characters other than whitespace.
    pub characters: u64,
    pub han_characters: u64,
    /// Tokens other than whitespace (words, punctuation, numbers).
    pub tokens: u64,
    /// Tokens that are words (see [`frequency::is_word`]).
    pub words: u64,
    /// Distinct words.
    pub types: u64,
}

/// Everything computed for one essay.
#[derive(Debug, Clone)]
pub struct EssayResult<'a> {
    pub essay_id: u32,
    pub figures: EssayFigures,
    /// Word counts, most frequent first.
    pub counts: Vec<EssayWord<'a>>,
    /// Keywords by method (in the order of `AnalysisOptions::keyword_methods`), best first.
    pub keywords: Vec<(KeywordMethod, Vec<Keyword<'a>>)>,
    /// The word sequence as ids into a vocabulary, kept only for methods that need it after the
    /// corpus is tagged (TextRank).
    sequence: Option<(Vec<&'a str>, Vec<u32>)>,
    /// How the essay is built.
    pub structure: Structure,
    /// Hits of each theme of the lexicon, in its order (empty without a lexicon).
    pub themes: Vec<themes::ThemeHits<'a>>,
}

/// A word of one essay with its count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EssayWord<'a> {
    pub word: Token<'a>,
    pub count: u64,
    pub stopword: bool,
    /// Part-of-speech tag (filled in once the corpus is tagged; `x` until then).
    pub pos: &'a str,
    /// Byte offset of its first occurrence in the essay body.
    pub first: u32,
}

impl<'a> EssayWord<'a> {
    fn as_count(&self) -> frequency::WordCount<'a> {
        frequency::WordCount {
            word: self.word,
            count: self.count,
            first: self.first,
        }
    }
}

/// A word of the corpus: its totals, tag and jieba IDF, looked up once per essay that uses it.
#[derive(Debug, Clone, Copy)]
struct WordInfo<'a> {
    count: frequency::CorpusCount,
    pos: &'a str,
    idf: f64,
}

/// One row of the corpus word list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordFreq<'a> {
    pub word: &'a str,
    pub pos: &'a str,
    pub count: u64,
    /// Essays that use the word.
    pub essays: u32,
    pub stopword: bool,
}

/// The results of a run over a corpus.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// One entry per essay, in corpus order.
    pub essays: Vec<EssayResult<'a>>,
    /// The corpus word list, most frequent first, ties by word.
    pub word_freq: Vec<WordFreq<'a>>,
    pub total_tokens: u64,
    pub total_words: u64,
    /// What the corpus knows of each of its words.
    words: FxHashMap<&'a str, WordInfo<'a>>,
    /// How the essays resemble each other, if asked for.
    pub similarity: Option<similarity::Similarity>,
    /// Essays sharing text, if asked for.
    pub reuse: Option<reuse::ReuseReport>,
    /// Names of the themes profiled, in order, if a lexicon was given.
    pub theme_names: Option<Vec<String>>,
}

impl<'a> Analysis<'a> {
    /// The part-of-speech tag of a word of the corpus (`x` for a word not in it).
    pub fn pos_of(&self, word: &str) -> &'a str {
        self.words.get(word).map_or("x", |w| w.pos)
    }
}

impl<'a> Analysis<'a> {
    /// Runs every analysis on the current rayon pool.
    pub fn run(
        corpus: &'a Corpus,
        segmenter: &'a Segmenter,
        stopwords: &Stopwords,
        options: &AnalysisOptions,
    ) -> Self {
        Self::run_with_progress(corpus, segmenter, stopwords, options, &|_| {})
    }

    /// Like [`Analysis::run`], calling `progress` with the bytes of each essay when it is done.
    pub fn run_with_progress(
        corpus: &'a Corpus,
        segmenter: &'a Segmenter,
        stopwords: &Stopwords,
        options: &AnalysisOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Self {
        let idf = IdfTable::jieba();
        let mut essays: Vec<EssayResult<'a>> = corpus
            .essays
            .par_iter()
            .map(|essay| {
                let tokens = segment_essay(segmenter, essay);
                let result = analyse_essay(essay, &tokens, stopwords, idf, options);
                progress(essay.body.len() as u64);
                result
            })
            .collect();
        let merged = essays
            .par_iter()
            .enumerate()
            .fold(CorpusCounts::default, |acc, (index, essay)| {
                acc.add_essay(index as u32, essay.counts.iter().map(EssayWord::as_count))
            })
            .reduce(CorpusCounts::default, CorpusCounts::merge);
        let sorted = merged.into_sorted();
        // Each distinct word is tagged once, where it first occurs, and its IDF read once.
        let infos: Vec<WordInfo<'a>> = sorted
            .par_iter()
            .map(|&(word, count)| {
                let (essay, offset) = count.first;
                WordInfo {
                    count,
                    pos: segmenter.tag_word(
                        word,
                        &corpus.essays[essay as usize].body,
                        offset as usize,
                    ),
                    idf: idf.idf(word),
                }
            })
            .collect();
        let words: FxHashMap<&'a str, WordInfo<'a>> = sorted
            .iter()
            .map(|(word, _)| *word)
            .zip(infos.iter().copied())
            .collect();
        let corpus_words: u64 = essays.iter().map(|essay| essay.figures.words).sum();
        let essay_count = essays.len() as u64;
        let view = CorpusView {
            words: &words,
            words_total: corpus_words,
            essays: essay_count,
        };
        essays.par_iter_mut().for_each(|essay| {
            // One lookup per word of the essay serves the tags, the density and every keyword
            // method that needs the corpus.
            let infos: Vec<Option<WordInfo<'a>>> = essay
                .counts
                .iter()
                .map(|w| words.get(w.word).copied())
                .collect();
            for (word, info) in essay.counts.iter_mut().zip(&infos) {
                if let Some(info) = info {
                    word.pos = info.pos;
                }
            }
            let content: u64 = essay
                .counts
                .iter()
                .filter(|w| structure::is_content_tag(w.pos))
                .map(|w| w.count)
                .sum();
            essay.structure.lexical_density = structure::ratio(content, essay.figures.words);
            second_pass_keywords(essay, &infos, &view, options);
        });
        let word_freq: Vec<WordFreq<'a>> = sorted
            .into_iter()
            .zip(infos)
            .map(|((word, count), info)| WordFreq {
                word,
                pos: info.pos,
                count: count.count,
                essays: count.essays,
                stopword: stopwords.contains(word),
            })
            .collect();
        let total_tokens = essays.iter().map(|essay| essay.figures.tokens).sum();
        let total_words = essays.iter().map(|essay| essay.figures.words).sum();
        let similarity = options.similarity.then(|| {
            similarity::compare(
                &similarity::vectors(&essays, &word_freq),
                options.clusters,
                options.all_pairs,
            )
        });
        let reuse = options
            .reuse
            .map(|threshold| reuse::find(corpus.essays.par_iter().map(|e| e.body.as_str()), threshold));
        let theme_names = options
            .themes
            .as_ref()
            .map(|l| l.themes.iter().map(|t| t.name.clone()).collect());
        Analysis {
            essays,
            word_freq,
            total_tokens,
            total_words,
            words,
            similarity,
            reuse,
            theme_names,
        }
    }
}

/// Segments one essay; a long essay's chunks are segmented in parallel too, so that one huge
/// essay does not leave the other cores idle.
fn segment_essay<'a>(segmenter: &'a Segmenter, essay: &'a Essay) -> Vec<Token<'a>> {
    if essay.body.len() <= 4 * CHUNK_BYTES {
        return segmenter.segment(&essay.body);
    }
    let pieces: Vec<&str> = chunks(&essay.body, CHUNK_BYTES).collect();
    let parts: Vec<Vec<Token<'a>>> = pieces
        .par_iter()
        .map(|piece| {
            let mut tokens = Vec::new();
            segmenter.segment_into(piece, &mut tokens);
            tokens
        })
        .collect();
    parts.concat()
}

fn analyse_essay<'a>(
    essay: &Essay,
    tokens: &[Token<'a>],
    stopwords: &Stopwords,
    idf: &IdfTable,
    options: &AnalysisOptions,
) -> EssayResult<'a> {
    let index = WordIndex::new(tokens, &essay.body);
    let counts: Vec<EssayWord<'a>> = count_words(&index)
        .into_iter()
        .map(|w| EssayWord {
            word: w.word,
            count: w.count,
            stopword: stopwords.contains(w.word),
            pos: "x",
            first: w.first,
        })
        .collect();
    // The character classes are counted once, by the structure analysis.
    let structure = structure::analyse(&essay.body, tokens, &index, &options.markers);
    let figures = EssayFigures {
        paragraphs: essay
            .body
            .lines()
            .filter(|line| !line.trim().is_empty())
            .count() as u32,
        characters: structure.chars.total,
        han_characters: structure.chars.han,
        tokens: tokens.len() as u64,
        words: counts.iter().map(|w| w.count).sum(),
        types: counts.len() as u64,
    };
    let n = options.top_keywords;
    // Each method once, in the order first asked for.
    let mut methods: Vec<KeywordMethod> = Vec::new();
    for &method in &options.keyword_methods {
        if !methods.contains(&method) {
            methods.push(method);
        }
    }
    let keywords = methods
        .iter()
        .map(|&method| {
            let found = match method {
                KeywordMethod::Jieba => keywords::jieba_extract_tags(tokens, idf, n),
                // Filled in once the corpus is counted, with each word's IDF and tag read once.
                KeywordMethod::Tfidf
                | KeywordMethod::TfidfCorpus
                | KeywordMethod::Textrank
                | KeywordMethod::Keyness => Vec::new(),
            };
            (method, found)
        })
        .collect();
    let sequence = methods
        .contains(&KeywordMethod::Textrank)
        .then(|| (index.vocab.clone(), index.ids.clone()));
    let themes = options
        .themes
        .as_ref()
        .map(|lexicon| themes::profile(&counts, lexicon))
        .unwrap_or_default();
    EssayResult {
        essay_id: essay.id,
        figures,
        counts,
        keywords,
        structure,
        themes,
        sequence,
    }
}

/// What the second pass over the essays needs to know about the whole corpus.
struct CorpusView<'c, 'a> {
    words: &'c FxHashMap<&'a str, WordInfo<'a>>,
    /// Words in the corpus.
    words_total: u64,
    essays: u64,
}

/// Keyword methods that need the whole corpus: TF-IDF (each word's IDF is read once for the
/// corpus), corpus IDF, keyness, TextRank (tags). `infos` holds what the corpus knows of each
/// word of `essay.counts`, in the same order.
fn second_pass_keywords<'a>(
    essay: &mut EssayResult<'a>,
    infos: &[Option<WordInfo<'a>>],
    corpus: &CorpusView<'_, 'a>,
    options: &AnalysisOptions,
) {
    let n = options.top_keywords;
    // Candidate words with what the corpus knows of them.
    let candidates: Vec<(&EssayWord<'a>, WordInfo<'a>)> = essay
        .counts
        .iter()
        .zip(infos)
        .filter(|(w, _)| !w.stopword && keywords::is_candidate(w.word))
        .filter_map(|(w, info)| Some((w, (*info)?)))
        .collect();
    let sequence = essay.sequence.take();
    for (method, found) in &mut essay.keywords {
        match method {
            KeywordMethod::Tfidf => {
                let scored: Vec<(&'a str, u64, f64)> = candidates
                    .iter()
                    .map(|(w, info)| (w.word, w.count, info.idf))
                    .collect();
                *found = keywords::tfidf(&scored, n);
            }
            KeywordMethod::TfidfCorpus => {
                let scored: Vec<(&'a str, u64, f64)> = candidates
                    .iter()
                    .map(|(w, info)| {
                        let df = u64::from(info.count.essays);
                        (w.word, w.count, keywords::corpus_idf(corpus.essays, df))
                    })
                    .collect();
                *found = keywords::tfidf(&scored, n);
            }
            KeywordMethod::Keyness => {
                let c = essay.figures.words;
                let d = corpus.words_total - c;
                let scored = candidates
                    .iter()
                    .filter_map(|(w, info)| {
                        let a = w.count;
                        let b = info.count.count - a;
                        if !Keyness::positive(a, b, c, d) {
                            return None;
                        }
                        let g2 = Keyness::of(a, b, c, d).g2;
                        (g2 >= KEYNESS_MIN_G2).then_some(Keyword {
                            word: w.word,
                            score: g2,
                        })
                    })
                    .collect();
                *found = keywords::top_n(scored, n);
            }
            KeywordMethod::Textrank => {
                if let Some((vocab, ids)) = &sequence {
                    let stop: rustc_hash::FxHashSet<&str> = essay
                        .counts
                        .iter()
                        .filter(|w| w.stopword)
                        .map(|w| w.word)
                        .collect();
                    let candidate: Vec<bool> = vocab
                        .iter()
                        .map(|w| {
                            let tag = corpus.words.get(w).map_or("x", |i| i.pos);
                            TEXTRANK_TAGS.contains(&tag)
                                && keywords::is_candidate(w)
                                && !stop.contains(w)
                        })
                        .collect();
                    *found = keywords::textrank(
                        vocab,
                        ids,
                        &candidate,
                        TEXTRANK_WINDOW,
                        TEXTRANK_DAMPING,
                        n,
                    );
                }
            }
            KeywordMethod::Jieba => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_of_a_small_essay() {
        let corpus = Corpus::from_text("小文", "社区居民互助。\n2020年，社区更团结！");
        let segmenter = Segmenter::new();
        let analysis = Analysis::run(
            &corpus,
            &segmenter,
            &Stopwords::builtin(),
            &AnalysisOptions::default(),
        );
        let figures = analysis.essays[0].figures;
        assert_eq!(figures.paragraphs, 2);
        // 社区居民互助。 = 7, 2020年，社区更团结！ = 12
        assert_eq!(figures.characters, 19);
        assert_eq!(figures.han_characters, 12);
        let shequ = analysis
            .word_freq
            .iter()
            .find(|w| w.word == "社区")
            .unwrap();
        assert_eq!((shequ.count, shequ.essays), (2, 1));
        assert!(analysis
            .word_freq
            .iter()
            .all(|w| frequency::is_word(w.word)));
        assert_eq!(analysis.pos_of("社区"), "n");
        assert_eq!(
            analysis.total_words,
            analysis.word_freq.iter().map(|w| w.count).sum::<u64>()
        );
    }
}

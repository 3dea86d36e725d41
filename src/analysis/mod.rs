//! The analyses: each essay is segmented once and every analysis reads the same tokens.

pub mod arf;
pub mod collocates;
pub mod correlation;
pub mod dispersion;
pub mod frequency;
pub mod groups;
pub mod keyness;
pub mod keywords;
pub mod kwic;
pub mod layout;
pub mod levels;
pub mod ngrams;
pub mod posseg;
pub mod readability;
pub mod reuse;
pub mod similarity;
pub mod stopwords;
pub mod structure;
pub mod themes;
pub mod written;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::corpus::{Corpus, Essay};
use crate::segment::{chunks, Segmenter, Token, CHUNK_BYTES};
use crate::timing;
use frequency::{count_words, WordIndex};
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
    /// Index entries read per essay by the neighbour search past the all-pairs limit
    /// (`usize::MAX`: exact whatever it costs; `None`: [`similarity::default_budget`]).
    pub neighbour_budget: Option<usize>,
    /// Essays whose neighbours are checked by brute force, to measure the search's recall
    /// (`None`: [`similarity::DEFAULT_CHECK`] with the default budget, which is raised while
    /// the recall is short; `Some(0)`: none).
    pub check_neighbours: Option<usize>,
    /// Look for text reuse, reporting near-duplicates from this estimated Jaccard similarity.
    pub reuse: Option<f64>,
    /// Theme lexicon to profile the essays with.
    pub themes: Option<themes::ThemeLexicon>,
    /// Count word n-grams of these lengths.
    pub ngrams: Option<std::ops::RangeInclusive<usize>>,
    /// Group the essays by this metadata column (groups.csv).
    pub group_by: Option<String>,
    /// Which form of the words of converted (traditional) essays the tables show.
    pub report_script: written::ReportScript,
    /// Each word's average reduced frequency (`arf`), from its positions in the corpus.
    pub arf: bool,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            top_keywords: 10,
            keyword_methods: vec![KeywordMethod::Keyness, KeywordMethod::Tfidf],
            markers: MarkerLexicon::default(),
            similarity: true,
            clusters: None,
            all_pairs: false,
            neighbour_budget: None,
            check_neighbours: None,
            reuse: Some(0.5),
            themes: None,
            ngrams: None,
            group_by: None,
            report_script: written::ReportScript::Written,
            arf: true,
        }
    }
}

/// TextRank's co-occurrence window and damping factor, and the tags of the words it ranks (those
/// of `jieba.analyse.textrank`: place names, nouns, verbal nouns, verbs).
const TEXTRANK_WINDOW: usize = 5;
const TEXTRANK_DAMPING: f64 = 0.85;
const TEXTRANK_TAGS: &[&str] = &["ns", "n", "vn", "v"];
/// Keyness keywords must reach p < 0.05 (G² ≥ 3.841459, the 0.95 quantile of χ² with one degree of freedom).
const KEYNESS_MIN_G2: f64 = CHI2_95;
/// The 0.95 quantile of χ² with one degree of freedom (1.959964², z of a two-sided 95%): G² at
/// p = 0.05 exactly. 3.84 let in p up to 0.05004.
pub const CHI2_95: f64 = 3.841_458_820_694_124;

/// Size figures of one essay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EssayFigures {
    /// Non-empty lines of the body: its headings and its paragraphs (`structure::Structure`
    /// counts the two apart).
    pub lines: u32,
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
    /// (word id, count): ids index [`Analysis::word`]; most frequent first, ties by word (by
    /// id past their batch, after [`AnalysisBuilder::counts_by_id_after_batch`]). Packed
    /// (2–3 bytes a word), they are what outlives the batch the essay came in.
    pub counts: frequency::PackedCounts,
    /// Keywords by method (in the order of `AnalysisOptions::keyword_methods`), best first.
    pub keywords: Vec<(KeywordMethod, Vec<Keyword<'a>>)>,
    /// How the essay is built.
    pub structure: Structure,
    /// Hits of each theme of the lexicon, in its order (empty without a lexicon).
    pub themes: Vec<themes::ThemeHits<'a>>,
    /// For an essay converted to simplified: where it writes a word otherwise than the corpus's
    /// first converted essay with the word (see [`written::FormCounter::add`]); `None` for an
    /// essay shown as segmented.
    pub forms: Option<Box<[(u32, &'a str)]>>,
}

impl EssayResult<'_> {
    /// The same result in fresh allocations of exactly its size; the lengths of its sentences
    /// only if `sentence_lengths` (see [`SENTENCE_LENGTHS_KEPT`]).
    fn compacted(self, sentence_lengths: bool) -> Self {
        let mut structure = self.structure.clone();
        if !sentence_lengths {
            structure.sentence_lengths = Vec::new();
        }
        EssayResult {
            // Moved: the batch's counts are then packed together (see `PackedCounts::share`).
            counts: self.counts,
            keywords: self
                .keywords
                .iter()
                .map(|(method, found)| (*method, found.as_slice().to_vec()))
                .collect(),
            structure,
            themes: self.themes.clone(),
            forms: self.forms.clone(),
            ..self
        }
    }
}

/// Essays, the first of the corpus, that keep the length of each of their sentences past their
/// batch, for the chart of sentence lengths, which shows as many ([`crate::report::charts`]);
/// the other essays keep only the figures made from them (at 500 MB, 7.3 million sentences
/// took 31 MB).
pub const SENTENCE_LENGTHS_KEPT: usize = 40;

/// A word of the corpus: its totals, tag and jieba IDF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordFreq<'a> {
    pub word: &'a str,
    /// Part-of-speech tag, read where the word first occurs in the corpus.
    pub pos: &'a str,
    pub count: u64,
    /// Essays that use the word.
    pub essays: u32,
    pub stopword: bool,
    /// It can be a keyword: not a stopword, and [`keywords::is_candidate`]. Set once a word,
    /// where every essay using it asked it again (a pass over its characters each time).
    pub keyword: bool,
    /// jieba's IDF of the word (its median for an unknown word).
    pub idf: f64,
    /// Its HSK 3.0 level as a whole word (0: not in the list).
    pub hsk: u8,
    /// It is a word of jieba's dictionary (with the user dictionary), not one the HMM found.
    pub in_dictionary: bool,
}

/// The results of a run over a corpus.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    /// One entry per essay, in corpus order.
    pub essays: Vec<EssayResult<'a>>,
    /// The corpus word list, most frequent first, ties by word.
    pub word_freq: Vec<WordFreq<'a>>,
    /// How evenly each word of `word_freq` (in its order) is spread over the essays. Kept
    /// apart from the words, so that the vocabulary the batches grow does not carry 32 unset
    /// bytes a word (26 MB at 500 MB).
    pub dispersion: Vec<dispersion::Dispersion>,
    /// Each word's average reduced frequency, in the order of `word_freq`; empty if not asked
    /// for or not computed (`arf_error` says why).
    pub arf: Vec<f64>,
    pub arf_error: Option<String>,
    /// Where each word id's entry sits in `word_freq`.
    rank: Vec<u32>,
    pub total_tokens: u64,
    pub total_words: u64,
    /// How the essays resemble each other, if asked for.
    pub similarity: Option<similarity::Similarity>,
    /// Essays sharing text, if asked for.
    pub reuse: Option<reuse::ReuseReport>,
    /// Names of the themes profiled, in order, if a lexicon was given.
    pub theme_names: Option<Vec<String>>,
    /// Word n-grams seen at least twice, not of stopwords only, and the words counted, if asked.
    pub ngrams: Option<(ngrams::NgramTable<'a>, u64)>,
    /// Why n-grams could not be counted, if they could not.
    pub ngram_error: Option<String>,
    /// How converted essays write the words, if any essay was converted and the tables show
    /// words as written.
    pub forms: Option<written::Forms<'a>>,
    /// The groups of `AnalysisOptions::group_by`, and whether any essay had the column.
    pub groups: Option<(Vec<groups::Group>, bool)>,
    /// See [`Analysis::keyword_lists`].
    keyword_lists: Vec<bool>,
}

impl<'a> Analysis<'a> {
    /// The corpus entry of a word id of [`EssayResult::counts`].
    pub fn word(&self, id: u32) -> &WordFreq<'a> {
        &self.word_freq[self.rank[id as usize] as usize]
    }

    /// Word `id` as the corpus tables show it (see [`written`]).
    pub fn shown(&self, id: u32) -> &'a str {
        match &self.forms {
            Some(forms) => forms.corpus(id),
            None => self.word(id).word,
        }
    }

    /// Word `id` as the tables of `essay` show it.
    pub fn shown_in(&self, essay: &EssayResult<'a>, id: u32) -> &'a str {
        match (&self.forms, &essay.forms) {
            (Some(forms), Some(own)) => forms.essay(own, id),
            _ => None,
        }
        .unwrap_or_else(|| self.word(id).word)
    }

    /// A word (or any string: one that is no word of the corpus is itself) as the corpus
    /// tables show it.
    pub fn shown_word<'w>(&'w self, word: &'w str) -> &'w str {
        match self.forms.as_ref().and_then(|f| f.id(word)) {
            Some(id) => self.shown(id),
            None => word,
        }
    }

    /// A word as the tables of `essay` show it.
    pub fn shown_word_in<'w>(&'w self, essay: &EssayResult<'a>, word: &'w str) -> &'w str {
        match self.forms.as_ref().and_then(|f| f.id(word)) {
            Some(id) if essay.forms.is_some() => self.shown_in(essay, id),
            _ => word,
        }
    }

    /// The part-of-speech tag of a word of the corpus (`x` for a word not in it).
    pub fn pos_of(&self, word: &str) -> &'a str {
        self.word_freq
            .iter()
            .find(|w| w.word == word)
            .map_or("x", |w| w.pos)
    }

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
    /// The essays go through [`AnalysisBuilder`] in batches of about [`BATCH_BYTES`]; their words
    /// stay slices of the corpus text.
    pub fn run_with_progress(
        corpus: &'a Corpus,
        segmenter: &'a Segmenter,
        stopwords: &Stopwords,
        options: &AnalysisOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Self {
        let mut builder = AnalysisBuilder::new(segmenter, stopwords, options);
        for batch in batches(&corpus.essays, BATCH_BYTES) {
            builder.add(batch, &|word| word, progress);
        }
        builder.finish(true)
    }
}

/// Text analysed per batch: large enough to keep every core busy, small enough that a batch's
/// tokens (16 bytes each) and counts stay well under the corpus's size.
pub const BATCH_BYTES: usize = 16 << 20;

/// Text `analyze` reads and analyses per batch. A batch's working memory (its text, tokens,
/// per-essay maps and rows) comes on top of all the corpus-wide state: at 50 MB, 4 MB batches
/// peaked at 272 MB where 16 MB batches peaked at 367 MB, in the same time (9.8 s and 10.1 s);
/// at 500 MB the batches peaked at 971 MB instead of 1,057, in 59.5 s against 60.2 s.
pub const ANALYZE_BATCH_BYTES: usize = 4 << 20;

/// Consecutive runs of essays of about `bytes` of text each (at least one essay each).
pub fn batches(essays: &[Essay], bytes: usize) -> impl Iterator<Item = &[Essay]> {
    pieces(essays, |e| e.body.len(), bytes)
}

/// Consecutive runs of `items` holding at most `max` by `size` each (at least one item each),
/// so that work can be done and written a piece at a time.
pub fn pieces<T>(
    items: &[T],
    size: impl Fn(&T) -> usize,
    max: usize,
) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut total = 0;
        let end = rest
            .iter()
            .position(|item| {
                total += size(item);
                total > max
            })
            .map_or(rest.len(), |i| i.max(1));
        let (piece, next) = rest.split_at(end);
        rest = next;
        Some(piece)
    })
}

/// What one essay gives before the corpus knows its words: the batch's own slices.
/// An essay's tokens as (byte offset, byte length) in its body, packed as varints of the gap
/// from the previous token's end and the length: about 2 bytes a token instead of a slice's 16
/// (the page keeps them for up to 8 MB of essays for the whole run), and no borrow of the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenSpans(Box<[u8]>);

impl TokenSpans {
    /// The spans of `tokens`, slices of `body`.
    pub fn of(body: &str, tokens: &[Token<'_>]) -> Self {
        let base = body.as_ptr() as usize;
        let mut bytes = Vec::with_capacity(tokens.len() * 2);
        let mut end = 0u32;
        for token in tokens {
            let at = (token.as_ptr() as usize - base) as u32;
            // Wrapping both ways, so that any spans come back as they were.
            frequency::push_varint(&mut bytes, at.wrapping_sub(end));
            frequency::push_varint(&mut bytes, token.len() as u32);
            end = at.wrapping_add(token.len() as u32);
        }
        TokenSpans(bytes.into_boxed_slice())
    }

    /// The tokens again, as slices of the same `body`.
    pub fn tokens<'t>(&self, body: &'t str) -> Vec<Token<'t>> {
        let mut tokens = Vec::with_capacity(self.0.len() / 2);
        let (mut read, mut end) = (0, 0u32);
        while read < self.0.len() {
            let at = end.wrapping_add(frequency::read_varint(&self.0, &mut read));
            end = at.wrapping_add(frequency::read_varint(&self.0, &mut read));
            tokens.push(&body[at as usize..end as usize]);
        }
        tokens
    }
}

struct Pending<'b> {
    essay_id: u32,
    figures: EssayFigures,
    counts: Vec<frequency::WordCount<'b>>,
    structure: Structure,
    jieba: Option<Vec<Keyword<'b>>>,
    /// The word sequence (vocabulary, ids) for TextRank.
    sequence: Option<(Vec<&'b str>, Vec<u32>)>,
    grams: Option<ngrams::EssayGrams>,
    xu: readability::Xu,
    /// How a converted essay writes its words (see [`written::essay_forms`]).
    forms: Option<Vec<(u32, &'b str)>>,
    /// Where its words are (see [`arf::essay_positions`]), in the order of `counts`.
    positions: Option<Box<[u8]>>,
}

/// The analysis of a corpus built a batch of essays at a time (tantivy's segments, in corpus
/// order): each batch is segmented and analysed in parallel, its new words get ids, tags and IDF
/// once, and what is left of each essay is compact (word ids and counts, figures, structure,
/// keywords). The batch's text can then go. Corpus-wide results (keyword methods that need the
/// corpus, similarity, reuse groups) are computed by [`AnalysisBuilder::finish`].
///
/// Word strings live as long as `'a`: the corpus text itself when it is all in memory, or an
/// arena that a streaming run copies each new word into (`intern`).
pub struct AnalysisBuilder<'a, 'o> {
    segmenter: &'a Segmenter,
    stopwords: &'o Stopwords,
    options: &'o AnalysisOptions,
    idf: &'static IdfTable,
    ids: FxHashMap<&'a str, u32>,
    /// By word id, in order of first occurrence in the corpus.
    words: Vec<WordFreq<'a>>,
    /// Strings kept beside the words (tags, jieba keywords that are not words), each once.
    others: FxHashSet<&'a str>,
    essays: Vec<EssayResult<'a>>,
    reuse: Option<reuse::ReuseBuilder>,
    ngrams: Option<ngrams::NgramCounter<'a>>,
    ngram_error: Option<String>,
    /// Every essay's word positions, for ARF.
    positions: Option<arf::Positions>,
    groups: Option<groups::GroupCounter>,
    /// The forms converted essays write words in, if the tables show words as written.
    forms: Option<written::FormCounter<'a>>,
    /// Pack each batch's counts again by word id once the next batch comes (see
    /// [`Self::counts_by_id_after_batch`]).
    by_id: bool,
    /// The essays of the last batch, whose counts are still in their first order.
    unpacked: std::ops::Range<usize>,
}

impl<'a, 'o> AnalysisBuilder<'a, 'o> {
    pub fn new(
        segmenter: &'a Segmenter,
        stopwords: &'o Stopwords,
        options: &'o AnalysisOptions,
    ) -> Self {
        AnalysisBuilder {
            segmenter,
            stopwords,
            options,
            idf: IdfTable::jieba(),
            ids: FxHashMap::default(),
            words: Vec::new(),
            others: FxHashSet::default(),
            essays: Vec::new(),
            reuse: options.reuse.map(|_| reuse::ReuseBuilder::default()),
            ngrams: options
                .ngrams
                .as_ref()
                .map(|ns| ngrams::NgramCounter::new(ngrams::Unit::Words, ns.clone())),
            ngram_error: None,
            positions: options.arf.then(arf::Positions::new),
            groups: options
                .group_by
                .as_ref()
                .map(|_| groups::GroupCounter::default()),
            forms: (options.report_script == written::ReportScript::Written)
                .then(written::FormCounter::default),
            by_id: false,
            unpacked: 0..0,
        }
    }

    /// Tells the n-gram counter (`--ngrams`) about how many bytes of input to size its table
    /// for; before the first batch.
    pub fn expect_input_bytes(&mut self, bytes: u64) {
        if let Some(counter) = &mut self.ngrams {
            counter.expect_bytes(bytes);
        }
    }

    /// From now on each batch's counts are packed again by word id, each id as its gap from
    /// the one before ([`frequency::PackedCounts::share_by_id`]), when the next batch comes or
    /// the builder finishes: for a run that writes a batch's essay_word_freq rows, which need
    /// their first order, before it adds the next batch. At 500 MB the counts then take about
    /// a third less memory. The results are the same: what reads the counts after their batch
    /// (dispersion, corpus keywords, groups, the TF-IDF vectors) does not depend on their order.
    pub fn counts_by_id_after_batch(&mut self) {
        self.by_id = true;
    }

    fn pack_last_batch_by_id(&mut self) {
        let batch = std::mem::replace(&mut self.unpacked, 0..0);
        if self.by_id && !batch.is_empty() {
            timing::time("counts by id", || {
                frequency::PackedCounts::share_by_id(
                    self.essays[batch]
                        .iter_mut()
                        .map(|e| &mut e.counts)
                        .collect(),
                )
            });
        }
    }

    /// The essays analysed so far, in corpus order.
    pub fn essays(&self) -> &[EssayResult<'a>] {
        &self.essays
    }

    /// The corpus entry of a word id, with its totals so far.
    pub fn word(&self, id: u32) -> &WordFreq<'a> {
        &self.words[id as usize]
    }

    /// Word `id` as the tables of `essay` (one of [`Self::essays`]) show it.
    pub fn shown_in(&self, essay: &EssayResult<'a>, id: u32) -> &'a str {
        match (&self.forms, &essay.forms) {
            (Some(forms), Some(own)) => forms.essay(own, id),
            _ => None,
        }
        .unwrap_or(self.words[id as usize].word)
    }

    /// Analyses the next essays of the corpus; returns the range of [`Self::essays`] they fill.
    /// `intern` gives a word of the batch the lifetime of the results.
    pub fn add<'b>(
        &mut self,
        batch: &'b [Essay],
        intern: &dyn Fn(&'b str) -> &'a str,
        progress: &(dyn Fn(u64) + Sync),
    ) -> std::ops::Range<usize>
    where
        'a: 'b,
    {
        self.add_keeping(batch, intern, progress, 0).0
    }

    /// As [`Self::add`], and gives the tokens of the batch's first `keep_tokens` essays as spans of
    /// their bodies ([`TokenSpans`]), so that the HTML page can show them without segmenting
    /// them a second time.
    pub fn add_keeping<'b>(
        &mut self,
        batch: &'b [Essay],
        intern: &dyn Fn(&'b str) -> &'a str,
        progress: &(dyn Fn(u64) + Sync),
        keep_tokens: usize,
    ) -> (std::ops::Range<usize>, Vec<TokenSpans>)
    where
        'a: 'b,
    {
        self.pack_last_batch_by_id();
        let (segmenter, idf, options) = (self.segmenter, self.idf, self.options);
        let (mut pending, spans): (Vec<Pending<'_>>, Vec<Option<TokenSpans>>) =
            timing::time("segment + per-essay", || {
                batch
                    .par_iter()
                    .enumerate()
                    .map(|(i, essay)| {
                        let (tokens, tagged) = segment_essay_tagged(segmenter, essay);
                        let mut pending = analyse_essay(essay, &tokens, &tagged, idf, options);
                        if options.report_script == written::ReportScript::Written {
                            pending.forms = written::essay_forms(essay, &pending.counts);
                        }
                        progress(essay.body.len() as u64);
                        let spans = (i < keep_tokens).then(|| TokenSpans::of(&essay.body, &tokens));
                        (pending, spans)
                    })
                    .unzip()
            });
        let spans: Vec<TokenSpans> = spans.into_iter().flatten().collect();
        let ids_started = timing::stage_start();
        // Known words are looked up in parallel (`NEW`: not known before this batch); new ones
        // get the next ids in corpus order, one after another, so ids never depend on the thread
        // count or the batch size. Only the new words' occurrences are met in that serial loop:
        // what a new word is (stopword, IDF, level, in the dictionary) and every word's totals
        // are filled in in parallel after it.
        const NEW: u32 = u32::MAX;
        let mut counts: Vec<Vec<(u32, u32)>> = pending
            .par_iter()
            .map(|p| {
                p.counts
                    .iter()
                    .map(|w| (self.ids.get(w.word).copied().unwrap_or(NEW), w.count as u32))
                    .collect()
            })
            .collect();
        let first_new = self.words.len();
        let mut new_at: Vec<(usize, u32)> = Vec::new();
        for (e, (p, ids)) in pending.iter().zip(&mut counts).enumerate() {
            for (w, (id, _)) in p.counts.iter().zip(ids.iter_mut()) {
                if *id != NEW {
                    continue;
                }
                *id = match self.ids.get(w.word) {
                    Some(&id) => id,
                    None => {
                        let id = self.words.len() as u32;
                        let word = intern(w.word);
                        self.ids.insert(word, id);
                        self.words.push(WordFreq {
                            word,
                            pos: "x",
                            count: 0,
                            essays: 0,
                            stopword: false,
                            keyword: false,
                            idf: 0.0,
                            hsk: 0,
                            in_dictionary: false,
                        });
                        new_at.push((e, w.first));
                        id
                    }
                };
            }
        }
        let stopwords = self.stopwords;
        self.words[first_new..].par_iter_mut().for_each(|w| {
            w.stopword = stopwords.contains(w.word);
            w.keyword = !w.stopword && keywords::is_candidate(w.word);
            w.idf = idf.idf(w.word);
            w.hsk = levels::word_level(w.word);
            w.in_dictionary = segmenter.has_word(w.word);
        });
        // Each part adds the counts of its own range of ids, reading every essay's pairs (a
        // sequential read; at most 8 parts, so that many cores do not read them many times).
        let span = self
            .words
            .len()
            .div_ceil(rayon::current_num_threads().clamp(1, 8))
            .max(1);
        self.words
            .par_chunks_mut(span)
            .enumerate()
            .for_each(|(part, words)| {
                let low = (part * span) as u32;
                for ids in &counts {
                    for &(id, count) in ids {
                        if let Some(entry) = id
                            .checked_sub(low)
                            .and_then(|at| words.get_mut(at as usize))
                        {
                            entry.count += u64::from(count);
                            entry.essays += 1;
                        }
                    }
                }
            });
        let mut own_forms: Vec<Option<Box<[(u32, &'a str)]>>> = vec![None; pending.len()];
        if let Some(counter) = &mut self.forms {
            for (e, (p, ids)) in pending.iter().zip(&counts).enumerate() {
                if let Some(found) = &p.forms {
                    let found: Vec<(u32, &'a str)> = found
                        .iter()
                        .map(|&(place, form)| (place, keep(&mut self.others, form, intern)))
                        .collect();
                    own_forms[e] = Some(counter.add(&self.words, ids, &found));
                }
            }
        }
        timing::add("word ids", ids_started);
        // Each new word is tagged once, where it first occurs.
        let tags_started = timing::stage_start();
        let tags: Vec<&str> = new_at
            .par_iter()
            .enumerate()
            .map(|(k, &(e, offset))| {
                let body = &batch[e].body;
                let offset = offset as usize;
                let word = &body[offset..offset + self.words[first_new + k].word.len()];
                segmenter.tag_word(word, body, offset)
            })
            .collect();
        for (k, tag) in tags.into_iter().enumerate() {
            self.words[first_new + k].pos = keep(&mut self.others, tag, intern);
        }
        timing::add("tags of new words", tags_started);
        // jieba's keywords may be tokens that are not words (numbers, punctuation runs).
        let mut jieba: Vec<Option<Vec<Keyword<'a>>>> = Vec::with_capacity(pending.len());
        for p in &pending {
            jieba.push(p.jieba.as_ref().map(|found| {
                found
                    .iter()
                    .map(|k| Keyword {
                        word: match self.ids.get(k.word) {
                            Some(&id) => self.words[id as usize].word,
                            None => keep(&mut self.others, k.word, intern),
                        },
                        score: k.score,
                    })
                    .collect()
            }));
        }
        if let Some(mut counter) = self.ngrams.take() {
            let grams = pending
                .iter_mut()
                .map(|p| p.grams.take().unwrap_or_default())
                .collect();
            // Every word of the batch has its corpus copy already.
            let (ids, words) = (&self.ids, &self.words);
            match counter.add(batch, grams, &|w| words[ids[w] as usize].word) {
                Ok(()) => self.ngrams = Some(counter),
                Err(message) => self.ngram_error = Some(message),
            }
        }
        let this = &*self;
        let (results, records): (Vec<EssayResult<'a>>, Vec<Option<Vec<u8>>>) =
            timing::time("density, keywords, themes", || {
                pending
                    .into_par_iter()
                    .zip(counts)
                    .zip(jieba)
                    .zip(own_forms)
                    .map(|(((mut p, counts), jieba), forms)| {
                        let record = p
                            .positions
                            .take()
                            .map(|positions| arf::essay_record(&counts, &positions));
                        let result = EssayResult {
                            forms,
                            ..this.finish_essay(p, counts, jieba)
                        };
                        (result, record)
                    })
                    .unzip()
            });
        if let Some(positions) = &mut self.positions {
            timing::time("word positions", || {
                for record in records.iter().flatten() {
                    positions.add(record);
                }
            });
        }
        drop(records);
        if let Some(reuse) = &mut self.reuse {
            timing::time("reuse hashes", || {
                reuse.add(batch.par_iter().map(|e| e.body.as_str()))
            });
        }
        if let (Some(counter), Some(column)) = (&mut self.groups, &self.options.group_by) {
            for (essay, result) in batch.iter().zip(&results) {
                let value = essay.meta.iter().find(|(name, _)| name == column);
                counter.add(value.map(|(_, v)| v.as_str()), result);
            }
        }
        let start = self.essays.len();
        // The few small allocations of each result that outlive the batch were made by worker
        // threads between the batch's large transient ones, and each pinned a page of them:
        // resident memory grew by about 13 KB an essay for 3 KB of results. Copied here, one
        // after another, they leave the batch's pages free for the next batch.
        timing::time("compacting results", || {
            // Room for the batch exactly (see `ReuseBuilder::add`): at about 660 bytes a result,
            // doubling could leave 60 MB unused at 500 MB.
            self.essays.reserve_exact(results.len());
            self.essays.extend(
                results
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| r.compacted(start + i < SENTENCE_LENGTHS_KEPT)),
            );
            frequency::PackedCounts::share(
                self.essays[start..]
                    .iter_mut()
                    .map(|e| &mut e.counts)
                    .collect(),
            );
        });
        self.unpacked = start..self.essays.len();
        (start..self.essays.len(), spans)
    }

    /// What an essay needs of its words' tags and IDF: lexical density, and the keyword methods
    /// that need no other essay (TF-IDF with jieba's IDF, TextRank, jieba's `extract_tags`).
    fn finish_essay(
        &self,
        p: Pending<'_>,
        counts: Vec<(u32, u32)>,
        jieba: Option<Vec<Keyword<'a>>>,
    ) -> EssayResult<'a> {
        let n = self.options.top_keywords;
        let mut structure = p.structure;
        let content: u64 = counts
            .iter()
            .filter(|&&(id, _)| structure::is_content_tag(self.words[id as usize].pos))
            .map(|&(_, c)| u64::from(c))
            .sum();
        structure.lexical_density = structure::ratio(content, p.figures.words);
        structure.xu = p.xu;
        for &(id, count) in &counts {
            let word = &self.words[id as usize];
            structure.hsk_words[usize::from(word.hsk)] += u64::from(count);
            structure.unknown_words += u64::from(!word.in_dictionary) * u64::from(count);
        }
        let mut jieba = jieba;
        let keywords = methods(self.options)
            .into_iter()
            .map(|method| {
                let found = match method {
                    KeywordMethod::Jieba => jieba.take().unwrap_or_default(),
                    KeywordMethod::Tfidf => {
                        let scored: Vec<(&'a str, u64, f64)> =
                            candidates(counts.iter().copied(), &self.words)
                                .map(|(w, c)| (w.word, c, w.idf))
                                .collect();
                        keywords::tfidf(&scored, n)
                    }
                    KeywordMethod::Textrank => match &p.sequence {
                        Some((vocab, ids)) => {
                            let entry =
                                |w: &str| self.ids.get(w).map(|&id| &self.words[id as usize]);
                            let candidate: Vec<bool> = vocab
                                .iter()
                                .map(|w| {
                                    entry(w).is_some_and(|e| {
                                        TEXTRANK_TAGS.contains(&e.pos)
                                            && keywords::is_candidate(w)
                                            && !e.stopword
                                    })
                                })
                                .collect();
                            keywords::textrank(
                                vocab,
                                ids,
                                &candidate,
                                TEXTRANK_WINDOW,
                                TEXTRANK_DAMPING,
                                n,
                            )
                            .into_iter()
                            .filter_map(|k| {
                                Some(Keyword {
                                    word: entry(k.word)?.word,
                                    score: k.score,
                                })
                            })
                            .collect()
                        }
                        None => Vec::new(),
                    },
                    // Filled in by `finish`, once the whole corpus is counted.
                    KeywordMethod::TfidfCorpus | KeywordMethod::Keyness => Vec::new(),
                };
                (method, found)
            })
            .collect();
        let themes = self
            .options
            .themes
            .as_ref()
            .map(|lexicon| {
                let words: Vec<(&'a str, u64)> = counts
                    .iter()
                    .map(|&(id, c)| (self.words[id as usize].word, u64::from(c)))
                    .collect();
                themes::profile(&words, lexicon)
            })
            .unwrap_or_default();
        EssayResult {
            essay_id: p.essay_id,
            figures: p.figures,
            counts: frequency::PackedCounts::pack(&counts),
            keywords,
            structure,
            themes,
            forms: None,
        }
    }

    /// The corpus-wide results: the sorted word list, the keyword methods that need the whole
    /// corpus, similarity and reuse. With `keep_counts` false each essay's word counts are
    /// dropped once its TF-IDF vector is made (a streaming run has written them already).
    pub fn finish(self, keep_counts: bool) -> Analysis<'a> {
        let options = self.options;
        let mut analysis = self.finish_words();
        analysis.compare_essays(options, keep_counts, &|_, _| {}, &|| {});
        analysis
    }

    /// [`Self::finish`] up to the comparison of the essays: the word list, dispersion, the
    /// corpus keywords, reuse, groups and n-grams; every essay keeps its counts, and
    /// [`Analysis::compare_essays`] makes the similarity. A streaming run writes the tables
    /// that need no similarity in between, and frees what only they need.
    pub fn finish_words(mut self) -> Analysis<'a> {
        self.pack_last_batch_by_id();
        let AnalysisBuilder {
            options,
            stopwords,
            words,
            mut essays,
            reuse,
            ngrams,
            ngram_error,
            positions,
            groups,
            forms,
            ids,
            ..
        } = self;
        let forms = forms
            .filter(|counter| !counter.is_empty())
            .map(|counter| counter.finish(&words, ids));
        let groups = groups.map(|counter| {
            let found = counter.found();
            (counter.finish(&essays, &words), found)
        });
        let mut ngram_error = ngram_error;
        let ngrams = ngrams.and_then(|counter| {
            let total = counter.total();
            let content = |items: &[&str]| items.iter().any(|w| !stopwords.contains(w));
            let rows = counter.finish(&ngrams::Filter {
                min_freq: 2,
                min_range: 1,
                keep: &content,
            });
            match rows {
                Ok(rows) => Some((rows, total)),
                Err(message) => {
                    ngram_error = Some(message);
                    None
                }
            }
        });
        let mut order: Vec<u32> = (0..words.len() as u32).collect();
        // Most frequent first, ties by word (as `frequency::sort_counts`): a total order, as no
        // two entries hold the same word, so an unstable sort in parallel gives the one order.
        order.par_sort_unstable_by(|&a, &b| {
            let (a, b) = (&words[a as usize], &words[b as usize]);
            b.count.cmp(&a.count).then_with(|| a.word.cmp(b.word))
        });
        let mut rank = vec![0u32; words.len()];
        for (place, &id) in order.iter().enumerate() {
            rank[id as usize] = place as u32;
        }
        // Dispersion and ARF (each one serial pass, over the counts and over the positions
        // file) side by side; then the corpus keywords (per essay, in parallel) beside the reuse
        // groups (serial). None depends on another.
        let (spread_by_id, (arf_by_id, arf_error)) = rayon::join(
            || timing::time("dispersion", || spread(&words, &essays)),
            || match positions.map(|positions| {
                timing::time("average reduced frequency", || {
                    let totals: Vec<u64> = words.iter().map(|w| w.count).collect();
                    let total = essays.iter().map(|essay| essay.figures.words).sum();
                    positions.finish(&totals, total)
                })
            }) {
                Some(Ok(arf)) => (arf, None),
                Some(Err(message)) => (Vec::new(), Some(message)),
                None => (Vec::new(), None),
            },
        );
        let total_tokens = essays.iter().map(|essay| essay.figures.tokens).sum();
        let total_words: u64 = essays.iter().map(|essay| essay.figures.words).sum();
        let essay_count = essays.len() as u64;
        // Reuse before the vectors: its hashes and signatures are freed before they are made.
        let ((), reuse) = rayon::join(
            || {
                timing::time("corpus keywords", || {
                    essays.par_iter_mut().for_each(|essay| {
                        corpus_keywords(essay, &words, total_words, essay_count, options);
                    })
                })
            },
            || {
                reuse.zip(options.reuse).map(|(builder, threshold)| {
                    timing::time("reuse groups", || builder.finish(threshold))
                })
            },
        );
        let theme_names = options
            .themes
            .as_ref()
            .map(|l| l.themes.iter().map(|t| t.name.clone()).collect());
        let word_freq: Vec<WordFreq<'a>> = order.iter().map(|&id| words[id as usize]).collect();
        let dispersion = order.iter().map(|&id| spread_by_id[id as usize]).collect();
        let arf = if arf_by_id.is_empty() {
            Vec::new()
        } else {
            order.iter().map(|&id| arf_by_id[id as usize]).collect()
        };
        drop((words, spread_by_id, arf_by_id));
        let keyword_lists = (0..essays.first().map_or(0, |e| e.keywords.len()))
            .map(|slot| essays.iter().any(|e| !e.keywords[slot].1.is_empty()))
            .collect();
        // The word list's copy in id order is gone: its room goes back before the vectors come.
        crate::memory::give_back();
        Analysis {
            essays,
            word_freq,
            dispersion,
            arf,
            arf_error,
            rank,
            total_tokens,
            total_words,
            similarity: None,
            reuse,
            theme_names,
            ngrams,
            ngram_error,
            forms,
            groups,
            keyword_lists,
        }
    }
}

impl Analysis<'_> {
    /// How the essays resemble each other (if `options.similarity`), from their word counts,
    /// which are dropped unless `keep_counts`.
    /// `on_raise` is told when the neighbour search is made again with a larger budget (see
    /// [`similarity::Search`]).
    pub fn compare_essays(
        &mut self,
        options: &AnalysisOptions,
        keep_counts: bool,
        on_raise: &dyn Fn(usize, f64),
        on_searched: &(dyn Fn() + Sync),
    ) {
        self.similarity = options.similarity.then(|| {
            let vectors = timing::time("tf-idf vectors", || {
                similarity::vectors(&mut self.essays, &self.word_freq, &self.rank, keep_counts)
            });
            // The counts the vectors were made from are freed (unless kept).
            crate::memory::give_back();
            let default = options.neighbour_budget.is_none();
            let check = options.check_neighbours.unwrap_or(if default {
                similarity::DEFAULT_CHECK
            } else {
                0
            });
            let search = similarity::Search {
                budget: options
                    .neighbour_budget
                    .unwrap_or_else(|| similarity::default_budget(vectors.len())),
                check,
                raise: default,
                report: options.check_neighbours.is_some_and(|c| c > 0),
                on_raise,
                on_searched,
            };
            similarity::compare(&vectors, options.clusters, options.all_pairs, search)
        });
        if !keep_counts {
            self.essays
                .iter_mut()
                .for_each(|e| e.counts = Default::default());
        }
    }

    /// Frees the keyword lists of the essays from `from` on, once keywords.csv is written: the
    /// page and the charts show those of the first essays only (at 500 MB, 183,000 essays' two
    /// lists of ten took about 100 MB beside the neighbour search). Each essay keeps its
    /// methods, with no word.
    pub fn forget_keywords_from(&mut self, from: usize) {
        for essay in self.essays.iter_mut().skip(from) {
            for (_, found) in &mut essay.keywords {
                *found = Vec::new();
            }
        }
    }

    /// Whether any essay has a keyword by the method in each place of the essays' keyword
    /// lists (set before any list is forgotten).
    pub fn keyword_lists(&self) -> &[bool] {
        &self.keyword_lists
    }
}

/// Each word's dispersion over the essays, weighted by their words, by word id: one pass over
/// the counts, essay by essay in corpus order.
fn spread(words: &[WordFreq<'_>], essays: &[EssayResult<'_>]) -> Vec<dispersion::Dispersion> {
    let parts = dispersion::Parts::of(essays.iter().map(|e| e.figures.words));
    let mut sums = vec![dispersion::Sums::default(); words.len()];
    for essay in essays {
        for (id, count) in essay.counts.iter() {
            let total = words[id as usize].count;
            sums[id as usize].add(count.into(), essay.figures.words, total, &parts);
        }
    }
    sums.iter().map(|sums| sums.finish(&parts)).collect()
}

/// `text` with the lifetime of the results: the copy `others` holds already, or a new one.
fn keep<'a, 'b>(
    others: &mut FxHashSet<&'a str>,
    text: &'b str,
    intern: &dyn Fn(&'b str) -> &'a str,
) -> &'a str {
    if let Some(&kept) = others.get(text) {
        return kept;
    }
    let kept = intern(text);
    others.insert(kept);
    kept
}

/// Each keyword method once, in the order first asked for.
fn methods(options: &AnalysisOptions) -> Vec<KeywordMethod> {
    let mut methods: Vec<KeywordMethod> = Vec::new();
    for &method in &options.keyword_methods {
        if !methods.contains(&method) {
            methods.push(method);
        }
    }
    methods
}

/// The words of an essay that can be keywords (not stopwords, see [`keywords::is_candidate`]),
/// with their counts.
fn candidates<'w, 'a>(
    counts: impl Iterator<Item = (u32, u32)> + 'w,
    words: &'w [WordFreq<'a>],
) -> impl Iterator<Item = (&'w WordFreq<'a>, u64)> + 'w {
    counts
        .map(|(id, c)| (&words[id as usize], u64::from(c)))
        .filter(|(w, _)| w.keyword)
}

/// Keyword methods that need the whole corpus: corpus IDF and keyness.
fn corpus_keywords<'a>(
    essay: &mut EssayResult<'a>,
    words: &[WordFreq<'a>],
    words_total: u64,
    essays: u64,
    options: &AnalysisOptions,
) {
    let n = options.top_keywords;
    for (method, found) in &mut essay.keywords {
        match method {
            KeywordMethod::TfidfCorpus => {
                let scored: Vec<(&str, u64, f64)> = candidates(essay.counts.iter(), words)
                    .map(|(w, c)| (w.word, c, keywords::corpus_idf(essays, u64::from(w.essays))))
                    .collect();
                *found = keywords::tfidf(&scored, n);
            }
            KeywordMethod::Keyness => {
                let c = essay.figures.words;
                let d = words_total - c;
                let scored = candidates(essay.counts.iter(), words)
                    .filter_map(|(w, a)| {
                        let b = w.count - a;
                        if !Keyness::positive(a, b, c, d) {
                            return None;
                        }
                        let g2 = Keyness::g2(a, b, c, d);
                        (g2 >= KEYNESS_MIN_G2).then_some(Keyword {
                            word: w.word,
                            score: g2,
                        })
                    })
                    .collect();
                *found = keywords::top_n(scored, n);
            }
            _ => {}
        }
    }
}

/// Segments one essay; a long essay's chunks are segmented in parallel too, so that one huge
/// essay does not leave the other cores idle.
pub(crate) fn segment_essay<'a>(segmenter: &'a Segmenter, essay: &'a Essay) -> Vec<Token<'a>> {
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

/// [`segment_essay`], and the essay's posseg tokens (byte ranges of its body) from the same
/// cut, for xu_r2 (see [`posseg::cut_both`]).
fn segment_essay_tagged<'a>(
    segmenter: &'a Segmenter,
    essay: &'a Essay,
) -> (Vec<Token<'a>>, Vec<posseg::Tagged>) {
    let cut = |piece: &'a str| {
        let (mut tokens, mut tagged) = (Vec::new(), Vec::new());
        posseg::cut_both(segmenter, piece, &mut tokens, &mut tagged);
        let offset = (piece.as_ptr() as usize - essay.body.as_ptr() as usize) as u32;
        for t in &mut tagged {
            t.0 += offset;
            t.1 += offset;
        }
        (tokens, tagged)
    };
    let pieces: Vec<&str> = chunks(&essay.body, CHUNK_BYTES).collect();
    let parts: Vec<(Vec<Token<'a>>, Vec<posseg::Tagged>)> = if essay.body.len() <= 4 * CHUNK_BYTES {
        pieces.into_iter().map(cut).collect()
    } else {
        pieces.into_par_iter().map(cut).collect()
    };
    let (tokens, tagged): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    (tokens.concat(), tagged.concat())
}

fn analyse_essay<'b>(
    essay: &Essay,
    tokens: &[Token<'b>],
    tagged: &[posseg::Tagged],
    idf: &IdfTable,
    options: &AnalysisOptions,
) -> Pending<'b> {
    let index = WordIndex::new(tokens, &essay.body);
    let counts = count_words(&index);
    let xu = readability::xu(&essay.body, tagged);
    // The character classes are counted once, by the structure analysis.
    let structure = structure::analyse(&essay.body, tokens, &index, &options.markers);
    let figures = EssayFigures {
        lines: essay
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
    let methods = methods(options);
    let jieba = methods
        .contains(&KeywordMethod::Jieba)
        .then(|| keywords::jieba_extract_tags(tokens, idf, options.top_keywords));
    let sequence = methods
        .contains(&KeywordMethod::Textrank)
        .then(|| (index.vocab.clone(), index.ids.clone()));
    let positions = options.arf.then(|| arf::essay_positions(&index, &counts));
    Pending {
        essay_id: essay.id,
        figures,
        counts,
        structure,
        jieba,
        sequence,
        grams: options
            .ngrams
            .clone()
            .map(|ns| ngrams::word_grams(&essay.body, tokens, ns)),
        xu,
        forms: None,
        positions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page shows the tokens the analysis kept instead of segmenting again: they must be
    /// those of the page's own route (`segment_essay`, jieba's cut with HMM), essay by essay.
    #[test]
    fn kept_tokens_are_the_page_segmentation() {
        let corpus = Corpus::embedded(&Default::default());
        assert!(corpus.essays.len() >= 10);
        let segmenter = Segmenter::new();
        let stopwords = Stopwords::builtin();
        let options = AnalysisOptions::default();
        let mut builder = AnalysisBuilder::new(&segmenter, &stopwords, &options);
        let keep = corpus.essays.len() - 3;
        let (added, spans) = builder.add_keeping(&corpus.essays, &|w| w, &|_| {}, keep);
        assert_eq!((added, spans.len()), (0..corpus.essays.len(), keep));
        for (essay, spans) in corpus.essays.iter().zip(&spans) {
            assert_eq!(spans.tokens(&essay.body), segment_essay(&segmenter, essay));
        }
    }

    /// Spans come back as they went in: with gaps between tokens (whitespace left out), a
    /// long token, and even out of order.
    #[test]
    fn token_spans_round_trip() {
        let body = format!("社区 居民{}互助。\n好", "长".repeat(100));
        let at = |from: usize, to: usize| &body[from..to];
        let long = 13 + 300;
        let tokens = vec![
            at(0, 6),
            at(7, 13),
            at(13, long),
            at(long, long + 6),
            at(long + 6, long + 9),
            at(long + 10, long + 13),
            at(0, 3),
        ];
        let spans = TokenSpans::of(&body, &tokens);
        assert_eq!(spans.tokens(&body), tokens);
        // Two bytes a token where gap and length are small.
        assert_eq!(TokenSpans::of(&body, &tokens[..2]).0.len(), 4);
        assert!(TokenSpans::of(&body, &[]).tokens(&body).is_empty());
    }

    #[test]
    fn only_the_charted_essays_keep_their_sentence_lengths() {
        let essays: Vec<Essay> = (1..=45)
            .map(|id| Essay {
                id,
                title: format!("第{id}篇"),
                body: "社区很好。居民互助，大家团结！".into(),
                ..Essay::default()
            })
            .collect();
        let segmenter = Segmenter::new();
        let stopwords = Stopwords::builtin();
        let options = AnalysisOptions::default();
        let mut builder = AnalysisBuilder::new(&segmenter, &stopwords, &options);
        // Two batches, the limit inside the second.
        builder.add(&essays[..30], &|w| w, &|_| {});
        builder.add(&essays[30..], &|w| w, &|_| {});
        for (i, result) in builder.essays().iter().enumerate() {
            // 社区很好 = 4 Han characters; 居民互助，大家团结 = 8.
            let expected: &[u64] = if i < SENTENCE_LENGTHS_KEPT {
                &[4, 8]
            } else {
                &[]
            };
            assert_eq!(result.structure.sentence_lengths, expected, "essay {i}");
            assert_eq!(result.structure.sentences, 2, "essay {i}");
        }
    }

    /// `finish` in two steps, with the counts packed again by id after each batch, gives what
    /// `Analysis::run` gives in one (counts in their first order, one finish); forgetting
    /// keyword lists keeps each essay's methods and what the keywords chart needs to know.
    #[test]
    fn finishing_in_two_steps_and_forgetting_keywords() {
        let corpus = Corpus::embedded(&Default::default());
        let segmenter = Segmenter::new();
        let stopwords = Stopwords::builtin();
        let options = AnalysisOptions::default();
        let whole = Analysis::run(&corpus, &segmenter, &stopwords, &options);
        let mut builder = AnalysisBuilder::new(&segmenter, &stopwords, &options);
        builder.counts_by_id_after_batch();
        let (first, second) = corpus.essays.split_at(4);
        builder.add(first, &|w| w, &|_| {});
        builder.add(second, &|w| w, &|_| {});
        let mut stepped = builder.finish_words();
        assert!(stepped.similarity.is_none());
        stepped.compare_essays(&options, true, &|_, _| {}, &|| {});
        assert_eq!(stepped.word_freq, whole.word_freq);
        assert_eq!(stepped.dispersion, whole.dispersion);
        let similar = |a: &Analysis<'_>| a.similarity.as_ref().map(|s| s.pairs.clone());
        assert_eq!(similar(&stepped), similar(&whole));
        for (a, b) in stepped.essays.iter().zip(&whole.essays) {
            let mut by_id: Vec<_> = b.counts.iter().collect();
            by_id.sort_unstable();
            assert_eq!(a.counts.iter().collect::<Vec<_>>(), by_id);
            assert_eq!(a.keywords, b.keywords);
        }
        let lists = stepped.keyword_lists().to_vec();
        assert_eq!(lists, [true, true], "keyness and TF-IDF find keywords here");
        let kept = 3;
        stepped.forget_keywords_from(kept);
        assert_eq!(stepped.keyword_lists(), lists);
        for (i, (a, b)) in stepped.essays.iter().zip(&whole.essays).enumerate() {
            if i < kept {
                assert_eq!(a.keywords, b.keywords);
            } else {
                let methods: Vec<_> = b.keywords.iter().map(|(m, _)| (*m, Vec::new())).collect();
                assert_eq!(a.keywords, methods, "essay {i}");
            }
        }
    }

    /// ARF of every word of the bundled corpus, read in two batches, against its definition
    /// over the corpus segmented again as one sequence of words.
    #[test]
    fn arf_of_the_bundled_corpus_by_definition() {
        let corpus = Corpus::embedded(&Default::default());
        let segmenter = Segmenter::new();
        let stopwords = Stopwords::builtin();
        let options = AnalysisOptions {
            similarity: false,
            reuse: None,
            ..AnalysisOptions::default()
        };
        let mut builder = AnalysisBuilder::new(&segmenter, &stopwords, &options);
        builder.counts_by_id_after_batch();
        let (first, second) = corpus.essays.split_at(3);
        builder.add(first, &|w| w, &|_| {});
        builder.add(second, &|w| w, &|_| {});
        let analysis = builder.finish_words();
        assert_eq!(analysis.arf_error, None);
        let sequence: Vec<&str> = corpus
            .essays
            .iter()
            .flat_map(|essay| segment_essay(&segmenter, essay))
            .filter(|token| frequency::is_word(token))
            .collect();
        let n = sequence.len();
        assert_eq!(n as u64, analysis.total_words);
        let mut at: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (p, word) in sequence.iter().enumerate() {
            at.entry(word).or_default().push(p);
        }
        assert_eq!(analysis.arf.len(), analysis.word_freq.len());
        let mut spread_out = 0;
        for (w, &arf) in analysis.word_freq.iter().zip(&analysis.arf) {
            let at = &at[w.word];
            assert_eq!(at.len() as u64, w.count);
            let v = n as f64 / at.len() as f64;
            let mut sum = ((at[0] + n - at[at.len() - 1]) as f64).min(v);
            for pair in at.windows(2) {
                sum += ((pair[1] - pair[0]) as f64).min(v);
            }
            let want = sum / v;
            assert!(
                (arf - want).abs() <= 1e-9 * want,
                "{}: {arf} {want}",
                w.word
            );
            assert!(arf >= 1.0 - 1e-12 && arf <= w.count as f64 + 1e-9);
            spread_out += usize::from(arf < 0.5 * w.count as f64);
        }
        // The check is not empty: some words are bunched to less than half their count.
        assert!(spread_out > 0);
    }

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
        assert_eq!(figures.lines, 2);
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

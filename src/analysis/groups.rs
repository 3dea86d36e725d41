//! Groups of essays by a metadata column (a class, a year): their size, the means of their
//! structure figures, and the words that set each group apart from the rest of the corpus.

use rustc_hash::FxHashMap;

use super::keyness::Keyness;
use super::{EssayResult, WordFreq};

/// The label of essays that have no value in the grouping column.
pub const NO_VALUE: &str = "(none)";
/// Keywords of a group: positive keyness against the rest with p < 0.05 (G² ≥ 3.841459), seen at
/// least this often in the corpus, the strongest first.
const MIN_FREQ: u64 = 5;
const MIN_G2: f64 = super::CHI2_95;
const KEYWORDS: usize = 10;

/// The groups as the essays are added, in order of first appearance.
#[derive(Debug, Default)]
pub struct GroupCounter {
    index: FxHashMap<String, usize>,
    names: Vec<String>,
    /// By group: essay positions (in corpus order), word counts by word id, words.
    essays: Vec<Vec<usize>>,
    counts: Vec<FxHashMap<u32, u64>>,
    words: Vec<u64>,
    /// Essays seen so far.
    seen: usize,
    /// Some essay had the column.
    found: bool,
}

impl GroupCounter {
    /// Adds the next essay: its value in the column (`None` if it has none) and its results.
    pub fn add(&mut self, value: Option<&str>, result: &EssayResult<'_>) {
        self.found |= value.is_some();
        let name = value.filter(|v| !v.trim().is_empty()).unwrap_or(NO_VALUE);
        let g = match self.index.get(name) {
            Some(&g) => g,
            None => {
                self.index.insert(name.to_owned(), self.names.len());
                self.names.push(name.to_owned());
                self.essays.push(Vec::new());
                self.counts.push(FxHashMap::default());
                self.words.push(0);
                self.names.len() - 1
            }
        };
        self.essays[g].push(self.seen);
        self.seen += 1;
        for (id, count) in result.counts.iter() {
            *self.counts[g].entry(id).or_insert(0) += u64::from(count);
        }
        self.words[g] += result.figures.words;
    }

    /// Whether any essay had a value in the column.
    pub fn found(&self) -> bool {
        self.found
    }

    /// The groups, sorted by name, with their figures. `words` are the corpus words by id.
    pub fn finish(self, essays: &[EssayResult<'_>], words: &[WordFreq<'_>]) -> Vec<Group> {
        let total: u64 = self.words.iter().sum();
        let mut groups: Vec<Group> = (0..self.names.len())
            .map(|g| {
                let members = &self.essays[g];
                let mean = |f: &dyn Fn(&EssayResult<'_>) -> f64| {
                    members.iter().map(|&i| f(&essays[i])).sum::<f64>() / members.len() as f64
                };
                let c = self.words[g];
                let mut keywords: Vec<(String, f64)> = self.counts[g]
                    .iter()
                    .filter_map(|(&id, &a)| {
                        let w = &words[id as usize];
                        let b = w.count - a;
                        let d = total - c;
                        let candidate =
                            w.keyword && w.count >= MIN_FREQ && Keyness::positive(a, b, c, d);
                        let g2 = Keyness::g2(a, b, c, d);
                        (candidate && g2 >= MIN_G2).then(|| (w.word.to_owned(), g2))
                    })
                    .collect();
                keywords.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                keywords.truncate(KEYWORDS);
                Group {
                    name: self.names[g].clone(),
                    essays: members.len(),
                    words: c,
                    mean_words: mean(&|e| e.figures.words as f64),
                    mean_sentences: mean(&|e| f64::from(e.structure.sentences)),
                    mean_sentence_han: mean(&|e| e.structure.sentence_han.mean),
                    mean_ttr: mean(&|e| e.structure.ttr),
                    mean_mtld: mean(&|e| e.structure.mtld),
                    mean_lexical_density: mean(&|e| e.structure.lexical_density),
                    keywords,
                }
            })
            .collect();
        groups.sort_by(|a, b| a.name.cmp(&b.name));
        groups
    }
}

/// One group's row of groups.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub essays: usize,
    pub words: u64,
    pub mean_words: f64,
    pub mean_sentences: f64,
    pub mean_sentence_han: f64,
    pub mean_ttr: f64,
    pub mean_mtld: f64,
    pub mean_lexical_density: f64,
    /// The group's key words against the rest, with their G².
    pub keywords: Vec<(String, f64)>,
}

//! Words as the essays wrote them. A traditional essay is converted to simplified before it is
//! segmented, so that jieba, the stopwords, the IDF table and the lexicons work on it; its words
//! are counted under their simplified form. The tables show them as written: an essay's own
//! tables (essay_word_freq, keywords) its own form, the corpus tables (word_freq, n-grams) the
//! form the corpus uses most.
//!
//! Only essays converted character for character (`Essay::original`) have forms other than the
//! word: a corpus without traditional text costs nothing here.

use rustc_hash::FxHashMap;

use super::frequency::WordCount;
use super::layout::Shown;
use super::WordFreq;
use crate::corpus::Essay;

/// Which form of a word the tables and charts show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportScript {
    /// As the essays wrote it: in an essay's rows its own form, in the corpus's rows the form
    /// used most (a traditional corpus is reported in traditional characters)
    #[default]
    Written,
    /// The simplified form that was segmented and counted
    Simplified,
}

/// The written form of each counted word of a converted essay, where it first occurs, by its
/// place in `counts`, for the words written otherwise than their simplified form; `None` for an
/// essay that was not converted.
pub fn essay_forms<'b>(essay: &'b Essay, counts: &[WordCount<'b>]) -> Option<Vec<(u32, &'b str)>> {
    essay.original.as_ref()?;
    let shown = Shown::of(essay);
    Some(
        counts
            .iter()
            .enumerate()
            .filter_map(|(place, w)| {
                let at = w.first as usize;
                let form = shown.text(at, at + w.word.len());
                (form != w.word).then_some((place as u32, form))
            })
            .collect(),
    )
}

/// Where a converted essay writes its words otherwise than counted: for the words at byte
/// ranges `words` (start, length) of its body, taken where each first occurs, the (place in
/// `words`, byte range of the original text) of those written otherwise. Empty for an essay
/// not converted character for character.
pub fn written_ranges(
    essay: &Essay,
    words: impl Iterator<Item = (u32, u32)>,
) -> Vec<(u32, (u32, u32))> {
    let Some(original) = essay.original.as_deref() else {
        return Vec::new();
    };
    let shown = Shown::of(essay);
    let base = original.as_ptr() as usize;
    words
        .enumerate()
        .filter_map(|(place, (start, len))| {
            let (start, end) = (start as usize, (start + len) as usize);
            let form = shown.text(start, end);
            let at = (form.as_ptr() as usize - base) as u32;
            (form != &essay.body[start..end]).then_some((place as u32, (at, form.len() as u32)))
        })
        .collect()
}

/// The forms met so far, essay by essay in corpus order.
#[derive(Debug, Default)]
pub struct FormCounter<'a> {
    /// By word id: its form in the first converted essay that has it.
    first: Vec<Option<&'a str>>,
    /// Words counted under a form other than their own, by word id. An essay's occurrences of
    /// a word all count under its form where it first occurs there.
    counts: Tally<u32, &'a str>,
}

impl<'a> FormCounter<'a> {
    /// Takes a converted essay's forms (`ids`: its (word id, count) in the order of its counts;
    /// `forms`: the places and forms of [`essay_forms`], given the corpus's lifetime); returns
    /// where the essay writes a word otherwise than the first converted essay that had it, by id.
    pub fn add(
        &mut self,
        words: &[WordFreq<'a>],
        ids: &[(u32, u32)],
        forms: &[(u32, &'a str)],
    ) -> Box<[(u32, &'a str)]> {
        if self.first.len() < words.len() {
            self.first.resize(words.len(), None);
        }
        let mut forms = forms.iter().peekable();
        let mut own = Vec::new();
        for (place, &(id, count)) in ids.iter().enumerate() {
            let form = match forms.next_if(|(p, _)| *p as usize == place) {
                Some(&(_, form)) => {
                    self.counts.add(id, form, count.into());
                    form
                }
                None => words[id as usize].word,
            };
            let first = *self.first[id as usize].get_or_insert(form);
            if form != first {
                own.push((id, form));
            }
        }
        own.sort_unstable_by_key(|&(id, _)| id);
        own.into_boxed_slice()
    }

    /// No converted essay was met.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// How an essay of `own` forms (see [`FormCounter::add`]) writes word `id`, where it is
    /// not written as the word itself, as far as the corpus is read.
    pub fn essay(&self, own: &[(u32, &'a str)], id: u32) -> Option<&'a str> {
        essay_form(&self.first, own, id)
    }

    /// The forms to report, once the corpus is counted. `ids` finds a word's id.
    pub fn finish(self, words: &[WordFreq<'a>], ids: FxHashMap<&'a str, u32>) -> Forms<'a> {
        let corpus = words
            .iter()
            .enumerate()
            .map(|(id, w)| self.counts.commonest(id as u32, w.count).unwrap_or(w.word))
            .collect();
        Forms {
            corpus,
            first: self.first,
            ids,
        }
    }
}

/// How the essays write each word, for the tables.
#[derive(Debug, Clone)]
pub struct Forms<'a> {
    /// By word id: the form the corpus uses most.
    corpus: Vec<&'a str>,
    /// By word id: its form in the first converted essay that has it.
    first: Vec<Option<&'a str>>,
    ids: FxHashMap<&'a str, u32>,
}

impl<'a> Forms<'a> {
    /// The form of word `id` in the corpus tables.
    pub fn corpus(&self, id: u32) -> &'a str {
        self.corpus[id as usize]
    }

    /// How an essay of `own` forms writes word `id`, where it is not written as the word
    /// itself.
    pub fn essay(&self, own: &[(u32, &'a str)], id: u32) -> Option<&'a str> {
        essay_form(&self.first, own, id)
    }

    /// The id of a word of the corpus.
    pub fn id(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }
}

fn essay_form<'a>(first: &[Option<&'a str>], own: &[(u32, &'a str)], id: u32) -> Option<&'a str> {
    match own.binary_search_by_key(&id, |&(id, _)| id) {
        Ok(i) => Some(own[i].1),
        Err(_) => first.get(id as usize).copied().flatten(),
    }
}

/// How often items (words, characters) were written in forms other than the one they were
/// counted under, for the form a corpus table shows.
#[derive(Debug, Clone)]
pub struct Tally<K, F> {
    /// By item: each other form and its count, in the order first met.
    forms: FxHashMap<K, Vec<(F, u64)>>,
}

impl<K, F> Default for Tally<K, F> {
    fn default() -> Self {
        Tally {
            forms: FxHashMap::default(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Copy, F: Ord + Copy> Tally<K, F> {
    /// Counts `count` occurrences of `item` written as `form`.
    pub fn add(&mut self, item: K, form: F, count: u64) {
        self.add_as(item, |f| *f == form, || form, count);
    }

    /// Counts `count` occurrences of `item` in the form that `is` recognises, made by `make`
    /// the first time (a word is copied into the corpus's memory once, not at every essay).
    pub fn add_as(
        &mut self,
        item: K,
        is: impl Fn(&F) -> bool,
        make: impl FnOnce() -> F,
        count: u64,
    ) {
        let forms = self.forms.entry(item).or_default();
        match forms.iter_mut().find(|(f, _)| is(f)) {
            Some((_, n)) => *n += count,
            None => forms.push((make(), count)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// The items written in another form at least once.
    pub fn items(&self) -> impl Iterator<Item = K> + '_ {
        self.forms.keys().copied()
    }

    /// The form to show for an item seen `total` times in all: the other form used most, if
    /// it is used more often than the counted form (`total` less the other forms' counts).
    /// Ties go to the counted form, then to the smaller form (code-point order for text).
    pub fn commonest(&self, item: K, total: u64) -> Option<F> {
        let forms = self.forms.get(&item)?;
        let same = total.saturating_sub(forms.iter().map(|&(_, n)| n).sum());
        let &(form, count) = forms
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
        (count > same).then_some(form)
    }
}

//! The one place where analysis results become Polars DataFrames.

use polars::prelude::*;

use crate::analysis::keyness::KeynessRow;
use crate::analysis::structure::{Lengths, MarkerKind, Structure};
use crate::analysis::{Analysis, EssayResult, WordFreq};
use crate::corpus::Corpus;
use crate::error::{Error, Result};

/// How text cells are prepared.
#[derive(Debug, Clone, Copy, Default)]
pub struct FrameOptions {
    /// Prefix cells that Excel would run as formulas (`=`, `+`, `-`, `@`) with an apostrophe.
    pub excel_safe: bool,
}

/// A table handed out by [`Tables::each`]: a whole frame, or one made in pieces: `frame` makes
/// the rows of a range of `units` (n-grams, or essays), `step` units at a time (ngrams.csv and
/// keywords.csv have millions of rows at scale: as one frame their strings alone take hundreds
/// of MB). An empty range gives the columns and no row.
pub enum Table<'t> {
    Whole(DataFrame),
    Pieces {
        units: usize,
        step: usize,
        frame: &'t (dyn Fn(std::ops::Range<usize>) -> Result<DataFrame> + Sync),
    },
}

impl Table<'_> {
    /// Rows made into a frame at a time when a table comes in pieces.
    pub const PIECE: usize = 100_000;

    /// The table as one frame.
    pub fn whole(self) -> Result<DataFrame> {
        match self {
            Table::Whole(df) => Ok(df),
            Table::Pieces { units, frame, .. } => frame(0..units),
        }
    }
}

/// Essays whose keywords are made a frame at a time: about [`Table::PIECE`] rows with the
/// default two methods of ten keywords.
const KEYWORD_ESSAYS: usize = 5_000;

/// The file stems of every table [`Tables::each`] can give (`analyze` writes each as `.csv` or
/// `.parquet`): how `report::run` tells wenxi's own reports in a folder that has no `run.json`.
pub const TABLE_NAMES: &[&str] = &[
    "files",
    "essays",
    "groups",
    "word_freq",
    "ngrams",
    "essay_word_freq",
    "keywords",
    "structure",
    "correlations",
    "markers",
    "similarity",
    "clusters",
    "reuse",
    "reuse_groups",
    "themes",
];

/// Which tables [`Tables::each`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    All,
    /// keywords.csv alone: `analyze` writes it before the essays are compared, and then frees
    /// the keyword lists the page and the charts do not show.
    Keywords,
    AllButKeywords,
}

/// The report tables of a run, each with the file stem it is written under.
pub struct Tables {
    pub tables: Vec<(&'static str, DataFrame)>,
}

impl Tables {
    pub fn build(
        corpus: &Corpus,
        analysis: &Analysis<'_>,
        options: FrameOptions,
    ) -> Result<Tables> {
        let mut tables = Vec::new();
        Self::each(
            corpus,
            analysis,
            options,
            true,
            Which::All,
            &mut |name, table| {
                tables.push((name, table.whole()?));
                Ok(())
            },
        )?;
        Ok(Tables { tables })
    }

    /// Builds the tables one after another and hands each to `take`, so that a run that writes
    /// each at once never holds them all (keywords, themes and structure of 183,000 essays take
    /// hundreds of MB as frames). `essay_words` leaves out essay_word_freq (a streaming run
    /// writes it batch by batch); `which` picks the tables, in the same order whatever it is.
    pub fn each(
        corpus: &Corpus,
        analysis: &Analysis<'_>,
        options: FrameOptions,
        essay_words: bool,
        which: Which,
        take: &mut dyn FnMut(&'static str, Table<'_>) -> Result<()>,
    ) -> Result<()> {
        let want = |name: &'static str| {
            debug_assert!(TABLE_NAMES.contains(&name), "{name} is not in TABLE_NAMES");
            match which {
                Which::All => true,
                Which::Keywords => name == "keywords",
                Which::AllButKeywords => name != "keywords",
            }
        };
        let take = &mut |name: &'static str, table: Table<'_>| {
            debug_assert!(want(name), "{name} was not asked for");
            take(name, table)
        };
        let keys = Keys::of(corpus);
        if want("files") {
            take("files", Table::Whole(files(corpus, options)?))?;
        }
        if want("essays") {
            take(
                "essays",
                Table::Whole(essays(corpus, analysis, &keys, options)?),
            )?;
        }
        if let Some((groups, _)) = analysis.groups.as_ref().filter(|_| want("groups")) {
            take(
                "groups",
                Table::Whole(groups_frame(analysis, groups, options)?),
            )?;
        }
        if want("word_freq") {
            take("word_freq", Table::Whole(word_freq(analysis, options)?))?;
        }
        if let Some((table, total)) = analysis.ngrams.as_ref().filter(|_| want("ngrams")) {
            let frame = |range| {
                let mut rows = table.rows(range)?;
                if analysis.forms.is_some() {
                    for row in &mut rows {
                        let words: Vec<&str> = row
                            .text
                            .split(' ')
                            .map(|w| analysis.shown_word(w))
                            .collect();
                        row.text = words.join(" ");
                    }
                }
                ngrams_frame(&rows, *total, options)
            };
            take(
                "ngrams",
                Table::Pieces {
                    units: table.len(),
                    step: Table::PIECE,
                    frame: &frame,
                },
            )?;
        }
        if essay_words && want("essay_word_freq") {
            let word = |id| analysis.word(id);
            let shown = |i: usize, id| analysis.shown_in(&analysis.essays[i], id);
            take(
                "essay_word_freq",
                Table::Whole(essay_word_freq(
                    &analysis.essays,
                    &word,
                    &shown,
                    &keys,
                    options,
                )?),
            )?;
        }
        if want("keywords") {
            let frame = |range| keywords(analysis, &analysis.essays[range], &keys, options);
            take(
                "keywords",
                Table::Pieces {
                    units: analysis.essays.len(),
                    step: KEYWORD_ESSAYS,
                    frame: &frame,
                },
            )?;
        }
        if want("structure") {
            let structure = structure(corpus, analysis, &keys, options)?;
            let correlations = correlations(corpus, &structure, options)?;
            take("structure", Table::Whole(structure))?;
            if let Some(df) = correlations {
                take("correlations", Table::Whole(df))?;
            }
        }
        if want("markers") {
            take("markers", Table::Whole(markers(analysis, &keys, options)?))?;
        }
        if want("similarity") {
            for (name, df) in similarity_tables(corpus, analysis, &keys, options)? {
                take(name, Table::Whole(df))?;
            }
        }
        if want("reuse") {
            for (name, df) in reuse_tables(corpus, analysis, &keys, options)? {
                take(name, Table::Whole(df))?;
            }
        }
        if want("themes") {
            if let Some((name, df)) = themes_table(analysis, &keys, options)? {
                take(name, Table::Whole(df))?;
            }
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&DataFrame> {
        self.tables
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, df)| df)
    }
}

/// The stable keys of some consecutive essays (see [`Corpus::essay_keys`]), by essay id.
pub struct Keys {
    first_id: u32,
    keys: Vec<String>,
}

impl Keys {
    pub fn of(corpus: &Corpus) -> Keys {
        Keys {
            first_id: corpus.essays.first().map_or(1, |e| e.id),
            keys: corpus.essay_keys(),
        }
    }

    pub fn get(&self, essay_id: u32) -> &str {
        &self.keys[(essay_id - self.first_id) as usize]
    }

    /// The `essay_key` column of rows with these essay ids.
    fn column(&self, ids: impl Iterator<Item = u32>, options: FrameOptions) -> Column {
        text("essay_key", ids.map(|id| self.get(id)), options)
    }

    /// The `essay_key` column of rows of `essays`, each row given as its essay's place in
    /// `essays`: taken from a column of one key an essay. A string column keeps a string longer
    /// than 12 bytes in a buffer and a 16-byte view of it a row; the taken rows share the
    /// views' buffer, where a column made row by row copied the key into every row (at 50 MB,
    /// essay_word_freq's frames went from 0.67 to 0.57 s, and the run's peak from 254 to
    /// 241 MB).
    fn taken(
        &self,
        essays: &[EssayResult<'_>],
        places: impl Iterator<Item = IdxSize>,
        name: &'static str,
        options: FrameOptions,
    ) -> Result<Column> {
        self.column(essays.iter().map(|e| e.essay_id), options)
            .take(&IdxCa::from_vec("".into(), places.collect()))
            .map_err(|source| Error::Frame { name, source })
    }
}

/// A text column; cells that Excel would take for formulas are neutralised if asked.
fn text<'s>(name: &str, values: impl Iterator<Item = &'s str>, options: FrameOptions) -> Column {
    let values: Vec<&str> = values.collect();
    // A negative number (-3, -2.5) is a number to Excel too, not a formula: it stays as it
    // is, so that the CSV and the Parquet tables hold the same value. (+8613812345678, a phone
    // number, keeps its guard, which keeps Excel from showing it as 8.61E+12.)
    let is_number = |value: &str| {
        value.starts_with('-')
            && value
                .bytes()
                .all(|b| b.is_ascii_digit() || b"-.eE".contains(&b))
            && value.parse::<f64>().is_ok_and(f64::is_finite)
    };
    let is_formula = |value: &&str| value.starts_with(['=', '+', '-', '@']) && !is_number(value);
    if options.excel_safe && values.iter().any(is_formula) {
        let safe: Vec<String> = values
            .iter()
            .map(|v| {
                if is_formula(v) {
                    format!("'{v}")
                } else {
                    (*v).to_owned()
                }
            })
            .collect();
        Column::new(name.into(), safe)
    } else {
        Column::new(name.into(), values)
    }
}

/// A column holding `values`.
pub(crate) fn column<T>(name: &str, values: impl Iterator<Item = T>) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), values.collect::<Vec<T>>())
}

fn frame(name: &'static str, height: usize, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new(height, columns).map_err(|source| Error::Frame { name, source })
}

/// Occurrences per 10,000 words; 0 for an empty denominator, never NaN.
pub fn per_10k(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 * 10_000.0 / total as f64
    }
}

fn files(corpus: &Corpus, options: FrameOptions) -> Result<DataFrame> {
    let f = &corpus.files;
    frame(
        "files",
        f.len(),
        vec![
            text("path", f.iter().map(|x| x.path.as_str()), options),
            column("encoding", f.iter().map(|x| x.encoding.as_str())),
            column("bytes", f.iter().map(|x| x.bytes)),
            column("essays", f.iter().map(|x| x.essays as u64)),
            column("status", f.iter().map(|x| x.status.as_str())),
            text("message", f.iter().map(|x| x.message.as_str()), options),
        ],
    )
}

fn essays(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    keys: &Keys,
    options: FrameOptions,
) -> Result<DataFrame> {
    let e = &corpus.essays;
    let fig: Vec<_> = analysis.essays.iter().map(|r| r.figures).collect();
    // An essay that shares no weighted word with any other has no nearest essay (not one at
    // cosine 0).
    let nearest: Vec<Option<(u32, f64)>> = match &analysis.similarity {
        Some(s) => s
            .nearest
            .iter()
            .map(|n| n.filter(|&(_, cosine)| cosine > 0.0))
            .collect(),
        None => vec![None; e.len()],
    };
    let mut columns = vec![
        column("essay_id", e.iter().map(|x| x.id)),
        keys.column(e.iter().map(|x| x.id), options),
        text("title", e.iter().map(|x| x.title.as_str()), options),
        text("source", e.iter().map(|x| x.source.as_str()), options),
        column("lines", fig.iter().map(|x| x.lines)),
        column("characters", fig.iter().map(|x| x.characters)),
        column("han_characters", fig.iter().map(|x| x.han_characters)),
        column("tokens", fig.iter().map(|x| x.tokens)),
        column("words", fig.iter().map(|x| x.words)),
        column("types", fig.iter().map(|x| x.types)),
        text(
            "script",
            e.iter().map(|x| x.script.map_or("", |s| s.as_str())),
            options,
        ),
        column("converted", e.iter().map(|x| x.converted)),
        column(
            "nearest_essay",
            nearest.iter().map(|n| n.map(|(j, _)| e[j as usize].id)),
        ),
        column("nearest_cosine", nearest.iter().map(|n| n.map(|(_, c)| c))),
    ];
    with_meta(&mut columns, corpus, options);
    frame("essays", e.len(), columns)
}

/// Appends the metadata columns (spreadsheet columns and `--metadata`: class, student, score …)
/// in the order first seen; empty for an essay without the column. A name that clashes with a
/// column already there gets `meta_` in front.
fn with_meta(columns: &mut Vec<Column>, corpus: &Corpus, options: FrameOptions) {
    for name in meta_names(corpus) {
        let values = corpus.essays.iter().map(|e| {
            e.meta
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| v.as_str())
        });
        let taken = columns.iter().any(|c| c.name().as_str() == name);
        let header = if taken || name.is_empty() {
            format!("meta_{name}")
        } else {
            name.to_owned()
        };
        columns.push(text(&header, values, options));
    }
}

/// The names of the essays' metadata columns, in the order first seen.
pub fn meta_names(corpus: &Corpus) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for essay in &corpus.essays {
        for (name, _) in &essay.meta {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    names
}

/// `themes.csv`, when a theme lexicon was given: one row per essay and theme.
fn themes_table(
    analysis: &Analysis<'_>,
    keys: &Keys,
    options: FrameOptions,
) -> Result<Option<(&'static str, DataFrame)>> {
    let Some(names) = &analysis.theme_names else {
        return Ok(None);
    };
    let mut rows = Vec::new();
    for essay in &analysis.essays {
        let total: u64 = essay.themes.iter().map(|t| t.hits).sum();
        for (name, hits) in names.iter().zip(&essay.themes) {
            let words: Vec<String> = hits
                .words
                .iter()
                .map(|(w, c)| format!("{}×{c}", analysis.shown_word_in(essay, w)))
                .collect();
            rows.push((
                essay.essay_id,
                name.as_str(),
                hits.hits,
                per_10k(hits.hits, essay.figures.words) / 10.0,
                crate::analysis::structure::ratio(hits.hits, total),
                words.join("、"),
            ));
        }
    }
    let df = frame(
        "themes",
        rows.len(),
        vec![
            column("essay_id", rows.iter().map(|r| r.0)),
            keys.column(rows.iter().map(|r| r.0), options),
            text("theme", rows.iter().map(|r| r.1), options),
            column("hits", rows.iter().map(|r| r.2)),
            column("per_1k", rows.iter().map(|r| r.3)),
            column("share", rows.iter().map(|r| r.4)),
            text("words", rows.iter().map(|r| r.5.as_str()), options),
        ],
    )?;
    Ok(Some(("themes", df)))
}

/// `reuse.csv` (pairs sharing sentences) and `reuse_groups.csv` (near-duplicate groups), when
/// text reuse was looked for.
fn reuse_tables(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    keys: &Keys,
    options: FrameOptions,
) -> Result<Vec<(&'static str, DataFrame)>> {
    let Some(reuse) = &analysis.reuse else {
        return Ok(Vec::new());
    };
    let id = |index: u32| corpus.essays[index as usize].id;
    let p = &reuse.pairs;
    let examples: Vec<String> = p.iter().map(|r| r.examples.join(" | ")).collect();
    let pairs = frame(
        "reuse",
        p.len(),
        vec![
            column("essay_a", p.iter().map(|r| id(r.a))),
            column("essay_b", p.iter().map(|r| id(r.b))),
            column("shared_sentences", p.iter().map(|r| r.count)),
            text("examples", examples.iter().map(String::as_str), options),
        ],
    )?;
    let rows: Vec<(u32, u32, u32, f64)> = reuse
        .groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| {
            group
                .members
                .iter()
                .zip(&group.jaccard)
                .map(move |(&m, &j)| (g as u32 + 1, id(m), group.members.len() as u32, j))
        })
        .collect();
    let groups = frame(
        "reuse_groups",
        rows.len(),
        vec![
            column("group", rows.iter().map(|r| r.0)),
            column("essay_id", rows.iter().map(|r| r.1)),
            keys.column(rows.iter().map(|r| r.1), options),
            column("essays", rows.iter().map(|r| r.2)),
            column("jaccard", rows.iter().map(|r| r.3)),
        ],
    )?;
    Ok(vec![("reuse", pairs), ("reuse_groups", groups)])
}

/// `similarity.csv` and `clusters.csv`, when the essays were compared.
fn similarity_tables(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    keys: &Keys,
    options: FrameOptions,
) -> Result<Vec<(&'static str, DataFrame)>> {
    let Some(similarity) = &analysis.similarity else {
        return Ok(Vec::new());
    };
    let id = |index: u32| corpus.essays[index as usize].id;
    let p = &similarity.pairs;
    let mut columns = vec![
        column("essay_a", p.iter().map(|x| id(x.0))),
        column("essay_b", p.iter().map(|x| id(x.1))),
        column("cosine", p.iter().map(|x| x.2)),
    ];
    if !similarity.all_pairs {
        // Each essay's neighbours, nearest first: the rank restarts at each essay.
        let mut rank = 0u32;
        let ranks: Vec<u32> = p
            .iter()
            .enumerate()
            .map(|(i, x)| {
                rank = if i > 0 && p[i - 1].0 == x.0 {
                    rank + 1
                } else {
                    1
                };
                rank
            })
            .collect();
        columns.push(Column::new("rank".into(), ranks));
        columns.push(column(
            "exact",
            p.iter().map(|x| similarity.exact[x.0 as usize]),
        ));
    }
    let mut tables = vec![("similarity", frame("similarity", p.len(), columns)?)];
    if let Some(c) = &similarity.clusters {
        tables.push((
            "clusters",
            frame(
                "clusters",
                c.label.len(),
                vec![
                    column("essay_id", corpus.essays.iter().map(|e| e.id)),
                    keys.column(corpus.essays.iter().map(|e| e.id), options),
                    Column::new("cluster".into(), c.label.clone()),
                    Column::new("order".into(), c.order.clone()),
                    column(
                        "method",
                        std::iter::repeat_n(c.method.as_str(), c.label.len()),
                    ),
                ],
            )?,
        ));
    }
    Ok(tables)
}

fn word_freq(analysis: &Analysis<'_>, options: FrameOptions) -> Result<DataFrame> {
    let (w, d) = (&analysis.word_freq, &analysis.dispersion);
    let total = analysis.total_words;
    frame(
        "word_freq",
        w.len(),
        vec![
            text(
                "word",
                w.iter().map(|x| analysis.shown_word(x.word)),
                options,
            ),
            column("pos", w.iter().map(|x| x.pos)),
            column("count", w.iter().map(|x| x.count)),
            column("per_10k", w.iter().map(|x| per_10k(x.count, total))),
            column("essays", w.iter().map(|x| x.essays)),
            column("juilland_d", d.iter().map(|x| x.juilland_d)),
            column("dp", d.iter().map(|x| x.dp)),
            column("dp_norm", d.iter().map(|x| x.dp_norm)),
            column("arf", (0..w.len()).map(|i| analysis.arf.get(i).copied())),
            column("stopword", w.iter().map(|x| x.stopword)),
        ],
    )
}

/// `essay_word_freq`: one row per word of each essay, most frequent first. `word` gives a word
/// id's corpus entry (its tag and whether it is a stopword), `shown` how the `i`th essay of
/// `essays` writes it. A streaming run builds it per batch.
pub fn essay_word_freq<'w>(
    essays: &[EssayResult<'_>],
    word: &dyn Fn(u32) -> &'w WordFreq<'w>,
    shown: &dyn Fn(usize, u32) -> &'w str,
    keys: &Keys,
    options: FrameOptions,
) -> Result<DataFrame> {
    let rows: Vec<(u32, u64, &WordFreq<'_>, u32, &str, IdxSize)> = essays
        .iter()
        .enumerate()
        .flat_map(|(i, essay)| {
            essay.counts.iter().map(move |(id, count)| {
                (
                    essay.essay_id,
                    essay.figures.words,
                    word(id),
                    count,
                    shown(i, id),
                    i as IdxSize,
                )
            })
        })
        .collect();
    let essay_keys = keys.taken(essays, rows.iter().map(|r| r.5), "essay_word_freq", options)?;
    frame(
        "essay_word_freq",
        rows.len(),
        vec![
            column("essay_id", rows.iter().map(|r| r.0)),
            essay_keys,
            text("word", rows.iter().map(|r| r.4), options),
            column("pos", rows.iter().map(|r| r.2.pos)),
            column("count", rows.iter().map(|r| u64::from(r.3))),
            column("per_10k", rows.iter().map(|r| per_10k(u64::from(r.3), r.1))),
            column("stopword", rows.iter().map(|r| r.2.stopword)),
        ],
    )
}

/// `keywords.csv`: the rows of `essays` (some of `analysis.essays`).
fn keywords(
    analysis: &Analysis<'_>,
    essays: &[EssayResult<'_>],
    keys: &Keys,
    options: FrameOptions,
) -> Result<DataFrame> {
    let rows: Vec<_> = essays
        .iter()
        .enumerate()
        .flat_map(|(i, essay)| {
            essay.keywords.iter().flat_map(move |(method, found)| {
                found.iter().enumerate().map(move |(rank, k)| {
                    (
                        essay.essay_id,
                        rank as u32 + 1,
                        (analysis.shown_word_in(essay, k.word), k.score),
                        method.as_str(),
                        i as IdxSize,
                    )
                })
            })
        })
        .collect();
    let essay_keys = keys.taken(essays, rows.iter().map(|r| r.4), "keywords", options)?;
    frame(
        "keywords",
        rows.len(),
        vec![
            column("essay_id", rows.iter().map(|r| r.0)),
            essay_keys,
            column("method", rows.iter().map(|r| r.3)),
            column("rank", rows.iter().map(|r| r.1)),
            text("word", rows.iter().map(|r| r.2 .0), options),
            column("score", rows.iter().map(|r| r.2 .1)),
        ],
    )
}

const MARKER_KINDS: [MarkerKind; 6] = [
    MarkerKind::Ordering,
    MarkerKind::Addition,
    MarkerKind::Contrast,
    MarkerKind::Cause,
    MarkerKind::Example,
    MarkerKind::Summary,
];

/// Occurrences per 1,000 words; 0 for an empty denominator.
fn per_1k(count: u64, total: u64) -> f64 {
    per_10k(count, total) / 10.0
}

/// `structure.csv`: one row per essay.
pub fn structure(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    keys: &Keys,
    options: FrameOptions,
) -> Result<DataFrame> {
    let s: Vec<&Structure> = analysis.essays.iter().map(|e| &e.structure).collect();
    let e = &corpus.essays;
    let u64s = |name: &str, f: &dyn Fn(&Structure) -> u64| column(name, s.iter().map(|x| f(x)));
    let f64s = |name: &str, f: &dyn Fn(&Structure) -> f64| column(name, s.iter().map(|x| f(x)));
    let heading_text: Vec<String> = s.iter().map(|x| x.headings.join(" | ")).collect();
    let sequence: Vec<String> = s.iter().map(|x| x.marker_sequence.join("→")).collect();
    let mut columns = vec![
        column("essay_id", e.iter().map(|x| x.id)),
        keys.column(e.iter().map(|x| x.id), options),
        text("title", e.iter().map(|x| x.title.as_str()), options),
        u64s("paragraphs", &|x| x.paragraphs.into()),
        u64s("headings", &|x| x.headings.len() as u64),
        text(
            "heading_text",
            heading_text.iter().map(String::as_str),
            options,
        ),
        u64s("sentences", &|x| x.sentences.into()),
        text(
            "marker_sequence",
            sequence.iter().map(String::as_str),
            options,
        ),
        column(
            "closes_with_summary",
            s.iter().map(|x| x.closes_with_summary),
        ),
        u64s("markers", &|x| x.markers.len() as u64),
    ];
    for kind in MARKER_KINDS {
        let name = format!("markers_{}", kind.as_str());
        columns.push(u64s(&name, &|x| {
            x.markers.iter().filter(|m| m.kind == kind).count() as u64
        }));
    }
    columns.extend([
        u64s("characters", &|x| x.chars.total),
        u64s("han_characters", &|x| x.chars.han),
        u64s("punctuation", &|x| x.chars.punctuation),
        u64s("latin_letters", &|x| x.chars.latin),
        u64s("digits", &|x| x.chars.digits),
    ]);
    let lengths: [(&str, fn(&Structure) -> Lengths); 4] = [
        ("sentence_han", |x| x.sentence_han),
        ("sentence_words", |x| x.sentence_words),
        ("paragraph_han", |x| x.paragraph_han),
        ("paragraph_words", |x| x.paragraph_words),
    ];
    for (prefix, get) in lengths {
        columns.push(f64s(&format!("{prefix}_mean"), &|x| get(x).mean));
        columns.push(f64s(&format!("{prefix}_median"), &|x| get(x).median));
        columns.push(f64s(&format!("{prefix}_sd"), &|x| get(x).sd));
        columns.push(u64s(&format!("{prefix}_max"), &|x| get(x).max));
    }
    columns.extend([
        u64s("words", &|x| x.words),
        u64s("types", &|x| x.types),
        f64s("ttr", &|x| x.ttr),
        f64s("mattr", &|x| x.mattr),
        f64s("mtld", &|x| x.mtld),
        f64s("lexical_density", &|x| x.lexical_density),
        u64s("first_person", &|x| x.first_person),
        f64s("first_person_per_1k", &|x| per_1k(x.first_person, x.words)),
        u64s("questions", &|x| x.questions.into()),
        u64s("exclamations", &|x| x.exclamations.into()),
        f64s("xu_r1", &|x| x.xu.r1),
        f64s("xu_r2", &|x| x.xu.r2),
        f64s("xu_r3", &|x| x.xu.r3),
        column(
            "short_text",
            s.iter()
                .map(|x| x.words < crate::analysis::readability::SHORT_TEXT_WORDS),
        ),
    ]);
    // HSK 3.0 levels of the characters, then of the words; common characters; unknown words.
    use crate::analysis::levels::{needed, shares, LEVELS};
    type CountsOf = fn(&Structure) -> &[u64; LEVELS + 1];
    let kinds: [(&str, &str, CountsOf); 2] = [
        ("hsk_char", "hsk_level", |x| &x.char_levels.hsk),
        ("hsk_word", "hsk_word_level", |x| &x.hsk_words),
    ];
    for (prefix, level_name, counts) in kinds {
        let all: Vec<_> = s.iter().map(|x| shares(counts(x))).collect();
        for level in 0..=LEVELS {
            let name = match level {
                LEVELS => format!("{prefix}_ungraded"),
                l => format!("{prefix}_l{}", l + 1),
            };
            columns.push(column(&name, all.iter().map(|x| x[level])));
        }
        columns.push(column(
            level_name,
            s.iter().map(|x| needed(counts(x)).map(u32::from)),
        ));
    }
    columns.extend([
        f64s("rare_char_share", &|x| {
            crate::analysis::structure::ratio(x.char_levels.rare, x.chars.han)
        }),
        f64s("unknown_word_share", &|x| {
            crate::analysis::structure::ratio(x.unknown_words, x.words)
        }),
    ]);
    with_meta(&mut columns, corpus, options);
    frame("structure", e.len(), columns)
}

/// Words in the header of a column that numbers the students or rows, not measures them.
const ID_HEADERS: &[&str] = &["学号", "编号", "序号", "考号", "学籍号", "id", "no"];

/// Headers of a column that sorts the students into groups (a class, a school year, a gender,
/// a workbook's sheet: 班级 1, 2, 3 are codes, not amounts), or that dates the essay.
const GROUP_HEADERS: &[&str] = &[
    "班级",
    "班别",
    "班",
    "年级",
    "性别",
    "学校",
    "校区",
    "组别",
    "小组",
    "class",
    "gender",
    "sex",
    "school",
    "group",
    "日期",
    "date",
    "sheet",
    "meta_sheet",
];

/// What may follow a group's name in the header of its codes (班级代码, 班号).
const CODE_SUFFIXES: &[&str] = &["代码", "编号", "号", "名称", "名", "编码", "id"];

/// Words in the header of a ranking, which measures (名次 1…n is consecutive too).
const RANK_HEADERS: &[&str] = &["名次", "排名", "排序", "rank"];

/// A numeric column that identifies rather than measures: headed like one (学号, 编号, ID …),
/// or at least 10 whole numbers that, sorted, go up by one (1…n, 20230101…, whatever order the
/// essays are read in): scores out of 150 can all differ, but seldom leave no gap. A ranking
/// (名次, 排名) is a measure, though it is 1…n too. Set against the figures, an id's ρ
/// would only say in what order the students were numbered.
fn is_identifier(name: &str, values: &[Option<f64>]) -> bool {
    let lower = name.to_lowercase();
    if ID_HEADERS
        .iter()
        .any(|h| lower == *h || (h.chars().count() > 2 || !h.is_ascii()) && lower.contains(h))
    {
        return true;
    }
    if RANK_HEADERS.iter().any(|h| lower.contains(h)) {
        return false;
    }
    let mut present: Vec<f64> = values.iter().flatten().copied().collect();
    if present.len() < 10 || present.iter().any(|x| x.fract() != 0.0) {
        return false;
    }
    present.sort_by(f64::total_cmp);
    present.windows(2).all(|w| w[1] - w[0] == 1.0)
}

/// A cell of a numeric column as a number: as Excel or a Chinese input method writes it, with
/// full-width digits (８８), a unit of points after it (88分) or thousands separators.
fn score(cell: &str) -> Option<f64> {
    let folded: String = cell
        .chars()
        .map(|c| match c {
            '０'..='９' | '．' | '－' | '＋' => {
                char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
            }
            c => c,
        })
        .collect();
    let number = folded.strip_suffix('分').unwrap_or(&folded).trim_end();
    // Commas only as thousands separators (1,200): `1,5` (a decimal comma) or `85,90` (two
    // scores) are no number.
    let number = if number.contains(',') {
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let groups: Vec<&str> = whole.trim_start_matches(['+', '-']).split(',').collect();
        let thousands = (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
        if !thousands {
            return None;
        }
        let joined = whole.replace(',', "");
        if fraction.is_empty() && !number.ends_with('.') {
            joined
        } else {
            format!("{joined}.{fraction}")
        }
    } else {
        number.to_owned()
    };
    number.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// `correlations.csv`: every numeric metadata column (a score, a grade: its non-empty cells
/// numbers ([`score`]; other cells, at most one in four, are missing, with a note), at least
/// three of them, not all equal; not an identifier, see
/// [`is_identifier`]) set against every numeric figure of
/// `structure.csv`, as Spearman's ρ with its p-value over the essays that have both; per
/// column, the figures by p-value, smallest first. `None` without such a column.
fn correlations(
    corpus: &Corpus,
    structure: &DataFrame,
    options: FrameOptions,
) -> Result<Option<DataFrame>> {
    use crate::analysis::correlation::spearman;
    let numeric = |name: &str| -> Option<Vec<Option<f64>>> {
        let mut values = Vec::with_capacity(corpus.essays.len());
        // Cells that are not numbers (缺考, 免考) in a column of numbers: (essay id, cell).
        let mut other: Vec<(u32, &str)> = Vec::new();
        for essay in &corpus.essays {
            let cell = essay
                .meta
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| v.trim());
            if cell.is_empty() {
                values.push(None);
            } else {
                let value = score(cell);
                if value.is_none() {
                    other.push((essay.id, cell));
                }
                values.push(value);
            }
        }
        let mut present = values.iter().flatten();
        let first = *present.clone().next()?;
        // A column of numbers with a few other cells (at most one in four); a column of names
        // or classes is no measure at all.
        if other.len() * 3 > present.clone().count() {
            return None;
        }
        let lower = name.to_lowercase();
        let ranking = RANK_HEADERS.iter().any(|h| lower.contains(h));
        // A header naming a group, not an amount: 班级, 性别(1男2女), 班级代码 and 考试日期
        // are codes; 班级平均分, 小组合作 and 学校满意度 measure.
        let group = GROUP_HEADERS.iter().any(|h| {
            let rest = lower.trim().strip_prefix(h).map(str::trim);
            lower.trim() == *h
                || matches!(*h, "日期" | "date") && lower.contains(h)
                || !h.is_ascii()
                    && rest.is_some_and(|rest| {
                        CODE_SUFFIXES.contains(&rest) || rest.starts_with(['(', '（'])
                    })
        });
        if !ranking && group {
            eprintln!(
                "wenxi: note: the correlations table leaves out {name}: it names groups (a class, \
                 a year, a gender), it does not measure the essays; --group-by {name} compares \
                 the groups"
            );
            return None;
        }
        if is_identifier(name, &values) {
            eprintln!(
                "wenxi: note: the correlations table leaves out {name}: it numbers the essays (its \
                 header, or consecutive whole numbers), it does not measure them"
            );
            return None;
        }
        let measured = present.clone().count() >= 3 && present.any(|&x| x != first);
        if measured && !other.is_empty() {
            let shown: Vec<String> = other
                .iter()
                .take(3)
                .map(|(id, cell)| format!("essay {id} {cell:?}"))
                .collect();
            eprintln!(
                "wenxi: note: the correlations table: {} cell(s) of {name} are not numbers and are left \
                 out as missing ({}{})",
                other.len(),
                shown.join(", "),
                if other.len() > 3 { ", …" } else { "" }
            );
        }
        measured.then_some(values)
    };
    let columns: Vec<(&str, Vec<Option<f64>>)> = meta_names(corpus)
        .into_iter()
        .filter_map(|name| numeric(name).map(|values| (name, values)))
        .collect();
    if columns.is_empty() {
        return Ok(None);
    }
    let mut figures: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for c in structure.columns() {
        if c.name().as_str() == "essay_id" || !c.dtype().is_primitive_numeric() {
            continue;
        }
        let values = c
            .cast(&DataType::Float64)
            .and_then(|c| c.f64().map(|a| a.iter().collect::<Vec<_>>()))
            .map_err(|source| Error::Frame {
                name: "correlations",
                source,
            })?;
        figures.push((c.name().to_string(), values));
    }
    // (column, figure, n, ρ, p)
    type Row<'a> = (&'a str, &'a str, u64, Option<f64>, Option<f64>);
    let mut rows: Vec<Row<'_>> = Vec::new();
    for (name, values) in &columns {
        let start = rows.len();
        for (figure, figure_values) in &figures {
            let (xs, ys): (Vec<f64>, Vec<f64>) = values
                .iter()
                .zip(figure_values)
                .filter_map(|(x, y)| Some((*x.as_ref()?, y.filter(|y| y.is_finite())?)))
                // Ranked as written (six decimals), so that ρ from the CSVs is the same: two
                // figures equal but for the last bits of a float are a tie.
                .map(|(x, y)| (x, (y * 1e6).round() / 1e6))
                .unzip();
            let result = spearman(&xs, &ys);
            rows.push((
                name,
                figure,
                xs.len() as u64,
                result.map(|r| r.0),
                result.map(|r| r.1),
            ));
        }
        rows[start..].sort_by(|a, b| match (a.4, b.4) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    frame(
        "correlations",
        rows.len(),
        vec![
            text("column", rows.iter().map(|r| r.0), options),
            text("figure", rows.iter().map(|r| r.1), options),
            column("n", rows.iter().map(|r| r.2)),
            column("rho", rows.iter().map(|r| r.3)),
            column("p", rows.iter().map(|r| r.4)),
        ],
    )
    .map(Some)
}

/// `markers.csv`: one row per discourse-marker occurrence.
fn markers(analysis: &Analysis<'_>, keys: &Keys, options: FrameOptions) -> Result<DataFrame> {
    let rows: Vec<_> = analysis
        .essays
        .iter()
        .flat_map(|e| e.structure.markers.iter().map(move |m| (e.essay_id, m)))
        .collect();
    frame(
        "markers",
        rows.len(),
        vec![
            column("essay_id", rows.iter().map(|r| r.0)),
            keys.column(rows.iter().map(|r| r.0), options),
            column("paragraph", rows.iter().map(|r| r.1.paragraph)),
            column("position", rows.iter().map(|r| r.1.position)),
            column("marker", rows.iter().map(|r| r.1.marker)),
            column("kind", rows.iter().map(|r| r.1.kind.as_str())),
        ],
    )
}

/// `groups.csv`: one row per group of `--group-by`, by name.
fn groups_frame(
    analysis: &Analysis<'_>,
    groups: &[crate::analysis::groups::Group],
    options: FrameOptions,
) -> Result<DataFrame> {
    let g = groups;
    let keywords: Vec<String> = g
        .iter()
        .map(|x| {
            x.keywords
                .iter()
                .map(|(w, _)| analysis.shown_word(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    frame(
        "groups",
        g.len(),
        vec![
            text("group", g.iter().map(|x| x.name.as_str()), options),
            column("essays", g.iter().map(|x| x.essays as u64)),
            column("words", g.iter().map(|x| x.words)),
            column("mean_words", g.iter().map(|x| x.mean_words)),
            column("mean_sentences", g.iter().map(|x| x.mean_sentences)),
            column("mean_sentence_han", g.iter().map(|x| x.mean_sentence_han)),
            column("mean_ttr", g.iter().map(|x| x.mean_ttr)),
            column("mean_mtld", g.iter().map(|x| x.mean_mtld)),
            column(
                "mean_lexical_density",
                g.iter().map(|x| x.mean_lexical_density),
            ),
            text("keywords", keywords.iter().map(String::as_str), options),
        ],
    )
}

/// `kwic.csv`: one row per hit, in the order given.
pub fn kwic_frame(rows: &[crate::cli::kwic::Row], options: FrameOptions) -> Result<DataFrame> {
    frame(
        "kwic",
        rows.len(),
        vec![
            column("essay_id", rows.iter().map(|r| r.hit.essay_id)),
            text("essay_key", rows.iter().map(|r| r.key.as_str()), options),
            text("title", rows.iter().map(|r| r.title.as_str()), options),
            column("paragraph", rows.iter().map(|r| r.hit.paragraph)),
            column("sentence", rows.iter().map(|r| r.hit.sentence)),
            column("offset", rows.iter().map(|r| r.hit.offset)),
            text("left", rows.iter().map(|r| r.hit.left.as_str()), options),
            text("node", rows.iter().map(|r| r.hit.node.as_str()), options),
            text("right", rows.iter().map(|r| r.hit.right.as_str()), options),
        ],
    )
}

/// `collocates.csv`: one row per collocate, in the order given.
pub fn collocates_frame(
    rows: &[crate::cli::collocates::Collocate],
    node_freq: u64,
    slots: u64,
    options: FrameOptions,
) -> Result<DataFrame> {
    let n = rows.len();
    let score = |name: &str, get: fn(&crate::analysis::collocates::Scores) -> f64| {
        column(name, rows.iter().map(|r| get(&r.scores)))
    };
    frame(
        "collocates",
        n,
        vec![
            text("collocate", rows.iter().map(|r| r.word.as_str()), options),
            column("pos", rows.iter().map(|r| r.pos.as_str())),
            column("observed", rows.iter().map(|r| r.observed)),
            column("left", rows.iter().map(|r| r.left)),
            column("right", rows.iter().map(|r| r.observed - r.left)),
            score("expected", |s| s.expected),
            column("collocate_freq", rows.iter().map(|r| r.frequency)),
            column("node_freq", std::iter::repeat_n(node_freq, n)),
            column("window_slots", std::iter::repeat_n(slots, n)),
            score("mi", |s| s.mi),
            score("mi3", |s| s.mi3),
            score("t_score", |s| s.t),
            score("g2", |s| s.g2),
            score("dice", |s| s.dice),
            score("log_dice", |s| s.log_dice),
            score("delta_p_collocate_given_node", |s| s.delta_p_collocate),
            score("delta_p_node_given_collocate", |s| s.delta_p_node),
        ],
    )
}

/// `ngrams.csv`: one row per n-gram, in the order given; `total` words (or characters).
pub fn ngrams_frame(
    rows: &[crate::analysis::ngrams::Ngram],
    total: u64,
    options: FrameOptions,
) -> Result<DataFrame> {
    frame(
        "ngrams",
        rows.len(),
        vec![
            text("ngram", rows.iter().map(|r| r.text.as_str()), options),
            column("n", rows.iter().map(|r| r.n as u32)),
            column("count", rows.iter().map(|r| r.count)),
            column("per_10k", rows.iter().map(|r| per_10k(r.count, total))),
            column("essays", rows.iter().map(|r| r.essays)),
            column("juilland_d", rows.iter().map(|r| r.dispersion.juilland_d)),
            column("dp", rows.iter().map(|r| r.dispersion.dp)),
            column("dp_norm", rows.iter().map(|r| r.dispersion.dp_norm)),
        ],
    )
}

/// `keyness.csv`.
pub fn keyness_frame(rows: &[KeynessRow]) -> Result<DataFrame> {
    frame(
        "keyness",
        rows.len(),
        vec![
            text(
                "word",
                rows.iter().map(|r| r.word.as_str()),
                FrameOptions { excel_safe: true },
            ),
            column(
                "direction",
                rows.iter()
                    .map(|r| if r.positive { "positive" } else { "negative" }),
            ),
            column("freq_target", rows.iter().map(|r| r.a)),
            column("freq_ref", rows.iter().map(|r| r.b)),
            column("per_10k_target", rows.iter().map(|r| per_10k(r.a, r.c))),
            column("per_10k_ref", rows.iter().map(|r| per_10k(r.b, r.d))),
            column("g2", rows.iter().map(|r| r.keyness.g2)),
            column("p", rows.iter().map(|r| r.keyness.p)),
            column("log_ratio", rows.iter().map(|r| r.keyness.log_ratio)),
            column(
                "log_ratio_low",
                rows.iter().map(|r| r.keyness.log_ratio_low),
            ),
            column(
                "log_ratio_high",
                rows.iter().map(|r| r.keyness.log_ratio_high),
            ),
        ],
    )
}

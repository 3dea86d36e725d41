//! `wenxi collocates`: the words that keep company with a node word.

use std::io::Write;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::collocates::{self, Scores, Window};
use crate::analysis::kwic::{Pattern, Query};
use crate::analysis::layout::Layout;
use crate::analysis::written::{written_ranges, ReportScript, Tally};
use crate::corpus::Essay;
use crate::frames::{collocates_frame, FrameOptions};

use super::input::InputArgs;
use super::output::TableOutput;
use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortBy {
    #[value(name = "logdice")]
    LogDice,
    Mi,
    Mi3,
    T,
    G2,
    Dice,
    #[value(name = "delta-p")]
    DeltaP,
    Freq,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Windows count words (punctuation and numbers are skipped), stay in the \
    node's sentence unless --cross-sentences, and never leave its essay. Expected co-occurrence \
    E = f(collocate) · window slots / words in the corpus. MI (Church & Hanks 1990), MI3, \
    t-score, log-likelihood G² (Dunning 1993, 4-cell), Dice and logDice (Rychlý 2008), ΔP both \
    ways (Gries 2013): the README gives every formula.\n\n\
    Examples:\n  \
    wenxi collocates 社区                      ./corpus (or the bundled corpus), ±5 words\n  \
    wenxi collocates 疫情 essays/ --left 3 --right 3 --sort mi3\n  \
    wenxi collocates '防*' --min-freq 5 --top 30"
)]
pub struct Args {
    /// The node: a word, a glob (防*) or a /regex/ on tokens
    pub node: String,

    #[command(flatten)]
    pub input: InputArgs,

    /// Words read left of each node
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub left: usize,

    /// Words read right of each node
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub right: usize,

    /// Let windows run past the node's sentence (never past its essay)
    #[arg(long)]
    pub cross_sentences: bool,

    /// Keep collocates seen at least N times near the node
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_freq: u64,

    /// Keep stopwords (的, 了, 是, ...) as collocates
    #[arg(long)]
    pub keep_stopwords: bool,

    #[command(flatten)]
    pub stop: super::input::StopwordArgs,

    /// Order of collocates.csv and of the terminal list
    #[arg(long, value_enum, default_value_t = SortBy::LogDice)]
    pub sort: SortBy,

    /// Collocates printed in the terminal (all go to collocates.csv)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,

    #[command(flatten)]
    pub report_script: super::input::ReportScriptArg,

    #[command(flatten)]
    pub table: TableOutput,
}

/// What one essay gives, its words as byte ranges of its body.
struct Counted {
    words: Vec<((u32, u32), u32)>,
    node: u32,
    slots: u32,
    near: Vec<((u32, u32), u32, u32)>,
    /// For a converted essay, the words it writes otherwise than counted, where they first
    /// occur: (place in `words`, byte range of the original text).
    forms: Vec<(u32, (u32, u32))>,
}

/// One row of collocates.csv.
#[derive(Debug, Clone)]
pub struct Collocate {
    pub word: String,
    pub pos: String,
    pub observed: u64,
    pub left: u64,
    pub frequency: u64,
    pub scores: Scores,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    args.input.warn_unused_columns(&[]);
    args.table.check()?;
    let load_options = args.input.load_options()?;
    let node_text =
        super::input::as_counted(&load_options, "the node", &args.node, args.table.quiet);
    if node_text.trim().is_empty() {
        anyhow::bail!("the node is empty: give a word (社区), a glob (防*) or a /regex/");
    }
    // Parsed as kwic's query is (the same errors for a bad regex or one with a space); a
    // collocates node is one token of it.
    let node_text = node_text.trim();
    let node = match Query::parse(node_text, false).map_err(anyhow::Error::msg)? {
        Query::Tokens(mut patterns) if patterns.len() == 1 => patterns.remove(0),
        Query::Tokens(patterns) => {
            let plain = patterns.iter().all(|p| matches!(p, Pattern::Word(_)));
            anyhow::bail!(
                "the node {node_text:?} is a sequence: collocates counts a window around one \
                 token. `wenxi kwic {node_text:?}` finds the sequence{}",
                if plain {
                    format!(
                        "; a --user-dict line with {:?} makes it one word",
                        node_text.split_whitespace().collect::<String>()
                    )
                } else {
                    String::new()
                }
            );
        }
        Query::Chars(_) => unreachable!("parsed as tokens"),
    };
    if args.left + args.right == 0 {
        anyhow::bail!("the window is empty: give --left or --right more than 0");
    }
    let window = Window {
        left: args.left,
        right: args.right,
        cross_sentences: args.cross_sentences,
    };
    let segmenter = args.input.segmenter()?;
    let stopwords = args.stop.load()?;
    let written = args.report_script.report_script == ReportScript::Written;
    args.input.pool()?.install(|| {
        // Words are kept once each in an arena; the essays' results name them by byte range,
        // read in the batch they came from.
        let arena = bumpalo::Bump::new();
        let mut frequency: FxHashMap<&str, u64> = FxHashMap::default();
        let mut near: FxHashMap<&str, (u64, u64)> = FxHashMap::default();
        // The forms converted essays write words in (see `analysis::written`).
        let mut forms: Tally<&str, &str> = Tally::default();
        let (mut total, mut node_freq, mut slots) = (0u64, 0u64, 0u64);
        // Essays holding the node.
        let mut node_essays = 0u64;
        let scan = args.input.each_essay(
            &load_options,
            crate::analysis::BATCH_BYTES,
            args.table.quiet,
            |_| {},
            |essay| {
                let layout = Layout::new(&segmenter, essay);
                let c = collocates::count(&layout, &node, window);
                let base = essay.body.as_ptr() as usize;
                let range = |w: &str| ((w.as_ptr() as usize - base) as u32, w.len() as u32);
                let forms = match written {
                    true => written_ranges(essay, c.words.iter().map(|&(w, _)| range(w))),
                    false => Vec::new(),
                };
                Counted {
                    words: c.words.iter().map(|&(w, n)| (range(w), n)).collect(),
                    node: c.node,
                    slots: c.slots,
                    near: c.near.iter().map(|&(w, n, l)| (range(w), n, l)).collect(),
                    forms,
                }
            },
            |batch, results| {
                // The batch's words are summed in parallel, then merged once each.
                fn word(essay: &Essay, (start, len): (u32, u32)) -> &str {
                    &essay.body[start as usize..(start + len) as usize]
                }
                type Sums<'b> = (FxHashMap<&'b str, u64>, FxHashMap<&'b str, (u64, u64)>);
                // A part per thread, or little more: every part's tables are merged again.
                let part = batch.essays.len() / (2 * rayon::current_num_threads()) + 1;
                let summing = crate::timing::stage_start();
                let (words, close): Sums<'_> = batch
                    .essays
                    .par_iter()
                    .zip(&results)
                    .with_min_len(part)
                    .fold(
                        // Sized for a part's words at once: grown from empty, these tables
                        // were rehashed a dozen times a batch (2.6% of a run at 50 MB).
                        || {
                            (
                                FxHashMap::with_capacity_and_hasher(1 << 16, Default::default()),
                                FxHashMap::default(),
                            )
                        },
                        |(mut words, mut close), (essay, counted)| {
                            for &(at, n) in &counted.words {
                                *words.entry(word(essay, at)).or_insert(0) += u64::from(n);
                            }
                            for &(at, n, l) in &counted.near {
                                let e = close.entry(word(essay, at)).or_insert((0, 0));
                                e.0 += u64::from(n);
                                e.1 += u64::from(l);
                            }
                            (words, close)
                        },
                    )
                    .reduce(Sums::default, |(mut w1, mut c1), (mut w2, mut c2)| {
                        // The smaller tables go into the larger (sums: the order is free).
                        if w1.len() < w2.len() {
                            std::mem::swap(&mut w1, &mut w2);
                        }
                        if c1.len() < c2.len() {
                            std::mem::swap(&mut c1, &mut c2);
                        }
                        for (w, n) in w2 {
                            *w1.entry(w).or_insert(0) += n;
                        }
                        for (w, (n, l)) in c2 {
                            let e = c1.entry(w).or_insert((0, 0));
                            e.0 += n;
                            e.1 += l;
                        }
                        (w1, c1)
                    });
                crate::timing::add("batch sums (parallel)", summing);
                let corpus_sums = crate::timing::stage_start();
                for counted in &results {
                    node_freq += u64::from(counted.node);
                    node_essays += u64::from(counted.node > 0);
                    slots += u64::from(counted.slots);
                }
                for (w, n) in words {
                    total += n;
                    match frequency.get_mut(w) {
                        Some(f) => *f += n,
                        None => {
                            frequency.insert(arena.alloc_str(w), n);
                        }
                    }
                }
                for (essay, counted) in batch.essays.iter().zip(&results) {
                    let original = essay.original.as_deref().unwrap_or_default();
                    for &(place, (at, len)) in &counted.forms {
                        let (w, n) = counted.words[place as usize];
                        let (kept, _) = frequency.get_key_value(word(essay, w)).expect("counted");
                        let form = &original[at as usize..(at + len) as usize];
                        forms.add_as(kept, |f| *f == form, || arena.alloc_str(form), n.into());
                    }
                }
                for (w, (n, l)) in close {
                    // Every word near the node is in `frequency` already: share its copy.
                    let (kept, _) = frequency.get_key_value(w).expect("counted above");
                    let e = near.entry(kept).or_insert((0, 0));
                    e.0 += n;
                    e.1 += l;
                }
                crate::timing::add("corpus sums", corpus_sums);
                Ok(())
            },
        )?;
        let mut rows: Vec<Collocate> = near
            .into_iter()
            .filter(|(word, (n, _))| {
                *n >= args.min_freq && (args.keep_stopwords || !stopwords.contains(word))
            })
            .map(|(word, (observed, left))| {
                let f = frequency[word];
                let scores = collocates::scores(observed, node_freq, f, slots, total);
                Collocate {
                    pos: segmenter.tag_word(word, word, 0).to_owned(),
                    word: word.to_owned(),
                    observed,
                    left,
                    frequency: f,
                    scores,
                }
            })
            .collect();
        sort(&mut rows, args.sort);
        // Shown in the form the corpus writes them most, once sorted by the counted form.
        if !forms.is_empty() {
            for row in &mut rows {
                if let Some(form) = forms.commonest(row.word.as_str(), row.frequency) {
                    row.word = form.to_owned();
                }
            }
        }
        let path = args.table.write_csv(
            "collocates",
            &collocates_frame(&rows, node_freq, slots, FrameOptions { excel_safe: true })?,
        )?;
        if node_freq == 0 && !args.table.quiet {
            let query = Query::Tokens(vec![node.clone()]);
            match (
                &node,
                super::kwic::no_hit_hint(&query, args.node.trim(), "`wenxi kwic --chars`"),
            ) {
                (Pattern::Word(word), _) if !crate::analysis::frequency::is_word(word) => {
                    eprintln!(
                    "wenxi: note: {} is not a word (a number or punctuation): collocates counts \
                     words only; `wenxi kwic {}` searches for it",
                    args.node.trim(),
                    args.node.trim()
                )
                }
                (_, Some(hint)) => eprintln!("wenxi: note: {hint}"),
                (_, None) => {}
            }
        }
        let mut out = std::io::stdout().lock();
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        writeln!(
            out,
            "{}: {} in {node_essays} of {} ({total} words); {} (L{} R{}{}); {} seen at least {}",
            args.node.trim(),
            plural(node_freq, "occurrence", "occurrences"),
            plural(scan.essays as u64, "essay", "essays"),
            plural(slots, "window slot", "window slots"),
            args.left,
            args.right,
            if args.cross_sentences {
                ", across sentences"
            } else {
                ""
            },
            plural(rows.len() as u64, "collocate", "collocates"),
            plural(args.min_freq, "time", "times"),
        )?;
        if !rows.is_empty() {
            writeln!(out, "  collocate\tO\tE\tMI\tt\tG²\tlogDice")?;
        }
        for row in rows.iter().take(args.top) {
            let s = &row.scores;
            writeln!(
                out,
                "  {}\t{}\t{:.2}\t{:.2}\t{:.2}\t{:.1}\t{:.2}",
                row.word, row.observed, s.expected, s.mi, s.t, s.g2, s.log_dice
            )?;
        }
        writeln!(out, "all in {}", path.display())?;
        Ok(if scan.skipped { EXIT_SKIPPED } else { EXIT_OK })
    })
}

/// Strongest first by `by`, then by co-occurrence, then by word: a total order.
fn sort(rows: &mut [Collocate], by: SortBy) {
    let key = |c: &Collocate| -> f64 {
        let s = &c.scores;
        match by {
            SortBy::LogDice => s.log_dice,
            SortBy::Mi => s.mi,
            SortBy::Mi3 => s.mi3,
            SortBy::T => s.t,
            SortBy::G2 => s.g2,
            SortBy::Dice => s.dice,
            SortBy::DeltaP => s.delta_p_collocate,
            SortBy::Freq => c.observed as f64,
        }
    };
    rows.sort_by(|a, b| {
        key(b)
            .total_cmp(&key(a))
            .then_with(|| b.observed.cmp(&a.observed))
            .then_with(|| a.word.cmp(&b.word))
    });
}

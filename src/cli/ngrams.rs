//! `wenxi ngrams`: word or character n-grams with their range and dispersion, and clusters
//! around a word.

use std::io::Write;
use std::ops::RangeInclusive;

use crate::analysis::ngrams::{self, Filter, NgramCounter, Unit, MAX_N};
use crate::analysis::written::ReportScript;
use crate::frames::{ngrams_frame, FrameOptions};

use super::input::InputArgs;
use super::output::TableOutput;
use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "An n-gram never crosses punctuation, a number, a line end or an essay \
    end (a space between words does not stop it). juilland_d, dp and dp_norm say how evenly each one is spread over the essays (see the \
    README).\n\n\
    Examples:\n  \
    wenxi ngrams                              2- and 3-word n-grams of ./corpus (or the bundled corpus)\n  \
    wenxi ngrams essays/ -n 2..5 --min-range 3 used in at least three essays\n  \
    wenxi ngrams --chars -n 4                 four-character strings (set phrases, templates)\n  \
    wenxi ngrams --around 社区 -n 3           clusters: 3-grams holding 社区\n  \
    wenxi ngrams --around 社区 --node-at start the 2- and 3-grams 社区 starts"
)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Lengths: one (3) or a range (2..5), from 1 to 5
    #[arg(short = 'n', long = "n", value_name = "RANGE", default_value = "2..3", value_parser = parse_range)]
    pub lengths: RangeInclusive<usize>,

    /// Character n-grams (runs of Han characters) instead of words
    #[arg(long)]
    pub chars: bool,

    /// Keep n-grams seen at least N times
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_freq: u64,

    /// Keep n-grams used in at least N essays
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_range: u32,

    /// Keep word n-grams made of stopwords only (的 是, 了 一)
    #[arg(long)]
    pub keep_stopwords: bool,

    #[command(flatten)]
    pub stop: super::input::StopwordArgs,

    /// Only n-grams holding this word and more (characters with --chars): AntConc's clusters
    #[arg(long, value_name = "WORD")]
    pub around: Option<String>,

    /// With --around: where the word stands in the n-gram (AntConc's search-term position)
    #[arg(long, value_enum, value_name = "WHERE", default_value_t = NodeAt::Any, requires = "around")]
    pub node_at: NodeAt,

    /// N-grams printed in the terminal (all go to ngrams.csv)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,

    /// Memory in MB the counts, and apart from them the essays' words, may each take before
    /// they are written to temporary files (in TMPDIR), the rows reported 8 times that; the
    /// result is the same whatever the value. A table of two bits for each input byte and
    /// length (two at most), rounded up to a power of two, comes on top (256 MB for 2- and
    /// 3-grams of 500 MB)
    #[arg(long, value_name = "MB", default_value_t = (ngrams::SPILL_BYTES >> 20) as u64)]
    pub count_memory: u64,

    #[command(flatten)]
    pub report_script: super::input::ReportScriptArg,

    #[command(flatten)]
    pub table: TableOutput,
}

/// Where the word of `--around` stands in the n-grams kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NodeAt {
    /// Anywhere
    Any,
    /// First: the n-grams it starts
    Start,
    /// Last: the n-grams it ends
    End,
}

/// `3`, `2..5`, `2..=5` or `2-5`.
pub(crate) fn parse_range(text: &str) -> Result<RangeInclusive<usize>, String> {
    let parse = |s: &str| {
        s.trim()
            .parse::<usize>()
            .map_err(|_| format!("{text:?} is not a length or a range such as 2..5"))
    };
    let (lo, hi) = match text.split_once("..") {
        Some((lo, hi)) => (parse(lo)?, parse(hi.trim_start_matches('='))?),
        None => match text.split_once('-') {
            Some((lo, hi)) => (parse(lo)?, parse(hi)?),
            None => {
                let n = parse(text)?;
                (n, n)
            }
        },
    };
    if lo == 0 || hi > MAX_N || lo > hi {
        return Err(format!(
            "lengths go from 1 to {MAX_N}, low to high: not {text}"
        ));
    }
    Ok(lo..=hi)
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let unit = if args.chars { Unit::Chars } else { Unit::Words };
    args.input.warn_unused_columns(&[]);
    args.table.check()?;
    let load_options = args.input.load_options()?;
    let segmenter = args.input.segmenter()?;
    let stopwords = args.stop.load()?;
    let around = args.around.as_deref().map(|word| {
        super::input::as_counted(&load_options, "--around", word.trim(), args.table.quiet)
    });
    if let Some(node) = &around {
        if node.is_empty() {
            anyhow::bail!("--around is empty: give the word the clusters hold");
        }
        // A glob or a regex would be taken as the literal word and find nothing.
        if node.contains(['*', '?'])
            || node.len() > 1 && node.starts_with('/') && node.ends_with('/')
        {
            anyhow::bail!(
                "--around {node}: it takes one word, not a pattern; `wenxi kwic {node}` lists \
                 the words a pattern matches"
            );
        }
        if node.contains(char::is_whitespace) {
            anyhow::bail!(
                "--around {node:?} holds a space: it takes one word (n-grams of characters hold no \
                 space either); `wenxi kwic {node:?}` finds a sequence"
            );
        }
    }
    if let Some(node) = &around {
        // A cluster is the word with more around it: n-grams no longer than the word are
        // the word alone or do not hold it.
        let size = match unit {
            Unit::Words => 1,
            Unit::Chars => node.chars().count(),
        };
        if *args.lengths.end() <= size {
            let try_this = if size < 4 {
                format!("-n {}..{}", size + 1, size + 2)
            } else if size == 4 {
                "-n 5".to_owned()
            } else {
                "`wenxi kwic --chars` for its contexts (n goes up to 5)".to_owned()
            };
            anyhow::bail!(
                "--around {node} with n up to {}: a cluster holds the word and more, so n must \
                 go past {size}; try {try_this}",
                args.lengths.end(),
            );
        }
    }
    let written = args.report_script.report_script == ReportScript::Written;
    args.input.pool()?.install(|| {
        let arena = bumpalo::Bump::new();
        let mut counter = NgramCounter::new(unit, args.lengths.clone())
            .with_budget((args.count_memory as usize).saturating_mul(1 << 20))
            .with_threshold(args.min_freq.max(args.min_range.into()));
        if written {
            counter = counter.with_forms();
        }
        let input_bytes = std::cell::Cell::new(0);
        let scan = args.input.each_essay(
            &load_options,
            ngrams::batch_bytes(unit),
            args.table.quiet,
            |bytes| input_bytes.set(bytes),
            |essay| ngrams::essay_grams(&segmenter, essay, unit, args.lengths.clone(), written),
            |batch, grams| {
                counter.expect_bytes(input_bytes.get());
                counter
                    .add(&batch.essays, grams, &|w| arena.alloc_str(w))
                    .map_err(anyhow::Error::msg)
            },
        )?;
        let total = counter.total();
        let around = around.as_deref();
        let keep = |items: &[&str]| {
            let content = match unit {
                Unit::Words => args.keep_stopwords || items.iter().any(|w| !stopwords.contains(w)),
                Unit::Chars => true,
            };
            // A cluster is the word with more around it: the n-gram that is the word alone
            // (its characters, with --chars) is not one.
            let alone = around.is_some_and(|node| match unit {
                Unit::Words => items == [node],
                Unit::Chars => items.concat() == node,
            });
            content
                && !alone
                && match (around, unit, args.node_at) {
                    (None, _, _) => true,
                    (Some(node), Unit::Words, NodeAt::Any) => items.contains(&node),
                    (Some(node), Unit::Words, NodeAt::Start) => items.first() == Some(&node),
                    (Some(node), Unit::Words, NodeAt::End) => items.last() == Some(&node),
                    (Some(node), Unit::Chars, NodeAt::Any) => items.concat().contains(node),
                    (Some(node), Unit::Chars, NodeAt::Start) => items.concat().starts_with(node),
                    (Some(node), Unit::Chars, NodeAt::End) => items.concat().ends_with(node),
                }
        };
        // At 500 MB the second pass, the merge and the writing take about 8 s after the bar.
        let spinner = super::analyze::spinner(
            args.table.quiet,
            "counting the n-grams seen more than once, then writing ngrams.csv",
        );
        let finish = crate::timing::stage("finish (merge, sort)");
        let table = counter
            .finish(&Filter {
                min_freq: args.min_freq,
                min_range: args.min_range,
                keep: &keep,
            })
            .map_err(anyhow::Error::msg)?;
        drop(finish);
        let write = crate::timing::stage("write ngrams.csv");
        // The rows shown are kept from the pieces as they are written: a table in runs on disk
        // is read once.
        let shown = std::sync::Mutex::new(Vec::new());
        let path = args.table.write_csv_in_pieces(
            "ngrams",
            table.len(),
            crate::frames::Table::PIECE,
            |range| {
                let start = range.start;
                let rows = table.rows(range)?;
                if start < args.top {
                    let wanted = (args.top - start).min(rows.len());
                    shown
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend_from_slice(&rows[..wanted]);
                }
                ngrams_frame(&rows, total, FrameOptions { excel_safe: true })
            },
        )?;
        let shown = shown.into_inner().unwrap_or_else(|e| e.into_inner());
        drop(write);
        spinner.finish_and_clear();
        crate::report::warn_past_excel(
            &path.display().to_string(),
            table.len(),
            "raise --min-freq or --min-range",
        );
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let lengths = if args.lengths.start() == args.lengths.end() {
            args.lengths.start().to_string()
        } else {
            format!("{}..{}", args.lengths.start(), args.lengths.end())
        };
        let holding = match (around, args.node_at) {
            (None, _) => String::new(),
            (Some(node), NodeAt::Any) => format!(" holding {node}"),
            (Some(node), NodeAt::Start) => format!(" starting with {node}"),
            (Some(node), NodeAt::End) => format!(" ending with {node}"),
        };
        // A word jieba cuts (社区居民 → 社区 + 居民) is in no n-gram as one word.
        let cut = match around {
            Some(node) if !args.chars => segmenter.segment(node),
            _ => Vec::new(),
        };
        if let (Some(node), true, false, true) =
            (around, table.is_empty(), args.table.quiet, cut.len() > 1)
        {
            eprintln!(
                "wenxi: note: jieba cuts {node} into {}, so no n-gram holds it as one word: \
                 `wenxi kwic {node} --chars` finds the string, and a --user-dict line makes it \
                 one word",
                cut.join(" + ")
            );
        } else if let (Some(node), true, false) = (around, table.is_empty(), args.table.quiet) {
            eprintln!(
                "wenxi: note: no n-gram{holding} was seen at least {} in at least {}: `wenxi kwic \
                 {node}{}` searches for it in these essays{}",
                plural(args.min_freq, "time", "times"),
                plural(args.min_range.into(), "essay", "essays"),
                if args.chars { " --chars" } else { "" },
                if args.min_freq > 1 || args.min_range > 1 {
                    "; --min-freq 1 --min-range 1 keep the rarest"
                } else {
                    ""
                }
            );
        }
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "{}{holding} (n = {lengths}) seen at least {} in at least {}, of {} ({total} {})",
            plural(
                table.len() as u64,
                if args.chars {
                    "character n-gram"
                } else {
                    "word n-gram"
                },
                if args.chars {
                    "character n-grams"
                } else {
                    "word n-grams"
                },
            ),
            plural(args.min_freq, "time", "times"),
            plural(args.min_range.into(), "essay", "essays"),
            plural(scan.essays as u64, "essay", "essays"),
            if args.chars {
                "Han characters"
            } else {
                "words"
            },
        )?;
        for row in shown {
            writeln!(
                out,
                "  {}\t{}\t{}\tDP={:.3}",
                row.text,
                row.count,
                plural(row.essays.into(), "essay", "essays"),
                row.dispersion.dp
            )?;
        }
        writeln!(out, "all in {}", path.display())?;
        Ok(if scan.skipped { EXIT_SKIPPED } else { EXIT_OK })
    })
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("2..3"), Ok(2..=3));
        assert_eq!(parse_range("2..=5"), Ok(2..=5));
        assert_eq!(parse_range("4"), Ok(4..=4));
        assert_eq!(parse_range("1-2"), Ok(1..=2));
        assert!(parse_range("0..2").is_err());
        assert!(parse_range("3..2").is_err());
        assert!(parse_range("2..6").is_err());
    }
}

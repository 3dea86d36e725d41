//! `wenxi kwic`: the concordance of a word, a pattern, a sequence or a character string.

use std::io::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::analysis::kwic::{self, Context, Hit, Pattern, Query, SortKey};
use crate::frames::{kwic_frame, FrameOptions, Keys};

use super::input::InputArgs;
use super::output::TableOutput;
use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "A query is a word (the whole token, as jieba cuts it), a glob on words (防*, ?情), \
    a regex on words between slashes (/^防.+$/; globs and regexes match words only, tokens with a \
    Han or Latin letter, not numbers or punctuation, which a plain query finds), or several of these separated by spaces for \
    adjacent tokens (社区 居民). With --chars the query is a plain string found in the text \
    whatever the segmentation (jieba cuts 社区居民 into 社区 + 居民: the word query 社区居民 \
    finds nothing, --chars finds it).\n\n\
    Examples:\n  \
    wenxi kwic 社区                          every 社区 in ./corpus (or the bundled corpus)\n  \
    wenxi kwic '防*' essays/ --sort R1,R2     words starting with 防, sorted by the words after\n  \
    wenxi kwic '社区 居民' --width 5          a two-word sequence, five words each side\n  \
    wenxi kwic 社区居民 --chars              a string, whatever jieba makes of it\n  \
    wenxi kwic '防*' --pos v --sample 10      words starting with 防 that jieba tags v, 10 hits at random"
)]
pub struct Args {
    /// The word, pattern, sequence or (with --chars) string to look for
    pub query: String,

    #[command(flatten)]
    pub input: InputArgs,

    /// Search the text for QUERY as a character string instead of matching tokens
    #[arg(long)]
    pub chars: bool,

    /// Keep token hits whose tokens have one of these part-of-speech tags (jieba's: n, v, vn, ...).
    /// A word has one tag wherever it stands (the tag word_freq.csv shows), so this picks words,
    /// most usefully among a glob's or a regex's
    #[arg(
        long,
        value_name = "TAGS",
        value_delimiter = ',',
        conflicts_with = "chars"
    )]
    pub pos: Vec<String>,

    /// Words of context on each side (punctuation between them comes along); with --chars,
    /// twice as many characters (a Chinese word is about two)
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub width: usize,

    /// Characters of context on each side, instead of --width words
    #[arg(long, value_name = "N", conflicts_with = "width")]
    pub char_width: Option<usize>,

    /// Sort by these keys in turn: node, L1-L3, R1-R3 (the words left and right; with --chars,
    /// the characters), essay
    #[arg(
        long,
        value_name = "KEYS",
        value_delimiter = ',',
        default_value = "essay"
    )]
    pub sort: Vec<String>,

    /// Keep N hits chosen at random (the same every run) before sorting
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub sample: Option<usize>,

    /// Keep at most the first N hits after sorting
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max: Option<usize>,

    /// Hits printed in the terminal (all go to kwic.csv)
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub show: usize,

    #[command(flatten)]
    pub table: TableOutput,
}

/// One row of kwic.csv: a hit and the essay it is in.
pub struct Row {
    pub hit: Hit,
    pub key: String,
    pub title: String,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    args.input.warn_unused_columns(&[]);
    args.table.check()?;
    let load_options = args.input.load_options()?;
    let query_text =
        super::input::as_counted(&load_options, "the query", &args.query, args.table.quiet);
    let query = Query::parse(&query_text, args.chars).map_err(anyhow::Error::msg)?;
    let keys = args
        .sort
        .iter()
        .map(|k| SortKey::parse(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let context = match args.char_width {
        Some(n) => Context::Chars(n),
        None => Context::Words(args.width),
    };
    let segmenter = args.input.segmenter()?;
    args.input.pool()?.install(|| {
        let mut rows: Vec<Row> = Vec::new();
        let mut essays_with = 0usize;
        let scan = args.input.each_essay(
            &load_options,
            crate::analysis::BATCH_BYTES,
            args.table.quiet,
            |_| {},
            |essay| kwic::find(&segmenter, essay, &query, context, &args.pos),
            |batch, hits| {
                let keys = Keys::of(batch);
                for (essay, hits) in batch.essays.iter().zip(hits) {
                    essays_with += usize::from(!hits.is_empty());
                    rows.extend(hits.into_iter().map(|hit| Row {
                        key: keys.get(essay.id).to_owned(),
                        title: essay.title.clone(),
                        hit,
                    }));
                }
                Ok(())
            },
        )?;
        let found = rows.len();
        let mut notes = Vec::new();
        if let Some(n) = args.sample {
            if found > n {
                kwic::sample(&mut rows, |r| &r.hit, n);
                notes.push(format!("a random sample of {n}"));
            }
        }
        kwic::sort(&mut rows, |r| &r.hit, &keys);
        if let Some(n) = args.max {
            if rows.len() > n {
                rows.truncate(n);
                notes.push(format!("the first {n} after sorting"));
            }
        }
        let path = args.table.write_csv(
            "kwic",
            &kwic_frame(&rows, FrameOptions { excel_safe: true })?,
        )?;
        crate::report::warn_past_excel(
            &path.display().to_string(),
            rows.len(),
            "--max N or --sample N keep fewer",
        );
        // With --pos the query may have hits, none of them tagged so: no hint then.
        if found == 0 && !args.table.quiet && args.pos.is_empty() {
            if let Some(hint) = no_hit_hint(&query, &args.query, "`--chars`") {
                eprintln!("wenxi: note: {hint}");
            }
        }
        let mut out = std::io::stdout().lock();
        let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        writeln!(
            out,
            "{}{}: {} in {essays_with} of {}{}",
            args.query,
            if args.pos.is_empty() {
                String::new()
            } else {
                format!(" (tagged {})", args.pos.join(", "))
            },
            plural(found, "hit"),
            plural(scan.essays, "essay"),
            if notes.is_empty() {
                String::new()
            } else {
                format!("; kept {}", notes.join(", then "))
            }
        )?;
        print_lines(&mut out, &rows, args.show)?;
        writeln!(out, "all {} in {}", rows.len(), path.display())?;
        Ok(if scan.skipped { EXIT_SKIPPED } else { EXIT_OK })
    })
}

/// What to try when a token query found nothing.
///
/// A plain word, or a sequence of them, may be text jieba cuts otherwise (社区居民 is 社区 +
/// 居民), which `chars` (how to search the text by characters: `--chars` in kwic itself) finds
/// whatever the segmentation. A glob or a regex matches words only, which the note says.
pub fn no_hit_hint(query: &Query, typed: &str, chars: &str) -> Option<String> {
    let Query::Tokens(patterns) = query else {
        return None;
    };
    if !patterns.iter().all(|p| matches!(p, Pattern::Word(_))) {
        // A pattern that names a Han character or a Latin letter (防*) was after words, and
        // there are none such; the note on numbers is for a pattern without one (`20??`).
        if typed
            .chars()
            .any(|c| crate::corpus::is_han(c) || c.is_ascii_alphabetic())
        {
            return Some(format!(
                "no word of these essays matches {typed}; `{chars}` searches the text for a \
                 plain string whatever the segmentation"
            ));
        }
        return Some(
            "a glob or a /regex/ matches words only (tokens with a Han or Latin letter), not \
             numbers or punctuation, which a plain query such as 2020 finds"
                .to_owned(),
        );
    }
    // The pieces as the text would hold them: together, but for a space between two Latin
    // words (`good morning`).
    let mut text = String::new();
    for piece in typed.split_whitespace() {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin(text.chars().last()) && latin(piece.chars().next()) {
            text.push(' ');
        }
        text.push_str(piece);
    }
    let what = if patterns.len() > 1 {
        "sequence of tokens"
    } else {
        "token"
    };
    Some(format!(
        "no {what} is {typed:?} as jieba cuts these essays; {chars} searches the text for \
         {text:?} whatever the segmentation, and a --user-dict line makes it one word"
    ))
}

/// Columns of context on each side in the terminal.
const SIDE: usize = 34;

/// The hits aligned on the node: CJK characters are two columns wide.
fn print_lines(out: &mut impl Write, rows: &[Row], show: usize) -> std::io::Result<()> {
    if show == 0 {
        return Ok(());
    }
    if rows.len() > show {
        writeln!(out, "showing the first {show} (--show to change):")?;
    }
    for row in rows.iter().take(show) {
        let h = &row.hit;
        let place = format!("{}:{}", h.essay_id, h.sentence);
        let left = last_columns(&h.left, SIDE);
        let pad = SIDE - left.width();
        writeln!(
            out,
            "{place:>9}  {}{left} 【{}】 {}",
            " ".repeat(pad),
            h.node,
            first_columns(&h.right, SIDE)
        )?;
    }
    Ok(())
}

/// The end of `text` that fits in `columns`.
fn last_columns(text: &str, columns: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices().rev() {
        used += c.width().unwrap_or(0);
        if used > columns {
            return &text[i + c.len_utf8()..];
        }
    }
    text
}

/// The start of `text` that fits in `columns`.
fn first_columns(text: &str, columns: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.width().unwrap_or(0);
        if used > columns {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_cjk_as_two() {
        assert_eq!(last_columns("我们社区", 4), "社区");
        assert_eq!(last_columns("ab社区", 5), "b社区");
        assert_eq!(first_columns("社区居民", 5), "社区");
        assert_eq!("社区".width(), 4);
    }
}

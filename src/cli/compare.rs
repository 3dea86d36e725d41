//! `wenxi compare A B`: two essays, or two groups of essays, side by side: theme profiles, the
//! words that tell them apart, and how alike they are.

use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use regex::Regex;
use rustc_hash::FxHashMap;

use crate::analysis::keyness::{key_words, WordCounts};
use crate::analysis::similarity::{cosine, Weights};
use crate::analysis::themes::{ThemeLexicon, EMBEDDED_THEMES};
use crate::analysis::{Analysis, AnalysisOptions, EssayResult};
use crate::corpus::metadata::Selection;
use crate::corpus::{Corpus, Inputs};
use crate::error::Error;
use crate::frames::{column, keyness_frame};
use crate::report::{ensure_dir, Format, TableReporter};
use crate::Stopwords;

use super::input::InputArgs;
use super::keyness::{print_key_words, ThresholdArgs};
use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "A and B are each an essay (its id in essays.csv, or its title), a file or folder \
    of essays, or COLUMN=VALUE: the essays whose metadata (a spreadsheet column, or --metadata) \
    has that value; with --group-by, the values of the pattern's first group in file paths or \
    titles. The pattern sees each file's path within the folder it was found in, starting with \
    the folder's own name (essays/2022/a.txt for the folder essays, given as essays, ./essays or \
    /home/me/essays, from any working directory), or a file's name when the file is given.\n\n\
    A title that starts with '-' goes after `--`: wenxi compare 3 -- -减负\n\n\
    Writes compare_summary.csv (sizes and cosine), compare_themes.csv (theme hits per 1,000 words \
    of each side) and compare_words.csv (keyness of A against B).\n\n\
    Examples:\n  \
    wenxi compare 2 6                             essays 2 and 6 of the bundled corpus\n  \
    wenxi compare 疫情社区心得体会篇二 疫情社区心得体会篇十\n  \
    wenxi compare class_a/ class_b/                two folders of essays\n  \
    wenxi compare 班级=一班 班级=二班 essays.xlsx      two classes of a spreadsheet\n  \
    wenxi compare class=1 class=2 essays/ --metadata students.csv   classes from a table\n  \
    wenxi compare 2022 2023 essays/ --group-by '^essays/(\\d{4})'   groups by a part of the path"
)]
pub struct Args {
    /// The first essay or group
    pub a: String,
    /// The second essay or group
    pub b: String,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub report_script: super::input::ReportScriptArg,

    /// Group essays by the first capture group of this pattern, matched against each essay's file
    /// path within its input (the folder's name, then the path inside it: essays/2022/a.txt),
    /// then its title
    #[arg(long, value_name = "REGEX")]
    pub group_by: Option<String>,

    /// Theme lexicon [default: themes.toml in the one folder analysed (./corpus when no path is
    /// given), the bundled one with the bundled corpus, else none]
    #[arg(long, value_name = "FILE")]
    pub themes: Option<PathBuf>,

    /// Folder for the CSV files (created if missing)
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,

    /// Words of each direction printed in the terminal
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    #[command(flatten)]
    pub threshold: ThresholdArgs,

    /// Write CSV without the UTF-8 byte-order mark
    #[arg(long)]
    pub no_bom: bool,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    super::output::check_output_folder(&args.output)?;
    let load_options = args.input.load_options()?;
    let segmenter = args.input.segmenter()?;
    // As `analyze` takes them: --themes, the folder's themes.toml, the bundled lexicon with the
    // bundled corpus only (its epidemic themes mean nothing on another corpus), else none.
    let group_by = args
        .group_by
        .as_deref()
        .map(Regex::new)
        .transpose()
        .map_err(|e| anyhow::anyhow!("invalid --group-by regex: {e}"))?;
    // Two paths on disk, and no corpus given: the two sides are those paths.
    let by_path = group_by.is_none()
        && args.input.paths.is_empty()
        && Path::new(&args.a).exists()
        && Path::new(&args.b).exists();
    let input = if by_path {
        InputArgs {
            paths: vec![args.a.clone().into(), args.b.clone().into()],
            ..args.input.clone()
        }
    } else {
        args.input.clone()
    };
    input.warn_unused_columns(&[]);
    // Of what is read: two paths as the sides have no themes.toml of their own (one folder's
    // only), and the bundled corpus the bundled lexicon.
    let themes = match args.themes.clone().or_else(|| input.own_themes()) {
        Some(path) => ThemeLexicon::load(&path),
        None if input.input_paths().is_empty() => ThemeLexicon::parse(EMBEDDED_THEMES),
        None => Ok(ThemeLexicon::default()),
    }
    .map_err(anyhow::Error::msg)?;

    input.pool()?.install(|| {
        let corpus = input.load(&load_options)?;
        let options = AnalysisOptions {
            top_keywords: 0,
            keyword_methods: Vec::new(),
            similarity: false,
                reuse: None,
            arf: false,
            themes: Some(themes.clone()),
            report_script: args.report_script.report_script,
            ..AnalysisOptions::default()
        };
        let analysis = Analysis::run(&corpus, &segmenter, &Stopwords::builtin(), &options);
        // --group-by sees each path within its input, however the input was typed.
        let inputs = Inputs::new(&input.input_paths());
        let side = |key: &str| -> anyhow::Result<Vec<usize>> {
            let members: Vec<usize> = if by_path {
                let prefix = Path::new(key);
                corpus.essays.iter().enumerate().filter(|(_, e)| Path::new(&e.source).starts_with(prefix)).map(|(i, _)| i).collect()
            } else if let Some(pattern) = &group_by {
                let group = |text: &str| pattern.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str().to_owned());
                corpus
                    .essays
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| group(&inputs.path_within(&e.source)).or_else(|| group(&e.title)).as_deref() == Some(key))
                    .map(|(i, _)| i)
                    .collect()
            } else if let Some(selection) = Selection::parse(key).filter(|s| s.has_column(&corpus)) {
                corpus.essays.iter().enumerate().filter(|(_, e)| selection.matches(e)).map(|(i, _)| i).collect()
            } else {
                find_essay(&corpus, key)?.into_iter().collect()
            };
            if let (true, Some(selection)) = (members.is_empty(), Selection::parse(key)) {
                if let Err(message) = selection.select(&corpus) {
                    anyhow::bail!("`{key}`: {message}");
                }
            }
            if let (true, Some(pattern)) = (members.is_empty(), &group_by) {
                // Which groups there are, or that the pattern finds none (a path typed
                // differently from how the essays' paths read).
                let group = |text: &str| pattern.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str().to_owned());
                let groups: std::collections::BTreeSet<String> = corpus
                    .essays
                    .iter()
                    .filter_map(|e| group(&inputs.path_within(&e.source)).or_else(|| group(&e.title)))
                    .collect();
                match corpus.essays.first() {
                    Some(first) if groups.is_empty() => anyhow::bail!(
                        "--group-by {pattern} finds no group in any essay's path or title (its first capture group); the paths read like {}",
                        inputs.path_within(&first.source)
                    ),
                    _ => anyhow::bail!(
                        "`{key}` is no group of --group-by {pattern}; its groups are: {}",
                        groups.into_iter().take(20).collect::<Vec<_>>().join(", ")
                    ),
                }
            }
            if members.is_empty() {
                anyhow::bail!("`{key}` names no essay: give an essay id or title from essays.csv, an --id-column value, a file or folder, COLUMN=VALUE of the essays' metadata, or a --group-by value");
            }
            Ok(members)
        };
        let (a, b) = (side(&args.a)?, side(&args.b)?);
        if a == b {
            anyhow::bail!(
                "`{}` and `{}` name the same essay(s): give two different essays or groups",
                args.a,
                args.b
            );
        }
        let (sum_a, sum_b) = (sum(&analysis, &a), sum(&analysis, &b));
        let weights = Weights::new(analysis.essays.len(), &analysis.word_freq);
        let vector = |s: &WordCounts| weights.vector(s.counts.iter().map(|(w, &c)| (w.as_str(), c)));
        let similarity = cosine(&vector(&sum_a), &vector(&sum_b));
        let (mut words, max_p) = key_words(&sum_a, &sum_b, args.threshold.threshold(0.05));
        super::keyness::show(&mut words, &[&super::keyness::shown_forms(&analysis)]);

        let theme_hits = |members: &[usize]| -> Vec<u64> {
            (0..themes.themes.len()).map(|t| members.iter().map(|&i| analysis.essays[i].themes[t].hits).sum()).collect()
        };
        let (hits_a, hits_b) = (theme_hits(&a), theme_hits(&b));
        let per_1k = |hits: u64, total: u64| crate::frames::per_10k(hits, total) / 10.0;

        // The tables first: a reader that closes the pipe early (`| head`) ends the run at the
        // next print, and what is printed must not stand for tables never written.
        ensure_dir(&args.output)?;
        let _lock = crate::report::FolderLock::wait(&args.output)?;
        let reporter = TableReporter { format: Format::Csv, bom: !args.no_bom };
        let summary = DataFrame::new(
            1,
            vec![
                Column::new("a".into(), [args.a.as_str()]),
                Column::new("b".into(), [args.b.as_str()]),
                Column::new("essays_a".into(), [a.len() as u64]),
                Column::new("essays_b".into(), [b.len() as u64]),
                Column::new("words_a".into(), [sum_a.total]),
                Column::new("words_b".into(), [sum_b.total]),
                Column::new("cosine".into(), [similarity]),
            ],
        )
        .map_err(|source| Error::Frame { name: "compare_summary", source })?;
        let theme_frame = DataFrame::new(
            themes.themes.len(),
            vec![
                column("theme", themes.themes.iter().map(|t| t.name.as_str())),
                Column::new("hits_a".into(), hits_a.clone()),
                column("per_1k_a", hits_a.iter().map(|&h| per_1k(h, sum_a.total))),
                Column::new("hits_b".into(), hits_b.clone()),
                column("per_1k_b", hits_b.iter().map(|&h| per_1k(h, sum_b.total))),
            ],
        )
        .map_err(|source| Error::Frame { name: "compare_themes", source })?;
        // The three tables are renamed into place together, or none.
        let staging = crate::report::Staging::begin(&args.output);
        reporter.write_one(&summary, &args.output.join("compare_summary.csv"))?;
        reporter.write_one(&theme_frame, &args.output.join("compare_themes.csv"))?;
        reporter.write_one(&keyness_frame(&words)?, &args.output.join("compare_words.csv"))?;
        staging.commit()?;
        let mut out = std::io::stdout().lock();
        let label = |key: &str, members: &[usize]| {
            if members.len() == 1 && !by_path && group_by.is_none() {
                format!("{} ({})", corpus.essays[members[0]].title, corpus.essays[members[0]].id)
            } else {
                format!("{key} ({} essay{})", members.len(), if members.len() == 1 { "" } else { "s" })
            }
        };
        writeln!(out, "A: {}, {} words", label(&args.a, &a), sum_a.total)?;
        writeln!(out, "B: {}, {} words", label(&args.b, &b), sum_b.total)?;
        writeln!(out, "cosine similarity: {similarity:.3}\n")?;
        if themes.themes.is_empty() {
            writeln!(out, "themes: none (--themes FILE, or a themes.toml in the folder read, gives them)\n")?;
        } else {
            writeln!(out, "themes, hits per 1,000 words:  A  |  B")?;
            for (t, theme) in themes.themes.iter().enumerate() {
                writeln!(out, "  {}\t{:.1}\t{:.1}", theme.name, per_1k(hits_a[t], sum_a.total), per_1k(hits_b[t], sum_b.total))?;
            }
            writeln!(out)?;
        }
        if args.threshold.bonferroni {
            writeln!(out, "Bonferroni: p ≤ {max_p:.3e}")?;
        }
        drop(out);
        print_key_words(&words, args.top, "A than in B")?;

        writeln!(std::io::stdout(), "written to {}: compare_summary.csv compare_themes.csv compare_words.csv", args.output.display())?;
        Ok(if corpus.skipped().next().is_some() { EXIT_SKIPPED } else { EXIT_OK })
    })
}

/// An essay by id, by its spreadsheet row's `--id-column` value, by exact title, or by the one
/// title containing `key`. A title as
/// essays.csv shows it, with the apostrophe that keeps Excel from running it as a formula
/// (`'-减负`), finds its essay too.
///
/// A title that several essays have (a class set's common title) names none of them: the
/// error lists their ids.
fn find_essay(corpus: &Corpus, key: &str) -> anyhow::Result<Option<usize>> {
    if let Ok(id) = key.parse::<u32>() {
        if let Some(i) = corpus.essays.iter().position(|e| e.id == id) {
            return Ok(Some(i));
        }
    }
    // A spreadsheet row's --id-column value (a student number), when it is no essay id.
    let mut by_row = corpus
        .essays
        .iter()
        .enumerate()
        .filter(|(_, e)| e.row_id.as_deref() == Some(key));
    if let (Some((i, _)), None) = (by_row.next(), by_row.next()) {
        return Ok(Some(i));
    }
    let titled = |title: &str| -> anyhow::Result<Option<usize>> {
        let with: Vec<usize> = corpus
            .essays
            .iter()
            .enumerate()
            .filter(|(_, e)| e.title == title)
            .map(|(i, _)| i)
            .collect();
        if with.len() > 1 {
            let ids: Vec<String> = with
                .iter()
                .take(10)
                .map(|&i| corpus.essays[i].id.to_string())
                .collect();
            anyhow::bail!(
                "`{key}` is the title of {} essays (ids {}{}): give one essay's id, or a \
                 COLUMN=VALUE or --group-by value that takes the essays wanted",
                with.len(),
                ids.join(", "),
                if with.len() > ids.len() { ", …" } else { "" }
            );
        }
        Ok(with.first().copied())
    };
    if let Some(unguarded) = key
        .strip_prefix('\'')
        .filter(|rest| rest.starts_with(['=', '+', '-', '@']))
    {
        if let Some(i) = titled(unguarded)? {
            return Ok(Some(i));
        }
    }
    if let Some(i) = titled(key)? {
        return Ok(Some(i));
    }
    let containing: Vec<usize> = corpus
        .essays
        .iter()
        .enumerate()
        .filter(|(_, e)| e.title.contains(key))
        .map(|(i, _)| i)
        .collect();
    Ok((containing.len() == 1).then(|| containing[0]))
}

/// The summed word counts of some essays.
fn sum(analysis: &Analysis<'_>, members: &[usize]) -> WordCounts {
    let mut counts: FxHashMap<String, u64> = FxHashMap::default();
    let mut total = 0;
    for &i in members {
        let essay: &EssayResult<'_> = &analysis.essays[i];
        for (id, count) in essay.counts.iter() {
            *counts.entry(analysis.word(id).word.to_owned()).or_default() += u64::from(count);
        }
        total += essay.figures.words;
    }
    WordCounts { counts, total }
}

//! `wenxi analyze`: the whole pipeline, from files to report tables.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::analysis::{Analysis, AnalysisOptions};
use crate::corpus::{decode::encoding_for_label, Corpus, LoadOptions, Splitter};
use crate::error::Error;
use crate::frames::{FrameOptions, Tables};
use crate::report::{ensure_dir, Format, Reporter, TableReporter};
use crate::{Segmenter, Stopwords};

use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    wenxi analyze                                  ./corpus (or the bundled corpus) -> ./reports\n  \
    wenxi analyze essays/ extra/one.txt -o out     several inputs, reports in out/\n  \
    wenxi analyze page.txt --encoding gbk          force the encoding of every file\n  \
    wenxi analyze essays/ --user-dict words.txt --stopwords stop.txt --top 20\n  \
    wenxi analyze essays/ --format parquet         Parquet instead of CSV\n  \
    wenxi analyze page.txt --split-regex '^第.+篇$' cut a compiled page at lines like 第三篇")]
pub struct Args {
    /// Files and folders to analyse; folders are searched recursively for .txt files
    /// [default: ./corpus if it exists, else the bundled corpus]
    pub paths: Vec<PathBuf>,

    /// Folder for the reports (created if missing; only wenxi's report files are replaced)
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,

    /// Keywords per essay
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// Worker threads [default: all cores]
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Read every file in this encoding (utf-8, gbk, gb18030, big5, utf-16le, ...) instead of
    /// detecting it; invalid bytes become U+FFFD
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// Title lines that split a file into essays (regex on the whole trimmed line)
    /// [default: lines like 疫情心得体会篇三 or 范文篇12]
    #[arg(long, value_name = "REGEX")]
    pub split_regex: Option<String>,

    /// Extra words for the segmenter, jieba format: `word [frequency] [pos-tag]` a line
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<PathBuf>,

    /// Extra stopwords, whitespace-separated (# starts a comment line)
    #[arg(long, value_name = "FILE")]
    pub stopwords: Option<PathBuf>,

    /// Leave out the built-in stopword list
    #[arg(long)]
    pub no_builtin_stopwords: bool,

    /// Format of the report tables
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,

    /// Write CSV without the UTF-8 byte-order mark (Excel then misreads Chinese)
    #[arg(long)]
    pub no_bom: bool,

    /// No progress bar and no summary
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let started = Instant::now();
    let load_options = LoadOptions {
        encoding: match &args.encoding {
            Some(label) => Some(encoding_for_label(label).ok_or_else(|| Error::EncodingLabel(label.clone()))?),
            None => None,
        },
        splitter: match &args.split_regex {
            Some(pattern) => Splitter::with_pattern(pattern)?,
            None => Splitter::default(),
        },
    };
    let mut stopwords = if args.no_builtin_stopwords { Stopwords::empty() } else { Stopwords::builtin() };
    if let Some(path) = &args.stopwords {
        stopwords.load_file(path)?;
    }
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = args.jobs {
        pool = pool.num_threads(jobs.into());
    }
    let pool = pool.build().context("cannot start worker threads")?;
    pool.install(|| analyze(&args, &load_options, stopwords, started))
}

fn analyze(args: &Args, load_options: &LoadOptions, stopwords: Stopwords, started: Instant) -> anyhow::Result<u8> {
    let mut segmenter = Segmenter::new();
    if let Some(path) = &args.user_dict {
        for bad in segmenter.load_user_dict(path)? {
            eprintln!("wenxi: warning: {}: line {} skipped: {}", path.display(), bad.line, bad.reason);
        }
    }
    let (corpus, described) = load_corpus(&args.paths, load_options);
    for file in corpus.skipped() {
        eprintln!("wenxi: skipped {}: {}", file.path, file.message);
    }
    if corpus.essays.is_empty() {
        anyhow::bail!("no essay text found in {described}; give .txt files or folders that hold them");
    }

    let progress = progress_bar(args.quiet, corpus.text_bytes() as u64);
    let options = AnalysisOptions { top_keywords: args.top };
    let analysis = Analysis::run_with_progress(&corpus, &segmenter, &stopwords, &options, &|bytes| progress.inc(bytes));
    progress.finish_and_clear();

    let tables = Tables::build(&corpus, &analysis, FrameOptions { excel_safe: args.format == Format::Csv })?;
    ensure_dir(&args.output)?;
    let reporter = TableReporter { format: args.format, bom: !args.no_bom };
    let written = reporter.write(&tables, &args.output)?;

    let skipped = corpus.skipped().count();
    if !args.quiet {
        summary(&corpus, &analysis, &written, &args.output, started.elapsed().as_secs_f64())?;
    }
    Ok(if skipped > 0 { EXIT_SKIPPED } else { EXIT_OK })
}

/// Reads the inputs, or `./corpus`, or the bundled corpus; returns it with a description for
/// messages.
fn load_corpus(paths: &[PathBuf], options: &LoadOptions) -> (Corpus, String) {
    if !paths.is_empty() {
        let described = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        return (Corpus::load(paths, options), described);
    }
    let default = Path::new("corpus");
    if default.is_dir() {
        (Corpus::load(&[default.to_path_buf()], options), "corpus/".to_owned())
    } else {
        (Corpus::embedded(options), "the bundled corpus".to_owned())
    }
}

fn progress_bar(quiet: bool, total: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} segmenting [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

fn summary(corpus: &Corpus, analysis: &Analysis<'_>, written: &[PathBuf], dir: &Path, seconds: f64) -> anyhow::Result<()> {
    let files = corpus.files.len();
    let skipped = corpus.skipped().count();
    let names: Vec<String> =
        written.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "analysed {} essay{} from {} file{} ({} skipped): {} words, {} distinct, {:.1} KB of text in {:.2} s",
        corpus.essays.len(),
        if corpus.essays.len() == 1 { "" } else { "s" },
        files,
        if files == 1 { "" } else { "s" },
        skipped,
        analysis.total_words,
        analysis.word_freq.len(),
        corpus.text_bytes() as f64 / 1024.0,
        seconds
    )?;
    writeln!(out, "reports in {}: {}", dir.display(), names.join(" "))?;
    Ok(())
}

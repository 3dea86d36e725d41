//! `wenxi analyze`: the whole pipeline, from files to report tables.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use indicatif::{ProgressBar, ProgressStyle};

use crate::analysis::keywords::KeywordMethod;
use crate::analysis::similarity::{self, Similarity};
use crate::analysis::themes::{ThemeLexicon, EMBEDDED_THEMES};
use crate::analysis::{pieces, Analysis, AnalysisBuilder, AnalysisOptions, ANALYZE_BATCH_BYTES};
use crate::corpus::Corpus;
use crate::frames::{self, FrameOptions, Table, Tables, Which};
use crate::report::{
    charts, ensure_dir, html, run, AppendThread, Format, TableAppender, TableReporter, EXCEL_ROWS,
};

use super::input::InputArgs;
use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    wenxi analyze                                  ./corpus (or the bundled corpus) -> ./reports\n  \
    wenxi analyze essays/ extra/one.txt -o out     several inputs, reports in out/\n  \
    wenxi analyze page.txt --encoding gbk          force the encoding of every file\n  \
    wenxi analyze essays/ --user-dict words.txt --stopwords stop.txt --top 20\n  \
    wenxi analyze essays/ --format parquet         Parquet instead of CSV\n  \
    wenxi analyze essays/ --keywords tfidf,textrank,keyness\n  \
    wenxi analyze page.txt --split-regex '第.{1,4}篇.*' cut a page at lines like 第三篇 我的老师\n  \
    wenxi analyze essays/ --markers markers.txt    more discourse markers (`marker kind` a line)")]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for the reports (created if missing; only wenxi's report files are replaced)
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,

    /// Keywords per essay and method (1 or more)
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u16).range(1..), usize::from))]
    pub top: usize,

    /// Keyword methods, comma-separated; all go to keywords.csv, and the page and the keywords
    /// chart show the first that finds keywords. The default puts first what sets each essay apart
    /// from the others (keyness), then what the essay is about in general Chinese (tfidf): with
    /// jieba's IDF, the bundled corpus's tfidf keywords start with 社区 in 9 of its 10 essays
    #[arg(
        long,
        value_name = "METHOD,...",
        value_enum,
        value_delimiter = ',',
        default_value = "keyness,tfidf"
    )]
    pub keywords: Vec<KeywordMethod>,

    /// Number of clusters in clusters.csv [default: the k of best silhouette, 2 to 10]
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(1..),
          conflicts_with = "no_similarity")]
    pub clusters: Option<u16>,

    /// Do not compare the essays with each other (no similarity.csv, clusters.csv, nearest essay)
    #[arg(long)]
    pub no_similarity: bool,

    /// Write the similarity of every pair of essays even past 1,000 essays (where similarity.csv
    /// otherwise holds each essay's 10 nearest): N essays make N(N−1)/2 rows
    #[arg(long, conflicts_with = "no_similarity")]
    pub all_pairs: bool,

    /// Index entries the search for an essay's 10 nearest reads at most, past 1,000 essays: more
    /// finds more of the true nearest and takes longer (the `exact` column of similarity.csv
    /// says for which essays it was not enough to prove the result). A budget given here is kept
    /// whatever the recall [default: a quarter of the number of essays, at least 12,000, raised
    /// while a sample finds too few neighbours: see --check-neighbours]
    #[arg(long, value_name = "N", conflicts_with_all = ["no_similarity", "exact_neighbours"])]
    pub neighbour_budget: Option<usize>,

    /// Find every essay's 10 nearest exactly, however long it takes
    #[arg(long, conflicts_with = "no_similarity")]
    pub exact_neighbours: bool,

    /// Check the nearest neighbours of N sampled essays against every other essay and print the
    /// share found (the search's recall). With the default budget, 50 essays are checked
    /// whenever the search past 1,000 essays could not prove every essay's nearest, and while
    /// under 99% of their neighbours are found the search is made again with four times the
    /// budget (three times at most, and within 2 billion index entries or four times the first
    /// search's); 0 turns the check off
    #[arg(long, value_name = "N", conflicts_with = "no_similarity")]
    pub check_neighbours: Option<usize>,

    /// Group essays whose estimated Jaccard similarity (MinHash over 5-character shingles)
    /// reaches this as near-duplicates in reuse_groups.csv
    #[arg(
        long,
        value_name = "J",
        default_value_t = 0.5,
        allow_negative_numbers = true,
        conflicts_with = "no_reuse"
    )]
    pub dup_threshold: f64,

    /// Do not look for text reuse (no reuse.csv, reuse_groups.csv)
    #[arg(long)]
    pub no_reuse: bool,

    /// Also write ngrams.csv: word n-grams of these lengths (2..3 if none is given) seen at least
    /// twice, with their range and dispersion (`wenxi ngrams` has every option)
    #[arg(long, value_name = "RANGE", num_args = 0..=1, default_missing_value = "2..3",
          value_parser = super::ngrams::parse_range)]
    pub ngrams: Option<std::ops::RangeInclusive<usize>>,

    #[command(flatten)]
    pub report_script: super::input::ReportScriptArg,

    /// Group the essays by this column of their spreadsheet, field of their Word form or column of --metadata (班级, 年级 …): groups.csv gives
    /// each group's size, the means of its structure figures and the words that set it apart
    /// from the rest
    #[arg(long, value_name = "COLUMN")]
    pub group_by: Option<String>,

    /// Theme lexicon (TOML: name = ["word", "prefix*", "/regex/"]) for themes.csv
    /// [default: themes.toml in the one folder analysed (./corpus when no path is given), or the
    /// bundled one with the bundled corpus]
    #[arg(long, value_name = "FILE")]
    pub themes: Option<PathBuf>,

    /// Do not profile themes (no themes.csv)
    #[arg(long, conflicts_with = "themes")]
    pub no_themes: bool,

    /// Do not write the HTML report (index.html)
    #[arg(long)]
    pub no_html: bool,

    /// Language of the HTML report: zh (简体中文) or en
    #[arg(
        long,
        value_enum,
        value_name = "LANG",
        default_value = "zh",
        conflicts_with = "no_html"
    )]
    pub lang: html::Lang,

    /// Do not draw charts (no charts/ folder)
    #[arg(long)]
    pub no_charts: bool,

    /// Resolution of the PNG charts, in dots per inch, written into each file: 300 for print. The
    /// layout stays that of the SVG (a 1,500-pixel-wide chart is 15.6 inches wide), so a higher
    /// value gives more pixels, not smaller text: --dpi 300 makes it 4,688 pixels wide
    #[arg(long, value_name = "DPI", default_value_t = 96,
          value_parser = clap::value_parser!(u32).range(48..=600), conflicts_with = "no_charts")]
    pub dpi: u32,

    /// Font for the charts' labels (TrueType or OpenType) instead of the embedded Noto Sans SC
    #[arg(long, value_name = "FILE", conflicts_with = "no_charts")]
    pub font: Option<PathBuf>,

    #[command(flatten)]
    pub stop: super::input::StopwordArgs,

    /// Format of the report tables
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,

    /// Write CSV without the UTF-8 byte-order mark (Excel then misreads Chinese)
    #[arg(long)]
    pub no_bom: bool,

    /// No progress bar and no summary
    #[arg(short, long)]
    pub quiet: bool,

    /// How to write essay_word_freq, the largest table (about 7 times the input as CSV): `auto` is
    /// the format of --format, but Parquet past 100 MB of input files
    #[arg(long, value_enum, value_name = "HOW", default_value_t = EssayWords::Auto)]
    pub essay_word_freq: EssayWords,

    /// Bytes of files read and analysed per batch (for tests: the output never depends on it)
    #[arg(long, hide = true, value_name = "BYTES", default_value_t = ANALYZE_BATCH_BYTES as u64)]
    pub batch_bytes: u64,
}

/// How `essay_word_freq` is written (`--essay-word-freq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EssayWords {
    Auto,
    Csv,
    Parquet,
    /// Not written.
    None,
}

/// Past this many bytes of input files, `auto` writes essay_word_freq as Parquet: as CSV it
/// would be about 700 MB, more rows than Excel opens, and writing it would take a good part of
/// the run.
const ESSAY_WORDS_CSV_BYTES: u64 = 100_000_000;

pub fn run(args: Args) -> anyhow::Result<u8> {
    let started = Instant::now();
    if args.neighbour_budget == Some(0) {
        anyhow::bail!(
            "--neighbour-budget 0 would read no index entry and find no neighbour; give a \
             number of entries (the default is a quarter of the number of essays, at least \
             12,000)"
        );
    }
    // Every pair has a Jaccard similarity of at least 0: a threshold of 0 would make the
    // corpus one group of "near-duplicates".
    if !(args.dup_threshold > 0.0 && args.dup_threshold <= 1.0) {
        anyhow::bail!(
            "--dup-threshold must be above 0 and at most 1 (0.5 by default; 0.8 for closer \
             copies), not {}",
            args.dup_threshold
        );
    }
    // A font that cannot be read fails the run before any work, not after the tables.
    if !args.no_charts {
        if let Some(font) = &args.font {
            charts::register_font(Some(font))?;
        }
    }
    args.input.warn_unused_columns(&[]);
    let load_options = args.input.load_options()?;
    // A --group-by column can only come from --metadata, spreadsheet input or a form's fields
    // (班级 … atop any essay): when no spreadsheet is given and the column is no form's, the metadata's header says now, not after the whole run, whether
    // the column is there.
    if let Some(column) = &args.group_by {
        if !args.input.may_read_sheets() && !crate::corpus::form::is_form_column(column) {
            let columns = args.input.metadata_columns()?;
            if !columns.iter().any(|c| c == column) {
                match &args.input.metadata {
                    Some(path) => anyhow::bail!(
                        "--group-by: no column {column:?} in --metadata {}; its columns are: {}",
                        path.display(),
                        columns.join(", ")
                    ),
                    None => anyhow::bail!(
                        "--group-by {column:?}: the essays have no columns to group by; give a \
                         spreadsheet of essays (one a row), or --metadata FILE with that column \
                         (a form atop the essays gives 班级, 姓名, 学号, 题目 …)"
                    ),
                }
            }
        }
    }
    let markers = args.input.marker_lexicon()?;
    let stopwords = args.stop.load()?;
    let segmenter = args.input.segmenter()?;
    let (themes, themes_from) = match theme_lexicon(&args)? {
        Some((lexicon, from)) => (Some(lexicon), Some(from)),
        None => (None, None),
    };
    // Before the pool's threads start, so that none has an arena of its own past the limit.
    crate::memory::tune_allocator(args.input.threads());
    args.input.pool()?.install(|| {
        let options = AnalysisOptions {
            top_keywords: args.top,
            keyword_methods: args.keywords.clone(),
            markers,
            similarity: !args.no_similarity,
            clusters: args.clusters.map(usize::from),
            all_pairs: args.all_pairs,
            neighbour_budget: if args.exact_neighbours {
                Some(usize::MAX)
            } else {
                args.neighbour_budget.map(|b| b.max(1))
            },
            check_neighbours: args.check_neighbours,
            reuse: (!args.no_reuse).then_some(args.dup_threshold),
            themes,
            ngrams: args.ngrams.clone(),
            group_by: args.group_by.clone(),
            report_script: args.report_script.report_script,
            arf: true,
        };
        check_output(&args)?;
        // Held to the end: a second run into this folder stops at once instead of deleting this
        // one's temporary files.
        let _lock = crate::report::FolderLock::take(&args.output)?;
        // charts/ is made when the first chart is written: a failed run that made it leaves no
        // empty folder behind (removing a folder that holds anything fails, harmlessly).
        let charts = args.output.join("charts");
        let _made_charts = RemoveIfEmpty((!charts.exists()).then_some(charts));
        let leftovers = run::remove_temporaries(&args.output);
        if leftovers > 0 && !args.quiet {
            eprintln!(
                "wenxi: removed {leftovers} temporary file(s) an interrupted run left in {}",
                args.output.display()
            );
        }
        let reporter = TableReporter {
            format: args.format,
            bom: !args.no_bom,
        };
        let frame_options = FrameOptions {
            excel_safe: args.format == Format::Csv,
        };
        // The corpus is read, analysed and its per-essay word counts written a batch at a time;
        // what stays is the vocabulary (in `arena`), each essay's compact results and the record
        // of the files and essays (`corpus`, without the text). The rows are written by a thread
        // of their own while the next batch is analysed.
        let arena = bumpalo::Bump::new();
        let mut builder = AnalysisBuilder::new(&segmenter, &stopwords, &options);
        // A batch's essay_word_freq rows are made before the next batch is added: past them,
        // the counts are kept by word id, which packs them tighter.
        builder.counts_by_id_after_batch();
        let mut corpus = Corpus::default();
        // The first essays' text, kept for the HTML page's essay view and search.
        let mut sample = html::PageSample::default();
        let mut text_bytes = 0u64;
        let input_bytes = std::cell::Cell::new(0);
        let progress = progress_bar(args.quiet);
        let batches = crate::timing::stage("batches");
        let essay_words = std::thread::scope(|scope| -> anyhow::Result<Option<TableAppender>> {
            let mut writer: Option<AppendThread<'_>> = None;
            let streamed = args.input.stream(
                &load_options,
                args.batch_bytes.max(1),
                |total| {
                    input_bytes.set(total);
                    bytes_bar(&progress, total);
                },
                |batch, bytes| {
                    if writer.is_none() && args.essay_word_freq != EssayWords::None {
                        let table = essay_word_table(&args, reporter, input_bytes.get())?;
                        // A run on one thread (`--jobs 1`, or one core) writes the rows
                        // itself.
                        writer = Some(if rayon::current_num_threads() > 1 {
                            AppendThread::spawn(scope, table)
                        } else {
                            AppendThread::here(table)
                        });
                    }
                    text_bytes += batch.text_bytes() as u64;
                    builder.expect_input_bytes(input_bytes.get());
                    // The essays the page will carry keep their tokens, so that it need not
                    // segment them again.
                    let keep = if args.no_html {
                        0
                    } else {
                        sample.room(&batch.essays)
                    };
                    let (added, tokens) = crate::timing::time("analyse batch (all)", || {
                        builder.add_keeping(
                            &batch.essays,
                            &|word| arena.alloc_str(word),
                            &|_| {},
                            keep,
                        )
                    });
                    if let Some(writer) = &mut writer {
                        // A frame costs about 100 bytes a row while it exists: the batch's rows
                        // go out in pieces, so that they never cost more than the batch's text,
                        // as many built at once as there are threads, and sent in order.
                        let essays = &builder.essays()[added];
                        let keys = frames::Keys::of(&batch);
                        let pieces: Vec<_> =
                            pieces(essays, |e| e.counts.len(), FRAME_ROWS).collect();
                        for together in pieces.chunks(rayon::current_num_threads().max(1)) {
                            let frames = crate::timing::time("essay_word_freq frames", || {
                                together
                                    .par_iter()
                                    .map(|piece| {
                                        frames::essay_word_freq(
                                            piece,
                                            &|id| builder.word(id),
                                            &|i, id| builder.shown_in(&piece[i], id),
                                            &keys,
                                            frame_options,
                                        )
                                    })
                                    .collect::<Result<Vec<_>, _>>()
                            })?;
                            for rows in frames {
                                if !writer.send(rows) {
                                    anyhow::bail!("essay_word_freq could not be written");
                                }
                            }
                        }
                    }
                    if !args.no_html {
                        sample.offer_segmented(&batch.essays, tokens);
                    }
                    corpus.absorb_without_text(batch);
                    progress.inc(bytes);
                    progress.set_message(format!("{} essays", corpus.essays.len()));
                    Ok(())
                },
            );
            // The writer's own error says more than the stream's "could not be written".
            let table = writer.map(AppendThread::finish).transpose()?;
            streamed?;
            Ok(table)
        })?;
        drop(batches);
        // Every batch's text, tokens and frames are gone.
        crate::memory::give_back();
        if corpus.essays.is_empty() {
            return Err(args.input.no_essays());
        }
        let n = corpus.essays.len();
        if let Some(k) = args.clusters {
            if usize::from(k) > n {
                eprintln!(
                    "wenxi: warning: --clusters {k} on {n} essays: there can be at most {n} \
                     clusters, so clusters.csv has {n}"
                );
            }
        }
        if n == 1 && args.keywords.iter().all(|&m| m == KeywordMethod::Keyness) {
            eprintln!(
                "wenxi: warning: keyness sets each essay against the rest of the corpus, and there \
                 is only one essay: keywords.csv is empty; try --keywords tfidf"
            );
        }
        if !args.no_reuse {
            use crate::analysis::reuse::{bands_for, found_at};
            let (bands, rows) = bands_for(args.dup_threshold);
            let found = found_at(args.dup_threshold, bands, rows);
            if found < crate::analysis::reuse::CANDIDATE_AT_THRESHOLD {
                eprintln!(
                    "wenxi: note: --dup-threshold {}: two essays of just that Jaccard similarity \
                     are compared with probability {found:.2} ({bands} LSH bands of {rows} rows; \
                     fewer rows would compare nearly every pair), more similar ones more often",
                    args.dup_threshold
                );
            }
        }
        if args.all_pairs && n > crate::analysis::similarity::MAX_ALL_PAIRS {
            eprintln!("wenxi: warning: {}", all_pairs_warning(n, args.format));
        }
        progress.set_message(format!("{n} essays; comparing them"));
        crate::timing::totals();
        let mut analysis = {
            let _stage = crate::timing::stage("corpus-wide (finish)");
            builder.finish_words()
        };
        // Every report is written beside its old version and all are renamed into place at
        // the end (report::Staging): a run that fails from here on leaves the old reports.
        let staging = crate::report::Staging::begin(&args.output);
        // keywords.csv needs no similarity: written first, it lets the lists the page and the
        // charts do not show go before the vectors and their index come.
        let keywords = {
            let _stage = crate::timing::stage("keywords table");
            write_some(&args, &corpus, &analysis, reporter, Which::Keywords)?
        };
        analysis.forget_keywords_from(
            html::MAX_TABLE_ROWS
                .max(sample.len())
                .max(charts::MAX_ESSAYS),
        );
        crate::memory::give_back();
        {
            let _stage = crate::timing::stage("comparing the essays");
            // Once the search starts, the bar counts the essays searched (the search is most of
            // what is left: about 20 s of a 500 MB run), from 0 again if it starts again.
            let started = std::sync::Once::new();
            let raised = |budget: usize, recall: f64| {
                progress.set_position(0);
                progress.set_message(format!(
                    "a sample's neighbours were {}% found: searching again with {budget} index \
                     entries read per essay",
                    percent_down(recall)
                ));
            };
            let searched = || {
                started.call_once(|| essays_bar(&progress, n, "searching each essay's nearest"));
                progress.inc(1);
                // What follows the search (a sample's check, the clusters) is said, not left
                // under a full bar that still says "searching".
                if progress.position() == n as u64 {
                    progress.set_message("each essay's nearest found; checking them, clustering");
                }
            };
            analysis.compare_essays(&options, false, &raised, &searched);
        }
        progress.finish_and_clear();
        if let (Some((_, false)), Some(column)) = (&analysis.groups, &args.group_by) {
            eprintln!(
                "wenxi: warning: no essay has a column {column:?} (--group-by takes a column of \
                 spreadsheet input, a field of a Word document's form or a column of \
                 --metadata; essays.csv shows them after its own columns): groups.csv has one \
                 group, {}",
                crate::analysis::groups::NO_VALUE
            );
        }
        if let Some(message) = &analysis.ngram_error {
            eprintln!("wenxi: warning: no ngrams.csv: {message}");
        }
        if let Some(pairings) = analysis.reuse.as_ref().and_then(|r| r.pairings_past_all) {
            eprintln!(
                "wenxi: note: the essays share sentences in {pairings} pairings (more than {}): \
                 reuse.{} lists each essay's {} partners sharing the most sentences, not every \
                 pair",
                crate::analysis::reuse::ALL_PAIRINGS,
                args.format.extension(),
                crate::analysis::reuse::PARTNERS
            );
        }
        if let Some(message) = &analysis.arf_error {
            eprintln!(
                "wenxi: warning: word_freq.csv's arf column is empty: {message} (TMPDIR names \
                 the folder for temporary files; it needs about 4 bytes a word of the corpus)"
            );
        }
        if let Some(similarity) = &analysis.similarity {
            report_neighbour_search(similarity, &args);
        }

        // The charts are drawn on a thread of their own while the tables are built and written,
        // and the page's data is made beside them in the pool; the page itself, which links the
        // tables and shows the charts, comes last. A run on one thread (`--jobs 1`, or one core)
        // draws them after the tables.
        let draw = || {
            let _stage = crate::timing::stage("charts");
            charts::write_charts(&corpus, &analysis, &args.output.join("charts"), args.dpi)
        };
        let one_thread = rayon::current_num_threads() == 1;
        let (written, charts, page) = std::thread::scope(|scope| {
            let charts = (!args.no_charts && !one_thread).then(|| scope.spawn(draw));
            let (written, page) = rayon::join(
                || {
                    let _stage = crate::timing::stage("tables");
                    write_tables(&args, &corpus, &analysis, reporter, essay_words, keywords)
                },
                || {
                    (!args.no_html).then(|| {
                        let page = html::Page {
                            sample,
                            segmenter: &segmenter,
                            lang: args.lang,
                        };
                        html::PageParts::of(&corpus, &analysis, page)
                    })
                },
            );
            let charts = match charts {
                Some(thread) => Some(thread.join().expect("the charts do not panic")),
                None => (!args.no_charts).then(draw),
            }
            .transpose();
            (written, charts, page)
        });
        let mut written = written?;
        let mut chart_files = Vec::new();
        if let Some(charts) = charts? {
            if !charts.missing_glyphs.is_empty() {
                let shown: String = charts.missing_glyphs.iter().take(20).collect();
                eprintln!(
                    "wenxi: warning: the chart font has no glyph for {} character{} of the \
                     labels ({shown}{}); the PNG charts leave them out. Give a font that has \
                     them with --font FILE (a traditional-Chinese one, say).",
                    charts.missing_glyphs.len(),
                    if charts.missing_glyphs.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    if charts.missing_glyphs.len() > 20 {
                        "…"
                    } else {
                        ""
                    },
                );
            }
            chart_files = charts.files;
            let leaves = analysis
                .similarity
                .as_ref()
                .and_then(|s| s.clusters.as_ref())
                .is_some_and(|c| !c.merges.is_empty());
            if leaves && corpus.essays.len() > charts::DENDROGRAM_LEAVES {
                eprintln!(
                    "wenxi: note: no dendrogram chart: {} essays are more than its {} leaves \
                     can show; clusters.csv gives each essay's cluster and its place in the tree",
                    corpus.essays.len(),
                    charts::DENDROGRAM_LEAVES
                );
            }
        }
        if let Some(page) = page {
            // The tables' frames and the page's data were made side by side, and what they freed
            // is spread over the heap: at 50 MB, 257 MB resident for 175 MB in use, and the
            // page's JSON, on top, was the run's peak.
            crate::memory::give_back();
            let _stage = crate::timing::stage("html");
            let page = html::write_html(
                &corpus,
                &analysis,
                page,
                &written,
                &chart_files,
                &args.output,
            )?;
            written.push(page);
        }
        written.extend(chart_files);
        // The record of this run is committed with the reports, and the reports of the previous
        // run that this one did not write again are removed in the same step.
        let record = run::Run::new(&corpus.files, &written, &args.output)
            .with_options(super::options::of_analyze(&args))
            .with_neighbours(analysis.similarity.as_ref().and_then(neighbour_record));
        let stale = run::stage(&args.output, &record)?;
        for stale in staging.commit_removing(&stale)? {
            if !args.quiet {
                eprintln!(
                    "wenxi: removed {}: an earlier run wrote it and this one did not",
                    stale.display()
                );
            }
        }
        written.push(args.output.join(run::RUN_FILE));
        // The parts of the stages after the batches.
        crate::timing::totals();
        if !args.quiet {
            summary(
                &corpus,
                &analysis,
                &written,
                &args.output,
                text_bytes,
                started.elapsed().as_secs_f64(),
            )?;
            if let Some(from) = &themes_from {
                writeln!(std::io::stdout(), "themes from {from}")?;
            }
        }
        Ok(if corpus.skipped().next().is_some() {
            EXIT_SKIPPED
        } else {
            EXIT_OK
        })
    })
}

/// A table written: its path, file name and rows.
type Written = (PathBuf, String, usize);

/// Builds the tables `which` picks and writes each at once.
fn write_some(
    args: &Args,
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    reporter: TableReporter,
    which: Which,
) -> anyhow::Result<Vec<Written>> {
    let frame_options = FrameOptions {
        excel_safe: args.format == Format::Csv,
    };
    let mut written = Vec::new();
    Tables::each(
        corpus,
        analysis,
        frame_options,
        false,
        which,
        &mut |name, table| {
            let (path, rows) = match table {
                Table::Whole(df) => {
                    let path = args
                        .output
                        .join(format!("{name}.{}", reporter.format.extension()));
                    reporter.write_one(&df, &path)?;
                    (path, df.height())
                }
                Table::Pieces { units, step, frame } => {
                    let mut out = TableAppender::create(&args.output, name, reporter)?;
                    out.append_pieces(units, step, frame)?;
                    let rows = out.rows();
                    (out.finish(|| frame(0..0))?, rows)
                }
            };
            written.push((
                path,
                format!("{name}.{}", reporter.format.extension()),
                rows,
            ));
            Ok(())
        },
    )?;
    Ok(written)
}

/// Builds the rest of the report tables and writes them, `earlier` (keywords, written before
/// the essays were compared) put back in its place and essay_word_freq (appended batch by
/// batch) renamed into place last; returns the files in the order the page lists them, and
/// warns about tables too long for Excel.
fn write_tables(
    args: &Args,
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    reporter: TableReporter,
    essay_words: Option<TableAppender>,
    earlier: Vec<Written>,
) -> anyhow::Result<Vec<PathBuf>> {
    let frame_options = FrameOptions {
        excel_safe: args.format == Format::Csv,
    };
    let mut tables = write_some(args, corpus, analysis, reporter, Which::AllButKeywords)?;
    // In the order `Tables::each` gives them all.
    let place = |file: &str| {
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        frames::TABLE_NAMES.iter().position(|&name| name == stem)
    };
    for table in earlier {
        let at = tables
            .iter()
            .position(|t| place(&t.1) > place(&table.1))
            .unwrap_or(tables.len());
        tables.insert(at, table);
    }
    let mut too_long: Vec<(String, usize)> = tables
        .iter()
        .map(|(_, name, rows)| (name.clone(), *rows))
        .collect();
    let mut written: Vec<PathBuf> = tables.into_iter().map(|(path, _, _)| path).collect();
    if let Some(table) = essay_words.as_ref().filter(|t| t.format() == Format::Csv) {
        too_long.push(("essay_word_freq.csv".to_owned(), table.rows()));
    }
    for (name, rows) in too_long.iter().filter(|(name, _)| name.ends_with(".csv")) {
        crate::report::warn_past_excel(name, *rows, "write Parquet with --format parquet");
    }
    if let Some(table) = essay_words {
        let path = table.finish(|| {
            let keys = frames::Keys::of(&Corpus::default());
            frames::essay_word_freq(
                &[],
                &|_| unreachable!("no essay, no word"),
                &|_, _| unreachable!("no essay, no word"),
                &keys,
                frame_options,
            )
        })?;
        let at = written
            .iter()
            .position(|p| p.file_stem().is_some_and(|s| s == "word_freq"))
            .map_or(written.len(), |i| i + 1);
        written.insert(at, path);
    }
    Ok(written)
}

/// The `essay_word_freq` table, in the format `--essay-word-freq` asks for.
fn essay_word_table(
    args: &Args,
    reporter: TableReporter,
    input_bytes: u64,
) -> crate::error::Result<TableAppender> {
    let format = match args.essay_word_freq {
        EssayWords::Csv => Format::Csv,
        EssayWords::Parquet => Format::Parquet,
        _ if args.format == Format::Csv && input_bytes > ESSAY_WORDS_CSV_BYTES => {
            if !args.quiet {
                eprintln!(
                    "wenxi: essay_word_freq goes to Parquet past 100 MB of input (as CSV it \
                     would be about 7 times the input); --essay-word-freq csv writes CSV, none \
                     leaves it out"
                );
            }
            Format::Parquet
        }
        _ => args.format,
    };
    TableAppender::create(
        &args.output,
        "essay_word_freq",
        TableReporter { format, ..reporter },
    )
}

/// Rows of `essay_word_freq` built into one frame at most.
const FRAME_ROWS: usize = 100_000;

/// `--themes`; else the `themes.toml` of the one folder analysed (`./corpus` when no path is
/// given), so that a folder's lexicon goes with that corpus only; else the bundled lexicon with
/// the bundled corpus. With where it came from, which the summary prints.
fn theme_lexicon(args: &Args) -> anyhow::Result<Option<(ThemeLexicon, String)>> {
    if args.no_themes {
        return Ok(None);
    }
    let load = |path: &Path| -> anyhow::Result<Option<(ThemeLexicon, String)>> {
        let lexicon = ThemeLexicon::load(path).map_err(anyhow::Error::msg)?;
        let from = format!("{} ({} themes)", path.display(), lexicon.themes.len());
        Ok(Some((lexicon, from)))
    };
    if let Some(path) = &args.themes {
        return load(path);
    }
    if let Some(own) = args.input.own_themes() {
        return load(&own);
    }
    if args.input.paths.is_empty() && !Path::new("corpus").is_dir() {
        let lexicon = ThemeLexicon::parse(EMBEDDED_THEMES).map_err(anyhow::Error::msg)?;
        let from = format!("the bundled lexicon ({} themes)", lexicon.themes.len());
        return Ok(Some((lexicon, from)));
    }
    Ok(None)
}

/// What the neighbour search's check found: always when asked for (`--check-neighbours`); when
/// the default budget was raised, unless `--quiet` without `--check-neighbours`; a warning when
/// the recall stayed short.
fn report_neighbour_search(found: &Similarity, args: &Args) {
    let lines = neighbour_search_lines(
        found,
        args.quiet,
        args.check_neighbours.is_some(),
        args.neighbour_budget.is_some(),
    );
    for line in lines {
        eprintln!("{line}");
    }
}

/// Before the run: the output folder (made if missing) and its charts/ can be written in, and
/// no folder stands where this run writes a report, which would fail it at its end, after all
/// the work.
fn check_output(args: &Args) -> anyhow::Result<()> {
    ensure_dir(&args.output)?;
    crate::report::check_writable(&args.output)?;
    let charts = args.output.join("charts");
    if !args.no_charts {
        if charts.exists() && !charts.is_dir() {
            anyhow::bail!(
                "{} is a file where the charts folder goes: move or rename it, or give \
                 --no-charts",
                charts.display()
            );
        }
        if charts.is_dir() {
            crate::report::check_writable(&charts)?;
        }
    }
    for (folder, prefix) in [(&args.output, ""), (&charts, "charts/")] {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Of the names this run may write: tables in its format, charts when drawn, the
            // page when made, the run's record.
            let written = match name.rsplit_once('.').map(|(_, e)| e) {
                _ if name == run::RUN_FILE => prefix.is_empty(),
                _ if name == "index.html" => !args.no_html,
                _ if !prefix.is_empty() => !args.no_charts,
                Some(extension) => extension == args.format.extension(),
                None => false,
            };
            let report = name == run::RUN_FILE
                || run::is_report_name(&format!("{prefix}{name}"))
                || args.ngrams.is_some() && prefix.is_empty() && name.starts_with("ngrams.");
            if written && report && entry.file_type().is_ok_and(|t| t.is_dir()) {
                anyhow::bail!(
                    "{} is a folder where a report goes: move or rename it, or give another \
                     folder with -o",
                    entry.path().display()
                );
            }
        }
    }
    Ok(())
}

/// Removes its folder, if empty, when dropped.
struct RemoveIfEmpty(Option<PathBuf>);

impl Drop for RemoveIfEmpty {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// The lines [`report_neighbour_search`] prints: `checked_asked` with `--check-neighbours`,
/// `budget_given` with `--neighbour-budget`.
fn neighbour_search_lines(
    found: &Similarity,
    quiet: bool,
    checked_asked: bool,
    budget_given: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    let budget = found.budget.unwrap_or(0);
    let sampled = found
        .recall
        .map_or(similarity::DEFAULT_CHECK, |(_, checked)| checked);
    if let Some((first, first_recall)) = found.raised_from {
        if !quiet || checked_asked {
            let now = match found.recall {
                Some((recall, _)) => format!("{}% found", percent_down(recall)),
                None => "every essay's nearest proved".to_string(),
            };
            lines.push(format!(
                "wenxi: the nearest-neighbour search found {}% of the true neighbours of \
                 {sampled} sampled essays with its default budget of {first} index entries read per \
                 essay; searched again with {budget}: {now}",
                percent_down(first_recall),
            ));
        }
    }
    // A budget given too small can leave essays with no neighbour at all, which no sample
    // check may show (and with --check-neighbours 0 none runs).
    let alone = found.nearest.iter().filter(|n| n.is_none()).count();
    let searched = found.budget.is_some_and(|b| b != usize::MAX);
    if budget_given && searched && alone > 0 {
        lines.push(format!(
            "wenxi: warning: {alone} of {} essays have no neighbour in similarity.csv: none \
             was found within --neighbour-budget {budget} (or the essay shares no word with \
             any other); a larger budget finds more",
            found.nearest.len()
        ));
    }
    let Some((recall, checked)) = found.recall else {
        return lines;
    };
    if checked_asked && found.raised_from.is_none() {
        lines.push(format!(
            "wenxi: nearest neighbours checked by brute force on {checked} essays: \
             {:.2}% of them found",
            recall * 100.0
        ));
    }
    if recall < similarity::TARGET_RECALL && !budget_given {
        lines.push(format!(
            "wenxi: warning: the nearest-neighbour search found only {}% of the true \
             neighbours of {checked} sampled essays (budget {budget} index entries read per essay): \
             similarity.csv may miss some of the nearest; a larger --neighbour-budget finds \
             more, --exact-neighbours all, however long it takes",
            percent_down(recall),
        ));
    }
    lines
}

/// How the neighbour search went, for `run.json`: the budget it ended with, the default budget
/// and its sample's recall if that was raised, the last check's recall and sample (`null` when
/// no check ran: every essay's nearest was proved, or `--check-neighbours 0`). `None` with
/// every pair compared; the budget `null` for `--exact-neighbours`.
fn neighbour_record(found: &Similarity) -> Option<serde_json::Value> {
    let budget = found.budget?;
    Some(serde_json::json!({
        "budget": (budget != usize::MAX).then_some(budget),
        "default_budget": found.raised_from.map(|(first, _)| first),
        "default_budget_recall": found.raised_from.map(|(_, recall)| recall),
        "recall": found.recall.map(|(recall, _)| recall),
        "sampled": found.recall.map(|(_, sampled)| sampled),
    }))
}

/// The warning for `--all-pairs` past [`crate::analysis::similarity::MAX_ALL_PAIRS`] essays: the
/// rows, what they hold in memory, and Excel's limit when they pass it.
fn all_pairs_warning(n: usize, format: Format) -> String {
    let rows = n as u64 * (n as u64 - 1) / 2;
    let excel = if format == Format::Csv && rows >= EXCEL_ROWS as u64 {
        format!(", more than Excel opens ({EXCEL_ROWS} with the header): --format parquet writes Parquet")
    } else {
        String::new()
    };
    format!(
        "--all-pairs on {n} essays: similarity.{} gets {rows} rows{excel}, and the pairs are held \
         in memory, at least {} MB (16 bytes a pair); without it each essay's 10 nearest are kept",
        format.extension(),
        (rows * 16).div_ceil(1_000_000)
    )
}

/// A share as a percentage with one decimal, rounded down: a recall just under 99% must not
/// print as 99.0%.
fn percent_down(share: f64) -> String {
    format!("{:.1}", (share * 1000.0).floor() / 10.0)
}

/// Progress on stderr when it is a terminal: bytes of files analysed, the rate, the essays so
/// far and the time left.
pub(crate) fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    // A spinner until the inputs' size is known (a bar of length 0 is drawn full).
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} finding the inputs {wide_msg}")
            .expect("valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Turns `bar` (from [`progress_bar`]) into a bar of the `total` bytes of input, with the essays
/// read in its message (`{wide_msg}`: cut to the terminal's width, never wrapped).
pub(crate) fn bytes_bar(bar: &ProgressBar, total: u64) {
    if bar.is_hidden() {
        return;
    }
    bar.disable_steady_tick();
    bar.set_length(total);
    bar.set_position(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} analysing [{bar:30}] {binary_bytes}/{binary_total_bytes} \
             {binary_bytes_per_sec}, eta {eta}, {wide_msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message("0 essays");
}

/// Turns `bar` (from [`progress_bar`]) into a count of `n` essays, with time left, for a stage
/// after the batches that goes essay by essay.
pub(crate) fn essays_bar(bar: &ProgressBar, n: usize, message: &'static str) {
    if bar.is_hidden() {
        return;
    }
    // Length and position first: a style drawn with the bytes' position would read
    // 4,427,299/4,000 essays.
    bar.set_length(n as u64);
    bar.set_position(0);
    bar.reset_eta();
    bar.set_message(message);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} comparing [{bar:30}] {human_pos}/{human_len} essays, eta {eta}, {wide_msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
}

/// A spinner with `message` on stderr when it is a terminal, for work after the batches whose
/// length is not known (hidden otherwise, or with `quiet`).
pub(crate) fn spinner(quiet: bool, message: &'static str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
    );
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn summary(
    corpus: &Corpus,
    analysis: &Analysis<'_>,
    written: &[PathBuf],
    dir: &Path,
    text_bytes: u64,
    seconds: f64,
) -> anyhow::Result<()> {
    let files = corpus.files.len();
    let skipped = corpus.skipped().count();
    let mut names: Vec<String> = written
        .iter()
        .filter(|p| p.parent() == Some(dir))
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let charts = written.len() - names.len();
    if charts > 0 {
        names.push(format!("charts/ ({charts} files)"));
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "analysed {} essay{} from {} file{} ({} skipped): {} words, {} distinct, {} of text in {:.2} s",
        corpus.essays.len(),
        if corpus.essays.len() == 1 { "" } else { "s" },
        files,
        if files == 1 { "" } else { "s" },
        skipped,
        analysis.total_words,
        analysis.word_freq.len(),
        if text_bytes < 1024 * 1024 {
            format!("{:.1} KB", text_bytes as f64 / 1024.0)
        } else {
            format!("{:.1} MB", text_bytes as f64 / (1024.0 * 1024.0))
        },
        seconds
    )?;
    // (That it was the bundled sample is said on stderr before the run, as by every command.)
    writeln!(out, "reports in {}: {}", dir.display(), names.join(" "))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Past Excel's rows the warning says so; below them (1,100 essays, 604,450 rows) it
    /// speaks of the rows and memory alone.
    #[test]
    fn the_all_pairs_warning_names_excel_only_past_its_rows() {
        let big = all_pairs_warning(1_450, Format::Csv);
        assert!(big.contains("1050525 rows, more than Excel opens"), "{big}");
        assert!(big.contains("at least 17 MB"), "{big}");
        let small = all_pairs_warning(1_100, Format::Csv);
        assert!(small.contains("604450 rows, and the pairs"), "{small}");
        assert!(!small.contains("Excel"), "{small}");
        let parquet = all_pairs_warning(1_450, Format::Parquet);
        assert!(
            parquet.contains("similarity.parquet gets 1050525 rows, and"),
            "{parquet}"
        );
    }

    fn searched(raised_from: Option<(usize, f64)>, recall: Option<(f64, usize)>) -> Similarity {
        Similarity {
            pairs: Vec::new(),
            all_pairs: false,
            nearest: Vec::new(),
            exact: Vec::new(),
            recall,
            budget: Some(768_000),
            raised_from,
            clusters: None,
        }
    }

    // A search raised as far as it goes and still short of 99%: said on stderr, and warned
    // about, quiet or not; with a budget given (never raised), no warning.
    #[test]
    fn a_search_still_short_after_its_raises_is_warned_about() {
        let short = searched(Some((12_000, 0.7364)), Some((0.9299, 50)));
        let lines = neighbour_search_lines(&short, false, false, false);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains("found 73.6% of the true neighbours of 50 sampled essays"));
        assert!(lines[0].contains("default budget of 12000"));
        assert!(lines[0].ends_with("searched again with 768000: 92.9% found"));
        assert!(
            lines[1].starts_with("wenxi: warning: the nearest-neighbour search found only 92.9%")
        );
        assert!(lines[1].contains("--neighbour-budget") && lines[1].contains("--exact-neighbours"));
        // Quiet: the raise is not told, the warning is.
        let quiet = neighbour_search_lines(&short, true, false, false);
        assert_eq!(quiet, lines[1..]);
        // A recall of 98.99%, which rounds to 99.0%, is still short, and printed as 98.9%.
        let close = searched(None, Some((0.9899, 50)));
        let lines = neighbour_search_lines(&close, false, true, false);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].contains("found only 98.9%"));
        // Proved after a raise: no warning.
        let proved = searched(Some((12_000, 0.932)), None);
        let lines = neighbour_search_lines(&proved, false, false, false);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].ends_with("every essay's nearest proved"));
        // A budget given: never raised, and not warned about.
        let given = searched(None, Some((0.5, 50)));
        assert!(neighbour_search_lines(&given, false, false, true).is_empty());
    }
}

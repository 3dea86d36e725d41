//! Options shared by the subcommands that read a corpus, and the reading itself.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::keywords::IdfTable;
use crate::analysis::structure::MarkerLexicon;
use crate::corpus::{
    decode::encoding_for_label,
    metadata::{MatchOn, Metadata},
    script::{Conversion, ScriptChoice},
    sheet::ColumnChoice,
    Corpus, CorpusReader, Essay, FileStatus, LoadOptions, Splitter,
};
use crate::error::{Error, Result};
use crate::Segmenter;

/// What [`InputArgs::each_essay`] went through.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scan {
    pub essays: usize,
    /// Some input file was skipped (named on stderr).
    pub skipped: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Files and folders to analyse: folders are searched recursively for .txt, .md, .docx and .doc
    /// files; a spreadsheet named here (.csv, .xlsx, .xls, .ods) is one essay a row
    /// [default: ./corpus if it exists, else the bundled corpus]
    pub paths: Vec<PathBuf>,

    /// Worker threads, for the analysis (and for Polars, which builds `analyze`'s tables) [default: all
    /// cores]
    #[arg(
        short,
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..),
        allow_negative_numbers = true
    )]
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

    /// Extra discourse markers: `marker kind` a line, kind one of ordering, addition,
    /// contrast, cause, example, summary
    #[arg(long, value_name = "FILE")]
    pub markers: Option<PathBuf>,

    /// The column of a spreadsheet (.csv, .xlsx, .xls, .ods) holding the essays, by header or
    /// letter [default: the column with the most Chinese text]
    #[arg(long, value_name = "COLUMN")]
    pub text_column: Option<String>,

    /// The column of a spreadsheet holding the titles, by header or letter [default: a column
    /// headed 题目, 标题, 作文题目, 篇名, 題目, 標題 or title, else the file name and the row
    /// number]
    #[arg(long, value_name = "COLUMN")]
    pub title_column: Option<String>,

    /// The column of a spreadsheet that identifies each row (a student number), by header or
    /// letter: the essays' keys are then `file#ID` instead of `file#row position`
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,

    /// A table of facts about the essays (CSV or .xlsx: class, student, score …), a row an
    /// essay, joined on --metadata-key: its columns go into essays.csv and structure.csv, and
    /// can group the essays (`analyze --group-by COLUMN`; `compare` and `keyness` take
    /// COLUMN=VALUE) and be set against the structure figures (correlations.csv)
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,

    /// The encoding of a CSV given to --metadata (gbk, utf-8, big5, ...) when it is not
    /// detected: a short table of a few Chinese words can be too little to tell [default:
    /// detected; --encoding is for the essays]
    #[arg(long, value_name = "LABEL", requires = "metadata")]
    pub metadata_encoding: Option<String>,

    /// The column of --metadata that names each row's essay, by header or letter
    /// [default: the first column]
    #[arg(long, value_name = "COLUMN", requires = "metadata")]
    pub metadata_key: Option<String>,

    /// What the key column's cells are: `auto` tries each essay's key, id, path, file name
    /// (with or without extension), title and number in turn, the first that matches
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = MatchOn::Auto,
          requires = "metadata")]
    pub metadata_match: MatchOn,

    /// In folders, also read the files whose names match this pattern (`*` any characters, `?`
    /// one), such as '*.csv' or '*.xlsx' for spreadsheets of essays; repeatable
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Traditional Chinese: `auto` finds each essay's script and converts traditional essays
    /// to simplified before segmenting (essays.csv says which); `traditional` converts every
    /// essay, `simplified` none, `keep` none but still says which are traditional
    #[arg(long, value_enum, value_name = "HOW", default_value_t = ScriptChoice::Auto)]
    pub script: ScriptChoice,

    /// OpenCC's conversion to simplified: t2s (standard traditional characters and phrases),
    /// tw2sp (Taiwan usage and vocabulary: 軟體 → 软件), hk2s (Hong Kong forms)
    #[arg(long, value_enum, value_name = "CONFIG", default_value_t = Conversion::T2s)]
    pub opencc: Conversion,
}

/// `--report-script`, for the subcommands that report words.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ReportScriptArg {
    /// How the tables (and `analyze`'s charts and page) show the words of traditional essays (converted to
    /// simplified to be segmented): `written` as the essays wrote them (an essay's rows in its
    /// own form, the corpus's rows in the form it uses most), or `simplified` as they were
    /// counted
    #[arg(long, value_enum, value_name = "SCRIPT",
          default_value_t = crate::analysis::written::ReportScript::Written)]
    pub report_script: crate::analysis::written::ReportScript,
}

/// The stopword options, for the subcommands that leave stopwords out.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StopwordArgs {
    /// Extra stopwords, whitespace-separated (# starts a comment line)
    #[arg(long, value_name = "FILE")]
    pub stopwords: Option<PathBuf>,

    /// Leave out the built-in stopword list
    #[arg(long)]
    pub no_builtin_stopwords: bool,
}

impl StopwordArgs {
    /// The built-in list (unless left out) with the words of `--stopwords`.
    pub fn load(&self) -> Result<crate::Stopwords> {
        let mut stopwords = if self.no_builtin_stopwords {
            crate::Stopwords::empty()
        } else {
            crate::Stopwords::builtin()
        };
        if let Some(path) = &self.stopwords {
            stopwords.load_file(path)?;
        }
        Ok(stopwords)
    }
}

/// A query as the essays are counted: traditional essays are converted to simplified (and shown
/// as written), so a query in traditional characters is converted as they are (學習 finds 學習
/// and 学习), which `what` (the query, the node) is said to be on stderr unless `quiet`.
pub fn as_counted(options: &LoadOptions, what: &str, text: &str, quiet: bool) -> String {
    match options.script {
        ScriptChoice::Auto | ScriptChoice::Traditional => {
            let converted = options.conversion.convert(text);
            if converted != text && !quiet {
                eprintln!(
                    "wenxi: {what} {text} is searched as {converted} (traditional essays are \
                     converted to simplified and shown as written; --script keep searches the \
                     text as it is)"
                );
            }
            converted
        }
        ScriptChoice::Simplified | ScriptChoice::Keep => text.to_owned(),
    }
}

/// How many of the files not read an error names when no essay was found.
const NOT_READ_NAMED: usize = 5;

impl InputArgs {
    /// Whether spreadsheets of essays may be among the inputs: one is named, or `--include`
    /// may find some in the folders.
    pub fn may_read_sheets(&self) -> bool {
        !self.include.is_empty() || self.paths.iter().any(|p| crate::corpus::sheet::is_sheet(p))
    }

    /// Warns of a column option (`--text-column` …) that no spreadsheet among the inputs (and
    /// `more`, the paths a command reads besides them: a keyness reference) can take: it would
    /// be dropped without a word.
    pub fn warn_unused_columns(&self, more: &[PathBuf]) {
        if self.may_read_sheets() || more.iter().any(|p| crate::corpus::sheet::is_sheet(p)) {
            return;
        }
        for (flag, column) in [
            ("--text-column", &self.text_column),
            ("--title-column", &self.title_column),
            ("--id-column", &self.id_column),
        ] {
            if let Some(column) = column {
                eprintln!(
                    "wenxi: warning: {flag} {column} is not used: it names a column of a \
                     spreadsheet of essays (.csv, .xlsx, .xls, .ods), and none is among the \
                     inputs; name the spreadsheet, or add --include '*.csv' (or '*.xlsx') to \
                     read those in the folders"
                );
            }
        }
    }

    pub fn load_options(&self) -> Result<LoadOptions> {
        Ok(LoadOptions {
            encoding: match &self.encoding {
                Some(label) => Some(
                    encoding_for_label(label).ok_or_else(|| Error::EncodingLabel(label.clone()))?,
                ),
                None => None,
            },
            splitter: match &self.split_regex {
                Some(pattern) => Splitter::with_pattern(pattern)?,
                None => Splitter::default(),
            },
            columns: ColumnChoice {
                text: self.text_column.clone(),
                title: self.title_column.clone(),
                id: self.id_column.clone(),
            },
            script: self.script,
            conversion: self.opencc,
        })
    }

    pub fn marker_lexicon(&self) -> Result<MarkerLexicon> {
        let mut lexicon = MarkerLexicon::default();
        if let Some(path) = &self.markers {
            lexicon.load_file(path)?;
        }
        Ok(lexicon)
    }

    /// The segmenter with the user dictionary, warning about its bad lines on stderr.
    pub fn segmenter(&self) -> Result<Segmenter> {
        // jieba's dictionary and its IDF table are both parsed at start-up: side by side, unless
        // the run has one thread (`--jobs 1`, or one core), as its pool will.
        let one_thread = match self.jobs {
            Some(jobs) => jobs == 1,
            None => std::thread::available_parallelism().map_or(true, |n| n.get() == 1),
        };
        let mut segmenter = if one_thread {
            IdfTable::jieba().median();
            Segmenter::new()
        } else {
            std::thread::scope(|scope| {
                scope.spawn(|| IdfTable::jieba().median());
                Segmenter::new()
            })
        };
        if let Some(path) = &self.user_dict {
            for bad in segmenter.load_user_dict(path)? {
                eprintln!(
                    "wenxi: warning: {}: line {} skipped: {}",
                    path.display(),
                    bad.line,
                    bad.reason
                );
            }
        }
        Ok(segmenter)
    }

    /// The theme lexicon that goes with the corpus: `themes.toml` in the one folder analysed
    /// (`./corpus` when no path is given), if there is one.
    pub fn own_themes(&self) -> Option<PathBuf> {
        let folder = match self.paths.as_slice() {
            [] => Path::new("corpus"),
            [one] => one.as_path(),
            _ => return None,
        };
        Some(folder.join("themes.toml")).filter(|p| folder.is_dir() && p.is_file())
    }

    /// The files and folders read: the paths given, or `./corpus`; none for the bundled corpus.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        if !self.paths.is_empty() {
            self.paths.clone()
        } else if Path::new("corpus").is_dir() {
            vec![PathBuf::from("corpus")]
        } else {
            Vec::new()
        }
    }

    /// A rayon pool of `--jobs` threads. Polars' own pool, which builds and writes the tables,
    /// is bounded to as many (it reads `POLARS_MAX_THREADS` when first used, which is after
    /// this), so that `--jobs` bounds the tables' work too.
    /// The threads a run uses: `--jobs`, at most 4 × the cores (at least 16), or the cores.
    /// Threads past the cores only wait their turn, and each holds its own scratch (`-j 65535`
    /// ran out of memory after 17 minutes on three files).
    pub fn threads(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.jobs
            .map_or(cores, |jobs| usize::from(jobs).min((4 * cores).max(16)))
    }

    pub fn pool(&self) -> anyhow::Result<rayon::ThreadPool> {
        let mut pool = rayon::ThreadPoolBuilder::new();
        if let Some(asked) = self.jobs {
            let jobs = self.threads();
            if jobs < usize::from(asked) {
                eprintln!(
                    "wenxi: note: --jobs {asked}: this machine has {} core(s), and threads \
                     past {jobs} would only wait and take memory; using {jobs}",
                    std::thread::available_parallelism().map_or(1, |n| n.get())
                );
            }
            pool = pool.num_threads(jobs);
            // Set before the pool's threads start. The only thread already running waits for
            // interrupts (report::temporary) and never reads the environment.
            std::env::set_var("POLARS_MAX_THREADS", jobs.to_string());
        }
        Ok(pool.build()?)
    }

    /// Reads the inputs, or `./corpus`, or the bundled corpus; names skipped files on stderr;
    /// fails if no essay is left.
    pub fn load(&self, options: &LoadOptions) -> anyhow::Result<Corpus> {
        let mut corpus = Corpus::default();
        self.stream(
            options,
            u64::MAX,
            |_| {},
            |batch, _| {
                corpus.essays.extend(batch.essays);
                corpus.files.extend(batch.files);
                Ok(())
            },
        )?;
        if corpus.essays.is_empty() {
            return Err(self.no_essays());
        }
        Ok(corpus)
    }

    /// The column names of `--metadata` (none without it), read before the run so that a
    /// column asked for can be checked at once.
    pub fn metadata_columns(&self) -> anyhow::Result<Vec<String>> {
        let Some(path) = &self.metadata else {
            return Ok(Vec::new());
        };
        let table = Metadata::read_table(path, self.metadata_encoding()?)
            .map_err(|message| anyhow::anyhow!("--metadata {}: {message}", path.display()))?;
        Ok(table.header)
    }

    /// `--metadata-encoding`, looked up.
    fn metadata_encoding(&self) -> Result<Option<&'static encoding_rs::Encoding>> {
        self.metadata_encoding
            .as_ref()
            .map(|label| {
                encoding_for_label(label).ok_or_else(|| Error::EncodingLabel(label.clone()))
            })
            .transpose()
    }

    /// Reads the inputs like [`InputArgs::load`], a batch of about `batch_bytes` of files at a
    /// time: `total` is told the bytes of all the files first, then `each` gets every batch with
    /// its bytes. Skipped files are named on stderr as their batch is read; the caller checks
    /// that some essay was found ([`InputArgs::no_essays`]).
    pub fn stream(
        &self,
        options: &LoadOptions,
        batch_bytes: u64,
        total: impl FnOnce(u64),
        mut each: impl FnMut(Corpus, u64) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut metadata = match &self.metadata {
            Some(path) => Some(
                Metadata::load(
                    path,
                    self.metadata_key.as_deref(),
                    self.metadata_match,
                    self.metadata_encoding()?,
                )
                .map_err(|message| anyhow::anyhow!("--metadata {}: {message}", path.display()))?,
            ),
            None => None,
        };
        let mut split_any = false;
        let mut converted = 0;
        // Essays whose conversion changed their length: kwic and the page show them converted.
        let mut resized = 0;
        let read = self.read(options, batch_bytes, total, |mut batch, bytes| {
            if options.script != ScriptChoice::Simplified {
                crate::timing::time("script (find, convert)", || {
                    batch.essays.par_iter_mut().for_each(|essay| {
                        crate::corpus::script::apply(essay, options.script, options.conversion);
                    });
                });
                converted += batch.essays.iter().filter(|e| e.converted).count();
                resized += batch
                    .essays
                    .iter()
                    .filter(|e| e.converted && e.original.is_none())
                    .count();
            }
            if let Some(metadata) = &mut metadata {
                metadata.attach(&mut batch);
            }
            split_any |= batch
                .files
                .iter()
                .any(|f| f.message.starts_with("compiled page"));
            each(batch, bytes)
        });
        if let Some(metadata) = &metadata {
            for line in metadata.report() {
                eprintln!("{line}");
            }
        }
        read?;
        if converted > 0 {
            eprintln!(
                "wenxi: {converted} essay(s) in traditional characters converted to simplified \
                 before segmenting (OpenCC {}; essays.csv says which; --script keep analyses \
                 them as written)",
                options.conversion.name()
            );
            if resized > 0 {
                eprintln!(
                    "wenxi: {resized} of them changed length in the conversion (its vocabulary \
                     replaced some words by longer or shorter ones), so kwic and the page show \
                     their simplified text rather than the text as written"
                );
            }
        }
        if let (Some(pattern), false) = (&self.split_regex, split_any) {
            if !self.paths.is_empty() || Path::new("corpus").is_dir() {
                eprintln!(
                    "wenxi: warning: --split-regex {pattern:?} matched no line (it must match a \
                     whole trimmed line): no file was split"
                );
            }
        }
        Ok(())
    }

    /// The batches of [`InputArgs::stream`], before metadata is joined; skipped and damaged
    /// files are named on stderr.
    fn read(
        &self,
        options: &LoadOptions,
        batch_bytes: u64,
        total: impl FnOnce(u64),
        mut each: impl FnMut(Corpus, u64) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let include = self
            .include
            .iter()
            .map(|pattern| crate::corpus::glob(pattern))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--include: {e}"))?;
        let mut not_read = 0;
        // The first files not read, named in the error if no essay is found.
        let mut first_not_read: Vec<(String, String)> = Vec::new();
        let (mut essays, mut skipped) = (0usize, 0usize);
        let mut warn_then = |batch: Corpus, bytes: u64| {
            essays += batch.essays.len();
            for file in &batch.files {
                match file.status {
                    FileStatus::Skipped => {
                        skipped += 1;
                        eprintln!("wenxi: skipped {}: {}", file.path, file.message)
                    }
                    FileStatus::Repaired => eprintln!(
                        "wenxi: warning: {} is damaged but was read: {}",
                        file.path, file.message
                    ),
                    FileStatus::NotRead => {
                        not_read += 1;
                        if first_not_read.len() < NOT_READ_NAMED {
                            first_not_read.push((file.path.clone(), file.message.clone()));
                        }
                    }
                    FileStatus::Ok => {}
                }
            }
            each(batch, bytes)
        };
        let paths = self.input_paths();
        if paths.is_empty() {
            // Said before any result: `kwic 老师` run outside a corpus folder would otherwise
            // count the sample's hits as if they were the user's.
            eprintln!(
                "wenxi: note: no path given and no ./corpus folder here: reading wenxi's bundled \
                 sample corpus (give files or folders to read your own)"
            );
            let corpus = Corpus::embedded(options);
            let bytes = crate::corpus::EMBEDDED_TEXT.len() as u64;
            total(bytes);
            return warn_then(corpus, bytes);
        }
        let reader = CorpusReader::new(&paths, &include);
        total(reader.bytes());
        let read = reader.read(options, batch_bytes, &mut warn_then);
        if read.is_ok() && essays == 0 && (skipped > 0 || not_read > 0) {
            // Nothing to analyse, and no files.csv to read the reasons in: the error says what
            // happened to what was given, naming the files of the folders that were not read.
            // ("Give .txt files" would mislead where files were given and skipped.)
            let mut message = format!("no essay text found in {}", self.described());
            if skipped > 0 {
                message.push_str(": everything given was skipped (the reasons are above)");
            } else {
                message.push_str("; give .txt files or folders that hold them");
            }
            if not_read > 0 {
                let mut named: Vec<String> = first_not_read
                    .iter()
                    .map(|(path, why)| format!("  {path}: {why}"))
                    .collect();
                if not_read > first_not_read.len() {
                    named.push(format!("  and {} more", not_read - first_not_read.len()));
                }
                message.push_str(&format!(
                    "; the folders hold {not_read} file(s) that were not read:\n{}",
                    named.join("\n")
                ));
            }
            return Err(anyhow::anyhow!(message));
        }
        if not_read > 0 {
            eprintln!(
                "wenxi: {not_read} other file(s) in the folders were not read (files.csv lists \
                 each with the reason; --include GLOB takes more, such as --include '*.csv')"
            );
        }
        read
    }

    /// Runs `per_essay` on every essay, in parallel a batch of about `batch_bytes` at a time
    /// ([`crate::analysis::BATCH_BYTES`] unless the results of a batch are large), on the
    /// current rayon pool, and gives each batch with its results, in corpus order, to `merge`.
    /// Progress goes to stderr unless `quiet`; `total` is told the bytes of input before the
    /// first batch. Fails if no essay was found.
    pub fn each_essay<R: Send>(
        &self,
        options: &LoadOptions,
        batch_bytes: usize,
        quiet: bool,
        total: impl FnOnce(u64),
        per_essay: impl Fn(&Essay) -> R + Sync,
        mut merge: impl FnMut(&Corpus, Vec<R>) -> anyhow::Result<()>,
    ) -> anyhow::Result<Scan> {
        let progress = super::analyze::progress_bar(quiet);
        let mut scan = Scan::default();
        self.stream(
            options,
            batch_bytes as u64,
            |bytes| {
                super::analyze::bytes_bar(&progress, bytes);
                total(bytes);
            },
            |batch, bytes| {
                let results: Vec<R> = crate::timing::time("per essay (parallel)", || {
                    batch.essays.par_iter().map(&per_essay).collect()
                });
                scan.essays += batch.essays.len();
                scan.skipped |= batch.skipped().next().is_some();
                crate::timing::time("merge batch", || merge(&batch, results))?;
                progress.inc(bytes);
                progress.set_message(format!("{} essays", scan.essays));
                Ok(())
            },
        )?;
        progress.finish_and_clear();
        crate::timing::totals();
        if scan.essays == 0 {
            return Err(self.no_essays());
        }
        Ok(scan)
    }

    /// The error of a run that found no essay in its inputs. [`InputArgs::stream`] gives it
    /// itself when its folders held files it did not read, with their names added.
    pub fn no_essays(&self) -> anyhow::Error {
        anyhow::anyhow!(
            "no essay text found in {}; give .txt files or folders that hold them",
            self.described()
        )
    }

    /// The inputs as the errors name them.
    fn described(&self) -> String {
        if !self.paths.is_empty() {
            self.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        } else if Path::new("corpus").is_dir() {
            "corpus/".to_owned()
        } else {
            "the bundled corpus".to_owned()
        }
    }
}

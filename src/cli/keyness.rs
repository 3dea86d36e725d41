//! `wenxi keyness`: the words that set a target corpus apart from a reference, as AntConc's
//! keyword list does.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::frequency::{count_words, WordCount, WordIndex};
use crate::analysis::keyness::{key_words, KeynessRow, Threshold, WordCounts};
use crate::analysis::written::{written_ranges, ReportScript, Tally};
use crate::analysis::{segment_essay, Analysis};
use crate::corpus::metadata::{Seen, Selection};
use crate::corpus::script::ScriptChoice;
use crate::corpus::wordlist::WordList;
use crate::corpus::{Corpus, Essay, LoadOptions};
use crate::frames::keyness_frame;
use crate::report::{ensure_dir, Format, TableReporter};
use crate::Segmenter;

use super::input::{InputArgs, Scan};
use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "G² is the log-likelihood of the 4-cell contingency table (Dunning 1993), p its \
    χ² p-value with one degree of freedom, log_ratio the binary log of the ratio of relative \
    frequencies (Hardie 2014) with its 95% confidence interval (log_ratio_low, log_ratio_high).\n\n\
    Examples:\n  \
    wenxi keyness essays/2023 --reference essays/2022      one year against another\n  \
    wenxi keyness essays/ --reference reports/word_freq.csv a word list as the reference\n  \
    wenxi keyness mine.txt --reference corpus --max-p 0.01 -o out\n  \
    wenxi keyness essays.xlsx --target 班级=一班 --reference 班级=二班   one class against another\n  \
    wenxi keyness essays/ --metadata students.csv --target class=1    class 1 against the rest"
)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub report_script: super::input::ReportScriptArg,

    /// The reference: files and folders of essays, a word-frequency CSV (word and count columns,
    /// such as a word_freq.csv of wenxi), or COLUMN=VALUE: the essays of the input whose
    /// metadata has that value [default with --target: the other essays of the input]
    #[arg(short, long, value_name = "PATH", required_unless_present = "target", num_args = 1..)]
    pub reference: Vec<PathBuf>,

    /// The target as COLUMN=VALUE: the essays of the input whose metadata (a spreadsheet column,
    /// or --metadata) has that value [default: all of the input]
    #[arg(short, long, value_name = "COLUMN=VALUE")]
    pub target: Option<String>,

    /// Folder for keyness.csv (created if missing)
    #[arg(short, long, value_name = "DIR", default_value = "reports")]
    pub output: PathBuf,

    /// Print nothing on stdout (keyness.csv is still written)
    #[arg(short, long)]
    pub quiet: bool,

    /// Keep words whose p-value is at most this
    #[arg(long, value_name = "P", default_value_t = 0.05)]
    pub max_p: f64,

    #[command(flatten)]
    pub threshold: ThresholdArgs,

    /// Keywords of each direction printed in the terminal (all go to keyness.csv)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,

    /// Write CSV without the UTF-8 byte-order mark
    #[arg(long)]
    pub no_bom: bool,
}

/// Which words are tested, shared by `keyness` and `compare`.
#[derive(Debug, Clone, clap::Args)]
pub struct ThresholdArgs {
    /// Test only words seen at least N times in the target and reference together (a word seen
    /// once against never is not evidence of anything)
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_freq: u64,

    /// Divide the p-value threshold by the number of words tested (Bonferroni)
    #[arg(long)]
    pub bonferroni: bool,
}

impl ThresholdArgs {
    pub fn threshold(&self, max_p: f64) -> Threshold {
        Threshold {
            max_p,
            bonferroni: self.bonferroni,
            min_freq: self.min_freq,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    if !(0.0..=1.0).contains(&args.max_p) {
        anyhow::bail!("--max-p must be between 0 and 1, not {}", args.max_p);
    }
    args.input.warn_unused_columns(&args.reference);
    super::output::check_output_folder(&args.output)?;
    let load_options = args.input.load_options()?;
    let segmenter = args.input.segmenter()?;
    let target_selection = match &args.target {
        Some(text) => Some(Selection::parse(text).ok_or_else(|| {
            anyhow::anyhow!("--target {text:?}: give COLUMN=VALUE, such as 班级=一班")
        })?),
        None => None,
    };
    // A reference that is no file or folder but COLUMN=VALUE selects essays of the input.
    let reference_selection = match args.reference.as_slice() {
        [one] if !one.exists() => one.to_str().and_then(Selection::parse),
        _ => None,
    };
    let counter = Counter {
        segmenter: &segmenter,
        written: args.report_script.report_script == ReportScript::Written,
        quiet: args.quiet,
    };
    args.input.pool()?.install(|| {
        let arena = bumpalo::Bump::new();
        // The sides of the input: the target (all of it, or --target's essays) and, when the
        // reference is a selection of the input too (--reference COLUMN=VALUE, or the rest of
        // --target's), the reference, counted in the same pass.
        let from_input = reference_selection.is_some() || args.reference.is_empty();
        let mut sides = vec![Side::default(), Side::default()];
        let mut seen = [Seen::default(), Seen::default()];
        let sides_of = |essay: &Essay| -> u8 {
            let target = target_selection.as_ref().is_none_or(|s| s.matches(essay));
            let reference = match &reference_selection {
                Some(reference) => reference.matches(essay),
                None => from_input && !target,
            };
            u8::from(target) | u8::from(reference) << 1
        };
        let scan = counter.count(&args.input, &load_options, &arena, &sides_of, &mut sides, |essay| {
            for (selection, seen) in [&target_selection, &reference_selection].into_iter().zip(&mut seen) {
                if let Some(selection) = selection {
                    seen.add(selection, essay);
                }
            }
        })?;
        let [target_side, input_reference] = <[Side<'_>; 2]>::try_from(sides).ok().expect("two sides");
        if let Some(selection) = &target_selection {
            if target_side.essays == 0 {
                anyhow::bail!("--target {}={}: {}", selection.column, selection.value, seen[0].missing(selection));
            }
        }
        let (target, target_forms) = target_side.finish();
        let target_skipped = scan.skipped;
        let (reference, reference_skipped, reference_forms) = match args.reference.as_slice() {
            _ if reference_selection.is_some() => {
                let selection = reference_selection.as_ref().expect("a selection");
                if input_reference.essays == 0 {
                    anyhow::bail!("--reference {}={}: {}", selection.column, selection.value, seen[1].missing(selection));
                }
                let (counts, forms) = input_reference.finish();
                (counts, scan.skipped, forms)
            }
            [] => {
                let selection = target_selection.as_ref().expect("clap requires --reference or --target");
                if input_reference.essays == 0 {
                    anyhow::bail!(
                        "every essay has {}={}: no essay is left for the reference; give --reference",
                        selection.column,
                        selection.value
                    );
                }
                let (counts, forms) = input_reference.finish();
                (counts, scan.skipped, forms)
            }
            // A CSV with word and count columns is a word list; any other CSV is essays.
            [path] if is_word_list(path) => {
                let mut list = WordList::read(path).map_err(anyhow::Error::msg)?;
                let (rows, occurrences) = list.words_only();
                if rows > 0 {
                    eprintln!(
                        "wenxi: note: --reference {}: {rows} row(s) that are not words \
                         (punctuation, numbers; {occurrences} occurrences) are left out, as the \
                         target counts only words",
                        path.display()
                    );
                }
                // The target's traditional essays are counted in simplified.
                let list = match args.input.script {
                    ScriptChoice::Auto | ScriptChoice::Traditional => {
                        list.converted(args.input.opencc)
                    }
                    ScriptChoice::Simplified | ScriptChoice::Keep => list,
                };
                if list.total == 0 {
                    anyhow::bail!("--reference {}: the list holds no words", path.display());
                }
                (
                    WordCounts {
                        counts: list.counts.into_iter().collect(),
                        total: list.total,
                    },
                    false,
                    WrittenForms::default(),
                )
            }
            paths => {
                if let Some(list) = paths.iter().find(|p| is_word_list(p)) {
                    anyhow::bail!(
                        "--reference {}: a word-frequency list is the whole reference, given \
                         alone; --reference takes every path after it, so give the target's \
                         paths before --reference",
                        list.display()
                    );
                }
                let reference = InputArgs {
                    paths: paths.to_vec(),
                    ..args.input.clone()
                };
                let mut sides = vec![Side::default()];
                let scan = counter.count(&reference, &load_options, &arena, &|_| 1, &mut sides, |_| {}).map_err(|err| match paths {
                    [csv] if csv.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) => {
                        err.context(format!(
                            "--reference {} is neither a word-frequency list (a column headed \
                             {} and one headed {}) nor a sheet of essays",
                            csv.display(),
                            crate::corpus::wordlist::WORD_HEADERS.join("/"),
                            crate::corpus::wordlist::COUNT_HEADERS.join("/")
                        ))
                    }
                    _ => err,
                })?;
                let (counts, forms) = sides.pop().expect("one side").finish();
                (counts, scan.skipped, forms)
            }
        };
        if reference.total == 0 {
            anyhow::bail!("the reference holds no words");
        }
        if reference.total == target.total && reference.counts == target.counts {
            eprintln!(
                "wenxi: note: the target and the reference hold the same words the same number \
                 of times (the same essays given twice?): no word can be key"
            );
        }
        let (mut rows, max_p) = key_words(&target, &reference, args.threshold.threshold(args.max_p));
        show(&mut rows, &[&target_forms, &reference_forms]);
        // The table first: a reader that closes the pipe early (`| head`) ends the run at the
        // next print, and what is printed must not stand for a table never written.
        ensure_dir(&args.output)?;
        let _lock = crate::report::FolderLock::wait(&args.output)?;
        let path = args.output.join("keyness.csv");
        TableReporter {
            format: Format::Csv,
            bom: !args.no_bom,
        }
        .write_one(&keyness_frame(&rows)?, &path)?;
        if !args.quiet {
            if args.threshold.bonferroni {
                writeln!(std::io::stdout(), "Bonferroni: p ≤ {max_p:.3e}")?;
            }
            print_key_words(&rows, args.top, "the target")?;
            writeln!(std::io::stdout(), "all in {}", path.display())?;
        }
        Ok(if target_skipped || reference_skipped {
            EXIT_SKIPPED
        } else {
            EXIT_OK
        })
    })
}

/// Words a corpus reports otherwise than they were counted (see `analysis::written`): the
/// form shown by the counted form.
pub(crate) type WrittenForms = rustc_hash::FxHashMap<String, String>;

pub(crate) fn shown_forms(analysis: &Analysis<'_>) -> WrittenForms {
    match analysis.forms {
        None => WrittenForms::default(),
        Some(_) => analysis
            .word_freq
            .iter()
            .filter_map(|w| {
                let shown = analysis.shown_word(w.word);
                (shown != w.word).then(|| (w.word.to_owned(), shown.to_owned()))
            })
            .collect(),
    }
}

/// Gives each row the form of the first of `forms` that shows its word otherwise.
pub(crate) fn show(rows: &mut [KeynessRow], forms: &[&WrittenForms]) {
    for row in rows {
        if let Some(shown) = forms.iter().find_map(|f| f.get(&row.word)) {
            row.word = shown.clone();
        }
    }
}

/// How the essays of a side are counted: as `analyze` counts them for word_freq.csv (jieba's
/// cut of each essay, its words), essay by essay as the input streams in batches, so that
/// neither the text nor the essays' analyses are held (the input as a whole and every
/// per-essay analysis of `analyze`, posseg included, were: 90 s and 1.2 GB for 500 MB against
/// 50 MB).
struct Counter<'s> {
    segmenter: &'s Segmenter,
    /// Whether the forms converted essays write the words in are kept, for the table.
    written: bool,
    quiet: bool,
}

/// An essay's words, counted: (byte range of the first occurrence in its body, count); where
/// a converted essay writes them otherwise, (place in `words`, byte range of the original).
struct EssayWords {
    sides: u8,
    words: Vec<((u32, u32), u32)>,
    forms: Vec<(u32, (u32, u32))>,
}

/// The word counts of one side, summed as the batches come.
#[derive(Default)]
struct Side<'a> {
    counts: FxHashMap<&'a str, u64>,
    total: u64,
    forms: Tally<&'a str, &'a str>,
    essays: usize,
}

impl Side<'_> {
    /// The side's counts, and its words shown otherwise than counted (the form the side writes
    /// most, as word_freq.csv shows it).
    fn finish(self) -> (WordCounts, WrittenForms) {
        let forms = self
            .forms
            .items()
            .filter_map(|word| {
                let form = self.forms.commonest(word, self.counts[word])?;
                Some((word.to_owned(), form.to_owned()))
            })
            .collect();
        let counts = WordCounts {
            counts: self
                .counts
                .into_iter()
                .map(|(word, n)| (word.to_owned(), n))
                .collect(),
            total: self.total,
        };
        (counts, forms)
    }
}

impl Counter<'_> {
    /// Counts the essays of `input` into `sides`: each essay into those of the bits
    /// `sides_of` gives it (1 the first side, 2 the second), none for 0. `each` sees every
    /// essay read, in corpus order.
    fn count<'a>(
        &self,
        input: &InputArgs,
        options: &LoadOptions,
        arena: &'a bumpalo::Bump,
        sides_of: &(dyn Fn(&Essay) -> u8 + Sync),
        sides: &mut [Side<'a>],
        mut each: impl FnMut(&Essay),
    ) -> anyhow::Result<Scan> {
        input.each_essay(
            options,
            crate::analysis::BATCH_BYTES,
            self.quiet,
            |_| {},
            |essay| {
                let sides = sides_of(essay);
                if sides == 0 {
                    return EssayWords {
                        sides,
                        words: Vec::new(),
                        forms: Vec::new(),
                    };
                }
                let tokens = segment_essay(self.segmenter, essay);
                let index = WordIndex::new(&tokens, &essay.body);
                let counts = count_words(&index);
                let range = |w: &WordCount<'_>| (w.first, w.word.len() as u32);
                let forms = match self.written {
                    true => written_ranges(essay, counts.iter().map(range)),
                    false => Vec::new(),
                };
                EssayWords {
                    sides,
                    words: counts.iter().map(|w| (range(w), w.count as u32)).collect(),
                    forms,
                }
            },
            |batch, results| {
                batch.essays.iter().for_each(&mut each);
                for (s, side) in sides.iter_mut().enumerate() {
                    side.add(arena, batch, &results, 1 << s);
                }
                Ok(())
            },
        )
    }
}

impl<'a> Side<'a> {
    /// Adds the essays of `batch` whose `results` have the bit `bit`: their words summed in
    /// parallel, a part a thread or little more, then into the side once each.
    fn add(&mut self, arena: &'a bumpalo::Bump, batch: &Corpus, results: &[EssayWords], bit: u8) {
        fn word(essay: &Essay, (start, len): (u32, u32)) -> &str {
            &essay.body[start as usize..(start + len) as usize]
        }
        let part = batch.essays.len() / (2 * rayon::current_num_threads()) + 1;
        let summed: FxHashMap<&str, u64> = batch
            .essays
            .par_iter()
            .zip(results)
            .with_min_len(part)
            .filter(|(_, r)| r.sides & bit != 0)
            .fold(FxHashMap::default, |mut sums, (essay, counted)| {
                for &(at, n) in &counted.words {
                    *sums.entry(word(essay, at)).or_insert(0) += u64::from(n);
                }
                sums
            })
            .reduce(FxHashMap::default, |mut a, mut b| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                for (w, n) in b {
                    *a.entry(w).or_insert(0) += n;
                }
                a
            });
        for (w, n) in summed {
            self.total += n;
            match self.counts.get_mut(w) {
                Some(count) => *count += n,
                None => {
                    self.counts.insert(arena.alloc_str(w), n);
                }
            }
        }
        for (essay, counted) in batch.essays.iter().zip(results) {
            if counted.sides & bit == 0 {
                continue;
            }
            self.essays += 1;
            let original = essay.original.as_deref().unwrap_or_default();
            for &(place, (at, len)) in &counted.forms {
                let (w, n) = counted.words[place as usize];
                let (&kept, _) = self.counts.get_key_value(word(essay, w)).expect("counted");
                let form = &original[at as usize..(at + len) as usize];
                self.forms
                    .add_as(kept, |f| *f == form, || arena.alloc_str(form), n.into());
            }
        }
    }
}

/// Prints the strongest `top` words of each direction.
pub(crate) fn print_key_words(
    rows: &[KeynessRow],
    top: usize,
    target: &str,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for (positive, heading) in [(true, "more"), (false, "less")] {
        let heading = format!("{heading} frequent in {target}");
        let side: Vec<&KeynessRow> = rows.iter().filter(|r| r.positive == positive).collect();
        writeln!(
            out,
            "{} {} {heading} (showing {}):",
            side.len(),
            if side.len() == 1 { "word" } else { "words" },
            side.len().min(top)
        )?;
        for row in side.iter().take(top) {
            writeln!(
                out,
                "  {}\t{} vs {}\tG²={:.2}\tp={:.2e}\tlog ratio={:+.2} [{:+.2}, {:+.2}]",
                row.word,
                row.a,
                row.b,
                row.keyness.g2,
                row.keyness.p,
                row.keyness.log_ratio,
                row.keyness.log_ratio_low,
                row.keyness.log_ratio_high
            )?;
        }
    }
    Ok(())
}

/// A CSV file whose header names a word and a count column.
fn is_word_list(path: &std::path::Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        && WordList::is_word_list(path)
}

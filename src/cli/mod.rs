//! The command line: one file per subcommand, each with its `Args` and `run`.

pub mod analyze;
pub mod collocates;
pub mod compare;
pub mod input;
pub mod keyness;
pub mod kwic;
pub mod ngrams;
pub mod options;
pub mod output;
pub mod structure;

use clap::{Parser, Subcommand};

/// Exit status: every file was analysed.
pub const EXIT_OK: u8 = 0;
/// Exit status: reports were written, but at least one input file was skipped.
pub const EXIT_SKIPPED: u8 = 1;
/// Exit status: an error stopped the run (bad arguments included); reports already written stay whole.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "wenxi",
    version,
    about = "文析 wenxi: analyse corpora of Chinese essays",
    long_about = "文析 wenxi: analyse corpora of Chinese essays.\n\n\
        Reads folders of .txt essays or scraped pages holding many essays, segments them with \
        jieba-rs in parallel and writes word frequencies, keywords and per-essay figures as CSV \
        (or Parquet) tables.",
    after_help = "Exit status: 0 all files analysed; 1 reports written but some files skipped; 2 error; \
        130 interrupted (Ctrl-C: the run's temporary files are deleted, earlier reports kept).\n\n\
        Examples:\n  wenxi analyze                      analyse ./corpus (or the bundled corpus) into ./reports\n  \
        wenxi analyze essays/ -o out       analyse every .txt under essays/ into out/\n  \
        wenxi structure essays/            how each essay is built, in the terminal\n  \
        wenxi keyness a/ --reference b/    words that set a/ apart from b/\n  \
        wenxi compare 2 6                  two essays side by side\n  \
        wenxi kwic 社区                    every 社区 in context"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse essays and write the report tables
    Analyze(analyze::Args),
    /// Print how each essay is built: paragraphs, headings, sentences, discourse markers
    Structure(structure::Args),
    /// Words that set a target apart from a reference corpus (log-likelihood keyness)
    Keyness(keyness::Args),
    /// Two essays or two groups side by side: themes, distinguishing words, similarity
    Compare(compare::Args),
    /// Concordance: every place a word, pattern, sequence or string occurs, in context
    Kwic(kwic::Args),
    /// Collocations of a node word: MI, t-score, log-likelihood, logDice, ΔP
    Collocates(collocates::Args),
    /// Word or character n-grams with range and dispersion; clusters around a word
    Ngrams(ngrams::Args),
}

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    crate::report::delete_temporaries_on_interrupt();
    match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Structure(args) => structure::run(args),
        Command::Keyness(args) => keyness::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Kwic(args) => kwic::run(args),
        Command::Collocates(args) => collocates::run(args),
        Command::Ngrams(args) => ngrams::run(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}

//! `wenxi structure`: how each essay is built, as a table in the terminal.

use std::io::Write;

use crate::analysis::{Analysis, AnalysisOptions};
use crate::Stopwords;

use super::input::InputArgs;
use super::{EXIT_OK, EXIT_SKIPPED};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Columns: paragraphs (body) and headings, sentences, mean sentence length in Han \
    characters, MTLD, lexical density, Xu, Yao & Chen's readability (xu_r3: mostly characters per \
    clause; higher is harder), the HSK 3.0 level a reader needs for 95% of the characters (hsk; \
    7-9 is the top band, beyond: no level reaches 95%), and the paragraph-initial discourse markers in order. \
    `wenxi analyze` writes every figure to structure.csv and markers.csv.\n\n\
    Examples:\n  \
    wenxi structure                       the bundled corpus (or ./corpus)\n  \
    wenxi structure essays/ --markers m.txt"
)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    args.input.warn_unused_columns(&[]);
    let load_options = args.input.load_options()?;
    let options = AnalysisOptions {
        top_keywords: 0,
        keyword_methods: Vec::new(),
        markers: args.input.marker_lexicon()?,
        similarity: false,
        clusters: None,
        all_pairs: false,
        neighbour_budget: None,
        check_neighbours: None,
        reuse: None,
        themes: None,
        ngrams: None,
        group_by: None,
        // structure.csv has no words.
        report_script: crate::analysis::written::ReportScript::Simplified,
        arf: false,
    };
    let segmenter = args.input.segmenter()?;
    args.input.pool()?.install(|| {
        let corpus = args.input.load(&load_options)?;
        let analysis = Analysis::run(&corpus, &segmenter, &Stopwords::builtin(), &options);
        let header = [
            "id",
            "title",
            "paragraphs",
            "headings",
            "sentences",
            "sent_len",
            "mtld",
            "density",
            "xu_r3",
            "hsk",
            "markers",
        ];
        let rows: Vec<[String; 11]> = corpus
            .essays
            .iter()
            .zip(&analysis.essays)
            .map(|(essay, result)| {
                let s = &result.structure;
                let mut sequence = s.marker_sequence.join("→");
                if s.closes_with_summary && s.marker_sequence.is_empty() {
                    sequence.push_str("(summary)");
                }
                [
                    essay.id.to_string(),
                    essay.title.clone(),
                    s.paragraphs.to_string(),
                    s.headings.len().to_string(),
                    s.sentences.to_string(),
                    format!("{:.1}", s.sentence_han.mean),
                    format!("{:.1}", s.mtld),
                    format!("{:.2}", s.lexical_density),
                    format!("{:.2}", s.xu.r3),
                    match crate::analysis::levels::needed(&s.char_levels.hsk) {
                        Some(7) => "7-9".to_owned(),
                        Some(level) => level.to_string(),
                        None if s.char_levels.hsk.iter().sum::<u64>() == 0 => String::new(),
                        None => "beyond".to_owned(),
                    },
                    sequence,
                ]
            })
            .collect();
        let mut out = std::io::stdout().lock();
        write_table(&mut out, &header, &rows)?;
        Ok(if corpus.skipped().next().is_some() {
            EXIT_SKIPPED
        } else {
            EXIT_OK
        })
    })
}

/// Display width of a cell: CJK characters take two columns in a terminal.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                1
            } else if crate::corpus::is_han(c) || ('\u{3000}'..='\u{FFEF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

fn write_table<const N: usize>(
    out: &mut impl Write,
    header: &[&str; N],
    rows: &[[String; N]],
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |out: &mut dyn Write, cells: Vec<&str>| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - width(cell);
            // Figures are right-aligned, text left-aligned; the last column is not padded.
            let numeric = cell.chars().all(|c| c.is_ascii_digit() || c == '.');
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else if numeric {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
                text.push_str("  ");
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, header.to_vec())?;
    for row in rows {
        line(out, row.iter().map(String::as_str).collect())?;
    }
    Ok(())
}

//! wenxi (文析): analyse corpora of Chinese essays.
//!
//! The pipeline reads a corpus (files and folders of `.txt`, or compiled pages that hold many
//! essays), segments every essay once with jieba-rs in parallel, computes word frequencies, keywords
//! and per-essay figures, and turns them into Polars DataFrames written as CSV or Parquet.
//!
//! ```
//! use wenxi::{Corpus, Segmenter, Stopwords, analysis::{Analysis, AnalysisOptions}};
//!
//! let corpus = Corpus::from_text("demo", "社区居民积极参与志愿服务。志愿服务让社区更温暖。");
//! let segmenter = Segmenter::new();
//! let stopwords = Stopwords::builtin();
//! let analysis = Analysis::run(&corpus, &segmenter, &stopwords, &AnalysisOptions::default());
//! let shequ = analysis.word_freq.iter().find(|w| w.word == "社区").unwrap();
//! assert_eq!((shequ.count, shequ.essays, shequ.stopword), (2, 1, false));
//! // Keywords skip stopwords and one-character words. By default: keyness against the rest of
//! // the corpus (none here, in a corpus of one essay), then TF-IDF.
//! let (method, keyness) = &analysis.essays[0].keywords[0];
//! assert_eq!((method.as_str(), keyness.len()), ("keyness", 0));
//! let (method, tfidf) = &analysis.essays[0].keywords[1];
//! assert_eq!(method.as_str(), "tfidf");
//! assert!(tfidf.iter().all(|k| k.word.chars().count() >= 2));
//! ```

pub mod analysis;
pub mod cli;
pub mod corpus;
pub mod error;
pub mod frames;
pub mod memory;
pub mod report;
pub mod segment;
pub mod timing;

pub use analysis::stopwords::Stopwords;
pub use corpus::{Corpus, Essay, SourceFile};
pub use error::Error;
pub use segment::{Segmenter, Token};

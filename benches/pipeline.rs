//! Throughput of the whole `analyze` pipeline against raw jieba-rs `cut` on the same text, at one
//! thread and at all threads. The corpus is the bundled page repeated to about 4 MB (1,400 essays).
//!
//! - `raw_cut`: jieba-rs `cut` with HMM over every essay, nothing else;
//! - `analysis`: segmentation and every analysis (counts, keywords, structure, tags);
//! - `pipeline`: reading and splitting the page, the analysis, the DataFrames and the CSV reports.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rayon::prelude::*;
use wenxi::analysis::{Analysis, AnalysisOptions};
use wenxi::corpus::{LoadOptions, EMBEDDED_TEXT};
use wenxi::frames::{FrameOptions, Tables};
use wenxi::report::{Format, Reporter, TableReporter};
use wenxi::{Corpus, Segmenter, Stopwords};

const COPIES: usize = 140;

fn page() -> String {
    EMBEDDED_TEXT.repeat(COPIES)
}

fn pools() -> Vec<(usize, rayon::ThreadPool)> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    counts
        .into_iter()
        .map(|n| {
            (
                n,
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .unwrap(),
            )
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let page = page();
    let segmenter = Segmenter::new();
    let stopwords = Stopwords::builtin();
    let corpus = Corpus::from_text("bench.txt", &page);
    assert_eq!(corpus.essays.len(), 10 * COPIES);
    let bytes = corpus.text_bytes() as u64;
    let out = tempfile::tempdir().unwrap();

    let mut group = c.benchmark_group("analyze");
    group.sample_size(10).throughput(Throughput::Bytes(bytes));
    for (threads, pool) in pools() {
        group.bench_with_input(BenchmarkId::new("raw_cut", threads), &threads, |b, _| {
            b.iter(|| {
                pool.install(|| {
                    corpus
                        .essays
                        .par_iter()
                        .map(|essay| segmenter.jieba().cut(&essay.body, true).len())
                        .sum::<usize>()
                })
            })
        });
        group.bench_with_input(BenchmarkId::new("analysis", threads), &threads, |b, _| {
            b.iter(|| {
                pool.install(|| {
                    let analysis =
                        Analysis::run(&corpus, &segmenter, &stopwords, &AnalysisOptions::default());
                    analysis.total_words
                })
            })
        });
        group.bench_with_input(BenchmarkId::new("pipeline", threads), &threads, |b, _| {
            b.iter(|| {
                pool.install(|| {
                    let corpus =
                        Corpus::from_text_with("bench.txt", &page, &LoadOptions::default());
                    let analysis =
                        Analysis::run(&corpus, &segmenter, &stopwords, &AnalysisOptions::default());
                    // The answer must be right, not just fast: 武汉 is counted 8 times per copy.
                    let wuhan = analysis
                        .word_freq
                        .iter()
                        .find(|w| w.word == "武汉")
                        .unwrap();
                    assert_eq!(wuhan.count, 8 * COPIES as u64);
                    let tables =
                        Tables::build(&corpus, &analysis, FrameOptions { excel_safe: true })
                            .unwrap();
                    TableReporter {
                        format: Format::Csv,
                        bom: true,
                    }
                    .write(&tables, out.path())
                    .unwrap()
                    .len()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);

//! Throughput of the whole `analyze` pipeline against raw jieba-rs `cut` on the same text, at one
//! thread and at all threads, on two corpora of 1,400 essays:
//!
//! - `seed`: the bundled page repeated 140 times (4.2 MB). Real text, but only 1,130 distinct
//!   words, so jieba's dictionary stays in cache and `cut` runs about 4× faster than on real text.
//! - `sampled`: 6.2 MB of words drawn from jieba's IDF table (see [`sampled_page`]): not prose,
//!   but with a real vocabulary's width (112,000 distinct words); `cut` runs at the speed measured
//!   on news text (about 31 MB/s per core).
//!
//! Benchmarks, per corpus and thread count:
//! - `raw_cut`: jieba-rs `cut` with HMM over every essay, nothing else;
//! - `core`: reading and splitting the page, segmentation, counts, tags, TF-IDF keywords,
//!   structure, the DataFrames and the CSV reports (what `analyze --no-similarity --no-reuse`
//!   computes);
//! - `pipeline`: the same with every default analysis (similarity: past 1,000 essays each
//!   essay's nearest, spherical k-means clusters; text reuse).

mod common;

use common::{Vocabulary, XorShift};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rayon::prelude::*;
use wenxi::analysis::{Analysis, AnalysisOptions};
use wenxi::corpus::{LoadOptions, EMBEDDED_TEXT};
use wenxi::frames::{FrameOptions, Tables};
use wenxi::report::{Format, Reporter, TableReporter};
use wenxi::{Corpus, Segmenter, Stopwords};

const COPIES: usize = 140;
const SAMPLED_ESSAYS: usize = 1400;

/// Text drawn from jieba's IDF table, each word with weight e^(−idf) (the share of documents that
/// use it), so that the vocabulary is as wide as real text's. Sentences of 6–30 words with a
/// comma after about one word in six, paragraphs of 3–7 sentences, essays of 8 paragraphs titled
/// `抽样文章篇N` after a one-line preamble. A fixed xorshift generator (Marsaglia 2003) makes it
/// the same text on every run.
fn sampled_page(essays: usize) -> String {
    let vocabulary = Vocabulary::jieba();
    let mut generator = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut next = || generator.next();
    let mut page = String::from("以下文字由词表抽样生成，仅供测速。\n");
    for e in 1..=essays {
        page.push_str(&format!("抽样文章篇{e}\n"));
        for _ in 0..8 {
            let sentences = 3 + next() % 5;
            for _ in 0..sentences {
                let length = 6 + next() % 25;
                for w in 0..length {
                    let x = (next() >> 11) as f64 / (1u64 << 53) as f64;
                    page.push_str(vocabulary.pick(x));
                    if w + 1 < length && next() % 6 == 0 {
                        page.push('，');
                    }
                }
                page.push('。');
            }
            page.push('\n');
        }
    }
    page
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
    let segmenter = Segmenter::new();
    let stopwords = Stopwords::builtin();
    let out = tempfile::tempdir().unwrap();
    let core = AnalysisOptions {
        similarity: false,
        reuse: None,
        ..AnalysisOptions::default()
    };
    let full = AnalysisOptions::default();
    for (name, page, essays) in [
        ("seed", EMBEDDED_TEXT.repeat(COPIES), 10 * COPIES),
        ("sampled", sampled_page(SAMPLED_ESSAYS), SAMPLED_ESSAYS),
    ] {
        let corpus = Corpus::from_text("bench.txt", &page);
        assert_eq!(corpus.essays.len(), essays);
        let bytes = corpus.text_bytes() as u64;
        let mut group = c.benchmark_group(name);
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
            for (bench, options) in [("core", &core), ("pipeline", &full)] {
                group.bench_with_input(BenchmarkId::new(bench, threads), &threads, |b, _| {
                    b.iter(|| {
                        pool.install(|| {
                            let corpus =
                                Corpus::from_text_with("bench.txt", &page, &LoadOptions::default());
                            let analysis = Analysis::run(&corpus, &segmenter, &stopwords, options);
                            // The answer must be right, not just fast: 武汉 is counted 8 times
                            // per copy of the seed.
                            if name == "seed" {
                                let wuhan = analysis
                                    .word_freq
                                    .iter()
                                    .find(|w| w.word == "武汉")
                                    .unwrap();
                                assert_eq!(wuhan.count, 8 * COPIES as u64);
                            }
                            let tables = Tables::build(
                                &corpus,
                                &analysis,
                                FrameOptions { excel_safe: true },
                            )
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
        }
        group.finish();
    }
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
